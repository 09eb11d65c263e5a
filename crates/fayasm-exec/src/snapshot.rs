//! Instance snapshots: all mutable state of one instance as one blob, restored into a fresh
//! instance of the same module (after a reboot, in another process).
//!
//! The blob is a `fayasm_offload` envelope of kind `InstanceSnapshot` whose module hash is
//! that of the module's bytes, so a snapshot of another module is rejected before anything is
//! read. The payload, little-endian throughout:
//!
//! | field | encoding |
//! | --- | --- |
//! | flags | `u32`; bit 0: the start function has run; bit 1: memories record their type (always set since memory64) |
//! | memories | `u32` count, then per memory: `u8` imported, `u8` index type (0 `i32`, 1 `i64`) and `u8` log2 of the page size (16 or 0) when flag bit 1 is set, `u64` maximum (`u64::MAX`: none), `u64` pages, the bytes |
//! | tables | `u32` count, then per table: `u8` imported, `u8` element type (0 funcref, 1 externref), `u64` maximum, `u64` length, `u64` per element |
//! | globals | `u32` count, then per global: `u8` imported, `u8` value type, `u8` mutable, `u64` value (a `v128`: low half, then a second `u64`, the high half) |
//! | element segments | `u32` count, then `u8` per segment: 1 live, 0 dropped |
//! | data segments | `u32` count, then `u8` per segment: 1 live, 0 dropped |
//!
//! The entities are those of the instance's index spaces, imported ones included (a snapshot
//! restores what the instance sees). A `funcref` is stored as `1 +` the function's index in the
//! instance's function index space (0 is null), since store addresses differ between stores; a
//! reference to a function outside that space cannot be snapshotted. An `externref` is a host
//! value and is stored as it is. Restoring checks the shape first (counts, which entities are
//! imported, types, maxima, and that every memory and table can take the snapshot's size),
//! then writes: a snapshot that does not fit changes nothing.
//!
//! A table's index type (32- or 64-bit) is not recorded: it is the module's (an import must
//! match it), and a snapshot restores only into an instance of the same module.
//!
//! Snapshots written before memory64 and custom page sizes (flag bit 1 clear) have no index
//! type or page size per memory; they are read as 32-bit memories of 64 KiB pages, so they
//! restore as before into such memories and fail the type check, with a message naming the
//! memory, against any other. A build that predates bit 1 rejects newer snapshots as having
//! unknown flags.

use crate::error::Error;
use crate::spill::SpillError;
use crate::store::{AsContextMut, StoreInner};
use crate::{Instance, Module};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use fayasm_core::{RefType, ValType};
use fayasm_offload::envelope::{self, Expect, Kind};
use fayasm_offload::{SpillKey, SpillStore};

const STARTED: u32 = 1;
/// Flag bit 1: each memory records its index type and page size.
const MEMORY_TYPES: u32 = 2;
const NO_MAX: u64 = u64::MAX;

fn val_code(t: ValType) -> u8 {
    match t {
        ValType::I32 => 0,
        ValType::I64 => 1,
        ValType::F32 => 2,
        ValType::F64 => 3,
        ValType::V128 => 4,
        ValType::FuncRef => 5,
        ValType::ExternRef => 6,
    }
}

fn mismatch(m: String) -> Error {
    SpillError::Mismatch(m).into()
}

fn malformed(m: &str) -> Error {
    SpillError::Malformed(format!("snapshot payload: {m}")).into()
}

/// Loads the snapshot blob `key` from `spill`.
pub(crate) fn fetch_snapshot(spill: &mut dyn SpillStore, key: SpillKey) -> Result<Vec<u8>, Error> {
    let mut blob = Vec::new();
    if !spill.get(key, &mut blob).map_err(SpillError::Store)? {
        return Err(SpillError::Missing { key }.into());
    }
    Ok(blob)
}

/// Checks the envelope of `blob` against `module`; returns the payload.
pub(crate) fn check_envelope<'a>(module: &Module, blob: &'a [u8]) -> Result<&'a [u8], Error> {
    let expect = Expect {
        kind: Kind::InstanceSnapshot,
        module_hash: envelope::module_hash(module.bytes()),
        index: 0,
    };
    let (_, payload) = envelope::decode(blob, &expect)
        .map_err(|error| SpillError::Envelope { what: String::from("snapshot"), error })?;
    Ok(payload)
}

