//! Training: from the order log's statistics ([`crate::statistics`]) to the [`Bundle`] a shop
//! ships.
//!
//! One place decides what the browser gets, so the CLI and the evaluation cannot drift apart:
//! [`train_blend`] fits the parts the blend ranks with, as shipped (EASE through its 8-bit wire
//! form), and both [`train`] and `aisle evaluate` call it. EASE needs dense linear algebra, so
//! training is native only (feature `train-dense`).
//!
//! ```
//! use aisle_core::catalog::Catalog;
//! use aisle_core::input::orders::OrderLine;
//! use aisle_core::models::train::{TrainOptions, train};
//! use aisle_core::statistics::OrderStatistics;
//! let line = OrderLine {
//!     invoice: "1".into(), item: "22633".into(), description: "HAND WARMER".into(),
//!     quantity: 6, timestamp: 0, unit_price: 1.85, customer: Some("17850".into()),
//! };
//! let statistics = OrderStatistics::from_lines(&[line]);
//! let catalog = Catalog::from_products(&statistics.products);
//! let (bundle, counts) = train(catalog, &statistics, &TrainOptions::default()).unwrap();
//! assert_eq!((counts.products, counts.customers), (1, 1));
//! assert_eq!(bundle.popularity.buyers(), [1]);
//! ```

use crate::bundle::{Bundle, Counts};
use crate::catalog::Catalog;
use crate::catalog::money::Money;
use crate::error::Result;
use crate::measure::experiment::Measuring;
use crate::models::blend::{Blend, BlendSettings, Tuning};
use crate::models::copurchase::CoPurchase;
use crate::models::ease::{AddedWeights, Ease};
use crate::models::history_rows::HistoryRows;
use crate::models::interactions::Interactions;
use crate::models::next_purchase::NextPurchase;
use crate::models::popularity::Popularity;
use crate::models::repeat::RepeatRates;
use crate::models::trending::Trending;
use crate::segmentation::segment_model::SegmentModel;
use crate::serve::copy::CopyTemplates;
use crate::serve::locales::Locale;
use crate::serve::merchandising::Merchandising;
use crate::serve::ui_texts::UiTexts;
use crate::statistics::{BuyerDay, OrderStatistics};

/// What a shop can choose when training (`aisle build` flags), and the blend's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// Customer segments: a number, or `None` to choose by silhouette.
    pub segments: Option<usize>,
    /// Seed for k-means (training is otherwise deterministic).
    pub seed: u64,
    /// The blend's settings (learned by [`crate::models::blend::tune`], or the defaults) and how they
    /// were chosen.
    pub tuning: Tuning,
    /// The shop's currency and locale, for the manifest.
    pub money: Money,
    /// The shop's copy templates, or `None` for Aisle's own in the language of the shop's
    /// locale ([`CopyTemplates::built_in`], shipped in the bundle) or else the English ones
    /// every store carries.
    pub copy: Option<CopyTemplates>,
    /// The store's own words in the shop's language, or `None` for Aisle's own in the language
    /// of the shop's locale ([`UiTexts::built_in`], shipped in the bundle) or else the English
    /// ones every store carries.
    pub ui_texts: Option<UiTexts>,
    /// The locales the store offers besides the shop's own ([`Locale::built_in`]).
    pub more_locales: Vec<Locale>,
    /// The shop's merchandising rules, for the manifest.
    pub merchandising: Merchandising,
    /// The line the store shows at its foot, for the manifest; empty for none.
    pub credit: String,
    /// The shop's experiment and report endpoint, for the manifest.
    pub measuring: Measuring,
    /// Partners each EASE target is solved over, or `None` to choose by catalog size.
    pub ease_candidates: Option<usize>,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            segments: None,
            seed: 0,
            tuning: Tuning::defaults(BlendSettings::DEFAULT, "no validation was asked for".into()),
            money: Money::default(),
            copy: None,
            ui_texts: None,
            more_locales: Vec::new(),
            merchandising: Merchandising::default(),
            credit: String::new(),
            measuring: Measuring::default(),
            ease_candidates: None,
        }
    }
}

