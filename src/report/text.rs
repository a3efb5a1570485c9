//! The human summary the CLI prints.

use super::{rfc3339, Report};
use std::fmt::Write;

/// Renders a report as plain text for a terminal.
pub fn render_text(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "leaktriage {} report (schema {})",
        r.tool.version, r.schema_version
    );
    if let Some(t) = &r.generated_at {
        let _ = writeln!(s, "generated at {}", rfc3339(t));
    }
    let _ = writeln!(
        s,
        "\nEvidence: {} file(s), {} bytes, {} records, {} problem(s)",
        r.totals.files, r.totals.bytes, r.totals.records, r.totals.problems
    );
    for e in &r.evidence {
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
                rfc3339(&tr.start),
                rfc3339(&tr.end),
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
    s
}
