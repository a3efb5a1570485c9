//! Placeholders, documentation examples and other values that look like secrets but are not.

use super::structure::entropy;

/// Words that mark a value as a placeholder (checked case-insensitively).
const WORDS: &[&str] = &[
    "xxxx",
    "your",
    "example",
    "placeholder",
    "dummy",
    "sample",
    "changeme",
    "change_me",
    "redacted",
    "replace",
    "insert",
    "fake",
    "foobar",
    "secret_here",
    "key_here",
    "token_here",
    "<",
    ">",
    "${",
    "{{",
    "}}",
    "$(",
    "%s",
    "...",
    "***",
    "•",
    "…",
];

/// Whether a value is (or contains) a published documentation example.
fn documented(v: &str) -> bool {
    DOC_LITERAL_MARKERS.iter().any(|m| v.contains(m))
}

/// Fragments of public documentation values that are themselves safe to hold: the jwt.io
/// example signature, Azurite's published development storage key.
const DOC_LITERAL_MARKERS: &[&str] = &[
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq",
    "4eC39HqLyjWDarjtT1zdp7dc",
    // AWS documentation keys end in EXAMPLE / EXAMPLEKEY.
    "EXAMPLE",
];

/// Why a value is not a leak, or `None` when it may be one.
///
/// `body` is the part after a known prefix (the random part); `min_entropy` the rule's floor.
pub fn why_not_secret(value: &str, body: &str, min_entropy: f32) -> Option<&'static str> {
    let lower = value.to_ascii_lowercase();
    // Case-consistent, and standing as a word (a separator or an end on one side at least):
    // random keys hold "fake" or "Your" now and then, people write "your-key", "FAKE_TOKEN".
    if WORDS.iter().any(|w| has_word(value, w)) {
        return Some("placeholder word");
    }
    if documented(value) {
        return Some("documented example value");
    }
    if has_run(body, 6) {
        return Some("repeated characters");
    }
    if has_sequence(&lower) {
        return Some("sequential characters");
    }
    if body.len() >= 8 && entropy(body) < min_entropy {
        return Some("low entropy");
    }
    None
}

fn has_word(value: &str, w: &str) -> bool {
    if !w.bytes().all(|c| c.is_ascii_alphabetic()) {
        return value.contains(w);
    }
    let b = value.as_bytes();
    let sep = |i: Option<usize>| {
        i.and_then(|i| b.get(i))
            .is_none_or(|c| !c.is_ascii_alphanumeric())
    };
    [w.to_string(), w.to_ascii_uppercase(), capitalise(w)]
        .iter()
        .any(|v| {
            value
                .match_indices(v.as_str())
                .any(|(i, _)| sep(i.checked_sub(1)) || sep(Some(i + v.len())))
        })
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// Common placeholder passwords in URLs and connection strings.
pub fn common_password(v: &str) -> bool {
    const COMMON: &[&str] = &[
        "password", "passw0rd", "pass", "secret", "changeme", "admin", "root", "postgres", "mysql",
        "test", "guest", "user", "example", "default", "redis", "pwd", "letmein",
    ];
    let l = v.to_ascii_lowercase();
    // Short all-letter passwords in URLs are docs and test fixtures (`foo:bar@`).
    if v.len() < 6 && v.bytes().all(|c| c.is_ascii_alphabetic()) {
        return true;
    }
    COMMON
        .iter()
        .any(|c| l == *c || l.trim_end_matches(|ch: char| ch.is_ascii_digit()) == *c)
}

/// Whether some character repeats `n` times in a row.
fn has_run(s: &str, n: usize) -> bool {
    let b = s.as_bytes();
    let mut run = 1;
    for i in 1..b.len() {
        if b[i] == b[i - 1] {
            run += 1;
            if run >= n {
                return true;
            }
        } else {
            run = 1;
        }
    }
    false
}

fn has_sequence(lower: &str) -> bool {
    [
        "abcdefgh",
        "01234567",
        "12345678",
        "qwertyui",
        "abcdef0123",
        "0123456789abcdef",
    ]
    .iter()
    .any(|s| lower.contains(s))
}

/// Whether a body reads like an identifier (camelCase words) rather than random letters: about
/// as many vowels as English has, few capitals, and no
/// `ABc` runs. Random mixed-case letters pass this about once in 10,000.
pub fn looks_like_identifier(body: &str) -> bool {
    let b = body.as_bytes();
    let letters = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
    if letters < 12 {
        return false;
    }
    let vowels = b.iter().filter(|c| b"aeiouyAEIOUY".contains(c)).count();
    if vowels * 10 < letters * 3 {
        return false;
    }
    // Mostly lower case (camelCase); an all-capitals run of letters is as likely a random key.
    let upper = b.iter().filter(|c| c.is_ascii_uppercase()).count();
    if upper * 10 > letters * 3 {
        return false;
    }
    !b.windows(3).any(|w| {
        w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase() && w[2].is_ascii_lowercase()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        for v in [
            "sk-proj-xxxxxxxxxxxxxxxx",
            "your-api-key-here",
            "${OPENAI_API_KEY}",
            "AAAAAAAAAAAAAAAAAAAA",
            "sk-1234567890abcdef",
        ] {
            assert!(why_not_secret(v, v, 3.0).is_some(), "{v}");
        }
        assert!(why_not_secret("Xk9fQ2mZ7pL4sR8tV1wY", "Xk9fQ2mZ7pL4sR8tV1wY", 3.0).is_none());
    }

    #[test]
    fn identifiers_are_not_tokens() {
        assert!(looks_like_identifier(
            "requiredCharacteristicTypesOfTheDevice"
        ));
        assert!(!looks_like_identifier(
            "uQbXkRzTmWpLcVnHsYdGfJaEtBoIqNwMxZrK"
        ));
    }
}
