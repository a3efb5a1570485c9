//! One parser per source family, each reading its exports into [`UsageEvent`]s.
//!
//! Shared helpers live here: the CSV row driver (header, ragged rows, quoting problems),
//! event construction with the UTC assumption recorded, model-name canonicalisation and the
//! guard that keeps a whole key out of a key-id field.

pub mod agent;
pub mod anthropic;
pub mod aws;
pub mod azure;
pub mod gateways;
pub mod gcp;
pub mod github;
pub mod mapping;
pub mod openai;
pub mod reference;
pub mod results;
mod trail;

use super::csv::{CsvIssue, CsvReader, Header};
use super::event::{RawRef, UsageEvent};
use super::out::{Loc, Out};
use super::time::Ts;
use super::EvidenceKind;
use super::Mappings;
use std::borrow::Cow;

/// Reads a text of a known usage kind into events. `sha256` selects a column mapping for
/// unknown CSV files.
pub fn parse(kind: EvidenceKind, text: &str, sha256: &str, mappings: &Mappings, out: &mut Out) {
    match kind {
        EvidenceKind::ReferenceJson => reference::json(text, out),
        EvidenceKind::ReferenceCsv => reference::csv(text, out),
        EvidenceKind::OpenaiUsageApi => openai::usage_api(text, out),
        EvidenceKind::OpenaiCostsApi => openai::costs_api(text, out),
        EvidenceKind::OpenaiAuditLog => openai::audit_log(text, out),
        EvidenceKind::OpenaiKeyInventory => openai::key_inventory(text, out),
        EvidenceKind::OpenaiUsageCsv => openai::usage_csv(text, out),
        EvidenceKind::OpenaiCostCsv => openai::cost_csv(text, out),
        EvidenceKind::AnthropicUsageReport => anthropic::usage_report(text, out),
        EvidenceKind::AnthropicCostReport => anthropic::cost_report(text, out),
        EvidenceKind::AnthropicKeyInventory => anthropic::key_inventory(text, out),
        EvidenceKind::AnthropicClaudeCodeReport => anthropic::claude_code_report(text, out),
        EvidenceKind::AnthropicActivity => anthropic::activity(text, out),
        EvidenceKind::AnthropicUsageCsv => anthropic::usage_csv(text, out),
        EvidenceKind::AnthropicCostCsv => anthropic::cost_csv(text, out),
        EvidenceKind::Cloudtrail => aws::cloudtrail(text, out),
        EvidenceKind::CloudtrailLookupEvents => aws::lookup_events(text, out),
        EvidenceKind::BedrockInvocationLog => aws::bedrock_invocations(text, out),
        EvidenceKind::AthenaCloudtrailCsv => results::athena::csv(text, out),
        EvidenceKind::CloudtrailLakeResults => results::cloudtrail_lake::results(text, out),
        EvidenceKind::BigqueryAuditRows => results::bigquery::rows(text, out),
        EvidenceKind::SplunkCloudtrail if is_json(text) => results::splunk::json(text, out),
        EvidenceKind::SplunkCloudtrail => results::splunk::csv(text, out),
        EvidenceKind::AzureResourceLog if is_json(text) => azure::resource_log(text, out),
        EvidenceKind::AzureResourceLog => azure::diagnostics_csv(text, out),
        EvidenceKind::AzureActivityLog if is_json(text) => azure::activity_log(text, out),
        EvidenceKind::AzureActivityLog => azure::activity_csv(text, out),
        EvidenceKind::GcpAuditLog => gcp::audit_log(text, out),
        EvidenceKind::LitellmSpendLogs => gateways::litellm(text, out),
        EvidenceKind::OpenrouterCsv => gateways::openrouter_csv(text, out),
        EvidenceKind::Helicone if is_json(text) => gateways::helicone(text, out),
        EvidenceKind::Helicone => gateways::helicone_csv(text, out),
        EvidenceKind::Langfuse => gateways::langfuse(text, out),
        EvidenceKind::CloudflareAiGateway => gateways::cloudflare(text, out),
        EvidenceKind::GithubAuditLog if is_json(text) => github::audit_log(text, out),
        EvidenceKind::GithubAuditLog => github::audit_log_csv(text, out),
        EvidenceKind::GithubSecretAlerts => github::secret_alerts(text, out),
        EvidenceKind::UnknownCsv => mapping::unknown_csv(text, sha256, mappings, out),
        k if k.is_agent() => agent::read(k, text, out, &mut |_| {}),
        _ => {}
    }
    if matches!(
        kind,
        EvidenceKind::OpenaiUsageApi
            | EvidenceKind::OpenaiCostsApi
            | EvidenceKind::OpenaiAuditLog
            | EvidenceKind::OpenaiKeyInventory
            | EvidenceKind::AnthropicUsageReport
            | EvidenceKind::AnthropicCostReport
            | EvidenceKind::AnthropicKeyInventory
            | EvidenceKind::AnthropicClaudeCodeReport
    ) && last_page_has_more(text)
        && out.note.is_none()
    {
        out.note = Some(
            "the last page here says more pages follow (has_more: true): without the next pages the totals are partial"
                .into(),
        );
    }
    silent_gaps(kind, out);
}

