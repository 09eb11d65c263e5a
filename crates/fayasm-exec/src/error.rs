//! Errors and traps.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use core::fmt;
use fayasm_core::TrapCode;
use fayasm_decode::DecodeError;

/// The error a host function attached to its trap: shared, so a [`Trap`] stays `Clone`.
pub type HostError = Arc<dyn core::error::Error + Send + Sync + 'static>;

/// A trap: execution stopped abnormally.
///
/// A trap raised by the interpreter carries its [`TrapCode`], the function (module index space)
/// and the instance it happened in. A host function traps with [`Trap::host`] (a message) or
/// [`Trap::from_error`] (an error value the embedder can get back with
/// [`Trap::downcast_ref`]); both have code [`TrapCode::HostError`].
#[derive(Debug, Clone)]
pub struct Trap {
    code: TrapCode,
    func: Option<u32>,
    instance: Option<u32>,
    /// Rare: boxed so a trap stays small.
    details: Option<Box<TrapDetails>>,
}

#[derive(Debug, Clone)]
struct TrapDetails {
    message: String,
    error: Option<HostError>,
}

impl Trap {
    /// A trap with `code`.
    #[cold]
    pub fn new(code: TrapCode) -> Self {
        Trap { code, func: None, instance: None, details: None }
    }
    /// A host error with a message.
    #[cold]
    pub fn host(message: impl Into<String>) -> Self {
        let details = TrapDetails { message: message.into(), error: None };
        Trap { details: Some(Box::new(details)), ..Trap::new(TrapCode::HostError) }
    }
    /// A host error carrying `error`: its `Display` text becomes the message, and the value
    /// stays reachable through [`Trap::downcast_ref`] and [`core::error::Error::source`].
    #[cold]
    pub fn from_error(error: impl core::error::Error + Send + Sync + 'static) -> Self {
        let message = alloc::format!("{error}");
        let details = TrapDetails { message, error: Some(Arc::new(error)) };
        Trap { details: Some(Box::new(details)), ..Trap::new(TrapCode::HostError) }
    }
    /// Records the index (module index space) of the function that trapped.
    pub fn with_func(mut self, func: u32) -> Self {
        self.func.get_or_insert(func);
        self
    }
    /// Records the instance the trap happened in (kept if one is already recorded).
    pub fn with_instance(mut self, instance: crate::Instance) -> Self {
        self.instance.get_or_insert(instance.0);
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
    /// The instance the trap happened in, where known.
    pub fn instance(&self) -> Option<crate::Instance> {
        self.instance.map(crate::Instance)
    }
    /// The host's message, for host errors.
    pub fn message(&self) -> Option<&str> {
        self.details.as_deref().map(|d| d.message.as_str())
    }
    /// The error value a host function trapped with ([`Trap::from_error`]).
    pub fn host_error(&self) -> Option<&HostError> {
        self.details.as_deref()?.error.as_ref()
    }
    /// The host's error value, if it is an `E`.
    pub fn downcast_ref<E: core::error::Error + 'static>(&self) -> Option<&E> {
        let e: &(dyn core::error::Error + 'static) = &**self.host_error()?;
        e.downcast_ref::<E>()
    }
}

/// Traps compare by code, function, instance and message; host error values by identity.
impl PartialEq for Trap {
    fn eq(&self, other: &Self) -> bool {
        let same_error = match (self.host_error(), other.host_error()) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        self.code == other.code
            && self.func == other.func
            && self.instance == other.instance
            && self.message() == other.message()
            && same_error
    }
}
impl Eq for Trap {}

impl From<TrapCode> for Trap {
    fn from(code: TrapCode) -> Self {
        Trap::new(code)
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if let Some(m) = self.message() {
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
#[non_exhaustive]
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
    /// A name was defined twice in a [`crate::Linker`] that does not allow shadowing.
    Duplicate(String),
    /// A memory or table access through the embedding API was out of bounds.
    OutOfBounds(String),
    /// An instance's import could not be rebound (no such import, or the new item does not fit).
    Rebind(String),
    /// The operation is not available in this build (for example dynamic libraries without
    /// `std`).
    Unsupported(String),
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
    /// The trap, if this error is one, or the error itself.
    pub fn into_trap(self) -> Result<Trap, Error> {
        match *self.0 {
            ErrorKind::Trap(t) => Ok(t),
            kind => Err(kind.into()),
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
    pub(crate) fn out_of_bounds(msg: impl Into<String>) -> Self {
        ErrorKind::OutOfBounds(msg.into()).into()
    }
    #[cold]
    pub(crate) fn rebind(msg: impl Into<String>) -> Self {
        ErrorKind::Rebind(msg.into()).into()
    }
    /// An error of kind [`ErrorKind::Unsupported`].
    #[cold]
    pub fn unsupported(msg: impl Into<String>) -> Self {
        ErrorKind::Unsupported(msg.into()).into()
    }
    /// An error of kind [`ErrorKind::Link`], for crates that resolve imports on top of a
    /// [`crate::Linker`].
    #[cold]
    pub fn link_error(msg: impl Into<String>) -> Self {
        ErrorKind::Link(msg.into()).into()
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
            ErrorKind::Duplicate(m) => write!(f, "duplicate definition: {m}"),
            ErrorKind::OutOfBounds(m) => write!(f, "out of bounds: {m}"),
            ErrorKind::Rebind(m) => write!(f, "cannot rebind import: {m}"),
            ErrorKind::Unsupported(m) => write!(f, "unsupported: {m}"),
            ErrorKind::Spill(e) => write!(f, "spill: {e}"),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match &*self.0 {
            ErrorKind::Trap(t) => Some(t),
            _ => None,
        }
    }
}
impl core::error::Error for Trap {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        let e: &(dyn core::error::Error + 'static) = &**self.host_error()?;
        Some(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn error_is_one_word() {
        assert_eq!(size_of::<Error>(), size_of::<usize>());
        assert_eq!(size_of::<Result<(), Error>>(), size_of::<usize>());
    }

    #[test]
    fn trap_stays_small() {
        assert!(size_of::<Trap>() <= 32, "{}", size_of::<Trap>());
    }

    #[derive(Debug)]
    struct Refused(u32);
    impl fmt::Display for Refused {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "refused {}", self.0)
        }
    }
    impl core::error::Error for Refused {}

    #[test]
    fn host_errors_are_downcastable_and_the_source() {
        use alloc::string::ToString;
        let t = Trap::from_error(Refused(7));
        assert_eq!(t.code(), TrapCode::HostError);
        assert_eq!(t.message(), Some("refused 7"));
        assert_eq!(t.downcast_ref::<Refused>().map(|r| r.0), Some(7));
        assert!(t.downcast_ref::<Error>().is_none());
        let e = Error::from(t.clone());
        let source = core::error::Error::source(&e).and_then(core::error::Error::source);
        assert_eq!(source.map(|s| s.to_string()).as_deref(), Some("refused 7"));
        assert_eq!(t, t.clone());
        assert_ne!(t, Trap::from_error(Refused(7)), "different error values");
        assert!(Trap::host("x").host_error().is_none());
    }
}
