//! The shopper's profile: their events folded into bounded, decaying interest.
//!
//! Storing every event would grow without end (a year of browsing is tens of thousands), so each
//! event updates a small summary as it arrives:
//!
//! - per product: an interest score, view and dwell totals, what is in the cart, how often it was
//!   bought, whether it was dismissed;
//! - per search query: an interest score and a count;
//! - per event kind: how many were ever recorded (for the privacy center);
//! - the last [`MAX_RECENT_EVENTS`] events verbatim (so an export shows what just happened).
//!
//! Its stored and exported form, and the migration of older ones, are in `stored`
//! ([`Profile::to_json`], [`Profile::from_json`]).
//!
//! Interest decays with a half-life of [`HALF_LIFE_DAYS`]: it is stored with the time it was last
//! updated and aged when read, so nothing needs rewriting while the shopper is away. When more than
//! [`MAX_ITEMS`] products (or [`MAX_SEARCHES`] queries) are tracked, the faintest are forgotten,
//! keeping what is in the cart, bought or dismissed longest. Memory is therefore bounded whatever
//! the number of events.
//!
//! How much each event adds to a product's interest: a view 1, a minute of dwell 1 (capped there),
//! adding to the cart 3, a purchase 5, a click on a recommendation 0.5 (its view counts too).
//! Dismissing sets the interest to 0 and keeps the product out of recommendations.
//!
//! ```
//! use aisle_core::shopper::events::Event;
//! use aisle_core::shopper::profile::Profile;
//! let mut profile = Profile::default();
//! profile.record(Event::view("85123A", 0)).unwrap();
//! profile.record(Event::add_to_cart("85123A", 2, 0)).unwrap();
//! assert_eq!(profile.cart(), [("85123A", 2)]);
//! assert_eq!(profile.interests(0)[0], ("85123A", 4.0));
//! let stored = profile.to_json();
//! assert_eq!(Profile::from_json(&stored).unwrap(), profile);
//! ```

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::shopper::events::{Event, EventKind};

pub mod measured;
mod stored;

use measured::{DueReport, Enrolment, Measured, Opened, PlacementCounts, SentReport};

use crate::measure::Answer;
use crate::measure::experiment::Measuring;

/// The version of the stored form written by [`Profile::to_json`]. Version 1 was a plain event
/// log of views; [`Profile::from_json`] migrates it by replaying its events.
pub const SCHEMA_VERSION: u32 = 2;

/// Interest halves every this many days without activity.
pub const HALF_LIFE_DAYS: f64 = 30.0;

/// Most products tracked at once (after compaction).
pub const MAX_ITEMS: usize = 1_000;

/// Most search queries tracked at once (after compaction).
pub const MAX_SEARCHES: usize = 50;

/// Events kept verbatim, newest last.
pub const MAX_RECENT_EVENTS: usize = 200;

const DAY_MS: f64 = 86_400_000.0;
const VIEW_INTEREST: f64 = 1.0;
const DWELL_MS_PER_INTEREST: f64 = 60_000.0;
const CART_INTEREST: f64 = 3.0;
const PURCHASE_INTEREST: f64 = 5.0;
const CLICK_INTEREST: f64 = 0.5;
const SEARCH_INTEREST: f64 = 1.0;

/// A score that halves every [`HALF_LIFE_DAYS`], stored with the time it was last changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Decayed {
    value: f64,
    at_ms: i64,
}

impl Decayed {
    /// The score as of `now_ms` (times before the last change count as that time).
    pub fn at(&self, now_ms: i64) -> f64 {
        let days = now_ms.saturating_sub(self.at_ms).max(0) as f64 / DAY_MS;
        self.value * 0.5f64.powf(days / HALF_LIFE_DAYS)
    }

    fn add(&mut self, amount: f64, now_ms: i64) {
        let now_ms = now_ms.max(self.at_ms);
        self.value = self.at(now_ms) + amount;
        self.at_ms = now_ms;
    }
}

