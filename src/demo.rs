//! The built-in demo incident: synthetic evidence of one leaked key, generated deterministically.
//!
//! Every credential here is fake, of the real shape, made from a seeded generator. The files are
//! committed under `public/demo/` (so the page can load them offline and a responder can read
//! them); a test checks the committed copies equal this generator's output.

use chrono::{DateTime, Duration, TimeZone, Utc};
use std::fmt::Write as _;

/// The demo's file names, in the order they are loaded.
pub const NAMES: [&str; 5] = [
    "openai-usage-export.csv",
    "cloudtrail-bedrock.json.gz",
    "git-log-p.txt",
    "prod.env",
    "ci-build.log",
];

/// The demo files as engine inputs, named as in [`NAMES`] and in that order.
pub fn inputs() -> Vec<crate::Input> {
    files()
        .into_iter()
        .map(|(n, b)| crate::Input::new(n, b))
        .collect()
}

/// Generates the demo files.
pub fn files() -> Vec<(&'static str, Vec<u8>)> {
    let mut rng = Rng(0x5eed_1eaf_2026);
    let keys = Keys::new(&mut rng);
    vec![
        (NAMES[0], usage_csv(&mut rng, &keys).into_bytes()),
        (NAMES[1], cloudtrail_gz(&keys)),
        (NAMES[2], git_log(&keys).into_bytes()),
        (NAMES[3], dotenv(&keys).into_bytes()),
        (NAMES[4], ci_log(&keys).into_bytes()),
    ]
}

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len() as u64) as usize] as char)
            .collect()
    }
}

const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The demo's fake credentials.
struct Keys {
    openai: String,
    anthropic: String,
    aws_id: String,
    aws_secret: String,
}

impl Keys {
    fn new(rng: &mut Rng) -> Self {
        Keys {
            openai: format!(
                "sk-proj-{}T3BlbkFJ{}",
                rng.string(B64URL, 74),
                rng.string(B64URL, 74)
            ),
            anthropic: format!("sk-ant-api03-{}AA", rng.string(B64URL, 93)),
            aws_id: format!("AKIA{}", rng.string(BASE32, 16)),
            aws_secret: rng.string(ALNUM, 40),
        }
    }
    fn openai_hint(&self) -> String {
        format!("sk-proj-...{}", &self.openai[self.openai.len() - 4..])
    }
}

/// The IAM user the demo's attacker creates.
const DEMO_USER: &str = "backup-svc";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 26, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// 24 days of office use of one key, then abuse from 2026-11-16 02:13 UTC.
fn usage_csv(rng: &mut Rng, keys: &Keys) -> String {
    let mut s =
        String::from("timestamp,api_key_prefix,model,input_tokens,output_tokens,endpoint,source_ip,user_agent,status_code,cost_usd\n");
    let hint = keys.openai_hint();
    let mut rows: Vec<(DateTime<Utc>, String)> = Vec::new();
    for day in 0..24 {
        let date = t0() + Duration::days(day);
        let weekday = day % 7 < 5;
        let n = if weekday {
            30 + rng.below(15)
        } else {
            3 + rng.below(4)
        };
        for _ in 0..n {
            let t = date + Duration::minutes((8 * 60 + rng.below(10 * 60)) as i64);
            let (i, o) = (400 + rng.below(1600), 100 + rng.below(500));
            let cost = (i as f64 * 0.15 + o as f64 * 0.6) / 1_000_000.0;
            rows.push((
                t,
                format!(
                    "{},{hint},gpt-4o-mini,{i},{o},/v1/chat/completions,203.0.113.{},OpenAI/Python 1.54.3,200,{cost:.6}",
                    iso(t),
                    10 + rng.below(3)
                ),
            ));
        }
    }
    let attack = t0() + Duration::days(21) + Duration::hours(2) + Duration::minutes(13);
    rows.push((
        attack,
        format!(
            "{},{hint},gpt-4o-mini,12,1,/v1/models,198.51.100.23,curl/8.5.0,200,0.000000",
            iso(attack)
        ),
    ));
    for k in 0..3 * 24 * 6 {
        let t = attack + Duration::minutes(3 + k * 10 + rng.below(9) as i64);
        let model = ["gpt-4o", "o1", "gpt-4o"][rng.below(3) as usize];
        let (i, o) = (6000 + rng.below(20000), 2000 + rng.below(6000));
        let (pi, po) = if model == "o1" {
            (15.0, 60.0)
        } else {
            (2.5, 10.0)
        };
        let cost = (i as f64 * pi + o as f64 * po) / 1_000_000.0;
        let status = if rng.below(20) == 0 { 429 } else { 200 };
        rows.push((
            t,
            format!(
                "{},{hint},{model},{i},{o},/v1/chat/completions,198.51.100.{},python-requests/2.31.0,{status},{cost:.6}",
                iso(t),
                23 + rng.below(4)
            ),
        ));
    }
    rows.sort();
    for (_, r) in rows {
        s.push_str(&r);
        s.push('\n');
    }
    s
}

