//! Helpers every integration test routes through.

use std::path::{Path, PathBuf};

use lunar::engine::envelope::RecordedEvent;
use lunar::scenario::{parse, run};
use lunar::session::Session;
use lunar::store::EventStore;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn assets() -> PathBuf {
    root().join("assets")
}

/// Runs script text on a store and returns the report and the session left open.
pub fn run_script<S: EventStore>(name: &str, text: &str, store: S) -> (run::Report, Session<S>) {
    let script = parse::parse(name, text).unwrap_or_else(|e| panic!("{e}"));
    run::run(&script, store, &lunar::assets::Assets::BuiltIn).unwrap_or_else(|e| panic!("{e}"))
}

/// A mission's solution script: its path and its text.
pub fn solution(id: &str) -> (PathBuf, String) {
    let path = assets()
        .join("missions")
        .join(format!("{id}.solution.scenario"));
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

/// A mission's solution played into a save at `dir/ID.lunar`.
pub fn solution_save(dir: &Path, id: &str) -> PathBuf {
    let (path, text) = solution(id);
    let save = dir.join(format!("{id}.lunar"));
    let (report, _) = run_script(
        path.to_str().unwrap(),
        &text,
        lunar::store::sqlite::SqliteStore::create(&save).unwrap(),
    );
    assert!(report.failures.is_empty(), "{}", report.summary());
    save
}

/// The command line, in process: exit code, stdout and stderr.
pub fn lunar(args: &[&str]) -> (u8, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let argv = std::iter::once("lunar")
        .chain(args.iter().copied())
        .map(Into::into);
    let code = lunar::cli::run(argv, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// Every event as one JSON line: the form logs are compared in.
pub fn json_lines(events: &[RecordedEvent]) -> Vec<String> {
    events.iter().map(lunar::present::event_json).collect()
}

/// FNV-1a, 64 bits: a stable fingerprint for logs too long to snapshot line by line.
pub fn fingerprint(lines: &[String]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in lines
        .iter()
        .flat_map(|l| l.bytes().chain(std::iter::once(b'\n')))
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A save made from script text, in a fresh temporary directory.
pub fn save_from(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("game.lunar");
    let store = lunar::store::sqlite::SqliteStore::create(&path).unwrap();
    let (report, _) = run_script("setup.scenario", text, store);
    assert!(report.failures.is_empty(), "{}", report.summary());
    (dir, path)
}

/// A save of a generated game `ticks` long, written in one batch.
pub fn generated_save(dir: &std::path::Path, ticks: u64) -> std::path::PathBuf {
    let (code, text, err) = lunar(&[
        "script",
        "generate",
        "--ticks",
        &ticks.to_string(),
        "--sites",
        "40",
    ]);
    assert_eq!(code, 0, "{err}");
    let (_, session) = run_script(
        "long.scenario",
        &text,
        lunar::store::memory::MemoryStore::new(),
    );
    let path = dir.join(format!("long-{ticks}.lunar"));
    let mut store = lunar::store::sqlite::SqliteStore::create(&path).unwrap();
    lunar::store::EventStore::append(&mut store, &session.into_store().into_events()).unwrap();
    path
}

/// Runs `command` to its end, which must be a success (else its standard error is shown), and
/// returns its standard output.
pub fn succeeds(command: &mut std::process::Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}
