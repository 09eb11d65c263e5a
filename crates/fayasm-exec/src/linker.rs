//! The linker: named definitions that satisfy a module's imports.

use crate::error::{Error, Trap};
use crate::store::AsContextMut;
use crate::{Engine, Extern, ExternType, Func, Instance, Module, Store};
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use fayasm_core::Value;
use fayasm_decode::{FuncType, ImportType};
use hashbrown::HashMap;

type HostDef<T> = Arc<
    dyn Fn(crate::Caller<'_, T>, &[Value], &mut [Value]) -> Result<(), Trap>
        + Send
        + Sync
        + 'static,
>;

enum Definition<T> {
    Extern(Extern),
    /// A host function not yet placed in a store; it becomes a [`Func`] at instantiation.
    HostFunc(FuncType, HostDef<T>),
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::Extern(e) => Definition::Extern(*e),
            Definition::HostFunc(t, f) => Definition::HostFunc(t.clone(), f.clone()),
        }
    }
}

/// Resolves imports by `(module, name)`. Later definitions of a name replace earlier ones.
pub struct Linker<T> {
    engine: Engine,
    defs: HashMap<(String, String), Definition<T>>,
}

impl<T> core::fmt::Debug for Linker<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Linker").field("definitions", &self.defs.len()).finish()
    }
}

impl<T> Clone for Linker<T> {
    fn clone(&self) -> Self {
        Linker { engine: self.engine.clone(), defs: self.defs.clone() }
    }
}

impl<T: 'static> Linker<T> {
    /// An empty linker.
    pub fn new(engine: &Engine) -> Self {
        Linker { engine: engine.clone(), defs: HashMap::new() }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Defines `module.name` as `item`.
    pub fn define(&mut self, module: &str, name: &str, item: impl Into<Extern>) -> &mut Self {
        self.defs.insert((module.into(), name.into()), Definition::Extern(item.into()));
        self
    }

    /// Defines `module.name` as a host function of type `ty`, created in each store that
    /// instantiates against this linker.
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(crate::Caller<'_, T>, &[Value], &mut [Value]) -> Result<(), Trap>
        + Send
        + Sync
        + 'static,
    ) -> &mut Self {
        self.defs.insert((module.into(), name.into()), Definition::HostFunc(ty, Arc::new(f)));
        self
    }

    /// Defines `module.name` as a host function from a typed Rust closure
    /// (`|caller, a: i32, b: i64| Ok(a as i64 + b)`); its signature comes from the closure's
    /// types.
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        f: impl crate::typed::IntoFunc<T, Params, Results>,
    ) -> &mut Self {
        let (ty, f) = f.into_func();
        self.defs.insert((module.into(), name.into()), Definition::HostFunc(ty, f));
        self
    }

    /// Defines every export of `instance` under the module name `module`.
    pub fn instance(
        &mut self,
        store: impl AsContextMut<Data = T>,
        module: &str,
        instance: Instance,
    ) -> &mut Self {
        for (name, ext) in instance.exports(&store) {
            self.define(module, &name, ext);
        }
        self
    }

    /// The definition of `module.name`, placing a host function into `store` if needed.
    pub fn get(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &str,
        name: &str,
    ) -> Option<Extern> {
        let def = self.defs.get(&(String::from(module), String::from(name)))?;
        Some(match def {
            Definition::Extern(e) => *e,
            Definition::HostFunc(ty, f) => {
                let f = f.clone();
                Extern::Func(Func::new(store.as_context_mut(), ty.clone(), move |c, p, r| {
                    f(c, p, r)
                }))
            }
        })
    }

    /// Resolves the imports of `module` and instantiates it: tables, memories and globals are
    /// created, element and data segments applied in order, then the start function runs.
    pub fn instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance, Error> {
        let store: &mut Store<T> = store.as_context_mut();
        let imports = self.resolve(store, module)?;
        crate::instantiate::instantiate(store, module, &imports, true)
    }

    /// Instantiates `module` like [`Linker::instantiate`] and restores the state of
    /// `snapshot` (made by [`Instance::snapshot`] of an instance of the same module) into it.
    /// The start function runs only if it had not run when the snapshot was taken.
    pub fn instantiate_restored(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
        snapshot: &[u8],
    ) -> Result<Instance, Error> {
        let store: &mut Store<T> = store.as_context_mut();
        // Check the envelope before anything is created.
        crate::snapshot::check_envelope(module, snapshot)?;
        let imports = self.resolve(store, module)?;
        let instance = crate::instantiate::instantiate(store, module, &imports, false)?;
        instance.restore(&mut *store, snapshot)?;
        if !store.inner.instances[instance.0 as usize].started {
            crate::instantiate::run_start_fn(store, instance)?;
        }
        Ok(instance)
    }

    /// Like [`Linker::instantiate_restored`] with the snapshot saved under `key` in `spill`
    /// (by [`Instance::save_snapshot`]): what a device does after a reboot.
    pub fn instantiate_from_store(
        &self,
        store: impl AsContextMut<Data = T>,
        module: &Module,
        spill: &mut dyn fayasm_offload::SpillStore,
        key: fayasm_offload::SpillKey,
    ) -> Result<Instance, Error> {
        let blob = crate::snapshot::fetch_snapshot(spill, key)?;
        self.instantiate_restored(store, module, &blob)
    }

    /// The externs satisfying the imports of `module`, in import order.
    fn resolve(&self, store: &mut Store<T>, module: &Module) -> Result<Vec<Extern>, Error> {
        let info = module.info();
        let mut imports = Vec::with_capacity(info.imports.len());
        for imp in &info.imports {
            let (module, name) = (info.name(imp.module), info.name(imp.name));
            let ext = self.get(&mut *store, module, name).ok_or_else(|| {
                Error::link(format!("unknown import: {module}::{name} has not been defined"))
            })?;
            check_import(store, info, &imp.ty, &ext).map_err(|why| {
                Error::link(format!("incompatible import type for {module}::{name}: {why}"))
            })?;
            imports.push(ext);
        }
        Ok(imports)
    }
}

