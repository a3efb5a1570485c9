//! Bytes to text: gzip, byte-order marks, UTF-16, and invalid UTF-8 replaced and reported.

use super::Problems;
use flate2::read::MultiGzDecoder;
use std::borrow::Cow;
use std::io::Read;

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

/// How much of the start of a file is looked at to call it binary.
const SNIFF_LEN: usize = 8192;

/// Decodes bytes to text, recording problems (invalid UTF-8, a truncated gzip stream).
pub fn decode<'a>(bytes: &'a [u8], problems: &mut Problems) -> Decoded<'a> {
    if bytes.is_empty() {
        return Decoded::Empty;
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        let mut dec = MultiGzDecoder::new(bytes);
        if let Err(e) = dec.read_to_end(&mut out) {
            problems.push(
                None,
                None,
                None,
                format!(
                    "gzip stream damaged ({e}); kept the {} bytes that decompressed",
                    out.len()
                ),
            );
        }
        if out.is_empty() {
            return Decoded::Empty;
        }
        return decoded_owned(out, problems);
    }
    decode_plain(bytes, problems)
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
            let text = String::from_utf8(out)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
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
    // UTF-16 without a BOM: every other byte NUL in the sniffed prefix.
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if head.len() >= 4 {
        let odd_nuls = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        let even_nuls = head.iter().step_by(2).filter(|&&b| b == 0).count();
        let half = head.len() / 2;
        if odd_nuls * 10 >= half * 9 && even_nuls == 0 {
            return utf16(bytes, false, problems);
        }
        if even_nuls * 10 >= half * 9 && odd_nuls == 0 {
            return utf16(bytes, true, problems);
        }
    }
    utf8(bytes, problems)
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
    if head.contains(&0) {
        return Some("it contains NUL bytes".into());
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count();
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
}
