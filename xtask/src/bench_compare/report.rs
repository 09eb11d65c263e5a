//! What the kernel and the corpus reports of `cargo xtask bench-compare` share: the build
//! variants (profile, dispatch backend) and their results directories, criterion's results,
//! the machine and settings recorded with each run, number formatting, ratios and geometric
//! means, and splicing a generated block between markers of BENCHMARKS.md.

use crate::util::run_capture;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A cargo profile the benches are built in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// `cargo bench`: the workspace's profile bench (fat LTO, 1 codegen unit).
    Bench,
    /// `cargo bench --profile release` with the embedder's defaults forced (no LTO, 16 codegen
    /// units, opt-level 3), in its own target directory.
    Release,
}

/// How the plain release build is forced to an embedder's defaults, whatever the workspace's
/// `[profile.release]` says.
pub const RELEASE_ENV: [(&str, &str); 3] = [
    ("CARGO_PROFILE_RELEASE_LTO", "false"),
    ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
    ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "3"),
];

impl Profile {
    /// Both, in the order they run and are shown.
    pub const ALL: [Profile; 2] = [Profile::Bench, Profile::Release];

    /// `bench` or `release`, as `--profile` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Bench => "bench",
            Profile::Release => "release",
        }
    }

    /// A heading for the profile's tables.
    pub fn title(self) -> &'static str {
        match self {
            Profile::Bench => "bench profile (fat LTO, 1 codegen unit)",
            Profile::Release => "plain release build (no LTO, 16 codegen units)",
        }
    }

    /// Sets the profile on a `cargo bench` command; `target` is the workspace's target dir.
    pub fn configure(self, cmd: &mut Command, target: &Path) {
        if self == Profile::Release {
            cmd.args(["--profile", "release"])
                .env("CARGO_TARGET_DIR", target.join("plain-release"));
            cmd.envs(RELEASE_ENV);
        }
    }
}

/// One build of a bench: profile and dispatch backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// The cargo profile.
    pub profile: Profile,
    /// Built with `--features fayasm-exec/portable-dispatch` (the portable loop backend).
    pub portable: bool,
}

impl Variant {
    /// Every variant with `portable`, in profile order.
    pub fn all(portable: bool) -> impl Iterator<Item = Variant> {
        Profile::ALL.into_iter().map(move |profile| Variant { profile, portable })
    }

    /// The results directory of suite `suite` (`kernels`, `corpus`) under `results`.
    pub fn dir(self, results: &Path, suite: &str) -> PathBuf {
        let portable = if self.portable { "-portable" } else { "" };
        results.join(format!("{suite}-{}{portable}", self.profile.name()))
    }

    /// A short column label: `bench`, `release`, `bench, portable`.
    pub fn label(self) -> String {
        let portable = if self.portable { ", portable" } else { "" };
        format!("{}{portable}", self.profile.name())
    }
}

/// What both reports say about the two profiles.
pub const PROFILES_NOTE: &str = "Both profiles are built with the workspace's \
    `.cargo/config.toml` rustflags (on x86_64 every function aligned to 64 bytes, \
    `-C llvm-args=-align-all-functions=6`), for fayasm and wasmi alike. *bench*: `cargo bench` \
    (profile bench: fat LTO, 1 codegen unit). *release*: `cargo bench --profile release` with \
    `CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=3` in `target/plain-release`: what a crate depending on \
    fayasm-exec and wasmi gets from `cargo build --release`";

/// `(group, function)` -> (median, mean) in nanoseconds.
pub type Timings = BTreeMap<(String, String), (f64, f64)>;

/// The median estimate of `function` in `group`.
pub fn median(t: &Timings, group: &str, function: &str) -> Option<f64> {
    t.get(&(group.to_string(), function.to_string())).map(|&(median, _)| median)
}

