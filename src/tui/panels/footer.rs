//! The key bar along the bottom: the keys that matter in what is open, as many as fit.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::projection::colony::MissionStatus;
use crate::tui::actions::{Mode, Purpose, ReplayMode};
use crate::tui::app::App;
use crate::tui::replay::{Panel, Replay};
use crate::tui::theme::{Row, Styled, Theme, Tone};

/// The live screen's keys, fitted to `width`.
pub fn live(app: &App, width: u16) -> Row {
    let (x, y) = app.cursor;
    let steered = app
        .projections
        .buildings
        .at(x, y)
        .filter(|_| app.projections.colony.ruleset >= 2);
    let keys: &[(&str, &str)] = match app.mode {
        Mode::Map if app.projections.colony.stopped => &[
            ("arrows", "look around"),
            ("pgup/pgdn", "events"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Mode::Map if app.robot().is_some() => &[
            ("tab", "next robot"),
            ("p", "program"),
            ("e", "edit it"),
            ("arrows", "move"),
            ("space", if app.paused { "resume" } else { "pause" }),
            ("?", "help"),
            ("q", "quit"),
        ],
        Mode::Map if steered.is_some_and(|b| b.ready) => &[
            (
                "x",
                if steered.is_some_and(|b| b.on) {
                    "switch off"
                } else {
                    "switch on"
                },
            ),
            ("d", "take down"),
            ("t", "statistics"),
            ("space", if app.paused { "resume" } else { "pause" }),
            ("?", "help"),
            ("q", "quit"),
        ],
        Mode::Map if steered.is_some() => &[
            (
                "u",
                if steered.is_some_and(|b| b.urgent) {
                    "not urgent"
                } else {
                    "urgent"
                },
            ),
            ("d", "cancel site"),
            ("t", "statistics"),
            ("space", if app.paused { "resume" } else { "pause" }),
            ("?", "help"),
            ("q", "quit"),
        ],
        Mode::Map if !app.projections.robots.robots.is_empty() => &[
            ("arrows", "move"),
            ("b", "build"),
            ("tab", "robots"),
            ("space", if app.paused { "resume" } else { "pause" }),
            ("+/-", "speed"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Mode::Map => &[
            ("arrows", "move"),
            ("b", "build"),
            ("space", if app.paused { "resume" } else { "pause" }),
            ("+/-", "speed"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Mode::BuildMenu { .. } => &[("up/down", "choose"), ("enter", "plant"), ("esc", "cancel")],
        Mode::ProgramMenu {
            purpose: Purpose::Give(_),
            ..
        } => &[
            ("up/down", "choose"),
            ("enter", "give it"),
            ("tab", "which robots"),
            ("esc", "cancel"),
        ],
        Mode::ProgramMenu { .. } => &[("up/down", "choose"), ("enter", "order"), ("esc", "cancel")],
        Mode::ConfirmDemolish { .. } => &[("y", "take it down"), ("n, esc", "keep it")],
        Mode::Statistics => &[("t, esc", "close"), ("q", "quit")],
        Mode::Help { .. } => &[
            ("up/down", "scroll"),
            ("tab", "keys/rules"),
            ("esc", "close"),
            ("q", "quit"),
        ],
        Mode::Briefing => &[("enter", "to work"), ("?", "help"), ("q", "quit")],
        Mode::Outcome
            if app.next_mission.is_some()
                && matches!(app.mission(), Some(MissionStatus::Won { .. })) =>
        {
            &[
                ("n", "next mission"),
                ("r", "again"),
                ("esc", "look around"),
                ("q", "quit"),
            ]
        }
        Mode::Outcome if matches!(app.mission(), Some(MissionStatus::Won { .. })) => {
            &[("r", "play again"), ("esc", "look around"), ("q", "quit")]
        }
        Mode::Outcome => &[("r", "try again"), ("esc", "look around"), ("q", "quit")],
    };
    hints(keys, width)
}

/// The playback screen's keys, fitted to `width`.
pub fn replay(replay: &Replay, width: u16) -> Row {
    let keys: &[(&str, &str)] = match (&replay.mode, &replay.panel) {
        (ReplayMode::Goto(_), _) => &[("digits", "tick"), ("enter", "go"), ("esc", "cancel")],
        (ReplayMode::Console(_), _) => &[("enter", "evaluate"), ("esc", "done")],
        (_, Panel::Trace { .. }) => &[
            ("left/right", "tick"),
            (":", "console"),
            ("f", "fix from here"),
            ("x, esc", "close"),
        ],
        (_, Panel::Inspector { .. }) => &[
            ("up/down", "event"),
            ("left/right", "tick"),
            ("r", "raw"),
            ("esc", "close"),
        ],
        (_, Panel::History { .. }) => &[("left/right", "tick"), ("r", "raw"), ("esc", "close")],
        (_, Panel::Statistics) => &[
            ("left/right", "tick"),
            ("space", if replay.playing { "pause" } else { "play" }),
            ("t, esc", "close"),
        ],
        _ => &[
            ("space", if replay.playing { "pause" } else { "play" }),
            ("left/right", "tick"),
            ("[ ]", "marks"),
            ("i", "inspect"),
            ("d", "diff"),
            ("w", "why"),
            ("x", "trace"),
            ("b", "branch"),
            ("?", "help"),
            ("q", "quit"),
        ],
    };
    hints(keys, width)
}

/// A footer's keys, as many as fit in `width`: the last two (help and quit) always stay, and
/// the ones just before them go first.
fn hints(keys: &[(&str, &str)], width: u16) -> Row {
    let mut keys = keys.to_vec();
    let used = |keys: &[(&str, &str)]| -> usize {
        keys.iter()
            .map(|(key, what)| key.chars().count() + what.chars().count() + 3)
            .sum()
    };
    while used(&keys) > usize::from(width) && keys.len() > 2 {
        keys.remove(keys.len() - 3);
    }
    let mut runs = Vec::new();
    for (key, what) in keys {
        runs.push(Styled::new(format!(" {key}"), Tone::Title));
        runs.push(Styled::plain(format!(" {what} ")));
    }
    Row::of(runs)
}

pub fn draw(row: &Row, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    frame.render_widget(theme.line(row), area);
}
