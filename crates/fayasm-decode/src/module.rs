//! The plain structures a module decodes into.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;
use fayasm_core::{F32, F64, RefType, ValType};

/// A function signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FuncType {
    /// Parameter types.
    pub params: Box<[ValType]>,
    /// Result types.
    pub results: Box<[ValType]>,
}

impl FuncType {
    /// A new signature.
    pub fn new(params: impl Into<Box<[ValType]>>, results: impl Into<Box<[ValType]>>) -> Self {
        FuncType { params: params.into(), results: results.into() }
    }
    /// Total cells taken by the parameters.
    pub fn param_cells(&self) -> u32 {
        self.params.iter().map(|t| t.cells()).sum()
    }
    /// Total cells taken by the results.
    pub fn result_cells(&self) -> u32 {
        self.results.iter().map(|t| t.cells()).sum()
    }
}

/// A table type: element type, limits in elements and the index type (`i32`, or `i64` for a
/// 64-bit table of the memory64 proposal, "table64").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableType {
    /// Element type.
    pub element: RefType,
    /// Minimum number of elements.
    pub min: u64,
    /// Maximum number of elements.
    pub max: Option<u64>,
    /// Whether indices, sizes and lengths are `i64` (a 64-bit table) rather than `i32`.
    pub table64: bool,
}

impl TableType {
    /// A 32-bit table of `element`s.
    pub const fn new(element: RefType, min: u64, max: Option<u64>) -> Self {
        TableType { element, min, max, table64: false }
    }

    /// A 64-bit (memory64, "table64") table of `element`s.
    pub const fn new64(element: RefType, min: u64, max: Option<u64>) -> Self {
        TableType { element, min, max, table64: true }
    }

    /// The type of indices, sizes and lengths: `i64` for a 64-bit table, else `i32`.
    pub const fn index_type(&self) -> ValType {
        if self.table64 { ValType::I64 } else { ValType::I32 }
    }

    /// The most elements the index type allows (`2^32 - 1` or `2^64 - 1`); a runtime may
    /// allow fewer.
    pub const fn max_elems(&self) -> u64 {
        if self.table64 { u64::MAX } else { u32::MAX as u64 }
    }
}

/// A linear-memory type: limits in pages, the index type (`i32`, or `i64` with memory64) and
/// the page size (64 KiB, or 1 byte with custom-page-sizes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryType {
    /// Minimum number of pages.
    pub min: u64,
    /// Maximum number of pages.
    pub max: Option<u64>,
    /// Whether addresses are `i64` (memory64) rather than `i32`.
    pub memory64: bool,
    /// Log2 of the page size in bytes: 16 (64 KiB, the default) or 0 (1 byte).
    pub page_size_log2: u8,
}

impl MemoryType {
    /// The default page size's log2 (64 KiB pages).
    pub const DEFAULT_PAGE_SIZE_LOG2: u8 = 16;

    /// A 32-bit memory of 64 KiB pages.
    pub const fn new(min: u64, max: Option<u64>) -> Self {
        MemoryType { min, max, memory64: false, page_size_log2: Self::DEFAULT_PAGE_SIZE_LOG2 }
    }

    /// A 64-bit (memory64) memory of 64 KiB pages.
    pub const fn new64(min: u64, max: Option<u64>) -> Self {
        MemoryType { min, max, memory64: true, page_size_log2: Self::DEFAULT_PAGE_SIZE_LOG2 }
    }

    /// The same type with pages of `2^log2` bytes (custom-page-sizes: 0 or 16).
    pub const fn with_page_size_log2(self, log2: u8) -> Self {
        MemoryType { page_size_log2: log2, ..self }
    }

    /// The page size in bytes.
    pub const fn page_size(&self) -> u64 {
        1 << self.page_size_log2
    }

    /// The type of addresses, sizes and page counts: `i64` for memory64, else `i32`.
    pub const fn index_type(&self) -> ValType {
        if self.memory64 { ValType::I64 } else { ValType::I32 }
    }

    /// Whether this is the plain WebAssembly 2.0 memory type (32-bit, 64 KiB pages), the one
    /// the interpreter's memory-0 fast path serves.
    pub const fn is_plain(&self) -> bool {
        !self.memory64 && self.page_size_log2 == Self::DEFAULT_PAGE_SIZE_LOG2
    }

    /// The most pages the index type allows at this page size: the address space (2^32 or
    /// 2^64 bytes) in pages, for 1-byte pages one less (the largest page count the index
    /// type can hold).
    pub const fn max_pages(&self) -> u64 {
        let bits: u32 = if self.memory64 { 64 } else { 32 };
        let shift = bits - self.page_size_log2 as u32;
        if shift >= 64 {
            u64::MAX
        } else if shift == 32 && !self.memory64 {
            u32::MAX as u64
        } else {
            1 << shift
        }
    }
}

