//! A usage export's distinct field values, for a quick first look before its secret scan.
//!
//! A provider's usage export or an audit log repeats the same few values (keys, models,
//! endpoints, addresses, user agents) over millions of records, between field names and
//! numbers that are the same in every record. The scan first reads the export's *digest*: each
//! distinct string value about once (a value not seen lately is written again), after the
//! field name it stands under (`"name":"value"` for
//! JSON, `name,value` for CSV), and each distinct field name. When the digest holds nothing
//! the engine matches or drops, neither does the export, and the export is not matched again;
//! when it does, the whole export is matched as before, so what the scan reports (each
//! occurrence with its line, the counts of what was dropped) never comes from the digest.
//!
//! Left out of the digest, as no rule of a usage export reports them: numbers, `true`,
//! `false` and `null` shorter than 32 bytes (the shortest hex secret a rule takes), and strings
//! shorter than 32 bytes made only of digits and `- : . + T Z` and spaces (times, addresses,
//! counts written as strings). One rule does match such a string, Slack's client id (digits
//! and a dot), but a client id alone is no finding, and beside its secret the secret puts the
//! export through whole (a test in the scanner walks every rule). Left out too, given the
//! engine: a UUID (a request's or an event's id, unique to each record, so about a tenth of an
//! audit log) when no keyword of the engine's rules is in it or in its field name, for then no
//! rule runs over its line. What the digest does not see: a secret that spans two values,
//! or that a rule takes only with a field other than its own before it (the digest gives
//! each value its own field's name as context). A text that is not plainly JSON or CSV (a byte
//! outside a string that JSON does not allow, a string or quoted cell left open) has no digest
//! and is matched whole.

use super::engine::Engine;
use crate::evidence::intern::same;
use crate::evidence::tokens::Tokens;

/// Values at least this long are always in the digest (the shortest secret a rule of a usage
/// export takes is 32 hex digits).
const SHORT: usize = 32;

