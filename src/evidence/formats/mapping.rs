//! Unknown CSV files read through a column mapping the responder gives (kept in the session's
//! the responder's context, never stored): which column is the time, the key, the model, the tokens, the
//! cost, the IP and the user agent.

use super::{csv_rows, event, safe_key, set_model};
use crate::evidence::csv::{field, Header};
use crate::evidence::event::{KeyIdKind, RecordKind};
use crate::evidence::fields::{cell_f64, cell_ts, cell_u64};
use crate::evidence::out::Out;
use crate::evidence::Mappings;
use serde::{Deserialize, Serialize};

/// Which column of an unknown CSV holds which field. Column names are matched trimmed and
/// case-insensitively. Only `timestamp` is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ColumnMapping {
    /// The time column (RFC 3339, `YYYY-MM-DD HH:MM:SS`, a date, or Unix seconds/ms).
    pub timestamp: String,
    /// The key id, key name or masked key column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The model column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Input tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<String>,
    /// Output tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<String>,
    /// Cost in US dollars.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<String>,
    /// Source IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    /// User agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// The provider to record (`openai`, `anthropic`, ...); `unknown` when not given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
}

impl ColumnMapping {
    /// A first guess from a header's column names, for the page to offer (the responder
    /// confirms it). `None` when no column looks like a time.
    pub fn guess(columns: &[String]) -> Option<ColumnMapping> {
        let norm: Vec<String> = columns
            .iter()
            .map(|c| {
                c.chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase()
            })
            .collect();
        let mut used = vec![false; columns.len()];
        let mut pick = |words: &[&str]| -> Option<String> {
            for w in words {
                let exact = norm.iter().position(|n| n == w);
                let found = exact.or_else(|| norm.iter().position(|n| n.contains(w)));
                if let Some(i) = found.filter(|&i| !used[i]) {
                    used[i] = true;
                    return Some(columns[i].trim().to_string());
                }
            }
            None
        };
        let timestamp = pick(&[
            "timestamp",
            "time",
            "datetime",
            "date",
            "createdat",
            "created",
            "when",
            "starttime",
        ])?;
        Some(ColumnMapping {
            timestamp,
            key: pick(&[
                "apikeyid", "apikey", "keyid", "keyname", "keylabel", "key", "token",
            ]),
            model: pick(&["model", "engine", "deployment"]),
            input_tokens: pick(&[
                "inputtokens",
                "prompttokens",
                "tokensin",
                "tokensprompt",
                "prompttok",
                "input",
                "prompt",
            ]),
            output_tokens: pick(&[
                "outputtokens",
                "completiontokens",
                "tokensout",
                "tokenscompletion",
                "completiontok",
                "output",
                "completion",
            ]),
            cost_usd: pick(&[
                "costusd", "cost", "spend", "charge", "amount", "usd", "price",
            ]),
            source_ip: pick(&[
                "sourceip",
                "clientip",
                "callerip",
                "ipaddress",
                "remoteaddr",
                "ip",
            ]),
            user_agent: pick(&["useragent", "agent", "ua"]),
            provider: None,
        })
    }
}

/// The mapping for a file: by its SHA-256 first, then by its name.
pub fn mapping_for<'c>(
    mappings: &'c Mappings,
    sha256: &str,
    name: &str,
) -> Option<&'c ColumnMapping> {
    mappings.get(sha256).or_else(|| mappings.get(name))
}

