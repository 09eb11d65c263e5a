//! Typed values in manifest syntax: `i32:-5`, `i64:0xff`, `f32:1.5`, `f64:0x400921fb54442d18`.
//!
//! Integers are decimal (signed) or `0x` hex bit patterns. Floats are `0x` hex *bit patterns*
//! (exact, the canonical form written by `cargo xtask fixtures`) or any decimal Rust parses
//! (`1.5`, `-0`, `1e300`, `nan`, `inf`, `-inf`).

use std::fmt;

/// A scalar value with its wasm type; floats are kept as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypedValue {
    /// `i32`
    I32(i32),
    /// `i64`
    I64(i64),
    /// `f32` bits
    F32(u32),
    /// `f64` bits
    F64(u64),
}

impl TypedValue {
    /// Parses `type:value`.
    pub fn parse(text: &str) -> Result<TypedValue, String> {
        let (ty, v) = text
            .split_once(':')
            .ok_or_else(|| format!("`{text}`: expected `type:value`, e.g. `i32:5` or `f64:2.5`"))?;
        let v = v.trim();
        let bad = |what: &str| format!("`{text}`: {what}");
        let hex = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X"));
        match ty.trim() {
            "i32" => match hex {
                Some(h) => u32::from_str_radix(h, 16).map(|b| TypedValue::I32(b as i32)),
                None => v.parse::<i32>().map(TypedValue::I32),
            }
            .map_err(|e| bad(&format!("not an i32 ({e})"))),
            "i64" => match hex {
                Some(h) => u64::from_str_radix(h, 16).map(|b| TypedValue::I64(b as i64)),
                None => v.parse::<i64>().map(TypedValue::I64),
            }
            .map_err(|e| bad(&format!("not an i64 ({e})"))),
            "f32" => match hex {
                Some(h) => {
                    u32::from_str_radix(h, 16).map(TypedValue::F32).map_err(|e| e.to_string())
                }
                None => v
                    .parse::<f32>()
                    .map(|f| TypedValue::F32(f.to_bits()))
                    .map_err(|e| e.to_string()),
            }
            .map_err(|e| bad(&format!("not an f32 ({e})"))),
            "f64" => match hex {
                Some(h) => {
                    u64::from_str_radix(h, 16).map(TypedValue::F64).map_err(|e| e.to_string())
                }
                None => v
                    .parse::<f64>()
                    .map(|f| TypedValue::F64(f.to_bits()))
                    .map_err(|e| e.to_string()),
            }
            .map_err(|e| bad(&format!("not an f64 ({e})"))),
            other => Err(bad(&format!("unknown type `{other}` (expected i32, i64, f32 or f64)"))),
        }
    }

    /// The type name (`i32`, `i64`, `f32`, `f64`).
    pub fn type_name(&self) -> &'static str {
        match self {
            TypedValue::I32(_) => "i32",
            TypedValue::I64(_) => "i64",
            TypedValue::F32(_) => "f32",
            TypedValue::F64(_) => "f64",
        }
    }

    /// Whether this is a float NaN.
    pub fn is_nan(&self) -> bool {
        match *self {
            TypedValue::F32(b) => f32::from_bits(b).is_nan(),
            TypedValue::F64(b) => f64::from_bits(b).is_nan(),
            _ => false,
        }
    }

    /// Whether `got` satisfies this expected value: same type and bits, except that an expected
    /// NaN accepts any NaN (wasm leaves NaN sign and payload nondeterministic).
    pub fn matches(&self, got: &TypedValue) -> bool {
        self == got || (self.is_nan() && got.is_nan() && self.type_name() == got.type_name())
    }

    /// A decimal rendering that parses back to the same bits (`f64:1.5`, `f32:NaN`), as the
    /// CLI takes arguments. NaN payloads are lost.
    pub fn to_decimal(&self) -> String {
        match *self {
            TypedValue::I32(v) => format!("i32:{v}"),
            TypedValue::I64(v) => format!("i64:{v}"),
            TypedValue::F32(b) => format!("f32:{}", f32::from_bits(b)),
            TypedValue::F64(b) => format!("f64:{}", f64::from_bits(b)),
        }
    }

    /// The form the `fayasm` CLI takes as an argument: decimal that parses back to the same
    /// bits, and `[-]nan:0xPAYLOAD` for NaNs so their payload survives.
    pub fn to_cli_arg(&self) -> String {
        match *self {
            TypedValue::F32(b) if self.is_nan() => {
                format!("f32:{}nan:0x{:x}", if b >> 31 == 1 { "-" } else { "" }, b & 0x007f_ffff)
            }
            TypedValue::F64(b) if self.is_nan() => {
                format!(
                    "f64:{}nan:0x{:x}",
                    if b >> 63 == 1 { "-" } else { "" },
                    b & 0x000f_ffff_ffff_ffff
                )
            }
            _ => self.to_decimal(),
        }
    }

    /// A human-readable value for floats (used as a manifest comment), `None` for integers.
    pub fn float_comment(&self) -> Option<String> {
        match *self {
            TypedValue::F32(b) => Some(format!("{:?}", f32::from_bits(b))),
            TypedValue::F64(b) => Some(format!("{:?}", f64::from_bits(b))),
            _ => None,
        }
    }

    /// Converts to a `fayasm-exec` value.
    pub fn to_exec(&self) -> fayasm_exec::Value {
        use fayasm_exec::{F32, F64, Value};
        match *self {
            TypedValue::I32(v) => Value::I32(v),
            TypedValue::I64(v) => Value::I64(v),
            TypedValue::F32(b) => Value::F32(F32::from_bits(b)),
            TypedValue::F64(b) => Value::F64(F64::from_bits(b)),
        }
    }

    /// Converts from a `fayasm-exec` value (`None` for v128 and references).
    pub fn from_exec(v: &fayasm_exec::Value) -> Option<TypedValue> {
        use fayasm_exec::Value;
        Some(match *v {
            Value::I32(v) => TypedValue::I32(v),
            Value::I64(v) => TypedValue::I64(v),
            Value::F32(f) => TypedValue::F32(f.to_bits()),
            Value::F64(f) => TypedValue::F64(f.to_bits()),
            _ => return None,
        })
    }
}

