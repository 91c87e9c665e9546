//! In a real browser: the shopper's profile survives a save and a load through localStorage, an
//! older schema is migrated, and a damaged stored profile is set aside, not overwritten.
#![cfg(target_arch = "wasm32")]

use aisle_core::events::Event;
use aisle_core::profile::Profile;
use aisle_web::storage::ProfileStore;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
fn a_saved_profile_loads_back_unchanged() {
    let store = ProfileStore::new("test.round-trip");
    let mut profile = Profile::default();
    profile.record(Event::view("85123A", 1)).unwrap();
    profile.record(Event::add_to_cart("71053", 2, 2)).unwrap();
    store.save(&profile).unwrap();

    let loaded = store.load().unwrap();
    assert_eq!(loaded.profile, profile);
    assert_eq!(loaded.set_aside, None);
    assert_eq!(loaded.profile.cart(), [("71053", 2)]);
}

#[wasm_bindgen_test]
fn a_schema_1_event_log_is_migrated() {
    let store = ProfileStore::new("test.schema-1");
    local_storage()
        .set_item(
            "test.schema-1",
            r#"{"schema":1,"events":[{"at_ms":1,"kind":"view","item":"85123A"}]}"#,
        )
        .unwrap();
    let loaded = store.load().unwrap();
    assert_eq!(loaded.set_aside, None);
    assert_eq!(loaded.profile.recently_viewed(), [("85123A", 1)]);
}

#[wasm_bindgen_test]
fn nothing_stored_is_an_empty_profile() {
    let store = ProfileStore::new("test.nothing");
    local_storage().remove_item("test.nothing").unwrap();
    assert!(store.load().unwrap().profile.is_empty());
}

#[wasm_bindgen_test]
fn damaged_profiles_are_set_aside_and_kept_each_under_its_own_key() {
    let store = ProfileStore::new("test.damaged");
    let storage = local_storage();
    for key in ["test.damaged.unreadable", "test.damaged.unreadable.2"] {
        storage.remove_item(key).unwrap();
    }

    let mut kept = Vec::new();
    for damage in ["{\"schema\":1,\"events\":[{", "not json at all"] {
        storage.set_item("test.damaged", damage).unwrap();
        let loaded = store.load().unwrap();
        assert!(loaded.profile.is_empty());
        let set_aside = loaded.set_aside.unwrap();
        assert!(set_aside.reason.contains("not a readable profile"));
        kept.push((set_aside.key, damage));
        // The next save starts afresh without touching what was set aside.
        store.save(&Profile::default()).unwrap();
    }
    assert_eq!(kept[0].0, "test.damaged.unreadable");
    assert_eq!(kept[1].0, "test.damaged.unreadable.2");
    for (key, damage) in kept {
        assert_eq!(storage.get_item(&key).unwrap().as_deref(), Some(damage));
    }
}
