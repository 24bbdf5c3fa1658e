//! What a key can ask for, on the live screen and in playback, and the modes that decide which
//! it asks for: the types the key table maps between, kept apart from the screens' state so
//! that the table and the screens that use it do not import each other.

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
    /// The shipped programs, to give the robot under the cursor.
    ProgramMenu {
        selected: usize,
    },
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
    Zoom,
    ScrollFeed(i32),
    Move(i32, i32),
    Branch,
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
    /// The keys, scrolled down this many rows.
    Help {
        scroll: u16,
    },
}
