//! The agent records of the evidence files the evidence stage sniffed as agent logs.

use crate::evidence::formats::agent::{self, AgentRecord};
use crate::evidence::out::Out;
use crate::evidence::{decode, Decoded, EvidenceKind, Input, Problems};

/// Reads every agent log among `inputs` (`kinds[i]` is `inputs[i]`'s kind; `skip[i]` marks a
/// file whose bytes an earlier file already gave). Problems were reported by the evidence
/// stage and are not repeated.
pub fn read(inputs: &[Input], kinds: &[EvidenceKind], skip: &[bool]) -> Vec<AgentRecord> {
    let mut records = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let Some(&kind) = kinds.get(i) else { continue };
        if !kind.is_agent() || skip.get(i).copied().unwrap_or(false) {
            continue;
        }
        let mut problems = Problems::new(&input.name);
        if let Decoded::Text { text, .. } = decode(&input.bytes, &mut problems) {
            let mut no_events = |_| {};
            let mut out = Out::new(&input.name, problems, &mut no_events);
            agent::read(kind, &text, &mut out, &mut |r| records.push(r));
        }
    }
    records
}
