//! The pure numeric semantics of WebAssembly: one function per numeric operator, named after it
//! (`i32_add`, `f64_convert_i64_u`, ...), exactly as the spec defines it, including its traps.
//!
//! The interpreter's handlers and any constant folding in the lowering call these, so they are
//! the single source of truth for integer wrap-around, shift masking, division traps, float
//! `min`/`max`, NaN propagation, rounding and float-to-integer conversion. Unsigned operators take
//! the signed type and reinterpret it. Comparisons return `1` or `0` as an `i32`.
//!
//! NaN results: `abs`, `neg` and `copysign` only touch the sign bit and keep any payload; every
//! other operator that yields a NaN yields an *arithmetic* NaN (quiet bit set), canonical when
//! no input NaN carries a payload, as the spec requires.

use crate::TrapCode;

// ----- integer helpers -----

/// Converts a `bool` to the wasm `i32` truth value.
#[inline]
fn b2i(b: bool) -> i32 {
    i32::from(b)
}

// ----- float helpers -----

const F32_SIGN: u32 = 0x8000_0000;
const F32_QUIET: u32 = 0x0040_0000;
const F32_CANONICAL_NAN: f32 = f32::from_bits(0x7fc0_0000);
const F64_SIGN: u64 = 0x8000_0000_0000_0000;
const F64_QUIET: u64 = 0x0008_0000_0000_0000;
const F64_CANONICAL_NAN: f64 = f64::from_bits(0x7ff8_0000_0000_0000);

/// Sets the quiet bit of a NaN, keeping its sign and payload.
#[inline]
fn quiet_f32(a: f32) -> f32 {
    f32::from_bits(a.to_bits() | F32_QUIET)
}

/// Sets the quiet bit of a NaN, keeping its sign and payload.
#[inline]
fn quiet_f64(a: f64) -> f64 {
    f64::from_bits(a.to_bits() | F64_QUIET)
}

// ===================================================================================== i32 ===

/// `i32.eqz`: 1 if `a` is zero.
#[inline]
pub fn i32_eqz(a: i32) -> i32 {
    b2i(a == 0)
}

/// `i32.clz`: count of leading zero bits.
#[inline]
pub fn i32_clz(a: i32) -> i32 {
    a.leading_zeros() as i32
}

/// `i32.ctz`: count of trailing zero bits.
#[inline]
pub fn i32_ctz(a: i32) -> i32 {
    a.trailing_zeros() as i32
}

/// `i32.popcnt`: count of one bits.
#[inline]
pub fn i32_popcnt(a: i32) -> i32 {
    a.count_ones() as i32
}

/// `i32.extend8_s`: sign-extends the low 8 bits.
#[inline]
pub fn i32_extend8_s(a: i32) -> i32 {
    i32::from(a as i8)
}

/// `i32.extend16_s`: sign-extends the low 16 bits.
#[inline]
pub fn i32_extend16_s(a: i32) -> i32 {
    i32::from(a as i16)
}

/// `i32.eq`.
#[inline]
pub fn i32_eq(a: i32, b: i32) -> i32 {
    b2i(a == b)
}

/// `i32.ne`.
#[inline]
pub fn i32_ne(a: i32, b: i32) -> i32 {
    b2i(a != b)
}

/// `i32.lt_s`.
#[inline]
pub fn i32_lt_s(a: i32, b: i32) -> i32 {
    b2i(a < b)
}

/// `i32.lt_u`.
#[inline]
pub fn i32_lt_u(a: i32, b: i32) -> i32 {
    b2i((a as u32) < (b as u32))
}

/// `i32.gt_s`.
#[inline]
pub fn i32_gt_s(a: i32, b: i32) -> i32 {
    b2i(a > b)
}

/// `i32.gt_u`.
#[inline]
pub fn i32_gt_u(a: i32, b: i32) -> i32 {
    b2i((a as u32) > (b as u32))
}

/// `i32.le_s`.
#[inline]
pub fn i32_le_s(a: i32, b: i32) -> i32 {
    b2i(a <= b)
}

/// `i32.le_u`.
#[inline]
pub fn i32_le_u(a: i32, b: i32) -> i32 {
    b2i((a as u32) <= (b as u32))
}

/// `i32.ge_s`.
#[inline]
pub fn i32_ge_s(a: i32, b: i32) -> i32 {
    b2i(a >= b)
}

/// `i32.ge_u`.
#[inline]
pub fn i32_ge_u(a: i32, b: i32) -> i32 {
    b2i((a as u32) >= (b as u32))
}

/// `i32.add`, wrapping.
#[inline]
pub fn i32_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// `i32.sub`, wrapping.
#[inline]
pub fn i32_sub(a: i32, b: i32) -> i32 {
    a.wrapping_sub(b)
}

/// `i32.mul`, wrapping.
#[inline]
pub fn i32_mul(a: i32, b: i32) -> i32 {
    a.wrapping_mul(b)
}

/// `i32.div_s`: traps on division by zero and on `i32::MIN / -1`.
#[inline]
pub fn i32_div_s(a: i32, b: i32) -> Result<i32, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivideByZero);
    }
    a.checked_div(b).ok_or(TrapCode::IntegerOverflow)
}

/// `i32.div_u`: traps on division by zero.
#[inline]
pub fn i32_div_u(a: i32, b: i32) -> Result<i32, TrapCode> {
    match (a as u32).checked_div(b as u32) {
        Some(q) => Ok(q as i32),
        None => Err(TrapCode::IntegerDivideByZero),
    }
}

/// `i32.rem_s`: traps on division by zero; `i32::MIN % -1` is 0.
#[inline]
pub fn i32_rem_s(a: i32, b: i32) -> Result<i32, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivideByZero);
    }
    Ok(a.wrapping_rem(b))
}

/// `i32.rem_u`: traps on division by zero.
#[inline]
pub fn i32_rem_u(a: i32, b: i32) -> Result<i32, TrapCode> {
    match (a as u32).checked_rem(b as u32) {
        Some(r) => Ok(r as i32),
        None => Err(TrapCode::IntegerDivideByZero),
    }
}

/// `i32.and`.
#[inline]
pub fn i32_and(a: i32, b: i32) -> i32 {
    a & b
}

/// `i32.or`.
#[inline]
pub fn i32_or(a: i32, b: i32) -> i32 {
    a | b
}

/// `i32.xor`.
#[inline]
pub fn i32_xor(a: i32, b: i32) -> i32 {
    a ^ b
}

/// `i32.shl`: the count is taken modulo 32.
#[inline]
pub fn i32_shl(a: i32, b: i32) -> i32 {
    a << (b as u32 & 31)
}

/// `i32.shr_s`: arithmetic shift; the count is taken modulo 32.
#[inline]
pub fn i32_shr_s(a: i32, b: i32) -> i32 {
    a >> (b as u32 & 31)
}

/// `i32.shr_u`: logical shift; the count is taken modulo 32.
#[inline]
pub fn i32_shr_u(a: i32, b: i32) -> i32 {
    ((a as u32) >> (b as u32 & 31)) as i32
}

/// `i32.rotl`: the count is taken modulo 32.
#[inline]
pub fn i32_rotl(a: i32, b: i32) -> i32 {
    (a as u32).rotate_left(b as u32 & 31) as i32
}

/// `i32.rotr`: the count is taken modulo 32.
#[inline]
pub fn i32_rotr(a: i32, b: i32) -> i32 {
    (a as u32).rotate_right(b as u32 & 31) as i32
}

// ===================================================================================== i64 ===

/// `i64.eqz`: 1 if `a` is zero.
#[inline]
pub fn i64_eqz(a: i64) -> i32 {
    b2i(a == 0)
}

/// `i64.clz`: count of leading zero bits.
#[inline]
pub fn i64_clz(a: i64) -> i64 {
    i64::from(a.leading_zeros())
}

/// `i64.ctz`: count of trailing zero bits.
#[inline]
pub fn i64_ctz(a: i64) -> i64 {
    i64::from(a.trailing_zeros())
}

/// `i64.popcnt`: count of one bits.
#[inline]
pub fn i64_popcnt(a: i64) -> i64 {
    i64::from(a.count_ones())
}

/// `i64.extend8_s`: sign-extends the low 8 bits.
#[inline]
pub fn i64_extend8_s(a: i64) -> i64 {
    i64::from(a as i8)
}

/// `i64.extend16_s`: sign-extends the low 16 bits.
#[inline]
pub fn i64_extend16_s(a: i64) -> i64 {
    i64::from(a as i16)
}

/// `i64.extend32_s`: sign-extends the low 32 bits.
#[inline]
pub fn i64_extend32_s(a: i64) -> i64 {
    i64::from(a as i32)
}

/// `i64.eq`.
#[inline]
pub fn i64_eq(a: i64, b: i64) -> i32 {
    b2i(a == b)
}

/// `i64.ne`.
#[inline]
pub fn i64_ne(a: i64, b: i64) -> i32 {
    b2i(a != b)
}

/// `i64.lt_s`.
#[inline]
pub fn i64_lt_s(a: i64, b: i64) -> i32 {
    b2i(a < b)
}

/// `i64.lt_u`.
#[inline]
pub fn i64_lt_u(a: i64, b: i64) -> i32 {
    b2i((a as u64) < (b as u64))
}

/// `i64.gt_s`.
#[inline]
pub fn i64_gt_s(a: i64, b: i64) -> i32 {
    b2i(a > b)
}

/// `i64.gt_u`.
#[inline]
pub fn i64_gt_u(a: i64, b: i64) -> i32 {
    b2i((a as u64) > (b as u64))
}

/// `i64.le_s`.
#[inline]
pub fn i64_le_s(a: i64, b: i64) -> i32 {
    b2i(a <= b)
}

