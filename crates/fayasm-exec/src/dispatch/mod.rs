//! The interpreter: runs microcode over a value stack of 64-bit cells.
//!
//! This is the portable dispatch loop: one `match` per instruction, all state in locals. Wasm
//! calls push a [`Frame`] on a heap-allocated frame stack instead of recursing natively, so the
//! configured call depth, not the native stack, bounds recursion. Only host calls recurse.

use crate::error::{Error, Trap};
use crate::externals::{grow_memory, grow_table};
use crate::func::Caller;
use crate::store::{FuncEntity, StoreInner};
use crate::{Instance, Store};
use alloc::sync::Arc;
use alloc::vec::Vec;
use fayasm_core::{Cell, TrapCode, Value, num};
use fayasm_ir::{FuncCode, Op};

/// A suspended caller.
struct Frame {
    code: Arc<FuncCode>,
    ip: *const Op,
    fp: usize,
    instance: u32,
    func: u32,
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

/// The byte range `[addr + offset, addr + offset + len)` if it lies within `mem_len`.
#[inline(always)]
fn effective(addr: Cell, offset: u32, len: u64, mem_len: usize) -> Option<usize> {
    let start = u64::from(addr as u32) + u64::from(offset);
    if start + len > mem_len as u64 { None } else { Some(start as usize) }
}

/// Bounds check of a bulk range `[start, start + len)` against `size`.
#[inline]
fn range_ok(start: u32, len: u32, size: usize) -> bool {
    u64::from(start) + u64::from(len) <= size as u64
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
            let f = store.host_funcs[host as usize].clone();
            for (r, t) in results.iter_mut().zip(store.inner.func_type(func).results.iter()) {
                *r = Value::default_for(*t);
            }
            f(Caller { store, instance: None }, params, results)?;
            check_host_results(&store.inner, func, results)?;
            Ok(())
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

fn check_host_results(inner: &StoreInner, func: u32, results: &[Value]) -> Result<(), Trap> {
    let ty = inner.func_type(func);
    for (r, t) in results.iter().zip(ty.results.iter()) {
        if r.ty() != *t {
            return Err(Trap::host(alloc::format!(
                "host function returned {} where {t} was expected",
                r.ty()
            )));
        }
    }
    Ok(())
}

/// The code of defined function `def` of `instance`, lowered on first use.
fn code_of(inner: &mut StoreInner, instance: u32, def: u32) -> Result<Arc<FuncCode>, Error> {
    let inst = &mut inner.instances[instance as usize];
    if let Some(code) = &inst.code[def as usize] {
        return Ok(code.clone());
    }
    let code = inst.module.code(def)?;
    inst.code[def as usize] = Some(code.clone());
    Ok(code)
}

/// Makes sure the stack holds `end` cells, within the configured limit.
#[inline]
fn reserve(stack: &mut Vec<Cell>, end: usize, max: usize) -> Result<(), TrapCode> {
    if end > stack.len() {
        if end > max {
            return Err(TrapCode::StackOverflow);
        }
        let new_len = end.max(stack.len() * 2).min(max);
        stack.resize(new_len, 0);
    }
    Ok(())
}

/// The linear memory 0 of the current instance as a raw view: base pointer and length.
/// Re-derived after anything that may move or resize the buffer (calls, returns, host calls,
/// `memory.grow`, bulk memory operations).
fn mem_view(inner: &mut StoreInner, mem: Option<usize>) -> (*mut u8, usize) {
    match mem {
        Some(m) => {
            let bytes = &mut inner.memories[m].bytes;
            (bytes.as_mut_ptr(), bytes.len())
        }
        None => (core::ptr::null_mut(), 0),
    }
}

/// Runs defined function `entry_def` of `entry_instance` whose arguments are in `stack[0..]`.
///
/// # Safety model
/// The loop reads and writes frame slots through `sp`, a raw pointer to the current frame in
/// `stack`, and fetches instructions through `ip`. Both are sound because of invariants the
/// lowering establishes and the interpreter maintains:
/// - every slot an instruction names is below its function's `frame_cells`, and
///   `stack.len() >= fp + frame_cells` is reserved before a frame is entered (`reserve`);
/// - `sp` is re-derived from `stack` after every operation that may reallocate it (calls, host
///   calls), and `ip` always points into the `ops` of `code`, which an `Arc` keeps alive;
/// - every branch offset lands inside the function and every function ends in a terminator
///   (`Return`, `Br`, `Unreachable` or a `BrTable` with its entries), so `ip` never leaves `ops`.
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
    let mut frames: Vec<Frame> = Vec::new();
    let mut inst = entry_instance;
    let mut code = code_of(&mut store.inner, inst, entry_def)?;
    let mut func =
        store.inner.instances[inst as usize].module.info().num_imported_funcs + entry_def;
    let mut fp = 0usize;
    reserve(stack, code.frame_cells as usize, max_cells)
        .map_err(|t| Trap::new(t).with_func(func))?;
    stack[code.param_cells as usize..code.local_cells as usize].fill(0);
    let mut mem: Option<usize> = memory0(&store.inner, inst);
    let (mut mem_ptr, mut mem_len) = mem_view(&mut store.inner, mem);
    let mut ip: *const Op = code.ops.as_ptr();
    // SAFETY: fp (0) + frame_cells cells are reserved above.
    let mut sp: *mut Cell = unsafe { stack.as_mut_ptr().add(fp) };

    macro_rules! get {
        ($s:expr) => {{
            debug_assert!(
                ($s as usize) < code.frame_cells as usize
                    && fp + code.frame_cells as usize <= stack.len()
            );
            // SAFETY: slots are below frame_cells and the frame is reserved (see the safety model).
            unsafe { *sp.add($s as usize) }
        }};
    }
    macro_rules! set {
        ($s:expr, $v:expr) => {{
            let v = $v;
            debug_assert!(
                ($s as usize) < code.frame_cells as usize
                    && fp + code.frame_cells as usize <= stack.len()
            );
            // SAFETY: slots are below frame_cells and the frame is reserved (see the safety model).
            unsafe { *sp.add($s as usize) = v }
        }};
    }
    macro_rules! jump {
        ($offset:expr) => {{
            // SAFETY: `ip` is one past the branching instruction; branch targets lie inside `ops`.
            ip = unsafe { ip.offset($offset as isize - 1) };
            debug_assert!(
                ip >= code.ops.as_ptr() && ip < code.ops.as_ptr().wrapping_add(code.ops.len())
            );
        }};
    }
    // Re-derives the raw views after the stack or memory may have moved.
    macro_rules! refresh {
        () => {{
            (mem_ptr, mem_len) = mem_view(&mut store.inner, mem);
            // SAFETY: fp + frame_cells cells of the current frame are reserved.
            sp = unsafe { stack.as_mut_ptr().add(fp) };
        }};
    }
    macro_rules! trap {
        ($code:expr) => {
            return Err(Trap::new($code).with_func(func).into())
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
    macro_rules! memory {
        () => {
            match mem {
                Some(m) => &mut store.inner.memories[m].bytes,
                None => trap!(TrapCode::MemoryOutOfBounds),
            }
        };
    }
    macro_rules! table {
        ($t:expr) => {{
            let addr = store.inner.instances[inst as usize].tables[$t as usize];
            &mut store.inner.tables[addr as usize]
        }};
    }
    // Enters function `$addr` (store address) with its frame at `fp + $base`.
    macro_rules! call_addr {
        ($addr:expr, $base:expr) => {{
            let addr: u32 = $addr;
            let new_fp = fp + $base as usize;
            match store.inner.funcs[addr as usize] {
                FuncEntity::Wasm { instance: callee_inst, def, .. } => {
                    if frames.len() >= max_depth {
                        trap!(TrapCode::StackOverflow);
                    }
                    let callee = code_of(&mut store.inner, callee_inst, def)?;
                    tri!(reserve(stack, new_fp + callee.frame_cells as usize, max_cells));
                    stack[new_fp + callee.param_cells as usize
                        ..new_fp + callee.local_cells as usize]
                        .fill(0);
                    let caller = core::mem::replace(&mut code, callee);
                    frames.push(Frame { code: caller, ip, fp, instance: inst, func });
                    fp = new_fp;
                    ip = code.ops.as_ptr();
                    if callee_inst != inst {
                        inst = callee_inst;
                        mem = memory0(&store.inner, inst);
                    }
                    func =
                        store.inner.instances[inst as usize].module.info().num_imported_funcs + def;
                    refresh!();
                }
                FuncEntity::Host { host, .. } => {
                    call_host(store, stack, new_fp, addr, host, inst, max_cells)?;
                    refresh!();
                }
            }
        }};
    }
    // The handler of each instruction: control ops by name, numeric ops by family.
    macro_rules! handler {
        (control Unreachable []) => {
            trap!(TrapCode::Unreachable)
        };
        (control Copy [$dst:ident $src:ident]) => {
            set!($dst, get!($src))
        };
        (control Copy2 [$dst:ident $src:ident]) => {{
            set!($dst, get!($src));
            set!($dst + 1, get!($src + 1));
        }};
        (control Const32 [$dst:ident $value:ident]) => {
            set!($dst, u64::from($value))
        };
        (control Const64 [$dst:ident $lo:ident $hi:ident]) => {
            set!($dst, u64::from($hi) << 32 | u64::from($lo))
        };
        (control Br [$offset:ident]) => {
            jump!($offset)
        };
        (control BrIfNez [$cond:ident $offset:ident]) => {
            if get!($cond) as u32 != 0 {
                jump!($offset);
            }
        };
        (control BrIfEqz [$cond:ident $offset:ident]) => {
            if get!($cond) as u32 == 0 {
                jump!($offset);
            }
        };
        (control BrTable [$index:ident $len:ident]) => {{
            let i = (get!($index) as u32).min($len);
            // SAFETY: `len + 1` `Br` entries follow the `BrTable`; `i <= len` selects one.
            ip = unsafe { ip.add(i as usize) };
        }};
        (control Param [$value:ident]) => {{
            let _ = $value;
        }};
        (control Return []) => {
            match frames.pop() {
                None => return Ok(()),
                Some(f) => {
                    code = f.code;
                    ip = f.ip;
                    fp = f.fp;
                    func = f.func;
                    if f.instance != inst {
                        inst = f.instance;
                        mem = memory0(&store.inner, inst);
                    }
                    refresh!();
                }
            }
        };
        (control ReturnOne [$src:ident]) => {{
            let v = get!($src);
            set!(0u16, v);
            handler!(control Return [])
        }};
        (control Call [$callee:ident $base:ident]) => {{
            let addr = store.inner.instances[inst as usize].funcs[$callee as usize];
            call_addr!(addr, $base);
        }};
        (control CallIndirect [$index:ident $base:ident $table:ident $ty:ident]) => {{
            let i = get!($index) as u32;
            let cell = match table!($table).elems.get(i as usize) {
                Some(&c) => c,
                None => trap!(TrapCode::UndefinedElement),
            };
            if cell == 0 {
                trap!(TrapCode::UninitializedElement);
            }
            let addr = (cell - 1) as u32;
            let want = store.inner.instances[inst as usize].types[$ty as usize];
            if store.inner.funcs[addr as usize].ty() != want {
                trap!(TrapCode::IndirectCallTypeMismatch);
            }
            call_addr!(addr, $base);
        }};
        (control Select [$dst:ident $cond:ident $if_true:ident $if_false:ident]) => {{
            let v = if get!($cond) as u32 != 0 { get!($if_true) } else { get!($if_false) };
            set!($dst, v);
        }};
        (control GlobalGet [$dst:ident $global:ident]) => {{
            let g = store.inner.instances[inst as usize].globals[$global as usize];
            set!($dst, store.inner.globals[g as usize].value);
        }};
        (control GlobalSet [$src:ident $global:ident]) => {{
            let g = store.inner.instances[inst as usize].globals[$global as usize];
            store.inner.globals[g as usize].value = get!($src);
        }};
        (control MemorySize [$dst:ident]) => {
            set!($dst, mem_len as u64 / crate::PAGE_SIZE)
        };
        (control MemoryGrow [$dst:ident $delta:ident]) => {{
            let delta = u64::from(get!($delta) as u32);
            let r = match mem {
                Some(m) => grow_memory(&mut store.inner.memories[m], delta)
                    .map_or(u32::MAX, |old| old as u32),
                None => u32::MAX,
            };
            refresh!();
            set!($dst, u64::from(r));
        }};
        (control MemoryFill [$dst:ident $value:ident $len:ident]) => {{
            let (d, v, n) = (get!($dst) as u32, get!($value) as u8, get!($len) as u32);
            let m = memory!();
            if !range_ok(d, n, m.len()) {
                trap!(TrapCode::MemoryOutOfBounds);
            }
            m[d as usize..(d + n) as usize].fill(v);
            refresh!();
        }};
        (control MemoryCopy [$dst:ident $src:ident $len:ident]) => {{
            let (d, s, n) = (get!($dst) as u32, get!($src) as u32, get!($len) as u32);
            let m = memory!();
            if !range_ok(d, n, m.len()) || !range_ok(s, n, m.len()) {
                trap!(TrapCode::MemoryOutOfBounds);
            }
            m.copy_within(s as usize..(s + n) as usize, d as usize);
            refresh!();
        }};
        (control MemoryInit [$dst:ident $src:ident $len:ident $segment:ident]) => {{
            let (d, s, n) = (get!($dst) as u32, get!($src) as u32, get!($len) as u32);
            let instance = &store.inner.instances[inst as usize];
            let module = instance.module.clone();
            let data = if instance.datas_live[$segment as usize] {
                let r = module.info().datas[$segment as usize].data.clone();
                &module.bytes()[r]
            } else {
                &[][..]
            };
            let m = memory!();
            if !range_ok(s, n, data.len()) || !range_ok(d, n, m.len()) {
                trap!(TrapCode::MemoryOutOfBounds);
            }
            m[d as usize..(d + n) as usize].copy_from_slice(&data[s as usize..(s + n) as usize]);
            refresh!();
        }};
        (control DataDrop [$segment:ident]) => {
            store.inner.instances[inst as usize].datas_live[$segment as usize] = false
        };
        (control TableGet [$dst:ident $index:ident $table:ident]) => {{
            let i = get!($index) as u32;
            let v = match table!($table).elems.get(i as usize) {
                Some(&c) => c,
                None => trap!(TrapCode::TableOutOfBounds),
            };
            set!($dst, v);
        }};
        (control TableSet [$index:ident $value:ident $table:ident]) => {{
            let (i, v) = (get!($index) as u32, get!($value));
            match table!($table).elems.get_mut(i as usize) {
                Some(c) => *c = v,
                None => trap!(TrapCode::TableOutOfBounds),
            }
        }};
        (control TableSize [$dst:ident $table:ident]) => {{
            let n = table!($table).elems.len() as u64;
            set!($dst, n);
        }};
        (control TableGrow [$dst:ident $init:ident $delta:ident $table:ident]) => {{
            let (v, n) = (get!($init), u64::from(get!($delta) as u32));
            let r = grow_table(table!($table), n, v).map_or(u32::MAX, |old| old as u32);
            set!($dst, u64::from(r));
        }};
        (control TableFill [$index:ident $value:ident $len:ident $table:ident]) => {{
            let (i, v, n) = (get!($index) as u32, get!($value), get!($len) as u32);
            let t = table!($table);
            if !range_ok(i, n, t.elems.len()) {
                trap!(TrapCode::TableOutOfBounds);
            }
            t.elems[i as usize..(i + n) as usize].fill(v);
        }};
        (control TableCopy [$dst:ident $src:ident $len:ident $dst_table:ident $src_table:ident]) => {{
            let (d, s, n) = (get!($dst) as u32, get!($src) as u32, get!($len) as u32);
            let src_len = table!($src_table).elems.len();
            let dst_len = table!($dst_table).elems.len();
            if !range_ok(s, n, src_len) || !range_ok(d, n, dst_len) {
                trap!(TrapCode::TableOutOfBounds);
            }
            if $dst_table == $src_table {
                table!($dst_table).elems.copy_within(s as usize..(s + n) as usize, d as usize);
            } else {
                let items: Vec<Cell> =
                    table!($src_table).elems[s as usize..(s + n) as usize].to_vec();
                table!($dst_table).elems[d as usize..(d + n) as usize].copy_from_slice(&items);
            }
        }};
        (control TableInit [$dst:ident $src:ident $len:ident $segment:ident]) => {{
            // SAFETY: the lowering always emits a `Param` with the table index right after.
            let table = match unsafe { *ip } {
                Op::Param { value } => value,
                _ => trap!(TrapCode::Unreachable),
            };
            let (d, s, n) = (get!($dst) as u32, get!($src) as u32, get!($len) as u32);
            let seg = store.inner.instances[inst as usize].elems[$segment as usize].clone();
            let items: &[Cell] = seg.as_deref().unwrap_or(&[]);
            let t = table!(table);
            if !range_ok(s, n, items.len()) || !range_ok(d, n, t.elems.len()) {
                trap!(TrapCode::TableOutOfBounds);
            }
            t.elems[d as usize..(d + n) as usize]
                .copy_from_slice(&items[s as usize..(s + n) as usize]);
        }};
        (control ElemDrop [$segment:ident]) => {
            store.inner.instances[inst as usize].elems[$segment as usize] = None
        };
        (control RefFunc [$dst:ident $f:ident]) => {{
            let addr = store.inner.instances[inst as usize].funcs[$f as usize];
            set!($dst, u64::from(addr) + 1);
        }};
        (unary $name:ident [$dst:ident $src:ident] ($f:ident : $a:ident -> $r:ident)) => {{
            let r: $r = num::$f(<$a>::from_cell(get!($src)));
            set!($dst, r.into_cell());
        }};
        (unary_trap $name:ident [$dst:ident $src:ident] ($f:ident : $a:ident -> $r:ident)) => {{
            let r: $r = tri!(num::$f(<$a>::from_cell(get!($src))));
            set!($dst, r.into_cell());
        }};
        (binary $name:ident [$dst:ident $lhs:ident $rhs:ident] ($f:ident : $a:ident -> $r:ident)) => {{
            let r: $r = num::$f(<$a>::from_cell(get!($lhs)), <$a>::from_cell(get!($rhs)));
            set!($dst, r.into_cell());
        }};
        (binary_trap $name:ident [$dst:ident $lhs:ident $rhs:ident] ($f:ident : $a:ident -> $r:ident)) => {{
            let r: $r = tri!(num::$f(<$a>::from_cell(get!($lhs)), <$a>::from_cell(get!($rhs))));
            set!($dst, r.into_cell());
        }};
        (binary_imm $name:ident [$dst:ident $lhs:ident $imm:ident] ($f:ident : $a:ident -> $r:ident)) => {{
            let r: $r = num::$f(<$a>::from_cell(get!($lhs)), $imm as $a);
            set!($dst, r.into_cell());
        }};
        (branch_cmp $name:ident [$lhs:ident $rhs:ident $offset:ident] ($f:ident : $a:ident)) => {
            if num::$f(<$a>::from_cell(get!($lhs)), <$a>::from_cell(get!($rhs))) != 0 {
                jump!($offset);
            }
        };
        (branch_cmp_imm $name:ident [$lhs:ident $imm:ident $offset:ident] ($f:ident : $a:ident)) => {
            if num::$f(<$a>::from_cell(get!($lhs)), $imm as $a) != 0 {
                jump!($offset);
            }
        };
        (load $name:ident [$dst:ident $addr:ident $offset:ident] ($n:literal : $read:ident as $ext:ident)) => {{
            let Some(at) = effective(get!($addr), $offset, $n, mem_len) else {
                trap!(TrapCode::MemoryOutOfBounds)
            };
            let src = mem_ptr.wrapping_add(at).cast::<[u8; $n]>();
            // SAFETY: `at + n <= mem_len`, the length of the buffer `mem_ptr` points to.
            let bytes: [u8; $n] = unsafe { core::ptr::read_unaligned(src) };
            let v = <$read>::from_le_bytes(bytes) as $ext;
            set!($dst, v.into_cell());
        }};
        (store $name:ident [$addr:ident $value:ident $offset:ident] ($n:literal : $write:ident)) => {{
            let (a, v) = (get!($addr), get!($value));
            let Some(at) = effective(a, $offset, $n, mem_len) else {
                trap!(TrapCode::MemoryOutOfBounds)
            };
            // SAFETY: `at + n <= mem_len`, the length of the buffer `mem_ptr` points to.
            unsafe {
                core::ptr::write_unaligned(
                    mem_ptr.add(at).cast::<[u8; $n]>(),
                    (v as $write).to_le_bytes(),
                )
            };
        }};
    }
    macro_rules! dispatch {
        ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
            loop {
                debug_assert!(ip >= code.ops.as_ptr() && ip < code.ops.as_ptr().wrapping_add(code.ops.len()));
                // SAFETY: `ip` points into `code.ops` (see the safety model).
                let op = unsafe { *ip };
                // SAFETY: every function ends in a terminator, so `ip + 1` is in `ops` or one past it.
                ip = unsafe { ip.add(1) };
                match op {
                    $( Op::$name { $($field),* } => dispatch!(@arm $family $name [$($field)*] $(($($sem)*))?), )*
                }
            }
        };
        (@arm control $name:ident [$($field:ident)*]) => { handler!(control $name [$($field)*]) };
        (@arm $family:ident $name:ident [$($field:ident)*] ($($sem:tt)*)) => { handler!($family $name [$($field)*] ($($sem)*)) };
    }
    fayasm_ir::for_each_op!(dispatch)
}

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
    let ty = store.inner.func_type(addr).clone();
    reserve(stack, base + ty.param_cells().max(ty.result_cells()) as usize, max_cells)?;
    let mut params = Vec::with_capacity(ty.params.len());
    let mut at = base;
    for &t in ty.params.iter() {
        params.push(Value::from_cells(t, &stack[at..]));
        at += t.cells() as usize;
    }
    let mut results: Vec<Value> = ty.results.iter().map(|&t| Value::default_for(t)).collect();
    let f = store.host_funcs[host as usize].clone();
    f(Caller { store, instance: Some(Instance(inst)) }, &params, &mut results)?;
    check_host_results(&store.inner, addr, &results)?;
    let mut at = base;
    for r in &results {
        r.write_cells(&mut stack[at..]);
        at += r.ty().cells() as usize;
    }
    Ok(())
}
