//! `cargo xtask bench-compare`: runs the `compare` bench (fayasm, wasmi 2 and wasm3 on the C
//! kernels of `wasm_samples/bench.toml`) and, with `--corpus DIR`, the `corpus` bench (fayasm and
//! wasmi 2 on modules compiled elsewhere, see `xtask::corpus`), in the bench profile and in a
//! plain release build (`--profile bench|release|both`, default both), and writes the results
//! into `BENCHMARKS.md`: the kernels between the `bench-compare` markers, the corpus between the
//! `bench-corpus` markers. `--portable` runs them with the portable dispatch loop instead
//! (`--features fayasm-exec/portable-dispatch`; kernels: call times only, without wasm3), into
//! results of their own and smaller tables. `--no-run` rewrites the tables from the last
//! results. The profiles and results directories are in `report.rs`, the corpus tables in
//! `corpus_report.rs`, the SIMD tables in `simd_report.rs`.
//!
//! The `compare` bench holds two sets of groups, selected with `--group kernels|simd|all`
//! (default all): the C kernels (`call-`, `load-`, `translate-`; fayasm, wasmi, wasm3) and the
//! SIMD kernels of `simd_kernels.wasm` (`simd-`; fayasm and wasmi, which wasm3 cannot run),
//! each with results of its own (the bench is told which through `FAYASM_COMPARE_GROUPS`), so
//! `--group simd --quick` reruns only the SIMD tables.
//!
//! wasm3 builds its C with `cc` and its bindings with bindgen 0.59, which needs a libclang it
//! can load (libclang 16 and later make bindgen 0.59 panic), so this command sets
//! `LIBCLANG_PATH` to an LLVM 14 or 15 install unless it is already set. If the bench cannot
//! be built with wasm3, it runs without it and the report says so.
//!
//! Besides criterion's timings the kernel report holds numbers measured here, in-process:
//! code-section sizes and the size of the lowered microcode of every kernel.

mod corpus_report;
mod report;
mod simd_report;

use crate::util::run_status;
use report::{
    Profile, RunData, Section, Timings, Variant, fmt_opt_time, fmt_ratio, fmt_time, geomean, modes,
    ratio, render_machine,
};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use xtask::corpus::Corpus;
use xtask::manifest::Manifest;

/// Where the kernel tables go.
const SECTION: Section = Section {
    start: "<!-- bench-compare:start -->",
    end: "<!-- bench-compare:end -->",
    heading: "",
};

/// The results directories' suite name for the kernels.
const SUITE: &str = "kernels";

const ENGINES: [&str; 3] = ["fayasm", "wasmi", "wasm3"];

/// criterion's settings for `--quick`.
const QUICK_ARGS: [&str; 4] = ["--warm-up-time", "1", "--measurement-time", "2"];

/// A run's note on wasm3 (why it is missing), kept next to its results.
const WASM3_NOTE: &str = "wasm3-note.txt";

