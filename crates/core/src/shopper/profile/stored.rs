//! The profile's stored and exported form: versioned JSON, read back as strictly as
//! [`Profile::record`] checks events, with the migration of every older schema this version
//! reads.

use serde::{Deserialize, Serialize};

use super::{MAX_RECENT_EVENTS, Profile, SCHEMA_VERSION};
use crate::error::{Error, Result};
use crate::shopper::events::Event;
use crate::shopper::ledger::Ledger;

/// The stored form: the schema version travels with the data. In storage the [`Ledger`] of
/// saved batches rides along, outside the profile, so that forgetting everything keeps it;
/// an export has none. A version that knows no ledger ignores it.
#[derive(Serialize)]
struct Stored<'a> {
    schema: u32,
    profile: &'a Profile,
    #[serde(skip_serializing_if = "is_empty")]
    ledger: &'a Ledger,
}

fn is_empty(ledger: &&Ledger) -> bool {
    **ledger == Ledger::default()
}

/// Any stored form this version reads.
#[derive(Deserialize)]
struct AnyStored {
    schema: u32,
    profile: Option<Profile>,
    /// Schema 1: the raw event log.
    events: Option<Vec<Event>>,
    #[serde(default)]
    ledger: Ledger,
}

impl Profile {
    /// The exported form: versioned JSON.
    pub fn to_json(&self) -> String {
        self.to_stored_json(&Ledger::default())
    }

    /// The stored form: versioned JSON, with storage's ledger of saved batches.
    pub fn to_stored_json(&self, ledger: &Ledger) -> String {
        serde_json::to_string(&Stored {
            schema: SCHEMA_VERSION,
            profile: self,
            ledger,
        })
        .expect("a profile holds only strings, integers and finite numbers")
    }

    /// Reads any stored or exported form this version knows (schema 1 is migrated), checking
    /// what it reads as strictly as [`Profile::record`] would. A newer schema is refused rather
    /// than misread, so the caller can keep the data for the version that wrote it.
    pub fn from_json(text: &str) -> Result<Self> {
        Self::from_stored_json(text).map(|(profile, _)| profile)
    }

    /// [`Profile::from_json`], with the ledger of saved batches storage keeps beside the profile
    /// (empty when the text has none).
    pub fn from_stored_json(text: &str) -> Result<(Self, Ledger)> {
        // From bytes, as the manifest is read: the store then carries one JSON parser, not two.
        let stored: AnyStored =
            serde_json::from_slice(text.as_bytes()).map_err(|error| Error::Profile {
                message: format!("not a readable profile ({error})"),
            })?;
        let unreadable = |message: String| Error::Profile { message };
        match stored {
            AnyStored {
                schema: 1,
                events: Some(events),
                ..
            } => {
                let mut profile = Profile::default();
                for (n, event) in events.into_iter().enumerate() {
                    profile.record(event).map_err(|error| {
                        unreadable(format!("schema 1 event {}: {error}", n + 1))
                    })?;
                }
                Ok((profile, Ledger::default()))
            }
            AnyStored {
                schema: SCHEMA_VERSION,
                profile: Some(mut profile),
                ledger,
                ..
            } => {
                profile.validate().map_err(unreadable)?;
                profile.compact();
                Ok((profile, ledger))
            }
            AnyStored { schema, .. } if schema > SCHEMA_VERSION => Err(unreadable(format!(
                "written by a newer version (schema {schema}, this version reads up to {SCHEMA_VERSION})"
            ))),
            AnyStored { schema, .. } => Err(unreadable(format!(
                "schema {schema} without its data (expected `events` for schema 1, `profile` for schema {SCHEMA_VERSION})"
            ))),
        }
    }

