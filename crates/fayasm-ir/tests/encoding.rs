//! The microcode byte encoding ([`fayasm_ir::encode`]) and text dump ([`fayasm_ir::text`]).
//!
//! The every-op function is generated from `for_each_op!`, so new instructions are covered
//! without touching this file.

use fayasm_ir::encode::{DecodeCodeError, FORMAT_VERSION, ISA_FINGERPRINT, MAGIC, decode, encode};
use fayasm_ir::{FuncCode, Op, OpCode, encode::encoded_len, text};
use std::collections::BTreeSet;

// ----- generated samples -----

/// A sample value for a field of declared type `$ty`; `$k` picks among interesting values.
/// Branch offsets are placeholders, fixed up by [`retarget`].
macro_rules! sample_field {
    (Slot, $k:expr) => {{
        // The largest slot that still fits a frame of u16::MAX cells, also for Copy2's second cell.
        const V: [u16; 6] = [0, 1, 127, 128, u16::MAX - 2, 300];
        V[$k % V.len()]
    }};
    (u16, $k:expr) => {{
        const V: [u16; 5] = [u16::MAX, 0, 5, 128, 16384];
        V[$k % V.len()]
    }};
    (u32, $k:expr) => {{
        const V: [u32; 7] = [0, u32::MAX, 1, 127, 128, 1 << 20, 0x8000_0000];
        V[$k % V.len()]
    }};
    (i32, $k:expr) => {{
        const V: [i32; 7] = [0, -1, i32::MIN, i32::MAX, 63, 64, -65];
        V[$k % V.len()]
    }};
    (i16, $k:expr) => {{
        const V: [i16; 6] = [0, -1, i16::MIN, i16::MAX, 63, -65];
        V[$k % V.len()]
    }};
    (BranchOffset, $k:expr) => {{
        let _ = $k;
        0
    }};
}

/// Calls `$f` on a field if its declared type is `BranchOffset`.
macro_rules! branch_field {
    (BranchOffset, $v:ident, $f:ident) => {
        $f($v)
    };
    ($other:ident, $v:ident, $f:ident) => {{
        let _ = $v;
    }};
}

macro_rules! generate {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident { $($field:ident : $fty:ident),* } $family:ident $(($($sem:tt)*))? ;
    )*) => {
        /// One instance of every op, fields drawn from the samples starting at `variant`.
        fn one_of_each(variant: usize) -> Vec<Op> {
            let mut k = variant;
            vec![$(Op::$name { $($field: { k += 1; sample_field!($fty, k) },)* },)*]
        }

        /// Calls `f` on every `BranchOffset` field of `op`.
        fn branch_offsets_mut(op: &mut Op, f: &mut dyn FnMut(&mut i32)) {
            match op {
                $(Op::$name { $($field),* } => { $(branch_field!($fty, $field, f);)* })*
            }
        }
    };
}

fayasm_ir::for_each_op!(generate);

/// Points every branch of `ops` at a valid target, cycling through the first op, the last op,
/// the op itself and a scattered one, so offsets are negative, positive and zero.
fn retarget(ops: &mut [Op]) {
    let n = ops.len();
    for (i, op) in ops.iter_mut().enumerate() {
        let mut j = 0;
        branch_offsets_mut(op, &mut |offset| {
            let target = match (i + j) % 4 {
                0 => 0,
                1 => n - 1,
                2 => i,
                _ => (i * 31 + 7) % n,
            };
            *offset = i32::try_from(target as i64 - i as i64).expect("small function");
            j += 1;
        });
    }
}

