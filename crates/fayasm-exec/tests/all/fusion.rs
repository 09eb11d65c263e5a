//! Every fused or specialised microcode form checked against the plain, unfused semantics.
//!
//! For each operator the same computation is written twice: once so the lowering fuses it (a
//! constant operand becomes an immediate, a compare merges into the `br_if`/`if` consuming it)
//! and once so it cannot (operands arrive as parameters, the compare result is returned). Both
//! run over a grid of edge values and must agree, traps included.

use fayasm_exec::{Engine, Func, Linker, Module, Store, Value};

const I32_EDGES: &[i64] = &[
    0,
    1,
    -1,
    2,
    -2,
    31,
    32,
    33,
    63,
    64,
    127,
    -128,
    32767,
    -32768,
    32768,
    i32::MAX as i64,
    i32::MIN as i64,
];
const I64_EDGES: &[i64] = &[
    0,
    1,
    -1,
    2,
    31,
    32,
    63,
    64,
    -65,
    32767,
    -32768,
    32768,
    i32::MAX as i64,
    i32::MIN as i64,
    i64::MAX,
    i64::MIN,
    1 << 40,
];

/// Every memory-0 load, by its wasm name.
const ALL_LOADS: [&str; 14] = [
    "i32.load",
    "i64.load",
    "f32.load",
    "f64.load",
    "i32.load8_s",
    "i32.load8_u",
    "i32.load16_s",
    "i32.load16_u",
    "i64.load8_s",
    "i64.load8_u",
    "i64.load16_s",
    "i64.load16_u",
    "i64.load32_s",
    "i64.load32_u",
];
/// Every memory-0 store, by its wasm name.
const ALL_STORES: [&str; 9] = [
    "i32.store",
    "i64.store",
    "f32.store",
    "f64.store",
    "i32.store8",
    "i32.store16",
    "i64.store8",
    "i64.store16",
    "i64.store32",
];

/// The microcode of function `func` as `Debug` text, to check that a fusion happened.
fn lowered(wat: &str, func: u32) -> String {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    format!("{:?}", module.lower_function(func).unwrap().unwrap().ops)
}

fn instance(wat: &str) -> (Store<()>, fayasm_exec::Instance) {
    let engine = Engine::default();
    let wasm = wat::parse_str(wat).unwrap_or_else(|e| panic!("{e}\n{wat}"));
    let module = Module::new(&engine, &wasm).expect("module");
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
    (store, inst)
}

fn val(ty: &str, v: i64) -> Value {
    if ty == "i32" { Value::I32(v as i32) } else { Value::I64(v) }
}

fn call(store: &mut Store<()>, f: Func, args: &[Value]) -> Result<Vec<Value>, String> {
    f.call(store, args).map_err(|e| e.to_string())
}

/// Binary operators whose constant operand becomes an immediate (right, or left and swapped).
#[test]
fn immediate_operands_match_plain_binary_operators() {
    let ops = [
        "add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr", "eq",
        "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
    ];
    for ty in ["i32", "i64"] {
        let edges = if ty == "i32" { I32_EDGES } else { I64_EDGES };
        for op in ops {
            let res = if ["eq", "ne"].contains(&op) || op.contains("_") && !op.starts_with("sh") {
                "i32"
            } else {
                ty
            };
            for &k in edges {
                let wat = format!(
                    r#"(module
                    (func (export "plain") (param {ty} {ty}) (result {res}) local.get 0 local.get 1 {ty}.{op})
                    (func (export "rhs") (param {ty}) (result {res}) local.get 0 {ty}.const {k} {ty}.{op})
                    (func (export "lhs") (param {ty}) (result {res}) {ty}.const {k} local.get 0 {ty}.{op}))"#,
                    k = if ty == "i32" { (k as i32).to_string() } else { k.to_string() }
                );
                if ty == "i32" || i32::try_from(k).is_ok() && (op != "sub" || k != i32::MIN as i64)
                {
                    assert!(
                        lowered(&wat, 1).contains("Imm"),
                        "{ty}.{op} {k} not fused: {}",
                        lowered(&wat, 1)
                    );
                }
                let (mut store, inst) = instance(&wat);
                let [plain, rhs, lhs] =
                    ["plain", "rhs", "lhs"].map(|n| inst.get_func(&store, n).unwrap());
                for &x in edges {
                    let want_rhs = call(&mut store, plain, &[val(ty, x), val(ty, k)]);
                    let want_lhs = call(&mut store, plain, &[val(ty, k), val(ty, x)]);
                    assert_eq!(
                        call(&mut store, rhs, &[val(ty, x)]),
                        want_rhs,
                        "{ty}.{op} x={x} k={k} (const rhs)"
                    );
                    assert_eq!(
                        call(&mut store, lhs, &[val(ty, x)]),
                        want_lhs,
                        "{ty}.{op} k={k} x={x} (const lhs)"
                    );
                }
            }
        }
    }
}

/// Compares fused into `br_if` (taken on true), `if` and `br_if` with carried values (both
/// taken on false, so negated), with slot and immediate operands.
#[test]
fn compare_and_branch_matches_plain_compares() {
    let cmps = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
    for ty in ["i32", "i64"] {
        let edges = if ty == "i32" { I32_EDGES } else { I64_EDGES };
        for cmp in cmps {
            for &k in &[0i64, 1, -1, 100, -32768, 32767, 40000, i32::MIN as i64] {
                let kk = if ty == "i32" { (k as i32).to_string() } else { k.to_string() };
                let wat = format!(
                    r#"(module
                    (func (export "plain") (param {ty} {ty}) (result i32) local.get 0 local.get 1 {ty}.{cmp})
                    (func (export "br_if") (param {ty} {ty}) (result i32)
                      block local.get 0 local.get 1 {ty}.{cmp} br_if 0 i32.const 0 return end i32.const 1)
                    (func (export "if") (param {ty} {ty}) (result i32)
                      local.get 0 local.get 1 {ty}.{cmp} if (result i32) i32.const 1 else i32.const 0 end)
                    (func (export "br_if_values") (param {ty} {ty} i32) (result i32)
                      block (result i32) local.get 2 local.get 0 local.get 1 {ty}.{cmp} br_if 0 drop i32.const 0 end)
                    (func (export "br_if_imm") (param {ty}) (result i32)
                      block local.get 0 {ty}.const {kk} {ty}.{cmp} br_if 0 i32.const 0 return end i32.const 1)
                    (func (export "if_imm") (param {ty}) (result i32)
                      local.get 0 {ty}.const {kk} {ty}.{cmp} if (result i32) i32.const 1 else i32.const 0 end)
                    (func (export "loop_imm") (param {ty}) (result i32) (local i32)
                      loop local.get 1 i32.const 1 i32.add local.tee 1 i32.const 2 i32.lt_u
                        local.get 0 {ty}.const {kk} {ty}.{cmp} i32.and br_if 0 end local.get 1))"#
                );
                // A constant that fits 16 bits fuses too (`BrIfI64LtSImm`).
                let imm_funcs: &[u32] = if i16::try_from(k).is_ok() { &[4, 5] } else { &[] };
                for &func in [1, 2, 3].iter().chain(imm_funcs) {
                    let fused = format!("BrIf{}", ty.to_uppercase());
                    assert!(
                        lowered(&wat, func).contains(&fused),
                        "not fused: {}",
                        lowered(&wat, func)
                    );
                }
                let (mut store, inst) = instance(&wat);
                let f = |n: &str| inst.get_func(&store, n).unwrap();
                let (plain, br_if, iff, brv, br_imm, if_imm, loop_imm) = (
                    f("plain"),
                    f("br_if"),
                    f("if"),
                    f("br_if_values"),
                    f("br_if_imm"),
                    f("if_imm"),
                    f("loop_imm"),
                );
                for &x in edges {
                    for &y in edges.iter().take(6).chain([&k]) {
                        let want = call(&mut store, plain, &[val(ty, x), val(ty, y)]);
                        let args = [val(ty, x), val(ty, y)];
                        assert_eq!(
                            call(&mut store, br_if, &args),
                            want,
                            "br_if {ty}.{cmp} {x} {y}"
                        );
                        assert_eq!(call(&mut store, iff, &args), want, "if {ty}.{cmp} {x} {y}");
                        let carried =
                            call(&mut store, brv, &[val(ty, x), val(ty, y), Value::I32(77)]);
                        let want_carried = want.clone().map(|v| {
                            if v == vec![Value::I32(1)] {
                                vec![Value::I32(77)]
                            } else {
                                vec![Value::I32(0)]
                            }
                        });
                        assert_eq!(carried, want_carried, "br_if with values {ty}.{cmp} {x} {y}");
                    }
                    let want = call(&mut store, plain, &[val(ty, x), val(ty, k)]);
                    assert_eq!(
                        call(&mut store, br_imm, &[val(ty, x)]),
                        want,
                        "br_if imm {ty}.{cmp} {x} {k}"
                    );
                    assert_eq!(
                        call(&mut store, if_imm, &[val(ty, x)]),
                        want,
                        "if imm {ty}.{cmp} {x} {k}"
                    );
                    let loops = if want == Ok(vec![Value::I32(1)]) { 2 } else { 1 };
                    assert_eq!(
                        call(&mut store, loop_imm, &[val(ty, x)]),
                        Ok(vec![Value::I32(loops)]),
                        "loop {ty}.{cmp} {x} {k}"
                    );
                }
            }
        }
    }
}

/// `i32.eqz` feeding a branch becomes a test of its operand.
#[test]
fn eqz_and_branch_matches_plain_eqz() {
    let (mut store, inst) = instance(
        r#"(module
        (func (export "plain") (param i32) (result i32) local.get 0 i32.eqz)
        (func (export "br_if") (param i32) (result i32) block local.get 0 i32.eqz br_if 0 i32.const 0 return end i32.const 1)
        (func (export "if") (param i32) (result i32) local.get 0 i32.eqz if (result i32) i32.const 1 else i32.const 0 end))"#,
    );
    let [plain, br_if, iff] = ["plain", "br_if", "if"].map(|n| inst.get_func(&store, n).unwrap());
    for &x in I32_EDGES {
        let want = call(&mut store, plain, &[Value::I32(x as i32)]);
        assert_eq!(call(&mut store, br_if, &[Value::I32(x as i32)]), want);
        assert_eq!(call(&mut store, iff, &[Value::I32(x as i32)]), want);
    }
}

/// `i64.eqz` feeding a branch becomes a compare of its operand with zero (`BrIfI64EqImm`), and
/// of the accumulator when the instruction before produced it.
#[test]
fn i64_eqz_and_branch_matches_plain_eqz() {
    let wat = r#"(module
        (func (export "plain") (param i64) (result i32) local.get 0 i64.eqz)
        (func (export "br_if") (param i64) (result i32) block local.get 0 i64.eqz br_if 0 i32.const 0 return end i32.const 1)
        (func (export "if") (param i64) (result i32) local.get 0 i64.eqz if (result i32) i32.const 1 else i32.const 0 end)
        (func (export "acc") (param i64) (result i32) block local.get 0 i64.const 3 i64.mul i64.eqz br_if 0 i32.const 0 return end i32.const 1))"#;
    assert!(lowered(wat, 1).contains("BrIfI64EqImm {"), "{}", lowered(wat, 1));
    assert!(lowered(wat, 2).contains("BrIfI64NeImm {"), "{}", lowered(wat, 2));
    assert!(lowered(wat, 3).contains("BrIfI64EqImmAcc"), "{}", lowered(wat, 3));
    let (mut store, inst) = instance(wat);
    let [plain, br_if, iff, acc] =
        ["plain", "br_if", "if", "acc"].map(|n| inst.get_func(&store, n).unwrap());
    for &x in I64_EDGES {
        let want = call(&mut store, plain, &[Value::I64(x)]);
        assert_eq!(call(&mut store, br_if, &[Value::I64(x)]), want, "br_if {x}");
        assert_eq!(call(&mut store, iff, &[Value::I64(x)]), want, "if {x}");
        let want_acc = call(&mut store, plain, &[Value::I64(x.wrapping_mul(3))]);
        assert_eq!(call(&mut store, acc, &[Value::I64(x)]), want_acc, "acc {x}");
    }
}

/// Float compares feeding `br_if` (taken when true: `BrIfF64Lt`) and `if` (taken when false:
/// `BrIfF64NotLt`, which differs from `BrIfF64Ge` on NaN), with operands from slots and from
/// the accumulator (left, or right and mirrored), over NaNs, zeros of both signs, infinities
/// and subnormals.
#[test]
fn float_compare_and_branch_matches_plain_compares() {
    let f32_edges: Vec<f32> = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        1.5,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
        f32::MIN_POSITIVE / 2.0,
        f32::MAX,
        f32::MIN,
    ];
    for ty in ["f32", "f64"] {
        let edges: Vec<Value> =
            f32_edges
                .iter()
                .map(|&x| {
                    if ty == "f32" { Value::F32(x.into()) } else { Value::F64(f64::from(x).into()) }
                })
                .collect();
        let two = if ty == "f32" { Value::F32(2.0f32.into()) } else { Value::F64(2.0f64.into()) };
        let mul = |a: Value| match a {
            Value::F32(v) => Value::F32((v.to_float() * 2.0).into()),
            Value::F64(v) => Value::F64((v.to_float() * 2.0).into()),
            other => other,
        };
        for cmp in ["eq", "ne", "lt", "gt", "le", "ge"] {
            let wat = format!(
                r#"(module
                (func (export "plain") (param {ty} {ty}) (result i32) local.get 0 local.get 1 {ty}.{cmp})
                (func (export "br_if") (param {ty} {ty}) (result i32)
                  block local.get 0 local.get 1 {ty}.{cmp} br_if 0 i32.const 0 return end i32.const 1)
                (func (export "if") (param {ty} {ty}) (result i32)
                  local.get 0 local.get 1 {ty}.{cmp} if (result i32) i32.const 1 else i32.const 0 end)
                (func (export "acc_l") (param {ty} {ty} {ty}) (result i32)
                  block local.get 0 local.get 2 {ty}.mul local.get 1 {ty}.{cmp} br_if 0 i32.const 0 return end i32.const 1)
                (func (export "acc_r") (param {ty} {ty} {ty}) (result i32)
                  local.get 1 local.get 0 local.get 2 {ty}.mul {ty}.{cmp} if (result i32) i32.const 1 else i32.const 0 end))"#
            );
            let t = ty.to_uppercase();
            assert!(lowered(&wat, 1).contains(&format!("BrIf{t}")), "{}", lowered(&wat, 1));
            let negated = if ["eq", "ne"].contains(&cmp) {
                format!("BrIf{t}")
            } else {
                format!("BrIf{t}Not")
            };
            assert!(lowered(&wat, 2).contains(&negated), "{}", lowered(&wat, 2));
            for func in [3, 4] {
                assert!(lowered(&wat, func).contains("Acc {"), "{}", lowered(&wat, func));
            }
            let (mut store, inst) = instance(&wat);
            let [plain, br_if, iff, acc_l, acc_r] = ["plain", "br_if", "if", "acc_l", "acc_r"]
                .map(|n| inst.get_func(&store, n).unwrap());
            for &x in &edges {
                for &y in &edges {
                    let want = call(&mut store, plain, &[x, y]);
                    assert_eq!(
                        call(&mut store, br_if, &[x, y]),
                        want,
                        "br_if {ty}.{cmp} {x:?} {y:?}"
                    );
                    assert_eq!(call(&mut store, iff, &[x, y]), want, "if {ty}.{cmp} {x:?} {y:?}");
                    let want_l = call(&mut store, plain, &[mul(x), y]);
                    assert_eq!(
                        call(&mut store, acc_l, &[x, y, two]),
                        want_l,
                        "acc_l {ty}.{cmp} {x:?}*2 {y:?}"
                    );
                    let want_r = call(&mut store, plain, &[y, mul(x)]);
                    assert_eq!(
                        call(&mut store, acc_r, &[x, y, two]),
                        want_r,
                        "acc_r {ty}.{cmp} {y:?} {x:?}*2"
                    );
                }
            }
        }
    }
}

/// An integer compare feeding `select` (`SelectI32LtS`), against the same compare whose result
/// goes through a local first (so it cannot fuse).
#[test]
fn compare_and_select_matches_plain_compare_and_select() {
    let cmps = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
    for ty in ["i32", "i64"] {
        let edges = if ty == "i32" { I32_EDGES } else { I64_EDGES };
        for cmp in cmps {
            let wat = format!(
                r#"(module
                (func (export "plain") (param {ty} {ty} i32 i32) (result i32) (local i32)
                  local.get 0 local.get 1 {ty}.{cmp} local.set 4 local.get 2 local.get 3 local.get 4 select)
                (func (export "fused") (param {ty} {ty} i32 i32) (result i32)
                  local.get 2 local.get 3 local.get 0 local.get 1 {ty}.{cmp} select)
                (func (export "into_operand") (param {ty} {ty} i32 i32) (result i32)
                  local.get 2 local.get 3 local.get 0 local.get 1 {ty}.{cmp} select local.set 2 local.get 2))"#
            );
            let sel = format!("Select{}", ty.to_uppercase());
            assert!(lowered(&wat, 1).contains(&sel), "{}", lowered(&wat, 1));
            assert!(!lowered(&wat, 0).contains(&sel), "{}", lowered(&wat, 0));
            let (mut store, inst) = instance(&wat);
            let [plain, fused, into] =
                ["plain", "fused", "into_operand"].map(|n| inst.get_func(&store, n).unwrap());
            for &x in edges {
                for &y in edges {
                    let args = [val(ty, x), val(ty, y), Value::I32(11), Value::I32(22)];
                    let want = call(&mut store, plain, &args);
                    assert_eq!(call(&mut store, fused, &args), want, "{ty}.{cmp} {x} {y}");
                    assert_eq!(call(&mut store, into, &args), want, "{ty}.{cmp} {x} {y} into");
                }
            }
        }
    }
}

