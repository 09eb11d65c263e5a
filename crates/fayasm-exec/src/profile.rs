//! Resource profiles: the RAM a target has, the code budget and compilation mode that suit it,
//! and how command-line flags and environment variables override them.
//!
//! # Profiles
//!
//! The profile is picked at build time by a cargo feature of `fayasm-exec`:
//!
//! | feature | target | RAM | default code budget | mode |
//! | --- | --- | --- | --- | --- |
//! | `target-esp32` | ESP32 (Xtensa LX6, 2 cores) | 520 KiB SRAM, about 320 KiB of it DRAM for the heap | 48 KiB | lazy |
//! | `target-esp32s3` | ESP32-S3 (Xtensa LX7, 2 cores) | 512 KiB SRAM, optional 2-8 MiB PSRAM | 96 KiB | lazy |
//! | neither | a `std` host | probed: `/proc/meminfo` on Linux, cores from `std::thread::available_parallelism` | none (unlimited) | lazy |
//!
//! The ESP32 budgets keep lowered code (12 bytes per instruction) to about 15-20% of the
//! internal RAM a heap gets, leaving the rest for linear memory (one 64 KiB page), the value
//! stack and the host. Lazy lowering suits them: only code that runs takes RAM.
//! With both features, `target-esp32` wins (the smaller one).
//!
//! # Precedence
//!
//! [`Settings::resolve`]: a command-line flag beats an environment variable, which beats the
//! profile, which beats fayasm's default (no budget, lazy lowering). The variables
//! ([`EnvOverrides::from_lookup`]):
//! - `FAYASM_CODE_BUDGET=BYTES` (a number, or with `K`/`M` for KiB/MiB; `none` for no limit);
//! - `FAYASM_LAZY=1` for lazy lowering, `FAYASM_LAZY=0` for eager;
//! - `FAYASM_PRESCAN=1` forces eager lowering (a prescan of every function), over `FAYASM_LAZY`.

use crate::{CompilationMode, Config};
use alloc::string::String;

/// A build-time resource profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// Its name (`esp32`, `esp32s3`, `host`).
    pub name: &'static str,
    /// RAM of the target in bytes, where the profile knows it (internal SRAM on the ESP32s).
    pub ram_bytes: Option<u64>,
    /// The code budget it suggests.
    pub code_budget: Option<usize>,
    /// The compilation mode it suggests.
    pub mode: CompilationMode,
}

impl Profile {
    /// The ESP32 profile.
    pub const ESP32: Profile = Profile {
        name: "esp32",
        ram_bytes: Some(520 * 1024),
        code_budget: Some(48 * 1024),
        mode: CompilationMode::Lazy,
    };
    /// The ESP32-S3 profile.
    pub const ESP32S3: Profile = Profile {
        name: "esp32s3",
        ram_bytes: Some(512 * 1024),
        code_budget: Some(96 * 1024),
        mode: CompilationMode::Lazy,
    };
    /// A host without a target feature: no budget, lazy lowering.
    pub const HOST: Profile =
        Profile { name: "host", ram_bytes: None, code_budget: None, mode: CompilationMode::Lazy };

    /// The profile this build was configured for.
    pub const fn current() -> Profile {
        if cfg!(feature = "target-esp32") {
            Profile::ESP32
        } else if cfg!(feature = "target-esp32s3") {
            Profile::ESP32S3
        } else {
            Profile::HOST
        }
    }
}

/// Settings given explicitly, by flags or by the environment; `None` leaves a setting to the
/// next source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvOverrides {
    /// The code budget: `Some(None)` means "no limit", given explicitly.
    pub code_budget: Option<Option<usize>>,
    /// The compilation mode.
    pub mode: Option<CompilationMode>,
}

/// Why an override could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideError {
    /// The variable or flag.
    pub name: String,
    /// What is wrong.
    pub message: String,
}

impl core::fmt::Display for OverrideError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

/// Parses a byte count: digits, optionally followed by `K` (KiB) or `M` (MiB).
pub fn parse_bytes(text: &str) -> Result<usize, String> {
    let (digits, unit) = match text.strip_suffix(['K', 'k']) {
        Some(d) => (d, 1024),
        None => match text.strip_suffix(['M', 'm']) {
            Some(d) => (d, 1024 * 1024),
            None => (text, 1),
        },
    };
    let bad = || alloc::format!("{text:?} is not a byte count (digits, optionally K or M)");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let n: usize = digits.parse().map_err(|_| bad())?;
    n.checked_mul(unit).ok_or_else(bad)
}

