//! Azure OpenAI: resource logs (diagnostic settings → storage / Event Hub, JSON Lines or
//! `{"records":[…]}`; `properties` as an object or as a JSON string) and the Activity Log
//! (key listing and regeneration; diagnostic-export and `az monitor activity-log list` shapes),
//! whose records are Azure OpenAI's only for Cognitive Services operations: role assignments,
//! elevated access, Key Vault and diagnostic settings are Azure's.
//!
//! Resource logs mask the last IPv4 octet (`203.0.113.***`), carry no token counts, and do
//! not say which of key1/key2 was used: the key id is the account's resource id.

use super::{event, set_model};
use crate::evidence::event::{KeyIdKind, RecordKind};
use crate::evidence::fields::{at, s, text, ts_at, type_name};
use crate::evidence::json::{inner, walk};
use crate::evidence::out::{Loc, Out};
use serde_json::Value;

const ASSUMED: &str = "Azure times without a zone were read as UTC";

/// `/subscriptions/<id>/resourcegroups/<rg>` of a resource id, lower-cased.
fn scope(resource_id: &str) -> Option<String> {
    let lower = resource_id.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        ["subscriptions", sub, "resourcegroups", rg, ..] => {
            Some(format!("/subscriptions/{sub}/resourcegroups/{rg}"))
        }
        ["subscriptions", sub, ..] => Some(format!("/subscriptions/{sub}")),
        _ => None,
    }
}

/// A string field that some shapes write as `{"value": "…"}`.
fn value_or_str<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    s(v, &[key]).or_else(|| s(v, &[key, "value"]))
}

fn check_object(out: &mut Out, v: &Value, loc: Loc) -> bool {
    if v.is_object() {
        return true;
    }
    out.problem(
        loc,
        None,
        format!("expected a log record, found {}; skipped", type_name(v)),
    );
    false
}

/// Reads Cognitive Services (Azure OpenAI) resource logs.
pub fn resource_log(input: &str, out: &mut Out) {
    walk(input, &["records", "value"], out, &mut |out, v, loc| {
        resource_record(out, v, loc, "azure.resource_log");
    });
}

/// Reads a Log Analytics `AzureDiagnostics` query result exported as CSV: the same records
/// with capitalised column names (`TimeGenerated [UTC]`, `CallerIPAddress`) and `properties_s`
/// holding the properties as a JSON string.
pub fn diagnostics_csv(input: &str, out: &mut Out) {
    super::csv_values(input, out, &mut |out, v, loc| {
        let Value::Object(row) = v else {
            return;
        };
        let mut m = serde_json::Map::new();
        for (k, val) in row {
            let base = k.split(" [").next().unwrap_or(&k).trim().to_string();
            let name = match base.as_str() {
                "TimeGenerated" => "time",
                "ResourceId" | "_ResourceId" => "resourceId",
                "Category" => "category",
                "OperationName" => "operationName",
                "CallerIPAddress" | "CallerIpAddress" => "callerIpAddress",
                "ResultSignature" => "resultSignature",
                "DurationMs" => "durationMs",
                "CorrelationId" => "correlationId",
                "Location" | "Region" => "location",
                "properties_s" | "Properties" => "properties",
                _ => continue,
            };
            m.insert(name.to_string(), val);
        }
        resource_record(out, Value::Object(m), loc, "azure.diagnostics_csv");
    });
}

