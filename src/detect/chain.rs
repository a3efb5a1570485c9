//! Created access used: a key, a federation token or a console login that a key's lasting-access
//! calls made, then used. Whatever the made credential does is the attacker's: the alert is
//! filed under it, so its calls, sources and cost count as the attacker's, its indicators are
//! listed and it is revoked with the key that made it.

use super::baseline::KeyCtx;
use super::prepare::{flag, Prepared};
use super::{AlertKind, Draft, Severity};
use crate::evidence::event::FEDERATION_TOKEN;
use crate::format;

/// What a lasting-access call made that signs requests or signs in, as its target names it.
#[derive(Clone, Copy)]
enum Made<'a> {
    /// An access key or the key id of temporary credentials: its own rows name it.
    Key(&'a str),
    /// A console login (a login profile) of an IAM user: the user's console sign-ins name the
    /// user's ARN (the session's calls carry a temporary key id).
    Login(&'a str),
}

impl<'a> Made<'a> {
    fn of(label: &'a str) -> Option<Made<'a>> {
        let (kind, id) = label.split_once(' ')?;
        match kind {
            "access_key" => Some(Made::Key(id)),
            k if k == FEDERATION_TOKEN => Some(Made::Key(id)),
            "login_profile" => Some(Made::Login(id)),
            _ => None,
        }
    }

    /// Whether the rows of key `raw` (a key id, or a principal's ARN for rows naming no key)
    /// are this credential's, made in `account` where the record that made it names one.
    fn is(self, raw: &str, account: Option<&str>) -> bool {
        match self {
            Made::Key(id) => raw == id,
            // `arn:aws:iam::123456789012:user/name`, or under a path (`user/path/name`), in the
            // account the login was made in.
            Made::Login(user) => {
                let Some((head, path)) = raw.split_once(":user/") else {
                    return false;
                };
                let mut parts = head.split(':');
                let (arn, _partition, iam, region, acct) = (
                    parts.next(),
                    parts.next(),
                    parts.next(),
                    parts.next(),
                    parts.next(),
                );
                arn == Some("arn")
                    && iam == Some("iam")
                    && region == Some("")
                    && parts.next().is_none()
                    && account.is_none_or(|a| acct == Some(a))
                    && (path == user || path.ends_with(&format!("/{user}")))
            }
        }
    }
}

/// One alert for each key whose rows are those of a credential that another key's lasting-
/// access alert made (its calls that went through), on its rows from the time it was made.
/// Only alerts of medium severity or above count (a person's usual console change, or what
/// the reference window made, is a change to confirm, not the attacker's); where several made
/// the same credential, the worst is the one told.
pub(crate) fn run(p: &Prepared, keys: &[KeyCtx], drafts: &[Draft]) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::new();
    let mut making: Vec<&Draft> = drafts
        .iter()
        .filter(|d| d.kind == AlertKind::Persistence && d.severity >= Severity::Medium)
        .collect();
    making.sort_by_key(|d| std::cmp::Reverse(d.severity));
    for d in making {
        for &i in &d.evidence {
            let e = &p.evs[i];
            if e.has(flag::ERROR) {
                continue;
            }
            for t in p.targets_of(e.idx) {
                let Some(made) = Made::of(t) else {
                    continue;
                };
                let account = p.target_account(e.idx);
                for k in keys
                    .iter()
                    .filter(|k| k.k != d.key && made.is(&p.keys[k.k].raw, account))
                {
                    if out.iter().any(|o| o.key == k.k) {
                        continue;
                    }
                    // From when it was made: a login is used by a sign-in that went through, a
                    // key by any call.
                    let rows: Vec<usize> = (k.pos_at(p, e.ts)..k.hi)
                        .filter(|&j| !matches!(made, Made::Login(_)) || !p.evs[j].has(flag::ERROR))
                        .collect();
                    if rows.is_empty() {
                        continue;
                    }
                    out.push(draft(p, &keys[d.key], k, made, (i, d), rows));
                }
            }
        }
    }
    out
}

/// The alert on `rows` of key `k`, the credential `made` by row `at` of alert `by`.
fn draft(
    p: &Prepared,
    creator: &KeyCtx,
    k: &KeyCtx,
    made: Made<'_>,
    (at, by): (usize, &Draft),
    rows: Vec<usize>,
) -> Draft {
    let call = p.ops.name(p.evs[at].op);
    let when = format::minute(p.evs[at].ts);
    let ops = super::sequence::op_counts(p, &rows);
    let (mut ips, mut seen) = (Vec::new(), std::collections::HashSet::new());
    for &j in &rows {
        let ip = p.evs[j].ip;
        if ip != super::prepare::NONE && seen.insert(ip) {
            ips.push(p.ips.name(ip));
        }
    }
    let from = match ips.len() {
        0 => String::new(),
        1..=5 => format!(" from {}", ips.join(", ")),
        n => format!(
            " from {} and {} more address(es)",
            ips[..5].join(", "),
            n - 5
        ),
    };
    let first = format::minute(p.evs[rows[0]].ts);
    let list = ops.join(", ");
    let sentence = match made {
        Made::Key(_) => format!(
            "Key {}, made by key {} ({call}, {when}), was used from {first}: {list}{from}. What it does is the attacker's: revoke it as well as the key that made it (that key's alert says how), and review each of its calls.",
            k.name, creator.name
        ),
        Made::Login(user) => {
            let no_mfa = rows.iter().filter(|&&j| p.evs[j].has(flag::NO_MFA)).count();
            let mfa = match no_mfa {
                0 => String::new(),
                n => format!(" ({n} sign-in(s) without MFA: the password alone let them in)"),
            };
            format!(
                "User {user}'s console login, made by key {} ({call}, {when}), was used from {first}: {list}{from}{mfa}. Whoever signs in as {user} is the attacker: delete the login profile and end the user's console sessions; the calls of a console session are filed under its temporary key ids (look for the user's ARN).",
                creator.name
            )
        }
    };
    let reason = format!(
        "a credential made by key {} in its alert's calls ({call}, {when}), used since: whoever holds it acts for the attacker",
        creator.name
    );
    Draft::calls(
        p,
        k,
        AlertKind::CreatedAccessUsed,
        // As sure as the alert on what made it (medium or above).
        by.severity,
        reason,
        ops,
        rows,
        sentence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_is_matched_by_the_users_arn_and_a_key_by_its_id() {
        let login = Made::of("login_profile ci").unwrap();
        let here = Some("111122223333");
        assert!(login.is("arn:aws:iam::111122223333:user/ci", here));
        assert!(login.is("arn:aws:iam::111122223333:user/team/ci", here));
        assert!(login.is("arn:aws-us-gov:iam::111122223333:user/ci", here));
        // Made where the record does not say: any account.
        assert!(login.is("arn:aws:iam::444455556666:user/ci", None));
        // Another account's user of the same name is another user.
        assert!(!login.is("arn:aws:iam::444455556666:user/ci", here));
        assert!(!login.is("arn:aws:iam::111122223333:user/ci-deploy", here));
        assert!(!login.is("arn:aws:iam::111122223333:role/ci", here));
        assert!(!login.is("arn:aws:sts::111122223333:user/ci", here));
        assert!(!login.is("ci", here));
        let key = Made::of("access_key AKIAIOSFODNN7EXAMPLE").unwrap();
        assert!(key.is("AKIAIOSFODNN7EXAMPLE", here));
        assert!(!key.is("AKIAIOSFODNN7EXAMPL", here));
        assert!(Made::of("federation_token ASIAIOSFODNN7EXAMPLE").is_some());
        assert!(Made::of("iam_user ci").is_none());
        assert!(Made::of("policy arn:aws:iam::aws:policy/AdministratorAccess").is_none());
    }
}