/// A function holding every op several times with varied operands; each `BrTable` is followed by
/// its `Br` entries.
fn every_op() -> FuncCode {
    let mut ops = Vec::new();
    for variant in 0..4 {
        for op in one_of_each(variant) {
            if let Op::BrTable { index, .. } = op {
                let len = [0u32, 1, 3, 200][variant];
                ops.push(Op::BrTable { index, len });
                ops.extend((0..=len).map(|_| Op::Br { offset: 0 }));
            } else {
                let op = simd_valid(op);
                ops.push(op);
                // An op that takes a `Param` is followed by one (the checked decoder's rule).
                if op.opcode().takes_param() {
                    ops.push(Op::Param { value: variant as u32 });
                }
                // SIMD ops with trailing immediates take their `Param`s (shuffle lane bytes).
                if op.opcode().is_simd() {
                    let value = 0x1f10_0a01 + variant as u32;
                    ops.extend((0..op.opcode().trailing_params()).map(|_| Op::Param { value }));
                }
            }
        }
    }
    // Extremes, in case the samples above missed one for a common shape.
    ops.extend([
        Op::Const32 { dst: u16::MAX - 1, value: u32::MAX },
        Op::Const64 { dst: 0, lo: u32::MAX, hi: 0 },
        Op::Copy { dst: u16::MAX - 1, src: 0 },
        Op::Return {},
    ]);
    retarget(&mut ops);
    FuncCode { ops, param_cells: 2, local_cells: 5, frame_cells: u16::MAX }
}

/// `op` with its SIMD lane immediates brought into range (a sample may exceed the lane count).
fn simd_valid(op: Op) -> Op {
    let count = op.opcode().simd_lane_count();
    macro_rules! fix {
        ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
            match op {
                $( Op::$name { $(mut $field),* } => {
                    $( fix!(@is $field $field); )*
                    Op::$name { $($field),* }
                } )*
            }
        };
        (@is lane $f:ident) => { if let Some(n) = count { $f %= n } };
        (@is lanes $f:ident) => { $f &= 0x1f1f_1f1f };
        (@is $other:ident $f:ident) => {};
    }
    #[allow(unused_mut, reason = "only lane fields change")]
    let fixed = fayasm_ir::for_each_op!(fix);
    fixed
}

/// Sums `n..=1` in a loop, then dispatches through a two-entry branch table.
fn hand_built() -> FuncCode {
    FuncCode {
        ops: vec![
            Op::Const32 { dst: 1, value: 0 },
            Op::BrIfEqz { cond: 0, offset: 5 },
            Op::I32Add { dst: 1, lhs: 1, rhs: 0 },
            Op::Const32 { dst: 2, value: 1 },
            Op::I32Sub { dst: 0, lhs: 0, rhs: 2 },
            Op::Br { offset: -4 },
            Op::BrTable { index: 1, len: 1 },
            Op::Br { offset: 2 },
            Op::Br { offset: 3 },
            Op::I32Load { dst: 2, addr: 0, offset: 1024 },
            Op::Copy { dst: 0, src: 1 },
            Op::Return {},
        ],
        param_cells: 1,
        local_cells: 2,
        frame_cells: 3,
    }
}

fn encoded(code: &FuncCode) -> Vec<u8> {
    let mut out = Vec::new();
    encode(code, &mut out);
    out
}

