//! The store: every runtime entity lives here, addressed by index.

use crate::Engine;
use crate::error::Trap;
use crate::func::{Caller, HostCall};
use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::hash::BuildHasher;
use fayasm_core::{Cell, ValType, Value};
use fayasm_decode::{FuncType, GlobalType, MemoryType, TableType};
use hashbrown::{DefaultHashBuilder, HashTable};

/// The closure behind a host function: it reads its arguments from and writes its results to
/// the [`HostCall`]'s cells.
pub(crate) type HostClosure<T> =
    dyn Fn(Caller<'_, T>, HostCall<'_>) -> Result<(), Trap> + Send + Sync + 'static;

/// A host function: its closure and its signature, kept next to each other so a call needs
/// neither a type lookup nor a clone of the type (only of this `Arc`).
pub(crate) struct HostFuncData<T> {
    pub(crate) params: Box<[ValType]>,
    pub(crate) results: Box<[ValType]>,
    /// Cells the parameters and the results take.
    pub(crate) param_cells: usize,
    pub(crate) result_cells: usize,
    /// Whether the closure writes its results over its parameters (typed closures, which read
    /// every argument first) rather than after them (untyped ones, which may read an argument
    /// after setting a result).
    pub(crate) in_place: bool,
    pub(crate) f: Box<HostClosure<T>>,
}

impl<T> HostFuncData<T> {
    pub(crate) fn new(ty: &FuncType, in_place: bool, f: Box<HostClosure<T>>) -> Arc<Self> {
        Arc::new(HostFuncData {
            params: ty.params.clone(),
            results: ty.results.clone(),
            param_cells: ty.param_cells() as usize,
            result_cells: ty.result_cells() as usize,
            in_place,
            f,
        })
    }
}

/// A host function as the store holds it. Entries of [`Store::host_funcs`] are only ever
/// pushed, never removed or replaced, so the data behind each `Arc` lives as long as the
/// store (the interpreter relies on this to call one without cloning the `Arc`).
pub(crate) type HostFn<T> = Arc<HostFuncData<T>>;

/// What a trap hook decides.
pub(crate) type TrapHook<T> = Box<dyn FnMut(&mut T, Trap) -> Trap + Send + Sync + 'static>;

/// A function in the store.
#[derive(Debug, Clone)]
pub(crate) enum FuncEntity {
    /// Defined by a module instance: `def` is the index among the module's defined functions.
    Wasm { instance: u32, def: u32, ty: u32 },
    /// A host closure, at `host` in [`Store::host_funcs`].
    Host { host: u32, ty: u32 },
}

