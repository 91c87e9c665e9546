//! In a real browser: the shopper's event log survives a save and a load through localStorage,
//! and a damaged stored log is set aside, not overwritten.
#![cfg(target_arch = "wasm32")]

use aisle_core::events::{Event, EventLog};
use aisle_web::storage::EventStore;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
fn saved_events_load_back_in_order() {
    let store = EventStore::new("test.round-trip");
    let mut log = EventLog::default();
    log.push(Event::view("85123A", 1));
    log.push(Event::view("71053", 2));
    store.save(&log).unwrap();

    let loaded = store.load().unwrap();
    assert_eq!(loaded.log, log);
    assert_eq!(loaded.set_aside, None);
    assert_eq!(loaded.log.recent_views(), [("71053", 2), ("85123A", 1)]);
}

#[wasm_bindgen_test]
fn nothing_stored_is_an_empty_log() {
    let store = EventStore::new("test.nothing");
    local_storage().remove_item("test.nothing").unwrap();
    assert!(store.load().unwrap().log.is_empty());
}

#[wasm_bindgen_test]
fn damaged_logs_are_set_aside_and_kept_each_under_its_own_key() {
    let store = EventStore::new("test.damaged");
    let storage = local_storage();
    for key in ["test.damaged.unreadable", "test.damaged.unreadable.2"] {
        storage.remove_item(key).unwrap();
    }

    let mut kept = Vec::new();
    for damage in ["{\"schema\":1,\"events\":[{", "not json at all"] {
        storage.set_item("test.damaged", damage).unwrap();
        let loaded = store.load().unwrap();
        assert!(loaded.log.is_empty());
        let set_aside = loaded.set_aside.unwrap();
        assert!(set_aside.reason.contains("not a readable event log"));
        kept.push((set_aside.key, damage));
        // The next save starts a fresh log without touching what was set aside.
        store.save(&EventLog::default()).unwrap();
    }
    assert_eq!(kept[0].0, "test.damaged.unreadable");
    assert_eq!(kept[1].0, "test.damaged.unreadable.2");
    for (key, damage) in kept {
        assert_eq!(storage.get_item(&key).unwrap().as_deref(), Some(damage));
    }
}
