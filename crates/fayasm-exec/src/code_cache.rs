//! The code cache: lowered code of a module, shared by its instances in a store, within a byte
//! budget, with cold functions evicted and spilled to the store's [`SpillStore`].
//!
//! # Ownership
//!
//! Each store keeps one [`ModuleCache`] per module it instantiated: every instance of that
//! module in the store runs the same [`ExecCode`], so a function is lowered once per store, not
//! once per instance, and the instances share the budget ([`Config::code_budget`]).
//!
//! # The indirection, and why eviction is safe
//!
//! The interpreter reads a function's code from the cache's slot vector (`slots`, sized once,
//! so its buffer never moves): a filled slot is the fast path of `CallInternal` and of tail
//! calls, exactly as cheap as before the cache had a budget. Evicting a function empties its
//! slot, so its next call takes the existing slow path (`lower_now` in `dispatch`), which comes
//! here. Frames refer to their code by raw pointer (no reference count on the call path); the
//! cache never frees code a frame runs: before it evicts, it marks every function that has a
//! frame on the running interpreter's frame stack (and the current one), and every function of
//! a frame suspended under a host call that re-entered wasm (`StoreInner::suspended`, which
//! the driver fills only while a budget is in force), and skips those.
//!
//! # Eviction: CLOCK
//!
//! Resident functions sit on a clock; each has a reference bit. The hand sweeps from where it
//! stopped: a function with its bit set gets a second chance (the bit is cleared), one without
//! is evicted, until the new function fits. A function that cannot be evicted (it is running)
//! is skipped; if nothing more can go, the new function is still admitted and the cache runs
//! over budget (counted in [`CodeCacheStats::over_budget`]), so a function larger than the
//! whole budget still runs, alone.
//!
//! CLOCK rather than LRU because LRU must reorder a list on every use, which would put work on
//! the call fast path. CLOCK's bit is set on the slow path only (a lowering, a reload, a lookup
//! from the host or across instances) and by the sweep itself for functions it finds on a
//! frame stack, so the fast path does nothing at all. The cost: a hot leaf function that is
//! only ever called through the fast path looks cold to the clock and can be evicted; its next
//! call reloads it and sets its bit.
//!
//! # Spill and reload
//!
//! With a spill store attached ([`crate::Store::attach_spill_store`]), an evicted function is
//! written once as `fayasm_ir::encode` of [`ExecCode::unlink`] in the offload envelope
//! (kind `function`, the module's hash, the defined-function index), under key
//! `function-OWNER-INDEX` where `OWNER` is derived from the module hash: blobs of another
//! module have other keys, and the envelope's module hash rejects a collision. Blobs stay in
//! the store (module code never changes), so a later eviction writes nothing and a new process
//! with the same store starts warm.
//!
//! On a miss the cache first asks the store: a blob is accepted only after the envelope checks
//! (magic, version, kind, module hash, function index, length, CRC), the checked microcode
//! decoder (`fayasm_ir::encode::decode`: frame shape, branch targets, slots) and a check of
//! every module index in the code against the module (functions, globals, tables, memories,
//! types, segments); then it is linked ([`ExecCode::link`]). Otherwise (no blob, or a rejected
//! one) the function is lowered again from the wasm bytes.

use crate::code::ExecCode;
use crate::error::Error;
use crate::store::StoreInner;
use crate::{CompilationMode, Module};
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use fayasm_decode::ModuleInfo;
use fayasm_ir::{FuncCode, Op};
use fayasm_offload::SpillKey;
use fayasm_offload::envelope::{self, Expect, Header, Kind};

#[cfg(feature = "std")]
use std::time::{Duration, Instant};

