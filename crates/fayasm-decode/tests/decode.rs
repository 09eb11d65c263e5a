//! Tests of `fayasm_decode::parse`: a module with every section, malformed and invalid modules,
//! the disabled SIMD proposal, and a corruption sweep that must never panic.

use fayasm_core::{F32, F64, RefType, ValType};
use fayasm_decode::{
    ConstExpr, ConstOp, DataMode, DecodeError, ElementMode, ExternKind, FuncType, GlobalType,
    ImportType, MemoryType, ModuleInfo, TableType, parse,
};

fn wat(text: &str) -> Vec<u8> {
    wat::parse_str(text).expect("test module must assemble")
}

fn expr(ops: &[ConstOp]) -> ConstExpr {
    ConstExpr(ops.into())
}

fn parse_err(bytes: &[u8]) -> DecodeError {
    match parse(bytes) {
        Ok(m) => panic!("expected a decode error, got {m:#?}"),
        Err(e) => e,
    }
}

const EVERYTHING: &str = r#"
(module
  (type $v (func))
  (type $ii (func (param i32) (result i32)))
  (type $multi (func (param i64 f32) (result f64 i32)))
  (import "env" "f" (func $imp (type $ii)))
  (import "env" "tab" (table $itab 2 10 funcref))
  (import "env" "mem" (memory 1 2))
  (import "env" "g" (global $ig i32))
  (import "env" "h" (func $imp2 (type $v)))
  (func $start (type $v))
  (func $second (type $ii) (local i64 i64) (local f32)
    local.get 0
    i32.const 1
    i32.add)
  (func $third (type $multi)
    f64.const 1.5
    i32.const 7)
  (table $t 3 externref)
  (global $g1 (mut i64) (i64.const -5))
  (global $g2 f32 (f32.const 2.5))
  (global $g3 f64 (f64.const -0.25))
  (global $g4 i32 (global.get $ig))
  (global $g5 funcref (ref.func $second))
  (global $g6 externref (ref.null extern))
  (export "second" (func $second))
  (export "tab" (table $t))
  (export "mem" (memory 0))
  (export "g1" (global $g1))
  (start $start)
  (elem (i32.const 1) $start $second)
  (elem (table $t) (i32.const 0) externref (ref.null extern))
  (elem $pass func $third $imp)
  (elem $passexpr funcref (ref.func $imp2) (ref.null func))
  (elem declare func $third)
  (data (i32.const 16) "hello")
  (data $p "passive!")
  (data (memory 0) (global.get $ig) "xyz")
  (func $uses_bulk
    i32.const 0
    i32.const 0
    i32.const 0
    memory.init $p
    data.drop $p)
  (@custom "my-section" "abc")
)
"#;

