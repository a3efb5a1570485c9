//! Rules the responder brings: a TOML file in leaktriage's own rule format (the catalog's,
//! docs/scan.md "Rule files") or a gitleaks config (`[[rules]]` with `regex`, `secretGroup`,
//! `keywords`, `entropy`, `path` and allowlists). Each file is loaded on its own; a rule that
//! cannot be used (a regex this engine cannot compile, a missing field) becomes a problem naming
//! the file and the rule, and the others are kept. Nothing here panics on input.
//!
//! Loaded rules are `&'static` like the catalog's: each distinct file (name and content) is
//! turned into rules once per process and kept (interned), so re-running a triage with the same
//! file costs nothing more.

use super::buffer::scan_buffer;
use super::engine::{DropCounts, Engine};
use super::fake::{generate, Rng};
use super::rules::schema::{self, Fallback};
use super::rules::{Check, Confidence, Kind, Rule};
use crate::evidence::Problem;
use regex::bytes::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Priority of a gitleaks rule: below every catalog rule but the generic one, so a value both
/// find is described by the catalog's rule (structure check, revocation).
pub const GITLEAKS_PRIORITY: u8 = 20;

/// One rules file given to the scan.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RuleFile {
    /// The file's name, as in the evidence inventory.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// What became of one rules file (in the report's `scan.rule_files`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleFileReport {
    /// The file.
    pub evidence: String,
    /// `leaktriage` or `gitleaks`.
    pub format: String,
    /// Rules loaded and used.
    pub rules: u64,
    /// Rules skipped (each has a problem).
    pub skipped: u64,
    /// What was wrong, rule by rule (`record` is the rule's 0-based position in the file).
    pub problems: Vec<Problem>,
}

/// Which text an allowlist's regexes are tested against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The secret (the default).
    Secret,
    /// The rule's whole match.
    Match,
    /// The line holding the secret.
    Line,
}

/// A gitleaks allowlist: a finding it matches is dropped.
#[derive(Debug, Clone)]
pub struct Allowlist {
    /// `condition = "AND"`: every criterion given must hold (else any one).
    pub all: bool,
    /// Commit ids (a prefix of at least 7 characters matches).
    pub commits: Vec<String>,
    /// Path regexes.
    pub paths: Vec<Regex>,
    /// What `regexes` are tested against.
    pub target: Target,
    /// Content regexes.
    pub regexes: Vec<Regex>,
    /// Lower-case words; a secret holding one is allowed.
    pub stopwords: Vec<String>,
}

/// The result of an allowlist's content criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The finding is allowed (dropped).
    Allowed,
    /// Allowed if the path or commit criteria hold: the scanner decides.
    IfPlace,
    /// This allowlist does not allow it.
    No,
}

impl Allowlist {
    fn has_place(&self) -> bool {
        !self.commits.is_empty() || !self.paths.is_empty()
    }

    /// Tests the content criteria (regexes, stop words); the place criteria need the path and
    /// the commit, which only the scanner knows.
    pub fn content(&self, secret: &[u8], whole: &[u8], line: &[u8]) -> Verdict {
        let target = match self.target {
            Target::Secret => secret,
            Target::Match => whole,
            Target::Line => line,
        };
        let regex = self.regexes.iter().any(|r| r.is_match(target));
        let lower = String::from_utf8_lossy(secret).to_ascii_lowercase();
        let stop = self.stopwords.iter().any(|w| lower.contains(w.as_str()));
        if self.all {
            let content_ok =
                (self.regexes.is_empty() || regex) && (self.stopwords.is_empty() || stop);
            match (content_ok, self.has_place()) {
                (false, _) => Verdict::No,
                (true, true) => Verdict::IfPlace,
                (true, false) if self.regexes.is_empty() && self.stopwords.is_empty() => {
                    Verdict::No
                }
                (true, false) => Verdict::Allowed,
            }
        } else if regex || stop {
            Verdict::Allowed
        } else if self.has_place() {
            Verdict::IfPlace
        } else {
            Verdict::No
        }
    }