/// Every criterion result under `dir` (`GROUP/FUNCTION/new/{benchmark,estimates}.json`).
pub fn read_criterion(dir: &Path) -> Result<Timings, String> {
    let mut out = Timings::new();
    let groups = match fs::read_dir(dir) {
        Ok(g) => g,
        Err(e) => return Err(format!("cannot list {}: {e}", dir.display())),
    };
    for group in groups.filter_map(Result::ok) {
        let Ok(functions) = fs::read_dir(group.path()) else { continue };
        for function in functions.filter_map(Result::ok) {
            let new = function.path().join("new");
            let (Ok(meta), Ok(est)) = (
                fs::read_to_string(new.join("benchmark.json")),
                fs::read_to_string(new.join("estimates.json")),
            ) else {
                continue;
            };
            let (Some(g), Some(f)) = (json_str(&meta, "group_id"), json_str(&meta, "function_id"))
            else {
                continue;
            };
            let median = json_point_estimate(&est, "median");
            let mean = json_point_estimate(&est, "mean");
            if let (Some(median), Some(mean)) = (median, mean) {
                out.insert((g, f), (median, mean));
            }
        }
    }
    Ok(out)
}

/// The string value of `"key":"..."` in criterion's flat `benchmark.json`.
fn json_str(text: &str, key: &str) -> Option<String> {
    let at = text.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = text[at..].trim_start().strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => out.push(chars.next()?),
            c => out.push(c),
        }
    }
    None
}

/// `estimates.json`: `{"mean":{"confidence_interval":{..},"point_estimate":X,..},..}`.
fn json_point_estimate(text: &str, stat: &str) -> Option<f64> {
    let at = text.find(&format!("\"{stat}\":"))?;
    let rest = &text[at..];
    let p = rest.find("\"point_estimate\":")? + "\"point_estimate\":".len();
    let num: String = rest[p..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        .collect();
    num.parse().ok()
}

/// One run's results directory: criterion's timings and what was recorded with them.
pub struct RunData {
    /// The build.
    pub variant: Variant,
    /// The results directory.
    pub dir: PathBuf,
    /// criterion's medians and means.
    pub timings: Timings,
    /// `(what, value)` rows of the machine table, recorded when the run started.
    pub machine: Vec<(String, String)>,
    /// criterion's settings (`--quick: warm-up 1 s, measurement 2 s`).
    pub mode: String,
}

const MACHINE_FILE: &str = "machine.tsv";
const MODE_FILE: &str = "mode.txt";

/// The criterion settings of a run, as the report words them.
pub fn mode_text(quick: bool) -> &'static str {
    if quick { "--quick: warm-up 1 s, measurement 2 s" } else { "default times" }
}

/// Records the machine and criterion's settings in a run's (fresh) results directory. The
/// machine and the commit are taken when the bench is built, not when the table is written:
/// other work may land in between.
pub fn record_run(root: &Path, dir: &Path, quick: bool) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tsv: String = machine(root).iter().map(|(k, v)| format!("{k}\t{v}\n")).collect();
    for (file, text) in [(MACHINE_FILE, tsv.as_str()), (MODE_FILE, mode_text(quick))] {
        let path = dir.join(file);
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Removes a run's old results before it runs again.
pub fn clear_run(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        fs::remove_dir_all(dir)
            .map_err(|e| format!("cannot remove old results {}: {e}", dir.display()))?;
    }
    Ok(())
}

/// The run of `variant` in `results/<suite>-...`, or `None` when it has no results.
pub fn load_run(results: &Path, suite: &str, variant: Variant) -> Result<Option<RunData>, String> {
    let dir = variant.dir(results, suite);
    if !dir.is_dir() {
        return Ok(None);
    }
    let timings = read_criterion(&dir)?;
    let machine_file = dir.join(MACHINE_FILE);
    let machine = fs::read_to_string(&machine_file)
        .map_err(|e| format!("cannot read {}: {e}", machine_file.display()))?
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mode =
        fs::read_to_string(dir.join(MODE_FILE)).unwrap_or_else(|_| "unknown settings".into());
    Ok(Some(RunData { variant, dir, timings, machine, mode: mode.trim().to_string() }))
}

/// Every run of `suite` with results, native builds first, then portable ones.
pub fn load_runs(results: &Path, suite: &str) -> Result<Vec<RunData>, String> {
    let mut out = Vec::new();
    for variant in Variant::all(false).chain(Variant::all(true)) {
        out.extend(load_run(results, suite, variant)?);
    }
    Ok(out)
}

