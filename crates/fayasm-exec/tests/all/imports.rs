//! Memories, tables and globals the host provides: host-owned memories and tables (funcref
//! and externref), globals set before and after instantiation, live rebinding of an imported
//! memory or table (and the refused mismatches), and the one error listing every unresolved
//! import.

use fayasm_exec::{
    Caller, Engine, ErrorKind, ExternAddr, Func, Global, GlobalType, Linker, Memory, MemoryType,
    Module, RefType, Store, Table, TableType, Trap, TrapCode, ValType, Value,
};

fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, &wat::parse_str(wat).unwrap()).unwrap()
}

const MEMORY_USER: &str = r#"(module
    (import "env" "mem" (memory 1 4))
    (import "env" "poke" (func $poke))
    (func (export "load") (param i32) (result i32) local.get 0 i32.load)
    (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store)
    (func (export "size") (result i32) memory.size)
    (func (export "poke_then_load") (param i32) (result i32) call $poke local.get 0 i32.load)
    (export "mem" (memory 0)))"#;

/// The store's data: the memory a host function rebinds to, if any.
#[derive(Default)]
struct Host {
    next: Option<Memory>,
    instance: Option<fayasm_exec::Instance>,
}

fn memory_linker(engine: &Engine, mem: Memory) -> Linker<Host> {
    let mut linker = Linker::new(engine);
    linker.define("env", "mem", mem).unwrap();
    linker
        .func_wrap("env", "poke", |mut caller: Caller<'_, Host>| -> Result<(), Trap> {
            let (Some(next), Some(inst)) = (caller.data().next, caller.data().instance) else {
                return Ok(());
            };
            inst.rebind(&mut caller, "env", "mem", next).map_err(|e| Trap::host(e.to_string()))
        })
        .unwrap();
    linker
}

#[test]
fn a_host_owned_memory_is_shared_with_the_instance() {
    let engine = Engine::default();
    let module = module(&engine, MEMORY_USER);
    let mut store = Store::new(&engine, Host::default());
    let mem = Memory::new(&mut store, MemoryType::new(1, Some(4))).unwrap();
    mem.write(&mut store, 8, &7u32.to_le_bytes()).unwrap();
    let linker = memory_linker(&engine, mem);
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let load = inst.get_typed_func::<i32, i32>(&store, "load").unwrap();
    let store_fn = inst.get_typed_func::<(i32, i32), ()>(&store, "store").unwrap();
    assert_eq!(load.call(&mut store, 8).unwrap(), 7, "wasm sees what the host wrote");
    store_fn.call(&mut store, (12, 99)).unwrap();
    let mut word = [0; 4];
    mem.read(&store, 12, &mut word).unwrap();
    assert_eq!(u32::from_le_bytes(word), 99, "the host sees what wasm wrote");
    mem.grow(&mut store, 1).unwrap();
    let size = inst.get_typed_func::<(), i32>(&store, "size").unwrap();
    assert_eq!(size.call(&mut store, ()).unwrap(), 2, "growth by the host is visible");
}

