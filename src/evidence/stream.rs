//! The inventory row of a large plain text read from a stream: hashed, sniffed from its head,
//! its lines counted and its UTF-8 checked chunk by chunk, so memory holds one chunk whatever
//! the file's size. Only a file whose row is exactly the one reading it whole gives is read
//! this way (plain UTF-8, a text kind, no invalid byte); for any other the caller reads it
//! whole.

use super::source::{head, HEAD_BYTES};
use super::{plain_text_head, sniff, EvidenceFile, EvidenceKind};
use sha2::{Digest, Sha256};
use std::io::Read;

/// Bytes read from the stream at a time.
const CHUNK: usize = 1 << 20;

/// Reads a text's inventory row from `reader`: `Ok(None)` when the file must be read whole to
/// get the same row (not plain UTF-8, not a text kind, or an invalid UTF-8 byte somewhere),
/// `Err` when the stream failed.
pub fn read(name: &str, reader: &mut dyn Read) -> Result<Option<EvidenceFile>, String> {
    let mut here = Here {
        sha: Sha256::new(),
        buf: Vec::new(),
    };
    let counted = count(reader, &mut here)?;
    Ok(counted.map(|(kind, c)| row(name, kind, c, here.sha)))
}

/// [`read`] on up to `jobs` threads: with more than one, the text is hashed on a second
/// thread as the first reads it, counts its lines and checks its UTF-8 (the hash is the
/// longest part of reading a plain text, and no other thread has work while a large file is
/// read in its turn). The row is [`read`]'s. In the page's wasm: [`read`].
pub fn read_jobs(
    name: &str,
    reader: &mut dyn Read,
    jobs: usize,
) -> Result<Option<EvidenceFile>, String> {
    #[cfg(not(target_arch = "wasm32"))]
    if jobs > 1 {
        return read_hashing_aside(name, reader);
    }
    let _ = jobs;
    read(name, reader)
}

/// Where the chunks of a stream are read into, and what is done with each once it is counted.
trait Chunks {
    /// A buffer of [`CHUNK`] bytes to read the next chunk into.
    fn buffer(&mut self) -> Vec<u8>;
    /// The chunk read: its first `n` bytes, counted; the buffer is handed back with it.
    fn counted(&mut self, chunk: Vec<u8>, n: usize);
}

/// Chunks hashed on the reading thread, read into one buffer again and again.
struct Here {
    sha: Sha256,
    buf: Vec<u8>,
}

impl Chunks for Here {
    fn buffer(&mut self) -> Vec<u8> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.resize(CHUNK, 0);
        buf
    }
    fn counted(&mut self, chunk: Vec<u8>, n: usize) {
        self.sha.update(&chunk[..n]);
        self.buf = chunk;
    }
}

/// Chunks handed whole (never copied) to a thread hashing them, which hands each buffer back
/// to be read into again: at most [`ASIDE`] buffers are in use.
#[cfg(not(target_arch = "wasm32"))]
struct Aside {
    to_hash: std::sync::mpsc::SyncSender<(Vec<u8>, usize)>,
    back: std::sync::mpsc::Receiver<Vec<u8>>,
    made: usize,
}

/// Buffers a stream hashed aside uses at most.
#[cfg(not(target_arch = "wasm32"))]
const ASIDE: usize = 6;

#[cfg(not(target_arch = "wasm32"))]
impl Chunks for Aside {
    fn buffer(&mut self) -> Vec<u8> {
        let mut buf = match self.back.try_recv() {
            Ok(buf) => buf,
            Err(_) if self.made < ASIDE => {
                self.made += 1;
                Vec::new()
            }
            // Every buffer is with the hashing thread: wait for one (or, if it stopped, read
            // into a new one; its stop is told when it is joined).
            Err(_) => self.back.recv().unwrap_or_default(),
        };
        buf.resize(CHUNK, 0);
        buf
    }
    fn counted(&mut self, chunk: Vec<u8>, n: usize) {
        let _ = self.to_hash.send((chunk, n));
    }
}

