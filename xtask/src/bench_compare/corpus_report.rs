//! The corpus part of `cargo xtask bench-compare --corpus DIR`: reads each run of the `corpus`
//! bench (criterion's `corpus-<case>` groups and the bench's `corpus.tsv`) and renders the
//! tables between the `bench-corpus` markers of BENCHMARKS.md: per case fayasm's and wasmi's
//! time and their ratio in each profile, CoreMark's scores (counted as 1/score: the ratio is
//! wasmi's score over fayasm's), the geometric mean per profile, the skipped cases, a smaller
//! table for the portable dispatch backend, and the machine.

use super::report::{
    self, PROFILES_NOTE, RunData, Section, fmt_opt_time, fmt_ratio, geomean, modes, render_machine,
};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use xtask::corpus::{BenchResults, Outcome, RESULTS_FILE};

/// Where the corpus tables go.
pub const SECTION: Section = Section {
    start: "<!-- bench-corpus:start -->",
    end: "<!-- bench-corpus:end -->",
    heading: "## Code compiled elsewhere: wasmi-benchmarks\n\n",
};

/// The results directories' suite name.
pub const SUITE: &str = "corpus";

/// One run of the corpus bench.
pub struct CorpusRun {
    /// criterion's timings and the recorded machine and settings.
    pub run: RunData,
    /// What the bench recorded per case.
    pub results: BenchResults,
}

/// Every corpus run with results under `results`; a run without the bench's results file (it
/// did not finish) is left out with a warning.
pub fn load(results: &Path) -> Result<Vec<CorpusRun>, String> {
    let mut out = Vec::new();
    for mut run in report::load_runs(results, SUITE)? {
        let path = run.dir.join(RESULTS_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!(
                    "warning: leaving out the corpus run in {}: cannot read {} ({e}); the \
                     corpus bench did not finish",
                    run.dir.display(),
                    path.display()
                );
                continue;
            }
        };
        let results = BenchResults::parse_tsv(&text, &path.display().to_string())?;
        run.machine.push(("fayasm dispatch backend".into(), results.backend.clone()));
        out.push(CorpusRun { run, results });
    }
    Ok(out)
}

/// A case's numbers in one run.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    /// criterion's median times of the `run` call(s), ns.
    Time { fayasm: Option<f64>, wasmi: Option<f64> },
    /// CoreMark's median scores.
    Score { fayasm: Option<f64>, wasmi: Option<f64> },
    /// fayasm rejected the module.
    Skipped(String),
    /// Not in this run.
    Missing,
}

impl Cell {
    /// fayasm relative to wasmi, above 1 when fayasm is slower: time over time, or for a score
    /// (work per time) wasmi's over fayasm's.
    fn ratio(&self) -> Option<f64> {
        match *self {
            Cell::Time { fayasm, wasmi } => report::ratio(fayasm, wasmi),
            Cell::Score { fayasm, wasmi } => report::ratio(wasmi, fayasm),
            Cell::Skipped(_) | Cell::Missing => None,
        }
    }

    /// The fayasm and wasmi cells.
    fn values(&self) -> [String; 2] {
        let score = |s: Option<f64>| s.map_or_else(|| "–".into(), |s| format!("{s:.0}"));
        match *self {
            Cell::Time { fayasm, wasmi } => [fmt_opt_time(fayasm), fmt_opt_time(wasmi)],
            Cell::Score { fayasm, wasmi } => [score(fayasm), score(wasmi)],
            Cell::Skipped(_) => ["skipped".into(), "skipped".into()],
            Cell::Missing => ["–".into(), "–".into()],
        }
    }
}

fn cell(run: &CorpusRun, case: &str) -> Cell {
    let Some(c) = run.results.cases.iter().find(|c| c.name == case) else {
        return Cell::Missing;
    };
    match &c.outcome {
        Outcome::Timed => {
            let group = format!("corpus-{case}");
            let t = |engine| report::median(&run.run.timings, &group, engine);
            Cell::Time { fayasm: t("fayasm"), wasmi: t("wasmi") }
        }
        Outcome::Skipped(reason) => Cell::Skipped(reason.clone()),
        Outcome::Scores { fayasm, wasmi } => Cell::Score {
            fayasm: xtask::corpus::median(fayasm),
            wasmi: xtask::corpus::median(wasmi),
        },
    }
}

/// Case names and kinds in the order of the runs' results.
fn cases(runs: &[&CorpusRun]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for c in runs.iter().flat_map(|r| &r.results.cases) {
        if !out.iter().any(|(name, _)| *name == c.name) {
            out.push((c.name.clone(), c.kind.clone()));
        }
    }
    out
}

