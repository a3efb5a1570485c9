//! The credentials: classified from the scan findings, the known-key searches, the usage keys
//! with alerts and the responder's named credentials; linked to their usage rows; given the
//! capabilities their kind, their observed operations and the answers show.

use super::capability::{self, Capability};
use super::kinds::{self, CredKind};
use super::questions::Facts;
use super::usage::Used;
use super::{Basis, CapabilityItem, Credential, Inputs, Origin, Reason, Source, Tri};

/// The credentials with a capability (their ids), and the sources behind it: each one's
/// classification and the capability's reasons, without repeats.
pub(crate) fn with_capability(
    creds: &[Credential],
    cap: Capability,
) -> Option<(Vec<String>, Vec<Source>)> {
    let mut ids = Vec::new();
    let mut src: Vec<Source> = Vec::new();
    for c in creds {
        let Some(x) = c.capabilities.iter().find(|x| x.capability == cap) else {
            continue;
        };
        ids.push(c.id.clone());
        src.extend(c.classification.sources.iter().cloned());
        src.extend(x.reasons.iter().flat_map(|r| r.sources.iter().cloned()));
    }
    let mut seen = Vec::new();
    src.retain(|s| {
        let new = !seen.contains(s);
        if new {
            seen.push(s.clone());
        }
        new
    });
    (!ids.is_empty()).then_some((ids, src))
}

/// Whether a key as shown (`prefix...last4`, `prefix…last4`, or whole) can be this value.
pub(crate) fn fits(value: &str, shown: &str) -> bool {
    if value == shown || crate::secret::redact(value) == shown {
        return true;
    }
    for sep in ["...", "…"] {
        if let Some((p, s)) = shown.split_once(sep) {
            return !p.is_empty()
                && !s.is_empty()
                && value.len() >= p.len() + s.len()
                && value.starts_with(p)
                && value.ends_with(s);
        }
    }
    false
}

fn new_cred(
    name: String,
    provider: String,
    kind: CredKind,
    origin: Origin,
    classification: Reason,
) -> Credential {
    let f = kinds::facts(kind);
    Credential {
        id: String::new(),
        name,
        provider,
        kind,
        kind_label: f.label.into(),
        origins: vec![origin],
        scan_rule: None,
        fingerprint: None,
        usage_key: None,
        containment_priority: f.priority,
        priority_reason: Reason::new(f.rule, f.why, classification.sources.clone()),
        classification,
        capabilities: Vec::new(),
        revoke_at: f.revoke.into(),
        answers_apply: f.ai,
    }
}

/// Usage providers whose keys call models (rule `kind.usage_provider`).
const AI_PROVIDERS: &[&str] = &[
    "openai",
    "anthropic",
    "azure_openai",
    "aws_bedrock",
    "gcp_vertex",
    "google",
    "openrouter",
    "litellm",
    "helicone",
    "langfuse",
    "cloudflare",
    "mistral",
    "groq",
    "cohere",
    "xai",
    "gemini",
    "vertex",
];

