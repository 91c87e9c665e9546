//! Recommendations computed on the shopper's device from the shipped model and their profile,
//! each with its [`Reason`].
//!
//! "For you" is the bundle's [`Blend`] over the shopper's history (what they bought, viewed or
//! put in the cart), ranked with the settings the bundle learned, exactly as `aisle evaluate`
//! measures it on task `new`. Two signals only a live shopper has come on top: recent searches
//! pull up their matches, and dismissed products push their look-alikes down. The signal that
//! contributed most to a product's score is its reason. Products the shopper already knows
//! (viewed, in the cart, bought, dismissed) are left out: they have shelves of their own ("Buy
//! it again" ranks what they bought by the blend's whole score, as task `all` does).
//!
//! With an empty profile only trending and popularity rank, so a new shopper sees what sells.
//!
//! Here are the shelves; the shopper's audience, segment and marketing copy are in `audience`,
//! and the sum of signals that gives each product its reason in `contributions`.
//!
//! ```
//! use aisle_core::models::blend::{BlendSettings, Tuning};
//! use aisle_core::bundle::Bundle;
//! use aisle_core::catalog::{Catalog, Product};
//! use aisle_core::models::copurchase::CoPurchase;
//! use aisle_core::shopper::events::Event;
//! use aisle_core::models::item_weights::ItemWeights;
//! use aisle_core::models::popularity::Popularity;
//! use aisle_core::shopper::profile::Profile;
//! use aisle_core::serve::recommend::Model;
//! use aisle_core::models::repeat::RepeatRates;
//! use aisle_core::segmentation::segment_model::SegmentModel;
//! use aisle_core::math::sparse::SparseRows;
//! use aisle_core::models::trending::Trending;
//! let product = |id: &str, title: &str| Product::new(id, title, 1.0);
//! let no_weights = || ItemWeights::from_targets(SparseRows::from_rows(vec![vec![]; 3]));
//! let model = Model::new(Bundle {
//!     catalog: Catalog::new(vec![product("1", "Tea Cup"), product("2", "White Lantern"), product("3", "Red Lantern")]),
//!     popularity: Popularity::from_buyers(vec![9, 2, 1]),
//!     trending: Trending::from_scores(vec![1.0, 0.2, 0.1]),
//!     ease: no_weights(),
//!     copurchase: CoPurchase::from_pairs(no_weights()),
//!     segments: SegmentModel::default(),
//!     repeat_rates: RepeatRates::default(),
//!     // Settings a shop's history taught: title look-alikes count, popularity does not.
//!     tuning: Tuning {
//!         settings: BlendSettings { content: 1.0, popularity: 0.0, ..BlendSettings::DEFAULT },
//!         validation: None,
//!         defaults_because: None,
//!     },
//!     money: Default::default(),
//!     copy: None,
//!     ui_texts: None,
//!     more_locales: Vec::new(),
//!     merchandising: Default::default(),
//!     credit: String::new(),
//!     measuring: Default::default(),
//! });
//! let mut profile = Profile::default();
//! assert_eq!(model.for_you(&profile, 0, 1)[0].item, 0); // trending first
//! profile.record(Event::view("2", 0)).unwrap();
//! let first = &model.for_you(&profile, 0, 1)[0];
//! assert_eq!(first.item, 2); // the other lantern
//! assert_eq!(first.reason.describe(model.catalog()), "Because you viewed White Lantern");
//! ```

mod audience;
mod contributions;

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::bundle::Bundle;
use crate::catalog::Catalog;
use crate::catalog::content::ContentIndex;
use crate::catalog::corpus::Corpus;
use crate::catalog::language::Language;
use crate::catalog::money::Money;
use crate::catalog::search::SearchIndex;
use crate::catalog::shards::ShardPlan;
use crate::math::ranking::top_k;
use crate::measure::experiment::{Arm, Measuring};
use crate::models::blend::{Blend, BlendSettings, HistoryItem, Source};
use crate::models::history_rows::{HistoryRows, HistoryShard};
use crate::segmentation::segment_model::SegmentModel;
use crate::serve::diversity::rerank;
use crate::serve::locales::{self, Locale};
use crate::serve::merchandising::Merchandising;
use crate::serve::reason::{Interaction, Reason};
use crate::serve::shelf_weights::Weights;
use crate::shopper::profile::measured::Enrolment;
use crate::shopper::profile::{ItemActivity, Profile};
use contributions::Contributions;

/// How much trending adds among search results: enough to order near-equal matches, far too
/// little to lift a weaker match over a closer one.
const TIE_BREAK: f32 = 0.01;

/// Only this many of the strongest searches shape the list.
const MAX_SEARCHES: usize = 5;

/// Candidates per shelf place a new shopper's "For you" spreads over categories from: deep
/// enough to reach several categories, shallow enough that every pick still sells well.
const CATEGORY_SPREAD_POOL: usize = 4;

/// One recommended product.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    /// Catalog position.
    pub item: usize,
    /// Score; higher is better. Comparable within one list only.
    pub score: f32,
    /// Why it is in the list.
    pub reason: Reason,
}

/// Everything the browser needs to recommend, decoded once from the bundle.
#[derive(Debug, Clone)]
pub struct Model {
    catalog: Catalog,
    /// Catalog positions by distinct buyers, most first: ranked once, shown on every visit.
    best_sellers: Vec<usize>,
    /// Built on first use: a new shopper's shelves need neither index, and building them is
    /// a fifth of the work of opening the store (37 of 170 M instructions, native).
    text: OnceLock<TextIndices>,
    /// Ranks, and holds what each history product brings: its EASE row, basket partners and
    /// re-order rate.
    blend: Blend,
    segments: SegmentModel,
    money: Money,
    /// The locales the store speaks, the shop's own first.
    locales: Vec<Locale>,
    merchandising: Merchandising,
    /// The line the store shows at its foot; empty for none.
    credit: String,
    /// The shop's experiment and report endpoint.
    measuring: Measuring,
}

/// The catalog's product texts (title and description), indexed.
#[derive(Debug, Clone)]
struct TextIndices {
    /// For look-alikes.
    content: ContentIndex,
    /// For searches.
    search: SearchIndex,
}

impl TextIndices {
    fn of(catalog: &Catalog, language: Language) -> Self {
        let texts: Vec<_> = (0..catalog.len()).map(|item| catalog.text(item)).collect();
        let corpus = Corpus::build(texts.iter().map(AsRef::as_ref), language);
        Self {
            content: ContentIndex::from_corpus(&corpus),
            search: SearchIndex::from_corpus(&corpus),
        }
    }
}

impl Model {
    /// Builds the model from a decoded bundle. Product texts are indexed for content similarity
    /// and search when either is first needed.
    pub fn new(mut bundle: Bundle) -> Self {
        let ease = std::mem::take(&mut bundle.ease);
        let repeat_rates = std::mem::take(&mut bundle.repeat_rates).into_rates();
        let partners = std::mem::take(&mut bundle.copurchase);
        let history = HistoryRows::whole(ease, repeat_rates).with_partners(partners);
        Self::with_history(bundle, history)
    }