/// [`read`], each chunk hashed on another thread.
#[cfg(not(target_arch = "wasm32"))]
fn read_hashing_aside(name: &str, reader: &mut dyn Read) -> Result<Option<EvidenceFile>, String> {
    use std::sync::mpsc;
    let (to_hash, rx) = mpsc::sync_channel::<(Vec<u8>, usize)>(ASIDE);
    let (back_tx, back) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|s| {
        let hasher = s.spawn(move || {
            let mut sha = Sha256::new();
            for (chunk, n) in rx {
                sha.update(&chunk[..n]);
                // The chunk's buffer goes back to be read into again.
                let _ = back_tx.send(chunk);
            }
            sha
        });
        let mut aside = Aside {
            to_hash,
            back,
            made: 0,
        };
        let counted = count(reader, &mut aside);
        drop(aside);
        let sha = hasher
            .join()
            .map_err(|_| "the thread hashing the file stopped".to_string())?;
        Ok(counted?.map(|(kind, c)| row(name, kind, c, sha)))
    })
}

/// The kind and counts of a text read from `reader`, each chunk handed to `chunks` once it is
/// counted (`None`: the file must be read whole, see [`read`]).
fn count(
    reader: &mut dyn Read,
    chunks: &mut dyn Chunks,
) -> Result<Option<(EvidenceKind, Count)>, String> {
    let Some((kind, start, mut count)) = text_head(reader)? else {
        return Ok(None);
    };
    let n = start.len();
    chunks.counted(start, n);
    loop {
        let mut buf = chunks.buffer();
        let n = loop {
            match reader.read(&mut buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.to_string()),
            }
        };
        if n == 0 {
            break;
        }
        if count.push(&buf[..n]).is_err() {
            return Ok(None);
        }
        chunks.counted(buf, n);
    }
    Ok(count.finish().ok().map(|c| (kind, c)))
}

/// The head of a text read from `reader`, when its stream may give its row ([`text_kind`]):
/// its kind, its bytes and their count (`None`: it must be read whole). [`read`] and
/// [`left_row`] decide alike by it.
fn text_head(reader: &mut dyn Read) -> Result<Option<(EvidenceKind, Vec<u8>, Count)>, String> {
    let start = head(reader, HEAD_BYTES).map_err(|e| e.to_string())?;
    let Some(kind) = text_kind(&start) else {
        return Ok(None);
    };
    let mut count = Count::default();
    if count.push(&start).is_err() {
        return Ok(None);
    }
    Ok(Some((kind, start, count)))
}

/// The kind of a text whose head is `start`, when its stream may give its row: a plain text
/// head, valid UTF-8 (but for a sequence cut at its end), of a text kind. The sniffer looks at
/// the first 64 KiB of text only, so the head decides the kind.
fn text_kind(start: &[u8]) -> Option<EvidenceKind> {
    if !plain_text_head(start) {
        return None;
    }
    let valid = match std::str::from_utf8(start) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&start[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return None,
    };
    Some(sniff(valid)).filter(|k| k.is_text())
}

/// The row of a large plain text left for the scan to complete as it reads the text from its
/// own stream ([`Tally`]), so a text that is only scanned is read once, not once for its row
/// and again for its secrets: its name, size and kind, from its head, and no SHA-256 yet
/// ([`is_left`]). `Ok(None)`: the head says the stream would not give the row (see [`read`]).
pub fn left_row(
    name: &str,
    size: u64,
    reader: &mut dyn Read,
) -> Result<Option<EvidenceFile>, String> {
    let Some((kind, ..)) = text_head(reader)? else {
        return Ok(None);
    };
    // The row of no bytes yet (no line, no record), of the file's size, without a hash.
    let mut row = row(name, kind, Count::default(), Sha256::new());
    row.size = size;
    row.sha256.clear();
    Ok(Some(row))
}

/// Whether a row is one [`left_row`] made and the reading of its text has not completed yet.
pub fn is_left(row: &EvidenceFile) -> bool {
    row.sha256.is_empty()
}

