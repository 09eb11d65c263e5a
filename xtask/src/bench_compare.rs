//! `cargo xtask bench-compare`: runs the `compare` bench (fayasm, wasmi 2 and wasm3 on the C
//! kernels of `wasm_samples/bench.toml`) in release mode and writes the results into
//! `BENCHMARKS.md`, between the `bench-compare` markers.
//!
//! wasm3 builds its C with `cc` and its bindings with bindgen 0.59, which needs a libclang it
//! can load (libclang 16 and later make bindgen 0.59 panic), so this command sets
//! `LIBCLANG_PATH` to an LLVM 14 or 15 install unless it is already set. If the bench cannot
//! be built with wasm3, it runs without it and the report says so.
//!
//! Besides criterion's timings the report holds numbers measured here, in-process:
//! code-section sizes and the size of the lowered microcode of every kernel.

use crate::util::{run_capture, run_status};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use xtask::manifest::Manifest;

const START: &str = "<!-- bench-compare:start -->";
const END: &str = "<!-- bench-compare:end -->";

const ENGINES: [&str; 3] = ["fayasm", "wasmi", "wasm3"];

struct Options {
    quick: bool,
    run: bool,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options { quick: false, run: true };
    for a in args {
        match a.as_str() {
            "--quick" => o.quick = true,
            "--no-run" => o.run = false,
            other => return Err(format!("unknown option `{other}` for `bench-compare`")),
        }
    }
    Ok(o)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let opts = parse_options(args)?;
    let root = xtask::workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .unwrap_or_else(|| root.join("target"));
    let results = target.join("bench-compare");
    let mut wasm3_note = None;
    // The machine and the commit are recorded when the bench is built, not when the table is
    // written: other work may land in between.
    let machine_file = results.join("machine.tsv");
    if opts.run {
        let machine = machine(&root);
        wasm3_note = run_bench(&root, &results, opts.quick)?;
        let tsv: String = machine.iter().map(|(k, v)| format!("{k}\t{v}\n")).collect();
        fs::write(&machine_file, tsv)
            .map_err(|e| format!("cannot write {}: {e}", machine_file.display()))?;
    } else if !results.exists() {
        return Err(format!("{}: no results; run without --no-run first", results.display()));
    }
    let timings = read_criterion(&results)?;
    if timings.is_empty() {
        return Err(format!("no criterion results under {}", results.display()));
    }
    if wasm3_note.is_none() && !timings.keys().any(|(_, f)| f == "wasm3") {
        wasm3_note =
            Some("wasm3 has no results (the bench ran without the `wasm3` feature)".into());
    }
    let kernels = kernels(&root)?;
    let (largest, largest_bytes) = xtask::fixture::largest_module(&root.join("wasm_samples"))?;
    let largest = Largest { name: largest, wasm_bytes: largest_bytes.len() };
    let machine: Vec<(String, String)> = fs::read_to_string(&machine_file)
        .map_err(|e| format!("cannot read {}: {e}", machine_file.display()))?
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mode_file = results.join("mode.txt");
    if opts.run {
        let mode =
            if opts.quick { "--quick: warm-up 1 s, measurement 2 s" } else { "default times" };
        fs::write(&mode_file, mode)
            .map_err(|e| format!("cannot write {}: {e}", mode_file.display()))?;
    }
    let mode = fs::read_to_string(&mode_file).unwrap_or_else(|_| "unknown settings".into());
    let mode = mode.trim();
    let table = render(&kernels, &largest, &timings, &machine, mode, wasm3_note.as_deref());
    let path = root.join("BENCHMARKS.md");
    let old = fs::read_to_string(&path).unwrap_or_default();
    let new = splice(&old, &table);
    fs::write(&path, new).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("bench-compare: wrote {}", path.display());
    Ok(())
}

/// A libclang directory bindgen 0.59 can use: LLVM 14 or 15 (16+ makes it panic).
fn libclang_path() -> Option<PathBuf> {
    ["/usr/lib/llvm-14/lib", "/usr/lib/llvm-15/lib", "/usr/lib/llvm-13/lib"]
        .iter()
        .map(PathBuf::from)
        .find(|dir| {
            fs::read_dir(dir).is_ok_and(|entries| {
                entries.filter_map(Result::ok).any(|e| {
                    e.file_name()
                        .to_str()
                        .is_some_and(|n| n.starts_with("libclang") && n.contains(".so"))
                })
            })
        })
}

