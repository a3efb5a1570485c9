//! The evidence files of one run as the engine's source: a file on disk is listed first (its
//! size and time of last change) and read only when the engine asks for it, on the thread that
//! works on it, so memory holds a bounded number of files at once whatever their number. The
//! engine may ask for a file more than once (the evidence stage, the scan, the agent stage): a
//! file whose size or time of last change is not what it was at its first reading is refused
//! from then on, and said on standard error, rather than read with other bytes than those
//! hashed.
//!
//! Small files are the exception: a file of at most [`HOLD_FILE_BYTES`] is read when it is
//! listed and its bytes held for the run, while the bytes held stay within [`HOLD_BYTES`]. A
//! folder of thousands of small files is then opened and read once per file, not once per
//! stage (the system calls of opening, checking and reading a file cost more than scanning a
//! few kilobytes), and every stage reads exactly the bytes that were hashed.

use leaktriage::evidence::limits::{self, FILE_BYTES};
use leaktriage::evidence::source::{Bytes, STREAM_BYTES};
use leaktriage::{Input, Source};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::SystemTime;

/// Bytes up to which a file is read when listed and held for the run.
pub const HOLD_FILE_BYTES: u64 = 1 << 20;

/// Bytes of small files held at once, at most: past them, files are read when asked for.
pub const HOLD_BYTES: u64 = 64 << 20;

/// One evidence file: held in memory (a session's embedded files, rules files), or on disk.
enum Entry {
    Memory(Input),
    Disk {
        path: PathBuf,
        name: String,
        size: u64,
    },
}

/// What a file on disk was at its first reading: its length and time of last change.
type Stamp = (u64, Option<SystemTime>);

/// The files of one run, in input order.
#[derive(Default)]
pub struct Files {
    entries: Vec<Entry>,
    first: Mutex<BTreeMap<usize, Stamp>>,
    failed: Mutex<BTreeMap<usize, String>>,
    /// Bytes past which a file on disk is streamed (`None`: [`STREAM_BYTES`]).
    stream_bytes: Option<u64>,
    /// Bytes of small files read when listed and held ([`HOLD_BYTES`] at most).
    held: u64,
    /// Every file read into memory, none mapped ([`Files::never_map`]).
    no_map: bool,
    /// Where the small files read when listed are held.
    #[cfg(unix)]
    arena: held::Arena,
}

impl Files {
    /// Adds a file held in memory.
    pub fn push_memory(&mut self, input: Input) {
        self.entries.push(Entry::Memory(input));
    }

    /// Adds a file on disk, named `name` in the report, `size` bytes when listed.
    pub fn push_disk(&mut self, path: PathBuf, name: String, size: u64) {
        self.entries.push(Entry::Disk { path, name, size });
    }

    /// Adds a file on disk, found by a walk that read its metadata (and opened it, `open`, when
    /// it did): a small file is read now and its bytes held, while the bytes held stay within
    /// [`HOLD_BYTES`]; a larger one, or one to be streamed ([`Files::stream_past`] is called
    /// first), is opened and closed, to tell now a file that cannot be read. Errs, adding
    /// nothing, when it cannot be read.
    pub fn add_disk(
        &mut self,
        path: PathBuf,
        open: Option<std::fs::File>,
        name: String,
        size: u64,
    ) -> Result<(), String> {
        let f = match open {
            Some(f) => f,
            None => std::fs::File::open(&path).map_err(|e| e.to_string())?,
        };
        let streamed = size > self.stream_bytes.unwrap_or(STREAM_BYTES);
        if size > HOLD_FILE_BYTES || self.held + size > HOLD_BYTES || streamed {
            self.push_disk(path, name, size);
            return Ok(());
        }
        #[cfg(unix)]
        let bytes = self.arena.read(f, size)?;
        #[cfg(not(unix))]
        let bytes = Bytes::Held(read_sized(f, size)?);
        self.held += bytes.len() as u64;
        self.entries.push(Entry::Memory(Input {
            name,
            bytes,
            sha256: None,
        }));
        Ok(())
    }

    /// Reads every file into memory, even a large one that would be mapped: for files another
    /// program may shorten while the run reads them (a mapped file shortened under a reader
    /// stops the process).
    pub fn never_map(&mut self) {
        self.no_map = true;
    }

    /// Streams files on disk larger than `bytes` rather than [`STREAM_BYTES`] (tests lower it
    /// to stream small files).
    pub fn stream_past(&mut self, bytes: u64) {
        self.stream_bytes = Some(bytes);
    }

