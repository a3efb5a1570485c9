//! leaktriage: offline triage of leaked AI-provider keys and agent credentials.
//!
//! The engine is pure: [`triage`] takes the evidence files as bytes and a [`Context`]
//! (the current time, the awareness time, what the responder knows) and returns one
//! [`Report`], the same in the browser's worker, the native CLI and the tests.
//! It reads no clock, does no I/O and knows no browser type.

pub mod context;
pub mod detect;
pub mod evidence;
pub mod report;
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
    // The evidence stage does not produce usage events yet; when it does, pass them here.
    triage_events(inputs, &[], ctx)
}

/// Runs the engine over the evidence files and the usage events already parsed from them.
///
/// The detect stage ([`detect::detect`]) runs over `events` with the context's thresholds
/// (`Context::detect_params`) and compromise start (`Context::compromise_start`).
pub fn triage_events(
    inputs: &[Input],
    events: &[evidence::event::UsageEvent],
    ctx: &Context,
) -> Report {
    let evidence = inputs.iter().map(evidence::inventory).collect();
    let params = ctx.detect_params.clone().unwrap_or_default();
    let detection = detect::detect(events, &params, ctx.compromise_start);
    Report::new(evidence, ctx).with_detection(detection)
}
