//! Wasm calls: recursive and looping factorial; deep recursion runs, unbounded recursion traps.

use fayasm_exec::{Config, Engine, Linker, Module, Store, TrapCode, Value};

fn instance(wat: &str) -> (Store<()>, fayasm_exec::Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).expect("valid wat")).expect("module");
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
    (store, inst)
}

#[test]
fn factorial_recursive_and_loop() {
    let (mut store, inst) = instance(
        r#"(module
        (func $fac (export "fac") (param i64) (result i64)
          local.get 0 i64.eqz
          if (result i64) i64.const 1
          else local.get 0 local.get 0 i64.const 1 i64.sub call $fac i64.mul end)
        (func (export "fac_loop") (param i32) (result i32) (local i32)
          i32.const 1 local.set 1
          block loop
            local.get 0 i32.eqz br_if 1
            local.get 1 local.get 0 i32.mul local.set 1
            local.get 0 i32.const 1 i32.sub local.set 0
            br 0 end end
          local.get 1))"#,
    );
    let fac = inst.get_typed_func::<i64, i64>(&store, "fac").unwrap();
    assert_eq!(fac.call(&mut store, 20).unwrap(), 2432902008176640000);
    let fac_loop = inst.get_typed_func::<i32, i32>(&store, "fac_loop").unwrap();
    assert_eq!(fac_loop.call(&mut store, 10).unwrap(), 3628800);
}

#[test]
fn deep_recursion_traps_instead_of_overflowing() {
    let engine = Engine::new(Config::new().max_call_depth(100_000));
    let wat = r#"(module (func $f (export "f") (param i32) (result i32)
        local.get 0 i32.eqz if (result i32) i32.const 0 else local.get 0 i32.const 1 i32.sub call $f i32.const 1 i32.add end))"#;
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let f = inst.get_func(&store, "f").unwrap();
    assert_eq!(f.call(&mut store, &[Value::I32(50_000)]).unwrap(), vec![Value::I32(50_000)]);
    let err = f.call(&mut store, &[Value::I32(-1)]).unwrap_err();
    assert_eq!(err.as_trap().map(|t| t.code()), Some(TrapCode::StackOverflow));
}
