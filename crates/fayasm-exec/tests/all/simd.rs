//! SIMD (issue #8) through the public API: v128 values through locals, globals (defined,
//! imported, exported), parameters, results, blocks, loops, `if`, `br_table`, typed `select`,
//! direct and indirect calls, host functions and typed calls; memory forms that trap at the last
//! bytes of memory; lane and shuffle indices rejected at decode. Debug builds run the loop
//! backend, `cargo test --release` the tail backend; every test runs with lazy and eager
//! lowering.

use fayasm_exec::{
    CompilationMode, Config, Engine, Global, GlobalType, Linker, Module, Store, TrapCode, V128,
    ValType, Value,
};

fn engines() -> [Engine; 2] {
    let mut lazy = Config::new();
    lazy.compilation_mode(CompilationMode::Lazy);
    let mut eager = Config::new();
    eager.compilation_mode(CompilationMode::Eager);
    [Engine::new(&lazy), Engine::new(&eager)]
}

fn v(x: u128) -> Value {
    Value::V128(x)
}

const A: u128 = 0x0011_2233_4455_6677_8899_aabb_ccdd_eeff;
const B: u128 = 0xfedc_ba98_7654_3210_0123_4567_89ab_cdef;
const K: u128 = 0x0000_000a_0000_0009_0000_0008_0000_0007;

/// Every v128 path that needs no lane operation: the values are built by `v128.const` and
/// arguments, and moved by locals, globals, blocks, branches, selects and calls.
const PLUMBING: &str = r#"(module
  (import "env" "g" (global $imported (mut v128)))
  (import "env" "k" (global $kimp v128))
  (import "env" "twice" (func $host (param v128 i32) (result i32 v128)))
  (type $vv (func (param v128) (result v128)))
  (table 2 funcref) (elem (i32.const 0) $id $swap_halves_id)
  (global $g (export "g") (mut v128) (v128.const i64x2 1 2))
  (global $copy v128 (global.get $kimp))
  (func $id (type $vv) local.get 0)
  (func $swap_halves_id (type $vv) local.get 0)
  (func (export "id") (param v128) (result v128) local.get 0)
  (func (export "const") (result v128) v128.const i64x2 0x1122334455667788 0x99aabbccddeeff00)
  (func (export "locals") (param $a v128) (param $b v128) (result v128 v128) (local $t v128) (local $i i32)
    local.get $a local.set $t local.get $b local.set $a local.get $t local.set $b
    local.get $a local.get $b)
  (func (export "select") (param v128 v128 i32) (result v128)
    local.get 0 local.get 1 local.get 2 select (result v128))
  (func (export "blocks") (param $a v128) (param $c i32) (result v128)
    (block $out (result v128)
      (block $two (result v128)
        local.get $a
        local.get $c br_table $two $out)
      drop v128.const i64x2 5 6))
  (func (export "if") (param v128 v128 i32) (result v128)
    local.get 2 if (result v128) local.get 0 else local.get 1 end)
  (func (export "loop") (param $a v128) (param $n i32) (result v128)
    local.get $a
    loop (param v128) (result v128)
      local.get $n i32.const 1 i32.sub local.tee $n
      br_if 0
    end)
  (func (export "br_if_value") (param $a v128) (param $c i32) (result v128)
    block (result v128) local.get $a local.get $c br_if 0 drop v128.const i64x2 9 9 end)
  (func (export "call") (param v128) (result v128) local.get 0 call $id)
  (func (export "call_indirect") (param v128 i32) (result v128)
    local.get 0 local.get 1 call_indirect (type $vv))
  (func (export "host") (param v128) (result i32 v128) local.get 0 i32.const 5 call $host)
  (func (export "set_g") (param v128) local.get 0 global.set $g)
  (func (export "get_g") (result v128) global.get $g)
  (func (export "get_k") (result v128) global.get $copy)
  (func (export "bump_imported") (param v128) (result v128)
    global.get $imported local.get 0 global.set $imported)
  (func (export "mixed") (param i32 v128 i64 v128 f64) (result f64 v128 i64 v128 i32)
    local.get 4 local.get 3 local.get 2 local.get 1 local.get 0))"#;

