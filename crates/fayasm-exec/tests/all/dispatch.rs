//! Every kind of handler runs in a long loop on a thread with a small native stack. With the
//! tail-call backend (optimised builds), a handler that stopped tail-calling would add a native
//! frame per executed instruction and overflow this stack; the portable loop passes trivially.
//! The operator list is generated from the ISA, so new instructions are covered automatically.

use fayasm_exec::{Engine, Linker, Module, Store, Value};

/// Long enough to overflow the small stack many times over if a handler stops tail-calling
/// (the tail backend only exists in optimised builds; debug builds run fewer iterations).
const ITERATIONS: i32 = if cfg!(debug_assertions) { 20_000 } else { 200_000 };
/// Debug builds run the portable loop, a single function whose unoptimised frame alone
/// (every handler's temporaries in their own stack slots) is over 200 KiB; it does not
/// recurse, so a larger stack there still catches a native recursion per wasm call.
const SMALL_STACK: usize = if cfg!(debug_assertions) { 1024 * 1024 } else { 256 * 1024 };

/// (name, family, semantics) of every instruction, from the ISA list.
macro_rules! collect {
    ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $fty:ty),* } $family:ident $(($($sem:tt)*))? ; )*) => {
        &[$((stringify!($name), stringify!($family), concat!($($(stringify!($sem), " "),*)?)),)*]
    };
}
const OPS: &[(&str, &str, &str)] = fayasm_ir::for_each_op!(collect);

/// `I32TruncSatF32S` -> `i32.trunc_sat_f32_s`.
fn wasm_name(op: &str) -> String {
    let (ty, rest) = op.split_at(3);
    let mut out = format!("{}.", ty.to_lowercase());
    for (i, c) in rest.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Operand types and result type from a family's semantics text (`i32_add : i32 -> i32`).
fn types(sem: &str) -> (String, String) {
    let parts: Vec<&str> = sem.split_whitespace().collect();
    (parts[2].to_string(), parts.get(4).unwrap_or(&parts[2]).to_string())
}

/// A constant of `ty` on which every operator of that type is defined (no trap).
fn operand(ty: &str) -> &'static str {
    match ty {
        "i32" => "i32.const 7",
        "i64" => "i64.const 7",
        "f32" => "f32.const 1.5",
        _ => "f64.const 1.5",
    }
}

