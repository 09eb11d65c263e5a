//! Peephole fusions applied while lowering, each from an instruction just emitted (never across
//! a label) and the instruction consuming its result:
//! - a constant feeding an integer binary operator or compare becomes an immediate operand
//!   (`i32.const 1; i32.add` -> `I32AddImm`), swapped into place for commutative operators and
//!   mirrored compares;
//! - a constant stored to memory becomes the store's immediate (`I32Store8Imm`);
//! - `x ^ (x << k)` (or `>>`) becomes one `I64XorShlImm`;
//! - a shift by a constant feeding an `i32.add` becomes one scaled add (`I32AddShl`), and with
//!   a constant added, one `I32ShlAddImm` (`base + i * 4` with a constant base);
//! - an `i32.add` of a constant computing a load address is folded into the load
//!   (`I32Load8UAddImm`);
//! - an `i32.add` computing a load or store address is folded into the access (`I32LoadIdx`,
//!   and `I32Store8ImmIdx` for a store of a 16-bit constant);
//! - an operand that the previous instruction just wrote is read from the accumulator register
//!   instead of the frame (`I32XorAccL`, `I32LoadAcc`, `I32StoreAcc`, `BrIfI32LtUAcc`; see the
//!   accumulator in `isa`). Compares keep their slot form so they can still fuse with the branch
//!   that consumes them; the fused branch then reads the accumulator if the instruction before
//!   the compare produced its operand (a right operand is mirrored into place: `a > acc` is
//!   `acc < a`).
//! - a shift-and-add of a constant base computing an access address is folded into the access
//!   (`I32LoadScaled`: `array[i]`), and an integer compare feeding `select` into the select
//!   (`SelectI32LtS`);
//! - a compare feeding `br_if` or `if` becomes one compare-and-branch instruction
//!   (`i32.lt_s; br_if` -> `BrIfI32LtS`, `i64.ne` with a constant -> `BrIfI64NeImm`,
//!   `f32.gt; br_if` -> `BrIfF32Gt`), negated when the branch is taken on false (a float
//!   compare negates into its `Not` form, `BrIfF32NotGt`, since NaN makes both false).
//! - `i32.eqz` of an integer compare (or of a float `eq`/`ne`) becomes the negated compare
//!   (`i32.eq; i32.eqz` -> `I32Ne`), which a branch then fuses with; `thread` uses the negated
//!   branches to close loops tested at their top.
//!
//! Each fused form computes exactly what the unfused pair computes; tests in
//! `fayasm-exec/tests/all/fusion.rs` check every one against the plain semantics.

use crate::isa::{BranchOffset, Op, Slot};

/// The value of a constant instruction writing `cell`, as the 64-bit two's complement value of
/// a value of the given width (`is_i64`).
pub(super) fn const_value(op: &Op, cell: u32, is_i64: bool) -> Option<i64> {
    match *op {
        Op::Const32 { dst, value } if u32::from(dst) == cell => {
            Some(if is_i64 { i64::from(value) } else { i64::from(value as i32) })
        }
        Op::Const64 { dst, lo, hi } if u32::from(dst) == cell && is_i64 => {
            Some((u64::from(hi) << 32 | u64::from(lo)) as i64)
        }
        _ => None,
    }
}

/// `op` (a binary operator `dst = lhs op rhs` whose right operand is the constant `k`) with the
/// constant as an immediate, if there is such a form and `k` fits it.
pub(super) fn with_rhs_imm(op: Op, k: i64) -> Option<Op> {
    let k32 = i32::try_from(k).ok();
    macro_rules! map {
        ($($bin:ident => $imm:ident),* ; $($bin64:ident => $imm64:ident),*) => {
            match op {
                $(Op::$bin { dst, lhs, .. } => Op::$imm { dst, lhs, imm: k as i32 },)*
                $(Op::$bin64 { dst, lhs, .. } => Op::$imm64 { dst, lhs, imm: k32? },)*
                Op::I32Sub { dst, lhs, .. } => Op::I32AddImm { dst, lhs, imm: (k as i32).wrapping_neg() },
                Op::I64Sub { dst, lhs, .. } => Op::I64AddImm { dst, lhs, imm: i32::try_from(k.checked_neg()?).ok()? },
                _ => return None,
            }
        };
    }
    Some(map! {
        I32Add => I32AddImm, I32Mul => I32MulImm, I32And => I32AndImm, I32Or => I32OrImm,
        I32Xor => I32XorImm, I32Shl => I32ShlImm, I32ShrS => I32ShrSImm, I32ShrU => I32ShrUImm,
        I32Eq => I32EqImm, I32Ne => I32NeImm, I32LtS => I32LtSImm, I32LtU => I32LtUImm,
        I32GtS => I32GtSImm, I32GtU => I32GtUImm, I32LeS => I32LeSImm, I32LeU => I32LeUImm,
        I32GeS => I32GeSImm, I32GeU => I32GeUImm, I32Rotl => I32RotlImm, I32Rotr => I32RotrImm,
        I32DivS => I32DivSImm, I32DivU => I32DivUImm, I32RemS => I32RemSImm, I32RemU => I32RemUImm;
        I64Add => I64AddImm, I64Mul => I64MulImm, I64And => I64AndImm, I64Or => I64OrImm,
        I64Xor => I64XorImm, I64Shl => I64ShlImm, I64ShrS => I64ShrSImm, I64ShrU => I64ShrUImm,
        I64Eq => I64EqImm, I64Ne => I64NeImm, I64LtS => I64LtSImm, I64LtU => I64LtUImm,
        I64GtS => I64GtSImm, I64GtU => I64GtUImm, I64LeS => I64LeSImm, I64LeU => I64LeUImm,
        I64GeS => I64GeSImm, I64GeU => I64GeUImm, I64Rotl => I64RotlImm, I64Rotr => I64RotrImm,
        I64DivS => I64DivSImm, I64DivU => I64DivUImm, I64RemS => I64RemSImm, I64RemU => I64RemUImm
    })
}

/// `op` (a binary operator whose *left* operand is the constant `k`) rewritten with the
/// constant as an immediate: commutative operators swap, compares mirror, and the
/// non-commutative ones (`sub`, shifts, rotates) take it as a left immediate (`I32SubImmL`).
pub(super) fn with_lhs_imm(op: Op, k: i64) -> Option<Op> {
    let k32 = i32::try_from(k).ok();
    macro_rules! swap {
        ($($bin:ident => $mirror:ident),* ; $($nc:ident => $imm_l:ident),*) => {
            match op {
                $(Op::$bin { dst, rhs, .. } => with_rhs_imm(Op::$mirror { dst, lhs: rhs, rhs: 0 }, k),)*
                $(Op::$nc { dst, rhs, .. } => Some(Op::$imm_l { dst, rhs, imm: k32? }),)*
                _ => None,
            }
        };
    }
    swap! {
        I32Add => I32Add, I32Mul => I32Mul, I32And => I32And, I32Or => I32Or, I32Xor => I32Xor,
        I32Eq => I32Eq, I32Ne => I32Ne, I32LtS => I32GtS, I32LtU => I32GtU, I32GtS => I32LtS,
        I32GtU => I32LtU, I32LeS => I32GeS, I32LeU => I32GeU, I32GeS => I32LeS, I32GeU => I32LeU,
        I64Add => I64Add, I64Mul => I64Mul, I64And => I64And, I64Or => I64Or, I64Xor => I64Xor,
        I64Eq => I64Eq, I64Ne => I64Ne, I64LtS => I64GtS, I64LtU => I64GtU, I64GtS => I64LtS,
        I64GtU => I64LtU, I64LeS => I64GeS, I64LeU => I64GeU, I64GeS => I64LeS, I64GeU => I64LeU;
        I32Sub => I32SubImmL, I32Shl => I32ShlImmL, I32ShrS => I32ShrSImmL, I32ShrU => I32ShrUImmL,
        I32Rotl => I32RotlImmL, I32Rotr => I32RotrImmL, I64Sub => I64SubImmL, I64Shl => I64ShlImmL,
        I64ShrS => I64ShrSImmL, I64ShrU => I64ShrUImmL, I64Rotl => I64RotlImmL,
        I64Rotr => I64RotrImmL
    }
}

/// The slot an integer compare writes its 0/1 result to, if `op` is one that can fuse with a
/// branch.
/// (A compare whose immediate is too wide for `branch_on` may still fuse through
/// `branch_on_imm_acc`; where neither applies, the branch puts the compare back.)
pub(super) fn compare_dst(op: &Op) -> Option<Slot> {
    match *op {
        Op::I32Eqz { dst, .. } | Op::I64Eqz { dst, .. } => Some(dst),
        _ => Some(dst_of_compare(op)).filter(|&dst| dst != Slot::MAX),
    }
}

fn dst_of_compare(op: &Op) -> Slot {
    macro_rules! dst {
        ($($name:ident),*) => {
            match *op {
                $(Op::$name { dst, .. } => dst,)*
                _ => Slot::MAX,
            }
        };
    }
    dst!(
        I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU, I64Eq, I64Ne,
        I64LtS, I64LtU, I64GtS, I64GtU, I64LeS, I64LeU, I64GeS, I64GeU, I32EqImm, I32NeImm,
        I32LtSImm, I32LtUImm, I32GtSImm, I32GtUImm, I32LeSImm, I32LeUImm, I32GeSImm, I32GeUImm,
        I64EqImm, I64NeImm, I64LtSImm, I64LtUImm, I64GtSImm, I64GtUImm, I64LeSImm, I64LeUImm,
        I64GeSImm, I64GeUImm, F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge, F64Eq, F64Ne, F64Lt, F64Gt,
        F64Le, F64Ge, F32EqImm, F32NeImm, F32LtImm, F32GtImm, F32LeImm, F32GeImm, F64EqImm,
        F64NeImm, F64LtImm, F64GtImm, F64LeImm, F64GeImm
    )
}