/// A global type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlobalType {
    /// The type of the value.
    pub content: ValType,
    /// Whether `global.set` may change it.
    pub mutable: bool,
}

/// One instruction of a constant expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConstOp {
    /// `i32.const`
    I32Const(i32),
    /// `i64.const`
    I64Const(i64),
    /// `f32.const`
    F32Const(F32),
    /// `f64.const`
    F64Const(F64),
    /// `v128.const`
    V128Const(u128),
    /// `ref.null`
    RefNull(RefType),
    /// `ref.func`
    RefFunc(u32),
    /// `global.get` of an (imported, or with extended-const any earlier) global
    GlobalGet(u32),
    /// `i32.add` (extended-const)
    I32Add,
    /// `i32.sub` (extended-const)
    I32Sub,
    /// `i32.mul` (extended-const)
    I32Mul,
    /// `i64.add` (extended-const)
    I64Add,
    /// `i64.sub` (extended-const)
    I64Sub,
    /// `i64.mul` (extended-const)
    I64Mul,
}

/// A constant expression, as its instructions without the final `end`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConstExpr(pub Box<[ConstOp]>);

/// What an import or export refers to, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExternKind {
    /// A function.
    Func,
    /// A table.
    Table,
    /// A memory.
    Memory,
    /// A global.
    Global,
}

/// The type of an imported entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportType {
    /// A function, by type index.
    Func(u32),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
}

/// A name of a module (import, export, function or section name), as a range of
/// [`ModuleInfo::names`]; read it with [`ModuleInfo::name`].
///
/// All names of a module share that one string, so decoding allocates once for them instead of
/// once per name (a module exports and names every function, and loading it should not pay an
/// allocation for each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Name {
    start: u32,
    end: u32,
}

/// An import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// Module name.
    pub module: Name,
    /// Field name.
    pub name: Name,
    /// What is imported.
    pub ty: ImportType,
}

/// An export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// Export name.
    pub name: Name,
    /// Kind of the exported entity.
    pub kind: ExternKind,
    /// Index in that kind's index space (imports first).
    pub index: u32,
}

/// A function's declared locals (not parameters), run-length encoded as in the binary:
/// `(count, type)` groups. Dereferences to a slice of the groups.
///
/// Up to [`Locals::INLINE`] groups, which covers most functions, are stored inline, so that
/// decoding a module does not allocate once per function body.
#[derive(Clone, Default)]
pub struct Locals(LocalsRepr);

#[derive(Clone)]
enum LocalsRepr {
    Inline { len: u8, groups: [(u32, ValType); Locals::INLINE] },
    Heap(Vec<(u32, ValType)>),
}

impl Default for LocalsRepr {
    fn default() -> Self {
        LocalsRepr::Inline { len: 0, groups: [(0, ValType::I32); Locals::INLINE] }
    }
}

impl Locals {
    /// How many groups are stored without an allocation.
    pub const INLINE: usize = 3;

    /// Appends a group.
    pub fn push(&mut self, group: (u32, ValType)) {
        match &mut self.0 {
            LocalsRepr::Inline { len, groups } => {
                if let Some(slot) = groups.get_mut(usize::from(*len)) {
                    *slot = group;
                    *len += 1;
                } else {
                    let mut heap = Vec::with_capacity(Self::INLINE * 2);
                    heap.extend_from_slice(groups);
                    heap.push(group);
                    self.0 = LocalsRepr::Heap(heap);
                }
            }
            LocalsRepr::Heap(heap) => heap.push(group),
        }
    }
}

impl core::ops::Deref for Locals {
    type Target = [(u32, ValType)];
    fn deref(&self) -> &Self::Target {
        match &self.0 {
            LocalsRepr::Inline { len, groups } => groups.get(..usize::from(*len)).unwrap_or(&[]),
            LocalsRepr::Heap(heap) => heap,
        }
    }
}

impl From<&[(u32, ValType)]> for Locals {
    fn from(groups: &[(u32, ValType)]) -> Self {
        let mut locals = Locals::default();
        for &g in groups {
            locals.push(g);
        }
        locals
    }
}

