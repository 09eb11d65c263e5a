//! Instances.

use crate::error::Error;
use crate::store::{AsContext, AsContextMut};
use crate::{Extern, Func, Global, Memory, Table, TypedFunc, WasmParams, WasmResults};
use alloc::string::String;
use alloc::vec::Vec;
use fayasm_decode::{ExternKind, ImportType};

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

    /// Replaces the memory or table behind this instance's import `module.name` with `item`
    /// (for example after the host moved or reallocated a buffer). The new binding takes
    /// effect at the instance's next access, also in the middle of a call (a host function
    /// may rebind); exports of the instance that re-export the import follow it.
    ///
    /// `item` must satisfy the import's type as at instantiation (kind, element type, current
    /// size at least the import's minimum, maximum within the import's). Otherwise, or if the
    /// instance has no such import, or it imports a function or a global, this is an
    /// [`ErrorKind::Rebind`](crate::ErrorKind::Rebind) error and the old binding stays.
    pub fn rebind(
        &self,
        mut store: impl AsContextMut,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<(), Error> {
        let store = store.as_context_mut();
        let item = item.into();
        let module_ref = store.inner.instances[self.0 as usize].module.clone();
        let info = module_ref.info();
        let (mut tables, mut memories) = (0usize, 0usize);
        let mut found = None;
        for imp in &info.imports {
            let here = info.name(imp.module) == module && info.name(imp.name) == name;
            match imp.ty {
                ImportType::Table(_) if here => found = Some((imp.ty, tables)),
                ImportType::Memory(_) if here => found = Some((imp.ty, memories)),
                ImportType::Table(_) => tables += 1,
                ImportType::Memory(_) => memories += 1,
                ImportType::Func(_) | ImportType::Global(_) if here => {
                    return Err(Error::rebind(alloc::format!(
                        "{module}.{name} is a {}; only memories and tables can be rebound",
                        if matches!(imp.ty, ImportType::Func(_)) { "function" } else { "global" }
                    )));
                }
                _ => {}
            }
            if found.is_some() {
                break;
            }
        }
        let Some((ty, index)) = found else {
            return Err(Error::rebind(alloc::format!(
                "the instance has no import {module}.{name}"
            )));
        };
        crate::linker::check_import(store, info, &ty, &item)
            .map_err(|why| Error::rebind(alloc::format!("{module}.{name}: {why}")))?;
        let inst = &mut store.inner.instances[self.0 as usize];
        let (kind, slot) = match (&ty, item) {
            (ImportType::Memory(_), Extern::Memory(m)) => {
                inst.memories[index] = m.0;
                (ExternKind::Memory, item)
            }
            (ImportType::Table(_), Extern::Table(t)) => {
                inst.tables[index] = t.0;
                (ExternKind::Table, item)
            }
            _ => return Err(Error::rebind(alloc::format!("{module}.{name}: kind mismatch"))),
        };
        for (e, ext) in info.exports.iter().zip(inst.exports.iter_mut()) {
            if e.kind == kind && e.index as usize == index {
                *ext = slot;
            }
        }
        Ok(())
    }
}