/// Canonical manifest syntax: integers in decimal, floats as hex bits.
impl fmt::Display for TypedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TypedValue::I32(v) => write!(f, "i32:{v}"),
            TypedValue::I64(v) => write!(f, "i64:{v}"),
            TypedValue::F32(b) => write!(f, "f32:0x{b:08x}"),
            TypedValue::F64(b) => write!(f, "f64:0x{b:016x}"),
        }
    }
}

/// Parses a list of values, naming the offending one on error.
pub fn parse_list(items: &[String]) -> Result<Vec<TypedValue>, String> {
    items.iter().map(|s| TypedValue::parse(s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_form() {
        assert_eq!(TypedValue::parse("i32:-5").unwrap(), TypedValue::I32(-5));
        assert_eq!(TypedValue::parse("i32:0xffffffff").unwrap(), TypedValue::I32(-1));
        assert_eq!(TypedValue::parse("i64:0x8000000000000000").unwrap(), TypedValue::I64(i64::MIN));
        assert_eq!(TypedValue::parse("f64:1.5").unwrap(), TypedValue::F64(1.5f64.to_bits()));
        assert_eq!(TypedValue::parse("f32:0x3fc00000").unwrap(), TypedValue::F32(1.5f32.to_bits()));
        assert!(TypedValue::parse("f64:nan").unwrap().is_nan());
        assert_eq!(
            TypedValue::parse("f64:-inf").unwrap(),
            TypedValue::F64(f64::NEG_INFINITY.to_bits())
        );
        assert_eq!(
            TypedValue::F64(std::f64::consts::PI.to_bits()).to_string(),
            "f64:0x400921fb54442d18"
        );
        assert_eq!(TypedValue::F32(0x7fc0_0000).to_decimal(), "f32:NaN");
        assert_eq!(TypedValue::F32(0xffa0_0001).to_cli_arg(), "f32:-nan:0x200001");
        assert_eq!(TypedValue::F64(0x7ff8_0000_0000_0000).to_cli_arg(), "f64:nan:0x8000000000000");
        assert_eq!(TypedValue::F64(2.5f64.to_bits()).to_cli_arg(), "f64:2.5");
        for bad in ["i32", "i32:x", "i33:1", "i32:4294967296", "f32:0xfffffffff", ""] {
            assert!(TypedValue::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn decimal_roundtrips() {
        for v in [
            TypedValue::F64((0.1f64).to_bits()),
            TypedValue::F32((-0.0f32).to_bits()),
            TypedValue::F64(1e300f64.to_bits()),
        ] {
            assert_eq!(TypedValue::parse(&v.to_decimal()).unwrap(), v);
        }
    }

    #[test]
    fn nan_matches_any_nan() {
        let a = TypedValue::F32(0x7fc0_0000);
        assert!(a.matches(&TypedValue::F32(0xffc0_0001)));
        assert!(!a.matches(&TypedValue::F64(f64::NAN.to_bits())));
        assert!(!TypedValue::I32(1).matches(&TypedValue::I32(2)));
    }
}