/// Builds and runs the bench (with wasm3 if it builds); returns a note when wasm3 is left out.
fn run_bench(root: &Path, results: &Path, quick: bool) -> Result<Option<String>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if results.exists() {
        fs::remove_dir_all(results)
            .map_err(|e| format!("cannot remove old results {}: {e}", results.display()))?;
    }
    let bench = |features: bool| {
        let mut cmd = Command::new(&cargo);
        cmd.current_dir(root).args(["bench", "-p", "fayasm-benches", "--bench", "compare"]);
        if features {
            cmd.args(["--features", "wasm3"]);
        }
        if std::env::var_os("LIBCLANG_PATH").is_none()
            && let Some(dir) = libclang_path()
        {
            cmd.env("LIBCLANG_PATH", dir);
        }
        cmd.env("CRITERION_HOME", results);
        cmd
    };
    let mut note = None;
    let mut with_wasm3 = true;
    if let Err(e) = run_status(bench(true).arg("--no-run")) {
        eprintln!("warning: the compare bench does not build with wasm3 ({e}); running without it");
        note = Some(format!(
            "wasm3 did not build here, so it is left out: `{e}`. It needs a C compiler and \
             libclang 14 or 15 for bindgen 0.59 (`apt-get install -y libclang1-14 libclang-14-dev`)"
        ));
        with_wasm3 = false;
        run_status(bench(false).arg("--no-run"))?;
    }
    let mut cmd = bench(with_wasm3);
    cmd.arg("--");
    if quick {
        cmd.args(["--warm-up-time", "1", "--measurement-time", "2"]);
    }
    run_status(&mut cmd)?;
    Ok(note)
}

/// `(group, function)` -> (median, mean) in nanoseconds.
type Timings = BTreeMap<(String, String), (f64, f64)>;

fn read_criterion(dir: &Path) -> Result<Timings, String> {
    let mut out = Timings::new();
    let groups = match fs::read_dir(dir) {
        Ok(g) => g,
        Err(e) => return Err(format!("cannot list {}: {e}", dir.display())),
    };
    for group in groups.filter_map(Result::ok) {
        let Ok(functions) = fs::read_dir(group.path()) else { continue };
        for function in functions.filter_map(Result::ok) {
            let new = function.path().join("new");
            let (Ok(meta), Ok(est)) = (
                fs::read_to_string(new.join("benchmark.json")),
                fs::read_to_string(new.join("estimates.json")),
            ) else {
                continue;
            };
            let (Some(g), Some(f)) = (json_str(&meta, "group_id"), json_str(&meta, "function_id"))
            else {
                continue;
            };
            let median = json_point_estimate(&est, "median");
            let mean = json_point_estimate(&est, "mean");
            if let (Some(median), Some(mean)) = (median, mean) {
                out.insert((g, f), (median, mean));
            }
        }
    }
    Ok(out)
}

/// The string value of `"key":"..."` in criterion's flat `benchmark.json`.
fn json_str(text: &str, key: &str) -> Option<String> {
    let at = text.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = text[at..].trim_start().strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => out.push(chars.next()?),
            c => out.push(c),
        }
    }
    None
}

