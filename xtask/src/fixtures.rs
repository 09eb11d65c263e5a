//! `cargo xtask fixtures`: builds every `wasm_samples/src/*.c` into `wasm_samples/build/` and
//! regenerates the manifest's expected results from a native build of the same sources.

use crate::util::{find_tool, run_capture, run_status, show, write_if_changed};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use xtask::fixture::{self, COMMON_EMCC_FLAGS, Fixture, NATIVE_CFLAGS};
use xtask::manifest::{Case, Expect, Manifest};
use xtask::value::TypedValue;
use xtask::wasm::{self, Signature, ValType};

const INSTALL_HINT: &str = "emcc (Emscripten) was not found. Install it with:
    apt-get update && apt-get install -y emscripten
(Debian's package ships a prebuilt sysroot, so emcc works offline. Elsewhere, if emcc wants
to build its system libraries, give it a writable cache: export EM_CACHE=/tmp/emcache.)";

enum Compiler {
    Emcc(String),
    /// The fallback: plain clang for wasm32 plus wasm-ld, no libc at all.
    Clang {
        clang: String,
        wasm_ld: String,
    },
}

fn find_compiler() -> Result<Compiler, String> {
    if let Some(emcc) = find_tool(&["emcc"]) {
        return Ok(Compiler::Emcc(emcc));
    }
    eprintln!("warning: {INSTALL_HINT}");
    let versions = ["", "-21", "-20", "-19", "-18", "-17", "-16", "-15", "-14"];
    let clang = versions.iter().map(|v| format!("clang{v}")).find(|c| crate::util::tool_exists(c));
    let wasm_ld =
        versions.iter().map(|v| format!("wasm-ld{v}")).find(|c| crate::util::tool_exists(c));
    match (clang, wasm_ld) {
        (Some(clang), Some(wasm_ld)) => {
            eprintln!(
                "warning: falling back to {clang} --target=wasm32 + {wasm_ld} (not the reference build)"
            );
            Ok(Compiler::Clang { clang, wasm_ld })
        }
        _ => Err(format!(
            "no wasm compiler: neither emcc nor clang + wasm-ld is installed.\n{INSTALL_HINT}"
        )),
    }
}

struct Options {
    build: bool,
    only: Option<String>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options { build: true, only: None };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-build" => o.build = false,
            "--only" => o.only = Some(it.next().ok_or("`--only` needs a fixture name")?.clone()),
            other => return Err(format!("unknown option `{other}` for `fixtures`")),
        }
    }
    Ok(o)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let opts = parse_options(args)?;
    let samples = xtask::samples_dir();
    let mut fixtures = fixture::list(&samples)?;
    if let Some(only) = &opts.only {
        fixtures.retain(|f| &f.name == only);
        if fixtures.is_empty() {
            return Err(format!("no fixture `{only}` in {}", samples.join("src").display()));
        }
    }
    let build_dir = samples.join("build");
    fs::create_dir_all(&build_dir)
        .map_err(|e| format!("cannot create {}: {e}", build_dir.display()))?;
    let work = std::env::temp_dir().join(format!("fayasm-xtask-fixtures-{}", std::process::id()));
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let result = build_and_regenerate(&samples, &fixtures, &opts, &work);
    let _ = fs::remove_dir_all(&work);
    result
}

fn build_and_regenerate(
    samples: &Path,
    fixtures: &[Fixture],
    opts: &Options,
    work: &Path,
) -> Result<(), String> {
    if opts.build {
        let compiler = find_compiler()?;
        for f in fixtures {
            build_fixture(&compiler, samples, f, work)?;
            let hash = fixture::source_hash(samples, f)?;
            write_if_changed(&f.hash_path(samples), format!("{hash}\n").as_bytes())?;
        }
    }
    let manifest_path = samples.join("manifest.toml");
    let text = fs::read_to_string(&manifest_path)
        .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    let origin = manifest_path.display().to_string();
    let mut manifest = Manifest::parse(&text, &origin)?;
    let all = fixture::list(samples)?;
    for case in &manifest.cases {
        if !all.iter().any(|f| f.wasm_file_name() == case.file) {
            return Err(format!(
                "{origin}:{}: `{}` is not built from any wasm_samples/src/*.c",
                case.line, case.file
            ));
        }
    }
    let cc = find_tool(&["cc", "gcc", "clang"])
        .ok_or("no native C compiler (cc, gcc or clang) found")?;
    let mut updated = 0;
    for f in fixtures {
        updated += regenerate(&cc, samples, f, &mut manifest, &origin, work)?;
    }
    let changed = write_if_changed(&manifest_path, manifest.render().as_bytes())?;
    let traps = manifest.cases.iter().filter(|c| matches!(c.expect, Expect::Trap(_))).count();
    eprintln!(
        "fixtures: {} fixture(s); {} case(s) in the manifest ({updated} regenerated natively, {traps} trap case(s) kept); manifest {}",
        fixtures.len(),
        manifest.cases.len(),
        if changed { "updated" } else { "unchanged" }
    );
    regenerate_bench(&cc, samples, fixtures, &all, work)
}

