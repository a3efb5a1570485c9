//! Where a run's evidence files come from. The engine asks a [`Source`] for each file when its
//! turn comes (on the thread that reads it) and drops the bytes once that file is read, so a
//! caller that reads files from disk on demand holds a bounded number of them at once, whatever
//! their number. The page passes the files it holds in memory (`[Input]` is a source); the
//! native command line opens each file when asked. The engine itself never touches a file
//! system: the reading is the source's.
//!
//! A file may be asked for more than once in a run (the evidence stage, the scan, the agent
//! stage each read it in turn); a source gives the same bytes each time, or says it cannot.

use super::Input;
use std::borrow::Cow;
use std::io::Read;

/// Bytes that another owner holds and lends for as long as they are shared (natively, a file
/// mapped into memory: no copy is made, and the pages are the system's file cache).
pub trait Shared: Send + Sync {
    /// The bytes.
    fn bytes(&self) -> &[u8];
}

/// A file's bytes: held in memory, or shared with the owner that holds them ([`Shared`]).
/// Either way they read as one `[u8]`.
#[derive(Clone)]
pub enum Bytes {
    /// Bytes read into memory.
    Held(Vec<u8>),
    /// Bytes lent by their owner.
    Shared(std::sync::Arc<dyn Shared>),
}

impl Bytes {
    /// The bytes as a vector (a copy when shared).
    pub fn into_vec(self) -> Vec<u8> {
        match self {
            Bytes::Held(v) => v,
            Bytes::Shared(s) => s.bytes().to_vec(),
        }
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Bytes {
        Bytes::Held(v)
    }
}

impl From<Bytes> for Vec<u8> {
    fn from(b: Bytes) -> Vec<u8> {
        b.into_vec()
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Held(v) => v,
            Bytes::Shared(s) => s.bytes(),
        }
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for Bytes {
    fn eq(&self, other: &Bytes) -> bool {
        **self == **other
    }
}

impl PartialEq<[u8]> for Bytes {
    fn eq(&self, other: &[u8]) -> bool {
        **self == *other
    }
}

impl<const N: usize> PartialEq<&[u8; N]> for Bytes {
    fn eq(&self, other: &&[u8; N]) -> bool {
        **self == other[..]
    }
}

impl PartialEq<Vec<u8>> for Bytes {
    fn eq(&self, other: &Vec<u8>) -> bool {
        **self == other[..]
    }
}

/// Bytes as stored from which the command line has a file read as a stream rather than whole
/// ([`Source::streamed`]): a plain text, history or patch this large is hashed, counted and
/// scanned in bounded windows, so memory holds a window, not the file. Smaller files are read
/// whole (faster: a history of 16 MiB or more is matched in parts on several threads).
pub const STREAM_BYTES: u64 = 64 << 20;

/// The head of a stream looked at before it is read through: enough for the sniffer's 64 KiB
/// and the binary check's 8 KiB.
pub const HEAD_BYTES: usize = 1 << 20;

/// The evidence files of one run, in input order, each read when asked for.
pub trait Source: Sync {
    /// How many files there are.
    fn count(&self) -> usize;
    /// File `i`'s name, as the inventory shows it.
    fn name(&self, i: usize) -> &str;
    /// File `i`'s size in bytes as stored, known before it is read.
    fn size(&self, i: usize) -> u64;
    /// File `i`, read now (on any thread). `Err` says why it could not be read (it vanished,
    /// it changed since the run began, a read failed): the file's inventory row says so and
    /// the stages after skip it.
    fn input(&self, i: usize) -> Result<Cow<'_, Input>, String>;
    /// Whether file `i` is better read as a stream than whole (a large file on disk). The
    /// engine then reads it through [`Source::stream`] where the result is the same: a plain
    /// UTF-8 text, history or patch, with no known key to search for. Any other file is asked
    /// for whole.
    fn streamed(&self, _i: usize) -> bool {
        false
    }
    /// File `i`'s bytes as a stream (by default, its bytes in memory). A stream that fails
    /// part of the way says why as an error of the read.
    fn stream(&self, i: usize) -> Result<Box<dyn Read + '_>, String> {
        match self.input(i)? {
            Cow::Borrowed(input) => Ok(Box::new(&input.bytes[..])),
            Cow::Owned(input) => Ok(Box::new(std::io::Cursor::new(input.bytes))),
        }
    }
}

/// Reads up to `n` bytes from the start of a stream (fewer only at its end).
pub fn head(reader: &mut dyn Read, n: usize) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    reader.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Files already in memory (the page, tests): borrowed, never copied.
impl Source for &[Input] {
    fn count(&self) -> usize {
        self.len()
    }

    fn name(&self, i: usize) -> &str {
        &self[i].name
    }

    fn size(&self, i: usize) -> u64 {
        self[i].bytes.len() as u64
    }

    fn input(&self, i: usize) -> Result<Cow<'_, Input>, String> {
        Ok(Cow::Borrowed(&self[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_in_memory_are_lent_as_they_are() {
        let files = [Input::new("a.txt", "one"), Input::new("b.txt", "three")];
        let slice = &files[..];
        let s: &dyn Source = &slice;
        assert_eq!(s.count(), 2);
        assert_eq!((s.name(1), s.size(1)), ("b.txt", 5));
        let got = s.input(0).unwrap();
        assert!(matches!(got, Cow::Borrowed(_)));
        assert_eq!(got.bytes, b"one");
    }
}