/// The blend's parts for `catalog`, fitted on its customer-by-product `matrix` and its buyer
/// days (`days`, products by catalog position) with `settings` as the browser will have them:
/// EASE with λ, its purchases faded as of `now`, the next-purchase model (windows before
/// `now`) summed in, and the shipped number of weights (each target solved over
/// `ease_candidates` partners, or as the catalog's size decides), through the 8-bit wire form;
/// trending with its time constant as of `now`; popularity normalised; each product's re-order
/// rate.
pub fn train_blend(
    catalog: &Catalog,
    matrix: &Interactions,
    days: &[BuyerDay],
    settings: &BlendSettings,
    now: i64,
    ease_candidates: Option<usize>,
) -> Result<Blend> {
    settings.check()?;
    let next_purchase = (settings.next_purchase > 0.0)
        .then(|| {
            let params = NextPurchase::params().lambda(f64::from(settings.next_purchase_lambda));
            params.fit(matrix, now)
        })
        .transpose()?;
    let added = next_purchase.as_ref().map(|model| AddedWeights {
        model,
        weight: f64::from(settings.next_purchase),
    });
    let ease = Ease::params()
        .lambda(f64::from(settings.ease_lambda))
        .fading(f64::from(settings.ease_days), now)
        .top_n(settings.ease_weights as usize)
        .candidates(ease_candidates)
        .fit_with(matrix, added)?
        .as_shipped();
    let trending = Trending::params()
        .time_constant_days(f64::from(settings.trending_days))
        .fit_days(catalog.len(), days, Some, now)?;
    let popularity = Popularity::from_interactions(matrix).normalised();
    let repeat_rates = RepeatRates::fit(matrix);
    Ok(Blend::new(
        *settings,
        HistoryRows::whole(ease, repeat_rates.rates().to_vec()),
        trending.scores().to_vec(),
        popularity,
    ))
}

/// Learns every bundle part for `catalog` (the log's products, perhaps with the shop's product
/// file applied) from the log's statistics. "Now", for trending, is the newest order. A log
/// with too few customers to segment (no more than k, or than 2 when k is chosen
/// automatically) ships without segments rather than failing the whole build.
pub fn train(
    catalog: Catalog,
    statistics: &OrderStatistics,
    options: &TrainOptions,
) -> Result<(Bundle, Counts)> {
    let positions: Vec<Option<u32>> = statistics
        .products
        .tallies()
        .iter()
        .map(|tally| Some(catalog.position(&tally.id)? as u32))
        .collect();
    let position = |number: u32| positions[number as usize];
    let matrix = Interactions::from_purchases(catalog.len(), &statistics.purchases, position);
    let mut days: Vec<BuyerDay> = statistics
        .buyer_days
        .iter()
        .filter_map(|day| {
            let product = position(day.product)?;
            Some(BuyerDay { product, ..*day })
        })
        .collect();
    days.sort_unstable();
    let popularity = Popularity::from_interactions(&matrix);
    let newest = statistics.newest_at;
    let blend = train_blend(
        &catalog,
        &matrix,
        &days,
        &options.tuning.settings,
        newest,
        options.ease_candidates,
    )?;
    let copurchase = CoPurchase::params().fit_counts(catalog.len(), &statistics.pairs, position)?;
    let customers = &statistics.customers;
    let segments = if customers.len() > options.segments.unwrap_or(2) {
        SegmentModel::fit_statistics(customers, &matrix, newest, options.segments, options.seed)?
    } else {
        SegmentModel::default()
    };
    let counts = Counts {
        products: catalog.len() as u64,
        customers: customers.len() as u64,
        order_lines: statistics.lines,
    };
    Ok((
        Bundle {
            catalog,
            popularity,
            trending: Trending::from_scores(blend.trend().to_vec()),
            ease: blend
                .history()
                .whole_ease()
                .expect("train_blend gives the blend every EASE row")
                .clone(),
            repeat_rates: RepeatRates::from_rates(
                blend
                    .history()
                    .whole_repeat_rates()
                    .expect("train_blend gives the blend every re-order rate")
                    .to_vec(),
            ),
            copurchase,
            segments,
            tuning: options.tuning.clone(),
            money: options.money.clone(),
            copy: options
                .copy
                .clone()
                .or_else(|| CopyTemplates::built_in(options.money.language())),
            ui_texts: options
                .ui_texts
                .clone()
                .or_else(|| UiTexts::built_in(options.money.language())),
            more_locales: options.more_locales.clone(),
            merchandising: options.merchandising.clone(),
            credit: options.credit.clone(),
            measuring: options.measuring.clone(),
        },
        counts,
    ))
}
