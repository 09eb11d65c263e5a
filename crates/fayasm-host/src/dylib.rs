//! Host functions loaded from shared libraries, through the C ABI of
//! `crates/fayasm-host/include/fayasm_host.h`.
//!
//! A library exports, per host function, an entry `SYMBOL` and its signature
//! `fayasm_sig_SYMBOL`; optionally a list of the imports it satisfies, `fayasm_imports`
//! (lines `module.name=SYMBOL`). [`Library::define`] binds one import to one symbol,
//! [`Library::define_all`] every import of that list; both check the signature when they bind,
//! against the module about to be instantiated if one is given, so a wrong signature is a
//! [`DylibError::WrongSignature`] at bind time, never undefined behaviour at call time.
//!
//! An entry gets the caller's arguments as 64-bit cells, writes its results the same way, and
//! returns a status; through its context it reads and writes the calling instance's memory 0
//! with bounds checks and sets the message of the trap it returns. A call allocates nothing
//! on the Rust side (unless it traps).
//!
//! The ABI in brief (the header is the reference):
//!
//! | symbol | C type | meaning |
//! | --- | --- | --- |
//! | `SYMBOL` | `int32_t (*)(const fayasm_ctx *, const uint64_t *args, uint64_t *results)` | the function; returns `FAYASM_OK` (0), `FAYASM_TRAP` (1) or another status (a trap naming it) |
//! | `fayasm_sig_SYMBOL` | `fayasm_signature` | `abi_version` (1), parameter and result counts (at most 16 each) and types (`FAYASM_I32` 0, `FAYASM_I64` 1, `FAYASM_F32` 2, `FAYASM_F64` 3) |
//! | `fayasm_imports` | `const char[]` | optional: lines `module.name=SYMBOL` for [`Library::define_all`] |
//!
//! `fayasm_ctx` carries `memory_size`, `memory_read`, `memory_write` (0 on success, non-zero
//! when out of bounds) and `trap` (sets the message), each taking `ctx->env` first. Cells hold
//! an i32 zero-extended, an f32's bits in the low half, an i64 or f64 as is.
//!
//! ```no_run
//! use fayasm_exec::{Engine, Linker, Module, Store};
//! use fayasm_host::dylib::Library;
//! let engine = Engine::default();
//! let module = Module::new(&engine, &std::fs::read("app.wasm")?)?;
//! let lib = Library::open("libhost.so")?;
//! let mut linker = Linker::<()>::new(&engine);
//! lib.define(&mut linker, "env", "host_add", "host_add", Some(&module))?;
//! let mut store = Store::new(&engine, ());
//! let instance = linker.instantiate(&mut store, &module)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Loading needs an operating system's dynamic loader, so it needs the `std` feature; without
//! it [`Library::open`] fails with [`DylibError::Unsupported`] and the crate still builds.
//! This module holds the crate's only unsafe code: calls into the loaded library, and the
//! callbacks the library calls back through.

use alloc::string::String;
use alloc::vec::Vec;
use fayasm_exec::{FuncType, ImportType, Linker, Module, ValType};

/// The ABI version of `fayasm_host.h` this crate implements.
pub const ABI_VERSION: u32 = 1;
/// The most parameters or results a library function may have.
pub const MAX_VALUES: usize = 16;

/// Why a library or one of its functions could not be bound.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DylibError {
    /// This build has no dynamic loader (no `std`).
    #[error("dynamic libraries are not supported in this build (it has no `std`)")]
    Unsupported,
    /// The library could not be loaded.
    #[error("cannot load library {path}: {reason}")]
    Open {
        /// The path given.
        path: String,
        /// The loader's explanation.
        reason: String,
    },
    /// A symbol the binding needs is not in the library.
    #[error("library {path} has no symbol {symbol}")]
    MissingSymbol {
        /// The library.
        path: String,
        /// The symbol looked for.
        symbol: String,
    },
    /// A signature descriptor or the import list is malformed.
    #[error("library {path}: {reason}")]
    BadDescriptor {
        /// The library.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The library's signature does not match the module's import.
    #[error(
        "wrong signature for {import}: the module imports func {want}, {symbol} in {path} is func {have}"
    )]
    WrongSignature {
        /// `module.name`.
        import: String,
        /// The library.
        path: String,
        /// The symbol.
        symbol: String,
        /// The import's type.
        want: String,
        /// The library's type.
        have: String,
    },
    /// The linker refused the definition (for example a duplicate name).
    #[error(transparent)]
    Link(#[from] fayasm_exec::Error),
}

