//! The shopper's profile, shared by every tab of a store on this device.
//!
//! Each tab keeps its changes as data until storage has them
//! ([`aisle_core::shopper::changes::TabProfile`]); a save is one atomic read-apply-write of the
//! stored profile ([`super::TextStore::update`]), so a tab never overwrites what another tab
//! saved. After each save the tab says so on a `BroadcastChannel`, and the other tabs read the
//! stored profile again and show it (with their own unsaved changes on top), so a product viewed,
//! forgotten or dismissed in one tab shows in all of them.
//!
//! A page can go at any moment: a reload, a link, a closed tab. As it goes (`pagehide`, or
//! hidden, after which a mobile browser may end it without another event), a tab with changes
//! not yet saved writes them to `localStorage`, synchronously, as a journal; the next page of
//! the store to open saves every journal it finds, and a tab that comes back removes its own.
//! Saves are idempotent ([`aisle_core::shopper::ledger`]), so a journal whose save had landed
//! after all changes nothing twice. Only IndexedDB needs this: its writes finish after the
//! event that asked for them, while `localStorage` and memory are written at once.
//!
//! After the first save the browser is asked to keep the site's storage (`navigator.storage
//! .persist()`), so that it is not cleared under storage pressure; whether it agreed is
//! reported ([`Update::Kept`]) for the privacy page. Browsers decide without asking the shopper
//! (Chromium, Safari) or show a prompt (Firefox), which is why it waits for something worth
//! keeping.

use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;

use aisle_core::shopper::changes::{Change, TabProfile};
use aisle_core::shopper::ledger::{Batch, Journal, Ledger};
use aisle_core::shopper::profile::Profile;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{BroadcastChannel, MessageEvent, StorageManager};

use super::local::LocalStore;
use super::memory::MemoryStore;
use super::{Backend, SetAside, StorageError, open};

/// What a [`SharedProfile`] tells its subscribers.
#[derive(Debug, Clone, Copy)]
pub enum Update<'a> {
    /// The profile this tab shows changed (a change here, a save, or another tab's save); read
    /// it with [`SharedProfile::with`].
    Changed,
    /// Saving failed (`Some`), or succeeded again after failing (`None`).
    Problem(Option<&'a StorageError>),
    /// Whether the browser keeps this site's storage under storage pressure.
    Kept(bool),
}

type Subscriber = Rc<dyn Fn(Update<'_>)>;

/// One tab's handle on the shared profile; clones are the same handle.
#[derive(Clone)]
pub struct SharedProfile {
    inner: Rc<Inner>,
}

struct Inner {
    backend: Backend,
    key: String,
    tab: RefCell<TabProfile>,
    subscribers: RefCell<Vec<Subscriber>>,
    channel: Option<BroadcastChannel>,
    /// Kept alive while the channel may call it.
    _on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
    asked_to_keep: Cell<bool>,
    /// Where this tab leaves its unsaved changes as the page goes; `None` where saves finish at
    /// once.
    journal: Option<JournalSlot>,
    /// True from the moment the page is hidden or goes until it shows again.
    leaving: Cell<bool>,
    /// Kept alive while the page may call it.
    on_leave: Option<Closure<dyn FnMut(web_sys::Event)>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // A listener left behind would call a closure that no longer exists.
        if let Some(listener) = &self.on_leave {
            for_page_events(|target, event| {
                let function = listener.as_ref().unchecked_ref();
                let _ = target.remove_event_listener_with_callback(event, function);
            });
        }
        if let Some(channel) = &self.channel {
            channel.set_onmessage(None);
            channel.close();
        }
    }
}

/// Calls `visit` with each event that tells a page is going or back, and where it fires.
fn for_page_events(mut visit: impl FnMut(&web_sys::EventTarget, &str)) {
    let Some(window) = web_sys::window() else {
        return;
    };
    visit(&window, "pagehide");
    visit(&window, "pageshow");
    if let Some(document) = window.document() {
        visit(&document, "visibilitychange");
    }
}

/// This tab's journal in `localStorage`, under the profile's journal prefix.
struct JournalSlot {
    local: LocalStore,
    key: String,
}

