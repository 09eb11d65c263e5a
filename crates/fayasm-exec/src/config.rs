//! Engine and configuration.

use alloc::sync::Arc;

/// When function bodies are lowered to microcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompilationMode {
    /// On a function's first call (the default): fast start, lowering cost paid only for code
    /// that runs.
    #[default]
    Lazy,
    /// Every function when the module is created ("prescan").
    Eager,
}

/// Engine settings. Builder methods take `&mut self` and return it for chaining.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub(crate) compilation_mode: CompilationMode,
    pub(crate) max_call_depth: u32,
    pub(crate) max_stack_cells: usize,
    pub(crate) memory_proposals: fayasm_decode::MemoryProposals,
    pub(crate) code_budget: Option<usize>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            compilation_mode: CompilationMode::Lazy,
            max_call_depth: 10_000,
            max_stack_cells: 1 << 20,
            memory_proposals: fayasm_decode::MemoryProposals::default(),
            code_budget: None,
        }
    }
}

impl Config {
    /// The default configuration.
    pub fn new() -> Self {
        Self::default()
    }
    /// Whether modules may use 64-bit memories (memory64; on by default).
    pub fn wasm_memory64(&mut self, enable: bool) -> &mut Self {
        self.memory_proposals.memory64 = enable;
        self
    }
    /// Whether modules may have several memories (multi-memory; on by default).
    pub fn wasm_multi_memory(&mut self, enable: bool) -> &mut Self {
        self.memory_proposals.multi_memory = enable;
        self
    }
    /// Whether modules may declare memories of 1-byte pages (custom-page-sizes; on by default).
    pub fn wasm_custom_page_sizes(&mut self, enable: bool) -> &mut Self {
        self.memory_proposals.custom_page_sizes = enable;
        self
    }
    /// Lazy or eager lowering.
    pub fn compilation_mode(&mut self, mode: CompilationMode) -> &mut Self {
        self.compilation_mode = mode;
        self
    }
    /// The deepest wasm call nesting before execution traps with "call stack exhausted".
    pub fn max_call_depth(&mut self, depth: u32) -> &mut Self {
        self.max_call_depth = depth;
        self
    }
    /// The most bytes of lowered code a store keeps resident per module (`None`, the default:
    /// no limit). Beyond it the code cache evicts cold functions, spilling them to the store's
    /// spill store if one is attached, and reloads or lowers them again on their next call;
    /// see [`crate::code_cache`]. A function that does not fit even alone still runs.
    pub fn code_budget(&mut self, bytes: Option<usize>) -> &mut Self {
        self.code_budget = bytes;
        self
    }
    /// The code budget in force (see [`Config::code_budget`]).
    pub fn get_code_budget(&self) -> Option<usize> {
        self.code_budget
    }
    /// The compilation mode in force.
    pub fn get_compilation_mode(&self) -> CompilationMode {
        self.compilation_mode
    }
    /// The most 64-bit cells the value stack may grow to (locals and operands of all frames).
    pub fn max_stack_cells(&mut self, cells: usize) -> &mut Self {
        self.max_stack_cells = cells;
        self
    }
}

/// Shared, immutable settings for modules and stores. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    config: Arc<Config>,
}

impl Engine {
    /// An engine with `config`.
    pub fn new(config: &Config) -> Self {
        Engine { config: Arc::new(config.clone()) }
    }
    /// The engine's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
}
