//! The code cache under a byte budget: eviction, spill to and reload from a spill store,
//! re-lowering without one, sharing between instances, blobs of another module or corrupted
//! ones rejected, and eviction while the evicted function's callers are still running
//! (recursion, mutual recursion, host functions that call back into wasm).

use fayasm_exec::{
    BlobKind, Caller, CodeCacheStats, CompilationMode, Config, Engine, Linker, MemStore, Module,
    SpillKey, SpillStore, Store, Value,
};
use fayasm_offload::DirStore;
use std::sync::{Arc, Mutex};

/// Eight functions of different sizes that call each other, plus recursion: enough code that a
/// budget of a few hundred bytes holds only a couple of them.
const WAT: &str = r#"(module
  (import "env" "back" (func $back (param i32) (result i32)))
  (global $g (mut i32) (i32.const 0))
  (func $sq (param i32) (result i32) local.get 0 local.get 0 i32.mul)
  (func $mix (param i32 i32) (result i32)
    local.get 0 i32.const 7 i32.mul local.get 1 i32.xor i32.const 13 i32.rotl
    local.get 1 i32.const 3 i32.shr_u i32.add)
  (func $poly (param i32) (result i32)
    local.get 0 call $sq local.get 0 i32.const 3 i32.mul i32.add i32.const 5 i32.add)
  (func $fib (export "fib") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) local.get 0
    else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib
      i32.add local.get 0 call $poly drop end)
  (func $even (export "even") (param i32) (result i32)
    local.get 0 i32.eqz if (result i32) i32.const 1
    else local.get 0 i32.const 1 i32.sub call $odd end)
  (func $odd (param i32) (result i32)
    local.get 0 i32.eqz if (result i32) i32.const 0
    else local.get 0 i32.const 1 i32.sub call $even end)
  (func $hash (export "hash") (param i32) (result i32) (local i32 i32)
    i32.const 17 local.set 1
    block loop
      local.get 2 local.get 0 i32.ge_u br_if 1
      local.get 1 local.get 2 call $mix local.set 1
      local.get 1 call $poly local.get 1 i32.xor local.set 1
      local.get 2 i32.const 1 i32.add local.set 2
      br 0 end end
    local.get 1)
  ;; Recurses through the host: down(n) = n + back(n - 1), and the host's back calls down.
  (func $down (export "down") (param i32) (result i32)
    local.get 0 i32.eqz if (result i32) i32.const 0
    else local.get 0 local.get 0 i32.const 1 i32.sub call $back i32.add
      local.get 0 call $hash_small i32.add end)
  (func $hash_small (param i32) (result i32) i32.const 3 call $hash local.get 0 i32.add i32.const 255 i32.and)
  (func $tail (export "tail") (param i32 i32) (result i32)
    local.get 0 i32.eqz if (result i32) local.get 1
    else local.get 0 i32.const 1 i32.sub local.get 1 local.get 0 call $mix return_call $tail end)
)"#;

/// Runs every export of `WAT` and returns the results and the cache figures.
fn run(config: &Config, spill: Option<Box<dyn SpillStore + Send>>) -> (Vec<i32>, CodeCacheStats) {
    run_wat(WAT, config, spill)
}

fn run_wat(
    wat: &str,
    config: &Config,
    spill: Option<Box<dyn SpillStore + Send>>,
) -> (Vec<i32>, CodeCacheStats) {
    let engine = Engine::new(config);
    let module = Module::new(&engine, &wat::parse_str(wat).expect("wat")).expect("module");
    let mut store = Store::new(&engine, ());
    if let Some(s) = spill {
        store.attach_spill_store(s);
    }
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("env", "back", |mut caller: Caller<'_, ()>, n: i32| -> i32 {
            let down = caller.get_export("down").and_then(|e| e.into_func()).expect("down");
            let r = down.call(&mut caller, &[Value::I32(n)]).expect("down from the host");
            match r[..] {
                [Value::I32(v)] => v,
                _ => panic!("down returned {r:?}"),
            }
        })
        .expect("define back");
    let inst = linker.instantiate(&mut store, &module).expect("instantiate");
    let mut out = Vec::new();
    for (name, args) in [
        ("fib", vec![15]),
        ("even", vec![301]),
        ("hash", vec![40]),
        ("down", vec![12]),
        ("tail", vec![30, 1]),
        ("fib", vec![10]),
    ] {
        let f = inst.get_func(&store, name).expect("export");
        let args: Vec<Value> = args.into_iter().map(Value::I32).collect();
        let r = f.call(&mut store, &args).expect(name);
        let [Value::I32(v)] = r[..] else { panic!("{name} returned {r:?}") };
        out.push(v);
    }
    (out, store.code_cache_stats())
}

