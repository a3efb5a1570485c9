//! The set of events' merge keys ([`crate::evidence::UsageEvent::merge_key`]) a run has read:
//! sixteen bytes each, whatever the length of the ids they stand for.
//!
//! A million CloudTrail events make a table of tens of megabytes, larger than a core's cache,
//! so each lookup waits on memory. The keys are hashes already: a key's place is known as soon
//! as the key is, and [`KeySet::ahead`] asks for that memory early, while the next record is
//! read, so that [`KeySet::insert`] finds it in the cache.

/// A set of 128-bit keys: open addressing, linear probing, at most half full.
pub(crate) struct KeySet {
    /// The keys at their places; 0 marks an empty place (the key 0 is kept in `zero`).
    slots: Vec<u128>,
    /// Keys held, besides 0.
    len: usize,
    /// Whether the key 0 is held.
    zero: bool,
    /// The bits of a place: `slots.len() == 1 << bits` (0 before the first key).
    bits: u32,
    /// Mixed into every place, so that keys chosen to share low bits do not share places.
    seed: u64,
}

impl Default for KeySet {
    fn default() -> Self {
        use std::hash::{BuildHasher, Hasher};
        // A per-run value where the platform gives one (the page's wasm gives a fixed one).
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u8(0);
        KeySet {
            slots: Vec::new(),
            len: 0,
            zero: false,
            bits: 0,
            seed: h.finish() | 1,
        }
    }
}

/// The fewest places a table starts with.
const FIRST_BITS: u32 = 12;

impl KeySet {
    /// How many keys are held.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.len + usize::from(self.zero)
    }

    /// The place of `k` in a table of `1 << bits` places (`bits` ≥ 1).
    #[inline(always)]
    fn place(&self, k: u128, bits: u32) -> usize {
        let h = (k as u64 ^ ((k >> 64) as u64).rotate_left(32) ^ self.seed)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> (64 - bits)) as usize
    }

    /// Asks for the memory where `k` would be, so that a later [`KeySet::insert`] of it does
    /// not wait (a hint: nothing changes, and where the processor has no such hint, nothing
    /// happens).
    #[inline]
    pub(crate) fn ahead(&self, k: u128) {
        if self.bits == 0 {
            return;
        }
        let at = self.place(k, self.bits);
        #[cfg(target_arch = "x86_64")]
        if let Some(slot) = self.slots.get(at) {
            // SAFETY: a prefetch reads nothing and faults on no address; the pointer is in
            // bounds besides.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    (slot as *const u128).cast(),
                )
            }
        }
        let _ = at;
    }

    /// Adds `k`: true when it was not held.
    #[inline]
    pub(crate) fn insert(&mut self, k: u128) -> bool {
        if k == 0 {
            return !std::mem::replace(&mut self.zero, true);
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut at = self.place(k, self.bits);
        loop {
            let s = self.slots[at];
            if s == 0 {
                self.slots[at] = k;
                self.len += 1;
                return true;
            }
            if s == k {
                return false;
            }
            at = (at + 1) & mask;
        }
    }

    /// Doubles the table (or makes the first), placing every key again.
    #[cold]
    fn grow(&mut self) {
        let bits = if self.bits == 0 {
            FIRST_BITS
        } else {
            self.bits + 1
        };
        let old = std::mem::replace(&mut self.slots, written_zeros(1 << bits));
        self.bits = bits;
        let mask = self.slots.len() - 1;
        for k in old.into_iter().filter(|&k| k != 0) {
            let mut at = self.place(k, bits);
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = k;
        }
    }
}

/// `n` empty places, their memory written rather than asked for zeroed. Memory asked for
/// zeroed is mapped to the system's one page of zeros, so that a place read before it is
/// written (every probe does) is written later through a copy-on-write fault, and while other
/// threads run that fault stops each of them to flush its address cache. Written at once, each
/// page faults once, for a page of its own.
#[allow(
    clippy::slow_vector_initialization,
    reason = "`vec![0; n]` asks for zeroed memory, which is what this avoids"
)]
fn written_zeros(n: usize) -> Vec<u128> {
    let mut v = Vec::with_capacity(n);
    super::pages::huge(&mut v);
    v.resize(n, 0);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_each_key_once_across_growth_and_zero_too() {
        let mut s = KeySet::default();
        let key = |i: u128| (i + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
        // Past several doublings, each key new once and held after.
        for i in 0..100_000u128 {
            assert!(s.insert(key(i)), "new key {i}");
            s.ahead(key(i));
            assert!(!s.insert(key(i)), "held key {i}");
        }
        assert_eq!(s.len(), 100_000);
        for i in 0..100_000u128 {
            assert!(!s.insert(key(i)), "still held {i}");
        }
        assert!(s.insert(key(100_000)));
        // The empty mark is a key like any other to the caller.
        assert!(s.insert(0));
        assert!(!s.insert(0));
        assert_eq!(s.len(), 100_002);
        // Keys that differ in one half only are told apart.
        let mut t = KeySet::default();
        assert!(t.insert(1));
        assert!(t.insert(1 << 64));
        assert!(t.insert((1 << 64) | 1));
        assert!(!t.insert(1 << 64));
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn keys_that_share_their_low_bits_all_find_a_place() {
        // Every key the same in its low half and its high half's low bits: the seed and the
        // mix spread them; linear probing holds them all, whatever their places.
        let mut s = KeySet::default();
        for i in 0..20_000u128 {
            assert!(s.insert((i << 100) | 0xabcd));
        }
        for i in 0..20_000u128 {
            assert!(!s.insert((i << 100) | 0xabcd));
        }
        assert_eq!(s.len(), 20_000);
        assert!(s.slots.len() >= 2 * s.len(), "at most half full");
    }
}
