//! The key table: which key does what, in which mode. Pure, and the one place keys are bound.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::actions::{Action, Mode, ReplayAction, ReplayMode};

/// The most a help overlay can scroll: past every row of the longest help, wrapped.
pub const HELP_ROWS_MAX: u16 = 64;

/// One row of the help overlay: keys and what they do.
pub const HELP: &[(&str, &str)] = &[
    ("arrows, h j k l", "move the cursor"),
    ("H J K L", "move the cursor five tiles"),
    ("mouse click", "move the cursor to a tile"),
    ("b, enter", "open the build menu at the cursor"),
    ("up/down, enter", "choose in the build menu, and plant it"),
    (
        "1-9, 0",
        "plant that line of the build menu at once (0: the tenth)",
    ),
    ("space", "pause or resume the game loop"),
    ("+ / -", "faster / slower (1/8x to max)"),
    ("pgup/pgdn, wheel", "scroll the events back and forth"),
    ("shift+up/down", "scroll the events a line"),
    ("n", "bell on completion, on or off"),
    ("m", "the mission: briefing and objectives"),
    ("tab", "the cursor to the next robot"),
    (
        "p",
        "give the robot under the cursor a program (tab: to more robots)",
    ),
    (
        "e",
        "edit its program in $EDITOR; it runs once you save and quit",
    ),
    (
        "o",
        "order a robot from the factory under the cursor, with a program",
    ),
    ("x", "switch the building under the cursor off, or on again"),
    ("u", "mark the site under the cursor urgent, or no longer"),
    (
        "d",
        "take down the building or site under the cursor (asks first)",
    ),
    ("t", "statistics: every resource over the whole game"),
    (
        "c",
        "the robots' console (what they said, how they faulted) or the events",
    ),
    (
        "n / r",
        "when a mission ends: the next one / this one again",
    ),
    ("?", "this help (the game waits meanwhile); tab: the rules"),
    ("esc", "close a menu or this help (it never quits)"),
    ("q, ctrl-c", "quit (everything is already saved)"),
];

pub fn action(mode: &Mode, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    // On the outcome screen n is the next mission, not the bell, and r plays it again.
    if *mode == Mode::Outcome {
        match key.code {
            KeyCode::Char('n') => return Some(Action::NextMission),
            KeyCode::Char('r') => return Some(Action::Retry),
            _ => {}
        }
    }
    // A question takes its answer first: n is no here, not the bell.
    if let Mode::ConfirmDemolish { .. } = mode {
        return match key.code {
            KeyCode::Char('y') | KeyCode::Enter => Some(Action::Yes),
            KeyCode::Char('n') | KeyCode::Esc => Some(Action::Back),
            KeyCode::Char('c') if ctrl => Some(Action::Quit),
            KeyCode::Char('q') => Some(Action::Quit),
            _ => None,
        };
    }
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
            KeyCode::Up if shift => Some(Action::ScrollFeed(1)),
            KeyCode::Down if shift => Some(Action::ScrollFeed(-1)),
            KeyCode::Left | KeyCode::Char('h') => Some(Action::Move(-1, 0)),
            KeyCode::Right | KeyCode::Char('l') => Some(Action::Move(1, 0)),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Move(0, -1)),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Move(0, 1)),
            KeyCode::Char('H') => Some(Action::Move(-5, 0)),
            KeyCode::Char('L') => Some(Action::Move(5, 0)),
            KeyCode::Char('K') => Some(Action::Move(0, -5)),
            KeyCode::Char('J') => Some(Action::Move(0, 5)),
            KeyCode::Char('b') | KeyCode::Enter => Some(Action::OpenBuildMenu),
            KeyCode::Char('m') => Some(Action::ShowBriefing),
            KeyCode::Char('p') => Some(Action::OpenProgramMenu),
            KeyCode::Char('e') => Some(Action::EditProgram),
            KeyCode::Char('o') => Some(Action::OrderRobot),
            KeyCode::Char('x') => Some(Action::ToggleSwitch),
            KeyCode::Char('u') => Some(Action::ToggleUrgent),
            KeyCode::Char('d') => Some(Action::Demolish),
            KeyCode::Char('t') => Some(Action::ToggleStatistics),
            KeyCode::Char('c') => Some(Action::ToggleConsole),
            KeyCode::Tab => Some(Action::NextRobot),
            KeyCode::PageUp => Some(Action::ScrollFeed(5)),
            KeyCode::PageDown => Some(Action::ScrollFeed(-5)),
            KeyCode::Esc => Some(Action::Back),
            _ => None,
        },
        Mode::BuildMenu { .. } | Mode::ProgramMenu { .. } => match key.code {
            KeyCode::Up | KeyCode::Char('k') => Some(Action::MenuMove(-1)),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::MenuMove(1)),
            KeyCode::Enter => Some(Action::Confirm),
            KeyCode::Esc | KeyCode::Char('b') | KeyCode::Char('p') => Some(Action::Back),
            KeyCode::Tab if matches!(mode, Mode::ProgramMenu { .. }) => Some(Action::CycleScope),
            KeyCode::Char(c @ '1'..='9') => Some(Action::MenuPick(c as usize - '1' as usize)),
            KeyCode::Char('0') => Some(Action::MenuPick(9)),
            _ => None,
        },
        // Answered before the global keys, above.
        Mode::ConfirmDemolish { .. } => None,
        Mode::Statistics => match key.code {
            KeyCode::Char('t') | KeyCode::Esc | KeyCode::Enter => Some(Action::Back),
            _ => None,
        },
        Mode::Help { .. } => match key.code {
            KeyCode::Esc | KeyCode::Enter => Some(Action::Back),
            KeyCode::Tab => Some(Action::HelpPage),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::HelpScroll(-1)),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::HelpScroll(1)),
            KeyCode::PageUp => Some(Action::HelpScroll(-10)),
            KeyCode::PageDown => Some(Action::HelpScroll(10)),
            _ => None,
        },
        Mode::Briefing => match key.code {
            KeyCode::Esc | KeyCode::Enter => Some(Action::Back),
            _ => None,
        },
        Mode::Outcome => match key.code {
            KeyCode::Esc | KeyCode::Enter => Some(Action::Back),
            _ => None,
        },
    }
}

