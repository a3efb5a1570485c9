//! The human summary the CLI prints.

use crate::format;
use crate::report::Report;
use std::fmt::Write;

/// Files listed one by one at most: past this many, the files with nothing to note ([`of_note`])
/// are counted by kind, so a folder of thousands does not bury the findings.
const LISTED: usize = 40;

/// A file of a kind that is not plain ([`crate::evidence::EvidenceKind::is_plain`]), or one
/// with problems, assumptions or repeated records.
fn of_note(e: &crate::evidence::EvidenceFile) -> bool {
    !e.kind.is_plain() || e.problem_count > 0 || !e.assumptions.is_empty() || e.duplicates > 0
}

/// Renders a report as plain text for a terminal.
pub fn render_text(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "leaktriage {} report (schema {})",
        r.tool.version, r.schema_version
    );
    if let Some(t) = &r.generated_at {
        let _ = writeln!(s, "generated at {}", format::rfc3339(t));
    }
    render_conclusions(&mut s, r);
    let _ = writeln!(
        s,
        "\nEvidence: {} file(s), {} bytes, {} records, {} problem(s)",
        r.totals.files, r.totals.bytes, r.totals.records, r.totals.problems
    );
    for line in r.custody.iter().flat_map(|c| c.lines()) {
        let _ = writeln!(s, "  {line}");
    }
    // Many files (a repository's): the plain ones are counted by kind rather than listed.
    let many = r.evidence.len() > LISTED;
    let mut counted: std::collections::BTreeMap<&str, usize> = Default::default();
    for e in &r.evidence {
        if many && !of_note(e) {
            *counted.entry(e.kind_label.as_str()).or_default() += 1;
            continue;
        }
        let _ = writeln!(s, "  {}  {} bytes  sha256:{}", e.name, e.size, e.sha256);
        let _ = writeln!(
            s,
            "      kind: {}  records: {}  problems: {}",
            e.kind_label, e.records, e.problem_count
        );
        if let Some(note) = &e.note {
            let _ = writeln!(s, "      note: {note}");
        }
        if let Some(tr) = &e.time_range {
            let _ = writeln!(
                s,
                "      covers: {} to {} UTC  providers: {}",
                format::rfc3339(&tr.start),
                format::rfc3339(&tr.end),
                e.providers.join(", ")
            );
        }
        if e.duplicates > 0 {
            let _ = writeln!(
                s,
                "      duplicates: {} record(s) already read from an earlier page or file",
                e.duplicates
            );
        }
        for a in &e.assumptions {
            let _ = writeln!(s, "      assumed: {a}");
        }
        for p in e.problems.iter().take(5) {
            let at = match (p.line, p.record) {
                (Some(l), _) => format!("line {l}"),
                (None, Some(i)) => format!("record {i}"),
                _ => "file".to_string(),
            };
            let _ = writeln!(s, "      problem at {at}: {}", p.message);
        }
        if e.problem_count > 5 {
            let _ = writeln!(
                s,
                "      … and {} more problem(s) (see --json)",
                e.problem_count - 5
            );
        }
    }
    if !counted.is_empty() {
        let kinds: Vec<String> = counted.iter().map(|(k, n)| format!("{k}: {n}")).collect();
        let _ = writeln!(
            s,
            "  … and {} more file(s) with nothing to note ({}); the JSON and Markdown reports list \
             every file with its SHA-256",
            counted.values().sum::<usize>(),
            kinds.join(", ")
        );
    }
    render_detection(&mut s, &r.detection, &r.summary.cost.text);
    render_scan(&mut s, &r.scan);
    render_scope(&mut s, &r.scope);
    super::agent::text(&mut s, &r.agent);
    s
}

