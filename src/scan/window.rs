//! Bounded windows over a text read from a stream: each window ends at a line end, and is read
//! with an overlap past that end (also cut at a line end), so a secret spanning lines that starts
//! near a window's end is still whole in it. Memory holds one window and its overlap, whatever
//! the size of the file.

use std::io::{self, Read};

/// How much is read from the stream at a time.
const READ: usize = 1 << 20;

/// One window: the bytes from `offset` (in the whole text) up to the line end at least
/// `overlap` bytes past `end`. A match belongs to the window it starts in: before `end`.
pub struct Window<'a> {
    /// The offset of `bytes[0]` in the whole text.
    pub offset: u64,
    /// The window and its overlap.
    pub bytes: &'a [u8],
    /// Where the window proper ends in `bytes` (a line end, or the end of the text).
    pub end: usize,
}

/// The windows of a stream, in order.
pub struct Windows<R> {
    reader: R,
    block: usize,
    overlap: usize,
    buf: Vec<u8>,
    /// The offset of `buf[0]` in the whole text.
    base: u64,
    /// Bytes at the start of `buf` that belonged to the previous window.
    done: usize,
    eof: bool,
    /// The current window's end, once found.
    end: Option<usize>,
    /// How far `buf` has been searched, with no line end found, for the window's end and for
    /// the end of its overlap: a line longer than a window (a CloudTrail file is one line) is
    /// searched once as it is read, not again from the start after each read.
    searched_end: usize,
    searched_overlap: usize,
    /// Bytes searched for line ends in all (at most about twice the text's bytes).
    searched: u64,
}

/// The offset just past the first newline at or after `from` in `bytes`, if there is one.
fn line_end_after(bytes: &[u8], from: usize) -> Option<usize> {
    if from >= bytes.len() {
        return None;
    }
    memchr::memchr(b'\n', &bytes[from..]).map(|i| from + i + 1)
}

/// The windows of a text already in memory, borrowed from it (nothing copied): the same
/// windows [`Windows`] makes of the same bytes read from a stream, so a text gives the same
/// matches held whole or streamed, and a one-line file of a gigabyte is not copied into a window.
pub fn over(text: &[u8], block: usize, overlap: usize) -> impl Iterator<Item = Window<'_>> {
    let block = block.max(1);
    let mut start = 0usize;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let rest = &text[start..];
        let end = if rest.len() > block {
            line_end_after(rest, block)
        } else {
            None
        };
        let (end, read_to) = match end {
            Some(e) => (e, line_end_after(rest, e + overlap).unwrap_or(rest.len())),
            None => (rest.len(), rest.len()),
        };
        let w = Window {
            offset: start as u64,
            bytes: &rest[..read_to],
            end,
        };
        start += end;
        Some(w)
    })
}

impl<R: Read> Windows<R> {
    /// Windows of about `block` bytes, each read `overlap` bytes further.
    pub fn new(reader: R, block: usize, overlap: usize) -> Self {
        Windows {
            reader,
            block: block.max(1),
            overlap,
            buf: Vec::new(),
            base: 0,
            done: 0,
            eof: false,
            end: None,
            searched_end: 0,
            searched_overlap: 0,
            searched: 0,
        }
    }

    /// The bytes searched for line ends so far.
    #[cfg(test)]
    fn bytes_searched(&self) -> u64 {
        self.searched
    }

    /// The bytes read from the stream so far.
    pub fn read_so_far(&self) -> u64 {
        self.base + self.buf.len() as u64
    }

