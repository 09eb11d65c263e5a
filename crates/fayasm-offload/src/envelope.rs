//! The versioned envelope around every persisted blob: header layout, encoding and the checked
//! decoder.
//!
//! The byte layout is the table in the crate docs. Decoding checks, in this order: length of
//! the header, magic, version, kind, flags, module hash, item index, payload length (truncated
//! or trailing bytes) and the payload's CRC32; the first failed check is the error, and a
//! payload is handed out only when every check passed.

use alloc::vec::Vec;

/// The four bytes every blob starts with.
pub const MAGIC: [u8; 4] = *b"FYSM";
/// The format version this build writes and the newest it reads.
pub const VERSION: u16 = 1;
/// Bytes in the header, before the payload.
pub const HEADER_LEN: usize = 32;

/// What a blob holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Kind {
    /// The microcode of one lowered function (`index` is its function index); written by the
    /// code cache.
    LoweredFunction = 1,
    /// The bytes of one linear memory.
    Memory = 2,
    /// The elements of one table.
    Table = 3,
    /// The values of an instance's globals.
    Globals = 4,
    /// All mutable state of one instance.
    InstanceSnapshot = 5,
}

impl Kind {
    /// Every kind, in code order.
    pub const ALL: [Kind; 5] =
        [Kind::LoweredFunction, Kind::Memory, Kind::Table, Kind::Globals, Kind::InstanceSnapshot];

    /// The kind with byte `code`.
    pub fn from_code(code: u8) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| *k as u8 == code)
    }

    /// Whether `index` names a function (and so must match on load).
    pub fn is_per_function(self) -> bool {
        self == Kind::LoweredFunction
    }

    /// A short lower-case name, used in file names and messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::LoweredFunction => "function",
            Kind::Memory => "memory",
            Kind::Table => "table",
            Kind::Globals => "globals",
            Kind::InstanceSnapshot => "snapshot",
        }
    }
}

impl core::fmt::Display for Kind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// Flags this version knows (none yet); a blob with any other bit set is rejected.
pub const KNOWN_FLAGS: u8 = 0;

/// The decoded header of a blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The format version the blob was written with.
    pub version: u16,
    /// What the payload holds.
    pub kind: Kind,
    /// Flag bits (see [`KNOWN_FLAGS`]).
    pub flags: u8,
    /// The item within the module: the function index for [`Kind::LoweredFunction`], the
    /// memory or table index for those kinds, 0 otherwise.
    pub index: u32,
    /// CRC32 (IEEE) of the payload.
    pub crc: u32,
    /// Bytes of payload after the header.
    pub payload_len: u64,
    /// [`module_hash`] of the module's bytes (0 for state that belongs to no module).
    pub module_hash: u64,
}

/// What a loader expects of a blob; every field is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    /// The kind the caller wants.
    pub kind: Kind,
    /// The module the blob must belong to.
    pub module_hash: u64,
    /// The item index the blob must carry.
    pub index: u32,
}

/// Why a blob was rejected. Each check has its own variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// Fewer bytes than a header.
    #[error("truncated header: {len} bytes, a header is {HEADER_LEN}")]
    TruncatedHeader {
        /// Bytes present.
        len: usize,
    },
    /// The blob does not start with `FYSM`.
    #[error("bad magic {found:02x?}, expected \"FYSM\"")]
    BadMagic {
        /// The first four bytes.
        found: [u8; 4],
    },
    /// Written by a newer fayasm.
    #[error("format version {found} is newer than {VERSION}, the newest this build reads")]
    FutureVersion {
        /// The blob's version.
        found: u16,
    },
    /// Version 0 was never written.
    #[error("format version {found} is not a valid version")]
    BadVersion {
        /// The blob's version.
        found: u16,
    },
    /// The kind byte names no kind.
    #[error("unknown kind code {found}")]
    UnknownKind {
        /// The kind byte.
        found: u8,
    },
    /// Another kind of blob than the caller asked for.
    #[error("wrong kind: the blob holds a {found}, expected a {expected}")]
    WrongKind {
        /// What the blob holds.
        found: Kind,
        /// What was asked for.
        expected: Kind,
    },
    /// Flag bits this version does not know.
    #[error("unknown flags {found:#04x}")]
    UnknownFlags {
        /// The flag byte.
        found: u8,
    },
    /// The blob belongs to another module.
    #[error("different module: blob module hash {found:#018x}, expected {expected:#018x}")]
    WrongModule {
        /// The blob's module hash.
        found: u64,
        /// The expected module hash.
        expected: u64,
    },
    /// The blob is for another item (function, memory, table) than asked for.
    #[error("wrong item index {found}, expected {expected}")]
    WrongIndex {
        /// The blob's index.
        found: u32,
        /// The expected index.
        expected: u32,
    },
    /// The payload is shorter than the header says.
    #[error("truncated payload: {found} bytes of {expected}")]
    TruncatedPayload {
        /// Payload bytes present.
        found: u64,
        /// Payload bytes announced.
        expected: u64,
    },
    /// Bytes after the announced payload.
    #[error("{extra} trailing bytes after the payload")]
    TrailingBytes {
        /// How many.
        extra: u64,
    },
    /// The payload's CRC does not match the header.
    #[error("CRC mismatch: payload CRC {found:#010x}, header says {expected:#010x}")]
    CrcMismatch {
        /// CRC of the payload present.
        found: u32,
        /// CRC in the header.
        expected: u32,
    },
}

