//! Script values: turning `wast` arguments into [`Value`]s and matching results against the
//! expected patterns, including the spec's canonical and arithmetic NaN patterns.

use fayasm_exec::{ExternAddr, F32, F64, Value};
use std::fmt::Write as _;
use std::string::String;
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};

/// Sign-less bits of the canonical `f32` NaN.
const F32_CANONICAL_NAN: u32 = 0x7fc0_0000;
/// Sign-less bits of the canonical `f64` NaN.
const F64_CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;

/// Whether `bits` is a canonical `f32` NaN: exactly the canonical payload, either sign.
pub(crate) fn is_canonical_nan_f32(bits: u32) -> bool {
    bits & 0x7fff_ffff == F32_CANONICAL_NAN
}

/// Whether `bits` is an arithmetic `f32` NaN: a NaN whose quiet bit (the payload's top bit) is set.
pub(crate) fn is_arithmetic_nan_f32(bits: u32) -> bool {
    bits & F32_CANONICAL_NAN == F32_CANONICAL_NAN
}

/// Whether `bits` is a canonical `f64` NaN: exactly the canonical payload, either sign.
pub(crate) fn is_canonical_nan_f64(bits: u64) -> bool {
    bits & 0x7fff_ffff_ffff_ffff == F64_CANONICAL_NAN
}

/// Whether `bits` is an arithmetic `f64` NaN: a NaN whose quiet bit is set.
pub(crate) fn is_arithmetic_nan_f64(bits: u64) -> bool {
    bits & F64_CANONICAL_NAN == F64_CANONICAL_NAN
}

/// Whether the `f32` with `bits` matches `pattern` (values compare bit for bit).
pub(crate) fn f32_matches(bits: u32, pattern: &NanPattern<wast::token::F32>) -> bool {
    match pattern {
        NanPattern::CanonicalNan => is_canonical_nan_f32(bits),
        NanPattern::ArithmeticNan => is_arithmetic_nan_f32(bits),
        NanPattern::Value(v) => v.bits == bits,
    }
}

/// Whether the `f64` with `bits` matches `pattern` (values compare bit for bit).
pub(crate) fn f64_matches(bits: u64, pattern: &NanPattern<wast::token::F64>) -> bool {
    match pattern {
        NanPattern::CanonicalNan => is_canonical_nan_f64(bits),
        NanPattern::ArithmeticNan => is_arithmetic_nan_f64(bits),
        NanPattern::Value(v) => v.bits == bits,
    }
}

/// Whether a `v128` with little-endian `bits` matches `pattern`, lane by lane.
pub(crate) fn v128_matches(bits: u128, pattern: &V128Pattern) -> bool {
    let bytes = bits.to_le_bytes();
    match pattern {
        V128Pattern::I8x16(lanes) => lanes.iter().zip(bytes).all(|(l, b)| *l as u8 == b),
        V128Pattern::I16x8(lanes) => {
            lanes.iter().zip(bytes.chunks_exact(2)).all(|(l, b)| l.to_le_bytes() == b)
        }
        V128Pattern::I32x4(lanes) => {
            lanes.iter().zip(bytes.chunks_exact(4)).all(|(l, b)| l.to_le_bytes() == b)
        }
        V128Pattern::I64x2(lanes) => {
            lanes.iter().zip(bytes.chunks_exact(8)).all(|(l, b)| l.to_le_bytes() == b)
        }
        V128Pattern::F32x4(lanes) => lanes.iter().zip(bytes.chunks_exact(4)).all(|(p, b)| {
            let mut lane = [0; 4];
            lane.copy_from_slice(b);
            f32_matches(u32::from_le_bytes(lane), p)
        }),
        V128Pattern::F64x2(lanes) => lanes.iter().zip(bytes.chunks_exact(8)).all(|(p, b)| {
            let mut lane = [0; 8];
            lane.copy_from_slice(b);
            f64_matches(u64::from_le_bytes(lane), p)
        }),
    }
}

/// What a `ref.null <heaptype>` denotes, as far as wasm 2.0 goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NullKind {
    Func,
    Extern,
    /// A heap type wasm 2.0 does not have (GC, exceptions, ...).
    Other,
}

fn null_kind(heap: &HeapType<'_>) -> NullKind {
    match heap {
        HeapType::Abstract { ty: AbstractHeapType::Func | AbstractHeapType::NoFunc, .. } => {
            NullKind::Func
        }
        HeapType::Abstract {
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern, ..
        } => NullKind::Extern,
        _ => NullKind::Other,
    }
}

