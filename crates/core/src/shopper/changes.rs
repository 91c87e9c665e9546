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
//! A change reaches storage exactly once. A tab numbers its changes into batches and writes one
//! save at a time ([`TabProfile::take_batch`]); a batch leaves the tab only when storage
//! confirms it ([`TabProfile::saved`]), and a failed write keeps it in front of newer changes
//! ([`TabProfile::failed`]). Storage records which batches it holds (a
//! [`Ledger`], written with the profile), so a batch saved twice, by its tab and by the page that
//! replays the [`Journal`] the tab left as it closed, applies once. The property test below
//! plays random interleavings of several tabs, failing writes and tabs that close mid-save
//! against this.
//!
//! Forgetting a product or a search and wiping are changes like events, so they hold in every
//! tab: a tab that saves after another tab's wipe applies its own newer events to the wiped
//! profile, not to its older copy.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::measure::Answer;
use crate::shopper::events::Event;
use crate::shopper::ledger::{Batch, Journal, Ledger};
use crate::shopper::profile::Profile;
use crate::shopper::profile::measured::DueReport;

/// One thing a tab did to the shopper's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// One tab's view of the shared profile: what it shows, the batches being written, and the
/// changes not sent yet.
#[derive(Debug, Clone, Default)]
pub struct TabProfile {
    tab: u64,
    next_seq: u64,
    /// Batches numbered and not saved yet, oldest first; the first `in_flight` are being written.
    sealed: Vec<Batch>,
    in_flight: usize,
    pending: Vec<Change>,
    current: Profile,
}