fn budget(bytes: usize) -> Config {
    let mut c = Config::new();
    c.code_budget(Some(bytes));
    c
}

fn unlimited() -> Vec<i32> {
    let (r, s) = run(&Config::new(), None);
    assert_eq!((s.evictions, s.spills, s.reloads, s.relowers), (0, 0, 0, 0));
    r
}

#[test]
fn without_a_budget_nothing_is_evicted_and_each_function_is_lowered_once() {
    let (_, s) = run(&Config::new(), None);
    // 10 defined functions, all called.
    assert_eq!(s.lowerings, 10);
    assert_eq!(s.resident_functions, 10);
    assert_eq!(s.over_budget, 0);
}

#[test]
fn a_tiny_budget_with_a_mem_store_spills_and_reloads_with_the_same_results() {
    let want = unlimited();
    let (got, s) = run(&budget(256), Some(Box::new(MemStore::new())));
    assert_eq!(got, want);
    assert!(s.evictions > 0, "{s:?}");
    assert!(s.spills > 0 && s.bytes_written > 0, "{s:?}");
    assert!(s.reloads > 0 && s.bytes_read > 0, "{s:?}");
    assert_eq!(s.relowers, 0, "every evicted function had a blob: {s:?}");
    assert_eq!(s.rejected, 0);
    // Each function is written once, however often it is evicted.
    assert!(s.spills <= 10, "{s:?}");
}

#[test]
fn a_tiny_budget_without_a_spill_store_lowers_again() {
    let want = unlimited();
    let (got, s) = run(&budget(256), None);
    assert_eq!(got, want);
    assert!(s.evictions > 0 && s.relowers > 0, "{s:?}");
    assert_eq!((s.spills, s.reloads), (0, 0));
}

#[test]
fn a_budget_smaller_than_any_function_still_runs_everything() {
    let want = unlimited();
    let (got, s) = run(&budget(1), Some(Box::new(MemStore::new())));
    assert_eq!(got, want);
    assert!(s.over_budget > 0, "{s:?}");
    // Only running functions stay resident: at most the deepest call chain of the last call
    // (fib -> poly -> sq).
    assert!(s.resident_functions <= 3, "{s:?}");
    assert_eq!(s.misses, s.lowerings + s.reloads + s.relowers, "{s:?}");
}

#[test]
fn a_function_larger_than_the_budget_runs_alone() {
    // One function of a few dozen instructions, called from the host, and a small helper.
    let mut body = String::new();
    for i in 0..40 {
        body.push_str(&format!("local.get 0 i32.const {i} i32.add call $h local.set 0\n"));
    }
    let wat = format!(
        r#"(module (func $h (param i32) (result i32) local.get 0 i32.const 3 i32.xor)
        (func (export "big") (param i32) (result i32) {body} local.get 0))"#
    );
    let bytes = wat::parse_str(&wat).unwrap();
    let reference = {
        let engine = Engine::default();
        let module = Module::new(&engine, &bytes).unwrap();
        let mut store = Store::new(&engine, ());
        let inst = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
        inst.get_typed_func::<i32, i32>(&store, "big").unwrap().call(&mut store, 5).unwrap()
    };
    let engine = Engine::new(&budget(64));
    let module = Module::new(&engine, &bytes).unwrap();
    let mut store = Store::new(&engine, ());
    store.attach_spill_store(Box::new(MemStore::new()));
    let inst = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let big = inst.get_typed_func::<i32, i32>(&store, "big").unwrap();
    assert_eq!(big.call(&mut store, 5).unwrap(), reference);
    let s = store.code_cache_stats();
    // `big` alone is over the budget: the helper is evicted to admit it and admitted over
    // budget itself while `big` runs; afterwards `big` is resident, over budget.
    assert!(s.resident_bytes > 64 && s.over_budget > 0, "{s:?}");
    assert!(s.peak_resident_bytes >= s.resident_bytes, "{s:?}");
    assert_eq!(big.call(&mut store, 5).unwrap(), reference);
}