/// The instance's functions by store address, for funcref translation.
fn func_index(funcs: &[u32]) -> Vec<(u32, u32)> {
    let mut v: Vec<(u32, u32)> = funcs.iter().enumerate().map(|(i, &a)| (a, i as u32)).collect();
    v.sort_unstable();
    v
}

/// A funcref cell (store address + 1, 0 null) as 1 + its instance function index.
fn encode_ref(index: &[(u32, u32)], cell: u64, what: &dyn Fn() -> String) -> Result<u64, Error> {
    if cell == 0 {
        return Ok(0);
    }
    let addr = (cell - 1) as u32;
    match index.binary_search_by_key(&addr, |&(a, _)| a) {
        Ok(i) => Ok(u64::from(index[i].1) + 1),
        Err(_) => Err(mismatch(format!(
            "{} refers to a function outside the instance's index space",
            what()
        ))),
    }
}

fn decode_ref(funcs: &[u32], v: u64) -> Result<u64, Error> {
    if v == 0 {
        return Ok(0);
    }
    let i = usize::try_from(v - 1).map_err(|_| malformed("function index out of range"))?;
    let addr = funcs.get(i).ok_or_else(|| malformed("function index out of range"))?;
    Ok(u64::from(*addr) + 1)
}

impl Instance {
    /// Saves all mutable state of this instance (memories, tables, globals, dropped segments,
    /// whether the start function ran) as one blob; see [`crate::Linker::instantiate_restored`].
    /// Spilled state is loaded first.
    pub fn snapshot(&self, mut store: impl AsContextMut) -> Result<Vec<u8>, Error> {
        let inner = &mut store.as_context_mut().inner;
        inner.ensure_loaded()?;
        let payload = encode_payload(inner, self.0)?;
        let hash = envelope::module_hash(inner.instances[self.0 as usize].module.bytes());
        Ok(envelope::encode(Kind::InstanceSnapshot, hash, 0, &payload))
    }

    /// Saves a [snapshot](Instance::snapshot) into `spill` under `key` (with a `DirStore`, the
    /// write is durable and a power loss during it leaves the previous snapshot readable).
    pub fn save_snapshot(
        &self,
        store: impl AsContextMut,
        spill: &mut dyn SpillStore,
        key: SpillKey,
    ) -> Result<(), Error> {
        let blob = self.snapshot(store)?;
        spill.put(key, &blob).map_err(|e| SpillError::Store(e).into())
    }

    /// Overwrites this instance's state with `snapshot`, which must come from an instance of
    /// the same module with the same import shape. Nothing is changed if a check fails.
    /// Refused while a call into wasm runs (from a host function), like spilling.
    pub fn restore(&self, mut store: impl AsContextMut, snapshot: &[u8]) -> Result<(), Error> {
        let inner = &mut store.as_context_mut().inner;
        if inner.active != 0 {
            return Err(SpillError::Busy.into());
        }
        inner.ensure_loaded()?;
        let module = inner.instances[self.0 as usize].module.clone();
        let payload = check_envelope(&module, snapshot)?;
        let state = decode_payload(payload)?;
        check_fits(inner, self.0, &state)?;
        apply(inner, self.0, state)
    }
}