#[test]
fn rebinding_a_memory_takes_effect_at_the_next_access() {
    let engine = Engine::default();
    let module = module(&engine, MEMORY_USER);
    let mut store = Store::new(&engine, Host::default());
    let old = Memory::new(&mut store, MemoryType::new(1, Some(4))).unwrap();
    let new = Memory::new(&mut store, MemoryType::new(2, Some(3))).unwrap();
    old.write(&mut store, 0, &1u32.to_le_bytes()).unwrap();
    new.write(&mut store, 0, &2u32.to_le_bytes()).unwrap();
    let linker = memory_linker(&engine, old);
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let load = inst.get_typed_func::<i32, i32>(&store, "load").unwrap();
    assert_eq!(load.call(&mut store, 0).unwrap(), 1);

    inst.rebind(&mut store, "env", "mem", new).unwrap();
    assert_eq!(load.call(&mut store, 0).unwrap(), 2, "the new memory is read");
    let size = inst.get_typed_func::<(), i32>(&store, "size").unwrap();
    assert_eq!(size.call(&mut store, ()).unwrap(), 2);
    assert_eq!(inst.get_memory(&store, "mem"), Some(new), "the re-export follows the import");
    assert_eq!(load.call(&mut store, 131068).unwrap(), 0, "the second page is in bounds now");

    // Rebinding from inside a host call: the access right after the call sees it.
    store.data_mut().next = Some(old);
    store.data_mut().instance = Some(inst);
    let poke = inst.get_typed_func::<i32, i32>(&store, "poke_then_load").unwrap();
    assert_eq!(poke.call(&mut store, 0).unwrap(), 1, "rebound to the old memory mid-call");
    let err = load.call(&mut store, 131068).unwrap_err();
    assert_eq!(err.as_trap().unwrap().code(), TrapCode::MemoryOutOfBounds, "one page again");
}

#[test]
fn mismatched_rebinds_are_refused_and_keep_the_old_binding() {
    let engine = Engine::default();
    let module = module(
        &engine,
        r#"(module
            (import "env" "mem" (memory 2 4))
            (import "env" "tab" (table 2 funcref))
            (import "env" "g" (global i32))
            (import "env" "f" (func))
            (func (export "load") (param i32) (result i32) local.get 0 i32.load))"#,
    );
    let mut store = Store::new(&engine, ());
    let mem = Memory::new(&mut store, MemoryType::new(2, Some(4))).unwrap();
    mem.write(&mut store, 0, &5u32.to_le_bytes()).unwrap();
    let tab = Table::new(&mut store, TableType::new(RefType::Func, 2, None), Value::FuncRef(None))
        .unwrap();
    let g = Global::new(&mut store, GlobalType { content: ValType::I32, mutable: false }, 1.into())
        .unwrap();
    let mut linker = Linker::new(&engine);
    linker.define("env", "mem", mem).unwrap().define("env", "tab", tab).unwrap();
    linker.define("env", "g", g).unwrap().func_wrap("env", "f", || ()).unwrap();
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let load = inst.get_typed_func::<i32, i32>(&store, "load").unwrap();

    let small = Memory::new(&mut store, MemoryType::new(1, Some(4))).unwrap();
    let unbounded = Memory::new(&mut store, MemoryType::new(2, None)).unwrap();
    let externs =
        Table::new(&mut store, TableType::new(RefType::Extern, 2, None), Value::ExternRef(None))
            .unwrap();
    let cases: Vec<(&str, fayasm_exec::Extern, &str)> = vec![
        ("mem", small.into(), "env.mem: minimum 1 is below the required 2"),
        ("mem", unbounded.into(), "env.mem: maximum None exceeds the required 4"),
        ("mem", tab.into(), "env.mem: expected a memory, found a table"),
        ("tab", externs.into(), "env.tab: expected Func elements, found Extern"),
        ("g", g.into(), "env.g is a global; only memories and tables can be rebound"),
        ("f", mem.into(), "env.f is a function; only memories and tables can be rebound"),
        ("nope", mem.into(), "the instance has no import env.nope"),
    ];
    for (name, item, want) in cases {
        let err = inst.rebind(&mut store, "env", name, item).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Rebind(_)), "{err}");
        assert_eq!(err.to_string(), format!("cannot rebind import: {want}"));
    }
    assert_eq!(load.call(&mut store, 0).unwrap(), 5, "the old memory is still bound");
}

