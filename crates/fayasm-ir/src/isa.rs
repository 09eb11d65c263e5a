//! The microcode instruction set: one list, [`for_each_op!`], from which the [`Op`] enum, its
//! encoder and decoder, the text dump, per-op facts ([`OpCode::leaves_chain`],
//! [`OpCode::is_conditional_branch`]) and the interpreter's numeric handlers are generated
//! (control instructions' handlers are written by hand, one macro arm each).
//!
//! # Model
//! Microcode is a register machine over a function *frame* of 64-bit cells (see
//! [`fayasm_core::Cell`]). Operands are [`Slot`]s: cell indices relative to the frame base. The
//! frame holds the function's parameters and locals first, then its constant slots (written
//! by the code's first instructions, see `lower::consts`), then the cells of the wasm operand
//! stack, whose height at every instruction is known statically, so every operand resolves to a
//! fixed slot at lowering time and nothing is pushed or popped at run time.
//!
//! Branch offsets are relative to the index of the branching instruction. A call places the
//! callee's frame at `base` in the caller's frame: arguments are already there, results are
//! written back there.
//!
//! # Naming
//! Numeric ops carry the name of the wasm operator they implement (`I32Add`, `F64ConvertI32U`)
//! and a family that fixes their operands: `unary {dst, src}`, `binary {dst, lhs, rhs}`,
//! `load {dst, addr, offset}`, `store {addr, value, offset}`, `binary_imm {dst, lhs, imm}`
//! (`I32AddImm`: the right operand is a constant), `branch_cmp {lhs, rhs, offset}` and
//! `branch_cmp_imm {lhs, imm, offset}` (`BrIfI32LtS`: a compare fused with the `br_if` or `if`
//! that consumes it), `store_imm {addr, imm, offset}` (a store of a constant), `load_idx
//! {dst, base, index, offset}` and `store_idx {base, index, value, offset}` (an `i32.add`
//! computing the address, fused into the access), and the accumulator forms `binary_imm_acc
//! {dst, imm}`, `binary_acc_l {dst, rhs}`, `binary_acc_r {dst, lhs}`, `load_acc {dst, offset}`,
//! `store_acc {addr, offset}` (the value is the accumulator), `store_imm_acc {imm, offset}` (the
//! address is), `branch_cmp_acc {rhs, offset}` and `branch_cmp_imm_acc {imm, offset}` (the
//! compare's left operand is), `store_imm_idx {base, index, imm, offset}`, `unary_acc {dst}`, `binary_trap_acc_l {dst, rhs}` and
//! `binary_trap_acc_r {dst, lhs}`, `xor_shift {dst, src, imm}` and `xor_shift_acc {dst, imm}`
//! (`x ^ (x << k)`), `load_add_imm {dst, addr, imm}` and `load_add_imm_acc {dst, imm, offset}`
//! (a constant added to the address, wrapping, before the access). `load_abs {dst, addr}`,
//! `store_abs {value, addr}` and `store_imm_abs {imm, addr}` access memory at a constant
//! address (an `i32.const` address plus the memarg offset, below 2^32). `binary_trap_imm {dst, lhs, imm}` divides by a constant and
//! keeps the operator's traps. `binary_imm_l {dst, rhs, imm}` and `binary_imm_l_acc {dst, imm}`
//! take a constant *left* operand (`imm - rhs`, `imm << rhs`). `branch_cmp_not {lhs, rhs, offset}` and `branch_cmp_not_acc
//! {rhs, offset}` branch when a (float) compare is false. `select_cmp {dst, lhs, rhs, if_true,
//! if_false}` is a compare feeding a `select`. `load_scaled {dst, index, shift, imm}`,
//! `load_scaled_acc {dst, shift, imm}` and `store_scaled {index, value, shift, imm}` access
//! memory at `(index << (shift & 31)) + imm` (wrapping, no memarg offset). The `*_fimm`
//! families (`binary_fimm {dst, lhs, imm}`, `binary_fimm_acc {dst, imm}`, `branch_cmp_fimm
//! {lhs, imm, offset}`, `branch_cmp_fimm_acc {imm, offset}` and their `not` branches) take a
//! float constant as f32 bits, widened exactly for f64.
//!
//! # The accumulator
//! Every instruction that writes a slot also leaves the written value in the interpreter's
//! accumulator register. An accumulator form reads one operand from it instead of from the
//! frame, which the lowering emits only when the instruction just before it (in the same basic
//! block) is a single-write instruction that produced that operand, so the value never makes a
//! round trip through memory between the two.
//!
//! Float values also have a float accumulator (two of them, one per width, in the
//! interpreter's float argument registers): an instruction that computes an f32 or f64 result
//! ([`OpCode::sets_float_acc`]: the arithmetic, immediate, accumulator, unary and conversion
//! families) leaves it there as well as in the integer accumulator, and an accumulator form
//! whose accumulator operand is a float ([`OpCode::reads_float_acc`]) reads the float one, so
//! the value never crosses between integer and vector registers. The lowering emits such a
//! form only after an instruction that sets the float accumulator; a float value that a load,
//! constant, copy or `global.get` produced is in the integer accumulator only.
//!
//! The family's parenthesised part
//! names the semantic function in `fayasm_core::num` and the operand types; for loads and stores it
//! gives the access width and the cell conversion.

/// A frame-relative cell index.
pub type Slot = u16;
/// A branch distance in instructions, relative to the branching instruction.
pub type BranchOffset = i32;

