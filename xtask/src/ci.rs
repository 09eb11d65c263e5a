//! `cargo xtask ci`: runs `.ci/run`, the one definition of what CI checks (formatting, clippy,
//! no_std builds, the test suite, and the interpreter's release-build checks), so a local run
//! and CI cannot drift apart.

use crate::util::run_status;
use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("`ci` takes no arguments (got `{a}`)"));
    }
    let root = xtask::workspace_root();
    let script = root.join(".ci").join("run");
    if !script.is_file() {
        return Err(format!("{} is missing", script.display()));
    }
    run_status(Command::new("bash").arg(&script).current_dir(&root))?;
    eprintln!("ci: all steps passed");
    Ok(())
}