fn uleb(mut v: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A valid header for a function of `count` ops (frame 1/1/4), without the ops.
fn header(count: u64) -> Vec<u8> {
    let mut out =
        encoded(&FuncCode { ops: vec![], param_cells: 1, local_cells: 1, frame_cells: 4 });
    assert_eq!(out.pop(), Some(0), "empty function ends with a zero op count");
    uleb(count, &mut out);
    out
}

// ----- roundtrips -----

#[test]
fn every_op_is_covered() {
    let code = every_op();
    let seen: BTreeSet<OpCode> = code.ops.iter().map(Op::opcode).collect();
    assert_eq!(seen.len(), OpCode::ALL.len());
}

#[test]
fn roundtrip_every_op() {
    let code = every_op();
    let bytes = encoded(&code);
    assert_eq!(decode(&bytes), Ok(code.clone()));
    assert_eq!(encoded_len(&code), bytes.len());
    eprintln!(
        "{} ops in {} bytes ({:.2} bytes per op)",
        code.ops.len(),
        bytes.len(),
        bytes.len() as f64 / code.ops.len() as f64
    );
}

#[test]
fn roundtrip_hand_built() {
    let code = hand_built();
    let bytes = encoded(&code);
    assert_eq!(&bytes[..4], &MAGIC);
    assert_eq!(&bytes[4..6], &FORMAT_VERSION.to_le_bytes());
    assert_eq!(&bytes[6..10], &ISA_FINGERPRINT.to_le_bytes());
    assert_eq!(decode(&bytes), Ok(code.clone()));
    assert_eq!(encoded_len(&code), bytes.len());
}

#[test]
fn encode_appends() {
    let code = hand_built();
    let mut out = vec![0xAA, 0xBB];
    encode(&code, &mut out);
    assert_eq!(&out[..2], &[0xAA, 0xBB]);
    assert_eq!(decode(&out[2..]), Ok(code));
}

#[test]
fn empty_function_is_rejected() {
    // The interpreter never checks for the end of the ops, so code must end in a terminator.
    let code = FuncCode { ops: vec![], param_cells: 0, local_cells: 0, frame_cells: 0 };
    assert!(matches!(decode(&encoded(&code)), Err(DecodeCodeError::NoTerminator { .. })));
}

#[test]
fn code_that_falls_off_the_end_is_rejected() {
    let code = FuncCode {
        ops: vec![Op::I32Add { dst: 0, lhs: 0, rhs: 0 }],
        param_cells: 1,
        local_cells: 1,
        frame_cells: 1,
    };
    let err = decode(&encoded(&code)).unwrap_err();
    assert!(matches!(err, DecodeCodeError::NoTerminator { .. }), "{err}");
}

#[test]
fn slots_outside_the_frame_are_rejected() {
    let frame = |ops: Vec<Op>| FuncCode { ops, param_cells: 1, local_cells: 2, frame_cells: 4 };
    // In bounds: the last slot, Copy2 ending at the frame's end, a call frame starting at its end.
    for ok in [
        vec![Op::Copy { dst: 3, src: 0 }, Op::Return {}],
        vec![Op::Copy2 { dst: 2, src: 0 }, Op::Return {}],
        vec![Op::CallInternal { def: 0, base: 4 }, Op::Return {}],
    ] {
        let code = frame(ok);
        assert_eq!(decode(&encoded(&code)), Ok(code));
    }
    for bad in [
        vec![Op::Copy { dst: 4, src: 0 }, Op::Return {}],
        vec![Op::I32Load { dst: 0, addr: 9, offset: 0 }, Op::Return {}],
        vec![Op::Copy2 { dst: 3, src: 0 }, Op::Return {}],
        vec![Op::CallInternal { def: 0, base: 5 }, Op::Return {}],
        vec![Op::ReturnOne { src: 100 }],
    ] {
        let err = decode(&encoded(&frame(bad))).unwrap_err();
        assert!(matches!(err, DecodeCodeError::SlotOutOfFrame { .. }), "{err}");
        assert!(err.to_string().contains("outside the function's frame"), "{err}");
    }
}

#[test]
fn table_init_without_its_param_is_rejected() {
    let code = FuncCode {
        ops: vec![Op::TableInit { dst: 0, src: 0, len: 0, segment: 0 }, Op::Return {}],
        param_cells: 1,
        local_cells: 1,
        frame_cells: 1,
    };
    let err = decode(&encoded(&code)).unwrap_err();
    assert!(matches!(err, DecodeCodeError::MissingParam { index: 0, .. }), "{err}");
}

/// SIMD ops: every slot needs its second cell, lanes are in range, trailing `Param`s are there.
#[test]
fn simd_ops_are_checked() {
    let code = |ops: Vec<Op>| FuncCode { ops, param_cells: 0, local_cells: 0, frame_cells: 4 };
    let shuffle = Op::I8x16Shuffle { dst: 0, lhs: 0, rhs: 2, lanes: 0x1f00_0102 };
    let ok = code(vec![
        shuffle,
        Op::Param { value: 0x0304_0506 },
        Op::Param { value: 0x1f1e_1d1c },
        Op::Param { value: 0 },
        Op::I32x4ExtractLane { dst: 0, src: 2, lane: 3 },
        Op::V128Load8Lane { dst: 0, addr: 2, src: 0, lane: 15 },
        Op::Param { value: 4096 },
        Op::Return {},
    ]);
    assert_eq!(decode(&encoded(&ok)), Ok(ok.clone()));
    // A v128 at the last cell of the frame.
    let err = decode(&encoded(&code(vec![Op::I32x4Add { dst: 3, lhs: 0, rhs: 0 }, Op::Return {}])))
        .unwrap_err();
    assert!(matches!(err, DecodeCodeError::SlotOutOfFrame { slot: 3, .. }), "{err}");
    for bad in [
        vec![Op::I32x4ExtractLane { dst: 0, src: 2, lane: 4 }, Op::Return {}],
        vec![Op::V128Store64Lane { addr: 0, value: 2, lane: 2, offset: 0 }, Op::Return {}],
        vec![Op::I8x16Shuffle { dst: 0, lhs: 0, rhs: 2, lanes: 32 }, Op::Return {}],
        vec![
            shuffle,
            Op::Param { value: 0 },
            Op::Param { value: 0x2000_0000 },
            Op::Param { value: 0 },
            Op::Return {},
        ],
    ] {
        let err = decode(&encoded(&code(bad))).unwrap_err();
        assert!(matches!(err, DecodeCodeError::BadLane { .. }), "{err}");
        assert!(err.to_string().contains("lane"), "{err}");
    }
    for bad in [
        vec![shuffle, Op::Param { value: 0 }, Op::Return {}],
        vec![Op::V128Load8Lane { dst: 0, addr: 2, src: 0, lane: 0 }, Op::Return {}],
    ] {
        let err = decode(&encoded(&code(bad))).unwrap_err();
        assert!(matches!(err, DecodeCodeError::MissingSimdParam { index: 0, .. }), "{err}");
    }
}

#[cfg(feature = "lower")]
#[test]
fn lowered_code_always_decodes() {
    // Everything the lowering produces satisfies the decoder's checks.
    let wat = r#"(module (memory 1) (table 2 funcref) (elem (i32.const 0) 0)
        (func (param i32 i64) (result i64) (local f64)
          block local.get 0 br_table 0 0 end
          local.get 0 i32.const 2 i32.const 0 table.init 0 0
          local.get 1 local.get 0 i32.load8_u offset=3 i64.extend_i32_u i64.add))"#;
    let bytes = wat::parse_str(wat).unwrap();
    let info = fayasm_decode::parse(&bytes).unwrap();
    let code = fayasm_ir::lower::lower_function(&info, &bytes, 0).unwrap();
    assert_eq!(decode(&encoded(&code)), Ok(code));
}

