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

/// Finds encoded runs in `text` whose decoding reads as text: every longest run of encoding
/// characters of [`MIN_RUN`] to [`MAX_RUN`] bytes (with up to two `=` after it), in order.
/// The text is classified 64 bytes at a time into a mask of its encoding characters, and the
/// runs long enough are told apart from the masks alone ([`long_run_starts`]), so the many
/// short runs of a source file (its names and words) cost no branch each.
pub fn find(text: &[u8], out: &mut Vec<Decoded>) {
    let n = text.len();
    let mut prev = 0u64;
    let mut mask = run_mask(text, 0);
    let mut base = 0;
    while base < n {
        let next = run_mask(text, base + 64);
        let mut starts = long_run_starts(prev, mask, next);
        while starts != 0 {
            let start = base + starts.trailing_zeros() as usize;
            starts &= starts - 1;
            decode_run(text, start, out);
        }
        (prev, mask) = (mask, next);
        base += 64;
    }
}

/// Bit `j` set where a longest run of encoding characters of at least [`MIN_RUN`] bytes starts
/// at byte `j` of a block whose mask is `mask`, between the blocks of masks `prev` and `next`.
#[inline]
fn long_run_starts(prev: u64, mask: u64, next: u64) -> u64 {
    const _: () = assert!(MIN_RUN == 20, "the shifts below make runs of 20");
    let w = (next as u128) << 64 | mask as u128;
    // Bit j: bits j to j + 19 all set.
    let mut r = w & (w >> 1);
    r &= r >> 2;
    r &= r >> 4;
    r &= r >> 8;
    r &= r >> 4;
    // Where the byte before is not an encoding character.
    (r as u64) & !((mask << 1) | (prev >> 63))
}

/// The run starting at `start` (the first of at least [`MIN_RUN`] encoding characters),
/// decoded and kept when it is short enough and reads as text.
fn decode_run(text: &[u8], start: usize, out: &mut Vec<Decoded>) {
    let n = text.len();
    let mut stop = start + MIN_RUN;
    while stop < n && RUN[text[stop] as usize] == 1 {
        stop += 1;
    }
    let mut end = stop;
    while end < n && end - stop < 2 && text[end] == b'=' {
        end += 1;
    }
    decode_span(text, start, stop, end, out);
}

/// The run of encoding characters `start..stop` (its padding up to `end`), decoded and kept
/// when it is short enough and reads as text.
fn decode_span(text: &[u8], start: usize, stop: usize, end: usize, out: &mut Vec<Decoded>) {
    let run = &text[start..stop];
    if run.len() > MAX_RUN {
        return;
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

/// Bit `j` set where byte `at + j` of `text` is an encoding character (0 past the end).
#[inline]
fn run_mask(text: &[u8], at: usize) -> u64 {
    match text.get(at..at + 64) {
        #[cfg(target_arch = "x86_64")]
        Some(block) => {
            let mut m = 0u64;
            for k in 0..4 {
                // SAFETY: SSE2 is part of every x86-64 processor; 16 bytes are read from a
                // block of 64.
                m |= u64::from(unsafe { mask16(block[k * 16..].as_ptr()) }) << (k * 16);
            }
            m
        }
        _ => text
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take(64)
            .enumerate()
            .fold(0u64, |m, (j, &c)| m | u64::from(RUN[c as usize]) << j),
    }
}

/// The encoding characters of 16 bytes at `p` as a mask: ASCII letters and digits, `+`, `/`,
/// `-`, `_` and `%` (the bytes [`RUN`] marks).
#[cfg(target_arch = "x86_64")]
#[inline]
unsafe fn mask16(p: *const u8) -> u32 {
    use std::arch::x86_64::*;
    let x = _mm_loadu_si128(p as *const __m128i);
    let within = |v: __m128i, lo: u8, hi: u8| {
        let ge = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(lo as i8)), v);
        let le = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(hi as i8)), v);
        _mm_and_si128(ge, le)
    };
    let is = |c: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(c as i8));
    let digit = within(x, b'0', b'9');
    // A letter in either case is a lower-case letter once bit 5 is set.
    let letter = within(_mm_or_si128(x, _mm_set1_epi8(0x20)), b'a', b'z');
    let sign = _mm_or_si128(
        _mm_or_si128(is(b'+'), is(b'/')),
        _mm_or_si128(_mm_or_si128(is(b'-'), is(b'_')), is(b'%')),
    );
    _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(digit, letter), sign)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::base64::encode as b64_encode;

    /// The finder as first written: a probe every [`MIN_RUN`] bytes, and runs walked byte by
    /// byte from each probe that lands in one.
    fn find_by_probe(text: &[u8], out: &mut Vec<Decoded>) {
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
            if stop - start >= MIN_RUN {
                decode_span(text, start, stop, end, out);
            }
        }
    }

    #[test]
    fn the_masks_find_exactly_the_runs_a_probe_walk_finds() {
        // Texts of every mix of encoding characters, padding and other bytes, of lengths
        // around the block size, with runs near and across block edges.
        let alphabet: &[&[u8]] = &[
            b"abcXYZ019+/-_",
            b"0123456789abcdef",
            b"=",
            b" \n.:\"",
            b"%2F%3D",
            "\u{e9}\u{ff}".as_bytes(),
            b"@[`{",
        ];
        let mut seed = 11u64;
        let mut rnd = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        let mut found = 0;
        for round in 0..3000 {
            let len = [0, 19, 20, 63, 64, 65, 127, 128, 200, 700][round % 10] + rnd(3) as usize;
            let mut text = Vec::with_capacity(len);
            // A long stretch of one class now and then, so that runs reach past 20 bytes.
            while text.len() < len {
                let class = alphabet[rnd(alphabet.len() as u64) as usize];
                let stretch = if rnd(3) == 0 { 1 + rnd(90) } else { 1 + rnd(4) };
                for _ in 0..stretch {
                    text.push(class[rnd(class.len() as u64) as usize]);
                }
            }
            text.truncate(len);
            let (mut a, mut b) = (Vec::new(), Vec::new());
            find(&text, &mut a);
            find_by_probe(&text, &mut b);
            let key = |d: &Decoded| (d.start, d.end, d.bytes.clone(), d.encoding);
            assert_eq!(
                a.iter().map(key).collect::<Vec<_>>(),
                b.iter().map(key).collect::<Vec<_>>(),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
            found += a.len();
        }
        assert!(found > 300, "{found} runs decoded");
        // Every byte value is classified as the table says, at every place in a block.
        for at in 0..80 {
            let text: Vec<u8> = (0..=255u8).cycle().skip(at).take(256 + 64).collect();
            for base in (0..text.len()).step_by(64) {
                let m = run_mask(&text, base);
                for j in 0..64 {
                    let want = text.get(base + j).is_some_and(|&c| RUN[c as usize] == 1);
                    assert_eq!(m >> j & 1 == 1, want, "byte {:?}", text.get(base + j));
                }
            }
        }
    }

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
