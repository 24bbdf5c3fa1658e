//! The live screen's state and its one pure transition: `update(app, msg) -> (app, effects)`.
//!
//! Everything that happens to the screen arrives as a [`Msg`]: a key, a click, a new size, or
//! events the log committed. Everything the screen wants done leaves as an [`Effect`] for the
//! shell to perform. Nothing here reads a clock or touches the terminal.

use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::actions::{Action, Mode, Purpose, Scope};
use super::keys;
use super::layout::{Areas, TILE_WIDTH};
use std::collections::BTreeMap;

use crate::domain::building::commands::BuildingCommand;
use crate::domain::command::Command;

use crate::domain::game::commands::{GameCommand, PlantSite};

use crate::domain::event::Event;
use crate::domain::ids::{BuildingId, RobotId, Tick};
use crate::domain::projection::Projections;
use crate::domain::projection::colony::MissionStatus;
use crate::domain::projection::robots::RobotRow;
use crate::domain::rejection::Rejection;
use crate::domain::robot::commands::RobotCommand;
use crate::domain::ruleset::ProgramSource;
use crate::engine::envelope::{RecordedEvent, Source};
use crate::study::scores::ScoreCard;

/// Game-loop speeds as multiples of the base tick period: 1/8x up to as fast as it goes.
pub const SPEEDS: &[(u64, u64, &str)] = &[
    (1, 8, "1/8x"),
    (1, 4, "1/4x"),
    (1, 2, "1/2x"),
    (1, 1, "1x"),
    (2, 1, "2x"),
    (4, 1, "4x"),
    (8, 1, "8x"),
    (16, 1, "16x"),
    (64, 1, "64x"),
    (0, 1, "max"),
];
const NORMAL_SPEED: usize = 3;

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Status {
    pub text: String,
    pub error: bool,
    /// The tick it was said at: a word just said stands over the colony's alerts for a while.
    pub at: Tick,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Events the log committed, in log order.
    Committed(Vec<RecordedEvent>),
    Rejected {
        source: Source,
        rejection: Rejection,
    },
    /// The log could not be written; nothing more will be.
    Failed(String),
    /// The player closed the editor on a robot's program.
    Edited {
        robot: RobotId,
        program: ProgramSource,
    },
    /// The editor could not be run.
    EditFailed(String),
    /// The player left the program as it was.
    Unedited(RobotId),
    /// The finished game's measures, beside the player's best and the par.
    Scored(Box<ScoreCard>),
}

/// Where the map's visible tiles are drawn on screen.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct MapView {
    pub x: u16,
    pub y: u16,
    pub cols: u16,
    pub rows: u16,
}

/// What the game loop should do: the injector follows it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Control {
    pub paused: bool,
    /// Milliseconds between ticks; `None` for as fast as the machine can go.
    pub period_ms: Option<u64>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Effect {
    Send(Command),
    Control(Control),
    Bell,
    Quit,
    /// Quit and start this mission.
    Next(String),
    /// Open this program in the player's editor, then report back with [`Msg::Edited`].
    Edit {
        robot: RobotId,
        program: ProgramSource,
    },
    /// Score the finished game among the player's attempts, then report back with
    /// [`Msg::Scored`].
    Score,
}

/// A line of the program menu.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Choice {
    Program(ProgramSource),
    /// No program: a robot ordered idle.
    Idle,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct App {
    pub save_name: String,
    pub projections: Projections,
    pub cursor: (u16, u16),
    /// The top-left tile shown, so that large maps scroll with the cursor.
    pub scroll: (u16, u16),
    pub mode: Mode,
    /// Paused by the player (a menu or help also holds the game loop; see [`App::control`]).
    pub paused: bool,
    pub speed: usize,
    pub base_tick_ms: u64,
    pub status: Option<Status>,
    pub bell: bool,
    /// The tick a building last completed on; the header flashes while it is current.
    pub flash: Option<Tick>,
    pub color: bool,
    pub size: (u16, u16),
    /// Once the log fails, the game is over for this session: nothing more is sent.
    pub failed: bool,
    /// Drawn for playback: a timeline takes rows from the feed.
    pub replay: bool,
    /// How many lines the feed is scrolled back from the newest.
    pub feed_scroll: usize,
    /// The mission after this one in the tutorial chain, if any: its id and title.
    pub next_mission: Option<(String, String)>,
    /// The programs that ship with the game, for the program menu.
    pub programs: Vec<ProgramSource>,
    /// Programs edited but not yet accepted (they did not compile), by robot: the next edit
    /// starts from there, not from what the robot runs.
    pub drafts: BTreeMap<RobotId, ProgramSource>,
    /// The robot whose program was last sent, to say whose did not compile.
    pub uploading: Option<RobotId>,
    /// The program the player last wrote in the editor and that compiled: the program menu
    /// offers it first, to give to more robots.
    pub edited: Option<ProgramSource>,
    /// The feed shows what robots said and their faults instead of the events.
    pub console: bool,
    /// The robot the cursor follows as it moves, chosen with tab; moving the cursor lets go.
    pub following: Option<RobotId>,
    /// The finished game's score card, once the shell has read it off the log.
    pub scorecard: Option<Box<ScoreCard>>,
}