/// Every credential, classified and linked, before the answers apply.
pub(crate) fn build(i: &Inputs, used: &Used) -> Vec<Credential> {
    let mut out: Vec<Credential> = Vec::new();
    let labels: Vec<&str> = i.detection.keys.iter().map(|k| k.key.as_str()).collect();
    for s in &i.scan.secrets {
        let (mut kind, mut rule) = kinds::of_finding(&s.rule_id, s.kind, &s.redacted);
        let first = s.occurrences.first();
        let sources: Vec<Source> = first
            .map(|o| super::questions::finding_source(s, o))
            .into_iter()
            .collect();
        let mut text = format!(
            "{}: {} (scan rule {}); it can {}",
            s.redacted, s.title, s.rule_id, s.can_do
        );
        // A pair (an AWS key id and its secret access key, an OAuth client id and its secret,
        // found together) is one credential: of the kind an AWS key id says, else the secret's.
        if let Some(id) = &s.partner {
            rule = "kind.pair";
            if id.kind == crate::scan::rules::Kind::CloudAccessKeyId {
                kind = kinds::of_finding(&id.rule_id, id.kind, &id.redacted).0;
                rule = "kind.aws_pair";
            }
            text = format!(
                "{}: {} {} and its {}, found together: one credential",
                s.redacted, s.provider, id.role, s.title
            );
        }
        let mut c = new_cred(
            s.redacted.clone(),
            s.provider.clone(),
            kind,
            Origin::Found,
            Reason::new(rule, text, sources),
        );
        c.scan_rule = Some(s.rule_id.clone());
        c.fingerprint = Some(s.fingerprint.clone());
        c.revoke_at = s.revoke.clone();
        if s.matches_known_key {
            c.origins.push(Origin::KnownKey);
        }
        // A pair's usage rows name its key id (CloudTrail's `accessKeyId`).
        c.usage_key = s
            .partner
            .as_ref()
            .and_then(|p| p.reveal())
            .into_iter()
            .chain(s.reveal())
            .find_map(|v| labels.iter().find(|l| fits(v, l)).map(|l| l.to_string()))
            .or_else(|| {
                labels
                    .iter()
                    .find(|l| **l == s.redacted)
                    .map(|l| l.to_string())
            });
        if c.usage_key.is_some() {
            c.origins.push(Origin::Usage);
        }
        out.push(c);
    }
    for (n, kr) in i.scan.known_keys.iter().enumerate() {
        let hit_fps: Vec<&str> = kr.hits.iter().map(|h| h.fingerprint.as_str()).collect();
        // A hit on a pair's key id is a hit on the pair.
        let partner_of = |fp: &str| {
            i.scan
                .secrets
                .iter()
                .find(|s| s.fingerprint == fp)
                .and_then(|s| s.partner.as_ref())
                .map(|p| p.fingerprint.as_str())
        };
        if let Some(c) = out.iter_mut().find(|c| {
            c.fingerprint.as_deref().is_some_and(|fp| {
                hit_fps.contains(&fp) || partner_of(fp).is_some_and(|p| hit_fps.contains(&p))
            })
        }) {
            if !c.origins.contains(&Origin::KnownKey) {
                c.origins.push(Origin::KnownKey);
            }
            continue;
        }
        let key = i.known_keys.get(n);
        let usage_key =
            key.and_then(|k| labels.iter().find(|l| k.could_be(l)).map(|l| l.to_string()));
        let provider_of_usage = usage_key
            .as_deref()
            .and_then(|l| used.get(l))
            .map(|u| u.provider.clone());
        let src = vec![Source::KnownKey {
            key: kr.key.clone(),
        }];
        let (provider, kind, reason) = match key.and_then(|k| kinds::by_prefix(|p| k.has_prefix(p)))
        {
            Some((prov, kind, p)) => (
                prov.to_string(),
                kind,
                Reason::new(
                    "kind.prefix",
                    format!("the searched key starts with {p}"),
                    src,
                ),
            ),
            None => {
                let (prov, kind) = by_provider(provider_of_usage.as_deref());
                (prov, kind, Reason::new("kind.usage_provider", "the searched key's prefix is not known; its kind follows its usage rows' provider", src))
            }
        };
        let mut c = new_cred(kr.key.clone(), provider, kind, Origin::KnownKey, reason);
        if usage_key.is_some() {
            c.origins.push(Origin::Usage);
        }
        c.usage_key = usage_key;
        out.push(c);
    }
    // Keys the usage evidence shows abused that no finding or search stands for.
    let mut alerted: Vec<&str> = i
        .detection
        .summary
        .abused_keys
        .iter()
        .map(|v| v.key.as_str())
        .collect();
    alerted.extend(
        i.detection
            .summary
            .keys_to_confirm
            .iter()
            .map(String::as_str),
    );
    for label in alerted {
        if out.iter().any(|c| c.usage_key.as_deref() == Some(label)) {
            continue;
        }
        let Some(u) = used.get(label) else { continue };
        let src = vec![Source::row(&u.first)];
        let (provider, kind, reason) = match kinds::by_prefix(|p| label.starts_with(p)) {
            Some((prov, kind, p)) => (
                prov.to_string(),
                kind,
                Reason::new(
                    "kind.prefix",
                    format!("the usage key id {label} starts with {p}"),
                    src,
                ),
            ),
            None => {
                let (prov, kind) = by_provider(Some(&u.provider));
                (
                    prov,
                    kind,
                    Reason::new(
                        "kind.usage_provider",
                        format!("the usage key {label} has rows from {}", u.provider),
                        src,
                    ),
                )
            }
        };
        let mut c = new_cred(label.to_string(), provider, kind, Origin::Usage, reason);
        c.usage_key = Some(label.to_string());
        out.push(c);
    }
    for n in &i.answers.credentials {
        let reason = Reason::new(
            "kind.answer",
            format!("named by the responder as a {}", n.kind.label()),
            vec![Source::answer("credentials")],
        );
        let prov = if n.provider.trim().is_empty() {
            "unknown".to_string()
        } else {
            n.provider.clone()
        };
        out.push(new_cred(
            n.label.clone(),
            prov,
            n.kind,
            Origin::Answer,
            reason,
        ));
    }
    for c in out.iter_mut() {
        // The answers describe the leaked AI credentials: AI kinds, and any key the usage
        // evidence shows calling models (an AWS key invoking Bedrock).
        if let Some(u) = c.usage_key.as_deref().and_then(|k| used.get(k)) {
            c.answers_apply |= u.caps.contains_key(&Capability::Inference)
                || AI_PROVIDERS.iter().any(|p| u.provider.contains(p));
        }
        add_kind_caps(c);
        if let Some(u) = c.usage_key.as_deref().and_then(|k| used.get(k)) {
            for (cap, seen) in &u.caps {
                add_cap(
                    c,
                    *cap,
                    Basis::Observed,
                    Reason::new(
                        "cap.operation",
                        format!("{} in the usage evidence", seen.operations()),
                        vec![Source::row(&seen.first)],
                    ),
                );
            }
        }
    }
    out
}