#[test]
fn eager_lowering_under_a_budget_spills_up_front_and_reloads_on_call() {
    let want = unlimited();
    let mut c = budget(256);
    c.compilation_mode(CompilationMode::Eager);
    let (got, s) = run(&c, Some(Box::new(MemStore::new())));
    assert_eq!(got, want);
    assert_eq!(s.lowerings, 10, "every function lowered once, up front: {s:?}");
    assert_eq!(s.relowers, 0);
    assert!(s.spills > 0 && s.reloads > 0, "{s:?}");
}

#[test]
fn eager_lowering_without_a_budget_shares_the_module_code() {
    let mut c = Config::new();
    c.compilation_mode(CompilationMode::Eager);
    let (got, s) = run(&c, None);
    assert_eq!(got, unlimited());
    assert_eq!((s.misses, s.lowerings, s.resident_functions), (0, 0, 10), "{s:?}");
}

#[test]
fn instances_of_one_module_share_its_code() {
    let engine = Engine::default();
    let wat =
        r#"(module (func $f (result i32) i32.const 5) (func (export "g") (result i32) call $f))"#;
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    for _ in 0..3 {
        let inst = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
        let g = inst.get_typed_func::<(), i32>(&store, "g").unwrap();
        assert_eq!(g.call(&mut store, ()).unwrap(), 5);
    }
    let s = store.code_cache_stats();
    assert_eq!(s.lowerings, 2, "lowered once for three instances: {s:?}");
    // Instances two and three find `g` resident (a call from the host is a slow-path lookup).
    assert_eq!(s.hits, 2, "{s:?}");
}

/// A temp directory removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("fayasm-cc-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn dir_store(dir: &TempDir) -> Box<DirStore> {
    Box::new(DirStore::open(&dir.0, 1).expect("open the store"))
}

#[test]
fn a_dir_store_outlives_the_store_and_the_second_run_starts_warm() {
    let want = unlimited();
    let dir = TempDir::new("warm");
    let (got, first) = run(&budget(256), Some(dir_store(&dir)));
    assert_eq!(got, want);
    assert!(first.spills > 0, "{first:?}");
    let (got, second) = run(&budget(256), Some(dir_store(&dir)));
    assert_eq!(got, want);
    assert!(second.reloads > 0, "{second:?}");
    // Functions spilled by the first run are reloaded, not lowered: fewer lowerings.
    assert!(second.lowerings < first.lowerings, "{first:?} {second:?}");
    assert_eq!(second.rejected, 0);
}

/// Flips a payload byte of every function blob in `store`.
fn corrupt_all(store: &mut dyn SpillStore) -> usize {
    let mut keys = Vec::new();
    store.list(&mut |k| keys.push(k)).unwrap();
    let mut n = 0;
    for k in keys.into_iter().filter(|k| k.kind == BlobKind::LoweredFunction) {
        let mut blob = Vec::new();
        assert!(store.get(k, &mut blob).unwrap());
        let last = blob.len() - 1;
        blob[last] ^= 0x5a;
        store.put(k, &blob).unwrap();
        n += 1;
    }
    n
}

#[test]
fn corrupted_blobs_in_a_dir_store_are_rejected_and_lowered_again() {
    let want = unlimited();
    let dir = TempDir::new("corrupt");
    let (_, first) = run(&budget(256), Some(dir_store(&dir)));
    let mut store = dir_store(&dir);
    assert_eq!(corrupt_all(&mut *store) as u64, first.spills);
    drop(store);
    let (got, second) = run(&budget(256), Some(dir_store(&dir)));
    assert_eq!(got, want);
    // Every corrupted blob is rejected once; the function is lowered again and its blob
    // rewritten on its next eviction, so later reloads read good blobs.
    assert_eq!(second.rejected, first.spills, "{second:?}");
    assert_eq!(second.relowers, second.rejected, "{second:?}");
    assert_eq!(second.lowerings, first.lowerings - first.spills, "{second:?}");
}

/// A spill store that lets a test see and change blobs while another store owns it.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<MemStore>>);

