//! Crash safety: a live game at full speed, with sites being planted, killed with SIGKILL at
//! random moments and reopened each time. Opening always succeeds, `verify` passes (every tick
//! is in the log with everything it caused, or not at all), and no tick the player saw is lost.
//!
//! CI runs a short loop; `LUNAR_CRASH_KILLS=50 cargo test --release --test it crash` runs the
//! full one.

use std::time::Duration;

use crate::pty::{Player, count, events, wait_until};
use crate::support::lunar;

/// A seeded generator, so a failing run can be repeated kill for kill.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// The tick the header shows: ` name | tick N | ...`.
fn tick_on_screen(screen: &str) -> Option<u64> {
    let header = screen.lines().next()?;
    let after = header.split("| tick ").nth(1)?;
    after.split_whitespace().next()?.parse().ok()
}

#[test]
fn killed_at_random_moments_the_save_stays_whole() {
    let kills: usize = std::env::var("LUNAR_CRASH_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(12);
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("crash.lunar");
    let mut rng = Rng(0x5EED_CAFE);
    let mut survived = 0;
    for round in 0..kills {
        let args: &[&str] = if round == 0 {
            &["new", "crash", "--tick-ms", "1", "--quiet"]
        } else {
            &["play", "crash", "--tick-ms", "1", "--quiet"]
        };
        let mut player = Player::start(dir.path(), args);
        player.wait_for_screen("| tick ");
        // A new game opens on its briefing, a reopened one paused: both wait for the player.
        player.press(if round == 0 { "\r" } else { " " });
        player.press("++++++++++");
        for _ in 0..rng.below(4) {
            let moves = "hjkl".chars().nth(rng.below(4) as usize).unwrap_or('l');
            player.press(&moves.to_string().repeat(1 + rng.below(6) as usize));
            player.press("b1");
        }
        std::thread::sleep(Duration::from_millis(20 + rng.below(280)));
        let seen = tick_on_screen(&player.screen()).unwrap_or(0);
        let pid = player.child.process_id().unwrap();
        let killed = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        wait_until("the killed game to be gone", || {
            player.child.try_wait().unwrap().is_some()
        });

        let (code, out, err) = lunar(&["verify", save.to_str().unwrap()]);
        assert_eq!(code, 0, "round {round}: {out}{err}");
        let log = events(&save);
        let last = log.last().map_or(0, |e| e["tick"].as_u64().unwrap());
        assert!(
            last >= seen,
            "round {round}: the screen showed tick {seen}, the log ends at {last}"
        );
        survived += 1;
    }
    let log = events(&save);
    assert!(
        count(&log, "gameloop_advanced") > kills as usize,
        "the game moved on between kills"
    );
    assert_eq!(survived, kills);
    eprintln!(
        "{survived} kills survived; {} events, {} sites planted",
        log.len(),
        count(&log, "site_planted")
    );
}
