//! `fayasm wast`: run a WebAssembly spec test script.

use super::{CliError, outln};
use fayasm_exec::{CompilationMode, Config};
use std::path::PathBuf;

/// Run a WebAssembly spec test script (.wast).
///
/// Every failing command is printed as `FILE:LINE:COL: KIND: MESSAGE`, followed by the summary
/// line `N passed, N failed`. The exit code is 1 when any case failed.
#[derive(Debug, clap::Args)]
#[command(after_help = super::EXIT_CODES_HELP)]
pub struct WastArgs {
    /// The script to run (WebAssembly text format with spec test commands).
    pub file: PathBuf,
    /// Lower every function of every module when it is loaded instead of on first call, so
    /// code that is never called is lowered too.
    #[arg(long)]
    pub eager: bool,
}

/// Runs the command, appending failures and the summary to `out`.
pub fn run(args: &WastArgs, out: &mut String) -> Result<(), CliError> {
    let path = args.file.display().to_string();
    let source = std::fs::read_to_string(&args.file)
        .map_err(|e| CliError::file(format!("cannot read {path}: {e}")))?;
    let mut config = Config::new();
    if args.eager {
        config.compilation_mode(CompilationMode::Eager);
    }
    let report = fayasm_wast::run_wast_with_config(&config, &path, &source)
        .map_err(|e| CliError::file(parse_error_line(e.message())))?;
    for f in &report.failures {
        let message = f.message.lines().map(str::trim).collect::<Vec<_>>().join(" ");
        outln!(out, "{path}:{}:{}: {}: {message}", f.line, f.col, f.kind);
    }
    outln!(out, "{} passed, {} failed", report.passed, report.failed);
    if report.failed > 0 {
        return Err(CliError::usage(format!(
            "{} of {} case(s) failed",
            report.failed,
            report.passed + report.failed
        )));
    }
    Ok(())
}

/// The parser's multi-line report (message, `--> file:line:col`, source excerpt) as one line:
/// `file:line:col: message`.
fn parse_error_line(report: &str) -> String {
    let mut lines = report.lines().map(str::trim);
    let message = lines.next().unwrap_or("cannot parse the script");
    match lines.find_map(|l| l.strip_prefix("-->")) {
        Some(location) => format!("{}: {message}", location.trim()),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn parse_errors_fit_one_line() {
        let report = "expected `(`\n     --> bad.wast:2:5\n      |\n    2 |     x\n      |     ^";
        assert_eq!(super::parse_error_line(report), "bad.wast:2:5: expected `(`");
        assert_eq!(super::parse_error_line("odd"), "odd");
    }
}
