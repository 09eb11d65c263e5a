//! `cargo xtask`: fayasm's project automation (see `wasm_samples/README.md`).
//!
//! - `cargo xtask fixtures`: build `wasm_samples/src/*.c` with emcc into `wasm_samples/build/`
//!   and regenerate the manifest's expected results from a native build of the same C.
//! - `cargo xtask smoke`: run every manifest case through the `fayasm` CLI and the library.
//! - `cargo xtask ci`: what `.ci/run` runs (fmt check, clippy, no_std builds, tests).
//! - `cargo xtask check-codegen`: the interpreter handlers' machine code in a plain release
//!   build (see `check_codegen.rs`).
//! - `cargo xtask bench-compare`: fayasm vs wasmi vs wasm3 on the C kernels, and fayasm vs
//!   wasmi on an external corpus (`--corpus DIR`), in two build profiles; writes BENCHMARKS.md.
//! - `cargo xtask tidy`: module docs, crate dependency direction, no prints in libraries
//!   (`xtask/src/tidy.rs`; also run as a test).

mod bench_compare;
mod check_codegen;
mod ci;
mod fixtures;
mod smoke;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  fixtures [--no-build] [--only NAME]   build wasm_samples/src/*.c with emcc and regenerate
                                        the expected results in wasm_samples/manifest.toml
  smoke [--cli PATH] [--no-cli] [--filter TEXT]
                                        run every manifest case through the fayasm CLI and the
                                        library; non-zero exit on any mismatch
  ci                                    .ci/run: cargo fmt --check, clippy -D warnings,
                                        no_std builds, cargo test
  check-codegen                         build the CLI as an embedder's plain release build does
                                        and check the interpreter handlers' machine code (no
                                        cmov in branches, every simple handler tail-jumps)
  bench-compare [--quick] [--no-run] [--corpus DIR] [--no-kernels]
                [--profile bench|release|both] [--portable]
                                        run the compare bench (fayasm, wasmi, wasm3 on the
                                        wasm_samples kernels) and, with --corpus, the corpus
                                        bench (fayasm and wasmi on DIR's manifest.toml) and
                                        write the tables into BENCHMARKS.md; --profile: the
                                        bench profile (fat LTO), a plain release build, or
                                        both (default); --portable: with the portable dispatch
                                        loop; --quick shortens criterion's warm-up and
                                        measurement, --no-run only rewrites the tables from
                                        the last results
  tidy                                  check module docs, crate dependency direction and
                                        prints in libraries; one `path:line: message` per
                                        finding, non-zero exit on any
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match cmd.as_str() {
        "fixtures" => fixtures::run(rest),
        "smoke" => smoke::run(rest),
        "ci" => ci::run(rest),
        "bench-compare" => bench_compare::run(rest),
        "tidy" => xtask::tidy::run(rest),
        "check-codegen" => check_codegen::run(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
