//! Typed argument values from the command line (`i32:7`, `i64:-3`, `f32:nan`, `f64:2.25`) and
//! the text form of result values.
//!
//! An argument is `TYPE:VALUE` or a bare `VALUE`, which takes the type the function expects at
//! that position. Integers are decimal or `0x` hexadecimal, optionally negative, with `_`
//! separators allowed; both the signed and the unsigned range of the type are accepted (wasm
//! integers have no sign). Floats are decimal (`1.5`, `-2e-3`), `inf`, `-inf`, `nan`, or
//! `nan:0xPAYLOAD` for a NaN with a chosen payload. `v128` takes a 128-bit integer, references
//! take `null` (and `externref` also a host value number).

use fayasm_exec::{ExternAddr, F32, F64, ValType, Value};
use std::fmt;

/// Why an argument could not be turned into a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgError {
    /// The argument names another type than the function expects at that position.
    TypeMismatch {
        /// The type named by the argument.
        given: ValType,
        /// The type of the parameter.
        expected: ValType,
    },
    /// The part before the `:` is not a wasm value type.
    UnknownType(String),
    /// The value does not parse as its type.
    Malformed {
        /// The type the value was parsed as.
        ty: ValType,
        /// The value text.
        text: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgError::TypeMismatch { given, expected } => {
                write!(f, "value of type {given} where {expected} is expected")
            }
            ArgError::UnknownType(t) => write!(
                f,
                "unknown value type {t:?} (expected one of i32, i64, f32, f64, v128, funcref, externref)"
            ),
            ArgError::Malformed { ty, text, reason } => {
                write!(f, "{text:?} is not a valid {ty} value: {reason}")
            }
        }
    }
}

/// The value type called `name` in the text format.
pub fn val_type(name: &str) -> Option<ValType> {
    Some(match name {
        "i32" => ValType::I32,
        "i64" => ValType::I64,
        "f32" => ValType::F32,
        "f64" => ValType::F64,
        "v128" => ValType::V128,
        "funcref" => ValType::FuncRef,
        "externref" => ValType::ExternRef,
        _ => return None,
    })
}

/// Parses `text` as an argument for a parameter of type `expected`.
pub fn parse_arg(text: &str, expected: ValType) -> Result<Value, ArgError> {
    let (ty, value) = match text.split_once(':') {
        Some((name, value)) => {
            let ty = val_type(name).ok_or_else(|| ArgError::UnknownType(name.to_owned()))?;
            if ty != expected {
                return Err(ArgError::TypeMismatch { given: ty, expected });
            }
            (ty, value)
        }
        None => (expected, text),
    };
    parse_value(ty, value)
}

/// Parses `text` as a value of type `ty`.
pub fn parse_value(ty: ValType, text: &str) -> Result<Value, ArgError> {
    let malformed = |reason| ArgError::Malformed { ty, text: text.to_owned(), reason };
    match ty {
        ValType::I32 => parse_int(text, 32).map(|v| Value::I32(v as u32 as i32)).map_err(malformed),
        ValType::I64 => parse_int(text, 64).map(|v| Value::I64(v as u64 as i64)).map_err(malformed),
        ValType::V128 => parse_int(text, 128).map(Value::V128).map_err(malformed),
        ValType::F32 => parse_f32(text).map(Value::F32).map_err(malformed),
        ValType::F64 => parse_f64(text).map(Value::F64).map_err(malformed),
        ValType::FuncRef => match text {
            "null" => Ok(Value::FuncRef(None)),
            _ => Err(malformed("only `null` can be passed as a funcref")),
        },
        ValType::ExternRef => match text {
            "null" => Ok(Value::ExternRef(None)),
            _ => text
                .parse::<u32>()
                .map(|n| Value::ExternRef(Some(ExternAddr(n))))
                .map_err(|_| malformed("expected `null` or a host value number")),
        },
    }
}

/// Parses an integer of `bits` bits (at most 128), signed or unsigned, into its two's
/// complement bit pattern.
fn parse_int(text: &str, bits: u32) -> Result<u128, &'static str> {
    let (negative, rest) = split_sign(text);
    let (radix, digits) = match rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
        Some(hex) => (16, hex),
        None => (10, rest),
    };
    if digits.starts_with('_') || digits.ends_with('_') {
        return Err("misplaced `_` separator");
    }
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() {
        return Err("no digits");
    }
    if !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(if radix == 16 { "invalid hexadecimal digit" } else { "invalid digit" });
    }
    let magnitude = u128::from_str_radix(&digits, radix).map_err(|_| "out of range")?;
    let max_unsigned = if bits == 128 { u128::MAX } else { (1u128 << bits) - 1 };
    let min_negative = 1u128 << (bits - 1);
    if negative {
        if magnitude > min_negative {
            return Err("out of range");
        }
        Ok(magnitude.wrapping_neg() & max_unsigned)
    } else if magnitude > max_unsigned {
        Err("out of range")
    } else {
        Ok(magnitude)
    }
}

