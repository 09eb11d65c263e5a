//! Small process helpers shared by the commands.

use std::path::Path;
use std::process::{Command, Stdio};

/// Whether `program --version` runs.
pub fn tool_exists(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The first program of `names` that runs.
pub fn find_tool(names: &[&str]) -> Option<String> {
    names.iter().find(|n| tool_exists(n)).map(|n| (*n).to_string())
}

/// Runs `cmd`, inheriting stdio; an error names the command.
pub fn run_status(cmd: &mut Command) -> Result<(), String> {
    let shown = show(cmd);
    eprintln!("$ {shown}");
    let status = cmd.status().map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("`{shown}` failed ({status})")) }
}

/// Runs `cmd` and returns its stdout; on failure the error holds its stderr.
pub fn run_capture(cmd: &mut Command) -> Result<String, String> {
    let shown = show(cmd);
    let out = cmd.output().map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`{shown}` failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("`{shown}` printed non-UTF-8 output"))
}

/// A shell-like rendering of a command.
pub fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Writes `contents` to `path` only if it differs; returns whether it changed.
pub fn write_if_changed(path: &Path, contents: &[u8]) -> Result<bool, String> {
    if std::fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(true)
}
