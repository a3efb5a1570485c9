//! The questionnaire: each question's value in force is the responder's answer, else what the
//! evidence shows (rules `q.*`), else unknown. Lists (tools, minted kinds, environments) join
//! the answer and the evidence.

use super::answers::{Environment, KeyScope, Minted, ModelsAllowed, Tool, Tri};
use super::capability::Capability;
use super::kinds::{self, CredKind};
use super::usage::Used;
use super::{Basis, Credential, Inputs, Origin, Question, Reason, Source};
use crate::format;
use serde::Serialize;

/// One question's value in force.
#[derive(Debug, Clone)]
pub(crate) struct Fact<T> {
    pub value: Option<T>,
    pub basis: Basis,
    pub reason: Option<Reason>,
}

impl<T> Default for Fact<T> {
    fn default() -> Self {
        Fact {
            value: None,
            basis: Basis::Unknown,
            reason: None,
        }
    }
}

impl<T> Fact<T> {
    /// What the value rests on: the answer, or the evidence behind the reason.
    pub fn sources(&self, id: &str) -> Vec<Source> {
        match self.basis {
            Basis::Answer => vec![Source::answer(id)],
            _ => self
                .reason
                .as_ref()
                .map(|r| r.sources.clone())
                .unwrap_or_default(),
        }
    }
}

/// Every question's value in force.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    pub key_scope: Fact<KeyScope>,
    pub spend_limit: Fact<Tri>,
    pub spend_limit_usd: Fact<f64>,
    pub models_allowed: Fact<ModelsAllowed>,
    pub agent: Fact<Tri>,
    pub agent_tools: Fact<Vec<Tool>>,
    pub minted: Fact<Tri>,
    pub minted_kinds: Fact<Vec<Minted>>,
    pub personal_data: Fact<Tri>,
    pub people: Fact<u64>,
    pub environments: Fact<Vec<Environment>>,
}

impl Facts {
    /// The tools in force (none when unknown).
    pub fn tools(&self) -> &[Tool] {
        self.agent_tools.value.as_deref().unwrap_or(&[])
    }

    /// The minted kinds in force.
    pub fn minted(&self) -> &[Minted] {
        if self.minted.value == Some(Tri::No) {
            return &[];
        }
        self.minted_kinds.value.as_deref().unwrap_or(&[])
    }
}

/// An answer unless it is absent or `unknown`; then the evidence; then the bare `unknown`.
fn pick<T: Clone + PartialEq>(
    answer: Option<T>,
    unknown: T,
    evidence: Option<(T, Reason)>,
) -> Fact<T> {
    match (answer, evidence) {
        (Some(a), _) if a != unknown => Fact {
            value: Some(a),
            basis: Basis::Answer,
            reason: None,
        },
        (_, Some((v, r))) => Fact {
            value: Some(v),
            basis: Basis::Evidence,
            reason: Some(r),
        },
        (Some(a), None) => Fact {
            value: Some(a),
            basis: Basis::Answer,
            reason: None,
        },
        (None, None) => Fact::default(),
    }
}

/// A list: the answer joined with the evidence.
fn join<T: Clone + Ord>(
    answer: Option<Vec<T>>,
    evidence: Option<(Vec<T>, Reason)>,
) -> Fact<Vec<T>> {
    match (answer, evidence) {
        (Some(mut a), Some((e, r))) => {
            a.extend(e);
            a.sort();
            a.dedup();
            Fact {
                value: Some(a),
                basis: Basis::Answer,
                reason: Some(r),
            }
        }
        (Some(mut a), None) => {
            a.sort();
            a.dedup();
            Fact {
                value: Some(a),
                basis: Basis::Answer,
                reason: None,
            }
        }
        (None, Some((e, r))) => Fact {
            value: Some(e),
            basis: Basis::Evidence,
            reason: Some(r),
        },
        (None, None) => Fact::default(),
    }
}

fn names<T: Copy>(v: &[T], f: impl Fn(T) -> &'static str) -> String {
    v.iter().map(|x| f(*x)).collect::<Vec<_>>().join(", ")
}

