//! Messages between the page and its worker. Files travel beside these as browser `File`
//! handles (no copy of their bytes); everything else is JSON.

use serde::{Deserialize, Serialize};

/// One file for the worker to take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The page's id for it.
    pub id: u32,
    /// Its name (or path in a dropped folder).
    pub name: String,
    /// `Some(i)` for the i-th built-in demo file; `None` for the next browser `File` sent along.
    pub demo: Option<usize>,
}

/// From the page to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToWorker {
    /// Read these files, add them to what the worker holds, and analyse everything.
    Add {
        /// The job's id.
        job: u32,
        /// The files, in order.
        items: Vec<Item>,
    },
    /// Search every file for this leaked key (kept in the worker's memory only), and analyse again.
    KnownKey {
        /// The job's id.
        job: u32,
        /// The key as pasted: whole, `PREFIX...LAST4`, or a key id.
        key: String,
    },
    /// Use this compromise start for every key (RFC 3339), or `None` to estimate it; analyse again.
    CompromiseStart {
        /// The job's id.
        job: u32,
        /// The start, UTC.
        at: Option<String>,
    },
    /// Read a CSV of unknown layout with this column mapping (for this session), and analyse again.
    Mapping {
        /// The job's id.
        job: u32,
        /// The file's SHA-256.
        sha256: String,
        /// The mapping.
        mapping: Box<crate::evidence::ColumnMapping>,
    },
    /// Use these questionnaire answers (the blast radius), and analyse again.
    Answers {
        /// The job's id.
        job: u32,
        /// The answers (every field optional).
        answers: Box<crate::scope::Answers>,
    },
    /// Send one finding's full value, for an on-screen reveal the responder asked for.
    Reveal {
        /// The finding's fingerprint.
        fingerprint: String,
    },
    /// Replace the responder's context (an opened session's), and analyse again. The known keys
    /// the worker holds are kept.
    SetContext {
        /// The job's id.
        job: u32,
        /// The context.
        context: Box<crate::Context>,
        /// The opened session's evidence list: every report from now on carries its chain of
        /// custody (the files analysed against this list; `report.custody`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session_evidence: Option<Vec<crate::session::EvidenceRef>>,
    },
    /// Hold this context (the one the page kept from the worker it replaced) without analysing:
    /// after Cancel or "Remove all", the responder's answers, times, checklist and regimes carry
    /// over to the new worker. Never carries a known key.
    Restore {
        /// The context.
        context: Box<crate::Context>,
    },
    /// Change part of the responder's context (a JSON merge patch, see [`crate::ui::patch`]),
    /// and analyse again.
    Patch {
        /// The job's id.
        job: u32,
        /// The change.
        patch: serde_json::Value,
    },
    /// Make a file to download from the latest report (answered with [`FromWorker::Download`]).
    Export {
        /// What to make.
        export: Export,
    },
}

/// A file the worker makes from the latest report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum Export {
    /// The whole report as JSON.
    Json,
    /// The findings as SARIF 2.1.0.
    Sarif,
    /// The report as Markdown, for an incident channel or a wiki.
    Markdown,
    /// The indicators of compromise as CSV.
    IocsCsv,
    /// The agent's action log as CSV.
    AgentActionsCsv,
    /// The session file: evidence fingerprints and context, and the files if asked.
    Session {
        /// Embed the evidence files themselves.
        include_files: bool,
    },
}

/// From the worker to the page. A `Report` message carries the report's JSON beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FromWorker {
    /// Bytes of a file read so far.
    Progress {
        /// The job.
        job: u32,
        /// The file.
        id: u32,
        /// Bytes read.
        done: u64,
    },
    /// A file that could not be taken, and why.
    FileFailed {
        /// The job.
        job: u32,
        /// The file.
        id: u32,
        /// Why, in words.
        message: String,
    },
    /// Something to tell the responder that is not about one file.
    Notice {
        /// The message.
        message: String,
    },
    /// One finding's value, for the screen only (`None`: not held, e.g. an imported finding).
    Revealed {
        /// The finding's fingerprint.
        fingerprint: String,
        /// The value.
        value: Option<String>,
    },
    /// A file to download; its text follows.
    Download {
        /// The file name.
        name: String,
        /// Its media type.
        mime: String,
    },
    /// The context the worker holds (without the known keys), after each report: the page keeps
    /// it to give to a new worker.
    Context {
        /// The context as JSON.
        context: String,
    },
    /// The job is done; the report over everything the worker holds follows.
    Report {
        /// The job.
        job: u32,
        /// The worker's files, in the report's evidence order.
        ids: Vec<u32>,
        /// Milliseconds spent reading this job's files into memory.
        #[serde(default)]
        read_ms: f64,
        /// Milliseconds the engine took over everything held.
        #[serde(default)]
        analyse_ms: f64,
        /// The engine's stages, timed in the worker.
        #[serde(default)]
        stages: crate::StageTimes,
    },
}

