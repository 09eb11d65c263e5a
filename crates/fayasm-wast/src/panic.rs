//! Catching panics of the runtime, one directive at a time.
//!
//! A panic inside fayasm is a bug, but one bug must not abort a whole suite run. Each directive
//! runs under [`catch`], which turns a panic into an error message carrying the panic's location.
//! To get that location without printing the usual panic report, the first use installs a panic
//! hook that records the report for threads currently inside [`catch`] and defers to the
//! previous hook everywhere else, so other code sees no change.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::string::String;
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`catch`].
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// The report of the last panic caught on this thread.
    static REPORT: RefCell<Option<String>> = const { RefCell::new(None) };
}

static INSTALL: Once = Once::new();

fn install_hook() {
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let catching = CATCHING.try_with(Cell::get).unwrap_or(false);
            if catching {
                let report = info.to_string().replace('\n', " ");
                let _ = REPORT.try_with(|r| *r.borrow_mut() = Some(report));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into `Err` with the panic's message and location.
pub(crate) fn catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    install_hook();
    let was_catching = CATCHING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(was_catching));
    result.map_err(|payload| {
        let report = REPORT.with(|r| r.borrow_mut().take());
        report.unwrap_or_else(|| format!("panicked: {}", payload_message(&*payload)))
    })
}

fn payload_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "<non-string panic payload>"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_with_its_location() {
        let err = catch(|| {
            let v: Vec<u8> = Vec::new();
            v[usize::from(v.is_empty())]
        })
        .unwrap_err();
        assert!(err.contains("index out of bounds"), "{err}");
        assert!(err.contains("panic.rs"), "{err}");
    }

    #[test]
    fn no_panic_passes_the_value_through() {
        assert_eq!(catch(|| 42), Ok(42));
        assert!(!CATCHING.with(Cell::get));
    }
}
