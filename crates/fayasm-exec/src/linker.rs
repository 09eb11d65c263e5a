//! The linker: named definitions that satisfy a module's imports.

use crate::error::{Error, ErrorKind, Trap};
use crate::store::{AsContextMut, HostFn, HostFuncData};
use crate::{Engine, Extern, ExternType, Func, HostCall, Instance, Module, Store};
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use fayasm_core::{ValType, Value};
use fayasm_decode::{FuncType, ImportType};
use hashbrown::HashMap;

enum Definition<T> {
    Extern(Extern),
    /// A host function not yet placed in a store; it becomes a [`Func`] at instantiation.
    HostFunc(FuncType, HostFn<T>),
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::Extern(e) => Definition::Extern(*e),
            Definition::HostFunc(t, f) => Definition::HostFunc(t.clone(), f.clone()),
        }
    }
}

/// Resolves imports by `(module, name)`.
///
/// Defining a name twice is an [`ErrorKind::Duplicate`](crate::ErrorKind::Duplicate) error
/// unless [`Linker::allow_shadowing`] is on, in which case the later definition wins.
pub struct Linker<T> {
    engine: Engine,
    defs: HashMap<(String, String), Definition<T>>,
    shadowing: bool,
}

impl<T> core::fmt::Debug for Linker<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Linker")
            .field("definitions", &self.defs.len())
            .field("shadowing", &self.shadowing)
            .finish()
    }
}

impl<T> Clone for Linker<T> {
    fn clone(&self) -> Self {
        Linker { engine: self.engine.clone(), defs: self.defs.clone(), shadowing: self.shadowing }
    }
}

impl<T: 'static> Linker<T> {
    /// An empty linker.
    pub fn new(engine: &Engine) -> Self {
        Linker { engine: engine.clone(), defs: HashMap::new(), shadowing: false }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Whether a second definition of a name replaces the first (`true`) or is an error
    /// (`false`, the default).
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.shadowing = allow;
        self
    }

    fn insert(&mut self, module: &str, name: &str, def: Definition<T>) -> Result<&mut Self, Error> {
        let key = (String::from(module), String::from(name));
        if !self.shadowing && self.defs.contains_key(&key) {
            return Err(ErrorKind::Duplicate(format!(
                "{module}.{name} is already defined (see Linker::allow_shadowing)"
            ))
            .into());
        }
        self.defs.insert(key, def);
        Ok(self)
    }

    /// Whether `module.name` is defined.
    pub fn contains(&self, module: &str, name: &str) -> bool {
        self.defs.contains_key(&(String::from(module), String::from(name)))
    }

    /// Defines `module.name` as `item`.
    pub fn define(
        &mut self,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self, Error> {
        self.insert(module, name, Definition::Extern(item.into()))
    }

    /// Defines `module.name` as a host function of type `ty` on value slices, created in each
    /// store that instantiates against this linker (see [`Func::new`]).
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(crate::Caller<'_, T>, &[Value], &mut [Value]) -> Result<(), Trap>
        + Send
        + Sync
        + 'static,
    ) -> Result<&mut Self, Error> {
        self.func_untyped(module, name, ty, crate::func::values_adapter(f))
    }

    /// Defines `module.name` as a host function of type `ty` that reads its arguments and
    /// writes its results through a [`HostCall`] (see [`Func::new_untyped`]).
    pub fn func_untyped(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(crate::Caller<'_, T>, HostCall<'_>) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> Result<&mut Self, Error> {
        let data = HostFuncData::new(&ty, false, Box::new(f));
        self.insert(module, name, Definition::HostFunc(ty, data))
    }

    /// Defines `module.name` as a host function from a Rust closure; its signature comes from
    /// the closure's types. Every form of [`IntoFunc`](crate::IntoFunc) works:
    /// `|a: i32, b: i32| a + b`, `|caller: Caller<'_, T>, x: i64| -> Result<i64, Trap> { .. }`.
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        f: impl crate::typed::IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self, Error> {
        let def = f.into_func();
        self.insert(module, name, Definition::HostFunc(def.ty, def.data))
    }

    /// Defines every export of `instance` under the module name `module`.
    pub fn instance(
        &mut self,
        store: impl AsContextMut<Data = T>,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self, Error> {
        for (name, ext) in instance.exports(&store) {
            self.define(module, &name, ext)?;
        }
        Ok(self)
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
                Extern::Func(Func::from_host(store.as_context_mut(), ty, f.clone()))
            }
        })
    }

    /// Resolves the imports of `module` and instantiates it: tables, memories and globals are
    /// created, element and data segments applied in order, then the start function runs.
    ///
    /// Imports that are not defined, or defined with another type, fail with one
    /// [`ErrorKind::Link`](crate::ErrorKind::Link) error that lists every one of them
    /// (`env.clock_ms: func () -> i32`).
    pub fn instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance, Error> {
        let store: &mut Store<T> = store.as_context_mut();
        let imports = self.resolve(store, module)?;
        crate::instantiate::instantiate(store, module, &imports, true).map_err(|e| store.on_trap(e))
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
            crate::instantiate::run_start_fn(store, instance).map_err(|e| store.on_trap(e))?;
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
        let mut missing = Vec::new();
        let mut mismatched = Vec::new();
        for imp in &info.imports {
            let (module, name) = (info.name(imp.module), info.name(imp.name));
            let Some(ext) = self.get(&mut *store, module, name) else {
                missing.push(format!("{module}.{name}: {}", describe_import(info, &imp.ty)));
                continue;
            };
            if let Err(why) = check_import(store, info, &imp.ty, &ext) {
                mismatched.push(format!("incompatible import type for {module}.{name}: {why}"));
                continue;
            }
            imports.push(ext);
        }
        if !missing.is_empty() || !mismatched.is_empty() {
            let mut msg = String::new();
            if !missing.is_empty() {
                msg = format!("unresolved imports: {}", missing.join(", "));
            }
            if !mismatched.is_empty() {
                if !msg.is_empty() {
                    msg.push_str("; ");
                }
                msg.push_str(&format!("incompatible imports: {}", mismatched.join(", ")));
            }
            return Err(Error::link(msg));
        }
        Ok(imports)
    }
}

