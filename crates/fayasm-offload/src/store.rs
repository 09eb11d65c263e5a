//! The storage seam: [`SpillKey`], the [`SpillStore`] trait every backend implements, and its
//! error type.
//!
//! The trait is object-safe (`&mut dyn SpillStore` is what the interpreter holds) and
//! allocation-light: blobs go in as borrowed slices, come out into a caller-owned buffer that
//! is reused between loads, and keys are visited rather than collected. A C host or a flash
//! driver implements it with a fixed table of slots.

use crate::envelope::Kind;
use alloc::string::String;
use alloc::vec::Vec;

/// Which blob: a kind, an owner (an instance, or 0) and an item index.
///
/// The interpreter uses `owner` for the store address of the instance a blob belongs to and
/// `index` for the memory, table or function; snapshots written by the CLI use `0/0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SpillKey {
    /// What the blob holds.
    pub kind: Kind,
    /// The owning instance (or 0).
    pub owner: u32,
    /// The item within the owner.
    pub index: u32,
}

impl SpillKey {
    /// A key.
    pub const fn new(kind: Kind, owner: u32, index: u32) -> SpillKey {
        SpillKey { kind, owner, index }
    }
}

impl core::fmt::Display for SpillKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}-{}-{}", self.kind, self.owner, self.index)
    }
}

/// How much a key was written: what wear reports are made of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WearStats {
    /// Completed `put`s.
    pub writes: u64,
    /// Bytes those writes stored (including any per-slot framing of the backend).
    pub bytes: u64,
}

/// Why a storage operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The medium reported an error.
    #[error("{op} of {key} failed: {message}")]
    Io {
        /// The operation (`"write"`, `"fsync"`, `"rename"`, ...).
        op: &'static str,
        /// The blob concerned.
        key: SpillKey,
        /// The medium's message.
        message: String,
    },
    /// An operation on the store as a whole (open, list, flush) failed.
    #[error("{op} failed: {message}")]
    Store {
        /// The operation.
        op: &'static str,
        /// The medium's message.
        message: String,
    },
    /// Slots exist for the key but none holds a complete, valid blob.
    #[error("no valid slot for {key}: {slots} slot(s) present, all torn or corrupt")]
    NoValidSlot {
        /// The key.
        key: SpillKey,
        /// Slots found.
        slots: u32,
    },
    /// The backend has no room for the blob.
    #[error("no room for {key}: {needed} bytes")]
    Full {
        /// The key.
        key: SpillKey,
        /// Bytes the blob needs.
        needed: u64,
    },
}

/// A place to put blobs: RAM, a directory on an SD card, a flash partition.
///
/// Blobs are opaque to the store (they are envelopes, checked by whoever loads them). A `put`
/// replaces the key's blob as one unit: after a failure or a power loss, `get` returns either
/// the old blob or the new one, never a mix, for backends that claim durability (`DirStore`).
pub trait SpillStore {
    /// Stores `blob` under `key`, replacing what was there.
    fn put(&mut self, key: SpillKey, blob: &[u8]) -> Result<(), StoreError>;
    /// Stores the concatenation of `parts` as one blob (an envelope header and its payload
    /// without copying them together first). The default concatenates and calls `put`.
    fn put_parts(&mut self, key: SpillKey, parts: &[&[u8]]) -> Result<(), StoreError> {
        let len = parts.iter().map(|p| p.len()).sum();
        let mut blob = Vec::new();
        blob.try_reserve_exact(len).map_err(|_| StoreError::Full { key, needed: len as u64 })?;
        parts.iter().for_each(|p| blob.extend_from_slice(p));
        self.put(key, &blob)
    }
    /// Loads the blob of `key` into `out` (cleared first); `Ok(false)` if there is none.
    fn get(&mut self, key: SpillKey, out: &mut Vec<u8>) -> Result<bool, StoreError>;
    /// Loads the blob of `key` into `out` and removes it from the store, like `get` then
    /// `remove`; a RAM store hands its buffer over without copying.
    fn take(&mut self, key: SpillKey, out: &mut Vec<u8>) -> Result<bool, StoreError> {
        if self.get(key, out)? {
            self.remove(key)?;
            Ok(true)
        } else {
            Ok(false)
        }
    }
    /// Forgets `key`; removing an absent key is not an error.
    fn remove(&mut self, key: SpillKey) -> Result<(), StoreError>;
    /// Calls `visit` once for every key that has a blob.
    fn list(&mut self, visit: &mut dyn FnMut(SpillKey)) -> Result<(), StoreError>;
    /// Makes every completed `put` durable.
    fn flush(&mut self) -> Result<(), StoreError>;
    /// How often `key` was written since the store was opened, if the backend counts.
    fn wear(&self, key: SpillKey) -> Option<WearStats> {
        let _ = key;
        None
    }
}

/// A `&mut` or a `Box` of a spill store is one too (every method forwards).
macro_rules! forward_spill_store {
    ($($ptr:ty),*) => {$(
        impl<S: SpillStore + ?Sized> SpillStore for $ptr {
            fn put(&mut self, key: SpillKey, blob: &[u8]) -> Result<(), StoreError> {
                (**self).put(key, blob)
            }
            fn put_parts(&mut self, key: SpillKey, parts: &[&[u8]]) -> Result<(), StoreError> {
                (**self).put_parts(key, parts)
            }
            fn get(&mut self, key: SpillKey, out: &mut Vec<u8>) -> Result<bool, StoreError> {
                (**self).get(key, out)
            }
            fn take(&mut self, key: SpillKey, out: &mut Vec<u8>) -> Result<bool, StoreError> {
                (**self).take(key, out)
            }
            fn remove(&mut self, key: SpillKey) -> Result<(), StoreError> {
                (**self).remove(key)
            }
            fn list(&mut self, visit: &mut dyn FnMut(SpillKey)) -> Result<(), StoreError> {
                (**self).list(visit)
            }
            fn flush(&mut self) -> Result<(), StoreError> {
                (**self).flush()
            }
            fn wear(&self, key: SpillKey) -> Option<WearStats> {
                (**self).wear(key)
            }
        }
    )*};
}

forward_spill_store!(&mut S, alloc::boxed::Box<S>);