fn resource_record(out: &mut Out, v: Value, loc: Loc, format: &str) {
    {
        if !check_object(out, &v, loc) {
            return;
        }
        let Some(ts) = ts_at(out, &v, &["time"], loc) else {
            return;
        };
        let mut e = event(out, ts, "azure_openai", format, loc, ASSUMED);
        let category = s(&v, &["category"]);
        e.record_kind = match category {
            Some("Audit") => RecordKind::Audit,
            _ => {
                e.requests = Some(1);
                RecordKind::Request
            }
        };
        let rid = s(&v, &["resourceId"]);
        if let Some(r) = rid {
            e.key_id = Some(r.to_ascii_lowercase());
            e.key_id_kind = Some(KeyIdKind::AzureResource);
            e.project = scope(r);
        }
        e.operation = s(&v, &["operationName"]).map(str::to_string);
        if let Some(ip) = s(&v, &["callerIpAddress"]) {
            e.source_ip_masked = ip.contains('*');
            e.source_ip = Some(ip.to_string());
        }
        if let Some(sig) = text(&v, &["resultSignature"]) {
            match sig.parse::<u16>() {
                Ok(code) if (100..600).contains(&code) => e.http_status = Some(code),
                _ => {
                    e.extras.insert("result_signature".into(), sig);
                }
            }
        }
        e.region = s(&v, &["location"]).map(str::to_string);
        let props = match v.get("properties") {
            Some(p) => {
                let parsed = inner(p);
                if parsed.is_none() && !p.is_null() {
                    out.problem(
                        loc,
                        Some("properties"),
                        "properties is neither an object nor a JSON string; ignored".into(),
                    );
                }
                parsed
            }
            None => None,
        };
        if let Some(p) = &props {
            set_model(&mut e, s(p, &["modelName"]));
            e.principal = s(p, &["objectId"]).map(str::to_string);
            for (k, key) in [
                ("deployment", "modelDeploymentName"),
                ("model_version", "modelVersion"),
                ("stream_type", "streamType"),
                ("api_name", "apiName"),
                ("request_length", "requestLength"),
                ("response_length", "responseLength"),
            ] {
                if let Some(x) = text(p, &[key]) {
                    e.extras.insert(k.into(), x);
                }
            }
        }
        if let Some(c) = category {
            e.extras.insert("category".into(), c.to_string());
        }
        if let Some(d) = text(&v, &["durationMs"]) {
            e.extras.insert("duration_ms".into(), d);
        }
        if let Some(c) = s(&v, &["correlationId"]) {
            e.event_id = Some(format!(
                "azure.resource:{c}:{}:{}",
                e.operation.as_deref().unwrap_or(""),
                ts.t.timestamp_micros()
            ));
        }
        out.emit(e);
    }
}

/// A role assignment as the request that wrote it names it: the assignee and the role
/// (Azure REST API reference, "Role Assignments - Create": `properties.principalId`,
/// `properties.roleDefinitionId`), else the assignment's resource id.
fn role_assignment(resource: &str, body: Option<&Value>) -> String {
    // `Properties.PrincipalId` as the Activity Log copies the request, `properties.principalId`
    // as the REST API documents it.
    let field = |pascal: &str, camel: &str| {
        body.and_then(|b| {
            text(b, &["Properties", pascal]).or_else(|| text(b, &["properties", camel]))
        })
    };
    match field("PrincipalId", "principalId") {
        Some(who) => {
            let role = field("RoleDefinitionId", "roleDefinitionId")
                .map(|r| r.rsplit('/').next().unwrap_or("").to_string())
                .filter(|r| !r.is_empty());
            match role {
                Some(r) => format!("{who} (role definition {r})"),
                None => who,
            }
        }
        None => resource.to_string(),
    }
}

/// Reads Activity Log records (listKeys / regenerateKey and other control-plane events), and
/// the JSON a Log Analytics query of the `AzureActivity` table returns (`az monitor
/// log-analytics query`, a Logic App's "Run query and list results": rows of the table's
/// columns, read as the CSV export's are).
pub fn activity_log(input: &str, out: &mut Out) {
    walk(
        input,
        &["records", "value"],
        out,
        &mut |out, v, loc| match v {
            Value::Object(row) if is_table_row(&row) => {
                activity_row(out, row, loc, "azure.activity_query_json")
            }
            v => activity_record(out, v, loc, "azure.activity_log"),
        },
    );
}

/// Reads a Log Analytics `AzureActivity` query result exported as CSV (the portal's "Export to
/// CSV", or `az monitor log-analytics query -o tsv` with a header): the Activity Log's records
/// under the table's column names. `OperationNameValue`, `ActivityStatusValue` and
/// `ActivitySubstatusValue` are the operation and status (`OperationName`, `ActivityStatus` are
/// display names, used only when the others are absent); `Caller` is the caller's UPN or object
/// id; the dynamic columns (`Properties_d`, `Claims_d`, `Authorization_d`, `HTTPRequest`) hold
/// JSON text. A time column may carry its zone in its name (`TimeGenerated [UTC]`).
///
/// Source: Azure Monitor Logs reference, "AzureActivity" (the table's columns).
pub fn activity_csv(input: &str, out: &mut Out) {
    super::csv_values(input, out, &mut |out, v, loc| {
        if let Value::Object(row) = v {
            activity_row(out, row, loc, "azure.activity_csv");
        }
    });
}

