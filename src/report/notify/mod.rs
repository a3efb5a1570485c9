//! Notification drafts: for each regime picked, its deadlines (computed from the context's
//! awareness or determination time by the regime's rule, shown in UTC and local time with the
//! time remaining at the report's time) and its fields filled from the report, the unknowns
//! marked `[UNKNOWN: ...]`. Drafts for counsel, never advice. The regimes are data
//! (`report::regimes`); the writer walks them.

mod deadlines;
mod draft;
pub mod facts;
mod fields;

pub use deadlines::{deadline, Deadline, DeadlineStatus};
pub use draft::{Draft, DISCLAIMER};
pub use fields::Field;

use super::checklist::Checklist;
use super::regimes;
use super::summary::Summary;
use super::Report;
use crate::Context;
use serde::Serialize;

/// The notification drafts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Notifications {
    /// `responder` (the context's `regimes`) or `default` ([`regimes::DEFAULT`]).
    pub picked_by: String,
    /// Regime ids asked for that no regime has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_regimes: Vec<String>,
    /// One draft per regime, in the order asked.
    pub drafts: Vec<Draft>,
    /// Every regime the engine can draft (`{id, name}`), for a picker.
    pub available: Vec<RegimeRef>,
}

/// A regime's id and name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegimeRef {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// Builds the drafts for the context's regimes (or the default).
pub fn build(r: &Report, s: &Summary, c: &Checklist, ctx: &Context) -> Notifications {
    let (ids, picked_by): (Vec<&str>, &str) = if ctx.regimes.is_empty() {
        (regimes::DEFAULT.to_vec(), "default")
    } else {
        (
            ctx.regimes.iter().map(String::as_str).collect(),
            "responder",
        )
    };
    let facts = facts::Facts::new(r, s, c, ctx);
    let mut out = Notifications {
        picked_by: picked_by.into(),
        available: regimes::REGIMES
            .iter()
            .map(|g| RegimeRef {
                id: g.id.into(),
                name: g.name.into(),
            })
            .collect(),
        ..Notifications::default()
    };
    let mut seen = Vec::new();
    for id in ids {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        match regimes::find(id) {
            Some(g) => out
                .drafts
                .push(draft::draft(g, &facts, r.generated_at, ctx)),
            None => out.unknown_regimes.push(id.into()),
        }
    }
    out
}

/// The regimes' deadlines nearest first (open and overdue ones), for summaries.
pub fn pressing(n: &Notifications) -> Vec<&Deadline> {
    let mut all: Vec<&Deadline> = n
        .drafts
        .iter()
        .flat_map(|d| d.deadlines.iter())
        .filter(|d| {
            matches!(
                d.status,
                DeadlineStatus::Open | DeadlineStatus::Overdue | DeadlineStatus::Undated
            )
        })
        .collect();
    all.sort_by(|a, b| a.due_at.cmp(&b.due_at).then(a.id.cmp(&b.id)));
    all
}

/// `[UNKNOWN: what]`: a value for the responder to fill in.
pub(crate) fn unknown(what: &str) -> String {
    format!("[UNKNOWN: {what}]")
}
