//! Instance snapshots: taken mid-way through a fixture's calls and restored into a fresh store,
//! the remaining calls give the results of an uninterrupted run; bad snapshots are rejected.

use fayasm_exec::{Engine, ErrorKind, Instance, Linker, Module, SpillError, Store, Value};

fn fixture(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../wasm_samples/build/");
    std::fs::read(format!("{path}{name}.wasm")).expect("fixture is committed")
}

type Call = (&'static str, &'static [Value]);

fn run_calls(store: &mut Store<()>, inst: Instance, calls: &[Call]) -> Vec<Vec<Value>> {
    calls
        .iter()
        .map(|(name, args)| {
            let f = inst.get_func(&*store, name).unwrap_or_else(|| panic!("no export {name}"));
            f.call(&mut *store, args).unwrap_or_else(|e| panic!("{name}: {e}"))
        })
        .collect()
}

/// For every split point: the first calls in one store, a snapshot, a restore into a new store
/// (another engine too), the rest there; the results must equal an uninterrupted run.
fn check_fixture(name: &str, calls: &[Call]) {
    let bytes = fixture(name);
    let engine = Engine::default();
    let module = Module::new(&engine, &bytes).expect("module");
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
    let expected = run_calls(&mut store, inst, calls);

    for split in 0..=calls.len() {
        let mut a = Store::new(&engine, ());
        let inst = Linker::new(&engine).instantiate(&mut a, &module).expect("instantiate");
        let mut got = run_calls(&mut a, inst, &calls[..split]);
        let blob = inst.snapshot(&mut a).expect("snapshot");
        drop(a);

        let engine2 = Engine::default();
        let module2 = Module::new(&engine2, &bytes).expect("module");
        let mut b = Store::new(&engine2, ());
        let inst =
            Linker::new(&engine2).instantiate_restored(&mut b, &module2, &blob).expect("restore");
        got.extend(run_calls(&mut b, inst, &calls[split..]));
        assert_eq!(got, expected, "{name}: snapshot after {split} call(s)");
        // A snapshot of the restored instance is the same blob as one of the original.
        if split == calls.len() {
            assert_eq!(inst.snapshot(&mut b).expect("snapshot").len(), blob.len());
        }
    }
}

#[test]
fn advanced_runtime_counter_and_memory_growth_survive_a_snapshot() {
    check_fixture(
        "advanced_runtime",
        &[
            ("sample_counter", &[Value::I32(50)]),
            ("sample_memory_grow", &[Value::I32(3)]),
            ("sample_counter", &[Value::I32(7)]),
            ("sample_shadow_stack", &[Value::I32(3), Value::I32(20)]),
            ("sample_memory_grow_touch", &[Value::I32(1), Value::I32(0x1234)]),
            ("sample_counter", &[Value::I32(3)]),
            ("sample_memory_grow", &[Value::I32(0)]),
            ("sample_memory_grow_too_far", &[]),
        ],
    );
}

#[test]
fn indirect_dispatch_tables_survive_a_snapshot() {
    check_fixture(
        "indirect_dispatch",
        &[
            ("sample_apply_binop", &[Value::I32(0), Value::I32(100), Value::I32(7)]),
            ("sample_chain_binops", &[Value::I32(17), Value::I32(50)]),
            ("sample_fold", &[Value::I32(1), Value::I32(100)]),
            ("sample_callback", &[Value::I32(2), Value::I32(11)]),
            ("sample_apply_binop", &[Value::I32(5), Value::I32(100), Value::I32(7)]),
        ],
    );
}

#[test]
fn memory_ops_and_kernels_survive_a_snapshot() {
    check_fixture(
        "memory_ops",
        &[
            ("sample_table_update", &[Value::I32(3), Value::I32(-5)]),
            ("sample_sort_checksum", &[Value::I32(256), Value::I32(1)]),
            ("sample_table_update", &[Value::I32(3), Value::I32(9)]),
            ("sample_memmove_overlap", &[Value::I32(5), Value::I32(32)]),
            ("sample_table_update", &[Value::I32(4), Value::I32(1)]),
        ],
    );
    check_fixture(
        "kernel_hashmap",
        &[
            ("bench_hashmap", &[Value::I32(1)]),
            ("bench_hashmap", &[Value::I32(2)]),
            ("bench_hashmap", &[Value::I32(1)]),
        ],
    );
    check_fixture(
        "kernel_compress",
        &[("bench_compress", &[Value::I32(1)]), ("bench_compress", &[Value::I32(1)])],
    );
}