/// A branch by `offset` taken when the compare `op` yields `when` (its result is not written).
pub(super) fn branch_on(op: Op, when: bool, offset: BranchOffset) -> Option<Op> {
    macro_rules! pairs {
        ($($cmp:ident => $br:ident / $brneg:ident),* ;
         $($cmpi:ident => $bri:ident / $brnegi:ident),*) => {
            match op {
                $(
                    Op::$cmp { lhs, rhs, .. } => if when { Op::$br { lhs, rhs, offset } } else { Op::$brneg { lhs, rhs, offset } },
                )*
                $(
                    Op::$cmpi { lhs, imm, .. } => {
                        let imm = i16::try_from(imm).ok()?;
                        if when { Op::$bri { lhs, imm, offset } } else { Op::$brnegi { lhs, imm, offset } }
                    }
                )*
                Op::I32Eqz { src, .. } => {
                    if when { Op::BrIfEqz { cond: src, offset } } else { Op::BrIfNez { cond: src, offset } }
                }
                // `i64.eqz` is a compare with zero.
                Op::I64Eqz { src: lhs, .. } => {
                    if when { Op::BrIfI64EqImm { lhs, imm: 0, offset } } else { Op::BrIfI64NeImm { lhs, imm: 0, offset } }
                }
                _ => return float_branch_on(op, when, offset),
            }
        };
    }
    Some(pairs! {
        I32Eq => BrIfI32Eq/BrIfI32Ne, I32Ne => BrIfI32Ne/BrIfI32Eq,
        I32LtS => BrIfI32LtS/BrIfI32GeS, I32LtU => BrIfI32LtU/BrIfI32GeU,
        I32GtS => BrIfI32GtS/BrIfI32LeS, I32GtU => BrIfI32GtU/BrIfI32LeU,
        I32LeS => BrIfI32LeS/BrIfI32GtS, I32LeU => BrIfI32LeU/BrIfI32GtU,
        I32GeS => BrIfI32GeS/BrIfI32LtS, I32GeU => BrIfI32GeU/BrIfI32LtU,
        I64Eq => BrIfI64Eq/BrIfI64Ne, I64Ne => BrIfI64Ne/BrIfI64Eq,
        I64LtS => BrIfI64LtS/BrIfI64GeS, I64LtU => BrIfI64LtU/BrIfI64GeU,
        I64GtS => BrIfI64GtS/BrIfI64LeS, I64GtU => BrIfI64GtU/BrIfI64LeU,
        I64LeS => BrIfI64LeS/BrIfI64GtS, I64LeU => BrIfI64LeU/BrIfI64GtU,
        I64GeS => BrIfI64GeS/BrIfI64LtS, I64GeU => BrIfI64GeU/BrIfI64LtU;
        I32EqImm => BrIfI32EqImm/BrIfI32NeImm, I32NeImm => BrIfI32NeImm/BrIfI32EqImm,
        I32LtSImm => BrIfI32LtSImm/BrIfI32GeSImm, I32LtUImm => BrIfI32LtUImm/BrIfI32GeUImm,
        I32GtSImm => BrIfI32GtSImm/BrIfI32LeSImm, I32GtUImm => BrIfI32GtUImm/BrIfI32LeUImm,
        I32LeSImm => BrIfI32LeSImm/BrIfI32GtSImm, I32LeUImm => BrIfI32LeUImm/BrIfI32GtUImm,
        I32GeSImm => BrIfI32GeSImm/BrIfI32LtSImm, I32GeUImm => BrIfI32GeUImm/BrIfI32LtUImm,
        I64EqImm => BrIfI64EqImm/BrIfI64NeImm, I64NeImm => BrIfI64NeImm/BrIfI64EqImm,
        I64LtSImm => BrIfI64LtSImm/BrIfI64GeSImm, I64LtUImm => BrIfI64LtUImm/BrIfI64GeUImm,
        I64GtSImm => BrIfI64GtSImm/BrIfI64LeSImm, I64GtUImm => BrIfI64GtUImm/BrIfI64LeUImm,
        I64LeSImm => BrIfI64LeSImm/BrIfI64GtSImm, I64LeUImm => BrIfI64LeUImm/BrIfI64GtUImm,
        I64GeSImm => BrIfI64GeSImm/BrIfI64LtSImm, I64GeUImm => BrIfI64GeUImm/BrIfI64LtUImm
    })
}

/// A branch by `offset` taken when the float compare `op` yields `when`. Only `eq` and `ne`
/// negate into each other; the other compares are false on NaN either way, so their negation
/// is a `BrIfF64Not*` form.
fn float_branch_on(op: Op, when: bool, offset: BranchOffset) -> Option<Op> {
    macro_rules! pairs {
        ($($cmp:ident => $br:ident / $brneg:ident),*) => {
            match op {
                $(
                    Op::$cmp { lhs, rhs, .. } => if when { Op::$br { lhs, rhs, offset } } else { Op::$brneg { lhs, rhs, offset } },
                )*
                _ => return float_imm_branch_on(op, when, offset),
            }
        };
    }
    Some(pairs! {
        F32Eq => BrIfF32Eq/BrIfF32Ne, F32Ne => BrIfF32Ne/BrIfF32Eq,
        F32Lt => BrIfF32Lt/BrIfF32NotLt, F32Gt => BrIfF32Gt/BrIfF32NotGt,
        F32Le => BrIfF32Le/BrIfF32NotLe, F32Ge => BrIfF32Ge/BrIfF32NotGe,
        F64Eq => BrIfF64Eq/BrIfF64Ne, F64Ne => BrIfF64Ne/BrIfF64Eq,
        F64Lt => BrIfF64Lt/BrIfF64NotLt, F64Gt => BrIfF64Gt/BrIfF64NotGt,
        F64Le => BrIfF64Le/BrIfF64NotLe, F64Ge => BrIfF64Ge/BrIfF64NotGe
    })
}

/// [`float_branch_on`] for a compare with a constant right operand.
fn float_imm_branch_on(op: Op, when: bool, offset: BranchOffset) -> Option<Op> {
    macro_rules! pairs {
        ($($cmp:ident => $br:ident / $brneg:ident),*) => {
            match op {
                $(
                    Op::$cmp { lhs, imm, .. } => if when { Op::$br { lhs, imm, offset } } else { Op::$brneg { lhs, imm, offset } },
                )*
                _ => return None,
            }
        };
    }
    Some(pairs! {
        F32EqImm => BrIfF32EqImm/BrIfF32NeImm, F32NeImm => BrIfF32NeImm/BrIfF32EqImm,
        F32LtImm => BrIfF32LtImm/BrIfF32NotLtImm, F32GtImm => BrIfF32GtImm/BrIfF32NotGtImm,
        F32LeImm => BrIfF32LeImm/BrIfF32NotLeImm, F32GeImm => BrIfF32GeImm/BrIfF32NotGeImm,
        F64EqImm => BrIfF64EqImm/BrIfF64NeImm, F64NeImm => BrIfF64NeImm/BrIfF64EqImm,
        F64LtImm => BrIfF64LtImm/BrIfF64NotLtImm, F64GtImm => BrIfF64GtImm/BrIfF64NotGtImm,
        F64LeImm => BrIfF64LeImm/BrIfF64NotLeImm, F64GeImm => BrIfF64GeImm/BrIfF64NotGeImm
    })
}

/// `op` (a float operator whose right operand is the constant `bits`, as f32 bits) with the
/// constant as an immediate. Only the right operand: `c - x` has no such form, and swapping
/// the operands of `add`/`mul` could change which NaN payload propagates.
pub(super) fn with_rhs_fimm(op: Op, imm: u32) -> Option<Op> {
    macro_rules! map {
        ($($bin:ident => $fimm:ident),*) => {
            match op {
                $(Op::$bin { dst, lhs, .. } => Op::$fimm { dst, lhs, imm },)*
                _ => return None,
            }
        };
    }
    Some(map! {
        F32Add => F32AddImm, F32Sub => F32SubImm, F32Mul => F32MulImm, F32Div => F32DivImm,
        F32Eq => F32EqImm, F32Ne => F32NeImm, F32Lt => F32LtImm, F32Gt => F32GtImm,
        F32Le => F32LeImm, F32Ge => F32GeImm,
        F64Add => F64AddImm, F64Sub => F64SubImm, F64Mul => F64MulImm, F64Div => F64DivImm,
        F64Eq => F64EqImm, F64Ne => F64NeImm, F64Lt => F64LtImm, F64Gt => F64GtImm,
        F64Le => F64LeImm, F64Ge => F64GeImm
    })
}

/// A float compare whose *left* operand is the constant `imm`, mirrored so the constant is on
/// the right (`c < x` is `x > c`, NaN included).
pub(super) fn with_lhs_fimm(op: Op, imm: u32) -> Option<Op> {
    macro_rules! mirror {
        ($($cmp:ident => $m:ident),*) => {
            match op {
                $(Op::$cmp { dst, rhs, .. } => Op::$m { dst, lhs: rhs, imm },)*
                _ => return None,
            }
        };
    }
    Some(mirror! {
        F32Eq => F32EqImm, F32Ne => F32NeImm, F32Lt => F32GtImm, F32Gt => F32LtImm,
        F32Le => F32GeImm, F32Ge => F32LeImm,
        F64Eq => F64EqImm, F64Ne => F64NeImm, F64Lt => F64GtImm, F64Gt => F64LtImm,
        F64Le => F64GeImm, F64Ge => F64LeImm
    })
}

/// The f32 immediate for the float constant that instruction `op` writes to `cell`: its bits
/// for f32, and for f64 the bits of the f32 that converts back to exactly the same f64 bits
/// (so `0.5` and `4.0` qualify, `0.1` and most NaN payloads do not).
pub(super) fn float_const_imm(op: &Op, cell: u32, is_f64: bool) -> Option<u32> {
    let bits = match *op {
        Op::Const32 { dst, value } if u32::from(dst) == cell => u64::from(value),
        Op::Const64 { dst, lo, hi } if u32::from(dst) == cell && is_f64 => {
            u64::from(hi) << 32 | u64::from(lo)
        }
        _ => return None,
    };
    if !is_f64 {
        return Some(bits as u32);
    }
    let narrow = f64::from_bits(bits) as f32;
    (f64::from(narrow).to_bits() == bits).then_some(narrow.to_bits())
}

/// `op` (a store whose value is the constant `k`) with the constant as an immediate, if `k`
/// fits the immediate (sign-extended for 64-bit stores; narrow stores keep only the low bits).
pub(super) fn store_imm(op: Op, k: i64) -> Option<Op> {
    let wide = i32::try_from(k).ok();
    let narrow = k as i32;
    Some(match op {
        Op::I32Store { addr, offset, .. } => Op::I32StoreImm { addr, imm: narrow, offset },
        Op::I32Store8 { addr, offset, .. } => Op::I32Store8Imm { addr, imm: narrow, offset },
        Op::I32Store16 { addr, offset, .. } => Op::I32Store16Imm { addr, imm: narrow, offset },
        Op::I64Store { addr, offset, .. } => Op::I64StoreImm { addr, imm: wide?, offset },
        Op::I64Store8 { addr, offset, .. } => Op::I64Store8Imm { addr, imm: narrow, offset },
        Op::I64Store16 { addr, offset, .. } => Op::I64Store16Imm { addr, imm: narrow, offset },
        Op::I64Store32 { addr, offset, .. } => Op::I64Store32Imm { addr, imm: narrow, offset },
        _ => return None,
    })
}

/// `add` (an `I32Add`) with the operand at `shifted_cell` computed by `shl` (an `I32ShlImm`
/// that was the last instruction) folded in, as `dst = other + (x << k)`. A shift of the
/// accumulator (`I32ShlImmAcc`) gives `I32AddShlAccR`, which reads the same accumulator: the
/// instruction before the shift becomes the one before the add.
pub(super) fn add_shl(add: Op, shl: &Op, shifted_cell: u32) -> Option<Op> {
    let Op::I32Add { dst, lhs, rhs } = add else { return None };
    let (shl_dst, x, imm) = match *shl {
        Op::I32ShlImm { dst, lhs, imm } => (dst, Some(lhs), imm),
        Op::I32ShlImmAcc { dst, imm } => (dst, None, imm),
        _ => return None,
    };
    if u32::from(shl_dst) != shifted_cell {
        return None;
    }
    let shift = (imm & 31) as u16;
    let other = if u32::from(rhs) == shifted_cell {
        lhs
    } else if u32::from(lhs) == shifted_cell {
        rhs
    } else {
        return None;
    };
    // `other` is read from its slot, so it must not be the shift's result itself.
    if u32::from(other) == shifted_cell {
        return None;
    }
    Some(match x {
        Some(x) => Op::I32AddShl { dst, lhs: other, rhs: x, shift },
        None => Op::I32AddShlAccR { dst, lhs: other, shift },
    })
}

