//! Instantiation: creating an instance's entities, applying segments, running `start`.

use crate::error::{Error, Trap};
use crate::externals::{Extern, Global, Memory, Table};
use crate::store::{FuncEntity, GlobalEntity, InstanceEntity, MemoryEntity, TableEntity};
use crate::{Func, Instance, Module, Store};
use alloc::format;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use fayasm_core::{Cell, FuncAddr, TrapCode, ValType};
use fayasm_decode::{ConstExpr, ConstOp, DataMode, ElementMode, ExternKind};

/// Instantiates `module` with `imports` (already checked against the import types); runs the
/// start function if `run_start`.
pub(crate) fn instantiate<T>(
    store: &mut Store<T>,
    module: &Module,
    imports: &[Extern],
    run_start: bool,
) -> Result<Instance, Error> {
    // Segments are written into imported memories and tables: they must be resident.
    store.inner.ensure_loaded()?;
    let info = module.info();
    let s = &mut store.inner;
    let inst_index = s.instances.len() as u32;
    let types: Vec<u32> = info.types.iter().map(|t| s.intern_type(t)).collect();

    let mut funcs = Vec::with_capacity(info.funcs.len());
    let mut tables = Vec::with_capacity(info.tables.len());
    let mut memories = Vec::with_capacity(info.memories.len());
    let mut globals = Vec::with_capacity(info.globals.len());
    let defined = |all: usize, imported: u32| all.saturating_sub(imported as usize);
    s.funcs.reserve(defined(info.funcs.len(), info.num_imported_funcs));
    s.globals.reserve(defined(info.globals.len(), info.num_imported_globals));
    s.tables.reserve(defined(info.tables.len(), info.num_imported_tables));
    s.memories.reserve(defined(info.memories.len(), info.num_imported_memories));
    for ext in imports {
        match *ext {
            Extern::Func(f) => funcs.push(f.0.0),
            Extern::Table(t) => tables.push(t.0),
            Extern::Memory(m) => memories.push(m.0),
            Extern::Global(g) => globals.push(g.0),
        }
    }
    for (def, &ty) in info.funcs[info.num_imported_funcs as usize..].iter().enumerate() {
        s.funcs.push(FuncEntity::Wasm {
            instance: inst_index,
            def: def as u32,
            ty: types[ty as usize],
        });
        funcs.push(s.funcs.len() as u32 - 1);
    }
    // Globals first: table initialisers may read them.
    for (i, g) in info.globals[info.num_imported_globals as usize..].iter().enumerate() {
        let init = &info.global_inits[i];
        if g.content == ValType::V128 {
            let v = eval_const_v128(s, &globals, init)?;
            s.globals.push(GlobalEntity { ty: *g, value: v as u64 });
            let addr = s.globals.len() as u32 - 1;
            s.set_global_hi(addr, (v >> 64) as u64);
            globals.push(addr);
            continue;
        }
        let value = eval_const(s, &funcs, &globals, init)?;
        s.globals.push(GlobalEntity { ty: *g, value });
        globals.push(s.globals.len() as u32 - 1);
    }
    for (i, t) in info.tables[info.num_imported_tables as usize..].iter().enumerate() {
        let init = match info.table_inits.get(i) {
            Some(Some(expr)) => eval_const(s, &funcs, &globals, expr)?,
            _ => 0,
        };
        if t.min > crate::externals::MAX_TABLE_ELEMS {
            return Err(Error::limit(format!("table of {} elements is too large", t.min)));
        }
        s.tables.push(TableEntity { ty: *t, elems: vec![init; t.min as usize], spilled: None });
        tables.push(s.tables.len() as u32 - 1);
    }
    for m in &info.memories[info.num_imported_memories as usize..] {
        if m.min > m.max_pages() {
            return Err(Error::limit(format!("memory of {} pages is too large", m.min)));
        }
        let bytes = crate::externals::zeroed_pages(m, m.min)?;
        s.memories.push(MemoryEntity { ty: *m, bytes, spilled: None });
        memories.push(s.memories.len() as u32 - 1);
    }

    let exports = info
        .exports
        .iter()
        .map(|e| {
            let i = e.index as usize;
            match e.kind {
                ExternKind::Func => Extern::Func(Func(FuncAddr(funcs[i]))),
                ExternKind::Table => Extern::Table(Table(tables[i])),
                ExternKind::Memory => Extern::Memory(Memory(memories[i])),
                ExternKind::Global => Extern::Global(Global(globals[i])),
            }
        })
        .collect();

    // Evaluate every element segment's items now; active and declared ones are dropped below.
    let mut elems = Vec::with_capacity(info.elements.len());
    for seg in &info.elements {
        let items: Vec<Cell> = seg
            .items
            .iter()
            .map(|e| eval_const(s, &funcs, &globals, e))
            .collect::<Result<_, _>>()?;
        elems.push(Some(Arc::<[Cell]>::from(items)));
    }

    let cache = crate::code_cache::cache_for(s, module)?;
    s.instances.push(InstanceEntity {
        module: module.clone(),
        types,
        funcs,
        tables,
        memories,
        globals,
        elems,
        datas_live: vec![true; info.datas.len()],
        cache,
        exports,
        globals_spilled: false,
        started: false,
    });
    let inst = &mut s.instances[inst_index as usize];

    // Segments, in order; a trap leaves the writes before it in place, as the spec says.
    for (i, seg) in info.elements.iter().enumerate() {
        match &seg.mode {
            ElementMode::Passive => {}
            ElementMode::Declared => inst.elems[i] = None,
            ElementMode::Active { table, offset } => {
                let items = inst.elems[i].take().unwrap_or_else(|| Arc::from([]));
                let offset = eval_const_in(&s.globals, &inst.funcs, &inst.globals, offset)?;
                let t = &mut s.tables[inst.tables[*table as usize] as usize];
                // A 64-bit table's offset is an i64 (the whole cell), a 32-bit one's an i32.
                let offset = if t.ty.table64 { offset } else { u64::from(offset as u32) };
                let end = offset.checked_add(items.len() as u64);
                let Some(end) = end.filter(|&end| end <= t.elems.len() as u64) else {
                    return Err(Trap::new(TrapCode::TableOutOfBounds).into());
                };
                t.elems[offset as usize..end as usize].copy_from_slice(&items);
            }
        }
    }
    for (i, seg) in info.datas.iter().enumerate() {
        if let DataMode::Active { memory, offset } = &seg.mode {
            let offset = eval_const_in(&s.globals, &inst.funcs, &inst.globals, offset)?;
            let data = &module.bytes()[seg.data.clone()];
            let m = &mut s.memories[inst.memories[*memory as usize] as usize];
            // A 64-bit memory's offset is an i64 (the whole cell), a 32-bit one's an i32.
            let offset = if m.ty.memory64 { offset } else { u64::from(offset as u32) };
            let end = offset.checked_add(data.len() as u64);
            let Some(end) = end.filter(|&end| end <= m.bytes.len() as u64) else {
                return Err(Trap::new(TrapCode::MemoryOutOfBounds).into());
            };
            m.bytes[offset as usize..end as usize].copy_from_slice(data);
            inst.datas_live[i] = false;
        }
    }

    if run_start {
        run_start_fn(store, Instance(inst_index))?;
    }
    Ok(Instance(inst_index))
}

