//! `lunar replay SAVE --export FILE.cast`: the playback screen, tick by tick, recorded as an
//! asciicast v2 file that asciinema's player plays, written without a terminal.
//!
//! A frame is the screen `view` draws for a tick, rendered off screen; only the cells that
//! changed since the frame before are written, so a long game makes a small file.

use std::path::{Path, PathBuf};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::PlayError;
use super::replay::{Opened, arrive, check_behind, marks, open_for_playback};
use crate::domain::ids::Tick;
use crate::tui::app::App;
use crate::tui::replay::{Replay, ReplayMsg, SPEEDS, update};
use crate::tui::replay_view::view;

/// What to record.
pub struct Export {
    pub from: Option<Tick>,
    pub to: Option<Tick>,
    /// Ticks a second of the recording, as the replay's speeds count them: 1 is the game's
    /// normal speed.
    pub speed: f64,
    pub width: u16,
    pub height: u16,
    pub color: bool,
}

/// What was recorded.
pub struct Recorded {
    pub file: PathBuf,
    pub from: Tick,
    pub to: Tick,
    pub frames: usize,
    pub seconds: f64,
}

fn failed(e: impl std::fmt::Display) -> PlayError {
    PlayError(e.to_string())
}

/// Records `save` into `file`, which appears only once whole.
pub fn export(save: &Path, file: &Path, export: &Export) -> Result<Recorded, PlayError> {
    if file.extension().is_none_or(|e| e != "cast") {
        return Err(PlayError(format!(
            "{}: a recording's name ends in .cast",
            file.display()
        )));
    }
    // As replay opens a save, from its keyframe cache when it has one, checked against the
    // log first: a recording shows nothing a forged cache says.
    let Opened {
        mut playback,
        unchecked,
    } = open_for_playback(save).map_err(failed)?;
    if unchecked.is_some() && !check_behind(save).map_err(failed)?.is_empty() {
        playback.forget_cache(save).map_err(failed)?;
    }
    let end = playback.last_tick();
    let from = export.from.unwrap_or(0);
    let to = export.to.unwrap_or(end).min(end);
    if from > to {
        return Err(PlayError(format!(
            "the save ends at tick {end}: nothing to record from tick {from} to {to}"
        )));
    }
    let arrival = arrive(&mut playback, from).map_err(failed)?;
    let name = super::save_name(save);
    let title = format!("{} (Lunar Frontiers)", arrival.projections.colony.name);
    let mut app = App::new(name, arrival.projections.clone(), 1000);
    app.color = export.color;
    let mut replay = Replay::new(app, end, marks(&playback));
    replay.playing = true;
    replay.speed = (0..SPEEDS.len())
        .min_by(|&a, &b| {
            let off = |i: usize| (SPEEDS[i].0 as f64 / SPEEDS[i].1 as f64 - export.speed).abs();
            off(a).total_cmp(&off(b))
        })
        .unwrap_or(0);
    replay = update(replay, ReplayMsg::Resize(export.width, export.height)).0;
    replay = update(replay, ReplayMsg::Arrived(Box::new(arrival))).0;

    let header = serde_json::json!({
        "version": 2,
        "width": export.width,
        "height": export.height,
        "title": title,
        "env": { "TERM": "xterm-256color" },
    });
    let mut cast = header.to_string() + "\n";
    let mut terminal =
        Terminal::new(TestBackend::new(export.width, export.height)).map_err(failed)?;
    let mut before = None;
    let mut frames = 0;
    let mut seconds = 0.0;
    for tick in from..=to {
        if tick > from {
            let arrival = arrive(&mut playback, tick).map_err(failed)?;
            replay = update(replay, ReplayMsg::Arrived(Box::new(arrival))).0;
        }
        terminal.draw(|f| view(&replay, f)).map_err(failed)?;
        let now = terminal.backend().buffer().clone();
        let data = crate::tui::ansi::changes(before.as_ref(), &now);
        before = Some(now);
        seconds = (tick - from) as f64 / export.speed;
        if !data.is_empty() {
            let event = serde_json::json!([(seconds * 1000.0).round() / 1000.0, "o", data]);
            cast += &event.to_string();
            cast += "\n";
            frames += 1;
        }
    }
    write_whole(file, cast.as_bytes())?;
    Ok(Recorded {
        file: file.to_owned(),
        from,
        to,
        frames,
        seconds,
    })
}

/// Writes beside `file` under a hidden name, then renames it into place.
fn write_whole(file: &Path, bytes: &[u8]) -> Result<(), PlayError> {
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty());
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into());
    let partial = dir
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.{}.partial", std::process::id()));
    let written = std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, file));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written.map_err(|e| PlayError(format!("{}: {e}", file.display())))
}
