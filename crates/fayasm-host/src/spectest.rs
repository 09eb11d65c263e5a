//! The `spectest` module imported by the official WebAssembly test suite.
//!
//! Its contents follow the reference interpreter (`interpreter/host/spectest.ml` in the spec
//! repository):
//!
//! | name            | kind     | type                              |
//! |-----------------|----------|-----------------------------------|
//! | `print`         | function | `[] -> []`                        |
//! | `print_i32`     | function | `[i32] -> []`                     |
//! | `print_i64`     | function | `[i64] -> []`                     |
//! | `print_f32`     | function | `[f32] -> []`                     |
//! | `print_f64`     | function | `[f64] -> []`                     |
//! | `print_i32_f32` | function | `[i32 f32] -> []`                 |
//! | `print_f64_f64` | function | `[f64 f64] -> []`                 |
//! | `global_i32`    | global   | immutable `i32`, value 666        |
//! | `global_i64`    | global   | immutable `i64`, value 666        |
//! | `global_f32`    | global   | immutable `f32`, value 666.6      |
//! | `global_f64`    | global   | immutable `f64`, value 666.6      |
//! | `table`         | table    | `funcref`, 10 elements, max 20    |
//! | `table64`       | table    | `i64` `funcref`, 10 elements, max 20 |
//! | `memory`        | memory   | 1 page, max 2                     |
//!
//! The print functions do nothing by default, so test runs stay quiet. With the `std` feature,
//! [`SpecTest::print`] makes them write their arguments to standard output, one line per call.
//!
//! ```
//! use fayasm_exec::{Engine, Linker, Store};
//! let engine = Engine::default();
//! let mut store = Store::new(&engine, ());
//! let mut linker = Linker::new(&engine);
//! fayasm_host::spectest::define(&mut linker, &mut store).unwrap();
//! assert!(linker.get(&mut store, "spectest", "print_i32").is_some());
//! ```

use fayasm_exec::{
    Error, F32, F64, FuncType, Global, GlobalType, Linker, Memory, MemoryType, RefType, Store,
    Table, TableType, ValType, Value,
};

/// The module name the test suite imports these definitions from.
pub const MODULE_NAME: &str = "spectest";

/// The print functions: name and parameter types (none of them returns anything).
const PRINT_FUNCS: &[(&str, &[ValType])] = &[
    ("print", &[]),
    ("print_i32", &[ValType::I32]),
    ("print_i64", &[ValType::I64]),
    ("print_f32", &[ValType::F32]),
    ("print_f64", &[ValType::F64]),
    ("print_i32_f32", &[ValType::I32, ValType::F32]),
    ("print_f64_f64", &[ValType::F64, ValType::F64]),
];

/// Builder for the `spectest` module.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpecTest {
    #[cfg(feature = "std")]
    print: bool,
}

impl SpecTest {
    /// The default `spectest` module: print functions that do nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the print functions write their arguments to standard output.
    #[cfg(feature = "std")]
    pub fn print(&mut self, print: bool) -> &mut Self {
        self.print = print;
        self
    }

