//! Scope: the blast radius of the leaked credentials: what each could do, where it was used,
//! what an attacker can do next, which rooms next door to check, and what to revoke where.
//!
//! [`assess`] is pure. It classifies every credential the scanner found, the responder searched
//! for (known keys), the usage evidence shows abused, or the responder named in the
//! [`Answers`]; infers capabilities from the operations the usage evidence shows, from each
//! kind, and from the answers; fills each questionnaire question with the answer, else the
//! evidence, else unknown; and rates data and financial exposure. Every rule is a documented
//! data row (docs/scope.md, [`rules::RULES`]) and every output line carries its [`Reason`]:
//! the rule id and the evidence rows, alerts, findings or answers behind it.

mod agent;
pub mod answers;
pub mod capability;
mod credentials;
pub mod kinds;
mod questions;
mod ratings;
mod rooms;
pub mod rules;
mod three;
mod usage;

pub use usage::Usage;

#[cfg(test)]
mod tests;

pub use answers::{
    Answers, Environment, KeyScope, Minted, ModelsAllowed, NamedCredential, Tool, Tri,
};
pub use capability::Capability;
pub use kinds::{CredKind, Priority};

use crate::detect::Detection;
use crate::scan::known_key::KnownKey;
use crate::scan::ScanReport;
use serde::{Deserialize, Serialize};

/// How bad an exposure is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Bounded and small.
    #[default]
    Low,
    /// Real but bounded.
    Medium,
    /// Large or hard to bound.
    High,
    /// Act now: lasting access, direct data theft, or unbounded spend.
    Critical,
}

impl Level {
    /// `low`, `medium`, `high` or `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
}

/// What a line of the output rests on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A scan finding: its fingerprint and first occurrence.
    Finding {
        /// The finding's SHA-256 fingerprint.
        fingerprint: String,
        /// The evidence file of its first occurrence.
        file: String,
        /// The line there.
        line: u64,
    },
    /// A known-key search result.
    KnownKey {
        /// The key, redacted.
        key: String,
    },
    /// A usage, cost or audit row.
    Evidence {
        /// The evidence file.
        file: String,
        /// 1-based line.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<u64>,
        /// 0-based record.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        record: Option<u64>,
    },
    /// A detection alert.
    Alert {
        /// The alert id (`A001`…).
        id: String,
    },
    /// The detection's cost impact.
    Cost {
        /// The figure used (`attacker_cost_usd`, `projected_next_24h_usd`).
        field: String,
    },
    /// A questionnaire answer.
    Answer {
        /// The question id.
        id: String,
    },
}

impl Source {
    /// A usage row as a source.
    pub fn row(r: &crate::evidence::event::RawRef) -> Source {
        Source::Evidence {
            file: r.file.clone(),
            line: r.line,
            record: r.record,
        }
    }

    /// An answer as a source.
    pub fn answer(id: &str) -> Source {
        Source::Answer { id: id.into() }
    }

    /// The source in a few words, as the page and the report's summary show it.
    pub fn label(&self) -> String {
        match self {
            Source::Finding { file, line, .. } => format!("{file}:{line}"),
            Source::Evidence { file, line, record } => match (line, record) {
                (Some(l), _) => format!("{file}:{l}"),
                (None, Some(r)) => format!("{file} record {r}"),
                (None, None) => file.clone(),
            },
            Source::Alert { id } => format!("alert {id}"),
            Source::KnownKey { key } => format!("searched key {key}"),
            Source::Cost { field } => format!("cost: {field}"),
            Source::Answer { id } => format!("answer: {id}"),
        }
    }
}

/// One line of the output, with the rule that made it and what it rests on.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Reason {
    /// The line in words.
    pub text: String,
    /// The rule's id (docs/scope.md).
    pub rule: String,
    /// The level this line pushes a rating to, for rating reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// The evidence, alerts, findings or answers behind it (empty: the rule alone).
    #[serde(default)]
    pub sources: Vec<Source>,
}

impl Reason {
    /// A reason.
    pub fn new(rule: &str, text: impl Into<String>, sources: Vec<Source>) -> Reason {
        Reason {
            text: text.into(),
            rule: rule.into(),
            level: None,
            sources,
        }
    }

    /// The same reason, pushing a rating to `level`.
    pub fn at(mut self, level: Level) -> Reason {
        self.level = Some(level);
        self
    }
}

/// Where a credential came to the triage from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Found by the scanner in the text evidence.
    Found,
    /// Searched for by the responder (known-key search).
    KnownKey,
    /// Abused in the usage evidence (alerts on its key id).
    Usage,
    /// Named by the responder in the answers.
    Answer,
}

/// Where a capability, or a question's value, came from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Observed in the usage evidence.
    Observed,
    /// Found in the evidence (for questions: the scan, the usage rows, the alerts).
    Evidence,
    /// What the credential's kind can do.
    Kind,
    /// The responder's answer.
    Answer,
    /// Derived from another answer by a rule.
    Inferred,
    /// Nothing says.
    #[default]
    Unknown,
}

/// One capability of a credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapabilityItem {
    /// The capability.
    pub capability: Capability,
    /// In words.
    pub label: String,
    /// Observed, by kind, or from an answer (the strongest of its reasons).
    pub basis: Basis,
    /// Why.
    pub reasons: Vec<Reason>,
}

