//! Functions and the host-call context.

use crate::error::{Error, Trap};
use crate::store::{AsContext, AsContextMut, FuncEntity};
use crate::{Extern, Instance, Store};
use alloc::format;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use fayasm_core::{FuncAddr, Value};
use fayasm_decode::FuncType;

/// A function in a store: defined by an instance or by the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Func(pub(crate) FuncAddr);

impl Func {
    /// A host function with signature `ty` backed by `f`. `f` receives the parameters and
    /// must fill `results` (pre-filled with defaults of the result types).
    pub fn new<T: 'static>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Value], &mut [Value]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> Func {
        let store = store.as_context_mut();
        store.host_funcs.push(Arc::new(f));
        let host = store.host_funcs.len() as u32 - 1;
        let ty = store.inner.intern_type(&ty);
        store.inner.funcs.push(FuncEntity::Host { host, ty });
        Func(FuncAddr(store.inner.funcs.len() as u32 - 1))
    }

    /// A host function from a typed Rust closure, its signature derived from the closure's
    /// types: `Func::wrap(&mut store, |_caller, a: i32, b: i32| Ok(a + b))`.
    pub fn wrap<T: 'static, Params, Results>(
        mut store: impl AsContextMut<Data = T>,
        f: impl crate::typed::IntoFunc<T, Params, Results>,
    ) -> Func {
        let (ty, f) = f.into_func();
        let store = store.as_context_mut();
        store.host_funcs.push(f);
        let host = store.host_funcs.len() as u32 - 1;
        let ty = store.inner.intern_type(&ty);
        store.inner.funcs.push(FuncEntity::Host { host, ty });
        Func(FuncAddr(store.inner.funcs.len() as u32 - 1))
    }

    /// The store address of this function (what a `funcref` value carries).
    pub fn addr(&self) -> FuncAddr {
        self.0
    }

    /// The function at `addr`, if the store has one there.
    pub fn from_addr(store: impl AsContext, addr: FuncAddr) -> Option<Func> {
        (addr.0 < store.as_context().inner.funcs.len() as u32).then_some(Func(addr))
    }

    /// The signature.
    pub fn ty(&self, store: impl AsContext) -> FuncType {
        store.as_context().inner.func_type(self.0.0).clone()
    }

    /// Calls the function with `params`, checked against its signature, and returns its results.
    pub fn call(
        &self,
        mut store: impl AsContextMut,
        params: &[Value],
    ) -> Result<Vec<Value>, Error> {
        let store = store.as_context_mut();
        let ty = store.inner.func_type(self.0.0);
        let mut results = vec![Value::I32(0); ty.results.len()];
        self.call_into(store, params, &mut results)?;
        Ok(results)
    }

    /// Like [`Func::call`], writing the results into `results` (whose length must match).
    pub fn call_into(
        &self,
        mut store: impl AsContextMut,
        params: &[Value],
        results: &mut [Value],
    ) -> Result<(), Error> {
        let store = store.as_context_mut();
        let ty = store.inner.func_type(self.0.0);
        if params.len() != ty.params.len() {
            return Err(Error::signature(format!(
                "expected {} argument(s) of type ({}), got {}",
                ty.params.len(),
                type_list(&ty.params),
                params.len()
            )));
        }
        for (i, (p, t)) in params.iter().zip(ty.params.iter()).enumerate() {
            if p.ty() != *t {
                return Err(Error::signature(format!(
                    "argument {i} is {} but the function expects {t}",
                    p.ty()
                )));
            }
            if let Value::FuncRef(Some(a)) = p
                && a.0 as usize >= store.inner.funcs.len()
            {
                return Err(Error::signature(format!(
                    "argument {i} refers to no function of this store"
                )));
            }
        }
        if results.len() != ty.results.len() {
            return Err(Error::signature(format!(
                "expected room for {} result(s), got {}",
                ty.results.len(),
                results.len()
            )));
        }
        enter(store, self.0.0, params, results)
    }

    /// A typed view of this function; fails if `P`/`R` do not match its signature.
    pub fn typed<P: crate::WasmParams, R: crate::WasmResults>(
        &self,
        store: impl AsContext,
    ) -> Result<crate::TypedFunc<P, R>, Error> {
        crate::TypedFunc::new(store.as_context(), *self)
    }
}

/// Every call into wasm from the host goes through here: spilled state is loaded first (one
/// compare when nothing is spilled), and the call is counted as running so that nothing is
/// spilled under the interpreter's feet.
pub(crate) fn enter<T>(
    store: &mut Store<T>,
    func: u32,
    params: &[Value],
    results: &mut [Value],
) -> Result<(), Error> {
    entering_wasm(store, |store| crate::dispatch::call(store, func, params, results))
}

/// Runs `call`, an entry into the interpreter, with spilled state loaded and the store marked
/// as running wasm. Any new way into the interpreter from the host (a typed fast path, say)
/// must go through this too: the interpreter never checks for spilled state itself.
#[inline]
pub(crate) fn entering_wasm<T, R>(
    store: &mut Store<T>,
    call: impl FnOnce(&mut Store<T>) -> Result<R, Error>,
) -> Result<R, Error> {
    store.inner.ensure_loaded()?;
    store.inner.active += 1;
    let outcome = call(store);
    store.inner.active -= 1;
    outcome
}

pub(crate) fn type_list(tys: &[fayasm_core::ValType]) -> alloc::string::String {
    let v: Vec<alloc::string::String> = tys.iter().map(|t| format!("{t}")).collect();
    v.join(", ")
}

/// What a host function sees of its caller: the store (with user data) and the calling instance.
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut Store<T>,
    pub(crate) instance: Option<Instance>,
}

impl<T> Caller<'_, T> {
    /// The user data.
    pub fn data(&self) -> &T {
        &self.store.data
    }
    /// The user data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.store.data
    }
    /// An export of the calling instance (for example its memory).
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        self.instance.and_then(|i| i.get_export(&*self.store, name))
    }
    /// The calling instance, if the caller is wasm.
    pub fn instance(&self) -> Option<Instance> {
        self.instance
    }
}

impl<T> AsContext for Caller<'_, T> {
    type Data = T;
    fn as_context(&self) -> &Store<T> {
        self.store
    }
}
impl<T> AsContextMut for Caller<'_, T> {
    fn as_context_mut(&mut self) -> &mut Store<T> {
        self.store
    }
}
