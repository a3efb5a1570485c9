//! Chain of custody: how the evidence analysed now compares with the evidence a saved session
//! lists. The session stage makes it (it reads the session file); the report only carries and
//! shows it, so this module knows nothing of sessions.

use serde::{Deserialize, Serialize};

/// One evidence file's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRef {
    /// Name as given.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
}

impl EvidenceRef {
    /// The fingerprint of one inventory row.
    pub fn of(e: &crate::evidence::EvidenceFile) -> Self {
        EvidenceRef {
            name: e.name.clone(),
            size: e.size,
            sha256: e.sha256.clone(),
        }
    }
}

/// A file given under the name of a session's file, with other content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Differing {
    /// The file as the session lists it.
    pub expected: EvidenceRef,
    /// The file given now.
    pub got: EvidenceRef,
}

/// How the evidence given now compares with a session's list (`report.custody`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EvidenceCheck {
    /// True when every file of the session is there with the same content.
    pub intact: bool,
    /// Files the session lists.
    pub expected: usize,
    /// Files of the session found with the same content (by SHA-256, whatever their name).
    pub matched: usize,
    /// Files of the session not given again.
    pub missing: Vec<EvidenceRef>,
    /// Files given under a session file's name whose content differs.
    pub different: Vec<Differing>,
    /// Files given that the session does not list.
    pub extra: Vec<EvidenceRef>,
}

impl EvidenceCheck {
    /// True when every file of the session is there with the same content.
    pub fn complete(&self) -> bool {
        self.missing.is_empty() && self.different.is_empty()
    }

    /// The summary's line when the evidence does not match the session, else `None`.
    pub fn sentence(&self) -> Option<String> {
        if self.complete() {
            return None;
        }
        let mut parts: Vec<String> = self
            .different
            .iter()
            .map(|d| {
                format!(
                    "{} differs (SHA-256 {} now, {} in the session)",
                    d.expected.name, d.got.sha256, d.expected.sha256
                )
            })
            .collect();
        parts.extend(
            self.missing
                .iter()
                .map(|m| format!("{} was not given (SHA-256 {})", m.name, m.sha256)),
        );
        Some(format!(
            "Evidence differs from the session: {} of {} file(s) match; {}.",
            self.matched,
            self.expected,
            parts.join("; ")
        ))
    }
}

impl EvidenceCheck {
    /// The evidence section's lines: the verdict, then each file missing, differing or extra.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![if self.intact {
            format!(
                "Chain of custody: all {} file(s) of the session match by SHA-256.",
                self.expected
            )
        } else {
            format!(
                "Chain of custody broken: {} of {} file(s) of the session match by SHA-256.",
                self.matched, self.expected
            )
        }];
        for d in &self.different {
            out.push(format!(
                "{} differs: SHA-256 {} ({} bytes) now, {} ({} bytes) in the session",
                d.expected.name, d.got.sha256, d.got.size, d.expected.sha256, d.expected.size
            ));
        }
        for m in &self.missing {
            out.push(format!(
                "{} was not given: SHA-256 {} ({} bytes) in the session",
                m.name, m.sha256, m.size
            ));
        }
        for x in &self.extra {
            out.push(format!(
                "{} is not in the session: SHA-256 {} ({} bytes)",
                x.name, x.sha256, x.size
            ));
        }
        out
    }
}

/// Compares an expected evidence list with the files given: by SHA-256 first (a renamed copy
/// is the same evidence), then by name (the same name with other content is "different").
pub fn check(expected: &[EvidenceRef], given: &[EvidenceRef]) -> EvidenceCheck {
    let mut used = vec![false; given.len()];
    let mut out = EvidenceCheck {
        expected: expected.len(),
        ..EvidenceCheck::default()
    };
    let mut unmatched = Vec::new();
    for e in expected {
        match (0..given.len()).find(|&i| !used[i] && given[i].sha256 == e.sha256) {
            Some(i) => {
                used[i] = true;
                out.matched += 1;
            }
            None => unmatched.push(e),
        }
    }
    for e in unmatched {
        match (0..given.len()).find(|&i| !used[i] && given[i].name == e.name) {
            Some(i) => {
                used[i] = true;
                out.different.push(Differing {
                    expected: e.clone(),
                    got: given[i].clone(),
                });
            }
            None => out.missing.push(e.clone()),
        }
    }
    out.extra = given
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(g, _)| g.clone())
        .collect();
    out.intact = out.complete();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(name: &str, sha: &str) -> EvidenceRef {
        EvidenceRef {
            name: name.into(),
            size: 1,
            sha256: sha.into(),
        }
    }

    #[test]
    fn the_check_names_missing_different_and_extra_files() {
        let expected = [r("a", "1"), r("b", "2"), r("c", "3")];
        let given = [r("renamed-a", "1"), r("b", "9"), r("d", "4")];
        let c = check(&expected, &given);
        assert_eq!((c.expected, c.matched), (3, 1));
        assert_eq!(c.missing, vec![r("c", "3")]);
        assert_eq!(
            c.different,
            vec![Differing {
                expected: r("b", "2"),
                got: r("b", "9")
            }]
        );
        assert_eq!(c.extra, vec![r("d", "4")]);
        assert!(!c.complete() && !c.intact);
        let s = c.sentence().unwrap();
        assert!(s.starts_with("Evidence differs from the session: 1 of 3 file(s) match; b differs (SHA-256 9 now, 2 in the session); c was not given (SHA-256 3)."), "{s}");
        let same = check(&expected, &expected);
        assert!(same.complete() && same.intact && same.sentence().is_none());
    }

    #[test]
    fn files_are_matched_by_fingerprint_before_name() {
        // Two files swapped names: both match by content, nothing differs.
        let expected = [r("a", "1"), r("b", "2")];
        let given = [r("a", "2"), r("b", "1")];
        let c = check(&expected, &given);
        assert!(c.intact, "{c:?}");
        assert_eq!(c.matched, 2);
        // A renamed copy counts as found; the old name with new content is extra, not a match.
        let c = check(&[r("a", "1")], &[r("a", "9"), r("copy", "1")]);
        assert!(c.intact);
        assert_eq!(c.extra, vec![r("a", "9")]);
    }
}