#[derive(Debug, PartialEq)]
struct Options {
    quick: bool,
    run: bool,
    kernels: bool,
    simd: bool,
    corpus: Option<PathBuf>,
    profiles: Vec<Profile>,
    portable: bool,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        quick: false,
        run: true,
        kernels: true,
        simd: true,
        corpus: None,
        profiles: Profile::ALL.to_vec(),
        portable: false,
    };
    let mut args = args.iter();
    while let Some(a) = args.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| args.next().cloned())
                .ok_or_else(|| format!("`{flag}` needs {what}"))
        };
        match flag {
            "--quick" => o.quick = true,
            "--no-run" => o.run = false,
            "--no-kernels" => (o.kernels, o.simd) = (false, false),
            "--portable" => o.portable = true,
            "--group" => {
                (o.kernels, o.simd) = match value("kernels, simd or all")?.as_str() {
                    "kernels" => (true, false),
                    "simd" => (false, true),
                    "all" => (true, true),
                    other => {
                        return Err(format!("`--group {other}`: expected kernels, simd or all"));
                    }
                }
            }
            "--corpus" => o.corpus = Some(PathBuf::from(value("a directory")?)),
            "--profile" => {
                o.profiles = match value("bench, release or both")?.as_str() {
                    "bench" => vec![Profile::Bench],
                    "release" => vec![Profile::Release],
                    "both" => Profile::ALL.to_vec(),
                    other => {
                        return Err(format!(
                            "`--profile {other}`: expected bench, release or both"
                        ));
                    }
                }
            }
            other => return Err(format!("unknown option `{other}` for `bench-compare`")),
        }
    }
    if o.run && !o.kernels && !o.simd && o.corpus.is_none() {
        return Err("`--no-kernels` without `--corpus DIR` leaves nothing to run".into());
    }
    Ok(o)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let opts = parse_options(args)?;
    let root = xtask::workspace_root();
    // A corpus that is missing or broken fails here, before anything is built.
    let corpus = match &opts.corpus {
        Some(dir) => {
            let corpus = Corpus::load(dir)?;
            corpus.check_files()?;
            Some(fs::canonicalize(dir).map_err(|e| format!("{}: {e}", dir.display()))?)
        }
        None => None,
    };
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .unwrap_or_else(|| root.join("target"));
    let results = target.join("bench-compare");
    if opts.run {
        for &profile in &opts.profiles {
            let variant = Variant { profile, portable: opts.portable };
            if opts.kernels {
                run_kernels(&root, &target, &results, variant, opts.quick)?;
            }
            if opts.simd {
                run_simd(&root, &target, &results, variant, opts.quick)?;
            }
            if let Some(dir) = &corpus {
                run_corpus(&root, &target, &results, variant, dir, opts.quick)?;
            }
        }
    }
    write_report(&root, &results)
}

/// Rewrites every section of BENCHMARKS.md that has results under `results`.
fn write_report(root: &Path, results: &Path) -> Result<(), String> {
    let kernel_runs = report::load_runs(results, SUITE)?;
    let corpus_runs = corpus_report::load(results)?;
    let simd_runs = report::load_runs(results, simd_report::SUITE)?;
    if kernel_runs.iter().all(|r| r.timings.is_empty())
        && corpus_runs.is_empty()
        && simd_runs.iter().all(|r| r.timings.is_empty())
    {
        return Err(format!("no results under {}; run without --no-run first", results.display()));
    }
    let path = root.join("BENCHMARKS.md");
    let mut text = fs::read_to_string(&path).unwrap_or_default();
    if !kernel_runs.is_empty() {
        let kernels = kernels(root)?;
        let (largest, largest_bytes) = xtask::fixture::largest_module(&root.join("wasm_samples"))?;
        let largest = Largest { name: largest, wasm_bytes: largest_bytes.len() };
        text = report::splice(&text, &SECTION, &render(&kernels, &largest, &kernel_runs));
    }
    if simd_runs.iter().any(|r| !r.timings.is_empty()) {
        let table = simd_report::render(&simd_kernels(root)?, &simd_runs);
        text = report::splice(&text, &simd_report::SECTION, &table);
    }
    if !corpus_runs.is_empty() {
        let table = corpus_report::render(&corpus_runs);
        text = report::splice(&text, &corpus_report::SECTION, &table);
    }
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
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

/// `cargo bench -p fayasm-benches --bench NAME` for `variant`, criterion's output in `dir`.
fn bench_command(
    root: &Path,
    target: &Path,
    bench: &str,
    variant: Variant,
    wasm3: bool,
    dir: &Path,
) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root).args(["bench", "-p", "fayasm-benches", "--bench", bench]);
    if bench == "compare" {
        cmd.env("FAYASM_COMPARE_GROUPS", if suite_is_simd(dir) { "simd" } else { "kernels" });
    }
    variant.profile.configure(&mut cmd, target);
    let mut features = Vec::new();
    if wasm3 {
        features.push("wasm3");
        if std::env::var_os("LIBCLANG_PATH").is_none()
            && let Some(dir) = libclang_path()
        {
            cmd.env("LIBCLANG_PATH", dir);
        }
    }
    if variant.portable {
        features.push("fayasm-exec/portable-dispatch");
    }
    if !features.is_empty() {
        cmd.args(["--features", &features.join(",")]);
    }
    cmd.env("CRITERION_HOME", dir);
    cmd
}