/// An LLMjacking sequence in CloudTrail, gzipped as AWS delivers it.
fn cloudtrail_gz(keys: &Keys) -> Vec<u8> {
    let start = t0() + Duration::days(21) + Duration::hours(3);
    let calls = [
        (0, "sts.amazonaws.com", "GetCallerIdentity", None, None),
        (
            2,
            "bedrock.amazonaws.com",
            "GetModelInvocationLoggingConfiguration",
            None,
            None,
        ),
        (
            3,
            "bedrock.amazonaws.com",
            "ListFoundationModels",
            None,
            None,
        ),
        (
            4,
            "bedrock.amazonaws.com",
            "GetFoundationModelAvailability",
            Some("anthropic.claude-3-5-sonnet-20241022-v2:0"),
            None,
        ),
        (
            6,
            "bedrock.amazonaws.com",
            "InvokeModel",
            Some("anthropic.claude-3-5-sonnet-20241022-v2:0"),
            Some("ValidationException"),
        ),
        (
            7,
            "bedrock.amazonaws.com",
            "InvokeModel",
            Some("anthropic.claude-3-5-sonnet-20241022-v2:0"),
            Some("AccessDeniedException"),
        ),
        (
            9,
            "bedrock.amazonaws.com",
            "PutUseCaseForModelAccess",
            None,
            None,
        ),
        (
            12,
            "bedrock.amazonaws.com",
            "InvokeModel",
            Some("anthropic.claude-3-5-sonnet-20241022-v2:0"),
            None,
        ),
        (
            13,
            "bedrock.amazonaws.com",
            "InvokeModelWithResponseStream",
            Some("anthropic.claude-3-5-sonnet-20241022-v2:0"),
            None,
        ),
        (20, "iam.amazonaws.com", "CreateUser", None, None),
        (21, "iam.amazonaws.com", "CreateAccessKey", None, None),
        (
            22,
            "bedrock.amazonaws.com",
            "DeleteModelInvocationLoggingConfiguration",
            None,
            None,
        ),
    ];
    let mut s = String::from("{\"Records\":[\n");
    for (n, (min, source, name, model, err)) in calls.iter().enumerate() {
        let t = start + Duration::minutes(*min);
        let region = if n % 3 == 2 { "us-west-2" } else { "us-east-1" };
        let _ = write!(
            s,
            "{{\"eventVersion\":\"1.09\",\"userIdentity\":{{\"type\":\"IAMUser\",\"principalId\":\"AIDA{pid}\",\"arn\":\"arn:aws:iam::111122223333:user/ci-bedrock\",\"accountId\":\"111122223333\",\"accessKeyId\":\"{key}\",\"userName\":\"ci-bedrock\"}},\"eventTime\":\"{t}\",\"eventSource\":\"{source}\",\"eventName\":\"{name}\",\"awsRegion\":\"{region}\",\"sourceIPAddress\":\"198.51.100.23\",\"userAgent\":\"Boto3/1.34.12 md/Botocore#1.34.12 ua/2.0 os/linux lang/python#3.11.4\",",
            pid = &keys.aws_id[4..],
            key = keys.aws_id,
            t = iso(t),
        );
        if let Some(e) = err {
            let _ = write!(
                s,
                "\"errorCode\":\"{e}\",\"errorMessage\":\"denied or invalid request\","
            );
        }
        // The attacker's new IAM user and its access key, named as CloudTrail names them
        // (requestParameters.userName, responseElements.user / .accessKey).
        let new_key = format!("AKIA{}", keys.aws_id[4..].chars().rev().collect::<String>());
        let response = match *name {
            "CreateUser" => format!("{{\"user\":{{\"userName\":\"{DEMO_USER}\",\"arn\":\"arn:aws:iam::111122223333:user/{DEMO_USER}\"}}}}"),
            "CreateAccessKey" => format!("{{\"accessKey\":{{\"userName\":\"{DEMO_USER}\",\"accessKeyId\":\"{new_key}\",\"status\":\"Active\"}}}}"),
            _ => "null".to_string(),
        };
        match model {
            Some(m) => {
                let _ = write!(s, "\"requestParameters\":{{\"modelId\":\"{m}\"}},");
            }
            None if name.starts_with("Create") => {
                let _ = write!(s, "\"requestParameters\":{{\"userName\":\"{DEMO_USER}\"}},");
            }
            None => s.push_str("\"requestParameters\":null,"),
        }
        let _ = write!(
            s,
            "\"responseElements\":{response},\"requestID\":\"{n:08x}-demo-4000-8000-000000000000\",\"eventID\":\"{n:08x}-demo-4000-9000-000000000000\",\"readOnly\":{},\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"111122223333\"}}",
            name.starts_with("Get") || name.starts_with("List")
        );
        s.push_str(if n + 1 < calls.len() { ",\n" } else { "\n" });
    }
    s.push_str("]}\n");
    gzip(s.as_bytes())
}