    /// The invariants [`Profile::record`] keeps, for data that came from elsewhere.
    fn validate(&self) -> std::result::Result<(), String> {
        for (n, event) in self.recent.iter().enumerate() {
            event
                .check()
                .map_err(|error| format!("recent event {}: {error}", n + 1))?;
        }
        if self.recent.len() > MAX_RECENT_EVENTS {
            return Err(format!(
                "{} recent events, more than {MAX_RECENT_EVENTS}",
                self.recent.len()
            ));
        }
        let bad_interest = |value: f64| !value.is_finite() || value < 0.0;
        if bad_interest(self.orders.spent) {
            return Err(format!(
                "order totals: spent {} is not a finite amount >= 0",
                self.orders.spent
            ));
        }
        for (id, item) in &self.items {
            Event::view(id.clone(), 0)
                .check()
                .map_err(|error| format!("product `{id}`: {error}"))?;
            if bad_interest(item.interest.value) {
                return Err(format!(
                    "product `{id}`: interest {} is not a finite number >= 0",
                    item.interest.value
                ));
            }
        }
        self.measured.validate()?;
        for (query, search) in &self.searches {
            if bad_interest(search.interest.value) {
                return Err(format!(
                    "search `{query}`: interest {} is not a finite number >= 0",
                    search.interest.value
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shopper::profile::tests::record;

    #[test]
    fn stored_form_round_trips_and_is_versioned() {
        let mut profile = Profile::default();
        record(&mut profile, [Event::view("A", 5), Event::search("tea", 6)]);
        let json = profile.to_json();
        assert!(json.starts_with(r#"{"schema":2,"profile":"#));
        assert_eq!(Profile::from_json(&json).unwrap(), profile);
    }

    #[test]
    fn storage_keeps_its_ledger_beside_the_profile_and_an_export_has_none() {
        let mut ledger = Ledger::default();
        let batch = crate::shopper::ledger::tests::batch(3, 1, 5);
        let profile = ledger
            .save(Profile::default(), std::slice::from_ref(&batch))
            .unwrap();
        let stored = profile.to_stored_json(&ledger);
        assert_eq!(
            Profile::from_stored_json(&stored).unwrap(),
            (profile.clone(), ledger.clone())
        );
        // What any version of the profile reader takes from it is the profile alone.
        assert_eq!(Profile::from_json(&stored).unwrap(), profile);
        let exported = profile.to_json();
        assert!(!exported.contains("ledger"), "{exported}");
        let (_, none) = Profile::from_stored_json(&exported).unwrap();
        assert!(!none.holds(&batch));
    }

    #[test]
    fn decayed_values_read_back_exactly() {
        // Decay leaves full-precision floats; the stored form must keep every bit of them.
        let mut profile = Profile::default();
        record(&mut profile, crate::eval::workloads::shopper_events(20_000));
        assert_eq!(Profile::from_json(&profile.to_json()).unwrap(), profile);
    }

    #[test]
    fn schema_1_event_logs_are_migrated() {
        let v1 = r#"{"schema":1,"events":[{"at_ms":5,"kind":"view","item":"85123A"},{"at_ms":9,"kind":"view","item":"22633"}]}"#;
        let profile = Profile::from_json(v1).unwrap();
        assert_eq!(profile.recently_viewed(), [("22633", 9), ("85123A", 5)]);
        assert_eq!(profile.event_counts()[0], ("view", 2));
    }

    #[test]
    fn unreadable_newer_and_invalid_profiles_are_refused_with_a_reason() {
        let cases = [
            ("{not json", "not a readable profile"),
            (r#"{"schema":99}"#, "schema 99"),
            (r#"{"schema":2}"#, "schema 2 without its data"),
            (
                r#"{"schema":1,"events":[{"at_ms":1,"kind":"view","item":""}]}"#,
                "schema 1 event 1: view event: item is empty",
            ),
        ];
        for (text, reason) in cases {
            let error = Profile::from_json(text).unwrap_err().to_string();
            assert!(error.contains(reason), "{error}");
        }
        let mut profile = Profile::default();
        record(&mut profile, [Event::view("A", 0)]);
        let tampered = profile
            .to_json()
            .replace(r#""value":1.0"#, r#""value":-1.0"#);
        let error = Profile::from_json(&tampered).unwrap_err().to_string();
        assert!(error.contains("product `A`: interest -1"), "{error}");
    }
}