/// One table over `runs`: per run fayasm, wasmi (when `full`) and the ratio; the geometric
/// mean of each run's ratios last.
fn table(s: &mut String, runs: &[&CorpusRun], full: bool) {
    let mut head = String::from("| case | kind |");
    let mut align = String::from("| --- | --- |");
    for r in runs {
        let l = r.run.variant.label();
        let _ = write!(head, " fayasm ({l}) |");
        if full {
            let _ = write!(head, " wasmi ({l}) |");
        }
        let _ = write!(head, " fayasm / wasmi ({l}) |");
        align.push_str(if full { " ---: | ---: | ---: |" } else { " ---: | ---: |" });
    }
    let _ = writeln!(s, "{head}\n{align}");
    let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); runs.len()];
    for (name, kind) in cases(runs) {
        let kind = if kind == "coremark" { "coremark (score)".to_string() } else { kind };
        let _ = write!(s, "| {name} | {kind} |");
        for (r, ratios) in runs.iter().zip(&mut ratios) {
            let c = cell(r, &name);
            let [f, w] = c.values();
            let ratio = c.ratio();
            ratios.extend(ratio);
            let _ = write!(s, " {f} |");
            if full {
                let _ = write!(s, " {w} |");
            }
            let _ = write!(s, " {} |", fmt_ratio(ratio));
        }
        s.push('\n');
    }
    let counts: Vec<usize> = ratios.iter().map(Vec::len).collect();
    let label = match counts.first() {
        Some(&n) if counts.iter().all(|&c| c == n) => {
            format!("**geometric mean** ({n} case{})", if n == 1 { "" } else { "s" })
        }
        _ => "**geometric mean**".into(),
    };
    let _ = write!(s, "| {label} | |");
    for r in &ratios {
        let _ = write!(s, "{} **{}** |", if full { " | |" } else { " |" }, fmt_ratio(geomean(r)));
    }
    s.push_str("\n\n");
}

/// CoreMark's median and every run's score, per run of the bench (nothing without CoreMark).
fn coremark_lines(out: &mut String, runs: &[&CorpusRun]) {
    let mut s = String::new();
    let all = |v: &[f64]| v.iter().map(|x| format!("{x:.0}")).collect::<Vec<_>>().join(", ");
    for r in runs {
        for c in &r.results.cases {
            if let Outcome::Scores { fayasm, wasmi } = &c.outcome {
                let med = |v: &[f64]| {
                    xtask::corpus::median(v).map_or_else(|| "–".into(), |m| format!("{m:.0}"))
                };
                let _ = writeln!(
                    s,
                    "* {} ({}): fayasm **{}** (runs: {}), wasmi **{}** (runs: {})",
                    c.name,
                    r.run.variant.label(),
                    med(fayasm),
                    all(fayasm),
                    med(wasmi),
                    all(wasmi)
                );
            }
        }
    }
    if !s.is_empty() {
        let _ = writeln!(out, "CoreMark scores:\n\n{s}");
    }
}

/// The skipped cases, each reason once with the runs it applies to.
fn skipped_lines(s: &mut String, runs: &[&CorpusRun]) {
    let mut seen: Vec<(String, String, Vec<String>)> = Vec::new();
    for r in runs {
        for c in &r.results.cases {
            if let Outcome::Skipped(reason) = &c.outcome {
                match seen.iter_mut().find(|(n, why, _)| *n == c.name && why == reason) {
                    Some((_, _, labels)) => labels.push(r.run.variant.label()),
                    None => {
                        seen.push((c.name.clone(), reason.clone(), vec![r.run.variant.label()]))
                    }
                }
            }
        }
    }
    for (name, reason, labels) in seen {
        let _ = writeln!(
            s,
            "* `{name}` ({}): fayasm rejects the module: `{reason}`",
            labels.join("; ")
        );
    }
}

