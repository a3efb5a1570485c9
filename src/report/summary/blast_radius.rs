//! The blast radius digest: the scope stage's ratings, personal-data answer and three answers,
//! each reason as one line with its rule and sources.

use crate::report::Report;
use serde::Serialize;

/// A level with its reasons (scope's `data_exposure` / `financial_exposure`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rating {
    /// `low`, `medium`, `high` or `critical`.
    pub level: String,
    /// Why, each with its source.
    pub reasons: Vec<String>,
}

/// Whether personal data was reachable (scope's `personal_data`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonalData {
    /// `yes`, `no` or `unknown`.
    pub reachable: String,
    /// Approximate number of people, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people: Option<u64>,
    /// Why, each with its source.
    pub reasons: Vec<String>,
}

/// The blast radius as the summary and the notification drafts use it.
///
/// Filled by [`blast_radius`] from `report.scope`; `assessed` is false only in a
/// report made without the scope stage (an empty report).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BlastRadius {
    /// Whether the scope stage assessed it.
    pub assessed: bool,
    /// Why not, or a one-line digest.
    pub note: String,
    /// How much data the credentials expose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_exposure: Option<Rating>,
    /// How much money they can cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub financial_exposure: Option<Rating>,
    /// Whether personal data was reachable, and for how many people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_data: Option<PersonalData>,
    /// The scope's three answers: what it could do (this field), where it was used, what an
    /// attacker can do next.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub could_do: Vec<String>,
    /// Where it was used.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub used_where: Vec<String>,
    /// What an attacker can do next.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub next: Vec<String>,
}

/// The blast radius of the report's credentials, from the scope stage (`report.scope`): the
/// ratings with the reasons at their level (at most three each), personal data, and the
/// scope's three answers. Each reason keeps its rule id and what it rests on.
pub fn blast_radius(report: &Report) -> BlastRadius {
    let sc = &report.scope;
    let rating = |r: &crate::scope::Rating| Rating {
        level: r.level.as_str().into(),
        reasons: r
            .reasons
            .iter()
            .filter(|x| x.level == Some(r.level))
            .take(3)
            .map(reason_line)
            .collect(),
    };
    let pd = &sc.personal_data;
    let lines = |v: &[crate::scope::Reason]| v.iter().map(reason_line).collect::<Vec<_>>();
    BlastRadius {
        assessed: true,
        note: format!(
            "{} credential(s) assessed: data exposure {}, financial exposure {}, personal data \
             reachable: {}.",
            sc.credentials.len(),
            sc.data_exposure.level.as_str(),
            sc.financial_exposure.level.as_str(),
            pd.reachable.as_str()
        ),
        data_exposure: Some(rating(&sc.data_exposure)),
        financial_exposure: Some(rating(&sc.financial_exposure)),
        personal_data: Some(PersonalData {
            reachable: pd.reachable.as_str().into(),
            people: pd.people,
            reasons: pd.reasons.iter().take(3).map(reason_line).collect(),
        }),
        could_do: lines(&sc.three_answers.could_do),
        used_where: lines(&sc.three_answers.used_where),
        next: lines(&sc.three_answers.next),
    }
}

/// A scope reason as one line: its text, its rule, and up to three of its sources.
fn reason_line(r: &crate::scope::Reason) -> String {
    let mut sources: Vec<String> = r
        .sources
        .iter()
        .take(3)
        .map(crate::scope::Source::label)
        .collect();
    if r.sources.len() > 3 {
        sources.push(format!("{} more", r.sources.len() - 3));
    }
    let mut line = format!("{} [{}", r.text, r.rule);
    if !sources.is_empty() {
        line.push_str("; ");
        line.push_str(&sources.join(", "));
    }
    line.push(']');
    line
}

#[cfg(test)]
mod tests {
    use crate::report::testing::demo_report;
    use crate::Context;

    #[test]
    fn blast_radius_comes_from_the_scope_stage_with_its_rules() {
        let r = demo_report(&Context::default());
        let b = &r.summary.blast_radius;
        assert!(b.assessed);
        assert_eq!(
            b.data_exposure.as_ref().map(|d| d.level.as_str()),
            Some(r.scope.data_exposure.level.as_str())
        );
        let pd = b.personal_data.as_ref().unwrap();
        assert_eq!(pd.reachable, r.scope.personal_data.reachable.as_str());
        assert!(!b.could_do.is_empty());
        assert!(b
            .could_do
            .iter()
            .all(|l| l.ends_with(']') && l.contains(" [")));
        // The responder's answer reaches the summary (and from there the drafts).
        let ctx = Context {
            answers: serde_json::from_str(r#"{"personal_data": "yes", "people": 1200}"#).unwrap(),
            ..Context::default()
        };
        let pd = demo_report(&ctx)
            .summary
            .blast_radius
            .personal_data
            .unwrap();
        assert_eq!((pd.reachable.as_str(), pd.people), ("yes", Some(1200)));
    }
}
