//! Spilling memories, tables and globals to a spill store and loading them back, through real
//! wasm and the host API, with `MemStore` and a `DirStore` on real files.

use fayasm_exec::{
    BlobKind, Engine, ErrorKind, Linker, MemStore, Module, SpillError, SpillKey, SpillStore, Store,
    Value,
};
use fayasm_offload::DirStore;

/// A memory of 1 page (max 64), a table of 4 funcrefs, and two mutable globals, with exports to
/// read and write all of them from wasm.
const WAT: &str = r#"(module
  (memory (export "mem") 1 64)
  (table (export "tab") 4 funcref)
  (global $g (export "g") (mut i32) (i32.const 7))
  (global $h (export "h") (mut i64) (i64.const -1))
  (func $one (result i32) i32.const 1)
  (func $two (result i32) i32.const 2)
  (elem (i32.const 0) $one $two)
  (type $r (func (result i32)))
  (func (export "load") (param i32) (result i32) local.get 0 i32.load)
  (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "size") (result i32) memory.size)
  (func (export "call") (param i32) (result i32) local.get 0 call_indirect (type $r))
  (func (export "swap") i32.const 2 i32.const 0 table.get 0 table.set 0
                         i32.const 0 i32.const 1 table.get 0 table.set 0
                         i32.const 1 i32.const 2 table.get 0 table.set 0)
  (func (export "bump") (result i32)
    global.get $g i32.const 1 i32.add global.set $g
    global.get $h i64.const 3 i64.add global.set $h
    global.get $g)
)"#;

fn setup(spill: Box<dyn SpillStore + Send>) -> (Store<()>, fayasm_exec::Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(WAT).expect("WAT")).expect("module");
    let mut store = Store::new(&engine, ());
    assert!(store.attach_spill_store(spill).is_none());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
    (store, inst)
}

fn call(
    store: &mut Store<()>,
    inst: fayasm_exec::Instance,
    name: &str,
    args: &[Value],
) -> Vec<Value> {
    inst.get_func(&*store, name).expect("export").call(store, args).expect("call")
}

fn i32v(v: &[Value]) -> i32 {
    match v {
        [Value::I32(x)] => *x,
        other => panic!("expected one i32, got {other:?}"),
    }
}

/// A cheap position-dependent pattern for memory contents.
fn pattern(cycle: u32, addr: u32) -> i32 {
    (addr.wrapping_mul(2_654_435_761) ^ cycle.wrapping_mul(40_503)) as i32
}

fn memory_cycles(spill: Box<dyn SpillStore + Send>, cycles: u32) {
    let (mut store, inst) = setup(spill);
    let mem = inst.get_memory(&store, "mem").expect("memory");
    for cycle in 0..cycles {
        // Grow every tenth cycle, so later cycles spill and load larger memories.
        if cycle % 10 == 5 {
            let old = i32v(&call(&mut store, inst, "grow", &[Value::I32(1)]));
            assert_eq!(old as u64, mem.size(&store) - 1);
        }
        let pages = mem.size(&store);
        let len = (pages * 65536) as u32;
        // Write through wasm at a few places, and through the host everywhere else.
        for addr in [0, 4, len / 2, len - 4] {
            call(
                &mut store,
                inst,
                "store",
                &[Value::I32(addr as i32), Value::I32(pattern(cycle, addr))],
            );
        }
        let data = mem.data_mut(&mut store);
        for addr in (8..len / 2).step_by(4096) {
            data[addr as usize..addr as usize + 4]
                .copy_from_slice(&pattern(cycle, addr).to_le_bytes());
        }

        mem.spill(&mut store).expect("spill");
        assert!(mem.is_spilled(&store));
        assert_eq!(store.spilled_count(), 1);
        assert_eq!(mem.size(&store), pages, "the size is kept while spilled");
        assert!(mem.data(&store).is_empty(), "the RAM is freed");

        // Alternate: the next access is from wasm, from the host, or explicit.
        match cycle % 3 {
            0 => {}
            1 => mem.ensure_loaded(&mut store).expect("load"),
            _ => store.ensure_loaded().expect("load"),
        }
        for addr in [0, 4, len / 2, len - 4] {
            let got = i32v(&call(&mut store, inst, "load", &[Value::I32(addr as i32)]));
            assert_eq!(got, pattern(cycle, addr), "cycle {cycle} addr {addr}");
        }
        assert!(!mem.is_spilled(&store));
        assert_eq!(i32v(&call(&mut store, inst, "size", &[])) as u64, pages);
        let data = mem.data(&store);
        for addr in (8..len / 2).step_by(4096) {
            let got =
                i32::from_le_bytes(data[addr as usize..addr as usize + 4].try_into().unwrap());
            assert_eq!(got, pattern(cycle, addr), "cycle {cycle} host addr {addr}");
        }
    }
    assert_eq!(mem.size(&store), 1 + (cycles as u64 + 4) / 10);
}

