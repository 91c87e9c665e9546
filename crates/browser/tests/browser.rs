//! In a real browser: the shopper's profile survives a save and a load through IndexedDB and
//! through localStorage, an older schema is migrated, a profile an earlier version kept in
//! localStorage moves into IndexedDB, and a damaged stored profile is set aside, not overwritten.
#![cfg(target_arch = "wasm32")]

use aisle_browser::storage::indexed::IndexedStore;
use aisle_browser::storage::local::LocalStore;
use aisle_browser::storage::{Backend, TextStore, load_profile, open};
use aisle_core::shopper::events::Event;
use aisle_core::shopper::profile::Profile;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn profile() -> Profile {
    let mut profile = Profile::default();
    profile.record(Event::view("85123A", 1)).unwrap();
    profile.record(Event::add_to_cart("71053", 2, 2)).unwrap();
    profile
}

async fn round_trip(store: &impl TextStore, key: &str) {
    store.put(key, &profile().to_json()).await.unwrap();
    let loaded = load_profile(store, key).await.unwrap();
    assert_eq!(loaded.profile, profile());
    assert_eq!(loaded.set_aside, None);
    assert_eq!(loaded.profile.cart(), [("71053", 2)]);
}

#[wasm_bindgen_test]
async fn a_saved_profile_loads_back_unchanged_from_either_backend() {
    round_trip(&IndexedStore::open("test-round-trip").await.unwrap(), "p").await;
    round_trip(&LocalStore::open().unwrap(), "test.round-trip").await;
}

#[wasm_bindgen_test]
async fn nothing_stored_is_an_empty_profile() {
    let store = IndexedStore::open("test-nothing").await.unwrap();
    let loaded = load_profile(&store, "never-written").await.unwrap();
    assert!(loaded.profile.is_empty());
    assert_eq!(loaded.set_aside, None);
}

#[wasm_bindgen_test]
async fn a_schema_1_event_log_is_migrated() {
    let store = LocalStore::open().unwrap();
    let v1 = r#"{"schema":1,"events":[{"at_ms":1,"kind":"view","item":"85123A"}]}"#;
    store.put("test.schema-1", v1).await.unwrap();
    let loaded = load_profile(&store, "test.schema-1").await.unwrap();
    assert_eq!(loaded.set_aside, None);
    assert_eq!(loaded.profile.recently_viewed(), [("85123A", 1)]);
}

#[wasm_bindgen_test]
async fn damaged_profiles_are_set_aside_and_kept_each_under_its_own_key() {
    let store = IndexedStore::open("test-damaged").await.unwrap();
    let mut kept = Vec::new();
    for damage in ["{\"schema\":2,\"profile\":{", "not json at all"] {
        store.put("p", damage).await.unwrap();
        let loaded = load_profile(&store, "p").await.unwrap();
        assert!(loaded.profile.is_empty());
        let set_aside = loaded.set_aside.unwrap();
        assert!(
            set_aside.reason.contains("not a readable profile"),
            "{}",
            set_aside.reason
        );
        kept.push((set_aside.key, damage));
        assert_eq!(store.get("p").await.unwrap(), None);
    }
    assert_eq!(kept[0].0, "p.unreadable");
    assert_eq!(kept[1].0, "p.unreadable.2");
    for (key, damage) in kept {
        assert_eq!(store.get(&key).await.unwrap().as_deref(), Some(damage));
    }
}

#[wasm_bindgen_test]
async fn a_profile_in_local_storage_moves_into_indexed_db() {
    let local = LocalStore::open().unwrap();
    local
        .put("test.legacy", &profile().to_json())
        .await
        .unwrap();
    let opened = open("test-legacy", "test.legacy").await;
    assert!(matches!(opened.backend, Backend::Indexed(_)));
    assert_eq!(opened.problem, None);
    assert_eq!(opened.loaded.profile, profile());
    assert_eq!(local.get("test.legacy").await.unwrap(), None);
    // And it is in IndexedDB now: a second open finds it there.
    let again = open("test-legacy", "test.legacy").await;
    assert_eq!(again.loaded.profile, profile());
}
