//! The executable form of lowered code, linked from the persisted form.
//!
//! [`FuncCode`] is what the lowering produces and what offload spills: pointer-free, branch
//! offsets counted in instructions. The interpreter runs an [`ExecCode`] linked from it, whose
//! branch offsets are byte distances (the branching instruction's address plus the offset is
//! the target), so a taken branch is one add on the instruction pointer instead of a scale by
//! the instruction size on the critical path. [`ExecCode::unlink`] gives the persisted form
//! back, bit for bit.

use crate::error::{Error, ErrorKind};
use alloc::vec::Vec;
use fayasm_ir::{BranchOffset, FuncCode, Op};

/// Bytes per instruction in memory.
const OP_BYTES: BranchOffset = size_of::<Op>() as BranchOffset;

/// Lowered code ready to run: [`FuncCode`] with branch offsets in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecCode {
    /// The instructions; branch offsets are in bytes, relative to the branching instruction.
    pub(crate) ops: Vec<Op>,
    /// Cells taken by the parameters.
    pub(crate) param_cells: u16,
    /// Cells taken by parameters and declared locals.
    pub(crate) local_cells: u16,
    /// Total cells of the frame.
    pub(crate) frame_cells: u16,
}

impl ExecCode {
    /// Links persisted code into its executable form. Fails only for a function so large that a
    /// branch distance in bytes does not fit a [`BranchOffset`].
    pub fn link(code: FuncCode) -> Result<ExecCode, Error> {
        let FuncCode { mut ops, param_cells, local_cells, frame_cells } = code;
        for (at, op) in ops.iter_mut().enumerate() {
            if let Some(offset) = op.branch_offset_mut() {
                *offset = offset.checked_mul(OP_BYTES).ok_or_else(|| {
                    Error::from(ErrorKind::Lower(alloc::format!(
                        "instruction {at}: branch distance of {offset} instructions is too far"
                    )))
                })?;
            }
        }
        Ok(ExecCode { ops, param_cells, local_cells, frame_cells })
    }

    /// The persisted form this code was linked from.
    pub fn unlink(&self) -> FuncCode {
        let mut ops = self.ops.clone();
        for op in &mut ops {
            if let Some(offset) = op.branch_offset_mut() {
                *offset /= OP_BYTES;
            }
        }
        FuncCode {
            ops,
            param_cells: self.param_cells,
            local_cells: self.local_cells,
            frame_cells: self.frame_cells,
        }
    }

    /// Number of instructions.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether there are no instructions (never true for linked wasm code).
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FuncCode {
        FuncCode {
            ops: alloc::vec![
                Op::Const32 { dst: 1, value: 3 },
                Op::BrIfI32LtSImm { lhs: 1, imm: 2, offset: 2 },
                Op::Br { offset: -2 },
                Op::BrTable { index: 1, len: 1 },
                Op::Br { offset: -3 },
                Op::Br { offset: 1 },
                Op::Return {},
            ],
            param_cells: 1,
            local_cells: 2,
            frame_cells: 3,
        }
    }

    #[test]
    fn link_scales_every_branch_offset_to_bytes() {
        let linked = ExecCode::link(sample()).unwrap();
        let offsets: Vec<BranchOffset> = linked
            .ops
            .clone()
            .iter_mut()
            .filter_map(|op| op.branch_offset_mut().copied())
            .collect();
        assert_eq!(offsets, [24, -24, -36, 12]);
        assert_eq!(linked.ops[0], Op::Const32 { dst: 1, value: 3 });
        assert_eq!((linked.param_cells, linked.local_cells, linked.frame_cells), (1, 2, 3));
    }

    #[test]
    fn unlink_restores_the_persisted_form() {
        assert_eq!(ExecCode::link(sample()).unwrap().unlink(), sample());
    }

    #[test]
    fn a_distance_too_far_for_bytes_is_an_error() {
        let code = FuncCode {
            ops: alloc::vec![Op::Br { offset: BranchOffset::MAX / 2 }],
            param_cells: 0,
            local_cells: 0,
            frame_cells: 0,
        };
        let err = alloc::format!("{}", ExecCode::link(code).unwrap_err());
        assert!(err.contains("instruction 0: branch distance"), "{err}");
    }
}
