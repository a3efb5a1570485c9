//! Bytes to text: gzip, byte-order marks, UTF-16, and invalid UTF-8 replaced and reported.

use super::limits::{
    self, GZIP_DEPTH, INFLATED_FILE_BYTES, INFLATED_RUN_BYTES, INFLATION_RATIO, RATIO_FROM_BYTES,
};
use super::Problems;
use std::borrow::Cow;

/// What a file's bytes turned out to be.
#[derive(Debug)]
pub enum Decoded<'a> {
    /// No bytes at all (or an empty archive).
    Empty,
    /// Not text: not analysed.
    Binary {
        /// `gzip` when the binary content came out of a gzip stream.
        compression: Option<String>,
        /// Why it was judged binary.
        why: String,
    },
    /// Text, borrowed where no conversion was needed.
    Text {
        /// The text.
        text: Cow<'a, str>,
        /// The encoding found.
        encoding: &'static str,
        /// `gzip` when decompressed.
        compression: Option<String>,
    },
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// A gzip layer's members inflated in turn, a step at a time, onto the end of a buffer; how
/// many compressed bytes were taken, for the inflation ratio.
///
/// Natively zlib-rs inflates straight into the buffer's spare room, which is never zeroed
/// first, and counts exactly the compressed bytes it took; the page's wasm reads through
/// flate2's `MultiGzDecoder` into room it zeroes (and counts what its reader read ahead).
#[cfg(not(target_arch = "wasm32"))]
struct Members<'a> {
    dec: flate2::Decompress,
    rest: &'a [u8],
    taken: usize,
    /// A member has ended: the next byte, if any, starts another.
    ended: bool,
    /// The damage found in the step that also gave bytes: told at the next step, so that the
    /// bytes are first held to the limits like any others.
    damage: Option<std::io::Error>,
}

#[cfg(not(target_arch = "wasm32"))]
impl<'a> Members<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Members {
            dec: flate2::Decompress::new_gzip(15),
            rest: bytes,
            taken: 0,
            ended: false,
            damage: None,
        }
    }

    /// Inflates onto the end of `out` at most `step` bytes (`step` ≥ 1): how many it wrote,
    /// 0 once the last member has ended.
    fn step(&mut self, out: &mut Vec<u8>, step: usize) -> std::io::Result<usize> {
        use flate2::{FlushDecompress, Status};
        use std::io::{Error, ErrorKind};
        if let Some(damage) = self.damage.take() {
            return Err(damage);
        }
        out.reserve(step);
        let len = out.len();
        loop {
            if self.ended {
                if self.rest.is_empty() {
                    return Ok(0);
                }
                self.dec.reset(true);
                self.ended = false;
            }
            let (was_in, was_out) = (self.dec.total_in(), self.dec.total_out());
            let status = self.dec.decompress_uninit(
                self.rest,
                &mut out.spare_capacity_mut()[..step],
                FlushDecompress::None,
            );
            let took = (self.dec.total_in() - was_in) as usize;
            let made = (self.dec.total_out() - was_out) as usize;
            // The inflater reads only the input given and writes only the room given.
            debug_assert!(took <= self.rest.len() && made <= step);
            // SAFETY: the inflater wrote `made` bytes at the start of the buffer's spare room,
            // within the `step` bytes reserved above.
            unsafe { out.set_len(len + made) };
            self.rest = &self.rest[took..];
            self.taken += took;
            match status {
                Ok(Status::StreamEnd) => self.ended = true,
                Ok(_) if made == 0 && took == 0 => {
                    return Err(Error::new(
                        ErrorKind::UnexpectedEof,
                        "the file ends inside a gzip member or its header",
                    ))
                }
                Ok(_) => {}
                Err(e) if made > 0 => {
                    self.damage = Some(Error::new(ErrorKind::InvalidData, e));
                }
                Err(e) => return Err(Error::new(ErrorKind::InvalidData, e)),
            }
            if made > 0 {
                return Ok(made);
            }
        }
    }

    fn taken(&self) -> usize {
        self.taken
    }
}

#[cfg(target_arch = "wasm32")]
struct Members<'a> {
    dec: flate2::read::MultiGzDecoder<Counted<'a>>,
}