/// Fills every question.
pub(crate) fn in_force(i: &Inputs, creds: &[Credential], used: &Used) -> Facts {
    let a = i.answers;
    let ai: Vec<&Credential> = creds.iter().filter(|c| c.answers_apply).collect();

    // Key scope: admin keys and legacy user keys reach the organisation; project and
    // service-account keys one project.
    let scope_ev = ai.iter().find_map(|c| {
        let org = c.kind == CredKind::AdminKey || c.scan_rule.as_deref() == Some("openai-user-key");
        let proj = matches!(c.kind, CredKind::ProjectKey | CredKind::ServiceAccountKey);
        let v = if org {
            KeyScope::Organisation
        } else if proj {
            KeyScope::Project
        } else {
            return None;
        };
        Some((
            v,
            Reason::new(
                "q.key_scope.kind",
                format!("{} is a {}: {}", c.name, c.kind_label, v.as_str()),
                c.classification.sources.clone(),
            ),
        ))
    });

    let linked = |c: &&Credential| c.usage_key.as_deref().and_then(|k| used.get(k));
    let quota_ev = ai.iter().filter_map(linked).find_map(|k| {
        k.quota.as_ref().map(|r| {
            (
                Tri::Yes,
                Reason::new(
                    "q.spend_limit.quota_error",
                    format!("calls on {} were refused for quota or spend limit", k.label),
                    vec![Source::row(r)],
                ),
            )
        })
    });

    let agent_ev = ai.iter().find_map(|c| {
        if c.kind == CredKind::AgentCredential {
            return Some((
                Tri::Yes,
                Reason::new(
                    "q.agent.kind",
                    format!("{} is an agent credential", c.name),
                    c.classification.sources.clone(),
                ),
            ));
        }
        let k = linked(c)?;
        let s = k.caps.get(&Capability::AgentSession)?;
        Some((
            Tri::Yes,
            Reason::new(
                "q.agent.operation",
                format!("{} ran agent sessions ({})", k.label, s.operations()),
                vec![Source::row(&s.first)],
            ),
        ))
    });

    let agent_ev = agent_ev.or_else(|| super::agent::agent_ev(i.agent));
    let tools_ev = merge(
        colocated_tools(i, creds, &ai, used),
        super::agent::tools_ev(i.agent),
    );

    let minted_ev: Option<(Vec<Minted>, Reason)> = {
        let mut kinds_seen: Vec<Minted> = Vec::new();
        let mut sources = Vec::new();
        let mut what = Vec::new();
        for k in ai.iter().filter_map(linked) {
            for (m, s) in &k.minted {
                if !kinds_seen.contains(m) {
                    kinds_seen.push(*m);
                }
                sources.push(Source::row(&s.first));
                what.push(format!("{} on {}", s.operations(), k.label));
            }
        }
        (!kinds_seen.is_empty()).then(|| {
            (
                kinds_seen,
                Reason::new(
                    "q.minted.operation",
                    format!(
                        "the usage evidence shows credentials minted: {}",
                        what.join(", ")
                    ),
                    sources,
                ),
            )
        })
    };

    let minted_ev = merge(minted_ev, super::agent::minted_ev(i.agent));
    let env_ev = environments(i, creds, &ai);

    let mut f = Facts {
        key_scope: pick(a.key_scope, KeyScope::Unknown, scope_ev),
        spend_limit: pick(a.spend_limit, Tri::Unknown, quota_ev),
        spend_limit_usd: pick(a.spend_limit_usd, f64::NAN, None),
        models_allowed: pick(a.models_allowed, ModelsAllowed::Unknown, None),
        agent: pick(a.agent, Tri::Unknown, agent_ev),
        agent_tools: join(a.agent_tools.clone(), tools_ev),
        minted: pick(
            a.minted,
            Tri::Unknown,
            minted_ev.as_ref().map(|(_, r)| (Tri::Yes, r.clone())),
        ),
        minted_kinds: join(a.minted_kinds.clone(), minted_ev),
        personal_data: Fact::default(),
        people: pick(a.people, u64::MAX, None),
        environments: join(a.environments.clone(), env_ev),
    };
    if a.spend_limit_usd.is_some_and(|v| !v.is_finite() || v < 0.0) {
        f.spend_limit_usd = Fact::default();
    }
    // Models: unknown unless answered; the models seen are a hint.
    if f.models_allowed.value.is_none() {
        let mut seen: Vec<String> = Vec::new();
        let mut src = Vec::new();
        for k in ai.iter().filter_map(linked) {
            for m in &k.models {
                if !seen.contains(m) {
                    seen.push(m.clone());
                }
            }
            src.push(Source::row(&k.first));
        }
        if !seen.is_empty() {
            f.models_allowed.reason = Some(Reason::new(
                "q.models.observed",
                format!("models called in the usage evidence: {}", seen.join(", ")),
                src,
            ));
        }
    }
    f.personal_data = super::ratings::personal_fact(a.personal_data, creds, &f);
    f
}