/// The `localStorage` keys of the journals of the profile `key` in `database`.
fn journal_prefix(database: &str, key: &str) -> String {
    format!("aisle:{database}:{key}:journal:")
}

/// What [`SharedProfile::open`] found.
pub struct OpenedProfile {
    /// The profile, ready to show and change.
    pub profile: SharedProfile,
    /// A stored profile that could not be read, moved aside.
    pub set_aside: Option<SetAside>,
    /// Why the profile is not kept across visits, if it is not.
    pub problem: Option<StorageError>,
}

impl std::fmt::Debug for SharedProfile {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SharedProfile")
            .field("key", &self.inner.key)
            .field("backend", &self.inner.backend)
            .finish_non_exhaustive()
    }
}

impl SharedProfile {
    /// Opens the best storage this browser allows (see [`open`]) and the profile under `key`,
    /// shared with the other tabs that open the same database and key.
    /// Journals that closed tabs left are saved first (see the module doc).
    pub async fn open(database: &str, key: &str) -> OpenedProfile {
        let opened = open(database, key).await;
        let channel = opened
            .backend
            .is_durable()
            .then(|| BroadcastChannel::new(&format!("aisle:{database}:{key}")).ok())
            .flatten();
        let tab = random_tab_number();
        let prefix = journal_prefix(database, key);
        let journal = matches!(opened.backend, Backend::Indexed(_))
            .then(|| LocalStore::open().ok())
            .flatten()
            .map(|local| JournalSlot {
                key: format!("{prefix}{tab}"),
                local,
            });
        let mut stored = opened.loaded.profile;
        if let Some(slot) = &journal
            && let Some(saved) = save_journals(&opened.backend, key, &slot.local, &prefix).await
        {
            stored = saved;
        }
        OpenedProfile {
            profile: Self::new(opened.backend, key, tab, stored, channel, journal),
            set_aside: opened.loaded.set_aside,
            problem: opened.problem,
        }
    }

    /// A profile in this page's memory only, shared with no one.
    pub fn in_memory() -> Self {
        let key = super::PROFILE_KEY;
        Self::new(
            Backend::Memory(MemoryStore::default()),
            key,
            random_tab_number(),
            Profile::default(),
            None,
            None,
        )
    }

    fn new(
        backend: Backend,
        key: &str,
        tab: u64,
        stored: Profile,
        channel: Option<BroadcastChannel>,
        journal: Option<JournalSlot>,
    ) -> Self {
        let inner = Rc::new_cyclic(|weak: &std::rc::Weak<Inner>| {
            // A weak handle: the listener must not keep the profile alive by itself.
            let on_message = channel.as_ref().map(|channel| {
                let weak = weak.clone();
                let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
                    if let Some(inner) = weak.upgrade() {
                        Inner::reload(&inner);
                    }
                });
                channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
                listener
            });
            let on_leave = journal.as_ref().map(|_| {
                let weak = weak.clone();
                let listener =
                    Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
                        if let Some(inner) = weak.upgrade() {
                            inner.page_changed(&event.type_());
                        }
                    });
                for_page_events(|target, event| {
                    let function = listener.as_ref().unchecked_ref();
                    let _ = target.add_event_listener_with_callback(event, function);
                });
                listener
            });
            Inner {
                backend,
                key: key.to_owned(),
                tab: RefCell::new(TabProfile::new(tab, stored)),
                subscribers: RefCell::default(),
                channel,
                _on_message: on_message,
                asked_to_keep: Cell::new(false),
                journal,
                leaving: Cell::new(false),
                on_leave,
            }
        });
        Self { inner }
    }

    /// Reads the profile this tab shows.
    pub fn with<R>(&self, read: impl FnOnce(&Profile) -> R) -> R {
        read(&self.profile())
    }

    /// The profile this tab shows, borrowed until the guard is dropped (do not change the
    /// profile meanwhile).
    pub fn profile(&self) -> Ref<'_, Profile> {
        Ref::map(self.inner.tab.borrow(), TabProfile::current)
    }

    /// Makes a change: shown at once, saved in the background, then shown in the other tabs.
    /// A change that cannot apply (an invalid event) is refused and changes nothing.
    pub fn change(&self, change: Change) -> aisle_core::Result<()> {
        self.inner.tab.borrow_mut().change(change)?;
        self.inner.publish(Update::Changed);
        Inner::save(&self.inner);
        self.inner.keep_journal();
        Ok(())
    }

    /// Calls `subscriber` on every [`Update`] from now on.
    pub fn subscribe(&self, subscriber: impl Fn(Update<'_>) + 'static) {
        self.inner
            .subscribers
            .borrow_mut()
            .push(Rc::new(subscriber));
    }

    /// True when every change made in this tab is in storage.
    pub fn is_saved(&self) -> bool {
        self.inner.tab.borrow().is_saved()
    }

    /// True when the profile outlasts the page (kept in IndexedDB or `localStorage`).
    pub fn is_durable(&self) -> bool {
        self.inner.backend.is_durable()
    }

    /// Asks the browser to keep this site's storage under storage pressure (Firefox asks the
    /// shopper) and reports the answer as [`Update::Kept`]. Nothing when storage is memory only
    /// or the browser offers no such thing.
    pub fn ask_to_keep(&self) {
        Inner::report_kept(&self.inner, true);
    }

    /// Reports whether the browser already keeps this site's storage, as [`Update::Kept`],
    /// without asking anything.
    pub fn check_kept(&self) {
        Inner::report_kept(&self.inner, false);
    }
}