/// Invokes `$m!` with the whole instruction list. See the module docs for the grammar.
#[macro_export]
macro_rules! for_each_op {
    ($m:ident) => {
        $m! {
            // ----- control and data movement (hand-written handlers) -----
            /// Traps with `unreachable`.
            Unreachable {} control;
            /// `dst = src`.
            Copy { dst: Slot, src: Slot } control;
            /// `dst = src` for a two-cell value (`v128`).
            Copy2 { dst: Slot, src: Slot } control;
            /// `dst = value` (zero-extended 32-bit constant).
            Const32 { dst: Slot, value: u32 } control;
            /// `dst = hi << 32 | lo`.
            Const64 { dst: Slot, lo: u32, hi: u32 } control;
            /// Jump by `offset`.
            Br { offset: BranchOffset } control;
            /// `dst = src`, then `dst2 = src2` (two copies in order: the second may read what the
            /// first wrote); the accumulator holds the second value.
            CopyPair { dst: Slot, src: Slot, dst2: Slot, src2: Slot } control;
            /// `dst = src`, then `dst2 =` the accumulator as it was before the first copy (the
            /// value the previous instruction just computed; `dst` is not that value's slot);
            /// the accumulator holds the second value. A loop's carried values updated at its
            /// end (`a, b = b, a + b`) without reading the new value back from its slot.
            CopyPairAcc { dst: Slot, src: Slot, dst2: Slot } control;
            /// `dst = src`, then jump by `offset`: a branch carrying one value.
            CopyBr { dst: Slot, src: Slot, offset: BranchOffset } control;
            /// Jump by `offset` if the i32 in `cond` is not zero.
            BrIfNez { cond: Slot, offset: BranchOffset } control;
            /// Jump by `offset` if the i32 in `cond` is zero.
            BrIfEqz { cond: Slot, offset: BranchOffset } control;
            /// Followed by `len + 1` `Br` instructions; jumps to the target of the one at
            /// `min(index, len)` (the interpreter reads its offset; the entry is not executed).
            BrTable { index: Slot, len: u32 } control;
            /// Returns; the results are already in slots `0..n`.
            Return {} control;
            /// Copies `src` to slot 0 and returns (the common one-result return).
            ReturnOne { src: Slot } control;
            /// Calls defined function `def` of the same module (index among its defined
            /// functions) with its frame at `base`.
            CallInternal { def: u32, base: Slot } control;
            /// Calls function `func` (module index space) with its frame at `base`.
            Call { func: u32, base: Slot } control;
            /// Calls the function at element `index` of table `table`, checking type `ty`.
            CallIndirect { index: Slot, base: Slot, table: u16, ty: u32 } control;
            /// `dst = if cond != 0 { if_true } else { if_false }` (one cell).
            Select { dst: Slot, cond: Slot, if_true: Slot, if_false: Slot } control;
            /// `dst = globals[global]` (one cell).
            GlobalGet { dst: Slot, global: u32 } control;
            /// `globals[global] = src` (one cell).
            GlobalSet { src: Slot, global: u32 } control;
            /// `dst = global + imm` (i32, wrapping), then `global = dst`: `global.get g;
            /// i32.const k; i32.add; global.set g`, a prologue moving the stack pointer or a
            /// global counter. The accumulator holds the new value.
            GlobalAddImm { dst: Slot, global: u32, imm: i32 } control;
            /// `dst = memory.size` of memory 0.
            MemorySize { dst: Slot } control;
            /// `dst = memory.grow(delta)` of memory 0.
            MemoryGrow { dst: Slot, delta: Slot } control;
            /// `memory.fill(dst, value, len)` on memory 0.
            MemoryFill { dst: Slot, value: Slot, len: Slot } control;
            /// `memory.copy(dst, src, len)` on memory 0.
            MemoryCopy { dst: Slot, src: Slot, len: Slot } control;
            /// `memory.init(segment, dst, src, len)` on memory 0.
            MemoryInit { dst: Slot, src: Slot, len: Slot, segment: u32 } control;
            /// `data.drop(segment)`.
            DataDrop { segment: u32 } control;
            /// `dst = table[index]`.
            TableGet { dst: Slot, index: Slot, table: u32 } control;
            /// `table[index] = value`.
            TableSet { index: Slot, value: Slot, table: u32 } control;
            /// `dst = table.size`.
            TableSize { dst: Slot, table: u32 } control;
            /// `dst = table.grow(init, delta)`.
            TableGrow { dst: Slot, init: Slot, delta: Slot, table: u16 } control;
            /// `table.fill(index, value, len)`.
            TableFill { index: Slot, value: Slot, len: Slot, table: u16 } control;
            /// `table.copy(dst_table[dst], src_table[src], len)`.
            TableCopy { dst: Slot, src: Slot, len: Slot, dst_table: u16, src_table: u16 } control;
            /// `table.init(table, segment, dst, src, len)`; the table index is in the `Param` that
            /// follows.
            TableInit { dst: Slot, src: Slot, len: Slot, segment: u32 } control;
            /// An extra immediate of the preceding instruction; never executed on its own.
            Param { value: u32 } control;
            /// `elem.drop(segment)`.
            ElemDrop { segment: u32 } control;
            /// `dst = min(src, u32::MAX)` on an i64: an index or length of a 64-bit table
            /// (memory64's table64) made an operand of the table instructions above and of
            /// `CallIndirect`, which read 32 bits. Every value from 2^32 up becomes `u32::MAX`,
            /// which no table's length reaches, so it is out of bounds exactly where the i64
            /// is (a table holds far fewer than 2^32 - 1 elements at run time).
            TableIndex64 { dst: Slot, src: Slot } control;
            /// `dst = lhs + (rhs << (shift & 31))` on i32: a scaled array index, fused from
            /// `i32.shl` by a constant feeding `i32.add`.
            I32AddShl { dst: Slot, lhs: Slot, rhs: Slot, shift: u16 } control;
            /// `dst = ref.func func`.
            RefFunc { dst: Slot, func: u32 } control;

            // ----- unary: dst = f(src) -----
            I32Eqz { dst: Slot, src: Slot } unary(i32_eqz: i32 -> i32);
            I32Clz { dst: Slot, src: Slot } unary(i32_clz: i32 -> i32);
            I32Ctz { dst: Slot, src: Slot } unary(i32_ctz: i32 -> i32);
            I32Popcnt { dst: Slot, src: Slot } unary(i32_popcnt: i32 -> i32);
            I32Extend8S { dst: Slot, src: Slot } unary(i32_extend8_s: i32 -> i32);
            I32Extend16S { dst: Slot, src: Slot } unary(i32_extend16_s: i32 -> i32);
            I64Eqz { dst: Slot, src: Slot } unary(i64_eqz: i64 -> i32);
            I64Clz { dst: Slot, src: Slot } unary(i64_clz: i64 -> i64);
            I64Ctz { dst: Slot, src: Slot } unary(i64_ctz: i64 -> i64);
            I64Popcnt { dst: Slot, src: Slot } unary(i64_popcnt: i64 -> i64);
            I64Extend8S { dst: Slot, src: Slot } unary(i64_extend8_s: i64 -> i64);
            I64Extend16S { dst: Slot, src: Slot } unary(i64_extend16_s: i64 -> i64);
            I64Extend32S { dst: Slot, src: Slot } unary(i64_extend32_s: i64 -> i64);
            F32Abs { dst: Slot, src: Slot } unary(f32_abs: f32 -> f32);
            F32Neg { dst: Slot, src: Slot } unary(f32_neg: f32 -> f32);
            F32Ceil { dst: Slot, src: Slot } unary(f32_ceil: f32 -> f32);
            F32Floor { dst: Slot, src: Slot } unary(f32_floor: f32 -> f32);
            F32Trunc { dst: Slot, src: Slot } unary(f32_trunc: f32 -> f32);
            F32Nearest { dst: Slot, src: Slot } unary(f32_nearest: f32 -> f32);
            F32Sqrt { dst: Slot, src: Slot } unary(f32_sqrt: f32 -> f32);
            F64Abs { dst: Slot, src: Slot } unary(f64_abs: f64 -> f64);
            F64Neg { dst: Slot, src: Slot } unary(f64_neg: f64 -> f64);
            F64Ceil { dst: Slot, src: Slot } unary(f64_ceil: f64 -> f64);
            F64Floor { dst: Slot, src: Slot } unary(f64_floor: f64 -> f64);
            F64Trunc { dst: Slot, src: Slot } unary(f64_trunc: f64 -> f64);
            F64Nearest { dst: Slot, src: Slot } unary(f64_nearest: f64 -> f64);
            F64Sqrt { dst: Slot, src: Slot } unary(f64_sqrt: f64 -> f64);
            I32WrapI64 { dst: Slot, src: Slot } unary(i32_wrap_i64: i64 -> i32);
            I64ExtendI32S { dst: Slot, src: Slot } unary(i64_extend_i32_s: i32 -> i64);
            I64ExtendI32U { dst: Slot, src: Slot } unary(i64_extend_i32_u: i32 -> i64);
            F32ConvertI32S { dst: Slot, src: Slot } unary(f32_convert_i32_s: i32 -> f32);
            F32ConvertI32U { dst: Slot, src: Slot } unary(f32_convert_i32_u: i32 -> f32);
            F32ConvertI64S { dst: Slot, src: Slot } unary(f32_convert_i64_s: i64 -> f32);
            F32ConvertI64U { dst: Slot, src: Slot } unary(f32_convert_i64_u: i64 -> f32);
            F32DemoteF64 { dst: Slot, src: Slot } unary(f32_demote_f64: f64 -> f32);
            F64ConvertI32S { dst: Slot, src: Slot } unary(f64_convert_i32_s: i32 -> f64);
            F64ConvertI32U { dst: Slot, src: Slot } unary(f64_convert_i32_u: i32 -> f64);
            F64ConvertI64S { dst: Slot, src: Slot } unary(f64_convert_i64_s: i64 -> f64);
            F64ConvertI64U { dst: Slot, src: Slot } unary(f64_convert_i64_u: i64 -> f64);
            F64PromoteF32 { dst: Slot, src: Slot } unary(f64_promote_f32: f32 -> f64);
            I32TruncSatF32S { dst: Slot, src: Slot } unary(i32_trunc_sat_f32_s: f32 -> i32);
            I32TruncSatF32U { dst: Slot, src: Slot } unary(i32_trunc_sat_f32_u: f32 -> i32);
            I32TruncSatF64S { dst: Slot, src: Slot } unary(i32_trunc_sat_f64_s: f64 -> i32);
            I32TruncSatF64U { dst: Slot, src: Slot } unary(i32_trunc_sat_f64_u: f64 -> i32);
            I64TruncSatF32S { dst: Slot, src: Slot } unary(i64_trunc_sat_f32_s: f32 -> i64);
            I64TruncSatF32U { dst: Slot, src: Slot } unary(i64_trunc_sat_f32_u: f32 -> i64);
            I64TruncSatF64S { dst: Slot, src: Slot } unary(i64_trunc_sat_f64_s: f64 -> i64);
            I64TruncSatF64U { dst: Slot, src: Slot } unary(i64_trunc_sat_f64_u: f64 -> i64);

            // ----- unary that may trap: dst = f(src)? -----
            I32TruncF32S { dst: Slot, src: Slot } unary_trap(i32_trunc_f32_s: f32 -> i32);
            I32TruncF32U { dst: Slot, src: Slot } unary_trap(i32_trunc_f32_u: f32 -> i32);
            I32TruncF64S { dst: Slot, src: Slot } unary_trap(i32_trunc_f64_s: f64 -> i32);
            I32TruncF64U { dst: Slot, src: Slot } unary_trap(i32_trunc_f64_u: f64 -> i32);
            I64TruncF32S { dst: Slot, src: Slot } unary_trap(i64_trunc_f32_s: f32 -> i64);
            I64TruncF32U { dst: Slot, src: Slot } unary_trap(i64_trunc_f32_u: f32 -> i64);
            I64TruncF64S { dst: Slot, src: Slot } unary_trap(i64_trunc_f64_s: f64 -> i64);
            I64TruncF64U { dst: Slot, src: Slot } unary_trap(i64_trunc_f64_u: f64 -> i64);

            // ----- binary: dst = f(lhs, rhs) -----
            I32Eq { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_eq: i32 -> i32);
            I32Ne { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_ne: i32 -> i32);
            I32LtS { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_lt_s: i32 -> i32);
            I32LtU { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_lt_u: i32 -> i32);
            I32GtS { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_gt_s: i32 -> i32);
            I32GtU { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_gt_u: i32 -> i32);
            I32LeS { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_le_s: i32 -> i32);
            I32LeU { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_le_u: i32 -> i32);
            I32GeS { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_ge_s: i32 -> i32);
            I32GeU { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_ge_u: i32 -> i32);
            I32Add { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_add: i32 -> i32);
            I32Sub { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_sub: i32 -> i32);
            I32Mul { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_mul: i32 -> i32);
            I32And { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_and: i32 -> i32);
            I32Or { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_or: i32 -> i32);
            I32Xor { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_xor: i32 -> i32);
            I32Shl { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_shl: i32 -> i32);
            I32ShrS { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_shr_s: i32 -> i32);
            I32ShrU { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_shr_u: i32 -> i32);
            I32Rotl { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_rotl: i32 -> i32);
            I32Rotr { dst: Slot, lhs: Slot, rhs: Slot } binary(i32_rotr: i32 -> i32);
            I64Eq { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_eq: i64 -> i32);
            I64Ne { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_ne: i64 -> i32);
            I64LtS { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_lt_s: i64 -> i32);
            I64LtU { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_lt_u: i64 -> i32);
            I64GtS { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_gt_s: i64 -> i32);
            I64GtU { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_gt_u: i64 -> i32);
            I64LeS { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_le_s: i64 -> i32);
            I64LeU { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_le_u: i64 -> i32);
            I64GeS { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_ge_s: i64 -> i32);
            I64GeU { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_ge_u: i64 -> i32);
            I64Add { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_add: i64 -> i64);
            I64Sub { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_sub: i64 -> i64);
            I64Mul { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_mul: i64 -> i64);
            I64And { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_and: i64 -> i64);
            I64Or { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_or: i64 -> i64);
            I64Xor { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_xor: i64 -> i64);
            I64Shl { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_shl: i64 -> i64);
            I64ShrS { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_shr_s: i64 -> i64);
            I64ShrU { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_shr_u: i64 -> i64);
            I64Rotl { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_rotl: i64 -> i64);
            I64Rotr { dst: Slot, lhs: Slot, rhs: Slot } binary(i64_rotr: i64 -> i64);
            F32Eq { dst: Slot, lhs: Slot, rhs: Slot } binary(f32_eq: f32 -> i32);
            F32Ne { dst: Slot, lhs: Slot, rhs: Slot } binary(f32_ne: f32 -> i32);
            F32Lt { dst: Slot, lhs: Slot, rhs: Slot } binary(f32_lt: f32 -> i32);
            F32Gt { dst: Slot, lhs: Slot, rhs: Slot } binary(f32_gt: f32 -> i32);
            F32Le { dst: Slot, lhs: Slot, rhs: Slot } binary(f32_le: f32 -> i32);
            F32Ge { dst: Slot, lhs: Slot, rhs: Slot } binary(f32_ge: f32 -> i32);
            F32Add { dst: Slot, lhs: Slot, rhs: Slot } binary(f32_add: f32 -> f32);
            F32Sub { dst: Slot, lhs: Slot, rhs: Slot } binary(f32_sub: f32 -> f32);
            F32Mul { dst: Slot, lhs: Slot, rhs: Slot } binary(f32_mul: f32 -> f32);
            F32Div { dst: Slot, lhs: Slot, rhs: Slot } binary(f32_div: f32 -> f32);
            F32Min { dst: Slot, lhs: Slot, rhs: Slot } binary(f32_min: f32 -> f32);
            F32Max { dst: Slot, lhs: Slot, rhs: Slot } binary(f32_max: f32 -> f32);
            F32Copysign { dst: Slot, lhs: Slot, rhs: Slot } binary(f32_copysign: f32 -> f32);
            F64Eq { dst: Slot, lhs: Slot, rhs: Slot } binary(f64_eq: f64 -> i32);
            F64Ne { dst: Slot, lhs: Slot, rhs: Slot } binary(f64_ne: f64 -> i32);
            F64Lt { dst: Slot, lhs: Slot, rhs: Slot } binary(f64_lt: f64 -> i32);
            F64Gt { dst: Slot, lhs: Slot, rhs: Slot } binary(f64_gt: f64 -> i32);
            F64Le { dst: Slot, lhs: Slot, rhs: Slot } binary(f64_le: f64 -> i32);
            F64Ge { dst: Slot, lhs: Slot, rhs: Slot } binary(f64_ge: f64 -> i32);
            F64Add { dst: Slot, lhs: Slot, rhs: Slot } binary(f64_add: f64 -> f64);
            F64Sub { dst: Slot, lhs: Slot, rhs: Slot } binary(f64_sub: f64 -> f64);
            F64Mul { dst: Slot, lhs: Slot, rhs: Slot } binary(f64_mul: f64 -> f64);
            F64Div { dst: Slot, lhs: Slot, rhs: Slot } binary(f64_div: f64 -> f64);
            F64Min { dst: Slot, lhs: Slot, rhs: Slot } binary(f64_min: f64 -> f64);
            F64Max { dst: Slot, lhs: Slot, rhs: Slot } binary(f64_max: f64 -> f64);
            F64Copysign { dst: Slot, lhs: Slot, rhs: Slot } binary(f64_copysign: f64 -> f64);

            // ----- binary that may trap -----
            I32DivS { dst: Slot, lhs: Slot, rhs: Slot } binary_trap(i32_div_s: i32 -> i32);
            I32DivU { dst: Slot, lhs: Slot, rhs: Slot } binary_trap(i32_div_u: i32 -> i32);
            I32RemS { dst: Slot, lhs: Slot, rhs: Slot } binary_trap(i32_rem_s: i32 -> i32);
            I32RemU { dst: Slot, lhs: Slot, rhs: Slot } binary_trap(i32_rem_u: i32 -> i32);
            I64DivS { dst: Slot, lhs: Slot, rhs: Slot } binary_trap(i64_div_s: i64 -> i64);
            I64DivU { dst: Slot, lhs: Slot, rhs: Slot } binary_trap(i64_div_u: i64 -> i64);
            I64RemS { dst: Slot, lhs: Slot, rhs: Slot } binary_trap(i64_rem_s: i64 -> i64);
            I64RemU { dst: Slot, lhs: Slot, rhs: Slot } binary_trap(i64_rem_u: i64 -> i64);

            // ----- binary with an immediate right operand (sign-extended for i64) -----
            I32AddImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_add: i32 -> i32);
            I32MulImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_mul: i32 -> i32);
            I32AndImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_and: i32 -> i32);
            I32OrImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_or: i32 -> i32);
            I32XorImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_xor: i32 -> i32);
            I32ShlImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_shl: i32 -> i32);
            I32ShrSImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_shr_s: i32 -> i32);
            I32ShrUImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_shr_u: i32 -> i32);
            I32EqImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_eq: i32 -> i32);
            I32NeImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_ne: i32 -> i32);
            I32LtSImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_lt_s: i32 -> i32);
            I32LtUImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_lt_u: i32 -> i32);
            I32GtSImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_gt_s: i32 -> i32);
            I32GtUImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_gt_u: i32 -> i32);
            I32LeSImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_le_s: i32 -> i32);
            I32LeUImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_le_u: i32 -> i32);
            I32GeSImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_ge_s: i32 -> i32);
            I32GeUImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_ge_u: i32 -> i32);
            I64AddImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_add: i64 -> i64);
            I64MulImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_mul: i64 -> i64);
            I64AndImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_and: i64 -> i64);
            I64OrImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_or: i64 -> i64);
            I64XorImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_xor: i64 -> i64);
            I64ShlImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_shl: i64 -> i64);
            I64ShrSImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_shr_s: i64 -> i64);
            I64ShrUImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_shr_u: i64 -> i64);
            I64EqImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_eq: i64 -> i32);
            I64NeImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_ne: i64 -> i32);
            I64LtSImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_lt_s: i64 -> i32);
            I64LtUImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_lt_u: i64 -> i32);
            I64GtSImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_gt_s: i64 -> i32);
            I64GtUImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_gt_u: i64 -> i32);
            I64LeSImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_le_s: i64 -> i32);
            I64LeUImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_le_u: i64 -> i32);
            I64GeSImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_ge_s: i64 -> i32);
            I64GeUImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_ge_u: i64 -> i32);

            // ----- compare and branch: jump by `offset` if the comparison holds -----
            BrIfI32Eq { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i32_eq: i32);
            BrIfI32Ne { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i32_ne: i32);
            BrIfI32LtS { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i32_lt_s: i32);
            BrIfI32LtU { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i32_lt_u: i32);
            BrIfI32GtS { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i32_gt_s: i32);
            BrIfI32GtU { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i32_gt_u: i32);
            BrIfI32LeS { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i32_le_s: i32);
            BrIfI32LeU { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i32_le_u: i32);
            BrIfI32GeS { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i32_ge_s: i32);
            BrIfI32GeU { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i32_ge_u: i32);
            BrIfI64Eq { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i64_eq: i64);
            BrIfI64Ne { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i64_ne: i64);
            BrIfI64LtS { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i64_lt_s: i64);
            BrIfI64LtU { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i64_lt_u: i64);
            BrIfI64GtS { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i64_gt_s: i64);
            BrIfI64GtU { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i64_gt_u: i64);
            BrIfI64LeS { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i64_le_s: i64);
            BrIfI64LeU { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i64_le_u: i64);
            BrIfI64GeS { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i64_ge_s: i64);
            BrIfI64GeU { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(i64_ge_u: i64);

            // ----- compare with an immediate and branch -----
            BrIfI32EqImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i32_eq: i32);
            BrIfI32NeImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i32_ne: i32);
            BrIfI32LtSImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i32_lt_s: i32);
            BrIfI32LtUImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i32_lt_u: i32);
            BrIfI32GtSImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i32_gt_s: i32);
            BrIfI32GtUImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i32_gt_u: i32);
            BrIfI32LeSImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i32_le_s: i32);
            BrIfI32LeUImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i32_le_u: i32);
            BrIfI32GeSImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i32_ge_s: i32);
            BrIfI32GeUImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i32_ge_u: i32);

            // ----- memory 0 stores of a constant (sign-extended immediate, f32 as its bits) -----
            I32StoreImm { addr: Slot, imm: i32, offset: u32 } store_imm(4: u32);
            I64StoreImm { addr: Slot, imm: i32, offset: u32 } store_imm(8: u64);
            F32StoreImm { addr: Slot, imm: i32, offset: u32 } store_imm(4: u32);
            I32Store8Imm { addr: Slot, imm: i32, offset: u32 } store_imm(1: u8);
            I32Store16Imm { addr: Slot, imm: i32, offset: u32 } store_imm(2: u16);
            I64Store8Imm { addr: Slot, imm: i32, offset: u32 } store_imm(1: u8);
            I64Store16Imm { addr: Slot, imm: i32, offset: u32 } store_imm(2: u16);
            I64Store32Imm { addr: Slot, imm: i32, offset: u32 } store_imm(4: u32);

            // ----- memory 0 loads: dst = extend(read N bytes at addr + offset) -----
            I32Load { dst: Slot, addr: Slot, offset: u32 } load(4: u32 as u32);
            I64Load { dst: Slot, addr: Slot, offset: u32 } load(8: u64 as u64);
            F32Load { dst: Slot, addr: Slot, offset: u32 } load(4: u32 as u32);
            F64Load { dst: Slot, addr: Slot, offset: u32 } load(8: u64 as u64);
            I32Load8S { dst: Slot, addr: Slot, offset: u32 } load(1: i8 as i32);
            I32Load8U { dst: Slot, addr: Slot, offset: u32 } load(1: u8 as u32);
            I32Load16S { dst: Slot, addr: Slot, offset: u32 } load(2: i16 as i32);
            I32Load16U { dst: Slot, addr: Slot, offset: u32 } load(2: u16 as u32);
            I64Load8S { dst: Slot, addr: Slot, offset: u32 } load(1: i8 as i64);
            I64Load8U { dst: Slot, addr: Slot, offset: u32 } load(1: u8 as u64);
            I64Load16S { dst: Slot, addr: Slot, offset: u32 } load(2: i16 as i64);
            I64Load16U { dst: Slot, addr: Slot, offset: u32 } load(2: u16 as u64);
            I64Load32S { dst: Slot, addr: Slot, offset: u32 } load(4: i32 as i64);
            I64Load32U { dst: Slot, addr: Slot, offset: u32 } load(4: u32 as u64);

            // ----- memory 0 stores: write the low N bytes of value at addr + offset -----
            I32Store { addr: Slot, value: Slot, offset: u32 } store(4: u32);
            I64Store { addr: Slot, value: Slot, offset: u32 } store(8: u64);
            F32Store { addr: Slot, value: Slot, offset: u32 } store(4: u32);
            F64Store { addr: Slot, value: Slot, offset: u32 } store(8: u64);
            I32Store8 { addr: Slot, value: Slot, offset: u32 } store(1: u8);
            I32Store16 { addr: Slot, value: Slot, offset: u32 } store(2: u16);
            I64Store8 { addr: Slot, value: Slot, offset: u32 } store(1: u8);
            I64Store16 { addr: Slot, value: Slot, offset: u32 } store(2: u16);
            I64Store32 { addr: Slot, value: Slot, offset: u32 } store(4: u32);

            // ----- memory 0 at a constant address (an `i32.const` address with the memarg offset
            // folded in: C globals and static tables) -----
            I32LoadAbs { dst: Slot, addr: u32 } load_abs(4: u32 as u32);
            I64LoadAbs { dst: Slot, addr: u32 } load_abs(8: u64 as u64);
            F32LoadAbs { dst: Slot, addr: u32 } load_abs(4: u32 as u32);
            F64LoadAbs { dst: Slot, addr: u32 } load_abs(8: u64 as u64);
            I32Load8SAbs { dst: Slot, addr: u32 } load_abs(1: i8 as i32);
            I32Load8UAbs { dst: Slot, addr: u32 } load_abs(1: u8 as u32);
            I32Load16SAbs { dst: Slot, addr: u32 } load_abs(2: i16 as i32);
            I32Load16UAbs { dst: Slot, addr: u32 } load_abs(2: u16 as u32);
            I64Load8SAbs { dst: Slot, addr: u32 } load_abs(1: i8 as i64);
            I64Load8UAbs { dst: Slot, addr: u32 } load_abs(1: u8 as u64);
            I64Load16SAbs { dst: Slot, addr: u32 } load_abs(2: i16 as i64);
            I64Load16UAbs { dst: Slot, addr: u32 } load_abs(2: u16 as u64);
            I64Load32SAbs { dst: Slot, addr: u32 } load_abs(4: i32 as i64);
            I64Load32UAbs { dst: Slot, addr: u32 } load_abs(4: u32 as u64);
            I32StoreAbs { value: Slot, addr: u32 } store_abs(4: u32);
            I64StoreAbs { value: Slot, addr: u32 } store_abs(8: u64);
            F32StoreAbs { value: Slot, addr: u32 } store_abs(4: u32);
            F64StoreAbs { value: Slot, addr: u32 } store_abs(8: u64);
            I32Store8Abs { value: Slot, addr: u32 } store_abs(1: u8);
            I32Store16Abs { value: Slot, addr: u32 } store_abs(2: u16);
            I64Store8Abs { value: Slot, addr: u32 } store_abs(1: u8);
            I64Store16Abs { value: Slot, addr: u32 } store_abs(2: u16);
            I64Store32Abs { value: Slot, addr: u32 } store_abs(4: u32);
            I32StoreImmAbs { imm: i32, addr: u32 } store_imm_abs(4: u32);
            I64StoreImmAbs { imm: i32, addr: u32 } store_imm_abs(8: u64);
            I32Store8ImmAbs { imm: i32, addr: u32 } store_imm_abs(1: u8);
            I32Store16ImmAbs { imm: i32, addr: u32 } store_imm_abs(2: u16);
            I64Store8ImmAbs { imm: i32, addr: u32 } store_imm_abs(1: u8);
            I64Store16ImmAbs { imm: i32, addr: u32 } store_imm_abs(2: u16);
            I64Store32ImmAbs { imm: i32, addr: u32 } store_imm_abs(4: u32);

            // ----- memory 0 at base + index (an i32.add feeding the address, wrapping) -----
            I32LoadIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(4: u32 as u32);
            I64LoadIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(8: u64 as u64);
            F32LoadIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(4: u32 as u32);
            F64LoadIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(8: u64 as u64);
            I32Load8SIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(1: i8 as i32);
            I32Load8UIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(1: u8 as u32);
            I32Load16SIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(2: i16 as i32);
            I32Load16UIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(2: u16 as u32);
            I64Load8SIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(1: i8 as i64);
            I64Load8UIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(1: u8 as u64);
            I64Load16SIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(2: i16 as i64);
            I64Load16UIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(2: u16 as u64);
            I64Load32SIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(4: i32 as i64);
            I64Load32UIdx { dst: Slot, base: Slot, index: Slot, offset: u32 } load_idx(4: u32 as u64);
            I32StoreIdx { base: Slot, index: Slot, value: Slot, offset: u32 } store_idx(4: u32);
            I64StoreIdx { base: Slot, index: Slot, value: Slot, offset: u32 } store_idx(8: u64);
            F32StoreIdx { base: Slot, index: Slot, value: Slot, offset: u32 } store_idx(4: u32);
            F64StoreIdx { base: Slot, index: Slot, value: Slot, offset: u32 } store_idx(8: u64);
            I32Store8Idx { base: Slot, index: Slot, value: Slot, offset: u32 } store_idx(1: u8);
            I32Store16Idx { base: Slot, index: Slot, value: Slot, offset: u32 } store_idx(2: u16);
            I64Store8Idx { base: Slot, index: Slot, value: Slot, offset: u32 } store_idx(1: u8);
            I64Store16Idx { base: Slot, index: Slot, value: Slot, offset: u32 } store_idx(2: u16);
            I64Store32Idx { base: Slot, index: Slot, value: Slot, offset: u32 } store_idx(4: u32);

            // ----- the left operand (or address) is the accumulator: the value the previous
            // instruction just wrote (see the module docs) -----
            I32AddImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i32_add: i32 -> i32);
            I32MulImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i32_mul: i32 -> i32);
            I32AndImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i32_and: i32 -> i32);
            I32OrImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i32_or: i32 -> i32);
            I32XorImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i32_xor: i32 -> i32);
            I32ShlImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i32_shl: i32 -> i32);
            I32ShrSImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i32_shr_s: i32 -> i32);
            I32ShrUImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i32_shr_u: i32 -> i32);
            I64AddImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i64_add: i64 -> i64);
            I64MulImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i64_mul: i64 -> i64);
            I64AndImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i64_and: i64 -> i64);
            I64OrImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i64_or: i64 -> i64);
            I64XorImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i64_xor: i64 -> i64);
            I64ShlImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i64_shl: i64 -> i64);
            I64ShrSImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i64_shr_s: i64 -> i64);
            I64ShrUImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i64_shr_u: i64 -> i64);
            I32AddAccL { dst: Slot, rhs: Slot } binary_acc_l(i32_add: i32 -> i32);
            I32AddAccR { dst: Slot, lhs: Slot } binary_acc_r(i32_add: i32 -> i32);
            I32SubAccL { dst: Slot, rhs: Slot } binary_acc_l(i32_sub: i32 -> i32);
            I32SubAccR { dst: Slot, lhs: Slot } binary_acc_r(i32_sub: i32 -> i32);
            I32MulAccL { dst: Slot, rhs: Slot } binary_acc_l(i32_mul: i32 -> i32);
            I32MulAccR { dst: Slot, lhs: Slot } binary_acc_r(i32_mul: i32 -> i32);
            I32AndAccL { dst: Slot, rhs: Slot } binary_acc_l(i32_and: i32 -> i32);
            I32AndAccR { dst: Slot, lhs: Slot } binary_acc_r(i32_and: i32 -> i32);
            I32OrAccL { dst: Slot, rhs: Slot } binary_acc_l(i32_or: i32 -> i32);
            I32OrAccR { dst: Slot, lhs: Slot } binary_acc_r(i32_or: i32 -> i32);
            I32XorAccL { dst: Slot, rhs: Slot } binary_acc_l(i32_xor: i32 -> i32);
            I32XorAccR { dst: Slot, lhs: Slot } binary_acc_r(i32_xor: i32 -> i32);
            I32ShlAccL { dst: Slot, rhs: Slot } binary_acc_l(i32_shl: i32 -> i32);
            I32ShlAccR { dst: Slot, lhs: Slot } binary_acc_r(i32_shl: i32 -> i32);
            I32ShrSAccL { dst: Slot, rhs: Slot } binary_acc_l(i32_shr_s: i32 -> i32);
            I32ShrSAccR { dst: Slot, lhs: Slot } binary_acc_r(i32_shr_s: i32 -> i32);
            I32ShrUAccL { dst: Slot, rhs: Slot } binary_acc_l(i32_shr_u: i32 -> i32);
            I32ShrUAccR { dst: Slot, lhs: Slot } binary_acc_r(i32_shr_u: i32 -> i32);
            I32RotlAccL { dst: Slot, rhs: Slot } binary_acc_l(i32_rotl: i32 -> i32);
            I32RotlAccR { dst: Slot, lhs: Slot } binary_acc_r(i32_rotl: i32 -> i32);
            I32RotrAccL { dst: Slot, rhs: Slot } binary_acc_l(i32_rotr: i32 -> i32);
            I32RotrAccR { dst: Slot, lhs: Slot } binary_acc_r(i32_rotr: i32 -> i32);
            I64AddAccL { dst: Slot, rhs: Slot } binary_acc_l(i64_add: i64 -> i64);
            I64AddAccR { dst: Slot, lhs: Slot } binary_acc_r(i64_add: i64 -> i64);
            I64SubAccL { dst: Slot, rhs: Slot } binary_acc_l(i64_sub: i64 -> i64);
            I64SubAccR { dst: Slot, lhs: Slot } binary_acc_r(i64_sub: i64 -> i64);
            I64MulAccL { dst: Slot, rhs: Slot } binary_acc_l(i64_mul: i64 -> i64);
            I64MulAccR { dst: Slot, lhs: Slot } binary_acc_r(i64_mul: i64 -> i64);
            I64AndAccL { dst: Slot, rhs: Slot } binary_acc_l(i64_and: i64 -> i64);
            I64AndAccR { dst: Slot, lhs: Slot } binary_acc_r(i64_and: i64 -> i64);
            I64OrAccL { dst: Slot, rhs: Slot } binary_acc_l(i64_or: i64 -> i64);
            I64OrAccR { dst: Slot, lhs: Slot } binary_acc_r(i64_or: i64 -> i64);
            I64XorAccL { dst: Slot, rhs: Slot } binary_acc_l(i64_xor: i64 -> i64);
            I64XorAccR { dst: Slot, lhs: Slot } binary_acc_r(i64_xor: i64 -> i64);
            I64ShlAccL { dst: Slot, rhs: Slot } binary_acc_l(i64_shl: i64 -> i64);
            I64ShlAccR { dst: Slot, lhs: Slot } binary_acc_r(i64_shl: i64 -> i64);
            I64ShrSAccL { dst: Slot, rhs: Slot } binary_acc_l(i64_shr_s: i64 -> i64);
            I64ShrSAccR { dst: Slot, lhs: Slot } binary_acc_r(i64_shr_s: i64 -> i64);
            I64ShrUAccL { dst: Slot, rhs: Slot } binary_acc_l(i64_shr_u: i64 -> i64);
            I64ShrUAccR { dst: Slot, lhs: Slot } binary_acc_r(i64_shr_u: i64 -> i64);
            I64RotlAccL { dst: Slot, rhs: Slot } binary_acc_l(i64_rotl: i64 -> i64);
            I64RotlAccR { dst: Slot, lhs: Slot } binary_acc_r(i64_rotl: i64 -> i64);
            I64RotrAccL { dst: Slot, rhs: Slot } binary_acc_l(i64_rotr: i64 -> i64);
            I64RotrAccR { dst: Slot, lhs: Slot } binary_acc_r(i64_rotr: i64 -> i64);
            I32LoadAcc { dst: Slot, offset: u32 } load_acc(4: u32 as u32);
            I64LoadAcc { dst: Slot, offset: u32 } load_acc(8: u64 as u64);
            F32LoadAcc { dst: Slot, offset: u32 } load_acc(4: u32 as u32);
            F64LoadAcc { dst: Slot, offset: u32 } load_acc(8: u64 as u64);
            I32Load8SAcc { dst: Slot, offset: u32 } load_acc(1: i8 as i32);
            I32Load8UAcc { dst: Slot, offset: u32 } load_acc(1: u8 as u32);
            I32Load16SAcc { dst: Slot, offset: u32 } load_acc(2: i16 as i32);
            I32Load16UAcc { dst: Slot, offset: u32 } load_acc(2: u16 as u32);
            I64Load8SAcc { dst: Slot, offset: u32 } load_acc(1: i8 as i64);
            I64Load8UAcc { dst: Slot, offset: u32 } load_acc(1: u8 as u64);
            I64Load16SAcc { dst: Slot, offset: u32 } load_acc(2: i16 as i64);
            I64Load16UAcc { dst: Slot, offset: u32 } load_acc(2: u16 as u64);
            I64Load32SAcc { dst: Slot, offset: u32 } load_acc(4: i32 as i64);
            I64Load32UAcc { dst: Slot, offset: u32 } load_acc(4: u32 as u64);

            // ----- rotate by a constant -----
            I32RotlImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_rotl: i32 -> i32);
            I32RotrImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i32_rotr: i32 -> i32);
            I64RotlImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_rotl: i64 -> i64);
            I64RotrImm { dst: Slot, lhs: Slot, imm: i32 } binary_imm(i64_rotr: i64 -> i64);
            I32RotlImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i32_rotl: i32 -> i32);
            I32RotrImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i32_rotr: i32 -> i32);
            I64RotlImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i64_rotl: i64 -> i64);
            I64RotrImmAcc { dst: Slot, imm: i32 } binary_imm_acc(i64_rotr: i64 -> i64);

            // ----- divide by a constant (sign-extended immediate; still traps like the plain
            // operator, so any constant may be used) -----
            I32DivSImm { dst: Slot, lhs: Slot, imm: i32 } binary_trap_imm(i32_div_s: i32 -> i32);
            I32DivUImm { dst: Slot, lhs: Slot, imm: i32 } binary_trap_imm(i32_div_u: i32 -> i32);
            I32RemSImm { dst: Slot, lhs: Slot, imm: i32 } binary_trap_imm(i32_rem_s: i32 -> i32);
            I32RemUImm { dst: Slot, lhs: Slot, imm: i32 } binary_trap_imm(i32_rem_u: i32 -> i32);
            I64DivSImm { dst: Slot, lhs: Slot, imm: i32 } binary_trap_imm(i64_div_s: i64 -> i64);
            I64DivUImm { dst: Slot, lhs: Slot, imm: i32 } binary_trap_imm(i64_div_u: i64 -> i64);
            I64RemSImm { dst: Slot, lhs: Slot, imm: i32 } binary_trap_imm(i64_rem_s: i64 -> i64);
            I64RemUImm { dst: Slot, lhs: Slot, imm: i32 } binary_trap_imm(i64_rem_u: i64 -> i64);

            // ----- stores whose value is the accumulator -----
            I32StoreAcc { addr: Slot, offset: u32 } store_acc(4: u32);
            I64StoreAcc { addr: Slot, offset: u32 } store_acc(8: u64);
            F32StoreAcc { addr: Slot, offset: u32 } store_acc(4: u32);
            F64StoreAcc { addr: Slot, offset: u32 } store_acc(8: u64);
            I32Store8Acc { addr: Slot, offset: u32 } store_acc(1: u8);
            I32Store16Acc { addr: Slot, offset: u32 } store_acc(2: u16);
            I64Store8Acc { addr: Slot, offset: u32 } store_acc(1: u8);
            I64Store16Acc { addr: Slot, offset: u32 } store_acc(2: u16);
            I64Store32Acc { addr: Slot, offset: u32 } store_acc(4: u32);

            // ----- stores of a constant at the address in the accumulator -----
            I32StoreImmAcc { imm: i32, offset: u32 } store_imm_acc(4: u32);
            I64StoreImmAcc { imm: i32, offset: u32 } store_imm_acc(8: u64);
            F32StoreImmAcc { imm: i32, offset: u32 } store_imm_acc(4: u32);
            I32Store8ImmAcc { imm: i32, offset: u32 } store_imm_acc(1: u8);
            I32Store16ImmAcc { imm: i32, offset: u32 } store_imm_acc(2: u16);
            I64Store8ImmAcc { imm: i32, offset: u32 } store_imm_acc(1: u8);
            I64Store16ImmAcc { imm: i32, offset: u32 } store_imm_acc(2: u16);
            I64Store32ImmAcc { imm: i32, offset: u32 } store_imm_acc(4: u32);

            // ----- compare the accumulator (left operand) and branch -----
            /// Jump by `offset` if the i32 in the accumulator is not zero.
            BrIfNezAcc { offset: BranchOffset } control;
            /// Jump by `offset` if the i32 in the accumulator is zero.
            BrIfEqzAcc { offset: BranchOffset } control;
            /// If the i32 in `cond` is not zero: `dst = src`, then jump by `offset` (a `br_if`
            /// to a loop that carries one value).
            BrIfNezCopy { cond: Slot, dst: Slot, src: Slot, offset: BranchOffset } control;
            /// If the i32 in the accumulator is not zero: `dst = src`, then jump by `offset`.
            BrIfNezAccCopy { dst: Slot, src: Slot, offset: BranchOffset } control;
            /// If the i32 in the accumulator is not zero: `dst =` the accumulator (the whole
            /// cell: the carried value is the condition itself), then jump by `offset`.
            BrIfNezAccMove { dst: Slot, offset: BranchOffset } control;

            // ----- a counted loop's back edge: step a counter in place and branch on it -----
            /// `var += imm` (i32, wrapping; the accumulator holds the new value), then jump by
            /// `offset` if it is not zero.
            I32AddImmBrIfNez { var: Slot, imm: i16, offset: BranchOffset } control;
            /// `var += imm` (as `I32AddImmBrIfNez`), then jump by `offset` if it differs from
            /// the i32 in `rhs` (read after the write).
            I32AddImmBrIfNe { var: Slot, rhs: Slot, imm: i16, offset: BranchOffset } control;
            /// `var += imm` (as `I32AddImmBrIfNez`), then jump by `offset` if it differs from
            /// `limit`.
            I32AddImmBrIfNeImm { var: Slot, imm: i16, limit: i16, offset: BranchOffset } control;
            /// `var += imm` (as `I32AddImmBrIfNez`), then jump by `offset` if it is below the
            /// i32 in `rhs` (unsigned, `rhs` read after the write).
            I32AddImmBrIfLtU { var: Slot, rhs: Slot, imm: i16, offset: BranchOffset } control;
            /// `var += imm` (i64, wrapping, `imm` sign-extended; the accumulator holds the new
            /// value), then jump by `offset` if it is not zero.
            I64AddImmBrIfNez { var: Slot, imm: i16, offset: BranchOffset } control;
            /// `var += imm` (as `I64AddImmBrIfNez`), then jump by `offset` if it differs from
            /// the i64 in `rhs` (read after the write).
            I64AddImmBrIfNe { var: Slot, rhs: Slot, imm: i16, offset: BranchOffset } control;
            /// `var += imm` (as `I64AddImmBrIfNez`), then jump by `offset` if it differs from
            /// `limit` (sign-extended).
            I64AddImmBrIfNeImm { var: Slot, imm: i16, limit: i16, offset: BranchOffset } control;
            /// `var += imm` (as `I64AddImmBrIfNez`), then jump by `offset` if it is below the
            /// i64 in `rhs` (unsigned, `rhs` read after the write).
            I64AddImmBrIfLtU { var: Slot, rhs: Slot, imm: i16, offset: BranchOffset } control;

            // ----- a strided loop's back edge: step a variable by another slot and branch -----
            /// `var += step` (i32, wrapping, both slots; the accumulator holds the new value),
            /// then jump by `offset` if the new value differs from the i32 in `rhs`, read after the write.
            I32AddBrIfNe { var: Slot, step: Slot, rhs: Slot, offset: BranchOffset } control;
            /// `var += step` (i32, wrapping, both slots; the accumulator holds the new value),
            /// then jump by `offset` if the new value is below the i32 in `rhs` (unsigned), read after the write.
            I32AddBrIfLtU { var: Slot, step: Slot, rhs: Slot, offset: BranchOffset } control;
            /// `var += step` (i32, wrapping, both slots; the accumulator holds the new value),
            /// then jump by `offset` if the new value is at most the i32 in `rhs` (unsigned), read after the write.
            I32AddBrIfLeU { var: Slot, step: Slot, rhs: Slot, offset: BranchOffset } control;
            /// `var += step` (i32, wrapping, both slots; the accumulator holds the new value),
            /// then jump by `offset` if the new value is at least the i32 in `rhs` (unsigned; a bounds check after an index step), read after the write.
            I32AddBrIfGeU { var: Slot, step: Slot, rhs: Slot, offset: BranchOffset } control;
            /// `var += step` (i64, wrapping, both slots; the accumulator holds the new value),
            /// then jump by `offset` if the new value differs from the i64 in `rhs`, read after the write.
            I64AddBrIfNe { var: Slot, step: Slot, rhs: Slot, offset: BranchOffset } control;
            /// `var += step` (i64, wrapping, both slots; the accumulator holds the new value),
            /// then jump by `offset` if the new value is below the i64 in `rhs` (unsigned), read after the write.
            I64AddBrIfLtU { var: Slot, step: Slot, rhs: Slot, offset: BranchOffset } control;
            /// `var += step` (i64, wrapping, both slots; the accumulator holds the new value),
            /// then jump by `offset` if the new value is at most the i64 in `rhs` (unsigned), read after the write.
            I64AddBrIfLeU { var: Slot, step: Slot, rhs: Slot, offset: BranchOffset } control;
            /// `var += step` (i64, wrapping, both slots; the accumulator holds the new value),
            /// then jump by `offset` if the new value is at least the i64 in `rhs` (unsigned), read after the write.
            I64AddBrIfGeU { var: Slot, step: Slot, rhs: Slot, offset: BranchOffset } control;
            /// A post-decrement test (`while (n--)`): `dst = var`, `var += imm` (i32, wrapping;
            /// the accumulator holds the new value), then jump by `offset` if the old value (the
            /// one copied to `dst`) is not zero.
            I32PostStepBrIfNez { dst: Slot, var: Slot, imm: i16, offset: BranchOffset } control;
            /// A zero test before a decrement (`if n == 0 { break } n -= 1`, rustc's slice
            /// iterators): jump by `offset` if the i32 in `var` is zero, else `var += imm`
            /// (wrapping; the accumulator holds the new value).
            BrIfEqzElseI32AddImm { var: Slot, imm: i16, offset: BranchOffset } control;

            // ----- a copy and the conditional branch after it -----
            /// `dst = src` (one cell), then jump by `offset` if the i32 in `cond` (read after
            /// the copy) is not zero: a local updated at the end of a loop body, then the
            /// back edge's test.
            CopyBrIfNez { dst: Slot, src: Slot, cond: Slot, offset: BranchOffset } control;
            /// `dst = src` (one cell), then jump by `offset` if the i32 in `cond` (read after
            /// the copy) is zero.
            CopyBrIfEqz { dst: Slot, src: Slot, cond: Slot, offset: BranchOffset } control;
            BrIfI32EqAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i32_eq: i32);
            BrIfI32NeAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i32_ne: i32);
            BrIfI32LtSAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i32_lt_s: i32);
            BrIfI32LtUAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i32_lt_u: i32);
            BrIfI32GtSAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i32_gt_s: i32);
            BrIfI32GtUAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i32_gt_u: i32);
            BrIfI32LeSAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i32_le_s: i32);
            BrIfI32LeUAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i32_le_u: i32);
            BrIfI32GeSAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i32_ge_s: i32);
            BrIfI32GeUAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i32_ge_u: i32);
            BrIfI64EqAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i64_eq: i64);
            BrIfI64NeAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i64_ne: i64);
            BrIfI64LtSAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i64_lt_s: i64);
            BrIfI64LtUAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i64_lt_u: i64);
            BrIfI64GtSAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i64_gt_s: i64);
            BrIfI64GtUAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i64_gt_u: i64);
            BrIfI64LeSAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i64_le_s: i64);
            BrIfI64LeUAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i64_le_u: i64);
            BrIfI64GeSAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i64_ge_s: i64);
            BrIfI64GeUAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(i64_ge_u: i64);
            BrIfI32EqImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i32_eq: i32);
            BrIfI32NeImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i32_ne: i32);
            BrIfI32LtSImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i32_lt_s: i32);
            BrIfI32LtUImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i32_lt_u: i32);
            BrIfI32GtSImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i32_gt_s: i32);
            BrIfI32GtUImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i32_gt_u: i32);
            BrIfI32LeSImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i32_le_s: i32);
            BrIfI32LeUImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i32_le_u: i32);
            BrIfI32GeSImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i32_ge_s: i32);
            BrIfI32GeUImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i32_ge_u: i32);

            // ----- integer unary operators and conversions of the accumulator -----
            I32ClzAcc { dst: Slot } unary_acc(i32_clz: i32 -> i32);
            I32CtzAcc { dst: Slot } unary_acc(i32_ctz: i32 -> i32);
            I32PopcntAcc { dst: Slot } unary_acc(i32_popcnt: i32 -> i32);
            I32Extend8SAcc { dst: Slot } unary_acc(i32_extend8_s: i32 -> i32);
            I32Extend16SAcc { dst: Slot } unary_acc(i32_extend16_s: i32 -> i32);
            I64ClzAcc { dst: Slot } unary_acc(i64_clz: i64 -> i64);
            I64CtzAcc { dst: Slot } unary_acc(i64_ctz: i64 -> i64);
            I64PopcntAcc { dst: Slot } unary_acc(i64_popcnt: i64 -> i64);
            I64Extend8SAcc { dst: Slot } unary_acc(i64_extend8_s: i64 -> i64);
            I64Extend16SAcc { dst: Slot } unary_acc(i64_extend16_s: i64 -> i64);
            I64Extend32SAcc { dst: Slot } unary_acc(i64_extend32_s: i64 -> i64);
            I32WrapI64Acc { dst: Slot } unary_acc(i32_wrap_i64: i64 -> i32);
            I64ExtendI32SAcc { dst: Slot } unary_acc(i64_extend_i32_s: i32 -> i64);
            I64ExtendI32UAcc { dst: Slot } unary_acc(i64_extend_i32_u: i32 -> i64);
            F32ConvertI32SAcc { dst: Slot } unary_acc(f32_convert_i32_s: i32 -> f32);
            F32ConvertI32UAcc { dst: Slot } unary_acc(f32_convert_i32_u: i32 -> f32);
            F32ConvertI64SAcc { dst: Slot } unary_acc(f32_convert_i64_s: i64 -> f32);
            F32ConvertI64UAcc { dst: Slot } unary_acc(f32_convert_i64_u: i64 -> f32);
            F64ConvertI32SAcc { dst: Slot } unary_acc(f64_convert_i32_s: i32 -> f64);
            F64ConvertI32UAcc { dst: Slot } unary_acc(f64_convert_i32_u: i32 -> f64);
            F64ConvertI64SAcc { dst: Slot } unary_acc(f64_convert_i64_s: i64 -> f64);
            F64ConvertI64UAcc { dst: Slot } unary_acc(f64_convert_i64_u: i64 -> f64);

            // ----- division and remainder with an operand from the accumulator -----
            I32DivSAccL { dst: Slot, rhs: Slot } binary_trap_acc_l(i32_div_s: i32 -> i32);
            I32DivSAccR { dst: Slot, lhs: Slot } binary_trap_acc_r(i32_div_s: i32 -> i32);
            I32DivUAccL { dst: Slot, rhs: Slot } binary_trap_acc_l(i32_div_u: i32 -> i32);
            I32DivUAccR { dst: Slot, lhs: Slot } binary_trap_acc_r(i32_div_u: i32 -> i32);
            I32RemSAccL { dst: Slot, rhs: Slot } binary_trap_acc_l(i32_rem_s: i32 -> i32);
            I32RemSAccR { dst: Slot, lhs: Slot } binary_trap_acc_r(i32_rem_s: i32 -> i32);
            I32RemUAccL { dst: Slot, rhs: Slot } binary_trap_acc_l(i32_rem_u: i32 -> i32);
            I32RemUAccR { dst: Slot, lhs: Slot } binary_trap_acc_r(i32_rem_u: i32 -> i32);
            I64DivSAccL { dst: Slot, rhs: Slot } binary_trap_acc_l(i64_div_s: i64 -> i64);
            I64DivSAccR { dst: Slot, lhs: Slot } binary_trap_acc_r(i64_div_s: i64 -> i64);
            I64DivUAccL { dst: Slot, rhs: Slot } binary_trap_acc_l(i64_div_u: i64 -> i64);
            I64DivUAccR { dst: Slot, lhs: Slot } binary_trap_acc_r(i64_div_u: i64 -> i64);
            I64RemSAccL { dst: Slot, rhs: Slot } binary_trap_acc_l(i64_rem_s: i64 -> i64);
            I64RemSAccR { dst: Slot, lhs: Slot } binary_trap_acc_r(i64_rem_s: i64 -> i64);
            I64RemUAccL { dst: Slot, rhs: Slot } binary_trap_acc_l(i64_rem_u: i64 -> i64);
            I64RemUAccR { dst: Slot, lhs: Slot } binary_trap_acc_r(i64_rem_u: i64 -> i64);

            // ----- f64 arithmetic with an operand from the accumulator -----
            F64AddAccL { dst: Slot, rhs: Slot } binary_acc_l(f64_add: f64 -> f64);
            F64AddAccR { dst: Slot, lhs: Slot } binary_acc_r(f64_add: f64 -> f64);
            F64SubAccL { dst: Slot, rhs: Slot } binary_acc_l(f64_sub: f64 -> f64);
            F64SubAccR { dst: Slot, lhs: Slot } binary_acc_r(f64_sub: f64 -> f64);
            F64MulAccL { dst: Slot, rhs: Slot } binary_acc_l(f64_mul: f64 -> f64);
            F64MulAccR { dst: Slot, lhs: Slot } binary_acc_r(f64_mul: f64 -> f64);
            F64DivAccL { dst: Slot, rhs: Slot } binary_acc_l(f64_div: f64 -> f64);
            F64DivAccR { dst: Slot, lhs: Slot } binary_acc_r(f64_div: f64 -> f64);

            // ----- scaled index plus constant (array addressing) -----
            /// `dst = (lhs << (shift & 31)) + imm` on i32 (wrapping), fused from `i32.shl` by a
            /// constant feeding `i32.add` of a constant: `base + i * 4` with a constant base.
            I32ShlAddImm { dst: Slot, lhs: Slot, shift: u16, imm: i32 } control;
            /// `dst = (acc << (shift & 31)) + imm` on i32: [`Op::I32ShlAddImm`] whose operand
            /// is the accumulator.
            I32ShlAddImmAcc { dst: Slot, shift: u16, imm: i32 } control;
            /// `dst = (lhs >> (shift & 31)) & mask` on i32 (unsigned shift), fused from
            /// `i32.shr_u` by a constant feeding `i32.and` of a constant: a bit-field extract
            /// (an instruction's operand fields, a byte of a word).
            I32ShrUAndImm { dst: Slot, lhs: Slot, shift: u16, mask: i32 } control;
            /// `dst = (acc >> (shift & 31)) & mask` on i32: [`Op::I32ShrUAndImm`] whose operand
            /// is the accumulator.
            I32ShrUAndImmAcc { dst: Slot, shift: u16, mask: i32 } control;
            /// `dst = lhs + (acc << (shift & 31))` on i32: [`Op::I32AddShl`] whose scaled
            /// index is the accumulator (an index just computed or bounds-checked).
            I32AddShlAccR { dst: Slot, lhs: Slot, shift: u16 } control;
            /// `dst = acc + (rhs << (shift & 31))` on i32: [`Op::I32AddShl`] whose base is the
            /// accumulator (a pointer just loaded).
            I32AddShlAccL { dst: Slot, rhs: Slot, shift: u16 } control;

            // ----- memory 0 stores of a constant (sign-extended 16-bit immediate) at base + index -----
            I32StoreImmIdx { base: Slot, index: Slot, imm: i16, offset: u32 } store_imm_idx(4: u32);
            I64StoreImmIdx { base: Slot, index: Slot, imm: i16, offset: u32 } store_imm_idx(8: u64);
            I32Store8ImmIdx { base: Slot, index: Slot, imm: i16, offset: u32 } store_imm_idx(1: u8);
            I32Store16ImmIdx { base: Slot, index: Slot, imm: i16, offset: u32 } store_imm_idx(2: u16);
            I64Store8ImmIdx { base: Slot, index: Slot, imm: i16, offset: u32 } store_imm_idx(1: u8);
            I64Store16ImmIdx { base: Slot, index: Slot, imm: i16, offset: u32 } store_imm_idx(2: u16);
            I64Store32ImmIdx { base: Slot, index: Slot, imm: i16, offset: u32 } store_imm_idx(4: u32);

            // ----- `x ^ (x shift k)` (xorshift generators, hash finalisers) -----
            I32XorShlImm { dst: Slot, src: Slot, imm: i32 } xor_shift(i32_shl: i32);
            I32XorShrSImm { dst: Slot, src: Slot, imm: i32 } xor_shift(i32_shr_s: i32);
            I32XorShrUImm { dst: Slot, src: Slot, imm: i32 } xor_shift(i32_shr_u: i32);
            I64XorShlImm { dst: Slot, src: Slot, imm: i32 } xor_shift(i64_shl: i64);
            I64XorShrSImm { dst: Slot, src: Slot, imm: i32 } xor_shift(i64_shr_s: i64);
            I64XorShrUImm { dst: Slot, src: Slot, imm: i32 } xor_shift(i64_shr_u: i64);
            I32XorShlImmAcc { dst: Slot, imm: i32 } xor_shift_acc(i32_shl: i32);
            I32XorShrSImmAcc { dst: Slot, imm: i32 } xor_shift_acc(i32_shr_s: i32);
            I32XorShrUImmAcc { dst: Slot, imm: i32 } xor_shift_acc(i32_shr_u: i32);
            I64XorShlImmAcc { dst: Slot, imm: i32 } xor_shift_acc(i64_shl: i64);
            I64XorShrSImmAcc { dst: Slot, imm: i32 } xor_shift_acc(i64_shr_s: i64);
            I64XorShrUImmAcc { dst: Slot, imm: i32 } xor_shift_acc(i64_shr_u: i64);

            // ----- memory 0 loads at `addr + imm` (an i32.add of a constant, wrapping, feeding
            // the address; no memarg offset) and at `acc + imm` (with the memarg offset) -----
            I32LoadAddImm { dst: Slot, addr: Slot, imm: i32 } load_add_imm(4: u32 as u32);
            I64LoadAddImm { dst: Slot, addr: Slot, imm: i32 } load_add_imm(8: u64 as u64);
            F32LoadAddImm { dst: Slot, addr: Slot, imm: i32 } load_add_imm(4: u32 as u32);
            F64LoadAddImm { dst: Slot, addr: Slot, imm: i32 } load_add_imm(8: u64 as u64);
            I32Load8SAddImm { dst: Slot, addr: Slot, imm: i32 } load_add_imm(1: i8 as i32);
            I32Load8UAddImm { dst: Slot, addr: Slot, imm: i32 } load_add_imm(1: u8 as u32);
            I32Load16SAddImm { dst: Slot, addr: Slot, imm: i32 } load_add_imm(2: i16 as i32);
            I32Load16UAddImm { dst: Slot, addr: Slot, imm: i32 } load_add_imm(2: u16 as u32);
            I32LoadAddImmAcc { dst: Slot, imm: i32, offset: u32 } load_add_imm_acc(4: u32 as u32);
            I64LoadAddImmAcc { dst: Slot, imm: i32, offset: u32 } load_add_imm_acc(8: u64 as u64);
            F32LoadAddImmAcc { dst: Slot, imm: i32, offset: u32 } load_add_imm_acc(4: u32 as u32);
            F64LoadAddImmAcc { dst: Slot, imm: i32, offset: u32 } load_add_imm_acc(8: u64 as u64);
            I32Load8SAddImmAcc { dst: Slot, imm: i32, offset: u32 } load_add_imm_acc(1: i8 as i32);
            I32Load8UAddImmAcc { dst: Slot, imm: i32, offset: u32 } load_add_imm_acc(1: u8 as u32);
            I32Load16SAddImmAcc { dst: Slot, imm: i32, offset: u32 } load_add_imm_acc(2: i16 as i32);
            I32Load16UAddImmAcc { dst: Slot, imm: i32, offset: u32 } load_add_imm_acc(2: u16 as u32);

            // ----- i64 compare with an immediate (sign-extended) and branch -----
            BrIfI64EqImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i64_eq: i64);
            BrIfI64NeImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i64_ne: i64);
            BrIfI64LtSImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i64_lt_s: i64);
            BrIfI64LtUImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i64_lt_u: i64);
            BrIfI64GtSImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i64_gt_s: i64);
            BrIfI64GtUImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i64_gt_u: i64);
            BrIfI64LeSImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i64_le_s: i64);
            BrIfI64LeUImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i64_le_u: i64);
            BrIfI64GeSImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i64_ge_s: i64);
            BrIfI64GeUImm { lhs: Slot, imm: i16, offset: BranchOffset } branch_cmp_imm(i64_ge_u: i64);
            BrIfI64EqImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i64_eq: i64);
            BrIfI64NeImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i64_ne: i64);
            BrIfI64LtSImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i64_lt_s: i64);
            BrIfI64LtUImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i64_lt_u: i64);
            BrIfI64GtSImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i64_gt_s: i64);
            BrIfI64GtUImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i64_gt_u: i64);
            BrIfI64LeSImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i64_le_s: i64);
            BrIfI64LeUImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i64_le_u: i64);
            BrIfI64GeSImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i64_ge_s: i64);
            BrIfI64GeUImmAcc { imm: i32, offset: BranchOffset } branch_cmp_imm_acc(i64_ge_u: i64);

            // ----- float compare and branch. The negation of an ordered float compare is not
            // the opposite compare (both are false on NaN), so a branch taken when `lt` is false
            // is `BrIfF64NotLt`, not `BrIfF64Ge` -----
            BrIfF32Eq { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(f32_eq: f32);
            BrIfF32Ne { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(f32_ne: f32);
            BrIfF32Lt { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(f32_lt: f32);
            BrIfF32Gt { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(f32_gt: f32);
            BrIfF32Le { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(f32_le: f32);
            BrIfF32Ge { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(f32_ge: f32);
            BrIfF32NotLt { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp_not(f32_lt: f32);
            BrIfF32NotGt { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp_not(f32_gt: f32);
            BrIfF32NotLe { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp_not(f32_le: f32);
            BrIfF32NotGe { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp_not(f32_ge: f32);
            BrIfF32EqAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(f32_eq: f32);
            BrIfF32NeAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(f32_ne: f32);
            BrIfF32LtAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(f32_lt: f32);
            BrIfF32GtAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(f32_gt: f32);
            BrIfF32LeAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(f32_le: f32);
            BrIfF32GeAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(f32_ge: f32);
            BrIfF32NotLtAcc { rhs: Slot, offset: BranchOffset } branch_cmp_not_acc(f32_lt: f32);
            BrIfF32NotGtAcc { rhs: Slot, offset: BranchOffset } branch_cmp_not_acc(f32_gt: f32);
            BrIfF32NotLeAcc { rhs: Slot, offset: BranchOffset } branch_cmp_not_acc(f32_le: f32);
            BrIfF32NotGeAcc { rhs: Slot, offset: BranchOffset } branch_cmp_not_acc(f32_ge: f32);
            BrIfF64Eq { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(f64_eq: f64);
            BrIfF64Ne { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(f64_ne: f64);
            BrIfF64Lt { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(f64_lt: f64);
            BrIfF64Gt { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(f64_gt: f64);
            BrIfF64Le { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(f64_le: f64);
            BrIfF64Ge { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp(f64_ge: f64);
            BrIfF64NotLt { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp_not(f64_lt: f64);
            BrIfF64NotGt { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp_not(f64_gt: f64);
            BrIfF64NotLe { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp_not(f64_le: f64);
            BrIfF64NotGe { lhs: Slot, rhs: Slot, offset: BranchOffset } branch_cmp_not(f64_ge: f64);
            BrIfF64EqAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(f64_eq: f64);
            BrIfF64NeAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(f64_ne: f64);
            BrIfF64LtAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(f64_lt: f64);
            BrIfF64GtAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(f64_gt: f64);
            BrIfF64LeAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(f64_le: f64);
            BrIfF64GeAcc { rhs: Slot, offset: BranchOffset } branch_cmp_acc(f64_ge: f64);
            BrIfF64NotLtAcc { rhs: Slot, offset: BranchOffset } branch_cmp_not_acc(f64_lt: f64);
            BrIfF64NotGtAcc { rhs: Slot, offset: BranchOffset } branch_cmp_not_acc(f64_gt: f64);
            BrIfF64NotLeAcc { rhs: Slot, offset: BranchOffset } branch_cmp_not_acc(f64_le: f64);
            BrIfF64NotGeAcc { rhs: Slot, offset: BranchOffset } branch_cmp_not_acc(f64_ge: f64);

            // ----- f32 arithmetic with an operand from the accumulator -----
            F32AddAccL { dst: Slot, rhs: Slot } binary_acc_l(f32_add: f32 -> f32);
            F32AddAccR { dst: Slot, lhs: Slot } binary_acc_r(f32_add: f32 -> f32);
            F32SubAccL { dst: Slot, rhs: Slot } binary_acc_l(f32_sub: f32 -> f32);
            F32SubAccR { dst: Slot, lhs: Slot } binary_acc_r(f32_sub: f32 -> f32);
            F32MulAccL { dst: Slot, rhs: Slot } binary_acc_l(f32_mul: f32 -> f32);
            F32MulAccR { dst: Slot, lhs: Slot } binary_acc_r(f32_mul: f32 -> f32);
            F32DivAccL { dst: Slot, rhs: Slot } binary_acc_l(f32_div: f32 -> f32);
            F32DivAccR { dst: Slot, lhs: Slot } binary_acc_r(f32_div: f32 -> f32);

            // ----- integer compare feeding a select: dst = if lhs cmp rhs { if_true } else { if_false } -----
            SelectI32Eq { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i32_eq: i32);
            SelectI32Ne { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i32_ne: i32);
            SelectI32LtS { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i32_lt_s: i32);
            SelectI32LtU { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i32_lt_u: i32);
            SelectI32GtS { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i32_gt_s: i32);
            SelectI32GtU { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i32_gt_u: i32);
            SelectI32LeS { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i32_le_s: i32);
            SelectI32LeU { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i32_le_u: i32);
            SelectI32GeS { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i32_ge_s: i32);
            SelectI32GeU { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i32_ge_u: i32);
            SelectI64Eq { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i64_eq: i64);
            SelectI64Ne { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i64_ne: i64);
            SelectI64LtS { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i64_lt_s: i64);
            SelectI64LtU { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i64_lt_u: i64);
            SelectI64GtS { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i64_gt_s: i64);
            SelectI64GtU { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i64_gt_u: i64);
            SelectI64LeS { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i64_le_s: i64);
            SelectI64LeU { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i64_le_u: i64);
            SelectI64GeS { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i64_ge_s: i64);
            SelectI64GeU { dst: Slot, lhs: Slot, rhs: Slot, if_true: Slot, if_false: Slot } select_cmp(i64_ge_u: i64);

            // ----- memory 0 loads and stores at `(index << shift) + imm` (an `I32ShlAddImm`
            // computing the address, wrapping; no memarg offset): `array[i]` at a constant base -----
            I32LoadScaled { dst: Slot, index: Slot, shift: u16, imm: i32 } load_scaled(4: u32 as u32);
            I64LoadScaled { dst: Slot, index: Slot, shift: u16, imm: i32 } load_scaled(8: u64 as u64);
            F32LoadScaled { dst: Slot, index: Slot, shift: u16, imm: i32 } load_scaled(4: u32 as u32);
            F64LoadScaled { dst: Slot, index: Slot, shift: u16, imm: i32 } load_scaled(8: u64 as u64);
            I32Load8SScaled { dst: Slot, index: Slot, shift: u16, imm: i32 } load_scaled(1: i8 as i32);
            I32Load8UScaled { dst: Slot, index: Slot, shift: u16, imm: i32 } load_scaled(1: u8 as u32);
            I32Load16SScaled { dst: Slot, index: Slot, shift: u16, imm: i32 } load_scaled(2: i16 as i32);
            I32Load16UScaled { dst: Slot, index: Slot, shift: u16, imm: i32 } load_scaled(2: u16 as u32);
            I32LoadScaledAcc { dst: Slot, shift: u16, imm: i32 } load_scaled_acc(4: u32 as u32);
            I64LoadScaledAcc { dst: Slot, shift: u16, imm: i32 } load_scaled_acc(8: u64 as u64);
            F32LoadScaledAcc { dst: Slot, shift: u16, imm: i32 } load_scaled_acc(4: u32 as u32);
            F64LoadScaledAcc { dst: Slot, shift: u16, imm: i32 } load_scaled_acc(8: u64 as u64);
            I32Load8SScaledAcc { dst: Slot, shift: u16, imm: i32 } load_scaled_acc(1: i8 as i32);
            I32Load8UScaledAcc { dst: Slot, shift: u16, imm: i32 } load_scaled_acc(1: u8 as u32);
            I32Load16SScaledAcc { dst: Slot, shift: u16, imm: i32 } load_scaled_acc(2: i16 as i32);
            I32Load16UScaledAcc { dst: Slot, shift: u16, imm: i32 } load_scaled_acc(2: u16 as u32);
            I32StoreScaled { index: Slot, value: Slot, shift: u16, imm: i32 } store_scaled(4: u32);
            I64StoreScaled { index: Slot, value: Slot, shift: u16, imm: i32 } store_scaled(8: u64);
            F32StoreScaled { index: Slot, value: Slot, shift: u16, imm: i32 } store_scaled(4: u32);
            F64StoreScaled { index: Slot, value: Slot, shift: u16, imm: i32 } store_scaled(8: u64);
            I32Store8Scaled { index: Slot, value: Slot, shift: u16, imm: i32 } store_scaled(1: u8);
            I32Store16Scaled { index: Slot, value: Slot, shift: u16, imm: i32 } store_scaled(2: u16);

            // ----- float operators with a constant right operand: `imm` is f32 bits, for f64
            // an f32 that converts exactly to the f64 constant -----
            F32AddImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f32_add: f32 -> f32);
            F32SubImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f32_sub: f32 -> f32);
            F32MulImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f32_mul: f32 -> f32);
            F32DivImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f32_div: f32 -> f32);
            F32EqImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f32_eq: f32 -> i32);
            F32NeImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f32_ne: f32 -> i32);
            F32LtImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f32_lt: f32 -> i32);
            F32GtImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f32_gt: f32 -> i32);
            F32LeImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f32_le: f32 -> i32);
            F32GeImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f32_ge: f32 -> i32);
            F32AddImmAcc { dst: Slot, imm: u32 } binary_fimm_acc(f32_add: f32 -> f32);
            F32SubImmAcc { dst: Slot, imm: u32 } binary_fimm_acc(f32_sub: f32 -> f32);
            F32MulImmAcc { dst: Slot, imm: u32 } binary_fimm_acc(f32_mul: f32 -> f32);
            F32DivImmAcc { dst: Slot, imm: u32 } binary_fimm_acc(f32_div: f32 -> f32);
            BrIfF32EqImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_fimm(f32_eq: f32);
            BrIfF32NeImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_fimm(f32_ne: f32);
            BrIfF32LtImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_fimm(f32_lt: f32);
            BrIfF32GtImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_fimm(f32_gt: f32);
            BrIfF32LeImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_fimm(f32_le: f32);
            BrIfF32GeImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_fimm(f32_ge: f32);
            BrIfF32NotLtImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_not_fimm(f32_lt: f32);
            BrIfF32NotGtImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_not_fimm(f32_gt: f32);
            BrIfF32NotLeImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_not_fimm(f32_le: f32);
            BrIfF32NotGeImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_not_fimm(f32_ge: f32);
            BrIfF32EqImmAcc { imm: u32, offset: BranchOffset } branch_cmp_fimm_acc(f32_eq: f32);
            BrIfF32NeImmAcc { imm: u32, offset: BranchOffset } branch_cmp_fimm_acc(f32_ne: f32);
            BrIfF32LtImmAcc { imm: u32, offset: BranchOffset } branch_cmp_fimm_acc(f32_lt: f32);
            BrIfF32GtImmAcc { imm: u32, offset: BranchOffset } branch_cmp_fimm_acc(f32_gt: f32);
            BrIfF32LeImmAcc { imm: u32, offset: BranchOffset } branch_cmp_fimm_acc(f32_le: f32);
            BrIfF32GeImmAcc { imm: u32, offset: BranchOffset } branch_cmp_fimm_acc(f32_ge: f32);
            BrIfF32NotLtImmAcc { imm: u32, offset: BranchOffset } branch_cmp_not_fimm_acc(f32_lt: f32);
            BrIfF32NotGtImmAcc { imm: u32, offset: BranchOffset } branch_cmp_not_fimm_acc(f32_gt: f32);
            BrIfF32NotLeImmAcc { imm: u32, offset: BranchOffset } branch_cmp_not_fimm_acc(f32_le: f32);
            BrIfF32NotGeImmAcc { imm: u32, offset: BranchOffset } branch_cmp_not_fimm_acc(f32_ge: f32);
            F64AddImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f64_add: f64 -> f64);
            F64SubImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f64_sub: f64 -> f64);
            F64MulImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f64_mul: f64 -> f64);
            F64DivImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f64_div: f64 -> f64);
            F64EqImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f64_eq: f64 -> i32);
            F64NeImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f64_ne: f64 -> i32);
            F64LtImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f64_lt: f64 -> i32);
            F64GtImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f64_gt: f64 -> i32);
            F64LeImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f64_le: f64 -> i32);
            F64GeImm { dst: Slot, lhs: Slot, imm: u32 } binary_fimm(f64_ge: f64 -> i32);
            F64AddImmAcc { dst: Slot, imm: u32 } binary_fimm_acc(f64_add: f64 -> f64);
            F64SubImmAcc { dst: Slot, imm: u32 } binary_fimm_acc(f64_sub: f64 -> f64);
            F64MulImmAcc { dst: Slot, imm: u32 } binary_fimm_acc(f64_mul: f64 -> f64);
            F64DivImmAcc { dst: Slot, imm: u32 } binary_fimm_acc(f64_div: f64 -> f64);
            BrIfF64EqImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_fimm(f64_eq: f64);
            BrIfF64NeImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_fimm(f64_ne: f64);
            BrIfF64LtImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_fimm(f64_lt: f64);
            BrIfF64GtImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_fimm(f64_gt: f64);
            BrIfF64LeImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_fimm(f64_le: f64);
            BrIfF64GeImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_fimm(f64_ge: f64);
            BrIfF64NotLtImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_not_fimm(f64_lt: f64);
            BrIfF64NotGtImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_not_fimm(f64_gt: f64);
            BrIfF64NotLeImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_not_fimm(f64_le: f64);
            BrIfF64NotGeImm { lhs: Slot, imm: u32, offset: BranchOffset } branch_cmp_not_fimm(f64_ge: f64);
            BrIfF64EqImmAcc { imm: u32, offset: BranchOffset } branch_cmp_fimm_acc(f64_eq: f64);
            BrIfF64NeImmAcc { imm: u32, offset: BranchOffset } branch_cmp_fimm_acc(f64_ne: f64);
            BrIfF64LtImmAcc { imm: u32, offset: BranchOffset } branch_cmp_fimm_acc(f64_lt: f64);
            BrIfF64GtImmAcc { imm: u32, offset: BranchOffset } branch_cmp_fimm_acc(f64_gt: f64);
            BrIfF64LeImmAcc { imm: u32, offset: BranchOffset } branch_cmp_fimm_acc(f64_le: f64);
            BrIfF64GeImmAcc { imm: u32, offset: BranchOffset } branch_cmp_fimm_acc(f64_ge: f64);
            BrIfF64NotLtImmAcc { imm: u32, offset: BranchOffset } branch_cmp_not_fimm_acc(f64_lt: f64);
            BrIfF64NotGtImmAcc { imm: u32, offset: BranchOffset } branch_cmp_not_fimm_acc(f64_gt: f64);
            BrIfF64NotLeImmAcc { imm: u32, offset: BranchOffset } branch_cmp_not_fimm_acc(f64_le: f64);
            BrIfF64NotGeImmAcc { imm: u32, offset: BranchOffset } branch_cmp_not_fimm_acc(f64_ge: f64);
            // ----- a constant left operand of a non-commutative operator (`0 - x`, `1 << k`,
            // `rotl(-2, k)`); commutative operators and compares swap into `binary_imm` -----
            I32SubImmL { dst: Slot, rhs: Slot, imm: i32 } binary_imm_l(i32_sub: i32 -> i32);
            I32ShlImmL { dst: Slot, rhs: Slot, imm: i32 } binary_imm_l(i32_shl: i32 -> i32);
            I32ShrSImmL { dst: Slot, rhs: Slot, imm: i32 } binary_imm_l(i32_shr_s: i32 -> i32);
            I32ShrUImmL { dst: Slot, rhs: Slot, imm: i32 } binary_imm_l(i32_shr_u: i32 -> i32);
            I32RotlImmL { dst: Slot, rhs: Slot, imm: i32 } binary_imm_l(i32_rotl: i32 -> i32);
            I32RotrImmL { dst: Slot, rhs: Slot, imm: i32 } binary_imm_l(i32_rotr: i32 -> i32);
            I64SubImmL { dst: Slot, rhs: Slot, imm: i32 } binary_imm_l(i64_sub: i64 -> i64);
            I64ShlImmL { dst: Slot, rhs: Slot, imm: i32 } binary_imm_l(i64_shl: i64 -> i64);
            I64ShrSImmL { dst: Slot, rhs: Slot, imm: i32 } binary_imm_l(i64_shr_s: i64 -> i64);
            I64ShrUImmL { dst: Slot, rhs: Slot, imm: i32 } binary_imm_l(i64_shr_u: i64 -> i64);
            I64RotlImmL { dst: Slot, rhs: Slot, imm: i32 } binary_imm_l(i64_rotl: i64 -> i64);
            I64RotrImmL { dst: Slot, rhs: Slot, imm: i32 } binary_imm_l(i64_rotr: i64 -> i64);
            // ----- the same with the right operand from the accumulator -----
            I32SubImmLAcc { dst: Slot, imm: i32 } binary_imm_l_acc(i32_sub: i32 -> i32);
            I32ShlImmLAcc { dst: Slot, imm: i32 } binary_imm_l_acc(i32_shl: i32 -> i32);
            I32ShrSImmLAcc { dst: Slot, imm: i32 } binary_imm_l_acc(i32_shr_s: i32 -> i32);
            I32ShrUImmLAcc { dst: Slot, imm: i32 } binary_imm_l_acc(i32_shr_u: i32 -> i32);
            I32RotlImmLAcc { dst: Slot, imm: i32 } binary_imm_l_acc(i32_rotl: i32 -> i32);
            I32RotrImmLAcc { dst: Slot, imm: i32 } binary_imm_l_acc(i32_rotr: i32 -> i32);
            I64SubImmLAcc { dst: Slot, imm: i32 } binary_imm_l_acc(i64_sub: i64 -> i64);
            I64ShlImmLAcc { dst: Slot, imm: i32 } binary_imm_l_acc(i64_shl: i64 -> i64);
            I64ShrSImmLAcc { dst: Slot, imm: i32 } binary_imm_l_acc(i64_shr_s: i64 -> i64);
            I64ShrUImmLAcc { dst: Slot, imm: i32 } binary_imm_l_acc(i64_shr_u: i64 -> i64);
            I64RotlImmLAcc { dst: Slot, imm: i32 } binary_imm_l_acc(i64_rotl: i64 -> i64);
            I64RotrImmLAcc { dst: Slot, imm: i32 } binary_imm_l_acc(i64_rotr: i64 -> i64);

            // ----- tail calls (the tail-call proposal): the callee replaces the running frame.
            // Its arguments, at `base..`, move down to slot 0 (the regions may overlap), its
            // declared locals are zeroed, and its results go where the caller's would have: the
            // frame depth does not change. Terminators, like `Return` -----
            /// `return_call` of defined function `def` of the same module.
            ReturnCallInternal { def: u32, base: Slot } control;
            /// `return_call` of function `func` (module index space: an import, a host or
            /// another instance's function).
            ReturnCall { func: u32, base: Slot } control;
            /// `return_call_indirect` through element `index` of table `table`, checking type `ty`.
            ReturnCallIndirect { index: Slot, base: Slot, table: u16, ty: u32 } control;

            // ----- wide arithmetic (the wide-arithmetic proposal): two i64 results, the low
            // half in `dst`, the high half in `dst + 1`; every operand is read before either is
            // written -----
            /// `i64.add128`: `(lhs_hi:lhs_lo) + (rhs_hi:rhs_lo)` modulo 2^128.
            I64Add128 { dst: Slot, lhs_lo: Slot, lhs_hi: Slot, rhs_lo: Slot, rhs_hi: Slot } control;
            /// `i64.sub128`: `(lhs_hi:lhs_lo) - (rhs_hi:rhs_lo)` modulo 2^128.
            I64Sub128 { dst: Slot, lhs_lo: Slot, lhs_hi: Slot, rhs_lo: Slot, rhs_hi: Slot } control;
            /// `i64.mul_wide_s`: the signed 128-bit product of two i64.
            I64MulWideS { dst: Slot, lhs: Slot, rhs: Slot } control;
            /// `i64.mul_wide_u`: the unsigned 128-bit product of two i64.
            I64MulWideU { dst: Slot, lhs: Slot, rhs: Slot } control;

            // ----- memories other than a plain memory 0 (multi-memory, memory64, custom page
            // sizes; see `OpCode::names_memory`): plain instructions that name their memory and
            // look it up. An address is the cell's low 32 bits for a 32-bit memory, all 64 for
            // a 64-bit one; `addr + offset + N` is computed without wrapping. Every access is
            // followed by a `Param` with the high 32 bits of its offset. They leave the chain,
            // so no accumulator form follows them. -----
            I32LoadM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(4: u32 as u32);
            I64LoadM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(8: u64 as u64);
            F32LoadM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(4: u32 as u32);
            F64LoadM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(8: u64 as u64);
            I32Load8SM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(1: i8 as i32);
            I32Load8UM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(1: u8 as u32);
            I32Load16SM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(2: i16 as i32);
            I32Load16UM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(2: u16 as u32);
            I64Load8SM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(1: i8 as i64);
            I64Load8UM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(1: u8 as u64);
            I64Load16SM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(2: i16 as i64);
            I64Load16UM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(2: u16 as u64);
            I64Load32SM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(4: i32 as i64);
            I64Load32UM { dst: Slot, addr: Slot, memory: u16, offset: u32 } load_m(4: u32 as u64);
            I32StoreM { addr: Slot, value: Slot, memory: u16, offset: u32 } store_m(4: u32);
            I64StoreM { addr: Slot, value: Slot, memory: u16, offset: u32 } store_m(8: u64);
            F32StoreM { addr: Slot, value: Slot, memory: u16, offset: u32 } store_m(4: u32);
            F64StoreM { addr: Slot, value: Slot, memory: u16, offset: u32 } store_m(8: u64);
            I32Store8M { addr: Slot, value: Slot, memory: u16, offset: u32 } store_m(1: u8);
            I32Store16M { addr: Slot, value: Slot, memory: u16, offset: u32 } store_m(2: u16);
            I64Store8M { addr: Slot, value: Slot, memory: u16, offset: u32 } store_m(1: u8);
            I64Store16M { addr: Slot, value: Slot, memory: u16, offset: u32 } store_m(2: u16);
            I64Store32M { addr: Slot, value: Slot, memory: u16, offset: u32 } store_m(4: u32);
            // SIMD accesses (issue #8) of any memory but a 32-bit memory 0, the SIMD twins of the
            // fast `v_load`, `v_store` and lane forms: `load_m`/`store_m` followed by the high
            // half of the offset in a `Param`; the lane forms, whose fields leave no room for
            // the offset, by two `Param`s (its low half, then its high half). Their v128 slots
            // take two cells, as every SIMD instruction's.
            V128LoadM { dst: Slot, addr: Slot, memory: u16, offset: u32 } v_load_m(16: u128 v128_load);
            V128Load8x8SM { dst: Slot, addr: Slot, memory: u16, offset: u32 } v_load_m(8: u64 v128_load8x8_s);
            V128Load8x8UM { dst: Slot, addr: Slot, memory: u16, offset: u32 } v_load_m(8: u64 v128_load8x8_u);
            V128Load16x4SM { dst: Slot, addr: Slot, memory: u16, offset: u32 } v_load_m(8: u64 v128_load16x4_s);
            V128Load16x4UM { dst: Slot, addr: Slot, memory: u16, offset: u32 } v_load_m(8: u64 v128_load16x4_u);
            V128Load32x2SM { dst: Slot, addr: Slot, memory: u16, offset: u32 } v_load_m(8: u64 v128_load32x2_s);
            V128Load32x2UM { dst: Slot, addr: Slot, memory: u16, offset: u32 } v_load_m(8: u64 v128_load32x2_u);
            V128Load8SplatM { dst: Slot, addr: Slot, memory: u16, offset: u32 } v_load_m(1: u8 v128_load8_splat);
            V128Load16SplatM { dst: Slot, addr: Slot, memory: u16, offset: u32 } v_load_m(2: u16 v128_load16_splat);
            V128Load32SplatM { dst: Slot, addr: Slot, memory: u16, offset: u32 } v_load_m(4: u32 v128_load32_splat);
            V128Load64SplatM { dst: Slot, addr: Slot, memory: u16, offset: u32 } v_load_m(8: u64 v128_load64_splat);
            V128Load32ZeroM { dst: Slot, addr: Slot, memory: u16, offset: u32 } v_load_m(4: u32 v128_load32_zero);
            V128Load64ZeroM { dst: Slot, addr: Slot, memory: u16, offset: u32 } v_load_m(8: u64 v128_load64_zero);
            V128StoreM { addr: Slot, value: Slot, memory: u16, offset: u32 } v_store_m(16: u128 v128_store);
            V128Load8LaneM { dst: Slot, addr: Slot, src: Slot, lane: u16, memory: u16 } v_load_lane_m(1: u8 v128_load8_lane, 16);
            V128Load16LaneM { dst: Slot, addr: Slot, src: Slot, lane: u16, memory: u16 } v_load_lane_m(2: u16 v128_load16_lane, 8);
            V128Load32LaneM { dst: Slot, addr: Slot, src: Slot, lane: u16, memory: u16 } v_load_lane_m(4: u32 v128_load32_lane, 4);
            V128Load64LaneM { dst: Slot, addr: Slot, src: Slot, lane: u16, memory: u16 } v_load_lane_m(8: u64 v128_load64_lane, 2);
            V128Store8LaneM { addr: Slot, value: Slot, lane: u16, memory: u16 } v_store_lane_m(1: u8 v128_store8_lane, 16);
            V128Store16LaneM { addr: Slot, value: Slot, lane: u16, memory: u16 } v_store_lane_m(2: u16 v128_store16_lane, 8);
            V128Store32LaneM { addr: Slot, value: Slot, lane: u16, memory: u16 } v_store_lane_m(4: u32 v128_store32_lane, 4);
            V128Store64LaneM { addr: Slot, value: Slot, lane: u16, memory: u16 } v_store_lane_m(8: u64 v128_store64_lane, 2);
            /// `dst = memory.size` of memory `memory` (in its pages, of its index type).
            MemorySizeM { dst: Slot, memory: u32 } control;
            /// `dst = memory.grow(delta)` of memory `memory` (`-1` of its index type on failure).
            MemoryGrowM { dst: Slot, delta: Slot, memory: u32 } control;
            /// `memory.fill(dst, value, len)` on memory `memory`.
            MemoryFillM { dst: Slot, value: Slot, len: Slot, memory: u16 } control;
            /// `memory.copy(dst, src, len)` from memory `src_mem` to memory `dst_mem` (a 64-bit
            /// `len` only when both are 64-bit).
            MemoryCopyM { dst: Slot, src: Slot, len: Slot, dst_mem: u16, src_mem: u16 } control;
            /// `memory.init(segment, dst, src, len)`; the memory index is in the `Param` that
            /// follows.
            MemoryInitM { dst: Slot, src: Slot, len: Slot, segment: u32 } control;
            // ----- SIMD (fixed-width and relaxed; issue #8). A v128 operand or result occupies
            // two cells, its slot names the first (low half, lanes 0..8 bytes). `v128.const` is
            // two `Const64`s, one per half. The semantic function is in `fayasm_simd`, named
            // after the wasm instruction; memory forms give the access width in bytes and the
            // integer type the accessed bytes are read as (little endian), lane forms the
            // lane count their `lane` must be below. `v_load_lane` is followed by a `Param`
            // holding the memarg offset, `I8x16Shuffle` by three `Param`s holding lanes 4..16
            // (four lane bytes per `u32`, little endian; `lanes` holds lanes 0..4). -----
            /// `dst = if cond != 0 { if_true } else { if_false }` for a two-cell value (`v128`).
            Select2 { dst: Slot, cond: Slot, if_true: Slot, if_false: Slot } control;
            /// `dst = globals[global]` for a `v128` global (two cells).
            V128GlobalGet { dst: Slot, global: u32 } control;
            /// `globals[global] = src` for a `v128` global (two cells).
            V128GlobalSet { src: Slot, global: u32 } control;
            V128Load { dst: Slot, addr: Slot, offset: u32 } v_load(16: u128 v128_load);
            V128Load8x8S { dst: Slot, addr: Slot, offset: u32 } v_load(8: u64 v128_load8x8_s);
            V128Load8x8U { dst: Slot, addr: Slot, offset: u32 } v_load(8: u64 v128_load8x8_u);
            V128Load16x4S { dst: Slot, addr: Slot, offset: u32 } v_load(8: u64 v128_load16x4_s);
            V128Load16x4U { dst: Slot, addr: Slot, offset: u32 } v_load(8: u64 v128_load16x4_u);
            V128Load32x2S { dst: Slot, addr: Slot, offset: u32 } v_load(8: u64 v128_load32x2_s);
            V128Load32x2U { dst: Slot, addr: Slot, offset: u32 } v_load(8: u64 v128_load32x2_u);
            V128Load8Splat { dst: Slot, addr: Slot, offset: u32 } v_load(1: u8 v128_load8_splat);
            V128Load16Splat { dst: Slot, addr: Slot, offset: u32 } v_load(2: u16 v128_load16_splat);
            V128Load32Splat { dst: Slot, addr: Slot, offset: u32 } v_load(4: u32 v128_load32_splat);
            V128Load64Splat { dst: Slot, addr: Slot, offset: u32 } v_load(8: u64 v128_load64_splat);
            V128Load32Zero { dst: Slot, addr: Slot, offset: u32 } v_load(4: u32 v128_load32_zero);
            V128Load64Zero { dst: Slot, addr: Slot, offset: u32 } v_load(8: u64 v128_load64_zero);
            V128Store { addr: Slot, value: Slot, offset: u32 } v_store(16: u128 v128_store);
            V128Load8Lane { dst: Slot, addr: Slot, src: Slot, lane: u16 } v_load_lane(1: u8 v128_load8_lane, 16);
            V128Load16Lane { dst: Slot, addr: Slot, src: Slot, lane: u16 } v_load_lane(2: u16 v128_load16_lane, 8);
            V128Load32Lane { dst: Slot, addr: Slot, src: Slot, lane: u16 } v_load_lane(4: u32 v128_load32_lane, 4);
            V128Load64Lane { dst: Slot, addr: Slot, src: Slot, lane: u16 } v_load_lane(8: u64 v128_load64_lane, 2);
            V128Store8Lane { addr: Slot, value: Slot, lane: u16, offset: u32 } v_store_lane(1: u8 v128_store8_lane, 16);
            V128Store16Lane { addr: Slot, value: Slot, lane: u16, offset: u32 } v_store_lane(2: u16 v128_store16_lane, 8);
            V128Store32Lane { addr: Slot, value: Slot, lane: u16, offset: u32 } v_store_lane(4: u32 v128_store32_lane, 4);
            V128Store64Lane { addr: Slot, value: Slot, lane: u16, offset: u32 } v_store_lane(8: u64 v128_store64_lane, 2);
            I8x16Shuffle { dst: Slot, lhs: Slot, rhs: Slot, lanes: u32 } v_shuffle(i8x16_shuffle);
            I8x16ExtractLaneS { dst: Slot, src: Slot, lane: u16 } v_extract(i8x16_extract_lane_s: i32, 16);
            I8x16ExtractLaneU { dst: Slot, src: Slot, lane: u16 } v_extract(i8x16_extract_lane_u: i32, 16);
            I8x16ReplaceLane { dst: Slot, src: Slot, value: Slot, lane: u16 } v_replace(i8x16_replace_lane: i32, 16);
            I16x8ExtractLaneS { dst: Slot, src: Slot, lane: u16 } v_extract(i16x8_extract_lane_s: i32, 8);
            I16x8ExtractLaneU { dst: Slot, src: Slot, lane: u16 } v_extract(i16x8_extract_lane_u: i32, 8);
            I16x8ReplaceLane { dst: Slot, src: Slot, value: Slot, lane: u16 } v_replace(i16x8_replace_lane: i32, 8);
            I32x4ExtractLane { dst: Slot, src: Slot, lane: u16 } v_extract(i32x4_extract_lane: i32, 4);
            I32x4ReplaceLane { dst: Slot, src: Slot, value: Slot, lane: u16 } v_replace(i32x4_replace_lane: i32, 4);
            I64x2ExtractLane { dst: Slot, src: Slot, lane: u16 } v_extract(i64x2_extract_lane: i64, 2);
            I64x2ReplaceLane { dst: Slot, src: Slot, value: Slot, lane: u16 } v_replace(i64x2_replace_lane: i64, 2);
            F32x4ExtractLane { dst: Slot, src: Slot, lane: u16 } v_extract(f32x4_extract_lane: f32, 4);
            F32x4ReplaceLane { dst: Slot, src: Slot, value: Slot, lane: u16 } v_replace(f32x4_replace_lane: f32, 4);
            F64x2ExtractLane { dst: Slot, src: Slot, lane: u16 } v_extract(f64x2_extract_lane: f64, 2);
            F64x2ReplaceLane { dst: Slot, src: Slot, value: Slot, lane: u16 } v_replace(f64x2_replace_lane: f64, 2);
            I8x16Swizzle { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_swizzle);
            I8x16Splat { dst: Slot, src: Slot } v_splat(i8x16_splat: i32);
            I16x8Splat { dst: Slot, src: Slot } v_splat(i16x8_splat: i32);
            I32x4Splat { dst: Slot, src: Slot } v_splat(i32x4_splat: i32);
            I64x2Splat { dst: Slot, src: Slot } v_splat(i64x2_splat: i64);
            F32x4Splat { dst: Slot, src: Slot } v_splat(f32x4_splat: f32);
            F64x2Splat { dst: Slot, src: Slot } v_splat(f64x2_splat: f64);
            I8x16Eq { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_eq);
            I8x16Ne { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_ne);
            I8x16LtS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_lt_s);
            I8x16LtU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_lt_u);
            I8x16GtS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_gt_s);
            I8x16GtU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_gt_u);
            I8x16LeS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_le_s);
            I8x16LeU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_le_u);
            I8x16GeS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_ge_s);
            I8x16GeU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_ge_u);
            I16x8Eq { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_eq);
            I16x8Ne { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_ne);
            I16x8LtS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_lt_s);
            I16x8LtU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_lt_u);
            I16x8GtS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_gt_s);
            I16x8GtU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_gt_u);
            I16x8LeS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_le_s);
            I16x8LeU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_le_u);
            I16x8GeS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_ge_s);
            I16x8GeU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_ge_u);
            I32x4Eq { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_eq);
            I32x4Ne { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_ne);
            I32x4LtS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_lt_s);
            I32x4LtU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_lt_u);
            I32x4GtS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_gt_s);
            I32x4GtU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_gt_u);
            I32x4LeS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_le_s);
            I32x4LeU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_le_u);
            I32x4GeS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_ge_s);
            I32x4GeU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_ge_u);
            I64x2Eq { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i64x2_eq);
            I64x2Ne { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i64x2_ne);
            I64x2LtS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i64x2_lt_s);
            I64x2GtS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i64x2_gt_s);
            I64x2LeS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i64x2_le_s);
            I64x2GeS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i64x2_ge_s);
            V128Not { dst: Slot, src: Slot } v_unary(v128_not);
            V128And { dst: Slot, lhs: Slot, rhs: Slot } v_binary(v128_and);
            V128AndNot { dst: Slot, lhs: Slot, rhs: Slot } v_binary(v128_andnot);
            V128Or { dst: Slot, lhs: Slot, rhs: Slot } v_binary(v128_or);
            V128Xor { dst: Slot, lhs: Slot, rhs: Slot } v_binary(v128_xor);
            V128Bitselect { dst: Slot, a: Slot, b: Slot, c: Slot } v_ternary(v128_bitselect);
            V128AnyTrue { dst: Slot, src: Slot } v_test(v128_any_true);
            I8x16Abs { dst: Slot, src: Slot } v_unary(i8x16_abs);
            I8x16Neg { dst: Slot, src: Slot } v_unary(i8x16_neg);
            I8x16Popcnt { dst: Slot, src: Slot } v_unary(i8x16_popcnt);
            I8x16AllTrue { dst: Slot, src: Slot } v_test(i8x16_all_true);
            I8x16Bitmask { dst: Slot, src: Slot } v_test(i8x16_bitmask);
            I8x16NarrowI16x8S { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_narrow_i16x8_s);
            I8x16NarrowI16x8U { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_narrow_i16x8_u);
            I8x16Shl { dst: Slot, lhs: Slot, rhs: Slot } v_shift(i8x16_shl);
            I8x16ShrS { dst: Slot, lhs: Slot, rhs: Slot } v_shift(i8x16_shr_s);
            I8x16ShrU { dst: Slot, lhs: Slot, rhs: Slot } v_shift(i8x16_shr_u);
            I8x16Add { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_add);
            I8x16AddSatS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_add_sat_s);
            I8x16AddSatU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_add_sat_u);
            I8x16Sub { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_sub);
            I8x16SubSatS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_sub_sat_s);
            I8x16SubSatU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_sub_sat_u);
            I8x16MinS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_min_s);
            I8x16MinU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_min_u);
            I8x16MaxS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_max_s);
            I8x16MaxU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_max_u);
            I8x16AvgrU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_avgr_u);
            I16x8ExtAddPairwiseI8x16S { dst: Slot, src: Slot } v_unary(i16x8_extadd_pairwise_i8x16_s);
            I16x8ExtAddPairwiseI8x16U { dst: Slot, src: Slot } v_unary(i16x8_extadd_pairwise_i8x16_u);
            I16x8Abs { dst: Slot, src: Slot } v_unary(i16x8_abs);
            I16x8Neg { dst: Slot, src: Slot } v_unary(i16x8_neg);
            I16x8Q15MulrSatS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_q15mulr_sat_s);
            I16x8AllTrue { dst: Slot, src: Slot } v_test(i16x8_all_true);
            I16x8Bitmask { dst: Slot, src: Slot } v_test(i16x8_bitmask);
            I16x8NarrowI32x4S { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_narrow_i32x4_s);
            I16x8NarrowI32x4U { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_narrow_i32x4_u);
            I16x8ExtendLowI8x16S { dst: Slot, src: Slot } v_unary(i16x8_extend_low_i8x16_s);
            I16x8ExtendHighI8x16S { dst: Slot, src: Slot } v_unary(i16x8_extend_high_i8x16_s);
            I16x8ExtendLowI8x16U { dst: Slot, src: Slot } v_unary(i16x8_extend_low_i8x16_u);
            I16x8ExtendHighI8x16U { dst: Slot, src: Slot } v_unary(i16x8_extend_high_i8x16_u);
            I16x8Shl { dst: Slot, lhs: Slot, rhs: Slot } v_shift(i16x8_shl);
            I16x8ShrS { dst: Slot, lhs: Slot, rhs: Slot } v_shift(i16x8_shr_s);
            I16x8ShrU { dst: Slot, lhs: Slot, rhs: Slot } v_shift(i16x8_shr_u);
            I16x8Add { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_add);
            I16x8AddSatS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_add_sat_s);
            I16x8AddSatU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_add_sat_u);
            I16x8Sub { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_sub);
            I16x8SubSatS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_sub_sat_s);
            I16x8SubSatU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_sub_sat_u);
            I16x8Mul { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_mul);
            I16x8MinS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_min_s);
            I16x8MinU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_min_u);
            I16x8MaxS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_max_s);
            I16x8MaxU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_max_u);
            I16x8AvgrU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_avgr_u);
            I16x8ExtMulLowI8x16S { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_extmul_low_i8x16_s);
            I16x8ExtMulHighI8x16S { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_extmul_high_i8x16_s);
            I16x8ExtMulLowI8x16U { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_extmul_low_i8x16_u);
            I16x8ExtMulHighI8x16U { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_extmul_high_i8x16_u);
            I32x4ExtAddPairwiseI16x8S { dst: Slot, src: Slot } v_unary(i32x4_extadd_pairwise_i16x8_s);
            I32x4ExtAddPairwiseI16x8U { dst: Slot, src: Slot } v_unary(i32x4_extadd_pairwise_i16x8_u);
            I32x4Abs { dst: Slot, src: Slot } v_unary(i32x4_abs);
            I32x4Neg { dst: Slot, src: Slot } v_unary(i32x4_neg);
            I32x4AllTrue { dst: Slot, src: Slot } v_test(i32x4_all_true);
            I32x4Bitmask { dst: Slot, src: Slot } v_test(i32x4_bitmask);
            I32x4ExtendLowI16x8S { dst: Slot, src: Slot } v_unary(i32x4_extend_low_i16x8_s);
            I32x4ExtendHighI16x8S { dst: Slot, src: Slot } v_unary(i32x4_extend_high_i16x8_s);
            I32x4ExtendLowI16x8U { dst: Slot, src: Slot } v_unary(i32x4_extend_low_i16x8_u);
            I32x4ExtendHighI16x8U { dst: Slot, src: Slot } v_unary(i32x4_extend_high_i16x8_u);
            I32x4Shl { dst: Slot, lhs: Slot, rhs: Slot } v_shift(i32x4_shl);
            I32x4ShrS { dst: Slot, lhs: Slot, rhs: Slot } v_shift(i32x4_shr_s);
            I32x4ShrU { dst: Slot, lhs: Slot, rhs: Slot } v_shift(i32x4_shr_u);
            I32x4Add { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_add);
            I32x4Sub { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_sub);
            I32x4Mul { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_mul);
            I32x4MinS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_min_s);
            I32x4MinU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_min_u);
            I32x4MaxS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_max_s);
            I32x4MaxU { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_max_u);
            I32x4DotI16x8S { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_dot_i16x8_s);
            I32x4ExtMulLowI16x8S { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_extmul_low_i16x8_s);
            I32x4ExtMulHighI16x8S { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_extmul_high_i16x8_s);
            I32x4ExtMulLowI16x8U { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_extmul_low_i16x8_u);
            I32x4ExtMulHighI16x8U { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i32x4_extmul_high_i16x8_u);
            I64x2Abs { dst: Slot, src: Slot } v_unary(i64x2_abs);
            I64x2Neg { dst: Slot, src: Slot } v_unary(i64x2_neg);
            I64x2AllTrue { dst: Slot, src: Slot } v_test(i64x2_all_true);
            I64x2Bitmask { dst: Slot, src: Slot } v_test(i64x2_bitmask);
            I64x2ExtendLowI32x4S { dst: Slot, src: Slot } v_unary(i64x2_extend_low_i32x4_s);
            I64x2ExtendHighI32x4S { dst: Slot, src: Slot } v_unary(i64x2_extend_high_i32x4_s);
            I64x2ExtendLowI32x4U { dst: Slot, src: Slot } v_unary(i64x2_extend_low_i32x4_u);
            I64x2ExtendHighI32x4U { dst: Slot, src: Slot } v_unary(i64x2_extend_high_i32x4_u);
            I64x2Shl { dst: Slot, lhs: Slot, rhs: Slot } v_shift(i64x2_shl);
            I64x2ShrS { dst: Slot, lhs: Slot, rhs: Slot } v_shift(i64x2_shr_s);
            I64x2ShrU { dst: Slot, lhs: Slot, rhs: Slot } v_shift(i64x2_shr_u);
            I64x2Add { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i64x2_add);
            I64x2Sub { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i64x2_sub);
            I64x2Mul { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i64x2_mul);
            I64x2ExtMulLowI32x4S { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i64x2_extmul_low_i32x4_s);
            I64x2ExtMulHighI32x4S { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i64x2_extmul_high_i32x4_s);
            I64x2ExtMulLowI32x4U { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i64x2_extmul_low_i32x4_u);
            I64x2ExtMulHighI32x4U { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i64x2_extmul_high_i32x4_u);
            F32x4Eq { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_eq);
            F32x4Ne { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_ne);
            F32x4Lt { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_lt);
            F32x4Gt { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_gt);
            F32x4Le { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_le);
            F32x4Ge { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_ge);
            F64x2Eq { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_eq);
            F64x2Ne { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_ne);
            F64x2Lt { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_lt);
            F64x2Gt { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_gt);
            F64x2Le { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_le);
            F64x2Ge { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_ge);
            F32x4Ceil { dst: Slot, src: Slot } v_unary(f32x4_ceil);
            F32x4Floor { dst: Slot, src: Slot } v_unary(f32x4_floor);
            F32x4Trunc { dst: Slot, src: Slot } v_unary(f32x4_trunc);
            F32x4Nearest { dst: Slot, src: Slot } v_unary(f32x4_nearest);
            F32x4Abs { dst: Slot, src: Slot } v_unary(f32x4_abs);
            F32x4Neg { dst: Slot, src: Slot } v_unary(f32x4_neg);
            F32x4Sqrt { dst: Slot, src: Slot } v_unary(f32x4_sqrt);
            F32x4Add { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_add);
            F32x4Sub { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_sub);
            F32x4Mul { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_mul);
            F32x4Div { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_div);
            F32x4Min { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_min);
            F32x4Max { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_max);
            F32x4PMin { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_pmin);
            F32x4PMax { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_pmax);
            F64x2Ceil { dst: Slot, src: Slot } v_unary(f64x2_ceil);
            F64x2Floor { dst: Slot, src: Slot } v_unary(f64x2_floor);
            F64x2Trunc { dst: Slot, src: Slot } v_unary(f64x2_trunc);
            F64x2Nearest { dst: Slot, src: Slot } v_unary(f64x2_nearest);
            F64x2Abs { dst: Slot, src: Slot } v_unary(f64x2_abs);
            F64x2Neg { dst: Slot, src: Slot } v_unary(f64x2_neg);
            F64x2Sqrt { dst: Slot, src: Slot } v_unary(f64x2_sqrt);
            F64x2Add { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_add);
            F64x2Sub { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_sub);
            F64x2Mul { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_mul);
            F64x2Div { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_div);
            F64x2Min { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_min);
            F64x2Max { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_max);
            F64x2PMin { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_pmin);
            F64x2PMax { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_pmax);
            I32x4TruncSatF32x4S { dst: Slot, src: Slot } v_unary(i32x4_trunc_sat_f32x4_s);
            I32x4TruncSatF32x4U { dst: Slot, src: Slot } v_unary(i32x4_trunc_sat_f32x4_u);
            F32x4ConvertI32x4S { dst: Slot, src: Slot } v_unary(f32x4_convert_i32x4_s);
            F32x4ConvertI32x4U { dst: Slot, src: Slot } v_unary(f32x4_convert_i32x4_u);
            I32x4TruncSatF64x2SZero { dst: Slot, src: Slot } v_unary(i32x4_trunc_sat_f64x2_s_zero);
            I32x4TruncSatF64x2UZero { dst: Slot, src: Slot } v_unary(i32x4_trunc_sat_f64x2_u_zero);
            F64x2ConvertLowI32x4S { dst: Slot, src: Slot } v_unary(f64x2_convert_low_i32x4_s);
            F64x2ConvertLowI32x4U { dst: Slot, src: Slot } v_unary(f64x2_convert_low_i32x4_u);
            F32x4DemoteF64x2Zero { dst: Slot, src: Slot } v_unary(f32x4_demote_f64x2_zero);
            F64x2PromoteLowF32x4 { dst: Slot, src: Slot } v_unary(f64x2_promote_low_f32x4);
            I8x16RelaxedSwizzle { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i8x16_relaxed_swizzle);
            I32x4RelaxedTruncF32x4S { dst: Slot, src: Slot } v_unary(i32x4_relaxed_trunc_f32x4_s);
            I32x4RelaxedTruncF32x4U { dst: Slot, src: Slot } v_unary(i32x4_relaxed_trunc_f32x4_u);
            I32x4RelaxedTruncF64x2SZero { dst: Slot, src: Slot } v_unary(i32x4_relaxed_trunc_f64x2_s_zero);
            I32x4RelaxedTruncF64x2UZero { dst: Slot, src: Slot } v_unary(i32x4_relaxed_trunc_f64x2_u_zero);
            F32x4RelaxedMadd { dst: Slot, a: Slot, b: Slot, c: Slot } v_ternary(f32x4_relaxed_madd);
            F32x4RelaxedNmadd { dst: Slot, a: Slot, b: Slot, c: Slot } v_ternary(f32x4_relaxed_nmadd);
            F64x2RelaxedMadd { dst: Slot, a: Slot, b: Slot, c: Slot } v_ternary(f64x2_relaxed_madd);
            F64x2RelaxedNmadd { dst: Slot, a: Slot, b: Slot, c: Slot } v_ternary(f64x2_relaxed_nmadd);
            I8x16RelaxedLaneselect { dst: Slot, a: Slot, b: Slot, c: Slot } v_ternary(i8x16_relaxed_laneselect);
            I16x8RelaxedLaneselect { dst: Slot, a: Slot, b: Slot, c: Slot } v_ternary(i16x8_relaxed_laneselect);
            I32x4RelaxedLaneselect { dst: Slot, a: Slot, b: Slot, c: Slot } v_ternary(i32x4_relaxed_laneselect);
            I64x2RelaxedLaneselect { dst: Slot, a: Slot, b: Slot, c: Slot } v_ternary(i64x2_relaxed_laneselect);
            F32x4RelaxedMin { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_relaxed_min);
            F32x4RelaxedMax { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f32x4_relaxed_max);
            F64x2RelaxedMin { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_relaxed_min);
            F64x2RelaxedMax { dst: Slot, lhs: Slot, rhs: Slot } v_binary(f64x2_relaxed_max);
            I16x8RelaxedQ15mulrS { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_relaxed_q15mulr_s);
            I16x8RelaxedDotI8x16I7x16S { dst: Slot, lhs: Slot, rhs: Slot } v_binary(i16x8_relaxed_dot_i8x16_i7x16_s);
            I32x4RelaxedDotI8x16I7x16AddS { dst: Slot, a: Slot, b: Slot, c: Slot } v_ternary(i32x4_relaxed_dot_i8x16_i7x16_add_s);
        }
    };
}

