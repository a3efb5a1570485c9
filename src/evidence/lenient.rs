//! Trailing commas: JSON copied from documentation (API reference examples, hand-edited
//! pastes) often carries a comma after the last member of an object or array, which JSON does
//! not allow. Such a comma changes no value, so a document that fails to parse is read again
//! with those commas blanked out, and each one is reported as a problem on its line. Nothing
//! else is forgiven: any other syntax error still stops the read where it is.

use super::out::{Loc, Out};

/// At most this many trailing commas of one text are named one by one.
const MAX_NAMED: usize = 10;

/// A text with its trailing commas blanked out (replaced by a space, so every byte offset,
/// line and column stays where it was), and the 1-based line of each comma.
pub struct Fixed {
    /// The text without the commas.
    pub text: String,
    /// The line of each comma removed, in order.
    pub lines: Vec<u64>,
}

/// True when a parser's error at `line` and `column` (1-based, as serde_json reports them) lies
/// at a trailing comma: a `,` followed, past whitespace, by `}` or `]`, with the error on the
/// comma or on the bracket. Only then can [`without_trailing_commas`] get a read further: up
/// to the first error the text parsed, so it held no trailing comma before it. A document that
/// is not JSON at all (source code that happens to start with `{`) fails elsewhere and is not
/// walked a second time.
pub fn at_trailing_comma(text: &str, line: usize, column: usize) -> bool {
    let b = text.as_bytes();
    let mut start = 0usize;
    for _ in 1..line.max(1) {
        match memchr::memchr(b'\n', &b[start..]) {
            Some(i) => start += i + 1,
            None => return false,
        }
    }
    let at = (start + column).min(b.len());
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    (at.saturating_sub(2)..(at + 2).min(b.len())).any(|i| match b[i] {
        b'}' | b']' => b[..i].iter().rev().find(|&&c| !ws(c)) == Some(&b','),
        b',' => b[i + 1..]
            .iter()
            .find(|&&c| !ws(c))
            .is_some_and(|&c| c == b'}' || c == b']'),
        _ => false,
    })
}

/// `text` without its trailing commas (a `,` followed, past whitespace, by `}` or `]`, outside
/// strings), or `None` when it has none.
pub fn without_trailing_commas(text: &str) -> Option<Fixed> {
    let b = text.as_bytes();
    let mut found: Vec<(usize, u64)> = Vec::new();
    let mut line = 1u64;
    let mut in_str = false;
    let mut escaped = false;
    let mut pending: Option<(usize, u64)> = None;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' {
            line += 1;
        }
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'}' | b']' => {
                if let Some(p) = pending.take() {
                    found.push(p);
                }
            }
            b',' => pending = Some((i, line)),
            b'"' => {
                pending = None;
                in_str = true;
            }
            _ => pending = None,
        }
    }
    if found.is_empty() {
        return None;
    }
    let mut bytes = b.to_vec();
    for &(i, _) in &found {
        bytes[i] = b' ';
    }
    // Only ASCII commas became ASCII spaces: the text is still UTF-8.
    let text = String::from_utf8(bytes).ok()?;
    Some(Fixed {
        text,
        lines: found.into_iter().map(|(_, l)| l).collect(),
    })
}

/// Reports each trailing comma read as absent; `line` places them all on one line (a JSON
/// Lines line) instead of the line each was found on.
pub fn report(out: &mut Out, fixed: &Fixed, line: Option<u64>, record: Option<u64>) {
    for &l in fixed.lines.iter().take(MAX_NAMED) {
        out.problem(
            Loc {
                line: Some(line.unwrap_or(l)),
                record,
            },
            None,
            "trailing comma after the last item of an object or array (not allowed in JSON); read as if it were absent".into(),
        );
    }
    if fixed.lines.len() > MAX_NAMED {
        out.problem(
            Loc {
                line: Some(line.unwrap_or(fixed.lines[MAX_NAMED])),
                record,
            },
            None,
            format!(
                "{} more trailing comma(s) read as if absent",
                fixed.lines.len() - MAX_NAMED
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_only_commas_before_a_closing_bracket_outside_strings() {
        let text = "{\"a\": [1, 2,\n],\n \"b\": \"x,}\",\n \"c\": {\"d\": \"\\\",]\",\n}\n}";
        let f = without_trailing_commas(text).unwrap();
        assert_eq!(f.lines, [1, 4]);
        assert_eq!(f.text.len(), text.len());
        let v: serde_json::Value = serde_json::from_str(&f.text).unwrap();
        assert_eq!(v["b"], "x,}");
        assert_eq!(v["c"]["d"], "\",]");
        assert_eq!(v["a"], serde_json::json!([1, 2]));
    }

    fn error_of(text: &str) -> serde_json::Error {
        serde_json::from_str::<serde_json::Value>(text).unwrap_err()
    }

    #[test]
    fn an_error_at_a_trailing_comma_is_told_from_other_errors() {
        for text in [
            "{\"a\": [1, 2,]}",
            "{\"a\": 1,\n\n   }",
            "[\n  {\"b\": \"x\"},\n]",
            "{\"a\": {\"b\": 1,}}",
        ] {
            let e = error_of(text);
            assert!(at_trailing_comma(text, e.line(), e.column()), "{text}: {e}");
        }
        for text in [
            "{\"a\": 1 \"b\": 2}",
            "fn main() { let a = [1, 2,]; }",
            "{\"a\": tru}",
        ] {
            let e = error_of(text);
            assert!(
                !at_trailing_comma(text, e.line(), e.column()),
                "{text}: {e}"
            );
        }
    }

    #[test]
    fn valid_json_and_other_errors_are_left_alone() {
        assert!(without_trailing_commas("{\"a\": [1, 2], \"b\": \"],\"}").is_none());
        assert!(without_trailing_commas("{\"a\": 1 \"b\": 2}").is_none());
        // A doubled comma is not a trailing one: still invalid after the fix.
        let f = without_trailing_commas("[1,,]").unwrap();
        assert!(serde_json::from_str::<serde_json::Value>(&f.text).is_err());
    }
}
