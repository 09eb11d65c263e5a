//! Trap codes: the reasons a WebAssembly execution can stop abnormally.

use core::fmt;

macro_rules! trap_codes {
    ($($(#[$doc:meta])* $name:ident = $msg:literal,)*) => {
        /// Why execution trapped. The `Display` text is the message the WebAssembly spec test
        /// suite expects for that trap.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[repr(u8)]
        pub enum TrapCode {
            $($(#[$doc])* $name,)*
        }

        impl TrapCode {
            /// Every trap code, in declaration order.
            pub const ALL: &'static [TrapCode] = &[$(TrapCode::$name,)*];

            /// The spec's message for this trap.
            pub const fn message(self) -> &'static str {
                match self {
                    $(TrapCode::$name => $msg,)*
                }
            }
        }
    };
}

trap_codes! {
    /// An `unreachable` instruction was executed.
    Unreachable = "unreachable",
    /// Integer division or remainder by zero.
    IntegerDivideByZero = "integer divide by zero",
    /// Integer overflow (`i32.div_s` of `INT_MIN / -1`, float truncation out of range).
    IntegerOverflow = "integer overflow",
    /// A float-to-int truncation of a NaN.
    InvalidConversionToInteger = "invalid conversion to integer",
    /// A linear-memory access out of bounds.
    MemoryOutOfBounds = "out of bounds memory access",
    /// A table access out of bounds.
    TableOutOfBounds = "out of bounds table access",
    /// `call_indirect` to an index past the end of the table.
    UndefinedElement = "undefined element",
    /// `call_indirect` to a null table entry.
    UninitializedElement = "uninitialized element",
    /// `call_indirect` to a function of another type.
    IndirectCallTypeMismatch = "indirect call type mismatch",
    /// The call depth or value-stack limit was reached.
    StackOverflow = "call stack exhausted",
    /// A host function returned an error.
    HostError = "host error",
    /// The fuel given to the execution ran out.
    OutOfFuel = "all fuel consumed",
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for TrapCode {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn trap_code_is_one_byte() {
        assert_eq!(size_of::<TrapCode>(), 1);
        assert_eq!(size_of::<Option<TrapCode>>(), 1);
    }

    #[test]
    fn messages_match_the_spec_suite() {
        assert_eq!(TrapCode::IntegerDivideByZero.to_string(), "integer divide by zero");
        assert_eq!(TrapCode::StackOverflow.to_string(), "call stack exhausted");
        assert_eq!(TrapCode::ALL.len(), 12);
    }
}
