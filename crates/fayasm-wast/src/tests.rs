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
#[ignore = "needs fayasm-decode's parser, which is being written"]
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
