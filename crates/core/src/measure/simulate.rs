//! Reports from a known truth, through the same randomizer a store uses, so the decoding can
//! be tested end to end (`aisle simulate-reports`).
//!
//! ```
//! use aisle_core::measure::simulate::{Truth, simulate};
//! let truth = Truth::from_json(br#"{"arms": {"A": {"share": 0.5, "open": 0.05, "purchase_after_open": 0.2},
//!                                            "B": {"share": 0.5, "open": 0.06, "purchase_after_open": 0.2}}}"#).unwrap();
//! let reports = simulate(&truth, 1_000, 1.0, 42).unwrap();
//! assert_eq!(reports.len(), 1_000);
//! assert!(Truth::from_json(br#"{"arms": {"A": {"share": 0.5, "open": 1.5, "purchase_after_open": 0}}}"#).is_err());
//! ```

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::Deserialize;

use super::Answer;
use super::randomizer::Randomizer;
use super::report::{Report, check_arm};
use crate::error::{Error, Result};

/// The week simulated reports say they are for.
pub const SIMULATED_PERIOD: &str = "2026-W01";

/// What is true of each arm's shoppers (`--truth FILE`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Truth {
    /// By arm name.
    pub arms: BTreeMap<String, ArmTruth>,
}

/// What is true of one arm's shoppers.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArmTruth {
    /// The share of shoppers in the arm.
    pub share: f64,
    /// The share of them who open a recommendation in a period.
    pub open: f64,
    /// Among those, the share for whom a purchase follows.
    pub purchase_after_open: f64,
}

impl Truth {
    /// Reads and checks a truth file's JSON.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        let truth: Self = serde_json::from_slice(bytes).map_err(|error| Error::InvalidData {
            reason: format!("truth: {error}"),
        })?;
        truth.check()?;
        Ok(truth)
    }

    fn check(&self) -> Result<()> {
        let invalid = |reason: String| Err(Error::InvalidData { reason });
        if self.arms.is_empty() {
            return invalid("truth: no arms".into());
        }
        for (name, arm) in &self.arms {
            // The same rule as a report's arm: a simulated report must read back.
            if let Err(reason) = check_arm(name) {
                return invalid(format!("truth: {reason}"));
            }
            for (field, value) in [
                ("share", arm.share),
                ("open", arm.open),
                ("purchase_after_open", arm.purchase_after_open),
            ] {
                if !(0.0..=1.0).contains(&value) {
                    return invalid(format!(
                        "truth: arm `{name}`: {field} {value} is not between 0 and 1"
                    ));
                }
            }
        }
        let total: f64 = self.arms.values().map(|arm| arm.share).sum();
        if (total - 1.0).abs() > 1e-9 {
            return invalid(format!("truth: the arms' shares add up to {total}, not 1"));
        }
        Ok(())
    }

    /// Two arms `A` and `B`, half the shoppers each, with open rates `a` and `b` and the same
    /// purchase-after-open rate.
    #[cfg(test)]
    pub(crate) fn two_arms(a: f64, b: f64, purchase_after_open: f64) -> Self {
        let arm = |open| ArmTruth {
            share: 0.5,
            open,
            purchase_after_open,
        };
        Self {
            arms: BTreeMap::from([("A".to_owned(), arm(a)), ("B".to_owned(), arm(b))]),
        }
    }
}

