//! The stable, compact, pointer-free byte encoding of a [`FuncCode`].
//!
//! # Format
//! ```text
//! magic        b"FYMC"
//! version      u16, little endian            (FORMAT_VERSION: the framing below)
//! isa          u32, little endian            (ISA_FINGERPRINT: the opcode numbering)
//! param_cells  unsigned LEB128, fits u16
//! local_cells  unsigned LEB128, fits u16
//! frame_cells  unsigned LEB128, fits u16
//! op count     unsigned LEB128
//! ops          op count times: opcode (unsigned LEB128 u16), then every field in
//!              declaration order: unsigned LEB128 for `Slot`, `u16`, `u32`,
//!              signed LEB128 for `i32` and `BranchOffset`
//! ```
//! Every integer is in its shortest LEB128 form, so a [`FuncCode`] has exactly one encoding.
//! A typical op (`I32Add` over slots below 128) takes 4 bytes.
//!
//! Opcodes are positions in [`for_each_op!`](crate::for_each_op), so adding or reordering
//! instructions renumbers them. The header therefore carries [`ISA_FINGERPRINT`], a hash of the
//! instruction list (names, fields, field types, families), and [`decode`] rejects code
//! written against a different list.
//!
//! Everything is generated from [`for_each_op!`](crate::for_each_op); the only instructions
//! named here are those of [`decode`]'s structural rules: `BrTable` and its `Br` entries,
//! the `Param` after each op that takes one (`OpCode::takes_param`), the terminators a function
//! must end in, and `Copy2`'s two-cell slots. SIMD ops (issue #8) are checked through their ISA
//! facts (`OpCode::is_simd`: every slot has a second cell; `simd_lane_count`,
//! `trailing_params`) and `I8x16Shuffle`'s lane bytes.

use crate::{FuncCode, Op, OpCode};
use alloc::vec::Vec;
use core::fmt;

/// Version of the framing (header layout, integer encoding). Bumped when either changes.
pub const FORMAT_VERSION: u16 = 1;

/// The four bytes every encoding starts with.
pub const MAGIC: [u8; 4] = *b"FYMC";

/// Why [`decode`] rejected its input. Every variant carries the byte offset of the offending
/// item.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeCodeError {
    /// The input does not start with [`MAGIC`].
    BadMagic {
        /// Byte offset of the magic.
        offset: usize,
    },
    /// The input was written with another [`FORMAT_VERSION`].
    UnsupportedVersion {
        /// The version found.
        version: u16,
        /// Byte offset of the version.
        offset: usize,
    },
    /// The input was written against another instruction list.
    IsaMismatch {
        /// The fingerprint found.
        found: u32,
        /// Byte offset of the fingerprint.
        offset: usize,
    },
    /// The input ends inside an item.
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Byte offset where that item starts.
        offset: usize,
    },
    /// An integer does not fit its field, or is not in its shortest LEB128 form.
    BadInteger {
        /// What was being read.
        what: &'static str,
        /// Byte offset where the integer starts.
        offset: usize,
    },
    /// The frame shape is not `param_cells <= local_cells <= frame_cells`.
    BadFrameShape {
        /// Byte offset of `param_cells`.
        offset: usize,
    },
    /// The op count is larger than the remaining input could hold.
    TooManyOps {
        /// The declared count.
        count: u64,
        /// Byte offset of the count.
        offset: usize,
    },
    /// An opcode beyond the instruction list.
    UnknownOpcode {
        /// The opcode found.
        opcode: u16,
        /// Byte offset of the opcode.
        offset: usize,
    },
    /// A branch of op `index` targets `target`, outside `0..op_count`.
    BranchOutOfRange {
        /// Index of the branching op.
        index: usize,
        /// The absolute target.
        target: i64,
        /// Byte offset of the branching op.
        offset: usize,
    },
    /// A `BrTable` at op `index` is not followed by `len + 1` `Br` ops.
    BadBrTable {
        /// Index of the `BrTable` op.
        index: usize,
        /// Byte offset of the op that should have been a `Br` (or of the `BrTable` itself when
        /// the table runs past the end of the function).
        offset: usize,
    },
    /// An operand of op `index` names a slot outside the function's frame.
    SlotOutOfFrame {
        /// Index of the op.
        index: usize,
        /// The slot (for a call's `base`, the start of the callee's frame).
        slot: u32,
        /// Byte offset of the op.
        offset: usize,
    },
    /// An op that takes a `Param` (`TableInit`, `MemoryInitM`, the accesses that name their
    /// memory: [`OpCode::takes_param`]) at op `index` is not followed by one.
    MissingParam {
        /// Index of the op.
        index: usize,
        /// Byte offset of the op after it.
        offset: usize,
        /// The op's name.
        op: &'static str,
    },
    /// A SIMD op at `index` (`I8x16Shuffle`, a `v_load_lane`) is not followed by the `Param`s
    /// holding the rest of its immediates.
    MissingSimdParam {
        /// Index of the SIMD op.
        index: usize,
        /// Byte offset of the op that should have been a `Param`.
        offset: usize,
    },
    /// A lane index of op `index` is out of range: a `lane` operand at or above the op's lane
    /// count, or a shuffle lane above 31.
    BadLane {
        /// Index of the op.
        index: usize,
        /// The lane found.
        lane: u32,
        /// Byte offset of the op (of the `Param`, for shuffle lanes 4..16).
        offset: usize,
    },
    /// The last op can fall through past the end of the function (or there are no ops).
    NoTerminator {
        /// Byte offset of the end of the ops.
        offset: usize,
    },
    /// Bytes remain after the last op.
    TrailingBytes {
        /// Byte offset of the first extra byte.
        offset: usize,
    },
}

