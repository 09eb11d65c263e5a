//! Differential testing against wasmi 2: random WebAssembly 2.0 modules from wasm-smith, with the
//! memory proposals (up to three memories, 64-bit memories, 1-byte pages; other later proposals
//! and SIMD off, NaNs canonicalised so results are deterministic, loops and calls given
//! fuel so every call terminates) run on both engines; results, traps, exported globals and
//! memory (every memory: all are exported) must agree after every call. wasm-smith's memory64
//! switch also makes 64-bit tables, which fayasm does not support yet: modules with one are
//! counted and left out. This exercises the lowering's fusions on code shapes the
//! spec suite does not contain.

use arbitrary::Unstructured;
use fayasm_exec::{Engine, Extern, Linker, Module, Store, Value};

/// Modules per run; each is instantiated and all its exports called twice.
const MODULES: u64 = if cfg!(debug_assertions) { 300 } else { 1000 };
const FUEL: u32 = 400;

fn config() -> wasm_smith::Config {
    wasm_smith::Config {
        simd_enabled: false,
        relaxed_simd_enabled: false,
        threads_enabled: false,
        shared_everything_threads_enabled: false,
        exceptions_enabled: false,
        gc_enabled: false,
        tail_call_enabled: false,
        memory64_enabled: true,
        custom_page_sizes_enabled: true,
        wide_arithmetic_enabled: false,
        extended_const_enabled: false,
        custom_descriptors_enabled: false,
        multi_value_enabled: true,
        reference_types_enabled: true,
        bulk_memory_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        canonicalize_nans: true,
        export_everything: true,
        max_imports: 0,
        max_memories: 3,
        max_memory32_bytes: 4 << 16,
        max_memory64_bytes: 4 << 16,
        min_funcs: 2,
        max_funcs: 12,
        max_instructions: 600,
        min_exports: 2,
        max_tables: 2,
        max_table_elements: 64,
        allow_start_export: true,
        ..wasm_smith::Config::default()
    }
}

/// Deterministic pseudo-random bytes for seed `seed`.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// A comparable form of a value: floats by bits (NaNs are canonicalised by wasm-smith), references
/// by nullness (addresses differ between engines).
#[derive(Debug, PartialEq)]
enum V {
    Int(i64),
    Bits(u64),
    Ref(bool),
}

fn ours(v: &Value) -> V {
    match *v {
        Value::I32(x) => V::Int(x.into()),
        Value::I64(x) => V::Int(x),
        Value::F32(x) => V::Bits(x.to_bits().into()),
        Value::F64(x) => V::Bits(x.to_bits()),
        Value::V128(x) => V::Bits(x as u64),
        Value::FuncRef(r) => V::Ref(r.is_some()),
        Value::ExternRef(r) => V::Ref(r.is_some()),
    }
}

fn theirs(v: &wasmi::Val) -> V {
    match v {
        wasmi::Val::I32(x) => V::Int((*x).into()),
        wasmi::Val::I64(x) => V::Int(*x),
        wasmi::Val::F32(x) => V::Bits(x.to_bits().into()),
        wasmi::Val::F64(x) => V::Bits(x.to_bits()),
        wasmi::Val::FuncRef(r) => V::Ref(!r.is_null()),
        wasmi::Val::ExternRef(r) => V::Ref(!r.is_null()),
        other => panic!("unexpected wasmi value {other:?}"),
    }
}

fn arg(ty: fayasm_exec::ValType, k: u64) -> (Value, wasmi::Val) {
    use fayasm_exec::ValType as T;
    let n = [0i64, 1, -1, 7, i32::MIN as i64, 1 << 40][(k % 6) as usize];
    match ty {
        T::I32 => (Value::I32(n as i32), wasmi::Val::I32(n as i32)),
        T::I64 => (Value::I64(n), wasmi::Val::I64(n)),
        T::F32 => (Value::from(n as f32), wasmi::Val::F32((n as f32).into())),
        T::F64 => (Value::from(n as f64), wasmi::Val::F64((n as f64).into())),
        T::FuncRef => (Value::FuncRef(None), wasmi::Val::FuncRef(wasmi::Nullable::Null)),
        T::ExternRef => (Value::ExternRef(None), wasmi::Val::ExternRef(wasmi::Nullable::Null)),
        T::V128 => unreachable!("SIMD is disabled"),
    }
}