/// True for a Log Analytics `AzureActivity` row (its columns), not an Activity Log record.
fn is_table_row(row: &serde_json::Map<String, Value>) -> bool {
    row.contains_key("OperationNameValue") || row.contains_key("TimeGenerated")
}

/// One `AzureActivity` row (CSV or the query's JSON) read as the Activity Log record it holds.
fn activity_row(out: &mut Out, row: serde_json::Map<String, Value>, loc: Loc, format: &str) {
    {
        let mut m = serde_json::Map::new();
        // Preferred columns first: a later, lesser column never replaces a value already set.
        let mut cols: Vec<(u8, &'static str, Value)> = Vec::new();
        for (k, val) in row {
            if val.as_str().is_some_and(|t| t.trim().is_empty()) {
                continue;
            }
            let base = k.split(" [").next().unwrap_or(&k).trim();
            let (rank, name) = match base {
                "TimeGenerated" => (0, "time"),
                "EventSubmissionTimestamp" => (1, "submissionTimestamp"),
                "_ResourceId" | "ResourceId" => (0, "resourceId"),
                "OperationNameValue" => (0, "operationName"),
                "OperationName" => (1, "operationName"),
                "ActivityStatusValue" => (0, "status"),
                "ActivityStatus" => (1, "status"),
                "ActivitySubstatusValue" => (0, "subStatus"),
                "ActivitySubstatus" => (1, "subStatus"),
                "Caller" => (0, "caller"),
                "CallerIpAddress" | "CallerIPAddress" => (0, "callerIpAddress"),
                // `HTTPRequest.clientIpAddress` under the name a projection gives it.
                "ClientIpAddress" | "ClientIPAddress" => (1, "callerIpAddress"),
                "CorrelationId" => (0, "correlationId"),
                "CategoryValue" => (0, "category"),
                "Category" => (1, "category"),
                "Level" => (0, "level"),
                "Properties_d" => (0, "properties"),
                "Properties" => (1, "properties"),
                "Claims_d" => (0, "claims"),
                "Claims" => (1, "claims"),
                "Authorization_d" => (0, "authorization"),
                "Authorization" => (1, "authorization"),
                "HTTPRequest" => (0, "httpRequest"),
                _ => continue,
            };
            cols.push((rank, name, val));
        }
        cols.sort_by_key(|c| c.0);
        for (_, name, val) in cols {
            if m.contains_key(name) {
                continue;
            }
            // The dynamic columns are JSON text; a value that is not JSON stays as it is.
            let val = match (name, &val) {
                ("properties" | "claims" | "authorization" | "httpRequest", Value::String(t)) => {
                    inner(&val).unwrap_or(Value::String(t.clone()))
                }
                _ => val,
            };
            m.insert(name.to_string(), val);
        }
        // Properties_d keys are as the Activity Log writes them, lower-case first
        // (`requestbody`), except where an export capitalised them.
        if let Some(Value::Object(p)) = m.get_mut("properties") {
            if let Some(b) = p.remove("requestBody") {
                p.entry("requestbody").or_insert(b);
            }
        }
        if !m.contains_key("time") {
            out.problem(
                loc,
                Some("TimeGenerated"),
                "no TimeGenerated in this row; skipped".into(),
            );
            return;
        }
        activity_record(out, Value::Object(m), loc, format);
    }
}

/// The provider of an Activity Log record, from the resource provider that names its
/// operation (`Microsoft.CognitiveServices/accounts/listKeys/action`), else the one its
/// resource id names: `azure_openai` for Microsoft.CognitiveServices, `azure` for any other
/// (role assignments and elevated access, Key Vault, diagnostic settings).
fn activity_provider(op: Option<&str>, resource: Option<&str>) -> &'static str {
    const AOAI: &str = "microsoft.cognitiveservices";
    let named = |r: &str| r.eq_ignore_ascii_case(AOAI);
    let by_op = op.and_then(|o| o.split('/').next()).map(str::trim);
    // The last `/providers/<namespace>/` of a resource id is the one the resource belongs to.
    let by_resource = resource.and_then(|r| {
        let lower = r.to_ascii_lowercase();
        let at = lower.rfind("/providers/")?;
        let rest = &r[at + "/providers/".len()..];
        rest.split('/').next().map(str::to_string)
    });
    match (by_op.filter(|o| o.contains('.')), by_resource) {
        (Some(o), _) if named(o) => "azure_openai",
        (Some(_), _) => "azure",
        (None, Some(r)) if named(&r) => "azure_openai",
        _ => "azure",
    }
}

