//! Rules the responder brings: a TOML file in leaktriage's own rule format (the catalog's,
//! docs/scan.md "Rule files") or a gitleaks config (`[[rules]]` with `regex`, `secretGroup`,
//! `keywords`, `entropy`, `path` and allowlists). Each file is loaded on its own; a rule that
//! cannot be used (a regex this engine cannot compile, a missing field) becomes a problem naming
//! the file and the rule, and the others are kept. Nothing here panics on input.
//!
//! Loaded rules are `&'static` like the catalog's: each distinct file (name and content) is
//! turned into rules once per process and kept (interned), so re-running a triage with the same
//! file costs nothing more.

//!
//! Files: [`ours`] (leaktriage's format), [`gitleaks`] (gitleaks configs), [`allowlist`]
//! (gitleaks allowlists and a rule's path condition, applied by the engine and the scanner).

mod allowlist;
mod gitleaks;
mod ours;

pub use allowlist::{Allowlist, Filter, Target, Verdict};
pub use gitleaks::{go_braces, GITLEAKS_PRIORITY};

use super::buffer::scan_buffer;
use super::engine::{DropCounts, Engine};
use super::fake::{generate, Rng};
use super::rules::Rule;
use crate::evidence::Problem;
use regex::bytes::{Regex, RegexBuilder};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

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
        gitleaks::parse(file, table)
    } else {
        ours::parse(file, table)
    }
}

fn first_line(e: &dyn std::fmt::Display) -> String {
    let s = e.to_string();
    s.lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with("TOML parse error"))
        .unwrap_or(&s)
        .trim()
        .to_string()
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

    #[test]
    fn broken_toml_is_one_problem_and_loading_is_cached() {
        let bad = file("[[rules]\nid = 1");
        let l = load(&bad);
        assert!(l.rules.is_empty());
        assert!(l.report.problems[0]
            .message
            .starts_with("not a valid TOML file"));
        let f = file(gitleaks::tests::GITLEAKS);
        let (a, b) = (load(&f), load(&f));
        assert!(std::ptr::eq(a.rules[0], b.rules[0]), "interned once");
    }
}
