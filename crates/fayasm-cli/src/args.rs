//! Typed argument values from the command line (`i32:7`, `i64:-3`, `f32:nan`, `f64:2.25`,
//! `v128:0x…`, `i32x4:1,2,3,4`) and the text form of result values.
//!
//! An argument is `TYPE:VALUE` or a bare `VALUE`, which takes the type the function expects at
//! that position. Integers are decimal or `0x` hexadecimal, optionally negative, with `_`
//! separators allowed; both the signed and the unsigned range of the type are accepted (wasm
//! integers have no sign). Floats are decimal (`1.5`, `-2e-3`), `inf`, `-inf`, `nan`, or
//! `nan:0xPAYLOAD` for a NaN with a chosen payload. References take `null` (and `externref` also
//! a host value number).
//!
//! A `v128` is written either as one 128-bit hexadecimal number, `v128:0x` and exactly 32 hex
//! digits (`_` separators allowed), or lane by lane: `i8x16:`, `i16x8:`, `i32x4:`, `i64x2:`,
//! `f32x4:` or `f64x2:` followed by the lanes separated by commas, lane 0 first, each lane
//! written like a scalar of its type (integers signed or unsigned within the lane width).
//! The hexadecimal number is the vector's bytes read as a little-endian integer, the way wasm
//! loads and stores a v128: its most significant digits are the last byte in memory, and lane 0
//! is in the least significant (rightmost) digits. So `i32x4:1,2,3,4` is
//! `v128:0x00000004_00000003_00000002_00000001`, and a v128 result prints in the same form
//! (`0x00000004000000030000000200000001`), which can be passed back as an argument.

use fayasm_exec::{ExternAddr, F32, F64, ValType, Value};
use std::fmt;

/// Why an argument could not be turned into a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgError {
    /// The argument names another type than the function expects at that position.
    TypeMismatch {
        /// The type named by the argument.
        given: ValType,
        /// The argument's type prefix as written when it is a lane shape (`i32x4`).
        shape: Option<&'static str>,
        /// The type of the parameter.
        expected: ValType,
    },
    /// A lane-shaped v128 argument has the wrong number of lanes.
    LaneCount {
        /// The shape (`i32x4`).
        shape: &'static str,
        /// The number of lanes given.
        given: usize,
    },
    /// One lane of a lane-shaped v128 argument does not parse.
    Lane {
        /// The shape (`i32x4`).
        shape: &'static str,
        /// The lane's index, lane 0 first.
        index: usize,
        /// The lane's text.
        text: String,
        /// What is wrong with it.
        reason: &'static str,
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
            ArgError::TypeMismatch { given, shape, expected } => {
                write!(f, "value of type {}", given_name(*given, *shape))?;
                write!(f, " where {expected} is expected")
            }
            ArgError::UnknownType(t) => write!(
                f,
                "unknown value type {t:?} (expected one of i32, i64, f32, f64, v128, \
                 i8x16, i16x8, i32x4, i64x2, f32x4, f64x2, funcref, externref)"
            ),
            ArgError::LaneCount { shape, given } => {
                let lanes = Shape::named(shape).map_or(0, |s| s.lanes);
                write!(f, "{shape} takes {lanes} comma-separated lanes, got {given}")
            }
            ArgError::Lane { shape, index, text, reason } => {
                let ty = Shape::named(shape).map_or("", |s| s.lane_type);
                write!(f, "{shape} lane {index}: {text:?} is not a valid {ty} lane: {reason}")
            }
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

/// `v128` written as `i32x4` reads "i32x4 (v128)"; other types by their name.
pub fn given_name(ty: ValType, shape: Option<&'static str>) -> String {
    match shape {
        Some(shape) => format!("{shape} ({ty})"),
        None => ty.to_string(),
    }
}

/// A lane shape of `v128`: `i32x4` and the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    name: &'static str,
    /// The scalar type one lane is written as (`i8` lanes are integers of 8 bits).
    lane_type: &'static str,
    lanes: usize,
    bits: u32,
    float: bool,
}

