//! Lowering of the SIMD operators (issue #8), generated from the SIMD section of the ISA list.
//!
//! A `v128` takes two cells; every SIMD instruction reads all its operands before it writes its
//! result, so a result may overlap its operands' stack slots, and a `local.set` of a result
//! writes the local directly ([`v128_dst_mut`]). Nothing here fuses: SIMD instructions never
//! read the accumulator and are not in `dst_mut`, so the scalar fusions around them see an
//! instruction they do not know and leave it alone.
//! `v128.const` is two `Const64`s (or `Const32`s), one per half; inside a loop, one that is
//! the right operand of a binary SIMD instruction moves into two adjacent constant slots
//! instead (`consts.rs`). Accesses of memory 0 (32-bit)
//! take the fast forms; accesses of any other memory or of a 64-bit one take the forms that
//! name their memory (`OpCode::names_memory`), as the scalar accesses do (`memories.rs`).

use super::{LowerError, Lowerer};
use crate::isa::{Op, Slot};
use fayasm_core::ValType;
use wasmparser::Operator;

impl Lowerer<'_> {
    /// Emits the SIMD access `fast`, built as memory 0's fast form with the offset's low half
    /// (and followed by a `Param` with that offset when `offset_param`, as the fast lane loads
    /// are). An access of any other memory, or of a 64-bit memory 0, becomes the form that
    /// names its memory, followed by its offset's `Param`s ([`named_simd`]).
    fn simd_access(
        &mut self,
        memarg: &wasmparser::MemArg,
        fast: Op,
        offset_param: bool,
    ) -> Result<(), LowerError> {
        if self.fast_access(memarg.memory) {
            let offset = self.mem_offset(memarg)?;
            self.emit(fast);
            if offset_param {
                self.emit(Op::Param { value: offset });
            }
            return Ok(());
        }
        let mem = self.memory16(memarg.memory)?;
        let (op, lane_form) =
            named_simd(fast, mem).ok_or_else(|| self.error("no named form of this SIMD access"))?;
        self.emit(op);
        if lane_form {
            self.emit(Op::Param { value: memarg.offset as u32 });
        }
        self.emit(Op::Param { value: (memarg.offset >> 32) as u32 });
        Ok(())
    }

    /// Lowers a SIMD operator; `false` if `op` is not one.
    pub(super) fn simd(&mut self, op: &Operator<'_>) -> Result<bool, LowerError> {
        macro_rules! simd_arms {
            (@acc [$($arms:tt)*]) => {
                match *op {
                    Operator::V128Const { value } => self.v128_const(value.i128() as u128)?,
                    $($arms)*
                    _ => return Ok(false),
                }
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_load ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name { memarg } => {
                    let addr = self.pop()?.slot();
                    let dst = self.push(ValType::V128)?.cell as Slot;
                    let offset = memarg.offset as u32;
                    self.simd_access(&memarg, Op::$name { dst, addr, offset }, false)?;
                } ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_store ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name { memarg } => {
                    let value = self.pop()?.slot();
                    let addr = self.pop()?.slot();
                    let offset = memarg.offset as u32;
                    self.simd_access(&memarg, Op::$name { addr, value, offset }, false)?;
                } ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_load_lane ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name { memarg, lane } => {
                    let src = self.pop()?.slot();
                    let addr = self.pop()?.slot();
                    let dst = self.push(ValType::V128)?.cell as Slot;
                    let fast = Op::$name { dst, addr, src, lane: u16::from(lane) };
                    self.simd_access(&memarg, fast, true)?;
                } ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_store_lane ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name { memarg, lane } => {
                    let value = self.pop()?.slot();
                    let addr = self.pop()?.slot();
                    let offset = memarg.offset as u32;
                    let fast = Op::$name { addr, value, lane: u16::from(lane), offset };
                    self.simd_access(&memarg, fast, false)?;
                } ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_shuffle ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name { lanes } => {
                    let rhs = self.pop()?.slot();
                    let lhs = self.pop()?.slot();
                    let dst = self.push(ValType::V128)?.cell as Slot;
                    let word = |i: usize| {
                        u32::from_le_bytes([lanes[i], lanes[i + 1], lanes[i + 2], lanes[i + 3]])
                    };
                    self.emit(Op::$name { dst, lhs, rhs, lanes: word(0) });
                    for i in [4, 8, 12] {
                        self.emit(Op::Param { value: word(i) });
                    }
                } ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_extract ($fn:ident : $r:ident, $n:literal) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name { lane } => {
                    let src = self.pop()?.slot();
                    let dst = self.push(vt!($r))?.cell as Slot;
                    self.emit(Op::$name { dst, src, lane: u16::from(lane) });
                } ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_replace ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name { lane } => {
                    let value = self.pop()?.slot();
                    let src = self.pop()?.slot();
                    let dst = self.push(ValType::V128)?.cell as Slot;
                    self.emit(Op::$name { dst, src, value, lane: u16::from(lane) });
                } ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_splat ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name => self.simd_unary(ValType::V128, |dst, src| Op::$name { dst, src })?, ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_unary ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name => self.simd_unary(ValType::V128, |dst, src| Op::$name { dst, src })?, ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_test ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name => self.simd_unary(ValType::I32, |dst, src| Op::$name { dst, src })?, ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_binary ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name => self.simd_binary(|dst, lhs, rhs| Op::$name { dst, lhs, rhs })?, ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_shift ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name => self.simd_binary(|dst, lhs, rhs| Op::$name { dst, lhs, rhs })?, ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_ternary ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name => {
                    let c = self.pop()?.slot();
                    let b = self.pop()?.slot();
                    let a = self.pop()?.slot();
                    let dst = self.push(ValType::V128)?.cell as Slot;
                    self.emit(Op::$name { dst, a, b, c });
                } ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } $family:ident $(($($sem:tt)*))? ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)*] $($rest)*)
            };
            ($($all:tt)*) => {
                simd_arms!(@acc [] $($all)*)
            };
        }
        crate::for_each_op!(simd_arms);
        Ok(true)
    }

    fn simd_unary(
        &mut self,
        result: ValType,
        make: impl FnOnce(Slot, Slot) -> Op,
    ) -> Result<(), LowerError> {
        let src = self.pop()?.slot();
        let dst = self.push(result)?.cell as Slot;
        self.emit(make(dst, src));
        Ok(())
    }

    fn simd_binary(&mut self, make: impl FnOnce(Slot, Slot, Slot) -> Op) -> Result<(), LowerError> {
        let rhs = self.pop()?;
        let (rhs, rhs_is_v128) = (rhs.slot(), rhs.ty == ValType::V128);
        let lhs = self.pop()?.slot();
        let dst = self.push(ValType::V128)?.cell as Slot;
        // A constant right operand (`f64x2.max(x, v128.const ...)`, not a shift count) in a
        // loop reads constant slots instead of being rebuilt on every iteration.
        let rhs = if rhs_is_v128 { self.v128_const_operand(rhs).unwrap_or(rhs) } else { rhs };
        self.emit(make(dst, lhs, rhs));
        Ok(())
    }

    /// `v128.const`: the low half into the result's first cell, the high half into its second.
    fn v128_const(&mut self, value: u128) -> Result<(), LowerError> {
        let dst = self.push(ValType::V128)?.cell as Slot;
        for (slot, half) in [(dst, value as u64), (dst + 1, (value >> 64) as u64)] {
            self.emit(if half >> 32 == 0 {
                Op::Const32 { dst: slot, value: half as u32 }
            } else {
                Op::Const64 { dst: slot, lo: half as u32, hi: (half >> 32) as u32 }
            });
        }
        Ok(())
    }
}

