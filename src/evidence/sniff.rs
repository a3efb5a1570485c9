//! Content sniffing: which kind of evidence a text is.

use super::EvidenceKind;

/// Judges a text's kind from its first lines (never from a file name).
pub fn sniff(text: &str) -> EvidenceKind {
    let head = &text[..floor_boundary(text, 64 * 1024)];
    let trimmed = head.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return sniff_json(trimmed);
    }
    let mut lines = any_lines(head).filter(|l| !l.trim().is_empty());
    let first = lines.next().unwrap_or("");
    if first.starts_with("From ") && is_mbox_from(first) {
        return EvidenceKind::Mbox;
    }
    if is_commit_line(first) {
        return EvidenceKind::GitLog;
    }
    if super::formats::agent::sniff::a2a_http(head) {
        return EvidenceKind::A2aMessages;
    }
    if super::formats::agent::sniff::desktop_log(head) {
        return EvidenceKind::ClaudeDesktopMcpLog;
    }
    if first.starts_with("diff --git ") || first.starts_with("--- ") || first.starts_with("Index: ")
    {
        return EvidenceKind::Diff;
    }
    // `git log -p` with another --pretty (oneline, format:…): patches follow lines that start
    // with a commit hash.
    if let Some(i) = memchr::memmem::find(head.as_bytes(), b"\ndiff --git ") {
        let before = &head[..i];
        if before.lines().any(starts_with_hash) {
            return EvidenceKind::GitLog;
        }
        return EvidenceKind::Diff;
    }
    if looks_like_rules(head) {
        return EvidenceKind::Rules;
    }
    if looks_like_env(head) {
        return EvidenceKind::Env;
    }
    if looks_like_csv_header(first) {
        if let Some(kind) = sniff_csv_header(first) {
            return kind;
        }
        if any_lines(head).nth(1).is_some_and(|l| a_row_of(first, l)) {
            return EvidenceKind::UnknownCsv;
        }
    }
    EvidenceKind::Text
}

/// The lines of a text, ended by LF, CRLF or a lone CR (old Mac exports).
fn any_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().flat_map(|l| l.split('\r'))
}

/// A known export by its CSV header.
fn sniff_csv_header(first: &str) -> Option<EvidenceKind> {
    let cols: Vec<String> = first
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let has = |n: &str| cols.iter().any(|c| c == n);
    if cols.len() >= 4 && cols[..4] == ["start_time", "end_time", "start_time_iso", "end_time_iso"]
    {
        if has("amount_value") {
            return Some(EvidenceKind::OpenaiCostCsv);
        }
        return Some(EvidenceKind::OpenaiUsageCsv);
    }
    if has("usage_date_utc") && has("usage_input_tokens_no_cache") {
        return Some(EvidenceKind::AnthropicUsageCsv);
    }
    if has("usage_date_utc") && has("token_type") && has("cost_usd") {
        return Some(EvidenceKind::AnthropicCostCsv);
    }
    if cols.len() >= 3 && cols[..3] == ["generation_id", "created_at", "cost_total"] {
        return Some(EvidenceKind::OpenrouterCsv);
    }
    if has("timestamp") && has("api_key_prefix") {
        return Some(EvidenceKind::ReferenceCsv);
    }
    if has("_raw") && (has("sourcetype") || has("_time")) {
        return Some(EvidenceKind::SplunkCloudtrail);
    }
    // The CloudTrail table's event name and source; a hunt that counts calls per operation
    // selects no time (`eventname`, `eventsource`, …, `cnt`).
    if has("eventsource") && has("eventname") {
        return Some(EvidenceKind::AthenaCloudtrailCsv);
    }
    // Log Analytics' AzureActivity table: its operation and status columns end in `Value`.
    if has("operationnamevalue") && (has("activitystatusvalue") || has("caller")) {
        return Some(EvidenceKind::AzureActivityLog);
    }
    if has("properties_s") && has("resourceprovider") {
        return Some(EvidenceKind::AzureResourceLog);
    }
    if has("request_created_at") && has("response_status") {
        return Some(EvidenceKind::Helicone);
    }
    if has("action")
        && has("actor")
        && (has("@timestamp")
            || has("_document_id")
            || has("at_sign_timestamp")
            || has("org") && has("repo"))
    {
        return Some(EvidenceKind::GithubAuditLog);
    }
    None
}