impl Shape {
    const ALL: [Shape; 6] = [
        Shape { name: "i8x16", lane_type: "i8", lanes: 16, bits: 8, float: false },
        Shape { name: "i16x8", lane_type: "i16", lanes: 8, bits: 16, float: false },
        Shape { name: "i32x4", lane_type: "i32", lanes: 4, bits: 32, float: false },
        Shape { name: "i64x2", lane_type: "i64", lanes: 2, bits: 64, float: false },
        Shape { name: "f32x4", lane_type: "f32", lanes: 4, bits: 32, float: true },
        Shape { name: "f64x2", lane_type: "f64", lanes: 2, bits: 64, float: true },
    ];

    fn named(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name == name)
    }

    /// Parses the comma-separated lanes of `text`, lane 0 first, into a v128.
    fn parse(self, text: &str) -> Result<u128, ArgError> {
        let lanes: Vec<&str> = text.split(',').collect();
        if lanes.len() != self.lanes {
            return Err(ArgError::LaneCount { shape: self.name, given: lanes.len() });
        }
        let mut bits = 0u128;
        for (index, lane) in lanes.iter().enumerate() {
            let lane_bits = match (self.float, self.bits) {
                (false, _) => parse_int(lane, self.bits),
                (true, 32) => parse_f32(lane).map(|v| v.to_bits().into()),
                (true, _) => parse_f64(lane).map(|v| v.to_bits().into()),
            }
            .map_err(|reason| ArgError::Lane {
                shape: self.name,
                index,
                text: (*lane).to_owned(),
                reason,
            })?;
            bits |= lane_bits << (index as u32 * self.bits);
        }
        Ok(bits)
    }
}

/// Parses `text` as an argument for a parameter of type `expected`.
pub fn parse_arg(text: &str, expected: ValType) -> Result<Value, ArgError> {
    let Some((name, value)) = text.split_once(':') else {
        return parse_value(expected, text);
    };
    if let Some(shape) = Shape::named(name) {
        if expected != ValType::V128 {
            return Err(ArgError::TypeMismatch {
                given: ValType::V128,
                shape: Some(shape.name),
                expected,
            });
        }
        return shape.parse(value).map(Value::V128);
    }
    let ty = val_type(name).ok_or_else(|| ArgError::UnknownType(name.to_owned()))?;
    if ty != expected {
        return Err(ArgError::TypeMismatch { given: ty, shape: None, expected });
    }
    parse_value(ty, value)
}

