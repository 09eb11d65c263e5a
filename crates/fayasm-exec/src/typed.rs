//! Typed function calls.

use crate::error::{Error, Trap};
use crate::store::{AsContext, AsContextMut, HostFn, HostFuncData};
use crate::{Caller, Func, HostCall, Store};
use alloc::boxed::Box;
use alloc::format;
use alloc::vec::Vec;
use core::marker::PhantomData;
use fayasm_core::{Cell, ValType, Value};
use fayasm_decode::FuncType;
use fayasm_simd::V128;

/// A Rust type that maps to one wasm value type.
pub trait WasmTy: Sized + Send + 'static {
    /// The wasm type.
    const TY: ValType;
    /// Into a value.
    fn into_value(self) -> Value;
    /// From a value of type [`Self::TY`].
    fn from_value(v: Value) -> Option<Self>;
    /// Into its cell (the interpreter's encoding of a value of [`Self::TY`]).
    fn into_cell(self) -> Cell;
    /// From a cell holding a value of [`Self::TY`].
    fn from_cell(cell: Cell) -> Self;
    /// How many cells a value takes: 1, or 2 for [`V128`].
    const CELLS: usize = 1;
    /// Writes the value into `out[..Self::CELLS]`.
    #[inline(always)]
    fn write_cells_to(self, out: &mut [Cell]) {
        out[0] = self.into_cell();
    }
    /// Reads a value from `cells[..Self::CELLS]`.
    #[inline(always)]
    fn read_cells_from(cells: &[Cell]) -> Self {
        Self::from_cell(cells[0])
    }
}

/// A `v128` in typed calls and host functions: [`fayasm_simd::V128`] (little-endian lanes, lane
/// 0 in the lowest bits). It takes two cells; its single-cell forms ([`WasmTy::into_cell`],
/// [`WasmTy::from_cell`]) carry the low half only.
impl WasmTy for V128 {
    const TY: ValType = ValType::V128;
    const CELLS: usize = 2;
    fn into_value(self) -> Value {
        Value::V128(self.to_u128())
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::V128(x) => Some(V128::from_u128(x)),
            _ => None,
        }
    }
    fn into_cell(self) -> Cell {
        self.to_cells().0
    }
    fn from_cell(cell: Cell) -> Self {
        V128::from_cells(cell, 0)
    }
    #[inline(always)]
    fn write_cells_to(self, out: &mut [Cell]) {
        let (lo, hi) = self.to_cells();
        out[0] = lo;
        out[1] = hi;
    }
    #[inline(always)]
    fn read_cells_from(cells: &[Cell]) -> Self {
        V128::from_cells(cells[0], cells[1])
    }
}

macro_rules! wasm_ty {
    ($($t:ty => $vt:ident, $v:ident($x:ident) => $into:expr, $from:expr;
        cell($c:ident) => $from_cell:expr, $into_cell:expr;)*) => {$(
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
            #[inline]
            fn into_cell(self) -> Cell {
                let $x = self;
                $into_cell
            }
            #[inline]
            fn from_cell($c: Cell) -> Self {
                $from_cell
            }
        }
    )*};
}

wasm_ty! {
    i32 => I32, I32(x) => x, x; cell(c) => c as u32 as i32, u64::from(x as u32);
    u32 => I32, I32(x) => x as i32, x as u32; cell(c) => c as u32, u64::from(x);
    i64 => I64, I64(x) => x, x; cell(c) => c as i64, x as u64;
    u64 => I64, I64(x) => x as i64, x as u64; cell(c) => c, x;
    f32 => F32, F32(x) => x.into(), x.to_float(); cell(c) => f32::from_bits(c as u32), u64::from(x.to_bits());
    f64 => F64, F64(x) => x.into(), x.to_float(); cell(c) => f64::from_bits(c), x.to_bits();
}

/// A tuple of [`WasmTy`] parameters (or a single one, or `()`).
pub trait WasmParams {
    /// How many parameters.
    const LEN: usize;
    /// How many cells they take (a `v128` takes two).
    const CELLS: usize;
    /// Parameter types.
    fn types() -> Vec<ValType>;
    /// As values.
    fn into_values(self) -> Vec<Value>;
    /// Writes the parameters into `out[..Self::CELLS]`.
    fn write_cells(self, out: &mut [Cell]);
}