    /// [`Model::new`] without what the bundle's products bring to a history (its `ease`,
    /// `copurchase` and `repeat_rates` are not read): their rows arrive by shard, as `plan`
    /// groups the catalog's products, each given with [`Model::provide_shard`] when a
    /// shopper's history first needs it. Until then, [`Model::missing_shards`] says which
    /// shoppers it cannot rank as evaluated.
    pub fn awaiting_history(bundle: Bundle, plan: &ShardPlan) -> Self {
        let grouping = plan.group(bundle.catalog.ids());
        Self::with_history(bundle, HistoryRows::awaiting(grouping))
    }

    fn with_history(bundle: Bundle, history: HistoryRows) -> Self {
        Self {
            best_sellers: bundle.popularity.ranked(),
            text: OnceLock::new(),
            blend: Blend::new(
                bundle.tuning.settings,
                history,
                bundle.trending.scores().to_vec(),
                bundle.popularity.normalised(),
            ),
            segments: bundle.segments,
            catalog: bundle.catalog,
            locales: std::iter::once(Locale::new(
                bundle.money.locale.clone(),
                bundle.ui_texts,
                bundle.copy,
            ))
            .chain(bundle.more_locales)
            .collect(),
            money: bundle.money,
            merchandising: bundle.merchandising,
            credit: bundle.credit,
            measuring: bundle.measuring,
        }
    }

    /// What each history product brings, for a store that fetches it by shard.
    pub fn history_rows(&self) -> &HistoryRows {
        self.blend.history()
    }

    /// Gives a model [`Model::awaiting_history`] the rows of shard `shard`, one per member in
    /// the plan's order; false (and nothing changes) when it has them or they do not fit.
    pub fn provide_shard(&self, shard: usize, rows: HistoryShard) -> bool {
        self.blend.history().provide(shard, rows)
    }

    /// The shards, ascending, that `profile`'s history (viewed, in the cart, bought or
    /// dismissed) needs and this model lacks. Until they arrive every shelf ranks from that
    /// history, or comes after one that does, so none can be shown as the evaluation measured
    /// it. A shopper with no history ranks by what sells and trends, which needs none.
    pub fn missing_shards(&self, profile: &Profile) -> Vec<usize> {
        self.shards_missing_for(profile, |_| true)
    }

    /// Whether the shards `profile`'s history lacks ([`Model::missing_shards`]) are all wanted
    /// by products the shopper dismissed alone, as after a "Not interested": a shelf ranked
    /// before, less those products, is then still a list as evaluated, only shorter. False
    /// when nothing is missing.
    pub fn waits_for_dismissals_only(&self, profile: &Profile) -> bool {
        !self.missing_shards(profile).is_empty()
            && self
                .shards_missing_for(profile, |activity| !activity.dismissed)
                .is_empty()
    }

    /// What a shelf that showed `shown` shows while this model waits for the shards
    /// `profile`'s history needs: `shown` less the products dismissed since, when only those
    /// wait ([`Model::waits_for_dismissals_only`]), so "Not interested" takes its card away at
    /// once; nothing otherwise, since any other wait (a product just viewed) changes the ranking
    /// itself. A shelf is shown as evaluated, or not yet.
    pub fn shown_while_waiting(
        &self,
        shown: &[Recommendation],
        profile: &Profile,
    ) -> Vec<Recommendation> {
        if !self.waits_for_dismissals_only(profile) {
            return Vec::new();
        }
        let dismissed = |item: usize| {
            self.catalog.product(item).is_none_or(|product| {
                profile
                    .item(&product.id)
                    .is_some_and(|activity| activity.dismissed)
            })
        };
        shown
            .iter()
            .filter(|recommendation| !dismissed(recommendation.item))
            .cloned()
            .collect()
    }

    fn shards_missing_for(
        &self,
        profile: &Profile,
        counts: impl Fn(&ItemActivity) -> bool,
    ) -> Vec<usize> {
        self.blend.history().missing_shards(
            profile
                .items()
                .iter()
                .filter(|(_, activity)| counts(activity))
                .filter_map(|(id, _)| self.catalog.position(id)),
        )
    }

    /// `ranked`, one of this model's lists for `shelf` (a placement such as `for-you`, asked
    /// for deeper than `k`), as the shop's merchandising rules have it, cut to `k`
    /// ([`Merchandising::apply`]). Every shelf a page shows goes through here.
    pub fn shelf(
        &self,
        shelf: &str,
        ranked: Vec<Recommendation>,
        profile: &Profile,
        k: usize,
    ) -> Vec<Recommendation> {
        if self.arm(profile).is_some_and(|arm| arm.hides(shelf)) {
            return Vec::new();
        }
        let dismissed: Vec<&str> = profile.dismissed().collect();
        self.merchandising
            .apply(shelf, ranked, &self.catalog, &dismissed, k)
    }

    /// The shop's experiment and where reports go, as the bundle declares them.
    pub fn measuring(&self) -> &Measuring {
        &self.measuring
    }

    /// The arm of this bundle's experiment the shopper takes part in: none when the bundle
    /// declares no experiment, when the profile drew no arm of it yet, or when its shopper left.
    pub fn arm(&self, profile: &Profile) -> Option<&Arm> {
        let enrolment = profile.enrolment()?;
        self.measuring
            .arm(&enrolment.experiment, enrolment.arm.as_deref()?)
    }

