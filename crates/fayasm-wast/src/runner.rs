//! Running the directives of one script.

use crate::panic::catch;
use crate::values::{
    arg_to_value, result_matches, show_expected_list, show_values, trap_message_matches,
};
use crate::{WastFailure, WastReport};
use fayasm_exec::{Engine, Error, ErrorKind, Instance, Linker, Module, Store, Value};
use std::collections::BTreeMap;
use std::string::{String, ToString};
use std::vec::Vec;
use wast::token::Id;
use wast::{QuoteWat, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

/// The outcome of one directive: `Err` carries the failure message.
type Outcome = Result<(), String>;

/// The state of one script run: one store, one linker with `spectest`, named instances.
pub(crate) struct Runner {
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    /// The instance unnamed `invoke`, `get` and `register` refer to: the last one instantiated.
    current: Option<Instance>,
    /// Instances by their `$id` in the script.
    named: BTreeMap<String, Instance>,
    /// Modules of `(module definition ...)`, by `$id`.
    definitions: BTreeMap<String, Module>,
    /// The last `(module definition ...)`, for `(module instance)` without a module name.
    last_definition: Option<Module>,
}

impl Runner {
    /// A runner with a fresh store for `engine` and the `spectest` module defined.
    pub(crate) fn new(engine: Engine) -> Result<Runner, Error> {
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        // Scripts may register a name again; the later registration wins, as in the reference
        // interpreter.
        linker.allow_shadowing(true);
        fayasm_host::spectest::define(&mut linker, &mut store)?;
        Ok(Runner {
            engine,
            store,
            linker,
            current: None,
            named: BTreeMap::new(),
            definitions: BTreeMap::new(),
            last_definition: None,
        })
    }

    /// Runs every directive of the script whose text is `source`.
    pub(crate) fn run(mut self, source: &str, directives: Vec<WastDirective<'_>>) -> WastReport {
        let mut report = WastReport::default();
        for directive in directives {
            let (line, col) = directive.span().linecol_in(source);
            let kind = kind_name(&directive);
            let outcome = catch(|| self.directive(directive)).and_then(|o| o);
            match outcome {
                Ok(()) => report.passed += 1,
                Err(message) => {
                    report.failed += 1;
                    report.failures.push(WastFailure {
                        line: line + 1,
                        col: col + 1,
                        kind: kind.to_string(),
                        message,
                    });
                }
            }
        }
        report
    }

    fn directive(&mut self, directive: WastDirective<'_>) -> Outcome {
        match directive {
            WastDirective::Module(mut module) => {
                let name = module.name();
                // A failed module must not leave its predecessor as the target of later
                // directives, which would make them fail for a misleading reason.
                self.current = None;
                if let Some(id) = name {
                    self.named.remove(id.name());
                }
                let module = self.compile(&mut module)?;
                let instance = self.instantiate(&module)?;
                self.current = Some(instance);
                if let Some(id) = name {
                    self.named.insert(id.name().to_string(), instance);
                }
                Ok(())
            }
            WastDirective::ModuleDefinition(mut module) => {
                let name = module.name();
                self.last_definition = None;
                let compiled = self.compile(&mut module)?;
                if let Some(id) = name {
                    self.definitions.insert(id.name().to_string(), compiled.clone());
                }
                self.last_definition = Some(compiled);
                Ok(())
            }
            WastDirective::ModuleInstance { instance, module, .. } => {
                self.current = None;
                let definition = match module {
                    Some(id) => self.definitions.get(id.name()).cloned(),
                    None => self.last_definition.clone(),
                };
                let definition = definition.ok_or_else(|| match module {
                    Some(id) => format!("no module definition named ${}", id.name()),
                    None => String::from("no module definition to instantiate"),
                })?;
                let inst = self.instantiate(&definition)?;
                self.current = Some(inst);
                if let Some(id) = instance {
                    self.named.insert(id.name().to_string(), inst);
                }
                Ok(())
            }
            WastDirective::Register { name, module, .. } => {
                let instance = self.instance(module)?;
                self.linker
                    .instance(&mut self.store, name, instance)
                    .map_err(|e| format!("register {name:?}: {e}"))?;
                Ok(())
            }
            WastDirective::Invoke(invoke) => {
                self.invoke(&invoke).map(drop).map_err(InvokeError::describe)
            }
            WastDirective::AssertReturn { exec, results, .. } => self.assert_return(exec, &results),
            WastDirective::AssertTrap { exec, message, .. } => self.assert_trap(exec, message),
            WastDirective::AssertExhaustion { call, message, .. } => {
                let got = self.invoke(&call);
                expect_trap(got.map(|vs| show_values(&vs)), message)
            }
            WastDirective::AssertInvalid { mut module, .. } => self.assert_rejected(&mut module),
            WastDirective::AssertMalformed { mut module, .. } => self.assert_rejected(&mut module),
            WastDirective::AssertUnlinkable { module, .. } => {
                let mut module = QuoteWat::Wat(module);
                let module = self.compile(&mut module)?;
                match self.linker.instantiate(&mut self.store, &module) {
                    Ok(_) => {
                        Err(String::from("expected a link error, but the module instantiated"))
                    }
                    Err(e) => match e.kind() {
                        ErrorKind::Link(_) => Ok(()),
                        _ => Err(format!("expected a link error, got: {e}")),
                    },
                }
            }
            WastDirective::AssertInvalidCustom { .. }
            | WastDirective::AssertMalformedCustom { .. } => {
                Err(String::from("custom-section assertions are not supported"))
            }
            WastDirective::AssertException { .. } => {
                Err(String::from("exceptions are not supported (wasm 2.0 has none)"))
            }
            WastDirective::AssertSuspension { .. } => {
                Err(String::from("stack switching is not supported (wasm 2.0 has none)"))
            }
            WastDirective::Thread(_) | WastDirective::Wait { .. } => {
                Err(String::from("threads are not supported (wasm 2.0 has none)"))
            }
        }
    }

    /// Encodes a script module and decodes it with fayasm.
    fn compile(&self, module: &mut QuoteWat<'_>) -> Result<Module, String> {
        if matches!(module, QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))) {
            return Err(String::from("components are not supported"));
        }
        let bytes = module
            .encode()
            .map_err(|e| format!("the script's module does not encode: {}", e.message()))?;
        Module::new(&self.engine, &bytes).map_err(|e| format!("module rejected: {e}"))
    }

    fn instantiate(&mut self, module: &Module) -> Result<Instance, String> {
        self.linker
            .instantiate(&mut self.store, module)
            .map_err(|e| format!("instantiation failed: {e}"))
    }

    /// The instance `$id`, or the current one.
    fn instance(&self, id: Option<Id<'_>>) -> Result<Instance, String> {
        match id {
            Some(id) => {
                self.named.get(id.name()).copied().ok_or_else(|| {
                    format!("no instance named ${} (did its module fail?)", id.name())
                })
            }
            None => self
                .current
                .ok_or_else(|| String::from("no current instance (did the last module fail?)")),
        }
    }

    /// Calls an export; `Err` is the runtime's error, or a setup failure as a message.
    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Vec<Value>, InvokeError> {
        let instance = self.instance(invoke.module).map_err(InvokeError::Setup)?;
        let func = instance
            .get_func(&self.store, invoke.name)
            .ok_or_else(|| InvokeError::Setup(format!("no exported function {:?}", invoke.name)))?;
        let args = invoke
            .args
            .iter()
            .map(arg_to_value)
            .collect::<Result<Vec<_>, _>>()
            .map_err(InvokeError::Setup)?;
        func.call(&mut self.store, &args).map_err(InvokeError::Runtime)
    }

    /// Runs what an `assert_return` or `assert_trap` executes.
    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Vec<Value>, InvokeError> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Wat(module) => {
                let mut module = QuoteWat::Wat(module);
                let module = self.compile(&mut module).map_err(InvokeError::Setup)?;
                self.linker
                    .instantiate(&mut self.store, &module)
                    .map(|_| Vec::new())
                    .map_err(InvokeError::Runtime)
            }
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module).map_err(InvokeError::Setup)?;
                let g = instance
                    .get_global(&self.store, global)
                    .ok_or_else(|| InvokeError::Setup(format!("no exported global {global:?}")))?;
                Ok(vec![g.get(&self.store)])
            }
        }
    }

    fn assert_return(&mut self, exec: WastExecute<'_>, expected: &[WastRet<'_>]) -> Outcome {
        let actual = self.execute(exec).map_err(|e| e.describe())?;
        let mismatch =
            || format!("expected {}, got {}", show_expected_list(expected), show_values(&actual));
        if actual.len() != expected.len() {
            return Err(mismatch());
        }
        for (a, e) in actual.iter().zip(expected) {
            if !result_matches(a, e)? {
                return Err(mismatch());
            }
        }
        Ok(())
    }

    fn assert_trap(&mut self, exec: WastExecute<'_>, message: &str) -> Outcome {
        let got = self.execute(exec).map(|vs| show_values(&vs));
        expect_trap(got, message)
    }

    /// `assert_invalid` and `assert_malformed`: the module must be rejected, either while the
    /// script's text is turned into a binary or by fayasm's decoder and validator. The wording of
    /// the rejection is not compared; fayasm's comes from wasmparser.
    fn assert_rejected(&mut self, module: &mut QuoteWat<'_>) -> Outcome {
        if matches!(module, QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))) {
            return Err(String::from("components are not supported"));
        }
        let Ok(bytes) = module.encode() else {
            return Ok(());
        };
        match Module::new(&self.engine, &bytes) {
            Ok(_) => Err(String::from("expected the module to be rejected, but it was accepted")),
            Err(_) => Ok(()),
        }
    }
}