/// The named-memory form of the fast SIMD access `op` on memory `mem`, and whether it is a lane
/// form (whose offset takes two `Param`s, low half first; the others keep the low half in
/// the instruction and take one `Param`, the high half).
fn named_simd(op: Op, mem: u16) -> Option<(Op, bool)> {
    macro_rules! named {
        (loads: $($l:ident => $lm:ident),* ; stores: $($s:ident => $sm:ident),* ;
         load_lanes: $($ll:ident => $llm:ident),* ; store_lanes: $($sl:ident => $slm:ident),*) => {
            match op {
                $(Op::$l { dst, addr, offset } => Some((Op::$lm { dst, addr, memory: mem, offset }, false)),)*
                $(Op::$s { addr, value, offset } => Some((Op::$sm { addr, value, memory: mem, offset }, false)),)*
                $(Op::$ll { dst, addr, src, lane } => Some((Op::$llm { dst, addr, src, lane, memory: mem }, true)),)*
                $(Op::$sl { addr, value, lane, .. } => Some((Op::$slm { addr, value, lane, memory: mem }, true)),)*
                _ => None,
            }
        };
    }
    named!(
        loads: V128Load => V128LoadM, V128Load8x8S => V128Load8x8SM, V128Load8x8U => V128Load8x8UM,
        V128Load16x4S => V128Load16x4SM, V128Load16x4U => V128Load16x4UM,
        V128Load32x2S => V128Load32x2SM, V128Load32x2U => V128Load32x2UM,
        V128Load8Splat => V128Load8SplatM, V128Load16Splat => V128Load16SplatM,
        V128Load32Splat => V128Load32SplatM, V128Load64Splat => V128Load64SplatM,
        V128Load32Zero => V128Load32ZeroM, V128Load64Zero => V128Load64ZeroM;
        stores: V128Store => V128StoreM;
        load_lanes: V128Load8Lane => V128Load8LaneM, V128Load16Lane => V128Load16LaneM,
        V128Load32Lane => V128Load32LaneM, V128Load64Lane => V128Load64LaneM;
        store_lanes: V128Store8Lane => V128Store8LaneM, V128Store16Lane => V128Store16LaneM,
        V128Store32Lane => V128Store32LaneM, V128Store64Lane => V128Store64LaneM
    )
}

/// The `v128` result slot of the SIMD instruction `op`, if it writes its result (both cells)
/// after reading all its operands and takes no trailing `Param`s: then its destination may be
/// changed, so a `local.set` of its result writes the local directly instead of copying it.
/// (It still leaves the accumulator alone, so it stays out of `dst_mut`.)
pub(super) fn v128_dst_mut(op: &mut Op) -> Option<&mut Slot> {
    if op.opcode().trailing_params() != 0 {
        return None;
    }
    macro_rules! dst_of {
        ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
            match op {
                $( Op::$name { .. } => dst_of!(@family $family op $name), )*
            }
        };
        (@family v_binary $op:ident $name:ident) => { dst_of!(@dst $op $name) };
        (@family v_unary $op:ident $name:ident) => { dst_of!(@dst $op $name) };
        (@family v_shift $op:ident $name:ident) => { dst_of!(@dst $op $name) };
        (@family v_splat $op:ident $name:ident) => { dst_of!(@dst $op $name) };
        (@family v_ternary $op:ident $name:ident) => { dst_of!(@dst $op $name) };
        (@family v_replace $op:ident $name:ident) => { dst_of!(@dst $op $name) };
        (@family v_load $op:ident $name:ident) => { dst_of!(@dst $op $name) };
        (@family $other:ident $op:ident $name:ident) => { None };
        (@dst $op:ident $name:ident) => {
            match $op {
                Op::$name { dst, .. } => Some(dst),
                _ => None,
            }
        };
    }
    crate::for_each_op!(dst_of)
}
