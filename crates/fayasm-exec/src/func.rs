//! Functions and the host-call context.

use crate::error::{Error, Trap};
use crate::store::{AsContext, AsContextMut, FuncEntity, HostFn, HostFuncData};
use crate::{Extern, Instance, Memory, Store, WasmTy};
use alloc::boxed::Box;
use alloc::format;
use alloc::vec;
use alloc::vec::Vec;
use fayasm_core::{Cell, FuncAddr, ValType, Value};
use fayasm_decode::FuncType;

/// A function in a store: defined by an instance or by the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Func(pub(crate) FuncAddr);

impl Func {
    /// A host function with signature `ty` backed by `f`. `f` receives the parameters and
    /// must fill `results` (pre-filled with defaults of the result types); a result of the
    /// wrong type is a host-error trap. The value slices live in a buffer the store reuses,
    /// so a call does not allocate.
    pub fn new<T: 'static>(
        store: impl AsContextMut<Data = T>,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Value], &mut [Value]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> Func {
        Func::new_untyped(store, ty, values_adapter(f))
    }

    /// A host function with signature `ty` that reads its arguments and writes its results
    /// through a [`HostCall`] (`call.arg_i32(0)?`, `call.set_f64(0, v)?`), with no value
    /// slices in between.
    pub fn new_untyped<T: 'static>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, HostCall<'_>) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> Func {
        let data = HostFuncData::new(&ty, false, Box::new(f));
        Func::from_host(store.as_context_mut(), &ty, data)
    }

    /// A host function from a Rust closure, its signature derived from the closure's types:
    /// `Func::wrap(&mut store, |a: i32, b: i32| a + b)`. See [`crate::IntoFunc`] for the forms
    /// accepted.
    pub fn wrap<T: 'static, Params, Results>(
        mut store: impl AsContextMut<Data = T>,
        f: impl crate::typed::IntoFunc<T, Params, Results>,
    ) -> Func {
        let def = f.into_func();
        Func::from_host(store.as_context_mut(), &def.ty, def.data)
    }

    pub(crate) fn from_host<T>(store: &mut Store<T>, ty: &FuncType, data: HostFn<T>) -> Func {
        store.host_funcs.push(data);
        let host = store.host_funcs.len() as u32 - 1;
        let ty = store.inner.intern_type(ty);
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
        enter(store, self.0.0, params, results).map_err(|e| store.on_trap(e))
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

pub(crate) fn type_list(tys: &[ValType]) -> alloc::string::String {
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
    /// The calling instance's memory: its export `"memory"` if it has one, else its memory 0
    /// (exported or not). `None` if the caller is not wasm or has no memory.
    pub fn memory(&self) -> Option<Memory> {
        if let Some(Extern::Memory(m)) = self.get_export("memory") {
            return Some(m);
        }
        let inst = self.instance?;
        let addr = *self.store.inner.instances[inst.0 as usize].memories.first()?;
        Some(Memory(addr))
    }
    /// Reads `buf.len()` bytes of the calling instance's memory (see [`Caller::memory`]) at
    /// `offset`; an error, not a panic, if there is no memory or the range is out of bounds.
    pub fn read_memory(&self, offset: u64, buf: &mut [u8]) -> Result<(), Error> {
        let m = self.memory().ok_or_else(no_memory)?;
        m.read(&*self.store, offset, buf)
    }
    /// Writes `data` into the calling instance's memory at `offset`, checked like
    /// [`Caller::read_memory`].
    pub fn write_memory(&mut self, offset: u64, data: &[u8]) -> Result<(), Error> {
        let m = self.memory().ok_or_else(no_memory)?;
        m.write(&mut *self.store, offset, data)
    }
}

#[cold]
fn no_memory() -> Error {
    Error::export("the caller has no linear memory")
}

/// Adapts a host function on value slices to the [`HostCall`] form, through the store's
/// reusable value buffer.
pub(crate) fn values_adapter<T: 'static>(
    f: impl Fn(Caller<'_, T>, &[Value], &mut [Value]) -> Result<(), Trap> + Send + Sync + 'static,
) -> impl Fn(Caller<'_, T>, HostCall<'_>) -> Result<(), Trap> + Send + Sync + 'static {
    move |caller: Caller<'_, T>, mut call: HostCall<'_>| {
        let Caller { store, instance } = caller;
        let mut buf = core::mem::take(&mut store.inner.host_values);
        buf.clear();
        let np = call.params.len();
        for i in 0..np {
            buf.push(call.arg(i)?);
        }
        buf.extend(call.results.iter().map(|&t| Value::default_for(t)));
        let (params, results) = buf.split_at_mut(np);
        let outcome = f(Caller { store: &mut *store, instance }, params, results);
        let written = outcome
            .and_then(|()| results.iter().enumerate().try_for_each(|(i, &v)| call.set(i, v)));
        store.inner.host_values = buf;
        written
    }
}

