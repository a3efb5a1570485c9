//! Grouping: occurrences collected per fingerprint into one [`SecretFinding`] each, with the
//! first commit that added it, the last that removed it, and whether it is still present; an
//! identifier found beside its secret joins it ([`super::pair`]).

use super::finding::{Occurrence, SecretFinding};
use super::history::Change;
use super::rules::{self, Confidence, Rule};
use super::structure::Structure;
use crate::secret::{Secret, ValueKind};
use std::collections::{BTreeSet, HashMap};

/// Distinct secrets kept in full; more are counted only.
pub const MAX_SECRETS: usize = 10_000;
/// Occurrences kept per secret; more are counted only.
pub const MAX_OCCURRENCES: usize = 100;

/// A commit's place in history: (commit date or author date, position), comparable.
pub(super) type Key = (i64, i64);

/// How a finding is described: from the rule that found it, or from an importer.
#[derive(Debug, Clone)]
pub(super) struct Meta {
    pub rule_id: String,
    pub provider: String,
    pub title: String,
    pub kind: rules::Kind,
    pub can_do: String,
    pub revoke: String,
    pub confidence: Confidence,
    pub context_only: bool,
    pub priority: u8,
    /// The responder's rules file the rule came from.
    pub rules_file: Option<String>,
}

impl Meta {
    /// A rule's description.
    pub fn of(r: &Rule) -> Meta {
        Meta {
            rule_id: r.id.into(),
            provider: r.provider.into(),
            title: r.title.into(),
            kind: r.kind,
            can_do: r.can_do.into(),
            revoke: r.revoke.into(),
            confidence: r.confidence,
            context_only: r.context_only,
            priority: r.priority,
            rules_file: (!r.origin.is_empty()).then(|| r.origin.to_string()),
        }
    }

    /// The description of a finding another scanner reported and no rule of ours matched.
    pub fn imported(tool: &str, rule: &str) -> Meta {
        Meta {
            rule_id: format!("{tool}:{rule}"),
            provider: "unknown".into(),
            title: format!("{rule} (reported by {tool})"),
            kind: rules::Kind::ApiKey,
            can_do: "see the importing scanner's rule".into(),
            revoke: "identify the issuing service and rotate the credential there".into(),
            confidence: Confidence::Medium,
            context_only: false,
            priority: 0,
            rules_file: None,
        }
    }
}

/// One occurrence of a value, ready to group.
pub(super) struct Sighting<'a> {
    /// SHA-256 of the value (or the importer's id for a redacted import).
    pub fp: String,
    /// The value, when known.
    pub value: Option<Secret>,
    /// Who found it and how it is described.
    pub meta: Meta,
    /// The structural verdict and its note.
    pub structure: Structure,
    pub note: &'a str,
    /// Where.
    pub occ: Occurrence,
    /// The commit's place in history and the change, for histories and patches.
    pub hist: Option<(Key, Change)>,
}

/// What [`Groups::add`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Added {
    /// Another occurrence of a secret already held.
    Occurrence,
    /// A new distinct secret, kept.
    NewSecret,
    /// A new distinct secret beyond [`MAX_SECRETS`]: counted only.
    NotKept,
}

struct Entry {
    finding: SecretFinding,
    first_added: Option<Key>,
    last_any: Option<Key>,
    last_removed: Option<Key>,
    paths: HashMap<String, (Key, Change)>,
    in_text: bool,
    sources: BTreeSet<String>,
    seq: u64,
    priority: u8,
    /// An occurrence on a line without `gitleaks:allow`.
    unmarked: bool,
}

/// The findings of one run, by fingerprint.
#[derive(Default)]
pub(super) struct Groups {
    entries: HashMap<String, Entry>,
    seq: u64,
}

