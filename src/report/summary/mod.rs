//! The triage summary: the incident timeline, the durations between its milestones, whether
//! abuse is confirmed, the IOCs, the cost, the top findings and the blast radius. Built from the
//! report's detection and scan and the context's facts; never from a clock. One job per file.

mod abuse;
mod blast_radius;
mod cost;
pub mod glance;
mod headline;
mod iocs;
mod milestones;
mod spans;
mod top_findings;

pub use abuse::{Abuse, Verdict};
pub use blast_radius::{blast_radius, BlastRadius, PersonalData, Rating};
pub use cost::{CostSummary, ModelCost};
pub use iocs::{raw_ref, values_of, Ioc, IocKind, MAX_IOC_EVIDENCE};
pub use milestones::{milestone, Milestone};
pub use spans::Span;
pub use top_findings::{TopFinding, MAX_TOP_FINDINGS};

use super::clock::{fmt_local, offset};
use super::Report;
use crate::Context;
use serde::Serialize;

/// The triage summary (docs/report.md, "Summary").
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// A few sentences for the incident channel.
    pub headline: String,
    /// The incident's milestones in their natural order (stable ids).
    pub timeline: Vec<Milestone>,
    /// Durations between milestones (exposure, dwell, abuse window, time to revoke).
    pub durations: Vec<Span>,
    /// Whether abuse is confirmed, suspected or not seen, and why.
    pub abuse: Abuse,
    /// Indicators of compromise, by kind then as the detection ordered them.
    pub iocs: Vec<Ioc>,
    /// The cost impact.
    pub cost: CostSummary,
    /// The most severe findings (alerts and leaked secrets), most severe first.
    pub top_findings: Vec<TopFinding>,
    /// Findings of medium severity or above in all (alerts and secrets).
    pub findings_total: u64,
    /// What the leaked credentials could reach (the scope stage).
    pub blast_radius: BlastRadius,
    /// The few things to do now, most urgent first, each naming the section with its detail
    /// (made once the notifications are drafted: the nearest deadline is one of them).
    pub do_now: Vec<glance::DoNow>,
    /// The key numbers: attacker cost so far and per hour, attacker IPs, affected keys.
    pub key_numbers: Vec<glance::KeyNumber>,
    /// "Evidence differs from the session: …" when the evidence does not match the session it
    /// was reopened from (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custody: Option<String>,
}

/// Builds the summary from the report's stages and the context.
pub fn build(r: &Report, ctx: &Context) -> Summary {
    let off = offset(ctx.utc_offset_minutes);
    let timeline = milestones::milestones(r, ctx)
        .into_iter()
        .map(|mut m| {
            if ctx.utc_offset_minutes.is_some() {
                m.local = m.at.map(|t| fmt_local(&t, off));
            }
            m
        })
        .collect::<Vec<_>>();
    let durations = spans::spans(&timeline);
    let abuse = abuse::abuse(r);
    let iocs = iocs::iocs(r);
    let cost = cost::cost(r);
    let (top_findings, findings_total) = top_findings::top_findings(r);
    let blast_radius = blast_radius(r);
    let headline = headline::headline(&timeline, &durations, &abuse, &cost, &iocs, &r.detection);
    Summary {
        headline,
        timeline,
        durations,
        abuse,
        iocs,
        cost,
        top_findings,
        findings_total,
        blast_radius,
        do_now: Vec::new(),
        key_numbers: Vec::new(),
        custody: r.custody.as_ref().and_then(|c| c.sentence()),
    }
}
