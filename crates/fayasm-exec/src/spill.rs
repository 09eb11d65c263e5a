//! Spilling memories, tables and globals to a [`SpillStore`], and loading them back.
//!
//! # Design
//!
//! A store may carry one spill store ([`Store::attach_spill_store`]). Spilling an entity writes
//! it there in the envelope of `fayasm_offload::envelope` and frees its RAM:
//!
//! - a spilled **memory** keeps an empty byte vector and its size in pages (so `memory.size`,
//!   [`Memory::size`] and import matching see the size it had, including after any
//!   `memory.grow`);
//! - a spilled **table** keeps an empty element vector and its length;
//! - an instance's **globals** are written, but their cells stay where they are: a global is
//!   one cell and the interpreter reaches the store's global cells through a cached pointer,
//!   so there is no RAM to free; loading verifies the blob and restores the cells from it.
//!
//! Nothing spilled is ever seen by running wasm: every call into wasm ([`Func::call`], typed
//! calls, start functions at instantiation) first checks one per-store counter and, when it
//! is not zero, loads everything back. The interpreter's handlers are unchanged, so the fast
//! path pays nothing: one compare per call from the host. Spilling while a call into wasm is in
//! progress (from a host function) is refused with [`SpillError::Busy`], because the
//! interpreter holds raw views of memory 0 and of the globals.
//!
//! On the host side, every `&mut` accessor loads first: [`Memory::data_mut`],
//! [`Memory::grow`], [`Table::set`], [`Table::grow`], [`Global::set`]. Read-only accessors
//! cannot load through a shared borrow: [`Memory::data`] is empty and [`Table::get`] is `None`
//! while spilled (their sizes stay right); call `ensure_loaded` first. Loading removes the
//! blob from the spill store, since the resident copy is the truth from then on.
//!
//! ```
//! use fayasm_exec::{Engine, Linker, MemStore, Module, Store};
//! let wasm = wat::parse_str(r#"(module (memory (export "mem") 1)
//!     (func (export "peek") (result i32) i32.const 0 i32.load8_u))"#).unwrap();
//! let engine = Engine::default();
//! let module = Module::new(&engine, &wasm).unwrap();
//! let mut store = Store::new(&engine, ());
//! store.attach_spill_store(Box::new(MemStore::new()));
//! let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
//! let mem = instance.get_memory(&store, "mem").unwrap();
//! mem.data_mut(&mut store)[0] = 7;
//! mem.spill(&mut store).unwrap();
//! assert!(mem.data(&store).is_empty() && mem.size(&store) == 1);
//! let peek = instance.get_typed_func::<(), i32>(&store, "peek").unwrap();
//! assert_eq!(peek.call(&mut store, ()).unwrap(), 7); // loaded back before wasm ran
//! ```
//!
//! [`Func::call`]: crate::Func::call
//! [`Memory::size`]: crate::Memory::size
//! [`Memory::data`]: crate::Memory::data
//! [`Memory::data_mut`]: crate::Memory::data_mut
//! [`Memory::grow`]: crate::Memory::grow
//! [`Table::get`]: crate::Table::get
//! [`Table::set`]: crate::Table::set
//! [`Table::grow`]: crate::Table::grow
//! [`Global::set`]: crate::Global::set

use crate::error::{Error, ErrorKind};
use crate::store::{AsContext, AsContextMut, StoreInner};
use crate::{Instance, Memory, Store, Table};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use fayasm_core::ValType;
use fayasm_offload::envelope::{self, Expect, HEADER_LEN, Header, Kind};
use fayasm_offload::{EnvelopeError, SpillKey, SpillStore, StoreError};

/// A spill store as a store holds it.
pub type BoxedSpillStore = Box<dyn SpillStore + Send>;

/// The store's spill store, if one is attached.
#[derive(Default)]
pub(crate) struct SpillSlot(pub(crate) Option<BoxedSpillStore>);

impl fmt::Debug for SpillSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "SpillSlot(attached)" } else { "SpillSlot(none)" })
    }
}

/// Why spilling, loading or restoring state failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpillError {
    /// The store has no spill store attached.
    NoStore,
    /// A call into wasm is in progress (spilling or restoring from a host function).
    Busy,
    /// The spill store has no blob for a spilled entity.
    Missing {
        /// The blob's key.
        key: SpillKey,
    },
    /// The spill store failed.
    Store(StoreError),
    /// A blob failed a check of its envelope.
    Envelope {
        /// What the blob was meant to be (`"memory 3"`, `"snapshot"`).
        what: String,
        /// The failed check.
        error: EnvelopeError,
    },
    /// A blob passed its envelope checks but its payload does not decode.
    Malformed(String),
    /// A snapshot does not fit the instance: another import shape or entity sizes.
    Mismatch(String),
}

