//! Instances.

use crate::error::Error;
use crate::store::AsContext;
use crate::{Extern, Func, Global, Memory, Table, TypedFunc, WasmParams, WasmResults};
use alloc::string::String;
use alloc::vec::Vec;

/// An instantiated module in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance(pub(crate) u32);

impl Instance {
    /// The export called `name`.
    pub fn get_export(&self, store: impl AsContext, name: &str) -> Option<Extern> {
        let inst = &store.as_context().inner.instances[self.0 as usize];
        let info = inst.module.info();
        let i = info.exports.iter().position(|e| info.name(e.name) == name)?;
        inst.exports.get(i).copied()
    }
    /// All exports, in module order.
    pub fn exports(&self, store: impl AsContext) -> Vec<(String, Extern)> {
        let inst = &store.as_context().inner.instances[self.0 as usize];
        let info = inst.module.info();
        let names = info.exports.iter().map(|e| String::from(info.name(e.name)));
        names.zip(inst.exports.iter().copied()).collect()
    }
    /// The exported function `name`.
    pub fn get_func(&self, store: impl AsContext, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }
    /// The exported memory `name`.
    pub fn get_memory(&self, store: impl AsContext, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }
    /// The exported table `name`.
    pub fn get_table(&self, store: impl AsContext, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }
    /// The exported global `name`.
    pub fn get_global(&self, store: impl AsContext, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }
    /// The exported function `name` as a typed function.
    pub fn get_typed_func<P: WasmParams, R: WasmResults>(
        &self,
        store: impl AsContext,
        name: &str,
    ) -> Result<TypedFunc<P, R>, Error> {
        let store = store.as_context();
        let f = self
            .get_func(store, name)
            .ok_or_else(|| Error::export(alloc::format!("no exported function named {name:?}")))?;
        f.typed(store)
    }
}
