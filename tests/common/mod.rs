//! Helpers shared by the integration tests: each test file that needs them says `mod common;`.
//! Not every test file uses every helper.
#![allow(dead_code)]

use leaktriage::Input;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate's root folder (where `public/`, `tests/fixtures/` and `tests/golden/` are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `leaktriage` binary from the crate's root with these arguments.
pub fn cli(args: &[&str]) -> Output {
    cli_in(&root(), args)
}

/// Runs the `leaktriage` binary from `dir` with these arguments.
pub fn cli_in(dir: &Path, args: &[&str]) -> Output {
    leaktriage_command()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run leaktriage")
}

/// The `leaktriage` binary, with the tests' user configuration: its fingerprint key is
/// [`fingerprint_key`], so reports are the same from run to run and from machine to machine.
pub fn leaktriage_command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_leaktriage"));
    c.env("XDG_CONFIG_HOME", root().join("tests/fixtures/config"));
    c
}

/// The fingerprint key the tests' command lines use (a fixed test key, not a secret).
pub fn fingerprint_key() -> leaktriage::secret::FingerprintKey {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/config/leaktriage/fingerprint.key"))
            .expect("the tests' fingerprint key");
    leaktriage::secret::FingerprintKey::parse(&text).expect("a valid key")
}

/// A value's fingerprint as the tests' command lines write it.
pub fn fingerprint(raw: &str) -> String {
    leaktriage::secret::Secret::new(raw).fingerprint(&fingerprint_key())
}

/// A run's standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A run's standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh scratch folder for one test, named after it and this process.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leaktriage-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Compares `got` with the golden file at `path`: `Err` says what differs. With
/// `UPDATE_GOLDEN=1` set the file is rewritten first (so it matches).
pub fn check_golden(path: &Path, got: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, got).unwrap();
    }
    match std::fs::read_to_string(path) {
        Ok(want) if want == got => Ok(()),
        Ok(_) => Err(format!(
            "{} differs; rerun with UPDATE_GOLDEN=1 if intended",
            path.display()
        )),
        Err(_) => Err(format!(
            "{} is missing; run with UPDATE_GOLDEN=1 to write it",
            path.display()
        )),
    }
}

/// Asserts that `got` equals the golden file `tests/golden/<name>` (see [`check_golden`]).
pub fn golden(name: &str, got: &str) {
    if let Err(e) = check_golden(&root().join("tests/golden").join(name), got) {
        panic!("{e}");
    }
}

/// The demo incident's files as engine inputs, in the order the page loads them.
pub fn demo_inputs() -> Vec<Input> {
    leaktriage::demo::inputs()
}

/// The demo incident as the CLI reads the folder `public/demo`: named `demo/<file>`, in name
/// order (the committed files are the generator's output, checked by the demo's own test).
pub fn demo_dir_inputs() -> Vec<Input> {
    let mut inputs: Vec<Input> = leaktriage::demo::files()
        .into_iter()
        .map(|(n, b)| Input::new(format!("demo/{n}"), b))
        .collect();
    inputs.sort_by(|a, b| a.name.cmp(&b.name));
    inputs
}

/// A fake value of a real shape for each catalog rule named, in order (never a real credential).
pub fn fakes_of(rules: &[&str], rng: &mut leaktriage::scan::fake::Rng) -> Vec<String> {
    rules
        .iter()
        .map(|id| {
            let rule = leaktriage::scan::rules::catalog()
                .into_iter()
                .find(|r| r.id == *id)
                .unwrap_or_else(|| panic!("rule {id}"));
            leaktriage::scan::fake::generate(rule.shape, rng).secret
        })
        .collect()
}
