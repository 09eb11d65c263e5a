//! Tail calls (`return_call`, `return_call_indirect`): constant frame depth over millions of
//! calls, callee frames larger and smaller than the caller's, overlapping argument moves,
//! locals zeroed, indirect, host and cross-instance callees, traps.

use fayasm_exec::{Config, Engine, Linker, Module, Store, TrapCode, Value};

/// Ten million tail calls in optimised builds; debug builds (the portable loop, unoptimised)
/// run a million, which already exceeds any frame-depth limit a leak would hit.
const DEEP: i64 = if cfg!(debug_assertions) { 1_000_000 } else { 10_000_000 };

fn instance(engine: &Engine, wat: &str) -> (Store<()>, fayasm_exec::Instance) {
    let module = Module::new(engine, &wat::parse_str(wat).expect("valid wat")).expect("module");
    let mut store = Store::new(engine, ());
    let inst = Linker::new(engine).instantiate(&mut store, &module).expect("instantiate");
    (store, inst)
}

/// `$even` and `$odd` tail-call each other; `$odd` has a larger frame (more parameters and
/// locals) than `$even`, and checks that its declared locals arrive zeroed though `$even`'s
/// frame held other values in those cells. A direct and an indirect variant.
const MUTUAL: &str = r#"(module
  (type $even_t (func (param i64 i64) (result i64)))
  (type $odd_t (func (param i64 i64 i64) (result i64)))
  (table 2 funcref) (elem (i32.const 0) $even_i $odd_i)
  (func $even (param $n i64) (param $acc i64) (result i64) (local $junk i64)
    i64.const -1 local.set $junk
    local.get $n i64.eqz if local.get $acc return end
    local.get $n i64.const 1 i64.sub local.get $acc i64.const 1 i64.add local.get $junk
    return_call $odd)
  (func $odd (param $n i64) (param $acc i64) (param $extra i64) (result i64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64)
    local.get $a local.get $b i64.or local.get $c i64.or local.get $d i64.or
    i64.eqz i32.eqz if unreachable end
    i64.const 7 local.set $a i64.const 7 local.set $b i64.const 7 local.set $c i64.const 7 local.set $d
    local.get $extra i64.const -1 i64.ne if unreachable end
    local.get $n i64.eqz if local.get $acc return end
    local.get $n i64.const 1 i64.sub local.get $acc i64.const 1 i64.add
    return_call $even)
  (func $even_i (param $n i64) (param $acc i64) (result i64)
    local.get $n i64.eqz if local.get $acc return end
    local.get $n i64.const 1 i64.sub local.get $acc i64.const 1 i64.add i64.const -1
    i32.const 1 return_call_indirect (type $odd_t))
  (func $odd_i (param $n i64) (param $acc i64) (param $extra i64) (result i64) (local $a i64)
    local.get $a i64.eqz i32.eqz if unreachable end
    i64.const 9 local.set $a
    local.get $n i64.eqz if local.get $acc return end
    local.get $n i64.const 1 i64.sub local.get $acc i64.const 1 i64.add
    i32.const 0 return_call_indirect (type $even_t))
  (func (export "run") (param i64) (result i64) local.get 0 i64.const 0 call $even)
  (func (export "run_indirect") (param i64) (result i64) local.get 0 i64.const 0 call $even_i)
  (func (export "tail_from_entry") (param i64) (result i64) local.get 0 i64.const 0 return_call $even))"#;

#[test]
fn mutual_tail_recursion_runs_in_constant_frame_depth() {
    // Two frames at most: the export and the running function (the entry function itself has
    // no pushed frame). A tail call that pushed a frame would trap at once.
    let engine = Engine::new(Config::new().max_call_depth(2));
    let (mut store, inst) = instance(&engine, MUTUAL);
    for export in ["run", "run_indirect", "tail_from_entry"] {
        let f = inst.get_typed_func::<i64, i64>(&store, export).unwrap();
        assert_eq!(f.call(&mut store, DEEP).unwrap(), DEEP, "{export}");
        assert_eq!(f.call(&mut store, 0).unwrap(), 0, "{export}");
        assert_eq!(f.call(&mut store, 1).unwrap(), 1, "{export}");
    }
}

#[test]
fn plain_recursion_still_hits_the_depth_limit() {
    // The same depth limit with a non-tail call traps: the limit is real.
    let engine = Engine::new(Config::new().max_call_depth(2));
    let (mut store, inst) = instance(
        &engine,
        r#"(module (func $f (export "f") (param i64) (result i64)
          local.get 0 i64.eqz if i64.const 0 return end
          local.get 0 i64.const 1 i64.sub call $f))"#,
    );
    let f = inst.get_typed_func::<i64, i64>(&store, "f").unwrap();
    let err = f.call(&mut store, 10).unwrap_err();
    assert_eq!(err.as_trap().map(|t| t.code()), Some(TrapCode::StackOverflow));
}

