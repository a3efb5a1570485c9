//! gitleaks allowlists and a user rule's path condition: the engine tests the content criteria
//! (regexes, stop words), the scanner the place criteria (paths, commits).

use regex::bytes::Regex;

/// Which text an allowlist's regexes are tested against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The secret (the default).
    Secret,
    /// The rule's whole match.
    Match,
    /// The line holding the secret.
    Line,
}

/// A gitleaks allowlist: a finding it matches is dropped.
#[derive(Debug, Clone)]
pub struct Allowlist {
    /// `condition = "AND"`: every criterion given must hold (else any one).
    pub all: bool,
    /// Commit ids (a prefix of at least 7 characters matches).
    pub commits: Vec<String>,
    /// Path regexes.
    pub paths: Vec<Regex>,
    /// What `regexes` are tested against.
    pub target: Target,
    /// Content regexes.
    pub regexes: Vec<Regex>,
    /// Lower-case words; a secret holding one is allowed.
    pub stopwords: Vec<String>,
}

/// The result of an allowlist's content criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The finding is allowed (dropped).
    Allowed,
    /// Allowed if the path or commit criteria hold: the scanner decides.
    IfPlace,
    /// This allowlist does not allow it.
    No,
}

impl Allowlist {
    fn has_place(&self) -> bool {
        !self.commits.is_empty() || !self.paths.is_empty()
    }

    /// Tests the content criteria (regexes, stop words); the place criteria need the path and
    /// the commit, which only the scanner knows.
    pub fn content(&self, secret: &[u8], whole: &[u8], line: &[u8]) -> Verdict {
        let target = match self.target {
            Target::Secret => secret,
            Target::Match => whole,
            Target::Line => line,
        };
        let regex = self.regexes.iter().any(|r| r.is_match(target));
        let lower = String::from_utf8_lossy(secret).to_ascii_lowercase();
        let stop = self.stopwords.iter().any(|w| lower.contains(w.as_str()));
        if self.all {
            let content_ok =
                (self.regexes.is_empty() || regex) && (self.stopwords.is_empty() || stop);
            match (content_ok, self.has_place()) {
                (false, _) => Verdict::No,
                (true, true) => Verdict::IfPlace,
                (true, false) if self.regexes.is_empty() && self.stopwords.is_empty() => {
                    Verdict::No
                }
                (true, false) => Verdict::Allowed,
            }
        } else if regex || stop {
            Verdict::Allowed
        } else if self.has_place() {
            Verdict::IfPlace
        } else {
            Verdict::No
        }
    }

    /// Tests the place criteria: the path (inside a patch, else the evidence file) and commit.
    pub fn place(&self, path: &str, commit: Option<&str>) -> bool {
        let commit_ok = commit.is_some_and(|c| {
            self.commits.iter().any(|a| {
                a.len().min(c.len()) >= 7 && (c.starts_with(a.as_str()) || a.starts_with(c))
            })
        });
        let path_ok = self.paths.iter().any(|p| p.is_match(path.as_bytes()));
        if self.all {
            (self.commits.is_empty() || commit_ok) && (self.paths.is_empty() || path_ok)
        } else {
            commit_ok || path_ok
        }
    }
}

/// A user rule's conditions beyond its regex.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The rule applies only to paths matching this (gitleaks `path`).
    pub path: Option<Regex>,
    /// Findings these allow are dropped.
    pub allowlists: Vec<Allowlist>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::user_rules::compile;

    fn list(all: bool) -> Allowlist {
        Allowlist {
            all,
            commits: vec!["0123456789".into()],
            paths: vec![compile("^test/").unwrap()],
            target: Target::Line,
            regexes: vec![compile("(?i)example").unwrap()],
            stopwords: vec!["staging".into()],
        }
    }

    #[test]
    fn any_criterion_allows_by_default() {
        let or = list(false);
        assert_eq!(or.content(b"k", b"k=v", b"# Example: k"), Verdict::Allowed);
        assert_eq!(or.content(b"k_staging_1", b"", b""), Verdict::Allowed);
        assert_eq!(or.content(b"k", b"", b"real"), Verdict::IfPlace);
        assert!(or.place("test/x", None));
        assert!(or.place("src/x", Some("0123456789abcdef")));
        assert!(!or.place("src/x", Some("fedcba9876543210")));
    }

    #[test]
    fn and_needs_every_criterion_given() {
        let and = list(true);
        assert_eq!(and.content(b"k_staging", b"", b"example"), Verdict::IfPlace);
        assert_eq!(and.content(b"k", b"", b"example"), Verdict::No);
        assert!(and.place("test/x", Some("0123456789")));
        assert!(
            and.place("test/x", Some("0123456")),
            "an abbreviated id of the commit"
        );
        assert!(!and.place("test/x", Some("012345")), "too short to tell");
        assert!(!and.place("test/x", Some("0123999")));
    }
}
