//! The progress line on standard error while a long run works: one line per stage (the files
//! read from disk, then read and parsed, detection, the scan, the report), redrawn in place at
//! most a few times a second, with the files, bytes read and inflated, records, the scan's MB/s,
//! the time elapsed and the time left. Only on a terminal and without `--quiet`.
//!
//! It is given counts and the files' names, never a value from inside a file; a name is shown
//! as its base name, through the output gate (a secret in a file name is redacted) and with its
//! control characters written visibly.

use leaktriage::scan::gate::Gate;
use leaktriage::Step;
use std::io::Write;
use std::time::{Duration, Instant};

/// Redraws at most this often.
const EVERY: Duration = Duration::from_millis(200);
/// Characters of a file's base name shown (the line stays within 100 columns).
const NAME_CHARS: usize = 28;

/// What a progress line says: the counts of the stage under way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// `disk`, `read`, `detect`, `scan` or `report`.
    pub stage: &'static str,
    /// Files done in this stage, and how many there are (0: not known yet).
    pub files: (usize, usize),
    /// Bytes of the files done (as stored), and of all of them (0: not known yet).
    pub bytes: (u64, u64),
    /// Bytes the files done inflated to (0 when none was compressed).
    pub inflated: u64,
    /// Records read so far.
    pub records: u64,
    /// Bytes the scan went through so far (the scan stage only).
    pub scanned: u64,
    /// Time in this stage.
    pub elapsed: Duration,
    /// The last file done.
    pub name: String,
}

/// The progress display of one run.
pub struct Progress {
    on: bool,
    gate: Gate,
    sizes: Vec<u64>,
    total: u64,
    /// Each file's bytes as the scan goes through them (inflated where compressed).
    scan_sizes: Vec<u64>,
    names: Vec<String>,
    now: Snapshot,
    since: Instant,
    drawn: Option<Instant>,
}

impl Progress {
    /// A display that draws only when `on` (standard error is a terminal and not `--quiet`);
    /// `gate` redacts what the responder said is secret, besides the catalog's secrets.
    pub fn new(on: bool, gate: Gate) -> Progress {
        Progress {
            on,
            gate,
            sizes: Vec::new(),
            total: 0,
            scan_sizes: Vec::new(),
            names: Vec::new(),
            now: Snapshot {
                stage: "disk",
                ..Snapshot::default()
            },
            since: Instant::now(),
            drawn: None,
        }
    }

    /// One more file read from disk.
    pub fn disk(&mut self, name: &str, bytes: u64) {
        if !self.on {
            return;
        }
        self.now.files.0 += 1;
        self.now.bytes.0 += bytes;
        self.now.name = name.to_string();
        self.draw(false);
    }

    /// The files the engine is about to read: names and sizes, in input order.
    pub fn inputs<'a>(&mut self, files: impl Iterator<Item = (&'a str, u64)>) {
        if !self.on {
            return;
        }
        (self.names, self.sizes) = files.map(|(n, s)| (n.to_string(), s)).unzip();
        self.total = self.sizes.iter().sum();
    }

    /// One step of the engine's run.
    pub fn step(&mut self, step: Step<'_>) {
        if !self.on {
            return;
        }
        match step {
            Step::Stage(stage) => {
                self.now = Snapshot {
                    stage,
                    files: (0, self.sizes.len()),
                    bytes: (0, self.total),
                    ..Snapshot::default()
                };
                self.since = Instant::now();
                self.draw(true);
            }
            Step::Read(f) => {
                self.now.files.0 += 1;
                self.now.bytes.0 += f.size;
                self.now.inflated += f.inflated_size.unwrap_or(0);
                self.now.records += f.records;
                self.now.name = f.name.clone();
                self.scan_sizes.push(f.inflated_size.unwrap_or(f.size));
                self.draw(false);
            }
            Step::Scanned(i) => {
                self.now.files.0 += 1;
                self.now.bytes.0 += self.sizes.get(i).copied().unwrap_or(0);
                self.now.scanned += self.scan_sizes.get(i).copied().unwrap_or(0);
                self.now.name = self.names.get(i).cloned().unwrap_or_default();
                self.draw(false);
            }
        }
    }

    /// Clears the line (the run is over).
    pub fn finish(&mut self) {
        if self.on && self.drawn.is_some() {
            let _ = std::io::stderr().lock().write_all(b"\r\x1b[K");
            self.drawn = None;
        }
    }

    fn draw(&mut self, always: bool) {
        if !always && self.drawn.is_some_and(|t| t.elapsed() < EVERY) {
            return;
        }
        self.now.elapsed = self.since.elapsed();
        let text = line(&self.now, &self.gate);
        let _ = std::io::stderr()
            .lock()
            .write_all(format!("\r\x1b[K{text}").as_bytes());
        self.drawn = Some(Instant::now());
    }
}

