//! The response checklist: phases 0 to 3 of the 24-hour incident playbook for leaked AI agent
//! tokens (its copy-paste incident checklist and root-cause questions) and the first-ten-minutes
//! order for agent credentials of "When a Leaked API Key Authorizes an Agent: The First Ten
//! Minutes Are Different" (Ultrathink Engineering, June 2026), as
//! data with stable ids. Each item is pre-filled from the evidence where the evidence settles
//! it; the responder's state from the context overrides.

use super::clock::{fmt_local, offset, Rule};
use super::input::{ItemState, ItemStatus};
use super::summary::{values_of, IocKind, Summary, Verdict};
use super::Report;
use crate::evidence::EvidenceKind;
use crate::format;
use crate::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One phase of the response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    /// Stable id: `first_ten_minutes`, `phase0`, `phase1`, `phase2`, `phase3`.
    pub id: String,
    /// In words.
    pub title: String,
    /// Where the items come from.
    pub source: String,
    /// When the phase should be done, where the clock is known (phase 3: 5 business days
    /// after revocation).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub due_at: Option<DateTime<Utc>>,
    /// How the due time is counted, or why it is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_note: Option<String>,
    /// Items not done and not n/a.
    pub remaining: u64,
    /// The items, in order.
    pub items: Vec<Item>,
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// Stable id (`p0.revoke`, `m10.freeze_sessions`, ...).
    pub id: String,
    /// The step, as the source words it.
    pub text: String,
    /// The state in force.
    pub status: ItemStatus,
    /// Who set it: `responder` (context), `evidence` (settled by the evidence or the context's
    /// facts), or `default` (not done).
    pub status_from: String,
    /// What the evidence says about this item, where it says anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// The responder's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The checklist.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Checklist {
    /// The phases, first ten minutes first.
    pub phases: Vec<Phase>,
    /// Items in all.
    pub total: u64,
    /// Items done.
    pub done: u64,
    /// Items marked not applicable.
    pub not_applicable: u64,
    /// Items remaining (neither done nor n/a).
    pub remaining: u64,
    /// Item ids in the context that no item has (typos, items from another version).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_ids: Vec<String>,
}

