//! A corpus of wasm modules compiled elsewhere (today the execute suite and CoreMark of
//! wasmi-benchmarks): its `manifest.toml`, and the results file the `corpus` bench writes next to
//! criterion's results for `cargo xtask bench-compare --corpus DIR` to read.
//!
//! The corpus lives outside the repository; nothing here reads it unless given its directory,
//! and tests use small manifests of their own.
//!
//! The manifest is a TOML subset read by a hand-written parser (the xtask library takes no
//! parser dependencies): `# comments`, `[[case]]` tables, and `key = value` where a value
//! is a `"string"`, an integer or an array of values (arrays may nest and span lines). Keys of
//! a case:
//!
//! - `name`, `file` (relative to the corpus directory; `.wat` files are text), `kind`: required.
//! - kind `direct`: optional `arg` (one typed value, `i64:35`) and `result` (the expected one).
//! - kind `staged`: optional `setup_arg`, `input` (a file written to memory `memory` at
//!   `input_ptr(data)`), `calls` (how many `run(data)` calls are timed together, default 1),
//!   `checks` (`[["export", "i64:5"], ...]`: `export(data)` must return the value) and
//!   `output_file` (the bytes at `output_ptr(data)` must equal the file).
//! - kind `coremark`: no other keys; imports `env.clock_ms: () -> i32` and `run()` returns the
//!   score as f32.

use crate::value::TypedValue;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How a case is called (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Run {
    /// `run(arg)`, compared with `result` when given.
    Direct {
        /// The argument of `run`, if it takes one.
        arg: Option<TypedValue>,
        /// The expected result.
        result: Option<TypedValue>,
    },
    /// `setup`, optional input, `run(data)` `calls` times, checks, `teardown(data)`.
    Staged(Staged),
    /// CoreMark: `run()` returns the score.
    Coremark,
}

/// The call sequence of a `staged` case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staged {
    /// The argument of `setup`; when absent, `setup(len(input))` with an input, else `setup()`.
    pub setup_arg: Option<TypedValue>,
    /// A file of the corpus written to memory at `input_ptr(data)`.
    pub input: Option<String>,
    /// `run(data)` calls per timed iteration.
    pub calls: u32,
    /// `export(data)` must return the value, after the calls.
    pub checks: Vec<(String, TypedValue)>,
    /// A file of the corpus that the bytes at `output_ptr(data)` must equal.
    pub output_file: Option<String>,
}

impl Staged {
    /// The argument list of `setup`, given the input file's length.
    pub fn setup_args(&self, input_len: Option<usize>) -> Vec<TypedValue> {
        match (self.setup_arg, input_len) {
            (Some(v), _) => vec![v],
            (None, Some(len)) => vec![TypedValue::I32(len as i32)],
            (None, None) => Vec::new(),
        }
    }
}

impl Run {
    /// The manifest's name of the kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Run::Direct { .. } => "direct",
            Run::Staged(_) => "staged",
            Run::Coremark => "coremark",
        }
    }
}

/// One case of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Unique name, e.g. `fibonacci-rec`.
    pub name: String,
    /// The module, relative to the corpus directory.
    pub file: String,
    /// How it is called.
    pub run: Run,
    /// 1-based line of its `[[case]]` header.
    pub line: usize,
}

/// A corpus directory and its manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corpus {
    /// The directory holding `manifest.toml` and the files it names.
    pub dir: PathBuf,
    /// Cases in manifest order.
    pub cases: Vec<Case>,
}

impl Corpus {
    /// Reads `dir/manifest.toml`; a missing directory or manifest is an error naming the path.
    pub fn load(dir: &Path) -> Result<Corpus, String> {
        if !dir.is_dir() {
            return Err(format!(
                "corpus directory {} does not exist (expected a directory with a manifest.toml \
                 of [[case]] tables, such as the wasmi-benchmarks corpus)",
                dir.display()
            ));
        }
        let path = dir.join("manifest.toml");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read corpus manifest {}: {e}", path.display()))?;
        let cases = parse(&text, &path.display().to_string())?;
        Ok(Corpus { dir: dir.to_path_buf(), cases })
    }