/// The blast-radius section: the ratings, personal data, what to revoke and the rooms next door.
fn render_scope(s: &mut String, sc: &crate::scope::Scope) {
    if sc.credentials.is_empty() && sc.questions.iter().all(|q| q.value.is_null()) {
        return;
    }
    let _ = writeln!(s, "\nBlast radius:");
    for (name, r) in [
        ("data exposure", &sc.data_exposure),
        ("financial exposure", &sc.financial_exposure),
    ] {
        let _ = writeln!(s, "  {name}: {}", r.level.as_str());
        for x in r
            .reasons
            .iter()
            .filter(|x| x.level == Some(r.level))
            .take(3)
        {
            let _ = writeln!(s, "      {} [{}]", x.text, x.rule);
        }
    }
    let pd = &sc.personal_data;
    let _ = writeln!(
        s,
        "  personal data reachable: {}{}",
        pd.reachable.as_str(),
        pd.people
            .map(|n| format!(" (about {n} people)"))
            .unwrap_or_default()
    );
    if let Some(x) = pd.reasons.first() {
        let _ = writeln!(s, "      {} [{}]", x.text, x.rule);
    }
    for c in &sc.credentials {
        let _ = writeln!(
            s,
            "  {} {} {} ({}): containment priority {}",
            c.id,
            c.provider,
            c.kind_label,
            c.name,
            c.containment_priority.label()
        );
    }
    let _ = writeln!(s, "  revoke, in this order:");
    for v in &sc.revoke {
        let _ = writeln!(s, "    - {} at: {}", v.what, v.at);
    }
    if !sc.rooms_next_door.is_empty() {
        let _ = writeln!(s, "  rooms next door:");
        for r in &sc.rooms_next_door {
            let _ = writeln!(s, "    - {}: look for {}", r.system, r.look_for);
        }
    }
    let open: Vec<&str> = sc
        .questions
        .iter()
        .filter(|q| q.value.is_null())
        .map(|q| q.id.as_str())
        .collect();
    if !open.is_empty() {
        let _ = writeln!(s, "  unanswered (give --answers FILE): {}", open.join(", "));
    }
}

/// The summary's headline, the notification deadlines and the checklist's progress.
fn render_conclusions(s: &mut String, r: &Report) {
    let _ = writeln!(s, "\nSummary: {}", r.summary.headline);
    if let Some(c) = &r.summary.custody {
        let _ = writeln!(s, "{c}");
    }
    if let Some(f) = &r.totals.focus {
        let _ = writeln!(s, "{}", f.said);
    }
    let n = &r.notifications;
    let _ = writeln!(
        s,
        "Notification deadlines ({} regimes: {}; drafts for counsel in --markdown / --json):",
        n.picked_by,
        n.drafts
            .iter()
            .map(|d| d.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    for d in n.drafts.iter().flat_map(|d| d.deadlines.iter()) {
        let _ = writeln!(
            s,
            "  {}{}: {}",
            d.id,
            d.condition
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default(),
            d.text
        );
    }
    let c = &r.checklist;
    let _ = writeln!(
        s,
        "Checklist: {} of {} item(s) done, {} n/a, {} remaining",
        c.done, c.total, c.not_applicable, c.remaining
    );
}

fn render_detection(s: &mut String, d: &crate::detect::Detection, cost: &str) {
    if d.events == 0 {
        return;
    }
    let _ = writeln!(
        s,
        "\nDetection: {} usage event(s) over {} key(s), {} alert(s)",
        d.events,
        d.keys.len(),
        d.alerts.len()
    );
    let _ = writeln!(s, "  {}", d.summary.headline);
    let mut alerts: Vec<&crate::detect::Alert> = d.alerts.iter().collect();
    alerts.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.start.cmp(&b.start)));
    for a in alerts.iter().take(20) {
        let _ = writeln!(
            s,
            "  [{:?}] {} {}: {}",
            a.severity,
            a.id,
            a.kind.as_str(),
            a.sentence
        );
    }
    if alerts.len() > 20 {
        let _ = writeln!(
            s,
            "  … and {} more alert(s) (see --json)",
            alerts.len() - 20
        );
    }
    let t = &d.timeline;
    if let (Some(a), Some(b)) = (&t.first_suspicious, &t.last_suspicious) {
        let _ = writeln!(
            s,
            "  attacker activity: {} to {}, {} row(s) in {} timeline entr(ies)",
            format::rfc3339(a),
            format::rfc3339(b),
            t.attacker_rows,
            t.entries_total
        );
        let ips: Vec<&str> = t
            .attacker_ips
            .iter()
            .take(5)
            .map(|v| v.value.as_str())
            .collect();
        if !ips.is_empty() {
            let _ = writeln!(s, "  attacker IPs: {}", ips.join(", "));
        }
    }
    // The summary's sentence: it says "unknown" (and why) where the evidence has no cost for
    // the attacker's keys, never $0.00.
    let _ = writeln!(s, "  cost: {cost}");
}

