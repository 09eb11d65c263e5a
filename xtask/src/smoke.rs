//! `cargo xtask smoke`: every manifest case through the `fayasm` CLI binary and through the
//! library, as a table; non-zero exit on any mismatch not listed in
//! `wasm_samples/expected-failures.txt`.

use crate::util::run_status;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use xtask::manifest::{Case, Manifest};
use xtask::runner::{self, Outcome, describe_expect, judge};
use xtask::value::TypedValue;

const TIMEOUT: Duration = Duration::from_secs(60);

struct Options {
    cli: Option<PathBuf>,
    use_cli: bool,
    filter: Option<String>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options { cli: None, use_cli: true, filter: None };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--cli" => o.cli = Some(PathBuf::from(it.next().ok_or("`--cli` needs a path")?)),
            "--no-cli" => o.use_cli = false,
            "--filter" => o.filter = Some(it.next().ok_or("`--filter` needs text")?.clone()),
            other => return Err(format!("unknown option `{other}` for `smoke`")),
        }
    }
    Ok(o)
}

fn build_cli() -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = xtask::workspace_root();
    run_status(Command::new(cargo).args(["build", "-p", "fayasm-cli"]).current_dir(&root))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let target = if target.is_absolute() { target } else { root.join(target) };
    let exe = target.join("debug").join(format!("fayasm{}", std::env::consts::EXE_SUFFIX));
    if exe.exists() {
        Ok(exe)
    } else {
        Err(format!("built fayasm-cli but {} does not exist", exe.display()))
    }
}

/// Runs one case through the CLI: `fayasm run <file> <export> <args...>`.
fn run_cli(cli: &Path, samples: &Path, case: &Case) -> Outcome {
    let args = match case.typed_args() {
        Ok(a) => a,
        Err(e) => return Outcome::Error(e),
    };
    let mut cmd = Command::new(cli);
    cmd.arg("run");
    if xtask::fixture::is_host_fixture(&case.file) {
        match xtask::host_lib::sample_host_lib() {
            Ok(lib) => cmd.arg("--import-lib").arg(lib),
            Err(e) => return Outcome::Error(e),
        };
    }
    cmd.arg(samples.join("build").join(&case.file)).arg(&case.export);
    cmd.args(args.iter().map(TypedValue::to_cli_arg));
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Outcome::Error(format!("cannot run {}: {e}", cli.display())),
    };
    // Drain the pipes on threads so a chatty child cannot block; poll for the deadline.
    let mut out_pipe = child.stdout.take();
    let mut err_pipe = child.stderr.take();
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(p) = out_pipe.as_mut() {
            let _ = p.read_to_string(&mut s);
        }
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(p) = err_pipe.as_mut() {
            let _ = p.read_to_string(&mut s);
        }
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Outcome::Error(format!("timed out after {}s", TIMEOUT.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => return Outcome::Error(format!("waiting for the CLI: {e}")),
        }
    };
    let stdout = out_t.join().unwrap_or_default();
    let stderr = err_t.join().unwrap_or_default();
    parse_cli_output(status.code(), &stdout, &stderr)
}

