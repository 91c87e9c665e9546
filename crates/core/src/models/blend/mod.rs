//! The Aisle blend: how "For you" and "Buy it again" rank, and the model `aisle evaluate`
//! reports as `aisle`, from the same code and the same [`BlendSettings`].
//!
//! A product's score for a shopper is the sum of
//! - **explore** signals, which any product can get:
//!   - the **co-purchase** (EASE) and **look-alike** (title TF-IDF) pull of each product in the
//!     shopper's history, each faded by how long ago it was last bought or viewed
//!     (`exp(−age / history_days)`) and, for a bought product, grown with how often
//!     (`orders ^ history_frequency`); a product only viewed pulls [`BROWSED_PULL`];
//!   - **trending** (what sells this week) and all-time **popularity**;
//! - and a **repeat** signal, which only products the shopper bought get: the wish to buy
//!   again, `repeat · F ^ repeat_frequency · (1 + season · trending) · rate ^ repeat_item_rate
//!   · share ^ repeat_user_rate`, where `F` counts the product's orders each faded by its age
//!   (`exp(−age / repeat_days)`), re-orders cluster in season, `rate` is the share of the
//!   product's buyers who bought it again and `share` the share of the shopper's own orders that
//!   were re-orders ([`repeat_share`]).
//!
//! "For you" shows the best products the shopper has not bought (task `new` of the
//! evaluation), "Buy it again" the best of those they have, and task `all` ranks both together.
//! How much each signal counts is learned per shop on a validation window ([`tune`]), so a
//! signal that does not help a shop is switched off there.
//!
//! ```
//! use aisle_core::models::blend::{Blend, BlendSettings, HistoryItem};
//! use aisle_core::models::history_rows::HistoryRows;
//! use aisle_core::models::item_weights::ItemWeights;
//! use aisle_core::math::sparse::SparseRows;
//! // Item 1 goes with item 0; item 2 is trending.
//! let ease = ItemWeights::from_targets(SparseRows::from_rows(vec![vec![], vec![(0, 1.0)], vec![]]));
//! let settings = BlendSettings { content: 0.0, popularity: 0.0, ..BlendSettings::DEFAULT };
//! let history = HistoryRows::whole(ease, vec![0.5; 3]);
//! let blend = Blend::new(settings, history, vec![0.0, 0.0, 1.0], vec![0.0; 3]);
//! let mut scores = vec![0.0; 3];
//! let bought = HistoryItem { item: 0, orders: 1.0, first_at: 0, last_at: 0 };
//! blend.add_explore_scores(&[bought], 0, None, &mut scores);
//! assert!(scores[1] > scores[2] && scores[2] > scores[0]);
//! ```

mod settings;
#[cfg(feature = "train-dense")]
pub mod tune;

pub use settings::{BlendSettings, Tuning, ValidationReport};

use crate::catalog::content::ContentIndex;
use crate::models::history_rows::HistoryRows;
use crate::models::interactions::Purchase;

/// How much a product viewed (or put in the cart) but never bought pulls its partners, as a
/// share of a product bought once. Offline histories hold purchases only, so this cannot be
/// learned there; a view says less about a taste than paying for it does.
pub const BROWSED_PULL: f32 = 0.5;

const DAY_SECONDS: f32 = 86_400.0;

/// Something in the shopper's history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistoryItem {
    /// Catalog position.
    pub item: u32,
    /// Distinct orders that included it (0 for a product only viewed or in the cart).
    pub orders: f32,
    /// When the shopper first bought it (or, never bought, as `last_at`), seconds since the
    /// epoch.
    pub first_at: i64,
    /// When the shopper last bought it (or, never bought, last viewed it), seconds since the
    /// epoch.
    pub last_at: i64,
}

impl From<&Purchase> for HistoryItem {
    fn from(purchase: &Purchase) -> Self {
        Self {
            item: purchase.item,
            orders: purchase.orders as f32,
            first_at: purchase.first_at,
            last_at: purchase.last_at,
        }
    }
}