impl EnvelopeError {
    /// The name of the check that failed (`"magic"`, `"crc"`, ...), stable for scripts.
    pub fn check(&self) -> &'static str {
        match self {
            EnvelopeError::TruncatedHeader { .. } => "header length",
            EnvelopeError::BadMagic { .. } => "magic",
            EnvelopeError::FutureVersion { .. } | EnvelopeError::BadVersion { .. } => "version",
            EnvelopeError::UnknownKind { .. } | EnvelopeError::WrongKind { .. } => "kind",
            EnvelopeError::UnknownFlags { .. } => "flags",
            EnvelopeError::WrongModule { .. } => "module hash",
            EnvelopeError::WrongIndex { .. } => "item index",
            EnvelopeError::TruncatedPayload { .. } => "payload length",
            EnvelopeError::TrailingBytes { .. } => "trailing bytes",
            EnvelopeError::CrcMismatch { .. } => "crc",
        }
    }
}

/// The 64-bit FNV-1a hash of a module's bytes, the module identity every blob carries.
///
/// FNV-1a needs no tables and no dependency; modules are hashed once per spill or snapshot,
/// and collisions between two modules a device runs are not a concern this guards against
/// an adversary (the CRC and the checked decoders do that).
pub fn module_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // Mix in the length so a module and its zero-extended copy differ even in degenerate cases.
    h ^ (bytes.len() as u64).rotate_left(32)
}

/// CRC32 (IEEE) of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(bytes);
    h.finalize()
}

impl Header {
    /// A header for `payload`, of the current version with no flags.
    pub fn for_payload(kind: Kind, module_hash: u64, index: u32, payload: &[u8]) -> Header {
        Header {
            version: VERSION,
            kind,
            flags: 0,
            index,
            crc: crc32(payload),
            payload_len: payload.len() as u64,
            module_hash,
        }
    }

    /// The header's bytes, little-endian, field by field.
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[0..4].copy_from_slice(&MAGIC);
        b[4..6].copy_from_slice(&self.version.to_le_bytes());
        b[6] = self.kind as u8;
        b[7] = self.flags;
        b[8..12].copy_from_slice(&self.index.to_le_bytes());
        b[12..16].copy_from_slice(&self.crc.to_le_bytes());
        b[16..24].copy_from_slice(&self.payload_len.to_le_bytes());
        b[24..32].copy_from_slice(&self.module_hash.to_le_bytes());
        b
    }

    /// Parses and checks the header fields that need no expectation: length, magic, version,
    /// kind code and flags.
    pub fn parse(bytes: &[u8]) -> Result<Header, EnvelopeError> {
        let Some(h) = bytes.get(..HEADER_LEN) else {
            // Report a wrong magic as soon as the four bytes are there: it says more.
            if let Some(m) = bytes.get(..4)
                && m != MAGIC
            {
                return Err(EnvelopeError::BadMagic { found: [m[0], m[1], m[2], m[3]] });
            }
            return Err(EnvelopeError::TruncatedHeader { len: bytes.len() });
        };
        let u16_at = |i: usize| u16::from_le_bytes([h[i], h[i + 1]]);
        let u32_at = |i: usize| u32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
        let u64_at = |i: usize| {
            let mut a = [0u8; 8];
            a.copy_from_slice(&h[i..i + 8]);
            u64::from_le_bytes(a)
        };
        if h[0..4] != MAGIC {
            return Err(EnvelopeError::BadMagic { found: [h[0], h[1], h[2], h[3]] });
        }
        let version = u16_at(4);
        if version > VERSION {
            return Err(EnvelopeError::FutureVersion { found: version });
        }
        if version == 0 {
            return Err(EnvelopeError::BadVersion { found: version });
        }
        let kind = Kind::from_code(h[6]).ok_or(EnvelopeError::UnknownKind { found: h[6] })?;
        let flags = h[7];
        if flags & !KNOWN_FLAGS != 0 {
            return Err(EnvelopeError::UnknownFlags { found: flags });
        }
        Ok(Header {
            version,
            kind,
            flags,
            index: u32_at(8),
            crc: u32_at(12),
            payload_len: u64_at(16),
            module_hash: u64_at(24),
        })
    }
}

