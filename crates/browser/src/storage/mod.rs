//! Where the shopper's profile lives on this device: IndexedDB, or `localStorage` where
//! IndexedDB is unavailable, or only memory (with a notice) where the browser allows neither.
//! Every tab of a store shares it through [`shared::SharedProfile`].
//!
//! Nothing here is sent anywhere. The profile is compacted (see `aisle_core::shopper::profile`), so it
//! stays a few hundred kilobytes at most however long the shopper browses. A stored profile that
//! cannot be read (damaged, or written by a newer version) is never overwritten: it is moved to a
//! key of its own (`<key>.unreadable`, then `.unreadable.2`, ...) so that it can be recovered,
//! and the shopper starts afresh. A profile an older version kept in `localStorage` is moved into
//! IndexedDB on first load (and removed from `localStorage` only once IndexedDB has it).

pub mod indexed;
pub mod local;
pub mod memory;
pub mod shared;

use std::future::Future;

use aisle_core::shopper::profile::Profile;

use indexed::IndexedStore;
use local::LocalStore;
use memory::MemoryStore;

/// The storefront's IndexedDB database.
pub const DATABASE: &str = "aisle";

/// The storefront profile's key, in IndexedDB and (before, or as the fallback) in
/// `localStorage`. Named when it held the raw event log; kept so that old data is found.
pub const PROFILE_KEY: &str = "aisle.events";

/// Where this browser lets the profile be kept.
#[derive(Debug, Clone)]
pub enum Backend {
    /// IndexedDB: the default.
    Indexed(IndexedStore),
    /// `localStorage`, where IndexedDB is unavailable.
    Local(LocalStore),
    /// Nowhere but this page: the profile lasts until it is closed.
    Memory(MemoryStore),
}

impl Backend {
    /// The text under `key`, if any.
    pub async fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        match self {
            Backend::Indexed(store) => store.get(key).await,
            Backend::Local(store) => store.read(key),
            Backend::Memory(store) => Ok(store.read(key)),
        }
    }

    /// Reads `key`, lets `change` compute the new text from the old, and writes it, with no
    /// other write between (see [`TextStore::update`]).
    pub async fn update(&self, key: &str, change: TextChange<'_>) -> Result<(), StorageError> {
        match self {
            Backend::Indexed(store) => store.update(key, change).await,
            Backend::Local(store) => store.update_now(key, change),
            Backend::Memory(store) => store.update_now(key, change),
        }
    }

    /// True when what is saved outlasts the page.
    pub fn is_durable(&self) -> bool {
        !matches!(self, Backend::Memory(_))
    }
}

/// What [`open`] found: where to save, what was stored, and anything to tell the shopper.
#[derive(Debug, Clone)]
pub struct Opened {
    /// Where saves go.
    pub backend: Backend,
    /// The stored profile (empty if none, or if it was set aside).
    pub loaded: Loaded,
    /// Why the profile is not kept across visits, if it is not.
    pub problem: Option<StorageError>,
}

/// Opens the best storage this browser allows and loads the profile under `key`, moving a
/// profile kept in `localStorage` into IndexedDB on the way.
pub async fn open(database: &str, key: &str) -> Opened {
    let memory = |problem| Opened {
        backend: Backend::Memory(MemoryStore::default()),
        loaded: Loaded {
            profile: Profile::default(),
            set_aside: None,
        },
        problem: Some(problem),
    };
    let local = LocalStore::open();
    match IndexedStore::open(database).await {
        Ok(indexed) => match load_from_indexed(&indexed, local.ok(), key).await {
            Ok(loaded) => Opened {
                backend: Backend::Indexed(indexed),
                loaded,
                problem: None,
            },
            Err(problem) => memory(problem),
        },
        Err(_) => match local {
            Ok(local) => match load_profile(&local, key).await {
                Ok(loaded) => Opened {
                    backend: Backend::Local(local),
                    loaded,
                    problem: None,
                },
                Err(problem) => memory(problem),
            },
            Err(problem) => memory(problem),
        },
    }
}