/// What the profile knows about one product.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemActivity {
    /// Decayed interest.
    pub interest: Decayed,
    /// Times viewed.
    pub views: u32,
    /// Total time on its page, in milliseconds.
    pub dwell_ms: u64,
    /// When it was last viewed.
    pub last_viewed_ms: Option<i64>,
    /// How many are in the cart now.
    pub in_cart: u32,
    /// Purchases (one per purchase event).
    pub orders: u32,
    /// When it was first bought (profiles stored before this field was kept have none).
    #[serde(default)]
    pub first_bought_ms: Option<i64>,
    /// When it was last bought.
    pub last_bought_ms: Option<i64>,
    /// When it was last touched in any way.
    pub last_at_ms: i64,
    /// "Not interested".
    pub dismissed: bool,
    /// The shelf it was last opened from, and when (for attribution).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_from: Option<Opened>,
}

impl ItemActivity {
    /// Keep-first order for compaction: in the cart (2), then bought or dismissed (1), then the
    /// rest (0); by interest within each.
    fn retention_tier(&self) -> u8 {
        if self.in_cart > 0 {
            2
        } else if self.orders > 0 || self.dismissed {
            1
        } else {
            0
        }
    }
}

/// Sorts strongest first, ties kept in their current order (the profile's maps are in id order).
/// Every ranking of the profile goes through this one function, so the storefront's download
/// holds one sort for them instead of one per ranking.
fn strongest_first(ranked: &mut [(&str, f64)]) {
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
}

/// What the profile knows about one search query.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchActivity {
    /// Decayed interest.
    pub interest: Decayed,
    /// Times searched.
    pub times: u32,
}

/// What the shopper has bought overall: the numbers customer segments are defined by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderTotals {
    /// Orders placed; purchase events stamped with one time are one checkout.
    pub orders: u32,
    /// Total spent.
    pub spent: f64,
    /// When the latest order was placed.
    pub last_order_ms: Option<i64>,
}

/// The shopper's compacted history. See the module docs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    items: BTreeMap<String, ItemActivity>,
    searches: BTreeMap<String, SearchActivity>,
    counts: BTreeMap<String, u64>,
    recent: VecDeque<Event>,
    /// Checkout totals, for placing the shopper in a customer segment.
    #[serde(default)]
    orders: OrderTotals,
    /// When the first event was recorded (profiles stored before this field have none).
    #[serde(default)]
    first_ms: Option<i64>,
    /// Time on product pages ever recorded, including that of products since compacted away.
    #[serde(default)]
    dwell_ms: u64,
    /// The latest event time seen: decay and compaction use it, so an event stamped in the past
    /// (a clock change) cannot revive faded interest.
    latest_ms: i64,
    /// Attribution per shelf, the experiment's arm and recent weeks' answers.
    #[serde(default)]
    measured: Measured,
}

