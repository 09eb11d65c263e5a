//! Modules: decoded, validated, ready to instantiate.

use crate::code::ExecCode;
use crate::error::{Error, ErrorKind};
use crate::{CompilationMode, Engine};
use alloc::sync::Arc;
use alloc::vec::Vec;
use fayasm_decode::ModuleInfo;
use fayasm_ir::FuncCode;

#[derive(Debug)]
pub(crate) struct ModuleInner {
    pub(crate) engine: Engine,
    pub(crate) bytes: Arc<[u8]>,
    /// `fayasm_offload::envelope::module_hash` of `bytes`: the identity spilled code carries.
    pub(crate) hash: u64,
    pub(crate) info: ModuleInfo,
    /// Linked code of every defined function, in eager mode.
    pub(crate) eager: Option<Vec<Arc<ExecCode>>>,
}

/// A decoded and validated module. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Module(pub(crate) Arc<ModuleInner>);

impl Module {
    /// Decodes and validates `bytes`; in [`CompilationMode::Eager`] also lowers every function.
    pub fn new(engine: &Engine, bytes: &[u8]) -> Result<Module, Error> {
        let info = fayasm_decode::parse_with(bytes, engine.config().memory_proposals)?;
        let bytes: Arc<[u8]> = bytes.into();
        // Under a code budget, eager lowering happens per store, into its code cache, which
        // evicts and spills what does not fit (see `code_cache.rs`).
        let eager = match engine.config().compilation_mode {
            CompilationMode::Lazy => None,
            CompilationMode::Eager if engine.config().code_budget.is_some() => None,
            CompilationMode::Eager => Some(
                (0..info.bodies.len() as u32)
                    .map(|def| lower(&info, &bytes, def).and_then(ExecCode::link).map(Arc::new))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let hash = fayasm_offload::envelope::module_hash(&bytes);
        Ok(Module(Arc::new(ModuleInner { engine: engine.clone(), bytes, hash, info, eager })))
    }

    /// The decoded module.
    pub fn info(&self) -> &ModuleInfo {
        &self.0.info
    }

    /// The module's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0.bytes
    }

    /// The engine the module was created for.
    pub fn engine(&self) -> &Engine {
        &self.0.engine
    }

    /// Lowers function `func` (module index space, so imports come first) and returns its
    /// microcode; `None` for an imported function or an index past the end.
    pub fn lower_function(&self, func: u32) -> Option<Result<FuncCode, Error>> {
        let def = func.checked_sub(self.0.info.num_imported_funcs)?;
        if def as usize >= self.0.info.bodies.len() {
            return None;
        }
        Some(lower(&self.0.info, &self.0.bytes, def))
    }

    /// Defined function `def` lowered and linked now (what the code cache calls on a miss).
    pub(crate) fn lower_linked(&self, def: u32) -> Result<ExecCode, Error> {
        lower(&self.0.info, &self.0.bytes, def).and_then(ExecCode::link)
    }
}

fn lower(info: &ModuleInfo, bytes: &[u8], def: u32) -> Result<FuncCode, Error> {
    fayasm_ir::lower::lower_function(info, bytes, def)
        .map_err(|e| Error::from(ErrorKind::Lower(alloc::format!("{e}"))))
}
