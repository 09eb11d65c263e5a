//! `cargo xtask tidy`: rules of the source tree that neither rustc nor clippy checks, run over
//! the workspace by the command and by the `tidy` test (so `cargo test --workspace` enforces
//! them). Std only.
//!
//! - **Module docs**: every `.rs` file under `crates/`, `xtask/` and `benches/` starts with a
//!   `//!` line (the first line itself, not after attributes or blank lines).
//! - **Dependency direction**: a crate in `crates/` may name, in `[dependencies]` and
//!   `[build-dependencies]` (target-specific ones included), only the fayasm crates that
//!   [`ALLOWED_DEPS`] lists for it; that table is the one in ARCHITECTURE.md ("Crate
//!   dependencies"), and the two must agree row for row. `[dev-dependencies]` are looser: they
//!   may name any crate of the table that does not itself depend (through normal
//!   dependencies) on the crate, so tests never close a cycle; never xtask or benches. Cycles
//!   among the normal dependencies of all workspace members are findings too.
//! - **No library prints**: the `src/` of a library crate (every crate in `crates/` but
//!   `fayasm-cli`) calls no `println!`, `print!`, `eprintln!`, `eprint!` or `dbg!` and opens no
//!   `stdout()`/`stderr()`, except the uses in [`ALLOWED_PRINTS`], each with its reason. Test
//!   code is exempt: files named `tests.rs`, and the item following a `#[cfg(test)]` line.
//!   Comments and string literals are ignored.
//!
//! Every finding is one `path:line: message` line, the path relative to the workspace root.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

/// The fayasm crates each crate in `crates/` may depend on (normal and build dependencies).
///
/// The same table is in ARCHITECTURE.md; [`check_architecture`] keeps the two equal. A crate
/// boundary changes by editing both, with the reason in ARCHITECTURE.md.
pub const ALLOWED_DEPS: &[(&str, &[&str])] = &[
    ("fayasm-core", &[]),
    ("fayasm-decode", &["fayasm-core"]),
    ("fayasm-ir", &["fayasm-core", "fayasm-decode"]),
    ("fayasm-simd", &["fayasm-core"]),
    (
        "fayasm-exec",
        &["fayasm-core", "fayasm-decode", "fayasm-ir", "fayasm-offload", "fayasm-simd"],
    ),
    ("fayasm-offload", &["fayasm-core"]),
    ("fayasm-host", &["fayasm-exec"]),
    ("fayasm-wast", &["fayasm-exec", "fayasm-host"]),
    ("fayasm-cli", &["fayasm-decode", "fayasm-exec", "fayasm-host", "fayasm-ir", "fayasm-wast"]),
];

/// Library code that may write to the standard streams: `(path, what, reason)`, where `what`
/// is the macro or stream function as [`check_prints`] names it (`println!`, `stdout()`). An
/// entry that matches nothing is a finding, so the list cannot go stale.
pub const ALLOWED_PRINTS: &[(&str, &str, &str)] = &[(
    "crates/fayasm-host/src/spectest.rs",
    "stdout()",
    "the spectest `print*` imports write their arguments to stdout only when the embedder \
     asks for it with `SpecTest::print(true)`, as the reference interpreter's do",
)];

/// Crates in `crates/` whose `src/` may print: binaries, whose output is their interface.
const BINARY_CRATES: &[&str] = &["fayasm-cli"];

const PRINT_MACROS: &[&str] = &["println", "print", "eprintln", "eprint", "dbg"];
const STREAM_FUNCS: &[&str] = &["stdout", "stderr"];
const PRINT_HINT: &str = "return the text or take a writer, or list it in ALLOWED_PRINTS \
                          (xtask/src/tidy.rs) with a reason";

/// One problem, reported as `path:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The file, relative to the workspace root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl Finding {
    fn new(path: &str, line: usize, message: impl Into<String>) -> Self {
        Self { path: path.to_string(), line, message: message.into() }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

/// `cargo xtask tidy`: prints every finding on stdout; an error if there is any.
pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("`tidy` takes no arguments (got `{a}`)"));
    }
    let findings = check_workspace(&crate::workspace_root())?;
    for f in &findings {
        println!("{f}");
    }
    match findings.len() {
        0 => Ok(()),
        n => Err(format!("tidy: {n} finding{}", if n == 1 { "" } else { "s" })),
    }
}

