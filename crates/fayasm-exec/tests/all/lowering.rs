//! The lowering reads locals in place and retargets results into locals. Each test here builds a
//! case where doing that naively would be wrong and checks the plain wasm semantics.

use fayasm_exec::{Engine, Linker, Module, Store, Value};

fn run(wat: &str, export: &str, args: &[Value]) -> Vec<Value> {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).expect("valid wat")).expect("module");
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
    inst.get_func(&store, export).expect("export").call(&mut store, args).expect("call")
}

fn i32s(v: &[i32]) -> Vec<Value> {
    v.iter().map(|&x| Value::I32(x)).collect()
}

#[test]
fn alias_survives_overwrite_of_its_local() {
    // local.get 0 is pending on the stack while local 0 is overwritten.
    let wat = r#"(module (func (export "f") (param i32) (result i32)
        local.get 0
        i32.const 100 local.set 0
        local.get 0 i32.sub))"#;
    for x in [0, 7, -5, i32::MAX, i32::MIN] {
        assert_eq!(run(wat, "f", &i32s(&[x])), i32s(&[x.wrapping_sub(100)]));
    }
}

#[test]
fn alias_survives_tee_and_retargeted_set() {
    // The add that produces local 1's new value is retargeted into local 1, while an alias of
    // local 1 is still on the stack.
    let wat = r#"(module (func (export "f") (param i32 i32) (result i32 i32)
        local.get 1
        local.get 0 local.get 1 i32.add local.set 1
        local.get 1
        local.get 0 local.tee 1 drop))"#;
    assert_eq!(run(wat, "f", &i32s(&[3, 4])), i32s(&[4, 7]));
    assert_eq!(run(wat, "f", &i32s(&[-1, i32::MIN])), i32s(&[i32::MIN, i32::MAX]));
}

#[test]
fn swap_through_return_of_two_locals() {
    let wat = r#"(module (func (export "f") (param i32 i32) (result i32 i32)
        local.get 1 local.get 0))"#;
    assert_eq!(run(wat, "f", &i32s(&[1, 2])), i32s(&[2, 1]));
    let wat = r#"(module (func (export "f") (param i32 i32) (result i32 i32)
        local.get 1 local.get 0 return))"#;
    assert_eq!(run(wat, "f", &i32s(&[1, 2])), i32s(&[2, 1]));
}

#[test]
fn alias_into_block_and_branch_carrying_values() {
    // A local read before a block whose body overwrites that local; the block result comes from
    // br_if with a value, the fall-through path from a different value.
    let wat = r#"(module (func (export "f") (param i32) (result i32 i32)
        local.get 0
        block (result i32)
          i32.const 5 local.set 0
          local.get 0
          local.get 0 i32.const 5 i32.eq br_if 0
          drop i32.const -1
        end))"#;
    assert_eq!(run(wat, "f", &i32s(&[9])), i32s(&[9, 5]));
}

#[test]
fn loop_parameters_and_br_table_with_values() {
    // A loop with a parameter counts down; br_table picks among labels carrying a value.
    let wat = r#"(module
      (func (export "sum") (param i32) (result i32) (local i32)
        local.get 0
        loop (param i32) (result i32)
          local.tee 0
          local.get 1 i32.add local.set 1
          local.get 0 i32.const 1 i32.sub
          local.get 0 br_if 0
        end
        drop local.get 1)
      (func (export "pick") (param i32) (result i32)
        block (result i32) block (result i32) block (result i32)
          i32.const 10 local.get 0 br_table 0 1 2
        end i32.const 1 i32.add end i32.const 2 i32.add end))"#;
    assert_eq!(run(wat, "sum", &i32s(&[10])), i32s(&[55]));
    assert_eq!(run(wat, "pick", &i32s(&[0])), i32s(&[13]));
    assert_eq!(run(wat, "pick", &i32s(&[1])), i32s(&[12]));
    assert_eq!(run(wat, "pick", &i32s(&[2])), i32s(&[10]));
    assert_eq!(run(wat, "pick", &i32s(&[-1])), i32s(&[10]));
}

#[test]
fn select_feeding_division_traps_only_when_the_selected_divisor_is_zero() {
    // The fusion miscompile other interpreters shipped: a select feeding i32.div_u.
    let wat = r#"(module (func (export "f") (param i32 i32 i32) (result i32)
        i32.const 100
        local.get 0 local.get 1 local.get 2 select
        i32.div_u))"#;
    assert_eq!(run(wat, "f", &i32s(&[0, 5, 0])), i32s(&[20]));
    assert_eq!(run(wat, "f", &i32s(&[4, 0, 1])), i32s(&[25]));
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let err = inst.get_func(&store, "f").unwrap().call(&mut store, &i32s(&[0, 5, 1])).unwrap_err();
    assert_eq!(err.as_trap().map(|t| t.code()), Some(fayasm_exec::TrapCode::IntegerDivideByZero));
}

#[test]
fn retarget_not_across_a_label() {
    // The value set into local 1 comes from two paths merging at `end`; the op before `end`
    // must not be rewritten to write local 1 directly.
    let wat = r#"(module (func (export "f") (param i32) (result i32) (local i32)
        block (result i32)
          i32.const 7
          local.get 0 br_if 0
          drop i32.const 8
        end
        local.set 1 local.get 1))"#;
    assert_eq!(run(wat, "f", &i32s(&[1])), i32s(&[7]));
    assert_eq!(run(wat, "f", &i32s(&[0])), i32s(&[8]));
}
