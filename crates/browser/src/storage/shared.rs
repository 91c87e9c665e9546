//! The shopper's profile, shared by every tab of a store on this device.
//!
//! Each tab keeps its changes as data until storage has them
//! ([`aisle_core::shopper::changes::TabProfile`]); a save is one atomic read-apply-write of the
//! stored profile ([`super::TextStore::update`]), so a tab never overwrites what another tab
//! saved. After each save the tab says so on a `BroadcastChannel`, and the other tabs read the
//! stored profile again and show it (with their own unsaved changes on top), so a product viewed,
//! forgotten or dismissed in one tab shows in all of them.
//!
//! After the first save the browser is asked to keep the site's storage (`navigator.storage
//! .persist()`), so that it is not cleared under storage pressure; whether it agreed is
//! reported ([`Update::Kept`]) for the privacy page. Browsers decide without asking the shopper
//! (Chromium, Safari) or show a prompt (Firefox), which is why it waits for something worth
//! keeping.

use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;

use aisle_core::shopper::changes::{Change, TabProfile, apply_all};
use aisle_core::shopper::profile::Profile;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{BroadcastChannel, MessageEvent, StorageManager};

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
    pub async fn open(database: &str, key: &str) -> OpenedProfile {
        let opened = open(database, key).await;
        let channel = opened
            .backend
            .is_durable()
            .then(|| BroadcastChannel::new(&format!("aisle:{database}:{key}")).ok())
            .flatten();
        OpenedProfile {
            profile: Self::new(opened.backend, key, opened.loaded.profile, channel),
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
            Profile::default(),
            None,
        )
    }

    fn new(
        backend: Backend,
        key: &str,
        stored: Profile,
        channel: Option<BroadcastChannel>,
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
            Inner {
                backend,
                key: key.to_owned(),
                tab: RefCell::new(TabProfile::new(stored)),
                subscribers: RefCell::default(),
                channel,
                _on_message: on_message,
                asked_to_keep: Cell::new(false),
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

    /// Writes this tab's next batch, if there is one and none is being written.
    fn save(inner: &Rc<Self>) {
        if !inner.tab.borrow_mut().take_batch() {
            return;
        }
        let inner = inner.clone();
        spawn_local(async move {
            let mut updated = None;
            let written = inner
                .backend
                .update(
                    &inner.key,
                    Box::new(|old| {
                        let stored = apply_all(read(old)?, inner.tab.borrow().batch())
                            .map_err(|error| StorageError::Unreadable(error.to_string()))?;
                        let text = stored.to_json();
                        updated = Some(stored);
                        Ok(text)
                    }),
                )
                .await;
            match written.map(|()| updated.expect("a successful update ran its change")) {
                Ok(stored) => {
                    inner.tab.borrow_mut().saved(stored);
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
                    web_sys::console::warn_1(&format!("aisle: {error}").into());
                    inner.publish(Update::Problem(Some(&error)));
                }
            }
        });
    }

    /// Another tab saved: shows what storage holds now, with this tab's unsaved changes on top.
    fn reload(inner: &Rc<Self>) {
        let inner = inner.clone();
        spawn_local(async move {
            let stored = match inner.backend.get(&inner.key).await.and_then(read) {
                Ok(stored) => stored,
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

/// The stored profile: empty when nothing is stored, an error (and nothing written) when this
/// version cannot read it.
fn read(text: Option<String>) -> Result<Profile, StorageError> {
    text.map_or(Ok(Profile::default()), |text| {
        Profile::from_json(&text).map_err(|error| StorageError::Unreadable(error.to_string()))
    })
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
