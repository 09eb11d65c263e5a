//! Tests of `fayasm_decode::parse`.

use fayasm_decode::parse;

#[test]
fn smoke() {
    let wasm = wat::parse_str(r#"(module (func (export "f") (param i32) (result i32) local.get 0) (memory 1) (data (i32.const 0) "hi"))"#).unwrap();
    let m = parse(&wasm).unwrap();
    println!("{m:#?}");
}