/// A phase as data: id, title, source, then its items as (id, text) in order.
pub type PhaseSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// The items as data, in order.
pub const PHASES: [PhaseSpec; 5] = [
    (
        "first_ten_minutes",
        "The first ten minutes (agent credentials), in order",
        "\"When a Leaked API Key Authorizes an Agent: The First Ten Minutes Are Different\" (Ultrathink Engineering, June 2026)",
        &[
            ("m10.rotate", "Rotate the key in code first: the new key into encrypted credentials, not a process environment; the old key dies once the new one works for every dependent surface"),
            ("m10.freeze_sessions", "Freeze affected agent sessions: end every process that authenticated with the leaked credential"),
            ("m10.kill_outbound", "Kill outbound connections the agent was holding open; make it re-handshake on the new credential"),
            ("m10.action_log", "Pull the action log: every action since the leak window opened is suspect"),
            ("m10.chain_hops", "Sweep chain-hops: other agents that accepted tasks or briefs from the affected sessions"),
            ("m10.revoke_minted", "Revoke any tokens the agent minted (OAuth grants, signed URLs, sub-credentials) at the issuer"),
        ],
    ),
    (
        "phase0",
        "Phase 0: the first 15 minutes, detect and contain",
        "the 24-hour incident playbook for leaked AI agent tokens: copy-paste incident checklist, phase 0",
        &[
            ("p0.revoke", "Token revoked in provider dashboard"),
            ("p0.billing_alerts", "Billing alerts set to catch ongoing charges"),
            ("p0.usage_logs", "Usage logs exported (48-hour window before discovery)"),
            ("p0.app_logs", "Application logs exported"),
            ("p0.leak_source", "Leak source identified (git commit? .env? CI logs?)"),
            ("p0.channel", "Incident channel opened, response team notified"),
        ],
    ),
    (
        "phase1",
        "Phase 1: the first hour, scope and rotate",
        "the 24-hour incident playbook for leaked AI agent tokens: copy-paste incident checklist, phase 1",
        &[
            ("p1.scope_documented", "Token permission scope documented (what could it access?)"),
            ("p1.usage_reviewed", "Usage logs reviewed for anomalous IPs, times, models"),
            ("p1.exploitation", "Evidence of exploitation: yes / no / unknown"),
            ("p1.new_token", "New token issued with reduced scope"),
            ("p1.secrets_manager", "New token stored in secrets manager (not code)"),
            ("p1.redeployed", "Agent redeployed with new token and verified working"),
        ],
    ),
    (
        "phase2",
        "Phase 2: the first 24 hours, assess damage and notify",
        "the 24-hour incident playbook for leaked AI agent tokens: copy-paste incident checklist, phase 2",
        &[
            ("p2.downstream", "Downstream tool access reviewed (DB, email, GitHub, Slack)"),
            ("p2.personal_data", "Personal data exposure assessment complete: yes / no / unknown"),
            ("p2.gdpr_clock", "GDPR 72-hour clock: started at [TIME], deadline is [TIME+72h]"),
            ("p2.dpa_filed", "DPA notification filed (if required)"),
            ("p2.internal", "Internal stakeholders notified (legal, DPO, enterprise customers)"),
            ("p2.external_comms", "External comms drafted (if required)"),
        ],
    ),
    (
        "phase3",
        "Phase 3: the post-incident review, within 5 business days of containment",
        "the 24-hour incident playbook for leaked AI agent tokens: root cause analysis checklist and copy-paste incident checklist, phase 3",
        &[
            ("p3.rca_where", "Where exactly was the token stored when it leaked?"),
            ("p3.rca_how_long", "How long was the token exposed before discovery?"),
            ("p3.rca_evidence", "What is the evidence that an attacker used the token (vs. it was discovered before exploitation)?"),
            ("p3.rca_spend", "What was the total unauthorized spend, if any?"),
            ("p3.rca_alerting", "Did our alerting catch this, or did we find out externally?"),
            ("p3.root_cause", "Root cause documented"),
            ("p3.prevention", "Prevention controls implemented"),
            ("p3.audit_tokens", "All remaining tokens audited for same vulnerability pattern"),
            ("p3.report_filed", "Incident report filed internally"),
            ("p3.lessons", "Lessons-learned session scheduled"),
        ],
    ),
];

/// Every item id, in order.
pub fn item_ids() -> impl Iterator<Item = &'static str> {
    PHASES.iter().flat_map(|p| p.3.iter().map(|i| i.0))
}

/// What the evidence says about an item: a note, and whether that settles it (done).
struct Prefill {
    note: String,
    settled: bool,
}

fn says(note: impl Into<String>) -> Option<Prefill> {
    Some(Prefill {
        note: note.into(),
        settled: false,
    })
}

fn settles(note: impl Into<String>) -> Option<Prefill> {
    Some(Prefill {
        note: note.into(),
        settled: true,
    })
}

fn is_audit(k: EvidenceKind) -> bool {
    matches!(
        k,
        EvidenceKind::OpenaiAuditLog
            | EvidenceKind::AnthropicActivity
            | EvidenceKind::Cloudtrail
            | EvidenceKind::CloudtrailLookupEvents
            | EvidenceKind::AthenaCloudtrailCsv
            | EvidenceKind::CloudtrailLakeResults
            | EvidenceKind::SplunkCloudtrail
            | EvidenceKind::AzureActivityLog
            | EvidenceKind::GcpAuditLog
            | EvidenceKind::BigqueryAuditRows
            | EvidenceKind::GithubAuditLog
    )
}