#[test]
fn host_tables_of_funcrefs_and_externrefs_and_table_rebind() {
    let engine = Engine::default();
    let module = module(
        &engine,
        r#"(module
            (type $t (func (result i32)))
            (import "env" "funcs" (table $f 2 funcref))
            (import "env" "refs" (table $r 1 externref))
            (func (export "call") (param i32) (result i32)
              local.get 0 call_indirect $f (type $t))
            (func (export "get_ref") (param i32) (result externref) local.get 0 table.get $r)
            (func (export "set_ref") (param i32 externref) local.get 0 local.get 1 table.set $r)
            (func (export "seven") (result i32) i32.const 7))"#,
    );
    let mut store = Store::new(&engine, ());
    let one = Func::wrap(&mut store, || 1i32);
    let two = Func::wrap(&mut store, || 2i32);
    let funcs =
        Table::new(&mut store, TableType::new(RefType::Func, 2, None), Value::FuncRef(None))
            .unwrap();
    funcs.set(&mut store, 0, Value::FuncRef(Some(one.addr()))).unwrap();
    let refs = Table::new(
        &mut store,
        TableType::new(RefType::Extern, 1, None),
        Value::ExternRef(Some(ExternAddr(41))),
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker.define("env", "funcs", funcs).unwrap().define("env", "refs", refs).unwrap();
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let call = inst.get_typed_func::<i32, i32>(&store, "call").unwrap();
    assert_eq!(call.call(&mut store, 0).unwrap(), 1);
    let err = call.call(&mut store, 1).unwrap_err();
    assert_eq!(err.as_trap().unwrap().code(), TrapCode::UninitializedElement);
    let get_ref = inst.get_func(&store, "get_ref").unwrap();
    assert_eq!(
        get_ref.call(&mut store, &[Value::I32(0)]).unwrap(),
        [Value::ExternRef(Some(ExternAddr(41)))]
    );
    let set_ref = inst.get_func(&store, "set_ref").unwrap();
    set_ref.call(&mut store, &[Value::I32(0), Value::ExternRef(Some(ExternAddr(9)))]).unwrap();
    assert_eq!(refs.get(&store, 0), Some(Value::ExternRef(Some(ExternAddr(9)))));

    // The host fills the table after instantiation, with one of the instance's own functions.
    let seven = inst.get_func(&store, "seven").unwrap();
    funcs.set(&mut store, 1, Value::FuncRef(Some(seven.addr()))).unwrap();
    assert_eq!(call.call(&mut store, 1).unwrap(), 7);

    // Rebind the funcref table: the next call_indirect goes through the new one.
    let other = Table::new(
        &mut store,
        TableType::new(RefType::Func, 3, None),
        Value::FuncRef(Some(two.addr())),
    )
    .unwrap();
    inst.rebind(&mut store, "env", "funcs", other).unwrap();
    assert_eq!(call.call(&mut store, 0).unwrap(), 2);
    assert_eq!(call.call(&mut store, 2).unwrap(), 2, "the new table is larger");
    assert_eq!(funcs.get(&store, 0), Some(Value::FuncRef(Some(one.addr()))), "old table intact");
}

#[test]
fn imported_globals_set_before_and_after_instantiation() {
    let engine = Engine::default();
    let module = module(
        &engine,
        r#"(module
            (import "env" "counter" (global $c (mut i64)))
            (import "env" "base" (global $b i32))
            (global $copy i32 (global.get $b))
            (func (export "bump") (result i64)
              (global.set $c (i64.add (global.get $c) (i64.const 1))) global.get $c)
            (func (export "copy") (result i32) global.get $copy))"#,
    );
    let mut store = Store::new(&engine, ());
    let counter =
        Global::new(&mut store, GlobalType { content: ValType::I64, mutable: true }, 0i64.into())
            .unwrap();
    let base =
        Global::new(&mut store, GlobalType { content: ValType::I32, mutable: false }, 3.into())
            .unwrap();
    counter.set(&mut store, Value::I64(10)).unwrap(); // before instantiation
    let mut linker = Linker::new(&engine);
    linker.define("env", "counter", counter).unwrap().define("env", "base", base).unwrap();
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let bump = inst.get_typed_func::<(), i64>(&store, "bump").unwrap();
    assert_eq!(bump.call(&mut store, ()).unwrap(), 11);
    assert_eq!(counter.get(&store), Value::I64(11), "the host sees wasm's write");
    counter.set(&mut store, Value::I64(100)).unwrap(); // after instantiation
    assert_eq!(bump.call(&mut store, ()).unwrap(), 101, "wasm sees the host's write");
    let copy = inst.get_typed_func::<(), i32>(&store, "copy").unwrap();
    assert_eq!(copy.call(&mut store, ()).unwrap(), 3, "initialisers read imported globals");
    assert!(base.set(&mut store, Value::I32(4)).is_err(), "an immutable global stays so");
    // A mutable import needs a mutable global.
    let mut linker = Linker::new(&engine);
    linker.define("env", "counter", base).unwrap().define("env", "base", base).unwrap();
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(err.to_string().contains("expected global mut i64, found global i32"), "{err}");
}