#[test]
fn overlapping_argument_moves_and_frame_growth() {
    // `$small` has one parameter and no locals: its tail call's three arguments start at slot
    // 1, so moving them to slot 0 overlaps. `$big` needs a frame far larger than the stack a
    // small entry reserves, so the tail call grows the stack; it then tail-calls back into a
    // function with a smaller frame.
    let mut locals = String::new();
    for _ in 0..2000 {
        locals.push_str(" i64");
    }
    let wat = format!(
        r#"(module
      (func $small (export "small") (param i64) (result i64)
        local.get 0 i64.const 10 i64.const 100 return_call $three)
      (func $three (param i64 i64 i64) (result i64)
        local.get 0 i64.const 1000 i64.mul local.get 1 i64.const 10 i64.mul i64.add local.get 2 i64.add)
      (func (export "grow") (param i64) (result i64)
        local.get 0 i64.const 2 i64.const 3 return_call $big)
      (func $big (param i64 i64 i64) (result i64) (local{locals})
        local.get 1999 i64.eqz i32.eqz if unreachable end
        i64.const 5 local.set 1999
        local.get 0 local.get 1 i64.add local.get 2 i64.add return_call $small))"#
    );
    let engine = Engine::new(Config::new().max_call_depth(1));
    let (mut store, inst) = instance(&engine, &wat);
    let small = inst.get_typed_func::<i64, i64>(&store, "small").unwrap();
    assert_eq!(small.call(&mut store, 7).unwrap(), 7 * 1000 + 10 * 10 + 100);
    let grow = inst.get_typed_func::<i64, i64>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 1).unwrap(), 6 * 1000 + 10 * 10 + 100);
}

#[test]
fn tail_calls_to_host_functions_and_other_instances() {
    let engine = Engine::new(Config::new().max_call_depth(3));
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker.func_wrap("env", "add", |a: i64, b: i64| a + b).unwrap();
    let lib = Module::new(
        &engine,
        &wat::parse_str(
            r#"(module (memory (export "mem") 1)
          (func (export "count") (param i64) (result i64)
            local.get 0 i64.eqz if i32.const 0 i32.load i64.extend_i32_u return end
            i32.const 0 i32.const 0 i32.load i32.const 1 i32.add i32.store
            local.get 0 i64.const 1 i64.sub return_call 0))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let lib = linker.instantiate(&mut store, &lib).unwrap();
    linker.instance(&mut store, "lib", lib).unwrap();
    let main = Module::new(
        &engine,
        &wat::parse_str(
            r#"(module
          (import "env" "add" (func $add (param i64 i64) (result i64)))
          (import "lib" "count" (func $count (param i64) (result i64)))
          (type $bin (func (param i64 i64) (result i64)))
          (table 1 funcref) (elem (i32.const 0) $add)
          (memory 1)
          (func $add_tail (export "add_tail") (param i64 i64) (result i64)
            local.get 0 local.get 1 return_call $add)
          (func (export "add_tail_nested") (param i64 i64) (result i64)
            local.get 0 local.get 1 call $add_tail i64.const 1 i64.add)
          (func (export "add_tail_indirect") (param i64 i64) (result i64)
            local.get 0 local.get 1 i32.const 0 return_call_indirect (type $bin))
          (func (export "count_tail") (param i64) (result i64)
            i32.const 0 i32.const 77 i32.store
            local.get 0 return_call $count)
          (func (export "count_nested") (param i64) (result i64)
            (local i64)
            local.get 0 call $count local.set 1
            i32.const 0 i32.load i64.extend_i32_u local.get 1 i64.add))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let main = linker.instantiate(&mut store, &main).unwrap();
    let call = |store: &mut Store<()>, name: &str, args: &[Value]| {
        main.get_func(&*store, name).unwrap().call(store, args).unwrap()
    };
    assert_eq!(call(&mut store, "add_tail", &[Value::I64(40), Value::I64(2)]), [Value::I64(42)]);
    assert_eq!(
        call(&mut store, "add_tail_nested", &[Value::I64(40), Value::I64(2)]),
        [Value::I64(43)]
    );
    assert_eq!(
        call(&mut store, "add_tail_indirect", &[Value::I64(5), Value::I64(6)]),
        [Value::I64(11)]
    );
    // The other instance counts in its own memory, a hundred thousand tail calls deep, and the
    // caller's memory (77 at address 0) is untouched by it.
    assert_eq!(call(&mut store, "count_tail", &[Value::I64(100_000)]), [Value::I64(100_000)]);
    assert_eq!(call(&mut store, "count_nested", &[Value::I64(10)]), [Value::I64(100_010 + 77)]);
}

#[test]
fn tail_call_traps_name_the_callee_and_check_types() {
    let engine = Engine::default();
    let (mut store, inst) = instance(
        &engine,
        r#"(module
      (type $i (func (param i32) (result i32)))
      (type $l (func (param i64) (result i32)))
      (table 3 funcref) (elem (i32.const 0) $boom $wrong)
      (func $boom (param i32) (result i32) unreachable)
      (func $wrong (param i64) (result i32) i32.const 0)
      (func (export "direct") (param i32) (result i32) local.get 0 return_call $boom)
      (func (export "indirect") (param i32 i32) (result i32)
        local.get 0 local.get 1 return_call_indirect (type $i)))"#,
    );
    let code = |store: &mut Store<()>, name: &str, args: &[Value]| {
        let f = inst.get_func(&*store, name).unwrap();
        let e = f.call(store, args).unwrap_err();
        e.as_trap().map(|t| t.code())
    };
    assert_eq!(code(&mut store, "direct", &[Value::I32(1)]), Some(TrapCode::Unreachable));
    let ind = |i| [Value::I32(1), Value::I32(i)];
    assert_eq!(code(&mut store, "indirect", &ind(0)), Some(TrapCode::Unreachable));
    assert_eq!(code(&mut store, "indirect", &ind(1)), Some(TrapCode::IndirectCallTypeMismatch));
    assert_eq!(code(&mut store, "indirect", &ind(2)), Some(TrapCode::UninitializedElement));
    assert_eq!(code(&mut store, "indirect", &ind(3)), Some(TrapCode::UndefinedElement));
    // The trap names the function that trapped: the tail-called `$boom` (function 0).
    let f = inst.get_func(&store, "direct").unwrap();
    let e = f.call(&mut store, &[Value::I32(1)]).unwrap_err();
    assert_eq!(e.as_trap().and_then(|t| t.func()), Some(0));
}
