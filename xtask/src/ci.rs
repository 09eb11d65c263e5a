//! `cargo xtask ci`: the same steps as `.ci/run`, in the same order (tests last).

use crate::util::run_status;
use std::process::Command;

/// The steps, shared with `.ci/run` by convention (keep both in sync).
const STEPS: &[&[&str]] = &[
    &["fmt", "--all", "--check"],
    &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
    &["test", "--workspace", "-j2"],
];

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("`ci` takes no arguments (got `{a}`)"));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = xtask::workspace_root();
    for step in STEPS {
        run_status(Command::new(&cargo).args(*step).current_dir(&root))?;
    }
    eprintln!("ci: all steps passed");
    Ok(())
}