/// Splits a leading sign off `text`: `(negative, rest)`.
fn split_sign(text: &str) -> (bool, &str) {
    match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    }
}

/// The payload of `nan:0x...`, if `text` (without sign) has that form.
fn nan_payload(text: &str) -> Option<Result<u64, &'static str>> {
    let payload = text.strip_prefix("nan:")?;
    Some(match payload.strip_prefix("0x") {
        Some(hex) if !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()) => {
            u64::from_str_radix(hex, 16).map_err(|_| "NaN payload out of range")
        }
        _ => Err("NaN payload must be hexadecimal (`nan:0x400000`)"),
    })
}

fn check_float_syntax(text: &str) -> Result<(), &'static str> {
    if text.starts_with(['+', '-']) {
        return Err("more than one sign");
    }
    // Rust's parser also accepts words such as "infinity"; keep the accepted set small and
    // reject anything with characters no float literal has.
    let ok = text.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        || matches!(text.to_ascii_lowercase().as_str(), "inf" | "infinity" | "nan");
    if ok { Ok(()) } else { Err("expected a decimal number, `inf` or `nan`") }
}

fn parse_f32(text: &str) -> Result<F32, &'static str> {
    let (negative, rest) = split_sign(text);
    let sign = if negative { 1u32 << 31 } else { 0 };
    if let Some(payload) = nan_payload(rest) {
        let payload = payload?;
        if payload == 0 || payload >= 1 << 23 {
            return Err("f32 NaN payload must be in 1..=0x7fffff");
        }
        return Ok(F32::from_bits(sign | 0x7f80_0000 | payload as u32));
    }
    check_float_syntax(rest)?;
    let value: f32 = rest.parse().map_err(|_| "expected a decimal number, `inf` or `nan`")?;
    Ok(F32::from_bits(value.to_bits() | sign))
}

fn parse_f64(text: &str) -> Result<F64, &'static str> {
    let (negative, rest) = split_sign(text);
    let sign = if negative { 1u64 << 63 } else { 0 };
    if let Some(payload) = nan_payload(rest) {
        let payload = payload?;
        if payload == 0 || payload >= 1 << 52 {
            return Err("f64 NaN payload must be in 1..=0xfffffffffffff");
        }
        return Ok(F64::from_bits(sign | 0x7ff0_0000_0000_0000 | payload));
    }
    check_float_syntax(rest)?;
    let value: f64 = rest.parse().map_err(|_| "expected a decimal number, `inf` or `nan`")?;
    Ok(F64::from_bits(value.to_bits() | sign))
}

/// The text form of a result value: integers in signed decimal, floats in Rust's shortest
/// round-trip form (`2.25`, `1e300`, `inf`), NaNs with their bit pattern.
pub fn format_value(value: &Value) -> String {
    match *value {
        Value::F32(v) if v.to_float().is_nan() => format!("NaN (0x{:08x})", v.to_bits()),
        Value::F64(v) if v.to_float().is_nan() => format!("NaN (0x{:016x})", v.to_bits()),
        Value::F32(v) => format!("{:?}", v.to_float()),
        Value::F64(v) => format!("{:?}", v.to_float()),
        ref other => other.to_string(),
    }
}

/// `(i32, f64) -> (f64)`.
pub fn signature(params: &[ValType], results: &[ValType]) -> String {
    format!("({}) -> ({})", type_list(params), type_list(results))
}

