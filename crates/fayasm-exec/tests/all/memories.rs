//! The memory proposals through the public API: memory64 bounds at the last bytes of a memory
//! and at addresses near 2^64 (traps, never wraps), `memory.copy` between two memories
//! (overlap, out-of-bounds traps that write nothing), a memory of 1-byte pages growing one
//! byte at a time, imports and exports of memories other than memory 0, host-created i64
//! memories, snapshots that record each memory's index type and page size, and the `Config`
//! switches that turn each proposal off.

use fayasm_exec::{
    Engine, ErrorKind, Instance, Linker, Memory, MemoryType, Module, Store, TrapCode, ValType,
    Value,
};

fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, &wat::parse_str(wat).expect("valid wat")).expect("module")
}

fn instance(wat: &str) -> (Store<()>, Instance) {
    let engine = Engine::default();
    let module = module(&engine, wat);
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
    (store, inst)
}

fn call(
    store: &mut Store<()>,
    inst: Instance,
    name: &str,
    args: &[Value],
) -> Result<Vec<Value>, TrapCode> {
    let f = inst.get_func(&*store, name).unwrap_or_else(|| panic!("no export {name}"));
    f.call(store, args).map_err(|e| e.as_trap().map(|t| t.code()).expect("a trap"))
}

const OOB: Result<Vec<Value>, TrapCode> = Err(TrapCode::MemoryOutOfBounds);

#[test]
fn memory64_bounds_hold_at_the_last_bytes_and_near_2_pow_64() {
    let (mut s, i) = instance(
        r#"(module (memory i64 1 2)
            (func (export "load8") (param i64) (result i32) local.get 0 i32.load8_u)
            (func (export "load64") (param i64) (result i64) local.get 0 i64.load)
            (func (export "load64_off8") (param i64) (result i64) local.get 0 i64.load offset=8)
            (func (export "load8_offmax") (param i64) (result i32)
              local.get 0 i32.load8_u offset=0xffffffffffffffff)
            (func (export "store64") (param i64 i64) local.get 0 local.get 1 i64.store)
            (func (export "store8_off") (param i64 i32) local.get 0 local.get 1 i32.store8 offset=0x100000000)
            (func (export "size") (result i64) memory.size)
            (func (export "grow") (param i64) (result i64) local.get 0 memory.grow))"#,
    );
    let i64v = Value::I64;
    // The last byte and the last eight bytes of one page are in bounds, one further is not.
    assert_eq!(call(&mut s, i, "store64", &[i64v(65528), i64v(-1)]), Ok(vec![]));
    assert_eq!(call(&mut s, i, "load64", &[i64v(65528)]), Ok(vec![i64v(-1)]));
    assert_eq!(call(&mut s, i, "load8", &[i64v(65535)]), Ok(vec![Value::I32(255)]));
    assert_eq!(call(&mut s, i, "load8", &[i64v(65536)]), OOB);
    assert_eq!(call(&mut s, i, "load64", &[i64v(65529)]), OOB);
    assert_eq!(call(&mut s, i, "store64", &[i64v(65529), i64v(1)]), OOB);
    // Addresses near 2^64: an address + offset (+ size) that would wrap to a small, in-bounds
    // address traps.
    for addr in [u64::MAX, u64::MAX - 7, 1 << 32, 1 << 63] {
        assert_eq!(call(&mut s, i, "load8", &[i64v(addr as i64)]), OOB, "{addr:#x}");
        assert_eq!(call(&mut s, i, "load64", &[i64v(addr as i64)]), OOB, "{addr:#x}");
    }
    // 2^64 - 8 + 8 wraps to 0; 2^64 - 16 + 8 + 8 ends exactly at 2^64.
    assert_eq!(call(&mut s, i, "load64_off8", &[i64v(-8)]), OOB);
    assert_eq!(call(&mut s, i, "load64_off8", &[i64v(-16)]), OOB);
    assert_eq!(call(&mut s, i, "load8_offmax", &[i64v(1)]), OOB);
    assert_eq!(call(&mut s, i, "load8_offmax", &[i64v(0)]), OOB);
    // A 64-bit offset above 4 GiB is not truncated to its low half.
    assert_eq!(call(&mut s, i, "store8_off", &[i64v(0), Value::I32(1)]), OOB);
    assert_eq!(call(&mut s, i, "load8", &[i64v(0)]), Ok(vec![Value::I32(0)]), "nothing written");
    // memory.size and memory.grow are i64; failure is -1 of that type.
    assert_eq!(call(&mut s, i, "size", &[]), Ok(vec![i64v(1)]));
    assert_eq!(call(&mut s, i, "grow", &[i64v(1 << 40)]), Ok(vec![i64v(-1)]));
    assert_eq!(call(&mut s, i, "grow", &[i64v(-1)]), Ok(vec![i64v(-1)]));
    assert_eq!(call(&mut s, i, "grow", &[i64v(1)]), Ok(vec![i64v(1)]));
    assert_eq!(call(&mut s, i, "load64", &[i64v(131064)]), Ok(vec![i64v(0)]));
    assert_eq!(call(&mut s, i, "load8", &[i64v(131072)]), OOB);
    assert_eq!(call(&mut s, i, "grow", &[i64v(1)]), Ok(vec![i64v(-1)]), "maximum is 2 pages");
}