/// Says what a reader would otherwise pass over in silence: time buckets with no results, and
/// an export that holds no records at all (a CSV with only its header, an empty page).
fn silent_gaps(kind: EvidenceKind, out: &mut Out) {
    let problems = out.problems.count();
    if out.empty_buckets > 0 {
        let gap = if out.events == 0 {
            format!(
                "all {} time bucket(s) are empty: no usage or cost in the period",
                out.empty_buckets
            )
        } else {
            format!(
                "{} empty time bucket(s) (no usage or cost in them) skipped",
                out.empty_buckets
            )
        };
        out.note = Some(match out.note.take() {
            Some(n) => format!("{n}; {gap}"),
            None => gap,
        });
    } else if out.events == 0
        && problems == 0
        && out.note.is_none()
        && kind != EvidenceKind::UnknownCsv
    {
        out.note = Some(if out.columns.is_empty() {
            "no records in this export: no usage in the period, or an export of the wrong period or scope".into()
        } else {
            "header-only export: no rows, so no usage in the period (or an export of the wrong period or scope)".into()
        });
    }
}

/// True when the last `"has_more"` key of a paged API export is `true`.
fn last_page_has_more(text: &str) -> bool {
    let Some(i) = text.rfind("\"has_more\"") else {
        return false;
    };
    let rest = text[i + "\"has_more\"".len()..].trim_start();
    rest.strip_prefix(':')
        .is_some_and(|r| r.trim_start().starts_with("true"))
}

/// True when a text starts like JSON (an object or an array).
fn is_json(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.starts_with('{') || t.starts_with('[')
}

/// Reads a CSV whose columns are a JSON export's fields flattened (`actor_location.country_code`):
/// each row becomes a flat object of its non-empty cells, as strings, for the JSON reader.
pub fn csv_values(input: &str, out: &mut Out, f: &mut dyn FnMut(&mut Out, serde_json::Value, Loc)) {
    csv_rows(input, out, &mut |out, h, fields, loc| {
        let mut m = serde_json::Map::new();
        for (name, cell) in h.names().iter().zip(fields) {
            let c = cell.trim();
            if !c.is_empty() {
                m.insert(name.clone(), serde_json::Value::String(c.to_string()));
            }
        }
        f(out, serde_json::Value::Object(m), loc);
    });
}

/// A new event at a parsed time; a zone-less time records the UTC assumption.
pub fn event(
    out: &mut Out,
    ts: Ts,
    provider: &str,
    source_format: &str,
    loc: Loc,
    assumption: &str,
) -> UsageEvent {
    let mut e = UsageEvent::new(ts.t, provider, source_format, out.raw_ref(loc));
    if ts.assumed() {
        e.ts_assumed_utc = true;
        out.assume(assumption);
    }
    e
}

/// An event whose time the source redacted or that could not be read: kept (its key, IP,
/// user agent and error are evidence), flagged `ts_unknown` with the Unix epoch as a
/// placeholder, and the problem says so.
pub fn undated_event(
    out: &mut Out,
    raw_time: Option<&str>,
    field: &str,
    provider: &str,
    source_format: &str,
    loc: Loc,
) -> UsageEvent {
    let why = match raw_time {
        Some(t) if is_redacted(t) => format!("time redacted ({})", crate::evidence::out::quote(t)),
        Some(t) => format!("not a time: {}", crate::evidence::out::quote(t)),
        None => "no timestamp".to_string(),
    };
    out.problem(
        loc,
        Some(field),
        format!("{why}; kept as an undated event, outside the time series"),
    );
    let mut e = UsageEvent::new(
        chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        provider,
        source_format,
        out.raw_ref(loc),
    );
    e.ts_unknown = true;
    e
}

