//! The session file: the whole triage state as one JSON value, so a responder can hand over to a
//! colleague or pick the work up later.
//!
//! It holds the evidence fingerprints (name, size, SHA-256), the responder's [`Context`] (known
//! keys never: the context does not serialise them) and, only when the responder asks, the
//! evidence files themselves (base64). Reading one never panics: every problem is a
//! [`SessionError`] with a plain message. Pure: no clock, no I/O.

pub use crate::report::custody::{check, Differing, EvidenceCheck, EvidenceRef};
use crate::report::{Report, Tool};
use crate::scan::base64::{decode as b64_decode, encode as b64_encode};
use crate::{Context, Input};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// The session format's version, written as the value of `leaktriage_session`.
pub const SESSION_VERSION: u32 = 1;

/// One session file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// The format version ([`SESSION_VERSION`]); also what marks a JSON file as a session.
    pub leaktriage_session: u32,
    /// The tool that wrote it.
    pub tool: Tool,
    /// The evidence analysed when it was saved, in order.
    pub evidence: Vec<EvidenceRef>,
    /// What the responder had told the engine (its `now` is dropped: a reopened session is
    /// analysed at the time it is reopened).
    pub context: Context,
    /// The evidence files themselves, only when the responder asked for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<EmbeddedFile>>,
}

/// One evidence file carried inside the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbeddedFile {
    /// Name as given.
    pub name: String,
    /// The bytes, standard base64 with padding.
    pub base64: String,
}

/// Why a file could not be read as a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionError {
    /// Not JSON at all.
    NotJson(String),
    /// JSON, but not a leaktriage session.
    NotASession,
    /// A session from a newer leaktriage.
    Version(u64),
    /// A session whose content does not fit the format.
    Invalid(String),
    /// An embedded file that cannot be decoded or does not match its fingerprint.
    File {
        /// The file's name.
        name: String,
        /// What is wrong.
        why: String,
    },
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::NotJson(e) => write!(f, "not a session file: it is not JSON ({e})"),
            SessionError::NotASession => write!(
                f,
                "not a session file: the JSON has no \"leaktriage_session\" version"
            ),
            SessionError::Version(v) => write!(
                f,
                "a session of format {v}, newer than this leaktriage reads ({SESSION_VERSION}): open it with a newer leaktriage"
            ),
            SessionError::Invalid(e) => write!(f, "the session file is damaged: {e}"),
            SessionError::File { name, why } => {
                write!(f, "the session's copy of {name} cannot be used: {why}")
            }
        }
    }
}

impl std::error::Error for SessionError {}

impl Session {
    /// The session of a report: its evidence, the context it was made with, and the files
    /// themselves when `files` is given (the same inputs the report was made from).
    pub fn new(report: &Report, ctx: &Context, files: Option<&[Input]>) -> Self {
        let mut context = ctx.clone();
        context.now = None;
        context.known_keys.clear();
        Session {
            leaktriage_session: SESSION_VERSION,
            tool: report.tool.clone(),
            evidence: report.evidence.iter().map(EvidenceRef::of).collect(),
            context,
            files: files.map(|fs| {
                fs.iter()
                    .map(|i| EmbeddedFile {
                        name: i.name.clone(),
                        base64: b64_encode(&i.bytes),
                    })
                    .collect()
            }),
        }
    }