/// One line of a library's `fayasm_imports`: import `module.name` is bound to `symbol`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportBinding {
    /// The import's module name.
    pub module: String,
    /// The import's field name.
    pub name: String,
    /// The library symbol of the entry.
    pub symbol: String,
}

/// Parses `module.name=symbol`, the form of `fayasm_imports` lines and of the CLI's
/// `--import-lib PATH:module.name=symbol`. The module name is everything before the first
/// `.`, so names may contain dots.
pub fn parse_binding(line: &str) -> Option<ImportBinding> {
    let (import, symbol) = line.trim().split_once('=')?;
    let (module, name) = import.split_once('.')?;
    let ok = |s: &str| !s.is_empty() && !s.contains('\0');
    (ok(module) && ok(name) && ok(symbol)).then(|| ImportBinding {
        module: module.into(),
        name: name.into(),
        symbol: symbol.trim().into(),
    })
}

#[cfg(feature = "std")]
fn val_type(code: u8) -> Option<ValType> {
    Some(match code {
        0 => ValType::I32,
        1 => ValType::I64,
        2 => ValType::F32,
        3 => ValType::F64,
        _ => return None,
    })
}

/// `(i32, i64) -> i32`.
fn describe(t: &FuncType) -> String {
    let list = |tys: &[ValType]| {
        let v: Vec<String> = tys.iter().map(|t| alloc::format!("{t}")).collect();
        v.join(", ")
    };
    match &*t.results {
        [] => alloc::format!("({}) -> ()", list(&t.params)),
        [one] => alloc::format!("({}) -> {one}", list(&t.params)),
        many => alloc::format!("({}) -> ({})", list(&t.params), list(many)),
    }
}

/// The type `module` imports `import_module.name` with, if it imports a function so named.
fn imported_func_type(module: &Module, import_module: &str, name: &str) -> Option<FuncType> {
    let info = module.info();
    info.imports.iter().find_map(|imp| match imp.ty {
        ImportType::Func(ti)
            if info.name(imp.module) == import_module && info.name(imp.name) == name =>
        {
            info.types.get(ti as usize).cloned()
        }
        _ => None,
    })
}

/// A loaded shared library of host functions.
pub struct Library {
    #[cfg(feature = "std")]
    imp: imp::Loaded,
    #[cfg(not(feature = "std"))]
    never: core::convert::Infallible,
}

impl core::fmt::Debug for Library {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Library").field("path", &self.path()).finish_non_exhaustive()
    }
}

impl Library {
    /// Loads the library at `path` (running its initialisers, as any dynamic load does).
    pub fn open(path: &str) -> Result<Library, DylibError> {
        #[cfg(feature = "std")]
        {
            imp::Loaded::open(path).map(|imp| Library { imp })
        }
        #[cfg(not(feature = "std"))]
        {
            let _ = path;
            Err(DylibError::Unsupported)
        }
    }

    /// The path the library was loaded from.
    pub fn path(&self) -> &str {
        #[cfg(feature = "std")]
        {
            &self.imp.path
        }
        #[cfg(not(feature = "std"))]
        match self.never {}
    }

    /// The signature the library declares for `symbol` (its `fayasm_sig_SYMBOL`).
    pub fn signature(&self, symbol: &str) -> Result<FuncType, DylibError> {
        #[cfg(feature = "std")]
        {
            self.imp.signature(symbol)
        }
        #[cfg(not(feature = "std"))]
        {
            let _ = symbol;
            match self.never {}
        }
    }

    /// The library's `fayasm_imports` list, parsed.
    pub fn imports(&self) -> Result<Vec<ImportBinding>, DylibError> {
        #[cfg(feature = "std")]
        {
            self.imp.imports()
        }
        #[cfg(not(feature = "std"))]
        match self.never {}
    }