/// A known export by the keys and values in its first records.
fn sniff_json(head: &str) -> EvidenceKind {
    let has = |needle: &str| super::json::contains(head, needle);
    // Keys as written in JSON: quoted and followed by a colon, so a value never passes for a key.
    let keys = super::json::HeadKeys::of(head);
    let key = |k: &str| keys.has(k);
    if let Some(kind) = super::formats::agent::sniff::json(head, &keys) {
        return kind;
    }
    if has("ModelInvocationLog") && key("schemaType") {
        return EvidenceKind::BedrockInvocationLog;
    }
    if key("QueryResultRows") {
        return EvidenceKind::CloudtrailLakeResults;
    }
    // A Splunk result's `_raw` holds the record as escaped text, so the CloudTrail keys below
    // never match inside it.
    if key("_raw") && (has("aws:cloudtrail") || has("\\\"eventSource\\\"")) {
        return EvidenceKind::SplunkCloudtrail;
    }
    if key("CloudTrailEvent") && key("EventId") {
        return EvidenceKind::CloudtrailLookupEvents;
    }
    if key("eventSource") && key("eventVersion") {
        return EvidenceKind::Cloudtrail;
    }
    if has("google.cloud.audit.AuditLog") {
        return EvidenceKind::GcpAuditLog;
    }
    // BigQuery rows of exported audit logs: the whole row, or the hunt's flat columns.
    if key("protopayload_auditlog")
        || (key("insertId") && key("logName") && key("methodName") && key("principalEmail"))
    {
        return EvidenceKind::BigqueryAuditRows;
    }
    if has("\"organization.usage.") {
        return EvidenceKind::OpenaiUsageApi;
    }
    if has("organization.costs.result") {
        return EvidenceKind::OpenaiCostsApi;
    }
    if (has("organization.project.api_key") || has("organization.admin_api_key"))
        && key("redacted_value")
    {
        return EvidenceKind::OpenaiKeyInventory;
    }
    if key("partial_key_hint") {
        return EvidenceKind::AnthropicKeyInventory;
    }
    if key("core_metrics") && key("actor") {
        return EvidenceKind::AnthropicClaudeCodeReport;
    }
    if (has("\"activity_") || key("organization_uuid"))
        && key("actor")
        && key("created_at")
        && key("type")
    {
        return EvidenceKind::AnthropicActivity;
    }
    if has("organization.audit_log") || (key("effective_at") && key("actor")) {
        return EvidenceKind::OpenaiAuditLog;
    }
    if key("starting_at") && key("uncached_input_tokens") {
        return EvidenceKind::AnthropicUsageReport;
    }
    if key("starting_at") && key("amount") && key("currency") {
        return EvidenceKind::AnthropicCostReport;
    }
    let lower = head.to_ascii_lowercase();
    if lower.contains("microsoft.cognitiveservices")
        && (lower.contains("/listkeys/action") || lower.contains("/regeneratekey/action"))
    {
        return EvidenceKind::AzureActivityLog;
    }
    // Activity Log records (control plane): the caller and its authorization, or the
    // Administrative category, beside the operation and the resource.
    if key("operationName")
        && key("resourceId")
        && (key("caller")
            || key("authorization")
            || key("eventTimestamp")
            || lower.contains("\"administrative\""))
    {
        return EvidenceKind::AzureActivityLog;
    }
    // A Log Analytics query of the `AzureActivity` table, as JSON: the table's column names.
    if key("OperationNameValue")
        && (key("TimeGenerated") || key("ActivityStatusValue") || key("Caller"))
    {
        return EvidenceKind::AzureActivityLog;
    }
    if lower.contains("microsoft.cognitiveservices") && (key("category") || key("operationName")) {
        return EvidenceKind::AzureResourceLog;
    }
    // LiteLLM spend-log rows, and the standard logging payload its bucket loggers write.
    if key("startTime")
        && (key("request_id") && key("spend") || key("call_type") && key("response_cost"))
    {
        return EvidenceKind::LitellmSpendLogs;
    }
    if key("request_created_at") && key("response_status") {
        return EvidenceKind::Helicone;
    }
    if key("tokens_in") && key("tokens_out") {
        return EvidenceKind::CloudflareAiGateway;
    }
    // SIEM copies may carry neither `@timestamp` nor `_document_id`; a repository, or an
    // organisation and an enterprise, beside the action and actor still say GitHub.
    if key("action")
        && key("actor")
        && (key("_document_id")
            || key("@timestamp")
            || key("at_sign_timestamp")
            || key("repo")
            || key("org") && key("business"))
    {
        return EvidenceKind::GithubAuditLog;
    }
    if key("secret_type") && key("locations_url") {
        return EvidenceKind::GithubSecretAlerts;
    }
    if key("traceId") && key("startTime") && (key("usage") || key("usageDetails")) {
        return EvidenceKind::Langfuse;
    }
    // Langfuse's blob-storage export: the observations table's own column names.
    if key("trace_id")
        && key("start_time")
        && (key("usage_details") || key("cost_details") || key("provided_model_name"))
    {
        return EvidenceKind::Langfuse;
    }
    if key("api_key_prefix") && key("timestamp") {
        return EvidenceKind::ReferenceJson;
    }
    EvidenceKind::UnknownJson
}

