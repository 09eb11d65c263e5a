//! Chooses the interpreter's dispatch backend (see `src/dispatch/mod.rs`).
//!
//! The tail-call backend needs the sibling-call optimisation, which only optimised builds on
//! x86_64 and aarch64 are known to perform for every handler; everything else runs the portable
//! loop. The feature `portable-dispatch` forces the loop (to test it in release builds).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(fayasm_tail_dispatch)");
    println!("cargo::rerun-if-env-changed=CARGO_FEATURE_PORTABLE_DISPATCH");
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let optimised = matches!(opt.as_str(), "2" | "3");
    let arch_ok = matches!(arch.as_str(), "x86_64" | "aarch64");
    let forced_loop = std::env::var_os("CARGO_FEATURE_PORTABLE_DISPATCH").is_some();
    if optimised && arch_ok && !forced_loop {
        println!("cargo::rustc-cfg=fayasm_tail_dispatch");
    }
}
