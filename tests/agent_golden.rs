//! Golden files for the agent logs: every sample under tests/fixtures/agent/ is read and its
//! inventory row and agent records compared with `<sample>.expected.json` beside it; and the
//! agent section of a report over all of them with `all.expected.json`.
//! `UPDATE_GOLDEN=1 cargo test --test agent_golden` rewrites the expected files.

mod common;

use leaktriage::evidence::formats::agent;
use leaktriage::evidence::out::Out;
use leaktriage::evidence::{inventory, Input, Problems};
use leaktriage::{triage, Context};
use std::path::{Path, PathBuf};

const ROOT: &str = "tests/fixtures/agent";

fn samples() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(ROOT)
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            !n.ends_with(".expected.json") && !n.ends_with(".md")
        })
        .collect();
    out.sort();
    out
}

fn input(p: &Path) -> Input {
    let name = format!("agent/{}", p.file_name().unwrap().to_string_lossy());
    Input::new(name, std::fs::read(p).unwrap())
}

fn golden(p: &Path) -> String {
    let input = input(p);
    let file = inventory(&input);
    let text = String::from_utf8(input.bytes.to_vec()).unwrap();
    let mut records = Vec::new();
    let mut no_events = |_| {};
    let mut out = Out::new(&input.name, Problems::new(&input.name), &mut no_events);
    agent::read(file.kind, &text, &mut out, &mut |r| records.push(r));
    let v = serde_json::json!({ "evidence": file, "records": records });
    serde_json::to_string_pretty(&v).unwrap() + "\n"
}

#[test]
fn every_sample_matches_its_golden_file() {
    let all = samples();
    assert!(all.len() >= 10, "samples under {ROOT}");
    let failed: Vec<String> = all
        .iter()
        .filter_map(|p| {
            let mut exp = p.as_os_str().to_owned();
            exp.push(".expected.json");
            common::check_golden(Path::new(&exp), &golden(p)).err()
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn every_sample_is_an_agent_log_with_records() {
    for p in samples() {
        let row = inventory(&input(&p));
        assert!(
            row.kind.is_agent(),
            "{} sniffed as {:?}",
            p.display(),
            row.kind
        );
        assert!(row.records > 0, "{} read no records", p.display());
    }
}

#[test]
fn the_agent_section_over_every_sample_matches_its_golden_file() {
    let inputs: Vec<Input> = samples().iter().map(|p| input(p)).collect();
    let r = triage(&inputs, &Context::default());
    let v = serde_json::to_value(&r.agent).unwrap();
    let text = serde_json::to_string_pretty(&v).unwrap() + "\n";
    common::check_golden(&Path::new(ROOT).join("all.expected.json"), &text).unwrap();
}

/// The Markdown and text exports (through the output gate) of a report over every sample with
/// a compromise start that puts the MCP log excerpts and the later telemetry inside the window
/// and the transcripts before it.
#[test]
fn the_exports_over_every_sample_match_their_golden_files() {
    use leaktriage::report::export::{get, ExportId};
    let inputs: Vec<Input> = samples().iter().map(|p| input(p)).collect();
    let ctx = Context {
        compromise_start: Some("2026-03-01T00:00:00Z".parse().unwrap()),
        ..Context::default()
    };
    let r = triage(&inputs, &ctx);
    assert!(r
        .agent
        .actions
        .iter()
        .all(|a| a.at.is_none_or(|t| t >= ctx.compromise_start.unwrap())));
    common::golden("agent-report.md", &(get(ExportId::Markdown).write)(&r));
    common::golden("agent-report.txt", &(get(ExportId::Text).write)(&r));
    common::golden(
        "agent-actions.csv",
        &(get(ExportId::AgentActionsCsv).write)(&r),
    );
}

/// Every sample cut short at many places and with bytes replaced by JSON's and HTTP's
/// structural characters is read without a panic (problems, never a crash), through the
/// evidence inventory, the agent readers and the agent stage.
#[test]
fn no_cut_or_broken_sample_panics() {
    use leaktriage::agent;
    for p in samples() {
        let bytes = std::fs::read(&p).unwrap();
        let n = bytes.len();
        let mut variants: Vec<Vec<u8>> = Vec::new();
        for k in 1..48 {
            variants.push(bytes[..n * k / 48].to_vec());
        }
        for (k, b) in [b'"', b'{', b']', b'\n', b':', b'\\', 0u8, b' ']
            .iter()
            .cycle()
            .take(48)
            .enumerate()
        {
            let mut v = bytes.clone();
            v[(n * k / 48).min(n - 1)] = *b;
            variants.push(v);
        }
        for v in variants {
            let input = Input::new("agent/mutated", v);
            let row = inventory(&input);
            let inputs = [input];
            let records = agent::read(&inputs, &[row.kind], &[false]);
            let _ = agent::analyse(&records, &agent::Given::default());
        }
    }
}
