//! The work of the instructions that name their memory (`OpCode::names_memory`): accesses to
//! any memory but a 32-bit memory 0 (multi-memory, memory64) and the page arithmetic of
//! memories whose pages are not 64 KiB (custom-page-sizes).
//!
//! These are plain, safe functions on the store: each looks its memory up through the current
//! instance, reads addresses as the memory's index type (the low 32 bits of the cell for a
//! 32-bit memory, all 64 for a 64-bit one) and computes `address + offset + length` with
//! checked adds, so an access near 2^64 traps instead of wrapping. Memory 0's fast handlers
//! and its view (`State::view`) are untouched; the handlers that call these leave the tail
//! chain and re-derive that view afterwards (a growth of memory 0 moves its buffer).

#![forbid(unsafe_code)]

use super::Ctx;
use crate::externals::grow_memory;
use crate::store::MemoryEntity;
use fayasm_core::{Cell, TrapCode};

const OOB: TrapCode = TrapCode::MemoryOutOfBounds;

/// The store address of memory `mem` of the current instance.
fn address_of(cx: &Ctx<'_>, mem: u32) -> Result<usize, TrapCode> {
    let inst = cx.inner.instances.get(cx.st.inst as usize).ok_or(OOB)?;
    inst.memories.get(mem as usize).map(|&a| a as usize).ok_or(OOB)
}

/// Memory `mem` of the current instance.
fn entity<'a>(cx: &'a mut Ctx<'_>, mem: u32) -> Result<&'a mut MemoryEntity, TrapCode> {
    let addr = address_of(cx, mem)?;
    cx.inner.memories.get_mut(addr).ok_or(OOB)
}

/// The address in `cell` as `memory64` says: all 64 bits, or the low 32.
#[inline]
fn index(memory64: bool, cell: Cell) -> u64 {
    if memory64 { cell } else { u64::from(cell as u32) }
}

/// The start of `[addr + offset, addr + offset + n)` if it lies within `len` bytes; computed
/// without wrapping.
#[inline]
fn start(len: usize, addr: u64, offset: u64, n: u64) -> Option<usize> {
    let start = addr.checked_add(offset)?;
    let end = start.checked_add(n)?;
    if end > len as u64 { None } else { usize::try_from(start).ok() }
}

/// The offset of an access whose low half is in the instruction and high half in `param`.
#[inline]
pub(super) fn offset(lo: u32, param: u32) -> u64 {
    u64::from(param) << 32 | u64::from(lo)
}

/// Reads `N` bytes of memory `mem` at `addr + offset`.
pub(super) fn load<const N: usize>(
    cx: &mut Ctx<'_>,
    mem: u16,
    addr: Cell,
    offset: u64,
) -> Result<[u8; N], TrapCode> {
    let m = entity(cx, u32::from(mem))?;
    let at = start(m.bytes.len(), index(m.ty.memory64, addr), offset, N as u64).ok_or(OOB)?;
    let mut out = [0u8; N];
    out.copy_from_slice(m.bytes.get(at..at + N).ok_or(OOB)?);
    Ok(out)
}

/// Writes `bytes` to memory `mem` at `addr + offset`.
pub(super) fn store<const N: usize>(
    cx: &mut Ctx<'_>,
    mem: u16,
    addr: Cell,
    offset: u64,
    bytes: [u8; N],
) -> Result<(), TrapCode> {
    let m = entity(cx, u32::from(mem))?;
    let at = start(m.bytes.len(), index(m.ty.memory64, addr), offset, N as u64).ok_or(OOB)?;
    m.bytes.get_mut(at..at + N).ok_or(OOB)?.copy_from_slice(&bytes);
    Ok(())
}

/// `memory.size` of memory `mem`, in its pages.
pub(super) fn size(cx: &mut Ctx<'_>, mem: u32) -> Result<Cell, TrapCode> {
    Ok(entity(cx, mem)?.pages())
}

