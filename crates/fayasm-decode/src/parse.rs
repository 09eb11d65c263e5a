//! Parsing and validating a module with wasmparser, converting every section into the plain
//! structures of [`crate::module`].
//!
//! The whole module is validated while it is parsed: every section goes through a
//! [`wasmparser::Validator`] configured with [`features`] before it is converted, and every
//! function body is run through its [`wasmparser::FuncValidator`]. Bodies are validated once the
//! whole binary has been read (as [`wasmparser::Validator::validate_all`] does), so a malformed
//! later section is reported before an invalid earlier body, matching the order of the
//! specification (decode, then validate).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use fayasm_core::{F32, F64, RefType, ValType};
use wasmparser::{
    CompositeInnerType, DataKind, ElementItems, ElementKind, ExternalKind, FuncToValidate,
    FuncValidatorAllocations, FunctionBody, HeapType, KnownCustom, Name, Operator, Parser, Payload,
    SectionLimited, TableInit, TypeRef, ValidPayload, Validator, ValidatorResources, WasmFeatures,
};

use crate::{
    ConstExpr, ConstOp, DataMode, DataSegment, DecodeError, ElementMode, ElementSegment, Export,
    ExternKind, FuncBody, FuncType, GlobalType, Import, ImportType, Locals, MemoryType, ModuleInfo,
    SectionInfo, TableType,
};

/// The WebAssembly features fayasm accepts.
///
/// WebAssembly 2.0 (mutable globals, saturating float-to-int, sign extension, reference types,
/// multi-value, bulk memory).
///
/// Fixed-width SIMD and relaxed SIMD are on (relaxed operators have one deterministic result
/// each, see `fayasm_simd`).
///
/// Beyond 2.0: tail calls (`return_call`, `return_call_indirect`), extended constant
/// expressions and wide arithmetic (`i64.add128`, `i64.sub128`, `i64.mul_wide_s/u`). Proposals
/// fayasm does not implement (GC, exceptions, typed function references, threads, ...) stay
/// off, so a module using them fails validation with wasmparser's message naming the feature.
///
/// Memory proposals: memory64 (64-bit memories and 64-bit tables), multi-memory and
/// custom-page-sizes (1-byte pages).
pub fn features() -> WasmFeatures {
    features_with(MemoryProposals::default())
}

/// [`features`] with the memory proposals as `memory` says.
pub fn features_with(memory: MemoryProposals) -> WasmFeatures {
    let mut f = WasmFeatures::WASM2
        .union(WasmFeatures::SIMD)
        .union(WasmFeatures::RELAXED_SIMD)
        .union(WasmFeatures::TAIL_CALL)
        .union(WasmFeatures::EXTENDED_CONST)
        .union(WasmFeatures::WIDE_ARITHMETIC);
    f.set(WasmFeatures::MEMORY64, memory.memory64);
    f.set(WasmFeatures::MULTI_MEMORY, memory.multi_memory);
    f.set(WasmFeatures::CUSTOM_PAGE_SIZES, memory.custom_page_sizes);
    f
}

/// Which memory proposals a module may use; all three by default. Turning one off makes
/// validation reject what it adds (a second memory, an `i64` memory, a page size), as the
/// proposal suites written before the others expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryProposals {
    /// memory64: 64-bit memories.
    pub memory64: bool,
    /// multi-memory: more than one memory, memory indices in memory instructions.
    pub multi_memory: bool,
    /// custom-page-sizes: memories of 1-byte pages.
    pub custom_page_sizes: bool,
}

impl Default for MemoryProposals {
    fn default() -> Self {
        MemoryProposals { memory64: true, multi_memory: true, custom_page_sizes: true }
    }
}

/// A validator configured with [`features`].
pub fn validator() -> Validator {
    Validator::new_with_features(features())
}

/// Shorthand for the result type of this module.
type Result<T, E = DecodeError> = core::result::Result<T, E>;

/// A wasmparser offset as fayasm's (wasmparser 0.228 already reports `usize` offsets).
fn offset(offset: usize) -> Result<usize> {
    Ok(offset)
}

/// A wasmparser range as fayasm's.
fn range(r: Range<usize>) -> Result<Range<usize>> {
    Ok(offset(r.start)?..offset(r.end)?)
}

