//! Runs the `low-ram` binary: at its default 16 KiB budget, and twice over one spill directory
//! at 4 KiB; the result always matches an unbudgeted run through the library, the first 4 KiB
//! run evicts and spills, the second reloads.

use fayasm_exec::{Engine, Linker, Module, Store, Value};
use std::process::Command;

fn stat(out: &str, name: &str) -> u64 {
    let prefix = format!("{name}: ");
    let line =
        out.lines().find(|l| l.starts_with(&prefix)).unwrap_or_else(|| panic!("no {name}: {out}"));
    line[prefix.len()..].parse().expect("a number")
}

#[test]
fn low_ram_spills_then_starts_warm() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../wasm_samples/build/kernel_parse.wasm");
    let engine = Engine::default();
    let module = Module::new(&engine, &std::fs::read(path).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let want =
        inst.get_func(&store, "bench_parse").unwrap().call(&mut store, &[Value::I32(1)]).unwrap();
    let want = format!("result[0]: {:?}", want[0]);

    let dir = std::env::temp_dir().join(format!("fayasm-low-ram-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let run_with = |budget: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_low-ram"))
            .arg("--spill-dir")
            .arg(&dir)
            .args(budget)
            .output()
            .expect("run low-ram");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let default = run_with(&[]);
    assert!(default.lines().any(|l| l == want), "{default}");
    assert_eq!(stat(&default, "code_budget"), 16384);
    assert!(stat(&default, "code_peak_resident_bytes") <= 16384, "{default}");
    let _ = std::fs::remove_dir_all(&dir);
    let run = || run_with(&["--code-budget", "4K"]);
    let first = run();
    assert!(first.lines().any(|l| l == want), "{first}");
    assert_eq!(stat(&first, "code_budget"), 4096);
    assert!(stat(&first, "code_evictions") > 0 && stat(&first, "code_spills") > 0, "{first}");
    let second = run();
    assert!(second.lines().any(|l| l == want), "{second}");
    assert!(stat(&second, "code_reloads") > stat(&first, "code_reloads"), "{first}\n{second}");
    assert!(stat(&second, "code_lowerings") < stat(&first, "code_lowerings"), "{first}\n{second}");
    let _ = std::fs::remove_dir_all(&dir);
}