/// `memory.grow` of memory `mem` by `delta` (of its index type) pages: the old size, or -1 of
/// the index type.
pub(super) fn grow(cx: &mut Ctx<'_>, mem: u32, delta: Cell) -> Result<Cell, TrapCode> {
    let m = entity(cx, mem)?;
    let failed = if m.ty.memory64 { u64::MAX } else { u64::from(u32::MAX) };
    Ok(grow_memory(m, index(m.ty.memory64, delta)).unwrap_or(failed))
}

/// `memory.fill` of memory `mem`: `len` bytes at `dst` set to the low byte of `value`.
pub(super) fn fill(
    cx: &mut Ctx<'_>,
    mem: u16,
    dst: Cell,
    value: Cell,
    len: Cell,
) -> Result<(), TrapCode> {
    let m = entity(cx, u32::from(mem))?;
    let (d, n) = (index(m.ty.memory64, dst), index(m.ty.memory64, len));
    let at = start(m.bytes.len(), d, 0, n).ok_or(OOB)?;
    let n = usize::try_from(n).map_err(|_| OOB)?;
    m.bytes.get_mut(at..at + n).ok_or(OOB)?.fill(value as u8);
    Ok(())
}

/// `memory.copy` of `len` bytes from `src` in memory `src_mem` to `dst` in memory `dst_mem`
/// (overlapping ranges of one memory copy as if through a buffer). The length is 64-bit only
/// when both memories are.
pub(super) fn copy(
    cx: &mut Ctx<'_>,
    dst_mem: u16,
    src_mem: u16,
    [dst, src, len]: [Cell; 3],
) -> Result<(), TrapCode> {
    let (da, sa) = (address_of(cx, u32::from(dst_mem))?, address_of(cx, u32::from(src_mem))?);
    let memories = &mut cx.inner.memories;
    let (dt, st) = (memories.get(da).ok_or(OOB)?.ty, memories.get(sa).ok_or(OOB)?.ty);
    let (d, s) = (index(dt.memory64, dst), index(st.memory64, src));
    let n = index(dt.memory64 && st.memory64, len);
    let d = start(memories[da].bytes.len(), d, 0, n).ok_or(OOB)?;
    let s = start(memories[sa].bytes.len(), s, 0, n).ok_or(OOB)?;
    let n = usize::try_from(n).map_err(|_| OOB)?;
    if da == sa {
        memories[da].bytes.copy_within(s..s + n, d);
        return Ok(());
    }
    // Two distinct memories: borrow both at once.
    let (lo, hi) = memories.split_at_mut(da.max(sa));
    let (dm, sm) = if da < sa { (&mut lo[da], &hi[0]) } else { (&mut hi[0], &lo[sa]) };
    dm.bytes[d..d + n].copy_from_slice(&sm.bytes[s..s + n]);
    Ok(())
}

/// `memory.init` of data segment `segment` into memory `mem`: `len` bytes from `src` in the
/// segment (empty once dropped) to `dst`.
pub(super) fn init(
    cx: &mut Ctx<'_>,
    mem: u32,
    segment: u32,
    [dst, src, len]: [Cell; 3],
) -> Result<(), TrapCode> {
    let addr = address_of(cx, mem)?;
    let instance = cx.inner.instances.get(cx.st.inst as usize).ok_or(OOB)?;
    let module = instance.module.clone();
    let live = instance.datas_live.get(segment as usize).copied().unwrap_or(false);
    let data = match module.info().datas.get(segment as usize) {
        Some(seg) if live => module.bytes().get(seg.data.clone()).ok_or(OOB)?,
        _ => &[][..],
    };
    let m = cx.inner.memories.get_mut(addr).ok_or(OOB)?;
    let (s, n) = (u64::from(src as u32), u64::from(len as u32));
    let d = start(m.bytes.len(), index(m.ty.memory64, dst), 0, n).ok_or(OOB)?;
    let s = start(data.len(), s, 0, n).ok_or(OOB)?;
    let n = n as usize;
    m.bytes[d..d + n].copy_from_slice(&data[s..s + n]);
    Ok(())
}
