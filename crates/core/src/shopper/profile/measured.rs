//! What the profile keeps for measuring the shop's recommendations, on the device: per shelf, how
//! many products were shown, opened, added to the cart and bought after an open; the arm of the
//! shop's experiment this browser drew; and, per recent week, whether a recommendation was opened
//! and whether a purchase followed one, the true answer a weekly report randomizes
//! ([`crate::measure`]).
//!
//! **Attribution.** Opening a recommended product (a `click` event, which names its shelf) marks
//! the product with that shelf and time. Adding it to the cart or buying it within
//! [`ATTRIBUTION_WINDOW_DAYS`] of the latest open counts for that shelf once per event: the last
//! shelf it was opened from gets the credit, as in most shops' analytics ("last click").
//!
//! **Reports.** When the bundle names a report endpoint, the store sends at most one report per
//! week: for the latest finished week with any activity, once ([`DueReport`]). The randomized
//! answer drawn for each true answer is kept ([`Memo`]), and so is every report sent, its body
//! as it left, for the privacy center to show. The shopper may turn reports off.
//!
//! Everything here is bounded: at most [`MAX_PLACEMENTS`] shelves (the store has eight), the
//! latest [`MAX_WEEKS`] weeks and [`MAX_SENT`] reports.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike};
use serde::{Deserialize, Serialize};

use crate::measure::Answer;
use crate::measure::experiment::Measuring;
use crate::measure::randomizer::Memo;
use crate::measure::report::{Report, check_arm};
use crate::shopper::events::MAX_PLACEMENT_BYTES;

/// An add-to-cart or purchase counts for the shelf a product was opened from when it follows the
/// open within this many days.
pub const ATTRIBUTION_WINDOW_DAYS: i64 = 7;

/// Most shelves counted.
pub const MAX_PLACEMENTS: usize = 16;

/// Weeks whose answers are kept, the latest last.
pub const MAX_WEEKS: usize = 3;

/// Reports kept for the privacy center: a year of weeks and some.
pub const MAX_SENT: usize = 60;

/// The longest report body kept (a report is about 80 bytes).
const MAX_SENT_BODY_BYTES: usize = 256;

/// The arm a report names when the bundle declares no experiment.
pub const NO_EXPERIMENT: &str = "all";

const DAY_MS: i64 = 86_400_000;

/// One shelf's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementCounts {
    /// Products the shelf showed, counted once per page that showed them.
    pub shown: u64,
    /// Products opened from it.
    pub opened: u64,
    /// Products added to the cart within the window after being opened from it.
    pub added: u64,
    /// Products bought within the window after being opened from it.
    pub bought: u64,
}

/// Where and when a product was last opened from a shelf.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    /// The shelf.
    pub placement: String,
    /// When.
    pub at_ms: i64,
}

/// The arm of the shop's experiment this browser drew, or that its shopper left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// The experiment's name, as the bundle declares it.
    pub experiment: String,
    /// The arm drawn; `None` once the shopper left the experiment.
    pub arm: Option<String>,
}

/// One week's true answer, before any randomization.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Week {
    /// A recommendation was opened in the week.
    pub opened: bool,
    /// A purchase in the week followed the open of a recommendation.
    pub bought: bool,
}

impl Week {
    /// The week as a report's answer: a purchase after an open counts as an open too, since the
    /// open may have been the week before.
    pub fn answer(&self) -> Answer {
        Answer::of(self.opened || self.bought, self.bought)
    }
}

/// The profile's measuring state. See the module docs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// Counts per shelf, by placement name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub placements: BTreeMap<String, PlacementCounts>,
    /// The experiment arm drawn, if the bundle declared an experiment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolment: Option<Enrolment>,
    /// The latest weeks with any activity, by ISO week (`2026-W49`, which sorts by time).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub weeks: BTreeMap<String, Week>,
    /// The randomized answer drawn for each true answer.
    #[serde(default)]
    pub memo: Memo,
    /// The shopper turned reports off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reports_off: bool,
    /// The reports sent, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sent: Vec<SentReport>,
}