/// What the code caches of a store did (see [`crate::Store::code_cache_stats`]).
///
/// Counters cover every module cache of the store since it was created. The interpreter's
/// fast path (a call whose code is resident) is not counted, so that it stays free: `hits`
/// counts only lookups made on the slow path (calls from the host, calls across instances,
/// hooked functions) that found the code resident.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CodeCacheStats {
    /// Slow-path lookups that found the code resident.
    pub hits: u64,
    /// Lookups that found the code absent (each ends in a reload or a lowering).
    pub misses: u64,
    /// Functions lowered for the first time.
    pub lowerings: u64,
    /// Functions lowered again: after an eviction without a usable blob, or after their blob
    /// was rejected.
    pub relowers: u64,
    /// Functions evicted to stay within the budget.
    pub evictions: u64,
    /// Blobs written to the spill store.
    pub spills: u64,
    /// Functions loaded back from a blob (envelope, checked decoder, index check, link).
    pub reloads: u64,
    /// Blobs found but rejected by one of those checks (the function was lowered again).
    pub rejected: u64,
    /// Spill writes that failed (the function was evicted anyway and is lowered on demand).
    pub spill_errors: u64,
    /// Bytes written to the spill store.
    pub bytes_written: u64,
    /// Bytes read from the spill store.
    pub bytes_read: u64,
    /// Resident code now, in bytes (instructions times their size).
    pub resident_bytes: u64,
    /// The most resident code at any time.
    pub peak_resident_bytes: u64,
    /// Functions resident now.
    pub resident_functions: u64,
    /// Times a function was admitted although the budget was exceeded, because nothing more
    /// could be evicted (everything else resident was running, or the function alone is larger
    /// than the budget).
    pub over_budget: u64,
    /// Time spent lowering (first time and again).
    #[cfg(feature = "std")]
    pub lower_time: Duration,
    /// Time spent reloading (reading, checking, decoding, linking).
    #[cfg(feature = "std")]
    pub reload_time: Duration,
    /// Time spent spilling (encoding and writing).
    #[cfg(feature = "std")]
    pub spill_time: Duration,
}

impl CodeCacheStats {
    /// The counters as `(name, value)` pairs, in a fixed order, names prefixed `code_` (what
    /// `fayasm run --stats` prints). Times are in microseconds.
    pub fn entries(&self) -> Vec<(&'static str, u64)> {
        #[allow(unused_mut, reason = "the times are only added with std")]
        let mut v = alloc::vec![
            ("code_hits", self.hits),
            ("code_misses", self.misses),
            ("code_lowerings", self.lowerings),
            ("code_relowers", self.relowers),
            ("code_evictions", self.evictions),
            ("code_spills", self.spills),
            ("code_reloads", self.reloads),
            ("code_rejected", self.rejected),
            ("code_spill_errors", self.spill_errors),
            ("code_bytes_written", self.bytes_written),
            ("code_bytes_read", self.bytes_read),
            ("code_resident_bytes", self.resident_bytes),
            ("code_peak_resident_bytes", self.peak_resident_bytes),
            ("code_resident_functions", self.resident_functions),
            ("code_over_budget", self.over_budget),
        ];
        #[cfg(feature = "std")]
        {
            v.push(("code_lower_time_us", self.lower_time.as_micros() as u64));
            v.push(("code_reload_time_us", self.reload_time.as_micros() as u64));
            v.push(("code_spill_time_us", self.spill_time.as_micros() as u64));
        }
        v
    }

    fn add(&mut self, o: &CodeCacheStats) {
        self.hits += o.hits;
        self.misses += o.misses;
        self.lowerings += o.lowerings;
        self.relowers += o.relowers;
        self.evictions += o.evictions;
        self.spills += o.spills;
        self.reloads += o.reloads;
        self.rejected += o.rejected;
        self.spill_errors += o.spill_errors;
        self.bytes_written += o.bytes_written;
        self.bytes_read += o.bytes_read;
        self.resident_bytes += o.resident_bytes;
        self.peak_resident_bytes += o.peak_resident_bytes;
        self.resident_functions += o.resident_functions;
        self.over_budget += o.over_budget;
        #[cfg(feature = "std")]
        {
            self.lower_time += o.lower_time;
            self.reload_time += o.reload_time;
            self.spill_time += o.spill_time;
        }
    }
}

/// Visits the `(instance, defined function)` of every running frame with the closure it is
/// given (see [`fetch`]).
pub(crate) type Running<'a> = dyn FnMut(&mut dyn FnMut(u32, u32)) + 'a;