impl DecodeCodeError {
    /// Byte offset of the offending item.
    pub fn offset(&self) -> usize {
        match *self {
            Self::BadMagic { offset }
            | Self::UnsupportedVersion { offset, .. }
            | Self::IsaMismatch { offset, .. }
            | Self::Truncated { offset, .. }
            | Self::BadInteger { offset, .. }
            | Self::BadFrameShape { offset }
            | Self::TooManyOps { offset, .. }
            | Self::UnknownOpcode { offset, .. }
            | Self::BranchOutOfRange { offset, .. }
            | Self::BadBrTable { offset, .. }
            | Self::SlotOutOfFrame { offset, .. }
            | Self::MissingParam { offset, .. }
            | Self::MissingSimdParam { offset, .. }
            | Self::BadLane { offset, .. }
            | Self::NoTerminator { offset }
            | Self::TrailingBytes { offset } => offset,
        }
    }
}

impl fmt::Display for DecodeCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::BadMagic { offset } => {
                write!(f, "not fayasm microcode: bad magic at byte {offset}")
            }
            Self::UnsupportedVersion { version, offset } => write!(
                f,
                "unsupported microcode format version {version} at byte {offset} \
                 (expected {FORMAT_VERSION})"
            ),
            Self::IsaMismatch { found, offset } => write!(
                f,
                "microcode written for another instruction set: fingerprint {found:#010x} at \
                 byte {offset} (expected {ISA_FINGERPRINT:#010x})"
            ),
            Self::Truncated { what, offset } => {
                write!(f, "input ends inside {what} starting at byte {offset}")
            }
            Self::BadInteger { what, offset } => {
                write!(f, "{what} at byte {offset} is out of range or not minimally encoded")
            }
            Self::BadFrameShape { offset } => {
                write!(f, "frame shape at byte {offset} is not params <= locals <= frame")
            }
            Self::TooManyOps { count, offset } => write!(
                f,
                "op count {count} at byte {offset} exceeds what the remaining input can hold"
            ),
            Self::UnknownOpcode { opcode, offset } => {
                write!(f, "unknown opcode {opcode} at byte {offset}")
            }
            Self::BranchOutOfRange { index, target, offset } => write!(
                f,
                "branch of op {index} at byte {offset} targets {target}, outside the function"
            ),
            Self::BadBrTable { index, offset } => {
                write!(f, "BrTable at op {index} is not followed by its Br entries (byte {offset})")
            }
            Self::SlotOutOfFrame { index, slot, offset } => write!(
                f,
                "op {index} at byte {offset} names slot {slot}, outside the function's frame"
            ),
            Self::MissingParam { index, offset, op } => {
                write!(f, "{op} at op {index} is not followed by its Param (byte {offset})")
            }
            Self::MissingSimdParam { index, offset } => write!(
                f,
                "SIMD op {index} is not followed by the Params of its immediates (byte {offset})"
            ),
            Self::BadLane { index, lane, offset } => {
                write!(f, "op {index} at byte {offset} names lane {lane}, out of range")
            }
            Self::NoTerminator { offset } => write!(
                f,
                "the ops end at byte {offset} without a return, branch or trap to end them"
            ),
            Self::TrailingBytes { offset } => {
                write!(f, "trailing bytes after the last op at byte {offset}")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for DecodeCodeError {}

// ----- the instruction-list fingerprint -----

/// FNV-1a over `bytes`, usable in constants.
const fn fnv1a(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u32;
        hash = hash.wrapping_mul(0x0100_0193);
        i += 1;
    }
    hash
}

