//! From randomized reports to rates per arm, with 95% confidence intervals, and a test of the
//! difference between two arms.
//!
//! Randomized response sends each true answer with probability p and each other one with q, so
//! the share s of reports that carry an answer relates to its true share f by
//! s = q + (p − q) f, and f = (s − q) / (p − q) is unbiased. Its variance is s (1 − s) / (n (p −
//! q)²) for n reports: at ε = 1 and an open rate near 5%, 1.86 / n, against 0.05 / n
//! unrandomized: the price of the privacy, paid in shoppers (docs/measuring.md). The purchase-after-open rate is a ratio of two such estimates; its
//! variance is the delta method's. Intervals are the normal approximation (the estimates are
//! sums of thousands of reports), clipped to [0, 1]; the estimates themselves are not, so
//! they stay unbiased.
//!
//! The difference between two arms is the second's estimate minus the first's (arms in name
//! order), tested two-sided against no difference with the z statistic.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Answer;
use super::randomizer::Randomizer;
use super::report::Report;
use crate::error::{Error, Result};

/// The normal quantile of a two-sided 95% interval.
const Z_95: f64 = 1.959_963_984_540_054;

/// An estimate with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// The unbiased estimate (it may stray outside [0, 1] when reports are few).
    pub estimate: f64,
    /// The interval's lower end.
    pub low: f64,
    /// The interval's upper end.
    pub high: f64,
    /// The estimate's standard error.
    #[serde(skip)]
    pub standard_error: f64,
}

impl Interval {
    fn of(estimate: f64, variance: f64) -> Self {
        let standard_error = variance.max(0.0).sqrt();
        Self {
            estimate,
            low: (estimate - Z_95 * standard_error).clamp(0.0, 1.0),
            high: (estimate + Z_95 * standard_error).clamp(0.0, 1.0),
            standard_error,
        }
    }

    /// Whether `value` is inside the interval.
    pub fn covers(&self, value: f64) -> bool {
        self.low <= value && value <= self.high
    }
}

/// What the reports of one arm say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArmEstimate {
    /// How many reports came from the arm.
    pub reports: usize,
    /// The share of its shoppers who opened a recommendation in the period.
    pub open: Interval,
    /// Among those, the share for whom a purchase followed; `None` (null) when the open rate's
    /// estimate is not above 0, so the ratio has no meaning.
    pub purchase_after_open: Option<Interval>,
}

/// The second arm's rate minus the first's, and how likely a difference this large would be
/// if the arms did not differ.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    /// The difference of the estimates.
    pub estimate: f64,
    /// The two-sided p-value of the z test.
    pub p_value: f64,
}

/// The differences between two arms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Differences {
    /// Of the open rates.
    pub open: Difference,
    /// Of the purchase-after-open rates; `None` when either arm has none.
    pub purchase_after_open: Option<Difference>,
}

/// What a set of reports says, per arm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimates {
    /// How many reports were read.
    pub reports: usize,
    /// The privacy budget they were randomized with.
    pub epsilon: f64,
    /// By arm name.
    pub arms: BTreeMap<String, ArmEstimate>,
    /// The second arm against the first, when there are exactly two.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<Differences>,
}

/// The estimates of every arm in `reports`, which must all be randomized with one ε.
pub fn estimate_arms(reports: &[Report]) -> Result<Estimates> {
    let Some(first) = reports.first() else {
        return Err(Error::InvalidData {
            reason: "there are no reports to estimate from".into(),
        });
    };
    let epsilon = first.epsilon;
    if let Some(other) = reports.iter().find(|report| report.epsilon != epsilon) {
        return Err(Error::InvalidData {
            reason: format!(
                "reports randomized with epsilon {epsilon} and {} cannot be pooled: estimate each set apart",
                other.epsilon
            ),
        });
    }
    let randomizer = Randomizer::new(epsilon)?;
    let mut counts: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for report in reports {
        counts.entry(&report.arm).or_default()[report.answer.index()] += 1;
    }
    let arms: BTreeMap<String, ArmEstimate> = counts
        .into_iter()
        .map(|(arm, counts)| (arm.to_owned(), estimate_arm(counts, &randomizer)))
        .collect();
    let difference = match arms.values().collect::<Vec<_>>()[..] {
        [first, second] => Some(Differences {
            open: difference(&first.open, &second.open),
            purchase_after_open: first
                .purchase_after_open
                .zip(second.purchase_after_open)
                .map(|(a, b)| difference(&a, &b)),
        }),
        _ => None,
    };
    Ok(Estimates {
        reports: reports.len(),
        epsilon,
        arms,
        difference,
    })
}

