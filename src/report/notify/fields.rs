//! A draft's fields: the writer walks the regime's field list (`report::regimes`), filling each
//! from the report's facts, fixed text, or `[UNKNOWN: ...]`.

use super::facts::Facts;
use super::unknown;
use crate::report::regimes::{RegimeSpec, Source};
use serde::Serialize;

/// One field of a draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Stable id within the draft.
    pub id: String,
    /// The regime's name for it.
    pub label: String,
    /// The value, with `[UNKNOWN: ...]` where the report cannot fill it.
    pub value: String,
    /// False when the value holds an `[UNKNOWN: ...]`.
    pub known: bool,
}

fn field(id: &str, label: &str, value: &str) -> Field {
    Field {
        id: id.into(),
        label: label.into(),
        value: value.into(),
        known: !value.contains("[UNKNOWN"),
    }
}

/// Whether a field template names the fact `name`.
fn names(template: &str, name: &str) -> bool {
    template.contains(&format!("{{{name}}}"))
}

/// One field's value from its source.
fn value(source: Source, x: &Facts, overdue: bool) -> String {
    match source {
        Source::Facts(t) => x
            .fill(t, overdue)
            .unwrap_or_else(|name| unknown(&format!("no fact named {name}"))),
        Source::Fixed(t) => t.to_string(),
        Source::Unknown(what) => unknown(what),
    }
}

/// The draft's fields: the organisation, a contact point unless one of the regime's own fields
/// names it, the regime's fields in its order, and whether personal data was reachable.
pub(super) fn fields(g: &RegimeSpec, x: &Facts, overdue: bool) -> Vec<Field> {
    let mut v = vec![field("organisation", "Organisation", &x.organisation)];
    let own_contact = g
        .fields
        .iter()
        .any(|f| matches!(f.source, Source::Facts(t) if names(t, "contact")));
    if !own_contact {
        v.push(field("contact", "Contact point", &x.contact));
    }
    v.extend(
        g.fields
            .iter()
            .map(|f| field(f.id, f.label, &value(f.source, x, overdue))),
    );
    v.push(field(
        "personal_data",
        "Personal data reachable (blast radius)",
        &x.personal_data,
    ));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::notify::facts::NAMES;
    use crate::report::regimes::REGIMES;

    /// The `{name}`s of a template.
    fn placeholders(t: &str) -> Vec<&str> {
        t.split('{')
            .skip(1)
            .map(|p| p.split_once('}').map(|(n, _)| n).unwrap_or(p))
            .collect()
    }

    #[test]
    fn every_regime_declares_fields_of_its_own() {
        for g in REGIMES {
            assert!(
                !g.fields.is_empty(),
                "{} has no fields of its own: its draft would hold only the generic ones",
                g.id
            );
            let mut ids: Vec<&str> = g.fields.iter().map(|f| f.id).collect();
            ids.extend(["organisation", "contact", "personal_data"]);
            let n = ids.len();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), n, "{}: field ids repeat", g.id);
        }
    }

    #[test]
    fn every_field_source_is_one_the_writer_knows() {
        for g in REGIMES {
            let templates = g
                .fields
                .iter()
                .filter_map(|f| match f.source {
                    Source::Facts(t) => Some((f.id, t)),
                    Source::Fixed(_) | Source::Unknown(_) => None,
                })
                .chain([("applies", g.applies_also)]);
            for (id, t) in templates {
                for name in placeholders(t) {
                    assert!(
                        NAMES.iter().any(|(n, _)| *n == name),
                        "{}.{id}: the fact {{{name}}} is not one the draft writer knows",
                        g.id
                    );
                }
            }
            for f in g.fields {
                if let Source::Unknown(what) | Source::Fixed(what) = f.source {
                    assert!(!what.is_empty() && !what.contains('{'), "{}.{}", g.id, f.id);
                }
            }
        }
    }

    #[test]
    fn every_named_fact_is_filled_and_an_unknown_name_is_refused() {
        let r = crate::report::testing::demo_report(&crate::Context::default());
        let x = Facts::new(&r, &r.summary, &r.checklist, &crate::Context::default());
        for (name, _) in NAMES {
            assert!(
                x.get(name, false).is_some(),
                "{name} is listed but not filled"
            );
        }
        assert_eq!(x.fill("a {nature", false), Err("nature".into()));
        assert_eq!(x.fill("{bogus}", false), Err("bogus".into()));
        assert_eq!(x.fill("no facts", false).as_deref(), Ok("no facts"));
    }
}
