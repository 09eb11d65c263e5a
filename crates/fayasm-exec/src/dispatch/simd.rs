//! The SIMD handlers (issue #8): `simd_handler!`, which `handler!` forwards every instruction of
//! the ISA's SIMD section to, and the few helpers it needs. The lane operations themselves are
//! `fayasm_simd`'s functions (re-exported here, so the handlers name them as `simd::$f`).
//!
//! A v128 occupies two frame cells, low half first ([`V128::from_cells`]); every handler reads
//! all its operands before it writes its result (the lowering lets a result overlap them). SIMD
//! handlers neither read nor set the accumulators: the lowering never fuses around them (they
//! are not in `dst_mut`, so no instruction after them reads the accumulator). Memory 0's forms
//! use `mem_load!`/`mem_store!`, the scalar accesses' bounds checks, at their access width; the
//! forms that name their memory use `memories.rs`, as the scalar `load_m`/`store_m` do.

pub(crate) use fayasm_simd::*;

/// `v128.load`: the 16 bytes read, as a little-endian integer.
#[inline(always)]
pub(crate) fn v128_load(bits: u128) -> V128 {
    V128::from_u128(bits)
}

/// `v128.store`: the 16 bytes to write, as a little-endian integer.
#[inline(always)]
pub(crate) fn v128_store(v: V128) -> u128 {
    v.to_u128()
}

/// Reads the v128 at slot `$s` (cells `$s` and `$s + 1`) of the frame at `$sp`.
macro_rules! get_v128 {
    ($cx:ident, $sp:ident, $s:expr) => {{
        let s = $s as usize;
        crate::dispatch::simd::V128::from_cells(get!($cx, $sp, s), get!($cx, $sp, s + 1))
    }};
}

/// Writes the v128 `$v` to slot `$s` (cells `$s` and `$s + 1`) of the frame at `$sp`.
macro_rules! set_v128 {
    ($cx:ident, $sp:ident, $s:expr, $v:expr) => {{
        let (lo, hi) = crate::dispatch::simd::V128::to_cells($v);
        let s = $s as usize;
        write_slot!($cx, $sp, s, lo);
        write_slot!($cx, $sp, s + 1, hi);
    }};
}

/// The lane operation `$f` as `Some` of its result, or `None` where a NaN needs the full
/// function: [`fayasm_simd::nan_free`]'s fast path for the float operations that have one,
/// `Some` of the operation itself for every other. A handler whose fast path gave `None`
/// leaves the chain (`divert!`) and runs the full function in its `slow` twin, so the call of
/// the portable NaN rule never sits in the chained handler (which would then save registers
/// on every execution).
macro_rules! nan_free {
    (f32x4_add($($arg:expr),*)) => { fayasm_simd::nan_free::f32x4_add($($arg),*) };
    (f32x4_sub($($arg:expr),*)) => { fayasm_simd::nan_free::f32x4_sub($($arg),*) };
    (f32x4_mul($($arg:expr),*)) => { fayasm_simd::nan_free::f32x4_mul($($arg),*) };
    (f32x4_div($($arg:expr),*)) => { fayasm_simd::nan_free::f32x4_div($($arg),*) };
    (f32x4_min($($arg:expr),*)) => { fayasm_simd::nan_free::f32x4_min($($arg),*) };
    (f32x4_max($($arg:expr),*)) => { fayasm_simd::nan_free::f32x4_max($($arg),*) };
    (f32x4_sqrt($($arg:expr),*)) => { fayasm_simd::nan_free::f32x4_sqrt($($arg),*) };
    (f64x2_add($($arg:expr),*)) => { fayasm_simd::nan_free::f64x2_add($($arg),*) };
    (f64x2_sub($($arg:expr),*)) => { fayasm_simd::nan_free::f64x2_sub($($arg),*) };
    (f64x2_mul($($arg:expr),*)) => { fayasm_simd::nan_free::f64x2_mul($($arg),*) };
    (f64x2_div($($arg:expr),*)) => { fayasm_simd::nan_free::f64x2_div($($arg),*) };
    (f64x2_min($($arg:expr),*)) => { fayasm_simd::nan_free::f64x2_min($($arg),*) };
    (f64x2_max($($arg:expr),*)) => { fayasm_simd::nan_free::f64x2_max($($arg),*) };
    (f64x2_sqrt($($arg:expr),*)) => { fayasm_simd::nan_free::f64x2_sqrt($($arg),*) };
    ($f:ident($($arg:expr),*)) => { Some(crate::dispatch::simd::$f($($arg),*)) };
}

/// The lane operation `$f` on operands already read: on the fast path [`nan_free!`]'s result,
/// leaving for the handler's `slow` twin (`divert!`, nothing written yet) where it is `None`;
/// in the slow twin (and where `divert!` is empty, the loop backend) the full function.
macro_rules! lane_op {
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; $f:ident($($arg:ident),*)) => {
        if FAST_PATH {
            match nan_free!($f($($arg),*)) {
                Some(r) => r,
                None => {
                    divert!($cx $ip $sp $acc $fa $mem);
                    crate::dispatch::simd::$f($($arg),*)
                }
            }
        } else {
            crate::dispatch::simd::$f($($arg),*)
        }
    };
}

