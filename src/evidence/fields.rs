//! Lenient reading of field values from JSON and CSV: counts written as floats (`3.0`),
//! numbers written as strings, booleans in any common spelling. A value of the wrong type
//! becomes a problem naming the column, and the rest of the record is kept.

use super::out::{quote, Loc, Out};
use super::time::{self, Ts};
use serde_json::Value;

/// A count from text: `12`, `12.0`, `1e3`, with surrounding spaces.
pub fn parse_u64(s: &str) -> Result<u64, String> {
    let t = s.trim();
    if let Ok(n) = t.parse::<u64>() {
        return Ok(n);
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 1.8e19 => Ok(f as u64),
        Ok(f) if f.is_finite() && f < 0.0 => Err(format!("negative count {}", quote(s))),
        _ => Err(format!("not a count: {}", quote(s))),
    }
}

/// A decimal amount from text (`0.19`, `$1.20`, `1,234.5` are not accepted: no currency signs).
pub fn parse_f64(s: &str) -> Result<f64, String> {
    let t = s.trim();
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(f),
        _ => Err(format!("not a number: {}", quote(s))),
    }
}

/// A boolean in any common spelling.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "true" | "True" | "TRUE" | "1" | "yes" | "Yes" => Some(true),
        "false" | "False" | "FALSE" | "0" | "no" | "No" => Some(false),
        _ => None,
    }
}

/// The value at a path of object keys.
pub fn at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v Value> {
    let mut cur = v;
    for k in path {
        cur = cur.get(k)?;
    }
    Some(cur)
}

/// A non-empty string at a path.
pub fn s<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    match at(v, path)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim()),
        _ => None,
    }
}

/// A string, number or boolean at a path, as an owned string.
pub fn text(v: &Value, path: &[&str]) -> Option<String> {
    match at(v, path)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A boolean at a path (JSON boolean or a string spelling).
pub fn boolean(v: &Value, path: &[&str]) -> Option<bool> {
    match at(v, path)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => parse_bool(s),
        Value::Number(n) => n.as_u64().map(|n| n != 0),
        _ => None,
    }
}

fn col(path: &[&str]) -> String {
    path.join(".")
}

/// A count at a path; a wrong type is a problem and `None`.
pub fn u64_at(out: &mut Out, v: &Value, path: &[&str], loc: Loc) -> Option<u64> {
    let r = match at(v, path)? {
        Value::Null => return None,
        Value::Number(n) => match (n.as_u64(), n.as_f64()) {
            (Some(u), _) => Ok(u),
            (None, Some(f)) => parse_u64(&f.to_string()),
            _ => Err(format!("not a count: {n}")),
        },
        Value::String(s) if s.trim().is_empty() => return None,
        Value::String(s) => parse_u64(s),
        other => Err(format!("expected a count, found {}", type_name(other))),
    };
    match r {
        Ok(n) => Some(n),
        Err(m) => {
            out.problem(loc, Some(&col(path)), format!("{m}; field left empty"));
            None
        }
    }
}

/// A decimal at a path (number or numeric string); a wrong type is a problem and `None`.
pub fn f64_at(out: &mut Out, v: &Value, path: &[&str], loc: Loc) -> Option<f64> {
    let r = match at(v, path)? {
        Value::Null => return None,
        Value::Number(n) => n.as_f64().ok_or_else(|| format!("not a number: {n}")),
        Value::String(s) if s.trim().is_empty() => return None,
        Value::String(s) => parse_f64(s),
        other => Err(format!("expected a number, found {}", type_name(other))),
    };
    match r {
        Ok(n) => Some(n),
        Err(m) => {
            out.problem(loc, Some(&col(path)), format!("{m}; field left empty"));
            None
        }
    }
}

/// A time at a path (RFC 3339 text, epoch number or epoch text). Missing or bad → problem.
pub fn ts_at(out: &mut Out, v: &Value, path: &[&str], loc: Loc) -> Option<Ts> {
    let parsed = match at(v, path) {
        None | Some(Value::Null) => {
            out.problem(loc, Some(&col(path)), "no timestamp; record skipped".into());
            return None;
        }
        Some(Value::String(s)) => time::parse(s).ok_or_else(|| quote(s)),
        Some(Value::Number(n)) => n
            .as_f64()
            .and_then(time::from_number)
            .ok_or_else(|| n.to_string()),
        Some(other) => Err(type_name(other).to_string()),
    };
    match parsed {
        Ok(t) => Some(t),
        Err(what) => {
            out.problem(
                loc,
                Some(&col(path)),
                format!("not a time: {what}; record skipped"),
            );
            None
        }
    }
}

/// A JSON value's type in words.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A count from a CSV cell; a bad value is a problem and `None`.
pub fn cell_u64(out: &mut Out, cell: Option<&str>, column: &str, loc: Loc) -> Option<u64> {
    match parse_u64(cell?) {
        Ok(n) => Some(n),
        Err(m) => {
            out.problem(loc, Some(column), format!("{m}; field left empty"));
            None
        }
    }
}

/// A decimal from a CSV cell; a bad value is a problem and `None`.
pub fn cell_f64(out: &mut Out, cell: Option<&str>, column: &str, loc: Loc) -> Option<f64> {
    match parse_f64(cell?) {
        Ok(n) => Some(n),
        Err(m) => {
            out.problem(loc, Some(column), format!("{m}; field left empty"));
            None
        }
    }
}

/// A time from a CSV cell. Missing or bad → problem and `None` (the row is skipped).
pub fn cell_ts(out: &mut Out, cell: Option<&str>, column: &str, loc: Loc) -> Option<Ts> {
    let Some(c) = cell else {
        out.problem(loc, Some(column), "no timestamp; row skipped".into());
        return None;
    };
    match time::parse(c) {
        Some(t) => Some(t),
        None => {
            out.problem(
                loc,
                Some(column),
                format!("not a time: {}; row skipped", quote(c)),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_counts() {
        assert_eq!(parse_u64("3.0"), Ok(3));
        assert_eq!(parse_u64(" 59200.0 "), Ok(59200));
        assert_eq!(parse_u64("12"), Ok(12));
        assert!(parse_u64("1.5").is_err());
        assert!(parse_u64("-1").is_err());
        assert!(parse_u64("abc").is_err());
    }

    #[test]
    fn booleans() {
        for t in ["true", "True", "TRUE", "1"] {
            assert_eq!(parse_bool(t), Some(true));
        }
        for f in ["false", "False", "FALSE", "0"] {
            assert_eq!(parse_bool(f), Some(false));
        }
        assert_eq!(parse_bool("maybe"), None);
    }
}
