//! Shared-library imports through the C ABI of `fayasm_host.h`: every sample function from
//! the Rust and the C library, guest memory written by the library, traps with messages,
//! signatures checked at bind time, and clear errors for missing libraries and symbols.

use crate::libs::{c_lib, rust_lib};
use fayasm_exec::{Engine, Linker, Module, Store, TrapCode, Value};
use fayasm_host::dylib::{DylibError, ImportBinding, Library};

const WAT: &str = r#"(module
    (import "env" "host_add" (func $add (param i32 i32) (result i32)))
    (import "env" "host_write" (func $write (param i32 i32) (result i32)))
    (import "env" "host_trap" (func $trap (param i32)))
    (import "env" "host_scale" (func $scale (param f64 i64) (result f64)))
    (memory (export "memory") 1)
    (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 call $add)
    (func (export "write") (param i32 i32) (result i32) local.get 0 local.get 1 call $write)
    (func (export "trap") (param i32) local.get 0 call $trap)
    (func (export "scale") (param f64 i64) (result f64) local.get 0 local.get 1 call $scale))"#;

fn module(engine: &Engine) -> Module {
    Module::new(engine, &wat::parse_str(WAT).unwrap()).unwrap()
}

fn exercise(path: &str) {
    let engine = Engine::default();
    let module = module(&engine);
    let lib = Library::open(path).unwrap();
    assert_eq!(lib.imports().unwrap().len(), 4);
    let mut linker = Linker::<()>::new(&engine);
    assert_eq!(lib.define_all(&mut linker, Some(&module)).unwrap(), 4);
    let mut store = Store::new(&engine, ());
    let inst = linker.instantiate(&mut store, &module).unwrap();

    let add = inst.get_typed_func::<(i32, i32), i32>(&store, "add").unwrap();
    assert_eq!(add.call(&mut store, (40, 2)).unwrap(), 42);
    assert_eq!(add.call(&mut store, (i32::MAX, 1)).unwrap(), i32::MIN, "wraps like i32.add");
    assert_eq!(add.call(&mut store, (-5, 2)).unwrap(), -3);

    let write = inst.get_typed_func::<(i32, i32), i32>(&store, "write").unwrap();
    assert_eq!(write.call(&mut store, (100, 64)).unwrap(), 19);
    let mem = inst.get_memory(&store, "memory").unwrap();
    assert_eq!(&mem.data(&store)[100..119], b"hello from the host");
    assert_eq!(write.call(&mut store, (200, 5)).unwrap(), 5, "at most cap bytes");
    assert_eq!(&mem.data(&store)[200..206], b"hello\0");
    let err = write.call(&mut store, (65530, 64)).unwrap_err();
    assert_eq!(err.as_trap().unwrap().message(), Some("host_write: guest buffer out of bounds"));

    let trap = inst.get_typed_func::<i32, ()>(&store, "trap").unwrap();
    let err = trap.call(&mut store, -7).unwrap_err();
    let t = err.as_trap().unwrap();
    assert_eq!(t.code(), TrapCode::HostError);
    assert_eq!(t.message(), Some("host_trap: refused -7"));
    assert_eq!(t.func(), Some(2), "the import that trapped");

    let scale = inst.get_typed_func::<(f64, i64), f64>(&store, "scale").unwrap();
    assert_eq!(scale.call(&mut store, (1.5, -4)).unwrap(), -6.0);
}

#[test]
fn the_rust_library_runs_every_sample_function() {
    exercise(rust_lib());
}

#[test]
fn the_c_library_runs_every_sample_function() {
    exercise(c_lib());
}

