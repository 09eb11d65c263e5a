//! `fayasm inspect`: what a module contains, or the microcode of one of its functions.

use super::run::kind_name;
use super::{CliError, load_module, outln};
use crate::args::signature;
use fayasm_decode::{ExternKind, ImportType};
use fayasm_exec::{Engine, Module, ModuleInfo};
use std::path::PathBuf;

/// Summarize a module: its sections, imports, exports, entity counts and the WebAssembly
/// proposals it uses.
///
/// With `--ir FUNC`, print the microcode that FUNC lowers to instead.
#[derive(Debug, clap::Args)]
#[command(after_help = super::EXIT_CODES_HELP)]
pub struct InspectArgs {
    /// The module to inspect: a binary .wasm file, or the text format (.wat).
    pub file: PathBuf,
    /// Print the microcode of one function: a function index (imports count first), the name
    /// of a function export, or a name from the module's name section (a leading `$` is
    /// optional).
    #[arg(long, value_name = "FUNC")]
    pub ir: Option<String>,
}

/// Runs the command, appending its report to `out`.
pub fn run(args: &InspectArgs, out: &mut String) -> Result<(), CliError> {
    let engine = Engine::default();
    let module = load_module(&engine, &args.file)?;
    match &args.ir {
        Some(spec) => ir(args, &module, spec, out),
        None => {
            summary(&args.file.display().to_string(), &module, out);
            Ok(())
        }
    }
}

/// Prints the lowered code of the function `spec` names.
fn ir(args: &InspectArgs, module: &Module, spec: &str, out: &mut String) -> Result<(), CliError> {
    let info = module.info();
    let func = resolve_func(info, spec)?;
    let code = match module.lower_function(func) {
        Some(code) => code.map_err(|e| CliError::from_exec(&e, &args.file, Some(info)))?,
        None => {
            let import = info
                .imports
                .iter()
                .filter(|i| matches!(i.ty, ImportType::Func(_)))
                .nth(func as usize)
                .map(|i| format!(" ({}.{})", info.name(i.module), info.name(i.name)))
                .unwrap_or_default();
            return Err(CliError::usage(format!(
                "function {func} is imported{import} and has no code"
            )));
        }
    };
    let ty = info.func_type(func).map(|t| signature(&t.params, &t.results)).unwrap_or_default();
    match info.func_name(func) {
        Some(name) => outln!(out, "function {func} {name:?}: {ty}"),
        None => outln!(out, "function {func}: {ty}"),
    }
    out.push_str(&fayasm_ir::text::dump(&code));
    Ok(())
}

/// The function index `spec` names: an index, a function export, or a name-section name.
fn resolve_func(info: &ModuleInfo, spec: &str) -> Result<u32, CliError> {
    let count = info.funcs.len();
    if let Ok(index) = spec.parse::<u32>() {
        return if (index as usize) < count {
            Ok(index)
        } else {
            Err(CliError::usage(format!("no function {index}: the module has {count} function(s)")))
        };
    }
    if let Some(e) =
        info.exports.iter().find(|e| e.kind == ExternKind::Func && info.name(e.name) == spec)
    {
        return Ok(e.index);
    }
    let name = spec.strip_prefix('$').unwrap_or(spec);
    if let Some((index, _)) = info.func_names.iter().find(|(_, n)| info.name(*n) == name) {
        return Ok(*index);
    }
    Err(CliError::usage(format!(
        "no function {spec:?}: not a function index, a function export or a name in the name section"
    )))
}

