//! String literals per dialect. The values are checked against their shapes before they get
//! here ([`super::values`]); quoting is the second wall, so a value that passed a shape check it
//! should not have still cannot end its literal.

/// A standard SQL string literal (Trino for Athena, CloudTrail Lake): single quotes, a quote
/// doubled; a backslash is an ordinary character there.
pub fn sql(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("''"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A Spark SQL (or BigQuery) string literal: they read `\'` and `\\` escapes.
pub fn spark(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A KQL or SPL string literal: double quotes, `"` and `\` escaped with a backslash.
pub fn double(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A comma-separated list of literals.
pub fn list(items: &[String], lit: fn(&str) -> String) -> String {
    items.iter().map(|s| lit(s)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `lit` holds exactly one literal: after its opening quote, no unescaped closing
    /// quote before the last character.
    fn one_literal(lit: &str, q: char, doubled: bool, backslash: bool) -> bool {
        let inner: Vec<char> = lit.chars().collect();
        if inner.len() < 2 || inner[0] != q || inner[inner.len() - 1] != q {
            return false;
        }
        let body = &inner[1..inner.len() - 1];
        let mut i = 0;
        while i < body.len() {
            match body[i] {
                '\\' if backslash => i += 2,
                c if c == q && doubled && body.get(i + 1) == Some(&q) => i += 2,
                c if c == q => return false,
                _ => i += 1,
            }
        }
        true
    }

    #[test]
    fn hostile_values_stay_inside_their_literal() {
        for v in [
            "x' OR '1'='1",
            "x\\' OR 1=1 --",
            "a\"b",
            "a\\\"; drop",
            "plain",
            "back\\slash",
            "new\nline",
        ] {
            assert!(one_literal(&sql(v), '\'', true, false), "{}", sql(v));
            assert!(one_literal(&spark(v), '\'', false, true), "{}", spark(v));
            assert!(one_literal(&double(v), '"', false, true), "{}", double(v));
            assert!(!sql(v).contains('\n'));
        }
        assert_eq!(sql("it's"), "'it''s'");
        assert_eq!(spark("it's"), "'it\\'s'");
        assert_eq!(double("say \"hi\""), "\"say \\\"hi\\\"\"");
    }
}