impl FuncEntity {
    pub(crate) fn ty(&self) -> u32 {
        match *self {
            FuncEntity::Wasm { ty, .. } | FuncEntity::Host { ty, .. } => ty,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct MemoryEntity {
    pub(crate) ty: MemoryType,
    pub(crate) bytes: Vec<u8>,
    /// `Some(pages)` while spilled: `bytes` is empty and the size is kept here.
    pub(crate) spilled: Option<u64>,
}

#[derive(Debug, Clone)]
pub(crate) struct TableEntity {
    pub(crate) ty: TableType,
    pub(crate) elems: Vec<Cell>,
    /// `Some(len)` while spilled: `elems` is empty and the size is kept here.
    pub(crate) spilled: Option<u64>,
}

#[derive(Debug, Clone)]
pub(crate) struct GlobalEntity {
    pub(crate) ty: GlobalType,
    pub(crate) value: Cell,
}

impl MemoryEntity {
    /// The size in pages, also while spilled.
    pub(crate) fn pages(&self) -> u64 {
        self.spilled.unwrap_or((self.bytes.len() as u64) >> self.ty.page_size_log2)
    }
}

impl TableEntity {
    /// The number of elements, also while spilled.
    pub(crate) fn len(&self) -> u64 {
        self.spilled.unwrap_or(self.elems.len() as u64)
    }
}

/// Per-instance state.
#[derive(Debug)]
pub(crate) struct InstanceEntity {
    pub(crate) module: crate::Module,
    /// Store type id of each module type index.
    pub(crate) types: Vec<u32>,
    pub(crate) funcs: Vec<u32>,
    pub(crate) tables: Vec<u32>,
    pub(crate) memories: Vec<u32>,
    pub(crate) globals: Vec<u32>,
    /// Element segments: `None` once dropped (or after active initialisation).
    pub(crate) elems: Vec<Option<Arc<[Cell]>>>,
    /// Data segments: dropped ones are `false`.
    pub(crate) datas_live: Vec<bool>,
    /// The store's code cache of this instance's module (`StoreInner::code_caches`), shared
    /// by every instance of the module in the store.
    pub(crate) cache: u32,
    /// What each export of the module refers to, in the order of `module.info().exports`
    /// (which holds the names, so instantiation copies no strings).
    pub(crate) exports: Vec<crate::Extern>,
    /// Whether the instance's defined globals are spilled (see `spill.rs`).
    pub(crate) globals_spilled: bool,
    /// Whether instantiation finished, start function included (a snapshot records it).
    pub(crate) started: bool,
}

/// Everything mutable at run time, independent of the user data type.
#[derive(Debug, Default)]
pub(crate) struct StoreInner {
    pub(crate) funcs: Vec<FuncEntity>,
    pub(crate) memories: Vec<MemoryEntity>,
    pub(crate) tables: Vec<TableEntity>,
    pub(crate) globals: Vec<GlobalEntity>,
    /// The high halves of `v128` globals, by global address (`GlobalEntity::value` holds the
    /// low half). Grown on demand, so globals of other types need no entry: an address past
    /// the end reads as zero. Kept apart so `GlobalEntity` stays 16 bytes for the scalar
    /// `global.get`/`global.set` handlers.
    pub(crate) globals_hi: Vec<Cell>,
    pub(crate) instances: Vec<InstanceEntity>,
    /// Interned function types: store type id -> type.
    pub(crate) types: Vec<FuncType>,
    /// The ids of `types`, hashed by their type, so that a new type is cloned once (into
    /// `types`) rather than also into a map key.
    type_ids: HashTable<u32>,
    type_hasher: DefaultHashBuilder,
    /// The value stack, kept between calls to reuse its allocation.
    pub(crate) stack: Vec<Cell>,
    /// Scratch values for host functions defined on value slices (`Func::new`), kept between
    /// calls so a host call does not allocate.
    pub(crate) host_values: Vec<Value>,
    /// Where spilled memories, tables and globals go (see `spill.rs`).
    pub(crate) spill: crate::spill::SpillSlot,
    /// How many entities are spilled now: the one check a call into wasm makes.
    pub(crate) spilled: u32,
    /// Calls into wasm in progress (nested through host functions); nothing may be spilled
    /// while one runs, since the interpreter holds raw views of memories and globals.
    pub(crate) active: u32,
    /// The lowered code of each module instantiated in the store (see `code_cache.rs`).
    pub(crate) code_caches: Vec<crate::code_cache::ModuleCache>,
    /// Whether any code cache has a budget, so it may evict: only then does the driver record
    /// the frames it suspends under host calls in `suspended`.
    pub(crate) code_budgeted: bool,
    /// `(instance, defined function)` of every frame suspended under a host call that may
    /// re-enter wasm; the code cache never evicts those.
    pub(crate) suspended: Vec<(u32, u32)>,
    /// Scratch buffer for spilling and reloading code.
    pub(crate) code_buf: Vec<u8>,
    /// `(instance, defined function)` of every function with an entry hook (`hooks.rs`).
    pub(crate) entry_hooked: hashbrown::HashSet<(u32, u32)>,
    /// A hooked function whose call left the dispatch chain for its hook.
    pub(crate) hook_pending: Option<(u32, u32)>,
    /// A hooked function whose hook allowed it: its next entry is let through once.
    pub(crate) hook_pass: Option<(u32, u32)>,
}

impl StoreInner {
    /// The high half of the `v128` global at `addr` (zero for any other).
    #[inline]
    pub(crate) fn global_hi(&self, addr: u32) -> Cell {
        self.globals_hi.get(addr as usize).copied().unwrap_or(0)
    }

    /// Sets the high half of the `v128` global at `addr`.
    #[inline]
    pub(crate) fn set_global_hi(&mut self, addr: u32, hi: Cell) {
        let i = addr as usize;
        if i >= self.globals_hi.len() {
            self.globals_hi.resize(i + 1, 0);
        }
        self.globals_hi[i] = hi;
    }

    /// The value of the global at `addr`, both halves for a `v128`.
    pub(crate) fn global_value(&self, addr: u32) -> Value {
        let g = &self.globals[addr as usize];
        Value::from_cells(g.ty.content, &[g.value, self.global_hi(addr)])
    }

    /// The store-wide id of `ty`, interning it on first sight.
    pub(crate) fn intern_type(&mut self, ty: &FuncType) -> u32 {
        let StoreInner { types, type_ids, type_hasher, .. } = self;
        let hash = type_hasher.hash_one(ty);
        if let Some(&id) = type_ids.find(hash, |&id| types[id as usize] == *ty) {
            return id;
        }
        let id = types.len() as u32;
        types.push(ty.clone());
        type_ids.insert_unique(hash, id, |&id| type_hasher.hash_one(&types[id as usize]));
        id
    }

    /// Loads everything spilled; one compare when nothing is.
    #[inline]
    pub(crate) fn ensure_loaded(&mut self) -> Result<(), crate::Error> {
        if self.spilled != 0 { crate::spill::load_all(self) } else { Ok(()) }
    }

    pub(crate) fn func_type(&self, func: u32) -> &FuncType {
        &self.types[self.funcs[func as usize].ty() as usize]
    }
}

/// All runtime state of WebAssembly instances, plus the embedder's data `T`.
pub struct Store<T> {
    pub(crate) engine: Engine,
    pub(crate) inner: StoreInner,
    pub(crate) host_funcs: Vec<HostFn<T>>,
    pub(crate) trap_hook: Option<TrapHook<T>>,
    /// Entry hooks by function address (see `hooks.rs`).
    pub(crate) entry_hooks: hashbrown::HashMap<u32, crate::hooks::EntryHook<T>>,
    pub(crate) data: T,
}

impl<T> Store<T> {
    /// A new, empty store carrying `data`.
    pub fn new(engine: &Engine, data: T) -> Self {
        Store {
            engine: engine.clone(),
            inner: StoreInner::default(),
            host_funcs: Vec::new(),
            trap_hook: None,
            entry_hooks: hashbrown::HashMap::new(),
            data,
        }
    }
    /// Registers `hook`, which sees every trap before it surfaces from a call into wasm
    /// ([`crate::Func::call`], [`crate::TypedFunc::call`], a start function during
    /// instantiation): its code, the function (module index space, [`Trap::func`]) and the
    /// instance ([`Trap::instance`]) it happened in. It gets the store's data, so it can record
    /// what it saw, and returns the trap to surface: the same one or a replacement. A trap that
    /// crosses a host function (wasm calling the host calling wasm) is seen once per call it
    /// leaves. Replaces any hook set before.
    pub fn set_trap_hook(
        &mut self,
        hook: impl FnMut(&mut T, Trap) -> Trap + Send + Sync + 'static,
    ) {
        self.trap_hook = Some(Box::new(hook));
    }
    /// Removes the trap hook.
    pub fn clear_trap_hook(&mut self) {
        self.trap_hook = None;
    }
    /// Runs the trap hook, if any, on an error that is a trap.
    pub(crate) fn on_trap(&mut self, err: crate::Error) -> crate::Error {
        let Some(hook) = self.trap_hook.as_mut() else { return err };
        match err.into_trap() {
            Ok(trap) => hook(&mut self.data, trap).into(),
            Err(err) => err,
        }
    }
    /// What the code caches of this store did: hits, misses, evictions, spills, reloads,
    /// re-lowerings, bytes and time (see [`crate::code_cache`]).
    pub fn code_cache_stats(&self) -> crate::CodeCacheStats {
        crate::code_cache::store_stats(&self.inner)
    }
    /// The engine this store belongs to.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }
    /// The user data.
    pub fn data(&self) -> &T {
        &self.data
    }
    /// The user data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }
    /// Consumes the store and returns the user data.
    pub fn into_data(self) -> T {
        self.data
    }
}

impl<T> core::fmt::Debug for Store<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Store")
            .field("funcs", &self.inner.funcs.len())
            .field("memories", &self.inner.memories.len())
            .field("instances", &self.inner.instances.len())
            .finish_non_exhaustive()
    }
}

/// Read access to a store, through the store itself or a [`Caller`].
pub trait AsContext {
    /// The user data type.
    type Data;
    /// The store.
    fn as_context(&self) -> &Store<Self::Data>;
}

/// Write access to a store, through the store itself or a [`Caller`].
pub trait AsContextMut: AsContext {
    /// The store, mutably.
    fn as_context_mut(&mut self) -> &mut Store<Self::Data>;
}

impl<T> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> &Store<T> {
        self
    }
}
impl<T> AsContextMut for Store<T> {
    fn as_context_mut(&mut self) -> &mut Store<T> {
        self
    }
}
impl<C: AsContext + ?Sized> AsContext for &C {
    type Data = C::Data;
    fn as_context(&self) -> &Store<C::Data> {
        (**self).as_context()
    }
}
impl<C: AsContext + ?Sized> AsContext for &mut C {
    type Data = C::Data;
    fn as_context(&self) -> &Store<C::Data> {
        (**self).as_context()
    }
}
impl<C: AsContextMut + ?Sized> AsContextMut for &mut C {
    fn as_context_mut(&mut self) -> &mut Store<C::Data> {
        (**self).as_context_mut()
    }
}
