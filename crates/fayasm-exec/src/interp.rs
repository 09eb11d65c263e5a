//! The interpreter (being written).
use crate::{Store, Trap};
use fayasm_core::{TrapCode, Value};
pub(crate) fn call<T>(_store: &mut Store<T>, _func: u32, _params: &[Value], _results: &mut [Value]) -> Result<(), Trap> {
    Err(Trap::new(TrapCode::Unreachable))
}
