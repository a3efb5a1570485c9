//! gitleaks configs (gitleaks' `config/gitleaks.toml` format): rules, `secretGroup`,
//! `keywords`, `entropy`, `path`, and allowlists in their old and new forms.

use super::{compile, first_line, leak, leak_list, Allowlist, Filter, Parsed, RuleFile, Target};
use crate::scan::rules::{Check, Confidence, Kind, Rule};
use regex::bytes::Regex;
use serde::Deserialize;
use std::collections::HashMap;

/// Priority of a gitleaks rule: below every catalog rule but the generic one, so a value both
/// find is described by the catalog's rule (structure check, revocation).
pub const GITLEAKS_PRIORITY: u8 = 20;

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
            // The escaped character whole, multi-byte ones too.
            let len = 1 + pattern[i + 1..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&pattern[i..i + len]);
            i += len;
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

pub(super) fn parse(file: &RuleFile, mut table: toml::Table) -> Parsed {
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
pub(super) mod tests {
    use super::*;
    use crate::scan::user_rules::{parse, Verdict};

    fn file(text: &str) -> RuleFile {
        RuleFile {
            name: "rules.toml".into(),
            text: text.into(),
        }
    }

    pub(crate) const GITLEAKS: &str = r#"
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

    /// Regression, found by the mutation harness: a backslash before a multi-byte character
    /// (`[ \t\é]` in a mutated gitleaks config) sliced the pattern inside the character and
    /// panicked, losing the whole run.
    #[test]
    fn go_braces_keeps_an_escaped_multibyte_character_whole() {
        assert_eq!(go_braces(r"[ \t\é€]{0,20}"), r"[ \t\é€]{0,20}");
        assert_eq!(go_braces(r"\é{x"), r"\é\{x");
        assert_eq!(go_braces(r"a\"), r"a\");
        let config =
            "[[rules]]\nid = \"x\"\nregex = '''(?:widget)(?:[ \\t\\é€]{0,20})([a-z0-9]{32})'''\n";
        let parsed = parse(&file(config));
        // `\é` is no escape Rust's regex knows: the rule is skipped with a problem, not a panic.
        assert!(parsed.rules.is_empty());
        let p = &parsed.report.problems;
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("does not compile"), "{p:?}");
    }
}
