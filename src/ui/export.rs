//! The files the page offers for download, made in the worker from the latest report by the
//! engine's pure export functions. Named with the report's time so downloads do not collide.

use crate::report::export::{stamp, ExportId};
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
/// command line writes for the same report: the name, media type and text of a report export
/// come from the report's list of exports. The session file belongs to the session stage.
pub fn make(export: &Export, report: &Report, ctx: &Context, inputs: &[Input]) -> Download {
    let id = match export {
        Export::Json => ExportId::Json,
        Export::Markdown => ExportId::Markdown,
        Export::IocsCsv => ExportId::IocsCsv,
        Export::AgentActionsCsv => ExportId::AgentActionsCsv,
        Export::Sarif => ExportId::Sarif,
        Export::Session { include_files } => {
            return Download {
                name: format!("leaktriage-session-{}.json", stamp(report)),
                mime: "application/json",
                text: format!(
                    "{}\n",
                    Session::new(report, ctx, include_files.then_some(inputs)).to_json()
                ),
            }
        }
    };
    let e = crate::report::export::get(id);
    Download {
        name: e.file_name_for(report),
        mime: e.media_type,
        text: (e.write)(report),
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
        assert_eq!(md.text, crate::report::export::markdown::render(&r));
        let csv = make(&Export::IocsCsv, &r, &ctx, &inputs);
        assert_eq!(csv.name, "leaktriage-iocs-20261123T101500Z.csv");
        assert_eq!(csv.text, crate::report::export::iocs_csv::to_csv(&r));
        let undated = triage(&inputs, &Context::default());
        assert_eq!(
            make(&Export::Json, &undated, &Context::default(), &inputs).name,
            "leaktriage-report-undated.json"
        );
    }
}
