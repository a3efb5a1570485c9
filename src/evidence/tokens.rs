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

/// A value holding no other, as the hand walk read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A string without an escape.
    Str,
    /// A string with at least one escape.
    Escaped,
    /// A number.
    Number,
    /// `true`.
    True,
    /// `false`.
    False,
    /// `null`.
    Null,
}

/// What the hand walk tells of the tokens it reads: nothing, a [`Tokens`], a reader of the
/// records' fields, or two of these. Positions are byte offsets into the text walked.
pub(crate) trait Ear {
    /// The walk of `text` starts.
    #[inline(always)]
    fn begin(&mut self, _text: &str) {}
    /// A record starts (an object element of the array of records, or the outer object).
    fn record(&mut self);
    /// A field name, at `at..end` of `b` (the text walked); `escaped`: it holds an escape.
    fn name(&mut self, b: &[u8], at: usize, end: usize, escaped: bool);
    /// A value holding no other, at `at..end` (a string's, between its quotes).
    fn value(&mut self, at: usize, end: usize, tok: Tok);
    /// An object (`object`) or an array opens at `at`.
    #[inline(always)]
    fn open(&mut self, _at: usize, _object: bool) {}
    /// The innermost open object or array closes; `end` is past its closing bracket.
    #[inline(always)]
    fn close(&mut self, _end: usize) {}
}

/// Tells nothing (a walk nobody listens to costs nothing more).
pub(crate) struct Deaf;

impl Ear for Deaf {
    #[inline(always)]
    fn record(&mut self) {}
    #[inline(always)]
    fn name(&mut self, _: &[u8], _: usize, _: usize, _: bool) {}
    #[inline(always)]
    fn value(&mut self, _: usize, _: usize, _: Tok) {}
}

impl Ear for dyn Tokens + '_ {
    #[inline]
    fn record(&mut self) {
        Tokens::record(self)
    }
    #[inline]
    fn name(&mut self, _: &[u8], at: usize, end: usize, _: bool) {
        Tokens::name(self, at, end)
    }
    #[inline]
    fn value(&mut self, at: usize, end: usize, tok: Tok) {
        Tokens::value(self, at, end, matches!(tok, Tok::Str | Tok::Escaped))
    }
}

/// Two ears hearing one walk, the first first.
pub(crate) struct Both<'x, A: ?Sized, B: ?Sized>(pub &'x mut A, pub &'x mut B);

impl<A: Ear + ?Sized, B: Ear + ?Sized> Ear for Both<'_, A, B> {
    #[inline(always)]
    fn begin(&mut self, text: &str) {
        self.0.begin(text);
        self.1.begin(text);
    }
    #[inline(always)]
    fn record(&mut self) {
        self.0.record();
        self.1.record();
    }
    #[inline(always)]
    fn name(&mut self, b: &[u8], at: usize, end: usize, escaped: bool) {
        self.0.name(b, at, end, escaped);
        self.1.name(b, at, end, escaped);
    }
    #[inline(always)]
    fn value(&mut self, at: usize, end: usize, tok: Tok) {
        self.0.value(at, end, tok);
        self.1.value(at, end, tok);
    }
    #[inline(always)]
    fn open(&mut self, at: usize, object: bool) {
        self.0.open(at, object);
        self.1.open(at, object);
    }
    #[inline(always)]
    fn close(&mut self, end: usize) {
        self.0.close(end);
        self.1.close(end);
    }
}
