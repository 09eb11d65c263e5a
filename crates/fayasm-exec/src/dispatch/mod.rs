//! The interpreter: runs microcode over a value stack of 64-bit cells.
//!
//! Two dispatch backends execute the same handlers (the `handler!` macro below, one arm per
//! control instruction and one per numeric family):
//! - [`loop_backend`]: the portable loop, one `match` per instruction. Works everywhere,
//!   including targets without guaranteed sibling calls (Xtensa/ESP32) and debug builds.
//! - `tail_backend` (cfg `fayasm_tail_dispatch`, set by `build.rs` for optimised builds on
//!   x86_64 and aarch64): every simple handler ends by jumping to the next instruction's
//!   handler through a table indexed by opcode, so each handler has its own indirect branch for
//!   the predictor. Indirect and cross-module calls, memory growth, bulk and table operations
//!   leave the chain and return to a trampoline; same-module calls and returns stay in it.
//!
//! Handlers receive the context, the instruction pointer, the frame pointer, the accumulator
//! (the value the previous instruction wrote, see `fayasm_ir::isa`), the base of memory 0 (its
//! length is read from the context, [`MemView`]) and the float accumulator ([`FloatAcc`]),
//! all in registers.
//!
//! Wasm calls push a [`Frame`] on a heap-allocated frame stack instead of recursing natively, so
//! the configured call depth, not the native stack, bounds recursion. Host functions are called
//! from the generic driver [`execute`], outside the dispatch chain.

use crate::code::ExecCode;
use crate::error::{Error, Trap};
use crate::func::{Caller, HostCall};
use crate::store::{FuncEntity, GlobalEntity, StoreInner};
use crate::{Instance, Store};
use alloc::sync::Arc;
use alloc::vec::Vec;
use fayasm_core::{Cell, TrapCode, Value};
use fayasm_ir::Op;

/// A suspended caller.
struct Frame {
    code: CodeRef,
    ip: *const Op,
    fp: usize,
    instance: u32,
    /// Index of the function among its module's defined functions.
    def: u32,
}

/// A borrowed pointer to lowered code owned by a module cache (`code_cache.rs`).
///
/// Invariant: the code cache never drops code that a frame refers to: before it evicts it
/// marks the functions of every frame of the running interpreter (passed to [`lower_now`]),
/// its current function, and every frame suspended under a host call
/// (`StoreInner::suspended`), and evicts none of those. So the cache's `Arc` keeps the code
/// alive for as long as any frame or `State::code` points at it. A raw pointer instead of an
/// `Arc` clone keeps two atomic operations off every call.
#[derive(Clone, Copy)]
struct CodeRef(*const ExecCode);

impl core::ops::Deref for CodeRef {
    type Target = ExecCode;
    #[inline(always)]
    fn deref(&self) -> &ExecCode {
        // SAFETY: see the invariant on `CodeRef`: the code slot's `Arc` outlives every use.
        unsafe { &*self.0 }
    }
}

/// Conversion between a cell and a Rust scalar.
trait CellTy: Sized {
    fn from_cell(c: Cell) -> Self;
    fn into_cell(self) -> Cell;
}

macro_rules! cell_ty {
    ($($t:ty: |$c:ident| $from:expr, |$v:ident| $into:expr;)*) => {$(
        impl CellTy for $t {
            #[inline(always)]
            fn from_cell($c: Cell) -> Self { $from }
            #[inline(always)]
            fn into_cell(self) -> Cell { let $v = self; $into }
        }
    )*};
}

cell_ty! {
    i32: |c| c as u32 as i32, |v| u64::from(v as u32);
    u32: |c| c as u32, |v| u64::from(v);
    i64: |c| c as i64, |v| v as u64;
    u64: |c| c, |v| v;
    f32: |c| f32::from_bits(c as u32), |v| u64::from(v.to_bits());
    f64: |c| f64::from_bits(c), |v| v.to_bits();
}

/// The float accumulator: the f32 or f64 the last float-computing instruction left (see
/// `OpCode::sets_float_acc`), kept in a float register so a float value passes from one
/// instruction to the next without crossing into an integer register. An f64 fills it; an f32
/// sits in its low 32 bits. It is meaningful only right after such an instruction; the
/// lowering guarantees that a float accumulator form follows one, of the same width.
#[derive(Clone, Copy, Default)]
#[repr(transparent)]
struct FloatAcc(f64);

impl FloatAcc {
    #[inline(always)]
    fn f64(self) -> f64 {
        self.0
    }

    #[inline(always)]
    fn set_f64(&mut self, v: f64) {
        self.0 = v;
    }

    /// The f32 in the low 32 bits (with SSE2, the register's low lane, read in place).
    #[inline(always)]
    fn f32(self) -> f32 {
        f32::from_bits(self.0.to_bits() as u32)
    }

    /// Puts an f32 in the low 32 bits; the upper ones are don't-care. With SSE2 that is one
    /// in-register broadcast, where zero-extending the bits would cross into an integer
    /// register and back.
    #[inline(always)]
    fn set_f32(&mut self, v: f32) {
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        {
            use core::arch::x86_64::{_mm_castps_pd, _mm_cvtsd_f64, _mm_set1_ps};
            // SAFETY: SSE2 is enabled (cfg); these only move values between lanes.
            self.0 = unsafe { _mm_cvtsd_f64(_mm_castps_pd(_mm_set1_ps(v))) };
        }
        #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
        {
            self.0 = f64::from_bits(u64::from(v.to_bits()));
        }
    }
}

/// How a handler's operand type meets the accumulators: integers live in the integer one,
/// floats are read from and left in the float one.
/// Whether `T` is a float type (see `set_value!`).
#[inline(always)]
fn is_float<T: AccTy>(_: &T) -> bool {
    T::FLOAT
}

trait AccTy: CellTy {
    /// Whether values of this type live in the float accumulator.
    const FLOAT: bool = false;
    /// The accumulator operand of an accumulator form.
    #[inline(always)]
    fn from_acc(acc: Cell, _fa: FloatAcc) -> Self {
        Self::from_cell(acc)
    }
    /// Leaves a computed result in the float accumulator (floats only).
    #[inline(always)]
    fn keep(self, _fa: &mut FloatAcc) {}
}

impl AccTy for i32 {}
impl AccTy for u32 {}
impl AccTy for i64 {}
impl AccTy for u64 {}

impl AccTy for f32 {
    const FLOAT: bool = true;
    #[inline(always)]
    fn from_acc(_acc: Cell, fa: FloatAcc) -> Self {
        fa.f32()
    }
    #[inline(always)]
    fn keep(self, fa: &mut FloatAcc) {
        fa.set_f32(self);
    }
}

impl AccTy for f64 {
    const FLOAT: bool = true;
    #[inline(always)]
    fn from_acc(_acc: Cell, fa: FloatAcc) -> Self {
        fa.f64()
    }
    #[inline(always)]
    fn keep(self, fa: &mut FloatAcc) {
        fa.set_f64(self);
    }
}

/// A float immediate: f32 bits, widened exactly for f64 (the lowering only uses an f32
/// immediate for an f64 constant that converts back to the same bits).
trait FloatImm {
    fn from_imm(bits: u32) -> Self;
}

impl FloatImm for f32 {
    #[inline(always)]
    fn from_imm(bits: u32) -> Self {
        f32::from_bits(bits)
    }
}

impl FloatImm for f64 {
    #[inline(always)]
    fn from_imm(bits: u32) -> Self {
        f64::from(f32::from_bits(bits))
    }
}

/// The start of the byte range `[addr + offset, addr + offset + len)` if it lies within the
/// memory `view` shows; `len` is a power of two up to 16 (an access width).
///
/// One signed compare of the start with the view's last valid start for that width, so the
/// check adds no instruction to the address computation the access needs anyway.
#[inline(always)]
fn effective(addr: Cell, offset: u32, len: u64, view: &MemView) -> Option<usize> {
    debug_assert!(len.is_power_of_two() && len <= 16, "access width {len}");
    // At most 2^33 - 2: no overflow, and non-negative as an i64.
    let start = (u64::from(addr as u32) + u64::from(offset)) as i64;
    if start > view.last_start[len.trailing_zeros() as usize] { None } else { Some(start as usize) }
}

/// Bounds check of a bulk range `[start, start + len)` against `size`.
#[inline]
fn range_ok(start: u32, len: u32, size: usize) -> bool {
    u64::from(start) + u64::from(len) <= size as u64
}

/// Calls function `func` (store address) with parameters that `write` encodes into the first
/// `param_cells` cells of the value stack; `read` decodes the results from the first
/// `result_cells`. What [`crate::TypedFunc::call`] uses: no value slices, no allocation once
/// the store's stack is large enough. The caller has checked the types.
pub(crate) fn call_typed<T, R>(
    store: &mut Store<T>,
    func: u32,
    param_cells: usize,
    result_cells: usize,
    write: impl FnOnce(&mut [Cell]),
    read: impl FnOnce(&[Cell]) -> R,
) -> Result<R, Error> {
    let entity = store.inner.funcs[func as usize].clone();
    let mut stack = core::mem::take(&mut store.inner.stack);
    let max_cells = store.engine.config().max_stack_cells;
    let outcome = match reserve(&mut stack, param_cells + result_cells, max_cells) {
        Err(code) => Err(Trap::new(code).into()),
        Ok(()) => {
            write(&mut stack[..param_cells]);
            match entity {
                FuncEntity::Host { host, .. } => invoke_host(store, &mut stack, 0, host, None),
                FuncEntity::Wasm { instance, def, .. } => execute(store, &mut stack, instance, def),
            }
        }
    };
    let outcome = outcome.map(|()| read(&stack[..result_cells]));
    if stack.capacity() > store.inner.stack.capacity() {
        store.inner.stack = stack;
    }
    outcome
}

/// Calls function `func` (store address) with `params`, writing `results`. Arguments have been
/// checked against the signature.
pub(crate) fn call<T>(
    store: &mut Store<T>,
    func: u32,
    params: &[Value],
    results: &mut [Value],
) -> Result<(), Error> {
    let entity = store.inner.funcs[func as usize].clone();
    match entity {
        FuncEntity::Host { host, .. } => {
            let mut stack = core::mem::take(&mut store.inner.stack);
            let max_cells = store.engine.config().max_stack_cells;
            let outcome = (|| {
                let data = &store.host_funcs[host as usize];
                reserve(&mut stack, data.param_cells + data.result_cells, max_cells)?;
                let mut at = 0;
                for p in params {
                    p.write_cells(&mut stack[at..]);
                    at += p.ty().cells() as usize;
                }
                invoke_host(store, &mut stack, 0, host, None)
            })();
            if outcome.is_ok() {
                let mut at = 0;
                for (r, t) in results.iter_mut().zip(store.inner.func_type(func).results.iter()) {
                    *r = Value::from_cells(*t, &stack[at..]);
                    at += t.cells() as usize;
                }
            }
            if stack.capacity() > store.inner.stack.capacity() {
                store.inner.stack = stack;
            }
            outcome
        }
        FuncEntity::Wasm { instance, def, .. } => {
            let mut stack = core::mem::take(&mut store.inner.stack);
            let ty = store.inner.func_type(func).clone();
            let need = ty.param_cells().max(ty.result_cells()) as usize;
            if stack.len() < need {
                stack.resize(need, 0);
            }
            let mut at = 0;
            for p in params {
                p.write_cells(&mut stack[at..]);
                at += p.ty().cells() as usize;
            }
            let outcome = execute(store, &mut stack, instance, def);
            if outcome.is_ok() {
                let mut at = 0;
                for (r, t) in results.iter_mut().zip(ty.results.iter()) {
                    *r = Value::from_cells(*t, &stack[at..]);
                    at += t.cells() as usize;
                }
            }
            // Keep the larger of the two allocations for the next call.
            if stack.capacity() > store.inner.stack.capacity() {
                store.inner.stack = stack;
            }
            outcome
        }
    }
}