/// Loads and stores at `(i << k) + base` (`I32LoadScaled`, `F64StoreScaled`), against the same
/// access at an address computed by the caller, over indices that wrap and that fall out of
/// bounds (traps included), with the index from a slot and from the accumulator.
#[test]
fn scaled_accesses_match_plain_accesses() {
    let loads = [
        ("i32", "i32.load"),
        ("i64", "i64.load"),
        ("f32", "f32.load"),
        ("f64", "f64.load"),
        ("i32", "i32.load8_s"),
        ("i32", "i32.load8_u"),
        ("i32", "i32.load16_s"),
        ("i32", "i32.load16_u"),
    ];
    let indices: &[i32] = &[0, 1, 7, 100, 16383, 16384, -1, -256, 1 << 30, i32::MIN];
    for (shift, base) in [(2, 1024), (3, -8), (0, 65530), (31, 4)] {
        for (ty, load) in loads {
            let wat = format!(
                r#"(module (memory 1)
                (data (i32.const 0) "\01\82\03\f4\05\86\07\08\09\fa\0b\0c\0d\0e\0f\10")
                (data (i32.const 1024) "\81\02\83\04\85\06\87\08\89\0a\8b\0c\8d\0e\8f\10")
                (data (i32.const 65528) "\ff\fe\fd\fc\fb\fa\f9\f8")
                (func (export "plain") (param i32) (result {ty}) local.get 0 {load})
                (func (export "slot") (param i32) (result {ty})
                  local.get 0 i32.const {shift} i32.shl i32.const {base} i32.add {load})
                (func (export "acc") (param i32) (result {ty})
                  local.get 0 i32.const 1 i32.add i32.const {shift} i32.shl i32.const {base} i32.add {load}))"#
            );
            assert!(lowered(&wat, 1).contains("Scaled {"), "{load}: {}", lowered(&wat, 1));
            assert!(lowered(&wat, 2).contains("ScaledAcc {"), "{load}: {}", lowered(&wat, 2));
            let (mut store, inst) = instance(&wat);
            let [plain, slot, acc] =
                ["plain", "slot", "acc"].map(|n| inst.get_func(&store, n).unwrap());
            for &i in indices {
                let addr = |i: i32| Value::I32(i.wrapping_shl(shift).wrapping_add(base));
                let want = same_fn(call(&mut store, plain, &[addr(i)]));
                assert_eq!(
                    same_fn(call(&mut store, slot, &[Value::I32(i)])),
                    want,
                    "{load} [{i}<<{shift}+{base}]"
                );
                let want = same_fn(call(&mut store, plain, &[addr(i.wrapping_add(1))]));
                assert_eq!(
                    same_fn(call(&mut store, acc, &[Value::I32(i)])),
                    want,
                    "{load} acc [{i}+1]"
                );
            }
        }
        for (ty, store_op, value) in [
            ("i32", "i32.store", "i32.const -123456789"),
            ("i64", "i64.store", "i64.const -1234567890123"),
            ("f32", "f32.store", "f32.const -1.5"),
            ("f64", "f64.store", "f64.const 2.75"),
            ("i32", "i32.store8", "i32.const 0x1ff"),
            ("i32", "i32.store16", "i32.const 0x1fffe"),
        ] {
            let wat = format!(
                r#"(module (memory 1)
                (func (export "plain") (param i32 {ty}) local.get 0 local.get 1 {store_op})
                (func (export "scaled") (param i32 {ty})
                  local.get 0 i32.const {shift} i32.shl i32.const {base} i32.add local.get 1 {store_op})
                (func (export "dump") (param i32) (result i64) local.get 0 i64.load))"#
            );
            assert!(lowered(&wat, 1).contains("Scaled {"), "{store_op}: {}", lowered(&wat, 1));
            let v = instance(&format!("(module (func (export \"v\") (result {ty}) {value}))"));
            let (mut vs, vi) = v;
            let vf = vi.get_func(&vs, "v").unwrap();
            let value = call(&mut vs, vf, &[]).unwrap()[0];
            for &i in indices {
                let addr = i.wrapping_shl(shift).wrapping_add(base);
                let (mut s1, i1) = instance(&wat);
                let (mut s2, i2) = instance(&wat);
                let [p1, d1f] = ["plain", "dump"].map(|n| i1.get_func(&s1, n).unwrap());
                let [p2, d2f] = ["scaled", "dump"].map(|n| i2.get_func(&s2, n).unwrap());
                let r1 = call(&mut s1, p1, &[Value::I32(addr), value]);
                let r2 = call(&mut s2, p2, &[Value::I32(i), value]);
                assert_eq!(same_fn(r2), same_fn(r1), "{store_op} [{i}<<{shift}+{base}]");
                let at = Value::I32(addr.clamp(0, 65528) & !7);
                let d1 = call(&mut s1, d1f, &[at]);
                let d2 = call(&mut s2, d2f, &[at]);
                assert_eq!(d2, d1, "{store_op} [{i}<<{shift}+{base}] memory");
            }
        }
    }
}

/// A `br_if` to a loop that carries one value (`BrIfNezCopy`, `BrIfNezAccCopy`), with the
/// condition from a slot, from the accumulator and from a compare put back in front, against
/// the same loop with the value passed through a local and a plain `br`.
#[test]
fn branch_with_one_copy_matches_plain_loop() {
    for ty in ["i32", "i64", "f64"] {
        let one = format!("{ty}.const 1");
        let step = if ty == "f64" { "f64.add".to_string() } else { format!("{ty}.add") };
        let wat = format!(
            r#"(module
            (func (export "plain") (param i32 {ty}) (result {ty}) (local {ty})
              local.get 1 local.set 2
              block loop
                local.get 2 {one} {step} local.set 2
                local.get 0 i32.const 1 i32.sub local.tee 0
                i32.eqz br_if 1 br 0 end end local.get 2)
            (func (export "acc") (param i32 {ty}) (result {ty}) (local {ty})
              local.get 1
              loop (param {ty}) (result {ty})
                {one} {step} local.set 2 local.get 2
                local.get 0 i32.const 1 i32.sub local.tee 0
                br_if 0 end)
            (func (export "slot") (param i32 {ty}) (result {ty}) (local {ty} i32)
              local.get 1
              loop (param {ty}) (result {ty})
                local.get 0 i32.const 1 i32.sub local.tee 0 local.set 3
                {one} {step} local.set 2 local.get 2 local.get 3
                br_if 0 end)
            (func (export "compare") (param i32 {ty}) (result {ty}) (local {ty})
              local.get 1
              loop (param {ty}) (result {ty})
                {one} {step} local.set 2 local.get 2
                local.get 0 i32.const 1 i32.sub local.tee 0 i32.const 0 i32.gt_s
                br_if 0 end))"#
        );
        assert!(lowered(&wat, 1).contains("BrIfNezAccCopy"), "{}", lowered(&wat, 1));
        assert!(lowered(&wat, 2).contains("BrIfNezCopy"), "{}", lowered(&wat, 2));
        assert!(lowered(&wat, 3).contains("Copy {"), "{}", lowered(&wat, 3));
        let (mut store, inst) = instance(&wat);
        let fs = ["plain", "acc", "slot", "compare"].map(|n| inst.get_func(&store, n).unwrap());
        let start = |v: i64| match ty {
            "i32" => Value::I32(v as i32),
            "i64" => Value::I64(v),
            _ => Value::F64((v as f64).into()),
        };
        for n in [1, 2, 3, 10, 1000] {
            for v in [0i64, -5, i64::from(i32::MAX)] {
                let args = [Value::I32(n), start(v)];
                let want = call(&mut store, fs[0], &args);
                for f in &fs[1..] {
                    assert_eq!(call(&mut store, *f, &args), want, "{ty} n={n} v={v}");
                }
            }
        }
    }
}

/// A `br_if` to a loop whose carried value is the condition itself, just computed
/// (`BrIfNezAccMove`: counter-param's shape), against the same sum computed here.
#[test]
fn branch_moving_its_condition_matches_plain_loop() {
    let wat = r#"(module
      (func (export "halves") (param i32) (result i32) (local i32)
        local.get 0
        loop (param i32) (result i32)
          local.tee 0 local.get 1 i32.add local.set 1
          local.get 0 i32.const 1 i32.shr_u local.tee 0 local.get 0
          br_if 0
        end
        drop local.get 1))"#;
    assert!(lowered(wat, 0).contains("BrIfNezAccMove"), "{}", lowered(wat, 0));
    let (mut store, inst) = instance(wat);
    let f = inst.get_func(&store, "halves").unwrap();
    for &v in I32_EDGES {
        let (mut x, mut sum) = (v as u32, 0u32);
        loop {
            sum = sum.wrapping_add(x);
            x >>= 1;
            if x == 0 {
                break;
            }
        }
        assert_eq!(
            call(&mut store, f, &[Value::I32(v as i32)]),
            Ok(vec![Value::I32(sum as i32)]),
            "v={v}"
        );
    }
}

/// Checks counted-loop back edges of type `ty` (`"i32"` or `"i64"`): an in-place add of a
/// constant and a `br_if` on its result, for each `(name, test after the add, fused form or ""
/// where none may fire)`, against the same loop with the step passed as a parameter and a
/// `nop` block boundary (a label) between the add and the test, so nothing fuses, over edge
/// starts, steps and bounds, wrapping included. Each loop also counts its iterations and leaves
/// after 40, so a bound it never meets ends it too. Steps and limits outside `i16` stay unfused
/// and must agree as well. `ne_swapped` compares `n != i` instead of `i != n`.
fn check_counted_loops(
    ty: &str,
    tests: &[(&str, &str, &str)],
    steps: &[i64],
    starts: &[i64],
    bounds: &[i64],
) {
    let value = |x: i64| if ty == "i32" { Value::I32(x as i32) } else { Value::I64(x) };
    let family = if ty == "i32" { "I32AddImmBrIf" } else { "I64AddImmBrIf" };
    let mut funcs = String::new();
    for (name, test, _) in tests {
        for (k, step) in steps.iter().enumerate() {
            for (variant, add, sep) in [
                ("fused", format!("{ty}.const {step}"), ""),
                ("plain", "local.get $s".to_string(), "block end"),
            ] {
                // `local.set` then `local.get` is `local.tee`: the add writes `$i` in place.
                let test = if *name == "ne_swapped" {
                    format!("local.set $i {sep} local.get $n local.get $i {ty}.ne")
                } else {
                    format!("local.set $i {sep} local.get $i {test}")
                };
                funcs.push_str(&format!(
                    r#"(func (export "{variant}_{name}_{k}") (param $i {ty}) (param $n {ty}) (param $s {ty}) (result {ty} i32) (local $it i32)
                      block loop
                        local.get $it i32.const 1 i32.add local.tee $it i32.const 40 i32.eq br_if 1
                        local.get $i {add} {ty}.add {test} br_if 0
                      end end
                      local.get $i local.get $it)
                    "#
                ));
            }
        }
    }
    let wat = format!("(module {funcs})");
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(&wat).unwrap()).unwrap();
    for (t, (name, _, form)) in tests.iter().enumerate() {
        for (k, step) in steps.iter().enumerate() {
            let func = ((t * steps.len() + k) * 2) as u32;
            let fused = format!("{:?}", module.lower_function(func).unwrap().unwrap().ops);
            let plain = format!("{:?}", module.lower_function(func + 1).unwrap().unwrap().ops);
            let fires = !form.is_empty() && i16::try_from(*step).is_ok();
            assert_eq!(fused.contains(family), fires, "{name} step {step}: {fused}");
            if fires {
                assert!(fused.contains(form), "{name} step {step}: {fused}");
            }
            assert!(!plain.contains("AddImmBrIf"), "{name}: {plain}");
            assert!(!plain.contains("AddBrIf"), "{name}: {plain}");
        }
    }
    let (mut store, inst) = instance(&wat);
    for (name, _, _) in tests {
        for (k, &step) in steps.iter().enumerate() {
            let fused = inst.get_func(&store, &format!("fused_{name}_{k}")).unwrap();
            let plain = inst.get_func(&store, &format!("plain_{name}_{k}")).unwrap();
            for &i in starts {
                for &n in bounds {
                    for n in [n, i.wrapping_add(step.wrapping_mul(3))] {
                        let args = [value(i), value(n), value(step)];
                        let want = call(&mut store, plain, &args);
                        assert_eq!(
                            call(&mut store, fused, &args),
                            want,
                            "{name} i={i} n={n} step={step}"
                        );
                    }
                }
            }
        }
    }
}

/// The i32 counted-loop back edges (`I32AddImmBrIfNez`, `I32AddImmBrIfNe`,
/// `I32AddImmBrIfNeImm`, `I32AddImmBrIfLtU`); see [`check_counted_loops`].
#[test]
fn counted_loop_back_edges_match_plain_loops() {
    let tests = [
        ("nez", "", "I32AddImmBrIfNez"),
        ("ne", "local.get $n i32.ne", "I32AddImmBrIfNe {"),
        ("ne_swapped", "", "I32AddImmBrIfNe {"),
        ("ne_self", "local.get $i i32.ne", "I32AddImmBrIfNe {"),
        ("lt_u", "local.get $n i32.lt_u", "I32AddImmBrIfLtU"),
        ("ne_imm_0", "i32.const 0 i32.ne", "I32AddImmBrIfNeImm"),
        ("ne_imm_5", "i32.const 5 i32.ne", "I32AddImmBrIfNeImm"),
        ("ne_imm_m1", "i32.const -1 i32.ne", "I32AddImmBrIfNeImm"),
        ("ne_imm_max", "i32.const 32767 i32.ne", "I32AddImmBrIfNeImm"),
        ("ne_imm_min", "i32.const -32768 i32.ne", "I32AddImmBrIfNeImm"),
        ("ne_imm_wide", "i32.const 100000 i32.ne", ""),
    ];
    let steps = [1, -1, 2, -3, 32767, -32768, 32768, -40000];
    let starts = [0, 1, -1, 5, -5, 39, i32::MAX, i32::MIN, i32::MAX - 20, -32768, 32767];
    let bounds = [0, 1, -1, 5, 40, i32::MIN, i32::MAX];
    check_counted_loops("i32", &tests, &steps, &starts.map(i64::from), &bounds.map(i64::from));
}

/// The i64 counted-loop back edges (`I64AddImmBrIfNez`, `I64AddImmBrIfNe`,
/// `I64AddImmBrIfNeImm`, `I64AddImmBrIfLtU`), 64-bit values included; see
/// [`check_counted_loops`].
#[test]
fn i64_counted_loop_back_edges_match_plain_loops() {
    let tests = [
        ("nez", "i64.const 0 i64.ne", "I64AddImmBrIfNez"),
        ("ne", "local.get $n i64.ne", "I64AddImmBrIfNe {"),
        ("ne_swapped", "", "I64AddImmBrIfNe {"),
        ("lt_u", "local.get $n i64.lt_u", "I64AddImmBrIfLtU"),
        ("ne_imm_5", "i64.const 5 i64.ne", "I64AddImmBrIfNeImm"),
        ("ne_imm_m1", "i64.const -1 i64.ne", "I64AddImmBrIfNeImm"),
        ("ne_imm_min", "i64.const -32768 i64.ne", "I64AddImmBrIfNeImm"),
        ("ne_imm_wide", "i64.const 100000 i64.ne", ""),
    ];
    let steps = [1, -1, 3, 32767, -32768, 40000];
    let starts = [0, 1, -1, 5, 39, i64::MAX, i64::MIN, i64::MAX - 20, u32::MAX as i64, 1 << 32];
    let bounds = [0, 1, -1, 5, 40, i64::MIN, i64::MAX, (1 << 32) + 3];
    check_counted_loops("i64", &tests, &steps, &starts, &bounds);
}

/// A post-decrement test (`while (n--)`: the old value of a local tested after stepping it,
/// through an operand-stack temporary) is `I32AddImmBrIfNeImm` with the step as its limit;
/// against the same loop with the step as a parameter, over edge starts and steps (the step
/// that makes the new value equal the step is the case to get right).
#[test]
fn post_step_tests_match_plain_loops() {
    let steps: [i32; 6] = [-1, 1, -8, 7, -32768, 40000];
    let mut funcs = String::new();
    for (k, step) in steps.iter().enumerate() {
        for (variant, add) in
            [("fused", format!("i32.const {step}")), ("plain", "local.get $s".into())]
        {
            funcs.push_str(&format!(
                r#"(func (export "{variant}_{k}") (param $n i32) (param $s i32) (result i32 i32) (local $it i32)
                  block loop
                    local.get $it i32.const 1 i32.add local.tee $it i32.const 40 i32.eq br_if 1
                    local.get $n local.get $n {add} i32.add local.set $n br_if 0
                  end end
                  local.get $n local.get $it)
                "#
            ));
        }
    }
    let wat = format!("(module {funcs})");
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(&wat).unwrap()).unwrap();
    for (k, step) in steps.iter().enumerate() {
        let fused = format!("{:?}", module.lower_function(2 * k as u32).unwrap().unwrap().ops);
        let plain = format!("{:?}", module.lower_function(2 * k as u32 + 1).unwrap().unwrap().ops);
        let fires = i16::try_from(*step).is_ok();
        let want = format!("limit: {step}");
        assert_eq!(
            fused.contains("I32AddImmBrIfNeImm") && fused.contains(&want),
            fires,
            "{step}: {fused}"
        );
        assert!(!plain.contains("I32AddImmBrIf"), "{plain}");
    }
    let (mut store, inst) = instance(&wat);
    for (k, &step) in steps.iter().enumerate() {
        let fused = inst.get_func(&store, &format!("fused_{k}")).unwrap();
        let plain = inst.get_func(&store, &format!("plain_{k}")).unwrap();
        for n in [0, 1, -1, 5, step, step.wrapping_neg(), 2 * step, i32::MAX, i32::MIN, 39, 80] {
            let args = [Value::I32(n), Value::I32(step)];
            assert_eq!(
                call(&mut store, fused, &args),
                call(&mut store, plain, &args),
                "n={n} step={step}"
            );
        }
    }
}