/// `i64.le_u`.
#[inline]
pub fn i64_le_u(a: i64, b: i64) -> i32 {
    b2i((a as u64) <= (b as u64))
}

/// `i64.ge_s`.
#[inline]
pub fn i64_ge_s(a: i64, b: i64) -> i32 {
    b2i(a >= b)
}

/// `i64.ge_u`.
#[inline]
pub fn i64_ge_u(a: i64, b: i64) -> i32 {
    b2i((a as u64) >= (b as u64))
}

/// `i64.add`, wrapping.
#[inline]
pub fn i64_add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}

/// `i64.sub`, wrapping.
#[inline]
pub fn i64_sub(a: i64, b: i64) -> i64 {
    a.wrapping_sub(b)
}

/// `i64.mul`, wrapping.
#[inline]
pub fn i64_mul(a: i64, b: i64) -> i64 {
    a.wrapping_mul(b)
}

/// `i64.div_s`: traps on division by zero and on `i64::MIN / -1`.
#[inline]
pub fn i64_div_s(a: i64, b: i64) -> Result<i64, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivideByZero);
    }
    a.checked_div(b).ok_or(TrapCode::IntegerOverflow)
}

/// `i64.div_u`: traps on division by zero.
#[inline]
pub fn i64_div_u(a: i64, b: i64) -> Result<i64, TrapCode> {
    match (a as u64).checked_div(b as u64) {
        Some(q) => Ok(q as i64),
        None => Err(TrapCode::IntegerDivideByZero),
    }
}

/// `i64.rem_s`: traps on division by zero; `i64::MIN % -1` is 0.
#[inline]
pub fn i64_rem_s(a: i64, b: i64) -> Result<i64, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivideByZero);
    }
    Ok(a.wrapping_rem(b))
}

/// `i64.rem_u`: traps on division by zero.
#[inline]
pub fn i64_rem_u(a: i64, b: i64) -> Result<i64, TrapCode> {
    match (a as u64).checked_rem(b as u64) {
        Some(r) => Ok(r as i64),
        None => Err(TrapCode::IntegerDivideByZero),
    }
}

/// `i64.and`.
#[inline]
pub fn i64_and(a: i64, b: i64) -> i64 {
    a & b
}

/// `i64.or`.
#[inline]
pub fn i64_or(a: i64, b: i64) -> i64 {
    a | b
}

/// `i64.xor`.
#[inline]
pub fn i64_xor(a: i64, b: i64) -> i64 {
    a ^ b
}

/// `i64.shl`: the count is taken modulo 64.
#[inline]
pub fn i64_shl(a: i64, b: i64) -> i64 {
    a << (b as u32 & 63)
}

/// `i64.shr_s`: arithmetic shift; the count is taken modulo 64.
#[inline]
pub fn i64_shr_s(a: i64, b: i64) -> i64 {
    a >> (b as u32 & 63)
}

/// `i64.shr_u`: logical shift; the count is taken modulo 64.
#[inline]
pub fn i64_shr_u(a: i64, b: i64) -> i64 {
    ((a as u64) >> (b as u32 & 63)) as i64
}

/// `i64.rotl`: the count is taken modulo 64.
#[inline]
pub fn i64_rotl(a: i64, b: i64) -> i64 {
    (a as u64).rotate_left(b as u32 & 63) as i64
}

/// `i64.rotr`: the count is taken modulo 64.
#[inline]
pub fn i64_rotr(a: i64, b: i64) -> i64 {
    (a as u64).rotate_right(b as u32 & 63) as i64
}

// ===================================================================================== f32 ===

/// `f32.abs`: clears the sign bit (NaN payload untouched).
#[inline]
pub fn f32_abs(a: f32) -> f32 {
    f32::from_bits(a.to_bits() & !F32_SIGN)
}

/// `f32.neg`: flips the sign bit (NaN payload untouched).
#[inline]
pub fn f32_neg(a: f32) -> f32 {
    f32::from_bits(a.to_bits() ^ F32_SIGN)
}

/// `f32.copysign`: `a` with the sign bit of `b` (NaN payload untouched).
#[inline]
pub fn f32_copysign(a: f32, b: f32) -> f32 {
    f32::from_bits((a.to_bits() & !F32_SIGN) | (b.to_bits() & F32_SIGN))
}

/// `f32.ceil`: rounds toward positive infinity.
#[inline]
pub fn f32_ceil(a: f32) -> f32 {
    if a.is_nan() { quiet_f32(a) } else { libm::ceilf(a) }
}

/// `f32.floor`: rounds toward negative infinity.
#[inline]
pub fn f32_floor(a: f32) -> f32 {
    if a.is_nan() { quiet_f32(a) } else { libm::floorf(a) }
}

/// `f32.trunc`: rounds toward zero.
#[inline]
pub fn f32_trunc(a: f32) -> f32 {
    if a.is_nan() { quiet_f32(a) } else { libm::truncf(a) }
}

/// `f32.nearest`: rounds to the nearest integer, ties to even.
#[inline]
pub fn f32_nearest(a: f32) -> f32 {
    if a.is_nan() { quiet_f32(a) } else { libm::rintf(a) }
}

/// `f32.sqrt`: correctly rounded square root; NaN for negative inputs.
#[inline]
pub fn f32_sqrt(a: f32) -> f32 {
    if a.is_nan() { quiet_f32(a) } else { libm::sqrtf(a) }
}

/// `f32.eq`: 0 if either operand is NaN; `-0 == +0`.
#[inline]
pub fn f32_eq(a: f32, b: f32) -> i32 {
    b2i(a == b)
}

/// `f32.ne`: 1 if either operand is NaN.
#[inline]
pub fn f32_ne(a: f32, b: f32) -> i32 {
    b2i(a != b)
}

/// `f32.lt`: 0 if either operand is NaN.
#[inline]
pub fn f32_lt(a: f32, b: f32) -> i32 {
    b2i(a < b)
}

/// `f32.gt`: 0 if either operand is NaN.
#[inline]
pub fn f32_gt(a: f32, b: f32) -> i32 {
    b2i(a > b)
}

/// `f32.le`: 0 if either operand is NaN.
#[inline]
pub fn f32_le(a: f32, b: f32) -> i32 {
    b2i(a <= b)
}

/// `f32.ge`: 0 if either operand is NaN.
#[inline]
pub fn f32_ge(a: f32, b: f32) -> i32 {
    b2i(a >= b)
}

/// `f32.add`, round to nearest even.
#[inline]
pub fn f32_add(a: f32, b: f32) -> f32 {
    a + b
}

/// `f32.sub`, round to nearest even.
#[inline]
pub fn f32_sub(a: f32, b: f32) -> f32 {
    a - b
}

/// `f32.mul`, round to nearest even.
#[inline]
pub fn f32_mul(a: f32, b: f32) -> f32 {
    a * b
}

/// `f32.div`, round to nearest even.
#[inline]
pub fn f32_div(a: f32, b: f32) -> f32 {
    a / b
}

/// `f32.min`: canonical NaN if either operand is NaN; `-0` is below `+0`.
#[inline]
pub fn f32_min(a: f32, b: f32) -> f32 {
    if a < b {
        a
    } else if b < a {
        b
    } else if a == b {
        // Equal values have equal bits, except ±0 where the negative one wins.
        f32::from_bits(a.to_bits() | b.to_bits())
    } else {
        F32_CANONICAL_NAN
    }
}

/// `f32.max`: canonical NaN if either operand is NaN; `+0` is above `-0`.
#[inline]
pub fn f32_max(a: f32, b: f32) -> f32 {
    if a > b {
        a
    } else if b > a {
        b
    } else if a == b {
        // Equal values have equal bits, except ±0 where the positive one wins.
        f32::from_bits(a.to_bits() & b.to_bits())
    } else {
        F32_CANONICAL_NAN
    }
}

// ===================================================================================== f64 ===

/// `f64.abs`: clears the sign bit (NaN payload untouched).
#[inline]
pub fn f64_abs(a: f64) -> f64 {
    f64::from_bits(a.to_bits() & !F64_SIGN)
}

/// `f64.neg`: flips the sign bit (NaN payload untouched).
#[inline]
pub fn f64_neg(a: f64) -> f64 {
    f64::from_bits(a.to_bits() ^ F64_SIGN)
}

/// `f64.copysign`: `a` with the sign bit of `b` (NaN payload untouched).
#[inline]
pub fn f64_copysign(a: f64, b: f64) -> f64 {
    f64::from_bits((a.to_bits() & !F64_SIGN) | (b.to_bits() & F64_SIGN))
}

/// `f64.ceil`: rounds toward positive infinity.
#[inline]
pub fn f64_ceil(a: f64) -> f64 {
    if a.is_nan() { quiet_f64(a) } else { libm::ceil(a) }
}

/// `f64.floor`: rounds toward negative infinity.
#[inline]
pub fn f64_floor(a: f64) -> f64 {
    if a.is_nan() { quiet_f64(a) } else { libm::floor(a) }
}

/// `f64.trunc`: rounds toward zero.
#[inline]
pub fn f64_trunc(a: f64) -> f64 {
    if a.is_nan() { quiet_f64(a) } else { libm::trunc(a) }
}

/// `f64.nearest`: rounds to the nearest integer, ties to even.
#[inline]
pub fn f64_nearest(a: f64) -> f64 {
    if a.is_nan() { quiet_f64(a) } else { libm::rint(a) }
}

/// `f64.sqrt`: correctly rounded square root; NaN for negative inputs.
#[inline]
pub fn f64_sqrt(a: f64) -> f64 {
    if a.is_nan() { quiet_f64(a) } else { libm::sqrt(a) }
}

