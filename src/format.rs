//! How the product writes times, numbers and money: one place, at the bottom of the engine, so
//! every stage and every view says a time or an amount the same way.

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde::Serializer;

/// A time the one way the report writes it: RFC 3339, UTC, seconds, `Z`.
pub fn rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Serialises a time as [`rfc3339`] (for `#[serde(serialize_with)]`).
pub fn ser_ts<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(t))
}

/// Serialises an optional time as [`rfc3339`], or `null`.
pub fn ser_opt_ts<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&rfc3339(t)),
        None => s.serialize_none(),
    }
}

/// A Unix time (seconds) as a UTC time; the epoch when out of range.
pub fn unix(t: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(t, 0).single().unwrap_or_default()
}

/// A Unix time for a sentence, to the minute: `2026-11-19 03:13 UTC`.
pub fn minute(t: i64) -> String {
    unix(t).format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A number for a sentence: thousands separators, 2 decimals under 100.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    if x.abs() < 100.0 && x.fract() != 0.0 {
        return format!("{x:.2}");
    }
    let n = x.round() as i64;
    let digits = count(n.unsigned_abs());
    if n < 0 {
        format!("-{digits}")
    } else {
        digits
    }
}

/// A count with thousands separators (`1,234,567`).
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Dollars with cents and thousands separators: `$1,234.50`, `-$0.25`.
pub fn usd(v: f64) -> String {
    let cents = if v.is_finite() {
        (v * 100.0).round() as i64
    } else {
        0
    };
    format!(
        "{}${}.{:02}",
        if cents < 0 { "-" } else { "" },
        count(cents.unsigned_abs() / 100),
        cents.unsigned_abs() % 100
    )
}

/// At most the first `n` characters of a text (never cut inside a character): a short commit
/// id, a field's opening words.
pub fn head(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// Bytes in binary units, one decimal (`1.5 KiB`, `2.0 GiB`).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    format!("{v:.1} {}", UNITS[u])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_counts_money_and_bytes() {
        assert_eq!(num(1234567.4), "1,234,567");
        assert_eq!(num(-1234.0), "-1,234");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(usd(1234.5), "$1,234.50");
        assert_eq!(usd(-0.25), "-$0.25");
        assert_eq!(usd(f64::INFINITY), "$0.00");
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(2 << 30), "2.0 GiB");
        assert_eq!(head("4f2a9c1e0b77", 10), "4f2a9c1e0b");
        assert_eq!(head("é€𝄞é€𝄞é€𝄞é€𝄞", 10), "é€𝄞é€𝄞é€𝄞é");
        assert_eq!(head("abc", 10), "abc");
    }

    #[test]
    fn times() {
        let t = unix(1_763_522_000);
        assert_eq!(rfc3339(&t), "2025-11-19T03:13:20Z");
        assert_eq!(minute(1_763_522_000), "2025-11-19 03:13 UTC");
    }
}

/// Whether a character can move the cursor, erase, retitle a terminal or reorder text: C0
/// controls other than line feed and tab, DEL, C1 controls, and the bidirectional overrides
/// and isolates (U+202A..U+202E, U+2066..U+2069).
pub fn is_unsafe_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe control character ([`is_unsafe_control`]) written visibly: `\x1b`
/// for a byte-sized one, `\u{202e}` for the others. A carriage return right before a line feed
/// stays (a CRLF line end). Borrowed when there is none. The text output, the command line's
/// messages, Markdown and the IOC CSV all go through it.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let unsafe_at =
        |i: usize, c: char| is_unsafe_control(c) && !(c == '\r' && b.get(i + 1) == Some(&b'\n'));
    if !text.char_indices().any(|(i, c)| unsafe_at(i, c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        if unsafe_at(i, c) {
            if (c as u32) <= 0xff {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod control_tests {
    use super::escape_controls;

    #[test]
    fn controls_and_bidi_overrides_are_written_visibly() {
        assert_eq!(escape_controls("plain\ttext\r\n"), "plain\ttext\r\n");
        assert_eq!(
            escape_controls("a\u{1b}]0;x\u{7}b\rc\u{9b}d\u{202e}e"),
            "a\\x1b]0;x\\x07b\\x0dc\\x9bd\\u{202e}e"
        );
    }
}
