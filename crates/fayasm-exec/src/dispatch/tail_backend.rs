//! The tail-call backend: each instruction's handler is its own function, and every simple
//! handler ends by calling the next instruction's handler, found in [`HANDLERS`] by opcode, in
//! tail position. Optimised builds turn those calls into jumps (sibling calls), so each handler
//! carries its own indirect branch and the predictor learns instruction pairs.
//!
//! Trade-off: it relies on the sibling-call optimisation, which debug builds do not perform and
//! some targets (Xtensa) do not support, so `build.rs` enables it (cfg `fayasm_tail_dispatch`)
//! only for optimised builds on x86_64 and aarch64. Same-module calls (`CallInternal`) and
//! returns stay in the chain: their rare paths (lazy lowering, stack growth) are out-of-line
//! functions, so the handler itself is still a sibling call. Instructions that may call out or
//! do bulk work (`Call`, `CallIndirect`, memory growth, bulk and table operations) return
//! [`Exit::Continue`] to the trampoline in [`run`] instead of tail-calling.
//! `tests/all/dispatch.rs` runs every kind of handler, calls and returns included, in long
//! loops on a thread with a small native stack to catch a handler that stopped tail-calling.
//!
//! A conditional branch dispatches from inside its taken arm (`dispatch_taken!`), so it has two
//! indirect jumps, each predicted on its own, and the next instruction pointer never waits on
//! the compare through a conditional move.

use super::{
    AccTy, CellTy, CodeRef, Ctx, Exit, FloatAcc, FloatImm, Frame, MemView, code_in, effective,
    enter_fast, is_float, memories, miss_now, range_ok, reserve, tail_call, zero_locals,
};
use crate::externals::{grow_memory, grow_table};
use crate::store::FuncEntity;
use alloc::sync::Arc;
use alloc::vec::Vec;
use fayasm_core::{Cell, TrapCode, num};
use fayasm_ir::{Op, OpCode};

/// A handler: context, instruction pointer (at this handler's instruction), frame pointer,
/// accumulator (the value the previous instruction wrote), the base of memory 0 and the float
/// accumulator ([`FloatAcc`]). On x86_64 and aarch64 all six travel in argument registers
/// (five integer, one float). Six is also the most for which x86_64 LLVM folds the load of the
/// next handler's address into the tail jump (`jmp *(table, opcode, 8)`), so the length of
/// memory 0 is read from the context ([`MemView`] in `State::view`) where a bounds check needs
/// it, not passed.
type Handler = unsafe fn(&mut Ctx<'_>, *const Op, *mut Cell, Cell, *mut u8, f64) -> Exit;

/// Runs from `cx.st.ip` until the entry function returns, a trap, an error or a host call.
pub(super) fn run(cx: &mut Ctx<'_>) -> Exit {
    loop {
        let ip = cx.st.ip;
        let sp = cx.sp();
        let mem = cx.st.view;
        // SAFETY: `ip` points into the current function's `ops` (see the safety model on
        // `execute`), `sp` at its reserved frame, and `mem` is the current memory view.
        match unsafe { next(cx, ip, sp, 0, mem, FloatAcc::default()) } {
            Exit::Continue => {}
            other => return other,
        }
    }
}

/// Calls the handler of the instruction at `ip`.
///
/// # Safety
/// `ip` points into the current function's `ops`, `sp` at its reserved frame, and `mem` is
/// the current memory view ([`super::State::view`]).
#[inline(always)]
unsafe fn next(
    cx: &mut Ctx<'_>,
    ip: *const Op,
    sp: *mut Cell,
    acc: Cell,
    mem: MemView,
    fa: FloatAcc,
) -> Exit {
    debug_assert!(mem == cx.st.view, "stale memory view");
    debug_assert!(cx.table0_current(), "stale table 0 view");
    // SAFETY: the caller guarantees `ip` points at an instruction; `Op` is `#[repr(u16)]`, so
    // its first two bytes are the opcode.
    let opcode = unsafe { *ip.cast::<u16>() } as usize;
    // SAFETY: `opcode` is a valid `OpCode`, so it indexes the table, and the handler's
    // contract is the caller's.
    unsafe { HANDLERS.get_unchecked(opcode)(cx, ip, sp, acc, mem.ptr, fa.0) }
}

/// A taken conditional branch dispatches right away, from its own jump site (see `taken!`).
///
/// The empty `asm!` is a barrier, not an instruction: without it LLVM may sink the two
/// identical dispatch sequences (taken and fall-through) into one and turn the choice of the
/// next instruction pointer into a `cmov`, which makes every following instruction wait for
/// the compare. It did so in builds with several codegen units (a plain `cargo build
/// --release`). An `asm!` block counts as a side effect that LLVM may neither speculate nor
/// merge, so the taken arm stays a real branch with its own indirect jump.
/// `cargo xtask check-codegen` checks the result.
macro_rules! dispatch_taken {
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident) => {
        // SAFETY: an empty assembly block: no instructions, no memory, stack or flags touched.
        unsafe { core::arch::asm!("", options(nomem, nostack, preserves_flags)) };
        // SAFETY: `ip` is the branch target inside the current function, `sp` its frame and
        // `mem` the current view.
        return unsafe { next($cx, $ip, $sp, $acc, $mem, $fa) }
    };
}

