//! A deterministic, bounded search for the best settings on a grid: coordinate ascent that moves
//! only for a difference larger than its noise.
//!
//! Each setting (an [`Axis`]) has a short list of candidate values. Starting from each axis's
//! `start`, the search tries every other value of one axis with the rest held, and moves to the
//! best of them only when its gain over the value held is significant: a one-sided test of
//! their paired difference at [`FALSE_MOVE`], split over the candidates the sweep compares
//! (Bonferroni), since the best of five candidates that are no better than the value held
//! beats it by one standard error about half the time. Then it moves to the next axis, and
//! sweeps the axes again until a sweep changes nothing or the budget of evaluations is spent.
//! The objective gives one score per sample (per validation customer, say), so the error is
//! that of the mean of the per-sample differences. On a large validation set small real gains
//! pass; on a small one, differences within the noise do not move the settings away from where
//! they started. A point already scored is never scored again, and the same objective always
//! gives the same answer.
//!
//! Grid search over every combination would cost the product of the axes' lengths (millions
//! for the blend); coordinate ascent costs their sum per sweep, and the settings it tunes
//! interact little beyond their common scale.
//!
//! ```
//! use aisle_core::eval::coordinate_search::{Axis, coordinate_ascent};
//! let axes = [Axis::new("x", &[-2.0, -1.0, 0.0, 1.0, 2.0], 0), Axis::new("y", &[0.0, 3.0], 0)];
//! // Best at x = 1, y = 3; the same for every sample, so every difference is clear.
//! let found = coordinate_ascent(&axes, 100, |v| vec![-(v[0] - 1.0).powi(2) + v[1]; 10], |_, _| {});
//! assert_eq!(found.values, [1.0, 3.0]);
//! assert!(found.evaluations <= 100);
//! ```

use std::collections::HashMap;

/// One setting to search, with its candidate values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The setting's name, for reports.
    pub name: &'static str,
    /// Candidate values, in the order they are tried.
    pub values: Vec<f64>,
    /// Index of the value the search starts from.
    pub start: usize,
}

impl Axis {
    /// An axis over `values`, starting from `values[start]` (the first when out of range).
    pub fn new(name: &'static str, values: &[f64], start: usize) -> Self {
        Self {
            name,
            values: values.to_vec(),
            start: if start < values.len() { start } else { 0 },
        }
    }
}

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The best value of each axis, in axis order.
    pub values: Vec<f64>,
    /// The objective's mean there.
    pub score: f64,
    /// How many points were scored.
    pub evaluations: usize,
}

/// Maximises the mean of `objective` (given one value per axis, it returns one score per
/// sample, the same samples in the same order every time) by coordinate ascent, scoring at most
/// `budget` points (at least the start). `progress` hears (points scored, budget) after each.
pub fn coordinate_ascent(
    axes: &[Axis],
    budget: usize,
    mut objective: impl FnMut(&[f64]) -> Vec<f64>,
    progress: impl FnMut(usize, usize),
) -> Found {
    coordinate_ascent_batched(
        axes,
        budget,
        |points| points.iter().map(|point| objective(point)).collect(),
        progress,
    )
}

/// [`coordinate_ascent`] with an objective that scores several points at once (one list of
/// samples per point, in their order): every value of one axis that a sweep tries with the
/// rest held, as many as the budget allows, so that work they share is done once (EASE's
/// counting across λ). It scores the same points and finds the same answer.
pub fn coordinate_ascent_batched(
    axes: &[Axis],
    budget: usize,
    mut objective: impl FnMut(&[Vec<f64>]) -> Vec<Vec<f64>>,
    mut progress: impl FnMut(usize, usize),
) -> Found {
    let budget = budget.max(1);
    let values = |at: &[usize]| -> Vec<f64> {
        at.iter()
            .zip(axes)
            .map(|(&index, axis)| axis.values[index])
            .collect()
    };
    let mut score = |points: &[Vec<usize>]| -> Vec<Vec<f64>> {
        let batch: Vec<Vec<f64>> = points.iter().map(|point| values(point)).collect();
        let samples = objective(&batch);
        assert_eq!(samples.len(), points.len(), "one list of samples per point");
        samples
    };
    let mut scored: HashMap<Vec<usize>, Vec<f64>> = HashMap::new();
    let mut current: Vec<usize> = axes.iter().map(|axis| axis.start).collect();
    let start = score(std::slice::from_ref(&current));
    scored.extend(std::iter::once(current.clone()).zip(start));
    progress(scored.len(), budget);
    'sweeps: loop {
        let mut changed = false;
        for (position, axis) in axes.iter().enumerate() {
            let held = current.clone();
            let points: Vec<Vec<usize>> = (0..axis.values.len())
                .filter(|&candidate| candidate != held[position])
                .map(|candidate| {
                    let mut point = held.clone();
                    point[position] = candidate;
                    point
                })
                .collect();
            let unscored: Vec<Vec<usize>> = points
                .iter()
                .filter(|point| !scored.contains_key(*point))
                .cloned()
                .collect();
            let affordable = unscored.len().min(budget.saturating_sub(scored.len()));
            if affordable > 0 {
                let samples = score(&unscored[..affordable]);
                for (point, samples) in unscored[..affordable].iter().zip(samples) {
                    scored.insert(point.clone(), samples);
                    progress(scored.len(), budget);
                }
            }
            // Candidates are compared in order, up to the first the budget left unscored.
            let mut best: Option<(usize, f64)> = None;
            for point in &points {
                let Some(samples) = scored.get(point) else {
                    break;
                };
                let gain = clear_gain(samples, &scored[&held], points.len());
                if gain.is_some_and(|gain| best.is_none_or(|(_, best)| gain > best)) {
                    best = gain.map(|gain| (point[position], gain));
                }
            }
            if let Some((value, _)) = best {
                current[position] = value;
                changed = true;
            }
            if affordable < unscored.len() {
                break 'sweeps;
            }
        }
        if !changed {
            break;
        }
    }
    Found {
        score: mean(&scored[&current]),
        values: values(&current),
        evaluations: scored.len(),
    }
}

