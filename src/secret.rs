//! A secret value that never prints whole.
//!
//! `Display`, `Debug` and `Serialize` all show the redacted form: a short prefix, the last
//! four characters, and a SHA-256 fingerprint. The raw value is reachable only through
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

    /// Hex SHA-256 of the raw value: stable across runs, safe to export and to ignore by.
    pub fn fingerprint(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }

    /// The redacted form: up to 8 leading characters (never more than a third of the value),
    /// an ellipsis, and the last 4 characters (none for values shorter than 12).
    pub fn redacted(&self) -> String {
        redact(&self.0)
    }
}

/// Redacts any string the way [`Secret`] does.
pub fn redact(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let n = chars.len();
    if n < 12 {
        return format!("{}…", chars.iter().take(n.min(2)).collect::<String>());
    }
    let head = (n / 3).min(8);
    let head: String = chars[..head].iter().collect();
    let tail: String = chars[n - 4..].iter().collect();
    format!("{head}…{tail}")
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
        write!(
            f,
            "Secret({} sha256:{})",
            self.redacted(),
            &self.fingerprint()[..12]
        )
    }
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
    fn short_values_show_almost_nothing() {
        assert_eq!(redact("hunter2"), "hu…");
        assert_eq!(redact("abcdefghijkl"), "abcd…ijkl");
    }

    #[test]
    fn fingerprint_is_sha256_hex() {
        assert_eq!(
            Secret::new("abc").fingerprint(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