/// A provider name and kind from a usage provider (rule `kind.usage_provider`).
fn by_provider(p: Option<&str>) -> (String, CredKind) {
    match p {
        Some(p) if AI_PROVIDERS.iter().any(|a| p.contains(a)) => {
            (p.to_string(), CredKind::InferenceKey)
        }
        Some(p) if p.starts_with("aws") => (p.to_string(), CredKind::CloudLongTermKey),
        Some(p) => (p.to_string(), CredKind::OtherApiKey),
        None => ("unknown".into(), CredKind::OtherApiKey),
    }
}

fn add_kind_caps(c: &mut Credential) {
    for cap in capability::of_kind(c.kind, &c.provider) {
        let text = format!("{} {}: {}", c.provider, c.kind_label, cap.label());
        let src = c.classification.sources.clone();
        add_cap(c, cap, Basis::Kind, Reason::new("cap.kind", text, src));
    }
}

/// Adds a capability, or a reason to one already there; the strongest basis wins.
fn add_cap(c: &mut Credential, cap: Capability, basis: Basis, reason: Reason) {
    match c.capabilities.iter_mut().find(|x| x.capability == cap) {
        Some(x) => {
            if basis < x.basis {
                x.basis = basis;
            }
            x.reasons.push(reason);
        }
        None => c.capabilities.push(CapabilityItem {
            capability: cap,
            label: cap.label().into(),
            basis,
            reasons: vec![reason],
        }),
    }
}

/// What the answers (and the evidence that filled the questions) add to the AI credentials.
pub(crate) fn apply_answers(creds: &mut [Credential], f: &Facts) {
    // Only what the responder answered spreads to every AI credential: what the evidence shows
    // is already a capability of the credential it was seen on.
    let answered = |b: Basis| b == Basis::Answer;
    for c in creds.iter_mut().filter(|c| c.answers_apply) {
        if f.agent.value == Some(Tri::Yes) && answered(f.agent.basis) {
            add_cap(
                c,
                Capability::AgentSession,
                Basis::Answer,
                Reason::new(
                    "cap.agent",
                    "used by an agent with tools",
                    f.agent.sources("agent"),
                ),
            );
        }
        for t in f.tools().iter().filter(|_| answered(f.agent_tools.basis)) {
            for cap in capability::of_tool(*t) {
                add_cap(
                    c,
                    cap,
                    Basis::Answer,
                    Reason::new(
                        "cap.agent_tool",
                        format!("its holder acts on {}", t.label()),
                        f.agent_tools.sources("agent_tools"),
                    ),
                );
            }
        }
        if f.minted.value == Some(Tri::Yes) && answered(f.minted.basis) {
            add_cap(
                c,
                Capability::MintTokens,
                Basis::Answer,
                Reason::new(
                    "cap.minted",
                    "it minted tokens downstream",
                    f.minted.sources("minted"),
                ),
            );
        }
        if f.key_scope.value == Some(super::KeyScope::Organisation) && answered(f.key_scope.basis) {
            add_cap(
                c,
                Capability::OrgWide,
                Basis::Answer,
                Reason::new(
                    "cap.org_scope",
                    "organisation-scoped",
                    f.key_scope.sources("key_scope"),
                ),
            );
        }
    }
}

/// Orders credentials (highest priority first) and capabilities, and numbers them.
pub(crate) fn finish(creds: &mut [Credential]) {
    creds.sort_by_key(|c| std::cmp::Reverse(c.containment_priority));
    for (n, c) in creds.iter_mut().enumerate() {
        c.id = format!("C{}", n + 1);
        c.capabilities
            .sort_by(|a, b| a.basis.cmp(&b.basis).then(a.capability.cmp(&b.capability)));
    }
}
