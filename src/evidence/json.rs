//! Walking the records of a JSON export one at a time, without holding the whole document.
//!
//! Accepts a JSON array of records, an object whose container key (`Records`, `data`, …)
//! holds the array, a single record, several documents one after another (pages of an API
//! pasted into one file), and JSON Lines (one document per line, each of which may itself be
//! any of the above). Only one record is in memory at a time. A syntax error in a JSON Lines
//! file costs that line only; in a document, the records before it are kept.

use super::out::{Loc, Out};
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;

/// Longest first line still tried as a JSON Lines record (longer ones are read as a document).
const MAX_PROBE_LINE: usize = 4 << 20;

/// Calls `f` for every record in `text`. `containers` names the keys whose array holds the
/// records (the envelope's other keys are ignored).
pub fn walk<'s>(
    text: &str,
    containers: &[&str],
    out: &mut Out<'s>,
    f: &mut dyn FnMut(&mut Out<'s>, Value, Loc),
) {
    let trimmed = text.trim_start();
    let mut next = 0u64;
    if trimmed.is_empty() {
        return;
    }
    if is_json_lines(trimmed) {
        let mut line_no = 0u64;
        for line in text.split('\n') {
            line_no += 1;
            let l = line.trim();
            if l.is_empty() {
                continue;
            }
            let mut de = serde_json::Deserializer::from_str(l);
            let w = Walk {
                containers,
                out: &mut *out,
                f: &mut *f,
                line: Some(line_no),
                next: &mut next,
            };
            let r = w.deserialize(&mut de).and_then(|_| de.end());
            if let Err(e) = r {
                out.problem(
                    Loc::line(line_no),
                    None,
                    format!(
                        "not valid JSON ({} at character {}); line skipped",
                        short_error(&e),
                        e.column()
                    ),
                );
            }
        }
        return;
    }
    let mut de = serde_json::Deserializer::from_str(text);
    loop {
        let w = Walk {
            containers,
            out: &mut *out,
            f: &mut *f,
            line: None,
            next: &mut next,
        };
        if let Err(e) = w.deserialize(&mut de) {
            out.problem(
                Loc {
                    line: Some(e.line() as u64),
                    record: Some(next),
                },
                None,
                format!(
                    "JSON {} ({} at character {}); kept the {next} record(s) before it",
                    if e.is_eof() {
                        "ends early (truncated?)"
                    } else {
                        "syntax error"
                    },
                    short_error(&e),
                    e.column()
                ),
            );
            return;
        }
        if de.end().is_ok() {
            return;
        }
    }
}

fn short_error(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// A first line that is a whole JSON object by itself, and so is the second or third
/// non-blank line (pretty-printed pages one after another are a document, not lines).
fn is_json_lines(text: &str) -> bool {
    let whole = |l: &str| {
        let l = l.trim();
        !l.is_empty()
            && l.len() <= MAX_PROBE_LINE
            && l.starts_with('{')
            && serde_json::from_str::<serde::de::IgnoredAny>(l).is_ok()
    };
    let mut lines = text.split('\n').filter(|l| !l.trim().is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    if !whole(first) {
        return false;
    }
    let second = lines.next();
    let third = lines.next();
    second.is_some_and(whole) || third.is_some_and(whole)
}

struct Walk<'a, 's> {
    containers: &'a [&'a str],
    out: &'a mut Out<'s>,
    f: &'a mut dyn FnMut(&mut Out<'s>, Value, Loc),
    line: Option<u64>,
    next: &'a mut u64,
}

