//! The decode error.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

/// A malformed or invalid module: the byte offset where the problem was found and a message.
///
/// Boxed so that `Result<T, DecodeError>` stays one word wide.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodeError(Box<DecodeErrorInner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct DecodeErrorInner {
    offset: usize,
    message: String,
}

impl DecodeError {
    /// A new error at `offset` with `message`.
    #[cold]
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        DecodeError(Box::new(DecodeErrorInner { offset, message: message.into() }))
    }

    /// Byte offset into the module where the problem was found.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// Human readable description (for invalid modules, wasmparser's message, which is what the
    /// spec test suite matches).
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl From<wasmparser::BinaryReaderError> for DecodeError {
    #[cold]
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        DecodeError::new(e.offset(), e.message())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DecodeError {{ offset: {:#x}, message: {:?} }}", self.offset(), self.message())
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte offset {:#x})", self.message(), self.offset())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for DecodeError {}
