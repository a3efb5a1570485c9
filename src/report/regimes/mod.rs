//! The notification regimes as data: each regime's trigger, deadlines (as the regulation words
//! them, with how they are counted), content, draft fields and notes, and the articles or
//! sections it comes from. docs/report.md lists them.

use super::clock::Rule;

/// What starts a deadline's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The context's `awareness` (discovery, knowledge, suspicion).
    Awareness,
    /// The context's `incident.determined_at` (determination, materiality, assessment).
    Determination,
    /// When this regime's first notification was sent (`incident.notified_at[regime]`).
    Notification,
}

impl Clock {
    /// The clock start's snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Awareness => "awareness",
            Clock::Determination => "determination",
            Clock::Notification => "notification",
        }
    }
}

/// One deadline of a regime.
#[derive(Debug, Clone, Copy)]
pub struct StageSpec {
    /// Id within the regime (the deadline's id is `regime.stage`).
    pub id: &'static str,
    /// What is due.
    pub what: &'static str,
    /// To whom.
    pub recipient: &'static str,
    /// How it is counted.
    pub rule: Rule,
    /// How the regime words the period (kept beside the computed deadline).
    pub wording: &'static str,
    /// What starts it.
    pub clock: Clock,
    /// When it applies (thresholds, roles), if not always.
    pub condition: Option<&'static str>,
    /// Sending the regime's first notification meets this deadline.
    pub primary: bool,
}

/// One regime.
#[derive(Debug, Clone, Copy)]
pub struct RegimeSpec {
    /// Stable id.
    pub id: &'static str,
    /// Name.
    pub name: &'static str,
    /// What triggers it.
    pub trigger: &'static str,
    /// The deadlines.
    pub stages: &'static [StageSpec],
    /// The content the regime asks for, in words (the draft's fields follow it).
    pub content: &'static str,
    /// The draft's fields, in the regime's order, each with where its value comes from. The
    /// writer adds the organisation first, a contact point when no field here names the
    /// `{contact}` fact, and the personal-data line last.
    pub fields: &'static [FieldSpec],
    /// Facts added to the draft's "applies" line (a template like a field's, or empty).
    pub applies_also: &'static str,
    /// Statutory damages per person (low, high) in USD, when the regime sets a range: the draft
    /// computes the range for the number of people when known.
    pub damages_per_person_usd: Option<(u64, u64)>,
    /// Further notes (exemptions, records to keep, penalties).
    pub notes: &'static [&'static str],
    /// Where the rules come from: the regulation's articles or sections, and official guidance.
    pub sources: &'static str,
}

/// One field of a regime's notification draft.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// Stable id within the draft.
    pub id: &'static str,
    /// The regime's name for it.
    pub label: &'static str,
    /// Where its value comes from.
    pub source: Source,
}

/// Where a draft field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The report's facts, from the evidence and the context's incident facts: a template in
    /// which each `{name}` is a fact the draft writer knows (`notify::facts::NAMES`).
    Facts(&'static str),
    /// The same text in every draft.
    Fixed(&'static str),
    /// Not in the report: the draft writes `[UNKNOWN: what]` for the responder to fill in.
    Unknown(&'static str),
}

/// A field filled from the report's facts (`{name}` placeholders).
const fn facts(id: &'static str, label: &'static str, template: &'static str) -> FieldSpec {
    FieldSpec {
        id,
        label,
        source: Source::Facts(template),
    }
}

/// A field with fixed text.
const fn fixed(id: &'static str, label: &'static str, text: &'static str) -> FieldSpec {
    FieldSpec {
        id,
        label,
        source: Source::Fixed(text),
    }
}

/// A field the report cannot fill: `[UNKNOWN: what]`.
const fn to_fill(id: &'static str, label: &'static str, what: &'static str) -> FieldSpec {
    FieldSpec {
        id,
        label,
        source: Source::Unknown(what),
    }
}

const fn stage(
    id: &'static str,
    what: &'static str,
    recipient: &'static str,
    rule: Rule,
    wording: &'static str,
    clock: Clock,
) -> StageSpec {
    StageSpec {
        id,
        what,
        recipient,
        rule,
        wording,
        clock,
        condition: None,
        primary: false,
    }
}

const fn primary(s: StageSpec) -> StageSpec {
    StageSpec { primary: true, ..s }
}

const fn when(s: StageSpec, condition: &'static str) -> StageSpec {
    StageSpec {
        condition: Some(condition),
        ..s
    }
}

/// The regimes drafted when the responder picks none: GDPR Art. 33, the clock the 24-hour
/// incident playbook for leaked AI agent tokens names ("the GDPR 72-hour notification clock
/// starts at the moment you became aware").
pub const DEFAULT: &[&str] = &["gdpr_art33"];

mod table;
pub use table::REGIMES;

/// A regime by id.
pub fn find(id: &str) -> Option<&'static RegimeSpec> {
    REGIMES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_regime_id_is_unique_and_the_default_exists() {
        let mut ids: Vec<&str> = REGIMES.iter().map(|r| r.id).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
        assert!(DEFAULT.iter().all(|d| find(d).is_some()));
        assert!(n >= 15);
    }
}
