//! `fayasm run`: instantiate a module and call one exported function.

use super::{CliError, load_module, outln};
use crate::args::{self, ArgError};
use fayasm_decode::ExternKind;
use fayasm_exec::profile::{EnvOverrides, HostResources, Profile, Settings};
use fayasm_exec::{CompilationMode, Config, Engine, Linker, ModuleInfo, Store, Value};
use std::path::{Path, PathBuf};

/// Call an exported function and print its results.
///
/// The module is instantiated with the imports that `--spectest` and `--import-lib` provide
/// (none without them), then the export is called with ARGS and each result is printed on its
/// own line as `result[INDEX] (TYPE): VALUE`. A function without results prints nothing.
///
/// `--snapshot-in` restores the instance's state from a snapshot file after instantiation (the
/// start function does not run again) and before the call; `--snapshot-out` saves the state
/// after the call. Both together chain runs across processes: each run continues where the
/// previous one stopped.
#[derive(Debug, clap::Args)]
#[command(after_help = super::EXIT_CODES_HELP)]
pub struct RunArgs {
    /// The module to run: a binary .wasm file, or the text format (.wat).
    pub file: PathBuf,
    /// Name of the exported function to call.
    pub export: String,
    /// Arguments for the function, one per parameter: TYPE:VALUE (`i32:7`, `i64:-3`,
    /// `f32:1.5`, `f64:2.25`) or a bare VALUE, which takes the parameter's type. Integers may be
    /// hexadecimal (`i32:0x10`); floats may be `inf`, `-inf`, `nan` or `nan:0xPAYLOAD`. A v128
    /// is `v128:0x` and 32 hex digits (the 16 bytes as a little-endian number: lane 0 is the
    /// rightmost digits; v128 results print the same way) or its lanes, lane 0 first:
    /// `i8x16:`, `i16x8:`, `i32x4:`, `i64x2:` with integers, `f32x4:`, `f64x2:` with floats
    /// (`i32x4:1,2,3,-1`, `f32x4:1.5,nan,-inf,0`).
    #[arg(value_name = "ARGS", allow_negative_numbers = true)]
    pub args: Vec<String>,
    /// Lower every function to microcode when the module is loaded instead of on first call.
    #[arg(long, conflicts_with = "lazy")]
    pub eager: bool,
    /// Lower each function on its first call (the default; overrides FAYASM_LAZY=0 and
    /// FAYASM_PRESCAN=1).
    #[arg(long)]
    pub lazy: bool,
    /// Link the `spectest` host module (print functions, a memory, a table and globals), as
    /// the WebAssembly spec test scripts expect.
    #[arg(long)]
    pub spectest: bool,
    /// Bind imports to host functions of a shared library in fayasm's C ABI
    /// (`crates/fayasm-host/include/fayasm_host.h`). `PATH` binds every import the library's
    /// `fayasm_imports` list names that the module imports; `PATH:module.name=symbol` binds
    /// one import to one symbol. Repeatable; signatures are checked against the module's
    /// imports when binding.
    #[arg(long = "import-lib", value_name = "PATH[:module.name=symbol]")]
    pub import_lib: Vec<String>,
    /// Restore the instance from the snapshot at PATH (written by --snapshot-out for the same
    /// module) after instantiation, without running the start function again.
    #[arg(long, value_name = "PATH")]
    pub snapshot_in: Option<PathBuf>,
    /// Save the instance's state to PATH after the call (written durably: a temporary file,
    /// fsync, rename).
    #[arg(long, value_name = "PATH")]
    pub snapshot_out: Option<PathBuf>,
    /// Keep at most BYTES of lowered code resident (a plain number, or with a `K` or `M`
    /// suffix for KiB and MiB). Colder functions are evicted (and, with --spill-dir, spilled)
    /// and reloaded or lowered again on their next call. Default: FAYASM_CODE_BUDGET, else
    /// the build's resource profile (no limit on a host).
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes)]
    pub code_budget: Option<usize>,
    /// Spill evicted code (and keep it across runs) in the existing directory DIR, so a later
    /// run with the same directory starts warm: functions are reloaded instead of lowered.
    #[arg(long, value_name = "DIR")]
    pub spill_dir: Option<PathBuf>,
    /// Print the code cache's figures on stderr after the call, one `name: value` per line
    /// (`code_evictions`, `code_spills`, `code_reloads`, `code_relowers`, ...).
    #[arg(long)]
    pub stats: bool,
}