/// Runs the start function of `instance` (if it has one) and records that it ran.
pub(crate) fn run_start_fn<T>(store: &mut Store<T>, instance: Instance) -> Result<(), Error> {
    let inst = &store.inner.instances[instance.0 as usize];
    if let Some(start) = inst.module.info().start {
        let addr = inst.funcs[start as usize];
        crate::func::enter(store, addr, &[], &mut [])?;
    }
    store.inner.instances[instance.0 as usize].started = true;
    Ok(())
}

fn eval_const(
    s: &crate::store::StoreInner,
    funcs: &[u32],
    globals: &[u32],
    expr: &ConstExpr,
) -> Result<Cell, Error> {
    eval_const_in(&s.globals, funcs, globals, expr)
}

/// Evaluates the constant expression of a `v128` global: a `v128.const` or a `global.get` of
/// another `v128` global (no operator produces a v128 in a constant expression).
fn eval_const_v128(
    s: &crate::store::StoreInner,
    globals: &[u32],
    expr: &ConstExpr,
) -> Result<u128, Error> {
    let bad = || Error::link("malformed v128 constant expression");
    match &*expr.0 {
        [ConstOp::V128Const(v)] => Ok(*v),
        [ConstOp::GlobalGet(g)] => {
            let addr = *globals.get(*g as usize).ok_or_else(bad)?;
            match s.globals.get(addr as usize).map(|_| s.global_value(addr)) {
                Some(fayasm_core::Value::V128(v)) => Ok(v),
                _ => Err(bad()),
            }
        }
        _ => Err(bad()),
    }
}

/// Evaluates a constant expression to a cell.
fn eval_const_in(
    all_globals: &[GlobalEntity],
    funcs: &[u32],
    globals: &[u32],
    expr: &ConstExpr,
) -> Result<Cell, Error> {
    let bad = || Error::link("malformed constant expression");
    let operand = |op: &ConstOp| -> Result<Cell, Error> {
        Ok(match *op {
            ConstOp::I32Const(v) => u64::from(v as u32),
            ConstOp::I64Const(v) => v as u64,
            ConstOp::F32Const(v) => u64::from(v.to_bits()),
            ConstOp::F64Const(v) => v.to_bits(),
            ConstOp::V128Const(_) => {
                return Err(Error::link("v128 constants are not supported yet"));
            }
            ConstOp::RefNull(_) => 0,
            ConstOp::RefFunc(f) => u64::from(*funcs.get(f as usize).ok_or_else(bad)?) + 1,
            ConstOp::GlobalGet(g) => {
                let addr = *globals.get(g as usize).ok_or_else(bad)?;
                all_globals.get(addr as usize).ok_or_else(bad)?.value
            }
            // Operators: only with operands, below.
            _ => return Err(bad()),
        })
    };
    // Almost every expression is one constant or `global.get`: no stack needed.
    if let [op] = &*expr.0 {
        return operand(op);
    }
    let mut stack: Vec<Cell> = Vec::with_capacity(2);
    for op in expr.0.iter() {
        let v = match *op {
            ConstOp::I32Add
            | ConstOp::I32Sub
            | ConstOp::I32Mul
            | ConstOp::I64Add
            | ConstOp::I64Sub
            | ConstOp::I64Mul => {
                let b = stack.pop().ok_or_else(bad)?;
                let a = stack.pop().ok_or_else(bad)?;
                match *op {
                    ConstOp::I32Add => u64::from((a as u32).wrapping_add(b as u32)),
                    ConstOp::I32Sub => u64::from((a as u32).wrapping_sub(b as u32)),
                    ConstOp::I32Mul => u64::from((a as u32).wrapping_mul(b as u32)),
                    ConstOp::I64Add => a.wrapping_add(b),
                    ConstOp::I64Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                }
            }
            _ => operand(op)?,
        };
        stack.push(v);
    }
    match stack.as_slice() {
        [v] => Ok(*v),
        _ => Err(bad()),
    }
}