#[test]
fn every_section_decodes() {
    let wasm = wat(EVERYTHING);
    let m: ModuleInfo = parse(&wasm).expect("valid module");

    assert_eq!(
        m.types,
        vec![
            FuncType::new([], []),
            FuncType::new([ValType::I32], [ValType::I32]),
            FuncType::new([ValType::I64, ValType::F32], [ValType::F64, ValType::I32]),
        ]
    );

    // Imports, in order, and index spaces with the imports first.
    let imports: Vec<_> =
        m.imports.iter().map(|i| (m.name(i.module), m.name(i.name), i.ty)).collect();
    let table = TableType::new(RefType::Func, 2, Some(10));
    let memory = MemoryType::new(1, Some(2));
    let imported_global = GlobalType { content: ValType::I32, mutable: false };
    assert_eq!(
        imports,
        vec![
            ("env", "f", ImportType::Func(1)),
            ("env", "tab", ImportType::Table(table)),
            ("env", "mem", ImportType::Memory(memory)),
            ("env", "g", ImportType::Global(imported_global)),
            ("env", "h", ImportType::Func(0)),
        ]
    );
    assert_eq!(m.funcs, vec![1, 0, 0, 1, 2, 0]);
    assert_eq!(m.num_imported_funcs, 2);
    assert_eq!(m.func_type(3), Some(&m.types[1]));
    assert_eq!(m.tables, vec![table, TableType::new(RefType::Extern, 3, None)]);
    assert_eq!(m.num_imported_tables, 1);
    assert_eq!(m.table_inits, vec![None]);
    assert_eq!(m.memories, vec![memory]);
    assert_eq!(m.num_imported_memories, 1);
    assert_eq!(
        m.globals,
        vec![
            imported_global,
            GlobalType { content: ValType::I64, mutable: true },
            GlobalType { content: ValType::F32, mutable: false },
            GlobalType { content: ValType::F64, mutable: false },
            GlobalType { content: ValType::I32, mutable: false },
            GlobalType { content: ValType::FuncRef, mutable: false },
            GlobalType { content: ValType::ExternRef, mutable: false },
        ]
    );
    assert_eq!(m.num_imported_globals, 1);
    assert_eq!(
        m.global_inits,
        vec![
            expr(&[ConstOp::I64Const(-5)]),
            expr(&[ConstOp::F32Const(F32::from(2.5))]),
            expr(&[ConstOp::F64Const(F64::from(-0.25))]),
            expr(&[ConstOp::GlobalGet(0)]),
            expr(&[ConstOp::RefFunc(3)]),
            expr(&[ConstOp::RefNull(RefType::Extern)]),
        ]
    );

    let exports: Vec<_> = m.exports.iter().map(|e| (m.name(e.name), e.kind, e.index)).collect();
    assert_eq!(
        exports,
        vec![
            ("second", ExternKind::Func, 3),
            ("tab", ExternKind::Table, 1),
            ("mem", ExternKind::Memory, 0),
            ("g1", ExternKind::Global, 1),
        ]
    );
    assert_eq!(m.export("tab").map(|e| e.index), Some(1));
    assert_eq!(m.start, Some(2));

    // Element segments: every form.
    let elems: Vec<_> = m.elements.iter().map(|e| (e.ty, e.mode.clone(), &*e.items)).collect();
    let rf = |i| expr(&[ConstOp::RefFunc(i)]);
    assert_eq!(
        elems,
        vec![
            (
                RefType::Func,
                ElementMode::Active { table: 0, offset: expr(&[ConstOp::I32Const(1)]) },
                &[rf(2), rf(3)][..]
            ),
            (
                RefType::Extern,
                ElementMode::Active { table: 1, offset: expr(&[ConstOp::I32Const(0)]) },
                &[expr(&[ConstOp::RefNull(RefType::Extern)])][..]
            ),
            (RefType::Func, ElementMode::Passive, &[rf(4), rf(0)][..]),
            (
                RefType::Func,
                ElementMode::Passive,
                &[rf(1), expr(&[ConstOp::RefNull(RefType::Func)])][..]
            ),
            (RefType::Func, ElementMode::Declared, &[rf(4)][..]),
        ]
    );

    // Data segments: modes, and byte ranges pointing at the segment bytes.
    assert_eq!(m.datas.len(), 3);
    assert_eq!(
        m.datas[0].mode,
        DataMode::Active { memory: 0, offset: expr(&[ConstOp::I32Const(16)]) }
    );
    assert_eq!(&wasm[m.datas[0].data.clone()], b"hello");
    assert_eq!(m.datas[1].mode, DataMode::Passive);
    assert_eq!(&wasm[m.datas[1].data.clone()], b"passive!");
    assert_eq!(
        m.datas[2].mode,
        DataMode::Active { memory: 0, offset: expr(&[ConstOp::GlobalGet(0)]) }
    );
    assert_eq!(&wasm[m.datas[2].data.clone()], b"xyz");
    assert_eq!(m.data_count, Some(3));

    // Bodies: locals run-length encoded; code range ends with `end`.
    assert_eq!(m.bodies.len(), 4);
    assert!(m.bodies[0].locals.is_empty());
    assert_eq!(&*m.bodies[1].locals, &[(2, ValType::I64), (1, ValType::F32)]);
    for body in &m.bodies {
        assert!(body.range.start < body.code.start && body.code.end == body.range.end);
        assert_eq!(wasm[body.code.end - 1], 0x0b, "code ends with `end`");
    }
    // $second: local.get 0; i32.const 1; i32.add; end
    assert_eq!(&wasm[m.bodies[1].code.clone()], &[0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b]);
    // Its body starts with the locals declarations: 2 groups, 2 x i64, 1 x f32.
    assert_eq!(&wasm[m.bodies[1].range.clone()][..5], &[0x02, 0x02, 0x7e, 0x01, 0x7d]);

    // Name section: every named function, sorted by index.
    let func_names: Vec<_> = m.func_names.iter().map(|&(i, n)| (i, m.name(n))).collect();
    assert_eq!(
        func_names,
        [(0, "imp"), (1, "imp2"), (2, "start"), (3, "second"), (4, "third"), (5, "uses_bulk")]
    );
    assert_eq!(m.func_name(3), Some("second"));
    assert_eq!(m.func_name(9), None);

    // Custom sections, with their payload size.
    let customs: Vec<_> = m.custom_sections.iter().map(|&(n, len)| (m.name(n), len)).collect();
    assert!(customs.contains(&("my-section", 3)));
    assert!(customs.iter().any(|&(n, _)| n == "name"));

    // Sections, in binary order, with ranges inside the module and not overlapping.
    let names: Vec<_> = m.sections.iter().map(|s| m.name(s.name)).collect();
    let standard: Vec<_> =
        names.iter().copied().filter(|n| !matches!(*n, "name" | "my-section")).collect();
    assert_eq!(
        standard,
        [
            "type",
            "import",
            "function",
            "table",
            "memory",
            "global",
            "export",
            "start",
            "element",
            "datacount",
            "code",
            "data",
        ]
        .iter()
        .copied()
        .filter(|n| *n != "memory") // the only memory is imported
        .collect::<Vec<_>>()
    );
    assert!(names.contains(&"name") && names.contains(&"my-section"));
    let mut last_end = 8;
    for s in &m.sections {
        assert!(last_end < s.range.start && s.range.start <= s.range.end, "{s:?}");
        assert!(s.range.end <= wasm.len());
        last_end = s.range.end;
    }
    let code = m.sections.iter().find(|s| m.name(s.name) == "code").expect("code section");
    assert!(
        m.bodies.iter().all(|b| code.range.start < b.range.start && b.range.end <= code.range.end)
    );
}

