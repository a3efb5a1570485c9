//! Focus: a run over more logs than memory holds keeps only the events of the credentials and
//! principals the responder names, of the identities behind the focused keys, and of what they
//! went on to create, and counts the rest.
//!
//! An event is kept when its key, its actor (whole, or the user or role an AWS ARN names, the
//! service account a Google Cloud name or e-mail names) or one of its targets is a focused name.
//! A focused key's actor is focused too (the user behind a leaked access key, whose temporary
//! keys act under the same name). When a focused actor creates or changes something (a user, an
//! access key, a role, a service-account key) and the call succeeded, that thing's names are
//! focused from then on. Reads (`Get…`, `List…`, `Describe…`) and failed calls add nothing.
//! Names are compared without case. Events set aside are counted, with their time span; they are
//! not analysed, and they are not checked for repeats (each is counted as read).
//!
//! A name focused late may have acted earlier in the input (a region's folder read before the
//! one where the user was created, newest-first exports): [`Focus::missed`] says so, and the run
//! reads its files again focused on every name from the start.

use super::event::UsageEvent;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};

/// Names added by the run that are listed in the report (the rest are counted).
const ADDED_LISTED: usize = 100;

/// Readings of the files a focused run makes at most: each reading starts from every name the
/// one before it focused on; a name that acts before its creation in input order needs one more.
pub const READINGS: usize = 4;

/// The focus of one run, filled as its events are merged in input order.
#[derive(Default)]
pub struct Focus {
    // Lower-cased; the responder's known keys among them (never shown, not even in `Debug`).
    names: HashSet<String>,
    given: Vec<String>,
    added: Vec<String>,
    added_count: u64,
    kept: u64,
    set_aside: u64,
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
    // The hashes of the names of the events set aside so far, to tell when a name focused later
    // had acted before (a few bytes a name, not an event).
    aside: HashSet<u64>,
    missed: bool,
    readings: usize,
}