/// Runs every check over the workspace at `root`; findings sorted by path and line.
pub fn check_workspace(root: &Path) -> Result<Vec<Finding>, String> {
    let mut findings = Vec::new();

    let mut files = Vec::new();
    for dir in ["crates", "xtask", "benches"] {
        collect_rs_files(root, dir, &mut files)?;
    }
    let mut print_hits = Vec::new();
    for rel in &files {
        let text = read(root, rel)?;
        findings.extend(check_module_doc(rel, &text));
        if is_library_src(rel) {
            print_hits.extend(check_prints(rel, &text));
        }
    }
    findings.extend(apply_print_allow_list(print_hits, ALLOWED_PRINTS));

    let mut manifests = Vec::new();
    for rel in manifest_paths(root)? {
        let text = read(root, &rel)?;
        let manifest = parse_manifest(&text).map_err(|e| format!("{rel}: {e}"))?;
        manifests.push((rel, manifest));
    }
    findings.extend(check_deps(&manifests, ALLOWED_DEPS));

    let arch = "ARCHITECTURE.md";
    findings.extend(check_architecture(arch, &read(root, arch)?, ALLOWED_DEPS));

    findings.sort();
    Ok(findings)
}

fn read(root: &Path, rel: &str) -> Result<String, String> {
    std::fs::read_to_string(root.join(rel)).map_err(|e| format!("cannot read {rel}: {e}"))
}

/// Appends the `.rs` files under `root/rel` (relative to `root`, sorted), skipping `target`
/// and hidden directories.
fn collect_rs_files(root: &Path, rel: &str, out: &mut Vec<String>) -> Result<(), String> {
    let dir = root.join(rel);
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("cannot list {rel}: {e}"))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {rel}: {e}"))?;
        let kind = entry.file_type().map_err(|e| format!("cannot stat in {rel}: {e}"))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        names.push((name, kind.is_dir()));
    }
    names.sort();
    for (name, is_dir) in names {
        let path = format!("{rel}/{name}");
        if is_dir {
            if name != "target" && !name.starts_with('.') {
                collect_rs_files(root, &path, out)?;
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Every workspace member's `Cargo.toml`: `crates/*`, `xtask`, `benches`.
fn manifest_paths(root: &Path) -> Result<Vec<String>, String> {
    let mut crates = Vec::new();
    let entries = std::fs::read_dir(root.join("crates")).map_err(|e| format!("crates: {e}"))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("crates: {e}"))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().join("Cargo.toml").is_file() {
            crates.push(format!("crates/{name}/Cargo.toml"));
        }
    }
    crates.sort();
    crates.extend(["xtask/Cargo.toml".to_string(), "benches/Cargo.toml".to_string()]);
    Ok(crates)
}

/// Whether `path` (relative to the root) is library source subject to [`check_prints`]:
/// under `crates/<crate>/src/` for a crate other than `fayasm-cli`, and not a `tests.rs`.
pub fn is_library_src(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["crates", krate, "src", .., file] => {
            !BINARY_CRATES.contains(krate) && *file != "tests.rs" && file.ends_with(".rs")
        }
        _ => false,
    }
}

// ----- module docs -----

/// Check 1: the file's first line is a `//!` module doc.
pub fn check_module_doc(path: &str, text: &str) -> Option<Finding> {
    let first = text.strip_prefix('\u{feff}').unwrap_or(text).lines().next().unwrap_or("");
    (!first.starts_with("//!")).then(|| Finding::new(path, 1, "missing //! module doc"))
}

// ----- library prints -----

/// Check 3, before the allow-list: every print macro or standard-stream call in `text` outside
/// comments, string literals and `#[cfg(test)]` items. The message names the use as
/// `println!` or `stdout()`.
pub fn check_prints(path: &str, text: &str) -> Vec<Finding> {
    let code = code_only(text);
    let test_lines = cfg_test_lines(&code);
    let mut out = Vec::new();
    for (i, line) in code.lines().enumerate() {
        if test_lines.contains(&(i + 1)) {
            continue;
        }
        for (start, ident) in identifiers(line) {
            let next = line[start + ident.len()..].trim_start().chars().next();
            let what = if next == Some('!') && PRINT_MACROS.contains(&ident) {
                format!("{ident}!")
            } else if next == Some('(') && STREAM_FUNCS.contains(&ident) {
                format!("{ident}()")
            } else {
                continue;
            };
            out.push(Finding::new(path, i + 1, format!("`{what}` in library code ({PRINT_HINT})")));
        }
    }
    out
}

/// Drops the hits that `allowed` covers and reports the entries that cover nothing.
pub fn apply_print_allow_list(hits: Vec<Finding>, allowed: &[(&str, &str, &str)]) -> Vec<Finding> {
    let mut used = vec![false; allowed.len()];
    let mut out = Vec::new();
    for hit in hits {
        let entry = allowed.iter().position(|(p, what, _)| {
            *p == hit.path && hit.message.starts_with(&format!("`{what}`"))
        });
        match entry {
            Some(k) => used[k] = true,
            None => out.push(hit),
        }
    }
    for (k, (path, what, _)) in allowed.iter().enumerate() {
        if !used[k] {
            out.push(Finding::new(
                "xtask/src/tidy.rs",
                1,
                format!("ALLOWED_PRINTS lists `{what}` in {path}, which does not use it any more"),
            ));
        }
    }
    out
}