    /// Whether there is no file.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The files that could not be read when the engine asked for them: name and why, in
    /// input order.
    pub fn failures(&self) -> Vec<(String, String)> {
        let failed = self.failed.lock().map(|f| f.clone()).unwrap_or_default();
        failed
            .into_iter()
            .map(|(i, why)| (self.name(i).to_string(), why))
            .collect()
    }

    /// Checks a reading's stamp against the file's first one (the first reading sets it).
    fn same(&self, i: usize, stamp: Stamp) -> Result<(), String> {
        let first = self
            .first
            .lock()
            .map(|mut f| *f.entry(i).or_insert(stamp))
            .unwrap_or(stamp);
        if first == stamp {
            return Ok(());
        }
        Err(self.fail(
            i,
            format!(
                "changed while this run read it ({} bytes at first, {} now)",
                first.0, stamp.0
            ),
        ))
    }

    fn fail(&self, i: usize, why: String) -> String {
        if let Ok(mut f) = self.failed.lock() {
            f.entry(i).or_insert_with(|| why.clone());
        }
        why
    }
}

/// Files at least this large (as listed when opened) are mapped into memory rather than read,
/// where the system allows it.
const MAP_BYTES: u64 = 8 << 20;

/// Reads a file whole, within the limit per file: its bytes and its stamp. A large regular file
/// is mapped into memory on Unix ([`mapped`]); any other is read into a buffer.
fn read(path: &std::path::Path, map: bool) -> Result<(Bytes, Stamp), String> {
    let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = f.metadata().ok();
    let modified = meta.as_ref().and_then(|m| m.modified().ok());
    #[cfg(unix)]
    if let Some(m) = meta.as_ref().filter(|m| map && m.is_file()) {
        if (MAP_BYTES..=FILE_BYTES).contains(&m.len()) {
            if let Some(map) = mapped::Mapped::of(&f, m.len()) {
                let stamp = (m.len(), modified);
                return Ok((Bytes::Shared(std::sync::Arc::new(map)), stamp));
            }
        }
    }
    let bytes = read_sized(f, meta.map_or(0, |m| m.len().min(FILE_BYTES)))?;
    let len = bytes.len() as u64;
    Ok((Bytes::Held(bytes), (len, modified)))
}

/// Reads an open file said to be `size` bytes whole: in one `read` while it has that size (a
/// read short of the size and one byte more ends at the file's end), else as any file is read
/// (one that grew, or reports no size, like /proc), within the limit per file.
fn read_sized(mut f: std::fs::File, size: u64) -> Result<Vec<u8>, String> {
    let room = usize::try_from(size + 1).map_err(|e| e.to_string())?;
    let mut bytes = vec![0u8; room];
    let got = read_into(&mut f, &mut bytes)?;
    bytes.truncate(got);
    if got == room {
        // It grew since it was listed: the rest as any file is read.
        read_rest(f, &mut bytes)?;
    }
    Ok(bytes)
}