    /// The session as pretty JSON (deterministic: the same state gives the same bytes).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Reads a session file. Embedded files are not decoded here: see [`Session::inputs`].
    pub fn parse(text: &str) -> Result<Self, SessionError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| SessionError::NotJson(e.to_string()))?;
        let version = v
            .get("leaktriage_session")
            .ok_or(SessionError::NotASession)?;
        let version = version.as_u64().ok_or_else(|| {
            SessionError::Invalid("\"leaktriage_session\" is not a version number".into())
        })?;
        if version > SESSION_VERSION as u64 {
            return Err(SessionError::Version(version));
        }
        if version == 0 {
            return Err(SessionError::Invalid(
                "\"leaktriage_session\" must be 1 or more".into(),
            ));
        }
        serde_json::from_value(v).map_err(|e| SessionError::Invalid(e.to_string()))
    }

    /// The embedded files as inputs, each checked against its fingerprint in the evidence
    /// list (a file the list does not name is refused too). Empty when none are embedded.
    pub fn inputs(&self) -> Result<Vec<Input>, SessionError> {
        let Some(files) = &self.files else {
            return Ok(Vec::new());
        };
        files
            .iter()
            .map(|f| {
                let err = |why: String| SessionError::File {
                    name: f.name.clone(),
                    why,
                };
                let clean: String = f.base64.split_ascii_whitespace().collect();
                let bytes =
                    b64_decode(&clean).ok_or_else(|| err("its base64 is damaged".into()))?;
                let sha = crate::secret::hex(&Sha256::digest(&bytes));
                match self.evidence.iter().find(|e| e.name == f.name) {
                    Some(e) if e.sha256 == sha && e.size == bytes.len() as u64 => {
                        Ok(Input::new(f.name.clone(), bytes))
                    }
                    Some(e) => Err(err(format!(
                        "its SHA-256 is {sha} ({} bytes) but the session lists {} ({} bytes)",
                        bytes.len(),
                        e.sha256,
                        e.size
                    ))),
                    None => Err(err("the session's evidence list does not name it".into())),
                }
            })
            .collect()
    }

    /// Whether the start of a file looks like a session (for recognising a dropped session
    /// among evidence files by content, from its first bytes only).
    pub fn sniff(prefix: &[u8]) -> bool {
        let p = prefix.strip_prefix(b"\xef\xbb\xbf").unwrap_or(prefix);
        let p = p.trim_ascii_start();
        let Some(rest) = p.strip_prefix(b"{") else {
            return false;
        };
        rest.trim_ascii_start()
            .starts_with(b"\"leaktriage_session\"")
    }

    /// Compares the session's evidence with the files given now.
    pub fn check(&self, given: &[EvidenceRef]) -> EvidenceCheck {
        check(&self.evidence, given)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{demo, triage};

    fn ctx() -> Context {
        Context {
            now: chrono::DateTime::from_timestamp(1_795_000_000, 0),
            awareness: chrono::DateTime::from_timestamp(1_794_900_000, 0),
            compromise_start: chrono::DateTime::from_timestamp(1_794_000_000, 0),
            known_keys: vec![
                crate::scan::known_key::KnownKey::parse("sk-proj-abc...BUWv").unwrap(),
            ],
            ..Context::default()
        }
    }

    #[test]
    fn a_session_round_trips_and_reopens_to_the_same_report() {
        let inputs = demo::inputs();
        let c = ctx();
        let report = triage(&inputs, &c);
        let s = Session::new(&report, &c, Some(&inputs));
        let json = s.to_json();
        assert!(
            json.starts_with("{\n  \"leaktriage_session\": 1,"),
            "{}",
            &json[..80]
        );
        assert!(!json.contains("known_keys"), "known keys are never saved");
        assert!(!json.contains("abc...BUWv"));
        let back = Session::parse(&json).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.context.now, None, "the report time is not saved");
        assert_eq!(back.context.awareness, c.awareness);
        let again = back.inputs().unwrap();
        let pairs = |v: &[Input]| -> Vec<(String, Vec<u8>)> {
            v.iter()
                .map(|i| (i.name.clone(), i.bytes.to_vec()))
                .collect()
        };
        assert_eq!(pairs(&again), pairs(&inputs));
        let mut reopened = back.context.clone();
        reopened.now = c.now;
        reopened.known_keys = c.known_keys.clone();
        assert_eq!(triage(&again, &reopened), report);
        assert!(back.check(&s.evidence).complete());
    }

    #[test]
    fn files_are_embedded_only_when_asked() {
        let inputs = demo::inputs();
        let report = triage(&inputs, &Context::default());
        let s = Session::new(&report, &Context::default(), None);
        let json = s.to_json();
        assert!(!json.contains("\"files\""), "{json}");
        assert!(Session::parse(&json).unwrap().inputs().unwrap().is_empty());
        assert_eq!(s.evidence.len(), 5);
        assert_eq!(s.evidence[0].sha256, report.evidence[0].sha256);
    }

    #[test]
    fn bad_files_get_plain_messages() {
        let msg = |t: &str| Session::parse(t).unwrap_err().to_string();
        assert!(msg("not json").starts_with("not a session file: it is not JSON"));
        assert!(msg("{\"schema_version\":1}").contains("no \"leaktriage_session\""));
        assert!(msg("{\"leaktriage_session\":7}").contains("newer than this leaktriage"));
        assert!(msg("{\"leaktriage_session\":\"x\"}").contains("not a version number"));
        let base = r#"{"leaktriage_session":1,"tool":{"name":"leaktriage","version":"0.1.0"},"evidence":[],"context":{}}"#;
        assert!(Session::parse(base).is_ok());
        let odd = base.replace("\"context\":{}", "\"context\":{\"awarenes\":null}");
        assert!(
            msg(&odd).contains("unknown field `awarenes`"),
            "{}",
            msg(&odd)
        );
        let bad_time = base.replace("\"context\":{}", "\"context\":{\"awareness\":\"soon\"}");
        assert!(msg(&bad_time).starts_with("the session file is damaged"));
        // Every prefix of a good session is refused with a message, never a panic.
        let good = Session::new(
            &triage(&[Input::new("a.env", "A=1\n")], &Context::default()),
            &Context::default(),
            Some(&[Input::new("a.env", "A=1\n")]),
        )
        .to_json();
        for cut in 0..good.len() {
            assert!(Session::parse(&good[..cut]).is_err());
        }
    }

    #[test]
    fn embedded_files_are_checked_against_their_fingerprints() {
        let inputs = [Input::new("a.env", "A=1\n")];
        let report = triage(&inputs, &Context::default());
        let mut s = Session::new(&report, &Context::default(), Some(&inputs));
        s.files.as_mut().unwrap()[0].base64 = b64_encode(b"A=2\n");
        let e = s.inputs().unwrap_err().to_string();
        assert!(
            e.contains("a.env") && e.contains("the session lists"),
            "{e}"
        );
        s.files.as_mut().unwrap()[0].base64 = "@@@@".into();
        assert!(s
            .inputs()
            .unwrap_err()
            .to_string()
            .contains("base64 is damaged"));
        s.files.as_mut().unwrap()[0] = EmbeddedFile {
            name: "other".into(),
            base64: b64_encode(b"A=1\n"),
        };
        assert!(s
            .inputs()
            .unwrap_err()
            .to_string()
            .contains("does not name it"));
    }

    #[test]
    fn sniff_recognises_a_session_by_its_first_bytes() {
        assert!(Session::sniff(b"{\n  \"leaktriage_session\": 1,"));
        assert!(Session::sniff(b"\xef\xbb\xbf { \"leaktriage_session\""));
        assert!(!Session::sniff(
            b"{\"schema_version\": 1, \"leaktriage_session\": 1}"
        ));
        assert!(!Session::sniff(b"timestamp,model\n"));
        assert!(!Session::sniff(b""));
    }
}