impl fmt::Display for SpillError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpillError::NoStore => f.write_str("the store has no spill store attached"),
            SpillError::Busy => {
                f.write_str("cannot spill or restore while a call into wasm is running")
            }
            SpillError::Missing { key } => write!(f, "the spill store has no blob {key}"),
            SpillError::Store(e) => write!(f, "spill store: {e}"),
            SpillError::Envelope { what, error } => {
                write!(f, "{what} rejected by the {} check: {error}", error.check())
            }
            SpillError::Malformed(m) => write!(f, "malformed payload: {m}"),
            SpillError::Mismatch(m) => write!(f, "does not fit this instance: {m}"),
        }
    }
}

impl From<SpillError> for Error {
    #[cold]
    fn from(e: SpillError) -> Self {
        ErrorKind::Spill(e).into()
    }
}

#[cold]
fn store_error(e: StoreError) -> Error {
    SpillError::Store(e).into()
}

fn spill_store(spill: &mut SpillSlot, active: u32) -> Result<&mut BoxedSpillStore, Error> {
    if active != 0 {
        return Err(SpillError::Busy.into());
    }
    spill.0.as_mut().ok_or_else(|| SpillError::NoStore.into())
}

/// Takes the blob `key` out of the spill store, checks its envelope and hands the buffer
/// (payload at `HEADER_LEN..`) to `accept`. A blob that fails a check, or that `accept`
/// refuses, is put back, so a failed load loses nothing.
fn load_blob(
    inner: &mut StoreInner,
    key: SpillKey,
    what: &dyn Fn() -> String,
    accept: impl FnOnce(&mut StoreInner, Vec<u8>) -> Result<(), (Vec<u8>, Error)>,
) -> Result<(), Error> {
    let store = inner.spill.0.as_mut().ok_or(SpillError::NoStore)?;
    let mut buf = Vec::new();
    if !store.take(key, &mut buf).map_err(store_error)? {
        return Err(SpillError::Missing { key }.into());
    }
    let expect = Expect { kind: key.kind, module_hash: 0, index: key.index };
    let outcome = match envelope::decode(&buf, &expect) {
        Ok(_) => accept(inner, buf),
        Err(error) => Err((buf, SpillError::Envelope { what: what(), error }.into())),
    };
    match outcome {
        Ok(()) => {
            inner.spilled -= 1;
            Ok(())
        }
        Err((buf, err)) => {
            if let Some(store) = inner.spill.0.as_mut() {
                store.put(key, &buf).map_err(store_error)?;
            }
            Err(err)
        }
    }
}

#[cold]
fn malformed(m: String) -> Error {
    SpillError::Malformed(m).into()
}

fn memory_key(addr: u32) -> SpillKey {
    SpillKey::new(Kind::Memory, 0, addr)
}
fn table_key(addr: u32) -> SpillKey {
    SpillKey::new(Kind::Table, 0, addr)
}
fn globals_key(inst: u32) -> SpillKey {
    SpillKey::new(Kind::Globals, inst, 0)
}

pub(crate) fn spill_memory(inner: &mut StoreInner, addr: u32) -> Result<(), Error> {
    if inner.memories[addr as usize].spilled.is_some() {
        return Ok(());
    }
    let store = spill_store(&mut inner.spill, inner.active)?;
    let m = &inner.memories[addr as usize];
    let header = Header::for_payload(Kind::Memory, 0, addr, &m.bytes).to_bytes();
    store.put_parts(memory_key(addr), &[&header, &m.bytes]).map_err(store_error)?;
    let m = &mut inner.memories[addr as usize];
    m.spilled = Some(m.pages());
    m.bytes = Vec::new();
    inner.spilled += 1;
    Ok(())
}

pub(crate) fn load_memory(inner: &mut StoreInner, addr: u32) -> Result<(), Error> {
    let Some(pages) = inner.memories[addr as usize].spilled else { return Ok(()) };
    let what = || alloc::format!("memory {addr}");
    load_blob(inner, memory_key(addr), &what, |inner, mut buf| {
        let len = buf.len() - HEADER_LEN;
        // The blob is read back into the memory it came from, which keeps its type (index
        // type, page size); only its size is checked.
        let log2 = inner.memories[addr as usize].ty.page_size_log2;
        if Some(len as u64) != pages.checked_mul(1 << log2) {
            let m = alloc::format!("memory {addr} was {pages} pages, its blob holds {len} bytes");
            return Err((buf, malformed(m)));
        }
        buf.drain(..HEADER_LEN);
        let m = &mut inner.memories[addr as usize];
        m.bytes = buf;
        m.spilled = None;
        Ok(())
    })
}