    /// Defines every `spectest` item in `linker`, creating the globals, the table and the
    /// memory in `store`.
    ///
    /// The functions are host functions of the linker, so they work in any store that
    /// instantiates against it; the globals, table and memory belong to `store`.
    pub fn define<T: 'static>(
        &self,
        linker: &mut Linker<T>,
        store: &mut Store<T>,
    ) -> Result<(), Error> {
        for &(name, params) in PRINT_FUNCS {
            let ty = FuncType::new(params, []);
            #[cfg(feature = "std")]
            if self.print {
                linker.func_new(MODULE_NAME, name, ty, |_, args, _| {
                    print_values(args);
                    Ok(())
                })?;
                continue;
            }
            linker.func_new(MODULE_NAME, name, ty, |_, _, _| Ok(()))?;
        }

        let globals = [
            ("global_i32", Value::I32(666)),
            ("global_i64", Value::I64(666)),
            ("global_f32", Value::F32(F32::from(666.6_f32))),
            ("global_f64", Value::F64(F64::from(666.6_f64))),
        ];
        for (name, value) in globals {
            let ty = GlobalType { content: value.ty(), mutable: false };
            let global = Global::new(&mut *store, ty, value)?;
            linker.define(MODULE_NAME, name, global)?;
        }

        let table_ty = TableType::new(RefType::Func, 10, Some(20));
        let table = Table::new(&mut *store, table_ty, Value::FuncRef(None))?;
        linker.define(MODULE_NAME, "table", table)?;
        // The reference interpreter's 64-bit table (memory64's table64), with the same limits.
        let table64_ty = TableType::new64(RefType::Func, 10, Some(20));
        let table64 = Table::new(&mut *store, table64_ty, Value::FuncRef(None))?;
        linker.define(MODULE_NAME, "table64", table64)?;

        let memory = Memory::new(&mut *store, MemoryType::new(1, Some(2)))?;
        linker.define(MODULE_NAME, "memory", memory)?;
        Ok(())
    }
}

/// Defines the default (quiet) `spectest` module in `linker` and `store`; see
/// [`SpecTest::define`].
pub fn define<T: 'static>(linker: &mut Linker<T>, store: &mut Store<T>) -> Result<(), Error> {
    SpecTest::new().define(linker, store)
}