/// `i32, f64`.
pub fn type_list(types: &[ValType]) -> String {
    types.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str, ty: ValType) -> Value {
        match parse_arg(text, ty) {
            Ok(v) => v,
            Err(e) => panic!("{text:?} as {ty}: {e}"),
        }
    }

    fn malformed(text: &str, ty: ValType) -> bool {
        matches!(parse_arg(text, ty), Err(ArgError::Malformed { .. }))
    }

    #[test]
    fn integers() {
        assert_eq!(ok("i32:7", ValType::I32), Value::I32(7));
        assert_eq!(ok("7", ValType::I32), Value::I32(7));
        assert_eq!(ok("i32:-7", ValType::I32), Value::I32(-7));
        assert_eq!(ok("i32:+7", ValType::I32), Value::I32(7));
        assert_eq!(ok("i32:0x10", ValType::I32), Value::I32(16));
        assert_eq!(ok("i32:-0x10", ValType::I32), Value::I32(-16));
        assert_eq!(ok("i32:0xffffffff", ValType::I32), Value::I32(-1));
        assert_eq!(ok("i32:4294967295", ValType::I32), Value::I32(-1));
        assert_eq!(ok("i32:-2147483648", ValType::I32), Value::I32(i32::MIN));
        assert_eq!(ok("i32:1_000_000", ValType::I32), Value::I32(1_000_000));
        assert_eq!(ok("i64:-3", ValType::I64), Value::I64(-3));
        assert_eq!(ok("i64:0x8000000000000000", ValType::I64), Value::I64(i64::MIN));
        assert_eq!(ok("i64:18446744073709551615", ValType::I64), Value::I64(-1));
        assert_eq!(ok("v128:0x1", ValType::V128), Value::V128(1));
        assert_eq!(ok("v128:-1", ValType::V128), Value::V128(u128::MAX));
    }

    #[test]
    fn bad_integers() {
        for text in [
            "i32:",
            "i32:x",
            "i32:0x",
            "i32:1.5",
            "i32:4294967296",
            "i32:-2147483649",
            "i32:--1",
            "i32:-+1",
            "i32:0xg",
            "i32:_1",
            "i32:1_",
            "i32: 1",
            "i32:99999999999999999999999999999999999999999999",
        ] {
            assert!(malformed(text, ValType::I32), "{text}");
        }
        assert!(malformed("i64:18446744073709551616", ValType::I64));
        assert!(malformed("i64:-9223372036854775809", ValType::I64));
    }

    #[test]
    fn floats() {
        assert_eq!(ok("f32:1.5", ValType::F32), Value::F32(1.5f32.into()));
        assert_eq!(ok("f64:2.25", ValType::F64), Value::F64(2.25f64.into()));
        assert_eq!(ok("f64:-2e-3", ValType::F64), Value::F64((-2e-3f64).into()));
        assert_eq!(ok("f32:inf", ValType::F32), Value::F32(f32::INFINITY.into()));
        assert_eq!(ok("f32:-inf", ValType::F32), Value::F32(f32::NEG_INFINITY.into()));
        assert_eq!(ok("f64:-0", ValType::F64), Value::F64((-0.0f64).into()));
        assert_eq!(ok("f32:nan", ValType::F32), Value::F32(F32::from_bits(0x7fc0_0000)));
        assert_eq!(ok("f32:-nan", ValType::F32), Value::F32(F32::from_bits(0xffc0_0000)));
        assert_eq!(ok("f32:nan:0x1", ValType::F32), Value::F32(F32::from_bits(0x7f80_0001)));
        assert_eq!(
            ok("f64:nan:0x4", ValType::F64),
            Value::F64(F64::from_bits(0x7ff0_0000_0000_0004))
        );
        assert_eq!(ok("1.5", ValType::F32), Value::F32(1.5f32.into()));
    }

    #[test]
    fn bad_floats() {
        for text in [
            "f32:",
            "f32:--1",
            "f32:-+1",
            "f32:abc",
            "f32:1.5.5",
            "f32:nan:0",
            "f32:nan:0x800000",
            "f32:nan:7",
            "f32:0x10",
        ] {
            assert!(malformed(text, ValType::F32), "{text}");
        }
        assert!(malformed("f64:nan:0x10000000000000", ValType::F64));
    }

    #[test]
    fn type_prefixes() {
        assert_eq!(
            parse_arg("i64:1", ValType::F64),
            Err(ArgError::TypeMismatch { given: ValType::I64, expected: ValType::F64 })
        );
        assert_eq!(parse_arg("u8:1", ValType::I32), Err(ArgError::UnknownType("u8".into())));
        assert_eq!(parse_arg(":1", ValType::I32), Err(ArgError::UnknownType(String::new())));
    }

    #[test]
    fn references() {
        assert_eq!(ok("funcref:null", ValType::FuncRef), Value::FuncRef(None));
        assert_eq!(ok("externref:null", ValType::ExternRef), Value::ExternRef(None));
        assert_eq!(ok("externref:5", ValType::ExternRef), Value::ExternRef(Some(ExternAddr(5))));
        assert!(malformed("funcref:3", ValType::FuncRef));
        assert!(malformed("externref:x", ValType::ExternRef));
    }

    #[test]
    fn result_text() {
        assert_eq!(format_value(&Value::I32(-1)), "-1");
        assert_eq!(format_value(&Value::I64(42)), "42");
        assert_eq!(format_value(&Value::F32(1.5f32.into())), "1.5");
        assert_eq!(format_value(&Value::F64(42.0f64.into())), "42.0");
        assert_eq!(format_value(&Value::F64(1e300f64.into())), "1e300");
        assert_eq!(format_value(&Value::F32(f32::NEG_INFINITY.into())), "-inf");
        assert_eq!(format_value(&Value::F32(F32::from_bits(0x7fc0_0000))), "NaN (0x7fc00000)");
        assert_eq!(format_value(&Value::FuncRef(None)), "null");
    }

    #[test]
    fn signatures() {
        assert_eq!(
            signature(&[ValType::I32, ValType::F64], &[ValType::F64]),
            "(i32, f64) -> (f64)"
        );
        assert_eq!(signature(&[], &[]), "() -> ()");
    }
}
