//! In a real browser: the shopper's profile survives a save and a load through IndexedDB and
//! through localStorage, an older schema is migrated, a profile an earlier version kept in
//! localStorage moves into IndexedDB, a damaged stored profile is set aside, not overwritten, and
//! two handles on one profile (two tabs) lose none of each other's changes, and what a page had
//! not saved when it went is saved, once, by the next page.
#![cfg(target_arch = "wasm32")]

use aisle_browser::storage::indexed::IndexedStore;
use aisle_browser::storage::local::LocalStore;
use aisle_browser::storage::shared::SharedProfile;
use aisle_browser::storage::{Backend, StorageError, TextStore, load_profile, open};
use aisle_core::shopper::changes::Change;
use aisle_core::shopper::events::Event;
use aisle_core::shopper::ledger::{Batch, Journal};
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

/// Waits `ms` milliseconds (lets background saves and channel messages run).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits until every handle has saved everything it changed.
async fn saved(handles: &[&SharedProfile]) {
    for _ in 0..200 {
        if handles.iter().all(|handle| handle.is_saved()) {
            return;
        }
        sleep(10).await;
    }
    panic!("the saves did not finish");
}

#[wasm_bindgen_test]
async fn updates_issued_together_all_land_in_either_backend() {
    async fn twenty_appends(store: &impl TextStore, key: &str) {
        let appends: Vec<_> = (0..20)
            .map(|n| {
                store.update(
                    key,
                    Box::new(move |old: Option<String>| {
                        Ok(format!("{}{n},", old.unwrap_or_default()))
                    }),
                )
            })
            .collect();
        for append in futures::future::join_all(appends).await {
            append.unwrap();
        }
        let text = store.get(key).await.unwrap().unwrap();
        assert_eq!(text.split_terminator(',').count(), 20, "{text}");
    }
    twenty_appends(&IndexedStore::open("test-updates").await.unwrap(), "p").await;
    twenty_appends(&LocalStore::open().unwrap(), "test.updates").await;
}

#[wasm_bindgen_test]
async fn an_update_that_fails_writes_nothing() {
    let store = IndexedStore::open("test-failed-update").await.unwrap();
    store.put("p", "kept").await.unwrap();
    let refused = store
        .update(
            "p",
            Box::new(|_| Err(StorageError::Unreadable("newer".into()))),
        )
        .await;
    assert!(refused.is_err());
    assert_eq!(store.get("p").await.unwrap().as_deref(), Some("kept"));
}

#[wasm_bindgen_test]
async fn two_tabs_keep_each_others_events_and_see_them() {
    let first = SharedProfile::open("test-tabs", "p").await.profile;
    let second = SharedProfile::open("test-tabs", "p").await.profile;
    for n in 0..10 {
        let (tab, item) = if n % 2 == 0 {
            (&first, "A")
        } else {
            (&second, "B")
        };
        let event = Event::view(format!("{item}{n}"), n);
        tab.change(Change::Record(vec![event])).unwrap();
    }
    saved(&[&first, &second]).await;
    sleep(50).await;
    let reopened = SharedProfile::open("test-tabs", "p").await.profile;
    for tab in [&first, &second, &reopened] {
        let viewed = tab.with(|profile| profile.recently_viewed().len());
        assert_eq!(viewed, 10, "every tab sees all ten views");
    }
    second.change(Change::ForgetItem("A0".into())).unwrap();
    saved(&[&second]).await;
    sleep(50).await;
    assert!(
        first.with(|profile| profile.item("A0").is_none()),
        "forgotten in the other tab too"
    );
}

/// How many views `profile` counts.
fn views(profile: &SharedProfile) -> u64 {
    profile.with(|profile| {
        let counts = profile.event_counts();
        counts
            .iter()
            .find(|(kind, _)| *kind == "view")
            .map_or(0, |(_, n)| *n)
    })
}

/// The journal of a tab, numbered `tab`, that closed with one view of `item` unsaved.
fn journal_of_one_view(tab: u64, item: &str) -> Journal {
    Journal(vec![Batch {
        tab,
        seq: 1,
        changes: vec![Change::Record(vec![Event::view(item, 1)])],
    }])
}

#[wasm_bindgen_test]
async fn a_journal_a_closed_tab_left_is_saved_by_the_next_page_once() {
    let local = LocalStore::open().unwrap();
    let journal = journal_of_one_view(41, "J1");
    let key = "aisle:test-journal:p:journal:41";
    local.set(key, &journal.to_json()).unwrap();
    let opened = SharedProfile::open("test-journal", "p").await.profile;
    assert_eq!(views(&opened), 1);
    assert_eq!(
        local.read(key).unwrap(),
        None,
        "the journal is removed once saved"
    );
    // Two pages opening together may both read the journal before either removes it.
    local.set(key, &journal.to_json()).unwrap();
    let again = SharedProfile::open("test-journal", "p").await.profile;
    assert_eq!(views(&again), 1, "saved once however often it is replayed");
    // A journal this version cannot read stays for the version that wrote it, and holds up no
    // other.
    local.set(key, "{\"from\":\"a newer version\"}").unwrap();
    let other = journal_of_one_view(43, "J2");
    let other_key = "aisle:test-journal:p:journal:43";
    local.set(other_key, &other.to_json()).unwrap();
    let newer = SharedProfile::open("test-journal", "p").await.profile;
    assert_eq!(views(&newer), 2);
    assert!(local.read(key).unwrap().is_some());
    assert_eq!(local.read(other_key).unwrap(), None);
    local.remove_now(key).unwrap();
}

#[wasm_bindgen_test]
async fn a_page_that_goes_mid_save_leaves_its_changes_in_a_journal() {
    let local = LocalStore::open().unwrap();
    let prefix = "aisle:test-leaving:p:journal:";
    let going = SharedProfile::open("test-leaving", "p").await.profile;
    going
        .change(Change::Record(vec![Event::view("L1", 1)]))
        .unwrap();
    // The save is on its way when the page goes.
    let window = web_sys::window().unwrap();
    window
        .dispatch_event(&web_sys::Event::new("pagehide").unwrap())
        .unwrap();
    let journals = local.keys_starting_with(prefix);
    assert_eq!(journals.len(), 1, "{journals:?}");
    let next = SharedProfile::open("test-leaving", "p").await.profile;
    assert_eq!(views(&next), 1, "the next page has the change");
    // The first page's save lands too, and changes nothing twice.
    saved(&[&going]).await;
    let later = SharedProfile::open("test-leaving", "p").await.profile;
    assert_eq!(views(&later), 1);
    // A page that shows again saves for itself and keeps no journal.
    going
        .change(Change::Record(vec![Event::view("L2", 2)]))
        .unwrap();
    window
        .dispatch_event(&web_sys::Event::new("pageshow").unwrap())
        .unwrap();
    assert!(local.keys_starting_with(prefix).is_empty());
    saved(&[&going]).await;
}

#[wasm_bindgen_test]
fn plural_categories_come_from_the_browser() {
    use aisle_browser::money::plural_category;
    assert_eq!(plural_category("en-GB", 1), "one");
    assert_eq!(plural_category("en-GB", 3), "other");
    // Polish has a form for 2-4 and another for 5 and up; Chinese has none.
    assert_eq!(plural_category("pl", 3), "few");
    assert_eq!(plural_category("pl", 5), "many");
    assert_eq!(plural_category("zh-CN", 1), "other");
    // A tag Intl refuses reads as `other` rather than failing the page.
    assert_eq!(plural_category("not a tag", 1), "other");
}
