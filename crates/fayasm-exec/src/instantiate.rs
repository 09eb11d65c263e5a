//! Instantiation (being written).
use crate::{Error, Extern, Instance, Module, Store};
pub(crate) fn instantiate<T>(_store: &mut Store<T>, _module: &Module, _imports: &[Extern]) -> Result<Instance, Error> {
    Err(Error::link("instantiation not written yet"))
}
