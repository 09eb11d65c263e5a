//! fayasm's embedding API and interpreter.
//!
//! This crate owns what an embedder touches: [`Engine`] and [`Config`], [`Module`] (decoded,
//! validated, lowered lazily or eagerly), [`Store`] (all runtime state, with user data),
//! [`Linker`] (host functions, memories, tables, globals and instances by name), [`Instance`],
//! [`Func`] with untyped and typed calls ([`TypedFunc`]), and [`Trap`]s. It runs the microcode
//! of `fayasm-ir` in a loop that never recurses on the native stack for wasm calls, so deep wasm
//! recursion traps with "call stack exhausted" instead of overflowing.
//!
//! Memories, tables and globals can be spilled to a [`SpillStore`] and are loaded back
//! transparently ([`spill`]); an instance's whole mutable state can be saved as one snapshot
//! blob and restored into a fresh instance of the same module ([`Instance::snapshot`],
//! [`Linker::instantiate_restored`]).
//!
//! Lowered code belongs to the module: each store keeps one cache per module, shared by its
//! instances, which [`Config::code_budget`] caps in bytes; cold functions are evicted, spilled to
//! the spill store and reloaded on their next call ([`code_cache`]; figures in
//! [`Store::code_cache_stats`]). [`Store::set_entry_hook`] runs host code before a chosen
//! function ([`hooks`]); [`profile`] holds the resource profiles and their overrides.
//!
//! It depends on `fayasm-core`, `fayasm-decode`, `fayasm-ir` and `fayasm-offload` (the
//! envelope and the storage seam, which sit below it); it must never depend on host or cli,
//! which plug in from above.
//!
//! ```
//! use fayasm_exec::{Engine, Linker, Module, Store, Value};
//! let wasm = wat::parse_str(r#"(module (func (export "add") (param i32 i32) (result i32)
//!     local.get 0 local.get 1 i32.add))"#).unwrap();
//! let engine = Engine::default();
//! let module = Module::new(&engine, &wasm).unwrap();
//! let mut store = Store::new(&engine, ());
//! let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
//! let add = instance.get_typed_func::<(i32, i32), i32>(&store, "add").unwrap();
//! assert_eq!(add.call(&mut store, (2, 40)).unwrap(), 42);
//! let results = instance.get_func(&store, "add").unwrap().call(&mut store, &[Value::I32(1), Value::I32(2)]).unwrap();
//! assert_eq!(results, vec![Value::I32(3)]);
//! ```
//!
//! Host functions are closures in the forms wasmtime and wasmi accept ([`IntoFunc`]): with or
//! without a leading [`Caller`], returning values, tuples, `()` or `Result<_, Trap>`; or
//! untyped, on value slices ([`Linker::func_new`]) or a [`HostCall`]
//! ([`Linker::func_untyped`]). Imports the host provides (memories, tables, globals) can be
//! swapped under a running instance with [`Instance::rebind`], and [`Store::set_trap_hook`]
//! sees every trap before it surfaces.
//!
//! ```
//! use fayasm_exec::{Caller, Engine, Linker, Module, Store, Trap};
//! let wasm = wat::parse_str(r#"(module
//!     (import "env" "add" (func $add (param i32 i32) (result i32)))
//!     (import "env" "count" (func $count (result i64)))
//!     (func (export "run") (result i64)
//!       i32.const 40 i32.const 2 call $add drop call $count))"#).unwrap();
//! let engine = Engine::default();
//! let module = Module::new(&engine, &wasm).unwrap();
//! let mut linker = Linker::<u64>::new(&engine);
//! linker.func_wrap("env", "add", |a: i32, b: i32| a + b).unwrap();
//! linker.func_wrap("env", "count", |mut caller: Caller<'_, u64>| -> Result<i64, Trap> {
//!     *caller.data_mut() += 1;
//!     Ok(*caller.data() as i64)
//! }).unwrap();
//! let mut store = Store::new(&engine, 0);
//! let instance = linker.instantiate(&mut store, &module).unwrap();
//! let run = instance.get_typed_func::<(), i64>(&store, "run").unwrap();
//! assert_eq!(run.call(&mut store, ()).unwrap(), 1);
//! ```
#![no_std]
#![deny(unsafe_code)]

extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

mod code;
pub mod code_cache;
mod config;
#[allow(
    unsafe_code,
    reason = "the dispatch loop reads frame slots and linear memory through raw pointers; each block documents its invariant"
)]
mod dispatch;
mod error;
mod externals;
mod func;
pub mod hooks;
mod instance;
mod instantiate;
mod linker;
mod module;
pub mod profile;
mod snapshot;
pub mod spill;
mod store;
mod typed;

pub use code::ExecCode;
pub use code_cache::CodeCacheStats;
pub use config::{CompilationMode, Config, Engine};
pub use error::{Error, ErrorKind, HostError, Trap};
pub use externals::{Extern, ExternType, Global, MAX_MEMORY64_BYTES, Memory, Table};
pub use fayasm_core::{ExternAddr, F32, F64, FuncAddr, RefType, TrapCode, ValType, Value};
pub use fayasm_decode::{FuncType, GlobalType, ImportType, MemoryType, ModuleInfo, TableType};
pub use fayasm_ir::FuncCode;
/// A durable spill store in a directory (see `fayasm_offload::dir_store`).
#[cfg(feature = "std")]
pub use fayasm_offload::DirStore;
pub use fayasm_offload::{
    EnvelopeError, Kind as BlobKind, MemStore, SpillKey, SpillStore, StoreError,
};
/// A `v128` value for typed calls and host functions (see [`WasmTy`]).
pub use fayasm_simd::V128;
pub use func::{Caller, Func, HostCall};
pub use hooks::EntryDecision;
pub use instance::Instance;
pub use linker::Linker;
pub use module::Module;
pub use spill::{BoxedSpillStore, SpillError};
pub use store::{AsContext, AsContextMut, Store};
pub use typed::{HostFuncDef, IntoFunc, TypedFunc, WasmParams, WasmResults, WasmRet, WasmTy};

/// The interpreter dispatch backend this build runs: `"tail"` (threaded tail calls, optimised
/// builds on x86_64/aarch64) or `"loop"` (the portable loop).
pub fn dispatch_backend() -> &'static str {
    dispatch::BACKEND
}

/// Bytes in one linear-memory page of the default size (custom-page-sizes memories may have
/// 1-byte pages: see [`MemoryType::page_size`] and [`Memory::page_size`]).
pub const PAGE_SIZE: u64 = 65536;