/// The identifiers of `line` with their byte offsets (a digit-led word is not one).
fn identifiers(line: &str) -> Vec<(usize, &str)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if is_ident_byte(b[i]) {
            let start = i;
            while i < b.len() && is_ident_byte(b[i]) {
                i += 1;
            }
            if !b[start].is_ascii_digit() {
                out.push((start, &line[start..i]));
            }
        } else {
            i += 1;
        }
    }
    out
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// `text` with comments and the contents of string and character literals replaced by
/// spaces; newlines are kept, so line numbers stay.
pub fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mask = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to.min(b.len())] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        let prev_ident = i > 0 && is_ident_byte(b[i - 1]);
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
                mask(&mut out, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let (mut j, mut depth) = (i + 2, 1);
                while j < b.len() && depth > 0 {
                    if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                    } else {
                        j += 1;
                    }
                }
                mask(&mut out, i, j);
                i = j;
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                mask(&mut out, i + 1, j);
                i = j + 1;
            }
            // Raw strings: r"..", r#".."#, and the b/c prefixed forms.
            b'r' if !prev_ident
                || (i >= 1
                    && matches!(b[i - 1], b'b' | b'c')
                    && (i < 2 || !is_ident_byte(b[i - 2]))) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close: String = core::iter::once('"').chain((0..hashes).map(|_| '#')).collect();
                let body = i + 2 + hashes;
                let end = text[body..].find(&close).map_or(b.len(), |n| body + n);
                mask(&mut out, body, end);
                i = end + close.len();
            }
            b'\'' => {
                // A char literal ('a', '\n', '\u{..}') or a lifetime ('a, 'static).
                let end = if b.get(i + 1) == Some(&b'\\') {
                    text.get(i + 3..).and_then(|s| s.find('\'')).map(|n| i + 3 + n)
                } else {
                    text[i + 1..].chars().next().and_then(|c| {
                        let j = i + 1 + c.len_utf8();
                        (b.get(j) == Some(&b'\'')).then_some(j)
                    })
                };
                match end {
                    Some(end) => {
                        mask(&mut out, i + 1, end);
                        i = end + 1;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The 1-based lines taken by `#[cfg(test)]` items in `code` (as returned by [`code_only`]):
/// from the attribute's line to the `;` or the closing `}` of the item after it. A file with
/// `#![cfg(test)]` is test code throughout.
fn cfg_test_lines(code: &str) -> BTreeSet<usize> {
    let mut lines = BTreeSet::new();
    if code.contains("#![cfg(test)]") {
        lines.extend(1..=code.lines().count());
        return lines;
    }
    let attr = "#[cfg(test)]";
    let mut from = 0;
    while let Some(n) = code[from..].find(attr) {
        let start = from + n;
        let mut depth = 0usize;
        let mut end = code.len();
        for (k, c) in code[start + attr.len()..].char_indices() {
            match c {
                '{' | '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = start + attr.len() + k + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = start + attr.len() + k + 1;
                    break;
                }
                _ => {}
            }
        }
        let first = code[..start].matches('\n').count() + 1;
        let last = code[..end].matches('\n').count() + 1;
        lines.extend(first..=last);
        from = end.max(start + attr.len());
    }
    lines
}

// ----- crate dependencies -----

/// Which table of a `Cargo.toml` a dependency is declared in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepKind {
    /// `[dependencies]` (or `[target.*.dependencies]`).
    Normal,
    /// `[build-dependencies]`.
    Build,
    /// `[dev-dependencies]`.
    Dev,
}

/// One dependency of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dep {
    /// The package depended on (its `package = ".."` if renamed, else the key).
    pub name: String,
    /// The table it is declared in.
    pub kind: DepKind,
    /// 1-based line of the declaration.
    pub line: usize,
}

/// What tidy reads from a `Cargo.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Manifest {
    /// `[package] name`.
    pub name: String,
    /// Every dependency, in file order.
    pub deps: Vec<Dep>,
}