/// The settings of `runs` for a caption: one text, or each run's.
pub fn modes(runs: &[&RunData]) -> String {
    let first = runs.first().map_or("unknown settings", |r| r.mode.as_str());
    if runs.iter().all(|r| r.mode == first) {
        first.to_string()
    } else {
        let each: Vec<String> =
            runs.iter().map(|r| format!("{}: {}", r.variant.label(), r.mode)).collect();
        each.join("; ")
    }
}

fn machine(root: &Path) -> Vec<(String, String)> {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')))
        .map(|(_, m)| m.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map(|n| n.get().to_string());
    let capture = |program: &str, args: &[&str]| {
        run_capture(Command::new(program).args(args).current_dir(root))
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "unknown".into())
    };
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let mut commit = capture("git", &["rev-parse", "--short", "HEAD"]);
    if !capture("git", &["status", "--porcelain", "--untracked-files=no", "crates"]).is_empty() {
        commit.push_str(" (crates/ had uncommitted changes)");
    }
    let lock = fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    vec![
        ("CPU".into(), model),
        ("cores".into(), cores.unwrap_or_else(|_| "unknown".into())),
        ("rustc".into(), capture(&rustc, &["--version"])),
        ("date (UTC)".into(), capture("date", &["-u", "+%Y-%m-%d %H:%M"])),
        ("fayasm commit".into(), commit),
        ("wasmi".into(), locked_version(&lock, "wasmi")),
        ("wasm3 (crate)".into(), locked_version(&lock, "wasm3")),
    ]
}

/// The version of package `name` in Cargo.lock.
fn locked_version(lock: &str, name: &str) -> String {
    let header = format!("name = \"{name}\"\n");
    lock.split("[[package]]")
        .find(|p| p.trim_start().starts_with(header.trim_end()) && p.contains(&header))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// A note when `runs` measured different fayasm commits (work landed between them), so that
/// their differences are not read as the build's alone.
pub fn commits_note(runs: &[&RunData]) -> Option<&'static str> {
    let commit =
        |r: &RunData| r.machine.iter().find(|(k, _)| k == "fayasm commit").map(|(_, v)| v.clone());
    let first = commit(runs.first()?);
    runs.iter().any(|r| commit(r) != first).then_some(
        "> **Note:** these runs measured different fayasm commits (see the machine table), so \
         their differences include changes to fayasm, not only the build.\n",
    )
}

/// The machine table, one value column per run (`skip` leaves rows out, e.g. wasm3's).
pub fn render_machine(s: &mut String, runs: &[&RunData], skip: &[&str]) {
    let _ = writeln!(s, "### Machine\n");
    let labels: Vec<String> = runs.iter().map(|r| r.variant.label()).collect();
    let _ = writeln!(s, "| | {} |", labels.join(" | "));
    let _ = writeln!(s, "| --- |{}", " --- |".repeat(runs.len()));
    let mut keys: Vec<&str> = Vec::new();
    for (k, _) in runs.iter().flat_map(|r| &r.machine) {
        if !keys.contains(&k.as_str()) && !skip.contains(&k.as_str()) {
            keys.push(k);
        }
    }
    for k in keys {
        let values: Vec<&str> = runs
            .iter()
            .map(|r| r.machine.iter().find(|(key, _)| key == k).map_or("–", |(_, v)| v.as_str()))
            .collect();
        let _ = writeln!(s, "| {k} | {} |", values.join(" | "));
    }
}

pub fn fmt_time(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// A time or `–`.
pub fn fmt_opt_time(t: Option<f64>) -> String {
    t.map_or_else(|| "–".into(), fmt_time)
}

pub fn fmt_ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "–".into(), |r| format!("{r:.2}×"))
}

/// `fayasm / peer` when both are known.
pub fn ratio(fayasm: Option<f64>, peer: Option<f64>) -> Option<f64> {
    fayasm.zip(peer).map(|(f, p)| f / p)
}

pub fn geomean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let sum: f64 = values.iter().map(|v| v.ln()).sum();
    Some((sum / values.len() as f64).exp())
}

/// A generated block of BENCHMARKS.md.
pub struct Section {
    /// The opening marker.
    pub start: &'static str,
    /// The closing marker.
    pub end: &'static str,
    /// What goes before the markers when the file does not have them yet (a heading).
    pub heading: &'static str,
}

