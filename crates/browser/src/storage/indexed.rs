//! IndexedDB as a [`TextStore`]: where the storefront keeps the shopper's profile.
//!
//! One database (`aisle`) with one object store (`profiles`) of JSON texts under string keys.
//! The database version numbers the object-store layout: version 1 is this one, and a later
//! layout adds its migration to `upgrade`. The profile's own format is versioned inside the
//! JSON (see `aisle_core::shopper::profile`).

use std::future::Future;
use std::rc::Rc;

use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use wasm_bindgen::JsValue;

use super::{StorageError, TextChange, TextStore};

/// The object-store layout version.
const DATABASE_VERSION: u32 = 1;
const STORE: &str = "profiles";

/// An open IndexedDB database holding profiles.
#[derive(Debug, Clone)]
pub struct IndexedStore {
    database: Rc<Database>,
}

/// Creates or migrates the object stores when the database is new or older than
/// [`DATABASE_VERSION`].
fn upgrade(database: &Database) -> Result<(), idb::Error> {
    if !database.store_names().iter().any(|name| name == STORE) {
        database.create_object_store(STORE, ObjectStoreParams::new())?;
    }
    Ok(())
}

fn failed(error: idb::Error) -> StorageError {
    StorageError::WriteFailed(error.to_string())
}

impl IndexedStore {
    /// Opens (creating or upgrading) the database `name`. Unavailable IndexedDB (disabled,
    /// some private modes) is [`StorageError::Unavailable`].
    pub async fn open(name: &str) -> Result<Self, StorageError> {
        let factory = Factory::new().map_err(|_| StorageError::Unavailable)?;
        let mut request = factory
            .open(name, Some(DATABASE_VERSION))
            .map_err(|_| StorageError::Unavailable)?;
        request.on_upgrade_needed(|event| {
            if let Err(error) = event.database().and_then(|database| upgrade(&database)) {
                let message = format!("could not prepare the profile database: {error}");
                web_sys::console::error_1(&message.into());
            }
        });
        let database = request.await.map_err(|_| StorageError::Unavailable)?;
        Ok(Self {
            database: Rc::new(database),
        })
    }
}

impl TextStore for IndexedStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        let transaction = self
            .database
            .transaction(&[STORE], TransactionMode::ReadOnly)
            .map_err(|_| StorageError::Unavailable)?;
        let store = transaction
            .object_store(STORE)
            .map_err(|_| StorageError::Unavailable)?;
        let value = store
            .get(JsValue::from_str(key))
            .map_err(|_| StorageError::Unavailable)?
            .await
            .map_err(|_| StorageError::Unavailable)?;
        Ok(value.and_then(|value| value.as_string()))
    }

    fn put(&self, key: &str, text: &str) -> impl Future<Output = Result<(), StorageError>> + use<> {
        // Issued now, awaited later: IndexedDB runs read-write transactions on one store in the
        // order they were created, so the last save wins.
        let issued = (|| {
            let transaction = self
                .database
                .transaction(&[STORE], TransactionMode::ReadWrite)
                .map_err(failed)?;
            let store = transaction.object_store(STORE).map_err(failed)?;
            store
                .put(&JsValue::from_str(text), Some(&JsValue::from_str(key)))
                .map_err(failed)?;
            Ok(transaction)
        })();
        async move {
            let result = issued?.await.map_err(failed)?;
            if result.is_committed() {
                Ok(())
            } else {
                Err(StorageError::WriteFailed("the write was aborted".into()))
            }
        }
    }

    async fn update(&self, key: &str, change: TextChange<'_>) -> Result<(), StorageError> {
        // One read-write transaction for the read and the write: the browser runs such
        // transactions on a store one at a time, across tabs, so no other tab writes between
        // them. The write is issued from the read's continuation, which runs in a microtask of
        // the read's success event, while the transaction is still active.
        let transaction = self
            .database
            .transaction(&[STORE], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let store = transaction.object_store(STORE).map_err(failed)?;
        let old = store
            .get(JsValue::from_str(key))
            .map_err(failed)?
            .await
            .map_err(failed)?;
        // On an error the transaction ends without a write.
        let text = change(old.and_then(|value| value.as_string()))?;
        store
            .put(&JsValue::from_str(&text), Some(&JsValue::from_str(key)))
            .map_err(failed)?;
        let result = transaction.await.map_err(failed)?;
        if result.is_committed() {
            Ok(())
        } else {
            Err(StorageError::WriteFailed("the write was aborted".into()))
        }
    }

    async fn remove(&self, key: &str) -> Result<(), StorageError> {
        let transaction = self
            .database
            .transaction(&[STORE], TransactionMode::ReadWrite)
            .map_err(failed)?;
        transaction
            .object_store(STORE)
            .map_err(failed)?
            .delete(JsValue::from_str(key))
            .map_err(failed)?;
        transaction.await.map_err(failed)?;
        Ok(())
    }
}
