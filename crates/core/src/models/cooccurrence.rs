//! Counting how often two items share a group (a customer's purchases, an order's basket): the
//! inner loop of item-kNN, user-kNN and frequently-bought-together, and the shrunk cosine the
//! two kNN models make of the counts.
//!
//! One item at a time, with a dense counter and the list of counters touched, so each item costs
//! only what its groups hold and memory stays one counter per item.

/// Reusable counters for [`CoCounter::count`].
pub(crate) struct CoCounter {
    together: Vec<u32>,
    touched: Vec<u32>,
}

impl CoCounter {
    /// Counters for `n_items` items.
    pub(crate) fn new(n_items: usize) -> Self {
        Self {
            together: vec![0; n_items],
            touched: Vec::new(),
        }
    }

    /// For `item`, found in the groups `groups_of_item`, returns every other item sharing at
    /// least one of those groups with the number shared, in first-seen order. `members[g]` lists
    /// the items of group `g`.
    pub(crate) fn count(
        &mut self,
        item: usize,
        groups_of_item: &[u32],
        members: &[Vec<u32>],
    ) -> Vec<(u32, u32)> {
        for &group in groups_of_item {
            for &other in &members[group as usize] {
                if other as usize != item {
                    if self.together[other as usize] == 0 {
                        self.touched.push(other);
                    }
                    self.together[other as usize] += 1;
                }
            }
        }
        let counts = self
            .touched
            .iter()
            .map(|&other| (other, self.together[other as usize]))
            .collect();
        for &other in &self.touched {
            self.together[other as usize] = 0;
        }
        self.touched.clear();
        counts
    }
}

/// Cosine of two sets that share `shared` members, of sizes `size_a` and `size_b`, shrunk by
/// `shared / (shared + shrinkage)` so that a similarity resting on few shared members counts less.
pub(crate) fn shrunk_set_cosine(shared: u32, size_a: f32, size_b: f32, shrinkage: f32) -> f32 {
    let shared = shared as f32;
    let cosine = shared / (size_a * size_b).sqrt();
    cosine * shared / (shared + shrinkage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrunk_set_cosine_by_hand() {
        // 2 shared of 4 and 4: cosine 0.5; shrinkage 2 halves it.
        assert_eq!(shrunk_set_cosine(2, 4.0, 4.0, 0.0), 0.5);
        assert_eq!(shrunk_set_cosine(2, 4.0, 4.0, 2.0), 0.25);
    }

    #[test]
    fn counts_shared_groups_and_resets_between_items() {
        // Groups: {0, 1}, {0, 1, 2}, {2, 3}. Item 0 is in groups 0 and 1.
        let members = vec![vec![0, 1], vec![0, 1, 2], vec![2, 3]];
        let mut counter = CoCounter::new(4);
        assert_eq!(counter.count(0, &[0, 1], &members), [(1, 2), (2, 1)]);
        assert_eq!(counter.count(3, &[2], &members), [(2, 1)]);
    }
}
