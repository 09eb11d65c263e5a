//! End-to-end tests of the `fayasm` binary: real processes on real files, checking stdout,
//! stderr and exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

// The sample host libraries (Rust cdylib and C), built once per run; shared with fayasm-host.
#[path = "../../fayasm-host/tests/all/libs.rs"]
mod libs;

/// A scratch directory with wasm files compiled from WAT.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Self {
        Scratch { dir: tempfile::Builder::new().prefix("fayasm-cli-").tempdir().expect("temp dir") }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `name` compiled from `wat`, returning its path.
    fn wasm(&self, name: &str, wat: &str) -> PathBuf {
        let bytes = wat::parse_str(wat).expect("test WAT compiles");
        self.file(name, &bytes)
    }

    /// Writes `name` with `bytes`, returning its path.
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write test file");
        path
    }
}

/// The result of one run of the binary.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    #[track_caller]
    fn success(&self) -> &str {
        assert_eq!(self.code, Some(0), "expected success; stderr: {}", self.stderr);
        assert_eq!(self.stderr, "", "stderr of a successful run");
        &self.stdout
    }

    /// Checks a failure: exit `code`, one `error: ` line on stderr, which is returned.
    #[track_caller]
    fn failure(&self, code: i32) -> &str {
        assert_eq!(
            self.code,
            Some(code),
            "exit code; stdout: {:?}, stderr: {:?}",
            self.stdout,
            self.stderr
        );
        assert!(self.stderr.starts_with("error: "), "stderr: {:?}", self.stderr);
        assert_eq!(self.stderr.lines().count(), 1, "one line of stderr: {:?}", self.stderr);
        self.stderr.trim_end()
    }
}

fn fayasm_in(dir: &Path, args: &[&str]) -> Run {
    fayasm_env(dir, args, &[])
}

/// Runs the binary in `dir` with `env` set (and the `FAYASM_*` variables of the test's own
/// environment removed).
fn fayasm_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fayasm"));
    for v in ["FAYASM_CODE_BUDGET", "FAYASM_LAZY", "FAYASM_PRESCAN"] {
        cmd.env_remove(v);
    }
    let Output { status, stdout, stderr } = cmd
        .envs(env.iter().copied())
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run fayasm");
    Run {
        code: status.code(),
        stdout: String::from_utf8(stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(stderr).expect("utf-8 stderr"),
    }
}

fn fayasm(args: &[&str]) -> Run {
    fayasm_in(&std::env::temp_dir(), args)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

const ARITH: &str = r#"(module
  (func $add (export "add") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add)
  (func $mixed (export "mixed") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    local.get 3 local.get 2 local.get 1 local.get 0)
  (func $sample_x (export "sample_x") (param i32 f64) (result f64)
    local.get 1 local.get 0 f64.convert_i32_s f64.mul)
  (func $div (export "div") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.div_s)
  (func $id_f32 (export "id_f32") (param f32) (result f32) local.get 0)
  (func $nothing (export "nothing"))
  (memory (export "mem") 1)
)"#;

#[test]
fn run_add() {
    let t = Scratch::new();
    let m = t.wasm("arith.wasm", ARITH);
    let r = fayasm(&["run", s(&m), "add", "i32:40", "i32:2"]);
    assert_eq!(r.success(), "result[0] (i32): 42\n");
}

#[test]
fn run_all_number_types_and_multiple_results() {
    let t = Scratch::new();
    let m = t.wasm("arith.wasm", ARITH);
    let r = fayasm(&["run", s(&m), "mixed", "i32:7", "i64:-3", "f32:1.5", "f64:2.25"]);
    assert_eq!(
        r.success(),
        "result[0] (f64): 2.25\nresult[1] (f32): 1.5\nresult[2] (i64): -3\nresult[3] (i32): 7\n"
    );
}

#[test]
fn run_bare_hex_and_special_values() {
    let t = Scratch::new();
    let m = t.wasm("arith.wasm", ARITH);
    let r = fayasm(&["run", s(&m), "add", "i32:0x10", "-1"]);
    assert_eq!(r.success(), "result[0] (i32): 15\n");
    let r = fayasm(&["run", s(&m), "id_f32", "f32:nan"]);
    assert_eq!(r.success(), "result[0] (f32): NaN (0x7fc00000)\n");
    let r = fayasm(&["run", s(&m), "id_f32", "f32:-inf"]);
    assert_eq!(r.success(), "result[0] (f32): -inf\n");
}

#[test]
fn run_without_results_prints_nothing() {
    let t = Scratch::new();
    let m = t.wasm("arith.wasm", ARITH);
    assert_eq!(fayasm(&["run", s(&m), "nothing"]).success(), "");
}

#[test]
fn run_eager() {
    let t = Scratch::new();
    let m = t.wasm("arith.wasm", ARITH);
    let r = fayasm(&["run", "--eager", s(&m), "sample_x", "i32:3", "f64:1.5"]);
    assert_eq!(r.success(), "result[0] (f64): 4.5\n");
}