fn names(files: &[&crate::evidence::EvidenceFile]) -> String {
    files
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The evidence's word on one item.
fn prefill(id: &str, r: &Report, s: &Summary, ctx: &Context) -> Option<Prefill> {
    let off = offset(ctx.utc_offset_minutes);
    let usage: Vec<_> = r.evidence.iter().filter(|e| e.kind.is_usage()).collect();
    let audit: Vec<_> = usage.iter().copied().filter(|e| is_audit(e.kind)).collect();
    let created: Vec<&str> = values_of(&s.iocs, IocKind::CreatedAccess).collect();
    let span = |id: &str| s.durations.iter().find(|d| d.id == id);
    if let Some((note, settled)) = super::agent::prefill(id, &r.agent) {
        return Some(Prefill { note, settled });
    }
    match id {
        "p0.revoke" | "m10.rotate" => match ctx.incident.revoked_at {
            Some(t) if id == "p0.revoke" => settles(format!("revoked at {} (context)", format::rfc3339(&t))),
            Some(t) => says(format!("the old credential was revoked at {} (context); rotation itself is not in the evidence", format::rfc3339(&t))),
            None => None,
        },
        "p0.usage_logs" => {
            if usage.is_empty() {
                return says("no usage or audit logs among the evidence");
            }
            let start = usage.iter().filter_map(|e| e.time_range).map(|t| t.start).min();
            let end = usage.iter().filter_map(|e| e.time_range).map(|t| t.end).max();
            let mut note = format!("yes, {} file(s): {}", usage.len(), names(&usage));
            if let (Some(a), Some(b)) = (start, end) {
                note.push_str(&format!("; covering {} to {}", format::rfc3339(&a), format::rfc3339(&b)));
                if let Some(aw) = ctx.awareness {
                    let want = aw - chrono::Duration::hours(48);
                    if a <= want && b >= aw {
                        note.push_str("; the 48 hours before awareness are covered");
                    } else {
                        note.push_str(&format!(
                            "; the 48 hours before awareness ({} to {}) are not wholly covered: export the rest",
                            format::rfc3339(&want),
                            format::rfc3339(&aw)
                        ));
                        return says(note);
                    }
                }
            }
            settles(note)
        }
        "p0.app_logs" => {
            let logs: Vec<_> = r
                .evidence
                .iter()
                .filter(|e| e.kind == EvidenceKind::Text)
                .collect();
            if logs.is_empty() {
                None
            } else {
                says(format!(
                    "{} plain-text file(s) among the evidence ({}); whether they are the agent's application logs is for the responder to say",
                    logs.len(),
                    names(&logs)
                ))
            }
        }
        "p0.leak_source" | "p3.rca_where" => {
            let m = s.timeline.iter().find(|m| m.id == "secret_introduced")?;
            if m.at.is_some() {
                return settles(format!("{} at {}", m.source, m.at.map(|t| format::rfc3339(&t)).unwrap_or_default()));
            }
            let f = r.scan.secrets.first()?;
            let o = f.occurrences.first()?;
            says(format!(
                "{} found at {}:{} ({} secret(s) in all); no commit dates the leak",
                f.redacted,
                o.path.as_deref().unwrap_or(&o.evidence),
                o.line,
                r.scan.secrets.len()
            ))
        }
        "p1.scope_documented" | "p2.personal_data" => {
            let b = &s.blast_radius;
            if !b.assessed {
                return says(format!("blast radius {}", b.note));
            }
            match (&b.personal_data, id) {
                (Some(p), "p2.personal_data") if p.reachable != "unknown" => settles(format!(
                    "personal data reachable: {}{}",
                    p.reachable,
                    p.people.map(|n| format!(", about {n} people")).unwrap_or_default()
                )),
                (Some(p), "p2.personal_data") => says(format!("personal data reachable: {}", p.reachable)),
                _ => settles(format!("blast radius assessed: {}", b.note)),
            }
        }
        "p1.usage_reviewed" => {
            if r.detection.events == 0 {
                None
            } else {
                settles(format!(
                    "reviewed by leaktriage: {} usage event(s) over {} key(s), {} alert(s)",
                    r.detection.events,
                    r.detection.keys.len(),
                    r.detection.alerts.len()
                ))
            }
        }
        "p1.exploitation" | "p3.rca_evidence" => {
            let answer = match s.abuse.verdict {
                Verdict::Confirmed => "yes",
                Verdict::Suspected => "suspected",
                Verdict::NotSeen => "no (not seen in the logs given)",
                Verdict::Unknown => "unknown",
            };
            let note = format!("{answer}: {}", s.abuse.reasons.join("; "));
            if s.abuse.verdict == Verdict::Unknown {
                says(note)
            } else {
                settles(note)
            }
        }
        "p2.gdpr_clock" => match ctx.awareness {
            Some(a) => {
                let due = Rule::Hours(72).due(a, off)?;
                settles(format!(
                    "started at {} ({}), deadline is {} ({})",
                    format::rfc3339(&a),
                    fmt_local(&a, off),
                    format::rfc3339(&due),
                    fmt_local(&due, off)
                ))
            }
            None => says("no awareness time given: the clock's start is not recorded"),
        },
        "p2.dpa_filed" => ["gdpr_art33", "uk_gdpr"].iter().find_map(|k| {
            ctx.incident
                .notified_at
                .get(*k)
                .map(|t| Prefill { note: format!("{k} notification sent at {} (context)", format::rfc3339(t)), settled: true })
        }),
        "p2.external_comms" => says("notification drafts for counsel are in this report's Notifications section"),
        "m10.action_log" => {
            if audit.is_empty() {
                None
            } else {
                says(format!(
                    "audit logs among the evidence: {}; the agent's own action log is not",
                    names(&audit)
                ))
            }
        }
        "m10.revoke_minted" if !created.is_empty() => says(format!(
            "the evidence shows access created: {} (see the IOCs): revoke or delete it at the issuer",
            created.join(", ")
        )),
        "p3.rca_how_long" => {
            let d = span("exposure_window").filter(|d| d.seconds.is_some())
                .or_else(|| span("exposure_to_first_use").filter(|d| d.seconds.is_some()))?;
            settles(format!("{}: {}", d.label, d.text))
        }
        "p3.rca_spend" => {
            if r.detection.events == 0 {
                None
            } else {
                settles(s.cost.text.clone())
            }
        }
        "p3.rca_alerting" => ctx
            .incident
            .discovered_how
            .as_ref()
            .and_then(|h| settles(format!("discovered by: {h} (context)"))),
        "p3.audit_tokens" if r.scan.secrets.len() > 1 => says(format!(
            "{} distinct secrets found in the evidence: check every one, not only the abused key",
            r.scan.secrets.len()
        )),
        _ => None,
    }
}

/// Builds the checklist from the report (summary included) and the context's states.
pub fn build(r: &Report, summary: &Summary, ctx: &Context) -> Checklist {
    let off = offset(ctx.utc_offset_minutes);
    let mut out = Checklist::default();
    for (pid, title, source, items) in PHASES.iter() {
        let mut phase = Phase {
            id: (*pid).into(),
            title: (*title).into(),
            source: (*source).into(),
            due_at: None,
            due_note: None,
            remaining: 0,
            items: Vec::new(),
        };
        if *pid == "phase3" {
            match ctx.incident.revoked_at {
                Some(t) => {
                    phase.due_at = Rule::BusinessDays(5).due(t, off);
                    phase.due_note = Some(format!(
                        "5 business days after revocation at {} (the 24-hour incident playbook: within 5 business days of containment; weekends skipped, holidays not modelled)",
                        format::rfc3339(&t)
                    ));
                }
                None => {
                    phase.due_note =
                        Some("5 business days after containment: no revocation time given".into())
                }
            }
        }
        for (id, text) in items.iter() {
            let pre = prefill(id, r, summary, ctx);
            let given: Option<&ItemState> = ctx.checklist.get(*id);
            let (status, from) = match (given, &pre) {
                (Some(g), _) => (g.status, "responder"),
                (None, Some(p)) if p.settled => (ItemStatus::Done, "evidence"),
                _ => (ItemStatus::NotDone, "default"),
            };
            match status {
                ItemStatus::Done => out.done += 1,
                ItemStatus::NotApplicable => out.not_applicable += 1,
                ItemStatus::NotDone => phase.remaining += 1,
            }
            phase.items.push(Item {
                id: (*id).into(),
                text: (*text).into(),
                status,
                status_from: from.into(),
                evidence: pre.map(|p| p.note),
                note: given.and_then(|g| g.note.clone()),
            });
        }
        out.total += phase.items.len() as u64;
        out.remaining += phase.remaining;
        out.phases.push(phase);
    }
    out.unknown_ids = ctx
        .checklist
        .keys()
        .filter(|k| !item_ids().any(|i| i == k.as_str()))
        .cloned()
        .collect();
    out
}

/// The items done, in order (for "measures taken" in the notification drafts).
pub fn done_items(c: &Checklist) -> impl Iterator<Item = &Item> {
    c.phases
        .iter()
        .flat_map(|p| p.items.iter())
        .filter(|i| i.status == ItemStatus::Done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{demo_report, t};

    fn item<'a>(c: &'a Checklist, id: &str) -> &'a Item {
        c.phases
            .iter()
            .flat_map(|p| p.items.iter())
            .find(|i| i.id == id)
            .unwrap()
    }

    #[test]
    fn ids_are_unique_and_cover_both_sources() {
        let ids: Vec<&str> = item_ids().collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len(), "duplicate ids");
        assert_eq!(ids.iter().filter(|i| i.starts_with("m10.")).count(), 6);
        assert_eq!(ids.iter().filter(|i| i.starts_with("p0.")).count(), 6);
    }

    #[test]
    fn the_evidence_settles_what_it_can_on_the_demo() {
        let c = demo_report(&Context::default()).checklist;
        let logs = item(&c, "p0.usage_logs");
        assert_eq!(logs.status, ItemStatus::Done);
        assert_eq!(logs.status_from, "evidence");
        assert!(
            logs.evidence
                .as_deref()
                .unwrap()
                .starts_with("yes, 2 file(s)"),
            "{logs:?}"
        );
        assert_eq!(item(&c, "p1.exploitation").status, ItemStatus::Done);
        assert!(item(&c, "p1.exploitation")
            .evidence
            .as_deref()
            .unwrap()
            .starts_with("yes"));
        assert_eq!(item(&c, "p0.leak_source").status, ItemStatus::Done);
        // Not settled by evidence: revocation without a time, billing alerts.
        assert_eq!(item(&c, "p0.revoke").status, ItemStatus::NotDone);
        assert_eq!(item(&c, "p0.billing_alerts").evidence, None);
        let minted = item(&c, "m10.revoke_minted");
        assert_eq!(minted.status, ItemStatus::NotDone);
        assert!(minted
            .evidence
            .as_deref()
            .unwrap()
            .contains("iam_user backup-svc"));
        assert_eq!(c.total, c.done + c.not_applicable + c.remaining);
    }

    #[test]
    fn the_responder_overrides_and_unknown_ids_are_reported() {
        let mut ctx = Context::default();
        ctx.checklist.insert(
            "p1.exploitation".into(),
            ItemState {
                status: ItemStatus::NotDone,
                note: Some("second opinion pending".into()),
            },
        );
        ctx.checklist.insert(
            "p0.billing_alerts".into(),
            ItemState {
                status: ItemStatus::NotApplicable,
                note: None,
            },
        );
        ctx.checklist.insert(
            "p9.bogus".into(),
            ItemState {
                status: ItemStatus::Done,
                note: None,
            },
        );
        let c = demo_report(&ctx).checklist;
        let e = item(&c, "p1.exploitation");
        assert_eq!(
            (e.status, e.status_from.as_str()),
            (ItemStatus::NotDone, "responder")
        );
        assert_eq!(e.note.as_deref(), Some("second opinion pending"));
        assert!(
            e.evidence.is_some(),
            "the evidence's word stays beside the override"
        );
        assert_eq!(
            item(&c, "p0.billing_alerts").status,
            ItemStatus::NotApplicable
        );
        assert_eq!(c.unknown_ids, vec!["p9.bogus".to_string()]);
    }

    #[test]
    fn revocation_dates_phase_3_and_the_gdpr_clock_uses_awareness() {
        let mut ctx = Context {
            awareness: Some(t("2026-11-19T09:00:00Z")),
            ..Context::default()
        };
        // Friday: 5 business days later is the next Friday.
        ctx.incident.revoked_at = Some(t("2026-11-20T10:00:00Z"));
        let c = demo_report(&ctx).checklist;
        let p3 = c.phases.iter().find(|p| p.id == "phase3").unwrap();
        assert_eq!(p3.due_at, Some(t("2026-11-27T10:00:00Z")));
        assert_eq!(item(&c, "p0.revoke").status, ItemStatus::Done);
        let g = item(&c, "p2.gdpr_clock");
        assert_eq!(g.status, ItemStatus::Done);
        assert!(
            g.evidence
                .as_deref()
                .unwrap()
                .contains("deadline is 2026-11-22T09:00:00Z"),
            "{g:?}"
        );
    }
}