/// `estimates.json`: `{"mean":{"confidence_interval":{..},"point_estimate":X,..},..}`.
fn json_point_estimate(text: &str, stat: &str) -> Option<f64> {
    let at = text.find(&format!("\"{stat}\":"))?;
    let rest = &text[at..];
    let p = rest.find("\"point_estimate\":")? + "\"point_estimate\":".len();
    let num: String = rest[p..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        .collect();
    num.parse().ok()
}

/// A kernel of bench.toml with its static measurements.
struct Kernel {
    name: String,
    scale: String,
    wasm_bytes: usize,
    code_bytes: usize,
    functions: usize,
    /// Sum of `fayasm_ir::encode::encoded_len` over all functions.
    encoded: usize,
    /// Sum of `ops.len() * size_of::<Op>()` over all functions.
    in_memory: usize,
}

fn kernels(root: &Path) -> Result<Vec<Kernel>, String> {
    let samples = root.join("wasm_samples");
    let path = samples.join("bench.toml");
    let bench = Manifest::load(&path)?;
    let engine = fayasm_exec::Engine::new(
        fayasm_exec::Config::new().compilation_mode(fayasm_exec::CompilationMode::Eager),
    );
    let mut out = Vec::new();
    for case in &bench.cases {
        let file = samples.join("build").join(&case.file);
        let bytes = fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let code_bytes = xtask::wasm::section_size(&bytes, 10)
            .map_err(|e| format!("{}: {e}", file.display()))?
            .unwrap_or(0);
        let module = fayasm_exec::Module::new(&engine, &bytes)
            .map_err(|e| format!("{}: fayasm: {e}", file.display()))?;
        let first = module.info().num_imported_funcs;
        let count = module.info().bodies.len() as u32;
        let (mut encoded, mut in_memory) = (0, 0);
        for func in first..first + count {
            let code = module
                .lower_function(func)
                .ok_or_else(|| format!("{}: no function {func}", file.display()))?
                .map_err(|e| format!("{}: lowering function {func}: {e}", file.display()))?;
            encoded += fayasm_ir::encode::encoded_len(&code);
            in_memory += code.ops.len() * size_of::<fayasm_ir::Op>();
        }
        let name = case
            .file
            .strip_prefix("kernel_")
            .and_then(|f| f.strip_suffix(".wasm"))
            .unwrap_or(&case.file)
            .to_string();
        let scale = case.args.first().map(|a| a.trim_start_matches("i32:").to_string());
        out.push(Kernel {
            name,
            scale: scale.unwrap_or_default(),
            wasm_bytes: bytes.len(),
            code_bytes,
            functions: count as usize,
            encoded,
            in_memory,
        });
    }
    Ok(out)
}

/// The largest module of `wasm_samples/build/`, timed by the `load-largest` group.
struct Largest {
    /// File name, e.g. `memory_ops.wasm`.
    name: String,
    wasm_bytes: usize,
}

fn machine(root: &Path) -> Vec<(String, String)> {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')))
        .map(|(_, m)| m.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map(|n| n.get().to_string());
    let capture = |program: &str, args: &[&str]| {
        run_capture(Command::new(program).args(args).current_dir(root))
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "unknown".into())
    };
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let mut commit = capture("git", &["rev-parse", "--short", "HEAD"]);
    if !capture("git", &["status", "--porcelain", "--untracked-files=no", "crates"]).is_empty() {
        commit.push_str(" (crates/ had uncommitted changes)");
    }
    let lock = fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    vec![
        ("CPU".into(), model),
        ("cores".into(), cores.unwrap_or_else(|_| "unknown".into())),
        ("rustc".into(), capture(&rustc, &["--version"])),
        ("date (UTC)".into(), capture("date", &["-u", "+%Y-%m-%d %H:%M"])),
        ("fayasm commit".into(), commit),
        ("wasmi".into(), locked_version(&lock, "wasmi")),
        ("wasm3 (crate)".into(), locked_version(&lock, "wasm3")),
    ]
}

/// The version of package `name` in Cargo.lock.
fn locked_version(lock: &str, name: &str) -> String {
    let header = format!("name = \"{name}\"\n");
    lock.split("[[package]]")
        .find(|p| p.trim_start().starts_with(header.trim_end()) && p.contains(&header))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn fmt_time(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn fmt_ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "–".into(), |r| format!("{r:.2}×"))
}

fn geomean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let sum: f64 = values.iter().map(|v| v.ln()).sum();
    Some((sum / values.len() as f64).exp())
}