    /// Defines `module.name` in `linker` as the library's `symbol`. With `expect`, the
    /// signature must equal the type `expect` imports `module.name` with (if it imports it).
    pub fn define<T: 'static>(
        &self,
        linker: &mut Linker<T>,
        module: &str,
        name: &str,
        symbol: &str,
        expect: Option<&Module>,
    ) -> Result<(), DylibError> {
        let ty = self.signature(symbol)?;
        if let Some(want) = expect.and_then(|m| imported_func_type(m, module, name))
            && want != ty
        {
            return Err(DylibError::WrongSignature {
                import: alloc::format!("{module}.{name}"),
                path: self.path().into(),
                symbol: symbol.into(),
                want: describe(&want),
                have: describe(&ty),
            });
        }
        #[cfg(feature = "std")]
        {
            self.imp.define(linker, module, name, symbol, ty)
        }
        #[cfg(not(feature = "std"))]
        {
            let _ = linker;
            match self.never {}
        }
    }

    /// Defines every import of the library's `fayasm_imports` list, checked like
    /// [`Library::define`]; with `expect`, only those `expect` imports (a library may offer
    /// more than one module needs). Returns how many were defined.
    pub fn define_all<T: 'static>(
        &self,
        linker: &mut Linker<T>,
        expect: Option<&Module>,
    ) -> Result<usize, DylibError> {
        let mut defined = 0;
        for b in self.imports()? {
            let wanted = expect.is_none_or(|m| {
                let info = m.info();
                info.imports
                    .iter()
                    .any(|imp| info.name(imp.module) == b.module && info.name(imp.name) == b.name)
            });
            if wanted {
                self.define(linker, &b.module, &b.name, &b.symbol, expect)?;
                defined += 1;
            }
        }
        Ok(defined)
    }
}

#[cfg(feature = "std")]
#[allow(unsafe_code, reason = "calls into a loaded library and the callbacks it calls back")]
mod imp {
    use super::{ABI_VERSION, DylibError, ImportBinding, MAX_VALUES, parse_binding, val_type};
    use alloc::string::{String, ToString};
    use alloc::sync::Arc;
    use alloc::vec::Vec;
    use core::ffi::{c_char, c_void};
    use fayasm_exec::{Caller, FuncType, HostCall, Linker, Trap, Value};

    /// `fayasm_signature` of the header.
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Signature {
        abi_version: u32,
        param_count: u32,
        result_count: u32,
        params: [u8; MAX_VALUES],
        results: [u8; MAX_VALUES],
    }

    /// `fayasm_ctx` of the header.
    #[repr(C)]
    struct Ctx {
        abi_version: u32,
        env: *mut c_void,
        memory_size: extern "C" fn(*mut c_void) -> u64,
        memory_read: extern "C" fn(*mut c_void, u64, *mut c_void, u64) -> i32,
        memory_write: extern "C" fn(*mut c_void, u64, *const c_void, u64) -> i32,
        trap: extern "C" fn(*mut c_void, *const c_char, u64),
    }

    /// `fayasm_entry` of the header.
    type Entry = unsafe extern "C" fn(*const Ctx, *const u64, *mut u64) -> i32;

    /// What the callbacks reach through `Ctx::env` during one call.
    struct CallEnv<'a, 'b, T> {
        caller: &'a mut Caller<'b, T>,
        trap: Option<String>,
    }

    pub(super) struct Loaded {
        pub(super) path: String,
        lib: Arc<libloading::Library>,
    }

    impl Loaded {
        pub(super) fn open(path: &str) -> Result<Loaded, DylibError> {
            // SAFETY: loading runs the library's initialisers; the embedder chose to trust
            // the library at `path` (documented on `Library::open`).
            let lib = unsafe { libloading::Library::new(path) }
                .map_err(|e| DylibError::Open { path: path.into(), reason: e.to_string() })?;
            Ok(Loaded { path: path.into(), lib: Arc::new(lib) })
        }

        fn missing(&self, symbol: &str) -> DylibError {
            DylibError::MissingSymbol { path: self.path.clone(), symbol: symbol.into() }
        }

        fn bad(&self, reason: String) -> DylibError {
            DylibError::BadDescriptor { path: self.path.clone(), reason }
        }

