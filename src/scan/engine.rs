//! The matcher: an Aho-Corasick keyword prefilter, then each rule's regex only around its hits.
//!
//! The `regex` crate guarantees linear time in the input, so no input can make a rule slow.

use super::placeholder::{looks_like_identifier, why_not_secret};
use super::rules::{catalog, Rule};
use super::structure::{check, Structure};
use super::user_rules::{Filter, Verdict};
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{dfa, Anchored, MatchKind, StartKind};
use regex::bytes::{Regex, RegexBuilder};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// How far back a window may reach for its line start.
const MAX_BACK: usize = 512;
/// How far forward a window may reach for its line end.
const MAX_FWD: usize = 2048;

/// One match of one rule in one text, before attribution.
#[derive(Debug, Clone)]
pub struct RawMatch {
    /// Index of the rule in [`Engine::rules`].
    pub rule: usize,
    /// Byte offset of the secret in the scanned text.
    pub start: usize,
    /// Byte offset just past the secret.
    pub end: usize,
    /// The secret (kept in memory only; wrapped in [`crate::secret::Secret`] downstream).
    pub value: String,
    /// The structural verdict.
    pub structure: Structure,
    /// The check's note.
    pub note: &'static str,
    /// For a responder's rule: its allowlists whose content criteria matched and which also
    /// name paths or commits (the scanner, which knows those, decides).
    pub allow_if_place: Vec<u16>,
    /// The line carries `gitleaks:allow`: reported all the same, marked.
    pub marked_allowed: bool,
}

/// Counts of what was dropped and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DropCounts {
    /// Placeholders, documented examples, low-entropy values.
    pub placeholders: u64,
    /// Lines marked `leaktriage:allow` or `gitleaks:allow`.
    pub allowed_inline: u64,
    /// Fingerprints on the ignore list.
    pub ignored: u64,
    /// Allowed by an allowlist of a responder's rules file (gitleaks allowlists).
    #[serde(skip_serializing_if = "is_zero")]
    pub allowlisted: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The compiled catalog.
pub struct Engine {
    rules: Vec<&'static Rule>,
    /// Each rule's regex, compiled on the rule's first keyword hit (most rules never meet one
    /// in a given input, and compiling all of them costs more than scanning a small input), and
    /// shared with the engines made from this one ([`Engine::without`]). `None` inside: the
    /// pattern does not compile (the catalog test makes sure no catalog rule is so).
    regexes: Arc<[OnceLock<Option<Regex>>]>,
    /// This engine's own handles on the shared regexes ([`Engine::for_thread`]): a regex's
    /// handle keeps the search caches of the thread that used it first; another thread's search
    /// takes one from a locked pool and gives it back each time.
    own: Box<[OnceLock<Option<Regex>>]>,
    /// Which rules this engine runs.
    keep: Vec<bool>,
    /// Every keyword, lower-cased, matched without regard to ASCII case.
    ac: Arc<dfa::DFA>,
    pattern_rules: Vec<Vec<usize>>,
    /// Rules without keywords (some gitleaks rules): run over the whole text.
    everywhere: Vec<usize>,
    /// Per rule, a responder's rule's path condition and allowlists (empty for the catalog).
    filters: Vec<Filter>,
    /// [`Engine::uuid_keywords`], worked out once.
    uuid_keywords: Option<Vec<Vec<u8>>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Engine({} rules)", self.rules.len())
    }
}

impl Engine {
    /// The whole catalog, each rule's regex compiled on its first keyword hit (a rule whose
    /// regex does not compile finds nothing; the catalog test makes sure none is so).
    pub fn new() -> Engine {
        Engine::with_rules(catalog(), Vec::new())
    }

    /// The given rules (the catalog followed by a responder's rules); `filters[i]` is
    /// rule `i`'s path condition and allowlists (missing: none).
    pub fn with_rules(rules: Vec<&'static Rule>, filters: Vec<Filter>) -> Engine {
        let regexes = rules.iter().map(|_| OnceLock::new()).collect();
        let all = vec![true; rules.len()];
        Engine::assemble(rules, filters, regexes, all)
    }

