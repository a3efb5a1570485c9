//! Focus: a run over more logs than memory holds keeps only the events of the credentials and
//! principals the responder names, and of what they went on to create, and counts the rest.
//!
//! An event is kept when its key, its actor (whole, or the user or role an AWS ARN names) or
//! one of its targets is a focused name. When a focused actor creates or changes something
//! (a user, an access key, a role, a service-account key), that thing's name is focused from
//! then on, so the attacker's own users and keys stay in the timeline. Names are compared
//! without case. Events set aside are counted, with their time span; they are not analysed,
//! and they are not checked for repeats (each is counted as read).

use super::event::UsageEvent;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashSet;

/// Names added by the run that are listed in the report (the rest are counted).
const ADDED_LISTED: usize = 100;

/// The focus of one run, filled as its events are merged in input order.
#[derive(Debug, Default)]
pub struct Focus {
    names: HashSet<String>,
    given: Vec<String>,
    added: Vec<String>,
    added_count: u64,
    kept: u64,
    set_aside: u64,
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
}

/// What a focused run kept and set aside, for the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FocusTally {
    /// The names the responder focused on, as given (a key id, an ARN, a user, role or
    /// service-account name, an e-mail). Redacted where one looks like a secret.
    pub on: Vec<String>,
    /// Names the run focused on because a focused actor created or changed them (at most 100;
    /// `added_count` counts them all), in the order they were met.
    pub added: Vec<String>,
    /// Every name added.
    pub added_count: u64,
    /// Events kept and analysed.
    pub kept: u64,
    /// Events set aside: read and counted, naming no focused credential or principal.
    pub set_aside: u64,
    /// The earliest time of an event set aside (undated events are not counted here).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::format::ser_opt_ts"
    )]
    pub set_aside_from: Option<DateTime<Utc>>,
    /// The latest time of an event set aside.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::format::ser_opt_ts"
    )]
    pub set_aside_to: Option<DateTime<Utc>>,
    /// All of the above in one sentence, as every view shows it.
    pub said: String,
}

impl Focus {
    /// A focus on `given` (shown in the report) and on `hidden` (matched, never shown: the
    /// responder's known keys). Blank names are ignored.
    pub fn new<'a>(
        given: impl IntoIterator<Item = &'a str>,
        hidden: impl IntoIterator<Item = &'a str>,
    ) -> Focus {
        let mut f = Focus::default();
        for g in given {
            let g = g.trim();
            if !g.is_empty() && f.names.insert(g.to_lowercase()) {
                f.given.push(g.to_string());
            }
        }
        for h in hidden {
            let h = h.trim();
            if !h.is_empty() {
                f.names.insert(h.to_lowercase());
            }
        }
        f
    }

    /// Whether to keep `e`: counts it when not, and focuses on what a focused actor made.
    pub fn keep(&mut self, e: &UsageEvent) -> bool {
        let actor = e.key_id.as_deref().is_some_and(|k| self.has(k))
            || e.principal
                .as_deref()
                .is_some_and(|p| names_of(p).any(|n| self.has(n)))
            || e.extras.get("access_key_id").is_some_and(|k| self.has(k));
        let touched = actor || e.targets.iter().any(|t| self.has(&t.id));
        if !touched {
            self.set_aside += 1;
            if !e.ts_unknown {
                self.first = Some(self.first.map_or(e.ts, |f| f.min(e.ts)));
                self.last = Some(self.last.map_or(e.ts, |l| l.max(e.ts)));
            }
            return false;
        }
        if actor {
            for t in &e.targets {
                let id = t.id.trim();
                if !id.is_empty() && self.names.insert(id.to_lowercase()) {
                    self.added_count += 1;
                    if self.added.len() < ADDED_LISTED {
                        self.added.push(t.label());
                    }
                }
            }
        }
        true
    }

    /// Counts an event kept and not a repeat (the merge drops a repeat after [`Focus::keep`]).
    pub fn kept_one(&mut self) {
        self.kept += 1;
    }

    fn has(&self, name: &str) -> bool {
        // Most names are already lower case (ARNs, e-mails); AWS key ids are not.
        if name.bytes().any(|b| b.is_ascii_uppercase()) || !name.is_ascii() {
            self.names.contains(&name.to_lowercase())
        } else {
            self.names.contains(name)
        }
    }

    /// The report's account of the run's focus.
    pub fn tally(self) -> FocusTally {
        let mut t = FocusTally {
            on: self
                .given
                .iter()
                .map(|g| crate::secret::display_name(g))
                .collect(),
            added: self.added,
            added_count: self.added_count,
            kept: self.kept,
            set_aside: self.set_aside,
            set_aside_from: self.first,
            set_aside_to: self.last,
            said: String::new(),
        };
        t.said = t.sentence();
        t
    }
}

