//! Tail calls (`return_call`, `return_call_indirect`): the callee takes over the running frame.
//!
//! A tail call pushes no [`Frame`](super::Frame): the callee's arguments, which the caller
//! left at `fp + base..`, move down to `fp..` (front to back: the destination never lies above
//! the source, so overlapping regions copy correctly), the callee's declared locals are zeroed
//! (they may hold the caller's values), the stack grows if the callee's frame is larger, and
//! the callee's results land at `fp..`, where the caller's caller expects the results of the
//! frame it entered. So the frame depth and the native stack stay constant however long a
//! chain of tail calls runs, and `max_call_depth` bounds only real nesting.
//!
//! A tail call to a host function moves the arguments the same way, runs the host function
//! from the driver with its frame at `fp`, then returns from the frame as `Return` does
//! ([`return_after_host`]).

use super::{CodeRef, Ctx, ZERO_CHUNK, locals_range, reserve, zero_inline, zero_locals};
use fayasm_core::{Cell, TrapCode};
use fayasm_ir::Op;

/// The fast path of a tail call to `callee` (defined function `def` of the current instance)
/// whose arguments start at slot `base`: taken only when the stack already has room for the
/// callee's frame, so it never calls out (no growth, no `memmove`/`memset`). Returns false,
/// having changed nothing, otherwise. The frame pointer and the stack buffer do not move, so
/// the handler's frame pointer stays valid.
#[inline(always)]
pub(super) fn enter_fast(
    cx: &mut Ctx<'_>,
    ip: &mut *const Op,
    callee: CodeRef,
    base: usize,
    def: u32,
) -> bool {
    let fp = cx.st.fp;
    // Room for the frame and for `zero_inline`'s last chunk past it.
    if fp + callee.frame_cells as usize + ZERO_CHUNK > cx.stack.len() {
        return false;
    }
    let n = callee.param_cells as usize;
    let stack = cx.stack.as_mut_ptr();
    debug_assert!(fp + base + n <= cx.stack.len());
    for i in 0..n {
        // SAFETY: the arguments `fp + base + i` lie in the caller's reserved frame (the lowering
        // puts them below its `frame_cells`), and `fp + i <= fp + base + i`. A volatile store,
        // so the few arguments are moved inline rather than by a call to `memmove`; reading
        // `i` before writing `i` is a correct overlapping move downwards.
        unsafe { stack.add(fp + i).write_volatile(stack.add(fp + base + i).read()) };
    }
    let (lo, hi) = locals_range(fp, &callee);
    // SAFETY: `lo <= hi <= fp + frame_cells` and `fp + frame_cells + ZERO_CHUNK <=
    // stack.len()` (checked above); past the locals nothing is live any more (the caller's
    // frame is replaced and its arguments were moved above).
    unsafe { zero_inline(stack, lo, hi) };
    cx.st.code = callee;
    cx.st.def = def;
    *ip = callee.ops.as_ptr();
    true
}

/// The full path of a tail call to `callee` (defined function `def` of the current instance
/// or of the instance the caller switches to right after): grows the stack for the callee's
/// frame, moves the arguments, zeroes the declared locals. The caller re-derives its frame
/// pointer (the stack may have moved).
#[inline(never)]
pub(super) fn enter(
    cx: &mut Ctx<'_>,
    ip: &mut *const Op,
    callee: CodeRef,
    base: usize,
    def: u32,
) -> Result<(), TrapCode> {
    let fp = cx.st.fp;
    reserve(cx.stack, fp + callee.frame_cells as usize, cx.st.max_cells)?;
    move_args(cx.stack, fp, base, callee.param_cells as usize);
    zero_locals(cx.stack, fp, &callee);
    cx.st.code = callee;
    cx.st.def = def;
    *ip = callee.ops.as_ptr();
    Ok(())
}

/// Moves `n` argument cells from `fp + base..` to `fp..` (overlapping is fine).
#[inline]
fn move_args(stack: &mut [Cell], fp: usize, base: usize, n: usize) {
    if base != 0 && n != 0 {
        stack.copy_within(fp + base..fp + base + n, fp);
    }
}

/// Prepares a tail call to host function `addr` (store address) whose arguments start at
/// slot `base`: moves them to the frame's start and records the pending call for the driver.
#[cold]
#[inline(never)]
pub(super) fn to_host(cx: &mut Ctx<'_>, addr: u32, base: usize) {
    let fp = cx.st.fp;
    let n = cx.inner.func_type(addr).param_cells() as usize;
    move_args(cx.stack, fp, base, n);
    cx.st.host = Some((addr, fp));
    cx.st.host_tail = true;
}

/// After a host function that was tail-called returned (its results at `fp..`): returns from
/// the current frame as `Return` does. False if that frame was the entry function's, so
/// execution is done.
#[cold]
#[inline(never)]
pub(super) fn return_after_host(cx: &mut Ctx<'_>) -> bool {
    match cx.st.frames.pop() {
        None => false,
        Some(f) => {
            cx.st.code = f.code;
            cx.st.ip = f.ip;
            cx.st.fp = f.fp;
            cx.st.def = f.def;
            if f.instance != cx.st.inst {
                cx.enter_instance(f.instance);
            }
            true
        }
    }
}

/// The store address of the function at element `index` of table `table` of the current
/// instance, checked against type `ty` (an index of the current instance's types): the traps
/// of `call_indirect`.
#[inline(never)]
pub(super) fn indirect_target(
    cx: &mut Ctx<'_>,
    index: u32,
    table: u16,
    ty: u32,
) -> Result<u32, TrapCode> {
    let inst = &cx.inner.instances[cx.st.inst as usize];
    let t = &cx.inner.tables[inst.tables[usize::from(table)] as usize];
    let cell = *t.elems.get(index as usize).ok_or(TrapCode::UndefinedElement)?;
    if cell == 0 {
        return Err(TrapCode::UninitializedElement);
    }
    let addr = (cell - 1) as u32;
    if cx.inner.funcs[addr as usize].ty() != inst.types[ty as usize] {
        return Err(TrapCode::IndirectCallTypeMismatch);
    }
    Ok(addr)
}
