//! 64-bit tables (memory64's table64) through the embedding API: host-created 64-bit tables
//! imported by a module and used from both sides with `u64` indices, limits that fail with an
//! error (never a panic or a huge allocation), the index type checked by imports and rebinding,
//! snapshots, and i64 operands that alias locals. The instructions themselves are covered by
//! the `fayasm` suite of the spec test (`crates/fayasm-wast/tests/wast/table64*.wast`).

use fayasm_exec::{
    Engine, ErrorKind, Func, Linker, Module, RefType, Store, Table, TableType, Value,
};

fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, &wat::parse_str(wat).expect("valid wat")).expect("module")
}

const USER: &str = r#"(module
    (type $i (func (result i32)))
    (import "env" "t" (table $t i64 2 funcref))
    (import "env" "seven" (func $seven (result i32)))
    (elem (table $t) (i64.const 1) func $seven)
    (func (export "size") (result i64) (table.size $t))
    (func (export "call") (param i64) (result i32) (call_indirect $t (type $i) (local.get 0)))
    (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0))))"#;

#[test]
fn host_tables_of_i64_are_shared_with_wasm() {
    let engine = Engine::default();
    let m = module(&engine, USER);
    let mut store = Store::new(&engine, ());
    let ty = TableType::new64(RefType::Func, 2, Some(6));
    let t = Table::new(&mut store, ty, Value::FuncRef(None)).unwrap();
    let mut linker = Linker::new(&engine);
    linker.define("env", "t", t).unwrap();
    linker.func_wrap("env", "seven", || 7i32).unwrap();
    let inst = linker.instantiate(&mut store, &m).unwrap();
    let size = inst.get_typed_func::<(), i64>(&store, "size").unwrap();
    let call = inst.get_typed_func::<i64, i32>(&store, "call").unwrap();
    let grow = inst.get_typed_func::<i64, i64>(&store, "grow").unwrap();

    assert_eq!(size.call(&mut store, ()).unwrap(), 2);
    assert_eq!(call.call(&mut store, 1).unwrap(), 7);
    assert_eq!(t.ty(&store), TableType::new64(RefType::Func, 2, Some(6)));
    // The host grows the table and copies the wasm-written element: wasm sees both.
    assert_eq!(t.grow(&mut store, 2, Value::FuncRef(None)).unwrap(), 2);
    let seven = t.get(&store, 1).unwrap();
    t.set(&mut store, 3, seven).unwrap();
    assert_eq!(size.call(&mut store, ()).unwrap(), 4);
    assert_eq!(call.call(&mut store, 3).unwrap(), 7);
    // Past the maximum, from either side; indices from 2^32 up are out of bounds everywhere.
    assert_eq!(grow.call(&mut store, 3).unwrap(), -1);
    assert_eq!(grow.call(&mut store, 1 << 32).unwrap(), -1);
    assert!(t.grow(&mut store, 3, Value::FuncRef(None)).is_err());
    assert_eq!(t.get(&store, (1 << 32) + 1), None);
    assert!(t.set(&mut store, u64::MAX, seven).is_err());
    let trap = call.call(&mut store, (1 << 32) + 1).unwrap_err();
    assert!(trap.to_string().contains("undefined element"), "{trap}");
    assert_eq!(grow.call(&mut store, 2).unwrap(), 4);
    assert_eq!(t.size(&store), 6);
}

#[test]
fn table_limits_fail_with_an_error() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let null = Value::FuncRef(None);
    for (ty, what) in [
        (TableType::new64(RefType::Func, u64::MAX, None), "a minimum of 2^64 - 1"),
        (TableType::new64(RefType::Func, 1 << 40, None), "a minimum past the runtime limit"),
        (TableType::new64(RefType::Func, 3, Some(2)), "inverted limits"),
        (TableType::new(RefType::Func, 1 << 32, None), "a 32-bit minimum past 2^32 - 1"),
        (TableType::new(RefType::Func, 0, Some(1 << 32)), "a 32-bit maximum past 2^32 - 1"),
    ] {
        let e = Table::new(&mut store, ty, null).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Limit(_)), "{what}: {e}");
    }
    // A module declaring a huge 64-bit table is valid but cannot be instantiated here.
    for wat in [
        r#"(module (table i64 0xffff_ffff_ffff_ffff funcref))"#,
        r#"(module (table i64 0x1_0000_0000 externref))"#,
    ] {
        let m = module(&engine, wat);
        let e = Linker::new(&engine).instantiate(&mut store, &m).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Limit(_)), "{wat}: {e}");
    }
    // Growing near 2^64 fails without wrapping.
    let t = Table::new(&mut store, TableType::new64(RefType::Func, 4, None), null).unwrap();
    assert!(t.grow(&mut store, u64::MAX - 1, null).is_err());
    assert!(t.grow(&mut store, u64::MAX, null).is_err());
    assert_eq!(t.size(&store), 4);
}