impl Groups {
    /// Adds one occurrence; `known` tells (when first asked) whether the value is a known key.
    pub fn add(&mut self, s: Sighting, known: impl FnOnce(&Sighting) -> bool) -> Added {
        let mut added = Added::Occurrence;
        if !self.entries.contains_key(&s.fp) {
            if self.entries.len() >= MAX_SECRETS {
                return Added::NotKept;
            }
            added = Added::NewSecret;
            self.seq += 1;
            let matches_known_key = known(&s);
            let finding = new_finding(&s, matches_known_key);
            self.entries.insert(
                s.fp.clone(),
                Entry {
                    finding,
                    first_added: None,
                    last_any: None,
                    last_removed: None,
                    paths: HashMap::new(),
                    in_text: false,
                    sources: BTreeSet::new(),
                    seq: self.seq,
                    priority: s.meta.priority,
                    unmarked: false,
                },
            );
        }
        let Some(e) = self.entries.get_mut(&s.fp) else {
            return added;
        };
        let Sighting {
            meta,
            structure,
            note,
            occ,
            hist,
            ..
        } = s;
        // The same value found by a more specific rule elsewhere takes that rule's description;
        // a value a rule finds as a secret is one, whatever found it first as a public
        // identifier (a GUID under a client id name and under an API key's).
        let (was_id, is_id) = (
            e.finding.kind.public_identifier(),
            meta.kind.public_identifier(),
        );
        if (meta.priority > e.priority && (was_id || !is_id)) || (was_id && !is_id) {
            let f = &mut e.finding;
            f.confidence = lowered(meta.confidence, structure);
            f.structure = structure;
            f.structure_label = structure.label().into();
            f.structure_note = note.into();
            f.kind_label = meta.kind.label().into();
            if let Some(v) = &f.value {
                (f.redacted, f.value_kind) = shown(v, meta.kind);
            }
            f.kind = meta.kind;
            f.rule_id = meta.rule_id;
            f.provider = meta.provider;
            f.title = meta.title;
            f.can_do = meta.can_do;
            f.revoke = meta.revoke;
            f.context_only = meta.context_only;
            f.rules_file = meta.rules_file;
            e.priority = meta.priority;
        }
        e.sources.insert(occ.source.clone());
        e.unmarked |= !occ.marked_allowed;
        e.finding.occurrence_count += 1;
        match hist {
            Some((key, change)) => {
                e.finding.in_history = true;
                if let Some(c) = &occ.commit {
                    if e.last_any.is_none_or(|k| key > k) {
                        e.last_any = Some(key);
                        e.finding.last_commit = Some(c.clone());
                    }
                    match change {
                        Change::Added if e.first_added.is_none_or(|k| key < k) => {
                            e.first_added = Some(key);
                            e.finding.introduced = Some(c.clone());
                        }
                        Change::Removed if e.last_removed.is_none_or(|k| key > k) => {
                            e.last_removed = Some(key);
                            e.finding.removed_in = Some(c.clone());
                        }
                        _ => {}
                    }
                }
                let path = occ.path.clone().unwrap_or_default();
                let slot = e.paths.entry(path).or_insert((key, change));
                if key > slot.0 || (key == slot.0 && change == Change::Added) {
                    *slot = (key, change);
                }
            }
            None => e.in_text = true,
        }
        if e.finding.occurrences.len() < MAX_OCCURRENCES {
            e.finding.occurrences.push(occ);
        }
        added
    }

