//! Trap hooks: the host sees every trap (code, function, instance) before it surfaces, can
//! record it in the store's data, and can replace it.

use fayasm_exec::{Engine, Instance, Linker, Module, Store, Trap, TrapCode};

const WAT: &str = r#"(module
    (import "env" "refuse" (func $refuse))
    (func $div (export "div") (param i32 i32) (result i32)
      local.get 0 local.get 1 i32.div_s)
    (func (export "host") call $refuse)
    (func (export "ok") (result i32) i32.const 1))"#;

#[derive(Default)]
struct Seen {
    traps: Vec<(TrapCode, Option<u32>, Option<Instance>)>,
    replace: bool,
}

fn setup() -> (Store<Seen>, Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(WAT).unwrap()).unwrap();
    let mut linker = Linker::new(&engine);
    linker.func_wrap("env", "refuse", || -> Result<(), Trap> { Err(Trap::host("no")) }).unwrap();
    let mut store = Store::new(&engine, Seen::default());
    let inst = linker.instantiate(&mut store, &module).unwrap();
    store.set_trap_hook(|seen: &mut Seen, trap: Trap| {
        seen.traps.push((trap.code(), trap.func(), trap.instance()));
        if seen.replace { Trap::host(format!("replaced: {trap}")) } else { trap }
    });
    (store, inst)
}

#[test]
fn the_hook_sees_code_function_and_instance() {
    let (mut store, inst) = setup();
    let div = inst.get_typed_func::<(i32, i32), i32>(&store, "div").unwrap();
    assert_eq!(div.call(&mut store, (6, 3)).unwrap(), 2);
    assert!(store.data().traps.is_empty(), "no trap, no call");
    let err = div.call(&mut store, (1, 0)).unwrap_err();
    assert_eq!(err.as_trap().unwrap().code(), TrapCode::IntegerDivideByZero, "kept as it was");
    let err = inst.get_func(&store, "host").unwrap().call(&mut store, &[]).unwrap_err();
    assert_eq!(err.as_trap().unwrap().message(), Some("no"));
    assert_eq!(
        store.data().traps,
        [
            (TrapCode::IntegerDivideByZero, Some(1), Some(inst)),
            (TrapCode::HostError, Some(0), Some(inst)),
        ]
    );
}

#[test]
fn the_hook_can_replace_the_trap() {
    let (mut store, inst) = setup();
    store.data_mut().replace = true;
    let div = inst.get_typed_func::<(i32, i32), i32>(&store, "div").unwrap();
    let err = div.call(&mut store, (1, 0)).unwrap_err();
    let trap = err.as_trap().unwrap();
    assert_eq!(trap.code(), TrapCode::HostError);
    assert_eq!(trap.message(), Some("replaced: integer divide by zero (in function 1)"));
    store.clear_trap_hook();
    let err = div.call(&mut store, (1, 0)).unwrap_err();
    assert_eq!(err.as_trap().unwrap().code(), TrapCode::IntegerDivideByZero);
    assert_eq!(store.data().traps.len(), 1);
}

#[test]
fn the_hook_sees_a_trapping_start_function() {
    let engine = Engine::default();
    let wat = r#"(module (func $start unreachable) (start $start))"#;
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, Vec::new());
    store.set_trap_hook(|seen: &mut Vec<TrapCode>, trap: Trap| {
        seen.push(trap.code());
        trap
    });
    let err = Linker::new(&engine).instantiate(&mut store, &module).unwrap_err();
    assert_eq!(err.as_trap().unwrap().code(), TrapCode::Unreachable);
    assert_eq!(store.data(), &[TrapCode::Unreachable]);
}
