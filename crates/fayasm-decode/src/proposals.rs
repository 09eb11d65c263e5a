//! Which WebAssembly proposals (features beyond 1.0) a module uses, detected from its sections
//! and operators: what `fayasm inspect` reports.
//!
//! [`detect`] walks the module once more, without validating (run it on a module
//! [`crate::parse`] accepted, or accept that a malformed module gives an error or a partial
//! answer); loading a module never pays for it. Detection is syntactic and cheap: an operator
//! introduced by a proposal, a type only a proposal allows (`v128`, `externref`, several results),
//! a limit flag (64-bit, custom page size), a second memory or table, a mutable global crossing
//! the module boundary, a passive segment, arithmetic in a constant expression.

use alloc::vec::Vec;
use wasmparser::{
    BlockType, CompositeInnerType, ConstExpr, DataKind, ElementItems, ElementKind, ExternalKind,
    MemArg, Operator, Parser, Payload, TypeRef, ValType,
};

use crate::DecodeError;

macro_rules! proposals {
    ($($variant:ident = $name:literal, $doc:literal;)*) => {
        /// A WebAssembly proposal a module may use (each was merged into WebAssembly 2.0 or 3.0,
        /// or is still a proposal).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum Proposal {
            $(#[doc = $doc] $variant,)*
        }

        impl Proposal {
            /// Every proposal, in the order [`Proposals::iter`] reports them.
            pub const ALL: &'static [Proposal] = &[$(Proposal::$variant,)*];

            /// The proposal's name, as its repository and the spec test directories spell it.
            pub const fn name(self) -> &'static str {
                match self { $(Proposal::$variant => $name,)* }
            }
        }
    };
}

proposals! {
    MutableGlobal = "mutable-global", "Importing or exporting a mutable global.";
    SignExtension = "sign-extension-ops", "`i32.extend8_s` and the other sign-extension operators.";
    NonTrappingFloatToInt = "nontrapping-float-to-int-conversions", "`i32.trunc_sat_f32_s` and the other saturating conversions.";
    MultiValue = "multi-value", "Functions or blocks with several results, or blocks with parameters.";
    BulkMemory = "bulk-memory", "`memory.copy`, `memory.fill`, passive segments, `data.drop`, ...";
    ReferenceTypes = "reference-types", "`externref`, reference values, several tables, table instructions.";
    Simd = "simd", "The `v128` type and its operators.";
    RelaxedSimd = "relaxed-simd", "The relaxed SIMD operators.";
    TailCall = "tail-call", "`return_call` and `return_call_indirect`.";
    ExtendedConst = "extended-const", "`i32/i64.add/sub/mul` in constant expressions.";
    WideArithmetic = "wide-arithmetic", "`i64.add128`, `i64.sub128`, `i64.mul_wide_s/u`.";
    Memory64 = "memory64", "64-bit memories or tables.";
    MultiMemory = "multi-memory", "More than one memory.";
    CustomPageSizes = "custom-page-sizes", "Memories with a page size other than 64 KiB.";
    Other = "other", "Operators of a proposal fayasm does not track (GC, exceptions, threads, ...).";
}

/// A set of [`Proposal`]s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Proposals(u32);

impl Proposals {
    /// Adds `p`.
    pub fn insert(&mut self, p: Proposal) {
        self.0 |= 1 << p as u32;
    }

    /// Whether `p` is in the set.
    pub fn contains(self, p: Proposal) -> bool {
        self.0 & (1 << p as u32) != 0
    }

