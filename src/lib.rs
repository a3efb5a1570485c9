//! leaktriage: offline triage of leaked AI-provider keys and agent credentials.
//!
//! The engine is pure: [`triage`] takes the evidence files as bytes and a [`Context`]
//! (the current time, the awareness time, what the responder knows) and returns one
//! [`Report`], the same in the browser's worker, the native CLI and the tests.
//! It reads no clock, does no I/O and knows no browser type.

pub mod context;
pub mod demo;
pub mod detect;
pub mod evidence;
pub mod report;
pub mod scan;
pub mod secret;

#[cfg(feature = "ui")]
pub mod ui;

pub use context::Context;
pub use evidence::{EvidenceFile, EvidenceKind, Input, Problem};
pub use report::{Report, SCHEMA_VERSION};

/// The tool's version, as written into every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Runs the whole engine over the given evidence.
///
/// Never panics on input: every problem with a file becomes a [`Problem`] in the report.
pub fn triage(inputs: &[Input], ctx: &Context) -> Report {
    triage_events(inputs, &[], ctx)
}

/// Runs the engine over the evidence files, with `extra` usage events (already normalised,
/// e.g. from another run or a test) added to those parsed from the files.
///
/// The detect stage ([`detect::detect`]) runs over all usage events with the context's
/// thresholds (`Context::detect_params`) and compromise start (`Context::compromise_start`).
pub fn triage_events(
    inputs: &[Input],
    extra: &[evidence::event::UsageEvent],
    ctx: &Context,
) -> Report {
    let (evidence, mut events) = evidence::read_all(inputs, ctx);
    events.extend_from_slice(extra);
    let mut report = Report::new(evidence, ctx);
    report.scan = scan::scan_inputs(inputs, ctx);
    let params = ctx.detect_params.clone().unwrap_or_default();
    report.detection = detect::detect(&events, &params, ctx.compromise_start);
    report
}