impl std::fmt::Debug for Focus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Focus({} names, {} kept, {} set aside)",
            self.names.len(),
            self.kept,
            self.set_aside
        )
    }
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
    /// Readings of the files the run made (more than one when a name focused late had acted
    /// earlier in the input).
    pub readings: usize,
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
        let mut f = Focus {
            readings: 1,
            ..Focus::default()
        };
        for g in given {
            let g = g.trim();
            if g.is_empty() {
                continue;
            }
            if !f.given.iter().any(|x| x.eq_ignore_ascii_case(g)) {
                f.given.push(g.to_string());
            }
            for n in names_of(g) {
                f.names.insert(n.to_lowercase());
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

    /// The focus for the next reading of the same files: every name this one focused on from the
    /// start, the same names shown, the counts at zero.
    pub fn again(&self) -> Focus {
        Focus {
            names: self.names.clone(),
            given: self.given.clone(),
            readings: self.readings + 1,
            ..Focus::default()
        }
    }

    /// Whether a name focused during the reading had acted before it was focused: the events
    /// it set aside then belong to the focus, and the files must be read again ([`Focus::again`]).
    pub fn missed(&self) -> bool {
        self.missed
    }

    /// Which reading of the files this focus is (1 for the first).
    pub fn readings(&self) -> usize {
        self.readings
    }

    /// Whether to keep `e`: counts it when not, and focuses on what a focused actor made.
    pub fn keep(&mut self, e: &UsageEvent) -> bool {
        let key = e.key_id.as_deref().is_some_and(|k| self.has_any(k))
            || e.extras
                .get("access_key_id")
                .is_some_and(|k| self.has_any(k));
        let actor = key || e.principal.as_deref().is_some_and(|p| self.has_any(p));
        let touched = actor
            || e.targets.iter().any(|t| self.has_any(&t.id))
            || e.extras
                .get(crate::evidence::event::HOLDER)
                .and_then(|h| h.split_once(' '))
                .is_some_and(|(_, name)| self.has_any(name));
        if !touched {
            self.set_aside += 1;
            if !e.ts_unknown {
                self.first = Some(self.first.map_or(e.ts, |f| f.min(e.ts)));
                self.last = Some(self.last.map_or(e.ts, |l| l.max(e.ts)));
            }
            for name in actor_names(e) {
                self.aside.insert(hash(name));
            }
            return false;
        }
        if key {
            // The identity behind a focused key: its other keys (temporary ones) act under it.
            // Its exact name only: an assumed role's other sessions are not this key's.
            if let Some(p) = e.principal.as_deref().map(str::to_lowercase) {
                if !self.names.contains(&p) {
                    self.missed |= self.aside.contains(&hash(&p));
                    self.names.insert(p);
                }
            }
        }
        if actor && e.error_code.is_none() {
            if !is_read(e.operation.as_deref()) {
                for t in e.targets.iter().filter(|t| t.kind != "resource") {
                    self.add(&t.id, Some(&t.label()));
                    // Whoever was granted something acts with it next.
                    if let Some(h) = t.holder() {
                        self.add(h, Some(h));
                    }
                }
            }
            // Temporary credentials the call handed out (`AssumeRole`, `GetSessionToken`).
            if let Some(k) = e.extras.get("session_access_key_id") {
                self.add(k, Some(&format!("access_key {k}")));
            }
        }
        true
    }

    /// Focuses on `id` (all its names), listing it as `label` when it is new.
    fn add(&mut self, id: &str, label: Option<&str>) {
        let mut new = false;
        for raw in names_of(id.trim()) {
            let n = raw.to_lowercase();
            if n.is_empty() || self.names.contains(&n) {
                continue;
            }
            if self.aside.contains(&hash(raw)) {
                self.missed = true;
            }
            self.names.insert(n);
            new = true;
        }
        if let (true, Some(label)) = (new, label) {
            self.added_count += 1;
            if self.added.len() < ADDED_LISTED {
                self.added.push(label.to_string());
            }
        }
    }

    /// Counts an event kept and not a repeat (the merge drops a repeat after [`Focus::keep`]).
    pub fn kept_one(&mut self) {
        self.kept += 1;
    }

    fn has_any(&self, name: &str) -> bool {
        names_of(name).any(|n| self.has(n))
    }

    fn has(&self, name: &str) -> bool {
        // Most names are already lower case (ARNs, e-mails); AWS key ids are not, and are
        // lower-cased on the stack (every event of a CloudTrail file names one).
        if !name.is_ascii() {
            return self.names.contains(&name.to_lowercase());
        }
        if !name.bytes().any(|b| b.is_ascii_uppercase()) {
            return self.names.contains(name);
        }
        let mut buf = [0u8; 128];
        match buf.get_mut(..name.len()) {
            Some(low) => {
                low.copy_from_slice(name.as_bytes());
                low.make_ascii_lowercase();
                std::str::from_utf8(low).is_ok_and(|l| self.names.contains(l))
            }
            None => self.names.contains(&name.to_ascii_lowercase()),
        }
    }

    /// The report's account of the run's focus.
    pub fn tally(self) -> FocusTally {
        let mut t = FocusTally {
            on: self.given.iter().map(|g| shown(g)).collect(),
            added: self.added,
            added_count: self.added_count,
            kept: self.kept,
            set_aside: self.set_aside,
            set_aside_from: self.first,
            set_aside_to: self.last,
            readings: self.readings,
            said: String::new(),
        };
        t.said = t.sentence();
        t
    }
}

/// The names an event's actor goes by (its key, its principal), for the set-aside record.
fn actor_names(e: &UsageEvent) -> impl Iterator<Item = &str> {
    let key = e.key_id.as_deref().into_iter().flat_map(names_of);
    let principal = e.principal.as_deref().into_iter().flat_map(names_of);
    key.chain(principal)
}

/// A name's hash, without case (each character lower-cased as it is hashed: nothing is
/// allocated for the events set aside).
fn hash(name: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    name.chars()
        .flat_map(char::to_lowercase)
        .for_each(|c| c.hash(&mut h));
    h.finish()
}

/// Whether a call only reads (its name says so): it creates or changes nothing to follow.
fn is_read(operation: Option<&str>) -> bool {
    let op = operation.unwrap_or("");
    let op = op.rsplit(['.', '/', ':']).next().unwrap_or(op);
    ["Get", "List", "Describe", "get", "list", "describe", "read"]
        .iter()
        .any(|p| op.starts_with(p))
}

/// A name the responder gave, as the report shows it: whole when it names rather than unlocks
/// (a documented key id, an ARN, an e-mail, a cloud resource path, a short name), else redacted
/// as a secret would be.
fn shown(name: &str) -> String {
    let names = crate::secret::identifier_format(name).is_some()
        || name.starts_with("arn:")
        || name.starts_with("projects/")
        || name.starts_with("//")
        || name.starts_with("BedrockAPIKey-")
        || name.contains('@')
        || (name.len() < 20 && !crate::secret::looks_like_secret(name));
    if names {
        name.to_string()
    } else {
        crate::secret::redact_secret(name)
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
        if self.readings > 1 {
            s += &format!(
                " The files were read {} times: a name focused on late had acted earlier in them.",
                self.readings
            );
        }
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

/// The names an actor, key or target goes by: itself; for an AWS IAM ARN the user or role it
/// names (an assumed role's session is its role's); for a Google Cloud name the resource path
/// without its service (`//iam.googleapis.com/projects/…` is `projects/…`), the service account
/// it names and a key's id; for a service account's e-mail its account name.
fn names_of(name: &str) -> impl Iterator<Item = &str> {
    let mut out: [Option<&str>; 4] = [Some(name), None, None, None];
    if name.starts_with("arn:") {
        out[1] = name.splitn(6, ':').nth(5).and_then(|resource| {
            let mut parts = resource.split('/');
            match parts.next()? {
                "user" | "role" => resource.rsplit('/').next(),
                "assumed-role" => parts.next(),
                _ => None,
            }
        });
    } else {
        let path = name
            .strip_prefix("//")
            .and_then(|r| r.split_once('/'))
            .map_or(name, |(_, p)| p);
        if path.len() < name.len() {
            out[1] = Some(path);
        }
        if let Some((_, rest)) = path.split_once("/serviceAccounts/") {
            let (account, key) = match rest.split_once("/keys/") {
                Some((a, k)) => (a, Some(k)),
                None => (rest, None),
            };
            out[2] = Some(account);
            out[3] = key;
        } else if let Some(local) = name
            .strip_suffix(".iam.gserviceaccount.com")
            .and_then(|a| a.split_once('@'))
            .map(|(l, _)| l)
        {
            out[1] = Some(local);
        }
    }
    out.into_iter().flatten().filter(|n| !n.is_empty())
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
    fn names_match_whatever_their_case_and_length() {
        let long = format!("arn:aws:iam::123456789012:role/{}", "Deploy".repeat(30));
        let f = Focus::new(["akiafocused000000001", long.as_str(), "Ünïcode-Role"], []);
        assert!(f.has("AKIAFOCUSED000000001"));
        assert!(f.has("akiafocused000000001"));
        assert!(long.len() > 128);
        assert!(f.has(&long.to_ascii_uppercase()));
        assert!(f.has("ünïcode-role"));
        assert!(!f.has("AKIAFOCUSED000000002"));
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
    fn a_name_focused_after_it_acted_asks_for_another_reading_that_keeps_it() {
        let mut f = Focus::new(["AKIAFOCUSED000000001"], []);
        let early = ev(
            1,
            Some("AKIABACKDOOR00000003"),
            Some("arn:aws:iam::1:user/backdoor"),
        );
        assert!(!take(&mut f, &early));
        let mut create = ev(2, Some("AKIAFOCUSED000000001"), None);
        create.add_target("iam_user", "backdoor");
        assert!(take(&mut f, &create));
        assert!(f.missed());
        let mut g = f.again();
        assert_eq!(g.readings(), 2);
        assert!(take(&mut g, &early));
        assert!(take(&mut g, &create));
        assert!(!g.missed());
        let t = g.tally();
        assert_eq!((t.kept, t.set_aside, t.readings), (2, 0, 2));
        assert!(t.said.contains("read 2 times"), "{}", t.said);
        // A name focused before it acts needs no second reading.
        let mut h = Focus::new(["AKIAFOCUSED000000001"], []);
        assert!(take(&mut h, &create));
        assert!(take(&mut h, &early));
        assert!(!h.missed());
    }

    #[test]
    fn reads_and_failed_calls_focus_on_nothing_new() {
        let mut f = Focus::new(["AKIAFOCUSED000000001"], []);
        let mut list = ev(1, Some("AKIAFOCUSED000000001"), None);
        list.operation = Some("ListAccessKeys".into());
        list.add_target("iam_user", "admin");
        let mut denied = ev(1, Some("AKIAFOCUSED000000001"), None);
        denied.operation = Some("CreateUser".into());
        denied.error_code = Some("AccessDenied".into());
        denied.add_target("iam_user", "other");
        assert!(take(&mut f, &list) && take(&mut f, &denied));
        assert!(!take(
            &mut f,
            &ev(2, None, Some("arn:aws:iam::1:user/admin"))
        ));
        assert!(!take(
            &mut f,
            &ev(2, None, Some("arn:aws:iam::1:user/other"))
        ));
        assert_eq!(f.tally().added_count, 0);
    }

    #[test]
    fn a_focused_keys_identity_is_focused_and_its_temporary_keys_with_it() {
        let mut f = Focus::new(["AKIAFOCUSED000000001"], []);
        let user = "arn:aws:iam::1:user/ci";
        assert!(take(
            &mut f,
            &ev(1, Some("AKIAFOCUSED000000001"), Some(user))
        ));
        // A session token the user got: another key, the same identity.
        assert!(take(
            &mut f,
            &ev(2, Some("ASIATEMPORARY0000009"), Some(user))
        ));
        // Another session of the same assumed role is not this key's.
        let mut g = Focus::new(["ASIATEMPORARY0000009"], []);
        let s1 = "arn:aws:sts::1:assumed-role/ci-role/one";
        assert!(take(&mut g, &ev(1, Some("ASIATEMPORARY0000009"), Some(s1))));
        let s2 = "arn:aws:sts::1:assumed-role/ci-role/two";
        assert!(!take(
            &mut g,
            &ev(1, Some("ASIAOTHERSESSION0008"), Some(s2))
        ));
    }

    #[test]
    fn google_cloud_names_match_in_each_form_the_logs_write() {
        let sa = "backdoor@proj.iam.gserviceaccount.com";
        let mut f = Focus::new(["leaked@proj.iam.gserviceaccount.com"], []);
        let mut create = ev(1, None, Some("leaked@proj.iam.gserviceaccount.com"));
        create.operation = Some("google.iam.admin.v1.CreateServiceAccountKey".into());
        create.add_target(
            "service_account_key",
            &format!("projects/proj/serviceAccounts/{sa}/keys/0123abcd"),
        );
        assert!(take(&mut f, &create));
        // The key as its later calls name it, and the account by its e-mail.
        let key = format!("//iam.googleapis.com/projects/proj/serviceAccounts/{sa}/keys/0123abcd");
        assert!(take(&mut f, &ev(2, Some(&key), None)));
        assert!(take(&mut f, &ev(2, None, Some(sa))));
        // An account named by its short name.
        let mut g = Focus::new(["backdoor"], []);
        assert!(take(&mut g, &ev(2, None, Some(sa))));
        assert!(!take(
            &mut g,
            &ev(2, None, Some("other@proj.iam.gserviceaccount.com"))
        ));
    }

    #[test]
    fn a_role_arn_matches_its_sessions() {
        let mut f = Focus::new(["arn:aws:iam::1:role/deploy"], []);
        assert!(take(
            &mut f,
            &ev(1, None, Some("arn:aws:sts::1:assumed-role/deploy/x"))
        ));
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
    fn a_secret_given_as_a_name_is_redacted_in_the_tally_and_debug_shows_no_name() {
        let secrets = [
            format!("sk-proj-{}", "Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF"),
            "0a1b2c3d4e5f60718293a4b5c6d7e8f9".to_string(),
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKY".to_string(),
            "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".to_string(),
        ];
        for key in &secrets {
            let f = Focus::new([key.as_str()], ["sk-hidden-known-key-value"]);
            assert!(!format!("{f:?}").contains("hidden"));
            let t = f.tally();
            assert!(!t.on[0].contains(&key[key.len() - 8..]), "{:?}", t.on);
            assert!(!t.said.contains(&key[key.len() - 8..]), "{}", t.said);
        }
        let ids = [
            "AKIAFOCUSED000000001",
            "arn:aws:iam::1:user/alice",
            "a@example.com",
            "backdoor",
        ];
        assert_eq!(Focus::new(ids, []).tally().on, ids);
    }
}
