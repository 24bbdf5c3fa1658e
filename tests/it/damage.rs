//! Damaged, foreign and unreachable saves: each gets one line naming the file and what is
//! wrong, exit code 2, no panic, and no write to the file.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{root, save_from};

const GAME: &str = "game start seed=1 map=small\nbuild hq id=a at=1,1 ticks=3\ntick 5\n";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_lunar")
}

/// Runs the real binary; returns its exit code and standard error.
fn run(command: &mut Command) -> (Option<i32>, String) {
    let output = command.output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every command that opens a save refuses `path` with one line containing `expected`, and the
/// file is byte for byte as it was.
fn check_refused(path: &Path, expected: &str) {
    let before = std::fs::read(path).ok();
    let p = path.to_str().unwrap();
    for args in [
        vec!["state", p],
        vec!["events", p, "--json"],
        vec!["verify", p],
        vec!["play", p],
        vec!["replay", p],
        vec![
            "--saves",
            "/nonexistent",
            "branch",
            p,
            "--at-tick",
            "0",
            "never-made",
        ],
    ] {
        let (code, err) = run(Command::new(bin()).args(&args));
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(p) && err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    assert_eq!(
        std::fs::read(path).ok(),
        before,
        "{} changed",
        path.display()
    );
}

fn copy_of_save(dir: &Path, name: &str) -> PathBuf {
    let (_keep, save) = save_from(GAME);
    let path = dir.join(name);
    std::fs::copy(&save, &path).unwrap();
    path
}

#[test]
fn empty_random_truncated_and_foreign_files() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.lunar");
    std::fs::write(&empty, b"").unwrap();
    check_refused(&empty, "the file is empty");

    let noise = dir.path().join("noise.lunar");
    let bytes: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    std::fs::write(&noise, bytes).unwrap();
    check_refused(&noise, "not a SQLite database");

    let truncated = copy_of_save(dir.path(), "truncated.lunar");
    let full = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &full[..full.len() / 2]).unwrap();
    check_refused(&truncated, "damaged");

    let other = dir.path().join("other.lunar");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE notes (text); INSERT INTO notes VALUES ('hi');")
        .unwrap();
    drop(conn);
    check_refused(&other, "not one this game wrote");

    check_refused(dir.path(), "is a directory");
}

#[test]
fn a_save_from_a_newer_game() {
    let dir = tempfile::tempdir().unwrap();
    let newer = copy_of_save(dir.path(), "newer.lunar");
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    check_refused(&newer, "saved with schema version 99");

    // A schema 1 save (no hash chain) holding an event type this build does not know.
    let unknown = dir.path().join("unknown.lunar");
    std::fs::copy(root().join("tests/fixtures/schema-v1.lunar"), &unknown).unwrap();
    let conn = rusqlite::Connection::open(&unknown).unwrap();
    conn.execute(
        "UPDATE events SET type = 'building_exploded' WHERE seq = 5",
        [],
    )
    .unwrap();
    drop(conn);
    check_refused(
        &unknown,
        "event 5 has type \"building_exploded\", which this build does not know",
    );
}

#[test]
fn a_tampered_save_is_refused_on_opening_and_named_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let save = copy_of_save(dir.path(), "tampered.lunar");
    let conn = rusqlite::Connection::open(&save).unwrap();
    conn.execute(
        "UPDATE events SET data = replace(data, ',1,1,', ',2,1,') WHERE seq = 2",
        [],
    )
    .unwrap();
    drop(conn);
    let p = save.to_str().unwrap();
    for args in [vec!["state", p], vec!["play", p], vec!["replay", p]] {
        let (code, err) = run(Command::new(bin()).args(&args));
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.contains("event 2 breaks the hash chain"),
            "{args:?}: {err}"
        );
    }
    let (code, _) = run(Command::new(bin()).args(["verify", p]));
    assert_eq!(code, Some(1));
}

/// Runs the binary as an unprivileged user when the tests run as root, who ignores permissions.
fn as_player(args: &[&str]) -> Command {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if is_root {
        let mut command = Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", bin()])
            .args(args);
        command
    } else {
        let mut command = Command::new(bin());
        command.args(args);
        command
    }
}

#[test]
fn a_read_only_saves_folder() {
    let dir = tempfile::tempdir().unwrap();
    let saves = dir.path().join("saves");
    std::fs::create_dir(&saves).unwrap();
    let existing = copy_of_save(&saves, "old.lunar");
    let before = std::fs::read(&existing).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&saves, std::fs::Permissions::from_mode(0o555)).unwrap();
    let s = saves.to_str().unwrap();
    let assets = root().join("assets");
    let a = assets.to_str().unwrap();

    let demo = assets.join("scenarios/demo.scenario");
    let fresh = saves.join("fresh.lunar");
    let (code, err) = run(&mut as_player(&[
        "--assets",
        a,
        "script",
        "run",
        demo.to_str().unwrap(),
        "--save",
        fresh.to_str().unwrap(),
    ]));
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("fresh.lunar") && err.contains("Permission denied"),
        "{err}"
    );

    let (code, err) = run(&mut as_player(&["--saves", s, "play", "old"]));
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let refused = err.contains("Permission denied") || err.contains("cannot be written");
    assert!(err.contains("old.lunar") && refused, "{err}");

    let (code, err) = run(&mut as_player(&["--saves", s, "state", "old"]));
    assert_eq!(code, Some(0), "reading needs no write: {err}");
    std::fs::set_permissions(&saves, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(std::fs::read(&existing).unwrap(), before);
}

#[test]
fn a_full_disk_leaves_no_half_written_save() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("long.scenario");
    let generated = Command::new(bin())
        .args(["--assets", root().join("assets").to_str().unwrap()])
        .args(["script", "generate", "--ticks", "20000", "--sites", "200"])
        .output()
        .unwrap();
    std::fs::write(&script, generated.stdout).unwrap();
    let save = dir.path().join("full.lunar");
    // The disk fills at 256 KiB: writes past it fail as on a full disk (SIGXFSZ ignored).
    let shell = format!(
        "trap '' XFSZ; ulimit -f 256; exec '{}' --assets '{}' script run '{}' --save '{}'",
        bin(),
        root().join("assets").display(),
        script.display(),
        save.display()
    );
    let (code, err) = run(Command::new("bash").args(["-c", &shell]));
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("full.lunar") && err.contains("full"), "{err}");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["long.scenario"], "no save, whole or half");
}