/// The `value` of the `Param` at `$ip`, which then moves past it.
macro_rules! take_param {
    ($cx:ident, $ip:ident) => {{
        debug_assert!($ip < $cx.st.code.ops.as_ptr().wrapping_add($cx.st.code.ops.len()));
        // SAFETY: the lowering and the checked decoder put the `Param`s a SIMD instruction
        // takes right after it (`OpCode::trailing_params`), inside `ops`.
        let Op::Param { value } = (unsafe { *$ip }) else {
            debug_assert!(false, "a SIMD instruction without its Param");
            // SAFETY: as above, the instruction at `ip` is a `Param`.
            unsafe { core::hint::unreachable_unchecked() }
        };
        // SAFETY: the `Param` is inside `ops`, so one past it is too (or one past the end,
        // never dereferenced: a terminator follows).
        $ip = unsafe { $ip.add(1) };
        value
    }};
}

/// The handler of each SIMD instruction, by family (see the SIMD section of `for_each_op!`).
macro_rules! simd_handler {
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control Select2 [$dst:ident $cond:ident $if_true:ident $if_false:ident]) => {{
        let src = if get!($cx, $sp, $cond) as u32 != 0 { $if_true } else { $if_false };
        let v = get_v128!($cx, $sp, src);
        set_v128!($cx, $sp, $dst, v);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control V128GlobalGet [$dst:ident $global:ident]) => {{
        debug_assert!(($global as usize) < $cx.inner.instances[$cx.st.inst as usize].globals.len());
        // SAFETY: validated code names only its instance's globals (see `Ctx::global`).
        let addr = unsafe { *$cx.st.inst_globals.add($global as usize) };
        // SAFETY: as above.
        let lo = unsafe { *$cx.global($global) };
        let hi = $cx.inner.global_hi(addr);
        set_v128!($cx, $sp, $dst, crate::dispatch::simd::V128::from_cells(lo, hi));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; control V128GlobalSet [$src:ident $global:ident]) => {{
        debug_assert!(($global as usize) < $cx.inner.instances[$cx.st.inst as usize].globals.len());
        let (lo, hi) = get_v128!($cx, $sp, $src).to_cells();
        // SAFETY: validated code names only its instance's globals (see `Ctx::global`), and
        // sets only mutable ones.
        let addr = unsafe { *$cx.st.inst_globals.add($global as usize) };
        // SAFETY: as above.
        unsafe { *$cx.global($global) = lo };
        $cx.inner.set_global_hi(addr, hi);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_load $name:ident [$dst:ident $addr:ident $offset:ident] ($n:literal : $read:ident $f:ident)) => {{
        let bits = mem_load!($mem, get!($cx, $sp, $addr), $offset, $n, $read as $read);
        set_v128!($cx, $sp, $dst, crate::dispatch::simd::$f(bits));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_store $name:ident [$addr:ident $value:ident $offset:ident] ($n:literal : $write:ident $f:ident)) => {{
        let bits: $write = crate::dispatch::simd::$f(get_v128!($cx, $sp, $value));
        mem_store!($mem, get!($cx, $sp, $addr), $offset, $n, bits.to_le_bytes());
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_load_lane $name:ident [$dst:ident $addr:ident $src:ident $lane:ident] ($n:literal : $read:ident $f:ident, $lanes:literal)) => {{
        let offset = take_param!($cx, $ip);
        let v = get_v128!($cx, $sp, $src);
        let bits = mem_load!($mem, get!($cx, $sp, $addr), offset, $n, $read as $read);
        set_v128!($cx, $sp, $dst, crate::dispatch::simd::$f(v, bits, $lane as u8));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_store_lane $name:ident [$addr:ident $value:ident $lane:ident $offset:ident] ($n:literal : $write:ident $f:ident, $lanes:literal)) => {{
        let bits: $write = crate::dispatch::simd::$f(get_v128!($cx, $sp, $value), $lane as u8);
        mem_store!($mem, get!($cx, $sp, $addr), $offset, $n, bits.to_le_bytes());
    }};
    // ----- accesses that name their memory (any memory but a 32-bit memory 0): the work is
    // `memories.rs`'s, as for the scalar `load_m`/`store_m`; they leave the chain. -----
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_load_m $name:ident [$dst:ident $addr:ident $memory:ident $offset:ident] ($n:literal : $read:ident $f:ident)) => {{
        let offset = memories::offset($offset, take_param!($cx, $ip));
        let bytes = tri!(memories::load::<$n>($cx, $memory, get!($cx, $sp, $addr), offset));
        set_v128!($cx, $sp, $dst, crate::dispatch::simd::$f(<$read>::from_le_bytes(bytes)));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_store_m $name:ident [$addr:ident $value:ident $memory:ident $offset:ident] ($n:literal : $write:ident $f:ident)) => {{
        let offset = memories::offset($offset, take_param!($cx, $ip));
        let bits: $write = crate::dispatch::simd::$f(get_v128!($cx, $sp, $value));
        let a = get!($cx, $sp, $addr);
        tri!(memories::store::<$n>($cx, $memory, a, offset, bits.to_le_bytes()));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_load_lane_m $name:ident [$dst:ident $addr:ident $src:ident $lane:ident $memory:ident] ($n:literal : $read:ident $f:ident, $lanes:literal)) => {{
        let lo = take_param!($cx, $ip);
        let offset = memories::offset(lo, take_param!($cx, $ip));
        let v = get_v128!($cx, $sp, $src);
        let bytes = tri!(memories::load::<$n>($cx, $memory, get!($cx, $sp, $addr), offset));
        let r = crate::dispatch::simd::$f(v, <$read>::from_le_bytes(bytes), $lane as u8);
        set_v128!($cx, $sp, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_store_lane_m $name:ident [$addr:ident $value:ident $lane:ident $memory:ident] ($n:literal : $write:ident $f:ident, $lanes:literal)) => {{
        let lo = take_param!($cx, $ip);
        let offset = memories::offset(lo, take_param!($cx, $ip));
        let bits: $write = crate::dispatch::simd::$f(get_v128!($cx, $sp, $value), $lane as u8);
        let a = get!($cx, $sp, $addr);
        tri!(memories::store::<$n>($cx, $memory, a, offset, bits.to_le_bytes()));
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_shuffle $name:ident [$dst:ident $lhs:ident $rhs:ident $lanes:ident] ($f:ident)) => {{
        let mut lanes = [0u8; 16];
        lanes[..4].copy_from_slice(&$lanes.to_le_bytes());
        for i in 1..4 {
            let word: u32 = take_param!($cx, $ip);
            lanes[i * 4..i * 4 + 4].copy_from_slice(&word.to_le_bytes());
        }
        let r =
            crate::dispatch::simd::$f(get_v128!($cx, $sp, $lhs), get_v128!($cx, $sp, $rhs), lanes);
        set_v128!($cx, $sp, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_extract $name:ident [$dst:ident $src:ident $lane:ident] ($f:ident : $r:ident, $lanes:literal)) => {{
        let r: $r = crate::dispatch::simd::$f(get_v128!($cx, $sp, $src), $lane as u8);
        write_slot!($cx, $sp, $dst, r.into_cell());
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_replace $name:ident [$dst:ident $src:ident $value:ident $lane:ident] ($f:ident : $t:ident, $lanes:literal)) => {{
        let x = <$t>::from_cell(get!($cx, $sp, $value));
        let r = crate::dispatch::simd::$f(get_v128!($cx, $sp, $src), x, $lane as u8);
        set_v128!($cx, $sp, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_splat $name:ident [$dst:ident $src:ident] ($f:ident : $t:ident)) => {{
        let r = crate::dispatch::simd::$f(<$t>::from_cell(get!($cx, $sp, $src)));
        set_v128!($cx, $sp, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_unary $name:ident [$dst:ident $src:ident] ($f:ident)) => {{
        let a = get_v128!($cx, $sp, $src);
        let r = lane_op!($cx $ip $sp $acc $fa $mem; $f(a));
        set_v128!($cx, $sp, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_binary $name:ident [$dst:ident $lhs:ident $rhs:ident] ($f:ident)) => {{
        let (a, b) = (get_v128!($cx, $sp, $lhs), get_v128!($cx, $sp, $rhs));
        let r = lane_op!($cx $ip $sp $acc $fa $mem; $f(a, b));
        set_v128!($cx, $sp, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_ternary $name:ident [$dst:ident $a:ident $b:ident $c:ident] ($f:ident)) => {{
        let r = crate::dispatch::simd::$f(
            get_v128!($cx, $sp, $a),
            get_v128!($cx, $sp, $b),
            get_v128!($cx, $sp, $c),
        );
        set_v128!($cx, $sp, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_shift $name:ident [$dst:ident $lhs:ident $rhs:ident] ($f:ident)) => {{
        let r = crate::dispatch::simd::$f(
            get_v128!($cx, $sp, $lhs),
            get!($cx, $sp, $rhs) as u32 as i32,
        );
        set_v128!($cx, $sp, $dst, r);
    }};
    ($cx:ident $ip:ident $sp:ident $acc:ident $fa:ident $mem:ident; v_test $name:ident [$dst:ident $src:ident] ($f:ident)) => {{
        let r: i32 = crate::dispatch::simd::$f(get_v128!($cx, $sp, $src));
        write_slot!($cx, $sp, $dst, u64::from(r as u32));
    }};
}
