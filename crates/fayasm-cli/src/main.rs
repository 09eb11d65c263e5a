//! `fayasm`, the command-line face of the fayasm WebAssembly interpreter.
//!
//! It owns argument handling and human-readable output only: `run` calls an export, `inspect`
//! summarizes a module or dumps a function's microcode, `wast` runs a spec test script. All work
//! is done through the public APIs of `fayasm-exec`, `fayasm-decode`, `fayasm-ir`, `fayasm-host`
//! and `fayasm-wast`; nothing depends on this crate.
//!
//! Errors are printed as one line, `error: ...`, on stderr, with an exit code per class
//! (see [`commands::EXIT_CODES_HELP`]).

mod args;
mod commands;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

/// fayasm: a WebAssembly 2.0 interpreter.
#[derive(Debug, Parser)]
#[command(name = "fayasm", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const AFTER_HELP: &str = concat!(
    "Examples:\n",
    "  fayasm run wasm_samples/build/control_flow.wasm sample_factorial_6\n",
    "  fayasm run module.wasm add i32:40 i32:2\n",
    "  fayasm inspect module.wasm --ir add\n",
    "  fayasm wast test.wast\n",
    "\n",
    commands::exit_codes_help!(),
);

#[derive(Debug, Subcommand)]
enum Command {
    Run(commands::run::RunArgs),
    Inspect(commands::inspect::InspectArgs),
    Wast(commands::wast::WastArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with success; usage errors exit with 1, not clap's 2
            // (2 means an unreadable or invalid file here).
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(commands::EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let mut out = String::new();
    let result = match &cli.command {
        Command::Run(a) => commands::run::run(a, &mut out),
        Command::Inspect(a) => commands::inspect::run(a, &mut out),
        Command::Wast(a) => commands::wast::run(a, &mut out),
    };
    // A closed stdout (`fayasm inspect m.wasm | head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr().lock(), "error: {}", e.message());
            ExitCode::from(e.code())
        }
    }
}
