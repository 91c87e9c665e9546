//! The shopper's profile in the browser's `localStorage`.
//!
//! Nothing here is sent anywhere: the profile lives and dies on this device. It is compacted (see
//! `aisle_core::profile`), so it stays a few hundred kilobytes at most however long the shopper
//! browses. The storefront's key, `aisle.events`, held the raw event log in schema 1; reading
//! migrates it. A stored profile that cannot be read (damaged, or written by a newer version) is
//! never overwritten: it is moved to a key of its own (`<key>.unreadable`, then `.unreadable.2`,
//! ...) so that it can be recovered, and the shopper starts afresh.

use aisle_core::profile::Profile;

/// Why the store could not do what was asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StorageError {
    /// The browser offers no `localStorage` (disabled, or a sandboxed frame).
    #[error(
        "this browser does not allow this site to store data, so your activity is kept only until you leave"
    )]
    Unavailable,
    /// Writing failed, usually because the storage quota is used up.
    #[error("your activity could not be saved on this device ({0})")]
    WriteFailed(String),
}

/// What [`ProfileStore::load`] found.
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
    /// The storage key now holding it, untouched.
    pub key: String,
}

/// One profile under one storage key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileStore {
    key: &'static str,
}

impl ProfileStore {
    /// The key the storefront keeps its shopper's profile under.
    pub const STOREFRONT: ProfileStore = ProfileStore::new("aisle.events");

    /// A store under `key` (tests use their own keys).
    pub const fn new(key: &'static str) -> Self {
        Self { key }
    }

    /// The first key of the form `<key>.unreadable[.N]` that holds nothing, so an earlier
    /// set-aside profile is never overwritten.
    fn free_set_aside_key(&self, storage: &web_sys::Storage) -> Result<String, StorageError> {
        (1..)
            .map(|n| match n {
                1 => format!("{}.unreadable", self.key),
                n => format!("{}.unreadable.{n}", self.key),
            })
            .find_map(|key| match storage.get_item(&key) {
                Ok(None) => Some(Ok(key)),
                Ok(Some(_)) => None,
                Err(_) => Some(Err(StorageError::Unavailable)),
            })
            .expect("the key sequence is endless")
    }

    fn storage() -> Result<web_sys::Storage, StorageError> {
        web_sys::window()
            .and_then(|window| window.local_storage().ok().flatten())
            .ok_or(StorageError::Unavailable)
    }

    /// Reads the stored profile. Nothing stored yet is an empty profile.
    pub fn load(&self) -> Result<Loaded, StorageError> {
        let storage = Self::storage()?;
        let Some(text) = storage
            .get_item(self.key)
            .map_err(|_| StorageError::Unavailable)?
        else {
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
                let key = self.free_set_aside_key(&storage)?;
                storage
                    .set_item(&key, &text)
                    .map_err(|error| StorageError::WriteFailed(describe(&error)))?;
                storage
                    .remove_item(self.key)
                    .map_err(|error| StorageError::WriteFailed(describe(&error)))?;
                Ok(Loaded {
                    profile: Profile::default(),
                    set_aside: Some(SetAside {
                        reason: error.to_string(),
                        key,
                    }),
                })
            }
        }
    }

    /// Replaces the stored profile with `profile`.
    pub fn save(&self, profile: &Profile) -> Result<(), StorageError> {
        Self::storage()?
            .set_item(self.key, &profile.to_json())
            .map_err(|error| StorageError::WriteFailed(describe(&error)))
    }
}

/// A DOMException's name (`QuotaExceededError`), or its string form.
fn describe(error: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.name()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown storage error".to_owned())
}
