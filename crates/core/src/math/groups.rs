//! Positions grouped by equal keys: what batches of settings or model variants share, so that
//! what they share is computed once per group.

/// The positions of `keys` grouped by equal key: the groups in the order their first member
/// appears, each group's positions in order. A batch holds tens of keys, so pairwise comparison
/// is cheaper than hashing and needs no more of a key than equality.
pub(crate) fn groups_of_equal<K: PartialEq>(keys: &[K]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (at, key) in keys.iter().enumerate() {
        match groups.iter_mut().find(|group| keys[group[0]] == *key) {
            Some(group) => group.push(at),
            None => groups.push(vec![at]),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_follow_first_appearance() {
        assert_eq!(
            groups_of_equal(&['b', 'a', 'b', 'c', 'a']),
            [vec![0, 2], vec![1, 4], vec![3]]
        );
        assert!(groups_of_equal::<u8>(&[]).is_empty());
    }
}
