//! Tests of the runner itself, with scripts whose outcome does not depend on the interpreter.

use crate::{WastFailure, run_wast};

fn run(script: &str) -> crate::WastReport {
    run_wast("test.wast", script).unwrap()
}

#[test]
fn malformed_text_counts_as_passed() {
    let r = run(r#"
        (assert_malformed (module quote "(func") "unexpected end")
        (assert_malformed (module quote "(func (i32.const 1 2))") "unexpected token")
        (assert_malformed (module quote "(memory $m 1) (memory $m 1)") "duplicate memory")
    "#);
    assert_eq!((r.passed, r.failed), (3, 0), "{:?}", r.failures);
}

#[test]
fn malformed_binary_is_rejected_by_the_decoder() {
    let r = run(r#"
        (assert_malformed (module binary "") "unexpected end")
        (assert_malformed (module binary "\00asm") "unexpected end")
        (assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
        (assert_malformed (module binary "wasm\01\00\00\00") "magic header not detected")
    "#);
    assert_eq!((r.passed, r.failed), (4, 0), "{:?}", r.failures);
}

#[test]
fn invalid_modules_are_rejected() {
    let r = run(r#"
        (assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
        (assert_invalid (module (func (local.get 3))) "unknown local")
        (assert_invalid (module (memory 2 1)) "size minimum must not be greater than maximum")
    "#);
    assert_eq!((r.passed, r.failed), (3, 0), "{:?}", r.failures);
}

#[test]
fn unresolvable_imports_are_unlinkable() {
    let r = run(r#"
        (assert_unlinkable (module (import "nowhere" "f" (func))) "unknown import")
        (assert_unlinkable (module (import "spectest" "nothing" (func))) "unknown import")
    "#);
    assert_eq!((r.passed, r.failed), (2, 0), "{:?}", r.failures);
}

#[test]
fn each_directive_counts_once_with_its_position() {
    let script =
        "(invoke \"f\")\n  (register \"m\")\n(assert_return (invoke $M \"g\") (i32.const 1))\n";
    let r = run(script);
    assert_eq!((r.passed, r.failed), (0, 3));
    let at: Vec<(usize, usize, &str)> =
        r.failures.iter().map(|f| (f.line, f.col, f.kind.as_str())).collect();
    assert_eq!(at, [(1, 2, "invoke"), (2, 4, "register"), (3, 2, "assert_return")]);
    assert!(r.failures[0].message.contains("no current instance"), "{}", r.failures[0].message);
    assert!(r.failures[2].message.contains("$M"), "{}", r.failures[2].message);
}

#[test]
fn unsupported_directives_fail_without_panicking() {
    let r = run(r#"
        (assert_exception (invoke "throw"))
        (thread $T (invoke "f"))
        (wait $T)
    "#);
    assert_eq!((r.passed, r.failed), (0, 3));
    assert!(r.failures.iter().all(|f| f.message.contains("not supported")), "{:?}", r.failures);
    let kinds: Vec<&str> = r.failures.iter().map(|f| f.kind.as_str()).collect();
    assert_eq!(kinds, ["assert_exception", "thread", "wait"]);
}

#[test]
fn module_instance_without_definition_fails() {
    let r = run("(module instance $I $Nope)\n(module instance)");
    assert_eq!((r.passed, r.failed), (0, 2));
    assert!(r.failures[0].message.contains("$Nope"), "{}", r.failures[0].message);
}

#[test]
fn unparsable_script_is_an_error_naming_the_path() {
    let err = run_wast("dir/bad.wast", "(assert_return (invoke \"f\")").unwrap_err();
    let text = err.to_string();
    assert!(text.contains("dir/bad.wast"), "{text}");
    assert_eq!(err.message(), text);
    assert!(run_wast("x.wast", "(frobnicate)").is_err());
}

#[test]
fn script_of_comments_has_no_directives() {
    for script in ["", " \n\t", ";; only a comment\n", "(; block ;) ;; line"] {
        assert_eq!(run(script), crate::WastReport::default(), "{script:?}");
    }
}

#[test]
fn script_of_module_fields_is_one_inline_module() {
    // As in the `wast` crate, a script that is not a list of directives is one module's fields.
    let r = run("(func) (memory 1)");
    assert_eq!(r.passed + r.failed, 1);
    assert!(r.failures.iter().all(|f| f.kind == "module"), "{:?}", r.failures);
}

#[test]
fn failure_display_is_position_kind_message() {
    let f = WastFailure { line: 3, col: 1, kind: "assert_trap".into(), message: "boom".into() };
    assert_eq!(f.to_string(), "3:1: assert_trap: boom");
}

// The runner must not pass vacuously: every assertion below is written to fail, or pairs a
// failing form with a passing one, and checks which directives failed.

/// Runs `script` and returns the 1-based lines of the failed directives.
fn failed_lines(script: &str) -> Vec<usize> {
    let r = run(script);
    assert_eq!(r.passed + r.failed, script.lines().filter(|l| l.starts_with('(')).count());
    r.failures.iter().map(|f| f.line).collect()
}

#[test]
fn assert_return_compares_values_and_counts() {
    let script = r#"(module (func (export "two") (param i32) (result i32 i64) (local.get 0) (i64.const 2)))
(assert_return (invoke "two" (i32.const 1)) (i32.const 1) (i64.const 2))
(assert_return (invoke "two" (i32.const 1)) (i32.const 1) (i64.const 3))
(assert_return (invoke "two" (i32.const 1)) (i32.const 1))
(assert_return (invoke "two" (i32.const 1)) (i64.const 1) (i64.const 2))
(assert_return (invoke "two" (i64.const 1)) (i32.const 1) (i64.const 2))
(assert_return (invoke "missing"))
(invoke "two" (i32.const 5))
"#;
    assert_eq!(failed_lines(script), [3, 4, 5, 6, 7]);
}

#[test]
fn nan_patterns_are_checked() {
    let script = r#"(module
  (func (export "canon") (result f32) (f32.const nan))
  (func (export "quiet") (result f32) (f32.const -nan:0x600000))
  (func (export "signalling") (result f64) (f64.const nan:0x1))
  (func (export "one") (result f64) (f64.const 1)))
(assert_return (invoke "canon") (f32.const nan:canonical))
(assert_return (invoke "canon") (f32.const nan:arithmetic))
(assert_return (invoke "quiet") (f32.const nan:canonical))
(assert_return (invoke "quiet") (f32.const nan:arithmetic))
(assert_return (invoke "quiet") (f32.const -nan:0x600000))
(assert_return (invoke "signalling") (f64.const nan:arithmetic))
(assert_return (invoke "signalling") (f64.const nan:0x1))
(assert_return (invoke "one") (f64.const nan:canonical))
(assert_return (invoke "one") (f64.const 1.0))
(assert_return (invoke "one") (f32.const 1.0))
"#;
    assert_eq!(failed_lines(script), [8, 11, 13, 15]);
}

#[test]
fn assert_trap_checks_the_trap_and_its_message() {
    let script = r#"(module
  (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func $loop (export "loop") (call $loop)))
(assert_trap (invoke "div" (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 0)) "integer divide")
(assert_trap (invoke "div" (i32.const 1)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 0)) "integer overflow")
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_exhaustion (invoke "div" (i32.const 0)) "call stack exhausted")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_trap (module (func)) "unreachable")
"#;
    assert_eq!(failed_lines(script), [6, 7, 9, 11]);
}

#[test]
fn rejection_assertions_fail_for_acceptable_modules() {
    let script = r#"(assert_malformed (module binary "\00asm\01\00\00\00") "accepted")
(assert_invalid (module (func (result i32) (i32.const 0))) "accepted")
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i32)))) "linkable")
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i64)))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "memory" (memory 3))) "incompatible import type")
"#;
    assert_eq!(failed_lines(script), [1, 2, 3]);
}

