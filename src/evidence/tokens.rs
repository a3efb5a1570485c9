//! A listener to the tokens of a JSON document while its records are walked: what a later
//! stage would otherwise read the same text again for (the scan's digest of a usage export).

/// Hears each field name and each value holding no other of one JSON text, in the order of the
/// text, as the hand walk of its records reads them ([`super::json`]). Positions are byte
/// offsets into that text; a string's are of its bytes between the quotes, as written (escapes
/// left as they are).
pub trait Tokens {
    /// Whether it listens to a walk of `text` (the text it was made for, not a part or a copy).
    fn listens(&self, text: &str) -> bool;
    /// A record of the document starts (an object that is an element of its array of records,
    /// or the document's outer object).
    fn record(&mut self);
    /// A field name, at `at..end`.
    fn name(&mut self, at: usize, end: usize);
    /// A string (`quoted`), a number, `true`, `false` or `null`, at `at..end`.
    fn value(&mut self, at: usize, end: usize, quoted: bool);
    /// Every token of the text was given, in order.
    fn whole(&mut self);
    /// What it made of the tokens, when it heard every one (`None`: it did not).
    fn finish(self: Box<Self>) -> Option<Vec<u8>>;
}

/// What the hand walk tells of the tokens it reads: nothing, or a [`Tokens`].
pub(crate) trait Ear {
    fn record(&mut self);
    fn name(&mut self, at: usize, end: usize);
    fn value(&mut self, at: usize, end: usize, quoted: bool);
}

/// Tells nothing (a walk nobody listens to costs nothing more).
pub(crate) struct Deaf;

impl Ear for Deaf {
    #[inline(always)]
    fn record(&mut self) {}
    #[inline(always)]
    fn name(&mut self, _: usize, _: usize) {}
    #[inline(always)]
    fn value(&mut self, _: usize, _: usize, _: bool) {}
}

impl Ear for dyn Tokens + '_ {
    #[inline]
    fn record(&mut self) {
        Tokens::record(self)
    }
    #[inline]
    fn name(&mut self, at: usize, end: usize) {
        Tokens::name(self, at, end)
    }
    #[inline]
    fn value(&mut self, at: usize, end: usize, quoted: bool) {
        Tokens::value(self, at, end, quoted)
    }
}