/// Why a function's code could not be had on the fast path.
enum Miss {
    /// Lowering or loading failed.
    Error(Error),
    /// The function has an entry hook that must run first (`hooks.rs`): the driver runs it
    /// and the call instruction runs again.
    Hook,
}

impl From<Error> for Miss {
    #[cold]
    fn from(e: Error) -> Miss {
        Miss::Error(e)
    }
}

/// The code of defined function `def` of `instance`, from its module cache's slot, or fetched
/// by [`lower_now`] (whose `frames` and `current` are the same).
#[inline(always)]
fn code_of(
    inner: &mut StoreInner,
    frames: &[Frame],
    current: Option<(u32, u32)>,
    instance: u32,
    def: u32,
) -> Result<CodeRef, Miss> {
    let cache = &mut inner.code_caches[inner.instances[instance as usize].cache as usize];
    match &cache.slots[def as usize] {
        Some(code) => {
            // Calls from the host and across instances count as hits (not the fast path).
            let code = CodeRef(Arc::as_ptr(code));
            cache.count_hit();
            Ok(code)
        }
        None => lower_now(inner, frames, current, instance, def),
    }
}

/// Fetches defined function `def` of `instance` from its module cache (resident, reloaded or
/// lowered; see `code_cache.rs`). `frames` and `current` (instance and function) are the
/// running interpreter's: the cache never evicts their code.
#[cold]
#[inline(never)]
fn lower_now(
    inner: &mut StoreInner,
    frames: &[Frame],
    current: Option<(u32, u32)>,
    instance: u32,
    def: u32,
) -> Result<CodeRef, Miss> {
    let cache = inner.instances[instance as usize].cache;
    if inner.code_caches[cache as usize].is_hooked(def)
        && inner.entry_hooked.contains(&(instance, def))
    {
        if inner.hook_pass == Some((instance, def)) {
            inner.hook_pass = None;
        } else {
            inner.hook_pending = Some((instance, def));
            return Err(Miss::Hook);
        }
    }
    let code = crate::code_cache::fetch(inner, cache, def, &mut |visit| {
        for f in frames {
            visit(f.instance, f.def);
        }
        if let Some((i, d)) = current {
            visit(i, d);
        }
    })?;
    // The cache keeps its own `Arc` (see the invariant on `CodeRef`).
    Ok(CodeRef(Arc::as_ptr(&code)))
}

/// [`code_of`] for a handler: the slot's code, or the slow path out of line ([`miss_now`]), so
/// the handler passes only the context and returns a register pair (no stack slot whose
/// address escapes, which would stop its tail call to the next handler).
#[inline(always)]
fn code_in(cx: &mut Ctx<'_>, instance: u32, def: u32) -> Result<CodeRef, Exit> {
    let cache = &mut cx.inner.code_caches[cx.inner.instances[instance as usize].cache as usize];
    match &cache.slots[def as usize] {
        Some(code) => {
            let code = CodeRef(Arc::as_ptr(code));
            cache.count_hit();
            Ok(code)
        }
        None => miss_now(cx, instance, def),
    }
}

/// The slow path of [`code_in`] and of `slot_code!`: [`lower_now`] with the running frames;
/// an error goes to [`State::error`] (`Exit::Error`), an entry hook to the driver
/// (`Exit::Hook`).
#[cold]
#[inline(never)]
fn miss_now(cx: &mut Ctx<'_>, instance: u32, def: u32) -> Result<CodeRef, Exit> {
    match lower_now(cx.inner, &cx.st.frames, Some((cx.st.inst, cx.st.def)), instance, def) {
        Ok(c) => Ok(c),
        Err(Miss::Error(e)) => {
            cx.st.error = Some(e);
            Err(Exit::Error)
        }
        Err(Miss::Hook) => Err(Exit::Hook),
    }
}

/// Makes sure the stack holds `end` cells, within the configured limit.
#[inline(always)]
fn reserve(stack: &mut Vec<Cell>, end: usize, max: usize) -> Result<(), TrapCode> {
    if end > stack.len() { grow_stack(stack, end, max) } else { Ok(()) }
}

#[cold]
#[inline(never)]
fn grow_stack(stack: &mut Vec<Cell>, end: usize, max: usize) -> Result<(), TrapCode> {
    if end > max {
        return Err(TrapCode::StackOverflow);
    }
    let new_len = end.max(stack.len() * 2).min(max);
    stack.resize(new_len, 0);
    Ok(())
}

/// The cells of the declared (non-parameter) locals of `code`'s frame at `fp`.
#[inline(always)]
fn locals_range(fp: usize, code: &ExecCode) -> (usize, usize) {
    (fp + code.param_cells as usize, fp + code.local_cells as usize)
}

/// Zeroes the declared locals (`param_cells..local_cells`) of a frame starting at `fp`.
#[inline(always)]
fn zero_locals(stack: &mut [Cell], fp: usize, code: &ExecCode) {
    let (lo, hi) = locals_range(fp, code);
    if hi > lo {
        stack[lo..hi].fill(0);
    }
}

/// How many cells [`zero_inline`] clears at once; the fast call path needs this many cells of
/// room past the callee's frame.
const ZERO_CHUNK: usize = 4;

/// Zeroes cells `lo..hi` of the stack at `base` inline, [`ZERO_CHUNK`] cells per store
/// (rounding `hi` up: cells past a callee's locals are its constant slots and temporaries,
/// which it writes before reading, and unused stack beyond its frame). Volatile stores, so
/// that the few locals a function usually has are not zeroed by a call to `memset` (which
/// would make the call handlers save registers); one chunk covers most functions' locals.
///
/// # Safety
/// `lo..hi` rounded up to a multiple of [`ZERO_CHUNK`] cells must lie inside the stack buffer
/// `base` points at, and hold nothing live past `hi`.
#[inline(always)]
unsafe fn zero_inline(base: *mut Cell, lo: usize, hi: usize) {
    let mut i = lo;
    while i < hi {
        for k in 0..ZERO_CHUNK {
            // SAFETY: the caller guarantees that `i .. i + ZERO_CHUNK` is inside the buffer.
            unsafe { base.add(i + k).write_volatile(0) };
        }
        i += ZERO_CHUNK;
    }
}

/// The fast path of entering defined function `def` of the current instance (`callee`) with
/// its frame at `new_fp`: taken only when the stack already has room for the frame and the
/// frame stack has spare capacity, so it never calls out (no growth, no `memset`) and call
/// handlers need no saved registers. Returns false, having changed nothing, otherwise; the
/// caller then takes the full path (in the tail backend, the handler's out-of-line `slow`
/// twin, see `divert!`).
#[inline(always)]
fn enter_fast(
    cx: &mut Ctx<'_>,
    ip: &mut *const Op,
    callee: CodeRef,
    new_fp: usize,
    def: u32,
) -> bool {
    let end = new_fp + callee.frame_cells as usize;
    let frames = &mut cx.st.frames;
    // Room for the frame and for `zero_inline`'s last chunk past it.
    if end + ZERO_CHUNK > cx.stack.len() || frames.len() == frames.capacity() {
        return false;
    }
    let (lo, hi) = locals_range(new_fp, &callee);
    // SAFETY: `lo <= hi <= end` and `end + ZERO_CHUNK <= stack.len()` (checked above), so
    // every chunk from `lo` below `hi` is inside the stack; nothing above the callee's locals
    // is live (its constant slots and temporaries are written before they are read, and the
    // new frame is the top one).
    unsafe { zero_inline(cx.stack.as_mut_ptr(), lo, hi) };
    let len = frames.len();
    // SAFETY: `len < capacity` (checked above), so slot `len` is allocated and unused; it is
    // initialised before the length covers it.
    unsafe {
        frames.as_mut_ptr().add(len).write(Frame {
            code: cx.st.code,
            ip: *ip,
            fp: cx.st.fp,
            instance: cx.st.inst,
            def: cx.st.def,
        });
        frames.set_len(len + 1);
    }
    cx.st.code = callee;
    cx.st.fp = new_fp;
    cx.st.def = def;
    *ip = callee.ops.as_ptr();
    true
}

#[cfg(not(fayasm_tail_dispatch))]
use loop_backend as backend;
#[cfg(fayasm_tail_dispatch)]
use tail_backend as backend;

/// Which dispatch backend this build runs.
pub(crate) const BACKEND: &str = if cfg!(fayasm_tail_dispatch) { "tail" } else { "loop" };

/// Linear memory 0 of the current instance as a raw view: base pointer and length.
///
/// Handlers receive it as an argument (two registers), so loads and stores do not reload it
/// from the context. Every handler that may move or resize the buffer or switch instance
/// (memory growth, bulk memory operations, calls and returns across instances) re-derives
/// [`State::view`] and updates its own copy; the tail backend's trampoline re-reads
/// [`State::view`] whenever it re-enters the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct MemView {
    ptr: *mut u8,
    len: usize,
    /// For each access width `1 << k` (`k` = 0..=4): the last start address at which an
    /// access of that width fits, `len - width` (negative when the memory is smaller), so a
    /// bounds check is one compare of the start address (see [`effective`]).
    last_start: [i64; 5],
}

impl MemView {
    const EMPTY: Self = Self::new(core::ptr::null_mut(), 0);

    const fn new(ptr: *mut u8, len: usize) -> Self {
        // A buffer is at most `isize::MAX` bytes, so `len` fits an i64.
        let len = len as i64;
        MemView {
            ptr,
            len: len as usize,
            last_start: [len - 1, len - 2, len - 4, len - 8, len - 16],
        }
    }
}

/// The view of memory `mem` (a store address), or an empty view without memory.
fn mem_view(inner: &mut StoreInner, mem: Option<usize>) -> MemView {
    match mem {
        Some(m) => {
            let bytes = &mut inner.memories[m].bytes;
            MemView::new(bytes.as_mut_ptr(), bytes.len())
        }
        None => MemView::EMPTY,
    }
}

/// Why the dispatch chain stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    /// The entry function returned.
    Done,
    /// Execution trapped.
    Trap(TrapCode),
    /// A lazily lowered function could not be lowered; the error is in [`State::error`].
    Error,
    /// A host function is to be called: [`State::host`] says which, [`State::ip`] where to go on.
    Host,
    /// An entry hook is to run (`StoreInner::hook_pending`); [`State::ip`] is the call
    /// instruction, which runs again once the hook allowed it.
    Hook,
    /// (tail backend) a complex instruction finished; continue at [`State::ip`].
    #[cfg_attr(
        not(fayasm_tail_dispatch),
        allow(dead_code, reason = "only the tail backend uses it")
    )]
    Continue,
}

/// Interpreter state that outlives one run of the dispatch chain.
struct State {
    frames: Vec<Frame>,
    code: CodeRef,
    /// Where to continue when (re-)entering the dispatch chain.
    ip: *const Op,
    fp: usize,
    inst: u32,
    /// The running function, as an index among its module's defined functions.
    def: u32,
    /// The current instance's code slots (`ModuleCache::slots` of its module), for
    /// `CallInternal`. That vector is sized when the cache is created and never resized, so its
    /// buffer does not move even when the store's cache list grows.
    code_slots: *const Option<Arc<ExecCode>>,
    mem: Option<usize>,
    /// The current view of `mem`; see [`MemView`].
    view: MemView,
    /// The elements of the current instance's table 0, for `call_indirect` (empty without
    /// one). Re-derived with the memory view and after `table.grow`; table contents change
    /// in place, only growth moves the buffer.
    table0: (*const Cell, usize),
    /// The current instance's type ids (`InstanceEntity::types`), for `call_indirect`.
    types: *const u32,
    /// The current instance's global addresses (`InstanceEntity::globals`, sized at
    /// instantiation and never resized), for `GlobalGet`/`GlobalSet`.
    inst_globals: *const u32,
    /// The store's globals (`StoreInner::globals`). That vector only grows when a global or an
    /// instance is created, which happens outside the dispatch chain (host code), so the
    /// driver re-derives this pointer every time it (re-)enters the chain.
    globals: *mut GlobalEntity,
    max_depth: usize,
    max_cells: usize,
    error: Option<Error>,
    /// A pending host call: store address of the function and the cell where its frame starts.
    host: Option<(u32, usize)>,
    /// The pending host call is a tail call: once it returns, the driver returns from the
    /// frame that made it (see `tail_call_addr!`).
    host_tail: bool,
}

