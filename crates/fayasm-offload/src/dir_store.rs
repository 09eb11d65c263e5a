//! [`DirStore`]: blobs in a directory (an SD card, a host file system), written durably into a
//! ring of slots per key.
//!
//! # Files
//!
//! Key `kind-owner-index` (for example `memory-0-1`) has up to `slots` files
//! `kind-owner-index.S` (`S` in `0..slots`). Each holds a frame: a 24-byte slot header, then
//! the blob.
//!
//! | offset | size | field |
//! | --- | --- | --- |
//! | 0 | 4 | `FYSL` |
//! | 4 | 8 | sequence number (little-endian), higher is newer |
//! | 12 | 8 | blob length |
//! | 20 | 4 | CRC32 of the blob |
//!
//! # Writing
//!
//! A `put` goes to the slot after the newest one, with the next sequence number: write the
//! frame to `NAME.S.tmp`, fsync it, rename it over `NAME.S`, fsync the directory. A power loss
//! at any step leaves the previous blob untouched in its own slot (and with one slot, the
//! rename is atomic). Leftover `.tmp` files are removed when the store is opened.
//!
//! # Reading
//!
//! `get` reads the slots newest first and returns the first whose frame is complete and whose
//! CRC matches, so a torn or corrupt newest slot falls back to the previous one. If slots exist
//! but none is valid, the error is [`StoreError::NoValidSlot`]; no blob is lost silently.
//!
//! Writes and bytes are counted per key and per slot for wear reports ([`DirStore::wear`],
//! [`DirStore::slot_writes`]); the counts cover the store's lifetime in this process.

use crate::envelope::{Kind, crc32};
use crate::store::{SpillKey, SpillStore, StoreError, WearStats};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const SLOT_MAGIC: [u8; 4] = *b"FYSL";
const SLOT_HEADER: usize = 24;

/// A step of a write after which a test makes the store "lose power".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashPoint {
    /// The temp file is written but not synced.
    AfterTempWrite,
    /// The temp file is synced.
    AfterFsync,
    /// Just before the rename (the temp file is closed).
    BeforeRename,
    /// The rename is done, the directory not yet synced.
    AfterRename,
}

#[derive(Debug, Default, Clone)]
struct KeyState {
    /// The newest sequence number on disk (0: none).
    seq: u64,
    /// The slot holding it.
    slot: u32,
    writes: u64,
    bytes: u64,
    slot_writes: Vec<u64>,
}

/// A durable [`SpillStore`] in a directory; see the [module docs](self).
#[derive(Debug)]
pub struct DirStore {
    dir: PathBuf,
    slots: u32,
    keys: BTreeMap<SpillKey, KeyState>,
    crash: Option<CrashPoint>,
}

fn store_err(op: &'static str, e: impl ToString) -> StoreError {
    StoreError::Store { op, message: e.to_string() }
}

fn io_err(op: &'static str, key: SpillKey, e: impl ToString) -> StoreError {
    StoreError::Io { op, key, message: e.to_string() }
}

/// The key a file name `kind-owner-index.S` belongs to, and its slot.
fn parse_name(name: &str) -> Option<(SpillKey, u32)> {
    let (stem, slot) = name.rsplit_once('.')?;
    let slot: u32 = slot.parse().ok()?;
    let mut parts = stem.split('-');
    let kind = parts.next()?;
    let kind = Kind::ALL.into_iter().find(|k| k.name() == kind)?;
    let owner = parts.next()?.parse().ok()?;
    let index = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Some((SpillKey::new(kind, owner, index), slot))
}

/// A parsed slot header.
#[derive(Debug, Clone, Copy)]
struct SlotHeader {
    seq: u64,
    len: u64,
    crc: u32,
}