#[test]
fn run_recursion() {
    let t = Scratch::new();
    let m = t.wasm(
        "fac.wasm",
        r#"(module (func $fac (export "fac") (param i64) (result i64)
            local.get 0 i64.eqz
            if (result i64) i64.const 1
            else local.get 0 local.get 0 i64.const 1 i64.sub call $fac i64.mul end))"#,
    );
    assert_eq!(
        fayasm(&["run", s(&m), "fac", "i64:20"]).success(),
        "result[0] (i64): 2432902008176640000\n"
    );
}

#[test]
fn run_wrong_number_of_arguments() {
    let t = Scratch::new();
    let m = t.wasm("arith.wasm", ARITH);
    let err = fayasm(&["run", s(&m), "sample_x", "i32:1"]).failure(1).to_owned();
    assert_eq!(
        err,
        "error: wrong number of arguments: sample_x has signature (i32, f64) -> (f64) and takes 2 argument(s), got 1"
    );
}

#[test]
fn run_wrong_argument_type() {
    let t = Scratch::new();
    let m = t.wasm("arith.wasm", ARITH);
    let r = fayasm(&["run", s(&m), "sample_x", "i32:1", "i64:2"]);
    assert_eq!(r.failure(1), "error: argument 2 is i64 but sample_x expects f64");
}