/// The digest of a usage export's text: JSON when it opens with `{` or `[`, CSV otherwise.
/// `None`: the text is not plainly either, and must be matched whole.
pub fn of(text: &[u8], uuids: Option<Uuids<'_>>) -> Option<Vec<u8>> {
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{' | b'[') => json(text, uuids),
        Some(_) => csv(text, uuids),
        None => Some(Vec::new()),
    }
}

/// A fast hash for byte strings (FxHash's mixing of a few words of each): the digest's set is
/// probed once for every value of the export.
#[derive(Default)]
struct Fx(u64);

impl Fx {
    #[inline]
    fn mix(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    /// Mixes in the length and a sample of the bytes: the first, middle and last eight (a
    /// slot's pair is compared whole, so two strings that share a sample cost at most a line
    /// written twice, never a line missed).
    #[inline]
    fn sample(&mut self, b: &[u8]) {
        let n = b.len();
        self.mix(n as u64);
        if n < 8 {
            let mut w = [0u8; 8];
            w[..n].copy_from_slice(b);
            self.mix(u64::from_le_bytes(w));
            return;
        }
        let at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or_default());
        self.mix(at(0));
        self.mix(at(n - 8));
        if n > 16 {
            self.mix(at(n / 2 - 4));
        }
    }
}

/// The (field name, value) pairs seen lately, and the digest written so far.
struct Digest<'t, 'e> {
    /// A pair's last sighting, by a few bits of its hash: a pair found there is in the digest
    /// already. A pair not found is written again (the digest may hold a value twice, never
    /// miss one), so the memory is this table's, whatever the number of distinct values.
    recent: Vec<Recent<'t>>,
    /// The name last read at each position of a record (records of one export repeat their
    /// names in one order): a name found there was seen already.
    names: Vec<&'t [u8]>,
    /// The pair last taken at each place of a record (the number of names read before it in
    /// the record; a CSV's column): a pair found there again was taken then as it would be
    /// now, so it is in the digest already or left out alike.
    values: Vec<(&'t [u8], &'t [u8])>,
    out: Vec<u8>,
    json: bool,
    /// Which UUIDs may be left out (`None`: none).
    uuids: Option<Uuids<'e>>,
    /// The field names lately asked about a UUID under them, each with the answer.
    uuid_names: Vec<(&'t [u8], bool)>,
    /// Names looked up in `recent` (not found at their position).
    #[cfg(test)]
    name_probes: usize,
    /// Values looked up in `recent` (not found at their place).
    #[cfg(test)]
    value_probes: usize,
}

/// Field names whose answer about UUIDs is kept ([`Digest::uuid_left_out`]).
const UUID_NAMES: usize = 8;

/// What leaving a UUID out of the digest depends on: the engine's keywords.
pub struct Uuids<'e> {
    engine: &'e Engine,
    /// The keywords a UUID can hold ([`Engine::uuid_keywords`]).
    inside: &'e [Vec<u8>],
    /// The first two characters of each keyword of two or more, each repeated in a word.
    pairs: Vec<(u64, u64)>,
    /// Each keyword of one character, repeated in a word.
    ones: Vec<u64>,
}

/// A byte repeated in each byte of a word.
const fn repeated(b: u8) -> u64 {
    (b as u64) * 0x0101_0101_0101_0101
}

/// Not zero when a byte of `z` is zero (and zero when none is).
const fn zero_byte(z: u64) -> u64 {
    z.wrapping_sub(0x0101_0101_0101_0101) & !z & 0x8080_8080_8080_8080
}

impl<'e> Uuids<'e> {
    /// `None` when the engine's keywords could join a UUID to the text around it.
    pub fn of(engine: &'e Engine) -> Option<Self> {
        engine
            .uuid_keywords()
            .map(|inside| Uuids::with(engine, inside))
    }

    /// `engine` with the keywords `inside` (made of UUID characters only, lower case).
    fn with(engine: &'e Engine, inside: &'e [Vec<u8>]) -> Self {
        let (mut pairs, mut ones) = (Vec::new(), Vec::new());
        for k in inside {
            match k[..] {
                [] => {}
                [a] => ones.push(repeated(a)),
                [a, b, ..] => pairs.push((repeated(a), repeated(b))),
            }
        }
        Uuids {
            engine,
            inside,
            pairs,
            ones,
        }
    }

    /// Whether one of the keywords is in `uuid` (36 bytes, either case). Its characters are read
    /// as five words that overlap, so that every pair of characters is in one: where no word
    /// holds a keyword's first two characters side by side (in random hex, nearly always),
    /// no place is looked at.
    fn any_inside(&self, uuid: &[u8]) -> bool {
        // Lower case: every byte of a UUID is a digit, a letter `a`-`f` or `-`, which setting
        // the 0x20 bit leaves as they are or makes lower case.
        let word = |i: usize| {
            u64::from_le_bytes(uuid[i..i + 8].try_into().unwrap_or_default()) | repeated(0x20)
        };
        let words = [word(0), word(7), word(14), word(21), word(28)];
        // A word's last byte starts no pair in it (the next word's first byte does).
        let last = 0xff << 56;
        let pair = |&(a, b): &(u64, u64)| {
            words
                .iter()
                .any(|&w| zero_byte((w ^ a) | ((w >> 8) ^ b) | last) != 0)
        };
        let one = |&a: &u64| words.iter().any(|&w| zero_byte(w ^ a) != 0);
        if !(self.pairs.iter().any(pair) || self.ones.iter().any(one)) {
            return false;
        }
        let mut low = [0u8; 36];
        low.iter_mut().zip(uuid).for_each(|(l, &b)| *l = b | 0x20);
        (0..low.len()).any(|at| {
            self.inside
                .iter()
                .any(|k| !k.is_empty() && low.get(at..at + k.len()).is_some_and(|w| same(w, k)))
        })
    }
}

/// A pair's last sighting: its hash (compared first: a pair not seen lately is told by it
/// alone, without reading the text again where the slot's pair stands), its name and value.
#[derive(Clone, Copy)]
struct Recent<'t> {
    hash: u64,
    name: &'t [u8],
    v: &'t [u8],
}

/// Bits of the hash that index [`Digest::recent`].
const RECENT_BITS: u32 = 12;

/// The name under which a field name itself is remembered (no UTF-8 text holds the byte).
const NAME: &[u8] = b"\xfe";

