//! One profile for every tab of a store: what a tab changes is kept as data until storage has it,
//! and applied to what storage holds at that moment rather than to the tab's own copy.
//!
//! Shoppers open product pages in new tabs. If each tab loaded the profile once and saved its
//! whole copy after every change, the last tab to save would win and the other tabs' events
//! would be gone. Here a tab keeps its changes as [`Change`]s, and a save is one atomic
//! read-apply-write of the stored profile (in the browser, an IndexedDB read-write transaction,
//! which runs one at a time across tabs). Between saves the tab shows the stored profile with its
//! unsaved changes applied ([`TabProfile::current`]).
//!
//! A change reaches storage exactly once. A tab sends one batch at a time
//! ([`TabProfile::take_batch`]); the batch leaves the tab only when storage confirms it
//! ([`TabProfile::saved`]), and a failed write puts it back in front of newer changes
//! ([`TabProfile::failed`]). Two batches of one tab are never in flight together, so none is
//! applied twice; none is dropped before storage has it, so none is lost. The property test below
//! plays random interleavings of several tabs and failing writes against this.
//!
//! Forgetting a product or a search and wiping are changes like events, so they hold in every
//! tab: a tab that saves after another tab's wipe applies its own newer events to the wiped
//! profile, not to its older copy.

use crate::error::Result;
use crate::measure::Answer;
use crate::shopper::events::Event;
use crate::shopper::profile::Profile;
use crate::shopper::profile::measured::DueReport;

/// One thing a tab did to the shopper's profile.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Events, recorded in order.
    Record(Vec<Event>),
    /// Forget one product ([`Profile::forget_item`]).
    ForgetItem(String),
    /// Forget one search query ([`Profile::forget_search`]).
    ForgetSearch(String),
    /// Count products a shelf showed ([`Profile::shown`]): the shelf and how many.
    Shown(String, u64),
    /// Take part in the experiment (first name) on the arm (second) drawn in this tab
    /// ([`Profile::enrol`]).
    Enrol(String, String),
    /// Leave the experiment ([`Profile::leave_experiment`]).
    LeaveExperiment,
    /// Claim a week's report for this tab ([`Profile::claim_report`]): the report owed, the
    /// randomized answer this tab drew for it, the tab's claim number and the time.
    ClaimReport(DueReport, Answer, u64, i64),
    /// Whether the report claimed (week, claim number) arrived ([`Profile::report_delivered`]).
    ReportDelivered(String, u64, bool),
    /// Turn reports off (`true`) or on ([`Profile::set_reports_off`]).
    ReportsOff(bool),
    /// Forget everything.
    Wipe,
    /// Replace the whole profile with an exported one (its JSON, as [`Profile::from_json`]
    /// reads it). Kept as text: a profile is never copied in memory, which keeps the code that
    /// copies one out of the storefront's download.
    Import(String),
}

impl Change {
    /// Applies the change. Events are all checked first, so a batch with a bad event changes
    /// nothing.
    pub fn apply(&self, profile: &mut Profile) -> Result<()> {
        match self {
            Change::Record(events) => {
                events.iter().try_for_each(Event::check)?;
                for event in events {
                    profile.record(event.clone())?;
                }
            }
            Change::ForgetItem(id) => {
                profile.forget_item(id);
            }
            Change::ForgetSearch(query) => {
                profile.forget_search(query);
            }
            Change::Shown(placement, products) => profile.shown(placement, *products),
            Change::Enrol(experiment, arm) => profile.enrol(experiment, arm),
            Change::LeaveExperiment => profile.leave_experiment(),
            Change::ClaimReport(due, drawn, claim, at_ms) => {
                profile.claim_report(due, *drawn, *claim, *at_ms)
            }
            Change::ReportDelivered(period, claim, delivered) => {
                profile.report_delivered(period, *claim, *delivered)
            }
            Change::ReportsOff(off) => profile.set_reports_off(*off),
            Change::Wipe => *profile = Profile::default(),
            Change::Import(json) => *profile = Profile::from_json(json)?,
        }
        Ok(())
    }
}

/// Applies `changes` in order to the profile storage holds: what a save writes back.
pub fn apply_all(mut stored: Profile, changes: &[Change]) -> Result<Profile> {
    for change in changes {
        change.apply(&mut stored)?;
    }
    Ok(stored)
}

/// One tab's view of the shared profile: what it shows, the batch being written, and the
/// changes not sent yet.
#[derive(Debug, Clone, Default)]
pub struct TabProfile {
    in_flight: Vec<Change>,
    pending: Vec<Change>,
    current: Profile,
}

