//! A secret value that never prints whole.
//!
//! `Display`, `Debug` and `Serialize` all show the redacted form: the format's public prefix
//! and at most the last four characters. The raw value is reachable only through
//! [`Secret::expose`], which no export or log path calls.

use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::fmt;

/// A credential found in or named by the evidence.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a raw value.
    pub fn new(raw: impl Into<String>) -> Self {
        Secret(raw.into())
    }

    /// The raw value, for matching in memory and for an explicit on-screen reveal only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The value's fingerprint under `key` (see [`FingerprintKey`]): stable across runs that
    /// share the key, safe to export and to ignore by, and no help to whoever guesses values
    /// without the key.
    pub fn fingerprint(&self, key: &FingerprintKey) -> String {
        key.fingerprint(&self.0)
    }

    /// Hex SHA-256 of the raw value, for matching an ignore list written as `sha256:HEX` (other
    /// tools' fingerprints); kept in memory, never exported.
    pub fn sha256(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }

    /// The redacted form: the format's public prefix, an ellipsis and at most the last 4
    /// characters (see [`redact`]).
    pub fn redacted(&self) -> String {
        redact(&self.0)
    }
}

include!(concat!(env!("OUT_DIR"), "/prefixes.rs"));

/// The prefixes of AWS unique identifiers (AWS IAM User Guide, "IAM identifiers": unique
/// identifier prefixes), which say whether a key id is long-term (`AKIA`) or temporary (`ASIA`).
const AWS_ID_PREFIXES: &[&str] = &[
    "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "AKIA", "ANPA", "ANVA", "APKA", "AROA", "ASCA", "ASIA",
];

/// Characters after the public prefix below which none is shown.
pub const SHOW_NONE_UNDER: usize = 16;
/// Characters after the public prefix from which the last 4 are shown (between
/// [`SHOW_NONE_UNDER`] and this, the last 2).
pub const SHOW_FOUR_FROM: usize = 32;

/// The fixed, public prefix `raw` starts with (`sk-proj-`, `AKIA`, `ghp_`), from the shapes of
/// the scanner's catalog; empty when it has none.
pub fn public_prefix(raw: &str) -> &'static str {
    PUBLIC_PREFIXES
        .iter()
        .chain(AWS_ID_PREFIXES)
        .find(|p| raw.len() > p.len() && raw.starts_with(**p))
        .copied()
        .unwrap_or("")
}

/// What a value is, for showing it: a secret (shown redacted) or a provider's identifier,
/// which names a credential without being one (shown whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A secret: at most its public prefix and last 4 characters are shown.
    #[default]
    Secret,
    /// A documented, non-secret identifier of a credential: shown whole.
    Identifier,
}

impl ValueKind {
    /// `secret` or `identifier`, as the report writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueKind::Secret => "secret",
            ValueKind::Identifier => "identifier",
        }
    }
}

/// The documented identifiers that are not secret: a prefix, the characters the rest is made
/// of, its length range, and the public source that says what it is.
pub struct IdentifierFormat {
    /// The literal head.
    pub prefix: &'static str,
    /// Whether a character may follow the prefix.
    pub body: fn(u8) -> bool,
    /// Length of the rest, inclusive.
    pub len: (usize, usize),
    /// What it names.
    pub what: &'static str,
    /// The public source, by title.
    pub source: &'static str,
}