#[test]
fn run_malformed_argument() {
    let t = Scratch::new();
    let m = t.wasm("arith.wasm", ARITH);
    let r = fayasm(&["run", s(&m), "add", "i32:1", "i32:12abc"]);
    assert_eq!(
        r.failure(1),
        r#"error: argument 2: "12abc" is not a valid i32 value: invalid digit"#
    );
    let r = fayasm(&["run", s(&m), "add", "i32:1", "i32:4294967296"]);
    assert_eq!(
        r.failure(1),
        r#"error: argument 2: "4294967296" is not a valid i32 value: out of range"#
    );
    let r = fayasm(&["run", s(&m), "add", "u8:1", "i32:1"]);
    assert!(r.failure(1).starts_with(r#"error: argument 1: unknown value type "u8""#));
}

#[test]
fn run_unknown_export() {
    let t = Scratch::new();
    let m = t.wasm("arith.wasm", ARITH);
    let r = fayasm(&["run", s(&m), "nope"]);
    assert_eq!(
        r.failure(1),
        r#"error: unknown export "nope"; function exports: "add", "mixed", "sample_x", "div", "id_f32", "nothing""#
    );
    let r = fayasm(&["run", s(&m), "mem"]);
    assert!(r.failure(1).starts_with(r#"error: export "mem" is a memory, not a function; "#));
}

#[test]
fn run_unreadable_file() {
    let t = Scratch::new();
    let r = fayasm_in(t.path(), &["run", "missing.wasm", "f"]);
    let err = r.failure(2);
    assert!(err.starts_with("error: cannot read missing.wasm: "), "{err}");
    let r = fayasm_in(t.path(), &["run", ".", "f"]);
    assert!(r.failure(2).starts_with("error: cannot read .: "));
}

#[test]
fn run_invalid_module() {
    let t = Scratch::new();
    let bad = t.file("bad.wasm", b"\0asm\x01\0\0\0\x01\x05\x01\x60\x01\x7b");
    let err = fayasm(&["run", s(&bad), "f"]).failure(2).to_owned();
    assert!(err.starts_with(&format!("error: invalid module {}: ", s(&bad))), "{err}");
    assert!(err.contains("at byte offset 0x"), "{err}");
    // Without the binary magic number the file is read as text, so the error is the text
    // parser's, with the file, line and column.
    let junk = t.file("junk.wasm", b"hello, world");
    let err = fayasm(&["run", s(&junk), "f"]).failure(2).to_owned();
    assert!(
        err.starts_with(&format!(
            "error: {} is neither a binary module (no `\\0asm` header) nor valid WebAssembly text: ",
            s(&junk)
        )),
        "{err}"
    );
    assert!(err.contains(&format!("{}:1:1", s(&junk))), "{err}");
}

#[test]
fn run_text_format_module() {
    let t = Scratch::new();
    let wat = t.file(
        "loop.wat",
        br#"(module (func (export "count") (param $n i32) (result i32)
              (local.get $n)
              (loop $l (param i32) (result i32)
                (i32.sub (i32.const 1)) (local.tee $n) (local.get $n) (br_if $l))))"#,
    );
    assert_eq!(fayasm(&["run", s(&wat), "count", "i32:1000"]).success(), "result[0] (i32): 0\n");
    // A text module that does not validate is an invalid module like a binary one.
    let bad = t.file("bad.wat", br#"(module (func (export "f") (result i32) (i64.const 1)))"#);
    let err = fayasm(&["run", s(&bad), "f"]).failure(2).to_owned();
    assert!(err.starts_with(&format!("error: invalid module {}: ", s(&bad))), "{err}");
}

#[test]
fn run_link_error_names_the_import() {
    let t = Scratch::new();
    let m = t.wasm(
        "imports.wasm",
        r#"(module (import "env" "log" (func (param i32))) (func (export "f")))"#,
    );
    let err = fayasm(&["run", s(&m), "f"]).failure(4).to_owned();
    assert!(err.starts_with("error: link error: "), "{err}");
    assert!(err.contains("unresolved imports: env.log: func (i32) -> ()"), "{err}");
    assert!(err.contains("--spectest"), "{err}");
}

#[test]
fn run_trap() {
    let t = Scratch::new();
    let m = t.wasm("arith.wasm", ARITH);
    let r = fayasm(&["run", s(&m), "div", "i32:1", "i32:0"]);
    assert_eq!(r.failure(3), r#"error: trap: integer divide by zero (in function 3 "div")"#);
    assert_eq!(r.stdout, "");
    let u = t.wasm("unreachable.wasm", r#"(module (func (export "f") unreachable))"#);
    assert_eq!(fayasm(&["run", s(&u), "f"]).failure(3), "error: trap: unreachable (in function 0)");
}

#[test]
fn run_trap_in_start_function() {
    let t = Scratch::new();
    let m =
        t.wasm("start.wasm", r#"(module (func $s unreachable) (start $s) (func (export "f")))"#);
    assert!(fayasm(&["run", s(&m), "f"]).failure(3).starts_with("error: trap: unreachable"));
}

#[test]
fn run_spectest() {
    let t = Scratch::new();
    let m = t.wasm(
        "spectest.wasm",
        r#"(module
            (import "spectest" "print_i32" (func $print (param i32)))
            (import "spectest" "global_i32" (global $g i32))
            (func (export "f") (result i32) i32.const 5 call $print global.get $g))"#,
    );
    let r = fayasm(&["run", "--spectest", s(&m), "f"]);
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert!(r.stdout.ends_with("result[0] (i32): 666\n"), "{}", r.stdout);
}

#[test]
fn usage_errors_exit_with_1() {
    assert_eq!(fayasm(&[]).code, Some(1));
    assert_eq!(fayasm(&["run"]).code, Some(1));
    assert_eq!(fayasm(&["frobnicate"]).code, Some(1));
    assert_eq!(fayasm(&["run", "--bogus", "a.wasm", "f"]).code, Some(1));
}

/// The SIMD fixture, compiled into the scratch directory as `simd.wasm`.
fn simd_module(t: &Scratch) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/simd.wat");
    t.wasm("simd.wasm", &std::fs::read_to_string(src).expect("SIMD fixture"))
}

/// Runs `fayasm run simd.wasm ARGS...` for each call in the scratch directory, and returns a
/// transcript: the command line, then stdout or stderr, then the exit code.
fn transcript(t: &Scratch, calls: &[&[&str]]) -> String {
    let mut text = String::new();
    for args in calls {
        let mut full = vec!["run", "simd.wasm"];
        full.extend_from_slice(args);
        let r = fayasm_in(t.path(), &full);
        text.push_str(&format!("$ fayasm {}\n{}{}", full.join(" "), r.stdout, r.stderr));
        text.push_str(&format!("(exit {})\n\n", r.code.map_or("signal".into(), |c| c.to_string())));
    }
    text
}

#[test]
fn run_v128_arguments_and_results() {
    let t = Scratch::new();
    simd_module(&t);
    let zero = "v128:0x00000000000000000000000000000000";
    let out = transcript(
        &t,
        &[
            &["const"],
            &["add_i32x4", "i32x4:1,2,3,4", "i32x4:10,20,30,-5"],
            &["add_i32x4", "i32x4:0x7fffffff,-1,0,0", "i32x4:1,1,0,0"],
            // The printed form of `const` passed back in: 2 * [1, 2, 3, 4].
            &[
                "add_i32x4",
                "v128:0x00000004000000030000000200000001",
                "0x00000004_00000003_00000002_00000001",
            ],
            &[
                "add_sat_u8x16",
                "i8x16:250,1,2,3,4,5,6,7,8,9,10,11,12,13,14,-1",
                "i8x16:10,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1",
            ],
            &["f32x4_lane2", "f32x4:1.5,-2,3.25,nan"],
            &["f32x4_lane2", "f32x4:0,0,-inf,0"],
            &["f32x4_lane2", "f32x4:0,0,nan:0x1,0"],
            &["mul_f64x2", "f64x2:1.5,-2", "f64x2:2,inf"],
            &["mixed", "i32:-1", "i16x8:1,2,3,4,5,6,7,0x8000"],
            &["mixed", "7", "i64x2:40,2"],
            &["add_i32x4", zero, zero],
        ],
    );
    insta::assert_snapshot!("run_v128", out);
}

#[test]
fn run_v128_argument_errors() {
    let t = Scratch::new();
    simd_module(&t);
    let zero = "v128:0x00000000000000000000000000000000";
    let out = transcript(
        &t,
        &[
            &["add_i32x4", "i32x4:1,2,3", zero],
            &["add_i32x4", zero, "i32x4:1,2,3,4,5"],
            &["add_i32x4", "i8x16:0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,256", zero],
            &["add_i32x4", "i16x8:0,-32769,0,0,0,0,0,0", zero],
            &["add_i32x4", "i64x2:1,18446744073709551616", zero],
            &["add_i32x4", "i32x4:1,2,x,4", zero],
            &["f32x4_lane2", "f32x4:1,2,three,4"],
            &["mul_f64x2", "f64x2:1,0x2", zero],
            &["add_i32x4", "v128:0x0000000000000000000000000000000", zero],
            &["add_i32x4", "v128:0x0000000000000000000000000000000g", zero],
            &["add_i32x4", "v128:12", zero],
            &["add_i32x4", "i32x3:1,2,3", zero],
            &["mixed", "i32x4:1,2,3,4", zero],
            &["mixed", zero, zero],
            &["mixed", "1", "i32:1"],
            &["mixed", "1", "f64:1"],
        ],
    );
    insta::assert_snapshot!("run_v128_errors", out);
}

const INSPECT: &str = r#"(module
  (type $t (func (param i32) (result i32)))
  (import "env" "log" (func $log (param i32)))
  (import "env" "mem" (memory 1 2))
  (import "env" "g" (global $g (mut i64)))
  (table 2 funcref)
  (table $t64 i64 3 10 externref)
  (memory $wide i64 1 16 (pagesize 1))
  (global $k i32 (i32.const 7))
  (func $double (export "double") (type $t) local.get 0 i32.const 2 i32.mul)
  (func $helper (param i32) (result i32) local.get 0 call $double i32.const 1 i32.add)
  (func $main (export "main") (param i32 i64) (result i64)
    local.get 0 call $helper drop local.get 1)
  (export "table" (table 0))
  (export "k" (global $k))
  (elem (i32.const 0) $double $helper)
  (data (i32.const 16) "hi")
  (start $init)
  (func $init)
)"#;

#[test]
fn inspect_summary() {
    let t = Scratch::new();
    t.wasm("inspect.wasm", INSPECT);
    let r = fayasm_in(t.path(), &["inspect", "inspect.wasm"]);
    insta::assert_snapshot!("inspect_summary", r.success());
}

#[test]
fn inspect_shows_the_proposals_a_module_uses() {
    let t = Scratch::new();
    t.wasm(
        "proposals.wasm",
        r#"(module (memory 1) (data "passive")
          (global $g (mut i64) (i64.add (i64.const 1) (i64.const 2)))
          (export "g" (global $g))
          (func $wide (param i64 i64) (result i64 i64) local.get 0 local.get 1 i64.mul_wide_u)
          (func (export "f") (param i64) (result i64 i64)
            local.get 0 i64.extend32_s local.get 0 return_call $wide))"#,
    );
    let r = fayasm_in(t.path(), &["inspect", "proposals.wasm"]);
    insta::assert_snapshot!("inspect_proposals", r.success());
    t.wasm("plain.wasm", "(module (func (export \"f\") (result i32) i32.const 1))");
    let r = fayasm_in(t.path(), &["inspect", "plain.wasm"]);
    assert!(r.success().ends_with("proposals: none (WebAssembly 1.0)\n"), "{}", r.success());
}

#[test]
fn inspect_reports_a_64_bit_table_as_memory64() {
    let t = Scratch::new();
    t.wasm("t64.wasm", r#"(module (table i64 1 funcref))"#);
    let r = fayasm_in(t.path(), &["inspect", "t64.wasm"]);
    let out = r.success();
    assert!(out.contains("  table  0   defined   i64 funcref 1..\n"), "{out}");
    assert!(out.ends_with("proposals: memory64\n"), "{out}");
}

#[test]
fn inspect_ir() {
    let t = Scratch::new();
    t.wasm("inspect.wasm", INSPECT);
    let by_export = fayasm_in(t.path(), &["inspect", "inspect.wasm", "--ir", "double"]);
    let out = by_export.success().to_owned();
    assert!(out.starts_with("function 1 \"double\": (i32) -> (i32)\n"), "{out}");
    insta::assert_snapshot!("inspect_ir_double", out);
    let by_index = fayasm_in(t.path(), &["inspect", "inspect.wasm", "--ir", "1"]);
    assert_eq!(by_index.success(), out);
    let by_name = fayasm_in(t.path(), &["inspect", "inspect.wasm", "--ir", "$helper"]);
    assert!(by_name.success().starts_with("function 2 \"helper\": (i32) -> (i32)\n"));
}

#[test]
fn inspect_ir_errors() {
    let t = Scratch::new();
    t.wasm("inspect.wasm", INSPECT);
    let r = fayasm_in(t.path(), &["inspect", "inspect.wasm", "--ir", "0"]);
    assert_eq!(r.failure(1), "error: function 0 is imported (env.log) and has no code");
    let r = fayasm_in(t.path(), &["inspect", "inspect.wasm", "--ir", "99"]);
    assert_eq!(r.failure(1), "error: no function 99: the module has 5 function(s)");
    let r = fayasm_in(t.path(), &["inspect", "inspect.wasm", "--ir", "nope"]);
    assert!(r.failure(1).starts_with(r#"error: no function "nope""#));
    let r = fayasm_in(t.path(), &["inspect", "missing.wasm"]);
    r.failure(2);
}

#[test]
fn wast_passing_script() {
    let t = Scratch::new();
    t.file(
        "ok.wast",
        br#"(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_trap (module (func (export "u") unreachable) (start 0)) "unreachable")
"#,
    );
    let r = fayasm_in(t.path(), &["wast", "ok.wast"]);
    let out = r.success();
    assert!(out.ends_with("passed, 0 failed\n"), "{out}");
}

#[test]
fn wast_failing_script() {
    let t = Scratch::new();
    t.file(
        "bad.wast",
        br#"(module (func (export "one") (result i32) i32.const 1))
(assert_return (invoke "one") (i32.const 1))
(assert_return (invoke "one") (i32.const 2))
"#,
    );
    let r = fayasm_in(t.path(), &["wast", "bad.wast"]);
    assert_eq!(r.failure(1), "error: 1 of 3 case(s) failed");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    assert!(lines[0].starts_with("bad.wast:3:"), "{}", lines[0]);
    assert_eq!(lines[1], "2 passed, 1 failed");
}

#[test]
fn wast_eager() {
    let t = Scratch::new();
    t.file(
        "eager.wast",
        br#"(module (func (export "one") (result i32) i32.const 1) (func i32.const 0 drop))
(assert_return (invoke "one") (i32.const 1))
"#,
    );
    let r = fayasm_in(t.path(), &["wast", "--eager", "eager.wast"]);
    assert_eq!(r.success(), "2 passed, 0 failed\n");
}

#[test]
fn wast_parse_error() {
    let t = Scratch::new();
    t.file("broken.wast", b"(module)\n(assert_return (invoke \"f\") (i32.const 1)\n");
    let r = fayasm_in(t.path(), &["wast", "broken.wast"]);
    let err = r.failure(2);
    assert!(err.starts_with("error: broken.wast:"), "{err}");
}

#[test]
fn wast_unreadable_file() {
    let t = Scratch::new();
    assert!(
        fayasm_in(t.path(), &["wast", "missing.wast"])
            .failure(2)
            .starts_with("error: cannot read missing.wast: ")
    );
}

#[test]
fn help_and_version() {
    for (name, args) in [
        ("help", &["--help"][..]),
        ("help_run", &["run", "--help"]),
        ("help_inspect", &["inspect", "--help"]),
        ("help_wast", &["wast", "--help"]),
    ] {
        let r = fayasm(args);
        insta::assert_snapshot!(name, r.success());
    }
    let r = fayasm(&["--version"]);
    assert_eq!(r.success(), concat!("fayasm ", env!("CARGO_PKG_VERSION"), "\n"));
}

const HOST_CALLS: &str = r#"(module
    (import "env" "host_add" (func $add (param i32 i32) (result i32)))
    (import "env" "host_write" (func $write (param i32 i32) (result i32)))
    (import "env" "host_trap" (func $trap (param i32)))
    (memory (export "memory") 1)
    (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 call $add)
    (func (export "greet") (result i32 i32)
      (call $write (i32.const 64) (i32.const 100)) (i32.load8_u (i32.const 64)))
    (func (export "trap") (param i32) local.get 0 call $trap))"#;

/// The run's stderr with the library paths replaced by `[RUST]` and `[C]`.
fn redact(text: &str) -> String {
    text.replace(libs::rust_lib(), "[RUST]").replace(libs::c_lib(), "[C]")
}

#[test]
fn run_import_lib_binds_every_listed_import() {
    let t = Scratch::new();
    let m = t.wasm("host.wasm", HOST_CALLS);
    for lib in [libs::rust_lib(), libs::c_lib()] {
        let r = fayasm(&["run", "--import-lib", lib, s(&m), "add", "40", "2"]);
        insta::assert_snapshot!("run_import_lib_add", r.success());
        let r = fayasm(&["run", "--import-lib", lib, s(&m), "greet"]);
        insta::assert_snapshot!("run_import_lib_greet", r.success());
        let r = fayasm(&["run", "--import-lib", lib, s(&m), "trap", "i32:7"]);
        insta::assert_snapshot!("run_import_lib_trap", r.failure(3));
    }
}

#[test]
fn run_import_lib_binds_one_symbol_and_repeats() {
    let t = Scratch::new();
    let m = t.wasm(
        "plus.wasm",
        r#"(module (import "math" "plus" (func $p (param i32 i32) (result i32)))
            (import "env" "host_trap" (func $t (param i32)))
            (func (export "f") (param i32) (result i32) local.get 0 i32.const 1 call $p))"#,
    );
    let one = format!("{}:math.plus=host_add", libs::c_lib());
    let r =
        fayasm(&["run", "--import-lib", &one, "--import-lib", libs::rust_lib(), s(&m), "f", "41"]);
    insta::assert_snapshot!("run_import_lib_one", r.success());
    // Only the one binding: env.host_trap stays unresolved.
    let r = fayasm(&["run", "--import-lib", &one, s(&m), "f", "41"]);
    insta::assert_snapshot!("run_import_lib_unresolved", r.failure(4));
}

#[test]
fn run_import_lib_errors_are_clear() {
    let t = Scratch::new();
    let m = t.wasm("host.wasm", HOST_CALLS);
    let r = fayasm(&["run", "--import-lib", "/nonexistent/libnope.so", s(&m), "add", "1", "2"]);
    let err = r.failure(2);
    assert!(err.starts_with("error: cannot load library /nonexistent/libnope.so: "), "{err}");

    let missing = format!("{}:env.host_add=no_such_symbol", libs::rust_lib());
    let r = fayasm(&["run", "--import-lib", &missing, s(&m), "add", "1", "2"]);
    insta::assert_snapshot!("run_import_lib_missing_symbol", redact(r.failure(4)));

    let wrong = format!("{}:env.host_add=host_add_i64", libs::c_lib());
    let r = fayasm(&["run", "--import-lib", &wrong, s(&m), "add", "1", "2"]);
    insta::assert_snapshot!("run_import_lib_wrong_signature", redact(r.failure(4)));

    let r = fayasm(&["run", "--import-lib", "lib.so:host_add=x", s(&m), "add", "1", "2"]);
    insta::assert_snapshot!("run_import_lib_bad_spec", r.failure(1));

    // The Rust library listed twice: the second definition is a duplicate.
    let lib = libs::rust_lib();
    let r = fayasm(&["run", "--import-lib", lib, "--import-lib", lib, s(&m), "add", "1", "2"]);
    insta::assert_snapshot!("run_import_lib_duplicate", r.failure(4));
}

/// The committed fixture `name`, copied into the scratch directory so paths in messages are
/// short and stable.
fn fixture_copy(t: &Scratch, name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../wasm_samples/build").join(name);
    t.file(name, &std::fs::read(src).expect("committed fixture"))
}

/// The results of `calls` on one instance in this process: the uninterrupted run.
fn uninterrupted(wasm: &Path, calls: &[(&str, &[i32])]) -> Vec<String> {
    use fayasm_exec::{Engine, Linker, Module, Store, Value};
    let engine = Engine::default();
    let module = Module::new(&engine, &std::fs::read(wasm).expect("read")).expect("module");
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
    calls
        .iter()
        .map(|(name, args)| {
            let args: Vec<Value> = args.iter().map(|&a| Value::I32(a)).collect();
            let r =
                inst.get_func(&store, name).expect("export").call(&mut store, &args).expect("call");
            match r.as_slice() {
                [Value::I32(x)] => format!("result[0] (i32): {x}\n"),
                other => panic!("unexpected results {other:?}"),
            }
        })
        .collect()
}

#[test]
fn run_snapshot_chain_across_processes_matches_an_uninterrupted_run() {
    let t = Scratch::new();
    fixture_copy(&t, "advanced_runtime.wasm");
    let calls: &[(&str, &[i32])] = &[
        ("sample_counter", &[50]),
        ("sample_memory_grow", &[3]),
        ("sample_counter", &[7]),
        ("sample_memory_grow_touch", &[1, 0x1234]),
        ("sample_counter", &[2]),
    ];
    let expected = uninterrupted(&t.path().join("advanced_runtime.wasm"), calls);
    let mut chained = Vec::new();
    for (i, (name, args)) in calls.iter().enumerate() {
        let mut argv = vec!["run".to_owned()];
        if i > 0 {
            argv.extend(["--snapshot-in".to_owned(), "state.fysm".to_owned()]);
        }
        if i + 1 < calls.len() {
            argv.extend(["--snapshot-out".to_owned(), "state.fysm".to_owned()]);
        }
        argv.extend(["advanced_runtime.wasm".to_owned(), (*name).to_owned()]);
        argv.extend(args.iter().map(|a| format!("i32:{a}")));
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        chained.push(fayasm_in(t.path(), &argv).success().to_owned());
    }
    assert_eq!(chained, expected);
    insta::assert_snapshot!("snapshot_chain", chained.concat());
    assert!(!t.path().join("state.fysm.tmp").exists(), "no temp file left behind");
}

#[test]
fn run_snapshot_in_does_not_rerun_the_start_function() {
    let t = Scratch::new();
    t.wasm(
        "start.wasm",
        r#"(module (global $n (mut i32) (i32.const 0))
          (func $start global.get $n i32.const 1 i32.add global.set $n) (start $start)
          (func (export "starts") (result i32) global.get $n))"#,
    );
    let first = fayasm_in(t.path(), &["run", "--snapshot-out", "s", "start.wasm", "starts"]);
    assert_eq!(first.success(), "result[0] (i32): 1\n");
    let second = fayasm_in(t.path(), &["run", "--snapshot-in", "s", "start.wasm", "starts"]);
    assert_eq!(second.success(), "result[0] (i32): 1\n");
}

#[test]
fn run_bad_snapshots_fail_with_the_check_and_no_result() {
    let t = Scratch::new();
    fixture_copy(&t, "advanced_runtime.wasm");
    fixture_copy(&t, "control_flow.wasm");
    let save = fayasm_in(
        t.path(),
        &["run", "--snapshot-out", "good", "advanced_runtime.wasm", "sample_counter", "i32:3"],
    );
    save.success();
    let good = std::fs::read(t.path().join("good")).expect("snapshot written");
    let mut crc = good.clone();
    let last = crc.len() - 1;
    crc[last] ^= 1;
    t.file("crc", &crc);
    t.file("truncated", &good[..good.len() - 7]);
    t.file("short", &good[..20]);
    let mut magic = good.clone();
    magic[..4].copy_from_slice(b"WASM");
    t.file("magic", &magic);
    let mut version = good.clone();
    version[4] = 2;
    t.file("version", &version);
    let mut lines = Vec::new();
    for (snap, wasm) in [
        ("crc", "advanced_runtime.wasm"),
        ("truncated", "advanced_runtime.wasm"),
        ("short", "advanced_runtime.wasm"),
        ("magic", "advanced_runtime.wasm"),
        ("version", "advanced_runtime.wasm"),
        ("good", "control_flow.wasm"),
        ("missing", "advanced_runtime.wasm"),
    ] {
        let export =
            if wasm == "control_flow.wasm" { "sample_factorial_6" } else { "sample_counter" };
        let mut argv = vec!["run", "--snapshot-in", snap, wasm, export];
        if export == "sample_counter" {
            argv.push("i32:1");
        }
        let r = fayasm_in(t.path(), &argv);
        assert_eq!(r.stdout, "", "no result line for {snap}");
        lines.push(r.failure(5).to_owned());
    }
    // CRCs and module hashes change whenever the fixtures are rebuilt: mask them.
    insta::assert_snapshot!("snapshot_errors", mask_hex(&lines.join("\n")));
}

/// `text` with every `0x` number replaced by `0x..`.
fn mask_hex(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("0x") {
        out.push_str(&rest[..i + 2]);
        rest = rest[i + 2..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
        out.push_str("..");
    }
    out.push_str(rest);
    out
}

#[test]
fn run_snapshot_out_is_not_written_after_a_trap_or_into_a_missing_directory() {
    let t = Scratch::new();
    fixture_copy(&t, "traps.wasm");
    fixture_copy(&t, "advanced_runtime.wasm");
    let r = fayasm_in(
        t.path(),
        &["run", "--snapshot-out", "after-trap", "traps.wasm", "sample_trap_div_zero", "i32:7"],
    );
    assert!(r.failure(3).contains("integer divide by zero"), "{}", r.stderr);
    assert!(!t.path().join("after-trap").exists(), "no snapshot of a trapped run");

    let r = fayasm_in(
        t.path(),
        &["run", "--snapshot-out", "no/such/dir/s", "advanced_runtime.wasm", "sample_counter", "1"],
    );
    assert_eq!(r.stdout, "", "no result line when the snapshot cannot be saved");
    assert!(
        r.failure(5).starts_with("error: cannot write snapshot no/such/dir/s: "),
        "{}",
        r.stderr
    );
}

/// Recursion through helpers called one after the other: enough functions that a tiny code
/// budget evicts.
const CALLS: &str = r#"(module
  (func $a (param i32) (result i32) local.get 0 i32.const 1 i32.add)
  (func $b (param i32) (result i32) local.get 0 i32.const 3 i32.mul)
  (func $c (param i32) (result i32) local.get 0 i32.const 5 i32.xor)
  (func $fib (export "fib") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) local.get 0
    else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib
      i32.add call $a call $b call $c i32.const 0xffff i32.and end))"#;

/// The `--stats` lines of `stderr`, with what varies (times, the host's RAM and CPUs) taken
/// out.
fn stats_without_times(stderr: &str) -> String {
    let varies = |l: &str| l.contains("_time_us:") || l.starts_with("host_");
    stderr.lines().filter(|l| !varies(l)).map(|l| format!("{l}\n")).collect()
}

/// The value of stats line `name`.
fn stat(stderr: &str, name: &str) -> u64 {
    let prefix = format!("{name}: ");
    let line = stderr.lines().find(|l| l.starts_with(&prefix)).unwrap_or_else(|| {
        panic!("no {name} in {stderr:?}");
    });
    line[prefix.len()..].parse().expect("a number")
}

#[test]
fn run_stats_without_a_budget() {
    let dir = Scratch::new();
    let wasm = dir.wasm("calls.wasm", CALLS);
    let plain = fayasm(&["run", s(&wasm), "fib", "12"]);
    let r = fayasm(&["run", "--stats", s(&wasm), "fib", "12"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout, plain.success());
    insta::assert_snapshot!("run_stats_unlimited", stats_without_times(&r.stderr));
}

#[test]
fn run_code_budget_spill_dir_and_warm_start() {
    let dir = Scratch::new();
    let wasm = dir.wasm("calls.wasm", CALLS);
    let spill = dir.path().join("spill");
    std::fs::create_dir(&spill).unwrap();
    let plain = fayasm(&["run", s(&wasm), "fib", "12"]);
    let want = plain.success();
    let args = ["run", "--code-budget", "64", "--spill-dir", s(&spill), "--stats"];
    let first = fayasm(&[&args[..], &[s(&wasm), "fib", "12"]].concat());
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert_eq!(first.stdout, want);
    insta::assert_snapshot!("run_stats_budget_cold", stats_without_times(&first.stderr));
    assert!(stat(&first.stderr, "code_evictions") > 0);
    assert!(stat(&first.stderr, "code_spills") > 0);
    // The second run finds the blobs of the first: it reloads instead of lowering.
    let second = fayasm(&[&args[..], &[s(&wasm), "fib", "12"]].concat());
    assert_eq!(second.stdout, want);
    insta::assert_snapshot!("run_stats_budget_warm", stats_without_times(&second.stderr));
    assert!(stat(&second.stderr, "code_reloads") > stat(&first.stderr, "code_reloads"));
    assert!(stat(&second.stderr, "code_lowerings") < stat(&first.stderr, "code_lowerings"));
    assert_eq!(stat(&second.stderr, "code_relowers"), 0);
}

#[test]
fn run_code_budget_suffixes_and_bad_values() {
    let dir = Scratch::new();
    let wasm = dir.wasm("calls.wasm", CALLS);
    let plain = fayasm(&["run", s(&wasm), "fib", "10"]);
    let r = fayasm(&["run", "--code-budget", "2K", s(&wasm), "fib", "10"]);
    assert_eq!(r.success(), plain.success());
    for bad in ["abc", "-5", "12Q", "", "99999999999999999999"] {
        let flag = format!("--code-budget={bad}");
        let r = fayasm(&["run", &flag, s(&wasm), "fib", "10"]);
        assert_eq!(r.code, Some(1), "{bad:?}: {}", r.stderr);
        assert!(r.stderr.contains("is not a byte count"), "{bad:?}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    let missing = dir.path().join("no-such-dir");
    let r = fayasm(&["run", "--spill-dir", s(&missing), s(&wasm), "fib", "10"]);
    assert!(r.failure(1).ends_with("no-such-dir: no such directory"), "{}", r.stderr);
    let file = dir.file("plain-file", b"x");
    let r = fayasm(&["run", "--spill-dir", s(&file), s(&wasm), "fib", "10"]);
    assert!(r.failure(1).contains("no such directory"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn run_spill_dir_that_is_not_writable() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Scratch::new();
    let wasm = dir.wasm("calls.wasm", CALLS);
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores permissions; only check where the directory really is read-only.
    if std::fs::write(ro.join("probe"), b"").is_ok() {
        return;
    }
    let r = fayasm(&["run", "--spill-dir", s(&ro), s(&wasm), "fib", "10"]);
    assert!(r.failure(1).contains("not writable"), "{}", r.stderr);
}

#[test]
fn run_settings_precedence_cli_over_env_over_default() {
    let dir = Scratch::new();
    let wasm = dir.wasm("calls.wasm", CALLS);
    let lines = |r: &Run| -> Vec<String> {
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        let keep = |l: &&str| l.starts_with("code_budget:") || l.starts_with("compilation:");
        r.stderr.lines().filter(keep).map(String::from).collect()
    };
    let t = std::env::temp_dir();
    let base = ["run", "--stats"];
    let r = fayasm_env(&t, &[&base[..], &[s(&wasm), "fib", "5"]].concat(), &[]);
    assert_eq!(lines(&r), ["code_budget: none (default)", "compilation: lazy (default)"]);
    let env = [("FAYASM_CODE_BUDGET", "1K"), ("FAYASM_PRESCAN", "1")];
    let r = fayasm_env(&t, &[&base[..], &[s(&wasm), "fib", "5"]].concat(), &env);
    assert_eq!(lines(&r), ["code_budget: 1024 (env)", "compilation: eager (env)"]);
    let flags = ["run", "--stats", "--code-budget", "64", "--lazy"];
    let r = fayasm_env(&t, &[&flags[..], &[s(&wasm), "fib", "5"]].concat(), &env);
    assert_eq!(lines(&r), ["code_budget: 64 (cli)", "compilation: lazy (cli)"]);
    let r = fayasm_env(&t, &["run", s(&wasm), "fib", "5"], &[("FAYASM_LAZY", "0")]);
    let plain = fayasm(&["run", s(&wasm), "fib", "5"]);
    assert_eq!(r.success(), plain.success());
    let r = fayasm_env(&t, &["run", s(&wasm), "fib", "5"], &[("FAYASM_CODE_BUDGET", "big")]);
    assert!(
        r.failure(1).contains("FAYASM_CODE_BUDGET: \"big\" is not a byte count"),
        "{}",
        r.stderr
    );
    let r = fayasm_env(&t, &["run", s(&wasm), "fib", "5"], &[("FAYASM_LAZY", "maybe")]);
    assert!(r.failure(1).contains("FAYASM_LAZY"), "{}", r.stderr);
}