/// `v` without white space at either end, as [`str::trim`] gives it, at the cost of two byte
/// checks when both ends are printable ASCII (nearly every value of a log).
#[inline]
pub fn trimmed(v: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x80);
    if plain(v.as_bytes().first()) && plain(v.as_bytes().last()) {
        return v;
    }
    v.trim()
}

/// Whether `v` is empty or only white space, as `v.trim().is_empty()` tells, at the cost of one
/// byte check when it starts with printable ASCII (nearly every value of a log).
#[inline]
pub fn is_blank(v: &str) -> bool {
    match v.as_bytes().first() {
        None => true,
        Some(&b) if b > b' ' && b < 0x80 => false,
        Some(_) => v.trim().is_empty(),
    }
}

/// True for a value a publisher or the source blanked out (`[REDACTED]`, `<redacted>`,
/// `REDACTED`, CloudTrail's `HIDDEN_DUE_TO_SECURITY_REASONS`): it names nothing.
pub fn is_redacted(v: &str) -> bool {
    let v = trimmed(v);
    // What the words below can start with, or the marks trimmed around them: anything else is
    // no blanked-out value (nearly every value of a log, asked for each of its fields).
    if !matches!(
        v.as_bytes().first(),
        Some(b'[' | b']' | b'<' | b'>' | b'*' | b'r' | b'R' | b'h' | b'H')
    ) {
        return false;
    }
    let bracketed = v.starts_with(['[', '<']) && v.ends_with([']', '>']);
    let t = v
        .trim_matches(|c| matches!(c, '[' | ']' | '<' | '>' | '*'))
        .as_bytes();
    // Compared without regard to ASCII case, with no upper-cased copy made (every string field
    // of every CloudTrail record is asked).
    let starts = |w: &[u8]| t.len() >= w.len() && t[..w.len()].eq_ignore_ascii_case(w);
    t.eq_ignore_ascii_case(b"REDACTED")
        || t.eq_ignore_ascii_case(b"HIDDEN_DUE_TO_SECURITY_REASONS")
        || (bracketed && (starts(b"REDACTED") || starts(b"REDACTADO")))
}

/// Same as [`event`] but with a prepared back-reference (hot paths reuse the file name).
pub fn event_at(ts: Ts, provider: &str, source_format: &str, raw_ref: RawRef) -> UsageEvent {
    let mut e = UsageEvent::new(ts.t, provider, source_format, raw_ref);
    e.ts_assumed_utc = ts.assumed();
    e
}

