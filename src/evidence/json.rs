//! Walking the records of a JSON export one at a time, without holding the whole document.
//!
//! Accepts a JSON array of records, an object whose container key (`Records`, `data`, …)
//! holds the array, a single record, several documents one after another (pages of an API
//! pasted into one file), and JSON Lines (one document per line, each of which may itself be
//! any of the above). Only one record is in memory at a time. A syntax error in a JSON Lines
//! file costs that line only; in a document, the records before it are kept.

use super::lenient;
use super::limits::{self, JSON_DEPTH};
use super::out::{Loc, Out};
use super::tokens::{Both, Deaf, Ear};
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;
use std::fmt;

/// Longest first line still tried as a JSON Lines record (longer ones are read as a document).
const MAX_PROBE_LINE: usize = 4 << 20;

/// What [`walk_raw`] calls for each record: the output, the record's JSON text, where it is.
pub type RawFn<'f, 's> = dyn FnMut(&mut Out<'s>, &str, Loc) + 'f;

/// Calls `f` for every record in `text`, parsed into a [`Value`]. `containers` names the keys
/// whose array holds the records (the envelope's other keys are ignored).
pub fn walk<'s>(
    text: &str,
    containers: &[&str],
    out: &mut Out<'s>,
    f: &mut dyn FnMut(&mut Out<'s>, Value, Loc),
) {
    walk_raw(text, containers, out, &mut |out, raw, loc| {
        if let Some(v) = parse_value(out, raw, loc) {
            f(out, v, loc);
        }
    });
}

/// Parses one record's text; invalid JSON is a problem and `None`. A key repeated within one
/// object is a problem too (the last value is kept, as serde_json does), named with its path.
pub fn parse_value(out: &mut Out, raw: &str, loc: Loc) -> Option<Value> {
    parse_keeping(out, raw, loc, None)
}

/// [`parse_value`], keeping of an object record only the top-level keys in `keep` (when
/// given): the other values are read past without being built, so a long value no reader
/// looks at costs no allocation, and a duplicate among them is not a problem (it is not read).
pub fn parse_keeping(out: &mut Out, raw: &str, loc: Loc, keep: Option<&[&str]>) -> Option<Value> {
    let mut dups = Vec::new();
    let mut de = serde_json::Deserializer::from_str(raw);
    let parsed = DupCheck {
        at: None,
        keep,
        dups: &mut dups,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    match parsed {
        Ok(v) => {
            for k in dups.iter().take(MAX_DUPLICATE_KEYS_NAMED) {
                out.problem(
                    loc,
                    Some(k),
                    "duplicate key in the record; the last value was kept".into(),
                );
            }
            Some(v)
        }
        Err(e) if is_too_deep(&e) => {
            out.problem(loc, None, format!("{}; skipped", too_deep(&e)));
            None
        }
        Err(e) => {
            let fixed = lenient::at_trailing_comma(raw, e.line(), e.column())
                .then(|| lenient::without_trailing_commas(raw))
                .flatten();
            if let Some(fixed) = fixed {
                if let Ok(v) = serde_json::from_str::<Value>(&fixed.text) {
                    lenient::report(out, &fixed, loc.line, loc.record);
                    return Some(v);
                }
            }
            out.problem(
                loc,
                None,
                format!(
                    "not valid JSON ({} at character {}); skipped",
                    short_error(&e),
                    e.column()
                ),
            );
            None
        }
    }
}

/// True when serde_json stopped at its recursion limit ([`JSON_DEPTH`] levels).
fn is_too_deep(e: &serde_json::Error) -> bool {
    e.to_string().starts_with("recursion limit exceeded")
}

/// The problem for a record or document nested past [`JSON_DEPTH`] levels.
fn too_deep(e: &serde_json::Error) -> String {
    format!(
        "JSON nested deeper than the limit of {JSON_DEPTH} levels (at character {})",
        e.column()
    )
}

/// The problem for a record longer than the limit per record ([`limits::RECORD_BYTES`]).
fn too_long(what: &str, len: usize, max: usize) -> String {
    format!(
        "{what} of {len} bytes is longer than the limit of {} per record; skipped",
        limits::bytes(max as u64)
    )
}

/// At most this many duplicate keys of one record are named as problems.
const MAX_DUPLICATE_KEYS_NAMED: usize = 10;

/// Deserialises a JSON value like [`Value`] does, noting each key repeated within an object
/// (by its dotted path) instead of silently keeping the last. The path is a chain of borrowed
/// keys on the stack, turned into text only for a duplicate, so the check costs next to
/// nothing over `Value`'s own visitor; used for the records read as trees.
struct DupCheck<'a, 'd> {
    at: Option<&'a Link<'a>>,
    /// The top-level keys to build (all when `None`); below the top level, all.
    keep: Option<&'a [&'a str]>,
    dups: &'d mut Vec<String>,
}

/// One key of the path to the value being read, and the keys above it.
struct Link<'a> {
    key: &'a str,
    up: Option<&'a Link<'a>>,
}

fn path_of(at: Option<&Link>, key: &str) -> String {
    let mut keys = vec![key];
    let mut l = at;
    while let Some(x) = l {
        keys.push(x.key);
        l = x.up;
    }
    keys.reverse();
    keys.join(".")
}