    /// Tests the place criteria: the path (inside a patch, else the evidence file) and commit.
    pub fn place(&self, path: &str, commit: Option<&str>) -> bool {
        let commit_ok = commit.is_some_and(|c| {
            self.commits
                .iter()
                .any(|a| a.len() >= 7 && (c.starts_with(a.as_str()) || a.starts_with(c)))
        });
        let path_ok = self.paths.iter().any(|p| p.is_match(path.as_bytes()));
        if self.all {
            (self.commits.is_empty() || commit_ok) && (self.paths.is_empty() || path_ok)
        } else {
            commit_ok || path_ok
        }
    }
}

/// A user rule's conditions beyond its regex.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The rule applies only to paths matching this (gitleaks `path`).
    pub path: Option<Regex>,
    /// Findings these allow are dropped.
    pub allowlists: Vec<Allowlist>,
}

/// One file's rules, ready for the engine.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The rules, in file order.
    pub rules: Vec<&'static Rule>,
    /// Their filters, one per rule.
    pub filters: Vec<Filter>,
    /// What became of the file.
    pub report: RuleFileReport,
}

/// Compiles a regex as the engine does (byte-oriented, ASCII classes).
pub fn compile(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(1 << 24)
        .dfa_size_limit(1 << 24)
        .build()
        .map_err(|e| {
            // The regex crate's message spans lines (the pattern, a caret, the reason).
            let text = e.to_string();
            let reason = text
                .lines()
                .rev()
                .find(|l| l.trim_start().starts_with("error:"))
                .map(|l| l.trim().trim_start_matches("error:").trim().to_string())
                .unwrap_or_else(|| text.lines().last().unwrap_or("").trim().to_string());
            format!("its regex does not compile here (Rust `regex` syntax: no look-around, no backreferences): {reason}")
        })
}

/// Go's regexp (gitleaks) reads a `{` that does not open a repetition (`{2}`, `{2,}`,
/// `{2,5}`) as a literal brace; Rust's `regex` refuses it. Escapes such braces, outside
/// character classes, so gitleaks patterns like `\${VAR}` mean what they mean in Go.
pub fn go_braces(pattern: &str) -> String {
    let b = pattern.as_bytes();
    let mut out = String::with_capacity(pattern.len() + 4);
    let (mut i, mut class) = (0, false);
    while i < b.len() {
        let c = b[i];
        if c == b'\\' && i + 1 < b.len() {
            out.push_str(&pattern[i..i + 2]);
            i += 2;
            continue;
        }
        match c {
            b'[' if !class => class = true,
            b']' if class => class = false,
            b'{' if !class => {
                let rest = &pattern[i + 1..];
                let close = rest.find('}');
                let repetition = close.is_some_and(|e| {
                    let inner = &rest[..e];
                    let (lo, hi) = inner.split_once(',').unwrap_or((inner, "0"));
                    !lo.is_empty()
                        && lo.bytes().all(|d| d.is_ascii_digit())
                        && hi.bytes().all(|d| d.is_ascii_digit())
                });
                if !repetition {
                    out.push_str("\\{");
                    i += 1;
                    continue;
                }
            }
            _ => {}
        }
        // Multi-byte characters are copied whole.
        let len = pattern[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&pattern[i..i + len]);
        i += len;
    }
    out
}

/// Compiles a gitleaks (Go) regex: [`go_braces`], then [`compile`].
fn compile_go(pattern: &str) -> Result<Regex, String> {
    compile(&go_braces(pattern))
}

