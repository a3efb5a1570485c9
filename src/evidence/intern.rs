//! Compact string sets for a run's repeated values (key ids, models, IPs, event ids): each
//! distinct string is stored once, back to back in one buffer, and numbered in order of first
//! sight, so a million events that name four keys hold four strings, not a million.

use std::hash::Hasher;

/// A small, fast, non-cryptographic hasher (the Fx hash) for the string sets; their strings
/// come from evidence, not from an adversary who could choose collisions at scale for a tool
/// run once over a responder's own files.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.add(w);
        }
        for &b in chunks.remainder() {
            self.add(b as u64);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// The 64-bit Fx hash of a string.
pub(crate) fn hash64(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.add(s.len() as u64);
    h.0
}

/// Builds the Fx hasher, for maps keyed by small numbers (ids, positions, days): the
/// standard library's default hash resists chosen collisions at a cost these keys need not pay.
pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// Whether two byte strings are the same, compared inline when short (field names, most
/// values): a call to `memcmp` costs more than the comparison itself there.
#[inline(always)]
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or_default());
    match n {
        0..8 => a.iter().zip(b).all(|(x, y)| x == y),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        17..=32 => {
            word(a, 0) == word(b, 0)
                && word(a, 8) == word(b, 8)
                && word(a, n - 16) == word(b, n - 16)
                && word(a, n - 8) == word(b, n - 8)
        }
        _ => a == b,
    }
}

/// A slot of the hash table: no string.
const EMPTY: u32 = u32::MAX;

/// Distinct strings numbered `0, 1, 2, …` in order of first insertion.
///
/// Each string costs its bytes, 8 bytes of offset and at most 16 bytes of hash table (an
/// open-addressing table of (id, hash) pairs, kept at most half full).
#[derive(Debug, Clone)]
pub(crate) struct StrSet {
    /// Every string, back to back.
    text: String,
    /// `ends[i]`: where string `i` ends in `text` (it starts where `i - 1` ends).
    ends: Vec<usize>,
    /// (id, top 32 bits of the hash); `EMPTY` ids are free slots.
    table: Vec<(u32, u32)>,
    /// The ids inserted or found lately, by a sample of their bytes ([`recent_slot`]): the
    /// values of a field often come from a few (a log's models, endpoints, user agents), in
    /// any order.
    recent: [u32; RECENT],
}

impl Default for StrSet {
    fn default() -> Self {
        StrSet {
            text: String::new(),
            ends: Vec::new(),
            table: Vec::new(),
            recent: [EMPTY; RECENT],
        }
    }
}

/// Slots of [`StrSet::recent`].
const RECENT: usize = 32;

/// The slot of [`StrSet::recent`] for `s`: its length and its first, middle and last bytes.
#[inline]
fn recent_slot(s: &str) -> usize {
    let b = s.as_bytes();
    let Some(&last) = b.last() else {
        return 0;
    };
    let h = (b.len() as u32)
        | u32::from(b[0]) << 8
        | u32::from(b[b.len() / 2]) << 16
        | u32::from(last) << 24;
    (h.wrapping_mul(0x9e37_79b1) >> (32 - RECENT.trailing_zeros())) as usize
}

fn hash32(s: &str) -> u32 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    // One more round so the top bits depend on every byte, then keep them.
    h.add(s.len() as u64);
    (h.0 >> 32) as u32
}

impl StrSet {
    /// How many distinct strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// String `i` (which must be below [`StrSet::len`]).
    #[inline]
    pub fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// The id of `s` when it is among the strings inserted or found lately (a quick check
    /// before hashing).
    #[inline]
    pub fn recent_id(&self, s: &str) -> Option<u32> {
        let id = self.recent[recent_slot(s)];
        (id != EMPTY && same(self.get(id).as_bytes(), s.as_bytes())).then_some(id)
    }

