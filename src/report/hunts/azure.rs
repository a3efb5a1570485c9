//! Azure hunts (KQL for Azure Monitor Log Analytics and Microsoft Sentinel): Azure OpenAI's
//! request logs and the control-plane calls that read or regenerate its keys.
//!
//! Sources: Azure Monitor, "AzureDiagnostics" and "AzureActivity" table references; Azure
//! OpenAI, "Monitor Azure OpenAI" (resource logs, category `RequestResponse`).

use super::quote::double;
use super::values::Values;
use super::{Dialect, Hunt};
use chrono::{DateTime, Utc};

fn kql_time(t: &DateTime<Utc>) -> String {
    format!("datetime({})", t.format("%Y-%m-%dT%H:%M:%SZ"))
}

fn window(v: &Values) -> String {
    let mut w = String::new();
    if let Some(f) = &v.from {
        w.push_str(&format!("\n| where TimeGenerated >= {}", kql_time(f)));
    }
    w
}

pub(super) fn hunts(v: &Values) -> Vec<Hunt> {
    if !v.providers.contains(&"azure") {
        return Vec::new();
    }
    let ips: Vec<String> = v
        .attacker_ips
        .iter()
        .map(|a| double(&a.to_string()))
        .collect();
    let mut requests = format!(
        "AzureDiagnostics\n| where ResourceProvider == \"MICROSOFT.COGNITIVESERVICES\"{}\n| where Category == \"RequestResponse\"",
        window(v)
    );
    if !ips.is_empty() {
        requests.push_str(&format!(
            "\n| extend FromAttacker = CallerIPAddress in ({})",
            ips.join(", ")
        ));
    }
    requests.push_str("\n| summarize Requests = count(), First = min(TimeGenerated), Last = max(TimeGenerated) by Resource, OperationName, CallerIPAddress, ResultSignature\n| order by Requests desc\n");
    let keys = format!(
        "AzureActivity{}\n| where OperationNameValue in~ (\"MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION\", \"MICROSOFT.COGNITIVESERVICES/ACCOUNTS/REGENERATEKEY/ACTION\")\n| project TimeGenerated, Caller, CallerIpAddress, OperationNameValue, ActivityStatusValue, ActivitySubstatusValue, CorrelationId, ResourceGroup, _ResourceId, Properties_d\n| order by TimeGenerated asc\n",
        window(v)
    );
    vec![
        Hunt {
            id: "kql.azure_openai_requests".into(),
            dialect: Dialect::Kql,
            title: "Azure OpenAI requests in the window, by resource, operation and caller address".into(),
            returns: "request counts and first/last times per resource, operation, caller IP and result (the key itself is not logged: look for callers you do not know)".into(),
            fill_in: vec!["run in the Log Analytics workspace the Azure OpenAI resources send their resource logs to".into()],
            notes: Vec::new(),
            query: requests,
        },
        Hunt {
            id: "kql.azure_key_reads".into(),
            dialect: Dialect::Kql,
            title: "who listed or regenerated Azure AI service keys in the window".into(),
            returns: "each listKeys / regenerateKey call: time, caller, address, outcome, resource, and the regenerated key's name in Properties_d (export it as CSV and add it here as evidence)".into(),
            fill_in: vec!["run in the workspace that collects the subscription's Activity log".into()],
            notes: Vec::new(),
            query: keys,
        },
    ]
}