    /// Decides still-present and sorts: most serious first (confidence, then valid structure,
    /// then first seen). Also says how many distinct values and occurrences were dropped as
    /// public identifiers found without their secret.
    pub fn finish(self) -> (Vec<SecretFinding>, Alone) {
        let mut entries: Vec<Entry> = self.entries.into_values().collect();
        for e in entries.iter_mut() {
            e.finding.sources = e.sources.iter().cloned().collect();
            // Found only on lines the repository marked `gitleaks:allow`: most likely the test
            // value the mark says it is, so low confidence (shown apart), but never hidden.
            if !e.unmarked {
                e.finding.marked_allowed = true;
                e.finding.confidence = Confidence::Low;
            }
            e.finding.still_present = if e.finding.in_history {
                let hist_present = e.paths.values().any(|(_, c)| *c == Change::Added);
                Some(hist_present || e.in_text)
            } else if e.in_text {
                Some(true)
            } else {
                None
            };
        }
        // An identifier and its secret found together are one credential: the identifier
        // becomes the secret's partner and is no finding of its own.
        let paired = super::pair::matches(&entries.iter().map(|e| &e.finding).collect::<Vec<_>>());
        let mut gone = vec![false; entries.len()];
        for (id, secret, rule) in paired {
            let partner = super::pair::partner(&entries[id].finding, rule);
            let known = entries[id].finding.matches_known_key;
            let f = &mut entries[secret].finding;
            super::pair::join(f, partner, rule);
            f.matches_known_key |= known;
            gone[id] = true;
        }
        // An OAuth client id without its secret is no finding: it is public by design (every
        // sign-in URL carries it, front-end code embeds it) and grants nothing alone.
        let mut alone = Alone::default();
        for (e, gone) in entries.iter().zip(gone.iter_mut()) {
            if !*gone && e.finding.kind.public_identifier() {
                *gone = true;
                alone.distinct += 1;
                alone.occurrences += e.finding.occurrence_count;
            }
        }
        let mut n = 0;
        entries.retain(|_| {
            n += 1;
            !gone[n - 1]
        });
        let rank = |s: Structure| match s {
            Structure::Valid => 0,
            Structure::NotCheckable => 1,
            Structure::Invalid => 2,
        };
        entries.sort_by(|a, b| {
            b.finding
                .confidence
                .cmp(&a.finding.confidence)
                .then(rank(a.finding.structure).cmp(&rank(b.finding.structure)))
                .then(a.seq.cmp(&b.seq))
        });
        (entries.into_iter().map(|e| e.finding).collect(), alone)
    }
}

/// Public identifiers dropped for want of their secret: distinct values, their occurrences.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Alone {
    pub distinct: u64,
    pub occurrences: u64,
}

/// How a finding's value is shown, by what it is: the one policy (`secret::redact`), but a
/// value of a public-identifier kind (an OAuth client id: a GUID or a number pair is one only
/// by the rule that found it) is an identifier, shown whole, whatever it looks like.
fn shown(v: &Secret, kind: rules::Kind) -> (String, ValueKind) {
    if kind.public_identifier() {
        return (v.expose().to_string(), ValueKind::Identifier);
    }
    (v.redacted(), crate::secret::value_kind(v.expose()))
}

fn new_finding(s: &Sighting, matches_known_key: bool) -> SecretFinding {
    let meta = &s.meta;
    // One policy (`secret::redact`): a documented identifier (an AWS access key id names its
    // key, CloudTrail writes it in every record, it does nothing without its secret half) is
    // shown whole, as the output gate and the detection show it; a secret redacted.
    let (redacted, value_kind) = s.value.as_ref().map_or_else(
        || ("[redacted by importer]".into(), ValueKind::Secret),
        |v| shown(v, meta.kind),
    );
    SecretFinding {
        matches_known_key,
        fingerprint: s.fp.clone(),
        redacted,
        value_kind,
        rule_id: meta.rule_id.clone(),
        provider: meta.provider.clone(),
        title: meta.title.clone(),
        kind: meta.kind,
        kind_label: meta.kind.label().into(),
        can_do: meta.can_do.clone(),
        revoke: meta.revoke.clone(),
        confidence: lowered(meta.confidence, s.structure),
        context_only: meta.context_only,
        structure: s.structure,
        structure_label: s.structure.label().into(),
        structure_note: s.note.into(),
        occurrence_count: 0,
        occurrences: Vec::new(),
        introduced: None,
        last_commit: None,
        removed_in: None,
        still_present: None,
        in_history: false,
        sources: Vec::new(),
        marked_allowed: false,
        rules_file: meta.rules_file.clone(),
        partner: None,
        value: s.value.clone(),
    }
}