fn parse_flag(name: &str, text: &str) -> Result<bool, OverrideError> {
    match text {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(OverrideError {
            name: name.into(),
            message: alloc::format!("{text:?} is not 1 or 0 (true/false, yes/no, on/off)"),
        }),
    }
}

impl EnvOverrides {
    /// Reads `FAYASM_CODE_BUDGET`, `FAYASM_LAZY` and `FAYASM_PRESCAN` through `lookup` (for
    /// example `|k| std::env::var(k).ok()`); unset variables override nothing.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, OverrideError> {
        let mut o = EnvOverrides::default();
        if let Some(v) = lookup("FAYASM_CODE_BUDGET") {
            o.code_budget = Some(if v == "none" {
                None
            } else {
                Some(parse_bytes(&v).map_err(|message| OverrideError {
                    name: "FAYASM_CODE_BUDGET".into(),
                    message,
                })?)
            });
        }
        if let Some(v) = lookup("FAYASM_LAZY") {
            let lazy = parse_flag("FAYASM_LAZY", &v)?;
            o.mode = Some(if lazy { CompilationMode::Lazy } else { CompilationMode::Eager });
        }
        if let Some(v) = lookup("FAYASM_PRESCAN")
            && parse_flag("FAYASM_PRESCAN", &v)?
        {
            o.mode = Some(CompilationMode::Eager);
        }
        Ok(o)
    }

    /// The process environment's overrides.
    #[cfg(feature = "std")]
    pub fn from_env() -> Result<Self, OverrideError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }
}

/// The settings in force and where each came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The code budget.
    pub code_budget: Option<usize>,
    /// Where it came from: `"cli"`, `"env"`, `"profile"` or `"default"`.
    pub code_budget_from: &'static str,
    /// The compilation mode.
    pub mode: CompilationMode,
    /// Where it came from.
    pub mode_from: &'static str,
}

impl Settings {
    /// Resolves the settings: `cli` over `env` over `profile` over the default (see the
    /// [module docs](self)).
    pub fn resolve(cli: &EnvOverrides, env: &EnvOverrides, profile: &Profile) -> Settings {
        let (code_budget, code_budget_from) = match (cli.code_budget, env.code_budget) {
            (Some(b), _) => (b, "cli"),
            (None, Some(b)) => (b, "env"),
            (None, None) if profile.code_budget.is_some() => (profile.code_budget, "profile"),
            (None, None) => (None, "default"),
        };
        let (mode, mode_from) = match (cli.mode, env.mode) {
            (Some(m), _) => (m, "cli"),
            (None, Some(m)) => (m, "env"),
            (None, None) if profile.mode != CompilationMode::default() => (profile.mode, "profile"),
            (None, None) => (CompilationMode::default(), "default"),
        };
        Settings { code_budget, code_budget_from, mode, mode_from }
    }

    /// Applies the settings to `config`.
    pub fn apply(&self, config: &mut Config) {
        config.code_budget(self.code_budget).compilation_mode(self.mode);
    }
}

/// What a `std` host has: RAM and CPUs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostResources {
    /// Total RAM in bytes (`MemTotal` of `/proc/meminfo`), where it can be read.
    pub ram_total: Option<u64>,
    /// Available RAM in bytes (`MemAvailable`), where it can be read.
    pub ram_available: Option<u64>,
    /// CPUs this process may use.
    pub cpus: Option<usize>,
}

/// The `kB` value of `field` in the text of `/proc/meminfo`, in bytes.
pub fn meminfo_field(text: &str, field: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.split(':').next() == Some(field))?;
    let mut words = line.split(':').nth(1)?.split_whitespace();
    let n: u64 = words.next()?.parse().ok()?;
    match words.next() {
        Some("kB") => n.checked_mul(1024),
        None => Some(n),
        Some(_) => None,
    }
}