    /// The path of a file the manifest names.
    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    /// Checks that every module, input and output file the manifest names exists.
    pub fn check_files(&self) -> Result<(), String> {
        for case in &self.cases {
            let mut files = vec![&case.file];
            if let Run::Staged(s) = &case.run {
                files.extend(s.input.iter().chain(&s.output_file));
            }
            for file in files {
                let path = self.path(file);
                if !path.is_file() {
                    return Err(format!(
                        "corpus case `{}`: {} does not exist",
                        case.name,
                        path.display()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The module bytes of `case`, `.wat` converted to binary with `convert` (the `wat`
    /// crate, which the xtask library does not depend on).
    pub fn module_bytes(
        &self,
        case: &Case,
        convert: impl FnOnce(&str) -> Result<Vec<u8>, String>,
    ) -> Result<Vec<u8>, String> {
        let path = self.path(&case.file);
        let at = |e: String| format!("corpus case `{}`: {}: {e}", case.name, path.display());
        if case.file.ends_with(".wat") {
            let text = std::fs::read_to_string(&path).map_err(|e| at(e.to_string()))?;
            convert(&text).map_err(at)
        } else {
            std::fs::read(&path).map_err(|e| at(e.to_string()))
        }
    }
}

/// A manifest value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Str(String),
    Int(i64),
    Array(Vec<Item>),
}

impl Item {
    fn describe(&self) -> &'static str {
        match self {
            Item::Str(_) => "a string",
            Item::Int(_) => "an integer",
            Item::Array(_) => "an array",
        }
    }
}

/// A `[[case]]` table: its header line and its `(key, value, line)` entries.
struct Table {
    line: usize,
    entries: Vec<(String, Item, usize)>,
}

/// A position in the manifest text.
struct Cursor<'a> {
    rest: &'a str,
    line: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.rest = &self.rest[c.len_utf8()..];
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn eat(&mut self, prefix: &str) -> bool {
        match self.rest.strip_prefix(prefix) {
            Some(r) => {
                self.rest = r;
                true
            }
            None => false,
        }
    }

    /// Skips blanks and comments; also line breaks when `lines` (inside arrays, between
    /// entries).
    fn skip(&mut self, lines: bool) {
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' => {}
                '\n' if lines => {}
                '#' => {
                    let end = self.rest.find('\n').unwrap_or(self.rest.len());
                    self.rest = &self.rest[end..];
                    continue;
                }
                _ => return,
            }
            self.bump();
        }
    }

    /// The end of an entry: blanks, an optional comment, then a line break or the end.
    fn end_of_line(&mut self) -> Result<(), String> {
        self.skip(false);
        match self.peek() {
            None => Ok(()),
            Some('\n') => {
                self.bump();
                Ok(())
            }
            Some(_) => Err(format!("unexpected `{}` after the value", first_line(self.rest))),
        }
    }

    fn bare(&mut self, what: &str) -> Result<&str, String> {
        let len = self
            .rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(self.rest.len());
        if len == 0 {
            return Err(format!("expected {what}, found `{}`", first_line(self.rest)));
        }
        let (word, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(word)
    }

    fn value(&mut self) -> Result<Item, String> {
        match self.peek() {
            Some('"') => self.string().map(Item::Str),
            Some('[') => {
                self.bump();
                let mut items = Vec::new();
                loop {
                    self.skip(true);
                    if self.eat("]") {
                        return Ok(Item::Array(items));
                    }
                    if self.peek().is_none() {
                        return Err("unterminated array (missing `]`)".into());
                    }
                    items.push(self.value()?);
                    self.skip(true);
                    if self.peek().is_none() {
                        return Err("unterminated array (missing `]`)".into());
                    }
                    if !self.eat(",") && !self.rest.starts_with(']') {
                        return Err(format!(
                            "expected `,` or `]` in an array, found `{}`",
                            first_line(self.rest)
                        ));
                    }
                }
            }
            Some(c) if c.is_ascii_digit() || c == '-' => {
                let word = self.bare("an integer").map(|w| w.replace('_', ""))?;
                word.parse().map(Item::Int).map_err(|e| format!("`{word}` is not an integer ({e})"))
            }
            _ => Err(format!(
                "expected a value (\"string\", integer or [array]), found `{}`",
                first_line(self.rest)
            )),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None | Some('\n') => return Err("unterminated string".into()),
                Some('"') => return Ok(out),
                Some('\\') => out.push(match self.bump() {
                    Some('"') => '"',
                    Some('\\') => '\\',
                    Some('n') => '\n',
                    Some('t') => '\t',
                    other => {
                        return Err(format!(
                            "unsupported escape `\\{}` in a string",
                            other.unwrap_or(' ')
                        ));
                    }
                }),
                Some(c) => out.push(c),
            }
        }
    }
}

fn first_line(s: &str) -> &str {
    s.split('\n').next().unwrap_or("").trim_end()
}

/// Splits the text into its `[[case]]` tables.
fn tables(text: &str, origin: &str) -> Result<Vec<Table>, String> {
    let mut cur = Cursor { rest: text, line: 1 };
    let mut tables: Vec<Table> = Vec::new();
    loop {
        cur.skip(true);
        if cur.peek().is_none() {
            return Ok(tables);
        }
        let line = cur.line;
        let at = |e: String| format!("{origin}:{line}: {e}");
        if cur.eat("[[") {
            let name = cur.bare("a table name").map_err(at)?.to_string();
            if !cur.eat("]]") || name != "case" {
                return Err(at(format!(
                    "unknown table header `{}` (only [[case]] is allowed)",
                    first_line(text.lines().nth(line - 1).unwrap_or(""))
                )));
            }
            cur.end_of_line().map_err(at)?;
            tables.push(Table { line, entries: Vec::new() });
            continue;
        }
        let key = cur.bare("`key = value` or [[case]]").map_err(at)?.to_string();
        cur.skip(false);
        if !cur.eat("=") {
            return Err(at(format!("expected `=` after `{key}`")));
        }
        cur.skip(false);
        let value = cur.value().map_err(at)?;
        cur.end_of_line().map_err(at)?;
        let Some(table) = tables.last_mut() else {
            return Err(at(format!("`{key}` outside a [[case]]")));
        };
        if table.entries.iter().any(|(k, _, _)| *k == key) {
            return Err(at(format!("duplicate key `{key}`")));
        }
        table.entries.push((key, value, line));
    }
}

/// Parses manifest text; `origin` (usually the path) prefixes error messages, which also name
/// the line and, once it is known, the case.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Case>, String> {
    let mut cases: Vec<Case> = Vec::new();
    for table in tables(text, origin)? {
        let case = case(table, origin)?;
        if let Some(first) = cases.iter().find(|c| c.name == case.name) {
            return Err(format!(
                "{origin}:{}: case `{}` is already defined at line {}",
                case.line, case.name, first.line
            ));
        }
        cases.push(case);
    }
    Ok(cases)
}

/// The keys each kind accepts besides `name`, `file` and `kind`.
fn kind_keys(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "direct" => Some(&["arg", "result"]),
        "staged" => Some(&["setup_arg", "input", "calls", "checks", "output_file"]),
        "coremark" => Some(&[]),
        _ => None,
    }
}

