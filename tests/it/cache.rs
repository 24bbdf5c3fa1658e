//! The keyframe cache is derived, never truth: it is used only when it proves that it belongs
//! to exactly this log prefix and that its bytes are intact, and `verify` says whether it
//! agrees with the log. Plus what `verify` says about the chain itself.

use std::path::{Path, PathBuf};

use lunar::domain::command::Command;

use lunar::domain::game::commands::{GameCommand, PlantSite};
use lunar::domain::ids::BuildingId;
use lunar::domain::projection::Projections;
use lunar::engine::envelope::Origin;
use lunar::playback::{Playback, state_at};
use lunar::runtime::replay::{check_behind, open_for_playback};
use lunar::session::{Outcome, Session};
use lunar::store::keyframes::{KeyframeCache, Position, path_for};
use lunar::store::sqlite::SqliteStore;
use lunar::store::{EventReader, StoreError};

use crate::support::{lunar, save_from};

const GAME: &str = "game start seed=1 map=small player=px42 name=\"Cache Colony\"
build hq id=a at=1,1 ticks=3
tick 12
";

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A save of [`GAME`] whose keyframe cache was written by a first replay.
fn cached_save() -> (tempfile::TempDir, PathBuf) {
    let (dir, save) = save_from(GAME);
    drop(open_for_playback(&save).unwrap());
    assert!(path_for(&save).is_file());
    (dir, save)
}

/// The projections at every tick, folded from the start with no cache.
fn truth(save: &Path) -> Vec<Projections> {
    let store = SqliteStore::open_read_only(save).unwrap();
    let mut playback = Playback::open(&store).unwrap();
    (0..=playback.last_tick())
        .map(|t| playback.seek(t).unwrap())
        .collect()
}

/// Seeks every tick, in a scrambled order, through a fresh opening as replay does it.
fn check_replay_matches(save: &Path) {
    let expected = truth(save);
    let opened = open_for_playback(save).unwrap();
    if opened.unchecked.is_some() {
        assert_eq!(check_behind(save).unwrap(), Vec::<String>::new());
    }
    let mut playback = opened.playback;
    let end = expected.len() as u64 - 1;
    assert_eq!(playback.last_tick(), end);
    for tick in (0..=end).rev().chain(0..=end) {
        assert_eq!(
            playback.seek(tick).unwrap(),
            expected[tick as usize],
            "tick {tick}"
        );
    }
}

fn execute(session: &mut Session<SqliteStore>, command: GameCommand) {
    let outcome = session
        .execute(Command::Game(command), Origin::player())
        .unwrap();
    assert!(matches!(outcome, Outcome::Recorded(_)), "{outcome:?}");
}

#[test]
fn events_appended_at_the_cached_tick_are_never_lost() {
    let (_dir, save) = cached_save();
    // The game goes on: a site planted at tick 12, where the cache ends, then more ticks.
    let mut session = Session::open(SqliteStore::open(&save).unwrap()).unwrap();
    execute(
        &mut session,
        GameCommand::PlantSite(PlantSite {
            building_id: BuildingId::parse("late").unwrap(),
            building_type: "water".into(),
            x: 4,
            y: 4,
            player: None,
            work_ticks: None,
        }),
    );
    for tick in 13..=16 {
        execute(&mut session, GameCommand::AdvanceGameloop { tick });
    }
    drop(session);
    let mut playback = open_for_playback(&save).unwrap().playback;
    let late = BuildingId::parse("late").unwrap();
    assert!(playback.seek(12).unwrap().buildings.get(&late).is_some());
    assert!(playback.seek(15).unwrap().buildings.get(&late).is_some());
    drop(playback);
    check_replay_matches(&save);
    let (code, out, _) = lunar(&["state", arg(&save), "--at-tick", "12"]);
    assert_eq!(code, 0);
    assert!(out.contains("late"), "{out}");
}

#[test]
fn edited_cache_contents_never_show() {
    for sql in [
        "UPDATE keyframes SET projections = replace(projections, 'Cache Colony', 'Forged')",
        "UPDATE keyframes SET tick = 1000000000000",
        "UPDATE meta SET value = '[]' WHERE key = 'marks'",
        "UPDATE meta SET value = '999' WHERE key = 'seq'",
        "DELETE FROM keyframes",
        "DROP TABLE keyframes",
    ] {
        let (_dir, save) = cached_save();
        let conn = rusqlite::Connection::open(path_for(&save)).unwrap();
        conn.execute_batch(sql).unwrap();
        drop(conn);
        let (code, out, _) = lunar(&["verify", arg(&save)]);
        assert_eq!(
            code, 0,
            "a bad cache is ignored, not a finding: {sql}\n{out}"
        );
        assert!(
            out.contains("the keyframe cache is not used"),
            "{sql}\n{out}"
        );
        let (code, out, _) = lunar(&["state", arg(&save), "--at-tick", "7"]);
        assert_eq!(code, 0, "{sql}");
        assert!(!out.contains("Forged"), "{sql}: {out}");
        // Replay ignores it, and leaves a sound one in its place.
        check_replay_matches(&save);
        let (_, out, _) = lunar(&["verify", arg(&save)]);
        assert!(
            out.contains("ok    the keyframe cache agrees"),
            "{sql}\n{out}"
        );
    }
}

