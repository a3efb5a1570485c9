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