/// Two pieces of evidence for one list: the values joined, the reasons' texts and sources
/// joined under the first one's rule.
fn merge<T: Ord>(
    a: Option<(Vec<T>, Reason)>,
    b: Option<(Vec<T>, Reason)>,
) -> Option<(Vec<T>, Reason)> {
    match (a, b) {
        (Some((mut va, mut ra)), Some((vb, rb))) => {
            va.extend(vb);
            va.sort();
            va.dedup();
            ra.text = format!("{}; {}", ra.text, rb.text);
            ra.sources.extend(rb.sources);
            Some((va, ra))
        }
        (a, b) => a.or(b),
    }
}

/// Tools the workload holding the AI key reaches: credentials of tool kinds found in the same
/// evidence file as an AI credential (rule `q.agent_tools.colocated`), and agent sessions that
/// wrote code (rule `q.agent_tools.operation`).
fn colocated_tools(
    i: &Inputs,
    creds: &[Credential],
    ai: &[&Credential],
    used: &Used,
) -> Option<(Vec<Tool>, Reason)> {
    let files_of = |c: &Credential| -> Vec<String> {
        c.fingerprint
            .as_deref()
            .and_then(|fp| i.scan.secrets.iter().find(|s| s.fingerprint == fp))
            .map(|s| s.occurrences.iter().map(|o| o.evidence.clone()).collect())
            .unwrap_or_default()
    };
    let ai_files: Vec<String> = ai.iter().flat_map(|c| files_of(c)).collect();
    let mut tools: Vec<Tool> = Vec::new();
    let mut what = Vec::new();
    let mut sources = Vec::new();
    for c in creds
        .iter()
        .filter(|c| !c.answers_apply && c.origins.contains(&Origin::Found))
    {
        let Some(t) = kinds::tool_of(c.kind, &c.provider) else {
            continue;
        };
        let shared: Vec<String> = files_of(c)
            .into_iter()
            .filter(|f| ai_files.contains(f))
            .collect();
        if let Some(file) = shared.first() {
            if !tools.contains(&t) {
                tools.push(t);
            }
            what.push(format!("{} ({}) in {file}", c.name, c.kind_label));
            sources.extend(c.classification.sources.iter().cloned());
        }
    }
    for c in ai {
        if let Some(s) = c
            .usage_key
            .as_deref()
            .and_then(|k| used.get(k))
            .and_then(|k| k.caps.get(&Capability::CodeAccess))
        {
            if !tools.contains(&Tool::CodeHost) {
                tools.push(Tool::CodeHost);
            }
            what.push(format!("{} wrote code", s.operations()));
            sources.push(Source::row(&s.first));
        }
    }
    if tools.is_empty() {
        return None;
    }
    tools.sort();
    Some((
        tools,
        Reason::new(
            "q.agent_tools.colocated",
            format!(
                "the workload holding the AI key also holds: {}",
                what.join("; ")
            ),
            sources,
        ),
    ))
}

/// Environment words in evidence names and paths (rule `q.environments.names`).
const ENV_WORDS: &[(&str, Environment)] = &[
    ("prod", Environment::Production),
    ("production", Environment::Production),
    ("prd", Environment::Production),
    ("live", Environment::Production),
    ("staging", Environment::Staging),
    ("stage", Environment::Staging),
    ("stg", Environment::Staging),
    ("preprod", Environment::Staging),
    ("dev", Environment::Development),
    ("development", Environment::Development),
    ("test", Environment::Development),
    ("local", Environment::LocalMachines),
    ("ci", Environment::Ci),
    ("build", Environment::Ci),
    ("pipeline", Environment::Ci),
    ("workflows", Environment::Ci),
    ("jenkins", Environment::Ci),
    ("gitlab-ci", Environment::Ci),
];

/// The environments a name's words point to.
pub(crate) fn env_words(name: &str) -> Vec<Environment> {
    let lower = name.to_ascii_lowercase();
    let mut v: Vec<Environment> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter_map(|w| ENV_WORDS.iter().find(|(k, _)| *k == w).map(|(_, e)| *e))
        .collect();
    v.sort();
    v.dedup();
    v
}