    /// This engine without the rules `drop` picks: the same rule list (a match's rule index is
    /// the same in both), the dropped rules neither searched for nor run. The regexes are
    /// shared, not compiled again.
    pub fn without(&self, drop: impl Fn(&Rule) -> bool) -> Engine {
        let keep: Vec<bool> = self
            .rules
            .iter()
            .zip(&self.keep)
            .map(|(r, &k)| k && !drop(r))
            .collect();
        Engine::assemble(
            self.rules.clone(),
            self.filters.clone(),
            Arc::clone(&self.regexes),
            keep,
        )
    }

    /// The keyword automaton over the kept rules' keywords, around the given regexes.
    fn assemble(
        rules: Vec<&'static Rule>,
        mut filters: Vec<Filter>,
        regexes: Arc<[OnceLock<Option<Regex>>]>,
        keep: Vec<bool>,
    ) -> Engine {
        filters.resize_with(rules.len(), Filter::default);
        let mut by_kw: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut everywhere = Vec::new();
        for (i, r) in rules.iter().enumerate().filter(|(i, _)| keep[*i]) {
            for k in r.keywords.iter().filter(|k| !k.is_empty()) {
                by_kw.entry(k.to_ascii_lowercase()).or_default().push(i);
            }
            if r.keywords.iter().all(|k| k.is_empty()) {
                everywhere.push(i);
            }
        }
        // One keyword is reported per place (the longest); a keyword holding another
        // (`sk-proj-` holds `sk-`) triggers the rules of both.
        let all: Vec<(String, Vec<usize>)> = by_kw.into_iter().collect();
        let mut kws = Vec::with_capacity(all.len());
        let mut pattern_rules = Vec::with_capacity(all.len());
        for (k, rs) in &all {
            let mut rs = rs.clone();
            for (k2, rs2) in &all {
                if k2 != k && k.contains(k2.as_str()) {
                    rs.extend(rs2);
                }
            }
            rs.sort_unstable();
            rs.dedup();
            kws.push(k.clone());
            pattern_rules.push(rs);
        }
        // Standard (not leftmost) semantics, walked byte by byte: one pass reports every
        // keyword at every place, with no search restarted after each hit.
        let ac = dfa::DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .prefilter(false)
            .build(&kws)
            .or_else(|_| dfa::DFA::new(["\u{0}never\u{0}"]))
            .expect("trivial automaton");
        let uuid_keywords = Engine::keywords_in_uuids(&rules, &keep, &everywhere);
        Engine {
            own: regexes.iter().map(|_| OnceLock::new()).collect(),
            rules,
            regexes,
            keep,
            ac: Arc::new(ac),
            pattern_rules,
            everywhere,
            filters,
            uuid_keywords,
        }
    }

    /// This engine, for a thread of its own: the same rules, automaton and compiled regexes,
    /// through handles whose search caches stay with that thread.
    pub fn for_thread(&self) -> Engine {
        Engine {
            rules: self.rules.clone(),
            regexes: Arc::clone(&self.regexes),
            own: self.regexes.iter().map(|_| OnceLock::new()).collect(),
            keep: self.keep.clone(),
            ac: Arc::clone(&self.ac),
            pattern_rules: self.pattern_rules.clone(),
            everywhere: self.everywhere.clone(),
            filters: self.filters.clone(),
            uuid_keywords: self.uuid_keywords.clone(),
        }
    }