#[test]
fn memory_spill_and_load_cycles_with_memstore() {
    memory_cycles(Box::new(MemStore::new()), 120);
}

/// A unique directory under the system temp dir, removed on drop.
pub struct TempDir(pub std::path::PathBuf);
impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("fayasm-exec-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        TempDir(p)
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn memory_spill_and_load_cycles_with_dirstore() {
    let dir = TempDir::new("memcycles");
    memory_cycles(Box::new(DirStore::open(&dir.0, 2).expect("open")), 100);
}

#[test]
fn memory_grow_from_the_host_loads_first_and_keeps_the_size() {
    let (mut store, inst) = setup(Box::new(MemStore::new()));
    let mem = inst.get_memory(&store, "mem").expect("memory");
    mem.data_mut(&mut store)[100] = 42;
    mem.grow(&mut store, 2).expect("grow");
    mem.spill(&mut store).expect("spill");
    assert_eq!(mem.ty(&store).min, 3);
    assert_eq!(mem.grow(&mut store, 1).expect("grow loads first"), 3);
    assert!(!mem.is_spilled(&store));
    assert_eq!(mem.data(&store).len(), 4 * 65536);
    assert_eq!(mem.data(&store)[100], 42);
}

#[test]
fn table_spill_and_load_cycles() {
    let (mut store, inst) = setup(Box::new(MemStore::new()));
    let tab = inst.get_table(&store, "tab").expect("table");
    for cycle in 0..110 {
        // `swap` exchanges elements 0 and 1 (through element 2), so the order alternates.
        call(&mut store, inst, "swap", &[]);
        tab.spill(&mut store).expect("spill");
        assert!(tab.is_spilled(&store));
        assert_eq!(tab.size(&store), 4);
        assert_eq!(tab.get(&store, 0), None, "a spilled table reads as empty");
        if cycle % 2 == 0 {
            tab.ensure_loaded(&mut store).expect("load");
        }
        let (a, b) = if cycle % 2 == 0 { (2, 1) } else { (1, 2) };
        assert_eq!(i32v(&call(&mut store, inst, "call", &[Value::I32(0)])), a, "cycle {cycle}");
        assert_eq!(i32v(&call(&mut store, inst, "call", &[Value::I32(1)])), b);
        assert!(matches!(tab.get(&store, 3), Some(Value::FuncRef(None))));
    }
    // Growing from the host loads first and keeps the elements.
    tab.spill(&mut store).expect("spill");
    assert_eq!(tab.grow(&mut store, 2, Value::FuncRef(None)).expect("grow"), 4);
    assert_eq!(tab.size(&store), 6);
    assert_eq!(i32v(&call(&mut store, inst, "call", &[Value::I32(1)])), 2);
}

#[test]
fn globals_spill_and_load_cycles() {
    let (mut store, inst) = setup(Box::new(MemStore::new()));
    let g = inst.get_global(&store, "g").expect("g");
    let h = inst.get_global(&store, "h").expect("h");
    for cycle in 0..105i64 {
        assert_eq!(i32v(&call(&mut store, inst, "bump", &[])) as i64, 8 + cycle);
        inst.spill_globals(&mut store).expect("spill");
        assert!(inst.globals_spilled(&store));
        if cycle % 2 == 1 {
            inst.ensure_globals_loaded(&mut store).expect("load");
            assert!(!inst.globals_spilled(&store));
        }
        assert_eq!(g.get(&store), Value::I32((8 + cycle) as i32));
        assert_eq!(h.get(&store), Value::I64(-1 + 3 * (cycle + 1)));
    }
    // Setting a spilled global from the host loads first, so the blob cannot undo the set.
    inst.spill_globals(&mut store).expect("spill");
    g.set(&mut store, Value::I32(1000)).expect("set");
    assert!(!inst.globals_spilled(&store));
    assert_eq!(i32v(&call(&mut store, inst, "bump", &[])), 1001);
}

#[test]
fn a_corrupt_blob_is_a_clear_error_and_nothing_is_lost() {
    let (mut store, inst) = setup(Box::new(MemStore::new()));
    let mem = inst.get_memory(&store, "mem").expect("memory");
    call(&mut store, inst, "store", &[Value::I32(64), Value::I32(99)]);
    mem.spill(&mut store).expect("spill");
    let key = SpillKey::new(BlobKind::Memory, 0, 0);
    let spill = store.spill_store_mut().expect("attached");
    let mut blob = Vec::new();
    assert!(spill.get(key, &mut blob).expect("get"));
    let good = blob.clone();
    blob[40] ^= 1;
    spill.put(key, &blob).expect("put");

    let f = inst.get_func(&store, "load").expect("load");
    let err = f.call(&mut store, &[Value::I32(64)]).expect_err("the CRC check fails");
    match err.kind() {
        ErrorKind::Spill(SpillError::Envelope { what, error }) => {
            assert_eq!(what, "memory 0");
            assert_eq!(error.check(), "crc");
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert!(err.to_string().contains("rejected by the crc check"), "{err}");
    assert!(mem.is_spilled(&store), "still spilled, the blob still there");
    assert!(mem.data_mut(&mut store).is_empty(), "a failed load gives no data");

    // A blob with a valid envelope but the wrong size is refused too, and kept.
    let wrong = fayasm_offload::envelope::encode(BlobKind::Memory, 0, 0, &[1, 2, 3]);
    store.spill_store_mut().expect("attached").put(key, &wrong).expect("put");
    let err = mem.ensure_loaded(&mut store).expect_err("wrong size");
    assert!(
        matches!(err.as_spill(), Some(SpillError::Malformed(m)) if m.contains("1 pages")),
        "{err}"
    );
    let mut kept = Vec::new();
    assert!(store.spill_store_mut().expect("attached").get(key, &mut kept).expect("get"));
    assert_eq!(kept, wrong, "a refused blob is put back");

    // Put the good blob back: the memory loads with its contents.
    store.spill_store_mut().expect("attached").put(key, &good).expect("put");
    assert_eq!(i32v(&call(&mut store, inst, "load", &[Value::I32(64)])), 99);

    // A missing blob is an error too.
    mem.spill(&mut store).expect("spill");
    store.spill_store_mut().expect("attached").remove(key).expect("remove");
    let err = mem.ensure_loaded(&mut store).expect_err("missing");
    assert_eq!(err.as_spill(), Some(&SpillError::Missing { key }));
}

#[test]
fn spilling_needs_a_store_and_no_running_call() {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(WAT).expect("WAT")).expect("module");
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
    let mem = inst.get_memory(&store, "mem").expect("memory");
    assert_eq!(mem.spill(&mut store).expect_err("no store").as_spill(), Some(&SpillError::NoStore));

    // A host function that tries to spill the caller's memory while the call runs.
    let wat = r#"(module
      (import "host" "spill" (func $spill (result i32)))
      (memory (export "mem") 1)
      (func (export "run") (result i32) i32.const 8 i32.const 5 i32.store call $spill))"#;
    let module = Module::new(&engine, &wat::parse_str(wat).expect("WAT")).expect("module");
    let mut store = Store::new(&engine, ());
    store.attach_spill_store(Box::new(MemStore::new()));
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "spill", |mut caller: fayasm_exec::Caller<'_, ()>| {
            let mem = caller.get_export("mem").and_then(|e| e.into_memory()).expect("memory");
            let busy =
                mem.spill(&mut caller).expect_err("busy").as_spill() == Some(&SpillError::Busy);
            Ok(i32::from(busy))
        })
        .unwrap();
    let inst = linker.instantiate(&mut store, &module).expect("instantiate");
    let run = inst.get_typed_func::<(), i32>(&store, "run").expect("run");
    assert_eq!(run.call(&mut store, ()).expect("call"), 1);
    // Between calls it works.
    inst.get_memory(&store, "mem").expect("memory").spill(&mut store).expect("spill");
    assert_eq!(store.spilled_count(), 1);
    assert_eq!(run.call(&mut store, ()).expect("call loads first"), 1);
    assert_eq!(store.spilled_count(), 0);
}