/// What handlers operate on: the store's runtime state, the value stack and [`State`].
struct Ctx<'a> {
    inner: &'a mut StoreInner,
    stack: &'a mut Vec<Cell>,
    st: State,
}

impl Ctx<'_> {
    /// The current frame's base pointer.
    #[inline(always)]
    fn sp(&mut self) -> *mut Cell {
        debug_assert!(self.st.fp + self.st.code.frame_cells as usize <= self.stack.len());
        // SAFETY: fp + frame_cells cells of the current frame are reserved.
        unsafe { self.stack.as_mut_ptr().add(self.st.fp) }
    }

    /// Re-derives the raw memory view.
    #[inline]
    fn refresh_mem(&mut self) {
        self.st.view = mem_view(self.inner, self.st.mem);
    }

    /// Re-derives the pointers `GlobalGet`/`GlobalSet` use (see [`State::globals`]).
    #[inline]
    fn refresh_globals(&mut self) {
        self.st.inst_globals = self.inner.instances[self.st.inst as usize].globals.as_ptr();
        self.st.globals = self.inner.globals.as_mut_ptr();
    }

    /// Whether [`State::table0`] is current (debug builds check before every instruction).
    fn table0_current(&self) -> bool {
        let inst = &self.inner.instances[self.st.inst as usize];
        let now = match inst.tables.first() {
            Some(&t) => {
                let elems = &self.inner.tables[t as usize].elems;
                (elems.as_ptr(), elems.len())
            }
            None => (core::ptr::null(), 0),
        };
        now == self.st.table0 && self.st.types == inst.types.as_ptr()
    }

    /// Re-derives the pointers `CallIndirect` uses (see [`State::table0`], [`State::types`]).
    #[inline]
    fn refresh_tables(&mut self) {
        let inst = &self.inner.instances[self.st.inst as usize];
        self.st.types = inst.types.as_ptr();
        self.st.table0 = match inst.tables.first() {
            Some(&t) => {
                let elems = &self.inner.tables[t as usize].elems;
                (elems.as_ptr(), elems.len())
            }
            None => (core::ptr::null(), 0),
        };
    }

    /// The cell of global `global` (an index of the current instance's global space).
    ///
    /// # Safety
    /// `global` is a valid global index of the current instance: the lowering only emits
    /// validated global indices (reloaded code must be checked against its module).
    #[inline(always)]
    unsafe fn global(&mut self, global: u32) -> *mut Cell {
        // SAFETY: `inst_globals` points at the current instance's global addresses and
        // `global` indexes them (the caller's contract); every address indexes the store's
        // globals, which `globals` points at (re-derived on every entry to the chain).
        unsafe {
            let addr = *self.st.inst_globals.add(global as usize);
            &raw mut (*self.st.globals.add(addr as usize)).value
        }
    }

    /// Switches the cached per-instance views to instance `inst`.
    #[inline]
    fn enter_instance(&mut self, inst: u32) {
        self.st.inst = inst;
        self.st.mem = memory0(self.inner, inst);
        self.st.code_slots = code_slots(self.inner, inst);
        self.refresh_mem();
        self.refresh_globals();
        self.refresh_tables();
    }
}

/// The code slots of `inst`'s module cache (see [`State::code_slots`]).
fn code_slots(inner: &StoreInner, inst: u32) -> *const Option<Arc<ExecCode>> {
    inner.code_caches[inner.instances[inst as usize].cache as usize].slots.as_ptr()
}

/// Runs defined function `entry_def` of `entry_instance` whose arguments are in `stack[0..]`.
///
/// # Safety model
/// Handlers read and write frame slots through `sp`, a raw pointer to the current frame in
/// `stack`, and fetch instructions through `ip`. Both are sound because of invariants the
/// lowering establishes and the interpreter maintains:
/// - every slot an instruction names is below its function's `frame_cells`, and
///   `stack.len() >= fp + frame_cells` is reserved before a frame is entered (`reserve`);
/// - `sp` is re-derived from `stack` after every operation that may reallocate it (calls, host
///   calls), and `ip` always points into the `ops` of `code`, which an `Arc` keeps alive;
/// - every branch offset lands inside the function and every function ends in a terminator
///   (`Return`, `ReturnOne`, `Br`, `Unreachable` or a `BrTable` with its entries), so `ip` never
///   leaves `ops`.
///
/// Debug builds check the first and last invariants with assertions.
fn execute<T>(
    store: &mut Store<T>,
    stack: &mut Vec<Cell>,
    entry_instance: u32,
    entry_def: u32,
) -> Result<(), Error> {
    let max_depth = store.engine.config().max_call_depth as usize;
    let max_cells = store.engine.config().max_stack_cells;
    if store.inner.entry_hooked.contains(&(entry_instance, entry_def)) {
        crate::hooks::run_entry_hook(store, entry_instance, entry_def)?;
    }
    let code = match code_of(&mut store.inner, &[], None, entry_instance, entry_def) {
        Ok(c) => c,
        Err(Miss::Error(e)) => return Err(e),
        Err(Miss::Hook) => return Err(Trap::host("entry hook did not run").into()),
    };
    let func =
        store.inner.instances[entry_instance as usize].module.info().num_imported_funcs + entry_def;
    reserve(stack, code.frame_cells as usize, max_cells)
        .map_err(|t| Trap::new(t).with_func(func))?;
    zero_locals(stack, 0, &code);
    let st = State {
        frames: Vec::new(),
        ip: code.ops.as_ptr(),
        code,
        fp: 0,
        inst: entry_instance,
        def: entry_def,
        code_slots: code_slots(&store.inner, entry_instance),
        mem: memory0(&store.inner, entry_instance),
        view: MemView::EMPTY,
        table0: (core::ptr::null(), 0),
        types: core::ptr::null(),
        inst_globals: core::ptr::null(),
        globals: core::ptr::null_mut(),
        max_depth,
        max_cells,
        error: None,
        host: None,
        host_tail: false,
    };
    // One `Ctx` for the whole run: moving `State` in and out of a fresh `Ctx` around every
    // host call cost two 160-byte copies per call. A host call needs the whole store while
    // `cx.inner` borrows part of it, so both are derived from one raw pointer, and `cx.inner`
    // is re-derived after each host call instead of being used again.
    let store_ptr: *mut Store<T> = store;
    // SAFETY: `store_ptr` comes from the unique `store`, which is not used directly again in
    // this function; `cx.inner` is the only reference derived from it until a host call.
    let mut cx = Ctx { inner: unsafe { &mut (*store_ptr).inner }, stack: &mut *stack, st };
    loop {
        cx.refresh_mem();
        cx.refresh_globals();
        cx.refresh_tables();
        let exit = backend::run(&mut cx);
        match exit {
            Exit::Done => return Ok(()),
            Exit::Trap(code) => {
                let info = cx.inner.instances[cx.st.inst as usize].module.info();
                let trap = Trap::new(code).with_func(info.num_imported_funcs + cx.st.def);
                return Err(trap.with_instance(Instance(cx.st.inst)).into());
            }
            Exit::Error | Exit::Continue => {
                return Err(cx
                    .st
                    .error
                    .take()
                    .unwrap_or_else(|| Trap::new(TrapCode::Unreachable).into()));
            }
            Exit::Hook => {
                let Some((inst, def)) = cx.inner.hook_pending.take() else {
                    return Err(Trap::host("entry hook exit without a function").into());
                };
                let suspended = suspend_frames(&mut cx);
                // SAFETY: as for a host call below: `cx.inner` is not used until it is
                // re-derived, so this is the only live access to the store.
                let whole = unsafe { &mut *store_ptr };
                let outcome = crate::hooks::run_entry_hook(whole, inst, def);
                // SAFETY: the hook's reference is dead; `cx.inner` gets a fresh one.
                cx.inner = unsafe { &mut (*store_ptr).inner };
                cx.inner.suspended.truncate(suspended);
                outcome?;
                // The hook may have rebound or grown memory through its `Caller`.
                cx.st.mem = memory0(cx.inner, cx.st.inst);
            }
            Exit::Host => {
                let Some((addr, base)) = cx.st.host.take() else {
                    return Err(Trap::host("host call without a target").into());
                };
                let FuncEntity::Host { host, .. } = cx.inner.funcs[addr as usize] else {
                    return Err(Trap::host("host call to a wasm function").into());
                };
                let inst = cx.st.inst;
                let suspended = suspend_frames(&mut cx);
                // SAFETY: from here until `cx.inner` is overwritten below, `cx.inner` is not
                // used (the host call gets `cx.stack`, a separate vector taken out of the
                // store, and this new reference): the new reference is the only live access
                // to the store, as `Caller` requires.
                let whole = unsafe { &mut *store_ptr };
                let outcome = call_host(whole, cx.stack, base, addr, host, inst, max_cells);
                // SAFETY: the reference of the host call is dead; `cx.inner` gets a fresh one
                // (the old value is overwritten, never read).
                cx.inner = unsafe { &mut (*store_ptr).inner };
                cx.inner.suspended.truncate(suspended);
                outcome?;
                if core::mem::take(&mut cx.st.host_tail) && !tail_call::return_after_host(&mut cx) {
                    return Ok(());
                }
                // The host may have rebound the instance's memory (`Instance::rebind`).
                cx.st.mem = memory0(cx.inner, cx.st.inst);
            }
        }
    }
}

/// Records the running frames in `StoreInner::suspended` before a host call (only while a
/// code budget is in force, when the host's calls into wasm may evict code); returns the
/// length to truncate it back to afterwards.
#[cold]
fn suspend_frames(cx: &mut Ctx<'_>) -> usize {
    let mark = cx.inner.suspended.len();
    if cx.inner.code_budgeted {
        let frames = cx.st.frames.iter().map(|f| (f.instance, f.def));
        cx.inner.suspended.extend(frames);
        cx.inner.suspended.push((cx.st.inst, cx.st.def));
    }
    mark
}

/// Reads slot `$s` of the frame at `$sp`.
macro_rules! get {
    ($cx:ident, $sp:ident, $s:expr) => {{
        debug_assert!(
            ($s as usize) < $cx.st.code.frame_cells as usize
                && $cx.st.fp + $cx.st.code.frame_cells as usize <= $cx.stack.len()
        );
        // SAFETY: slots are below frame_cells and the frame is reserved (see `execute`).
        unsafe { *$sp.add($s as usize) }
    }};
}

/// Writes slot `$s` of the frame at `$sp`, leaving the value in the accumulator `$acc` too.
macro_rules! set {
    ($cx:ident, $sp:ident, $acc:ident, $s:expr, $v:expr) => {{
        let v = $v;
        $acc = v;
        write_slot!($cx, $sp, $s, v)
    }};
}