pub(crate) fn spill_table(inner: &mut StoreInner, addr: u32) -> Result<(), Error> {
    if inner.tables[addr as usize].spilled.is_some() {
        return Ok(());
    }
    let store = spill_store(&mut inner.spill, inner.active)?;
    let t = &inner.tables[addr as usize];
    let mut payload = Vec::with_capacity(t.elems.len() * 8);
    for c in &t.elems {
        payload.extend_from_slice(&c.to_le_bytes());
    }
    let header = Header::for_payload(Kind::Table, 0, addr, &payload).to_bytes();
    store.put_parts(table_key(addr), &[&header, &payload]).map_err(store_error)?;
    let t = &mut inner.tables[addr as usize];
    t.spilled = Some(t.elems.len() as u64);
    t.elems = Vec::new();
    inner.spilled += 1;
    Ok(())
}

pub(crate) fn load_table(inner: &mut StoreInner, addr: u32) -> Result<(), Error> {
    let Some(len) = inner.tables[addr as usize].spilled else { return Ok(()) };
    let what = || alloc::format!("table {addr}");
    load_blob(inner, table_key(addr), &what, |inner, buf| {
        let payload = &buf[HEADER_LEN..];
        if payload.len() as u64 != len * 8 {
            let m = alloc::format!(
                "table {addr} had {len} elements, its blob holds {} bytes",
                payload.len()
            );
            return Err((buf, malformed(m)));
        }
        let elems: Vec<u64> = payload.chunks_exact(8).map(le_u64).collect();
        let funcs = inner.funcs.len() as u64;
        let is_func = inner.tables[addr as usize].ty.element == fayasm_core::RefType::Func;
        if is_func && elems.iter().any(|&c| c > funcs) {
            let m = alloc::format!("table {addr} refers to a function this store does not have");
            return Err((buf, malformed(m)));
        }
        let t = &mut inner.tables[addr as usize];
        t.elems = elems;
        t.spilled = None;
        Ok(())
    })
}

fn le_u64(c: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(c);
    u64::from_le_bytes(a)
}

/// The store addresses of the globals instance `inst` defines.
fn defined_globals(inner: &StoreInner, inst: u32) -> &[u32] {
    let i = &inner.instances[inst as usize];
    let imported = i.module.info().num_imported_globals as usize;
    i.globals.get(imported..).unwrap_or(&[])
}

pub(crate) fn spill_globals(inner: &mut StoreInner, inst: u32) -> Result<(), Error> {
    if inner.instances[inst as usize].globals_spilled {
        return Ok(());
    }
    spill_store(&mut inner.spill, inner.active)?;
    // Eight bytes per global; a v128 global's high half follows its low half.
    let mut payload: Vec<u8> = Vec::new();
    for &g in defined_globals(inner, inst) {
        payload.extend_from_slice(&inner.globals[g as usize].value.to_le_bytes());
        if inner.globals[g as usize].ty.content == ValType::V128 {
            payload.extend_from_slice(&inner.global_hi(g).to_le_bytes());
        }
    }
    let header = Header::for_payload(Kind::Globals, 0, 0, &payload).to_bytes();
    let store = spill_store(&mut inner.spill, inner.active)?;
    store.put_parts(globals_key(inst), &[&header, &payload]).map_err(store_error)?;
    inner.instances[inst as usize].globals_spilled = true;
    inner.spilled += 1;
    Ok(())
}

pub(crate) fn load_globals(inner: &mut StoreInner, inst: u32) -> Result<(), Error> {
    if !inner.instances[inst as usize].globals_spilled {
        return Ok(());
    }
    let what = || alloc::format!("globals of instance {inst}");
    load_blob(inner, globals_key(inst), &what, |inner, buf| {
        let payload = &buf[HEADER_LEN..];
        let addrs: Vec<u32> = defined_globals(inner, inst).to_vec();
        let cells: usize =
            addrs.iter().map(|&g| inner.globals[g as usize].ty.content.cells() as usize).sum();
        if payload.len() != cells * 8 {
            let m = alloc::format!(
                "instance {inst} has {} globals, its blob holds {} bytes",
                addrs.len(),
                payload.len()
            );
            return Err((buf, malformed(m)));
        }
        let mut chunks = payload.chunks_exact(8);
        for &g in &addrs {
            // The length check above guarantees a chunk per cell.
            let Some(c) = chunks.next() else { break };
            inner.globals[g as usize].value = le_u64(c);
            if inner.globals[g as usize].ty.content == ValType::V128 {
                let Some(c) = chunks.next() else { break };
                inner.set_global_hi(g, le_u64(c));
            }
        }
        inner.instances[inst as usize].globals_spilled = false;
        Ok(())
    })
}

/// Loads the globals of every instance whose globals are spilled.
#[cold]
pub(crate) fn load_all_globals(inner: &mut StoreInner) -> Result<(), Error> {
    for i in 0..inner.instances.len() as u32 {
        load_globals(inner, i)?;
    }
    Ok(())
}