impl TabProfile {
    /// A tab, numbered `tab` (a random number, unique among the store's tabs on this device),
    /// that has just read `stored` from storage.
    pub fn new(tab: u64, stored: Profile) -> Self {
        Self {
            tab,
            next_seq: 1,
            current: stored,
            ..Self::default()
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

    /// Starts a save of everything unsaved: the changes not sent yet become a numbered batch,
    /// and the batches to write are [`TabProfile::batch`]. False, and nothing to write, when
    /// there is nothing unsaved or a save is still being written (its outcome decides what
    /// comes next).
    pub fn take_batch(&mut self) -> bool {
        if self.is_saving() {
            return false;
        }
        self.seal();
        self.in_flight = self.sealed.len();
        self.in_flight > 0
    }

    /// The batches being written: save them with [`Ledger::save`].
    pub fn batch(&self) -> &[Batch] {
        &self.sealed[..self.in_flight]
    }

    /// True while a save is being written.
    pub fn is_saving(&self) -> bool {
        self.in_flight > 0
    }

    /// True when every change this tab made is in storage.
    pub fn is_saved(&self) -> bool {
        self.sealed.is_empty() && self.pending.is_empty()
    }

    /// Storage confirmed the save; it now holds `stored` (the batches applied to whatever the
    /// other tabs had saved) and `ledger`. Batches the ledger holds leave the tab, including any
    /// that another page saved from this tab's [`Journal`].
    pub fn saved(&mut self, stored: Profile, ledger: &Ledger) {
        self.in_flight = 0;
        self.sealed.retain(|batch| !ledger.holds(batch));
        self.rebase(stored);
    }

    /// Writing the save failed: its batches stay in front of the newer changes, to be written
    /// again, with the same numbers, by the next save.
    pub fn failed(&mut self) {
        self.in_flight = 0;
    }

    /// Another tab saved; storage now holds `stored`. Ignored while this tab's own save is being
    /// written (whether `stored` includes it is unknown; [`TabProfile::saved`] brings the
    /// profile up to date). Returns whether the tab took it.
    pub fn reloaded(&mut self, stored: Profile) -> bool {
        if self.is_saving() {
            return false;
        }
        self.rebase(stored);
        true
    }

    /// Everything this tab has not saved, the save being written included, for a page that
    /// opens later to save ([`Ledger::save`]) if this one closes first. The changes not sent yet
    /// become a numbered batch, so that this tab, if it lives on, writes them under the number
    /// the journal gives them.
    pub fn journal(&mut self) -> Journal {
        self.seal();
        Journal(self.sealed.clone())
    }

    fn seal(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.sealed.push(Batch {
            tab: self.tab,
            seq: self.next_seq,
            changes: std::mem::take(&mut self.pending),
        });
        self.next_seq += 1;
    }

    fn rebase(&mut self, stored: Profile) {
        // Change::apply fails only on what TabProfile::change refused, so this keeps them all.
        self.current = stored;
        let unsaved = self.sealed.iter().flat_map(|batch| &batch.changes);
        for change in unsaved.chain(&self.pending) {
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

    /// What storage holds: the profile and the ledger written with it.
    #[derive(Default)]
    struct Storage {
        profile: Profile,
        ledger: Ledger,
    }

    impl Storage {
        /// One atomic save.
        fn save(&mut self, batches: &[Batch]) {
            self.profile = self.ledger.save(self.profile.clone(), batches).unwrap();
        }

        /// A tab saves everything it has and learns the outcome.
        fn save_all(&mut self, tab: &mut TabProfile) {
            while tab.take_batch() {
                self.save(tab.batch());
                tab.saved(self.profile.clone(), &self.ledger);
            }
        }
    }

    /// What a tab or the storage can do next.
    #[derive(Debug, Clone)]
    enum Step {
        /// Tab records a view.
        Record(usize),
        /// Tab starts writing its save.
        Send(usize),
        /// Tab's write lands (true) or fails (false).
        Finish(usize, bool),
        /// Tab learns another tab saved.
        Reload(usize),
        /// Tab's page goes, leaving its journal, which the next page to open saves. The page
        /// comes back from the back-forward cache (true) or a new page takes its place.
        Leave(usize, bool),
        /// The write of a page that went lands (true) or is dropped with the page.
        Orphan(bool),
    }

    fn step(tabs: usize) -> impl Strategy<Value = Step> {
        prop_oneof![
            6 => (0..tabs).prop_map(Step::Record),
            4 => (0..tabs).prop_map(Step::Send),
            4 => (0..tabs, prop::bool::weighted(0.8)).prop_map(|(tab, ok)| Step::Finish(tab, ok)),
            2 => (0..tabs).prop_map(Step::Reload),
            1 => (0..tabs, any::<bool>()).prop_map(|(tab, back)| Step::Leave(tab, back)),
            1 => any::<bool>().prop_map(Step::Orphan),
        ]
    }

    proptest! {
        /// However the tabs' changes, writes, failures, reloads and departures interleave,
        /// storage ends with every event once, and every tab then shows what storage holds.
        #[test]
        fn no_interleaving_loses_or_duplicates_an_event(
            tabs in 1usize..5,
            steps in prop::collection::vec(step(4), 0..160),
        ) {
            let mut storage = Storage::default();
            let mut tab_profiles: Vec<TabProfile> =
                (0..tabs).map(|tab| TabProfile::new(tab as u64, Profile::default())).collect();
            let mut next_tab = tabs as u64;
            // The save each tab is writing: a tab never has two.
            let mut sending: Vec<Option<Vec<Batch>>> = vec![None; tabs];
            // Saves of pages that went, still on their way.
            let mut orphans: Vec<Vec<Batch>> = Vec::new();
            let mut recorded = 0i64;
            for step in steps {
                match step {
                    Step::Record(tab) if tab < tabs => {
                        recorded += 1;
                        tab_profiles[tab].change(view(recorded)).unwrap();
                    }
                    Step::Send(tab) if tab < tabs && tab_profiles[tab].take_batch() => {
                        prop_assert!(sending[tab].is_none());
                        sending[tab] = Some(tab_profiles[tab].batch().to_vec());
                    }
                    Step::Finish(tab, ok) if tab < tabs && sending[tab].is_some() => {
                        let batches = sending[tab].take().unwrap();
                        if ok {
                            storage.save(&batches);
                            tab_profiles[tab].saved(storage.profile.clone(), &storage.ledger);
                        } else {
                            tab_profiles[tab].failed();
                        }
                    }
                    Step::Reload(tab) if tab < tabs => {
                        tab_profiles[tab].reloaded(storage.profile.clone());
                    }
                    Step::Leave(tab, back) if tab < tabs => {
                        let journal = tab_profiles[tab].journal();
                        storage.save(&journal.0);
                        if !back {
                            orphans.extend(sending[tab].take());
                            tab_profiles[tab] = TabProfile::new(next_tab, storage.profile.clone());
                            next_tab += 1;
                        }
                    }
                    Step::Orphan(lands) if !orphans.is_empty() => {
                        let batches = orphans.remove(0);
                        if lands {
                            storage.save(&batches);
                        }
                    }
                    _ => {}
                }
            }
            for (tab, tab_profile) in tab_profiles.iter_mut().enumerate() {
                if sending[tab].take().is_some() {
                    tab_profile.failed();
                }
                storage.save_all(tab_profile);
            }
            prop_assert_eq!(views(&storage.profile), recorded as u64);
            let mut seen: Vec<i64> =
                storage.profile.recent_events().iter().map(|event| event.at_ms).collect();
            seen.sort_unstable();
            let expected: Vec<i64> = (1..=recorded).collect();
            prop_assert_eq!(seen, expected, "each event in storage once");
            for tab_profile in &mut tab_profiles {
                prop_assert!(tab_profile.reloaded(storage.profile.clone()));
                prop_assert_eq!(tab_profile.current(), &storage.profile);
                prop_assert!(tab_profile.is_saved());
            }
        }
    }

    #[test]
    fn a_wipe_in_one_tab_holds_when_another_saves_later() {
        let mut first = TabProfile::new(1, Profile::default());
        let mut second = TabProfile::new(2, Profile::default());
        let mut storage = Storage::default();
        for (tab, n) in [(&mut first, 1), (&mut second, 2)] {
            tab.change(view(n)).unwrap();
            storage.save_all(tab);
        }
        assert_eq!(views(&storage.profile), 2);
        first.change(Change::Wipe).unwrap();
        second.change(view(3)).unwrap();
        assert!(first.take_batch() && second.take_batch());
        storage.save(first.batch());
        first.saved(storage.profile.clone(), &storage.ledger);
        storage.save(second.batch());
        second.saved(storage.profile.clone(), &storage.ledger);
        assert_eq!(
            views(&storage.profile),
            1,
            "only the view made after the wipe"
        );
        assert!(storage.profile.item("P1").is_none() && storage.profile.item("P2").is_none());
        assert!(first.reloaded(storage.profile.clone()));
        assert_eq!(first.current(), second.current());
    }

    #[test]
    fn a_forgotten_product_stays_forgotten_in_every_tab() {
        let mut first = TabProfile::new(1, Profile::default());
        let mut second = TabProfile::new(2, Profile::default());
        let mut storage = Storage::default();
        first.change(view(1)).unwrap();
        storage.save_all(&mut first);
        assert!(second.reloaded(storage.profile.clone()));
        second.change(Change::ForgetItem("P1".into())).unwrap();
        first.change(view(2)).unwrap();
        assert!(second.take_batch() && first.take_batch());
        storage.save(second.batch());
        second.saved(storage.profile.clone(), &storage.ledger);
        storage.save(first.batch());
        first.saved(storage.profile.clone(), &storage.ledger);
        assert!(first.current().item("P1").is_none());
        assert!(first.current().item("P2").is_some());
    }

    #[test]
    fn an_invalid_event_changes_nothing() {
        let mut tab = TabProfile::new(1, Profile::default());
        let bad = Change::Record(vec![Event::view("P1", 1), Event::view("", 2)]);
        assert!(tab.change(bad).is_err());
        assert!(tab.current().is_empty());
        assert!(!tab.take_batch());
        assert!(tab.journal().is_empty());
    }

    #[test]
    fn an_import_replaces_the_profile_and_a_bad_one_changes_nothing() {
        let mut exported = Profile::default();
        exported.record(Event::view("P9", 9)).unwrap();
        let mut tab = TabProfile::new(1, Profile::default());
        tab.change(view(1)).unwrap();
        assert!(tab.change(Change::Import("{\"schema\":2".into())).is_err());
        assert!(tab.current().item("P1").is_some());
        tab.change(Change::Import(exported.to_json())).unwrap();
        assert_eq!(tab.current(), &exported);
    }

    #[test]
    fn a_failed_batch_is_sent_again_before_newer_changes() {
        let mut tab = TabProfile::new(1, Profile::default());
        tab.change(view(1)).unwrap();
        assert!(tab.take_batch());
        tab.change(Change::ForgetItem("P1".into())).unwrap();
        assert!(!tab.take_batch(), "one save at a time");
        tab.failed();
        assert!(tab.take_batch());
        let numbered: Vec<u64> = tab.batch().iter().map(|batch| batch.seq).collect();
        assert_eq!(
            numbered,
            [1, 2],
            "the failed batch keeps its number, in front"
        );
        let mut storage = Storage::default();
        storage.save(tab.batch());
        assert!(
            storage.profile.item("P1").is_none(),
            "the view, then its forgetting"
        );
    }

    #[test]
    fn a_page_that_closes_mid_save_leaves_everything_to_the_next_page() {
        let mut leaving = TabProfile::new(1, Profile::default());
        let mut storage = Storage::default();
        leaving.change(view(1)).unwrap();
        assert!(leaving.take_batch());
        let on_its_way = leaving.batch().to_vec();
        leaving.change(view(2)).unwrap();
        let journal = leaving.journal();
        assert_eq!(
            journal.0.len(),
            2,
            "the save being written and the change behind it"
        );
        // The write of the page that went lands after all, then the next page replays the
        // journal: batch 1 is not applied twice.
        storage.save(&on_its_way);
        storage.save(&Journal::from_json(&journal.to_json()).unwrap().0);
        assert_eq!(views(&storage.profile), 2);
        // Back from the back-forward cache, the page learns its write landed; storage then holds
        // the batch queued behind it too, replayed from the journal, so it has nothing to save.
        leaving.saved(storage.profile.clone(), &storage.ledger);
        assert!(leaving.is_saved());
        assert!(!leaving.take_batch());
        assert_eq!(leaving.current(), &storage.profile);
    }
}
