//! Evidence files: bytes in, an inventory entry and normalised usage events out.
//!
//! Kinds are sniffed from content, never from the file name. Problems are data: each one
//! names the file and, where known, the line, record and column. [`read`] reads one file,
//! [`read_each`] streams its events to a callback, and [`read_all`] reads every file and
//! merges their events without double counting.

pub mod csv;
mod decode;
pub mod event;
pub mod fields;
pub mod focus;
pub mod formats;
pub(crate) mod intern;
pub mod json;
pub(crate) mod keyset;
mod kind;
mod lenient;
pub mod limits;
pub mod out;
pub(crate) mod pages;
pub mod parallel;
mod problem;
pub(crate) mod record;
mod sniff;
pub mod source;
mod stream;
pub mod time;
pub mod tokens;
pub mod values;

pub use decode::{decode, decode_within, plain_text_head, Decoded};
pub use event::{Granularity, KeyIdKind, RawRef, RecordKind, Target, UsageEvent};
pub use formats::mapping::ColumnMapping;
pub use kind::EvidenceKind;
pub use problem::{Problem, Problems, MAX_PROBLEMS_KEPT};
pub use sniff::sniff;
pub use source::Source;
pub use stream::{is_left, Tally};

/// The responder's column mappings for CSV files of an unknown layout, keyed by the file's
/// SHA-256 (or, failing that, its name): the only thing the evidence stage is told.
pub type Mappings = std::collections::BTreeMap<String, ColumnMapping>;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use tokens::Tokens;

/// One evidence file as given to the engine.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file's name (or path relative to a dropped folder).
    pub name: String,
    /// The file's bytes, exactly as read (held, or shared with whoever mapped them).
    pub bytes: source::Bytes,
    /// The SHA-256 of `bytes` (lower-case hex) when whoever read the file computed it already:
    /// the page's worker asks the browser's own implementation, several times faster than
    /// hashing in WebAssembly. `None`: the engine computes it.
    pub sha256: Option<String>,
}

impl Input {
    /// Makes an input from a name and bytes.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Input {
            name: name.into(),
            bytes: source::Bytes::Held(bytes.into()),
            sha256: None,
        }
    }

    /// Makes an input from a name and bytes shared with their owner (the command line's file
    /// mapped into memory), not copied.
    pub fn shared(name: impl Into<String>, bytes: std::sync::Arc<dyn source::Shared>) -> Self {
        Input {
            name: name.into(),
            bytes: source::Bytes::Shared(bytes),
            sha256: None,
        }
    }

    /// The SHA-256 of the bytes as lower-case hex: the one given, else computed now.
    pub fn digest(&self) -> String {
        // A value given that is not a SHA-256 in lower-case hex is not taken for one.
        let given = self.sha256.as_ref().filter(|s| {
            s.len() == 64
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
        given
            .cloned()
            .unwrap_or_else(|| crate::secret::hex(&Sha256::digest(&self.bytes)))
    }
}

/// One row of the evidence inventory (the chain of custody).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceFile {
    /// The file's name as given.
    pub name: String,
    /// Size in bytes, as read (before any decompression).
    pub size: u64,
    /// SHA-256 of the bytes as read, lower-case hex.
    pub sha256: String,
    /// The detected kind.
    pub kind: EvidenceKind,
    /// The kind in words, for people.
    pub kind_label: String,
    /// `gzip` when the bytes were compressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    /// The bytes a compressed file inflated to (what was read of it, within the limits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inflated_size: Option<u64>,
    /// The text encoding found (`utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`), or none for binary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Lines of text (0 for binary files).
    pub lines: u64,
    /// Records read: usage or audit events for exports, lines for plain text.
    pub records: u64,
    /// Assumptions made while reading (for example a time without a zone read as UTC).
    pub assumptions: Vec<String>,
    /// A one-line note about the file as a whole, when there is one to make.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// How many problems were found in all (more than are kept below).
    pub problem_count: u64,
    /// The first problems found, up to [`MAX_PROBLEMS_KEPT`].
    pub problems: Vec<Problem>,
    /// Providers of the events read (`openai`, `aws_bedrock`, ...), sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<String>,
    /// The span of time the events cover (bucket ends included), in UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_range: Option<TimeRange>,
    /// Events dropped because an earlier page or file already held them (same event id and
    /// content).
    #[serde(skip_serializing_if = "is_zero")]
    pub duplicates: u64,
    /// Records kept without a time: the source redacted it or it could not be read. They are
    /// counted in `records`, named in the detection's undated events, outside every series.
    #[serde(skip_serializing_if = "is_zero")]
    pub undated: u64,
    /// The header columns of a CSV file (the page offers them for a column mapping).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A span of time, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TimeRange {
    /// The earliest event time or bucket start.
    #[serde(serialize_with = "ser_time")]
    pub start: DateTime<Utc>,
    /// The latest event time or bucket end.
    #[serde(serialize_with = "ser_time")]
    pub end: DateTime<Utc>,
}