/// Leaves a handler's fast path for its full one: a tail call to the handler's out-of-line
/// `slow` twin (the same body with `FAST_PATH` off), at this same instruction. Call and
/// return handlers take it when they would need to grow a stack, lower code or switch
/// instance, so their fast paths contain no calls and save no registers.
macro_rules! divert {
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident) => {
        // SAFETY: `ip` is one past this handler's instruction, which `slow` runs again from
        // the start; the fast path has changed nothing yet. `sp` and `mem` are current.
        return unsafe { slow($cx, $ip.sub(1), $sp, $acc, $mem.ptr, $fa.0) }
    };
}

macro_rules! handlers {
    ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
        $(
            #[allow(non_snake_case, reason = "one module per instruction, named after it")]
            mod $name {
                use super::*;

                /// The handler of this instruction.
                ///
                /// # Safety
                /// `ip` points at an instruction of this kind inside the current function's
                /// `ops`, `sp` at the current reserved frame, and `mem_base` is the base of the current memory
                /// view.
                #[allow(unreachable_code, reason = "handlers that always leave (Unreachable) never reach their continuation")]
                #[allow(unused_assignments, reason = "handlers that return to the trampoline drop the accumulator")]
                #[allow(unused_variables, reason = "simple handlers never touch the context")]
                pub(super) unsafe fn handle(cx: &mut Ctx<'_>, ip: *const Op, sp: *mut Cell, acc: Cell, mem_base: *mut u8, fa: f64) -> Exit {
                    // SAFETY: guaranteed by the caller.
                    unsafe { body::<true>(cx, ip, sp, acc, mem_base, fa) }
                }

                /// The handler's full path, which the fast path of a call or return
                /// `divert!`s to; the other handlers never use it.
                ///
                /// # Safety
                /// As for `handle`.
                #[cold]
                #[inline(never)]
                #[allow(dead_code, reason = "only call and return handlers divert here")]
                unsafe fn slow(cx: &mut Ctx<'_>, ip: *const Op, sp: *mut Cell, acc: Cell, mem_base: *mut u8, fa: f64) -> Exit {
                    // SAFETY: guaranteed by the caller.
                    unsafe { body::<false>(cx, ip, sp, acc, mem_base, fa) }
                }

                /// The body of `handle` (with its fast path) and of `slow` (without).
                ///
                /// # Safety
                /// As for `handle`.
                #[inline(always)]
                #[allow(unreachable_code, reason = "handlers that always leave (Unreachable) never reach their continuation")]
                #[allow(unused_assignments, reason = "handlers that return to the trampoline drop the accumulator")]
                #[allow(unused_variables, reason = "simple handlers never touch the context")]
                unsafe fn body<const FAST_PATH: bool>(cx: &mut Ctx<'_>, ip: *const Op, sp: *mut Cell, acc: Cell, mem_base: *mut u8, fa: f64) -> Exit {
                    // SAFETY: guaranteed by the caller.
                    let op = unsafe { *ip };
                    let Op::$name { $($field),* } = op else {
                        debug_assert!(false, "handler {} called for {:?}", stringify!($name), op);
                        // SAFETY: `next` only calls the handler registered for the opcode.
                        unsafe { core::hint::unreachable_unchecked() }
                    };
                    #[allow(unused_mut, unused_assignments, reason = "only branches, calls and returns move them")]
                    let mut sp = sp;
                    // SAFETY: every function ends in a terminator, so `ip + 1` is in `ops` or
                    // one past it.
                    #[allow(unused_mut, unused_assignments, reason = "only branches, calls and returns move them")]
                    let mut ip = unsafe { ip.add(1) };
                    #[allow(unused_mut, unused_assignments, reason = "only slot-writing handlers change it")]
                    let mut acc = acc;
                    #[allow(unused_mut, unused_assignments, reason = "only growth, bulk operations and instance switches change it")]
                    let mut mem = MemView { ptr: mem_base, ..cx.st.view };
                    #[allow(unused_mut, unused_assignments, reason = "only float-computing handlers change it")]
                    let mut fa = FloatAcc(fa);
                    handlers!(@arm cx ip sp acc fa mem $family $name [$($field)*] $(($($sem)*))?);
                    // A constant condition: each handler keeps one of the two arms.
                    if const { OpCode::$name.leaves_chain() } {
                        cx.st.ip = ip;
                        let _ = sp;
                        return Exit::Continue;
                    }
                    // SAFETY: the handler left `ip` at the next instruction of the current
                    // function and `sp` at its frame.
                    return unsafe { next(cx, ip, sp, acc, mem, fa) };
                }
            }
        )*

        /// Handlers indexed by opcode.
        static HANDLERS: [Handler; OpCode::ALL.len()] = [$($name::handle,)*];
    };
    (@arm $cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident control $name:ident [$($field:ident)*]) => {
        handler!($cx $ip $sp $acc $fa $mem; control $name [$($field)*])
    };
    (@arm $cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident $family:ident $name:ident [$($field:ident)*] ($($sem:tt)*)) => {
        handler!($cx $ip $sp $acc $fa $mem; $family $name [$($field)*] ($($sem)*))
    };
}
fayasm_ir::for_each_op!(handlers);