/// Converts a script argument to a runtime value.
pub(crate) fn arg_to_value(arg: &WastArg<'_>) -> Result<Value, String> {
    let WastArg::Core(core) = arg else {
        return Err(String::from("component-model arguments are not supported"));
    };
    Ok(match core {
        WastArgCore::I32(v) => Value::I32(*v),
        WastArgCore::I64(v) => Value::I64(*v),
        WastArgCore::F32(v) => Value::F32(F32::from_bits(v.bits)),
        WastArgCore::F64(v) => Value::F64(F64::from_bits(v.bits)),
        WastArgCore::V128(v) => Value::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(heap) => match null_kind(heap) {
            NullKind::Func => Value::FuncRef(None),
            NullKind::Extern => Value::ExternRef(None),
            NullKind::Other => return Err(format!("unsupported argument: ref.null {heap:?}")),
        },
        WastArgCore::RefExtern(n) => Value::ExternRef(Some(ExternAddr(*n))),
        WastArgCore::RefHost(n) => return Err(format!("unsupported argument: ref.host {n}")),
    })
}

/// Whether `actual` matches the expected result `expected`. `Err` for patterns wasm 2.0 cannot
/// produce (GC references, component values), so the caller can report them clearly.
pub(crate) fn result_matches(actual: &Value, expected: &WastRet<'_>) -> Result<bool, String> {
    let WastRet::Core(core) = expected else {
        return Err(String::from("component-model results are not supported"));
    };
    core_matches(actual, core)
}

fn core_matches(actual: &Value, expected: &WastRetCore<'_>) -> Result<bool, String> {
    Ok(match (expected, actual) {
        (WastRetCore::I32(e), Value::I32(a)) => e == a,
        (WastRetCore::I64(e), Value::I64(a)) => e == a,
        (WastRetCore::F32(p), Value::F32(a)) => f32_matches(a.to_bits(), p),
        (WastRetCore::F64(p), Value::F64(a)) => f64_matches(a.to_bits(), p),
        (WastRetCore::V128(p), Value::V128(a)) => v128_matches(*a, p),
        (WastRetCore::RefNull(None), Value::FuncRef(r)) => r.is_none(),
        (WastRetCore::RefNull(None), Value::ExternRef(r)) => r.is_none(),
        (WastRetCore::RefNull(Some(heap)), Value::FuncRef(r)) => match null_kind(heap) {
            NullKind::Func => r.is_none(),
            NullKind::Extern => false,
            NullKind::Other => {
                return Err(format!("unsupported result pattern: ref.null {heap:?}"));
            }
        },
        (WastRetCore::RefNull(Some(heap)), Value::ExternRef(r)) => match null_kind(heap) {
            NullKind::Extern => r.is_none(),
            NullKind::Func => false,
            NullKind::Other => {
                return Err(format!("unsupported result pattern: ref.null {heap:?}"));
            }
        },
        (WastRetCore::RefExtern(None), Value::ExternRef(r)) => r.is_some(),
        (WastRetCore::RefExtern(Some(n)), Value::ExternRef(r)) => *r == Some(ExternAddr(*n)),
        // A function index of the script cannot be mapped to a store address, so `ref.func`
        // matches any non-null function reference.
        (WastRetCore::RefFunc(_), Value::FuncRef(r)) => r.is_some(),
        (WastRetCore::Either(options), _) => {
            for option in options {
                if core_matches(actual, option)? {
                    return Ok(true);
                }
            }
            false
        }
        (
            WastRetCore::RefHost(_)
            | WastRetCore::RefAny
            | WastRetCore::RefEq
            | WastRetCore::RefArray
            | WastRetCore::RefStruct
            | WastRetCore::RefI31
            | WastRetCore::RefI31Shared,
            _,
        ) => return Err(format!("unsupported result pattern: {expected:?}")),
        // Any other pairing is a result of the wrong type.
        _ => false,
    })
}

/// A readable rendering of a value; floats also show their bits, since NaN payloads matter.
pub(crate) fn show_value(v: &Value) -> String {
    match v {
        Value::I32(x) => format!("i32:{x}"),
        Value::I64(x) => format!("i64:{x}"),
        Value::F32(x) => format!("f32:{:?} (0x{:08x})", x.to_float(), x.to_bits()),
        Value::F64(x) => format!("f64:{:?} (0x{:016x})", x.to_float(), x.to_bits()),
        Value::V128(x) => format!("v128:0x{x:032x}"),
        Value::FuncRef(None) => String::from("ref.null func"),
        Value::FuncRef(Some(a)) => format!("ref.func (addr {})", a.0),
        Value::ExternRef(None) => String::from("ref.null extern"),
        Value::ExternRef(Some(a)) => format!("ref.extern {}", a.0),
    }
}