#[test]
fn typical_op_is_four_bytes() {
    let empty = FuncCode { ops: vec![], param_cells: 0, local_cells: 0, frame_cells: 8 };
    let mut one = empty.clone();
    one.ops.push(Op::I32Add { dst: 4, lhs: 0, rhs: 5 });
    // Opcode (one byte while I32Add stays among the first 128 ops) plus three one-byte slots.
    // The op count is one byte either way.
    assert_eq!(encoded_len(&one) - encoded_len(&empty), 4);

    let mut wide = empty.clone();
    wide.ops.push(Op::I32Add { dst: u16::MAX, lhs: u16::MAX, rhs: u16::MAX });
    assert_eq!(encoded_len(&wide) - encoded_len(&empty), 1 + 3 * 3);
}

// ----- corrupt input -----

/// Decodes `bytes`, which must not decode to `original`; an `Ok` result must be a different
/// function whose own encoding is exactly `bytes` (the encoding is canonical).
fn decode_mutant(bytes: &[u8], original: &FuncCode) {
    if let Ok(code) = decode(bytes) {
        // Plain asserts: the Debug form of a whole function is too long to be useful.
        assert!(&code != original, "a changed encoding decoded to the original: {bytes:02x?}");
        assert!(encoded(&code) == bytes, "decode accepted a non-canonical encoding: {bytes:02x?}");
    }
}