impl<'t, 'e> Digest<'t, 'e> {
    fn new(json: bool, uuids: Option<Uuids<'e>>) -> Self {
        Digest {
            recent: vec![
                Recent {
                    hash: 0,
                    name: b"\xff",
                    v: b"\xff",
                };
                1 << RECENT_BITS
            ],
            names: Vec::new(),
            values: Vec::new(),
            out: Vec::new(),
            json,
            uuids,
            uuid_names: Vec::new(),
            #[cfg(test)]
            name_probes: 0,
            #[cfg(test)]
            value_probes: 0,
        }
    }

    /// Whether the pair was seen lately; remembers it.
    #[inline]
    fn seen(&mut self, name: &'t [u8], v: &'t [u8]) -> bool {
        let mut h = Fx::default();
        h.sample(v);
        h.sample(name);
        let slot = &mut self.recent[(h.0 >> (64 - RECENT_BITS)) as usize];
        if slot.hash == h.0 && same(slot.v, v) && same(slot.name, name) {
            return true;
        }
        *slot = Recent { hash: h.0, name, v };
        false
    }

    /// A field name, read at position `pos` of its record.
    #[inline]
    fn name(&mut self, pos: usize, name: &'t [u8]) {
        match self.names.get_mut(pos) {
            Some(at) if same(at, name) => return,
            Some(at) => *at = name,
            None if pos < 64 => {
                self.names.resize(pos + 1, b"\xff");
                self.names[pos] = name;
            }
            None => {}
        }
        #[cfg(test)]
        {
            self.name_probes += 1;
        }
        if !self.seen(NAME, name) {
            self.line(None, name, true);
        }
    }

    /// A value under field `name` at place `at` of its record (see `values`); `quoted`: a
    /// string.
    #[inline(always)]
    fn value(&mut self, at: usize, name: &'t [u8], v: &'t [u8], quoted: bool) {
        if v.len() < SHORT && (!quoted || plain(v)) {
            return;
        }
        match self.values.get_mut(at) {
            Some(last) if same(last.1, v) && same(last.0, name) => return,
            Some(last) => *last = (name, v),
            None if at < 64 => {
                self.values.resize(at + 1, (b"\xff", b"\xff"));
                self.values[at] = (name, v);
            }
            None => {}
        }
        #[cfg(test)]
        {
            self.value_probes += 1;
        }
        if quoted && v.len() == 36 && self.uuid_left_out(name, v) {
            return;
        }
        if !self.seen(name, v) {
            self.line(Some(name), v, quoted);
        }
    }

    /// Whether a UUID under field `name` is left out: no keyword of the engine's rules is in
    /// the UUID or in what stands before it on its line (the field name, quoted, and the colon;
    /// for CSV, the name and the comma), so no rule would run over its line. The answer for a
    /// name is kept for the names read lately. Out of line: the common values never come here.
    #[inline(never)]
    fn uuid_left_out(&mut self, name: &'t [u8], v: &[u8]) -> bool {
        let Some(u) = self.uuids.as_ref().filter(|_| is_uuid(v)) else {
            return false;
        };
        if u.any_inside(v) {
            return false;
        }
        if let Some(&(_, free)) = self.uuid_names.iter().find(|(n, _)| same(n, name)) {
            return free;
        }
        let mut before = Vec::with_capacity(name.len() + 5);
        name_part(self.json, name, &mut before);
        if self.json {
            before.push(b'"');
        }
        let free = !u.engine.any_keyword(&before);
        if self.uuid_names.len() == UUID_NAMES {
            self.uuid_names.remove(0);
        }
        self.uuid_names.push((name, free));
        free
    }

    fn line(&mut self, name: Option<&[u8]>, v: &[u8], quoted: bool) {
        let o = &mut self.out;
        if let Some(name) = name {
            name_part(self.json, name, o);
        }
        if self.json && quoted {
            o.push(b'"');
            o.extend_from_slice(v);
            o.push(b'"');
        } else {
            o.extend_from_slice(v);
        }
        o.push(b'\n');
    }
}

