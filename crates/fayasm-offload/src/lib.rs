//! Offload for fayasm: the versioned spill envelope, the storage seam and its backends.
//!
//! Everything fayasm persists (a spilled memory, table or set of globals, an instance
//! snapshot, later lowered functions) is one blob in the envelope of [`envelope`], kept in a
//! [`SpillStore`]: [`MemStore`] in RAM, [`DirStore`] in a directory (feature `std`), or a
//! host's own flash driver. `fayasm-exec` calls this crate when it spills and reloads its own
//! state; this crate depends on `fayasm-core` only, so it builds for ESP32-class `no_std`
//! targets without pulling in the compiler, and it must never depend on exec.
//!
//! # Envelope layout
//!
//! Every field is little-endian, written and read byte by byte (no struct casting).
//!
//! | offset | size | field | meaning |
//! | --- | --- | --- | --- |
//! | 0 | 4 | magic | `FYSM` |
//! | 4 | 2 | version | format version, `1`; a newer one is rejected |
//! | 6 | 1 | kind | 1 lowered function, 2 linear memory, 3 table, 4 globals, 5 instance snapshot |
//! | 7 | 1 | flags | no flag is defined yet: any set bit is rejected |
//! | 8 | 4 | index | function index (lowered function), memory or table index, else 0 |
//! | 12 | 4 | crc32 | CRC32 (IEEE, crc32fast) of the payload |
//! | 16 | 8 | payload length | bytes after the header |
//! | 24 | 8 | module hash | [`envelope::module_hash`] of the module's bytes, 0 for none |
//! | 32 | n | payload | kind-specific |
//!
//! Loading ([`envelope::decode`]) rejects, each with its own [`EnvelopeError`] variant: a
//! header shorter than 32 bytes, a wrong magic, a newer (or zero) version, an unknown or a
//! wrong kind, unknown flags, a different module, a different item index, a truncated payload,
//! trailing bytes and a CRC mismatch. Nothing of a blob is used before every check passed.
//!
//! # Storage
//!
//! [`SpillStore`] is object-safe and allocation-light: `put(key, &[u8])`,
//! `get(key, &mut Vec<u8>)`, `remove`, `list` (a visitor), `flush`, plus provided `put_parts`
//! (header and payload without concatenating them) and `take` (get and remove; [`MemStore`]
//! hands its buffer over) that a backend may override. [`DirStore`] writes each
//! blob durably (temp file, fsync, rename, fsync of the directory) into a ring of slots per key
//! and loads the newest slot whose frame checks out; see [`dir_store`].
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "std")]
pub mod dir_store;
pub mod envelope;
mod mem_store;
mod store;

#[cfg(feature = "std")]
pub use dir_store::{CrashPoint, DirStore};
pub use envelope::{EnvelopeError, Expect, Header, Kind};
pub use mem_store::MemStore;
pub use store::{SpillKey, SpillStore, StoreError, WearStats};