    /// Adds `s` if it is new; returns its id and whether it was new.
    #[inline]
    pub fn insert(&mut self, s: &str) -> (u32, bool) {
        match self.recent_id(s) {
            Some(id) => (id, false),
            None => self.insert_hashed(s),
        }
    }

    #[inline(never)]
    fn insert_hashed(&mut self, s: &str) -> (u32, bool) {
        if (self.len() + 1) * 2 > self.table.len() {
            self.grow();
        }
        let h = hash32(s);
        let mask = self.table.len() - 1;
        let mut at = self.slot(h);
        loop {
            let (id, th) = self.table[at];
            if id == EMPTY {
                break;
            }
            if th == h && same(self.get(id).as_bytes(), s.as_bytes()) {
                self.recent[recent_slot(s)] = id;
                return (id, false);
            }
            at = (at + 1) & mask;
        }
        let id = self.ends.len() as u32;
        self.text.push_str(s);
        self.ends.push(self.text.len());
        self.table[at] = (id, h);
        self.recent[recent_slot(s)] = id;
        (id, true)
    }

    /// The first slot to probe for a hash: its top bits (the hasher mixes upwards).
    fn slot(&self, h: u32) -> usize {
        let bits = self.table.len().trailing_zeros();
        if bits == 0 {
            0
        } else {
            (h >> (32 - bits)) as usize
        }
    }

    fn grow(&mut self) {
        let size = (self.table.len() * 2).max(16);
        let old = std::mem::replace(&mut self.table, vec![(EMPTY, 0); size]);
        let mask = size - 1;
        for (id, h) in old {
            if id == EMPTY {
                continue;
            }
            let mut at = self.slot(h);
            while self.table[at].0 != EMPTY {
                at = (at + 1) & mask;
            }
            self.table[at] = (id, h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_strings_in_order_of_first_sight_and_finds_them_again() {
        let mut s = StrSet::default();
        assert_eq!(s.recent_id(""), None);
        assert_eq!(s.insert("b"), (0, true));
        assert_eq!(s.insert(""), (1, true));
        assert_eq!(s.insert("a"), (2, true));
        assert_eq!(s.recent_id("a"), Some(2));
        assert_eq!(s.insert("b"), (0, false));
        assert_eq!(s.recent_id("a"), Some(2));
        assert_eq!(s.recent_id("c"), None);
        assert_eq!(s.insert(""), (1, false));
        assert_eq!(s.insert("a"), (2, false));
        assert_eq!(s.insert("ab"), (3, true));
        assert_eq!(
            (s.get(0), s.get(1), s.get(2), s.get(3)),
            ("b", "", "a", "ab")
        );
        assert_eq!(s.len(), 4);
    }

    #[test]
    fn same_agrees_with_equality_at_every_length_and_every_differing_byte() {
        for n in 0..70usize {
            let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(same(&a, &a.clone()), "length {n}");
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 0x40;
                assert!(!same(&a, &b), "length {n}, byte {at}");
            }
            let mut longer = a.clone();
            longer.push(b'z');
            assert!(!same(&a, &longer) && !same(&longer, &a), "length {n}");
        }
    }

    #[test]
    fn survives_growth_and_agrees_with_a_hash_map() {
        let mut s = StrSet::default();
        let mut m = std::collections::HashMap::new();
        for i in 0..20_000u32 {
            // Repeats, shared prefixes, multi-byte text.
            let v = format!("198.51.{}.{}é", i % 7_001, i % 13);
            let (id, new) = s.insert(&v);
            let before = m.len() as u32;
            let want = *m.entry(v.clone()).or_insert(before);
            assert_eq!(id, want);
            assert_eq!(new, want == before);
        }
        assert_eq!(s.len(), m.len());
        for (v, &id) in &m {
            assert_eq!(s.insert(v), (id, false));
            assert_eq!(s.get(id), v);
        }
        assert_eq!(s.len(), m.len());
    }
}