/// The chance that a sweep of an axis moves when none of its candidates is better than the
/// value held: the conventional 5%.
pub const FALSE_MOVE: f64 = 0.05;

/// How much `candidate`'s mean beats `held`'s, when the gain is significant as one of
/// `compared` candidates ([`noise_bar`] standard errors of the mean paired difference); `None`
/// otherwise.
fn clear_gain(candidate: &[f64], held: &[f64], compared: usize) -> Option<f64> {
    let n = candidate.len().min(held.len());
    if n == 0 {
        return None;
    }
    let differences: Vec<f64> = candidate.iter().zip(held).map(|(c, h)| c - h).collect();
    let gain = mean(&differences);
    let variance = if n > 1 {
        differences.iter().map(|d| (d - gain).powi(2)).sum::<f64>() / (n - 1) as f64
    } else {
        0.0
    };
    let error = (variance / n as f64).sqrt();
    (gain > noise_bar(compared) * error && gain > 0.0).then_some(gain)
}

/// Standard errors a gain must exceed when it is the best of `compared` candidates: the normal
/// quantile with [`FALSE_MOVE`] `/ compared` above it (1.64 for one candidate, 2.33 for five).
fn noise_bar(compared: usize) -> f64 {
    upper_normal_quantile(FALSE_MOVE / compared.max(1) as f64)
}