fn parse_slot_header(b: &[u8]) -> Option<SlotHeader> {
    let h = b.get(..SLOT_HEADER)?;
    if h[0..4] != SLOT_MAGIC {
        return None;
    }
    let u64_at = |i: usize| {
        let mut a = [0u8; 8];
        a.copy_from_slice(&h[i..i + 8]);
        u64::from_le_bytes(a)
    };
    Some(SlotHeader {
        seq: u64_at(4),
        len: u64_at(12),
        crc: u32::from_le_bytes([h[20], h[21], h[22], h[23]]),
    })
}

impl DirStore {
    /// Opens (creating it if needed) the store in `dir` with `slots` slots per key (at least
    /// 1; 2 or more keep the previous blob in its own file while a new one is written).
    pub fn open(dir: impl AsRef<Path>, slots: u32) -> Result<DirStore, StoreError> {
        let dir = dir.as_ref().to_path_buf();
        let slots = slots.max(1);
        fs::create_dir_all(&dir).map_err(|e| store_err("create the store directory", e))?;
        let mut store = DirStore { dir, slots, keys: BTreeMap::new(), crash: None };
        let entries = fs::read_dir(&store.dir).map_err(|e| store_err("list the directory", e))?;
        for entry in entries {
            let entry = entry.map_err(|e| store_err("list the directory", e))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.ends_with(".tmp") {
                // A write that never reached its rename: the old slot is still intact.
                fs::remove_file(entry.path()).map_err(|e| store_err("remove a temp file", e))?;
                continue;
            }
            let Some((key, slot)) = parse_name(name) else { continue };
            let mut head = [0u8; SLOT_HEADER];
            let got = File::open(entry.path()).and_then(|mut f| read_up_to(&mut f, &mut head));
            let Ok(got) = got else { continue };
            let Some(h) = parse_slot_header(&head[..got]) else { continue };
            let state = store.keys.entry(key).or_default();
            if h.seq > state.seq {
                state.seq = h.seq;
                state.slot = slot;
            }
        }
        Ok(store)
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Slots per key.
    pub fn slots(&self) -> u32 {
        self.slots
    }

    /// Makes the next `put` stop at `point` with an error, leaving the files as a power loss
    /// there would (fault injection for tests; the store must be reopened afterwards).
    pub fn crash_at(&mut self, point: Option<CrashPoint>) {
        self.crash = point;
    }

    /// Writes of each slot of `key` since the store was opened.
    pub fn slot_writes(&self, key: SpillKey) -> Vec<u64> {
        let mut v = self.keys.get(&key).map(|s| s.slot_writes.clone()).unwrap_or_default();
        v.resize(self.slots as usize, 0);
        v
    }

    /// The path of slot `slot` of `key`.
    pub fn slot_path(&self, key: SpillKey, slot: u32) -> PathBuf {
        self.dir.join(format!("{key}.{slot}"))
    }

    fn crash_if(&mut self, point: CrashPoint, key: SpillKey) -> Result<(), StoreError> {
        if self.crash == Some(point) {
            self.crash = None;
            return Err(io_err("write", key, format!("simulated power loss ({point:?})")));
        }
        Ok(())
    }

    fn sync_dir(&self) -> Result<(), String> {
        #[cfg(unix)]
        File::open(&self.dir).and_then(|d| d.sync_all()).map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// Reads into `buf` until it is full or the file ends; returns the bytes read.
fn read_up_to(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

impl SpillStore for DirStore {
    fn put(&mut self, key: SpillKey, blob: &[u8]) -> Result<(), StoreError> {
        self.put_parts(key, &[blob])
    }

    fn put_parts(&mut self, key: SpillKey, parts: &[&[u8]]) -> Result<(), StoreError> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut crc = crc32fast::Hasher::new();
        parts.iter().for_each(|p| crc.update(p));
        let slots = self.slots;
        let state = self.keys.entry(key).or_default();
        let slot = if state.seq == 0 { 0 } else { (state.slot + 1) % slots };
        let seq = state.seq + 1;
        let path = self.slot_path(key, slot);
        let tmp = self.dir.join(format!("{key}.{slot}.tmp"));

        let mut head = [0u8; SLOT_HEADER];
        head[0..4].copy_from_slice(&SLOT_MAGIC);
        head[4..12].copy_from_slice(&seq.to_le_bytes());
        head[12..20].copy_from_slice(&(len as u64).to_le_bytes());
        head[20..24].copy_from_slice(&crc.finalize().to_le_bytes());
        {
            let mut f = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&tmp)
                .map_err(|e| io_err("create the temp file", key, e))?;
            f.write_all(&head)
                .and_then(|()| parts.iter().try_for_each(|p| f.write_all(p)))
                .map_err(|e| io_err("write", key, e))?;
            self.crash_if(CrashPoint::AfterTempWrite, key)?;
            f.sync_all().map_err(|e| io_err("fsync", key, e))?;
            self.crash_if(CrashPoint::AfterFsync, key)?;
        }
        self.crash_if(CrashPoint::BeforeRename, key)?;
        fs::rename(&tmp, &path).map_err(|e| io_err("rename", key, e))?;
        self.crash_if(CrashPoint::AfterRename, key)?;
        self.sync_dir().map_err(|e| io_err("fsync the directory", key, e))?;

        let state = self.keys.entry(key).or_default();
        state.seq = seq;
        state.slot = slot;
        state.writes += 1;
        let framed = (SLOT_HEADER + len) as u64;
        state.bytes += framed;
        state.slot_writes.resize(slots as usize, 0);
        state.slot_writes[slot as usize] += 1;
        Ok(())
    }

    fn get(&mut self, key: SpillKey, out: &mut Vec<u8>) -> Result<bool, StoreError> {
        out.clear();
        // Slot headers first, then the blobs newest first.
        let mut found: Vec<(SlotHeader, PathBuf)> = Vec::new();
        let mut present = 0u32;
        for slot in 0..self.slots {
            let path = self.slot_path(key, slot);
            let mut f = match File::open(&path) {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io_err("open", key, e)),
            };
            present += 1;
            let mut head = [0u8; SLOT_HEADER];
            let got = read_up_to(&mut f, &mut head).map_err(|e| io_err("read", key, e))?;
            if let Some(h) = parse_slot_header(&head[..got]) {
                found.push((h, path));
            }
        }
        if present == 0 {
            return Ok(false);
        }
        found.sort_by_key(|f| core::cmp::Reverse(f.0.seq));
        for (h, path) in found {
            let Ok(mut f) = File::open(&path) else { continue };
            let Ok(meta) = f.metadata() else { continue };
            if meta.len() != SLOT_HEADER as u64 + h.len {
                continue; // torn: shorter (or longer) than its header says
            }
            let Ok(len) = usize::try_from(h.len) else { continue };
            // The blob goes straight into `out`, past the header already parsed.
            let mut head = [0u8; SLOT_HEADER];
            if f.read_exact(&mut head).is_err() {
                continue;
            }
            out.clear();
            if out.try_reserve_exact(len).is_err() {
                return Err(StoreError::Full { key, needed: h.len });
            }
            if f.read_to_end(out).is_err() || out.len() != len || crc32(out) != h.crc {
                out.clear();
                continue;
            }
            return Ok(true);
        }
        Err(StoreError::NoValidSlot { key, slots: present })
    }

    fn remove(&mut self, key: SpillKey) -> Result<(), StoreError> {
        for slot in 0..self.slots {
            match fs::remove_file(self.slot_path(key, slot)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_err("remove", key, e)),
            }
        }
        // The ring position and the sequence stay: the next write goes on to the next slot,
        // so removing and rewriting a key still spreads wear.
        self.sync_dir().map_err(|e| io_err("fsync the directory", key, e))
    }

