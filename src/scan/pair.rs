//! Pairs: an identifier and the secret it belongs to, found together, are one credential (an
//! AWS access key is a key id and a secret access key; an OAuth client, a client id and a
//! client secret). The identifier joins the secret's finding as its [`Partner`] and is no
//! finding of its own; where no partner is near, each stays a finding alone, but an OAuth
//! client id, public by design, is no finding alone (`rules::Kind::public_identifier`).
//!
//! "Together" is the same place (evidence file, path, commit and side of the change) within
//! [`PAIR_LINES`] lines: an `.env` block, a credentials-file profile, the JSON object `aws iam
//! create-access-key` (or `az ad sp create-for-rbac`) prints, a CSV row of the console's
//! download, a client's entry in a configuration file. Each finding joins at most
//! one pair, the nearest first (on a tie, the identifier above its secret, as every one of those
//! formats writes them), so two profiles of one `~/.aws/credentials` file are two pairs and a
//! second key id near one secret stays alone.

use super::finding::{Partner, SecretFinding};
use std::collections::HashMap;

/// Lines apart (at most) of an identifier and its secret that are one credential.
pub const PAIR_LINES: u64 = 5;

/// One kind of pair: the rule that finds the identifier, the rule that finds its secret.
pub struct PairRule {
    /// The identifier's rule.
    pub id_rule: &'static str,
    /// The secret's rule.
    pub secret_rule: &'static str,
    /// What the identifier is to the secret.
    pub role: &'static str,
    /// What the two are together, in words (the pair's `kind_label`).
    pub label: &'static str,
    /// The public source that says the two are one credential.
    pub source: &'static str,
}

/// The pairs the scan joins.
pub const PAIRS: &[PairRule] = &[
    PairRule {
        id_rule: "aws-access-key-id",
        secret_rule: "aws-secret-access-key",
        role: "access key id",
        label: "cloud access key (key id and secret)",
        source: "AWS IAM User Guide, \"Manage access keys for IAM users\" (an access key is an access key ID and a secret access key, used together)",
    },
    PairRule {
        id_rule: "google-oauth-client-id",
        secret_rule: "google-oauth-client-secret",
        role: "client id",
        label: "OAuth client (client id and secret)",
        source: "Google for Developers, \"Using OAuth 2.0 to Access Google APIs\" (a client ID and client secret, obtained together from the Google API Console)",
    },
    PairRule {
        id_rule: "github-oauth-client-id",
        secret_rule: "github-oauth-client-secret",
        role: "client id",
        label: "OAuth client (client id and secret)",
        source: "GitHub Docs, \"Authorizing OAuth apps\" (the client_id and client_secret exchanged together for a token)",
    },
    PairRule {
        id_rule: "github-oauth-client-id-legacy",
        secret_rule: "github-oauth-client-secret",
        role: "client id",
        label: "OAuth client (client id and secret)",
        source: "GitHub Docs, \"Authorizing OAuth apps\" (the client_id and client_secret exchanged together for a token)",
    },
    PairRule {
        id_rule: "azure-ad-client-id",
        secret_rule: "azure-ad-client-secret",
        role: "application (client) id",
        label: "OAuth client (application id and client secret)",
        source: "Microsoft identity platform, \"OAuth 2.0 client credentials flow\" (client_id and client_secret sent together for a token)",
    },
    PairRule {
        id_rule: "slack-client-id",
        secret_rule: "slack-client-secret",
        role: "client id",
        label: "OAuth client (client id and secret)",
        source: "Slack API documentation, \"Installing with OAuth\" (oauth.v2.access takes the client_id and client_secret together)",
    },
];

/// Where an occurrence is: evidence file, path, commit id, side of the change.
type Place<'a> = (&'a str, Option<&'a str>, Option<&'a str>, u8);
/// One occurrence of a pairable finding: line, finding, pair rule, whether it is the identifier.
type Spot = (u64, usize, usize, bool);