impl<'de> DeserializeSeed<'de> for DupCheck<'_, '_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DupCheck<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = serde_json::Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if self.at.is_none() && self.keep.is_some_and(|keep| !keep.contains(&k.as_str())) {
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            }
            let link = Link {
                key: &k,
                up: self.at,
            };
            let v = map.next_value_seed(DupCheck {
                at: Some(&link),
                keep: None,
                dups: &mut *self.dups,
            })?;
            match m.entry(k) {
                serde_json::map::Entry::Vacant(e) => {
                    e.insert(v);
                }
                serde_json::map::Entry::Occupied(mut e) => {
                    self.dups.push(path_of(self.at, e.key()));
                    e.insert(v);
                }
            }
        }
        Ok(Value::Object(m))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = seq.next_element_seed(DupCheck {
            at: self.at,
            keep: None,
            dups: &mut *self.dups,
        })? {
            v.push(x);
        }
        Ok(Value::Array(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

/// Calls `f` with the JSON text of every record in `text`, one at a time, with its line
/// (counted from the record's position) and index.
pub fn walk_raw<'s>(text: &str, containers: &[&str], out: &mut Out<'s>, f: &mut RawFn<'_, 's>) {
    walk_raw_heard(text, containers, out, &mut Deaf, f);
}

/// [`walk_raw`], with `ear` hearing the tokens of each document walked by hand, before `f` is
/// called with each of its records (a reader's fields heard there need not be read again).
pub(crate) fn walk_raw_heard<'s, E: Ear + ?Sized>(
    text: &str,
    containers: &[&str],
    out: &mut Out<'s>,
    ear: &mut E,
    f: &mut RawFn<'_, 's>,
) {
    let trimmed = text.trim_start();
    let mut next = 0u64;
    if trimmed.is_empty() {
        return;
    }
    if is_json_lines(trimmed) {
        let mut line_no = 0u64;
        for line in text.split('\n') {
            if out.full() {
                return;
            }
            line_no += 1;
            let l = line.trim();
            if l.is_empty() {
                continue;
            }
            if l.len() > out.max_record_bytes {
                out.problem(
                    Loc::line(line_no),
                    None,
                    too_long("line", l.len(), out.max_record_bytes),
                );
                continue;
            }
            // A plain record line goes straight to the parser (it reports bad JSON itself).
            if l.starts_with('{') && !containers.iter().any(|c| is_key(l, c)) {
                let loc = Loc::at(Some(line_no), next);
                next += 1;
                f(out, l, loc);
                continue;
            }
            let first = next;
            let mut r = walk_text(l, Some(line_no), containers, out, ear, f, &mut next, 0);
            if let Some(fixed) = r.as_ref().err().and_then(|e| lenient_retry(e, l)) {
                let done = next;
                next = first;
                let again = walk_text(
                    &fixed.text,
                    Some(line_no),
                    containers,
                    out,
                    ear,
                    f,
                    &mut next,
                    done,
                );
                if progressed(&r, &again) {
                    lenient::report(out, &fixed, Some(line_no), None);
                    r = again;
                }
            }
            if let Err(e) = r {
                if is_too_deep(&e) {
                    out.problem(
                        Loc::line(line_no),
                        None,
                        format!("{}; line skipped", too_deep(&e)),
                    );
                    continue;
                }
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
    let mut r = walk_text(text, None, containers, out, ear, f, &mut next, 0);
    if let Some(fixed) = r.as_ref().err().and_then(|e| lenient_retry(e, text)) {
        // The records given before the error had no trailing comma: read again from the
        // start without the commas, passing over those.
        let done = next;
        next = 0;
        let again = walk_text(&fixed.text, None, containers, out, ear, f, &mut next, done);
        if progressed(&r, &again) {
            lenient::report(out, &fixed, None, None);
            r = again;
        }
    }
    if let Err(e) = r {
        let loc = Loc {
            line: Some(e.line() as u64),
            record: Some(next),
        };
        if is_too_deep(&e) {
            let kept = format!("{}; kept the {next} record(s) before it", too_deep(&e));
            out.problem(loc, None, kept);
            return;
        }
        out.problem(
            loc,
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
    }
}

/// The text without its trailing commas, when a syntax error may be one of them.
fn lenient_retry(e: &serde_json::Error, text: &str) -> Option<lenient::Fixed> {
    if is_too_deep(e) || e.is_eof() || !lenient::at_trailing_comma(text, e.line(), e.column()) {
        return None;
    }
    lenient::without_trailing_commas(text)
}

/// True when the read without trailing commas got further than the first read.
fn progressed(
    first: &Result<(), serde_json::Error>,
    again: &Result<(), serde_json::Error>,
) -> bool {
    match (first, again) {
        (Err(a), Err(b)) => (b.line(), b.column()) > (a.line(), a.column()),
        (Err(_), Ok(())) => true,
        (Ok(()), _) => false,
    }
}

/// Walks the records of a JSON document (or several one after another), or of one JSON Lines
/// line (`line`: one document, every record on that line), passing over the records whose
/// index is below `skip`; stops at the first syntax error.
#[allow(clippy::too_many_arguments)]
fn walk_text<'s, E: Ear + ?Sized>(
    text: &str,
    line: Option<u64>,
    containers: &[&str],
    out: &mut Out<'s>,
    ear: &mut E,
    f: &mut RawFn<'_, 's>,
    next: &mut u64,
    skip: u64,
) -> Result<(), serde_json::Error> {
    let mut counter = LineCounter::new(out.one_line(text));
    let mut fixed = FixedLine(line.unwrap_or(0));
    // A document (not a JSON Lines line) is first walked by hand: the records it gives are the
    // ones serde would give, in the same order and on the same lines; at anything it does not
    // read plainly it stops, and serde walks the text again from its start, passing over the
    // records already given.
    let first = *next;
    let mut skip = skip;
    if line.is_none() && by_hand() {
        // What listens to the text's tokens hears them only from a walk of the whole text.
        let mut heard = match out.tokens.take() {
            Some(t) if t.listens(text) => Some(t),
            other => {
                out.tokens = other;
                None
            }
        };
        let mut walk = Walk {
            text,
            containers,
            out: &mut *out,
            f: &mut *f,
            lines: &mut counter,
            next: &mut *next,
            skip,
        };
        ear.begin(text);
        let walked = match heard.as_deref_mut() {
            Some(t) => plain::walk(&mut walk, &mut Both(t, ear)),
            None => plain::walk(&mut walk, ear),
        };
        if let Some(t) = heard.as_deref_mut().filter(|_| walked.is_some()) {
            t.whole();
        }
        if heard.is_some() {
            out.tokens = heard;
        }
        if walked.is_some() {
            #[cfg(test)]
            WALKED_BY_HAND.with(|c| c.set(c.get() + 1));
            return Ok(());
        }
        skip = skip.max(*next);
        *next = first;
        counter = LineCounter::new(out.one_line(text));
    }
    let lines: &mut dyn Lines = if line.is_some() {
        &mut fixed
    } else {
        &mut counter
    };
    let mut de = serde_json::Deserializer::from_str(text);
    loop {
        Walk {
            text,
            containers,
            out: &mut *out,
            f: &mut *f,
            lines: &mut *lines,
            next: &mut *next,
            skip,
        }
        .deserialize(&mut de)?;
        match de.end() {
            Ok(()) => return Ok(()),
            Err(e) if line.is_some() => return Err(e),
            Err(_) => {}
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Tests turn the hand walk off, to compare it with serde's.
    static SERDE_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Documents walked to their end by hand.
    static WALKED_BY_HAND: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Whether a document is first walked by hand ([`plain`]).
fn by_hand() -> bool {
    #[cfg(test)]
    if SERDE_ONLY.with(|c| c.get()) {
        return false;
    }
    true
}

/// The field names of the first record of a JSON text (for a note on an unknown format), if
/// the text is small enough to look through and its first record is an object.
pub fn first_record_keys(text: &str) -> Option<Vec<String>> {
    if text.len() > 64 << 20 {
        return None;
    }
    let mut sink = |_: super::UsageEvent| {};
    let mut out = Out::new("", super::Problems::new(""), &mut sink);
    let mut first: Option<Vec<String>> = None;
    walk_raw(
        text,
        &[
            "data", "Records", "records", "items", "result", "results", "events", "Events",
            "value", "entries", "logs",
        ],
        &mut out,
        &mut |_, raw, _| {
            if first.is_none() {
                if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(raw) {
                    // A key could be a credential (a map keyed by API key): long or key-like
                    // names are shown redacted.
                    first = Some(
                        m.keys()
                            .take(16)
                            .map(|k| {
                                if k.len() > 40 || super::formats::looks_like_whole_key(k) {
                                    crate::secret::redact(k)
                                } else {
                                    k.clone()
                                }
                            })
                            .collect(),
                    );
                }
            }
        },
    );
    first.filter(|k| !k.is_empty())
}

/// True when `"k"` followed by optional whitespace and a colon occurs in `text`: a key, not a
/// value that happens to spell it.
pub fn is_key(text: &str, k: &str) -> bool {
    let mut q = String::with_capacity(k.len() + 2);
    q.push('"');
    q.push_str(k);
    q.push('"');
    let mut from = 0;
    while let Some(i) = text[from..].find(&q) {
        let after = from + i + q.len();
        if text[after..].trim_start().starts_with(':') {
            return true;
        }
        from = after;
    }
    false
}

/// The keys of a JSON text: every `"name"` followed, past whitespace, by a colon, found in one
/// pass over its quotes. `HeadKeys::of(text).has(k)` is [`is_key`]`(text, k)` for every `k`
/// without a quote, so a sniffer asking for dozens of keys reads the text once.
pub struct HeadKeys<'a>(std::collections::HashSet<&'a str>);

impl<'a> HeadKeys<'a> {
    /// The keys of `text`.
    pub fn of(text: &'a str) -> Self {
        let quotes: Vec<usize> = memchr::memchr_iter(b'"', text.as_bytes()).collect();
        HeadKeys(
            quotes
                .windows(2)
                .filter(|w| text[w[1] + 1..].trim_start().starts_with(':'))
                .map(|w| &text[w[0] + 1..w[1]])
                .collect(),
        )
    }

    /// True when `"k"` followed by optional whitespace and a colon occurs in the text.
    pub fn has(&self, k: &str) -> bool {
        self.0.contains(k)
    }
}

/// True when `needle` occurs in `text` (memchr's substring search).
pub fn contains(text: &str, needle: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some()
}

/// The index of the first `"` or `\\` of `b` from `i`, or, with `control`, of the first of those
/// or of a byte below 0x20 (`None`: none before the end). Sixteen bytes at a time where the
/// processor has SSE2 (every x86-64 one) or the browser WebAssembly SIMD (the page is built
/// for it), then eight, inline: the strings of a record are short, where a call to a vector
/// search costs more than it saves.
#[inline(always)]
pub fn string_stop(b: &[u8], i: usize, control: bool) -> Option<usize> {
    #[cfg(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ))]
    let mut i = i;
    #[cfg(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ))]
    while let Some(w) = b.get(i..i + 16) {
        let m = stop16(w, control);
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize);
        }
        i += 16;
    }
    string_stop_words(b, i, control)
}

/// The bytes of [`string_stop`] among the 16 of `w`, as a mask.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn stop16(w: &[u8], control: bool) -> u32 {
    use std::arch::x86_64::*;
    debug_assert_eq!(w.len(), 16);
    // SAFETY: SSE2 is part of every x86-64 processor; 16 bytes are read from a slice of 16.
    unsafe {
        let x = _mm_loadu_si128(w.as_ptr() as *const __m128i);
        let mut m = _mm_or_si128(
            _mm_cmpeq_epi8(x, _mm_set1_epi8(b'"' as i8)),
            _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8)),
        );
        if control {
            // Below 0x20: the unsigned minimum with 0x1f is the byte itself.
            let low = _mm_set1_epi8(0x1f);
            m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_min_epu8(x, low), x));
        }
        _mm_movemask_epi8(m) as u32
    }
}