impl Profile {
    /// Folds one event into the profile. An event that fails [`Event::check`] is refused and
    /// changes nothing.
    pub fn record(&mut self, event: Event) -> Result<()> {
        event.check()?;
        let now = event.at_ms;
        self.latest_ms = self.latest_ms.max(now);
        self.first_ms = Some(self.first_ms.map_or(now, |first| first.min(now)));
        *self.counts.entry(event.kind.name().to_owned()).or_insert(0) += 1;
        self.measured.week(now);
        match &event.kind {
            EventKind::Search { query } => {
                let search = self.searches.entry(normalise_query(query)).or_default();
                search.interest.add(SEARCH_INTEREST, now);
                search.times += 1;
            }
            kind => {
                let item = self
                    .items
                    .entry(event.item().unwrap_or_default().to_owned())
                    .or_default();
                item.last_at_ms = item.last_at_ms.max(now);
                match *kind {
                    EventKind::View { .. } => {
                        item.views += 1;
                        item.last_viewed_ms = item.last_viewed_ms.max(Some(now));
                        item.interest.add(VIEW_INTEREST, now);
                    }
                    EventKind::Dwell { ms, .. } => {
                        item.dwell_ms = item.dwell_ms.saturating_add(ms);
                        self.dwell_ms = self.dwell_ms.saturating_add(ms);
                        let bonus = (ms as f64 / DWELL_MS_PER_INTEREST).min(1.0);
                        item.interest.add(bonus, now);
                    }
                    EventKind::AddToCart { quantity, .. } => {
                        item.in_cart = item.in_cart.saturating_add(quantity);
                        item.interest.add(CART_INTEREST, now);
                        if let Some(placement) = Measured::credited(item.opened_from.as_ref(), now)
                            && let Some(counts) = self.measured.placement(placement)
                        {
                            counts.added += 1;
                        }
                    }
                    EventKind::RemoveFromCart { .. } => item.in_cart = 0,
                    EventKind::Purchase {
                        quantity, price, ..
                    } => {
                        if self.orders.last_order_ms != Some(now) {
                            self.orders.orders += 1;
                            self.orders.last_order_ms = self.orders.last_order_ms.max(Some(now));
                        }
                        self.orders.spent += f64::from(quantity) * price;
                        item.orders += 1;
                        item.in_cart = 0;
                        item.first_bought_ms =
                            Some(item.first_bought_ms.map_or(now, |first| first.min(now)));
                        item.last_bought_ms = item.last_bought_ms.max(Some(now));
                        item.interest.add(PURCHASE_INTEREST, now);
                        if let Some(placement) = Measured::credited(item.opened_from.as_ref(), now)
                        {
                            if let Some(counts) = self.measured.placement(placement) {
                                counts.bought += 1;
                            }
                            self.measured.week(now).bought = true;
                        }
                    }
                    EventKind::Click { ref placement, .. } => {
                        item.interest.add(CLICK_INTEREST, now);
                        item.opened_from = Some(Opened {
                            placement: placement.clone(),
                            at_ms: now,
                        });
                        if let Some(counts) = self.measured.placement(placement) {
                            counts.opened += 1;
                        }
                        self.measured.week(now).opened = true;
                    }
                    EventKind::Dismiss { .. } => {
                        item.dismissed = true;
                        item.interest = Decayed {
                            value: 0.0,
                            at_ms: now,
                        };
                    }
                    EventKind::Search { .. } => unreachable!("handled above"),
                }
            }
        }
        self.recent.push_back(event);
        if self.recent.len() > MAX_RECENT_EVENTS {
            self.recent.pop_front();
        }
        self.compact();
        Ok(())
    }

    /// Forgets the faintest products and queries once there are a tenth more than the limits
    /// allow, back down to the limits; the slack keeps this off the per-event path.
    fn compact(&mut self) {
        let now = self.latest_ms;
        if self.items.len() > MAX_ITEMS + MAX_ITEMS / 10 {
            let mut ranked: Vec<(&str, f64)> = self
                .items
                .iter()
                .map(|(id, item)| (id.as_str(), item.interest.at(now)))
                .collect();
            strongest_first(&mut ranked);
            // Then by tier, keeping the interest order within each: cart, bought or
            // dismissed, the rest.
            let tier = |id: &str| self.items[id].retention_tier();
            let by_tier: Vec<&str> = (0..3)
                .rev()
                .flat_map(|wanted| {
                    ranked
                        .iter()
                        .filter(move |(id, _)| tier(id) == wanted)
                        .map(|(id, _)| *id)
                })
                .collect();
            let dropped: Vec<String> = by_tier[MAX_ITEMS..]
                .iter()
                .map(|id| (*id).to_owned())
                .collect();
            for id in dropped {
                self.items.remove(&id);
            }
        }
        if self.searches.len() > MAX_SEARCHES + MAX_SEARCHES / 10 {
            let mut ranked: Vec<(&str, f64)> = self
                .searches
                .iter()
                .map(|(query, search)| (query.as_str(), search.interest.at(now)))
                .collect();
            strongest_first(&mut ranked);
            let dropped: Vec<String> = ranked[MAX_SEARCHES..]
                .iter()
                .map(|(query, _)| (*query).to_owned())
                .collect();
            for query in dropped {
                self.searches.remove(&query);
            }
        }
    }

