//! Lowering (being written).
use crate::FuncCode;
use fayasm_decode::ModuleInfo;
/// Why a function could not be lowered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowerError(pub alloc::string::String);
impl core::fmt::Display for LowerError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result { f.write_str(&self.0) }
}
/// Lowers defined function `def`.
pub fn lower_function(_info: &ModuleInfo, _bytes: &[u8], _def: u32) -> Result<FuncCode, LowerError> {
    Err(LowerError("not written".into()))
}
