//! Encoded secrets: base64 (standard and URL-safe), hex and percent-encoding.
//!
//! Runs of encoding characters are decoded; a decoding that reads as text is scanned again,
//! to a depth of [`MAX_DEPTH`], and findings carry how they were encoded.

/// How many decoding layers are followed.
pub const MAX_DEPTH: usize = 2;

/// Shortest run worth decoding.
const MIN_RUN: usize = 20;

/// Longest run decoded: a run past it (a 500 MB field of one letter) is not a credential and
/// is not copied into a decoded buffer of its own size.
pub const MAX_RUN: usize = 1 << 20;

/// One decoded run.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// Byte offset of the encoded run in the text.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// The decoded bytes.
    pub bytes: Vec<u8>,
    /// `base64`, `hex` or `percent`.
    pub encoding: &'static str,
}

const fn table() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c.is_ascii_alphanumeric()
            || c == b'+'
            || c == b'/'
            || c == b'-'
            || c == b'_'
            || c == b'%'
        {
            1
        } else {
            0
        };
        i += 1;
    }
    t
}
static RUN: [u8; 256] = table();

fn printable(b: &[u8]) -> bool {
    if b.len() < 12 {
        return false;
    }
    let ok = b
        .iter()
        .filter(|&&c| (0x20..0x7f).contains(&c) || c == b'\n' || c == b'\r' || c == b'\t')
        .count();
    ok * 100 >= b.len() * 95
}

fn hexval(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn percent(run: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(run.len());
    let mut i = 0;
    let mut changed = false;
    while i < run.len() {
        if run[i] == b'%' && i + 2 < run.len() {
            if let (Some(h), Some(l)) = (hexval(run[i + 1]), hexval(run[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                changed = true;
                continue;
            }
        }
        out.push(run[i]);
        i += 1;
    }
    changed.then_some(out)
}

fn hex(run: &[u8]) -> Option<Vec<u8>> {
    if run.len() < 32 || run.len() % 2 != 0 {
        return None;
    }
    run.chunks(2)
        .map(|p| Some(hexval(p[0])? << 4 | hexval(p[1])?))
        .collect()
}

fn base64(run: &[u8]) -> Option<Vec<u8>> {
    if run.len() < 20 {
        return None;
    }
    let std = run.iter().any(|&c| c == b'+' || c == b'/');
    let url = run.iter().any(|&c| c == b'-' || c == b'_');
    if std && url {
        return None;
    }
    // Cheap early exit, without allocating: the first 16 characters must decode to printable
    // bytes.
    let mut acc = 0u32;
    for (i, &c) in run[..16].iter().enumerate() {
        acc = (acc << 6) | super::base64::value(c)? as u32;
        if i % 4 == 3 {
            for b in [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8] {
                if !((0x20..0x7f).contains(&b) || b == b'\n' || b == b'\r' || b == b'\t') {
                    return None;
                }
            }
            acc = 0;
        }
    }
    let s = std::str::from_utf8(run).ok()?;
    let s = if s.len() % 4 == 1 {
        &s[..s.len() - 1]
    } else {
        s
    };
    super::base64::decode(s)
}

/// Finds encoded runs in `text` whose decoding reads as text.
pub fn find(text: &[u8], out: &mut Vec<Decoded>) {
    let n = text.len();
    let mut i = 0;
    // Runs never start before `i`. A run of MIN_RUN characters starting at or after `i` must
    // cover `i + MIN_RUN - 1`: look there first and skip ahead when it is not a run character.
    while i + MIN_RUN <= n {
        let probe = i + MIN_RUN - 1;
        if RUN[text[probe] as usize] == 0 {
            i = probe + 1;
            continue;
        }
        let mut start = probe;
        while start > i && RUN[text[start - 1] as usize] == 1 {
            start -= 1;
        }
        let mut stop = probe + 1;
        while stop < n && RUN[text[stop] as usize] == 1 {
            stop += 1;
        }
        let mut end = stop;
        while end < n && end - stop < 2 && text[end] == b'=' {
            end += 1;
        }
        i = end.max(stop + 1);
        let run = &text[start..stop];
        if run.len() < MIN_RUN || run.len() > MAX_RUN {
            continue;
        }
        let decoded = if run.contains(&b'%') {
            percent(run).map(|b| (b, "percent"))
        } else if run.iter().all(|c| c.is_ascii_hexdigit()) {
            hex(run).map(|b| (b, "hex"))
        } else {
            base64(run).map(|b| (b, "base64"))
        };
        if let Some((bytes, encoding)) = decoded {
            if printable(&bytes) || (encoding == "percent" && bytes.len() >= 8) {
                out.push(Decoded {
                    start,
                    end,
                    bytes,
                    encoding,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::base64::encode as b64_encode;

    #[test]
    fn a_run_longer_than_the_limit_is_not_decoded() {
        let text = "OPENAI_API_KEY=sk-proj-not-a-real-key-at-all\n".repeat(64);
        let small = b64_encode(text.as_bytes());
        let mut out = Vec::new();
        find(format!("x {small} y").as_bytes(), &mut out);
        assert_eq!(out.len(), 1);
        let mut big = text.repeat(MAX_RUN / text.len() + 1);
        big.truncate(MAX_RUN * 3 / 4 + 3);
        let big = b64_encode(big.as_bytes());
        assert!(big.len() > MAX_RUN);
        let mut out = Vec::new();
        find(format!("x {big} y").as_bytes(), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn finds_base64_hex_and_percent() {
        let b = b64_encode(b"OPENAI_API_KEY=hello-world-value");
        let h: String = b"hello hex world value!"
            .iter()
            .map(|c| format!("{c:02x}"))
            .collect();
        let text = format!("data: {b}\nx = {h}\nurl=a%2Fb%3Dcdefghijklmnopq\n");
        let mut out = Vec::new();
        find(text.as_bytes(), &mut out);
        let encs: Vec<&str> = out.iter().map(|d| d.encoding).collect();
        assert_eq!(encs, ["base64", "hex", "percent"], "{out:?}");
        assert_eq!(out[0].bytes, b"OPENAI_API_KEY=hello-world-value");
    }

    #[test]
    fn identifiers_and_hashes_do_not_decode_to_text() {
        let mut out = Vec::new();
        find(b"requiredCharacteristicTypes da39a3ee5e6b4b0d3255bfef95601890afd80709 src/components/widgets/button", &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
