//! The agent records of the evidence files the evidence stage sniffed as agent logs.

use crate::evidence::formats::agent::{self, AgentRecord};
use crate::evidence::out::Out;
use crate::evidence::{decode, Decoded, EvidenceKind, Input, Problems, Source};

/// Reads every agent log among `inputs` (`kinds[i]` is `inputs[i]`'s kind; `skip[i]` marks a
/// file whose bytes an earlier file already gave). Problems were reported by the evidence
/// stage and are not repeated.
pub fn read(inputs: &[Input], kinds: &[EvidenceKind], skip: &[bool]) -> Vec<AgentRecord> {
    read_source(&inputs, kinds, skip)
}

/// [`read`] over files asked of `source`, one at a time (a file that cannot be read is
/// skipped: its inventory row says why).
pub fn read_source(source: &dyn Source, kinds: &[EvidenceKind], skip: &[bool]) -> Vec<AgentRecord> {
    // About one record per 256 bytes of agent log: reserved once rather than grown by copying
    // (reserved pages not written are not resident).
    let bytes: u64 = (0..source.count())
        .zip(kinds)
        .filter(|(_, k)| k.is_agent())
        .map(|(i, _)| source.size(i))
        .sum();
    let mut records = Vec::with_capacity(usize::try_from(bytes / 256).unwrap_or(0));
    for i in 0..source.count() {
        let Some(&kind) = kinds.get(i) else { continue };
        if !kind.is_agent() || skip.get(i).copied().unwrap_or(false) {
            continue;
        }
        let Ok(input) = source.input(i) else { continue };
        let mut problems = Problems::new(&input.name);
        if let Decoded::Text { text, .. } = decode(&input.bytes, &mut problems) {
            let mut no_events = |_| {};
            let mut out = Out::new(&input.name, problems, &mut no_events);
            agent::read(kind, &text, &mut out, &mut |r| records.push(r));
        }
    }
    records
}
