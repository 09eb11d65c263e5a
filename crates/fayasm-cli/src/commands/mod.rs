//! The subcommands, and what they share: the error type with its exit codes, and loading a
//! module from a file.

pub mod inspect;
pub mod run;
pub mod wast;

use fayasm_exec::{Engine, Error, ErrorKind, Module, ModuleInfo, Trap};
use std::path::Path;

/// Appends a formatted line to a `String` (writing to a `String` cannot fail).
macro_rules! outln {
    ($out:expr) => {
        $out.push('\n')
    };
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}
pub(crate) use outln;

/// Exit code of usage and type errors: bad command-line syntax, wrong arguments for the called
/// function, an unknown export or function, and failing `wast` cases.
pub const EXIT_USAGE: u8 = 1;
/// Exit code when a file cannot be read or is not a valid module or script.
pub const EXIT_FILE: u8 = 2;
/// Exit code when execution traps (also in a start function).
pub const EXIT_TRAP: u8 = 3;
/// Exit code when instantiation fails: an import is missing or has the wrong type, or a
/// resource limit is exceeded.
pub const EXIT_LINK: u8 = 4;
/// Exit code when a snapshot cannot be read or written, fails a check of its envelope, or
/// does not fit the module.
pub const EXIT_SNAPSHOT: u8 = 5;

/// The help text that lists the exit codes, as a literal for `concat!`.
macro_rules! exit_codes_help {
    () => {
        "Exit codes:
  0  success
  1  usage or type error (bad arguments, unknown export or function, failing wast cases)
  2  the file cannot be read or is not a valid module or script
  3  execution trapped
  4  instantiation failed (missing or incompatible import, resource limit)
  5  a snapshot cannot be read or written, is corrupt, or does not fit the module"
    };
}
pub(crate) use exit_codes_help;

/// The help text that lists the exit codes.
pub const EXIT_CODES_HELP: &str = exit_codes_help!();

/// A failed command: an exit code and a one-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    code: u8,
    message: String,
}

impl CliError {
    /// A usage or type error ([`EXIT_USAGE`]).
    pub fn usage(message: impl Into<String>) -> Self {
        CliError { code: EXIT_USAGE, message: message.into() }
    }
    /// An unreadable or invalid file ([`EXIT_FILE`]).
    pub fn file(message: impl Into<String>) -> Self {
        CliError { code: EXIT_FILE, message: message.into() }
    }
    /// A failed instantiation ([`EXIT_LINK`]).
    pub fn link(message: impl Into<String>) -> Self {
        CliError { code: EXIT_LINK, message: message.into() }
    }

    /// A snapshot that cannot be read, written or used ([`EXIT_SNAPSHOT`]).
    pub fn snapshot(message: impl Into<String>) -> Self {
        CliError { code: EXIT_SNAPSHOT, message: message.into() }
    }

    /// The process exit code.
    pub fn code(&self) -> u8 {
        self.code
    }

    /// The message on one line (embedded line breaks become `; `).
    pub fn message(&self) -> String {
        self.message.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("; ")
    }

    /// Classifies an error of the embedding API. `path` names the module file, `info` (when
    /// the module decoded) gives function names for traps.
    pub fn from_exec(err: &Error, path: &Path, info: Option<&ModuleInfo>) -> Self {
        match err.kind() {
            ErrorKind::Decode(e) => CliError::file(format!(
                "invalid module {}: {} (at byte offset {:#x})",
                path.display(),
                e.message(),
                e.offset()
            )),
            ErrorKind::Lower(m) => {
                CliError::file(format!("cannot compile {}: {m}", path.display()))
            }
            ErrorKind::Link(m) => CliError::link(format!("link error: {m}")),
            ErrorKind::Limit(m) => CliError::link(format!("instantiation failed: {m}")),
            ErrorKind::Trap(t) => CliError { code: EXIT_TRAP, message: trap_message(t, info) },
            ErrorKind::Signature(m) => CliError::usage(format!("signature mismatch: {m}")),
            ErrorKind::Export(m) => CliError::usage(m.clone()),
            ErrorKind::Duplicate(m) => CliError::link(format!("duplicate import definition: {m}")),
            ErrorKind::Unsupported(m) => CliError::link(format!("unsupported: {m}")),
            ErrorKind::Spill(e) => CliError::snapshot(format!("{e}")),
            _ => CliError::usage(err.to_string()),
        }
    }
}

/// `trap: integer divide by zero (in function 3 "div")`.
fn trap_message(trap: &Trap, info: Option<&ModuleInfo>) -> String {
    let mut msg = format!("trap: {}", trap.code());
    if let Some(m) = trap.message() {
        msg.push_str(&format!(": {m}"));
    }
    if let Some(func) = trap.func() {
        match info.and_then(|i| i.func_name(func)) {
            Some(name) => msg.push_str(&format!(" (in function {func} {name:?})")),
            None => msg.push_str(&format!(" (in function {func})")),
        }
    }
    msg
}

/// Reads `path` and decodes it into a module for `engine`. A file that does not start with the
/// binary format's magic number is read as the WebAssembly text format (`.wat`).
pub fn load_module(engine: &Engine, path: &Path) -> Result<Module, CliError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::file(format!("cannot read {}: {e}", path.display())))?;
    let bytes = if bytes.starts_with(b"\0asm") {
        bytes
    } else {
        wat::parse_bytes(&bytes)
            .map_err(|e| {
                let mut e = e;
                e.set_path(path);
                CliError::file(format!(
                    "{} is neither a binary module (no `\\0asm` header) nor valid WebAssembly text: {e}",
                    path.display()
                ))
            })?
            .into_owned()
    };
    Module::new(engine, &bytes).map_err(|e| CliError::from_exec(&e, path, None))
}

/// A function's name for messages: its export or name-section name, else `function N`.
pub fn func_label(info: &ModuleInfo, func: u32) -> String {
    match info.func_name(func) {
        Some(name) => format!("function {func} {name:?}"),
        None => format!("function {func}"),
    }
}
