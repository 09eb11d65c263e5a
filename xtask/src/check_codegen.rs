//! `cargo xtask check-codegen`: checks the machine code of the interpreter's tail-call handlers
//! in the build an embedder gets from a plain `cargo build --release` (no LTO, 16 codegen
//! units), where LLVM's choices differ from the single-unit bench build.
//!
//! It builds the `fayasm` CLI with that profile (forced through `CARGO_PROFILE_RELEASE_*`, in
//! its own target directory), disassembles it with `objdump` and checks every handler
//! (`fayasm_exec::dispatch::tail_backend::<Op>::handle`):
//! - every handler is of a known opcode (identical handlers may be folded into one symbol);
//! - a handler that stays in the chain (`!OpCode::leaves_chain`) ends in an indirect jump to
//!   the next handler; SIMD handlers included (all but the accesses that name their memory
//!   stay in the chain);
//! - a conditional branch has two indirect jumps (taken and fall-through) and no `cmov`: a
//!   conditional move on the next instruction pointer makes every following instruction wait
//!   for the compare;
//! - a handler of a plain numeric, load or store instruction calls nothing: a call means a
//!   helper was not inlined (SIMD too, except the float lane operations of `SIMD_MAY_CALL`,
//!   whose libm rounding and fused multiply-adds are calls);
//! - the SIMD float handlers with a NaN-free fast path (`SIMD_NAN_FREE`) save no register:
//!   their NaN case leaves for the handler's slow twin instead of calling inline.
//!
//! It also prints how many handlers save registers (`push`), the next target to shorten.
//! x86_64 only: on other hosts it says so and succeeds.

use crate::util::run_status;
use fayasm_ir::OpCode;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const HANDLER_PREFIX: &str = "fayasm_exec::dispatch::tail_backend::";
const HANDLER_SUFFIX: &str = "::handle";

/// Handlers that stay in the chain but may call out of line: calls and returns (lazy lowering,
/// stack growth, instance switches), and float rounding, which without SSE4.1 is a libm call.
const MAY_CALL: &[&str] = &[
    "Call",
    "CallIndirect",
    "CallInternal",
    "Return",
    "ReturnOne",
    // Tail calls of imports and through tables: the general path moves arguments and may
    // switch instance or call the host (`dispatch/tail_call.rs`).
    "ReturnCall",
    "ReturnCallIndirect",
    // Looks the function up in the store (bounds-checked).
    "RefFunc",
    "F32Ceil",
    "F32Floor",
    "F32Trunc",
    "F32Nearest",
    "F64Ceil",
    "F64Floor",
    "F64Trunc",
    "F64Nearest",
];

/// SIMD handlers (issue #8) that may call out of line, on a cold path or for libm: float
/// rounding (libm without SSE4.1, as the scalar rounding above), the relaxed fused
/// multiply-adds, and `V128GlobalSet`, which stores the high half through the store. Like
/// every other handler in the chain they must still tail-jump; every other SIMD handler calls
/// nothing.
const SIMD_MAY_CALL: &[&str] = &[
    "F32x4Ceil",
    "F32x4Floor",
    "F32x4Trunc",
    "F32x4Nearest",
    "F64x2Ceil",
    "F64x2Floor",
    "F64x2Trunc",
    "F64x2Nearest",
    "F32x4RelaxedMadd",
    "F32x4RelaxedNmadd",
    "F64x2RelaxedMadd",
    "F64x2RelaxedNmadd",
    "V128GlobalSet",
];

/// SIMD float handlers with a NaN-free fast path (`fayasm_simd::nan_free`): a NaN diverts to
/// the handler's slow twin, so the chained handler neither calls nor saves a register.
const SIMD_NAN_FREE: &[&str] = &[
    "F32x4Add",
    "F32x4Sub",
    "F32x4Mul",
    "F32x4Div",
    "F32x4Sqrt",
    "F32x4Min",
    "F32x4Max",
    "F64x2Add",
    "F64x2Sub",
    "F64x2Mul",
    "F64x2Div",
    "F64x2Sqrt",
    "F64x2Min",
    "F64x2Max",
];

/// What one handler's disassembly holds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HandlerCode {
    /// Instructions, without padding.
    pub instructions: usize,
    /// `jmp *...`: dispatches to the next handler.
    pub indirect_jumps: usize,
    /// Conditional moves.
    pub cmovs: usize,
    /// Calls of any kind.
    pub calls: usize,
    /// Registers saved on entry.
    pub pushes: usize,
}