const STATEFUL: &str = r#"(module
  (global $starts (export "starts") (mut i32) (i32.const 0))
  (global $acc (mut i64) (i64.const 0))
  (memory (export "mem") 1 4)
  (table 3 funcref)
  (elem $passive func $f)
  (data $d "abc")
  (func $f (result i32) i32.const 40)
  (func $start global.get $starts i32.const 1 i32.add global.set $starts)
  (start $start)
  (func (export "add") (param i64) (result i64)
    global.get $acc local.get 0 i64.add global.set $acc global.get $acc)
  (func (export "init") (i32.const 1) (i32.const 0) (i32.const 1) table.init $passive
    elem.drop $passive (i32.const 0) (i32.const 0) (i32.const 3) memory.init $d data.drop $d)
  (func (export "grow") (result i32) i32.const 1 memory.grow)
)"#;

fn stateful() -> (Engine, Module) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(STATEFUL).expect("WAT")).expect("module");
    (engine, module)
}

#[test]
fn restore_skips_the_start_function_and_keeps_dropped_segments_dropped() {
    let (engine, module) = stateful();
    let mut a = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut a, &module).expect("instantiate");
    let add = inst.get_typed_func::<i64, i64>(&a, "add").expect("add");
    assert_eq!(add.call(&mut a, 5).expect("add"), 5);
    inst.get_typed_func::<(), ()>(&a, "init").expect("init").call(&mut a, ()).expect("init");
    inst.get_typed_func::<(), i32>(&a, "grow").expect("grow").call(&mut a, ()).expect("grow");
    let blob = inst.snapshot(&mut a).expect("snapshot");

    let mut b = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate_restored(&mut b, &module, &blob).expect("restore");
    let starts = inst.get_global(&b, "starts").expect("starts");
    assert_eq!(starts.get(&b), Value::I32(1), "start ran once, before the snapshot");
    let add = inst.get_typed_func::<i64, i64>(&b, "add").expect("add");
    assert_eq!(add.call(&mut b, 10).expect("add"), 15, "a non-exported global came back");
    let mem = inst.get_memory(&b, "mem").expect("mem");
    assert_eq!(mem.size(&b), 2, "the grown size came back");
    assert_eq!(&mem.data(&b)[..3], b"abc");
    // The segments were dropped before the snapshot: using them again traps.
    let init = inst.get_typed_func::<(), ()>(&b, "init").expect("init");
    let err = init.call(&mut b, ()).expect_err("dropped segments");
    assert!(err.as_trap().is_some(), "{err}");
}

#[test]
fn bad_snapshots_are_rejected_with_the_failed_check() {
    let (engine, module) = stateful();
    let mut a = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut a, &module).expect("instantiate");
    let blob = inst.snapshot(&mut a).expect("snapshot");

    let check_of = |blob: &[u8], module: &Module| -> String {
        let mut s = Store::new(&engine, ());
        let err =
            Linker::new(&engine).instantiate_restored(&mut s, module, blob).expect_err("rejected");
        match err.kind() {
            ErrorKind::Spill(SpillError::Envelope { error, .. }) => error.check().to_owned(),
            ErrorKind::Spill(SpillError::Malformed(m)) => format!("malformed: {m}"),
            ErrorKind::Spill(SpillError::Mismatch(m)) => format!("mismatch: {m}"),
            other => panic!("unexpected error {other:?}"),
        }
    };
    let mut crc = blob.clone();
    let last = crc.len() - 1;
    crc[last] ^= 0x40;
    assert_eq!(check_of(&crc, &module), "crc");
    assert_eq!(check_of(&blob[..blob.len() - 1], &module), "payload length");
    assert_eq!(check_of(&blob[..10], &module), "header length");
    let mut magic = blob.clone();
    magic[0] = b'X';
    assert_eq!(check_of(&magic, &module), "magic");
    let mut version = blob.clone();
    version[4] = 9;
    assert_eq!(check_of(&version, &module), "version");

    // Another module: the module hash check.
    let other = wat::parse_str(STATEFUL.replace("i32.const 40", "i32.const 41")).expect("WAT");
    let other = Module::new(&engine, &other).expect("module");
    assert_eq!(check_of(&blob, &other), "module hash");

    // Another kind of blob of the same module.
    let mut kind = blob.clone();
    kind[6] = fayasm_exec::BlobKind::Memory as u8;
    assert_eq!(check_of(&kind, &module), "kind");
}