fn environments(
    i: &Inputs,
    creds: &[Credential],
    ai: &[&Credential],
) -> Option<(Vec<Environment>, Reason)> {
    let pool: Vec<&Credential> = if ai.is_empty() {
        creds.iter().collect()
    } else {
        ai.to_vec()
    };
    let mut envs: Vec<Environment> = Vec::new();
    let mut what: Vec<String> = Vec::new();
    let mut sources = Vec::new();
    for c in pool {
        let Some(s) = c
            .fingerprint
            .as_deref()
            .and_then(|fp| i.scan.secrets.iter().find(|s| s.fingerprint == fp))
        else {
            continue;
        };
        if s.in_history && !envs.contains(&Environment::SourceRepository) {
            envs.push(Environment::SourceRepository);
            if let Some(o) = s.occurrences.iter().find(|o| o.commit.is_some()) {
                what.push(format!("{} is in git history ({})", c.name, o.evidence));
                sources.push(finding_source(s, o));
            }
        }
        for o in &s.occurrences {
            let name = format!("{} {}", o.evidence, o.path.as_deref().unwrap_or(""));
            for e in env_words(&name) {
                if !envs.contains(&e) {
                    envs.push(e);
                    what.push(format!("{} in {} ({})", c.name, name.trim(), e.label()));
                    sources.push(finding_source(s, o));
                }
            }
        }
    }
    if envs.is_empty() {
        return None;
    }
    envs.sort();
    Some((
        envs,
        Reason::new(
            "q.environments.names",
            format!("where the key was found: {}", what.join("; ")),
            sources,
        ),
    ))
}

/// A finding's occurrence as a source.
pub(crate) fn finding_source(
    s: &crate::scan::SecretFinding,
    o: &crate::scan::Occurrence,
) -> Source {
    Source::Finding {
        fingerprint: s.fingerprint.clone(),
        file: o.evidence.clone(),
        line: o.line,
    }
}

fn q<T: Serialize>(id: &str, text: &str, f: &Fact<T>, label: impl Fn(&T) -> String) -> Question {
    Question {
        id: id.into(),
        text: text.into(),
        value: f
            .value
            .as_ref()
            .and_then(|v| serde_json::to_value(v).ok())
            .unwrap_or(serde_json::Value::Null),
        value_label: f
            .value
            .as_ref()
            .map(label)
            .unwrap_or_else(|| "unknown".into()),
        source: f.basis,
        reason: f.reason.clone(),
    }
}

/// The questions in questionnaire order (ids are the [`super::Answers`] fields).
pub(crate) fn output(f: &Facts) -> Vec<Question> {
    vec![
        q(
            "key_scope",
            "Is the key scoped to the whole organisation or to one project?",
            &f.key_scope,
            |v| v.as_str().into(),
        ),
        q(
            "spend_limit",
            "Is there a spend limit (hard budget) on the key or its project?",
            &f.spend_limit,
            |v| v.as_str().into(),
        ),
        q(
            "spend_limit_usd",
            "What is the limit, in US dollars a month?",
            &f.spend_limit_usd,
            |v| format!("${}", format::num(*v)),
        ),
        q(
            "models_allowed",
            "Which models may the key call?",
            &f.models_allowed,
            |v| v.as_str().into(),
        ),
        q(
            "agent",
            "Is the key used by an AI agent with tools?",
            &f.agent,
            |v| v.as_str().into(),
        ),
        q(
            "agent_tools",
            "Which systems can the agent (or the workload holding the key) act on?",
            &f.agent_tools,
            |v| {
                if v.is_empty() {
                    "none".into()
                } else {
                    names(v, Tool::label)
                }
            },
        ),
        q(
            "minted",
            "Did the key, or the agent, mint tokens downstream?",
            &f.minted,
            |v| v.as_str().into(),
        ),
        q(
            "minted_kinds",
            "Which tokens: OAuth grants, signed URLs, sub-keys?",
            &f.minted_kinds,
            |v| {
                if v.is_empty() {
                    "none".into()
                } else {
                    names(v, Minted::label)
                }
            },
        ),
        q(
            "personal_data",
            "Could the key reach personal data?",
            &f.personal_data,
            |v| v.as_str().into(),
        ),
        q("people", "Of roughly how many people?", &f.people, |v| {
            format::num(*v as f64)
        }),
        q(
            "environments",
            "Which environments shared the key?",
            &f.environments,
            |v| {
                if v.is_empty() {
                    "none".into()
                } else {
                    names(v, Environment::label)
                }
            },
        ),
    ]
}
