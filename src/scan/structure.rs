//! Structural checks: the offline stand-in for live verification, plus small codecs.

use super::base64::decode;
use super::rules::Check;
use serde::Serialize;

/// What a structural check concluded about a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Structure {
    /// The format's marker / checksum / layout holds.
    Valid,
    /// The format has a structure and this value breaks it (typo, truncation, fake).
    Invalid,
    /// The format has nothing to check offline.
    NotCheckable,
}

impl Structure {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Structure::Valid => "structure valid",
            Structure::Invalid => "structure invalid",
            Structure::NotCheckable => "no structure to check",
        }
    }
}

/// Runs a rule's check on a value; returns the verdict and a short note.
pub fn check(kind: Check, v: &str) -> (Structure, &'static str) {
    use Structure::*;
    match kind {
        Check::None => (NotCheckable, "format has no marker or checksum"),
        Check::FixedShape => (Valid, "prefix and fixed length match the documented format"),
        Check::OpenAiMarker => {
            if v.contains("T3BlbkFJ") {
                (Valid, "carries the T3BlbkFJ (base64 \"OpenAI\") marker")
            } else {
                (
                    Invalid,
                    "no T3BlbkFJ marker: not an issued OpenAI key, or another provider's sk- key",
                )
            }
        }
        Check::AnthropicSuffix => {
            let want = if v.starts_with("sk-ant-admin") {
                110
            } else {
                108
            };
            if v.len() == want && v.ends_with("AA") {
                (Valid, "length and AA suffix match")
            } else {
                (Invalid, "wrong length or suffix (issued keys end in AA)")
            }
        }
        Check::GithubCrc32 => {
            let body_len = v.split_once('_').map(|(_, b)| b.len()).unwrap_or(0);
            if body_len != 36 {
                (
                    NotCheckable,
                    "checksum defined for 36-character bodies only",
                )
            } else if github_crc_ok(v) {
                (Valid, "CRC32 checksum (last 6, base62) matches")
            } else {
                (Invalid, "CRC32 checksum does not match: mistyped or fake")
            }
        }
        Check::AzureAnnotated => {
            let b = v.as_bytes();
            if b.len() == 84
                && v.get(52..58) == Some("JQQJ99")
                && (b'A'..=b'L').contains(&b[59])
                && v.get(72..).is_some_and(|t| t.contains("ACOG"))
            {
                (
                    Valid,
                    "JQQJ99 signature, version and ACOG service tag in place",
                )
            } else {
                (Invalid, "annotated-key layout broken")
            }
        }
        Check::AzureDevops => {
            if v.len() == 84 && v.get(52..57) == Some("JQQJ9") && v.get(76..80) == Some("AZDO") {
                (Valid, "JQQJ9 signature and AZDO tag in place")
            } else {
                (Invalid, "no JQQJ9 signature at its place")
            }
        }
        Check::AwsKeyId => {
            let body = v.get(4..).unwrap_or("");
            if body.len() == 16
                && body
                    .bytes()
                    .all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c))
            {
                (Valid, "prefix and base32 body match")
            } else {
                (Invalid, "body outside the base32 alphabet AWS uses")
            }
        }
        Check::Jwt => jwt(v),
        Check::Pem => pem(v),
        Check::ServiceAccount => {
            if v.contains("-----BEGIN") && v.contains("PRIVATE KEY-----") && v.contains("-----END")
            {
                (Valid, "service-account JSON with a PEM private_key")
            } else {
                (Invalid, "private_key is not a PEM block")
            }
        }
        Check::GroqMarker => {
            if v.get(24..32) == Some("WGdyb3FY") {
                (Valid, "WGdyb3FY marker at its place")
            } else {
                (
                    NotCheckable,
                    "no WGdyb3FY marker (observed, not documented)",
                )
            }
        }
        Check::Bech32 => {
            if bech32_ok(v) {
                (Valid, "bech32 checksum matches")
            } else {
                (Invalid, "bech32 checksum does not match")
            }
        }
        Check::Base64Len64 => match decode(v) {
            Some(b) if b.len() == 64 => (Valid, "base64 of 64 bytes"),
            _ => (Invalid, "not base64 of 64 bytes"),
        },
    }
}

fn jwt(v: &str) -> (Structure, &'static str) {
    let mut parts = v.split('.');
    let (Some(h), Some(p)) = (parts.next(), parts.next()) else {
        return (Structure::Invalid, "not three dot-separated parts");
    };
    let dec =
        |s: &str| decode(s).and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
    match (dec(h), dec(p)) {
        (Some(h), Some(p)) if h.get("alg").is_some() && p.is_object() => (
            Structure::Valid,
            "header and payload decode to JSON, header names alg",
        ),
        _ => (
            Structure::Invalid,
            "header or payload does not decode to JSON",
        ),
    }
}

fn pem(v: &str) -> (Structure, &'static str) {
    let label = |marker: &str| {
        v.find(marker).map(|i| {
            let rest = &v[i + marker.len()..];
            rest[..rest.find("-----").unwrap_or(0)].to_string()
        })
    };
    let (Some(b), Some(e)) = (label("-----BEGIN"), label("-----END")) else {
        return (Structure::Invalid, "BEGIN or END line missing");
    };
    if b != e {
        return (Structure::Invalid, "BEGIN and END labels differ");
    }
    let start = v
        .find("-----\n")
        .or_else(|| v.find("-----\\n"))
        .map(|i| i + 5);
    let end = v.rfind("-----END");
    let body: String = match (start, end) {
        (Some(s), Some(e)) if s < e => v[s..e]
            .replace("\\n", "\n")
            .lines()
            .filter(|l| !l.contains(':'))
            .collect::<String>()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect(),
        _ => String::new(),
    };
    if body.len() < 64 {
        return (Structure::Invalid, PEM_TOO_SHORT);
    }
    if decode(&body).is_some() {
        (
            Structure::Valid,
            "BEGIN/END labels match and the body is base64",
        )
    } else {
        (Structure::Invalid, "body is not base64")
    }
}