impl SpillStore for Shared {
    fn put(&mut self, key: SpillKey, blob: &[u8]) -> Result<(), fayasm_exec::StoreError> {
        self.0.lock().unwrap().put(key, blob)
    }
    fn get(&mut self, key: SpillKey, out: &mut Vec<u8>) -> Result<bool, fayasm_exec::StoreError> {
        self.0.lock().unwrap().get(key, out)
    }
    fn remove(&mut self, key: SpillKey) -> Result<(), fayasm_exec::StoreError> {
        self.0.lock().unwrap().remove(key)
    }
    fn list(&mut self, visit: &mut dyn FnMut(SpillKey)) -> Result<(), fayasm_exec::StoreError> {
        self.0.lock().unwrap().list(visit)
    }
    fn flush(&mut self) -> Result<(), fayasm_exec::StoreError> {
        Ok(())
    }
}

/// The function blobs of `store`, by key.
fn function_blobs(store: &mut dyn SpillStore) -> Vec<(SpillKey, Vec<u8>)> {
    let mut keys = Vec::new();
    store.list(&mut |k| keys.push(k)).unwrap();
    keys.sort();
    let keys = keys.into_iter().filter(|k| k.kind == BlobKind::LoweredFunction);
    keys.map(|k| {
        let mut blob = Vec::new();
        assert!(store.get(k, &mut blob).unwrap());
        (k, blob)
    })
    .collect()
}

#[test]
fn blobs_of_another_module_are_never_accepted() {
    let want = unlimited();
    let mut a = Shared::default();
    run_wat(WAT, &budget(256), Some(Box::new(a.clone())));
    // The same functions in a module whose bytes differ (an extra export): their blobs have
    // other keys, so a store holding both modules' blobs keeps them apart.
    let other = WAT.replace("(func $sq (param i32)", "(func $sq (export \"sq\") (param i32)");
    let mut b = Shared::default();
    let (got, s) = run_wat(&other, &budget(256), Some(Box::new(b.clone())));
    assert_eq!(got, want);
    assert_eq!(s.rejected, 0);
    let (blobs_a, blobs_b) = (function_blobs(&mut a), function_blobs(&mut b));
    assert!(!blobs_a.is_empty() && !blobs_b.is_empty());
    assert!(blobs_a.iter().all(|(ka, _)| blobs_b.iter().all(|(kb, _)| ka.owner != kb.owner)));
    // Put the first module's blobs under the second module's keys: the envelope's module hash
    // rejects every one (the code itself would decode), and the functions are lowered again.
    let mut copied = 0;
    for (kb, _) in &blobs_b {
        if let Some((_, blob)) = blobs_a.iter().find(|(ka, _)| ka.index == kb.index) {
            b.put(*kb, blob).unwrap();
            copied += 1;
        }
    }
    assert!(copied > 0);
    let (got, s) = run_wat(&other, &budget(256), Some(Box::new(b.clone())));
    assert_eq!(got, want);
    assert_eq!(s.rejected, copied, "{s:?}");
    assert!(s.relowers > 0, "{s:?}");
}

#[test]
fn a_forged_blob_with_a_valid_envelope_but_a_bad_index_is_rejected() {
    use fayasm_exec::FuncCode;
    use fayasm_ir::Op;
    let wat = r#"(module (global $g (mut i32) (i32.const 1))
        (func $f (result i32) global.get $g)
        (func (export "run") (result i32) call $f))"#;
    let bytes = wat::parse_str(wat).unwrap();
    let engine = Engine::new(&budget(1));
    let module = Module::new(&engine, &bytes).unwrap();
    // Code naming global 7 of a module that has one, framed correctly.
    let forged = FuncCode {
        ops: vec![Op::GlobalGet { dst: 0, global: 7 }, Op::ReturnOne { src: 0 }],
        param_cells: 0,
        local_cells: 0,
        frame_cells: 1,
    };
    let mut payload = Vec::new();
    fayasm_ir::encode::encode(&forged, &mut payload);
    let hash = fayasm_offload::envelope::module_hash(&bytes);
    let blob = fayasm_offload::envelope::encode(BlobKind::LoweredFunction, hash, 0, &payload);
    let owner = (hash ^ (hash >> 32)) as u32;
    let mut spill = MemStore::new();
    spill.put(SpillKey::new(BlobKind::LoweredFunction, owner, 0), &blob).unwrap();
    let mut store = Store::new(&engine, ());
    store.attach_spill_store(Box::new(spill));
    let inst = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let run = inst.get_typed_func::<(), i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 1);
    let s = store.code_cache_stats();
    assert_eq!((s.rejected, s.reloads, s.relowers), (1, 0, 1), "{s:?}");
}
