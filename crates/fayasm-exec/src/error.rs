//! Errors and traps.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;
use fayasm_core::TrapCode;
use fayasm_decode::DecodeError;

/// A trap: execution stopped abnormally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    code: TrapCode,
    func: Option<u32>,
    message: Option<String>,
}

impl Trap {
    /// A trap with `code`.
    #[cold]
    pub fn new(code: TrapCode) -> Self {
        Trap { code, func: None, message: None }
    }
    /// A host error with a message.
    #[cold]
    pub fn host(message: impl Into<String>) -> Self {
        Trap { code: TrapCode::HostError, func: None, message: Some(message.into()) }
    }
    /// Records the index (module index space) of the function that trapped.
    pub fn with_func(mut self, func: u32) -> Self {
        self.func.get_or_insert(func);
        self
    }
    /// Why execution trapped.
    pub fn code(&self) -> TrapCode {
        self.code
    }
    /// The function that trapped, where known.
    pub fn func(&self) -> Option<u32> {
        self.func
    }
    /// The host's message, for host errors.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl From<TrapCode> for Trap {
    fn from(code: TrapCode) -> Self {
        Trap::new(code)
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if let Some(func) = self.func {
            write!(f, " (in function {func})")?;
        }
        Ok(())
    }
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The module is malformed or invalid.
    Decode(DecodeError),
    /// A function could not be lowered to microcode (it exceeds a microcode limit).
    Lower(String),
    /// Instantiation failed: an import is missing or has the wrong type.
    Link(String),
    /// Execution trapped (possibly in a start function during instantiation).
    Trap(Trap),
    /// A call was made with the wrong number or types of arguments, or a typed function was
    /// requested with the wrong signature.
    Signature(String),
    /// An export does not exist or has another kind.
    Export(String),
    /// A runtime resource limit (memory or table size) was exceeded by an API call.
    Limit(String),
    /// Spilling, loading or restoring state failed (see [`crate::spill`]).
    Spill(crate::SpillError),
}

/// The error type of every fallible fayasm-exec API. Boxed so `Result` stays small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }
    /// The spill error, if this error is one.
    pub fn as_spill(&self) -> Option<&crate::SpillError> {
        match &*self.0 {
            ErrorKind::Spill(e) => Some(e),
            _ => None,
        }
    }
    /// The trap, if this error is one.
    pub fn as_trap(&self) -> Option<&Trap> {
        match &*self.0 {
            ErrorKind::Trap(t) => Some(t),
            _ => None,
        }
    }
    #[cold]
    pub(crate) fn link(msg: impl Into<String>) -> Self {
        ErrorKind::Link(msg.into()).into()
    }
    #[cold]
    pub(crate) fn signature(msg: impl Into<String>) -> Self {
        ErrorKind::Signature(msg.into()).into()
    }
    #[cold]
    pub(crate) fn export(msg: impl Into<String>) -> Self {
        ErrorKind::Export(msg.into()).into()
    }
    #[cold]
    pub(crate) fn limit(msg: impl Into<String>) -> Self {
        ErrorKind::Limit(msg.into()).into()
    }
}

impl From<ErrorKind> for Error {
    #[cold]
    fn from(k: ErrorKind) -> Self {
        Error(Box::new(k))
    }
}
impl From<Trap> for Error {
    #[cold]
    fn from(t: Trap) -> Self {
        ErrorKind::Trap(t).into()
    }
}
impl From<TrapCode> for Error {
    #[cold]
    fn from(t: TrapCode) -> Self {
        ErrorKind::Trap(t.into()).into()
    }
}
impl From<DecodeError> for Error {
    #[cold]
    fn from(e: DecodeError) -> Self {
        ErrorKind::Decode(e).into()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Decode(e) => write!(f, "invalid module: {e}"),
            ErrorKind::Lower(m) => write!(f, "lowering failed: {m}"),
            ErrorKind::Link(m) => write!(f, "link error: {m}"),
            ErrorKind::Trap(t) => write!(f, "trap: {t}"),
            ErrorKind::Signature(m) => write!(f, "signature mismatch: {m}"),
            ErrorKind::Export(m) => write!(f, "export error: {m}"),
            ErrorKind::Limit(m) => write!(f, "limit exceeded: {m}"),
            ErrorKind::Spill(e) => write!(f, "spill: {e}"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}
#[cfg(feature = "std")]
impl std::error::Error for Trap {}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn error_is_one_word() {
        assert_eq!(size_of::<Error>(), size_of::<usize>());
        assert_eq!(size_of::<Result<(), Error>>(), size_of::<usize>());
    }
}
