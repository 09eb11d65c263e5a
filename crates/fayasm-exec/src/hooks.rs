//! Per-function entry hooks: host code that runs before a chosen wasm function executes and
//! allows it, denies it (the call traps with the hook's message) or prepares it (through its
//! [`Caller`]: writing memory or globals, loading state the host keeps, then allowing).
//!
//! # Cost
//!
//! Nothing on the hot call path when no hook is registered: registering a hook flags the
//! function in its module's code cache (`ModuleCache::set_hooked`), which keeps its
//! fast-path code slot empty, so every call of it, from any instance of the module, takes the
//! existing slow path (the one an evicted function takes). There, `lower_now` sees the flag
//! and, if this instance's function has a hook, leaves the dispatch chain with the call
//! instruction still to run; the driver runs the hook with the whole store, like a host call,
//! and on [`EntryDecision::Allow`] runs the call instruction again, now let through once. A
//! call from the host runs the hook before the interpreter starts.
//!
//! ```
//! use fayasm_exec::{EntryDecision, Engine, Linker, Module, Store};
//! let wasm = wat::parse_str(r#"(module (memory (export "mem") 1)
//!     (func (export "peek") (result i32) i32.const 0 i32.load))"#).unwrap();
//! let engine = Engine::default();
//! let module = Module::new(&engine, &wasm).unwrap();
//! let mut store = Store::new(&engine, 0u32);
//! let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
//! let peek = instance.get_func(&store, "peek").unwrap();
//! store.set_entry_hook(peek, |mut caller| {
//!     *caller.data_mut() += 1;
//!     if *caller.data() > 2 { return EntryDecision::Deny("only twice".into()) }
//!     caller.write_memory(0, &42u32.to_le_bytes()).unwrap(); // prepare
//!     EntryDecision::Allow
//! }).unwrap();
//! let typed = peek.typed::<(), i32>(&store).unwrap();
//! assert_eq!(typed.call(&mut store, ()).unwrap(), 42);
//! assert_eq!(typed.call(&mut store, ()).unwrap(), 42);
//! assert!(typed.call(&mut store, ()).unwrap_err().to_string().contains("only twice"));
//! ```

use crate::error::{Error, ErrorKind, Trap};
use crate::store::FuncEntity;
use crate::{Caller, Func, Instance, Store};
use alloc::boxed::Box;
use alloc::string::String;

/// What an entry hook decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryDecision {
    /// Run the function (after whatever preparation the hook did through its `Caller`).
    Allow,
    /// Do not run it: the call traps with this message (a host trap, [`Trap::message`]).
    Deny(String),
}

/// An entry hook as a store holds it.
pub(crate) type EntryHook<T> =
    Box<dyn FnMut(Caller<'_, T>) -> EntryDecision + Send + Sync + 'static>;

impl<T> Store<T> {
    /// Registers `hook` to run before every execution of the wasm function `func` (each call,
    /// tail call and indirect call of it, and calls from the host), replacing any hook it had.
    /// The hook gets a [`Caller`] for `func`'s instance. An error if `func` is a host function.
    pub fn set_entry_hook(
        &mut self,
        func: Func,
        hook: impl FnMut(Caller<'_, T>) -> EntryDecision + Send + Sync + 'static,
    ) -> Result<(), Error> {
        let (instance, def) = wasm_func(self, func)?;
        self.entry_hooks.insert(func.0.0, Box::new(hook));
        self.inner.entry_hooked.insert((instance, def));
        let cache = self.inner.instances[instance as usize].cache;
        self.inner.code_caches[cache as usize].set_hooked(def, true);
        Ok(())
    }

    /// Removes `func`'s entry hook, if any; its calls take the fast path again unless another
    /// instance of the same module still hooks the same function.
    pub fn clear_entry_hook(&mut self, func: Func) -> Result<(), Error> {
        let (instance, def) = wasm_func(self, func)?;
        self.entry_hooks.remove(&func.0.0);
        self.inner.entry_hooked.remove(&(instance, def));
        let cache = self.inner.instances[instance as usize].cache;
        let inner = &mut self.inner;
        let still = inner
            .entry_hooked
            .iter()
            .any(|&(i, d)| d == def && inner.instances[i as usize].cache == cache);
        if !still {
            inner.code_caches[cache as usize].set_hooked(def, false);
        }
        Ok(())
    }
}

fn wasm_func<T>(store: &Store<T>, func: Func) -> Result<(u32, u32), Error> {
    match store.inner.funcs.get(func.0.0 as usize) {
        Some(FuncEntity::Wasm { instance, def, .. }) => Ok((*instance, *def)),
        Some(FuncEntity::Host { .. }) => Err(ErrorKind::Unsupported(
            "entry hooks apply to wasm functions; this is a host function".into(),
        )
        .into()),
        None => Err(Error::export("no such function in this store")),
    }
}

/// Runs the entry hook of defined function `def` of `instance`, if it has one: `Ok` to go on
/// (the interpreter lets the next entry through), a trap if the hook denies.
#[cold]
#[inline(never)]
pub(crate) fn run_entry_hook<T>(
    store: &mut Store<T>,
    instance: u32,
    def: u32,
) -> Result<(), Error> {
    let inst = &store.inner.instances[instance as usize];
    let index = inst.module.info().num_imported_funcs + def;
    let addr = inst.funcs[index as usize];
    // Taken out while it runs: the hook gets the whole store.
    let Some(mut hook) = store.entry_hooks.remove(&addr) else { return Ok(()) };
    let decision = hook(Caller { store: &mut *store, instance: Some(Instance(instance)) });
    // Put back unless the hook registered a new one for itself.
    store.entry_hooks.entry(addr).or_insert(hook);
    match decision {
        EntryDecision::Allow => {
            store.inner.hook_pass = Some((instance, def));
            Ok(())
        }
        EntryDecision::Deny(message) => {
            let trap = Trap::host(message).with_func(index).with_instance(Instance(instance));
            Err(trap.into())
        }
    }
}