impl Inner {
    /// Asks (`ask`) or checks whether the browser keeps this site's storage, and publishes the
    /// answer.
    fn report_kept(inner: &Rc<Self>, ask: bool) {
        if !inner.backend.is_durable() {
            return;
        }
        if ask {
            inner.asked_to_keep.set(true);
        }
        let inner = inner.clone();
        spawn_local(async move {
            let call = if ask {
                StorageManager::persist
            } else {
                StorageManager::persisted
            };
            if let Some(kept) = ask_storage_manager(call).await {
                inner.asked_to_keep.set(inner.asked_to_keep.get() || kept);
                inner.publish(Update::Kept(kept));
            }
        });
    }

    fn publish(&self, update: Update<'_>) {
        // Cloned so that a subscriber may subscribe, read or change the profile.
        let subscribers = self.subscribers.borrow().clone();
        for subscriber in &subscribers {
            subscriber(update);
        }
    }

    /// Writes this tab's unsaved batches, if there are any and no save is being written.
    fn save(inner: &Rc<Self>) {
        if !inner.tab.borrow_mut().take_batch() {
            return;
        }
        let batches = inner.tab.borrow().batch().to_vec();
        let inner = inner.clone();
        spawn_local(async move {
            match save_batches(&inner.backend, &inner.key, &batches).await {
                Ok((stored, ledger)) => {
                    inner.tab.borrow_mut().saved(stored, &ledger);
                    inner.keep_journal();
                    if let Some(channel) = &inner.channel {
                        // Only the news travels: the other tabs read storage themselves.
                        let _ = channel.post_message(&"saved".into());
                    }
                    inner.publish(Update::Problem(None));
                    inner.publish(Update::Changed);
                    if !inner.asked_to_keep.get() {
                        Self::report_kept(&inner, true);
                    }
                    Self::save(&inner);
                }
                Err(error) => {
                    // Kept for the next change's save; nothing is dropped.
                    inner.tab.borrow_mut().failed();
                    inner.keep_journal();
                    warn(&error.to_string());
                    inner.publish(Update::Problem(Some(&error)));
                }
            }
        });
    }

    /// The page was hidden or is going (`pagehide`), or shows again: a leaving tab keeps its
    /// journal, a tab that shows again removes it (it saves its changes itself).
    fn page_changed(&self, event: &str) {
        let hidden = web_sys::window()
            .and_then(|window| window.document())
            .is_some_and(|document| document.hidden());
        self.leaving
            .set(event == "pagehide" || (event == "visibilitychange" && hidden));
        if self.leaving.get() {
            self.keep_journal();
        } else if let Some(slot) = &self.journal {
            warn_on_error(slot.local.remove_now(&slot.key));
        }
    }