/// An error at wasmparser offset `at`.
#[cold]
fn error(at: usize, message: impl Into<String>) -> DecodeError {
    DecodeError::new(at, message)
}

/// Converts a wasmparser reference type into fayasm's (only `funcref` and `externref`).
fn ref_type(ty: wasmparser::RefType, at: usize) -> Result<RefType> {
    if ty == wasmparser::RefType::FUNCREF {
        Ok(RefType::Func)
    } else if ty == wasmparser::RefType::EXTERNREF {
        Ok(RefType::Extern)
    } else {
        Err(error(at, format!("unsupported reference type {ty}")))
    }
}

/// Converts a wasmparser value type into fayasm's.
fn val_type(ty: wasmparser::ValType, at: usize) -> Result<ValType> {
    Ok(match ty {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::V128 => ValType::V128,
        wasmparser::ValType::Ref(r) => ref_type(r, at)?.into(),
    })
}

/// How many entries to reserve room for: the count a section declares, but never more than
/// its size in bytes (every entry takes at least one), so a forged count cannot make a huge
/// allocation.
fn entries<T>(reader: &SectionLimited<'_, T>) -> usize {
    let r = reader.range();
    (reader.count() as usize).min(r.end.saturating_sub(r.start))
}

/// Converts a list of value types (allocating exactly once: collecting a `Result` would grow
/// a vector and then shrink it into the box).
fn val_types(tys: &[wasmparser::ValType], at: usize) -> Result<Box<[ValType]>> {
    let mut out = Vec::with_capacity(tys.len());
    for &t in tys {
        out.push(val_type(t, at)?);
    }
    Ok(out.into_boxed_slice())
}

/// Converts a table type (unshared tables: 32- or 64-bit).
fn table_type(ty: wasmparser::TableType, at: usize) -> Result<TableType> {
    if ty.shared {
        return Err(error(at, "shared tables are not supported"));
    }
    let base = if ty.table64 { TableType::new64 } else { TableType::new };
    Ok(base(ref_type(ty.element_type, at)?, ty.initial, ty.maximum))
}

/// Converts a memory type (unshared memories: 32- or 64-bit, pages of 64 KiB or 1 byte).
fn memory_type(ty: wasmparser::MemoryType, at: usize) -> Result<MemoryType> {
    if ty.shared {
        return Err(error(at, "shared memories (threads) are not supported"));
    }
    let log2 = match ty.page_size_log2 {
        None => MemoryType::DEFAULT_PAGE_SIZE_LOG2,
        // The validator accepts only these two (custom-page-sizes).
        Some(l @ (0 | 16)) => l as u8,
        Some(l) => return Err(error(at, format!("unsupported page size 2^{l}"))),
    };
    let base = if ty.memory64 { MemoryType::new64 } else { MemoryType::new };
    Ok(base(ty.initial, ty.maximum).with_page_size_log2(log2))
}

/// Converts a global type (unshared globals only).
fn global_type(ty: wasmparser::GlobalType, at: usize) -> Result<GlobalType> {
    if ty.shared {
        return Err(error(at, "shared globals are not supported"));
    }
    Ok(GlobalType { content: val_type(ty.content_type, at)?, mutable: ty.mutable })
}

/// Converts a heap type used by `ref.null`.
fn null_type(hty: HeapType, at: usize) -> Result<RefType> {
    match hty {
        HeapType::FUNC => Ok(RefType::Func),
        HeapType::EXTERN => Ok(RefType::Extern),
        _ => Err(error(at, format!("unsupported heap type {hty:?} in ref.null"))),
    }
}

