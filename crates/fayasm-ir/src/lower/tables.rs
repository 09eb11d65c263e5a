//! Lowering of table instructions on 64-bit tables (memory64's table64).
//!
//! A 64-bit table takes its indices, sizes and lengths as i64. The interpreter's table
//! instructions (and `CallIndirect`, with table 0's cached view) read 32-bit operands, and a
//! table never holds anywhere near 2^32 elements at run time, so an i64 operand is first
//! saturated to `u32::MAX` by [`Op::TableIndex64`] in its own slot: a value from 2^32 up stays
//! out of bounds (no wrapping near 2^64), any smaller one is unchanged. After that rewrite the
//! instruction lowers exactly as on a 32-bit table. `table.size` and `table.grow` produce an
//! i64: the size is the table's length, and `table.grow`'s i32 result (an old length below
//! 2^31, or `-1`) is sign-extended. `table.copy` between a 32- and a 64-bit table takes each
//! index of its table's type and a length of the smaller type, as the proposal says.
//!
//! Code on 32-bit tables never passes through here and lowers exactly as before.

use super::{Entry, LowerError, Lowerer, Src};
use crate::isa::{Op, Slot};
use fayasm_core::ValType;
use wasmparser::Operator;

impl Lowerer<'_> {
    /// Whether table `table` is a 64-bit table.
    fn is_table64(&self, table: u32) -> Result<bool, LowerError> {
        self.info
            .tables
            .get(table as usize)
            .map(|t| t.table64)
            .ok_or_else(|| self.error(alloc::format!("unknown table {table}")))
    }

    /// Prepares or lowers a table instruction of a 64-bit table: returns true if `op` was
    /// lowered here (`table.size`, `table.grow`), false if the caller lowers it as on a 32-bit
    /// table (its i64 operands saturated, or `op` uses no 64-bit table).
    pub(super) fn table64(&mut self, op: &Operator<'_>) -> Result<bool, LowerError> {
        // The table an instruction uses and the depths (from the top of the stack) of its
        // operands that take that table's index type.
        let (table, depths): (u32, &[usize]) = match *op {
            Operator::TableGet { table }
            | Operator::CallIndirect { table_index: table, .. }
            | Operator::ReturnCallIndirect { table_index: table, .. } => (table, &[0]),
            Operator::TableSet { table } => (table, &[1]),
            Operator::TableFill { table } => (table, &[2, 0]),
            Operator::TableInit { table, .. } => (table, &[2]),
            Operator::TableCopy { dst_table, src_table } => {
                let (d64, s64) = (self.is_table64(dst_table)?, self.is_table64(src_table)?);
                // The destination index, the source index, and a length of the smaller type.
                for (is64, depth) in [(d64, 2), (s64, 1), (d64 && s64, 0)] {
                    if is64 {
                        self.saturate_index(depth)?;
                    }
                }
                return Ok(false);
            }
            Operator::TableSize { table } => return self.table_size64(table),
            Operator::TableGrow { table } => return self.table_grow64(table),
            _ => return Ok(false),
        };
        if self.is_table64(table)? {
            for &depth in depths {
                self.saturate_index(depth)?;
            }
        }
        Ok(false)
    }

    /// `table.size` of a 64-bit table (an i64); false for a 32-bit one.
    fn table_size64(&mut self, table: u32) -> Result<bool, LowerError> {
        if !self.is_table64(table)? {
            return Ok(false);
        }
        let r = self.push(ValType::I64)?;
        self.emit(Op::TableSize { dst: r.cell as Slot, table });
        Ok(true)
    }

    /// `table.grow` of a 64-bit table (an i64 delta and result); false for a 32-bit one.
    fn table_grow64(&mut self, table: u32) -> Result<bool, LowerError> {
        if !self.is_table64(table)? {
            return Ok(false);
        }
        let table = u16::try_from(table).map_err(|_| self.error("table index exceeds 16 bits"))?;
        self.saturate_index(0)?;
        let delta = self.pop()?;
        let init = self.pop()?;
        let r = self.push(ValType::I64)?;
        let dst = r.cell as Slot;
        self.emit(Op::TableGrow { dst, init: init.slot(), delta: delta.slot(), table });
        // The old length (below 2^31) or -1, as an i64.
        self.emit(Op::I64ExtendI32S { dst, src: dst });
        Ok(true)
    }

    /// Saturates the i64 operand `depth` entries below the top of the stack into an i32 in its
    /// own slot (see [`Op::TableIndex64`]), which the entry then names.
    fn saturate_index(&mut self, depth: usize) -> Result<(), LowerError> {
        let k = self
            .stack
            .len()
            .checked_sub(depth + 1)
            .ok_or_else(|| self.error("operand stack underflow at a table instruction"))?;
        let e = self.stack[k];
        let dst = e.cell as Slot;
        self.emit(Op::TableIndex64 { dst, src: e.slot() });
        self.stack[k] = Entry { ty: ValType::I32, cell: e.cell, src: Src::Canonical };
        Ok(())
    }
}