impl<'s> Walk<'_, 's> {
    fn record(&mut self, v: Value) {
        let loc = Loc {
            line: self.line,
            record: Some(*self.next),
        };
        *self.next += 1;
        (self.f)(self.out, v, loc);
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object or array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            self.record(v);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut rest = serde_json::Map::new();
        let mut streamed = false;
        while let Some(k) = map.next_key::<String>()? {
            if self.containers.contains(&k.as_str()) {
                match map.next_value_seed(Elements { walk: &mut self })? {
                    None => streamed = true,
                    Some(v) => {
                        rest.insert(k, v);
                    }
                }
            } else {
                let v: Value = map.next_value()?;
                rest.insert(k, v);
            }
        }
        if !streamed {
            self.record(Value::Object(rest));
        }
        Ok(())
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom("a string where a record was expected"))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom("a number where a record was expected"))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom("a number where a record was expected"))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom("a number where a record was expected"))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom("a boolean where a record was expected"))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Err(E::custom("null where a record was expected"))
    }
}

/// A container key's value: streamed when it is an array, returned whole otherwise.
struct Elements<'w, 'a, 's> {
    walk: &'w mut Walk<'a, 's>,
}

impl<'de> DeserializeSeed<'de> for Elements<'_, '_, '_> {
    type Value = Option<Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Elements<'_, '_, '_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            self.walk.record(v);
        }
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        let v = Value::deserialize_from_map(map)?;
        Ok(Some(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<Value>, E> {
        Ok(Some(Value::String(v.to_string())))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Option<Value>, E> {
        Ok(Some(Value::String(v)))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Option<Value>, E> {
        Ok(Some(Value::Bool(v)))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<Value>, E> {
        Ok(Some(Value::Null))
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Option<Value>, E> {
        Ok(Some(Value::Null))
    }
}

/// Builds a [`Value`] from a map being visited.
trait FromMap {
    fn deserialize_from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Value, A::Error>;
}

impl FromMap for Value {
    fn deserialize_from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Value, A::Error> {
        use serde::Deserialize;
        Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            .map_err(A::Error::custom)
    }
}

/// Parses a JSON value held in a string (Azure `properties`, lookup-events `CloudTrailEvent`).
pub fn inner(v: &Value) -> Option<Value> {
    match v {
        Value::String(s) => serde_json::from_str(s).ok(),
        Value::Object(_) => Some(v.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Problems;

    fn records(text: &str, containers: &[&str]) -> (Vec<(Value, Loc)>, u64) {
        let mut got = Vec::new();
        let mut sink = |_e: crate::evidence::UsageEvent| {};
        let mut out = Out::new("t.json", Problems::new("t.json"), &mut sink);
        walk(text, containers, &mut out, &mut |_, v, loc| {
            got.push((v, loc))
        });
        let n = out.problems.count();
        (got, n)
    }

    #[test]
    fn array_container_single_and_lines() {
        assert_eq!(records("[{\"a\":1},{\"a\":2}]", &[]).0.len(), 2);
        let (r, _) = records("{\"Records\":[{\"a\":1},{\"a\":2}],\"x\":1}", &["Records"]);
        assert_eq!(r.len(), 2);
        let (r, _) = records("{\"a\":1}", &["Records"]);
        assert_eq!(r.len(), 1);
        let (r, n) = records("{\"a\":1}\n{\"a\":\n{\"a\":3}\n", &[]);
        assert_eq!((r.len(), n), (2, 1));
        assert_eq!(r[1].1.line, Some(3));
        // Several pretty-printed pages one after another.
        let (r, n) = records(
            "{\"data\":[{\"a\":1}]}\n\n{\n\"data\":[{\"a\":2}]}\n",
            &["data"],
        );
        assert_eq!((r.len(), n), (2, 0));
    }

    #[test]
    fn container_key_holding_an_object_is_a_field() {
        let (r, _) = records("[{\"action\":\"x\",\"data\":{\"k\":1}}]", &["data"]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].0["data"]["k"], 1);
    }

    #[test]
    fn truncated_document_keeps_earlier_records() {
        let (r, n) = records("{\"Records\":[{\"a\":1},{\"a\":2},{\"a\":", &["Records"]);
        assert_eq!((r.len(), n), (2, 1));
    }
}