/// `func (i32, i64) -> i32`, `memory 1..2`, `table funcref 10`, `global mut i32`.
pub(crate) fn describe_import(info: &fayasm_decode::ModuleInfo, ty: &ImportType) -> String {
    match ty {
        ImportType::Func(ti) => match info.types.get(*ti as usize) {
            Some(t) => format!("func {}", describe_func(t)),
            None => String::from("func ?"),
        },
        ImportType::Memory(m) => format!("memory {}", describe_memory(m)),
        ImportType::Table(t) => format!("table {}", describe_table(t)),
        ImportType::Global(g) => {
            format!("global {}{}", if g.mutable { "mut " } else { "" }, g.content)
        }
    }
}

/// `1..2`, `i64 1..2`, `1 (pagesize 1)`: the limits, and the index type and page size when
/// they are not the defaults.
pub(crate) fn describe_memory(m: &fayasm_decode::MemoryType) -> String {
    let limits = describe_limits(m.min, m.max);
    let idx = if m.memory64 { "i64 " } else { "" };
    if m.page_size_log2 == fayasm_decode::MemoryType::DEFAULT_PAGE_SIZE_LOG2 {
        format!("{idx}{limits}")
    } else {
        format!("{idx}{limits} (pagesize {})", m.page_size())
    }
}

/// `funcref 10`, `i64 funcref 1..2`: the element type and limits, and the index type when it
/// is not `i32`.
pub(crate) fn describe_table(t: &fayasm_decode::TableType) -> String {
    let idx = if t.table64 { "i64 " } else { "" };
    format!("{idx}{} {}", ValType::from(t.element), describe_limits(t.min, t.max))
}

fn describe_limits(min: u64, max: Option<u64>) -> String {
    match max {
        Some(max) => format!("{min}..{max}"),
        None => format!("{min}"),
    }
}

/// `(i32, i64) -> i32`; `() -> ()` for no parameters and results.
pub(crate) fn describe_func(t: &FuncType) -> String {
    let params = crate::func::type_list(&t.params);
    match &*t.results {
        [] => format!("({params}) -> ()"),
        [one] => format!("({params}) -> {one}"),
        many => format!("({params}) -> ({})", crate::func::type_list(many)),
    }
}

/// Checks that `ext` satisfies an import of type `want`.
pub(crate) fn check_import<T>(
    store: &Store<T>,
    info: &fayasm_decode::ModuleInfo,
    want: &ImportType,
    ext: &Extern,
) -> Result<(), String> {
    match (want, ext.ty(store)) {
        (ImportType::Func(ti), ExternType::Func(have)) => {
            let want = info.types.get(*ti as usize).ok_or("a function of an unknown type")?;
            if *want == have {
                Ok(())
            } else {
                Err(format!(
                    "expected func {}, found func {}",
                    describe_func(want),
                    describe_func(&have)
                ))
            }
        }
        (ImportType::Table(want), ExternType::Table(have)) => {
            if want.table64 != have.table64 {
                return Err(format!(
                    "expected table {}, found table {} (the index types differ)",
                    describe_table(want),
                    describe_table(&have)
                ));
            }
            if want.element != have.element {
                return Err(format!(
                    "expected {:?} elements, found {:?}",
                    want.element, have.element
                ));
            }
            limits_match(want.min, want.max, have.min, have.max)
        }
        (ImportType::Memory(want), ExternType::Memory(have)) => {
            if want.memory64 != have.memory64 || want.page_size_log2 != have.page_size_log2 {
                return Err(format!(
                    "expected memory {}, found memory {}",
                    describe_memory(want),
                    describe_memory(&have)
                ));
            }
            limits_match(want.min, want.max, have.min, have.max)
        }
        (ImportType::Global(want), ExternType::Global(have)) => {
            if *want == have {
                Ok(())
            } else {
                let d = |g: &fayasm_decode::GlobalType| {
                    format!("global {}{}", if g.mutable { "mut " } else { "" }, g.content)
                };
                Err(format!("expected {}, found {}", d(want), d(&have)))
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