macro_rules! define_op {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ;
    )*) => {
        /// One microcode instruction. See the module docs for the model.
        ///
        /// `#[repr(u16)]`: the opcode is the first two bytes of every instruction (a primitive
        /// representation's layout is defined), so a dispatcher can read it without a `match`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u16)]
        pub enum Op {
            $(
                $(#[doc = $doc])*
                #[doc = concat!("Family: `", stringify!($family), "`.")]
                $name { $(#[allow(missing_docs, reason = "operand meaning is given by the op's doc")] $field: $fty),* },
            )*
        }

        /// The opcode of an [`Op`]: its position in [`for_each_op!`]. Stable within a format
        /// version; persisted code stores it instead of handler addresses.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u16)]
        pub enum OpCode {
            $(
                #[doc = concat!("[`Op::", stringify!($name), "`]")]
                $name,
            )*
        }

        impl OpCode {
            /// Every opcode in order.
            pub const ALL: &'static [OpCode] = &[$(OpCode::$name,)*];

            /// The name used in the text dump (the variant name).
            pub const fn name(self) -> &'static str {
                match self { $(OpCode::$name => stringify!($name),)* }
            }
        }

        impl Op {
            /// This instruction's opcode.
            #[inline(always)]
            pub const fn opcode(&self) -> OpCode {
                match self { $(Op::$name { .. } => OpCode::$name,)* }
            }
        }
    };
}

for_each_op!(define_op);

impl OpCode {
    /// Whether this instruction leaves the interpreter's tail-call chain and returns to its
    /// trampoline: it may resize a memory or table, or does bulk or table work. Every other
    /// instruction's handler ends by jumping to the next one; calls (direct and indirect, into
    /// any instance) stay in the chain and leave it only to call the host.
    /// The tail backend and `cargo xtask check-codegen` both read this.
    pub const fn leaves_chain(self) -> bool {
        matches!(
            self,
            OpCode::MemoryGrow
                | OpCode::MemoryFill
                | OpCode::MemoryCopy
                | OpCode::MemoryInit
                | OpCode::DataDrop
                | OpCode::TableGet
                | OpCode::TableSet
                | OpCode::TableSize
                | OpCode::TableGrow
                | OpCode::TableFill
                | OpCode::TableCopy
                | OpCode::TableInit
                | OpCode::ElemDrop
        ) || self.names_memory()
    }

    /// Whether this is one of the instructions that name their memory (the `load_m` and
    /// `store_m` families and `MemorySizeM` .. `MemoryInitM`): accesses to any memory but a
    /// plain memory 0 (multi-memory, memory64, custom page sizes). They look their memory up
    /// and leave the chain; memory 0's fast handlers never see them.
    pub const fn names_memory(self) -> bool {
        (self as u16) >= (OpCode::I32LoadM as u16) && (self as u16) <= (OpCode::MemoryInitM as u16)
    }

    /// Whether a `Param` holding an extra immediate follows this instruction: `TableInit`
    /// (its table), `MemoryInitM` (its memory) and the accesses of [`OpCode::names_memory`]
    /// (the high half of their offset).
    pub const fn takes_param(self) -> bool {
        matches!(self, OpCode::TableInit | OpCode::MemoryInitM)
            || (self.names_memory()
                && !matches!(
                    self,
                    OpCode::MemorySizeM
                        | OpCode::MemoryGrowM
                        | OpCode::MemoryFillM
                        | OpCode::MemoryCopyM
                ))
    }

    /// Whether this instruction produces an f32 or f64, which its handler leaves in the float
    /// accumulator (as well as in its slot and the integer accumulator): the families whose
    /// semantics name a result type (`unary`, `binary`, their `_trap`, `_imm`, `_fimm` and
    /// accumulator forms) with a float result, and the float loads
    /// ([`OpCode::is_float_load`]). The interpreter's `set_value!` and `load_value!` are
    /// what set it, for exactly these.
    pub const fn sets_float_acc(self) -> bool {
        if self.is_float_load() {
            return true;
        }
        macro_rules! sets {
            ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
                match self {
                    $( OpCode::$name => sets!(@op $family $($($sem)*)?), )*
                }
            };
            (@op $family:ident $f:ident : $a:ident -> $r:ident) => { sets!(@family $family) && sets!(@float $r) };
            (@op $($other:tt)*) => { false };
            (@family unary) => { true };
            (@family unary_trap) => { true };
            (@family unary_acc) => { true };
            (@family binary) => { true };
            (@family binary_trap) => { true };
            (@family binary_imm) => { true };
            (@family binary_trap_imm) => { true };
            (@family binary_fimm) => { true };
            (@family binary_fimm_acc) => { true };
            (@family binary_imm_acc) => { true };
            (@family binary_acc_l) => { true };
            (@family binary_acc_r) => { true };
            (@family binary_trap_acc_l) => { true };
            (@family binary_trap_acc_r) => { true };
            (@family binary_imm_l) => { true };
            (@family binary_imm_l_acc) => { true };
            (@family $other:ident) => { false };
            (@float f32) => { true };
            (@float f64) => { true };
            (@float $other:ident) => { false };
        }
        for_each_op!(sets)
    }

    /// Whether this instruction leaves the value it writes in the integer accumulator: every
    /// single-slot writer except those that compute a float ([`OpCode::sets_float_acc`], loads
    /// aside), whose value is only in the float accumulator. An integer accumulator form (an
    /// `i32.reinterpret_f32` of a float sum is the same slot) must not follow those.
    pub const fn sets_int_acc(self) -> bool {
        !self.sets_float_acc() || self.is_float_load()
    }

    /// Whether this is a float load (any addressing form of `f32.load` or `f64.load`), whose
    /// handler also leaves the loaded value in the float accumulator.
    pub const fn is_float_load(self) -> bool {
        use OpCode as O;
        matches!(
            self,
            O::F32Load
                | O::F32LoadAcc
                | O::F32LoadAddImm
                | O::F32LoadAddImmAcc
                | O::F32LoadIdx
                | O::F32LoadScaled
                | O::F32LoadScaledAcc
                | O::F32LoadAbs
                | O::F64Load
                | O::F64LoadAcc
                | O::F64LoadAddImm
                | O::F64LoadAddImmAcc
                | O::F64LoadIdx
                | O::F64LoadScaled
                | O::F64LoadScaledAcc
                | O::F64LoadAbs
        )
    }

    /// Whether this accumulator form's accumulator operand is an f32 or f64, which its handler
    /// reads from the float accumulator (see [`OpCode::sets_float_acc`]): float operands of
    /// the typed accumulator families, and the value of `F32StoreAcc`/`F64StoreAcc`.
    pub const fn reads_float_acc(self) -> bool {
        // The float stores' value is the float accumulator's bits.
        if matches!(self, OpCode::F32StoreAcc | OpCode::F64StoreAcc) {
            return true;
        }
        macro_rules! reads {
            ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
                match self {
                    $( OpCode::$name => reads!(@op $family $($($sem)*)?), )*
                }
            };
            (@op $family:ident $f:ident : $a:ident $(-> $r:ident)?) => { reads!(@family $family) && reads!(@float $a) };
            (@op $($other:tt)*) => { false };
            (@family unary_acc) => { true };
            (@family binary_imm_acc) => { true };
            (@family binary_fimm_acc) => { true };
            (@family binary_acc_l) => { true };
            (@family binary_acc_r) => { true };
            (@family binary_trap_acc_l) => { true };
            (@family binary_trap_acc_r) => { true };
            (@family branch_cmp_acc) => { true };
            (@family branch_cmp_not_acc) => { true };
            (@family branch_cmp_imm_acc) => { true };
            (@family branch_cmp_fimm_acc) => { true };
            (@family branch_cmp_not_fimm_acc) => { true };
            (@family xor_shift_acc) => { true };
            (@family binary_imm_l_acc) => { true };
            (@family $other:ident) => { false };
            (@float f32) => { true };
            (@float f64) => { true };
            (@float $other:ident) => { false };
        }
        for_each_op!(reads)
    }

    /// Whether this is a conditional branch: its handler has a taken and a fall-through path,
    /// each with its own dispatch.
    pub const fn is_conditional_branch(self) -> bool {
        macro_rules! branches {
            ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
                match self {
                    OpCode::BrIfNez
                    | OpCode::BrIfEqz
                    | OpCode::BrIfNezAcc
                    | OpCode::BrIfEqzAcc
                    | OpCode::BrIfNezCopy
                    | OpCode::BrIfNezAccCopy
                    | OpCode::BrIfNezAccMove
                    | OpCode::I32AddImmBrIfNez
                    | OpCode::I32AddImmBrIfNe
                    | OpCode::I32AddImmBrIfNeImm
                    | OpCode::I32AddImmBrIfLtU
                    | OpCode::I64AddImmBrIfNez
                    | OpCode::I64AddImmBrIfNe
                    | OpCode::I64AddImmBrIfNeImm
                    | OpCode::I64AddImmBrIfLtU
                    | OpCode::I32AddBrIfNe
                    | OpCode::I32AddBrIfLtU
                    | OpCode::I32AddBrIfLeU
                    | OpCode::I32AddBrIfGeU
                    | OpCode::I64AddBrIfNe
                    | OpCode::I64AddBrIfLtU
                    | OpCode::I64AddBrIfLeU
                    | OpCode::I64AddBrIfGeU
                    | OpCode::CopyBrIfNez
                    | OpCode::I32PostStepBrIfNez
                    | OpCode::BrIfEqzElseI32AddImm
                    | OpCode::CopyBrIfEqz => true,
                    $( OpCode::$name => branches!(@family $family), )*
                }
            };
            (@family branch_cmp) => { true };
            (@family branch_cmp_imm) => { true };
            (@family branch_cmp_acc) => { true };
            (@family branch_cmp_imm_acc) => { true };
            (@family branch_cmp_not) => { true };
            (@family branch_cmp_not_acc) => { true };
            (@family branch_cmp_not_fimm_acc) => { true };
            (@family branch_cmp_fimm_acc) => { true };
            (@family branch_cmp_not_fimm) => { true };
            (@family branch_cmp_fimm) => { true };
            (@family $other:ident) => { false };
        }
        #[allow(unreachable_patterns, reason = "the control branches are matched first by hand")]
        let yes = for_each_op!(branches);
        yes
    }
}

