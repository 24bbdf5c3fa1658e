//! The real binary in a pseudo-terminal: plant a building with keys, let ticks pass, quit, and
//! read the save back.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use serde_json::Value;

use lunar::playback::Playback;
use lunar::store::StoreError;
use lunar::store::sqlite::SqliteStore;

use crate::support::{assets, lunar};

/// A `lunar` process on a 120x40 pseudo-terminal, its output collected as it comes.
struct Player {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    keys: Box<dyn Write + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    // Dropping the master hangs up the terminal; keep it for the process's life.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Player {
    fn start(saves: &Path, args: &[&str]) -> Player {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_lunar"));
        cmd.args(["--saves", saves.to_str().unwrap()]);
        cmd.args(["--assets", assets().to_str().unwrap()]);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        // Drained continuously: a full terminal buffer would block the game's drawing.
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let keys = pair.master.take_writer().unwrap();
        Player {
            child,
            keys,
            output,
            _master: pair.master,
        }
    }

    fn press(&mut self, keys: &str) {
        self.keys.write_all(keys.as_bytes()).unwrap();
        self.keys.flush().unwrap();
    }

    /// The screen as a player sees it: the output so far, run through a terminal emulator.
    fn screen(&self) -> String {
        let size = |n| std::num::NonZero::new(n).unwrap();
        let mut terminal = vt100::Parser::new(size(40), size(120), 0);
        terminal.process(&self.output.lock().unwrap());
        terminal.screen().contents()
    }

    /// Waits until `text` has been drawn; on timeout, fails showing the end of what was.
    fn wait_for_screen(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.screen().contains(text) {
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for {text:?}; the screen shows\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn quit(mut self) {
        self.press("q");
        wait_until("the game to exit", || {
            self.child.try_wait().unwrap().is_some()
        });
        let status = self.child.wait().unwrap();
        assert!(status.success(), "exit status {status:?}");
    }
}

/// Polls `condition` until it holds, failing after a generous bound.
fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn events(save: &Path) -> Vec<Value> {
    let (code, out, _) = lunar(&["events", save.to_str().unwrap(), "--json"]);
    if code != 0 {
        return Vec::new();
    }
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn count(events: &[Value], kind: &str) -> usize {
    events.iter().filter(|e| e["type"] == kind).count()
}

#[test]
fn plant_watch_quit_and_resume_in_a_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("e2e.lunar");
    let mut player = Player::start(dir.path(), &["new", "e2e", "--tick-ms", "20", "--quiet"]);
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
    let player = Player::start(dir.path(), &["new", "busy", "--tick-ms", "5", "--quiet"]);
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