fn body_for(name: &str, family: &str, sem: &str) -> Option<String> {
    if family == "control" {
        return None;
    }
    if family.starts_with("v_") {
        return Some(simd_body(family, sem));
    }
    let op = wasm_name(name);
    Some(match family {
        "unary" | "unary_trap" => {
            let (a, _) = types(sem);
            format!("{} local.set ${a} local.get ${a} {op} drop", operand(&a))
        }
        "binary" | "binary_trap" => {
            let (a, _) = types(sem);
            format!("{} local.set ${a} local.get ${a} local.get ${a} {op} drop", operand(&a))
        }
        "binary_imm" | "binary_trap_imm" => {
            let (a, _) = types(sem);
            let base = wasm_name(name.trim_end_matches("Imm"));
            format!("{} local.set ${a} local.get ${a} {a}.const 3 {base} drop", operand(&a))
        }
        "branch_cmp" | "branch_cmp_imm" | "branch_cmp_not" => {
            let a = branch_type(name);
            let cmp = compare_of(name);
            let rhs = if family == "branch_cmp_imm" {
                format!("{a}.const 3")
            } else {
                format!("local.get ${a}")
            };
            branch_on(family, &format!("local.get ${a} {rhs} {}", wasm_name(&cmp)))
        }
        "load" => format!("i32.const 8 {op} drop"),
        "store" => {
            let ty = &op[..3];
            format!("i32.const 8 local.get ${ty} {op}")
        }
        "load_idx" => {
            let plain = wasm_name(name.trim_end_matches("Idx"));
            format!("i32.const 4 local.set $i32 local.get $i32 local.get $i32 i32.add {plain} drop")
        }
        "store_idx" => {
            let plain = wasm_name(name.trim_end_matches("Idx"));
            let ty = &plain[..3];
            format!(
                "i32.const 4 local.set $i32 local.get $i32 local.get $i32 i32.add local.get ${ty} {plain}"
            )
        }
        "unary_acc" => {
            let (a, _) = types(sem);
            let op = wasm_name(name.trim_end_matches("Acc"));
            format!(
                "{} local.set ${a} local.get ${a} local.get ${a} {a}.mul {op} drop",
                operand(&a)
            )
        }
        "binary_acc_l" | "binary_acc_r" | "binary_imm_acc" | "binary_trap_acc_l"
        | "binary_trap_acc_r" => {
            let (a, _) = types(sem);
            let plain =
                name.trim_end_matches("AccL").trim_end_matches("AccR").trim_end_matches("Acc");
            let op = wasm_name(plain.trim_end_matches("Imm"));
            let produce = format!("local.get ${a} local.get ${a} {a}.mul");
            match family {
                "binary_acc_l" | "binary_trap_acc_l" => {
                    format!("{} local.set ${a} {produce} local.get ${a} {op} drop", operand(&a))
                }
                "binary_acc_r" | "binary_trap_acc_r" => {
                    format!("{} local.set ${a} local.get ${a} {produce} {op} drop", operand(&a))
                }
                _ => format!("{} local.set ${a} {produce} {a}.const 3 {op} drop", operand(&a)),
            }
        }
        "binary_fimm" | "binary_fimm_acc" => {
            let (a, _) = types(sem);
            let plain = wasm_name(name.trim_end_matches("Acc").trim_end_matches("Imm"));
            let lhs = if family == "binary_fimm" {
                format!("local.get ${a}")
            } else {
                format!("local.get ${a} local.get ${a} {a}.mul")
            };
            format!("{} local.set ${a} {lhs} {a}.const 0.5 {plain} drop", operand(&a))
        }
        "branch_cmp_fimm"
        | "branch_cmp_not_fimm"
        | "branch_cmp_fimm_acc"
        | "branch_cmp_not_fimm_acc" => {
            let a = branch_type(name);
            let cmp = compare_of(name);
            let lhs = if family.ends_with("_acc") {
                format!("local.get ${a} local.get ${a} {a}.mul")
            } else {
                format!("local.get ${a}")
            };
            let shape = if family.contains("not") { "branch_cmp_not" } else { "branch_cmp" };
            branch_on(shape, &format!("{lhs} {a}.const 0.5 {}", wasm_name(&cmp)))
        }
        "select_cmp" => {
            let a = branch_type(name);
            let cmp = wasm_name(name.trim_start_matches("Select"));
            format!(
                "i32.const 1 i32.const 2 local.get ${a} local.get ${a} {cmp} select local.set $i32"
            )
        }
        "load_scaled" | "load_scaled_acc" => {
            let plain = wasm_name(name.trim_end_matches("Acc").trim_end_matches("Scaled"));
            let index = if family == "load_scaled" {
                "local.get $i32".to_string()
            } else {
                "local.get $i32 local.get $i32 i32.mul".to_string()
            };
            format!(
                "i32.const 1 local.set $i32 {index} i32.const 2 i32.shl i32.const 16 i32.add {plain} drop"
            )
        }
        "store_scaled" => {
            let plain = wasm_name(name.trim_end_matches("Scaled"));
            let value = match &plain[..3] {
                "i64" => "local.get $i64",
                "f32" => "local.get $f32",
                "f64" => "local.get $f64",
                _ => "local.get $n",
            };
            format!(
                "i32.const 1 local.set $i32 local.get $i32 i32.const 2 i32.shl i32.const 16 i32.add {value} {plain}"
            )
        }
        "load_acc" => {
            let plain = wasm_name(name.trim_end_matches("Acc"));
            format!("i32.const 2 local.set $i32 local.get $i32 local.get $i32 i32.mul {plain} drop")
        }
        "store_imm" => {
            let plain = wasm_name(name.trim_end_matches("Imm"));
            format!("i32.const 8 {} {plain}", operand(&plain[..3]))
        }
        "store_imm_idx" => {
            let plain = wasm_name(name.trim_end_matches("Idx").trim_end_matches("Imm"));
            let ty = &plain[..3];
            format!(
                "i32.const 4 local.set $i32 local.get $i32 local.get $i32 i32.add {ty}.const 3 {plain}"
            )
        }
        "xor_shift" | "xor_shift_acc" => {
            let a = &name[..3].to_lowercase();
            let shift =
                name[3..].trim_start_matches("Xor").trim_end_matches("Acc").trim_end_matches("Imm");
            let shift = wasm_name(&format!("{}{shift}", &name[..3]));
            let x = if family == "xor_shift" {
                format!("local.get ${a}")
            } else {
                format!("local.get ${a} local.get ${a} {a}.mul local.tee ${a}")
            };
            format!(
                "{} local.set ${a} {x} local.get ${a} {a}.const 3 {shift} {a}.xor drop",
                operand(a)
            )
        }
        "load_add_imm" => {
            let plain = wasm_name(name.trim_end_matches("AddImm"));
            format!("i32.const 4 local.set $i32 local.get $i32 i32.const 8 i32.add {plain} drop")
        }
        "load_add_imm_acc" => {
            let plain = wasm_name(name.trim_end_matches("AddImmAcc"));
            format!(
                "i32.const 2 local.set $i32 local.get $i32 local.get $i32 i32.mul i32.const 8 i32.add {plain} offset=4 drop"
            )
        }
        "store_acc" => {
            let plain = wasm_name(name.trim_end_matches("Acc"));
            let ty = &plain[..3];
            format!("i32.const 8 local.get ${ty} local.get ${ty} {ty}.mul {plain}")
        }
        "store_imm_acc" => {
            let plain = wasm_name(name.trim_end_matches("Acc").trim_end_matches("Imm"));
            format!(
                "i32.const 2 local.set $i32 local.get $i32 local.get $i32 i32.mul {} {plain}",
                operand(&plain[..3])
            )
        }
        "branch_cmp_acc" | "branch_cmp_imm_acc" | "branch_cmp_not_acc" => {
            let a = branch_type(name);
            let cmp = compare_of(name);
            let rhs = if family == "branch_cmp_imm_acc" {
                format!("{a}.const 3")
            } else {
                format!("local.get ${a}")
            };
            branch_on(
                family,
                &format!("local.get ${a} local.get ${a} {a}.mul {rhs} {}", wasm_name(&cmp)),
            )
        }
        "binary_imm_l" | "binary_imm_l_acc" => {
            let (a, _) = types(sem);
            let plain = wasm_name(name.trim_end_matches("Acc").trim_end_matches("ImmL"));
            let rhs = if family == "binary_imm_l" {
                format!("local.get ${a}")
            } else {
                format!("local.get ${a} local.get ${a} {a}.mul")
            };
            format!("{} local.set ${a} {a}.const 3 {rhs} {plain} drop", operand(&a))
        }
        // Accesses at a constant address.
        "load_abs" => {
            let plain = wasm_name(name.trim_end_matches("Abs"));
            format!("i32.const 16 {plain} offset=4 drop")
        }
        "store_abs" => {
            let plain = wasm_name(name.trim_end_matches("Abs"));
            let ty = &plain[..3];
            format!("i32.const 16 local.get ${ty} {plain} offset=4")
        }
        "store_imm_abs" => {
            let plain = wasm_name(name.trim_end_matches("Abs").trim_end_matches("Imm"));
            format!("i32.const 16 {} {plain} offset=4", operand(&plain[..3]))
        }
        // Accesses naming memory 1 (multi-memory), a 64-bit memory.
        "load_m" => {
            let plain = wasm_name(name.trim_end_matches('M'));
            format!("i64.const 8 {plain} $m64 offset=4 drop")
        }
        "store_m" => {
            let plain = wasm_name(name.trim_end_matches('M'));
            let ty = &plain[..3];
            format!("i64.const 8 local.get ${ty} {plain} $m64 offset=4")
        }
        other => panic!("no handler loop for family `{other}` ({name}): add one here"),
    })
}