/// Writes `args` to standard output the way the reference interpreter does: `666 : i32`.
#[cfg(feature = "std")]
fn print_values(args: &[Value]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for arg in args {
        // A failed write to stdout is not the wasm program's problem; ignore it.
        let _ = match *arg {
            Value::I32(v) => writeln!(out, "{v} : i32"),
            Value::I64(v) => writeln!(out, "{v} : i64"),
            Value::F32(v) => writeln!(out, "{} : f32", v.to_float()),
            Value::F64(v) => writeln!(out, "{} : f64", v.to_float()),
            other => writeln!(out, "{other:?}"),
        };
    }
    if args.is_empty() {
        let _ = writeln!(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fayasm_exec::{Engine, Extern, ExternType};

    fn setup() -> (Linker<()>, Store<()>) {
        let engine = Engine::default();
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        define(&mut linker, &mut store).unwrap();
        (linker, store)
    }

    #[test]
    fn print_functions_have_the_reference_signatures() {
        let (linker, mut store) = setup();
        for &(name, params) in PRINT_FUNCS {
            let f = linker.get(&mut store, MODULE_NAME, name).and_then(Extern::into_func).unwrap();
            let ty = f.ty(&store);
            assert_eq!(&*ty.params, params, "{name}");
            assert!(ty.results.is_empty(), "{name}");
        }
        let f = linker
            .get(&mut store, MODULE_NAME, "print_f64_f64")
            .and_then(Extern::into_func)
            .unwrap();
        assert_eq!(&*f.ty(&store).params, &[ValType::F64, ValType::F64]);
    }

    #[test]
    fn globals_are_immutable_with_the_reference_values() {
        let (linker, mut store) = setup();
        let get = |store: &mut Store<()>, name| {
            linker.get(&mut *store, MODULE_NAME, name).and_then(Extern::into_global).unwrap()
        };
        let cases = [
            ("global_i32", Value::I32(666)),
            ("global_i64", Value::I64(666)),
            ("global_f32", Value::F32(F32::from_bits(0x4426_a666))),
            ("global_f64", Value::F64(F64::from_bits(0x4084_d4cc_cccc_cccd))),
        ];
        for (name, want) in cases {
            let g = get(&mut store, name);
            assert_eq!(g.get(&store), want, "{name}");
            assert!(!g.ty(&store).mutable, "{name}");
            assert!(g.set(&mut store, want).is_err(), "{name} must reject set");
        }
    }

    #[test]
    fn table_and_memory_have_the_reference_limits() {
        let (linker, mut store) = setup();
        let table = linker.get(&mut store, MODULE_NAME, "table").unwrap();
        assert_eq!(
            table.ty(&store),
            ExternType::Table(TableType::new(RefType::Func, 10, Some(20)))
        );
        let table = table.into_table().unwrap();
        assert_eq!(table.get(&store, 0), Some(Value::FuncRef(None)));
        assert_eq!(table.get(&store, 10), None);
        let table64 = linker.get(&mut store, MODULE_NAME, "table64").unwrap();
        assert_eq!(
            table64.ty(&store),
            ExternType::Table(TableType::new64(RefType::Func, 10, Some(20)))
        );

        let memory =
            linker.get(&mut store, MODULE_NAME, "memory").and_then(Extern::into_memory).unwrap();
        assert_eq!(memory.ty(&store), MemoryType::new(1, Some(2)));
        assert_eq!(memory.data(&store).len(), 65536);
        assert_eq!(memory.grow(&mut store, 1).unwrap(), 1);
        assert!(memory.grow(&mut store, 1).is_err(), "the maximum is 2 pages");
    }

    #[test]
    fn unknown_names_are_not_defined() {
        let (linker, mut store) = setup();
        assert!(linker.get(&mut store, MODULE_NAME, "print_i128").is_none());
        assert!(linker.get(&mut store, "env", "print").is_none());
    }

    #[cfg(feature = "std")]
    #[test]
    fn printing_variant_defines_the_same_items() {
        let engine = Engine::default();
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        SpecTest::new().print(true).define(&mut linker, &mut store).unwrap();
        for &(name, _) in PRINT_FUNCS {
            assert!(linker.get(&mut store, MODULE_NAME, name).is_some(), "{name}");
        }
    }

    #[test]
    fn a_module_importing_everything_instantiates_and_runs() {
        let (linker, mut store) = setup();
        let wasm = wat::parse_str(
            r#"(module
                (import "spectest" "print" (func $print))
                (import "spectest" "print_i32" (func $print_i32 (param i32)))
                (import "spectest" "print_i64" (func (param i64)))
                (import "spectest" "print_f32" (func (param f32)))
                (import "spectest" "print_f64" (func (param f64)))
                (import "spectest" "print_i32_f32" (func (param i32 f32)))
                (import "spectest" "print_f64_f64" (func (param f64 f64)))
                (import "spectest" "global_i32" (global $g i32))
                (import "spectest" "global_i64" (global i64))
                (import "spectest" "global_f32" (global f32))
                (import "spectest" "global_f64" (global f64))
                (import "spectest" "table" (table 10 20 funcref))
                (import "spectest" "memory" (memory 1 2))
                (func (export "run") (result i32)
                    (call $print)
                    (call $print_i32 (global.get $g))
                    (i32.add (global.get $g) (memory.size))))"#,
        )
        .unwrap();
        let module = fayasm_exec::Module::new(store.engine(), &wasm).unwrap();
        let instance = linker.instantiate(&mut store, &module).unwrap();
        let run = instance.get_typed_func::<(), i32>(&store, "run").unwrap();
        assert_eq!(run.call(&mut store, ()).unwrap(), 667);
    }

    #[test]
    fn a_module_importing_everything_links() {
        // Linking is checked by the exec crate; here we only make sure every import the test
        // suite uses resolves to an item of the right kind.
        let (linker, mut store) = setup();
        for (name, kind) in [
            ("global_i32", "global"),
            ("global_i64", "global"),
            ("global_f32", "global"),
            ("global_f64", "global"),
            ("table", "table"),
            ("memory", "memory"),
            ("print", "func"),
        ] {
            let ext = linker.get(&mut store, MODULE_NAME, name).unwrap();
            let got = match ext {
                Extern::Func(_) => "func",
                Extern::Table(_) => "table",
                Extern::Memory(_) => "memory",
                Extern::Global(_) => "global",
            };
            assert_eq!(got, kind, "{name}");
        }
    }
}
