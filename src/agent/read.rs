//! The agent records of the evidence files the evidence stage sniffed as agent logs.

use crate::evidence::formats::agent::{self, AgentRecord};
use crate::evidence::out::Out;
use crate::evidence::{decode, Decoded, EvidenceKind, Input, Problems};

/// Reads every agent log among `inputs` (`kinds[i]` is `inputs[i]`'s kind; `skip[i]` marks a
/// file whose bytes an earlier file already gave). Problems were reported by the evidence
/// stage and are not repeated.
pub fn read(inputs: &[Input], kinds: &[EvidenceKind], skip: &[bool]) -> Vec<AgentRecord> {
    // About one record per 256 bytes of agent log: reserved once rather than grown by copying
    // (reserved pages not written are not resident).
    let bytes: usize = inputs
        .iter()
        .zip(kinds)
        .filter(|(_, k)| k.is_agent())
        .map(|(i, _)| i.bytes.len())
        .sum();
    let mut records = Vec::with_capacity(bytes / 256);
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
