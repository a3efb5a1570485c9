//! The limits a usage row's values must keep to be believed, as data in one place
//! (docs/evidence.md, "Values checked"). Every reader's events pass through [`check`] as they
//! are emitted: a value outside its limit is dropped from the row (the rest of the row is
//! kept) and becomes a problem naming the file, the line or record and the field.

use super::event::UsageEvent;
use super::limits::{self, FIELD_BYTES};
use super::out::quote;
use std::net::{IpAddr, SocketAddr};

/// One value's limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    /// The normalised field it applies to.
    pub field: &'static str,
    /// The largest value believed in one row.
    pub max: f64,
    /// What it counts.
    pub unit: &'static str,
}

/// The largest cost believed for one row: ten million US dollars.
pub const MAX_COST_USD: f64 = 10_000_000.0;
/// The largest token count believed for one row: a million million (1e12).
pub const MAX_TOKENS: u64 = 1_000_000_000_000;
/// The largest request count believed for one row: a million million (1e12).
pub const MAX_REQUESTS: u64 = 1_000_000_000_000;

/// Every limit, in the order the fields are checked. Costs must also be finite and not
/// negative; counts are whole non-negative numbers by their type (a reader refuses `-3` or
/// `2.5` where a count is expected, see [`super::fields::parse_u64`]).
pub const LIMITS: &[Limit] = &[
    Limit {
        field: "cost_usd",
        max: MAX_COST_USD,
        unit: "US dollars",
    },
    Limit {
        field: "requests",
        max: MAX_REQUESTS as f64,
        unit: "requests",
    },
    Limit {
        field: "input_tokens",
        max: MAX_TOKENS as f64,
        unit: "tokens",
    },
    Limit {
        field: "input_cached_tokens",
        max: MAX_TOKENS as f64,
        unit: "tokens",
    },
    Limit {
        field: "input_cache_write_tokens",
        max: MAX_TOKENS as f64,
        unit: "tokens",
    },
    Limit {
        field: "output_tokens",
        max: MAX_TOKENS as f64,
        unit: "tokens",
    },
];

