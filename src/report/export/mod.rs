//! Every export of the report, one file per format, and the one list of them ([`EXPORTS`]) that
//! the command line and the page both use: each export's id, file name pattern, media type,
//! description and the function that writes it. All are pure functions of the [`Report`]: the
//! same report gives the same bytes on the command line and in the page.

pub mod agent;
pub mod agent_csv;
pub mod iocs_csv;
pub mod markdown;
pub mod sarif;
pub mod text;

use super::Report;

/// Which export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportId {
    /// The whole report as JSON (docs/report-schema.md).
    Json,
    /// The report as Markdown, for an incident channel or a wiki.
    Markdown,
    /// The indicators of compromise as CSV.
    IocsCsv,
    /// The scan's findings as SARIF 2.1.0.
    Sarif,
    /// The human summary the command line prints.
    Text,
    /// The agent's action log as CSV.
    AgentActionsCsv,
}

/// One export: what it is and how it is written.
#[derive(Debug, Clone, Copy)]
pub struct Export {
    /// Its id.
    pub id: ExportId,
    /// The file name, with `{stamp}` for the report's time ([`stamp`]).
    pub file_name: &'static str,
    /// Its media type.
    pub media_type: &'static str,
    /// What it holds, in words.
    pub description: &'static str,
    /// Writes the file's whole text (ending with a line break) from the report.
    pub write: fn(&Report) -> String,
}

impl Export {
    /// The file name for `report`: the pattern with the report's time in it.
    pub fn file_name_for(&self, report: &Report) -> String {
        self.file_name.replace("{stamp}", &stamp(report))
    }
}

/// Every export, in the order a reader meets them.
pub const EXPORTS: &[Export] = &[
    Export {
        id: ExportId::Json,
        file_name: "leaktriage-report-{stamp}.json",
        media_type: "application/json",
        description: "the whole report as JSON (docs/report-schema.md)",
        write: json,
    },
    Export {
        id: ExportId::Markdown,
        file_name: "leaktriage-report-{stamp}.md",
        media_type: "text/markdown",
        description: "the report as Markdown: summary, deadlines, checklist, drafts, evidence, postmortem skeleton",
        write: markdown_file,
    },
    Export {
        id: ExportId::IocsCsv,
        file_name: "leaktriage-iocs-{stamp}.csv",
        media_type: "text/csv",
        description: "the indicators of compromise as CSV (RFC 4180, formula cells defused)",
        write: csv_file,
    },
    Export {
        id: ExportId::AgentActionsCsv,
        file_name: "leaktriage-agent-actions-{stamp}.csv",
        media_type: "text/csv",
        description: "the agent's action log since the leak window opened as CSV (RFC 4180, formula cells defused)",
        write: agent_csv_file,
    },
    Export {
        id: ExportId::Sarif,
        file_name: "leaktriage-findings-{stamp}.sarif",
        media_type: "application/sarif+json",
        description: "the leaked-credential findings as SARIF 2.1.0 (values redacted)",
        write: sarif_file,
    },
    Export {
        id: ExportId::Text,
        file_name: "leaktriage-summary-{stamp}.txt",
        media_type: "text/plain",
        description: "the human summary the command line prints",
        write: text_file,
    },
];

/// The export with this id.
pub fn get(id: ExportId) -> &'static Export {
    EXPORTS
        .iter()
        .find(|e| e.id == id)
        .expect("every ExportId is in EXPORTS")
}

/// The report's time as it appears in file names (`20261123T101500Z`), or `undated`.
pub fn stamp(report: &Report) -> String {
    report
        .generated_at
        .map(|t| t.format("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_else(|| "undated".into())
}

// Every writer below passes its output through the gate (`crate::scan::gate`): the report's
// own gate, which knows the responder's whole known keys. JSON and SARIF are gated string by
// string as they are written, so they stay valid; the text formats are gated as text, keeping
// their structural characters, and their control characters are written visibly
// (`format::escape_controls`).

/// The JSON file: [`Report::to_json`] (gated) and a line break.
fn json(report: &Report) -> String {
    format!("{}\n", report.to_json())
}

/// The SARIF file: [`sarif::to_sarif_gated`] of the report's scan and a line break.
fn sarif_file(report: &Report) -> String {
    format!("{}\n", sarif::to_sarif_gated(&report.scan, &report.gate))
}

/// The Markdown file, gated (a table's `|` and code spans kept), controls escaped.
fn markdown_file(report: &Report) -> String {
    let md = markdown::render(report);
    let gated = report.gate.redact_keeping(&md, &['\n', '|', '`']);
    crate::format::escape_controls(&gated).into_owned()
}

/// The IOC CSV, gated keeping its quotes, commas and line ends (cells escape their controls).
fn csv_file(report: &Report) -> String {
    let csv = iocs_csv::to_csv(report);
    report
        .gate
        .redact_keeping(&csv, &['"', ',', '\r', '\n'])
        .into_owned()
}

/// The agent action CSV, gated like the IOC CSV.
fn agent_csv_file(report: &Report) -> String {
    let csv = agent_csv::to_csv(report);
    report
        .gate
        .redact_keeping(&csv, &['"', ',', '\r', '\n'])
        .into_owned()
}

/// The text summary, gated line by line, controls escaped: safe to print to a terminal.
fn text_file(report: &Report) -> String {
    let text = text::render_text(report);
    let gated = report.gate.redact_keeping(&text, &['\n']);
    crate::format::escape_controls(&gated).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{assert_no_secret, demo_report};
    use crate::Context;

    #[test]
    fn every_id_is_listed_once_with_a_stamped_name_and_a_media_type() {
        for id in [
            ExportId::Json,
            ExportId::Markdown,
            ExportId::IocsCsv,
            ExportId::Sarif,
            ExportId::Text,
            ExportId::AgentActionsCsv,
        ] {
            assert_eq!(EXPORTS.iter().filter(|e| e.id == id).count(), 1, "{id:?}");
            let e = get(id);
            assert!(e.file_name.contains("{stamp}"), "{id:?}");
            assert!(e.media_type.contains('/') && !e.description.is_empty());
        }
    }

    #[test]
    fn no_export_cites_planning_files_or_issue_numbers() {
        let ctx = Context {
            regimes: crate::report::regimes::REGIMES
                .iter()
                .map(|g| g.id.to_string())
                .collect(),
            ..Context::default()
        };
        let r = demo_report(&ctx);
        for e in EXPORTS {
            let text = (e.write)(&r);
            // Spelled in pieces, so that a search of the sources for such references finds none.
            let (notes, shared) = (["seeds", "/"].concat(), ["shared", "/research"].concat());
            for internal in [
                notes.as_str(),
                shared.as_str(),
                "research",
                "issue #",
                "[S6",
                "[S7",
            ] {
                assert!(
                    !text.contains(internal),
                    "{} cites {internal:?}: a user has no such file",
                    e.file_name
                );
            }
        }
    }

    #[test]
    fn every_export_ends_with_a_line_break_and_holds_no_secret() {
        let r = demo_report(&Context::default());
        for e in EXPORTS {
            let text = (e.write)(&r);
            assert!(text.ends_with('\n'), "{:?}", e.id);
            assert_no_secret(&r, &text, e.file_name);
        }
        assert_eq!(
            get(ExportId::Json).file_name_for(&r),
            "leaktriage-report-undated.json"
        );
    }
}