/// A post-decrement test whose old value lives in a local the function reads afterwards
/// (`t = n; n += step; br_if t` -> `I32PostStepBrIfNez`, which keeps the copy), in both
/// shapes compilers emit (`local.set` then `local.get`, and `local.tee`), against the same
/// loops with the step in a parameter (nothing fuses), over zero, wrapping and extreme values.
#[test]
fn post_step_tests_through_locals_match_plain_loops() {
    let steps: [i32; 5] = [-1, 1, -8, 7, -32768];
    let shapes =
        [("set", "local.get $n local.set $t local.get $t"), ("tee", "local.get $n local.tee $t")];
    let mut funcs = String::new();
    for (k, step) in steps.iter().enumerate() {
        for (shape, copy) in shapes {
            for (variant, add) in
                [("fused", format!("i32.const {step}")), ("plain", "local.get $s".into())]
            {
                funcs.push_str(&format!(
                    r#"(func (export "{variant}_{shape}_{k}") (param $n i32) (param $s i32) (result i32 i32 i32) (local $it i32) (local $t i32)
                      block loop
                        local.get $it i32.const 1 i32.add local.tee $it i32.const 40 i32.eq br_if 1
                        {copy} {add} i32.add local.set $n local.get $t br_if 0
                      end end
                      local.get $n local.get $it local.get $t)
                    "#
                ));
            }
        }
    }
    let wat = format!("(module {funcs})");
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(&wat).unwrap()).unwrap();
    for index in 0..(steps.len() * shapes.len()) as u32 {
        let fused = format!("{:?}", module.lower_function(2 * index).unwrap().unwrap().ops);
        let plain = format!("{:?}", module.lower_function(2 * index + 1).unwrap().unwrap().ops);
        assert!(fused.contains("I32PostStepBrIfNez"), "{index}: {fused}");
        assert!(!plain.contains("I32PostStep"), "{plain}");
    }
    let (mut store, inst) = instance(&wat);
    for (k, &step) in steps.iter().enumerate() {
        for (shape, _) in shapes {
            let fused = inst.get_func(&store, &format!("fused_{shape}_{k}")).unwrap();
            let plain = inst.get_func(&store, &format!("plain_{shape}_{k}")).unwrap();
            for n in [0, 1, -1, 5, step, step.wrapping_neg(), 2 * step, i32::MAX, i32::MIN, 39] {
                let args = [Value::I32(n), Value::I32(step)];
                assert_eq!(
                    call(&mut store, fused, &args),
                    call(&mut store, plain, &args),
                    "{shape} n={n} step={step}"
                );
            }
        }
    }
}

/// A `Copy` and the test of another slot after it (`CopyBrIfNez`, `CopyBrIfEqz`; a test of the
/// copied slot reads the accumulator instead), against the same code with a `nop` block boundary between them
/// (a label: nothing fuses across it), over zero, non-zero and high-bit values.
#[test]
fn copy_branches_match_plain_copies() {
    // (name, the condition after `local.set $x` of `$y`, the fused form)
    let tests = [
        ("nez_other", "local.get $c", "br_if 0", "CopyBrIfNez"),
        ("eqz_other", "local.get $c i32.eqz", "br_if 0", "CopyBrIfEqz"),
    ];
    let mut funcs = String::new();
    for (name, cond, br, _) in tests {
        for (variant, sep) in [("fused", ""), ("plain", "block end")] {
            funcs.push_str(&format!(
                r#"(func (export "{variant}_{name}") (param $c i32) (param $y i32) (result i32 i32) (local $x i32) (local $it i32)
                  block loop
                    local.get $it i32.const 1 i32.add local.tee $it i32.const 3 i32.eq br_if 1
                    local.get $y local.get $it i32.add local.set $y
                    local.get $y local.set $x {sep} {cond} {br}
                  end end
                  local.get $x local.get $it)
                "#
            ));
        }
    }
    let wat = format!("(module {funcs})");
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(&wat).unwrap()).unwrap();
    for (t, (name, _, _, form)) in tests.iter().enumerate() {
        let fused = format!("{:?}", module.lower_function(2 * t as u32).unwrap().unwrap().ops);
        let plain = format!("{:?}", module.lower_function(2 * t as u32 + 1).unwrap().unwrap().ops);
        assert!(fused.contains(form), "{name}: {fused}");
        assert!(!plain.contains("CopyBrIf"), "{name}: {plain}");
    }
    let (mut store, inst) = instance(&wat);
    for (name, _, _, _) in tests {
        let fused = inst.get_func(&store, &format!("fused_{name}")).unwrap();
        let plain = inst.get_func(&store, &format!("plain_{name}")).unwrap();
        for c in [0, 1, -1, i32::MIN] {
            for y in [0, -1, -2, 1, i32::MIN, i32::MAX] {
                let args = [Value::I32(c), Value::I32(y)];
                assert_eq!(
                    call(&mut store, fused, &args),
                    call(&mut store, plain, &args),
                    "{name} c={c} y={y}"
                );
            }
        }
    }
}

/// The strided back edges and index steps (`I32AddBrIf*`, `I64AddBrIf*`: `j += s` with `s` a
/// slot, then a compare of the new `j` with a slot), with the add's operands either way round,
/// against the same code with a `nop` block boundary between the add and the compare, over
/// zero, one, wrapping and extreme starts, steps and bounds.
#[test]
fn slot_step_branches_match_plain_code() {
    // (name, type, the add's operands, compare, the fused form)
    let tests = [
        ("i32_ne", "i32", "local.get $j local.get $s", "ne", "I32AddBrIfNe"),
        ("i32_lt_u", "i32", "local.get $s local.get $j", "lt_u", "I32AddBrIfLtU"),
        ("i32_le_u", "i32", "local.get $j local.get $s", "le_u", "I32AddBrIfLeU"),
        ("i32_ge_u", "i32", "local.get $j local.get $s", "ge_u", "I32AddBrIfGeU"),
        ("i32_gt_u", "i32", "local.get $j local.get $s", "gt_u", "I32AddBrIfLtU"),
        ("i64_ne", "i64", "local.get $s local.get $j", "ne", "I64AddBrIfNe"),
        ("i64_lt_u", "i64", "local.get $j local.get $s", "lt_u", "I64AddBrIfLtU"),
        ("i64_le_u", "i64", "local.get $j local.get $s", "le_u", "I64AddBrIfLeU"),
        ("i64_ge_u", "i64", "local.get $s local.get $j", "ge_u", "I64AddBrIfGeU"),
    ];
    let mut funcs = String::new();
    for (name, ty, operands, cmp, _) in tests {
        // `gt_u` is tested as the mirrored `n > j` (`j < n` with the new `j` on the right).
        let test = if cmp == "gt_u" {
            format!("local.set $j local.get $n local.get $j {ty}.gt_u")
        } else {
            format!("local.tee $j local.get $n {ty}.{cmp}")
        };
        for (variant, sep) in [("fused", ""), ("plain", "block end")] {
            let test = test.replacen("local.get $n", &format!("{sep} local.get $n"), 1);
            funcs.push_str(&format!(
                r#"(func (export "{variant}_{name}") (param $j {ty}) (param $s {ty}) (param $n {ty}) (result {ty} i32) (local $it i32)
                  block loop
                    local.get $it i32.const 1 i32.add local.tee $it i32.const 7 i32.eq br_if 1
                    {operands} {ty}.add {test} br_if 0
                  end end
                  local.get $j local.get $it)
                "#
            ));
        }
    }
    let wat = format!("(module {funcs})");
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(&wat).unwrap()).unwrap();
    for (t, (name, _, _, _, form)) in tests.iter().enumerate() {
        let fused = format!("{:?}", module.lower_function(2 * t as u32).unwrap().unwrap().ops);
        let plain = format!("{:?}", module.lower_function(2 * t as u32 + 1).unwrap().unwrap().ops);
        assert!(fused.contains(&format!("{form} {{")), "{name}: {fused}");
        assert!(!plain.contains("AddBrIf"), "{name}: {plain}");
    }
    let (mut store, inst) = instance(&wat);
    let values: [i64; 9] = [0, 1, 2, -1, -2, 7, i64::MIN, i64::MAX, u32::MAX as i64];
    for (name, ty, _, _, _) in tests {
        let fused = inst.get_func(&store, &format!("fused_{name}")).unwrap();
        let plain = inst.get_func(&store, &format!("plain_{name}")).unwrap();
        let v = |x: i64| if ty == "i32" { Value::I32(x as i32) } else { Value::I64(x) };
        for j in values {
            for s in values {
                for n in values {
                    let args = [v(j), v(s), v(n)];
                    assert_eq!(
                        call(&mut store, fused, &args),
                        call(&mut store, plain, &args),
                        "{name} j={j} s={s} n={n}"
                    );
                }
            }
        }
    }
}

/// A zero test of a local and its step right after (`BrIfEqzElseI32AddImm`: `if n == 0
/// { break } n += k`), through `local.set` and `local.tee`, against the same code with a `nop`
/// block boundary between them, over zero, one, wrapping and extreme counters and steps at the
/// edges of the 16-bit immediate (a wider step must not fuse).
#[test]
fn zero_tests_before_a_step_match_plain_code() {
    // (name, step, the step's assignment, whether it fuses)
    let tests = [
        ("dec_set", -1, "local.set $n", true),
        ("inc_tee", 3, "local.tee $n drop", true),
        ("min_step", -32768, "local.set $n", true),
        ("max_step", 32767, "local.tee $n drop", true),
        ("wide_step", 40000, "local.set $n", false),
    ];
    let mut funcs = String::new();
    for (name, step, assign, _) in tests {
        for (variant, sep) in [("fused", ""), ("plain", "block end")] {
            funcs.push_str(&format!(
                r#"(func (export "{variant}_{name}") (param $n i32) (result i32 i32 i32) (local $sum i32) (local $it i32)
                  block loop
                    local.get $it i32.const 1 i32.add local.tee $it i32.const 6 i32.eq br_if 1
                    local.get $n i32.eqz br_if 1 {sep}
                    local.get $n i32.const {step} i32.add {assign}
                    local.get $sum local.get $n i32.xor local.set $sum
                    br 0
                  end end
                  local.get $n local.get $sum local.get $it)
                "#
            ));
        }
    }
    let wat = format!("(module {funcs})");
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(&wat).unwrap()).unwrap();
    for (t, (name, _, _, fuses)) in tests.iter().enumerate() {
        let fused = format!("{:?}", module.lower_function(2 * t as u32).unwrap().unwrap().ops);
        let plain = format!("{:?}", module.lower_function(2 * t as u32 + 1).unwrap().unwrap().ops);
        assert_eq!(fused.contains("BrIfEqzElseI32AddImm"), *fuses, "{name}: {fused}");
        assert!(!plain.contains("BrIfEqzElseI32AddImm"), "{name}: {plain}");
    }
    let (mut store, inst) = instance(&wat);
    for (name, _, _, _) in tests {
        let fused = inst.get_func(&store, &format!("fused_{name}")).unwrap();
        let plain = inst.get_func(&store, &format!("plain_{name}")).unwrap();
        for n in [0, 1, 2, 3, -1, -3, 5, i32::MIN, i32::MAX, 32768, -32767] {
            let args = [Value::I32(n)];
            assert_eq!(
                call(&mut store, fused, &args),
                call(&mut store, plain, &args),
                "{name} n={n}"
            );
        }
    }
}

/// A result with every NaN replaced by one marker, after checking it is an arithmetic NaN
/// (quiet bit set): which input's payload an operation on two NaNs propagates is
/// nondeterministic in wasm, and LLVM may order `fadd`'s operands either way.
fn arith(r: Result<Vec<Value>, String>) -> Result<Vec<Value>, String> {
    r.map(|vs| {
        vs.into_iter()
            .map(|v| match v {
                Value::F32(f) if f.to_float().is_nan() => {
                    assert!(
                        f.to_bits() & 0x0040_0000 != 0,
                        "not an arithmetic NaN: {:#x}",
                        f.to_bits()
                    );
                    Value::F32(f32::NAN.into())
                }
                Value::F64(f) if f.to_float().is_nan() => {
                    assert!(
                        f.to_bits() & 0x0008_0000_0000_0000 != 0,
                        "not an arithmetic NaN: {:#x}",
                        f.to_bits()
                    );
                    Value::F64(f64::NAN.into())
                }
                other => other,
            })
            .collect()
    })
}

/// Float operators with a constant operand (`F32MulImm`, `F64AddImmAcc`, `F64LtImm`) and float
/// compare-and-branch with a constant (`BrIfF32GtImmAcc`, `BrIfF64NotLtImm`), against the same
/// operators on the constant passed in. An f64 constant becomes an immediate only when an f32
/// holds it exactly (`0.5` does, `0.1` does not); both kinds are checked.
#[test]
fn float_immediates_match_plain_operators() {
    let consts = [
        "4.0",
        "0.5",
        "-0.0",
        "inf",
        "-inf",
        "nan",
        "nan:0x200000",
        "0.1",
        "1e-40",
        "3e38",
        "-7.25",
    ];
    let xs: [f64; 10] = [0.0, -0.0, 1.0, -2.5, 4.0, 0.1, f64::INFINITY, f64::NAN, 1e-40, -3e38];
    for ty in ["f32", "f64"] {
        let val =
            |x: f64| if ty == "f32" { Value::F32((x as f32).into()) } else { Value::F64(x.into()) };
        for k in consts {
            // The constant as the engine sees it, to pass to the plain functions.
            let kf = {
                let wat = format!(r#"(module (func (export "k") (result {ty}) {ty}.const {k}))"#);
                let (mut st, inst) = instance(&wat);
                let f = inst.get_func(&st, "k").unwrap();
                call(&mut st, f, &[]).unwrap()[0]
            };
            let exact = ty == "f32" || !["0.1", "1e-40", "nan:0x200000", "3e38"].contains(&k);
            for op in ["add", "sub", "mul", "div", "eq", "ne", "lt", "gt", "le", "ge"] {
                let cmp = !["add", "sub", "mul", "div"].contains(&op);
                let res = if cmp { "i32" } else { ty };
                let wat = format!(
                    r#"(module
                    (func (export "plain") (param {ty} {ty}) (result {res}) local.get 0 local.get 1 {ty}.{op})
                    (func (export "plain_add") (param {ty} {ty}) (result {ty}) local.get 0 local.get 1 {ty}.add)
                    (func (export "rhs") (param {ty}) (result {res}) local.get 0 {ty}.const {k} {ty}.{op})
                    (func (export "lhs") (param {ty}) (result {res}) {ty}.const {k} local.get 0 {ty}.{op})
                    (func (export "acc") (param {ty}) (result {res}) local.get 0 local.get 0 {ty}.add {ty}.const {k} {ty}.{op})
                    (func (export "br_if") (param {ty}) (result i32)
                      block local.get 0 local.get 0 {ty}.add {ty}.const {k} {op_or_eq} br_if 0 i32.const 0 return end i32.const 1)
                    (func (export "if") (param {ty}) (result i32)
                      local.get 0 {ty}.const {k} {op_or_eq} if (result i32) i32.const 1 else i32.const 0 end))"#,
                    op_or_eq = if cmp {
                        format!("{ty}.{op}")
                    } else {
                        format!("{ty}.{op} {ty}.const 0 {ty}.eq")
                    }
                );
                if exact {
                    assert!(
                        lowered(&wat, 2).contains("Imm {"),
                        "{ty}.{op} {k}: {}",
                        lowered(&wat, 2)
                    );
                    let lhs_fuses = cmp;
                    assert_eq!(
                        lowered(&wat, 3).contains("Imm {"),
                        lhs_fuses,
                        "{ty}.{op} {k}: {}",
                        lowered(&wat, 3)
                    );
                    if cmp {
                        assert!(
                            lowered(&wat, 5).contains("ImmAcc {"),
                            "{ty}.{op} {k}: {}",
                            lowered(&wat, 5)
                        );
                        assert!(
                            lowered(&wat, 6).contains("Imm {"),
                            "{ty}.{op} {k}: {}",
                            lowered(&wat, 6)
                        );
                    } else {
                        assert!(
                            lowered(&wat, 4).contains("ImmAcc {"),
                            "{ty}.{op} {k}: {}",
                            lowered(&wat, 4)
                        );
                    }
                } else {
                    assert!(
                        !lowered(&wat, 2).contains("Imm {"),
                        "{ty}.{op} {k}: {}",
                        lowered(&wat, 2)
                    );
                }
                let (mut store, inst) = instance(&wat);
                let [plain, plain_add, rhs, lhs, acc, br_if, iff] =
                    ["plain", "plain_add", "rhs", "lhs", "acc", "br_if", "if"]
                        .map(|n| inst.get_func(&store, n).unwrap());
                for &x in &xs {
                    let x = val(x);
                    let sum = call(&mut store, plain_add, &[x, x]).unwrap()[0];
                    let want = call(&mut store, plain, &[x, kf]);
                    assert_eq!(
                        arith(call(&mut store, rhs, &[x])),
                        arith(want.clone()),
                        "{ty}.{op} x={x:?} k={k}"
                    );
                    let want_lhs = call(&mut store, plain, &[kf, x]);
                    assert_eq!(
                        arith(call(&mut store, lhs, &[x])),
                        arith(want_lhs),
                        "{ty}.{op} k={k} x={x:?}"
                    );
                    // x + x, then the operator with the constant (from the accumulator).
                    let want_sum = call(&mut store, plain, &[sum, kf]);
                    assert_eq!(
                        arith(call(&mut store, acc, &[x])),
                        arith(want_sum.clone()),
                        "{ty}.{op} acc x={x:?} k={k}"
                    );
                    if cmp {
                        assert_eq!(
                            call(&mut store, br_if, &[x]),
                            want_sum,
                            "{ty}.{op} br_if x={x:?} k={k}"
                        );
                        assert_eq!(call(&mut store, iff, &[x]), want, "{ty}.{op} if x={x:?} k={k}");
                    }
                }
            }
        }
    }
}

