//! Jump threading of loops whose test is at the top.
//!
//! A loop the producer did not rotate (`loop { if !cond break; body; br loop }`, C's `while`
//! in size-optimised code, and the byte loops rustc's `memcpy`/`memmove` compile to) runs two
//! branches per iteration: the `Br` at the bottom back to the top and the conditional exit
//! test there. When the test reads only slots and immediates and exits to the instruction
//! right after the `Br`, the `Br` becomes the negated test jumping to the instruction after
//! the top one: it continues the loop exactly when the top test would have, and otherwise
//! falls through to where the test would have exited. The top test stays for the first
//! iteration and for every other way in.
//!
//! Where an in-place add of a constant or a slot to a local comes just before the `Br` and the
//! test reads that local (`i += 1` or `j += p` at the bottom, `i != n` at the top), the add
//! and the negated test become one back edge (`I32AddImmBrIfNe`, `I32AddBrIfLtU`, as
//! `fuse::step_branch` makes them), and the `Br`'s place becomes a jump to the next instruction, which only the loop's
//! exit runs; this needs the `Br` itself not to be a branch target.
//!
//! The pass runs on a function's finished microcode (all branch offsets resolved) and changes
//! instructions in place, never their number, so no offset moves. `br_table` entries are left
//! alone: they are data the `BrTable` reads, not instructions that run.

use super::{acc_form, dst_mut, fuse};
use crate::isa::Op;
use alloc::vec;
use alloc::vec::Vec;