#[cfg(target_arch = "wasm32")]
impl<'a> Members<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Members {
            dec: flate2::read::MultiGzDecoder::new(Counted {
                rest: bytes,
                taken: 0,
            }),
        }
    }

    /// Inflates onto the end of `out` at most `step` bytes (`step` ≥ 1): how many it wrote,
    /// 0 once the last member has ended.
    fn step(&mut self, out: &mut Vec<u8>, step: usize) -> std::io::Result<usize> {
        use std::io::Read;
        let len = out.len();
        out.resize(len + step, 0);
        let read = self.dec.read(&mut out[len..]);
        out.truncate(len + *read.as_ref().unwrap_or(&0));
        read
    }

    fn taken(&self) -> usize {
        self.dec.get_ref().taken
    }
}

/// Counts the compressed bytes the decoder has taken, for the inflation ratio (the page's wasm:
/// what `MultiGzDecoder`'s reader read ahead, up to 32 KiB more than it inflated from).
#[cfg(target_arch = "wasm32")]
struct Counted<'a> {
    rest: &'a [u8],
    taken: usize,
}

#[cfg(target_arch = "wasm32")]
impl std::io::Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = std::io::Read::read(&mut self.rest, buf)?;
        self.taken += n;
        Ok(n)
    }
}

/// The most one layer may inflate to, and the limit that sets it.
#[derive(Clone, Copy)]
struct Cap {
    max: usize,
    /// True when the bytes left to the run, not the limit per file, set `max`.
    by_run: bool,
}

impl Cap {
    fn limit_reached(self, kept: usize) -> String {
        if self.by_run {
            format!(
                "the files of this run inflated past the limit of {} per run; kept the first {} \
                 of this one",
                limits::bytes(INFLATED_RUN_BYTES),
                limits::bytes(kept as u64)
            )
        } else {
            format!(
                "inflated past the limit of {} per file; kept the first {}",
                limits::bytes(self.max as u64),
                limits::bytes(kept as u64)
            )
        }
    }
}

/// The most bytes one read of the inflater writes.
const STEP: usize = 1 << 20;

/// Inflates one gzip layer (all its members) within the limits on inflated bytes and on the
/// ratio; a limit reached or a damaged stream is a problem, and what inflated before is kept.
fn inflate(bytes: &[u8], cap: Cap, problems: &mut Problems) -> Vec<u8> {
    let max = cap.max;
    let mut dec = Members::new(bytes);
    // Room for the size the gzip says it inflates to (its last member's, modulo 4 GiB), within
    // the limit and 32 times the gzip: a large file is then not copied again each time it
    // outgrows its buffer. A wrong size costs only a later growth, and room the system refuses
    // is not asked for.
    let said = bytes.len().checked_sub(4).map_or(0, |at| {
        u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize
    });
    let mut out: Vec<u8> = Vec::new();
    let _ = out.try_reserve_exact(said.min(max).min(bytes.len().saturating_mul(32)) + 1);
    // Inflated straight into `out`, a step at a time (no copy through a buffer); a step asks
    // for at most one byte past the limit, so a stream that would pass it is told.
    loop {
        let len = out.len();
        // Within the room reserved while there is some (a file of the size its gzip said never
        // grows), else a step more.
        let spare = out.capacity() - len;
        let step = if spare > 0 { spare.min(STEP) } else { STEP }.min(max - len + 1);
        match dec.step(&mut out, step) {
            Ok(0) => break,
            Ok(n) => {
                if len + n > max {
                    out.truncate(max);
                    problems.push(None, None, None, cap.limit_reached(out.len()));
                    break;
                }
                let taken = dec.taken().max(1);
                if out.len() > RATIO_FROM_BYTES && out.len() / taken > INFLATION_RATIO {
                    problems.push(
                        None,
                        None,
                        None,
                        format!(
                            "inflates more than the limit of {INFLATION_RATIO} to 1 (a \
                             decompression bomb?); kept the first {} of text",
                            limits::bytes(out.len() as u64)
                        ),
                    );
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                problems.push(
                    None,
                    None,
                    None,
                    format!(
                        "gzip stream damaged ({e}); kept the {} bytes that decompressed",
                        out.len()
                    ),
                );
                break;
            }
        }
    }
    out
}

/// How much of the start of a file is looked at to call it binary.
const SNIFF_LEN: usize = 8192;

/// Decodes bytes to text, recording problems (invalid UTF-8, a truncated gzip stream), as the
/// only file of a run.
pub fn decode<'a>(bytes: &'a [u8], problems: &mut Problems) -> Decoded<'a> {
    decode_within(bytes, INFLATED_RUN_BYTES, problems).0
}

