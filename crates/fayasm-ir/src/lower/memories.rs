//! Lowering of memory instructions on memories other than a plain memory 0 (multi-memory,
//! memory64, custom-page-sizes).
//!
//! A module whose memory 0 is a 32-bit memory lowers its memory-0 accesses exactly as before,
//! to the fast instructions that use the interpreter's memory-0 view; everything else (another
//! memory, a 64-bit memory, and `memory.size`/`memory.grow` of a memory whose pages are not
//! 64 KiB) becomes one of the instructions that name their memory
//! ([`crate::isa::OpCode::names_memory`]), whose handlers look the memory up. An access is
//! followed by a `Param` with the high 32 bits of its offset (memory64 offsets are 64-bit).

use super::{LowerError, Lowerer};
use crate::isa::{Op, Slot};
use fayasm_core::ValType;
use fayasm_decode::MemoryType;

impl Lowerer<'_> {
    /// The type of memory `mem`.
    pub(super) fn memory_type(&self, mem: u32) -> Result<MemoryType, LowerError> {
        self.info
            .memories
            .get(mem as usize)
            .copied()
            .ok_or_else(|| self.error(alloc::format!("unknown memory {mem}")))
    }

    /// Whether accesses to memory `mem` (loads, stores, bulk operations) take memory 0's fast
    /// path: memory 0 with 32-bit addresses, whatever its page size.
    pub(super) fn fast_access(&self, mem: u32) -> bool {
        mem == 0 && self.info.memories.first().is_some_and(|m| !m.memory64)
    }

    /// Whether `memory.size` and `memory.grow` of memory `mem` take memory 0's fast path: a
    /// plain memory 0 (32-bit, 64 KiB pages).
    pub(super) fn fast_pages(&self, mem: u32) -> bool {
        mem == 0 && self.info.memories.first().is_some_and(MemoryType::is_plain)
    }

    /// Memory index `mem` as an operand (validated modules cannot name more memories than the
    /// module has, but an instruction holds 16 bits).
    pub(super) fn memory16(&self, mem: u32) -> Result<u16, LowerError> {
        u16::try_from(mem).map_err(|_| self.error("memory index exceeds 16 bits"))
    }

    /// The value type of memory `mem`'s addresses and sizes.
    pub(super) fn index_type(&self, mem: u32) -> Result<ValType, LowerError> {
        Ok(self.memory_type(mem)?.index_type())
    }

    /// A load from a memory that is not a 32-bit memory 0: `make` builds the fast form, which
    /// becomes the named form, then its offset's high half.
    pub(super) fn load_named(
        &mut self,
        result: ValType,
        memarg: &wasmparser::MemArg,
        make: impl FnOnce(Slot, Slot, u32) -> Op,
    ) -> Result<(), LowerError> {
        let mem = self.memory16(memarg.memory)?;
        let a = self.pop()?;
        let r = self.push(result)?;
        let fast = make(r.cell as Slot, a.slot(), memarg.offset as u32);
        let op = named(fast, mem).ok_or_else(|| self.error("no named form of this load"))?;
        self.emit(op);
        self.emit(Op::Param { value: (memarg.offset >> 32) as u32 });
        Ok(())
    }

    /// A store to a memory that is not a 32-bit memory 0 (see [`Lowerer::load_named`]).
    pub(super) fn store_named(
        &mut self,
        memarg: &wasmparser::MemArg,
        make: impl FnOnce(Slot, Slot, u32) -> Op,
    ) -> Result<(), LowerError> {
        let mem = self.memory16(memarg.memory)?;
        let v = self.pop()?;
        let a = self.pop()?;
        let fast = make(a.slot(), v.slot(), memarg.offset as u32);
        let op = named(fast, mem).ok_or_else(|| self.error("no named form of this store"))?;
        self.emit(op);
        self.emit(Op::Param { value: (memarg.offset >> 32) as u32 });
        Ok(())
    }

    /// `memory.size` of memory `mem` that is not a plain memory 0.
    pub(super) fn memory_size_named(&mut self, mem: u32) -> Result<(), LowerError> {
        let ty = self.index_type(mem)?;
        let r = self.push(ty)?;
        self.emit(Op::MemorySizeM { dst: r.cell as Slot, memory: mem });
        Ok(())
    }

    /// `memory.grow` of memory `mem` that is not a plain memory 0.
    pub(super) fn memory_grow_named(&mut self, mem: u32) -> Result<(), LowerError> {
        let ty = self.index_type(mem)?;
        self.unary(ty, |dst, delta| Op::MemoryGrowM { dst, delta, memory: mem })
    }
}

/// The named-memory form of fast memory-0 access `op`, on memory `mem`.
fn named(op: Op, mem: u16) -> Option<Op> {
    macro_rules! loads {
        ($($fast:ident => $named:ident),* ; $($sfast:ident => $snamed:ident),*) => {
            match op {
                $(Op::$fast { dst, addr, offset } => Some(Op::$named { dst, addr, memory: mem, offset }),)*
                $(Op::$sfast { addr, value, offset } => Some(Op::$snamed { addr, value, memory: mem, offset }),)*
                _ => None,
            }
        };
    }
    loads!(
        I32Load => I32LoadM, I64Load => I64LoadM, F32Load => F32LoadM, F64Load => F64LoadM,
        I32Load8S => I32Load8SM, I32Load8U => I32Load8UM, I32Load16S => I32Load16SM,
        I32Load16U => I32Load16UM, I64Load8S => I64Load8SM, I64Load8U => I64Load8UM,
        I64Load16S => I64Load16SM, I64Load16U => I64Load16UM, I64Load32S => I64Load32SM,
        I64Load32U => I64Load32UM;
        I32Store => I32StoreM, I64Store => I64StoreM, F32Store => F32StoreM,
        F64Store => F64StoreM, I32Store8 => I32Store8M, I32Store16 => I32Store16M,
        I64Store8 => I64Store8M, I64Store16 => I64Store16M, I64Store32 => I64Store32M
    )
}