/// A loop body running one SIMD instruction (issue #8): its wasm name is its `fayasm_simd`
/// function's with the first `_` a `.` (`i32x4_add` -> `i32x4.add`).
fn simd_body(family: &str, sem: &str) -> String {
    let tokens: Vec<&str> = sem.split_whitespace().collect();
    let func = tokens.iter().find(|t| t.contains('_')).expect("a SIMD function name");
    let op = func.replacen('_', ".", 1);
    let scalar = tokens.iter().skip_while(|t| **t != ":").nth(1).copied().unwrap_or("i32");
    let v = "v128.const i32x4 1 2 3 4";
    match family {
        "v_unary" | "v_test" => format!("{v} {op} drop"),
        "v_shift" => format!("{v} i32.const 3 {op} drop"),
        "v_binary" => format!("{v} {v} {op} drop"),
        "v_ternary" => format!("{v} {v} {v} {op} drop"),
        "v_splat" => format!("{} {op} drop", operand(scalar)),
        "v_extract" => format!("{v} {op} 1 drop"),
        "v_replace" => format!("{v} {} {op} 1 drop", operand(scalar)),
        "v_load" => format!("i32.const 0 {op} drop"),
        "v_store" => format!("i32.const 0 {v} {op}"),
        "v_load_lane" => format!("i32.const 0 {v} {op} 1 drop"),
        "v_store_lane" => format!("i32.const 0 {v} {op} 1"),
        // The forms that name their memory, on the 64-bit memory (they leave the chain).
        "v_load_m" => format!("i64.const 0 {op} $m64 drop"),
        "v_store_m" => format!("i64.const 0 {v} {op} $m64"),
        "v_load_lane_m" => format!("i64.const 0 {v} {op} $m64 1 drop"),
        "v_store_lane_m" => format!("i64.const 0 {v} {op} $m64 1"),
        "v_shuffle" => format!("{v} {v} {op} 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 drop"),
        other => panic!("no handler loop for SIMD family `{other}`: add one here"),
    }
}

