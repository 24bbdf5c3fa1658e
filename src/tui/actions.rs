//! What a key can ask for, on the live screen and in playback, and the modes that decide which
//! it asks for: the types the key table maps between, kept apart from the screens' state so
//! that the table and the screens that use it do not import each other.

use crate::domain::ids::BuildingId;

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Mode {
    Map,
    BuildMenu {
        selected: usize,
    },
    /// The keys (page 0) or the rules (page 1), scrolled down this many rows.
    Help {
        scroll: u16,
        page: u8,
    },
    /// A colony game's mission: its story and objectives.
    Briefing,
    /// The mission was won or lost: the score.
    Outcome,
    /// Programs to choose from: for the robots `purpose` names, or for a robot ordered.
    ProgramMenu {
        selected: usize,
        purpose: Purpose,
    },
    /// Asks before a building or a site is taken down.
    ConfirmDemolish {
        building: BuildingId,
    },
    /// The colony's charts over the whole game.
    Statistics,
}

/// What a program chosen in the program menu is for.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Purpose {
    /// The robot under the cursor, or more of them.
    Give(Scope),
    /// A robot ordered from this factory comes out running it.
    Order(BuildingId),
}

/// Which robots a program goes to: tab in the program menu goes round them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scope {
    /// The robot under the cursor.
    One,
    /// Every robot running what the robot under the cursor runs.
    Same,
    /// Every robot.
    All,
}

impl Scope {
    pub fn next(self) -> Scope {
        match self {
            Scope::One => Scope::Same,
            Scope::Same => Scope::All,
            Scope::All => Scope::One,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Action {
    Move(i32, i32),
    MoveTo(u16, u16),
    OpenBuildMenu,
    MenuMove(i32),
    MenuPick(usize),
    Confirm,
    /// Closes what is open; never quits.
    Back,
    /// Scrolls the feed back (positive) or forward.
    ScrollFeed(i32),
    TogglePause,
    Faster,
    Slower,
    ToggleBell,
    ToggleHelp,
    /// Up and down in the help.
    HelpScroll(i16),
    /// The other page of the help: keys or rules.
    HelpPage,
    /// The mission's briefing and objectives.
    ShowBriefing,
    /// Start the next mission of the tutorial chain.
    NextMission,
    /// The mission just ended, from the start, in a new save.
    Retry,
    /// The shipped programs, for the robot under the cursor.
    OpenProgramMenu,
    /// The program of the robot under the cursor, in the player's editor.
    EditProgram,
    /// A robot from the factory under the cursor.
    OrderRobot,
    /// The building under the cursor off, or on again.
    ToggleSwitch,
    /// The site under the cursor urgent, or no longer.
    ToggleUrgent,
    /// Take down the building or site under the cursor (asks first).
    Demolish,
    /// Yes, to what is asked.
    Yes,
    /// The program menu's robots: this one, every one running the same, all.
    CycleScope,
    /// The statistics screen, or back.
    ToggleStatistics,
    /// The cursor to the next robot.
    NextRobot,
    /// The feed shows the robots' console instead of the events, or back.
    ToggleConsole,
    Quit,
}

/// What a key does on the playback screen.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReplayAction {
    Step(i64),
    Start,
    End,
    TogglePlay,
    Faster,
    Slower,
    BeginGoto,
    GotoDigit(char),
    GotoBackspace,
    GotoConfirm,
    PrevMark,
    NextMark,
    CycleKind,
    ToggleInspector,
    ToggleDiff,
    Why,
    /// Put the cursor on the next robot and follow it.
    NextRobot,
    /// Up and down in the inspector.
    Select(i32),
    /// Readable lines or raw JSON in the inspector and "why".
    ToggleRaw,
    ToggleSkipQuiet,
    /// The statistics screen, or back.
    ToggleStatistics,
    Zoom,
    ScrollFeed(i32),
    Move(i32, i32),
    Branch,
    /// Trace the robot here: its program run again as this tick began.
    Trace,
    /// Type an expression to evaluate in the traced robot's context.
    BeginConsole,
    ConsoleChar(char),
    ConsoleBackspace,
    ConsoleConfirm,
    /// Edit the robot's program as of this tick and try it from here.
    Fix,
    ToggleHelp,
    HelpScroll(i16),
    Close,
    Quit,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ReplayMode {
    Normal,
    /// Typing a tick number after `g`.
    Goto(String),
    /// Typing an expression in the trace panel's console.
    Console(String),
    /// The keys, scrolled down this many rows.
    Help {
        scroll: u16,
    },
}
