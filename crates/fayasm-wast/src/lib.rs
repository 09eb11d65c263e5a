//! The spec-script (`.wast`) runner of fayasm.
//!
//! This crate owns the execution of WebAssembly test scripts against fayasm: it parses a script
//! with the `wast` crate and runs every directive (modules, `register`, `invoke`, `get` and all
//! `assert_*` forms) in one [`fayasm_exec::Store`], with the `spectest` module of `fayasm-host`
//! defined. Each directive counts as one pass or one failure; a failure never stops the script,
//! and a panic inside the runtime is caught and reported as the failure of its directive.
//!
//! It is used by the spec test (`tests/spec.rs`, which runs the `wasm-v2` suite against a
//! checked-in list of expected failures) and by the `fayasm wast` command. It depends on
//! `fayasm-exec` and `fayasm-host` from above; nothing in fayasm may depend on it but the CLI.
//!
//! ```
//! let report = fayasm_wast::run_wast(
//!     "example.wast",
//!     r#"(assert_malformed (module quote "(func") "unexpected end")"#,
//! )
//! .unwrap();
//! assert_eq!((report.passed, report.failed), (1, 0));
//! ```

mod panic;
mod runner;
mod values;

use fayasm_exec::{Config, Engine};
use std::fmt;
use std::string::String;
use std::vec::Vec;
use wast::lexer::TokenKind;

/// The outcome of running one script.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WastReport {
    /// Directives that behaved as the script expects.
    pub passed: usize,
    /// Directives that did not.
    pub failed: usize,
    /// One entry per failed directive, in script order.
    pub failures: Vec<WastFailure>,
}

/// One directive that did not behave as the script expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WastFailure {
    /// 1-based line of the directive.
    pub line: usize,
    /// 1-based column of the directive.
    pub col: usize,
    /// The directive, as written in scripts: `"assert_return"`, `"module"`, ...
    pub kind: String,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for WastFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}: {}", self.line, self.col, self.kind, self.message)
    }
}

/// The script itself cannot be parsed (as opposed to a directive failing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WastError {
    message: String,
}

impl WastError {
    /// The parser's message, with the script's path and the offending line.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for WastError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WastError {}

/// Runs the script `source` with the default configuration and reports each directive's outcome.
///
/// `path_for_messages` only names the script in parse errors. `Err` means the script could not
/// be parsed at all; failing directives are reported in the [`WastReport`] instead.
pub fn run_wast(path_for_messages: &str, source: &str) -> Result<WastReport, WastError> {
    run_wast_with_config(&Config::default(), path_for_messages, source)
}

/// Like [`run_wast`], with an engine of `config` (for example eager compilation, so that every
/// function of every module is lowered, called or not).
pub fn run_wast_with_config(
    config: &Config,
    path_for_messages: &str,
    source: &str,
) -> Result<WastReport, WastError> {
    let parse_error = |mut e: wast::Error| {
        e.set_path(std::path::Path::new(path_for_messages));
        e.set_text(source);
        WastError { message: e.to_string() }
    };
    let mut lexer = wast::lexer::Lexer::new(source);
    // The suite's `names.wast` uses bidirectional-override characters on purpose.
    lexer.allow_confusing_unicode(true);
    // A script of only whitespace and comments has no directives (the `wast` crate would try
    // to read it as an inline module with no fields, and fail).
    let has_tokens = lexer.iter(0).any(|t| {
        !matches!(
            t.map(|t| t.kind),
            Ok(TokenKind::Whitespace | TokenKind::LineComment | TokenKind::BlockComment)
        )
    });
    if !has_tokens {
        return Ok(WastReport::default());
    }
    let buffer = wast::parser::ParseBuffer::new_with_lexer(lexer).map_err(parse_error)?;
    let script = wast::parser::parse::<wast::Wast<'_>>(&buffer).map_err(parse_error)?;
    let runner = runner::Runner::new(Engine::new(config))
        .map_err(|e| WastError { message: format!("cannot define the spectest module: {e}") })?;
    Ok(runner.run(source, script.directives))
}

#[cfg(test)]
mod tests;