#[test]
fn one_symbol_bound_to_another_name() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        &wat::parse_str(
            r#"(module (import "math" "plus" (func $p (param i32 i32) (result i32)))
                (func (export "f") (result i32) i32.const 2 i32.const 3 call $p))"#,
        )
        .unwrap(),
    )
    .unwrap();
    for path in [rust_lib(), c_lib()] {
        let lib = Library::open(path).unwrap();
        let mut linker = Linker::<()>::new(&engine);
        lib.define(&mut linker, "math", "plus", "host_add", Some(&module)).unwrap();
        assert_eq!(lib.define_all(&mut linker, Some(&module)).unwrap(), 0, "nothing else needed");
        let mut store = Store::new(&engine, ());
        let inst = linker.instantiate(&mut store, &module).unwrap();
        let f = inst.get_func(&store, "f").unwrap();
        assert_eq!(f.call(&mut store, &[]).unwrap(), [Value::I32(5)]);
    }
}

#[test]
fn a_wrong_signature_is_refused_at_bind_time() {
    let engine = Engine::default();
    let module = module(&engine);
    let lib = Library::open(c_lib()).unwrap();
    let mut linker = Linker::<()>::new(&engine);
    let err =
        lib.define(&mut linker, "env", "host_add", "host_add_i64", Some(&module)).unwrap_err();
    assert!(matches!(err, DylibError::WrongSignature { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "wrong signature for env.host_add: the module imports func (i32, i32) -> i32, \
             host_add_i64 in {} is func (i64, i64) -> i64",
            c_lib()
        )
    );
    assert!(!linker.contains("env", "host_add"), "nothing was defined");
    // Without a module to check against, the linker refuses it at instantiation instead.
    lib.define(&mut linker, "env", "host_add", "host_add_i64", None).unwrap();
    let mut store = Store::new(&engine, ());
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(err.to_string().contains("expected func (i32, i32) -> i32"), "{err}");
}

#[test]
fn missing_libraries_and_symbols_are_clear_errors() {
    let err = Library::open("/nonexistent/libnothing.so").unwrap_err();
    assert!(matches!(err, DylibError::Open { .. }), "{err}");
    assert!(err.to_string().starts_with("cannot load library /nonexistent/libnothing.so: "));

    let engine = Engine::default();
    let lib = Library::open(c_lib()).unwrap();
    let mut linker = Linker::<()>::new(&engine);
    let err = lib.define(&mut linker, "env", "x", "no_such_fn", None).unwrap_err();
    assert_eq!(err.to_string(), format!("library {} has no symbol fayasm_sig_no_such_fn", c_lib()));
    let err = lib.define(&mut linker, "env", "x", "unsigned_entry", None).unwrap_err();
    assert!(
        matches!(err, DylibError::MissingSymbol { ref symbol, .. } if symbol == "fayasm_sig_unsigned_entry")
    );
    let err = lib.define(&mut linker, "env", "x", "future", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("library {}: fayasm_sig_future has ABI version 99, this fayasm speaks 1", c_lib())
    );
    // The Rust library has no such extras at all.
    let rust = Library::open(rust_lib()).unwrap();
    assert!(matches!(rust.signature("host_add_i64"), Err(DylibError::MissingSymbol { .. })));
    assert_eq!(
        rust.imports().unwrap()[0],
        ImportBinding { module: "env".into(), name: "host_add".into(), symbol: "host_add".into() }
    );
}

#[test]
fn an_unknown_status_traps_with_it() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        &wat::parse_str(r#"(module (import "env" "odd" (func $o)) (func (export "f") call $o))"#)
            .unwrap(),
    )
    .unwrap();
    let lib = Library::open(c_lib()).unwrap();
    let mut linker = Linker::<()>::new(&engine);
    lib.define(&mut linker, "env", "odd", "odd_status", Some(&module)).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let err = inst.get_func(&store, "f").unwrap().call(&mut store, &[]).unwrap_err();
    assert_eq!(err.as_trap().unwrap().message(), Some("env.odd: host function returned status 42"));
}

#[test]
fn a_duplicate_binding_is_a_link_error() {
    let engine = Engine::default();
    let lib = Library::open(rust_lib()).unwrap();
    let mut linker = Linker::<()>::new(&engine);
    lib.define(&mut linker, "env", "host_add", "host_add", None).unwrap();
    let err = lib.define(&mut linker, "env", "host_add", "host_add", None).unwrap_err();
    assert!(matches!(err, DylibError::Link(_)), "{err}");
}
