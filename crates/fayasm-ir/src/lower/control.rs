//! Lowering of each operator: control flow by hand, numeric families generated from the ISA.

use super::{Ctrl, CtrlKind, Entry, LowerError, Lowerer, Src, fuse, offset, val_type};
use crate::isa::{BranchOffset, Op, Slot};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;
use fayasm_core::ValType;
use wasmparser::{BlockType, Operator};

impl Lowerer<'_> {
    pub(super) fn operator(&mut self, op: &Operator<'_>) -> Result<(), LowerError> {
        if !self.reachable {
            return self.unreachable_operator(op);
        }
        // `table64` lowers or prepares instructions on 64-bit tables (`lower/tables.rs`).
        if self.numeric(op)? || self.simd(op)? || (self.has_table64 && self.table64(op)?) {
            return Ok(());
        }
        match *op {
            Operator::Nop => {}
            Operator::Unreachable => {
                self.emit(Op::Unreachable {});
                self.reachable = false;
            }
            Operator::Block { blockty } => {
                let (params, results) = self.block_type(blockty)?;
                self.materialize_all();
                self.push_ctrl(CtrlKind::Block, params, results);
            }
            Operator::Loop { blockty } => {
                let (params, results) = self.block_type(blockty)?;
                self.materialize_all();
                self.push_ctrl(CtrlKind::Loop, params, results);
            }
            Operator::If { blockty } => {
                let (params, results) = self.block_type(blockty)?;
                let cond = self.pop()?;
                let compare = self.take_compare(cond);
                self.materialize_all();
                let at = self.emit_cond_branch(compare, cond.slot(), false, 0);
                self.push_ctrl(CtrlKind::If, params, results);
                if let Some(c) = self.ctrl.last_mut() {
                    c.else_patch = Some(at);
                }
            }
            Operator::Else => self.else_()?,
            Operator::End => self.end()?,
            Operator::Br { relative_depth } => {
                self.branch(relative_depth)?;
                self.reachable = false;
            }
            Operator::BrIf { relative_depth } => {
                let cond = self.pop()?;
                let compare = self.take_compare(cond);
                self.branch_if(relative_depth, compare, cond.slot())?;
            }
            Operator::BrTable { ref targets } => {
                let index = self.pop()?;
                let mut depths = Vec::with_capacity(targets.len() as usize + 1);
                for t in targets.targets() {
                    depths.push(t.map_err(|e| self.error(e.message().to_string()))?);
                }
                depths.push(targets.default());
                self.branch_table(index.slot(), &depths)?;
                self.reachable = false;
            }
            Operator::Return => {
                self.emit_return()?;
                self.reachable = false;
            }
            Operator::Call { function_index } => {
                let ty = self
                    .info
                    .func_type(function_index)
                    .ok_or_else(|| self.error(format!("unknown function {function_index}")))?;
                let (params, results) = (ty.params.len(), ty.results.to_vec());
                let base = self.call_args(params)?;
                let base = base as Slot;
                match function_index.checked_sub(self.info.num_imported_funcs) {
                    Some(def) => self.emit(Op::CallInternal { def, base }),
                    None => self.emit(Op::Call { func: function_index, base }),
                };
                self.push_results(&results)?;
            }
            Operator::CallIndirect { type_index, table_index } => {
                let ty = self
                    .info
                    .types
                    .get(type_index as usize)
                    .ok_or_else(|| self.error(format!("unknown type {type_index}")))?;
                let (params, results) = (ty.params.len(), ty.results.to_vec());
                let index = self.pop()?;
                let base = self.call_args(params)?;
                let table = u16::try_from(table_index)
                    .map_err(|_| self.error("table index exceeds 16 bits"))?;
                self.emit(Op::CallIndirect {
                    index: index.slot(),
                    base: base as Slot,
                    table,
                    ty: type_index,
                });
                self.push_results(&results)?;
            }
            Operator::Drop => {
                self.pop()?;
            }
            Operator::Select | Operator::TypedSelect { .. } => {
                let cond = self.pop()?;
                let if_false = self.pop()?;
                let if_true = self.pop()?;
                let r = self.push(if_true.ty)?;
                let (dst, if_true, if_false) = (r.cell as Slot, if_true.slot(), if_false.slot());
                if r.ty.cells() == 2 {
                    self.emit(Op::Select2 { dst, cond: cond.slot(), if_true, if_false });
                    return Ok(());
                }
                let compare = self.take_compare(cond);
                match compare.and_then(|cmp| fuse::select_on(cmp, dst, if_true, if_false)) {
                    Some(fused) => self.emit(fused),
                    None => {
                        // Not a compare it fuses with: put it back in front of a plain select.
                        if let Some(cmp) = compare {
                            self.emit(cmp);
                        }
                        let select = Op::Select { dst, cond: cond.slot(), if_true, if_false };
                        self.emit(select)
                    }
                };
                self.fold_const_operands();
            }
            Operator::LocalGet { local_index } => self.local_get(local_index)?,
            Operator::LocalSet { local_index } => self.local_set(local_index)?,
            Operator::LocalTee { local_index } => self.local_tee(local_index)?,
            Operator::GlobalGet { global_index } => {
                let ty = self.global_type(global_index)?;
                let r = self.push(ty)?;
                let dst = r.cell as Slot;
                // `global.set g` then `global.get g` into the slot the set just read: the value
                // is already there (nothing runs in between, and a set writes no accumulator,
                // so the next instruction reads the slot); likewise after a `GlobalAddImm`
                // writing that slot (which leaves the value in the accumulator too).
                let reloads = self.ops.len() > self.barrier
                    && match self.ops.last() {
                        Some(&Op::GlobalSet { src, global }) => {
                            src == dst && global == global_index
                        }
                        Some(&Op::GlobalAddImm { dst: d, global, .. }) => {
                            d == dst && global == global_index
                        }
                        _ => false,
                    };
                if ty.cells() == 2 {
                    self.emit(Op::V128GlobalGet { dst, global: global_index });
                } else if !reloads {
                    self.emit(Op::GlobalGet { dst, global: global_index });
                }
            }
            Operator::GlobalSet { global_index } => {
                let v = self.pop()?;
                if v.ty.cells() == 2 {
                    self.emit(Op::V128GlobalSet { src: v.slot(), global: global_index });
                } else {
                    if !self.fuse_global_add_imm(global_index, v.slot()) {
                        self.emit(Op::GlobalSet { src: v.slot(), global: global_index });
                    }
                    self.fold_const_operands();
                }
            }
            Operator::I32Const { value } => self.const32(ValType::I32, value as u32)?,
            Operator::I64Const { value } => self.const64(ValType::I64, value as u64)?,
            Operator::F32Const { value } => self.const32(ValType::F32, value.bits())?,
            Operator::F64Const { value } => self.const64(ValType::F64, value.bits())?,
            Operator::I32ReinterpretF32 => self.retype(ValType::I32)?,
            Operator::I64ReinterpretF64 => self.retype(ValType::I64)?,
            Operator::F32ReinterpretI32 => self.retype(ValType::F32)?,
            Operator::F64ReinterpretI64 => self.retype(ValType::F64)?,
            Operator::RefNull { hty } => {
                let ty = if matches!(
                    hty,
                    wasmparser::HeapType::Abstract { ty: wasmparser::AbstractHeapType::Extern, .. }
                ) {
                    ValType::ExternRef
                } else {
                    ValType::FuncRef
                };
                self.const32(ty, 0)?;
            }
            Operator::RefIsNull => self.unary(ValType::I32, |dst, src| Op::I64Eqz { dst, src })?,
            Operator::RefFunc { function_index } => {
                let r = self.push(ValType::FuncRef)?;
                self.emit(Op::RefFunc { dst: r.cell as Slot, func: function_index });
            }
            Operator::I32Load { memarg } => {
                self.load(ValType::I32, &memarg, |dst, addr, offset| Op::I32Load {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::I64Load { memarg } => {
                self.load(ValType::I64, &memarg, |dst, addr, offset| Op::I64Load {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::F32Load { memarg } => {
                self.load(ValType::F32, &memarg, |dst, addr, offset| Op::F32Load {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::F64Load { memarg } => {
                self.load(ValType::F64, &memarg, |dst, addr, offset| Op::F64Load {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::I32Load8S { memarg } => {
                self.load(ValType::I32, &memarg, |dst, addr, offset| Op::I32Load8S {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::I32Load8U { memarg } => {
                self.load(ValType::I32, &memarg, |dst, addr, offset| Op::I32Load8U {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::I32Load16S { memarg } => {
                self.load(ValType::I32, &memarg, |dst, addr, offset| Op::I32Load16S {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::I32Load16U { memarg } => {
                self.load(ValType::I32, &memarg, |dst, addr, offset| Op::I32Load16U {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::I64Load8S { memarg } => {
                self.load(ValType::I64, &memarg, |dst, addr, offset| Op::I64Load8S {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::I64Load8U { memarg } => {
                self.load(ValType::I64, &memarg, |dst, addr, offset| Op::I64Load8U {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::I64Load16S { memarg } => {
                self.load(ValType::I64, &memarg, |dst, addr, offset| Op::I64Load16S {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::I64Load16U { memarg } => {
                self.load(ValType::I64, &memarg, |dst, addr, offset| Op::I64Load16U {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::I64Load32S { memarg } => {
                self.load(ValType::I64, &memarg, |dst, addr, offset| Op::I64Load32S {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::I64Load32U { memarg } => {
                self.load(ValType::I64, &memarg, |dst, addr, offset| Op::I64Load32U {
                    dst,
                    addr,
                    offset,
                })?
            }
            Operator::I32Store { memarg } => {
                self.store(&memarg, |addr, value, offset| Op::I32Store { addr, value, offset })?
            }
            Operator::I64Store { memarg } => {
                self.store(&memarg, |addr, value, offset| Op::I64Store { addr, value, offset })?
            }
            Operator::F32Store { memarg } => {
                self.store(&memarg, |addr, value, offset| Op::F32Store { addr, value, offset })?
            }
            Operator::F64Store { memarg } => {
                self.store(&memarg, |addr, value, offset| Op::F64Store { addr, value, offset })?
            }
            Operator::I32Store8 { memarg } => {
                self.store(&memarg, |addr, value, offset| Op::I32Store8 { addr, value, offset })?
            }
            Operator::I32Store16 { memarg } => {
                self.store(&memarg, |addr, value, offset| Op::I32Store16 { addr, value, offset })?
            }
            Operator::I64Store8 { memarg } => {
                self.store(&memarg, |addr, value, offset| Op::I64Store8 { addr, value, offset })?
            }
            Operator::I64Store16 { memarg } => {
                self.store(&memarg, |addr, value, offset| Op::I64Store16 { addr, value, offset })?
            }
            Operator::I64Store32 { memarg } => {
                self.store(&memarg, |addr, value, offset| Op::I64Store32 { addr, value, offset })?
            }
            // Other memories than a plain memory 0: see `lower/memories.rs`.
            Operator::MemorySize { mem } if !self.fast_pages(mem) => self.memory_size_named(mem)?,
            Operator::MemoryGrow { mem } if !self.fast_pages(mem) => self.memory_grow_named(mem)?,
            Operator::MemoryFill { mem } if !self.fast_access(mem) => {
                let mem = self.memory16(mem)?;
                let [dst, value, len] = self.pop3()?;
                self.emit(Op::MemoryFillM { dst, value, len, memory: mem });
            }
            Operator::MemoryCopy { dst_mem, src_mem }
                if !(self.fast_access(dst_mem) && self.fast_access(src_mem)) =>
            {
                let (dst_mem, src_mem) = (self.memory16(dst_mem)?, self.memory16(src_mem)?);
                let [dst, src, len] = self.pop3()?;
                self.emit(Op::MemoryCopyM { dst, src, len, dst_mem, src_mem });
            }
            Operator::MemoryInit { data_index, mem } if !self.fast_access(mem) => {
                let [dst, src, len] = self.pop3()?;
                self.emit(Op::MemoryInitM { dst, src, len, segment: data_index });
                self.emit(Op::Param { value: mem });
            }
            Operator::MemorySize { mem } => {
                self.memory_zero(mem)?;
                let r = self.push(ValType::I32)?;
                self.emit(Op::MemorySize { dst: r.cell as Slot });
            }
            Operator::MemoryGrow { mem } => {
                self.memory_zero(mem)?;
                self.unary(ValType::I32, |dst, delta| Op::MemoryGrow { dst, delta })?;
            }
            Operator::MemoryFill { mem } => {
                self.memory_zero(mem)?;
                let [dst, value, len] = self.pop3()?;
                self.emit(Op::MemoryFill { dst, value, len });
            }
            Operator::MemoryCopy { dst_mem, src_mem } => {
                self.memory_zero(dst_mem)?;
                self.memory_zero(src_mem)?;
                let [dst, src, len] = self.pop3()?;
                self.emit(Op::MemoryCopy { dst, src, len });
            }
            Operator::MemoryInit { data_index, mem } => {
                self.memory_zero(mem)?;
                let [dst, src, len] = self.pop3()?;
                self.emit(Op::MemoryInit { dst, src, len, segment: data_index });
            }
            Operator::DataDrop { data_index } => {
                self.emit(Op::DataDrop { segment: data_index });
            }
            Operator::TableGet { table } => {
                let ty = self.table_elem(table)?;
                self.unary(ty, |dst, index| Op::TableGet { dst, index, table })?;
            }
            Operator::TableSet { table } => {
                let value = self.pop()?;
                let index = self.pop()?;
                self.emit(Op::TableSet { index: index.slot(), value: value.slot(), table });
            }
            Operator::TableSize { table } => {
                let r = self.push(ValType::I32)?;
                self.emit(Op::TableSize { dst: r.cell as Slot, table });
            }
            Operator::TableGrow { table } => {
                let table = self.table16(table)?;
                let delta = self.pop()?;
                let init = self.pop()?;
                let r = self.push(ValType::I32)?;
                self.emit(Op::TableGrow {
                    dst: r.cell as Slot,
                    init: init.slot(),
                    delta: delta.slot(),
                    table,
                });
            }
            Operator::TableFill { table } => {
                let table = self.table16(table)?;
                let [index, value, len] = self.pop3()?;
                self.emit(Op::TableFill { index, value, len, table });
            }
            Operator::TableCopy { dst_table, src_table } => {
                let (dst_table, src_table) = (self.table16(dst_table)?, self.table16(src_table)?);
                let [dst, src, len] = self.pop3()?;
                self.emit(Op::TableCopy { dst, src, len, dst_table, src_table });
            }
            Operator::TableInit { elem_index, table } => {
                let [dst, src, len] = self.pop3()?;
                self.emit(Op::TableInit { dst, src, len, segment: elem_index });
                self.emit(Op::Param { value: table });
            }
            Operator::ElemDrop { elem_index } => {
                self.emit(Op::ElemDrop { segment: elem_index });
            }
            // ----- tail calls and wide arithmetic (proposals beyond 2.0) -----
            Operator::ReturnCall { function_index } => {
                let ty = self
                    .info
                    .func_type(function_index)
                    .ok_or_else(|| self.error(format!("unknown function {function_index}")))?;
                let base = self.call_args(ty.params.len())? as Slot;
                match function_index.checked_sub(self.info.num_imported_funcs) {
                    Some(def) => self.emit(Op::ReturnCallInternal { def, base }),
                    None => self.emit(Op::ReturnCall { func: function_index, base }),
                };
                self.reachable = false;
            }
            Operator::ReturnCallIndirect { type_index, table_index } => {
                let ty = self
                    .info
                    .types
                    .get(type_index as usize)
                    .ok_or_else(|| self.error(format!("unknown type {type_index}")))?;
                let params = ty.params.len();
                let index = self.pop()?;
                let base = self.call_args(params)? as Slot;
                let table = u16::try_from(table_index)
                    .map_err(|_| self.error("table index exceeds 16 bits"))?;
                self.emit(Op::ReturnCallIndirect {
                    index: index.slot(),
                    base,
                    table,
                    ty: type_index,
                });
                self.reachable = false;
            }
            Operator::I64Add128 => self.wide128(|dst, [lhs_lo, lhs_hi, rhs_lo, rhs_hi]| {
                Op::I64Add128 { dst, lhs_lo, lhs_hi, rhs_lo, rhs_hi }
            })?,
            Operator::I64Sub128 => self.wide128(|dst, [lhs_lo, lhs_hi, rhs_lo, rhs_hi]| {
                Op::I64Sub128 { dst, lhs_lo, lhs_hi, rhs_lo, rhs_hi }
            })?,
            Operator::I64MulWideS => {
                self.mul_wide(|dst, lhs, rhs| Op::I64MulWideS { dst, lhs, rhs })?
            }
            Operator::I64MulWideU => {
                self.mul_wide(|dst, lhs, rhs| Op::I64MulWideU { dst, lhs, rhs })?
            }
            ref other => return Err(self.error(format!("unsupported operator {other:?}"))),
        }
        Ok(())
    }

    /// Lowers the numeric operators generated from the ISA list; `false` if `op` is not one.
    fn numeric(&mut self, op: &Operator<'_>) -> Result<bool, LowerError> {
        macro_rules! numeric_arms {
            (@acc [$($arms:tt)*]) => {
                match op {
                    $($arms)*
                    _ => return Ok(false),
                }
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } unary ($fn:ident : $a:ident -> $r:ident) ; $($rest:tt)*) => {
                numeric_arms!(@acc [$($arms)* Operator::$name => self.unary(vt!($r), |dst, src| Op::$name { dst, src })?, ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } unary_trap ($fn:ident : $a:ident -> $r:ident) ; $($rest:tt)*) => {
                numeric_arms!(@acc [$($arms)* Operator::$name => self.unary(vt!($r), |dst, src| Op::$name { dst, src })?, ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } binary ($fn:ident : $a:ident -> $r:ident) ; $($rest:tt)*) => {
                numeric_arms!(@acc [$($arms)* Operator::$name => self.binary(vt!($r), |dst, lhs, rhs| Op::$name { dst, lhs, rhs })?, ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } binary_trap ($fn:ident : $a:ident -> $r:ident) ; $($rest:tt)*) => {
                numeric_arms!(@acc [$($arms)* Operator::$name => self.binary(vt!($r), |dst, lhs, rhs| Op::$name { dst, lhs, rhs })?, ] $($rest)*)
            };
            (@acc [$($arms:tt)*] $(#[doc = $doc:literal])* $name:ident { $($f:ident : $t:ty),* } $family:ident $(($($sem:tt)*))? ; $($rest:tt)*) => {
                numeric_arms!(@acc [$($arms)*] $($rest)*)
            };
            ($($all:tt)*) => {
                numeric_arms!(@acc [] $($all)*)
            };
        }
        crate::for_each_op!(numeric_arms);
        Ok(true)
    }

    fn unreachable_operator(&mut self, op: &Operator<'_>) -> Result<(), LowerError> {
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                self.skip_depth += 1
            }
            Operator::Else if self.skip_depth == 0 => self.else_()?,
            Operator::End if self.skip_depth == 0 => self.end()?,
            Operator::End => self.skip_depth -= 1,
            _ => {}
        }
        Ok(())
    }

    fn memory_zero(&self, mem: u32) -> Result<(), LowerError> {
        if mem == 0 { Ok(()) } else { Err(self.error("only memory 0 is supported")) }
    }

    fn table16(&self, table: u32) -> Result<u16, LowerError> {
        u16::try_from(table).map_err(|_| self.error("table index exceeds 16 bits"))
    }

    fn table_elem(&self, table: u32) -> Result<ValType, LowerError> {
        let t = self
            .info
            .tables
            .get(table as usize)
            .ok_or_else(|| self.error(format!("unknown table {table}")))?;
        Ok(t.element.into())
    }

    fn global_type(&self, global: u32) -> Result<ValType, LowerError> {
        let g = self
            .info
            .globals
            .get(global as usize)
            .ok_or_else(|| self.error(format!("unknown global {global}")))?;
        Ok(g.content)
    }

    /// Lowers `i64.add128`/`i64.sub128`: four i64 operands (low, high, low, high), two i64
    /// results in consecutive slots.
    fn wide128(&mut self, make: impl FnOnce(Slot, [Slot; 4]) -> Op) -> Result<(), LowerError> {
        let rhs_hi = self.pop()?;
        let rhs_lo = self.pop()?;
        let lhs_hi = self.pop()?;
        let lhs_lo = self.pop()?;
        let lo = self.push(ValType::I64)?;
        self.push(ValType::I64)?;
        self.emit(make(
            lo.cell as Slot,
            [lhs_lo.slot(), lhs_hi.slot(), rhs_lo.slot(), rhs_hi.slot()],
        ));
        Ok(())
    }

    /// Lowers `i64.mul_wide_s/u`: two i64 operands, two i64 results in consecutive slots.
    fn mul_wide(&mut self, make: impl FnOnce(Slot, Slot, Slot) -> Op) -> Result<(), LowerError> {
        let rhs = self.pop()?;
        let lhs = self.pop()?;
        let lo = self.push(ValType::I64)?;
        self.push(ValType::I64)?;
        self.emit(make(lo.cell as Slot, lhs.slot(), rhs.slot()));
        Ok(())
    }

    fn pop3(&mut self) -> Result<[Slot; 3], LowerError> {
        let c = self.pop()?;
        let b = self.pop()?;
        let a = self.pop()?;
        Ok([a.slot(), b.slot(), c.slot()])
    }

    fn block_type(&self, bt: BlockType) -> Result<(Vec<ValType>, Vec<ValType>), LowerError> {
        let conv = |t: wasmparser::ValType| {
            val_type(t).ok_or_else(|| self.error("unsupported value type"))
        };
        Ok(match bt {
            BlockType::Empty => (Vec::new(), Vec::new()),
            BlockType::Type(t) => (Vec::new(), alloc::vec![conv(t)?]),
            BlockType::FuncType(i) => {
                let ty = self
                    .info
                    .types
                    .get(i as usize)
                    .ok_or_else(|| self.error(format!("unknown type {i}")))?;
                (ty.params.to_vec(), ty.results.to_vec())
            }
        })
    }

    fn push_ctrl(&mut self, kind: CtrlKind, params: Vec<ValType>, results: Vec<ValType>) {
        let height = self.stack.len() - params.len().min(self.stack.len());
        let cell = self.stack.get(height).map_or_else(|| self.top_cell(), |e| e.cell);
        self.label_here();
        let in_loop = kind == CtrlKind::Loop || self.in_loop();
        self.ctrl.push(Ctrl {
            kind,
            height,
            cell,
            params,
            results,
            loop_start: self.ops.len(),
            patches: Vec::new(),
            else_patch: None,
            in_loop,
        });
    }

    /// Resets the abstract stack to `height` entries plus canonical entries of `types`.
    fn reset_stack(&mut self, height: usize, types: &[ValType]) -> Result<(), LowerError> {
        self.stack.truncate(height);
        for &t in types {
            self.push(t)?;
        }
        Ok(())
    }

    fn else_(&mut self) -> Result<(), LowerError> {
        if self.reachable {
            self.materialize_all();
            let at = self.emit_jump(0);
            let outside = self.error("else outside if");
            self.ctrl.last_mut().ok_or(outside)?.patches.push(at);
        }
        let here = self.ops.len();
        let outside = self.error("else outside if");
        let c = self.ctrl.last_mut().ok_or(outside)?;
        c.kind = CtrlKind::Else;
        let patch = c.else_patch.take();
        let (height, params) = (c.height, c.params.clone());
        if let Some(at) = patch {
            self.patch(at, here);
        }
        self.reset_stack(height, &params)?;
        self.label_here();
        self.reachable = true;
        Ok(())
    }

    fn end(&mut self) -> Result<(), LowerError> {
        let c = self.ctrl.pop().ok_or_else(|| self.error("end outside a block"))?;
        if c.kind == CtrlKind::Func {
            if self.reachable {
                self.ctrl.push(c);
                self.emit_return()?;
                self.ctrl.pop();
            }
            self.reachable = false;
            return Ok(());
        }
        if self.reachable {
            self.materialize_all();
        }
        let here = self.ops.len();
        if let Some(at) = c.else_patch {
            self.patch(at, here);
        }
        for &at in &c.patches {
            self.patch(at, here);
        }
        self.reset_stack(c.height, &c.results)?;
        self.label_here();
        self.reachable = true;
        Ok(())
    }

    fn patch(&mut self, at: usize, target: usize) {
        let off = offset(at, target);
        if let Some(o) = self.ops[at].branch_offset_mut() {
            *o = off;
        }
    }

    /// Emits a branch by `offset` taken when the condition is `when`: fused with `compare` (the
    /// instruction that computed the condition, already removed) when it can be, else a test
    /// of `cond`. Returns the branch's index.
    fn emit_cond_branch(
        &mut self,
        compare: Option<Op>,
        cond: Slot,
        when: bool,
        offset: i32,
    ) -> usize {
        let plain = if when { Op::BrIfNez { cond, offset } } else { Op::BrIfEqz { cond, offset } };
        // The compare (if any) was removed, so `with_acc` sees the instruction before it: the
        // fused branch may read its left operand from the accumulator.
        match compare {
            Some(cmp) => match fuse::branch_on(cmp, when, offset) {
                Some(fused) => {
                    let fused = self.with_acc(fused);
                    self.emit_branch(fused)
                }
                None => {
                    // An immediate too wide for `BrIfI32*Imm` still fits the accumulator form.
                    let wide = self
                        .acc_slot()
                        .and_then(|acc| fuse::branch_on_imm_acc(cmp, when, offset, acc));
                    if let Some(fused) = wide {
                        return self.emit_branch(fused);
                    }
                    // Not fusable after all: put the compare back in front of a plain test.
                    self.emit(cmp);
                    let plain = self.with_acc(plain);
                    self.emit(plain)
                }
            },
            None => {
                let plain = self.with_acc(plain);
                self.emit_branch(plain)
            }
        }
    }

    /// Emits a conditional branch, merged with an in-place add just before it (after the last
    /// label, so nothing jumps between them) where [`fuse::step_branch`] can.
    /// Returns its index, to patch.
    ///
    /// Also merged: a post-decrement test (`Copy t = v; v += imm; br_if t`, see
    /// [`fuse::post_step_branch`]) and a `Copy` just before a slot test ([`fuse::copy_branch`]).
    fn emit_branch(&mut self, branch: Op) -> usize {
        let n = self.ops.len();
        if n > self.barrier {
            if let Some(fused) = fuse::step_branch(&self.ops[n - 1], &branch) {
                self.ops.pop();
                return self.emit(fused);
            }
            if n > self.barrier + 1
                && let Some(fused) = fuse::post_step_branch(
                    &self.ops[n - 2],
                    &self.ops[n - 1],
                    &branch,
                    self.local_cells,
                )
            {
                self.ops.truncate(n - 2);
                return self.emit(fused);
            }
            if let Some(fused) = fuse::copy_branch(&self.ops[n - 1], &branch) {
                self.ops.pop();
                return self.emit(fused);
            }
        }
        self.emit(branch)
    }

    /// The label `depth` levels out, as an index into `ctrl`.
    fn label(&self, depth: u32) -> Result<usize, LowerError> {
        let n = self.ctrl.len();
        (depth as usize)
            .checked_add(1)
            .and_then(|d| n.checked_sub(d))
            .ok_or_else(|| self.error(format!("unknown label {depth}")))
    }

    /// Whether branching to `label` needs copies of the carried values first.
    fn needs_copies(&self, label: usize) -> bool {
        let c = &self.ctrl[label];
        if c.kind == CtrlKind::Func {
            return true;
        }
        let n = c.label_types().len();
        let top = &self.stack[self.stack.len() - n.min(self.stack.len())..];
        let mut dst = c.cell;
        for e in top {
            if e.src != Src::Canonical || e.cell != dst {
                return true;
            }
            dst += e.ty.cells();
        }
        false
    }

    /// For a loop label that carries exactly one one-cell value that is not in place yet: the
    /// copy a branch to it needs, as `(dst, src)`.
    fn single_copy(&self, label: usize) -> Option<(Slot, Slot)> {
        let c = &self.ctrl[label];
        if c.kind != CtrlKind::Loop || c.label_types().len() != 1 {
            return None;
        }
        let e = *self.stack.last()?;
        let dst = Slot::try_from(c.cell).ok()?;
        (e.ty.cells() == 1 && e.slot() != dst).then_some((dst, e.slot()))
    }

    /// Copies the values a branch to `label` carries into the label's slots (no jump).
    fn branch_copies(&mut self, label: usize) {
        let (n, base) = {
            let c = &self.ctrl[label];
            (c.label_types().len(), c.cell)
        };
        let first = self.stack.len() - n.min(self.stack.len());
        let mut dst = base;
        for i in first..self.stack.len() {
            let e: Entry = self.stack[i];
            self.copy(dst, u32::from(e.slot()), e.ty);
            dst += e.ty.cells();
        }
    }

    /// Emits an unconditional jump to `label` (values already in place): a `Br`, as
    /// `br_table` entries must be.
    fn jump(&mut self, label: usize) {
        let at = self.emit(Op::Br { offset: 0 });
        self.target(at, label);
    }

    /// Points the jump at `at` to `label`: now for a loop, when the label ends for the others.
    fn target(&mut self, at: usize, label: usize) {
        if self.ctrl[label].kind == CtrlKind::Loop {
            let target = self.ctrl[label].loop_start;
            self.patch(at, target);
        } else {
            self.ctrl[label].patches.push(at);
        }
    }

    /// Replaces the last two instructions by one `GlobalAddImm` for `global.set global` of
    /// `src`, if they are (after the last label) `global.get global` into a stack temporary (no
    /// local keeps the old value) and the add of a constant to it writing `src`: `global.get g;
    /// i32.const k; i32.add; global.set g`. Returns whether it did.
    fn fuse_global_add_imm(&mut self, global: u32, src: Slot) -> bool {
        let n = self.ops.len();
        if n < 2 || n - 2 < self.barrier {
            return false;
        }
        let Op::GlobalGet { dst: old, global: g } = self.ops[n - 2] else { return false };
        if g != global || u32::from(old) < self.local_cells {
            return false;
        }
        let (dst, imm) = match self.ops[n - 1] {
            Op::I32AddImmAcc { dst, imm } => (dst, imm),
            Op::I32AddImm { dst, lhs, imm } if lhs == old => (dst, imm),
            _ => return false,
        };
        if dst != src {
            return false;
        }
        self.ops.truncate(n - 2);
        self.emit(Op::GlobalAddImm { dst, global, imm });
        true
    }

    /// Emits an unconditional jump by `offset`, merged with a `Copy` just before it (after the
    /// last label, so nothing jumps between them) into one `CopyBr`. Returns its index.
    fn emit_jump(&mut self, offset: BranchOffset) -> usize {
        if self.ops.len() > self.barrier
            && let Some(&Op::Copy { dst, src }) = self.ops.last()
        {
            self.ops.pop();
            return self.emit(Op::CopyBr { dst, src, offset });
        }
        self.emit(Op::Br { offset })
    }

    /// Copies the carried values to `label` and jumps (or returns, for the function label).
    fn branch_to(&mut self, label: usize) -> Result<(), LowerError> {
        if self.ctrl[label].kind == CtrlKind::Func {
            return self.emit_return();
        }
        self.branch_copies(label);
        let at = self.emit_jump(0);
        self.target(at, label);
        Ok(())
    }

    fn branch(&mut self, depth: u32) -> Result<(), LowerError> {
        let label = self.label(depth)?;
        self.branch_to(label)
    }

    fn branch_if(&mut self, depth: u32, compare: Option<Op>, cond: Slot) -> Result<(), LowerError> {
        let label = self.label(depth)?;
        if !self.needs_copies(label) {
            if self.ctrl[label].kind == CtrlKind::Loop {
                let target = self.ctrl[label].loop_start;
                let at = self.emit_cond_branch(compare, cond, true, 0);
                self.patch(at, target);
            } else {
                let at = self.emit_cond_branch(compare, cond, true, 0);
                self.ctrl[label].patches.push(at);
            }
            return Ok(());
        }
        // A loop carrying one value: copy and jump in one instruction, taken as loops mostly
        // are (a fused inverted compare, a copy and a jump would run three).
        if let Some((dst, src)) = self.single_copy(label) {
            if let Some(cmp) = compare {
                self.emit(cmp);
            }
            let op = self.with_acc(Op::BrIfNezCopy { cond, dst, src, offset: 0 });
            let at = self.emit(op);
            let target = self.ctrl[label].loop_start;
            self.patch(at, target);
            return Ok(());
        }
        let skip = self.emit_cond_branch(compare, cond, false, 0);
        self.branch_to(label)?;
        let here = self.ops.len();
        self.patch(skip, here);
        self.label_here();
        Ok(())
    }

    fn branch_table(&mut self, index: Slot, depths: &[u32]) -> Result<(), LowerError> {
        let len = u32::try_from(depths.len() - 1).map_err(|_| self.error("br_table too large"))?;
        self.emit(Op::BrTable { index, len });
        let table_start = self.ops.len();
        // One entry per target; targets that need copies go through a shared stub.
        let mut stubs: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &d in depths {
            let label = self.label(d)?;
            if self.needs_copies(label) {
                let at = self.emit(Op::Br { offset: 0 });
                stubs.entry(label).or_default().push(at);
            } else {
                self.jump(label);
            }
        }
        debug_assert_eq!(self.ops.len() - table_start, depths.len());
        for (label, entries) in stubs {
            let here = self.ops.len();
            for at in entries {
                self.patch(at, here);
            }
            self.branch_to(label)?;
        }
        Ok(())
    }

    /// Places the function's results in slots `0..n` and returns.
    pub(super) fn emit_return(&mut self) -> Result<(), LowerError> {
        let n = self.results.len();
        if self.stack.len() < n {
            return Err(self.error("operand stack underflow at return"));
        }
        if let [e] = self.stack[self.stack.len() - n..]
            && e.ty.cells() == 1
            && e.slot() != 0
        {
            self.emit(Op::ReturnOne { src: e.slot() });
            return Ok(());
        }
        if n > 1 {
            // Several results: sources that alias locals could be overwritten by earlier copies.
            self.materialize_top(n);
        }
        let first = self.stack.len() - n;
        let mut dst = 0;
        for i in first..self.stack.len() {
            let e = self.stack[i];
            self.copy(dst, u32::from(e.slot()), e.ty);
            dst += e.ty.cells();
        }
        self.emit(Op::Return {});
        Ok(())
    }

    /// Puts the top `n` entries (call arguments) in their slots and pops them; returns the cell
    /// where the callee's frame starts.
    fn call_args(&mut self, n: usize) -> Result<u32, LowerError> {
        if self.stack.len() < n {
            return Err(self.error("operand stack underflow at call"));
        }
        self.materialize_top(n);
        let base = self.stack.get(self.stack.len() - n).map_or_else(|| self.top_cell(), |e| e.cell);
        self.stack.truncate(self.stack.len() - n);
        Ok(base)
    }

    fn push_results(&mut self, results: &[ValType]) -> Result<(), LowerError> {
        for &t in results {
            self.push(t)?;
        }
        // The callee's frame extends past the results; keep room for at least the results.
        Ok(())
    }
}