/// The `z` a standard normal exceeds with chance `p` (`0 < p <= 0.5`), within 0.00045: the
/// rational approximation of Abramowitz and Stegun, 26.2.23.
fn upper_normal_quantile(p: f64) -> f64 {
    let t = (-2.0 * p.ln()).sqrt();
    let numerator = 2.515_517 + t * (0.802_853 + t * 0.010_328);
    let denominator = 1.0 + t * (1.432_788 + t * (0.189_269 + t * 0.001_308));
    t - numerator / denominator
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same score for 20 samples: every difference is clear.
    fn certain(score: f64) -> Vec<f64> {
        vec![score; 20]
    }

    /// 20 samples of mean `score`, alternately `spread` above and below it.
    fn alternating(score: f64, spread: f64) -> Vec<f64> {
        (0..20)
            .map(|i| {
                if i % 2 == 0 {
                    score + spread
                } else {
                    score - spread
                }
            })
            .collect()
    }

    #[test]
    fn finds_the_optimum_of_a_separable_objective_and_counts_each_point_once() {
        let grid = [0.0, 1.0, 2.0, 3.0];
        let axes = [Axis::new("a", &grid, 0), Axis::new("b", &grid, 3)];
        let mut calls = 0;
        let found = coordinate_ascent(
            &axes,
            1_000,
            |v| {
                calls += 1;
                certain(-(v[0] - 2.0).abs() - (v[1] - 1.0).abs())
            },
            |_, _| {},
        );
        assert_eq!(found.values, [2.0, 1.0]);
        assert_eq!(found.score, 0.0);
        assert_eq!(calls, found.evaluations);
        // First sweep: 4 points on a (start included) and 3 new on b; the second sweep finds
        // nothing new to score but one point on a.
        assert!(found.evaluations <= 10, "{}", found.evaluations);
    }

    #[test]
    fn stops_at_the_budget_and_keeps_the_best_so_far() {
        let axes = [Axis::new("a", &[0.0, 1.0, 2.0, 3.0, 4.0], 0)];
        let found = coordinate_ascent(&axes, 3, |v| certain(v[0]), |_, _| {});
        assert_eq!(found.evaluations, 3);
        assert_eq!(found.values, [2.0]);
    }

    #[test]
    fn a_batch_is_one_axis_sweep_cut_at_the_budget() {
        let grid = [0.0, 1.0, 2.0, 3.0];
        let axes = [Axis::new("a", &grid, 0), Axis::new("b", &grid, 0)];
        let objective = |v: &[f64]| certain(-(v[0] - 2.0).abs() - (v[1] - 1.0).abs());
        for budget in [1, 3, 5, 6, 100] {
            let mut batches = Vec::new();
            let found = coordinate_ascent_batched(
                &axes,
                budget,
                |points| {
                    batches.push(points.to_vec());
                    points.iter().map(|point| objective(point)).collect()
                },
                |_, _| {},
            );
            let one_at_a_time = coordinate_ascent(&axes, budget, objective, |_, _| {});
            assert_eq!(found, one_at_a_time);
            // The start alone, then each sweep of an axis: the values it has not scored.
            assert_eq!(batches[0], [vec![0.0, 0.0]]);
            if budget >= 4 {
                assert_eq!(batches[1], [vec![1.0, 0.0], vec![2.0, 0.0], vec![3.0, 0.0]]);
            }
            let scored: usize = batches.iter().map(Vec::len).sum();
            assert_eq!(scored, found.evaluations);
            assert!(scored <= budget);
            for batch in &batches[1..] {
                let held_b: Vec<f64> = batch.iter().map(|point| point[1]).collect();
                let held_a: Vec<f64> = batch.iter().map(|point| point[0]).collect();
                assert!(
                    held_a.iter().all(|&a| a == held_a[0])
                        || held_b.iter().all(|&b| b == held_b[0])
                );
            }
        }
        // With budget 3 the first sweep of `a` gets two of its three values: a = 2 is the
        // best of them.
        let found = coordinate_ascent_batched(
            &axes,
            3,
            |points| points.iter().map(|point| objective(point)).collect(),
            |_, _| {},
        );
        assert_eq!(found.values, [2.0, 0.0]);
    }

    #[test]
    fn ties_keep_the_value_held() {
        let axes = [Axis::new("a", &[0.0, 1.0, 2.0], 1)];
        let found = coordinate_ascent(&axes, 10, |_| certain(1.0), |_, _| {});
        assert_eq!(found.values, [1.0]);
    }

    #[test]
    fn a_gain_within_the_noise_does_not_move_the_search() {
        // Value 1 beats value 0 by 0.01 on average, but the samples disagree: half gain 1.01,
        // half lose 0.99. The mean difference is far within its standard error.
        let noisy = |v: &[f64]| alternating(0.01 * v[0], v[0]);
        let axes = [Axis::new("a", &[0.0, 1.0], 0)];
        assert_eq!(coordinate_ascent(&axes, 10, noisy, |_, _| {}).values, [0.0]);
        // The same mean gain with every sample agreeing moves it.
        let clear = |v: &[f64]| certain(0.01 * v[0]);
        assert_eq!(coordinate_ascent(&axes, 10, clear, |_, _| {}).values, [1.0]);
    }

    #[test]
    fn the_more_candidates_a_sweep_compares_the_clearer_a_gain_must_be() {
        // Value 1 gains 0.46 ± 1 over value 0, a mean difference of two standard errors
        // (their deviation over the square root of 19); every other value scores as 0 does.
        let two_errors = |v: &[f64]| {
            if v[0] == 1.0 {
                alternating(0.46, 1.0)
            } else {
                certain(0.0)
            }
        };
        let one_candidate = [Axis::new("a", &[0.0, 1.0], 0)];
        let found = coordinate_ascent(&one_candidate, 10, two_errors, |_, _| {});
        assert_eq!(found.values, [1.0]);
        let five_candidates = [Axis::new("a", &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0], 0)];
        let found = coordinate_ascent(&five_candidates, 10, two_errors, |_, _| {});
        assert_eq!(found.values, [0.0]);
    }

    #[test]
    fn the_noise_bar_is_the_normal_quantile() {
        // Tabulated: 1.6449 (5%), 2.3263 (1%), 2.5758 (0.5%).
        for (compared, z) in [(1, 1.6449), (5, 2.3263), (10, 2.5758)] {
            assert!(
                (noise_bar(compared) - z).abs() < 5e-4,
                "{compared}: {}",
                noise_bar(compared)
            );
        }
    }
}