pub const REPLAY_HELP: &[(&str, &str)] = &[
    ("space", "play or pause"),
    ("+ / -", "faster / slower (0.25x to 1000x)"),
    ("s", "skip quiet ticks while playing, on or off"),
    ("left / right", "one tick back / forward"),
    ("shift+left/right", "ten ticks"),
    ("pgup / pgdn", "a hundred ticks"),
    ("home / end", "the first / the last tick"),
    ("g, digits, enter", "go to a tick"),
    ("click timeline", "go to that tick"),
    ("[ / ]", "previous / next tick with a marked event"),
    ("e", "choose what is marked (default: anything notable)"),
    ("z", "zoom the timeline: the whole game, 1000, 100 ticks"),
    ("i", "inspect this tick's events and their causes"),
    ("d", "what changed since the tick before"),
    ("t", "statistics: every resource up to this tick"),
    ("w", "why: what the building or robot here did"),
    ("tab", "the next robot: the cursor follows it"),
    ("r", "in those panels, raw JSON instead of sentences"),
    ("h j k l, click", "move the cursor"),
    ("shift+up/down, wheel", "scroll the events"),
    ("x", "trace the robot here: its program as this tick began"),
    (
        ":",
        "console: evaluate an expression as that robot, at this tick",
    ),
    ("f", "fix: edit its program, try it from this tick, compare"),
    ("b", "branch: a new save from this tick, played live"),
    ("esc", "close a panel (it never quits)"),
    ("q", "quit (the save is never written)"),
];