fn case(table: Table, origin: &str) -> Result<Case, String> {
    let header = table.line;
    let get = |key: &str| table.entries.iter().find(|(k, _, _)| k == key);
    let string = |key: &str| -> Result<Option<String>, String> {
        match get(key) {
            None => Ok(None),
            Some((_, Item::Str(s), _)) => Ok(Some(s.clone())),
            Some((_, other, line)) => {
                Err(format!("{origin}:{line}: `{key}` takes a string, not {}", other.describe()))
            }
        }
    };
    let name =
        string("name")?.ok_or_else(|| format!("{origin}:{header}: [[case]] has no `name`"))?;
    let at = |line: usize, e: String| format!("{origin}:{line}: case `{name}`: {e}");
    let file = string("file")?.ok_or_else(|| at(header, "no `file`".into()))?;
    let kind = string("kind")?.ok_or_else(|| at(header, "no `kind`".into()))?;
    let allowed = kind_keys(&kind).ok_or_else(|| {
        at(header, format!("unknown kind `{kind}` (expected direct, staged or coremark)"))
    })?;
    for (key, _, line) in &table.entries {
        if !["name", "file", "kind"].contains(&key.as_str()) && !allowed.contains(&key.as_str()) {
            return Err(at(*line, format!("`{key}` does not apply to kind `{kind}`")));
        }
    }
    let typed = |key: &str| -> Result<Option<TypedValue>, String> {
        let line = get(key).map_or(header, |e| e.2);
        string(key)?.map(|s| TypedValue::parse(&s).map_err(|e| at(line, e))).transpose()
    };
    let run = match kind.as_str() {
        "direct" => Run::Direct { arg: typed("arg")?, result: typed("result")? },
        "staged" => {
            let calls = match get("calls") {
                None => 1,
                Some((_, Item::Int(n), line)) => u32::try_from(*n)
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| at(*line, format!("`calls` must be at least 1, not {n}")))?,
                Some((_, other, line)) => {
                    return Err(at(
                        *line,
                        format!("`calls` takes an integer, not {}", other.describe()),
                    ));
                }
            };
            let checks = match get("checks") {
                None => Vec::new(),
                Some((_, Item::Array(items), line)) => items
                    .iter()
                    .map(|item| match item {
                        Item::Array(pair) => match pair.as_slice() {
                            [Item::Str(export), Item::Str(value)] => {
                                Ok((export.clone(), TypedValue::parse(value)?))
                            }
                            _ => Err(format!(
                                "a check is [\"export\", \"type:value\"], not {pair:?}"
                            )),
                        },
                        other => Err(format!(
                            "a check is [\"export\", \"type:value\"], not {}",
                            other.describe()
                        )),
                    })
                    .collect::<Result<_, _>>()
                    .map_err(|e| at(*line, e))?,
                Some((_, other, line)) => {
                    return Err(at(
                        *line,
                        format!("`checks` takes an array of pairs, not {}", other.describe()),
                    ));
                }
            };
            Run::Staged(Staged {
                setup_arg: typed("setup_arg")?,
                input: string("input")?,
                calls,
                checks,
                output_file: string("output_file")?,
            })
        }
        _ => Run::Coremark,
    };
    Ok(Case { name, file, run, line: header })
}

