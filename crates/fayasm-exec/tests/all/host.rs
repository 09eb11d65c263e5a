//! Host functions defined as closures: every `func_wrap` form (with or without the caller,
//! plain values, tuples, `()`, `Result`), untyped (`func_new`, `func_untyped` with
//! `HostCall`), user data in the store, the caller's memory, host traps with messages and
//! downcastable errors, duplicate definitions, and host calls that allocate nothing.

use crate::alloc_count::allocations_during;
use fayasm_exec::{
    Caller, Engine, ErrorKind, FuncType, Linker, Module, Store, Trap, TrapCode, ValType, Value,
};

fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, &wat::parse_str(wat).unwrap()).unwrap()
}

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
    let module = module(&engine, wat);
    let mut linker = Linker::<u32>::new(&engine);
    linker
        .func_wrap("env", "add", |_: Caller<'_, u32>, a: i32, b: i64| Ok(i64::from(a) + b))
        .unwrap()
        .func_wrap("env", "bump", |mut caller: Caller<'_, u32>| {
            *caller.data_mut() += 1;
        })
        .unwrap()
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
        .unwrap()
        .func_wrap("env", "fail", |_: Caller<'_, u32>, code: i32| -> Result<(), Trap> {
            Err(Trap::host(format!("host refused {code}")))
        })
        .unwrap();
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
    assert_eq!(trap.func(), Some(3), "the import that trapped, in the module's index space");
    assert_eq!(trap.instance(), Some(inst));
    assert_eq!(err.to_string(), "trap: host error: host refused 7 (in function 3)");
}