/// One classified credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Credential {
    /// `C1`, `C2`… in the order of `credentials`.
    pub id: String,
    /// How it is shown: redacted value, key id, or the responder's label.
    pub name: String,
    /// The provider.
    pub provider: String,
    /// The kind.
    pub kind: CredKind,
    /// The kind in words.
    pub kind_label: String,
    /// How it came to the triage.
    pub origins: Vec<Origin>,
    /// The scan rule that found it, when found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_rule: Option<String>,
    /// The scan finding's fingerprint, when found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// The key id of its rows in the usage evidence, when linked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_key: Option<String>,
    /// The containment priority.
    pub containment_priority: Priority,
    /// Why the kind (and so the priority).
    pub classification: Reason,
    /// Why that priority.
    pub priority_reason: Reason,
    /// What it can do.
    pub capabilities: Vec<CapabilityItem>,
    /// Where to revoke it.
    pub revoke_at: String,
    /// Whether the questionnaire's answers describe it (the leaked AI credentials).
    pub answers_apply: bool,
}

/// A rating with its reasons, highest first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Rating {
    /// The level: the highest any reason pushes to.
    pub level: Level,
    /// Why, highest level first.
    pub reasons: Vec<Reason>,
}

/// Whether personal data was reachable: this triggers notification duties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalData {
    /// `yes`, `no` or `unknown`.
    pub reachable: Tri,
    /// Roughly how many people, when the responder said.
    pub people: Option<u64>,
    /// Where the answer came from.
    pub basis: Basis,
    /// Why, and what to check.
    pub reasons: Vec<Reason>,
}

impl Default for PersonalData {
    fn default() -> Self {
        PersonalData {
            reachable: Tri::Unknown,
            people: None,
            basis: Basis::Unknown,
            reasons: Vec::new(),
        }
    }
}

/// Three questions about the credentials (what could it do, where was it used, what can an
/// attacker do next), answered line by line.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ThreeAnswers {
    /// What could this secret do?
    pub could_do: Vec<Reason>,
    /// Where was it used?
    pub used_where: Vec<Reason>,
    /// What can an attacker do next?
    pub next: Vec<Reason>,
}

/// A connected system or chain-hop to check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Room {
    /// The system.
    pub system: String,
    /// What to look for in its audit log.
    pub look_for: String,
    /// Why it is next door.
    pub why: Reason,
}

/// One thing to revoke, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revocation {
    /// What to revoke.
    pub what: String,
    /// Where and how.
    pub at: String,
    /// The credential it belongs to (`C1`…), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// Containment priority.
    pub priority: Priority,
    /// Why.
    pub why: Reason,
}

/// One questionnaire question and the value in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// The id: the [`Answers`] field it fills.
    pub id: String,
    /// The question.
    pub text: String,
    /// The value in force, as the [`Answers`] field's JSON (`null` when unknown).
    pub value: serde_json::Value,
    /// The value in words.
    pub value_label: String,
    /// Where the value came from: `answer`, `evidence`, `inferred` or `unknown`.
    pub source: Basis,
    /// Why (for evidence and inferred values), or what the evidence hints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
}

/// The blast radius.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Scope {
    /// Every classified credential, highest containment priority first.
    pub credentials: Vec<Credential>,
    /// Data exposure risk.
    pub data_exposure: Rating,
    /// Financial exposure.
    pub financial_exposure: Rating,
    /// Whether personal data was reachable.
    pub personal_data: PersonalData,
    /// The three answers.
    pub three_answers: ThreeAnswers,
    /// Connected systems and chain-hops to check.
    pub rooms_next_door: Vec<Room>,
    /// What to revoke and where, highest priority first.
    pub revoke: Vec<Revocation>,
    /// The questionnaire, with the values in force.
    pub questions: Vec<Question>,
}

/// What [`assess`] reads.
pub struct Inputs<'a> {
    /// The scan.
    pub scan: &'a ScanReport,
    /// The detection.
    pub detection: &'a Detection,
    /// What the usage events show (gathered while they were read).
    pub usage: &'a Usage,
    /// The known keys the responder gave (in the order of `scan.known_keys`).
    pub known_keys: &'a [KnownKey],
    /// The answers.
    pub answers: &'a Answers,
    /// The agent stage's section (empty when no agent log was given).
    pub agent: &'a crate::agent::AgentSection,
}

/// Assesses the blast radius.
pub fn assess(i: &Inputs) -> Scope {
    let used = i.usage.used();
    let mut creds = credentials::build(i, &used);
    let facts = questions::in_force(i, &creds, &used);
    credentials::apply_answers(&mut creds, &facts);
    credentials::finish(&mut creds);
    let data_exposure = ratings::data(i, &creds, &facts);
    let financial_exposure = ratings::financial(i, &creds, &facts);
    let personal_data = ratings::personal(&creds, &facts);
    let three_answers = three::build(i, &creds, &used, &facts);
    let rooms_next_door = rooms::build(i, &creds, &facts);
    let revoke = rooms::revoke(i, &creds, &facts);
    Scope {
        credentials: creds,
        data_exposure,
        financial_exposure,
        personal_data,
        three_answers,
        rooms_next_door,
        revoke,
        questions: questions::output(&facts),
    }
}