        pub(super) fn signature(&self, symbol: &str) -> Result<FuncType, DylibError> {
            let sig_name = alloc::format!("fayasm_sig_{symbol}");
            // SAFETY: the header says `fayasm_sig_SYMBOL` is a `fayasm_signature` object,
            // which `Signature` mirrors; asking for `*const Signature` gives its address
            // (libloading's documented way to reach a data symbol).
            let sym = unsafe { self.lib.get::<*const Signature>(sig_name.as_bytes()) }
                .map_err(|_| self.missing(&sig_name))?;
            let ptr: *const Signature = *sym;
            if ptr.is_null() {
                return Err(self.missing(&sig_name));
            }
            // SAFETY: non-null, pointing at a `fayasm_signature` (above); it is plain data
            // of fixed size, read once by value; `read_unaligned` makes no alignment demand.
            let sig = unsafe { ptr.read_unaligned() };
            if sig.abi_version != ABI_VERSION {
                return Err(self.bad(alloc::format!(
                    "{sig_name} has ABI version {}, this fayasm speaks {ABI_VERSION}",
                    sig.abi_version
                )));
            }
            let (np, nr) = (sig.param_count as usize, sig.result_count as usize);
            if np > MAX_VALUES || nr > MAX_VALUES {
                return Err(self.bad(alloc::format!(
                    "{sig_name} has {np} parameters and {nr} results; at most {MAX_VALUES} each"
                )));
            }
            let types = |codes: &[u8]| -> Result<Vec<_>, DylibError> {
                codes
                    .iter()
                    .map(|&c| {
                        val_type(c).ok_or_else(|| {
                            self.bad(alloc::format!("{sig_name} has unknown value type {c}"))
                        })
                    })
                    .collect()
            };
            Ok(FuncType::new(types(&sig.params[..np])?, types(&sig.results[..nr])?))
        }