#[test]
fn empty_module() {
    let m = parse(b"\0asm\x01\0\0\0").expect("empty module is valid");
    assert_eq!(m, ModuleInfo::default());
}

#[test]
fn memory_without_max_and_extended_const_free_offsets() {
    let wasm = wat(r#"(module (memory 0) (table 0 funcref) (data (i32.const 0)))"#);
    let m = parse(&wasm).expect("valid module");
    assert_eq!(m.memories, vec![MemoryType::new(0, None)]);
    assert_eq!(m.num_imported_memories, 0);
    assert_eq!(m.tables, vec![TableType::new(RefType::Func, 0, None)]);
    assert_eq!(m.table_inits, vec![None]);
    assert_eq!(m.datas.len(), 1);
    assert!(m.datas[0].data.is_empty());
    assert!(m.datas[0].data.end <= wasm.len());
    assert_eq!(m.data_count, None);
}

#[test]
fn table64_types_segments_and_imports_decode() {
    let wasm = wat(r#"(module
      (import "m" "t" (table $it i64 1 funcref))
      (table $t i64 3 18446744073709551615 funcref)
      (table $big i64 0 externref)
      (func $f)
      (elem (table $t) (i64.const 1) func $f))"#);
    let m = parse(&wasm).expect("a module with 64-bit tables is valid");
    assert_eq!(
        m.tables,
        vec![
            TableType::new64(RefType::Func, 1, None),
            TableType::new64(RefType::Func, 3, Some(u64::MAX)),
            TableType::new64(RefType::Extern, 0, None),
        ]
    );
    assert_eq!(m.tables[0].index_type(), ValType::I64);
    assert_eq!(TableType::new(RefType::Func, 0, None).index_type(), ValType::I32);
    assert_eq!(m.imports[0].ty, ImportType::Table(TableType::new64(RefType::Func, 1, None)));
    assert_eq!(
        m.elements[0].mode,
        ElementMode::Active { table: 1, offset: expr(&[ConstOp::I64Const(1)]) }
    );
}

#[test]
fn table64_needs_i64_operands() {
    for (text, what) in [
        (r#"(module (table i64 1 funcref) (elem (i32.const 0)))"#, "i32 offset"),
        (r#"(module (table i64 1 funcref) (func (drop (table.get 0 (i32.const 0)))))"#, "get"),
        (r#"(module (table 1 funcref) (func (drop (table.get 0 (i64.const 0)))))"#, "i64 index"),
        (r#"(module (table i64 1 funcref) (func (result i32) (table.size 0)))"#, "size"),
    ] {
        let e = parse_err(&wat(text));
        assert!(e.message().contains("type mismatch"), "{what}: {e}");
    }
    // Limits of a 32-bit table stay within 2^32.
    let e = parse_err(&wat(r#"(module (table 0 4294967296 funcref))"#));
    assert!(!e.message().is_empty());
}

#[test]
fn malformed_name_section_is_ignored() {
    let mut wasm = wat(r#"(module (func))"#);
    // custom section "name" with a function-names subsection claiming more bytes than exist.
    wasm.extend_from_slice(&[0x00, 0x08, 0x04, b'n', b'a', b'm', b'e', 0x01, 0x7f, 0x01]);
    let m = parse(&wasm).expect("a malformed name section does not make the module invalid");
    assert!(m.func_names.is_empty());
    let customs: Vec<_> = m.custom_sections.iter().map(|&(n, len)| (m.name(n), len)).collect();
    assert_eq!(customs, [("name", 3)]);
}

#[test]
fn truncated_module() {
    let e = parse_err(b"\0asm\x01\0\0");
    assert!(e.message().contains("unexpected end"), "{e}");
    assert!(e.offset() <= 8, "{e}");

    let e = parse_err(b"");
    assert!(e.message().contains("unexpected end"), "{e}");

    // A module cut inside its code section.
    let wasm = wat(r#"(module (func (result i32) i32.const 42))"#);
    let e = parse_err(&wasm[..wasm.len() - 2]);
    assert!(e.message().contains("unexpected end"), "{e}");
    assert!(e.offset() >= 8 && e.offset() <= wasm.len(), "{e}");
}

#[test]
fn bad_magic() {
    let e = parse_err(b"\0asn\x01\0\0\0");
    assert_eq!(e.offset(), 0);
    assert!(e.message().contains("magic header"), "{e}");

    let e = parse_err(b"\0asm\x02\0\0\0");
    // wasmparser 0.228 points at the header, later versions at the version field.
    assert!(e.offset() <= 4, "{e}");
    assert!(e.message().contains("version"), "{e}");
}

#[test]
fn bad_section() {
    // Unknown section id 14 (reported at the start of its contents).
    let e = parse_err(b"\0asm\x01\0\0\0\x0e\x01\x00");
    assert_eq!(e.offset(), 10);
    assert!(e.message().contains("section"), "{e}");

    // Section size larger than the module.
    let e = parse_err(b"\0asm\x01\0\0\0\x01\x10\x00");
    assert!(e.message().contains("unexpected end"), "{e}");

    // Sections out of order: function section before type section.
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend_from_slice(&[0x03, 0x01, 0x00, 0x01, 0x01, 0x00]); // empty function, then empty type section
    let e = parse_err(&bytes);
    assert_eq!(e.offset(), 13, "at the start of the misplaced section's contents");
    assert!(e.message().contains("section"), "{e}");

    // A section with trailing bytes after its items.
    let e = parse_err(b"\0asm\x01\0\0\0\x01\x02\x00\x00");
    assert!(e.message().contains("section"), "{e}");
}

#[test]
fn invalid_body_is_rejected() {
    let wasm = wat(r#"(module (func $ok) (func $bad (result i32) i64.const 0))"#);
    let e = parse_err(&wasm);
    assert!(e.message().contains("type mismatch"), "{e}");
    // The offset points inside the second body.
    let bodies = parse(&wat(r#"(module (func $ok) (func $bad (result i64) i64.const 0))"#))
        .expect("same layout, valid")
        .bodies;
    assert!(bodies[1].range.contains(&e.offset()), "{e} not in {:?}", bodies[1].range);
}

#[test]
fn invalid_module_structure_is_rejected() {
    let cases = [
        (r#"(module (func (call 5)))"#, "unknown function"),
        (r#"(module (memory 65537))"#, "memory size must be at most"),
        (r#"(module (global i32 (i64.const 0)))"#, "type mismatch"),
        (r#"(module (func) (export "a" (func 0)) (export "a" (func 0)))"#, "duplicate export"),
        (r#"(module (func (param i32)) (start 0))"#, "start function"),
        (r#"(module (global i32 (i32.div_s (i32.const 1) (i32.const 2))))"#, "constant expression"),
    ];
    for (text, needle) in cases {
        let e = parse_err(&wat(text));
        assert!(e.message().contains(needle), "{text}: {e}");
        assert!(e.offset() > 8, "{text}: {e}");
    }
}

#[test]
fn memory_init_requires_data_count() {
    // Hand-built: (memory 1) (func memory.init 0 ...) (data "") without a datacount section.
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend_from_slice(&[0x01, 0x04, 0x01, 0x60, 0x00, 0x00]); // type () -> ()
    bytes.extend_from_slice(&[0x03, 0x02, 0x01, 0x00]); // one function
    bytes.extend_from_slice(&[0x05, 0x03, 0x01, 0x00, 0x01]); // memory 1
    let body = [0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b];
    bytes.extend_from_slice(&[0x0a, body.len() as u8 + 2, 0x01, body.len() as u8]);
    bytes.extend_from_slice(&body);
    bytes.extend_from_slice(&[0x0b, 0x03, 0x01, 0x01, 0x00]); // one passive empty data segment
    let e = parse_err(&bytes);
    assert!(e.message().contains("data count"), "{e}");
}

#[test]
fn malformed_later_section_is_reported_before_invalid_body() {
    let mut wasm = wat(r#"(module (func (result i32) i64.const 0))"#);
    // Append an unknown section: decoding fails before the body is validated.
    let at = wasm.len();
    wasm.extend_from_slice(&[0x0e, 0x00]);
    let e = parse_err(&wasm);
    assert_eq!(e.offset(), at + 2, "at the start of the unknown section's contents");
    assert!(e.message().contains("section"), "{e}");
}

#[test]
fn simd_is_accepted() {
    for text in [
        r#"(module (func (param v128)))"#,
        r#"(module (func (result i32) v128.const i64x2 0 0 i32x4.extract_lane 0))"#,
        r#"(module (global v128 (v128.const i64x2 1 2)))"#,
    ] {
        let bytes = wat(text);
        assert!(parse(&bytes).is_ok(), "{text}");
    }
}

#[test]
fn features_are_wasm2_simd_and_the_implemented_proposals() {
    use wasmparser::WasmFeatures as F;
    let f = fayasm_decode::features();
    for on in [
        F::MUTABLE_GLOBAL,
        F::SATURATING_FLOAT_TO_INT,
        F::SIGN_EXTENSION,
        F::REFERENCE_TYPES,
        F::MULTI_VALUE,
        F::BULK_MEMORY,
        // The memory proposals.
        F::MEMORY64,
        F::MULTI_MEMORY,
        F::CUSTOM_PAGE_SIZES,
        F::SIMD,
        F::RELAXED_SIMD,
        F::TAIL_CALL,
        F::EXTENDED_CONST,
        F::WIDE_ARITHMETIC,
    ] {
        assert!(f.contains(on), "{on:?}");
    }
    for off in [F::THREADS, F::GC, F::EXCEPTIONS, F::FUNCTION_REFERENCES] {
        assert!(!f.contains(off), "{off:?}");
    }
    assert_eq!(*fayasm_decode::validator().features(), f);
}

#[test]
fn errors_display() {
    let e = parse_err(b"\0asn\x01\0\0\0");
    let text = e.to_string();
    assert!(text.contains("magic header") && text.contains("0x0"), "{text}");
    assert!(format!("{e:?}").contains("DecodeError"));
}

/// A small module touching most sections, used for the corruption sweep.
const SMALL: &str = r#"
(module
  (type (func (param i32) (result i32)))
  (import "m" "f" (func $f (type 0)))
  (import "m" "g" (global i32))
  (func $g (type 0) (local i64)
    local.get 0
    call $f
    i32.const 1
    i32.add)
  (table 2 funcref)
  (memory 1 3)
  (global (mut i32) (i32.const 7))
  (export "g" (func $g))
  (elem (i32.const 0) $g $f)
  (elem funcref (ref.func $f))
  (data (i32.const 8) "ab")
  (data "cd")
)
"#;

/// Checks that a successful result stays within the module bytes.
fn check_ranges(bytes: &[u8], m: &ModuleInfo) {
    for d in &m.datas {
        assert!(d.data.start <= d.data.end && d.data.end <= bytes.len());
    }
    for b in &m.bodies {
        assert!(b.range.start <= b.code.start && b.code.end == b.range.end);
        assert!(b.range.end <= bytes.len());
    }
    for s in &m.sections {
        assert!(s.range.start <= s.range.end && s.range.end <= bytes.len());
    }
}

/// A module with 64-bit tables (memory64's table64): limits, an i64 segment offset, an import,
/// table instructions on i64 operands; swept like [`SMALL`].
const SMALL_TABLE64: &str = r#"
(module
  (import "m" "t" (table i64 1 funcref))
  (table $t i64 2 0xffff_ffff_ffff funcref)
  (func $f (param i64) (result i64)
    (table.set $t (local.get 0) (table.get $t (i64.const 1)))
    (table.grow $t (ref.null func) (table.size $t)))
  (elem (table $t) (i64.const 1) func $f)
)
"#;

#[test]
fn corruption_sweep_never_panics() {
    sweep(&wat(SMALL));
}

#[test]
fn corruption_sweep_of_64_bit_tables_never_panics() {
    sweep(&wat(SMALL_TABLE64));
}

/// Parses every truncation, many one-byte corruptions, and every inserted or removed byte of
/// the valid module `wasm`: none may panic, and what parses must stay within its bytes.
fn sweep(wasm: &[u8]) {
    let wasm = wasm.to_vec();
    let m = parse(&wasm).expect("the base module is valid");
    check_ranges(&wasm, &m);

    // Every truncation.
    for len in 0..wasm.len() {
        let cut = &wasm[..len];
        match parse(cut) {
            Ok(m) => check_ranges(cut, &m),
            Err(e) => assert!(!e.message().is_empty()),
        }
    }

    // Every one-byte corruption, with a handful of replacement values per byte.
    let mut bytes = wasm.clone();
    let mut rejected = 0;
    for i in 0..wasm.len() {
        let original = wasm[i];
        let mut values = vec![0x00, 0x01, 0x7f, 0x80, 0xff, 0x0b, 0x40, 0x60, 0x70, 0xfd];
        values.extend([original ^ 0x01, original ^ 0x80, original.wrapping_add(1)]);
        for v in values {
            if v == original {
                continue;
            }
            bytes[i] = v;
            match parse(&bytes) {
                Ok(m) => check_ranges(&bytes, &m),
                Err(e) => {
                    rejected += 1;
                    assert!(!e.message().is_empty());
                }
            }
        }
        bytes[i] = original;
    }
    assert!(rejected > wasm.len(), "most corruptions must be rejected");

    // Inserted and removed bytes shift every later offset.
    for i in 0..=wasm.len() {
        let mut inserted = wasm.clone();
        inserted.insert(i, 0x00);
        if let Ok(m) = parse(&inserted) {
            check_ranges(&inserted, &m);
        }
        if i < wasm.len() {
            let mut removed = wasm.clone();
            removed.remove(i);
            if let Ok(m) = parse(&removed) {
                check_ranges(&removed, &m);
            }
        }
    }
}

#[test]
fn locals_spill_past_the_inline_groups() {
    let groups: Vec<(u32, ValType)> =
        (0..7).map(|i| (i, if i % 2 == 0 { ValType::I64 } else { ValType::F32 })).collect();
    for n in 0..groups.len() {
        let locals = fayasm_decode::Locals::from(&groups[..n]);
        assert_eq!(&*locals, &groups[..n], "{n} groups");
        assert_eq!(locals.clone(), locals);
    }
    assert!(fayasm_decode::Locals::default().is_empty());
}