/// A report this browser sent, as it left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentReport {
    /// The week it is for.
    pub period: String,
    /// When it was sent.
    pub at_ms: i64,
    /// The body POSTed, byte for byte.
    pub body: String,
    /// The tab that claimed the week (a random number): only that tab sends it.
    pub claim: u64,
    /// Whether the endpoint took it; `None` while it is on its way (or the tab closed first).
    #[serde(default)]
    pub delivered: Option<bool>,
}

/// A report the store owes: the week, its true answer, the arm to name and the privacy budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueReport {
    /// The ISO week.
    pub period: String,
    /// The week's true answer, before randomizing.
    pub truth: Answer,
    /// The arm the report names.
    pub arm: String,
    /// The privacy budget the bundle declares per report.
    pub epsilon: f64,
}

/// The ISO week (`2026-W49`, in UTC) that `at_ms` falls in.
pub fn iso_week(at_ms: i64) -> String {
    let date = DateTime::from_timestamp_millis(at_ms).unwrap_or_default();
    let week = date.iso_week();
    format!("{:04}-W{:02}", week.year(), week.week())
}

impl Measured {
    /// Notes activity in the week of `at_ms`, forgetting weeks beyond [`MAX_WEEKS`].
    pub(super) fn week(&mut self, at_ms: i64) -> &mut Week {
        let period = iso_week(at_ms);
        if !self.weeks.contains_key(&period) {
            self.weeks.insert(period.clone(), Week::default());
            while self.weeks.len() > MAX_WEEKS {
                self.weeks.pop_first();
            }
        }
        // An event stamped before the weeks kept (a clock change) lands in the oldest kept.
        let period = if self.weeks.contains_key(&period) {
            period
        } else {
            self.weeks.keys().next().cloned().unwrap_or(period)
        };
        self.weeks.get_mut(&period).expect("inserted above")
    }

    /// The counts of `placement`, made when there is room for one more shelf.
    pub(super) fn placement(&mut self, placement: &str) -> Option<&mut PlacementCounts> {
        if !self.placements.contains_key(placement) && self.placements.len() >= MAX_PLACEMENTS {
            return None;
        }
        Some(self.placements.entry(placement.to_owned()).or_default())
    }

    /// The shelf `opened` earns credit for an add-to-cart or purchase at `at_ms`, if the open
    /// is recent enough.
    pub(super) fn credited(opened: Option<&Opened>, at_ms: i64) -> Option<&str> {
        let opened = opened?;
        let since = at_ms.saturating_sub(opened.at_ms);
        (0..=ATTRIBUTION_WINDOW_DAYS * DAY_MS)
            .contains(&since)
            .then_some(opened.placement.as_str())
    }

    /// The report owed as of `now_ms` under `measuring`, if any: reports are declared, not
    /// turned off, the browser is in an arm (or there is no experiment; a browser that left one
    /// sends nothing), and a finished week with activity has no report yet, nor any later week.
    pub(super) fn report_due(&self, now_ms: i64, measuring: &Measuring) -> Option<DueReport> {
        let reporting = measuring.reports.as_ref()?;
        if self.reports_off {
            return None;
        }
        let arm = match &measuring.experiment {
            None => NO_EXPERIMENT.to_owned(),
            Some(experiment) => {
                let enrolment = self.enrolment.as_ref()?;
                let arm = enrolment.arm.as_deref()?;
                (enrolment.experiment == experiment.name && experiment.arm(arm).is_some())
                    .then(|| arm.to_owned())?
            }
        };
        let current = iso_week(now_ms);
        let (period, week) = self.weeks.range(..current).next_back()?;
        if self.reported_since(period) {
            return None;
        }
        Some(DueReport {
            period: period.clone(),
            truth: week.answer(),
            arm,
            epsilon: reporting.epsilon,
        })
    }