/// The row of a text left to complete ([`left_row`]), made of the bytes read from its stream
/// by whoever reads it ([`Tally::reader`]): hashed, its lines counted and its UTF-8 checked as
/// they pass, so its row is [`read`]'s once the stream is read to its end.
pub struct Tally {
    name: String,
    kind: EvidenceKind,
    sha: Sha256,
    count: Count,
    invalid: bool,
    ended: bool,
}

impl Tally {
    /// A tally for the text of a row [`left_row`] made.
    pub fn of(row: &EvidenceFile) -> Tally {
        Tally {
            name: row.name.clone(),
            kind: row.kind,
            sha: Sha256::new(),
            count: Count::default(),
            invalid: false,
            ended: false,
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        self.sha.update(bytes);
        self.invalid = self.invalid || self.count.push(bytes).is_err();
    }

    /// `None` once an invalid UTF-8 byte was read (the text must be read whole); else, once
    /// the stream was read to its end, `Some(row)`, the row [`read`] gives. `Err(())`: neither
    /// (read it again to tell).
    #[allow(clippy::result_unit_err)]
    pub fn finish(self) -> Result<Option<EvidenceFile>, ()> {
        if self.invalid {
            return Ok(None);
        }
        if !self.ended {
            return Err(());
        }
        Ok(self
            .count
            .finish()
            .ok()
            .map(|c| row(&self.name, self.kind, c, self.sha)))
    }

    /// `reader`, tallying every byte read through it; when it is dropped, what the tally says
    /// ([`Tally::finish`]) goes to `done`, if it says anything. Reading it fails at the first
    /// chunk holding an invalid UTF-8 byte: the text is to be read whole, so reading on is
    /// wasted.
    pub fn reader<'a>(
        self,
        reader: Box<dyn Read + 'a>,
        done: impl FnOnce(Option<EvidenceFile>) + 'a,
    ) -> Box<dyn Read + 'a> {
        Box::new(Tallied {
            reader,
            tally: Some(self),
            done: Some(Box::new(done)),
        })
    }
}

/// A stream read through a [`Tally`].
struct Tallied<'a> {
    reader: Box<dyn Read + 'a>,
    tally: Option<Tally>,
    done: Option<Box<dyn FnOnce(Option<EvidenceFile>) + 'a>>,
}

impl Read for Tallied<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.reader.read(buf)?;
        if let Some(t) = &mut self.tally {
            match n {
                // Nothing read into room for something: the end.
                0 => t.ended |= !buf.is_empty(),
                n => t.push(&buf[..n]),
            }
            // Whoever reads it will read it whole: no need to read on.
            if t.invalid {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "not UTF-8: to be read whole",
                ));
            }
        }
        Ok(n)
    }
}

impl Drop for Tallied<'_> {
    fn drop(&mut self) {
        if let (Some(Ok(told)), Some(done)) =
            (self.tally.take().map(Tally::finish), self.done.take())
        {
            done(told);
        }
    }
}

/// What is counted of the text as it streams by.
#[derive(Default)]
struct Count {
    bytes: u64,
    /// Line ends: LF, CRLF (once) and a lone CR, as the whole-file count.
    lines: u64,
    /// The last byte seen (a CR at a chunk's end is a line end unless an LF follows).
    last: Option<u8>,
    /// The bytes of a UTF-8 sequence cut at the end of the previous chunk.
    carry: Vec<u8>,
}

/// The text holds an invalid UTF-8 byte: the file is read whole (its problems name lines).
struct Invalid;