macro_rules! isa_signature {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident { $($field:ident : $fty:ident),* } $family:ident $(($($sem:tt)*))? ;
    )*) => {
        // Each token is stringified on its own so the text does not depend on how the compiler
        // spaces a token sequence.
        concat!($(
            stringify!($name), "{",
            $(stringify!($field), ":", stringify!($fty), ",",)*
            "}", stringify!($family), "(", $($(stringify!($sem), " ",)*)? ");",
        )*)
    };
}

/// The text the fingerprint is computed from: every instruction's name, fields, field types and
/// family, in list order.
const ISA_SIGNATURE: &str = crate::for_each_op!(isa_signature);

/// A hash of the instruction list, stored in every encoding: opcodes are list positions, so code
/// is only decoded by a build with the same list.
pub const ISA_FINGERPRINT: u32 = fnv1a(ISA_SIGNATURE.as_bytes());

// ----- writing -----

/// Where encoded bytes go: a buffer, or a counter for [`encoded_len`].
trait Sink {
    fn put(&mut self, byte: u8);

    fn put_uleb(&mut self, mut value: u64) {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                self.put(byte);
                return;
            }
            self.put(byte | 0x80);
        }
    }

    fn put_sleb(&mut self, mut value: i64) {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            let done = (value == 0 && byte & 0x40 == 0) || (value == -1 && byte & 0x40 != 0);
            if done {
                self.put(byte);
                return;
            }
            self.put(byte | 0x80);
        }
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, byte: u8) {
        self.push(byte);
    }
}

struct Counter(usize);

impl Sink for Counter {
    fn put(&mut self, _byte: u8) {
        self.0 += 1;
    }
}

// ----- reading -----

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn take<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], DecodeCodeError> {
        let offset = self.pos;
        let chunk = self
            .bytes
            .get(offset..)
            .and_then(|rest| rest.first_chunk::<N>())
            .ok_or(DecodeCodeError::Truncated { what, offset })?;
        self.pos += N;
        Ok(*chunk)
    }

    /// Reads a minimal unsigned LEB128 integer no larger than `max`.
    fn uleb(&mut self, max: u64, what: &'static str) -> Result<u64, DecodeCodeError> {
        let offset = self.pos;
        let bad = DecodeCodeError::BadInteger { what, offset };
        let mut value: u128 = 0;
        let mut shift = 0u32;
        loop {
            let byte =
                *self.bytes.get(self.pos).ok_or(DecodeCodeError::Truncated { what, offset })?;
            self.pos += 1;
            value |= u128::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                if byte == 0 && shift > 0 {
                    return Err(bad);
                }
                return u64::try_from(value).ok().filter(|&v| v <= max).ok_or(bad);
            }
            shift += 7;
            // Ten groups carry 70 bits; anything longer is out of range for every field.
            if shift >= 70 {
                return Err(bad);
            }
        }
    }

    /// Reads a minimal signed LEB128 integer within `min..=max`.
    fn sleb(&mut self, min: i64, max: i64, what: &'static str) -> Result<i64, DecodeCodeError> {
        let offset = self.pos;
        let bad = DecodeCodeError::BadInteger { what, offset };
        let mut value: i128 = 0;
        let mut shift = 0u32;
        let mut prev: Option<u8> = None;
        loop {
            let byte =
                *self.bytes.get(self.pos).ok_or(DecodeCodeError::Truncated { what, offset })?;
            self.pos += 1;
            value |= i128::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                if byte & 0x40 != 0 {
                    value |= -1i128 << shift;
                }
                // The last group only repeats the sign of the one before: not minimal.
                if let Some(prev) = prev {
                    let sign = prev & 0x40 != 0;
                    if (byte == 0 && !sign) || (byte == 0x7f && sign) {
                        return Err(bad);
                    }
                }
                return i64::try_from(value).ok().filter(|v| (min..=max).contains(v)).ok_or(bad);
            }
            if shift >= 70 {
                return Err(bad);
            }
            prev = Some(byte);
        }
    }
}

// ----- fields -----

/// An operand type of the instruction list and its wire form.
trait Field: Sized {
    fn write(self, sink: &mut impl Sink);
    fn read(reader: &mut Reader<'_>, what: &'static str) -> Result<Self, DecodeCodeError>;
}