#[test]
fn a_cache_claiming_ticks_the_log_does_not_have_is_ignored() {
    let (_dir, save) = save_from(GAME);
    let store = SqliteStore::open_read_only(&save).unwrap();
    let last = store.last_seq().unwrap();
    let at = Position {
        seq: last,
        mark: store.mark_at(last).unwrap(),
    };
    // Well formed and intact, but its end claims tick 10^12: the log says tick 12.
    let mut end = state_at(&store, None).unwrap();
    end.colony.tick = 1_000_000_000_000;
    KeyframeCache::write(
        &save,
        &at,
        std::iter::once((last, end.colony.tick, false, &end)),
        std::iter::empty(),
    )
    .unwrap();
    drop(store);
    let playback = open_for_playback(&save).unwrap().playback;
    assert!(!playback.cached());
    assert_eq!(playback.last_tick(), 12);
    drop(playback);
    check_replay_matches(&save);
}

#[test]
fn verify_names_an_intact_cache_that_disagrees_with_the_log() {
    let (_dir, save) = save_from(GAME);
    let store = SqliteStore::open_read_only(&save).unwrap();
    let events = store.read_all().unwrap();
    let last = events.last().unwrap().seq;
    let at_tick5 = events.iter().rfind(|e| e.tick() == 5).unwrap().seq;
    let mut playback = Playback::open(&store).unwrap();
    let mut forged = playback.seek(5).unwrap();
    forged.colony.name = "Forged".into();
    let end = playback.seek(12).unwrap();
    let at = Position {
        seq: last,
        mark: store.mark_at(last).unwrap(),
    };
    KeyframeCache::write(
        &save,
        &at,
        [(at_tick5, 5, true, &forged), (last, 12, false, &end)].into_iter(),
        std::iter::empty(),
    )
    .unwrap();
    drop(playback);
    drop(store);
    // The cache proves itself as far as anything can without folding the log; the command
    // line folds the log all the same, and never prints what the cache says...
    let (code, out, _) = lunar(&["state", arg(&save), "--at-tick", "7"]);
    assert_eq!(code, 0);
    assert!(!out.contains("Forged"), "state trusted the cache: {out}");
    // ...and verify, which folds the whole log, names the keyframe that differs.
    let (code, out, _) = lunar(&["verify", arg(&save)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "the keyframe at seq {at_tick5} (tick 5) differs from the log"
        )),
        "{out}"
    );
}

#[test]
fn verify_says_whether_the_cache_agrees() {
    let (_dir, save) = save_from(GAME);
    let (code, out, _) = lunar(&["verify", arg(&save)]);
    assert_eq!(code, 0);
    assert!(
        out.contains("--    no keyframe cache beside the save"),
        "{out}"
    );
    drop(open_for_playback(&save).unwrap());
    let (code, out, _) = lunar(&["verify", arg(&save)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("ok    the keyframe cache agrees with the log (2 keyframes)"),
        "{out}"
    );
}

#[test]
fn a_save_without_a_chain_gets_no_cache() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("old.lunar");
    std::fs::copy(
        crate::support::root().join("tests/fixtures/schema-v1.lunar"),
        &save,
    )
    .unwrap();
    drop(open_for_playback(&save).unwrap());
    assert!(
        !path_for(&save).exists(),
        "nothing proves which history it is of"
    );
    check_replay_matches(&save);
}

#[test]
fn a_cached_replay_still_checks_the_chain_of_the_rows_it_skips() {
    let (_dir, save) = cached_save();
    let conn = rusqlite::Connection::open(&save).unwrap();
    conn.execute(
        "UPDATE events SET data = replace(data, '[2,', '[3,') WHERE seq = 7",
        [],
    )
    .unwrap();
    drop(conn);
    // The cached frame shows at once; the check behind it names the altered row.
    let opened = open_for_playback(&save).unwrap();
    assert!(opened.playback.cached());
    assert!(opened.unchecked.is_some());
    assert!(matches!(
        check_behind(&save),
        Err(StoreError::Tampered { seq: 7, .. })
    ));
    let (code, _, err) = lunar(&["state", arg(&save), "--at-tick", "11"]);
    assert_eq!(code, 2);
    assert!(err.contains("event 7 breaks the hash chain"), "{err}");
}