fn ser_time<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

/// One file read: its inventory row and its events.
#[derive(Debug, Clone)]
pub struct Read {
    /// The inventory row (`records` is the number of events read, or lines for text).
    pub file: EvidenceFile,
    /// The normalised events, in file order.
    pub events: Vec<UsageEvent>,
}

/// Reads one input: hashes, decodes, sniffs and parses it.
pub fn read(input: &Input, mappings: &Mappings) -> Read {
    let mut events = Vec::new();
    let file = read_each(input, mappings, &mut |e| events.push(e));
    Read { file, events }
}

/// Reads every input and merges their events: an event whose id and content an earlier page or
/// file already gave ([`UsageEvent::merge_key`]) is dropped and counted in that file's
/// `duplicates`; records that share an id but differ are all kept. Events stay in input order.
pub fn read_all(inputs: &[Input], mappings: &Mappings) -> (Vec<EvidenceFile>, Vec<UsageEvent>) {
    let mut events = Vec::new();
    let files = read_all_each(inputs, mappings, &mut |e| events.push(e));
    (files, events)
}

/// [`read_all`] without holding the events: each merged event goes to `sink` as it is read
/// (duplicates already dropped), so a consumer that aggregates as it goes keeps memory near
/// the size of the input.
pub fn read_all_each(
    inputs: &[Input],
    mappings: &Mappings,
    sink: &mut dyn FnMut(UsageEvent),
) -> Vec<EvidenceFile> {
    read_all_within(inputs, mappings, limits::INFLATED_RUN_BYTES, sink)
}

/// [`read_all_each`] within a limit on the bytes all the files may inflate to together, taken
/// off file by file in order: [`read_jobs_within`] on the calling thread.
fn read_all_within(
    inputs: &[Input],
    mappings: &Mappings,
    run_left: u64,
    sink: &mut dyn FnMut(UsageEvent),
) -> Vec<EvidenceFile> {
    read_jobs_within(
        &inputs,
        mappings,
        &(),
        run_left,
        1,
        None,
        &mut Events(sink),
        &mut |_| {},
    )
    .0
}

/// [`read_all_each`] on up to `jobs` threads: files are hashed, inflated and parsed in
/// parallel, and their events are merged in input order, so the inventory and the events
/// `sink` gets are exactly those of [`read_all_each`]. `done` is told of each file once its
/// events are merged. The events of each file read ahead of the one being merged are held
/// until their turn (at most `2 * jobs` files); a large file is not read ahead but streamed in
/// its turn. With one job (and in the page's wasm) it is
/// [`read_all_each`]: every event goes to `sink` as it is read.
pub fn read_all_jobs(
    inputs: &[Input],
    mappings: &Mappings,
    jobs: usize,
    sink: &mut dyn FnMut(UsageEvent),
    done: &mut dyn FnMut(&EvidenceFile),
) -> Vec<EvidenceFile> {
    read_source_jobs(&inputs, mappings, jobs, sink, done)
}

/// [`read_all_jobs`] over files asked of `source` when their turn comes: each file's bytes are
/// held while it is read (and, for the files read ahead, until their events are merged), so
/// memory holds at most about `2 * jobs + 1` files whatever their number. A file the source
/// cannot read gets a row saying why, and nothing else.
pub fn read_source_jobs(
    source: &dyn Source,
    mappings: &Mappings,
    jobs: usize,
    sink: &mut dyn FnMut(UsageEvent),
    done: &mut dyn FnMut(&EvidenceFile),
) -> Vec<EvidenceFile> {
    read_source_focus(source, mappings, jobs, None, sink, done).0
}

/// [`read_source_jobs`] keeping only the events `focus` keeps ([`focus::Focus`]): the others
/// are counted by it and never held past the merge (only their actors' names, hashed), and
/// the run has no limit on the bytes
/// its files inflate to together (each file still has its own), so logs larger than memory
/// are read in bounded memory. `None`: [`read_source_jobs`].
pub fn read_source_focus(
    source: &dyn Source,
    mappings: &Mappings,
    jobs: usize,
    focus: Option<focus::Focus>,
    sink: &mut dyn FnMut(UsageEvent),
    done: &mut dyn FnMut(&EvidenceFile),
) -> (Vec<EvidenceFile>, Option<focus::Focus>) {
    read_source_gather(source, mappings, &(), jobs, focus, &mut Events(sink), done)
}

/// [`read_source_focus`] giving the merged events to `gather`: one at a time, or, for each file
/// read ahead of its turn on another thread in a run that is not focused, as the [`Part`] that
/// thread made of them, with the events the merge dropped named. What `gather` is given is
/// what [`Gather::event`] of every merged event in turn would have given it.
pub fn read_source_gather<G: Gather>(
    source: &dyn Source,
    mappings: &Mappings,
    look: &dyn Look,
    jobs: usize,
    focus: Option<focus::Focus>,
    gather: &mut G,
    done: &mut dyn FnMut(&EvidenceFile),
) -> (Vec<EvidenceFile>, Option<focus::Focus>) {
    let run_bytes = limits::run_bytes(focus.is_some());
    read_jobs_within(source, mappings, look, run_bytes, jobs, focus, gather, done)
}