/// Parses `result[i] (type): value` lines (exit 0) or `error: trap: <message>` (exit 3).
fn parse_cli_output(code: Option<i32>, stdout: &str, stderr: &str) -> Outcome {
    match code {
        Some(0) => {
            let mut values = Vec::new();
            for line in stdout.lines().filter(|l| l.starts_with("result[")) {
                let parsed = line
                    .split_once(" (")
                    .and_then(|(_, rest)| rest.split_once("): "))
                    .ok_or_else(|| format!("unrecognised CLI output line `{line}`"))
                    .and_then(|(ty, v)| {
                        // NaNs print as `NaN (0xBITS)`: take the bits.
                        let v = v.trim();
                        let v =
                            v.strip_prefix("NaN (").and_then(|b| b.strip_suffix(')')).unwrap_or(v);
                        TypedValue::parse(&format!("{ty}:{v}"))
                    });
                match parsed {
                    Ok(v) => values.push(v),
                    Err(e) => return Outcome::Error(e),
                }
            }
            Outcome::Values(values)
        }
        Some(3) => match stderr
            .lines()
            .find_map(|l| l.split_once("trap: ").map(|(_, m)| m.trim().to_string()))
        {
            Some(m) => Outcome::Trap(m),
            None => {
                Outcome::Error(format!("exit code 3 without `trap:` on stderr: {}", stderr.trim()))
            }
        },
        other => {
            let first = stderr.lines().next().unwrap_or("").trim().to_string();
            Outcome::Error(format!(
                "exit {}: {first}",
                other.map_or("signal".into(), |c| c.to_string())
            ))
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1}ms", d.as_secs_f64() * 1000.0)
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let opts = parse_options(args)?;
    let samples = xtask::samples_dir();
    let manifest_path = samples.join("manifest.toml");
    let manifest = Manifest::load(&manifest_path)?;
    let known = runner::expected_failures(&samples)?;
    let cli = match (opts.use_cli, opts.cli) {
        (false, _) => None,
        (true, Some(p)) => Some(p),
        (true, None) => Some(build_cli()?),
    };
    let cases: Vec<&Case> = manifest
        .cases
        .iter()
        .filter(|c| opts.filter.as_ref().is_none_or(|f| c.key().contains(f.as_str())))
        .collect();
    println!(
        "{:<22} {:<44} {:<30} {:<6} {:<6} {:>9} {:>9}",
        "FILE", "EXPORT(ARGS)", "EXPECTED", "LIB", "CLI", "LIB TIME", "CLI TIME"
    );
    let (mut passed, mut failed, mut xfailed) = (0, 0, 0);
    let mut details = Vec::new();
    for case in cases {
        let lib = runner::run_case_lib(&samples, case, TIMEOUT);
        let (cli_outcome, cli_time) = match &cli {
            Some(path) => {
                let start = Instant::now();
                let o = run_cli(path, &samples, case);
                (Some(judge(&case.expect, &o).map_err(|e| (e, o))), Some(start.elapsed()))
            }
            None => (None, None),
        };
        let lib_ok = lib.verdict.is_ok();
        let cli_ok = cli_outcome.as_ref().is_none_or(Result::is_ok);
        let is_known = known.iter().any(|k| k.key == case.key());
        let mark = |ok: bool| {
            if ok {
                "ok"
            } else if is_known {
                "xfail"
            } else {
                "FAIL"
            }
        };
        println!(
            "{:<22} {:<44} {:<30} {:<6} {:<6} {:>9} {:>9}",
            clip(&case.file, 22),
            clip(&format!("{}({})", case.export, case.args.join(", ")), 44),
            clip(&describe_expect(&case.expect), 30),
            mark(lib_ok),
            if cli.is_some() { mark(cli_ok) } else { "-" },
            ms(lib.elapsed),
            cli_time.map_or("-".into(), ms),
        );
        if let Err(e) = &lib.verdict {
            details.push(format!("lib {}: {e}", case.key()));
        }
        if let Some(Err((e, _))) = &cli_outcome {
            details.push(format!("cli {}: {e}", case.key()));
        }
        match (lib_ok && cli_ok, is_known) {
            (true, _) => passed += 1,
            (false, true) => xfailed += 1,
            (false, false) => failed += 1,
        }
    }
    if !details.is_empty() {
        println!("\nmismatches:");
        for d in &details {
            println!("  {d}");
        }
    }
    println!("\nsmoke: {passed} passed, {failed} failed, {xfailed} expected failure(s)");
    if failed > 0 { Err(format!("{failed} case(s) failed")) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cli_output() {
        let o = parse_cli_output(Some(0), "result[0] (i32): 42\nresult[1] (f64): 1.5\n", "");
        assert_eq!(
            o,
            Outcome::Values(vec![TypedValue::I32(42), TypedValue::F64(1.5f64.to_bits())])
        );
        let o = parse_cli_output(Some(3), "", "error: trap: integer divide by zero\n");
        assert_eq!(o, Outcome::Trap("integer divide by zero".into()));
        let o = parse_cli_output(Some(0), "result[0] (f32): NaN (0x7fa00001)\n", "");
        assert_eq!(o, Outcome::Values(vec![TypedValue::F32(0x7fa0_0001)]));
        assert!(matches!(parse_cli_output(Some(1), "", "error: boom"), Outcome::Error(_)));
        assert!(matches!(parse_cli_output(Some(0), "result[0] nonsense", ""), Outcome::Error(_)));
    }
}