/// `inspecting`: the inspector is open, so up and down choose an event.
pub fn replay_action(mode: &ReplayMode, inspecting: bool, key: KeyEvent) -> Option<ReplayAction> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    if let ReplayMode::Help { .. } = mode {
        return match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('?') => Some(ReplayAction::ToggleHelp),
            KeyCode::Up | KeyCode::Char('k') => Some(ReplayAction::HelpScroll(-1)),
            KeyCode::Down | KeyCode::Char('j') => Some(ReplayAction::HelpScroll(1)),
            KeyCode::PageUp => Some(ReplayAction::HelpScroll(-10)),
            KeyCode::PageDown => Some(ReplayAction::HelpScroll(10)),
            KeyCode::Char('q') => Some(ReplayAction::Quit),
            KeyCode::Char('c') if ctrl => Some(ReplayAction::Quit),
            _ => None,
        };
    }
    if let ReplayMode::Console(_) = mode {
        return match key.code {
            KeyCode::Char('c') if ctrl => Some(ReplayAction::Quit),
            KeyCode::Char(c) => Some(ReplayAction::ConsoleChar(c)),
            KeyCode::Backspace => Some(ReplayAction::ConsoleBackspace),
            KeyCode::Enter => Some(ReplayAction::ConsoleConfirm),
            KeyCode::Esc => Some(ReplayAction::Close),
            _ => None,
        };
    }
    if let ReplayMode::Goto(_) = mode {
        return match key.code {
            KeyCode::Char(d @ '0'..='9') => Some(ReplayAction::GotoDigit(d)),
            KeyCode::Backspace => Some(ReplayAction::GotoBackspace),
            KeyCode::Enter => Some(ReplayAction::GotoConfirm),
            KeyCode::Esc => Some(ReplayAction::Close),
            KeyCode::Char('c') if ctrl => Some(ReplayAction::Quit),
            _ => None,
        };
    }
    match key.code {
        KeyCode::Char('c') if ctrl => Some(ReplayAction::Quit),
        KeyCode::Char('q') => Some(ReplayAction::Quit),
        KeyCode::Char(' ') => Some(ReplayAction::TogglePlay),
        KeyCode::Char('+') | KeyCode::Char('=') => Some(ReplayAction::Faster),
        KeyCode::Char('-') | KeyCode::Char('_') => Some(ReplayAction::Slower),
        KeyCode::Left if shift => Some(ReplayAction::Step(-10)),
        KeyCode::Right if shift => Some(ReplayAction::Step(10)),
        KeyCode::Left => Some(ReplayAction::Step(-1)),
        KeyCode::Right => Some(ReplayAction::Step(1)),
        KeyCode::PageUp => Some(ReplayAction::Step(-100)),
        KeyCode::PageDown => Some(ReplayAction::Step(100)),
        KeyCode::Home => Some(ReplayAction::Start),
        KeyCode::End => Some(ReplayAction::End),
        KeyCode::Char('g') => Some(ReplayAction::BeginGoto),
        KeyCode::Char('[') => Some(ReplayAction::PrevMark),
        KeyCode::Char(']') => Some(ReplayAction::NextMark),
        KeyCode::Char('e') => Some(ReplayAction::CycleKind),
        KeyCode::Char('i') => Some(ReplayAction::ToggleInspector),
        KeyCode::Char('d') => Some(ReplayAction::ToggleDiff),
        KeyCode::Char('t') => Some(ReplayAction::ToggleStatistics),
        KeyCode::Char('w') => Some(ReplayAction::Why),
        KeyCode::Tab => Some(ReplayAction::NextRobot),
        KeyCode::Up if shift => Some(ReplayAction::ScrollFeed(1)),
        KeyCode::Down if shift => Some(ReplayAction::ScrollFeed(-1)),
        KeyCode::Up if inspecting => Some(ReplayAction::Select(-1)),
        KeyCode::Down if inspecting => Some(ReplayAction::Select(1)),
        KeyCode::Up | KeyCode::Char('k') => Some(ReplayAction::Move(0, -1)),
        KeyCode::Down | KeyCode::Char('j') => Some(ReplayAction::Move(0, 1)),
        KeyCode::Char('h') => Some(ReplayAction::Move(-1, 0)),
        KeyCode::Char('l') => Some(ReplayAction::Move(1, 0)),
        KeyCode::Char('H') => Some(ReplayAction::Move(-5, 0)),
        KeyCode::Char('L') => Some(ReplayAction::Move(5, 0)),
        KeyCode::Char('K') => Some(ReplayAction::Move(0, -5)),
        KeyCode::Char('J') => Some(ReplayAction::Move(0, 5)),
        KeyCode::Char('b') => Some(ReplayAction::Branch),
        KeyCode::Char('x') => Some(ReplayAction::Trace),
        KeyCode::Char(':') => Some(ReplayAction::BeginConsole),
        KeyCode::Char('f') => Some(ReplayAction::Fix),
        KeyCode::Char('r') => Some(ReplayAction::ToggleRaw),
        KeyCode::Char('s') => Some(ReplayAction::ToggleSkipQuiet),
        KeyCode::Char('z') => Some(ReplayAction::Zoom),
        KeyCode::Char('?') => Some(ReplayAction::ToggleHelp),
        KeyCode::Esc => Some(ReplayAction::Close),
        _ => None,
    }
}