/// Converts a constant expression into its instructions, without the final `end`.
fn const_expr(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr> {
    let mut reader = expr.get_operators_reader();
    // Most expressions are one instruction: room for exactly that, so boxing does not shrink.
    let mut ops = Vec::with_capacity(1);
    loop {
        let (op, at) = reader.read_with_offset()?;
        ops.push(match op {
            Operator::End => break,
            Operator::I32Const { value } => ConstOp::I32Const(value),
            Operator::I64Const { value } => ConstOp::I64Const(value),
            Operator::F32Const { value } => ConstOp::F32Const(F32::from_bits(value.bits())),
            Operator::F64Const { value } => ConstOp::F64Const(F64::from_bits(value.bits())),
            Operator::RefNull { hty } => ConstOp::RefNull(null_type(hty, at)?),
            Operator::RefFunc { function_index } => ConstOp::RefFunc(function_index),
            Operator::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            Operator::V128Const { value } => ConstOp::V128Const(value.i128() as u128),
            Operator::I32Add => ConstOp::I32Add,
            Operator::I32Sub => ConstOp::I32Sub,
            Operator::I32Mul => ConstOp::I32Mul,
            Operator::I64Add => ConstOp::I64Add,
            Operator::I64Sub => ConstOp::I64Sub,
            Operator::I64Mul => ConstOp::I64Mul,
            other => {
                return Err(error(
                    at,
                    format!("unsupported instruction in constant expression: {other:?}"),
                ));
            }
        });
    }
    if !reader.eof() {
        return Err(error(
            reader.original_position(),
            "unexpected data after the end of a constant expression",
        ));
    }
    Ok(ConstExpr(ops.into_boxed_slice()))
}

/// Reads the local declarations and the operator range of a function body.
fn func_body(body: &FunctionBody<'_>) -> Result<FuncBody> {
    let mut locals_reader = body.get_locals_reader()?;
    let count = locals_reader.get_count();
    let mut locals = Locals::default();
    for _ in 0..count {
        let at = locals_reader.original_position();
        let (n, ty) = locals_reader.read()?;
        locals.push((n, val_type(ty, at)?));
    }
    let code_start = locals_reader.original_position();
    let whole = body.range();
    let code = range(code_start..whole.end)?;
    Ok(FuncBody { locals, range: range(whole)?, code })
}

/// Appends `text` to the module's names.
fn add_name(info: &mut ModuleInfo, text: &str, at: usize) -> Result<crate::Name> {
    info.add_name(text).ok_or_else(|| error(at, "the module's names exceed 4 GiB"))
}

/// Adds the function names of a `name` custom section of `size` bytes, ignoring the section if
/// it is malformed.
fn read_names(reader: wasmparser::NameSectionReader<'_>, size: usize, info: &mut ModuleInfo) {
    let (funcs_before, names_before) = (info.func_names.len(), info.names.len());
    let undo = |info: &mut ModuleInfo| {
        info.func_names.truncate(funcs_before);
        info.names.truncate(names_before);
    };
    info.names.reserve(size);
    for sub in reader {
        let Ok(sub) = sub else { return undo(info) };
        if let Name::Function(map) = sub {
            // The declared count, bounded: a naming takes at least two bytes.
            info.func_names.reserve((map.count() as usize).min(size / 2));
            for naming in map {
                let Ok(naming) = naming else { return undo(info) };
                let Some(name) = info.add_name(naming.name) else { return undo(info) };
                info.func_names.push((naming.index, name));
            }
        }
    }
}

/// Parses and validates `bytes`.
///
/// Everything the validator (configured with [`features`]) rejects is rejected, with the byte
/// offset and message wasmparser reports. Never panics, whatever the input.
pub fn parse(bytes: &[u8]) -> Result<ModuleInfo> {
    parse_with(bytes, MemoryProposals::default())
}

/// [`parse`] accepting the memory proposals as `memory` says.
pub fn parse_with(bytes: &[u8], memory: MemoryProposals) -> Result<ModuleInfo> {
    let mut parser = Parser::new(0);
    parser.set_features(features_with(memory));
    let mut validator = Validator::new_with_features(features_with(memory));
    let mut info = ModuleInfo::default();
    // Room for the section names (imports, exports and the name section reserve their own).
    info.names.reserve(128);
    let mut pending: Vec<(FuncToValidate<ValidatorResources>, FunctionBody<'_>)> = Vec::new();
    let mut done = false;

    for payload in parser.parse_all(bytes) {
        let payload = payload?;
        if let Payload::CodeSectionStart { count, size, .. } = payload {
            // Every body takes at least one byte of the section, and of the module (the section
            // size is not checked against the input yet): a forged count cannot reserve much.
            pending.reserve((count.min(size) as usize).min(bytes.len()));
        }
        match validator.payload(&payload)? {
            ValidPayload::Ok => {}
            ValidPayload::Func(func, body) => pending.push((func, body)),
            ValidPayload::End(_) => done = true,
            ValidPayload::Parser(_) => {
                return Err(DecodeError::new(0, "components are not supported"));
            }
        }
        read_payload(payload, &mut info)?;
        if done {
            break;
        }
    }
    if !done {
        return Err(DecodeError::new(bytes.len(), "unexpected end of module"));
    }

    let mut allocs = FuncValidatorAllocations::default();
    info.bodies.reserve_exact(pending.len());
    for (func, body) in pending {
        let mut func = func.into_validator(allocs);
        func.validate(&body)?;
        allocs = func.into_allocations();
        info.bodies.push(func_body(&body)?);
    }

    info.func_names.sort_by_key(|(i, _)| *i);
    info.func_names.dedup_by_key(|(i, _)| *i);
    Ok(info)
}

/// Records a section's name and content range.
fn section(info: &mut ModuleInfo, name: &str, r: Range<usize>) -> Result<crate::Name> {
    let at = r.start;
    let range = range(r)?;
    let name = add_name(info, name, at)?;
    info.sections.push(SectionInfo { name, range });
    Ok(name)
}

/// Reserves room in the module's names for the names of a section: less than its size.
fn reserve_names(info: &mut ModuleInfo, r: Range<usize>) {
    info.names.reserve(r.end.saturating_sub(r.start));
}

/// Converts one (already validated) payload into `info`.
fn read_payload(payload: Payload<'_>, info: &mut ModuleInfo) -> Result<()> {
    match payload {
        Payload::Version { .. } | Payload::End(_) => {}
        Payload::TypeSection(reader) => {
            section(info, "type", reader.range())?;
            info.types.reserve(entries(&reader));
            for group in reader.into_iter_with_offsets() {
                let (at, group) = group?;
                for sub in group.types() {
                    let ty = &sub.composite_type;
                    match &ty.inner {
                        CompositeInnerType::Func(f) if !ty.shared => info.types.push(FuncType {
                            params: val_types(f.params(), at)?,
                            results: val_types(f.results(), at)?,
                        }),
                        _ => return Err(error(at, "only function types are supported")),
                    }
                }
            }
        }
        Payload::ImportSection(reader) => {
            section(info, "import", reader.range())?;
            reserve_names(info, reader.range());
            info.imports.reserve(entries(&reader));
            for import in reader.into_iter_with_offsets() {
                let (at, import) = import?;
                let ty = match import.ty {
                    TypeRef::Func(ty) => {
                        info.funcs.push(ty);
                        info.num_imported_funcs += 1;
                        ImportType::Func(ty)
                    }
                    TypeRef::Table(ty) => {
                        let ty = table_type(ty, at)?;
                        info.tables.push(ty);
                        info.num_imported_tables += 1;
                        ImportType::Table(ty)
                    }
                    TypeRef::Memory(ty) => {
                        let ty = memory_type(ty, at)?;
                        info.memories.push(ty);
                        info.num_imported_memories += 1;
                        ImportType::Memory(ty)
                    }
                    TypeRef::Global(ty) => {
                        let ty = global_type(ty, at)?;
                        info.globals.push(ty);
                        info.num_imported_globals += 1;
                        ImportType::Global(ty)
                    }
                    TypeRef::Tag(_) => {
                        return Err(error(at, "unsupported import kind"));
                    }
                };
                let module = add_name(info, import.module, at)?;
                let name = add_name(info, import.name, at)?;
                info.imports.push(Import { module, name, ty });
            }
        }
        Payload::FunctionSection(reader) => {
            section(info, "function", reader.range())?;
            info.funcs.reserve(entries(&reader));
            for ty in reader {
                info.funcs.push(ty?);
            }
        }
        Payload::TableSection(reader) => {
            section(info, "table", reader.range())?;
            info.tables.reserve(entries(&reader));
            info.table_inits.reserve(entries(&reader));
            for table in reader.into_iter_with_offsets() {
                let (at, table) = table?;
                info.tables.push(table_type(table.ty, at)?);
                info.table_inits.push(match &table.init {
                    TableInit::RefNull => None,
                    TableInit::Expr(expr) => Some(const_expr(expr)?),
                });
            }
        }
        Payload::MemorySection(reader) => {
            section(info, "memory", reader.range())?;
            info.memories.reserve(entries(&reader));
            for memory in reader.into_iter_with_offsets() {
                let (at, memory) = memory?;
                info.memories.push(memory_type(memory, at)?);
            }
        }
        Payload::GlobalSection(reader) => {
            section(info, "global", reader.range())?;
            info.globals.reserve(entries(&reader));
            info.global_inits.reserve(entries(&reader));
            for global in reader.into_iter_with_offsets() {
                let (at, global) = global?;
                info.globals.push(global_type(global.ty, at)?);
                info.global_inits.push(const_expr(&global.init_expr)?);
            }
        }
        Payload::ExportSection(reader) => {
            section(info, "export", reader.range())?;
            reserve_names(info, reader.range());
            info.exports.reserve(entries(&reader));
            for export in reader.into_iter_with_offsets() {
                let (at, export) = export?;
                let kind = match export.kind {
                    ExternalKind::Func => ExternKind::Func,
                    ExternalKind::Table => ExternKind::Table,
                    ExternalKind::Memory => ExternKind::Memory,
                    ExternalKind::Global => ExternKind::Global,
                    ExternalKind::Tag => {
                        return Err(error(at, "unsupported export kind"));
                    }
                };
                let name = add_name(info, export.name, at)?;
                info.exports.push(Export { name, kind, index: export.index });
            }
        }
        Payload::StartSection { func, range } => {
            section(info, "start", range)?;
            info.start = Some(func);
        }
        Payload::ElementSection(reader) => {
            section(info, "element", reader.range())?;
            info.elements.reserve(entries(&reader));
            for element in reader {
                info.elements.push(element_segment(element?)?);
            }
        }
        Payload::DataCountSection { count, range } => {
            section(info, "datacount", range)?;
            info.data_count = Some(count);
        }
        Payload::DataSection(reader) => {
            section(info, "data", reader.range())?;
            info.datas.reserve(entries(&reader));
            for data in reader {
                let data = data?;
                let mode = match &data.kind {
                    DataKind::Passive => DataMode::Passive,
                    DataKind::Active { memory_index, offset_expr } => {
                        DataMode::Active { memory: *memory_index, offset: const_expr(offset_expr)? }
                    }
                };
                let end = offset(data.range.end)?;
                let start = end
                    .checked_sub(data.data.len())
                    .ok_or_else(|| error(data.range.start, "data segment bytes out of range"))?;
                info.datas.push(DataSegment { mode, data: start..end });
            }
        }
        Payload::CodeSectionStart { range, .. } => {
            section(info, "code", range)?;
        }
        // Bodies are converted once validated, in `parse`.
        Payload::CodeSectionEntry(_) => {}
        Payload::CustomSection(reader) => {
            let name = section(info, reader.name(), reader.range())?;
            info.custom_sections.push((name, reader.data().len()));
            if let KnownCustom::Name(names) = reader.as_known() {
                read_names(names, reader.data().len(), info);
            }
        }
        Payload::TagSection(reader) => {
            return Err(error(reader.range().start, "exception tags are not supported"));
        }
        Payload::UnknownSection { id, range, .. } => {
            return Err(error(range.start, format!("malformed section id: {id}")));
        }
        #[allow(
            unreachable_patterns,
            reason = "component payloads exist only with the component-model feature"
        )]
        _ => return Err(DecodeError::new(0, "components are not supported")),
    }
    Ok(())
}

/// Converts an element segment.
fn element_segment(element: wasmparser::Element<'_>) -> Result<ElementSegment> {
    let at = element.range.start;
    let mode = match &element.kind {
        ElementKind::Passive => ElementMode::Passive,
        ElementKind::Declared => ElementMode::Declared,
        ElementKind::Active { table_index, offset_expr } => ElementMode::Active {
            table: table_index.unwrap_or(0),
            offset: const_expr(offset_expr)?,
        },
    };
    let (ty, items) = match element.items {
        ElementItems::Functions(funcs) => {
            let mut items = Vec::with_capacity(entries(&funcs));
            for func in funcs {
                items.push(ConstExpr(Box::new([ConstOp::RefFunc(func?)])));
            }
            (RefType::Func, items)
        }
        ElementItems::Expressions(ty, exprs) => {
            let ty = ref_type(ty, at)?;
            let mut items = Vec::with_capacity(entries(&exprs));
            for expr in exprs {
                items.push(const_expr(&expr?)?);
            }
            (ty, items)
        }
    };
    Ok(ElementSegment { ty, mode, items: items.into_boxed_slice() })
}