/// A tuple of [`WasmTy`] results (or a single one, or `()`).
pub trait WasmResults: Sized {
    /// How many results.
    const LEN: usize;
    /// How many cells they take (a `v128` takes two).
    const CELLS: usize;
    /// Result types.
    fn types() -> Vec<ValType>;
    /// From values of [`Self::types`].
    fn from_values(v: &[Value]) -> Option<Self>;
    /// As values (what a typed host function returns to wasm).
    fn into_result_values(self) -> Vec<Value>;
    /// Writes the results into `out[..Self::CELLS]`.
    fn write_cells(self, out: &mut [Cell]);
    /// Reads results of [`Self::types`] from `cells[..Self::CELLS]`.
    fn read_cells(cells: &[Cell]) -> Self;
}

impl<T: WasmTy> WasmParams for T {
    const LEN: usize = 1;
    const CELLS: usize = T::CELLS;
    fn types() -> Vec<ValType> {
        alloc::vec![T::TY]
    }
    fn into_values(self) -> Vec<Value> {
        alloc::vec![self.into_value()]
    }
    #[inline]
    fn write_cells(self, out: &mut [Cell]) {
        self.write_cells_to(out);
    }
}
impl<T: WasmTy> WasmResults for T {
    const LEN: usize = 1;
    const CELLS: usize = T::CELLS;
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
    #[inline]
    fn write_cells(self, out: &mut [Cell]) {
        self.write_cells_to(out);
    }
    #[inline]
    fn read_cells(cells: &[Cell]) -> Self {
        T::read_cells_from(cells)
    }
}

/// What a Rust host closure may return: results ([`WasmResults`]: a [`WasmTy`], a tuple of
/// them, `()`), or `Result<R, Trap>` of those.
pub trait WasmRet {
    /// The results on success.
    type Ok: WasmResults;
    /// The results, or the trap.
    fn into_result(self) -> Result<Self::Ok, Trap>;
}

impl<R: WasmResults> WasmRet for R {
    type Ok = R;
    #[inline]
    fn into_result(self) -> Result<R, Trap> {
        Ok(self)
    }
}

impl<R: WasmResults> WasmRet for Result<R, Trap> {
    type Ok = R;
    #[inline]
    fn into_result(self) -> Result<R, Trap> {
        self
    }
}

macro_rules! count {
    () => { 0 };
    ($x:ident $($rest:ident)*) => { 1 + count!($($rest)*) };
}

