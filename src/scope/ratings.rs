//! Data exposure, financial exposure and personal data: each rating is the highest level any
//! rule pushes it to, and lists every rule that fired with what it rests on.

use super::answers::{Tool, Tri};
use super::kinds::CredKind;
use super::questions::{Fact, Facts};
use super::{Basis, Credential, Inputs, Level, PersonalData, Rating, Reason, Source};
use crate::detect::{AlertKind, Severity};
use crate::format;

/// A spend limit at or above this (US dollars a month) bounds the bill only to medium.
pub const LIMIT_MEDIUM_USD: f64 = 1_000.0;
/// A spend limit at or above this bounds it only to high.
pub const LIMIT_HIGH_USD: f64 = 10_000.0;
/// Attacker cost (or 24-hour projection) at or above this is high.
pub const COST_HIGH_USD: f64 = 1_000.0;
/// Attacker cost (or 24-hour projection) at or above this is critical.
pub const COST_CRITICAL_USD: f64 = 10_000.0;
/// Personal data of at least this many people makes data exposure critical.
pub const PEOPLE_CRITICAL: u64 = 10_000;

use CredKind as K;
use Level as L;

/// Data exposure of each kind, when the kind alone decides (rules `data.*`).
pub(crate) const DATA_BY_KIND: &[(CredKind, Level, &str, &str)] = &[
    (K::AdminKey, L::High, "data.admin", "reads every project's usage and audit logs, and by creating keys everything the organisation stores"),
    (K::AgentCredential, L::High, "data.agent", "carries the agent's context, action history and open tool connections"),
    (K::CloudLongTermKey, L::High, "data.cloud", "reads the storage, databases and secrets the identity's policies allow"),
    (K::CloudSecretKey, L::High, "data.cloud", "reads the storage, databases and secrets the identity's policies allow"),
    (K::CloudServiceAccountKey, L::High, "data.cloud", "reads the storage, databases and secrets the identity's policies allow"),
    (K::CloudTemporaryKey, L::High, "data.cloud", "reads the storage, databases and secrets the role's policies allow, until the session expires"),
    (K::BedrockApiKey, L::Medium, "data.bedrock", "reads the account's Bedrock resources: custom models, batch and fine-tuning data"),
    (K::DatabaseUrl, L::Critical, "data.database", "reads and changes every row the database user can (direct data theft or destruction)"),
    (K::PaymentToken, L::High, "data.payment", "reads customers' names, emails, addresses and payment history in the processor"),
    (K::CodeHostToken, L::High, "data.code_host", "reads source code, CI secrets and workflow logs"),
    (K::PrivateKey, L::High, "data.private_key", "decrypts or signs into whatever trusts it"),
    (K::SessionCookie, L::High, "data.session", "is the user's whole account as the web app shows it"),
    (K::OauthRefreshToken, L::High, "data.oauth_refresh", "reads the granted scopes, renewing access at will"),
    (K::OauthAccessToken, L::Medium, "data.oauth", "reads the granted scopes until it expires"),
    (K::OauthClientSecret, L::Medium, "data.oauth", "obtains tokens for the app's scopes in some flows"),
    (K::Jwt, L::Medium, "data.oauth", "reads what its subject may until it expires"),
    (K::ChatBotToken, L::Medium, "data.chat", "reads messages in every channel the bot joined"),
    (K::WebhookSecret, L::Medium, "data.webhook", "forges events the receiver trusts (business logic abuse)"),
    (K::PackageToken, L::Medium, "data.package", "publishes packages others install"),
    (K::OtherApiKey, L::Medium, "data.other", "reads what the issuing service holds for the key"),
    (K::Generic, L::Low, "data.generic", "an unidentified secret: find its service first"),
];