/// Checks one event's values against [`LIMITS`] and its source IP against the IP grammar.
/// Each value that fails is removed from the event and reported to `problem` as
/// `(field, message)`. A CloudTrail service name in the IP field (`AWS Internal`,
/// `bedrock.amazonaws.com`: AWS calling on the caller's behalf) is moved to the `source_service`
/// extra without a problem; a masked address (`203.0.113.***`) is kept as the source gave it.
pub fn check(e: &mut UsageEvent, problem: &mut dyn FnMut(&'static str, String)) {
    cap_texts(e, problem);
    if let Some(c) = e.cost_usd {
        let why = if !c.is_finite() {
            Some("not a finite amount")
        } else if c < 0.0 {
            Some("a negative cost")
        } else if c > MAX_COST_USD {
            Some("more than the $10,000,000 believed for one row")
        } else {
            None
        };
        if let Some(why) = why {
            e.cost_usd = None;
            problem("cost_usd", format!("{why}: {c}; field left empty"));
        }
    }
    let counts: [(&'static str, &mut Option<u64>, u64); 5] = [
        ("requests", &mut e.requests, MAX_REQUESTS),
        ("input_tokens", &mut e.input_tokens, MAX_TOKENS),
        (
            "input_cached_tokens",
            &mut e.input_cached_tokens,
            MAX_TOKENS,
        ),
        (
            "input_cache_write_tokens",
            &mut e.input_cache_write_tokens,
            MAX_TOKENS,
        ),
        ("output_tokens", &mut e.output_tokens, MAX_TOKENS),
    ];
    for (field, v, max) in counts {
        if let Some(n) = *v {
            if n > max {
                *v = None;
                problem(
                    field,
                    format!("{n} is more than the {max} believed for one row; field left empty"),
                );
            }
        }
    }
    if let Some(ip) = e.source_ip.take() {
        match ip_value(&ip) {
            _ if e.source_ip_masked => e.source_ip = Some(ip),
            Some(IpForm::Same) => e.source_ip = Some(ip),
            Some(IpForm::Normalised(a)) => e.source_ip = Some(a.to_string()),
            None if is_aws_service(&ip) => {
                e.extras.insert("source_service".into(), ip);
            }
            None => problem(
                "source_ip",
                format!("not an IP address: {}; field left empty", quote(&ip)),
            ),
        }
    }
}

/// Cuts every text value of the event longer than [`FIELD_BYTES`] (see [`cut`]), each with a
/// problem naming the field: a user agent or model of hundreds of megabytes is not carried into
/// the detectors' string sets and the report.
fn cap_texts(e: &mut UsageEvent, problem: &mut dyn FnMut(&'static str, String)) {
    let fields: [(&'static str, &mut Option<String>); 12] = [
        ("event_id", &mut e.event_id),
        ("key_id", &mut e.key_id),
        ("key_hint", &mut e.key_hint),
        ("principal", &mut e.principal),
        ("project", &mut e.project),
        ("model", &mut e.model),
        ("model_raw", &mut e.model_raw),
        ("operation", &mut e.operation),
        ("source_ip", &mut e.source_ip),
        ("user_agent", &mut e.user_agent),
        ("error_code", &mut e.error_code),
        ("region", &mut e.region),
    ];
    for (field, v) in fields {
        if let Some(text) = v.as_mut().filter(|t| t.len() > FIELD_BYTES) {
            problem(field, cut(text));
        }
    }
    if e.extras
        .iter()
        .any(|(k, v)| k.len() > FIELD_BYTES || v.len() > FIELD_BYTES)
    {
        let long = std::mem::take(&mut e.extras);
        for (mut k, mut v) in long {
            if k.len() > FIELD_BYTES {
                problem("extras", cut(&mut k));
            }
            if v.len() > FIELD_BYTES {
                problem("extras", cut(&mut v));
            }
            e.extras.insert(k, v);
        }
    }
}

/// Cuts a text longer than [`FIELD_BYTES`] (see [`cut`]); the problem's message when it did.
pub(crate) fn cap(text: &mut String) -> Option<String> {
    (text.len() > FIELD_BYTES).then(|| cut(text))
}

/// Cuts a text longer than [`FIELD_BYTES`] there, then back to the end of its last whole word
/// (no part of a token, which could be a credential the redaction would no longer recognise,
/// is kept), and marks it with its length. Returns the problem's message.
fn cut(text: &mut String) -> String {
    let len = text.len();
    let mut end = FIELD_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '+' | '/' | '=' | '.');
    if text[end..].starts_with(word) {
        end = text[..end].trim_end_matches(word).len();
    }
    text.truncate(end);
    text.push_str(&format!(
        "… [{len} bytes, cut at the limit of {}]",
        limits::bytes(FIELD_BYTES as u64)
    ));
    format!(
        "a value of {len} bytes, longer than the limit of {} per field value; cut at a word \
         boundary and marked",
        limits::bytes(FIELD_BYTES as u64)
    )
}

/// How an IP field's text reads as an address.
enum IpForm {
    /// An address as written.
    Same,
    /// An address written with a port or in brackets (`1.2.3.4:443`, `[2001:db8::1]`).
    Normalised(IpAddr),
}

fn ip_value(s: &str) -> Option<IpForm> {
    if s.parse::<IpAddr>().is_ok() {
        return Some(IpForm::Same);
    }
    let t = s.trim();
    if let Ok(a) = t.parse::<IpAddr>() {
        return Some(IpForm::Normalised(a));
    }
    if let Ok(a) = t.parse::<SocketAddr>() {
        return Some(IpForm::Normalised(a.ip()));
    }
    t.strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|r| r.parse::<IpAddr>().ok())
        .map(IpForm::Normalised)
}

/// Whether an IP field holds the name of an AWS service acting for the caller.
fn is_aws_service(s: &str) -> bool {
    s == "AWS Internal"
        || (s.ends_with(".amazonaws.com")
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'))
}

/// Whether a text is an IP address (as [`check`] accepts it).
pub fn is_ip(s: &str) -> bool {
    ip_value(s).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::event::RawRef;

    fn event() -> UsageEvent {
        UsageEvent::new(
            chrono::DateTime::from_timestamp(1_794_000_000, 0).unwrap(),
            "openai",
            "test",
            RawRef {
                file: "f".into(),
                line: Some(3),
                record: None,
            },
        )
    }

    fn run(e: &mut UsageEvent) -> Vec<(&'static str, String)> {
        let mut v = Vec::new();
        check(e, &mut |f, m| v.push((f, m)));
        v
    }

    #[test]
    fn bad_costs_and_counts_are_dropped_with_a_problem_the_rest_kept() {
        for bad in [f64::NAN, f64::INFINITY, -0.5, 1.8e19, 10_000_000.01] {
            let mut e = event();
            e.cost_usd = Some(bad);
            e.input_tokens = Some(5);
            let p = run(&mut e);
            assert_eq!(e.cost_usd, None, "{bad}");
            assert_eq!(e.input_tokens, Some(5));
            assert_eq!(p.len(), 1);
            assert_eq!(p[0].0, "cost_usd");
            assert!(p[0].1.ends_with("field left empty"), "{}", p[0].1);
        }
        let mut e = event();
        e.cost_usd = Some(MAX_COST_USD);
        e.output_tokens = Some(MAX_TOKENS + 1);
        e.requests = Some(u64::MAX);
        let p = run(&mut e);
        assert_eq!(
            e.cost_usd,
            Some(MAX_COST_USD),
            "the limit itself is believed"
        );
        assert_eq!((e.output_tokens, e.requests), (None, None));
        let fields: Vec<_> = p.iter().map(|x| x.0).collect();
        assert_eq!(fields, ["requests", "output_tokens"]);
        // The table and the constants agree.
        assert!(LIMITS
            .iter()
            .any(|l| l.field == "cost_usd" && l.max == MAX_COST_USD));
        assert_eq!(LIMITS.len(), 6);
    }

    #[test]
    fn long_texts_are_cut_at_a_word_boundary_and_marked() {
        let mut e = event();
        let head = "Mozilla/5.0 ".repeat(FIELD_BYTES / 12);
        e.user_agent = Some(format!("{head}sk-proj-{}", "A".repeat(1 << 20)));
        e.model = Some("gpt-4o".into());
        e.extras.insert("note".into(), "é ".repeat(FIELD_BYTES));
        e.operation = Some("A".repeat(FIELD_BYTES + 1));
        let p = run(&mut e);
        let ua = e.user_agent.as_deref().unwrap();
        // Nothing of the token that straddles the limit is kept.
        assert!(!ua.contains("sk-"), "{}", &ua[ua.len() - 80..]);
        assert!(ua.starts_with(&head[..head.len() - 1]));
        let mark = format!(
            "… [{} bytes, cut at the limit of 4 KiB]",
            head.len() + 8 + (1 << 20)
        );
        assert!(ua.ends_with(&mark), "{}", &ua[ua.len() - 80..]);
        assert!(ua.len() <= FIELD_BYTES + mark.len());
        let note = &e.extras["note"];
        assert!(note.starts_with("é é") && note.ends_with("cut at the limit of 4 KiB]"));
        assert!(note.len() <= FIELD_BYTES + 60);
        assert_eq!(e.model.as_deref(), Some("gpt-4o"));
        // One word longer than the limit: nothing of it is kept.
        let op = format!("… [{} bytes, cut at the limit of 4 KiB]", FIELD_BYTES + 1);
        assert_eq!(e.operation.as_deref(), Some(op.as_str()));
        let fields: Vec<_> = p.iter().map(|x| x.0).collect();
        assert_eq!(fields, ["operation", "user_agent", "extras"]);
        assert!(p[1]
            .1
            .contains("longer than the limit of 4 KiB per field value"));
        // A value at the limit is kept whole.
        let mut e = event();
        e.operation = Some("x".repeat(FIELD_BYTES));
        assert!(run(&mut e).is_empty());
        assert_eq!(e.operation.map(|o| o.len()), Some(FIELD_BYTES));
    }

    #[test]
    fn ips_are_parsed_as_ips() {
        let cases = [
            ("203.0.113.7", Some("203.0.113.7"), 0),
            ("2001:db8::1", Some("2001:db8::1"), 0),
            ("203.0.113.7:443", Some("203.0.113.7"), 0),
            ("[2001:db8::1]:443", Some("2001:db8::1"), 0),
            (" 198.51.100.2 ", Some("198.51.100.2"), 0),
            ("'; DROP TABLE", None, 1),
            ("999.1.1.1", None, 1),
            ("AWS Internal", None, 0),
            ("bedrock.amazonaws.com", None, 0),
        ];
        for (given, kept, problems) in cases {
            let mut e = event();
            e.source_ip = Some(given.into());
            let p = run(&mut e);
            assert_eq!(e.source_ip.as_deref(), kept, "{given}");
            assert_eq!(p.len(), problems, "{given}: {p:?}");
        }
        let mut e = event();
        e.source_ip = Some("bedrock.amazonaws.com".into());
        run(&mut e);
        assert_eq!(e.extras["source_service"], "bedrock.amazonaws.com");
        let mut e = event();
        e.source_ip = Some("203.0.113.***".into());
        e.source_ip_masked = true;
        assert!(run(&mut e).is_empty());
        assert_eq!(e.source_ip.as_deref(), Some("203.0.113.***"));
    }
}