/// A branch carrying one value (`CopyBr`): `br` out of a block with a value, and the jump over
/// `else` after a `then` arm that leaves a local, against the same computation in Rust.
#[test]
fn copy_and_branch_matches_plain_branch() {
    let wat = r#"(module
        (func (export "br") (param i32 i32) (result i32)
          block (result i32)
            local.get 1
            local.get 0 i32.eqz br_if 0 drop
            local.get 0 local.get 1 i32.add local.set 1
            local.get 1 br 0
          end i32.const 3 i32.mul)
        (func (export "if") (param i32 i32) (result i32)
          local.get 0 if (result i32) local.get 1 else local.get 0 end i32.const 5 i32.add)
        (func (export "i64") (param i64 i64) (result i64)
          local.get 0 i64.eqz if (result i64) local.get 1 else local.get 0 end))"#;
    for func in [0, 1, 2] {
        assert!(lowered(wat, func).contains("CopyBr"), "{}", lowered(wat, func));
    }
    let (mut store, inst) = instance(wat);
    let [br, iff, wide] = ["br", "if", "i64"].map(|n| inst.get_func(&store, n).unwrap());
    for &x in I32_EDGES {
        for &y in I32_EDGES {
            let (x, y) = (x as i32, y as i32);
            let want_br = if x == 0 { y } else { x.wrapping_add(y) }.wrapping_mul(3);
            assert_eq!(
                call(&mut store, br, &[Value::I32(x), Value::I32(y)]),
                Ok(vec![Value::I32(want_br)])
            );
            let want_if = if x != 0 { y } else { x }.wrapping_add(5);
            assert_eq!(
                call(&mut store, iff, &[Value::I32(x), Value::I32(y)]),
                Ok(vec![Value::I32(want_if)])
            );
        }
    }
    for &x in I64_EDGES {
        let want = if x == 0 { 7 } else { x };
        assert_eq!(
            call(&mut store, wide, &[Value::I64(x), Value::I64(7)]),
            Ok(vec![Value::I64(want)])
        );
    }
}

/// Two copies in a row (`CopyPair`): a swap, a chain where the second copy reads what the
/// first wrote, the `a, b = b, a + b` of an iterative Fibonacci, and an operator reading the
/// pair's second value from the accumulator; against the same computation in Rust.
#[test]
fn copy_pairs_match_sequential_copies() {
    // `a, b = b, a + b`, `n` times, on i64 (`fib`) or f64 (`ffib`) values.
    let fib = |name: &str, ty: &str| {
        format!(
            r#"(func (export "{name}") (param i64) (result {ty}) (local {ty} {ty})
              {ty}.const 0 local.set 1 {ty}.const 1 local.set 2
              block local.get 0 i64.eqz br_if 0
                loop
                  local.get 1 local.get 2 {ty}.add
                  local.get 2 local.set 1 local.set 2
                  local.get 0 i64.const 1 i64.sub local.tee 0 i64.const 0 i64.ne br_if 0
                end
              end local.get 1)"#
        )
    };
    let wat = format!(
        r#"(module
        (func (export "swap") (param i32 i32) (result i32 i32) (local i32)
          local.get 0 local.set 2 local.get 1 local.set 0 local.get 2 local.set 1
          local.get 0 local.get 1)
        (func (export "chain") (param i32 i32 i32) (result i32 i32 i32)
          local.get 0 local.set 1 local.get 1 local.set 2 local.get 0 local.get 1 local.get 2)
        {}
        (func (export "acc") (param i32 i32) (result i32) (local i32 i32)
          local.get 0 local.set 2 local.get 1 local.set 3 local.get 3 i32.const 7 i32.mul)
        {})"#,
        fib("fib", "i64"),
        fib("ffib", "f64")
    );
    let wat = wat.as_str();
    for func in [0, 1, 2, 3, 4] {
        assert!(lowered(wat, func).contains("CopyPair"), "{}", lowered(wat, func));
    }
    assert!(lowered(wat, 3).contains("I32MulImmAcc"), "{}", lowered(wat, 3));
    // The sum the pair's second copy moves is the value just computed: read from the
    // accumulator (as the swap's result copies read the value the pair before them moved).
    // Not for an f64 sum, which the integer accumulator does not hold.
    assert!(lowered(wat, 2).contains("CopyPairAcc"), "{}", lowered(wat, 2));
    assert!(lowered(wat, 0).contains("CopyPairAcc"), "{}", lowered(wat, 0));
    assert!(lowered(wat, 4).contains("CopyPair {"), "{}", lowered(wat, 4));
    assert!(!lowered(wat, 4).contains("CopyPairAcc"), "{}", lowered(wat, 4));
    let (mut store, inst) = instance(wat);
    let [swap, chain, fib, acc] =
        ["swap", "chain", "fib", "acc"].map(|n| inst.get_func(&store, n).unwrap());
    for &x in I32_EDGES {
        for &y in I32_EDGES.iter().take(6) {
            let (x, y) = (x as i32, y as i32);
            assert_eq!(
                call(&mut store, swap, &[Value::I32(x), Value::I32(y)]),
                Ok(vec![Value::I32(y), Value::I32(x)])
            );
            assert_eq!(
                call(&mut store, chain, &[Value::I32(x), Value::I32(y), Value::I32(5)]),
                Ok(vec![Value::I32(x), Value::I32(x), Value::I32(x)])
            );
            assert_eq!(
                call(&mut store, acc, &[Value::I32(x), Value::I32(y)]),
                Ok(vec![Value::I32(y.wrapping_mul(7))])
            );
        }
    }
    for n in [0i64, 1, 2, 3, 10, 90, 1000] {
        let (mut a, mut b) = (0i64, 1i64);
        for _ in 0..n {
            (a, b) = (b, a.wrapping_add(b));
        }
        assert_eq!(call(&mut store, fib, &[Value::I64(n)]), Ok(vec![Value::I64(a)]), "fib {n}");
        let (mut a, mut b) = (0f64, 1f64);
        for _ in 0..n {
            (a, b) = (b, a + b);
        }
        let ffib = inst.get_func(&store, "ffib").unwrap();
        assert_eq!(
            call(&mut store, ffib, &[Value::I64(n)]),
            Ok(vec![Value::F64(a.into())]),
            "ffib {n}"
        );
    }
}

/// The accumulator survives stores and `global.set` (neither writes a slot or the register):
/// an operator after them still reads the value computed before them from the accumulator,
/// and a `global.get` right after a `global.set` of the same global reuses the slot.
#[test]
fn accumulator_survives_stores_and_global_sets() {
    let wat = r#"(module (memory 1) (global $g (mut i32) (i32.const 0)) (global $h (mut i64) (i64.const 0))
        (func (export "store") (param i32 i32 i32) (result i32) (local i32)
          local.get 0 local.get 1 i32.mul local.set 3
          local.get 2 local.get 3 i32.store
          local.get 2 local.get 3 i32.store8 offset=8
          local.get 3 global.set $g
          local.get 3 i32.const 3 i32.add)
        (func (export "reload") (param i32) (result i32)
          local.get 0 i32.const 5 i32.add global.set $g global.get $g i32.const 1 i32.add)
        (func (export "memory") (param i32) (result i32) local.get 0 i32.load)
        (func (export "g") (result i32) global.get $g))"#;
    assert!(lowered(wat, 0).contains("I32AddImmAcc"), "{}", lowered(wat, 0));
    assert!(!lowered(wat, 1).contains("GlobalGet"), "{}", lowered(wat, 1));
    let (mut store, inst) = instance(wat);
    let [st, reload, memory, g] =
        ["store", "reload", "memory", "g"].map(|n| inst.get_func(&store, n).unwrap());
    for &x in I32_EDGES {
        for &y in &[3i64, -1, 1 << 20] {
            let (x, y) = (x as i32, y as i32);
            let p = x.wrapping_mul(y);
            let args = [Value::I32(x), Value::I32(y), Value::I32(64)];
            assert_eq!(call(&mut store, st, &args), Ok(vec![Value::I32(p.wrapping_add(3))]));
            assert_eq!(call(&mut store, memory, &[Value::I32(64)]), Ok(vec![Value::I32(p)]));
            assert_eq!(call(&mut store, memory, &[Value::I32(72)]), Ok(vec![Value::I32(p & 0xff)]));
            assert_eq!(call(&mut store, g, &[]), Ok(vec![Value::I32(p)]));
        }
        let x = x as i32;
        assert_eq!(
            call(&mut store, reload, &[Value::I32(x)]),
            Ok(vec![Value::I32(x.wrapping_add(6))])
        );
        assert_eq!(call(&mut store, g, &[]), Ok(vec![Value::I32(x.wrapping_add(5))]));
    }
}

/// `ReturnOne` (copy one result to slot 0 and return) against a result already in slot 0.
#[test]
fn return_one_matches_plain_return() {
    let (mut store, inst) = instance(
        r#"(module
        (func (export "in_place") (param i64) (result i64) local.get 0)
        (func (export "moved") (param i64 i64) (result i64) local.get 1)
        (func (export "computed") (param i64 i64) (result i64) local.get 0 local.get 1 i64.add return))"#,
    );
    let f = |n: &str| inst.get_func(&store, n).unwrap();
    let (in_place, moved, computed) = (f("in_place"), f("moved"), f("computed"));
    for &x in I64_EDGES {
        assert_eq!(call(&mut store, in_place, &[Value::I64(x)]), Ok(vec![Value::I64(x)]));
        assert_eq!(
            call(&mut store, moved, &[Value::I64(0), Value::I64(x)]),
            Ok(vec![Value::I64(x)])
        );
        assert_eq!(
            call(&mut store, computed, &[Value::I64(x), Value::I64(1)]),
            Ok(vec![Value::I64(x.wrapping_add(1))])
        );
    }
}

/// Constants stored through `*StoreImm` against the same values stored from a parameter.
#[test]
fn store_immediates_match_plain_stores() {
    let stores = [
        ("i32", "i32.store", "i32.load"),
        ("i32", "i32.store8", "i32.load8_u"),
        ("i32", "i32.store16", "i32.load16_u"),
        ("i64", "i64.store", "i64.load"),
        ("i64", "i64.store8", "i64.load8_u"),
        ("i64", "i64.store16", "i64.load16_u"),
        ("i64", "i64.store32", "i64.load32_u"),
    ];
    for (ty, store, load) in stores {
        let edges = if ty == "i32" { I32_EDGES } else { I64_EDGES };
        for &k in edges {
            let kk = if ty == "i32" { (k as i32).to_string() } else { k.to_string() };
            let wat = format!(
                r#"(module (memory 1)
                (func (export "plain") (param {ty}) (result {ty}) i32.const 16 local.get 0 {store} offset=3 i32.const 16 {load} offset=3)
                (func (export "imm") (result {ty}) i32.const 16 {ty}.const {kk} {store} offset=3 i32.const 16 {load} offset=3)
                (func (export "oob") i32.const 65534 {ty}.const {kk} {store} offset=1))"#
            );
            if ty == "i32" || i32::try_from(k).is_ok() || store != "i64.store" {
                assert!(
                    lowered(&wat, 1).contains("Imm"),
                    "{store} {k} not fused: {}",
                    lowered(&wat, 1)
                );
            }
            let (mut store_, inst) = instance(&wat);
            let f = |n: &str| inst.get_func(&store_, n).unwrap();
            let (plain, imm, oob) = (f("plain"), f("imm"), f("oob"));
            let want = call(&mut store_, plain, &[val(ty, k)]);
            assert_eq!(call(&mut store_, imm, &[]), want, "{store} {k}");
            let plain_oob = store != "i32.store8" && store != "i64.store8";
            let got = call(&mut store_, oob, &[]);
            assert_eq!(got.is_err(), plain_oob, "{store} at the end of memory: {got:?}");
        }
    }
}

/// `x << k` feeding `i32.add` (either side) as `I32AddShl`, against shift and add by parameters.
#[test]
fn scaled_add_matches_plain_shift_and_add() {
    for k in [0, 1, 2, 3, 31, 32, 35, -1] {
        let wat = format!(
            r#"(module
            (func (export "plain") (param i32 i32 i32) (result i32) local.get 1 local.get 0 local.get 2 i32.shl i32.add)
            (func (export "right") (param i32 i32) (result i32) local.get 1 local.get 0 i32.const {k} i32.shl i32.add)
            (func (export "left") (param i32 i32) (result i32) local.get 0 i32.const {k} i32.shl local.get 1 i32.add)
            (func (export "kept") (param i32 i32) (result i32) (local i32)
              local.get 0 i32.const {k} i32.shl local.tee 2 local.get 1 i32.add local.get 2 i32.xor)
            (func (export "index_acc") (param i32 i32) (result i32)
              local.get 1 local.get 0 i32.const 5 i32.xor i32.const {k} i32.shl i32.add)
            (func (export "base_acc") (param i32 i32) (result i32)
              local.get 1 i32.const 5 i32.xor local.get 0 i32.const {k} i32.shl i32.add))"#
        );
        assert!(lowered(&wat, 1).contains("I32AddShl"), "not fused: {}", lowered(&wat, 1));
        assert!(lowered(&wat, 2).contains("I32AddShl"), "not fused: {}", lowered(&wat, 2));
        // The index or the base just computed is read from the accumulator.
        assert!(lowered(&wat, 4).contains("I32AddShlAccR"), "{}", lowered(&wat, 4));
        assert!(lowered(&wat, 5).contains("I32AddShlAccL"), "{}", lowered(&wat, 5));
        let (mut store, inst) = instance(&wat);
        let f = |n: &str| inst.get_func(&store, n).unwrap();
        let (plain, right, left, kept) = (f("plain"), f("right"), f("left"), f("kept"));
        let (index_acc, base_acc) = (f("index_acc"), f("base_acc"));
        for &x in I32_EDGES {
            for &y in I32_EDGES {
                let (xv, yv) = (x as i32, y as i32);
                let (x, y) = (Value::I32(xv), Value::I32(yv));
                let want = call(&mut store, plain, &[Value::I32(xv ^ 5), y, Value::I32(k)]);
                assert_eq!(
                    call(&mut store, index_acc, &[x, y]),
                    want,
                    "({x:?} ^ 5) << {k} + {y:?}"
                );
                let want = call(&mut store, plain, &[x, Value::I32(yv ^ 5), Value::I32(k)]);
                assert_eq!(call(&mut store, base_acc, &[x, y]), want, "{x:?} << {k} + ({y:?} ^ 5)");
                let want = call(&mut store, plain, &[x, y, Value::I32(k)]);
                assert_eq!(call(&mut store, right, &[x, y]), want, "{x:?} << {k} + {y:?}");
                assert_eq!(call(&mut store, left, &[x, y]), want, "{x:?} << {k} + {y:?} (left)");
                let Ok(sum) = want else { panic!("plain shift-add trapped") };
                let (Value::I32(s), Value::I32(xv)) = (sum[0], x) else { unreachable!() };
                let kept_want = s ^ xv.wrapping_shl(k as u32);
                assert_eq!(
                    call(&mut store, kept, &[x, y]),
                    Ok(vec![Value::I32(kept_want)]),
                    "tee kept the shift"
                );
            }
        }
    }
}

/// `i32.add` feeding a load or store address (`*Idx`), against the same access at an address
/// passed in: wrapping sums, offsets and the bounds check at the end of memory.
#[test]
fn indexed_accesses_match_plain_accesses() {
    let loads = ALL_LOADS;
    let sums: &[(i64, i64)] = &[
        (0, 0),
        (8, 16),
        (65_530, 0),
        (65_528, 4),
        (-8, 16),
        (-1, 1),
        (65_535, 1),
        (1 << 31, 1 << 31),
        (100, -101),
    ];
    for load in loads {
        let ty = &load[..3];
        let wat = format!(
            r#"(module (memory 1) (data (i32.const 0) "\01\82\03\84\05\86\07\88\09\8a\0b\8c\0d\8e\0f\90\11\92\13\94\15\96\17\98")
            (data (i32.const 65520) "\a1\a2\a3\a4\a5\a6\a7\a8\a9\aa\ab\ac\ad\ae\af\b0")
            (func (export "plain") (param i32) (result {ty}) local.get 0 {load} offset=2)
            (func (export "idx") (param i32 i32) (result {ty}) local.get 0 local.get 1 i32.add {load} offset=2))"#
        );
        assert!(lowered(&wat, 1).contains("Idx"), "not fused: {}", lowered(&wat, 1));
        let (mut store, inst) = instance(&wat);
        let (plain, idx) =
            (inst.get_func(&store, "plain").unwrap(), inst.get_func(&store, "idx").unwrap());
        for &(a, b) in sums {
            let want = call(&mut store, plain, &[Value::I32((a as i32).wrapping_add(b as i32))]);
            let got = call(&mut store, idx, &[Value::I32(a as i32), Value::I32(b as i32)]);
            assert_eq!(same_fn(got), same_fn(want), "{load} [{a} + {b}]");
        }
    }
    let stores = [
        ("i32", "i32.store", "i32.load"),
        ("i64", "i64.store", "i64.load"),
        ("f32", "f32.store", "f32.load"),
        ("f64", "f64.store", "f64.load"),
        ("i32", "i32.store8", "i32.load8_u"),
        ("i32", "i32.store16", "i32.load16_u"),
        ("i64", "i64.store8", "i64.load8_u"),
        ("i64", "i64.store16", "i64.load16_u"),
        ("i64", "i64.store32", "i64.load32_u"),
    ];
    for (ty, st, ld) in stores {
        let wat = format!(
            r#"(module (memory 1)
            (func (export "plain") (param i32 {ty}) (result {ty}) local.get 0 local.get 1 {st} offset=1 local.get 0 {ld} offset=1)
            (func (export "idx") (param i32 i32 {ty}) (result {ty})
              local.get 0 local.get 1 i32.add local.get 2 {st} offset=1 local.get 0 local.get 1 i32.add {ld} offset=1))"#
        );
        assert!(lowered(&wat, 1).contains("Idx"), "not fused: {}", lowered(&wat, 1));
        let (mut store, inst) = instance(&wat);
        let (plain, idx) =
            (inst.get_func(&store, "plain").unwrap(), inst.get_func(&store, "idx").unwrap());
        let v = match ty {
            "i32" => Value::I32(-0x1234_5678),
            "i64" => Value::I64(-0x1234_5678_9abc_def0),
            "f32" => Value::F32(fayasm_exec::F32::from_bits(0x7fa0_0001)),
            _ => Value::F64(fayasm_exec::F64::from_bits(0x7ff4_0000_0000_0001)),
        };
        for &(a, b) in sums {
            let want = call(&mut store, plain, &[Value::I32((a as i32).wrapping_add(b as i32)), v]);
            let got = call(&mut store, idx, &[Value::I32(a as i32), Value::I32(b as i32), v]);
            assert_eq!(same_fn(got), same_fn(want), "{st} [{a} + {b}]");
        }
    }
}

