//! `wasm_samples/manifest.toml`: the fixture cases.
//!
//! The file is a small TOML subset read by a hand-written parser: `# comments`, `[[case]]`
//! tables, and `key = "string"` / `key = ["string", ...]` entries (arrays may span lines).
//! Keys of a case:
//!
//! - `file`: the module, relative to `wasm_samples/build/` (e.g. `"arithmetic.wasm"`)
//! - `export`: the function to call
//! - `args`: typed arguments, e.g. `["i32:5", "f64:2.5"]` (default: none)
//! - `results`: expected results in the same syntax, written by `cargo xtask fixtures` from a
//!   native build of the same C source; or
//! - `trap`: the expected trap message, written by hand (e.g. `"integer divide by zero"`)
//! - `note`: free text kept across regeneration
//!
//! A case with neither `results` nor `trap` is waiting for `cargo xtask fixtures`.

use crate::value::TypedValue;
use std::fmt::Write as _;

/// What a case expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// These results (possibly none).
    Results(Vec<String>),
    /// A trap whose message is this.
    Trap(String),
    /// Not filled in yet.
    Missing,
}

/// One manifest case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Module file name inside `wasm_samples/build/`.
    pub file: String,
    /// Exported function name.
    pub export: String,
    /// Arguments in manifest syntax.
    pub args: Vec<String>,
    /// The expectation.
    pub expect: Expect,
    /// Free-text note.
    pub note: Option<String>,
    /// 1-based line of the case's `[[case]]` header.
    pub line: usize,
}

impl Case {
    /// A short, stable name: `file export arg arg ...` (also the key of the expected-failures
    /// list).
    pub fn key(&self) -> String {
        let mut s = format!("{} {}", self.file, self.export);
        for a in &self.args {
            s.push(' ');
            s.push_str(a);
        }
        s
    }

    /// The parsed arguments.
    pub fn typed_args(&self) -> Result<Vec<TypedValue>, String> {
        crate::value::parse_list(&self.args)
            .map_err(|e| format!("case at line {}: argument {e}", self.line))
    }
}

/// The whole manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Cases in file order.
    pub cases: Vec<Case>,
}

#[derive(Default)]
struct Partial {
    file: Option<String>,
    export: Option<String>,
    args: Option<Vec<String>>,
    results: Option<Vec<String>>,
    trap: Option<String>,
    note: Option<String>,
    line: usize,
}

impl Partial {
    fn finish(self, origin: &str) -> Result<Case, String> {
        let at = format!("{origin}:{}", self.line);
        let file = self.file.ok_or_else(|| format!("{at}: case has no `file`"))?;
        let export = self.export.ok_or_else(|| format!("{at}: case has no `export`"))?;
        let expect = match (self.results, self.trap) {
            (Some(_), Some(_)) => return Err(format!("{at}: case has both `results` and `trap`")),
            (Some(r), None) => Expect::Results(r),
            (None, Some(t)) => Expect::Trap(t),
            (None, None) => Expect::Missing,
        };
        let case = Case {
            file,
            export,
            args: self.args.unwrap_or_default(),
            expect,
            note: self.note,
            line: self.line,
        };
        case.typed_args().map_err(|e| format!("{origin}: {e}"))?;
        if let Expect::Results(r) = &case.expect {
            crate::value::parse_list(r).map_err(|e| format!("{at}: result {e}"))?;
        }
        Ok(case)
    }
}

/// A value: a string or an array of strings.
enum Item {
    Str(String),
    List(Vec<String>),
}

/// Parses one quoted string at the start of `s`; returns it and the rest.
fn parse_string(s: &str) -> Result<(String, &str), String> {
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, '"')) => {}
        _ => return Err(format!("expected a \"string\" at `{s}`")),
    }
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &s[i + 1..])),
            '\\' => match chars.next() {
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                other => {
                    return Err(format!(
                        "unsupported escape `\\{}`",
                        other.map_or(' ', |(_, c)| c)
                    ));
                }
            },
            c => out.push(c),
        }
    }
    Err("unterminated string".into())
}

/// Checks that only whitespace and an optional comment follow.
fn expect_end(rest: &str) -> Result<(), String> {
    let rest = rest.trim_start();
    if rest.is_empty() || rest.starts_with('#') {
        Ok(())
    } else {
        Err(format!("unexpected `{rest}`"))
    }
}