/// Financial exposure of each kind, when the kind alone decides (rules `fin.*`).
pub(crate) const FIN_BY_KIND: &[(CredKind, Level, &str, &str)] = &[
    (K::AdminKey, L::High, "fin.admin", "creates keys and lifts limits: spend limits do not bound it"),
    (K::CloudLongTermKey, L::Critical, "fin.cloud_long_term", "creates compute and calls Bedrock in every region until deleted (JINX-2401, Permiso's campaigns)"),
    (K::CloudSecretKey, L::Critical, "fin.cloud_long_term", "creates compute and calls Bedrock in every region until deleted"),
    (K::CloudServiceAccountKey, L::Critical, "fin.cloud_long_term", "creates compute and calls Vertex AI until the key is deleted"),
    (K::CloudTemporaryKey, L::High, "fin.cloud_temporary", "the same power over billable resources, but only until the session expires (at most 36 hours)"),
    (K::BedrockApiKey, L::High, "fin.bedrock", "calls every Bedrock model in the account; no provider spend limit applies"),
    (K::PaymentToken, L::Critical, "fin.payment", "charges, refunds and payout redirection"),
    (K::CodeHostToken, L::Medium, "fin.code_host", "runs CI minutes and reaches every secret CI holds"),
    (K::OauthRefreshToken, L::Medium, "fin.account", "acts in the account, billing included, until revoked"),
    (K::SessionCookie, L::Medium, "fin.account", "acts in the account, billing included, until logged out"),
];

/// Kinds whose bill a spend limit bounds (rules `fin.spend_*`).
fn limited_by_spend(k: CredKind) -> bool {
    matches!(
        k,
        K::InferenceKey | K::ProjectKey | K::ServiceAccountKey | K::AgentCredential
    )
}

fn cred_sources(c: &Credential) -> Vec<Source> {
    c.classification.sources.clone()
}

fn rating(mut reasons: Vec<Reason>) -> Rating {
    reasons.sort_by_key(|r| std::cmp::Reverse(r.level));
    Rating {
        level: reasons
            .iter()
            .filter_map(|r| r.level)
            .max()
            .unwrap_or(Level::Low),
        reasons,
    }
}

/// Alerts on the usage keys of these credentials, of a kind.
fn alerts<'a>(
    i: &'a Inputs,
    creds: &[Credential],
    kind: AlertKind,
) -> Vec<&'a crate::detect::Alert> {
    i.detection
        .alerts
        .iter()
        .filter(|a| {
            a.kind == kind
                && creds
                    .iter()
                    .any(|c| c.usage_key.as_deref() == Some(a.key.as_str()))
        })
        .collect()
}

/// The reason a kind table gives a credential, if its kind is in the table.
fn by_kind(table: &[(CredKind, Level, &str, &str)], c: &Credential) -> Option<Reason> {
    let (_, lvl, rule, why) = table.iter().find(|(k, ..)| *k == c.kind)?;
    let text = format!("{} ({}) {why}", c.name, c.kind_label);
    Some(Reason::new(rule, text, cred_sources(c)).at(*lvl))
}

fn alert_sources(v: &[&crate::detect::Alert]) -> Vec<Source> {
    v.iter()
        .map(|a| Source::Alert { id: a.id.clone() })
        .collect()
}

