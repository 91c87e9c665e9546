//! Trending: popularity that fades with time, so what sells this week outranks what sold in
//! spring.
//!
//! Each customer buying a product on a day counts `exp(−age / time_constant)`, with age measured
//! back from `now`; sums are scaled so the top product scores 1, and each score is kept to 16
//! bits ([`bfloat16`]), as the bundle ships it. A gift shop's catalogue is
//! seasonal (the demo log's test weeks are the run-up to Christmas), so a short time constant of
//! a week is the default: it is both the "Trending" shelf and the season signal of the blend.
//!
//! ```
//! use aisle_core::models::trending::Trending;
//! # use aisle_core::{catalog::Catalog, input::orders::OrderLine};
//! # let catalog = Catalog::from_orders(&[OrderLine::purchase("c", "A", 0), OrderLine::purchase("c", "B", 0)]);
//! let line = |item: &str, at: i64| OrderLine::purchase("c", item, at);
//! let day = 86_400;
//! let lines = [line("A", 0), line("B", 100 * day)]; // A long ago, B just now
//! let trend = Trending::params().fit(&catalog, &lines, 100 * day).unwrap();
//! assert_eq!(trend.scores()[1], 1.0);
//! assert!(trend.scores()[0] < 0.001);
//! ```

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::error::{Result, ensure_positive};
use crate::input::orders::OrderLine;
use crate::math::bfloat16;
use crate::statistics::{BuyerDay, DAY, buyer_days};

/// Settings for [`Trending`]; check and fit with [`TrendingParams::fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrendingParams {
    time_constant_days: f64,
}

/// Time-decayed popularity per catalog position, in [0, 1].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trending {
    scores: Vec<f32>,
}

impl Trending {
    /// Default: a time constant of 7 days.
    pub fn params() -> TrendingParams {
        TrendingParams {
            time_constant_days: 7.0,
        }
    }

    /// Wraps precomputed scores, one per catalog position, each rounded to 16 bits
    /// ([`bfloat16::round`]) as a bundle ships them.
    pub fn from_scores(mut scores: Vec<f32>) -> Self {
        for score in &mut scores {
            *score = bfloat16::round(*score);
        }
        Self { scores }
    }

    /// Each product's score, by catalog position; the most trending is 1.
    pub fn scores(&self) -> &[f32] {
        &self.scores
    }
}

impl TrendingParams {
    /// Days over which a purchase's weight falls to 1/e (> 0).
    pub fn time_constant_days(mut self, days: f64) -> Self {
        self.time_constant_days = days;
        self
    }

    /// Weighs distinct (customer, product, day) purchases up to `now` (seconds since the epoch);
    /// later lines are ignored.
    pub fn fit(&self, catalog: &Catalog, lines: &[OrderLine], now: i64) -> Result<Trending> {
        let days = buyer_days(lines, |item| Some(catalog.position(item)? as u32));
        self.fit_days(catalog.len(), &days, Some, now)
    }

    /// Scores for `n_items` catalog products from their buyer days ([`buyer_days`]), as of
    /// `now`: `position` gives a day's product its catalog position, and days of products
    /// without one, or after `now`, are left out.
    pub fn fit_days(
        &self,
        n_items: usize,
        days: &[BuyerDay],
        position: impl Fn(u32) -> Option<u32>,
        now: i64,
    ) -> Result<Trending> {
        ensure_positive("time_constant_days", self.time_constant_days)?;
        let mut sums = vec![0.0f64; n_items];
        for day in days.iter().filter(|day| day.at <= now) {
            if let Some(item) = position(day.product) {
                let age_days = (now - day.at) as f64 / DAY as f64;
                sums[item as usize] += (-age_days / self.time_constant_days).exp();
            }
        }
        let top = sums.iter().copied().fold(0.0, f64::max);
        let scores = sums
            .into_iter()
            .map(|sum| if top > 0.0 { (sum / top) as f32 } else { 0.0 })
            .collect();
        Ok(Trending::from_scores(scores))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::fixtures;

    fn line(customer: &str, item: &str, at: i64) -> OrderLine {
        OrderLine::purchase(customer, item, at)
    }

    #[test]
    fn recent_buyers_count_more_and_repeats_within_a_day_once() {
        let catalog = fixtures::catalog(&["A", "B"]);
        let day = DAY;
        let now = 10 * day + 3_600; // 01:00, so a minute earlier is the same day
        let lines = [
            line("c1", "A", now),           // today: weight 1
            line("c1", "A", now - 60),      // same customer, same day: not again
            line("c2", "B", now - 7 * day), // a week ago: e^-1
            line("c3", "B", now - 7 * day), // another customer: e^-1
            line("c4", "B", now + day),     // after now: ignored
        ];
        let trend = Trending::params().fit(&catalog, &lines, now).unwrap();
        // A = 1, B = 2/e = 0.7358 to 16 bits: B is below A, and A is the scale.
        assert_eq!(trend.scores()[0], 1.0);
        let b = (2.0 * (-1.0f64).exp()) as f32;
        assert_eq!(trend.scores()[1], bfloat16::round(b));
        assert!((trend.scores()[1] - b).abs() < b / 256.0);
    }

    #[test]
    fn a_bad_time_constant_is_named() {
        let error = Trending::params()
            .time_constant_days(0.0)
            .fit(&Catalog::default(), &[], 0)
            .unwrap_err();
        assert!(matches!(
            error,
            Error::InvalidParameter {
                name: "time_constant_days",
                ..
            }
        ));
    }
}