/// The largest char boundary at or below `max`.
fn floor_boundary(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `commit <40 hex>` (with optional decorations), as `git log` prints it.
fn is_commit_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("commit ") else {
        return false;
    };
    let hash: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    hash.len() == 40 || hash.len() == 64
}

/// A line starting with an abbreviated or full commit hash (`--pretty=oneline`, `%h %s`).
fn starts_with_hash(line: &str) -> bool {
    let hash = line.split(|c: char| c.is_whitespace()).next().unwrap_or("");
    (7..=64).contains(&hash.len())
        && hash
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        && hash.bytes().any(|c| c.is_ascii_digit())
}

/// `From <40 hex> Mon Sep 17 00:00:00 2001`, the mbox separator format-patch writes.
fn is_mbox_from(line: &str) -> bool {
    line.split_whitespace()
        .nth(1)
        .is_some_and(|h| h.len() >= 40 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A TOML rules file: a `[[rules]]` table header on a line of its own, and every line before
/// the first one blank, a comment, a table header, a `key = value` line or an array item.
fn looks_like_rules(head: &str) -> bool {
    for line in head.lines() {
        let l = line.trim();
        if l == "[[rules]]" {
            return true;
        }
        let toml_line = l.is_empty()
            || l.starts_with('#')
            || (l.starts_with('[') && l.ends_with(']'))
            // Items and the end of a multi-line array.
            || l.starts_with(['\'', '"', ']'])
            || l.split_once('=').is_some_and(|(k, _)| {
                let k = k.trim().trim_matches('"');
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            });
        if !toml_line {
            return false;
        }
    }
    false
}

/// Most non-comment lines are `NAME=value` (optionally `export NAME=value`).
fn looks_like_env(head: &str) -> bool {
    const LINES: usize = 200;
    let mut assignments = 0;
    let mut other = 0;
    let b = head.as_bytes();
    let (mut at, mut n) = (0, 0);
    // The lines of `head.lines()`, found byte by byte (a line's `\r` goes with its trimming).
    while at < b.len() && n < LINES {
        // The lines left cannot make up for the other lines seen: not a .env (most source
        // files are known so within a few dozen lines).
        if other * 4 > assignments + (LINES - n) {
            return false;
        }
        let end = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i);
        let l = trim(&head[at..end]);
        (at, n) = (end + 1, n + 1);
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let l = l.strip_prefix("export ").unwrap_or(l).as_bytes();
        // `NAME=…`: a name of letters, digits and `_`, not starting with a digit, then the
        // line's first `=`.
        let name = l
            .iter()
            .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
            .unwrap_or(l.len());
        if name > 0 && l.get(name) == Some(&b'=') && !l[0].is_ascii_digit() {
            assignments += 1
        } else {
            other += 1
        }
    }
    assignments >= 1 && other * 4 <= assignments
}

/// `line.trim()`, ASCII white space first: the Unicode rules only where an end is not ASCII
/// (or is a vertical tab, white space that ASCII trimming keeps).
fn trim(line: &str) -> &str {
    let t = line.trim_ascii();
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(&a), Some(&z)) if a < 0x80 && z < 0x80 && a != 0x0b && z != 0x0b => t,
        (None, _) => t,
        _ => line.trim(),
    }
}

