//! Every rule of the scope engine with its documented reason: the hand-written rules below and
//! the rows of the data tables (kinds, ratings by kind, next steps, rooms). docs/scope.md holds
//! [`markdown_table`]; a test keeps them in sync, and another checks every reason the engine
//! writes names a rule listed here.

use super::Level;

/// Rules written as code, with the level they push a rating to where they do.
pub const RULES: &[(&str, Option<Level>, &str)] = &[
    ("kind.rule_map", None, "the scan rule names a kind more precisely than the scan's kind (admin, project, agent, Bedrock, webhook…)"),
    ("kind.aws_prefix", None, "AWS key ids: AKIA (and ABIA, ACCA) are long-term keys of an IAM user; ASIA are temporary session credentials"),
    ("kind.aws_pair", None, "an AWS secret key found with its key id (the scan's pair) is one credential, of the kind its key id says"),
    ("kind.pair", None, "an OAuth client secret found with its client id (the scan's pair) is one credential, an OAuth client, of the secret's kind"),
    ("kind.scan_kind", None, "otherwise the scan rule's kind decides"),
    ("kind.prefix", None, "a searched key or usage key id is classified by its prefix (sk-admin-, sk-proj-, sk-ant-oat, AKIA, ASIA, ABSK…)"),
    ("kind.usage_provider", None, "a key with no known prefix is an inference key when its usage rows come from an AI provider"),
    ("kind.answer", None, "a credential named by the responder has the kind the responder gave"),
    ("cap.operation", None, "an operation, endpoint or audit event in the usage rows shows what the key did (successful rows only)"),
    ("cap.kind", None, "what a credential of this kind and provider can do, used or not"),
    ("cap.agent", None, "answered (or shown) to be used by an agent with tools: it acts with the agent's session"),
    ("cap.agent_tool", None, "each tool the agent or the workload reaches adds what that system allows"),
    ("cap.minted", None, "it minted tokens downstream"),
    ("cap.org_scope", None, "organisation-scoped: it reaches every project"),
    ("q.key_scope.kind", None, "admin keys and legacy user keys are organisation-scoped; project and service-account keys are project-scoped"),
    ("q.spend_limit.quota_error", None, "a call refused for quota or a spend limit shows a limit is set"),
    ("q.agent.kind", None, "an agent credential is used by an agent"),
    ("q.agent.operation", None, "agent sessions in the usage evidence (Claude Code) show an agent uses the key"),
    ("q.agent.logs", None, "affected sessions in the agent's own logs show an agent holds the credential"),
    ("q.agent_tools.logs", None, "the systems the affected sessions' actions reached (by tool, MCP server, target and program names), and other agents when they handed work on"),
    ("q.minted.logs", None, "mint actions in the agent's logs: signed links, OAuth tokens or grants, sub-keys"),
    ("q.agent_tools.colocated", None, "a database URL, code host, chat or queue credential in the same file as the AI key is reachable by the same workload; agent sessions that wrote code reach the code host"),
    ("q.minted.operation", None, "CreateAccessKey, CreateServiceAccountKey, api_key.created or service_account.created rows are sub-keys minted"),
    ("q.environments.names", None, "words in the evidence names and paths (prod, staging, dev, ci, build…) and git history name the environments"),
    ("q.models.observed", None, "the models the usage rows show (a hint: what is allowed may be more)"),
    ("data.inference_only", Some(Level::Low), "a key that only calls models exposes what the attacker sends, not stored data"),
    ("data.stored_data", Some(Level::Medium), "the key's kind can read stored files, threads, batches, vector stores or fine-tuning data"),
    ("data.stored_data_used", Some(Level::Medium), "the usage rows show stored-data APIs used"),
    ("data.org_scope", Some(Level::High), "organisation scope: every project's stored data"),
    ("data.project_scope", None, "project scope bounds what the key reaches (no level)"),
    ("data.agent", Some(Level::High), "an agent uses the key: its context, history and tools are exposed"),
    ("data.agent_tools", Some(Level::High), "the key's holder acts on a database, email, chat, code host, CRM or file store"),
    ("data.chain_hops", Some(Level::High), "it hands tasks to other agents or queues: chain-hops"),
    ("data.minted", Some(Level::High), "it minted tokens that outlive it"),
    ("data.agent_minted", Some(Level::Critical), "the affected agent sessions minted credentials, grants or links (not failed): lasting access"),
    ("data.agent_credential_read", Some(Level::High), "the affected agent sessions read credential files or the environment: those secrets are exposed too"),
    ("data.agent_egress", Some(Level::High), "actions since the window opened sent data out of the machine"),
    ("data.agent_irreversible", Some(Level::High), "irreversible actions ran since the window opened: pushes, publishes, deletions, messages sent"),
    ("data.agent_external", Some(Level::Medium), "actions since the window opened are visible to others: issues, comments, pull requests"),
    ("data.personal", Some(Level::High), "personal data was reachable"),
    ("data.personal_bulk", Some(Level::Critical), "personal data was reachable through a database, CRM or file store"),
    ("data.personal_at_scale", Some(Level::Critical), "personal data of at least 10,000 people (PEOPLE_CRITICAL) was reachable"),
    ("data.iam_persistence", Some(Level::Critical), "a critical persistence alert: identities, keys or grants created that outlive the leaked one"),
    ("data.persistence", Some(Level::High), "a persistence alert: stored resources created"),
    ("data.logging_tampering", Some(Level::High), "logging changed or deleted: later activity may be invisible (an alert every call of which was refused does not count)"),
    ("data.destruction", Some(Level::Critical), "a destruction alert of medium severity or above: stored data or what holds it deleted (refused attempts and a person's usual deletions in the console do not count)"),
    ("data.exfiltration", Some(Level::Medium), "an exfiltration alert: unusually large outputs or prompts"),
    ("data.nothing", None, "nothing classified and nothing answered"),
    ("fin.other", Some(Level::Low), "a kind with no direct billing power"),
    ("fin.spend_limit", Some(Level::Low), "a spend limit bounds an inference or agent key: low under $1,000 a month, medium under $10,000, high above"),
    ("fin.no_spend_limit", Some(Level::High), "no spend limit: the bill runs until the key is revoked"),
    ("fin.spend_unknown", Some(Level::Medium), "no spend limit known"),
    ("fin.models_all", None, "every model allowed: the attacker picks the most expensive (no level)"),
    ("fin.models_restricted", None, "restricted models bound the cost per call, not the bill (no level)"),
    ("fin.observed_cost", Some(Level::Medium), "attacker cost or the 24-hour projection: medium above $0, high from $1,000, critical from $10,000; a spend limit caps the projection"),
    ("fin.persistence", Some(Level::High), "identities the attacker created keep spending after revocation"),
    ("fin.agent_tools", Some(Level::Medium), "the agent's tools can send mail or call paid services"),
    ("fin.nothing", None, "nothing classified and no cost in the evidence"),
    ("pd.answer", None, "the responder's answer decides"),
    ("pd.tools", None, "a CRM or mailbox the key's holder reaches holds personal data by nature: yes"),
    ("pd.payment", None, "a live payment key reads the processor's customers: yes"),
    ("pd.inference_only", None, "every credential only calls models, no agent, no tools, no minted tokens: no (confirm the provider stores no prompts for the key)"),
    ("pd.check", None, "where to look for personal data when it is not yet known"),
    ("pd.notification", None, "what the personal-data answer means for notification"),
    ("three.could_do", None, "each credential's capabilities, with where each came from"),
    ("three.found", None, "where the scanner found it: files, paths, first commit, still present"),
    ("three.usage", None, "where the usage evidence shows it used: files, provider, projects, models"),
    ("three.known_key", None, "where the known-key search found it"),
    ("three.environments", None, "the environments in force (answer or evidence)"),
    ("three.next.observed", None, "persistence and logging alerts: what the attacker already did"),
    ("room.tool", None, "each tool the key's holder reaches is a room next door"),
    ("room.bedrock_user", None, "a Bedrock API key's IAM user can be given access keys that outlive it"),
    ("room.agent_connection", None, "each MCP server or host an affected agent session held or called"),
    ("room.agent_hop", None, "each agent or session that took work from an affected session"),
    ("room.minted", None, "where minted tokens were issued"),
    ("room.environments", None, "every environment that shared the key"),
    ("room.logging", None, "a logging change leaves a blind spot to cover"),
    ("revoke.credential", None, "each credential at its provider's revocation place, rotate first"),
    ("revoke.agent_sessions", None, "freeze the agent's sessions (the first ten minutes, step 2)"),
    ("revoke.agent_connections", None, "close the agent's outbound connections (the first ten minutes, step 3)"),
    ("revoke.minted", None, "minted tokens at their issuer (the first ten minutes, step 6)"),
    ("revoke.agent_minted", None, "each token an affected agent session minted, named, at its issuer"),
    ("revoke.persistence", None, "what a critical persistence alert shows the attacker created"),
    ("revoke.secrets_read", None, "the secrets, passwords and keys a critical persistence alert shows were read, rotated"),
    ("revoke.logging", None, "the logging, trail or guardrail a critical logging-tampering alert shows changed, restored"),
];

