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

#[test]
fn an_upgrade_appears_only_once_its_check_has_passed() {
    let dir = tempfile::tempdir().unwrap();
    let original = SqliteStore::open_read_only(&golden()).unwrap();
    let target = dir.path().join("up.lunar");
    let (copy, count) = SqliteStore::copy(&original, &target).unwrap();
    assert!(count > 0);
    assert!(!target.exists(), "the copy is visible before it is checked");
    assert_eq!(copy.read_all().unwrap(), original.read_all().unwrap());
    drop(copy);
    assert!(!target.exists(), "a copy dropped unchecked is gone");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing is left"
    );
}

#[test]
fn partial_saves_of_runs_that_are_gone_are_swept() {
    let dir = tempfile::tempdir().unwrap();
    // A process id far past any the system hands out, and ours, which is running.
    let dead = dir.path().join(".old.lunar.2147483646.partial");
    let dead_wal = dir.path().join(".old.lunar.2147483646.partial-wal");
    let alive = dir
        .path()
        .join(format!(".mine.lunar.{}.partial", std::process::id()));
    let other = dir.path().join(".notes.partial");
    for file in [&dead, &dead_wal, &alive, &other] {
        std::fs::write(file, b"").unwrap();
    }
    let (code, _, err) = lunar(&["--saves", arg(dir.path()), "saves"]);
    assert_eq!(code, 0, "{err}");
    assert!(!dead.exists() && !dead_wal.exists());
    assert!(alive.exists() && other.exists());
}

#[test]
fn a_saves_folder_that_is_a_file_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, b"x").unwrap();
    for args in [vec!["saves"], vec!["new", "x"], vec!["missions"]] {
        let mut all = vec!["--saves", arg(&file)];
        all.extend(args.iter().copied());
        let (code, _, err) = lunar(&all);
        assert_eq!(code, 2, "{all:?}: {err}");
        assert!(err.contains("not a folder"), "{err}");
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn listing_and_reading_saves_leaves_nothing_beside_them() {
    let dir = tempfile::tempdir().unwrap();
    let script = root().join("assets/missions/t1-groundbreaking.solution.scenario");
    let save = dir.path().join("won.lunar");
    let (code, _, err) = lunar(&["script", "run", arg(&script), "--save", arg(&save)]);
    assert_eq!(code, 0, "{err}");
    let (code, list, _) = lunar(&["--saves", arg(dir.path()), "saves"]);
    assert_eq!(code, 0);
    let (_, state, _) = lunar(&["state", arg(&save), "--json"]);
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    let buildings = state["buildings"].as_array().unwrap().len();
    let row = list.lines().find(|l| l.starts_with("won")).unwrap();
    assert!(
        row.split_whitespace().any(|w| w == buildings.to_string()),
        "`saves` counts {row:?}, `state` {buildings} buildings"
    );
    for args in [vec!["events", arg(&save)], vec!["verify", arg(&save)]] {
        let (code, _, _) = lunar(&args);
        assert_eq!(code, 0);
    }
    let names = || -> Vec<String> {
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names(), vec!["won.lunar".to_owned()]);
    // A save left in write-ahead mode (by an older build, or a game killed) is read without a
    // trace either.
    let conn = rusqlite::Connection::open(&save).unwrap();
    conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
        .unwrap();
    drop(conn);
    assert_eq!(names(), vec!["won.lunar".to_owned()]);
    let (code, _, _) = lunar(&["--saves", arg(dir.path()), "saves"]);
    assert_eq!(code, 0);
    assert_eq!(names(), vec!["won.lunar".to_owned()]);
}