/// Loads one rules file (cached by name and content; rules interned for the process).
pub fn load(file: &RuleFile) -> Loaded {
    type Cache = HashMap<RuleFile, (Vec<&'static Rule>, RuleFileReport)>;
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let cached = cache.lock().ok().and_then(|c| c.get(file).cloned());
    // The filters hold compiled regexes: built each time (cheap), owned by the engine.
    let fresh = parse(file);
    match cached {
        Some((rules, report)) => Loaded {
            rules,
            filters: fresh.filters,
            report,
        },
        None => {
            let rules: Vec<&'static Rule> = fresh
                .rules
                .into_iter()
                .map(|r| &*Box::leak(Box::new(r)))
                .collect();
            let mut report = fresh.report;
            check_examples(&rules, &mut report);
            if let Ok(mut c) = cache.lock() {
                c.insert(file.clone(), (rules.clone(), report.clone()));
            }
            Loaded {
                rules,
                filters: fresh.filters,
                report,
            }
        }
    }
}

/// Each rule's own examples must be found and its negatives not, as the catalog test demands
/// of the catalog: a failure is a problem (the rule is still used).
fn check_examples(rules: &[&'static Rule], report: &mut RuleFileReport) {
    for r in rules {
        if r.examples.is_empty() && r.negatives.is_empty() {
            continue;
        }
        let engine = Engine::with_rules(vec![*r], Vec::new());
        let found = |text: &str| {
            let mut out = Vec::new();
            scan_buffer(
                &engine,
                text.as_bytes(),
                &mut out,
                &mut DropCounts::default(),
            );
            out.into_iter().map(|(m, _, _)| m.value).collect::<Vec<_>>()
        };
        let mut problems = Vec::new();
        for (j, ex) in r.examples.iter().enumerate() {
            let ok = if ex.contains("$S") {
                if r.shape.is_empty() {
                    problems.push(format!(
                        "example {} uses $S but the rule has no `shape`",
                        j + 1
                    ));
                    continue;
                }
                let fake = generate(r.shape, &mut Rng::new(j as u64));
                found(&ex.replace("$S", &fake.text)).contains(&fake.secret)
            } else {
                !found(ex).is_empty()
            };
            if !ok {
                problems.push(format!("example {} is not found by its pattern", j + 1));
            }
        }
        for (j, neg) in r.negatives.iter().enumerate() {
            if !found(neg).is_empty() {
                problems.push(format!("negative {} is found by its pattern", j + 1));
            }
        }
        for p in problems {
            report.problems.push(Problem {
                file: report.evidence.clone(),
                line: None,
                record: None,
                column: None,
                message: format!("rule `{}`: {p}; the rule is used all the same", r.id),
            });
        }
    }
}

struct Parsed {
    rules: Vec<Rule>,
    filters: Vec<Filter>,
    report: RuleFileReport,
}

impl Parsed {
    fn new(file: &RuleFile, format: &str) -> Parsed {
        Parsed {
            rules: Vec::new(),
            filters: Vec::new(),
            report: RuleFileReport {
                evidence: file.name.clone(),
                format: format.into(),
                rules: 0,
                skipped: 0,
                problems: Vec::new(),
            },
        }
    }

    fn problem(&mut self, record: Option<u64>, message: String) {
        self.report.problems.push(Problem {
            file: self.report.evidence.clone(),
            line: None,
            record,
            column: None,
            message,
        });
    }

    fn skip(&mut self, i: usize, id: &str, why: &str) {
        self.report.skipped += 1;
        self.problem(Some(i as u64), format!("rule `{id}`: {why}; rule skipped"));
    }

    fn keep(&mut self, rule: Rule, filter: Filter) {
        self.report.rules += 1;
        self.rules.push(rule);
        self.filters.push(filter);
    }
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn leak_list(v: Vec<String>) -> &'static [&'static str] {
    Box::leak(
        v.into_iter()
            .map(leak)
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    )
}

/// Whether a parsed TOML file is a gitleaks config rather than leaktriage's rule format.
fn is_gitleaks(t: &toml::Table) -> bool {
    let rule_keys = t
        .get("rules")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_table());
    let mut ours = false;
    let mut theirs = ["title", "allowlist", "allowlists", "extend", "minVersion"]
        .iter()
        .any(|k| t.contains_key(*k));
    for r in rule_keys {
        ours |= r.contains_key("pattern") || r.contains_key("assigned_value");
        theirs |=
            r.contains_key("regex") || r.contains_key("secretGroup") || r.contains_key("path");
    }
    theirs || !ours && !t.contains_key("defaults")
}

fn parse(file: &RuleFile) -> Parsed {
    let table: toml::Table = match toml::from_str(&file.text) {
        Ok(t) => t,
        Err(e) => {
            let mut p = Parsed::new(file, "unknown");
            let msg = e.to_string().lines().next().unwrap_or("").to_string();
            p.problem(
                None,
                format!("not a valid TOML file ({msg}): no rule loaded"),
            );
            return p;
        }
    };
    if is_gitleaks(&table) {
        parse_gitleaks(file, table)
    } else {
        parse_ours(file, table)
    }
}

fn name_of<T: for<'de> Deserialize<'de>>(what: &str, name: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(name.to_string()))
        .map_err(|_| format!("unknown {what} `{name}` (docs/scan.md lists the names)"))
}