/// Prints sections, imports, exports, counts and the proposals the module uses.
fn summary(path: &str, module: &Module, out: &mut String) {
    let info = module.info();
    outln!(out, "module {path} ({} bytes)", module.bytes().len());

    outln!(out, "sections ({}):", info.sections.len());
    for s in &info.sections {
        outln!(
            out,
            "  {:<16} offset {:#010x}  size {}",
            info.name(s.name),
            s.range.start,
            s.range.end.saturating_sub(s.range.start)
        );
    }

    outln!(out, "imports ({}):", info.imports.len());
    let import_names: Vec<String> = info
        .imports
        .iter()
        .map(|i| format!("{:?}.{:?}", info.name(i.module), info.name(i.name)))
        .collect();
    let width = import_names.iter().map(String::len).max().unwrap_or(0);
    let mut next = [0u32; 4];
    for (imp, name) in info.imports.iter().zip(&import_names) {
        let (kind, slot, desc) = match imp.ty {
            ImportType::Func(ty) => {
                let sig = info
                    .types
                    .get(ty as usize)
                    .map(|t| signature(&t.params, &t.results))
                    .unwrap_or_else(|| format!("type {ty}"));
                ("func", 0, sig)
            }
            ImportType::Table(t) => ("table", 1, table_desc(&t)),
            ImportType::Memory(m) => ("memory", 2, memory_desc(&m)),
            ImportType::Global(g) => {
                ("global", 3, format!("{}{}", if g.mutable { "mut " } else { "" }, g.content))
            }
        };
        let index = next[slot];
        next[slot] += 1;
        outln!(out, "  {kind:<6} {name:<width$}  index {index:<3} {desc}");
    }

    outln!(out, "exports ({}):", info.exports.len());
    let export_names: Vec<String> =
        info.exports.iter().map(|e| format!("{:?}", info.name(e.name))).collect();
    let width = export_names.iter().map(String::len).max().unwrap_or(0);
    for (e, name) in info.exports.iter().zip(&export_names) {
        let mut line = format!("  {:<6} {name:<width$}  index {:<3}", kind_name(e.kind), e.index);
        if e.kind == ExternKind::Func
            && let Some(t) = info.func_type(e.index)
        {
            line.push_str(&format!(" {}", signature(&t.params, &t.results)));
        }
        outln!(out, "{}", line.trim_end());
    }

    // Every memory with its index type (`i64` with memory64) and page size.
    outln!(out, "memories ({}):", info.memories.len());
    for (i, m) in info.memories.iter().enumerate() {
        let origin = if i < info.num_imported_memories as usize { "imported" } else { "defined" };
        outln!(out, "  memory {i:<3} {origin:<8}  {}", memory_desc(m));
    }

    // Every table with its index type (`i64` for a 64-bit table, memory64's table64).
    outln!(out, "tables ({}):", info.tables.len());
    for (i, t) in info.tables.iter().enumerate() {
        let origin = if i < info.num_imported_tables as usize { "imported" } else { "defined" };
        outln!(out, "  table  {i:<3} {origin:<8}  {}", table_desc(t));
    }

    let defined = |total: usize, imported: u32| total.saturating_sub(imported as usize);
    outln!(out, "counts:");
    outln!(out, "  types      {}", info.types.len());
    for (name, total, imported) in [
        ("functions", info.funcs.len(), info.num_imported_funcs),
        ("tables", info.tables.len(), info.num_imported_tables),
        ("memories", info.memories.len(), info.num_imported_memories),
        ("globals", info.globals.len(), info.num_imported_globals),
    ] {
        outln!(
            out,
            "  {name:<10} {total} ({imported} imported, {} defined)",
            defined(total, imported)
        );
    }
    outln!(out, "  elements   {}", info.elements.len());
    outln!(out, "  data       {}", info.datas.len());
    match info.start {
        Some(start) => outln!(out, "start: {}", super::func_label(info, start)),
        None => outln!(out, "start: none"),
    }
    // A module that loaded parses again; an error here would be a decoder bug, shown as such.
    match fayasm_decode::proposals::detect(module.bytes()) {
        Ok(found) if found.is_empty() => outln!(out, "proposals: none (WebAssembly 1.0)"),
        Ok(found) => {
            let names: Vec<&str> = found.iter().map(fayasm_decode::Proposal::name).collect();
            outln!(out, "proposals: {}", names.join(", "));
        }
        Err(e) => outln!(out, "proposals: unknown ({e})"),
    }
}

/// `i32 1..2 page(s) of 65536 bytes`: index type, limits and page size of a memory.
fn memory_desc(m: &fayasm_decode::MemoryType) -> String {
    let idx = if m.memory64 { "i64" } else { "i32" };
    format!("{idx} {} page(s) of {} bytes", limits(m.min, m.max), m.page_size())
}

/// `i64 funcref 1..2`: index type, element type and limits of a table.
fn table_desc(t: &fayasm_decode::TableType) -> String {
    let idx = if t.table64 { "i64" } else { "i32" };
    format!("{idx} {} {}", fayasm_exec::ValType::from(t.element), limits(t.min, t.max))
}

/// `1..2` or `1..` for limits.
fn limits(min: u64, max: Option<u64>) -> String {
    match max {
        Some(max) => format!("{min}..{max}"),
        None => format!("{min}.."),
    }
}
