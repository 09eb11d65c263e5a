//! The portable backend: one loop, one `match` per instruction.
//!
//! Trade-off: a single indirect branch dispatches every instruction, which the branch
//! predictor handles worse than the tail backend's one-branch-per-handler, but it needs no
//! sibling-call optimisation, so it is correct in debug builds and on every target (the tail
//! backend's fallback, and the choice on Xtensa/ESP32).

use super::{
    AccTy, CellTy, CodeRef, Ctx, Exit, FloatAcc, FloatImm, Frame, code_in, effective, enter_fast,
    is_float, memories, miss_now, range_ok, reserve, tail_call, zero_locals,
};
use crate::externals::{grow_memory, grow_table};
use crate::store::FuncEntity;
use alloc::sync::Arc;
use alloc::vec::Vec;
use fayasm_core::{Cell, TrapCode, num};
use fayasm_ir::Op;

/// A taken conditional branch has nothing more to do: the loop dispatches from `ip`.
macro_rules! dispatch_taken {
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident) => {};
}

/// The loop has no out-of-line twins: a handler's fast path falls through to its full one.
macro_rules! divert {
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident) => {};
}

/// Runs from `cx.st.ip` until the entry function returns, a trap, an error or a host call.
#[allow(unused_assignments, reason = "not every path reads the accumulator a handler leaves")]
pub(super) fn run(cx: &mut Ctx<'_>) -> Exit {
    let mut ip = cx.st.ip;
    let mut sp = cx.sp();
    // The value the last instruction wrote (see the accumulator in `fayasm_ir::isa`).
    let mut acc: Cell = 0;
    // The float accumulators (see `FloatAcc`).
    let mut fa = FloatAcc::default();
    // Call and return handlers try their fast path first (see `enter_fast`).
    const FAST_PATH: bool = true;
    // The memory view (see `MemView`); handlers that change `cx.st.view` update it.
    let mut mem = cx.st.view;
    macro_rules! dispatch {
        ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
            loop {
                debug_assert!(ip >= cx.st.code.ops.as_ptr() && ip < cx.st.code.ops.as_ptr().wrapping_add(cx.st.code.ops.len()));
                debug_assert!(mem == cx.st.view, "stale memory view");
                debug_assert!(cx.table0_current(), "stale table 0 view");
                // SAFETY: `ip` points into `code.ops` (see the safety model on `execute`).
                let op = unsafe { *ip };
                // SAFETY: every function ends in a terminator, so `ip + 1` is in `ops` or one past it.
                ip = unsafe { ip.add(1) };
                match op {
                    $( Op::$name { $($field),* } => dispatch!(@arm $family $name [$($field)*] $(($($sem)*))?), )*
                }
            }
        };
        (@arm control $name:ident [$($field:ident)*]) => { handler!(cx ip sp acc fa mem; control $name [$($field)*]) };
        (@arm $family:ident $name:ident [$($field:ident)*] ($($sem:tt)*)) => {
            handler!(cx ip sp acc fa mem; $family $name [$($field)*] ($($sem)*))
        };
    }
    fayasm_ir::for_each_op!(dispatch)
}