fn parse_ours(file: &RuleFile, mut table: toml::Table) -> Parsed {
    let mut p = Parsed::new(file, "leaktriage");
    let defaults = match table.remove("defaults") {
        Some(v) => match v.try_into::<schema::Fields>() {
            Ok(d) => d,
            Err(e) => {
                p.problem(None, format!("[defaults]: {}; ignored", first_line(&e)));
                schema::Fields::default()
            }
        },
        None => schema::Fields::default(),
    };
    let rules = match table.remove("rules") {
        Some(toml::Value::Array(a)) => a,
        _ => Vec::new(),
    };
    for (i, v) in rules.into_iter().enumerate() {
        let id = v
            .get("id")
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| format!("#{}", i + 1));
        let fields = match v.try_into::<schema::Fields>() {
            Ok(f) => f,
            Err(e) => {
                p.skip(i, &id, &first_line(&e));
                continue;
            }
        };
        let spec = match fields.or(&defaults).resolve(Fallback::User) {
            Ok(s) => s,
            Err(e) => {
                p.skip(i, &id, &e);
                continue;
            }
        };
        let names = (|| -> Result<(Kind, Check, Confidence), String> {
            Ok((
                name_of("kind", &spec.kind)?,
                name_of("check", &spec.check)?,
                name_of("confidence", &spec.confidence)?,
            ))
        })();
        let (kind, check, confidence) = match names {
            Ok(n) => n,
            Err(e) => {
                p.skip(i, &id, &e);
                continue;
            }
        };
        if let Err(e) = compile(&spec.pattern) {
            p.skip(i, &id, &e);
            continue;
        }
        let rule = Rule {
            id: leak(spec.id),
            provider: leak(spec.provider),
            title: leak(spec.title),
            kind,
            keywords: leak_list(spec.keywords),
            pattern: leak(spec.pattern),
            check,
            confidence,
            context_only: spec.context_only,
            span: spec.span,
            min_entropy: spec.min_entropy,
            priority: spec.priority,
            can_do: leak(spec.can_do),
            revoke: leak(spec.revoke),
            shape: leak(spec.shape),
            var: leak(spec.var),
            examples: leak_list(spec.examples),
            negatives: leak_list(spec.negatives),
            multiline: spec.multiline,
            secret_group: 0,
            sources: leak_list(spec.sources),
            origin: leak(file.name.clone()),
        };
        p.keep(rule, Filter::default());
    }
    if p.report.rules + p.report.skipped == 0 {
        p.problem(None, "no [[rules]] in the file".into());
    }
    p
}

fn first_line(e: &dyn std::fmt::Display) -> String {
    let s = e.to_string();
    s.lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with("TOML parse error"))
        .unwrap_or(&s)
        .trim()
        .to_string()
}