    /// True when nothing was recorded yet (or everything was forgotten).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.searches.is_empty()
    }

    /// Everything known per product, by id.
    pub fn items(&self) -> &BTreeMap<String, ItemActivity> {
        &self.items
    }

    /// What is known about one product.
    pub fn item(&self, id: &str) -> Option<&ItemActivity> {
        self.items.get(id)
    }

    /// Products by interest as of `now_ms`, strongest first; dismissed and faded-out ones are
    /// left out. Ties keep id order.
    pub fn interests(&self, now_ms: i64) -> Vec<(&str, f64)> {
        let mut ranked: Vec<(&str, f64)> = self
            .items
            .iter()
            .filter(|(_, item)| !item.dismissed)
            .map(|(id, item)| (id.as_str(), item.interest.at(now_ms)))
            .filter(|(_, interest)| *interest > 0.0)
            .collect();
        strongest_first(&mut ranked);
        ranked
    }

    /// Viewed products, latest view first (dismissed ones left out).
    pub fn recently_viewed(&self) -> Vec<(&str, i64)> {
        // Times in milliseconds are exact in an f64 (below 2^53).
        let mut viewed: Vec<(&str, f64)> = self
            .items
            .iter()
            .filter(|(_, item)| !item.dismissed)
            .filter_map(|(id, item)| Some((id.as_str(), item.last_viewed_ms? as f64)))
            .collect();
        strongest_first(&mut viewed);
        viewed.into_iter().map(|(id, at)| (id, at as i64)).collect()
    }

    /// The cart: product ids and quantities, in id order.
    pub fn cart(&self) -> Vec<(&str, u32)> {
        self.items
            .iter()
            .filter(|(_, item)| item.in_cart > 0)
            .map(|(id, item)| (id.as_str(), item.in_cart))
            .collect()
    }

    /// Bought products with their purchase counts, latest purchase first.
    pub fn purchased(&self) -> Vec<(&str, &ItemActivity)> {
        let mut bought: Vec<(&str, f64)> = self
            .items
            .iter()
            .filter(|(_, item)| item.orders > 0)
            .map(|(id, item)| {
                let at = item
                    .last_bought_ms
                    .map_or(f64::NEG_INFINITY, |at| at as f64);
                (id.as_str(), at)
            })
            .collect();
        strongest_first(&mut bought);
        bought
            .into_iter()
            .map(|(id, _)| (id, &self.items[id]))
            .collect()
    }

    /// When the first event was recorded, if known.
    pub fn first_ms(&self) -> Option<i64> {
        self.first_ms
    }

    /// Time on product pages ever recorded, in milliseconds.
    pub fn dwell_ms(&self) -> u64 {
        self.dwell_ms
    }

    /// Checkout totals (all purchases ever recorded, including forgotten products').
    pub fn order_totals(&self) -> OrderTotals {
        self.orders
    }

    /// Dismissed product ids.
    pub fn dismissed(&self) -> impl Iterator<Item = &str> {
        self.items
            .iter()
            .filter(|(_, item)| item.dismissed)
            .map(|(id, _)| id.as_str())
    }

    /// Search queries by interest as of `now_ms`, strongest first.
    pub fn searches(&self, now_ms: i64) -> Vec<(&str, f64)> {
        let mut ranked: Vec<(&str, f64)> = self
            .searches
            .iter()
            .map(|(query, search)| (query.as_str(), search.interest.at(now_ms)))
            .collect();
        strongest_first(&mut ranked);
        ranked
    }

    /// How many events of each kind were ever recorded, every kind listed (0 when none), in
    /// [`EventKind::NAMES`] order.
    pub fn event_counts(&self) -> Vec<(&'static str, u64)> {
        EventKind::NAMES
            .iter()
            .map(|&name| (name, self.counts.get(name).copied().unwrap_or(0)))
            .collect()
    }

    /// The most recent events, oldest first (at most [`MAX_RECENT_EVENTS`]).
    pub fn recent_events(&self) -> &VecDeque<Event> {
        &self.recent
    }

    /// Counts `products` shown on the shelf `placement` (one page showing it).
    pub fn shown(&mut self, placement: &str, products: u64) {
        if let Some(counts) = self.measured.placement(placement) {
            counts.shown = counts.shown.saturating_add(products);
        }
    }

    /// Attribution per shelf, by placement name.
    pub fn placement_counts(&self) -> &BTreeMap<String, PlacementCounts> {
        &self.measured.placements
    }

    /// The experiment's arm this browser drew (or that its shopper left it), if any.
    pub fn enrolment(&self) -> Option<&Enrolment> {
        self.measured.enrolment.as_ref()
    }

    /// Takes part in `experiment` on `arm`, unless this profile already has an arm of it or
    /// left it: the first draw stored wins over a draw another tab made at the same time.
    pub fn enrol(&mut self, experiment: &str, arm: &str) {
        let enrolled = self
            .measured
            .enrolment
            .as_ref()
            .is_some_and(|enrolment| enrolment.experiment == experiment);
        if !enrolled {
            self.measured.enrolment = Some(Enrolment {
                experiment: experiment.to_owned(),
                arm: Some(arm.to_owned()),
            });
        }
    }

    /// Leaves the experiment this profile takes part in: it keeps no arm, and draws none again
    /// for the same experiment.
    pub fn leave_experiment(&mut self) {
        if let Some(enrolment) = &mut self.measured.enrolment {
            enrolment.arm = None;
        }
    }

    /// The report the store owes as of `now_ms` under the bundle's `measuring`, if any (see
    /// [`measured`]).
    pub fn report_due(&self, now_ms: i64, measuring: &Measuring) -> Option<DueReport> {
        self.measured.report_due(now_ms, measuring)
    }

    /// Claims `due`'s week for the tab `claim` and keeps the report it is to send (with the
    /// answer drawn before for the same truth, else `drawn`); nothing when the week has a
    /// report already, so of two tabs that claim at once only the first stored sends.
    pub fn claim_report(&mut self, due: &DueReport, drawn: Answer, claim: u64, at_ms: i64) {
        self.measured.claim_report(due, drawn, claim, at_ms);
    }

    /// Notes whether the report the tab `claim` sent for `period` reached the endpoint.
    pub fn report_delivered(&mut self, period: &str, claim: u64, delivered: bool) {
        self.measured.delivered(period, claim, delivered);
    }

    /// The reports sent, oldest first, each body as it left.
    pub fn sent_reports(&self) -> &[SentReport] {
        &self.measured.sent
    }

    /// Whether the shopper turned reports off.
    pub fn reports_off(&self) -> bool {
        self.measured.reports_off
    }

    /// Turns reports off (`true`) or on again.
    pub fn set_reports_off(&mut self, off: bool) {
        self.measured.reports_off = off;
    }

    /// The latest weeks with any activity and their true answers, oldest first, by ISO week.
    pub fn weeks(&self) -> &BTreeMap<String, measured::Week> {
        &self.measured.weeks
    }

    /// Forgets a product entirely: its interest, cart line, purchases, dismissal and its events
    /// among the recent ones. Returns whether anything was known about it.
    pub fn forget_item(&mut self, id: &str) -> bool {
        self.recent.retain(|event| event.item() != Some(id));
        let forgotten = self.items.remove(id);
        if let Some(item) = &forgotten {
            // Its time on the page goes with it (time on products compacted away stays).
            self.dwell_ms = self.dwell_ms.saturating_sub(item.dwell_ms);
        }
        forgotten.is_some()
    }

    /// Forgets a search query (as [`Profile::searches`] lists it) and its recent search events.
    /// Returns whether it was known.
    pub fn forget_search(&mut self, query: &str) -> bool {
        let query = normalise_query(query);
        self.recent.retain(|event| match &event.kind {
            EventKind::Search { query: q } => normalise_query(q) != query,
            _ => true,
        });
        self.searches.remove(&query).is_some()
    }
}