/// Replaces the text between the section's markers in `old` with `table`; a file without them
/// gets the block at its end (after the section's heading), an empty one the intro first.
pub fn splice(old: &str, section: &Section, table: &str) -> String {
    let (start, end) = (section.start, section.end);
    let block = format!("{start}\n{table}{end}\n");
    match (old.find(start), old.find(end)) {
        (Some(a), Some(b)) if a < b => {
            let after = &old[b + end.len()..];
            let after = after.strip_prefix('\n').unwrap_or(after);
            format!("{}{block}{after}", &old[..a])
        }
        _ if old.trim().is_empty() => format!("{INTRO}\n{}{block}", section.heading),
        _ => format!("{}\n\n{}{block}", old.trim_end(), section.heading),
    }
}

const INTRO: &str = "# Benchmarks

fayasm measured side by side with wasmi and wasm3 on C kernels compiled by Emscripten
(`wasm_samples/src/kernel_*.c`). Rerun with `cargo xtask bench-compare [--quick]`; the parts
between the markers below are regenerated, the rest of this file is not.
";

#[cfg(test)]
mod tests {
    use super::*;

    const SECTION: Section =
        Section { start: "<!-- s -->", end: "<!-- e -->", heading: "## H\n\n" };

    #[test]
    fn parses_criterion_json() {
        let meta = r#"{"group_id":"call-fib","function_id":"fayasm","value_str":null}"#;
        assert_eq!(json_str(meta, "group_id").as_deref(), Some("call-fib"));
        assert_eq!(json_str(meta, "function_id").as_deref(), Some("fayasm"));
        let est = r#"{"mean":{"confidence_interval":{"lower_bound":1.0},"point_estimate":2.5e6,"standard_error":1.0},"median":{"point_estimate":123.25}}"#;
        assert_eq!(json_point_estimate(est, "mean"), Some(2.5e6));
        assert_eq!(json_point_estimate(est, "median"), Some(123.25));
    }

    #[test]
    fn splices_between_markers() {
        let old = "intro\n<!-- s -->\nold\n<!-- e -->\ntail\n";
        assert_eq!(splice(old, &SECTION, "new\n"), "intro\n<!-- s -->\nnew\n<!-- e -->\ntail\n");
        assert_eq!(
            splice("intro\n", &SECTION, "t\n"),
            "intro\n\n## H\n\n<!-- s -->\nt\n<!-- e -->\n"
        );
        assert!(splice("", &SECTION, "t\n").starts_with("# Benchmarks"));
    }

    #[test]
    fn geometric_mean_and_ratio() {
        assert!((geomean(&[2.0, 8.0]).unwrap() - 4.0).abs() < 1e-9);
        assert_eq!(geomean(&[]), None);
        assert_eq!(ratio(Some(3.0), Some(2.0)), Some(1.5));
        assert_eq!(ratio(None, Some(2.0)), None);
    }

    #[test]
    fn results_dirs_and_labels() {
        let bench = Variant { profile: Profile::Bench, portable: false };
        let release = Variant { profile: Profile::Release, portable: true };
        assert_eq!(bench.dir(Path::new("r"), "kernels"), Path::new("r/kernels-bench"));
        assert_eq!(release.dir(Path::new("r"), "corpus"), Path::new("r/corpus-release-portable"));
        assert_eq!(release.label(), "release, portable");
    }

    #[test]
    fn machine_table_has_a_column_per_run() {
        let run = |profile, commit: &str| RunData {
            variant: Variant { profile, portable: false },
            dir: PathBuf::new(),
            timings: Timings::new(),
            machine: vec![
                ("CPU".into(), "EPYC".into()),
                ("fayasm commit".into(), commit.into()),
                ("wasm3 (crate)".into(), "0.3.1".into()),
            ],
            mode: String::new(),
        };
        let (a, b) = (run(Profile::Bench, "abc"), run(Profile::Release, "def"));
        assert!(commits_note(&[&a, &b]).is_some_and(|n| n.contains("different fayasm commits")));
        assert_eq!(commits_note(&[&a, &a]), None);
        let mut s = String::new();
        render_machine(&mut s, &[&a, &b], &["wasm3 (crate)"]);
        assert_eq!(
            s,
            "### Machine\n\n| | bench | release |\n| --- | --- | --- |\n| CPU | EPYC | EPYC |\n| fayasm commit | abc | def |\n"
        );
    }
}
