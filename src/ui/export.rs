//! The files the page offers for download, made in the worker from the latest report by the
//! engine's pure export functions. Named with the report's time so downloads do not collide.

use crate::session::Session;
use crate::ui::protocol::Export;
use crate::{Context, Input, Report};

/// A file to download.
#[derive(Debug, Clone, PartialEq)]
pub struct Download {
    /// The file name, with the report's time in it.
    pub name: String,
    /// Its media type.
    pub mime: &'static str,
    /// Its text.
    pub text: String,
}

/// Makes one export of `report` (made from `inputs` with `ctx`), byte for byte the file the
/// command line writes for the same report.
pub fn make(export: &Export, report: &Report, ctx: &Context, inputs: &[Input]) -> Download {
    let stamp = report
        .generated_at
        .map(|t| t.format("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_else(|| "undated".into());
    let (what, ext, mime, text) = match export {
        Export::Markdown => {
            return Download {
                name: format!("leaktriage-report-{stamp}.md"),
                mime: "text/markdown",
                text: crate::report::markdown::render(report),
            }
        }
        Export::IocsCsv => {
            return Download {
                name: format!("leaktriage-iocs-{stamp}.csv"),
                mime: "text/csv",
                text: crate::report::iocs::to_csv(report),
            }
        }
        Export::Json => ("report", "json", "application/json", report.to_json()),
        Export::Sarif => (
            "findings",
            "sarif",
            "application/sarif+json",
            crate::scan::sarif::to_sarif(&report.scan),
        ),
        Export::Session { include_files } => (
            "session",
            "json",
            "application/json",
            Session::new(report, ctx, include_files.then_some(inputs)).to_json(),
        ),
    };
    Download {
        name: format!("leaktriage-{what}-{stamp}.{ext}"),
        mime,
        text: format!("{text}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage;

    #[test]
    fn exports_are_named_with_the_report_time_and_equal_the_engine_outputs() {
        let inputs = [Input::new("a.env", "OPENAI_API_KEY=x\n")];
        let ctx = Context {
            now: Some("2026-11-23T10:15:00Z".parse().unwrap()),
            ..Context::default()
        };
        let r = triage(&inputs, &ctx);
        let j = make(&Export::Json, &r, &ctx, &inputs);
        assert_eq!(j.name, "leaktriage-report-20261123T101500Z.json");
        assert_eq!(j.text, format!("{}\n", r.to_json()));
        let s = make(&Export::Sarif, &r, &ctx, &inputs);
        assert_eq!(s.name, "leaktriage-findings-20261123T101500Z.sarif");
        assert!(s.text.contains("\"version\": \"2.1.0\""), "{}", s.text);
        let plain = make(
            &Export::Session {
                include_files: false,
            },
            &r,
            &ctx,
            &inputs,
        );
        assert_eq!(plain.name, "leaktriage-session-20261123T101500Z.json");
        assert!(!plain.text.contains("\"files\""));
        let full = make(
            &Export::Session {
                include_files: true,
            },
            &r,
            &ctx,
            &inputs,
        );
        let back = Session::parse(&full.text).unwrap();
        assert_eq!(back.inputs().unwrap()[0].bytes, inputs[0].bytes);
        let md = make(&Export::Markdown, &r, &ctx, &inputs);
        assert_eq!(md.name, "leaktriage-report-20261123T101500Z.md");
        assert_eq!(md.text, crate::report::markdown::render(&r));
        let csv = make(&Export::IocsCsv, &r, &ctx, &inputs);
        assert_eq!(csv.name, "leaktriage-iocs-20261123T101500Z.csv");
        assert_eq!(csv.text, crate::report::iocs::to_csv(&r));
        let undated = triage(&inputs, &Context::default());
        assert_eq!(
            make(&Export::Json, &undated, &Context::default(), &inputs).name,
            "leaktriage-report-undated.json"
        );
    }
}