/// What [`csv_rows`] calls for each row: the output, the header, the row's fields, where.
pub type RowFn<'f, 't> = dyn FnMut(&mut Out, &Header, &[Cow<'t, str>], Loc) + 'f;

/// Reads a CSV text row by row: the first non-blank record is the header; rows whose field
/// count differs from the header's are skipped with a problem; quoting problems are reported.
/// Returns the header (empty for an empty text).
pub fn csv_rows<'t>(text: &'t str, out: &mut Out, f: &mut RowFn<'_, 't>) -> Header {
    let mut reader = CsvReader::new(text);
    let mut fields: Vec<Cow<'t, str>> = Vec::new();
    let Some(_) = reader.next_record(&mut fields) else {
        return Header::default();
    };
    let header = Header::new(&fields);
    out.columns = header.names().to_vec();
    while let Some(at) = reader.next_record(&mut fields) {
        let loc = Loc::line(at.line);
        if out.full() {
            break;
        }
        if at.issue == Some(CsvIssue::TooLong) {
            out.problem(
                loc,
                None,
                format!(
                    "row longer than the limit of {} per record; skipped, reading went on from the line end after the limit",
                    crate::evidence::limits::bytes(crate::evidence::limits::RECORD_BYTES as u64)
                ),
            );
            continue;
        }
        if at.issue == Some(CsvIssue::UnterminatedQuote) {
            out.problem(
                loc,
                None,
                "a quoted field opened on this line is never closed; the line was skipped and reading went on from the next line"
                    .into(),
            );
            continue;
        }
        let ragged = fields.len() != header.len();
        if ragged && fields.len() == 1 && fields[0].trim().is_empty() {
            continue;
        }
        // A quoted field running over the next lines into a ragged row, or closing with text
        // after it, is most likely a stray quote: only its own line is lost.
        if (ragged || at.issue == Some(CsvIssue::TextAfterQuote))
            && reader.reread_after_first_line(at)
        {
            out.problem(
                loc,
                None,
                "a quoted field opened on this line runs over the next line(s) (a stray quote?); the line was skipped and reading went on from the next line"
                    .into(),
            );
            continue;
        }
        if ragged {
            out.problem(
                loc,
                None,
                format!(
                    "row has {} field(s), the header has {}; row skipped",
                    fields.len(),
                    header.len()
                ),
            );
            continue;
        }
        if at.issue == Some(CsvIssue::TextAfterQuote) {
            out.problem(
                loc,
                None,
                "text after a closing quote; kept in the field".into(),
            );
        }
        f(out, &header, &fields, loc);
    }
    header
}

/// Canonical model id from a source's spelling: vendor prefixes (`openai/`, `anthropic.`),
/// Bedrock region prefixes (`us.`) and version suffixes (`-v1:0`) removed, display names
/// (`Claude Sonnet 4`) mapped to ids where known, otherwise lower-cased with hyphens.
pub fn canonical_model(raw: &str) -> String {
    let mut m = raw.trim();
    for region in ["us.", "eu.", "apac.", "global.", "us-gov."] {
        if let Some(rest) = m.strip_prefix(region) {
            if rest.contains('.') {
                m = rest;
            }
        }
    }
    for vendor in [
        "anthropic.",
        "meta.",
        "amazon.",
        "mistral.",
        "cohere.",
        "ai21.",
        "deepseek.",
        "openai.",
    ] {
        if let Some(rest) = m.strip_prefix(vendor) {
            m = rest;
        }
    }
    if let Some((_, rest)) = m.split_once('/') {
        m = rest;
    }
    if let Some(i) = m.rfind("-v") {
        let tail = &m[i + 2..];
        if !tail.is_empty() && tail.bytes().all(|c| c.is_ascii_digit() || c == b':') {
            m = &m[..i];
        }
    }
    if m.contains(' ') || m.bytes().any(|c| c.is_ascii_uppercase()) {
        let lower = m.to_ascii_lowercase();
        if let Some(id) = display_name(&lower) {
            return id.to_string();
        }
        return lower.split_whitespace().collect::<Vec<_>>().join("-");
    }
    m.to_string()
}

/// Anthropic console display names to API ids (the cost CSV writes display names).
fn display_name(lower: &str) -> Option<&'static str> {
    Some(match lower {
        "claude sonnet 4" => "claude-sonnet-4-20250514",
        "claude sonnet 4.5" => "claude-sonnet-4-5-20250929",
        "claude opus 4" => "claude-opus-4-20250514",
        "claude opus 4.1" => "claude-opus-4-1-20250805",
        "claude haiku 4.5" => "claude-haiku-4-5-20251001",
        "claude sonnet 3.7" | "claude 3.7 sonnet" => "claude-3-7-sonnet-20250219",
        "claude haiku 3.5" | "claude 3.5 haiku" => "claude-3-5-haiku-20241022",
        "claude 3 haiku" | "claude haiku 3" => "claude-3-haiku-20240307",
        "claude 3 opus" | "claude opus 3" => "claude-3-opus-20240229",
        _ => return None,
    })
}

/// Sets `model` and, when the canonical id differs, `model_raw`.
pub fn set_model(e: &mut UsageEvent, raw: Option<&str>) {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return;
    };
    let canon = canonical_model(raw);
    if canon != raw {
        e.model_raw = Some(raw.to_string());
    }
    e.model = Some(canon);
}

/// Canonical model ids already worked out for one file: exports repeat a handful of models
/// over millions of rows.
#[derive(Debug, Default)]
pub struct ModelCache {
    seen: Vec<(String, String)>,
}