/// Encodes `payload` in an envelope: header, then the payload.
pub fn encode(kind: Kind, module_hash: u64, index: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    encode_into(&mut out, kind, module_hash, index, payload);
    out
}

/// Appends the envelope of `payload` to `out` (which may be reused between blobs).
pub fn encode_into(out: &mut Vec<u8>, kind: Kind, module_hash: u64, index: u32, payload: &[u8]) {
    out.reserve(HEADER_LEN + payload.len());
    out.extend_from_slice(&Header::for_payload(kind, module_hash, index, payload).to_bytes());
    out.extend_from_slice(payload);
}

/// Checks `blob` against `expect` and returns its header and payload.
pub fn decode<'a>(blob: &'a [u8], expect: &Expect) -> Result<(Header, &'a [u8]), EnvelopeError> {
    let header = Header::parse(blob)?;
    if header.kind != expect.kind {
        return Err(EnvelopeError::WrongKind { found: header.kind, expected: expect.kind });
    }
    if header.module_hash != expect.module_hash {
        return Err(EnvelopeError::WrongModule {
            found: header.module_hash,
            expected: expect.module_hash,
        });
    }
    if header.index != expect.index {
        return Err(EnvelopeError::WrongIndex { found: header.index, expected: expect.index });
    }
    let rest = &blob[HEADER_LEN..];
    let present = rest.len() as u64;
    if present < header.payload_len {
        return Err(EnvelopeError::TruncatedPayload {
            found: present,
            expected: header.payload_len,
        });
    }
    if present > header.payload_len {
        return Err(EnvelopeError::TrailingBytes { extra: present - header.payload_len });
    }
    let crc = crc32(rest);
    if crc != header.crc {
        return Err(EnvelopeError::CrcMismatch { found: crc, expected: header.crc });
    }
    Ok((header, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: u64 = 0x1234_5678_9abc_def0;

    fn expect() -> Expect {
        Expect { kind: Kind::Memory, module_hash: HASH, index: 3 }
    }

    fn sample() -> Vec<u8> {
        let payload: Vec<u8> = (0..200u32).map(|i| (i * 7) as u8).collect();
        encode(Kind::Memory, HASH, 3, &payload)
    }

    #[test]
    fn roundtrip_and_layout() {
        let blob = sample();
        let (h, p) = decode(&blob, &expect()).expect("valid blob");
        assert_eq!(p.len(), 200);
        assert_eq!(p[1], 7);
        assert_eq!(h.payload_len, 200);
        // The documented layout, byte for byte.
        assert_eq!(&blob[0..4], b"FYSM");
        assert_eq!(&blob[4..6], &[1, 0]);
        assert_eq!(blob[6], Kind::Memory as u8);
        assert_eq!(blob[7], 0);
        assert_eq!(&blob[8..12], &[3, 0, 0, 0]);
        assert_eq!(&blob[12..16], &crc32(p).to_le_bytes());
        assert_eq!(&blob[16..24], &200u64.to_le_bytes());
        assert_eq!(&blob[24..32], &HASH.to_le_bytes());
        assert_eq!(Header::parse(&blob).expect("header"), h);
    }

    #[test]
    fn every_header_byte_flip_is_rejected_by_its_check() {
        let blob = sample();
        for i in 0..HEADER_LEN {
            for bit in [0x01u8, 0x80] {
                let mut b = blob.clone();
                b[i] ^= bit;
                let err = decode(&b, &expect()).expect_err("a flipped header byte is caught");
                let want = match i {
                    0..4 => "magic",
                    4..6 => "version",
                    6 => "kind",
                    7 => "flags",
                    8..12 => "item index",
                    12..16 => "crc",
                    16..24 if err.check() == "trailing bytes" => "trailing bytes",
                    16..24 => "payload length",
                    _ => "module hash",
                };
                assert_eq!(err.check(), want, "byte {i} bit {bit:#x}: {err}");
            }
        }
    }

    #[test]
    fn flipped_payload_bytes_fail_the_crc() {
        let blob = sample();
        for i in HEADER_LEN..blob.len() {
            let mut b = blob.clone();
            b[i] ^= 0x10;
            assert!(matches!(decode(&b, &expect()), Err(EnvelopeError::CrcMismatch { .. })));
        }
    }

    #[test]
    fn truncation_at_every_boundary() {
        let blob = sample();
        for len in 0..HEADER_LEN {
            assert_eq!(
                decode(&blob[..len], &expect()),
                Err(EnvelopeError::TruncatedHeader { len }),
                "cut at {len}"
            );
        }
        for len in HEADER_LEN..blob.len() {
            assert_eq!(
                decode(&blob[..len], &expect()),
                Err(EnvelopeError::TruncatedPayload {
                    found: (len - HEADER_LEN) as u64,
                    expected: 200
                })
            );
        }
        let mut long = blob.clone();
        long.extend_from_slice(&[0, 0, 0]);
        assert_eq!(decode(&long, &expect()), Err(EnvelopeError::TrailingBytes { extra: 3 }));
    }

    #[test]
    fn wrong_module_kind_index_and_future_version() {
        let blob = sample();
        let e = Expect { module_hash: HASH + 1, ..expect() };
        assert_eq!(
            decode(&blob, &e),
            Err(EnvelopeError::WrongModule { found: HASH, expected: HASH + 1 })
        );
        let e = Expect { kind: Kind::Table, ..expect() };
        assert_eq!(
            decode(&blob, &e),
            Err(EnvelopeError::WrongKind { found: Kind::Memory, expected: Kind::Table })
        );
        let e = Expect { index: 4, ..expect() };
        assert_eq!(decode(&blob, &e), Err(EnvelopeError::WrongIndex { found: 3, expected: 4 }));
        let mut future = blob.clone();
        future[4..6].copy_from_slice(&(VERSION + 1).to_le_bytes());
        assert_eq!(
            decode(&future, &expect()),
            Err(EnvelopeError::FutureVersion { found: VERSION + 1 })
        );
        let mut unknown = blob.clone();
        unknown[6] = 200;
        assert_eq!(decode(&unknown, &expect()), Err(EnvelopeError::UnknownKind { found: 200 }));
        let mut short_magic = blob[..3].to_vec();
        short_magic[0] = b'X';
        assert_eq!(decode(&short_magic, &expect()), Err(EnvelopeError::TruncatedHeader { len: 3 }));
    }

    #[test]
    fn the_per_function_kind_carries_the_function_index() {
        let blob = encode(Kind::LoweredFunction, HASH, 17, b"code");
        assert!(Kind::LoweredFunction.is_per_function());
        let e = Expect { kind: Kind::LoweredFunction, module_hash: HASH, index: 17 };
        assert_eq!(decode(&blob, &e).expect("valid").1, b"code");
        let e = Expect { index: 16, ..e };
        assert!(matches!(decode(&blob, &e), Err(EnvelopeError::WrongIndex { .. })));
    }

    /// A small deterministic generator, so the fuzz-style tests need no dependency.
    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn random_bytes_never_panic_and_never_pass() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        let valid = sample();
        let mut accepted = 0;
        for round in 0..20_000 {
            let len = (rng.next() % 300) as usize;
            let mut b: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            // Half the inputs start from a valid blob so the later checks are reached too.
            if round % 2 == 0 {
                b = valid.clone();
                for _ in 0..1 + rng.next() % 4 {
                    let i = (rng.next() as usize) % b.len();
                    b[i] = rng.next() as u8;
                }
                if rng.next().is_multiple_of(4) {
                    b.truncate((rng.next() as usize) % b.len());
                }
            }
            if let Ok((_, p)) = decode(&b, &expect()) {
                // Only possible when the mutations changed nothing.
                assert_eq!(b, valid);
                assert_eq!(p, &valid[HEADER_LEN..]);
                accepted += 1;
            }
            let _ = Header::parse(&b);
        }
        assert!(accepted < 20_000);
        assert_eq!(decode(&[0u8; 0], &expect()), Err(EnvelopeError::TruncatedHeader { len: 0 }));
    }

    #[test]
    fn module_hash_separates_modules() {
        assert_ne!(module_hash(b"\0asm\x01\0\0\0"), module_hash(b"\0asm\x01\0\0\0\0"));
        assert_ne!(module_hash(b"ab"), module_hash(b"ba"));
        assert_eq!(module_hash(b"same"), module_hash(b"same"));
    }
}
