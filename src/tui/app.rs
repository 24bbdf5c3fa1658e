//! The live screen's state and its one pure transition: `update(app, msg) -> (app, effects)`.
//!
//! Everything that happens to the screen arrives as a [`Msg`]: a key, a click, a new size, or
//! events the log committed. Everything the screen wants done leaves as an [`Effect`] for the
//! shell to perform. Nothing here reads a clock or touches the terminal.

use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::keys;
use super::layout::{Areas, TILE_WIDTH};
use crate::domain::command::{Command, GameCommand, PlantSite};
use crate::domain::event::Event;
use crate::domain::ids::{BuildingId, Tick};
use crate::domain::projection::Projections;
use crate::domain::rejection::Rejection;
use crate::engine::envelope::{RecordedEvent, Source};

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
pub enum Mode {
    Map,
    BuildMenu { selected: usize },
    Help,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Status {
    pub text: String,
    pub error: bool,
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
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Action {
    Move(i32, i32),
    MoveTo(u16, u16),
    OpenBuildMenu,
    MenuMove(i32),
    MenuPick(usize),
    Confirm,
    Cancel,
    TogglePause,
    Faster,
    Slower,
    ToggleBell,
    ToggleHelp,
    Quit,
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
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct App {
    pub save_name: String,
    pub projections: Projections,
    pub cursor: (u16, u16),
    /// The top-left tile shown, so that large maps scroll with the cursor.
    pub scroll: (u16, u16),
    pub mode: Mode,
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
                text: "this game has stopped; it can be looked at, not played".into(),
                error: false,
            }),
            bell: true,
            flash: None,
            color: true,
            size: (80, 24),
            failed: false,
            replay: false,
            projections,
        }
    }

    pub fn tick(&self) -> Tick {
        self.projections.colony.tick
    }

    pub fn control(&self) -> Control {
        let (num, den, _) = SPEEDS[self.speed];
        Control {
            paused: self.paused || self.failed || self.projections.colony.stopped,
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

    pub fn say(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some(Status {
            text: text.into(),
            error,
        });
    }

    pub fn move_cursor(&mut self, dx: i32, dy: i32) {
        let c = &self.projections.colony;
        let clamp = |v: i32, max: u16| v.clamp(0, i32::from(max.saturating_sub(1))) as u16;
        self.cursor = (
            clamp(i32::from(self.cursor.0) + dx, c.width),
            clamp(i32::from(self.cursor.1) + dy, c.height),
        );
        self.follow_cursor();
    }

    /// Scrolls just enough to keep the cursor in view.
    pub fn follow_cursor(&mut self) {
        let Some(areas) = self.areas() else {
            return;
        };
        let (w, h) = areas.visible_tiles();
        let follow = |scroll: u16, cursor: u16, visible: u16| {
            if visible == 0 || cursor < scroll {
                cursor
            } else if cursor >= scroll + visible {
                cursor + 1 - visible
            } else {
                scroll
            }
        };
        self.scroll = (
            follow(self.scroll.0, self.cursor.0, w),
            follow(self.scroll.1, self.cursor.1, h),
        );
    }

    /// Where everything goes at the current terminal size; `None` when it is too small.
    pub fn areas(&self) -> Option<Areas> {
        Areas::new(Rect::new(0, 0, self.size.0, self.size.1), self.replay)
    }

    /// The tile under a screen cell, if the cell is on the map.
    pub fn tile_at(&self, column: u16, row: u16) -> Option<(u16, u16)> {
        let inner = self.areas()?.map_inner();
        let inside = column >= inner.x
            && row >= inner.y
            && column < inner.x + inner.width
            && row < inner.y + inner.height;
        if !inside {
            return None;
        }
        let x = self.scroll.0 + (column - inner.x) / TILE_WIDTH;
        let y = self.scroll.1 + (row - inner.y);
        let c = &self.projections.colony;
        (x < c.width && y < c.height).then_some((x, y))
    }

    fn plant(&mut self, index: usize) -> Vec<Effect> {
        self.mode = Mode::Map;
        let Some(kind) = self.projections.colony.catalogue.get(index).cloned() else {
            return Vec::new();
        };
        if self.failed {
            self.say(
                "the save cannot be written; nothing more can be built",
                true,
            );
            return Vec::new();
        }
        let Some(building_id) = self.next_building_id(&kind.key) else {
            return Vec::new();
        };
        let (x, y) = self.cursor;
        self.say(
            format!("planting {} {building_id} at ({x},{y})...", kind.name),
            false,
        );
        vec![Effect::Send(Command::Game(GameCommand::PlantSite(
            PlantSite {
                building_id,
                building_type: kind.key,
                x: i32::from(x),
                y: i32::from(y),
                player: None,
                work_ticks: None,
            },
        )))]
    }

    fn act(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Move(dx, dy) => self.move_cursor(dx, dy),
            Action::MoveTo(x, y) => {
                self.cursor = (x, y);
                self.follow_cursor();
            }
            Action::OpenBuildMenu => self.mode = Mode::BuildMenu { selected: 0 },
            Action::MenuMove(delta) => {
                if let Mode::BuildMenu { selected } = &mut self.mode {
                    let count = self.projections.colony.catalogue.len().max(1) as i32;
                    *selected = (*selected as i32 + delta).rem_euclid(count) as usize;
                }
            }
            Action::MenuPick(index) => {
                if index < self.projections.colony.catalogue.len() {
                    return self.plant(index);
                }
            }
            Action::Confirm => {
                if let Mode::BuildMenu { selected } = self.mode {
                    return self.plant(selected);
                }
            }
            Action::Cancel => {
                if self.mode == Mode::Map {
                    self.status = None;
                }
                self.mode = Mode::Map;
            }
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
                self.mode = if self.mode == Mode::Help {
                    Mode::Map
                } else {
                    Mode::Help
                };
            }
            Action::Quit => return vec![Effect::Quit],
        }
        Vec::new()
    }

    fn committed(&mut self, events: &[RecordedEvent]) -> Vec<Effect> {
        let mut effects = Vec::new();
        for recorded in events {
            let event = &recorded.event;
            self.projections.apply(event);
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
                    self.say(
                        format!(
                            "planted {name} {} at ({},{}): ready at tick {}",
                            e.building_id,
                            e.x,
                            e.y,
                            e.tick + u64::from(e.work_required)
                        ),
                        false,
                    );
                }
                Event::GameStopped(_) => {
                    self.paused = true;
                    self.say("the game has stopped", false);
                }
                _ => {}
            }
        }
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
        Msg::Mouse(_) => Vec::new(),
        Msg::Resize(w, h) => {
            app.size = (w, h);
            app.follow_cursor();
            Vec::new()
        }
        Msg::Committed(events) => app.committed(&events),
        Msg::Rejected { source, rejection } => {
            let text = match source {
                Source::Player => format!("cannot do that: {rejection}"),
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
    };
    (app, effects)
}
