//! Placeholders, documentation examples and other values that look like secrets but are not.

use super::structure::entropy;

/// Words that mark a value as a placeholder where they begin its random part (`AIzaSyFAKE1…`,
/// `sk-proj-your-key`), end it (`…EXAMPLEKEY`), or stand among other words only
/// (`your-api-key-here`). Checked case-insensitively; elsewhere in a random key they are chance.
const WORDS: &[&str] = &[
    "your",
    "example",
    "placeholder",
    "dummy",
    "sample",
    "changeme",
    "redacted",
    "replace",
    "insert",
    "fake",
    "foobar",
    "invalid",
];

/// Marks that make a value a placeholder wherever they stand (case-insensitive; `xxxx` only in
/// one case, as random mixed-case keys hold `xXxX` now and then).
const MARKS: &[&str] = &[
    "change_me",
    "secret_here",
    "key_here",
    "token_here",
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
    DOC_LITERAL_MARKERS.iter().any(|m| v.contains(m)) || known_public(v)
}

/// Fragments of public documentation values that are themselves safe to hold: the jwt.io
/// example signature, Azurite's published development storage key.
const DOC_LITERAL_MARKERS: &[&str] = &[
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq",
    "4eC39HqLyjWDarjtT1zdp7dc",
];

/// The known-public list (`rules/known_public.tsv`): SHA-256 digests of values published in
/// documentation or samples and allow-listed by other scanners, each with its source.
const KNOWN_PUBLIC: &str = include_str!("rules/known_public.tsv");

/// The digests of [`KNOWN_PUBLIC`], sorted.
fn known_public_digests() -> &'static [[u8; 32]] {
    static D: std::sync::OnceLock<Vec<[u8; 32]>> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let mut v: Vec<[u8; 32]> = KNOWN_PUBLIC
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| hex32(l.split('\t').next()?))
            .collect();
        v.sort_unstable();
        v
    })
}

fn hex32(h: &str) -> Option<[u8; 32]> {
    let h = h.trim().as_bytes();
    if h.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in h.chunks(2).enumerate() {
        let s = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

/// Whether a value is on the known-public list.
pub fn known_public(v: &str) -> bool {
    use sha2::{Digest, Sha256};
    if !(16..=256).contains(&v.len()) {
        return false;
    }
    let d: [u8; 32] = Sha256::digest(v.as_bytes()).into();
    known_public_digests().binary_search(&d).is_ok()
}

/// Why a value is not a leak, or `None` when it may be one.
///
/// `body` is the part after a known prefix (the random part); `min_entropy` the rule's floor.
/// The value alone is judged, never the words around it on its line.
pub fn why_not_secret(value: &str, body: &str, min_entropy: f32) -> Option<&'static str> {
    let lower = value.to_ascii_lowercase();
    if documented(value) {
        return Some("documented example value");
    }
    if MARKS.iter().any(|m| lower.contains(m))
        || value.contains("xxxx")
        || value.contains("XXXX")
        || has_angle_placeholder(value)
    {
        return Some("placeholder word");
    }
    let prefix = crate::secret::public_prefix(value);
    let rest = if prefix.is_empty() {
        body.to_ascii_lowercase()
    } else {
        lower[prefix.len()..].to_string()
    };
    if placeholder_words(&rest) || placeholder_words(&lower) {
        return Some("placeholder word");
    }
    if has_run(body, 6) {
        return Some("repeated characters");
    }
    let rest_as_written = if prefix.is_empty() {
        body
    } else {
        &value[prefix.len()..]
    };
    if has_sequence(&lower) || ascending_runs(rest_as_written) >= 3 {
        return Some("sequential characters");
    }
    if body.len() >= 8 && entropy(body) < min_entropy {
        return Some("low entropy");
    }
    None
}

/// A placeholder word at the start or the end of `rest` (lower case), or among words only.
fn placeholder_words(rest: &str) -> bool {
    let rest = rest.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if WORDS
        .iter()
        .any(|w| rest.starts_with(w) || rest.ends_with(w))
    {
        return true;
    }
    let parts: Vec<&str> = rest
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    parts.iter().any(|p| WORDS.contains(p))
        && parts
            .iter()
            .all(|p| p.len() <= 12 && p.bytes().all(|c| c.is_ascii_alphabetic()))
}

/// `<your-key>`, `<TOKEN>`: a word in angle brackets.
fn has_angle_placeholder(v: &str) -> bool {
    let b = v.as_bytes();
    let mut open = None;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'<' => open = Some(i),
            b'>' => {
                if let Some(o) = open {
                    if i > o + 1 {
                        return true;
                    }
                }
                open = None;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b' ' => {}
            _ => open = None,
        }
    }
    false
}