#[test]
fn imports_and_rebinding_check_the_index_type() {
    let engine = Engine::default();
    let m = module(&engine, USER);
    let mut store = Store::new(&engine, ());
    let null = Value::FuncRef(None);
    let narrow = Table::new(&mut store, TableType::new(RefType::Func, 2, None), null).unwrap();
    let mut linker = Linker::new(&engine);
    linker.define("env", "t", narrow).unwrap();
    linker.func_wrap("env", "seven", || 7i32).unwrap();
    let e = linker.instantiate(&mut store, &m).unwrap_err();
    let text = e.to_string();
    assert!(matches!(e.kind(), ErrorKind::Link(_)), "{e}");
    assert!(
        text.contains("expected table i64 funcref 2, found table funcref 2")
            && text.contains("index types differ"),
        "{text}"
    );

    let wide = Table::new(&mut store, TableType::new64(RefType::Func, 2, None), null).unwrap();
    let mut linker = Linker::new(&engine);
    linker.define("env", "t", wide).unwrap();
    linker.func_wrap("env", "seven", || 7i32).unwrap();
    let inst = linker.instantiate(&mut store, &m).unwrap();
    let e = inst.rebind(&mut store, "env", "t", narrow).unwrap_err();
    assert!(e.to_string().contains("index types differ"), "{e}");
    // Another 64-bit table is accepted, and the module's call_indirect goes through it.
    let other = Table::new(&mut store, TableType::new64(RefType::Func, 3, None), null).unwrap();
    inst.rebind(&mut store, "env", "t", other).unwrap();
    let size = inst.get_typed_func::<(), i64>(&store, "size").unwrap();
    assert_eq!(size.call(&mut store, ()).unwrap(), 3);
    let call = inst.get_typed_func::<i64, i32>(&store, "call").unwrap();
    assert!(call.call(&mut store, 1).unwrap_err().to_string().contains("uninitialized element"));
}

#[test]
fn snapshots_restore_64_bit_tables() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
            (table $t (export "t") i64 2 funcref)
            (func $f (export "f"))
            (elem declare func $f)
            (func (export "set") (param i64) (table.set $t (local.get 0) (ref.func $f)))
            (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0))))"#,
    );
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
    let grow = inst.get_typed_func::<i64, i64>(&store, "grow").unwrap();
    let set = inst.get_typed_func::<i64, ()>(&store, "set").unwrap();
    assert_eq!(grow.call(&mut store, 3).unwrap(), 2);
    set.call(&mut store, 4).unwrap();
    let snapshot = inst.snapshot(&mut store).unwrap();

    let fresh = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
    fresh.restore(&mut store, &snapshot).unwrap();
    let t = fresh.get_table(&store, "t").unwrap();
    assert_eq!(t.ty(&store), TableType::new64(RefType::Func, 5, None));
    assert!(matches!(t.get(&store, 4), Some(Value::FuncRef(Some(_)))));
    assert_eq!(t.get(&store, 3), Some(Value::FuncRef(None)));
}

#[test]
fn saturated_operands_leave_their_locals_alone() {
    // The i64 delta is saturated in its own stack slot, never in the local it was read from:
    // the alias of local 0 below it, and local 0 itself, keep all 64 bits.
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
            (table $t i64 1 funcref)
            (func (export "f") (param i64) (result i64 i64 i64)
                (local.get 0)
                (table.grow $t (ref.null func) (local.get 0))
                (local.get 0)))"#,
    );
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &m).unwrap();
    let f: Func = inst.get_func(&store, "f").unwrap();
    for x in [1i64 << 32, (1 << 32) + 1, -1, i64::MIN] {
        let got = f.call(&mut store, &[Value::I64(x)]).unwrap();
        assert_eq!(got, vec![Value::I64(x), Value::I64(-1), Value::I64(x)], "{x:#x}");
    }
    let got = f.call(&mut store, &[Value::I64(2)]).unwrap();
    assert_eq!(got, vec![Value::I64(2), Value::I64(1), Value::I64(2)]);
}