/// Reads an open file into `room`, one byte longer than the size it was listed with: in one
/// `read` while it has that size (a read short of the size and one byte more ends at the
/// file's end). Returns the bytes read: all of `room` when the file grew.
fn read_into(f: &mut std::fs::File, room: &mut [u8]) -> Result<usize, String> {
    let mut got = 0;
    while got < room.len() {
        match f.read(&mut room[got..]) {
            Ok(0) => break,
            // Short of the byte that would tell it grew: its end.
            Ok(n) if got + n == room.len() - 1 => {
                got += n;
                break;
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(got)
}

/// Reads the rest of a file after the `bytes` read so far, within the limit per file.
fn read_rest(f: std::fs::File, bytes: &mut Vec<u8>) -> Result<(), String> {
    f.take(FILE_BYTES + 1 - bytes.len() as u64)
        .read_to_end(bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > FILE_BYTES {
        return Err(format!(
            "grew past the limit of {} per file",
            limits::bytes(FILE_BYTES)
        ));
    }
    Ok(())
}

impl Source for Files {
    fn count(&self) -> usize {
        self.entries.len()
    }

    fn name(&self, i: usize) -> &str {
        match &self.entries[i] {
            Entry::Memory(input) => &input.name,
            Entry::Disk { name, .. } => name,
        }
    }

    fn size(&self, i: usize) -> u64 {
        match &self.entries[i] {
            Entry::Memory(input) => input.bytes.len() as u64,
            Entry::Disk { size, .. } => *size,
        }
    }

    fn input(&self, i: usize) -> Result<Cow<'_, Input>, String> {
        let (path, name) = match &self.entries[i] {
            Entry::Memory(input) => return Ok(Cow::Borrowed(input)),
            Entry::Disk { path, name, .. } => (path, name),
        };
        if let Some(why) = self.failed.lock().ok().and_then(|f| f.get(&i).cloned()) {
            return Err(why);
        }
        let (bytes, stamp) = read(path, !self.no_map).map_err(|why| self.fail(i, why))?;
        self.same(i, stamp)?;
        Ok(Cow::Owned(Input {
            name: name.clone(),
            bytes,
            sha256: None,
        }))
    }

    /// A file on disk larger than [`STREAM_BYTES`] (or the bytes given to
    /// [`Files::stream_past`]).
    fn streamed(&self, i: usize) -> bool {
        let past = self.stream_bytes.unwrap_or(STREAM_BYTES);
        matches!(self.entries[i], Entry::Disk { size, .. } if size > past)
    }

    fn stream(&self, i: usize) -> Result<Box<dyn Read + '_>, String> {
        let path = match &self.entries[i] {
            Entry::Memory(input) => return Ok(Box::new(&input.bytes[..])),
            Entry::Disk { path, .. } => path,
        };
        if let Some(why) = self.failed.lock().ok().and_then(|f| f.get(&i).cloned()) {
            return Err(why);
        }
        let f = std::fs::File::open(path).map_err(|e| self.fail(i, e.to_string()))?;
        let meta = f.metadata().map_err(|e| self.fail(i, e.to_string()))?;
        let stamp = (meta.len(), meta.modified().ok());
        self.same(i, stamp)?;
        Ok(Box::new(Checked {
            file: f,
            files: self,
            i,
            want: stamp.0,
            got: 0,
        }))
    }
}

/// A file mapped into memory, read-only. Its pages are the system's cache of the file, shared
/// by every reading of it in the run, so a file read by two stages is neither copied nor
/// zeroed twice. The stamp is checked at each reading as for a file read into a buffer; a file
/// shortened by another program while it is mapped would stop the run (the system's signal for
/// a page past the file's end), as it would a reader of any mapped file.
#[cfg(unix)]
mod mapped {
    use std::os::unix::io::AsRawFd;

    pub struct Mapped {
        at: *mut libc::c_void,
        len: usize,
    }

    // The mapping is read-only and unmapped only when dropped: any thread may read it.
    unsafe impl Send for Mapped {}
    unsafe impl Sync for Mapped {}

    impl Mapped {
        /// `len` bytes of `f` mapped from its start; `None` when the system refuses.
        pub fn of(f: &std::fs::File, len: u64) -> Option<Mapped> {
            let len = usize::try_from(len).ok().filter(|&n| n > 0)?;
            #[cfg(target_os = "linux")]
            let flags = libc::MAP_PRIVATE | libc::MAP_POPULATE;
            #[cfg(not(target_os = "linux"))]
            let flags = libc::MAP_PRIVATE;
            // SAFETY: a fresh read-only private mapping of an open file; the pointer is checked
            // and only read through `bytes`, within `len`.
            let at = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ,
                    flags,
                    f.as_raw_fd(),
                    0,
                )
            };
            (at != libc::MAP_FAILED).then_some(Mapped { at, len })
        }
    }

    impl leaktriage::evidence::source::Shared for Mapped {
        fn bytes(&self) -> &[u8] {
            // SAFETY: `at` maps `len` readable bytes until `drop`.
            unsafe { std::slice::from_raw_parts(self.at as *const u8, self.len) }
        }
    }

    impl Drop for Mapped {
        fn drop(&mut self) {
            // SAFETY: unmaps exactly the mapping made in `of`, once.
            unsafe {
                libc::munmap(self.at, self.len);
            }
        }
    }
}

/// The bytes of small files read when listed, held for the run in large blocks of memory made
/// ready in one call each, rather than a buffer per file whose pages the system makes ready
/// one fault at a time (a folder of 5,595 small files: 18,450 page faults before, 6,800 after).
/// Blocks double from [`held::FIRST`] to [`held::BLOCK`] bytes, so a few small files take little
/// memory.
#[cfg(unix)]
mod held {
    use leaktriage::evidence::source::{Bytes, Shared};
    use std::sync::Arc;