/// Which findings pair: `(identifier, secret, pair rule)`, the findings as indices into
/// `findings`, each finding in at most one pair, the nearest pairs first.
pub(super) fn matches(findings: &[&SecretFinding]) -> Vec<(usize, usize, &'static PairRule)> {
    // Every occurrence of a pairable finding, by place: (line, finding, pair rule, is the id).
    let mut by_place: HashMap<Place, Vec<Spot>> = HashMap::new();
    for (n, f) in findings.iter().enumerate() {
        for (r, p) in PAIRS.iter().enumerate() {
            let is_id = f.rule_id == p.id_rule;
            if !is_id && f.rule_id != p.secret_rule {
                continue;
            }
            for o in &f.occurrences {
                let change = o.change.map_or(0, |c| c as u8 + 1);
                let commit = o.commit.as_ref().map(|c| c.id.as_str());
                by_place
                    .entry((o.evidence.as_str(), o.path.as_deref(), commit, change))
                    .or_default()
                    .push((o.line, n, r, is_id));
            }
        }
    }
    // The nearest distance of each (identifier, secret): lines apart, then whether the
    // identifier comes after the secret.
    let mut best: HashMap<(usize, usize, usize), (u64, bool)> = HashMap::new();
    for occs in by_place.values_mut() {
        occs.sort_unstable();
        for (i, &(line, n, r, is_id)) in occs.iter().enumerate() {
            if is_id {
                continue;
            }
            let near = |o: &&Spot| o.0.abs_diff(line) <= PAIR_LINES;
            let before = occs[..i].iter().rev().take_while(near);
            let after = occs[i + 1..].iter().take_while(near);
            for &(l, m, q, id) in before.chain(after) {
                if !id || q != r {
                    continue;
                }
                let d = (l.abs_diff(line), l > line);
                let e = best.entry((m, n, r)).or_insert(d);
                *e = (*e).min(d);
            }
        }
    }
    let mut cands: Vec<((u64, bool), usize, usize, usize)> = best
        .into_iter()
        .map(|((m, n, r), d)| (d, m, n, r))
        .collect();
    cands.sort_unstable();
    let mut used = vec![false; findings.len()];
    let mut out = Vec::new();
    for (_, id, secret, r) in cands {
        if used[id] || used[secret] {
            continue;
        }
        used[id] = true;
        used[secret] = true;
        out.push((id, secret, &PAIRS[r]));
    }
    out
}

/// The identifier's finding as a partner.
pub(super) fn partner(id: &SecretFinding, rule: &PairRule) -> Partner {
    Partner {
        role: rule.role.into(),
        fingerprint: id.fingerprint.clone(),
        redacted: id.redacted.clone(),
        value_kind: id.value_kind,
        rule_id: id.rule_id.clone(),
        title: id.title.clone(),
        kind: id.kind,
        occurrence_count: id.occurrence_count,
        occurrences: id.occurrences.clone(),
        value: id.value.clone(),
    }
}

/// Joins a partner to its secret's finding: it shows both parts, each as the policy shows it.
pub(super) fn join(secret: &mut SecretFinding, partner: Partner, rule: &PairRule) {
    secret.kind_label = rule.label.into();
    secret.redacted = format!("{} + {}", partner.redacted, secret.redacted);
    secret.partner = Some(Box::new(partner));
}

#[cfg(test)]
mod tests {
    use crate::evidence::EvidenceKind;
    use crate::scan::fake::{generate, Rng};
    use crate::scan::{Options, ScanReport, Scanner};
    use crate::secret::ValueKind;

    fn id(seed: u64) -> String {
        generate("AKIA{b32:16}", &mut Rng::new(seed)).secret
    }

    fn secret(seed: u64) -> String {
        generate("{b64:40}", &mut Rng::new(seed)).secret
    }

    fn scan(name: &str, text: &str) -> ScanReport {
        let mut s = Scanner::new(Options::default());
        s.scan_text(name, text, EvidenceKind::Text);
        s.finish()
    }

    /// The key id paired with each secret found, by the secret's value.
    fn pairs(r: &ScanReport) -> Vec<(String, Option<String>)> {
        r.secrets
            .iter()
            .filter(|f| f.rule_id == "aws-secret-access-key")
            .map(|f| {
                (
                    f.reveal().unwrap().to_string(),
                    f.partner
                        .as_ref()
                        .and_then(|p| p.reveal())
                        .map(String::from),
                )
            })
            .collect()
    }