impl ModelCache {
    /// [`set_model`], remembering the answer for the next row.
    pub fn set(&mut self, e: &mut UsageEvent, raw: Option<&str>) {
        let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
            return;
        };
        let i = match self.seen.iter().position(|(r, _)| r == raw) {
            Some(i) => i,
            None => {
                let canon = canonical_model(raw);
                if self.seen.len() >= 64 {
                    self.seen.clear();
                }
                self.seen.push((raw.to_string(), canon));
                self.seen.len() - 1
            }
        };
        let (r, c) = &self.seen[i];
        if r != c {
            e.model_raw = Some(r.clone());
        }
        e.model = Some(c.clone());
    }
}

/// True when a value in a key-id column looks like a whole credential rather than an id,
/// a name or a masked hint: long, no mask characters, and a known secret prefix or no
/// separators at all.
pub fn looks_like_whole_key(v: &str) -> bool {
    let v = v.trim();
    if v.len() < 24 || v.contains('…') || v.contains("...") || v.contains('*') {
        return false;
    }
    if v.starts_with("key_") || v.starts_with("apikey_") || v.starts_with("AKIA") {
        return false;
    }
    const PREFIXES: [&str; 9] = [
        "sk-",
        "sk_",
        "AIza",
        "ghp_",
        "github_pat_",
        "xai-",
        "gsk_",
        "ABSK",
        "bedrock-api-key-",
    ];
    PREFIXES.iter().any(|p| v.starts_with(p))
}

/// What differs between providers' API-key lists.
pub struct KeyList {
    /// Provider id.
    pub provider: &'static str,
    /// Source format id.
    pub source_format: &'static str,
    /// The field holding the key's redacted hint.
    pub hint_field: &'static str,
    /// The assumption recorded for times without a zone.
    pub assumed: &'static str,
}

/// Reads an API-key list (`{"data": [...]}`): one audit event per key at its creation, joining
/// the key id to its redacted hint; `more` adds the provider's own fields.
pub fn key_list(
    input: &str,
    out: &mut Out,
    list: &KeyList,
    more: impl Fn(&serde_json::Value, &mut UsageEvent),
) {
    use super::event::{KeyIdKind, RecordKind};
    use super::fields::{s, ts_at, type_name};
    super::json::walk(input, &["data"], out, &mut |out, v, loc| {
        if !v.is_object() {
            out.problem(
                loc,
                None,
                format!("expected a key object, found {}; skipped", type_name(&v)),
            );
            return;
        }
        let Some(ts) = ts_at(out, &v, &["created_at"], loc) else {
            return;
        };
        let mut e = event(
            out,
            ts,
            list.provider,
            list.source_format,
            loc,
            list.assumed,
        );
        e.record_kind = RecordKind::Audit;
        e.operation = Some("api_key.inventory".into());
        if let Some(id) = s(&v, &["id"]) {
            e.key_id = Some(id.to_string());
            e.key_id_kind = Some(KeyIdKind::ProviderKeyId);
            e.event_id = Some(format!("{}.key:{id}", list.provider));
        }
        if let Some(h) = s(&v, &[list.hint_field]) {
            e.key_hint = Some(safe_hint(out, h, list.hint_field, loc));
        }
        more(&v, &mut e);
        out.emit(e);
    });
}

/// A key hint as given by a key list (`sk-abc...def`): kept as is when masked, redacted when
/// it turns out to be a whole key.
pub fn safe_hint(out: &mut Out, v: &str, column: &str, loc: Loc) -> String {
    let masked = v.contains("...") || v.contains('…') || v.contains('*');
    if masked {
        v.to_string()
    } else {
        out.problem(
            loc,
            Some(column),
            "this hint is not masked; only its redacted form is kept".into(),
        );
        crate::secret::redact(v)
    }
}

/// The key id to keep for a value that may be a whole key: the redacted form, with a problem.
pub fn safe_key(out: &mut Out, v: &str, column: &str, loc: Loc) -> String {
    if looks_like_whole_key(v) {
        out.problem(
            loc,
            Some(column),
            "this column holds what looks like a whole key; only its redacted form is kept".into(),
        );
        crate::secret::redact(v)
    } else {
        v.to_string()
    }
}