impl PartialEq for Locals {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Locals {}

impl core::fmt::Debug for Locals {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A defined function's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuncBody {
    /// Declared locals (not parameters), run-length encoded as in the binary.
    pub locals: Locals,
    /// Byte range of the whole body in the module bytes (including local declarations), as
    /// `wasmparser::FunctionBody::range()` gives it.
    pub range: Range<usize>,
    /// Byte range of the operators (after the local declarations, up to and including the final
    /// `end`).
    pub code: Range<usize>,
}

/// How an element segment is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElementMode {
    /// Copied by `table.init`.
    Passive,
    /// Copied into `table` at `offset` during instantiation.
    Active {
        /// Table index.
        table: u32,
        /// Offset expression.
        offset: ConstExpr,
    },
    /// Only declares functions for `ref.func`.
    Declared,
}

/// An element segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementSegment {
    /// Element type.
    pub ty: RefType,
    /// Mode.
    pub mode: ElementMode,
    /// Items, each a constant expression (function-index lists become `RefFunc` items).
    pub items: Box<[ConstExpr]>,
}

/// How a data segment is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataMode {
    /// Copied by `memory.init`.
    Passive,
    /// Copied into `memory` at `offset` during instantiation.
    Active {
        /// Memory index.
        memory: u32,
        /// Offset expression.
        offset: ConstExpr,
    },
}

/// A data segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSegment {
    /// Mode.
    pub mode: DataMode,
    /// Byte range of the segment's bytes in the module bytes.
    pub data: Range<usize>,
}

/// A validated module, as plain data. Index spaces put imports first, as in the binary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleInfo {
    /// The type section (function signatures).
    pub types: Vec<FuncType>,
    /// Imports, in order.
    pub imports: Vec<Import>,
    /// Type index of every function (imported first, then defined).
    pub funcs: Vec<u32>,
    /// How many of `funcs` are imported.
    pub num_imported_funcs: u32,
    /// Every table (imported first).
    pub tables: Vec<TableType>,
    /// How many of `tables` are imported.
    pub num_imported_tables: u32,
    /// Initial value expression of each *defined* table (`None`: null).
    pub table_inits: Vec<Option<ConstExpr>>,
    /// Every memory (imported first).
    pub memories: Vec<MemoryType>,
    /// How many of `memories` are imported.
    pub num_imported_memories: u32,
    /// Every global (imported first).
    pub globals: Vec<GlobalType>,
    /// How many of `globals` are imported.
    pub num_imported_globals: u32,
    /// Initialiser of each *defined* global.
    pub global_inits: Vec<ConstExpr>,
    /// Exports, in order.
    pub exports: Vec<Export>,
    /// The start function.
    pub start: Option<u32>,
    /// Element segments.
    pub elements: Vec<ElementSegment>,
    /// Data segments.
    pub datas: Vec<DataSegment>,
    /// The data-count section, if present.
    pub data_count: Option<u32>,
    /// Bodies of the *defined* functions.
    pub bodies: Vec<FuncBody>,
    /// Function names from the `name` custom section (function index, name), sorted by index.
    pub func_names: Vec<(u32, Name)>,
    /// Names and byte sizes of custom sections, in order.
    pub custom_sections: Vec<(Name, usize)>,
    /// Section id, name and byte range of every section, in order (for `fayasm inspect`).
    pub sections: Vec<SectionInfo>,
    /// The text of every [`Name`] above, one after the other.
    pub names: String,
}

/// Where a section sits in the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionInfo {
    /// Section name (`type`, `import`, `code`, ..., or the custom section's name).
    pub name: Name,
    /// Byte range of the section's contents.
    pub range: Range<usize>,
}

impl ModuleInfo {
    /// The signature of function `func` (any index space position).
    pub fn func_type(&self, func: u32) -> Option<&FuncType> {
        let ty = *self.funcs.get(func as usize)?;
        self.types.get(ty as usize)
    }

    /// The text of `name` (empty for a name of another module that lies past this one's).
    pub fn name(&self, name: Name) -> &str {
        self.names.get(name.start as usize..name.end as usize).unwrap_or("")
    }

    /// Appends `text` to [`ModuleInfo::names`] and returns its [`Name`]; `None` if the names
    /// would pass 4 GiB.
    pub fn add_name(&mut self, text: &str) -> Option<Name> {
        let start = u32::try_from(self.names.len()).ok()?;
        let end = start.checked_add(u32::try_from(text.len()).ok()?)?;
        self.names.push_str(text);
        Some(Name { start, end })
    }

    /// The name of function `func` from the name section, if any.
    pub fn func_name(&self, func: u32) -> Option<&str> {
        let i = self.func_names.binary_search_by_key(&func, |(i, _)| *i).ok()?;
        Some(self.name(self.func_names[i].1))
    }

    /// The export called `name`.
    pub fn export(&self, name: &str) -> Option<&Export> {
        self.exports.iter().find(|e| self.name(e.name) == name)
    }
}
