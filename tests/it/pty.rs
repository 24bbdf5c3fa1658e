//! The real binary in a pseudo-terminal, as a player runs it: keys in, the screen as a terminal
//! emulator shows it, and the save read back through the command line.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use serde_json::Value;

use crate::support::{assets, lunar};

/// A `lunar` process on a 120x40 pseudo-terminal, its output collected as it comes.
pub struct Player {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    keys: Option<Box<dyn Write + Send>>,
    output: Arc<Mutex<Vec<u8>>>,
    /// Whether the thread draining the output still holds its end of the terminal.
    reading: Arc<std::sync::atomic::AtomicBool>,
    // Closing every end of the master hangs up the terminal; kept until the test does.
    master: Option<Box<dyn portable_pty::MasterPty + Send>>,
}

impl Player {
    pub fn start(saves: &Path, args: &[&str]) -> Player {
        Player::start_with(saves, args, &[])
    }

    /// [`Player::start`] with these environment variables set.
    pub fn start_with(saves: &Path, args: &[&str], env: &[(&str, &str)]) -> Player {
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
        for (key, value) in env {
            cmd.env(key, value);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        let reading = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let still = Arc::clone(&reading);
        // Drained continuously: a full terminal buffer would block the game's drawing.
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
            drop(reader);
            still.store(false, std::sync::atomic::Ordering::SeqCst);
        });
        let keys = pair.master.take_writer().unwrap();
        Player {
            child,
            keys: Some(keys),
            output,
            reading,
            master: Some(pair.master),
        }
    }

    pub fn press(&mut self, keys: &str) {
        let writer = self.keys.as_mut().expect("the terminal is open");
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
    }

    /// The screen as a player sees it: the output so far, run through a terminal emulator.
    pub fn screen(&self) -> String {
        let size = |n| std::num::NonZero::new(n).unwrap();
        let mut terminal = vt100::Parser::new(size(40), size(120), 0);
        terminal.process(&self.output.lock().unwrap());
        terminal.screen().contents()
    }

    /// Waits until `text` has been drawn; on timeout, fails showing the end of what was.
    pub fn wait_for_screen(&self, text: &str) {
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

    /// Closes the terminal under the game, as closing a terminal window does: every end of
    /// the master is closed, the output thread's included (made to stop at its next read).
    pub fn hang_up(&mut self) {
        if let Some(fd) = self.master.as_ref().and_then(|m| m.as_raw_fd()) {
            // SAFETY: a flag change on a descriptor this test owns; no memory is involved.
            unsafe {
                let flags = libc::fcntl(fd, libc::F_GETFL);
                libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
            }
        }
        self.keys = None;
        self.master = None;
        wait_until("the output thread to let go", || {
            !self.reading.load(std::sync::atomic::Ordering::SeqCst)
        });
    }

    /// Everything the game wrote to the terminal so far, raw.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// Waits until the game has written `text` (outside the screen too: what it prints after
    /// giving the terminal back), and returns all it wrote.
    pub fn wait_for_output(&self, text: &str) -> String {
        wait_until(&format!("{text:?} in the output"), || {
            String::from_utf8_lossy(&self.output()).contains(text)
        });
        String::from_utf8_lossy(&self.output()).into_owned()
    }

    /// Waits for the game to exit on its own, and returns whether it succeeded.
    pub fn wait_for_exit(&mut self) -> bool {
        wait_until("the game to exit", || {
            self.child.try_wait().unwrap().is_some()
        });
        self.child.wait().unwrap().success()
    }

    pub fn quit(mut self) {
        self.press("q");
        wait_until("the game to exit", || {
            self.child.try_wait().unwrap().is_some()
        });
        let status = self.child.wait().unwrap();
        assert!(status.success(), "exit status {status:?}");
    }
}

/// A game a failed test leaves behind must not run on and load the machine.
impl Drop for Player {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Polls `condition` until it holds, failing after a generous bound.
pub fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn events(save: &Path) -> Vec<Value> {
    let (code, out, _) = lunar(&["events", save.to_str().unwrap(), "--json"]);
    if code != 0 {
        return Vec::new();
    }
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn count(events: &[Value], kind: &str) -> usize {
    events.iter().filter(|e| e["type"] == kind).count()
}