/// Reads the package name and the dependencies of a `Cargo.toml`. A line-based reader of the
/// TOML that Cargo manifests use: `[table]` headers (including `[dependencies.NAME]` and
/// `[target.'cfg(..)'.dependencies]`), `key = value` lines, `#` comments, and values that
/// span lines (arrays and inline tables are skipped until their brackets balance).
pub fn parse_manifest(text: &str) -> Result<Manifest, String> {
    enum Table {
        Package,
        Deps(DepKind),
        /// `[dependencies.NAME]`: the index of that dependency.
        Dep(usize),
        Other,
    }
    let mut m = Manifest::default();
    let mut table = Table::Other;
    let mut open = 0i64;
    // Inside a multi-line string: its delimiter.
    let mut multiline: Option<&str> = None;
    for (i, raw) in text.lines().enumerate() {
        if let Some(delim) = multiline {
            if raw.contains(delim) {
                multiline = None;
            }
            continue;
        }
        multiline = ["\"\"\"", "'''"].into_iter().find(|d| raw.matches(d).count() % 2 == 1);
        let line = strip_comment(raw).trim();
        if open > 0 {
            open += bracket_balance(line);
            continue;
        }
        if line.is_empty() {
            continue;
        }
        if line.starts_with('[') {
            let header = line.trim_start_matches('[').trim_end_matches(']').trim();
            let segments = split_outside_quotes(header, '.');
            let mut segs: Vec<String> = segments.iter().map(|s| unquote(s)).collect();
            if segs.first().is_some_and(|s| s == "target") && segs.len() >= 3 {
                segs.drain(..2);
            }
            let kind = match segs.first().map(String::as_str) {
                Some("dependencies") => Some(DepKind::Normal),
                Some("build-dependencies" | "build_dependencies") => Some(DepKind::Build),
                Some("dev-dependencies" | "dev_dependencies") => Some(DepKind::Dev),
                _ => None,
            };
            table = match (kind, segs.len()) {
                (Some(kind), 1) => Table::Deps(kind),
                (Some(kind), 2) => {
                    m.deps.push(Dep { name: segs[1].clone(), kind, line: i + 1 });
                    Table::Dep(m.deps.len() - 1)
                }
                _ if header == "package" => Table::Package,
                _ => Table::Other,
            };
            continue;
        }
        let Some(eq) = find_outside_quotes(line, '=') else {
            return Err(format!("line {}: expected `key = value`: {line}", i + 1));
        };
        // A dotted key (`fayasm-ir.workspace = true`) names the dependency first.
        let key = unquote(split_outside_quotes(&line[..eq], '.')[0]);
        let value = line[eq + 1..].trim();
        open += bracket_balance(value);
        match table {
            Table::Package if key == "name" => m.name = unquote(value),
            Table::Deps(kind) => {
                let name = inline_table_get(value, "package").unwrap_or(key);
                m.deps.push(Dep { name, kind, line: i + 1 });
            }
            Table::Dep(k) if key == "package" => m.deps[k].name = unquote(value),
            _ => {}
        }
    }
    if m.name.is_empty() {
        return Err("no [package] name".to_string());
    }
    Ok(m)
}

/// `line` up to a `#` outside a string.
fn strip_comment(line: &str) -> &str {
    find_outside_quotes(line, '#').map_or(line, |n| &line[..n])
}

/// The byte offset of the first `target` in `s` outside `".."` and `'..'` strings.
fn find_outside_quotes(s: &str, target: char) -> Option<usize> {
    let mut quote = None;
    let mut escaped = false;
    for (k, c) in s.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == target => return Some(k),
            None => {}
        }
    }
    None
}

/// `s` split at every `sep` outside strings, each part trimmed.
fn split_outside_quotes(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(n) = find_outside_quotes(rest, sep) {
        parts.push(rest[..n].trim());
        rest = &rest[n + sep.len_utf8()..];
    }
    parts.push(rest.trim());
    parts
}

/// `s` without its surrounding quotes (if any).
fn unquote(s: &str) -> String {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    s.to_string()
}

/// Opening minus closing brackets and braces outside strings.
fn bracket_balance(s: &str) -> i64 {
    let mut n = 0;
    let mut rest = s;
    loop {
        let next = ['[', ']', '{', '}']
            .iter()
            .filter_map(|&c| find_outside_quotes(rest, c).map(|k| (k, c)))
            .min();
        let Some((k, c)) = next else { return n };
        n += if matches!(c, '[' | '{') { 1 } else { -1 };
        rest = &rest[k + 1..];
    }
}

/// The string value of `key` in an inline table `{ k = v, .. }` on one line.
fn inline_table_get(value: &str, key: &str) -> Option<String> {
    let inner = value.trim().strip_prefix('{')?.trim_end().strip_suffix('}')?;
    split_outside_quotes(inner, ',').into_iter().find_map(|entry| {
        let n = find_outside_quotes(entry, '=')?;
        (unquote(&entry[..n]) == key).then(|| unquote(&entry[n + 1..]))
    })
}

/// Whether `name` is a workspace crate whose edges tidy checks.
fn is_internal(name: &str) -> bool {
    name.starts_with("fayasm-") || name == "xtask"
}