fn parse_value(s: &str) -> Result<Item, String> {
    let s = s.trim_start();
    if let Some(mut rest) = s.strip_prefix('[') {
        let mut items = Vec::new();
        loop {
            rest = rest.trim_start();
            if let Some(comment) = rest.strip_prefix('#') {
                // A comment inside a multi-line array runs to the end of its line.
                rest = comment.split_once('\n').map_or("", |(_, r)| r);
                continue;
            }
            if let Some(r) = rest.strip_prefix(']') {
                expect_end(r)?;
                return Ok(Item::List(items));
            }
            if rest.is_empty() {
                return Err("unterminated array (missing `]`)".into());
            }
            let (item, r) = parse_string(rest)?;
            items.push(item);
            rest = r.trim_start();
            if rest.is_empty() {
                return Err("unterminated array (missing `]`)".into());
            }
            if let Some(r) = rest.strip_prefix(',') {
                rest = r;
            } else if !rest.starts_with(']') && !rest.starts_with('#') {
                return Err(format!("expected `,` or `]` at `{rest}`"));
            }
        }
    }
    let (v, rest) = parse_string(s)?;
    expect_end(rest)?;
    Ok(Item::Str(v))
}

/// Whether an array value that starts on this line continues on the next: an opening `[`
/// without its `]` (outside strings and comments).
fn array_open(value: &str) -> bool {
    let v = value.trim_start();
    if !v.starts_with('[') {
        return false;
    }
    let (mut in_str, mut escaped, mut in_comment) = (false, false, false);
    for c in v.chars() {
        if in_comment {
            in_comment = c != '\n';
        } else if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
        } else {
            match c {
                '"' => in_str = true,
                ']' => return false,
                '#' => in_comment = true,
                _ => {}
            }
        }
    }
    true
}

impl Manifest {
    /// Reads and parses the manifest at `path`; errors name the file.
    pub fn load(path: &std::path::Path) -> Result<Manifest, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Manifest::parse(&text, &path.display().to_string())
    }

    /// Parses manifest text; `origin` (usually the path) prefixes error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Manifest, String> {
        let mut cases = Vec::new();
        let mut current: Option<Partial> = None;
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let lineno = i + 1;
            let line = lines[i].trim();
            i += 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = |msg: String| format!("{origin}:{lineno}: {msg}");
            if line.starts_with("[[") {
                let header = line.split('#').next().unwrap_or("").trim();
                if header != "[[case]]" {
                    return Err(at(format!("unknown table `{header}` (only [[case]] is allowed)")));
                }
                if let Some(p) = current.take() {
                    cases.push(p.finish(origin)?);
                }
                current = Some(Partial { line: lineno, ..Partial::default() });
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err(at(format!("expected `key = value` or `[[case]]`, found `{line}`")));
            };
            let key = key.trim();
            let mut value = value.to_string();
            while array_open(&value) && i < lines.len() {
                value.push('\n');
                value.push_str(lines[i]);
                i += 1;
            }
            let Some(case) = current.as_mut() else {
                return Err(at(format!("`{key}` outside a [[case]]")));
            };
            let item = parse_value(&value).map_err(at)?;
            let dup = |present: bool| {
                if present { Err(at(format!("duplicate key `{key}`"))) } else { Ok(()) }
            };
            match (key, item) {
                ("file", Item::Str(s)) => {
                    dup(case.file.is_some())?;
                    case.file = Some(s);
                }
                ("export", Item::Str(s)) => {
                    dup(case.export.is_some())?;
                    case.export = Some(s);
                }
                ("trap", Item::Str(s)) => {
                    dup(case.trap.is_some())?;
                    case.trap = Some(s);
                }
                ("note", Item::Str(s)) => {
                    dup(case.note.is_some())?;
                    case.note = Some(s);
                }
                ("args", Item::List(l)) => {
                    dup(case.args.is_some())?;
                    case.args = Some(l);
                }
                ("results", Item::List(l)) => {
                    dup(case.results.is_some())?;
                    case.results = Some(l);
                }
                ("file" | "export" | "trap" | "note", Item::List(_)) => {
                    return Err(at(format!("`{key}` takes a string")));
                }
                ("args" | "results", Item::Str(_)) => {
                    return Err(at(format!("`{key}` takes an array of strings")));
                }
                (other, _) => {
                    return Err(at(format!(
                        "unknown key `{other}` (expected file, export, args, results, trap or note)"
                    )));
                }
            }
        }
        if let Some(p) = current.take() {
            cases.push(p.finish(origin)?);
        }
        Ok(Manifest { cases })
    }

    /// Renders the manifest in canonical form (what `cargo xtask fixtures` writes).
    pub fn render(&self) -> String {
        self.render_with_header(HEADER)
    }

    /// [`Manifest::render`] under another leading comment block (`wasm_samples/bench.toml`
    /// uses the same syntax with its own header).
    pub fn render_with_header(&self, header: &str) -> String {
        let mut out = String::from(header);
        for c in &self.cases {
            out.push_str("\n[[case]]\n");
            let _ = writeln!(out, "file = {}", quote(&c.file));
            let _ = writeln!(out, "export = {}", quote(&c.export));
            if !c.args.is_empty() {
                let _ = writeln!(out, "args = {}", list(&c.args));
            }
            match &c.expect {
                Expect::Results(r) => {
                    let comments: Vec<String> = r
                        .iter()
                        .filter_map(|v| TypedValue::parse(v).ok().and_then(|v| v.float_comment()))
                        .collect();
                    let _ = write!(out, "results = {}", list(r));
                    if !comments.is_empty() {
                        let _ = write!(out, "  # {}", comments.join(", "));
                    }
                    out.push('\n');
                }
                Expect::Trap(t) => {
                    let _ = writeln!(out, "trap = {}", quote(t));
                }
                Expect::Missing => {}
            }
            if let Some(n) = &c.note {
                let _ = writeln!(out, "note = {}", quote(n));
            }
        }
        out
    }
}