/// Writes the cell `$v` to slot `$s` of the frame at `$sp` (no accumulator).
macro_rules! write_slot {
    ($cx:ident, $sp:ident, $s:expr, $v:expr) => {{
        debug_assert!(
            ($s as usize) < $cx.st.code.frame_cells as usize
                && $cx.st.fp + $cx.st.code.frame_cells as usize <= $cx.stack.len()
        );
        // SAFETY: slots are below frame_cells and the frame is reserved (see `execute`).
        unsafe { *$sp.add($s as usize) = $v }
    }};
}

/// Writes the computed value `$v` to slot `$s` and the accumulator (as `set!`), and a float
/// to the float accumulator of its width too (see [`FloatAcc`]). The families whose
/// semantics name a result type write through this, the ones `OpCode::sets_float_acc` lists.
macro_rules! set_value {
    ($cx:ident, $sp:ident, $acc:ident, $fa:ident, $s:expr, $v:expr) => {{
        let v = $v;
        let cell = v.into_cell();
        // A float goes to its slot and the float accumulator only: the accumulator forms
        // that read a float read the float accumulator (`OpCode::reads_float_acc`), and the
        // lowering keeps integer ones from reading after a float (`OpCode::sets_int_acc`).
        if !is_float(&v) {
            $acc = cell;
        }
        write_slot!($cx, $sp, $s, cell);
        AccTy::keep(v, &mut $fa);
    }};
}

/// Writes the loaded cell `$v` to slot `$s` and the accumulator (as `set!`), and, for a float
/// load (`OpCode::is_float_load`), to the float accumulator too. Every load family writes
/// through this.
macro_rules! load_value {
    ($cx:ident, $sp:ident, $acc:ident, $fa:ident, $name:ident, $s:expr, $v:expr) => {{
        let v: Cell = $v.into_cell();
        set!($cx, $sp, $acc, $s, v);
        // The cell holds an f64's bits, or an f32's zero-extended: either way the float
        // accumulator's layout.
        if const { fayasm_ir::OpCode::$name.is_float_load() } {
            $fa.set_f64(f64::from_bits(v));
        }
    }};
}

/// Moves `$ip` (one past the branching instruction) by a branch offset: a byte distance from
/// the branching instruction (see [`ExecCode`]).
macro_rules! jump {
    ($cx:ident, $ip:ident, $offset:expr) => {{
        // SAFETY: `ip` is one past the branching instruction, `offset` the linked byte distance
        // from that instruction to the target, and branch targets lie inside `ops`.
        $ip = unsafe { $ip.byte_offset($offset as isize - size_of::<Op>() as isize) };
        debug_assert!(
            $ip >= $cx.st.code.ops.as_ptr()
                && $ip < $cx.st.code.ops.as_ptr().wrapping_add($cx.st.code.ops.len())
        );
    }};
}

/// The in-place add of a counted loop's back edge (`I32AddImmBrIf*`): `$var += $imm` (an
/// `i16`, sign-extended, wrapping), written back like any result; evaluates to the new value.
macro_rules! add_in_place {
    ($cx:ident, $sp:ident, $acc:ident, $var:ident, $imm:ident) => {{
        let v = (get!($cx, $sp, $var) as u32).wrapping_add($imm as i32 as u32);
        set!($cx, $sp, $acc, $var, u64::from(v));
        v
    }};
}

/// The in-place add of an i64 counted loop's back edge (`I64AddImmBrIf*`): `$var += $imm` (an
/// `i16`, sign-extended, wrapping), written back like any result; evaluates to the new value.
macro_rules! add_in_place_64 {
    ($cx:ident, $sp:ident, $acc:ident, $var:ident, $imm:ident) => {{
        let v = get!($cx, $sp, $var).wrapping_add($imm as i64 as u64);
        set!($cx, $sp, $acc, $var, v);
        v
    }};
}

/// The in-place add of a strided loop's back edge (`I32AddBrIf*`): `$var += $step` (i32, both
/// slots, wrapping), written back like any result; evaluates to the new value.
macro_rules! add_step_in_place {
    ($cx:ident, $sp:ident, $acc:ident, $var:ident, $step:ident) => {{
        let v = (get!($cx, $sp, $var) as u32).wrapping_add(get!($cx, $sp, $step) as u32);
        set!($cx, $sp, $acc, $var, u64::from(v));
        v
    }};
}

/// [`add_step_in_place!`] on i64 (`I64AddBrIf*`).
macro_rules! add_step_in_place_64 {
    ($cx:ident, $sp:ident, $acc:ident, $var:ident, $step:ident) => {{
        let v = get!($cx, $sp, $var).wrapping_add(get!($cx, $sp, $step));
        set!($cx, $sp, $acc, $var, v);
        v
    }};
}

/// A conditional branch is taken: moves `$ip` by `$offset` and continues there. Each backend
/// defines the `dispatch_taken!` it needs: the tail backend dispatches from inside the taken
/// arm, so a conditional branch has two indirect jumps (taken, not taken) that the predictor
/// learns separately, and the next instruction pointer is never a data-dependent select.
macro_rules! taken {
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident, $offset:expr) => {{
        jump!($cx, $ip, $offset);
        dispatch_taken!($cx $ip $sp $acc $fa $mem);
    }};
}

/// Re-derives the frame pointer and the memory view after the stack or memory may have moved.
macro_rules! refresh {
    ($cx:ident, $sp:ident, $mem:ident) => {{
        $cx.refresh_mem();
        $mem = $cx.st.view;
        $sp = $cx.sp();
    }};
}

/// Leaves the dispatch chain with a trap.
macro_rules! trap {
    ($code:expr) => {
        return Exit::Trap($code)
    };
}

macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(code) => trap!(code),
        }
    };
}

/// Reads `$n` bytes of memory 0 at `$addr + $offset` (`$addr` a cell, its low 32 bits the
/// address) as a little-endian `$read` extended to `$ext`, or traps out of bounds.
macro_rules! mem_load {
    ($mem:ident, $addr:expr, $offset:expr, $n:literal, $read:ident as $ext:ident) => {{
        let Some(at) = effective($addr, $offset, $n, &$mem) else {
            trap!(TrapCode::MemoryOutOfBounds)
        };
        let src = $mem.ptr.wrapping_add(at).cast::<[u8; $n]>();
        // SAFETY: `at + n <= mem.len` (`effective`), the length of the buffer `mem.ptr` points to.
        let bytes: [u8; $n] = unsafe { core::ptr::read_unaligned(src) };
        <$read>::from_le_bytes(bytes) as $ext
    }};
}

/// Writes the `$n` bytes `$bytes` to memory 0 at `$addr + $offset` (as in `mem_load!`), or
/// traps out of bounds.
macro_rules! mem_store {
    ($mem:ident, $addr:expr, $offset:expr, $n:literal, $bytes:expr) => {{
        let Some(at) = effective($addr, $offset, $n, &$mem) else {
            trap!(TrapCode::MemoryOutOfBounds)
        };
        let dst = $mem.ptr.wrapping_add(at).cast::<[u8; $n]>();
        // SAFETY: `at + n <= mem.len` (`effective`), the length of the buffer `mem.ptr` points to.
        unsafe { core::ptr::write_unaligned(dst, $bytes) };
    }};
}

/// Linear memory 0 as a `Vec`, for bulk operations (followed by `refresh!`).
macro_rules! memory {
    ($cx:ident) => {
        match $cx.st.mem {
            Some(m) => &mut $cx.inner.memories[m].bytes,
            None => trap!(TrapCode::MemoryOutOfBounds),
        }
    };
}

macro_rules! table {
    ($cx:ident, $t:expr) => {{
        let addr = $cx.inner.instances[$cx.st.inst as usize].tables[$t as usize];
        &mut $cx.inner.tables[addr as usize]
    }};
}

/// Pushes the current frame and makes `$callee` (defined function `$def` of the current or
/// a new instance) current with its frame at `$new_fp`: reserves and zeroes its locals.
macro_rules! enter_frame {
    ($cx:ident, $ip:ident, $callee:ident, $new_fp:ident, $def:expr) => {{
        tri!(reserve($cx.stack, $new_fp + $callee.frame_cells as usize, $cx.st.max_cells));
        zero_locals($cx.stack, $new_fp, &$callee);
        $cx.st.frames.push(Frame {
            code: $cx.st.code,
            ip: $ip,
            fp: $cx.st.fp,
            instance: $cx.st.inst,
            def: $cx.st.def,
        });
        $cx.st.code = $callee;
        $cx.st.fp = $new_fp;
        $cx.st.def = $def;
        $ip = $callee.ops.as_ptr();
    }};
}

/// Leaves the chain after a miss ([`miss_now`]): an error ends the run; an entry hook sends the
/// driver to run it, with `ip` back at the call instruction (`$ip` is one past it), which
/// nothing has changed yet.
macro_rules! missed {
    ($cx:ident, $ip:ident, $exit:expr) => {{
        let exit: Exit = $exit;
        if exit == Exit::Hook {
            // SAFETY: `$ip` is one past the call instruction, inside `ops`.
            $cx.st.ip = unsafe { $ip.sub(1) };
        }
        return exit;
    }};
}

/// The code of defined function `$def` of the current instance from its code slot `$slot`,
/// or fetched from the code cache now (an error ends the run; an entry hook runs first).
macro_rules! slot_code {
    ($cx:ident, $ip:ident, $slot:ident, $def:expr) => {
        match $slot {
            Some(code) => CodeRef(Arc::as_ptr(code)),
            None => match miss_now($cx, $cx.st.inst, $def) {
                Ok(c) => c,
                Err(exit) => missed!($cx, $ip, exit),
            },
        }
    };
}

/// Enters function `$addr` (store address) with its frame at `fp + $base`; host functions
/// leave the chain for the driver.
macro_rules! call_addr {
    ($cx:ident, $ip:ident, $sp:ident, $mem:ident, $addr:expr, $base:expr) => {{
        let addr: u32 = $addr;
        let new_fp = $cx.st.fp + $base as usize;
        match $cx.inner.funcs[addr as usize] {
            FuncEntity::Wasm { instance: callee_inst, def, .. } => {
                if $cx.st.frames.len() >= $cx.st.max_depth {
                    trap!(TrapCode::StackOverflow);
                }
                let callee = match code_in($cx, callee_inst, def) {
                    Ok(c) => c,
                    Err(exit) => missed!($cx, $ip, exit),
                };
                enter_frame!($cx, $ip, callee, new_fp, def);
                if callee_inst != $cx.st.inst {
                    $cx.enter_instance(callee_inst);
                    $mem = $cx.st.view;
                }
                $sp = $cx.sp();
            }
            FuncEntity::Host { .. } => {
                $cx.st.host = Some((addr, new_fp));
                $cx.st.ip = $ip;
                return Exit::Host;
            }
        }
    }};
}

/// Tail-calls function `$addr` (store address) with its arguments at `fp + $base`: the callee
/// replaces the current frame (see `tail_call::enter`); a host function leaves the chain for
/// the driver, which returns from the current frame once the host call is done.
macro_rules! tail_call_addr {
    ($cx:ident, $ip:ident, $sp:ident, $mem:ident, $addr:expr, $base:expr) => {{
        let addr: u32 = $addr;
        match $cx.inner.funcs[addr as usize] {
            FuncEntity::Wasm { instance: callee_inst, def, .. } => {
                let callee = match code_in($cx, callee_inst, def) {
                    Ok(c) => c,
                    Err(exit) => missed!($cx, $ip, exit),
                };
                tri!(tail_call::enter($cx, &mut $ip, callee, $base as usize, def));
                if callee_inst != $cx.st.inst {
                    $cx.enter_instance(callee_inst);
                    $mem = $cx.st.view;
                }
                $sp = $cx.sp();
            }
            FuncEntity::Host { .. } => {
                tail_call::to_host($cx, addr, $base as usize);
                $cx.st.ip = $ip;
                return Exit::Host;
            }
        }
    }};
}