/// The report as the worker sends it to the page: JSON without the indentation of
/// [`crate::Report::to_json`] (the exports' form). Made by the same serializer as `to_json` (a
/// pretty printer, here with an empty indent), so the wasm holds no second copy of the report's
/// serialization code. Measured against the indented JSON and serde-wasm-bindgen in docs/page.md.
pub fn report_message(report: &crate::Report) -> String {
    report.gate.to_json(report, b"")
}

/// The most workers the page runs: one per core, up to this many. The first (the main worker)
/// holds the files, the context and the report; the others (helpers) each match some of the
/// files alone ([`crate::scan::match_alone`]) while the main worker reads the evidence.
pub const MAX_WORKERS: usize = 4;

/// How many workers the page starts, given `navigator.hardwareConcurrency` (absent: one).
pub fn workers_for(cores: Option<f64>) -> usize {
    match cores {
        Some(n) if n.is_finite() && n >= 1.0 => (n as usize).min(MAX_WORKERS),
        _ => 1,
    }
}

/// From the main worker to a helper: match this file alone. Its bytes travel beside, as an
/// `ArrayBuffer` handed over (not copied); the page never sees this message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchAlone {
    /// The main worker's run (one per analysis).
    pub run: u32,
    /// The file's place in the run's inputs.
    pub index: usize,
    /// Its name.
    pub name: String,
}

/// From a helper to the main worker: what matching a file alone told (counts only; `None`
/// when it found something the run matches again itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchedAlone {
    /// The run.
    pub run: u32,
    /// The file's place in the run's inputs.
    pub index: usize,
    /// What it told.
    pub quiet: Option<crate::scan::Quiet>,
}

/// The largest single file the page reads (the command-line program has no such limit).
pub const MAX_FILE_BYTES: u64 = 1 << 30;
/// The most the page holds in all.
pub const MAX_TOTAL_BYTES: u64 = 3 << 29;
/// How much of a file is read at a time.
pub const SLICE_BYTES: u64 = 16 << 20;