    /// The first block's bytes.
    pub const FIRST: usize = 1 << 20;
    /// The largest block's bytes (a file larger than what is left of a block gets a block of
    /// its own size).
    pub const BLOCK: usize = 8 << 20;

    /// Memory of the system's, readable and writable, unmapped when the last file held in it is
    /// dropped.
    struct Block {
        at: *mut u8,
        len: usize,
    }

    // Written only through the arena, before any file's bytes in that range are handed out,
    // and never after: any thread may read what was handed out.
    unsafe impl Send for Block {}
    unsafe impl Sync for Block {}

    impl Block {
        fn new(len: usize) -> Option<Block> {
            #[cfg(target_os = "linux")]
            let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_POPULATE;
            #[cfg(not(target_os = "linux"))]
            let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS;
            // SAFETY: a fresh anonymous mapping; the pointer is checked, and read and written
            // only within `len` (`Arena::read`, `Slice::bytes`).
            let at = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ | libc::PROT_WRITE,
                    flags,
                    -1,
                    0,
                )
            };
            (at != libc::MAP_FAILED).then_some(Block {
                at: at as *mut u8,
                len,
            })
        }
    }

    impl Drop for Block {
        fn drop(&mut self) {
            // SAFETY: unmaps exactly the mapping made in `new`, once.
            unsafe {
                libc::munmap(self.at as *mut libc::c_void, self.len);
            }
        }
    }

    /// One file's bytes in a block.
    struct Slice {
        block: Arc<Block>,
        start: usize,
        len: usize,
    }

    impl Shared for Slice {
        fn bytes(&self) -> &[u8] {
            // SAFETY: `start..start + len` lies in the block, was written before this slice was
            // made, and is never written again.
            unsafe { std::slice::from_raw_parts(self.block.at.add(self.start), self.len) }
        }
    }

    /// The block being filled, and how much of it is.
    #[derive(Default)]
    pub struct Arena {
        block: Option<Arc<Block>>,
        used: usize,
        next: usize,
    }

    impl Arena {
        /// Reads an open file listed with `size` bytes ([`super::read_into`]); a file that grew
        /// since it was listed is read whole into a buffer of its own.
        pub fn read(&mut self, mut f: std::fs::File, size: u64) -> Result<Bytes, String> {
            let room = usize::try_from(size + 1).map_err(|e| e.to_string())?;
            let Some(block) = self.room_for(room) else {
                return super::read_sized(f, size).map(Bytes::Held);
            };
            // SAFETY: `used..used + room` lies in the block (`room_for`) and no slice handed
            // out covers it: slices end at or before `used`.
            let free = unsafe { std::slice::from_raw_parts_mut(block.at.add(self.used), room) };
            let got = super::read_into(&mut f, free)?;
            if got == room {
                // It grew since it was listed: the rest as any file is read.
                let mut bytes = free.to_vec();
                super::read_rest(f, &mut bytes)?;
                return Ok(Bytes::Held(bytes));
            }
            let start = self.used;
            self.used += got;
            Ok(Bytes::Shared(Arc::new(Slice {
                block,
                start,
                len: got,
            })))
        }

        /// The block with `room` bytes free at `used`: the current one, or a new one; `None`
        /// when the system gives no memory.
        fn room_for(&mut self, room: usize) -> Option<Arc<Block>> {
            match &self.block {
                Some(b) if b.len - self.used >= room => {}
                _ => {
                    self.next = (self.next * 2).clamp(FIRST, BLOCK);
                    self.block = Some(Arc::new(Block::new(self.next.max(room))?));
                    self.used = 0;
                }
            }
            self.block.clone()
        }
    }
}

/// A file read as a stream, whose length must be the one it had when opened: one that grew or
/// shrank while read is a failed read, named with the file's other failures.
struct Checked<'a> {
    file: std::fs::File,
    files: &'a Files,
    i: usize,
    want: u64,
    got: u64,
}