/// One report from each of `shoppers` shoppers drawn from `truth`, randomized with `epsilon`;
/// the same seed gives the same reports.
pub fn simulate(truth: &Truth, shoppers: usize, epsilon: f64, seed: u64) -> Result<Vec<Report>> {
    truth.check()?;
    let randomizer = Randomizer::new(epsilon)?;
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let arms: Vec<(&String, &ArmTruth)> = truth.arms.iter().collect();
    Ok((0..shoppers)
        .map(|_| {
            let mut draw: f64 = rng.random();
            let (name, arm) = arms
                .iter()
                .find(|(_, arm)| {
                    draw -= arm.share;
                    draw < 0.0
                })
                .unwrap_or(&arms[arms.len() - 1]);
            let opened = rng.random::<f64>() < arm.open;
            let bought = opened && rng.random::<f64>() < arm.purchase_after_open;
            let sent = randomizer.randomize(Answer::of(opened, bought), &mut rng);
            Report::new(SIMULATED_PERIOD, name, epsilon, sent)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::estimate::estimate_arms;

    /// 100,000 shoppers, ε = 1, open rates 5% and 6%, 100 seeds. Each arm's open-rate estimate
    /// has variance s (1 − s) / (p − q)² per report, with s = 0.442 of sent answers other than
    /// "nothing" and p − q = 0.364: 1.86 / 50,000, a standard error of 0.61 points. So 95% intervals cover the truth,
    /// an estimate is within 0.5 points of it 59% of the time (Φ(0.82) two-sided), and a
    /// 1-point difference (z = 1.16) is detected at the 5% level in about 21% of seeds. The
    /// ranges are those expectations ± 3.5 binomial standard deviations.
    #[test]
    fn one_hundred_seeds_of_one_hundred_thousand_shoppers() {
        let truth = Truth::two_arms(0.05, 0.06, 0.2);
        let (mut covered, mut detected, mut within_half_point) = (0, 0, 0);
        for seed in 0..100 {
            let estimates = estimate_arms(&simulate(&truth, 100_000, 1.0, seed).unwrap()).unwrap();
            for (name, arm) in &estimates.arms {
                let true_open = truth.arms[name].open;
                covered += usize::from(arm.open.covers(true_open));
                within_half_point += usize::from((arm.open.estimate - true_open).abs() <= 0.005);
            }
            detected += usize::from(estimates.difference.unwrap().open.p_value < 0.05);
        }
        assert!(covered >= 186, "{covered} of 200 intervals cover the truth");
        assert!(
            (94..=142).contains(&within_half_point),
            "{within_half_point} of 200 within 0.5 points"
        );
        assert!(
            (7..=35).contains(&detected),
            "detected in {detected} of 100 seeds"
        );
    }

    #[test]
    fn a_shop_with_enough_shoppers_detects_a_one_point_difference() {
        // 800,000 shoppers at ε = 1: the difference's standard error is 0.305 points, so a
        // 1-point difference has z = 3.28 and is detected with probability 0.91.
        let truth = Truth::two_arms(0.05, 0.06, 0.2);
        let mut detected = 0;
        for seed in 0..20 {
            let estimates = estimate_arms(&simulate(&truth, 800_000, 1.0, seed).unwrap()).unwrap();
            detected += usize::from(estimates.difference.unwrap().open.p_value < 0.05);
            for (name, arm) in &estimates.arms {
                // 3.3 standard errors.
                assert!(
                    (arm.open.estimate - truth.arms[name].open).abs() < 0.007,
                    "{arm:?}"
                );
            }
        }
        assert!(detected >= 15, "detected in {detected} of 20 seeds");
    }

    #[test]
    fn no_difference_is_found_where_there_is_none_more_often_than_the_level_says() {
        let truth = Truth::two_arms(0.05, 0.05, 0.2);
        let false_alarms = (0..100)
            .filter(|seed| {
                let reports = simulate(&truth, 20_000, 1.0, 1_000 + seed).unwrap();
                estimate_arms(&reports)
                    .unwrap()
                    .difference
                    .unwrap()
                    .open
                    .p_value
                    < 0.05
            })
            .count();
        // 5 expected; 12 is beyond the 99.9th percentile of Binomial(100, 0.05).
        assert!(false_alarms <= 12, "{false_alarms} false alarms in 100");
    }

    #[test]
    fn a_truth_that_cannot_be_is_refused_with_the_reason() {
        for (json, expected) in [
            (r#"{"arms": {}}"#, "no arms"),
            (
                r#"{"arms": {"A": {"share": 0.5, "open": 0.1, "purchase_after_open": 0.1}}}"#,
                "add up to 0.5",
            ),
            (
                r#"{"arms": {"A": {"share": 1, "open": -0.1, "purchase_after_open": 0.1}}}"#,
                "open -0.1",
            ),
            (
                r#"{"arms": {"A B": {"share": 1, "open": 0.1, "purchase_after_open": 0.1}}}"#,
                "arm `A B`",
            ),
            (
                r#"{"arms": {"A": {"share": 1, "open": 0.1}}}"#,
                "missing field `purchase_after_open`",
            ),
            (
                r#"{"arms": {"A": {"share": 1, "open": 0.1, "purchase_after_open": 0.1, "x": 1}}}"#,
                "unknown field `x`",
            ),
        ] {
            let message = Truth::from_json(json.as_bytes()).unwrap_err().to_string();
            assert!(message.contains(expected), "{json}: {message}");
        }
    }
}