/// Parses a `--code-budget` value (see `fayasm_exec::profile::parse_bytes`).
fn parse_bytes(text: &str) -> Result<usize, String> {
    fayasm_exec::profile::parse_bytes(text)
}

/// Opens the `--spill-dir` store: the directory must exist and be writable.
fn open_spill_dir(dir: &Path) -> Result<fayasm_exec::DirStore, CliError> {
    let shown = dir.display();
    if !dir.is_dir() {
        return Err(CliError::usage(format!("--spill-dir {shown}: no such directory")));
    }
    let probe = dir.join(".fayasm-write-probe");
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| CliError::usage(format!("--spill-dir {shown}: not writable: {e}")))?;
    fayasm_exec::DirStore::open(dir, 2)
        .map_err(|e| CliError::usage(format!("--spill-dir {shown}: {e}")))
}

/// One `--import-lib` value: a library and either one binding or all of its list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLib {
    /// The library's path.
    pub path: String,
    /// `module.name=symbol`, or `None` for every binding of the library's list.
    pub binding: Option<fayasm_host::dylib::ImportBinding>,
}

/// Parses `PATH` or `PATH:module.name=symbol` (split at the last `:` whose right side is a
/// binding, so paths may contain colons).
pub fn parse_import_lib(text: &str) -> Result<ImportLib, CliError> {
    if let Some((path, spec)) = text.rsplit_once(':')
        && spec.contains('=')
    {
        let binding = fayasm_host::dylib::parse_binding(spec).ok_or_else(|| {
            CliError::usage(format!("--import-lib {text:?}: {spec:?} is not module.name=symbol"))
        })?;
        if path.is_empty() {
            return Err(CliError::usage(format!("--import-lib {text:?}: no library path")));
        }
        return Ok(ImportLib { path: path.into(), binding: Some(binding) });
    }
    if text.is_empty() {
        return Err(CliError::usage("--import-lib needs a library path"));
    }
    Ok(ImportLib { path: text.into(), binding: None })
}

/// Binds the imports `spec` names from its library into `linker`, checked against `module`.
fn bind_import_lib(
    linker: &mut Linker<()>,
    module: &fayasm_exec::Module,
    spec: &ImportLib,
) -> Result<(), CliError> {
    use fayasm_host::dylib::{DylibError, Library};
    let classify = |e: DylibError| match e {
        DylibError::Open { .. } => CliError::file(e.to_string()),
        other => CliError::link(other.to_string()),
    };
    let lib = Library::open(&spec.path).map_err(classify)?;
    match &spec.binding {
        Some(b) => lib.define(linker, &b.module, &b.name, &b.symbol, Some(module)),
        None => lib.define_all(linker, Some(module)).map(drop),
    }
    .map_err(classify)
}