    /// Whether the set is empty (the module is plain WebAssembly 1.0).
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The proposals in the set, in [`Proposal::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Proposal> {
        Proposal::ALL.iter().copied().filter(move |&p| self.contains(p))
    }
}

/// What the walk has seen so far.
#[derive(Default)]
struct Seen {
    found: Proposals,
    memories: u32,
    tables: u32,
    /// Mutability of every global (imported first), for exports.
    global_mutable: Vec<bool>,
}

impl Seen {
    fn val_type(&mut self, t: ValType) {
        match t {
            ValType::V128 => self.found.insert(Proposal::Simd),
            ValType::Ref(r) if r != wasmparser::RefType::FUNCREF => {
                self.found.insert(Proposal::ReferenceTypes);
            }
            _ => {}
        }
    }

    fn memory(&mut self, m: &wasmparser::MemoryType) {
        self.memories += 1;
        if self.memories > 1 {
            self.found.insert(Proposal::MultiMemory);
        }
        if m.memory64 {
            self.found.insert(Proposal::Memory64);
        }
        if m.page_size_log2.is_some() {
            self.found.insert(Proposal::CustomPageSizes);
        }
    }

    fn table(&mut self, t: &wasmparser::TableType) {
        self.tables += 1;
        if self.tables > 1 || t.element_type != wasmparser::RefType::FUNCREF {
            self.found.insert(Proposal::ReferenceTypes);
        }
        if t.table64 {
            self.found.insert(Proposal::Memory64);
        }
    }

    fn memory_index(&mut self, index: u32) {
        if index != 0 {
            self.found.insert(Proposal::MultiMemory);
        }
    }

    fn const_expr(&mut self, expr: &ConstExpr<'_>) -> Result<(), DecodeError> {
        let mut reader = expr.get_operators_reader();
        while !reader.eof() {
            let op = reader.read()?;
            match op {
                Operator::I32Add
                | Operator::I32Sub
                | Operator::I32Mul
                | Operator::I64Add
                | Operator::I64Sub
                | Operator::I64Mul => self.found.insert(Proposal::ExtendedConst),
                other => self.operator(&other),
            }
        }
        Ok(())
    }

    /// Notes the proposal an operator belongs to and what its immediates reveal.
    fn operator(&mut self, op: &Operator<'_>) {
        macro_rules! by_proposal {
            ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
                #[allow(unreachable_patterns, reason = "some operators repeat under several proposals")]
                match op {
                    $(
                        Operator::$op $({ $($arg),* })? => {
                            $($(by_proposal!(@arg self $arg $arg);)*)?
                            by_proposal!(@proposal self $proposal);
                        }
                    )*
                    _ => self.found.insert(Proposal::Other),
                }
            };
            (@arg $s:ident memarg $v:ident) => { $s.memarg($v) };
            (@arg $s:ident blockty $v:ident) => { $s.block_type($v) };
            (@arg $s:ident mem $v:ident) => { $s.memory_index(*$v) };
            (@arg $s:ident dst_mem $v:ident) => { $s.memory_index(*$v) };
            (@arg $s:ident src_mem $v:ident) => { $s.memory_index(*$v) };
            (@arg $s:ident $name:ident $v:ident) => { let _ = $v; };
            (@proposal $s:ident mvp) => {};
            (@proposal $s:ident sign_extension) => { $s.found.insert(Proposal::SignExtension) };
            (@proposal $s:ident saturating_float_to_int) => { $s.found.insert(Proposal::NonTrappingFloatToInt) };
            (@proposal $s:ident bulk_memory) => { $s.found.insert(Proposal::BulkMemory) };
            (@proposal $s:ident reference_types) => { $s.found.insert(Proposal::ReferenceTypes) };
            (@proposal $s:ident tail_call) => { $s.found.insert(Proposal::TailCall) };
            (@proposal $s:ident simd) => { $s.found.insert(Proposal::Simd) };
            (@proposal $s:ident relaxed_simd) => { $s.found.insert(Proposal::RelaxedSimd) };
            (@proposal $s:ident wide_arithmetic) => { $s.found.insert(Proposal::WideArithmetic) };
            (@proposal $s:ident $other:ident) => { $s.found.insert(Proposal::Other) };
        }
        wasmparser::for_each_operator!(by_proposal)
    }

    fn memarg(&mut self, m: &MemArg) {
        self.memory_index(m.memory);
    }

    fn block_type(&mut self, b: &BlockType) {
        match *b {
            BlockType::Empty => {}
            BlockType::Type(t) => self.val_type(t),
            BlockType::FuncType(_) => self.found.insert(Proposal::MultiValue),
        }
    }
}

/// The proposals `bytes` (a module) uses. Errors only where the bytes do not parse.
pub fn detect(bytes: &[u8]) -> Result<Proposals, DecodeError> {
    let mut s = Seen::default();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group?.types() {
                        if let CompositeInnerType::Func(f) = &sub.composite_type.inner {
                            if f.results().len() > 1 {
                                s.found.insert(Proposal::MultiValue);
                            }
                            for &t in f.params().iter().chain(f.results()) {
                                s.val_type(t);
                            }
                        } else {
                            s.found.insert(Proposal::Other);
                        }
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader {
                    match import?.ty {
                        TypeRef::Memory(m) => s.memory(&m),
                        TypeRef::Table(t) => s.table(&t),
                        TypeRef::Global(g) => {
                            s.val_type(g.content_type);
                            s.global_mutable.push(g.mutable);
                            if g.mutable {
                                s.found.insert(Proposal::MutableGlobal);
                            }
                        }
                        TypeRef::Func(_) => {}
                        TypeRef::Tag(_) => s.found.insert(Proposal::Other),
                    }
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let table = table?;
                    s.table(&table.ty);
                    if let wasmparser::TableInit::Expr(e) = &table.init {
                        s.const_expr(e)?;
                    }
                }
            }
            Payload::MemorySection(reader) => {
                for m in reader {
                    s.memory(&m?);
                }
            }
            Payload::GlobalSection(reader) => {
                for g in reader {
                    let g = g?;
                    s.val_type(g.ty.content_type);
                    s.global_mutable.push(g.ty.mutable);
                    s.const_expr(&g.init_expr)?;
                }
            }
            Payload::ExportSection(reader) => {
                for e in reader {
                    let e = e?;
                    if e.kind == ExternalKind::Global
                        && s.global_mutable.get(e.index as usize).copied().unwrap_or(false)
                    {
                        s.found.insert(Proposal::MutableGlobal);
                    }
                }
            }
            Payload::ElementSection(reader) => {
                for e in reader {
                    let e = e?;
                    match &e.kind {
                        ElementKind::Passive => s.found.insert(Proposal::BulkMemory),
                        ElementKind::Declared => s.found.insert(Proposal::ReferenceTypes),
                        ElementKind::Active { table_index, offset_expr } => {
                            if table_index.is_some_and(|t| t != 0) {
                                s.found.insert(Proposal::ReferenceTypes);
                            }
                            s.const_expr(offset_expr)?;
                        }
                    }
                    if let ElementItems::Expressions(ty, exprs) = e.items {
                        s.val_type(ValType::Ref(ty));
                        for expr in exprs {
                            s.const_expr(&expr?)?;
                        }
                    }
                }
            }
            Payload::DataCountSection { .. } => s.found.insert(Proposal::BulkMemory),
            Payload::DataSection(reader) => {
                for d in reader {
                    match d?.kind {
                        DataKind::Passive => s.found.insert(Proposal::BulkMemory),
                        DataKind::Active { memory_index, offset_expr } => {
                            s.memory_index(memory_index);
                            s.const_expr(&offset_expr)?;
                        }
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                for local in body.get_locals_reader()? {
                    s.val_type(local?.1);
                }
                let mut ops = body.get_operators_reader()?;
                while !ops.eof() {
                    s.operator(&ops.read()?);
                }
            }
            Payload::TagSection(_) => s.found.insert(Proposal::Other),
            _ => {}
        }
    }
    Ok(s.found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(wat: &str) -> Vec<&'static str> {
        let bytes = wat::parse_str(wat).unwrap();
        detect(&bytes).unwrap().iter().map(Proposal::name).collect()
    }

    #[test]
    fn a_plain_module_uses_no_proposal() {
        assert!(
            found("(module (memory 1) (func (param i32) (result i32) local.get 0 i32.load))")
                .is_empty()
        );
    }

    #[test]
    fn each_proposal_is_detected() {
        let cases: &[(&str, &str)] = &[
            ("mutable-global", r#"(module (global (export "g") (mut i32) (i32.const 0)))"#),
            (
                "sign-extension-ops",
                "(module (func (param i32) (result i32) local.get 0 i32.extend8_s))",
            ),
            (
                "nontrapping-float-to-int-conversions",
                "(module (func (param f32) (result i32) local.get 0 i32.trunc_sat_f32_s))",
            ),
            ("multi-value", "(module (func (result i32 i32) i32.const 1 i32.const 2))"),
            (
                "bulk-memory",
                "(module (memory 1) (func (param i32) local.get 0 local.get 0 local.get 0 memory.copy))",
            ),
            ("bulk-memory", r#"(module (memory 1) (data "x"))"#),
            ("reference-types", "(module (func (param externref)))"),
            ("reference-types", "(module (table 1 funcref) (table 1 funcref))"),
            ("simd", "(module (func (param v128)))"),
            ("tail-call", "(module (func $f return_call $f))"),
            ("extended-const", "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))"),
            (
                "wide-arithmetic",
                "(module (func (param i64 i64) (result i64 i64) local.get 0 local.get 1 i64.mul_wide_u))",
            ),
            ("memory64", "(module (memory i64 1))"),
            ("multi-memory", "(module (memory 1) (memory 1))"),
            ("custom-page-sizes", "(module (memory 1 (pagesize 1)))"),
        ];
        for (name, wat) in cases {
            assert!(found(wat).contains(name), "{name} not found in {wat}: {:?}", found(wat));
        }
    }

    #[test]
    fn several_proposals_in_one_module_come_in_order() {
        let wat = r#"(module (memory 1) (data (i32.const 0) "x")
          (func $f (param i64) (result i64 i64) local.get 0 local.get 0 i64.mul_wide_s)
          (func (param i64) (result i64 i64) local.get 0 return_call $f))"#;
        assert_eq!(found(wat), ["multi-value", "tail-call", "wide-arithmetic"]);
    }
}
