//! Deterministic fake credentials of the real shapes: a rule file's examples are checked with them
//! when it is loaded, and the tests, the corpus and the benchmark plant them.
//!
//! Values are random (seeded, reproducible) and carry valid checksums where the format has one
//! (GitHub CRC32/base62, age bech32), so structural checks pass on them. None is a real key.

use super::base64::{encode as b64_encode, encode_url as b64url_encode};
use super::structure::{base62_crc32, bech32_checksum};

/// A small seeded PRNG (SplitMix64): no dependency, same sequence everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A string of `n` characters drawn from `alphabet`.
    pub fn string(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
}

const AN: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64U: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BECH: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn class(name: &str) -> &'static [u8] {
    match name {
        "an" => AN,
        "hex" => HEX,
        "HEX" => b"0123456789ABCDEF",
        "b64" => B64,
        "b64u" => B64U,
        "low" => b"abcdefghijklmnopqrstuvwxyz",
        "up" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "lowan" => b"abcdefghijklmnopqrstuvwxyz0123456789",
        "upan" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "dig" => b"0123456789",
        "let" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        "b32" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        "AL" => b"ABCDEFGHIJKL",
        _ => AN,
    }
}

/// A generated fake: the text to plant and the secret value a scanner should report.
#[derive(Debug, Clone)]
pub struct Fake {
    /// The text to plant (may span lines).
    pub text: String,
    /// The value the rule reports (its fingerprint identifies the finding).
    pub secret: String,
}

/// Generates a fake value for a shape: literals, `{class:N}` runs, `{crc}` (GitHub checksum of
/// the body so far, after the prefix's `_`), or one of the special shapes `@pem`, `@sa_json`,
/// `@putty`, `@age`, `@jwt`. The classes and shapes are documented for rule writers in
/// docs/scan.md ("Rule files") and in the header of each `src/scan/rules/*.toml`.
pub fn generate(shape: &str, rng: &mut Rng) -> Fake {
    match shape {
        "@pem" => {
            let body = pem_body(rng, 16);
            let text =
                format!("-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----");
            Fake {
                secret: text.clone(),
                text,
            }
        }
        "@sa_json" => {
            let body = pem_body(rng, 12).replace('\n', "\\n");
            let pk = format!("-----BEGIN PRIVATE KEY-----\\n{body}-----END PRIVATE KEY-----\\n");
            let id = rng.string(HEX, 40);
            let project = format!("proj-{}", rng.string(b"abcdefghijklmnopqrstuvwxyz", 8));
            let text = format!(
                "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"{project}\",\n  \"private_key_id\": \"{id}\",\n  \"private_key\": \"{pk}\",\n  \"client_email\": \"bot@{project}.iam.gserviceaccount.com\",\n  \"client_id\": \"{}\",\n  \"auth_uri\": \"https://accounts.google.com/o/oauth2/auth\",\n  \"token_uri\": \"https://oauth2.googleapis.com/token\",\n  \"auth_provider_x509_cert_url\": \"https://www.googleapis.com/oauth2/v1/certs\"\n}}",
                rng.string(b"0123456789", 21)
            );
            Fake { text, secret: pk }
        }
        "@putty" => {
            let text = format!(
                "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n{}\n{}\nPrivate-Lines: 2\n{}\n{}\nPrivate-MAC: {}",
                rng.string(B64, 64),
                rng.string(B64, 40),
                rng.string(B64, 64),
                rng.string(B64, 40),
                rng.string(HEX, 40)
            );
            Fake {
                secret: text.clone(),
                text,
            }
        }
        "@age" => {
            let data: Vec<u8> = (0..52).map(|_| rng.below(32) as u8).collect();
            let check = bech32_checksum("age-secret-key-", &data);
            let mut s = String::from("AGE-SECRET-KEY-1");
            for d in data.iter().chain(check.iter()) {
                s.push((BECH[*d as usize] as char).to_ascii_uppercase());
            }
            Fake {
                text: s.clone(),
                secret: s,
            }
        }
        "@jwt" => {
            let header = b64url_encode(b"{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
            let payload = format!(
                "{{\"iss\":\"supabase\",\"ref\":\"{}\",\"role\":\"service_role\",\"iat\":{},\"exp\":{}}}",
                rng.string(b"abcdefghijklmnopqrstuvwxyz", 20),
                1_700_000_000 + rng.below(10_000_000),
                2_000_000_000 + rng.below(10_000_000)
            );
            let payload = b64url_encode(payload.as_bytes());
            let sig = rng.string(B64U, 43);
            let s = format!("{header}.{payload}.{sig}");
            Fake {
                text: s.clone(),
                secret: s,
            }
        }
        _ => {
            let s = expand(shape, rng);
            Fake {
                text: s.clone(),
                secret: s,
            }
        }
    }
}

fn expand(shape: &str, rng: &mut Rng) -> String {
    let mut out = String::new();
    let mut rest = shape;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let spec = &rest[open + 1..open + close];
        if spec == "crc" {
            let body = out.rsplit('_').next().unwrap_or("").to_string();
            out.push_str(&base62_crc32(&body));
        } else if let Some((cls, n)) = spec.split_once(':') {
            let n: usize = n.parse().unwrap_or(0);
            out.push_str(&rng.string(class(cls), n));
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn pem_body(rng: &mut Rng, lines: usize) -> String {
    let mut der = vec![0x30u8, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00];
    der.extend((0..lines * 48).map(|_| rng.next_u64() as u8));
    let b64 = b64_encode(&der);
    let mut s = String::new();
    for chunk in b64.as_bytes().chunks(64) {
        s.push_str(&String::from_utf8_lossy(chunk));
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_expand_deterministically() {
        let a = generate("ghp_{an:30}{crc}", &mut Rng::new(7));
        let b = generate("ghp_{an:30}{crc}", &mut Rng::new(7));
        assert_eq!(a.secret, b.secret);
        assert_eq!(a.secret.len(), 40);
        assert!(crate::scan::structure::github_crc_ok(&a.secret));
    }
}