/// The bytes of [`string_stop`] among the 16 of `w`, as a mask (WebAssembly SIMD).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn stop16(w: &[u8], control: bool) -> u32 {
    use std::arch::wasm32::*;
    debug_assert_eq!(w.len(), 16);
    // SAFETY: 16 bytes are read from a slice of 16; WebAssembly loads need no alignment.
    let x = unsafe { v128_load(w.as_ptr() as *const v128) };
    let mut m = v128_or(
        u8x16_eq(x, u8x16_splat(b'"')),
        u8x16_eq(x, u8x16_splat(b'\\')),
    );
    if control {
        m = v128_or(m, u8x16_lt(x, u8x16_splat(0x20)));
    }
    u32::from(u8x16_bitmask(m))
}

/// [`string_stop`] eight bytes at a time (the last bytes of a text; wasm without SIMD).
#[inline(always)]
fn string_stop_words(b: &[u8], mut i: usize, control: bool) -> Option<usize> {
    const ONE: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each zero byte (exact up to the first, the one looked at).
    let zero = |v: u64| v.wrapping_sub(ONE) & !v & HIGH;
    while let Some(w) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(w.try_into().ok()?);
        let mut found = zero(w ^ (ONE * u64::from(b'"'))) | zero(w ^ (ONE * u64::from(b'\\')));
        if control {
            found |= w.wrapping_sub(ONE * 0x20) & !w & HIGH;
        }
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c == b'\\' || (control && c < 0x20) {
            return Some(i);
        }
        i += 1;
    }
    None
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
    // The non-blank lines, found by memchr: a document on one line is read to its end here.
    let mut rest = text;
    let mut next_line = || loop {
        if rest.is_empty() {
            return None;
        }
        let (line, after) = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        rest = after;
        if !line.trim().is_empty() {
            return Some(line);
        }
    };
    let Some(first) = next_line() else {
        return false;
    };
    // The cheap tests first: a document alone on its line is not parsed to learn it.
    if !first.trim_start().starts_with('{') {
        return false;
    }
    let Some(second) = next_line() else {
        return false;
    };
    let third = next_line();
    whole(first) && (whole(second) || third.is_some_and(whole))
}