#[test]
fn a_lowered_schema_version_does_not_hide_the_chain() {
    let (_dir, save) = save_from(GAME);
    let conn = rusqlite::Connection::open(&save).unwrap();
    conn.execute_batch(
        "PRAGMA user_version = 1;
         UPDATE events SET data = replace(data, '[2,', '[3,') WHERE seq = 7;",
    )
    .unwrap();
    drop(conn);
    let (code, out, _) = lunar(&["verify", arg(&save)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL  the file says schema 1, but its rows carry a hash chain"));
    assert!(out.contains("seq 7: breaks the chain"), "{out}");
    let (code, _, err) = lunar(&["state", arg(&save)]);
    assert_eq!(code, 2);
    assert!(err.contains("event 7 breaks the hash chain"), "{err}");
}

#[test]
fn verify_prints_the_head_hash_two_copies_share() {
    let (_a, first) = save_from(GAME);
    let (_b, second) = save_from(GAME);
    let head = |save: &Path| {
        let (code, out, _) = lunar(&["verify", arg(save)]);
        assert_eq!(code, 0);
        out.lines()
            .find(|l| l.trim_start().starts_with("head"))
            .unwrap()
            .to_owned()
    };
    let line = head(&first);
    assert_eq!(line, head(&second));
    let hash = line.split_whitespace().nth(1).unwrap();
    assert_eq!(hash.len(), 16, "{line}");
    assert!(line.ends_with("(seq 19)"), "{line}");
}

/// Rewrites the projections of the cache's keyframe at `seq` through `edit`, with every digest
/// recomputed as the game computes it: a forgery that passes every check of the cache's own.
fn forge_keyframe(save: &Path, seq: i64, edit: impl Fn(&mut serde_json::Value)) {
    use sha2::{Digest, Sha256};
    let conn = rusqlite::Connection::open(path_for(save)).unwrap();
    let meta = |key: &str| -> String {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .unwrap()
    };
    let (end, mark) = (meta("seq").parse::<u64>().unwrap(), meta("mark"));
    let (tick, complete, bytes): (i64, bool, Vec<u8>) = conn
        .query_row(
            "SELECT tick, complete, projections FROM keyframes WHERE seq = ?1",
            [seq],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let mut projections: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    edit(&mut projections);
    let bytes = serde_json::to_vec(&projections).unwrap();
    let mut h = Sha256::new();
    for part in [
        lunar::store::keyframes::CORE.as_bytes(),
        &end.to_be_bytes(),
        mark.as_bytes(),
        &(seq as u64).to_be_bytes(),
        &(tick as u64).to_be_bytes(),
        &[u8::from(complete)],
        &bytes,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    conn.execute(
        "UPDATE keyframes SET projections = ?1, digest = ?2 WHERE seq = ?3",
        rusqlite::params![bytes, h.finalize().to_vec(), seq],
    )
    .unwrap();
}

#[test]
fn a_forged_keyframe_is_never_shown_as_truth() {
    let (_dir, save) = cached_save();
    let expected = truth(&save);
    let end = {
        let store = SqliteStore::open_read_only(&save).unwrap();
        i64::try_from(store.last_seq().unwrap()).unwrap()
    };
    forge_keyframe(&save, end, |p| {
        p["colony"]["name"] = serde_json::Value::String("Forged Base".into());
    });
    // The screen shows the cached frame at once; the check behind it names the forgery.
    let opened = open_for_playback(&save).unwrap();
    assert!(opened.playback.cached());
    let problems = check_behind(&save).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("differs from the log"), "{problems:?}");
    // Dropping the cache folds the log afresh and writes a true cache in its place.
    let mut playback = opened.playback;
    playback.forget_cache(&save).unwrap();
    assert!(!playback.cached());
    let last = expected.len() as u64 - 1;
    assert_eq!(playback.seek(last).unwrap(), expected[last as usize]);
    assert_eq!(check_behind(&save).unwrap(), Vec::<String>::new());
    // The command line never prints what a cache says.
    forge_keyframe(&save, end, |p| {
        p["colony"]["name"] = serde_json::Value::String("Forged Base".into());
    });
    let (code, out, _) = lunar(&["state", arg(&save), "--json"]);
    assert_eq!(code, 0);
    assert!(!out.contains("Forged Base"), "{out}");
    let (code, out, _) = lunar(&["verify", arg(&save)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("differs from the log"), "{out}");
}
