//! The AI providers' admin API calls that list usage by key and the audit log for the window:
//! commands to run elsewhere with an admin key (this tool sends nothing).
//!
//! Sources: OpenAI API reference, "Usage" (`/v1/organization/usage/completions`, `group_by`
//! `api_key_id`) and "Audit logs" (`/v1/organization/audit_logs`); Anthropic API reference,
//! "Usage and Cost API" (`/v1/organizations/usage_report/messages`, `group_by[]=api_key_id`).

use super::values::Values;
use super::{Dialect, Hunt};

pub(super) fn hunts(v: &Values) -> Vec<Hunt> {
    let mut out = Vec::new();
    let start = v.from.map(|t| t.timestamp());
    let note = || {
        if start.is_none() {
            vec!["no exposure or first-use time is known: the calls start 30 days back; set the start once you know when the key leaked".to_string()]
        } else {
            Vec::new()
        }
    };
    if v.providers.contains(&"openai") {
        let s = start
            .map(|s| s.to_string())
            .unwrap_or_else(|| "$(($(date +%s) - 2592000))".into());
        out.push(Hunt {
            id: "openai.usage_by_key".into(),
            dialect: Dialect::Shell,
            title: "OpenAI usage per API key and hour since the window opened".into(),
            returns: "hourly buckets of requests and tokens per api_key_id, project and model (JSON; follow next_page)".into(),
            fill_in: vec!["OPENAI_ADMIN_KEY: an admin key of the organisation, in the environment".into()],
            notes: note(),
            query: format!(
                "curl -sS \"https://api.openai.com/v1/organization/usage/completions?start_time={s}&bucket_width=1h&group_by=api_key_id&group_by=project_id&group_by=model&limit=168\" \\\n  -H \"Authorization: Bearer $OPENAI_ADMIN_KEY\"\n"
            ),
        });
        out.push(Hunt {
            id: "openai.audit_log".into(),
            dialect: Dialect::Shell,
            title: "OpenAI audit log since the window opened (keys, users, projects created or changed)".into(),
            returns: "audit events with their actor (the key or user that acted) and the object created or changed (JSON; follow after)".into(),
            fill_in: vec!["OPENAI_ADMIN_KEY: an admin key of the organisation, in the environment".into()],
            notes: note(),
            query: format!(
                "curl -sS \"https://api.openai.com/v1/organization/audit_logs?effective_at%5Bgte%5D={s}&limit=100\" \\\n  -H \"Authorization: Bearer $OPENAI_ADMIN_KEY\"\n"
            ),
        });
    }
    if v.providers.contains(&"anthropic") {
        let s = v
            .from
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_else(|| "$(date -u -d '30 days ago' +%Y-%m-%dT%H:%M:%SZ)".into());
        out.push(Hunt {
            id: "anthropic.usage_by_key".into(),
            dialect: Dialect::Shell,
            title: "Anthropic usage per API key and hour since the window opened".into(),
            returns: "hourly buckets of input and output tokens per api_key_id and model (JSON; follow next_page)".into(),
            fill_in: vec!["ANTHROPIC_ADMIN_KEY: an Admin API key of the organisation, in the environment".into()],
            notes: note(),
            query: format!(
                "curl -sS \"https://api.anthropic.com/v1/organizations/usage_report/messages?starting_at={s}&bucket_width=1h&group_by%5B%5D=api_key_id&group_by%5B%5D=model\" \\\n  -H \"x-api-key: $ANTHROPIC_ADMIN_KEY\" \\\n  -H \"anthropic-version: 2023-06-01\"\n"
            ),
        });
    }
    out
}
