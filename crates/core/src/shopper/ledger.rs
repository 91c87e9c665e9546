//! Changes that outlive their tab: numbered batches, the ledger of the batches storage holds,
//! and the journal a closing tab leaves behind.
//!
//! A tab saves in the background ([`super::changes`]), so a reload, a link followed or a tab
//! closed right after a click leaves changes the tab never finished saving: the batch being
//! written (the browser may abort its transaction as the page goes) and those queued behind it.
//! As it goes, the tab writes them synchronously into a [`Journal`] (the browser's
//! `localStorage`, the one storage a page can write while it unloads), and the next page of the
//! store to open saves the journal.
//!
//! Whether the batch being written landed is unknown when the journal is written, so a save
//! must be idempotent. Every batch carries its tab's random number and a sequence number, and
//! storage keeps, beside the profile and in the same atomic write, a [`Ledger`]: for each
//! recent tab, the last batch it holds. A batch the ledger already holds is skipped, so a
//! journal replayed after its batch landed, or a tab that comes back from the browser's
//! back-forward cache and saves what another page already replayed, changes nothing twice.
//!
//! The ledger keeps the [`LEDGER_TABS`] tabs that saved most recently. A tab's batches are
//! replayed by the next page of the store to open, and while a tab lives each of its saves puts
//! it back at the front, so an entry is dropped only after that many other tabs saved since
//! the tab's last save. The ledger holds tab numbers and counts, not times or products:
//! nothing in it tells what the shopper did.

use serde::{Deserialize, Serialize};

use super::changes::{Change, apply_all};
use super::profile::Profile;
use crate::error::{Error, Result};

/// How many tabs the [`Ledger`] remembers.
pub const LEDGER_TABS: usize = 64;

/// Changes of one tab, saved together, numbered so that storage applies them once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// The tab's random number.
    pub tab: u64,
    /// The batch's place among the tab's batches, from 1.
    pub seq: u64,
    /// The changes, in the order the tab made them.
    pub changes: Vec<Change>,
}

/// For each recent tab, the last of its batches storage holds; most recent first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Ledger(Vec<(u64, u64)>);

impl Ledger {
    /// Reads the stored ledger (`None`: nothing stored yet).
    pub fn from_json(text: Option<&str>) -> Result<Self> {
        text.map_or(Ok(Self::default()), |text| {
            serde_json::from_slice(text.as_bytes()).map_err(|error| Error::Profile {
                message: format!("not a readable ledger of saved changes ({error})"),
            })
        })
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a ledger holds only integers")
    }

    /// True when storage holds `batch` (or a later batch of its tab).
    pub fn holds(&self, batch: &Batch) -> bool {
        self.0
            .iter()
            .any(|&(tab, seq)| tab == batch.tab && seq >= batch.seq)
    }

    /// Applies to `stored` the batches it does not hold yet, in order, and records them. A
    /// batch that cannot apply fails the whole save and leaves the ledger as it was.
    pub fn save(&mut self, mut stored: Profile, batches: &[Batch]) -> Result<Profile> {
        let mut ledger = self.clone();
        for batch in batches {
            if ledger.holds(batch) {
                continue;
            }
            stored = apply_all(stored, &batch.changes)?;
            ledger.0.retain(|&(tab, _)| tab != batch.tab);
            ledger.0.insert(0, (batch.tab, batch.seq));
            ledger.0.truncate(LEDGER_TABS);
        }
        *self = ledger;
        Ok(stored)
    }
}

/// What a closing tab had not saved yet, oldest batch first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Journal(pub Vec<Batch>);

