//! Known-key search: the responder pastes the leaked key (or a prefix and its last 4, or a key
//! id) and every evidence text is searched for it and for near variants.
//!
//! The pasted value lives in memory only: [`KnownKey`]'s `Debug` and `Serialize` show the
//! redacted form, and the report holds only redacted forms and fingerprints.

use crate::secret::{redact, Secret};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// What the responder knows of the leaked key.
#[derive(Clone, PartialEq, Eq)]
pub struct KnownKey {
    raw: Secret,
    form: Form,
}

#[derive(Clone, PartialEq, Eq)]
enum Form {
    /// The whole key.
    Full,
    /// A prefix and the last characters (`sk-proj-ab…wxyz`, `sk-proj-ab...wxyz`).
    PrefixSuffix { prefix: String, suffix: String },
}

impl KnownKey {
    /// Reads a pasted value: `PREFIX…LAST4` / `PREFIX...LAST4` is a partial key, anything else
    /// (a whole key or a console key id) is searched as given. Whitespace and quotes are trimmed.
    pub fn parse(pasted: &str) -> Option<KnownKey> {
        let v = pasted.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        if v.len() < 4 {
            return None;
        }
        for sep in ["…", "...", "*"] {
            if let Some((p, s)) = v.split_once(sep) {
                let s = s.trim_start_matches(['.', '*', '…']);
                if !p.is_empty() && !s.is_empty() {
                    return Some(KnownKey {
                        raw: Secret::new(v),
                        form: Form::PrefixSuffix {
                            prefix: p.to_string(),
                            suffix: s.to_string(),
                        },
                    });
                }
            }
        }
        Some(KnownKey {
            raw: Secret::new(v),
            form: Form::Full,
        })
    }

    /// The whole key's raw value, for the output gate and a focused run's matching only (none
    /// for a partial key).
    pub(crate) fn whole(&self) -> Option<&str> {
        matches!(self.form, Form::Full).then(|| self.raw.expose())
    }

    /// The redacted form, safe to show.
    pub fn redacted(&self) -> String {
        match &self.form {
            Form::Full => self.raw.redacted(),
            Form::PrefixSuffix { prefix, suffix } => {
                format!("{}…{}", redact_prefix(prefix), suffix)
            }
        }
    }

    /// The fingerprint of a whole pasted key (none for a partial one).
    pub fn fingerprint(&self, key: &crate::secret::FingerprintKey) -> Option<String> {
        matches!(self.form, Form::Full).then(|| self.raw.fingerprint(key))
    }

    /// Whether a found value is this key (whole key: equal; partial: same prefix and suffix).
    pub fn matches(&self, value: &str) -> bool {
        match &self.form {
            Form::Full => value == self.raw.expose(),
            Form::PrefixSuffix { prefix, suffix } => {
                value.len() >= prefix.len() + suffix.len()
                    && value.starts_with(prefix.as_str())
                    && value.ends_with(suffix.as_str())
            }
        }
    }

    /// Whether the pasted key starts with `p` (to classify it without showing it).
    pub fn has_prefix(&self, p: &str) -> bool {
        match &self.form {
            Form::Full => self.raw.expose().starts_with(p),
            Form::PrefixSuffix { prefix, .. } => prefix.starts_with(p),
        }
    }

    /// Whether a key as a usage export shows it (`prefix...last4`, `prefix…last4`, or a key id)
    /// can be this key.
    pub fn could_be(&self, shown: &str) -> bool {
        let (p, s) = ["...", "…"]
            .iter()
            .find_map(|sep| shown.split_once(sep))
            .unwrap_or((shown, ""));
        match &self.form {
            Form::Full if s.is_empty() => self.raw.expose() == shown,
            Form::Full => {
                !p.is_empty() && self.raw.expose().starts_with(p) && self.raw.expose().ends_with(s)
            }
            Form::PrefixSuffix { prefix, suffix } => {
                !p.is_empty()
                    && !s.is_empty()
                    && (prefix.starts_with(p) || p.starts_with(prefix.as_str()))
                    && (suffix.ends_with(s) || s.ends_with(suffix.as_str()))
            }
        }
    }