/// A call outcome without the trapping function's index (the plain and fused forms live in
/// different functions).
fn same_fn(r: Result<Vec<Value>, String>) -> Result<Vec<Value>, String> {
    r.map_err(|e| e.split(" (in function").next().unwrap_or_default().to_string())
}

/// The exported `peek` (read the 8 bytes a store at an address may write) and `clear` (reset
/// them) of a store test module.
struct Probe {
    peek: Func,
    clear: Func,
}

/// Runs the `plain` store and the `fused` one against the same cleared bytes at address `at`:
/// both must have the same outcome (traps included) and leave the same bytes.
fn assert_same_store(
    store: &mut Store<()>,
    probe: &Probe,
    at: i32,
    plain: (Func, &[Value]),
    fused: (Func, &[Value]),
    what: &str,
) {
    let at = [Value::I32(at)];
    let _ = call(store, probe.clear, &at);
    let want = same_fn(call(store, plain.0, plain.1));
    let want_mem = call(store, probe.peek, &at);
    let _ = call(store, probe.clear, &at);
    let got = same_fn(call(store, fused.0, fused.1));
    assert_eq!(got, want, "{what}");
    assert_eq!(call(store, probe.peek, &at), want_mem, "{what}: bytes");
}

/// Accumulator forms: an operand the previous instruction just produced is read from the
/// accumulator (`*AccL`, `*AccR`, `*ImmAcc`, `*LoadAcc`), against the same operator applied to
/// values passed in. The producer is a multiply, so neither operand is a constant or a local.
#[test]
fn accumulator_operands_match_plain_operands() {
    let ops = [
        "add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr", "div_s",
        "div_u", "rem_s", "rem_u",
    ];
    for ty in ["i32", "i64"] {
        let edges = if ty == "i32" { I32_EDGES } else { I64_EDGES };
        for op in ops {
            let wat = format!(
                r#"(module
                (func (export "plain") (param {ty} {ty}) (result {ty}) local.get 0 local.get 1 {ty}.{op})
                (func (export "acc_l") (param {ty} {ty} {ty}) (result {ty})
                  local.get 0 local.get 1 {ty}.mul local.get 2 {ty}.{op})
                (func (export "acc_r") (param {ty} {ty} {ty}) (result {ty})
                  local.get 2 local.get 0 local.get 1 {ty}.mul {ty}.{op})
                (func (export "acc_imm") (param {ty} {ty}) (result {ty})
                  local.get 0 local.get 1 {ty}.mul {ty}.const 5 {ty}.{op}))"#
            );
            // Division by a constant uses the immediate form (`I32DivSImm`), not the accumulator.
            let funcs: &[u32] =
                if op.starts_with("div") || op.starts_with("rem") { &[1, 2] } else { &[1, 2, 3] };
            for &func in funcs {
                assert!(
                    lowered(&wat, func).contains("Acc"),
                    "{ty}.{op} not fused: {}",
                    lowered(&wat, func)
                );
            }
            let (mut store, inst) = instance(&wat);
            let f = |n: &str| inst.get_func(&store, n).unwrap();
            let (plain, acc_l, acc_r, acc_imm) = (f("plain"), f("acc_l"), f("acc_r"), f("acc_imm"));
            for &x in edges {
                for &y in edges.iter().take(7) {
                    let prod = if ty == "i32" {
                        Value::I32((x as i32).wrapping_mul(y as i32))
                    } else {
                        Value::I64(x.wrapping_mul(y))
                    };
                    for &z in edges.iter().take(9) {
                        let want_l = call(&mut store, plain, &[prod, val(ty, z)]);
                        let want_r = call(&mut store, plain, &[val(ty, z), prod]);
                        assert_eq!(
                            same_fn(call(&mut store, acc_l, &[val(ty, x), val(ty, y), val(ty, z)])),
                            same_fn(want_l),
                            "{ty}.{op} AccL"
                        );
                        assert_eq!(
                            same_fn(call(&mut store, acc_r, &[val(ty, x), val(ty, y), val(ty, z)])),
                            same_fn(want_r),
                            "{ty}.{op} AccR"
                        );
                    }
                    let want_imm = call(&mut store, plain, &[prod, val(ty, 5)]);
                    assert_eq!(
                        same_fn(call(&mut store, acc_imm, &[val(ty, x), val(ty, y)])),
                        same_fn(want_imm),
                        "{ty}.{op} ImmAcc"
                    );
                }
            }
        }
    }
}

/// A load whose address the previous instruction computed (`*LoadAcc`), against the same load at
/// an address passed in, including out-of-bounds addresses.
#[test]
fn accumulator_addresses_match_plain_loads() {
    for load in ["i32.load", "i64.load", "f64.load", "i32.load8_s", "i64.load16_u", "i64.load32_s"]
    {
        let ty = &load[..3];
        let wat = format!(
            r#"(module (memory 1) (data (i32.const 0) "\01\82\03\84\05\86\07\88\09\8a\0b\8c\0d\8e\0f\90")
            (func (export "plain") (param i32) (result {ty}) local.get 0 {load} offset=1)
            (func (export "acc") (param i32 i32) (result {ty}) local.get 0 local.get 1 i32.mul {load} offset=1))"#
        );
        assert!(lowered(&wat, 1).contains("Acc {"), "{load} not fused: {}", lowered(&wat, 1));
        let (mut store, inst) = instance(&wat);
        let (plain, acc) =
            (inst.get_func(&store, "plain").unwrap(), inst.get_func(&store, "acc").unwrap());
        for (a, b) in [(0i32, 0i32), (1, 3), (2, 4), (65_534, 1), (32_768, 2), (-1, 1), (7, -1)] {
            let want = call(&mut store, plain, &[Value::I32(a.wrapping_mul(b))]);
            let got = call(&mut store, acc, &[Value::I32(a), Value::I32(b)]);
            assert_eq!(same_fn(got), same_fn(want), "{load} [{a} * {b}]");
        }
    }
}

/// Division and remainder by a constant (`*DivSImm`, `*RemUImm`, ...), against the same operator
/// with the divisor passed in: every constant fuses, so division by zero and `MIN / -1` must
/// still trap exactly as the plain operator does.
#[test]
fn division_by_constants_matches_plain_division() {
    for ty in ["i32", "i64"] {
        let edges = if ty == "i32" { I32_EDGES } else { I64_EDGES };
        for op in ["div_s", "div_u", "rem_s", "rem_u"] {
            for &k in edges.iter().filter(|&&k| i32::try_from(k).is_ok()) {
                let kk = if ty == "i32" { (k as i32).to_string() } else { k.to_string() };
                let wat = format!(
                    r#"(module
                    (func (export "plain") (param {ty} {ty}) (result {ty}) local.get 0 local.get 1 {ty}.{op})
                    (func (export "imm") (param {ty}) (result {ty}) local.get 0 {ty}.const {kk} {ty}.{op}))"#
                );
                assert!(
                    lowered(&wat, 1).contains("Imm"),
                    "{ty}.{op} {k} not fused: {}",
                    lowered(&wat, 1)
                );
                let (mut store, inst) = instance(&wat);
                let (plain, imm) = (
                    inst.get_func(&store, "plain").unwrap(),
                    inst.get_func(&store, "imm").unwrap(),
                );
                for &x in edges {
                    let want = call(&mut store, plain, &[val(ty, x), val(ty, k)]);
                    let got = call(&mut store, imm, &[val(ty, x)]);
                    assert_eq!(same_fn(got), same_fn(want), "{ty}.{op} {x} / {k}");
                }
            }
        }
    }
}

/// A stored value the previous instruction computed (`*StoreAcc`), and a constant stored at an
/// address the previous instruction computed (`*StoreImmAcc`), against the same stores from
/// parameters: the bytes written, and the bounds check at the end of memory.
#[test]
fn accumulator_stores_match_plain_stores() {
    let stores = ALL_STORES;
    for store_op in stores {
        let ty = &store_op[..3];
        let k = if ty.starts_with('f') { "-2.5" } else { "-123456" };
        let wat = format!(
            r#"(module (memory 1)
            (func (export "plain") (param i32 {ty}) local.get 0 local.get 1 {store_op} offset=1)
            (func (export "acc") (param i32 {ty} {ty}) local.get 0 local.get 1 local.get 2 {ty}.mul {store_op} offset=1)
            (func (export "plain_imm") (param i32) local.get 0 {ty}.const {k} {store_op} offset=1)
            (func (export "imm_acc") (param i32 i32) local.get 0 local.get 1 i32.mul {ty}.const {k} {store_op} offset=1)
            (func (export "peek") (param i32) (result i64) local.get 0 i64.load offset=1)
            (func (export "clear") (param i32) local.get 0 i64.const 0 i64.store offset=1))"#
        );
        assert!(
            lowered(&wat, 1).contains("Acc {"),
            "{store_op} value not fused: {}",
            lowered(&wat, 1)
        );
        // Float constants are stored from their slot: a constant is not in the float
        // accumulator, which float stores read their value from.
        let fused = if ty.starts_with('f') { "Store { addr: 2" } else { "ImmAcc {" };
        assert!(
            lowered(&wat, 3).contains(fused),
            "{store_op} address not fused: {}",
            lowered(&wat, 3)
        );
        let (mut store, inst) = instance(&wat);
        let f = |n: &str| inst.get_func(&store, n).unwrap();
        let (plain, acc, plain_imm, imm_acc) = (f("plain"), f("acc"), f("plain_imm"), f("imm_acc"));
        let probe = Probe { peek: f("peek"), clear: f("clear") };
        let (x, y): (Vec<Value>, Value) = match ty {
            "i32" => (I32_EDGES.iter().map(|&v| Value::I32(v as i32)).collect(), Value::I32(-3)),
            "i64" => (I64_EDGES.iter().map(|&v| Value::I64(v)).collect(), Value::I64(-3)),
            "f32" => (
                [1.5f32, -0.0, 1e30, 3.0].map(|v| Value::F32(v.into())).to_vec(),
                Value::F32((-2.0f32).into()),
            ),
            _ => (
                [1.5f64, -0.0, 1e300, 3.0].map(|v| Value::F64(v.into())).to_vec(),
                Value::F64((-2.0f64).into()),
            ),
        };
        let product = |a: Value| match (a, y) {
            (Value::I32(a), Value::I32(b)) => Value::I32(a.wrapping_mul(b)),
            (Value::I64(a), Value::I64(b)) => Value::I64(a.wrapping_mul(b)),
            (Value::F32(a), Value::F32(b)) => Value::F32((a.to_float() * b.to_float()).into()),
            (Value::F64(a), Value::F64(b)) => Value::F64((a.to_float() * b.to_float()).into()),
            other => panic!("{other:?}"),
        };
        for addr in [0i32, 3, 100, 65_528, 65_534, -1] {
            for &v in &x {
                assert_same_store(
                    &mut store,
                    &probe,
                    addr,
                    (plain, &[Value::I32(addr), product(v)]),
                    (acc, &[Value::I32(addr), v, y]),
                    &format!("{store_op} [{addr}] = {v:?} * {y:?}"),
                );
            }
            for (a, b) in [(addr, 1), (1, addr), (addr, -1)] {
                let at = a.wrapping_mul(b);
                assert_same_store(
                    &mut store,
                    &probe,
                    at,
                    (plain_imm, &[Value::I32(at)]),
                    (imm_acc, &[Value::I32(a), Value::I32(b)]),
                    &format!("{store_op} [{a} * {b}] = {k}"),
                );
            }
        }
    }
}

/// Compare-and-branch whose left operand (or right operand, mirrored) the previous instruction
/// computed (`BrIfI32LtSAcc`, `BrIfI32LtSImmAcc`), in `br_if` (taken on true) and `if` (taken on
/// false), and tests of a computed condition (`BrIfNezAcc`, `BrIfEqzAcc`), against plain
/// compares of values passed in.
#[test]
fn accumulator_branches_match_plain_compares() {
    let cmps = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
    for ty in ["i32", "i64"] {
        let edges = if ty == "i32" { I32_EDGES } else { I64_EDGES };
        for cmp in cmps {
            let wat = format!(
                r#"(module
                (func (export "plain") (param {ty} {ty}) (result i32) local.get 0 local.get 1 {ty}.{cmp})
                (func (export "acc_l") (param {ty} {ty} {ty}) (result i32)
                  block local.get 0 local.get 1 {ty}.mul local.get 2 {ty}.{cmp} br_if 0 i32.const 0 return end i32.const 1)
                (func (export "acc_r") (param {ty} {ty} {ty}) (result i32)
                  block local.get 2 local.get 0 local.get 1 {ty}.mul {ty}.{cmp} br_if 0 i32.const 0 return end i32.const 1)
                (func (export "acc_imm") (param {ty} {ty}) (result i32)
                  block local.get 0 local.get 1 {ty}.mul {ty}.const 5 {ty}.{cmp} br_if 0 i32.const 0 return end i32.const 1)
                (func (export "acc_if") (param {ty} {ty} {ty}) (result i32)
                  local.get 0 local.get 1 {ty}.mul local.get 2 {ty}.{cmp} if (result i32) i32.const 1 else i32.const 0 end)
                (func (export "acc_wide") (param {ty} {ty}) (result i32)
                  block local.get 0 local.get 1 {ty}.mul {ty}.const 100000 {ty}.{cmp} br_if 0 i32.const 0 return end i32.const 1))"#
            );
            // An immediate beyond i16 (`acc_wide`) still fuses into the accumulator form.
            for func in 1..=5 {
                assert!(
                    lowered(&wat, func).contains("Acc {"),
                    "{ty}.{cmp} not fused: {}",
                    lowered(&wat, func)
                );
            }
            let (mut store, inst) = instance(&wat);
            let f = |n: &str| inst.get_func(&store, n).unwrap();
            let (plain, acc_l, acc_r, acc_imm, acc_if, acc_wide) =
                (f("plain"), f("acc_l"), f("acc_r"), f("acc_imm"), f("acc_if"), f("acc_wide"));
            for &x in edges {
                for &y in edges.iter().take(5) {
                    let prod = if ty == "i32" {
                        Value::I32((x as i32).wrapping_mul(y as i32))
                    } else {
                        Value::I64(x.wrapping_mul(y))
                    };
                    for &z in edges {
                        let args = [val(ty, x), val(ty, y), val(ty, z)];
                        let want_l = call(&mut store, plain, &[prod, val(ty, z)]);
                        let want_r = call(&mut store, plain, &[val(ty, z), prod]);
                        assert_eq!(
                            call(&mut store, acc_l, &args),
                            want_l,
                            "{ty}.{cmp} acc_l {x}*{y} {z}"
                        );
                        assert_eq!(
                            call(&mut store, acc_if, &args),
                            want_l,
                            "{ty}.{cmp} acc_if {x}*{y} {z}"
                        );
                        assert_eq!(
                            call(&mut store, acc_r, &args),
                            want_r,
                            "{ty}.{cmp} acc_r {z} {x}*{y}"
                        );
                    }
                    let want_wide = call(&mut store, plain, &[prod, val(ty, 100_000)]);
                    assert_eq!(
                        call(&mut store, acc_wide, &[val(ty, x), val(ty, y)]),
                        want_wide,
                        "{ty}.{cmp} acc_wide {x}*{y}"
                    );
                    let want_imm = call(&mut store, plain, &[prod, val(ty, 5)]);
                    assert_eq!(
                        call(&mut store, acc_imm, &[val(ty, x), val(ty, y)]),
                        want_imm,
                        "{ty}.{cmp} acc_imm {x}*{y}"
                    );
                }
            }
        }
    }
    let wat = r#"(module
        (func (export "nez") (param i32 i32) (result i32)
          block local.get 0 local.get 1 i32.mul br_if 0 i32.const 0 return end i32.const 1)
        (func (export "eqz") (param i32 i32) (result i32)
          block local.get 0 local.get 1 i32.mul i32.eqz br_if 0 i32.const 0 return end i32.const 1))"#;
    assert!(lowered(wat, 0).contains("BrIfNezAcc"), "{}", lowered(wat, 0));
    assert!(lowered(wat, 1).contains("BrIfEqzAcc"), "{}", lowered(wat, 1));
    let (mut store, inst) = instance(wat);
    let (nez, eqz) = (inst.get_func(&store, "nez").unwrap(), inst.get_func(&store, "eqz").unwrap());
    for &x in I32_EDGES {
        for &y in &[0i64, 1, -1, 2, 1 << 16] {
            let p = (x as i32).wrapping_mul(y as i32);
            let args = [Value::I32(x as i32), Value::I32(y as i32)];
            assert_eq!(call(&mut store, nez, &args), Ok(vec![Value::I32(i32::from(p != 0))]));
            assert_eq!(call(&mut store, eqz, &args), Ok(vec![Value::I32(i32::from(p == 0))]));
        }
    }
}

/// Integer unary operators and integer-to-float conversions of a value the previous
/// instruction produced (`I64PopcntAcc`, `I64ExtendI32UAcc`, `F64ConvertI32SAcc`), against the
/// same operator applied to the value passed in.
#[test]
fn accumulator_unary_operands_match_plain_operands() {
    let ops = [
        ("i32", "i32.clz"),
        ("i32", "i32.ctz"),
        ("i32", "i32.popcnt"),
        ("i32", "i32.extend8_s"),
        ("i32", "i32.extend16_s"),
        ("i64", "i64.clz"),
        ("i64", "i64.ctz"),
        ("i64", "i64.popcnt"),
        ("i64", "i64.extend8_s"),
        ("i64", "i64.extend16_s"),
        ("i64", "i64.extend32_s"),
        ("i64", "i32.wrap_i64"),
        ("i32", "i64.extend_i32_s"),
        ("i32", "i64.extend_i32_u"),
        ("i32", "f32.convert_i32_s"),
        ("i32", "f32.convert_i32_u"),
        ("i64", "f32.convert_i64_s"),
        ("i64", "f32.convert_i64_u"),
        ("i32", "f64.convert_i32_s"),
        ("i32", "f64.convert_i32_u"),
        ("i64", "f64.convert_i64_s"),
        ("i64", "f64.convert_i64_u"),
    ];
    for (ty, op) in ops {
        let res = &op[..3];
        let wat = format!(
            r#"(module
            (func (export "plain") (param {ty}) (result {res}) local.get 0 {op})
            (func (export "acc") (param {ty} {ty}) (result {res}) local.get 0 local.get 1 {ty}.mul {op}))"#
        );
        assert!(lowered(&wat, 1).contains("Acc {"), "{op} not fused: {}", lowered(&wat, 1));
        let (mut store, inst) = instance(&wat);
        let (plain, acc) =
            (inst.get_func(&store, "plain").unwrap(), inst.get_func(&store, "acc").unwrap());
        let edges = if ty == "i32" { I32_EDGES } else { I64_EDGES };
        for &x in edges {
            for &y in &[1i64, -1, 3, 1 << 20] {
                let prod = if ty == "i32" {
                    Value::I32((x as i32).wrapping_mul(y as i32))
                } else {
                    Value::I64(x.wrapping_mul(y))
                };
                let want = call(&mut store, plain, &[prod]);
                assert_eq!(call(&mut store, acc, &[val(ty, x), val(ty, y)]), want, "{op} {x}*{y}");
            }
        }
    }
}