/// The scan section: one block per distinct secret, values redacted.
fn render_scan(s: &mut String, scan: &crate::scan::ScanReport) {
    let t = &scan.totals;
    let _ = writeln!(
        s,
        "\nSecrets: {} distinct, {} occurrence(s) in {} file(s), {} commit(s); {} rules; dropped: {} placeholder(s), {} inline-allowed, {} ignored",
        t.distinct_secrets, t.occurrences, t.files_scanned, t.commits, t.rules,
        t.dropped.placeholders, t.dropped.allowed_inline, t.dropped.ignored
    );
    if t.secrets_not_kept > 0 {
        let _ = writeln!(
            s,
            "  ({} more distinct secrets counted but not kept)",
            t.secrets_not_kept
        );
    }
    let short = |c: &crate::scan::Commit| {
        format!(
            "{} {} {}",
            c.id.chars().take(10).collect::<String>(),
            c.email.as_deref().unwrap_or("?"),
            c.commit_date
                .as_deref()
                .or(c.author_date.as_deref())
                .unwrap_or("")
        )
    };
    for f in &scan.secrets {
        let _ = writeln!(
            s,
            "  [{:?}] {} {}: {}  fingerprint:{}",
            f.confidence,
            f.provider,
            f.kind_label,
            f.labelled(),
            f.fingerprint.chars().take(16).collect::<String>()
        );
        let _ = writeln!(
            s,
            "      rule {}; {} ({}); {} occurrence(s){}{}",
            f.rule_id,
            f.structure_label,
            f.structure_note,
            f.occurrence_count,
            if f.matches_known_key {
                "; matches the known key"
            } else {
                ""
            },
            if f.marked_allowed {
                "; every line holding it is marked gitleaks:allow (check it is the test value the mark claims)"
            } else {
                ""
            }
        );
        if let Some(c) = &f.introduced {
            let _ = writeln!(s, "      introduced: {}", short(c));
        }
        if let Some(c) = &f.removed_in {
            let _ = writeln!(s, "      removed in: {} (still in history)", short(c));
        }
        if let Some(p) = f.still_present {
            let _ = writeln!(s, "      still present: {}", if p { "yes" } else { "no" });
        }
        for o in f.occurrences.iter().take(3) {
            let _ = writeln!(
                s,
                "      at {}:{}{}{}{}",
                o.path.as_deref().unwrap_or(&o.evidence),
                o.line,
                o.change.map(|c| format!(" ({c:?})")).unwrap_or_default(),
                o.encoding
                    .as_deref()
                    .map(|e| format!(" [{e}]"))
                    .unwrap_or_default(),
                o.commit
                    .as_ref()
                    .map(|c| format!(" in {}", short(c)))
                    .unwrap_or_default()
            );
        }
        let _ = writeln!(s, "      revoke: {}", f.revoke);
    }
    for k in &scan.known_keys {
        let _ = writeln!(
            s,
            "\nKnown key {} ({}): {} hit(s)",
            k.key, k.form, k.hit_count
        );
        for h in k.hits.iter().take(10) {
            let _ = writeln!(
                s,
                "  {}:{}:{} {:?} {}",
                h.evidence, h.line, h.column, h.variant, h.found
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{triage, Context, Input};

    #[test]
    fn many_plain_files_are_counted_by_kind_and_the_files_of_note_listed() {
        let mut inputs = crate::demo::inputs();
        let demo = triage(&inputs, &Context::default());
        let few = render_text(&demo);
        // The demo's plain texts (its notes) are counted with the others below.
        let demo_plain = demo
            .evidence
            .iter()
            .filter(|e| e.kind == crate::evidence::EvidenceKind::Text)
            .count();
        for i in 0..LISTED {
            inputs.push(Input::new(format!("src/f{i}.rs"), "fn main() {}\n"));
        }
        inputs.push(Input::new("pkg.json", "{\"name\": \"x\"}"));
        inputs.push(Input::new(
            "bad.csv",
            "timestamp,api_key_prefix\nnot a time,sk-\n",
        ));
        let r = triage(&inputs, &Context::default());
        let text = render_text(&r);
        // The demo's evidence and the file with a problem are listed; the plain ones counted.
        for e in r.evidence.iter().filter(|e| of_note(e)) {
            assert!(text.contains(&format!("  {}  ", e.name)), "{}", e.name);
        }
        assert!(text.contains("bad.csv"));
        assert!(!text.contains("src/f0.rs") && !text.contains("pkg.json  "));
        assert!(
            text.contains(&format!(
                "… and {} more file(s) with nothing to note (text: {}, unknown (JSON): 1)",
                LISTED + demo_plain + 1,
                LISTED + demo_plain
            )),
            "{text}"
        );
        // A few files are all listed, as before.
        assert!(!few.contains("more file(s) with nothing to note"));
        for i in crate::demo::inputs() {
            assert!(few.contains(&format!("  {}  ", i.name)));
        }
    }
}
