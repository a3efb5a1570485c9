//! Three questions about a leaked credential: what could it do, where was it used, what can an attacker do
//! next. One line per credential or per next step, each with its sources.

use super::capability::Capability;
use super::questions::Facts;
use super::usage::Used;
use super::{Basis, Credential, Inputs, Reason, Source, ThreeAnswers};

/// Sources kept per line.
const MAX_SOURCES: usize = 12;

fn dedup(mut v: Vec<Source>) -> Vec<Source> {
    let mut seen = Vec::new();
    v.retain(|s| {
        if seen.contains(s) {
            false
        } else {
            seen.push(s.clone());
            true
        }
    });
    v.truncate(MAX_SOURCES);
    v
}

fn basis_tag(b: Basis) -> &'static str {
    match b {
        Basis::Observed => "used",
        Basis::Evidence => "per the evidence",
        Basis::Kind => "by its kind",
        Basis::Answer => "per your answer",
        Basis::Inferred => "from your answers",
        Basis::Unknown => "unknown",
    }
}

/// What an attacker can do next with a capability (rules `three.next.*`).
pub(crate) const NEXT: &[(Capability, &str, &str)] = &[
    (Capability::Iam, "three.next.iam", "create IAM users, access keys and login profiles that outlive the leaked key (JINX-2401)"),
    (Capability::KeyManagement, "three.next.keys", "create new API keys or service accounts that survive the revocation"),
    (Capability::AdminManagement, "three.next.admin", "invite users, create projects and lift limits: account takeover"),
    (Capability::MintTokens, "three.next.mint", "mint tokens that stay valid after the key is revoked: revoke them at their issuer"),
    (Capability::AgentSession, "three.next.agent", "walk into the rooms next door: the agent's open connections and tools, with its action history as a manual to look legitimate"),
    (Capability::ChainHop, "three.next.chain_hops", "task other agents: every task they accepted is a second door"),
    (Capability::CodeAccess, "three.next.code", "read CI secrets and push code: a path to every other secret"),
    (Capability::CloudApi, "three.next.cloud", "enumerate the cloud account and pivot: Bedrock, SES spam, EC2 mining, IAM escalation (Permiso)"),
    (Capability::DataRead, "three.next.data", "copy or destroy the data behind the key"),
    (Capability::CrmData, "three.next.data", "export customer records"),
    (Capability::StorageRead, "three.next.data", "download stored files and create shared links"),
    (Capability::Email, "three.next.email", "send mail as the organisation (phishing from a trusted sender) and read replies"),
    (Capability::Messaging, "three.next.chat", "post as the bot and read channels: social engineering from inside"),
    (Capability::ActAsUser, "three.next.account", "act in the user's account and sessions: identity takeover"),
    (Capability::Payments, "three.next.payments", "redirect payouts or refund to their own cards"),
    (Capability::ForgeEvents, "three.next.forge", "forge events that trigger business logic"),
    (Capability::Publish, "three.next.publish", "publish a poisoned package version"),
    (Capability::Impersonate, "three.next.impersonate", "sign in or sign tokens as the key's owner wherever it is trusted"),
    (Capability::LoggingConfig, "three.next.logging", "turn logging off to hide what follows"),
    (Capability::OrgWide, "three.next.org", "reach every project of the organisation, not only the one it was made for"),
    (Capability::Inference, "three.next.resale", "resell the key or run up the bill on it (harvest-and-resale market)"),
];