/// The bytes a resident function counts against the budget.
pub(crate) fn code_bytes(code: &ExecCode) -> usize {
    code.ops.len() * size_of::<Op>()
}

/// One defined function's cache state.
#[derive(Debug, Default)]
struct Entry {
    /// The code, while resident (also for hooked functions, whose fast-path slot stays empty).
    code: Option<Arc<ExecCode>>,
    /// CLOCK's reference bit.
    referenced: bool,
    /// The spill store holds a blob of this function that this cache wrote or accepted.
    spilled: bool,
    /// The function was lowered before (so lowering it again is a re-lowering).
    lowered_before: bool,
    /// Calls must take the slow path (an entry hook is registered for it).
    hooked: bool,
}

/// The lowered code of one module in one store; see the [module docs](self).
#[derive(Debug)]
pub(crate) struct ModuleCache {
    pub(crate) module: Module,
    /// The interpreter's view: the code of each defined function while resident and not
    /// hooked. Sized once, never resized, so its buffer does not move (`State::code_slots`).
    pub(crate) slots: Vec<Option<Arc<ExecCode>>>,
    entries: Vec<Entry>,
    budget: Option<usize>,
    resident: usize,
    hand: usize,
    stats: CodeCacheStats,
}

impl ModuleCache {
    pub(crate) fn new(module: &Module) -> ModuleCache {
        let n = module.info().bodies.len();
        let budget = module.engine().config().code_budget;
        let mut cache = ModuleCache {
            module: module.clone(),
            slots: (0..n).map(|_| None).collect(),
            entries: (0..n).map(|_| Entry::default()).collect(),
            budget,
            resident: 0,
            hand: 0,
            stats: CodeCacheStats::default(),
        };
        // Unbudgeted eager mode: the module lowered everything already; share it.
        if let Some(all) = &module.0.eager {
            for (def, code) in all.iter().enumerate() {
                cache.admit(def, code.clone());
                cache.entries[def].lowered_before = true;
            }
        }
        cache
    }

    fn hash(&self) -> u64 {
        self.module.0.hash
    }

    fn key(&self, def: u32) -> SpillKey {
        spill_key(&self.module, def)
    }

    fn admit(&mut self, def: usize, code: Arc<ExecCode>) {
        self.resident += code_bytes(&code);
        let e = &mut self.entries[def];
        if !e.hooked {
            self.slots[def] = Some(code.clone());
        }
        e.code = Some(code);
        e.referenced = true;
        self.stats.peak_resident_bytes = self.stats.peak_resident_bytes.max(self.resident as u64);
    }

    /// Counts a slow-path lookup that found the code in its slot.
    #[inline(always)]
    pub(crate) fn count_hit(&mut self) {
        self.stats.hits += 1;
    }

    /// Whether calls of `def` take the slow path for an entry hook.
    pub(crate) fn is_hooked(&self, def: u32) -> bool {
        self.entries[def as usize].hooked
    }

    /// Whether calls of `def` must take the slow path for an entry hook.
    pub(crate) fn set_hooked(&mut self, def: u32, hooked: bool) {
        let e = &mut self.entries[def as usize];
        e.hooked = hooked;
        self.slots[def as usize] = if hooked { None } else { e.code.clone() };
    }

    /// The counters of this cache, with the resident figures of now.
    pub(crate) fn stats(&self) -> CodeCacheStats {
        let mut s = self.stats;
        s.resident_bytes = self.resident as u64;
        s.resident_functions = self.entries.iter().filter(|e| e.code.is_some()).count() as u64;
        s
    }
}

/// The cache of `module` in `inner`, created on first use. Eager mode under a budget lowers
/// every function now (evicting and spilling as it goes), so later calls reload.
pub(crate) fn cache_for(inner: &mut StoreInner, module: &Module) -> Result<u32, Error> {
    if let Some(i) = inner.code_caches.iter().position(|c| Arc::ptr_eq(&c.module.0, &module.0)) {
        return Ok(i as u32);
    }
    let id = inner.code_caches.len() as u32;
    let cache = ModuleCache::new(module);
    if cache.budget.is_some() {
        inner.code_budgeted = true;
    }
    let prescan = cache.budget.is_some()
        && module.engine().config().compilation_mode == CompilationMode::Eager;
    inner.code_caches.push(cache);
    if prescan {
        for def in 0..module.info().bodies.len() as u32 {
            fetch(inner, id, def, &mut |_| {})?;
        }
    }
    Ok(id)
}