impl Journal {
    /// Reads a journal.
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_slice(text.as_bytes()).map_err(|error| Error::Profile {
            message: format!("not a readable journal of unsaved changes ({error})"),
        })
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("changes hold only strings, integers and finite numbers")
    }

    /// True when there is nothing to save.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::shopper::events::Event;

    /// Batch `seq` of tab `tab`: one view, of product `P<at_ms>` at `at_ms`.
    pub(crate) fn batch(tab: u64, seq: u64, at_ms: i64) -> Batch {
        Batch {
            tab,
            seq,
            changes: vec![Change::Record(vec![Event::view(
                format!("P{at_ms}"),
                at_ms,
            )])],
        }
    }

    fn every_kind_of_change() -> Vec<Change> {
        use crate::measure::Answer;
        use crate::shopper::profile::measured::DueReport;
        let due = DueReport {
            period: "2026-W49".into(),
            truth: Answer::Opened,
            arm: "with".into(),
            epsilon: 1.5,
        };
        vec![
            Change::Record(vec![Event::view("A", 1), Event::search("tea", 2)]),
            Change::ForgetItem("A".into()),
            Change::ForgetSearch("tea".into()),
            Change::Shown("for-you".into(), 12),
            Change::Enrol("shelves".into(), "with".into()),
            Change::LeaveExperiment,
            Change::ClaimReport(due, Answer::Bought, u64::MAX, -5),
            Change::ReportDelivered("2026-W49".into(), 7, false),
            Change::ReportsOff(true),
            Change::Wipe,
            Change::Import(Profile::default().to_json()),
        ]
    }

    #[test]
    fn a_batch_is_applied_once_however_often_it_is_saved() {
        let mut ledger = Ledger::default();
        let once = ledger.save(Profile::default(), &[batch(7, 1, 1)]).unwrap();
        let again = ledger
            .save(once.clone(), &[batch(7, 1, 1), batch(7, 2, 2)])
            .unwrap();
        assert_eq!(
            again.recent_events().len(),
            2,
            "batch 1 skipped, batch 2 applied"
        );
        assert!(ledger.holds(&batch(7, 2, 2)));
        assert!(!ledger.holds(&batch(7, 3, 3)));
        assert!(!ledger.holds(&batch(8, 1, 1)), "another tab's first batch");
    }

    #[test]
    fn the_ledger_keeps_the_tabs_that_saved_last() {
        let mut ledger = Ledger::default();
        let mut stored = Profile::default();
        for tab in 0..=LEDGER_TABS as u64 {
            stored = ledger
                .save(stored, &[batch(tab, 1, tab as i64 + 1)])
                .unwrap();
        }
        assert_eq!(ledger.0.len(), LEDGER_TABS);
        assert!(!ledger.holds(&batch(0, 1, 1)), "the oldest tab dropped");
        assert!(ledger.holds(&batch(LEDGER_TABS as u64, 1, 1)));
        // A tab that saves again moves to the front rather than taking a second entry.
        ledger.save(stored, &[batch(1, 2, 99)]).unwrap();
        assert_eq!(ledger.0[0], (1, 2));
        assert_eq!(ledger.0.len(), LEDGER_TABS);
    }

    #[test]
    fn a_batch_that_cannot_apply_saves_nothing() {
        let mut ledger = Ledger::default();
        let bad = Batch {
            tab: 1,
            seq: 2,
            changes: vec![Change::Import("not a profile".into())],
        };
        assert!(
            ledger
                .save(Profile::default(), &[batch(1, 1, 1), bad])
                .is_err()
        );
        assert_eq!(ledger, Ledger::default(), "not even the batch before it");
    }

    #[test]
    fn ledgers_and_journals_read_back_what_they_wrote() {
        let mut ledger = Ledger::default();
        ledger
            .save(Profile::default(), &[batch(u64::MAX, 3, 1)])
            .unwrap();
        assert_eq!(Ledger::from_json(Some(&ledger.to_json())).unwrap(), ledger);
        assert_eq!(Ledger::from_json(None).unwrap(), Ledger::default());
        let journal = Journal(vec![
            batch(5, 1, 1),
            Batch {
                tab: 5,
                seq: 2,
                changes: every_kind_of_change(),
            },
        ]);
        assert_eq!(Journal::from_json(&journal.to_json()).unwrap(), journal);
        let error = Journal::from_json("[{\"tab\":5}]").unwrap_err().to_string();
        assert!(error.contains("journal"), "{error}");
        let partial = r#"[{"tab":5,"seq":1,"changes":[{"Enrol":["shelves"]}]}]"#;
        let error = Journal::from_json(partial).unwrap_err().to_string();
        assert!(error.contains("invalid length 1"), "{error}");
    }
}