/// A look at each file's decoded text while the evidence stage holds it, on the thread that
/// read the file: what a later stage would otherwise inflate and decode the file again for.
/// `inflated` is what the text inflated from (0: the file is not compressed); the same bytes
/// (`sha256`) inflated to the same size decode to the same text.
pub trait Look: Sync {
    /// What listens to the tokens of the decoded text of a file of `kind` while its records
    /// are walked, before [`Look::text`] (`None`: nothing).
    fn tokens<'a>(&'a self, kind: EvidenceKind, text: &'a str) -> Option<Box<dyn Tokens + 'a>> {
        let _ = (kind, text);
        None
    }
    /// The decoded text of a file of `kind`; `heard`: what the listener of [`Look::tokens`]
    /// made of the text's tokens, when it heard every one.
    fn text(
        &self,
        sha256: &str,
        kind: EvidenceKind,
        text: &str,
        inflated: u64,
        heard: Option<Vec<u8>>,
    );
    /// Whether a large plain text the source would rather stream is left for a later stage
    /// that reads its whole stream anyway (the scan) to complete its row ([`stream::left_row`],
    /// [`stream::Tally`]): it is then read once, not twice. Whoever leaves it completes it.
    fn leaves_texts(&self) -> bool {
        false
    }
}

/// No look.
impl Look for () {
    fn text(&self, _: &str, _: EvidenceKind, _: &str, _: u64, _: Option<Vec<u8>>) {}
}

/// One file's events made ready, on the thread that read the file, for what a run gathers of
/// them ([`Gather`]): whatever the merge would otherwise do with each event in its turn that
/// does not depend on the files before it.
pub trait Part: Send + Sync + Clone {
    /// Takes the file's next event.
    fn push(&mut self, e: UsageEvent);
}

/// What a run gathers of its merged events ([`read_source_gather`]).
pub trait Gather {
    /// One file's events made ready on the thread that read it.
    type Part: Part;
    /// An empty part (copied for each file read ahead).
    fn part(&self) -> Self::Part;
    /// The next merged event.
    fn event(&mut self, e: UsageEvent);
    /// The next file's events, made into `part` in file order, all but those at `dropped`
    /// (ascending): the merge dropped them as given already by an earlier page or file.
    fn take(&mut self, part: Self::Part, dropped: &[u32]);
}

/// Each merged event to a callback; a part is the events themselves.
struct Events<'a>(&'a mut dyn FnMut(UsageEvent));

impl Part for Vec<UsageEvent> {
    fn push(&mut self, e: UsageEvent) {
        Vec::push(self, e);
    }
}

impl Gather for Events<'_> {
    type Part = Vec<UsageEvent>;
    fn part(&self) -> Vec<UsageEvent> {
        Vec::new()
    }
    fn event(&mut self, e: UsageEvent) {
        (self.0)(e);
    }
    fn take(&mut self, part: Vec<UsageEvent>, dropped: &[u32]) {
        let mut dropped = dropped.iter().copied().peekable();
        for (i, e) in part.into_iter().enumerate() {
            if dropped.next_if_eq(&(i as u32)).is_none() {
                (self.0)(e);
            }
        }
    }
}

/// The merge keys ([`UsageEvent::merge_key`]) of one file's events, made on the thread that
/// read it (`None`: the event has none).
type Keys = Vec<Option<u128>>;

/// The inventory row of a file its source could not read: no bytes, and why.
pub fn unreadable(name: &str, why: &str) -> EvidenceFile {
    let mut row = inventory(&Input::new(name, Vec::new()));
    row.note = Some(format!("could not be read: {why}"));
    let mut problems = Problems::new(name);
    problems.push(None, None, None, format!("could not be read: {why}"));
    (row.problem_count, row.problems) = problems.finish();
    row
}