fn render(
    kernels: &[Kernel],
    largest: &Largest,
    t: &Timings,
    machine: &[(String, String)],
    mode: &str,
    wasm3_note: Option<&str>,
) -> String {
    let get = |group: &str, k: &str, engine: &str| {
        t.get(&(format!("{group}-{k}"), engine.to_string())).map(|&(median, _)| median)
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "_Generated by `cargo xtask bench-compare` (criterion, {mode}, 10 samples per \
         measurement); times are criterion's median estimate. Ratios above 1 mean fayasm is \
         slower._\n"
    );
    if let Some(note) = wasm3_note {
        let _ = writeln!(s, "> **Note:** {note}.\n");
    }

    let _ = writeln!(s, "### Call time (one `bench_<kernel>(scale)` call on a live instance)\n");
    let _ = writeln!(
        s,
        "| kernel | scale | fayasm | wasmi | wasm3 | fayasm / fastest peer | fayasm / wasmi | fayasm / wasm3 |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let (mut r_best, mut r_wasmi, mut r_wasm3) = (Vec::new(), Vec::new(), Vec::new());
    for k in kernels {
        let times: Vec<Option<f64>> = ENGINES.iter().map(|e| get("call", &k.name, e)).collect();
        let fayasm = times[0];
        let ratio = |peer: Option<f64>| fayasm.zip(peer).map(|(f, p)| f / p);
        let best = times[1..].iter().flatten().copied().reduce(f64::min);
        let (rb, rw, r3) = (ratio(best), ratio(times[1]), ratio(times[2]));
        r_best.extend(rb);
        r_wasmi.extend(rw);
        r_wasm3.extend(r3);
        let cells: Vec<String> =
            times.iter().map(|t| t.map_or_else(|| "–".into(), fmt_time)).collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            k.name,
            k.scale,
            cells[0],
            cells[1],
            cells[2],
            fmt_ratio(rb),
            fmt_ratio(rw),
            fmt_ratio(r3)
        );
    }
    let _ = writeln!(
        s,
        "| **geometric mean** | | | | | **{}** | **{}** | **{}** |\n",
        fmt_ratio(geomean(&r_best)),
        fmt_ratio(geomean(&r_wasmi)),
        fmt_ratio(geomean(&r_wasm3))
    );

    let _ = writeln!(
        s,
        "### Load + instantiate (module from bytes, instance, export lookup; fayasm lazy, \
         wasmi's default lazy translation, wasm3 compiles the export on lookup)\n"
    );
    let _ = writeln!(
        s,
        "| kernel | wasm bytes | fayasm | wasmi | wasm3 | fayasm / wasmi | fayasm / wasm3 |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    let (mut l_wasmi, mut l_wasm3) = (Vec::new(), Vec::new());
    for k in kernels {
        let times: Vec<Option<f64>> = ENGINES.iter().map(|e| get("load", &k.name, e)).collect();
        let ratio = |peer: Option<f64>| times[0].zip(peer).map(|(f, p)| f / p);
        let (rw, r3) = (ratio(times[1]), ratio(times[2]));
        l_wasmi.extend(rw);
        l_wasm3.extend(r3);
        let cells: Vec<String> =
            times.iter().map(|t| t.map_or_else(|| "–".into(), fmt_time)).collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            k.name,
            k.wasm_bytes,
            cells[0],
            cells[1],
            cells[2],
            fmt_ratio(rw),
            fmt_ratio(r3)
        );
    }
    let _ = writeln!(
        s,
        "| **geometric mean** | | | | | **{}** | **{}** |",
        fmt_ratio(geomean(&l_wasmi)),
        fmt_ratio(geomean(&l_wasm3))
    );
    // Not a kernel, so not in the mean: the largest fixture, by file size.
    let times: Vec<Option<f64>> = ENGINES.iter().map(|e| get("load", "largest", e)).collect();
    let ratio = |peer: Option<f64>| times[0].zip(peer).map(|(f, p)| f / p);
    let cells: Vec<String> = times.iter().map(|t| t.map_or_else(|| "–".into(), fmt_time)).collect();
    let _ = writeln!(
        s,
        "| largest fixture (`{}`) | {} | {} | {} | {} | {} | {} |\n",
        largest.name,
        largest.wasm_bytes,
        cells[0],
        cells[1],
        cells[2],
        fmt_ratio(ratio(times[1])),
        fmt_ratio(ratio(times[2]))
    );

    let _ = writeln!(
        s,
        "### Translation throughput (`Module::new` with eager compilation: decode, validate and \
         lower every function; code-section bytes per second)\n"
    );
    let _ = writeln!(
        s,
        "| kernel | code bytes | fayasm eager | fayasm MB/s | wasmi eager | wasmi MB/s |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: |");
    let mbps = |bytes: usize, ns: f64| bytes as f64 / ns * 1e3;
    let (mut bytes_f, mut ns_f, mut bytes_w, mut ns_w) = (0, 0.0, 0, 0.0);
    for k in kernels {
        let f = get("translate", &k.name, "fayasm-eager");
        let w = get("translate", &k.name, "wasmi-eager");
        if let Some(f) = f {
            bytes_f += k.code_bytes;
            ns_f += f;
        }
        if let Some(w) = w {
            bytes_w += k.code_bytes;
            ns_w += w;
        }
        let show = |t: Option<f64>| t.map_or_else(|| "–".into(), fmt_time);
        let rate = |t: Option<f64>| {
            t.map_or_else(|| "–".into(), |t| format!("{:.1}", mbps(k.code_bytes, t)))
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            k.name,
            k.code_bytes,
            show(f),
            rate(f),
            show(w),
            rate(w)
        );
    }
    let total =
        |b: usize, ns: f64| if ns > 0.0 { format!("{:.1}", mbps(b, ns)) } else { "–".into() };
    let _ = writeln!(
        s,
        "| **all kernels** | {} | {} | **{}** | {} | **{}** |\n",
        bytes_f,
        fmt_time(ns_f),
        total(bytes_f, ns_f),
        fmt_time(ns_w),
        total(bytes_w, ns_w)
    );

    let _ = writeln!(
        s,
        "### Microcode size (every function lowered by fayasm; per byte of the wasm code section)\n"
    );
    let _ = writeln!(
        s,
        "| kernel | functions | code bytes | encoded microcode bytes | encoded / wasm byte | in-memory `Op` bytes ({} B each) | in-memory / wasm byte |",
        size_of::<fayasm_ir::Op>()
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    let per = |n: usize, d: usize| {
        if d == 0 { "–".into() } else { format!("{:.2}", n as f64 / d as f64) }
    };
    let (mut fns, mut code, mut enc, mut mem) = (0, 0, 0, 0);
    for k in kernels {
        fns += k.functions;
        code += k.code_bytes;
        enc += k.encoded;
        mem += k.in_memory;
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            k.name,
            k.functions,
            k.code_bytes,
            k.encoded,
            per(k.encoded, k.code_bytes),
            k.in_memory,
            per(k.in_memory, k.code_bytes)
        );
    }
    let _ = writeln!(
        s,
        "| **all kernels** | {fns} | {code} | {enc} | **{}** | {mem} | **{}** |\n",
        per(enc, code),
        per(mem, code)
    );

    let _ = writeln!(s, "### Machine\n");
    let _ = writeln!(s, "| | |\n| --- | --- |");
    for (k, v) in machine {
        let _ = writeln!(s, "| {k} | {v} |");
    }
    s
}

