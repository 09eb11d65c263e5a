//! A shared library of host functions in fayasm's C ABI (`crates/fayasm-host/include/fayasm_host.h`),
//! the Rust twin of `c/host_import.c`: `env.host_add` adds two i32s, `env.host_write` writes a
//! greeting into the guest's memory, `env.host_trap` traps with a message, `env.host_scale`
//! multiplies an f64 by an i64. Loaded by fayasm-host's tests and by
//! `fayasm run --import-lib`.
//!
//! It mirrors the header's types instead of depending on fayasm: a library written for the ABI
//! needs nothing from fayasm to build.

use core::ffi::{c_char, c_void};

const ABI_VERSION: u32 = 1;
const MAX_VALUES: usize = 16;
const I32: u8 = 0;
const I64: u8 = 1;
const F64: u8 = 3;
const OK: i32 = 0;
const TRAP: i32 = 1;

/// `fayasm_signature`.
#[repr(C)]
pub struct Signature {
    abi_version: u32,
    param_count: u32,
    result_count: u32,
    params: [u8; MAX_VALUES],
    results: [u8; MAX_VALUES],
}

const fn sig(params: &[u8], results: &[u8]) -> Signature {
    let mut s = Signature {
        abi_version: ABI_VERSION,
        param_count: params.len() as u32,
        result_count: results.len() as u32,
        params: [0; MAX_VALUES],
        results: [0; MAX_VALUES],
    };
    let mut i = 0;
    while i < params.len() {
        s.params[i] = params[i];
        i += 1;
    }
    let mut i = 0;
    while i < results.len() {
        s.results[i] = results[i];
        i += 1;
    }
    s
}

/// `fayasm_ctx`.
#[repr(C)]
pub struct Ctx {
    abi_version: u32,
    env: *mut c_void,
    memory_size: extern "C" fn(*mut c_void) -> u64,
    memory_read: extern "C" fn(*mut c_void, u64, *mut c_void, u64) -> i32,
    memory_write: extern "C" fn(*mut c_void, u64, *const c_void, u64) -> i32,
    trap: extern "C" fn(*mut c_void, *const c_char, u64),
}

impl Ctx {
    fn trap(&self, message: &str) -> i32 {
        (self.trap)(self.env, message.as_ptr().cast(), message.len() as u64);
        TRAP
    }
}

/// The imports this library satisfies, for `fayasm run --import-lib PATH`.
#[unsafe(no_mangle)]
pub static fayasm_imports: [u8; 98] = *b"env.host_add=host_add\nenv.host_write=host_write\nenv.host_trap=host_trap\nenv.host_scale=host_scale\0";

/// Signature of `host_add`: `(i32, i32) -> i32`.
#[unsafe(no_mangle)]
pub static fayasm_sig_host_add: Signature = sig(&[I32, I32], &[I32]);

/// `env.host_add`: the wrapping sum of two i32s.
///
/// # Safety
/// Called by fayasm with `args` holding two cells and `results` room for one.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn host_add(_ctx: *const Ctx, args: *const u64, results: *mut u64) -> i32 {
    // SAFETY: the ABI passes two argument cells and room for one result.
    unsafe {
        let (a, b) = (*args as u32, *args.add(1) as u32);
        *results = u64::from(a.wrapping_add(b));
    }
    OK
}

/// Signature of `host_write`: `(i32, i32) -> i32`.
#[unsafe(no_mangle)]
pub static fayasm_sig_host_write: Signature = sig(&[I32, I32], &[I32]);

const GREETING: &[u8] = b"hello from the host";

/// `env.host_write(ptr, cap)`: writes a greeting (at most `cap` bytes) into guest memory at
/// `ptr` and returns its length; traps if the range is out of bounds.
///
/// # Safety
/// Called by fayasm with a valid context, two argument cells and room for one result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn host_write(ctx: *const Ctx, args: *const u64, results: *mut u64) -> i32 {
    // SAFETY: the ABI passes a valid context for the call and two argument cells.
    let (ctx, ptr, cap) = unsafe { (&*ctx, u64::from(*args as u32), *args.add(1) as u32) };
    let n = GREETING.len().min(cap as usize);
    if (ctx.memory_write)(ctx.env, ptr, GREETING.as_ptr().cast(), n as u64) != 0 {
        return ctx.trap("host_write: guest buffer out of bounds");
    }
    // SAFETY: the ABI passes room for one result.
    unsafe { *results = n as u64 };
    OK
}

/// Signature of `host_trap`: `(i32) -> ()`.
#[unsafe(no_mangle)]
pub static fayasm_sig_host_trap: Signature = sig(&[I32], &[]);

/// `env.host_trap(code)`: traps with "host_trap: refused CODE".
///
/// # Safety
/// Called by fayasm with a valid context and one argument cell.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn host_trap(ctx: *const Ctx, args: *const u64, _results: *mut u64) -> i32 {
    // SAFETY: the ABI passes a valid context for the call and one argument cell.
    let (ctx, code) = unsafe { (&*ctx, *args as u32 as i32) };
    ctx.trap(&format!("host_trap: refused {code}"))
}

/// Signature of `host_scale`: `(f64, i64) -> f64`.
#[unsafe(no_mangle)]
pub static fayasm_sig_host_scale: Signature = sig(&[F64, I64], &[F64]);

/// `env.host_scale(x, n)`: `x * n`.
///
/// # Safety
/// Called by fayasm with two argument cells and room for one result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn host_scale(_ctx: *const Ctx, args: *const u64, results: *mut u64) -> i32 {
    // SAFETY: the ABI passes two argument cells and room for one result.
    unsafe {
        let x = f64::from_bits(*args);
        let n = *args.add(1) as i64;
        *results = (x * n as f64).to_bits();
    }
    OK
}