/// Parses `objdump -d --no-show-raw-insn -C` output into the handlers it holds, by op name.
pub fn parse_handlers(disassembly: &str) -> BTreeMap<String, HandlerCode> {
    let mut out = BTreeMap::new();
    let mut current: Option<(String, HandlerCode)> = None;
    for line in disassembly.lines() {
        if let Some(symbol) = symbol_header(line) {
            if let Some((name, code)) = current.take() {
                out.insert(name, code);
            }
            current = symbol
                .strip_prefix(HANDLER_PREFIX)
                .and_then(|s| s.strip_suffix(HANDLER_SUFFIX))
                .filter(|name| !name.contains("::"))
                .map(|name| (name.to_string(), HandlerCode::default()));
            continue;
        }
        let Some((_, code)) = current.as_mut() else { continue };
        // `  26a300:\tmovzwl 0x2(%rsi),%eax`
        let Some((_, insn)) = line.split_once(":\t") else { continue };
        let insn = insn.trim();
        if insn.is_empty() || insn == "int3" || insn.starts_with("nop") || insn.contains(" nop") {
            continue;
        }
        let mnemonic = insn.split_whitespace().next().unwrap_or_default();
        code.instructions += 1;
        if mnemonic == "jmp" && insn.contains('*') {
            code.indirect_jumps += 1;
        } else if mnemonic.starts_with("cmov") {
            code.cmovs += 1;
        } else if mnemonic.starts_with("call") {
            code.calls += 1;
        } else if mnemonic.starts_with("push") {
            code.pushes += 1;
        }
    }
    if let Some((name, code)) = current {
        out.insert(name, code);
    }
    out
}

/// `0000000000265240 <name>:` -> `name`.
fn symbol_header(line: &str) -> Option<&str> {
    let (addr, rest) = line.split_once(' ')?;
    if addr.is_empty() || !addr.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    rest.strip_prefix('<')?.strip_suffix(">:")
}

/// Every rule violation, one line each.
pub fn violations(handlers: &BTreeMap<String, HandlerCode>) -> Vec<String> {
    let mut out = Vec::new();
    for &op in OpCode::ALL {
        let name = op.name();
        // No symbol: LLVM or the linker folded it into an identical handler (`I32Load` and
        // `F32Load` are the same machine code), which is harmless.
        let Some(code) = handlers.get(name) else { continue };
        if op.leaves_chain() {
            continue;
        }
        if op.is_conditional_branch() {
            if code.cmovs > 0 {
                out.push(format!("{name}: conditional branch selects the next ip with a cmov"));
            }
            if code.indirect_jumps < 2 {
                out.push(format!(
                    "{name}: conditional branch has {} indirect jump(s), expected 2 (taken, fall-through)",
                    code.indirect_jumps
                ));
            }
        } else if code.indirect_jumps == 0
            && name != "Unreachable"
            && name != "Param"
            // `return_call` of an import or through a table may need the driver (host callee,
            // another instance), and its plain wasm case diverts to the slow twin.
            && name != "ReturnCall"
            && name != "ReturnCallIndirect"
        {
            out.push(format!("{name}: does not jump to the next handler (left the tail chain)"));
        }
        if code.pushes > 0 && SIMD_NAN_FREE.contains(&name) {
            out.push(format!(
                "{name}: saves {} register(s) (its NaN path no longer diverts to the slow twin)",
                code.pushes
            ));
        }
        if code.calls > 0 && !MAY_CALL.contains(&name) && !SIMD_MAY_CALL.contains(&name) {
            out.push(format!(
                "{name}: calls out of line {} time(s) (a helper was not inlined)",
                code.calls
            ));
        }
    }
    let known: Vec<&str> = OpCode::ALL.iter().map(|op| op.name()).collect();
    for name in handlers.keys() {
        if !known.contains(&name.as_str()) {
            out.push(format!("{name}: a handler for an unknown opcode"));
        }
    }
    out
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("`check-codegen` takes no options, got `{a}`"));
    }
    if !cfg!(target_arch = "x86_64") {
        println!("check-codegen: only x86_64 disassembly is checked; skipped on this host");
        return Ok(());
    }
    let root = xtask::workspace_root();
    let target_dir = root.join("target").join("check-codegen");
    run_status(
        Command::new(env!("CARGO"))
            .current_dir(&root)
            .args(["build", "--release", "-j2", "-p", "fayasm-cli"])
            .arg("--target-dir")
            .arg(&target_dir)
            // The embedder's default profile, whatever the workspace's release profile says.
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "3"),
    )?;
    let binary = target_dir.join("release").join("fayasm");
    let disassembly = disassemble(&binary)?;
    let handlers = parse_handlers(&disassembly);
    let problems = violations(&handlers);
    let pushing: Vec<&str> =
        handlers.iter().filter(|(_, c)| c.pushes > 0).map(|(n, _)| n.as_str()).collect();
    println!(
        "check-codegen: {} handlers for {} opcodes; {} save registers (push): {}",
        handlers.len(),
        OpCode::ALL.len(),
        pushing.len(),
        pushing.join(" ")
    );
    if problems.is_empty() {
        println!("check-codegen: ok");
        Ok(())
    } else {
        for p in &problems {
            println!("check-codegen: {p}");
        }
        Err(format!("{} handler(s) compiled to the wrong shape (see above)", problems.len()))
    }
}