#[test]
fn named_modules_register_get_and_definitions() {
    let script = r#"(module $A (global (export "g") i32 (i32.const 7)) (func (export "f") (result i32) (i32.const 1)))
(module $B (func (export "f") (result i32) (i32.const 2)))
(assert_return (invoke $A "f") (i32.const 1))
(assert_return (invoke "f") (i32.const 2))
(assert_return (get $A "g") (i32.const 7))
(assert_return (get $A "g") (i32.const 8))
(register "a" $A)
(module (import "a" "f" (func $f (result i32))) (func (export "h") (result i32) (call $f)))
(assert_return (invoke "h") (i32.const 1))
(module definition $D (func (export "d") (result i32) (i32.const 4)))
(module instance $I $D)
(assert_return (invoke $I "d") (i32.const 4))
(assert_return (invoke "d") (i32.const 4))
(module (import "spectest" "global_i32" (global i32)) (import "spectest" "print_i32" (func (param i32))))
(register "b" $Z)
"#;
    assert_eq!(failed_lines(script), [6, 15]);
}

#[test]
fn references_convert_and_compare() {
    let script = r#"(module
  (func $f (export "id") (param externref) (result externref) (local.get 0))
  (func (export "fref") (result funcref) (ref.func $f))
  (func (export "null") (result funcref) (ref.null func))
  (elem declare func $f))
(assert_return (invoke "id" (ref.extern 1)) (ref.extern 1))
(assert_return (invoke "id" (ref.extern 1)) (ref.extern 2))
(assert_return (invoke "id" (ref.null extern)) (ref.null extern))
(assert_return (invoke "id" (ref.extern 3)) (ref.null extern))
(assert_return (invoke "fref") (ref.func $f))
(assert_return (invoke "fref") (ref.null func))
(assert_return (invoke "null") (ref.null func))
(assert_return (invoke "null") (ref.null extern))
(assert_return (invoke "id" (ref.null func)) (ref.null extern))
"#;
    assert_eq!(failed_lines(script), [7, 9, 11, 13, 14]);
}

#[test]
fn a_failed_module_does_not_stay_current() {
    let script = r#"(module (func (export "f") (result i32) (i32.const 1)))
(module (import "nowhere" "x" (func)) (func (export "f") (result i32) (i32.const 2)))
(assert_return (invoke "f") (i32.const 1))
"#;
    let r = run(script);
    assert_eq!(r.failures.iter().map(|f| f.line).collect::<Vec<_>>(), [2, 3]);
    assert!(r.failures[1].message.contains("no current instance"), "{}", r.failures[1].message);
}