impl App {
    pub fn new(save_name: String, projections: Projections, base_tick_ms: u64) -> App {
        let c = &projections.colony;
        let cursor = (c.width / 2, c.height / 2);
        let stopped = c.stopped;
        App {
            save_name,
            cursor,
            scroll: (0, 0),
            mode: Mode::Map,
            paused: stopped,
            speed: NORMAL_SPEED,
            base_tick_ms: base_tick_ms.max(1),
            status: stopped.then(|| Status {
                at: projections.colony.tick,
                text: "this game has stopped; it can be looked at, not played".into(),
                error: false,
            }),
            bell: true,
            flash: None,
            color: true,
            size: (80, 24),
            failed: false,
            replay: false,
            feed_scroll: 0,
            next_mission: None,
            programs: Vec::new(),
            drafts: BTreeMap::new(),
            uploading: None,
            edited: None,
            console: false,
            following: None,
            scorecard: None,
            projections,
        }
    }

    /// The mission's state, in a colony game.
    pub fn mission(&self) -> Option<&MissionStatus> {
        self.projections.colony.economy.as_ref().map(|e| &e.mission)
    }

    /// A live screen opening on a game: the briefing first for a colony game not yet begun,
    /// the outcome for one already over.
    pub fn opened(mut self) -> App {
        let c = &self.projections.colony;
        match self.mission() {
            Some(MissionStatus::Won { .. } | MissionStatus::Lost { .. }) => {
                self.mode = Mode::Outcome
            }
            Some(MissionStatus::Running) if c.tick == 0 => self.mode = Mode::Briefing,
            _ => {}
        }
        self.resumed()
    }

    /// A game opened again: paused where it was left, the cursor on the last site the player
    /// planted, so the player finds their bearings before anything moves.
    pub fn resumed(mut self) -> App {
        let c = &self.projections.colony;
        if let Some(last) = self.projections.buildings.rows().next_back() {
            self.cursor = (last.x, last.y);
        }
        if !c.stopped && c.tick > 0 {
            self.paused = true;
            self.say(
                format!(
                    "paused at tick {}, where you left it: space to resume",
                    c.tick
                ),
                false,
            );
        }
        self.follow_cursor();
        self
    }