#[test]
fn memory_copy_between_two_memories_handles_overlap_and_traps_out_of_bounds() {
    let (mut s, i) = instance(
        r#"(module
            (memory $a 1) (memory $b 1)
            (data (memory $b) (i32.const 0) "\01\02\03\04\05\06\07\08")
            (func (export "b_to_a") (param i32 i32 i32)
              local.get 0 local.get 1 local.get 2 memory.copy $a $b)
            (func (export "b_to_b") (param i32 i32 i32)
              local.get 0 local.get 1 local.get 2 memory.copy $b $b)
            (func (export "a8") (param i32) (result i32) local.get 0 i32.load8_u $a)
            (func (export "b8") (param i32) (result i32) local.get 0 i32.load8_u $b))"#,
    );
    let i32v = Value::I32;
    let read = |s: &mut Store<()>, f: &str, at: i32| match call(s, i, f, &[i32v(at)]) {
        Ok(v) => v[0],
        Err(t) => panic!("{f}({at}) trapped: {t:?}"),
    };
    call(&mut s, i, "b_to_a", &[i32v(100), i32v(0), i32v(8)]).unwrap();
    for k in 0..8 {
        assert_eq!(read(&mut s, "a8", 100 + k), i32v(k + 1));
    }
    assert_eq!(read(&mut s, "a8", 108), i32v(0));
    // Overlapping copies within memory $b, forwards and backwards, copy as through a buffer.
    call(&mut s, i, "b_to_b", &[i32v(2), i32v(0), i32v(6)]).unwrap();
    let got: Vec<Value> = (0..8).map(|k| read(&mut s, "b8", k)).collect();
    assert_eq!(got, [1, 2, 1, 2, 3, 4, 5, 6].map(i32v));
    call(&mut s, i, "b_to_b", &[i32v(0), i32v(2), i32v(6)]).unwrap();
    let got: Vec<Value> = (0..8).map(|k| read(&mut s, "b8", k)).collect();
    assert_eq!(got, [1, 2, 3, 4, 5, 6, 5, 6].map(i32v));
    // Out of bounds at either end traps and writes nothing; a zero-length copy at the end is fine.
    assert_eq!(call(&mut s, i, "b_to_a", &[i32v(65530), i32v(0), i32v(7)]), OOB);
    assert_eq!(read(&mut s, "a8", 65530), i32v(0));
    assert_eq!(call(&mut s, i, "b_to_a", &[i32v(0), i32v(65530), i32v(7)]), OOB);
    assert_eq!(read(&mut s, "a8", 0), i32v(0));
    assert_eq!(call(&mut s, i, "b_to_a", &[i32v(0), i32v(-1), i32v(2)]), OOB);
    assert_eq!(call(&mut s, i, "b_to_a", &[i32v(65536), i32v(65536), i32v(0)]), Ok(vec![]));
    assert_eq!(call(&mut s, i, "b_to_a", &[i32v(65537), i32v(0), i32v(0)]), OOB);
}