/// Line numbers of records, from their byte offsets.
trait Lines {
    /// The 1-based line of byte `off` of `text` (offsets asked in increasing order).
    fn line_at(&mut self, text: &str, off: usize) -> u64;
    /// The line every record is on, when there is one (JSON Lines).
    fn fixed(&self) -> Option<u64> {
        None
    }
}

/// Counts newlines incrementally: every byte is looked at once over a whole document (none,
/// when the file is known to be one line, as a CloudTrail file is).
#[derive(Default)]
struct LineCounter {
    off: usize,
    line: u64,
    /// The file has no line end but perhaps its last byte: every record is on line 1.
    one_line: bool,
}

impl LineCounter {
    fn new(one_line: bool) -> Self {
        LineCounter {
            one_line,
            ..LineCounter::default()
        }
    }
}

impl Lines for LineCounter {
    fn line_at(&mut self, text: &str, off: usize) -> u64 {
        if self.one_line {
            return 1;
        }
        if off >= self.off && off <= text.len() {
            let n = memchr::memchr_iter(b'\n', &text.as_bytes()[self.off..off]).count();
            self.line += n as u64;
            self.off = off;
        }
        self.line + 1
    }
}

/// Every record of a JSON Lines line is on that line.
struct FixedLine(u64);

impl Lines for FixedLine {
    fn line_at(&mut self, _: &str, _: usize) -> u64 {
        self.0
    }
    fn fixed(&self) -> Option<u64> {
        Some(self.0)
    }
}

struct Walk<'a, 'f, 's, 't> {
    text: &'t str,
    containers: &'a [&'a str],
    out: &'a mut Out<'s>,
    f: &'a mut RawFn<'f, 's>,
    lines: &'a mut dyn Lines,
    next: &'a mut u64,
    /// Records already given (on an earlier read of the same text): passed over.
    skip: u64,
}

impl<'s, 't> Walk<'_, '_, 's, 't> {
    fn record(&mut self, raw: &str) {
        let off = (raw.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        let line = if off <= self.text.len() {
            Some(self.lines.line_at(self.text, off))
        } else {
            None
        };
        let loc = Loc {
            line,
            record: Some(*self.next),
        };
        *self.next += 1;
        if self.out.full() || *self.next <= self.skip {
            return;
        }
        if raw.len() > self.out.max_record_bytes {
            self.out.problem(
                loc,
                None,
                too_long("record", raw.len(), self.out.max_record_bytes),
            );
            return;
        }
        (self.f)(self.out, raw, loc);
    }

    fn stream<A: SeqAccess<'t>>(&mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<&'t RawValue>()? {
            self.record(raw.get());
        }
        Ok(())
    }
}

impl<'t> DeserializeSeed<'t> for Walk<'_, '_, '_, 't> {
    type Value = ();
    fn deserialize<D: Deserializer<'t>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'t> Visitor<'t> for Walk<'_, '_, '_, 't> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object or array of records")
    }

    fn visit_seq<A: SeqAccess<'t>>(mut self, seq: A) -> Result<(), A::Error> {
        self.stream(seq)
    }

    fn visit_map<A: MapAccess<'t>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut rest = serde_json::Map::new();
        let mut streamed = false;
        // The bytes of the fields read, to refuse a single record past the limit per record
        // without holding its values.
        let mut len = 0usize;
        while let Some(k) = map.next_key::<String>()? {
            if self.containers.contains(&k.as_str()) {
                match map.next_value_seed(Elements { walk: &mut self })? {
                    None => streamed = true,
                    Some(v) => {
                        rest.insert(k, v);
                    }
                }
            } else {
                let raw: &'t RawValue = map.next_value()?;
                len = len.saturating_add(raw.get().len() + k.len());
                if len <= self.out.max_record_bytes {
                    let v: Value = serde_json::from_str(raw.get()).map_err(A::Error::custom)?;
                    rest.insert(k, v);
                }
            }
        }
        if !streamed {
            // A single record (rare in bulk): its text is rebuilt from the fields read.
            let loc = Loc {
                line: self.lines.fixed(),
                record: Some(*self.next),
            };
            *self.next += 1;
            if *self.next <= self.skip {
                return Ok(());
            }
            if len > self.out.max_record_bytes {
                self.out.problem(
                    loc,
                    None,
                    too_long("record", len, self.out.max_record_bytes),
                );
                return Ok(());
            }
            let text = Value::Object(rest).to_string();
            (self.f)(self.out, &text, loc);
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
struct Elements<'w, 'a, 'f, 's, 't> {
    walk: &'w mut Walk<'a, 'f, 's, 't>,
}

