//! Memories, tables, globals and the `Extern` sum type.

use crate::Func;
use crate::error::Error;
use crate::store::{AsContext, AsContextMut, GlobalEntity, MemoryEntity, TableEntity};
use alloc::format;
use alloc::vec;
use alloc::vec::Vec;
use fayasm_core::{RefType, ValType, Value};
use fayasm_decode::{FuncType, GlobalType, MemoryType, TableType};

/// The most bytes a memory may hold (a runtime limit: 4 GiB for 32-bit memories, as the spec
/// says, and 16 GiB for 64-bit ones, whose spec limit is the whole 64-bit address space).
/// Growing past it fails as growing past the maximum does.
pub const MAX_MEMORY64_BYTES: u64 = 1 << 34;

/// The most bytes a memory of type `ty` may hold here: its declared maximum (or the index
/// type's) in bytes, capped by [`MAX_MEMORY64_BYTES`] for 64-bit memories.
pub(crate) fn max_bytes(ty: &MemoryType) -> u64 {
    let pages = ty.max.unwrap_or(u64::MAX).min(ty.max_pages());
    let bytes = pages.saturating_mul(ty.page_size());
    if ty.memory64 { bytes.min(MAX_MEMORY64_BYTES) } else { bytes.min(1 << 32) }
}
/// The most elements a table may have (a runtime limit; the spec allows 2^32 - 1, and 2^64 - 1
/// for a 64-bit table). Creating a larger table is an error, growing past it fails as growing
/// past the maximum does. It stays far below 2^32 - 1: the interpreter runs a 64-bit table's
/// instructions with its indices saturated to `u32::MAX`, which must be out of bounds.
pub(crate) const MAX_TABLE_ELEMS: u64 = 10_000_000;
const _: () = assert!(MAX_TABLE_ELEMS < u32::MAX as u64, "see TableIndex64");

/// Anything an instance can import or export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A table.
    Table(Table),
    /// A linear memory.
    Memory(Memory),
    /// A global.
    Global(Global),
}

impl Extern {
    /// The function, if this is one.
    pub fn into_func(self) -> Option<Func> {
        if let Extern::Func(f) = self { Some(f) } else { None }
    }
    /// The table, if this is one.
    pub fn into_table(self) -> Option<Table> {
        if let Extern::Table(t) = self { Some(t) } else { None }
    }
    /// The memory, if this is one.
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self { Some(m) } else { None }
    }
    /// The global, if this is one.
    pub fn into_global(self) -> Option<Global> {
        if let Extern::Global(g) = self { Some(g) } else { None }
    }
    /// The type of this entity; for tables and memories `min` is the current size, which is
    /// what import matching compares.
    pub fn ty(&self, store: impl AsContext) -> ExternType {
        let store = store.as_context();
        match *self {
            Extern::Func(f) => ExternType::Func(f.ty(store)),
            Extern::Table(t) => ExternType::Table(t.ty(store)),
            Extern::Memory(m) => ExternType::Memory(m.ty(store)),
            Extern::Global(g) => ExternType::Global(g.ty(store)),
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Self {
        Extern::Func(f)
    }
}
impl From<Table> for Extern {
    fn from(t: Table) -> Self {
        Extern::Table(t)
    }
}
impl From<Memory> for Extern {
    fn from(m: Memory) -> Self {
        Extern::Memory(m)
    }
}
impl From<Global> for Extern {
    fn from(g: Global) -> Self {
        Extern::Global(g)
    }
}

/// The type of an [`Extern`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternType {
    /// A function signature.
    Func(FuncType),
    /// A table type.
    Table(TableType),
    /// A memory type.
    Memory(MemoryType),
    /// A global type.
    Global(GlobalType),
}

/// A linear memory in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Memory(pub(crate) u32);

