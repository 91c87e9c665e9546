//! Counting how often two items share a group (a customer's purchases, an order's basket): the
//! inner loop of item-kNN and of frequently-bought-together.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_shared_groups_and_resets_between_items() {
        // Groups: {0, 1}, {0, 1, 2}, {2, 3}. Item 0 is in groups 0 and 1.
        let members = vec![vec![0, 1], vec![0, 1, 2], vec![2, 3]];
        let mut counter = CoCounter::new(4);
        assert_eq!(counter.count(0, &[0, 1], &members), [(1, 2), (2, 1)]);
        assert_eq!(counter.count(3, &[2], &members), [(2, 1)]);
    }
}