/// [`decode`] for a file of a run whose earlier files left `run_left` bytes of the run's
/// limit on inflated bytes: a gzip inflates to at most that (and at most the limit per file).
/// Also returns the bytes it inflated to (0 when not compressed), to take off what is left.
pub fn decode_within<'a>(
    bytes: &'a [u8],
    run_left: u64,
    problems: &mut Problems,
) -> (Decoded<'a>, u64) {
    if bytes.is_empty() {
        return (Decoded::Empty, 0);
    }
    if bytes.starts_with(&GZIP_MAGIC) {
        let cap = if run_left < INFLATED_FILE_BYTES as u64 {
            Cap {
                max: run_left as usize,
                by_run: true,
            }
        } else {
            Cap {
                max: INFLATED_FILE_BYTES,
                by_run: false,
            }
        };
        let mut out = inflate(bytes, cap, problems);
        // Gzip inside gzip: unwrapped up to the limit on layers.
        let mut depth = 1;
        while out.starts_with(&GZIP_MAGIC) {
            if depth >= GZIP_DEPTH {
                problems.push(
                    None,
                    None,
                    None,
                    format!(
                        "gzip nested deeper than the limit of {GZIP_DEPTH} layers; the inner \
                         layer was not unwrapped"
                    ),
                );
                break;
            }
            out = inflate(&out, cap, problems);
            depth += 1;
        }
        let inflated = out.len() as u64;
        if out.is_empty() {
            return (Decoded::Empty, 0);
        }
        return (decoded_owned(out, problems), inflated);
    }
    (decode_plain(bytes, problems), 0)
}

/// Decodes decompressed bytes, moving them into the text when they are already UTF-8 (no copy
/// of a large decompressed file).
fn decoded_owned(mut out: Vec<u8>, problems: &mut Problems) -> Decoded<'static> {
    enum Got {
        Range(usize, usize, &'static str),
        Owned(String, &'static str),
        Binary(String),
        Empty,
    }
    let got = match decode_plain(&out, problems) {
        Decoded::Text {
            text: Cow::Borrowed(b),
            encoding,
            ..
        } => Got::Range(
            b.as_ptr() as usize - out.as_ptr() as usize,
            b.len(),
            encoding,
        ),
        Decoded::Text {
            text: Cow::Owned(t),
            encoding,
            ..
        } => Got::Owned(t, encoding),
        Decoded::Binary { why, .. } => Got::Binary(why),
        Decoded::Empty => Got::Empty,
    };
    let gzip = Some("gzip".to_string());
    match got {
        Got::Range(start, len, encoding) => {
            out.truncate(start + len);
            out.drain(..start);
            // SAFETY: these are the bytes `decode_plain` found to be UTF-8 and borrowed as a
            // `str` (its range of `out`, unchanged since): checking them again would read the
            // whole text once more.
            let text = unsafe { String::from_utf8_unchecked(out) };
            Decoded::Text {
                text: Cow::Owned(text),
                encoding,
                compression: gzip,
            }
        }
        Got::Owned(text, encoding) => Decoded::Text {
            text: Cow::Owned(text),
            encoding,
            compression: gzip,
        },
        Got::Binary(why) => Decoded::Binary {
            compression: gzip,
            why,
        },
        Got::Empty => Decoded::Empty,
    }
}

fn decode_plain<'a>(bytes: &'a [u8], problems: &mut Problems) -> Decoded<'a> {
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return match utf8(rest, problems) {
            Decoded::Text { text, .. } => Decoded::Text {
                text,
                encoding: "utf-8-bom",
                compression: None,
            },
            other => other,
        };
    }
    if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        return utf16(rest, false, problems);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        return utf16(rest, true, problems);
    }
    if let Some(big_endian) = utf16_without_bom(bytes) {
        return utf16(bytes, big_endian, problems);
    }
    utf8(bytes, problems)
}

/// UTF-16 without a BOM: every other byte NUL in the sniffed prefix (`Some(true)`: big-endian).
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    // Text without a NUL byte (nearly every file) is not UTF-16: no counting.
    if head.len() >= 4 && memchr::memchr(0, head).is_some() {
        let odd_nuls = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        let even_nuls = head.iter().step_by(2).filter(|&&b| b == 0).count();
        let half = head.len() / 2;
        if odd_nuls * 10 >= half * 9 && even_nuls == 0 {
            return Some(false);
        }
        if even_nuls * 10 >= half * 9 && odd_nuls == 0 {
            return Some(true);
        }
    }
    None
}