/// Runs the command, appending the results to `out`.
pub fn run(args: &RunArgs, out: &mut String) -> Result<(), CliError> {
    let settings = settings(args)?;
    let mut config = Config::new();
    settings.apply(&mut config);
    let spill = args.spill_dir.as_deref().map(open_spill_dir).transpose()?;
    let engine = Engine::new(&config);
    let module = load_module(&engine, &args.file)?;
    let info = module.info();
    let exec_error = |e: &fayasm_exec::Error| CliError::from_exec(e, &args.file, Some(info));

    // Check the call against the module's own description first, so argument mistakes are
    // reported before anything runs.
    let func = find_func_export(info, &args.export)?;
    let ty = info.func_type(func).ok_or_else(|| {
        CliError::file(format!("{}: function {func} has no type", args.file.display()))
    })?;
    let params = parse_args(&args.export, &ty.params, &ty.results, &args.args)?;
    let import_libs =
        args.import_lib.iter().map(|t| parse_import_lib(t)).collect::<Result<Vec<_>, _>>()?;

    let mut store = Store::new(&engine, ());
    if let Some(spill) = spill {
        store.attach_spill_store(Box::new(spill));
    }
    let mut linker = Linker::new(&engine);
    if args.spectest {
        fayasm_host::spectest::define(&mut linker, &mut store).map_err(|e| exec_error(&e))?;
    }
    for spec in &import_libs {
        bind_import_lib(&mut linker, &module, spec)?;
    }
    let snapshot = match &args.snapshot_in {
        Some(path) => Some(std::fs::read(path).map_err(|e| {
            CliError::snapshot(format!("cannot read snapshot {}: {e}", path.display()))
        })?),
        None => None,
    };
    let instantiated = match &snapshot {
        Some(blob) => linker.instantiate_restored(&mut store, &module, blob),
        None => linker.instantiate(&mut store, &module),
    };
    let instance = instantiated.map_err(|e| {
        if let (Some(spill), Some(path)) = (e.as_spill(), &args.snapshot_in) {
            return CliError::snapshot(format!("invalid snapshot {}: {spill}", path.display()));
        }
        let mut err = exec_error(&e);
        if matches!(e.kind(), fayasm_exec::ErrorKind::Link(_)) {
            err = CliError::link(format!(
                "{} (fayasm run provides only the imports of --import-lib and --spectest)",
                err.message()
            ));
        }
        err
    })?;
    let func = instance.get_func(&store, &args.export).ok_or_else(|| {
        CliError::usage(format!("the instance has no exported function {:?}", args.export))
    })?;
    let results = func.call(&mut store, &params).map_err(|e| exec_error(&e));
    if args.stats {
        print_stats(&settings, &store.code_cache_stats());
    }
    let results = results?;
    if let Some(path) = &args.snapshot_out {
        let blob = instance.snapshot(&mut store).map_err(|e| {
            CliError::snapshot(format!(
                "cannot snapshot the instance: {}",
                exec_error(&e).message()
            ))
        })?;
        write_durably(path, &blob).map_err(|e| {
            CliError::snapshot(format!("cannot write snapshot {}: {e}", path.display()))
        })?;
    }
    for (i, value) in results.iter().enumerate() {
        outln!(out, "result[{i}] ({}): {}", value.ty(), args::format_value(value));
    }
    Ok(())
}

/// The code budget and compilation mode: flags over `FAYASM_*` variables over the build's
/// resource profile over the defaults (`fayasm_exec::profile`).
fn settings(args: &RunArgs) -> Result<Settings, CliError> {
    let cli = EnvOverrides {
        code_budget: args.code_budget.map(Some),
        mode: match (args.eager, args.lazy) {
            (true, _) => Some(CompilationMode::Eager),
            (_, true) => Some(CompilationMode::Lazy),
            _ => None,
        },
    };
    let env = EnvOverrides::from_env().map_err(|e| CliError::usage(e.to_string()))?;
    Ok(Settings::resolve(&cli, &env, &Profile::current()))
}

