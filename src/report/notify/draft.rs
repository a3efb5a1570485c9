//! One regime's draft: its deadlines, whether it seems to apply, its fields and notes, and the
//! same as plain text to paste.

use super::deadlines::{deadline, Deadline, DeadlineStatus};
use super::facts::Facts;
use super::fields::{fields, Field};
use super::unknown;
use crate::report::regimes::RegimeSpec;
use crate::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Said at the top of every draft.
pub const DISCLAIMER: &str = "DRAFT FOR COUNSEL, not legal advice: prepared by leaktriage from the evidence and the responder's context. Check every statement, every [UNKNOWN] and whether the regime applies before anything is sent.";

/// One regime's draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    /// The regime's stable id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What triggers it.
    pub trigger: String,
    /// Whether it seems to apply, from the report (the decision is counsel's).
    pub applies: String,
    /// Its deadlines.
    pub deadlines: Vec<Deadline>,
    /// The content the regime asks for, in words.
    pub content: String,
    /// The fields, filled.
    pub fields: Vec<Field>,
    /// Fields still unknown.
    pub unknowns: u64,
    /// Exemptions, records to keep, penalties.
    pub notes: Vec<String>,
    /// Where the regime's rules come from: the regulation's articles or sections, and official
    /// guidance.
    pub sources: String,
    /// [`DISCLAIMER`].
    pub disclaimer: String,
    /// The draft as plain text, to paste into the regulator's form or a letter.
    pub text: String,
}

/// Whether the regime seems to apply, from what the report knows.
fn applies(g: &RegimeSpec, x: &Facts) -> String {
    let mut s = format!(
        "Applies to {}. From the report: {}",
        g.trigger, x.personal_data
    );
    if !g.applies_also.is_empty() {
        let also = x
            .fill(g.applies_also, false)
            .unwrap_or_else(|name| unknown(&format!("no fact named {name}")));
        s.push_str(&format!("; {also}"));
    }
    if let Some(n) = x.people_n {
        s.push_str(&format!("; about {n} people"));
    }
    s.push_str(". Whether it applies is for counsel.");
    s
}

pub(super) fn draft(g: &RegimeSpec, x: &Facts, now: Option<DateTime<Utc>>, ctx: &Context) -> Draft {
    let deadlines: Vec<Deadline> = g
        .stages
        .iter()
        .map(|st| deadline(g.id, st, ctx, now))
        .collect();
    let overdue = deadlines
        .iter()
        .any(|d| d.condition.is_none() && d.status == DeadlineStatus::Overdue);
    let fields = fields(g, x, overdue);
    let mut notes: Vec<String> = g.notes.iter().map(|n| n.to_string()).collect();
    if let Some((low, high)) = g.damages_per_person_usd {
        notes.push(match x.people_n {
            Some(n) => format!(
                "At ${low} to ${high} per consumer, statutory damages for about {n} people would range from ${} to ${}.",
                n.saturating_mul(low),
                n.saturating_mul(high)
            ),
            None => "The statutory damages range cannot be computed: the number of consumers is unknown.".into(),
        });
    }
    notes.push("Weekends are skipped in business-day counts; public holidays are not modelled: check the regime's calendar.".into());
    let unknowns = fields.iter().filter(|f| !f.known).count() as u64;
    let text = text(g, &deadlines, &fields, &notes);
    Draft {
        id: g.id.into(),
        name: g.name.into(),
        trigger: g.trigger.into(),
        applies: applies(g, x),
        deadlines,
        content: g.content.into(),
        fields,
        unknowns,
        notes,
        sources: g.sources.into(),
        disclaimer: DISCLAIMER.into(),
        text,
    }
}

fn text(g: &RegimeSpec, dl: &[Deadline], fields: &[Field], notes: &[String]) -> String {
    let mut s = format!("{DISCLAIMER}\n\n{}\n", g.name);
    for d in dl {
        s.push_str(&format!(
            "Deadline {}: {} to {}{}: {}\n",
            d.id,
            d.what,
            d.recipient,
            d.condition
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default(),
            d.text
        ));
    }
    s.push('\n');
    for f in fields {
        s.push_str(&format!("{}: {}\n", f.label, f.value));
    }
    if !notes.is_empty() {
        s.push_str("\nNotes:\n");
        for n in notes {
            s.push_str(&format!("- {n}\n"));
        }
    }
    s.push_str(&format!("\nSources: {}\n", g.sources));
    s
}

#[cfg(test)]
mod tests {
    use crate::report::notify::pressing;
    use crate::report::regimes;
    use crate::report::testing::{assert_no_secret, ctx_at, demo_report};

