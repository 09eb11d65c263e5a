//! Typed function calls.

use crate::error::{Error, Trap};
use crate::store::{AsContext, AsContextMut, HostFn};
use crate::{Caller, Func, Store};
use alloc::format;
use alloc::vec::Vec;
use core::marker::PhantomData;
use fayasm_core::{ValType, Value};
use fayasm_decode::FuncType;

/// A Rust type that maps to one wasm value type.
pub trait WasmTy: Sized {
    /// The wasm type.
    const TY: ValType;
    /// Into a value.
    fn into_value(self) -> Value;
    /// From a value of type [`Self::TY`].
    fn from_value(v: Value) -> Option<Self>;
}

macro_rules! wasm_ty {
    ($($t:ty => $vt:ident, $v:ident($x:ident) => $into:expr, $from:expr;)*) => {$(
        impl WasmTy for $t {
            const TY: ValType = ValType::$vt;
            fn into_value(self) -> Value {
                let $x = self;
                Value::$v($into)
            }
            fn from_value(v: Value) -> Option<Self> {
                match v {
                    Value::$v($x) => Some($from),
                    _ => None,
                }
            }
        }
    )*};
}

wasm_ty! {
    i32 => I32, I32(x) => x, x;
    u32 => I32, I32(x) => x as i32, x as u32;
    i64 => I64, I64(x) => x, x;
    u64 => I64, I64(x) => x as i64, x as u64;
    f32 => F32, F32(x) => x.into(), x.to_float();
    f64 => F64, F64(x) => x.into(), x.to_float();
}

/// A tuple of [`WasmTy`] parameters (or a single one, or `()`).
pub trait WasmParams {
    /// Parameter types.
    fn types() -> Vec<ValType>;
    /// As values.
    fn into_values(self) -> Vec<Value>;
}

/// A tuple of [`WasmTy`] results (or a single one, or `()`).
pub trait WasmResults: Sized {
    /// Result types.
    fn types() -> Vec<ValType>;
    /// From values of [`Self::types`].
    fn from_values(v: &[Value]) -> Option<Self>;
    /// As values (what a typed host function returns to wasm).
    fn into_result_values(self) -> Vec<Value>;
}

impl<T: WasmTy> WasmParams for T {
    fn types() -> Vec<ValType> {
        alloc::vec![T::TY]
    }
    fn into_values(self) -> Vec<Value> {
        alloc::vec![self.into_value()]
    }
}
impl<T: WasmTy> WasmResults for T {
    fn types() -> Vec<ValType> {
        alloc::vec![T::TY]
    }
    fn from_values(v: &[Value]) -> Option<Self> {
        match v {
            [x] => T::from_value(*x),
            _ => None,
        }
    }
    fn into_result_values(self) -> Vec<Value> {
        alloc::vec![self.into_value()]
    }
}

macro_rules! tuples {
    ($($($t:ident)*;)*) => {$(
        impl<$($t: WasmTy),*> WasmParams for ($($t,)*) {
            fn types() -> Vec<ValType> {
                alloc::vec![$($t::TY),*]
            }
            #[allow(non_snake_case, reason = "tuple fields are named by their type parameter")]
            fn into_values(self) -> Vec<Value> {
                let ($($t,)*) = self;
                alloc::vec![$($t.into_value()),*]
            }
        }
        impl<$($t: WasmTy),*> WasmResults for ($($t,)*) {
            fn types() -> Vec<ValType> {
                alloc::vec![$($t::TY),*]
            }
            #[allow(unused_mut, unused_variables, reason = "the empty tuple reads nothing")]
            fn from_values(v: &[Value]) -> Option<Self> {
                let mut it = v.iter();
                let r = ($($t::from_value(*it.next()?)?,)*);
                it.next().is_none().then_some(r)
            }
            #[allow(non_snake_case, reason = "tuple fields are named by their type parameter")]
            fn into_result_values(self) -> Vec<Value> {
                let ($($t,)*) = self;
                alloc::vec![$($t.into_value()),*]
            }
        }

        impl<T, Func, $($t: WasmTy,)* Res: WasmResults> IntoFunc<T, ($($t,)*), Res> for Func
        where
            Func: Fn(Caller<'_, T>, $($t),*) -> Result<Res, Trap> + Send + Sync + 'static,
        {
            #[allow(non_snake_case, reason = "parameters are named by their type parameter")]
            fn into_func(self) -> (FuncType, HostFn<T>) {
                let ty = FuncType::new(alloc::vec![$($t::TY),*], Res::types());
                let f = move |caller: Caller<'_, T>, params: &[Value], results: &mut [Value]| -> Result<(), Trap> {
                    #[allow(unused_mut, unused_variables, reason = "closures without parameters read none")]
                    let mut it = params.iter();
                    $(
                        let $t = it.next().copied().and_then($t::from_value).ok_or_else(|| {
                            Trap::host("typed host function called with mismatched arguments")
                        })?;
                    )*
                    let values = self(caller, $($t),*)?.into_result_values();
                    if values.len() != results.len() {
                        return Err(Trap::host("typed host function returned the wrong number of results"));
                    }
                    results.copy_from_slice(&values);
                    Ok(())
                };
                (ty, alloc::sync::Arc::new(f))
            }
        }
    )*};
}

tuples! {
    ;
    A;
    A B;
    A B C;
    A B C D;
    A B C D E;
    A B C D E F;
    A B C D E F G;
    A B C D E F G H;
}

/// A Rust closure usable as a host function: `Fn(Caller<'_, T>, A, B, ...) -> Result<R, Trap>`
/// with parameters and results of [`WasmTy`] types (up to eight parameters). Used by
/// [`Func::wrap`] and [`crate::Linker::func_wrap`].
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    /// The signature and the untyped host function.
    fn into_func(self) -> (FuncType, HostFn<T>);
}

/// A function whose signature was checked once against `P -> R`.
#[derive(Debug)]
pub struct TypedFunc<P, R> {
    func: Func,
    _marker: PhantomData<fn(P) -> R>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P, R> Copy for TypedFunc<P, R> {}

impl<P: WasmParams, R: WasmResults> TypedFunc<P, R> {
    pub(crate) fn new<T>(store: &Store<T>, func: Func) -> Result<Self, Error> {
        let ty = func.ty(store);
        let (want_p, want_r) = (P::types(), R::types());
        if *ty.params != *want_p || *ty.results != *want_r {
            return Err(Error::signature(format!(
                "function has type ({}) -> ({}), requested ({}) -> ({})",
                crate::func::type_list(&ty.params),
                crate::func::type_list(&ty.results),
                crate::func::type_list(&want_p),
                crate::func::type_list(&want_r)
            )));
        }
        Ok(TypedFunc { func, _marker: PhantomData })
    }

    /// The untyped function.
    pub fn func(&self) -> Func {
        self.func
    }

    /// Calls the function.
    pub fn call(&self, mut store: impl AsContextMut, params: P) -> Result<R, Error> {
        let store = store.as_context_mut();
        let results = self.func.call(&mut *store, &params.into_values())?;
        R::from_values(&results).ok_or_else(|| Error::signature("unexpected result types"))
    }
}

#[allow(dead_code, reason = "keeps AsContext in scope for docs")]
fn _assert_ctx<C: AsContext>(_: C) {}