#[test]
fn a_different_import_shape_is_a_clear_error() {
    let engine = Engine::default();
    let wat = r#"(module (import "env" "mem" (memory 1 8))
      (func (export "get") (result i32) i32.const 0 i32.load))"#;
    let module = Module::new(&engine, &wat::parse_str(wat).expect("WAT")).expect("module");
    let mem_ty = |min| fayasm_exec::MemoryType::new(min, Some(8));

    let mut a = Store::new(&engine, ());
    let mem = fayasm_exec::Memory::new(&mut a, mem_ty(1)).expect("memory");
    mem.data_mut(&mut a)[0] = 7;
    let mut linker = Linker::new(&engine);
    linker.define("env", "mem", mem).unwrap();
    let inst = linker.instantiate(&mut a, &module).expect("instantiate");
    let blob = inst.snapshot(&mut a).expect("snapshot");

    // Restored with a larger imported memory than the snapshot's: it cannot shrink.
    let mut b = Store::new(&engine, ());
    let mem = fayasm_exec::Memory::new(&mut b, mem_ty(3)).expect("memory");
    let mut linker = Linker::new(&engine);
    linker.define("env", "mem", mem).unwrap();
    let err = linker.instantiate_restored(&mut b, &module, &blob).expect_err("shape");
    assert!(
        matches!(err.kind(), ErrorKind::Spill(SpillError::Mismatch(m)) if m.contains("memory 0 has 3 pages")),
        "{err}"
    );
    // With another maximum (one the import still accepts).
    let mut c = Store::new(&engine, ());
    let mem =
        fayasm_exec::Memory::new(&mut c, fayasm_exec::MemoryType::new(1, Some(4))).expect("memory");
    let mut linker = Linker::new(&engine);
    linker.define("env", "mem", mem).unwrap();
    let err = linker.instantiate_restored(&mut c, &module, &blob).expect_err("shape");
    assert!(err.to_string().contains("another maximum"), "{err}");
    // With a matching import it works, and the imported memory gets the snapshot's bytes.
    let mut d = Store::new(&engine, ());
    let mem = fayasm_exec::Memory::new(&mut d, mem_ty(1)).expect("memory");
    let mut linker = Linker::new(&engine);
    linker.define("env", "mem", mem).unwrap();
    let inst = linker.instantiate_restored(&mut d, &module, &blob).expect("restore");
    let get = inst.get_typed_func::<(), i32>(&d, "get").expect("get");
    assert_eq!(get.call(&mut d, ()).expect("call"), 7);
}

#[test]
fn random_payloads_never_panic() {
    // A valid envelope around garbage payloads: every one is rejected, none panics.
    let (engine, module) = stateful();
    let hash = fayasm_offload::envelope::module_hash(module.bytes());
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut a = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut a, &module).expect("instantiate");
    let good = inst.snapshot(&mut a).expect("snapshot");
    let good_payload = &good[fayasm_offload::envelope::HEADER_LEN..];
    for round in 0..300 {
        let mut payload = if round % 2 == 0 {
            good_payload[..good_payload.len().min(200)].to_vec()
        } else {
            good_payload.to_vec()
        };
        for _ in 0..3 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let i = (x as usize) % payload.len();
            payload[i] = (x >> 32) as u8;
        }
        let blob = fayasm_offload::envelope::encode(
            fayasm_offload::Kind::InstanceSnapshot,
            hash,
            0,
            &payload,
        );
        let mut s = Store::new(&engine, ());
        // Mutations may leave a payload valid (memory bytes); then it must restore cleanly.
        if let Err(e) = Linker::new(&engine).instantiate_restored(&mut s, &module, &blob) {
            assert!(e.as_spill().is_some(), "{e}");
        }
    }
}