/// Checks that `ext` satisfies an import of type `want`.
fn check_import<T>(
    store: &Store<T>,
    info: &fayasm_decode::ModuleInfo,
    want: &ImportType,
    ext: &Extern,
) -> Result<(), String> {
    match (want, ext.ty(store)) {
        (ImportType::Func(ti), ExternType::Func(have)) => {
            let want = &info.types[*ti as usize];
            if *want == have { Ok(()) } else { Err(format!("expected {want:?}, found {have:?}")) }
        }
        (ImportType::Table(want), ExternType::Table(have)) => {
            if want.element != have.element {
                return Err(format!(
                    "expected {:?} elements, found {:?}",
                    want.element, have.element
                ));
            }
            limits_match(want.min, want.max, have.min, have.max)
        }
        (ImportType::Memory(want), ExternType::Memory(have)) => {
            limits_match(want.min, want.max, have.min, have.max)
        }
        (ImportType::Global(want), ExternType::Global(have)) => {
            if *want == have {
                Ok(())
            } else {
                Err(format!("expected {want:?}, found {have:?}"))
            }
        }
        (want, have) => {
            Err(format!("expected {}, found {}", kind_name_import(want), kind_name_extern(&have)))
        }
    }
}

fn limits_match(
    want_min: u64,
    want_max: Option<u64>,
    have_min: u64,
    have_max: Option<u64>,
) -> Result<(), String> {
    if have_min < want_min {
        return Err(format!("minimum {have_min} is below the required {want_min}"));
    }
    match (want_max, have_max) {
        (None, _) => Ok(()),
        (Some(w), Some(h)) if h <= w => Ok(()),
        (Some(w), h) => Err(format!("maximum {h:?} exceeds the required {w}")),
    }
}

fn kind_name_import(t: &ImportType) -> &'static str {
    match t {
        ImportType::Func(_) => "a function",
        ImportType::Table(_) => "a table",
        ImportType::Memory(_) => "a memory",
        ImportType::Global(_) => "a global",
    }
}

fn kind_name_extern(t: &ExternType) -> &'static str {
    match t {
        ExternType::Func(_) => "a function",
        ExternType::Table(_) => "a table",
        ExternType::Memory(_) => "a memory",
        ExternType::Global(_) => "a global",
    }
}