#[test]
fn a_memory_of_one_byte_pages_grows_one_byte_at_a_time() {
    let (mut s, i) = instance(
        r#"(module (memory (export "m") 0 5 (pagesize 1))
            (func (export "size") (result i32) memory.size)
            (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
            (func (export "load") (param i32) (result i32) local.get 0 i32.load8_u)
            (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store8))"#,
    );
    let i32v = Value::I32;
    assert_eq!(call(&mut s, i, "load", &[i32v(0)]), OOB);
    for n in 0..5 {
        assert_eq!(call(&mut s, i, "size", &[]), Ok(vec![i32v(n)]));
        assert_eq!(call(&mut s, i, "grow", &[i32v(1)]), Ok(vec![i32v(n)]));
        assert_eq!(call(&mut s, i, "store", &[i32v(n), i32v(n + 10)]), Ok(vec![]));
        assert_eq!(call(&mut s, i, "load", &[i32v(n)]), Ok(vec![i32v(n + 10)]));
        assert_eq!(call(&mut s, i, "load", &[i32v(n + 1)]), OOB, "one past the end");
    }
    assert_eq!(call(&mut s, i, "grow", &[i32v(1)]), Ok(vec![i32v(-1)]), "maximum is 5 bytes");
    let m = i.get_memory(&s, "m").expect("export");
    assert_eq!((m.size(&s), m.page_size(&s), m.data_size(&s)), (5, 1, 5));
    assert_eq!(m.ty(&s), MemoryType::new(5, Some(5)).with_page_size_log2(0));
    assert!(m.grow(&mut s, 1).is_err(), "the host cannot grow past the maximum either");
}

#[test]
fn memories_other_than_memory_0_are_imported_and_exported() {
    let engine = Engine::default();
    let owner = module(
        &engine,
        r#"(module (memory (export "first") 1) (memory (export "second") i64 1 3)
            (func (export "peek") (param i64) (result i32) local.get 0 i32.load8_u 1))"#,
    );
    let user = module(
        &engine,
        r#"(module (import "owner" "first" (memory 1)) (import "owner" "second" (memory i64 1))
            (func (export "poke") (param i64 i32) local.get 0 local.get 1 i32.store8 1)
            (func (export "grow") (param i64) (result i64) local.get 0 memory.grow 1))"#,
    );
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let a = linker.instantiate(&mut store, &owner).unwrap();
    linker.instance(&mut store, "owner", a).unwrap();
    let b = linker.instantiate(&mut store, &user).unwrap();
    call(&mut store, b, "poke", &[Value::I64(9), Value::I32(77)]).unwrap();
    assert_eq!(call(&mut store, a, "peek", &[Value::I64(9)]), Ok(vec![Value::I32(77)]));
    assert_eq!(call(&mut store, b, "grow", &[Value::I64(1)]), Ok(vec![Value::I64(1)]));
    let second = a.get_memory(&store, "second").unwrap();
    assert_eq!(second.size(&store), 2, "both instances see the growth");

    // A 32-bit memory does not satisfy an i64 import, and the error says why.
    let mut linker = Linker::new(&engine);
    let plain = Memory::new(&mut store, MemoryType::new(1, Some(3))).unwrap();
    linker.define("owner", "first", plain).unwrap();
    linker.define("owner", "second", plain).unwrap();
    let err = linker.instantiate(&mut store, &user).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Link(_)), "{err}");
    assert!(err.to_string().contains("i64"), "{err}");
}

#[test]
fn the_host_creates_reads_writes_and_grows_i64_memories() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mem = Memory::new(&mut store, MemoryType::new64(1, Some(4))).unwrap();
    let ty = mem.ty(&store);
    assert!(ty.memory64);
    assert_eq!(ty.index_type(), ValType::I64);
    mem.write(&mut store, 65532, &[1, 2, 3, 4]).unwrap();
    assert!(mem.write(&mut store, 65533, &[1, 2, 3, 4]).is_err(), "past the end");
    assert!(mem.write(&mut store, u64::MAX, &[1]).is_err(), "near 2^64");
    assert_eq!(mem.grow(&mut store, 2).unwrap(), 1);
    assert_eq!((mem.size(&store), mem.data_size(&store)), (3, 3 * 65536));
    assert!(mem.grow(&mut store, 2).is_err(), "past the maximum");
    // Limits past what the index type allows are refused with an error, not a panic.
    assert!(Memory::new(&mut store, MemoryType::new(65537, None)).is_err());
    assert!(Memory::new(&mut store, MemoryType::new64(1 << 49, None)).is_err());
    assert!(Memory::new(&mut store, MemoryType::new64(1 << 40, None)).is_err(), "too large here");

    let user = module(
        &engine,
        r#"(module (import "env" "m" (memory i64 1))
            (func (export "load") (param i64) (result i32) local.get 0 i32.load)
            (func (export "size") (result i64) memory.size))"#,
    );
    let mut linker = Linker::new(&engine);
    linker.define("env", "m", mem).unwrap();
    let inst = linker.instantiate(&mut store, &user).unwrap();
    let f = inst.get_typed_func::<i64, i32>(&store, "load").unwrap();
    assert_eq!(f.call(&mut store, 65532).unwrap(), 0x0403_0201);
    let size = inst.get_typed_func::<(), i64>(&store, "size").unwrap();
    assert_eq!(size.call(&mut store, ()).unwrap(), 3);
}

