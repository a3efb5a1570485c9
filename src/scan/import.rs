//! Imports: gitleaks JSON, gitleaks (or any) SARIF, trufflehog JSON / JSON lines.
//! Recognised by content; their findings join ours, deduplicated by fingerprint.

use super::history::CommitInfo;
use crate::evidence::limits::PROBE_BYTES;
use serde_json::Value;

/// How far into a document the probe looks for a report's marker.
pub const HEAD: usize = 64 << 10;

/// One imported finding.
#[derive(Debug, Clone)]
pub struct ImportedFinding {
    /// The secret, when the report holds it unredacted.
    pub value: Option<String>,
    /// The importing tool's rule or detector.
    pub rule: String,
    /// File path.
    pub path: Option<String>,
    /// Line (0 when unknown).
    pub line: u64,
    /// Commit, when from history.
    pub commit: Option<CommitInfo>,
    /// The tool's own fingerprint, for redacted imports.
    pub tool_fingerprint: Option<String>,
}

/// A recognised report.
#[derive(Debug, Clone)]
pub struct Imported {
    /// `gitleaks`, `trufflehog` or `sarif`.
    pub tool: &'static str,
    /// Its findings.
    pub findings: Vec<ImportedFinding>,
}

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k)
        .and_then(|x| x.as_str())
        .map(str::to_string)
        .filter(|x| !x.is_empty())
}

fn commit(
    id: Option<String>,
    author: Option<String>,
    email: Option<String>,
    date: Option<String>,
    subject: Option<String>,
) -> Option<CommitInfo> {
    let id = id?;
    let ts = date
        .as_deref()
        .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
        .map(|d| d.timestamp());
    let mut c = super::history::commit_info(id);
    c.author = author;
    c.email = email;
    c.author_date = date;
    c.subject = subject;
    c.order = (ts.unwrap_or(0), 0);
    Some(c)
}

fn redacted(v: Option<String>) -> Option<String> {
    v.filter(|x| x != "REDACTED" && !x.contains("REDACTED") && x.len() >= 8)
}

/// Recognises and parses a scanner report; `None` when the text is not one.
///
/// The probe looks at a bounded head before parsing anything: a document without the report's
/// marker in its first [`HEAD`] bytes, or larger than [`PROBE_BYTES`], is not parsed (it is
/// scanned as text), so a huge JSON document is never held whole as a value just to probe it.
pub fn parse(text: &str) -> Option<Imported> {
    let t = text.trim_start();
    if t.len() > PROBE_BYTES {
        return None;
    }
    let head = &t.as_bytes()[..t.len().min(HEAD)];
    let has = |k: &str| memchr::memmem::find(head, k.as_bytes()).is_some();
    let marked = if t.starts_with('[') {
        has("\"RuleID\"")
    } else {
        has("\"runs\"") || has("\"SourceMetadata\"")
    };
    if !marked {
        return None;
    }
    if t.starts_with('[') {
        let v: Value = serde_json::from_str(t).ok()?;
        let arr = v.as_array()?;
        if arr.is_empty() || arr.iter().all(|x| x.get("RuleID").is_some()) && !arr.is_empty() {
            if arr.is_empty() {
                return None;
            }
            let findings = arr
                .iter()
                .map(|x| ImportedFinding {
                    value: redacted(s(x, "Secret")),
                    rule: s(x, "RuleID").unwrap_or_default(),
                    path: s(x, "File"),
                    line: x.get("StartLine").and_then(Value::as_u64).unwrap_or(0),
                    commit: commit(
                        s(x, "Commit"),
                        s(x, "Author"),
                        s(x, "Email"),
                        s(x, "Date"),
                        s(x, "Message"),
                    ),
                    tool_fingerprint: s(x, "Fingerprint"),
                })
                .collect();
            return Some(Imported {
                tool: "gitleaks",
                findings,
            });
        }
        return None;
    }
    if t.starts_with('{') {
        if let Ok(v) = serde_json::from_str::<Value>(t) {
            if v.get("runs").is_some() && (v.get("version").is_some() || v.get("$schema").is_some())
            {
                return sarif(&v);
            }
            if v.get("SourceMetadata").is_some() {
                return Some(Imported {
                    tool: "trufflehog",
                    findings: trufflehog(&v).into_iter().collect(),
                });
            }
            return None;
        }
        // JSON lines (trufflehog --json).
        let mut findings = Vec::new();
        for line in t.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line).ok()?;
            v.get("SourceMetadata")?;
            findings.extend(trufflehog(&v));
        }
        if !findings.is_empty() {
            return Some(Imported {
                tool: "trufflehog",
                findings,
            });
        }
    }
    None
}

fn trufflehog(v: &Value) -> Option<ImportedFinding> {
    let data = v.get("SourceMetadata")?.get("Data")?;
    let (_, meta) = data.as_object()?.iter().next()?;
    let (name, email) = match s(meta, "email") {
        Some(e) => match (e.find('<'), e.find('>')) {
            (Some(a), Some(b)) if a < b => (
                Some(e[..a].trim().to_string()),
                Some(e[a + 1..b].to_string()),
            ),
            _ => (None, Some(e)),
        },
        None => (None, None),
    };
    Some(ImportedFinding {
        value: redacted(s(v, "Raw")),
        rule: s(v, "DetectorName").unwrap_or_else(|| "unknown".into()),
        path: s(meta, "file").or_else(|| s(meta, "path")),
        line: meta.get("line").and_then(Value::as_u64).unwrap_or(0),
        commit: commit(s(meta, "commit"), name, email, s(meta, "timestamp"), None),
        tool_fingerprint: None,
    })
}

fn sarif(v: &Value) -> Option<Imported> {
    let mut findings = Vec::new();
    let mut tool = "sarif";
    for run in v.get("runs")?.as_array()? {
        let name = run
            .pointer("/tool/driver/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        if name.eq_ignore_ascii_case("gitleaks") {
            tool = "gitleaks";
        }
        if name.eq_ignore_ascii_case("leaktriage") {
            // Our own export holds no values; importing it back would add nothing.
            return None;
        }
        for r in run
            .get("results")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let loc = r.pointer("/locations/0/physicalLocation");
            let pf = r.get("partialFingerprints");
            let g = |k: &str| pf.and_then(|p| s(p, k));
            findings.push(ImportedFinding {
                value: redacted(
                    loc.and_then(|l| l.pointer("/region/snippet/text"))
                        .and_then(Value::as_str)
                        .map(str::to_string),
                ),
                rule: s(r, "ruleId").unwrap_or_default(),
                path: loc
                    .and_then(|l| l.pointer("/artifactLocation/uri"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
                line: loc
                    .and_then(|l| l.pointer("/region/startLine"))
                    .and_then(Value::as_u64)
                    .unwrap_or(0),
                commit: commit(
                    g("commitSha"),
                    g("author"),
                    g("email"),
                    g("date"),
                    g("commitMessage"),
                ),
                tool_fingerprint: None,
            });
        }
    }
    Some(Imported { tool, findings })
}