impl<'t> DeserializeSeed<'t> for Elements<'_, '_, '_, '_, 't> {
    type Value = Option<Value>;
    fn deserialize<D: Deserializer<'t>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'t> Visitor<'t> for Elements<'_, '_, '_, '_, 't> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'t>>(self, seq: A) -> Result<Option<Value>, A::Error> {
        self.walk.stream(seq)?;
        Ok(None)
    }

    fn visit_map<A: MapAccess<'t>>(self, map: A) -> Result<Option<Value>, A::Error> {
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

/// The end of the well-formed JSON value at `b[i]` (not white space), read as the record walk
/// reads it; `None` when it is not well formed (or nested past 64 levels).
pub(crate) fn value_end(b: &[u8], i: usize) -> Option<usize> {
    plain::value(b, i, &mut Deaf)
}

/// Past the JSON white space of `b` from `i`.
#[inline]
pub(crate) fn past_ws(b: &[u8], i: usize) -> usize {
    plain::ws(b, i)
}

/// The hand walk of a plain JSON document: an array of records, or an object whose only key is
/// a container holding one. Each value is read to its end by the grammar serde reads it by
/// (strings with their escapes, numbers, `true`, `false`, `null`, nesting up to 64 levels),
/// much faster than serde's skipping. Anything else (a syntax error, a trailing comma, deeper
/// nesting, another key, a second document) is not read here: the walk stops, and serde walks
/// the document again from its start.
mod plain {
    use super::Walk;
    use crate::evidence::tokens::{Ear, Tok};

    /// Gives every record of the document to `w`, and each of its tokens to `ear`; `None`:
    /// stopped, the document is serde's (the records given so far are counted in `w.next`).
    pub(super) fn walk<E: Ear + ?Sized>(w: &mut Walk, ear: &mut E) -> Option<()> {
        let text = w.text;
        let b = text.as_bytes();
        let mut i = ws(b, 0);
        match *b.get(i)? {
            b'[' => i = array(w, text, i, ear)?,
            b'{' => {
                i = ws(b, i + 1);
                if b.get(i) != Some(&b'"') {
                    return None;
                }
                let (end, escaped) = string(b, i + 1)?;
                let key = &b[i + 1..end - 1];
                if !w.containers.iter().any(|c| c.as_bytes() == key) || escaped {
                    return None;
                }
                ear.record();
                ear.name(b, i + 1, end - 1, false);
                i = ws(b, end);
                if b.get(i) != Some(&b':') {
                    return None;
                }
                i = ws(b, i + 1);
                if b.get(i) != Some(&b'[') {
                    return None;
                }
                i = ws(b, array(w, text, i, ear)?);
                if b.get(i) != Some(&b'}') {
                    return None;
                }
                i += 1;
            }
            _ => return None,
        }
        (ws(b, i) == b.len()).then_some(())
    }

    /// The elements of the array opening at `i`, each given as a record; the index past it.
    fn array<E: Ear + ?Sized>(w: &mut Walk, text: &str, i: usize, ear: &mut E) -> Option<usize> {
        let b = text.as_bytes();
        let mut i = ws(b, i + 1);
        if b.get(i) == Some(&b']') {
            return Some(i + 1);
        }
        loop {
            if b.get(i) == Some(&b'{') {
                ear.record();
            }
            let end = value(b, i, ear)?;
            w.record(text.get(i..end)?);
            i = ws(b, end);
            match *b.get(i)? {
                b',' => i = ws(b, i + 1),
                b']' => return Some(i + 1),
                _ => return None,
            }
        }
    }

    /// Past the JSON white space from `i`.
    #[inline]
    pub(super) fn ws(b: &[u8], mut i: usize) -> usize {
        while i < b.len() && matches!(b[i], b' ' | b'\n' | b'\t' | b'\r') {
            i += 1;
        }
        i
    }

    /// The end of the value at `i` (not white space), or `None`; each token to `ear`.
    pub(super) fn value<E: Ear + ?Sized>(b: &[u8], mut i: usize, ear: &mut E) -> Option<usize> {
        // One bit per open container, set for an object.
        let mut stack = 0u64;
        let mut depth = 0u32;
        loop {
            // A value at `i`; `closed`: an empty container, already past.
            let mut open = None;
            let at = i;
            let tok = match *b.get(i)? {
                b'"' => {
                    let (end, escaped) = string(b, i + 1)?;
                    i = end;
                    ear.value(at + 1, i - 1, if escaped { Tok::Escaped } else { Tok::Str });
                    None
                }
                b'{' => {
                    open = Some(true);
                    None
                }
                b'[' => {
                    open = Some(false);
                    None
                }
                b't' => {
                    i = literal(b, i, b"true")?;
                    Some(Tok::True)
                }
                b'f' => {
                    i = literal(b, i, b"false")?;
                    Some(Tok::False)
                }
                b'n' => {
                    i = literal(b, i, b"null")?;
                    Some(Tok::Null)
                }
                b'-' | b'0'..=b'9' => {
                    i = number(b, i)?;
                    Some(Tok::Number)
                }
                _ => return None,
            };
            if let Some(tok) = tok {
                ear.value(at, i, tok);
            }
            if let Some(object) = open {
                if depth == 64 {
                    return None;
                }
                ear.open(at, object);
                stack = (stack << 1) | u64::from(object);
                depth += 1;
                i = ws(b, i + 1);
                let close = if object { b'}' } else { b']' };
                if b.get(i) != Some(&close) {
                    if object {
                        i = key(b, i, ear)?;
                    }
                    continue;
                }
                stack >>= 1;
                depth -= 1;
                i += 1;
                ear.close(i);
            }
            // Past a whole value: close the containers it ends, or go on to the next value.
            loop {
                if depth == 0 {
                    return Some(i);
                }
                let object = stack & 1 == 1;
                i = ws(b, i);
                match *b.get(i)? {
                    b',' => {
                        i = ws(b, i + 1);
                        if object {
                            i = key(b, i, ear)?;
                        }
                        break;
                    }
                    b'}' if object => {}
                    b']' if !object => {}
                    _ => return None,
                }
                stack >>= 1;
                depth -= 1;
                i += 1;
                ear.close(i);
            }
        }
    }