/// `shr` (a logical right shift by a constant writing `shifted_cell`) and `and` (the and of a
/// constant that reads it, already in its accumulator form) as one `I32ShrUAndImm`. The shift
/// stays in the same position, so an accumulator the shift read is still the one the fused
/// form reads.
pub(super) fn shr_and_imm(shr: &Op, and: &Op, shifted_cell: u32) -> Option<Op> {
    let &Op::I32AndImmAcc { dst, imm: mask } = and else {
        return None;
    };
    match *shr {
        Op::I32ShrUImm { dst: t, lhs, imm: k } if u32::from(t) == shifted_cell => {
            Some(Op::I32ShrUAndImm { dst, lhs, shift: (k & 31) as u16, mask })
        }
        Op::I32ShrUImmAcc { dst: t, imm: k } if u32::from(t) == shifted_cell => {
            Some(Op::I32ShrUAndImmAcc { dst, shift: (k & 31) as u16, mask })
        }
        _ => None,
    }
}

/// `shl` (a shift by a constant writing `shifted_cell`) and `add` (the add of a constant that
/// reads it, already in its accumulator form) as one `I32ShlAddImm`. The shift stays in the
/// same position, so an accumulator the shift read is still the one the fused form reads.
pub(super) fn shl_add_imm(shl: &Op, add: &Op, shifted_cell: u32) -> Option<Op> {
    let &Op::I32AddImmAcc { dst, imm } = add else {
        return None;
    };
    match *shl {
        Op::I32ShlImm { dst: t, lhs, imm: k } if u32::from(t) == shifted_cell => {
            Some(Op::I32ShlAddImm { dst, lhs, shift: (k & 31) as u16, imm })
        }
        Op::I32ShlImmAcc { dst: t, imm: k } if u32::from(t) == shifted_cell => {
            Some(Op::I32ShlAddImmAcc { dst, shift: (k & 31) as u16, imm })
        }
        _ => None,
    }
}

/// `store` (a store of a constant at the address the previous instruction computed, so in its
/// accumulator form) with `add` (the `I32Add` writing `addr_cell` just before it) folded in as
/// a base + index address, if the constant fits 16 bits.
pub(super) fn store_imm_indexed(add: &Op, store: &Op, addr_cell: u32) -> Option<Op> {
    let &Op::I32Add { dst, lhs: base, rhs: index } = add else {
        return None;
    };
    if u32::from(dst) != addr_cell {
        return None;
    }
    macro_rules! idx {
        ($($acc:ident => $idx:ident),*) => {
            match *store {
                $(Op::$acc { imm, offset } => Op::$idx { base, index, imm: i16::try_from(imm).ok()?, offset },)*
                _ => return None,
            }
        };
    }
    Some(idx! {
        I32StoreImmAcc => I32StoreImmIdx, I64StoreImmAcc => I64StoreImmIdx,
        I32Store8ImmAcc => I32Store8ImmIdx, I32Store16ImmAcc => I32Store16ImmIdx,
        I64Store8ImmAcc => I64Store8ImmIdx, I64Store16ImmAcc => I64Store16ImmIdx,
        I64Store32ImmAcc => I64Store32ImmIdx
    })
}

/// `xor` (an xor reading the result of `shift` from the accumulator and `y` from a slot) and
/// `shift` (a shift of `y` by a constant) as one `x ^ (x shift k)`. `before` is the slot the
/// accumulator held when the shift ran (the slot the instruction before it wrote), for shifts
/// that read the accumulator. The shift must not overwrite `y` itself.
pub(super) fn xor_shift(shift: &Op, xor: &Op, before: Option<Slot>) -> Option<Op> {
    let (dst, y) = match *xor {
        Op::I32XorAccL { dst, rhs } | Op::I64XorAccL { dst, rhs } => (dst, rhs),
        Op::I32XorAccR { dst, lhs } | Op::I64XorAccR { dst, lhs } => (dst, lhs),
        _ => return None,
    };
    let is_i64 = matches!(xor, Op::I64XorAccL { .. } | Op::I64XorAccR { .. });
    macro_rules! pairs {
        ($($sh:ident / $sh_acc:ident => $x:ident / $x_acc:ident),*) => {
            match *shift {
                $(
                    Op::$sh { dst: t, lhs, imm } if t != y && lhs == y => Op::$x { dst, src: y, imm },
                    Op::$sh_acc { dst: t, imm } if t != y && before == Some(y) => Op::$x_acc { dst, imm },
                )*
                _ => return None,
            }
        };
    }
    let fused = pairs! {
        I32ShlImm / I32ShlImmAcc => I32XorShlImm / I32XorShlImmAcc,
        I32ShrSImm / I32ShrSImmAcc => I32XorShrSImm / I32XorShrSImmAcc,
        I32ShrUImm / I32ShrUImmAcc => I32XorShrUImm / I32XorShrUImmAcc,
        I64ShlImm / I64ShlImmAcc => I64XorShlImm / I64XorShlImmAcc,
        I64ShrSImm / I64ShrSImmAcc => I64XorShrSImm / I64XorShrSImmAcc,
        I64ShrUImm / I64ShrUImmAcc => I64XorShrUImm / I64XorShrUImmAcc
    };
    let fused_is_i64 = matches!(
        fused,
        Op::I64XorShlImm { .. }
            | Op::I64XorShrSImm { .. }
            | Op::I64XorShrUImm { .. }
            | Op::I64XorShlImmAcc { .. }
            | Op::I64XorShrSImmAcc { .. }
            | Op::I64XorShrUImmAcc { .. }
    );
    (is_i64 == fused_is_i64).then_some(fused)
}

/// `load` (a load without memarg offset, or in its accumulator form any load) with its address
/// computed by `add` (an `I32AddImm`/`I32AddImmAcc` writing `addr_cell`, just before it)
/// folded in: the constant is added with wrapping, exactly as the `i32.add` did.
pub(super) fn load_add_imm(load: Op, add: &Op, addr_cell: u32) -> Option<Op> {
    macro_rules! map {
        ($($load:ident => $imm:ident / $imm_acc:ident),*) => {
            match (*add, load) {
                $(
                    (Op::I32AddImm { dst, lhs, imm }, Op::$load { dst: d, offset: 0, .. }) if u32::from(dst) == addr_cell => {
                        Op::$imm { dst: d, addr: lhs, imm }
                    }
                    (Op::I32AddImmAcc { dst, imm }, Op::$load { dst: d, offset, .. }) if u32::from(dst) == addr_cell => {
                        Op::$imm_acc { dst: d, imm, offset }
                    }
                )*
                _ => return None,
            }
        };
    }
    Some(map! {
        I32Load => I32LoadAddImm / I32LoadAddImmAcc, I64Load => I64LoadAddImm / I64LoadAddImmAcc,
        F32Load => F32LoadAddImm / F32LoadAddImmAcc, F64Load => F64LoadAddImm / F64LoadAddImmAcc,
        I32Load8S => I32Load8SAddImm / I32Load8SAddImmAcc, I32Load8U => I32Load8UAddImm / I32Load8UAddImmAcc,
        I32Load16S => I32Load16SAddImm / I32Load16SAddImmAcc, I32Load16U => I32Load16UAddImm / I32Load16UAddImmAcc
    })
}

/// `access` (a load or store without memarg offset) with its address computed by `shl_add`
/// (the `I32ShlAddImm` just emitted, writing `addr_cell`: `(i << k) + base`) folded in, so an
/// array element at a constant base is one instruction. A shift whose operand was the
/// accumulator gives the accumulator form, which reads the same value: the instruction before
/// the shift becomes the one before the access.
pub(super) fn scaled_access(access: Op, shl_add: &Op, addr_cell: u32) -> Option<Op> {
    macro_rules! map {
        ($($load:ident => $scaled:ident / $scaled_acc:ident),* ; $($store:ident => $sstore:ident),*) => {
            match (*shl_add, access) {
                $(
                    (Op::I32ShlAddImm { dst, lhs, shift, imm }, Op::$load { dst: d, offset: 0, .. }) if u32::from(dst) == addr_cell => {
                        Op::$scaled { dst: d, index: lhs, shift, imm }
                    }
                    (Op::I32ShlAddImmAcc { dst, shift, imm }, Op::$load { dst: d, offset: 0, .. }) if u32::from(dst) == addr_cell => {
                        Op::$scaled_acc { dst: d, shift, imm }
                    }
                )*
                $(
                    (Op::I32ShlAddImm { dst, lhs, shift, imm }, Op::$store { value, offset: 0, .. }) if u32::from(dst) == addr_cell => {
                        Op::$sstore { index: lhs, value, shift, imm }
                    }
                )*
                _ => return None,
            }
        };
    }
    Some(map! {
        I32Load => I32LoadScaled / I32LoadScaledAcc, I64Load => I64LoadScaled / I64LoadScaledAcc,
        F32Load => F32LoadScaled / F32LoadScaledAcc, F64Load => F64LoadScaled / F64LoadScaledAcc,
        I32Load8S => I32Load8SScaled / I32Load8SScaledAcc, I32Load8U => I32Load8UScaled / I32Load8UScaledAcc,
        I32Load16S => I32Load16SScaled / I32Load16SScaledAcc, I32Load16U => I32Load16UScaled / I32Load16UScaledAcc;
        I32Store => I32StoreScaled, I64Store => I64StoreScaled, F32Store => F32StoreScaled,
        F64Store => F64StoreScaled, I32Store8 => I32Store8Scaled, I32Store16 => I32Store16Scaled
    })
}

/// The constant address `value + offset` of an access whose address is the `i32.const` that
/// `konst` wrote into `addr_cell`, if it is below 2^32 (a larger one always traps, and stays a
/// plain access that says so at run time).
fn constant_address(konst: &Op, addr_cell: u32, offset: u32) -> Option<u32> {
    let &Op::Const32 { dst, value } = konst else { return None };
    if u32::from(dst) != addr_cell {
        return None;
    }
    u32::try_from(u64::from(value) + u64::from(offset)).ok()
}

/// `access` (a memory-0 load or store whose address is `addr_cell`) at the constant address
/// the `i32.const` just before it (`konst`) put there, as one access at an absolute address:
/// C globals, static tables and the stack pointer's home.
pub(super) fn abs_access(access: Op, konst: &Op, addr_cell: u32) -> Option<Op> {
    macro_rules! map {
        ($($load:ident => $abs_load:ident),* ; $($store:ident => $abs_store:ident),*) => {
            match access {
                $(Op::$load { dst, offset, .. } => {
                    Op::$abs_load { dst, addr: constant_address(konst, addr_cell, offset)? }
                })*
                $(Op::$store { value, offset, .. } => {
                    Op::$abs_store { value, addr: constant_address(konst, addr_cell, offset)? }
                })*
                _ => return None,
            }
        };
    }
    Some(map! {
        I32Load => I32LoadAbs, I64Load => I64LoadAbs, F32Load => F32LoadAbs, F64Load => F64LoadAbs,
        I32Load8S => I32Load8SAbs, I32Load8U => I32Load8UAbs, I32Load16S => I32Load16SAbs,
        I32Load16U => I32Load16UAbs, I64Load8S => I64Load8SAbs, I64Load8U => I64Load8UAbs,
        I64Load16S => I64Load16SAbs, I64Load16U => I64Load16UAbs, I64Load32S => I64Load32SAbs,
        I64Load32U => I64Load32UAbs;
        I32Store => I32StoreAbs, I64Store => I64StoreAbs, F32Store => F32StoreAbs,
        F64Store => F64StoreAbs, I32Store8 => I32Store8Abs, I32Store16 => I32Store16Abs,
        I64Store8 => I64Store8Abs, I64Store16 => I64Store16Abs, I64Store32 => I64Store32Abs
    })
}

