//! Any text as a stored or imported profile: reading returns a profile or an error, never
//! panics; a profile that reads writes back to text that reads to the same profile, and keeps
//! working when more events arrive.
#![no_main]

use aisle_core::shopper::events::Event;
use aisle_core::shopper::profile::Profile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(mut profile) = Profile::from_json(text) else {
        return;
    };
    let again = Profile::from_json(&profile.to_json()).expect("a written profile reads back");
    assert_eq!(again, profile);
    let _ = profile.record(Event::view("A", i64::MAX));
    let _ = profile.record(Event::purchase("B", 1, 2.0, i64::MIN));
    let _ = profile.interests(0);
    let _ = profile.searches(i64::MAX);
    let _ = profile.to_json();
});
