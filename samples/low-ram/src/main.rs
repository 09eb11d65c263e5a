//! `low-ram`: runs a WebAssembly function the way a device with little RAM would, keeping at
//! most 16 KiB of lowered code resident and spilling the rest to a directory (a `DirStore`),
//! then prints the result and the code cache's figures.
//!
//! ```text
//! low-ram [--spill-dir DIR] [--code-budget BYTES] [FILE EXPORT [I32_ARGS...]]
//! ```
//!
//! Defaults: `wasm_samples/build/kernel_parse.wasm bench_parse 1`, a 16 KiB budget and a spill
//! directory `fayasm-low-ram` under the system temp directory. `kernel_parse`, the largest
//! fixture, lowers to about 14 KB of microcode, so it fits 16 KiB; a smaller budget
//! (`--code-budget 4K`) makes it evict and spill. Run that twice with the same directory: the
//! second run reloads the functions the first one spilled instead of lowering them again.

use fayasm_exec::{Config, DirStore, Engine, Linker, Module, Store, Value};
use std::path::PathBuf;
use std::process::ExitCode;

/// The code budget of the sample: what an ESP32-class device might spare for code.
const CODE_BUDGET: usize = 16 * 1024;

struct Args {
    spill_dir: PathBuf,
    budget: usize,
    file: PathBuf,
    export: String,
    args: Vec<i32>,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1).peekable();
    let mut spill_dir = std::env::temp_dir().join("fayasm-low-ram");
    let mut budget = CODE_BUDGET;
    loop {
        match it.peek().map(String::as_str) {
            Some("--spill-dir") => {
                it.next();
                spill_dir = it.next().ok_or("--spill-dir needs a directory")?.into();
            }
            Some("--code-budget") => {
                it.next();
                let text = it.next().ok_or("--code-budget needs a byte count")?;
                budget = fayasm_exec::profile::parse_bytes(&text)?;
            }
            _ => break,
        }
    }
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../wasm_samples/build");
    let file =
        it.next().map_or_else(|| PathBuf::from(samples).join("kernel_parse.wasm"), Into::into);
    let export = it.next().unwrap_or_else(|| "bench_parse".into());
    let mut args = Vec::new();
    for a in it {
        args.push(a.parse().map_err(|_| format!("{a:?} is not an i32 argument"))?);
    }
    if args.is_empty() && export == "bench_parse" {
        args.push(1);
    }
    Ok(Args { spill_dir, budget, file, export, args })
}

fn run(a: &Args) -> Result<(), String> {
    let mut config = Config::new();
    config.code_budget(Some(a.budget));
    let engine = Engine::new(&config);
    let bytes = std::fs::read(&a.file).map_err(|e| format!("{}: {e}", a.file.display()))?;
    let module = Module::new(&engine, &bytes).map_err(|e| format!("{}: {e}", a.file.display()))?;
    let spill = DirStore::open(&a.spill_dir, 2)
        .map_err(|e| format!("spill directory {}: {e}", a.spill_dir.display()))?;
    let mut store = Store::new(&engine, ());
    store.attach_spill_store(Box::new(spill));
    let instance =
        Linker::new(&engine).instantiate(&mut store, &module).map_err(|e| e.to_string())?;
    let func = instance
        .get_func(&store, &a.export)
        .ok_or_else(|| format!("no exported function {:?}", a.export))?;
    let params: Vec<Value> = a.args.iter().copied().map(Value::I32).collect();
    let results = func.call(&mut store, &params).map_err(|e| e.to_string())?;
    for (i, r) in results.iter().enumerate() {
        println!("result[{i}]: {r:?}");
    }
    println!("code_budget: {}", a.budget);
    for (name, value) in store.code_cache_stats().entries() {
        println!("{name}: {value}");
    }
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|a| run(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