    #[test]
    fn a_key_id_beside_its_secret_is_one_finding_with_both_parts_shown_by_the_policy() {
        let (k, s) = (id(1), secret(2));
        let r = scan(
            "ci.env",
            &format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n"),
        );
        assert_eq!(r.secrets.len(), 1, "{:?}", r.secrets);
        let f = &r.secrets[0];
        let p = f.partner.as_ref().expect("the key id is its partner");
        assert_eq!(p.reveal(), Some(k.as_str()));
        assert_eq!(
            (p.role.as_str(), p.value_kind),
            ("access key id", ValueKind::Identifier)
        );
        assert_eq!(p.redacted, k, "an identifier is shown whole");
        assert_eq!(f.value_kind, ValueKind::Secret);
        assert_eq!(f.redacted, format!("{k} + …{}", &s[36..]));
        assert_eq!(f.labelled(), format!("{k} (identifier) + …{}", &s[36..]));
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains(&s));
        assert!(json.contains("\"value_kind\":\"identifier\""), "{json}");
        // The totals still count every distinct value.
        assert_eq!(r.totals.distinct_secrets, 2);
    }

    #[test]
    fn far_apart_they_stay_two_findings() {
        let (k, s) = (id(3), secret(4));
        let gap = "# filler\n".repeat(super::PAIR_LINES as usize);
        let r = scan(
            "ci.env",
            &format!("AWS_ACCESS_KEY_ID={k}\n{gap}AWS_SECRET_ACCESS_KEY={s}\n"),
        );
        assert_eq!(r.secrets.len(), 2);
        assert!(r.secrets.iter().all(|f| f.partner.is_none()));
        let alone = r
            .secrets
            .iter()
            .find(|f| f.rule_id == "aws-access-key-id")
            .unwrap();
        assert_eq!(
            (alone.redacted.as_str(), alone.value_kind),
            (k.as_str(), ValueKind::Identifier)
        );
        assert_eq!(alone.labelled(), format!("{k} (identifier)"));
        // Within the limit, they pair.
        let gap = "# filler\n".repeat(super::PAIR_LINES as usize - 1);
        let r = scan(
            "ci.env",
            &format!("AWS_ACCESS_KEY_ID={k}\n{gap}AWS_SECRET_ACCESS_KEY={s}\n"),
        );
        assert_eq!(pairs(&r), [(s, Some(k))]);
        // In two files, they do not.
        let mut sc = Scanner::new(Options::default());
        sc.scan_text(
            "a.env",
            &format!("AWS_ACCESS_KEY_ID={}\n", id(5)),
            EvidenceKind::Text,
        );
        sc.scan_text(
            "b.env",
            &format!("AWS_SECRET_ACCESS_KEY={}\n", secret(6)),
            EvidenceKind::Text,
        );
        assert_eq!(sc.finish().secrets.len(), 2);
    }

    #[test]
    fn two_key_ids_and_one_secret_pair_the_nearest_and_leave_the_other_alone() {
        let (old, new, s) = (id(7), id(8), secret(9));
        let r = scan(
            "deploy.sh",
            &format!(
                "export AWS_ACCESS_KEY_ID_OLD={old}\n\nexport AWS_ACCESS_KEY_ID={new}\nexport AWS_SECRET_ACCESS_KEY={s}\n"
            ),
        );
        assert_eq!(pairs(&r), [(s.clone(), Some(new.clone()))]);
        let alone: Vec<&str> = r
            .secrets
            .iter()
            .filter(|f| f.rule_id == "aws-access-key-id")
            .filter_map(|f| f.reveal())
            .collect();
        assert_eq!(alone, [old.as_str()]);
        // On a tie, the key id above the secret wins (every format writes the id first).
        let below = id(10);
        let r = scan(
            "deploy.sh",
            &format!("AWS_ACCESS_KEY_ID={new}\nAWS_SECRET_ACCESS_KEY={s}\nBACKUP_AWS_ACCESS_KEY_ID={below}\n"),
        );
        assert_eq!(pairs(&r), [(s, Some(new))]);
    }

    #[test]
    fn two_profiles_of_one_credentials_file_are_two_pairs() {
        let (k1, s1, k2, s2) = (id(11), secret(12), id(13), secret(14));
        let file = format!(
            "[default]\naws_access_key_id = {k1}\naws_secret_access_key = {s1}\nregion = eu-west-1\n\n[prod]\naws_access_key_id = {k2}\naws_secret_access_key = {s2}\n"
        );
        let r = scan("credentials", &file);
        let mut got = pairs(&r);
        got.sort();
        let mut want = vec![(s1, Some(k1)), (s2, Some(k2))];
        want.sort();
        assert_eq!(got, want);
        assert_eq!(r.secrets.len(), 2);
    }

    #[test]
    fn a_secret_alone_and_an_id_alone_keep_the_single_part_behaviour() {
        let s = secret(15);
        let r = scan("a.env", &format!("AWS_SECRET_ACCESS_KEY={s}\n"));
        assert_eq!(pairs(&r), [(s.clone(), None)]);
        assert_eq!(r.secrets[0].redacted, format!("…{}", &s[36..]));
    }

    #[test]
    fn the_added_and_removed_sides_of_a_commit_do_not_pair() {
        let (k, s) = (id(16), secret(17));
        let log = format!(
            "commit {c}\nAuthor: A <a@example.com>\nDate:   Thu Jan 1 00:00:00 2026 +0000\n\n    rotate\n\ndiff --git a/.env b/.env\n--- a/.env\n+++ b/.env\n@@ -1,1 +1,1 @@\n-AWS_ACCESS_KEY_ID={k}\n+AWS_SECRET_ACCESS_KEY={s}\n",
            c = "a".repeat(40)
        );
        let mut sc = Scanner::new(Options::default());
        sc.scan_text("git.log", &log, EvidenceKind::GitLog);
        let r = sc.finish();
        assert_eq!(r.secrets.len(), 2, "{:?}", r.secrets);
        // Both on the added side of one commit, they pair.
        let log = log
            .replace(
                &format!("-AWS_ACCESS_KEY_ID={k}\n+"),
                &format!("+AWS_ACCESS_KEY_ID={k}\n+"),
            )
            .replace("@@ -1,1 +1,1 @@", "@@ -0,0 +1,2 @@");
        let mut sc = Scanner::new(Options::default());
        sc.scan_text("git.log", &log, EvidenceKind::GitLog);
        assert_eq!(pairs(&sc.finish()), [(s, Some(k))]);
    }

    /// A fresh fake of a catalog rule's shape, and the rule's typical variable.
    fn fake(rule: &str, seed: u64) -> (String, &'static str) {
        let r = crate::scan::rules::rule(rule).unwrap();
        (generate(r.shape, &mut Rng::new(seed)).secret, r.var)
    }

    /// The OAuth pairs: every pair of the table but the AWS access key.
    fn oauth_pairs() -> impl Iterator<Item = &'static super::PairRule> {
        super::PAIRS
            .iter()
            .filter(|p| p.id_rule != "aws-access-key-id")
    }

    /// Each finding of a secret rule: (its value, its partner's value).
    fn pairs_of(r: &ScanReport, secret_rule: &str) -> Vec<(String, Option<String>)> {
        let mut out: Vec<(String, Option<String>)> = r
            .secrets
            .iter()
            .filter(|f| f.rule_id == secret_rule)
            .map(|f| {
                let p = f
                    .partner
                    .as_ref()
                    .and_then(|p| p.reveal())
                    .map(String::from);
                (f.reveal().unwrap().to_string(), p)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_client_id_beside_its_client_secret_is_one_finding_the_id_shown_whole() {
        for (n, p) in oauth_pairs().enumerate() {
            let seed = 100 + 10 * n as u64;
            let ((id, id_var), (s, s_var)) = (fake(p.id_rule, seed), fake(p.secret_rule, seed + 1));
            let r = scan("app.env", &format!("{id_var}={id}\n{s_var}={s}\n"));
            assert_eq!(r.secrets.len(), 1, "{}: {:?}", p.id_rule, r.secrets);
            let f = &r.secrets[0];
            assert_eq!(f.rule_id, p.secret_rule);
            let part = f.partner.as_ref().expect("the client id is its partner");
            assert_eq!(part.reveal(), Some(id.as_str()), "{}", p.id_rule);
            assert_eq!(
                (part.role.as_str(), part.value_kind, part.redacted.as_str()),
                (p.role, ValueKind::Identifier, id.as_str()),
                "{}: a client id is an identifier, shown whole",
                p.id_rule
            );
            let shown = crate::secret::redact(&s);
            assert_eq!(f.value_kind, ValueKind::Secret);
            assert_eq!(f.redacted, format!("{id} + {shown}"));
            assert_eq!(f.labelled(), format!("{id} (identifier) + {shown}"));
            assert_eq!(f.kind_label, p.label);
            let json = serde_json::to_string(&r).unwrap();
            assert!(!json.contains(&s), "{}: the secret leaks", p.secret_rule);
            assert_eq!(r.totals.distinct_secrets, 2);
            // The id below its secret pairs too (a config may write them in either order).
            let r = scan("app.env", &format!("{s_var}={s}\n{id_var}={id}\n"));
            assert_eq!(
                pairs_of(&r, p.secret_rule),
                [(s, Some(id))],
                "{}",
                p.id_rule
            );
        }
    }

    #[test]
    fn a_client_id_alone_is_no_finding_and_a_client_secret_alone_stays_one() {
        for (n, p) in oauth_pairs().enumerate() {
            let seed = 200 + 10 * n as u64;
            let ((id, id_var), (s, s_var)) = (fake(p.id_rule, seed), fake(p.secret_rule, seed + 1));
            // Alone, a client id is public by design: nothing to report, nothing counted.
            let r = scan("app.env", &format!("{id_var}={id}\n"));
            assert!(r.secrets.is_empty(), "{}: {:?}", p.id_rule, r.secrets);
            assert_eq!((r.totals.distinct_secrets, r.totals.occurrences), (0, 0));
            // Too far apart: the secret stays a finding alone, the id is dropped.
            let gap = "# filler\n".repeat(super::PAIR_LINES as usize);
            let r = scan("app.env", &format!("{id_var}={id}\n{gap}{s_var}={s}\n"));
            assert_eq!(
                pairs_of(&r, p.secret_rule),
                [(s.clone(), None)],
                "{}",
                p.id_rule
            );
            assert_eq!(r.secrets.len(), 1, "{}: {:?}", p.id_rule, r.secrets);
            assert_eq!(r.secrets[0].redacted, crate::secret::redact(&s));
            // Within the limit, they pair.
            let gap = "# filler\n".repeat(super::PAIR_LINES as usize - 1);
            let r = scan("app.env", &format!("{id_var}={id}\n{gap}{s_var}={s}\n"));
            assert_eq!(pairs_of(&r, p.secret_rule), [(s.clone(), Some(id.clone()))]);
            // In two files, they do not.
            let mut sc = Scanner::new(Options::default());
            sc.scan_text("a.env", &format!("{id_var}={id}\n"), EvidenceKind::Text);
            sc.scan_text("b.env", &format!("{s_var}={s}\n"), EvidenceKind::Text);
            assert_eq!(pairs_of(&sc.finish(), p.secret_rule), [(s, None)]);
        }
    }

    #[test]
    fn two_clients_of_one_file_are_two_pairs() {
        for (n, p) in oauth_pairs().enumerate() {
            let seed = 300 + 10 * n as u64;
            let (id1, id_var) = fake(p.id_rule, seed);
            let (s1, s_var) = fake(p.secret_rule, seed + 1);
            let (id2, s2) = (fake(p.id_rule, seed + 2).0, fake(p.secret_rule, seed + 3).0);
            let file = format!(
                "# staging\nSTAGING_{id_var}={id1}\nSTAGING_{s_var}={s1}\n\n# production\nPROD_{id_var}={id2}\nPROD_{s_var}={s2}\n"
            );
            let r = scan("clients.env", &file);
            let mut want = vec![(s1, Some(id1)), (s2, Some(id2))];
            want.sort();
            assert_eq!(pairs_of(&r, p.secret_rule), want, "{}", p.id_rule);
            assert_eq!(r.secrets.len(), 2);
        }
    }

    #[test]
    fn the_files_providers_write_pair_their_client_id_and_secret() {
        let google = fake("google-oauth-client-id", 401).0;
        let gocspx = fake("google-oauth-client-secret", 402).0;
        let (app, pw) = (
            fake("azure-ad-client-id", 403).0,
            fake("azure-ad-client-secret", 404).0,
        );
        let tenant = fake("azure-ad-client-id", 405).0;
        let gh = fake("github-oauth-client-id", 406).0;
        let ghs = fake("github-oauth-client-secret", 407).0;
        let cases = [
            // The client_secret.json the Google Cloud console downloads.
            (
                "client_secret.json",
                format!("{{\"installed\":{{\"client_id\":\"{google}\",\"project_id\":\"demo-project\",\"auth_uri\":\"https://accounts.google.com/o/oauth2/auth\",\"token_uri\":\"https://oauth2.googleapis.com/token\",\"client_secret\":\"{gocspx}\",\"redirect_uris\":[\"http://localhost\"]}}}}\n"),
                "google-oauth-client-secret",
                (gocspx, google),
            ),
            // What `az ad sp create-for-rbac` prints (the tenant id is no finding).
            (
                "rbac.json",
                format!("{{\n  \"appId\": \"{app}\",\n  \"displayName\": \"ci-deployer\",\n  \"password\": \"{pw}\",\n  \"tenant\": \"{tenant}\"\n}}\n"),
                "azure-ad-client-secret",
                (pw, app),
            ),
            // A GitHub sign-in provider in a web app's configuration.
            (
                "auth.ts",
                format!("  providers: [\n    GithubProvider({{\n      clientId: \"{gh}\",\n      clientSecret: \"{ghs}\",\n    }}),\n  ],\n"),
                "github-oauth-client-secret",
                (ghs, gh),
            ),
        ];
        for (name, text, rule, (s, id)) in cases {
            let r = scan(name, &text);
            assert_eq!(pairs_of(&r, rule), [(s, Some(id))], "{name}");
            assert_eq!(r.secrets.len(), 1, "{name}: {:?}", r.secrets);
        }
    }

    #[test]
    fn a_client_id_does_not_pair_with_another_providers_secret() {
        let (id, id_var) = fake("google-oauth-client-id", 501);
        let (s, s_var) = fake("azure-ad-client-secret", 502);
        let r = scan("app.env", &format!("{id_var}={id}\n{s_var}={s}\n"));
        assert_eq!(pairs_of(&r, "azure-ad-client-secret"), [(s, None)]);
        assert_eq!(r.secrets.len(), 1, "{:?}", r.secrets);
    }

    #[test]
    fn random_guids_and_version_numbers_are_no_client_ids() {
        let (s, s_var) = fake("azure-ad-client-secret", 601);
        let text = format!(
            "request_id = \"{}\"\nversion = \"10.0.19041.1\"\nbuild: 20260301.123456789\n{s_var}={s}\n",
            fake("azure-ad-client-id", 602).0
        );
        let r = scan("app.env", &text);
        assert_eq!(pairs_of(&r, "azure-ad-client-secret"), [(s, None)]);
    }

    #[test]
    fn a_google_client_id_ending_in_another_rules_keyword_is_still_found() {
        // `hvs.` (Vault) and `sg.` (SendGrid) are keywords; the prefilter's keyword matches do
        // not overlap, so the client id's keyword starts after the dot.
        let s = fake("google-oauth-client-secret", 701).0;
        for tail in [
            "2ohxntemvtlqg7nrrvo7fk0or4118osg",
            "0bk2qyyfvpoiuqkuend5y7f245uv2hvs",
        ] {
            let id = format!("400834093513-{tail}.apps.googleusercontent.com");
            let r = scan(
                "app.env",
                &format!("GOOGLE_CLIENT_ID={id}\nGOOGLE_CLIENT_SECRET={s}\n"),
            );
            assert_eq!(
                pairs_of(&r, "google-oauth-client-secret"),
                [(s.clone(), Some(id))]
            );
        }
    }
}