/// Every rule id with its level and reason: the hand-written rules and the table rows.
pub fn all() -> Vec<(String, Option<Level>, String)> {
    let mut v: Vec<(String, Option<Level>, String)> = RULES
        .iter()
        .map(|(id, l, r)| (id.to_string(), *l, r.to_string()))
        .collect();
    let mut add = |id: &str, l: Option<Level>, r: String| {
        if !v.iter().any(|x| x.0 == id) {
            v.push((id.to_string(), l, r));
        }
    };
    for k in super::kinds::KINDS {
        add(
            k.rule,
            None,
            format!("containment priority {}: {}", k.priority.label(), k.why),
        );
    }
    for (_, l, id, why) in super::ratings::DATA_BY_KIND {
        add(id, Some(*l), why.to_string());
    }
    for (_, l, id, why) in super::ratings::FIN_BY_KIND {
        add(id, Some(*l), why.to_string());
    }
    for (_, id, text) in super::three::NEXT {
        add(id, None, format!("next step: {text}"));
    }
    for (_, id, system, _) in super::rooms::CAP_ROOMS {
        add(id, None, format!("room next door: {system}"));
    }
    v
}

/// The rules as a Markdown table (docs/scope.md holds it; a test keeps them in sync).
pub fn markdown_table() -> String {
    let mut s = String::from("| rule | level | reason |\n|---|---|---|\n");
    for (id, l, r) in all() {
        s.push_str(&format!(
            "| `{id}` | {} | {} |\n",
            l.map(|l| l.as_str()).unwrap_or(""),
            r.replace('|', "\\|")
        ));
    }
    s
}