/// [`read_source_jobs`] within a limit on the bytes all the files may inflate to together.
#[allow(clippy::too_many_arguments)]
fn read_jobs_within<G: Gather>(
    source: &dyn Source,
    mappings: &Mappings,
    look: &dyn Look,
    run_bytes: u64,
    jobs: usize,
    focus: Option<focus::Focus>,
    gather: &mut G,
    done: &mut dyn FnMut(&EvidenceFile),
) -> (Vec<EvidenceFile>, Option<focus::Focus>) {
    let n = source.count();
    // Files read ahead of the merge on other threads have each event's merge key made there
    // and their events made into the gatherer's part (the merge only looks the keys up and
    // hands the part on); a focused run keeps their events whole, for the focus to see in turn.
    let focused = focus.is_some();
    let mut merge = Merge::new(run_bytes, focus);
    let mut files = Vec::with_capacity(n);
    // Read in its turn, on the merging thread: each event goes to `gather` as it is read.
    // A file the source would rather stream is read from the stream when that gives the same
    // row.
    let in_turn = |merge: &mut Merge, i: usize, gather: &mut G| {
        let sink = &mut |e| gather.event(e);
        // A text left for a later stage: no event, nothing to merge. A file whose head says it
        // is not left is one its stream would not give the row of either: it is read whole.
        let from_stream = if look.leaves_texts() && source.streamed(i) {
            let name = source.name(i);
            match source
                .stream(i)
                .and_then(|mut r| stream::left_row(name, source.size(i), &mut r))
            {
                Ok(Some(row)) => return row,
                Ok(None) => None,
                Err(why) => return unreadable(name, &why),
            }
        } else {
            streamed(source, i, jobs)
        };
        match from_stream {
            Some(Ok(row)) => {
                return merge.file(source.name(i), row.sha256.clone(), sink, &mut |_, _| {
                    row.clone()
                })
            }
            Some(Err(why)) => return unreadable(source.name(i), &why),
            None => {}
        }
        match source.input(i) {
            Ok(input) => {
                let sha256 = input.digest();
                merge.file(&input.name, sha256.clone(), sink, &mut |run_left, sink| {
                    read_hashed(&input, mappings, look, sha256.clone(), run_left, sink)
                })
            }
            Err(why) => unreadable(source.name(i), &why),
        }
    };
    if jobs <= 1 || cfg!(target_arch = "wasm32") {
        for i in 0..n {
            let row = in_turn(&mut merge, i, gather);
            done(&row);
            files.push(row);
        }
        return (files, merge.focus);
    }
    let blank = gather.part();
    // A file read ahead, read again in its turn within what the run's limit left.
    let again =
        |i: usize, sha256: &str, run_left: u64, sink: &mut dyn FnMut(UsageEvent)| match source
            .input(i)
        {
            Ok(input) => read_hashed(&input, mappings, look, sha256.to_string(), run_left, sink),
            Err(why) => unreadable(source.name(i), &why),
        };
    parallel::ordered(
        n,
        jobs,
        |i| {
            // Read as if the run's limit were untouched; the merge reads a file again, in its
            // turn, when it inflated to what the earlier files left or more. A large file is
            // left to the merge: its events are streamed there, never held.
            if source.size(i) > HELD_BYTES || source.streamed(i) {
                return None;
            }
            let input = source.input(i).ok()?;
            if held_too_large(&input.bytes) {
                return None;
            }
            let sha256 = input.digest();
            let read = |sink: &mut dyn FnMut(UsageEvent)| {
                read_hashed(&input, mappings, look, sha256.clone(), run_bytes, sink)
            };
            let (file, ahead) = if focused {
                let mut events = Vec::new();
                let file = read(&mut |e| events.push(e));
                (file, Ahead::Events(events))
            } else {
                let (mut keys, mut part) = (Keys::default(), blank.clone());
                let file = read(&mut |e| {
                    keys.push(e.merge_key());
                    part.push(e)
                });
                (file, Ahead::Part(keys, part))
            };
            Some((sha256, file, ahead))
        },
        |i, ahead| {
            let row = match ahead {
                // Read within what the run's limit left: what was read ahead is what the merge
                // would read now.
                Some((sha256, file, ahead)) if file.inflated_size.unwrap_or(0) < merge.run_left => {
                    match ahead {
                        Ahead::Part(keys, part) => {
                            merge.part(source.name(i), sha256, file, &keys, |dropped| {
                                gather.take(part, dropped)
                            })
                        }
                        Ahead::Events(events) => {
                            let mut ahead = Some((file, events));
                            merge.file(
                                source.name(i),
                                sha256.clone(),
                                &mut |e| gather.event(e),
                                &mut |run_left, sink| match ahead.take() {
                                    Some((file, events)) => {
                                        events.into_iter().for_each(&mut *sink);
                                        file
                                    }
                                    None => again(i, &sha256, run_left, sink),
                                },
                            )
                        }
                    }
                }
                Some((sha256, _, _)) => merge.file(
                    source.name(i),
                    sha256.clone(),
                    &mut |e| gather.event(e),
                    &mut |run_left, sink| again(i, &sha256, run_left, sink),
                ),
                None => in_turn(&mut merge, i, gather),
            };
            done(&row);
            files.push(row);
        },
    );
    (files, merge.focus)
}

/// What a thread reading a file ahead of its turn made of its events.
enum Ahead<P> {
    /// The events, for a focused run.
    Events(Vec<UsageEvent>),
    /// Their merge keys and the gatherer's part.
    Part(Keys, P),
}

/// File `i`'s row read from its stream, when its source would rather stream it and the stream
/// gives the row reading it whole would (`None`: read it whole).
fn streamed(source: &dyn Source, i: usize, jobs: usize) -> Option<Result<EvidenceFile, String>> {
    if !source.streamed(i) {
        return None;
    }
    let mut reader = match source.stream(i) {
        Ok(r) => r,
        Err(why) => return Some(Err(why)),
    };
    stream::read_jobs(source.name(i), &mut reader, jobs).transpose()
}