#[test]
fn random_modules_agree_with_wasmi() {
    agree_with_wasmi(&fayasm_exec::Config::default(), false);
}

/// The same modules under a tiny code budget with a spill store: the code cache evicts,
/// spills and reloads while the results still agree.
#[test]
fn random_modules_agree_with_wasmi_under_a_tiny_code_budget() {
    let mut config = fayasm_exec::Config::default();
    config.code_budget(Some(256));
    let evictions = agree_with_wasmi(&config, true);
    assert!(evictions > 0, "the budget never evicted");
}

/// Runs the generated modules on fayasm (with `config`, and a `MemStore` as spill store if
/// `spill`) and on wasmi; returns fayasm's code cache evictions.
fn agree_with_wasmi(fayasm_config: &fayasm_exec::Config, spill: bool) -> u64 {
    let mut evictions = 0;
    let (mut compared_calls, mut modules_run, mut returned) = (0usize, 0usize, 0usize);
    let (mut table64, mut multi, mut mem64, mut small_pages) = (0usize, 0usize, 0usize, 0usize);
    for seed in 0..MODULES {
        let data = bytes(seed, 30_000);
        let mut u = Unstructured::new(&data);
        let Ok(mut module) = wasm_smith::Module::new(config(), &mut u) else { continue };
        if module.ensure_termination(FUEL).is_err() {
            continue;
        }
        let wasm = module.to_bytes();

        let engine = Engine::new(fayasm_config);
        let ours_module = match Module::new(&engine, &wasm) {
            Ok(m) => m,
            Err(e) if e.to_string().contains("64-bit tables") => {
                table64 += 1;
                continue;
            }
            Err(e) => panic!("seed {seed}: fayasm rejects a valid module: {e}"),
        };
        let memories = &ours_module.info().memories;
        multi += usize::from(memories.len() > 1);
        mem64 += usize::from(memories.iter().any(|m| m.memory64));
        small_pages += usize::from(memories.iter().any(|m| m.page_size_log2 == 0));
        let mut wconfig = wasmi::Config::default();
        wconfig.wasm_memory64(true).wasm_multi_memory(true).wasm_custom_page_sizes(true);
        let wengine = wasmi::Engine::new(&wconfig);
        let wmodule = wasmi::Module::new(&wengine, &wasm[..])
            .unwrap_or_else(|e| panic!("seed {seed}: wasmi rejects: {e}"));
        let mut store = Store::new(&engine, ());
        if spill {
            store.attach_spill_store(Box::new(fayasm_exec::MemStore::new()));
        }
        let mut wstore = wasmi::Store::new(&wengine, ());
        let inst = Linker::new(&engine).instantiate(&mut store, &ours_module);
        let winst = wasmi::Linker::<()>::new(&wengine).instantiate_and_start(&mut wstore, &wmodule);
        let (inst, winst) = match (inst, winst) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(_), Err(_)) => continue,
            (a, b) => panic!(
                "seed {seed}: instantiation differs: fayasm {:?}, wasmi {:?}",
                a.err(),
                b.err().map(|e| e.to_string())
            ),
        };
        modules_run += 1;
        let exports = inst.exports(&store);
        for round in 0..2u64 {
            for (name, ext) in &exports {
                let Extern::Func(f) = ext else { continue };
                let ty = f.ty(&store);
                let (args, wargs): (Vec<Value>, Vec<wasmi::Val>) = ty
                    .params
                    .iter()
                    .enumerate()
                    .map(|(i, t)| arg(*t, i as u64 + round * 3))
                    .unzip();
                let got = f.call(&mut store, &args);
                let wf = winst.get_func(&wstore, name).expect("wasmi export");
                let mut wres: Vec<wasmi::Val> =
                    ty.results.iter().map(|_| wasmi::Val::I32(0)).collect();
                let want = wf.call(&mut wstore, &wargs, &mut wres);
                match (&got, &want) {
                    (Ok(a), Ok(())) => {
                        let a: Vec<V> = a.iter().map(ours).collect();
                        let b: Vec<V> = wres.iter().map(theirs).collect();
                        assert_eq!(a, b, "seed {seed}: {name}{args:?} results differ");
                        returned += 1;
                    }
                    (Err(a), Err(b)) => {
                        let ours_code = a.as_trap().map(|t| t.code());
                        let theirs_code = b.as_trap_code().map(same_trap);
                        assert_eq!(
                            ours_code.map(same_trap_ours),
                            theirs_code,
                            "seed {seed}: {name}{args:?}: fayasm {a}, wasmi {b}"
                        );
                    }
                    _ => panic!(
                        "seed {seed}: {name}{args:?}: fayasm {got:?}, wasmi {:?}",
                        want.map_err(|e| e.to_string())
                    ),
                }
                compared_calls += 1;
                compare_state(seed, name, &store, &wstore, &winst, &exports);
            }
        }
        evictions += store.code_cache_stats().evictions;
    }
    println!(
        "differential: {modules_run} modules instantiated, {compared_calls} calls compared, {returned} returned normally"
    );
    println!(
        "differential: {multi} modules with several memories, {mem64} with a 64-bit memory, {small_pages} with 1-byte pages; {table64} left out for a 64-bit table"
    );
    assert!(multi > 0 && mem64 > 0 && small_pages > 0, "a memory proposal was never generated");
    assert!(
        modules_run >= MODULES as usize / 3,
        "only {modules_run} modules ran: generator config too strict?"
    );
    assert!(compared_calls > modules_run, "too few calls compared: {compared_calls}");
    evictions
}