/// One arm's rates from how many of its reports carry each answer.
fn estimate_arm(counts: [usize; 3], randomizer: &Randomizer) -> ArmEstimate {
    let n = counts.iter().sum::<usize>() as f64;
    let share = |answer: Answer| counts[answer.index()] as f64 / n;
    let (q, scale) = (randomizer.other(), randomizer.keep() - randomizer.other());
    let (nothing, bought) = (share(Answer::Nothing), share(Answer::Bought));
    let sent_open = 1.0 - nothing;
    // The rate of shoppers who opened: their true answer was Opened or Bought.
    let open = (sent_open - 2.0 * q) / scale;
    let open_variance = sent_open * (1.0 - sent_open) / (n * scale * scale);
    let bought_rate = (bought - q) / scale;
    let bought_variance = bought * (1.0 - bought) / (n * scale * scale);
    let covariance = bought * nothing / (n * scale * scale);
    let purchase_after_open = (open > 0.0).then(|| {
        let ratio = bought_rate / open;
        let variance = bought_variance / open.powi(2)
            + ratio.powi(2) * open_variance / open.powi(2)
            - 2.0 * ratio * covariance / open.powi(2);
        Interval::of(ratio, variance)
    });
    ArmEstimate {
        reports: n as usize,
        open: Interval::of(open, open_variance),
        purchase_after_open,
    }
}

fn difference(first: &Interval, second: &Interval) -> Difference {
    let estimate = second.estimate - first.estimate;
    let standard_error = first.standard_error.hypot(second.standard_error);
    let p_value = if standard_error > 0.0 {
        erfc((estimate / standard_error).abs() / std::f64::consts::SQRT_2)
    } else if estimate == 0.0 {
        1.0
    } else {
        0.0
    };
    Difference { estimate, p_value }
}

/// The complementary error function, to a relative error below 1.2e-7 (the Chebyshev fit of
/// Press et al., Numerical Recipes, 6.2): enough for a p-value, and no dependency for it.
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = [
        -1.265_512_23,
        1.000_023_68,
        0.374_091_96,
        0.096_784_18,
        -0.186_288_06,
        0.278_868_07,
        -1.135_203_98,
        1.488_515_87,
        -0.822_152_23,
        0.170_872_77,
    ]
    .iter()
    .rev()
    .fold(0.0, |acc, c| c + t * acc);
    let value = t * (-z * z + poly).exp();
    if x >= 0.0 { value } else { 2.0 - value }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::simulate::{ArmTruth, Truth, simulate};

    #[test]
    fn erfc_matches_known_values() {
        for (x, expected) in [
            (0.0, 1.0),
            (0.5, 0.479_500_122),
            (1.0, 0.157_299_207),
            (1.959_964 / std::f64::consts::SQRT_2, 0.05),
            (2.0, 0.004_677_735),
            (-1.0, 1.842_700_793),
        ] {
            assert!((erfc(x) - expected).abs() < 1e-6, "erfc({x}) = {}", erfc(x));
        }
    }

    #[test]
    fn without_noise_the_estimates_are_the_counts() {
        // At the largest budget nearly every answer is true: the rates are the plain shares.
        let truth = Truth::two_arms(0.10, 0.20, 0.5);
        let reports = simulate(&truth, 40_000, crate::measure::randomizer::MAX_EPSILON, 1).unwrap();
        let estimates = estimate_arms(&reports).unwrap();
        let a = &estimates.arms["A"];
        assert!((a.open.estimate - 0.10).abs() < 0.01, "{a:?}");
        let after = a.purchase_after_open.unwrap();
        assert!((after.estimate - 0.5).abs() < 0.03, "{after:?}");
        let difference = estimates.difference.unwrap();
        assert!((difference.open.estimate - 0.10).abs() < 0.015);
        assert!(difference.open.p_value < 1e-6);
    }

    #[test]
    fn mixed_budgets_and_no_reports_are_refused() {
        let mut reports = simulate(&Truth::two_arms(0.05, 0.06, 0.2), 100, 1.0, 2).unwrap();
        reports[7].epsilon = 2.0;
        let message = estimate_arms(&reports).unwrap_err().to_string();
        assert!(
            message.contains("epsilon 1 and 2 cannot be pooled"),
            "{message}"
        );
        assert!(estimate_arms(&[]).is_err());
    }

    #[test]
    fn one_arm_has_no_difference_and_a_rate_at_zero_has_no_ratio() {
        let truth = Truth {
            arms: BTreeMap::from([(
                "only".to_owned(),
                ArmTruth {
                    share: 1.0,
                    open: 0.0,
                    purchase_after_open: 0.0,
                },
            )]),
        };
        let estimates = estimate_arms(&simulate(&truth, 2_000, 1.0, 3).unwrap()).unwrap();
        assert!(estimates.difference.is_none());
        assert!(estimates.arms["only"].open.covers(0.0));
    }
}