/// The row of file `i`, a text the evidence stage left ([`Look::leaves_texts`]) that was not
/// read to its end through its tally ([`Tally::reader`]): read from its stream when that gives
/// the row reading it whole would, else read whole (it holds an invalid UTF-8 byte). The flag
/// tells which: `true` when it was read whole.
pub fn complete_left(source: &dyn Source, i: usize, mappings: &Mappings) -> (EvidenceFile, bool) {
    match streamed(source, i, 1) {
        Some(Ok(row)) => (row, false),
        Some(Err(why)) => (unreadable(source.name(i), &why), false),
        None => (read_whole(source, i, mappings), true),
    }
}

/// The row of file `i` read whole: what the evidence stage gives a text its stream would not
/// give the row of (a left text whose tally found an invalid UTF-8 byte, say).
pub fn read_whole(source: &dyn Source, i: usize, mappings: &Mappings) -> EvidenceFile {
    match source.input(i) {
        Ok(input) => read_each(&input, mappings, &mut |_| {}),
        Err(why) => unreadable(source.name(i), &why),
    }
}

/// Bytes as stored past which a file is not read ahead of its turn on another thread.
const HELD_BYTES: u64 = 32 << 20;

/// Whether a file is too large to read ahead of its turn on another thread (its events would be
/// held until then): over 32 MiB as read, or a gzip over 2 MiB (it may inflate 200 times).
fn held_too_large(bytes: &[u8]) -> bool {
    let gzip = bytes.starts_with(&[0x1f, 0x8b]);
    bytes.len() as u64 > if gzip { 2 << 20 } else { HELD_BYTES }
}

/// The merge of the files of one run, in input order: the run's limit on inflated bytes taken
/// off file by file, files with the same bytes as an earlier one, and events an earlier page or
/// file already gave (same id and content), dropped and counted.
struct Merge {
    run_left: u64,
    // When the run is focused: what it keeps, and the count of the rest.
    focus: Option<focus::Focus>,
    // Every event id read so far (a million CloudTrail ids fit in a few tens of megabytes).
    seen: keyset::KeySet,
    same_bytes: HashMap<String, String>,
}

/// Reads one file within the run's bytes left, sending its events on.
type ReadFile<'a> = dyn FnMut(u64, &mut dyn FnMut(UsageEvent)) -> EvidenceFile + 'a;

impl Merge {
    fn new(run_left: u64, focus: Option<focus::Focus>) -> Merge {
        Merge {
            run_left,
            focus,
            seen: keyset::KeySet::default(),
            same_bytes: HashMap::new(),
        }
    }

    /// The name of the earlier file with the same bytes, if any (else this file is the one
    /// later copies name).
    fn twin(&mut self, name: &str, sha256: String) -> Option<String> {
        let twin = self.same_bytes.get(&sha256).cloned();
        if twin.is_none() {
            self.same_bytes.insert(sha256, name.to_string());
        }
        twin
    }

    /// The next file, read ahead into `file` and `keys` (its events' merge keys): `take` is
    /// given the events it drops (ascending), as [`Merge::file`] would drop them, unless the
    /// file is a copy of an earlier one (its events are all dropped, and nothing is taken).
    fn part(
        &mut self,
        name: &str,
        sha256: String,
        file: EvidenceFile,
        keys: &Keys,
        take: impl FnOnce(&[u32]),
    ) -> EvidenceFile {
        debug_assert!(self.focus.is_none());
        let twin = self.twin(name, sha256);
        let dups = if twin.is_some() {
            keys.len() as u64
        } else {
            let mut dropped = Vec::new();
            // The memory of a key a few ahead is asked for while this one is looked up.
            const AHEAD: usize = 8;
            for k in keys.iter().take(AHEAD).flatten() {
                self.seen.ahead(*k);
            }
            for (i, key) in keys.iter().enumerate() {
                if let Some(k) = keys.get(i + AHEAD).copied().flatten() {
                    self.seen.ahead(k);
                }
                if let Some(k) = *key {
                    if !self.seen.insert(k) {
                        dropped.push(i as u32);
                    }
                }
            }
            take(&dropped);
            dropped.len() as u64
        };
        self.close(file, twin, dups)
    }