/// Says which build runs next and the environment its cargo gets (the commands shown by
/// `run_status` leave that out).
fn announce(suite: &str, variant: Variant, cmd: &Command) {
    let env: Vec<String> = cmd
        .get_envs()
        .filter_map(|(k, v)| Some(format!("{}={}", k.to_str()?, v?.to_string_lossy())))
        .collect();
    let portable = if variant.portable { ", portable dispatch" } else { "" };
    eprintln!("bench-compare: {suite}, {}{portable}: {}", variant.profile.title(), env.join(" "));
}

/// Builds and runs the kernel bench of `variant` (with wasm3 if it builds, except for the
/// portable backend, which times calls only).
fn run_kernels(
    root: &Path,
    target: &Path,
    results: &Path,
    variant: Variant,
    quick: bool,
) -> Result<(), String> {
    let dir = variant.dir(results, SUITE);
    report::clear_run(&dir)?;
    report::record_run(root, &dir, quick)?;
    let bench = |wasm3| bench_command(root, target, "compare", variant, wasm3, &dir);
    announce("kernels", variant, &bench(false));
    let mut with_wasm3 = !variant.portable;
    if with_wasm3 && let Err(e) = run_status(bench(true).arg("--no-run")) {
        eprintln!("warning: the compare bench does not build with wasm3 ({e}); running without it");
        let note = format!(
            "wasm3 did not build here, so it is left out: `{e}`. It needs a C compiler and \
             libclang 14 or 15 for bindgen 0.59 (`apt-get install -y libclang1-14 libclang-14-dev`)"
        );
        let path = dir.join(WASM3_NOTE);
        fs::write(&path, note).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        with_wasm3 = false;
    }
    if !with_wasm3 {
        run_status(bench(false).arg("--no-run"))?;
    }
    let mut cmd = bench(with_wasm3);
    cmd.arg("--");
    if quick {
        cmd.args(QUICK_ARGS);
    }
    if variant.portable {
        cmd.arg("call-");
    }
    run_status(&mut cmd)
}

/// Whether `dir` is a results directory of the SIMD suite (`simd-<profile>...`).
fn suite_is_simd(dir: &Path) -> bool {
    dir.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(&format!("{}-", simd_report::SUITE)))
}

/// Builds and runs the SIMD groups of the compare bench for `variant` (fayasm and wasmi only).
fn run_simd(
    root: &Path,
    target: &Path,
    results: &Path,
    variant: Variant,
    quick: bool,
) -> Result<(), String> {
    let dir = variant.dir(results, simd_report::SUITE);
    report::clear_run(&dir)?;
    report::record_run(root, &dir, quick)?;
    let bench = || bench_command(root, target, "compare", variant, false, &dir);
    announce("simd", variant, &bench());
    run_status(bench().arg("--no-run"))?;
    let mut cmd = bench();
    cmd.args(["--", "simd-"]);
    if quick {
        cmd.args(QUICK_ARGS);
    }
    run_status(&mut cmd)
}

/// The SIMD kernels of bench.toml (the cases of `simd_kernels.wasm`).
fn simd_kernels(root: &Path) -> Result<Vec<simd_report::SimdKernel>, String> {
    let bench = Manifest::load(&root.join("wasm_samples").join("bench.toml"))?;
    Ok(bench
        .cases
        .iter()
        .filter(|c| c.file == "simd_kernels.wasm")
        .map(|c| simd_report::SimdKernel {
            name: c.export.trim_start_matches("bench_simd_").to_string(),
            scale: c
                .args
                .first()
                .map(|a| a.trim_start_matches("i32:").to_string())
                .unwrap_or_default(),
        })
        .collect())
}