fn encode_payload(inner: &StoreInner, inst: u32) -> Result<Vec<u8>, Error> {
    let i = &inner.instances[inst as usize];
    let info = i.module.info();
    let index = func_index(&i.funcs);
    let mut size = 64;
    for &m in &i.memories {
        size += 19 + inner.memories[m as usize].bytes.len();
    }
    for &t in &i.tables {
        size += 26 + inner.tables[t as usize].elems.len() * 8;
    }
    size += i.globals.len() * 11 + i.elems.len() + i.datas_live.len();
    size += i
        .globals
        .iter()
        .filter(|&&g| inner.globals[g as usize].ty.content == ValType::V128)
        .count()
        * 8;
    let mut out = Vec::new();
    out.try_reserve_exact(size).map_err(|_| Error::limit("no memory for the snapshot"))?;
    let flags = MEMORY_TYPES | if i.started { STARTED } else { 0 };
    out.extend_from_slice(&flags.to_le_bytes());

    out.extend_from_slice(&(i.memories.len() as u32).to_le_bytes());
    for (k, &m) in i.memories.iter().enumerate() {
        let m = &inner.memories[m as usize];
        out.push(u8::from(k < info.num_imported_memories as usize));
        out.push(u8::from(m.ty.memory64));
        out.push(m.ty.page_size_log2);
        out.extend_from_slice(&m.ty.max.unwrap_or(NO_MAX).to_le_bytes());
        out.extend_from_slice(&m.pages().to_le_bytes());
        out.extend_from_slice(&m.bytes);
    }
    out.extend_from_slice(&(i.tables.len() as u32).to_le_bytes());
    for (k, &t) in i.tables.iter().enumerate() {
        let t = &inner.tables[t as usize];
        out.push(u8::from(k < info.num_imported_tables as usize));
        out.push(u8::from(t.ty.element == RefType::Extern));
        out.extend_from_slice(&t.ty.max.unwrap_or(NO_MAX).to_le_bytes());
        out.extend_from_slice(&(t.elems.len() as u64).to_le_bytes());
        for (e, &c) in t.elems.iter().enumerate() {
            let v = match t.ty.element {
                RefType::Func => encode_ref(&index, c, &|| format!("table {k} element {e}"))?,
                RefType::Extern => c,
            };
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out.extend_from_slice(&(i.globals.len() as u32).to_le_bytes());
    for (k, &addr) in i.globals.iter().enumerate() {
        let g = &inner.globals[addr as usize];
        out.push(u8::from(k < info.num_imported_globals as usize));
        out.push(val_code(g.ty.content));
        out.push(u8::from(g.ty.mutable));
        let v = match g.ty.content {
            ValType::FuncRef => encode_ref(&index, g.value, &|| format!("global {k}"))?,
            _ => g.value,
        };
        out.extend_from_slice(&v.to_le_bytes());
        if g.ty.content == ValType::V128 {
            out.extend_from_slice(&inner.global_hi(addr).to_le_bytes());
        }
    }
    out.extend_from_slice(&(i.elems.len() as u32).to_le_bytes());
    out.extend(i.elems.iter().map(|e| u8::from(e.is_some())));
    out.extend_from_slice(&(i.datas_live.len() as u32).to_le_bytes());
    out.extend(i.datas_live.iter().map(|&d| u8::from(d)));
    Ok(out)
}

/// A memory of a decoded snapshot.
struct SnapMemory<'a> {
    imported: bool,
    memory64: bool,
    page_size_log2: u8,
    max: u64,
    pages: u64,
    bytes: &'a [u8],
}

/// A decoded snapshot payload, borrowing the memory bytes.
struct State<'a> {
    started: bool,
    memories: Vec<SnapMemory<'a>>,
    tables: Vec<(bool, u8, u64, Vec<u64>)>,
    /// Imported, type code, mutable, value (a v128's low half).
    globals: Vec<(bool, u8, bool, u64)>,
    /// The high halves of the v128 globals, in order.
    globals_hi: Vec<u64>,
    elems: Vec<bool>,
    datas: Vec<bool>,
}

/// A cursor over a payload; every read is bounds-checked.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], Error> {
        if self.0.len() < n {
            return Err(malformed(&format!("ends inside {what}")));
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }
    fn u8(&mut self, what: &str) -> Result<u8, Error> {
        Ok(self.take(1, what)?[0])
    }
    fn flag(&mut self, what: &str) -> Result<bool, Error> {
        match self.u8(what)? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(malformed(&format!("{what} is not 0 or 1"))),
        }
    }
    fn u32(&mut self, what: &str) -> Result<u32, Error> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self, what: &str) -> Result<u64, Error> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8, what)?);
        Ok(u64::from_le_bytes(a))
    }
    /// A count of items at least `min_size` bytes each, checked against what is left.
    fn count(&mut self, min_size: usize, what: &str) -> Result<usize, Error> {
        let n = self.u32(what)? as usize;
        if n.saturating_mul(min_size) > self.0.len() {
            return Err(malformed(&format!("{what} count {n} exceeds the payload")));
        }
        Ok(n)
    }
}

