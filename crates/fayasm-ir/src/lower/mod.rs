//! Lowering: validated wasm function bodies to microcode.
//!
//! The lowering walks the operators once, keeping an abstract operand stack whose entries are
//! either *canonical* (the value sits in the entry's own stack slot) or an *alias* of a local
//! (`local.get` emits nothing). Aliases are turned into copies where their local is about to be
//! overwritten, where control flow merges (block entry) and where a callee needs its arguments
//! in place. Every other instruction reads its operands straight from locals or stack slots and
//! writes its result to the slot the wasm stack would use, so `local.get a; local.get b;
//! i32.add; local.set c` becomes a single `I32Add` whose destination is retargeted to `c`.
//!
//! Branches are resolved here: forward targets are patched when their block ends, values a
//! branch carries are copied to the target's result slots before the jump, and `br_table`
//! becomes a table of `Br` instructions, with a stub per target that needs copies.
//!
//! On the finished code, `thread` turns a jump back to a loop's top test into the negated
//! test, and `consts` moves constants out of loops into constant slots.

/// The `ValType` named by an ISA list type token (used by the generated lowering arms).
macro_rules! vt {
    (i32) => {
        ValType::I32
    };
    (i64) => {
        ValType::I64
    };
    (f32) => {
        ValType::F32
    };
    (f64) => {
        ValType::F64
    };
}

mod consts;
mod control;
mod fuse;
mod memories;
mod simd;
mod tables;
mod thread;

use crate::FuncCode;
use crate::isa::{BranchOffset, Op, Slot};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use fayasm_core::ValType;
use fayasm_decode::ModuleInfo;
use wasmparser::BinaryReader;

/// Why a function could not be lowered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowerError {
    /// Byte offset in the module of the operator being lowered.
    pub offset: usize,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for LowerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte offset {:#x})", self.message, self.offset)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for LowerError {}

/// The largest frame a function may have, in cells (slots are 16 bits).
pub const MAX_FRAME_CELLS: u32 = u16::MAX as u32;

/// Lowers defined function `def` (index among the module's defined functions) of a module that
/// `fayasm_decode::parse` accepted. `bytes` are the module's bytes.
pub fn lower_function(info: &ModuleInfo, bytes: &[u8], def: u32) -> Result<FuncCode, LowerError> {
    match lower_with(info, bytes, def, true)? {
        Some(code) => Ok(code),
        // The constant slots did not fit the frame: a function near the frame limit.
        None => lower_with(info, bytes, def, false)?
            .ok_or_else(|| LowerError { offset: 0, message: "frame too large".into() }),
    }
}

/// [`lower_function`], with or without constant slots (see `consts`); `None` if the constant
/// slots do not fit the frame.
fn lower_with(
    info: &ModuleInfo,
    bytes: &[u8],
    def: u32,
    use_const_slots: bool,
) -> Result<Option<FuncCode>, LowerError> {
    let err = |offset: usize, message: String| LowerError { offset, message };
    let body = info
        .bodies
        .get(def as usize)
        .ok_or_else(|| err(0, format!("no defined function {def}")))?;
    let func_index = info.num_imported_funcs + def;
    let ty = info
        .func_type(func_index)
        .ok_or_else(|| err(body.range.start, format!("function {func_index} has no type")))?;
    let whole = bytes.get(body.range.clone()).ok_or_else(|| {
        err(body.range.start, format!("body of function {func_index} lies outside the module"))
    })?;

    let mut lw = Lowerer::new(info, ty.results.to_vec(), body.range.start);
    for &p in ty.params.iter() {
        lw.add_local(p)?;
    }
    let param_cells = lw.local_cells;
    for &(count, t) in body.locals.iter() {
        for _ in 0..count {
            lw.add_local(t)?;
        }
    }
    // Results are returned in the frame's first cells: where they reach past the locals, those
    // cells must keep their numbers, which constant slots would shift (see `consts`).
    let result_cells: u32 = ty.results.iter().map(|t| t.cells()).sum();
    lw.use_const_slots = use_const_slots && result_cells <= lw.local_cells;
    lw.begin();
    // The operators follow the local declarations (already in `body.locals`), which the reader
    // skips.
    let mut reader = wasmparser::FunctionBody::new(BinaryReader::new(whole, body.range.start))
        .get_operators_reader()
        .map_err(|e| err(e.offset(), e.message().to_string()))?;
    while !reader.eof() {
        lw.offset = reader.original_position();
        let op = reader.read().map_err(|e| err(e.offset(), e.message().to_string()))?;
        lw.operator(&op)?;
    }
    if !lw.ctrl.is_empty() {
        return Err(lw.error("function body ends inside a block"));
    }
    let mut ops = lw.ops;
    thread::thread_loop_tests(&mut ops);
    let Some(frame_cells) = consts::finish(&mut ops, &lw.const_slots, lw.local_cells, lw.max_cells)
    else {
        return Ok(None);
    };
    Ok(Some(FuncCode {
        ops,
        param_cells: param_cells as u16,
        local_cells: lw.local_cells as u16,
        frame_cells: frame_cells as u16,
    }))
}

/// Where the value of an abstract stack entry lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Src {
    /// In the entry's own slot.
    Canonical,
    /// In this local's slot (the entry's own slot is not written).
    Local(u32),
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    ty: ValType,
    /// The entry's own (canonical) slot.
    cell: u32,
    src: Src,
}

