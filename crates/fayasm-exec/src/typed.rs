//! Typed function calls.

use crate::error::Error;
use crate::store::{AsContext, AsContextMut};
use crate::{Func, Store};
use alloc::format;
use alloc::vec::Vec;
use core::marker::PhantomData;
use fayasm_core::{ValType, Value};

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
        }
    )*};
}

tuples! {
    ;
    A B;
    A B C;
    A B C D;
    A B C D E;
    A B C D E F;
    A B C D E F G;
    A B C D E F G H;
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