    /// Why the game loop is held, if it is: the player paused it, or something is open over the
    /// map (strategy games stop the clock behind their menus).
    pub fn held(&self) -> Option<&'static str> {
        if self.projections.colony.stopped {
            Some("stopped")
        } else if self.failed {
            Some("the save failed")
        } else if self.paused {
            Some("paused")
        } else if self.mode != Mode::Map {
            Some("paused while this is open")
        } else {
            None
        }
    }

    pub fn tick(&self) -> Tick {
        self.projections.colony.tick
    }

    pub fn control(&self) -> Control {
        let (num, den, _) = SPEEDS[self.speed];
        Control {
            paused: self.held().is_some(),
            period_ms: (num > 0).then(|| (self.base_tick_ms * den / num).max(1)),
        }
    }

    pub fn speed_label(&self) -> &'static str {
        SPEEDS[self.speed].2
    }

    /// `hq-1`, `hq-2`, ...: the first free id for a building of this type.
    pub fn next_building_id(&self, building_type: &str) -> Option<BuildingId> {
        let taken = |id: &BuildingId| self.projections.buildings.get(id).is_some();
        (1..=u32::MAX)
            .map(|n| BuildingId::parse(&format!("{building_type}-{n}")))
            .find_map(|id| id.ok().filter(|id| !taken(id)))
    }

    /// The robot under the cursor, if any.
    pub fn robot(&self) -> Option<&RobotRow> {
        let (x, y) = self.cursor;
        self.projections.robots.at(x, y)
    }

    /// `r1`, `r2`, ...: the first id no robot has or was ordered with.
    pub fn next_robot_id(&self) -> Option<RobotId> {
        let robots = &self.projections.robots;
        let taken = |id: &RobotId| {
            robots.robots.contains_key(id) || robots.ordered.iter().any(|(r, _)| r == id)
        };
        (1..=u32::MAX)
            .map(|n| RobotId::parse(&format!("r{n}")))
            .find_map(|id| id.ok().filter(|id| !taken(id)))
    }

    fn upload(&mut self, robot: RobotId, program: ProgramSource) -> Vec<Effect> {
        if self.failed {
            self.say("the save cannot be written; nothing more can be sent", true);
            return Vec::new();
        }
        self.say(format!("giving {robot} {}...", program.name), false);
        self.uploading = Some(robot.clone());
        vec![Effect::Send(Command::Robot(RobotCommand::UploadProgram {
            robot_id: robot,
            name: program.name,
            source: program.source,
            tick: 0,
        }))]
    }

    pub fn say(&mut self, text: impl Into<String>, error: bool) {
        let at = self.tick();
        self.status = Some(Status {
            at,
            text: text.into(),
            error,
        });
    }

    /// Puts the cursor on the robot after the one under it, in id order, and keeps it there as
    /// the robot moves.
    pub fn follow_next_robot(&mut self) {
        let robots = &self.projections.robots.robots;
        let here = self.robot().map(|r| r.id.clone());
        let next = match here {
            Some(id) => robots
                .range((std::ops::Bound::Excluded(id), std::ops::Bound::Unbounded))
                .next()
                .or_else(|| robots.iter().next()),
            None => robots.iter().next(),
        };
        match next.map(|(id, r)| (id.clone(), (r.x, r.y))) {
            Some((id, at)) => {
                self.following = Some(id);
                self.cursor = at;
                self.follow_cursor();
            }
            None => self.say("this colony has no robots", true),
        }
    }

    /// The cursor keeps up with the robot it follows, wherever the projections now put it.
    pub fn keep_up_with_robot(&mut self) {
        let followed = self.following.as_ref().and_then(|id| {
            let r = self.projections.robots.robots.get(id)?;
            Some((r.x, r.y))
        });
        if let Some(at) = followed {
            self.cursor = at;
            self.follow_cursor();
        }
    }

    /// Moves the cursor by hand, which stops it following a robot.
    pub fn move_cursor(&mut self, dx: i32, dy: i32) {
        self.following = None;
        let c = &self.projections.colony;
        let clamp = |v: i32, max: u16| v.clamp(0, i32::from(max.saturating_sub(1))) as u16;
        self.cursor = (
            clamp(i32::from(self.cursor.0) + dx, c.width),
            clamp(i32::from(self.cursor.1) + dy, c.height),
        );
        self.follow_cursor();
    }

    /// Scrolls just enough to keep the cursor in view, and never further than the map's far
    /// edge, so a terminal that grows shows more map, not blank space.
    pub fn follow_cursor(&mut self) {
        let Some(areas) = self.areas() else {
            return;
        };
        let (w, h) = areas.visible_tiles();
        let c = &self.projections.colony;
        let follow = |scroll: u16, cursor: u16, visible: u16, size: u16| {
            let scroll = if visible == 0 || cursor < scroll {
                cursor
            } else if cursor >= scroll + visible {
                cursor + 1 - visible
            } else {
                scroll
            };
            scroll.min(size.saturating_sub(visible))
        };
        self.scroll = (
            follow(self.scroll.0, self.cursor.0, w, c.width),
            follow(self.scroll.1, self.cursor.1, h, c.height),
        );
    }

    /// Where the map's tiles are drawn: the visible part, centred in the map's panel when the
    /// map is smaller than it.
    pub fn map_view(&self) -> Option<MapView> {
        let areas = self.areas()?;
        let inner = areas.map_inner();
        let (cols, rows) = areas.visible_tiles();
        let c = &self.projections.colony;
        let cols = cols.min(c.width.saturating_sub(self.scroll.0));
        let rows = rows.min(c.height.saturating_sub(self.scroll.1));
        Some(MapView {
            x: inner.x + (inner.width - cols * TILE_WIDTH) / 2,
            y: inner.y + (inner.height - rows) / 2,
            cols,
            rows,
        })
    }

    /// Where everything goes at the current terminal size; `None` when it is too small.
    pub fn areas(&self) -> Option<Areas> {
        Areas::new(
            Rect::new(0, 0, self.size.0, self.size.1),
            self.replay,
            self.projections.colony.economy.is_some(),
        )
    }

    /// The tile under a screen cell, if the cell is on the map.
    pub fn tile_at(&self, column: u16, row: u16) -> Option<(u16, u16)> {
        let view = self.map_view()?;
        let inside = column >= view.x
            && row >= view.y
            && column < view.x + view.cols * TILE_WIDTH
            && row < view.y + view.rows;
        inside.then(|| {
            (
                self.scroll.0 + (column - view.x) / TILE_WIDTH,
                self.scroll.1 + (row - view.y),
            )
        })
    }

    /// Whether a screen cell is on the feed, for the mouse wheel.
    pub fn on_feed(&self, row: u16) -> bool {
        self.areas()
            .is_some_and(|a| row >= a.feed.y && row < a.feed.y + a.feed.height)
    }

    pub fn scroll_feed(&mut self, lines: i32) {
        let shown = if self.console {
            self.projections.robots.console().len()
        } else {
            self.projections.feed.lines().len()
        };
        let most = shown.saturating_sub(1);
        let scrolled = self.feed_scroll as i64 + i64::from(lines);
        self.feed_scroll = scrolled.clamp(0, most as i64) as usize;
    }

    fn plant(&mut self, index: usize) -> Vec<Effect> {
        self.mode = Mode::Map;
        let mut effects = vec![Effect::Control(self.control())];
        let Some(kind) = self.projections.colony.catalogue.get(index).cloned() else {
            return effects;
        };
        if self.failed {
            self.say(
                "the save cannot be written; nothing more can be built",
                true,
            );
            return effects;
        }
        let Some(building_id) = self.next_building_id(&kind.key) else {
            return effects;
        };
        let (x, y) = self.cursor;
        self.say(
            format!("planting {} {building_id} at ({x},{y})...", kind.name),
            false,
        );
        effects.push(Effect::Send(Command::Game(GameCommand::PlantSite(
            PlantSite {
                building_id,
                building_type: kind.key,
                x: i32::from(x),
                y: i32::from(y),
                player: None,
                work_ticks: None,
            },
        ))));
        effects
    }

    /// What the program menu offers for `purpose`: the program last written in the editor,
    /// the shipped ones, and for a robot ordered, none at all.
    pub fn choices(&self, purpose: &Purpose) -> Vec<Choice> {
        let mut choices: Vec<Choice> = self.edited.iter().cloned().map(Choice::Program).collect();
        choices.extend(self.programs.iter().cloned().map(Choice::Program));
        if let Purpose::Order(_) = purpose {
            choices.push(Choice::Idle);
        }
        choices
    }

    /// The robots a program given with `scope` goes to, in id order.
    pub fn robots_for(&self, scope: Scope) -> Vec<RobotId> {
        let robots = &self.projections.robots.robots;
        let here = self.robot();
        match (scope, here) {
            (Scope::All, _) => robots.keys().cloned().collect(),
            (Scope::Same, Some(here)) => robots
                .values()
                .filter(|r| r.program == here.program)
                .map(|r| r.id.clone())
                .collect(),
            (_, here) => here.map(|r| r.id.clone()).into_iter().collect(),
        }
    }

    /// The choice at `index` of the program menu, for what it is for.
    fn give(&mut self, index: usize) -> Vec<Effect> {
        let Mode::ProgramMenu { purpose, .. } = self.mode.clone() else {
            return Vec::new();
        };
        self.mode = Mode::Map;
        let mut effects = vec![Effect::Control(self.control())];
        let Some(choice) = self.choices(&purpose).get(index).cloned() else {
            return effects;
        };
        if self.failed {
            self.say("the save cannot be written; nothing more can be sent", true);
            return effects;
        }
        match (purpose, choice) {
            (Purpose::Give(scope), Choice::Program(program)) => {
                let robots = self.robots_for(scope);
                if robots.len() > 1 {
                    self.say(
                        format!("giving {} robots {}...", robots.len(), program.name),
                        false,
                    );
                }
                for robot in robots {
                    effects.push(Effect::Send(Command::Robot(RobotCommand::UploadProgram {
                        robot_id: robot,
                        name: program.name.clone(),
                        source: program.source.clone(),
                        tick: 0,
                    })));
                }
            }
            (Purpose::Give(_), Choice::Idle) => {}
            (Purpose::Order(factory), choice) => {
                let program = match choice {
                    Choice::Program(p) => Some(p),
                    Choice::Idle => None,
                };
                if let Some(robot_id) = self.next_robot_id() {
                    self.say(
                        format!("ordering robot {robot_id} from {factory}..."),
                        false,
                    );
                    effects.push(Effect::Send(Command::Game(GameCommand::OrderRobot {
                        robot_id,
                        factory,
                        program,
                    })));
                }
            }
        }
        effects
    }

    /// The source a robot runs, as far as the screen knows it: the shipped program of that
    /// name, or a comment saying where to start.
    fn programs_source(&self, row: &RobotRow) -> String {
        let shipped = row
            .program
            .as_ref()
            .and_then(|(name, _)| self.programs.iter().find(|p| p.name == *name));
        match shipped {
            Some(p) => p.source.clone(),
            None => format!(
                "// {}'s program. It runs once a tick; its last value is what the robot does.\n\
                 // docs/robots.md lists everything a program can read and do.\nwait()\n",
                row.id
            ),
        }
    }

    /// A robot from the factory under the cursor: from ruleset 2 the program menu asks what
    /// it runs, the builder first; before, it comes out idle.
    fn order(&mut self) -> Vec<Effect> {
        let (x, y) = self.cursor;
        let factory = self
            .projections
            .colony
            .economy
            .as_ref()
            .and_then(|e| e.rules.robots.as_ref())
            .map(|r| r.factory.clone());
        let row = self
            .projections
            .buildings
            .at(x, y)
            .map(|r| (r.id.clone(), r.building_type.clone()));
        match (factory, row) {
            (None, _) => self.say("this colony has no robots", true),
            (Some(kind), Some((id, building_type))) if building_type == kind => {
                if self.projections.colony.ruleset >= 2 {
                    let purpose = Purpose::Order(id);
                    let selected = self
                        .choices(&purpose)
                        .iter()
                        .position(|c| matches!(c, Choice::Program(p) if p.name == "builder"))
                        .unwrap_or(0);
                    self.mode = Mode::ProgramMenu { selected, purpose };
                    return vec![Effect::Control(self.control())];
                }
                if let Some(robot_id) = self.next_robot_id() {
                    self.say(format!("ordering robot {robot_id} from {id}..."), false);
                    return vec![Effect::Send(Command::Game(GameCommand::OrderRobot {
                        robot_id,
                        factory: id,
                        program: None,
                    }))];
                }
            }
            (Some(_), _) => self.say(
                "move the cursor onto a robot factory to order a robot",
                true,
            ),
        }
        Vec::new()
    }

    /// The building under the cursor, for the controls that came with ruleset 2; says why
    /// not when there is none or the game is older.
    fn steered(&mut self, what: &str) -> Option<crate::domain::projection::buildings::BuildingRow> {
        let (x, y) = self.cursor;
        let ruleset = self.projections.colony.ruleset;
        if ruleset < 2 {
            self.say(
                format!("this game keeps ruleset {ruleset}, which has no {what}: a new game has"),
                true,
            );
            return None;
        }
        let row = self.projections.buildings.at(x, y).cloned();
        if row.is_none() {
            self.say("move the cursor onto a building or a site", true);
        }
        row
    }

    fn send(&mut self, command: Command) -> Vec<Effect> {
        if self.failed {
            self.say("the save cannot be written; nothing more can be sent", true);
            return Vec::new();
        }
        vec![Effect::Send(command)]
    }

    fn act(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Move(dx, dy) => self.move_cursor(dx, dy),
            Action::MoveTo(x, y) => {
                self.following = None;
                self.cursor = (x, y);
                self.follow_cursor();
            }
            Action::OpenBuildMenu => {
                let (x, y) = self.cursor;
                let c = &self.projections.colony;
                let terrain = c.terrain_at(x, y);
                let bare = c
                    .economy
                    .as_ref()
                    .is_some_and(|e| !e.rules.economy.iter().any(|k| k.terrain.contains(&terrain)));
                match self.projections.buildings.at(x, y) {
                    Some(row) => {
                        self.say(format!("tile ({x},{y}) is taken by {}", row.id), true);
                    }
                    None if bare => {
                        self.say(format!("nothing can stand on {}", terrain.name()), true);
                    }
                    None => {
                        self.mode = Mode::BuildMenu { selected: 0 };
                        return vec![Effect::Control(self.control())];
                    }
                }
            }
            Action::MenuMove(delta) => {
                let count = match &self.mode {
                    Mode::ProgramMenu { purpose, .. } => self.choices(purpose).len(),
                    _ => self.projections.colony.catalogue.len(),
                };
                if let Mode::BuildMenu { selected } | Mode::ProgramMenu { selected, .. } =
                    &mut self.mode
                {
                    let count = count.max(1) as i32;
                    *selected = (*selected as i32 + delta).rem_euclid(count) as usize;
                }
            }
            Action::MenuPick(index) => match self.mode {
                Mode::ProgramMenu { .. } => return self.give(index),
                _ if index < self.projections.colony.catalogue.len() => {
                    return self.plant(index);
                }
                _ => {}
            },
            Action::Confirm => match self.mode {
                Mode::BuildMenu { selected } => return self.plant(selected),
                Mode::ProgramMenu { selected, .. } => return self.give(selected),
                _ => {}
            },
            Action::CycleScope => {
                if let Mode::ProgramMenu {
                    purpose: Purpose::Give(scope),
                    ..
                } = &mut self.mode
                {
                    *scope = scope.next();
                }
            }
            Action::ToggleSwitch => {
                let Some(row) = self.steered("switches") else {
                    return Vec::new();
                };
                if !row.ready {
                    self.say(
                        format!("{} is still a site: u marks it urgent instead", row.id),
                        true,
                    );
                    return Vec::new();
                }
                return self.send(Command::Building(BuildingCommand::Switch {
                    building_id: row.id,
                    on: !row.on,
                    tick: 0,
                }));
            }
            Action::ToggleUrgent => {
                let Some(row) = self.steered("urgent sites") else {
                    return Vec::new();
                };
                if row.ready {
                    self.say(
                        format!(
                            "{} is built: only a site can be urgent (x switches it)",
                            row.id
                        ),
                        true,
                    );
                    return Vec::new();
                }
                return self.send(Command::Building(BuildingCommand::MarkUrgent {
                    building_id: row.id,
                    urgent: !row.urgent,
                    tick: 0,
                }));
            }
            Action::Demolish => {
                if let Some(row) = self.steered("taking down") {
                    self.mode = Mode::ConfirmDemolish { building: row.id };
                    return vec![Effect::Control(self.control())];
                }
            }
            Action::Yes => {
                if let Mode::ConfirmDemolish { building } = self.mode.clone() {
                    self.mode = Mode::Map;
                    let mut effects = vec![Effect::Control(self.control())];
                    effects.extend(self.send(Command::Building(BuildingCommand::Demolish {
                        building_id: building,
                        tick: 0,
                    })));
                    return effects;
                }
            }
            Action::ToggleStatistics => {
                if self.projections.colony.economy.is_none() {
                    self.say("a classic game keeps no statistics", true);
                    return Vec::new();
                }
                self.mode = Mode::Statistics;
                return vec![Effect::Control(self.control())];
            }
            Action::OpenProgramMenu => match self.robot() {
                None => self.say("move the cursor onto a robot (tab goes to the next)", true),
                Some(_) if self.programs.is_empty() => {
                    self.say("no programs shipped with this game were found", true)
                }
                Some(_) => {
                    self.mode = Mode::ProgramMenu {
                        selected: 0,
                        purpose: Purpose::Give(Scope::One),
                    };
                    return vec![Effect::Control(self.control())];
                }
            },
            Action::EditProgram => {
                let Some(row) = self.robot() else {
                    self.say("move the cursor onto a robot (tab goes to the next)", true);
                    return Vec::new();
                };
                let robot = row.id.clone();
                let program = self.drafts.get(&robot).cloned().unwrap_or_else(|| {
                    let name = row.program.as_ref().map_or("program", |(n, _)| n.as_str());
                    ProgramSource {
                        name: name.to_owned(),
                        source: self.programs_source(row),
                    }
                });
                return vec![Effect::Edit { robot, program }];
            }
            Action::OrderRobot => return self.order(),
            Action::NextRobot => self.follow_next_robot(),
            Action::ToggleConsole => {
                self.console = !self.console;
                self.feed_scroll = 0;
            }
            Action::Back => {
                // A key that closes what is open never quits: one press too many is harmless.
                if self.mode == Mode::Map {
                    self.say("nothing is open; q quits", false);
                    return Vec::new();
                }
                self.mode = Mode::Map;
                return vec![Effect::Control(self.control())];
            }
            Action::ScrollFeed(lines) => self.scroll_feed(lines),
            Action::TogglePause => {
                if self.projections.colony.stopped {
                    self.say("this game has stopped; it cannot resume", true);
                } else {
                    self.paused = !self.paused;
                    return vec![Effect::Control(self.control())];
                }
            }
            Action::Faster | Action::Slower => {
                let faster = action == Action::Faster;
                self.speed = if faster {
                    (self.speed + 1).min(SPEEDS.len() - 1)
                } else {
                    self.speed.saturating_sub(1)
                };
                return vec![Effect::Control(self.control())];
            }
            Action::ToggleBell => {
                self.bell = !self.bell;
                let state = if self.bell { "on" } else { "off" };
                self.say(format!("bell on completion {state}"), false);
            }
            Action::ToggleHelp => {
                self.mode = if matches!(self.mode, Mode::Help { .. }) {
                    Mode::Map
                } else {
                    Mode::Help { scroll: 0, page: 0 }
                };
                return vec![Effect::Control(self.control())];
            }
            Action::HelpScroll(rows) => {
                if let Mode::Help { scroll, .. } = &mut self.mode {
                    *scroll = scroll.saturating_add_signed(rows).min(keys::HELP_ROWS_MAX);
                }
            }
            Action::HelpPage => {
                if let Mode::Help { scroll, page } = &mut self.mode {
                    *page = 1 - *page;
                    *scroll = 0;
                }
            }
            Action::ShowBriefing => {
                if self.projections.colony.economy.is_some() {
                    self.mode = Mode::Briefing;
                    return vec![Effect::Control(self.control())];
                }
            }
            Action::NextMission => {
                let won = matches!(self.mission(), Some(MissionStatus::Won { .. }));
                if let (true, Some((id, _))) = (won, &self.next_mission) {
                    return vec![Effect::Next(id.clone())];
                }
            }
            Action::Retry => {
                let ended = !matches!(self.mission(), None | Some(MissionStatus::Running));
                if let (true, Some(e)) = (ended, &self.projections.colony.economy) {
                    return vec![Effect::Next(e.rules.mission.id.clone())];
                }
            }
            Action::Quit => return vec![Effect::Quit],
        }
        Vec::new()
    }

    fn committed(&mut self, events: &[RecordedEvent]) -> Vec<Effect> {
        let mut effects = Vec::new();
        for recorded in events {
            let event = &recorded.event;
            let lines = self.projections.feed.lines().len();
            self.projections.apply(event);
            // A feed scrolled back stays on the lines the player is reading.
            if self.feed_scroll > 0 && self.projections.feed.lines().len() > lines {
                self.scroll_feed(1);
            }
            match event {
                Event::ConstructionCompleted(e) => {
                    self.flash = Some(e.tick);
                    self.say(format!("{} is complete", e.building_id), false);
                    if self.bell {
                        effects.push(Effect::Bell);
                    }
                }
                Event::SitePlanted(e) if recorded.metadata.source == Source::Player => {
                    let name = self
                        .projections
                        .colony
                        .kind(&e.building_type)
                        .map_or(e.building_type.as_str(), |k| k.name.as_str());
                    // In a colony the work starts only when materials and workers arrive.
                    let workers =
                        self.projections
                            .colony
                            .economy
                            .as_ref()
                            .map(|e| match e.rules.robots {
                                Some(_) => "robots",
                                None => "a crew",
                            });
                    let when = if let Some(workers) = workers {
                        format!(
                            "{} ticks of work once its materials and {workers} reach it",
                            e.work_required
                        )
                    } else {
                        format!("ready at tick {}", e.tick + u64::from(e.work_required))
                    };
                    self.say(
                        format!(
                            "planted {name} {} at ({},{}): {when}",
                            e.building_id, e.x, e.y
                        ),
                        false,
                    );
                }
                Event::GameStopped(_) => {
                    self.paused = true;
                    self.say("the game has stopped", false);
                }
                Event::ProgramUploaded(e) if recorded.metadata.source == Source::Player => {
                    self.drafts.remove(&e.robot_id);
                    self.say(format!("{} runs {}", e.robot_id, e.name), false);
                }
                Event::RobotOrdered(e) => {
                    self.say(
                        format!(
                            "{} ordered: it comes out of {} once the store can pay",
                            e.robot_id, e.factory
                        ),
                        false,
                    );
                }
                Event::RobotOrderedV2(e) => {
                    let running = e
                        .program
                        .as_ref()
                        .map_or_else(|| "idle".to_owned(), |p| format!("running {}", p.name));
                    self.say(
                        format!(
                            "{} ordered: it comes out of {} {running} once the store can pay",
                            e.robot_id, e.factory
                        ),
                        false,
                    );
                }
                Event::BuildingSwitched(e) => {
                    let state = if e.on {
                        "on: it works again"
                    } else {
                        "off: it makes and uses nothing until x switches it on"
                    };
                    self.say(format!("{} switched {state}", e.building_id), false);
                }
                Event::SiteMarkedUrgent(e) => {
                    let state = if e.urgent {
                        "urgent: its materials come first, and builders go to it first"
                    } else {
                        "no longer urgent"
                    };
                    self.say(format!("{} is {state}", e.building_id), false);
                }
                Event::MaterialsReclaimed(e) => {
                    let back = if e.stock.is_empty() {
                        "nothing came back".to_owned()
                    } else {
                        format!("{} back in store", crate::present::amounts(&e.stock))
                    };
                    self.say(format!("{} taken down: {back}", e.building_id), false);
                }
                Event::RobotFaulted(e) => {
                    self.say(
                        format!(
                            "{} faulted: {} (e to mend its program)",
                            e.robot_id, e.message
                        ),
                        true,
                    );
                }
                Event::MissionWon(_) | Event::MissionLost(_) => {
                    self.mode = Mode::Outcome;
                    effects.push(Effect::Score);
                    if self.bell {
                        effects.push(Effect::Bell);
                    }
                }
                _ => {}
            }
        }
        self.keep_up_with_robot();
        effects.dedup();
        effects
    }
}

