//! Base64, standard and URL-safe: the one decoder the scanner (encoded runs, structural checks)
//! and the session files use, and the encoders the fakes and sessions need.

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The 6-bit value of a character of either alphabet (`+`/`-` are 62, `/`/`_` are 63).
pub fn value(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    })
}

/// Decodes standard or URL-safe base64, padded or not. `None` if any character is outside.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        acc = (acc << 6) | value(c)? as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.len();
        let v = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= n {
                s.push(alphabet[((v >> (18 - 6 * i)) & 63) as usize] as char);
            } else if pad {
                s.push('=');
            }
        }
    }
    s
}

/// Standard base64 with padding.
pub fn encode(bytes: &[u8]) -> String {
    encode_with(bytes, STANDARD, true)
}

/// URL-safe base64 without padding.
pub fn encode_url(bytes: &[u8]) -> String {
    encode_with(bytes, URL_SAFE, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_in_both_alphabets() {
        for s in ["", "a", "ab", "abc", "abcd", "OpenAI", "\u{ff}\u{fe}?>"] {
            assert_eq!(decode(&encode(s.as_bytes())).unwrap(), s.as_bytes());
            assert_eq!(decode(&encode_url(s.as_bytes())).unwrap(), s.as_bytes());
        }
        assert_eq!(encode(b"OpenAI"), "T3BlbkFJ");
        assert_eq!(encode(b"ab"), "YWI=");
        assert_eq!(encode_url(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn rejects_foreign_characters_and_impossible_lengths() {
        assert_eq!(decode("YW*="), None);
        assert_eq!(decode("YWJjZ"), None);
        assert_eq!(decode("-_8"), Some(vec![0xfb, 0xff]));
        assert_eq!(decode("+/8="), Some(vec![0xfb, 0xff]));
        assert_eq!(value(b'='), None);
    }
}
