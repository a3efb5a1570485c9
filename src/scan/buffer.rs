//! One buffer's scan: the engine over the raw bytes, then over every encoded run that decodes
//! to text (base64, hex, percent; to depth [`decode::MAX_DEPTH`]).

use super::decode;
use super::engine::{self, DropCounts, Engine, RawMatch};

/// Scans a buffer and its decodings: (match, offset of the occurrence in `buf`, encoding).
///
/// A raw match lying inside an encoded run that decoded to a finding is dropped: the encoded
/// blob is not a second secret.
pub fn scan_buffer(
    engine: &Engine,
    buf: &[u8],
    out: &mut Vec<(RawMatch, usize, Option<String>)>,
    drops: &mut DropCounts,
) {
    let mut raw = Vec::new();
    engine.scan(buf, &mut raw, drops);
    let mut decoded = Vec::new();
    let mut runs = Vec::new();
    scan_decoded(engine, buf, 1, "", &mut decoded, drops, None, &mut runs);
    out.extend(
        raw.into_iter()
            .filter(|m| !runs.iter().any(|&(s, e)| m.start < e && s < m.end))
            .map(|m| {
                let at = m.start;
                (m, at, None)
            }),
    );
    out.extend(decoded);
}

#[allow(clippy::too_many_arguments)]
fn scan_decoded(
    engine: &Engine,
    buf: &[u8],
    depth: usize,
    chain: &str,
    out: &mut Vec<(RawMatch, usize, Option<String>)>,
    drops: &mut DropCounts,
    at: Option<usize>,
    runs: &mut Vec<(usize, usize)>,
) {
    let mut decs = Vec::new();
    decode::find(buf, &mut decs);
    for d in decs {
        // Give context-only rules the line's prefix (the variable name) as context.
        let (ls, _) = engine::line_bounds(buf, d.start);
        let prefix = &buf[ls.max(d.start.saturating_sub(200))..d.start];
        let mut text = Vec::with_capacity(prefix.len() + d.bytes.len());
        text.extend_from_slice(prefix);
        text.extend_from_slice(&d.bytes);
        let enc = if chain.is_empty() {
            d.encoding.to_string()
        } else {
            format!("{chain}>{}", d.encoding)
        };
        let pos = at.unwrap_or(d.start);
        let mut raw = Vec::new();
        engine.scan(&text, &mut raw, drops);
        let before = out.len();
        for m in raw.into_iter().filter(|m| m.start >= prefix.len()) {
            out.push((m, pos, Some(enc.clone())));
        }
        if depth < decode::MAX_DEPTH {
            let mut inner = Vec::new();
            scan_decoded(
                engine,
                &d.bytes,
                depth + 1,
                &enc,
                out,
                drops,
                Some(pos),
                &mut inner,
            );
        }
        if out.len() > before && at.is_none() {
            runs.push((d.start, d.end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::base64::encode;
    use crate::scan::fake::{generate, Rng};

    fn scan(text: &str) -> Vec<(String, usize, Option<String>)> {
        let engine = Engine::global();
        let mut out = Vec::new();
        scan_buffer(
            engine,
            text.as_bytes(),
            &mut out,
            &mut DropCounts::default(),
        );
        out.into_iter()
            .map(|(m, at, enc)| (engine.rules()[m.rule].id.to_string(), at, enc))
            .collect()
    }

    #[test]
    fn an_encoded_key_is_found_once_at_its_run_with_its_encoding() {
        let key = generate("ghp_{an:30}{crc}", &mut Rng::new(1)).secret;
        let once = encode(format!("token={key}").as_bytes());
        let twice = encode(once.as_bytes());
        let text = format!("a: {once}\nb: {twice}\n");
        let got = scan(&text);
        assert_eq!(
            got,
            [
                ("github-pat".to_string(), 3, Some("base64".to_string())),
                (
                    "github-pat".to_string(),
                    text.find(&twice).unwrap(),
                    Some("base64>base64".to_string())
                ),
            ]
        );
    }

    #[test]
    fn a_raw_key_is_found_where_it_stands() {
        let key = generate("ghp_{an:30}{crc}", &mut Rng::new(2)).secret;
        assert_eq!(
            scan(&format!("x\nGITHUB_TOKEN={key}\n")),
            [("github-pat".to_string(), 15, None)]
        );
    }
}
