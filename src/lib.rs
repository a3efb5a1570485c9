//! leaktriage: offline triage of leaked AI-provider keys and agent credentials.
//!
//! The engine is pure: [`triage`] takes the evidence files as bytes and a [`Context`]
//! (the current time, the awareness time, what the responder knows) and returns one
//! [`Report`], the same in the browser's worker, the native CLI and the tests.
//! It reads no clock, does no I/O and knows no browser type.

pub mod context;
pub mod demo;
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
    let (evidence, _events) = evidence::read_all(inputs, ctx);
    let mut report = Report::new(evidence, ctx);
    report.scan = scan::scan_inputs(inputs, ctx);
    report
}