#[test]
fn every_truncation_fails() {
    for code in [hand_built(), every_op()] {
        let bytes = encoded(&code);
        for len in 0..bytes.len() {
            let err = decode(&bytes[..len]).expect_err("a truncated encoding decoded");
            assert!(err.offset() <= len, "{err}");
        }
    }
}

#[test]
fn every_byte_flip_is_caught_or_is_another_function() {
    let code = hand_built();
    let bytes = encoded(&code);
    for pos in 0..bytes.len() {
        for mask in 1..=255u8 {
            let mut mutant = bytes.clone();
            mutant[pos] ^= mask;
            decode_mutant(&mutant, &code);
        }
    }
}

#[test]
fn flips_in_the_header_fail() {
    let bytes = encoded(&hand_built());
    for pos in 0..10 {
        let mut mutant = bytes.clone();
        mutant[pos] ^= 0x01;
        let err = decode(&mutant).expect_err("a corrupt header decoded");
        let expected = match pos {
            0..4 => 0,
            4..6 => 4,
            _ => 6,
        };
        assert_eq!(err.offset(), expected, "{err}");
    }
}

#[test]
fn random_inputs_never_panic() {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let valid = encoded(&every_op());
    let original = every_op();
    for round in 0..20_000 {
        let input = match round % 3 {
            // Garbage after a valid header.
            0 => {
                let mut input = header(next() % 64);
                input.extend((0..next() % 64).map(|_| next() as u8));
                input
            }
            // A valid encoding with a few bytes changed (two changes may cancel out, so an
            // unchanged input is skipped below).
            1 => {
                let mut input = valid.clone();
                for _ in 0..1 + next() % 4 {
                    let pos = (next() % input.len() as u64) as usize;
                    input[pos] ^= (next() % 255 + 1) as u8;
                }
                input
            }
            // Pure garbage, sometimes behind the magic.
            _ => {
                let mut input = if next() % 2 == 0 { MAGIC.to_vec() } else { vec![] };
                input.extend((0..next() % 32).map(|_| next() as u8));
                input
            }
        };
        if input != valid {
            decode_mutant(&input, &original);
        }
    }
}

#[test]
fn unknown_opcode() {
    let mut bytes = header(1);
    let at = bytes.len();
    uleb(OpCode::ALL.len() as u64, &mut bytes);
    let opcode = u16::try_from(OpCode::ALL.len()).unwrap();
    assert_eq!(decode(&bytes), Err(DecodeCodeError::UnknownOpcode { opcode, offset: at }));

    let mut bytes = header(1);
    uleb(u64::from(u16::MAX), &mut bytes);
    assert_eq!(
        decode(&bytes),
        Err(DecodeCodeError::UnknownOpcode { opcode: u16::MAX, offset: at })
    );

    let mut bytes = header(1);
    uleb(1 << 16, &mut bytes);
    assert!(
        matches!(decode(&bytes), Err(DecodeCodeError::BadInteger { offset, .. }) if offset == at)
    );
}

#[test]
fn field_wider_than_its_type() {
    let mut bytes = header(1);
    uleb(OpCode::Copy as u64, &mut bytes);
    let at = bytes.len();
    uleb(1 << 16, &mut bytes); // dst: Slot
    uleb(0, &mut bytes);
    let err = decode(&bytes).unwrap_err();
    assert!(matches!(err, DecodeCodeError::BadInteger { offset, .. } if offset == at), "{err}");
    assert!(err.to_string().contains("`dst` of Copy"), "{err}");

    let mut bytes = header(1);
    uleb(OpCode::Const32 as u64, &mut bytes);
    uleb(0, &mut bytes);
    let at = bytes.len();
    uleb(1 << 32, &mut bytes); // value: u32
    assert!(
        matches!(decode(&bytes), Err(DecodeCodeError::BadInteger { offset, .. }) if offset == at)
    );

    // An 11-byte LEB128 never fits.
    let mut bytes = header(1);
    uleb(OpCode::Const32 as u64, &mut bytes);
    uleb(0, &mut bytes);
    bytes.extend([0x80; 10]);
    bytes.push(0);
    assert!(matches!(decode(&bytes), Err(DecodeCodeError::BadInteger { .. })));
}