/// Builds and runs the corpus bench of `variant` on the corpus in `corpus`.
fn run_corpus(
    root: &Path,
    target: &Path,
    results: &Path,
    variant: Variant,
    corpus: &Path,
    quick: bool,
) -> Result<(), String> {
    let dir = variant.dir(results, corpus_report::SUITE);
    report::clear_run(&dir)?;
    report::record_run(root, &dir, quick)?;
    let bench = || {
        let mut cmd = bench_command(root, target, "corpus", variant, false, &dir);
        cmd.env("FAYASM_CORPUS", corpus);
        cmd
    };
    announce("corpus", variant, &bench());
    run_status(bench().arg("--no-run"))?;
    let mut cmd = bench();
    cmd.arg("--");
    if quick {
        cmd.args(QUICK_ARGS);
    }
    run_status(&mut cmd)
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
    for case in bench.cases.iter().filter(|c| c.file != "simd_kernels.wasm") {
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

/// The geometric means of one native run, for the summary table.
#[derive(Default)]
struct Means {
    call_wasmi: Option<f64>,
    call_wasm3: Option<f64>,
    load_wasmi: Option<f64>,
    load_wasm3: Option<f64>,
    translate_fayasm: Option<f64>,
    translate_wasmi: Option<f64>,
}

/// The median of `engine` in group `GROUP-KERNEL`.
fn time(t: &Timings, group: &str, kernel: &str, engine: &str) -> Option<f64> {
    report::median(t, &format!("{group}-{kernel}"), engine)
}

/// Each engine's time in `GROUP-KERNEL`.
fn engine_times(t: &Timings, group: &str, kernel: &str) -> Vec<Option<f64>> {
    ENGINES.iter().map(|e| time(t, group, kernel, e)).collect()
}

fn call_table(s: &mut String, kernels: &[Kernel], t: &Timings, m: &mut Means) {
    let _ = writeln!(s, "#### Call time (one `bench_<kernel>(scale)` call on a live instance)\n");
    let _ = writeln!(
        s,
        "| kernel | scale | fayasm | wasmi | wasm3 | fayasm / fastest peer | fayasm / wasmi | fayasm / wasm3 |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let (mut r_best, mut r_wasmi, mut r_wasm3) = (Vec::new(), Vec::new(), Vec::new());
    for k in kernels {
        let times = engine_times(t, "call", &k.name);
        let best = times[1..].iter().flatten().copied().reduce(f64::min);
        let (rb, rw, r3) =
            (ratio(times[0], best), ratio(times[0], times[1]), ratio(times[0], times[2]));
        r_best.extend(rb);
        r_wasmi.extend(rw);
        r_wasm3.extend(r3);
        let cells: Vec<String> = times.iter().map(|&t| fmt_opt_time(t)).collect();
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
    (m.call_wasmi, m.call_wasm3) = (geomean(&r_wasmi), geomean(&r_wasm3));
    let _ = writeln!(
        s,
        "| **geometric mean** | | | | | **{}** | **{}** | **{}** |\n",
        fmt_ratio(geomean(&r_best)),
        fmt_ratio(m.call_wasmi),
        fmt_ratio(m.call_wasm3)
    );
}

fn load_table(s: &mut String, kernels: &[Kernel], largest: &Largest, t: &Timings, m: &mut Means) {
    let _ = writeln!(
        s,
        "#### Load + instantiate (module from bytes, instance, export lookup; fayasm lazy, \
         wasmi's default lazy translation, wasm3 compiles the export on lookup)\n"
    );
    let _ = writeln!(
        s,
        "| kernel | wasm bytes | fayasm | wasmi | wasm3 | fayasm / wasmi | fayasm / wasm3 |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    let row = |s: &mut String, name: &str, bytes: usize, times: &[Option<f64>]| {
        let (rw, r3) = (ratio(times[0], times[1]), ratio(times[0], times[2]));
        let cells: Vec<String> = times.iter().map(|&t| fmt_opt_time(t)).collect();
        let _ = writeln!(
            s,
            "| {name} | {bytes} | {} | {} | {} | {} | {} |",
            cells[0],
            cells[1],
            cells[2],
            fmt_ratio(rw),
            fmt_ratio(r3)
        );
        (rw, r3)
    };
    let (mut l_wasmi, mut l_wasm3) = (Vec::new(), Vec::new());
    for k in kernels {
        let (rw, r3) = row(s, &k.name, k.wasm_bytes, &engine_times(t, "load", &k.name));
        l_wasmi.extend(rw);
        l_wasm3.extend(r3);
    }
    (m.load_wasmi, m.load_wasm3) = (geomean(&l_wasmi), geomean(&l_wasm3));
    let _ = writeln!(
        s,
        "| **geometric mean** | | | | | **{}** | **{}** |",
        fmt_ratio(m.load_wasmi),
        fmt_ratio(m.load_wasm3)
    );
    // Not a kernel, so not in the mean: the largest fixture, by file size.
    let name = format!("largest fixture (`{}`)", largest.name);
    row(s, &name, largest.wasm_bytes, &engine_times(t, "load", "largest"));
    s.push('\n');
}

fn translate_table(s: &mut String, kernels: &[Kernel], t: &Timings, m: &mut Means) {
    let _ = writeln!(
        s,
        "#### Translation throughput (`Module::new` with eager compilation: decode, validate and \
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
        let f = time(t, "translate", &k.name, "fayasm-eager");
        let w = time(t, "translate", &k.name, "wasmi-eager");
        if let Some(f) = f {
            bytes_f += k.code_bytes;
            ns_f += f;
        }
        if let Some(w) = w {
            bytes_w += k.code_bytes;
            ns_w += w;
        }
        let rate = |t: Option<f64>| {
            t.map_or_else(|| "–".into(), |t| format!("{:.1}", mbps(k.code_bytes, t)))
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            k.name,
            k.code_bytes,
            fmt_opt_time(f),
            rate(f),
            fmt_opt_time(w),
            rate(w)
        );
    }
    let total = |b: usize, ns: f64| (ns > 0.0).then(|| mbps(b, ns));
    (m.translate_fayasm, m.translate_wasmi) = (total(bytes_f, ns_f), total(bytes_w, ns_w));
    let _ = writeln!(
        s,
        "| **all kernels** | {} | {} | **{}** | {} | **{}** |\n",
        bytes_f,
        fmt_time(ns_f),
        fmt_rate(m.translate_fayasm),
        fmt_time(ns_w),
        fmt_rate(m.translate_wasmi)
    );
}

/// A throughput in MB/s, or `–`.
fn fmt_rate(r: Option<f64>) -> String {
    r.map_or_else(|| "–".into(), |r| format!("{r:.1}"))
}

/// The geometric means of every native run, one row per profile.
fn means_table(s: &mut String, means: &[(Variant, Means)]) {
    let _ = writeln!(s, "### Geometric means per profile\n");
    let _ = writeln!(
        s,
        "| profile | call: fayasm / wasmi | call: fayasm / wasm3 | load: fayasm / wasmi | load: fayasm / wasm3 | translate: fayasm MB/s | translate: wasmi MB/s |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (v, m) in means {
        let _ = writeln!(
            s,
            "| {} | **{}** | {} | **{}** | {} | {} | {} |",
            v.profile.title(),
            fmt_ratio(m.call_wasmi),
            fmt_ratio(m.call_wasm3),
            fmt_ratio(m.load_wasmi),
            fmt_ratio(m.load_wasm3),
            fmt_rate(m.translate_fayasm),
            fmt_rate(m.translate_wasmi)
        );
    }
    s.push('\n');
}

/// Call times with the portable loop: per run fayasm, fayasm / wasmi, and fayasm's time over
/// the tail-call build's of the same profile (when that run has results).
fn portable_table(s: &mut String, kernels: &[Kernel], portable: &[&RunData], native: &[&RunData]) {
    let _ = writeln!(
        s,
        "### Portable loop backend (`--portable`: `--features fayasm-exec/portable-dispatch`, \
         the dispatch ESP32-class targets run; call time, wasmi unchanged)\n"
    );
    let mut head = String::from("| kernel |");
    for r in portable {
        let l = r.variant.label();
        let _ = write!(head, " fayasm ({l}) | fayasm / wasmi ({l}) | loop / tail-call ({l}) |");
    }
    let _ = writeln!(s, "{head}\n| --- |{}", " ---: | ---: | ---: |".repeat(portable.len()));
    let tail =
        |r: &RunData| native.iter().find(|n| n.variant.profile == r.variant.profile).copied();
    let mut ratios: Vec<(Vec<f64>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); portable.len()];
    for k in kernels {
        let _ = write!(s, "| {} |", k.name);
        for (r, (vs_wasmi, vs_tail)) in portable.iter().zip(&mut ratios) {
            let f = time(&r.timings, "call", &k.name, "fayasm");
            let rw = ratio(f, time(&r.timings, "call", &k.name, "wasmi"));
            let rt = ratio(f, tail(r).and_then(|n| time(&n.timings, "call", &k.name, "fayasm")));
            vs_wasmi.extend(rw);
            vs_tail.extend(rt);
            let _ = write!(s, " {} | {} | {} |", fmt_opt_time(f), fmt_ratio(rw), fmt_ratio(rt));
        }
        s.push('\n');
    }
    let _ = write!(s, "| **geometric mean** |");
    for (vs_wasmi, vs_tail) in &ratios {
        let _ = write!(
            s,
            " | **{}** | **{}** |",
            fmt_ratio(geomean(vs_wasmi)),
            fmt_ratio(geomean(vs_tail))
        );
    }
    s.push_str("\n\n");
}

fn microcode_table(s: &mut String, kernels: &[Kernel]) {
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
}

/// The text between the kernel markers: per native run (profile) the call, load and
/// translation tables, the geometric means per profile, the portable backend's call times, the
/// microcode sizes and the machine.
fn render(kernels: &[Kernel], largest: &Largest, runs: &[RunData]) -> String {
    let native: Vec<&RunData> = runs.iter().filter(|r| !r.variant.portable).collect();
    let portable: Vec<&RunData> = runs.iter().filter(|r| r.variant.portable).collect();
    let all: Vec<&RunData> = runs.iter().collect();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "_Generated by `cargo xtask bench-compare` (criterion, {}, 10 samples per \
         measurement); times are criterion's median estimate. Ratios above 1 mean fayasm is \
         slower._\n",
        modes(&all)
    );
    let _ = writeln!(s, "_{}._\n", report::PROFILES_NOTE);
    if let Some(note) = report::commits_note(&all) {
        let _ = writeln!(s, "{note}");
    }
    let mut means = Vec::new();
    for r in &native {
        let _ = writeln!(s, "### {}\n", capitalized(r.variant.profile.title()));
        let note = fs::read_to_string(r.dir.join(WASM3_NOTE)).ok().or_else(|| {
            (!r.timings.keys().any(|(_, f)| f == "wasm3"))
                .then(|| "wasm3 has no results (the bench ran without the `wasm3` feature)".into())
        });
        if let Some(note) = note {
            let _ = writeln!(s, "> **Note:** {}.\n", note.trim_end_matches('.'));
        }
        let mut m = Means::default();
        call_table(&mut s, kernels, &r.timings, &mut m);
        load_table(&mut s, kernels, largest, &r.timings, &mut m);
        translate_table(&mut s, kernels, &r.timings, &mut m);
        means.push((r.variant, m));
    }
    if !means.is_empty() {
        means_table(&mut s, &means);
    }
    if !portable.is_empty() {
        portable_table(&mut s, kernels, &portable, &native);
    }
    microcode_table(&mut s, kernels);
    render_machine(&mut s, &all, &[]);
    s
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_options() {
        let o = parse_options(&[]).unwrap();
        assert_eq!((o.quick, o.run, o.kernels, o.portable), (false, true, true, false));
        assert_eq!((o.corpus, o.profiles), (None, Profile::ALL.to_vec()));
        let o = parse_options(&args("--quick --corpus /c --profile release --portable")).unwrap();
        assert_eq!(o.corpus.as_deref(), Some(Path::new("/c")));
        assert_eq!((o.quick, o.portable, o.profiles), (true, true, vec![Profile::Release]));
        let o = parse_options(&args("--corpus=/d --profile=bench --no-kernels --no-run")).unwrap();
        assert_eq!(o.corpus.as_deref(), Some(Path::new("/d")));
        assert_eq!((o.run, o.kernels, o.profiles), (false, false, vec![Profile::Bench]));
        let o = parse_options(&args("--group simd --quick")).unwrap();
        assert_eq!((o.kernels, o.simd, o.quick), (false, true, true));
        let o = parse_options(&args("--group=kernels")).unwrap();
        assert_eq!((o.kernels, o.simd), (true, false));
        assert!(parse_options(&[]).unwrap().simd);
        assert!(suite_is_simd(Path::new("/t/simd-release")));
        assert!(!suite_is_simd(Path::new("/t/kernels-bench")));
        for (bad, want) in [
            ("--profile fast", "expected bench, release or both"),
            ("--corpus", "`--corpus` needs a directory"),
            ("--no-kernels", "leaves nothing to run"),
            ("--group vector", "expected kernels, simd or all"),
            ("--fast", "unknown option `--fast`"),
        ] {
            let err = parse_options(&args(bad)).unwrap_err();
            assert!(err.contains(want), "{bad}: {err}");
        }
    }

    #[test]
    fn renders_profiles_and_portable_tables() {
        let kernel = |name: &str| Kernel {
            name: name.into(),
            scale: "1".into(),
            wasm_bytes: 100,
            code_bytes: 50,
            functions: 2,
            encoded: 60,
            in_memory: 120,
        };
        let kernels = [kernel("fib"), kernel("sort")];
        let largest = Largest { name: "big.wasm".into(), wasm_bytes: 1000 };
        let run = |profile, portable, fayasm: [f64; 2]| {
            let mut timings = Timings::new();
            for (k, f) in ["fib", "sort"].iter().zip(fayasm) {
                for (engine, t) in [("fayasm", f), ("wasmi", 100.0), ("wasm3", 200.0)] {
                    timings.insert((format!("call-{k}"), engine.into()), (t * 1e6, t * 1e6));
                }
            }
            RunData {
                variant: Variant { profile, portable },
                dir: PathBuf::from("/nonexistent"),
                timings,
                machine: vec![("CPU".into(), "EPYC".into())],
                mode: "default times".into(),
            }
        };
        let runs = [
            run(Profile::Bench, false, [50.0, 200.0]),
            run(Profile::Release, false, [100.0, 400.0]),
            run(Profile::Bench, true, [100.0, 400.0]),
        ];
        let text = render(&kernels, &largest, &runs);
        assert!(text.contains("### Bench profile (fat LTO, 1 codegen unit)"), "{text}");
        assert!(text.contains("### Plain release build (no LTO, 16 codegen units)"), "{text}");
        assert!(
            text.contains("| fib | 1 | 50.0 ms | 100.0 ms | 200.0 ms | 0.50× | 0.50× | 0.25× |"),
            "{text}"
        );
        assert!(text.contains("| bench profile (fat LTO, 1 codegen unit) | **1.00×** | 0.50× | **–** | – | – | – |"), "{text}");
        assert!(
            text.contains("| plain release build (no LTO, 16 codegen units) | **2.00×** | 1.00× |"),
            "{text}"
        );
        assert!(text.contains("| fib | 100.0 ms | 1.00× | 2.00× |"), "{text}");
        assert!(text.contains("| **geometric mean** | | **2.00×** | **2.00×** |"), "{text}");
        assert!(text.contains("| | bench | release | bench, portable |"), "{text}");
        assert!(!text.contains("wasm3 has no results"), "{text}");
    }
}