/// Which signal gave a product the largest share of its explore score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The pull of the history product at this index of the history given.
    History(usize),
    /// What sells this week.
    Trending,
    /// All-time popularity.
    Popularity,
}

/// The blend's model parts and settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Blend {
    settings: BlendSettings,
    /// The EASE rows and re-order rates, whole or arriving shard by shard in a store
    /// ([`HistoryRows::awaiting`]): ranking a history reads its items' rows, a new shopper's
    /// first page none.
    history: HistoryRows,
    trend: Vec<f32>,
    popularity: Vec<f32>,
}

impl Default for Blend {
    fn default() -> Self {
        Self::new(
            BlendSettings::DEFAULT,
            HistoryRows::default(),
            Vec::new(),
            Vec::new(),
        )
    }
}

impl Blend {
    /// Combines what each history product brings (sparsified EASE weights and the share of
    /// its buyers who bought it again, whole or arriving by shard: a row not yet here adds
    /// nothing), trending scores and normalised popularity under `settings`.
    pub fn new(
        settings: BlendSettings,
        history: HistoryRows,
        trend: Vec<f32>,
        popularity: Vec<f32>,
    ) -> Self {
        Self {
            settings,
            history,
            trend,
            popularity,
        }
    }

    /// The settings it ranks with.
    pub fn settings(&self) -> &BlendSettings {
        &self.settings
    }

    /// What each history product brings: its EASE row and re-order rate.
    pub fn history(&self) -> &HistoryRows {
        &self.history
    }

    /// The trending scores, by catalog position.
    pub fn trend(&self) -> &[f32] {
        &self.trend
    }

    /// True when ranking reads title similarity, so the caller must supply a content index.
    pub fn needs_content(&self) -> bool {
        self.settings.content > 0.0
    }

    /// How strongly a history product pulls its partners at `now` (seconds since the epoch).
    pub fn pull(&self, entry: &HistoryItem, now: i64) -> f32 {
        pull(&self.settings, entry, now)
    }

    /// Adds every product's explore score for a shopper with this `history` at `now`. Title
    /// similarity is read from `content` when the settings weigh it (see
    /// [`Blend::needs_content`]).
    pub fn add_explore_scores(
        &self,
        history: &[HistoryItem],
        now: i64,
        content: Option<&ContentIndex>,
        scores: &mut [f32],
    ) {
        self.add_explore_scores_as(&self.settings, history, now, content, scores);
    }

    /// [`Blend::add_explore_scores`] with other settings: a shelf weighing the signals its own
    /// way.
    pub fn add_explore_scores_as(
        &self,
        settings: &BlendSettings,
        history: &[HistoryItem],
        now: i64,
        content: Option<&ContentIndex>,
        scores: &mut [f32],
    ) {
        for entry in history {
            let pull = pull(settings, entry, now);
            if settings.co_purchase > 0.0 {
                self.history
                    .add_scores(entry.item, settings.co_purchase * pull, scores);
            }
            if let Some(content) = content.filter(|_| settings.content > 0.0) {
                content.add_similar_to_others(entry.item as usize, settings.content * pull, scores);
            }
        }
        add_scaled(settings.trending, &self.trend, scores);
        add_scaled(settings.popularity, &self.popularity, scores);
    }

    /// How strongly to suggest buying a history product again at `now`, for a shopper whose
    /// history has this [`repeat_share`]; 0 for one never bought.
    pub fn repeat_score(&self, entry: &HistoryItem, now: i64, repeat_share: f32) -> f32 {
        if entry.orders <= 0.0 {
            return 0.0;
        }
        let settings = &self.settings;
        let in_season = self.trend_of(entry.item as usize);
        let rate = self.history.repeat_rate(entry.item as usize).unwrap_or(1.0);
        settings.repeat
            * faded_orders(entry, now, settings.repeat_days).powf(settings.repeat_frequency)
            * (1.0 + settings.season * in_season)
            * rate.powf(settings.repeat_item_rate)
            * repeat_share.powf(settings.repeat_user_rate)
    }

