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

/// Every SIMD memory form on memory 0, on memory 1 (multi-memory) and on a 64-bit memory 2:
/// the forms that name their memory give what memory 0's fast forms give, bit for bit, at the
/// same addresses and offsets, trap at the same last bytes, and a 64-bit address or offset
/// beyond 4 GiB traps instead of wrapping. The lowering check makes sure the named forms ran.
#[test]
fn memory_forms_on_every_memory_match_memory_0() {
    const PAGE: i64 = 65536;
    // (name, instruction, access width, takes a v128 operand, stores)
    let forms: &[(&str, &str, i64, bool, bool)] = &[
        ("load", "v128.load offset=3", 16, false, false),
        ("load8x8_s", "v128.load8x8_s offset=3", 8, false, false),
        ("load8x8_u", "v128.load8x8_u offset=3", 8, false, false),
        ("load16x4_s", "v128.load16x4_s offset=3", 8, false, false),
        ("load16x4_u", "v128.load16x4_u offset=3", 8, false, false),
        ("load32x2_s", "v128.load32x2_s offset=3", 8, false, false),
        ("load32x2_u", "v128.load32x2_u offset=3", 8, false, false),
        ("load8_splat", "v128.load8_splat offset=3", 1, false, false),
        ("load16_splat", "v128.load16_splat offset=3", 2, false, false),
        ("load32_splat", "v128.load32_splat offset=3", 4, false, false),
        ("load64_splat", "v128.load64_splat offset=3", 8, false, false),
        ("load32_zero", "v128.load32_zero offset=3", 4, false, false),
        ("load64_zero", "v128.load64_zero offset=3", 8, false, false),
        ("load8_lane", "v128.load8_lane offset=3 15", 1, true, false),
        ("load16_lane", "v128.load16_lane offset=3 6", 2, true, false),
        ("load32_lane", "v128.load32_lane offset=3 1", 4, true, false),
        ("load64_lane", "v128.load64_lane offset=3 1", 8, true, false),
        ("store", "v128.store offset=3", 16, true, true),
        ("store8_lane", "v128.store8_lane offset=3 14", 1, true, true),
        ("store16_lane", "v128.store16_lane offset=3 7", 2, true, true),
        ("store32_lane", "v128.store32_lane offset=3 2", 4, true, true),
        ("store64_lane", "v128.store64_lane offset=3 0", 8, true, true),
    ];
    // Memory `m` (0 and 1 are 32-bit, 2 is 64-bit) holds the same bytes everywhere; `read` is
    // the 16 bytes at an address, to see what a store wrote.
    let mut funcs = String::new();
    for m in 0..3 {
        let at = if m == 2 { "i64" } else { "i32" };
        for &(name, instr, _, vector, stores) in forms {
            let instr = instr.replacen(' ', &format!(" {m} "), 1);
            let (param, get_v, result) = if vector {
                (" (param v128)", " local.get 1", if stores { "" } else { " (result v128)" })
            } else {
                ("", "", " (result v128)")
            };
            funcs.push_str(&format!(
                "(func (export \"{name}_{m}\") (param {at}){param}{result} local.get 0{get_v} {instr})\n"
            ));
        }
        funcs.push_str(&format!(
            "(func (export \"read_{m}\") (param {at}) (result v128) local.get 0 v128.load {m})\n"
        ));
    }
    // Offsets beyond 32 bits are only valid on the 64-bit memory.
    funcs.push_str(
        "(func (export \"far_offset\") (param i64) (result v128) local.get 0 v128.load 2 offset=0x100000000)\n",
    );
    let fill = "(data (memory 0) (i32.const 0) \"\\00\\81\\02\\f3\\04\\85\\06\\77\\08\\89\\0a\\fb\\0c\\8d\\0e\\7f\\10\\91\\12\\e3\\14\\95\\16\\87\\18\\99\\1a\\8b\\1c\\9d\\1e\\8f\")";
    let wat = format!(
        "(module (memory 1) (memory 1) (memory i64 1) {fill} {} {} {funcs})",
        fill.replace("(memory 0)", "(memory 1)"),
        fill.replace("(memory 0) (i32.const 0)", "(memory 2) (i64.const 0)")
    );
    let bytes = wat::parse_str(&wat).expect("valid wat");
    for engine in engines() {
        let module = Module::new(&engine, &bytes).unwrap();
        let mut store = Store::new(&engine, ());
        let inst = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
        let addr = |m: usize, a: i64| if m == 2 { Value::I64(a) } else { Value::I32(a as i32) };
        for &(name, _, width, vector, stores) in forms {
            let last = PAGE - width - 3;
            for a in [0, 5, 13, last] {
                let mut results = Vec::new();
                for m in 0..3 {
                    let f = inst.get_func(&store, &format!("{name}_{m}")).unwrap();
                    let mut args = vec![addr(m, a)];
                    if vector {
                        args.push(v(A));
                    }
                    let r = f.call(&mut store, &args).unwrap_or_else(|e| panic!("{name}_{m}: {e}"));
                    let r = if stores {
                        let read = inst.get_func(&store, &format!("read_{m}")).unwrap();
                        let back = (a + 3).min(PAGE - 16);
                        read.call(&mut store, &[addr(m, back)]).unwrap()
                    } else {
                        r
                    };
                    results.push(r);
                }
                assert_eq!(results[0], results[1], "{name} at {a}: memory 1 differs from memory 0");
                assert_eq!(results[0], results[2], "{name} at {a}: memory 2 differs from memory 0");
            }
            for m in 0..3 {
                let f = inst.get_func(&store, &format!("{name}_{m}")).unwrap();
                let mut bad = vec![last + 1, PAGE, u32::MAX as i64];
                if m == 2 {
                    bad.extend([1 << 32, i64::MAX, -1]);
                }
                for a in bad {
                    let mut args = vec![addr(m, a)];
                    if vector {
                        args.push(v(A));
                    }
                    let err = f.call(&mut store, &args).expect_err(&format!("{name}_{m} at {a}"));
                    let code = err.as_trap().map(|t| t.code());
                    assert_eq!(code, Some(TrapCode::MemoryOutOfBounds), "{name}_{m} at {a}");
                }
            }
        }
        let far = inst.get_typed_func::<i64, V128>(&store, "far_offset").unwrap();
        for a in [0, -(1 << 32), 1] {
            let err = far.call(&mut store, a).expect_err("offset beyond 4 GiB");
            assert_eq!(err.as_trap().map(|t| t.code()), Some(TrapCode::MemoryOutOfBounds));
        }
        // The accesses of memories 1 and 2 ran as the instructions that name their memory,
        // memory 0's as the fast forms.
        let first = module.info().num_imported_funcs;
        let count = module.info().bodies.len() as u32;
        let (mut named, mut fast) = (0, 0);
        for func in first..first + count {
            let ops = module.lower_function(func).unwrap().unwrap().ops;
            named += ops.iter().filter(|op| op.opcode().names_memory()).count();
            fast += ops
                .iter()
                .filter(|op| op.opcode().is_simd() && !op.opcode().names_memory())
                .count();
        }
        assert_eq!(named, 2 * (forms.len() + 1) + 1, "named-memory SIMD accesses");
        assert_eq!(fast, forms.len() + 1, "memory 0's fast SIMD accesses");
    }
}