/// `store` (a store of a constant, its address `addr_cell` in a slot or, just after `konst`,
/// in the accumulator) at the constant address the `i32.const` `konst` put there, as one
/// store of a constant at an absolute address.
pub(super) fn store_imm_abs(konst: &Op, store: &Op, addr_cell: u32) -> Option<Op> {
    macro_rules! map {
        ($($imm:ident / $imm_acc:ident => $abs:ident),*) => {
            match *store {
                $(
                    Op::$imm { addr, imm, offset } if u32::from(addr) == addr_cell => {
                        Op::$abs { imm, addr: constant_address(konst, addr_cell, offset)? }
                    }
                    Op::$imm_acc { imm, offset } => {
                        Op::$abs { imm, addr: constant_address(konst, addr_cell, offset)? }
                    }
                )*
                _ => return None,
            }
        };
    }
    Some(map! {
        I32StoreImm / I32StoreImmAcc => I32StoreImmAbs, I64StoreImm / I64StoreImmAcc => I64StoreImmAbs,
        I32Store8Imm / I32Store8ImmAcc => I32Store8ImmAbs, I32Store16Imm / I32Store16ImmAcc => I32Store16ImmAbs,
        I64Store8Imm / I64Store8ImmAcc => I64Store8ImmAbs, I64Store16Imm / I64Store16ImmAcc => I64Store16ImmAbs,
        I64Store32Imm / I64Store32ImmAcc => I64Store32ImmAbs
    })
}

/// A `select` of `if_true`/`if_false` into `dst` on the integer compare `cmp` (slot operands;
/// its result is not written) as one instruction.
pub(super) fn select_on(cmp: Op, dst: Slot, if_true: Slot, if_false: Slot) -> Option<Op> {
    macro_rules! map {
        ($($cmp:ident => $sel:ident),*) => {
            match cmp {
                $(Op::$cmp { lhs, rhs, .. } => Op::$sel { dst, lhs, rhs, if_true, if_false },)*
                _ => return None,
            }
        };
    }
    Some(map! {
        I32Eq => SelectI32Eq, I32Ne => SelectI32Ne, I32LtS => SelectI32LtS, I32LtU => SelectI32LtU,
        I32GtS => SelectI32GtS, I32GtU => SelectI32GtU, I32LeS => SelectI32LeS, I32LeU => SelectI32LeU,
        I32GeS => SelectI32GeS, I32GeU => SelectI32GeU, I64Eq => SelectI64Eq, I64Ne => SelectI64Ne,
        I64LtS => SelectI64LtS, I64LtU => SelectI64LtU, I64GtS => SelectI64GtS, I64GtU => SelectI64GtU,
        I64LeS => SelectI64LeS, I64LeU => SelectI64LeU, I64GeS => SelectI64GeS, I64GeU => SelectI64GeU
    })
}

/// `access` (a load or store) with its address computed by `add` (the `I32Add` just emitted,
/// writing `addr_cell`) folded in as a base + index address.
pub(super) fn indexed_access(access: Op, add: &Op, addr_cell: u32) -> Option<Op> {
    let &Op::I32Add { dst, lhs: base, rhs: index } = add else {
        return None;
    };
    if u32::from(dst) != addr_cell {
        return None;
    }
    Some(match access {
        Op::I32Load { dst, offset, .. } => Op::I32LoadIdx { dst, base, index, offset },
        Op::I64Load { dst, offset, .. } => Op::I64LoadIdx { dst, base, index, offset },
        Op::F32Load { dst, offset, .. } => Op::F32LoadIdx { dst, base, index, offset },
        Op::F64Load { dst, offset, .. } => Op::F64LoadIdx { dst, base, index, offset },
        Op::I32Load8S { dst, offset, .. } => Op::I32Load8SIdx { dst, base, index, offset },
        Op::I32Load8U { dst, offset, .. } => Op::I32Load8UIdx { dst, base, index, offset },
        Op::I32Load16S { dst, offset, .. } => Op::I32Load16SIdx { dst, base, index, offset },
        Op::I32Load16U { dst, offset, .. } => Op::I32Load16UIdx { dst, base, index, offset },
        Op::I64Load8S { dst, offset, .. } => Op::I64Load8SIdx { dst, base, index, offset },
        Op::I64Load8U { dst, offset, .. } => Op::I64Load8UIdx { dst, base, index, offset },
        Op::I64Load16S { dst, offset, .. } => Op::I64Load16SIdx { dst, base, index, offset },
        Op::I64Load16U { dst, offset, .. } => Op::I64Load16UIdx { dst, base, index, offset },
        Op::I64Load32S { dst, offset, .. } => Op::I64Load32SIdx { dst, base, index, offset },
        Op::I64Load32U { dst, offset, .. } => Op::I64Load32UIdx { dst, base, index, offset },
        Op::I32Store { value, offset, .. } => Op::I32StoreIdx { base, index, value, offset },
        Op::I64Store { value, offset, .. } => Op::I64StoreIdx { base, index, value, offset },
        Op::F32Store { value, offset, .. } => Op::F32StoreIdx { base, index, value, offset },
        Op::F64Store { value, offset, .. } => Op::F64StoreIdx { base, index, value, offset },
        Op::I32Store8 { value, offset, .. } => Op::I32Store8Idx { base, index, value, offset },
        Op::I32Store16 { value, offset, .. } => Op::I32Store16Idx { base, index, value, offset },
        Op::I64Store8 { value, offset, .. } => Op::I64Store8Idx { base, index, value, offset },
        Op::I64Store16 { value, offset, .. } => Op::I64Store16Idx { base, index, value, offset },
        Op::I64Store32 { value, offset, .. } => Op::I64Store32Idx { base, index, value, offset },
        _ => return None,
    })
}