    /// Claims `due`'s week for the tab `claim`, answering with the memo's randomized answer for
    /// its truth (`drawn` when there is none yet); nothing when the week has a report already.
    pub(super) fn claim_report(&mut self, due: &DueReport, drawn: Answer, claim: u64, at_ms: i64) {
        if self.reported_since(&due.period) {
            return;
        }
        let answer = self.memo.keep(due.truth, drawn);
        let body = Report::new(&due.period, &due.arm, due.epsilon, answer).to_json();
        self.sent.push(SentReport {
            period: due.period.clone(),
            at_ms,
            body,
            claim,
            delivered: None,
        });
        if self.sent.len() > MAX_SENT {
            self.sent.remove(0);
        }
    }

    /// Whether a report went for `period` or a later week (reports go out in week order).
    fn reported_since(&self, period: &str) -> bool {
        self.sent
            .last()
            .is_some_and(|sent| sent.period.as_str() >= period)
    }

    /// Notes whether the report the tab `claim` sent for `period` arrived.
    pub(super) fn delivered(&mut self, period: &str, claim: u64, delivered: bool) {
        if let Some(sent) = self
            .sent
            .iter_mut()
            .find(|sent| sent.period == period && sent.claim == claim)
        {
            sent.delivered = Some(delivered);
        }
    }

    /// The invariants recording keeps, for data that came from elsewhere.
    pub(super) fn validate(&self) -> Result<(), String> {
        if self.sent.len() > MAX_SENT {
            return Err(format!(
                "{} reports kept, more than {MAX_SENT}",
                self.sent.len()
            ));
        }
        // A kept report is only shown, never sent again (a tab sends the body its own claim
        // just wrote), so its length is all there is to bound.
        if let Some(sent) = self
            .sent
            .iter()
            .find(|sent| sent.body.len() > MAX_SENT_BODY_BYTES)
        {
            return Err(format!(
                "report for {}: {} bytes, more than a report's {MAX_SENT_BODY_BYTES}",
                sent.period,
                sent.body.len()
            ));
        }
        if self.placements.len() > MAX_PLACEMENTS {
            return Err(format!(
                "{} shelves counted, more than {MAX_PLACEMENTS}",
                self.placements.len()
            ));
        }
        if let Some(placement) = self
            .placements
            .keys()
            .find(|placement| placement.is_empty() || placement.len() > MAX_PLACEMENT_BYTES)
        {
            return Err(format!("shelf `{placement}`: not a shelf's name"));
        }
        if self.weeks.len() > MAX_WEEKS {
            return Err(format!(
                "{} weeks kept, more than {MAX_WEEKS}",
                self.weeks.len()
            ));
        }
        if let Some(enrolment) = &self.enrolment {
            check_arm(&enrolment.experiment)?;
            if let Some(arm) = &enrolment.arm {
                check_arm(arm)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_weeks_follow_the_calendar() {
        // 2026-12-03 is a Thursday of week 49; 2027-01-01 a Friday of 2026's week 53.
        assert_eq!(iso_week(1_796_256_000_000), "2026-W49");
        assert_eq!(iso_week(1_798_761_600_000), "2026-W53");
        assert_eq!(iso_week(0), "1970-W01");
    }

    #[test]
    fn only_the_latest_weeks_are_kept() {
        let mut measured = Measured::default();
        for week in 0..5 {
            measured.week(week * 7 * DAY_MS).opened = true;
        }
        assert_eq!(
            measured.weeks.keys().collect::<Vec<_>>(),
            ["1970-W03", "1970-W04", "1970-W05"]
        );
        // A clock set back lands in the oldest week kept, not a new one.
        measured.week(0).bought = true;
        assert_eq!(measured.weeks.len(), MAX_WEEKS);
        assert!(measured.weeks["1970-W03"].bought);
    }
}