impl Memory {
    /// Creates a memory of `ty.min` zeroed pages (of `ty.page_size()` bytes; a 64-bit
    /// memory if `ty.memory64`).
    pub fn new(mut store: impl AsContextMut, ty: MemoryType) -> Result<Memory, Error> {
        let limit = ty.max_pages();
        if ty.min > limit || ty.max.is_some_and(|m| m > limit) || ty.max.is_some_and(|m| m < ty.min)
        {
            return Err(Error::limit(format!(
                "memory limits {}..{:?} exceed {limit} pages of {} bytes or are inverted",
                ty.min,
                ty.max,
                ty.page_size()
            )));
        }
        let bytes = zeroed_pages(&ty, ty.min)?;
        let s = &mut store.as_context_mut().inner;
        s.memories.push(MemoryEntity { ty, bytes, spilled: None });
        Ok(Memory(s.memories.len() as u32 - 1))
    }
    /// The memory's type (its `min` is the current size).
    pub fn ty(&self, store: impl AsContext) -> MemoryType {
        let m = &store.as_context().inner.memories[self.0 as usize];
        MemoryType { min: m.pages(), ..m.ty }
    }
    /// The current size in pages (also while spilled).
    pub fn size(&self, store: impl AsContext) -> u64 {
        store.as_context().inner.memories[self.0 as usize].pages()
    }
    /// The current size in bytes (also while spilled).
    pub fn data_size(&self, store: impl AsContext) -> u64 {
        let m = &store.as_context().inner.memories[self.0 as usize];
        m.pages() << m.ty.page_size_log2
    }
    /// The page size in bytes (65536, or 1 with custom-page-sizes).
    pub fn page_size(&self, store: impl AsContext) -> u64 {
        store.as_context().inner.memories[self.0 as usize].ty.page_size()
    }
    /// The contents; empty while the memory is spilled (call
    /// [`ensure_loaded`](Memory::ensure_loaded) first, or use [`Memory::data_mut`]).
    pub fn data<'a, T: 'a>(&self, store: &'a Store<T>) -> &'a [u8] {
        &store.inner.memories[self.0 as usize].bytes
    }
    /// The contents, mutably, loading a spilled memory first. If that load fails the slice is
    /// empty and [`ensure_loaded`](Memory::ensure_loaded) reports why; the blob stays in the
    /// spill store.
    pub fn data_mut<'a, T: 'a>(&self, store: &'a mut Store<T>) -> &'a mut [u8] {
        let _ = crate::spill::load_memory(&mut store.inner, self.0);
        &mut store.inner.memories[self.0 as usize].bytes
    }
    /// Copies `buf.len()` bytes at `offset` into `buf`; an out-of-bounds range is an error, and
    /// so is a spilled memory (a shared borrow cannot load it: call
    /// [`ensure_loaded`](Memory::ensure_loaded) first).
    pub fn read(&self, store: impl AsContext, offset: u64, buf: &mut [u8]) -> Result<(), Error> {
        let m = &store.as_context().inner.memories[self.0 as usize];
        if m.spilled.is_some() {
            return Err(Error::out_of_bounds(format!(
                "memory {} is spilled: load it (Memory::ensure_loaded) before reading",
                self.0
            )));
        }
        let bytes = &m.bytes;
        let range = mem_range(offset, buf.len(), bytes.len())?;
        buf.copy_from_slice(&bytes[range]);
        Ok(())
    }
    /// Copies `data` into the memory at `offset` (loading a spilled memory first); an
    /// out-of-bounds range is an error and writes nothing.
    pub fn write(
        &self,
        mut store: impl AsContextMut,
        offset: u64,
        data: &[u8],
    ) -> Result<(), Error> {
        let inner = &mut store.as_context_mut().inner;
        crate::spill::load_memory(inner, self.0)?;
        let bytes = &mut inner.memories[self.0 as usize].bytes;
        let range = mem_range(offset, data.len(), bytes.len())?;
        bytes[range].copy_from_slice(data);
        Ok(())
    }
    /// Grows by `delta` pages; returns the old size in pages.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64) -> Result<u64, Error> {
        let inner = &mut store.as_context_mut().inner;
        crate::spill::load_memory(inner, self.0)?;
        let m = &mut inner.memories[self.0 as usize];
        grow_memory(m, delta)
            .ok_or_else(|| Error::limit(format!("memory cannot grow by {delta} pages")))
    }
}

use crate::Store;

/// `offset..offset + len` if it lies within `size` bytes.
fn mem_range(offset: u64, len: usize, size: usize) -> Result<core::ops::Range<usize>, Error> {
    let end = offset.checked_add(len as u64).filter(|&end| end <= size as u64);
    match end {
        Some(end) => Ok(offset as usize..end as usize),
        None => Err(Error::out_of_bounds(format!(
            "{len} byte(s) at offset {offset} do not fit a memory of {size} bytes"
        ))),
    }
}

/// `pages` zeroed pages of memory type `ty`, or an error (never an abort) if this host cannot
/// hold them or they pass [`max_bytes`].
pub(crate) fn zeroed_pages(ty: &MemoryType, pages: u64) -> Result<Vec<u8>, Error> {
    let len = pages
        .checked_mul(ty.page_size())
        .filter(|&n| n <= max_bytes(&MemoryType { max: None, ..*ty }))
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| {
            Error::limit(format!(
                "memory of {pages} pages of {} bytes does not fit this host's address space",
                ty.page_size()
            ))
        })?;
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(len)
        .map_err(|_| Error::limit(format!("cannot allocate a memory of {pages} pages")))?;
    bytes.resize(len, 0);
    Ok(bytes)
}