/// A rule's confidence, one step lower when the structure is invalid.
pub(super) fn lowered(c: Confidence, structure: Structure) -> Confidence {
    match (structure, c) {
        (Structure::Invalid, Confidence::High) => Confidence::Medium,
        (Structure::Invalid, _) => Confidence::Low,
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::history::CommitInfo;

    fn commit(id: &str) -> CommitInfo {
        crate::scan::history::commit_info(id.into())
    }

    fn sighting(value: &str, rule: &str, hist: Option<(Key, Change, &str)>) -> Sighting<'static> {
        let secret = Secret::new(value);
        Sighting {
            fp: secret.fingerprint(&Default::default()),
            value: Some(secret),
            meta: Meta::of(rules::rule(rule).expect("rule")),
            structure: Structure::Valid,
            note: "",
            occ: Occurrence {
                evidence: "log".into(),
                path: hist.map(|_| "app/.env".into()),
                line: 1,
                change: hist.map(|h| h.1),
                commit: hist.map(|h| commit(h.2)),
                encoding: None,
                source: "leaktriage".into(),
                marked_allowed: false,
            },
            hist: hist.map(|h| (h.0, h.1)),
        }
    }

    #[test]
    fn history_gives_the_introducing_and_removing_commits() {
        let mut g = Groups::default();
        let v = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz";
        // Newest first, as `git log -p` prints: removed in c3, added again in c2, first in c1.
        let added = [
            g.add(
                sighting(
                    v,
                    "anthropic-api-key",
                    Some(((3, 0), Change::Removed, "c3")),
                ),
                |_| false,
            ),
            g.add(
                sighting(v, "anthropic-api-key", Some(((2, 0), Change::Added, "c2"))),
                |_| false,
            ),
            g.add(
                sighting(v, "anthropic-api-key", Some(((1, 0), Change::Added, "c1"))),
                |_| true,
            ),
        ];
        assert_eq!(
            added,
            [Added::NewSecret, Added::Occurrence, Added::Occurrence]
        );
        let f = g.finish().0.remove(0);
        assert_eq!(f.introduced.map(|c| c.id), Some("c1".into()));
        assert_eq!(f.removed_in.map(|c| c.id), Some("c3".into()));
        assert_eq!(f.last_commit.map(|c| c.id), Some("c3".into()));
        assert_eq!(f.still_present, Some(false));
        assert_eq!(f.occurrence_count, 3);
        assert!(f.in_history);
        assert!(!f.matches_known_key, "asked once, for the first occurrence");
    }

    #[test]
    fn a_more_specific_rule_describes_the_value_and_invalid_structures_lower_confidence() {
        let mut g = Groups::default();
        let v = "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP";
        g.add(sighting(v, "generic-secret-assignment", None), |_| false);
        let mut s = sighting(v, "openai-legacy-48", None);
        s.structure = Structure::Invalid;
        g.add(s, |_| false);
        let f = g.finish().0.remove(0);
        assert_eq!(f.rule_id, "openai-legacy-48");
        assert_eq!(f.confidence, Confidence::Low);
        assert_eq!(f.still_present, Some(true));
        assert_eq!(
            lowered(Confidence::High, Structure::Invalid),
            Confidence::Medium
        );
        assert_eq!(
            lowered(Confidence::High, Structure::Valid),
            Confidence::High
        );
    }

    #[test]
    fn a_value_found_as_a_secret_is_never_shown_as_a_client_id() {
        let v = "6f1c2a9e-3b7d-4e5f-9a8b-0c1d2e3f4a5b";
        for order in [
            ["azure-ad-client-id", "pinecone-legacy-key"],
            ["pinecone-legacy-key", "azure-ad-client-id"],
        ] {
            let mut g = Groups::default();
            for rule in order {
                g.add(sighting(v, rule, None), |_| false);
            }
            let (found, alone) = g.finish();
            assert_eq!(alone, Alone::default(), "{order:?}");
            let f = &found[0];
            assert_eq!(
                (f.rule_id.as_str(), f.value_kind, f.redacted.as_str()),
                ("pinecone-legacy-key", ValueKind::Secret, "…4a5b"),
                "{order:?}"
            );
        }
        // Alone, the client id is shown whole, and no finding.
        let mut g = Groups::default();
        g.add(sighting(v, "azure-ad-client-id", None), |_| false);
        let (found, alone) = g.finish();
        assert!(found.is_empty());
        assert_eq!((alone.distinct, alone.occurrences), (1, 1));
    }

    #[test]
    fn most_serious_first() {
        let mut g = Groups::default();
        g.add(
            sighting(
                "first-low-value-0123456789abcdefghij",
                "generic-secret-assignment",
                None,
            ),
            |_| false,
        );
        g.add(
            sighting(
                "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
                "github-pat",
                None,
            ),
            |_| false,
        );
        let ids: Vec<String> = g.finish().0.into_iter().map(|f| f.rule_id).collect();
        assert_eq!(ids, ["github-pat", "generic-secret-assignment"]);
    }
}
