//! The key table: which key does what, in which mode. Pure, and the one place keys are bound.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::{Action, Mode};

/// One row of the help overlay: keys and what they do.
pub const HELP: &[(&str, &str)] = &[
    ("arrows, h j k l", "move the cursor"),
    ("H J K L", "move the cursor five tiles"),
    ("mouse click", "move the cursor to a tile"),
    ("b, enter", "open the build menu at the cursor"),
    ("up/down, 1-9", "choose in the build menu"),
    ("enter", "plant the chosen site"),
    ("esc", "close a menu or this help"),
    ("space", "pause or resume the game loop"),
    ("+ / -", "faster / slower (1/8x to max)"),
    ("n", "bell on completion, on or off"),
    ("?", "this help"),
    ("q, ctrl-c", "quit (everything is already saved)"),
];

pub fn action(mode: &Mode, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let global = match key.code {
        KeyCode::Char('c') if ctrl => Some(Action::Quit),
        KeyCode::Char('q') => Some(Action::Quit),
        KeyCode::Char(' ') => Some(Action::TogglePause),
        KeyCode::Char('+') | KeyCode::Char('=') => Some(Action::Faster),
        KeyCode::Char('-') | KeyCode::Char('_') => Some(Action::Slower),
        KeyCode::Char('n') => Some(Action::ToggleBell),
        KeyCode::Char('?') => Some(Action::ToggleHelp),
        _ => None,
    };
    if global.is_some() {
        return global;
    }
    match mode {
        Mode::Map => match key.code {
            KeyCode::Left | KeyCode::Char('h') => Some(Action::Move(-1, 0)),
            KeyCode::Right | KeyCode::Char('l') => Some(Action::Move(1, 0)),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Move(0, -1)),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Move(0, 1)),
            KeyCode::Char('H') => Some(Action::Move(-5, 0)),
            KeyCode::Char('L') => Some(Action::Move(5, 0)),
            KeyCode::Char('K') => Some(Action::Move(0, -5)),
            KeyCode::Char('J') => Some(Action::Move(0, 5)),
            KeyCode::Char('b') | KeyCode::Enter => Some(Action::OpenBuildMenu),
            KeyCode::Esc => Some(Action::Cancel),
            _ => None,
        },
        Mode::BuildMenu { .. } => match key.code {
            KeyCode::Up | KeyCode::Char('k') => Some(Action::MenuMove(-1)),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::MenuMove(1)),
            KeyCode::Enter => Some(Action::Confirm),
            KeyCode::Esc | KeyCode::Char('b') => Some(Action::Cancel),
            KeyCode::Char(c @ '1'..='9') => Some(Action::MenuPick(c as usize - '1' as usize)),
            _ => None,
        },
        Mode::Help => match key.code {
            KeyCode::Esc | KeyCode::Enter => Some(Action::Cancel),
            _ => None,
        },
    }
}