/// f64 arithmetic with an operand the previous instruction produced (`F64MulAccL`,
/// `F64SubAccR`), against the same operator on values passed in, bit for bit (NaN payloads,
/// signed zeros and infinities included).
#[test]
fn accumulator_float_operands_match_plain_operands() {
    let values = [0.0, -0.0, 1.5, -2.25, 1e308, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 5e-324];
    for (ty, op) in
        ["f32", "f64"].into_iter().flat_map(|t| ["add", "sub", "mul", "div"].map(|o| (t, o)))
    {
        let wat = format!(
            r#"(module
            (func (export "plain") (param {ty} {ty}) (result {ty}) local.get 0 local.get 1 {ty}.{op})
            (func (export "acc_l") (param {ty} {ty} {ty}) (result {ty})
              local.get 0 local.get 1 {ty}.mul local.get 2 {ty}.{op})
            (func (export "acc_r") (param {ty} {ty} {ty}) (result {ty})
              local.get 2 local.get 0 local.get 1 {ty}.mul {ty}.{op}))"#
        );
        for func in [1, 2] {
            assert!(
                lowered(&wat, func).contains("Acc"),
                "{ty}.{op} not fused: {}",
                lowered(&wat, func)
            );
        }
        let (mut store, inst) = instance(&wat);
        let f = |n: &str| inst.get_func(&store, n).unwrap();
        let (plain, acc_l, acc_r) = (f("plain"), f("acc_l"), f("acc_r"));
        let v =
            |x: f64| if ty == "f32" { Value::F32((x as f32).into()) } else { Value::F64(x.into()) };
        let narrow = |x: f64| if ty == "f32" { f64::from(x as f32) } else { x };
        for &x in &values {
            for &y in &[1.0, -3.0] {
                // The product as the engine computes it: in the operand type.
                let prod = if ty == "f32" {
                    v(f64::from((x as f32) * (y as f32)))
                } else {
                    v(narrow(x) * y)
                };
                for &z in &values {
                    let args = [v(x), v(y), v(z)];
                    assert_eq!(
                        call(&mut store, acc_l, &args),
                        call(&mut store, plain, &[prod, v(z)]),
                        "{ty}.{op} acc_l {x} {y} {z}"
                    );
                    assert_eq!(
                        call(&mut store, acc_r, &args),
                        call(&mut store, plain, &[v(z), prod]),
                        "{ty}.{op} acc_r {x} {y} {z}"
                    );
                }
            }
        }
    }
}

/// Checks `(x shift k) op c` fused into `form` (and `{form}Acc` when `x` was just computed)
/// against the shift and `op` by parameters, for every `k` and `c`: shift counts past 31 and
/// wrapping or extreme constants included. A shift whose result is also kept in a local is
/// not fused. `eval(shifted, c)` is `op` on i32 values, for the kept case's expected result.
fn check_shift_then_imm(
    shift: &str,
    op: &str,
    form: &str,
    ks: &[i32],
    cs: &[i32],
    eval: impl Fn(i32, i32) -> i32,
) {
    for &k in ks {
        for &c in cs {
            let wat = format!(
                r#"(module
                (func (export "plain") (param i32 i32 i32) (result i32) local.get 0 local.get 1 i32.{shift} local.get 2 i32.{op})
                (func (export "fused") (param i32) (result i32) local.get 0 i32.const {k} i32.{shift} i32.const {c} i32.{op})
                (func (export "fused_acc") (param i32 i32) (result i32)
                  local.get 0 local.get 1 i32.mul i32.const {k} i32.{shift} i32.const {c} i32.{op})
                (func (export "kept") (param i32) (result i32) (local i32)
                  local.get 0 i32.const {k} i32.{shift} local.tee 1 i32.const {c} i32.{op} local.get 1 i32.xor))"#
            );
            let at = |f: u32| lowered(&wat, f);
            assert!(at(1).contains(&format!("{form} {{")), "{k} {c}: {}", at(1));
            assert!(at(2).contains(&format!("{form}Acc {{")), "{k} {c}: {}", at(2));
            assert!(!at(3).contains(form), "{k} {c}: {}", at(3));
            let (mut store, inst) = instance(&wat);
            let f = |n: &str| inst.get_func(&store, n).unwrap();
            let (plain, fused, fused_acc, kept) =
                (f("plain"), f("fused"), f("fused_acc"), f("kept"));
            for &x in I32_EDGES {
                let x = x as i32;
                let want = call(&mut store, plain, &[Value::I32(x), Value::I32(k), Value::I32(c)]);
                assert_eq!(
                    call(&mut store, fused, &[Value::I32(x)]),
                    want,
                    "{x} {shift} {k} {op} {c}"
                );
                let want_acc = call(
                    &mut store,
                    plain,
                    &[Value::I32(x.wrapping_mul(3)), Value::I32(k), Value::I32(c)],
                );
                assert_eq!(
                    call(&mut store, fused_acc, &[Value::I32(x), Value::I32(3)]),
                    want_acc,
                    "{x} * 3 {shift} {k} {op} {c}"
                );
                // The shifted value, from the plain function with the identity as `op`.
                let identity = if op == "and" { -1 } else { 0 };
                let args = [Value::I32(x), Value::I32(k), Value::I32(identity)];
                let Ok(shifted) = call(&mut store, plain, &args) else { panic!("{x} {k}") };
                let [Value::I32(shifted)] = shifted[..] else { panic!("{shifted:?}") };
                let want_kept = Value::I32(eval(shifted, c) ^ shifted);
                assert_eq!(
                    call(&mut store, kept, &[Value::I32(x)]),
                    Ok(vec![want_kept]),
                    "kept {x} {k} {c}"
                );
            }
        }
    }
}

/// `(x >> k) & m` (unsigned shift) as one `I32ShrUAndImm`, a bit-field extract; see
/// [`check_shift_then_imm`].
#[test]
fn bit_field_extracts_match_plain_shift_and_and() {
    let ks = [0, 1, 4, 8, 16, 31, 32, 36, -1];
    let masks = [0, 1, 15, 255, 0xffff, -1, i32::MIN, i32::MAX];
    check_shift_then_imm("shr_u", "and", "I32ShrUAndImm", &ks, &masks, |s, m| s & m);
}

/// `(x << k) + c` as one `I32ShlAddImm`, an array address with a constant base; see
/// [`check_shift_then_imm`].
#[test]
fn shifted_index_plus_constant_matches_plain_shift_and_add() {
    let ks = [0, 1, 2, 3, 31, 32, 33, -1];
    let cs = [0, 1, 1024, -4, i32::MAX, i32::MIN];
    check_shift_then_imm("shl", "add", "I32ShlAddImm", &ks, &cs, i32::wrapping_add);
}

/// A 16-bit constant stored at base + index (`I32Store8ImmIdx`), against the same store at an
/// address passed in: wrapping sums, the offset, the bytes written and the bounds check.
#[test]
fn indexed_constant_stores_match_plain_stores() {
    let stores = [
        "i32.store",
        "i64.store",
        "i32.store8",
        "i32.store16",
        "i64.store8",
        "i64.store16",
        "i64.store32",
    ];
    for store_op in stores {
        let ty = &store_op[..3];
        for k in [-32768i32, -1, 0, 1, 255, 32767] {
            let wat = format!(
                r#"(module (memory 1)
                (func (export "plain") (param i32) local.get 0 {ty}.const {k} {store_op} offset=3)
                (func (export "idx") (param i32 i32) local.get 0 local.get 1 i32.add {ty}.const {k} {store_op} offset=3)
                (func (export "peek") (param i32) (result i64) local.get 0 i64.load offset=3)
                (func (export "clear") (param i32) local.get 0 i64.const -6148914691236517206 i64.store offset=3))"#
            );
            assert!(
                lowered(&wat, 1).contains("ImmIdx {"),
                "{store_op} {k} not fused: {}",
                lowered(&wat, 1)
            );
            let (mut store, inst) = instance(&wat);
            let f = |n: &str| inst.get_func(&store, n).unwrap();
            let (plain, idx) = (f("plain"), f("idx"));
            let probe = Probe { peek: f("peek"), clear: f("clear") };
            for (a, b) in
                [(0i32, 0i32), (10, 20), (-1, 1), (65_520, 8), (65_532, 0), (65_536, 0), (-4, 0)]
            {
                let at = a.wrapping_add(b);
                assert_same_store(
                    &mut store,
                    &probe,
                    at,
                    (plain, &[Value::I32(at)]),
                    (idx, &[Value::I32(a), Value::I32(b)]),
                    &format!("{store_op} [{a} + {b}] = {k}"),
                );
            }
        }
    }
}

/// `x ^ (x << k)`, `x ^ (x >> k)` (`I64XorShrUImm`, and `I64XorShrUImmAcc` when `x` was just
/// computed), with the shift on either side of the xor, against the plain operators with `k`
/// passed in. A shift whose result is also kept in a local is not fused.
#[test]
fn xor_shifts_match_plain_xor_and_shift() {
    for ty in ["i32", "i64"] {
        let edges = if ty == "i32" { I32_EDGES } else { I64_EDGES };
        for shift in ["shl", "shr_s", "shr_u"] {
            for k in [0i64, 1, 7, 13, 31, 33, 63, 64, -1] {
                let wat = format!(
                    r#"(module
                    (func (export "plain") (param {ty} {ty}) (result {ty}) local.get 0 local.get 0 local.get 1 {ty}.{shift} {ty}.xor)
                    (func (export "right") (param {ty}) (result {ty}) local.get 0 local.get 0 {ty}.const {k} {ty}.{shift} {ty}.xor)
                    (func (export "left") (param {ty}) (result {ty}) local.get 0 {ty}.const {k} {ty}.{shift} local.get 0 {ty}.xor)
                    (func (export "acc") (param {ty} {ty}) (result {ty}) (local {ty})
                      local.get 0 local.get 1 {ty}.mul local.tee 2 local.get 2 {ty}.const {k} {ty}.{shift} {ty}.xor)
                    (func (export "kept") (param {ty}) (result {ty}) (local {ty})
                      local.get 0 local.get 0 {ty}.const {k} {ty}.{shift} local.tee 1 {ty}.xor local.get 1 {ty}.add))"#
                );
                for func in [1, 2] {
                    assert!(
                        lowered(&wat, func).contains("Xor")
                            && lowered(&wat, func).contains("Imm {"),
                        "{ty} {shift} {k}: {}",
                        lowered(&wat, func)
                    );
                }
                assert!(
                    lowered(&wat, 3).contains("ImmAcc {") && lowered(&wat, 3).contains("Xor"),
                    "{ty} {shift} {k}: {}",
                    lowered(&wat, 3)
                );
                assert!(
                    !lowered(&wat, 4).contains("XorSh"),
                    "{ty} {shift} {k}: {}",
                    lowered(&wat, 4)
                );
                let (mut store, inst) = instance(&wat);
                let f = |n: &str| inst.get_func(&store, n).unwrap();
                let (plain, right, left, acc, kept) =
                    (f("plain"), f("right"), f("left"), f("acc"), f("kept"));
                for &x in edges {
                    let want = call(&mut store, plain, &[val(ty, x), val(ty, k)]);
                    assert_eq!(
                        call(&mut store, right, &[val(ty, x)]),
                        want,
                        "{ty} {x} ^ ({x} {shift} {k})"
                    );
                    assert_eq!(
                        call(&mut store, left, &[val(ty, x)]),
                        want,
                        "{ty} ({x} {shift} {k}) ^ {x}"
                    );
                    let prod = if ty == "i32" {
                        (x as i32).wrapping_mul(3) as i64
                    } else {
                        x.wrapping_mul(3)
                    };
                    let want_acc = call(&mut store, plain, &[val(ty, prod), val(ty, k)]);
                    assert_eq!(
                        call(&mut store, acc, &[val(ty, x), val(ty, 3)]),
                        want_acc,
                        "{ty} acc {x}*3 {shift} {k}"
                    );
                    // kept: (x ^ s) + s where s = x shift k, so s = (x ^ s) ^ x.
                    let got = call(&mut store, kept, &[val(ty, x)]);
                    let xs = call(&mut store, plain, &[val(ty, x), val(ty, k)]);
                    let (Ok(xs), Ok(got)) = (xs, got) else { panic!("kept trapped") };
                    let (xs, got) = (xs[0], got[0]);
                    let expect = match (xs, val(ty, x)) {
                        (Value::I32(xs), Value::I32(x)) => Value::I32(xs.wrapping_add(xs ^ x)),
                        (Value::I64(xs), Value::I64(x)) => Value::I64(xs.wrapping_add(xs ^ x)),
                        other => panic!("{other:?}"),
                    };
                    assert_eq!(got, expect, "{ty} kept {x} {shift} {k}");
                }
            }
        }
    }
}

/// A load at `x + k` (`I32Load8UAddImm`) and at `x * y + k` with a memarg offset
/// (`I32Load8UAddImmAcc`), against the same load at an address passed in: the add wraps, the
/// offset does not, and the bounds check sees the wrapped address plus the offset.
#[test]
fn loads_at_a_constant_displacement_match_plain_loads() {
    let loads = [
        "i32.load",
        "i64.load",
        "f32.load",
        "f64.load",
        "i32.load8_s",
        "i32.load8_u",
        "i32.load16_s",
        "i32.load16_u",
    ];
    for load in loads {
        let ty = &load[..3];
        for k in [0i32, 1, 1024, -1, -1024, i32::MIN, 65_530] {
            let wat = format!(
                r#"(module (memory 1) (data (i32.const 0) "\01\82\03\84\05\86\07\88\09\8a\0b\8c\0d\8e\0f\90")
                (data (i32.const 65528) "\f1\f2\f3\f4\f5\f6\f7\f8")
                (func (export "plain") (param i32) (result {ty}) local.get 0 {load})
                (func (export "plain_off") (param i32) (result {ty}) local.get 0 {load} offset=3)
                (func (export "fused") (param i32) (result {ty}) local.get 0 i32.const {k} i32.add {load})
                (func (export "fused_acc") (param i32 i32) (result {ty})
                  local.get 0 local.get 1 i32.mul i32.const {k} i32.add {load} offset=3))"#
            );
            assert!(lowered(&wat, 2).contains("AddImm {"), "{load} {k}: {}", lowered(&wat, 2));
            assert!(lowered(&wat, 3).contains("AddImmAcc {"), "{load} {k}: {}", lowered(&wat, 3));
            let (mut store, inst) = instance(&wat);
            let f = |n: &str| inst.get_func(&store, n).unwrap();
            let (plain, plain_off, fused, fused_acc) =
                (f("plain"), f("plain_off"), f("fused"), f("fused_acc"));
            for x in [0i32, 1, 5, 1023, -1024, -1, 64_500, 65_528, 65_535, i32::MAX, i32::MIN] {
                let at = [Value::I32(x.wrapping_add(k))];
                let want = same_fn(call(&mut store, plain, &at));
                assert_eq!(
                    same_fn(call(&mut store, fused, &[Value::I32(x)])),
                    want,
                    "{load} [{x} + {k}]"
                );
                let want_off = same_fn(call(&mut store, plain_off, &at));
                let got = same_fn(call(&mut store, fused_acc, &[Value::I32(x), Value::I32(1)]));
                assert_eq!(got, want_off, "{load} [{x} * 1 + {k}] offset=3");
            }
        }
    }
}