/// `f64.eq`: 0 if either operand is NaN; `-0 == +0`.
#[inline]
pub fn f64_eq(a: f64, b: f64) -> i32 {
    b2i(a == b)
}

/// `f64.ne`: 1 if either operand is NaN.
#[inline]
pub fn f64_ne(a: f64, b: f64) -> i32 {
    b2i(a != b)
}

/// `f64.lt`: 0 if either operand is NaN.
#[inline]
pub fn f64_lt(a: f64, b: f64) -> i32 {
    b2i(a < b)
}

/// `f64.gt`: 0 if either operand is NaN.
#[inline]
pub fn f64_gt(a: f64, b: f64) -> i32 {
    b2i(a > b)
}

/// `f64.le`: 0 if either operand is NaN.
#[inline]
pub fn f64_le(a: f64, b: f64) -> i32 {
    b2i(a <= b)
}

/// `f64.ge`: 0 if either operand is NaN.
#[inline]
pub fn f64_ge(a: f64, b: f64) -> i32 {
    b2i(a >= b)
}

/// `f64.add`, round to nearest even.
#[inline]
pub fn f64_add(a: f64, b: f64) -> f64 {
    a + b
}

/// `f64.sub`, round to nearest even.
#[inline]
pub fn f64_sub(a: f64, b: f64) -> f64 {
    a - b
}

/// `f64.mul`, round to nearest even.
#[inline]
pub fn f64_mul(a: f64, b: f64) -> f64 {
    a * b
}

/// `f64.div`, round to nearest even.
#[inline]
pub fn f64_div(a: f64, b: f64) -> f64 {
    a / b
}

/// `f64.min`: canonical NaN if either operand is NaN; `-0` is below `+0`.
#[inline]
pub fn f64_min(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else if b < a {
        b
    } else if a == b {
        // Equal values have equal bits, except ±0 where the negative one wins.
        f64::from_bits(a.to_bits() | b.to_bits())
    } else {
        F64_CANONICAL_NAN
    }
}

/// `f64.max`: canonical NaN if either operand is NaN; `+0` is above `-0`.
#[inline]
pub fn f64_max(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else if b > a {
        b
    } else if a == b {
        // Equal values have equal bits, except ±0 where the positive one wins.
        f64::from_bits(a.to_bits() & b.to_bits())
    } else {
        F64_CANONICAL_NAN
    }
}

// ============================================================================= conversions ===

/// `i32.wrap_i64`: keeps the low 32 bits.
#[inline]
pub fn i32_wrap_i64(a: i64) -> i32 {
    a as i32
}

/// `i64.extend_i32_s`: sign-extends.
#[inline]
pub fn i64_extend_i32_s(a: i32) -> i64 {
    i64::from(a)
}

/// `i64.extend_i32_u`: zero-extends.
#[inline]
pub fn i64_extend_i32_u(a: i32) -> i64 {
    i64::from(a as u32)
}

/// `f32.convert_i32_s`, round to nearest even.
#[inline]
pub fn f32_convert_i32_s(a: i32) -> f32 {
    a as f32
}

/// `f32.convert_i32_u`, round to nearest even.
#[inline]
pub fn f32_convert_i32_u(a: i32) -> f32 {
    a as u32 as f32
}

/// `f32.convert_i64_s`, round to nearest even.
#[inline]
pub fn f32_convert_i64_s(a: i64) -> f32 {
    a as f32
}

/// `f32.convert_i64_u`, round to nearest even.
#[inline]
pub fn f32_convert_i64_u(a: i64) -> f32 {
    a as u64 as f32
}

/// `f64.convert_i32_s` (exact).
#[inline]
pub fn f64_convert_i32_s(a: i32) -> f64 {
    f64::from(a)
}

/// `f64.convert_i32_u` (exact).
#[inline]
pub fn f64_convert_i32_u(a: i32) -> f64 {
    f64::from(a as u32)
}

/// `f64.convert_i64_s`, round to nearest even.
#[inline]
pub fn f64_convert_i64_s(a: i64) -> f64 {
    a as f64
}

/// `f64.convert_i64_u`, round to nearest even.
#[inline]
pub fn f64_convert_i64_u(a: i64) -> f64 {
    a as u64 as f64
}

/// `f32.demote_f64`: round to nearest even; a NaN keeps its sign and top payload bits, quieted.
#[inline]
pub fn f32_demote_f64(a: f64) -> f32 {
    if a.is_nan() {
        let bits = a.to_bits();
        let sign = (bits >> 32) as u32 & F32_SIGN;
        let payload = (bits >> 29) as u32 & 0x007f_ffff;
        f32::from_bits(sign | 0x7f80_0000 | F32_QUIET | payload)
    } else {
        a as f32
    }
}

/// `f64.promote_f32` (exact); a NaN keeps its sign and payload, quieted.
#[inline]
pub fn f64_promote_f32(a: f32) -> f64 {
    if a.is_nan() {
        let bits = a.to_bits();
        let sign = u64::from(bits & F32_SIGN) << 32;
        let payload = u64::from(bits & 0x007f_ffff) << 29;
        f64::from_bits(sign | 0x7ff0_0000_0000_0000 | F64_QUIET | payload)
    } else {
        f64::from(a)
    }
}

/// The trap of a failed float-to-integer truncation.
#[inline]
fn trunc_trap(nan: bool) -> TrapCode {
    if nan { TrapCode::InvalidConversionToInteger } else { TrapCode::IntegerOverflow }
}

// Each trapping truncation accepts exactly the inputs whose truncation toward zero fits; the
// bounds below are exactly representable in the source type (powers of two, or 2^31 + 1 in f64).

/// `i32.trunc_f32_s`: traps on NaN and when the truncated value does not fit.
#[inline]
pub fn i32_trunc_f32_s(a: f32) -> Result<i32, TrapCode> {
    if (-2_147_483_648.0..2_147_483_648.0).contains(&a) {
        Ok(a as i32)
    } else {
        Err(trunc_trap(a.is_nan()))
    }
}

/// `i32.trunc_f32_u`: traps on NaN and when the truncated value does not fit.
#[inline]
pub fn i32_trunc_f32_u(a: f32) -> Result<i32, TrapCode> {
    if a > -1.0 && a < 4_294_967_296.0 { Ok(a as u32 as i32) } else { Err(trunc_trap(a.is_nan())) }
}

/// `i32.trunc_f64_s`: traps on NaN and when the truncated value does not fit.
#[inline]
pub fn i32_trunc_f64_s(a: f64) -> Result<i32, TrapCode> {
    if a > -2_147_483_649.0 && a < 2_147_483_648.0 {
        Ok(a as i32)
    } else {
        Err(trunc_trap(a.is_nan()))
    }
}

/// `i32.trunc_f64_u`: traps on NaN and when the truncated value does not fit.
#[inline]
pub fn i32_trunc_f64_u(a: f64) -> Result<i32, TrapCode> {
    if a > -1.0 && a < 4_294_967_296.0 { Ok(a as u32 as i32) } else { Err(trunc_trap(a.is_nan())) }
}

/// `i64.trunc_f32_s`: traps on NaN and when the truncated value does not fit.
#[inline]
pub fn i64_trunc_f32_s(a: f32) -> Result<i64, TrapCode> {
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&a) {
        Ok(a as i64)
    } else {
        Err(trunc_trap(a.is_nan()))
    }
}

/// `i64.trunc_f32_u`: traps on NaN and when the truncated value does not fit.
#[inline]
pub fn i64_trunc_f32_u(a: f32) -> Result<i64, TrapCode> {
    if a > -1.0 && a < 18_446_744_073_709_551_616.0 {
        Ok(a as u64 as i64)
    } else {
        Err(trunc_trap(a.is_nan()))
    }
}

/// `i64.trunc_f64_s`: traps on NaN and when the truncated value does not fit.
#[inline]
pub fn i64_trunc_f64_s(a: f64) -> Result<i64, TrapCode> {
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&a) {
        Ok(a as i64)
    } else {
        Err(trunc_trap(a.is_nan()))
    }
}

/// `i64.trunc_f64_u`: traps on NaN and when the truncated value does not fit.
#[inline]
pub fn i64_trunc_f64_u(a: f64) -> Result<i64, TrapCode> {
    if a > -1.0 && a < 18_446_744_073_709_551_616.0 {
        Ok(a as u64 as i64)
    } else {
        Err(trunc_trap(a.is_nan()))
    }
}

/// `i32.trunc_sat_f32_s`: saturates out-of-range values; NaN gives 0.
#[inline]
pub fn i32_trunc_sat_f32_s(a: f32) -> i32 {
    a as i32
}

/// `i32.trunc_sat_f32_u`: saturates out-of-range values; NaN gives 0.
#[inline]
pub fn i32_trunc_sat_f32_u(a: f32) -> i32 {
    a as u32 as i32
}

/// `i32.trunc_sat_f64_s`: saturates out-of-range values; NaN gives 0.
#[inline]
pub fn i32_trunc_sat_f64_s(a: f64) -> i32 {
    a as i32
}

/// `i32.trunc_sat_f64_u`: saturates out-of-range values; NaN gives 0.
#[inline]
pub fn i32_trunc_sat_f64_u(a: f64) -> i32 {
    a as u32 as i32
}

/// `i64.trunc_sat_f32_s`: saturates out-of-range values; NaN gives 0.
#[inline]
pub fn i64_trunc_sat_f32_s(a: f32) -> i64 {
    a as i64
}

/// `i64.trunc_sat_f32_u`: saturates out-of-range values; NaN gives 0.
#[inline]
pub fn i64_trunc_sat_f32_u(a: f32) -> i64 {
    a as u64 as i64
}