/// Runs of three ascending characters (`abc`, `123`, `xyz`), not overlapping, as written: typed
/// by hand. Random base62 text of 100 characters holds three about once in 300,000.
fn ascending_runs(s: &str) -> usize {
    let b = s.as_bytes();
    let (mut n, mut i) = (0, 0);
    while i + 2 < b.len() {
        if b[i].is_ascii_alphanumeric() && b[i + 1] == b[i] + 1 && b[i + 2] == b[i] + 2 {
            n += 1;
            i += 3;
        } else {
            i += 1;
        }
    }
    n
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

    fn random(n: usize, seed: u64) -> String {
        crate::scan::fake::Rng::new(seed).string(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            n,
        )
    }

    #[test]
    fn the_value_is_judged_not_a_word_inside_it() {
        // Hand-typed: a placeholder word where the random part begins, typed sequences.
        let google = format!("AIzaSyFAKE1{}", random(28, 1));
        assert_eq!(
            why_not_secret(&google, &google, 3.0),
            Some("placeholder word")
        );
        let anthropic = format!("sk-ant-api03-abc123xyz789{}AA", random(81, 2));
        assert!(why_not_secret(&anthropic, &anthropic[13..], 3.0).is_some());
        // A real-shaped key that happens to hold a word in its middle is kept.
        let admin = format!("sk-ant-admin01-{}-fake-{}AA", random(40, 3), random(47, 4));
        assert_eq!(why_not_secret(&admin, &admin[15..], 3.0), None);
        let shouting = format!("ghp_{}FAKE{}", random(16, 5), random(16, 6));
        assert_eq!(why_not_secret(&shouting, &shouting[4..], 3.0), None);
        // Words among words only, and words in angle brackets.
        for v in [
            "sk-proj-your-key-here",
            "<YOUR_API_KEY>",
            "token-goes-here-example",
        ] {
            assert!(why_not_secret(v, v, 3.0).is_some(), "{v}");
        }
    }

    #[test]
    fn a_multi_line_key_is_not_dropped_for_its_comment() {
        let putty = format!(
            "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: dummy-key\n\
             Public-Lines: 1\n{}\nPrivate-Lines: 1\n{}\nPrivate-MAC: 6730c52e494d",
            random(64, 7),
            random(64, 8)
        );
        assert_eq!(why_not_secret(&putty, "", 3.0), None);
    }

    #[test]
    fn known_public_values_are_documented() {
        // AWS's documentation key pair.
        for v in [
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ] {
            assert!(known_public(v), "{v}");
            assert_eq!(why_not_secret(v, v, 3.0), Some("documented example value"));
        }
        // The PASERK secret key Rust's asymmetric-token RFC prints as its example, which
        // cargo's test suite uses; another key of the same shape is not on the list.
        let rfc = "k3.secret.fNYVuMvBgOlljt9TDohnaYLblghqaHoQquVZwgR6X12cBFHZLFsaU3q7X3k1Zn36";
        assert_eq!(
            why_not_secret(rfc, rfc, 3.0),
            Some("documented example value")
        );
        let other = format!("k3.secret.{}", random(64, 11));
        assert!(!known_public(&other));
        let listed = KNOWN_PUBLIC
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .count();
        assert_eq!(
            known_public_digests().len(),
            listed,
            "every row has a digest"
        );
        assert!(KNOWN_PUBLIC
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .all(|l| l.split('\t').count() == 3 && !l.split('\t').nth(2).unwrap().is_empty()));
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