/// The code of defined function `def` of cache `cache`: resident, reloaded from the spill
/// store, or lowered. `running` visits the `(instance, def)` of every frame of the running
/// interpreter (and its current function): those are never evicted, nor are the frames
/// suspended under host calls (`StoreInner::suspended`).
#[inline(never)]
pub(crate) fn fetch(
    inner: &mut StoreInner,
    cache: u32,
    def: u32,
    running: &mut Running<'_>,
) -> Result<Arc<ExecCode>, Error> {
    let c = &mut inner.code_caches[cache as usize];
    let e = &mut c.entries[def as usize];
    if let Some(code) = &e.code {
        e.referenced = true;
        c.stats.hits += 1;
        return Ok(code.clone());
    }
    c.stats.misses += 1;
    let code = match reload(inner, cache, def) {
        Some(code) => code,
        None => lower_into(&mut inner.code_caches[cache as usize], def)?,
    };
    make_room(inner, cache, def, code_bytes(&code), running);
    let c = &mut inner.code_caches[cache as usize];
    c.admit(def as usize, code.clone());
    Ok(code)
}

fn lower_into(c: &mut ModuleCache, def: u32) -> Result<Arc<ExecCode>, Error> {
    #[cfg(feature = "std")]
    let start = Instant::now();
    let code = lower(&c.module, def)?;
    #[cfg(feature = "std")]
    {
        c.stats.lower_time += start.elapsed();
    }
    let e = &mut c.entries[def as usize];
    if e.lowered_before {
        c.stats.relowers += 1;
    } else {
        c.stats.lowerings += 1;
    }
    e.lowered_before = true;
    Ok(Arc::new(code))
}

/// Loads `def` from the spill store if it holds a blob that passes every check. A rejected
/// blob counts as `rejected`, and the lowering that follows as a re-lowering.
fn reload(inner: &mut StoreInner, cache: u32, def: u32) -> Option<Arc<ExecCode>> {
    let StoreInner { code_caches, spill, code_buf, .. } = inner;
    let store = spill.0.as_mut()?;
    let c = &mut code_caches[cache as usize];
    #[cfg(feature = "std")]
    let start = Instant::now();
    let key = c.key(def);
    let found = store.get(key, code_buf);
    let outcome = match found {
        Ok(false) => return None,
        Ok(true) => {
            c.stats.bytes_read += code_buf.len() as u64;
            let expect = Expect { kind: Kind::LoweredFunction, module_hash: c.hash(), index: def };
            accept(code_buf, &expect, c.module.info())
        }
        Err(e) => Err(alloc::format!("{e}")),
    };
    #[cfg(feature = "std")]
    {
        c.stats.reload_time += start.elapsed();
    }
    let e = &mut c.entries[def as usize];
    match outcome {
        Ok(code) => {
            c.stats.reloads += 1;
            e.spilled = true;
            Some(Arc::new(code))
        }
        Err(_) => {
            c.stats.rejected += 1;
            // The lowering that follows replaces a function that had a blob.
            e.lowered_before = true;
            e.spilled = false;
            None
        }
    }
}

/// The spill store key of defined function `def` of `module`: kind `function`, an owner derived
/// from the module hash, the function index.
pub fn spill_key(module: &Module, def: u32) -> SpillKey {
    let h = module.0.hash;
    SpillKey::new(Kind::LoweredFunction, (h ^ (h >> 32)) as u32, def)
}

/// Defined function `def` of `module` lowered from its wasm bytes and linked: what a miss
/// without a usable blob costs.
pub fn lower(module: &Module, def: u32) -> Result<ExecCode, Error> {
    module.lower_linked(def)
}