/// Gzip, byte for byte the same on every platform: deflated by miniz_oxide at level 6 (the
/// native build inflates with another library, which would deflate differently), no time, no
/// name, OS unknown, as the page's demo and the committed files have it.
fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend(miniz_oxide::deflate::compress_to_vec(data, 6));
    let mut crc = crc32fast::Hasher::new();
    crc.update(data);
    out.extend(crc.finalize().to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

/// The history that leaked the key, newest first as `git log` prints it: added in a .env,
/// removed a day later (so still in history).
fn git_log(keys: &Keys) -> String {
    let key = &keys.openai;
    format!(
        "commit 9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b
Author:     Sam Reviewer <sam@example.com>
AuthorDate: Sat Nov 14 09:05:55 2026 +0000
Commit:     Sam Reviewer <sam@example.com>
CommitDate: Sat Nov 14 09:05:55 2026 +0000

    Remove .env from the repository

diff --git a/.env b/.env
deleted file mode 100644
index 3b18e51..0000000
--- a/.env
+++ /dev/null
@@ -1,3 +0,0 @@
-# summariser agent
-OPENAI_API_KEY={key}
-SUMMARY_MODEL=gpt-4o-mini
diff --git a/.gitignore b/.gitignore
index 1e3b2c4..5f6a7d8 100644
--- a/.gitignore
+++ b/.gitignore
@@ -1,2 +1,3 @@
 __pycache__/
 .venv/
+.env

commit 4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39
Author:     Dana Developer <dana@example.com>
AuthorDate: Fri Nov 13 17:42:10 2026 +0100
Commit:     Dana Developer <dana@example.com>
CommitDate: Fri Nov 13 17:42:10 2026 +0100

    Add local config for the summariser agent

diff --git a/.env b/.env
new file mode 100644
index 0000000..3b18e51
--- /dev/null
+++ b/.env
@@ -0,0 +1,3 @@
+# summariser agent
+OPENAI_API_KEY={key}
+SUMMARY_MODEL=gpt-4o-mini
diff --git a/agent/config.py b/agent/config.py
index 8d3e1a2..9c4f7b1 100644
--- a/agent/config.py
+++ b/agent/config.py
@@ -1,4 +1,6 @@
 import os
+from dotenv import load_dotenv
 
+load_dotenv()
 MODEL = os.environ.get(\"SUMMARY_MODEL\", \"gpt-4o-mini\")
 TIMEOUT_S = 30
"
    )
}

fn dotenv(keys: &Keys) -> String {
    format!(
        "# production settings for the summariser agent (synthetic demo values)
ANTHROPIC_API_KEY={}
AWS_ACCESS_KEY_ID={}
AWS_SECRET_ACCESS_KEY={}
AWS_REGION=us-east-1
OPENAI_API_KEY=your-key-here
LOG_LEVEL=info
",
        keys.anthropic, keys.aws_id, keys.aws_secret
    )
}

fn ci_log(keys: &Keys) -> String {
    format!(
        "2026-11-13T16:50:01.1234567Z ##[group]Run ./scripts/deploy.sh
2026-11-13T16:50:01.1240000Z + echo \"deploying summariser with model gpt-4o-mini\"
2026-11-13T16:50:01.1250000Z deploying summariser with model gpt-4o-mini
2026-11-13T16:50:02.0000000Z + curl -s -H \"Authorization: Bearer {}\" https://api.openai.com/v1/models
2026-11-13T16:50:02.5000000Z {{\"object\": \"list\", \"data\": []}}
2026-11-13T16:50:03.0000000Z ##[endgroup]
2026-11-13T16:50:03.1000000Z Deployment finished
",
        keys.openai
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{triage, Context, EvidenceKind};

    fn demo_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public/demo")
    }

    /// The committed demo files are exactly the generator's output (`UPDATE_GOLDEN=1` rewrites them).
    #[test]
    fn committed_demo_files_match_the_generator() {
        let dir = demo_dir();
        for (name, bytes) in files() {
            let path = dir.join(name);
            if std::env::var_os("UPDATE_GOLDEN").is_some() {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &bytes).unwrap();
            }
            let committed = std::fs::read(&path).unwrap_or_default();
            assert!(
                committed == bytes,
                "{name} differs from the generator; run UPDATE_GOLDEN=1 cargo test demo"
            );
        }
    }

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(files(), files());
    }

    #[test]
    fn demo_files_sniff_as_expected() {
        let report = triage(&inputs(), &Context::default());
        assert_eq!(report.evidence.len(), 5);
        assert_eq!(report.evidence[1].compression.as_deref(), Some("gzip"));
        assert_eq!(report.evidence[2].kind, EvidenceKind::GitLog);
        assert_eq!(report.evidence[3].kind, EvidenceKind::Env);
        assert_eq!(report.totals.problems, 0);
    }

    #[test]
    fn demo_keys_have_the_real_shapes() {
        let mut rng = Rng(0x5eed_1eaf_2026);
        let k = Keys::new(&mut rng);
        assert_eq!(k.openai.len(), 164);
        assert_eq!(&k.openai[82..90], "T3BlbkFJ");
        assert_eq!(k.anthropic.len(), 108);
        assert!(k.aws_id.len() == 20 && k.aws_id[4..].bytes().all(|b| BASE32.contains(&b)));
    }
}