    /// `full` or `prefix_and_suffix`.
    pub fn form(&self) -> &'static str {
        match self.form {
            Form::Full => "full",
            Form::PrefixSuffix { .. } => "prefix_and_suffix",
        }
    }
}

/// A partial key's prefix as shown: the format's public prefix only.
fn redact_prefix(p: &str) -> String {
    crate::secret::public_prefix(p).to_string()
}

impl fmt::Debug for KnownKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KnownKey({})", self.redacted())
    }
}

impl Serialize for KnownKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.redacted())
    }
}

impl<'de> Deserialize<'de> for KnownKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        KnownKey::parse(&s).ok_or_else(|| serde::de::Error::custom("known key too short"))
    }
}

/// How an occurrence relates to the known key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// The exact key.
    Exact,
    /// The key percent-encoded.
    PercentEncoded,
    /// The same length with one character changed.
    OneCharChanged,
    /// A prefix of the key, cut short.
    Truncated,
    /// Prefix and last characters match a partial key.
    PrefixAndSuffix,
}

/// One place the known key (or a variant) was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnownKeyHit {
    /// The evidence file.
    pub evidence: String,
    /// 1-based line in the evidence file.
    pub line: u64,
    /// 1-based byte column.
    pub column: u64,
    /// How it matched.
    pub variant: Variant,
    /// The found value, redacted.
    pub found: String,
    /// The found value's keyed fingerprint.
    pub fingerprint: String,
}

/// The search results for one known key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnownKeyReport {
    /// The key, redacted.
    pub key: String,
    /// `full` or `prefix_and_suffix`.
    pub form: String,
    /// Hits found in all.
    pub hit_count: u64,
    /// The first hits (capped).
    pub hits: Vec<KnownKeyHit>,
}

/// Hits kept per known key.
pub const MAX_HITS: usize = 1000;

impl KnownKeyReport {
    /// A report for `key` with no hits yet.
    pub fn of(key: &KnownKey) -> KnownKeyReport {
        KnownKeyReport {
            key: key.redacted(),
            form: key.form().into(),
            hit_count: 0,
            hits: Vec::new(),
        }
    }

    /// Adds the hits of a later search (another file) for the same key: counted in all, kept
    /// up to [`MAX_HITS`], as one search over both would have.
    pub fn append(&mut self, later: KnownKeyReport) {
        self.hit_count += later.hit_count;
        let room = MAX_HITS.saturating_sub(self.hits.len());
        self.hits.extend(later.hits.into_iter().take(room));
    }
}

fn key_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'+' || c == b'/'
}