fn plumbing(engine: &Engine) -> (Store<()>, fayasm_exec::Instance, Global) {
    let module = Module::new(engine, &wat::parse_str(PLUMBING).unwrap()).unwrap();
    let mut store = Store::new(engine, ());
    let g = Global::new(&mut store, GlobalType { content: ValType::V128, mutable: true }, v(B))
        .unwrap();
    let mut linker = Linker::new(engine);
    linker.define("env", "g", g).unwrap();
    let k = Global::new(&mut store, GlobalType { content: ValType::V128, mutable: false }, v(K))
        .unwrap();
    linker.define("env", "k", k).unwrap();
    linker
        .func_wrap("env", "twice", |x: V128, n: i32| (n * 2, V128::from_u128(x.to_u128() ^ 1)))
        .unwrap();
    let inst = linker.instantiate(&mut store, &module).unwrap();
    (store, inst, g)
}

#[test]
fn v128_through_locals_globals_blocks_selects_and_calls() {
    for engine in engines() {
        let (mut store, inst, imported) = plumbing(&engine);
        let mut call = |name: &str, args: &[Value]| {
            let f = inst.get_func(&store, name).unwrap_or_else(|| panic!("export {name}"));
            f.call(&mut store, args).unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        assert_eq!(call("id", &[v(A)]), [v(A)]);
        assert_eq!(call("const", &[]), [v(0x99aa_bbcc_ddee_ff00_1122_3344_5566_7788)]);
        assert_eq!(call("locals", &[v(A), v(B)]), [v(B), v(A)]);
        assert_eq!(call("select", &[v(A), v(B), Value::I32(1)]), [v(A)]);
        assert_eq!(call("select", &[v(A), v(B), Value::I32(0)]), [v(B)]);
        assert_eq!(call("blocks", &[v(A), Value::I32(0)]), [v(0x6_0000_0000_0000_0005)]);
        assert_eq!(call("blocks", &[v(A), Value::I32(1)]), [v(A)]);
        assert_eq!(call("blocks", &[v(A), Value::I32(7)]), [v(A)]);
        assert_eq!(call("if", &[v(A), v(B), Value::I32(3)]), [v(A)]);
        assert_eq!(call("if", &[v(A), v(B), Value::I32(0)]), [v(B)]);
        assert_eq!(call("loop", &[v(A), Value::I32(10)]), [v(A)]);
        assert_eq!(call("br_if_value", &[v(A), Value::I32(1)]), [v(A)]);
        assert_eq!(call("br_if_value", &[v(A), Value::I32(0)]), [v(0x9_0000_0000_0000_0009)]);
        assert_eq!(call("call", &[v(B)]), [v(B)]);
        assert_eq!(call("call_indirect", &[v(B), Value::I32(1)]), [v(B)]);
        assert_eq!(call("host", &[v(A)]), [Value::I32(10), v(A ^ 1)]);
        assert_eq!(call("get_g", &[]), [v(0x2_0000_0000_0000_0001)]);
        call("set_g", &[v(A)]);
        assert_eq!(call("get_g", &[]), [v(A)]);
        assert_eq!(call("get_k", &[]), [v(K)]);
        assert_eq!(call("bump_imported", &[v(A)]), [v(B)]);
        assert_eq!(call("bump_imported", &[v(1)]), [v(A)]);
        assert_eq!(
            call("mixed", &[Value::I32(-3), v(A), Value::I64(-4), v(B), Value::F64(2.5.into())]),
            [Value::F64(2.5.into()), v(B), Value::I64(-4), v(A), Value::I32(-3)]
        );
        // The host sees the imported and the exported global, both halves.
        assert_eq!(imported.get(&store), v(1));
        let exported = inst.get_global(&store, "g").unwrap();
        assert_eq!(exported.get(&store), v(A));
        exported.set(&mut store, v(B)).unwrap();
        let get_g = inst.get_typed_func::<(), V128>(&store, "get_g").unwrap();
        assert_eq!(get_g.call(&mut store, ()).unwrap(), V128::from_u128(B));
    }
}

#[test]
fn typed_calls_carry_v128_params_and_results() {
    for engine in engines() {
        let (mut store, inst, _) = plumbing(&engine);
        let id = inst.get_typed_func::<V128, V128>(&store, "id").unwrap();
        assert_eq!(id.call(&mut store, V128::from_u128(A)).unwrap(), V128::from_u128(A));
        let mixed = inst
            .get_typed_func::<(i32, V128, i64, V128, f64), (f64, V128, i64, V128, i32)>(
                &store, "mixed",
            )
            .unwrap();
        let (a, b) = (V128::from_u128(A), V128::from_u128(B));
        assert_eq!(mixed.call(&mut store, (1, a, 2, b, 0.5)).unwrap(), (0.5, b, 2, a, 1));
        // A signature that does not match is an error, not a misread.
        assert!(inst.get_typed_func::<i64, V128>(&store, "id").is_err());
    }
}

#[test]
fn snapshots_and_spills_keep_both_halves_of_v128_globals() {
    let engine = Engine::default();
    let (mut store, inst, _) = plumbing(&engine);
    let set_g = inst.get_typed_func::<V128, ()>(&store, "set_g").unwrap();
    let get_g = inst.get_typed_func::<(), V128>(&store, "get_g").unwrap();
    set_g.call(&mut store, V128::from_u128(A)).unwrap();
    store.attach_spill_store(Box::new(fayasm_exec::MemStore::new()));
    inst.spill_globals(&mut store).unwrap();
    assert_eq!(get_g.call(&mut store, ()).unwrap(), V128::from_u128(A));
    let snapshot = inst.snapshot(&mut store).unwrap();
    set_g.call(&mut store, V128::from_u128(B)).unwrap();
    // Restore into a fresh instance of the same module and imports.
    let module = Module::new(&engine, &wat::parse_str(PLUMBING).unwrap()).unwrap();
    let mut store2 = Store::new(&engine, ());
    let g = Global::new(&mut store2, GlobalType { content: ValType::V128, mutable: true }, v(0))
        .unwrap();
    let mut linker = Linker::new(&engine);
    linker.define("env", "g", g).unwrap();
    let k = Global::new(&mut store2, GlobalType { content: ValType::V128, mutable: false }, v(K))
        .unwrap();
    linker.define("env", "k", k).unwrap();
    linker.func_wrap("env", "twice", |x: V128, n: i32| (n, x)).unwrap();
    let restored = linker.instantiate_restored(&mut store2, &module, &snapshot).unwrap();
    let get_g2 = restored.get_typed_func::<(), V128>(&store2, "get_g").unwrap();
    assert_eq!(get_g2.call(&mut store2, ()).unwrap(), V128::from_u128(A));
}

/// Each memory form at the last address where it fits, and one byte further (a trap).
#[test]
fn memory_forms_trap_at_the_last_bytes_of_memory() {
    const PAGE: i32 = 65536;
    let wat = r#"(module (memory 1)
      (func (export "load") (param i32) (result v128) local.get 0 v128.load)
      (func (export "load_offset") (param i32) (result v128) local.get 0 v128.load offset=8)
      (func (export "store") (param i32 v128) local.get 0 local.get 1 v128.store)
      (func (export "load8x8_s") (param i32) (result v128) local.get 0 v128.load8x8_s)
      (func (export "load32_splat") (param i32) (result v128) local.get 0 v128.load32_splat)
      (func (export "load64_zero") (param i32) (result v128) local.get 0 v128.load64_zero)
      (func (export "load16_lane") (param i32 v128) (result v128) local.get 0 local.get 1 v128.load16_lane 7)
      (func (export "load64_lane") (param i32 v128) (result v128) local.get 0 local.get 1 v128.load64_lane offset=1 1)
      (func (export "store8_lane") (param i32 v128) local.get 0 local.get 1 v128.store8_lane 15)
      (func (export "store32_lane") (param i32 v128) local.get 0 local.get 1 v128.store32_lane 3)
      (func (export "byte") (param i32) (result i32) local.get 0 i32.load8_u))"#;
    // (export, access width, extra offset, takes a v128 argument)
    let forms: &[(&str, i32, i32, bool)] = &[
        ("load", 16, 0, false),
        ("load_offset", 16, 8, false),
        ("store", 16, 0, true),
        ("load8x8_s", 8, 0, false),
        ("load32_splat", 4, 0, false),
        ("load64_zero", 8, 0, false),
        ("load16_lane", 2, 0, true),
        ("load64_lane", 8, 1, true),
        ("store8_lane", 1, 0, true),
        ("store32_lane", 4, 0, true),
    ];
    for engine in engines() {
        let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
        let mut store = Store::new(&engine, ());
        let inst = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
        for &(name, width, offset, vector) in forms {
            let f = inst.get_func(&store, name).unwrap();
            let args = |addr: i32| {
                let mut a = vec![Value::I32(addr)];
                if vector {
                    a.push(v(A));
                }
                a
            };
            let last = PAGE - width - offset;
            f.call(&mut store, &args(last)).unwrap_or_else(|e| panic!("{name} at {last}: {e}"));
            for addr in [last + 1, PAGE - 1, PAGE, -1].into_iter().filter(|&a| a > last || a < 0) {
                let err = f.call(&mut store, &args(addr)).expect_err(&format!("{name} at {addr}"));
                let code = err.as_trap().map(|t| t.code());
                assert_eq!(code, Some(TrapCode::MemoryOutOfBounds), "{name} at {addr}");
            }
        }
        // The stores wrote what they should at the very end of memory: the 16 bytes of `A`,
        // little endian, then lane 15 (the top byte) by `store8_lane`.
        let store_v = inst.get_func(&store, "store").unwrap();
        store_v.call(&mut store, &[Value::I32(PAGE - 16), v(A)]).unwrap();
        let byte = inst.get_typed_func::<i32, i32>(&store, "byte").unwrap();
        for (i, b) in A.to_le_bytes().iter().enumerate() {
            assert_eq!(byte.call(&mut store, PAGE - 16 + i as i32).unwrap(), i32::from(*b));
        }
        let load = inst.get_typed_func::<i32, V128>(&store, "load").unwrap();
        assert_eq!(load.call(&mut store, PAGE - 16).unwrap(), V128::from_u128(A));
    }
}