/// A line's field name before its value: `"name":` for JSON, `name,` for CSV.
fn name_part(json: bool, name: &[u8], o: &mut Vec<u8>) {
    if json {
        o.push(b'"');
        o.extend_from_slice(name);
        o.extend_from_slice(b"\":");
    } else {
        o.extend_from_slice(name);
        o.push(b',');
    }
}

/// Whether `v` is a UUID as RFC 9562 writes it: 32 hex digits in groups of 8, 4, 4, 4 and 12,
/// joined by `-`.
#[inline]
fn is_uuid(v: &[u8]) -> bool {
    v.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| v[i] == b'-')
        && [&v[..8], &v[9..13], &v[14..18], &v[19..23], &v[24..]]
            .iter()
            .all(|part| part.iter().all(|&b| HEX[usize::from(b)]))
}

/// The hex digits, either case.
const HEX: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_hexdigit();
        b += 1;
    }
    t
};

/// Whether a short string can hold no secret: only digits, `- : . + T Z` and spaces.
#[inline]
fn plain(v: &[u8]) -> bool {
    v.iter()
        .all(|&b| b.is_ascii_digit() || matches!(b, b'-' | b':' | b'.' | b'+' | b'T' | b'Z' | b' '))
}

/// Bytes of a number or of `true`, `false`, `null`.
#[inline]
fn scalar_byte(b: u8) -> bool {
    b.is_ascii_digit()
        || matches!(
            b,
            b'-' | b'+'
                | b'.'
                | b'e'
                | b'E'
                | b't'
                | b'r'
                | b'u'
                | b'f'
                | b'a'
                | b'l'
                | b's'
                | b'n'
        )
}

/// The digest of a JSON text (an array, an object, or JSON Lines); each value stands under the
/// last field name read before it.
fn json<'e>(text: &[u8], uuids: Option<Uuids<'e>>) -> Option<Vec<u8>> {
    json_digest(text, uuids).map(|d| d.out)
}

fn json_digest<'t, 'e>(text: &'t [u8], uuids: Option<Uuids<'e>>) -> Option<Digest<'t, 'e>> {
    let mut d = Digest::new(true, uuids);
    let mut name: &[u8] = b"";
    // The position of the next name in its record: from 0 at each record (an object standing
    // alone, or an element of the shallowest array whose elements are objects), counted on
    // through the objects nested in it (a CloudTrail record's `userIdentity`, its
    // `resources`), so that the records of an export find their names in the same places.
    let mut pos = 0usize;
    // One bit per open container, set for an array, the number open, and the depth of records.
    let (mut arrays, mut depth, mut records) = (0u64, 0u32, u32::MAX);
    let n = text.len();
    let mut i = 0;
    while i < n {
        match text[i] {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                let end = loop {
                    let k = crate::evidence::json::string_stop(text, j, false)?;
                    if text[k] == b'"' {
                        break k;
                    }
                    j = k + 2;
                    if j > n {
                        return None;
                    }
                };
                let s = &text[start..end];
                i = end + 1;
                let mut k = i;
                while k < n && matches!(text[k], b' ' | b'\t' | b'\r' | b'\n') {
                    k += 1;
                }
                if k < n && text[k] == b':' {
                    name = s;
                    d.name(pos, s);
                    pos += 1;
                } else {
                    d.value(pos, name, s, true);
                }
            }
            b'{' => {
                if depth == 0 || (arrays & 1 == 1 && depth <= records) {
                    if depth > 0 {
                        records = depth;
                    }
                    pos = 0;
                }
                (arrays, depth) = (arrays << 1, depth + 1);
                i += 1;
            }
            b'[' => {
                (arrays, depth) = ((arrays << 1) | 1, depth + 1);
                i += 1;
            }
            b'}' | b']' => {
                (arrays, depth) = (arrays >> 1, depth.saturating_sub(1));
                i += 1;
            }
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' => i += 1,
            b if scalar_byte(b) => {
                let start = i;
                while i < n && scalar_byte(text[i]) {
                    i += 1;
                }
                d.value(pos, name, &text[start..i], false);
            }
            _ => return None,
        }
    }
    Some(d)
}

/// The digest of a JSON text made while the evidence stage walks its records: what [`of`]
/// makes of the same text, without reading it again.
pub struct Heard<'a> {
    text: &'a [u8],
    d: Digest<'a, 'a>,
    /// The last field name heard, and the position of the next in its record.
    name: &'a [u8],
    pos: usize,
    whole: bool,
}