/// Exported globals and memories must hold the same contents in both engines.
fn compare_state(
    seed: u64,
    after: &str,
    store: &Store<()>,
    wstore: &wasmi::Store<()>,
    winst: &wasmi::Instance,
    exports: &[(String, Extern)],
) {
    for (name, ext) in exports {
        match ext {
            Extern::Global(g) => {
                let w = winst.get_global(wstore, name).expect("wasmi global");
                assert_eq!(
                    ours(&g.get(store)),
                    theirs(&w.get(wstore)),
                    "seed {seed}: global {name} after {after}"
                );
            }
            Extern::Memory(m) => {
                let w = winst.get_memory(wstore, name).expect("wasmi memory");
                assert!(
                    m.data(store) == w.data(wstore),
                    "seed {seed}: memory {name} differs after {after}"
                );
            }
            _ => {}
        }
    }
}

/// wasmi's trap code as fayasm's spelling (wasmi folds "undefined element" into table bounds).
fn same_trap(c: wasmi::TrapCode) -> &'static str {
    use wasmi::TrapCode as W;
    match c {
        W::UnreachableCodeReached => "unreachable",
        W::MemoryOutOfBounds => "memory",
        W::TableOutOfBounds => "table",
        W::IndirectCallToNull => "null",
        W::IntegerDivisionByZero => "div0",
        W::IntegerOverflow => "overflow",
        W::BadConversionToInteger => "conversion",
        W::StackOverflow => "stack",
        W::BadSignature => "signature",
        _ => "other",
    }
}

fn same_trap_ours(c: fayasm_exec::TrapCode) -> &'static str {
    use fayasm_exec::TrapCode as T;
    match c {
        T::Unreachable => "unreachable",
        T::MemoryOutOfBounds => "memory",
        T::TableOutOfBounds | T::UndefinedElement => "table",
        T::UninitializedElement => "null",
        T::IntegerDivideByZero => "div0",
        T::IntegerOverflow => "overflow",
        T::InvalidConversionToInteger => "conversion",
        T::StackOverflow => "stack",
        T::IndirectCallTypeMismatch => "signature",
        _ => "other",
    }
}
