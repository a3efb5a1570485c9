//! The fields of one JSON record read in a single pass, for a reader that wants a few fields.
//! The strings it hands out borrow from the record. It checks the grammar as it goes (a line of
//! JSON Lines reaches a reader unchecked), and anything it does not read plainly (text that is
//! not well formed, an escape or a control character in a string it is asked for, a value of
//! another type than asked, a field given twice) makes it give up, and the reader then parses
//! the record as it would have without it. So what a reader builds from a record never
//! depends on which of the two read it.

use super::json::{past_ws, string_stop, value_end};

/// A JSON text being read from its start.
pub struct Record<'a> {
    text: &'a str,
    i: usize,
}

/// A string value, `null`, or a value of another kind (passed over).
#[derive(Debug, PartialEq)]
pub enum Scalar<'a> {
    /// A string without escapes.
    Str(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A number, an object or an array.
    Other,
}

impl<'a> Record<'a> {
    /// The record `text`.
    pub fn new(text: &'a str) -> Self {
        Record { text, i: 0 }
    }

    fn b(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    #[inline]
    fn ws(&mut self) {
        self.i = past_ws(self.b(), self.i);
    }

    #[inline]
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b().get(self.i).copied()
    }

    /// The string at the cursor (at its opening quote), when it holds no escape and no control
    /// character.
    #[inline]
    fn plain_string(&mut self) -> Option<&'a str> {
        let start = self.i + 1;
        let end = string_stop(self.b(), start, true)?;
        if self.b()[end] != b'"' {
            return None;
        }
        self.i = end + 1;
        self.text.get(start..end)
    }

    /// Past the value at the cursor, whatever it is, when it is well formed (`None` when not:
    /// a line of JSON Lines reaches its reader unchecked).
    pub fn skip(&mut self) -> Option<()> {
        self.ws();
        self.i = value_end(self.b(), self.i)?;
        Some(())
    }

    /// The literal `word` at the cursor.
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.b().get(self.i..)?.starts_with(word).then_some(())?;
        self.i += word.len();
        Some(())
    }

    /// The value at the cursor as a scalar (`None`: a string with an escape).
    pub fn scalar(&mut self) -> Option<Scalar<'a>> {
        match self.peek()? {
            b'"' => self.plain_string().map(Scalar::Str),
            b't' => self.literal(b"true").map(|()| Scalar::Bool(true)),
            b'f' => self.literal(b"false").map(|()| Scalar::Bool(false)),
            b'n' => self.literal(b"null").map(|()| Scalar::Null),
            _ => {
                self.skip()?;
                Some(Scalar::Other)
            }
        }
    }

    /// A string field's value: `Some(None)` for `null`, `None` (give up) for an escaped string
    /// or a value of another kind.
    pub fn opt_str(&mut self) -> Option<Option<&'a str>> {
        match self.scalar()? {
            Scalar::Str(s) => Some(Some(s)),
            Scalar::Null => Some(None),
            _ => None,
        }
    }

    /// A boolean field's value: `Some(None)` for `null`, `None` (give up) for another kind.
    pub fn opt_bool(&mut self) -> Option<Option<bool>> {
        match self.scalar()? {
            Scalar::Bool(b) => Some(Some(b)),
            Scalar::Null => Some(None),
            _ => None,
        }
    }

    /// Whether the value at the cursor is `null` (then passed over).
    pub fn null(&mut self) -> Option<bool> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(true);
        }
        Some(false)
    }

    /// Each field of the object at the cursor: `field(self, name)` must read or pass over its
    /// value and return `None` to give up. Gives up when the value is not an object, when a
    /// name has an escape, or when `field` does.
    pub fn object(
        &mut self,
        mut field: impl FnMut(&mut Self, &'a str) -> Option<()>,
    ) -> Option<()> {
        if self.peek()? != b'{' {
            return None;
        }
        self.i += 1;
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            if self.peek()? != b'"' {
                return None;
            }
            let name = self.plain_string()?;
            if self.peek()? != b':' {
                return None;
            }
            self.i += 1;
            field(self, name)?;
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Each field of the object at the cursor named in `names`: `each(self, i)` reads the value
    /// of `names[i]` (at most 64 names); the others are passed over. Gives up as
    /// [`Record::object`] does, and at a field of `names` given twice.
    pub fn fields<const N: usize>(
        &mut self,
        names: [&str; N],
        mut each: impl FnMut(&mut Self, usize) -> Option<()>,
    ) -> Option<()> {
        const { assert!(N <= 64) };
        let mut given = 0u64;
        self.object(|r, name| {
            let Some(i) = names.iter().position(|n| *n == name) else {
                return r.skip();
            };
            if given & (1 << i) != 0 {
                return None;
            }
            given |= 1 << i;
            each(r, i)
        })
    }

    /// Whether nothing but white space is left.
    pub fn at_end(&mut self) -> bool {
        self.ws();
        self.i == self.text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Option<Vec<(String, String)>> {
        let mut r = Record::new(text);
        let mut got = Vec::new();
        r.object(|r, name| {
            let v = match r.scalar()? {
                Scalar::Str(s) => format!("s:{s}"),
                Scalar::Bool(b) => format!("b:{b}"),
                Scalar::Null => "null".into(),
                Scalar::Other => "other".into(),
            };
            got.push((name.to_string(), v));
            Some(())
        })?;
        r.at_end().then_some(got)
    }

    #[test]
    fn reads_strings_literals_and_passes_over_the_rest() {
        let got = fields(
            r#" { "a" : "x", "b":true,"c":null, "d": [1, {"e": "f\"]}"}, []], "g": -1.5e3,
                "h": {"i": {"j": "\\"}}, "k":false } "#,
        )
        .unwrap();
        let want = [
            ("a", "s:x"),
            ("b", "b:true"),
            ("c", "null"),
            ("d", "other"),
            ("g", "other"),
            ("h", "other"),
            ("k", "b:false"),
        ];
        assert_eq!(
            got,
            want.map(|(a, b)| (a.to_string(), b.to_string())).to_vec()
        );
        assert_eq!(fields("{}").unwrap(), vec![]);
    }

    #[test]
    fn gives_up_on_an_escaped_string_or_name_asked_for() {
        assert_eq!(fields(r#"{"a":"x\ny"}"#), None);
        assert_eq!(fields(r#"{"a\u0062":"x"}"#), None);
        assert_eq!(fields(r#"["a"]"#), None);
        // Passed over, an escape is no matter.
        assert!(fields(r#"{"a":["x\ny"]}"#).is_some());
    }

    #[test]
    fn gives_up_on_text_that_is_not_well_formed() {
        for bad in [
            r#"{"a":tru}"#,
            r#"{"a":[}"#,
            r#"{"a":{]}"#,
            r#"{"a":01}"#,
            r#"{"a":-}"#,
            r#"{"a":"x" "b":1}"#,
            r#"{"a":["\q"]}"#,
            "{\"a\":\"x\u{1}y\"}",
            r#"{"a":1}}"#,
            r#"{"a":1"#,
            r#"{"a" 1}"#,
            r#"{"a":nul}"#,
        ] {
            assert_eq!(fields(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_field_asked_for_given_twice_is_told() {
        fn read(text: &str) -> Option<Vec<(usize, Scalar<'_>)>> {
            let mut got = Vec::new();
            Record::new(text)
                .fields(["a", "b"], |r, i| {
                    got.push((i, r.scalar()?));
                    Some(())
                })
                .map(|()| got)
        }
        assert_eq!(
            read(r#"{"b":"x","c":1,"c":2,"a":null}"#),
            Some(vec![(1, Scalar::Str("x")), (0, Scalar::Null)])
        );
        assert_eq!(read(r#"{"a":1,"b":2,"a":3}"#), None);
    }
}
