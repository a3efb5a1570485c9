//! What the usage evidence shows each key did: the capabilities its operations reveal (rule
//! `cap.operation`), tokens it minted, spend-limit errors, the files and projects it appears in.

use super::capability::{self, Capability};
use super::Minted;
use crate::evidence::event::{RawRef, UsageEvent};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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

/// Error codes and messages that mean a spend limit or quota refused the call.
const QUOTA: &[&str] = &[
    "insufficient_quota",
    "billing_hard_limit",
    "spend_limit",
    "budget",
    "credit balance",
];

fn add(set: &mut BTreeSet<String>, v: Option<&str>) {
    if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
        if set.len() < CAP && !set.contains(v) {
            set.insert(v.to_string());
        }
    }
}

/// What the usage events show, gathered one event at a time as they are read (the events are
/// never all held).
#[derive(Debug, Clone, Default)]
pub struct Usage {
    index: HashMap<String, usize>,
    keys: Vec<KeyUse>,
    op_caps: HashMap<String, (Vec<Capability>, Option<Minted>)>,
}

impl Usage {
    /// Takes one event.
    pub fn push(&mut self, e: &UsageEvent) {
        let raw = crate::detect::key_of(e);
        let raw: &str = &raw;
        let keys = &mut self.keys;
        let i = match self.index.get(raw) {
            Some(&i) => i,
            None => {
                keys.push(KeyUse {
                    label: crate::detect::key_display(raw),
                    provider: e.provider.clone(),
                    rows: 0,
                    first: e.raw_ref.clone(),
                    files: BTreeSet::new(),
                    projects: BTreeSet::new(),
                    models: BTreeSet::new(),
                    caps: BTreeMap::new(),
                    minted: BTreeMap::new(),
                    quota: None,
                });
                self.index.insert(raw.to_string(), keys.len() - 1);
                keys.len() - 1
            }
        };
        let k = &mut keys[i];
        k.rows += 1;
        add(&mut k.files, Some(&e.raw_ref.file));
        add(&mut k.projects, e.project.as_deref());
        add(&mut k.models, e.model.as_deref());
        if k.quota.is_none() {
            let code = e.error_code.as_deref().unwrap_or("").to_ascii_lowercase();
            if QUOTA.iter().any(|q| code.contains(q)) {
                k.quota = Some(e.raw_ref.clone());
            }
        }
        // A refused call shows what was tried, not what the key can do.
        if e.is_error() {
            return;
        }
        let Some(op) = e.operation.as_deref() else {
            return;
        };
        if !self.op_caps.contains_key(op) {
            self.op_caps.insert(
                op.to_string(),
                (
                    capability::of_operation(op),
                    capability::minted_of_operation(op),
                ),
            );
        }
        let (caps, minted) = &self.op_caps[op];
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

    /// Every key's use, in key order.
    pub(crate) fn used(&self) -> Used {
        let mut keys = self.keys.clone();
        keys.sort_by(|a, b| a.label.cmp(&b.label));
        Used { keys }
    }
}