/// The blob a spill of `code` (defined function `def` of `module`) writes: the offload
/// envelope around `fayasm_ir::encode` of [`ExecCode::unlink`].
pub fn spill_blob(module: &Module, def: u32, code: &ExecCode) -> Vec<u8> {
    let mut payload = Vec::new();
    fayasm_ir::encode::encode(&code.unlink(), &mut payload);
    envelope::encode(Kind::LoweredFunction, module.0.hash, def, &payload)
}

/// Loads `blob` as defined function `def` of `module`, with the checks of a reload (envelope,
/// checked decoder, module indices) and the link: what a miss with a blob costs.
pub fn reload_blob(module: &Module, def: u32, blob: &[u8]) -> Result<ExecCode, Error> {
    let expect = Expect { kind: Kind::LoweredFunction, module_hash: module.0.hash, index: def };
    accept(blob, &expect, module.info())
        .map_err(|m| crate::SpillError::Malformed(alloc::format!("function {def}: {m}")).into())
}

/// The checks a blob passes before it runs; see the [module docs](self).
pub(crate) fn accept(blob: &[u8], expect: &Expect, info: &ModuleInfo) -> Result<ExecCode, String> {
    let (_, payload) =
        envelope::decode(blob, expect).map_err(|e| alloc::format!("envelope: {e}"))?;
    let code = fayasm_ir::encode::decode(payload).map_err(|e| alloc::format!("microcode: {e}"))?;
    check_indices(&code, info)?;
    ExecCode::link(code).map_err(|e| alloc::format!("link: {e}"))
}

/// Checks every module index the code names against `info`: what the checked decoder cannot
/// know, and what the interpreter's unchecked accesses rely on.
pub(crate) fn check_indices(code: &FuncCode, info: &ModuleInfo) -> Result<(), String> {
    let limits = Limits {
        defs: info.bodies.len(),
        funcs: info.funcs.len(),
        globals: info.globals.len(),
        tables: info.tables.len(),
        memories: info.memories.len(),
        types: info.types.len(),
        datas: info.datas.len(),
        elems: info.elements.len(),
    };
    let mut prev: Option<Op> = None;
    for (at, op) in code.ops.iter().enumerate() {
        check_op(op, &limits).map_err(|what| alloc::format!("instruction {at}: {what}"))?;
        // The `Param` after `TableInit` names its table; after `MemoryInitM`, its memory.
        if let (Some(p), Op::Param { value }) = (prev, op) {
            let bad = match p {
                Op::TableInit { .. } => *value as usize >= limits.tables,
                Op::MemoryInitM { .. } => *value as usize >= limits.memories,
                _ => false,
            };
            if bad {
                return Err(alloc::format!("instruction {at}: index {value} out of range"));
            }
        }
        prev = Some(*op);
    }
    Ok(())
}

struct Limits {
    defs: usize,
    funcs: usize,
    globals: usize,
    tables: usize,
    memories: usize,
    types: usize,
    datas: usize,
    elems: usize,
}

/// Checks the index fields of one op, found by field name in the ISA list.
fn check_op(op: &Op, l: &Limits) -> Result<(), &'static str> {
    let data_segment =
        matches!(op, Op::MemoryInit { .. } | Op::DataDrop { .. } | Op::MemoryInitM { .. });
    macro_rules! check {
        ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
            match *op {
                $( Op::$name { $($field),* } => { $( check!(@field $field $field); )* } )*
            }
        };
        (@field def $v:ident) => { if $v as usize >= l.defs { return Err("defined function index out of range") } };
        (@field func $v:ident) => { if $v as usize >= l.funcs { return Err("function index out of range") } };
        (@field global $v:ident) => { if $v as usize >= l.globals { return Err("global index out of range") } };
        (@field table $v:ident) => { if $v as usize >= l.tables { return Err("table index out of range") } };
        (@field dst_table $v:ident) => { if $v as usize >= l.tables { return Err("table index out of range") } };
        (@field src_table $v:ident) => { if $v as usize >= l.tables { return Err("table index out of range") } };
        (@field memory $v:ident) => { if $v as usize >= l.memories { return Err("memory index out of range") } };
        (@field dst_mem $v:ident) => { if $v as usize >= l.memories { return Err("memory index out of range") } };
        (@field src_mem $v:ident) => { if $v as usize >= l.memories { return Err("memory index out of range") } };
        (@field ty $v:ident) => { if $v as usize >= l.types { return Err("type index out of range") } };
        (@field segment $v:ident) => {
            if $v as usize >= if data_segment { l.datas } else { l.elems } {
                return Err("segment index out of range")
            }
        };
        (@field $other:ident $v:ident) => { let _ = $v; };
    }
    fayasm_ir::for_each_op!(check);
    Ok(())
}