/// `i64.trunc_sat_f64_s`: saturates out-of-range values; NaN gives 0.
#[inline]
pub fn i64_trunc_sat_f64_s(a: f64) -> i64 {
    a as i64
}

/// `i64.trunc_sat_f64_u`: saturates out-of-range values; NaN gives 0.
#[inline]
pub fn i64_trunc_sat_f64_u(a: f64) -> i64 {
    a as u64 as i64
}

// ----- wide arithmetic (the wide-arithmetic proposal): 128-bit values as (low, high) i64
// halves, results as (low, high) -----

/// `i64.add128`: `(a_hi:a_lo) + (b_hi:b_lo)`, wrapping modulo 2^128.
#[inline]
pub fn i64_add128(a_lo: i64, a_hi: i64, b_lo: i64, b_hi: i64) -> (i64, i64) {
    let (lo, carry) = (a_lo as u64).overflowing_add(b_lo as u64);
    let hi = (a_hi as u64).wrapping_add(b_hi as u64).wrapping_add(u64::from(carry));
    (lo as i64, hi as i64)
}

/// `i64.sub128`: `(a_hi:a_lo) - (b_hi:b_lo)`, wrapping modulo 2^128.
#[inline]
pub fn i64_sub128(a_lo: i64, a_hi: i64, b_lo: i64, b_hi: i64) -> (i64, i64) {
    let (lo, borrow) = (a_lo as u64).overflowing_sub(b_lo as u64);
    let hi = (a_hi as u64).wrapping_sub(b_hi as u64).wrapping_sub(u64::from(borrow));
    (lo as i64, hi as i64)
}

/// `i64.mul_wide_s`: the full signed 128-bit product of two i64 (never overflows).
#[inline]
pub fn i64_mul_wide_s(a: i64, b: i64) -> (i64, i64) {
    let p = i128::from(a) * i128::from(b);
    (p as i64, (p >> 64) as i64)
}