/// One call of a host function: checked access to its arguments and results.
///
/// Every accessor checks the index and the type against the function's signature and returns
/// a host-error [`Trap`] (never panics) on a mismatch, so host code can use `?`. Results not
/// set are the zero (or null) value of their type.
///
/// ```
/// use fayasm_exec::{Engine, Func, FuncType, Store, ValType, Value};
/// let engine = Engine::default();
/// let mut store = Store::new(&engine, ());
/// let ty = FuncType::new([ValType::I32, ValType::F64], [ValType::F64]);
/// let f = Func::new_untyped(&mut store, ty, |_caller, mut call| {
///     let (n, x) = (call.arg_i32(0)?, call.arg_f64(1)?);
///     assert!(call.arg_i64(0).is_err(), "argument 0 is an i32");
///     call.set_f64(0, f64::from(n) * x)
/// });
/// let out = f.call(&mut store, &[Value::I32(3), Value::from(0.5f64)]).unwrap();
/// assert_eq!(out, vec![Value::from(1.5f64)]);
/// ```
pub struct HostCall<'a> {
    /// Parameters at `[..param_cells]`, results at `[result_at..]`.
    cells: &'a mut [Cell],
    param_cells: usize,
    /// Where the results go: after the parameters (untyped), or over them (typed closures).
    result_at: usize,
    params: &'a [ValType],
    results: &'a [ValType],
}

macro_rules! host_call_accessors {
    ($($get:ident $set:ident: $t:ty;)*) => {$(
        #[doc = concat!("Argument `index` as `", stringify!($t), "`.")]
        pub fn $get(&self, index: usize) -> Result<$t, Trap> {
            let cell = self.param_cell(index, <$t as WasmTy>::TY)?;
            Ok(<$t as WasmTy>::from_cell(cell))
        }
        #[doc = concat!("Sets result `index` to a `", stringify!($t), "`.")]
        pub fn $set(&mut self, index: usize, value: $t) -> Result<(), Trap> {
            *self.result_cell(index, <$t as WasmTy>::TY)? = value.into_cell();
            Ok(())
        }
    )*};
}

impl<'a> HostCall<'a> {
    /// `cells` holds the parameters followed by room for the results; the results go at
    /// `result_at` (0 or `param_cells`).
    pub(crate) fn new(
        cells: &'a mut [Cell],
        param_cells: usize,
        result_at: usize,
        params: &'a [ValType],
        results: &'a [ValType],
    ) -> Self {
        HostCall { cells, param_cells, result_at, params, results }
    }
    /// The parameter types.
    pub fn params(&self) -> &[ValType] {
        self.params
    }
    /// The result types.
    pub fn results(&self) -> &[ValType] {
        self.results
    }
    /// The raw cells of the parameters (what typed host functions read).
    pub(crate) fn param_cells(&self) -> &[Cell] {
        &self.cells[..self.param_cells]
    }
    /// The raw cells of the results (what typed host functions write).
    pub(crate) fn result_cells(&mut self) -> &mut [Cell] {
        &mut self.cells[self.result_at..]
    }

    fn offset(tys: &[ValType], index: usize) -> usize {
        tys[..index].iter().map(|t| t.cells() as usize).sum()
    }

    #[cold]
    fn bad_index(what: &str, index: usize, count: usize) -> Trap {
        Trap::host(format!("host function has no {what} {index} (it has {count})"))
    }

    #[cold]
    fn bad_type(what: &str, index: usize, have: ValType, want: ValType) -> Trap {
        Trap::host(format!("host function {what} {index} is {have}, not {want}"))
    }

    fn param_cell(&self, index: usize, want: ValType) -> Result<Cell, Trap> {
        let have = *self
            .params
            .get(index)
            .ok_or_else(|| Self::bad_index("argument", index, self.params.len()))?;
        if have != want {
            return Err(Self::bad_type("argument", index, have, want));
        }
        Ok(self.cells[Self::offset(self.params, index)])
    }

    fn result_cell(&mut self, index: usize, want: ValType) -> Result<&mut Cell, Trap> {
        let have = *self
            .results
            .get(index)
            .ok_or_else(|| Self::bad_index("result", index, self.results.len()))?;
        if have != want {
            return Err(Self::bad_type("result", index, have, want));
        }
        let at = self.result_at + Self::offset(self.results, index);
        Ok(&mut self.cells[at])
    }

    /// Argument `index` as a [`Value`].
    pub fn arg(&self, index: usize) -> Result<Value, Trap> {
        let ty = *self
            .params
            .get(index)
            .ok_or_else(|| Self::bad_index("argument", index, self.params.len()))?;
        let at = Self::offset(self.params, index);
        Ok(Value::from_cells(ty, &self.cells[at..]))
    }

    /// Sets result `index` to `value`, which must have the result's type.
    pub fn set(&mut self, index: usize, value: Value) -> Result<(), Trap> {
        let want = *self
            .results
            .get(index)
            .ok_or_else(|| Self::bad_index("result", index, self.results.len()))?;
        if value.ty() != want {
            return Err(Self::bad_type("result", index, want, value.ty()));
        }
        let at = self.result_at + Self::offset(self.results, index);
        value.write_cells(&mut self.cells[at..]);
        Ok(())
    }

    host_call_accessors! {
        arg_i32 set_i32: i32;
        arg_i64 set_i64: i64;
        arg_f32 set_f32: f32;
        arg_f64 set_f64: f64;
    }

    /// Argument `index` as a `v128`.
    pub fn arg_v128(&self, index: usize) -> Result<fayasm_simd::V128, Trap> {
        let lo = self.param_cell(index, ValType::V128)?;
        let hi = self.cells[Self::offset(self.params, index) + 1];
        Ok(fayasm_simd::V128::from_cells(lo, hi))
    }

    /// Sets result `index` to a `v128`.
    pub fn set_v128(&mut self, index: usize, value: fayasm_simd::V128) -> Result<(), Trap> {
        let (lo, hi) = value.to_cells();
        *self.result_cell(index, ValType::V128)? = lo;
        let at = self.result_at + Self::offset(self.results, index) + 1;
        self.cells[at] = hi;
        Ok(())
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