#[test]
fn non_minimal_integers_fail() {
    // dst = 5 as 0x85 0x00.
    let mut bytes = header(1);
    uleb(OpCode::Copy as u64, &mut bytes);
    let at = bytes.len();
    bytes.extend([0x85, 0x00, 0x01]);
    assert!(
        matches!(decode(&bytes), Err(DecodeCodeError::BadInteger { offset, .. }) if offset == at)
    );

    // Br offset 0 as 0x80 0x00, and -1 as 0xff 0x7f.
    for form in [[0x80u8, 0x00], [0xff, 0x7f]] {
        let mut bytes = header(1);
        uleb(OpCode::Br as u64, &mut bytes);
        let at = bytes.len();
        bytes.extend(form);
        assert!(
            matches!(decode(&bytes), Err(DecodeCodeError::BadInteger { offset, .. }) if offset == at)
        );
    }
}

#[test]
fn branches_outside_the_function_fail() {
    let cases: [(Vec<Op>, usize, i64); 5] = [
        (vec![Op::Br { offset: 1 }], 0, 1),
        (vec![Op::Return {}, Op::Br { offset: -2 }], 1, -1),
        (vec![Op::BrIfNez { cond: 0, offset: 2 }, Op::Return {}], 0, 2),
        (
            vec![Op::Return {}, Op::BrIfEqz { cond: 0, offset: i32::MIN }],
            1,
            1 + i64::from(i32::MIN),
        ),
        (vec![Op::BrIfEqz { cond: 0, offset: i32::MAX }], 0, i64::from(i32::MAX)),
    ];
    for (ops, index, target) in cases {
        let code = FuncCode { ops, param_cells: 1, local_cells: 1, frame_cells: 1 };
        let err = decode(&encoded(&code)).unwrap_err();
        assert!(
            matches!(err, DecodeCodeError::BranchOutOfRange { index: i, target: t, .. } if i == index && t == target),
            "{err}"
        );
    }
    // A branch to itself is inside.
    let code = FuncCode {
        ops: vec![Op::Br { offset: 0 }],
        param_cells: 0,
        local_cells: 0,
        frame_cells: 0,
    };
    assert_eq!(decode(&encoded(&code)), Ok(code));
}

#[test]
fn bad_branch_tables_fail() {
    let cases = [
        // Entries run past the end.
        vec![Op::BrTable { index: 0, len: 1 }, Op::Br { offset: 0 }],
        vec![Op::BrTable { index: 0, len: u32::MAX }, Op::Br { offset: 0 }],
        vec![Op::BrTable { index: 0, len: 0 }],
        // An entry is not a Br.
        vec![Op::BrTable { index: 0, len: 1 }, Op::Br { offset: 0 }, Op::Return {}],
        vec![
            Op::BrTable { index: 0, len: 0 },
            Op::BrTable { index: 0, len: 0 },
            Op::Br { offset: 0 },
        ],
    ];
    for ops in cases {
        let code = FuncCode { ops, param_cells: 1, local_cells: 1, frame_cells: 1 };
        let err = decode(&encoded(&code)).unwrap_err();
        assert!(matches!(err, DecodeCodeError::BadBrTable { index: 0, .. }), "{err}");
    }
    // An entry branching outside is caught as a branch.
    let code = FuncCode {
        ops: vec![Op::BrTable { index: 0, len: 0 }, Op::Br { offset: 5 }],
        param_cells: 1,
        local_cells: 1,
        frame_cells: 1,
    };
    assert!(matches!(
        decode(&encoded(&code)),
        Err(DecodeCodeError::BranchOutOfRange { index: 1, target: 6, .. })
    ));
}