/// The provider a key prefix or model name points to (reference-format records name none).
pub fn provider_from(key: Option<&str>, model: Option<&str>) -> &'static str {
    if let Some(k) = key {
        if k.starts_with("sk-ant-") {
            return "anthropic";
        }
        if k.starts_with("sk-or-") {
            return "openrouter";
        }
        if k.starts_with("sk-") {
            return "openai";
        }
        if k.starts_with("AIza") {
            return "gemini_api";
        }
    }
    if let Some(m) = model {
        let m = m.to_ascii_lowercase();
        if m.starts_with("claude") {
            return "anthropic";
        }
        if m.starts_with("gpt")
            || m.starts_with("o1")
            || m.starts_with("o3")
            || m.starts_with("o4")
            || m.starts_with("text-embedding")
            || m.starts_with("dall-e")
            || m.starts_with("whisper")
        {
            return "openai";
        }
        if m.starts_with("gemini") {
            return "gemini_api";
        }
    }
    "unknown"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimmed_is_trim_and_is_blank_is_trimmed_empty() {
        let ends = [
            "", " ", "\t", "\n", "\u{85}", "\u{a0}", "\u{2003}", "\u{3000}", "\u{1f}", "\u{7f}",
            "a", "é", "[", "\u{feff}",
        ];
        for a in ends {
            for b in ends {
                for mid in ["", "x", " y ", "REDACTED"] {
                    let v = format!("{a}{mid}{b}");
                    assert_eq!(trimmed(&v), v.trim(), "{v:?}");
                    assert_eq!(is_blank(&v), v.trim().is_empty(), "{v:?}");
                }
            }
        }
    }

    #[test]
    fn blanked_out_values_name_nothing() {
        for v in [
            "[REDACTED]",
            "<REDACTED>",
            "redacted",
            "HIDDEN_DUE_TO_SECURITY_REASONS",
            "<REDACTADO-POR-ARNESIA>",
        ] {
            assert!(is_redacted(v), "{v}");
        }
        for v in ["AKIAEXAMPLE", "redacted-user", "2026-01-01T00:00:00Z", ""] {
            assert!(!is_redacted(v), "{v}");
        }
        // As the upper-cased comparison it replaces reads them.
        let upper = |v: &str| {
            let v = v.trim();
            let bracketed = v.starts_with(['[', '<']) && v.ends_with([']', '>']);
            let t = v
                .trim_matches(|c| matches!(c, '[' | ']' | '<' | '>' | '*'))
                .to_ascii_uppercase();
            t == "REDACTED"
                || t == "HIDDEN_DUE_TO_SECURITY_REASONS"
                || (bracketed && (t.starts_with("REDACTED") || t.starts_with("REDACTADO")))
        };
        for v in [
            "[Redacted by the SIEM]",
            "<redactado>",
            "redacted-user",
            "*REDACTED*",
            " hidden_due_to_security_reasons ",
            "[REDACTE]",
            "[redactedé]",
            "[éredacted]",
            "REDACTEDX",
            "ß",
            "[REDACTıD]",
            "<>",
            "]REDACTED[",
            ">redacted",
            "Hidden_Due_To_Security_Reasons",
            "xREDACTED",
        ] {
            assert_eq!(is_redacted(v), upper(v), "{v}");
        }
    }

    #[test]
    fn model_ids_are_canonicalised() {
        let cases = [
            (
                "anthropic.claude-3-5-sonnet-20240620-v1:0",
                "claude-3-5-sonnet-20240620",
            ),
            (
                "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
                "claude-3-5-sonnet-20240620",
            ),
            ("openai/gpt-4o-2024-08-06", "gpt-4o-2024-08-06"),
            ("Claude Sonnet 4", "claude-sonnet-4-20250514"),
            ("gpt-4o-mini-2024-07-18", "gpt-4o-mini-2024-07-18"),
            ("Some New Model", "some-new-model"),
        ];
        for (raw, want) in cases {
            assert_eq!(canonical_model(raw), want, "{raw}");
        }
    }

    #[test]
    fn whole_keys_are_told_from_ids() {
        assert!(looks_like_whole_key(
            "sk-proj-FAKEFAKE0000example0000xxxxxxxx"
        ));
        assert!(!looks_like_whole_key("sk-...abcd"));
        assert!(!looks_like_whole_key("key_8fTz3pLwQe1Rs0aB"));
        assert!(!looks_like_whole_key("ci-bot"));
    }
}