    /// The profile's place in this bundle's experiment (an arm, or left), if it has one: an arm
    /// of another experiment, an earlier one, does not count.
    pub fn enrolment<'a>(&self, profile: &'a Profile) -> Option<&'a Enrolment> {
        let experiment = self.measuring.experiment.as_ref()?;
        profile
            .enrolment()
            .filter(|enrolment| enrolment.experiment == experiment.name)
    }

    /// The arm to draw for a profile with no place in this bundle's experiment, from a uniform
    /// draw in [0, 1): the experiment's name and the arm's. `None` when there is no experiment
    /// or the profile has an arm of it, or left it.
    pub fn arm_to_draw(&self, profile: &Profile, uniform: f64) -> Option<(String, String)> {
        let experiment = self.measuring.experiment.as_ref()?;
        if self.enrolment(profile).is_some() {
            return None;
        }
        Some((
            experiment.name.clone(),
            experiment.draw(uniform).name.clone(),
        ))
    }

    /// The line the store shows at its foot (a data set's credit, the shop's name), in the
    /// shop's language; empty for none.
    pub fn credit(&self) -> &str {
        &self.credit
    }

    /// How the shop's prices read.
    pub fn money(&self) -> &Money {
        &self.money
    }

    /// The locales the store speaks, the shop's own first ([`crate::serve::locales`]).
    pub fn locales(&self) -> &[Locale] {
        &self.locales
    }

    /// The locale tagged `chosen` (as the shopper's choice or [`locales::negotiate`]
    /// named it) if the store speaks it, else the shop's own.
    pub fn locale(&self, chosen: Option<&str>) -> &Locale {
        chosen
            .and_then(|chosen| {
                self.locales
                    .iter()
                    .find(|locale| locale.tag() == Some(chosen))
            })
            .unwrap_or(&self.locales[0])
    }

    /// The tag of the locale to speak to a shopper who chose `saved` in this browser and whose
    /// browser prefers `preferred`, most preferred first ([`locales::choose`]): the choice if
    /// the store still offers its language, else the browser's.
    pub fn locale_to_speak(&self, saved: Option<&str>, preferred: &[String]) -> Option<&str> {
        let tags: Vec<Option<&str>> = self.locales.iter().map(Locale::tag).collect();
        tags[locales::choose(&tags, saved, preferred)]
    }

    /// How the shop's product texts and its shoppers' queries are read: the language of its
    /// locale.
    pub fn language(&self) -> Language {
        self.money.language()
    }

    /// The text indices, built now if this is their first use.
    /// `None` while the catalog awaits the texts shipped apart from it
    /// ([`Catalog::texts_pending`]): look-alikes and search then have nothing to go on, and a
    /// store waits for them where they matter.
    fn text(&self) -> Option<&TextIndices> {
        if self.catalog.texts_pending() {
            return None;
        }
        Some(
            self.text
                .get_or_init(|| TextIndices::of(&self.catalog, self.language())),
        )
    }

    /// The settings "For you" and "Buy it again" rank with, from the bundle.
    pub fn settings(&self) -> &BlendSettings {
        self.blend.settings()
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Catalog positions by distinct buyers, most first (ties in catalog order).
    pub fn best_sellers(&self) -> &[usize] {
        &self.best_sellers
    }

    /// The best sellers of one category (all of them for `None`), best first.
    pub fn best_sellers_in(&self, category: Option<&str>) -> Vec<usize> {
        self.best_sellers
            .iter()
            .copied()
            .filter(|&item| {
                category.is_none_or(|wanted| {
                    self.catalog
                        .product(item)
                        .is_some_and(|product| product.category == wanted)
                })
            })
            .collect()
    }

    /// How alike two products' titles are (TF-IDF cosine, in [0, 1]); 0 for a position
    /// outside the catalog.
    pub fn similarity(&self, a: usize, b: usize) -> f32 {
        self.text().map_or(0.0, |text| text.content.cosine(a, b))
    }

    /// The `k` best products the shopper has not met yet, at `now_ms` (milliseconds since the
    /// epoch), best first: the bundle's blend over their history (see [`crate::models::blend`]), with
    /// their recent searches and "Not interested" on top. For a shopper with neither history nor
    /// searches, what trends and sells, spread over the shop's categories. See the module docs.
    pub fn for_you(&self, profile: &Profile, now_ms: i64, k: usize) -> Vec<Recommendation> {
        self.for_you_with(profile, now_ms, k, &Weights::for_you(self.blend.settings()))
    }

    /// [`Model::for_you`] with other weights, for a shelf of the page's own.
    pub fn for_you_with(
        &self,
        profile: &Profile,
        now_ms: i64,
        k: usize,
        weights: &Weights,
    ) -> Vec<Recommendation> {
        let now = now_ms.div_euclid(1000);
        let (history, interactions) = self.history(profile);
        let settings = weights.over(self.blend.settings());
        // Title similarity reaches the scores through history products and dismissals only, so
        // a new shopper's first page never builds the text indices.
        let content =
            (settings.content > 0.0 && !history.is_empty()) || profile.dismissed().next().is_some();
        let content = if content {
            self.text().map(|text| &text.content)
        } else {
            None
        };
        let mut scores = vec![0.0; self.catalog.len()];
        self.blend
            .add_explore_scores_as(&settings, &history, now, content, &mut scores);

        // Per product, the largest pull of one search and which search gave it.
        let mut searched = vec![(0.0f32, usize::MAX); self.catalog.len()];
        let searches: Vec<(&str, f64)> = profile
            .searches(now_ms)
            .into_iter()
            .take(MAX_SEARCHES)
            .collect();
        let strongest = searches
            .iter()
            .map(|search| search.1)
            .fold(f64::MIN_POSITIVE, f64::max);
        let mut signal = vec![0.0; self.catalog.len()];
        for (index, &(query, interest)) in searches.iter().enumerate() {
            if let Some(text) = self.text() {
                text.search.add_scores(query, 1.0, &mut signal);
            }
            let best = signal.iter().copied().fold(0.0f32, f32::max);
            if best > 0.0 {
                let scale = weights.search * (interest / strongest) as f32 / best;
                for ((value, score), strongest) in
                    signal.iter_mut().zip(&mut scores).zip(&mut searched)
                {
                    let pull = *value * scale;
                    *score += pull;
                    if pull > strongest.0 {
                        *strongest = (pull, index);
                    }
                    *value = 0.0;
                }
            }
        }
        for dismissed in profile.dismissed() {
            if let (Some(item), Some(content)) = (self.catalog.position(dismissed), content) {
                content.add_similar(item, -weights.dismiss, &mut scores);
            }
        }
        for id in profile.items().keys() {
            if let Some(item) = self.catalog.position(id) {
                scores[item] = f32::NEG_INFINITY;
            }
        }
        let picked = if history.is_empty() && searches.is_empty() {
            self.spread_over_categories(&scores, k)
        } else {
            top_k(&scores, k)
        };
        picked
            .into_iter()
            .map(|(item, score)| {
                let (source, share) = self
                    .blend
                    .strongest_source_as(&settings, item, &history, now, content);
                let reason = match (searched[item], source) {
                    ((pull, index), _) if pull > share => Reason::Searched {
                        query: searches[index].0.to_owned(),
                    },
                    (_, Source::History(index)) => Reason::Because {
                        item: history[index].item as usize,
                        interaction: interactions[index],
                    },
                    (_, Source::Popularity) => Reason::BestSeller,
                    (_, Source::Trending) => Reason::Trending,
                };
                Recommendation {
                    item,
                    score,
                    reason,
                }
            })
            .collect()
    }

    /// The `k` best of `scores` with the shop's categories spread out: one product per category,
    /// best first, while the strongest candidates offer a category not yet shown; then the rest
    /// by score. "For you" takes this for a shopper the store knows nothing of: every signal left
    /// (what trends and sells) is the same for every such visitor, and ranked by it alone the
    /// shelf would repeat "Trending"; spread out, it shows the breadth of the shop instead.
    fn spread_over_categories(&self, scores: &[f32], k: usize) -> Vec<(usize, f32)> {
        let candidates = top_k(scores, k.saturating_mul(CATEGORY_SPREAD_POOL));
        let category = |item: usize| {
            self.catalog
                .product(item)
                .map(|product| product.category.as_str())
                .filter(|category| !category.is_empty())
        };
        // With a similarity of 1 within a category and 0 across, MMR at one half takes any
        // product of a new category before any of a category already shown.
        rerank(&candidates, k, 0.5, |a, b| {
            f32::from(u8::from(
                category(a).is_some() && category(a) == category(b),
            ))
        })
        .into_iter()
        .filter_map(|item| {
            candidates
                .iter()
                .find(|candidate| candidate.0 == item)
                .copied()
        })
        .collect()
    }

    /// The shopper's history as the blend reads it, by catalog position (the order the
    /// evaluation sums in, so both rank alike to the last bit), with what they did with each:
    /// products bought (with their orders, as of the last purchase), and those only viewed or
    /// in the cart. Dismissed products and products gone from the catalog are left out.
    fn history(&self, profile: &Profile) -> (Vec<HistoryItem>, Vec<Interaction>) {
        let mut history: Vec<(HistoryItem, Interaction)> = profile
            .items()
            .iter()
            .filter(|(_, activity)| !activity.dismissed)
            .filter_map(|(id, activity)| {
                let item = self.catalog.position(id)? as u32;
                let (orders, first_ms, last_ms) = match activity.last_bought_ms {
                    Some(last) if activity.orders > 0 => (
                        activity.orders as f32,
                        activity.first_bought_ms.unwrap_or(last),
                        last,
                    ),
                    _ => {
                        let seen = activity.last_viewed_ms.unwrap_or(activity.last_at_ms);
                        (0.0, seen, seen)
                    }
                };
                let entry = HistoryItem {
                    item,
                    orders,
                    first_at: first_ms.div_euclid(1000),
                    last_at: last_ms.div_euclid(1000),
                };
                Some((entry, interaction(activity)))
            })
            .collect();
        history.sort_unstable_by_key(|(entry, _)| entry.item);
        history.into_iter().unzip()
    }

    /// Up to `k` products the shopper bought before, most worth buying again first: the
    /// blend's whole score (task `all` of the evaluation) among what they bought; what is in
    /// the cart or dismissed is left out.
    pub fn buy_again(&self, profile: &Profile, now_ms: i64, k: usize) -> Vec<Recommendation> {
        let now = now_ms.div_euclid(1000);
        let (history, _) = self.history(profile);
        let content = if self.blend.needs_content() && !history.is_empty() {
            self.text().map(|text| &text.content)
        } else {
            None
        };
        let mut all = vec![0.0; self.catalog.len()];
        self.blend.add_scores(&history, now, content, &mut all);
        let mut scores = vec![f32::NEG_INFINITY; self.catalog.len()];
        let mut times = vec![0; self.catalog.len()];
        for (id, activity) in profile.purchased() {
            let Some(item) = self.catalog.position(id) else {
                continue;
            };
            if activity.in_cart == 0 && !activity.dismissed {
                scores[item] = all[item];
                times[item] = activity.orders;
            }
        }
        ranked(&scores, k, |item| Reason::BoughtBefore {
            times: times[item],
        })
    }

    /// Up to `k` of the products customers of the shopper's segment buy most, most buyers
    /// first, leaving out what the shopper already knows: "Popular with customers like you".
    /// Empty before their first order, or when the shop ships no segments.
    pub fn customers_like_you(
        &self,
        profile: &Profile,
        now_ms: i64,
        k: usize,
    ) -> Vec<Recommendation> {
        let Some(segment) = self.segment(profile, now_ms) else {
            return Vec::new();
        };
        let known = |item: u32| {
            self.catalog
                .product(item as usize)
                .is_none_or(|product| profile.item(&product.id).is_some())
        };
        let count = segment.popular.len();
        segment
            .popular
            .iter()
            .copied()
            .enumerate()
            .filter(|&(_, item)| !known(item))
            .take(k)
            .map(|(rank, item)| Recommendation {
                item: item as usize,
                score: (count - rank) as f32,
                reason: Reason::CustomersLikeYou,
            })
            .collect()
    }

    /// Up to `k` products the shopper viewed, latest first.
    pub fn recently_viewed(&self, profile: &Profile, k: usize) -> Vec<Recommendation> {
        profile
            .recently_viewed()
            .into_iter()
            .filter_map(|(id, _)| self.catalog.position(id))
            .take(k)
            .enumerate()
            .map(|(rank, item)| Recommendation {
                item,
                score: -(rank as f32),
                reason: Reason::RecentlyViewed,
            })
            .collect()
    }

    /// Up to `k` products that look like `item` (title similarity), best first; what sells now
    /// breaks ties between equally similar ones. Products sharing no title word are not similar;
    /// dismissed ones are left out. The signals are weighed by [`Weights::SIMILAR`].
    pub fn similar(&self, item: usize, profile: &Profile, k: usize) -> Vec<Recommendation> {
        self.similar_with(item, profile, k, &Weights::SIMILAR)
    }

    /// Products related to `item` by the signals `weights` turns on: title similarity
    /// (`content`) and co-purchase (`co_purchase`, its EASE weights), with `trending` added to
    /// products related at all. Each product's reason is the relation that counted most.
    pub fn similar_with(
        &self,
        item: usize,
        profile: &Profile,
        k: usize,
        weights: &Weights,
    ) -> Vec<Recommendation> {
        let Ok(anchor) = u32::try_from(item) else {
            return Vec::new();
        };
        let mut total = Contributions::new(self.catalog.len());
        let mut signal = vec![0.0; self.catalog.len()];
        if let Some(text) = self.text() {
            text.content.add_similar(item, weights.content, &mut signal);
        }
        total.add(Reason::LooksLike { item }, &mut signal);
        self.blend
            .history()
            .add_scores(anchor, weights.co_purchase, &mut signal);
        total.add(Reason::BoughtWith { item }, &mut signal);
        let mut scores = std::mem::take(&mut total.scores);
        self.break_ties(weights.trending, &mut scores);
        if let Some(own) = scores.get_mut(item) {
            *own = f32::NEG_INFINITY;
        }
        self.leave_out_dismissed(profile, &mut scores);
        ranked(&scores, k, |other| total.reason(other))
    }

    /// Up to `k` products most often bought together with `item`, strongest first; dismissed
    /// ones are left out.
    pub fn bought_together(&self, item: usize, profile: &Profile, k: usize) -> Vec<Recommendation> {
        let dismissed: HashSet<&str> = profile.dismissed().collect();
        let (partners, lifts) = self.blend.history().partners(item);
        partners
            .iter()
            .zip(lifts)
            .filter(|(partner, _)| {
                self.catalog
                    .product(**partner as usize)
                    .is_some_and(|product| !dismissed.contains(product.id.as_str()))
            })
            .take(k)
            .map(|(&partner, &lift)| Recommendation {
                item: partner as usize,
                score: lift,
                reason: Reason::BoughtWith { item },
            })
            .collect()
    }

    /// Up to `k` products that complete the shopper's cart, strongest first: each product's
    /// co-purchase lift with every product in the cart, summed, so what goes with several of
    /// them leads. The reason names the cart product it goes with most. Products in the cart
    /// and dismissed ones are left out; an empty cart completes nothing.
    pub fn complete_the_order(&self, profile: &Profile, k: usize) -> Vec<Recommendation> {
        let cart: Vec<usize> = profile
            .cart()
            .into_iter()
            .filter_map(|(id, _)| self.catalog.position(id))
            .collect();
        let mut scores = vec![f32::NEG_INFINITY; self.catalog.len()];
        // Per product, the cart product it goes with most, and by what lift.
        let mut strongest = vec![(0.0f32, 0usize); self.catalog.len()];
        for &in_cart in &cart {
            let (partners, lifts) = self.blend.history().partners(in_cart);
            for (&partner, &lift) in partners.iter().zip(lifts) {
                let partner = partner as usize;
                scores[partner] = scores[partner].max(0.0) + lift;
                if lift > strongest[partner].0 {
                    strongest[partner] = (lift, in_cart);
                }
            }
        }
        for &in_cart in &cart {
            scores[in_cart] = f32::NEG_INFINITY;
        }
        self.leave_out_dismissed(profile, &mut scores);
        ranked(&scores, k, |item| Reason::BoughtWith {
            item: strongest[item].1,
        })
    }

    /// The `k` products selling most now, best first; dismissed ones are left out.
    pub fn trending(&self, profile: &Profile, k: usize) -> Vec<Recommendation> {
        let mut scores = self.blend.trend().to_vec();
        self.leave_out_dismissed(profile, &mut scores);
        ranked(&scores, k, |_| Reason::Trending)
    }

    /// Up to `k` products matching `query` (see [`SearchIndex`]), best first; what sells now
    /// breaks ties. Empty when nothing matches, or while the catalog's texts are still to come
    /// ([`Catalog::texts_pending`]).
    pub fn search(&self, query: &str, k: usize) -> Vec<Recommendation> {
        let mut scores = vec![0.0; self.catalog.len()];
        if let Some(text) = self.text() {
            text.search.add_scores(query, 1.0, &mut scores);
        }
        self.break_ties(TIE_BREAK, &mut scores);
        let reason = Reason::Searched {
            query: query.split_whitespace().collect::<Vec<_>>().join(" "),
        };
        ranked(&scores, k, |_| reason.clone())
    }

    /// Adds `weight` times trending to positive scores (a tie-break when small) and rules out
    /// the rest.
    fn break_ties(&self, weight: f32, scores: &mut [f32]) {
        for (score, trend) in scores.iter_mut().zip(self.blend.trend()) {
            *score = if *score > 0.0 {
                *score + weight * trend
            } else {
                f32::NEG_INFINITY
            };
        }
    }

    fn leave_out_dismissed(&self, profile: &Profile, scores: &mut [f32]) {
        for id in profile.dismissed() {
            if let Some(item) = self.catalog.position(id) {
                scores[item] = f32::NEG_INFINITY;
            }
        }
    }
}

