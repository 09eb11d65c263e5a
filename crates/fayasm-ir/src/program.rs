//! A lowered function.

use crate::Op;
use alloc::vec::Vec;

/// The microcode of one function: instructions plus the frame shape the interpreter needs.
///
/// It holds no pointers, only indices and relative offsets, so it can be encoded, stored and
/// rebuilt as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuncCode {
    /// The instructions.
    pub ops: Vec<Op>,
    /// Cells taken by the parameters (they arrive in slots `0..param_cells`).
    pub param_cells: u16,
    /// Cells taken by parameters and declared locals; slots `param_cells..local_cells` start at
    /// zero.
    pub local_cells: u16,
    /// Total cells of the frame: locals plus the deepest operand stack.
    pub frame_cells: u16,
}