/// A query as the profile keys it: lower case, single spaces, trimmed.
fn normalise_query(query: &str) -> String {
    query
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    /// Records every event, each of which must be valid.
    pub(super) fn record(profile: &mut Profile, events: impl IntoIterator<Item = Event>) {
        for event in events {
            profile.record(event).unwrap();
        }
    }

    #[test]
    fn each_event_adds_its_documented_interest() {
        let mut profile = Profile::default();
        record(
            &mut profile,
            [
                Event::view("A", 0),
                Event::dwell("A", 30_000, 0),  // half a minute: +0.5
                Event::dwell("B", 600_000, 0), // capped at +1
                Event::add_to_cart("C", 1, 0),
                Event::purchase("D", 1, 2.0, 0),
                Event::click("E", "for-you", 0),
            ],
        );
        let interest = |id: &str| profile.item(id).unwrap().interest.at(0);
        assert_eq!(interest("A"), 1.5);
        assert_eq!(interest("B"), 1.0);
        assert_eq!(interest("C"), 3.0);
        assert_eq!(interest("D"), 5.0);
        assert_eq!(interest("E"), 0.5);
        assert_eq!(profile.item("A").unwrap().dwell_ms, 30_000);
    }

    #[test]
    fn interest_halves_every_half_life() {
        let mut profile = Profile::default();
        record(&mut profile, [Event::add_to_cart("A", 1, 0)]);
        let half_life = (HALF_LIFE_DAYS as i64) * DAY;
        assert!((profile.interests(half_life)[0].1 - 1.5).abs() < 1e-12);
        // A later view adds to the decayed value: 3 / 4 + 1 after two half-lives.
        record(&mut profile, [Event::view("A", 2 * half_life)]);
        assert!((profile.interests(2 * half_life)[0].1 - 1.75).abs() < 1e-12);
    }

    #[test]
    fn cart_purchase_and_dismiss_update_state() {
        let mut profile = Profile::default();
        record(
            &mut profile,
            [
                Event::add_to_cart("A", 2, 1),
                Event::add_to_cart("A", 1, 2),
                Event::add_to_cart("B", 1, 3),
            ],
        );
        assert_eq!(profile.cart(), [("A", 3), ("B", 1)]);
        record(
            &mut profile,
            [
                Event::remove_from_cart("B", 4),
                Event::purchase("A", 3, 1.0, 5),
            ],
        );
        assert!(profile.cart().is_empty());
        assert_eq!(profile.purchased()[0].0, "A");
        record(
            &mut profile,
            [
                Event::purchase("B", 2, 1.5, 9),
                Event::purchase("C", 1, 4.0, 9),
            ],
        );
        // Two checkouts (at 5 and at 9): 3 * 1.0 + 2 * 1.5 + 4.0 spent.
        let totals = profile.order_totals();
        assert_eq!(
            (totals.orders, totals.spent, totals.last_order_ms),
            (2, 10.0, Some(9))
        );
        assert_eq!(profile.purchased()[0].1.orders, 1);
        record(&mut profile, [Event::view("C", 6), Event::dismiss("C", 7)]);
        assert_eq!(profile.dismissed().collect::<Vec<_>>(), ["C"]);
        assert!(profile.interests(7).iter().all(|(id, _)| *id != "C"));
        assert!(profile.recently_viewed().is_empty());
    }

    #[test]
    fn counts_list_every_kind() {
        let mut profile = Profile::default();
        record(
            &mut profile,
            [
                Event::view("A", 0),
                Event::view("B", 1),
                Event::search("lanterns", 2),
            ],
        );
        let counts = profile.event_counts();
        assert_eq!(counts.len(), EventKind::NAMES.len());
        assert_eq!(counts[0], ("view", 2));
        assert_eq!(counts[2], ("search", 1));
        assert_eq!(counts[5], ("purchase", 0));
    }

    #[test]
    fn searches_are_keyed_by_normalised_query() {
        let mut profile = Profile::default();
        record(
            &mut profile,
            [
                Event::search("  Red  Lantern ", 0),
                Event::search("red lantern", 0),
            ],
        );
        assert_eq!(profile.searches(0), [("red lantern", 2.0)]);
        assert!(profile.forget_search("RED LANTERN"));
        assert!(profile.searches(0).is_empty());
        assert!(profile.recent_events().is_empty());
    }

    #[test]
    fn many_events_stay_bounded() {
        let mut profile = Profile::default();
        for n in 0..100_000i64 {
            let event = match n % 10 {
                0 => Event::search(format!("query {}", n % 977), n),
                _ => Event::view(format!("item{}", n % 5_003), n),
            };
            profile.record(event).unwrap();
        }
        assert!(profile.items().len() <= MAX_ITEMS + MAX_ITEMS / 10);
        assert!(profile.searches(0).len() <= MAX_SEARCHES + MAX_SEARCHES / 10);
        assert_eq!(profile.recent_events().len(), MAX_RECENT_EVENTS);
        assert_eq!(profile.event_counts()[0], ("view", 90_000));
        assert!(profile.to_json().len() < 400_000);
    }

    #[test]
    fn compaction_keeps_cart_and_purchases_over_faint_views() {
        let mut profile = Profile::default();
        record(
            &mut profile,
            [
                Event::add_to_cart("cart", 1, 0),
                Event::purchase("bought", 1, 1.0, 0),
            ],
        );
        // Two kept products plus these views make one more than the slack allows.
        for n in 0..(MAX_ITEMS as i64 + MAX_ITEMS as i64 / 10 - 1) {
            record(&mut profile, [Event::view(format!("v{n}"), 1_000 + n)]);
        }
        assert_eq!(profile.items().len(), MAX_ITEMS);
        assert!(profile.item("cart").is_some());
        assert!(profile.item("bought").is_some());
        // The oldest plain view went first.
        assert!(profile.item("v0").is_none());
    }

    #[test]
    fn extreme_times_from_an_import_do_not_overflow() {
        let mut profile = Profile::default();
        record(&mut profile, [Event::view("A", 5)]);
        let json = profile
            .to_json()
            .replace(r#""at_ms":5"#, &format!(r#""at_ms":{}"#, i64::MIN));
        let imported = Profile::from_json(&json).unwrap();
        // Aged beyond measure: faded out, not a panic.
        assert!(imported.interests(i64::MAX).is_empty());
        assert_eq!(imported.recently_viewed(), [("A", 5)]);
    }

    #[test]
    fn carts_and_purchases_count_for_the_shelf_last_opened_within_the_window() {
        let mut profile = Profile::default();
        profile.shown("for-you", 8);
        profile.shown("trending", 8);
        let window = measured::ATTRIBUTION_WINDOW_DAYS * DAY;
        record(
            &mut profile,
            [
                Event::click("A", "trending", 0),
                Event::view("A", 0),
                Event::click("A", "for-you", 10),
                Event::add_to_cart("A", 1, 20),
                Event::purchase("A", 1, 2.0, window + 10),
                // Bought again after the window: no credit.
                Event::purchase("A", 1, 2.0, window + 11),
                // Never opened from a shelf: no credit.
                Event::add_to_cart("B", 1, 30),
                Event::purchase("B", 1, 2.0, 30),
            ],
        );
        let counts = profile.placement_counts();
        let for_you = counts["for-you"];
        assert_eq!(
            (for_you.shown, for_you.opened, for_you.added, for_you.bought),
            (8, 1, 1, 1)
        );
        let trending = counts["trending"];
        assert_eq!(
            (
                trending.shown,
                trending.opened,
                trending.added,
                trending.bought
            ),
            (8, 1, 0, 0)
        );
        // Week 1 of 1970 holds the opens; the week of the attributed purchase is bought.
        let weeks: Vec<_> = profile.weeks().values().map(|week| week.answer()).collect();
        use crate::measure::Answer;
        assert_eq!(weeks, [Answer::Opened, Answer::Bought]);
        // The counts survive storage.
        assert_eq!(Profile::from_json(&profile.to_json()).unwrap(), profile);
    }

    #[test]
    fn a_finished_week_owes_one_report_whose_answer_is_kept_per_truth() {
        use crate::measure::Answer;
        use crate::measure::experiment::Measuring;
        let measuring = Measuring::from_json(
            br#"{"experiment":{"name":"e","arms":[{"name":"a","share":0.5},{"name":"b","share":0.5}]},
                "reports":{"endpoint":"/reports","epsilon":1}}"#,
            "m.json",
        )
        .unwrap();
        // 1970-01-01 is a Thursday: each `week` later is the next ISO week.
        let week = 7 * DAY;
        let mut profile = Profile::default();
        record(&mut profile, [Event::click("A", "for-you", 0)]);
        assert!(
            profile.report_due(week, &measuring).is_none(),
            "no arm drawn yet"
        );
        profile.enrol("e", "b");
        assert!(
            profile.report_due(1, &measuring).is_none(),
            "the week is not over"
        );
        let due = profile.report_due(week, &measuring).unwrap();
        assert_eq!(
            (due.period.as_str(), due.truth, due.arm.as_str()),
            ("1970-W01", Answer::Opened, "b")
        );
        profile.claim_report(&due, Answer::Nothing, 11, week);
        // Another tab claiming the same week at the same time changes nothing.
        profile.claim_report(&due, Answer::Bought, 22, week);
        assert_eq!(profile.sent_reports().len(), 1);
        assert_eq!(
            profile.sent_reports()[0].body,
            r#"{"schema":1,"period":"1970-W01","epsilon":1.0,"arm":"b","answer":"nothing"}"#
        );
        assert!(profile.report_due(week, &measuring).is_none(), "sent once");
        profile.report_delivered("1970-W01", 22, true);
        assert_eq!(
            profile.sent_reports()[0].delivered,
            None,
            "not that tab's claim"
        );
        profile.report_delivered("1970-W01", 11, true);
        assert_eq!(profile.sent_reports()[0].delivered, Some(true));
        // The next week's true answer is "opened" again: the same randomized answer goes out.
        record(&mut profile, [Event::click("A", "for-you", week)]);
        let due = profile.report_due(2 * week, &measuring).unwrap();
        profile.claim_report(&due, Answer::Bought, 33, 2 * week);
        assert!(
            profile.sent_reports()[1]
                .body
                .contains(r#""answer":"nothing""#)
        );
        // Turned off, or out of the experiment: nothing is owed.
        record(&mut profile, [Event::view("A", 2 * week)]);
        profile.set_reports_off(true);
        assert!(profile.report_due(3 * week, &measuring).is_none());
        profile.set_reports_off(false);
        assert_eq!(
            profile.report_due(3 * week, &measuring).unwrap().truth,
            Answer::Nothing
        );
        profile.leave_experiment();
        assert!(profile.report_due(3 * week, &measuring).is_none());
        // Kept through storage; a kept report longer than any report is refused.
        assert_eq!(Profile::from_json(&profile.to_json()).unwrap(), profile);
        let padded = format!(r#"\"arm\":\"b\",\"user\":\"{}\""#, "x".repeat(300));
        let tampered = profile.to_json().replacen(r#"\"arm\":\"b\""#, &padded, 1);
        let error = Profile::from_json(&tampered).unwrap_err().to_string();
        assert!(error.contains("report for 1970-W01: "), "{error}");
    }

    #[test]
    fn shelves_counted_stay_bounded() {
        let mut profile = Profile::default();
        for n in 0..100 {
            profile.shown(&format!("shelf-{n}"), 1);
            record(&mut profile, [Event::click("A", format!("other-{n}"), n)]);
        }
        assert_eq!(profile.placement_counts().len(), measured::MAX_PLACEMENTS);
    }

    #[test]
    fn forgetting_an_item_removes_its_recent_events() {
        let mut profile = Profile::default();
        record(&mut profile, [Event::view("A", 0), Event::view("B", 1)]);
        assert!(profile.forget_item("A"));
        assert!(!profile.forget_item("A"));
        assert_eq!(profile.recent_events().len(), 1);
        assert_eq!(profile.recently_viewed(), [("B", 1)]);
    }
}