/// Facts about the SIMD section of the instruction list (issue #8).
impl OpCode {
    /// Whether this is a SIMD instruction: one of the `v_*` families or the two-cell `Select2`,
    /// `V128GlobalGet` and `V128GlobalSet`. Every slot it names is followed by a second cell
    /// inside the frame (the checked decoder checks `slot + 1`), since its v128 operands and
    /// results take two.
    pub const fn is_simd(self) -> bool {
        macro_rules! simd {
            ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
                match self {
                    OpCode::Select2 | OpCode::V128GlobalGet | OpCode::V128GlobalSet => true,
                    $( OpCode::$name => simd!(@family $family), )*
                }
            };
            (@family v_load) => { true };
            (@family v_store) => { true };
            (@family v_load_lane) => { true };
            (@family v_store_lane) => { true };
            (@family v_load_m) => { true };
            (@family v_store_m) => { true };
            (@family v_load_lane_m) => { true };
            (@family v_store_lane_m) => { true };
            (@family v_shuffle) => { true };
            (@family v_extract) => { true };
            (@family v_replace) => { true };
            (@family v_splat) => { true };
            (@family v_unary) => { true };
            (@family v_binary) => { true };
            (@family v_ternary) => { true };
            (@family v_shift) => { true };
            (@family v_test) => { true };
            (@family $other:ident) => { false };
        }
        #[allow(unreachable_patterns, reason = "the control ops are matched first by hand")]
        let yes = for_each_op!(simd);
        yes
    }

    /// The lane count of a SIMD lane instruction (`extract_lane`, `replace_lane`, `load_lane`,
    /// `store_lane`): its `lane` operand is below it.
    pub const fn simd_lane_count(self) -> Option<u16> {
        macro_rules! lanes {
            ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
                match self {
                    $( OpCode::$name => lanes!(@op $family $($($sem)*)?), )*
                }
            };
            (@op v_extract $f:ident : $t:ident, $n:literal) => { Some($n) };
            (@op v_replace $f:ident : $t:ident, $n:literal) => { Some($n) };
            (@op v_load_lane $w:literal : $t:ident $f:ident, $n:literal) => { Some($n) };
            (@op v_store_lane $w:literal : $t:ident $f:ident, $n:literal) => { Some($n) };
            (@op v_load_lane_m $w:literal : $t:ident $f:ident, $n:literal) => { Some($n) };
            (@op v_store_lane_m $w:literal : $t:ident $f:ident, $n:literal) => { Some($n) };
            (@op $($other:tt)*) => { None };
        }
        for_each_op!(lanes)
    }

    /// How many `Param`s follow this instruction: the memarg offset of a `v_load_lane`, the
    /// lanes 4..16 of `I8x16Shuffle`, the table index of `TableInit`, the offset's high half
    /// of a SIMD access that names its memory (both halves for its lane forms).
    pub const fn trailing_params(self) -> usize {
        macro_rules! params {
            ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
                match self {
                    OpCode::TableInit => 1,
                    $( OpCode::$name => params!(@family $family), )*
                }
            };
            (@family v_load_lane) => { 1 };
            (@family v_load_m) => { 1 };
            (@family v_store_m) => { 1 };
            (@family v_load_lane_m) => { 2 };
            (@family v_store_lane_m) => { 2 };
            (@family v_shuffle) => { 3 };
            (@family $other:ident) => { 0 };
        }
        #[allow(unreachable_patterns, reason = "TableInit is matched first by hand")]
        let n = for_each_op!(params);
        n
    }
}