/// `op` reading the operand held in slot `acc` from the accumulator instead, if it has such a
/// form. The caller guarantees the previous instruction wrote exactly that slot.
pub(super) fn with_acc(op: Op, acc: Slot) -> Op {
    macro_rules! imm_l {
        ($($imm_l:ident => $acc_form:ident),*) => {
            match op {
                $(Op::$imm_l { dst, rhs, imm } if rhs == acc => return Op::$acc_form { dst, imm },)*
                _ => {}
            }
        };
    }
    imm_l! {
        I32SubImmL => I32SubImmLAcc, I32ShlImmL => I32ShlImmLAcc, I32ShrSImmL => I32ShrSImmLAcc,
        I32ShrUImmL => I32ShrUImmLAcc, I32RotlImmL => I32RotlImmLAcc,
        I32RotrImmL => I32RotrImmLAcc, I64SubImmL => I64SubImmLAcc, I64ShlImmL => I64ShlImmLAcc,
        I64ShrSImmL => I64ShrSImmLAcc, I64ShrUImmL => I64ShrUImmLAcc,
        I64RotlImmL => I64RotlImmLAcc, I64RotrImmL => I64RotrImmLAcc
    }
    match op {
        Op::I32AddImm { dst, lhs, imm } if lhs == acc => Op::I32AddImmAcc { dst, imm },
        Op::I32MulImm { dst, lhs, imm } if lhs == acc => Op::I32MulImmAcc { dst, imm },
        Op::I32AndImm { dst, lhs, imm } if lhs == acc => Op::I32AndImmAcc { dst, imm },
        Op::I32OrImm { dst, lhs, imm } if lhs == acc => Op::I32OrImmAcc { dst, imm },
        Op::I32XorImm { dst, lhs, imm } if lhs == acc => Op::I32XorImmAcc { dst, imm },
        Op::I32ShlImm { dst, lhs, imm } if lhs == acc => Op::I32ShlImmAcc { dst, imm },
        Op::I32ShrSImm { dst, lhs, imm } if lhs == acc => Op::I32ShrSImmAcc { dst, imm },
        Op::I32ShrUImm { dst, lhs, imm } if lhs == acc => Op::I32ShrUImmAcc { dst, imm },
        Op::I64AddImm { dst, lhs, imm } if lhs == acc => Op::I64AddImmAcc { dst, imm },
        Op::I64MulImm { dst, lhs, imm } if lhs == acc => Op::I64MulImmAcc { dst, imm },
        Op::I64AndImm { dst, lhs, imm } if lhs == acc => Op::I64AndImmAcc { dst, imm },
        Op::I64OrImm { dst, lhs, imm } if lhs == acc => Op::I64OrImmAcc { dst, imm },
        Op::I64XorImm { dst, lhs, imm } if lhs == acc => Op::I64XorImmAcc { dst, imm },
        Op::I64ShlImm { dst, lhs, imm } if lhs == acc => Op::I64ShlImmAcc { dst, imm },
        Op::I64ShrSImm { dst, lhs, imm } if lhs == acc => Op::I64ShrSImmAcc { dst, imm },
        Op::I64ShrUImm { dst, lhs, imm } if lhs == acc => Op::I64ShrUImmAcc { dst, imm },
        Op::I32RotlImm { dst, lhs, imm } if lhs == acc => Op::I32RotlImmAcc { dst, imm },
        Op::I32RotrImm { dst, lhs, imm } if lhs == acc => Op::I32RotrImmAcc { dst, imm },
        Op::I64RotlImm { dst, lhs, imm } if lhs == acc => Op::I64RotlImmAcc { dst, imm },
        Op::I64RotrImm { dst, lhs, imm } if lhs == acc => Op::I64RotrImmAcc { dst, imm },
        Op::I32Add { dst, lhs, rhs } if lhs == acc => Op::I32AddAccL { dst, rhs },
        Op::I32AddShl { dst, lhs, rhs, shift } if rhs == acc => {
            Op::I32AddShlAccR { dst, lhs, shift }
        }
        Op::I32AddShl { dst, lhs, rhs, shift } if lhs == acc => {
            Op::I32AddShlAccL { dst, rhs, shift }
        }
        Op::I32Add { dst, lhs, rhs } if rhs == acc => Op::I32AddAccR { dst, lhs },
        Op::I32Sub { dst, lhs, rhs } if lhs == acc => Op::I32SubAccL { dst, rhs },
        Op::I32Sub { dst, lhs, rhs } if rhs == acc => Op::I32SubAccR { dst, lhs },
        Op::I32Mul { dst, lhs, rhs } if lhs == acc => Op::I32MulAccL { dst, rhs },
        Op::I32Mul { dst, lhs, rhs } if rhs == acc => Op::I32MulAccR { dst, lhs },
        Op::I32And { dst, lhs, rhs } if lhs == acc => Op::I32AndAccL { dst, rhs },
        Op::I32And { dst, lhs, rhs } if rhs == acc => Op::I32AndAccR { dst, lhs },
        Op::I32Or { dst, lhs, rhs } if lhs == acc => Op::I32OrAccL { dst, rhs },
        Op::I32Or { dst, lhs, rhs } if rhs == acc => Op::I32OrAccR { dst, lhs },
        Op::I32Xor { dst, lhs, rhs } if lhs == acc => Op::I32XorAccL { dst, rhs },
        Op::I32Xor { dst, lhs, rhs } if rhs == acc => Op::I32XorAccR { dst, lhs },
        Op::I32Shl { dst, lhs, rhs } if lhs == acc => Op::I32ShlAccL { dst, rhs },
        Op::I32Shl { dst, lhs, rhs } if rhs == acc => Op::I32ShlAccR { dst, lhs },
        Op::I32ShrS { dst, lhs, rhs } if lhs == acc => Op::I32ShrSAccL { dst, rhs },
        Op::I32ShrS { dst, lhs, rhs } if rhs == acc => Op::I32ShrSAccR { dst, lhs },
        Op::I32ShrU { dst, lhs, rhs } if lhs == acc => Op::I32ShrUAccL { dst, rhs },
        Op::I32ShrU { dst, lhs, rhs } if rhs == acc => Op::I32ShrUAccR { dst, lhs },
        Op::I32Rotl { dst, lhs, rhs } if lhs == acc => Op::I32RotlAccL { dst, rhs },
        Op::I32Rotl { dst, lhs, rhs } if rhs == acc => Op::I32RotlAccR { dst, lhs },
        Op::I32Rotr { dst, lhs, rhs } if lhs == acc => Op::I32RotrAccL { dst, rhs },
        Op::I32Rotr { dst, lhs, rhs } if rhs == acc => Op::I32RotrAccR { dst, lhs },
        Op::I64Add { dst, lhs, rhs } if lhs == acc => Op::I64AddAccL { dst, rhs },
        Op::I64Add { dst, lhs, rhs } if rhs == acc => Op::I64AddAccR { dst, lhs },
        Op::I64Sub { dst, lhs, rhs } if lhs == acc => Op::I64SubAccL { dst, rhs },
        Op::I64Sub { dst, lhs, rhs } if rhs == acc => Op::I64SubAccR { dst, lhs },
        Op::I64Mul { dst, lhs, rhs } if lhs == acc => Op::I64MulAccL { dst, rhs },
        Op::I64Mul { dst, lhs, rhs } if rhs == acc => Op::I64MulAccR { dst, lhs },
        Op::I64And { dst, lhs, rhs } if lhs == acc => Op::I64AndAccL { dst, rhs },
        Op::I64And { dst, lhs, rhs } if rhs == acc => Op::I64AndAccR { dst, lhs },
        Op::I64Or { dst, lhs, rhs } if lhs == acc => Op::I64OrAccL { dst, rhs },
        Op::I64Or { dst, lhs, rhs } if rhs == acc => Op::I64OrAccR { dst, lhs },
        Op::I64Xor { dst, lhs, rhs } if lhs == acc => Op::I64XorAccL { dst, rhs },
        Op::I64Xor { dst, lhs, rhs } if rhs == acc => Op::I64XorAccR { dst, lhs },
        Op::I64Shl { dst, lhs, rhs } if lhs == acc => Op::I64ShlAccL { dst, rhs },
        Op::I64Shl { dst, lhs, rhs } if rhs == acc => Op::I64ShlAccR { dst, lhs },
        Op::I64ShrS { dst, lhs, rhs } if lhs == acc => Op::I64ShrSAccL { dst, rhs },
        Op::I64ShrS { dst, lhs, rhs } if rhs == acc => Op::I64ShrSAccR { dst, lhs },
        Op::I64ShrU { dst, lhs, rhs } if lhs == acc => Op::I64ShrUAccL { dst, rhs },
        Op::I64ShrU { dst, lhs, rhs } if rhs == acc => Op::I64ShrUAccR { dst, lhs },
        Op::I64Rotl { dst, lhs, rhs } if lhs == acc => Op::I64RotlAccL { dst, rhs },
        Op::I64Rotl { dst, lhs, rhs } if rhs == acc => Op::I64RotlAccR { dst, lhs },
        Op::I64Rotr { dst, lhs, rhs } if lhs == acc => Op::I64RotrAccL { dst, rhs },
        Op::I64Rotr { dst, lhs, rhs } if rhs == acc => Op::I64RotrAccR { dst, lhs },
        Op::I32Clz { dst, src } if src == acc => Op::I32ClzAcc { dst },
        Op::I32Ctz { dst, src } if src == acc => Op::I32CtzAcc { dst },
        Op::I32Popcnt { dst, src } if src == acc => Op::I32PopcntAcc { dst },
        Op::I32Extend8S { dst, src } if src == acc => Op::I32Extend8SAcc { dst },
        Op::I32Extend16S { dst, src } if src == acc => Op::I32Extend16SAcc { dst },
        Op::I64Clz { dst, src } if src == acc => Op::I64ClzAcc { dst },
        Op::I64Ctz { dst, src } if src == acc => Op::I64CtzAcc { dst },
        Op::I64Popcnt { dst, src } if src == acc => Op::I64PopcntAcc { dst },
        Op::I64Extend8S { dst, src } if src == acc => Op::I64Extend8SAcc { dst },
        Op::I64Extend16S { dst, src } if src == acc => Op::I64Extend16SAcc { dst },
        Op::I64Extend32S { dst, src } if src == acc => Op::I64Extend32SAcc { dst },
        Op::I32WrapI64 { dst, src } if src == acc => Op::I32WrapI64Acc { dst },
        Op::I64ExtendI32S { dst, src } if src == acc => Op::I64ExtendI32SAcc { dst },
        Op::I64ExtendI32U { dst, src } if src == acc => Op::I64ExtendI32UAcc { dst },
        Op::F32ConvertI32S { dst, src } if src == acc => Op::F32ConvertI32SAcc { dst },
        Op::F32ConvertI32U { dst, src } if src == acc => Op::F32ConvertI32UAcc { dst },
        Op::F32ConvertI64S { dst, src } if src == acc => Op::F32ConvertI64SAcc { dst },
        Op::F32ConvertI64U { dst, src } if src == acc => Op::F32ConvertI64UAcc { dst },
        Op::F64ConvertI32S { dst, src } if src == acc => Op::F64ConvertI32SAcc { dst },
        Op::F64ConvertI32U { dst, src } if src == acc => Op::F64ConvertI32UAcc { dst },
        Op::F64ConvertI64S { dst, src } if src == acc => Op::F64ConvertI64SAcc { dst },
        Op::F64ConvertI64U { dst, src } if src == acc => Op::F64ConvertI64UAcc { dst },
        Op::I32DivS { dst, lhs, rhs } if lhs == acc => Op::I32DivSAccL { dst, rhs },
        Op::I32DivS { dst, lhs, rhs } if rhs == acc => Op::I32DivSAccR { dst, lhs },
        Op::I32DivU { dst, lhs, rhs } if lhs == acc => Op::I32DivUAccL { dst, rhs },
        Op::I32DivU { dst, lhs, rhs } if rhs == acc => Op::I32DivUAccR { dst, lhs },
        Op::I32RemS { dst, lhs, rhs } if lhs == acc => Op::I32RemSAccL { dst, rhs },
        Op::I32RemS { dst, lhs, rhs } if rhs == acc => Op::I32RemSAccR { dst, lhs },
        Op::I32RemU { dst, lhs, rhs } if lhs == acc => Op::I32RemUAccL { dst, rhs },
        Op::I32RemU { dst, lhs, rhs } if rhs == acc => Op::I32RemUAccR { dst, lhs },
        Op::I64DivS { dst, lhs, rhs } if lhs == acc => Op::I64DivSAccL { dst, rhs },
        Op::I64DivS { dst, lhs, rhs } if rhs == acc => Op::I64DivSAccR { dst, lhs },
        Op::I64DivU { dst, lhs, rhs } if lhs == acc => Op::I64DivUAccL { dst, rhs },
        Op::I64DivU { dst, lhs, rhs } if rhs == acc => Op::I64DivUAccR { dst, lhs },
        Op::I64RemS { dst, lhs, rhs } if lhs == acc => Op::I64RemSAccL { dst, rhs },
        Op::I64RemS { dst, lhs, rhs } if rhs == acc => Op::I64RemSAccR { dst, lhs },
        Op::I64RemU { dst, lhs, rhs } if lhs == acc => Op::I64RemUAccL { dst, rhs },
        Op::I64RemU { dst, lhs, rhs } if rhs == acc => Op::I64RemUAccR { dst, lhs },
        Op::F64Add { dst, lhs, rhs } if lhs == acc => Op::F64AddAccL { dst, rhs },
        Op::F64Add { dst, lhs, rhs } if rhs == acc => Op::F64AddAccR { dst, lhs },
        Op::F64Sub { dst, lhs, rhs } if lhs == acc => Op::F64SubAccL { dst, rhs },
        Op::F64Sub { dst, lhs, rhs } if rhs == acc => Op::F64SubAccR { dst, lhs },
        Op::F64Mul { dst, lhs, rhs } if lhs == acc => Op::F64MulAccL { dst, rhs },
        Op::F64Mul { dst, lhs, rhs } if rhs == acc => Op::F64MulAccR { dst, lhs },
        Op::F64Div { dst, lhs, rhs } if lhs == acc => Op::F64DivAccL { dst, rhs },
        Op::F64Div { dst, lhs, rhs } if rhs == acc => Op::F64DivAccR { dst, lhs },
        Op::F32AddImm { dst, lhs, imm } if lhs == acc => Op::F32AddImmAcc { dst, imm },
        Op::F32SubImm { dst, lhs, imm } if lhs == acc => Op::F32SubImmAcc { dst, imm },
        Op::F32MulImm { dst, lhs, imm } if lhs == acc => Op::F32MulImmAcc { dst, imm },
        Op::F32DivImm { dst, lhs, imm } if lhs == acc => Op::F32DivImmAcc { dst, imm },
        Op::BrIfF32EqImm { lhs, imm, offset } if lhs == acc => Op::BrIfF32EqImmAcc { imm, offset },
        Op::BrIfF32NeImm { lhs, imm, offset } if lhs == acc => Op::BrIfF32NeImmAcc { imm, offset },
        Op::BrIfF32LtImm { lhs, imm, offset } if lhs == acc => Op::BrIfF32LtImmAcc { imm, offset },
        Op::BrIfF32GtImm { lhs, imm, offset } if lhs == acc => Op::BrIfF32GtImmAcc { imm, offset },
        Op::BrIfF32LeImm { lhs, imm, offset } if lhs == acc => Op::BrIfF32LeImmAcc { imm, offset },
        Op::BrIfF32GeImm { lhs, imm, offset } if lhs == acc => Op::BrIfF32GeImmAcc { imm, offset },
        Op::BrIfF32NotLtImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfF32NotLtImmAcc { imm, offset }
        }
        Op::BrIfF32NotGtImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfF32NotGtImmAcc { imm, offset }
        }
        Op::BrIfF32NotLeImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfF32NotLeImmAcc { imm, offset }
        }
        Op::BrIfF32NotGeImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfF32NotGeImmAcc { imm, offset }
        }
        Op::F64AddImm { dst, lhs, imm } if lhs == acc => Op::F64AddImmAcc { dst, imm },
        Op::F64SubImm { dst, lhs, imm } if lhs == acc => Op::F64SubImmAcc { dst, imm },
        Op::F64MulImm { dst, lhs, imm } if lhs == acc => Op::F64MulImmAcc { dst, imm },
        Op::F64DivImm { dst, lhs, imm } if lhs == acc => Op::F64DivImmAcc { dst, imm },
        Op::BrIfF64EqImm { lhs, imm, offset } if lhs == acc => Op::BrIfF64EqImmAcc { imm, offset },
        Op::BrIfF64NeImm { lhs, imm, offset } if lhs == acc => Op::BrIfF64NeImmAcc { imm, offset },
        Op::BrIfF64LtImm { lhs, imm, offset } if lhs == acc => Op::BrIfF64LtImmAcc { imm, offset },
        Op::BrIfF64GtImm { lhs, imm, offset } if lhs == acc => Op::BrIfF64GtImmAcc { imm, offset },
        Op::BrIfF64LeImm { lhs, imm, offset } if lhs == acc => Op::BrIfF64LeImmAcc { imm, offset },
        Op::BrIfF64GeImm { lhs, imm, offset } if lhs == acc => Op::BrIfF64GeImmAcc { imm, offset },
        Op::BrIfF64NotLtImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfF64NotLtImmAcc { imm, offset }
        }
        Op::BrIfF64NotGtImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfF64NotGtImmAcc { imm, offset }
        }
        Op::BrIfF64NotLeImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfF64NotLeImmAcc { imm, offset }
        }
        Op::BrIfF64NotGeImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfF64NotGeImmAcc { imm, offset }
        }
        Op::F32Add { dst, lhs, rhs } if lhs == acc => Op::F32AddAccL { dst, rhs },
        Op::F32Add { dst, lhs, rhs } if rhs == acc => Op::F32AddAccR { dst, lhs },
        Op::F32Sub { dst, lhs, rhs } if lhs == acc => Op::F32SubAccL { dst, rhs },
        Op::F32Sub { dst, lhs, rhs } if rhs == acc => Op::F32SubAccR { dst, lhs },
        Op::F32Mul { dst, lhs, rhs } if lhs == acc => Op::F32MulAccL { dst, rhs },
        Op::F32Mul { dst, lhs, rhs } if rhs == acc => Op::F32MulAccR { dst, lhs },
        Op::F32Div { dst, lhs, rhs } if lhs == acc => Op::F32DivAccL { dst, rhs },
        Op::F32Div { dst, lhs, rhs } if rhs == acc => Op::F32DivAccR { dst, lhs },
        Op::I32LoadAddImm { dst, addr, imm } if addr == acc => {
            Op::I32LoadAddImmAcc { dst, imm, offset: 0 }
        }
        Op::I64LoadAddImm { dst, addr, imm } if addr == acc => {
            Op::I64LoadAddImmAcc { dst, imm, offset: 0 }
        }
        Op::F32LoadAddImm { dst, addr, imm } if addr == acc => {
            Op::F32LoadAddImmAcc { dst, imm, offset: 0 }
        }
        Op::F64LoadAddImm { dst, addr, imm } if addr == acc => {
            Op::F64LoadAddImmAcc { dst, imm, offset: 0 }
        }
        Op::I32Load8SAddImm { dst, addr, imm } if addr == acc => {
            Op::I32Load8SAddImmAcc { dst, imm, offset: 0 }
        }
        Op::I32Load8UAddImm { dst, addr, imm } if addr == acc => {
            Op::I32Load8UAddImmAcc { dst, imm, offset: 0 }
        }
        Op::I32Load16SAddImm { dst, addr, imm } if addr == acc => {
            Op::I32Load16SAddImmAcc { dst, imm, offset: 0 }
        }
        Op::I32Load16UAddImm { dst, addr, imm } if addr == acc => {
            Op::I32Load16UAddImmAcc { dst, imm, offset: 0 }
        }
        Op::I32LoadScaled { dst, index, shift, imm } if index == acc => {
            Op::I32LoadScaledAcc { dst, shift, imm }
        }
        Op::I64LoadScaled { dst, index, shift, imm } if index == acc => {
            Op::I64LoadScaledAcc { dst, shift, imm }
        }
        Op::F32LoadScaled { dst, index, shift, imm } if index == acc => {
            Op::F32LoadScaledAcc { dst, shift, imm }
        }
        Op::F64LoadScaled { dst, index, shift, imm } if index == acc => {
            Op::F64LoadScaledAcc { dst, shift, imm }
        }
        Op::I32Load8SScaled { dst, index, shift, imm } if index == acc => {
            Op::I32Load8SScaledAcc { dst, shift, imm }
        }
        Op::I32Load8UScaled { dst, index, shift, imm } if index == acc => {
            Op::I32Load8UScaledAcc { dst, shift, imm }
        }
        Op::I32Load16SScaled { dst, index, shift, imm } if index == acc => {
            Op::I32Load16SScaledAcc { dst, shift, imm }
        }
        Op::I32Load16UScaled { dst, index, shift, imm } if index == acc => {
            Op::I32Load16UScaledAcc { dst, shift, imm }
        }
        Op::I32Load { dst, addr, offset } if addr == acc => Op::I32LoadAcc { dst, offset },
        Op::I64Load { dst, addr, offset } if addr == acc => Op::I64LoadAcc { dst, offset },
        Op::F32Load { dst, addr, offset } if addr == acc => Op::F32LoadAcc { dst, offset },
        Op::F64Load { dst, addr, offset } if addr == acc => Op::F64LoadAcc { dst, offset },
        Op::I32Load8S { dst, addr, offset } if addr == acc => Op::I32Load8SAcc { dst, offset },
        Op::I32Load8U { dst, addr, offset } if addr == acc => Op::I32Load8UAcc { dst, offset },
        Op::I32Load16S { dst, addr, offset } if addr == acc => Op::I32Load16SAcc { dst, offset },
        Op::I32Load16U { dst, addr, offset } if addr == acc => Op::I32Load16UAcc { dst, offset },
        Op::I64Load8S { dst, addr, offset } if addr == acc => Op::I64Load8SAcc { dst, offset },
        Op::I64Load8U { dst, addr, offset } if addr == acc => Op::I64Load8UAcc { dst, offset },
        Op::I64Load16S { dst, addr, offset } if addr == acc => Op::I64Load16SAcc { dst, offset },
        Op::I64Load16U { dst, addr, offset } if addr == acc => Op::I64Load16UAcc { dst, offset },
        Op::I64Load32S { dst, addr, offset } if addr == acc => Op::I64Load32SAcc { dst, offset },
        Op::I64Load32U { dst, addr, offset } if addr == acc => Op::I64Load32UAcc { dst, offset },
        Op::I32Store { addr, value, offset } if value == acc => Op::I32StoreAcc { addr, offset },
        Op::I64Store { addr, value, offset } if value == acc => Op::I64StoreAcc { addr, offset },
        Op::F32Store { addr, value, offset } if value == acc => Op::F32StoreAcc { addr, offset },
        Op::F64Store { addr, value, offset } if value == acc => Op::F64StoreAcc { addr, offset },
        Op::I32Store8 { addr, value, offset } if value == acc => Op::I32Store8Acc { addr, offset },
        Op::I32Store16 { addr, value, offset } if value == acc => {
            Op::I32Store16Acc { addr, offset }
        }
        Op::I64Store8 { addr, value, offset } if value == acc => Op::I64Store8Acc { addr, offset },
        Op::I64Store16 { addr, value, offset } if value == acc => {
            Op::I64Store16Acc { addr, offset }
        }
        Op::I64Store32 { addr, value, offset } if value == acc => {
            Op::I64Store32Acc { addr, offset }
        }
        Op::I32StoreImm { addr, imm, offset } if addr == acc => Op::I32StoreImmAcc { imm, offset },
        Op::I64StoreImm { addr, imm, offset } if addr == acc => Op::I64StoreImmAcc { imm, offset },
        Op::F32StoreImm { addr, imm, offset } if addr == acc => Op::F32StoreImmAcc { imm, offset },
        Op::I32Store8Imm { addr, imm, offset } if addr == acc => {
            Op::I32Store8ImmAcc { imm, offset }
        }
        Op::I32Store16Imm { addr, imm, offset } if addr == acc => {
            Op::I32Store16ImmAcc { imm, offset }
        }
        Op::I64Store8Imm { addr, imm, offset } if addr == acc => {
            Op::I64Store8ImmAcc { imm, offset }
        }
        Op::I64Store16Imm { addr, imm, offset } if addr == acc => {
            Op::I64Store16ImmAcc { imm, offset }
        }
        Op::I64Store32Imm { addr, imm, offset } if addr == acc => {
            Op::I64Store32ImmAcc { imm, offset }
        }
        Op::BrIfNez { cond, offset } if cond == acc => Op::BrIfNezAcc { offset },
        Op::BrIfEqz { cond, offset } if cond == acc => Op::BrIfEqzAcc { offset },
        // The carried value is the condition: copy it from the accumulator too.
        Op::BrIfNezCopy { cond, dst, src, offset } if cond == acc && src == acc => {
            Op::BrIfNezAccMove { dst, offset }
        }
        Op::BrIfNezCopy { cond, dst, src, offset } if cond == acc => {
            Op::BrIfNezAccCopy { dst, src, offset }
        }
        Op::BrIfI32Eq { lhs, rhs, offset } if lhs == acc => Op::BrIfI32EqAcc { rhs, offset },
        Op::BrIfI32Eq { lhs, rhs, offset } if rhs == acc => Op::BrIfI32EqAcc { rhs: lhs, offset },
        Op::BrIfI32Ne { lhs, rhs, offset } if lhs == acc => Op::BrIfI32NeAcc { rhs, offset },
        Op::BrIfI32Ne { lhs, rhs, offset } if rhs == acc => Op::BrIfI32NeAcc { rhs: lhs, offset },
        Op::BrIfI32LtS { lhs, rhs, offset } if lhs == acc => Op::BrIfI32LtSAcc { rhs, offset },
        Op::BrIfI32LtS { lhs, rhs, offset } if rhs == acc => Op::BrIfI32GtSAcc { rhs: lhs, offset },
        Op::BrIfI32LtU { lhs, rhs, offset } if lhs == acc => Op::BrIfI32LtUAcc { rhs, offset },
        Op::BrIfI32LtU { lhs, rhs, offset } if rhs == acc => Op::BrIfI32GtUAcc { rhs: lhs, offset },
        Op::BrIfI32GtS { lhs, rhs, offset } if lhs == acc => Op::BrIfI32GtSAcc { rhs, offset },
        Op::BrIfI32GtS { lhs, rhs, offset } if rhs == acc => Op::BrIfI32LtSAcc { rhs: lhs, offset },
        Op::BrIfI32GtU { lhs, rhs, offset } if lhs == acc => Op::BrIfI32GtUAcc { rhs, offset },
        Op::BrIfI32GtU { lhs, rhs, offset } if rhs == acc => Op::BrIfI32LtUAcc { rhs: lhs, offset },
        Op::BrIfI32LeS { lhs, rhs, offset } if lhs == acc => Op::BrIfI32LeSAcc { rhs, offset },
        Op::BrIfI32LeS { lhs, rhs, offset } if rhs == acc => Op::BrIfI32GeSAcc { rhs: lhs, offset },
        Op::BrIfI32LeU { lhs, rhs, offset } if lhs == acc => Op::BrIfI32LeUAcc { rhs, offset },
        Op::BrIfI32LeU { lhs, rhs, offset } if rhs == acc => Op::BrIfI32GeUAcc { rhs: lhs, offset },
        Op::BrIfI32GeS { lhs, rhs, offset } if lhs == acc => Op::BrIfI32GeSAcc { rhs, offset },
        Op::BrIfI32GeS { lhs, rhs, offset } if rhs == acc => Op::BrIfI32LeSAcc { rhs: lhs, offset },
        Op::BrIfI32GeU { lhs, rhs, offset } if lhs == acc => Op::BrIfI32GeUAcc { rhs, offset },
        Op::BrIfI32GeU { lhs, rhs, offset } if rhs == acc => Op::BrIfI32LeUAcc { rhs: lhs, offset },
        Op::BrIfI64Eq { lhs, rhs, offset } if lhs == acc => Op::BrIfI64EqAcc { rhs, offset },
        Op::BrIfI64Eq { lhs, rhs, offset } if rhs == acc => Op::BrIfI64EqAcc { rhs: lhs, offset },
        Op::BrIfI64Ne { lhs, rhs, offset } if lhs == acc => Op::BrIfI64NeAcc { rhs, offset },
        Op::BrIfI64Ne { lhs, rhs, offset } if rhs == acc => Op::BrIfI64NeAcc { rhs: lhs, offset },
        Op::BrIfI64LtS { lhs, rhs, offset } if lhs == acc => Op::BrIfI64LtSAcc { rhs, offset },
        Op::BrIfI64LtS { lhs, rhs, offset } if rhs == acc => Op::BrIfI64GtSAcc { rhs: lhs, offset },
        Op::BrIfI64LtU { lhs, rhs, offset } if lhs == acc => Op::BrIfI64LtUAcc { rhs, offset },
        Op::BrIfI64LtU { lhs, rhs, offset } if rhs == acc => Op::BrIfI64GtUAcc { rhs: lhs, offset },
        Op::BrIfI64GtS { lhs, rhs, offset } if lhs == acc => Op::BrIfI64GtSAcc { rhs, offset },
        Op::BrIfI64GtS { lhs, rhs, offset } if rhs == acc => Op::BrIfI64LtSAcc { rhs: lhs, offset },
        Op::BrIfI64GtU { lhs, rhs, offset } if lhs == acc => Op::BrIfI64GtUAcc { rhs, offset },
        Op::BrIfI64GtU { lhs, rhs, offset } if rhs == acc => Op::BrIfI64LtUAcc { rhs: lhs, offset },
        Op::BrIfI64LeS { lhs, rhs, offset } if lhs == acc => Op::BrIfI64LeSAcc { rhs, offset },
        Op::BrIfI64LeS { lhs, rhs, offset } if rhs == acc => Op::BrIfI64GeSAcc { rhs: lhs, offset },
        Op::BrIfI64LeU { lhs, rhs, offset } if lhs == acc => Op::BrIfI64LeUAcc { rhs, offset },
        Op::BrIfI64LeU { lhs, rhs, offset } if rhs == acc => Op::BrIfI64GeUAcc { rhs: lhs, offset },
        Op::BrIfI64GeS { lhs, rhs, offset } if lhs == acc => Op::BrIfI64GeSAcc { rhs, offset },
        Op::BrIfI64GeS { lhs, rhs, offset } if rhs == acc => Op::BrIfI64LeSAcc { rhs: lhs, offset },
        Op::BrIfI64GeU { lhs, rhs, offset } if lhs == acc => Op::BrIfI64GeUAcc { rhs, offset },
        Op::BrIfI64GeU { lhs, rhs, offset } if rhs == acc => Op::BrIfI64LeUAcc { rhs: lhs, offset },
        Op::BrIfI32EqImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI32EqImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI32NeImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI32NeImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI32LtSImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI32LtSImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI32LtUImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI32LtUImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI32GtSImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI32GtSImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI32GtUImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI32GtUImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI32LeSImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI32LeSImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI32LeUImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI32LeUImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI32GeSImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI32GeSImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI32GeUImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI32GeUImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI64EqImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI64EqImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI64NeImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI64NeImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI64LtSImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI64LtSImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI64LtUImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI64LtUImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI64GtSImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI64GtSImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI64GtUImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI64GtUImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI64LeSImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI64LeSImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI64LeUImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI64LeUImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI64GeSImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI64GeSImmAcc { imm: i32::from(imm), offset }
        }
        Op::BrIfI64GeUImm { lhs, imm, offset } if lhs == acc => {
            Op::BrIfI64GeUImmAcc { imm: i32::from(imm), offset }
        }
        other => float_branch_with_acc(other, acc),
    }
}