        pub(super) fn imports(&self) -> Result<Vec<ImportBinding>, DylibError> {
            const NAME: &str = "fayasm_imports";
            // SAFETY: the header says `fayasm_imports` is a NUL-terminated char array;
            // asking for `*const c_char` gives the address of its first byte.
            let sym = unsafe { self.lib.get::<*const c_char>(NAME.as_bytes()) }
                .map_err(|_| self.missing(NAME))?;
            let ptr: *const c_char = *sym;
            if ptr.is_null() {
                return Err(self.missing(NAME));
            }
            // SAFETY: a NUL-terminated string that lives as long as the library, which
            // `self.lib` keeps loaded for this borrow.
            let text = unsafe { core::ffi::CStr::from_ptr(ptr) };
            let text =
                text.to_str().map_err(|_| self.bad(alloc::format!("{NAME} is not UTF-8")))?;
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    parse_binding(l).ok_or_else(|| {
                        self.bad(alloc::format!("{NAME} line {l:?} is not module.name=symbol"))
                    })
                })
                .collect()
        }

        pub(super) fn define<T: 'static>(
            &self,
            linker: &mut Linker<T>,
            module: &str,
            name: &str,
            symbol: &str,
            ty: FuncType,
        ) -> Result<(), DylibError> {
            // SAFETY: the header says `SYMBOL` is a `fayasm_entry`, the type `Entry` mirrors.
            // The pointer is only called while `lib` (kept in the closure) stays loaded.
            let entry: Entry = unsafe { self.lib.get::<Entry>(symbol.as_bytes()) }
                .map(|s| *s)
                .map_err(|_| self.missing(symbol))?;
            let lib = Arc::clone(&self.lib);
            let label: String = alloc::format!("{module}.{name}");
            linker.func_untyped(module, name, ty, move |caller, call| {
                let _keep_loaded = &lib;
                call_entry(entry, caller, call, &label)
            })?;
            Ok(())
        }
    }

    /// Calls `entry` with the arguments of `call`, writing its results back.
    fn call_entry<T>(
        entry: Entry,
        mut caller: Caller<'_, T>,
        mut call: HostCall<'_>,
        label: &str,
    ) -> Result<(), Trap> {
        let mut args = [0u64; MAX_VALUES];
        let mut results = [0u64; MAX_VALUES];
        for (i, a) in args.iter_mut().enumerate().take(call.params().len()) {
            *a = call.arg(i)?.to_cell();
        }
        let mut env = CallEnv { caller: &mut caller, trap: None };
        let ctx = Ctx {
            abi_version: ABI_VERSION,
            env: (&raw mut env).cast::<c_void>(),
            memory_size: memory_size::<T>,
            memory_read: memory_read::<T>,
            memory_write: memory_write::<T>,
            trap: set_trap::<T>,
        };
        // SAFETY: `entry` has the `fayasm_entry` type (checked by name and descriptor at bind
        // time); `args` and `results` hold MAX_VALUES cells, at least the signature's counts
        // (checked when the signature was read); `ctx` and `env` outlive the call, and the
        // header forbids the library to keep `ctx`.
        let status = unsafe { entry(&ctx, args.as_ptr(), results.as_mut_ptr()) };
        let trap = env.trap.take();
        match status {
            0 => {
                for (i, &cell) in results.iter().enumerate().take(call.results().len()) {
                    let ty = call.results()[i];
                    call.set(i, Value::from_cell(ty, cell))?;
                }
                Ok(())
            }
            1 => Err(Trap::host(
                trap.unwrap_or_else(|| alloc::format!("{label}: host function trapped")),
            )),
            other => {
                Err(Trap::host(alloc::format!("{label}: host function returned status {other}")))
            }
        }
    }

    /// # Safety
    /// `env` is the `CallEnv<T>` of the call in progress (`Ctx::env`).
    unsafe fn env_mut<'e, T>(env: *mut c_void) -> &'e mut CallEnv<'e, 'e, T> {
        // SAFETY: the caller's contract; `call_entry` keeps the `CallEnv` alive and borrowed
        // only through this pointer for the duration of the entry call.
        unsafe { &mut *env.cast::<CallEnv<'e, 'e, T>>() }
    }

    extern "C" fn memory_size<T>(env: *mut c_void) -> u64 {
        // SAFETY: the library passes back `ctx->env`, as the header requires.
        let env = unsafe { env_mut::<T>(env) };
        env.caller.memory().map_or(0, |m| m.data_size(&*env.caller))
    }

    extern "C" fn memory_read<T>(env: *mut c_void, offset: u64, dst: *mut c_void, len: u64) -> i32 {
        // SAFETY: as in `memory_size`.
        let env = unsafe { env_mut::<T>(env) };
        let Ok(len) = usize::try_from(len) else { return 1 };
        if len == 0 {
            return 0;
        }
        if dst.is_null() {
            return 1;
        }
        // SAFETY: the header makes `dst` point at `len` writable bytes for this call.
        let buf = unsafe { core::slice::from_raw_parts_mut(dst.cast::<u8>(), len) };
        i32::from(env.caller.read_memory(offset, buf).is_err())
    }

    extern "C" fn memory_write<T>(
        env: *mut c_void,
        offset: u64,
        src: *const c_void,
        len: u64,
    ) -> i32 {
        // SAFETY: as in `memory_size`.
        let env = unsafe { env_mut::<T>(env) };
        let Ok(len) = usize::try_from(len) else { return 1 };
        if len == 0 {
            return 0;
        }
        if src.is_null() {
            return 1;
        }
        // SAFETY: the header makes `src` point at `len` readable bytes for this call.
        let data = unsafe { core::slice::from_raw_parts(src.cast::<u8>(), len) };
        i32::from(env.caller.write_memory(offset, data).is_err())
    }

    extern "C" fn set_trap<T>(env: *mut c_void, message: *const c_char, len: u64) {
        // SAFETY: as in `memory_size`.
        let env = unsafe { env_mut::<T>(env) };
        let Ok(len) = usize::try_from(len) else { return };
        if message.is_null() {
            return;
        }
        // SAFETY: the header makes `message` point at `len` readable bytes for this call.
        let bytes = unsafe { core::slice::from_raw_parts(message.cast::<u8>(), len) };
        env.trap = Some(String::from_utf8_lossy(bytes).into_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without `std` (no dynamic loader) opening a library is an error, not a build failure
    /// (`cargo test -p fayasm-host --no-default-features --lib`, run by `.ci/run`).
    #[cfg(not(feature = "std"))]
    #[test]
    fn without_std_opening_a_library_is_unsupported() {
        let err = Library::open("libanything.so").err().expect("no loader without std");
        assert!(matches!(err, DylibError::Unsupported), "{err:?}");
    }

    #[test]
    fn bindings_parse_and_reject_malformed_lines() {
        let b = parse_binding(" env.clock_ms=now ").unwrap();
        assert_eq!(
            (b.module.as_str(), b.name.as_str(), b.symbol.as_str()),
            ("env", "clock_ms", "now")
        );
        let dotted = parse_binding("wasi.fd.write=fd_write").unwrap();
        assert_eq!((dotted.module.as_str(), dotted.name.as_str()), ("wasi", "fd.write"));
        for bad in ["env.f", "envf=sym", ".f=sym", "env.=sym", "env.f=", ""] {
            assert!(parse_binding(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn describe_names_types_like_the_linker() {
        let t = FuncType::new([ValType::I32, ValType::F64], [ValType::I64, ValType::I32]);
        assert_eq!(describe(&t), "(i32, f64) -> (i64, i32)");
        assert_eq!(describe(&FuncType::new([], [])), "() -> ()");
    }
}