/// A gitleaks `[[rules]]` entry (keys as gitleaks' config reader takes them).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GlRule {
    id: Option<String>,
    description: Option<String>,
    regex: Option<String>,
    path: Option<String>,
    #[serde(rename = "secretGroup", alias = "secretgroup")]
    secret_group: Option<i64>,
    entropy: Option<f64>,
    keywords: Vec<String>,
    allowlist: Option<GlAllowlist>,
    allowlists: Vec<GlAllowlist>,
    required: Option<toml::Value>,
    #[serde(rename = "skipReport", alias = "skipreport")]
    skip_report: bool,
}

/// A gitleaks allowlist (`[rules.allowlist]`, `[[rules.allowlists]]`, `[allowlist]`,
/// `[[allowlists]]`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GlAllowlist {
    condition: Option<String>,
    commits: Vec<String>,
    paths: Vec<String>,
    #[serde(rename = "regexTarget", alias = "regextarget")]
    regex_target: Option<String>,
    regexes: Vec<String>,
    #[serde(alias = "stopWords")]
    stopwords: Vec<String>,
    #[serde(rename = "targetRules", alias = "targetrules")]
    target_rules: Vec<String>,
}

/// A gitleaks allowlist compiled; `where_` names it in problems.
fn gl_allowlist(
    p: &mut Parsed,
    a: GlAllowlist,
    where_: &str,
    record: Option<u64>,
) -> Option<Allowlist> {
    let all = match a
        .condition
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("") | Some("OR") | Some("||") => false,
        Some("AND") | Some("&&") => true,
        Some(other) => {
            p.problem(
                record,
                format!(
                    "{where_}: unknown condition `{other}` (expected AND or OR); allowlist ignored"
                ),
            );
            return None;
        }
    };
    let target = match a.regex_target.as_deref() {
        None | Some("") | Some("secret") => Target::Secret,
        Some("match") => Target::Match,
        Some("line") => Target::Line,
        Some(other) => {
            p.problem(record, format!("{where_}: unknown regexTarget `{other}` (expected secret, match or line); allowlist ignored"));
            return None;
        }
    };
    let mut regexes_of = |list: Vec<String>, what: &str| -> Vec<Regex> {
        list.into_iter()
            .filter_map(|r| match compile_go(&r) {
                Ok(re) => Some(re),
                Err(e) => {
                    p.problem(
                        record,
                        format!("{where_}: {what} `{r}`: {e}; that entry ignored"),
                    );
                    None
                }
            })
            .collect()
    };
    let paths = regexes_of(a.paths, "path");
    let regexes = regexes_of(a.regexes, "regex");
    let list = Allowlist {
        all,
        commits: a.commits,
        paths,
        target,
        regexes,
        stopwords: a.stopwords.iter().map(|w| w.to_ascii_lowercase()).collect(),
    };
    if list.commits.is_empty()
        && list.paths.is_empty()
        && list.regexes.is_empty()
        && list.stopwords.is_empty()
    {
        p.problem(
            record,
            format!("{where_}: no commits, paths, regexes or stopwords; allowlist ignored"),
        );
        return None;
    }
    Some(list)
}