#[test]
fn every_closure_form_compiles_and_runs() {
    let engine = Engine::default();
    let wat = r#"(module
        (import "env" "add" (func $add (param i32 i32) (result i32)))
        (import "env" "pair" (func $pair (param i64) (result i64 f32)))
        (import "env" "nothing" (func $nothing))
        (import "env" "ok" (func $ok (param f64) (result f64)))
        (import "env" "caller_tuple" (func $ct (param i32) (result i32 i32)))
        (import "env" "caller_result_tuple" (func $crt (result i64 i64)))
        (import "env" "unsigned" (func $unsigned (param i32 i64) (result i64)))
        (import "env" "sixteen" (func $sixteen
            (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
        (func (export "add") (result i32) i32.const 40 i32.const 2 call $add)
        (func (export "pair") (result i64 f32) i64.const 5 call $pair)
        (func (export "nothing") call $nothing)
        (func (export "ok") (result f64) f64.const 2 call $ok)
        (func (export "ct") (result i32 i32) i32.const 3 call $ct)
        (func (export "crt") (result i64 i64) call $crt)
        (func (export "unsigned") (result i64) i32.const -1 i64.const 1 call $unsigned)
        (func (export "sixteen") (result i32)
          i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5 i32.const 6 i32.const 7
          i32.const 8 i32.const 9 i32.const 10 i32.const 11 i32.const 12 i32.const 13
          i32.const 14 i32.const 15 i32.const 16 call $sixteen))"#;
    let module = module(&engine, wat);
    let mut linker = Linker::<Vec<&'static str>>::new(&engine);
    linker.func_wrap("env", "add", |a: i32, b: i32| a + b).unwrap();
    linker.func_wrap("env", "pair", |x: i64| (x * 2, x as f32 / 2.0)).unwrap();
    linker
        .func_wrap("env", "nothing", |mut c: Caller<'_, Vec<&'static str>>| {
            c.data_mut().push("nothing")
        })
        .unwrap();
    linker.func_wrap("env", "ok", |x: f64| -> Result<f64, Trap> { Ok(x * x) }).unwrap();
    linker
        .func_wrap("env", "caller_tuple", |c: Caller<'_, Vec<&'static str>>, x: i32| {
            (x, c.data().len() as i32)
        })
        .unwrap();
    linker
        .func_wrap(
            "env",
            "caller_result_tuple",
            |mut c: Caller<'_, Vec<&'static str>>| -> Result<(i64, i64), Trap> {
                c.data_mut().push("crt");
                Ok((-1, 1))
            },
        )
        .unwrap();
    linker.func_wrap("env", "unsigned", |a: u32, b: u64| u64::from(a) + b).unwrap();
    linker
        .func_wrap(
            "env",
            "sixteen",
            |a: i32,
             b: i32,
             c: i32,
             d: i32,
             e: i32,
             f: i32,
             g: i32,
             h: i32,
             i: i32,
             j: i32,
             k: i32,
             l: i32,
             m: i32,
             n: i32,
             o: i32,
             p: i32| {
                // Weights keep the order of the arguments visible in the sum.
                [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p]
                    .iter()
                    .enumerate()
                    .map(|(w, v)| (w as i32 + 1) * v)
                    .sum::<i32>()
            },
        )
        .unwrap();
    let mut store = Store::new(&engine, Vec::new());
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let call = |store: &mut Store<_>, name: &str| {
        inst.get_func(&*store, name).unwrap().call(store, &[]).unwrap()
    };
    assert_eq!(call(&mut store, "add"), [Value::I32(42)]);
    assert_eq!(call(&mut store, "pair"), [Value::I64(10), Value::from(2.5f32)]);
    assert_eq!(call(&mut store, "nothing"), []);
    assert_eq!(call(&mut store, "ok"), [Value::from(4.0f64)]);
    assert_eq!(call(&mut store, "ct"), [Value::I32(3), Value::I32(1)]);
    assert_eq!(call(&mut store, "crt"), [Value::I64(-1), Value::I64(1)]);
    assert_eq!(call(&mut store, "unsigned"), [Value::I64(0x1_0000_0000)]);
    let want: i32 = (1..=16).map(|v| v * v).sum();
    assert_eq!(call(&mut store, "sixteen"), [Value::I32(want)]);
    assert_eq!(store.data(), &["nothing", "crt"]);
    // Called directly, not from wasm, a wrapped function works the same.
    let add = linker.get(&mut store, "env", "add").unwrap().into_func().unwrap();
    assert_eq!(add.typed::<(i32, i32), i32>(&store).unwrap().call(&mut store, (1, 2)).unwrap(), 3);
}

#[test]
fn host_call_accessors_check_index_and_type() {
    let engine = Engine::default();
    let wat = r#"(module
        (import "env" "mix" (func $mix (param i32 i64 f32 f64) (result f64 i32)))
        (import "env" "misuse" (func $misuse (param i32) (result i32)))
        (func (export "mix") (result f64 i32)
          i32.const 2 i64.const 3 f32.const 0.5 f64.const 0.25 call $mix)
        (func (export "misuse") (param i32) (result i32) local.get 0 call $misuse))"#;
    let module = module(&engine, wat);
    let mut linker = Linker::<()>::new(&engine);
    let mix_ty = FuncType::new(
        [ValType::I32, ValType::I64, ValType::F32, ValType::F64],
        [ValType::F64, ValType::I32],
    );
    linker
        .func_untyped("env", "mix", mix_ty, |_, mut call| {
            assert_eq!(call.params().len(), 4);
            assert_eq!(call.results(), [ValType::F64, ValType::I32]);
            let sum = f64::from(call.arg_i32(0)?)
                + call.arg_i64(1)? as f64
                + f64::from(call.arg_f32(2)?)
                + call.arg_f64(3)?;
            // Results do not overwrite arguments still to be read.
            call.set_i32(1, call.arg_i32(0)? * 10)?;
            assert_eq!(call.arg(3)?, Value::from(0.25f64));
            call.set(0, Value::from(sum))
        })
        .unwrap();
    linker
        .func_untyped(
            "env",
            "misuse",
            FuncType::new([ValType::I32], [ValType::I32]),
            |_, mut call| match call.arg_i32(0)? {
                0 => call.arg_i32(1).map(drop),
                1 => call.arg_f64(0).map(drop),
                2 => call.set_i64(0, 1),
                3 => call.set(0, Value::F32(1.0f32.into())),
                4 => call.set_i32(5, 1),
                _ => Ok(()), // result left unset: zero
            },
        )
        .unwrap();
    let mut store = Store::new(&engine, ());
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let mix = inst.get_typed_func::<(), (f64, i32)>(&store, "mix").unwrap();
    assert_eq!(mix.call(&mut store, ()).unwrap(), (5.75, 20));
    let misuse = inst.get_typed_func::<i32, i32>(&store, "misuse").unwrap();
    let expected = [
        "host function has no argument 1 (it has 1)",
        "host function argument 0 is i32, not f64",
        "host function result 0 is i32, not i64",
        "host function result 0 is i32, not f32",
        "host function has no result 5 (it has 1)",
    ];
    for (case, want) in expected.iter().enumerate() {
        let err = misuse.call(&mut store, case as i32).unwrap_err();
        let trap = err.as_trap().expect("a trap, not a panic");
        assert_eq!(trap.code(), TrapCode::HostError);
        assert_eq!(trap.message(), Some(*want), "case {case}");
    }
    assert_eq!(misuse.call(&mut store, 9).unwrap(), 0);
}

#[test]
fn func_new_results_of_the_wrong_type_trap() {
    let engine = Engine::default();
    let module = module(
        &engine,
        r#"(module (import "env" "f" (func $f (result i32)))
            (func (export "f") (result i32) call $f))"#,
    );
    let mut linker = Linker::<()>::new(&engine);
    linker
        .func_new("env", "f", FuncType::new([], [ValType::I32]), |_, _, r| {
            r[0] = Value::I64(1);
            Ok(())
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let err = inst.get_func(&store, "f").unwrap().call(&mut store, &[]).unwrap_err();
    assert_eq!(err.as_trap().unwrap().message(), Some("host function result 0 is i32, not i64"));
}

#[derive(Debug, PartialEq)]
struct Quota {
    asked: i32,
}
impl std::fmt::Display for Quota {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "quota exceeded: asked for {}", self.asked)
    }
}
impl std::error::Error for Quota {}

