//! What the usage evidence shows each key did: the capabilities its operations reveal (rule
//! `cap.operation`), tokens it minted, spend-limit errors, the files and projects it appears in.

use super::capability::{self, Capability};
use super::Minted;
use crate::evidence::event::{RawRef, UsageEvent};
use crate::evidence::intern::StrSet;
use std::collections::{BTreeMap, BTreeSet};

/// Most distinct values kept per key and set.
const CAP: usize = 8;

/// One capability as observed: rows, the first row, and the operations with their rows.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub rows: u64,
    pub first: RawRef,
    pub ops: BTreeMap<String, u64>,
}

impl Seen {
    fn new(first: &RawRef, op: &str) -> Seen {
        Seen {
            rows: 1,
            first: first.clone(),
            ops: BTreeMap::from([(op.to_string(), 1)]),
        }
    }

    fn add(&mut self, op: &str) {
        self.rows += 1;
        if let Some(n) = self.ops.get_mut(op) {
            *n += 1;
        } else if self.ops.len() < CAP {
            self.ops.insert(op.to_string(), 1);
        }
    }

    /// The operations in words: `CreateUser ×1, CreateAccessKey ×1`.
    pub fn operations(&self) -> String {
        let mut v: Vec<(&String, &u64)> = self.ops.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.iter()
            .map(|(o, n)| format!("{o} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One key's use in the evidence.
#[derive(Debug, Clone)]
pub(crate) struct KeyUse {
    /// The key as alerts show it.
    pub label: String,
    /// The provider of its first row.
    pub provider: String,
    /// Rows.
    pub rows: u64,
    /// Its first row.
    pub first: RawRef,
    /// Evidence files with its rows.
    pub files: BTreeSet<String>,
    /// Projects, workspaces or accounts.
    pub projects: BTreeSet<String>,
    /// Models called.
    pub models: BTreeSet<String>,
    /// Capabilities shown by its operations.
    pub caps: BTreeMap<Capability, Seen>,
    /// Tokens minted, with the first row.
    pub minted: BTreeMap<Minted, Seen>,
    /// A row refused for a spend limit or quota.
    pub quota: Option<RawRef>,
}

/// Every key's use, in key order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Used {
    pub keys: Vec<KeyUse>,
}

impl Used {
    /// The key shown as `label`.
    pub fn get(&self, label: &str) -> Option<&KeyUse> {
        self.keys.iter().find(|k| k.label == label)
    }
}

/// What each operation seen shows a key can do, and mint, by the operation's id in `names`.
#[derive(Debug, Clone, Default)]
struct OpCaps {
    names: StrSet,
    caps: Vec<(Vec<Capability>, Option<Minted>)>,
}

impl OpCaps {
    /// What `op` shows a key can do, and mint.
    fn of(&mut self, op: &str) -> &(Vec<Capability>, Option<Minted>) {
        let (id, new) = self.names.insert(op);
        if new {
            self.caps.push((
                capability::of_operation(op),
                capability::minted_of_operation(op),
            ));
        }
        &self.caps[id as usize]
    }
}

fn add(set: &mut BTreeSet<String>, v: Option<&str>) {
    if let Some(v) = v.filter(|v| !crate::evidence::formats::is_blank(v)) {
        if set.len() < CAP && !set.contains(v) {
            set.insert(v.to_string());
        }
    }
}

/// What the usage events show, gathered one event at a time as they are read (the events are
/// never all held).
#[derive(Debug, Clone, Default)]
pub struct Usage {
    /// The keys' raw names, numbered as in `keys`.
    index: StrSet,
    keys: Vec<KeyUse>,
    op_caps: OpCaps,
}

impl Usage {
    /// Takes one event.
    pub fn push(&mut self, e: &UsageEvent) {
        let raw = crate::detect::key_of(e);
        let i = self.key_index(&raw, &e.provider, || e.raw_ref.clone());
        let keys = &mut self.keys;
        let k = &mut keys[i];
        k.rows += 1;
        add(&mut k.files, Some(&e.raw_ref.file));
        add(&mut k.projects, e.project.as_deref());
        add(&mut k.models, e.model.as_deref());
        if k.quota.is_none() && crate::detect::is_quota_error(e.error_code.as_deref()) {
            k.quota = Some(e.raw_ref.clone());
        }
        // A refused call shows what was tried, not what the key can do.
        if e.is_error() {
            return;
        }
        let Some(op) = e.operation.as_deref() else {
            return;
        };
        let (caps, minted) = self.op_caps.of(op);
        let k = &mut self.keys[i];
        for c in caps.iter() {
            k.caps
                .entry(*c)
                .and_modify(|s| s.add(op))
                .or_insert_with(|| Seen::new(&e.raw_ref, op));
        }
        if let Some(m) = minted {
            k.minted
                .entry(*m)
                .and_modify(|s| s.add(op))
                .or_insert_with(|| Seen::new(&e.raw_ref, op));
        }
    }

    /// The index of the key `raw` in [`Usage::keys`], added (of `provider`, first seen at
    /// `first`) when new.
    fn key_index(&mut self, raw: &str, provider: &str, first: impl FnOnce() -> RawRef) -> usize {
        let (i, new) = self.index.insert(raw);
        if !new {
            return i as usize;
        }
        self.keys.push(KeyUse {
            label: crate::detect::key_display(raw),
            provider: provider.to_string(),
            rows: 0,
            first: first(),
            files: BTreeSet::new(),
            projects: BTreeSet::new(),
            models: BTreeSet::new(),
            caps: BTreeMap::new(),
            minted: BTreeMap::new(),
            quota: None,
        });
        self.keys.len() - 1
    }

    /// Takes the events of one file made ready on the thread that read it
    /// ([`crate::detect::Part`]), all but those at `dropped` (ascending), as [`Usage::push`] of
    /// each in turn would.
    pub fn take(&mut self, part: &crate::detect::Part, dropped: &[u32]) {
        let part = &part.0;
        // The part's keys and operations, looked up once each.
        let mut index = vec![usize::MAX; part.keys()];
        let mut ops: Vec<Option<(Vec<Capability>, Option<Minted>)>> = vec![None; part.ops()];
        // The key and values added last: adding the same values to the same key changes nothing.
        let mut last = None;
        for r in part.kept(dropped) {
            let i = match index[r.key as usize] {
                usize::MAX => {
                    let i = self.key_index(r.key_name, r.provider, || r.raw_ref());
                    index[r.key as usize] = i;
                    i
                }
                i => i,
            };
            let k = &mut self.keys[i];
            k.rows += 1;
            if last != Some((i, r.file, r.project, r.model)) {
                add(&mut k.files, Some(r.file_name));
                add(&mut k.projects, r.project_name);
                add(&mut k.models, r.model_name);
                last = Some((i, r.file, r.project, r.model));
            }
            if k.quota.is_none() && r.quota {
                k.quota = Some(r.raw_ref());
            }
            // A refused call shows what was tried, not what the key can do.
            if r.error {
                continue;
            }
            let Some(op) = r.op_name else {
                continue;
            };
            let slot = &mut ops[r.op as usize];
            if slot.is_none() {
                *slot = Some(self.op_caps.of(op).clone());
            }
            let Some((caps, minted)) = slot.as_ref() else {
                continue;
            };
            let k = &mut self.keys[i];
            for c in caps {
                k.caps
                    .entry(*c)
                    .and_modify(|s| s.add(op))
                    .or_insert_with(|| Seen::new(&r.raw_ref(), op));
            }
            if let Some(m) = minted {
                k.minted
                    .entry(*m)
                    .and_modify(|s| s.add(op))
                    .or_insert_with(|| Seen::new(&r.raw_ref(), op));
            }
        }
    }

    /// Every key's use, in key order.
    pub(crate) fn used(&self) -> Used {
        let mut keys = self.keys.clone();
        keys.sort_by(|a, b| a.label.cmp(&b.label));
        Used { keys }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::synth::Rng;
    use crate::evidence::Part as _;
    use chrono::{TimeZone, Utc};

    /// Events over every field the key's use reads, blank and odd values included.
    fn events(rng: &mut Rng, n: usize) -> Vec<UsageEvent> {
        let base = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let ops = [
            "InvokeModel",
            "CreateAccessKey",
            "CreateUser",
            "PutObject",
            "",
            " ",
            "api_key.created",
            "chat.completions",
        ];
        (0..n)
            .map(|i| {
                let mut e = UsageEvent::new(
                    base + chrono::Duration::seconds(i as i64),
                    ["openai", "aws_bedrock", "aws"][rng.below(3) as usize],
                    "test",
                    RawRef {
                        file: format!("f{}.json", rng.below(4)),
                        line: (rng.below(3) > 0).then_some(i as u64 + 1),
                        record: (rng.below(2) == 0).then_some(i as u64),
                    },
                );
                match rng.below(4) {
                    0 => e.principal = Some(format!("user{}@example.com", rng.below(3))),
                    1 => e.key_hint = Some("sk-...abcd".into()),
                    2 => {}
                    _ => e.key_id = Some(format!("AKIAEXAMPLE00000000{}", rng.below(3))),
                }
                e.ts_unknown = rng.below(15) == 0;
                e.project = [None, Some(" "), Some("p1"), Some("p2")][rng.below(4) as usize]
                    .map(String::from);
                e.model = (rng.below(3) > 0).then(|| format!("m{}", rng.below(12)));
                e.operation = (rng.below(6) > 0).then(|| ops[rng.below(8) as usize].into());
                e.error_code = match rng.below(8) {
                    0 => Some("insufficient_quota".into()),
                    1 => Some("AccessDenied".into()),
                    _ => None,
                };
                e
            })
            .collect()
    }

    /// A file's events taken as the part its reading thread made, the merge's dropped events
    /// named, leave each key's use as pushing the kept events in turn does (first rows,
    /// capped sets, quota rows and capabilities included), mixed with files pushed in turn.
    #[test]
    fn parts_taken_in_turn_give_the_use_of_events_pushed_in_turn() {
        let mut rng = Rng::new(5);
        let (mut capped, mut no_quota_minted) = (false, true);
        for round in 0..30 {
            let events = events(&mut rng, 50 + 20 * round);
            let (mut one, mut many) = (Usage::default(), Usage::default());
            let rows = crate::detect::Rows::merged(&Default::default());
            let mut at = 0;
            while at < events.len() {
                let file = &events[at..(at + 1 + rng.below(30) as usize).min(events.len())];
                at += file.len();
                let dropped: Vec<u32> = (0..file.len() as u32)
                    .filter(|_| rng.below(5) == 0)
                    .collect();
                let kept = || {
                    file.iter()
                        .enumerate()
                        .filter(|(i, _)| !dropped.contains(&(*i as u32)))
                        .map(|(_, e)| e)
                };
                kept().for_each(|e| one.push(e));
                if rng.below(4) == 0 {
                    kept().for_each(|e| many.push(e));
                } else {
                    let mut part = rows.part();
                    file.iter().for_each(|e| part.push(e.clone()));
                    many.take(&part, &dropped);
                }
            }
            let (one, many) = (one.used(), many.used());
            assert!(one.keys.len() > 3);
            no_quota_minted &= !one
                .keys
                .iter()
                .any(|k| k.quota.is_some() && !k.minted.is_empty());
            capped |= one.keys.iter().any(|k| k.models.len() == CAP);
            assert_eq!(
                format!("{:?}", one.keys),
                format!("{:?}", many.keys),
                "round {round}"
            );
        }
        // What is compared holds what the test means to compare.
        assert!(capped && !no_quota_minted);
    }
}