/// Whether a file whose bytes begin with `head` (at least its first 8 KiB, or all of it) is
/// read as UTF-8 text with no conversion: not gzip, no byte-order mark, not UTF-16, not binary
/// by its start. Such a file's text is its bytes (invalid UTF-8 replaced), so it can be read
/// from a stream as [`decode`] would read it whole.
pub fn plain_text_head(head: &[u8]) -> bool {
    !head.is_empty()
        && !head.starts_with(&GZIP_MAGIC)
        && ![&[0xef, 0xbb, 0xbf][..], &[0xff, 0xfe], &[0xfe, 0xff]]
            .iter()
            .any(|bom| head.starts_with(bom))
        && utf16_without_bom(head).is_none()
        && binary_reason(head).is_none()
}

fn utf8<'a>(bytes: &'a [u8], problems: &mut Problems) -> Decoded<'a> {
    if let Some(why) = binary_reason(bytes) {
        return Decoded::Binary {
            compression: None,
            why,
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Decoded::Text {
            text: Cow::Borrowed(s),
            encoding: "utf-8",
            compression: None,
        },
        Err(_) => {
            report_invalid_utf8(bytes, problems);
            Decoded::Text {
                text: Cow::Owned(String::from_utf8_lossy(bytes).into_owned()),
                encoding: "utf-8",
                compression: None,
            }
        }
    }
}

/// A text file has no NUL bytes and few control characters at its start.
fn binary_reason(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if memchr::memchr(0, head).is_some() {
        return Some("it contains NUL bytes".into());
    }
    // Without branches and in byte-wide counters, so the count is vectorised (every file's
    // head is counted, twice).
    let control: usize = head
        .chunks(255)
        .map(|c| {
            let n = c.iter().fold(0u8, |n, &b| {
                n + u8::from(
                    (b < 0x20)
                        & (b != b'\n')
                        & (b != b'\r')
                        & (b != b'\t')
                        & (b != 0x0c)
                        & (b != 0x1b),
                )
            });
            usize::from(n)
        })
        .sum();
    if control * 20 > head.len() {
        return Some(format!(
            "{control} control bytes in its first {} bytes",
            head.len()
        ));
    }
    None
}

/// One problem per line with invalid UTF-8 (the first ones are kept, all are counted).
fn report_invalid_utf8(bytes: &[u8], problems: &mut Problems) {
    let mut line = 1u64;
    let mut start = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            if std::str::from_utf8(&bytes[start..i]).is_err() {
                problems.push(
                    Some(line),
                    None,
                    None,
                    "invalid UTF-8 (read as Latin-1 or damaged?); replaced with U+FFFD".into(),
                );
            }
            line += 1;
            start = i + 1;
        }
    }
    if start < bytes.len() && std::str::from_utf8(&bytes[start..]).is_err() {
        problems.push(
            Some(line),
            None,
            None,
            "invalid UTF-8 (read as Latin-1 or damaged?); replaced with U+FFFD".into(),
        );
    }
}

