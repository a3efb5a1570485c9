//! Rules files in leaktriage's own rule format (the catalog's, docs/scan.md "Rule files").

use super::{compile, first_line, leak, leak_list, Filter, Parsed, RuleFile};
use crate::scan::rules::schema::{self, Fallback};
use crate::scan::rules::{Check, Confidence, Kind, Rule};
use serde::Deserialize;

fn name_of<T: for<'de> Deserialize<'de>>(what: &str, name: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(name.to_string()))
        .map_err(|_| format!("unknown {what} `{name}` (docs/scan.md lists the names)"))
}

pub(super) fn parse(file: &RuleFile, mut table: toml::Table) -> Parsed {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::user_rules::check_examples;

    fn file(text: &str) -> RuleFile {
        RuleFile {
            name: "rules.toml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn our_format_loads_with_custom_defaults_and_reports_bad_names() {
        let l = super::super::parse(&file(
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
}