fn decode_payload(payload: &[u8]) -> Result<State<'_>, Error> {
    let mut r = Reader(payload);
    let flags = r.u32("flags")?;
    if flags & !(STARTED | MEMORY_TYPES) != 0 {
        return Err(malformed("unknown flags"));
    }
    let typed = flags & MEMORY_TYPES != 0;
    let n = r.count(if typed { 19 } else { 17 }, "memory")?;
    let mut memories = Vec::with_capacity(n);
    for _ in 0..n {
        let imported = r.flag("memory import flag")?;
        let (memory64, page_size_log2) = if typed {
            let memory64 = r.flag("memory index type")?;
            let log2 = r.u8("memory page size")?;
            if log2 != 0 && log2 != 16 {
                return Err(malformed(&format!("memory page size 2^{log2} is not 1 or 65536")));
            }
            (memory64, log2)
        } else {
            (false, fayasm_decode::MemoryType::DEFAULT_PAGE_SIZE_LOG2)
        };
        let max = r.u64("memory maximum")?;
        let pages = r.u64("memory size")?;
        let len = pages
            .checked_mul(1 << page_size_log2)
            .and_then(|l| usize::try_from(l).ok())
            .ok_or_else(|| malformed("memory size overflows"))?;
        let bytes = r.take(len, "memory bytes")?;
        memories.push(SnapMemory { imported, memory64, page_size_log2, max, pages, bytes });
    }
    let n = r.count(26, "table")?;
    let mut tables = Vec::with_capacity(n);
    for _ in 0..n {
        let imported = r.flag("table import flag")?;
        let elem = r.u8("table element type")?;
        let max = r.u64("table maximum")?;
        let len = r.u64("table length")?;
        let bytes = usize::try_from(len)
            .ok()
            .and_then(|l| l.checked_mul(8))
            .ok_or_else(|| malformed("table length overflows"))?;
        let cells = r.take(bytes, "table elements")?;
        let cells = cells
            .chunks_exact(8)
            .map(|c| {
                let mut a = [0u8; 8];
                a.copy_from_slice(c);
                u64::from_le_bytes(a)
            })
            .collect();
        tables.push((imported, elem, max, cells));
    }
    let n = r.count(11, "global")?;
    let mut globals = Vec::with_capacity(n);
    let mut globals_hi = Vec::new();
    for _ in 0..n {
        let imported = r.flag("global import flag")?;
        let ty = r.u8("global type")?;
        let mutable = r.flag("global mutability")?;
        globals.push((imported, ty, mutable, r.u64("global value")?));
        if ty == val_code(ValType::V128) {
            globals_hi.push(r.u64("high half of a v128 global")?);
        }
    }
    let n = r.count(1, "element segment")?;
    let elems = (0..n).map(|_| r.flag("element segment flag")).collect::<Result<_, _>>()?;
    let n = r.count(1, "data segment")?;
    let datas = (0..n).map(|_| r.flag("data segment flag")).collect::<Result<_, _>>()?;
    if !r.0.is_empty() {
        return Err(malformed("bytes after the data segments"));
    }
    Ok(State { started: flags & STARTED != 0, memories, tables, globals, globals_hi, elems, datas })
}