fn parse_gitleaks(file: &RuleFile, mut table: toml::Table) -> Parsed {
    let mut p = Parsed::new(file, "gitleaks");
    if table
        .get("extend")
        .and_then(|e| e.get("useDefault").or_else(|| e.get("usedefault")))
        .and_then(|v| v.as_bool())
        == Some(true)
    {
        p.problem(None, "[extend] useDefault: gitleaks' default rules are not loaded (leaktriage's catalog covers the AI providers and most others); this file's own rules are".into());
    }
    if table
        .get("extend")
        .and_then(|e| e.get("path").or_else(|| e.get("url")))
        .is_some()
    {
        p.problem(
            None,
            "[extend] path/url: other config files are not read; give them as rules files too"
                .into(),
        );
    }
    // Global allowlists: they apply to this file's rules (never to the built-in catalog).
    let mut global: Vec<(Vec<String>, Allowlist)> = Vec::new();
    let mut lists: Vec<GlAllowlist> = Vec::new();
    for key in ["allowlist", "allowlists"] {
        match table.remove(key) {
            Some(toml::Value::Array(a)) => {
                for v in a {
                    match v.try_into::<GlAllowlist>() {
                        Ok(l) => lists.push(l),
                        Err(e) => {
                            p.problem(None, format!("[[{key}]]: {}; ignored", first_line(&e)))
                        }
                    }
                }
            }
            Some(v) => match v.try_into::<GlAllowlist>() {
                Ok(l) => lists.push(l),
                Err(e) => p.problem(None, format!("[{key}]: {}; ignored", first_line(&e))),
            },
            None => {}
        }
    }
    for l in lists {
        let targets = l.target_rules.clone();
        if let Some(a) = gl_allowlist(&mut p, l, "global allowlist", None) {
            global.push((targets, a));
        }
    }
    let rules = match table.remove("rules") {
        Some(toml::Value::Array(a)) => a,
        _ => Vec::new(),
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, v) in rules.into_iter().enumerate() {
        let record = Some(i as u64);
        let r = match v.try_into::<GlRule>() {
            Ok(r) => r,
            Err(e) => {
                p.skip(i, &format!("#{}", i + 1), &first_line(&e));
                continue;
            }
        };
        let Some(id) = r.id.clone().filter(|s| !s.trim().is_empty()) else {
            p.skip(i, &format!("#{}", i + 1), "no `id`");
            continue;
        };
        if seen.insert(id.clone(), i).is_some() {
            p.skip(i, &id, "a rule with the same id comes earlier in the file");
            continue;
        }
        if r.skip_report {
            p.skip(
                i,
                &id,
                "`skipReport`: it only serves other rules' `required`",
            );
            continue;
        }
        let Some(pattern) = r.regex.clone().filter(|s| !s.is_empty()) else {
            let why = if r.path.is_some() {
                "it matches file paths only (no `regex`), and leaktriage finds secrets in contents"
            } else {
                "no `regex`"
            };
            p.skip(i, &id, why);
            continue;
        };
        let pattern = go_braces(&pattern);
        let re = match compile(&pattern) {
            Ok(re) => re,
            Err(e) => {
                p.skip(i, &id, &e);
                continue;
            }
        };
        let group = match r.secret_group {
            None | Some(0) => 0,
            Some(g) if g > 0 && (g as usize) < re.captures_len() => g as usize,
            Some(g) => {
                p.skip(
                    i,
                    &id,
                    &format!(
                        "`secretGroup = {g}` but the regex has {} group(s)",
                        re.captures_len() - 1
                    ),
                );
                continue;
            }
        };
        let path = match r.path.as_deref().filter(|s| !s.is_empty()).map(compile_go) {
            None => None,
            Some(Ok(re)) => Some(re),
            Some(Err(e)) => {
                p.skip(i, &id, &format!("`path`: {e}"));
                continue;
            }
        };
        if r.required.is_some() {
            p.problem(record, format!("rule `{id}`: [[rules.required]] (composite rules) is not supported; the rule is used on its own and may report more"));
        }
        let mut allowlists = Vec::new();
        for (n, a) in r.allowlist.into_iter().chain(r.allowlists).enumerate() {
            if let Some(a) = gl_allowlist(
                &mut p,
                a,
                &format!("rule `{id}` allowlist {}", n + 1),
                record,
            ) {
                allowlists.push(a);
            }
        }
        allowlists.extend(
            global
                .iter()
                .filter(|(t, _)| t.is_empty() || t.contains(&id))
                .map(|(_, a)| a.clone()),
        );
        let title = r
            .description
            .clone()
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| id.clone());
        let rule = Rule {
            id: leak(id),
            provider: "custom",
            title: leak(title),
            kind: Kind::Custom,
            keywords: leak_list(
                r.keywords
                    .iter()
                    .map(|k| k.to_ascii_lowercase())
                    .filter(|k| !k.is_empty())
                    .collect(),
            ),
            pattern: leak(pattern),
            check: Check::None,
            confidence: Confidence::Medium,
            context_only: false,
            span: 0,
            min_entropy: r.entropy.unwrap_or(0.0) as f32,
            priority: GITLEAKS_PRIORITY,
            can_do:
                "unknown: whatever the service that issued it grants (see the rule's description)",
            revoke: "identify the issuing service from the rule and rotate the credential there",
            shape: "",
            var: "API_KEY",
            examples: &[],
            negatives: &[],
            multiline: false,
            secret_group: group,
            sources: &[],
            origin: leak(file.name.clone()),
        };
        p.keep(rule, Filter { path, allowlists });
    }
    for (targets, _) in &global {
        for t in targets {
            if !seen.contains_key(t) {
                p.problem(None, format!("global allowlist: targetRules names `{t}`, which is not a rule of this file"));
            }
        }
    }
    if p.report.rules + p.report.skipped == 0 {
        p.problem(None, "no [[rules]] in the file".into());
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> RuleFile {
        RuleFile {
            name: "rules.toml".into(),
            text: text.into(),
        }
    }

    const GITLEAKS: &str = r#"
title = "custom"
[allowlist]
stopwords = ["example"]

[[rules]]
id = "acme-token"
description = "Acme API token"
regex = '''(?i)\b(acme_[a-z0-9]{32})\b'''
keywords = ["ACME_"]
entropy = 3.0
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''fixture''']

[[rules]]
id = "lookbehind"
regex = '''(?<=key=)[a-z]{20}'''

[[rules]]
id = "paths-only"
path = '''\.pem$'''

[[rules]]
id = "group"
regex = '''tok:([a-z]+)'''
secretGroup = 2
"#;

    #[test]
    fn a_gitleaks_config_keeps_its_good_rules_and_names_the_bad_ones() {
        let l = parse(&file(GITLEAKS));
        assert_eq!(l.report.format, "gitleaks");
        let ids: Vec<&str> = l.rules.iter().map(|r| r.id).collect();
        assert_eq!(ids, ["acme-token"]);
        let r = &l.rules[0];
        assert_eq!(
            (r.keywords, r.kind, r.provider, r.origin),
            (&["acme_"][..], Kind::Custom, "custom", "rules.toml")
        );
        assert_eq!(r.min_entropy, 3.0);
        assert_eq!(
            l.filters[0].allowlists.len(),
            2,
            "its own and the global one"
        );
        assert_eq!(l.report.skipped, 3);
        let msgs: Vec<&str> = l
            .report
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert!(
            msgs[0].starts_with("rule `lookbehind`: its regex does not compile here"),
            "{msgs:?}"
        );
        assert!(msgs[0].contains("look-around"), "{msgs:?}");
        assert!(
            msgs[1].contains("`paths-only`: it matches file paths only"),
            "{msgs:?}"
        );
        assert!(
            msgs[2].contains("`secretGroup = 2` but the regex has 1 group(s)"),
            "{msgs:?}"
        );
        assert!(l.report.problems.iter().all(|p| p.file == "rules.toml"));
        assert_eq!(l.report.problems[0].record, Some(1));
    }

    #[test]
    fn allowlists_follow_gitleaks_semantics() {
        let l = parse(&file(GITLEAKS));
        let (own, global) = (&l.filters[0].allowlists[0], &l.filters[0].allowlists[1]);
        assert_eq!(
            own.content(b"acme_x", b"t=acme_x", b"a fixture line"),
            Verdict::Allowed
        );
        assert_eq!(
            own.content(b"acme_x", b"t=acme_x", b"real line"),
            Verdict::No
        );
        assert_eq!(
            global.content(b"acme_EXAMPLE_1", b"", b""),
            Verdict::Allowed
        );
        let and = Allowlist {
            all: true,
            commits: vec!["0123456789".into()],
            paths: vec![compile("^test/").unwrap()],
            target: Target::Secret,
            regexes: vec![compile("^acme").unwrap()],
            stopwords: vec![],
        };
        assert_eq!(and.content(b"acme_1", b"", b""), Verdict::IfPlace);
        assert_eq!(and.content(b"other", b"", b""), Verdict::No);
        assert!(and.place("test/a.env", Some("0123456789abcdef")));
        assert!(!and.place("src/a.env", Some("0123456789abcdef")));
        assert!(!and.place("test/a.env", None));
    }

    #[test]
    fn our_format_loads_with_custom_defaults_and_reports_bad_names() {
        let l = parse(&file(
            r#"
[defaults]
provider = "Acme"

[[rules]]
id = "acme-key"
keywords = ["acme-"]
pattern = '\b(acme-[a-f0-9]{32})\b'
shape = "acme-{hex:32}"
examples = ["ACME_KEY=$S"]

[[rules]]
id = "acme-by-name"
keywords = ["acme"]
assigned_value = '\b([A-Z0-9]{24})\b'
kind = "inference_key"
examples = ["ACME_KEY = 'NOT-A-MATCH'"]
negatives = ["ACME_KEY=Q7ZK2M9XW4PL8RT3VN6BY1HC"]

[[rules]]
id = "bad-kind"
keywords = ["x"]
pattern = 'x'
kind = "rocket"

[[rules]]
id = "typo"
keywords = ["x"]
patern = 'x'
"#,
        ));
        assert_eq!(l.report.format, "leaktriage");
        let ids: Vec<&str> = l.rules.iter().map(|r| r.id).collect();
        assert_eq!(ids, ["acme-key", "acme-by-name"]);
        assert_eq!(l.rules[0].provider, "Acme");
        assert_eq!(l.rules[0].kind, Kind::Custom);
        assert_eq!(l.rules[1].kind, Kind::InferenceKey);
        assert!(l.rules[1].pattern.starts_with("(?i)(?:acme)"));
        let msgs: Vec<&str> = l
            .report
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert!(
            msgs[0].contains("rule `bad-kind`: unknown kind `rocket`"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].contains("rule `typo`") && msgs[1].contains("patern"),
            "{msgs:?}"
        );
        let mut report = l.report.clone();
        let rules: Vec<&'static Rule> = l
            .rules
            .into_iter()
            .map(|r| &*Box::leak(Box::new(r)))
            .collect();
        check_examples(&rules, &mut report);
        let msgs: Vec<&str> = report.problems[2..]
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(
            msgs,
            [
                "rule `acme-by-name`: example 1 is not found by its pattern; the rule is used all the same",
                "rule `acme-by-name`: negative 1 is found by its pattern; the rule is used all the same",
            ]
        );
    }

    #[test]
    fn go_literal_braces_are_escaped_and_repetitions_kept() {
        assert_eq!(go_braces(r"^\$(?:\d+|{\d+})$"), r"^\$(?:\d+|\{\d+})$");
        assert_eq!(
            go_braces(r"a{2}b{2,}c{2,5}[{}]\{x"),
            r"a{2}b{2,}c{2,5}[{}]\{x"
        );
        assert_eq!(go_braces("é{"), "é\\{");
        for p in [
            r"^\${(?:[A-Z_]+|[a-z_]+)}$",
            r"import[ \t]+{[ \t\w,]+}[ \t]+from",
        ] {
            assert!(compile_go(p).is_ok(), "{p}");
        }
    }

    #[test]
    fn broken_toml_is_one_problem_and_loading_is_cached() {
        let bad = file("[[rules]\nid = 1");
        let l = load(&bad);
        assert!(l.rules.is_empty());
        assert!(l.report.problems[0]
            .message
            .starts_with("not a valid TOML file"));
        let f = file(GITLEAKS);
        let (a, b) = (load(&f), load(&f));
        assert!(std::ptr::eq(a.rules[0], b.rules[0]), "interned once");
    }
}