/// A float compare-and-branch reading an operand from the accumulator: the left one as is,
/// the right one mirrored into place (`a < acc` is `acc > a`, which holds for NaN too: both
/// are false).
fn float_branch_with_acc(op: Op, acc: Slot) -> Op {
    macro_rules! acc {
        ($($br:ident => $acc:ident / $mirror:ident),*) => {
            match op {
                $(
                    Op::$br { lhs, rhs, offset } if lhs == acc => Op::$acc { rhs, offset },
                    Op::$br { lhs, rhs, offset } if rhs == acc => Op::$mirror { rhs: lhs, offset },
                )*
                other => other,
            }
        };
    }
    acc! {
        BrIfF32Eq => BrIfF32EqAcc / BrIfF32EqAcc, BrIfF32Ne => BrIfF32NeAcc / BrIfF32NeAcc,
        BrIfF32Lt => BrIfF32LtAcc / BrIfF32GtAcc, BrIfF32Gt => BrIfF32GtAcc / BrIfF32LtAcc,
        BrIfF32Le => BrIfF32LeAcc / BrIfF32GeAcc, BrIfF32Ge => BrIfF32GeAcc / BrIfF32LeAcc,
        BrIfF32NotLt => BrIfF32NotLtAcc / BrIfF32NotGtAcc, BrIfF32NotGt => BrIfF32NotGtAcc / BrIfF32NotLtAcc,
        BrIfF32NotLe => BrIfF32NotLeAcc / BrIfF32NotGeAcc, BrIfF32NotGe => BrIfF32NotGeAcc / BrIfF32NotLeAcc,
        BrIfF64Eq => BrIfF64EqAcc / BrIfF64EqAcc, BrIfF64Ne => BrIfF64NeAcc / BrIfF64NeAcc,
        BrIfF64Lt => BrIfF64LtAcc / BrIfF64GtAcc, BrIfF64Gt => BrIfF64GtAcc / BrIfF64LtAcc,
        BrIfF64Le => BrIfF64LeAcc / BrIfF64GeAcc, BrIfF64Ge => BrIfF64GeAcc / BrIfF64LeAcc,
        BrIfF64NotLt => BrIfF64NotLtAcc / BrIfF64NotGtAcc, BrIfF64NotGt => BrIfF64NotGtAcc / BrIfF64NotLtAcc,
        BrIfF64NotLe => BrIfF64NotLeAcc / BrIfF64NotGeAcc, BrIfF64NotGe => BrIfF64NotGeAcc / BrIfF64NotLeAcc
    }
}