/// Searches one text for a known key; appends hits (capped) and counts all.
pub fn search(
    key: &KnownKey,
    evidence: &str,
    text: &[u8],
    fingerprint_key: &crate::secret::FingerprintKey,
    report: &mut KnownKeyReport,
) {
    let push = |start: usize, end: usize, variant: Variant, report: &mut KnownKeyReport| {
        report.hit_count += 1;
        if report.hits.len() < MAX_HITS {
            let found = String::from_utf8_lossy(&text[start..end]).into_owned();
            let line = 1 + memchr::memchr_iter(b'\n', &text[..start]).count() as u64;
            let col = start
                - memchr::memrchr(b'\n', &text[..start])
                    .map(|i| i + 1)
                    .unwrap_or(0)
                + 1;
            report.hits.push(KnownKeyHit {
                evidence: evidence.to_string(),
                line,
                column: col as u64,
                variant,
                fingerprint: Secret::new(found.as_str()).fingerprint(fingerprint_key),
                found: redact(&found),
            });
        }
    };
    match &key.form {
        Form::PrefixSuffix { prefix, suffix } => {
            for s in memchr::memmem::find_iter(text, prefix.as_bytes()) {
                let mut e = s + prefix.len();
                while e < text.len() && key_char(text[e]) {
                    e += 1;
                }
                if text[s..e].ends_with(suffix.as_bytes()) && e - s >= prefix.len() + suffix.len() {
                    push(s, e, Variant::PrefixAndSuffix, report);
                }
            }
        }
        Form::Full => {
            let k = key.raw.expose().as_bytes();
            let n = k.len();
            let mut seen: Vec<usize> = Vec::new();
            for s in memchr::memmem::find_iter(text, k) {
                seen.push(s);
                push(s, s + n, Variant::Exact, report);
            }
            let enc = percent_encode(k);
            if enc.as_slice() != k {
                for s in memchr::memmem::find_iter(text, &enc) {
                    push(s, s + enc.len(), Variant::PercentEncoded, report);
                }
            }
            if n < 16 {
                return;
            }
            // Near variants: one half is intact. Anchor on both halves, verify around them.
            let half = n / 2;
            let mut cands: Vec<usize> = memchr::memmem::find_iter(text, &k[..half]).collect();
            cands.extend(
                memchr::memmem::find_iter(text, &k[half..]).filter_map(|p| p.checked_sub(half)),
            );
            cands.sort_unstable();
            cands.dedup();
            for s in cands {
                if seen.binary_search(&s).is_ok() {
                    continue;
                }
                let e = (s + n).min(text.len());
                let cand = &text[s..e];
                let run_end = {
                    let mut j = s;
                    while j < text.len() && key_char(text[j]) {
                        j += 1;
                    }
                    j
                };
                let starts_clean = s == 0 || !key_char(text[s - 1]);
                if cand.len() == n && run_end == e && starts_clean {
                    let diff = cand.iter().zip(k).filter(|(a, b)| a != b).count();
                    if diff == 1 {
                        push(s, e, Variant::OneCharChanged, report);
                        continue;
                    }
                }
                let common = text[s..run_end]
                    .iter()
                    .zip(k)
                    .take_while(|(a, b)| a == b)
                    .count();
                if starts_clean && common == run_end - s && common < n && common >= (n / 2).max(12)
                {
                    push(s, run_end, Variant::Truncated, report);
                }
            }
        }
    }
}

fn percent_encode(k: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(k.len());
    for &c in k {
        if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.' || c == b'~' {
            out.push(c);
        } else {
            out.extend_from_slice(format!("%{c:02X}").as_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> String {
        format!("sk-ant-api03-{}AA", "Qz7xK2mP9vL4".repeat(8))
    }

    fn run(k: &KnownKey, text: &str) -> KnownKeyReport {
        let mut r = KnownKeyReport {
            key: k.redacted(),
            form: k.form().into(),
            hit_count: 0,
            hits: vec![],
        };
        search(k, "ev.txt", text.as_bytes(), &Default::default(), &mut r);
        r
    }

    #[test]
    fn exact_quoted_url_changed_and_truncated() {
        let raw = key();
        let k = KnownKey::parse(&raw).unwrap();
        let mut changed = raw.clone().into_bytes();
        changed[30] = if changed[30] == b'a' { b'b' } else { b'a' };
        let changed = String::from_utf8(changed).unwrap();
        let cut = &raw[..60];
        let text = format!("a=\"{raw}\"\nhttps://x/?k={raw}&z=1\nb={changed}\nc={cut}\n");
        let r = run(&k, &text);
        let v: Vec<Variant> = r.hits.iter().map(|h| h.variant).collect();
        assert_eq!(
            v,
            [
                Variant::Exact,
                Variant::Exact,
                Variant::OneCharChanged,
                Variant::Truncated
            ],
            "{r:?}"
        );
        assert_eq!(r.hits[2].line, 3);
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains(&raw) && !json.contains(&changed));
        assert!(!format!("{k:?}").contains(&raw));
        assert!(!serde_json::to_string(&k).unwrap().contains(&raw));
    }

    #[test]
    fn prefix_and_last_four() {
        let raw = key();
        let k = KnownKey::parse(&format!("sk-ant-api03-Qz…{}", &raw[raw.len() - 4..])).unwrap();
        assert_eq!(k.form(), "prefix_and_suffix");
        let r = run(&k, &format!("x {raw} y"));
        assert_eq!(r.hit_count, 1);
        assert_eq!(r.hits[0].variant, Variant::PrefixAndSuffix);
    }
}