/// Prints the settings, the host's resources and the code cache's figures on stderr,
/// `name: value` per line.
fn print_stats(settings: &Settings, stats: &fayasm_exec::CodeCacheStats) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let budget = settings.code_budget.map_or("none".to_string(), |b| b.to_string());
    let mode = match settings.mode {
        CompilationMode::Lazy => "lazy",
        CompilationMode::Eager => "eager",
    };
    let _ = writeln!(err, "profile: {}", Profile::current().name);
    let _ = writeln!(err, "code_budget: {budget} ({})", settings.code_budget_from);
    let _ = writeln!(err, "compilation: {mode} ({})", settings.mode_from);
    let host = HostResources::probe();
    let unknown = |v: Option<u64>| v.map_or("unknown".to_string(), |v| v.to_string());
    let _ = writeln!(err, "host_ram_total: {}", unknown(host.ram_total));
    let _ = writeln!(err, "host_ram_available: {}", unknown(host.ram_available));
    let _ = writeln!(err, "host_cpus: {}", unknown(host.cpus.map(|c| c as u64)));
    for (name, value) in stats.entries() {
        let _ = writeln!(err, "{name}: {value}");
    }
}

/// Writes `bytes` to `path` so that a power loss leaves either the old file or the new one:
/// a temporary file beside it, fsync, rename over `path`, fsync of the directory.
fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let tmp = path.with_file_name(name);
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)?;
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// The function index of the function export `name`, or an error listing the function exports.
fn find_func_export(info: &ModuleInfo, name: &str) -> Result<u32, CliError> {
    let funcs: Vec<String> = info
        .exports
        .iter()
        .filter(|e| e.kind == ExternKind::Func)
        .map(|e| format!("{:?}", info.name(e.name)))
        .collect();
    let available = if funcs.is_empty() {
        "the module exports no functions".to_owned()
    } else {
        format!("function exports: {}", funcs.join(", "))
    };
    match info.export(name) {
        Some(e) if e.kind == ExternKind::Func => Ok(e.index),
        Some(e) => Err(CliError::usage(format!(
            "export {name:?} is a {}, not a function; {available}",
            kind_name(e.kind)
        ))),
        None => Err(CliError::usage(format!("unknown export {name:?}; {available}"))),
    }
}

/// The text-format name of an export kind.
pub fn kind_name(kind: ExternKind) -> &'static str {
    match kind {
        ExternKind::Func => "func",
        ExternKind::Table => "table",
        ExternKind::Memory => "memory",
        ExternKind::Global => "global",
    }
}

/// Parses the command-line arguments of a call to `export` with the given signature.
fn parse_args(
    export: &str,
    params: &[fayasm_exec::ValType],
    results: &[fayasm_exec::ValType],
    texts: &[String],
) -> Result<Vec<Value>, CliError> {
    if texts.len() != params.len() {
        return Err(CliError::usage(format!(
            "wrong number of arguments: {export} has signature {} and takes {} argument(s), got {}",
            args::signature(params, results),
            params.len(),
            texts.len()
        )));
    }
    texts
        .iter()
        .zip(params)
        .enumerate()
        .map(|(i, (text, &ty))| {
            args::parse_arg(text, ty).map_err(|e| match e {
                ArgError::TypeMismatch { given, shape, expected } => CliError::usage(format!(
                    "argument {} is {} but {export} expects {expected}",
                    i + 1,
                    args::given_name(given, shape)
                )),
                other => CliError::usage(format!("argument {}: {other}", i + 1)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_lib_values_parse() {
        let all = parse_import_lib("./libhost.so").unwrap();
        assert_eq!(all, ImportLib { path: "./libhost.so".into(), binding: None });
        let one = parse_import_lib("C:/libs/h.so:env.add=host_add").unwrap();
        assert_eq!(one.path, "C:/libs/h.so");
        let b = one.binding.unwrap();
        assert_eq!(
            (b.module.as_str(), b.name.as_str(), b.symbol.as_str()),
            ("env", "add", "host_add")
        );
        assert_eq!(parse_import_lib("a:b.so").unwrap().path, "a:b.so", "a colon in a path");
        let err = parse_import_lib("lib.so:add=host_add").unwrap_err();
        assert_eq!(
            err.message(),
            r#"--import-lib "lib.so:add=host_add": "add=host_add" is not module.name=symbol"#
        );
        assert!(parse_import_lib(":env.a=b").is_err());
        assert!(parse_import_lib("").is_err());
    }
}
