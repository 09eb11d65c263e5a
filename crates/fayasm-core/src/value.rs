//! Value types, runtime values and their raw cell encoding.

use core::fmt;

/// A raw interpreter cell: every value occupies one 64-bit cell, except `v128`, which occupies two
/// (low half first).
///
/// Encoding: `i32`/`f32` are stored zero-extended (`f32` as its IEEE bits), `i64`/`f64` as their
/// 64 bits, references as `0` for null and `address + 1` otherwise, so an all-zero cell is the
/// default value of every type.
pub type Cell = u64;

/// A reference type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefType {
    /// `funcref`
    Func,
    /// `externref`
    Extern,
}

/// A WebAssembly value type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit IEEE float.
    F32,
    /// 64-bit IEEE float.
    F64,
    /// 128-bit vector.
    V128,
    /// Reference to a function.
    FuncRef,
    /// Reference to host data.
    ExternRef,
}

impl ValType {
    /// How many [`Cell`]s a value of this type occupies.
    pub const fn cells(self) -> u32 {
        match self {
            ValType::V128 => 2,
            _ => 1,
        }
    }

    /// Whether this is a reference type.
    pub const fn is_ref(self) -> bool {
        matches!(self, ValType::FuncRef | ValType::ExternRef)
    }

    /// The reference type, if this is one.
    pub const fn ref_type(self) -> Option<RefType> {
        match self {
            ValType::FuncRef => Some(RefType::Func),
            ValType::ExternRef => Some(RefType::Extern),
            _ => None,
        }
    }
}

impl From<RefType> for ValType {
    fn from(r: RefType) -> Self {
        match r {
            RefType::Func => ValType::FuncRef,
            RefType::Extern => ValType::ExternRef,
        }
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
        })
    }
}

/// A 32-bit float kept as its bit pattern, so NaN payloads survive every copy.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct F32(u32);

impl F32 {
    /// From raw IEEE bits.
    pub const fn from_bits(bits: u32) -> Self {
        F32(bits)
    }
    /// The raw IEEE bits.
    pub const fn to_bits(self) -> u32 {
        self.0
    }
    /// As a native float.
    pub fn to_float(self) -> f32 {
        f32::from_bits(self.0)
    }
}

impl From<f32> for F32 {
    fn from(v: f32) -> Self {
        F32(v.to_bits())
    }
}

impl fmt::Debug for F32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_float())
    }
}

/// A 64-bit float kept as its bit pattern, so NaN payloads survive every copy.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct F64(u64);

impl F64 {
    /// From raw IEEE bits.
    pub const fn from_bits(bits: u64) -> Self {
        F64(bits)
    }
    /// The raw IEEE bits.
    pub const fn to_bits(self) -> u64 {
        self.0
    }
    /// As a native float.
    pub fn to_float(self) -> f64 {
        f64::from_bits(self.0)
    }
}

impl From<f64> for F64 {
    fn from(v: f64) -> Self {
        F64(v.to_bits())
    }
}

impl fmt::Debug for F64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_float())
    }
}

/// The address of a function inside a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncAddr(pub u32);

/// An opaque host value carried by an `externref`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExternAddr(pub u32);

/// A WebAssembly runtime value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Value {
    /// `i32`
    I32(i32),
    /// `i64`
    I64(i64),
    /// `f32`, as bits
    F32(F32),
    /// `f64`, as bits
    F64(F64),
    /// `v128`, little-endian lanes
    V128(u128),
    /// `funcref`, `None` is `ref.null func`
    FuncRef(Option<FuncAddr>),
    /// `externref`, `None` is `ref.null extern`
    ExternRef(Option<ExternAddr>),
}