/// Evicts cold functions of `cache` until `need` more bytes fit its budget (see the CLOCK
/// section of the [module docs](self)).
fn make_room(inner: &mut StoreInner, cache: u32, def: u32, need: usize, running: &mut Running<'_>) {
    let c = &inner.code_caches[cache as usize];
    let Some(budget) = c.budget else { return };
    if c.resident + need <= budget {
        return;
    }
    // Mark what runs: this interpreter's frames, and frames suspended under host calls.
    let n = c.entries.len();
    let mut pinned = alloc::vec![false; n];
    pinned[def as usize] = true;
    {
        let StoreInner { instances, suspended, .. } = &*inner;
        let mut mark = |inst: u32, d: u32| {
            if instances.get(inst as usize).is_some_and(|i| i.cache == cache)
                && let Some(p) = pinned.get_mut(d as usize)
            {
                *p = true;
            }
        };
        running(&mut mark);
        for &(inst, d) in suspended.iter() {
            mark(inst, d);
        }
    }
    let StoreInner { code_caches, spill, code_buf, .. } = inner;
    let c = &mut code_caches[cache as usize];
    // Two turns: the first may only clear reference bits.
    let mut steps = 0;
    while c.resident + need > budget && steps < 2 * n {
        let i = c.hand;
        c.hand = (c.hand + 1) % n;
        steps += 1;
        let e = &mut c.entries[i];
        if e.code.is_none() {
            continue;
        }
        if pinned[i] {
            // Running: hot by definition.
            e.referenced = true;
            continue;
        }
        if core::mem::take(&mut e.referenced) {
            continue;
        }
        evict(c, i, spill, code_buf);
    }
    if c.resident + need > budget {
        c.stats.over_budget += 1;
    }
}

fn evict(c: &mut ModuleCache, i: usize, spill: &mut crate::spill::SpillSlot, buf: &mut Vec<u8>) {
    let Some(code) = c.entries[i].code.take() else { return };
    c.slots[i] = None;
    c.resident -= code_bytes(&code);
    c.stats.evictions += 1;
    if c.entries[i].spilled {
        return;
    }
    let Some(store) = spill.0.as_mut() else { return };
    #[cfg(feature = "std")]
    let start = Instant::now();
    let key = c.key(i as u32);
    let hash = c.hash();
    buf.clear();
    fayasm_ir::encode::encode(&code.unlink(), buf);
    let header = Header::for_payload(Kind::LoweredFunction, hash, i as u32, buf).to_bytes();
    match store.put_parts(key, &[&header, buf]) {
        Ok(()) => {
            c.stats.spills += 1;
            c.stats.bytes_written += (header.len() + buf.len()) as u64;
            c.entries[i].spilled = true;
        }
        Err(_) => c.stats.spill_errors += 1,
    }
    #[cfg(feature = "std")]
    {
        c.stats.spill_time += start.elapsed();
    }
}

/// The counters of every module cache of the store, summed.
pub(crate) fn store_stats(inner: &StoreInner) -> CodeCacheStats {
    let mut s = CodeCacheStats::default();
    for c in &inner.code_caches {
        s.add(&c.stats());
    }
    s
}

/// Forgets which functions have blobs in the spill store (it is being replaced or detached),
/// so the next eviction writes them to the new one.
pub(crate) fn forget_spilled(inner: &mut StoreInner) {
    for c in &mut inner.code_caches {
        c.entries.iter_mut().for_each(|e| e.spilled = false);
    }
}