/// The float accumulator (`OpCode::sets_float_acc`, `reads_float_acc`): a float computed by one
/// instruction reaches the next through a float register. Every kind of float-computing
/// producer (binary, immediate, accumulator, unary with and without a libm call, conversions,
/// demote/promote, loads) feeds every kind of float accumulator consumer (binary, immediate, compare
/// and branch with a slot and with an immediate), also across a store and a `global.set`; the
/// result must equal the producer and the consumer run as separate calls, bit for bit, and the
/// consumer must have read the accumulator. Float loads set it too. After a float that arrived
/// as bits (`global.get`, `select`) the consumer must read its slot instead.
#[test]
fn float_accumulator_carries_values_between_float_instructions() {
    use fayasm_ir::Op;
    fn reads_float_acc(wat: &str, func: u32) -> bool {
        let engine = Engine::default();
        let module = Module::new(&engine, &wat::parse_str(wat).unwrap())
            .unwrap_or_else(|e| panic!("{e}\n{wat}"));
        let ops: Vec<Op> = module.lower_function(func).unwrap().unwrap().ops;
        ops.iter().any(|op| op.opcode().reads_float_acc())
    }
    let f64s = [0.0, -0.0, 1.5, -2.25, 3.5, 1e300, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
    let ints = [0i64, 1, -7, 1 << 40, i64::MIN];
    for ty in ["f32", "f64"] {
        let other = if ty == "f32" { "f64" } else { "f32" };
        let conv = if ty == "f32" { "f32.demote_f64" } else { "f64.promote_f32" };
        // (producer, its parameter types, whether it sets the float accumulator)
        let producers: Vec<(String, String, bool)> = vec![
            (format!("local.get 0 local.get 1 {ty}.mul"), format!("{ty} {ty}"), true),
            (format!("local.get 0 local.get 1 {ty}.copysign"), format!("{ty} {ty}"), true),
            (format!("local.get 0 {ty}.const 3 {ty}.sub"), format!("{ty} {ty}"), true),
            (
                format!("local.get 0 local.get 1 {ty}.mul local.get 1 {ty}.add"),
                format!("{ty} {ty}"),
                true,
            ),
            (format!("local.get 0 {ty}.const 0.5 {ty}.mul {ty}.neg"), format!("{ty} {ty}"), true),
            (format!("local.get 0 {ty}.abs"), format!("{ty} {ty}"), true),
            (format!("local.get 0 {ty}.sqrt"), format!("{ty} {ty}"), true),
            (format!("local.get 0 {ty}.ceil"), format!("{ty} {ty}"), true),
            (format!("local.get 0 {ty}.nearest"), format!("{ty} {ty}"), true),
            (format!("local.get 0 {conv}"), format!("{other} {ty}"), true),
            (format!("local.get 0 i32.wrap_i64 {ty}.convert_i32_s"), "i64 i64".into(), true),
            (format!("local.get 0 {ty}.convert_i64_u"), "i64 i64".into(), true),
            // Stores and global.set between producer and consumer keep the accumulator.
            (
                format!(
                    "local.get 0 local.get 1 {ty}.add local.set $t local.get $k local.get $t \
                     {ty}.store local.get $k global.set 1 local.get $t"
                ),
                format!("{ty} {ty}"),
                true,
            ),
            // Float loads set it too, in every addressing form.
            (
                format!("i32.const 16 local.get 0 {ty}.store i32.const 16 {ty}.load"),
                format!("{ty} {ty}"),
                true,
            ),
            (
                format!(
                    "local.get $k local.get 0 {ty}.store offset=24 local.get $k i32.const 3 \
                     i32.shl i32.const 24 i32.add {ty}.load"
                ),
                format!("{ty} {ty}"),
                true,
            ),
            // Floats that arrive as bits: the consumer reads the slot.
            ("global.get 0".to_string(), format!("{ty} {ty}"), false),
            (
                format!("local.get 0 local.get 1 local.get 0 local.get 1 {ty}.lt select"),
                format!("{ty} {ty}"),
                false,
            ),
        ];
        let consumers = [
            (format!("local.get $c {ty}.add"), ty),
            (format!("{ty}.const 2 {ty}.mul"), ty),
            (
                format!(
                    "local.get $c {ty}.lt (if (result i32) (then i32.const 1) (else i32.const 2))"
                ),
                "i32",
            ),
            (
                format!(
                    "{ty}.const 4 {ty}.gt (if (result i32) (then i32.const 1) (else i32.const 2))"
                ),
                "i32",
            ),
            (format!("local.get $c {ty}.ge br_if $b i32.const 3"), "i32"),
            // A store of the value (`F64StoreAcc`), read back.
            (
                format!(
                    "local.set $t local.get $k local.get $t {ty}.store offset=40 \
                     local.get $k {ty}.load offset=40"
                ),
                ty,
            ),
        ];
        for (producer, params, sets) in &producers {
            let p: Vec<&str> = params.split(' ').collect();
            for (consumer, result) in &consumers {
                // A `br_if` carries the i32 below the float out of the block when taken.
                let fused_body = if consumer.contains("br_if") {
                    format!("(block $b (result i32) i32.const 5 {producer} {consumer} i32.add)")
                } else {
                    format!("{producer} {consumer}")
                };
                let cons_body = fused_body.replace(producer.as_str(), "local.get $x");
                let wat = format!(
                    r#"(module
                    (memory 1)
                    (global (mut {ty}) ({ty}.const 1.25))
                    (global (mut i32) (i32.const 0))
                    (func (export "fused") (param {p0}) (param {p1}) (param $c {ty}) (result {result})
                      (local $t {ty}) (local $k i32) {fused_body})
                    (func (export "prod") (param {p0}) (param {p1}) (result {ty})
                      (local $t {ty}) (local $k i32) {producer})
                    (func (export "cons") (param $x {ty}) (param $c {ty}) (result {result})
                      (local $t {ty}) (local $k i32) {cons_body}))"#,
                    p0 = p[0],
                    p1 = p[1],
                );
                assert_eq!(
                    reads_float_acc(&wat, 0),
                    *sets,
                    "{ty}: `{producer}` then `{consumer}`: {}",
                    lowered(&wat, 0)
                );
                let (mut store, inst) = instance(&wat);
                let f = |n: &str| inst.get_func(&store, n).unwrap();
                let (fused, prod, cons) = (f("fused"), f("prod"), f("cons"));
                let arg = |t: &str, x: f64, i: i64| match t {
                    "f32" => Value::F32((x as f32).into()),
                    "f64" => Value::F64(x.into()),
                    _ => Value::I64(i),
                };
                for (k, &x) in f64s.iter().enumerate() {
                    let i = ints[k % ints.len()];
                    for &y in &[2.0, -0.75] {
                        let (a, b) = (arg(p[0], x, i), arg(p[1], y, i / 3));
                        let produced = call(&mut store, prod, &[a, b]).unwrap();
                        for &c in &[0.5, f64::NAN, -4.0] {
                            let c = arg(ty, c, 0);
                            assert_eq!(
                                call(&mut store, fused, &[a, b, c]),
                                call(&mut store, cons, &[produced[0], c]),
                                "{ty}: `{producer}` then `{consumer}` on {a:?} {b:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}

/// A constant left operand of a non-commutative operator (`0 - x`, `1 << k`, `rotl(-2, k)`) as
/// `I32SubImmL`/`I64ShlImmL`, and `I32RotlImmLAcc` when the right operand was just computed,
/// against the operator on the constant passed in: shift counts past the width, negative and
/// extreme constants included. An i64 constant that does not fit an i32 stays a constant.
#[test]
fn left_immediates_match_plain_operators() {
    for ty in ["i32", "i64"] {
        let edges = if ty == "i32" { I32_EDGES } else { I64_EDGES };
        for op in ["sub", "shl", "shr_s", "shr_u", "rotl", "rotr"] {
            for &k in edges {
                let wat = format!(
                    r#"(module
                    (func (export "plain") (param {ty} {ty}) (result {ty})
                      local.get 0 local.get 1 {ty}.{op})
                    (func (export "imm") (param {ty}) (result {ty})
                      {ty}.const {k} local.get 0 {ty}.{op})
                    (func (export "acc") (param {ty} {ty}) (result {ty}) (local $t {ty})
                      local.get 0 local.get 1 {ty}.add local.set $t
                      {ty}.const {k} local.get $t {ty}.{op}))"#
                );
                let fits = i32::try_from(k).is_ok();
                assert_eq!(
                    lowered(&wat, 1).contains("ImmL {"),
                    fits,
                    "{ty}.{op} {k}: {}",
                    lowered(&wat, 1)
                );
                assert_eq!(
                    lowered(&wat, 2).contains("ImmLAcc"),
                    fits,
                    "{ty}.{op} {k}: {}",
                    lowered(&wat, 2)
                );
                let (mut store, inst) = instance(&wat);
                let f = |n: &str| inst.get_func(&store, n).unwrap();
                let (plain, imm, acc) = (f("plain"), f("imm"), f("acc"));
                for &x in edges {
                    let want = call(&mut store, plain, &[val(ty, k), val(ty, x)]);
                    assert_eq!(call(&mut store, imm, &[val(ty, x)]), want, "{ty}.{op} {k} {x}");
                    // acc computes x + 0.
                    assert_eq!(
                        call(&mut store, acc, &[val(ty, x), val(ty, 0)]),
                        want,
                        "{ty}.{op} {k} {x} (acc)"
                    );
                }
            }
        }
    }
}

/// A float computed into the float accumulator only, reinterpreted as an integer (the same
/// slot, no instruction) and consumed by an integer operator: the consumer must read the slot,
/// not the integer accumulator (which the float instruction left stale). wasm-smith found this.
#[test]
fn reinterpreted_floats_are_read_from_their_slot() {
    for (fty, ity) in [("f32", "i32"), ("f64", "i64")] {
        let wat = format!(
            r#"(module
            (func (export "fused") (param {fty} {fty} {ity}) (result {ity})
              local.get 0 local.get 1 {fty}.add {ity}.reinterpret_{fty} local.get 2 {ity}.xor)
            (func (export "fused_br") (param {fty} {fty} {ity}) (result {ity})
              block local.get 0 local.get 1 {fty}.mul {ity}.reinterpret_{fty} local.get 2
              {ity}.lt_u br_if 0 {ity}.const 7 return end {ity}.const 9)
            (func (export "sum") (param {fty} {fty}) (result {ity})
              local.get 0 local.get 1 {fty}.add {ity}.reinterpret_{fty}))"#
        );
        let (mut store, inst) = instance(&wat);
        let f = |n: &str| inst.get_func(&store, n).unwrap();
        let (fused, fused_br, sum) = (f("fused"), f("fused_br"), f("sum"));
        let fv = |x: f64| {
            if fty == "f32" { Value::F32((x as f32).into()) } else { Value::F64(x.into()) }
        };
        for (x, y) in [(1.5, 2.25), (-0.0, 0.0), (1e30, -3.0), (f64::NAN, 1.0)] {
            for k in [0i64, -1, 0x1234_5678] {
                let bits = match call(&mut store, sum, &[fv(x), fv(y)]).unwrap()[0] {
                    Value::I32(v) => i64::from(v),
                    Value::I64(v) => v,
                    other => panic!("{other:?}"),
                };
                let kv = val(ity, k);
                assert_eq!(
                    call(&mut store, fused, &[fv(x), fv(y), kv]),
                    Ok(vec![val(ity, bits ^ k)]),
                    "{fty} {x} + {y} ^ {k}"
                );
                let prod = match call(&mut store, sum, &[fv(x * y), fv(0.0)]).unwrap()[0] {
                    Value::I32(v) => u64::from(v as u32),
                    Value::I64(v) => v as u64,
                    other => panic!("{other:?}"),
                };
                let kk = if ity == "i32" { u64::from(k as u32) } else { k as u64 };
                let want = if prod < kk { 9 } else { 7 };
                // x * y + 0.0 equals x * y except for -0.0, which x * y never is here.
                if x * y != 0.0 {
                    assert_eq!(
                        call(&mut store, fused_br, &[fv(x), fv(y), kv]),
                        Ok(vec![val(ity, want)]),
                        "{fty} {x} * {y} <u {k}"
                    );
                }
            }
        }
    }
}

/// Accesses at a constant address (`*Abs`: an `i32.const` address with the memarg offset folded
/// in) against the same access with the address passed in, at addresses around the end of
/// memory and with offsets that push the sum past 2^32 (which stays a plain access and traps).
#[test]
fn constant_address_accesses_match_plain_accesses() {
    let addresses: &[i64] = &[
        0,
        1,
        7,
        1024,
        65527,
        65528,
        65529,
        65532,
        65534,
        65535,
        65536,
        65537,
        0xffff_fff8,
        0xffff_ffff,
    ];
    let offsets: &[u32] = &[0, 1, 8, 65535, 0xffff_0000, 0xffff_ffff];
    let loads = ALL_LOADS;
    for load in loads {
        let ty = &load[..3];
        for &offset in offsets {
            let fused: String = addresses
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    format!("(func (export \"at{i}\") (result {ty}) i32.const {a} {load} offset={offset})")
                })
                .collect();
            let wat = format!(
                r#"(module (memory 1)
                (data (i32.const 0) "\01\82\03\f4\05\86\07\08\09\fa\0b\0c\0d\0e\0f\10")
                (data (i32.const 65520) "\81\02\83\04\85\06\87\08\ff\fe\fd\fc\fb\fa\f9\f8")
                (func (export "plain") (param i32) (result {ty}) local.get 0 {load} offset={offset})
                {fused})"#
            );
            let (mut store, inst) = instance(&wat);
            let plain = inst.get_func(&store, "plain").unwrap();
            for (i, &a) in addresses.iter().enumerate() {
                let ir = lowered(&wat, 1 + i as u32);
                if a as u64 + u64::from(offset) <= u64::from(u32::MAX) {
                    assert!(ir.contains("Abs {"), "{load} offset={offset} at {a}: {ir}");
                } else {
                    assert!(!ir.contains("Abs {"), "{load} offset={offset} at {a}: {ir}");
                }
                let f = inst.get_func(&store, &format!("at{i}")).unwrap();
                let want = same_fn(call(&mut store, plain, &[Value::I32(a as i32)]));
                assert_eq!(
                    same_fn(call(&mut store, f, &[])),
                    want,
                    "{load} offset={offset} at {a}"
                );
            }
        }
    }
    let stores = ALL_STORES;
    for store_op in stores {
        let ty = &store_op[..3];
        // An immediate the lowering keeps (no f64 immediates) and a value passed in.
        let k = if ty == "f64" {
            "-2.5e300"
        } else if ty == "f32" {
            "-2.5"
        } else {
            "-123456"
        };
        for &offset in &[0u32, 3, 0xffff_ffff] {
            let fused: String = addresses
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    format!(
                        "(func (export \"v{i}\") (param {ty}) i32.const {a} local.get 0 {store_op} offset={offset})
                         (func (export \"k{i}\") i32.const {a} {ty}.const {k} {store_op} offset={offset})"
                    )
                })
                .collect();
            let wat = format!(
                r#"(module (memory 1)
                (func (export "plain") (param i32 {ty}) local.get 0 local.get 1 {store_op} offset={offset})
                (func (export "plain_k") (param i32) local.get 0 {ty}.const {k} {store_op} offset={offset})
                (func (export "peek") (param i32) (result i64) local.get 0 i64.load)
                (func (export "clear") (param i32) local.get 0 i64.const 0 i64.store)
                {fused})"#
            );
            let (mut store, inst) = instance(&wat);
            let f = |n: &str| inst.get_func(&store, n).unwrap();
            let probe = Probe { peek: f("peek"), clear: f("clear") };
            let (plain, plain_k) = (f("plain"), f("plain_k"));
            let fused_v: Vec<Func> = (0..addresses.len()).map(|i| f(&format!("v{i}"))).collect();
            let fused_k: Vec<Func> = (0..addresses.len()).map(|i| f(&format!("k{i}"))).collect();
            let value = match ty {
                "i32" => Value::I32(-0x1234_5679),
                "i64" => Value::I64(-0x1234_5678_9abc_def1),
                "f32" => Value::F32((-1.75f32).into()),
                _ => Value::F64(3.5f64.into()),
            };
            for (i, &a) in addresses.iter().enumerate() {
                let sum = a as u64 + u64::from(offset);
                let (v_ir, k_ir) =
                    (lowered(&wat, 4 + 2 * i as u32), lowered(&wat, 5 + 2 * i as u32));
                if sum <= u64::from(u32::MAX) {
                    assert!(v_ir.contains("Abs {"), "{store_op} offset={offset} at {a}: {v_ir}");
                    // Float constants are not store immediates (`F32StoreImm` comes from integer bits).
                    if ty.starts_with('i') {
                        assert!(
                            k_ir.contains("ImmAbs {"),
                            "{store_op} offset={offset} at {a}: {k_ir}"
                        );
                    }
                } else {
                    assert!(
                        !v_ir.contains("Abs {") && !k_ir.contains("Abs {"),
                        "{store_op} at {a}: {v_ir} {k_ir}"
                    );
                }
                // Where the bytes land, within memory, 8-byte aligned for `peek`.
                let at = (sum.min(65528) & !7) as i32;
                let addr = Value::I32(a as i32);
                let what = format!("{store_op} offset={offset} at {a}");
                assert_same_store(
                    &mut store,
                    &probe,
                    at,
                    (plain, &[addr, value]),
                    (fused_v[i], &[value]),
                    &what,
                );
                assert_same_store(
                    &mut store,
                    &probe,
                    at,
                    (plain_k, &[addr]),
                    (fused_k[i], &[]),
                    &what,
                );
            }
        }
    }
}

/// The microcode of function `func`.
fn lowered_ops(wat: &str, func: u32) -> Vec<fayasm_ir::Op> {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap())
        .unwrap_or_else(|e| panic!("{e}\n{wat}"));
    module.lower_function(func).unwrap().unwrap().ops
}

fn is_const(op: &fayasm_ir::Op) -> bool {
    matches!(op, fayasm_ir::Op::Const32 { .. } | fayasm_ir::Op::Const64 { .. })
}

/// Constants inside a loop that no immediate form takes (a wide `i64.const`, a constant left
/// operand, `select` arms, a constant with instructions between it and its consumer, an f64
/// no f32 holds, a stored wide constant, a `global.set` of a constant) move to constant slots
/// filled once by the function's preamble. Checked against the same loop with the constants
/// passed as parameters, over edge values, and that no `Const` is left after the preamble.
#[test]
fn constant_slots_match_constants_as_parameters() {
    let body = |k1: &str, k2: &str, k3: &str, kf: &str| {
        format!(
            r#"local.get $x local.set $acc
            loop $l
              local.get $acc {k1} i64.add local.set $acc
              {k1} local.get $acc i64.rotl local.set $acc
              {k2} local.get $acc local.get $n i32.const 1 i32.and select local.set $acc
              {k3} local.get $acc local.get $acc i64.mul i64.sub local.set $acc
              local.get $f {kf} f64.add local.set $f
              i32.const 8 {k1} i64.store
              {k2} global.set $g
              local.get $acc {k3} i64.lt_u local.get $n i32.const 1 i32.sub local.tee $n i32.and
              br_if $l
            end
            local.get $acc global.get $g i64.xor i32.const 8 i64.load i64.xor
            local.get $f i64.reinterpret_f64 i64.xor"#
        )
    };
    let wide = [0x1_ffff_fffd_i64, i64::MIN, -0x1234_5678_9abc, 0x7fff_ffff_0000_0001];
    for (i, &k1) in wide.iter().enumerate() {
        let (k2, k3) = (wide[(i + 1) % wide.len()], wide[(i + 2) % wide.len()]);
        let c = |k: i64| format!("i64.const {k}");
        let wat = format!(
            r#"(module (memory 1) (global $g (mut i64) (i64.const 0))
            (func (export "slots") (param $x i64) (param $n i32) (result i64) (local $acc i64) (local $f f64)
              {})
            (func (export "plain") (param $x i64) (param $n i32) (param $k1 i64) (param $k2 i64) (param $k3 i64) (param $kf f64)
              (result i64) (local $acc i64) (local $f f64)
              {}))"#,
            body(&c(k1), &c(k2), &c(k3), "f64.const 0.1"),
            body("local.get $k1", "local.get $k2", "local.get $k3", "local.get $kf"),
        );
        let ops = lowered_ops(&wat, 0);
        let preamble = ops.iter().take_while(|op| is_const(op)).count();
        assert!(preamble >= 4, "no constant slots: {ops:?}");
        assert!(!ops[preamble..].iter().any(is_const), "a Const left in the loop: {ops:?}");
        let (mut store, inst) = instance(&wat);
        let [slots, plain] = ["slots", "plain"].map(|n| inst.get_func(&store, n).unwrap());
        for &x in I64_EDGES {
            for n in [1, 2, 3, 8] {
                let want = call(
                    &mut store,
                    plain,
                    &[
                        Value::I64(x),
                        Value::I32(n),
                        Value::I64(k1),
                        Value::I64(k2),
                        Value::I64(k3),
                        Value::F64(0.1f64.into()),
                    ],
                );
                let got = call(&mut store, slots, &[Value::I64(x), Value::I32(n)]);
                assert_eq!(got, want, "x={x} n={n} k={k1},{k2},{k3}");
            }
        }
    }
}