/// Check 2: `manifests` are `(path, manifest)` of every workspace member. For the crates in
/// `crates/`, every normal or build dependency on a workspace crate must be in `allowed`, and
/// every dev-dependency must name a crate of `allowed` and not close a cycle; among all
/// members, normal and build dependencies must not form a cycle.
pub fn check_deps(manifests: &[(String, Manifest)], allowed: &[(&str, &[&str])]) -> Vec<Finding> {
    let mut out = Vec::new();
    let table: BTreeMap<&str, &[&str]> = allowed.iter().copied().collect();
    // Normal and build edges of every member: name -> [(dep, path, line)].
    let mut graph: BTreeMap<&str, Vec<(&str, &str, usize)>> = BTreeMap::new();
    for (path, m) in manifests {
        let edges = graph.entry(m.name.as_str()).or_default();
        for d in &m.deps {
            if d.kind != DepKind::Dev && is_internal(&d.name) {
                edges.push((d.name.as_str(), path.as_str(), d.line));
            }
        }
    }

    for (path, m) in manifests {
        if !path.starts_with("crates/") {
            continue;
        }
        let Some(may) = table.get(m.name.as_str()) else {
            out.push(Finding::new(
                path,
                1,
                format!(
                    "crate `{}` is not in the dependency table (ALLOWED_DEPS in xtask/src/tidy.rs and ARCHITECTURE.md)",
                    m.name
                ),
            ));
            continue;
        };
        for d in m.deps.iter().filter(|d| is_internal(&d.name)) {
            if d.kind == DepKind::Dev {
                if !table.contains_key(d.name.as_str()) {
                    out.push(Finding::new(
                        path,
                        d.line,
                        format!(
                            "dev-dependency on `{}`, which is not in the dependency table (only tools may use tools)",
                            d.name
                        ),
                    ));
                } else if let Some(p) = path_between(&graph, &d.name, &m.name) {
                    out.push(Finding::new(
                        path,
                        d.line,
                        format!(
                            "dev-dependency on `{}` closes a cycle: {} -> {}",
                            d.name,
                            m.name,
                            p.join(" -> ")
                        ),
                    ));
                }
            } else if !may.contains(&d.name.as_str()) {
                let list = if may.is_empty() { "none".to_string() } else { may.join(", ") };
                out.push(Finding::new(
                    path,
                    d.line,
                    format!(
                        "`{}` may not depend on `{}` (allowed: {list}; see ARCHITECTURE.md, Crate dependencies)",
                        m.name, d.name
                    ),
                ));
            }
        }
    }

    for cycle in cycles(&graph) {
        // Reported at the edge leaving the cycle's first crate.
        let (_, path, line) = graph[cycle[0]]
            .iter()
            .find(|(to, ..)| *to == cycle[1])
            .copied()
            .unwrap_or(("", "Cargo.toml", 1));
        out.push(Finding::new(path, line, format!("dependency cycle: {}", cycle.join(" -> "))));
    }
    out
}

/// A path `from -> .. -> to` along `graph`'s edges (the names, `from` first), if any.
fn path_between<'a>(
    graph: &BTreeMap<&'a str, Vec<(&'a str, &'a str, usize)>>,
    from: &'a str,
    to: &str,
) -> Option<Vec<&'a str>> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![vec![from]];
    while let Some(p) = stack.pop() {
        let last = *p.last()?;
        if last == to {
            return Some(p);
        }
        if !seen.insert(last) {
            continue;
        }
        for &(next, ..) in graph.get(last).into_iter().flatten() {
            let mut q = p.clone();
            q.push(next);
            stack.push(q);
        }
    }
    None
}

/// The cycles of `graph`, each as `[a, b, .., a]` starting at its smallest name: for every
/// edge, one cycle through it if there is any, deduplicated (not every elementary cycle, but
/// every crate on a cycle shows up in one).
fn cycles<'a>(graph: &BTreeMap<&'a str, Vec<(&'a str, &'a str, usize)>>) -> Vec<Vec<&'a str>> {
    let mut found = BTreeSet::new();
    for &start in graph.keys() {
        for &(next, ..) in &graph[start] {
            if let Some(mut p) = path_between(graph, next, start) {
                p.insert(0, start);
                let body = &p[..p.len() - 1];
                let k = (0..body.len()).min_by_key(|&k| body[k]).unwrap_or(0);
                let mut c: Vec<&str> = body[k..].iter().chain(&body[..k]).copied().collect();
                c.push(c[0]);
                found.insert(c);
            }
        }
    }
    found.into_iter().collect()
}

// ----- ARCHITECTURE.md -----

/// The heading of ARCHITECTURE.md's dependency table.
const ARCH_HEADING: &str = "## Crate dependencies";