/// The handler of each instruction: control instructions by name, numeric ones by family.
/// `$cx` is the [`Ctx`], `$ip` the instruction pointer (already past this instruction) and
/// `$sp` the frame pointer, both mutable places of the backend.
macro_rules! handler {
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control Unreachable []) => { trap!(TrapCode::Unreachable) };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control Copy [$dst:ident $src:ident]) => { set!($cx, $sp, $acc, $dst, get!($cx, $sp, $src)) };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control Copy2 [$dst:ident $src:ident]) => {{
        set!($cx, $sp, $acc, $dst, get!($cx, $sp, $src));
        set!($cx, $sp, $acc, $dst + 1, get!($cx, $sp, $src + 1));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control Const32 [$dst:ident $value:ident]) => { set!($cx, $sp, $acc, $dst, u64::from($value)) };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control Const64 [$dst:ident $lo:ident $hi:ident]) => {
        set!($cx, $sp, $acc, $dst, u64::from($hi) << 32 | u64::from($lo))
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control Br [$offset:ident]) => { jump!($cx, $ip, $offset) };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control CopyPair [$dst:ident $src:ident $dst2:ident $src2:ident]) => {{
        set!($cx, $sp, $acc, $dst, get!($cx, $sp, $src));
        set!($cx, $sp, $acc, $dst2, get!($cx, $sp, $src2));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control CopyPairAcc [$dst:ident $src:ident $dst2:ident]) => {{
        let second = $acc;
        set!($cx, $sp, $acc, $dst, get!($cx, $sp, $src));
        set!($cx, $sp, $acc, $dst2, second);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control CopyBr [$dst:ident $src:ident $offset:ident]) => {{
        set!($cx, $sp, $acc, $dst, get!($cx, $sp, $src));
        jump!($cx, $ip, $offset);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control BrIfNez [$cond:ident $offset:ident]) => {
        if get!($cx, $sp, $cond) as u32 != 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control BrIfEqz [$cond:ident $offset:ident]) => {
        if get!($cx, $sp, $cond) as u32 == 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control BrIfNezAcc [$offset:ident]) => {
        if $acc as u32 != 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control BrIfEqzAcc [$offset:ident]) => {
        if $acc as u32 == 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control BrIfNezCopy [$cond:ident $dst:ident $src:ident $offset:ident]) => {
        if get!($cx, $sp, $cond) as u32 != 0 {
            set!($cx, $sp, $acc, $dst, get!($cx, $sp, $src));
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control BrIfNezAccMove [$dst:ident $offset:ident]) => {
        if $acc as u32 != 0 {
            set!($cx, $sp, $acc, $dst, $acc);
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32AddImmBrIfNez [$var:ident $imm:ident $offset:ident]) => {{
        if add_in_place!($cx, $sp, $acc, $var, $imm) != 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32AddImmBrIfNe [$var:ident $rhs:ident $imm:ident $offset:ident]) => {{
        if add_in_place!($cx, $sp, $acc, $var, $imm) != get!($cx, $sp, $rhs) as u32 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32AddImmBrIfNeImm [$var:ident $imm:ident $limit:ident $offset:ident]) => {{
        if add_in_place!($cx, $sp, $acc, $var, $imm) != $limit as i32 as u32 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32AddImmBrIfLtU [$var:ident $rhs:ident $imm:ident $offset:ident]) => {{
        if add_in_place!($cx, $sp, $acc, $var, $imm) < get!($cx, $sp, $rhs) as u32 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I64AddImmBrIfNez [$var:ident $imm:ident $offset:ident]) => {{
        if add_in_place_64!($cx, $sp, $acc, $var, $imm) != 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I64AddImmBrIfNe [$var:ident $rhs:ident $imm:ident $offset:ident]) => {{
        if add_in_place_64!($cx, $sp, $acc, $var, $imm) != get!($cx, $sp, $rhs) {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I64AddImmBrIfNeImm [$var:ident $imm:ident $limit:ident $offset:ident]) => {{
        if add_in_place_64!($cx, $sp, $acc, $var, $imm) != $limit as i64 as u64 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I64AddImmBrIfLtU [$var:ident $rhs:ident $imm:ident $offset:ident]) => {{
        if add_in_place_64!($cx, $sp, $acc, $var, $imm) < get!($cx, $sp, $rhs) {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32AddBrIfNe [$var:ident $step:ident $rhs:ident $offset:ident]) => {{
        if add_step_in_place!($cx, $sp, $acc, $var, $step) != get!($cx, $sp, $rhs) as u32 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32AddBrIfLtU [$var:ident $step:ident $rhs:ident $offset:ident]) => {{
        if add_step_in_place!($cx, $sp, $acc, $var, $step) < get!($cx, $sp, $rhs) as u32 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32AddBrIfLeU [$var:ident $step:ident $rhs:ident $offset:ident]) => {{
        if add_step_in_place!($cx, $sp, $acc, $var, $step) <= get!($cx, $sp, $rhs) as u32 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32AddBrIfGeU [$var:ident $step:ident $rhs:ident $offset:ident]) => {{
        if add_step_in_place!($cx, $sp, $acc, $var, $step) >= get!($cx, $sp, $rhs) as u32 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I64AddBrIfNe [$var:ident $step:ident $rhs:ident $offset:ident]) => {{
        if add_step_in_place_64!($cx, $sp, $acc, $var, $step) != get!($cx, $sp, $rhs) {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I64AddBrIfLtU [$var:ident $step:ident $rhs:ident $offset:ident]) => {{
        if add_step_in_place_64!($cx, $sp, $acc, $var, $step) < get!($cx, $sp, $rhs) {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I64AddBrIfLeU [$var:ident $step:ident $rhs:ident $offset:ident]) => {{
        if add_step_in_place_64!($cx, $sp, $acc, $var, $step) <= get!($cx, $sp, $rhs) {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I64AddBrIfGeU [$var:ident $step:ident $rhs:ident $offset:ident]) => {{
        if add_step_in_place_64!($cx, $sp, $acc, $var, $step) >= get!($cx, $sp, $rhs) {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32PostStepBrIfNez [$dst:ident $var:ident $imm:ident $offset:ident]) => {{
        let old = get!($cx, $sp, $var);
        set!($cx, $sp, $acc, $dst, old);
        add_in_place!($cx, $sp, $acc, $var, $imm);
        if old as u32 != 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control BrIfEqzElseI32AddImm [$var:ident $imm:ident $offset:ident]) => {{
        // `else`: the loop backend's `taken!` falls through to the end of the handler.
        if get!($cx, $sp, $var) as u32 == 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        } else {
            add_in_place!($cx, $sp, $acc, $var, $imm);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control CopyBrIfNez [$dst:ident $src:ident $cond:ident $offset:ident]) => {{
        set!($cx, $sp, $acc, $dst, get!($cx, $sp, $src));
        if get!($cx, $sp, $cond) as u32 != 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control CopyBrIfEqz [$dst:ident $src:ident $cond:ident $offset:ident]) => {{
        set!($cx, $sp, $acc, $dst, get!($cx, $sp, $src));
        if get!($cx, $sp, $cond) as u32 == 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control BrIfNezAccCopy [$dst:ident $src:ident $offset:ident]) => {
        if $acc as u32 != 0 {
            set!($cx, $sp, $acc, $dst, get!($cx, $sp, $src));
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control BrTable [$index:ident $len:ident]) => {{
        let i = (get!($cx, $sp, $index) as u32).min($len);
        // SAFETY: `len + 1` `Br` entries follow the `BrTable`; `i <= len` selects one.
        let entry = unsafe { $ip.add(i as usize) };
        // Jump straight to the entry's target instead of dispatching the `Br` itself.
        // SAFETY: `entry` points at one of the entries, inside `ops`.
        let Op::Br { offset } = (unsafe { *entry }) else {
            debug_assert!(false, "a BrTable entry that is not a Br");
            // SAFETY: the lowering and the checked decoder only produce `Br` entries.
            unsafe { core::hint::unreachable_unchecked() }
        };
        // SAFETY: `offset` is the linked byte distance from the entry to a target in `ops`.
        $ip = unsafe { entry.byte_offset(offset as isize) };
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control Param [$value:ident]) => {{
        let _ = $value;
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control Return []) => {{
        // A return into another instance switches instance (a call): the slow path.
        if FAST_PATH && $cx.st.frames.last().is_some_and(|f| f.instance != $cx.st.inst) {
            divert!($cx $ip $sp $acc $fa $mem);
        }
        match $cx.st.frames.pop() {
            None => return Exit::Done,
            Some(f) => {
                $cx.st.code = f.code;
                $ip = f.ip;
                $cx.st.fp = f.fp;
                $cx.st.def = f.def;
                if f.instance != $cx.st.inst {
                    $cx.enter_instance(f.instance);
                    $mem = $cx.st.view;
                }
                // The callee may have grown the stack; the memory view is kept current by
                // `memory.grow` itself.
                $sp = $cx.sp();
            }
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control ReturnOne [$src:ident]) => {{
        let v = get!($cx, $sp, $src);
        set!($cx, $sp, $acc, 0u16, v);
        handler!($cx $ip $sp $acc $fa $mem; control Return [])
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control CallInternal [$def:ident $base:ident]) => {{
        let new_fp = $cx.st.fp + $base as usize;
        if $cx.st.frames.len() >= $cx.st.max_depth {
            trap!(TrapCode::StackOverflow);
        }
        // SAFETY: `def` indexes the current instance's code slots (the lowering only emits
        // `CallInternal` for defined functions), and `code_slots` points at that fixed-length
        // vector's buffer (see `State::code_slots`).
        let slot = unsafe { &*$cx.st.code_slots.add($def as usize) };
        'entered: {
            if FAST_PATH {
                if let Some(code) = slot {
                    if enter_fast($cx, &mut $ip, CodeRef(Arc::as_ptr(code)), new_fp, $def) {
                        break 'entered;
                    }
                }
                divert!($cx $ip $sp $acc $fa $mem);
            }
            let callee = slot_code!($cx, $ip, slot, $def);
            enter_frame!($cx, $ip, callee, new_fp, $def);
        }
        $sp = $cx.sp();
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control Call [$callee:ident $base:ident]) => {{
        let addr = $cx.inner.instances[$cx.st.inst as usize].funcs[$callee as usize];
        call_addr!($cx, $ip, $sp, $mem, addr, $base);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control CallIndirect [$index:ident $base:ident $table:ident $ty:ident]) => {{
        let i = get!($cx, $sp, $index) as u32;
        let cell = if $table == 0 {
            let (elems, len) = $cx.st.table0;
            if i as usize >= len {
                trap!(TrapCode::UndefinedElement);
            }
            // SAFETY: `table0` is the current instance's table 0, kept current (see
            // `State::table0`), and `i` is below its length.
            unsafe { *elems.add(i as usize) }
        } else {
            match table!($cx, $table).elems.get(i as usize) {
                Some(&c) => c,
                None => trap!(TrapCode::UndefinedElement),
            }
        };
        if cell == 0 {
            trap!(TrapCode::UninitializedElement);
        }
        let addr = (cell - 1) as u32;
        debug_assert!(($ty as usize) < $cx.inner.instances[$cx.st.inst as usize].types.len());
        // SAFETY: `types` points at the current instance's type ids and validated code names
        // only its own types.
        let want = unsafe { *$cx.st.types.add($ty as usize) };
        let entity = &$cx.inner.funcs[addr as usize];
        if entity.ty() != want {
            trap!(TrapCode::IndirectCallTypeMismatch);
        }
        'entered: {
            if FAST_PATH {
                // A function of the current instance whose code is lowered: as `CallInternal`.
                if let FuncEntity::Wasm { instance, def, .. } = *entity {
                    if instance == $cx.st.inst && $cx.st.frames.len() < $cx.st.max_depth {
                        // SAFETY: `def` is a defined function of the current instance, whose
                        // code slots `code_slots` points at (see `State::code_slots`).
                        let slot = unsafe { &*$cx.st.code_slots.add(def as usize) };
                        if let Some(code) = slot {
                            let new_fp = $cx.st.fp + $base as usize;
                            if enter_fast($cx, &mut $ip, CodeRef(Arc::as_ptr(code)), new_fp, def) {
                                $sp = $cx.sp();
                                break 'entered;
                            }
                        }
                    }
                }
                divert!($cx $ip $sp $acc $fa $mem);
            }
            call_addr!($cx, $ip, $sp, $mem, addr, $base);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control Select [$dst:ident $cond:ident $if_true:ident $if_false:ident]) => {{
        let v = if get!($cx, $sp, $cond) as u32 != 0 { get!($cx, $sp, $if_true) } else { get!($cx, $sp, $if_false) };
        set!($cx, $sp, $acc, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control GlobalGet [$dst:ident $global:ident]) => {{
        debug_assert!(($global as usize) < $cx.inner.instances[$cx.st.inst as usize].globals.len());
        // SAFETY: validated code names only its instance's globals (see `Ctx::global`).
        let v = unsafe { *$cx.global($global) };
        set!($cx, $sp, $acc, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control GlobalAddImm [$dst:ident $global:ident $imm:ident]) => {{
        debug_assert!(($global as usize) < $cx.inner.instances[$cx.st.inst as usize].globals.len());
        // SAFETY: validated code names only its instance's globals (see `Ctx::global`), and
        // sets only mutable ones.
        let cell = unsafe { $cx.global($global) };
        // SAFETY: as above; `cell` points at the global's value.
        let v = u64::from((unsafe { *cell } as u32).wrapping_add($imm as u32));
        // SAFETY: as above.
        unsafe { *cell = v };
        set!($cx, $sp, $acc, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control GlobalSet [$src:ident $global:ident]) => {{
        debug_assert!(($global as usize) < $cx.inner.instances[$cx.st.inst as usize].globals.len());
        let v = get!($cx, $sp, $src);
        // SAFETY: validated code names only its instance's globals (see `Ctx::global`), and
        // sets only mutable ones.
        unsafe { *$cx.global($global) = v };
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control MemorySize [$dst:ident]) => {
        set!($cx, $sp, $acc, $dst, $mem.len as u64 / crate::PAGE_SIZE)
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control MemoryGrow [$dst:ident $delta:ident]) => {{
        let delta = u64::from(get!($cx, $sp, $delta) as u32);
        let r = match $cx.st.mem {
            Some(m) => grow_memory(&mut $cx.inner.memories[m], delta).map_or(u32::MAX, |old| old as u32),
            None => u32::MAX,
        };
        refresh!($cx, $sp, $mem);
        set!($cx, $sp, $acc, $dst, u64::from(r));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control MemoryFill [$dst:ident $value:ident $len:ident]) => {{
        let (d, v, n) = (get!($cx, $sp, $dst) as u32, get!($cx, $sp, $value) as u8, get!($cx, $sp, $len) as u32);
        let m = memory!($cx);
        if !range_ok(d, n, m.len()) {
            trap!(TrapCode::MemoryOutOfBounds);
        }
        m[d as usize..(d + n) as usize].fill(v);
        refresh!($cx, $sp, $mem);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control MemoryCopy [$dst:ident $src:ident $len:ident]) => {{
        let (d, s, n) = (get!($cx, $sp, $dst) as u32, get!($cx, $sp, $src) as u32, get!($cx, $sp, $len) as u32);
        let m = memory!($cx);
        if !range_ok(d, n, m.len()) || !range_ok(s, n, m.len()) {
            trap!(TrapCode::MemoryOutOfBounds);
        }
        m.copy_within(s as usize..(s + n) as usize, d as usize);
        refresh!($cx, $sp, $mem);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control MemoryInit [$dst:ident $src:ident $len:ident $segment:ident]) => {{
        let (d, s, n) = (get!($cx, $sp, $dst) as u32, get!($cx, $sp, $src) as u32, get!($cx, $sp, $len) as u32);
        let instance = &$cx.inner.instances[$cx.st.inst as usize];
        let module = instance.module.clone();
        let data = if instance.datas_live[$segment as usize] {
            let r = module.info().datas[$segment as usize].data.clone();
            &module.bytes()[r]
        } else {
            &[][..]
        };
        let m = memory!($cx);
        if !range_ok(s, n, data.len()) || !range_ok(d, n, m.len()) {
            trap!(TrapCode::MemoryOutOfBounds);
        }
        m[d as usize..(d + n) as usize].copy_from_slice(&data[s as usize..(s + n) as usize]);
        refresh!($cx, $sp, $mem);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control DataDrop [$segment:ident]) => {
        $cx.inner.instances[$cx.st.inst as usize].datas_live[$segment as usize] = false
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control TableGet [$dst:ident $index:ident $table:ident]) => {{
        let i = get!($cx, $sp, $index) as u32;
        let v = match table!($cx, $table).elems.get(i as usize) {
            Some(&c) => c,
            None => trap!(TrapCode::TableOutOfBounds),
        };
        set!($cx, $sp, $acc, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control TableSet [$index:ident $value:ident $table:ident]) => {{
        let (i, v) = (get!($cx, $sp, $index) as u32, get!($cx, $sp, $value));
        match table!($cx, $table).elems.get_mut(i as usize) {
            Some(c) => *c = v,
            None => trap!(TrapCode::TableOutOfBounds),
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control TableSize [$dst:ident $table:ident]) => {{
        let n = table!($cx, $table).elems.len() as u64;
        set!($cx, $sp, $acc, $dst, n);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control TableGrow [$dst:ident $init:ident $delta:ident $table:ident]) => {{
        let (v, n) = (get!($cx, $sp, $init), u64::from(get!($cx, $sp, $delta) as u32));
        let r = grow_table(table!($cx, $table), n, v).map_or(u32::MAX, |old| old as u32);
        $cx.refresh_tables();
        set!($cx, $sp, $acc, $dst, u64::from(r));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control TableFill [$index:ident $value:ident $len:ident $table:ident]) => {{
        let (i, v, n) = (get!($cx, $sp, $index) as u32, get!($cx, $sp, $value), get!($cx, $sp, $len) as u32);
        let t = table!($cx, $table);
        if !range_ok(i, n, t.elems.len()) {
            trap!(TrapCode::TableOutOfBounds);
        }
        t.elems[i as usize..(i + n) as usize].fill(v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control TableCopy [$dst:ident $src:ident $len:ident $dst_table:ident $src_table:ident]) => {{
        let (d, s, n) = (get!($cx, $sp, $dst) as u32, get!($cx, $sp, $src) as u32, get!($cx, $sp, $len) as u32);
        let src_len = table!($cx, $src_table).elems.len();
        let dst_len = table!($cx, $dst_table).elems.len();
        if !range_ok(s, n, src_len) || !range_ok(d, n, dst_len) {
            trap!(TrapCode::TableOutOfBounds);
        }
        if $dst_table == $src_table {
            table!($cx, $dst_table).elems.copy_within(s as usize..(s + n) as usize, d as usize);
        } else {
            let items: Vec<Cell> = table!($cx, $src_table).elems[s as usize..(s + n) as usize].to_vec();
            table!($cx, $dst_table).elems[d as usize..(d + n) as usize].copy_from_slice(&items);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control TableInit [$dst:ident $src:ident $len:ident $segment:ident]) => {{
        // SAFETY: the lowering always emits a `Param` with the table index right after.
        let table = match unsafe { *$ip } {
            Op::Param { value } => value,
            _ => trap!(TrapCode::Unreachable),
        };
        let (d, s, n) = (get!($cx, $sp, $dst) as u32, get!($cx, $sp, $src) as u32, get!($cx, $sp, $len) as u32);
        let seg = $cx.inner.instances[$cx.st.inst as usize].elems[$segment as usize].clone();
        let items: &[Cell] = seg.as_deref().unwrap_or(&[]);
        let t = table!($cx, table);
        if !range_ok(s, n, items.len()) || !range_ok(d, n, t.elems.len()) {
            trap!(TrapCode::TableOutOfBounds);
        }
        t.elems[d as usize..(d + n) as usize].copy_from_slice(&items[s as usize..(s + n) as usize]);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control ElemDrop [$segment:ident]) => {
        $cx.inner.instances[$cx.st.inst as usize].elems[$segment as usize] = None
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control TableIndex64 [$dst:ident $src:ident]) => {{
        // Saturating: an index from 2^32 up stays out of bounds of every table (at most
        // `MAX_TABLE_ELEMS` elements) in the 32-bit table instruction that reads it.
        let v = get!($cx, $sp, $src).min(u64::from(u32::MAX));
        set!($cx, $sp, $acc, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32AddShl [$dst:ident $lhs:ident $rhs:ident $shift:ident]) => {{
        let base = get!($cx, $sp, $lhs) as u32;
        let index = get!($cx, $sp, $rhs) as u32;
        set!($cx, $sp, $acc, $dst, u64::from(base.wrapping_add(index.wrapping_shl(u32::from($shift)))));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32AddShlAccR [$dst:ident $lhs:ident $shift:ident]) => {{
        let base = get!($cx, $sp, $lhs) as u32;
        let index = $acc as u32;
        set!($cx, $sp, $acc, $dst, u64::from(base.wrapping_add(index.wrapping_shl(u32::from($shift)))));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32AddShlAccL [$dst:ident $rhs:ident $shift:ident]) => {{
        let base = $acc as u32;
        let index = get!($cx, $sp, $rhs) as u32;
        set!($cx, $sp, $acc, $dst, u64::from(base.wrapping_add(index.wrapping_shl(u32::from($shift)))));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32ShlAddImm [$dst:ident $lhs:ident $shift:ident $imm:ident]) => {{
        let index = get!($cx, $sp, $lhs) as u32;
        set!($cx, $sp, $acc, $dst, u64::from(index.wrapping_shl(u32::from($shift)).wrapping_add($imm as u32)));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32ShlAddImmAcc [$dst:ident $shift:ident $imm:ident]) => {{
        let index = $acc as u32;
        set!($cx, $sp, $acc, $dst, u64::from(index.wrapping_shl(u32::from($shift)).wrapping_add($imm as u32)));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32ShrUAndImm [$dst:ident $lhs:ident $shift:ident $mask:ident]) => {{
        let word = get!($cx, $sp, $lhs) as u32;
        set!($cx, $sp, $acc, $dst, u64::from(word.wrapping_shr(u32::from($shift)) & $mask as u32));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I32ShrUAndImmAcc [$dst:ident $shift:ident $mask:ident]) => {{
        let word = $acc as u32;
        set!($cx, $sp, $acc, $dst, u64::from(word.wrapping_shr(u32::from($shift)) & $mask as u32));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control RefFunc [$dst:ident $f:ident]) => {{
        let addr = $cx.inner.instances[$cx.st.inst as usize].funcs[$f as usize];
        set!($cx, $sp, $acc, $dst, u64::from(addr) + 1);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; unary $name:ident [$dst:ident $src:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = num::$f(<$a>::from_cell(get!($cx, $sp, $src)));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; unary_trap $name:ident [$dst:ident $src:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = tri!(num::$f(<$a>::from_cell(get!($cx, $sp, $src))));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; binary $name:ident [$dst:ident $lhs:ident $rhs:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = num::$f(<$a>::from_cell(get!($cx, $sp, $lhs)), <$a>::from_cell(get!($cx, $sp, $rhs)));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; binary_trap $name:ident [$dst:ident $lhs:ident $rhs:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = tri!(num::$f(<$a>::from_cell(get!($cx, $sp, $lhs)), <$a>::from_cell(get!($cx, $sp, $rhs))));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; binary_imm $name:ident [$dst:ident $lhs:ident $imm:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = num::$f(<$a>::from_cell(get!($cx, $sp, $lhs)), $imm as $a);
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; branch_cmp $name:ident [$lhs:ident $rhs:ident $offset:ident] ($f:ident : $a:ident)) => {
        if num::$f(<$a>::from_cell(get!($cx, $sp, $lhs)), <$a>::from_cell(get!($cx, $sp, $rhs))) != 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; branch_cmp_imm $name:ident [$lhs:ident $imm:ident $offset:ident] ($f:ident : $a:ident)) => {
        if num::$f(<$a>::from_cell(get!($cx, $sp, $lhs)), $imm as $a) != 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; unary_acc $name:ident [$dst:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = num::$f(<$a>::from_acc($acc, $fa));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; binary_trap_acc_l $name:ident [$dst:ident $rhs:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = tri!(num::$f(<$a>::from_acc($acc, $fa), <$a>::from_cell(get!($cx, $sp, $rhs))));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; binary_trap_acc_r $name:ident [$dst:ident $lhs:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = tri!(num::$f(<$a>::from_cell(get!($cx, $sp, $lhs)), <$a>::from_acc($acc, $fa)));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; binary_trap_imm $name:ident [$dst:ident $lhs:ident $imm:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = tri!(num::$f(<$a>::from_cell(get!($cx, $sp, $lhs)), $imm as $a));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; branch_cmp_acc $name:ident [$rhs:ident $offset:ident] ($f:ident : $a:ident)) => {
        if num::$f(<$a>::from_acc($acc, $fa), <$a>::from_cell(get!($cx, $sp, $rhs))) != 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; binary_fimm $name:ident [$dst:ident $lhs:ident $imm:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = num::$f(<$a>::from_cell(get!($cx, $sp, $lhs)), <$a>::from_imm($imm));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; binary_fimm_acc $name:ident [$dst:ident $imm:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = num::$f(<$a>::from_acc($acc, $fa), <$a>::from_imm($imm));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; branch_cmp_fimm $name:ident [$lhs:ident $imm:ident $offset:ident] ($f:ident : $a:ident)) => {
        if num::$f(<$a>::from_cell(get!($cx, $sp, $lhs)), <$a>::from_imm($imm)) != 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; branch_cmp_not_fimm $name:ident [$lhs:ident $imm:ident $offset:ident] ($f:ident : $a:ident)) => {
        if num::$f(<$a>::from_cell(get!($cx, $sp, $lhs)), <$a>::from_imm($imm)) == 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; branch_cmp_fimm_acc $name:ident [$imm:ident $offset:ident] ($f:ident : $a:ident)) => {
        if num::$f(<$a>::from_acc($acc, $fa), <$a>::from_imm($imm)) != 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; branch_cmp_not_fimm_acc $name:ident [$imm:ident $offset:ident] ($f:ident : $a:ident)) => {
        if num::$f(<$a>::from_acc($acc, $fa), <$a>::from_imm($imm)) == 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; select_cmp $name:ident [$dst:ident $lhs:ident $rhs:ident $if_true:ident $if_false:ident] ($f:ident : $a:ident)) => {{
        let holds = num::$f(<$a>::from_cell(get!($cx, $sp, $lhs)), <$a>::from_cell(get!($cx, $sp, $rhs))) != 0;
        let v = if holds { get!($cx, $sp, $if_true) } else { get!($cx, $sp, $if_false) };
        set!($cx, $sp, $acc, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; load_scaled $name:ident [$dst:ident $index:ident $shift:ident $imm:ident] ($n:literal : $read:ident as $ext:ident)) => {{
        let addr = (get!($cx, $sp, $index) as u32).wrapping_shl(u32::from($shift)).wrapping_add($imm as u32);
        let v = mem_load!($mem, u64::from(addr), 0, $n, $read as $ext);
        load_value!($cx, $sp, $acc, $fa, $name, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; load_scaled_acc $name:ident [$dst:ident $shift:ident $imm:ident] ($n:literal : $read:ident as $ext:ident)) => {{
        let addr = ($acc as u32).wrapping_shl(u32::from($shift)).wrapping_add($imm as u32);
        let v = mem_load!($mem, u64::from(addr), 0, $n, $read as $ext);
        load_value!($cx, $sp, $acc, $fa, $name, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; store_scaled $name:ident [$index:ident $value:ident $shift:ident $imm:ident] ($n:literal : $write:ident)) => {{
        let addr = (get!($cx, $sp, $index) as u32).wrapping_shl(u32::from($shift)).wrapping_add($imm as u32);
        let v = get!($cx, $sp, $value);
        mem_store!($mem, u64::from(addr), 0, $n, (v as $write).to_le_bytes());
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; branch_cmp_not $name:ident [$lhs:ident $rhs:ident $offset:ident] ($f:ident : $a:ident)) => {
        if num::$f(<$a>::from_cell(get!($cx, $sp, $lhs)), <$a>::from_cell(get!($cx, $sp, $rhs))) == 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; branch_cmp_not_acc $name:ident [$rhs:ident $offset:ident] ($f:ident : $a:ident)) => {
        if num::$f(<$a>::from_acc($acc, $fa), <$a>::from_cell(get!($cx, $sp, $rhs))) == 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; branch_cmp_imm_acc $name:ident [$imm:ident $offset:ident] ($f:ident : $a:ident)) => {
        if num::$f(<$a>::from_acc($acc, $fa), $imm as $a) != 0 {
            taken!($cx $ip $sp $acc $fa $mem, $offset);
        }
    };
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; store_acc $name:ident [$addr:ident $offset:ident] ($n:literal : $write:ident)) => {{
        // A float store's value is in the float accumulator (`OpCode::reads_float_acc`); an
        // f32 in its low 32 bits.
        let v: Cell = if const { fayasm_ir::OpCode::$name.reads_float_acc() } { $fa.f64().to_bits() } else { $acc };
        mem_store!($mem, get!($cx, $sp, $addr), $offset, $n, (v as $write).to_le_bytes());
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; store_imm_idx $name:ident [$base:ident $index:ident $imm:ident $offset:ident] ($n:literal : $write:ident)) => {{
        let addr = (get!($cx, $sp, $base) as u32).wrapping_add(get!($cx, $sp, $index) as u32);
        mem_store!($mem, u64::from(addr), $offset, $n, (i64::from($imm) as $write).to_le_bytes());
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; xor_shift $name:ident [$dst:ident $src:ident $imm:ident] ($f:ident : $a:ident)) => {{
        let x = <$a>::from_cell(get!($cx, $sp, $src));
        let r: $a = x ^ num::$f(x, $imm as $a);
        set!($cx, $sp, $acc, $dst, r.into_cell());
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; xor_shift_acc $name:ident [$dst:ident $imm:ident] ($f:ident : $a:ident)) => {{
        let x = <$a>::from_acc($acc, $fa);
        let r: $a = x ^ num::$f(x, $imm as $a);
        set!($cx, $sp, $acc, $dst, r.into_cell());
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; store_imm_acc $name:ident [$imm:ident $offset:ident] ($n:literal : $write:ident)) => {{
        mem_store!($mem, $acc, $offset, $n, (i64::from($imm) as $write).to_le_bytes());
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; binary_imm_l $name:ident [$dst:ident $rhs:ident $imm:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = num::$f($imm as $a, <$a>::from_cell(get!($cx, $sp, $rhs)));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; binary_imm_l_acc $name:ident [$dst:ident $imm:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = num::$f($imm as $a, <$a>::from_acc($acc, $fa));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; binary_imm_acc $name:ident [$dst:ident $imm:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = num::$f(<$a>::from_acc($acc, $fa), $imm as $a);
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; binary_acc_l $name:ident [$dst:ident $rhs:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = num::$f(<$a>::from_acc($acc, $fa), <$a>::from_cell(get!($cx, $sp, $rhs)));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; binary_acc_r $name:ident [$dst:ident $lhs:ident] ($f:ident : $a:ident -> $r:ident)) => {{
        let r: $r = num::$f(<$a>::from_cell(get!($cx, $sp, $lhs)), <$a>::from_acc($acc, $fa));
        set_value!($cx, $sp, $acc, $fa, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; load_acc $name:ident [$dst:ident $offset:ident] ($n:literal : $read:ident as $ext:ident)) => {{
        let v = mem_load!($mem, $acc, $offset, $n, $read as $ext);
        load_value!($cx, $sp, $acc, $fa, $name, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; load $name:ident [$dst:ident $addr:ident $offset:ident] ($n:literal : $read:ident as $ext:ident)) => {{
        let v = mem_load!($mem, get!($cx, $sp, $addr), $offset, $n, $read as $ext);
        load_value!($cx, $sp, $acc, $fa, $name, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; load_add_imm $name:ident [$dst:ident $addr:ident $imm:ident] ($n:literal : $read:ident as $ext:ident)) => {{
        let addr = (get!($cx, $sp, $addr) as u32).wrapping_add($imm as u32);
        let v = mem_load!($mem, u64::from(addr), 0, $n, $read as $ext);
        load_value!($cx, $sp, $acc, $fa, $name, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; load_add_imm_acc $name:ident [$dst:ident $imm:ident $offset:ident] ($n:literal : $read:ident as $ext:ident)) => {{
        let addr = ($acc as u32).wrapping_add($imm as u32);
        let v = mem_load!($mem, u64::from(addr), $offset, $n, $read as $ext);
        load_value!($cx, $sp, $acc, $fa, $name, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; load_idx $name:ident [$dst:ident $base:ident $index:ident $offset:ident] ($n:literal : $read:ident as $ext:ident)) => {{
        let addr = (get!($cx, $sp, $base) as u32).wrapping_add(get!($cx, $sp, $index) as u32);
        let v = mem_load!($mem, u64::from(addr), $offset, $n, $read as $ext);
        load_value!($cx, $sp, $acc, $fa, $name, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; store_idx $name:ident [$base:ident $index:ident $value:ident $offset:ident] ($n:literal : $write:ident)) => {{
        let addr = (get!($cx, $sp, $base) as u32).wrapping_add(get!($cx, $sp, $index) as u32);
        let v = get!($cx, $sp, $value);
        mem_store!($mem, u64::from(addr), $offset, $n, (v as $write).to_le_bytes());
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; load_abs $name:ident [$dst:ident $addr:ident] ($n:literal : $read:ident as $ext:ident)) => {{
        let v = mem_load!($mem, u64::from($addr), 0, $n, $read as $ext);
        load_value!($cx, $sp, $acc, $fa, $name, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; store_abs $name:ident [$value:ident $addr:ident] ($n:literal : $write:ident)) => {{
        let v = get!($cx, $sp, $value);
        mem_store!($mem, u64::from($addr), 0, $n, (v as $write).to_le_bytes());
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; store_imm_abs $name:ident [$imm:ident $addr:ident] ($n:literal : $write:ident)) => {{
        mem_store!($mem, u64::from($addr), 0, $n, (i64::from($imm) as $write).to_le_bytes());
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; store_imm $name:ident [$addr:ident $imm:ident $offset:ident] ($n:literal : $write:ident)) => {{
        mem_store!($mem, get!($cx, $sp, $addr), $offset, $n, (i64::from($imm) as $write).to_le_bytes());
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; store $name:ident [$addr:ident $value:ident $offset:ident] ($n:literal : $write:ident)) => {{
        let (a, v) = (get!($cx, $sp, $addr), get!($cx, $sp, $value));
        mem_store!($mem, a, $offset, $n, (v as $write).to_le_bytes());
    }};

    // ----- instructions that name their memory (multi-memory, memory64, custom page sizes;
    // `OpCode::names_memory`): the work is in `memories.rs`. They leave the chain; only
    // growth can move memory 0's buffer, so only it re-derives the view. -----
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; load_m $name:ident [$dst:ident $addr:ident $memory:ident $offset:ident] ($n:literal : $read:ident as $ext:ident)) => {{
        let offset = memories::offset($offset, param!($ip));
        let bytes = tri!(memories::load::<$n>($cx, $memory, get!($cx, $sp, $addr), offset));
        let v = <$read>::from_le_bytes(bytes) as $ext;
        set!($cx, $sp, $acc, $dst, v.into_cell());
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; store_m $name:ident [$addr:ident $value:ident $memory:ident $offset:ident] ($n:literal : $write:ident)) => {{
        let offset = memories::offset($offset, param!($ip));
        let (a, v) = (get!($cx, $sp, $addr), get!($cx, $sp, $value));
        tri!(memories::store::<$n>($cx, $memory, a, offset, (v as $write).to_le_bytes()));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control MemorySizeM [$dst:ident $memory:ident]) => {{
        let v = tri!(memories::size($cx, $memory));
        set!($cx, $sp, $acc, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control MemoryGrowM [$dst:ident $delta:ident $memory:ident]) => {{
        let r = tri!(memories::grow($cx, $memory, get!($cx, $sp, $delta)));
        refresh!($cx, $sp, $mem);
        set!($cx, $sp, $acc, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control MemoryFillM [$dst:ident $value:ident $len:ident $memory:ident]) => {{
        let (d, v, n) = (get!($cx, $sp, $dst), get!($cx, $sp, $value), get!($cx, $sp, $len));
        tri!(memories::fill($cx, $memory, d, v, n));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control MemoryCopyM [$dst:ident $src:ident $len:ident $dst_mem:ident $src_mem:ident]) => {{
        let args = [get!($cx, $sp, $dst), get!($cx, $sp, $src), get!($cx, $sp, $len)];
        tri!(memories::copy($cx, $dst_mem, $src_mem, args));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control MemoryInitM [$dst:ident $src:ident $len:ident $segment:ident]) => {{
        let memory = param!($ip);
        let args = [get!($cx, $sp, $dst), get!($cx, $sp, $src), get!($cx, $sp, $len)];
        tri!(memories::init($cx, memory, $segment, args));
    }};
    // ----- tail calls and wide arithmetic (proposals beyond 2.0; helpers in `tail_call.rs`) -----
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control ReturnCallInternal [$def:ident $base:ident]) => {{
        // SAFETY: as for `CallInternal`: `def` indexes the current instance's code slots.
        let slot = unsafe { &*$cx.st.code_slots.add($def as usize) };
        'entered: {
            if FAST_PATH {
                if let Some(code) = slot {
                    if tail_call::enter_fast($cx, &mut $ip, CodeRef(Arc::as_ptr(code)), $base as usize, $def) {
                        break 'entered;
                    }
                }
                divert!($cx $ip $sp $acc $fa $mem);
            }
            let callee = slot_code!($cx, $ip, slot, $def);
            tri!(tail_call::enter($cx, &mut $ip, callee, $base as usize, $def));
            $sp = $cx.sp();
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control ReturnCall [$callee:ident $base:ident]) => {{
        let addr = $cx.inner.instances[$cx.st.inst as usize].funcs[$callee as usize];
        tail_call_addr!($cx, $ip, $sp, $mem, addr, $base);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control ReturnCallIndirect [$index:ident $base:ident $table:ident $ty:ident]) => {{
        let i = get!($cx, $sp, $index) as u32;
        let addr = tri!(tail_call::indirect_target($cx, i, $table, $ty));
        'entered: {
            if FAST_PATH {
                // A lowered function of the current instance: as `ReturnCallInternal`.
                if let FuncEntity::Wasm { instance, def, .. } = $cx.inner.funcs[addr as usize] {
                    if instance == $cx.st.inst {
                        // SAFETY: `def` is a defined function of the current instance, whose
                        // code slots `code_slots` points at (see `State::code_slots`).
                        let slot = unsafe { &*$cx.st.code_slots.add(def as usize) };
                        if let Some(code) = slot {
                            if tail_call::enter_fast($cx, &mut $ip, CodeRef(Arc::as_ptr(code)), $base as usize, def) {
                                break 'entered;
                            }
                        }
                    }
                }
                divert!($cx $ip $sp $acc $fa $mem);
            }
            tail_call_addr!($cx, $ip, $sp, $mem, addr, $base);
        }
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I64Add128 [$dst:ident $lhs_lo:ident $lhs_hi:ident $rhs_lo:ident $rhs_hi:ident]) => {{
        let (a_lo, a_hi) = (get!($cx, $sp, $lhs_lo) as i64, get!($cx, $sp, $lhs_hi) as i64);
        let (b_lo, b_hi) = (get!($cx, $sp, $rhs_lo) as i64, get!($cx, $sp, $rhs_hi) as i64);
        let (lo, hi) = num::i64_add128(a_lo, a_hi, b_lo, b_hi);
        write_slot!($cx, $sp, $dst, lo as u64);
        write_slot!($cx, $sp, $dst + 1, hi as u64);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I64Sub128 [$dst:ident $lhs_lo:ident $lhs_hi:ident $rhs_lo:ident $rhs_hi:ident]) => {{
        let (a_lo, a_hi) = (get!($cx, $sp, $lhs_lo) as i64, get!($cx, $sp, $lhs_hi) as i64);
        let (b_lo, b_hi) = (get!($cx, $sp, $rhs_lo) as i64, get!($cx, $sp, $rhs_hi) as i64);
        let (lo, hi) = num::i64_sub128(a_lo, a_hi, b_lo, b_hi);
        write_slot!($cx, $sp, $dst, lo as u64);
        write_slot!($cx, $sp, $dst + 1, hi as u64);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I64MulWideS [$dst:ident $lhs:ident $rhs:ident]) => {{
        let (lo, hi) = num::i64_mul_wide_s(get!($cx, $sp, $lhs) as i64, get!($cx, $sp, $rhs) as i64);
        write_slot!($cx, $sp, $dst, lo as u64);
        write_slot!($cx, $sp, $dst + 1, hi as u64);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control I64MulWideU [$dst:ident $lhs:ident $rhs:ident]) => {{
        let (lo, hi) = num::i64_mul_wide_u(get!($cx, $sp, $lhs) as i64, get!($cx, $sp, $rhs) as i64);
        write_slot!($cx, $sp, $dst, lo as u64);
        write_slot!($cx, $sp, $dst + 1, hi as u64);
    }};
    // ----- SIMD (issue #8): every other instruction is one of the ISA's SIMD section, whose
    // handlers are in `simd.rs` -----
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; $family:ident $name:ident [$($field:ident)*] $(($($sem:tt)*))?) => {
        simd_handler!($cx $ip $sp $acc $fa $mem; $family $name [$($field)*] $(($($sem)*))?)
    };
}

/// The immediate of the `Param` at `$ip`, which follows the instruction being run (one that
/// takes a `Param`, `OpCode::takes_param`); traps if there is none.
macro_rules! param {
    ($ip:ident) => {
        // SAFETY: an instruction that takes a `Param` is not a terminator, so the op after it
        // (at `ip`) is inside `ops`; the lowering and the checked decoder put the `Param` there.
        match unsafe { *$ip } {
            Op::Param { value } => value,
            _ => trap!(TrapCode::Unreachable),
        }
    };
}

mod memories;
mod tail_call;

// The backends come after the macros: `macro_rules!` scoping is textual.
#[macro_use]
mod simd;
#[cfg_attr(
    fayasm_tail_dispatch,
    allow(dead_code, reason = "kept compiling so both backends stay in step")
)]
mod loop_backend;
#[cfg(fayasm_tail_dispatch)]
mod tail_backend;

fn memory0(inner: &StoreInner, inst: u32) -> Option<usize> {
    inner.instances[inst as usize].memories.first().map(|&m| m as usize)
}

/// Calls host function `addr` with its arguments at `stack[base..]`, writing the results there.
fn call_host<T>(
    store: &mut Store<T>,
    stack: &mut Vec<Cell>,
    base: usize,
    addr: u32,
    host: u32,
    inst: u32,
    max_cells: usize,
) -> Result<(), Error> {
    let data = &store.host_funcs[host as usize];
    reserve(stack, base + data.param_cells + data.result_cells, max_cells)?;
    invoke_host(store, stack, base, host, Some(Instance(inst))).map_err(|e| {
        // Name the import that trapped, in the calling module's index space.
        match e.into_trap() {
            Ok(trap) => {
                let funcs = &store.inner.instances[inst as usize].funcs;
                let trap = match funcs.iter().position(|&a| a == addr) {
                    Some(i) => trap.with_func(i as u32),
                    None => trap,
                };
                trap.with_instance(Instance(inst)).into()
            }
            Err(e) => e,
        }
    })
}

/// Runs host function `host` on the parameters at `stack[base..]` (room for its results
/// reserved after them) and leaves the results at `stack[base..]`. Allocates nothing and
/// clones nothing: the host function's data is reached through the store's `Arc` without
/// touching its count, its signature stored with it.
fn invoke_host<T>(
    store: &mut Store<T>,
    stack: &mut [Cell],
    base: usize,
    host: u32,
    instance: Option<Instance>,
) -> Result<(), Error> {
    let data: *const crate::store::HostFuncData<T> = Arc::as_ptr(&store.host_funcs[host as usize]);
    // SAFETY: entries of `Store::host_funcs` are only pushed, never removed or replaced (see
    // `store::HostFn`), so the `Arc` this points into keeps its data alive for as long as the
    // store, which outlives this call. The closure gets `&mut Store` and may push more host
    // functions: that moves the vector of `Arc`s, not the data they point at, and nothing
    // gives out `&mut` to that data, so this shared borrow is never aliased mutably.
    let data = unsafe { &*data };
    let (np, nr) = (data.param_cells, data.result_cells);
    let cells = &mut stack[base..base + np + nr];
    let result_at = if data.in_place { 0 } else { np };
    if !data.in_place {
        // Unset results of untyped functions read as zero (every type's default).
        for c in &mut cells[np..] {
            *c = 0;
        }
    }
    (data.f)(
        Caller { store, instance },
        HostCall::new(cells, np, result_at, &data.params, &data.results),
    )?;
    if !data.in_place {
        for i in 0..nr {
            cells[i] = cells[np + i];
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{MemView, effective};

    /// The one-compare bounds check against `MemView::last_start` agrees with the plain
    /// `start + width <= len` for every width, at the ends of memories smaller than, equal to
    /// and larger than the width, with offsets that push the sum past 2^32.
    #[test]
    fn bounds_check_matches_plain_range_check() {
        for len in [0usize, 1, 2, 3, 4, 7, 8, 15, 16, 17, 65536] {
            let view = MemView::new(core::ptr::null_mut(), len);
            for width in [1u64, 2, 4, 8, 16] {
                for addr in [0u64, 1, 2, 3, 7, 8, 15, 16, len as u64, u64::from(u32::MAX)] {
                    for offset in [0u32, 1, 4, len as u32, u32::MAX] {
                        let start = (addr & 0xffff_ffff) + u64::from(offset);
                        let want = (start + width <= len as u64).then_some(start as usize);
                        // The high bits of the address cell are ignored.
                        let cell = addr | 0xdead_0000_0000_0000;
                        assert_eq!(
                            effective(cell, offset, width, &view),
                            want,
                            "len {len}, width {width}, addr {addr}, offset {offset}"
                        );
                    }
                }
            }
        }
    }
}