const HEADER: &str = "\
# fayasm wasm_samples manifest: one [[case]] per call of a fixture export.
#
# `results` are generated by `cargo xtask fixtures` from a native build of the same C source
# (floats as exact hex bits; the trailing comment shows the decimal value). `trap` entries are
# written by hand. Cases without `results`/`trap` are filled in by `cargo xtask fixtures`.
# This file is rewritten by that command: keep remarks in a case's `note`, not in comments.
# Syntax and workflow: wasm_samples/README.md.
";

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
# comment
[[case]]
file = "a.wasm"   # trailing
export = "f"
args = ["i32:1", "f64:2.5"]
results = ["i32:3"]

[[case]]
file = "a.wasm"
export = "g"
args = [
  "i64:7", # seven
  "i32:0x10",
]
trap = "integer divide by zero"
note = "say \"hi\""

[[case]]
file = "b.wasm"
export = "h"
"#;

    #[test]
    fn parses_and_roundtrips() {
        let m = Manifest::parse(SAMPLE, "m.toml").unwrap();
        assert_eq!(m.cases.len(), 3);
        assert_eq!(m.cases[0].args, ["i32:1", "f64:2.5"]);
        assert_eq!(m.cases[0].expect, Expect::Results(vec!["i32:3".into()]));
        assert_eq!(m.cases[1].args, ["i64:7", "i32:0x10"]);
        assert_eq!(m.cases[1].expect, Expect::Trap("integer divide by zero".into()));
        assert_eq!(m.cases[1].note.as_deref(), Some("say \"hi\""));
        assert_eq!(m.cases[2].expect, Expect::Missing);
        assert_eq!(m.cases[1].line, 9);
        let again = Manifest::parse(&m.render(), "again").unwrap();
        let strip = |m: &Manifest| {
            m.cases.iter().map(|c| (c.key(), c.expect.clone(), c.note.clone())).collect::<Vec<_>>()
        };
        assert_eq!(strip(&m), strip(&again));
    }

    #[test]
    fn reports_errors_with_location() {
        let cases = [
            ("file = \"x\"", "outside a [[case]]"),
            ("[[case]]\nfile = \"x\"\nexport = \"y\"\nbogus = \"z\"", "m:4: unknown key `bogus`"),
            ("[[case]]\nfile = \"x\"", "no `export`"),
            ("[[case]]\nfile = \"x\"\nfile = \"y\"", "duplicate key `file`"),
            ("[[case]]\nfile = \"x\"\nexport = \"y\"\nargs = [\"i32:1\"", "unterminated array"),
            ("[[case]]\nfile = \"x\"\nexport = \"y\"\nargs = [\"q:1\"]", "unknown type `q`"),
            ("[[case]]\nfile = \"x\"\nexport = \"y\"\nresults = []\ntrap = \"t\"", "both"),
            ("[[tables]]", "unknown table"),
            ("[[case]]\nfile = \"x", "unterminated string"),
            ("[[case]]\nfile = x", "expected a \"string\""),
        ];
        for (text, want) in cases {
            let err = Manifest::parse(text, "m").unwrap_err();
            assert!(err.contains(want), "{text:?}: {err}");
        }
    }
}
