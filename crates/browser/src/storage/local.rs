//! `localStorage` as a [`TextStore`]: the fallback where IndexedDB is unavailable, and where
//! earlier versions kept the profile.

use std::future::{Future, ready};

use super::{StorageError, TextChange, TextStore, describe};

/// The browser's `localStorage`.
#[derive(Debug, Clone)]
pub struct LocalStore {
    storage: web_sys::Storage,
}

impl LocalStore {
    /// `localStorage`, if the browser allows this site one.
    pub fn open() -> Result<Self, StorageError> {
        web_sys::window()
            .and_then(|window| window.local_storage().ok().flatten())
            .map(|storage| Self { storage })
            .ok_or(StorageError::Unavailable)
    }

    /// The text under `key`, if any.
    pub fn read(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.storage
            .get_item(key)
            .map_err(|_| StorageError::Unavailable)
    }

    /// [`TextStore::update`], done at once: the read and the write run with nothing awaited
    /// between them.
    pub fn update_now(&self, key: &str, change: TextChange<'_>) -> Result<(), StorageError> {
        let text = change(self.read(key)?)?;
        self.set(key, &text)
    }

    /// The keys that start with `prefix`.
    pub fn keys_starting_with(&self, prefix: &str) -> Vec<String> {
        let count = self.storage.length().unwrap_or(0);
        (0..count)
            .filter_map(|index| self.storage.key(index).ok().flatten())
            .filter(|key| key.starts_with(prefix))
            .collect()
    }

    /// Removes `key`, at once.
    pub fn remove_now(&self, key: &str) -> Result<(), StorageError> {
        self.storage
            .remove_item(key)
            .map_err(|error| StorageError::WriteFailed(describe(&error)))
    }

    /// Stores `text` under `key`, at once.
    pub fn set(&self, key: &str, text: &str) -> Result<(), StorageError> {
        self.storage
            .set_item(key, text)
            .map_err(|error| StorageError::WriteFailed(describe(&error)))
    }
}

impl TextStore for LocalStore {
    fn get(&self, key: &str) -> impl Future<Output = Result<Option<String>, StorageError>> {
        ready(self.read(key))
    }

    fn put(&self, key: &str, text: &str) -> impl Future<Output = Result<(), StorageError>> + use<> {
        ready(self.set(key, text))
    }

    fn update(
        &self,
        key: &str,
        change: TextChange<'_>,
    ) -> impl Future<Output = Result<(), StorageError>> {
        ready(self.update_now(key, change))
    }

    fn remove(&self, key: &str) -> impl Future<Output = Result<(), StorageError>> {
        ready(self.remove_now(key))
    }
}