/// Reads an unknown CSV with the responder's mapping, or only notes its columns without one.
pub fn unknown_csv(text: &str, sha256: &str, mappings: &Mappings, out: &mut Out) {
    let Some(m) = mapping_for(mappings, sha256, out.file).cloned() else {
        let mut reader = crate::evidence::csv::CsvReader::new(text);
        let mut fields = Vec::new();
        if reader.next_record(&mut fields).is_some() {
            out.columns = Header::new(&fields).names().to_vec();
        }
        out.note = Some(
            "CSV with columns this tool does not know: map its columns (timestamp, key, model, tokens, cost, IP, user agent) to read it"
                .into(),
        );
        return;
    };
    let provider = m.provider.clone().unwrap_or_else(|| "unknown".into());
    let mut idx: Option<[Option<usize>; 8]> = None;
    let mut missing_reported = false;
    let header = csv_rows(text, out, &mut |out, h, f, loc| {
        let c = *idx.get_or_insert_with(|| {
            let col = |n: &Option<String>| n.as_deref().and_then(|n| h.idx(n.trim()));
            [
                h.idx(m.timestamp.trim()),
                col(&m.key),
                col(&m.model),
                col(&m.input_tokens),
                col(&m.output_tokens),
                col(&m.cost_usd),
                col(&m.source_ip),
                col(&m.user_agent),
            ]
        });
        if c[0].is_none() {
            if !missing_reported {
                out.problem(
                    loc,
                    Some(&m.timestamp),
                    "the mapped time column is not in the header; nothing read".into(),
                );
                missing_reported = true;
            }
            return;
        }
        let cell = |i: usize| field(f, c[i]);
        let Some(ts) = cell_ts(out, cell(0), &m.timestamp, loc) else {
            return;
        };
        let mut e = event(
            out,
            ts,
            &provider,
            "mapped_csv",
            loc,
            "times without a zone in the mapped CSV were read as UTC",
        );
        e.record_kind = RecordKind::Request;
        e.requests = Some(1);
        if let Some(k) = cell(1) {
            let col = m.key.as_deref().unwrap_or("key");
            e.key_id = Some(safe_key(out, k, col, loc));
            e.key_id_kind = Some(KeyIdKind::KeyName);
        }
        set_model(&mut e, cell(2));
        e.input_tokens = cell_u64(out, cell(3), m.input_tokens.as_deref().unwrap_or(""), loc);
        e.output_tokens = cell_u64(out, cell(4), m.output_tokens.as_deref().unwrap_or(""), loc);
        e.cost_usd = cell_f64(out, cell(5), m.cost_usd.as_deref().unwrap_or(""), loc);
        e.source_ip = cell(6).map(str::to_string);
        e.user_agent = cell(7).map(str::to_string);
        out.emit(e);
    });
    for (name, col) in [
        ("key", &m.key),
        ("model", &m.model),
        ("input_tokens", &m.input_tokens),
        ("output_tokens", &m.output_tokens),
        ("cost_usd", &m.cost_usd),
        ("source_ip", &m.source_ip),
        ("user_agent", &m.user_agent),
    ] {
        if let Some(c) = col {
            if !header.has(c.trim()) {
                out.problem(
                    Default::default(),
                    Some(c),
                    format!("the column mapped to {name} is not in the header; left empty"),
                );
            }
        }
    }
    out.assume("the responder's column mapping was applied; each row is one request");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_a_mapping_from_column_names() {
        let cols: Vec<String> = [
            "When (UTC)",
            "Key Label",
            "Engine",
            "Prompt Tok",
            "Completion Tok",
            "Charge",
            "Client IP",
            "Agent",
            "Region",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let m = ColumnMapping::guess(&cols).unwrap();
        assert_eq!(m.timestamp, "When (UTC)");
        assert_eq!(m.key.as_deref(), Some("Key Label"));
        assert_eq!(m.model.as_deref(), Some("Engine"));
        assert_eq!(m.input_tokens.as_deref(), Some("Prompt Tok"));
        assert_eq!(m.output_tokens.as_deref(), Some("Completion Tok"));
        assert_eq!(m.cost_usd.as_deref(), Some("Charge"));
        assert_eq!(m.source_ip.as_deref(), Some("Client IP"));
        assert_eq!(m.user_agent.as_deref(), Some("Agent"));
        assert!(ColumnMapping::guess(&["a".into(), "b".into()]).is_none());
    }
}