impl Field for u16 {
    fn write(self, sink: &mut impl Sink) {
        sink.put_uleb(u64::from(self));
    }
    fn read(reader: &mut Reader<'_>, what: &'static str) -> Result<Self, DecodeCodeError> {
        let offset = reader.pos;
        let v = reader.uleb(u64::from(u16::MAX), what)?;
        u16::try_from(v).map_err(|_| DecodeCodeError::BadInteger { what, offset })
    }
}

impl Field for u32 {
    fn write(self, sink: &mut impl Sink) {
        sink.put_uleb(u64::from(self));
    }
    fn read(reader: &mut Reader<'_>, what: &'static str) -> Result<Self, DecodeCodeError> {
        let offset = reader.pos;
        let v = reader.uleb(u64::from(u32::MAX), what)?;
        u32::try_from(v).map_err(|_| DecodeCodeError::BadInteger { what, offset })
    }
}

impl Field for i16 {
    fn write(self, sink: &mut impl Sink) {
        sink.put_sleb(i64::from(self));
    }
    fn read(reader: &mut Reader<'_>, what: &'static str) -> Result<Self, DecodeCodeError> {
        let offset = reader.pos;
        let v = reader.sleb(i64::from(i16::MIN), i64::from(i16::MAX), what)?;
        i16::try_from(v).map_err(|_| DecodeCodeError::BadInteger { what, offset })
    }
}

impl Field for i32 {
    fn write(self, sink: &mut impl Sink) {
        sink.put_sleb(i64::from(self));
    }
    fn read(reader: &mut Reader<'_>, what: &'static str) -> Result<Self, DecodeCodeError> {
        let offset = reader.pos;
        let v = reader.sleb(i64::from(i32::MIN), i64::from(i32::MAX), what)?;
        i32::try_from(v).map_err(|_| DecodeCodeError::BadInteger { what, offset })
    }
}

/// Calls `$f(slot, extra)` for a field whose declared type is `Slot`: `extra` is 0 for a call's
/// `base` (the callee frame may start at the end of this one), otherwise 1 plus `$wide`.
macro_rules! if_slot {
    (Slot, base, $v:ident, $f:expr, $wide:expr) => {
        $f(u32::from(*$v), 0)?
    };
    (Slot, $name:ident, $v:ident, $f:expr, $wide:expr) => {
        $f(u32::from(*$v), 1 + $wide)?
    };
    ($other:ident, $name:ident, $v:ident, $f:expr, $wide:expr) => {{
        let _ = $v;
    }};
}

/// Calls `$f` with a field's value if its declared type is `BranchOffset`.
macro_rules! if_branch {
    (BranchOffset, $v:expr, $f:expr) => {
        $f(*$v)?
    };
    ($other:ident, $v:expr, $f:expr) => {{
        let _ = $v;
    }};
}

macro_rules! define_codec {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident { $($field:ident : $fty:ident),* } $family:ident $(($($sem:tt)*))? ;
    )*) => {
        fn write_op(op: &Op, sink: &mut impl Sink) {
            sink.put_uleb(u64::from(op.opcode() as u16));
            match *op {
                $(Op::$name { $($field),* } => { $(Field::write($field, sink);)* })*
            }
        }

        fn read_op(opcode: OpCode, reader: &mut Reader<'_>) -> Result<Op, DecodeCodeError> {
            Ok(match opcode {
                $(OpCode::$name => Op::$name {
                    $($field: Field::read(
                        reader,
                        concat!("operand `", stringify!($field), "` of ", stringify!($name)),
                    )?,)*
                },)*
            })
        }

        /// Calls `check` with every `Slot` operand of `op` and the largest value it may take
        /// relative to the frame size: a call's `base` may equal it, any other slot must be
        /// below it (`Copy2` also uses `slot + 1`).
        fn check_slots<E>(op: &Op, mut check: impl FnMut(u32, u32) -> Result<(), E>) -> Result<(), E> {
            let wide = u32::from(matches!(op, Op::Copy2 { .. }) || op.opcode().is_simd());
            match op {
                $(Op::$name { $($field),* } => { $(if_slot!($fty, $field, $field, check, wide);)* })*
            }
            Ok(())
        }

        /// Calls `check` with every `BranchOffset` operand of `op`.
        fn check_branches<E>(
            op: &Op,
            mut check: impl FnMut(i32) -> Result<(), E>,
        ) -> Result<(), E> {
            match op {
                $(Op::$name { $($field),* } => { $(if_branch!($fty, $field, check);)* })*
            }
            Ok(())
        }
    };
}