/// Checks that `state` fits instance `inst`, changing nothing.
fn check_fits(inner: &StoreInner, inst: u32, s: &State<'_>) -> Result<(), Error> {
    let i = &inner.instances[inst as usize];
    let info = i.module.info();
    let count = |what: &str, have: usize, want: usize| {
        if have == want {
            Ok(())
        } else {
            Err(mismatch(format!("the snapshot has {want} {what}, the instance {have}")))
        }
    };
    count("memories", i.memories.len(), s.memories.len())?;
    count("tables", i.tables.len(), s.tables.len())?;
    count("globals", i.globals.len(), s.globals.len())?;
    count("element segments", i.elems.len(), s.elems.len())?;
    count("data segments", i.datas_live.len(), s.datas.len())?;
    for (k, (&m, sm)) in i.memories.iter().zip(&s.memories).enumerate() {
        let m = &inner.memories[m as usize];
        let is_import = k < info.num_imported_memories as usize;
        if sm.imported != is_import {
            return Err(mismatch(format!("memory {k} is imported in one and not the other")));
        }
        if m.ty.memory64 != sm.memory64 || m.ty.page_size_log2 != sm.page_size_log2 {
            let show = |m64: bool, log2: u8| {
                format!("{} memory of {}-byte pages", if m64 { "i64" } else { "i32" }, 1u64 << log2)
            };
            return Err(mismatch(format!(
                "memory {k} is an {} here, the snapshot's an {}",
                show(m.ty.memory64, m.ty.page_size_log2),
                show(sm.memory64, sm.page_size_log2)
            )));
        }
        if m.ty.max.unwrap_or(NO_MAX) != sm.max {
            return Err(mismatch(format!("memory {k} has another maximum")));
        }
        let (have, pages) = (m.pages(), sm.pages);
        let fits = sm.bytes.len() as u64 <= crate::externals::max_bytes(&m.ty);
        if have > pages || pages > m.ty.max.unwrap_or(m.ty.max_pages()) || !fits {
            return Err(mismatch(format!(
                "memory {k} has {have} pages and cannot take the snapshot's {pages}"
            )));
        }
    }
    for (k, (&t, (imported, elem, max, cells))) in i.tables.iter().zip(&s.tables).enumerate() {
        let t = &inner.tables[t as usize];
        if *imported != (k < info.num_imported_tables as usize) {
            return Err(mismatch(format!("table {k} is imported in one and not the other")));
        }
        if *elem != u8::from(t.ty.element == RefType::Extern) || t.ty.max.unwrap_or(NO_MAX) != *max
        {
            return Err(mismatch(format!("table {k} has another type")));
        }
        let len = cells.len() as u64;
        if (t.elems.len() as u64) > len || len > crate::externals::MAX_TABLE_ELEMS {
            return Err(mismatch(format!(
                "table {k} has {} elements and cannot take the snapshot's {len}",
                t.elems.len()
            )));
        }
        if t.ty.element == RefType::Func {
            for &c in cells {
                decode_ref(&i.funcs, c)?;
            }
        }
    }
    for (k, (&g, &(imported, ty, mutable, v))) in i.globals.iter().zip(&s.globals).enumerate() {
        let g = &inner.globals[g as usize];
        if imported != (k < info.num_imported_globals as usize)
            || ty != val_code(g.ty.content)
            || mutable != g.ty.mutable
        {
            return Err(mismatch(format!("global {k} has another type")));
        }
        if g.ty.content == ValType::FuncRef {
            decode_ref(&i.funcs, v)?;
        }
    }
    for (k, (e, &live)) in i.elems.iter().zip(&s.elems).enumerate() {
        if live && e.is_none() {
            return Err(mismatch(format!("element segment {k} is live in the snapshot only")));
        }
    }
    Ok(())
}

/// Writes checked `state` into instance `inst`.
fn apply(inner: &mut StoreInner, inst: u32, s: State<'_>) -> Result<(), Error> {
    let i = &inner.instances[inst as usize];
    let (memories, tables, globals) = (i.memories.clone(), i.tables.clone(), i.globals.clone());
    let funcs = i.funcs.clone();
    for (&m, SnapMemory { bytes, .. }) in memories.iter().zip(&s.memories) {
        let m = &mut inner.memories[m as usize];
        m.bytes.clear();
        m.bytes
            .try_reserve_exact(bytes.len())
            .map_err(|_| Error::limit("no memory to restore the snapshot's memory"))?;
        m.bytes.extend_from_slice(bytes);
    }
    for (&t, (_, _, _, cells)) in tables.iter().zip(s.tables) {
        let t = &mut inner.tables[t as usize];
        t.elems = match t.ty.element {
            RefType::Func => {
                cells.iter().map(|&c| decode_ref(&funcs, c)).collect::<Result<_, _>>()?
            }
            RefType::Extern => cells,
        };
    }
    let mut his = s.globals_hi.iter();
    for (&addr, &(_, _, mutable, v)) in globals.iter().zip(&s.globals) {
        let g = &mut inner.globals[addr as usize];
        let v128 = g.ty.content == ValType::V128;
        if mutable {
            g.value = if g.ty.content == ValType::FuncRef { decode_ref(&funcs, v)? } else { v };
        }
        // Every v128 global of the snapshot has its high half (`parse`), and `check` matched
        // the types, so `his` yields one per v128 global.
        let hi = if v128 { his.next().copied() } else { None };
        if let (true, Some(hi)) = (mutable, hi) {
            inner.set_global_hi(addr, hi);
        }
    }
    let i = &mut inner.instances[inst as usize];
    for (e, &live) in i.elems.iter_mut().zip(&s.elems) {
        if !live {
            *e = None;
        }
    }
    i.datas_live.copy_from_slice(&s.datas);
    i.started = s.started;
    Ok(())
}