/// A `v128.const` right operand of a binary SIMD instruction inside a loop moves into two
/// adjacent constant slots (one pair for both uses of the same value); a constant left
/// operand and a shift count stay where they are. Checked against the same loop with the
/// constants passed as parameters, and that the loop keeps only the shift count's `Const`.
#[test]
fn v128_constants_move_to_constant_slots() {
    const K1: &str = "i32x4 1 -1 0x7fffffff 0x80000000";
    const K2: &str = "i64x2 0x0123456789abcdef 0x7ff8000000000000";
    let body = |k1: &str, k2: &str| {
        format!(
            r#"loop
              local.get 0 {k1} i32x4.add
              {k2} f64x2.max
              {k1} v128.xor
              i32.const 1 i8x16.shl
              {k2} local.get 0 i64x2.sub
              i64x2.add
              {k1} i16x8.sub
              local.set 0
              local.get 1 i32.const 1 i32.sub local.tee 1 br_if 0
            end
            local.get 0"#
        )
    };
    let consts = body(&format!("v128.const {K1}"), &format!("v128.const {K2}"));
    let plain = body("local.get 2", "local.get 3");
    let wat = format!(
        r#"(module
          (func (export "consts") (param v128 i32) (result v128) {consts})
          (func (export "plain") (param v128 i32 v128 v128) (result v128) {plain}))"#
    );
    let ops = lowered_ops(&wat, 0);
    let preamble = ops.iter().take_while(|op| is_const(op)).count();
    assert_eq!(preamble, 4, "two v128 constants, one pair each: {ops:?}");
    let in_loop: Vec<_> = ops[preamble..].iter().filter(|op| is_const(op)).collect();
    assert!(
        matches!(in_loop[..], [fayasm_ir::Op::Const32 { value: 1, .. }, _, _]),
        "the shift count and the left-operand constant stay: {in_loop:?}"
    );
    let (mut store, inst) = instance(&wat);
    let (fast, slow) =
        (inst.get_func(&store, "consts").unwrap(), inst.get_func(&store, "plain").unwrap());
    let k1 = 0x8000_0000_7fff_ffff_ffff_ffff_0000_0001u128;
    let k2 = 0x7ff8_0000_0000_0000_0123_4567_89ab_cdefu128;
    for x in [0u128, u128::MAX, 0x0011_2233_4455_6677_8899_aabb_ccdd_eeff, 1 << 127] {
        for n in [1, 2, 7] {
            let want = call(
                &mut store,
                slow,
                &[Value::V128(x), Value::I32(n), Value::V128(k1), Value::V128(k2)],
            );
            let got = call(&mut store, fast, &[Value::V128(x), Value::I32(n)]);
            assert_eq!(got, want, "x={x:#x} n={n}");
        }
    }
}

/// A `local.set`/`local.tee` of a SIMD result writes the local directly (no `Copy2`): with
/// the local among the operands, with its old value still on the stack (which must keep the
/// old value), after a load, and not past a label. Results checked against lane arithmetic.
#[test]
fn v128_results_written_straight_into_locals() {
    let wat = r#"(module (memory 1)
      (func (export "f") (param $a v128) (param $b v128) (result v128 v128 v128)
        (local $t v128)
        local.get $a
        local.get $a local.get $b i32x4.add local.set $a
        local.get $a local.get $a i32x4.mul local.tee $t
        i32.const 16 local.get $t v128.store
        i32.const 16 v128.load local.set $b
        local.get $b i32x4.add
        block (result v128) local.get $a end local.set $t
        local.get $t)
    )"#;
    // Cells: $a 0-1, $b 2-3, $t 4-5. The multiply goes straight into $t and the load into
    // $b; the first add, whose local's old value is still on the stack, writes its own slot
    // (the old value is copied out first), and so does the block's result.
    let ops = lowered_ops(wat, 0);
    use fayasm_ir::Op;
    assert!(ops.iter().any(|op| matches!(op, Op::I32x4Mul { dst: 4, lhs: 0, rhs: 0 })), "{ops:?}");
    assert!(ops.iter().any(|op| matches!(op, Op::V128Load { dst: 2, .. })), "{ops:?}");
    assert!(
        matches!(ops[..2], [Op::I32x4Add { dst, .. }, Op::Copy2 { dst: 6, src: 0 }] if dst > 5),
        "{ops:?}"
    );
    let (mut store, inst) = instance(wat);
    let f = inst.get_func(&store, "f").unwrap();
    let lanes =
        |v: [u32; 4]| v.iter().enumerate().fold(0u128, |x, (i, &l)| x | u128::from(l) << (32 * i));
    let (a, b) = ([1u32, 0xffff_ffff, 0x8000_0000, 7], [2u32, 1, 0x8000_0000, 0xffff_fff0]);
    let sum: [u32; 4] = core::array::from_fn(|i| a[i].wrapping_add(b[i]));
    let sq: [u32; 4] = core::array::from_fn(|i| sum[i].wrapping_mul(sum[i]));
    let twice_sq: [u32; 4] = core::array::from_fn(|i| sq[i].wrapping_add(sq[i]));
    // The stack ends as [old $a, $b + the product ($b is the product), $t = the sum].
    assert_eq!(
        call(&mut store, f, &[Value::V128(lanes(a)), Value::V128(lanes(b))]),
        Ok(vec![Value::V128(lanes(a)), Value::V128(lanes(twice_sq)), Value::V128(lanes(sum))])
    );
}

/// A function whose results take more cells than its parameters and locals returns them in
/// cells the operand stack also uses, so it gets no constant slots; and a function whose frame
/// would not fit them is lowered again without. Both still compute the right values.
#[test]
fn constant_slots_give_way_to_results_and_frame_limits() {
    let wat = r#"(module
      (func (export "results") (result i64 i64 i64)
        i64.const 0 i64.const 0 i64.const 0
        loop (param i64 i64 i64) (result i64 i64 i64)
          i64.const 0x1fffffffd i64.add
          i64.const 0x2fffffffd i64.xor
          global.get 0 i32.const 1 i32.sub global.set 0 global.get 0 br_if 0
        end)
      (global (mut i32) (i32.const 3)))"#;
    let ops = lowered_ops(wat, 0);
    assert!(ops.iter().skip_while(|op| is_const(op)).any(is_const), "constant slots: {ops:?}");
    let (mut store, inst) = instance(wat);
    let f = inst.get_func(&store, "results").unwrap();
    let c = (0..3).fold(0i64, |c, _| c.wrapping_add(0x1_ffff_fffd) ^ 0x2_ffff_fffd);
    assert_eq!(call(&mut store, f, &[]), Ok(vec![Value::I64(0), Value::I64(0), Value::I64(c)]));

    // A frame exactly at the limit (1 parameter cell, 49,990 locals, 15,544 operand-stack
    // cells at the constant's use) leaves no room for a constant slot.
    let locals = "i64 ".repeat(49_990);
    let (gets, drops) = ("local.get 0 ".repeat(15_542), "drop ".repeat(15_542));
    let wat = format!(
        r#"(module (func (export "big") (param $n i32) (result i64) (local {locals})
          loop
            {gets} local.get 1 i64.const 0x1fffffffd i64.add local.set 1 {drops}
            local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0
          end
          local.get 1))"#
    );
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(&wat).unwrap()).expect("the big module");
    let code = module.lower_function(0).unwrap().expect("lowers");
    assert_eq!(code.frame_cells, u16::MAX, "the frame is not at the limit");
    // Lowered again without constant slots: the `Const` stays the loop's first instruction.
    let back = code.ops.iter().enumerate().find_map(|(i, op)| match op {
        fayasm_ir::Op::BrIfNezAcc { offset } | fayasm_ir::Op::I32AddImmBrIfNez { offset, .. } => {
            Some(i as i64 + i64::from(*offset))
        }
        _ => None,
    });
    assert!(is_const(&code.ops[0]) && back == Some(0), "{:?}", &code.ops[..4]);
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
    let f = inst.get_func(&store, "big").unwrap();
    assert_eq!(call(&mut store, f, &[Value::I32(3)]), Ok(vec![Value::I64(3 * 0x1_ffff_fffd)]));
}

/// `eqz` of a compare is the negated compare (as a value and as the test of an `if`), and a
/// loop tested at its top (`loop { if cond { body; br loop } }`) closes with the negated test
/// instead of a jump back to it. Both checked against the same code with the compare result
/// passed through a local, over edge values, for every compare and type; ordered float
/// compares must stay un-negated (NaN makes `lt` and `ge` both false).
#[test]
fn negated_compares_and_threaded_loop_tests_match_plain_code() {
    let int_ops = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
    let float_ops = ["eq", "ne", "lt", "gt", "le", "ge"];
    let cases = [
        ("i32", &int_ops[..]),
        ("i64", &int_ops[..]),
        ("f32", &float_ops[..]),
        ("f64", &float_ops[..]),
    ];
    let float_edges: &[f64] =
        &[0.0, -0.0, 1.0, -1.0, 2.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e30];
    for (ty, ops) in cases {
        let is_float = ty.starts_with('f');
        for op in ops {
            // The negation fires for every integer compare and for float `eq`/`ne`.
            let negates = !is_float || ["eq", "ne"].contains(op);
            for rhs in ["local.get $n".to_string(), format!("{ty}.const 5")] {
                let test = |fused: bool| {
                    if fused {
                        format!("local.get $i {rhs} {ty}.{op} i32.eqz")
                    } else {
                        format!("local.get $i {rhs} {ty}.{op} local.set $c local.get $c i32.eqz")
                    }
                };
                // `while test { i += step }`, at most 40 iterations; returns `i` and the count.
                let looped = |name: &str, params: &str, test: &str, step: &str| {
                    format!(
                        r#"(func (export "{name}") {params} (result {ty} i32) (local $c i32) (local $it i32)
                             block loop
                               {test}
                               if
                                 local.get $it i32.const 1 i32.add local.tee $it i32.const 40 i32.eq br_if 2
                                 local.get $i {step} {ty}.add local.set $i
                                 br 1
                               end
                             end end
                             local.get $i local.get $it)
                        "#
                    )
                };
                let params = format!("(param $i {ty}) (param $n {ty}) (param $s {ty})");
                let mut funcs = String::new();
                for (name, fused) in [("fused", true), ("plain", false)] {
                    funcs.push_str(&format!(
                        r#"(func (export "{name}_value") {params} (result i32) (local $c i32) {t})"#,
                        t = test(fused)
                    ));
                    funcs.push_str(&looped(
                        &format!("{name}_loop"),
                        &params,
                        &test(fused),
                        "local.get $s",
                    ));
                }
                // An i32 loop stepping by a constant: the in-place add joins the threaded test
                // (`I32AddImmBrIfNe` for a loop left on `==`, `I32AddImmBrIfLtU` on `>=u`).
                if ty == "i32" {
                    let params = "(param $i i32) (param $n i32)";
                    funcs.push_str(&looped("fused_const_step", params, &test(true), "i32.const 3"));
                }
                let wat = format!("(module {funcs})");
                if ty == "i32" {
                    let stepped = lowered(&wat, 4);
                    let joins = *op == "eq" || *op == "ge_u" && rhs.starts_with("local");
                    assert_eq!(stepped.contains("I32AddImmBrIf"), joins, "{op} {rhs}: {stepped}");
                    let (mut store, inst) = instance(&wat);
                    let fused = inst.get_func(&store, "fused_const_step").unwrap();
                    let plain = inst.get_func(&store, "plain_loop").unwrap();
                    for &i in I32_EDGES {
                        for &n in I32_EDGES {
                            let (i, n) = (Value::I32(i as i32), Value::I32(n as i32));
                            assert_eq!(
                                call(&mut store, fused, &[i, n]),
                                call(&mut store, plain, &[i, n, Value::I32(3)]),
                                "{op} {rhs} const step {i:?} {n:?}"
                            );
                        }
                    }
                }
                let value = lowered(&wat, 0);
                let looped = lowered(&wat, 1);
                assert_eq!(!value.contains("Eqz"), negates, "{ty}.{op} {rhs}: {value}");
                // The jump back to the top test is gone exactly when the test is one branch.
                assert_eq!(
                    !looped.contains(", Br { offset: -"),
                    negates,
                    "{ty}.{op} {rhs}: {looped}"
                );
                // The slot step joins the threaded test where a strided back edge exists for
                // the negated compare (`ne`, `ge_u`, `le_u`, `lt_u` against a slot).
                let strided = !is_float
                    && ["eq", "lt_u", "gt_u", "ge_u"].contains(op)
                    && rhs.starts_with("local");
                assert_eq!(looped.contains("AddBrIf"), strided, "{ty}.{op} {rhs}: {looped}");
                let (plain_value, plain_loop) = (lowered(&wat, 2), lowered(&wat, 3));
                assert!(plain_value.contains("Eqz"), "{plain_value}");
                assert!(plain_loop.contains(", Br {"), "{plain_loop}");
                let (mut store, inst) = instance(&wat);
                let get = |store: &Store<()>, n: &str| inst.get_func(store, n).unwrap();
                let [fv, fl, pv, pl] = ["fused_value", "fused_loop", "plain_value", "plain_loop"]
                    .map(|n| get(&store, n));
                let values: Vec<Value> = match ty {
                    "i32" => I32_EDGES.iter().map(|&v| Value::I32(v as i32)).collect(),
                    "i64" => I64_EDGES.iter().map(|&v| Value::I64(v)).collect(),
                    "f32" => float_edges.iter().map(|&v| Value::F32((v as f32).into())).collect(),
                    _ => float_edges.iter().map(|&v| Value::F64(v.into())).collect(),
                };
                let steps: Vec<Value> = match ty {
                    "i32" => [1, -1, 3].map(Value::I32).to_vec(),
                    "i64" => [1, -1, 3].map(Value::I64).to_vec(),
                    "f32" => [1.0f32, -1.0, 0.5].map(|v| Value::F32(v.into())).to_vec(),
                    _ => [1.0f64, -1.0, 0.5].map(|v| Value::F64(v.into())).to_vec(),
                };
                for &i in &values {
                    for &n in &values {
                        for &s in &steps {
                            let args = [i, n, s];
                            assert_eq!(
                                call(&mut store, fv, &args),
                                call(&mut store, pv, &args),
                                "{ty}.{op} {rhs} {args:?}"
                            );
                            assert_eq!(
                                call(&mut store, fl, &args),
                                call(&mut store, pl, &args),
                                "{ty}.{op} {rhs} loop {args:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}

/// `global.get g; i32.const k; i32.add (or sub); global.set g` as one `GlobalAddImm`, against
/// the same update with `k` passed in: the value left (also through `local.tee`, and read back
/// by `global.get` right after), the global afterwards, wrapping at the edges. A `global.get`
/// whose old value a local keeps stays unfused.
#[test]
fn global_add_immediate_matches_plain_global_update() {
    for &k in I32_EDGES {
        let k = k as i32;
        let wat = format!(
            r#"(module (global $g (mut i32) (i32.const 0))
            (func (export "set") (param i32) local.get 0 global.set $g)
            (func (export "get") (result i32) global.get $g)
            (func (export "add") (result i32) global.get $g i32.const {k} i32.add global.set $g global.get $g)
            (func (export "sub_tee") (result i32) (local i32)
              global.get $g i32.const {k} i32.sub local.tee 0 global.set $g local.get 0)
            (func (export "old_kept") (result i32 i32) (local i32)
              global.get $g local.tee 0 i32.const {k} i32.add global.set $g local.get 0 global.get $g)
            (func (export "plain") (param i32) (result i32)
              global.get $g local.get 0 i32.add global.set $g global.get $g))"#
        );
        for func in [2, 3] {
            let ops = lowered(&wat, func);
            assert!(ops.contains("GlobalAddImm") && !ops.contains("GlobalSet"), "{k}: {ops}");
        }
        assert!(lowered(&wat, 2).matches("GlobalGet").count() == 0, "{}", lowered(&wat, 2));
        assert!(!lowered(&wat, 4).contains("GlobalAddImm"), "{}", lowered(&wat, 4));
        assert!(!lowered(&wat, 5).contains("GlobalAddImm"), "{}", lowered(&wat, 5));
        let (mut store, inst) = instance(&wat);
        let f = |n: &str| inst.get_func(&store, n).unwrap();
        let [set, get, add, sub_tee, old_kept, plain] =
            ["set", "get", "add", "sub_tee", "old_kept", "plain"].map(f);
        for &start in I32_EDGES {
            let start = Value::I32(start as i32);
            let mut run = |func: Func, args: &[Value]| {
                call(&mut store, set, &[start]).unwrap();
                let r = call(&mut store, func, args);
                (r, call(&mut store, get, &[]))
            };
            let want = run(plain, &[Value::I32(k)]);
            assert_eq!(run(add, &[]), want, "{start:?} + {k}");
            assert_eq!(
                run(sub_tee, &[]),
                run(plain, &[Value::I32(k.wrapping_neg())]),
                "{start:?} - {k}"
            );
            let (Ok(new), _) = want.clone() else { panic!("plain update trapped") };
            assert_eq!(run(old_kept, &[]).0, Ok(vec![start, new[0]]), "{start:?} + {k} (old kept)");
        }
    }
}