impl Count {
    fn push(&mut self, chunk: &[u8]) -> Result<(), Invalid> {
        if chunk.is_empty() {
            return Ok(());
        }
        self.bytes += chunk.len() as u64;
        // A CR that ended the previous chunk, followed by this chunk's LF, was counted there.
        if self.last == Some(b'\r') && chunk[0] == b'\n' {
            self.lines = self.lines.saturating_sub(1);
        }
        // Every LF, and every CR not followed by an LF (CRs are rare: counted apart, the LFs
        // are counted without stopping at each).
        self.lines += memchr::memchr_iter(b'\n', chunk).count() as u64;
        self.lines += memchr::memchr_iter(b'\r', chunk)
            .filter(|&i| chunk.get(i + 1) != Some(&b'\n'))
            .count() as u64;
        self.last = chunk.last().copied();
        // UTF-8 checked with the cut sequence of the previous chunk in front.
        let mut joined;
        let bytes = if self.carry.is_empty() {
            chunk
        } else {
            joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(chunk);
            &joined[..]
        };
        match std::str::from_utf8(bytes) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => self.carry = bytes[e.valid_up_to()..].to_vec(),
            Err(_) => return Err(Invalid),
        }
        Ok(())
    }

    fn finish(self) -> Result<Count, Invalid> {
        if self.carry.is_empty() {
            Ok(self)
        } else {
            Err(Invalid)
        }
    }
}