/// Renders a list of values as `[a, b]`.
pub(crate) fn show_values(vs: &[Value]) -> String {
    let mut out = String::from("[");
    for (i, v) in vs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&show_value(v));
    }
    out.push(']');
    out
}

/// A readable rendering of an expected result.
pub(crate) fn show_expected(r: &WastRet<'_>) -> String {
    let WastRet::Core(core) = r else {
        return String::from("<component value>");
    };
    show_core(core)
}

fn show_core(r: &WastRetCore<'_>) -> String {
    let show_f32 = |p: &NanPattern<wast::token::F32>| match p {
        NanPattern::CanonicalNan => String::from("f32:nan:canonical"),
        NanPattern::ArithmeticNan => String::from("f32:nan:arithmetic"),
        NanPattern::Value(v) => {
            format!("f32:{:?} (0x{:08x})", f32::from_bits(v.bits), v.bits)
        }
    };
    let show_f64 = |p: &NanPattern<wast::token::F64>| match p {
        NanPattern::CanonicalNan => String::from("f64:nan:canonical"),
        NanPattern::ArithmeticNan => String::from("f64:nan:arithmetic"),
        NanPattern::Value(v) => {
            format!("f64:{:?} (0x{:016x})", f64::from_bits(v.bits), v.bits)
        }
    };
    match r {
        WastRetCore::I32(x) => format!("i32:{x}"),
        WastRetCore::I64(x) => format!("i64:{x}"),
        WastRetCore::F32(p) => show_f32(p),
        WastRetCore::F64(p) => show_f64(p),
        WastRetCore::RefNull(None) => String::from("ref.null"),
        WastRetCore::RefNull(Some(h)) => match null_kind(h) {
            NullKind::Func => String::from("ref.null func"),
            NullKind::Extern => String::from("ref.null extern"),
            NullKind::Other => format!("ref.null {h:?}"),
        },
        WastRetCore::RefExtern(None) => String::from("ref.extern"),
        WastRetCore::RefExtern(Some(n)) => format!("ref.extern {n}"),
        WastRetCore::RefFunc(_) => String::from("ref.func"),
        WastRetCore::Either(options) => {
            let mut out = String::from("either(");
            for (i, o) in options.iter().enumerate() {
                if i > 0 {
                    out.push_str(" | ");
                }
                out.push_str(&show_core(o));
            }
            out.push(')');
            out
        }
        other => {
            let mut out = String::new();
            let _ = write!(out, "{other:?}");
            out
        }
    }
}

/// Renders a list of expected results as `[a, b]`.
pub(crate) fn show_expected_list(rs: &[WastRet<'_>]) -> String {
    let mut out = String::from("[");
    for (i, r) in rs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&show_expected(r));
    }
    out.push(']');
    out
}