/// The file the corpus bench writes into its results directory.
pub const RESULTS_FILE: &str = "corpus.tsv";

/// What happened to a case in a run of the corpus bench.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Checked on both engines and timed by criterion (group `corpus-<name>`).
    Timed,
    /// Not run: fayasm rejected the module with this (unsupported-proposal) error.
    Skipped(String),
    /// CoreMark: every run's score per engine (higher is better).
    Scores {
        /// fayasm's scores.
        fayasm: Vec<f64>,
        /// wasmi's scores.
        wasmi: Vec<f64>,
    },
}

/// One case of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// The case name.
    pub name: String,
    /// Its kind (`direct`, `staged`, `coremark`).
    pub kind: String,
    /// What happened.
    pub outcome: Outcome,
}

/// What a run of the corpus bench records besides criterion's timings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BenchResults {
    /// `fayasm_exec::dispatch_backend()` of the bench binary (`tail` or `loop`).
    pub backend: String,
    /// Cases in manifest order.
    pub cases: Vec<CaseResult>,
}

/// The median of `values` (the mean of the middle two for an even count); `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

/// One field of a TSV line: tabs and line breaks become spaces.
fn field(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn scores_field(scores: &[f64]) -> String {
    scores.iter().map(|s| format!("{s}")).collect::<Vec<_>>().join(",")
}

impl BenchResults {
    /// The file's text: `backend\tB`, then per case `timed\tNAME\tKIND`,
    /// `skipped\tNAME\tKIND\tREASON` or `scores\tNAME\tKIND\tENGINE\tS1,S2,..` (one line per
    /// engine).
    pub fn to_tsv(&self) -> String {
        let mut s = String::from("# written by the fayasm-benches `corpus` bench\n");
        let _ = writeln!(s, "backend\t{}", field(&self.backend));
        for c in &self.cases {
            let (name, kind) = (field(&c.name), field(&c.kind));
            match &c.outcome {
                Outcome::Timed => {
                    let _ = writeln!(s, "timed\t{name}\t{kind}");
                }
                Outcome::Skipped(reason) => {
                    let _ = writeln!(s, "skipped\t{name}\t{kind}\t{}", field(reason));
                }
                Outcome::Scores { fayasm, wasmi } => {
                    for (engine, scores) in [("fayasm", fayasm), ("wasmi", wasmi)] {
                        let _ = writeln!(
                            s,
                            "scores\t{name}\t{kind}\t{engine}\t{}",
                            scores_field(scores)
                        );
                    }
                }
            }
        }
        s
    }

    /// Parses [`BenchResults::to_tsv`]'s text; `origin` (the path) prefixes errors.
    pub fn parse_tsv(text: &str, origin: &str) -> Result<BenchResults, String> {
        let mut out = BenchResults::default();
        for (i, line) in text.lines().enumerate() {
            let at = |e: &str| format!("{origin}:{}: {e}: `{line}`", i + 1);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let case = |outcome| CaseResult {
                name: fields[1].to_string(),
                kind: fields[2].to_string(),
                outcome,
            };
            match fields.as_slice() {
                ["backend", b] => out.backend = b.to_string(),
                ["timed", _, _] => out.cases.push(case(Outcome::Timed)),
                ["skipped", _, _, reason] => {
                    out.cases.push(case(Outcome::Skipped(reason.to_string())))
                }
                ["scores", name, _, engine, scores] => {
                    let scores = scores
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(|s| s.trim().parse::<f64>())
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| at(&format!("bad score ({e})")))?;
                    if !matches!(out.cases.last(), Some(c) if c.name == *name) {
                        out.cases.push(case(Outcome::Scores { fayasm: vec![], wasmi: vec![] }));
                    }
                    let Some(Outcome::Scores { fayasm, wasmi }) =
                        out.cases.last_mut().map(|c| &mut c.outcome)
                    else {
                        return Err(at("scores for a case that is not a CoreMark case"));
                    };
                    match *engine {
                        "fayasm" => *fayasm = scores,
                        "wasmi" => *wasmi = scores,
                        _ => return Err(at("unknown engine (expected fayasm or wasmi)")),
                    }
                }
                _ => return Err(at("unknown line")),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
# A comment, then cases of every kind.
[[case]]
name = "fib"
file = "fib.wat"   # text
kind = "direct"
arg = "i64:35"
result = "i64:9227465"

[[case]]
name = "counter"
file = "counter.wat"
kind = "direct"

[[case]]
name = "sieve"
file = "sieve.wasm"
kind = "staged"
setup_arg = "i64:1000"
calls = 1_00
checks = [
  ["len_primes", "i64:168"],   # the count
  ["largest_prime", "i64:997"],
]

[[case]]
name = "revcomp"
file = "revcomp.wasm"
kind = "staged"
input = "in.txt"
output_file = "out.txt"

[[case]]
name = "coremark"
file = "coremark.wasm"
kind = "coremark"
"#;

    #[test]
    fn parses_every_kind() {
        let cases = parse(SAMPLE, "m.toml").unwrap();
        let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["fib", "counter", "sieve", "revcomp", "coremark"]);
        assert_eq!(cases[0].line, 3);
        assert_eq!(
            cases[0].run,
            Run::Direct { arg: Some(TypedValue::I64(35)), result: Some(TypedValue::I64(9227465)) }
        );
        assert_eq!(cases[1].run, Run::Direct { arg: None, result: None });
        let Run::Staged(sieve) = &cases[2].run else { panic!("{:?}", cases[2].run) };
        assert_eq!(sieve.setup_arg, Some(TypedValue::I64(1000)));
        assert_eq!(sieve.calls, 100);
        assert_eq!(
            sieve.checks,
            [
                ("len_primes".to_string(), TypedValue::I64(168)),
                ("largest_prime".to_string(), TypedValue::I64(997))
            ]
        );
        let Run::Staged(rc) = &cases[3].run else { panic!("{:?}", cases[3].run) };
        assert_eq!(
            (rc.calls, rc.input.as_deref(), rc.output_file.as_deref()),
            (1, Some("in.txt"), Some("out.txt"))
        );
        assert_eq!(rc.setup_args(Some(7)), [TypedValue::I32(7)]);
        assert_eq!(rc.setup_args(None), []);
        assert_eq!(sieve.setup_args(Some(7)), [TypedValue::I64(1000)]);
        assert_eq!(cases[4].run.kind(), "coremark");
    }

    #[test]
    fn errors_name_file_line_and_case() {
        let head = "[[case]]\nname = \"x\"\nfile = \"x.wasm\"\n";
        let cases = [
            ("name = \"x\"", "m:1: `name` outside a [[case]]"),
            ("[[cases]]", "m:1: unknown table header `[[cases]]`"),
            ("[[case]]\nfile = \"a\"", "m:1: [[case]] has no `name`"),
            ("[[case]]\nname = \"x\"\nkind = \"direct\"", "case `x`: no `file`"),
            (&format!("{head}kind = \"jit\""), "m:1: case `x`: unknown kind `jit`"),
            (
                &format!("{head}kind = \"direct\"\ncalls = 3"),
                "m:5: case `x`: `calls` does not apply to kind `direct`",
            ),
            (
                &format!("{head}kind = \"staged\"\ncalls = 0"),
                "m:5: case `x`: `calls` must be at least 1",
            ),
            (
                &format!("{head}kind = \"staged\"\ncalls = \"3\""),
                "`calls` takes an integer, not a string",
            ),
            (
                &format!("{head}kind = \"direct\"\narg = \"q:1\""),
                "m:5: case `x`: `q:1`: unknown type `q`",
            ),
            (
                &format!("{head}kind = \"staged\"\nchecks = [[\"a\"]]"),
                "a check is [\"export\", \"type:value\"]",
            ),
            (
                &format!("{head}kind = \"staged\"\nchecks = [[\"a\", \"i32:1\"]"),
                "unterminated array",
            ),
            (&format!("{head}kind = \"staged\"\ninput = \"a"), "unterminated string"),
            (&format!("{head}kind = \"staged\" x"), "m:4: unexpected `x` after the value"),
            (&format!("{head}file = \"y\""), "m:4: duplicate key `file`"),
            (
                &format!("{head}kind = \"coremark\"\n{head}kind = \"coremark\""),
                "m:5: case `x` is already defined at line 1",
            ),
            (&format!("{head}kind = coremark"), "expected a value"),
            (&format!("{head}kind = \"coremark\"\nname2 \"v\""), "m:5: expected `=` after `name2`"),
        ];
        for (text, want) in cases {
            let err = parse(text, "m").unwrap_err();
            assert!(err.contains(want), "{text:?}\n  got:  {err}\n  want: {want}");
        }
    }

    #[test]
    fn missing_corpus_dir_names_the_path() {
        let dir = std::env::temp_dir().join("fayasm-no-such-corpus-dir");
        let err = Corpus::load(&dir).unwrap_err();
        assert!(
            err.contains(&dir.display().to_string()) && err.contains("does not exist"),
            "{err}"
        );
    }

    #[test]
    fn results_roundtrip() {
        let results = BenchResults {
            backend: "tail".into(),
            cases: vec![
                CaseResult { name: "fib".into(), kind: "direct".into(), outcome: Outcome::Timed },
                CaseResult {
                    name: "tail".into(),
                    kind: "direct".into(),
                    outcome: Outcome::Skipped("invalid module:\ttail calls\nnot enabled".into()),
                },
                CaseResult {
                    name: "coremark".into(),
                    kind: "coremark".into(),
                    outcome: Outcome::Scores { fayasm: vec![3000.5, 3033.0], wasmi: vec![3571.25] },
                },
            ],
        };
        let text = results.to_tsv();
        let back = BenchResults::parse_tsv(&text, "r.tsv").unwrap();
        assert_eq!(back.backend, "tail");
        assert_eq!(back.cases[0], results.cases[0]);
        assert_eq!(
            back.cases[1].outcome,
            Outcome::Skipped("invalid module: tail calls not enabled".into())
        );
        assert_eq!(back.cases[2], results.cases[2]);
        let err = BenchResults::parse_tsv("timed\tx", "r.tsv").unwrap_err();
        assert!(err.starts_with("r.tsv:1: unknown line"), "{err}");
        let err = BenchResults::parse_tsv("scores\tc\tcoremark\tfayasm\t1,x", "r.tsv").unwrap_err();
        assert!(err.contains("bad score"), "{err}");
    }

    #[test]
    fn median_of_runs() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }
}