/// Check 2, documentation side: the table under `## Crate dependencies` in ARCHITECTURE.md
/// (rows `` | `fayasm-x` | `fayasm-y`, `fayasm-z` | ``, backticked fayasm names only) lists
/// the same edges as `allowed`.
pub fn check_architecture(path: &str, text: &str, allowed: &[(&str, &[&str])]) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(heading) = text.lines().position(|l| l.trim_end() == ARCH_HEADING) else {
        return vec![Finding::new(path, 1, format!("no `{ARCH_HEADING}` section"))];
    };
    let mut rows: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    for (i, line) in text.lines().enumerate().skip(heading + 1) {
        if line.starts_with("## ") {
            break;
        }
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
        let [krate, deps, ..] = cells.as_slice() else { continue };
        let Some(krate) = backticked(krate).into_iter().next() else { continue };
        rows.insert(krate, (i + 1, backticked(deps).into_iter().collect()));
    }
    for &(krate, may) in allowed {
        let want: BTreeSet<String> = may.iter().map(|s| s.to_string()).collect();
        match rows.remove(krate) {
            None => out.push(Finding::new(
                path,
                heading + 1,
                format!(
                    "the dependency table has no row for `{krate}` (tidy allows: {})",
                    list(&want)
                ),
            )),
            Some((line, have)) if have != want => out.push(Finding::new(
                path,
                line,
                format!(
                    "`{krate}` may depend on {} here but on {} in ALLOWED_DEPS (xtask/src/tidy.rs)",
                    list(&have),
                    list(&want)
                ),
            )),
            Some(_) => {}
        }
    }
    for (krate, (line, _)) in rows {
        out.push(Finding::new(
            path,
            line,
            format!(
                "`{krate}` is in the dependency table but not in ALLOWED_DEPS (xtask/src/tidy.rs)"
            ),
        ));
    }
    out
}

/// The backticked `fayasm-*` names in `cell`.
fn backticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with("fayasm-"))
        .map(String::from)
        .collect()
}

fn list(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "nothing".to_string()
    } else {
        set.iter().map(String::as_str).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The workspace passes every check (`cargo xtask tidy` prints the same findings).
    #[test]
    fn tidy() {
        let findings = check_workspace(&crate::workspace_root()).unwrap_or_else(|e| panic!("{e}"));
        let listed: Vec<String> = findings.iter().map(ToString::to_string).collect();
        assert!(
            findings.is_empty(),
            "tidy found {} problem(s):\n{}",
            findings.len(),
            listed.join("\n")
        );
    }

    #[test]
    fn module_doc_must_be_the_first_line() {
        assert_eq!(check_module_doc("a.rs", "//! Doc.\nfn f() {}\n"), None);
        assert_eq!(check_module_doc("a.rs", "\u{feff}//! Doc.\n"), None);
        for bad in [
            "",
            "\n//! Doc.\n",
            "#![no_std]\n//! Doc.\n",
            "/// Item doc.\nfn f() {}\n",
            "// //! no\n",
        ] {
            let f = check_module_doc("x/a.rs", bad).expect(bad);
            assert_eq!(f.to_string(), "x/a.rs:1: missing //! module doc");
        }
    }

    fn print_lines(text: &str) -> Vec<(usize, String)> {
        check_prints("p.rs", text)
            .into_iter()
            .map(|f| (f.line, f.message.split('`').nth(1).unwrap_or("").to_string()))
            .collect()
    }

    #[test]
    fn prints_found_in_code() {
        let text = "//! Doc.\nfn f() {\n    println!(\"x\");\n    eprint!(\"y\"); dbg!(1);\n    std::print!(\"z\");\n    let _ = std::io::stderr();\n    print !(\"spaced\");\n}\n";
        assert_eq!(
            print_lines(text),
            [
                (3, "println!"),
                (4, "eprint!"),
                (4, "dbg!"),
                (5, "print!"),
                (6, "stderr()"),
                (7, "print!")
            ]
            .map(|(l, w)| (l, w.to_string()))
        );
        assert_eq!(check_prints("p.rs", text)[0].to_string().split(": ").next(), Some("p.rs:3"));
    }

    #[test]
    fn prints_ignored_in_comments_strings_and_lookalikes() {
        let text = r####"//! Uses println!("doc").
/// println!("item doc")
fn f() {
    let s = "println!(\"in a string\")"; /* dbg!(1) /* nested */ eprintln!() */
    let r = r#"print!("raw")"#;
    let b = br"eprint!()";
    let c = '"'; let d = '\''; println_like!(); my_dbg!(); x.print(); stdout;
    fn g<'a>(x: &'a str) -> &'a str { x } // eprintln!()
    writeln!(out, "stdout()");
}
"####;
        assert_eq!(print_lines(text), []);
    }

    #[test]
    fn prints_ignored_under_cfg_test() {
        let text = "//! Doc.\nfn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() { println!(); }\n    #[test]\n    fn c() { dbg!(1); }\n}\nfn d() { eprintln!(\"after\"); }\n#[cfg(test)]\nuse std::println;\nfn e() { print!(\"e\"); }\n";
        assert_eq!(print_lines(text), [(9, "eprintln!".to_string()), (12, "print!".to_string())]);
        let text = "#[cfg(test)]\n#[allow(dead_code)]\nfn f() -> [u8; 2] {\n    dbg!([0; 2])\n}\nfn g() { dbg!(1); }\n";
        assert_eq!(print_lines(text), [(6, "dbg!".to_string())]);
        assert_eq!(print_lines("#![cfg(test)]\nfn f() { dbg!(1); }\n"), []);
    }

    #[test]
    fn library_sources_are_library_crates_src_minus_tests() {
        assert!(is_library_src("crates/fayasm-exec/src/lib.rs"));
        assert!(is_library_src("crates/fayasm-exec/src/dispatch/mod.rs"));
        assert!(!is_library_src("crates/fayasm-wast/src/tests.rs"));
        assert!(!is_library_src("crates/fayasm-exec/tests/all/main.rs"));
        assert!(!is_library_src("crates/fayasm-exec/build.rs"));
        assert!(!is_library_src("crates/fayasm-cli/src/main.rs"));
        assert!(!is_library_src("xtask/src/main.rs"));
        assert!(!is_library_src("benches/src/lib.rs"));
    }

    #[test]
    fn print_allow_list_drops_listed_uses_and_reports_stale_entries() {
        let hits = check_prints("a.rs", "fn f() { let _ = std::io::stdout(); println!(); }");
        let allowed = [("a.rs", "stdout()", "why"), ("b.rs", "dbg!", "why")];
        let left: Vec<String> =
            apply_print_allow_list(hits, &allowed).iter().map(ToString::to_string).collect();
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left[0].starts_with("a.rs:1: `println!` in library code"), "{left:?}");
        assert!(left[1].contains("ALLOWED_PRINTS lists `dbg!` in b.rs"), "{left:?}");
    }

    const CLI_TOML: &str = r#"