/// Why a file of this size cannot be taken, if it cannot, given what is held already.
pub fn size_refusal(size: u64, held: u64) -> Option<String> {
    use super::strings::{TOO_LARGE, USE_CLI};
    if size > MAX_FILE_BYTES {
        return Some(format!(
            "{TOO_LARGE} ({}; the page's limit is {} a file): {USE_CLI}",
            crate::format::bytes(size),
            crate::format::bytes(MAX_FILE_BYTES)
        ));
    }
    if held + size > MAX_TOTAL_BYTES {
        return Some(format!(
            "{TOO_LARGE}: the page already holds {} and its limit is {} in all: {USE_CLI}",
            crate::format::bytes(held),
            crate::format::bytes(MAX_TOTAL_BYTES)
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_context_carries_the_session_evidence_when_there_is_one() {
        let m = ToWorker::SetContext {
            job: 3,
            context: Box::default(),
            session_evidence: Some(vec![crate::session::EvidenceRef {
                name: "a.env".into(),
                size: 4,
                sha256: "ab".into(),
            }]),
        };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<ToWorker>(&json).unwrap(), m);
        // Without one the field is absent, and a message without it still reads.
        let plain = r#"{"kind":"set_context","job":1,"context":{}}"#;
        match serde_json::from_str::<ToWorker>(plain) {
            Ok(ToWorker::SetContext {
                session_evidence, ..
            }) => assert!(session_evidence.is_none()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn messages_round_trip_as_json() {
        let m = ToWorker::Add {
            job: 3,
            items: vec![Item {
                id: 1,
                name: "a/b.csv".into(),
                demo: None,
            }],
        };
        let j = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<ToWorker>(&j).unwrap(), m);
        let f = FromWorker::FileFailed {
            job: 3,
            id: 1,
            message: "x".into(),
        };
        assert_eq!(
            serde_json::from_str::<FromWorker>(&serde_json::to_string(&f).unwrap()).unwrap(),
            f
        );
    }

    #[test]
    fn one_worker_per_core_up_to_the_cap_and_one_without_a_count() {
        assert_eq!(workers_for(None), 1);
        assert_eq!(workers_for(Some(0.0)), 1);
        assert_eq!(workers_for(Some(f64::NAN)), 1);
        assert_eq!(workers_for(Some(1.0)), 1);
        assert_eq!(workers_for(Some(2.0)), 2);
        assert_eq!(workers_for(Some(64.0)), MAX_WORKERS);
    }

    #[test]
    fn a_helpers_answer_round_trips_and_holds_no_value_found() {
        let quiet = crate::Input::new("a.log", "line\n".repeat(3));
        let m = MatchedAlone {
            run: 2,
            index: 5,
            quiet: crate::scan::match_alone(&quiet),
        };
        assert!(m.quiet.is_some());
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<MatchedAlone>(&json).unwrap(), m);
        // A file with a secret in it is matched again by the main worker: nothing of it is told.
        let mut rng = crate::scan::fake::Rng::new(4);
        let key = crate::scan::fake::generate("ghp_{an:30}{crc}", &mut rng).secret;
        let leak = crate::Input::new("a.env", format!("GITHUB_TOKEN={key}\n"));
        assert_eq!(crate::scan::match_alone(&leak), None);
    }

    #[test]
    fn a_two_gigabyte_file_is_refused_with_advice() {
        let why = size_refusal(2 << 30, 0).unwrap();
        assert!(
            why.contains("2.0 GiB") && why.contains("command-line"),
            "{why}"
        );
        assert!(size_refusal(500 << 20, 0).is_none());
        assert!(size_refusal(500 << 20, 1200 << 20).is_some());
    }
}

#[cfg(test)]
mod known_key_tests {
    use super::*;
    use crate::scan::known_key::KnownKey;
    use crate::ui::view::ReportView;
    use crate::{demo, triage, Context};

    #[test]
    fn the_report_message_reads_back_as_the_exported_report_does() {
        let report = triage(&demo::inputs(), &Context::default());
        let message = report_message(&report);
        let exported = report.to_json();
        assert!(message.len() < exported.len() * 3 / 4, "{}", message.len());
        assert!(!message.contains("\n "));
        assert_eq!(
            ReportView::from_json(&message).unwrap(),
            ReportView::from_json(&exported).unwrap()
        );
    }

    #[test]
    fn a_known_key_message_parses_and_its_report_reads_back() {
        let m = ToWorker::KnownKey {
            job: 2,
            key: "sk-proj-abc...BUWv".into(),
        };
        let j = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<ToWorker>(&j).unwrap(), m);
        let inputs = demo::inputs();
        let ctx = Context {
            known_keys: vec![KnownKey::parse("sk-proj-abc...BUWv").unwrap()],
            ..Context::default()
        };
        let json = triage(&inputs, &ctx).to_json();
        let v = ReportView::from_json(&json).unwrap();
        assert_eq!(
            v.scan.known_keys.len(),
            1,
            "{}",
            &json[json.find("known_keys").unwrap_or(0)..][..300.min(json.len())]
        );
    }
}

#[cfg(test)]
mod answers_tests {
    use super::*;
    use crate::{demo, triage, Context};

    /// The page sends the answers the CLI reads from `--answers FILE`: same JSON, same scope.
    #[test]
    fn an_answers_message_gives_the_worker_the_answers_the_cli_reads() {
        let file =
            r#"{"agent":"yes","agent_tools":["database"],"personal_data":"yes","people":300}"#;
        let cli: crate::scope::Answers = serde_json::from_str(file).unwrap();
        let m = ToWorker::Answers {
            job: 4,
            answers: Box::new(cli.clone()),
        };
        let ToWorker::Answers { answers, .. } =
            serde_json::from_str::<ToWorker>(&serde_json::to_string(&m).unwrap()).unwrap()
        else {
            panic!("not an answers message");
        };
        assert_eq!(*answers, cli);
        let inputs = demo::inputs();
        let worker = triage(
            &inputs,
            &Context {
                answers: *answers,
                ..Context::default()
            },
        );
        let direct = triage(
            &inputs,
            &Context {
                answers: cli,
                ..Context::default()
            },
        );
        assert_eq!(worker.scope, direct.scope);
        assert_eq!(worker.scope.personal_data.reachable, crate::scope::Tri::Yes);
    }
}