    /// Adds every product's whole score (explore, and repeat for what was bought): the ranking
    /// of task `all`.
    pub fn add_scores(
        &self,
        history: &[HistoryItem],
        now: i64,
        content: Option<&ContentIndex>,
        scores: &mut [f32],
    ) {
        self.add_explore_scores(history, now, content, scores);
        let share = repeat_share(history);
        for entry in history {
            scores[entry.item as usize] += self.repeat_score(entry, now, share);
        }
    }

    /// The signal that gave `target` most of its explore score, for "Why this?", with its
    /// share of the score.
    pub fn strongest_source(
        &self,
        target: usize,
        history: &[HistoryItem],
        now: i64,
        content: Option<&ContentIndex>,
    ) -> (Source, f32) {
        self.strongest_source_as(&self.settings, target, history, now, content)
    }

    /// [`Blend::strongest_source`] under other settings.
    pub fn strongest_source_as(
        &self,
        settings: &BlendSettings,
        target: usize,
        history: &[HistoryItem],
        now: i64,
        content: Option<&ContentIndex>,
    ) -> (Source, f32) {
        let mut pulls = vec![0.0f32; history.len()];
        if settings.co_purchase > 0.0 {
            for (index, entry) in history.iter().enumerate() {
                pulls[index] +=
                    settings.co_purchase * self.history.weight(entry.item, target as u32);
            }
        }
        if let Some(content) = content.filter(|_| settings.content > 0.0) {
            for (index, entry) in history.iter().enumerate() {
                pulls[index] += settings.content * content.cosine(entry.item as usize, target);
            }
        }
        let mut best = (Source::Trending, settings.trending * self.trend_of(target));
        let popular = settings.popularity * self.popularity.get(target).copied().unwrap_or(0.0);
        if popular > best.1 {
            best = (Source::Popularity, popular);
        }
        for (index, entry) in history.iter().enumerate() {
            let share = pulls[index] * pull(settings, entry, now);
            if share > best.1 {
                best = (Source::History(index), share);
            }
        }
        best
    }

    fn trend_of(&self, item: usize) -> f32 {
        self.trend.get(item).copied().unwrap_or(0.0)
    }
}

/// How strongly a history product pulls its partners under `settings` at `now`.
fn pull(settings: &BlendSettings, entry: &HistoryItem, now: i64) -> f32 {
    let strength = if entry.orders > 0.0 {
        entry.orders.powf(settings.history_frequency)
    } else {
        BROWSED_PULL
    };
    strength * fade(now - entry.last_at, settings.history_days)
}

/// Of the shopper's orders of the products they bought, the share that were re-orders:
/// `Σ (orders − 1) / Σ orders`; 0 before any purchase. How much of what they buy is buying
/// again, whatever the product.
pub fn repeat_share(history: &[HistoryItem]) -> f32 {
    let (orders, again) = history
        .iter()
        .filter(|entry| entry.orders > 0.0)
        .fold((0.0f32, 0.0f32), |(orders, again), entry| {
            (orders + entry.orders, again + entry.orders - 1.0)
        });
    if orders > 0.0 { again / orders } else { 0.0 }
}

/// The product's orders, each faded by its age at `now` (`exp(−age / days)`). A history keeps
/// only the first and last order and their count, so the orders between are taken as evenly
/// spaced: `fade(last) · (1 − rⁿ) / (1 − r)` with `r = fade(gap)`.
fn faded_orders(entry: &HistoryItem, now: i64, days: f32) -> f32 {
    let latest = fade(now - entry.last_at, days);
    let orders = entry.orders.max(1.0);
    if orders <= 1.0 || entry.last_at <= entry.first_at {
        return latest * orders;
    }
    let gap = (entry.last_at - entry.first_at) as f32 / (orders - 1.0);
    let ratio = (-(gap / DAY_SECONDS) / days).exp();
    if 1.0 - ratio < 1e-6 {
        latest * orders
    } else {
        latest * (1.0 - ratio.powf(orders)) / (1.0 - ratio)
    }
}