    #[test]
    fn default_regime_drafts_gdpr_with_unknowns_marked_and_the_disclaimer() {
        let r = demo_report(&ctx_at(
            "2026-11-20T12:00:00Z",
            Some("2026-11-19T08:00:00Z"),
        ));
        let n = &r.notifications;
        assert_eq!(n.picked_by, "default");
        assert_eq!(n.drafts.len(), 1);
        let d = &n.drafts[0];
        assert_eq!(d.id, "gdpr_art33");
        assert!(d.text.starts_with("DRAFT FOR COUNSEL"));
        let f = |id: &str| d.fields.iter().find(|f| f.id == id).unwrap();
        assert_eq!(
            f("a_subjects").value,
            "[UNKNOWN: approximate number of data subjects]"
        );
        assert!(!f("a_subjects").known);
        assert!(
            f("a_nature").value.contains("Abuse confirmed"),
            "{}",
            f("a_nature").value
        );
        assert!(f("c_consequences").value.contains("$98.43"));
        assert_eq!(
            d.unknowns,
            d.fields.iter().filter(|f| !f.known).count() as u64
        );
    }

    #[test]
    fn picked_regimes_in_order_unknown_ids_reported() {
        let mut ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-19T08:00:00Z"));
        ctx.regimes = vec![
            "nis2".into(),
            "xx_bogus".into(),
            "uk_gdpr".into(),
            "nis2".into(),
        ];
        let r = demo_report(&ctx);
        let n = &r.notifications;
        assert_eq!(n.picked_by, "responder");
        let ids: Vec<&str> = n.drafts.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["nis2", "uk_gdpr"]);
        assert_eq!(n.unknown_regimes, ["xx_bogus"]);
        let ioc = n.drafts[0]
            .fields
            .iter()
            .find(|f| f.id == "n_iocs")
            .unwrap();
        assert!(ioc.value.contains("198.51.100.23") && ioc.known, "{ioc:?}");
        // The overdue NIS2 early warning does not hide the later deadlines.
        assert_eq!(
            pressing(n).first().map(|d| d.id.as_str()),
            Some("nis2.early_warning")
        );
    }

    /// Data a leaked key deleted is a loss of availability: the drafts say what was deleted,
    /// in the consequences, the indicators and the effect on availability.
    #[test]
    fn data_deleted_is_a_consequence_and_a_loss_of_availability() {
        let text = include_str!("../../../tests/fixtures/evidence/cloudtrail/destroyed.json");
        let mut ctx = ctx_at("2026-03-04T12:00:00Z", Some("2026-03-03T10:00:00Z"));
        ctx.regimes = vec!["gdpr_art33".into(), "uk_gdpr".into(), "nis2".into()];
        let r = crate::triage(&[crate::evidence::Input::new("destroyed.json", text)], &ctx);
        let field = |regime: &str, id: &str| {
            let d = r
                .notifications
                .drafts
                .iter()
                .find(|d| d.id == regime)
                .unwrap();
            d.fields.iter().find(|f| f.id == id).unwrap().value.clone()
        };
        let bucket = "s3_bucket example-archive-bucket";
        assert!(
            field("gdpr_art33", "c_consequences").contains(&format!(
                "stored data deleted ({bucket}): lost unless restored"
            )),
            "{}",
            field("gdpr_art33", "c_consequences")
        );
        assert!(field("nis2", "n_iocs").contains(&format!("deleted: {bucket}")));
        let cia = field("uk_gdpr", "cia");
        assert!(
            cia.contains(&format!("availability: deleted: {bucket}")),
            "{cia}"
        );
    }

    #[test]
    fn drafts_hold_no_secret_value() {
        let mut ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-19T08:00:00Z"));
        ctx.regimes = regimes::REGIMES.iter().map(|g| g.id.to_string()).collect();
        let r = demo_report(&ctx);
        let json = serde_json::to_string(&r.notifications).unwrap();
        assert_no_secret(&r, &json, "drafts");
    }

    #[test]
    fn docs_list_every_deadline_regime_and_checklist_item() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/report.md"))
            .unwrap();
        for g in regimes::REGIMES {
            for st in g.stages {
                let id = format!("`{}.{}`", g.id, st.id);
                assert!(doc.contains(&id), "docs/report.md lacks {id}");
            }
        }
        for id in crate::report::checklist::item_ids() {
            assert!(
                doc.contains(&format!("`{id}`")),
                "docs/report.md lacks {id}"
            );
        }
    }
}