crate::for_each_op!(define_codec);

fn write_code(code: &FuncCode, sink: &mut impl Sink) {
    for byte in MAGIC {
        sink.put(byte);
    }
    for byte in FORMAT_VERSION.to_le_bytes() {
        sink.put(byte);
    }
    for byte in ISA_FINGERPRINT.to_le_bytes() {
        sink.put(byte);
    }
    code.param_cells.write(sink);
    code.local_cells.write(sink);
    code.frame_cells.write(sink);
    sink.put_uleb(code.ops.len() as u64);
    for op in &code.ops {
        write_op(op, sink);
    }
}

/// Appends the encoding of `code` to `out`.
pub fn encode(code: &FuncCode, out: &mut Vec<u8>) {
    write_code(code, out);
}

/// The number of bytes [`encode`] appends for `code`, computed without allocating.
pub fn encoded_len(code: &FuncCode) -> usize {
    let mut counter = Counter(0);
    write_code(code, &mut counter);
    counter.0
}

/// Checks four shuffle lane bytes (little endian in `word`): each selects one of 32 lanes.
fn check_shuffle_lanes(word: u32, index: usize, offset: usize) -> Result<(), DecodeCodeError> {
    match word.to_le_bytes().into_iter().find(|&b| b >= 32) {
        Some(lane) => Err(DecodeCodeError::BadLane { index, lane: u32::from(lane), offset }),
        None => Ok(()),
    }
}

/// Checks the lane immediates of a SIMD op: a `lane` below the op's lane count, the first four
/// lanes of a shuffle (the others are checked in its `Param`s).
fn check_simd_lanes(op: &Op, index: usize, offset: usize) -> Result<(), DecodeCodeError> {
    if let Op::I8x16Shuffle { lanes, .. } = *op {
        return check_shuffle_lanes(lanes, index, offset);
    }
    let Some(count) = op.opcode().simd_lane_count() else { return Ok(()) };
    macro_rules! lane_of {
        ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
            match *op {
                $( Op::$name { $($field),* } => { lane_of!(@fields $($field)*) } )*
            }
        };
        (@fields $($field:ident)*) => {{
            #[allow(unused_mut, unused_assignments, reason = "most ops have no lane field")]
            let mut found: Option<u16> = None;
            $( lane_of!(@is found $field $field); )*
            found
        }};
        // The second token is matched against `lane`, the third is used: the field's binding.
        (@is $out:ident lane $f:ident) => { $out = Some($f) };
        (@is $out:ident $other:ident $f:ident) => { let _ = $f; };
    }
    match crate::for_each_op!(lane_of) {
        Some(lane) if lane >= count => {
            Err(DecodeCodeError::BadLane { index, lane: u32::from(lane), offset })
        }
        _ => Ok(()),
    }
}