/// The IndexedDB profile; when there is none yet, the one `localStorage` holds, moved over.
async fn load_from_indexed(
    indexed: &IndexedStore,
    local: Option<LocalStore>,
    key: &str,
) -> Result<Loaded, StorageError> {
    let loaded = load_profile(indexed, key).await?;
    let nothing_stored = loaded.set_aside.is_none() && indexed.get(key).await?.is_none();
    let Some(local) = local.filter(|_| nothing_stored) else {
        return Ok(loaded);
    };
    let legacy = load_profile(&local, key).await?;
    if !legacy.profile.is_empty() {
        indexed.put(key, &legacy.profile.to_json()).await?;
        local.remove(key).await?;
    }
    Ok(legacy)
}

/// Why storage could not do what was asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StorageError {
    /// The browser offers no storage to this site (disabled, or a sandboxed frame).
    #[error(
        "this browser does not allow this site to store data, so your activity is kept only until you leave"
    )]
    Unavailable,
    /// Writing failed, usually because the storage quota is used up.
    #[error("your activity could not be saved on this device ({0})")]
    WriteFailed(String),
    /// The stored profile cannot be read by this version, usually because a newer version of
    /// the store, open in another tab, wrote it. It is left as it is.
    #[error(
        "your activity was saved by a newer version of this store; reload the page to keep saving it ({0})"
    )]
    Unreadable(String),
}

/// What loading found.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The profile to continue with (empty when nothing usable was stored).
    pub profile: Profile,
    /// A stored profile that could not be used, if there was one.
    pub set_aside: Option<SetAside>,
}

/// Where an unreadable stored profile was moved, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SetAside {
    /// Why it could not be used.
    pub reason: String,
    /// The key now holding it, untouched.
    pub key: String,
}

/// What [`TextStore::update`] does to the stored text: the new text from the old (`None`:
/// nothing stored), or an error that writes nothing. Boxed, so that each backend's update is
/// compiled once whatever the change.
pub type TextChange<'a> = Box<dyn FnOnce(Option<String>) -> Result<String, StorageError> + 'a>;

/// Text under string keys: what both backends offer.
pub trait TextStore {
    /// The text under `key`, if any.
    fn get(&self, key: &str) -> impl Future<Output = Result<Option<String>, StorageError>>;
    /// Stores `text` under `key`. The write is issued before this returns (so writes land in
    /// call order); the future says whether it succeeded.
    fn put(
        &self,
        key: &str,
        text: &str,
    ) -> impl Future<Output = Result<(), StorageError>> + use<Self>;
    /// Reads `key`, lets `change` compute the new text from the old (`None`: nothing stored),
    /// and writes it, with no write from this or any other tab in between. An error from
    /// `change` writes nothing.
    fn update(
        &self,
        key: &str,
        change: TextChange<'_>,
    ) -> impl Future<Output = Result<(), StorageError>>;
    /// Removes `key`.
    fn remove(&self, key: &str) -> impl Future<Output = Result<(), StorageError>>;
}

/// Reads the profile under `key`; an unreadable one is set aside under the first free
/// `<key>.unreadable[.N]` and an empty profile returned. Nothing stored is an empty profile.
pub async fn load_profile(store: &impl TextStore, key: &str) -> Result<Loaded, StorageError> {
    let Some(text) = store.get(key).await? else {
        return Ok(Loaded {
            profile: Profile::default(),
            set_aside: None,
        });
    };
    match Profile::from_json(&text) {
        Ok(profile) => Ok(Loaded {
            profile,
            set_aside: None,
        }),
        Err(error) => {
            let mut n = 1;
            let set_aside_key = loop {
                let candidate = match n {
                    1 => format!("{key}.unreadable"),
                    n => format!("{key}.unreadable.{n}"),
                };
                if store.get(&candidate).await?.is_none() {
                    break candidate;
                }
                n += 1;
            };
            store.put(&set_aside_key, &text).await?;
            store.remove(key).await?;
            Ok(Loaded {
                profile: Profile::default(),
                set_aside: Some(SetAside {
                    reason: error.to_string(),
                    key: set_aside_key,
                }),
            })
        }
    }
}

/// A DOMException's name (`QuotaExceededError`), or its string form.
pub(crate) fn describe(error: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.name()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown storage error".to_owned())
}