[package]
name = "fayasm-cli" # the binary
description = "x = [not a dep]"

[dependencies]
clap = { workspace = true }
fayasm-exec = { workspace = true, features = [
    "std",
] }
core-alias = { package = "fayasm-core", path = "../fayasm-core" }
"fayasm-ir".workspace = true

[dependencies.fayasm-host]
workspace = true

[target.'cfg(target_arch = "x86_64")'.build-dependencies]
fayasm-decode = "0.1"

[dev-dependencies]
fayasm-wast = { workspace = true }

[[bin]]
name = "fayasm"
description = """
a = [
"""
"#;

    #[test]
    fn manifest_reader() {
        let m = parse_manifest(CLI_TOML).unwrap();
        assert_eq!(m.name, "fayasm-cli");
        let deps: Vec<(&str, DepKind, usize)> =
            m.deps.iter().map(|d| (d.name.as_str(), d.kind, d.line)).collect();
        assert_eq!(
            deps,
            [
                ("clap", DepKind::Normal, 7),
                ("fayasm-exec", DepKind::Normal, 8),
                ("fayasm-core", DepKind::Normal, 11),
                ("fayasm-ir", DepKind::Normal, 12),
                ("fayasm-host", DepKind::Normal, 14),
                ("fayasm-decode", DepKind::Build, 18),
                ("fayasm-wast", DepKind::Dev, 21),
            ]
        );
        assert!(parse_manifest("[dependencies]\nx = 1\n").is_err());
    }

    fn manifest(name: &str, deps: &[(&str, DepKind)]) -> (String, Manifest) {
        let deps = deps
            .iter()
            .enumerate()
            .map(|(k, &(n, kind))| Dep { name: n.to_string(), kind, line: k + 2 })
            .collect();
        (format!("crates/{name}/Cargo.toml"), Manifest { name: name.to_string(), deps })
    }

    const TABLE: &[(&str, &[&str])] =
        &[("fayasm-a", &[]), ("fayasm-b", &["fayasm-a"]), ("fayasm-c", &["fayasm-b"])];

    fn dep_findings(manifests: &[(String, Manifest)]) -> Vec<String> {
        check_deps(manifests, TABLE).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn deps_in_the_table_pass() {
        use DepKind::*;
        let ms = [
            manifest("fayasm-a", &[("libm", Normal)]),
            manifest("fayasm-b", &[("fayasm-a", Normal), ("fayasm-a", Dev)]),
            manifest("fayasm-c", &[("fayasm-b", Build), ("fayasm-a", Dev)]),
        ];
        assert_eq!(dep_findings(&ms), Vec::<String>::new());
    }

    #[test]
    fn deps_outside_the_table_are_reported() {
        use DepKind::*;
        let ms = [
            manifest("fayasm-a", &[]),
            manifest("fayasm-b", &[("fayasm-a", Normal)]),
            manifest("fayasm-c", &[("fayasm-b", Normal), ("fayasm-a", Normal), ("xtask", Normal)]),
            manifest("fayasm-new", &[("fayasm-a", Normal)]),
        ];
        assert_eq!(
            dep_findings(&ms),
            [
                "crates/fayasm-c/Cargo.toml:3: `fayasm-c` may not depend on `fayasm-a` (allowed: fayasm-b; see ARCHITECTURE.md, Crate dependencies)",
                "crates/fayasm-c/Cargo.toml:4: `fayasm-c` may not depend on `xtask` (allowed: fayasm-b; see ARCHITECTURE.md, Crate dependencies)",
                "crates/fayasm-new/Cargo.toml:1: crate `fayasm-new` is not in the dependency table (ALLOWED_DEPS in xtask/src/tidy.rs and ARCHITECTURE.md)",
            ]
        );
    }

    #[test]
    fn cycles_are_reported_once() {
        use DepKind::*;
        let ms = [
            manifest("fayasm-a", &[("fayasm-c", Normal)]),
            manifest("fayasm-b", &[("fayasm-a", Normal)]),
            manifest("fayasm-c", &[("fayasm-b", Normal)]),
        ];
        assert_eq!(
            dep_findings(&ms),
            [
                "crates/fayasm-a/Cargo.toml:2: `fayasm-a` may not depend on `fayasm-c` (allowed: none; see ARCHITECTURE.md, Crate dependencies)",
                "crates/fayasm-a/Cargo.toml:2: dependency cycle: fayasm-a -> fayasm-c -> fayasm-b -> fayasm-a",
            ]
        );
    }

    #[test]
    fn dev_deps_must_not_close_a_cycle() {
        use DepKind::*;
        let ms = [
            manifest("fayasm-a", &[("fayasm-c", Dev), ("fayasm-zz", Dev)]),
            manifest("fayasm-b", &[("fayasm-a", Normal)]),
            manifest("fayasm-c", &[("fayasm-b", Normal)]),
        ];
        assert_eq!(
            dep_findings(&ms),
            [
                "crates/fayasm-a/Cargo.toml:2: dev-dependency on `fayasm-c` closes a cycle: fayasm-a -> fayasm-c -> fayasm-b -> fayasm-a",
                "crates/fayasm-a/Cargo.toml:3: dev-dependency on `fayasm-zz`, which is not in the dependency table (only tools may use tools)",
            ]
        );
    }

    #[test]
    fn the_dependency_table_is_acyclic_and_closed() {
        let ms: Vec<(String, Manifest)> = ALLOWED_DEPS
            .iter()
            .map(|&(name, deps)| {
                manifest(name, &deps.iter().map(|&d| (d, DepKind::Normal)).collect::<Vec<_>>())
            })
            .collect();
        assert_eq!(check_deps(&ms, ALLOWED_DEPS), []);
    }

    const ARCH: &str = "\
# x

## Crate dependencies

| crate | may depend on |
| --- | --- |
| `fayasm-a` | (none) |
| `fayasm-b` | `fayasm-a` |
| `fayasm-c` | `fayasm-b` (feature `lower`) |

## Next
| `fayasm-z` | `fayasm-a` |
";

    #[test]
    fn architecture_table_matches() {
        assert_eq!(check_architecture("A.md", ARCH, TABLE), []);
    }

    #[test]
    fn architecture_table_differences_are_reported() {
        let text =
            ARCH.replace("| `fayasm-b` | `fayasm-a` |", "| `fayasm-b` | `fayasm-a`, `fayasm-c` |");
        let text = text.replace("| `fayasm-a` | (none) |\n", "| `fayasm-d` | (none) |\n");
        let found: Vec<String> =
            check_architecture("A.md", &text, TABLE).iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "A.md:3: the dependency table has no row for `fayasm-a` (tidy allows: nothing)",
                "A.md:8: `fayasm-b` may depend on fayasm-a, fayasm-c here but on fayasm-a in ALLOWED_DEPS (xtask/src/tidy.rs)",
                "A.md:7: `fayasm-d` is in the dependency table but not in ALLOWED_DEPS (xtask/src/tidy.rs)",
            ]
        );
        assert_eq!(
            check_architecture("A.md", "# no table\n", TABLE)[0].to_string(),
            "A.md:1: no `## Crate dependencies` section"
        );
    }
}
