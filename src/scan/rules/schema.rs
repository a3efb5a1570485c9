//! The rule file format (docs/scan.md, "Rule files"), shared by the build script, which compiles
//! the built-in catalog (`src/scan/rules/*.toml`) into Rust, and by the loader of the rule files
//! responders bring. Self-contained on purpose (serde and std only): `build.rs` includes it.
//!
//! A file holds an optional `[defaults]` table and `[[rules]]` tables with the same fields; a
//! rule takes each field it does not set from `[defaults]`. The pattern is given either whole
//! (`pattern`, where `{keywords}` stands for the keywords, regex-escaped and joined by `|`) or,
//! for a value known only by the name it is assigned to, as `assigned_value`: the pattern is then
//! [`ASSIGNED_HEAD`] + the keywords + [`ASSIGNED_MIDDLE`] + the value + `)`.

use serde::Deserialize;

/// The opening of an `assigned_value` rule's pattern, before the keywords.
pub const ASSIGNED_HEAD: &str = r#"(?i)(?:"#;
/// Between the keywords and the value: up to 30 more name characters, an optional closing
/// quote, then `=`, `:`, `:=`, `=>`, `(` or `,` and an optional opening quote.
pub const ASSIGNED_MIDDLE: &str =
    r#")[A-Za-z0-9_.\-]{0,30}["'`]?\s*(?::=|=>|=|:|\(|,)\s*["'`]?(?-i:"#;

/// The placeholder for the keywords in a `pattern`.
pub const KEYWORDS: &str = "{keywords}";

/// One rule's fields as written (every one optional: `[defaults]` and the loader fill them).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    /// Stable id.
    pub id: Option<String>,
    /// The provider.
    pub provider: Option<String>,
    /// What it is, in a few words.
    pub title: Option<String>,
    /// The credential kind, by name (`inference_key`, `api_key`...).
    pub kind: Option<String>,
    /// Prefilter keywords, lower case.
    pub keywords: Option<Vec<String>>,
    /// The regex; `{keywords}` is replaced by the keywords.
    pub pattern: Option<String>,
    /// The value's regex, for a value known by the name it is assigned to.
    pub assigned_value: Option<String>,
    /// The structural check, by name.
    pub check: Option<String>,
    /// `low`, `medium` or `high`.
    pub confidence: Option<String>,
    /// Known only by context.
    pub context_only: Option<bool>,
    /// The secret spans lines.
    pub multiline: Option<bool>,
    /// Bytes around a keyword the regex looks at (0: the keyword's line).
    pub span: Option<usize>,
    /// On overlapping matches the higher wins.
    pub priority: Option<u8>,
    /// Minimum Shannon entropy (bits per character).
    pub min_entropy: Option<f32>,
    /// What such a credential can usually do.
    pub can_do: Option<String>,
    /// Where and how to revoke it.
    pub revoke: Option<String>,
    /// Generator shape of fake values.
    pub shape: Option<String>,
    /// A typical variable name holding it.
    pub var: Option<String>,
    /// Positive examples (`$S`: a fake of `shape`).
    pub examples: Option<Vec<String>>,
    /// Negative examples.
    pub negatives: Option<Vec<String>>,
    /// Public sources for the format, by title or address.
    pub sources: Option<Vec<String>>,
}

/// A whole rule file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    /// Values every rule takes unless it sets its own.
    #[serde(default)]
    pub defaults: Fields,
    /// The rules, in order.
    #[serde(default)]
    pub rules: Vec<Fields>,
}

/// One rule, complete, its pattern expanded; names (kind, check, confidence) still as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub id: String,
    pub provider: String,
    pub title: String,
    pub kind: String,
    pub keywords: Vec<String>,
    pub pattern: String,
    pub check: String,
    pub confidence: String,
    pub context_only: bool,
    pub multiline: bool,
    pub span: usize,
    pub priority: u8,
    pub min_entropy: f32,
    pub can_do: String,
    pub revoke: String,
    pub shape: String,
    pub var: String,
    pub examples: Vec<String>,
    pub negatives: Vec<String>,
    pub sources: Vec<String>,
}

/// What a field falls back to when neither the rule nor `[defaults]` sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// The built-in catalog: every descriptive field is required.
    Catalog,
    /// A responder's file: only `id`, `keywords` and the pattern are required; the rest is
    /// described as custom.
    User,
}

/// Escapes regex meta characters, as `regex::escape` does.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The keywords as a regex alternation (escaped, joined by `|`).
pub fn keyword_alternation(keywords: &[String]) -> String {
    keywords
        .iter()
        .map(|k| escape(k))
        .collect::<Vec<_>>()
        .join("|")
}

impl Fields {
    /// Each field not set here taken from `d`.
    pub fn or(self, d: &Fields) -> Fields {
        fn pick<T: Clone>(a: Option<T>, b: &Option<T>) -> Option<T> {
            a.or_else(|| b.clone())
        }
        Fields {
            id: self.id,
            provider: pick(self.provider, &d.provider),
            title: pick(self.title, &d.title),
            kind: pick(self.kind, &d.kind),
            keywords: pick(self.keywords, &d.keywords),
            pattern: pick(self.pattern, &d.pattern),
            assigned_value: pick(self.assigned_value, &d.assigned_value),
            check: pick(self.check, &d.check),
            confidence: pick(self.confidence, &d.confidence),
            context_only: pick(self.context_only, &d.context_only),
            multiline: pick(self.multiline, &d.multiline),
            span: pick(self.span, &d.span),
            priority: pick(self.priority, &d.priority),
            min_entropy: pick(self.min_entropy, &d.min_entropy),
            can_do: pick(self.can_do, &d.can_do),
            revoke: pick(self.revoke, &d.revoke),
            shape: pick(self.shape, &d.shape),
            var: pick(self.var, &d.var),
            examples: pick(self.examples, &d.examples),
            negatives: pick(self.negatives, &d.negatives),
            sources: pick(self.sources, &d.sources),
        }
    }