    /// The shared compiled catalog.
    pub fn global() -> &'static Engine {
        Engine::shared()
    }

    /// The shared compiled catalog, as a shared handle.
    pub fn shared() -> &'static Arc<Engine> {
        static E: OnceLock<Arc<Engine>> = OnceLock::new();
        E.get_or_init(|| Arc::new(Engine::new()))
    }

    /// Rule `i`'s path condition and allowlists (empty for catalog rules).
    pub fn filter(&self, i: usize) -> Option<&Filter> {
        self.filters.get(i)
    }

    /// The rules, in catalog order.
    pub fn rules(&self) -> &[&'static Rule] {
        &self.rules
    }

    /// Whether a rule's regex compiles (compiling it now if no scan has yet).
    pub fn compiled(&self, i: usize) -> bool {
        self.regex(i).is_some()
    }

    /// Rule `i`'s regex, compiled on first use; `None` for a rule this engine does not run or
    /// whose pattern does not compile.
    fn regex(&self, i: usize) -> Option<&Regex> {
        if !*self.keep.get(i)? {
            return None;
        }
        self.own[i]
            .get_or_init(|| {
                self.regexes[i]
                    .get_or_init(|| {
                        RegexBuilder::new(self.rules[i].pattern)
                            .unicode(false)
                            .size_limit(1 << 24)
                            .dfa_size_limit(1 << 24)
                            .build()
                            .ok()
                    })
                    .clone()
            })
            .as_ref()
    }

    /// Whether any keyword of the rules this engine runs occurs in `text` (ASCII case ignored),
    /// or some rule runs without a keyword: whether scanning `text` could run a rule at all.
    pub fn any_keyword(&self, text: &[u8]) -> bool {
        if !self.everywhere.is_empty() {
            return true;
        }
        let Ok(mut s) = self.ac.start_state(Anchored::No) else {
            return true;
        };
        for &c in text {
            s = self.ac.next_state(Anchored::No, s, c);
            if self.ac.is_match(s) {
                return true;
            }
        }
        false
    }

    /// The keywords, lower case, made only of the characters of a UUID (hex digits and `-`):
    /// the ones a UUID can hold. `None` when a keyword could join a UUID to the text around it
    /// in a usage export's digest (a quote, comma or line end next to a hex digit or `-`), or
    /// when a rule runs without a keyword: then the keywords in a UUID's field name and in the
    /// UUID itself do not settle whether a rule runs over it.
    pub fn uuid_keywords(&self) -> Option<&[Vec<u8>]> {
        self.uuid_keywords.as_deref()
    }

    /// [`Engine::uuid_keywords`] of the kept rules.
    fn keywords_in_uuids(
        rules: &[&'static Rule],
        keep: &[bool],
        everywhere: &[usize],
    ) -> Option<Vec<Vec<u8>>> {
        if !everywhere.is_empty() {
            return None;
        }
        let uuid_byte = |b: u8| b.is_ascii_hexdigit() || b == b'-';
        let mut inside = Vec::new();
        for (r, _) in rules.iter().zip(keep).filter(|(_, &k)| k) {
            for k in r
                .keywords
                .iter()
                .map(|k| k.to_ascii_lowercase().into_bytes())
            {
                let joins = k.windows(2).any(|w| {
                    (matches!(w[0], b'"' | b',') && uuid_byte(w[1]))
                        || (uuid_byte(w[0]) && matches!(w[1], b'"' | b'\n' | b'\r'))
                });
                if joins || k.contains(&b'\n') {
                    return None;
                }
                if !k.is_empty() && k.iter().all(|&b| uuid_byte(b)) && !inside.contains(&k) {
                    inside.push(k);
                }
            }
        }
        Some(inside)
    }

    /// Scans one text, appending kept matches to `out` (sorted by start, overlaps resolved).
    pub fn scan(&self, text: &[u8], out: &mut Vec<RawMatch>, drops: &mut DropCounts) {
        self.scan_with(text, out, drops, true)
    }

    /// [`Engine::scan`] for the output gate: inline allow comments and allowlists are not
    /// honoured (an attacker could write `leaktriage:allow` into a user agent).
    pub fn scan_for_gate(&self, text: &[u8], out: &mut Vec<RawMatch>) {
        self.scan_with(text, out, &mut DropCounts::default(), false)
    }

    fn scan_with(
        &self,
        text: &[u8],
        out: &mut Vec<RawMatch>,
        drops: &mut DropCounts,
        honour_allow: bool,
    ) {
        let mut pending: Vec<(usize, usize, usize)> = Vec::new(); // (rule, start, end)
        let mut found: Vec<RawMatch> = Vec::new();
        self.keyword_hits(text, &mut |r, start, end| {
            let (ws, we) = window(text, start, end, self.rules[r].span);
            match pending.iter_mut().find(|p| p.0 == r) {
                Some(p) if ws <= p.2 => p.2 = p.2.max(we),
                Some(p) => {
                    let (s, e) = (p.1, p.2);
                    *p = (r, ws, we);
                    self.run(r, text, s, e, &mut found, drops, honour_allow);
                }
                None => pending.push((r, ws, we)),
            }
        });
        for (r, s, e) in pending {
            self.run(r, text, s, e, &mut found, drops, honour_allow);
        }
        for &r in &self.everywhere {
            self.run(r, text, 0, text.len(), &mut found, drops, honour_allow);
        }
        resolve(found, &self.rules, out);
    }

    /// Tells `hit` of each rule a keyword triggers, with the keyword's place. Every place a
    /// keyword starts is reported, so a keyword overlapping the end of another (`hvs.` then
    /// `.apps…`, `…_sk-` then `sk-`) is not hidden by it. At one place the longest keyword is
    /// reported, and it triggers the rules of the keywords it holds. Places are reported in
    /// order.
    ///
    /// One pass of the automaton finds every keyword at every place (in the order of their
    /// ends); the longest at each start is kept, then the starts are walked in order.
    fn keyword_hits(&self, text: &[u8], hit: &mut dyn FnMut(usize, usize, usize)) {
        let mut found: Vec<(usize, usize, u32)> = Vec::new();
        let Ok(start) = self.ac.start_state(Anchored::No) else {
            return;
        };
        // Each byte's step waits on the one before: two walks, over the first and the second
        // half, interleaved, overlap their waits. The first goes on past the half for as long
        // as a keyword started before it can reach; the second finds those starting at the
        // half or later (one found by both is kept once, below).
        let reach = self.ac.max_pattern_len().max(1) - 1;
        let mid = text.len().saturating_sub(reach) / 2;
        let a = &text[..(mid + reach).min(text.len())];
        let b = &text[mid..];
        let both = a.len().min(b.len());
        let (mut sa, mut sb) = (start, start);
        for k in 0..both {
            sa = self.ac.next_state(Anchored::No, sa, a[k]);
            sb = self.ac.next_state(Anchored::No, sb, b[k]);
            if self.ac.is_special(sa) {
                matches_at(&self.ac, sa, k + 1, &mut found);
            }
            if self.ac.is_special(sb) {
                matches_at(&self.ac, sb, mid + k + 1, &mut found);
            }
        }
        for (k, &c) in a.iter().enumerate().skip(both) {
            sa = self.ac.next_state(Anchored::No, sa, c);
            if self.ac.is_special(sa) {
                matches_at(&self.ac, sa, k + 1, &mut found);
            }
        }
        for (k, &c) in b.iter().enumerate().skip(both) {
            sb = self.ac.next_state(Anchored::No, sb, c);
            if self.ac.is_special(sb) {
                matches_at(&self.ac, sb, mid + k + 1, &mut found);
            }
        }
        // By start, the longest first (two keywords with one start and one end are one).
        found.sort_unstable_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
        let mut last = usize::MAX;
        for (start, end, p) in found {
            if start == last {
                continue;
            }
            last = start;
            for &r in &self.pattern_rules[p as usize] {
                hit(r, start, end);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        r: usize,
        text: &[u8],
        ws: usize,
        we: usize,
        found: &mut Vec<RawMatch>,
        drops: &mut DropCounts,
        honour_allow: bool,
    ) {
        let Some(re) = self.regex(r) else {
            return;
        };
        let rule = self.rules[r];
        let hay = &text[ws..we];
        if !re.is_match(hay) {
            return;
        }
        for caps in re.captures_iter(hay) {
            let g = if rule.secret_group > 0 {
                caps.get(rule.secret_group)
            } else {
                caps.name("s")
                    .or_else(|| caps.get(1))
                    .or_else(|| caps.get(0))
            };
            let Some(g) = g else {
                continue;
            };
            let Ok(value) = std::str::from_utf8(g.as_bytes()) else {
                continue;
            };
            // A rule's length bound lives here, not in its pattern: a large counted repetition
            // makes the regex engine fall back to its slow path on adversarial text (PEM
            // headers without an end), so such patterns repeat without a bound.
            if rule.span > 0 && g.len() > rule.span + 256 {
                continue;
            }
            let start = ws + g.start();
            let probe = caps
                .name("v")
                .and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
                .unwrap_or(value);
            // The whole assignment, with the identifier the keyword sits in (`hashed_token`).
            let m0 = caps
                .get(0)
                .map(|m| (ws + m.start(), ws + m.end()))
                .unwrap_or((start, start));
            let mut back = m0.0;
            while back > m0.0.saturating_sub(40) && back > 0 && {
                let c = text[back - 1];
                c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'-'
            } {
                back -= 1;
            }
            // A crypt hash has no name beside it in a record (shadow, htpasswd, a dump's row);
            // one assigned in code to a name saying hash is a fixture.
            if rule.id == "crypt-password-hash" && assigned_to_a_hash_name(text, start) {
                drops.placeholders += 1;
                continue;
            }
            let whole = std::str::from_utf8(&text[back..m0.1]).unwrap_or("");
            if !plausible(rule, value, probe)
                || (rule.kind == super::rules::Kind::Generic && names_a_non_secret(whole, value))
            {
                drops.placeholders += 1;
                continue;
            }
            let mark = inline_mark(text, start);
            if honour_allow && mark == InlineMark::Ours {
                drops.allowed_inline += 1;
                continue;
            }
            let mut allow_if_place = Vec::new();
            if let Some(f) = self
                .filters
                .get(r)
                .filter(|f| honour_allow && !f.allowlists.is_empty())
            {
                let (ls, le) = line_bounds(text, start);
                let (whole, line) = (&text[m0.0..m0.1], &text[ls..le]);
                let mut allowed = false;
                for (n, a) in f.allowlists.iter().enumerate() {
                    match a.content(g.as_bytes(), whole, line) {
                        Verdict::Allowed => allowed = true,
                        Verdict::IfPlace => allow_if_place.push(n as u16),
                        Verdict::No => {}
                    }
                }
                if allowed {
                    drops.allowlisted += 1;
                    continue;
                }
            }
            let end = start + value.len();
            // Multi-line values are compared line by line, whatever the indentation.
            let value = if rule.multiline && value.contains('\n') {
                value.lines().map(str::trim).collect::<Vec<_>>().join("\n")
            } else {
                value.to_string()
            };
            let (structure, note) = check(rule.check, &value);
            if note == super::structure::PEM_TOO_SHORT {
                drops.placeholders += 1;
                continue;
            }
            found.push(RawMatch {
                rule: r,
                start,
                end,
                value,
                structure,
                note,
                allow_if_place,
                marked_allowed: mark == InlineMark::Repository,
            });
        }
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// The random part of a value: what follows a short prefix ending in `-`, `_` or `.`.
fn body(v: &str) -> &str {
    let head = &v.as_bytes()[..v.len().min(16)];
    match head
        .iter()
        .rposition(|&c| c == b'-' || c == b'_' || c == b'.')
    {
        Some(i) if i + 1 < v.len() && v.len() - i > 12 => &v[i + 1..],
        _ => v,
    }
}

/// Placeholder, entropy and identifier filters.
fn plausible(rule: &Rule, value: &str, probe: &str) -> bool {
    let b = if probe.len() == value.len() {
        body(value)
    } else {
        probe
    };
    if rule.multiline {
        // The key material is judged, not its header lines (a PuTTY `Comment:` naming it).
        let material: String = value
            .lines()
            .filter(|l| !l.contains(": ") && !l.starts_with("-----"))
            .collect();
        return why_not_secret(&material, "", rule.min_entropy).is_none();
    }
    if probe.len() != value.len() && super::placeholder::common_password(probe) {
        return false;
    }
    if why_not_secret(probe, b, rule.min_entropy).is_some() {
        return false;
    }
    if b.len() >= 20 && b.bytes().all(|c| c.is_ascii_alphabetic()) && looks_like_identifier(b) {
        return false;
    }
    let has_digit = probe.bytes().any(|c| c.is_ascii_digit());
    let has_alpha = probe.bytes().any(|c| c.is_ascii_alphabetic());
    match rule.id {
        // A random hex value holds both digits and letters; an all-digit one is a number.
        "generic-hex-secret" if !(has_digit && has_alpha) => return false,
        // A password: letters with digits or symbols, not a common or placeholder one, not a
        // variable, an expression or a URL.
        "password-assignment" => {
            let symbol = probe
                .bytes()
                .any(|c| c.is_ascii_punctuation() && !matches!(c, b'_' | b'-' | b'.'));
            if !has_alpha
                || !(has_digit || symbol)
                || super::placeholder::common_password(probe)
                || probe.starts_with('$')
                || probe.contains("://")
                // A reference to where the password is kept (gon's and Apple's
                // `@env:NAME`, `@keychain:NAME`), or an absolute path (`$PWD = /home/me`).
                || probe.starts_with("@env:")
                || probe.starts_with("@keychain:")
                || (probe.starts_with('/')
                    && probe
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'_' | b'-' | b'.')))
                || looks_like_identifier(probe)
                // A path or a field (`libc::passwd`, `config.db_password`): names only.
                || probe
                    .bytes()
                    .all(|c| c.is_ascii_alphabetic() || matches!(c, b'_' | b':' | b'.'))
            {
                return false;
            }
        }
        _ => {}
    }
    if rule.id == "generic-secret-assignment" {
        let hex = probe.bytes().all(|c| c.is_ascii_hexdigit() || c == b'-');
        let snake = probe.contains('_')
            && (probe
                .bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
                || probe
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_'));
        let wordy = probe
            .split(['_', '-', '.', '/'])
            .filter(|w| !w.is_empty())
            .all(|w| w.len() < 12 && w.bytes().all(|c| c.is_ascii_alphabetic()));
        if hex
            || snake
            || !has_digit
            || !has_alpha
            || wordy
            || probe.starts_with('/')
            || probe.contains("://")
            // Identifiers hold few digits; a random value of this length holds several.
            || (looks_like_identifier(probe)
                && probe.bytes().filter(u8::is_ascii_digit).count() < 4)
        {
            return false;
        }
    }
    true
}

/// For the generic rule: whether the name the value is assigned to says it is not a secret
/// (`hashed_token`, `token_id`, `secret_name`, `password_length`...).
fn names_a_non_secret(whole: &str, value: &str) -> bool {
    let name = whole.strip_suffix(value).unwrap_or(whole);
    let name = name
        .split(value)
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    [
        "hash",
        "digest",
        "sha1",
        "sha256",
        "sha512",
        "md5",
        "checksum",
        "fingerprint",
        "token_id",
        "key_id",
        "_name",
        "type",
        "length",
        "count",
        "url",
        "path",
        "file",
        "kind",
        "version",
        "prefix",
    ]
    .iter()
    .any(|w| name.contains(w))
}

/// Whether the text before `pos` on its line assigns to a name saying hash or digest
/// (`password_hash = "$2b$…"`).
fn assigned_to_a_hash_name(text: &[u8], pos: usize) -> bool {
    let (s, _) = line_bounds(text, pos);
    let before = text[s..pos].to_ascii_lowercase();
    let trimmed = before
        .iter()
        .rposition(|c| !matches!(c, b' ' | b'\t' | b'"' | b'\'' | b'=' | b':'));
    let name_end = trimmed.map_or(0, |i| i + 1);
    let assigned = before[name_end..].iter().any(|c| matches!(c, b'=' | b':'));
    let name = &before[..name_end];
    assigned
        && (memchr::memmem::find(name, b"hash").is_some()
            || memchr::memmem::find(name, b"digest").is_some())
}

/// An inline allow comment on a finding's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InlineMark {
    None,
    /// `leaktriage:allow`: the responder's own mark, honoured (the value is dropped).
    Ours,
    /// `gitleaks:allow`: the scanned repository's mark. A triage does not let the repository
    /// it scans hide a leak (as with its allowlists): the value is reported, marked.
    Repository,
}

/// The inline allow comment on the line holding `pos`, if any.
fn inline_mark(text: &[u8], pos: usize) -> InlineMark {
    let (s, e) = line_bounds(text, pos);
    let line = &text[s..e];
    if memchr::memmem::find(line, b"leaktriage:allow").is_some() {
        InlineMark::Ours
    } else if memchr::memmem::find(line, b"gitleaks:allow").is_some() {
        InlineMark::Repository
    } else {
        InlineMark::None
    }
}

/// The keywords ending at `end` of the special state `sid` (a match state: without a prefilter
/// an unanchored search meets no other but the dead one, which it never meets).
#[inline(never)]
fn matches_at(ac: &dfa::DFA, sid: StateID, end: usize, found: &mut Vec<(usize, usize, u32)>) {
    if ac.is_dead(sid) {
        return;
    }
    for k in 0..ac.match_len(sid) {
        let p = ac.match_pattern(sid, k);
        found.push((end - ac.pattern_len(p), end, p.as_u32()));
    }
}

/// The start and end of the line holding `pos` (bounded).
pub fn line_bounds(text: &[u8], pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let lo = pos.saturating_sub(MAX_BACK);
    let s = memchr::memrchr(b'\n', &text[lo..pos])
        .map(|i| lo + i + 1)
        .unwrap_or(lo);
    let hi = (pos + MAX_FWD).min(text.len());
    let e = memchr::memchr(b'\n', &text[pos..hi])
        .map(|i| pos + i)
        .unwrap_or(hi);
    (s, e)
}

fn window(text: &[u8], s: usize, e: usize, span: usize) -> (usize, usize) {
    let lo = s.saturating_sub(span);
    let hi = (e + span).min(text.len());
    let ws = line_bounds(text, lo).0;
    let we = line_bounds(text, hi).1.max(e);
    (ws, we)
}

/// Sorts matches and keeps, among overlapping ones, the highest priority (then the longest).
fn resolve(mut found: Vec<RawMatch>, rules: &[&'static Rule], out: &mut Vec<RawMatch>) {
    found.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let base = out.len();
    for m in found {
        let from = out.len().saturating_sub(8).max(base);
        let overlap = out[from..]
            .iter()
            .position(|k: &RawMatch| k.start < m.end && m.start < k.end);
        match overlap {
            Some(i) => {
                let i = from + i - base;
                let k = &out[base + i];
                let (pk, pm) = (rules[k.rule].priority, rules[m.rule].priority);
                if pm > pk || (pm == pk && m.end - m.start > k.end - k.start) {
                    out[base + i] = m;
                }
            }
            None => out.push(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crypt_hash_named_as_a_hash_in_code_is_a_fixture_and_a_record_is_not() {
        let at = |line: &str| assigned_to_a_hash_name(line.as_bytes(), line.find("$2").unwrap());
        assert!(at("password_hash = \"$2b$12$abc\""));
        assert!(at("  pw_digest: '$2y$10$abc'"));
        assert!(!at("(1, 'rogers63', '$2y$12$abc', 1),"));
        assert!(!at("admin:$2y$05$abc"));
        // A hash named on the line but not assigned to (a comment) does not make it a fixture.
        assert!(!at("# the hash below $2b$12$abc"));
    }

    /// An engine's view for another thread finds what the engine finds, there, with regexes
    /// compiled once for both.
    #[test]
    fn a_view_for_another_thread_finds_what_the_engine_finds() {
        use crate::scan::fake::{generate, Rng};
        let mut rng = Rng::new(5);
        let mut text = String::new();
        for shape in ["ghp_{an:30}{crc}", "@pem", "sk-ant-api03-{b64u:93}AA"] {
            let fake = generate(shape, &mut rng).secret;
            text += &format!("token = {fake}\nnothing here\n");
        }
        let found = |e: &Engine| {
            let (mut out, mut drops) = (Vec::new(), DropCounts::default());
            e.scan(text.as_bytes(), &mut out, &mut drops);
            let out: Vec<_> = out
                .iter()
                .map(|m| (m.rule, m.start, m.end, m.value.clone()))
                .collect();
            (out, drops)
        };
        let e = Engine::new();
        let here = found(&e);
        assert!(here.0.len() >= 3, "{:?}", here.0.len());
        let view = e.for_thread();
        let there = std::thread::scope(|s| s.spawn(|| found(&view)).join().unwrap());
        assert_eq!(here, there);
        // The view's regexes are the engine's, compiled once: each handle that either holds is
        // a handle on a regex compiled in the shared list.
        let filled = |l: &[OnceLock<Option<Regex>>]| l.iter().filter(|r| r.get().is_some()).count();
        let shared = filled(&e.regexes);
        assert!(shared > 0);
        assert_eq!((filled(&e.own), filled(&view.own)), (shared, shared));
        assert!(Arc::ptr_eq(&e.regexes, &view.regexes));
    }

    /// Every pair of catalog keywords where the end of one is the start of the other
    /// (`hvs.` and `.apps…`): written overlapping, each still triggers its rules.
    #[test]
    fn a_keyword_overlapping_the_end_of_another_still_triggers_its_rules() {
        let e = Engine::new();
        let mut kws: Vec<String> = e
            .rules
            .iter()
            .flat_map(|r| r.keywords.iter())
            .filter(|k| !k.is_empty())
            .map(|k| k.to_ascii_lowercase())
            .collect();
        kws.sort();
        kws.dedup();
        let rules_of = |k: &str| -> Vec<usize> {
            (0..e.rules.len())
                .filter(|&i| {
                    e.rules[i]
                        .keywords
                        .iter()
                        .any(|w| w.eq_ignore_ascii_case(k))
                })
                .collect()
        };
        let mut pairs = 0;
        for a in &kws {
            for b in &kws {
                let Some(ov) = (1..a.len().min(b.len()))
                    .rev()
                    .find(|&n| a.ends_with(&b[..n]))
                else {
                    continue;
                };
                if a.contains(b.as_str()) || b.contains(a.as_str()) {
                    continue;
                }
                pairs += 1;
                let text = format!("{a}{}", &b[ov..]);
                let mut hit = std::collections::BTreeSet::new();
                e.keyword_hits(text.as_bytes(), &mut |r, _, _| {
                    hit.insert(r);
                });
                for r in rules_of(a).into_iter().chain(rules_of(b)) {
                    assert!(
                        hit.contains(&r),
                        "{text:?}: rule {} not triggered",
                        e.rules[r].id
                    );
                }
            }
        }
        assert!(pairs > 0, "the catalog has overlapping keywords to test");
    }
}