    /// A key at `i` and its colon: the index of its value (past white space).
    #[inline]
    fn key<E: Ear + ?Sized>(b: &[u8], i: usize, ear: &mut E) -> Option<usize> {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let (end, escaped) = string(b, i + 1)?;
        ear.name(b, i + 1, end - 1, escaped);
        let i = ws(b, end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        Some(ws(b, i + 1))
    }

    #[inline]
    fn literal(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
        // Compared inline: `true`, `false` and `null` are shorter than a call to `memcmp`.
        let end = i + word.len();
        crate::evidence::intern::same(b.get(i..end)?, word).then_some(end)
    }

    /// The end of a number at `i`: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    #[inline]
    fn number(b: &[u8], mut i: usize) -> Option<usize> {
        let digits = |i: &mut usize| {
            let s = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            *i > s
        };
        if b[i] == b'-' {
            i += 1;
        }
        match *b.get(i)? {
            b'0' => {
                i += 1;
                if b.get(i).is_some_and(u8::is_ascii_digit) {
                    return None;
                }
            }
            b'1'..=b'9' => {
                digits(&mut i);
            }
            _ => return None,
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                return None;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !digits(&mut i) {
                return None;
            }
        }
        Some(i)
    }

    /// The index past the closing quote of the string whose text starts at `i`, and whether
    /// it holds an escape: no control character in it, each escape one JSON has (`\u` with four
    /// hex digits).
    #[inline]
    fn string(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
        i = super::string_stop(b, i, true)?;
        if b[i] == b'"' {
            return Some((i + 1, false));
        }
        loop {
            match b[i] {
                b'"' => return Some((i + 1, true)),
                b'\\' => {
                    i += 1;
                    match *b.get(i)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 1,
                        b'u' => {
                            let hex = b.get(i + 1..i + 5)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            i += 5;
                        }
                        _ => return None,
                    }
                }
                c if c < 0x20 => return None,
                _ => i += 1,
            }
            i = super::string_stop(b, i, true)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Problems;
    use serde_json::json;

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

    /// JSON Lines: an object alone on its first non-blank line and on the second or third.
    #[test]
    fn json_lines_are_told_by_their_first_three_lines() {
        for (text, lines) in [
            ("{\"a\":1}\n{\"a\":2}\n", true),
            ("\n\n {\"a\":1} \r\n\n\t\n{\"a\":2}", true),
            ("{\"a\":1}\nnot json\n{\"a\":3}\n", true),
            ("{\"a\":1}\nnot json\nnor this\n{\"a\":4}\n", false),
            ("{\"Records\":[{\"a\":1},{\"a\":2}]}", false),
            ("{\"Records\":[{\"a\":1},{\"a\":2}]}\n\n", false),
            ("{\n  \"Records\": []\n}\n", false),
            ("[{\"a\":1}]\n[{\"a\":2}]\n", false),
            ("{\"a\":1\n{\"a\":2}\n", false),
            ("", false),
            ("\n \n", false),
        ] {
            assert_eq!(is_json_lines(text), lines, "{text:?}");
        }
    }

    #[test]
    fn head_keys_agree_with_is_key() {
        let text = "{\"a\" :\n 1, \"b\": \"c\", \"d\"\t: {\"e\":\"f\"}, \"g\" , \"h\"x:\"\":\"\"}\n\"é\": 2";
        let keys = HeadKeys::of(text);
        for k in [
            "a", "b", "c", "d", "e", "f", "g", "h", "é", "", "x", "a\" ", "zz",
        ] {
            assert_eq!(keys.has(k), is_key(text, k), "{k:?}");
        }
        assert!(keys.has("a") && keys.has("d") && keys.has("é") && keys.has(""));
        assert!(!keys.has("b\"") && !keys.has("c") && !keys.has("g"));
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

    fn records_at_most(
        text: &str,
        max: usize,
    ) -> (Vec<(Value, Loc)>, Vec<crate::evidence::Problem>) {
        let mut got = Vec::new();
        let mut sink = |_e: crate::evidence::UsageEvent| {};
        let mut out = Out::new("t.json", Problems::new("t.json"), &mut sink);
        out.max_record_bytes = max;
        walk(text, &["data"], &mut out, &mut |_, v, loc| {
            got.push((v, loc))
        });
        let probs = std::mem::replace(&mut out.problems, Problems::new(""))
            .finish()
            .1;
        (got, probs)
    }

    #[test]
    fn a_record_past_the_limit_is_skipped_and_the_others_read() {
        let long = format!("{{\"a\":\"{}\"}}", "x".repeat(100));
        let want = "longer than the limit of 64 bytes per record; skipped";
        // A record of a document, a JSON Lines line, a single record, a page's envelope.
        for (text, kept, line) in [
            (format!("[{{\"a\":1}},\n{long},\n{{\"a\":3}}]"), 2, Some(2)),
            (format!("{{\"a\":1}}\n{long}\n{{\"a\":3}}\n"), 2, Some(2)),
            (long.clone(), 0, None),
            (format!("{{\"data\":[{{\"a\":1}},{long}]}}"), 1, Some(1)),
        ] {
            let (got, probs) = records_at_most(&text, 64);
            assert_eq!(got.len(), kept, "{text}");
            assert_eq!(probs.len(), 1, "{text}: {probs:?}");
            assert!(probs[0].message.contains(want), "{probs:?}");
            assert!(probs[0].message.contains(" of 10"), "{probs:?}");
            assert_eq!(probs[0].line, line, "{text}");
        }
        // The same texts within the limit: every record, no problem.
        let (got, probs) = records_at_most(&format!("[{{\"a\":1}},{long}]"), 1 << 10);
        assert_eq!((got.len(), probs.len()), (2, 0));
    }

    #[test]
    fn nesting_past_the_limit_is_named_and_the_other_records_read() {
        let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        let limit = limits::JSON_DEPTH;
        // A record with a field nested past the limit (the record is one level itself).
        let text = format!(
            "[{{\"a\":1}},{{\"a\":{}}},{{\"a\":{}}}]",
            deep(limit - 1),
            deep(limit)
        );
        let (got, probs) = records_at_most(&text, 1 << 20);
        assert_eq!(got.len(), 2, "{probs:?}");
        assert_eq!(probs.len(), 1, "{probs:?}");
        assert!(
            probs[0]
                .message
                .starts_with("JSON nested deeper than the limit of 127 levels (at character"),
            "{probs:?}"
        );
        assert_eq!(probs[0].record, Some(2));
        // In a JSON Lines file: a record of a page on one line, a line that is no record.
        let objects = format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200));
        let text = format!(
            "{{\"a\":1}}\n{{\"data\":[{}]}}\n{{\"a\":3}}\n{{\"data\":{objects}}}\n",
            deep(200),
        );
        let (got, probs) = records_at_most(&text, 1 << 20);
        assert_eq!(got.len(), 2, "{probs:?}");
        assert_eq!(probs.len(), 2, "{probs:?}");
        assert_eq!((probs[0].line, probs[1].line), (Some(2), Some(4)));
        assert!(probs[0].message.ends_with("; skipped"), "{probs:?}");
        assert!(probs[1].message.ends_with("; line skipped"), "{probs:?}");
        assert!(
            probs[0].message.contains("limit of 127 levels"),
            "{probs:?}"
        );
        // A document: its one record, or the document itself, far too deep.
        let (got, probs) = records_at_most(&deep(200_000), 1 << 20);
        assert_eq!((got.len(), probs.len()), (0, 1));
        assert!(
            probs[0].message.contains("limit of 127 levels"),
            "{probs:?}"
        );
        let n = 20_000;
        let text = format!("{{\"b\":{}1{}}}", "{\"a\":".repeat(n), "}".repeat(n));
        let (got, probs) = records_at_most(&text, 1 << 20);
        assert_eq!((got.len(), probs.len()), (0, 1));
        assert!(
            probs[0].message.contains("limit of 127 levels"),
            "{probs:?}"
        );
        assert!(
            probs[0].message.ends_with("kept the 0 record(s) before it"),
            "{probs:?}"
        );
    }

    #[test]
    fn trailing_commas_are_read_as_absent_and_named_by_line() {
        let lines = |probs: &[crate::evidence::Problem]| -> Vec<Option<u64>> {
            probs.iter().map(|p| p.line).collect()
        };
        // A page pasted from an API reference: the second record ends with a comma.
        let text = "{\"data\": [\n{\"a\": 1},\n{\"a\": 2,\n},\n{\"a\": 3}\n],\n}\n";
        let (got, probs) = records_at_most(text, 1 << 20);
        let a: Vec<_> = got
            .iter()
            .map(|(v, l)| (v["a"].clone(), l.record))
            .collect();
        assert_eq!(
            a,
            [
                (json!(1), Some(0)),
                (json!(2), Some(1)),
                (json!(3), Some(2))
            ]
        );
        assert_eq!(lines(&probs), [Some(3), Some(6)], "{probs:?}");
        assert!(probs[0].message.starts_with("trailing comma"), "{probs:?}");
        // A JSON Lines file: only the lines with a trailing comma are named.
        let text = "{\"a\": 1}\n{\"a\": 2,}\n{\"data\": [{\"a\": 3},]}\n";
        let (got, probs) = records_at_most(text, 1 << 20);
        assert_eq!(got.len(), 3, "{probs:?}");
        assert_eq!(lines(&probs), [Some(2), Some(3)], "{probs:?}");
        // Another error after a trailing comma: the records before it are kept, both named.
        let text = "[{\"a\": 1,},\n{\"a\": 2}\n{\"a\": 3}]";
        let (got, probs) = records_at_most(text, 1 << 20);
        assert_eq!(got.len(), 2, "{probs:?}");
        assert_eq!(lines(&probs), [Some(1), Some(3)], "{probs:?}");
        assert!(
            probs[1].message.contains("kept the 2 record(s)"),
            "{probs:?}"
        );
    }

    #[test]
    fn truncated_document_keeps_earlier_records() {
        let (r, n) = records("{\"Records\":[{\"a\":1},{\"a\":2},{\"a\":", &["Records"]);
        assert_eq!((r.len(), n), (2, 1));
    }

    /// Every record's text and place and every problem, of a walk by hand first (`hand`) or by
    /// serde alone; and whether the hand walk read the document to its end.
    fn walked(text: &str, hand: bool, max: usize) -> (Vec<(String, Loc)>, String, bool) {
        SERDE_ONLY.with(|c| c.set(!hand));
        let before = WALKED_BY_HAND.with(|c| c.get());
        let mut got = Vec::new();
        let mut sink = |_e: crate::evidence::UsageEvent| {};
        let mut out = Out::new("t.json", Problems::new("t.json"), &mut sink);
        out.max_record_bytes = max;
        walk_raw(text, &["Records", "data"], &mut out, &mut |_, raw, loc| {
            got.push((raw.to_string(), loc))
        });
        let probs = std::mem::replace(&mut out.problems, Problems::new(""));
        SERDE_ONLY.with(|c| c.set(false));
        let by_hand = WALKED_BY_HAND.with(|c| c.get()) > before;
        (got, format!("{:?}", probs.finish()), by_hand)
    }

    #[test]
    fn string_stop_finds_the_first_quote_backslash_or_control_character() {
        let naive = |b: &[u8], i: usize, control: bool| {
            (i..b.len()).find(|&k| b[k] == b'"' || b[k] == b'\\' || (control && b[k] < 0x20))
        };
        let mut rng = 7u64;
        for len in 0..40 {
            for _ in 0..200 {
                let b: Vec<u8> = (0..len)
                    .map(|_| {
                        rng = rng
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        match (rng >> 33) % 20 {
                            0 => b'"',
                            1 => b'\\',
                            2 => (rng >> 40) as u8 % 0x20,
                            3 => 0x80 | (rng >> 40) as u8,
                            _ => b'a' + (rng >> 40) as u8 % 26,
                        }
                    })
                    .collect();
                for from in 0..=len {
                    for control in [false, true] {
                        assert_eq!(
                            string_stop(&b, from, control),
                            naive(&b, from, control),
                            "{b:?} from {from}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_hand_walk_gives_what_serde_gives() {
        let record = r#"{"timestamp":"2026-01-01T00:00:00Z","api_key_prefix":"sk-...Q9zx","n":15030,"cost":0.074987,"e":-1.5E+3,"z":0,"t":true,"f":false,"x":null,"esc":"a\"b\\c\/d\u00e9\ud83d\ude00\b\f\n\r\t","nest":{"a":[1,[],{},[{"b":"c"}]],"d":{}},"utf":"é ü 日本"}"#;
        let plain = [
            format!("[{record},\n{record}\n, {record}]"),
            format!(" \r\n\t{{ \"Records\" :\n[ {record} , {record} ] }} \n"),
            format!("{{\"data\":[{record},1,\"s\",null,[2],{{}}]}}"),
            "[]".to_string(),
            "{\"Records\":[]}".to_string(),
            format!("[{}]", "[".repeat(60) + &"]".repeat(60)),
        ];
        for text in &plain {
            let (hand, serde) = (walked(text, true, 1 << 20), walked(text, false, 1 << 20));
            assert_eq!((&hand.0, &hand.1), (&serde.0, &serde.1), "{text}");
            assert!(hand.2, "walked by hand: {text}");
            assert!(!hand.0.is_empty() || text.len() < 20);
        }
        // Documents the hand walk leaves to serde (errors, trailing commas, other keys, deeper
        // nesting, several documents, bad escapes and numbers): the same records and problems.
        let other = [
            format!("[{record},]"),
            format!("[{record}\n{record}]"),
            format!("{{\"Records\":[{record}],\"x\":{{\"y\":1}}}}"),
            format!("{{\"x\":1,\"Records\":[{record}]}}"),
            format!("{{\"Rec\\u006frds\":[{record}]}}"),
            format!("[{record}][{record}]"),
            format!("[{record}] x"),
            format!("[{}]", "[".repeat(70) + &"]".repeat(70)),
            format!("[{record},{{\"a\":\"\\x\"}},{record}]"),
            format!("[{record},{{\"a\":\"\\u12G4\"}}]"),
            format!("[{record},{{\"a\":\"tab\there\"}}]"),
            format!("[{record},{{\"a\":01}}]"),
            format!("[{record},{{\"a\":1.}}]"),
            format!("[{record},{{\"a\":-}}]"),
            format!("[{record},{{\"a\":1e}}]"),
            format!("[{record},{{\"a\":tru}}]"),
            format!("[{record},{{\"a\":1,}}]"),
            format!("[{record},{{\"a\" 1}}]"),
            format!("[{record},{{1:1}}]"),
            format!("[{record},{{\"a\":[1 2]}}]"),
            format!("[{record},{{\"a\":1]]"),
            format!("[{record},{{\"a\":\"open"),
            format!("{{\"a\":1,\"b\":{record}}}"),
            "{\"data\":{\"a\":1}}".to_string(),
            "\"just a string\"".to_string(),
        ];
        for text in &other {
            let (hand, serde) = (walked(text, true, 1 << 20), walked(text, false, 1 << 20));
            assert_eq!((&hand.0, &hand.1), (&serde.0, &serde.1), "{text}");
        }
        // A record past the limit per record is named the same way.
        let text = format!("[{record},\n{{\"a\":1}}]");
        assert_eq!(walked(&text, true, 100).0, walked(&text, false, 100).0);
        assert_eq!(walked(&text, true, 100).1, walked(&text, false, 100).1);
        // Every byte of a document deleted, doubled or replaced by each byte that means
        // something to JSON: the same records, places and problems either way.
        let base = format!("[{record},\n{{\"a\":[1,-2.5e3,{{}}],\"b\":\"c\\\"\"}}\n]");
        let b = base.as_bytes();
        let mut tried = 0;
        for i in 0..b.len() {
            let mut variants = vec![
                [&b[..i], &b[i + 1..]].concat(),
                [&b[..=i], &b[i..]].concat(),
            ];
            for c in b"\"\\{}[],:0-.e \n\x01atfnu" {
                variants.push([&b[..i], &[*c], &b[i + 1..]].concat());
            }
            for v in variants {
                let Ok(text) = String::from_utf8(v) else {
                    continue;
                };
                let (hand, serde) = (walked(&text, true, 1 << 20), walked(&text, false, 1 << 20));
                assert_eq!((&hand.0, &hand.1), (&serde.0, &serde.1), "{text}");
                tried += 1;
            }
        }
        assert!(tried > 5000, "{tried}");
    }
}