/// A branch by `offset` taken when the compare-with-immediate `op` yields `when`, reading the
/// compare's left operand from the accumulator (`acc` is the slot the previous instruction
/// wrote). Unlike [`branch_on`], the immediate may use all 32 bits, as the accumulator forms
/// have no left slot to store.
pub(super) fn branch_on_imm_acc(op: Op, when: bool, offset: BranchOffset, acc: Slot) -> Option<Op> {
    macro_rules! pairs {
        ($($cmpi:ident => $bri:ident / $brnegi:ident),*) => {
            match op {
                $(
                    Op::$cmpi { lhs, imm, .. } if lhs == acc => {
                        if when { Op::$bri { imm, offset } } else { Op::$brnegi { imm, offset } }
                    }
                )*
                _ => return None,
            }
        };
    }
    Some(pairs! {
        I32EqImm => BrIfI32EqImmAcc/BrIfI32NeImmAcc, I32NeImm => BrIfI32NeImmAcc/BrIfI32EqImmAcc,
        I32LtSImm => BrIfI32LtSImmAcc/BrIfI32GeSImmAcc, I32LtUImm => BrIfI32LtUImmAcc/BrIfI32GeUImmAcc,
        I32GtSImm => BrIfI32GtSImmAcc/BrIfI32LeSImmAcc, I32GtUImm => BrIfI32GtUImmAcc/BrIfI32LeUImmAcc,
        I32LeSImm => BrIfI32LeSImmAcc/BrIfI32GtSImmAcc, I32LeUImm => BrIfI32LeUImmAcc/BrIfI32GtUImmAcc,
        I32GeSImm => BrIfI32GeSImmAcc/BrIfI32LtSImmAcc, I32GeUImm => BrIfI32GeUImmAcc/BrIfI32LtUImmAcc,
        I64EqImm => BrIfI64EqImmAcc/BrIfI64NeImmAcc, I64NeImm => BrIfI64NeImmAcc/BrIfI64EqImmAcc,
        I64LtSImm => BrIfI64LtSImmAcc/BrIfI64GeSImmAcc, I64LtUImm => BrIfI64LtUImmAcc/BrIfI64GeUImmAcc,
        I64GtSImm => BrIfI64GtSImmAcc/BrIfI64LeSImmAcc, I64GtUImm => BrIfI64GtUImmAcc/BrIfI64LeUImmAcc,
        I64LeSImm => BrIfI64LeSImmAcc/BrIfI64GtSImmAcc, I64LeUImm => BrIfI64LeUImmAcc/BrIfI64GtUImmAcc,
        I64GeSImm => BrIfI64GeSImmAcc/BrIfI64LtSImmAcc, I64GeUImm => BrIfI64GeUImmAcc/BrIfI64LtUImmAcc
    })
}

