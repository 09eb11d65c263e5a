//! Constant slots: constants that stay instructions inside loops are moved out of them.
//!
//! Most constants become immediates of the instruction that consumes them (`I32AddImm`,
//! `BrIfI64LtSImm`, `I32StoreImm`, ...). The rest (an `i64.const` too wide for an immediate,
//! the operand of an operator without an immediate form, a `select` arm, a value computed
//! with other instructions in between) were a `Const32`/`Const64` executed on every iteration
//! of the loop around them. Here such a constant gets a *constant slot* instead: a frame cell
//! that holds the value for the whole call, written once by the function's preamble, and the
//! consuming instruction reads it like any other slot. One slot serves every use of a value.
//!
//! Frame layout with constant slots: `[params | locals | constants | operand stack]`. The
//! operand stack's slots are only known to be final at the end of the function, so during
//! lowering a constant slot is a placeholder counted down from [`Slot::MAX`], and
//! [`finish`] shifts the operand-stack slots up by the number of constants and gives each
//! placeholder its cell (with the rare function whose frame would then not fit lowered again
//! without constant slots, by the caller). The preamble, one `Const` per slot, is put in front
//! of the code: branch offsets are relative, so no offset changes, and a loop at the start of
//! the function branches back past the preamble.
//!
//! Only functions whose results fit in their parameter and local cells get constant slots:
//! results are returned in the frame's first cells, and a result cell past the locals must
//! keep its number while the operand-stack slot with the same number moves.
//!
//! A constant is moved only if the `Const` and its consumer lie in one straight-line stretch
//! inside a loop (after the last label, with no branch between them) and everything between
//! them writes exactly one slot and reads only its own operands: then nothing but the consumer
//! reads the constant's operand-stack slot, and removing the `Const` leaves every other
//! instruction as it was. Outside loops a constant runs at most once per call anyway.

use super::{Lowerer, MAX_FRAME_CELLS, dst_mut};
use crate::isa::{Op, Slot};
use alloc::vec::Vec;

/// The most constant slots a function gets: each costs one preamble instruction per call.
pub(super) const MAX_CONST_SLOTS: usize = 64;

/// How far back from its consumer a `Const` is looked for. Almost every constant is pushed
/// just before its use or before a short operand; the bound keeps lowering linear in the
/// length of a straight-line stretch (an unbounded search cost regex-redux 16% of its
/// lowering time).
const LOOK_BACK: usize = 12;

/// The most operand-stack slots one consumer reads (`select` reads three).
const MAX_READS: usize = 4;

/// The cell a `Const32`/`Const64` writes, as the 64 bits of its frame cell.
fn const_bits(op: &Op) -> Option<(Slot, u64)> {
    match *op {
        Op::Const32 { dst, value } => Some((dst, u64::from(value))),
        Op::Const64 { dst, lo, hi } => Some((dst, u64::from(hi) << 32 | u64::from(lo))),
        _ => None,
    }
}

/// The instruction that writes `bits` into `dst`.
pub(super) fn const_op(dst: Slot, bits: u64) -> Op {
    if bits >> 32 == 0 {
        Op::Const32 { dst, value: bits as u32 }
    } else {
        Op::Const64 { dst, lo: bits as u32, hi: (bits >> 32) as u32 }
    }
}

/// Whether `op`, lying between a `Const` writing `slot` and that constant's consumer, leaves
/// `slot` alone and may shift down one place: it writes one slot (not `slot`), reads only its
/// own operands and does not branch.
fn passes_over(op: &Op, slot: Slot) -> bool {
    let mut op = *op;
    if op.branch_offset_mut().is_some() {
        return false;
    }
    let single_write = match op {
        Op::Const32 { .. } | Op::Const64 { .. } | Op::Copy { .. } | Op::GlobalGet { .. } => true,
        Op::CopyPair { dst, dst2, .. } | Op::CopyPairAcc { dst, dst2, .. } => {
            return dst != slot && dst2 != slot;
        }
        _ => op.for_each_read_slot_mut(|_| {}),
    };
    single_write && dst_mut(&mut op).is_none_or(|d| *d != slot)
}