impl FocusTally {
    fn sentence(&self) -> String {
        use crate::format::{count, minute};
        let on = if self.on.is_empty() {
            "the known keys".to_string()
        } else {
            self.on.join(", ")
        };
        let mut s = format!(
            "Focused on {on}: {} event(s) kept and analysed, {} set aside",
            count(self.kept),
            count(self.set_aside)
        );
        if let (Some(a), Some(b)) = (self.set_aside_from, self.set_aside_to) {
            s += &format!(
                " (from {} to {})",
                minute(a.timestamp()),
                minute(b.timestamp())
            );
        }
        s += ": counted, not analysed, and not checked for repeats.";
        if self.added_count > 0 {
            let more = self.added_count - self.added.len() as u64;
            s += &format!(
                " Added to the focus because a focused actor created or changed them: {}{}.",
                self.added.join(", "),
                if more > 0 {
                    format!(" and {} more", count(more))
                } else {
                    String::new()
                }
            );
        }
        if self.kept == 0 {
            s += " No event named a focused credential or principal: check the names (a key id \
                  as the logs write it, an ARN, a user or role name).";
        }
        s
    }
}

/// The names an actor goes by: itself, and for an AWS IAM ARN the user or role it names (an
/// assumed role's session is its role's).
fn names_of(principal: &str) -> impl Iterator<Item = &str> {
    let short = principal.strip_prefix("arn:").and_then(|_| {
        let resource = principal.splitn(6, ':').nth(5)?;
        let mut parts = resource.split('/');
        match parts.next()? {
            "user" | "role" => resource.rsplit('/').next(),
            "assumed-role" => parts.next(),
            _ => None,
        }
    });
    std::iter::once(principal).chain(short)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::event::RawRef;
    use chrono::TimeZone;

    /// What the merge does: keep, and count as kept (no repeats here).
    fn take(f: &mut Focus, e: &UsageEvent) -> bool {
        let keep = f.keep(e);
        if keep {
            f.kept_one();
        }
        keep
    }

    fn ev(hour: u32, key: Option<&str>, principal: Option<&str>) -> UsageEvent {
        let ts = Utc.with_ymd_and_hms(2026, 11, 2, hour, 0, 0).unwrap();
        let mut e = UsageEvent::new(
            ts,
            "aws",
            "aws.cloudtrail",
            RawRef {
                file: "t.json".into(),
                line: None,
                record: Some(0),
            },
        );
        e.key_id = key.map(str::to_string);
        e.principal = principal.map(str::to_string);
        e
    }

    #[test]
    fn keeps_the_focused_key_and_counts_the_rest_with_their_span() {
        let mut f = Focus::new(["AKIAFOCUSED000000001"], []);
        assert!(take(&mut f, &ev(1, Some("AKIAFOCUSED000000001"), None)));
        assert!(!take(&mut f, &ev(3, Some("AKIAOTHER00000000002"), None)));
        assert!(!take(&mut f, &ev(2, None, Some("arn:aws:iam::1:user/bob"))));
        let t = f.tally();
        assert_eq!((t.kept, t.set_aside), (1, 2));
        assert_eq!(t.set_aside_from.unwrap().format("%H").to_string(), "02");
        assert_eq!(t.set_aside_to.unwrap().format("%H").to_string(), "03");
        assert_eq!(t.on, vec!["AKIAFOCUSED000000001"]);
        assert_eq!(
            t.said,
            "Focused on AKIAFOCUSED000000001: 1 event(s) kept and analysed, 2 set aside (from \
             2026-11-02 02:00 UTC to 2026-11-02 03:00 UTC): counted, not analysed, and not \
             checked for repeats."
        );
    }

    #[test]
    fn an_arn_is_its_user_or_role_and_names_compare_without_case() {
        let mut f = Focus::new(["Alice", "deploy-role"], []);
        assert!(take(
            &mut f,
            &ev(1, None, Some("arn:aws:iam::111122223333:user/ops/alice"))
        ));
        assert!(take(
            &mut f,
            &ev(
                1,
                Some("ASIAXXXXXXXXXXXXXXXX"),
                Some("arn:aws:sts::111122223333:assumed-role/deploy-role/session-1")
            )
        ));
        // A session name is not its role's name, nor is a policy a user.
        assert!(!take(
            &mut f,
            &ev(1, None, Some("arn:aws:sts::1:assumed-role/other/alice"))
        ));
        assert!(!take(
            &mut f,
            &ev(1, None, Some("arn:aws:iam::1:policy/alice"))
        ));
    }

    #[test]
    fn what_a_focused_actor_creates_is_focused_from_then_on() {
        let mut f = Focus::new(["AKIAFOCUSED000000001"], []);
        // Before its creation the backdoor user's own calls are set aside.
        assert!(!take(
            &mut f,
            &ev(1, None, Some("arn:aws:iam::1:user/backdoor"))
        ));
        let mut create = ev(2, Some("AKIAFOCUSED000000001"), None);
        create.add_target("iam_user", "backdoor");
        create.add_target("access_key", "AKIABACKDOOR00000003");
        assert!(take(&mut f, &create));
        assert!(take(
            &mut f,
            &ev(3, None, Some("arn:aws:iam::1:user/backdoor"))
        ));
        assert!(take(&mut f, &ev(3, Some("AKIABACKDOOR00000003"), None)));
        // Someone else acting on a focused thing is kept, and focuses nothing new.
        let mut revoke = ev(4, Some("AKIAADMIN00000000004"), None);
        revoke.add_target("access_key", "AKIABACKDOOR00000003");
        revoke.add_target("role", "unrelated");
        assert!(take(&mut f, &revoke));
        assert!(!take(
            &mut f,
            &ev(5, None, Some("arn:aws:iam::1:role/unrelated"))
        ));
        let t = f.tally();
        assert_eq!(
            t.added,
            vec!["iam_user backdoor", "access_key AKIABACKDOOR00000003"]
        );
        assert_eq!((t.added_count, t.kept, t.set_aside), (2, 4, 2));
    }

    #[test]
    fn hidden_names_match_but_are_never_listed() {
        let mut f = Focus::new([" ", "user@example.com"], ["key_hidden123"]);
        assert!(take(&mut f, &ev(1, Some("key_hidden123"), None)));
        assert!(take(&mut f, &ev(1, None, Some("USER@example.com"))));
        assert_eq!(f.tally().on, vec!["user@example.com"]);
        let mut none = Focus::new(["nobody"], []);
        assert!(!take(&mut none, &ev(1, Some("key_other"), None)));
        assert!(none.tally().said.ends_with(
            "No event named a focused credential or principal: check the names (a key id as \
             the logs write it, an ARN, a user or role name)."
        ));
    }

    #[test]
    fn a_secret_given_as_a_name_is_redacted_in_the_tally() {
        let key = format!("sk-proj-{}", "Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF");
        let t = Focus::new([key.as_str()], []).tally();
        assert!(!t.on[0].contains(&key[12..]), "{:?}", t.on);
    }
}