/// A module whose only function uses the SIMD instruction `body` (a v128 on the stack).
fn module_with(body: &str) -> Vec<u8> {
    let wat = format!(
        "(module (memory 1) (func (param v128) (result v128) local.get 0 local.get 0 {body}))"
    );
    wat::parse_str(&wat).expect("the text parser accepts any lane byte")
}

#[test]
fn lane_and_shuffle_indices_are_checked_at_decode() {
    let engine = Engine::default();
    let identity = "i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15";
    assert!(Module::new(&engine, &module_with(identity)).is_ok());
    let bad = [
        "i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 32",
        "drop i8x16.extract_lane_s 16 drop local.get 0",
        "drop i16x8.extract_lane_u 8 drop local.get 0",
        "drop i32x4.extract_lane 4 drop local.get 0",
        "drop i64x2.extract_lane 2 drop local.get 0",
        "drop f64x2.extract_lane 2 drop local.get 0",
        "drop f32.const 1 f32x4.replace_lane 4",
    ];
    for body in bad {
        let err = Module::new(&engine, &module_with(body)).expect_err(body);
        let message = err.to_string();
        assert!(message.contains("lane"), "{body}: {message}");
    }
    // A lane immediate of a memory lane access is checked too.
    let err =
        Module::new(&engine, &module_with("drop drop i32.const 0 local.get 0 v128.load32_lane 4"))
            .expect_err("lane 4 of i32x4");
    assert!(err.to_string().contains("lane"), "{err}");
}