/// The text between the markers.
pub fn render(runs: &[CorpusRun]) -> String {
    let native: Vec<&CorpusRun> = runs.iter().filter(|r| !r.run.variant.portable).collect();
    let portable: Vec<&CorpusRun> = runs.iter().filter(|r| r.run.variant.portable).collect();
    let all: Vec<&RunData> = runs.iter().map(|r| &r.run).collect();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "_Generated by `cargo xtask bench-compare --corpus DIR` (criterion, {}, 10 samples per \
         measurement). Times are criterion's median estimate of one iteration: the case's `run` \
         call(s) on an instance freshly instantiated and set up for it (not timed). fayasm and \
         wasmi run in one process, both with eager compilation, and every expected output is \
         checked on both before timing. Ratios above 1 mean fayasm is slower. CoreMark is a \
         score (higher is better, median of the runs below): its ratio, and its part in the \
         geometric mean, is wasmi's score / fayasm's._\n",
        modes(&all)
    );
    let _ = writeln!(s, "_{PROFILES_NOTE}._\n");
    if let Some(note) = report::commits_note(&all) {
        let _ = writeln!(s, "{note}");
    }
    if !native.is_empty() {
        let _ = writeln!(s, "### Call time (tail-call dispatch)\n");
        table(&mut s, &native, true);
        coremark_lines(&mut s, &native);
    }
    let mut skipped = String::new();
    skipped_lines(&mut skipped, &native.iter().chain(&portable).copied().collect::<Vec<_>>());
    if !skipped.is_empty() {
        let _ = writeln!(s, "Skipped (a proposal fayasm does not implement):\n\n{skipped}");
    }
    if !portable.is_empty() {
        let _ = writeln!(
            s,
            "### Portable loop backend (`--portable`: `--features fayasm-exec/portable-dispatch`, \
             the dispatch ESP32-class targets run; wasmi unchanged)\n"
        );
        table(&mut s, &portable, false);
        coremark_lines(&mut s, &portable);
    }
    render_machine(&mut s, &all, &["wasm3 (crate)"]);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench_compare::report::{Profile, Timings, Variant};
    use std::path::PathBuf;
    use xtask::corpus::CaseResult;

    fn run(
        profile: Profile,
        portable: bool,
        times: &[(&str, f64, f64)],
        outcomes: Vec<CaseResult>,
    ) -> CorpusRun {
        let mut timings = Timings::new();
        for &(case, f, w) in times {
            timings.insert((format!("corpus-{case}"), "fayasm".into()), (f, f));
            timings.insert((format!("corpus-{case}"), "wasmi".into()), (w, w));
        }
        CorpusRun {
            run: RunData {
                variant: Variant { profile, portable },
                dir: PathBuf::new(),
                timings,
                machine: vec![("fayasm commit".into(), "abc".into())],
                mode: "--quick: warm-up 1 s, measurement 2 s".into(),
            },
            results: BenchResults { backend: "tail".into(), cases: outcomes },
        }
    }

    fn case(name: &str, kind: &str, outcome: Outcome) -> CaseResult {
        CaseResult { name: name.into(), kind: kind.into(), outcome }
    }

    fn outcomes() -> Vec<CaseResult> {
        vec![
            case("fib", "direct", Outcome::Timed),
            case("tail", "direct", Outcome::Skipped("tail calls support is not enabled".into())),
            case("sort", "staged", Outcome::Timed),
            case(
                "coremark",
                "coremark",
                Outcome::Scores {
                    fayasm: vec![1000.0, 900.0, 1100.0],
                    wasmi: vec![2000.0, 2000.0, 1800.0],
                },
            ),
        ]
    }

    #[test]
    fn ratios_count_coremark_as_one_over_score() {
        let r =
            run(Profile::Bench, false, &[("fib", 200.0, 100.0), ("sort", 50.0, 100.0)], outcomes());
        assert_eq!(cell(&r, "fib").ratio(), Some(2.0));
        assert_eq!(cell(&r, "sort").ratio(), Some(0.5));
        // Median scores 1000 and 2000: fayasm does half the work per second, like taking 2x.
        assert_eq!(cell(&r, "coremark"), Cell::Score { fayasm: Some(1000.0), wasmi: Some(2000.0) });
        assert_eq!(cell(&r, "coremark").ratio(), Some(2.0));
        assert_eq!(cell(&r, "tail").ratio(), None);
        assert_eq!(cell(&r, "nope"), Cell::Missing);
    }

    #[test]
    fn renders_both_profiles_side_by_side() {
        let bench =
            run(Profile::Bench, false, &[("fib", 200e6, 100e6), ("sort", 50e6, 100e6)], outcomes());
        let release = run(
            Profile::Release,
            false,
            &[("fib", 300e6, 100e6), ("sort", 100e6, 100e6)],
            outcomes(),
        );
        let portable =
            run(Profile::Bench, true, &[("fib", 400e6, 100e6), ("sort", 100e6, 100e6)], outcomes());
        let text = render(&[bench, release, portable]);
        assert!(text.contains(
            "| case | kind | fayasm (bench) | wasmi (bench) | fayasm / wasmi (bench) | fayasm (release) | wasmi (release) | fayasm / wasmi (release) |"
        ), "{text}");
        assert!(
            text.contains(
                "| fib | direct | 200.0 ms | 100.0 ms | 2.00× | 300.0 ms | 100.0 ms | 3.00× |"
            ),
            "{text}"
        );
        assert!(
            text.contains("| tail | direct | skipped | skipped | – | skipped | skipped | – |"),
            "{text}"
        );
        assert!(text.contains("| coremark | coremark (score) | 1000 | 2000 | 2.00× |"), "{text}");
        // bench: (2 * 0.5 * 2)^(1/3); release: (3 * 1 * 2)^(1/3).
        assert!(
            text.contains("| **geometric mean** (3 cases) | | | | **1.26×** | | | **1.82×** |"),
            "{text}"
        );
        assert!(text.contains("* coremark (bench): fayasm **1000** (runs: 1000, 900, 1100), wasmi **2000** (runs: 2000, 2000, 1800)"), "{text}");
        assert!(text.contains("* `tail` (bench; release; bench, portable): fayasm rejects the module: `tail calls support is not enabled`"), "{text}");
        assert!(text.contains("| case | kind | fayasm (bench, portable) | fayasm / wasmi (bench, portable) |\n| --- | --- | ---: | ---: |\n| fib | direct | 400.0 ms | 4.00× |"), "{text}");
        assert!(text.contains("| **geometric mean** (3 cases) | | | **2.00×** |"), "{text}");
        assert!(text.contains("| | bench | release | bench, portable |"), "{text}");
        assert!(text.contains("--quick: warm-up 1 s, measurement 2 s"), "{text}");
    }
}