fn upper_or_digit(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Every identifier shown whole (one table: the scan, the detection, the scope, the page and
/// the exports all ask [`value_kind`]). An AWS access key id does nothing without its secret
/// half and CloudTrail writes it in every record; an OpenAI or Anthropic key id is what the
/// provider's console and audit log name a key by, and cannot call the API.
pub const IDENTIFIERS: &[IdentifierFormat] = &[
    IdentifierFormat {
        prefix: "AKIA",
        body: upper_or_digit,
        len: (16, 16),
        what: "AWS access key id (long-term)",
        source: "AWS IAM User Guide, \"IAM identifiers\" (unique identifier prefixes) and \"Manage access keys for IAM users\"",
    },
    IdentifierFormat {
        prefix: "ASIA",
        body: upper_or_digit,
        len: (16, 16),
        what: "AWS access key id (temporary, STS)",
        source: "AWS IAM User Guide, \"IAM identifiers\" (unique identifier prefixes)",
    },
    IdentifierFormat {
        prefix: "key_",
        body: alnum,
        // Not 64: a Cursor API key is `key_` and 64 hex digits, a secret.
        len: (8, 32),
        what: "OpenAI API or admin key id",
        source: "OpenAI API reference, \"Project API keys\" and \"Admin API keys\" (the key object's id)",
    },
    IdentifierFormat {
        prefix: "apikey_",
        body: alnum,
        len: (8, 40),
        what: "Anthropic API or admin key id",
        source: "Anthropic Admin API reference, \"API Keys\" (the key object's id)",
    },
];

/// The identifier format `raw` is, if any (the whole value must fit it).
pub fn identifier_format(raw: &str) -> Option<&'static IdentifierFormat> {
    IDENTIFIERS.iter().find(|f| {
        raw.strip_prefix(f.prefix).is_some_and(|rest| {
            (f.len.0..=f.len.1).contains(&rest.len()) && rest.bytes().all(f.body)
        })
    })
}

/// Whether `raw` is shown whole as an identifier or redacted as a secret.
pub fn value_kind(raw: &str) -> ValueKind {
    match identifier_format(raw) {
        Some(_) => ValueKind::Identifier,
        None => ValueKind::Secret,
    }
}

/// The one redaction policy of the product: a documented identifier ([`IDENTIFIERS`]) whole;
/// a secret as the format's public prefix, an ellipsis, and of the rest only its last 4
/// characters (the last 2 when the rest is under 32 characters, none under 16). A URL with a
/// password (`postgres://app:pw@db:5432`) keeps its scheme, user and host and shows nothing of
/// the password or of what follows the host.
pub fn redact(raw: &str) -> String {
    if value_kind(raw) == ValueKind::Identifier {
        return raw.to_string();
    }
    redact_secret(raw)
}

/// [`redact`] for a value known to be a secret, whatever it looks like.
pub fn redact_secret(raw: &str) -> String {
    if let Some(url) = redact_url(raw) {
        return url;
    }
    let prefix = public_prefix(raw);
    let rest = &raw[prefix.len()..];
    let n = rest.chars().count();
    let show = match n {
        _ if n < SHOW_NONE_UNDER => 0,
        _ if n < SHOW_FOUR_FROM => 2,
        _ => 4,
    };
    let tail: String = rest.chars().skip(n - show).collect();
    format!("{prefix}…{tail}")
}

/// True when a key identifier looks like a raw secret rather than an id.
pub fn looks_like_secret(s: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "sk-",
        "sk_",
        "AIza",
        "xai-",
        "gsk_",
        "hf_",
        "ghp_",
        "gho_",
        "github_pat_",
        "r8_",
        "pplx-",
    ];
    if s.contains('…') || s.contains("...") || s.contains('*') {
        return false;
    }
    PREFIXES.iter().any(|p| s.starts_with(p)) && s.len() >= 20
        || (s.len() >= 40 && !s.contains(' ') && !s.contains(':') && !s.contains('/'))
}

/// A name a source or the responder gives for a key or an actor, as outputs show it: redacted
/// when it looks like a raw secret ([`looks_like_secret`]), whole otherwise.
pub fn display_name(s: &str) -> String {
    if looks_like_secret(s) {
        redact(s)
    } else {
        s.to_string()
    }
}