/// The leading comment of `wasm_samples/bench.toml`.
const BENCH_HEADER: &str = "\
# fayasm benchmark calls: one [[case]] per kernel at its BENCH scale (`args`), for
# `cargo bench -p fayasm-benches --bench compare` and `cargo xtask bench-compare`.
#
# Same syntax as manifest.toml. `results` are generated by `cargo xtask fixtures` from a native
# build of the same C source; the bench checks every engine's answer against them before timing.
# Choose `args` so one call takes roughly 100-300 ms in wasmi (see BENCHMARKS.md). The small-
# scale cases that the test suite runs are in manifest.toml. This file is rewritten by
# `cargo xtask fixtures`: keep remarks in a case's `note`.
";

/// Regenerates the expected results of `wasm_samples/bench.toml` (absent file: nothing to do)
/// for the cases of `fixtures`, from the same native build as the manifest's.
fn regenerate_bench(
    cc: &str,
    samples: &Path,
    fixtures: &[Fixture],
    all: &[Fixture],
    work: &Path,
) -> Result<(), String> {
    let path = samples.join("bench.toml");
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let origin = path.display().to_string();
    let mut bench = Manifest::parse(&text, &origin)?;
    for case in &bench.cases {
        if !all.iter().any(|f| f.wasm_file_name() == case.file) {
            return Err(format!(
                "{origin}:{}: `{}` is not built from any wasm_samples/src/*.c",
                case.line, case.file
            ));
        }
        if matches!(case.expect, Expect::Trap(_)) {
            return Err(format!("{origin}:{}: a benchmark case cannot expect a trap", case.line));
        }
    }
    let bench_work = work.join("bench");
    fs::create_dir_all(&bench_work)
        .map_err(|e| format!("cannot create {}: {e}", bench_work.display()))?;
    let mut updated = 0;
    for f in fixtures {
        updated += regenerate(cc, samples, f, &mut bench, &origin, &bench_work)?;
    }
    let changed = write_if_changed(&path, bench.render_with_header(BENCH_HEADER).as_bytes())?;
    eprintln!(
        "fixtures: {} benchmark case(s) ({updated} regenerated natively); bench.toml {}",
        bench.cases.len(),
        if changed { "updated" } else { "unchanged" }
    );
    Ok(())
}