impl Read for Checked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // One byte past the length it had tells a file that grew.
        let room = (self.want + 1 - self.got).min(buf.len() as u64) as usize;
        let n = self.file.read(&mut buf[..room])?;
        self.got += n as u64;
        if (n == 0 && self.got != self.want) || self.got > self.want {
            let why = format!(
                "changed while this run read it ({} bytes at first, {} or more now)",
                self.want, self.got
            );
            return Err(std::io::Error::other(self.files.fail(self.i, why)));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("leaktriage-files-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_file_is_read_when_asked_for_and_again_the_same() {
        let d = dir("same");
        let p = d.join("a.txt");
        std::fs::write(&p, "hello\n").unwrap();
        let mut files = Files::default();
        files.push_memory(Input::new("held.txt", "held"));
        files.push_disk(p.clone(), "a.txt".into(), 6);
        assert_eq!(files.count(), 2);
        assert!(matches!(files.input(0), Ok(Cow::Borrowed(_))));
        assert_eq!(files.input(1).unwrap().bytes, b"hello\n");
        assert_eq!(files.input(1).unwrap().bytes, b"hello\n");
        assert!(files.failures().is_empty());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_small_file_is_read_once_when_listed_and_held_within_the_budget() {
        let d = dir("held");
        let (small, large, late) = (d.join("s.txt"), d.join("l.txt"), d.join("t.txt"));
        std::fs::write(&small, "small\n").unwrap();
        std::fs::write(&large, vec![b'x'; HOLD_FILE_BYTES as usize + 1]).unwrap();
        std::fs::write(&late, "late\n").unwrap();
        let mut files = Files::default();
        files
            .add_disk(small.clone(), None, "s.txt".into(), 6)
            .unwrap();
        files
            .add_disk(large.clone(), None, "l.txt".into(), HOLD_FILE_BYTES + 1)
            .unwrap();
        // The budget spent: the next small file is read when asked for.
        files.held = HOLD_BYTES - 2;
        files
            .add_disk(late.clone(), None, "t.txt".into(), 5)
            .unwrap();
        assert_eq!(files.held, HOLD_BYTES - 2);
        for p in [&small, &large, &late] {
            std::fs::remove_file(p).unwrap();
        }
        // Held: the same bytes for every stage, the file gone or not.
        for _ in 0..2 {
            assert!(matches!(files.input(0), Ok(Cow::Borrowed(i)) if i.bytes == b"small\n"));
        }
        assert_eq!(files.name(0), "s.txt");
        assert!(files.input(1).is_err() && files.input(2).is_err());
        let names: Vec<_> = files.failures().into_iter().map(|f| f.0).collect();
        assert_eq!(names, ["l.txt", "t.txt"]);
        // A file to be streamed is never held.
        let mut streaming = Files::default();
        streaming.stream_past(4);
        std::fs::write(&small, "small\n").unwrap();
        streaming
            .add_disk(small.clone(), None, "s.txt".into(), 6)
            .unwrap();
        assert!(streaming.streamed(0) && streaming.held == 0);
        std::fs::remove_file(&small).unwrap();
        // A file that cannot be read is not listed.
        let mut none = Files::default();
        assert!(none.add_disk(small, None, "s.txt".into(), 6).is_err());
        assert!(none.is_empty());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_listed_file_that_grew_or_shrank_is_read_as_it_now_is() {
        let d = dir("listed");
        let p = d.join("g.txt");
        let text = "line\n".repeat(3000);
        std::fs::write(&p, &text).unwrap();
        let open = || std::fs::File::open(&p).unwrap();
        #[cfg(unix)]
        let mut arena = held::Arena::default();
        for listed in [0, 1, 4, 5, 14_999, 15_000, 15_001, 40_000] {
            assert_eq!(
                read_sized(open(), listed).unwrap(),
                text.as_bytes(),
                "{listed}"
            );
            #[cfg(unix)]
            assert_eq!(
                arena.read(open(), listed).unwrap(),
                text.as_bytes().to_vec()
            );
        }
        let _ = std::fs::remove_dir_all(&d);
    }

    #[cfg(unix)]
    #[test]
    fn files_held_in_blocks_keep_their_own_bytes_across_blocks() {
        let d = dir("blocks");
        let sizes = [0, 1, 4095, 4096, 4097, 700_000, 1 << 20, 5, (1 << 20) - 1];
        let sizes: Vec<usize> = sizes.iter().chain(&[300_003; 30]).copied().collect();
        let mut files = Files::default();
        let mut texts = Vec::new();
        for (i, &n) in sizes.iter().enumerate() {
            let text: Vec<u8> = (0..n).map(|k| (k * 7 + i * 13) as u8).collect();
            let p = d.join(format!("f{i}"));
            std::fs::write(&p, &text).unwrap();
            files.add_disk(p, None, format!("f{i}"), n as u64).unwrap();
            texts.push(text);
        }
        assert_eq!(files.held, sizes.iter().sum::<usize>() as u64);
        let _ = std::fs::remove_dir_all(&d);
        for (i, text) in texts.iter().enumerate() {
            let got = files.input(i).unwrap();
            assert!(matches!(got.bytes, Bytes::Shared(_)));
            assert!(got.bytes == *text, "file {i} of {} bytes", text.len());
        }
    }

    #[test]
    fn a_large_file_is_mapped_with_the_bytes_a_read_gives_and_checked_alike() {
        let d = dir("mapped");
        let p = d.join("big.json");
        let text: Vec<u8> = (0..MAP_BYTES as usize + 4099)
            .map(|i| b"[{\"a\":1},\n"[i % 10])
            .collect();
        std::fs::write(&p, &text).unwrap();
        let small = d.join("small.json");
        std::fs::write(&small, &text[..4096]).unwrap();
        let mut files = Files::default();
        files.push_disk(p.clone(), "big.json".into(), text.len() as u64);
        files.push_disk(small.clone(), "small.json".into(), 4096);
        for _ in 0..2 {
            let got = files.input(0).unwrap();
            assert_eq!(got.bytes, text);
            assert_eq!(matches!(got.bytes, Bytes::Shared(_)), cfg!(unix));
        }
        assert!(matches!(files.input(1).unwrap().bytes, Bytes::Held(_)));
        // Never mapped when asked: the same bytes, read into memory.
        let mut read = Files::default();
        read.never_map();
        read.push_disk(p.clone(), "big.json".into(), text.len() as u64);
        let got = read.input(0).unwrap();
        assert!(got.bytes == text && matches!(got.bytes, Bytes::Held(_)));
        // Shorter since the first reading: refused, as a file read into a buffer is.
        std::fs::write(&p, &text[..text.len() - 1]).unwrap();
        assert!(files.input(0).is_err());
        assert_eq!(files.failures()[0].0, "big.json");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_file_that_changed_or_vanished_between_readings_is_refused_and_named() {
        let d = dir("changed");
        let (p, q) = (d.join("p.txt"), d.join("q.txt"));
        std::fs::write(&p, "first\n").unwrap();
        std::fs::write(&q, "there\n").unwrap();
        let mut files = Files::default();
        files.push_disk(p.clone(), "p.txt".into(), 6);
        files.push_disk(q.clone(), "q.txt".into(), 6);
        assert!(files.input(0).is_ok() && files.input(1).is_ok());
        std::fs::write(&p, "first and more\n").unwrap();
        std::fs::remove_file(&q).unwrap();
        let why = files.input(0).unwrap_err();
        assert!(why.contains("changed while this run read it"), "{why}");
        assert!(files.input(1).is_err());
        // Refused from then on, even if it comes back as it was.
        std::fs::write(&p, "first\n").unwrap();
        assert!(files.input(0).is_err());
        let names: Vec<_> = files.failures().into_iter().map(|f| f.0).collect();
        assert_eq!(names, ["p.txt", "q.txt"]);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn only_a_large_file_on_disk_is_streamed_and_one_that_changes_under_it_fails() {
        let d = dir("stream");
        let p = d.join("h.log");
        std::fs::write(&p, "line\n".repeat(1000)).unwrap();
        let mut files = Files::default();
        files.push_memory(Input::new("held.txt", "held"));
        files.push_disk(p.clone(), "small.log".into(), 5000);
        files.push_disk(p.clone(), "large.log".into(), STREAM_BYTES + 1);
        assert_eq!(
            (0..3).map(|i| files.streamed(i)).collect::<Vec<_>>(),
            [false, false, true]
        );
        let mut got = Vec::new();
        files.stream(2).unwrap().read_to_end(&mut got).unwrap();
        assert_eq!(got, "line\n".repeat(1000).as_bytes());
        // Grows between the opening and the end of the read.
        let mut r = files.stream(2).unwrap();
        let mut first = [0u8; 10];
        r.read_exact(&mut first).unwrap();
        std::fs::write(&p, "line\n".repeat(2000)).unwrap();
        let err = r.read_to_end(&mut got).unwrap_err();
        assert!(
            err.to_string().contains("changed while this run read it"),
            "{err}"
        );
        assert_eq!(files.failures()[0].0, "large.log");
        assert!(files.stream(2).is_err());
        let _ = std::fs::remove_dir_all(&d);
    }
}