/// The `k` best of `scores` as recommendations, best first, each with `reason(item)`.
fn ranked(scores: &[f32], k: usize, reason: impl Fn(usize) -> Reason) -> Vec<Recommendation> {
    top_k(scores, k)
        .into_iter()
        .map(|(item, score)| Recommendation {
            item,
            score,
            reason: reason(item),
        })
        .collect()
}

/// The strongest thing the shopper did with a product.
fn interaction(activity: &ItemActivity) -> Interaction {
    if activity.in_cart > 0 {
        Interaction::InCart
    } else if activity.orders > 0 {
        Interaction::Bought
    } else {
        Interaction::Viewed
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::catalog::Product;
    use crate::fixtures::big_and_small_spenders;
    use crate::math::sparse::SparseRows;
    use crate::models::blend::Tuning;
    use crate::models::copurchase::CoPurchase;
    use crate::models::item_weights::ItemWeights;
    use crate::models::popularity::Popularity;
    use crate::models::repeat::RepeatRates;
    use crate::models::trending::Trending;
    use crate::serve::copy::{Audience, Channel, CopyTemplates};
    use crate::shopper::events::Event;

    /// Five products; E is fed by A in co-purchase (people who buy tea cups buy tea towels).
    pub(crate) fn model() -> Model {
        Model::new(bundle())
    }

    fn bundle() -> Bundle {
        let product = |id: &str, title: &str| Product::new(id, title, 1.0);
        let catalog = Catalog::new(vec![
            product("A", "Tea Cup"),
            product("B", "White Metal Lantern"),
            product("C", "Red Metal Lantern"),
            product("D", "Lantern Candle"),
            product("E", "Tea Towel"),
        ]);
        let ease = ItemWeights::from_targets(SparseRows::from_rows(vec![
            vec![],
            vec![],
            vec![],
            vec![],
            vec![(0, 0.4)],
        ]));
        Bundle {
            catalog: catalog.clone(),
            popularity: Popularity::from_buyers(vec![10, 1, 2, 3, 5]),
            trending: Trending::from_scores(vec![1.0, 0.1, 0.2, 0.3, 0.5]),
            ease,
            // Tea cups and tea towels share baskets.
            copurchase: CoPurchase::from_pairs(ItemWeights::from_targets(SparseRows::from_rows(
                vec![vec![(4, 3.0)], vec![], vec![], vec![], vec![(0, 3.0)]],
            ))),
            // Big spenders buy red lanterns (C); occasional buyers white ones (B).
            segments: SegmentModel::fit(&catalog, &big_and_small_spenders("C", "B"), Some(2), 7)
                .unwrap(),
            // Rates of 1 leave buy-again scores as they are.
            repeat_rates: RepeatRates::from_rates(vec![1.0; 5]),
            tuning: Tuning {
                settings: BlendSettings {
                    co_purchase: 1.0,
                    content: 1.0,
                    trending: 0.15,
                    popularity: 0.0,
                    ..BlendSettings::DEFAULT
                },
                validation: None,
                defaults_because: None,
            },
            money: Default::default(),
            copy: None,
            ui_texts: None,
            more_locales: Vec::new(),
            merchandising: Default::default(),
            credit: String::new(),
            measuring: Default::default(),
        }
    }

    fn profile(events: impl IntoIterator<Item = Event>) -> Profile {
        let mut profile = Profile::default();
        for event in events {
            profile.record(event).unwrap();
        }
        profile
    }

    fn ids(model: &Model, recommendations: &[Recommendation]) -> Vec<String> {
        recommendations
            .iter()
            .map(|r| model.catalog().product(r.item).unwrap().id.clone())
            .collect()
    }

    fn reasons(model: &Model, recommendations: &[Recommendation]) -> Vec<String> {
        recommendations
            .iter()
            .map(|r| r.reason.describe(model.catalog()))
            .collect()
    }

    #[test]
    fn a_new_shopper_is_ranked_without_the_text_indices_and_a_history_builds_them() {
        let model = model();
        let new_shopper = Profile::default();
        assert!(!model.for_you(&new_shopper, 0, 5).is_empty());
        assert!(model.buy_again(&new_shopper, 0, 5).is_empty());
        assert!(
            model.text.get().is_none(),
            "a first page builds no text indices"
        );
        model.for_you(&profile([Event::view("A", 0)]), 0, 5);
        assert!(model.text.get().is_some());
    }

    #[test]
    fn a_model_awaiting_its_shards_ranks_a_new_shopper_as_the_whole_one_and_waits_for_a_history() {
        let whole = model();
        let ids_of = |model: &Model| {
            let products = model.catalog().products();
            products.iter().map(|p| p.id.clone()).collect::<Vec<_>>()
        };
        let catalog_ids = ids_of(&whole);
        let plan = ShardPlan::for_ids(catalog_ids.iter().map(String::as_str), 500);
        let awaiting = Model::awaiting_history(bundle(), &plan);
        let new_shopper = Profile::default();
        assert!(awaiting.missing_shards(&new_shopper).is_empty());
        assert_eq!(
            awaiting.for_you(&new_shopper, 0, 5),
            whole.for_you(&new_shopper, 0, 5)
        );
        let viewed_a_cup = profile([Event::view("A", 0)]);
        assert_eq!(awaiting.missing_shards(&viewed_a_cup), [0]);
        assert!(whole.missing_shards(&viewed_a_cup).is_empty());
        assert!(awaiting.bought_together(0, &viewed_a_cup, 3).is_empty());
        // What waits for a dismissal alone, and what does not.
        let dismissed_a_cup = profile([Event::dismiss("A", 0)]);
        let viewed_b_dismissed_a = profile([Event::view("B", 0), Event::dismiss("A", 1)]);
        assert!(awaiting.waits_for_dismissals_only(&dismissed_a_cup));
        assert!(!awaiting.waits_for_dismissals_only(&viewed_a_cup));
        assert!(!awaiting.waits_for_dismissals_only(&viewed_b_dismissed_a));
        assert!(!awaiting.waits_for_dismissals_only(&new_shopper));
        assert!(
            !whole.waits_for_dismissals_only(&dismissed_a_cup),
            "nothing missing"
        );
        let shown = awaiting.for_you(&new_shopper, 0, 5);
        let kept = awaiting.shown_while_waiting(&shown, &dismissed_a_cup);
        let less_a: Vec<_> = ids(&awaiting, &shown)
            .into_iter()
            .filter(|id| id != "A")
            .collect();
        assert_eq!(ids(&awaiting, &kept), less_a);
        assert!(
            ids(&awaiting, &shown).contains(&"A".to_owned()),
            "A was shown"
        );
        assert!(
            awaiting
                .shown_while_waiting(&shown, &viewed_a_cup)
                .is_empty()
        );
        // One shard for so small a catalog: its rows are every product's, in catalog order.
        let rows = whole.history_rows();
        let products = whole.catalog().len();
        let shard = HistoryShard {
            ease: rows.whole_ease().unwrap().sources().clone(),
            partners: SparseRows::from_row_slices((0..products).map(|item| rows.partners(item))),
            repeat_rates: rows.whole_repeat_rates().unwrap().to_vec(),
        };
        assert!(awaiting.provide_shard(0, shard.clone()));
        assert!(!awaiting.provide_shard(0, shard), "provided once");
        assert!(awaiting.missing_shards(&viewed_a_cup).is_empty());
        assert_eq!(
            awaiting.for_you(&viewed_a_cup, 0, 5),
            whole.for_you(&viewed_a_cup, 0, 5)
        );
        assert_eq!(ids(&whole, &whole.for_you(&viewed_a_cup, 0, 1)), ["E"]);
        assert_eq!(
            awaiting.bought_together(0, &viewed_a_cup, 3),
            whole.bought_together(0, &viewed_a_cup, 3)
        );
        assert!(!whole.bought_together(0, &viewed_a_cup, 3).is_empty());
    }

    #[test]
    fn an_arm_hides_its_shelves_and_leaving_shows_them_again() {
        let mut model = model();
        model.measuring = crate::measure::experiment::Measuring::from_json(
            br#"{"experiment":{"name":"trend","arms":[{"name":"on","share":0.5},{"name":"off","share":0.5,"hide":["trending"]}]}}"#,
            "m.json",
        )
        .unwrap();
        let mut shopper = Profile::default();
        assert_eq!(
            model.arm_to_draw(&shopper, 0.7),
            Some(("trend".to_owned(), "off".to_owned()))
        );
        let shelf = |model: &Model, profile: &Profile| {
            let ranked = model.trending(profile, 3);
            model.shelf("trending", ranked, profile, 3).len()
        };
        assert_eq!(
            shelf(&model, &shopper),
            3,
            "no arm drawn yet: the shelf shows"
        );
        shopper.enrol("trend", "off");
        assert_eq!(model.arm(&shopper).unwrap().name, "off");
        assert_eq!(model.arm_to_draw(&shopper, 0.1), None, "drawn once");
        assert_eq!(shelf(&model, &shopper), 0);
        // A second draw (another tab's) does not change the arm kept.
        shopper.enrol("trend", "on");
        assert_eq!(shelf(&model, &shopper), 0);
        let other_shelf = model.for_you(&shopper, 0, 3);
        assert_eq!(model.shelf("for-you", other_shelf, &shopper, 3).len(), 3);
        shopper.leave_experiment();
        assert!(model.arm(&shopper).is_none());
        assert_eq!(
            model.arm_to_draw(&shopper, 0.1),
            None,
            "no new draw after leaving"
        );
        assert_eq!(shelf(&model, &shopper), 3);
        // A bundle that declares another experiment (or none) ignores the stored arm.
        let mut enrolled_elsewhere = Profile::default();
        enrolled_elsewhere.enrol("older", "off");
        assert!(model.arm(&enrolled_elsewhere).is_none());
        assert!(model.enrolment(&enrolled_elsewhere).is_none());
        assert!(model.arm_to_draw(&enrolled_elsewhere, 0.1).is_some());
    }

    #[test]
    fn a_product_the_catalog_lacks_stays_in_the_profile_unshown() {
        // "Z" was viewed under an earlier deploy whose catalog had it; this catalog does not.
        let model = model();
        let viewed = profile([Event::view("Z", 0), Event::view("B", 1)]);
        assert_eq!(ids(&model, &model.recently_viewed(&viewed, 5)), ["B"]);
        for shelf in [model.for_you(&viewed, 2, 5), model.buy_again(&viewed, 2, 5)] {
            assert!(shelf.iter().all(|r| r.item < model.catalog().len()));
        }
        // The profile keeps it, through a save and a load, for a deploy that brings it back.
        let kept = Profile::from_json(&viewed.to_json()).unwrap();
        assert!(kept.item("Z").is_some());
        assert_eq!(kept.recently_viewed()[1].0, "Z");
    }

    #[test]
    fn a_new_shopper_gets_what_trends_spread_over_the_categories() {
        let model = model();
        let empty = Profile::default();
        let category = |id: &str| {
            let item = model.catalog().position(id).unwrap();
            model.catalog().product(item).unwrap().category.clone()
        };
        // The tea cup and the tea towel share a category, the candle has one of its own.
        assert_eq!(category("A"), category("E"));
        assert_ne!(category("A"), category("D"));
        assert_eq!(ids(&model, &model.trending(&empty, 3)), ["A", "E", "D"]);
        let list = model.for_you(&empty, 0, 3);
        assert_eq!(ids(&model, &list), ["A", "D", "E"]);
        assert!(list.iter().all(|r| r.reason == Reason::Trending));
        // Once the shopper has done something, the blend's order holds.
        let viewed = model.for_you(&profile([Event::view("B", 0)]), 0, 5);
        assert!(viewed.windows(2).all(|pair| pair[0].score >= pair[1].score));
    }

    #[test]
    fn views_pull_look_alikes_up_with_the_view_as_reason() {
        let model = model();
        let list = model.for_you(&profile([Event::view("B", 1)]), 1, 4);
        // C shares "metal" and "lantern" with B; D only "lantern"; A and E nothing.
        assert_eq!(ids(&model, &list), ["C", "D", "A", "E"]);
        assert_eq!(
            reasons(&model, &list),
            [
                "Because you viewed White Metal Lantern",
                "Because you viewed White Metal Lantern",
                "Trending: selling fast this week",
                "Trending: selling fast this week",
            ]
        );
    }

    #[test]
    fn views_pull_co_purchased_products_up() {
        let model = model();
        // E: trending 0.15 * 0.5 + co-purchase 0.4 + content ("tea") beats the lanterns.
        let list = model.for_you(&profile([Event::view("A", 1)]), 1, 1);
        assert_eq!(ids(&model, &list), ["E"]);
        assert_eq!(reasons(&model, &list), ["Because you viewed Tea Cup"]);
    }

    #[test]
    fn bought_products_pull_more_than_viewed_ones() {
        let model = model();
        let towel_score = |profile: &Profile| {
            let list = model.for_you(profile, 2, 5);
            list.iter().find(|r| r.item == 4).unwrap().score
        };
        // The tea towel relates to the tea cup (A) only: it scores higher when A was bought.
        let viewed = profile([Event::view("A", 0), Event::purchase("B", 1, 1.0, 1)]);
        let bought = profile([Event::purchase("A", 1, 1.0, 0), Event::view("B", 1)]);
        assert!(towel_score(&bought) > towel_score(&viewed));
        let list = model.for_you(&bought, 2, 1);
        assert_eq!(reasons(&model, &list), ["Because you bought Tea Cup"]);
    }

    #[test]
    fn best_sellers_narrow_to_a_category() {
        let model = model();
        let kitchen = model.best_sellers_in(Some("Kitchen & dining"));
        // Tea cup (10 buyers), then tea towel (5).
        assert_eq!(kitchen, [0, 4]);
        assert_eq!(model.best_sellers_in(None), model.best_sellers());
        assert!(model.best_sellers_in(Some("Nowhere")).is_empty());
    }

    #[test]
    fn weights_turn_signals_up_down_and_off() {
        let model = model();
        let viewed = profile([Event::view("B", 0)]);
        let only = |signal: fn(&mut Weights)| {
            let mut weights = Weights {
                co_purchase: 0.0,
                content: 0.0,
                search: 0.0,
                trending: 0.0,
                popularity: 0.0,
                dismiss: 0.0,
            };
            signal(&mut weights);
            model.for_you_with(&viewed, 1, 4, &weights)
        };
        // Title similarity only: the other lanterns first, the closer one (two words shared).
        let alike = only(|weights| weights.content = 0.5);
        assert_eq!(ids(&model, &alike)[..2], ["C", "D"]);
        // Trending only: what sells now, whatever was viewed (B itself is left out).
        let selling = only(|weights| weights.trending = 1.0);
        assert_eq!(ids(&model, &selling), ["A", "E", "D", "C"]);
        assert!(selling.iter().all(|r| r.reason == Reason::Trending));
    }

    #[test]
    fn similar_can_blend_in_co_purchase_and_says_which_relation_counted() {
        let model = model();
        let (cup, towel) = (0, 4);
        // By title, a tea cup is like a tea towel (cosine 0.394 by the index's IDF).
        let alike = model.similar(cup, &Profile::default(), 3);
        assert_eq!(ids(&model, &alike), ["E"]);
        assert_eq!(alike[0].reason, Reason::LooksLike { item: cup });
        // By co-purchase alone, the tea towel too (EASE weight 0.4), for that reason.
        let bought = Weights {
            content: 0.0,
            co_purchase: 1.0,
            ..Weights::SIMILAR
        };
        let together = model.similar_with(cup, &Profile::default(), 3, &bought);
        assert_eq!(ids(&model, &together), ["E"]);
        assert_eq!(together[0].reason, Reason::BoughtWith { item: cup });
        // With both, the larger contribution (0.4 against 0.394) names the reason.
        let both = Weights {
            co_purchase: 1.0,
            ..Weights::SIMILAR
        };
        let list = model.similar_with(cup, &Profile::default(), 3, &both);
        assert_eq!(list[0].item, towel);
        assert_eq!(list[0].reason, Reason::BoughtWith { item: cup });
        assert!(list[0].score > together[0].score);
    }

    #[test]
    fn searches_pull_their_matches_up() {
        let model = model();
        let list = model.for_you(&profile([Event::search("candles", 1)]), 1, 2);
        assert_eq!(ids(&model, &list), ["D", "A"]);
        assert_eq!(
            reasons(&model, &list)[0],
            "Because you searched for “candles”"
        );
    }

    #[test]
    fn dismissed_products_leave_and_push_look_alikes_down() {
        let model = model();
        let before = model.for_you(&profile([Event::view("A", 0)]), 1, 5);
        let after = model.for_you(
            &profile([Event::view("A", 0), Event::dismiss("B", 1)]),
            1,
            5,
        );
        let score =
            |list: &[Recommendation], item| list.iter().find(|r| r.item == item).map(|r| r.score);
        assert!(score(&after, 1).is_none());
        assert!(score(&after, 2).unwrap() < score(&before, 2).unwrap());
        let dismissed = profile([Event::dismiss("A", 0)]);
        assert!(!ids(&model, &model.trending(&dismissed, 5)).contains(&"A".to_owned()));
        assert!(model.bought_together(4, &dismissed, 5).is_empty());
    }

    #[test]
    fn buy_again_ranks_repeat_purchases_and_skips_the_cart() {
        let model = model();
        let shopper = profile([
            Event::purchase("B", 1, 1.0, 0),
            Event::purchase("D", 1, 1.0, 1),
            Event::purchase("D", 1, 1.0, 2),
            Event::purchase("C", 1, 1.0, 3),
            Event::add_to_cart("C", 1, 4),
        ]);
        let list = model.buy_again(&shopper, 5, 5);
        assert_eq!(ids(&model, &list), ["D", "B"]);
        assert_eq!(
            reasons(&model, &list),
            ["You bought this 2 times", "You bought this before"]
        );
        // Bought products are not "for you" discoveries.
        assert!(
            model
                .for_you(&shopper, 5, 5)
                .iter()
                .all(|r| r.item == 0 || r.item == 4)
        );
    }

    #[test]
    fn shoppers_who_ordered_get_their_segments_favourites() {
        let model = model();
        let pounds = |price: f64| format!("£{price:.2}");
        let day_ms = 86_400_000;
        let orders = (0..5).map(|day| Event::purchase("A", 10, 20.0, day * day_ms));
        let big_spender = profile(orders);
        let now = 5 * day_ms;
        assert_eq!(model.segment(&big_spender, now).unwrap().name, "Champions");
        assert_eq!(model.audience(&big_spender, now), Audience::Champions);
        assert_eq!(model.audience(&Profile::default(), now), Audience::New);
        let browsing = profile([Event::view("A", 0)]);
        assert_eq!(model.audience(&browsing, now), Audience::Browsing);
        let red = Recommendation {
            item: 2,
            score: 1.0,
            reason: Reason::Because {
                item: 1,
                interaction: crate::serve::reason::Interaction::Viewed,
            },
        };
        // Copy in `locale` for `profile`, featuring the red lantern (`None`: nothing).
        let write = |locale: &Locale, profile: &Profile, featured, channel, variant| {
            model.copy_for(locale, profile, now, featured, channel, variant, pounds)
        };
        let shop = model.locale(None);
        let (audience, copy) = write(shop, &big_spender, Some(&red), Channel::Push, 0);
        assert_eq!(audience, Audience::Champions);
        assert_eq!(
            copy.body,
            "Red Metal Lantern is here, and we saved you a first look."
        );
        // The third push template needs the category and the price, which the catalog has.
        let (_, priced) = write(shop, &big_spender, Some(&red), Channel::Push, 2);
        assert_eq!(priced.headline, "New in Candles & lighting");
        assert_eq!(priced.body, "Red Metal Lantern, £1.00: you see it first.");
        // The reason is the shopper's own doing, so a template may open with it.
        let browsing = profile([Event::view("B", 0)]);
        let (_, because) = write(shop, &browsing, Some(&red), Channel::Banner, 2);
        assert_eq!(
            because.body,
            "Because you viewed White Metal Lantern, take a look at Red Metal Lantern."
        );
        let (_, fallback) = write(shop, &big_spender, None, Channel::Push, 0);
        assert_eq!(
            fallback.body,
            "Our best seller is here, and we saved you a first look."
        );
        // Big spenders buy red lanterns (C), which this one has not met yet.
        let favourites = model.customers_like_you(&big_spender, now, 5);
        assert_eq!(ids(&model, &favourites), ["C"]);
        assert_eq!(favourites[0].reason, Reason::CustomersLikeYou);
        assert!(model.segment(&Profile::default(), now).is_none());
        assert!(model.customers_like_you(&browsing, now, 5).is_empty());

        // A shop's own templates, shipped in its bundle, are the ones written.
        let english = CopyTemplates::english().text();
        let ours = english.replace(
            "Picked for you | {product} is here",
            "Für Sie | {product} ist da",
        );
        let ours = Locale::new(
            None,
            None,
            Some(CopyTemplates::parse("ours.txt", &ours).unwrap()),
        );
        let (_, ours) = write(&ours, &big_spender, Some(&red), Channel::Push, 0);
        assert_eq!(ours.headline, "Für Sie");
        assert!(
            ours.body.starts_with("Red Metal Lantern ist da"),
            "{}",
            ours.body
        );
    }

    #[test]
    fn a_shopper_hears_their_choice_else_their_browsers_language_else_the_shops() {
        let mut model = model();
        model.locales = ["zh-CN", "en-GB", "de-DE"]
            .iter()
            .map(|tag| Locale::built_in(tag).unwrap())
            .collect();
        let browser = |tags: &[&str]| tags.iter().map(|tag| (*tag).to_owned()).collect::<Vec<_>>();
        let english_browser = browser(&["en-US", "de"]);
        assert_eq!(
            model.locale_to_speak(Some("de-DE"), &english_browser),
            Some("de-DE")
        );
        // A choice made where another tag of its language was offered (the studio's `de`).
        assert_eq!(
            model.locale_to_speak(Some("de"), &english_browser),
            Some("de-DE")
        );
        // A choice the shop no longer offers gives way to the browser's languages.
        assert_eq!(
            model.locale_to_speak(Some("fr-FR"), &english_browser),
            Some("en-GB")
        );
        assert_eq!(
            model.locale_to_speak(None, &browser(&["fr-FR"])),
            Some("zh-CN")
        );
    }

    #[test]
    fn the_cart_is_completed_by_what_goes_with_all_of_it() {
        let model = model();
        assert!(model.complete_the_order(&Profile::default(), 5).is_empty());
        // Tea cups go with tea towels.
        let cup = profile([Event::add_to_cart("A", 1, 0)]);
        let list = model.complete_the_order(&cup, 5);
        assert_eq!(ids(&model, &list), ["E"]);
        assert_eq!(reasons(&model, &list), ["Often bought with Tea Cup"]);
        // Nothing in the cart is offered again, nor anything dismissed.
        let both = profile([Event::add_to_cart("A", 1, 0), Event::add_to_cart("E", 2, 1)]);
        assert!(model.complete_the_order(&both, 5).is_empty());
        let dismissed = profile([Event::add_to_cart("A", 1, 0), Event::dismiss("E", 1)]);
        assert!(model.complete_the_order(&dismissed, 5).is_empty());
    }

    #[test]
    fn recently_viewed_is_latest_first() {
        let model = model();
        let shopper = profile([
            Event::view("C", 0),
            Event::view("A", 1),
            Event::view("gone", 2),
        ]);
        assert_eq!(ids(&model, &model.recently_viewed(&shopper, 5)), ["A", "C"]);
    }

    #[test]
    fn similar_items_share_title_words_and_exclude_the_item() {
        let model = model();
        let empty = Profile::default();
        // White metal lantern: the red metal lantern shares two words, the candle one.
        let list = model.similar(1, &empty, 5);
        assert_eq!(ids(&model, &list), ["C", "D"]);
        assert_eq!(reasons(&model, &list)[0], "Looks like White Metal Lantern");
        assert_eq!(ids(&model, &model.similar(0, &empty, 5)), ["E"]);
    }

    #[test]
    fn search_forgives_plurals_and_typos() {
        let model = model();
        // B and C match equally: trending breaks the tie (C sells more).
        assert_eq!(ids(&model, &model.search("lanterns", 5)), ["D", "C", "B"]);
        assert_eq!(ids(&model, &model.search("lantren", 5)), ["D", "C", "B"]);
        assert!(model.search("bicycle", 5).is_empty());
    }

    #[test]
    fn best_sellers_follow_distinct_buyers() {
        let model = model();
        let ids: Vec<&str> = model
            .best_sellers()
            .iter()
            .map(|&i| model.catalog().product(i).unwrap().id.as_str())
            .collect();
        assert_eq!(ids, ["A", "E", "D", "C", "B"]);
    }

    #[test]
    fn bought_together_lists_basket_partners() {
        let model = model();
        let empty = Profile::default();
        let list = model.bought_together(0, &empty, 5);
        assert_eq!(ids(&model, &list), ["E"]);
        assert_eq!(reasons(&model, &list), ["Often bought with Tea Cup"]);
        assert!(model.bought_together(1, &empty, 5).is_empty());
    }

    #[test]
    fn unknown_items_in_the_profile_are_ignored() {
        let model = model();
        let list = model.for_you(&profile([Event::view("gone-from-catalog", 1)]), 1, 2);
        assert_eq!(
            ids(&model, &list),
            ids(&model, &model.for_you(&Profile::default(), 1, 2))
        );
    }
}