    /// The next file: `read` reads it within the bytes the run has left.
    fn file(
        &mut self,
        name: &str,
        sha256: String,
        sink: &mut dyn FnMut(UsageEvent),
        read: &mut ReadFile<'_>,
    ) -> EvidenceFile {
        let twin = self.twin(name, sha256);
        let mut dups = 0u64;
        let seen = &mut self.seen;
        let focus = &mut self.focus;
        // Each event waits for the next before its key is looked up and it is passed on: the
        // key's memory, asked for when the event came, is in the cache by then.
        let mut waiting: Option<(UsageEvent, Option<u128>)> = None;
        let mut pass = |(e, key): (UsageEvent, Option<u128>),
                        seen: &mut keyset::KeySet,
                        focus: &mut Option<focus::Focus>,
                        dups: &mut u64| {
            if key.is_some_and(|k| !seen.insert(k)) {
                *dups += 1;
                return;
            }
            if let Some(f) = focus.as_mut() {
                f.kept_one();
            }
            sink(e);
        };
        let file = read(self.run_left, &mut |e| {
            if twin.is_some() {
                dups += 1;
                return;
            }
            if focus.as_mut().is_some_and(|f| !f.keep(&e)) {
                return;
            }
            let key = e.merge_key();
            if let Some(k) = key {
                seen.ahead(k);
            }
            if let Some(w) = waiting.replace((e, key)) {
                pass(w, seen, focus, &mut dups);
            }
        });
        if let Some(w) = waiting.take() {
            pass(w, seen, focus, &mut dups);
        }
        self.close(file, twin, dups)
    }

    /// A file read: its duplicates counted, the run's limit taken off, a copy noted.
    fn close(&mut self, mut file: EvidenceFile, twin: Option<String>, dups: u64) -> EvidenceFile {
        file.duplicates = dups;
        self.run_left = self
            .run_left
            .saturating_sub(file.inflated_size.unwrap_or(0));
        if let Some(t) = twin {
            if file.kind.is_usage() || file.kind == EvidenceKind::UnknownCsv {
                file.note = Some(format!(
                    "same bytes as {t}: its records are not counted twice"
                ));
            }
        }
        file
    }
}

/// Reads one input, sending each event to `sink` as it is read (nothing is held), and
/// returns the inventory row.
pub fn read_each(
    input: &Input,
    mappings: &Mappings,
    sink: &mut dyn FnMut(UsageEvent),
) -> EvidenceFile {
    let sha256 = input.digest();
    read_hashed(
        input,
        mappings,
        &(),
        sha256,
        limits::INFLATED_RUN_BYTES,
        sink,
    )
}

/// [`read_each`] with the SHA-256 already computed, for a file of a run whose earlier files
/// left `run_left` bytes of the run's limit on inflated bytes.
fn read_hashed(
    input: &Input,
    mappings: &Mappings,
    look: &dyn Look,
    sha256: String,
    run_left: u64,
    sink: &mut dyn FnMut(UsageEvent),
) -> EvidenceFile {
    let mut problems = Problems::new(&input.name);
    let (decoded, inflated) = decode_within(&input.bytes, run_left, &mut problems);
    let kind = match &decoded {
        Decoded::Empty => EvidenceKind::Empty,
        Decoded::Binary { .. } => EvidenceKind::Binary,
        Decoded::Text { text, .. } => sniff(text),
    };
    let mut out = out::Out::new(&input.name, problems, sink);
    let (lines, encoding, compression) = match &decoded {
        Decoded::Empty => {
            out.note = Some("empty file: nothing to read".to_string());
            (0, None, None)
        }
        Decoded::Binary { compression, why } => {
            out.note = Some(format!("binary file, not analysed: {why}"));
            (0, None, compression.clone())
        }
        Decoded::Text {
            text,
            encoding,
            compression,
        } => {
            let lines = count_lines(text);
            if lines <= 1 {
                out.one_line_text = Some((text.as_ptr() as usize, text.len()));
            }
            if kind.is_usage() || kind.is_agent() || kind == EvidenceKind::UnknownCsv {
                out.tokens = look.tokens(kind, text);
                formats::parse(kind, text, &sha256, mappings, &mut out);
            }
            let heard = out.tokens.take().and_then(|t| t.finish());
            look.text(&sha256, kind, text, inflated, heard);
            if kind == EvidenceKind::UnknownJson {
                let fields = json::first_record_keys(text)
                    .map(|k| format!(" (first record's fields: {})", k.join(", ")))
                    .unwrap_or_default();
                out.note = Some(format!(
                    "JSON of a shape this tool does not know{fields}: not read (docs/evidence.md lists the formats read)"
                ));
            }
            (lines, Some(encoding.to_string()), compression.clone())
        }
    };
    let records = if kind.is_text() { lines } else { out.events };
    let time_range = match (out.first, out.last) {
        (Some(start), Some(end)) => Some(TimeRange { start, end }),
        _ => None,
    };
    let out::Out {
        mut problems,
        assumptions,
        providers,
        mut columns,
        note,
        undated,
        ..
    } = out;
    // A header's names go to the report: a name past the limit per field value is cut too.
    for c in &mut columns {
        if let Some(why) = values::cap(c) {
            problems.push(Some(1), None, None, format!("column name: {why}"));
        }
    }
    let (problem_count, problems) = problems.finish();
    EvidenceFile {
        name: input.name.clone(),
        size: input.bytes.len() as u64,
        sha256,
        kind_label: kind.label().to_string(),
        kind,
        compression,
        inflated_size: (inflated > 0).then_some(inflated),
        encoding,
        lines,
        records,
        assumptions: assumptions.into_iter().collect(),
        note,
        problem_count,
        problems,
        providers: providers.into_iter().collect(),
        time_range,
        duplicates: 0,
        undated,
        columns,
    }
}