/// The row reading the same text whole makes.
fn row(name: &str, kind: EvidenceKind, c: Count, sha: Sha256) -> EvidenceFile {
    let ends_line = matches!(c.last, Some(b'\n' | b'\r'));
    let lines = if c.bytes == 0 || ends_line {
        c.lines
    } else {
        c.lines + 1
    };
    EvidenceFile {
        name: name.to_string(),
        size: c.bytes,
        sha256: crate::secret::hex(&sha.finalize()),
        kind_label: kind.label().to_string(),
        kind,
        compression: None,
        inflated_size: None,
        encoding: Some("utf-8".to_string()),
        lines,
        records: lines,
        assumptions: Vec::new(),
        note: None,
        problem_count: 0,
        problems: Vec::new(),
        providers: Vec::new(),
        time_range: None,
        duplicates: 0,
        undated: 0,
        columns: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{inventory, Input};

    /// Reads `bytes` as a stream handed out `piece` bytes at a time.
    fn streamed(bytes: &[u8], piece: usize) -> Option<EvidenceFile> {
        struct Pieces<'a>(&'a [u8], usize);
        impl Read for Pieces<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let one = read("t.log", &mut Pieces(bytes, piece)).unwrap();
        // Hashed on a second thread: the same row.
        let two = read_jobs("t.log", &mut Pieces(bytes, piece), 2).unwrap();
        assert_eq!(one, two, "pieces of {piece}");
        one
    }

    #[test]
    fn the_row_of_a_streamed_text_is_the_row_read_whole() {
        let line =
            "commit 0123456789abcdef0123456789abcdef01234567\nAuthor: a <a@b>\n\n  é ünï\r\nx\ry\n";
        let log = line.repeat(HEAD_BYTES * 3 / line.len());
        let no_end = format!(
            "{}last line without an end",
            "plain text é\r\n".repeat(90_000)
        );
        let ends_cr = format!("{}\r", "plain\rtext\n".repeat(200_000));
        for text in [log.as_str(), &no_end, &ends_cr] {
            let whole = inventory(&Input::new("t.log", text));
            assert!(whole.kind.is_text());
            // Pieces that cut CRLF pairs and UTF-8 sequences at every offset.
            for piece in [1 << 20, 4093, 7] {
                let got = streamed(text.as_bytes(), piece).expect("streamed");
                assert_eq!(got, whole, "pieces of {piece}");
            }
        }
    }

    /// `bytes` read through a tally of the row [`left_row`] leaves, `piece` bytes at a time, to
    /// their end or to `stop`: what the tally told (`None`: nothing).
    fn tallied(bytes: &[u8], piece: usize, stop: Option<usize>) -> Option<Option<EvidenceFile>> {
        let left = left_row("t.log", bytes.len() as u64, &mut &bytes[..]).unwrap()?;
        assert!(is_left(&left));
        let got = std::cell::RefCell::new(None);
        {
            let mut r =
                Tally::of(&left).reader(Box::new(bytes), |row| *got.borrow_mut() = Some(row));
            let mut buf = vec![0; piece];
            let mut read = 0;
            while stop.is_none_or(|s| read < s) {
                match r.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => read += n,
                    Err(e) => {
                        // Only a text to be read whole stops its reading, at its bad chunk.
                        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
                        assert!(read < bytes.len(), "{read} bytes read of {}", bytes.len());
                        break;
                    }
                }
            }
        }
        got.into_inner()
    }

    #[test]
    fn a_text_left_and_read_through_its_tally_gets_the_row_read_whole() {
        let text = "commit 0123456789abcdef0123456789abcdef01234567\nAuthor: a <a@b>\n\n  é\r\n"
            .repeat(40_000);
        let whole = inventory(&Input::new("t.log", text.as_str()));
        for piece in [1 << 20, 4093, 7] {
            assert_eq!(
                tallied(text.as_bytes(), piece, None),
                Some(Some(whole.clone())),
                "{piece}"
            );
        }
        // Not read to its end: nothing told (the reader of the rest reads it again). An empty
        // buffer read into is not the end.
        assert_eq!(tallied(text.as_bytes(), 4096, Some(text.len() / 2)), None);
        assert_eq!(tallied(text.as_bytes(), 0, Some(1)), None);
        // An invalid byte past the head, a sequence cut at the end: told to be read whole, as
        // the whole stream's reading says.
        let mut invalid = text.clone().into_bytes();
        invalid[HEAD_BYTES + 5] = 0xff;
        let cut_at_end = [text.as_bytes(), &[0xc3]].concat();
        for bytes in [&invalid[..], &cut_at_end] {
            assert_eq!(tallied(bytes, 1 << 16, None), Some(None));
            assert_eq!(streamed(bytes, 1 << 16), None);
        }
        // The invalid byte stops the reading there, and is told even then.
        let mut early = text.clone().into_bytes();
        early[HEAD_BYTES + 5] = 0xff;
        early.extend_from_slice(&invalid);
        assert_eq!(tallied(&early, 1 << 16, None), Some(None));
        // What the head says of leaving is what it says of the stream's reading: not a CSV
        // export, a byte-order mark, an invalid byte inside the head; a sequence cut at the
        // head's end is read on.
        let csv = "timestamp,api_key_id,model,input_tokens\n".to_string()
            + &"2026-01-01T00:00:00Z,k,m,1\n".repeat(100_000);
        let bom = [&[0xef, 0xbb, 0xbf][..], text.as_bytes()].concat();
        let mut in_head = text.clone().into_bytes();
        in_head[HEAD_BYTES / 2] = 0xff;
        let mut cut_at_head = "a\n".repeat((HEAD_BYTES - 1) / 2) + "b";
        assert_eq!(cut_at_head.len(), HEAD_BYTES - 1);
        cut_at_head += &text;
        cut_at_head.insert(HEAD_BYTES - 1, 'é');
        let cases = [csv.as_bytes(), &bom, &in_head, cut_at_head.as_bytes()];
        for (bytes, left) in cases.into_iter().zip([false, false, false, true]) {
            let row = left_row("t", bytes.len() as u64, &mut &bytes[..]).unwrap();
            assert_eq!(row.is_some(), left);
            assert_eq!(streamed(bytes, 1 << 16).is_some(), left);
        }
    }

    #[test]
    fn what_the_whole_read_would_read_otherwise_is_left_to_it() {
        let text = "plain text\n".repeat(200_000);
        let mut invalid = text.clone().into_bytes();
        invalid[HEAD_BYTES + 5] = 0xff;
        let cut_at_end = [text.as_bytes(), &[0xc3]].concat();
        let csv = "timestamp,api_key_id,model,input_tokens\n".to_string()
            + &"2026-01-01T00:00:00Z,k,m,1\n".repeat(100_000);
        let bom = [&[0xef, 0xbb, 0xbf][..], text.as_bytes()].concat();
        for bytes in [&invalid[..], &cut_at_end, csv.as_bytes(), &bom] {
            assert_eq!(streamed(bytes, 1 << 20), None);
        }
    }
}