/// Rewrites, in place, every `Br` to a test it can run itself (see the module doc).
pub(super) fn thread_loop_tests(ops: &mut [Op]) {
    // Computed at the first threaded `Br`: most functions have none.
    let mut targets: Option<Vec<bool>> = None;
    let mut i = 0;
    while i < ops.len() {
        match ops[i] {
            Op::BrTable { len, .. } => {
                i += len as usize + 2;
                continue;
            }
            Op::Br { offset } => {
                if let Some((threaded, body)) = threaded(ops, i, offset) {
                    let targets = targets.get_or_insert_with(|| branch_targets(ops));
                    ops[i] = threaded;
                    targets[body] = true;
                    if i > 0 && !targets[i] {
                        if let Some(fused) = fused_with_add(&ops[i - 1], &threaded) {
                            ops[i - 1] = fused;
                            ops[i] = Op::Br { offset: 1 };
                        } else {
                            ops[i] = reading_acc(&ops[i - 1], threaded);
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// Which instructions some branch (a `br_table` entry included) jumps to; one more entry
/// for the end.
fn branch_targets(ops: &[Op]) -> Vec<bool> {
    let mut targets = vec![false; ops.len() + 1];
    for (at, op) in ops.iter().enumerate() {
        let mut op = *op;
        if let Some(&mut offset) = op.branch_offset_mut()
            && let Ok(to) = usize::try_from(at as i64 + i64::from(offset))
            && let Some(t) = targets.get_mut(to)
        {
            *t = true;
        }
    }
    targets
}

/// `test` reading from the accumulator the slot that `prev` (the only way into `test`) wrote,
/// if it has such a form, as the lowering's accumulator forms do. Not after a constant, which
/// `consts` may still move out of the loop into a constant slot.
fn reading_acc(prev: &Op, test: Op) -> Op {
    if matches!(prev, Op::Const32 { .. } | Op::Const64 { .. }) {
        return test;
    }
    let mut writer = *prev;
    let Some(&mut acc) = dst_mut(&mut writer) else { return test };
    acc_form(prev, acc, test)
}

/// The in-place `add` (just before the threaded test `test`) and `test` as one back edge, if `test` reads the added local; its offset is one more, as it sits one
/// instruction earlier.
fn fused_with_add(add: &Op, test: &Op) -> Option<Op> {
    // `fuse::step_branch` accepts only in-place adds; any other writer of `var` makes nothing.
    let mut writer = *add;
    let &mut var = dst_mut(&mut writer)?;
    let mut test = *test;
    let offset = test.branch_offset_mut()?;
    *offset = offset.checked_add(1)?;
    // The add leaves the local in the accumulator: the test's accumulator form reads it there.
    fuse::step_branch(add, &fuse::with_acc(test, var))
}

/// The negated test that replaces the `Br` at `at` (jumping by `offset`), if its target is a
/// test that exits to `at + 1`, and the instruction it continues the loop at.
fn threaded(ops: &[Op], at: usize, offset: i32) -> Option<(Op, usize)> {
    let top = usize::try_from(at as i64 + i64::from(offset)).ok()?;
    let test = ops.get(top)?;
    let mut probe = *test;
    let exit_offset = *probe.branch_offset_mut()?;
    let exit = top as i64 + i64::from(exit_offset);
    if exit != at as i64 + 1 {
        return None;
    }
    let body = top + 1;
    let negated = fuse::negated_branch(test, i32::try_from(body as i64 - at as i64).ok()?)?;
    Some((negated, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bottom_jump_to_a_top_test_becomes_the_negated_test() {
        // 0: exit to 3 when s0 == s1; 1: body; 2: back to 0; 3: after the loop.
        let mut ops = [
            Op::BrIfI32Eq { lhs: 0, rhs: 1, offset: 3 },
            Op::I32Add { dst: 3, lhs: 0, rhs: 2 },
            Op::Br { offset: -2 },
            Op::Return {},
        ];
        thread_loop_tests(&mut ops);
        assert_eq!(ops[2], Op::BrIfI32Ne { lhs: 0, rhs: 1, offset: -1 });
        assert_eq!(ops[0], Op::BrIfI32Eq { lhs: 0, rhs: 1, offset: 3 });
        // The slot the instruction before just wrote is read from the accumulator.
        ops[1] = Op::I32Sub { dst: 0, lhs: 0, rhs: 2 };
        ops[2] = Op::Br { offset: -2 };
        thread_loop_tests(&mut ops);
        assert_eq!(ops[2], Op::BrIfI32NeAcc { rhs: 1, offset: -1 });
        // An in-place add of a slot joins the test as a strided back edge continuing at
        // itself (the loop body), and the `Br`'s place becomes the exit.
        ops[1] = Op::I32Add { dst: 0, lhs: 0, rhs: 2 };
        ops[2] = Op::Br { offset: -2 };
        thread_loop_tests(&mut ops);
        assert_eq!(ops[1], Op::I32AddBrIfNe { var: 0, step: 2, rhs: 1, offset: 0 });
        assert_eq!(ops[2], Op::Br { offset: 1 });
        // Not after a constant, which may yet move to a constant slot.
        ops[1] = Op::Const32 { dst: 0, value: 7 };
        ops[2] = Op::Br { offset: -2 };
        thread_loop_tests(&mut ops);
        assert_eq!(ops[2], Op::BrIfI32Ne { lhs: 0, rhs: 1, offset: -1 });
    }

    #[test]
    fn an_in_place_add_before_the_jump_joins_the_negated_test() {
        // 0: exit to 4 when s0 == s1; 1: body; 2: s0 += 1; 3: back to 0; 4: after the loop.
        let looped = |jump_to_3: bool| {
            [
                Op::BrIfI32Eq { lhs: 0, rhs: 1, offset: 4 },
                if jump_to_3 {
                    Op::BrIfNez { cond: 2, offset: 2 }
                } else {
                    Op::I32AddImm { dst: 2, lhs: 2, imm: 3 }
                },
                Op::I32AddImm { dst: 0, lhs: 0, imm: 1 },
                Op::Br { offset: -3 },
                Op::Return {},
            ]
        };
        let mut ops = looped(false);
        thread_loop_tests(&mut ops);
        assert_eq!(ops[2], Op::I32AddImmBrIfNe { var: 0, rhs: 1, imm: 1, offset: -1 });
        assert_eq!(ops[3], Op::Br { offset: 1 });
        // A branch into the `Br` itself keeps the add separate.
        let mut ops = looped(true);
        thread_loop_tests(&mut ops);
        assert_eq!(ops[2], Op::I32AddImm { dst: 0, lhs: 0, imm: 1 });
        assert_eq!(ops[3], Op::BrIfI32Ne { lhs: 0, rhs: 1, offset: -2 });
    }

    #[test]
    fn tests_that_exit_elsewhere_or_read_the_accumulator_stay() {
        let mut elsewhere = [
            Op::BrIfI32Eq { lhs: 0, rhs: 1, offset: 4 },
            Op::I32AddImm { dst: 0, lhs: 0, imm: 1 },
            Op::Br { offset: -2 },
            Op::Return {},
            Op::Return {},
        ];
        let before = elsewhere;
        thread_loop_tests(&mut elsewhere);
        assert_eq!(elsewhere, before);
        let mut acc = [
            Op::BrIfEqzAcc { offset: 3 },
            Op::I32AddImm { dst: 0, lhs: 0, imm: 1 },
            Op::Br { offset: -2 },
            Op::Return {},
        ];
        let before = acc;
        thread_loop_tests(&mut acc);
        assert_eq!(acc, before);
    }

    #[test]
    fn br_table_entries_are_not_threaded() {
        // The entry at 2 points at the test at 0, which exits to 3: as an executed `Br` it
        // would be threaded, as a table entry it must stay.
        let mut ops = [
            Op::BrIfNez { cond: 0, offset: 4 },
            Op::BrTable { index: 1, len: 1 },
            Op::Br { offset: -2 },
            Op::Br { offset: 1 },
            Op::Return {},
        ];
        let before = ops;
        thread_loop_tests(&mut ops);
        assert_eq!(ops, before);
    }
}