/// Hashes, decodes, sniffs and reads one input into its inventory row (events not kept).
pub fn inventory(input: &Input) -> EvidenceFile {
    read_each(input, &Mappings::new(), &mut |_| {})
}

/// Lines in a text: each ends at LF, CRLF or a lone CR (old Mac exports, as the CSV reader
/// reads them); a final line without a line end still counts.
fn count_lines(text: &str) -> u64 {
    let b = text.as_bytes();
    // Every LF, counted many bytes at a time; then the lone CRs, in the rare text that has a CR.
    let mut n = memchr::memchr_iter(b'\n', b).count() as u64;
    if memchr::memchr(b'\r', b).is_some() {
        n += memchr::memchr_iter(b'\r', b)
            .filter(|&i| b.get(i + 1) != Some(&b'\n'))
            .count() as u64;
    }
    if text.is_empty() || text.ends_with(['\n', '\r']) {
        n
    } else {
        n + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_of_a_one_line_file_are_on_line_one_and_of_others_on_their_own_lines() {
        let record = |n: u32| {
            format!(
                r#"{{"eventVersion":"1.10","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/ci","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE00000000{n}"}},"eventTime":"2026-01-01T00:00:0{n}Z","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","eventID":"00000000-0000-4000-8000-00000000000{n}"}}"#
            )
        };
        let lines = |text: String| {
            let r = read(
                &Input::new("trail.json", text.into_bytes()),
                &Mappings::new(),
            );
            assert!(r.file.problems.is_empty(), "{:?}", r.file.problems);
            r.events.iter().map(|e| e.raw_ref.line).collect::<Vec<_>>()
        };
        let (a, b, c) = (record(1), record(2), record(3));
        // One line, with or without its line end: every record on line 1.
        for end in ["", "\n", "\r\n"] {
            let one = format!(r#"{{"Records":[{a},{b},{c}]}}{end}"#);
            assert_eq!(lines(one), vec![Some(1); 3], "line end {end:?}");
        }
        // Records on lines of their own, and a lone CR that ends no JSON line.
        let many = format!("{{\"Records\":[\n{a},\n\n{b},{c}\n]}}\n");
        assert_eq!(lines(many), vec![Some(2), Some(4), Some(4)]);
        let cr = format!("{{\"Records\":[{a},\r{b}]}}");
        assert_eq!(lines(cr), vec![Some(1), Some(1)]);
    }

    fn gz(text: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(text).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn inventory_hashes_the_bytes_as_read() {
        let row = inventory(&Input::new("a.txt", "hello\nworld"));
        assert_eq!(row.size, 11);
        assert_eq!(row.lines, 2);
        assert_eq!(
            row.sha256,
            // sha256("hello\nworld")
            "26c60a61d01db5836ca70fefd44a6a016620413c8ef5f259a6c5612d4f79d3b8"
        );
        assert_eq!(row.kind, EvidenceKind::Text);
    }

    #[test]
    fn a_digest_the_reader_computed_is_the_inventorys_and_none_is_computed_here() {
        let computed = inventory(&Input::new("a.txt", "hello\nworld")).sha256;
        // What the page's worker gives: the browser's SHA-256 of the same bytes.
        let given = Input {
            sha256: Some(computed.clone()),
            ..Input::new("a.txt", "hello\nworld")
        };
        assert_eq!(given.digest(), computed);
        let files = read_all_within(&[given], &Mappings::new(), u64::MAX, &mut |_| {});
        assert_eq!(files[0].sha256, computed);
        // The engine takes the reader's digest as given (it does not hash the bytes again),
        // when it is a SHA-256 in hex; anything else is not one.
        let marked = Input {
            sha256: Some("ab".repeat(32)),
            ..Input::new("a.txt", "hello\nworld")
        };
        assert_eq!(inventory(&marked).sha256, "ab".repeat(32));
        let not_one = Input {
            sha256: Some("given".into()),
            ..Input::new("a.txt", "hello\nworld")
        };
        assert_eq!(inventory(&not_one).sha256, computed);
    }

    #[test]
    fn lines_end_at_lf_crlf_or_a_lone_cr() {
        for (text, lines) in [
            ("", 0),
            ("a", 1),
            ("a\n", 1),
            ("a\r\nb\r\n", 2),
            ("a\rb\rc\r", 3),
            ("a\rb", 2),
            ("a\r\n\rb", 3),
            ("a\r\r\nb", 3),
        ] {
            assert_eq!(count_lines(text), lines, "{text:?}");
        }
        // A CR-only CSV: its lines and its records.
        let row = inventory(&Input::new("mac.csv", "timestamp,model\r2026-01-01,gpt\r"));
        assert_eq!(row.lines, 2);
    }

    #[test]
    fn the_files_of_a_run_inflate_within_what_the_earlier_ones_left() {
        let text = b"line of text\n".repeat(100);
        let inputs = [
            Input::new("a.log.gz", gz(&text)),
            Input::new("plain.log", text.clone()),
            Input::new("b.log.gz", gz(&text[..1000])),
            Input::new("c.log.gz", gz(&text)),
            Input::new("d.log.gz", gz(&text)),
        ];
        let files = read_all_within(&inputs, &Mappings::new(), 2600, &mut |_| {});
        let inflated: Vec<_> = files.iter().map(|f| f.inflated_size).collect();
        assert_eq!(inflated, [Some(1300), None, Some(1000), Some(300), None]);
        let counts: Vec<_> = files.iter().map(|f| f.problem_count).collect();
        assert_eq!(counts, [0, 0, 0, 1, 1]);
        assert!(files[3].problems[0]
            .message
            .contains("limit of 4 GiB per run; kept the first 300 bytes of this one"));
        assert_eq!(files[3].lines, 24, "what inflated is read");
        assert_eq!(files[4].kind, EvidenceKind::Empty);
    }

    /// On several threads the inventory and the merged events are the one thread's: copies,
    /// events given twice, and files inflating past what the run's limit left (read again in
    /// their turn).
    #[test]
    fn the_files_read_on_several_threads_merge_as_on_one() {
        let csv = |from: usize, to: usize| {
            let mut t = String::from(
                "timestamp,api_key_prefix,model,input_tokens,output_tokens,endpoint,source_ip,user_agent,status_code,cost_usd\n",
            );
            for i in from..to {
                t.push_str(&format!(
                    "2026-01-01T00:{:02}:{:02}Z,sk-a{},gpt-4o,10,5,/v1/chat/completions,198.51.100.7,curl/8,200,0.01\n",
                    i / 60 % 60,
                    i % 60,
                    i % 3
                ));
            }
            t.into_bytes()
        };
        let text = b"line of text\n".repeat(100);
        let mut inputs = vec![
            Input::new("a.log.gz", gz(&text)),
            Input::new("u1.csv", csv(0, 40)),
            Input::new("u1-again.csv", csv(0, 40)),
            Input::new("u2.csv.gz", gz(&csv(20, 90))),
            Input::new("b.log.gz", gz(&text[..1000])),
            Input::new("c.log.gz", gz(&text)),
            Input::new("d.log.gz", gz(&text)),
        ];
        inputs.extend((0..9).map(|i| Input::new(format!("p{i}.txt"), text.repeat(i))));
        for run_bytes in [limits::INFLATED_RUN_BYTES, 8_000] {
            let mut one_events = Vec::new();
            let one = read_all_within(&inputs, &Mappings::new(), run_bytes, &mut |e| {
                one_events.push(e)
            });
            assert!(one.iter().any(|f| f.duplicates > 0) && !one_events.is_empty());
            let cut = one
                .iter()
                .any(|f| f.problems.iter().any(|p| p.message.contains("per run")));
            assert_eq!(cut, run_bytes < limits::INFLATED_RUN_BYTES);
            for jobs in [2, 3] {
                let (mut events, mut done) = (Vec::new(), Vec::new());
                let many = read_jobs_within(
                    &&inputs[..],
                    &Mappings::new(),
                    &(),
                    run_bytes,
                    jobs,
                    None,
                    &mut Events(&mut |e| events.push(e)),
                    &mut |f| done.push(f.name.clone()),
                )
                .0;
                assert_eq!(many, one, "{jobs} jobs within {run_bytes}");
                assert_eq!(events, one_events);
                let names: Vec<_> = inputs.iter().map(|i| i.name.clone()).collect();
                assert_eq!(done, names);
            }
        }
    }

    #[test]
    fn a_column_name_past_the_limit_per_field_value_is_cut() {
        // The sniffer takes only short names for a header; a quoted name over two lines is not
        // seen whole by it, but the CSV reader reads it whole.
        let long = format!("x\n{},n", "n".repeat(limits::FIELD_BYTES));
        let text = format!("when,\"{long}\"\n2026-01-01,1\n");
        let row = inventory(&Input::new("odd.csv", text));
        assert_eq!(row.kind, EvidenceKind::UnknownCsv);
        assert_eq!(row.columns[0], "when");
        assert_eq!(
            row.columns[1],
            "x\n… [4100 bytes, cut at the limit of 4 KiB]"
        );
        assert_eq!(row.problems.len(), 1, "{:?}", row.problems);
        assert!(row.problems[0]
            .message
            .starts_with("column name: a value of 4100 bytes"));
    }

    #[test]
    fn empty_file_is_reported_not_fatal() {
        let row = inventory(&Input::new("empty.json", Vec::new()));
        assert_eq!(row.kind, EvidenceKind::Empty);
        assert_eq!(row.note.as_deref(), Some("empty file: nothing to read"));
    }

    #[test]
    fn binary_file_is_reported_not_fatal() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        let row = inventory(&Input::new("blob.bin", bytes));
        assert_eq!(row.kind, EvidenceKind::Binary);
        assert!(row.note.unwrap().starts_with("binary file"));
    }
}