/// `exp(−age / days)` for an age in seconds (a future time counts as now).
fn fade(age_seconds: i64, days: f32) -> f32 {
    let age_days = age_seconds.max(0) as f32 / DAY_SECONDS;
    (-age_days / days).exp()
}

fn add_scaled(weight: f32, values: &[f32], scores: &mut [f32]) {
    if weight > 0.0 {
        for (score, value) in scores.iter_mut().zip(values) {
            *score += weight * value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::sparse::SparseRows;
    use crate::models::item_weights::ItemWeights;

    const DAY: i64 = 86_400;

    fn settings() -> BlendSettings {
        BlendSettings {
            co_purchase: 1.0,
            content: 0.0,
            trending: 0.15,
            popularity: 0.1,
            history_days: 180.0,
            history_frequency: 1.0,
            repeat: 0.4,
            repeat_days: 90.0,
            repeat_frequency: 1.0,
            repeat_item_rate: 0.0,
            repeat_user_rate: 0.0,
            season: 2.0,
            ..BlendSettings::DEFAULT
        }
    }

    fn blend(settings: BlendSettings) -> Blend {
        // Target 1 is fed by item 0 (0.5); target 2 by item 0 (0.2). Item 3 trends; item 2 is
        // the most popular. Half of item 0's buyers buy it again, a quarter of the others'.
        let ease = ItemWeights::from_targets(SparseRows::from_rows(vec![
            vec![],
            vec![(0, 0.5)],
            vec![(0, 0.2)],
            vec![],
        ]));
        Blend::new(
            settings,
            HistoryRows::whole(ease, vec![0.5, 0.25, 0.25, 0.25]),
            vec![0.0, 0.0, 0.0, 1.0],
            vec![0.0, 0.0, 1.0, 0.5],
        )
    }

    fn bought(item: u32, orders: f32, first_at: i64, last_at: i64) -> HistoryItem {
        HistoryItem {
            item,
            orders,
            first_at,
            last_at,
        }
    }

    #[test]
    fn each_signal_adds_its_hand_computed_share() {
        let now = 1_000 * DAY;
        // Bought twice, 270 and 180 days ago.
        let history = [bought(0, 2.0, now - 270 * DAY, now - 180 * DAY)];
        let mut scores = vec![0.0; 4];
        blend(settings()).add_scores(&history, now, None, &mut scores);
        // Pull: 2 orders ^ 1 × e^-1 (180 of 180 days). Repeat: 0.4 × the two orders faded
        // over 90 days (e^-2 + e^-3) × (1 + 2 × 0 out of season).
        let pull = 2.0 * (-1.0f32).exp();
        let repeat = 0.4 * ((-2.0f32).exp() + (-3.0f32).exp());
        let expected = [repeat, 0.5 * pull, 0.2 * pull + 0.1, 0.15 + 0.05];
        for (got, want) in scores.iter().zip(expected) {
            assert!((got - want).abs() < 1e-6, "{scores:?} vs {expected:?}");
        }
    }

    #[test]
    fn orders_between_the_first_and_last_are_taken_as_evenly_spaced() {
        // Three orders at 0, 45 and 90 days before now, faded over 45 days: 1 + e^-1 + e^-2.
        let now = 90 * DAY;
        let entry = bought(0, 3.0, 0, now);
        let faded = faded_orders(&entry, now, 45.0);
        let expected = 1.0 + (-1.0f32).exp() + (-2.0f32).exp();
        assert!((faded - expected).abs() < 1e-5, "{faded} vs {expected}");
        // Orders on one day count in full, faded once.
        assert!(
            (faded_orders(&bought(0, 3.0, 0, 0), 45 * DAY, 45.0) - 3.0 * (-1.0f32).exp()).abs()
                < 1e-5
        );
    }

    #[test]
    fn a_new_shopper_gets_trending_and_popular_products() {
        let mut scores = vec![0.0; 4];
        blend(settings()).add_scores(&[], 0, None, &mut scores);
        assert_eq!(scores, [0.0, 0.0, 0.1, 0.2]);
    }

    #[test]
    fn a_weight_of_zero_switches_its_signal_off() {
        let history = [bought(0, 1.0, 0, 0)];
        let off = BlendSettings {
            co_purchase: 0.0,
            trending: 0.0,
            popularity: 0.0,
            repeat: 0.0,
            ..settings()
        };
        let mut scores = vec![0.0; 4];
        blend(off).add_scores(&history, 0, None, &mut scores);
        assert_eq!(scores, [0.0; 4]);
    }

    #[test]
    fn products_only_viewed_pull_less_and_are_not_repeats() {
        let viewed = HistoryItem {
            item: 0,
            orders: 0.0,
            first_at: 0,
            last_at: 0,
        };
        let blend = blend(settings());
        assert_eq!(blend.pull(&viewed, 0), BROWSED_PULL);
        assert_eq!(blend.repeat_score(&viewed, 0, 1.0), 0.0);
    }

    #[test]
    fn in_season_and_often_re_ordered_products_count_more() {
        let blend = blend(settings());
        // Item 3 trends (1.0): 1 + season 2 = 3 times item 1's.
        let ratio = blend.repeat_score(&bought(3, 1.0, 0, 0), 0, 1.0)
            / blend.repeat_score(&bought(1, 1.0, 0, 0), 0, 1.0);
        assert!((ratio - 3.0).abs() < 1e-6);
        // With the item rate's exponent at 1, item 0 (half re-bought) counts twice item 1.
        let by_item = Blend {
            settings: BlendSettings {
                repeat_item_rate: 1.0,
                ..settings()
            },
            ..blend.clone()
        };
        let ratio = by_item.repeat_score(&bought(0, 1.0, 0, 0), 0, 1.0)
            / by_item.repeat_score(&bought(1, 1.0, 0, 0), 0, 1.0);
        assert!((ratio - 2.0).abs() < 1e-6);
    }

    #[test]
    fn the_shoppers_repeat_share_counts_re_orders() {
        // 3 orders of one product, 1 of another: 2 of 4 orders were re-orders.
        let history = [bought(0, 3.0, 0, 9), bought(1, 1.0, 0, 0)];
        assert_eq!(repeat_share(&history), 0.5);
        assert_eq!(repeat_share(&[]), 0.0);
        let by_shopper = blend(BlendSettings {
            repeat_user_rate: 1.0,
            ..settings()
        });
        let entry = bought(0, 1.0, 0, 0);
        assert_eq!(by_shopper.repeat_score(&entry, 0, 0.0), 0.0);
        let half = by_shopper.repeat_score(&entry, 0, 0.5);
        assert!((half - 0.5 * by_shopper.repeat_score(&entry, 0, 1.0)).abs() < 1e-7);
    }

    #[test]
    fn the_strongest_source_is_the_largest_share() {
        let blend = blend(settings());
        let history = [bought(3, 1.0, 0, 0), bought(0, 1.0, 0, 0)];
        // Target 1: item 0 pulls 0.5, more than trending 0 or popularity 0.
        assert_eq!(
            blend.strongest_source(1, &history, 0, None),
            (Source::History(1), 0.5)
        );
        // Target 3: trending 0.15 beats popularity 0.05; nothing pulls it.
        assert_eq!(
            blend.strongest_source(3, &history, 0, None),
            (Source::Trending, 0.15)
        );
        // Target 2: item 0 pulls 0.2 against popularity 0.1.
        assert_eq!(
            blend.strongest_source(2, &history, 0, None),
            (Source::History(1), 0.2)
        );
    }
}