#[test]
fn huge_counts_fail_without_allocating() {
    for count in [u64::MAX, 1 << 40, u64::from(u32::MAX), 3] {
        let mut bytes = header(count);
        let at = bytes.len() - {
            let mut n = Vec::new();
            uleb(count, &mut n);
            n.len()
        };
        bytes.push(0); // one byte of ops: fewer than `count` ops fit
        assert_eq!(decode(&bytes), Err(DecodeCodeError::TooManyOps { count, offset: at }));
    }
}

#[test]
fn trailing_bytes_fail() {
    let mut bytes = encoded(&hand_built());
    let at = bytes.len();
    bytes.push(0);
    assert_eq!(decode(&bytes), Err(DecodeCodeError::TrailingBytes { offset: at }));
}

#[test]
fn header_checks() {
    let bytes = encoded(&hand_built());

    let mut bad = bytes.clone();
    bad[0] = b'X';
    assert_eq!(decode(&bad), Err(DecodeCodeError::BadMagic { offset: 0 }));

    let mut bad = bytes.clone();
    bad[4..6].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    assert_eq!(
        decode(&bad),
        Err(DecodeCodeError::UnsupportedVersion { version: FORMAT_VERSION + 1, offset: 4 })
    );

    let mut bad = bytes.clone();
    bad[6..10].copy_from_slice(&(!ISA_FINGERPRINT).to_le_bytes());
    assert_eq!(
        decode(&bad),
        Err(DecodeCodeError::IsaMismatch { found: !ISA_FINGERPRINT, offset: 6 })
    );

    for (params, locals, frame) in [(2, 1, 4), (0, 5, 4), (3, 0, 0)] {
        let code =
            FuncCode { ops: vec![], param_cells: params, local_cells: locals, frame_cells: frame };
        assert_eq!(decode(&encoded(&code)), Err(DecodeCodeError::BadFrameShape { offset: 10 }));
    }
}

#[test]
fn errors_name_the_byte() {
    let mut bytes = encoded(&hand_built());
    bytes.push(7);
    let err = decode(&bytes).unwrap_err();
    let message = err.to_string();
    assert!(message.contains(&format!("byte {}", bytes.len() - 1)), "{message}");

    let err = decode(&[]).unwrap_err();
    assert_eq!(err, DecodeCodeError::Truncated { what: "the magic", offset: 0 });
    assert_eq!(err.to_string(), "input ends inside the magic starting at byte 0");
}

#[cfg(feature = "std")]
#[test]
fn error_is_std_error() {
    fn takes(_: &dyn std::error::Error) {}
    takes(&DecodeCodeError::BadMagic { offset: 0 });
}

// ----- text -----

#[test]
fn display_formats_by_field_type() {
    assert_eq!(Op::I32Add { dst: 4, lhs: 0, rhs: 5 }.to_string(), "I32Add dst=s4 lhs=s0 rhs=s5");
    assert_eq!(Op::Br { offset: -4 }.to_string(), "Br offset=-4");
    assert_eq!(Op::BrIfNez { cond: 3, offset: 2 }.to_string(), "BrIfNez cond=s3 offset=+2");
    assert_eq!(text::display_at(&Op::Br { offset: -4 }, 5).to_string(), "Br offset=@1");
    assert_eq!(
        Op::I64Load { dst: 1, addr: 2, offset: 4096 }.to_string(),
        "I64Load dst=s1 addr=s2 offset=4096"
    );
    assert_eq!(Op::Return {}.to_string(), "Return");
}

#[test]
fn dump_every_op() {
    let code = every_op();
    let dump = text::dump(&code);
    assert_eq!(dump.lines().count(), code.ops.len() + 1);
    for (line, op) in dump.lines().skip(1).zip(&code.ops) {
        let (_, rest) = line.split_once(": ").expect("index prefix");
        assert!(rest.starts_with(op.opcode().name()), "{line}");
        assert!(!rest.contains('-') || !matches!(op, Op::Br { .. }), "{line}");
    }
}

#[test]
fn dump_snapshot() {
    insta::assert_snapshot!(text::dump(&hand_built()));
}
