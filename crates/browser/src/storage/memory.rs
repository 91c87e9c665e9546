//! This page's memory as a [`TextStore`]: where the profile lives when the browser allows no
//! storage, or when the JS package is asked to keep nothing (`persistence: "memory"`).

use std::cell::RefCell;
use std::future::{Future, ready};
use std::rc::Rc;

use super::{StorageError, TextChange, TextStore};

/// Texts under keys, gone when the page closes. A page holds a key or two, so a list is enough
/// (and adds less to the download than a map).
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    texts: Rc<RefCell<Vec<(String, String)>>>,
}

impl MemoryStore {
    /// The text under `key`, if any.
    pub fn read(&self, key: &str) -> Option<String> {
        let texts = self.texts.borrow();
        texts
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, text)| text.clone())
    }

    fn write(&self, key: &str, text: String) {
        let mut texts = self.texts.borrow_mut();
        match texts.iter_mut().find(|(k, _)| k == key) {
            Some((_, old)) => *old = text,
            None => texts.push((key.to_owned(), text)),
        }
    }

    /// [`TextStore::update`], done at once.
    pub fn update_now(&self, key: &str, change: TextChange<'_>) -> Result<(), StorageError> {
        let text = change(self.read(key))?;
        self.write(key, text);
        Ok(())
    }
}

impl TextStore for MemoryStore {
    fn get(&self, key: &str) -> impl Future<Output = Result<Option<String>, StorageError>> {
        ready(Ok(self.read(key)))
    }

    fn put(&self, key: &str, text: &str) -> impl Future<Output = Result<(), StorageError>> + use<> {
        self.write(key, text.to_owned());
        ready(Ok(()))
    }

    fn update(
        &self,
        key: &str,
        change: TextChange<'_>,
    ) -> impl Future<Output = Result<(), StorageError>> {
        ready(self.update_now(key, change))
    }

    fn remove(&self, key: &str) -> impl Future<Output = Result<(), StorageError>> {
        self.texts.borrow_mut().retain(|(k, _)| k != key);
        ready(Ok(()))
    }
}
