//! A deterministic, bounded search for the best settings on a grid: coordinate ascent.
//!
//! Each setting (an [`Axis`]) has a short list of candidate values. Starting from each axis's
//! `start`, the search tries every other value of one axis with the rest held, keeps the best,
//! and moves to the next axis; it sweeps the axes again until a sweep changes nothing or the
//! budget of evaluations is spent. A point already scored is never scored again, and ties keep
//! the value held before, so the same objective always gives the same answer.
//!
//! Grid search over every combination would cost the product of the axes' lengths (millions
//! for the blend); coordinate ascent costs their sum per sweep, and the settings it tunes
//! interact little beyond their common scale.
//!
//! ```
//! use aisle_core::coordinate_search::{Axis, coordinate_ascent};
//! let axes = [Axis::new("x", &[-2.0, -1.0, 0.0, 1.0, 2.0], 0), Axis::new("y", &[0.0, 3.0], 0)];
//! // Best at x = 1, y = 3.
//! let found = coordinate_ascent(&axes, 100, |v| -(v[0] - 1.0).powi(2) + v[1], |_, _| {});
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
    /// The objective there.
    pub score: f64,
    /// How many points were scored.
    pub evaluations: usize,
}

/// Maximises `objective` (given one value per axis) by coordinate ascent, scoring at most
/// `budget` points (at least the start). `progress` hears (points scored, budget) after each.
pub fn coordinate_ascent(
    axes: &[Axis],
    budget: usize,
    mut objective: impl FnMut(&[f64]) -> f64,
    mut progress: impl FnMut(usize, usize),
) -> Found {
    let budget = budget.max(1);
    let values = |at: &[usize]| -> Vec<f64> {
        at.iter()
            .zip(axes)
            .map(|(&index, axis)| axis.values[index])
            .collect()
    };
    let mut scored: HashMap<Vec<usize>, f64> = HashMap::new();
    let mut current: Vec<usize> = axes.iter().map(|axis| axis.start).collect();
    let mut best = objective(&values(&current));
    scored.insert(current.clone(), best);
    progress(scored.len(), budget);
    'sweeps: loop {
        let mut changed = false;
        for (position, axis) in axes.iter().enumerate() {
            let mut best_here = current[position];
            for candidate in 0..axis.values.len() {
                let mut point = current.clone();
                point[position] = candidate;
                let score = match scored.get(&point) {
                    Some(&score) => score,
                    None => {
                        if scored.len() >= budget {
                            current[position] = best_here;
                            break 'sweeps;
                        }
                        let score = objective(&values(&point));
                        scored.insert(point, score);
                        progress(scored.len(), budget);
                        score
                    }
                };
                if score > best {
                    best = score;
                    best_here = candidate;
                }
            }
            if best_here != current[position] {
                current[position] = best_here;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    Found {
        values: values(&current),
        score: best,
        evaluations: scored.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                -(v[0] - 2.0).abs() - (v[1] - 1.0).abs()
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
        let found = coordinate_ascent(&axes, 3, |v| v[0], |_, _| {});
        assert_eq!(found.evaluations, 3);
        assert_eq!(found.values, [2.0]);
    }

    #[test]
    fn ties_keep_the_value_held() {
        let axes = [Axis::new("a", &[0.0, 1.0, 2.0], 1)];
        let found = coordinate_ascent(&axes, 10, |_| 1.0, |_, _| {});
        assert_eq!(found.values, [1.0]);
    }
}
