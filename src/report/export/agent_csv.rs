//! The agent's action log as CSV: every action of the affected sessions since the leak window
//! opened, in time order as the report lists them, one row each, for a spreadsheet
//! or a ticket. The same cell rules as the IOC CSV (RFC 4180, formula cells defused).

use super::iocs_csv::row;
use crate::format;
use crate::report::Report;

/// The CSV header.
pub const HEADER: [&str; 13] = [
    "time",
    "session",
    "agent",
    "tool",
    "mcp_server",
    "target",
    "summary",
    "outcome",
    "error",
    "class",
    "why",
    "flags",
    "evidence",
];

/// The report's agent actions as CSV (the header alone when no agent log was given).
pub fn to_csv(r: &Report) -> String {
    let mut out = String::new();
    row(&mut out, HEADER.iter().map(|s| s.to_string()));
    for a in &r.agent.actions {
        let evidence: Vec<String> = a
            .evidence
            .iter()
            .map(|e| match (e.line, e.record) {
                (Some(l), _) => format!("{}:{l}", e.file),
                (None, Some(n)) => format!("{} record {n}", e.file),
                _ => e.file.clone(),
            })
            .collect();
        row(
            &mut out,
            [
                a.at.as_ref().map(format::rfc3339).unwrap_or_default(),
                a.session.clone(),
                a.agent.clone().unwrap_or_default(),
                a.tool.clone().unwrap_or_default(),
                a.server.clone().unwrap_or_default(),
                a.target.clone().unwrap_or_default(),
                a.summary.clone(),
                a.outcome.clone(),
                a.error.clone().unwrap_or_default(),
                a.class.name().to_string(),
                a.reason.clone(),
                a.flags.join("; "),
                evidence.join("; "),
            ]
            .into_iter(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::{Action, Class};
    use crate::evidence::RawRef;

    #[test]
    fn one_row_per_action_with_its_lines_and_no_formula_cell() {
        let mut r = crate::triage(&[], &crate::Context::default());
        assert_eq!(to_csv(&r).lines().count(), 1, "the header alone");
        r.agent.actions.push(Action {
            at: Some("2026-05-01T10:00:00Z".parse().unwrap()),
            session: "s1".into(),
            agent: Some("claude-code".into()),
            tool: Some("Bash".into()),
            server: None,
            target: Some("origin".into()),
            summary: "=HYPERLINK(\"x\"), git push".into(),
            outcome: "ok".into(),
            error: None,
            class: Class::Irreversible,
            reason: "pushes commits to a remote".into(),
            flags: vec!["bypass_permissions".into()],
            evidence: vec![
                RawRef {
                    file: "s1.jsonl".into(),
                    line: Some(4),
                    record: None,
                },
                RawRef {
                    file: "otel.json".into(),
                    line: None,
                    record: Some(2),
                },
            ],
        });
        let csv = to_csv(&r);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], HEADER.join(","));
        assert_eq!(
            lines[1],
            "2026-05-01T10:00:00Z,s1,claude-code,Bash,,origin,\"'=HYPERLINK(\"\"x\"\"), git push\",ok,,irreversible,pushes commits to a remote,bypass_permissions,s1.jsonl:4; otel.json record 2"
        );
    }
}