/// One Activity Log record.
fn activity_record(out: &mut Out, v: Value, loc: Loc, format: &str) {
    {
        if !check_object(out, &v, loc) {
            return;
        }
        let path: &[&str] = if at(&v, &["time"]).is_some() {
            &["time"]
        } else {
            &["eventTimestamp"]
        };
        let Some(ts) = ts_at(out, &v, path, loc) else {
            return;
        };
        let op = value_or_str(&v, "operationName");
        let provider = activity_provider(op, s(&v, &["resourceId"]));
        let mut e = event(out, ts, provider, format, loc, ASSUMED);
        e.record_kind = RecordKind::Audit;
        e.operation = op.map(str::to_string);
        // The actor is the caller (a user principal name, or a service principal's or
        // managed identity's object id); the resource is what the call acted on, its target.
        let resource = s(&v, &["resourceId"]).map(str::to_ascii_lowercase);
        if let Some(r) = &resource {
            e.project = scope(r);
        }
        e.source_ip = s(&v, &["callerIpAddress"])
            .or_else(|| s(&v, &["httpRequest", "clientIpAddress"]))
            .map(str::to_string);
        const UPN: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
        // Without a caller or its claims, the authorization evidence names the object id of
        // the principal whose role let the call through: the caller's, not the assignee's.
        e.principal = s(&v, &["caller"])
            .or_else(|| s(&v, &["identity", "claims", UPN]))
            .or_else(|| s(&v, &["claims", UPN]))
            .or_else(|| {
                s(
                    &v,
                    &["identity", "authorization", "evidence", "principalId"],
                )
            })
            .or_else(|| s(&v, &["authorization", "evidence", "principalId"]))
            .map(str::to_string);
        let status = value_or_str(&v, "resultType").or_else(|| value_or_str(&v, "status"));
        if let Some(st) = status {
            e.extras.insert("status".into(), st.to_string());
            if st.eq_ignore_ascii_case("Failure") || st.eq_ignore_ascii_case("Failed") {
                e.error_code = Some(
                    text(&v, &["resultSignature"])
                        .or_else(|| value_or_str(&v, "subStatus").map(str::to_string))
                        .unwrap_or_else(|| st.to_string()),
                );
            }
        }
        let body = at(&v, &["properties", "requestbody"]).and_then(inner);
        let key_name = body.as_ref().and_then(|b| text(b, &["keyName"]));
        if let Some(k) = &key_name {
            e.extras.insert("key_name".into(), k.clone());
        }
        if let Some(r) = &resource {
            let o = op.unwrap_or("").to_ascii_lowercase();
            if o.ends_with("/listkeys/action") {
                e.add_target("account_keys", r);
            } else if o.ends_with("/regeneratekey/action") {
                let which = key_name.as_deref().unwrap_or("a key");
                e.add_target("account_key", &format!("{r} ({which})"));
            } else if o.ends_with("/elevateaccess/action") {
                // "Elevate access to manage all Azure subscriptions": the caller is given User
                // Access Administrator at the root scope, an assignment to remove.
                let who = e.principal.as_deref().unwrap_or("the caller");
                e.add_target(
                    "role_assignment",
                    &format!("User Access Administrator at root scope (/) for {who}"),
                );
            } else if o.contains("/roleassignments/") {
                e.add_target("role_assignment", &role_assignment(r, body.as_ref()));
            } else if o.contains("/diagnosticsettings/") {
                e.add_target("diagnostic_setting", r);
            } else if o.contains("/raipolicies/") {
                e.add_target("content_filter", r);
            } else {
                e.add_target("resource", r);
            }
        }
        e.region = s(&v, &["location"]).map(str::to_string);
        if let Some(c) = s(&v, &["correlationId"]) {
            e.event_id = Some(format!(
                "azure.activity:{c}:{}:{}:{}",
                op.unwrap_or("").to_ascii_lowercase(),
                status.unwrap_or(""),
                ts.t.timestamp_micros()
            ));
        }
        out.emit(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Problems;

    fn read(input: &str, reader: fn(&str, &mut Out)) -> Vec<(String, String)> {
        let mut got = Vec::new();
        let mut sink = |e: crate::evidence::event::UsageEvent| {
            got.push((e.provider, e.operation.unwrap_or_default()))
        };
        let mut out = Out::new("a", Problems::new("a"), &mut sink);
        reader(input, &mut out);
        drop(out);
        got
    }

    #[test]
    fn only_cognitive_services_operations_are_azure_openai() {
        let json = r#"{"value":[
            {"time":"2026-01-01T03:00:00Z","operationName":{"value":"Microsoft.CognitiveServices/accounts/listKeys/action"},"caller":"a@contoso.com"},
            {"time":"2026-01-01T03:01:00Z","operationName":{"value":"Microsoft.Authorization/roleAssignments/write"},"caller":"a@contoso.com","resourceId":"/subscriptions/0/resourcegroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai/providers/Microsoft.Authorization/roleAssignments/r1"},
            {"time":"2026-01-01T03:02:00Z","operationName":"Microsoft.Authorization/elevateAccess/action","caller":"a@contoso.com"},
            {"time":"2026-01-01T03:03:00Z","operationName":"Microsoft.KeyVault/vaults/secrets/write","caller":"a@contoso.com"},
            {"time":"2026-01-01T03:04:00Z","resourceId":"/subscriptions/0/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai","caller":"a@contoso.com"},
            {"time":"2026-01-01T03:05:00Z","resourceId":"/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv","caller":"a@contoso.com"}
        ]}"#;
        let providers: Vec<String> = read(json, activity_log)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(
            providers,
            [
                "azure_openai",
                "azure",
                "azure",
                "azure",
                "azure_openai",
                "azure"
            ]
        );
    }

    #[test]
    fn a_log_analytics_query_as_json_is_read_like_its_csv() {
        // The row of the Azure Monitor docs' Logic App export example ("Run query and list
        // results"): the table's columns, `ClientIpAddress` projected from `HTTPRequest`.
        let json = r#"[{"TimeGenerated":"2020-09-29T23:11:02.578Z","OperationName":"Returns Storage Account SAS Token","OperationNameValue":"MICROSOFT.RESOURCES/DEPLOYMENTS/WRITE","ActivityStatus":"Started","Category":"Administrative","ClientIpAddress":"192.168.1.100","ResourceId":"/subscriptions/0/resourcegroups/monitoring/providers/microsoft.storage/storageaccounts/acct"}]"#;
        let f = crate::evidence::inventory(&crate::evidence::Input::new(
            "q.json",
            json.as_bytes().to_vec(),
        ));
        assert_eq!(f.kind, crate::evidence::EvidenceKind::AzureActivityLog);
        let got = read(json, activity_log);
        assert_eq!(
            got,
            [(
                "azure".to_string(),
                "MICROSOFT.RESOURCES/DEPLOYMENTS/WRITE".to_string()
            )]
        );
    }

    #[test]
    fn log_analytics_rows_are_labelled_by_their_operation_too() {
        let csv = "\"TimeGenerated [UTC]\",Caller,OperationNameValue,ActivityStatusValue\n\
                   \"2026-01-01T03:00:00Z\",a@contoso.com,MICROSOFT.COGNITIVESERVICES/ACCOUNTS/REGENERATEKEY/ACTION,Success\n\
                   \"2026-01-01T03:01:00Z\",a@contoso.com,MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE,Success\n\
                   \"2026-01-01T03:02:00Z\",a@contoso.com,MICROSOFT.KEYVAULT/VAULTS/WRITE,Success\n";
        let got = read(csv, activity_csv);
        let providers: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(providers, ["azure_openai", "azure", "azure"], "{got:?}");
    }
}