/// Whether a trap message satisfies the message a script expects. The reference interpreter's
/// wording is sometimes longer (`"uninitialized element 2"`) or shorter than the spec message
/// fayasm reports, so either one being a prefix of, or contained in, the other counts.
pub(crate) fn trap_message_matches(expected: &str, actual: &str) -> bool {
    !actual.is_empty() && (actual.contains(expected) || expected.starts_with(actual))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fayasm_exec::FuncAddr;

    fn pf32(bits: u32) -> NanPattern<wast::token::F32> {
        NanPattern::Value(wast::token::F32 { bits })
    }

    #[test]
    fn canonical_nan_is_exact_payload_with_either_sign() {
        assert!(is_canonical_nan_f32(0x7fc0_0000));
        assert!(is_canonical_nan_f32(0xffc0_0000));
        assert!(!is_canonical_nan_f32(0x7fc0_0001));
        assert!(!is_canonical_nan_f32(0x7fa0_0000));
        assert!(!is_canonical_nan_f32(0x7f80_0000), "infinity is no NaN");
        assert!(is_canonical_nan_f64(0x7ff8_0000_0000_0000));
        assert!(is_canonical_nan_f64(0xfff8_0000_0000_0000));
        assert!(!is_canonical_nan_f64(0x7ff8_0000_0000_0001));
        assert!(!is_canonical_nan_f64(0x7ff0_0000_0000_0000));
    }

    #[test]
    fn arithmetic_nan_needs_the_quiet_bit() {
        assert!(is_arithmetic_nan_f32(0x7fc0_0000));
        assert!(is_arithmetic_nan_f32(0xffc0_0001));
        assert!(is_arithmetic_nan_f32(0x7fff_ffff));
        assert!(!is_arithmetic_nan_f32(0x7fa0_0000), "signalling NaN");
        assert!(!is_arithmetic_nan_f32(0x7f80_0000), "infinity");
        assert!(!is_arithmetic_nan_f32(0x3fc0_0000), "1.5");
        assert!(is_arithmetic_nan_f64(0xfff8_0000_0000_1234));
        assert!(!is_arithmetic_nan_f64(0x7ff4_0000_0000_0000));
        assert!(!is_arithmetic_nan_f64(0x3ff8_0000_0000_0000), "1.5");
    }

    #[test]
    fn float_values_compare_bitwise() {
        assert!(f32_matches(0x8000_0000, &pf32(0x8000_0000)));
        assert!(!f32_matches(0x0000_0000, &pf32(0x8000_0000)), "-0 is not +0");
        assert!(f32_matches(0x7fa0_0000, &pf32(0x7fa0_0000)), "a NaN payload matches itself");
        assert!(!f32_matches(0x7fc0_0000, &pf32(0x7fa0_0000)));
        let p = NanPattern::Value(wast::token::F64 { bits: 1 });
        assert!(f64_matches(1, &p));
        assert!(!f64_matches(2, &p));
    }

    #[test]
    fn v128_lanes_compare_little_endian() {
        let bits =
            u128::from_le_bytes([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
        assert!(v128_matches(bits, &V128Pattern::I32x4([1, 2, 3, -1])));
        assert!(!v128_matches(bits, &V128Pattern::I32x4([1, 2, 3, 4])));
        let nan = u128::from(0x7fc0_0000_u32) | (u128::from(0xffc0_0000_u32) << 32);
        let p = V128Pattern::F32x4([
            NanPattern::CanonicalNan,
            NanPattern::ArithmeticNan,
            pf32(0),
            pf32(0),
        ]);
        assert!(v128_matches(nan, &p));
    }

    #[test]
    fn references_compare_by_nullness_and_kind() {
        let func_null = WastRetCore::RefNull(Some(HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Func,
        }));
        assert!(core_matches(&Value::FuncRef(None), &func_null).unwrap());
        assert!(!core_matches(&Value::FuncRef(Some(FuncAddr(0))), &func_null).unwrap());
        assert!(!core_matches(&Value::ExternRef(None), &func_null).unwrap());
        assert!(core_matches(&Value::ExternRef(None), &WastRetCore::RefNull(None)).unwrap());
        let any_func = WastRetCore::RefFunc(None);
        assert!(core_matches(&Value::FuncRef(Some(FuncAddr(7))), &any_func).unwrap());
        assert!(!core_matches(&Value::FuncRef(None), &any_func).unwrap());
        let ext = WastRetCore::RefExtern(Some(3));
        assert!(core_matches(&Value::ExternRef(Some(ExternAddr(3))), &ext).unwrap());
        assert!(!core_matches(&Value::ExternRef(Some(ExternAddr(4))), &ext).unwrap());
        assert!(
            core_matches(&Value::ExternRef(Some(ExternAddr(4))), &WastRetCore::RefExtern(None))
                .unwrap()
        );
        assert!(core_matches(&Value::I32(0), &WastRetCore::RefAny).is_err());
    }

    #[test]
    fn wrong_types_and_either() {
        assert!(!core_matches(&Value::I64(1), &WastRetCore::I32(1)).unwrap());
        let either = WastRetCore::Either(vec![WastRetCore::I32(1), WastRetCore::I32(2)]);
        assert!(core_matches(&Value::I32(2), &either).unwrap());
        assert!(!core_matches(&Value::I32(3), &either).unwrap());
    }

    #[test]
    fn arguments_convert() {
        let a = |c| arg_to_value(&WastArg::Core(c)).unwrap();
        assert_eq!(a(WastArgCore::I32(-1)), Value::I32(-1));
        assert_eq!(
            a(WastArgCore::F32(wast::token::F32 { bits: 0x7fa0_0000 })),
            Value::F32(F32::from_bits(0x7fa0_0000))
        );
        assert_eq!(a(WastArgCore::RefExtern(5)), Value::ExternRef(Some(ExternAddr(5))));
        let null_extern = HeapType::Abstract { shared: false, ty: AbstractHeapType::Extern };
        assert_eq!(a(WastArgCore::RefNull(null_extern)), Value::ExternRef(None));
        assert!(arg_to_value(&WastArg::Core(WastArgCore::RefHost(1))).is_err());
    }

    #[test]
    fn trap_messages_match_as_prefix_or_substring() {
        assert!(trap_message_matches("out of bounds memory access", "out of bounds memory access"));
        assert!(trap_message_matches("uninitialized element 2", "uninitialized element"));
        assert!(trap_message_matches("unreachable", "unreachable executed"));
        assert!(!trap_message_matches("integer overflow", "integer divide by zero"));
        assert!(!trap_message_matches("undefined element", "uninitialized element"));
        assert!(!trap_message_matches("anything", ""));
    }
}