fn build_fixture(
    compiler: &Compiler,
    samples: &Path,
    f: &Fixture,
    work: &Path,
) -> Result<(), String> {
    let out = f.wasm_path(samples);
    let include = samples.join("src");
    match compiler {
        Compiler::Emcc(emcc) => {
            let mut cmd = Command::new(emcc);
            cmd.args(COMMON_EMCC_FLAGS)
                .args(&f.flags)
                .arg("-I")
                .arg(&include)
                .arg(&f.source)
                .arg("-o")
                .arg(&out);
            run_status(&mut cmd).map_err(|e| format!("building fixture `{}`: {e}", f.name))?;
        }
        Compiler::Clang { clang, wasm_ld } => {
            let obj = work.join(format!("{}.o", f.name));
            let own: Vec<&String> = f
                .flags
                .iter()
                .filter(|fl| !fl.starts_with("-s") && fl.as_str() != "--profiling-funcs")
                .collect();
            let common: Vec<&str> = COMMON_EMCC_FLAGS
                .iter()
                .copied()
                .filter(|fl| fl.starts_with("-f") || fl.starts_with("-O"))
                .collect();
            let mut cmd = Command::new(clang);
            cmd.args(["--target=wasm32", "-ffreestanding", "-nostdlib", "-c"])
                .args(&common)
                .args(&own);
            cmd.arg("-I").arg(&include).arg(&f.source).arg("-o").arg(&obj);
            run_status(&mut cmd).map_err(|e| format!("building fixture `{}`: {e}", f.name))?;
            let setting = |name: &str| {
                f.flags
                    .iter()
                    .find_map(|fl| fl.strip_prefix(&format!("-s{name}=")).map(String::from))
            };
            let initial = "131072".to_string();
            let growth = setting("ALLOW_MEMORY_GROWTH").is_some_and(|v| v != "0");
            let max =
                setting("MAXIMUM_MEMORY").filter(|_| growth).unwrap_or_else(|| initial.clone());
            let mut link = Command::new(wasm_ld);
            link.args(["--no-entry", "-z", "stack-size=65536"]);
            link.arg(format!("--initial-memory={initial}")).arg(format!("--max-memory={max}"));
            link.arg(&obj).arg("-o").arg(&out);
            run_status(&mut link).map_err(|e| format!("linking fixture `{}`: {e}", f.name))?;
        }
    }
    normalise_mode(&out)?;
    let bytes = fs::read(&out).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
    let summary = wasm::summarize(&bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    let bad = fixture::disallowed_imports(&f.wasm_file_name(), &summary.imports);
    if !bad.is_empty() {
        return Err(format!(
            "{} imports {bad:?}: fixtures must need no imports (avoid libc calls such as printf/malloc), \
             except host_* fixtures, which may import {:?}",
            out.display(),
            fixture::HOST_IMPORTS
        ));
    }
    Ok(())
}

/// emcc marks its output executable; the committed fixtures are plain files (mode 644).
#[cfg(unix)]
fn normalise_mode(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt as _;
    fs::set_permissions(path, fs::Permissions::from_mode(0o644))
        .map_err(|e| format!("cannot chmod {}: {e}", path.display()))
}

#[cfg(not(unix))]
fn normalise_mode(_path: &Path) -> Result<(), String> {
    Ok(())
}

/// Regenerates the results of `f`'s non-trap cases; returns how many.
fn regenerate(
    cc: &str,
    samples: &Path,
    f: &Fixture,
    manifest: &mut Manifest,
    origin: &str,
    work: &Path,
) -> Result<usize, String> {
    let file = f.wasm_file_name();
    let indices: Vec<usize> = manifest
        .cases
        .iter()
        .enumerate()
        .filter(|(_, c)| c.file == file && !matches!(c.expect, Expect::Trap(_)))
        .map(|(i, _)| i)
        .collect();
    if indices.is_empty() {
        return Ok(0);
    }
    let wasm_path = f.wasm_path(samples);
    let bytes =
        fs::read(&wasm_path).map_err(|e| format!("cannot read {}: {e}", wasm_path.display()))?;
    let summary = wasm::summarize(&bytes).map_err(|e| format!("{}: {e}", wasm_path.display()))?;
    let mut harness = harness_prelude(&f.source);
    for (n, &i) in indices.iter().enumerate() {
        let case = &manifest.cases[i];
        let at = format!("{origin}:{}", case.line);
        let sig = summary
            .func(&case.export)
            .ok_or_else(|| format!("{at}: {file} exports no function `{}`", case.export))?;
        let args = case.typed_args().map_err(|e| format!("{origin}: {e}"))?;
        check_args(sig, &args).map_err(|e| format!("{at}: `{}` {e}", case.export))?;
        harness_case(&mut harness, n, case, sig, &args).map_err(|e| format!("{at}: {e}"))?;
    }
    harness.push_str("    default: return 3;\n    }\n    return 0;\n}\n");
    let c_path = work.join(format!("{}_harness.c", f.name));
    let exe = work.join(format!("{}_harness{}", f.name, std::env::consts::EXE_SUFFIX));
    fs::write(&c_path, &harness).map_err(|e| format!("cannot write {}: {e}", c_path.display()))?;
    let mut cmd = Command::new(cc);
    cmd.args(NATIVE_CFLAGS)
        .arg("-I")
        .arg(samples.join("src"))
        .arg(&c_path)
        .arg("-o")
        .arg(&exe)
        .arg("-lm");
    run_capture(&mut cmd)
        .map_err(|e| format!("native build of `{}` for its expected results: {e}", f.name))?;
    for (n, &i) in indices.iter().enumerate() {
        let case = &manifest.cases[i];
        let mut run = Command::new(&exe);
        run.arg(n.to_string());
        let out = run.output().map_err(|e| format!("cannot run {}: {e}", show(&run)))?;
        if !out.status.success() {
            return Err(format!(
                "{origin}:{}: the native run of `{}` failed ({}){}; if the case is meant to trap, write its `trap = \"...\"` by hand",
                case.line,
                case.export,
                out.status,
                String::from_utf8_lossy(&out.stderr).trim_end()
            ));
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let results: Vec<String> = stdout
            .lines()
            .map(|l| TypedValue::parse(l.trim()).map(|v| v.to_string()))
            .collect::<Result<_, _>>()
            .map_err(|e| format!("{origin}:{}: native harness printed {e}", case.line))?;
        manifest.cases[i].expect = Expect::Results(results);
    }
    Ok(indices.len())
}

fn check_args(sig: &Signature, args: &[TypedValue]) -> Result<(), String> {
    let ok = sig.params.len() == args.len()
        && sig.params.iter().zip(args).all(|(p, a)| p.name() == a.type_name());
    if ok {
        Ok(())
    } else {
        let given: Vec<&str> = args.iter().map(TypedValue::type_name).collect();
        Err(format!("has signature {} but the case passes ({})", sig.describe(), given.join(", ")))
    }
}

fn harness_prelude(source: &Path) -> String {
    let src = source.canonicalize().unwrap_or_else(|_| PathBuf::from(source));
    let src = src.display().to_string().replace('\\', "/").replace('"', "\\\"");
    format!(
        r#"/* Generated by `cargo xtask fixtures`: the native oracle for this fixture's cases. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "{src}"

static float fayasm_h_f32(uint32_t b) {{ float f; memcpy(&f, &b, 4); return f; }}
static double fayasm_h_f64(uint64_t b) {{ double f; memcpy(&f, &b, 8); return f; }}
static void fayasm_h_i32(uint32_t v) {{ printf("i32:%" PRId32 "\n", (int32_t)v); }}
static void fayasm_h_i64(uint64_t v) {{ printf("i64:%" PRId64 "\n", (int64_t)v); }}
static void fayasm_h_pf32(float f) {{ uint32_t b; memcpy(&b, &f, 4); printf("f32:0x%08" PRIx32 "\n", b); }}
static void fayasm_h_pf64(double f) {{ uint64_t b; memcpy(&b, &f, 8); printf("f64:0x%016" PRIx64 "\n", b); }}

int main(int argc, char **argv) {{
    if (argc != 2) return 2;
    switch (atoi(argv[1])) {{
"#
    )
}

fn c_literal(v: &TypedValue) -> String {
    match *v {
        TypedValue::I32(x) => format!("(int32_t)(uint32_t)0x{:08x}U", x as u32),
        TypedValue::I64(x) => format!("(int64_t)(uint64_t)0x{:016x}ULL", x as u64),
        TypedValue::F32(b) => format!("fayasm_h_f32(0x{b:08x}U)"),
        TypedValue::F64(b) => format!("fayasm_h_f64(0x{b:016x}ULL)"),
    }
}

fn harness_case(
    out: &mut String,
    n: usize,
    case: &Case,
    sig: &Signature,
    args: &[TypedValue],
) -> Result<(), String> {
    let call =
        format!("{}({})", case.export, args.iter().map(c_literal).collect::<Vec<_>>().join(", "));
    let _ = writeln!(out, "    case {n}: {{");
    let scalar = |t: ValType, expr: &str| -> Result<String, String> {
        Ok(match t {
            ValType::I32 => format!("fayasm_h_i32((uint32_t)({expr}))"),
            ValType::I64 => format!("fayasm_h_i64((uint64_t)({expr}))"),
            ValType::F32 => format!("fayasm_h_pf32({expr})"),
            ValType::F64 => format!("fayasm_h_pf64({expr})"),
            ValType::Other(b) => {
                return Err(format!("`{}` returns an unsupported type (0x{b:02x})", case.export));
            }
        })
    };
    match sig.results.as_slice() {
        [] => {
            let _ = writeln!(out, "        {call};");
        }
        [t] => {
            let _ = writeln!(out, "        {};", scalar(*t, &call)?);
        }
        many => {
            // A struct returned as several wasm results (clang's experimental-mv ABI): read its
            // fields at their natural offsets.
            let _ = writeln!(out, "        __typeof__({call}) r = {call};");
            let _ = writeln!(
                out,
                "        unsigned char b[sizeof r];\n        memcpy(b, &r, sizeof r);"
            );
            let mut offset = 0usize;
            let mut align = 1usize;
            for (k, t) in many.iter().enumerate() {
                let (size, cty) = match t {
                    ValType::I32 => (4, "uint32_t"),
                    ValType::I64 => (8, "uint64_t"),
                    ValType::F32 => (4, "float"),
                    ValType::F64 => (8, "double"),
                    ValType::Other(b) => {
                        return Err(format!(
                            "`{}` returns an unsupported type (0x{b:02x})",
                            case.export
                        ));
                    }
                };
                offset = offset.next_multiple_of(size);
                align = align.max(size);
                let _ = writeln!(
                    out,
                    "        {cty} v{k}; memcpy(&v{k}, b + {offset}, {size}); {};",
                    scalar(*t, &format!("v{k}"))?
                );
                offset += size;
            }
            let total = offset.next_multiple_of(align);
            let _ = writeln!(
                out,
                "        if (sizeof r != {total}) {{ fprintf(stderr, \"{}: struct layout does not match its wasm results\\n\"); return 4; }}",
                case.export
            );
        }
    }
    let _ = writeln!(out, "        break;\n    }}");
    Ok(())
}