/// Parses `text` as a value of type `ty`.
pub fn parse_value(ty: ValType, text: &str) -> Result<Value, ArgError> {
    let malformed = |reason| ArgError::Malformed { ty, text: text.to_owned(), reason };
    match ty {
        ValType::I32 => parse_int(text, 32).map(|v| Value::I32(v as u32 as i32)).map_err(malformed),
        ValType::I64 => parse_int(text, 64).map(|v| Value::I64(v as u64 as i64)).map_err(malformed),
        ValType::V128 => parse_v128_hex(text).map(Value::V128).map_err(malformed),
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

/// Parses `0x` and exactly 32 hexadecimal digits (`_` separators allowed) as a v128.
fn parse_v128_hex(text: &str) -> Result<u128, &'static str> {
    const FORM: &str = "expected 0x and 32 hex digits, or lanes such as i32x4:1,2,3,4";
    let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).ok_or(FORM)?;
    if digits.starts_with('_') || digits.ends_with('_') {
        return Err("misplaced `_` separator");
    }
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err("invalid hexadecimal digit");
    }
    if digits.len() != 32 {
        return Err("a v128 has exactly 32 hex digits (16 bytes)");
    }
    u128::from_str_radix(&digits, 16).map_err(|_| FORM)
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
/// round-trip form (`2.25`, `1e300`, `inf`), NaNs with their bit pattern, a v128 as `0x` and 32
/// hex digits in the byte order `v128:` arguments use.
pub fn format_value(value: &Value) -> String {
    match *value {
        Value::F32(v) if v.to_float().is_nan() => format!("NaN (0x{:08x})", v.to_bits()),
        Value::F64(v) if v.to_float().is_nan() => format!("NaN (0x{:016x})", v.to_bits()),
        Value::F32(v) => format!("{:?}", v.to_float()),
        Value::F64(v) => format!("{:?}", v.to_float()),
        Value::V128(v) => format!("0x{v:032x}"),
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
            Err(ArgError::TypeMismatch {
                given: ValType::I64,
                shape: None,
                expected: ValType::F64
            })
        );
        assert_eq!(parse_arg("u8:1", ValType::I32), Err(ArgError::UnknownType("u8".into())));
        assert_eq!(parse_arg(":1", ValType::I32), Err(ArgError::UnknownType(String::new())));
    }

    fn v128(text: &str) -> u128 {
        match ok(text, ValType::V128) {
            Value::V128(v) => v,
            other => panic!("{text:?} gave {other:?}"),
        }
    }

    fn v128_err(text: &str) -> String {
        match parse_arg(text, ValType::V128) {
            Ok(v) => panic!("{text:?} parsed as {v:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn v128_hex() {
        assert_eq!(
            v128("v128:0x000102030405060708090a0b0c0d0e0f"),
            0x0001_0203_0405_0607_0809_0a0b_0c0d_0e0f
        );
        assert_eq!(v128("v128:0X0000000000000000000000000000000F"), 0xf);
        assert_eq!(v128("v128:0xffffffff_ffffffff_ffffffff_ffffffff"), u128::MAX);
        assert_eq!(v128("0x80000000000000000000000000000000"), 1 << 127, "bare");
        let wrong_length = "a v128 has exactly 32 hex digits (16 bytes)";
        assert!(v128_err("v128:0x1").ends_with(wrong_length));
        assert!(v128_err("v128:0x000000000000000000000000000000000").ends_with(wrong_length));
        assert!(v128_err("v128:0x").ends_with(wrong_length));
        assert!(
            v128_err("v128:0x0000000000000000000000000000000g")
                .ends_with("invalid hexadecimal digit")
        );
        assert!(
            v128_err("v128:0x_00000000000000000000000000000000")
                .ends_with("misplaced `_` separator")
        );
        for no_prefix in ["v128:1", "v128:-1", "v128:", "v128:00000000000000000000000000000000"] {
            assert_eq!(
                v128_err(no_prefix),
                format!(
                    "{:?} is not a valid v128 value: expected 0x and 32 hex digits, or lanes such as i32x4:1,2,3,4",
                    &no_prefix[5..]
                )
            );
        }
    }

    #[test]
    fn v128_integer_lanes_are_lane_0_first_in_the_low_bits() {
        // The hex form is the little-endian reading of the vector's bytes: lane 0 rightmost.
        assert_eq!(v128("i32x4:1,2,3,4"), 0x0000_0004_0000_0003_0000_0002_0000_0001);
        assert_eq!(v128("i32x4:1,2,3,4"), v128("v128:0x00000004_00000003_00000002_00000001"));
        assert_eq!(v128("i64x2:-1,0x10"), 0x0000_0000_0000_0010_ffff_ffff_ffff_ffff);
        assert_eq!(v128("i16x8:0,1,2,3,4,5,6,-32768"), 0x8000_0006_0005_0004_0003_0002_0001_0000);
        assert_eq!(v128("i16x8:65535,0,0,0,0,0,0,0"), 0xffff);
        assert_eq!(
            v128("i8x16:0,1,2,3,4,5,6,7,8,9,10,11,12,13,-128,0xff"),
            0xff80_0d0c_0b0a_0908_0706_0504_0302_0100
        );
        assert_eq!(v128("i8x16:-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,255"), u128::MAX);
        assert_eq!(v128("i32x4:1_000,0,0,-2147483648"), 0x8000_0000_0000_0000_0000_0000_0000_03e8);
    }

    #[test]
    fn v128_float_lanes() {
        let f32x4 = |a: f32, b: f32, c: f32, d: f32| {
            [a, b, c, d]
                .iter()
                .enumerate()
                .fold(0u128, |acc, (i, x)| acc | u128::from(x.to_bits()) << (32 * i))
        };
        assert_eq!(v128("f32x4:1.5,-2,0,-0"), f32x4(1.5, -2.0, 0.0, -0.0));
        assert_eq!(
            v128("f32x4:inf,-inf,1e-3,3.25"),
            f32x4(f32::INFINITY, f32::NEG_INFINITY, 1e-3, 3.25)
        );
        assert_eq!(v128("f32x4:nan,-nan,nan:0x1,0"), 0x0000_0000_7f80_0001_ffc0_0000_7fc0_0000);
        assert_eq!(
            v128("f64x2:2.25,-inf"),
            u128::from(2.25f64.to_bits()) | u128::from(f64::NEG_INFINITY.to_bits()) << 64
        );
        assert_eq!(v128("f64x2:nan:0x4,1"), 0x3ff0_0000_0000_0000_7ff0_0000_0000_0004);
    }

    #[test]
    fn v128_lane_errors_name_the_lane() {
        assert_eq!(v128_err("i32x4:1,2,3"), "i32x4 takes 4 comma-separated lanes, got 3");
        assert_eq!(v128_err("i64x2:1,2,3"), "i64x2 takes 2 comma-separated lanes, got 3");
        assert_eq!(v128_err("i8x16:1"), "i8x16 takes 16 comma-separated lanes, got 1");
        assert_eq!(v128_err("f64x2:"), "f64x2 takes 2 comma-separated lanes, got 1");
        assert_eq!(
            v128_err("i8x16:0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,256"),
            r#"i8x16 lane 15: "256" is not a valid i8 lane: out of range"#
        );
        assert_eq!(
            v128_err("i8x16:-129,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"),
            r#"i8x16 lane 0: "-129" is not a valid i8 lane: out of range"#
        );
        assert_eq!(
            v128_err("i16x8:0,65536,0,0,0,0,0,0"),
            r#"i16x8 lane 1: "65536" is not a valid i16 lane: out of range"#
        );
        assert_eq!(
            v128_err("i32x4:1,,3,4"),
            r#"i32x4 lane 1: "" is not a valid i32 lane: no digits"#
        );
        assert_eq!(
            v128_err("i32x4:1,2,0xz,4"),
            r#"i32x4 lane 2: "0xz" is not a valid i32 lane: invalid hexadecimal digit"#
        );
        assert_eq!(
            v128_err("f32x4:1,2,3,abc"),
            r#"f32x4 lane 3: "abc" is not a valid f32 lane: expected a decimal number, `inf` or `nan`"#
        );
        assert_eq!(
            v128_err("f32x4:1,nan:0x800000,3,4"),
            r#"f32x4 lane 1: "nan:0x800000" is not a valid f32 lane: f32 NaN payload must be in 1..=0x7fffff"#
        );
    }

    #[test]
    fn v128_and_scalars_do_not_mix() {
        assert_eq!(
            parse_arg("i32x4:1,2,3,4", ValType::I32),
            Err(ArgError::TypeMismatch {
                given: ValType::V128,
                shape: Some("i32x4"),
                expected: ValType::I32
            })
        );
        assert_eq!(
            parse_arg("v128:0x00000000000000000000000000000000", ValType::I64),
            Err(ArgError::TypeMismatch {
                given: ValType::V128,
                shape: None,
                expected: ValType::I64
            })
        );
        assert_eq!(
            parse_arg("i32:1", ValType::V128),
            Err(ArgError::TypeMismatch {
                given: ValType::I32,
                shape: None,
                expected: ValType::V128
            })
        );
        assert_eq!(
            parse_arg("i32x4:1,2,3,4", ValType::F32).unwrap_err().to_string(),
            "value of type i32x4 (v128) where f32 is expected"
        );
        assert_eq!(
            parse_arg("i32x3:1,2,3", ValType::V128),
            Err(ArgError::UnknownType("i32x3".into()))
        );
    }

    #[test]
    fn v128_results_print_in_the_argument_form() {
        let v = v128("i32x4:1,2,3,4");
        let text = format_value(&Value::V128(v));
        assert_eq!(text, "0x00000004000000030000000200000001");
        assert_eq!(v128(&format!("v128:{text}")), v, "a printed result parses back");
        assert_eq!(format_value(&Value::V128(0)), format!("0x{}", "0".repeat(32)));
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