/// `scheme://user:…@host[:port]` for a URL with a password, `…` for the path and query.
fn redact_url(raw: &str) -> Option<String> {
    let (scheme, rest) = raw.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    {
        return None;
    }
    let at = rest.rfind('@')?;
    let (user_pass, host) = (&rest[..at], &rest[at + 1..]);
    let (user, _) = user_pass.split_once(':')?;
    if user.contains('/') {
        return None;
    }
    let end = host.find(['/', '?', '#']).unwrap_or(host.len());
    let more = if end < host.len() { "/…" } else { "" };
    Some(format!("{scheme}://{user}:…@{}{more}", &host[..end]))
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

/// The key of the fingerprints a report shows (HMAC-SHA256 of each secret under it).
///
/// An unsalted hash of a short secret is a way to confirm a guess: with the report's redacted
/// form and a plain SHA-256, a 12-character password falls to brute force in seconds. Keyed,
/// a fingerprint confirms nothing to whoever lacks the key, and the key is in the responder's
/// context or session file only, never in an export. Runs that share the key give the same
/// fingerprint for the same secret, so ignore lists and comparisons across runs keep working;
/// [`FingerprintKey::id`] (in the report) says whether two reports share one.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FingerprintKey([u8; 32]);

impl FingerprintKey {
    /// The all-zero key, for library callers that pass none (the command line and the page
    /// always pass a random one). Its fingerprints can confirm guesses; its id says so.
    pub const UNKEYED: FingerprintKey = FingerprintKey([0; 32]);

    /// A key from 32 random bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        FingerprintKey(bytes)
    }

    /// Reads a key written by [`FingerprintKey::to_hex`] (64 hex digits, surrounding blanks
    /// ignored).
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if t.len() != 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "a fingerprint key is 64 hex digits (32 bytes); this one has {} characters",
                t.chars().count()
            ));
        }
        let mut out = [0u8; 32];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&t[2 * i..2 * i + 2], 16).unwrap_or(0);
        }
        Ok(FingerprintKey(out))
    }

    /// The key as 64 lower-case hex digits.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// A short public name for the key (`unkeyed` for [`FingerprintKey::UNKEYED`]): equal ids,
    /// comparable fingerprints. Derived by HMAC, so it says nothing about the key.
    pub fn id(&self) -> String {
        if *self == Self::UNKEYED {
            return "unkeyed".into();
        }
        hex(&hmac_sha256(&self.0, b"leaktriage fingerprint key id")[..6])
    }

    /// Hex HMAC-SHA256 of `raw` under the key.
    pub fn fingerprint(&self, raw: &str) -> String {
        hex(&hmac_sha256(&self.0, raw.as_bytes()))
    }
}

impl Default for FingerprintKey {
    fn default() -> Self {
        Self::UNKEYED
    }
}

impl fmt::Debug for FingerprintKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FingerprintKey({})", self.id())
    }
}