    /// The next window, or `None` at the end of the stream.
    pub fn next_window(&mut self) -> io::Result<Option<Window<'_>>> {
        self.buf.drain(..self.done);
        self.base += self.done as u64;
        self.done = 0;
        (self.end, self.searched_end, self.searched_overlap) = (None, 0, 0);
        loop {
            if self.end.is_none() && self.buf.len() > self.block {
                let from = self.block.max(self.searched_end);
                self.end = line_end_after(&self.buf, from);
                self.searched += self.end.unwrap_or(self.buf.len()).saturating_sub(from) as u64;
                self.searched_end = self.buf.len();
            }
            let read_to = match self.end {
                Some(e) => {
                    let from = (e + self.overlap).max(self.searched_overlap);
                    let found = line_end_after(&self.buf, from);
                    self.searched += found.unwrap_or(self.buf.len()).saturating_sub(from) as u64;
                    self.searched_overlap = self.buf.len();
                    found
                }
                None => None,
            };
            if let (Some(end), Some(read_to)) = (self.end, read_to) {
                self.done = end;
                return Ok(Some(Window {
                    offset: self.base,
                    bytes: &self.buf[..read_to],
                    end,
                }));
            }
            if self.eof {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                let end = self.end.unwrap_or(self.buf.len());
                self.done = end;
                return Ok(Some(Window {
                    offset: self.base,
                    bytes: &self.buf,
                    end,
                }));
            }
            self.fill()?;
        }
    }

    /// Reads up to [`READ`] more bytes (or notes the end of the stream).
    fn fill(&mut self) -> io::Result<()> {
        // `read_to_end` on a `take` fills spare capacity without zeroing it first.
        let got = (&mut self.reader)
            .take(READ as u64)
            .read_to_end(&mut self.buf)?;
        if got == 0 {
            self.eof = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every window of `text`: (offset, bytes, end).
    fn windows(text: &str, block: usize, overlap: usize) -> Vec<(u64, String, usize)> {
        let mut w = Windows::new(text.as_bytes(), block, overlap);
        let mut out = Vec::new();
        while let Some(x) = w.next_window().unwrap() {
            out.push((
                x.offset,
                String::from_utf8(x.bytes.to_vec()).unwrap(),
                x.end,
            ));
        }
        out
    }

    #[test]
    fn windows_end_at_line_ends_cover_the_text_once_and_overlap() {
        let text: String = (0..200).map(|i| format!("line {i}\n")).collect();
        let ws = windows(&text, 100, 30);
        assert!(ws.len() > 5);
        let mut next = 0u64;
        for (offset, bytes, end) in &ws {
            assert_eq!(*offset, next, "windows follow each other");
            let own = &bytes[..*end];
            assert!(own.ends_with('\n'), "cut at a line end");
            assert!(bytes.ends_with('\n'));
            let at = *offset as usize;
            assert_eq!(bytes.as_str(), &text[at..at + bytes.len()]);
            if at + end < text.len() {
                assert!(
                    bytes.len() >= end + 30 || at + bytes.len() == text.len(),
                    "read past its end by the overlap, or to the end of the text"
                );
            }
            next += *end as u64;
        }
        assert_eq!(next, text.len() as u64);
    }

    #[test]
    fn a_text_without_a_final_newline_and_an_empty_one() {
        assert_eq!(
            windows("a\nb", 1, 0),
            [(0, "a\nb".to_string(), 2), (2, "b".to_string(), 1)]
        );
        assert!(windows("", 4, 4).is_empty());
        assert_eq!(windows("abc", 10, 10), [(0, "abc".to_string(), 3)]);
    }

    #[test]
    fn a_line_longer_than_a_window_stays_whole() {
        let long = "x".repeat(5000);
        let text = format!("a\n{long}\nb\n");
        let ws = windows(&text, 10, 4);
        assert!(ws.iter().any(|w| w.1[..w.2].contains(&long)));
    }

    /// A CloudTrail file is one line: its line ends are searched once as it is read, not
    /// again from the window's start after each read (which made a long line cost its length
    /// squared over the read size).
    #[test]
    fn a_line_of_many_reads_is_searched_once() {
        let long = "x".repeat(8 * READ + 123);
        let text = format!("a\n{long}\nb\nc\n");
        let mut w = Windows::new(text.as_bytes(), 10, 4);
        let mut covered = 0;
        while let Some(x) = w.next_window().unwrap() {
            covered += x.end;
        }
        assert_eq!(covered, text.len());
        assert!(
            w.bytes_searched() <= 2 * text.len() as u64,
            "{} bytes searched for a text of {}",
            w.bytes_searched(),
            text.len()
        );
    }

    /// Windows over a text in memory are the stream's windows of the same bytes.
    #[test]
    fn windows_over_memory_are_the_streams() {
        let mut texts = vec![
            String::new(),
            "a".into(),
            "a\nb".into(),
            "\n\n\n".into(),
            format!("a\n{}\nb\nc\n", "x".repeat(5000)),
            "x".repeat(3 * READ + 7),
        ];
        texts.push(
            (0..500)
                .map(|i| format!("{}\n", "y".repeat(i % 37)))
                .collect(),
        );
        for text in &texts {
            for (block, overlap) in [(1, 0), (10, 4), (100, 30), (4096, 512)] {
                let streamed = windows(text, block, overlap);
                let held: Vec<_> = over(text.as_bytes(), block, overlap)
                    .map(|w| {
                        (
                            w.offset,
                            String::from_utf8(w.bytes.to_vec()).unwrap(),
                            w.end,
                        )
                    })
                    .collect();
                assert_eq!(held, streamed, "block {block}, overlap {overlap}");
            }
        }
    }
}
