//! The report: one serialisable value, deterministic for the same inputs and context.

use crate::format;
pub mod agent;
pub mod checklist;
pub mod clock;
pub mod context;
pub mod custody;
pub mod export;
pub mod hunts;
mod input;
pub mod notify;
pub mod regimes;
pub mod summary;

pub use checklist::Checklist;
pub use context::Context;
pub use export::text::render_text;
pub use input::{IncidentFacts, ItemState, ItemStatus};
pub use notify::Notifications;
pub use summary::Summary;

use crate::evidence::EvidenceFile;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The JSON report's schema version. Bumped on any incompatible change (docs/report-schema.md).
pub const SCHEMA_VERSION: u32 = 2;

/// Everything the engine concluded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Schema version of this value ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The tool and version that made it.
    pub tool: Tool,
    /// When it was made (from the context; absent when the context gave no time).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub generated_at: Option<DateTime<Utc>>,
    /// The evidence inventory, in the order given.
    pub evidence: Vec<EvidenceFile>,
    /// Totals over the inventory.
    pub totals: Totals,
    /// Chain of custody: how the evidence compares with the session it was reopened from
    /// (absent when no session was given; made by the session stage, see [`Report::with_custody`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custody: Option<custody::EvidenceCheck>,
    /// Leaked credentials found in the texts, histories and patches, grouped by secret.
    pub scan: crate::scan::ScanReport,
    /// Usage anomaly detection: alerts, the attacker timeline, the cost impact, key charts.
    pub detection: crate::detect::Detection,
    /// The blast radius: credentials classified, exposures rated, rooms next door, revocations.
    pub scope: crate::scope::Scope,
    /// The agent stage: sessions, actions since the leak window, connections, chain-hops and
    /// minted tokens, from the agent's own logs (absent when no agent log was given).
    #[serde(skip_serializing_if = "crate::agent::AgentSection::is_empty")]
    pub agent: crate::agent::AgentSection,
    /// The triage summary: timeline, durations, abuse verdict, IOCs, cost, top findings.
    pub summary: Summary,
    /// The response checklist with the evidence's pre-fills and the responder's states.
    pub checklist: Checklist,
    /// Notification drafts for the regimes picked, with their deadlines.
    pub notifications: Notifications,
    /// Queries to run where the organisation's logs live, for the leaked keys and the window.
    pub hunts: Vec<hunts::Hunt>,
    /// The output gate, with the responder's known keys (never serialised, never shown).
    #[serde(skip)]
    pub gate: crate::scan::gate::Gate,
}

/// The tool that made a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// Always `leaktriage`.
    pub name: String,
    /// The crate version.
    pub version: String,
}

/// Counts over the whole inventory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// Files given.
    pub files: u64,
    /// Bytes given.
    pub bytes: u64,
    /// Records read.
    pub records: u64,
    /// Problems found.
    pub problems: u64,
    /// When the run was focused on named credentials and principals: what it kept and what
    /// it set aside (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus: Option<crate::evidence::focus::FocusTally>,
}

impl Report {
    /// A report of this evidence with nothing concluded yet: no findings, no usage events,
    /// the default thresholds, and empty summary, checklist and drafts (run the stages, then
    /// [`Report::conclude`]). Runs nothing.
    pub fn new(evidence: Vec<EvidenceFile>, ctx: &Context) -> Self {
        let totals = Totals {
            files: evidence.len() as u64,
            bytes: evidence.iter().map(|e| e.size).sum(),
            records: evidence.iter().map(|e| e.records).sum(),
            problems: evidence.iter().map(|e| e.problem_count).sum(),
            focus: None,
        };
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "leaktriage".into(),
                version: crate::VERSION.into(),
            },
            generated_at: ctx.now,
            evidence,
            totals,
            custody: None,
            scan: crate::scan::ScanReport::default(),
            detection: crate::detect::Detection::default(),
            scope: crate::scope::Scope::default(),
            agent: crate::agent::AgentSection::default(),
            summary: Summary::default(),
            checklist: Checklist::default(),
            notifications: Notifications::default(),
            hunts: Vec::new(),
            gate: crate::scan::gate::Gate::new(&ctx.known_keys),
        }
    }

    /// The report with its conclusions drawn (summary, checklist, notifications) from the
    /// stages already in it and the context, dated at the context's `now`. Run it last, after
    /// every stage. It can be rerun on a finished report when only the report's part of the
    /// context changed (time, checklist states, regimes, incident facts, UTC offset), without
    /// reading the evidence again.
    pub fn conclude(mut self, ctx: &Context) -> Self {
        self.generated_at = ctx.now;
        self.gate.add(&ctx.known_keys);
        self.summary = summary::build(&self, ctx);
        self.checklist = checklist::build(&self, &self.summary, ctx);
        self.notifications = notify::build(&self, &self.summary, &self.checklist, ctx);
        self.summary.do_now = summary::glance::do_now(&self);
        self.summary.key_numbers = summary::glance::key_numbers(&self, &self.summary);
        self.hunts = hunts::build(&self, ctx);
        self
    }

    /// The report with its chain-of-custody check (the evidence against a session's list),
    /// shown in the evidence section and, when something is missing or differs, in the summary.
    /// It survives [`Report::conclude`].
    pub fn with_custody(mut self, check: custody::EvidenceCheck) -> Self {
        self.summary.custody = check.sentence();
        self.custody = Some(check);
        self
    }

    /// The report with the detect stage's result.
    pub fn with_detection(mut self, detection: crate::detect::Detection) -> Self {
        self.detection = detection;
        self
    }

    /// The report as pretty JSON (the documented schema).
    /// Every string passes the output gate ([`crate::scan::gate`]).
    pub fn to_json(&self) -> String {
        self.gate.to_json(self, b"  ")
    }
}