/// Grows `m` by `delta` pages; `None` if the maximum or the address space is exceeded.
pub(crate) fn grow_memory(m: &mut MemoryEntity, delta: u64) -> Option<u64> {
    let log2 = m.ty.page_size_log2;
    let old = (m.bytes.len() as u64) >> log2;
    let new = old.checked_add(delta)?;
    let new_bytes = new.checked_mul(m.ty.page_size())?;
    if new > m.ty.max.unwrap_or(u64::MAX) || new_bytes > max_bytes(&m.ty) {
        return None;
    }
    let new_len = usize::try_from(new_bytes).ok()?;
    m.bytes.try_reserve_exact(new_len - m.bytes.len()).ok()?;
    m.bytes.resize(new_len, 0);
    Some(old)
}

/// A table in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Table(pub(crate) u32);

fn check_ref(ty: RefType, v: &Value) -> Result<u64, Error> {
    match (ty, v) {
        (RefType::Func, Value::FuncRef(_)) | (RefType::Extern, Value::ExternRef(_)) => {
            Ok(v.to_cell())
        }
        _ => Err(Error::signature(format!(
            "value {v:?} does not fit a table of {}",
            ValType::from(ty)
        ))),
    }
}

impl Table {
    /// Creates a table of `ty.min` elements, each `init` (a 64-bit table if `ty.table64`).
    pub fn new(mut store: impl AsContextMut, ty: TableType, init: Value) -> Result<Table, Error> {
        let cell = check_ref(ty.element, &init)?;
        let limit = ty.max_elems();
        if ty.min > limit || ty.max.is_some_and(|m| m > limit) || ty.max.is_some_and(|m| m < ty.min)
        {
            return Err(Error::limit(format!(
                "table limits {}..{:?} exceed {limit} elements or are inverted",
                ty.min, ty.max
            )));
        }
        if ty.min > MAX_TABLE_ELEMS {
            return Err(Error::limit(format!(
                "table of {} elements exceeds {MAX_TABLE_ELEMS}",
                ty.min
            )));
        }
        let s = &mut store.as_context_mut().inner;
        s.tables.push(TableEntity { ty, elems: vec![cell; ty.min as usize], spilled: None });
        Ok(Table(s.tables.len() as u32 - 1))
    }
    /// The table's type (its `min` is the current size).
    pub fn ty(&self, store: impl AsContext) -> TableType {
        let t = &store.as_context().inner.tables[self.0 as usize];
        TableType { min: t.len(), ..t.ty }
    }
    /// The current number of elements (also while spilled).
    pub fn size(&self, store: impl AsContext) -> u64 {
        store.as_context().inner.tables[self.0 as usize].len()
    }
    /// Element `index`, or `None` past the end or while the table is spilled (call
    /// [`ensure_loaded`](Table::ensure_loaded) first).
    pub fn get(&self, store: impl AsContext, index: u64) -> Option<Value> {
        let t = &store.as_context().inner.tables[self.0 as usize];
        let cell = *t.elems.get(usize::try_from(index).ok()?)?;
        Some(Value::from_cell(t.ty.element.into(), cell))
    }
    /// Sets element `index`.
    pub fn set(&self, mut store: impl AsContextMut, index: u64, value: Value) -> Result<(), Error> {
        let inner = &mut store.as_context_mut().inner;
        crate::spill::load_table(inner, self.0)?;
        let t = &mut inner.tables[self.0 as usize];
        let cell = check_ref(t.ty.element, &value)?;
        let slot = usize::try_from(index).ok().and_then(|i| t.elems.get_mut(i));
        *slot.ok_or_else(|| Error::limit(format!("table index {index} out of bounds")))? = cell;
        Ok(())
    }
    /// Grows by `delta` elements set to `init`; returns the old size.
    pub fn grow(
        &self,
        mut store: impl AsContextMut,
        delta: u64,
        init: Value,
    ) -> Result<u64, Error> {
        let inner = &mut store.as_context_mut().inner;
        crate::spill::load_table(inner, self.0)?;
        let t = &mut inner.tables[self.0 as usize];
        let cell = check_ref(t.ty.element, &init)?;
        grow_table(t, delta, cell)
            .ok_or_else(|| Error::limit(format!("table cannot grow by {delta}")))
    }
}