    fn list(&mut self, visit: &mut dyn FnMut(SpillKey)) -> Result<(), StoreError> {
        let mut keys: Vec<SpillKey> = Vec::new();
        for entry in fs::read_dir(&self.dir).map_err(|e| store_err("list the directory", e))? {
            let entry = entry.map_err(|e| store_err("list the directory", e))?;
            if let Some((key, _)) = entry.file_name().to_str().and_then(parse_name) {
                keys.push(key);
            }
        }
        keys.sort();
        keys.dedup();
        keys.into_iter().for_each(visit);
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        self.sync_dir().map_err(|e| store_err("fsync the directory", e))
    }

    fn wear(&self, key: SpillKey) -> Option<WearStats> {
        self.keys.get(&key).map(|s| WearStats { writes: s.writes, bytes: s.bytes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope;
    use alloc::vec;

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);
    impl TempDir {
        fn new(tag: &str) -> TempDir {
            use std::sync::atomic::{AtomicU32, Ordering};
            static N: AtomicU32 = AtomicU32::new(0);
            let n = N.fetch_add(1, Ordering::Relaxed);
            let p = std::env::temp_dir()
                .join(format!("fayasm-dirstore-{tag}-{}-{n}", std::process::id()));
            let _ = fs::remove_dir_all(&p);
            TempDir(p)
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    const KEY: SpillKey = SpillKey::new(Kind::Memory, 0, 1);

    fn blob(n: u8) -> Vec<u8> {
        envelope::encode(Kind::Memory, 7, 1, &vec![n; 1000 + n as usize])
    }

    fn load(dir: &Path, slots: u32) -> Vec<u8> {
        let mut s = DirStore::open(dir, slots).expect("reopen");
        let mut out = Vec::new();
        assert!(s.get(KEY, &mut out).expect("get"), "a blob is there");
        out
    }

    #[test]
    fn survives_reopen_and_lists_removes() {
        let d = TempDir::new("reopen");
        let mut s = DirStore::open(&d.0, 3).expect("open");
        let mut out = Vec::new();
        assert!(!s.get(KEY, &mut out).expect("get"));
        for n in 0..5 {
            s.put(KEY, &blob(n)).expect("put");
        }
        let other = SpillKey::new(Kind::Globals, 2, 0);
        s.put(other, b"g").expect("put");
        drop(s);
        assert_eq!(load(&d.0, 3), blob(4));
        let mut s = DirStore::open(&d.0, 3).expect("open");
        s.put(KEY, &blob(9)).expect("put after reopen continues the sequence");
        assert_eq!(load(&d.0, 3), blob(9));
        let mut keys = Vec::new();
        s.list(&mut |k| keys.push(k)).expect("list");
        assert_eq!(keys, vec![KEY, other]);
        s.remove(KEY).expect("remove");
        assert!(!s.get(KEY, &mut out).expect("get"));
        s.flush().expect("flush");
    }

    #[test]
    fn a_crash_at_every_write_step_leaves_the_previous_blob() {
        for slots in [1, 2, 3] {
            for point in [
                CrashPoint::AfterTempWrite,
                CrashPoint::AfterFsync,
                CrashPoint::BeforeRename,
                CrashPoint::AfterRename,
            ] {
                let d = TempDir::new("crash");
                let mut s = DirStore::open(&d.0, slots).expect("open");
                s.put(KEY, &blob(1)).expect("put");
                s.put(KEY, &blob(2)).expect("put");
                s.crash_at(Some(point));
                let err = s.put(KEY, &blob(3)).expect_err("the crash");
                assert!(err.to_string().contains("simulated power loss"), "{err}");
                drop(s);
                let got = load(&d.0, slots);
                if point == CrashPoint::AfterRename {
                    // The rename happened: the new blob is complete and is the newest.
                    assert_eq!(got, blob(3), "{point:?}, {slots} slot(s)");
                } else {
                    assert_eq!(got, blob(2), "{point:?}, {slots} slot(s)");
                }
                // The temp file is gone after reopening, and writing continues normally.
                let mut s = DirStore::open(&d.0, slots).expect("open");
                let tmp = fs::read_dir(&d.0)
                    .expect("dir")
                    .filter_map(|e| e.ok())
                    .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"));
                assert!(!tmp, "leftover temp files removed");
                s.put(KEY, &blob(4)).expect("put");
                assert_eq!(load(&d.0, slots), blob(4));
            }
        }
    }

    #[test]
    fn a_torn_or_corrupt_newest_slot_falls_back() {
        let d = TempDir::new("torn");
        let mut s = DirStore::open(&d.0, 3).expect("open");
        for n in 1..=3 {
            s.put(KEY, &blob(n)).expect("put");
        }
        // Slot 2 holds blob 3. Tear it: the previous (slot 1) comes back.
        let newest = s.slot_path(KEY, 2);
        let bytes = fs::read(&newest).expect("read");
        fs::write(&newest, &bytes[..bytes.len() / 2]).expect("tear");
        assert_eq!(load(&d.0, 3), blob(2));
        // Corrupt slot 1 in the middle: slot 0 comes back.
        let p1 = s.slot_path(KEY, 1);
        let mut b1 = fs::read(&p1).expect("read");
        b1[SLOT_HEADER + 10] ^= 0xff;
        fs::write(&p1, &b1).expect("corrupt");
        assert_eq!(load(&d.0, 3), blob(1));
        // Everything bad: a clear error, not an empty blob.
        let p0 = s.slot_path(KEY, 0);
        fs::write(&p0, b"FYSL").expect("corrupt");
        let mut out = Vec::new();
        let err = DirStore::open(&d.0, 3).expect("open").get(KEY, &mut out).expect_err("none");
        assert_eq!(err, StoreError::NoValidSlot { key: KEY, slots: 3 });
    }

    #[test]
    fn the_ring_spreads_writes() {
        let d = TempDir::new("ring");
        let mut s = DirStore::open(&d.0, 4).expect("open");
        for n in 0..40 {
            s.put(KEY, &blob(n % 7)).expect("put");
        }
        assert_eq!(s.slot_writes(KEY), vec![10, 10, 10, 10]);
        let w = s.wear(KEY).expect("counted");
        assert_eq!(w.writes, 40);
        let expected: u64 = (0..40u8).map(|n| (SLOT_HEADER + blob(n % 7).len()) as u64).sum();
        assert_eq!(w.bytes, expected);
        assert_eq!(s.wear(SpillKey::new(Kind::Table, 0, 0)), None);
        // The ring continues where it was after a reopen.
        drop(s);
        let mut s = DirStore::open(&d.0, 4).expect("open");
        for n in 0..4 {
            s.put(KEY, &blob(n)).expect("put");
        }
        assert_eq!(s.slot_writes(KEY), vec![1, 1, 1, 1]);
    }

    #[test]
    fn removing_a_key_keeps_its_place_in_the_ring() {
        // Spilled state is removed after every load; the next spill must still move on.
        let d = TempDir::new("ring-remove");
        let mut s = DirStore::open(&d.0, 3).expect("open");
        for n in 0..9 {
            s.put(KEY, &blob(n)).expect("put");
            s.remove(KEY).expect("remove");
        }
        assert_eq!(s.slot_writes(KEY), vec![3, 3, 3]);
        let mut out = Vec::new();
        assert!(!s.get(KEY, &mut out).expect("get"), "removed");
    }

    #[test]
    fn file_names_parse_back() {
        let key = SpillKey::new(Kind::InstanceSnapshot, 12, 3);
        assert_eq!(parse_name(&format!("{key}.2")), Some((key, 2)));
        assert_eq!(parse_name("memory-1.2"), None);
        assert_eq!(parse_name("other.txt"), None);
        assert_eq!(parse_name("memory-1-2-3.0"), None);
    }
}
