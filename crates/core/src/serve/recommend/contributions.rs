//! Scores summed from several signals, remembering per product which signal gave most: that
//! signal is the product's [`Reason`].

use crate::serve::reason::Reason;

/// Scores being summed from several signals, remembering per product which signal gave most.
pub(super) struct Contributions {
    pub(super) scores: Vec<f32>,
    /// Per product: the largest single contribution so far and the index of its reason.
    strongest: Vec<(f32, usize)>,
    reasons: Vec<Reason>,
}

impl Contributions {
    pub(super) fn new(items: usize) -> Self {
        Self {
            scores: vec![0.0; items],
            strongest: vec![(0.0, usize::MAX); items],
            reasons: Vec::new(),
        }
    }

    /// Adds one signal's scores (and leaves `signal` zeroed for the next one).
    pub(super) fn add(&mut self, reason: Reason, signal: &mut [f32]) {
        let index = self.reasons.len();
        self.reasons.push(reason);
        for ((value, total), strongest) in signal
            .iter_mut()
            .zip(&mut self.scores)
            .zip(&mut self.strongest)
        {
            *total += *value;
            if *value > strongest.0 {
                *strongest = (*value, index);
            }
            *value = 0.0;
        }
    }

    pub(super) fn reason(&self, item: usize) -> Reason {
        self.reasons
            .get(self.strongest[item].1)
            .cloned()
            .unwrap_or(Reason::Trending)
    }
}