/// The compare of a compare-and-branch instruction, from its name: `BrIfF64NotLtImmAcc` ->
/// `F64Lt`.
fn compare_of(name: &str) -> String {
    name.trim_start_matches("BrIf")
        .trim_end_matches("Acc")
        .trim_end_matches("Imm")
        .replace("Not", "")
}

/// The operand type of a compare-and-branch instruction, from its name.
fn branch_type(name: &str) -> &'static str {
    ["i64", "f32", "f64"].into_iter().find(|t| name.contains(&t.to_uppercase())).unwrap_or("i32")
}

/// A conditional branch on the compare `cond`: a `br_if` (taken when true), or for the `Not`
/// families an `if` (taken, to its end, when false).
fn branch_on(family: &str, cond: &str) -> String {
    if family.starts_with("branch_cmp_not") {
        format!("{cond} if end")
    } else {
        format!("block {cond} br_if 0 end")
    }
}

#[test]
fn every_handler_runs_long_loops_on_a_small_native_stack() {
    let mut funcs = String::new();
    let mut names = Vec::new();
    for &(name, family, sem) in OPS {
        let Some(body) = body_for(name, family, sem) else { continue };
        funcs.push_str(&format!(
            r#"(func (export "{name}") (result i32) (local $n i32) (local $i32 i32) (local $i64 i64) (local $f32 f32) (local $f64 f64)
                loop {body} local.get $n i32.const 1 i32.add local.tee $n i32.const {ITERATIONS} i32.lt_u br_if 0 end local.get $n)
            "#
        ));
        names.push(name);
    }
    // Control instructions: copies (`CopyPairAcc` too), selects, globals (`GlobalAddImm` too), br_table, calls and returns (`ReturnOne`
    // from `$second`), tail calls (direct and indirect), wide arithmetic, scaled indexes (`I32ShlAddImm`, `I32ShlAddImmAcc`, `I32AddShlAccR`, `I32AddShlAccL`), bit-field extracts (`I32ShrUAndImm`, `I32ShrUAndImmAcc`), accumulator tests
    // (`BrIfNezAcc`, `BrIfEqzAcc`), memory size.
    funcs.push_str(&format!(
        r#"(func $id (param i32) (result i32) local.get 0)
        (func $pair (param i64 f64) (result f64 i64) local.get 1 local.get 0)
        (func $second (param i32 i32) (result i32) local.get 1)
        (func $tail (param i32) (result i32) local.get 0 return_call $id)
        (func $tail_indirect (param i32) (result i32) local.get 0 i32.const 0 return_call_indirect (type 0))
        (func (export "control") (result i32) (local $n i32) (local $x i32) (local $y i64)
          loop
            local.get $n i32.const 1 local.get $n select local.set $x
            global.get $g local.get $x i32.add global.set $g
            global.get $g i32.const -3 i32.add global.set $g
            block block local.get $n i32.const 3 i32.and br_table 0 1 0 end end
            local.get $x call $id drop
            local.get $x local.get $n call $second drop
            local.get $n i32.const 2 i32.shl i32.const 1024 i32.add drop
            local.get $x local.get $n i32.const 5 i32.xor i32.const 2 i32.shl i32.add drop
            local.get $x i32.const 5 i32.xor local.get $n i32.const 2 i32.shl i32.add drop
            local.get $n local.get $n i32.mul i32.const 3 i32.shl i32.const 8 i32.add drop
            local.get $n i32.const 4 i32.shr_u i32.const 15 i32.and drop
            local.get $n local.get $n i32.mul i32.const 8 i32.shr_u i32.const 255 i32.and drop
            block local.get $n local.get $n i32.mul br_if 0 end
            block local.get $n local.get $n i32.mul i32.eqz br_if 0 end
            i64.const 5 f64.const 2 call $pair local.set $y drop
            i64.const 1234567890123 local.set $y
            memory.size drop
            memory.size $m64 drop
            i64.const 0 memory.grow $m64 drop
            i64.const 4 i32.const 7 i64.const 4 memory.fill $m64
            i64.const 0 i64.const 4 i64.const 4 memory.copy $m64 $m64
            i32.const 0 i64.const 4 i32.const 4 memory.copy 0 $m64
            i64.const 4 i32.const 0 i32.const 2 memory.init $m64 $d
            local.get $x call $tail drop
            local.get $x call $tail_indirect drop
            local.get $y local.get $y local.get $y local.get $y i64.add128 local.get $y local.get $y i64.sub128 drop drop
            local.get $y local.get $y i64.mul_wide_s i64.mul_wide_u drop drop
            i32.const 8 i32.const 0 call_indirect (type 0) drop
            i32.const 3 loop (param i32) (result i32) i32.const 1 i32.sub local.tee $x local.get $x br_if 0 end drop
            local.get $x local.get $n i32.add local.get $n local.set $x local.set $n
            local.get $n local.get $x local.get $n local.get $x i32.lt_s select drop
            local.get $n if (result i32) local.get $x else local.get $n end drop
            local.get $n i32.const 1 i32.add local.tee $n i32.const {ITERATIONS} i32.lt_u br_if 0
          end local.get $n)"#
    ));
    names.push("control");
    // Counted loops' back edges: `I32AddImmBrIfNez`, `I32AddImmBrIfNe`, `I32AddImmBrIfNeImm`,
    // `I32AddImmBrIfLtU`, each an inner loop of three iterations.
    funcs.push_str(&format!(
        r#"(func (export "counted_loops") (result i32) (local $n i32) (local $x i32) (local $k i32)
          i32.const 3 local.set $k
          loop
            i32.const 3 local.set $x
            loop local.get $x i32.const -1 i32.add local.tee $x br_if 0 end
            loop local.get $x i32.const 1 i32.add local.tee $x local.get $k i32.ne br_if 0 end
            loop local.get $x i32.const -1 i32.add local.tee $x i32.const 0 i32.ne br_if 0 end
            loop local.get $x i32.const 1 i32.add local.tee $x i32.const 3 i32.ne br_if 0 end
            i32.const 0 local.set $x
            loop local.get $x i32.const 1 i32.add local.tee $x local.get $k i32.lt_u br_if 0 end
            local.get $n i32.const 1 i32.add local.tee $n i32.const {ITERATIONS} i32.lt_u br_if 0
          end local.get $n)"#
    ));
    names.push("counted_loops");
    // The i64 counted loops' back edges (`I64AddImmBrIfNez`, `I64AddImmBrIfNe`,
    // `I64AddImmBrIfNeImm`, `I64AddImmBrIfLtU`), a post-decrement test (`I32AddImmBrIfNeImm`
    // with the step as its limit), a copy before a test (`CopyBrIfNez`, `CopyBrIfEqz`) and a
    // zero test before a step (`BrIfEqzElseI32AddImm`), strided back edges and index steps
    // (`I32AddBrIf*`, `I64AddBrIf*`).
    funcs.push_str(&format!(
        r#"(func (export "counted_loops_i64") (result i32) (local $n i32) (local $x i64) (local $k i64) (local $y i32) (local $z i32) (local $one i32) (local $three i32) (local $one64 i64) (local $three64 i64)
          i64.const 3 local.set $k
          loop
            i64.const 3 local.set $x
            loop local.get $x i64.const -1 i64.add local.tee $x i64.const 0 i64.ne br_if 0 end
            loop local.get $x i64.const 1 i64.add local.tee $x local.get $k i64.ne br_if 0 end
            loop local.get $x i64.const -1 i64.add local.tee $x i64.const 1 i64.ne br_if 0 end
            i64.const 0 local.set $x
            loop local.get $x i64.const 1 i64.add local.tee $x local.get $k i64.lt_u br_if 0 end
            i32.const 3 local.set $y
            loop local.get $y local.get $y i32.const -1 i32.add local.set $y br_if 0 end
            i32.const 3 local.set $y
            loop local.get $y local.tee $z i32.const -1 i32.add local.set $y local.get $z br_if 0 end
            block local.get $n local.set $z local.get $y br_if 0 end
            block local.get $n local.set $z local.get $z i32.eqz br_if 0 end
            i32.const 3 local.set $y
            block loop local.get $y i32.eqz br_if 1 local.get $y i32.const -1 i32.add local.set $y br 0 end end
            i32.const 1 local.set $one i32.const 3 local.set $three
            i64.const 1 local.set $one64 i64.const 3 local.set $three64
            i32.const 0 local.set $y
            loop local.get $y local.get $one i32.add local.tee $y local.get $three i32.ne br_if 0 end
            i32.const 0 local.set $y
            loop local.get $y local.get $one i32.add local.tee $y local.get $three i32.lt_u br_if 0 end
            i32.const 0 local.set $y
            loop local.get $y local.get $one i32.add local.tee $y local.get $three i32.le_u br_if 0 end
            i32.const 0 local.set $y
            block loop local.get $y local.get $one i32.add local.tee $y local.get $three i32.ge_u br_if 1 br 0 end end
            i64.const 0 local.set $x
            loop local.get $x local.get $one64 i64.add local.tee $x local.get $three64 i64.ne br_if 0 end
            i64.const 0 local.set $x
            loop local.get $x local.get $one64 i64.add local.tee $x local.get $three64 i64.lt_u br_if 0 end
            i64.const 0 local.set $x
            loop local.get $x local.get $one64 i64.add local.tee $x local.get $three64 i64.le_u br_if 0 end
            i64.const 0 local.set $x
            block loop local.get $x local.get $one64 i64.add local.tee $x local.get $three64 i64.ge_u br_if 1 br 0 end end
            local.get $n i32.const 1 i32.add local.tee $n i32.const {ITERATIONS} i32.lt_u br_if 0
          end local.get $n)"#
    ));
    names.push("counted_loops_i64");
    // The SIMD control instructions: `Select2`, `V128GlobalGet`, `V128GlobalSet`.
    funcs.push_str(&format!(
        r#"(global $v (mut v128) (v128.const i64x2 1 2))
        (func (export "simd_control") (result i32) (local $n i32) (local $a v128)
          loop
            global.get $v v128.const i64x2 3 4 local.get $n select (result v128) local.set $a
            local.get $a global.set $v
            local.get $n i32.const 1 i32.add local.tee $n i32.const {ITERATIONS} i32.lt_u br_if 0
          end local.get $n)"#
    ));
    names.push("simd_control");
    let wat = format!(
        r#"(module (type (func (param i32) (result i32))) (memory 1) (memory $m64 i64 1) (data $d "ab") (global $g (mut i32) (i32.const 0))
        (table 1 funcref) (elem (i32.const 0) $id) {funcs})"#
    );
    let wasm = wat::parse_str(&wat).expect("generated module is valid");
    let handle = std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || {
            let engine = Engine::default();
            let module = Module::new(&engine, &wasm).expect("module");
            let mut store = Store::new(&engine, ());
            let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
            for name in &names {
                let f = inst.get_func(&store, name).expect("export");
                let r = f.call(&mut store, &[]).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(r, vec![Value::I32(ITERATIONS)], "{name}");
            }
            names.len()
        })
        .expect("spawn");
    let ran = handle.join().expect("no handler overflowed the small stack");
    // Every numeric family is covered: unary, binary, immediates, branches, loads and stores.
    assert!(ran > 200, "only {ran} loops ran");
    println!("dispatch backend: {}, {ran} handler loops", fayasm_exec::dispatch_backend());
}
