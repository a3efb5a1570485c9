//! The engine's stages depend only downward: formatting and secrets at the bottom, then the
//! evidence, then detection and the scan (side by side, neither using the other), then the
//! blast radius (scope), then the report, then sessions, the views and the command line.
//! This test reads every source file and fails on an import that climbs. Test modules at the
//! end of a file (after `#[cfg(test)]`) may use the whole engine and are not checked.

use std::path::{Path, PathBuf};

/// A stage's rank; a file may use its own stage and those of a lower rank.
fn rank(stage: &str) -> Option<u8> {
    Some(match stage {
        "format" | "secret" | "VERSION" => 0,
        "evidence" | "Input" | "EvidenceFile" | "EvidenceKind" | "Problem" | "Source" => 1,
        "detect" | "scan" | "agent" => 2,
        "scope" => 3,
        "report" | "Context" | "Report" | "SCHEMA_VERSION" => 4,
        "triage" | "triage_timed" | "triage_events" | "triage_source" | "triage_run"
        | "StageTimes" => 5,
        "session" | "demo" => 6,
        "ui" => 7,
        _ => return None,
    })
}

/// The stage a source file belongs to, from its path under src/.
fn stage_of(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    match first.as_ref() {
        "lib.rs" => "triage".into(),
        "bin" => "bin".into(),
        f => f.trim_end_matches(".rs").to_string(),
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The crate-level names a piece of code uses: `crate::x` (and `leaktriage::x` in the
/// binaries), including each name of `crate::{a, b::c}`.
fn used_stages(code: &str, root: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(i) = rest.find(root) {
            let after = &rest[i + root.len()..];
            if let Some(group) = after.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or("");
                for part in group.split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.push((n + 1, name));
                    }
                }
            } else {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push((n + 1, name));
            }
            rest = after;
        }
    }
    out
}

#[test]
fn no_stage_imports_from_a_stage_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut climbs = Vec::new();
    let mut checked = 0;
    for path in &files {
        let rel = path.strip_prefix(&src).unwrap();
        let stage = stage_of(rel);
        // The test helpers (feature `testkit`) are no stage: tests of any stage use them.
        if stage == "bin" || stage == "testkit" || rel.file_name().is_some_and(|f| f == "tests.rs")
        {
            continue;
        }
        let own =
            rank(&stage).unwrap_or_else(|| panic!("{}: no stage for `{stage}`", rel.display()));
        let text = std::fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for (line, used) in used_stages(code, "crate::") {
            let Some(r) = rank(&used) else { continue };
            let sibling = r == own && used != stage && own == 2;
            if r > own || sibling {
                climbs.push(format!("src/{}:{line}: {stage} uses {used}", rel.display()));
            }
        }
        checked += 1;
    }
    assert!(checked > 50, "only {checked} files checked");
    assert!(
        climbs.is_empty(),
        "imports from a stage above:\n{}",
        climbs.join("\n")
    );
}

#[test]
fn the_checker_sees_grouped_and_plain_imports() {
    let code = "use crate::{scope::Usage, format};\nlet x = crate::report::Report::default(); // crate::ui\n";
    let got: Vec<String> = used_stages(code, "crate::")
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    assert_eq!(got, ["scope", "format", "report"]);
}