/// `i64.mul_wide_u`: the full unsigned 128-bit product of two i64 read as unsigned.
#[inline]
pub fn i64_mul_wide_u(a: i64, b: i64) -> (i64, i64) {
    let p = u128::from(a as u64) * u128::from(b as u64);
    (p as i64, (p >> 64) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    /// A signalling NaN (quiet bit clear) with a payload, as the spec suite's `nan:0x200000`.
    const F32_SNAN: u32 = 0x7fa0_0000;
    /// A signalling NaN (quiet bit clear) with a payload, as the spec suite's `nan:0x4000000000000`.
    const F64_SNAN: u64 = 0x7ff4_0000_0000_0000;

    fn f32b(bits: u32) -> f32 {
        f32::from_bits(bits)
    }

    fn f64b(bits: u64) -> f64 {
        f64::from_bits(bits)
    }

    fn is_arithmetic_f32(x: f32) -> bool {
        x.is_nan() && x.to_bits() & F32_QUIET != 0
    }

    fn is_arithmetic_f64(x: f64) -> bool {
        x.is_nan() && x.to_bits() & F64_QUIET != 0
    }

    macro_rules! check_signature {
        (unary $name:ident: $a:ident -> $r:ident) => {
            let _: fn($a) -> $r = $name;
        };
        (unary_trap $name:ident: $a:ident -> $r:ident) => {
            let _: fn($a) -> Result<$r, TrapCode> = $name;
        };
        (binary $name:ident: $a:ident -> $r:ident) => {
            let _: fn($a, $a) -> $r = $name;
        };
        (binary_trap $name:ident: $a:ident -> $r:ident) => {
            let _: fn($a, $a) -> Result<$r, TrapCode> = $name;
        };
    }

    macro_rules! signatures {
        ($($family:ident $name:ident: $a:ident -> $r:ident;)*) => {{
            $(check_signature!($family $name: $a -> $r);)*
            [$(concat!(
                stringify!($family), "(", stringify!($name), ": ", stringify!($a), " -> ",
                stringify!($r), ")"
            )),*]
        }};
    }

    /// Every numeric op of the microcode ISA has its function here, with the family's signature:
    /// the list below is type-checked against this module, then compared with `isa.rs`.
    #[test]
    fn every_isa_op_has_its_function() {
        let ours = signatures! {
            unary i32_eqz: i32 -> i32;
            unary i32_clz: i32 -> i32;
            unary i32_ctz: i32 -> i32;
            unary i32_popcnt: i32 -> i32;
            unary i32_extend8_s: i32 -> i32;
            unary i32_extend16_s: i32 -> i32;
            unary i64_eqz: i64 -> i32;
            unary i64_clz: i64 -> i64;
            unary i64_ctz: i64 -> i64;
            unary i64_popcnt: i64 -> i64;
            unary i64_extend8_s: i64 -> i64;
            unary i64_extend16_s: i64 -> i64;
            unary i64_extend32_s: i64 -> i64;
            unary f32_abs: f32 -> f32;
            unary f32_neg: f32 -> f32;
            unary f32_ceil: f32 -> f32;
            unary f32_floor: f32 -> f32;
            unary f32_trunc: f32 -> f32;
            unary f32_nearest: f32 -> f32;
            unary f32_sqrt: f32 -> f32;
            unary f64_abs: f64 -> f64;
            unary f64_neg: f64 -> f64;
            unary f64_ceil: f64 -> f64;
            unary f64_floor: f64 -> f64;
            unary f64_trunc: f64 -> f64;
            unary f64_nearest: f64 -> f64;
            unary f64_sqrt: f64 -> f64;
            unary i32_wrap_i64: i64 -> i32;
            unary i64_extend_i32_s: i32 -> i64;
            unary i64_extend_i32_u: i32 -> i64;
            unary f32_convert_i32_s: i32 -> f32;
            unary f32_convert_i32_u: i32 -> f32;
            unary f32_convert_i64_s: i64 -> f32;
            unary f32_convert_i64_u: i64 -> f32;
            unary f32_demote_f64: f64 -> f32;
            unary f64_convert_i32_s: i32 -> f64;
            unary f64_convert_i32_u: i32 -> f64;
            unary f64_convert_i64_s: i64 -> f64;
            unary f64_convert_i64_u: i64 -> f64;
            unary f64_promote_f32: f32 -> f64;
            unary i32_trunc_sat_f32_s: f32 -> i32;
            unary i32_trunc_sat_f32_u: f32 -> i32;
            unary i32_trunc_sat_f64_s: f64 -> i32;
            unary i32_trunc_sat_f64_u: f64 -> i32;
            unary i64_trunc_sat_f32_s: f32 -> i64;
            unary i64_trunc_sat_f32_u: f32 -> i64;
            unary i64_trunc_sat_f64_s: f64 -> i64;
            unary i64_trunc_sat_f64_u: f64 -> i64;
            unary_trap i32_trunc_f32_s: f32 -> i32;
            unary_trap i32_trunc_f32_u: f32 -> i32;
            unary_trap i32_trunc_f64_s: f64 -> i32;
            unary_trap i32_trunc_f64_u: f64 -> i32;
            unary_trap i64_trunc_f32_s: f32 -> i64;
            unary_trap i64_trunc_f32_u: f32 -> i64;
            unary_trap i64_trunc_f64_s: f64 -> i64;
            unary_trap i64_trunc_f64_u: f64 -> i64;
            binary i32_eq: i32 -> i32;
            binary i32_ne: i32 -> i32;
            binary i32_lt_s: i32 -> i32;
            binary i32_lt_u: i32 -> i32;
            binary i32_gt_s: i32 -> i32;
            binary i32_gt_u: i32 -> i32;
            binary i32_le_s: i32 -> i32;
            binary i32_le_u: i32 -> i32;
            binary i32_ge_s: i32 -> i32;
            binary i32_ge_u: i32 -> i32;
            binary i32_add: i32 -> i32;
            binary i32_sub: i32 -> i32;
            binary i32_mul: i32 -> i32;
            binary i32_and: i32 -> i32;
            binary i32_or: i32 -> i32;
            binary i32_xor: i32 -> i32;
            binary i32_shl: i32 -> i32;
            binary i32_shr_s: i32 -> i32;
            binary i32_shr_u: i32 -> i32;
            binary i32_rotl: i32 -> i32;
            binary i32_rotr: i32 -> i32;
            binary i64_eq: i64 -> i32;
            binary i64_ne: i64 -> i32;
            binary i64_lt_s: i64 -> i32;
            binary i64_lt_u: i64 -> i32;
            binary i64_gt_s: i64 -> i32;
            binary i64_gt_u: i64 -> i32;
            binary i64_le_s: i64 -> i32;
            binary i64_le_u: i64 -> i32;
            binary i64_ge_s: i64 -> i32;
            binary i64_ge_u: i64 -> i32;
            binary i64_add: i64 -> i64;
            binary i64_sub: i64 -> i64;
            binary i64_mul: i64 -> i64;
            binary i64_and: i64 -> i64;
            binary i64_or: i64 -> i64;
            binary i64_xor: i64 -> i64;
            binary i64_shl: i64 -> i64;
            binary i64_shr_s: i64 -> i64;
            binary i64_shr_u: i64 -> i64;
            binary i64_rotl: i64 -> i64;
            binary i64_rotr: i64 -> i64;
            binary f32_eq: f32 -> i32;
            binary f32_ne: f32 -> i32;
            binary f32_lt: f32 -> i32;
            binary f32_gt: f32 -> i32;
            binary f32_le: f32 -> i32;
            binary f32_ge: f32 -> i32;
            binary f32_add: f32 -> f32;
            binary f32_sub: f32 -> f32;
            binary f32_mul: f32 -> f32;
            binary f32_div: f32 -> f32;
            binary f32_min: f32 -> f32;
            binary f32_max: f32 -> f32;
            binary f32_copysign: f32 -> f32;
            binary f64_eq: f64 -> i32;
            binary f64_ne: f64 -> i32;
            binary f64_lt: f64 -> i32;
            binary f64_gt: f64 -> i32;
            binary f64_le: f64 -> i32;
            binary f64_ge: f64 -> i32;
            binary f64_add: f64 -> f64;
            binary f64_sub: f64 -> f64;
            binary f64_mul: f64 -> f64;
            binary f64_div: f64 -> f64;
            binary f64_min: f64 -> f64;
            binary f64_max: f64 -> f64;
            binary f64_copysign: f64 -> f64;
            binary_trap i32_div_s: i32 -> i32;
            binary_trap i32_div_u: i32 -> i32;
            binary_trap i32_rem_s: i32 -> i32;
            binary_trap i32_rem_u: i32 -> i32;
            binary_trap i64_div_s: i64 -> i64;
            binary_trap i64_div_u: i64 -> i64;
            binary_trap i64_rem_s: i64 -> i64;
            binary_trap i64_rem_u: i64 -> i64;
        };
        let isa = include_str!("../../fayasm-ir/src/isa.rs");
        let mut theirs: Vec<&str> = isa
            .lines()
            .filter_map(|line| {
                let tail = line.rsplit_once("} ")?.1.trim().strip_suffix(';')?;
                ["unary(", "unary_trap(", "binary(", "binary_trap("]
                    .iter()
                    .any(|family| tail.starts_with(family))
                    .then_some(tail)
            })
            .collect();
        let mut ours: Vec<&str> = ours.to_vec();
        theirs.sort_unstable();
        ours.sort_unstable();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn integer_unary() {
        assert_eq!(i32_eqz(0), 1);
        assert_eq!(i32_eqz(i32::MIN), 0);
        assert_eq!(i64_eqz(0), 1);
        assert_eq!(i64_eqz(1 << 40), 0);
        assert_eq!(i32_clz(0), 32);
        assert_eq!(i32_clz(1), 31);
        assert_eq!(i32_clz(-1), 0);
        assert_eq!(i32_ctz(0), 32);
        assert_eq!(i32_ctz(i32::MIN), 31);
        assert_eq!(i32_popcnt(-1), 32);
        assert_eq!(i32_popcnt(0x5555_5555), 16);
        assert_eq!(i64_clz(0), 64);
        assert_eq!(i64_clz(1), 63);
        assert_eq!(i64_ctz(0), 64);
        assert_eq!(i64_ctz(i64::MIN), 63);
        assert_eq!(i64_popcnt(-1), 64);
        assert_eq!(i32_extend8_s(0x80), -128);
        assert_eq!(i32_extend8_s(0x7f), 127);
        assert_eq!(i32_extend8_s(0x1234_56ff), -1);
        assert_eq!(i32_extend16_s(0x8000), -32768);
        assert_eq!(i32_extend16_s(0x0001_7fff), 0x7fff);
        assert_eq!(i64_extend8_s(0x80), -128);
        assert_eq!(i64_extend16_s(0xffff_8000), -32768);
        assert_eq!(i64_extend32_s(0x8000_0000), -0x8000_0000);
        assert_eq!(i64_extend32_s(0x1_7fff_ffff), 0x7fff_ffff);
    }

    #[test]
    fn integer_comparisons_signed_and_unsigned() {
        assert_eq!(i32_lt_s(-1, 0), 1);
        assert_eq!(i32_lt_u(-1, 0), 0);
        assert_eq!(i32_gt_u(-1, 0), 1);
        assert_eq!(i32_le_u(i32::MIN, i32::MAX), 0);
        assert_eq!(i32_ge_u(i32::MIN, i32::MAX), 1);
        assert_eq!(i32_le_s(5, 5), 1);
        assert_eq!(i32_ge_s(i32::MIN, i32::MAX), 0);
        assert_eq!(i32_gt_s(0, -1), 1);
        assert_eq!((i32_eq(3, 3), i32_ne(3, 3)), (1, 0));
        assert_eq!(i64_lt_s(-1, 0), 1);
        assert_eq!(i64_lt_u(-1, 0), 0);
        assert_eq!(i64_gt_s(0, -1), 1);
        assert_eq!(i64_gt_u(-1, 0), 1);
        assert_eq!(i64_le_s(i64::MIN, i64::MAX), 1);
        assert_eq!(i64_le_u(i64::MIN, i64::MAX), 0);
        assert_eq!(i64_ge_s(i64::MIN, i64::MAX), 0);
        assert_eq!(i64_ge_u(i64::MIN, i64::MAX), 1);
        assert_eq!((i64_eq(1 << 40, 1 << 40), i64_ne(1 << 40, 0)), (1, 1));
    }

    #[test]
    fn integer_arithmetic_wraps() {
        assert_eq!(i32_add(i32::MAX, 1), i32::MIN);
        assert_eq!(i32_sub(i32::MIN, 1), i32::MAX);
        assert_eq!(i32_mul(0x1000_0000, 16), 0);
        assert_eq!(i32_mul(i32::MIN, -1), i32::MIN);
        assert_eq!(i64_add(i64::MAX, 1), i64::MIN);
        assert_eq!(i64_sub(i64::MIN, 1), i64::MAX);
        assert_eq!(
            i64_mul(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210_u64 as i64),
            0x2236_d88f_e561_8cf0
        );
        assert_eq!(i32_and(0xf0, 0x3c), 0x30);
        assert_eq!(i32_or(0xf0, 0x0f), 0xff);
        assert_eq!(i32_xor(-1, 0x0f), !0x0f);
        assert_eq!(i64_and(-1, 1 << 40), 1 << 40);
        assert_eq!(i64_or(1 << 40, 1), (1 << 40) | 1);
        assert_eq!(i64_xor(-1, 0), -1);
    }

    #[test]
    fn division_and_remainder() {
        use TrapCode::{IntegerDivideByZero as Zero, IntegerOverflow as Overflow};
        assert_eq!(i32_div_s(1, 0), Err(Zero));
        assert_eq!(i32_div_s(i32::MIN, 0), Err(Zero));
        assert_eq!(i32_div_s(i32::MIN, -1), Err(Overflow));
        assert_eq!(i32_div_s(i32::MIN, 1), Ok(i32::MIN));
        assert_eq!(i32_div_s(-7, 2), Ok(-3));
        assert_eq!(i32_div_s(7, -2), Ok(-3));
        assert_eq!(i32_div_u(1, 0), Err(Zero));
        assert_eq!(i32_div_u(i32::MIN, -1), Ok(0));
        assert_eq!(i32_div_u(-1, 2), Ok(i32::MAX));
        assert_eq!(i32_rem_s(1, 0), Err(Zero));
        assert_eq!(i32_rem_s(i32::MIN, -1), Ok(0));
        assert_eq!(i32_rem_s(-7, 2), Ok(-1));
        assert_eq!(i32_rem_s(7, -2), Ok(1));
        assert_eq!(i32_rem_u(1, 0), Err(Zero));
        assert_eq!(i32_rem_u(-7, 2), Ok(1));
        assert_eq!(i32_rem_u(i32::MIN, -1), Ok(i32::MIN));
        assert_eq!(i64_div_s(1, 0), Err(Zero));
        assert_eq!(i64_div_s(i64::MIN, 0), Err(Zero));
        assert_eq!(i64_div_s(i64::MIN, -1), Err(Overflow));
        assert_eq!(i64_div_s(-7, 2), Ok(-3));
        assert_eq!(i64_div_u(1, 0), Err(Zero));
        assert_eq!(i64_div_u(-1, 2), Ok(i64::MAX));
        assert_eq!(i64_div_u(i64::MIN, -1), Ok(0));
        assert_eq!(i64_rem_s(1, 0), Err(Zero));
        assert_eq!(i64_rem_s(i64::MIN, -1), Ok(0));
        assert_eq!(i64_rem_s(-7, 2), Ok(-1));
        assert_eq!(i64_rem_u(1, 0), Err(Zero));
        assert_eq!(i64_rem_u(-7, 2), Ok(1));
    }

    #[test]
    fn shifts_mask_the_count() {
        assert_eq!(i32_shl(1, 31), i32::MIN);
        assert_eq!(i32_shl(1, 32), 1);
        assert_eq!(i32_shl(1, 33), 2);
        assert_eq!(i32_shl(1, -1), i32::MIN);
        assert_eq!(i32_shr_s(i32::MIN, 31), -1);
        assert_eq!(i32_shr_s(-8, 32), -8);
        assert_eq!(i32_shr_s(-8, 33), -4);
        assert_eq!(i32_shr_s(i32::MIN, -1), -1);
        assert_eq!(i32_shr_u(-1, 31), 1);
        assert_eq!(i32_shr_u(-1, 32), -1);
        assert_eq!(i32_shr_u(-8, 33), 0x7fff_fffc);
        assert_eq!(i32_shr_u(-1, -1), 1);
        assert_eq!(i64_shl(1, 63), i64::MIN);
        assert_eq!(i64_shl(1, 64), 1);
        assert_eq!(i64_shl(1, 65), 2);
        assert_eq!(i64_shl(1, -1), i64::MIN);
        assert_eq!(i64_shl(1, 32), 1 << 32);
        assert_eq!(i64_shr_s(i64::MIN, 63), -1);
        assert_eq!(i64_shr_s(-8, 64), -8);
        assert_eq!(i64_shr_s(-8, 65), -4);
        assert_eq!(i64_shr_s(i64::MIN, -1), -1);
        assert_eq!(i64_shr_u(-1, 63), 1);
        assert_eq!(i64_shr_u(-1, 64), -1);
        assert_eq!(i64_shr_u(-1, -1), 1);
        assert_eq!(i64_shr_u(-1, 32), 0xffff_ffff);
    }

    #[test]
    fn rotations() {
        assert_eq!(i32_rotl(0x8000_0001_u32 as i32, 1), 3);
        assert_eq!(i32_rotl(0x1234_5678, 32), 0x1234_5678);
        assert_eq!(i32_rotl(0x1234_5678, 36), 0x2345_6781);
        assert_eq!(i32_rotl(1, -1), i32::MIN);
        assert_eq!(i32_rotr(1, 1), i32::MIN);
        assert_eq!(i32_rotr(0x1234_5678, 4), 0x8123_4567_u32 as i32);
        assert_eq!(i32_rotr(0x1234_5678, 33), 0x091a_2b3c);
        assert_eq!(i32_rotr(i32::MIN, -1), 1);
        assert_eq!(i64_rotl(1, 63), i64::MIN);
        assert_eq!(i64_rotl(1, 64), 1);
        assert_eq!(i64_rotl(1, 65), 2);
        assert_eq!(i64_rotl(i64::MIN, 1), 1);
        assert_eq!(i64_rotl(1, -1), i64::MIN);
        assert_eq!(i64_rotr(1, 1), i64::MIN);
        assert_eq!(i64_rotr(1, 64), 1);
        assert_eq!(i64_rotr(1, -1), 2);
        assert_eq!(i64_rotr(0x0123_4567_89ab_cdef, 8), 0xef01_2345_6789_abcd_u64 as i64);
    }

    #[test]
    fn sign_bit_operations_keep_nan_payloads() {
        for (bits, abs, neg) in [
            (F32_SNAN, F32_SNAN, F32_SNAN | F32_SIGN),
            (F32_SNAN | F32_SIGN, F32_SNAN, F32_SNAN),
            (0x7fc0_0001, 0x7fc0_0001, 0xffc0_0001),
            (0x8000_0000, 0, 0),
            (0, 0, 0x8000_0000),
        ] {
            assert_eq!(f32_abs(f32b(bits)).to_bits(), abs);
            assert_eq!(f32_neg(f32b(bits)).to_bits(), neg);
        }
        assert_eq!(f32_copysign(f32b(F32_SNAN), -1.0).to_bits(), F32_SNAN | F32_SIGN);
        assert_eq!(f32_copysign(f32b(F32_SNAN | F32_SIGN), 0.0).to_bits(), F32_SNAN);
        assert_eq!(f32_copysign(1.0, f32b(0xffc0_0000)).to_bits(), (-1.0_f32).to_bits());
        assert_eq!(f32_copysign(-2.0, f32b(0x7fc0_0000)), 2.0);
        assert_eq!(f32_copysign(0.0, -0.0).to_bits(), 0x8000_0000);
        for (bits, abs, neg) in [
            (F64_SNAN, F64_SNAN, F64_SNAN | F64_SIGN),
            (F64_SNAN | F64_SIGN, F64_SNAN, F64_SNAN),
            (0x7ff8_0000_0000_0001, 0x7ff8_0000_0000_0001, 0xfff8_0000_0000_0001),
            (F64_SIGN, 0, 0),
            (0, 0, F64_SIGN),
        ] {
            assert_eq!(f64_abs(f64b(bits)).to_bits(), abs);
            assert_eq!(f64_neg(f64b(bits)).to_bits(), neg);
        }
        assert_eq!(f64_copysign(f64b(F64_SNAN), -1.0).to_bits(), F64_SNAN | F64_SIGN);
        assert_eq!(f64_copysign(f64b(F64_SNAN | F64_SIGN), 0.0).to_bits(), F64_SNAN);
        assert_eq!(f64_copysign(1.0, f64b(0xfff8_0000_0000_0000)), -1.0);
        assert_eq!(f64_copysign(0.0, -0.0).to_bits(), F64_SIGN);
    }

    #[test]
    fn min_max_nan_and_signed_zeros() {
        assert_eq!(f32_min(-0.0, 0.0).to_bits(), 0x8000_0000);
        assert_eq!(f32_min(0.0, -0.0).to_bits(), 0x8000_0000);
        assert_eq!(f32_max(-0.0, 0.0).to_bits(), 0);
        assert_eq!(f32_max(0.0, -0.0).to_bits(), 0);
        assert_eq!(f32_min(0.0, 0.0).to_bits(), 0);
        assert_eq!(f32_max(-0.0, -0.0).to_bits(), 0x8000_0000);
        assert_eq!(f32_min(1.0, 2.0), 1.0);
        assert_eq!(f32_max(1.0, 2.0), 2.0);
        assert_eq!(f32_min(f32::NEG_INFINITY, f32::MIN), f32::NEG_INFINITY);
        assert_eq!(f32_max(f32::INFINITY, f32::MAX), f32::INFINITY);
        for (a, b) in [
            (f32::NAN, 1.0),
            (1.0, f32::NAN),
            (f32b(F32_SNAN), 0.0),
            (f32::INFINITY, f32b(F32_SNAN | F32_SIGN)),
            (f32::NAN, f32::NAN),
        ] {
            assert!(is_arithmetic_f32(f32_min(a, b)));
            assert!(is_arithmetic_f32(f32_max(a, b)));
        }
        assert_eq!(f32_min(f32::NAN, 1.0).to_bits() & !F32_SIGN, 0x7fc0_0000);
        assert_eq!(f64_min(-0.0, 0.0).to_bits(), F64_SIGN);
        assert_eq!(f64_min(0.0, -0.0).to_bits(), F64_SIGN);
        assert_eq!(f64_max(-0.0, 0.0).to_bits(), 0);
        assert_eq!(f64_max(0.0, -0.0).to_bits(), 0);
        assert_eq!(f64_min(-1.5, 2.0), -1.5);
        assert_eq!(f64_max(-1.5, 2.0), 2.0);
        for (a, b) in [
            (f64::NAN, 1.0),
            (1.0, f64::NAN),
            (f64b(F64_SNAN), 0.0),
            (f64::NEG_INFINITY, f64b(F64_SNAN | F64_SIGN)),
        ] {
            assert!(is_arithmetic_f64(f64_min(a, b)));
            assert!(is_arithmetic_f64(f64_max(a, b)));
        }
        assert_eq!(f64_max(1.0, f64::NAN).to_bits() & !F64_SIGN, 0x7ff8_0000_0000_0000);
    }

    #[test]
    fn float_comparisons() {
        for (a, b) in [(f32::NAN, 1.0), (1.0, f32::NAN), (f32::NAN, f32::NAN)] {
            assert_eq!(
                [
                    f32_eq(a, b),
                    f32_ne(a, b),
                    f32_lt(a, b),
                    f32_gt(a, b),
                    f32_le(a, b),
                    f32_ge(a, b)
                ],
                [0, 1, 0, 0, 0, 0]
            );
        }
        assert_eq!([f32_eq(-0.0, 0.0), f32_lt(-0.0, 0.0), f32_le(-0.0, 0.0)], [1, 0, 1]);
        assert_eq!([f32_lt(1.0, 2.0), f32_gt(1.0, 2.0), f32_ge(2.0, 2.0)], [1, 0, 1]);
        for (a, b) in [(f64::NAN, 1.0), (1.0, f64::NAN), (f64::NAN, f64::NAN)] {
            assert_eq!(
                [
                    f64_eq(a, b),
                    f64_ne(a, b),
                    f64_lt(a, b),
                    f64_gt(a, b),
                    f64_le(a, b),
                    f64_ge(a, b)
                ],
                [0, 1, 0, 0, 0, 0]
            );
        }
        assert_eq!([f64_eq(-0.0, 0.0), f64_ne(-0.0, 0.0), f64_ge(-0.0, 0.0)], [1, 0, 1]);
        assert_eq!([f64_lt(1.0, 2.0), f64_gt(1.0, 2.0), f64_le(3.0, 2.0)], [1, 0, 0]);
    }

    #[test]
    fn float_arithmetic() {
        assert_eq!(f32_add(0.1, 0.2), 0.1_f32 + 0.2_f32);
        assert_eq!(f32_sub(1.0, 0.5), 0.5);
        assert_eq!(f32_mul(3.0, -2.0), -6.0);
        assert_eq!(f32_div(1.0, 0.0), f32::INFINITY);
        assert_eq!(f32_div(-1.0, 0.0), f32::NEG_INFINITY);
        assert!(is_arithmetic_f32(f32_div(0.0, 0.0)));
        assert!(is_arithmetic_f32(f32_add(f32::INFINITY, f32::NEG_INFINITY)));
        assert!(is_arithmetic_f32(f32_add(f32b(F32_SNAN), 1.0)));
        assert_eq!(f32_add(-0.0, -0.0).to_bits(), 0x8000_0000);
        assert_eq!(f32_sub(0.0, 0.0).to_bits(), 0);
        assert_eq!(f64_add(0.1, 0.2), 0.300_000_000_000_000_04);
        assert_eq!(f64_sub(1.0, 0.5), 0.5);
        assert_eq!(f64_mul(3.0, -2.0), -6.0);
        assert_eq!(f64_div(1.0, -0.0), f64::NEG_INFINITY);
        assert!(is_arithmetic_f64(f64_mul(0.0, f64::INFINITY)));
        assert!(is_arithmetic_f64(f64_sub(f64b(F64_SNAN), 1.0)));
        assert_eq!(f32_sqrt(4.0), 2.0);
        assert_eq!(f32_sqrt(-0.0).to_bits(), 0x8000_0000);
        assert_eq!(f32_sqrt(f32::INFINITY), f32::INFINITY);
        assert!(is_arithmetic_f32(f32_sqrt(-1.0)));
        assert!(is_arithmetic_f32(f32_sqrt(f32b(F32_SNAN))));
        assert_eq!(f64_sqrt(2.0), core::f64::consts::SQRT_2);
        assert_eq!(f64_sqrt(-0.0).to_bits(), F64_SIGN);
        assert!(is_arithmetic_f64(f64_sqrt(-1.0)));
        assert!(is_arithmetic_f64(f64_sqrt(f64b(F64_SNAN))));
    }

    #[test]
    fn rounding() {
        for (x, n) in [
            (0.5, 0.0),
            (1.5, 2.0),
            (2.5, 2.0),
            (3.5, 4.0),
            (-0.5, -0.0),
            (-1.5, -2.0),
            (-2.5, -2.0),
            (0.499_999_97, 0.0),
            (8_388_609.0, 8_388_609.0),
            (f32::INFINITY, f32::INFINITY),
        ] {
            assert_eq!(f32_nearest(x).to_bits(), f32::to_bits(n), "nearest({x})");
        }
        for (x, n) in [
            (0.5, 0.0),
            (1.5, 2.0),
            (2.5, 2.0),
            (-0.5, -0.0),
            (-2.5, -2.0),
            (0.499_999_999_999_999_94, 0.0),
            (4_503_599_627_370_497.0, 4_503_599_627_370_497.0),
            (f64::NEG_INFINITY, f64::NEG_INFINITY),
        ] {
            assert_eq!(f64_nearest(x).to_bits(), f64::to_bits(n), "nearest({x})");
        }
        // (input, ceil, floor, trunc)
        for (x, c, f, t) in [
            (0.5_f32, 1.0_f32, 0.0_f32, 0.0_f32),
            (-0.5, -0.0, -1.0, -0.0),
            (-0.0, -0.0, -0.0, -0.0),
            (1.9, 2.0, 1.0, 1.0),
            (-1.9, -1.0, -2.0, -1.0),
            (16_777_215.0, 16_777_215.0, 16_777_215.0, 16_777_215.0),
            (f32::NEG_INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY),
        ] {
            assert_eq!(f32_ceil(x).to_bits(), c.to_bits(), "ceil({x})");
            assert_eq!(f32_floor(x).to_bits(), f.to_bits(), "floor({x})");
            assert_eq!(f32_trunc(x).to_bits(), t.to_bits(), "trunc({x})");
        }
        for (x, c, f, t) in [
            (0.5_f64, 1.0_f64, 0.0_f64, 0.0_f64),
            (-0.5, -0.0, -1.0, -0.0),
            (-0.0, -0.0, -0.0, -0.0),
            (1.9, 2.0, 1.0, 1.0),
            (-1.9, -1.0, -2.0, -1.0),
            (f64::INFINITY, f64::INFINITY, f64::INFINITY, f64::INFINITY),
        ] {
            assert_eq!(f64_ceil(x).to_bits(), c.to_bits(), "ceil({x})");
            assert_eq!(f64_floor(x).to_bits(), f.to_bits(), "floor({x})");
            assert_eq!(f64_trunc(x).to_bits(), t.to_bits(), "trunc({x})");
        }
        for nan in [f32b(F32_SNAN), f32b(F32_SNAN | F32_SIGN), f32::NAN] {
            for r in [f32_ceil(nan), f32_floor(nan), f32_trunc(nan), f32_nearest(nan)] {
                assert!(is_arithmetic_f32(r));
            }
        }
        for nan in [f64b(F64_SNAN), f64b(F64_SNAN | F64_SIGN), f64::NAN] {
            for r in [f64_ceil(nan), f64_floor(nan), f64_trunc(nan), f64_nearest(nan)] {
                assert!(is_arithmetic_f64(r));
            }
        }
    }

    #[test]
    fn integer_conversions() {
        assert_eq!(i32_wrap_i64(0x1_8000_0001), i32::MIN + 1);
        assert_eq!(i32_wrap_i64(-1), -1);
        assert_eq!(i64_extend_i32_s(-1), -1);
        assert_eq!(i64_extend_i32_u(-1), 0xffff_ffff);
        assert_eq!(i64_extend_i32_u(i32::MIN), 0x8000_0000);
    }

    #[test]
    fn int_to_float_conversions_round_to_nearest_even() {
        assert_eq!(f32_convert_i32_s(-1), -1.0);
        assert_eq!(f32_convert_i32_s(16_777_217), 16_777_216.0);
        assert_eq!(f32_convert_i32_s(16_777_219), 16_777_220.0);
        assert_eq!(f32_convert_i32_s(i32::MIN), -2_147_483_648.0);
        assert_eq!(f32_convert_i32_u(-1), 4_294_967_296.0);
        assert_eq!(f32_convert_i32_u(i32::MIN), 2_147_483_648.0);
        assert_eq!(f32_convert_i64_s(9_007_199_791_611_905), 9_007_200_328_482_816.0);
        assert_eq!(f32_convert_i64_s(i64::MIN), -9_223_372_036_854_775_808.0);
        assert_eq!(f32_convert_i64_u(-1), 18_446_744_073_709_551_616.0);
        assert_eq!(
            f32_convert_i64_u(0x8000_0080_0000_0001_u64 as i64),
            9_223_373_136_366_403_584.0
        );
        assert_eq!(f64_convert_i32_s(i32::MIN), -2_147_483_648.0);
        assert_eq!(f64_convert_i32_u(-1), 4_294_967_295.0);
        assert_eq!(f64_convert_i64_s(9_007_199_254_740_993), 9_007_199_254_740_992.0);
        assert_eq!(f64_convert_i64_s(9_007_199_254_740_995), 9_007_199_254_740_996.0);
        assert_eq!(f64_convert_i64_u(-1), 18_446_744_073_709_551_616.0);
        assert_eq!(
            f64_convert_i64_u(0x8000_0000_0000_0401_u64 as i64),
            9_223_372_036_854_777_856.0
        );
    }

    #[test]
    fn demote_and_promote() {
        assert_eq!(f32_demote_f64(1.5), 1.5);
        assert_eq!(f32_demote_f64(f64::MAX), f32::INFINITY);
        assert_eq!(f32_demote_f64(-f64::MAX), f32::NEG_INFINITY);
        assert_eq!(f32_demote_f64(1e-50).to_bits(), 0);
        assert_eq!(f32_demote_f64(-1e-50).to_bits(), 0x8000_0000);
        assert_eq!(f32_demote_f64(f64::from(f32::MAX)), f32::MAX);
        // Exactly halfway between f32::MAX and the next "f32" (2^128): ties to even, i.e. infinity.
        assert_eq!(
            f32_demote_f64(340_282_356_779_733_661_637_539_395_458_142_568_448.0),
            f32::INFINITY
        );
        assert_eq!(f32_demote_f64(0.1), 0.1_f32);
        assert_eq!(f32_demote_f64(f64b(0x7ff8_0000_0000_0000)).to_bits(), 0x7fc0_0000);
        assert_eq!(f32_demote_f64(f64b(0xfff8_0000_0000_0000)).to_bits(), 0xffc0_0000);
        assert_eq!(f32_demote_f64(f64b(F64_SNAN)).to_bits(), 0x7fe0_0000);
        assert!(is_arithmetic_f32(f32_demote_f64(f64b(0x7ff0_0000_0000_0001))));
        assert_eq!(f64_promote_f32(1.5), 1.5);
        assert_eq!(f64_promote_f32(-0.0).to_bits(), F64_SIGN);
        assert_eq!(f64_promote_f32(f32::NEG_INFINITY), f64::NEG_INFINITY);
        assert_eq!(f64_promote_f32(f32b(1)), 1.401_298_464_324_817e-45);
        assert_eq!(f64_promote_f32(f32b(0x7fc0_0000)).to_bits(), 0x7ff8_0000_0000_0000);
        assert_eq!(f64_promote_f32(f32b(0xffc0_0000)).to_bits(), 0xfff8_0000_0000_0000);
        assert_eq!(f64_promote_f32(f32b(F32_SNAN)).to_bits(), 0x7ffc_0000_0000_0000);
        assert!(is_arithmetic_f64(f64_promote_f32(f32b(0x7f80_0001))));
    }

    const INVALID: TrapCode = TrapCode::InvalidConversionToInteger;
    const OVERFLOW: TrapCode = TrapCode::IntegerOverflow;

    #[test]
    fn trapping_truncation_f32_to_i32() {
        let s = i32_trunc_f32_s;
        assert_eq!(s(-2_147_483_648.0), Ok(i32::MIN));
        assert_eq!(s(-2_147_483_904.0), Err(OVERFLOW));
        assert_eq!(s(2_147_483_520.0), Ok(2_147_483_520));
        assert_eq!(s(2_147_483_648.0), Err(OVERFLOW));
        assert_eq!(s(-0.0), Ok(0));
        assert_eq!(s(1.9), Ok(1));
        assert_eq!(s(-1.9), Ok(-1));
        assert_eq!(s(f32::INFINITY), Err(OVERFLOW));
        assert_eq!(s(f32::NEG_INFINITY), Err(OVERFLOW));
        assert_eq!(s(f32::NAN), Err(INVALID));
        assert_eq!(s(f32b(F32_SNAN | F32_SIGN)), Err(INVALID));
        let u = i32_trunc_f32_u;
        assert_eq!(u(-0.9), Ok(0));
        assert_eq!(u(-0.0), Ok(0));
        assert_eq!(u(-1.0), Err(OVERFLOW));
        assert_eq!(u(4_294_967_040.0), Ok(0xffff_ff00_u32 as i32));
        assert_eq!(u(4_294_967_296.0), Err(OVERFLOW));
        assert_eq!(u(2_147_483_648.0), Ok(i32::MIN));
        assert_eq!(u(f32::INFINITY), Err(OVERFLOW));
        assert_eq!(u(f32::NEG_INFINITY), Err(OVERFLOW));
        assert_eq!(u(f32::NAN), Err(INVALID));
        assert_eq!(u(f32b(F32_SNAN)), Err(INVALID));
    }

    #[test]
    fn trapping_truncation_f64_to_i32() {
        let s = i32_trunc_f64_s;
        assert_eq!(s(-2_147_483_648.9), Ok(i32::MIN));
        assert_eq!(s(-2_147_483_649.0), Err(OVERFLOW));
        assert_eq!(s(2_147_483_647.9), Ok(i32::MAX));
        assert_eq!(s(2_147_483_648.0), Err(OVERFLOW));
        assert_eq!(s(-0.0), Ok(0));
        assert_eq!(s(-1.5), Ok(-1));
        assert_eq!(s(f64::INFINITY), Err(OVERFLOW));
        assert_eq!(s(f64::NEG_INFINITY), Err(OVERFLOW));
        assert_eq!(s(f64::NAN), Err(INVALID));
        assert_eq!(s(f64b(F64_SNAN | F64_SIGN)), Err(INVALID));
        let u = i32_trunc_f64_u;
        assert_eq!(u(-0.9), Ok(0));
        assert_eq!(u(-0.0), Ok(0));
        assert_eq!(u(-1.0), Err(OVERFLOW));
        assert_eq!(u(4_294_967_295.9), Ok(-1));
        assert_eq!(u(4_294_967_296.0), Err(OVERFLOW));
        assert_eq!(u(1e16), Err(OVERFLOW));
        assert_eq!(u(f64::INFINITY), Err(OVERFLOW));
        assert_eq!(u(f64::NEG_INFINITY), Err(OVERFLOW));
        assert_eq!(u(f64::NAN), Err(INVALID));
    }

    #[test]
    fn trapping_truncation_f32_to_i64() {
        let s = i64_trunc_f32_s;
        assert_eq!(s(-9_223_372_036_854_775_808.0), Ok(i64::MIN));
        assert_eq!(s(-9_223_373_136_366_403_584.0), Err(OVERFLOW));
        assert_eq!(s(9_223_371_487_098_961_920.0), Ok(9_223_371_487_098_961_920));
        assert_eq!(s(9_223_372_036_854_775_808.0), Err(OVERFLOW));
        assert_eq!(s(-0.0), Ok(0));
        assert_eq!(s(-1.9), Ok(-1));
        assert_eq!(s(f32::INFINITY), Err(OVERFLOW));
        assert_eq!(s(f32::NEG_INFINITY), Err(OVERFLOW));
        assert_eq!(s(f32::NAN), Err(INVALID));
        let u = i64_trunc_f32_u;
        assert_eq!(u(-0.9), Ok(0));
        assert_eq!(u(-0.0), Ok(0));
        assert_eq!(u(-1.0), Err(OVERFLOW));
        assert_eq!(u(18_446_742_974_197_923_840.0), Ok(-1_099_511_627_776));
        assert_eq!(u(18_446_744_073_709_551_616.0), Err(OVERFLOW));
        assert_eq!(u(f32::INFINITY), Err(OVERFLOW));
        assert_eq!(u(f32::NEG_INFINITY), Err(OVERFLOW));
        assert_eq!(u(f32b(F32_SNAN)), Err(INVALID));
    }

    #[test]
    fn trapping_truncation_f64_to_i64() {
        let s = i64_trunc_f64_s;
        assert_eq!(s(-9_223_372_036_854_775_808.0), Ok(i64::MIN));
        assert_eq!(s(-9_223_372_036_854_777_856.0), Err(OVERFLOW));
        assert_eq!(s(9_223_372_036_854_774_784.0), Ok(9_223_372_036_854_774_784));
        assert_eq!(s(9_223_372_036_854_775_808.0), Err(OVERFLOW));
        assert_eq!(s(-0.0), Ok(0));
        assert_eq!(s(-1.9), Ok(-1));
        assert_eq!(s(f64::INFINITY), Err(OVERFLOW));
        assert_eq!(s(f64::NEG_INFINITY), Err(OVERFLOW));
        assert_eq!(s(f64::NAN), Err(INVALID));
        let u = i64_trunc_f64_u;
        assert_eq!(u(-0.9), Ok(0));
        assert_eq!(u(-0.0), Ok(0));
        assert_eq!(u(-1.0), Err(OVERFLOW));
        assert_eq!(u(18_446_744_073_709_549_568.0), Ok(-2048));
        assert_eq!(u(18_446_744_073_709_551_616.0), Err(OVERFLOW));
        assert_eq!(u(f64::INFINITY), Err(OVERFLOW));
        assert_eq!(u(f64::NEG_INFINITY), Err(OVERFLOW));
        assert_eq!(u(f64b(F64_SNAN)), Err(INVALID));
    }

    #[test]
    fn saturating_truncation() {
        assert_eq!(i32_trunc_sat_f32_s(f32::NAN), 0);
        assert_eq!(i32_trunc_sat_f32_s(f32::INFINITY), i32::MAX);
        assert_eq!(i32_trunc_sat_f32_s(f32::NEG_INFINITY), i32::MIN);
        assert_eq!(i32_trunc_sat_f32_s(2_147_483_648.0), i32::MAX);
        assert_eq!(i32_trunc_sat_f32_s(-1.9), -1);
        assert_eq!(i32_trunc_sat_f32_u(f32::NAN), 0);
        assert_eq!(i32_trunc_sat_f32_u(-1.0), 0);
        assert_eq!(i32_trunc_sat_f32_u(f32::INFINITY), -1);
        assert_eq!(i32_trunc_sat_f32_u(2_147_483_648.0), i32::MIN);
        assert_eq!(i32_trunc_sat_f64_s(f64b(F64_SNAN)), 0);
        assert_eq!(i32_trunc_sat_f64_s(-2_147_483_649.0), i32::MIN);
        assert_eq!(i32_trunc_sat_f64_s(2_147_483_647.9), i32::MAX);
        assert_eq!(i32_trunc_sat_f64_u(4_294_967_295.9), -1);
        assert_eq!(i32_trunc_sat_f64_u(1e300), -1);
        assert_eq!(i32_trunc_sat_f64_u(f64::NEG_INFINITY), 0);
        assert_eq!(i64_trunc_sat_f32_s(f32::NAN), 0);
        assert_eq!(i64_trunc_sat_f32_s(f32::INFINITY), i64::MAX);
        assert_eq!(i64_trunc_sat_f32_s(-9_223_373_136_366_403_584.0), i64::MIN);
        assert_eq!(i64_trunc_sat_f32_u(f32::NAN), 0);
        assert_eq!(i64_trunc_sat_f32_u(-0.9), 0);
        assert_eq!(i64_trunc_sat_f32_u(f32::INFINITY), -1);
        assert_eq!(i64_trunc_sat_f64_s(f64::NAN), 0);
        assert_eq!(i64_trunc_sat_f64_s(9_223_372_036_854_775_808.0), i64::MAX);
        assert_eq!(i64_trunc_sat_f64_s(f64::NEG_INFINITY), i64::MIN);
        assert_eq!(i64_trunc_sat_f64_u(f64::NAN), 0);
        assert_eq!(i64_trunc_sat_f64_u(-1.0), 0);
        assert_eq!(i64_trunc_sat_f64_u(18_446_744_073_709_549_568.0), -2048);
        assert_eq!(i64_trunc_sat_f64_u(1e20), -1);
    }
    /// The wide-arithmetic operators against `i128`/`u128` arithmetic on the joined halves, at
    /// the carry and sign boundaries.
    #[test]
    fn wide_arithmetic_matches_128_bit_arithmetic() {
        let edges: [i64; 9] =
            [0, 1, -1, 2, i64::MAX, i64::MIN, i64::MIN + 1, 0x7fff_ffff, -0x1_0000_0000];
        let join = |lo: i64, hi: i64| (u128::from(hi as u64) << 64) | u128::from(lo as u64);
        let split = |v: u128| (v as u64 as i64, (v >> 64) as u64 as i64);
        for &a_lo in &edges {
            for &a_hi in &edges {
                for &b_lo in &edges {
                    for &b_hi in &edges {
                        let (a, b) = (join(a_lo, a_hi), join(b_lo, b_hi));
                        assert_eq!(i64_add128(a_lo, a_hi, b_lo, b_hi), split(a.wrapping_add(b)));
                        assert_eq!(i64_sub128(a_lo, a_hi, b_lo, b_hi), split(a.wrapping_sub(b)));
                    }
                }
            }
        }
        for &a in &edges {
            for &b in &edges {
                assert_eq!(i64_mul_wide_s(a, b), split((i128::from(a) * i128::from(b)) as u128));
                assert_eq!(
                    i64_mul_wide_u(a, b),
                    split(u128::from(a as u64) * u128::from(b as u64))
                );
            }
        }
        // Spot values: the carry out of the low half, the borrow into the high half, the
        // extremes of each product.
        assert_eq!(i64_add128(-1, 0, 1, 0), (0, 1));
        assert_eq!(i64_add128(-1, -1, 1, 0), (0, 0));
        assert_eq!(i64_sub128(0, 0, 1, 0), (-1, -1));
        assert_eq!(i64_sub128(0, 1, 1, 0), (-1, 0));
        assert_eq!(i64_mul_wide_s(i64::MIN, i64::MIN), (0, 1 << 62));
        assert_eq!(i64_mul_wide_s(-1, 1), (-1, -1));
        assert_eq!(i64_mul_wide_u(-1, -1), (1, -2));
        assert_eq!(i64_mul_wide_u(-1, 1), (-1, 0));
    }
}