    /// The complete rule, or what is missing or wrong (the message does not name the rule).
    pub fn resolve(self, fallback: Fallback) -> Result<Spec, String> {
        let id = self.id.filter(|s| !s.trim().is_empty()).ok_or("no `id`")?;
        let keywords = self.keywords.unwrap_or_default();
        if keywords.is_empty() || keywords.iter().any(|k| k.is_empty()) {
            return Err("no `keywords` (the prefilter needs at least one, none empty)".into());
        }
        if let Some(k) = keywords.iter().find(|k| k.to_lowercase() != **k) {
            return Err(format!("keyword `{k}` is not lower case"));
        }
        let pattern = match (self.pattern, self.assigned_value) {
            (Some(p), None) => p.replace(KEYWORDS, &keyword_alternation(&keywords)),
            (None, Some(v)) => format!(
                "{ASSIGNED_HEAD}{}{ASSIGNED_MIDDLE}{v})",
                keyword_alternation(&keywords)
            ),
            (Some(_), Some(_)) => return Err("both `pattern` and `assigned_value`".into()),
            (None, None) => return Err("no `pattern` (or `assigned_value`)".into()),
        };
        let catalog = fallback == Fallback::Catalog;
        let text = |v: Option<String>, name: &str, user: &str| -> Result<String, String> {
            match v {
                Some(s) => Ok(s),
                None if catalog => Err(format!("no `{name}`")),
                None => Ok(user.to_string()),
            }
        };
        let title = text(self.title, "title", &id)?;
        Ok(Spec {
            provider: text(self.provider, "provider", "custom")?,
            kind: text(self.kind, "kind", "custom")?,
            check: self.check.unwrap_or_else(|| "none".into()),
            confidence: self.confidence.unwrap_or_else(|| "medium".into()),
            context_only: self.context_only.unwrap_or(false),
            multiline: self.multiline.unwrap_or(false),
            span: self.span.unwrap_or(0),
            priority: self.priority.unwrap_or(50),
            min_entropy: self.min_entropy.unwrap_or(3.0),
            can_do: text(
                self.can_do,
                "can_do",
                "unknown: whatever the service that issued it grants",
            )?,
            revoke: text(
                self.revoke,
                "revoke",
                "identify the issuing service and rotate the credential there",
            )?,
            shape: text(self.shape, "shape", "")?,
            var: self.var.unwrap_or_else(|| "API_KEY".into()),
            examples: match self.examples {
                Some(v) => v,
                None if catalog => return Err("no `examples`".into()),
                None => Vec::new(),
            },
            negatives: match self.negatives {
                Some(v) => v,
                None if catalog => return Err("no `negatives`".into()),
                None => Vec::new(),
            },
            sources: self.sources.unwrap_or_default(),
            title,
            keywords,
            pattern,
            id,
        })
    }
}

/// The name of an enum variant as written in rule files (`OpenAiMarker` -> `open_ai_marker`).
pub fn snake_name(variant: &str) -> String {
    let mut out = String::new();
    for (i, c) in variant.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The variant named in a rule file (`open_ai_marker` -> `OpenAiMarker`).
pub fn variant_name(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(toml_text: &str) -> Fields {
        toml::from_str(toml_text).expect("fields")
    }

    #[test]
    fn assigned_value_and_the_keywords_placeholder_expand() {
        let s = fields("id = 'a'\nkeywords = ['z.ai', 'glm']\nassigned_value = '([0-9]{4})'")
            .resolve(Fallback::User)
            .unwrap();
        assert_eq!(
            s.pattern,
            format!("{ASSIGNED_HEAD}z\\.ai|glm{ASSIGNED_MIDDLE}([0-9]{{4}}))")
        );
        assert_eq!(
            (s.provider.as_str(), s.kind.as_str(), s.title.as_str()),
            ("custom", "custom", "a")
        );
        let s = fields("id = 'b'\nkeywords = ['ab-']\npattern = '\\b({keywords}[0-9]{4})'")
            .resolve(Fallback::User)
            .unwrap();
        assert_eq!(s.pattern, "\\b(ab\\-[0-9]{4})");
        assert_eq!((s.priority, s.min_entropy, s.span), (50, 3.0, 0));
    }

    #[test]
    fn defaults_fill_what_a_rule_leaves_out_and_the_catalog_requires_more() {
        let d = fields("provider = 'P'\npriority = 60");
        let s = fields("id = 'c'\nkeywords = ['c']\npattern = 'c'\npriority = 70")
            .or(&d)
            .resolve(Fallback::User)
            .unwrap();
        assert_eq!((s.provider.as_str(), s.priority), ("P", 70));
        let err = |t: &str, f| fields(t).resolve(f).unwrap_err();
        assert_eq!(
            err(
                "id = 'c'\nkeywords = ['c']\npattern = 'c'",
                Fallback::Catalog
            ),
            "no `title`"
        );
        assert_eq!(
            err("id = 'c'\npattern = 'c'", Fallback::User),
            "no `keywords` (the prefilter needs at least one, none empty)"
        );
        assert_eq!(
            err("id = 'c'\nkeywords = ['C']\npattern = 'c'", Fallback::User),
            "keyword `C` is not lower case"
        );
        assert_eq!(
            err(
                "id = 'c'\nkeywords = ['c']\npattern = 'c'\nassigned_value = 'c'",
                Fallback::User
            ),
            "both `pattern` and `assigned_value`"
        );
        assert_eq!(
            err("keywords = ['c']\npattern = 'c'", Fallback::User),
            "no `id`"
        );
    }
}