/// At least two comma-separated fields that look like column names: short (or a dotted path
/// without spaces, as a field flattened from JSON is named), and none holding what a line of
/// code or a comment holds and a column's name does not (`use a::{b, c};`, `let (x, y) = …`,
/// `// one, two`). Splunk names a field flattened from a JSON array with `{}`
/// (`resources{}.ARN`): that pair is a name's, not code's.
fn looks_like_csv_header(line: &str) -> bool {
    const CODE: [&str; 9] = ["{", "}", ";", "=", "<", ">", "//", "/*", "*/"];
    let fields: Vec<&str> = line.split(',').collect();
    fields.len() >= 2
        && fields.iter().all(|f| {
            let f = f.trim().trim_matches('"');
            let short = f.len() <= 64
                || (f.len() <= 200 && f.contains('.') && !f.contains(char::is_whitespace));
            let bare = without_array_marks(f);
            !f.is_empty() && short && !CODE.iter().any(|c| bare.contains(c))
        })
}

/// `name` without Splunk's array marks: a `{}` right after a name's letter, digit or `_`, and
/// before a `.` or the end (`Statement{}.Action`, `tag{}`).
fn without_array_marks(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.contains("{}") {
        return name.into();
    }
    let b = name.as_bytes();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while i < b.len() {
        let mark = b[i..].starts_with(b"{}")
            && i > 0
            && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
            && matches!(b.get(i + 2), None | Some(b'.'));
        if mark {
            i += 2;
            continue;
        }
        let ch = name[i..].chars().next().unwrap_or_default();
        out.push(ch);
        i += ch.len_utf8();
    }
    out.into()
}