impl Op {
    /// Calls `f` with every [`Slot`] operand of this instruction, written or read (a call's
    /// `base` included), for passes that renumber the frame.
    pub fn for_each_slot_mut(&mut self, mut f: impl FnMut(&mut Slot)) {
        macro_rules! slots {
            ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ident),* } $family:ident $(($($sem:tt)*))? ; )*) => {
                match self {
                    $( Op::$name { $($field),* } => { $( slots!(@field $fty $field); )* } )*
                }
            };
            (@field Slot $v:ident) => { f($v) };
            (@field $other:ident $v:ident) => { let _ = $v; };
        }
        for_each_op!(slots)
    }

    /// Calls `f` with every [`Slot`] operand this instruction only reads, and returns `true`,
    /// if its one effect on the frame is writing its `dst` (if it has one) after reading its
    /// operands: the numeric families (not SIMD, not the accesses that name their memory),
    /// `Select`, `GlobalSet`, `I32AddShl` (and its accumulator forms) and `I32ShlAddImm`. Returns `false`, calling nothing,
    /// for every other instruction, whose operands are read (or written) in ways of their own.
    pub fn for_each_read_slot_mut(&mut self, mut f: impl FnMut(&mut Slot)) -> bool {
        let code = self.opcode();
        if code.is_simd() || code.names_memory() || code.trailing_params() != 0 {
            return false;
        }
        macro_rules! reads {
            ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ident),* } $family:ident $(($($sem:tt)*))? ; )*) => {
                #[allow(unreachable_patterns, reason = "the readable control ops are matched first by hand")]
                match self {
                    Op::Select { cond, if_true, if_false, .. } => {
                        f(cond);
                        f(if_true);
                        f(if_false);
                        true
                    }
                    Op::GlobalSet { src, .. } => {
                        f(src);
                        true
                    }
                    Op::I32AddShl { lhs, rhs, .. } => {
                        f(lhs);
                        f(rhs);
                        true
                    }
                    Op::I32ShlAddImm { lhs, .. }
                    | Op::I32ShrUAndImm { lhs, .. }
                    | Op::I32AddShlAccR { lhs, .. } => {
                        f(lhs);
                        true
                    }
                    Op::I32AddShlAccL { rhs, .. } => {
                        f(rhs);
                        true
                    }
                    $( Op::$name { $($field),* } => reads!(@op $family $($field $fty)*), )*
                }
            };
            (@op control $($field:ident $fty:ident)*) => {{
                $( let _ = $field; )*
                false
            }};
            (@op $family:ident $($field:ident $fty:ident)*) => {{
                $( reads!(@field $field $field $fty); )*
                true
            }};
            (@field dst $v:ident Slot) => { let _ = $v; };
            (@field $name:ident $v:ident Slot) => { f($v) };
            (@field $name:ident $v:ident $other:ident) => { let _ = $v; };
        }
        for_each_op!(reads)
    }

    /// The branch offset of a branching instruction, to patch forward branches.
    pub fn branch_offset_mut(&mut self) -> Option<&mut BranchOffset> {
        macro_rules! offsets {
            ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
                #[allow(unreachable_patterns, reason = "the control branches are matched first by hand")]
                match self {
                    Op::Br { offset }
                    | Op::BrIfNez { offset, .. }
                    | Op::BrIfEqz { offset, .. }
                    | Op::BrIfNezAcc { offset }
                    | Op::BrIfEqzAcc { offset }
                    | Op::BrIfNezCopy { offset, .. }
                    | Op::BrIfNezAccCopy { offset, .. }
                    | Op::BrIfNezAccMove { offset, .. }
                    | Op::I32AddImmBrIfNez { offset, .. }
                    | Op::I32AddImmBrIfNe { offset, .. }
                    | Op::I32AddImmBrIfNeImm { offset, .. }
                    | Op::I32AddImmBrIfLtU { offset, .. }
                    | Op::I64AddImmBrIfNez { offset, .. }
                    | Op::I64AddImmBrIfNe { offset, .. }
                    | Op::I64AddImmBrIfNeImm { offset, .. }
                    | Op::I64AddImmBrIfLtU { offset, .. }
                    | Op::I32AddBrIfNe { offset, .. }
                    | Op::I32AddBrIfLtU { offset, .. }
                    | Op::I32AddBrIfLeU { offset, .. }
                    | Op::I32AddBrIfGeU { offset, .. }
                    | Op::I64AddBrIfNe { offset, .. }
                    | Op::I64AddBrIfLtU { offset, .. }
                    | Op::I64AddBrIfLeU { offset, .. }
                    | Op::I64AddBrIfGeU { offset, .. }
                    | Op::CopyBrIfNez { offset, .. }
                    | Op::I32PostStepBrIfNez { offset, .. }
                    | Op::BrIfEqzElseI32AddImm { offset, .. }
                    | Op::CopyBrIfEqz { offset, .. }
                    | Op::CopyBr { offset, .. } => Some(offset),
                    $( offsets!(@pat $family $name offset) => offsets!(@val $family offset), )*
                }
            };
            (@pat branch_cmp $name:ident $o:ident) => { Op::$name { offset: $o, .. } };
            (@pat branch_cmp_imm $name:ident $o:ident) => { Op::$name { offset: $o, .. } };
            (@pat branch_cmp_acc $name:ident $o:ident) => { Op::$name { offset: $o, .. } };
            (@pat branch_cmp_imm_acc $name:ident $o:ident) => { Op::$name { offset: $o, .. } };
            (@pat branch_cmp_not $name:ident $o:ident) => { Op::$name { offset: $o, .. } };
            (@pat branch_cmp_not_acc $name:ident $o:ident) => { Op::$name { offset: $o, .. } };
            (@pat branch_cmp_not_fimm_acc $name:ident $o:ident) => { Op::$name { offset: $o, .. } };
            (@pat branch_cmp_fimm_acc $name:ident $o:ident) => { Op::$name { offset: $o, .. } };
            (@pat branch_cmp_not_fimm $name:ident $o:ident) => { Op::$name { offset: $o, .. } };
            (@pat branch_cmp_fimm $name:ident $o:ident) => { Op::$name { offset: $o, .. } };
            (@pat $family:ident $name:ident $o:ident) => { Op::$name { .. } };
            (@val branch_cmp $o:ident) => { Some($o) };
            (@val branch_cmp_imm $o:ident) => { Some($o) };
            (@val branch_cmp_acc $o:ident) => { Some($o) };
            (@val branch_cmp_imm_acc $o:ident) => { Some($o) };
            (@val branch_cmp_not $o:ident) => { Some($o) };
            (@val branch_cmp_not_acc $o:ident) => { Some($o) };
            (@val branch_cmp_not_fimm_acc $o:ident) => { Some($o) };
            (@val branch_cmp_fimm_acc $o:ident) => { Some($o) };
            (@val branch_cmp_not_fimm $o:ident) => { Some($o) };
            (@val branch_cmp_fimm $o:ident) => { Some($o) };
            (@val $family:ident $o:ident) => { None };
        }
        for_each_op!(offsets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_is_twelve_bytes() {
        assert_eq!(size_of::<Op>(), 12);
    }

    #[test]
    fn opcodes_are_dense() {
        for (i, op) in OpCode::ALL.iter().enumerate() {
            assert_eq!(*op as usize, i);
        }
    }

    #[test]
    fn float_results_set_the_float_accumulator() {
        use OpCode as O;
        for op in [
            O::F64Add,
            O::F32Mul,
            O::F64AddAccR,
            O::F32SubAccL,
            O::F64AddImm,
            O::F32MulImmAcc,
            O::F64Neg,
            O::F64Sqrt,
            O::F32DemoteF64,
            O::F64PromoteF32,
            O::F64ConvertI32S,
            O::F32ConvertI64UAcc,
            O::F32Ceil,
            O::F64Load,
            O::F32LoadAddImm,
            O::F64LoadScaledAcc,
        ] {
            assert!(op.sets_float_acc(), "{op:?}");
        }
        // Integer results, and float values that arrive as bits (loads, constants, copies).
        for op in [
            O::I32Add,
            O::I64AddAccL,
            O::F64Gt,
            O::F64GtImm,
            O::I32TruncF64S,
            O::I64Load,
            O::I32LoadAcc,
            O::Const64,
            O::Copy,
            O::GlobalGet,
            O::Select,
            O::F64Store,
        ] {
            assert!(!op.sets_float_acc(), "{op:?}");
        }
    }

    #[test]
    fn float_accumulator_operands_read_the_float_accumulator() {
        use OpCode as O;
        for op in [
            O::F64AddAccR,
            O::F32DivAccL,
            O::F64MulImmAcc,
            O::BrIfF64LtAcc,
            O::BrIfF32NotGeAcc,
            O::BrIfF64GtImmAcc,
            O::BrIfF32NotLeImmAcc,
            O::F32StoreAcc,
            O::F64StoreAcc,
        ] {
            assert!(op.reads_float_acc(), "{op:?}");
        }
        for op in [
            O::F64Add,
            O::F64AddImm,
            O::BrIfF64Lt,
            O::I32AddAccL,
            O::BrIfI64LtSAcc,
            O::F64ConvertI32SAcc,
            O::I64StoreAcc,
            O::F64LoadAcc,
            O::BrIfNezAcc,
        ] {
            assert!(!op.reads_float_acc(), "{op:?}");
        }
    }
    #[test]
    fn simd_facts() {
        use OpCode as O;
        assert!(O::I32x4Add.is_simd() && O::Select2.is_simd() && O::V128Load8Lane.is_simd());
        assert!(!O::I32Add.is_simd() && !O::Copy2.is_simd() && !O::Select.is_simd());
        assert_eq!(O::I8x16ExtractLaneS.simd_lane_count(), Some(16));
        assert_eq!(O::F64x2ReplaceLane.simd_lane_count(), Some(2));
        assert_eq!(O::V128Store32Lane.simd_lane_count(), Some(4));
        assert_eq!(O::I8x16Shuffle.simd_lane_count(), None);
        assert_eq!(O::I8x16Shuffle.trailing_params(), 3);
        assert_eq!(O::V128Load16Lane.trailing_params(), 1);
        assert_eq!(O::TableInit.trailing_params(), 1);
        assert_eq!(O::I32Add.trailing_params(), 0);
        assert!(O::V128LoadM.is_simd() && O::V128Store64LaneM.is_simd());
        assert!(O::V128LoadM.names_memory() && O::V128Store64LaneM.names_memory());
        assert_eq!(O::V128Load8LaneM.simd_lane_count(), Some(16));
        assert_eq!(O::V128Store64LaneM.simd_lane_count(), Some(2));
        assert_eq!(O::V128Load32SplatM.trailing_params(), 1);
        assert_eq!(O::V128Store16LaneM.trailing_params(), 2);
        assert!(O::V128StoreM.takes_param() && O::V128Load32LaneM.takes_param());
        for op in OpCode::ALL {
            if op.is_simd() {
                // SIMD handlers stay in the tail chain, except the accesses that name their
                // memory (which look it up, as the scalar ones do).
                assert_eq!(op.leaves_chain(), op.names_memory(), "{op:?}");
                assert!(!op.sets_float_acc() && !op.reads_float_acc(), "{op:?}");
                assert!(!op.is_conditional_branch(), "{op:?}");
            }
        }
    }
}