#[test]
fn a_snapshot_in_a_dirstore_survives_a_reboot_and_a_power_loss_while_saving() {
    use fayasm_exec::{BlobKind, SpillKey};
    use fayasm_offload::{CrashPoint, DirStore};
    let dir = crate::offload::TempDir::new("reboot");
    let key = SpillKey::new(BlobKind::InstanceSnapshot, 0, 0);
    let bytes = fixture("advanced_runtime");
    let calls: &[Call] = &[
        ("sample_counter", &[Value::I32(50)]),
        ("sample_memory_grow", &[Value::I32(2)]),
        ("sample_counter", &[Value::I32(9)]),
        ("sample_memory_grow_touch", &[Value::I32(1), Value::I32(0x55)]),
        ("sample_counter", &[Value::I32(4)]),
    ];
    let engine = Engine::default();
    let module = Module::new(&engine, &bytes).expect("module");
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
    let expected = run_calls(&mut store, inst, calls);

    // Boot 1: two calls, save; a third call, and the device loses power while saving again.
    {
        let mut spill = DirStore::open(&dir.0, 2).expect("open");
        let mut store = Store::new(&engine, ());
        let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
        assert_eq!(run_calls(&mut store, inst, &calls[..2]), expected[..2]);
        inst.save_snapshot(&mut store, &mut spill, key).expect("save");
        assert_eq!(run_calls(&mut store, inst, &calls[2..3]), expected[2..3]);
        spill.crash_at(Some(CrashPoint::AfterFsync));
        inst.save_snapshot(&mut store, &mut spill, key).expect_err("power loss");
    }
    // Boot 2: the last complete save comes back; the third call runs again from there.
    let mut spill = DirStore::open(&dir.0, 2).expect("reopen");
    let engine = Engine::default();
    let module = Module::new(&engine, &bytes).expect("module");
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine)
        .instantiate_from_store(&mut store, &module, &mut spill, key)
        .expect("restore after reboot");
    assert_eq!(run_calls(&mut store, inst, &calls[2..]), expected[2..]);

    // No snapshot under another key: a clear error.
    let other = SpillKey::new(BlobKind::InstanceSnapshot, 0, 1);
    let err = Linker::new(&engine)
        .instantiate_from_store(&mut Store::new(&engine, ()), &module, &mut spill, other)
        .expect_err("missing");
    assert_eq!(err.as_spill(), Some(&SpillError::Missing { key: other }));
}

#[test]
fn restoring_from_inside_a_call_is_refused() {
    let engine = Engine::default();
    let wat = r#"(module (import "host" "restore" (func $r (result i32)))
      (memory (export "mem") 1)
      (func (export "run") (result i32) call $r))"#;
    let module = Module::new(&engine, &wat::parse_str(wat).expect("WAT")).expect("module");
    let blob = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut linker = Linker::new(&engine);
    let inside = blob.clone();
    linker
        .func_wrap("host", "restore", move |mut caller: fayasm_exec::Caller<'_, ()>| {
            let inst = caller.instance().expect("called from wasm");
            let blob = inside.lock().expect("lock").clone();
            let err = inst.restore(&mut caller, &blob).expect_err("busy");
            Ok(i32::from(err.as_spill() == Some(&SpillError::Busy)))
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    let inst = linker.instantiate(&mut store, &module).expect("instantiate");
    *blob.lock().expect("lock") = inst.snapshot(&mut store).expect("snapshot");
    let run = inst.get_typed_func::<(), i32>(&store, "run").expect("run");
    assert_eq!(run.call(&mut store, ()).expect("call"), 1);
    // Between calls the same restore works.
    let snapshot = blob.lock().expect("lock").clone();
    inst.restore(&mut store, &snapshot).expect("restore between calls");
}