/// Helpers for the report's unit tests, and the test of [`Report::conclude`].
#[cfg(test)]
pub(crate) mod testing {
    use crate::{demo, triage, Context};
    use chrono::{DateTime, Utc};

    /// The demo incident's report under a context.
    pub fn demo_report(ctx: &Context) -> super::Report {
        let mut inputs = demo::inputs();
        for i in &mut inputs {
            i.name = format!("demo/{}", i.name);
        }
        triage(&inputs, ctx)
    }

    /// Asserts `text` holds no leaked secret's value. (An AWS access key id is an identifier
    /// the logs name the key by; the detection shows it as given, so it is not checked.)
    pub fn assert_no_secret(r: &super::Report, text: &str, what: &str) {
        for f in r
            .scan
            .secrets
            .iter()
            .filter(|f| f.kind != crate::scan::rules::Kind::CloudAccessKeyId)
        {
            let v = f
                .reveal()
                .expect("the scan keeps each value for an on-screen reveal");
            assert!(!text.contains(v), "{what} leaks {}", f.redacted);
        }
    }

    #[test]
    fn concluding_again_with_a_new_context_equals_a_fresh_run() {
        let first = Context::default();
        let mut second = Context {
            now: Some(t("2026-11-20T15:00:00Z")),
            awareness: Some(t("2026-11-19T08:30:00Z")),
            utc_offset_minutes: Some(-300),
            regimes: vec!["sec_8k".into(), "hipaa".into()],
            ..Context::default()
        };
        second.incident.revoked_at = Some(t("2026-11-19T09:00:00Z"));
        let again = demo_report(&first).conclude(&second);
        assert_eq!(again, demo_report(&second));
        assert_eq!(again.generated_at, second.now);
    }

    #[test]
    fn a_broken_custody_is_in_the_summary_and_survives_concluding_again() {
        use crate::report::custody::{check, EvidenceRef};
        let r = demo_report(&Context::default());
        let mut expected: Vec<EvidenceRef> = r.evidence.iter().map(EvidenceRef::of).collect();
        expected[0].sha256 = "0".repeat(64);
        let given: Vec<EvidenceRef> = r.evidence.iter().map(EvidenceRef::of).collect();
        let r = r.with_custody(check(&expected, &given));
        let line = r.summary.custody.clone().unwrap();
        assert!(
            line.starts_with("Evidence differs from the session: 4 of 5 file(s) match;"),
            "{line}"
        );
        let again = r.clone().conclude(&Context::default());
        assert_eq!(again.summary.custody.as_deref(), Some(line.as_str()));
        let json = again.to_json();
        assert!(
            json.contains("\"custody\": {\n    \"intact\": false"),
            "{json}"
        );
        assert!(crate::report::export::text::render_text(&again)
            .contains("Chain of custody broken: 4 of 5"));
        // Without a session there is no custody at all.
        let plain = demo_report(&Context::default()).to_json();
        assert!(!plain.contains("custody"));
    }

    #[test]
    fn the_empty_detection_equals_the_detection_of_no_events() {
        use crate::detect::{detect, DetectParams, Detection};
        assert_eq!(
            Detection::default(),
            detect(&[], &DetectParams::default(), None)
        );
        let r = super::Report::new(Vec::new(), &Context::default());
        assert_eq!(r.detection, Detection::default());
        assert_eq!((r.totals.files, r.detection.events), (0, 0));
    }

    /// An RFC 3339 time.
    pub fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// A context at the time `now`, aware of the leak at `aware` when given.
    pub fn ctx_at(now: &str, aware: Option<&str>) -> Context {
        Context {
            now: Some(t(now)),
            awareness: aware.map(t),
            ..Context::default()
        }
    }
}