/// Why an invocation produced no results.
enum InvokeError {
    /// The directive could not be carried out (no such instance or export, bad argument).
    Setup(String),
    /// The runtime returned an error (a trap, a signature mismatch, a link error, ...).
    Runtime(Error),
}

impl InvokeError {
    fn describe(self) -> String {
        match self {
            InvokeError::Setup(m) => m,
            InvokeError::Runtime(e) => e.to_string(),
        }
    }
}

/// Checks that `got` is a trap whose message matches `expected`; `Ok` carries the results.
fn expect_trap(got: Result<String, InvokeError>, expected: &str) -> Outcome {
    match got {
        Ok(results) => Err(format!("expected trap {expected:?}, got results {results}")),
        Err(InvokeError::Setup(m)) => Err(m),
        Err(InvokeError::Runtime(e)) => match e.as_trap() {
            Some(trap) => {
                let actual = trap.code().message();
                if trap_message_matches(expected, actual) {
                    Ok(())
                } else {
                    Err(format!("expected trap {expected:?}, got trap {:?} ({trap})", actual))
                }
            }
            None => Err(format!("expected trap {expected:?}, got error: {e}")),
        },
    }
}

/// The directive's name as written in scripts.
fn kind_name(d: &WastDirective<'_>) -> &'static str {
    match d {
        WastDirective::Module(_) => "module",
        WastDirective::ModuleDefinition(_) => "module definition",
        WastDirective::ModuleInstance { .. } => "module instance",
        WastDirective::AssertMalformed { .. } => "assert_malformed",
        WastDirective::AssertInvalid { .. } => "assert_invalid",
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
        WastDirective::Register { .. } => "register",
        WastDirective::Invoke(_) => "invoke",
        WastDirective::AssertTrap { .. } => "assert_trap",
        WastDirective::AssertReturn { .. } => "assert_return",
        WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
        WastDirective::AssertUnlinkable { .. } => "assert_unlinkable",
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
    }
}
