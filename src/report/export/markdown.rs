//! The report as Markdown, for an incident channel or a wiki: the summary first, then the
//! notification deadlines and drafts, the checklist, the evidence inventory (chain of custody)
//! and the leaked secrets (redacted). Every value from the evidence is escaped, so a crafted
//! user agent or file name cannot inject markup.

use crate::format;
use crate::report::checklist::Checklist;
use crate::report::clock::fmt_remaining;
use crate::report::notify::{pressing, DeadlineStatus, Notifications};
use crate::report::summary::Summary;
use crate::report::{ItemStatus, Report};
use std::fmt::Write;

/// Escapes text for Markdown: backslash-escapes the characters that start markup and turns
/// line breaks into spaces, so the text stays on its line (and in its table cell). The text
/// passes the output gate first (escaping would hide a secret from it: `sk\_live`).
pub fn esc(s: &str) -> String {
    let s = crate::scan::gate::redact_text(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Renders the whole report as Markdown (deterministic: the same report, the same bytes).
pub fn render(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Incident report: leaked credential triage\n");
    let when = match &r.generated_at {
        Some(t) => format::rfc3339(t),
        None => "undated".into(),
    };
    let _ = writeln!(
        s,
        "Made by {} {} (report schema {}), {}. Secrets are shown redacted or as fingerprints (HMAC-SHA256, key id {}) only.\n",
        r.tool.name, r.tool.version, r.schema_version, when, r.scan.fingerprint_key_id
    );
    let _ = writeln!(s, "> {}\n", esc(&r.summary.headline));
    if let Some(c) = &r.summary.custody {
        let _ = writeln!(s, "> **{}**\n", esc(c));
    }
    if let Some(f) = &r.totals.focus {
        let _ = writeln!(s, "> **{}**\n", esc(&f.said));
    }
    summary(&mut s, &r.summary);
    deadlines(&mut s, &r.notifications);
    checklist(&mut s, &r.checklist);
    super::agent::markdown(&mut s, &r.agent);
    drafts(&mut s, &r.notifications);
    evidence(&mut s, r);
    secrets(&mut s, r);
    hunts(&mut s, r);
    postmortem(&mut s, r);
    s
}
/// The queries to run where the organisation's logs live, each in a fenced block.
fn hunts(s: &mut String, r: &Report) {
    let _ = writeln!(s, "## Hunts: queries to run where your logs live\n");
    if r.hunts.is_empty() {
        let _ = writeln!(
            s,
            "None: the report names no AWS access key id, GCP key or principal, Azure, OpenAI or Anthropic credential to hunt for.\n"
        );
        return;
    }
    for h in &r.hunts {
        let _ = writeln!(
            s,
            "### {}\n\n{}. Returns: {}.\n",
            esc(&h.id),
            esc(&h.title),
            esc(&h.returns)
        );
        for f in &h.fill_in {
            let _ = writeln!(s, "- Fill in: {}", esc(f));
        }
        for n in &h.notes {
            let _ = writeln!(s, "- Note: {}", esc(n));
        }
        let fence = match h.dialect.extension() {
            "sh" => "sh",
            "sql" => "sql",
            _ => "text",
        };
        // A query never holds a fence; the values in it are checked by shape.
        let body = crate::format::escape_controls(&h.query).replace("```", "`\u{200b}``");
        let _ = writeln!(s, "\n```{fence}\n{body}```\n");
    }
}

fn summary(s: &mut String, m: &Summary) {
    let _ = writeln!(s, "## Summary\n\n### Timeline\n");
    let _ = writeln!(
        s,
        "| Milestone | Time (UTC) | Local time | Source |\n|---|---|---|---|"
    );
    for t in &m.timeline {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            esc(&t.label),
            t.at.as_ref()
                .map(format::rfc3339)
                .unwrap_or_else(|| "unknown".into()),
            t.local.as_deref().map(esc).unwrap_or_default(),
            esc(&t.source)
        );
    }
    let _ = writeln!(s, "\n### Durations\n\n| Duration | Length |\n|---|---|");
    for d in &m.durations {
        let _ = writeln!(s, "| {} | {} |", esc(&d.label), esc(&d.text));
    }
    let _ = writeln!(s, "\n### Abuse: {}\n", m.abuse.verdict.label());
    for r in &m.abuse.reasons {
        let _ = writeln!(s, "- {}", esc(r));
    }
    let _ = writeln!(s, "\n### Cost\n\n{}\n", esc(&m.cost.text));
    if !m.cost.attacker_by_model.is_empty() {
        let _ = writeln!(
            s,
            "| Model | Attacker cost (USD) | Requests (all) |\n|---|---:|---:|"
        );
        for c in &m.cost.attacker_by_model {
            let _ = writeln!(
                s,
                "| {} | {:.2} | {} |",
                esc(&c.model),
                c.attacker_usd,
                c.requests
            );
        }
        s.push('\n');
    }
    let _ = writeln!(s, "### Indicators of compromise\n");
    if m.iocs.is_empty() {
        let _ = writeln!(s, "None in the evidence.\n");
    } else {
        let _ = writeln!(
            s,
            "| Kind | Value | Rows | First seen | Last seen | Source |\n|---|---|---:|---|---|---|"
        );
        for i in &m.iocs {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                i.kind.as_str(),
                esc(&i.value),
                i.rows.map(|n| n.to_string()).unwrap_or_default(),
                i.first.as_ref().map(format::rfc3339).unwrap_or_default(),
                i.last.as_ref().map(format::rfc3339).unwrap_or_default(),
                esc(&match &i.note {
                    Some(n) => format!("{}: {n}", i.source),
                    None => i.source.clone(),
                })
            );
        }
        let _ = writeln!(s, "\nThe same list as CSV: `leaktriage --iocs-csv FILE`.\n");
    }
    let _ = writeln!(
        s,
        "### Top findings\n\n{} finding(s) of medium severity or above; the {} most severe:\n",
        m.findings_total,
        m.top_findings.len()
    );
    if !m.top_findings.is_empty() {
        let _ = writeln!(s, "| Severity | Id | Finding | Detail |\n|---|---|---|---|");
        for f in &m.top_findings {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                f.severity.as_str(),
                esc(&f.id),
                esc(&f.title),
                esc(&f.detail)
            );
        }
        s.push('\n');
    }
    let b = &m.blast_radius;
    let _ = writeln!(s, "### Blast radius\n");
    if !b.assessed {
        let _ = writeln!(s, "{}\n", esc(&b.note));
    } else {
        let _ = writeln!(s, "{}\n", esc(&b.note));
        for (label, r) in [
            ("Data exposure", &b.data_exposure),
            ("Financial exposure", &b.financial_exposure),
        ] {
            if let Some(r) = r {
                let _ = writeln!(
                    s,
                    "- {label}: **{}**: {}",
                    esc(&r.level),
                    esc(&r.reasons.join("; "))
                );
            }
        }
        if let Some(p) = &b.personal_data {
            let _ = writeln!(
                s,
                "- Personal data reachable: **{}**{}: {}",
                esc(&p.reachable),
                p.people
                    .map(|n| format!(", about {n} people"))
                    .unwrap_or_default(),
                esc(&p.reasons.join("; "))
            );
        }
        for (label, v) in [
            ("Could do", &b.could_do),
            ("Used where", &b.used_where),
            ("Next", &b.next),
        ] {
            if !v.is_empty() {
                let _ = writeln!(s, "- {label}: {}", esc(&v.join("; ")));
            }
        }
        s.push('\n');
    }
}