#[test]
fn one_error_lists_every_unresolved_import() {
    let engine = Engine::default();
    let module = module(
        &engine,
        r#"(module
            (import "env" "clock_ms" (func (result i32)))
            (import "env" "log" (func (param i32 i64)))
            (import "env" "present" (func))
            (import "env" "mem" (memory 1 2))
            (import "env" "tab" (table 3 externref))
            (import "env" "g" (global (mut f64)))
            (import "wasi" "multi" (func (param f32) (result i32 i64))))"#,
    );
    let mut linker = Linker::<()>::new(&engine);
    linker.func_wrap("env", "present", || ()).unwrap();
    let mut store = Store::new(&engine, ());
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Link(_)));
    assert_eq!(
        err.to_string(),
        "link error: unresolved imports: env.clock_ms: func () -> i32, \
         env.log: func (i32, i64) -> (), env.mem: memory 1..2, env.tab: table externref 3, \
         env.g: global mut f64, wasi.multi: func (f32) -> (i32, i64)"
    );
}

#[test]
fn rebinding_a_table_inside_a_host_call_takes_effect_at_the_next_call_indirect() {
    let engine = Engine::default();
    let module = module(
        &engine,
        r#"(module
            (type $t (func (result i32)))
            (import "env" "funcs" (table 1 funcref))
            (import "env" "swap" (func $swap))
            ;; call_indirect, the host swaps the table, call_indirect again: 10 * first + second.
            (func (export "run") (result i32)
              (i32.mul (call_indirect (type $t) (i32.const 0)) (i32.const 10))
              call $swap
              (call_indirect (type $t) (i32.const 0))
              i32.add))"#,
    );
    let mut store = Store::new(&engine, None::<(fayasm_exec::Instance, Table)>);
    let one = Func::wrap(&mut store, || 1i32);
    let two = Func::wrap(&mut store, || 2i32);
    let ty = TableType::new(RefType::Func, 1, None);
    let first = Table::new(&mut store, ty, Value::FuncRef(Some(one.addr()))).unwrap();
    let second = Table::new(&mut store, ty, Value::FuncRef(Some(two.addr()))).unwrap();
    let mut linker = Linker::new(&engine);
    linker.define("env", "funcs", first).unwrap();
    linker
        .func_wrap(
            "env",
            "swap",
            |mut c: Caller<'_, Option<(fayasm_exec::Instance, Table)>>| -> Result<(), Trap> {
                let (inst, table) = c.data().ok_or_else(|| Trap::host("nothing to swap in"))?;
                inst.rebind(&mut c, "env", "funcs", table).map_err(|e| Trap::host(e.to_string()))
            },
        )
        .unwrap();
    let inst = linker.instantiate(&mut store, &module).unwrap();
    *store.data_mut() = Some((inst, second));
    let run = inst.get_typed_func::<(), i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 12);
    assert_eq!(run.call(&mut store, ()).unwrap(), 22, "the second table stays bound");
}