impl Value {
    /// The type of this value.
    pub const fn ty(&self) -> ValType {
        match self {
            Value::I32(_) => ValType::I32,
            Value::I64(_) => ValType::I64,
            Value::F32(_) => ValType::F32,
            Value::F64(_) => ValType::F64,
            Value::V128(_) => ValType::V128,
            Value::FuncRef(_) => ValType::FuncRef,
            Value::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The default (zero or null) value of a type.
    pub const fn default_for(ty: ValType) -> Value {
        match ty {
            ValType::I32 => Value::I32(0),
            ValType::I64 => Value::I64(0),
            ValType::F32 => Value::F32(F32(0)),
            ValType::F64 => Value::F64(F64(0)),
            ValType::V128 => Value::V128(0),
            ValType::FuncRef => Value::FuncRef(None),
            ValType::ExternRef => Value::ExternRef(None),
        }
    }

    /// Writes this value into `out`, which must hold `self.ty().cells()` cells.
    pub fn write_cells(&self, out: &mut [Cell]) {
        match *self {
            Value::I32(v) => out[0] = u64::from(v as u32),
            Value::I64(v) => out[0] = v as u64,
            Value::F32(v) => out[0] = u64::from(v.to_bits()),
            Value::F64(v) => out[0] = v.to_bits(),
            Value::V128(v) => {
                out[0] = v as u64;
                out[1] = (v >> 64) as u64;
            }
            Value::FuncRef(r) => out[0] = r.map_or(0, |a| u64::from(a.0) + 1),
            Value::ExternRef(r) => out[0] = r.map_or(0, |a| u64::from(a.0) + 1),
        }
    }

    /// The single cell of a non-`v128` value (`v128` gives its low half).
    pub fn to_cell(&self) -> Cell {
        let mut out = [0; 2];
        self.write_cells(&mut out);
        out[0]
    }

    /// Reads a value of type `ty` from `cells`, which must hold `ty.cells()` cells.
    pub fn from_cells(ty: ValType, cells: &[Cell]) -> Value {
        let c = cells[0];
        match ty {
            ValType::I32 => Value::I32(c as u32 as i32),
            ValType::I64 => Value::I64(c as i64),
            ValType::F32 => Value::F32(F32(c as u32)),
            ValType::F64 => Value::F64(F64(c)),
            ValType::V128 => Value::V128(u128::from(c) | (u128::from(cells[1]) << 64)),
            ValType::FuncRef => Value::FuncRef(decode_ref(c).map(FuncAddr)),
            ValType::ExternRef => Value::ExternRef(decode_ref(c).map(ExternAddr)),
        }
    }

    /// Reads a single-cell value of type `ty`.
    pub fn from_cell(ty: ValType, cell: Cell) -> Value {
        Value::from_cells(ty, &[cell, 0])
    }
}

fn decode_ref(c: Cell) -> Option<u32> {
    c.checked_sub(1).map(|v| v as u32)
}

impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::I32(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::I64(v)
    }
}
impl From<f32> for Value {
    fn from(v: f32) -> Self {
        Value::F32(v.into())
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::F64(v.into())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::I32(v) => write!(f, "{v}"),
            Value::I64(v) => write!(f, "{v}"),
            Value::F32(v) => write!(f, "{}", v.to_float()),
            Value::F64(v) => write!(f, "{}", v.to_float()),
            Value::V128(v) => write!(f, "0x{v:032x}"),
            Value::FuncRef(None) | Value::ExternRef(None) => f.write_str("null"),
            Value::FuncRef(Some(a)) => write!(f, "func#{}", a.0),
            Value::ExternRef(Some(a)) => write!(f, "extern#{}", a.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_roundtrip_every_type() {
        let values = [
            Value::I32(-1),
            Value::I64(i64::MIN),
            Value::F32(F32::from_bits(0x7fc0_0001)),
            Value::F64(F64::from_bits(0xfff8_0000_0000_0001)),
            Value::V128(0x0102_0304_0506_0708_090a_0b0c_0d0e_0f10),
            Value::FuncRef(None),
            Value::FuncRef(Some(FuncAddr(0))),
            Value::ExternRef(Some(ExternAddr(u32::MAX - 1))),
        ];
        for v in values {
            let mut cells = [0; 2];
            v.write_cells(&mut cells);
            assert_eq!(Value::from_cells(v.ty(), &cells), v);
        }
    }

    #[test]
    fn zero_cell_is_default() {
        for ty in [ValType::I32, ValType::I64, ValType::F32, ValType::F64, ValType::FuncRef] {
            assert_eq!(Value::from_cell(ty, 0), Value::default_for(ty));
        }
    }

    #[test]
    fn value_is_small() {
        // u128 forces 16-byte alignment; Value is an API type, never an interpreter cell.
        assert_eq!(size_of::<Value>(), 32);
    }
}
