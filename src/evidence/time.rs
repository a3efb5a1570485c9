//! Reading the timestamp zoo into UTC without chrono's generic (slow) parser.
//!
//! Handles RFC 3339 (`Z` or an offset, any fraction up to nanoseconds), the same with a space
//! instead of `T`, zone-less date-times (read as UTC, and said so), date-only strings, Unix
//! seconds, milliseconds and fractional seconds, and .NET ticks.

use chrono::{DateTime, NaiveDate, Utc};

/// Whether a parsed time carried its own zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// `Z`, `UTC`, an offset, or a Unix epoch number: the instant is known.
    Known,
    /// No zone in the source: UTC was assumed.
    Assumed,
}

/// A parsed instant and whether its zone was assumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ts {
    /// The instant, in UTC.
    pub t: DateTime<Utc>,
    /// Whether the zone was in the source.
    pub zone: Zone,
}

impl Ts {
    /// True when the source had no zone and UTC was assumed.
    pub fn assumed(&self) -> bool {
        self.zone == Zone::Assumed
    }
}

/// .NET ticks (100 ns since 0001-01-01) at the Unix epoch.
const DOTNET_EPOCH_TICKS: i64 = 621_355_968_000_000_000;

/// Parses a textual or numeric timestamp. `None` when it is not a time.
pub fn parse(s: &str) -> Option<Ts> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        return parse_iso(b);
    }
    parse_epoch_text(s)
}

/// Unix seconds, milliseconds (13 digits) or fractional seconds, as text.
fn parse_epoch_text(s: &str) -> Option<Ts> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        return None;
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() || int.len() > 18 {
        return None;
    }
    let n: i64 = int.parse().ok()?;
    if int.len() >= 13 && frac.is_empty() {
        return from_millis(n);
    }
    let mut nanos = 0u32;
    let mut scale = 100_000_000u32;
    for c in frac.bytes().take(9) {
        if !c.is_ascii_digit() {
            return None;
        }
        nanos += u32::from(c - b'0') * scale;
        scale /= 10;
    }
    from_secs(n, nanos)
}

/// A time from Unix seconds.
pub fn from_secs(secs: i64, nanos: u32) -> Option<Ts> {
    DateTime::from_timestamp(secs, nanos).map(|t| Ts {
        t,
        zone: Zone::Known,
    })
}

/// A time from Unix milliseconds.
pub fn from_millis(ms: i64) -> Option<Ts> {
    DateTime::from_timestamp_millis(ms).map(|t| Ts {
        t,
        zone: Zone::Known,
    })
}

/// A time from a JSON number: seconds, or milliseconds when it has 13 or more digits.
pub fn from_number(n: f64) -> Option<Ts> {
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    if n >= 1e12 {
        return from_millis(n as i64);
    }
    let secs = n.trunc() as i64;
    let nanos = ((n - n.trunc()) * 1e9).round().clamp(0.0, 999_999_999.0) as u32;
    from_secs(secs, nanos)
}

/// A time from .NET ticks (Azure `properties.requestTime`).
pub fn from_dotnet_ticks(ticks: i64) -> Option<Ts> {
    let since = ticks.checked_sub(DOTNET_EPOCH_TICKS)?;
    let secs = since.div_euclid(10_000_000);
    let nanos = (since.rem_euclid(10_000_000) * 100) as u32;
    from_secs(secs, nanos)
}