/// Loads everything spilled in the store (what a call into wasm does first).
#[cold]
#[inline(never)]
pub(crate) fn load_all(inner: &mut StoreInner) -> Result<(), Error> {
    for m in 0..inner.memories.len() as u32 {
        load_memory(inner, m)?;
    }
    for t in 0..inner.tables.len() as u32 {
        load_table(inner, t)?;
    }
    load_all_globals(inner)
}

impl<T> Store<T> {
    /// Attaches `spill` as the place spilled state goes; returns the previous one. Attach it
    /// before spilling, and keep one spill store per `Store` (keys are store addresses).
    pub fn attach_spill_store(&mut self, spill: BoxedSpillStore) -> Option<BoxedSpillStore> {
        crate::code_cache::forget_spilled(&mut self.inner);
        self.inner.spill.0.replace(spill)
    }
    /// Loads everything spilled, then detaches the spill store and returns it.
    pub fn detach_spill_store(&mut self) -> Result<Option<BoxedSpillStore>, Error> {
        self.ensure_loaded()?;
        crate::code_cache::forget_spilled(&mut self.inner);
        Ok(self.inner.spill.0.take())
    }
    /// The attached spill store (for wear reports, or to inspect its blobs).
    pub fn spill_store_mut(&mut self) -> Option<&mut BoxedSpillStore> {
        self.inner.spill.0.as_mut()
    }
    /// How many memories, tables and instance global sets are spilled now.
    pub fn spilled_count(&self) -> u32 {
        self.inner.spilled
    }
    /// Loads everything spilled back into RAM.
    pub fn ensure_loaded(&mut self) -> Result<(), Error> {
        if self.inner.spilled != 0 { load_all(&mut self.inner) } else { Ok(()) }
    }
}

impl Memory {
    /// Writes the memory to the store's spill store and frees its bytes; it is loaded back
    /// transparently by the next call into wasm or `&mut` access (see [`crate::spill`]).
    pub fn spill(&self, mut store: impl AsContextMut) -> Result<(), Error> {
        spill_memory(&mut store.as_context_mut().inner, self.0)
    }
    /// Loads the memory back if it is spilled.
    pub fn ensure_loaded(&self, mut store: impl AsContextMut) -> Result<(), Error> {
        load_memory(&mut store.as_context_mut().inner, self.0)
    }
    /// Whether the memory is spilled now.
    pub fn is_spilled(&self, store: impl AsContext) -> bool {
        store.as_context().inner.memories[self.0 as usize].spilled.is_some()
    }
}

impl Table {
    /// Writes the table to the store's spill store and frees its elements; loaded back like a
    /// memory (see [`crate::spill`]).
    pub fn spill(&self, mut store: impl AsContextMut) -> Result<(), Error> {
        spill_table(&mut store.as_context_mut().inner, self.0)
    }
    /// Loads the table back if it is spilled.
    pub fn ensure_loaded(&self, mut store: impl AsContextMut) -> Result<(), Error> {
        load_table(&mut store.as_context_mut().inner, self.0)
    }
    /// Whether the table is spilled now.
    pub fn is_spilled(&self, store: impl AsContext) -> bool {
        store.as_context().inner.tables[self.0 as usize].spilled.is_some()
    }
}

impl Instance {
    /// Spills every memory and table this instance defines (imported ones belong to their
    /// owners) and its globals: what a device does before parking an idle instance.
    pub fn spill(&self, mut store: impl AsContextMut) -> Result<(), Error> {
        let inner = &mut store.as_context_mut().inner;
        let i = &inner.instances[self.0 as usize];
        let info = i.module.info();
        let memories = i.memories.get(info.num_imported_memories as usize..).unwrap_or(&[]);
        let tables = i.tables.get(info.num_imported_tables as usize..).unwrap_or(&[]);
        let (memories, tables) = (memories.to_vec(), tables.to_vec());
        for m in memories {
            spill_memory(inner, m)?;
        }
        for t in tables {
            spill_table(inner, t)?;
        }
        spill_globals(inner, self.0)
    }
    /// Writes the globals this instance defines to the store's spill store (their cells stay
    /// resident; see [`crate::spill`]).
    pub fn spill_globals(&self, mut store: impl AsContextMut) -> Result<(), Error> {
        spill_globals(&mut store.as_context_mut().inner, self.0)
    }
    /// Loads the instance's globals back from their blob if they are spilled.
    pub fn ensure_globals_loaded(&self, mut store: impl AsContextMut) -> Result<(), Error> {
        load_globals(&mut store.as_context_mut().inner, self.0)
    }
    /// Whether the instance's globals are spilled now.
    pub fn globals_spilled(&self, store: impl AsContext) -> bool {
        store.as_context().inner.instances[self.0 as usize].globals_spilled
    }
}