fn utf16<'a>(bytes: &[u8], big_endian: bool, problems: &mut Problems) -> Decoded<'a> {
    let units = bytes.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut bad = 0u64;
    for r in char::decode_utf16(units) {
        match r {
            Ok(c) => text.push(c),
            Err(_) => {
                bad += 1;
                text.push('\u{fffd}');
            }
        }
    }
    if bytes.len() % 2 == 1 {
        problems.push(
            None,
            None,
            None,
            "UTF-16 text has an odd number of bytes; the last byte was dropped".into(),
        );
    }
    if bad > 0 {
        problems.push(
            None,
            None,
            None,
            format!("{bad} unpaired UTF-16 surrogates replaced with U+FFFD"),
        );
    }
    Decoded::Text {
        text: Cow::Owned(text),
        encoding: if big_endian { "utf-16be" } else { "utf-16le" },
        compression: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn text_of(bytes: &[u8]) -> (String, &'static str, Option<String>, u64) {
        let mut p = Problems::new("t");
        match decode(bytes, &mut p) {
            Decoded::Text {
                text,
                encoding,
                compression,
            } => {
                let t = text.into_owned();
                (t, encoding, compression, p.finish().0)
            }
            other => panic!("not text: {other:?}"),
        }
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let (t, enc, _, _) = text_of(b"\xef\xbb\xbfa,b\n");
        assert_eq!((t.as_str(), enc), ("a,b\n", "utf-8-bom"));
    }

    #[test]
    fn utf16le_with_and_without_bom() {
        let mut with = vec![0xff, 0xfe];
        let body: Vec<u8> = "key,model\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        with.extend(&body);
        assert_eq!(text_of(&with).0, "key,model\n");
        assert_eq!(text_of(&body).1, "utf-16le");
    }

    #[test]
    fn gzip_is_decompressed() {
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"{\"Records\":[]}").unwrap();
        let gz = enc.finish().unwrap();
        let (t, _, comp, _) = text_of(&gz);
        assert_eq!(t, "{\"Records\":[]}");
        assert_eq!(comp.as_deref(), Some("gzip"));
    }

    #[test]
    fn truncated_gzip_keeps_what_decompressed() {
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&b"line of text\n".repeat(2000)).unwrap();
        let gz = enc.finish().unwrap();
        let mut p = Problems::new("t.gz");
        let d = decode(&gz[..gz.len() - 10], &mut p);
        assert!(matches!(d, Decoded::Text { .. } | Decoded::Empty));
        let (n, probs) = p.finish();
        assert_eq!(n, 1);
        assert!(
            probs[0].message.contains("gzip stream damaged"),
            "{:?}",
            probs
        );
    }

    #[test]
    fn latin1_is_replaced_and_reported_by_line() {
        let (t, _, _, n) = text_of(b"ok\ncaf\xe9\nok\n");
        assert!(t.contains("caf\u{fffd}"));
        assert_eq!(n, 1);
        let mut p = Problems::new("l1.csv");
        decode(b"ok\ncaf\xe9\n", &mut p);
        assert_eq!(p.finish().1[0].line, Some(2));
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn gzip_inside_gzip_is_unwrapped_up_to_the_limit() {
        let two = gz(&gz(b"inner text\n"));
        assert_eq!(text_of(&two).0, "inner text\n");
        let mut deep = b"deep\n".to_vec();
        for _ in 0..GZIP_DEPTH + 1 {
            deep = gz(&deep);
        }
        let mut p = Problems::new("deep.gz");
        let _ = decode(&deep, &mut p);
        let (_, probs) = p.finish();
        assert!(probs[0].message.contains("limit of 3 layers"), "{probs:?}");
    }

    #[test]
    fn a_limit_reached_is_named_and_keeps_the_head() {
        let big = gz(&b"x".repeat(3 << 20));
        let mut p = Problems::new("big.gz");
        let cap = Cap {
            max: 1 << 20,
            by_run: false,
        };
        let out = inflate(&big, cap, &mut p);
        assert_eq!(out.len(), 1 << 20);
        let (_, probs) = p.finish();
        assert!(
            probs[0].message.contains("limit of 1 MiB per file"),
            "{probs:?}"
        );
        assert!(!probs[0].message.contains("damaged"));
    }

    #[test]
    fn what_inflates_is_whole_whatever_room_the_last_member_said_and_the_limit_holds_to_the_byte() {
        // More than one step of the inflater, text that does not repeat.
        let big: Vec<u8> = (0..(STEP * 2 + 12_345) as u32)
            .flat_map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes())
            .take(STEP * 2 + 12_345)
            .collect();
        let small = b"a small member\n".repeat(1000);
        // The room reserved is what the last member says it inflates to: all of the text, far
        // too little (the big member first), or much of it.
        for members in [vec![&big], vec![&big, &small], vec![&small, &big]] {
            let whole: Vec<u8> = members.iter().flat_map(|m| m.iter().copied()).collect();
            let g: Vec<u8> = members.iter().flat_map(|m| gz(m)).collect();
            let n = members.len();
            let mut p = Problems::new("members.gz");
            let unlimited = Cap {
                max: usize::MAX / 2,
                by_run: false,
            };
            assert!(inflate(&g, unlimited, &mut p) == whole, "{n} members");
            assert_eq!(p.count(), 0, "{n} members");
            // A limit of exactly the text's size keeps it whole and quiet; one byte less is
            // told, and keeps all it can.
            for (max, problems) in [(whole.len(), 0), (whole.len() - 1, 1)] {
                let mut p = Problems::new("members.gz");
                let out = inflate(&g, Cap { max, by_run: false }, &mut p);
                assert!(out == whole[..max], "{n} members, limit {max}");
                assert_eq!(p.count(), problems, "{n} members, limit {max}");
            }
        }
    }

    #[test]
    fn bytes_after_the_last_member_are_told_and_every_member_kept() {
        let one = b"first member\n".repeat(300);
        let two = b"second member\n".repeat(300);
        let mut g = gz(&one);
        g.extend(gz(&two));
        let whole: Vec<u8> = one.iter().chain(&two).copied().collect();
        let unlimited = Cap {
            max: usize::MAX / 2,
            by_run: false,
        };
        // Two members and nothing after: both, and quiet.
        let mut p = Problems::new("two.gz");
        assert!(inflate(&g, unlimited, &mut p) == whole);
        assert_eq!(p.count(), 0);
        // Bytes after them that start no member: both members kept, the damage told.
        for tail in [&b"\0\0\0\0"[..], b"not gzip at all", &gz(b"third")[..12]] {
            let mut damaged = g.clone();
            damaged.extend_from_slice(tail);
            let mut p = Problems::new("two.gz");
            let out = inflate(&damaged, unlimited, &mut p);
            // (The cut member's first bytes inflate before its cut.)
            assert!(
                out.starts_with(&whole) && out.len() <= whole.len() + 5,
                "{tail:?}: {} bytes",
                out.len()
            );
            let (n, probs) = p.finish();
            assert_eq!(n, 1, "{tail:?}");
            assert!(
                probs[0].message.contains("gzip stream damaged"),
                "{probs:?}"
            );
        }
        // A member cut inside its compressed data keeps what inflated before the cut.
        let cut = &g[..g.len() - 30];
        let mut p = Problems::new("cut.gz");
        let out = inflate(cut, unlimited, &mut p);
        assert!(
            out.len() >= one.len() && whole.starts_with(&out),
            "{}",
            out.len()
        );
        assert_eq!(p.count(), 1);
    }

    #[test]
    fn bytes_past_the_limit_are_not_kept_when_the_same_step_finds_damage() {
        // A member one byte longer than the limit, its checksum damaged: the inflater gives all
        // its bytes and the damage in one step. The limit is told, and holds to the byte.
        let text = b"x".repeat(101);
        let mut g = gz(&text);
        let crc = g.len() - 8;
        g[crc] ^= 0xff;
        let per_file = |max| Cap { max, by_run: false };
        let mut p = Problems::new("crc.gz");
        let out = inflate(&g, per_file(100), &mut p);
        assert_eq!(out, text[..100]);
        let (n, probs) = p.finish();
        assert_eq!(n, 1, "{probs:?}");
        assert!(
            probs[0].message.contains("limit of 100 bytes per file"),
            "{probs:?}"
        );
        // Within the limit, the same damage is told as damage, with every byte kept.
        let mut p = Problems::new("crc.gz");
        let out = inflate(&g, per_file(200), &mut p);
        assert_eq!(out, text);
        let (_, probs) = p.finish();
        assert!(
            probs[0].message.contains("gzip stream damaged"),
            "{probs:?}"
        );
    }

    #[test]
    fn a_file_inflates_within_what_the_run_has_left() {
        let g = gz(&b"line of text\n".repeat(1000));
        let mut p = Problems::new("late.gz");
        let (d, inflated) = decode_within(&g, 1300, &mut p);
        assert_eq!(inflated, 1300);
        let Decoded::Text { text, .. } = d else {
            panic!("not text")
        };
        assert_eq!(text.len(), 1300);
        let (_, probs) = p.finish();
        assert_eq!(probs.len(), 1, "{probs:?}");
        assert!(
            probs[0]
                .message
                .contains("limit of 4 GiB per run; kept the first 1300 bytes"),
            "{probs:?}"
        );
        // Nothing left: the file is read as empty, and the problem says why.
        let mut p = Problems::new("last.gz");
        assert!(matches!(decode_within(&g, 0, &mut p), (Decoded::Empty, 0)));
        assert_eq!(p.count(), 1);
        // A plain file costs nothing of the run's inflated bytes.
        let mut p = Problems::new("plain.txt");
        assert_eq!(decode_within(b"text\n", 0, &mut p).1, 0);
        assert_eq!(p.count(), 0);
        // Within the limit, the whole file and its size.
        let mut p = Problems::new("ok.gz");
        assert_eq!(decode_within(&g, INFLATED_RUN_BYTES, &mut p).1, 13_000);
        assert_eq!(p.count(), 0);
    }
}