impl Entry {
    fn slot(&self) -> Slot {
        match self.src {
            Src::Canonical => self.cell as Slot,
            Src::Local(c) => c as Slot,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CtrlKind {
    Func,
    Block,
    Loop,
    If,
    Else,
}

#[derive(Debug)]
struct Ctrl {
    kind: CtrlKind,
    /// Abstract stack length below the block's parameters.
    height: usize,
    /// First cell of the block's parameters (and results).
    cell: u32,
    params: Vec<ValType>,
    results: Vec<ValType>,
    /// Instruction index of a loop's start.
    loop_start: usize,
    /// Branches to patch with the block's end.
    patches: Vec<usize>,
    /// An `if`'s branch to the else arm (or to the end if there is none).
    else_patch: Option<usize>,
    /// Whether this block is a loop or lies inside one.
    in_loop: bool,
}

impl Ctrl {
    /// The types a branch to this label carries.
    fn label_types(&self) -> &[ValType] {
        if self.kind == CtrlKind::Loop { &self.params } else { &self.results }
    }
}

pub(crate) struct Lowerer<'a> {
    info: &'a ModuleInfo,
    ops: Vec<Op>,
    local_types: Vec<ValType>,
    local_cell: Vec<u32>,
    local_cells: u32,
    results: Vec<ValType>,
    stack: Vec<Entry>,
    max_cells: u32,
    ctrl: Vec<Ctrl>,
    reachable: bool,
    /// Nesting depth of blocks opened inside unreachable code.
    skip_depth: u32,
    /// Instructions before this index may not be rewritten (a label follows them).
    barrier: usize,
    offset: usize,
    /// The values of the constant slots, in slot order (see `consts`).
    const_slots: Vec<u64>,
    /// Whether constants inside loops may move to constant slots.
    use_const_slots: bool,
    /// Whether the module has a 64-bit table (only then do table instructions go through
    /// `tables.rs` first).
    has_table64: bool,
    /// One past the index at which the last `Const` was emitted (0: none yet), so that
    /// `consts` looks for constants to move only when one is near.
    last_const_end: usize,
}

impl<'a> Lowerer<'a> {
    fn new(info: &'a ModuleInfo, results: Vec<ValType>, offset: usize) -> Self {
        Lowerer {
            info,
            ops: Vec::new(),
            local_types: Vec::new(),
            local_cell: Vec::new(),
            local_cells: 0,
            results,
            stack: Vec::new(),
            max_cells: 0,
            ctrl: Vec::new(),
            reachable: true,
            skip_depth: 0,
            barrier: 0,
            offset,
            const_slots: Vec::new(),
            use_const_slots: false,
            has_table64: info.tables.iter().any(|t| t.table64),
            last_const_end: 0,
        }
    }

    #[cold]
    fn error(&self, message: impl Into<String>) -> LowerError {
        LowerError { offset: self.offset, message: message.into() }
    }

    fn add_local(&mut self, ty: ValType) -> Result<(), LowerError> {
        self.local_types.push(ty);
        self.local_cell.push(self.local_cells);
        self.local_cells += ty.cells();
        if self.local_cells > MAX_FRAME_CELLS {
            return Err(
                self.error(format!("function has more than {MAX_FRAME_CELLS} cells of locals"))
            );
        }
        self.max_cells = self.local_cells;
        Ok(())
    }

    fn begin(&mut self) {
        let results = self.results.clone();
        self.ctrl.push(Ctrl {
            kind: CtrlKind::Func,
            height: 0,
            cell: 0,
            params: Vec::new(),
            results,
            loop_start: 0,
            patches: Vec::new(),
            else_patch: None,
            in_loop: false,
        });
    }

    // ----- abstract stack -----

    fn top_cell(&self) -> u32 {
        self.stack.last().map_or(self.local_cells, |e| e.cell + e.ty.cells())
    }

    fn push(&mut self, ty: ValType) -> Result<Entry, LowerError> {
        self.push_src(ty, Src::Canonical)
    }

    fn push_src(&mut self, ty: ValType, src: Src) -> Result<Entry, LowerError> {
        let cell = self.top_cell();
        let top = cell + ty.cells();
        if top > MAX_FRAME_CELLS {
            return Err(self.error(format!("function frame exceeds {MAX_FRAME_CELLS} cells")));
        }
        self.max_cells = self.max_cells.max(top);
        let e = Entry { ty, cell, src };
        self.stack.push(e);
        Ok(e)
    }

    fn pop(&mut self) -> Result<Entry, LowerError> {
        self.stack.pop().ok_or_else(|| self.error("operand stack underflow"))
    }

    fn emit(&mut self, op: Op) -> usize {
        if matches!(op, Op::Const32 { .. } | Op::Const64 { .. }) {
            self.last_const_end = self.ops.len() + 1;
        }
        self.ops.push(op);
        self.ops.len() - 1
    }

    fn copy(&mut self, dst: u32, src: u32, ty: ValType) {
        if dst != src {
            let (dst, src) = (dst as Slot, src as Slot);
            if ty.cells() == 2 {
                self.emit(Op::Copy2 { dst, src });
            } else if self.ops.len() > self.barrier
                && let Some(&Op::Copy { dst: dst1, src: src1 }) = self.ops.last()
            {
                // Two copies in a row (carried values, swaps like `a, b = b, a + b`) run as one.
                self.ops.pop();
                // A second value the instruction before the pair just computed comes from the
                // accumulator, unless the first copy overwrites it.
                let from_acc =
                    dst1 != src && self.acc_slot() == Some(src) && !self.acc_is_moving_const();
                if from_acc {
                    self.emit(Op::CopyPairAcc { dst: dst1, src: src1, dst2: dst });
                } else {
                    self.emit(Op::CopyPair { dst: dst1, src: src1, dst2: dst, src2: src });
                }
            } else {
                self.emit(Op::Copy { dst, src });
            }
        }
    }

    fn materialize(&mut self, i: usize) {
        let e = self.stack[i];
        if let Src::Local(c) = e.src {
            self.copy(e.cell, c, e.ty);
            self.stack[i].src = Src::Canonical;
        }
    }

    fn materialize_all(&mut self) {
        for i in 0..self.stack.len() {
            self.materialize(i);
        }
    }

    fn materialize_top(&mut self, n: usize) {
        for i in self.stack.len().saturating_sub(n)..self.stack.len() {
            self.materialize(i);
        }
    }

    /// Makes every entry aliasing the local at `cell` canonical, before the local changes.
    fn materialize_local(&mut self, cell: u32) {
        for i in 0..self.stack.len() {
            if self.stack[i].src == Src::Local(cell) {
                self.materialize(i);
            }
        }
    }

    /// Marks the current position as a label: earlier instructions must not be rewritten.
    fn label_here(&mut self) {
        self.barrier = self.ops.len();
    }

    // ----- locals -----

    fn local(&self, index: u32) -> Result<(u32, ValType), LowerError> {
        let i = index as usize;
        match (self.local_cell.get(i), self.local_types.get(i)) {
            (Some(&c), Some(&t)) => Ok((c, t)),
            _ => Err(self.error(format!("unknown local {index}"))),
        }
    }

    fn local_get(&mut self, index: u32) -> Result<(), LowerError> {
        let (cell, ty) = self.local(index)?;
        self.push_src(ty, Src::Local(cell))?;
        Ok(())
    }

    /// Writes the popped `value` into the local at `cell`.
    fn assign_local(&mut self, cell: u32, value: Entry) {
        if value.src == Src::Local(cell) {
            return;
        }
        self.materialize_local(cell);
        if let Src::Local(c) = value.src {
            self.copy(cell, c, value.ty);
            return;
        }
        // Retarget the instruction that produced the value, if it is the last one and wrote
        // only the value's slot (or, for a `v128`, its two cells, as the local has).
        if self.ops.len() > self.barrier
            && let Some(last) = self.ops.last_mut()
            && let Some(dst) = match value.ty {
                ValType::V128 => simd::v128_dst_mut(last),
                ty if ty.cells() == 1 => dst_mut(last),
                _ => None,
            }
            && u32::from(*dst) == value.cell
        {
            *dst = cell as Slot;
            // A zero test of the local just before its step (`if n == 0 { break } n -= 1`)
            // joins it.
            self.merge_last_two(fuse::test_then_step);
            return;
        }
        self.copy(cell, value.cell, value.ty);
    }

    fn local_set(&mut self, index: u32) -> Result<(), LowerError> {
        let (cell, _) = self.local(index)?;
        let v = self.pop()?;
        self.assign_local(cell, v);
        Ok(())
    }

    fn local_tee(&mut self, index: u32) -> Result<(), LowerError> {
        let (cell, ty) = self.local(index)?;
        let v = self.pop()?;
        self.assign_local(cell, v);
        self.push_src(ty, Src::Local(cell))?;
        Ok(())
    }

    // ----- generic shapes -----

    fn unary(
        &mut self,
        result: ValType,
        make: impl FnOnce(Slot, Slot) -> Op,
    ) -> Result<(), LowerError> {
        let a = self.pop()?;
        let r = self.push(result)?;
        let op = make(r.cell as Slot, a.slot());
        // `i32.eqz` of a compare just emitted is the negated compare (`a == b; eqz` is
        // `a != b`), which a `br_if` or `if` consuming it fuses with in turn.
        let negated = match op {
            Op::I32Eqz { .. } if r.cell == a.cell => self
                .last_writer_of(a)
                .filter(|cmp| fuse::compare_dst(cmp).map(u32::from) == Some(a.cell))
                .and_then(fuse::negated_compare),
            _ => None,
        };
        // `i32.eqz` has no accumulator form, so it stays fusable with a branch.
        self.emit_fused(negated, op);
        self.fold_const_operands();
        Ok(())
    }

    fn binary(
        &mut self,
        result: ValType,
        make: impl FnOnce(Slot, Slot, Slot) -> Op,
    ) -> Result<(), LowerError> {
        let b = self.pop()?;
        let a = self.pop()?;
        let r = self.push(result)?;
        let op = make(r.cell as Slot, a.slot(), b.slot());
        // A constant emitted just now for either operand becomes an immediate.
        let fused = match self.last_const(b) {
            Some(k) => fuse::with_rhs_imm(op, k),
            None => self.last_const(a).and_then(|k| fuse::with_lhs_imm(op, k)),
        };
        // Likewise a float constant that fits an f32 immediate.
        let fused = fused.or_else(|| match self.last_float_const(b) {
            Some(k) => fuse::with_rhs_fimm(op, k),
            None => self.last_float_const(a).and_then(|k| fuse::with_lhs_fimm(op, k)),
        });
        // A shift by a constant just emitted for either operand of an add becomes a scaled add.
        let fused = fused.or_else(|| {
            let shifted = [b, a].into_iter().find(|e| e.src == Src::Canonical)?;
            if self.ops.len() <= self.barrier {
                return None;
            }
            fuse::add_shl(op, self.ops.last()?, shifted.cell)
        });
        self.emit_fused(fused, op);
        self.fuse_shl_add_imm(a);
        self.fuse_shr_and_imm(a);
        self.fuse_xor_shift([a, b]);
        self.fold_const_operands();
        Ok(())
    }

    /// Merges `x ^ (x shift k)`, a shift by a constant just before and the xor just emitted that
    /// reads its result from the accumulator, into one `I64XorShlImm`, if the shift's result is
    /// the xor's own operand (one of `operands`, a stack temporary no one else reads).
    fn fuse_xor_shift(&mut self, operands: [Entry; 2]) {
        let n = self.ops.len();
        let Some(shifted) = n.checked_sub(2).and_then(|i| self.written_slot(i)) else { return };
        if !operands.iter().any(|e| e.src == Src::Canonical && e.cell == u32::from(shifted)) {
            return;
        }
        // The slot the accumulator held when the shift ran, for a shift that read it.
        let before = n.checked_sub(3).and_then(|i| self.written_slot(i));
        self.merge_last_two(|shift, xor| fuse::xor_shift(shift, xor, before));
    }

    /// Merges a shift by a constant (just before) and the add of a constant (just emitted) that
    /// consumes it into one `I32ShlAddImm`, if `shifted` (the add's left operand) is the
    /// shift's own stack slot, so no one else reads it.
    fn fuse_shl_add_imm(&mut self, shifted: Entry) {
        if shifted.src == Src::Canonical {
            self.merge_last_two(|shl, add| fuse::shl_add_imm(shl, add, shifted.cell));
        }
    }

    /// Merges a logical right shift by a constant (just before) and the and of a constant (just
    /// emitted) that consumes it into one `I32ShrUAndImm`, a bit-field extract, if `shifted`
    /// (the and's left operand) is the shift's own stack slot, so no one else reads it.
    fn fuse_shr_and_imm(&mut self, shifted: Entry) {
        if shifted.src == Src::Canonical {
            self.merge_last_two(|shr, and| fuse::shr_and_imm(shr, and, shifted.cell));
        }
    }

    /// Replaces the last two instructions, both emitted after the last label, with the one
    /// `merge` makes of them, if it makes one.
    fn merge_last_two(&mut self, merge: impl FnOnce(&Op, &Op) -> Option<Op>) {
        let n = self.ops.len();
        if n < 2 || n - 2 < self.barrier {
            return;
        }
        if let Some(merged) = merge(&self.ops[n - 2], &self.ops[n - 1]) {
            self.ops.truncate(n - 2);
            self.ops.push(merged);
        }
    }

    /// Emits `fused` in place of the last instruction (which it absorbed), or else `op`, in
    /// either case reading an operand from the accumulator where it can.
    fn emit_fused(&mut self, fused: Option<Op>, op: Op) {
        let op = match fused {
            Some(fused) => {
                self.ops.pop();
                fused
            }
            None => op,
        };
        let op = self.with_acc(op);
        self.emit(op);
    }

    /// `op` reading from the accumulator the operand that the last instruction (emitted after
    /// the last label, writing exactly one slot) produced.
    ///
    /// A form that reads a float from the accumulator reads the float accumulator, which only
    /// an instruction that computes a float sets ([`crate::isa::OpCode::sets_float_acc`]); after a float
    /// load, constant or copy `op` keeps reading the slot.
    fn with_acc(&self, op: Op) -> Op {
        let Some(i) = self.acc_writer() else { return op };
        let Some(acc) = self.written_slot(i) else { return op };
        // Inside a loop a constant is better read from its constant slot, which costs no
        // instruction per iteration, than from the accumulator a `Const` sets (see `consts`).
        if self.acc_is_moving_const() {
            return op;
        }
        acc_form(&self.ops[i], acc, op)
    }

    /// Whether the accumulator holds a constant that `consts` may move into a constant slot
    /// (a `Const` inside a loop), which an instruction should then read from that slot.
    fn acc_is_moving_const(&self) -> bool {
        self.use_const_slots
            && self
                .acc_writer()
                .is_some_and(|i| matches!(self.ops[i], Op::Const32 { .. } | Op::Const64 { .. }))
            && self.in_loop()
    }

    /// The index of the instruction whose value the accumulator holds before the next
    /// instruction, if one was emitted after the last label: the last one, looking through
    /// stores and `global.set`.
    fn acc_writer(&self) -> Option<usize> {
        // Stores and `global.set` write neither a slot nor an accumulator, so the value an
        // instruction before them left is still there (`x = a + b; store x; use x`).
        let mut i = self.ops.len().checked_sub(1)?;
        while i > self.barrier && leaves_acc(&self.ops[i]) {
            i -= 1;
        }
        Some(i)
    }

    /// The slot whose value the accumulator holds before the next instruction: the one the
    /// last instruction (emitted after the last label, writing exactly one slot) wrote.
    ///
    /// For integer accumulator forms: `None` after an instruction that leaves its value only in
    /// the float accumulator ([`crate::isa::OpCode::sets_int_acc`]).
    fn acc_slot(&self) -> Option<Slot> {
        let i = self.acc_writer()?;
        if !self.ops.get(i)?.opcode().sets_int_acc() {
            return None;
        }
        self.written_slot(i)
    }

    /// The one slot instruction `i` writes, if it was emitted after the last label and writes
    /// exactly one slot (so it leaves that value in the accumulator).
    fn written_slot(&self, i: usize) -> Option<Slot> {
        if i < self.barrier {
            return None;
        }
        // `dst_mut` lists exactly the instructions that write one slot, last, via the handler's
        // slot write, which also sets the accumulator; a `CopyPair` leaves its second value.
        let mut op = *self.ops.get(i)?;
        if let Op::CopyPair { dst2, .. } | Op::CopyPairAcc { dst2, .. } = op {
            return Some(dst2);
        }
        dst_mut(&mut op).map(|d| *d)
    }

    /// The last instruction, if `e` is a fresh value (not an alias) and that instruction was
    /// emitted after the last label: the one that may have put a constant in `e`'s slot.
    fn last_writer_of(&self, e: Entry) -> Option<&Op> {
        if e.src != Src::Canonical || self.ops.len() <= self.barrier {
            return None;
        }
        self.ops.last()
    }

    /// The constant the last instruction wrote into `e`'s slot, if `e` is an integer value that
    /// an instruction emitted after the last label put there.
    fn last_const(&self, e: Entry) -> Option<i64> {
        let is_i64 = match e.ty {
            ValType::I32 => false,
            ValType::I64 => true,
            _ => return None,
        };
        fuse::const_value(self.last_writer_of(e)?, e.cell, is_i64)
    }

    /// The f32 immediate for the float constant the last instruction wrote into `e`'s slot,
    /// if `e` is a float value that an instruction emitted after the last label put there and
    /// the constant fits (see [`fuse::float_const_imm`]).
    fn last_float_const(&self, e: Entry) -> Option<u32> {
        let is_f64 = match e.ty {
            ValType::F32 => false,
            ValType::F64 => true,
            _ => return None,
        };
        fuse::float_const_imm(self.last_writer_of(e)?, e.cell, is_f64)
    }

    /// Removes and returns the integer compare that produced `cond`, if it was the last
    /// instruction emitted after the last label, so a branch can fuse with it.
    fn take_compare(&mut self, cond: Entry) -> Option<Op> {
        let last = self.last_writer_of(cond)?;
        if fuse::compare_dst(last).map(u32::from) != Some(cond.cell) {
            return None;
        }
        self.ops.pop()
    }

    fn load(
        &mut self,
        result: ValType,
        memarg: &wasmparser::MemArg,
        make: impl FnOnce(Slot, Slot, u32) -> Op,
    ) -> Result<(), LowerError> {
        if !self.fast_access(memarg.memory) {
            return self.load_named(result, memarg, make);
        }
        let offset = self.mem_offset(memarg)?;
        let a = self.pop()?;
        let r = self.push(result)?;
        let op = make(r.cell as Slot, a.slot(), offset);
        self.emit_indexed(op, a);
        self.fold_const_operands();
        Ok(())
    }

    fn store(
        &mut self,
        memarg: &wasmparser::MemArg,
        make: impl FnOnce(Slot, Slot, u32) -> Op,
    ) -> Result<(), LowerError> {
        if !self.fast_access(memarg.memory) {
            return self.store_named(memarg, make);
        }
        let offset = self.mem_offset(memarg)?;
        let v = self.pop()?;
        let a = self.pop()?;
        let op = make(a.slot(), v.slot(), offset);
        match self.last_const(v).and_then(|k| fuse::store_imm(op, k)) {
            Some(fused) => {
                self.emit_fused(Some(fused), op);
                // The constant is gone; an `i32.add` computing the address may fold in too.
                if a.src == Src::Canonical {
                    self.merge_last_two(|add, store| fuse::store_imm_indexed(add, store, a.cell));
                    // Or a constant address, for a store of a constant to a C global.
                    self.merge_last_two(|addr, store| fuse::store_imm_abs(addr, store, a.cell));
                }
            }
            None => self.emit_indexed(op, a),
        }
        self.fold_const_operands();
        Ok(())
    }

    /// Emits the memory access `op` whose address is `addr`, folding in the `i32.add` that
    /// computed the address if that was the last instruction emitted after the last label.
    fn emit_indexed(&mut self, op: Op, addr: Entry) {
        let fused = if addr.src == Src::Canonical && self.ops.len() > self.barrier {
            self.ops.last().and_then(|add| {
                fuse::indexed_access(op, add, addr.cell)
                    .or_else(|| fuse::load_add_imm(op, add, addr.cell))
                    .or_else(|| fuse::scaled_access(op, add, addr.cell))
                    .or_else(|| fuse::abs_access(op, add, addr.cell))
            })
        } else {
            None
        };
        self.emit_fused(fused, op);
    }

    fn mem_offset(&self, memarg: &wasmparser::MemArg) -> Result<u32, LowerError> {
        if memarg.memory != 0 {
            return Err(self.error("only memory 0 is supported"));
        }
        u32::try_from(memarg.offset).map_err(|_| self.error("memory offset exceeds 32 bits"))
    }

    /// Reinterprets the top entry as `ty` (same bits, same cell).
    fn retype(&mut self, ty: ValType) -> Result<(), LowerError> {
        let e = self.pop()?;
        self.stack.push(Entry { ty, ..e });
        Ok(())
    }

    fn const32(&mut self, ty: ValType, value: u32) -> Result<(), LowerError> {
        let r = self.push(ty)?;
        self.emit(Op::Const32 { dst: r.cell as Slot, value });
        Ok(())
    }

    fn const64(&mut self, ty: ValType, value: u64) -> Result<(), LowerError> {
        let r = self.push(ty)?;
        let dst = r.cell as Slot;
        self.emit(if value >> 32 == 0 {
            Op::Const32 { dst, value: value as u32 }
        } else {
            Op::Const64 { dst, lo: value as u32, hi: (value >> 32) as u32 }
        });
        Ok(())
    }
}

/// Whether `op` leaves both the frame and the accumulator as they were: a store to memory or
/// a `global.set` (their handlers write no slot).
fn leaves_acc(op: &Op) -> bool {
    macro_rules! families {
        ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
            match op {
                Op::GlobalSet { .. } => true,
                $( Op::$name { .. } => families!(@family $family), )*
            }
        };
        (@family store) => { true };
        (@family store_imm) => { true };
        (@family store_idx) => { true };
        (@family store_acc) => { true };
        (@family store_imm_acc) => { true };
        (@family store_imm_idx) => { true };
        (@family store_scaled) => { true };
        (@family store_abs) => { true };
        (@family store_imm_abs) => { true };
        (@family $other:ident) => { false };
    }
    #[allow(unreachable_patterns, reason = "GlobalSet is matched first by hand")]
    let leaves = crate::for_each_op!(families);
    leaves
}

/// `op` reading the operand in slot `acc` from the accumulator, which `writer` (the
/// instruction run just before `op`, writing `acc`) left there, if `op` has such a form and
/// `writer` sets the accumulator it would read (integer, or float for float operands).
fn acc_form(writer: &Op, acc: Slot, op: Op) -> Op {
    let fused = fuse::with_acc(op, acc);
    let usable = if fused.opcode().reads_float_acc() {
        writer.opcode().sets_float_acc()
    } else {
        writer.opcode().sets_int_acc()
    };
    if usable { fused } else { op }
}

/// The destination slot of an instruction that writes exactly one slot and reads all its
/// operands before writing, so its destination may be changed.
fn dst_mut(op: &mut Op) -> Option<&mut Slot> {
    macro_rules! dst_of {
        (control $op:ident) => {
            match $op {
                Op::Copy { dst, .. }
                | Op::Const32 { dst, .. }
                | Op::Const64 { dst, .. }
                | Op::Select { dst, .. }
                | Op::GlobalGet { dst, .. }
                | Op::GlobalAddImm { dst, .. }
                | Op::RefFunc { dst, .. }
                | Op::I32AddShl { dst, .. }
                | Op::I32AddShlAccR { dst, .. }
                | Op::I32AddShlAccL { dst, .. }
                | Op::I32ShlAddImm { dst, .. }
                | Op::I32ShlAddImmAcc { dst, .. }
                | Op::I32ShrUAndImm { dst, .. }
                | Op::I32ShrUAndImmAcc { dst, .. }
                | Op::MemorySize { dst } => Some(dst),
                _ => None,
            }
        };
        (store $op:ident $name:ident) => {
            None
        };
        (branch_cmp $op:ident $name:ident) => {
            None
        };
        (store_imm $op:ident $name:ident) => {
            None
        };
        (store_idx $op:ident $name:ident) => {
            None
        };
        (branch_cmp_imm $op:ident $name:ident) => {
            None
        };
        (store_acc $op:ident $name:ident) => {
            None
        };
        (store_imm_acc $op:ident $name:ident) => {
            None
        };
        (store_imm_idx $op:ident $name:ident) => {
            None
        };
        (branch_cmp_acc $op:ident $name:ident) => {
            None
        };
        (branch_cmp_imm_acc $op:ident $name:ident) => {
            None
        };
        (branch_cmp_not $op:ident $name:ident) => {
            None
        };
        (store_scaled $op:ident $name:ident) => {
            None
        };
        (store_abs $op:ident $name:ident) => {
            None
        };
        (store_imm_abs $op:ident $name:ident) => {
            None
        };
        (branch_cmp_fimm $op:ident $name:ident) => {
            None
        };
        (branch_cmp_not_fimm $op:ident $name:ident) => {
            None
        };
        (branch_cmp_fimm_acc $op:ident $name:ident) => {
            None
        };
        (branch_cmp_not_fimm_acc $op:ident $name:ident) => {
            None
        };
        (branch_cmp_not_acc $op:ident $name:ident) => {
            None
        };
        // Accesses that name their memory leave the chain, which drops the accumulator, and
        // take a `Param` after them: never retargeted, never read from the accumulator.
        (load_m $op:ident $name:ident) => {
            None
        };
        (store_m $op:ident $name:ident) => {
            None
        };
        // SIMD instructions (issue #8) write two cells, or a scalar they are not retargeted for.
        (v_load $op:ident $name:ident) => {
            None
        };
        (v_store $op:ident $name:ident) => {
            None
        };
        (v_load_lane $op:ident $name:ident) => {
            None
        };
        (v_store_lane $op:ident $name:ident) => {
            None
        };
        (v_load_m $op:ident $name:ident) => {
            None
        };
        (v_store_m $op:ident $name:ident) => {
            None
        };
        (v_load_lane_m $op:ident $name:ident) => {
            None
        };
        (v_store_lane_m $op:ident $name:ident) => {
            None
        };
        (v_shuffle $op:ident $name:ident) => {
            None
        };
        (v_extract $op:ident $name:ident) => {
            None
        };
        (v_replace $op:ident $name:ident) => {
            None
        };
        (v_splat $op:ident $name:ident) => {
            None
        };
        (v_unary $op:ident $name:ident) => {
            None
        };
        (v_binary $op:ident $name:ident) => {
            None
        };
        (v_ternary $op:ident $name:ident) => {
            None
        };
        (v_shift $op:ident $name:ident) => {
            None
        };
        (v_test $op:ident $name:ident) => {
            None
        };
        ($family:ident $op:ident $name:ident) => {
            match $op {
                Op::$name { dst, .. } => Some(dst),
                _ => None,
            }
        };
    }
    macro_rules! dst_ops {
        ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
            match op {
                $( Op::$name { .. } => dst_ops!(@one $family op $name), )*
            }
        };
        (@one control $op:ident $name:ident) => { dst_of!(control $op) };
        (@one $family:ident $op:ident $name:ident) => { dst_of!($family $op $name) };
    }
    crate::for_each_op!(dst_ops)
}

/// Converts a wasmparser value type.
pub(crate) fn val_type(t: wasmparser::ValType) -> Option<ValType> {
    Some(match t {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::V128 => ValType::V128,
        wasmparser::ValType::Ref(r) if r.is_func_ref() => ValType::FuncRef,
        wasmparser::ValType::Ref(r) if r.is_extern_ref() => ValType::ExternRef,
        wasmparser::ValType::Ref(_) => return None,
    })
}

/// Offset from instruction `from` to instruction `to`.
fn offset(from: usize, to: usize) -> BranchOffset {
    (to as i64 - from as i64) as BranchOffset
}