#[test]
fn a_spilled_imported_memory_is_loaded_before_instantiation_writes_to_it() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    store.attach_spill_store(Box::new(MemStore::new()));
    let mem = fayasm_exec::Memory::new(&mut store, fayasm_exec::MemoryType::new(1, None))
        .expect("memory");
    mem.data_mut(&mut store)[0] = 11;
    mem.spill(&mut store).expect("spill");
    let wat = r#"(module (import "env" "mem" (memory 1)) (data (i32.const 1) "\16")
      (func (export "sum") (result i32) i32.const 0 i32.load8_u i32.const 1 i32.load8_u i32.add))"#;
    let module = Module::new(&engine, &wat::parse_str(wat).expect("WAT")).expect("module");
    let mut linker = Linker::new(&engine);
    linker.define("env", "mem", mem).unwrap();
    let inst = linker.instantiate(&mut store, &module).expect("instantiate");
    let sum = inst.get_typed_func::<(), i32>(&store, "sum").expect("sum");
    assert_eq!(sum.call(&mut store, ()).expect("call"), 11 + 22);
}

#[test]
fn detaching_loads_everything_first() {
    let (mut store, inst) = setup(Box::new(MemStore::new()));
    let mem = inst.get_memory(&store, "mem").expect("memory");
    mem.data_mut(&mut store)[5] = 5;
    mem.spill(&mut store).expect("spill");
    inst.get_table(&store, "tab").expect("table").spill(&mut store).expect("spill");
    inst.spill_globals(&mut store).expect("spill");
    assert_eq!(store.spilled_count(), 3);
    let spill = store.detach_spill_store().expect("detach").expect("was attached");
    let mut keys = Vec::new();
    let mut spill = spill;
    spill.list(&mut |k| keys.push(k)).expect("list");
    assert!(keys.is_empty(), "loading removed the blobs: {keys:?}");
    assert_eq!(store.spilled_count(), 0);
    assert_eq!(mem.data(&store)[5], 5);
}