#[test]
fn host_traps_carry_a_downcastable_error() {
    let engine = Engine::default();
    let module = module(
        &engine,
        r#"(module (import "env" "take" (func $take (param i32) (result i32)))
            (func (export "run") (param i32) (result i32) local.get 0 call $take))"#,
    );
    let mut linker = Linker::<()>::new(&engine);
    linker
        .func_wrap("env", "take", |n: i32| {
            if n > 10 { Err(Trap::from_error(Quota { asked: n })) } else { Ok(n) }
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let run = inst.get_typed_func::<i32, i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 3).unwrap(), 3);
    let err = run.call(&mut store, 11).unwrap_err();
    let trap = err.as_trap().unwrap();
    assert_eq!(trap.code(), TrapCode::HostError);
    assert_eq!(trap.downcast_ref::<Quota>(), Some(&Quota { asked: 11 }));
    assert_eq!(trap.message(), Some("quota exceeded: asked for 11"));
    // The chain of sources reaches the host's value.
    let source = std::error::Error::source(&err).and_then(std::error::Error::source).unwrap();
    assert_eq!(source.downcast_ref::<Quota>(), Some(&Quota { asked: 11 }));
}

#[test]
fn caller_reads_and_writes_memory_with_bounds_checks() {
    let engine = Engine::default();
    let module = module(
        &engine,
        r#"(module
            (import "env" "upper" (func $upper (param i32 i32) (result i32)))
            (memory (export "memory") 1)
            (data (i32.const 16) "hello")
            (func (export "run") (param i32 i32) (result i32)
              local.get 0 local.get 1 call $upper))"#,
    );
    let mut linker = Linker::<()>::new(&engine);
    linker
        .func_wrap("env", "upper", |mut caller: Caller<'_, ()>, ptr: i32, len: i32| {
            let mut buf = vec![0; len as usize];
            if let Err(e) = caller.read_memory(ptr as u32 as u64, &mut buf) {
                return Err(Trap::host(e.to_string()));
            }
            buf.make_ascii_uppercase();
            caller.write_memory(ptr as u32 as u64, &buf).map_err(|e| Trap::host(e.to_string()))?;
            Ok(len)
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let run = inst.get_typed_func::<(i32, i32), i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, (16, 5)).unwrap(), 5);
    let mem = inst.get_memory(&store, "memory").unwrap();
    assert_eq!(&mem.data(&store)[16..21], b"HELLO");
    let err = run.call(&mut store, (65534, 4)).unwrap_err();
    assert_eq!(
        err.as_trap().unwrap().message(),
        Some("out of bounds: 4 byte(s) at offset 65534 do not fit a memory of 65536 bytes")
    );
    // The API refuses the same range.
    let mut four = [0; 4];
    let err = mem.read(&store, 65534, &mut four).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::OutOfBounds(_)), "{err}");
    assert!(mem.write(&mut store, u64::MAX, b"x").is_err(), "offset overflow is an error");
}