impl Serialize for FingerprintKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for FingerprintKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        FingerprintKey::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// HMAC-SHA256 (RFC 2104) with a key of at most 64 bytes.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    k[..key.len().min(64)].copy_from_slice(&key[..key.len().min(64)]);
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(msg);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A synthetic value of an OpenAI-like shape; not a real key.
    fn fake() -> Secret {
        Secret::new(format!(
            "sk-proj-{}T3BlbkFJ{}",
            "A1b2C3d4".repeat(4),
            "Z9y8X7w6".repeat(4)
        ))
    }

    #[test]
    fn display_debug_and_json_never_hold_the_raw_value() {
        let s = fake();
        let raw = s.expose().to_string();
        for shown in [
            s.to_string(),
            format!("{s:?}"),
            serde_json::to_string(&s).unwrap(),
        ] {
            assert!(!shown.contains(&raw), "{shown}");
            assert!(!shown.contains("T3BlbkFJ"), "{shown}");
            assert!(shown.contains("sk-proj-"), "{shown}");
            assert!(shown.contains("X7w6"), "{shown}");
        }
    }

    #[test]
    fn short_values_show_nothing() {
        assert_eq!(redact("hunter2"), "…");
        assert_eq!(redact("abcdefghijklmno"), "…");
        assert_eq!(redact("abcdefghijklmnop"), "…op");
        assert_eq!(redact(&"a1".repeat(16)), "…a1a1");
    }

    #[test]
    fn the_public_prefix_is_kept_and_counted_apart() {
        assert_eq!(public_prefix("sk-proj-abc"), "sk-proj-");
        assert_eq!(public_prefix("sk-ant-api03-x"), "sk-ant-api03-");
        assert_eq!(public_prefix("AKIAIOSFODNN7EXAMPLE"), "AKIA");
        assert_eq!(public_prefix("plain"), "");
        // A prefix alone is not a prefixed value.
        assert_eq!(public_prefix("ghp_"), "");
        assert_eq!(public_prefix("ASIAIOSFODNN7EXAMPLE"), "ASIA");
        // An AWS secret key has no prefix: 40 characters show their last 4.
        let aws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert_eq!(redact(aws), "…EKEY");
        // A short body after a prefix shows the prefix only.
        assert_eq!(redact("ghp_0123456789abc"), "ghp_…");
    }

    #[test]
    fn documented_identifiers_are_shown_whole_and_nothing_else_is() {
        for id in [
            "AKIAIOSFODNN7ABCDEFG",
            "ASIAIOSFODNN7ABCDEFG",
            "key_3QRCyB9Jf0G4ycmA",
            "apikey_01Rj2N8SVvo6BePZj99NhmiT",
        ] {
            assert_eq!(value_kind(id), ValueKind::Identifier, "{id}");
            assert_eq!(redact(id), id);
            assert_ne!(
                redact_secret(id),
                id,
                "a known secret is redacted whatever it looks like"
            );
        }
        // A Cursor API key (`key_` and 64 hex digits) is a secret; so is an id-like value of
        // the wrong alphabet or length.
        for secret in [
            format!("key_{}", "0a1b2c3d".repeat(8)),
            "AKIAiosfodnn7abcdefg".to_string(),
            "AKIAIOSFODNN7ABCDEFGH".to_string(),
            "apikey_01Rj2N8S-Vvo6BePZj99".to_string(),
        ] {
            assert_eq!(value_kind(&secret), ValueKind::Secret, "{secret}");
            assert!(redact(&secret).contains('…'), "{secret}");
        }
    }

    #[test]
    fn a_url_keeps_user_and_host_and_hides_the_password() {
        assert_eq!(
            redact("postgres://app:Sup3rS3cretPassw0rd@db.internal:5432/prod?ssl=1"),
            "postgres://app:…@db.internal:5432/…"
        );
        assert_eq!(redact("https://u:p@h"), "https://u:…@h");
        // Not a URL with a password.
        assert_eq!(redact("https://hooks.example.com/a/b/c"), "…/c");
    }

    #[test]
    fn no_redaction_reveals_more_than_prefix_and_four() {
        for raw in [
            "sk-proj-".to_string() + &"Ab1".repeat(40),
            "x".repeat(200),
            "short".to_string(),
            "\u{e9}".repeat(17),
            "ghp_".to_string() + &"z".repeat(36),
        ] {
            let shown = redact(&raw);
            let p = public_prefix(&raw);
            let revealed = shown.chars().count() - p.chars().count() - 1;
            assert!(revealed <= 4, "{raw} -> {shown}");
        }
    }

    #[test]
    fn sha256_is_sha256_hex() {
        assert_eq!(
            Secret::new("abc").sha256(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // RFC 4231, test cases 1 and 2.
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn fingerprints_depend_on_the_key_and_round_trip() {
        let a = FingerprintKey::from_bytes([7; 32]);
        let b = FingerprintKey::from_bytes([8; 32]);
        let s = Secret::new("hunter2hunter2");
        assert_ne!(s.fingerprint(&a), s.fingerprint(&b));
        assert_eq!(s.fingerprint(&a), s.fingerprint(&a));
        assert_ne!(s.fingerprint(&a), s.sha256());
        assert_eq!(FingerprintKey::parse(&a.to_hex()), Ok(a));
        assert!(FingerprintKey::parse("abc").is_err());
        assert!(FingerprintKey::parse(&"g".repeat(64)).is_err());
        assert_ne!(a.id(), b.id());
        assert_eq!(FingerprintKey::UNKEYED.id(), "unkeyed");
        assert!(!format!("{a:?}").contains(&a.to_hex()));
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<FingerprintKey>(&json).unwrap(), a);
    }
}
