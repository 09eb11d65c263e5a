//! Host functions defined as closures: untyped (`func_new`) and typed (`func_wrap`), with user
//! data in the store, traps from the host, and wasm calling back through the linker.

use fayasm_exec::{
    Caller, Engine, FuncType, Linker, Module, Store, Trap, TrapCode, ValType, Value,
};

#[test]
fn typed_and_untyped_host_closures_see_user_data() {
    let engine = Engine::default();
    let wat = r#"(module
        (import "env" "add" (func $add (param i32 i64) (result i64)))
        (import "env" "bump" (func $bump))
        (import "env" "scale" (func $scale (param f64) (result f64)))
        (import "env" "fail" (func $fail (param i32)))
        (func (export "run") (param i32) (result i64)
          call $bump call $bump
          local.get 0 i64.const 40 call $add)
        (func (export "scaled") (result f64) f64.const 1.5 call $scale)
        (func (export "fail") i32.const 7 call $fail))"#;
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut linker = Linker::<u32>::new(&engine);
    linker
        .func_wrap("env", "add", |_: Caller<'_, u32>, a: i32, b: i64| Ok(i64::from(a) + b))
        .func_wrap("env", "bump", |mut caller: Caller<'_, u32>| {
            *caller.data_mut() += 1;
            Ok(())
        })
        .func_new(
            "env",
            "scale",
            FuncType::new([ValType::F64], [ValType::F64]),
            |caller, params, results| {
                let Value::F64(x) = params[0] else { return Err(Trap::host("expected f64")) };
                results[0] = Value::from(x.to_float() * f64::from(*caller.data()));
                Ok(())
            },
        )
        .func_wrap("env", "fail", |_: Caller<'_, u32>, code: i32| -> Result<(), Trap> {
            Err(Trap::host(format!("host refused {code}")))
        });
    let mut store = Store::new(&engine, 0u32);
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let run = inst.get_typed_func::<i32, i64>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 2).unwrap(), 42);
    assert_eq!(*store.data(), 2);
    let scaled = inst.get_typed_func::<(), f64>(&store, "scaled").unwrap();
    assert_eq!(scaled.call(&mut store, ()).unwrap(), 3.0);
    let err = inst.get_func(&store, "fail").unwrap().call(&mut store, &[]).unwrap_err();
    let trap = err.as_trap().expect("a trap");
    assert_eq!(trap.code(), TrapCode::HostError);
    assert_eq!(trap.message(), Some("host refused 7"));
}

#[test]
fn wrapped_signature_mismatch_is_a_link_error() {
    let engine = Engine::default();
    let wat = r#"(module (import "env" "f" (func (param i32) (result i32))))"#;
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut linker = Linker::<()>::new(&engine);
    linker.func_wrap("env", "f", |_: Caller<'_, ()>, x: i64| Ok(x));
    let mut store = Store::new(&engine, ());
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(err.to_string().contains("incompatible import type for env::f"), "{err}");
}

#[test]
fn oversized_host_memory_is_an_error_not_an_abort() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let err =
        fayasm_exec::Memory::new(&mut store, fayasm_exec::MemoryType { min: 70_000, max: None })
            .unwrap_err();
    assert!(err.to_string().contains("70000 pages"), "{err}");
    let mem =
        fayasm_exec::Memory::new(&mut store, fayasm_exec::MemoryType { min: 1, max: Some(2) })
            .unwrap();
    assert_eq!(mem.data(&store).len(), 65536);
    assert_eq!(mem.grow(&mut store, 1).unwrap(), 1);
    assert!(mem.grow(&mut store, 1).is_err(), "grows past its maximum");
}