/// Decodes and checks one encoded function.
///
/// Accepts exactly the output of [`encode`] for the same [`FORMAT_VERSION`] and instruction
/// list. Besides the framing (magic, version, fingerprint, truncation, integer widths, opcode
/// range, trailing bytes) it checks that `param_cells <= local_cells <= frame_cells`, that every
/// `BranchOffset` operand targets an op of the function, that every `BrTable` is followed by
/// its `len + 1` `Br` ops, that every slot lies inside the frame, that every op that takes a
/// `Param` ([`OpCode::takes_param`]) is followed by one, and that the last op is a terminator: the invariants the
/// interpreter's unchecked accesses rely on. It does not check indices into the module
/// (functions, globals, tables, types): whoever runs decoded code checks those against its
/// module. Never panics; allocation is bounded by the input length.
pub fn decode(bytes: &[u8]) -> Result<FuncCode, DecodeCodeError> {
    let mut r = Reader { bytes, pos: 0 };

    let magic = r.take::<4>("the magic")?;
    if magic != MAGIC {
        return Err(DecodeCodeError::BadMagic { offset: 0 });
    }
    let offset = r.pos;
    let version = u16::from_le_bytes(r.take::<2>("the format version")?);
    if version != FORMAT_VERSION {
        return Err(DecodeCodeError::UnsupportedVersion { version, offset });
    }
    let offset = r.pos;
    let found = u32::from_le_bytes(r.take::<4>("the instruction-set fingerprint")?);
    if found != ISA_FINGERPRINT {
        return Err(DecodeCodeError::IsaMismatch { found, offset });
    }

    let shape_offset = r.pos;
    let param_cells = u16::read(&mut r, "param_cells")?;
    let local_cells = u16::read(&mut r, "local_cells")?;
    let frame_cells = u16::read(&mut r, "frame_cells")?;
    if !(param_cells <= local_cells && local_cells <= frame_cells) {
        return Err(DecodeCodeError::BadFrameShape { offset: shape_offset });
    }

    let offset = r.pos;
    let count = r.uleb(u64::MAX, "the op count")?;
    // Every op takes at least one byte.
    let n = usize::try_from(count)
        .ok()
        .filter(|&n| n <= r.remaining())
        .ok_or(DecodeCodeError::TooManyOps { count, offset })?;

    let mut ops = Vec::with_capacity(n);
    // Br entries still owed to the last BrTable, and that table's index.
    let mut table_entries = 0u64;
    let mut table_index = 0usize;
    // Params still owed to the last SIMD op with trailing immediates, and that op's index.
    let mut params_owed = 0usize;
    let mut params_of = 0usize;
    for index in 0..n {
        let offset = r.pos;
        let opcode = u16::read(&mut r, "an opcode")?;
        let opcode = *OpCode::ALL
            .get(usize::from(opcode))
            .ok_or(DecodeCodeError::UnknownOpcode { opcode, offset })?;
        let op = read_op(opcode, &mut r)?;

        check_slots(&op, |slot, extra| {
            if slot + extra <= u32::from(frame_cells) {
                Ok(())
            } else {
                Err(DecodeCodeError::SlotOutOfFrame { index, slot, offset })
            }
        })?;
        // The wide-arithmetic ops write `dst + 1` too.
        if let Op::I64Add128 { dst, .. }
        | Op::I64Sub128 { dst, .. }
        | Op::I64MulWideS { dst, .. }
        | Op::I64MulWideU { dst, .. } = op
            && u32::from(dst) + 2 > u32::from(frame_cells)
        {
            return Err(DecodeCodeError::SlotOutOfFrame {
                index,
                slot: u32::from(dst) + 1,
                offset,
            });
        }
        if let Some(last) = ops.last().map(Op::opcode)
            && last.takes_param()
            && !matches!(op, Op::Param { .. })
        {
            return Err(DecodeCodeError::MissingParam {
                index: index - 1,
                offset,
                op: last.name(),
            });
        }

        if params_owed > 0 {
            let Op::Param { value } = op else {
                return Err(DecodeCodeError::MissingSimdParam { index: params_of, offset });
            };
            if matches!(ops.get(params_of), Some(Op::I8x16Shuffle { .. })) {
                check_shuffle_lanes(value, index, offset)?;
            }
            params_owed -= 1;
        }
        check_simd_lanes(&op, index, offset)?;
        if op.opcode().is_simd() && op.opcode().trailing_params() > 0 {
            params_owed = op.opcode().trailing_params();
            params_of = index;
        }

        check_branches(&op, |rel| {
            let target = index as i64 + i64::from(rel);
            if (0..n as i64).contains(&target) {
                Ok(())
            } else {
                Err(DecodeCodeError::BranchOutOfRange { index, target, offset })
            }
        })?;

        if table_entries > 0 {
            if !matches!(op, Op::Br { .. }) {
                return Err(DecodeCodeError::BadBrTable { index: table_index, offset });
            }
            table_entries -= 1;
        }
        if let Op::BrTable { len, .. } = op {
            let entries = u64::from(len) + 1;
            if index as u64 + entries >= n as u64 {
                return Err(DecodeCodeError::BadBrTable { index, offset });
            }
            table_entries = entries;
            table_index = index;
        }

        ops.push(op);
    }

    if r.remaining() != 0 {
        return Err(DecodeCodeError::TrailingBytes { offset: r.pos });
    }
    // The interpreter never checks for the end of `ops`: the last op must not fall through.
    if !matches!(
        ops.last(),
        Some(
            Op::Br { .. }
                | Op::CopyBr { .. }
                | Op::Return {}
                | Op::ReturnOne { .. }
                | Op::Unreachable {}
                | Op::ReturnCallInternal { .. }
                | Op::ReturnCall { .. }
                | Op::ReturnCallIndirect { .. }
        )
    ) {
        return Err(DecodeCodeError::NoTerminator { offset: r.pos });
    }
    Ok(FuncCode { ops, param_cells, local_cells, frame_cells })
}