/// Grows `t` by `delta` elements of `init`; `None` past its maximum, its index type's or
/// [`MAX_TABLE_ELEMS`].
pub(crate) fn grow_table(t: &mut TableEntity, delta: u64, init: u64) -> Option<u64> {
    let old = t.elems.len() as u64;
    let new = old.checked_add(delta)?;
    if new > t.ty.max.unwrap_or(u64::MAX).min(t.ty.max_elems()).min(MAX_TABLE_ELEMS) {
        return None;
    }
    t.elems.try_reserve_exact(delta as usize).ok()?;
    t.elems.resize(new as usize, init);
    Some(old)
}

/// A global in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Global(pub(crate) u32);

impl Global {
    /// Creates a global of type `ty` holding `value`.
    pub fn new(
        mut store: impl AsContextMut,
        ty: GlobalType,
        value: Value,
    ) -> Result<Global, Error> {
        if value.ty() != ty.content {
            return Err(Error::signature(format!(
                "value {value:?} does not fit a global of {}",
                ty.content
            )));
        }
        let s = &mut store.as_context_mut().inner;
        s.globals.push(GlobalEntity { ty, value: value.to_cell() });
        let addr = s.globals.len() as u32 - 1;
        if let Value::V128(v) = value {
            s.set_global_hi(addr, (v >> 64) as u64);
        }
        Ok(Global(addr))
    }
    /// The global's type.
    pub fn ty(&self, store: impl AsContext) -> GlobalType {
        store.as_context().inner.globals[self.0 as usize].ty
    }
    /// The current value.
    pub fn get(&self, store: impl AsContext) -> Value {
        store.as_context().inner.global_value(self.0)
    }
    /// Sets the value; the global must be mutable and `value` of its type.
    pub fn set(&self, mut store: impl AsContextMut, value: Value) -> Result<(), Error> {
        let inner = &mut store.as_context_mut().inner;
        // A spilled instance's globals would be restored from their blob: load them first.
        if inner.spilled != 0 {
            crate::spill::load_all_globals(inner)?;
        }
        let g = &mut inner.globals[self.0 as usize];
        if !g.ty.mutable {
            return Err(Error::signature("cannot set an immutable global"));
        }
        if value.ty() != g.ty.content {
            return Err(Error::signature(format!(
                "value {value:?} does not fit a global of {}",
                g.ty.content
            )));
        }
        g.value = value.to_cell();
        if let Value::V128(v) = value {
            inner.set_global_hi(self.0, (v >> 64) as u64);
        }
        Ok(())
    }
}