#[test]
fn a_host_function_called_from_the_api_has_no_memory() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let f = fayasm_exec::Func::wrap(&mut store, |caller: Caller<'_, ()>| {
        caller.read_memory(0, &mut [0; 1]).map_err(|e| Trap::host(e.to_string()))
    });
    let err = f.call(&mut store, &[]).unwrap_err();
    assert_eq!(
        err.as_trap().unwrap().message(),
        Some("export error: the caller has no linear memory")
    );
}

#[test]
fn defining_a_name_twice_is_an_error_unless_shadowing_is_allowed() {
    let engine = Engine::default();
    let module = module(
        &engine,
        r#"(module (import "env" "f" (func $f (result i32)))
            (func (export "f") (result i32) call $f))"#,
    );
    let mut linker = Linker::<()>::new(&engine);
    linker.func_wrap("env", "f", || 1).unwrap();
    let err = linker.func_wrap("env", "f", || 2).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Duplicate(_)), "{err}");
    assert_eq!(
        err.to_string(),
        "duplicate definition: env.f is already defined (see Linker::allow_shadowing)"
    );
    let mut store = Store::new(&engine, ());
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let f = inst.get_typed_func::<(), i32>(&store, "f").unwrap();
    assert_eq!(f.call(&mut store, ()).unwrap(), 1, "the refused definition changed nothing");

    linker.allow_shadowing(true);
    linker.func_wrap("env", "f", || 2).unwrap();
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let f = inst.get_typed_func::<(), i32>(&store, "f").unwrap();
    assert_eq!(f.call(&mut store, ()).unwrap(), 2, "the later definition wins");
}

#[test]
fn wrapped_signature_mismatch_is_a_link_error() {
    let engine = Engine::default();
    let wat = r#"(module (import "env" "f" (func (param i32) (result i32))))"#;
    let module = module(&engine, wat);
    let mut linker = Linker::<()>::new(&engine);
    linker.func_wrap("env", "f", |_: Caller<'_, ()>, x: i64| Ok(x)).unwrap();
    let mut store = Store::new(&engine, ());
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert_eq!(
        err.to_string(),
        "link error: incompatible imports: incompatible import type for env.f: \
         expected func (i32) -> i32, found func (i64) -> i64"
    );
}

#[test]
fn host_calls_and_typed_calls_allocate_nothing() {
    let engine = Engine::default();
    let module = module(
        &engine,
        r#"(module
            (import "env" "typed" (func $typed (param i32 i64) (result i64)))
            (import "env" "untyped" (func $untyped (param i32) (result i32)))
            (import "env" "values" (func $values (param i32) (result i32)))
            (func (export "run") (param i32) (result i64)
              (local $i i32) (local $acc i64)
              (loop $l
                (local.set $acc (call $typed (local.get $i) (local.get $acc)))
                (local.set $acc (i64.add (local.get $acc)
                  (i64.extend_i32_u (call $untyped (call $values (local.get $i))))))
                (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                    (local.get 0))))
              local.get $acc))"#,
    );
    let mut linker = Linker::<u64>::new(&engine);
    linker
        .func_wrap("env", "typed", |mut c: Caller<'_, u64>, i: i32, acc: i64| {
            *c.data_mut() += 1;
            acc + i64::from(i)
        })
        .unwrap();
    linker
        .func_untyped(
            "env",
            "untyped",
            FuncType::new([ValType::I32], [ValType::I32]),
            |_, mut c| c.set_i32(0, c.arg_i32(0)? & 1),
        )
        .unwrap();
    linker
        .func_new("env", "values", FuncType::new([ValType::I32], [ValType::I32]), |_, p, r| {
            r[0] = p[0];
            Ok(())
        })
        .unwrap();
    let mut store = Store::new(&engine, 0);
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let run = inst.get_typed_func::<i32, i64>(&store, "run").unwrap();
    // Warm up: lowers the code, grows the value stack and the host value buffer once.
    assert_eq!(run.call(&mut store, 10).unwrap(), 45 + 5);
    let (_, counted) = allocations_during(|| vec![0u8; 8]);
    assert_eq!(counted, 1, "the counter sees allocations");
    let (result, allocations) = allocations_during(|| run.call(&mut store, 1000));
    assert_eq!(result.unwrap(), 499_500 + 500);
    assert_eq!(allocations, 0, "3000 host calls and a typed call allocated");
    assert_eq!(*store.data(), 1010);
}

