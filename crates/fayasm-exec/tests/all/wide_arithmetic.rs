//! Wide arithmetic (`i64.add128`, `i64.sub128`, `i64.mul_wide_s/u`) run through the interpreter
//! against `i128`/`u128` arithmetic, at the carry, borrow and sign edges, with operands from
//! locals, from other instructions' results and overlapping the result slots.

use fayasm_exec::{Engine, Linker, Module, Store};

const EDGES: [i64; 8] = [0, 1, -1, 2, i64::MAX, i64::MIN, i64::MIN + 1, 0x1_0000_0000];

fn join(lo: i64, hi: i64) -> u128 {
    (u128::from(hi as u64) << 64) | u128::from(lo as u64)
}

fn split(v: u128) -> (i64, i64) {
    (v as u64 as i64, (v >> 64) as u64 as i64)
}

#[test]
fn wide_arithmetic_matches_128_bit_arithmetic() {
    let wat = r#"(module
      (func (export "add128") (param i64 i64 i64 i64) (result i64 i64)
        local.get 0 local.get 1 local.get 2 local.get 3 i64.add128)
      (func (export "sub128") (param i64 i64 i64 i64) (result i64 i64)
        local.get 0 local.get 1 local.get 2 local.get 3 i64.sub128)
      (func (export "mul_wide_s") (param i64 i64) (result i64 i64)
        local.get 0 local.get 1 i64.mul_wide_s)
      (func (export "mul_wide_u") (param i64 i64) (result i64 i64)
        local.get 0 local.get 1 i64.mul_wide_u)
      ;; Operands computed into stack slots, results stored into locals and swapped back.
      (func (export "add128_stacked") (param i64 i64 i64 i64) (result i64 i64) (local i64 i64)
        local.get 0 i64.const 0 i64.add local.get 1 i64.const 0 i64.add
        local.get 2 i64.const 0 i64.add local.get 3 i64.const 0 i64.add
        i64.add128 local.set 5 local.set 4 local.get 4 local.get 5))"#;
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let add = inst.get_typed_func::<(i64, i64, i64, i64), (i64, i64)>(&store, "add128").unwrap();
    let sub = inst.get_typed_func::<(i64, i64, i64, i64), (i64, i64)>(&store, "sub128").unwrap();
    let add_st =
        inst.get_typed_func::<(i64, i64, i64, i64), (i64, i64)>(&store, "add128_stacked").unwrap();
    let mul_s = inst.get_typed_func::<(i64, i64), (i64, i64)>(&store, "mul_wide_s").unwrap();
    let mul_u = inst.get_typed_func::<(i64, i64), (i64, i64)>(&store, "mul_wide_u").unwrap();
    for &a_lo in &EDGES {
        for &a_hi in &EDGES {
            for &b_lo in &EDGES {
                for &b_hi in &EDGES {
                    let args = (a_lo, a_hi, b_lo, b_hi);
                    let (a, b) = (join(a_lo, a_hi), join(b_lo, b_hi));
                    assert_eq!(add.call(&mut store, args).unwrap(), split(a.wrapping_add(b)));
                    assert_eq!(add_st.call(&mut store, args).unwrap(), split(a.wrapping_add(b)));
                    assert_eq!(sub.call(&mut store, args).unwrap(), split(a.wrapping_sub(b)));
                }
            }
        }
    }
    for &a in &EDGES {
        for &b in &EDGES {
            let signed = split((i128::from(a) * i128::from(b)) as u128);
            assert_eq!(mul_s.call(&mut store, (a, b)).unwrap(), signed, "{a} * {b}");
            let unsigned = split(u128::from(a as u64) * u128::from(b as u64));
            assert_eq!(mul_u.call(&mut store, (a, b)).unwrap(), unsigned, "{a} * {b}");
        }
    }
}
