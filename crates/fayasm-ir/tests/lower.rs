//! Golden microcode for representative functions: a change in lowering shows up as a reviewed
//! snapshot diff (`INSTA_UPDATE=always cargo test -p fayasm-ir --test lower`, then review).
#![cfg(feature = "lower")]

use fayasm_ir::{lower::lower_function, text};

/// Lowers every defined function of `wat` and dumps them, one block per function.
fn lower_all(wat: &str) -> String {
    let bytes = wat::parse_str(wat).expect("valid wat");
    let info = fayasm_decode::parse(&bytes).expect("valid module");
    let mut out = String::new();
    for def in 0..info.bodies.len() as u32 {
        let code = lower_function(&info, &bytes, def).expect("lowers");
        out.push_str(&format!("func {}:\n{}\n", info.num_imported_funcs + def, text::dump(&code)));
    }
    out
}

#[test]
fn recursive_factorial() {
    insta::assert_snapshot!(lower_all(
        r#"(module (func $fac (param i64) (result i64)
            local.get 0 i64.eqz
            if (result i64) i64.const 1
            else local.get 0 local.get 0 i64.const 1 i64.sub call $fac i64.mul end))"#
    ));
}

#[test]
fn counting_loop_with_locals_set_in_place() {
    insta::assert_snapshot!(lower_all(
        r#"(module (func (param i32) (result i32) (local i32)
            block loop
              local.get 0 i32.eqz br_if 1
              local.get 1 local.get 0 i32.add local.set 1
              local.get 0 i32.const 1 i32.sub local.set 0
              br 0 end end
            local.get 1))"#
    ));
}

#[test]
fn br_table_with_values_uses_stubs() {
    insta::assert_snapshot!(lower_all(
        r#"(module (func (param i32) (result i32)
            block (result i32) block (result i32) block (result i32)
              i32.const 10 local.get 0 br_table 0 1 2
            end i32.const 1 i32.add end i32.const 2 i32.add end)
          (func (param i32) (result i32)
            block (result i32) block (result i32)
              local.get 0 local.get 0 br_table 0 1 0
            end i32.const 1 i32.add end))"#
    ));
}

#[test]
fn memory_and_indirect_calls() {
    insta::assert_snapshot!(lower_all(
        r#"(module (memory 1) (table 2 funcref) (type $t (func (param i32) (result i32)))
            (func (param i32 i32) (result i32)
              local.get 0 local.get 1 i32.store offset=8
              local.get 0 i32.load8_u offset=9
              local.get 1 call_indirect (type $t)
              memory.size i32.add))"#
    ));
}

#[test]
fn multi_value_swap_and_select() {
    insta::assert_snapshot!(lower_all(
        r#"(module (func (param i32 i32) (result i32 i32)
            local.get 1 local.get 0)
          (func (param i32 f64 f64) (result f64)
            local.get 1 local.get 2 local.get 0 select))"#
    ));
}

#[test]
fn other_memories_name_their_memory_and_memory_0_keeps_its_fast_forms() {
    // Memory 0 (32-bit, 1-byte pages) keeps the fast, fused accesses; memory.size/grow of it
    // name it (its pages are not 64 KiB); the 64-bit memory 1 uses the named forms with the
    // high half of a 64-bit offset in the `Param` after each access.
    insta::assert_snapshot!(lower_all(
        r#"(module (memory 1 (pagesize 1)) (memory i64 1)
            (func (param i32 i64) (result i32)
              local.get 0 i32.const 4 i32.add i32.load
              local.get 1 i32.load 1 offset=0x100000008 i32.add
              local.get 1 local.get 0 i32.store8 1
              memory.size i32.add
              i64.const 1 memory.grow 1 i32.wrap_i64 i32.add)
            (func (param i32 i64)
              local.get 1 local.get 0 i64.extend_i32_u i64.const 4 memory.copy 1 1
              local.get 0 local.get 1 i32.const 4 memory.copy 0 1
              local.get 1 i32.const 0 i64.const 8 memory.fill 1))"#
    ));
}

#[test]
fn table64_operands_are_saturated_and_32_bit_tables_unchanged() {
    // Table 0 is 64-bit: its i64 index of `call_indirect`, `table.get/set/fill/init` and the
    // i64 delta of `table.grow` go through `TableIndex64` first, `table.grow`'s result is
    // sign-extended; table 1 (32-bit) lowers as before. `table.copy` between the two saturates
    // only the 64-bit side's index (the length is an i32).
    insta::assert_snapshot!(lower_all(
        r#"(module (table $w i64 2 funcref) (table $n 2 funcref) (type $t (func (result i32)))
            (elem $e func)
            (func (param i64 i32) (result i32)
              local.get 0 call_indirect $w (type $t)
              local.get 1 call_indirect $n (type $t) i32.add)
            (func (param i64 i32) (result i64)
              local.get 0 local.get 0 table.get $w table.set $w
              local.get 0 ref.null func local.get 0 table.fill $w
              local.get 0 i32.const 0 i32.const 0 table.init $w $e
              local.get 1 local.get 0 local.get 1 table.copy $n $w
              ref.null func local.get 0 table.grow $w
              table.size $w i64.add))"#
    ));
}