fn disassemble(binary: &Path) -> Result<String, String> {
    let out = Command::new("objdump")
        .args(["-d", "--no-show-raw-insn", "-C"])
        .arg(binary)
        .output()
        .map_err(|e| format!("cannot run objdump (Debian package binutils): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "objdump failed on {}: {}",
            binary.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("objdump printed non-UTF-8: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
000000000026a300 <fayasm_exec::dispatch::tail_backend::BrIfI32LtS::handle>:
  26a300:\tmovzwl 0x2(%rsi),%eax
  26a310:\tjge    26a32c <fayasm_exec::dispatch::tail_backend::BrIfI32LtS::handle+0x2c>
  26a328:\tjmp    *(%r11,%rax,8)
  26a33a:\tjmp    *(%r11,%rax,8)
  26a33b:\tint3

000000000026d7c0 <fayasm_exec::dispatch::tail_backend::I32Add::handle>:
  26d7c0:\tpush   %rbx
  26d7c4:\tcmovl  %rax,%r10
  26d7c8:\tcall   *0x103002(%rip)
  26d7e7:\tjmp    *(%r11,%rax,8)
  26d7e8:\tcs nopw 0x0(%rax,%rax,1)

000000000026d800 <fayasm_exec::dispatch::tail_backend::I32Add::handle::{{closure}}>:
  26d800:\tret
";

    #[test]
    fn parses_handlers_and_counts_instructions() {
        let h = parse_handlers(SAMPLE);
        assert_eq!(h.len(), 2, "{h:?}");
        let br = &h["BrIfI32LtS"];
        assert_eq!((br.instructions, br.indirect_jumps, br.cmovs), (4, 2, 0));
        let add = &h["I32Add"];
        assert_eq!(
            (add.instructions, add.indirect_jumps, add.cmovs, add.calls, add.pushes),
            (4, 1, 1, 1, 1)
        );
    }

    #[test]
    fn reports_cmov_branches_calls_and_missing_handlers() {
        let mut h = parse_handlers(SAMPLE);
        if let Some(c) = h.get_mut("BrIfI32LtS") {
            c.cmovs = 1;
            c.indirect_jumps = 1;
        }
        let v = violations(&h);
        assert!(v.iter().any(|l| l.starts_with("BrIfI32LtS: conditional branch selects")), "{v:?}");
        assert!(v.iter().any(|l| l.starts_with("BrIfI32LtS: conditional branch has 1")), "{v:?}");
        assert!(v.iter().any(|l| l.starts_with("I32Add: calls out of line")), "{v:?}");
        // A handler that leaves the chain is not asked to tail-jump.
        h.insert(
            "MemoryGrow".into(),
            HandlerCode { instructions: 10, calls: 3, ..Default::default() },
        );
        assert!(!violations(&h).iter().any(|l| l.starts_with("MemoryGrow:")));
    }

    #[test]
    fn simd_handlers_must_tail_jump_call_only_when_listed_and_nan_free_ones_never_push() {
        let mut h = BTreeMap::new();
        let jumps = HandlerCode { instructions: 9, indirect_jumps: 1, ..Default::default() };
        h.insert("I32x4Add".to_string(), HandlerCode { indirect_jumps: 0, ..jumps.clone() });
        h.insert("I8x16Shuffle".to_string(), HandlerCode { calls: 1, ..jumps.clone() });
        // Rounding may call libm; the NaN-free float handlers may neither call nor push.
        h.insert("F32x4Ceil".to_string(), HandlerCode { calls: 4, pushes: 3, ..jumps.clone() });
        h.insert("F32x4Add".to_string(), HandlerCode { calls: 1, ..jumps.clone() });
        h.insert("F64x2Max".to_string(), HandlerCode { pushes: 6, ..jumps.clone() });
        h.insert("F64x2Sqrt".to_string(), jumps.clone());
        // A named-memory access leaves the chain like the scalar ones.
        h.insert(
            "V128LoadM".to_string(),
            HandlerCode { instructions: 30, calls: 2, ..Default::default() },
        );
        let v = violations(&h);
        assert!(
            v.contains(
                &"I32x4Add: does not jump to the next handler (left the tail chain)".to_string()
            ),
            "{v:?}"
        );
        assert!(v.iter().any(|l| l.starts_with("I8x16Shuffle: calls out of line 1")), "{v:?}");
        assert!(v.iter().any(|l| l.starts_with("F32x4Add: calls out of line 1")), "{v:?}");
        assert!(v.iter().any(|l| l.starts_with("F64x2Max: saves 6 register(s)")), "{v:?}");
        assert!(
            !v.iter().any(|l| ["F32x4Ceil:", "F64x2Sqrt:", "V128LoadM:"]
                .iter()
                .any(|p| l.starts_with(p))),
            "{v:?}"
        );
    }

    #[test]
    fn a_simple_handler_must_tail_jump() {
        let mut h = BTreeMap::new();
        h.insert("I32Sub".to_string(), HandlerCode { instructions: 5, ..Default::default() });
        let v = violations(&h);
        assert!(
            v.iter()
                .any(|l| l == "I32Sub: does not jump to the next handler (left the tail chain)")
        );
    }
}