/// An in-place `I32AddImm`/`I64AddImm` (`var += imm`) or `I32Add`/`I64Add` of a slot
/// (`var += step`) and the branch after it that tests its result in the accumulator, as one
/// instruction: the back edge of a counted or strided loop (`i += 1; if i != n`, `n -= 1; if
/// n != 0`, `j += p; if j <= n`) or an index step and its bounds check (`i += k; if i >=
/// len`). The branch may compare with a slot the add wrote (the fused handlers read it after
/// the write, as the plain pair does).
pub(super) fn step_branch(add: &Op, branch: &Op) -> Option<Op> {
    match *add {
        Op::I32AddImm { dst: var, lhs, imm } if var == lhs => {
            let imm = i16::try_from(imm).ok()?;
            Some(match *branch {
                Op::BrIfNezAcc { offset } => Op::I32AddImmBrIfNez { var, imm, offset },
                Op::BrIfI32NeAcc { rhs, offset } => Op::I32AddImmBrIfNe { var, rhs, imm, offset },
                Op::BrIfI32NeImmAcc { imm: limit, offset } => {
                    Op::I32AddImmBrIfNeImm { var, imm, limit: i16::try_from(limit).ok()?, offset }
                }
                Op::BrIfI32LtUAcc { rhs, offset } => Op::I32AddImmBrIfLtU { var, rhs, imm, offset },
                _ => return None,
            })
        }
        Op::I64AddImm { dst: var, lhs, imm } if var == lhs => {
            let imm = i16::try_from(imm).ok()?;
            Some(match *branch {
                Op::BrIfI64NeImmAcc { imm: 0, offset } => Op::I64AddImmBrIfNez { var, imm, offset },
                Op::BrIfI64NeAcc { rhs, offset } => Op::I64AddImmBrIfNe { var, rhs, imm, offset },
                Op::BrIfI64NeImmAcc { imm: limit, offset } => {
                    Op::I64AddImmBrIfNeImm { var, imm, limit: i16::try_from(limit).ok()?, offset }
                }
                Op::BrIfI64LtUAcc { rhs, offset } => Op::I64AddImmBrIfLtU { var, rhs, imm, offset },
                _ => return None,
            })
        }
        // A strided loop (`j += step; j <= n`) or an index step and its bounds check: the
        // step is a slot.
        Op::I32Add { dst: var, lhs, rhs } if var == lhs || var == rhs => {
            let step = if var == lhs { rhs } else { lhs };
            Some(match *branch {
                Op::BrIfI32NeAcc { rhs, offset } => Op::I32AddBrIfNe { var, step, rhs, offset },
                Op::BrIfI32LtUAcc { rhs, offset } => Op::I32AddBrIfLtU { var, step, rhs, offset },
                Op::BrIfI32LeUAcc { rhs, offset } => Op::I32AddBrIfLeU { var, step, rhs, offset },
                Op::BrIfI32GeUAcc { rhs, offset } => Op::I32AddBrIfGeU { var, step, rhs, offset },
                _ => return None,
            })
        }
        Op::I64Add { dst: var, lhs, rhs } if var == lhs || var == rhs => {
            let step = if var == lhs { rhs } else { lhs };
            Some(match *branch {
                Op::BrIfI64NeAcc { rhs, offset } => Op::I64AddBrIfNe { var, step, rhs, offset },
                Op::BrIfI64LtUAcc { rhs, offset } => Op::I64AddBrIfLtU { var, step, rhs, offset },
                Op::BrIfI64LeUAcc { rhs, offset } => Op::I64AddBrIfLeU { var, step, rhs, offset },
                Op::BrIfI64GeUAcc { rhs, offset } => Op::I64AddBrIfGeU { var, step, rhs, offset },
                _ => return None,
            })
        }
        _ => None,
    }
}

/// A post-decrement test (C's `while (n--)`: the old value of local `v` is tested after `v`
/// was stepped by `imm`), as one counted-loop back edge: the old value is not zero exactly
/// when the new one differs from `imm` (wrapping), so it becomes `I32AddImmBrIfNeImm` with
/// `limit = imm`. `first` and `second` are the two instructions before the `BrIfNez` on `t`,
/// either `Copy t = v; v += imm` or, when the add went to a temporary first, `a = v + imm;
/// CopyPairAcc t = v, v = a`. `a` must be an operand-stack temporary (at or above
/// `local_cells`, the value `local.set` consumed). When `t` is one too (the condition the
/// branch consumes), nothing reads it afterwards and the copy goes; when `t` is a local, the
/// copy stays, in `I32PostStepBrIfNez`.
pub(super) fn post_step_branch(
    first: &Op,
    second: &Op,
    branch: &Op,
    local_cells: u32,
) -> Option<Op> {
    let Op::BrIfNez { cond: t, offset } = *branch else { return None };
    let temp = |s: Slot| u32::from(s) >= local_cells;
    let (v, imm) = match (*first, *second) {
        (Op::Copy { dst, src: v }, Op::I32AddImm { dst: d, lhs, imm })
            if dst == t && d == v && (lhs == v || lhs == t) =>
        {
            (v, imm)
        }
        (Op::Copy { dst, src: v }, Op::I32AddImmAcc { dst: d, imm }) if dst == t && d == v => {
            (v, imm)
        }
        (Op::I32AddImm { dst: a, lhs: v, imm }, Op::CopyPairAcc { dst, src, dst2 })
            if dst == t && src == v && dst2 == v && temp(a) && a != t =>
        {
            (v, imm)
        }
        _ => return None,
    };
    if t == v {
        return None;
    }
    let imm = i16::try_from(imm).ok()?;
    Some(if temp(t) {
        Op::I32AddImmBrIfNeImm { var: v, imm, limit: imm, offset }
    } else {
        // `t` is a local that may be read later: keep the copy.
        Op::I32PostStepBrIfNez { dst: t, var: v, imm, offset }
    })
}

/// A zero test of a slot and the in-place add of a constant to it just after
/// (`BrIfEqz v; I32AddImm v = v + k`) as one `BrIfEqzElseI32AddImm`: the step only runs
/// when the branch falls through, so the pair is exactly the fused op.
pub(super) fn test_then_step(test: &Op, step: &Op) -> Option<Op> {
    let Op::BrIfEqz { cond, offset } = *test else { return None };
    let Op::I32AddImm { dst, lhs, imm } = *step else { return None };
    if dst != cond || lhs != cond {
        return None;
    }
    let imm = i16::try_from(imm).ok()?;
    Some(Op::BrIfEqzElseI32AddImm { var: cond, imm, offset })
}

/// A `Copy` and the slot test just after it as one instruction (`CopyBrIfNez`/`CopyBrIfEqz`):
/// the copy runs first, so the test may read the copied slot.
pub(super) fn copy_branch(copy: &Op, branch: &Op) -> Option<Op> {
    let Op::Copy { dst, src } = *copy else { return None };
    Some(match *branch {
        Op::BrIfNez { cond, offset } => Op::CopyBrIfNez { dst, src, cond, offset },
        Op::BrIfEqz { cond, offset } => Op::CopyBrIfEqz { dst, src, cond, offset },
        _ => return None,
    })
}

/// The compare yielding the opposite result of `cmp` (an integer compare with slot or
/// immediate operands, `eqz`, or a float `eq`/`ne`) into the same slot: `i32.eqz` of a
/// compare is the negated compare (`a == b; eqz` -> `a != b`), which a branch can then fuse
/// with. Ordered float compares have no negated compare (NaN makes `lt` and `ge` both false).
pub(super) fn negated_compare(cmp: &Op) -> Option<Op> {
    macro_rules! negate {
        ($($a:ident <=> $b:ident),* ; $($ai:ident <=> $bi:ident),*) => {
            match *cmp {
                $(
                    Op::$a { dst, lhs, rhs } => Op::$b { dst, lhs, rhs },
                    Op::$b { dst, lhs, rhs } => Op::$a { dst, lhs, rhs },
                )*
                $(
                    Op::$ai { dst, lhs, imm } => Op::$bi { dst, lhs, imm },
                    Op::$bi { dst, lhs, imm } => Op::$ai { dst, lhs, imm },
                )*
                Op::I32Eqz { dst, src } => Op::I32NeImm { dst, lhs: src, imm: 0 },
                Op::I64Eqz { dst, src } => Op::I64NeImm { dst, lhs: src, imm: 0 },
                _ => return None,
            }
        };
    }
    Some(negate! {
        I32Eq <=> I32Ne, I32LtS <=> I32GeS, I32LtU <=> I32GeU, I32GtS <=> I32LeS, I32GtU <=> I32LeU,
        I64Eq <=> I64Ne, I64LtS <=> I64GeS, I64LtU <=> I64GeU, I64GtS <=> I64LeS, I64GtU <=> I64LeU,
        F32Eq <=> F32Ne, F64Eq <=> F64Ne;
        I32EqImm <=> I32NeImm, I32LtSImm <=> I32GeSImm, I32LtUImm <=> I32GeUImm,
        I32GtSImm <=> I32LeSImm, I32GtUImm <=> I32LeUImm, I64EqImm <=> I64NeImm,
        I64LtSImm <=> I64GeSImm, I64LtUImm <=> I64GeUImm, I64GtSImm <=> I64LeSImm,
        I64GtUImm <=> I64LeUImm, F32EqImm <=> F32NeImm, F64EqImm <=> F64NeImm
    })
}

/// The conditional branch taken exactly when `br` is not, by `offset`: for the branches that
/// read only slots and immediates (compare-and-branch with slot or immediate operands, and
/// `BrIfNez`/`BrIfEqz` of a slot), which jump threading may evaluate somewhere else. An ordered
/// float compare negates into its `Not` form.
pub(super) fn negated_branch(br: &Op, offset: BranchOffset) -> Option<Op> {
    macro_rules! negate {
        ($($a:ident <=> $b:ident),* ; $($ai:ident <=> $bi:ident),*) => {
            match *br {
                $(
                    Op::$a { lhs, rhs, .. } => Op::$b { lhs, rhs, offset },
                    Op::$b { lhs, rhs, .. } => Op::$a { lhs, rhs, offset },
                )*
                $(
                    Op::$ai { lhs, imm, .. } => Op::$bi { lhs, imm, offset },
                    Op::$bi { lhs, imm, .. } => Op::$ai { lhs, imm, offset },
                )*
                Op::BrIfNez { cond, .. } => Op::BrIfEqz { cond, offset },
                Op::BrIfEqz { cond, .. } => Op::BrIfNez { cond, offset },
                _ => return None,
            }
        };
    }
    Some(negate! {
        BrIfI32Eq <=> BrIfI32Ne, BrIfI32LtS <=> BrIfI32GeS, BrIfI32LtU <=> BrIfI32GeU,
        BrIfI32GtS <=> BrIfI32LeS, BrIfI32GtU <=> BrIfI32LeU,
        BrIfI64Eq <=> BrIfI64Ne, BrIfI64LtS <=> BrIfI64GeS, BrIfI64LtU <=> BrIfI64GeU,
        BrIfI64GtS <=> BrIfI64LeS, BrIfI64GtU <=> BrIfI64LeU,
        BrIfF32Eq <=> BrIfF32Ne, BrIfF32Lt <=> BrIfF32NotLt, BrIfF32Gt <=> BrIfF32NotGt,
        BrIfF32Le <=> BrIfF32NotLe, BrIfF32Ge <=> BrIfF32NotGe,
        BrIfF64Eq <=> BrIfF64Ne, BrIfF64Lt <=> BrIfF64NotLt, BrIfF64Gt <=> BrIfF64NotGt,
        BrIfF64Le <=> BrIfF64NotLe, BrIfF64Ge <=> BrIfF64NotGe;
        BrIfI32EqImm <=> BrIfI32NeImm, BrIfI32LtSImm <=> BrIfI32GeSImm,
        BrIfI32LtUImm <=> BrIfI32GeUImm, BrIfI32GtSImm <=> BrIfI32LeSImm,
        BrIfI32GtUImm <=> BrIfI32LeUImm,
        BrIfI64EqImm <=> BrIfI64NeImm, BrIfI64LtSImm <=> BrIfI64GeSImm,
        BrIfI64LtUImm <=> BrIfI64GeUImm, BrIfI64GtSImm <=> BrIfI64LeSImm,
        BrIfI64GtUImm <=> BrIfI64LeUImm,
        BrIfF32EqImm <=> BrIfF32NeImm, BrIfF32LtImm <=> BrIfF32NotLtImm,
        BrIfF32GtImm <=> BrIfF32NotGtImm, BrIfF32LeImm <=> BrIfF32NotLeImm,
        BrIfF32GeImm <=> BrIfF32NotGeImm,
        BrIfF64EqImm <=> BrIfF64NeImm, BrIfF64LtImm <=> BrIfF64NotLtImm,
        BrIfF64GtImm <=> BrIfF64NotGtImm, BrIfF64LeImm <=> BrIfF64NotLeImm,
        BrIfF64GeImm <=> BrIfF64NotGeImm
    })
}