impl TabProfile {
    /// A tab that has just read `stored` from storage.
    pub fn new(stored: Profile) -> Self {
        Self {
            current: stored,
            in_flight: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// What the tab shows: the stored profile with this tab's unsaved changes applied.
    pub fn current(&self) -> &Profile {
        &self.current
    }

    /// Makes a change: shown at once, saved with the next batch. A change that cannot apply
    /// (an invalid event) is refused and changes nothing.
    pub fn change(&mut self, change: Change) -> Result<()> {
        change.apply(&mut self.current)?;
        self.pending.push(change);
        Ok(())
    }

    /// Starts a batch: the changes not sent yet become the batch to write
    /// ([`TabProfile::batch`]). False, and nothing to write, when there are none or a batch is
    /// still being written (its outcome decides what comes next).
    pub fn take_batch(&mut self) -> bool {
        if !self.in_flight.is_empty() || self.pending.is_empty() {
            return false;
        }
        self.in_flight = std::mem::take(&mut self.pending);
        true
    }

    /// The batch being written: apply it to what storage holds ([`apply_all`]).
    pub fn batch(&self) -> &[Change] {
        &self.in_flight
    }

    /// True while a batch is being written.
    pub fn is_saving(&self) -> bool {
        !self.in_flight.is_empty()
    }

    /// True when every change this tab made is in storage.
    pub fn is_saved(&self) -> bool {
        self.in_flight.is_empty() && self.pending.is_empty()
    }

    /// Storage confirmed the batch; it now holds `stored` (the batch applied to whatever the
    /// other tabs had saved).
    pub fn saved(&mut self, stored: Profile) {
        self.in_flight.clear();
        self.rebase(stored);
    }

    /// Writing the batch failed: its changes go back in front of the newer ones, to be sent
    /// with the next batch.
    pub fn failed(&mut self) {
        let mut failed = std::mem::take(&mut self.in_flight);
        failed.append(&mut self.pending);
        self.pending = failed;
    }

    /// Another tab saved; storage now holds `stored`. Ignored while this tab's own batch is being
    /// written (whether `stored` includes it is unknown; [`TabProfile::saved`] brings the
    /// profile up to date). Returns whether the tab took it.
    pub fn reloaded(&mut self, stored: Profile) -> bool {
        if self.is_saving() {
            return false;
        }
        self.rebase(stored);
        true
    }

    fn rebase(&mut self, stored: Profile) {
        // Change::apply fails only on what TabProfile::change refused, so this keeps them all.
        self.current = stored;
        for change in &self.pending {
            let _ = change.apply(&mut self.current);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn view(n: i64) -> Change {
        Change::Record(vec![Event::view(format!("P{n}"), n)])
    }

    fn views(profile: &Profile) -> u64 {
        profile
            .event_counts()
            .into_iter()
            .find(|(kind, _)| *kind == "view")
            .map_or(0, |(_, count)| count)
    }

    /// What a tab or the storage can do next.
    #[derive(Debug, Clone)]
    enum Step {
        /// Tab records a view.
        Record(usize),
        /// Tab starts writing its batch.
        Send(usize),
        /// Tab's write lands (true) or fails (false).
        Finish(usize, bool),
        /// Tab learns another tab saved.
        Reload(usize),
    }

    fn step(tabs: usize) -> impl Strategy<Value = Step> {
        prop_oneof![
            3 => (0..tabs).prop_map(Step::Record),
            2 => (0..tabs).prop_map(Step::Send),
            2 => (0..tabs, prop::bool::weighted(0.8)).prop_map(|(tab, ok)| Step::Finish(tab, ok)),
            1 => (0..tabs).prop_map(Step::Reload),
        ]
    }

    proptest! {
        /// However the tabs' changes, writes, failures and reloads interleave, storage ends with
        /// every event once, and every tab then shows what storage holds.
        #[test]
        fn no_interleaving_loses_or_duplicates_an_event(
            tabs in 1usize..5,
            steps in prop::collection::vec(step(4), 0..120),
        ) {
            let mut storage = Profile::default();
            let mut tab_profiles: Vec<TabProfile> = (0..tabs).map(|_| TabProfile::new(Profile::default())).collect();
            // Batches a tab has sent, oldest first: the tab must never have two.
            let mut sending: Vec<Vec<Vec<Change>>> = vec![Vec::new(); tabs];
            let mut recorded = 0i64;
            for step in steps {
                match step {
                    Step::Record(tab) if tab < tabs => {
                        recorded += 1;
                        tab_profiles[tab].change(view(recorded)).unwrap();
                    }
                    Step::Send(tab) if tab < tabs && tab_profiles[tab].take_batch() => {
                        sending[tab].push(tab_profiles[tab].batch().to_vec());
                    }
                    Step::Finish(tab, ok) if tab < tabs && !sending[tab].is_empty() => {
                        let batch = sending[tab].remove(0);
                        if ok {
                            storage = apply_all(storage, &batch).unwrap();
                            tab_profiles[tab].saved(storage.clone());
                        } else {
                            tab_profiles[tab].failed();
                        }
                    }
                    Step::Reload(tab) if tab < tabs => {
                        tab_profiles[tab].reloaded(storage.clone());
                    }
                    _ => {}
                }
            }
            for (tab, tab_profile) in tab_profiles.iter_mut().enumerate() {
                for _ in sending[tab].drain(..) {
                    tab_profile.failed();
                }
                while tab_profile.take_batch() {
                    storage = apply_all(storage, tab_profile.batch()).unwrap();
                    tab_profile.saved(storage.clone());
                }
            }
            prop_assert_eq!(views(&storage), recorded as u64);
            let mut seen: Vec<i64> = storage.recent_events().iter().map(|event| event.at_ms).collect();
            seen.sort_unstable();
            let expected: Vec<i64> = (1..=recorded).collect();
            prop_assert_eq!(seen, expected, "each event in storage once");
            for tab_profile in &mut tab_profiles {
                prop_assert!(tab_profile.reloaded(storage.clone()));
                prop_assert_eq!(tab_profile.current(), &storage);
                prop_assert!(tab_profile.is_saved());
            }
        }
    }

    #[test]
    fn a_wipe_in_one_tab_holds_when_another_saves_later() {
        let mut first = TabProfile::new(Profile::default());
        let mut second = TabProfile::new(Profile::default());
        let mut storage = Profile::default();
        for (tab, n) in [(&mut first, 1), (&mut second, 2)] {
            tab.change(view(n)).unwrap();
            assert!(tab.take_batch());
            storage = apply_all(storage, tab.batch()).unwrap();
            tab.saved(storage.clone());
        }
        assert_eq!(views(&storage), 2);
        first.change(Change::Wipe).unwrap();
        second.change(view(3)).unwrap();
        assert!(first.take_batch() && second.take_batch());
        storage = apply_all(storage, first.batch()).unwrap();
        first.saved(storage.clone());
        storage = apply_all(storage, second.batch()).unwrap();
        second.saved(storage.clone());
        assert_eq!(views(&storage), 1, "only the view made after the wipe");
        assert!(storage.item("P1").is_none() && storage.item("P2").is_none());
        assert!(first.reloaded(storage.clone()));
        assert_eq!(first.current(), second.current());
    }

    #[test]
    fn a_forgotten_product_stays_forgotten_in_every_tab() {
        let mut first = TabProfile::new(Profile::default());
        let mut second = TabProfile::new(Profile::default());
        first.change(view(1)).unwrap();
        assert!(first.take_batch());
        let mut storage = apply_all(Profile::default(), first.batch()).unwrap();
        first.saved(storage.clone());
        assert!(second.reloaded(storage.clone()));
        second.change(Change::ForgetItem("P1".into())).unwrap();
        first.change(view(2)).unwrap();
        assert!(second.take_batch() && first.take_batch());
        storage = apply_all(storage, second.batch()).unwrap();
        second.saved(storage.clone());
        storage = apply_all(storage, first.batch()).unwrap();
        first.saved(storage.clone());
        assert!(first.current().item("P1").is_none());
        assert!(first.current().item("P2").is_some());
    }

    #[test]
    fn an_invalid_event_changes_nothing() {
        let mut tab = TabProfile::new(Profile::default());
        let bad = Change::Record(vec![Event::view("P1", 1), Event::view("", 2)]);
        assert!(tab.change(bad).is_err());
        assert!(tab.current().is_empty());
        assert!(!tab.take_batch());
    }

    #[test]
    fn an_import_replaces_the_profile_and_a_bad_one_changes_nothing() {
        let mut exported = Profile::default();
        exported.record(Event::view("P9", 9)).unwrap();
        let mut tab = TabProfile::new(Profile::default());
        tab.change(view(1)).unwrap();
        assert!(tab.change(Change::Import("{\"schema\":2".into())).is_err());
        assert!(tab.current().item("P1").is_some());
        tab.change(Change::Import(exported.to_json())).unwrap();
        assert_eq!(tab.current(), &exported);
    }

    #[test]
    fn a_failed_batch_is_sent_again_before_newer_changes() {
        let mut tab = TabProfile::new(Profile::default());
        tab.change(Change::Record(vec![Event::view("P1", 1)]))
            .unwrap();
        assert!(tab.take_batch());
        tab.change(Change::ForgetItem("P1".into())).unwrap();
        assert!(!tab.take_batch(), "one batch at a time");
        tab.failed();
        assert!(tab.take_batch());
        assert_eq!(tab.batch().len(), 2);
        let stored = apply_all(Profile::default(), tab.batch()).unwrap();
        assert!(stored.item("P1").is_none(), "the view, then its forgetting");
    }
}