/// Whether `line` reads as a row under the CSV header `header`: as many commas, or, where
/// either quotes a field (a quoted field may hold commas), at least one comma.
fn a_row_of(header: &str, line: &str) -> bool {
    let commas = |l: &str| memchr::memchr_iter(b',', l.as_bytes()).count();
    match header.contains('"') || line.contains('"') {
        true => line.contains(','),
        false => commas(line) == commas(header),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splunk's CSV export names the fields it flattened from JSON arrays with `{}` and gives
    /// long dotted paths: a header of them is a header (and a Splunk CloudTrail export); code
    /// with braces, and prose, are still not.
    #[test]
    fn a_splunk_header_with_array_marks_is_a_csv_header_and_code_is_not() {
        let long = format!(
            "\"{}.Suffix\"",
            "requestParameters.WebsiteConfiguration".repeat(2)
        );
        let header = format!(
            "\"_raw\",\"_time\",action,\"requestParameters.bucketPolicy.Statement{{}}.Action\",\
             \"resources{{}}.ARN\",tag,\"tag::eventtype\",{long},sourcetype"
        );
        assert!(looks_like_csv_header(&header), "{header}");
        let text = format!("{header}\n\"{{\"\"eventVersion\"\":\"\"1.08\"\"}}\",x,y\n");
        assert_eq!(sniff(&text), EvidenceKind::SplunkCloudtrail);
        for not in [
            "foo({}, bar)",
            "use a::{b, c};",
            "let x = {}, y",
            "match v {}, w",
            "x{}y, z",
            "{}, a",
            "a, {}",
            "name, a field of more than sixty-four characters with spaces in it as a sentence has them",
            "name, aGVsbG8gd29ybGQgdGhpcyBpcyBhIGxvbmcgYmFzZTY0IHJ1biB3aXRob3V0IGFueSBkb3Rz",
        ] {
            assert!(!looks_like_csv_header(not), "{not}");
        }
        assert_eq!(without_array_marks("a{}.b{}"), "a.b");
        assert_eq!(without_array_marks("a{}b"), "a{}b");
    }

    /// `looks_like_env` as it was written first (every line split at its first `=`).
    fn looks_like_env_by_split(head: &str) -> bool {
        let mut assignments = 0;
        let mut other = 0;
        for line in head.lines().take(200) {
            let l = line.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let l = l.strip_prefix("export ").unwrap_or(l);
            match l.split_once('=') {
                Some((name, _))
                    if !name.is_empty()
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        && !name.starts_with(|c: char| c.is_ascii_digit()) =>
                {
                    assignments += 1
                }
                _ => other += 1,
            }
        }
        assignments >= 1 && other * 4 <= assignments
    }

    #[test]
    fn the_env_test_reads_every_mix_of_lines_as_the_split_did() {
        let lines = [
            "API_KEY=abc",
            "export TOKEN=x=y",
            "  PORT = 8080",
            "1ABC=2",
            "A-B=3",
            "=empty",
            "\u{a0}NAME=v\u{a0}",
            "\u{b}VT=1\u{b}",
            " \u{2028}",
            "\tTAB=1\r",
            "# comment = x",
            "",
            "fn main() {}",
            "let a = b;",
            "_x=",
            "exportX=1",
            "NAMÉ=1",
            "a.b=c",
            "KEY",
        ];
        let mut seed = 7u64;
        let mut checked = (0, 0);
        for _ in 0..4000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = (seed >> 33) as usize % 260;
            let bias = (seed >> 20) as usize % 4;
            let mut text = String::new();
            for _ in 0..n {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let pick = (seed >> 33) as usize % (lines.len() + bias * 60);
                text.push_str(lines[if pick >= lines.len() { pick % 2 } else { pick }]);
                text.push(if seed & 1 == 0 { '\n' } else { '\r' });
                if seed & 6 == 0 {
                    text.push('\n');
                }
            }
            let want = looks_like_env_by_split(&text);
            assert_eq!(looks_like_env(&text), want, "{text:?}");
            if want {
                checked.0 += 1
            } else {
                checked.1 += 1
            }
        }
        assert!(checked.0 > 100 && checked.1 > 100, "{checked:?}");
    }

    #[test]
    fn kinds_by_content() {
        let cases = [
            (
                "TimeGenerated [UTC],Caller,CallerIpAddress,OperationNameValue,ActivityStatusValue\n2026-01-01T00:00:00Z,a,b,c,d\n",
                EvidenceKind::AzureActivityLog,
            ),
            ("{\"Records\": []}", EvidenceKind::UnknownJson),
            ("[{\"a\":1}]", EvidenceKind::UnknownJson),
            ("commit 0123456789abcdef0123456789abcdef01234567\nAuthor: A <a@b>\n", EvidenceKind::GitLog),
            (
                "commit 0123456789abcdef0123456789abcdef01234567 (HEAD -> main)\nMerge: 1 2\n",
                EvidenceKind::GitLog,
            ),
            (
                "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\n",
                EvidenceKind::Mbox,
            ),
            ("diff --git a/x b/x\nindex 1..2\n", EvidenceKind::Diff),
            (
                "0123456789abcdef0123456789abcdef01234567 add config\n\ndiff --git a/x b/x\n",
                EvidenceKind::GitLog,
            ),
            ("a1b2c3d fix: typo\ndiff --git a/x b/x\n", EvidenceKind::GitLog),
            ("Some notes\ndiff --git a/x b/x\n", EvidenceKind::Diff),
            ("# comment\nOPENAI_API_KEY=abc\nexport DB_URL=postgres://x\n", EvidenceKind::Env),
            ("timestamp,model,cost\n2026-01-01,gpt,1\n", EvidenceKind::UnknownCsv),
            ("When (UTC),Key Label\n2026-01-01,ci\n", EvidenceKind::UnknownCsv),
            ("\"a,b\",c\n\"x,y\",z\n", EvidenceKind::UnknownCsv),
            ("a,b\n\"x,y\",z\n", EvidenceKind::UnknownCsv),
            // Code and comments with commas are not CSV.
            ("use super::{arch::*, utils::*};\nuse crate::{Block, Block8};\n", EvidenceKind::Text),
            ("let (a, b) = pair;\nf(a, b);\n", EvidenceKind::Text),
            ("//! One, two\n//! three, four\n", EvidenceKind::Text),
            ("fn f(a: u8, b: u8) -> u8\n{\n", EvidenceKind::Text),
            ("a,b,c\nnot, a row\n", EvidenceKind::Text),
            ("Run npm test\n> jest\nPASS src/a.test.js\n", EvidenceKind::Text),
            (
                "title = \"gitleaks config\"\n# custom\n[allowlist]\npaths = [\n  '''x''',\n]\n\n[[rules]]\nid = \"a\"\n",
                EvidenceKind::Rules,
            ),
            ("# my rules\n[[rules]]\nid = \"a\"\n", EvidenceKind::Rules),
            ("notes about\n[[rules]]\n", EvidenceKind::Text),
        ];
        for (text, want) in cases {
            assert_eq!(sniff(text), want, "{text:?}");
        }
    }

    #[test]
    fn a_file_name_does_not_decide_the_kind() {
        // The same bytes are the same kind whatever the file is called: sniff never sees a name.
        assert_eq!(sniff("a,b\n1,2\n"), EvidenceKind::UnknownCsv);
    }
}