/// Replaces the text between the markers of `old` with `table` (creating the file's intro and
/// markers when they are missing).
fn splice(old: &str, table: &str) -> String {
    let block = format!("{START}\n{table}{END}\n");
    match (old.find(START), old.find(END)) {
        (Some(a), Some(b)) if a < b => {
            let after = &old[b + END.len()..];
            let after = after.strip_prefix('\n').unwrap_or(after);
            format!("{}{block}{after}", &old[..a])
        }
        _ if old.trim().is_empty() => format!("{INTRO}\n{block}"),
        _ => format!("{}\n\n{block}", old.trim_end()),
    }
}

const INTRO: &str = "# Benchmarks

fayasm measured side by side with wasmi and wasm3 on C kernels compiled by Emscripten
(`wasm_samples/src/kernel_*.c`). Rerun with `cargo xtask bench-compare [--quick]`; the part
between the markers below is regenerated, the rest of this file is not.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_criterion_json() {
        let meta = r#"{"group_id":"call-fib","function_id":"fayasm","value_str":null}"#;
        assert_eq!(json_str(meta, "group_id").as_deref(), Some("call-fib"));
        assert_eq!(json_str(meta, "function_id").as_deref(), Some("fayasm"));
        let est = r#"{"mean":{"confidence_interval":{"lower_bound":1.0},"point_estimate":2.5e6,"standard_error":1.0},"median":{"point_estimate":123.25}}"#;
        assert_eq!(json_point_estimate(est, "mean"), Some(2.5e6));
        assert_eq!(json_point_estimate(est, "median"), Some(123.25));
    }

    #[test]
    fn splices_between_markers() {
        let old = format!("intro\n{START}\nold\n{END}\ntail\n");
        assert_eq!(splice(&old, "new\n"), format!("intro\n{START}\nnew\n{END}\ntail\n"));
        assert!(splice("", "t\n").starts_with("# Benchmarks"));
    }

    #[test]
    fn geometric_mean() {
        assert!((geomean(&[2.0, 8.0]).unwrap() - 4.0).abs() < 1e-9);
        assert_eq!(geomean(&[]), None);
    }
}
