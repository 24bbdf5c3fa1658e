//! Live play end to end: plant a building with keys, let ticks pass, quit, read the save back;
//! and one player per save.

use lunar::playback::Playback;
use lunar::store::StoreError;
use lunar::store::sqlite::SqliteStore;
use serde_json::Value;

use crate::pty::{Player, count, events, wait_until};
use crate::support::{lunar, save_from};

#[test]
fn plant_watch_quit_and_resume_in_a_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("e2e.lunar");
    let mut player = Player::start(
        dir.path(),
        &["new", "e2e", "--classic", "--tick-ms", "20", "--quiet"],
    );
    wait_until("the first ticks", || {
        count(&events(&save), "gameloop_advanced") >= 2
    });
    player.press("b");
    player.wait_for_screen("build at (20,10)");
    player.press("\r");
    wait_until("the site to complete", || {
        count(&events(&save), "construction_completed") == 1
    });
    player.quit();

    let log = events(&save);
    let planted = log.iter().find(|e| e["type"] == "site_planted").unwrap();
    assert_eq!(planted["metadata"]["source"], "player");
    assert_eq!(planted["data"]["building_id"], "hq-1");
    assert_eq!(
        (&planted["data"]["x"], &planted["data"]["y"]),
        (&Value::from(20), &Value::from(10))
    );
    let planted_at = planted["tick"].as_u64().unwrap();
    let completed = log
        .iter()
        .find(|e| e["type"] == "construction_completed")
        .unwrap();
    assert_eq!(completed["tick"].as_u64().unwrap(), planted_at + 10);
    assert_eq!(count(&log, "construction_progressed"), 10);
    let last_tick = log.last().unwrap()["tick"].as_u64().unwrap();
    let unstamped: Vec<&Value> = log
        .iter()
        .filter(|e| !e["metadata"]["recorded_at_ms"].is_u64())
        .collect();
    assert!(unstamped.is_empty(), "{unstamped:?}");
    let (code, out, _) = lunar(&["verify", save.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");

    let player = Player::start(dir.path(), &["play", "e2e", "--tick-ms", "3600000"]);
    player.wait_for_screen(&format!("tick {last_tick} "));
    player.quit();
    assert_eq!(events(&save), log, "reopening and quitting changed the log");
}

#[test]
fn a_save_being_played_refuses_a_second_player_and_serves_readers() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("busy.lunar");
    let mut player = Player::start(dir.path(), &["new", "busy", "--tick-ms", "5", "--quiet"]);
    player.wait_for_screen("to work");
    player.press("\r");
    wait_until("the first ticks", || {
        count(&events(&save), "gameloop_advanced") >= 3
    });
    let pid = player.child.process_id().unwrap();

    let second = std::process::Command::new(env!("CARGO_BIN_EXE_lunar"))
        .args(["--saves", dir.path().to_str().unwrap(), "play", "busy"])
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(2));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("busy.lunar: this save is being played"),
        "{err}"
    );
    assert!(err.contains(&format!("by process {pid}")), "{err}");
    assert!(matches!(
        SqliteStore::open(&save),
        Err(StoreError::Busy { .. })
    ));

    let mut watcher = Playback::open(SqliteStore::open_read_only(&save).unwrap()).unwrap();
    let seen = watcher.last_tick();
    wait_until("the watcher to see new ticks", || {
        watcher.refresh().unwrap();
        watcher.last_tick() > seen
    });
    player.quit();
    let (code, out, _) = lunar(&["verify", save.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(
        SqliteStore::open(&save).is_ok(),
        "the lock goes with the player"
    );
}

#[test]
fn a_signal_to_end_quits_like_q_and_gives_the_terminal_back() {
    for (signal, name) in [(libc::SIGTERM, "term"), (libc::SIGHUP, "hup")] {
        let dir = tempfile::tempdir().unwrap();
        let save = dir.path().join(format!("{name}.lunar"));
        let mut player = Player::start(dir.path(), &["new", name, "--tick-ms", "5", "--quiet"]);
        player.wait_for_screen("to work");
        player.press("\r");
        wait_until("the first ticks", || {
            count(&events(&save), "gameloop_advanced") >= 3
        });
        let pid = player.child.process_id().unwrap();
        // SAFETY: sends a signal to the child this test started; no memory is involved.
        assert_eq!(unsafe { libc::kill(pid as i32, signal) }, 0);
        assert!(player.wait_for_exit(), "{name}: exits as if q were pressed");
        // The terminal is given back: the alternate screen left, mouse reports and the
        // cursor restored (raw mode is the pty's own and cannot be seen from here).
        let restored = |out: &[u8]| {
            let text = String::from_utf8_lossy(out);
            ["\x1b[?1049l", "\x1b[?1000l", "\x1b[?25h"]
                .iter()
                .all(|seq| text.contains(seq))
        };
        wait_until("the terminal to be restored", || restored(&player.output()));
        let (code, out, _) = lunar(&["verify", save.to_str().unwrap()]);
        assert_eq!(code, 0, "{name}: {out}");
    }
}

#[test]
fn a_branch_opens_paused_and_quitting_it_returns_to_the_replay() {
    let (dir, _save) = save_from("game start name=\"Branchy\"\nbuild hq id=a at=1,1\ntick 12\n");
    let mut player = Player::start(dir.path(), &["replay", "game"]);
    player.wait_for_screen("REPLAY game | tick 12 of 12");
    player.press("b");
    player.wait_for_screen("PAUSED");
    player.wait_for_screen("paused at tick 12, where you left it");
    assert!(dir.path().join("game-t12.lunar").is_file());
    player.press("q");
    player.wait_for_screen("REPLAY game | tick 12 of 12");
    player.press("q");
    assert!(player.wait_for_exit());
    let said = player.wait_for_output("Resume with");
    let saves = dir.path().display().to_string();
    assert!(
        said.contains(&format!(
            "Resume with: cargo run -- --saves {saves} play game-t12"
        )),
        "{said}"
    );
    assert_eq!(
        count(
            &events(&dir.path().join("game-t12.lunar")),
            "gameloop_advanced"
        ),
        12
    );
}

#[test]
fn a_stopped_game_suggests_watching_it_not_resuming_it() {
    let (dir, _save) = save_from("game start\ntick 3\nstop\n");
    let mut player = Player::start(dir.path(), &["play", "game"]);
    player.wait_for_screen("STOPPED");
    player.press("q");
    assert!(player.wait_for_exit());
    let said = player.wait_for_output("The game has stopped");
    assert!(
        said.contains("The game has stopped; watch it again with: ")
            && said.contains("replay game")
            && !said.contains("Resume with"),
        "{said}"
    );
}

#[test]
fn closing_the_terminal_ends_the_game_and_keeps_the_save() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("gone.lunar");
    let mut player = Player::start(dir.path(), &["new", "gone", "--tick-ms", "5", "--quiet"]);
    player.wait_for_screen("to work");
    player.press("\r");
    wait_until("the first ticks", || {
        count(&events(&save), "gameloop_advanced") >= 3
    });
    player.hang_up();
    // The process must not outlive its terminal (it once spun forever on a dead one).
    wait_until("the game to exit", || {
        player.child.try_wait().unwrap().is_some()
    });
    let (code, out, _) = lunar(&["verify", save.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_replay_from_a_cache_shows_at_once_and_still_names_an_altered_row() {
    // Long enough that the cache's keyframe at tick 500 serves the end, so no row before it
    // is read on the way to the first frame.
    let (dir, save) =
        save_from("game start name=\"Altered\"\nbuild hq id=a at=1,1 ticks=3\ntick 600\n");
    drop(lunar::runtime::replay::open_for_playback(&save).unwrap());
    let conn = rusqlite::Connection::open(&save).unwrap();
    conn.execute(
        "UPDATE events SET data = replace(data, '[2,', '[3,') \
         WHERE type = (SELECT id FROM names WHERE name = 'construction_progressed') \
         AND data LIKE '[2,%'",
        [],
    )
    .unwrap();
    drop(conn);
    let mut player = Player::start(dir.path(), &["replay", "game"]);
    player.wait_for_screen("REPLAY game | tick 600 of 600");
    player.wait_for_screen("cannot read the save: ");
    player.wait_for_screen("event 7 breaks the hash chain");
    player.press("q");
    assert!(player.wait_for_exit());
}

#[test]
fn e_edits_a_robots_program_in_the_players_editor_and_it_runs() {
    let dir = tempfile::tempdir().unwrap();
    // An editor that writes a new program over the file it is given, as a player would.
    let editor = dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nprintf '// Greeter: says hello\\nme.say(\"hello from the editor\"); wait()\\n' > \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut player = Player::start_with(
        dir.path(),
        &[
            "new",
            "yard",
            "--mission",
            "sandbox",
            "--tick-ms",
            "20",
            "--quiet",
        ],
        &[("VISUAL", ""), ("EDITOR", editor.to_str().unwrap())],
    );
    player.wait_for_screen("Sandbox");
    player.press("\r");
    player.press("\t");
    player.wait_for_screen("Robot r1");
    player.press("e");
    // A program without a file is named by its first comment line.
    player.wait_for_screen("r1 runs greeter");
    player.press("c");
    player.wait_for_screen("r1: hello from the editor");
    player.press("q");
    assert!(player.wait_for_exit());
    let save = dir.path().join("yard.lunar");
    let uploads: Vec<Value> = events(&save)
        .into_iter()
        .filter(|e| e["type"] == "program_uploaded" && e["metadata"]["source"] == "player")
        .collect();
    assert_eq!(uploads.len(), 1, "{uploads:?}");
    assert_eq!(uploads[0]["data"]["name"], "greeter");
    assert!(
        uploads[0]["data"]["source"]
            .as_str()
            .unwrap()
            .contains("hello from the editor")
    );
}
