//! Measuring recommendations without tracking: what a browser may report about them, randomized
//! on the device with local differential privacy, and how a shop turns many such reports into
//! honest totals.
//!
//! A report says three things about one shopper's period (a week): which arm of the shop's
//! experiment the browser drew, and whether a recommendation was opened, and whether one led to
//! a purchase. The second and third are one answer among three ([`Answer`]), randomized by
//! k-ary randomized response ([`randomizer`]): with ε = 1 the true answer is sent with
//! probability e / (e + 2) ≈ 0.58, each other answer with 0.21, so no single report says
//! anything reliable about its sender, while thousands give accurate rates ([`estimate`]).
//!
//! The arm travels as drawn, as RAPPOR sends its cohort: the browser draws it at random with the
//! shop's shares before the shopper does anything, so it says nothing about them.
//!
//! A browser answers each possible true answer with the one randomized answer it drew the first
//! time (RAPPOR's memoization, [`randomizer::Memo`]): a year of weekly reports then reveals no
//! more than one report per possible answer, 3ε in all, however many weeks it sends.
//!
//! ```
//! use aisle_core::measure::{Answer, estimate::estimate_arms, randomizer::Randomizer, report::Report};
//! use rand::SeedableRng;
//! let randomizer = Randomizer::new(1.0).unwrap();
//! let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(7);
//! let reports: Vec<Report> = (0..20_000)
//!     .map(|shopper| {
//!         let truth = if shopper % 10 == 0 { Answer::Opened } else { Answer::Nothing };
//!         Report::new("2026-W49", "A", 1.0, randomizer.randomize(truth, &mut rng))
//!     })
//!     .collect();
//! let estimates = estimate_arms(&reports).unwrap();
//! let open = estimates.arms["A"].open;
//! assert!((open.estimate - 0.10).abs() < 0.03, "{open:?}");
//! assert!(open.low < 0.10 && 0.10 < open.high);
//! ```

pub mod estimate;
pub mod experiment;
pub mod randomizer;
pub mod report;
pub mod simulate;

use serde::{Deserialize, Serialize};

/// What one shopper's period says about the shop's recommendations, before it is randomized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    /// No recommendation was opened.
    Nothing,
    /// A recommendation was opened, and no purchase followed one.
    Opened,
    /// A recommendation was opened, and a purchase followed.
    Bought,
}

impl Answer {
    /// Every answer, in the order of [`Answer::index`].
    pub const ALL: [Answer; 3] = [Answer::Nothing, Answer::Opened, Answer::Bought];

    /// The answer's position in [`Answer::ALL`].
    pub fn index(self) -> usize {
        match self {
            Answer::Nothing => 0,
            Answer::Opened => 1,
            Answer::Bought => 2,
        }
    }

    /// The answer of a period in which the shopper opened a recommendation or not, and bought
    /// after opening one or not.
    pub fn of(opened: bool, bought_after_open: bool) -> Self {
        match (opened, bought_after_open) {
            (false, _) => Answer::Nothing,
            (true, false) => Answer::Opened,
            (true, true) => Answer::Bought,
        }
    }
}
