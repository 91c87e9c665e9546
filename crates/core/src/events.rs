//! The shopper's event log: what they did, in order, as stored on their device.
//!
//! The log is the only record of a shopper's behaviour; it never leaves the browser. Its stored
//! form is versioned JSON so that a future version can migrate it instead of discarding it.
//!
//! ```
//! use aisle_core::events::{Event, EventLog};
//! let mut log = EventLog::default();
//! log.push(Event::view("85123A", 1_700_000_000_000));
//! let stored = log.to_json();
//! assert_eq!(EventLog::from_json(&stored).unwrap(), log);
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The version of the stored form written by [`EventLog::to_json`].
pub const SCHEMA_VERSION: u32 = 1;

/// What the shopper did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// Opened a product's page.
    View {
        /// The product id.
        item: String,
    },
}

/// One thing the shopper did, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Milliseconds since the Unix epoch (JavaScript's `Date.now()`).
    pub at_ms: i64,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

impl Event {
    /// A product view.
    pub fn view(item: impl Into<String>, at_ms: i64) -> Self {
        Self {
            at_ms,
            kind: EventKind::View { item: item.into() },
        }
    }
}

/// The shopper's events, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventLog {
    events: Vec<Event>,
}

/// The stored form: the schema version travels with the data.
#[derive(Serialize, Deserialize)]
struct Stored {
    schema: u32,
    events: Vec<Event>,
}

impl EventLog {
    /// Appends an event.
    pub fn push(&mut self, event: Event) {
        self.events.push(event);
    }

    /// All events, oldest first.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// True when the shopper has done nothing yet.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Distinct viewed product ids with the time of their latest view, most recent first.
    pub fn recent_views(&self) -> Vec<(&str, i64)> {
        let mut seen: Vec<(&str, i64)> = Vec::new();
        for event in self.events.iter().rev() {
            let EventKind::View { item } = &event.kind;
            if !seen.iter().any(|(id, _)| id == item) {
                seen.push((item.as_str(), event.at_ms));
            }
        }
        seen
    }

    /// The stored form (versioned JSON).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&Stored {
            schema: SCHEMA_VERSION,
            events: self.events.clone(),
        })
        .expect("events serialise: they hold only strings and integers")
    }

    /// Reads the stored form. A newer schema is refused rather than misread, so the caller can
    /// keep the data untouched for the version that wrote it.
    pub fn from_json(text: &str) -> Result<Self> {
        let stored: Stored = serde_json::from_str(text).map_err(|error| Error::Profile {
            message: format!("not a readable event log ({error})"),
        })?;
        if stored.schema > SCHEMA_VERSION {
            return Err(Error::Profile {
                message: format!(
                    "written by a newer version (schema {}, this version reads up to {SCHEMA_VERSION})",
                    stored.schema
                ),
            });
        }
        Ok(Self {
            events: stored.events,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_is_versioned_json() {
        let mut log = EventLog::default();
        log.push(Event::view("85123A", 5));
        assert_eq!(
            log.to_json(),
            r#"{"schema":1,"events":[{"at_ms":5,"kind":"view","item":"85123A"}]}"#
        );
    }

    #[test]
    fn recent_views_are_distinct_and_newest_first() {
        let mut log = EventLog::default();
        for (at, item) in ["A", "B", "A", "C"].into_iter().enumerate() {
            log.push(Event::view(item, at as i64));
        }
        assert_eq!(log.recent_views(), [("C", 3), ("A", 2), ("B", 1)]);
    }

    #[test]
    fn unreadable_and_newer_logs_are_refused_with_a_reason() {
        let garbage = EventLog::from_json("{not json").unwrap_err();
        assert!(garbage.to_string().contains("not a readable event log"));
        let newer = EventLog::from_json(r#"{"schema":99,"events":[]}"#).unwrap_err();
        assert!(newer.to_string().contains("schema 99"));
    }
}