/// The progress line for a snapshot: counts, rates, times and the last file's base name,
/// redacted by `gate` and with control characters written visibly.
pub fn line(s: &Snapshot, gate: &Gate) -> String {
    let mut parts = vec![format!("leaktriage: {}", s.stage)];
    let secs = s.elapsed.as_secs_f64();
    if s.files.0 > 0 || s.files.1 > 0 {
        parts.push(match s.files.1 {
            0 => format!("{} files", s.files.0),
            n => format!("{}/{n} files", s.files.0),
        });
    }
    if s.bytes.0 > 0 {
        parts.push(match s.bytes.1 {
            0 => mb(s.bytes.0),
            n => format!("{}/{}", mb(s.bytes.0), mb(n)),
        });
    }
    if s.inflated > 0 {
        parts.push(format!("{} inflated", mb(s.inflated)));
    }
    if s.records > 0 {
        parts.push(format!("{} records", s.records));
    }
    if s.scanned > 0 && secs > 0.0 {
        parts.push(format!(
            "scanned {} at {:.0} MB/s",
            mb(s.scanned),
            s.scanned as f64 / 1e6 / secs
        ));
    }
    let mut time = format!("{} elapsed", clock(secs));
    if s.bytes.1 > 0 && s.bytes.0 > 0 && s.bytes.0 < s.bytes.1 {
        let left = secs * (s.bytes.1 - s.bytes.0) as f64 / s.bytes.0 as f64;
        time.push_str(&format!(", ~{} left", clock(left)));
    }
    parts.push(time);
    if !s.name.is_empty() {
        parts.push(base_name(&s.name, gate));
    }
    parts.join("  ")
}

/// A file's base name, gated, with control characters written visibly, cut to
/// [`NAME_CHARS`] characters (the end kept: it tells the files of a folder apart).
pub fn base_name(name: &str, gate: &Gate) -> String {
    let safe = gated(name, gate);
    let n = safe.chars().count();
    if n <= NAME_CHARS {
        return safe;
    }
    let tail: String = safe.chars().skip(n - (NAME_CHARS - 1)).collect();
    format!("…{tail}")
}

/// A file's base name, gated, with control characters written visibly (whole). The whole path
/// is gated first: a secret may hold a `/` (base64), and its part after the last one would not
/// be recognised on its own.
fn gated(name: &str, gate: &Gate) -> String {
    let gated = gate.redact(name);
    let base = gated.rsplit(['/', '\\']).next().unwrap_or(&gated);
    leaktriage::format::escape_controls(base).into_owned()
}

fn mb(bytes: u64) -> String {
    if bytes >= 10_000_000_000 {
        format!("{:.1} GB", bytes as f64 / 1e9)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

fn clock(secs: f64) -> String {
    let s = secs.round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leaktriage::scan::fake::{generate, Rng};
    use leaktriage::scan::known_key::KnownKey;

    fn snap(name: &str) -> Snapshot {
        Snapshot {
            stage: "read",
            files: (3, 10),
            bytes: (250_000_000, 1_000_000_000),
            inflated: 4_000_000_000,
            records: 1_234_567,
            scanned: 0,
            elapsed: Duration::from_secs(10),
            name: name.to_string(),
        }
    }

    #[test]
    fn the_line_gives_counts_rates_and_the_time_left() {
        let l = line(&snap("logs/2026/11/trail-0001.json.gz"), &Gate::default());
        assert_eq!(
            l,
            "leaktriage: read  3/10 files  250.0 MB/1000.0 MB  4000.0 MB inflated  1234567 records  \
             00:10 elapsed, ~00:30 left  trail-0001.json.gz"
        );
        let scan = Snapshot {
            stage: "scan",
            files: (1, 2),
            scanned: 300_000_000,
            elapsed: Duration::from_secs(2),
            ..Snapshot::default()
        };
        assert_eq!(
            line(&scan, &Gate::default()),
            "leaktriage: scan  1/2 files  scanned 300.0 MB at 150 MB/s  00:02 elapsed"
        );
    }

    /// A file name is user data: a secret in it, of a rule's shape or a key the responder
    /// named, never reaches the line, not even in part; folders are left out and the terminal
    /// cannot be driven by it.
    #[test]
    fn no_secret_in_a_file_name_reaches_the_line() {
        let mut rng = Rng::new(7);
        let catalog = leaktriage::scan::rules::catalog();
        for id in [
            "openai-project-key",
            "anthropic-api-key",
            "google-api-key",
            "stripe-live-key",
            "github-pat",
            "slack-bot-token",
            "groq-api-key",
            "aws-secret-access-key",
        ] {
            let rule = catalog.iter().find(|r| r.id == id).unwrap();
            let secret = generate(rule.shape, &mut rng).secret;
            // A bare AWS secret is recognised only beside its name.
            let planted = match id {
                "aws-secret-access-key" => format!("aws_secret_access_key={secret}"),
                _ => secret.clone(),
            };
            let name = format!("dir-{planted}/{planted}.env");
            let whole = gated(&name, &Gate::default());
            assert!(!whole.contains("dir-"), "{whole}");
            let l = line(&snap(&name), &Gate::default());
            // No run of 12 characters of the secret (its public prefix aside) is shown.
            let body = &secret[secret.len() - 12..];
            for shown in [&whole, &l] {
                assert!(!shown.contains(body), "{id}: {shown}");
            }
        }
        // A key the responder named, of no rule's shape, is redacted too.
        let named = "zq9-Custom-Internal-Token-77ab31";
        let gate = Gate::new(&[KnownKey::parse(named).unwrap()]);
        let whole = gated(&format!("dump-{named}.txt"), &gate);
        assert!(!whole.contains("Internal-Token"), "{whole}");
        // Control characters are written visibly; a long name keeps its end.
        assert_eq!(
            base_name("a\x1b[2Jb.log", &Gate::default()),
            "a\\x1b[2Jb.log"
        );
        let long = base_name(&format!("{}-end.log", "x".repeat(80)), &Gate::default());
        assert_eq!(long.chars().count(), NAME_CHARS);
        assert!(long.ends_with("-end.log") && long.starts_with('…'));
    }
}