/// The three answers.
pub(crate) fn build(i: &Inputs, creds: &[Credential], used: &Used, f: &Facts) -> ThreeAnswers {
    let mut t = ThreeAnswers::default();
    for c in creds {
        let caps: Vec<String> = c
            .capabilities
            .iter()
            .map(|x| format!("{} [{}]", x.label, basis_tag(x.basis)))
            .collect();
        let mut src = c.classification.sources.clone();
        for x in &c.capabilities {
            for r in &x.reasons {
                src.extend(r.sources.iter().cloned());
            }
        }
        t.could_do.push(Reason::new(
            "three.could_do",
            format!(
                "{} {} ({}, {}): {}",
                c.id,
                c.name,
                c.provider,
                c.kind_label,
                caps.join("; ")
            ),
            dedup(src),
        ));
    }
    // Where it was found, and where it was used.
    for c in creds {
        if let Some(s) = c
            .fingerprint
            .as_deref()
            .and_then(|fp| i.scan.secrets.iter().find(|s| s.fingerprint == fp))
        {
            let mut files: Vec<String> = Vec::new();
            for o in &s.occurrences {
                let w = match &o.path {
                    Some(p) => format!("{} ({p})", o.evidence),
                    None => o.evidence.clone(),
                };
                if !files.contains(&w) {
                    files.push(w);
                }
            }
            let mut text = format!(
                "{} {} was found {} time(s) in {}",
                c.id,
                c.name,
                s.occurrence_count,
                files.join(", ")
            );
            if let Some(cm) = &s.introduced {
                text += &format!(
                    "; first committed in {} by {} on {}",
                    crate::format::head(&cm.id, 10),
                    cm.author.as_deref().unwrap_or("unknown author"),
                    cm.author_date.as_deref().unwrap_or("an unknown date")
                );
            }
            match s.still_present {
                Some(true) => text += "; still present",
                Some(false) => text += "; removed, but still in history",
                None => {}
            }
            let src = s
                .occurrences
                .iter()
                .take(MAX_SOURCES)
                .map(|o| super::questions::finding_source(s, o))
                .collect();
            t.used_where.push(Reason::new("three.found", text, src));
        }
        if let Some(u) = c.usage_key.as_deref().and_then(|k| used.get(k)) {
            let mut text = format!(
                "{} was used in {} row(s) of {} ({})",
                c.id,
                u.rows,
                u.files.iter().cloned().collect::<Vec<_>>().join(", "),
                u.provider
            );
            if !u.projects.is_empty() {
                text += &format!(
                    "; projects or accounts: {}",
                    u.projects.iter().cloned().collect::<Vec<_>>().join(", ")
                );
            }
            if !u.models.is_empty() {
                text += &format!(
                    "; models: {}",
                    u.models.iter().cloned().collect::<Vec<_>>().join(", ")
                );
            }
            t.used_where.push(Reason::new(
                "three.usage",
                text,
                vec![Source::row(&u.first)],
            ));
        }
    }
    for kr in &i.scan.known_keys {
        let files: std::collections::BTreeSet<&str> =
            kr.hits.iter().map(|h| h.evidence.as_str()).collect();
        t.used_where.push(Reason::new(
            "three.known_key",
            if kr.hit_count == 0 {
                format!(
                    "the searched key {} was not found in any evidence file",
                    kr.key
                )
            } else {
                format!(
                    "the searched key {} was found {} time(s) in {}",
                    kr.key,
                    kr.hit_count,
                    files.into_iter().collect::<Vec<_>>().join(", ")
                )
            },
            vec![Source::KnownKey {
                key: kr.key.clone(),
            }],
        ));
    }
    if let Some(envs) = f.environments.value.as_ref().filter(|e| !e.is_empty()) {
        t.used_where.push(Reason::new(
            "three.environments",
            format!(
                "environments that held it: {}",
                envs.iter()
                    .map(|e| e.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            f.environments.sources("environments"),
        ));
    }
    // What next: observed persistence first, then what the capabilities allow.
    for a in i.detection.alerts.iter().filter(|a| {
        matches!(
            a.kind,
            crate::detect::AlertKind::Persistence
                | crate::detect::AlertKind::LoggingTampering
                | crate::detect::AlertKind::Destruction
        ) && !a.all_refused()
            && creds
                .iter()
                .any(|c| c.usage_key.as_deref() == Some(a.key.as_str()))
    }) {
        t.next.push(Reason::new(
            "three.next.observed",
            format!("already done: {}", a.sentence),
            vec![Source::Alert { id: a.id.clone() }],
        ));
    }
    let mut rules_done: Vec<&str> = Vec::new();
    for (cap, rule, text) in NEXT {
        if rules_done.contains(rule) {
            continue;
        }
        let Some((ids, src)) = super::credentials::with_capability(creds, *cap) else {
            continue;
        };
        rules_done.push(rule);
        t.next.push(Reason::new(
            rule,
            format!("{text} ({})", ids.join(", ")),
            dedup(src),
        ));
    }
    t
}
