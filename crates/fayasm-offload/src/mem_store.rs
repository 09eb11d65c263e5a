//! [`MemStore`]: blobs in RAM, for tests, benches and hosts that spill to another heap.

use crate::store::{SpillKey, SpillStore, StoreError, WearStats};
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// A [`SpillStore`] in RAM. A `put` reuses the key's previous allocation when it is large
/// enough, so spilling the same memory again allocates nothing.
#[derive(Debug, Default, Clone)]
pub struct MemStore {
    blobs: BTreeMap<SpillKey, Vec<u8>>,
    wear: BTreeMap<SpillKey, WearStats>,
}

impl MemStore {
    /// An empty store.
    pub fn new() -> MemStore {
        MemStore::default()
    }
    /// The blob of `key`, borrowed.
    pub fn blob(&self, key: SpillKey) -> Option<&[u8]> {
        self.blobs.get(&key).map(Vec::as_slice)
    }
    /// The blob of `key`, mutably (tests corrupt blobs through it).
    pub fn blob_mut(&mut self, key: SpillKey) -> Option<&mut Vec<u8>> {
        self.blobs.get_mut(&key)
    }
    /// Number of blobs held.
    pub fn len(&self) -> usize {
        self.blobs.len()
    }
    /// Whether the store holds no blob.
    pub fn is_empty(&self) -> bool {
        self.blobs.is_empty()
    }
    /// Total bytes held.
    pub fn bytes(&self) -> usize {
        self.blobs.values().map(Vec::len).sum()
    }
}

impl SpillStore for MemStore {
    fn put(&mut self, key: SpillKey, blob: &[u8]) -> Result<(), StoreError> {
        self.put_parts(key, &[blob])
    }
    fn put_parts(&mut self, key: SpillKey, parts: &[&[u8]]) -> Result<(), StoreError> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let slot = self.blobs.entry(key).or_default();
        slot.clear();
        slot.try_reserve_exact(len).map_err(|_| StoreError::Full { key, needed: len as u64 })?;
        parts.iter().for_each(|p| slot.extend_from_slice(p));
        let w = self.wear.entry(key).or_default();
        w.writes += 1;
        w.bytes += len as u64;
        Ok(())
    }
    fn get(&mut self, key: SpillKey, out: &mut Vec<u8>) -> Result<bool, StoreError> {
        out.clear();
        match self.blobs.get(&key) {
            Some(b) => {
                out.try_reserve(b.len())
                    .map_err(|_| StoreError::Full { key, needed: b.len() as u64 })?;
                out.extend_from_slice(b);
                Ok(true)
            }
            None => Ok(false),
        }
    }
    fn take(&mut self, key: SpillKey, out: &mut Vec<u8>) -> Result<bool, StoreError> {
        match self.blobs.remove(&key) {
            Some(b) => {
                *out = b;
                Ok(true)
            }
            None => {
                out.clear();
                Ok(false)
            }
        }
    }
    fn remove(&mut self, key: SpillKey) -> Result<(), StoreError> {
        self.blobs.remove(&key);
        Ok(())
    }
    fn list(&mut self, visit: &mut dyn FnMut(SpillKey)) -> Result<(), StoreError> {
        self.blobs.keys().for_each(|k| visit(*k));
        Ok(())
    }
    fn flush(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    fn wear(&self, key: SpillKey) -> Option<WearStats> {
        self.wear.get(&key).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::Kind;
    use alloc::vec;

    #[test]
    fn put_get_remove_list_and_wear() {
        let mut s = MemStore::new();
        let a = SpillKey::new(Kind::Memory, 0, 1);
        let b = SpillKey::new(Kind::Table, 2, 0);
        let store: &mut dyn SpillStore = &mut s;
        let mut out = vec![9u8; 4];
        assert!(!store.get(a, &mut out).expect("get"));
        assert!(out.is_empty());
        store.put(a, b"first").expect("put");
        store.put(a, b"second").expect("put");
        store.put(b, b"x").expect("put");
        assert!(store.get(a, &mut out).expect("get"));
        assert_eq!(out, b"second");
        let mut keys = Vec::new();
        store.list(&mut |k| keys.push(k)).expect("list");
        assert_eq!(keys, vec![a, b]);
        assert_eq!(store.wear(a), Some(WearStats { writes: 2, bytes: 11 }));
        let mut taken = Vec::new();
        assert!(store.take(b, &mut taken).expect("take"));
        assert_eq!(taken, b"x");
        assert!(!store.take(b, &mut taken).expect("take"), "taken once");
        store.put(b, b"x").expect("put");
        store.remove(a).expect("remove");
        store.remove(a).expect("removing an absent key");
        assert!(!store.get(a, &mut out).expect("get"));
        store.flush().expect("flush");
        assert_eq!(s.len(), 1);
        assert_eq!(s.bytes(), 1);
    }
}
