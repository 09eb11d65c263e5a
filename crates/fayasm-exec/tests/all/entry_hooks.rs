//! Per-function entry hooks: allow, deny and prepare, for direct, indirect, tail and host
//! calls of the hooked function, with other instances of the module left alone, hooks that
//! call back into wasm, removal, and hooks under a tiny code budget.

use fayasm_exec::{Config, Engine, EntryDecision, Func, Linker, MemStore, Module, Store, TrapCode};

const WAT: &str = r#"(module
  (memory (export "mem") 1)
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $target)
  ;; Adds the i32 at address 0 (which a hook may prepare) to its argument.
  (func $target (export "target") (param i32) (result i32)
    local.get 0 i32.const 0 i32.load i32.add)
  (func (export "direct") (param i32) (result i32) local.get 0 call $target i32.const 1 i32.add)
  (func (export "indirect") (param i32) (result i32)
    local.get 0 i32.const 0 call_indirect (type $t))
  (func (export "tail") (param i32) (result i32) local.get 0 return_call $target)
  (func (export "loop") (param i32) (result i32) (local i32)
    block loop
      local.get 0 i32.eqz br_if 1
      local.get 1 i32.const 1 call $target i32.add local.set 1
      local.get 0 i32.const 1 i32.sub local.set 0
      br 0 end end
    local.get 1)
)"#;

/// A store with one instance of `WAT` whose data counts hook runs.
fn setup(config: &Config) -> (Store<u32>, fayasm_exec::Instance, Module) {
    let engine = Engine::new(config);
    let module = Module::new(&engine, &wat::parse_str(WAT).unwrap()).unwrap();
    let mut store = Store::new(&engine, 0u32);
    store.attach_spill_store(Box::new(MemStore::new()));
    let inst = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    (store, inst, module)
}

fn call(
    store: &mut Store<u32>,
    inst: fayasm_exec::Instance,
    name: &str,
    arg: i32,
) -> Result<i32, fayasm_exec::Error> {
    inst.get_typed_func::<i32, i32>(&*store, name).unwrap().call(store, arg)
}

fn counting_hook(store: &mut Store<u32>, f: Func) {
    store
        .set_entry_hook(f, |mut caller| {
            *caller.data_mut() += 1;
            EntryDecision::Allow
        })
        .unwrap();
}

#[test]
fn an_allowing_hook_runs_before_every_kind_of_call() {
    let (mut store, inst, _) = setup(&Config::new());
    let target = inst.get_func(&store, "target").unwrap();
    counting_hook(&mut store, target);
    assert_eq!(call(&mut store, inst, "target", 5).unwrap(), 5);
    assert_eq!(call(&mut store, inst, "direct", 5).unwrap(), 6);
    assert_eq!(call(&mut store, inst, "indirect", 5).unwrap(), 5);
    assert_eq!(call(&mut store, inst, "tail", 5).unwrap(), 5);
    assert_eq!(*store.data(), 4, "once per entry, from the host, call, call_indirect, return_call");
    assert_eq!(call(&mut store, inst, "loop", 50).unwrap(), 50);
    assert_eq!(*store.data(), 54);
}

#[test]
fn a_denying_hook_traps_with_its_message() {
    let (mut store, inst, _) = setup(&Config::new());
    let target = inst.get_func(&store, "target").unwrap();
    store
        .set_entry_hook(target, |mut caller| {
            *caller.data_mut() += 1;
            if *caller.data() > 3 {
                EntryDecision::Deny("quota used up".into())
            } else {
                EntryDecision::Allow
            }
        })
        .unwrap();
    assert_eq!(call(&mut store, inst, "loop", 3).unwrap(), 3);
    for name in ["direct", "indirect", "tail", "target"] {
        let err = call(&mut store, inst, name, 1).unwrap_err();
        let trap = err.as_trap().expect("a trap");
        assert_eq!(trap.code(), TrapCode::HostError, "{name}");
        assert!(err.to_string().contains("quota used up"), "{name}: {err}");
    }
    // The function that was denied is named (module index space: it is function 0).
    let err = call(&mut store, inst, "direct", 1).unwrap_err();
    assert_eq!(err.as_trap().and_then(|t| t.func()), Some(0));
}

#[test]
fn a_preparing_hook_writes_what_the_function_reads() {
    let (mut store, inst, _) = setup(&Config::new());
    let target = inst.get_func(&store, "target").unwrap();
    store
        .set_entry_hook(target, |mut caller| {
            *caller.data_mut() += 1;
            let n = *caller.data();
            caller.write_memory(0, &(n * 100).to_le_bytes()).unwrap();
            EntryDecision::Allow
        })
        .unwrap();
    assert_eq!(call(&mut store, inst, "target", 1).unwrap(), 101);
    assert_eq!(call(&mut store, inst, "direct", 1).unwrap(), 202);
    assert_eq!(call(&mut store, inst, "indirect", 1).unwrap(), 301);
    // Three entries: 400, 500, 600.
    assert_eq!(call(&mut store, inst, "loop", 3).unwrap(), 1503);
}

#[test]
fn a_hook_may_call_back_into_wasm() {
    let (mut store, inst, _) = setup(&Config::new());
    let target = inst.get_func(&store, "target").unwrap();
    let direct = inst.get_func(&store, "direct").unwrap();
    store
        .set_entry_hook(direct, move |mut caller| {
            // `target` is not hooked: the hook computes with it and records the result.
            let r = target.typed::<i32, i32>(&caller).unwrap().call(&mut caller, 20).unwrap();
            *caller.data_mut() = r as u32;
            EntryDecision::Allow
        })
        .unwrap();
    assert_eq!(call(&mut store, inst, "direct", 1).unwrap(), 2);
    assert_eq!(*store.data(), 20);
}

#[test]
fn other_instances_are_not_hooked_and_clearing_restores_the_fast_path() {
    let (mut store, inst, module) = setup(&Config::new());
    let other = Linker::new(store.engine()).instantiate(&mut store, &module).unwrap();
    let target = inst.get_func(&store, "target").unwrap();
    counting_hook(&mut store, target);
    assert_eq!(call(&mut store, other, "loop", 10).unwrap(), 10);
    assert_eq!(*store.data(), 0, "the other instance's function has no hook");
    assert_eq!(call(&mut store, inst, "loop", 10).unwrap(), 10);
    assert_eq!(*store.data(), 10);
    store.clear_entry_hook(target).unwrap();
    assert_eq!(call(&mut store, inst, "loop", 10).unwrap(), 10);
    assert_eq!(*store.data(), 10);
}

#[test]
fn host_functions_cannot_be_hooked() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, 0u32);
    let f = Func::wrap(&mut store, |x: i32| x);
    let err = store.set_entry_hook(f, |_| EntryDecision::Allow).unwrap_err();
    assert!(err.to_string().contains("host function"), "{err}");
}

#[test]
fn hooks_work_under_a_tiny_code_budget() {
    let mut config = Config::new();
    config.code_budget(Some(1));
    let (mut store, inst, _) = setup(&config);
    let target = inst.get_func(&store, "target").unwrap();
    counting_hook(&mut store, target);
    for name in ["direct", "indirect", "tail", "target", "loop"] {
        assert!(call(&mut store, inst, name, 4).is_ok(), "{name}");
    }
    assert_eq!(*store.data(), 8);
    let s = store.code_cache_stats();
    assert!(s.evictions > 0 && s.reloads > 0, "{s:?}");
}