fn status_word(st: DeadlineStatus) -> &'static str {
    match st {
        DeadlineStatus::Open => "open",
        DeadlineStatus::Overdue => "**OVERDUE**",
        DeadlineStatus::Sent => "sent",
        DeadlineStatus::NotStarted => "not started",
        DeadlineStatus::NoFixedDeadline => "no fixed period",
        DeadlineStatus::Undated => "due (report undated)",
    }
}

fn deadlines(s: &mut String, n: &Notifications) {
    let _ = writeln!(s, "## Notification deadlines\n");
    let _ = writeln!(
        s,
        "Regimes {}: {}. Drafts for counsel below; whether each regime applies is for counsel.\n",
        if n.picked_by == "default" {
            "(the default; pick others in the context)"
        } else {
            "picked"
        },
        n.drafts
            .iter()
            .map(|d| d.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !n.unknown_regimes.is_empty() {
        let _ = writeln!(
            s,
            "Unknown regime ids ignored: {}.\n",
            esc(&n.unknown_regimes.join(", "))
        );
    }
    let _ = writeln!(s, "| Deadline | What | Applies | Clock start | Due (UTC) | Local time | Status |\n|---|---|---|---|---|---|---|");
    for d in n.drafts.iter().flat_map(|d| d.deadlines.iter()) {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            esc(&d.id),
            esc(&d.what),
            esc(d.condition.as_deref().unwrap_or("always")),
            match &d.starts_at {
                Some(t) => format!("{} {}", esc(&d.clock), format::rfc3339(t)),
                None => format!("{}: not given", esc(&d.clock)),
            },
            d.due_at
                .as_ref()
                .map(format::rfc3339)
                .unwrap_or_else(|| "-".into()),
            d.due_local
                .as_deref()
                .map(esc)
                .unwrap_or_else(|| "-".into()),
            match (d.status, d.remaining_seconds) {
                (DeadlineStatus::Open | DeadlineStatus::Overdue, Some(left)) =>
                    format!("{}: {}", status_word(d.status), fmt_remaining(left)),
                _ => esc(&d.text),
            }
        );
    }
    if let Some(first) = pressing(n).first() {
        let _ = writeln!(s, "\nNearest: {} ({}).", esc(&first.id), esc(&first.text));
    }
    s.push('\n');
}

fn checklist(s: &mut String, c: &Checklist) {
    let _ = writeln!(
        s,
        "## Response checklist\n\n{} of {} done, {} not applicable, {} remaining.\n",
        c.done, c.total, c.not_applicable, c.remaining
    );
    if !c.unknown_ids.is_empty() {
        let _ = writeln!(
            s,
            "Unknown item ids in the context, ignored: {}.\n",
            esc(&c.unknown_ids.join(", "))
        );
    }
    for p in &c.phases {
        let _ = writeln!(s, "### {}\n", esc(&p.title));
        if let Some(t) = &p.due_at {
            let _ = writeln!(s, "Due {}.\n", format::rfc3339(t));
        }
        if let Some(n) = &p.due_note {
            let _ = writeln!(s, "_{}_\n", esc(n));
        }
        for i in &p.items {
            let mark = match i.status {
                ItemStatus::Done => "[x]",
                _ => "[ ]",
            };
            let mut line = format!("- {mark} `{}` {}", i.id, esc(&i.text));
            if i.status == ItemStatus::NotApplicable {
                line.push_str(" (n/a)");
            }
            if i.status_from == "evidence" {
                line.push_str(" (from the evidence)");
            }
            if let Some(e) = &i.evidence {
                let _ = write!(line, "\n  - Evidence: {}", esc(e));
            }
            if let Some(n) = &i.note {
                let _ = write!(line, "\n  - Note: {}", esc(n));
            }
            let _ = writeln!(s, "{line}");
        }
        s.push('\n');
    }
}

fn drafts(s: &mut String, n: &Notifications) {
    let _ = writeln!(s, "## Notification drafts\n");
    for d in &n.drafts {
        let _ = writeln!(s, "### {}\n", esc(&d.name));
        let _ = writeln!(s, "**{}**\n", esc(&d.disclaimer));
        let _ = writeln!(s, "{}\n", esc(&d.applies));
        for dl in &d.deadlines {
            let _ = writeln!(
                s,
                "- Deadline `{}`: {} to {}{}. Rule: {}. Status: {}.",
                dl.id,
                esc(&dl.what),
                esc(&dl.recipient),
                dl.condition
                    .as_deref()
                    .map(|c| format!(" ({})", esc(c)))
                    .unwrap_or_default(),
                esc(&dl.rule),
                match dl.status {
                    DeadlineStatus::Open | DeadlineStatus::Overdue | DeadlineStatus::Undated =>
                        format!("{}, {}", status_word(dl.status), esc(&dl.text)),
                    _ => esc(&dl.text),
                }
            );
        }
        let _ = writeln!(s, "\nContent asked for: {}.\n", esc(&d.content));
        let _ = writeln!(
            s,
            "{} field(s), {} still unknown.\n\n| Field | Value |\n|---|---|",
            d.fields.len(),
            d.unknowns
        );
        for f in &d.fields {
            let _ = writeln!(s, "| {} | {} |", esc(&f.label), esc(&f.value));
        }
        s.push('\n');
        for note in &d.notes {
            let _ = writeln!(s, "- {}", esc(note));
        }
        let _ = writeln!(s, "\nSources: {}\n", esc(&d.sources));
    }
}

fn evidence(s: &mut String, r: &Report) {
    let _ = writeln!(
        s,
        "## Evidence (chain of custody)\n\n{} file(s), {} bytes, {} record(s), {} problem(s). SHA-256 of the bytes as read.\n",
        r.totals.files, r.totals.bytes, r.totals.records, r.totals.problems
    );
    if let Some(c) = &r.custody {
        for line in c.lines() {
            let _ = writeln!(s, "- {}", esc(&line));
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "| File | Kind | Bytes | Records | Problems | SHA-256 |\n|---|---|---:|---:|---:|---|"
    );
    for e in &r.evidence {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | `{}` |",
            esc(&e.name),
            esc(&e.kind_label),
            e.size,
            e.records,
            e.problem_count,
            e.sha256
        );
    }
    s.push('\n');
}

fn secrets(s: &mut String, r: &Report) {
    let _ = writeln!(s, "## Leaked secrets (redacted)\n");
    if r.scan.secrets.is_empty() {
        let _ = writeln!(s, "None found in the evidence.");
        return;
    }
    let _ = writeln!(s, "| Provider | Kind | Redacted | Fingerprint (first 16) | Occurrences | Introduced | Revoke |\n|---|---|---|---|---:|---|---|");
    for f in &r.scan.secrets {
        let _ = writeln!(
            s,
            "| {} | {} | {} | `{}` | {} | {} | {} |",
            esc(&f.provider),
            esc(&f.kind_label),
            esc(&f.labelled()),
            f.fingerprint.chars().take(16).collect::<String>(),
            if f.marked_allowed {
                format!("{} (every one marked `gitleaks:allow`)", f.occurrence_count)
            } else {
                f.occurrence_count.to_string()
            },
            f.introduced
                .as_ref()
                .map(|c| esc(&format!(
                    "{} {}",
                    c.id.chars().take(10).collect::<String>(),
                    c.commit_date
                        .as_deref()
                        .or(c.author_date.as_deref())
                        .unwrap_or("")
                )))
                .unwrap_or_default(),
            esc(&f.revoke)
        );
    }
}

/// A blameless postmortem skeleton (after the example postmortem in Google's "Site Reliability
/// Engineering" and PagerDuty's postmortem template), filled where the report knows and left `[to fill]` elsewhere.
fn postmortem(s: &mut String, r: &Report) {
    let m = &r.summary;
    let at = |id: &str| {
        m.timeline
            .iter()
            .find(|x| x.id == id)
            .and_then(|x| x.at.as_ref().map(format::rfc3339))
    };
    let span = |id: &str| {
        m.durations
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.text.clone())
            .unwrap_or_default()
    };
    let fill = "\\[to fill\\]";
    let _ = writeln!(
        s,
        "\n## Postmortem (draft, blameless: name system gaps, not people)\n"
    );
    let due = r
        .checklist
        .phases
        .iter()
        .find(|p| p.id == "phase3")
        .and_then(|p| p.due_at.as_ref().map(format::rfc3339));
    let _ = writeln!(
        s,
        "Review meeting due: {}. Status: {fill}. Authors: {fill}.\n",
        due.unwrap_or_else(
            || "within 5 business days of containment (no revocation time given)".into()
        )
    );
    let intro = m.timeline.iter().find(|x| x.id == "secret_introduced");
    let rows: Vec<(&str, String)> = vec![
        ("Summary", esc(&m.headline)),
        (
            "Impact",
            esc(&format!(
                "{}; abuse window {}; exposure window {}",
                m.cost.text,
                span("abuse_window"),
                span("exposure_window")
            )),
        ),
        (
            "Root cause",
            match intro.filter(|x| x.at.is_some()) {
                Some(x) => format!(
                    "{} {fill}",
                    esc(&format!("credential committed: {}.", x.source))
                ),
                None => fill.to_string(),
            },
        ),
        (
            "Trigger",
            at("first_suspicious_use")
                .map(|t| format!("first suspicious use {t}"))
                .unwrap_or_else(|| fill.to_string()),
        ),
        (
            "Detection",
            match (
                at("awareness"),
                r.checklist
                    .phases
                    .iter()
                    .flat_map(|p| p.items.iter())
                    .find(|i| i.id == "p3.rca_alerting")
                    .and_then(|i| i.evidence.clone()),
            ) {
                (Some(t), Some(how)) => format!("aware {t}; {}", esc(&how)),
                (Some(t), None) => format!("aware {t}; how: {fill}"),
                _ => fill.to_string(),
            },
        ),
        (
            "Resolution",
            at("revoked")
                .map(|t| {
                    format!(
                        "credential revoked {t}; time to revoke {}; long-term fix: {fill}",
                        esc(&span("time_to_revoke"))
                    )
                })
                .unwrap_or_else(|| fill.to_string()),
        ),
        (
            "Action items (item, mitigate/prevent, owner, ticket)",
            fill.to_string(),
        ),
        (
            "Lessons: what went well / what went wrong / where we got lucky",
            fill.to_string(),
        ),
    ];
    let _ = writeln!(s, "| Heading | Content |\n|---|---|");
    for (h, v) in rows {
        let _ = writeln!(s, "| {h} | {v} |");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{assert_no_secret, demo_report, t};
    use crate::Context;

    #[test]
    fn escaping_keeps_crafted_values_inert_and_on_one_line() {
        assert_eq!(esc("a|b"), "a\\|b");
        assert_eq!(esc("<script>x</script>"), "\\<script>x\\</script>");
        assert_eq!(esc("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(esc("line1\nline2"), "line1 line2");
    }

    #[test]
    fn the_demo_markdown_leads_with_the_summary_and_holds_no_secret() {
        let ctx = Context {
            now: Some(t("2026-11-20T12:00:00Z")),
            awareness: Some(t("2026-11-19T08:00:00Z")),
            ..Context::default()
        };
        let r = demo_report(&ctx);
        let md = render(&r);
        let pos = |h: &str| md.find(h).unwrap_or_else(|| panic!("no {h}"));
        assert!(pos("## Summary") < pos("## Notification deadlines"));
        assert!(pos("## Notification deadlines") < pos("## Response checklist"));
        assert!(pos("## Response checklist") < pos("## Evidence (chain of custody)"));
        assert!(md.contains("DRAFT FOR COUNSEL"));
        assert!(
            md.contains("| gdpr\\_art33.authority |"),
            "deadline table row"
        );
        for e in &r.evidence {
            assert!(md.contains(&e.sha256), "inventory lacks {}", e.name);
        }
        assert_no_secret(&r, &md, "markdown");
        assert_eq!(md, render(&demo_report(&ctx)), "deterministic");
    }

    #[test]
    fn an_empty_report_renders_with_every_section_saying_unknown() {
        let r = crate::triage(&[], &Context::default());
        let md = render(&r);
        assert!(md.contains("Made by leaktriage"), "{md}");
        assert!(md.contains("### Abuse: unknown"));
        assert!(md.contains("None in the evidence."));
        assert!(md.contains("clock not started: no awareness time given"));
        assert_eq!(
            crate::report::export::iocs_csv::to_csv(&r).lines().count(),
            1,
            "header only"
        );
    }
}