#[test]
fn spilling_a_whole_instance_and_running_it_again() {
    let dir = TempDir::new("instance");
    let (mut store, inst) = setup(Box::new(DirStore::open(&dir.0, 2).expect("open")));
    call(&mut store, inst, "store", &[Value::I32(12), Value::I32(-3)]);
    for round in 0..20 {
        inst.spill(&mut store).expect("spill");
        assert_eq!(store.spilled_count(), 3, "memory, table and globals");
        assert!(inst.get_memory(&store, "mem").expect("memory").data(&store).is_empty());
        assert_eq!(i32v(&call(&mut store, inst, "bump", &[])), 8 + round);
        assert_eq!(store.spilled_count(), 0);
        assert_eq!(i32v(&call(&mut store, inst, "load", &[Value::I32(12)])), -3);
        assert_eq!(i32v(&call(&mut store, inst, "call", &[Value::I32(1)])), 2);
    }
}

/// Typed calls (`TypedFunc::call`, which skips `Func::call`) load spilled state first too, and
/// so does `Memory::write`; `Memory::read`, which cannot load through a shared borrow, says the
/// memory is spilled instead of reading it as empty.
#[test]
fn typed_calls_and_host_writes_load_spilled_state_first() {
    let (mut store, inst) = setup(Box::new(MemStore::new()));
    let mem = inst.get_memory(&store, "mem").expect("memory");
    let tab = inst.get_table(&store, "tab").expect("table");
    let store_fn = inst.get_func(&store, "store").unwrap().typed::<(i32, i32), ()>(&store).unwrap();
    let load_fn = inst.get_func(&store, "load").unwrap().typed::<i32, i32>(&store).unwrap();
    let call_fn = inst.get_func(&store, "call").unwrap().typed::<i32, i32>(&store).unwrap();
    store_fn.call(&mut store, (64, 0x1234_5678)).unwrap();
    for round in 0..20 {
        mem.spill(&mut store).expect("spill memory");
        tab.spill(&mut store).expect("spill table");
        assert_eq!(load_fn.call(&mut store, 64).unwrap(), 0x1234_5678 + round, "round {round}");
        assert_eq!(call_fn.call(&mut store, 1).unwrap(), 2, "call_indirect after a table spill");
        mem.spill(&mut store).expect("spill memory");
        let mut buf = [0u8; 4];
        let err = mem.read(&store, 64, &mut buf).expect_err("read of a spilled memory");
        assert!(err.to_string().contains("spilled"), "{err}");
        mem.write(&mut store, 64, &(0x1234_5678 + round + 1).to_le_bytes()).expect("write");
        mem.read(&store, 64, &mut buf).expect("read after the write loaded it");
        assert_eq!(i32::from_le_bytes(buf), 0x1234_5678 + round + 1);
    }
}