impl<'a> Heard<'a> {
    /// Listens for the digest of `text`.
    pub fn new(text: &'a str, uuids: Option<Uuids<'a>>) -> Self {
        Heard {
            text: text.as_bytes(),
            d: Digest::new(true, uuids),
            name: b"",
            pos: 0,
            whole: false,
        }
    }
}

impl Tokens for Heard<'_> {
    fn listens(&self, text: &str) -> bool {
        std::ptr::eq(text.as_bytes(), self.text)
    }

    fn record(&mut self) {
        self.pos = 0;
    }

    fn name(&mut self, at: usize, end: usize) {
        let t = self.text;
        let Some(name) = t.get(at..end) else {
            return;
        };
        self.name = name;
        self.d.name(self.pos, name);
        self.pos += 1;
    }

    fn value(&mut self, at: usize, end: usize, quoted: bool) {
        let t = self.text;
        if let Some(v) = t.get(at..end) {
            self.d.value(self.pos, self.name, v, quoted);
        }
    }

    fn whole(&mut self) {
        self.whole = true;
    }

    fn finish(self: Box<Self>) -> Option<Vec<u8>> {
        self.whole.then_some(self.d.out)
    }
}

/// The digest of a CSV text: the header's names, then each cell under its column's name.
fn csv(text: &[u8], uuids: Option<Uuids<'_>>) -> Option<Vec<u8>> {
    let mut d = Digest::new(false, uuids);
    let mut header: Vec<&[u8]> = Vec::new();
    let mut first = true;
    let mut col = 0usize;
    let n = text.len();
    let mut i = 0;
    while i < n {
        // One cell from `i`.
        let (cell, next) = if text[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            let end = loop {
                let k = j + memchr::memchr(b'"', &text[j..])?;
                if text.get(k + 1) == Some(&b'"') {
                    j = k + 2;
                    continue;
                }
                break k;
            };
            if end + 1 < n && !matches!(text[end + 1], b',' | b'\n' | b'\r') {
                return None;
            }
            (&text[start..end], end + 1)
        } else {
            let end = memchr::memchr3(b',', b'\n', b'\r', &text[i..]).map_or(n, |k| i + k);
            (&text[i..end], end)
        };
        if first {
            header.push(cell);
            d.name(col, cell);
        } else {
            let name = header.get(col).copied().unwrap_or(b"");
            d.value(col, name, cell, true);
        }
        col += 1;
        i = next;
        match text.get(i) {
            Some(b',') => {
                i += 1;
                if i == n {
                    break;
                }
            }
            Some(b'\r' | b'\n') => {
                while i < n && matches!(text[i], b'\r' | b'\n') {
                    i += 1;
                }
                first = false;
                col = 0;
            }
            _ => {}
        }
    }
    Some(d.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(text: &str) -> Option<String> {
        of(text.as_bytes(), None).map(|d| String::from_utf8(d).unwrap())
    }

    #[test]
    fn a_json_export_is_read_as_its_distinct_names_and_values() {
        let text = r#"[{"timestamp":"2026-01-01T00:00:00Z","key":"sk-...Q9zx","n":15,"ok":true,"ua":"curl/8.5.0"},
{"timestamp":"2026-01-01T00:00:03Z","key":"sk-...Q9zx","n":16,"ok":null,"ua":"esc \" \\ aped"}]"#;
        assert_eq!(
            digest(text).unwrap(),
            "\"timestamp\"\n\"key\"\n\"key\":\"sk-...Q9zx\"\n\"n\"\n\"ok\"\n\"ua\"\n\
             \"ua\":\"curl/8.5.0\"\n\"ua\":\"esc \\\" \\\\ aped\"\n"
        );
    }

    #[test]
    fn the_names_of_records_with_nested_objects_are_known_by_their_place() {
        let record = r#"{"eventVersion":"1.10","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u","sessionContext":{"attributes":{"mfa":"false"}}},"eventName":"InvokeModel","requestParameters":{"modelId":"m"},"resources":[{"ARN":"a"},{"ARN":"b"}],"eventID":"e"}"#;
        let text = format!("{{\"Records\":[{}]}}", vec![record; 100].join(","));
        let d = json_digest(text.as_bytes(), None).expect("plain JSON");
        // Each of the 14 names is looked up when first read at its place; the records after
        // the first find theirs in place (the two `resources` elements share their place).
        assert!(d.name_probes <= 16, "{} lookups", d.name_probes);
        let out = String::from_utf8(d.out).unwrap();
        for name in [
            "eventVersion",
            "mfa",
            "modelId",
            "ARN",
            "eventID",
            "Records",
        ] {
            assert_eq!(
                out.matches(&format!("\"{name}\"\n")).count(),
                1,
                "{name}: {out}"
            );
        }
    }

    #[test]
    fn a_pair_found_again_at_its_place_is_not_looked_up_and_the_digest_is_unchanged() {
        let record = |i: usize| {
            format!(
                r#"{{"ua":"Mozilla/5.0 (X11; Linux)","id":"request-{i:08}","user":"{}","tags":["a-long-tag","a-long-tag"]}}"#,
                if i % 2 == 0 {
                    "alice@example.com"
                } else {
                    "bob@example.org"
                }
            )
        };
        let text = format!("[{}]", (0..100).map(record).collect::<Vec<_>>().join(",\n"));
        let d = json_digest(text.as_bytes(), None).expect("plain JSON");
        // Looked up: the user agent and the tag once each, every id (a new value each record),
        // and every user (it alternates at its place).
        assert_eq!(d.value_probes, 1 + 1 + 100 + 100);
        let out = String::from_utf8(d.out).unwrap();
        for (pair, n) in [
            ("\"ua\":\"Mozilla/5.0 (X11; Linux)\"", 1),
            ("\"tags\":\"a-long-tag\"", 1),
            ("\"user\":\"alice@example.com\"", 1),
            ("\"user\":\"bob@example.org\"", 1),
            ("\"id\":\"request-", 100),
        ] {
            assert_eq!(out.matches(pair).count(), n, "{pair}: {out}");
        }
    }

    #[test]
    fn long_numbers_and_long_plain_strings_stay_in_the_digest() {
        let long = "1".repeat(32);
        let text = format!(
            r#"{{"a":{long},"b":"{long}","c":"{}","d":"2026"}}"#,
            &long[1..]
        );
        assert_eq!(
            digest(&text).unwrap(),
            format!("\"a\"\n\"a\":{long}\n\"b\"\n\"b\":\"{long}\"\n\"c\"\n\"d\"\n")
        );
    }

    #[test]
    fn nested_values_stand_under_the_last_name_read() {
        let text = r#"{"outer":{"inner":["tok-one",{"x":"tok-two"}]},"after":"tok-three"}"#;
        assert_eq!(
            digest(text).unwrap(),
            "\"outer\"\n\"inner\"\n\"inner\":\"tok-one\"\n\"x\"\n\"x\":\"tok-two\"\n\
             \"after\"\n\"after\":\"tok-three\"\n"
        );
    }

    #[test]
    fn text_that_is_not_plainly_json_has_no_digest() {
        assert_eq!(digest(r#"{"a":"open"#), None);
        assert_eq!(digest(r#"{"a":"x\"#), None);
        assert_eq!(digest(r#"{"a":bare_word}"#), None);
        assert_eq!(digest("[1, 2] // a comment"), None);
        assert_eq!(digest("  \n"), Some(String::new()));
    }

    #[test]
    fn a_csv_export_is_read_as_its_header_and_distinct_cells() {
        let text = "timestamp,key,ua,n\r\n2026-01-01T00:00:00Z,sk-a,\"x, \"\"y\"\"\",1\n\
                    2026-01-01T00:00:01Z,sk-a,curl,2\n\n2026-01-01T00:00:02Z,sk-b,,3,extra";
        assert_eq!(
            digest(text).unwrap(),
            "timestamp\nkey\nua\nn\nkey,sk-a\nua,x, \"\"y\"\"\nua,curl\nkey,sk-b\n,extra\n"
        );
    }

    #[test]
    fn a_csv_quote_left_open_or_followed_by_text_has_no_digest() {
        assert_eq!(digest("a,b\n\"open,1\n"), None);
        assert_eq!(digest("a,b\n\"x\"y,1\n"), None);
    }

    /// A UUID is left out where no keyword is in it or in its field name; under a name that
    /// holds a keyword (a Pinecone key is a UUID), or holding a keyword itself, it stays.
    #[test]
    fn a_uuid_is_left_out_where_no_keyword_could_run_a_rule_over_it() {
        let engine = Engine::global();
        let u = Uuids::of(engine).expect("the catalog's keywords let UUIDs be left out");
        assert!(
            u.inside.iter().any(|k| k.as_slice() == b"fc-"),
            "{:?}",
            u.inside
        );
        let with = |text: &str| {
            String::from_utf8(of(text.as_bytes(), Uuids::of(engine)).expect("plain")).unwrap()
        };
        let id = "3f2b8c1e-9d4a-4e7b-a1c6-5e0f7d2b9a84";
        let upper = id.to_ascii_uppercase();
        let holds = "0000abfc-9d4a-4e7b-a1c6-5e0f7d2b9a84";
        let json = format!(
            r#"[{{"eventID":"{id}","requestID":"{upper}","pinecone_api_key":"{id}","sharedEventID":"{holds}","notUuid":"{}"}}]"#,
            &id[..35]
        );
        let d = with(&json);
        assert!(!d.contains(&format!("\"eventID\":\"{id}\"")), "{d}");
        assert!(!d.contains(&format!("\"requestID\":\"{upper}\"")), "{d}");
        assert!(d.contains(&format!("\"pinecone_api_key\":\"{id}\"")), "{d}");
        assert!(d.contains(&format!("\"sharedEventID\":\"{holds}\"")), "{d}");
        let upper_holds = holds.to_ascii_uppercase();
        let kept = with(&format!(r#"{{"eventID":"{upper_holds}"}}"#));
        assert!(kept.contains(&upper_holds), "{kept}");
        assert!(d.contains(&format!("\"notUuid\":\"{}\"", &id[..35])), "{d}");
        // The names themselves stay.
        assert!(d.contains("\"eventID\"\n"), "{d}");
        let csv = format!("eventID,pinecone\n{id},{id}\n");
        let d = with(&csv);
        assert_eq!(d, format!("eventID\npinecone\npinecone,{id}\n"));
        // Without the engine, nothing is left out.
        assert!(digest(&json)
            .unwrap()
            .contains(&format!("\"eventID\":\"{id}\"")));
        assert!(is_uuid(id.as_bytes()) && is_uuid(upper.as_bytes()));
        assert!(!is_uuid(&id.as_bytes()[..35]) && !is_uuid(id.replace('-', "_").as_bytes()));
        assert!(!is_uuid(id.replacen('3', "g", 1).as_bytes()));
    }

    #[test]
    fn a_keyword_in_a_uuid_is_found_at_every_place_as_a_plain_search_finds_it() {
        let engine = Engine::global();
        let plain = |inside: &[Vec<u8>], low: &[u8; 36]| {
            (0..36).any(|at| inside.iter().any(|k| low[at..].starts_with(k)))
        };
        let catalog = engine
            .uuid_keywords()
            .expect("the catalog's keywords")
            .to_vec();
        let made: Vec<Vec<u8>> = ["a", "3f", "dead", "-4", "0"]
            .iter()
            .map(|k| k.as_bytes().to_vec())
            .collect();
        let mut rng = crate::scan::fake::Rng::new(0x2545_f491_4f6c_dd1d);
        for inside in [&catalog, &made] {
            let u = Uuids::with(engine, inside);
            let mut checked = 0;
            // Each keyword at each place (the last place too), in text that holds no other of
            // the made keywords' first characters; and random UUIDs.
            for k in inside.iter() {
                for at in 0..=36 - k.len() {
                    let mut low = [0u8; 36];
                    low.iter_mut()
                        .for_each(|b| *b = *rng.pick(b"123456789bcef-"));
                    low[at..at + k.len()].copy_from_slice(k);
                    assert!(
                        u.any_inside(&low),
                        "{:?} at {at}",
                        String::from_utf8_lossy(k)
                    );
                    checked += 1;
                }
            }
            for _ in 0..20_000 {
                let mut low = [0u8; 36];
                low.iter_mut()
                    .for_each(|b| *b = *rng.pick(b"0123456789abcdef-"));
                assert_eq!(u.any_inside(&low), plain(inside, &low), "{low:?}");
                let upper = low.map(|b| b.to_ascii_uppercase());
                assert_eq!(u.any_inside(&upper), plain(inside, &low), "{upper:?}");
                checked += 1;
            }
            assert!(checked > 20_000);
        }
        // With none of the made keywords in it, none is found.
        let u = Uuids::with(engine, &made);
        assert!(!u.any_inside(b"123456789bcef-123456789bcef-12345678"));
    }

    /// What the evidence stage's walk of a JSON text's records hears makes the same digest as
    /// reading the text again, on the real exports of the fixtures and on texts made to try
    /// the walk's corners; with and without the engine's UUIDs left out.
    #[test]
    fn the_digest_heard_while_records_are_walked_is_the_digest_read_again() {
        use crate::evidence::{json, out::Out, Problems};
        let engine = Engine::global();
        let heard = |text: &str, uuids: bool| {
            let mut sink = |_e: crate::evidence::UsageEvent| {};
            let mut out = Out::new("t.json", Problems::new("t.json"), &mut sink);
            let u = uuids.then(|| Uuids::of(engine)).flatten();
            out.tokens = Some(Box::new(Heard::new(text, u)));
            json::walk_raw(text, &["Records", "data"], &mut out, &mut |_, _, _| {});
            out.tokens.take().and_then(|t| t.finish())
        };
        let id = "3f2b8c1e-9d4a-4e7b-a1c6-5e0f7d2b9a84";
        let mut texts: Vec<(String, String)> = [
            format!(r#"[{{"a":"{id}","b":{{"c":[1,2,{{"d":"x y z"}}],"e":"v"}},"f":[["g"],{{"h":null}}]}},{{"a":"sk-...Q9zx","n":123456789012345678901234567890123}}]"#),
            format!(r#" {{ "Records" : [ {{"eventID":"{id}","userIdentity":{{"type":"IAMUser","accessKeyId":"AKIAEXAMPLE"}},"esc":"q \" \\ \u00e9"}} , "loose", 12 ] }} "#),
            r#"[]"#.to_string(),
            r#"{"data":[]}"#.to_string(),
            r#"[{"a":true,"b":false,"c":-1.5e+3},{"b":"same"},{"a":"other"},[{"x":"in an array"}]]"#.to_string(),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, t)| (format!("made {i}"), t))
        .collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
        let mut dirs = vec![root];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                let name = p.to_string_lossy().to_string();
                if p.is_dir() {
                    dirs.push(p);
                } else if name.ends_with(".json") && !name.ends_with(".golden.json") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    // Each real document also as the record of an array and of a trail file.
                    let one = serde_json::from_str::<serde_json::Value>(&text).is_ok();
                    if one && text.trim_start().starts_with('{') {
                        let t = text.trim();
                        texts.push((format!("{name} in an array"), format!("[{t},\n{t}]")));
                        texts.push((
                            format!("{name} as records"),
                            format!("{{\"Records\":[{t},{t}]}}\n"),
                        ));
                    }
                    texts.push((name, text));
                }
            }
        }
        let mut walked = 0;
        for (name, text) in &texts {
            for uuids in [false, true] {
                let u = uuids.then(|| Uuids::of(engine)).flatten();
                match heard(text, uuids) {
                    Some(h) => {
                        walked += 1;
                        let again = of(text.as_bytes(), u).expect("a walked text is plain JSON");
                        assert_eq!(
                            String::from_utf8_lossy(&h),
                            String::from_utf8_lossy(&again),
                            "{name}"
                        );
                    }
                    // Not walked by hand whole (an envelope with more than its records, a
                    // document that is not plainly JSON): nothing heard.
                    None => assert!(
                        !name.starts_with("made") && !name.ends_with(" as records"),
                        "{name} was made to be walked by hand"
                    ),
                }
            }
        }
        assert!(walked >= 2 * 60, "only {walked} walks heard");
    }
}