fn digits(b: &[u8], from: usize, n: usize) -> Option<u32> {
    let mut v = 0u32;
    for i in from..from + n {
        let c = *b.get(i)?;
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM[:SS[.fff…]]` and a zone.
fn parse_iso(b: &[u8]) -> Option<Ts> {
    let y = digits(b, 0, 4)? as i32;
    let mo = digits(b, 5, 2)?;
    let d = digits(b, 8, 2)?;
    let date = NaiveDate::from_ymd_opt(y, mo, d)?;
    if b.len() == 10 {
        return Some(Ts {
            t: date.and_hms_opt(0, 0, 0)?.and_utc(),
            zone: Zone::Assumed,
        });
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let h = digits(b, 11, 2)?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let mi = digits(b, 14, 2)?;
    let mut i = 16;
    let mut sec = 0;
    if b.get(i) == Some(&b':') {
        sec = digits(b, i + 1, 2)?;
        i += 3;
    }
    let mut nanos = 0u32;
    if matches!(b.get(i), Some(b'.') | Some(b',')) {
        i += 1;
        let mut scale = 100_000_000u32;
        let start = i;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            if scale > 0 {
                nanos += u32::from(c - b'0') * scale;
                scale /= 10;
            }
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    // A leap second is folded into the last nanosecond of the minute.
    let (sec, nanos) = if sec == 60 {
        (59, 999_999_999)
    } else {
        (sec, nanos)
    };
    let naive = date.and_hms_nano_opt(h, mi, sec, nanos)?;
    let rest = &b[i..];
    let rest_trim = trim_ascii(rest);
    let (offset_secs, zone) = match rest_trim {
        [] => (0i64, Zone::Assumed),
        [b'Z'] | [b'z'] | b"UTC" | b" UTC" | b"GMT" | b"+00:00 UTC" => (0, Zone::Known),
        [sign @ (b'+' | b'-'), tail @ ..] => {
            let oh = digits(tail, 0, 2)?;
            let om = match tail.len() {
                2 => 0,
                4 => digits(tail, 2, 2)?,
                5 if tail[2] == b':' => digits(tail, 3, 2)?,
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let off = i64::from(oh * 3600 + om * 60);
            (if *sign == b'-' { -off } else { off }, Zone::Known)
        }
        _ => return None,
    };
    let t = naive.and_utc() - chrono::Duration::seconds(offset_secs);
    Some(Ts { t, zone })
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let mut s = b;
    while let [first, rest @ ..] = s {
        if first.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if last.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        let ts = parse(s).unwrap_or_else(|| panic!("{s}"));
        format!(
            "{}{}",
            ts.t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            if ts.assumed() { " (assumed)" } else { "" }
        )
    }

    #[test]
    fn the_timestamp_zoo() {
        let cases = [
            ("2026-01-01T03:14:07Z", "2026-01-01T03:14:07Z"),
            ("2026-01-01T03:14:07.5000000Z", "2026-01-01T03:14:07.500Z"),
            (
                "2026-01-01T04:10:55.101220771Z",
                "2026-01-01T04:10:55.101220771Z",
            ),
            ("2021-11-18T09:41:02-08:00", "2021-11-18T17:41:02Z"),
            ("2025-10-27T00:00:00+00:00", "2025-10-27T00:00:00Z"),
            (
                "2026-02-06 18:54:30.040",
                "2026-02-06T18:54:30.040Z (assumed)",
            ),
            ("2026-01-01", "2026-01-01T00:00:00Z (assumed)"),
            ("1767225600", "2026-01-01T00:00:00Z"),
            ("1767237247000", "2026-01-01T03:14:07Z"),
            ("1637257262.0", "2021-11-18T17:41:02Z"),
            ("2026-01-01T03:14:07+0530", "2025-12-31T21:44:07Z"),
        ];
        for (s, want) in cases {
            assert_eq!(iso(s), want, "{s}");
        }
    }

    #[test]
    fn not_times() {
        for s in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-01-01T25:00:00Z",
            "12ab",
            "2026-01-01X",
        ] {
            assert!(parse(s).is_none(), "{s}");
        }
    }

    #[test]
    fn dotnet_ticks() {
        let t = from_dotnet_ticks(639_028_340_475_000_000).unwrap();
        assert_eq!(t.t.to_rfc3339(), "2026-01-01T03:14:07.500+00:00");
        assert!(from_dotnet_ticks(i64::MIN).is_none());
    }
}