    /// While the page is leaving, writes everything unsaved to this tab's journal (or removes
    /// the journal when everything is saved).
    fn keep_journal(&self) {
        let Some(slot) = self.journal.as_ref().filter(|_| self.leaving.get()) else {
            return;
        };
        let journal = self.tab.borrow_mut().journal();
        warn_on_error(if journal.is_empty() {
            slot.local.remove_now(&slot.key)
        } else {
            slot.local.set(&slot.key, &journal.to_json())
        });
    }

    /// Another tab saved: shows what storage holds now, with this tab's unsaved changes on top.
    fn reload(inner: &Rc<Self>) {
        let inner = inner.clone();
        spawn_local(async move {
            let stored = match inner.backend.get(&inner.key).await.and_then(read) {
                Ok((stored, _)) => stored,
                Err(error) => {
                    inner.publish(Update::Problem(Some(&error)));
                    return;
                }
            };
            if inner.tab.borrow_mut().reloaded(stored) {
                inner.publish(Update::Changed);
            }
        });
    }
}

/// The stored profile and ledger: empty when nothing is stored, an error (and nothing written)
/// when this version cannot read them.
fn read(text: Option<String>) -> Result<(Profile, Ledger), StorageError> {
    text.map_or(Ok(Default::default()), |text| {
        Profile::from_stored_json(&text)
            .map_err(|error| StorageError::Unreadable(error.to_string()))
    })
}

/// Applies `batches` to the stored profile in one atomic update, skipping those storage holds
/// already, and returns what storage holds then.
async fn save_batches(
    backend: &Backend,
    key: &str,
    batches: &[Batch],
) -> Result<(Profile, Ledger), StorageError> {
    let mut updated = None;
    backend
        .update(
            key,
            Box::new(|old| {
                let (stored, mut ledger) = read(old)?;
                let stored = ledger
                    .save(stored, batches)
                    .map_err(|error| StorageError::Unreadable(error.to_string()))?;
                let text = stored.to_stored_json(&ledger);
                updated = Some((stored, ledger));
                Ok(text)
            }),
        )
        .await?;
    Ok(updated.expect("a successful update ran its change"))
}

/// Saves the journals closed tabs left under `prefix`, each in its own update, and removes each
/// once saved; what storage holds then, or `None` when none was saved. A journal that cannot be
/// read or saved stays, for the next page or the version that wrote it, and holds up no other.
async fn save_journals(
    backend: &Backend,
    key: &str,
    local: &LocalStore,
    prefix: &str,
) -> Option<Profile> {
    let mut stored = None;
    for journal_key in local.keys_starting_with(prefix) {
        let Ok(Some(text)) = local.read(&journal_key) else {
            continue;
        };
        let saved = match Journal::from_json(&text) {
            Ok(journal) => save_batches(backend, key, &journal.0).await,
            Err(error) => Err(StorageError::Unreadable(error.to_string())),
        };
        match saved {
            Ok((profile, _)) => {
                warn_on_error(local.remove_now(&journal_key));
                stored = Some(profile);
            }
            Err(error) => warn(&format!("{journal_key}: {error}")),
        }
    }
    stored
}

/// A random number for this tab, from the browser's cryptographic generator: the ledger takes
/// two tabs with one number for one, so it must not come from anything a page can fix or two
/// pages share (a page or a test may replace `Math.random`). Where that generator fails, the
/// clock and `Math.random` together.
fn random_tab_number() -> u64 {
    crate::send::random_u64().unwrap_or_else(|_| {
        let clock = js_sys::Date::now() as u64;
        let draw = (js_sys::Math::random() * (1u64 << 53) as f64) as u64;
        draw ^ clock.rotate_left(32)
    })
}

fn warn(message: &str) {
    web_sys::console::warn_1(&format!("aisle: {message}").into());
}

fn warn_on_error(result: Result<(), StorageError>) {
    if let Err(error) = result {
        warn(&error.to_string());
    }
}

/// Calls `navigator.storage.persist()` or `.persisted()`, promises of a boolean; `None` where
/// the browser has no `navigator.storage` (older browsers, insecure origins) or the call fails.
async fn ask_storage_manager(
    call: fn(&StorageManager) -> Result<js_sys::Promise, wasm_bindgen::JsValue>,
) -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    if storage.is_undefined() {
        return None;
    }
    JsFuture::from(call(&storage).ok()?).await.ok()?.as_bool()
}
