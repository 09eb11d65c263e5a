//! Lowering of the SIMD operators (issue #8), generated from the SIMD section of the ISA list.
//!
//! A `v128` takes two cells; every SIMD instruction reads all its operands before it writes its
//! result, so a result may overlap its operands' stack slots. Nothing here fuses: SIMD
//! instructions never read the accumulator and are never retargeted (see `dst_mut`), so the
//! scalar fusions around them see an instruction they do not know and leave it alone.
//! `v128.const` is two `Const64`s (or `Const32`s), one per half.

use super::{LowerError, Lowerer};
use crate::isa::{Op, Slot};
use fayasm_core::ValType;
use wasmparser::Operator;

impl Lowerer<'_> {
    /// The memarg offset of a SIMD access. SIMD accesses run on memory 0's fast path only, so
    /// an access to another memory or to a 64-bit memory is refused here with a clear error
    /// (instead of being run with a truncated address).
    fn simd_mem_offset(&self, memarg: &wasmparser::MemArg) -> Result<u32, LowerError> {
        if !self.fast_access(memarg.memory) {
            return Err(self.error(
                "SIMD accesses of a memory other than a 32-bit memory 0 are not supported yet",
            ));
        }
        self.mem_offset(memarg)
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
                    let offset = self.simd_mem_offset(&memarg)?;
                    let addr = self.pop()?.slot();
                    let dst = self.push(ValType::V128)?.cell as Slot;
                    self.emit(Op::$name { dst, addr, offset });
                } ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_store ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name { memarg } => {
                    let offset = self.simd_mem_offset(&memarg)?;
                    let value = self.pop()?.slot();
                    let addr = self.pop()?.slot();
                    self.emit(Op::$name { addr, value, offset });
                } ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_load_lane ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name { memarg, lane } => {
                    let offset = self.simd_mem_offset(&memarg)?;
                    let src = self.pop()?.slot();
                    let addr = self.pop()?.slot();
                    let dst = self.push(ValType::V128)?.cell as Slot;
                    self.emit(Op::$name { dst, addr, src, lane: u16::from(lane) });
                    self.emit(Op::Param { value: offset });
                } ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } v_store_lane ($($sem:tt)*) ; $($rest:tt)*) => {
                simd_arms!(@acc [$($arms)* Operator::$name { memarg, lane } => {
                    let offset = self.simd_mem_offset(&memarg)?;
                    let value = self.pop()?.slot();
                    let addr = self.pop()?.slot();
                    self.emit(Op::$name { addr, value, lane: u16::from(lane), offset });
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
        let rhs = self.pop()?.slot();
        let lhs = self.pop()?.slot();
        let dst = self.push(ValType::V128)?.cell as Slot;
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