pub fn update(mut app: App, msg: Msg) -> (App, Vec<Effect>) {
    let effects = match msg {
        Msg::Key(key) => match keys::action(&app.mode, key) {
            Some(action) => app.act(action),
            None => Vec::new(),
        },
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            ..
        }) => match app.tile_at(column, row) {
            Some((x, y)) if app.mode == Mode::Map => app.act(Action::MoveTo(x, y)),
            _ => Vec::new(),
        },
        Msg::Mouse(MouseEvent { kind, row, .. }) if app.on_feed(row) => {
            match kind {
                MouseEventKind::ScrollUp => app.scroll_feed(1),
                MouseEventKind::ScrollDown => app.scroll_feed(-1),
                _ => {}
            }
            Vec::new()
        }
        Msg::Mouse(_) => Vec::new(),
        Msg::Resize(w, h) => {
            app.size = (w, h);
            app.follow_cursor();
            Vec::new()
        }
        Msg::Committed(events) => app.committed(&events),
        Msg::Rejected { source, rejection } => {
            let text = match source {
                Source::Player => match (&rejection, app.uploading.take()) {
                    (Rejection::ProgramInvalid { .. }, Some(robot)) => {
                        format!("{robot} keeps its program: {rejection} (e to fix it)")
                    }
                    _ => format!("cannot do that: {rejection}"),
                },
                _ => format!("the game loop stopped: {rejection}"),
            };
            app.say(text, true);
            Vec::new()
        }
        Msg::Failed(reason) => {
            app.failed = true;
            app.say(format!("the save cannot be written: {reason}"), true);
            vec![Effect::Control(app.control())]
        }
        Msg::Edited { robot, program } => {
            app.drafts.insert(robot.clone(), program.clone());
            if crate::domain::program::compile(&program.source).is_ok() {
                app.edited = Some(program.clone());
            }
            app.upload(robot, program)
        }
        Msg::EditFailed(reason) => {
            app.say(format!("cannot edit: {reason}"), true);
            Vec::new()
        }
        Msg::Unedited(robot) => {
            app.say(format!("{robot}'s program was left as it was"), false);
            Vec::new()
        }
        Msg::Scored(card) => {
            app.scorecard = Some(card);
            Vec::new()
        }
    };
    (app, effects)
}