impl HostResources {
    /// Probes the host: `/proc/meminfo` (Linux; elsewhere RAM is unknown) and
    /// `std::thread::available_parallelism`.
    #[cfg(feature = "std")]
    pub fn probe() -> HostResources {
        let meminfo = std::fs::read_to_string("/proc/meminfo").ok();
        let field = |f| meminfo.as_deref().and_then(|t| meminfo_field(t, f));
        HostResources {
            ram_total: field("MemTotal"),
            ram_available: field("MemAvailable"),
            cpus: std::thread::available_parallelism().ok().map(|n| n.get()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn env(vars: &[(&str, &str)]) -> Result<EnvOverrides, OverrideError> {
        let vars: alloc::vec::Vec<(String, String)> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        EnvOverrides::from_lookup(|k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
    }

    #[test]
    fn byte_counts_with_suffixes() {
        assert_eq!(parse_bytes("2048"), Ok(2048));
        assert_eq!(parse_bytes("16K"), Ok(16 * 1024));
        assert_eq!(parse_bytes("3m"), Ok(3 * 1024 * 1024));
        for bad in ["", "K", "-1", "+5", "1.5K", "12Q", "99999999999999999999", "9999999999999999M"]
        {
            assert!(parse_bytes(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn environment_variables_parse_and_prescan_wins() {
        assert_eq!(env(&[]).unwrap(), EnvOverrides::default());
        let o = env(&[("FAYASM_CODE_BUDGET", "16K"), ("FAYASM_LAZY", "0")]).unwrap();
        assert_eq!(o.code_budget, Some(Some(16384)));
        assert_eq!(o.mode, Some(CompilationMode::Eager));
        let o = env(&[("FAYASM_LAZY", "1"), ("FAYASM_PRESCAN", "1")]).unwrap();
        assert_eq!(o.mode, Some(CompilationMode::Eager));
        let o = env(&[("FAYASM_LAZY", "1"), ("FAYASM_PRESCAN", "0")]).unwrap();
        assert_eq!(o.mode, Some(CompilationMode::Lazy));
        assert_eq!(env(&[("FAYASM_CODE_BUDGET", "none")]).unwrap().code_budget, Some(None));
        let e = env(&[("FAYASM_CODE_BUDGET", "lots")]).unwrap_err();
        assert!(e.to_string().starts_with("FAYASM_CODE_BUDGET: \"lots\" is not a byte count"));
        let e = env(&[("FAYASM_LAZY", "maybe")]).unwrap_err();
        assert_eq!(e.name, "FAYASM_LAZY");
    }

    #[test]
    fn cli_beats_env_beats_profile_beats_default() {
        let none = EnvOverrides::default();
        let s = Settings::resolve(&none, &none, &Profile::HOST);
        assert_eq!((s.code_budget, s.code_budget_from), (None, "default"));
        assert_eq!((s.mode, s.mode_from), (CompilationMode::Lazy, "default"));
        let s = Settings::resolve(&none, &none, &Profile::ESP32);
        assert_eq!((s.code_budget, s.code_budget_from), (Some(48 * 1024), "profile"));
        let env =
            EnvOverrides { code_budget: Some(Some(4096)), mode: Some(CompilationMode::Eager) };
        let s = Settings::resolve(&none, &env, &Profile::ESP32);
        assert_eq!((s.code_budget, s.code_budget_from), (Some(4096), "env"));
        assert_eq!((s.mode, s.mode_from), (CompilationMode::Eager, "env"));
        let cli = EnvOverrides { code_budget: Some(None), mode: Some(CompilationMode::Lazy) };
        let s = Settings::resolve(&cli, &env, &Profile::ESP32);
        assert_eq!((s.code_budget, s.code_budget_from), (None, "cli"));
        assert_eq!((s.mode, s.mode_from), (CompilationMode::Lazy, "cli"));
        let mut config = Config::new();
        s.apply(&mut config);
        assert_eq!(config.get_code_budget(), None);
    }

    #[test]
    fn meminfo_fields_in_bytes() {
        let text = "MemTotal:       16318084 kB\nMemFree:  1000 kB\nMemAvailable:   9000 kB\nHugePages_Total:       0\n";
        assert_eq!(meminfo_field(text, "MemTotal"), Some(16318084 * 1024));
        assert_eq!(meminfo_field(text, "MemAvailable"), Some(9000 * 1024));
        assert_eq!(meminfo_field(text, "HugePages_Total"), Some(0));
        assert_eq!(meminfo_field(text, "Mem"), None);
        assert_eq!(meminfo_field("MemTotal: lots kB", "MemTotal"), None);
    }

    #[cfg(feature = "std")]
    #[test]
    fn the_probe_finds_cpus() {
        let r = HostResources::probe();
        assert!(r.cpus.is_some_and(|n| n >= 1), "{r:?}");
        if cfg!(target_os = "linux") {
            assert!(r.ram_total.is_some_and(|t| t > 0), "{r:?}");
        }
    }
}