#[test]
fn host_functions_call_back_into_wasm_and_grow_the_store() {
    let engine = Engine::default();
    let module = module(
        &engine,
        r#"(module
            (import "env" "back" (func $back (param i32) (result i32)))
            (global $g (mut i32) (i32.const 0))
            (memory (export "memory") 1)
            ;; countdown(n): n == 0 ? 0 : n + back(n - 1), where the host calls countdown again.
            (func $countdown (export "countdown") (param i32) (result i32)
              (global.set $g (i32.add (global.get $g) (i32.const 1)))
              (if (result i32) (i32.eqz (local.get 0))
                (then (i32.const 0))
                (else (i32.add (local.get 0)
                  (call $back (i32.sub (local.get 0) (i32.const 1)))))))
            (func (export "calls") (result i32) global.get $g)
            ;; fail(n): n == 0 traps, else back(n - 1), where the host calls fail again.
            (func (export "fail") (param i32) (result i32)
              (if (i32.eqz (local.get 0)) (then unreachable))
              (call $back (i32.sub (local.get 0) (i32.const 1)))))"#,
    );
    let mut linker = Linker::<u32>::new(&engine);
    linker
        .func_wrap("env", "back", |mut caller: Caller<'_, u32>, n: i32| -> Result<i32, Trap> {
            *caller.data_mut() += 1;
            // Grow the store's globals and host functions while wasm frames are live.
            let ty = fayasm_exec::GlobalType { content: ValType::I64, mutable: false };
            fayasm_exec::Global::new(&mut caller, ty, Value::I64(i64::from(n)))
                .map_err(|e| Trap::host(e.to_string()))?;
            fayasm_exec::Func::wrap(&mut caller, || 0i32);
            let name = if *caller.data() > 1000 { "fail" } else { "countdown" };
            let f = caller.get_export(name).and_then(|e| e.into_func()).unwrap();
            let f = f.typed::<i32, i32>(&caller).map_err(|e| Trap::host(e.to_string()))?;
            f.call(&mut caller, n).map_err(|e| match e.into_trap() {
                Ok(t) => t,
                Err(e) => Trap::host(e.to_string()),
            })
        })
        .unwrap();
    let mut store = Store::new(&engine, 0);
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let countdown = inst.get_typed_func::<i32, i32>(&store, "countdown").unwrap();
    assert_eq!(countdown.call(&mut store, 20).unwrap(), 210, "20 + 19 + ... + 1 through the host");
    assert_eq!(*store.data(), 20, "one host call per level");
    let calls = inst.get_typed_func::<(), i32>(&store, "calls").unwrap();
    assert_eq!(calls.call(&mut store, ()).unwrap(), 21, "globals stay right across re-entry");
    // A trap under three host frames surfaces through every one of them.
    *store.data_mut() = 1000;
    let fail = inst.get_typed_func::<i32, i32>(&store, "fail").unwrap();
    let err = fail.call(&mut store, 3).unwrap_err();
    assert_eq!(err.as_trap().unwrap().code(), TrapCode::Unreachable);
    assert_eq!(*store.data(), 1003);
    *store.data_mut() = 0;
    assert_eq!(countdown.call(&mut store, 3).unwrap(), 6, "the store still works after a trap");
}