impl Lowerer<'_> {
    /// Whether the instruction being lowered lies inside a loop.
    pub(super) fn in_loop(&self) -> bool {
        self.ctrl.last().is_some_and(|c| c.in_loop)
    }

    /// The placeholder slot of constant slot `k` (see the module docs).
    fn const_placeholder(k: usize) -> Slot {
        Slot::MAX - k as Slot
    }

    /// Whether `slot` is a constant-slot placeholder.
    pub(super) fn is_const_placeholder(&self, slot: Slot) -> bool {
        usize::from(Slot::MAX - slot) < self.const_slots.len()
    }

    /// The placeholder of the constant slot holding `bits`, a new one if there is room.
    fn const_slot(&mut self, bits: u64) -> Option<Slot> {
        if let Some(k) = self.const_slots.iter().position(|&b| b == bits) {
            return Some(Self::const_placeholder(k));
        }
        if self.const_slots.len() == MAX_CONST_SLOTS {
            return None;
        }
        self.const_slots.push(bits);
        Some(Self::const_placeholder(self.const_slots.len() - 1))
    }

    /// The placeholder of two adjacent constant slots holding `lo` and then `hi` (a `v128`),
    /// new ones if there is room.
    fn const_pair(&mut self, lo: u64, hi: u64) -> Option<Slot> {
        if let Some(k) = self.const_slots.windows(2).position(|w| w == [lo, hi]) {
            return Some(Self::const_placeholder(k));
        }
        if self.const_slots.len() + 2 > MAX_CONST_SLOTS {
            return None;
        }
        self.const_slots.extend([lo, hi]);
        Some(Self::const_placeholder(self.const_slots.len() - 2))
    }

    /// The `v128` operand in `slot` of a SIMD instruction about to be emitted, moved into two
    /// adjacent constant slots if it is a `v128.const` just lowered (its two `Const`s, one
    /// per half, are the last two instructions, after the last label) inside a loop: the two
    /// `Const`s go and the placeholder of the first slot is returned. A SIMD instruction reads
    /// a `v128` operand from its slot and the next one, so the halves stay together.
    pub(super) fn v128_const_operand(&mut self, slot: Slot) -> Option<Slot> {
        let n = self.ops.len();
        if !self.use_const_slots || n < self.barrier + 2 || !self.in_loop() {
            return None;
        }
        let (Some((lo_dst, lo)), Some((hi_dst, hi))) =
            (const_bits(&self.ops[n - 2]), const_bits(&self.ops[n - 1]))
        else {
            return None;
        };
        if lo_dst != slot || u32::from(hi_dst) != u32::from(slot) + 1 {
            return None;
        }
        if u32::from(slot) < self.local_cells || self.is_const_placeholder(slot) {
            return None;
        }
        let k = self.const_pair(lo, hi)?;
        self.ops.truncate(n - 2);
        Some(k)
    }

    /// The index of the `Const` that wrote the operand-stack slot `slot` read by instruction
    /// `consumer`, if only instructions that [`passes_over`] it lie between them (searched
    /// back to `from`).
    fn const_writer(&self, slot: Slot, from: usize, consumer: usize) -> Option<usize> {
        for j in (from..consumer).rev() {
            let op = &self.ops[j];
            if let Some((dst, _)) = const_bits(op)
                && dst == slot
            {
                return Some(j);
            }
            if !passes_over(op, slot) {
                return None;
            }
        }
        None
    }

    /// Moves the constants that the last instruction (a consumer just emitted) reads out of
    /// the loop around it: each such operand reads a constant slot instead, and its `Const`
    /// goes (see the module docs).
    pub(super) fn fold_const_operands(&mut self) {
        if !self.use_const_slots {
            return;
        }
        let Some(mut last) = self.ops.len().checked_sub(1) else { return };
        if last <= self.barrier {
            return;
        }
        // The common case, no `Const` emitted in reach, costs one compare. (A `Const` that
        // moved down since is still found; one that did not come from `emit` may be missed,
        // which only leaves it where it is.) Constants before `from` are not looked at.
        let from = self.barrier.max(last.saturating_sub(LOOK_BACK));
        if self.last_const_end <= from || !self.in_loop() {
            return;
        }
        // The last `Const` emitted may have become an immediate since: then forget it.
        let end = self.last_const_end.min(last);
        if !self.ops[from..end].iter().any(|op| const_bits(op).is_some()) {
            self.last_const_end = 0;
            return;
        }
        let mut consumer = self.ops[last];
        if consumer.branch_offset_mut().is_some() {
            return;
        }
        let mut reads = [0 as Slot; MAX_READS];
        let mut n_reads = 0;
        let local_cells = self.local_cells;
        let mut too_many = false;
        if !consumer.for_each_read_slot_mut(|s| {
            if u32::from(*s) >= local_cells && !reads[..n_reads].contains(s) {
                if n_reads == MAX_READS {
                    too_many = true;
                } else {
                    reads[n_reads] = *s;
                    n_reads += 1;
                }
            }
        }) || too_many
        {
            return;
        }
        let mut moved = false;
        for &slot in &reads[..n_reads] {
            if self.is_const_placeholder(slot) {
                continue;
            }
            let Some(j) = self.const_writer(slot, from, last) else { continue };
            let Some((_, bits)) = const_bits(&self.ops[j]) else { continue };
            let Some(k) = self.const_slot(bits) else { return };
            consumer.for_each_read_slot_mut(|s| {
                if *s == slot {
                    *s = k;
                }
            });
            self.ops[last] = consumer;
            self.ops.remove(j);
            last -= 1;
            moved = true;
        }
        // With a `Const` gone, the instruction before the consumer may now be the one that
        // produced its other operand: read that from the accumulator.
        if moved && let Some(consumer) = self.ops.pop() {
            let op = self.with_acc(consumer);
            self.ops.push(op);
        }
    }
}

/// Gives the constant slots of a lowered function their cells and puts the preamble that
/// fills them in front of `ops` (see the module docs). `max_cells` is the frame size without
/// them. Returns the frame size with them, or `None` if it would exceed [`MAX_FRAME_CELLS`]:
/// then `ops` is unchanged and the function must be lowered without constant slots.
pub(super) fn finish(
    ops: &mut Vec<Op>,
    consts: &[u64],
    local_cells: u32,
    max_cells: u32,
) -> Option<u32> {
    let n = consts.len() as u32;
    if n == 0 {
        return Some(max_cells);
    }
    // Every real slot is below `max_cells` (a call's `base` may equal it), so below the
    // placeholders, which start at `Slot::MAX + 1 - n`.
    let frame = max_cells.checked_add(n).filter(|&f| f <= MAX_FRAME_CELLS)?;
    let first_placeholder = u32::from(Slot::MAX) + 1 - n;
    for op in ops.iter_mut() {
        op.for_each_slot_mut(|s| {
            let v = u32::from(*s);
            if v >= first_placeholder {
                *s = (local_cells + (u32::from(Slot::MAX) - v)) as Slot;
            } else if v >= local_cells {
                *s = (v + n) as Slot;
            }
        });
    }
    let preamble = consts
        .iter()
        .enumerate()
        .map(|(k, &bits)| const_op((local_cells as usize + k) as Slot, bits));
    ops.splice(0..0, preamble);
    Some(frame)
}