/// Data exposure.
pub(crate) fn data(i: &Inputs, creds: &[Credential], f: &Facts) -> Rating {
    let mut r: Vec<Reason> = Vec::new();
    for c in creds.iter() {
        if let Some(x) = by_kind(DATA_BY_KIND, c) {
            r.push(x);
            continue;
        }
        // AI keys: what stored data the key reaches decides.
        let stored: Vec<&super::CapabilityItem> = c
            .capabilities
            .iter()
            .filter(|x| x.capability.reads_stored_data())
            .collect();
        if stored.is_empty() {
            r.push(Reason::new("data.inference_only", format!("{} ({}) calls models only: it exposes what the attacker sends, not stored data", c.name, c.kind_label), cred_sources(c)).at(L::Low));
        } else {
            let observed: Vec<&&super::CapabilityItem> = stored
                .iter()
                .filter(|x| x.basis == Basis::Observed)
                .collect();
            let (rule, text, sources) = if observed.is_empty() {
                (
                    "data.stored_data",
                    format!(
                        "{} ({}) can {}: stored data behind the key",
                        c.name,
                        c.kind_label,
                        stored
                            .iter()
                            .map(|x| x.label.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    cred_sources(c),
                )
            } else {
                (
                    "data.stored_data_used",
                    format!(
                        "{} used stored-data APIs: {}",
                        c.name,
                        observed
                            .iter()
                            .map(|x| x.label.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    observed
                        .iter()
                        .flat_map(|x| x.reasons.iter().flat_map(|r| r.sources.clone()))
                        .collect(),
                )
            };
            r.push(Reason::new(rule, text, sources).at(L::Medium));
        }
    }
    let ai_stored = creds.iter().any(|c| {
        c.answers_apply
            && c.capabilities
                .iter()
                .any(|x| x.capability.reads_stored_data())
    });
    match f.key_scope.value {
        Some(super::KeyScope::Organisation) if ai_stored => r.push(Reason::new("data.org_scope", "the key reaches every project of the organisation: every project's files, threads and fine-tuning data", f.key_scope.sources("key_scope")).at(L::High)),
        Some(super::KeyScope::Project) => r.push(Reason::new("data.project_scope", "the key is bounded to one project", f.key_scope.sources("key_scope"))),
        _ => {}
    }
    if f.agent.value == Some(Tri::Yes) && !creds.iter().any(|c| c.kind == K::AgentCredential) {
        r.push(Reason::new("data.agent", "an agent with tools uses the key: its context, action history and tool connections are exposed", f.agent.sources("agent")).at(L::High));
    }
    let data_tools: Vec<Tool> = f
        .tools()
        .iter()
        .copied()
        .filter(|t| *t != Tool::Other && *t != Tool::AgentsQueues)
        .collect();
    if !data_tools.is_empty() {
        r.push(
            Reason::new(
                "data.agent_tools",
                format!(
                    "the key's holder can act on: {}",
                    data_tools
                        .iter()
                        .map(|t| t.label())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                f.agent_tools.sources("agent_tools"),
            )
            .at(L::High),
        );
    }
    if f.tools().contains(&Tool::AgentsQueues) {
        r.push(
            Reason::new(
                "data.chain_hops",
                "it hands tasks to other agents or queues: each is a second door",
                f.agent_tools.sources("agent_tools"),
            )
            .at(L::High),
        );
    }
    if f.minted.value == Some(Tri::Yes) {
        r.push(Reason::new("data.minted", "it minted tokens: copies of its access that outlive it until revoked at their issuer", f.minted.sources("minted")).at(L::High));
    }
    // What the affected agent sessions did, where their logs say.
    r.extend(super::agent::data_reasons(i.agent));
    if f.personal_data.value == Some(Tri::Yes) {
        let many = f.people.value.is_some_and(|n| n >= PEOPLE_CRITICAL);
        let bulk = f
            .tools()
            .iter()
            .any(|t| matches!(t, Tool::Database | Tool::Crm | Tool::FileStorage))
            || creds.iter().any(|c| c.kind == K::DatabaseUrl);
        let mut src = f.personal_data.sources("personal_data");
        if many {
            src.extend(f.people.sources("people"));
            r.push(
                Reason::new(
                    "data.personal_at_scale",
                    format!(
                        "personal data of about {} people was reachable",
                        format::num(f.people.value.unwrap_or(0) as f64)
                    ),
                    src,
                )
                .at(L::Critical),
            );
        } else if bulk {
            src.extend(f.agent_tools.sources("agent_tools"));
            r.push(Reason::new("data.personal_bulk", "personal data was reachable through a database, CRM or file store: bulk copying is possible", src).at(L::Critical));
        } else {
            r.push(Reason::new("data.personal", "personal data was reachable", src).at(L::High));
        }
    }
    let persist = alerts(i, creds, AlertKind::Persistence);
    let iam: Vec<&crate::detect::Alert> = persist
        .iter()
        .copied()
        .filter(|a| a.severity == Severity::Critical)
        .collect();
    if !iam.is_empty() {
        r.push(
            Reason::new(
                "data.iam_persistence",
                format!(
                    "the attacker created identities, keys or grants that outlive the leaked one: {}",
                    iam.iter()
                        .map(|a| a.values.join(", "))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                alert_sources(&iam),
            )
            .at(L::Critical),
        );
    } else if !persist.is_empty() {
        r.push(
            Reason::new(
                "data.persistence",
                format!(
                    "the attacker created stored resources: {}",
                    persist
                        .iter()
                        .map(|a| a.values.join(", "))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                alert_sources(&persist),
            )
            .at(L::High),
        );
    }
    // A change every call of which was refused left the logs as they were.
    let tamper: Vec<&crate::detect::Alert> = alerts(i, creds, AlertKind::LoggingTampering)
        .into_iter()
        .filter(|a| !a.all_refused())
        .collect();
    if !tamper.is_empty() {
        r.push(
            Reason::new(
                "data.logging_tampering",
                "logging was changed or deleted: what happened after it may be invisible",
                alert_sources(&tamper),
            )
            .at(L::High),
        );
    }
    // Data deleted is data lost (an integrity and availability breach) unless a copy exists;
    // refused attempts deleted nothing, and a person deleting as usual is a change to confirm.
    let destroyed: Vec<&crate::detect::Alert> = alerts(i, creds, AlertKind::Destruction)
        .into_iter()
        .filter(|a| a.lost_data())
        .collect();
    if !destroyed.is_empty() {
        r.push(
            Reason::new(
                "data.destruction",
                format!(
                    "the attacker deleted stored data or what holds it: {}",
                    destroyed
                        .iter()
                        .map(|a| a.values.join(", "))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                alert_sources(&destroyed),
            )
            .at(L::Critical),
        );
    }
    let exfil = alerts(i, creds, AlertKind::Exfiltration);
    if !exfil.is_empty() {
        r.push(
            Reason::new(
                "data.exfiltration",
                "unusually large outputs or prompts: data may have left through the model",
                alert_sources(&exfil),
            )
            .at(L::Medium),
        );
    }
    if r.is_empty() {
        r.push(Reason::new(
            "data.nothing",
            "no credential classified and no answer given: nothing to rate yet",
            vec![],
        ));
    }
    rating(r)
}

/// Financial exposure.
pub(crate) fn financial(i: &Inputs, creds: &[Credential], f: &Facts) -> Rating {
    let mut r: Vec<Reason> = Vec::new();
    let limit = f.spend_limit.value;
    let amount = f.spend_limit_usd.value;
    let mut spend_rule_done = false;
    for c in creds.iter() {
        if let Some(x) = by_kind(FIN_BY_KIND, c) {
            r.push(x);
            continue;
        }
        if !limited_by_spend(c.kind) {
            r.push(
                Reason::new(
                    "fin.other",
                    format!("{} ({}) has no direct billing power", c.name, c.kind_label),
                    cred_sources(c),
                )
                .at(L::Low),
            );
            continue;
        }
        let mut src = cred_sources(c);
        let (rule, lvl, text) = match limit {
            Some(Tri::Yes) => {
                src.extend(f.spend_limit.sources("spend_limit"));
                match amount {
                    Some(a) => {
                        src.extend(f.spend_limit_usd.sources("spend_limit_usd"));
                        let lvl = if a >= LIMIT_HIGH_USD { L::High } else if a >= LIMIT_MEDIUM_USD { L::Medium } else { L::Low };
                        ("fin.spend_limit", lvl, format!("{} is bounded by a spend limit of ${} a month", c.name, format::num(a)))
                    }
                    None => ("fin.spend_limit", L::Low, format!("{} is bounded by a spend limit", c.name)),
                }
            }
            Some(Tri::No) => {
                src.extend(f.spend_limit.sources("spend_limit"));
                ("fin.no_spend_limit", L::High, format!("{} has no spend limit: the bill runs until it is revoked", c.name))
            }
            _ => ("fin.spend_unknown", L::Medium, format!("{} calls billable models and no spend limit is known: the bill runs until it is revoked", c.name)),
        };
        r.push(Reason::new(rule, text, src).at(lvl));
        spend_rule_done = true;
    }
    if spend_rule_done && limit != Some(Tri::Yes) {
        match f.models_allowed.value {
            Some(super::ModelsAllowed::All) => r.push(Reason::new(
                "fin.models_all",
                "every model is allowed: the attacker can pick the most expensive",
                f.models_allowed.sources("models_allowed"),
            )),
            Some(super::ModelsAllowed::Restricted) => r.push(Reason::new(
                "fin.models_restricted",
                "only some models are allowed, which bounds the cost per call, not the bill",
                f.models_allowed.sources("models_allowed"),
            )),
            _ => {}
        }
    }
    // What the usage evidence shows the attacker spent, and would spend in the next 24 hours.
    let cost = &i.detection.cost;
    let spent = cost.attacker_cost_usd;
    let mut projected = cost.projected_next_24h_usd;
    let capped = matches!((limit, amount), (Some(Tri::Yes), Some(a)) if a < projected)
        && !creds.iter().any(|c| c.kind == K::AdminKey);
    if capped {
        projected = amount.unwrap_or(projected);
    }
    let level_of = |v: f64| {
        if v >= COST_CRITICAL_USD {
            L::Critical
        } else if v >= COST_HIGH_USD {
            L::High
        } else if v > 0.0 {
            L::Medium
        } else {
            L::Low
        }
    };
    if spent > 0.0 || projected > 0.0 {
        let mut src = vec![
            Source::Cost {
                field: "attacker_cost_usd".into(),
            },
            Source::Cost {
                field: "projected_next_24h_usd".into(),
            },
        ];
        src.extend(alert_sources(&alerts(i, creds, AlertKind::CostSpike)));
        src.extend(alert_sources(&alerts(i, creds, AlertKind::BurnRate)));
        r.push(Reason::new(
            "fin.observed_cost",
            format!(
                "the usage evidence attributes ${} to the attacker; the next 24 hours at the current rate: ${}{}",
                format::num(spent),
                format::num(projected),
                if capped { " (capped by the spend limit)" } else { "" }
            ),
            src,
        ).at(level_of(spent.max(projected))));
    }
    let persist: Vec<&crate::detect::Alert> = alerts(i, creds, AlertKind::Persistence)
        .into_iter()
        .filter(|a| a.severity == Severity::Critical)
        .collect();
    if !persist.is_empty() {
        r.push(
            Reason::new(
                "fin.persistence",
                "identities the attacker created keep spending after the leaked key is revoked",
                alert_sources(&persist),
            )
            .at(L::High),
        );
    }
    if f.agent.value == Some(Tri::Yes)
        && f.tools()
            .iter()
            .any(|t| matches!(t, Tool::Email | Tool::Other))
    {
        r.push(Reason::new("fin.agent_tools", "the agent's tools can send mail or call other paid services on the organisation's account", f.agent_tools.sources("agent_tools")).at(L::Medium));
    }
    if r.is_empty() {
        r.push(Reason::new(
            "fin.nothing",
            "no credential classified and no cost in the evidence: nothing to rate yet",
            vec![],
        ));
    }
    rating(r)
}

/// The value in force for "could it reach personal data" (rules `pd.*`).
pub(crate) fn personal_fact(answer: Option<Tri>, creds: &[Credential], f: &Facts) -> Fact<Tri> {
    if let Some(a @ (Tri::Yes | Tri::No)) = answer {
        return Fact {
            value: Some(a),
            basis: Basis::Answer,
            reason: None,
        };
    }
    let people_tools: Vec<Tool> = f
        .tools()
        .iter()
        .copied()
        .filter(|t| matches!(t, Tool::Crm | Tool::Email))
        .collect();
    if !people_tools.is_empty() {
        let basis = if f.agent_tools.basis == Basis::Answer {
            Basis::Inferred
        } else {
            Basis::Evidence
        };
        return Fact {
            value: Some(Tri::Yes),
            basis,
            reason: Some(Reason::new(
                "pd.tools",
                format!(
                    "the key's holder reaches {}: these hold people's personal data by nature",
                    people_tools
                        .iter()
                        .map(|t| t.label())
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
                f.agent_tools.sources("agent_tools"),
            )),
        };
    }
    if let Some(c) = creds.iter().find(|c| {
        c.kind == K::PaymentToken && !c.scan_rule.as_deref().is_some_and(|r| r.contains("test"))
    }) {
        return Fact {
            value: Some(Tri::Yes),
            basis: Basis::Evidence,
            reason: Some(Reason::new(
                "pd.payment",
                format!(
                    "{} reads the payment processor's customers: names, emails, addresses",
                    c.name
                ),
                c.classification.sources.clone(),
            )),
        };
    }
    let inference_only = !creds.is_empty()
        && f.agent.value != Some(Tri::Yes)
        && f.tools().is_empty()
        && f.minted.value != Some(Tri::Yes)
        && creds.iter().all(|c| {
            limited_by_spend(c.kind)
                && c.kind != K::AgentCredential
                && !c
                    .capabilities
                    .iter()
                    .any(|x| x.capability.reads_stored_data())
        });
    if inference_only {
        return Fact {
            value: Some(Tri::No),
            basis: Basis::Evidence,
            reason: Some(Reason::new("pd.inference_only", "every credential only calls models and reaches no stored data: the attacker sees only what they send (confirm the provider stores no prompts or completions for the key)", creds.iter().flat_map(cred_sources).collect())),
        };
    }
    if answer == Some(Tri::Unknown) {
        return Fact {
            value: Some(Tri::Unknown),
            basis: Basis::Answer,
            reason: None,
        };
    }
    Fact::default()
}

/// The personal-data verdict with what to check.
pub(crate) fn personal(creds: &[Credential], f: &Facts) -> PersonalData {
    let pd = &f.personal_data;
    let reachable = pd.value.unwrap_or(Tri::Unknown);
    let mut reasons = Vec::new();
    match (&pd.reason, pd.basis) {
        (Some(r), _) => reasons.push(r.clone()),
        (None, Basis::Answer) => reasons.push(Reason::new(
            "pd.answer",
            format!("the responder answered: {}", reachable.as_str()),
            vec![Source::answer("personal_data")],
        )),
        _ => {}
    }
    if reachable != Tri::No {
        for c in creds.iter() {
            let where_ = match c.kind {
                K::DatabaseUrl => Some(
                    "its database: do the tables hold names, emails, health or financial data?",
                ),
                K::CloudLongTermKey
                | K::CloudSecretKey
                | K::CloudServiceAccountKey
                | K::CloudTemporaryKey => {
                    Some("the account's buckets and databases the identity may read")
                }
                K::AgentCredential => {
                    Some("the agent's context and action history, and what its tools reach")
                }
                K::AdminKey => Some("every project's stored files, threads and fine-tuning data"),
                _ if c
                    .capabilities
                    .iter()
                    .any(|x| x.capability.reads_stored_data()) =>
                {
                    Some("the stored files, threads, batches and vector stores behind the key")
                }
                _ => None,
            };
            if let Some(w) = where_ {
                reasons.push(Reason::new(
                    "pd.check",
                    format!("check {} ({}): {w}", c.name, c.kind_label),
                    cred_sources(c),
                ));
            }
        }
        for t in f
            .tools()
            .iter()
            .filter(|t| matches!(t, Tool::Database | Tool::FileStorage | Tool::Chat))
        {
            reasons.push(Reason::new(
                "pd.check",
                format!(
                    "check the {} the key's holder reaches for personal data",
                    t.label()
                ),
                f.agent_tools.sources("agent_tools"),
            ));
        }
    }
    reasons.push(match reachable {
        Tri::Yes => Reason::new("pd.notification", "personal data was reachable: breach notification duties may apply; count the people and start the clocks from awareness", pd.sources("personal_data")),
        Tri::No => Reason::new("pd.notification", "no personal data was reachable: record why, in case a regulator asks", pd.sources("personal_data")),
        Tri::Unknown => Reason::new("pd.notification", "not known yet: until it is, plan for the notification deadlines as if it was reachable", vec![]),
    });
    PersonalData {
        reachable,
        people: f.people.value,
        basis: pd.basis,
        reasons,
    }
}