#[test]
fn snapshots_record_each_memorys_index_type_and_page_size() {
    let engine = Engine::default();
    let wat = r#"(module (memory $a i64 1) (memory $b 3 10 (pagesize 1))
        (func (export "set") (param i64 i32)
          local.get 0 local.get 1 i32.store8 $a
          i32.const 2 local.get 1 i32.store8 $b
          i32.const 1 memory.grow $b drop)
        (func (export "get") (param i64) (result i32 i32)
          local.get 0 i32.load8_u $a i32.const 2 i32.load8_u $b)
        (func (export "size_b") (result i32) memory.size $b))"#;
    let m = module(&engine, wat);
    let mut store = Store::new(&engine, ());
    let linker = Linker::new(&engine);
    let a = linker.instantiate(&mut store, &m).unwrap();
    call(&mut store, a, "set", &[Value::I64(65535), Value::I32(42)]).unwrap();
    let snap = a.snapshot(&mut store).unwrap();

    let mut other = Store::new(&engine, ());
    let b = linker.instantiate_restored(&mut other, &m, &snap).unwrap();
    assert_eq!(
        call(&mut other, b, "get", &[Value::I64(65535)]),
        Ok(vec![Value::I32(42), Value::I32(42)])
    );
    assert_eq!(call(&mut other, b, "size_b", &[]), Ok(vec![Value::I32(4)]), "4 one-byte pages");

    // The same memories with another page size: the snapshot's module hash differs, so it is
    // refused before its memories are read.
    let m2 = module(&engine, &wat.replace("(pagesize 1)", "(pagesize 65536)"));
    assert!(linker.instantiate_restored(&mut Store::new(&engine, ()), &m2, &snap).is_err());
}

#[test]
fn snapshots_from_before_memory_types_restore_as_32_bit_64k_memories() {
    use fayasm_offload::envelope::{self, HEADER_LEN, Kind};
    let engine = Engine::default();
    let wat = r#"(module (memory 1 2)
        (func (export "set") (param i32) i32.const 8 local.get 0 i32.store8)
        (func (export "get") (result i32) i32.const 8 i32.load8_u))"#;
    let m = module(&engine, wat);
    let linker = Linker::new(&engine);
    let mut store = Store::new(&engine, ());
    let a = linker.instantiate(&mut store, &m).unwrap();
    call(&mut store, a, "set", &[Value::I32(5)]).unwrap();
    let snap = a.snapshot(&mut store).unwrap();
    // Rewrite the payload in the old layout: flag bit 1 clear, no index type and page size.
    let payload = &snap[HEADER_LEN..];
    assert_eq!(payload[0] & 2, 2, "new snapshots set flag bit 1");
    assert_eq!(&payload[9..11], &[0, 16], "i32, 64 KiB pages");
    let mut old = payload.to_vec();
    old[0] &= !2;
    old.drain(9..11);
    let hash = envelope::module_hash(&wat::parse_str(wat).unwrap());
    let old = envelope::encode(Kind::InstanceSnapshot, hash, 0, &old);
    let mut other = Store::new(&engine, ());
    let b = linker.instantiate_restored(&mut other, &m, &old).unwrap();
    assert_eq!(call(&mut other, b, "get", &[]), Ok(vec![Value::I32(5)]));
    // A page size other than 1 or 64 KiB is malformed, with a message saying so.
    let mut bad = payload.to_vec();
    bad[10] = 3;
    let bad = envelope::encode(Kind::InstanceSnapshot, hash, 0, &bad);
    let err = linker.instantiate_restored(&mut Store::new(&engine, ()), &m, &bad).unwrap_err();
    assert!(err.to_string().contains("page size"), "{err}");
}

#[test]
fn each_memory_proposal_can_be_switched_off() {
    let cases = [
        ("(module (memory i64 1))", "memory64"),
        ("(module (memory 1) (memory 1))", "multi"),
        ("(module (memory 1 (pagesize 1)))", "page"),
    ];
    for (wat, proposal) in cases {
        let bytes = wat::parse_str(wat).unwrap();
        assert!(Module::new(&Engine::default(), &bytes).is_ok(), "{wat} is valid by default");
        let mut config = fayasm_exec::Config::new();
        match proposal {
            "memory64" => config.wasm_memory64(false),
            "multi" => config.wasm_multi_memory(false),
            _ => config.wasm_custom_page_sizes(false),
        };
        let err = Module::new(&Engine::new(&config), &bytes).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Decode(_)), "{wat}: {err}");
    }
}