/// The PEM check's note for a body too short to be a key (such matches are dropped).
pub const PEM_TOO_SHORT: &str = "body too short to hold a key";

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f32 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f32;
    if n == 0.0 {
        return 0.0;
    }
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f32 / n;
            -p * p.log2()
        })
        .sum()
}

/// base62(CRC32(body)), zero-padded to 6 characters (GitHub token checksum).
pub fn base62_crc32(body: &str) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut n = crc32fast::hash(body.as_bytes()) as u64;
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = A[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a GitHub token's last 6 characters are the checksum of the 30 before them.
pub fn github_crc_ok(token: &str) -> bool {
    let Some((_, body)) = token.rsplit_once('_') else {
        return false;
    };
    body.len() == 36 && body.is_char_boundary(30) && base62_crc32(&body[..30]) == body[30..]
}

fn bech32_polymod(values: &[u8]) -> u32 {
    const G: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk = 1u32;
    for &v in values {
        let b = chk >> 25;
        chk = ((chk & 0x1ff_ffff) << 5) ^ v as u32;
        for (i, g) in G.iter().enumerate() {
            if (b >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

fn hrp_expand(hrp: &str) -> Vec<u8> {
    let mut v: Vec<u8> = hrp.bytes().map(|b| b >> 5).collect();
    v.push(0);
    v.extend(hrp.bytes().map(|b| b & 31));
    v
}

/// The 6 bech32 checksum symbols for an HRP and 5-bit data.
pub fn bech32_checksum(hrp: &str, data: &[u8]) -> Vec<u8> {
    let mut v = hrp_expand(hrp);
    v.extend_from_slice(data);
    v.extend_from_slice(&[0; 6]);
    let m = bech32_polymod(&v) ^ 1;
    (0..6).map(|i| ((m >> (5 * (5 - i))) & 31) as u8).collect()
}

/// Whether a bech32 string (any case) has a valid checksum.
pub fn bech32_ok(s: &str) -> bool {
    const BECH: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let lower = s.to_ascii_lowercase();
    let Some(pos) = lower.rfind('1') else {
        return false;
    };
    let (hrp, data) = (&lower[..pos], &lower[pos + 1..]);
    let mut v = hrp_expand(hrp);
    for c in data.bytes() {
        match BECH.iter().position(|&b| b == c) {
            Some(i) => v.push(i as u8),
            None => return false,
        }
    }
    data.len() >= 6 && bech32_polymod(&v) == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_checksum_is_base62_of_the_ieee_crc32() {
        assert_eq!(crc32fast::hash(b"123456789"), 0xCBF4_3926);
        assert_eq!(base62_crc32(""), "000000");
    }

    #[test]
    fn github_checksum_detects_a_typo() {
        let body = "abcdefghijABCDEFGHIJ0123456789";
        let tok = format!("ghp_{body}{}", base62_crc32(body));
        assert!(github_crc_ok(&tok));
        let typo = tok.replacen('a', "b", 1);
        assert!(!github_crc_ok(&typo));
        assert_eq!(check(Check::GithubCrc32, &typo).0, Structure::Invalid);
    }

    #[test]
    fn bech32_round_trip() {
        let data: Vec<u8> = (0..52).map(|i| (i * 7 % 32) as u8).collect();
        let cs = bech32_checksum("age-secret-key-", &data);
        const BECH: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        let s: String = "AGE-SECRET-KEY-1"
            .chars()
            .chain(
                data.iter()
                    .chain(cs.iter())
                    .map(|&d| (BECH[d as usize] as char).to_ascii_uppercase()),
            )
            .collect();
        assert!(bech32_ok(&s));
        assert!(!bech32_ok(&s.replacen('Q', "P", 1)));
    }

    #[test]
    fn checks_never_panic_on_odd_values() {
        let odd = [
            "",
            "é",
            &"é".repeat(42),
            &"x".repeat(84),
            "ghp_é",
            "AGE-SECRET-KEY-1é",
            "-----BEGIN",
            "eyJ.eyJ.",
        ];
        for v in odd {
            for c in [
                Check::AzureAnnotated,
                Check::AzureDevops,
                Check::AwsKeyId,
                Check::GithubCrc32,
                Check::Bech32,
                Check::Pem,
                Check::Jwt,
                Check::GroqMarker,
                Check::AnthropicSuffix,
                Check::Base64Len64,
                Check::ServiceAccount,
                Check::OpenAiMarker,
            ] {
                let _ = check(c, v);
            }
        }
    }

    #[test]
    fn anthropic_suffix() {
        let good = format!("sk-ant-api03-{}AA", "x1".repeat(46) + "y");
        assert_eq!(good.len(), 108);
        assert_eq!(check(Check::AnthropicSuffix, &good).0, Structure::Valid);
        let bad = format!("{}BB", &good[..106]);
        assert_eq!(check(Check::AnthropicSuffix, &bad).0, Structure::Invalid);
    }
}