macro_rules! tuples {
    ($($($t:ident)*;)*) => {$(
        impl<$($t: WasmTy),*> WasmParams for ($($t,)*) {
            const LEN: usize = count!($($t)*);
            const CELLS: usize = 0 $(+ $t::CELLS)*;
            fn types() -> Vec<ValType> {
                alloc::vec![$($t::TY),*]
            }
            #[allow(non_snake_case, reason = "tuple fields are named by their type parameter")]
            fn into_values(self) -> Vec<Value> {
                let ($($t,)*) = self;
                alloc::vec![$($t.into_value()),*]
            }
            #[inline]
            #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments, reason = "tuple fields are named by their type parameter; `()` writes nothing")]
            fn write_cells(self, out: &mut [Cell]) {
                let ($($t,)*) = self;
                let mut i = 0;
                $( $t.write_cells_to(&mut out[i..]); i += $t::CELLS; )*
            }
        }
        impl<$($t: WasmTy),*> WasmResults for ($($t,)*) {
            const LEN: usize = count!($($t)*);
            const CELLS: usize = 0 $(+ $t::CELLS)*;
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
            #[inline]
            #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments, reason = "tuple fields are named by their type parameter; `()` writes nothing")]
            fn write_cells(self, out: &mut [Cell]) {
                let ($($t,)*) = self;
                let mut i = 0;
                $( $t.write_cells_to(&mut out[i..]); i += $t::CELLS; )*
            }
            #[inline]
            #[allow(unused_variables, unused_mut, unused_assignments, clippy::unused_unit, reason = "`()` reads nothing")]
            fn read_cells(cells: &[Cell]) -> Self {
                let mut i = 0;
                ($({ let v = $t::read_cells_from(&cells[i..]); i += $t::CELLS; v },)*)
            }
        }

        // A closure without the caller: `|a: i32, b: i32| a + b`.
        impl<T, F, $($t: WasmTy,)* R: WasmRet> IntoFunc<T, ($($t,)*), R> for F
        where
            F: Fn($($t),*) -> R + Send + Sync + 'static,
        {
            #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments, reason = "parameters are named by their type parameter; closures without parameters read none")]
            fn into_func(self) -> HostFuncDef<T> {
                let ty = FuncType::new(alloc::vec![$($t::TY),*], <R::Ok as WasmResults>::types());
                let f = move |_: Caller<'_, T>, mut call: HostCall<'_>| -> Result<(), Trap> {
                    let cells = call.param_cells();
                    let mut i = 0;
                    $( let $t = $t::read_cells_from(&cells[i..]); i += $t::CELLS; )*
                    let results = self($($t),*).into_result()?;
                    results.write_cells(call.result_cells());
                    Ok(())
                };
                let data = HostFuncData::new(&ty, true, Box::new(f));
                HostFuncDef { ty, data }
            }
        }

        // A closure taking the caller first: `|caller: Caller<'_, T>, a: i32| ...`.
        impl<T, F, $($t: WasmTy,)* R: WasmRet> IntoFunc<T, (Caller<'_, T>, $($t,)*), R> for F
        where
            F: Fn(Caller<'_, T>, $($t),*) -> R + Send + Sync + 'static,
        {
            #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments, reason = "parameters are named by their type parameter; closures without parameters read none")]
            fn into_func(self) -> HostFuncDef<T> {
                let ty = FuncType::new(alloc::vec![$($t::TY),*], <R::Ok as WasmResults>::types());
                let f = move |caller: Caller<'_, T>, mut call: HostCall<'_>| -> Result<(), Trap> {
                    let cells = call.param_cells();
                    let mut i = 0;
                    $( let $t = $t::read_cells_from(&cells[i..]); i += $t::CELLS; )*
                    let results = self(caller, $($t),*).into_result()?;
                    results.write_cells(call.result_cells());
                    Ok(())
                };
                let data = HostFuncData::new(&ty, true, Box::new(f));
                HostFuncDef { ty, data }
            }
        }
    )*};
}

tuples! {
    ;
    A1;
    A1 A2;
    A1 A2 A3;
    A1 A2 A3 A4;
    A1 A2 A3 A4 A5;
    A1 A2 A3 A4 A5 A6;
    A1 A2 A3 A4 A5 A6 A7;
    A1 A2 A3 A4 A5 A6 A7 A8;
    A1 A2 A3 A4 A5 A6 A7 A8 A9;
    A1 A2 A3 A4 A5 A6 A7 A8 A9 A10;
    A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11;
    A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12;
    A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13;
    A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14;
    A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14 A15;
    A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14 A15 A16;
}

/// A Rust closure usable as a host function (up to sixteen parameters), in any of the forms
/// wasmtime and wasmi accept:
///
/// - with or without a leading [`Caller<'_, T>`]: `|a: i32, b: i32| a + b` or
///   `|mut caller: Caller<'_, u32>, x: i64| { *caller.data_mut() += 1; x }`;
/// - returning a [`WasmTy`] value, a tuple of them, `()`, or `Result<_, Trap>` of any of
///   those (`Err` traps the calling wasm).
///
/// Parameters and results are of [`WasmTy`] types. The closure reads its arguments straight
/// from the interpreter's value stack and writes its results back there: a call allocates
/// nothing. Used by [`Func::wrap`] and [`crate::Linker::func_wrap`].
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    /// The signature and the host function.
    fn into_func(self) -> HostFuncDef<T>;
}

/// A host function with its signature, made by [`IntoFunc::into_func`] and not yet placed in
/// a store.
pub struct HostFuncDef<T> {
    pub(crate) ty: FuncType,
    pub(crate) data: HostFn<T>,
}

impl<T> core::fmt::Debug for HostFuncDef<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HostFuncDef").field("ty", &self.ty).finish_non_exhaustive()
    }
}

impl<T> HostFuncDef<T> {
    /// The signature.
    pub fn ty(&self) -> &FuncType {
        &self.ty
    }
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

    /// Calls the function. The types were checked when this `TypedFunc` was made, so a call
    /// checks nothing again and allocates nothing (once the store's value stack has grown to
    /// what the function needs): parameters go straight onto the value stack, results come
    /// straight off it.
    pub fn call(&self, mut store: impl AsContextMut, params: P) -> Result<R, Error> {
        let store = store.as_context_mut();
        // Like every entry into wasm, through `entering_wasm`: spilled state is loaded first.
        let func = self.func.0.0;
        crate::func::entering_wasm(store, |store| {
            crate::dispatch::call_typed(
                store,
                func,
                P::CELLS,
                R::CELLS,
                |cells| params.write_cells(cells),
                R::read_cells,
            )
        })
        .map_err(|e| store.on_trap(e))
    }
}

#[allow(dead_code, reason = "keeps AsContext in scope for docs")]
fn _assert_ctx<C: AsContext>(_: C) {}
