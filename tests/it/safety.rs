//! Saves no file trick can hurt: locks that never follow links, one writer per file however it
//! is named, save names that are names, and new saves that appear only when whole.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use lunar::store::sqlite::SqliteStore;
use lunar::store::{EventReader, EventStore, StoreError};

use crate::pty::wait_until;
use crate::support::{lunar, root};

fn golden() -> PathBuf {
    root().join("tests/fixtures/schema-v2.lunar")
}

/// A folder holding `precious.lunar`, a copy of the golden save, and its bytes.
fn precious() -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("precious.lunar");
    std::fs::copy(golden(), &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    (dir, path, bytes)
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn a_lock_file_that_is_a_symlink_is_never_followed() {
    let (dir, precious, bytes) = precious();
    let saves = dir.path().join("saves");
    std::fs::create_dir(&saves).unwrap();
    for name in ["victim", "copy"] {
        symlink(&precious, saves.join(format!("{name}.lunar.lock"))).unwrap();
    }
    let demo = root().join("assets/scenarios/demo.scenario");
    let victim = saves.join("victim.lunar");
    let (code, _, err) = lunar(&["script", "run", arg(&demo), "--save", arg(&victim)]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = lunar(&[
        "--saves",
        arg(&saves),
        "branch",
        arg(&precious),
        "--at-tick",
        "5",
        "copy",
    ]);
    assert_eq!(code, 0, "{err}");
    // A writer on a save whose lock file is a link: the link is left alone.
    let writer = SqliteStore::open(&victim).unwrap();
    drop(writer);
    assert_eq!(std::fs::read(&precious).unwrap(), bytes);
    assert!(
        std::fs::symlink_metadata(saves.join("victim.lunar.lock"))
            .unwrap()
            .is_symlink()
    );
}

#[test]
fn one_save_has_one_writer_however_it_is_named() {
    let (dir, precious, _) = precious();
    let alias = dir.path().join("alias.lunar");
    symlink(&precious, &alias).unwrap();
    let hard = dir.path().join("hard.lunar");
    std::fs::hard_link(&precious, &hard).unwrap();
    let writer = SqliteStore::open(&precious).unwrap();
    for other in [&precious, &alias, &hard] {
        assert!(
            matches!(SqliteStore::open(other), Err(StoreError::Busy { .. })),
            "{}",
            other.display()
        );
    }
    // The lock is the save's own: losing the file beside it (a player quitting removes it)
    // lets no one in while the save is still held.
    let _ = std::fs::remove_file(dir.path().join("precious.lunar.lock"));
    assert!(matches!(
        SqliteStore::open(&alias),
        Err(StoreError::Busy { pid: None, .. })
    ));
    drop(writer);
    assert!(
        SqliteStore::open(&alias).is_ok(),
        "free once the player quits"
    );
}

#[test]
fn a_new_save_name_must_be_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let saves = dir.path().join("saves");
    std::fs::create_dir(&saves).unwrap();
    std::fs::copy(golden(), saves.join("a.lunar")).unwrap();
    let long = "n".repeat(65);
    for bad in [
        "a.lunar.keyframes",
        "a.lunar.lock",
        "",
        "sub/dir",
        "../up",
        "-x",
        "line\nbreak",
        "nul\0",
        long.as_str(),
    ] {
        let (code, out, err) = lunar(&[
            "--saves",
            arg(&saves),
            "branch",
            "a",
            "--at-tick",
            "5",
            "--",
            bad,
        ]);
        assert_eq!(code, 2, "{bad:?}: {out}");
        assert!(err.contains("is not a save name"), "{bad:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        let (code, _, new_err) = lunar(&["--saves", arg(&saves), "new", "--", bad]);
        assert_eq!(code, 2);
        assert!(new_err.contains("is not a save name"), "{bad:?}: {new_err}");
    }
    let mut left: Vec<_> = std::fs::read_dir(&saves)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(left, ["a.lunar"], "nothing was written");
}

#[test]
fn a_pending_save_appears_only_when_published() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.lunar");
    let source = SqliteStore::open_read_only(&golden()).unwrap();
    let events = source.read_all().unwrap();

    let mut dropped = SqliteStore::create_pending(&path).unwrap();
    dropped.append(&events[..3]).unwrap();
    assert!(!path.exists());
    drop(dropped);
    assert!(!path.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no leftovers"
    );

    let mut store = SqliteStore::create_pending(&path).unwrap();
    store.append(&events).unwrap();
    assert!(!path.exists());
    assert_eq!(store.publish().unwrap(), path);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["new.lunar"], "one whole file, no WAL beside it");
    assert_eq!(
        SqliteStore::open_read_only(&path)
            .unwrap()
            .read_all()
            .unwrap(),
        events
    );
}

#[test]
fn an_interrupted_script_run_leaves_no_save_and_blocks_no_retry() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("long.scenario");
    let (code, text, _) = lunar(&["script", "generate", "--ticks", "200000", "--sites", "50"]);
    assert_eq!(code, 0);
    std::fs::write(&script, text).unwrap();
    let save = dir.path().join("long.lunar");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lunar"))
        .args(["script", "run", arg(&script), "--save", arg(&save)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let partial = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with(".partial"))
    };
    wait_until("the run to start writing", partial);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!save.exists(), "a partial save must not look finished");
    let demo = root().join("assets/scenarios/demo.scenario");
    let (code, out, err) = lunar(&["script", "run", arg(&demo), "--save", arg(&save)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("saved to"), "{out}");
    assert_eq!(lunar(&["verify", arg(&save)]).0, 0);
}

#[test]
fn new_without_a_terminal_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let saves = dir.path().join("saves");
    for args in [&["new", "fresh"][..], &[][..]] {
        let output = Command::new(env!("CARGO_BIN_EXE_lunar"))
            .arg("--saves")
            .arg(&saves)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains("need a terminal"), "{err}");
        assert!(!saves.exists(), "{args:?} wrote {}", saves.display());
    }
}
