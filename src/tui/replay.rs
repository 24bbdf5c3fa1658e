//! The playback screen's state and its pure transition, `update(replay, msg)`.
//!
//! It shows the world as of one tick. Moving in time is an effect ([`ReplayEffect::Seek`]): the
//! shell seeks and answers with an [`Arrival`], so nothing here reads the log or a clock.

use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};

use super::actions::{ReplayAction, ReplayMode};
use super::app::App;
use super::keys;
use crate::domain::ids::{RobotId, Tick};
use crate::domain::projection::Projections;
use crate::domain::projection::feed::describe;
use crate::domain::subject::Subject;
use crate::engine::envelope::RecordedEvent;
use crate::study::trace::Report;
use crate::study::whatif::WhatIf;

/// The longest expression the console takes.
const MAX_EXPRESSION: usize = 200;

/// Playback speeds, in ticks a second.
pub const SPEEDS: &[(u64, u64, &str)] = &[
    (1, 4, "0.25x"),
    (1, 2, "0.5x"),
    (1, 1, "1x"),
    (2, 1, "2x"),
    (4, 1, "4x"),
    (8, 1, "8x"),
    (16, 1, "16x"),
    (32, 1, "32x"),
    (64, 1, "64x"),
    (256, 1, "256x"),
    (1000, 1, "1000x"),
];
const NORMAL_SPEED: usize = 2;

/// What the timeline can mark and `[`/`]` jump between: a label and the event types it takes
/// in (one fact recorded in two schemas counts as one kind).
pub struct MarkKind {
    pub label: &'static str,
    pub takes: fn(&str) -> bool,
}

/// Whether an event is worth stopping at: everything but the ticks themselves, the progress
/// each tick makes and a robot's routine (its steps, digs, loads, work, charging, waits and
/// messages, which in a robot game happen every tick): what a robot said and how it faulted
/// still are.
pub fn notable(event_type: &str) -> bool {
    !matches!(
        event_type,
        "gameloop_advanced"
            | "construction_progressed"
            | "colony_ticked"
            | "colony_ticked_v2"
            | "colony_founded"
            | "tile_cleared"
            | "robot_sent"
            | "robot_moved"
            | "robot_mined"
            | "robot_picked_up"
            | "robot_dropped"
            | "robot_worked"
            | "robot_charged"
            | "robot_waited"
    )
}

/// What a replay viewer of a colony game looks for: landings, brown-outs, deaths, the end.
fn colony_event(event_type: &str) -> bool {
    matches!(
        event_type,
        "colonists_landed"
            | "ship_departed"
            | "power_short"
            | "power_restored"
            | "colonist_died"
            | "mission_won"
            | "mission_lost"
    )
}

pub const MARK_KINDS: &[MarkKind] = &[
    MarkKind {
        label: "anything notable",
        takes: notable,
    },
    MarkKind {
        label: "colony events",
        takes: colony_event,
    },
    MarkKind {
        label: "colonists landed or lost",
        takes: |t| matches!(t, "colonists_landed" | "ship_departed" | "colonist_died"),
    },
    MarkKind {
        label: "brown-outs",
        takes: |t| matches!(t, "power_short" | "power_restored"),
    },
    MarkKind {
        label: "what robots said",
        takes: |t| t == "robot_said",
    },
    MarkKind {
        label: "robot faults",
        takes: |t| t == "robot_faulted",
    },
    MarkKind {
        label: "completions",
        takes: |t| t == "construction_completed",
    },
    MarkKind {
        label: "sites planted",
        takes: |t| t == "site_planted",
    },
    MarkKind {
        label: "switched, urgent or taken down",
        takes: |t| {
            matches!(
                t,
                "building_switched" | "site_marked_urgent" | "building_demolished"
            )
        },
    },
    MarkKind {
        label: "robots ordered",
        takes: |t| matches!(t, "robot_ordered" | "robot_ordered_v2"),
    },
    MarkKind {
        label: "buildings spawned",
        takes: |t| matches!(t, "building_spawned" | "building_spawned_v2"),
    },
    MarkKind {
        label: "the stop",
        takes: |t| t == "game_stopped",
    },
];

/// How much of the game the timeline spans: all of it, or a window around the current tick.
pub const ZOOMS: &[Option<u64>] = &[None, Some(1000), Some(100)];

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Panel {
    None,
    /// Every event of the current tick; the selected one is explained.
    Inspector {
        selected: usize,
    },
    /// What changed since the tick before.
    Diff,
    /// The colony's charts up to this tick.
    Statistics,
    /// Why a building or a robot is as it is: every event of its stream, up to this tick.
    History {
        subject: Subject,
        events: Vec<RecordedEvent>,
    },
    /// A robot's decision at this tick, traced; kept on that robot as time moves. The console
    /// holds each expression evaluated and what it gave.
    Trace {
        robot: RobotId,
        report: Result<Box<Report>, String>,
        /// Each expression, the tick it was asked at, and its value.
        console: Vec<(Tick, String, String)>,
    },
    /// A fix tried from a tick, set beside the game as it went.
    WhatIf(Box<WhatIf>),
}

/// The answer to a seek.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Arrival {
    pub tick: Tick,
    pub projections: Projections,
    /// As of the tick before, for the diff.
    pub previous: Projections,
    pub events: Vec<RecordedEvent>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ReplayMsg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// One period of the playback clock passed.
    Clock,
    Arrived(Box<Arrival>),
    /// The log grew (someone is playing it live): its new end and marks.
    Grew {
        end: Tick,
        marks: Vec<Vec<Tick>>,
    },
    History {
        subject: Subject,
        events: Vec<RecordedEvent>,
    },
    Traced {
        robot: RobotId,
        report: Result<Box<Report>, String>,
    },
    Evaluated {
        tick: Tick,
        expression: String,
        value: String,
    },
    /// A fix was tried: its comparison, or why it could not be.
    Tried(Result<Box<WhatIf>, String>),
    Failed(String),
    /// The keyframe cache the first frame came from disagrees with the log, as said.
    CacheDisagrees(String),
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ReplayEffect {
    Seek(Tick),
    /// Fetch every event of this building or robot, up to the tick.
    History {
        subject: Subject,
        to_tick: Tick,
    },
    /// Run the playback clock at this period, or stop it.
    Clock(Option<u64>),
    /// Copy the log up to this tick into a new save and play it.
    Branch(Tick),
    /// Run the robot's program again as the tick began, noting its workings.
    Trace {
        robot: RobotId,
        tick: Tick,
    },
    Evaluate {
        robot: RobotId,
        tick: Tick,
        expression: String,
    },
    /// Open the robot's program as of the tick in the editor; try what comes back from there.
    Fix {
        robot: RobotId,
        tick: Tick,
    },
    /// Stop using the keyframe cache and fold from the log (then a seek redraws).
    DropCache,
    Quit,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Replay {
    /// The world as of `tick`, drawn as live play draws it.
    pub app: App,
    pub tick: Tick,
    pub end: Tick,
    pub playing: bool,
    pub speed: usize,
    pub mode: ReplayMode,
    pub panel: Panel,
    /// Index into [`MARK_KINDS`].
    pub kind: usize,
    /// Index into [`ZOOMS`].
    pub zoom: usize,
    /// Raw JSON rather than sentences in the inspector and "why".
    pub raw: bool,
    /// While playing, go straight to the next tick with something notable.
    pub skip_quiet: bool,
    /// For each of [`MARK_KINDS`], the ticks it occurs on.
    pub marks: Vec<Vec<Tick>>,
    pub events: Vec<RecordedEvent>,
    pub previous: Projections,
}

impl Replay {
    pub fn new(mut app: App, end: Tick, marks: Vec<Vec<Tick>>) -> Replay {
        app.replay = true;
        app.status = None;
        Replay {
            tick: app.tick(),
            previous: app.projections.clone(),
            app,
            end,
            playing: false,
            speed: NORMAL_SPEED,
            mode: ReplayMode::Normal,
            panel: Panel::None,
            kind: 0,
            zoom: 0,
            raw: false,
            skip_quiet: false,
            marks,
            events: Vec::new(),
        }
    }

    /// An event as the panels show it: a sentence, or its raw data when asked for.
    pub fn told(&self, e: &RecordedEvent) -> String {
        if self.raw {
            return e.event.encode_data();
        }
        let names = self
            .app
            .projections
            .colony
            .catalogue
            .iter()
            .map(|k| (k.key.clone(), k.name.clone()))
            .collect();
        describe(&e.event, &names)
    }

    pub fn speed_label(&self) -> &'static str {
        SPEEDS[self.speed].2
    }

    pub fn following(&self) -> bool {
        self.tick == self.end
    }

    fn period_ms(&self) -> u64 {
        let (num, den, _) = SPEEDS[self.speed];
        1000 * den / num
    }

    fn clock(&self) -> ReplayEffect {
        ReplayEffect::Clock(self.playing.then(|| self.period_ms()))
    }

    fn seek(&self, tick: i128) -> Vec<ReplayEffect> {
        let target = tick.clamp(0, i128::from(self.end)) as Tick;
        vec![ReplayEffect::Seek(target)]
    }

    /// The next tick after the current one with anything notable on it.
    fn next_notable(&self) -> Option<Tick> {
        let notable = self.marks.first()?;
        notable.iter().copied().find(|t| *t > self.tick)
    }

    /// The ticks the timeline spans, first and last: the whole game, or a window of the zoom's
    /// width around the current tick.
    pub fn window(&self) -> (Tick, Tick) {
        match ZOOMS[self.zoom] {
            Some(width) if width < self.end => {
                let start = self.tick.saturating_sub(width / 2).min(self.end - width);
                (start, start + width)
            }
            _ => (0, self.end),
        }
    }

    fn jump_to_mark(&mut self, forward: bool) -> Vec<ReplayEffect> {
        let kind = MARK_KINDS[self.kind].label;
        let marks = self.marks.get(self.kind).map_or(&[][..], Vec::as_slice);
        let found = if forward {
            marks.iter().find(|t| **t > self.tick)
        } else {
            marks.iter().rev().find(|t| **t < self.tick)
        };
        match found {
            Some(t) => self.seek(i128::from(*t)),
            None => {
                let which = if forward { "later" } else { "earlier" };
                self.app.say(format!("no {which} tick with {kind}"), false);
                Vec::new()
            }
        }
    }

    /// The tick under a timeline column.
    pub fn tick_at_column(&self, column: u16) -> Option<Tick> {
        let area = self.app.areas()?.timeline;
        if area.width < 2 || column < area.x || column >= area.x + area.width {
            return None;
        }
        let (start, end) = self.window();
        let offset = u64::from(column - area.x);
        Some(start + offset * (end - start) / u64::from(area.width - 1))
    }

    /// The robot the trace panel shows, else the one under the cursor.
    fn robot_here(&self) -> Option<RobotId> {
        if let Panel::Trace { robot, .. } = &self.panel {
            return Some(robot.clone());
        }
        let (x, y) = self.app.cursor;
        self.app.projections.robots.at(x, y).map(|r| r.id.clone())
    }

    /// Opens the trace panel on the robot here, or says there is none.
    fn trace_here(&mut self) -> Vec<ReplayEffect> {
        let (x, y) = self.app.cursor;
        match self.app.projections.robots.at(x, y).map(|r| r.id.clone()) {
            Some(robot) => {
                self.panel = Panel::Trace {
                    robot: robot.clone(),
                    report: Err("tracing...".into()),
                    console: Vec::new(),
                };
                vec![ReplayEffect::Trace {
                    robot,
                    tick: self.tick,
                }]
            }
            None => {
                self.app.say(
                    format!("no robot at ({x},{y}) at this tick: put the cursor on one (tab)"),
                    false,
                );
                Vec::new()
            }
        }
    }

    fn act(&mut self, action: ReplayAction) -> Vec<ReplayEffect> {
        match action {
            ReplayAction::Step(n) => return self.seek(i128::from(self.tick) + i128::from(n)),
            ReplayAction::Start => return self.seek(0),
            ReplayAction::End => return self.seek(i128::from(self.end)),
            ReplayAction::TogglePlay => {
                self.playing = !self.playing;
                if self.playing && self.following() {
                    self.playing = false;
                    self.app
                        .say("at the end of the log: nothing more to play", false);
                }
                return vec![self.clock()];
            }
            ReplayAction::Faster => {
                self.speed = (self.speed + 1).min(SPEEDS.len() - 1);
                return vec![self.clock()];
            }
            ReplayAction::Slower => {
                self.speed = self.speed.saturating_sub(1);
                return vec![self.clock()];
            }
            ReplayAction::BeginGoto => self.mode = ReplayMode::Goto(String::new()),
            ReplayAction::GotoDigit(d) => {
                if let ReplayMode::Goto(digits) = &mut self.mode
                    && digits.len() < 19
                {
                    digits.push(d);
                }
            }
            ReplayAction::GotoBackspace => {
                if let ReplayMode::Goto(digits) = &mut self.mode {
                    digits.pop();
                }
            }
            ReplayAction::GotoConfirm => {
                let typed = match std::mem::replace(&mut self.mode, ReplayMode::Normal) {
                    ReplayMode::Goto(digits) => digits,
                    _ => String::new(),
                };
                if let Ok(tick) = typed.parse::<u64>() {
                    if tick > self.end {
                        self.app.say(
                            format!("tick {tick} is past the end; going to {}", self.end),
                            false,
                        );
                    }
                    return self.seek(i128::from(tick));
                }
            }
            ReplayAction::PrevMark => return self.jump_to_mark(false),
            ReplayAction::NextMark => return self.jump_to_mark(true),
            ReplayAction::CycleKind => {
                self.kind = (self.kind + 1) % MARK_KINDS.len();
                self.app.say(
                    format!(
                        "marking {}: [ and ] jump to them",
                        MARK_KINDS[self.kind].label
                    ),
                    false,
                );
            }
            ReplayAction::Zoom => {
                self.zoom = (self.zoom + 1) % ZOOMS.len();
                let span = match ZOOMS[self.zoom] {
                    Some(width) => format!("{width} ticks around this one"),
                    None => "the whole game".into(),
                };
                self.app.say(format!("the timeline shows {span}"), false);
            }
            ReplayAction::ToggleRaw => self.raw = !self.raw,
            ReplayAction::ToggleSkipQuiet => {
                self.skip_quiet = !self.skip_quiet;
                let state = if self.skip_quiet {
                    "on: playing goes straight to the next tick with something notable"
                } else {
                    "off"
                };
                self.app.say(format!("skip quiet ticks {state}"), false);
            }
            ReplayAction::ScrollFeed(lines) => self.app.scroll_feed(lines),
            ReplayAction::ToggleInspector => {
                self.panel = match self.panel {
                    Panel::Inspector { .. } => Panel::None,
                    _ => Panel::Inspector { selected: 0 },
                };
            }
            ReplayAction::ToggleDiff => {
                self.panel = match self.panel {
                    Panel::Diff => Panel::None,
                    _ => Panel::Diff,
                };
            }
            ReplayAction::ToggleStatistics => {
                if self.app.projections.colony.economy.is_none() {
                    self.app.say("a classic game keeps no statistics", true);
                } else {
                    self.panel = match self.panel {
                        Panel::Statistics => Panel::None,
                        _ => Panel::Statistics,
                    };
                }
            }
            ReplayAction::Why => {
                let (x, y) = self.app.cursor;
                let p = &self.app.projections;
                // A robot stands in front of what it stands on, as the map draws it.
                let subject = match (p.robots.at(x, y), p.buildings.at(x, y)) {
                    (Some(robot), _) => Some(Subject::Robot(robot.id.clone())),
                    (None, Some(row)) => Some(Subject::Building(row.id.clone())),
                    (None, None) => None,
                };
                match subject {
                    Some(subject) => {
                        return vec![ReplayEffect::History {
                            subject,
                            to_tick: self.tick,
                        }];
                    }
                    None => self.app.say(
                        format!("no building or robot at ({x},{y}) at this tick"),
                        false,
                    ),
                }
            }
            ReplayAction::Select(delta) => {
                if let Panel::Inspector { selected } = &mut self.panel {
                    let count = self.events.len().max(1) as i64;
                    *selected = (*selected as i64 + i64::from(delta)).clamp(0, count - 1) as usize;
                }
            }
            ReplayAction::Move(dx, dy) => self.app.move_cursor(dx, dy),
            ReplayAction::NextRobot => self.app.follow_next_robot(),
            ReplayAction::Branch => return vec![ReplayEffect::Branch(self.tick)],
            ReplayAction::Trace => {
                if let Panel::Trace { .. } = self.panel {
                    self.panel = Panel::None;
                } else {
                    return self.trace_here();
                }
            }
            ReplayAction::BeginConsole => {
                let effects = match self.panel {
                    Panel::Trace { .. } => Vec::new(),
                    _ => self.trace_here(),
                };
                if let Panel::Trace { .. } = self.panel {
                    self.mode = ReplayMode::Console(String::new());
                }
                return effects;
            }
            ReplayAction::ConsoleChar(c) => {
                if let ReplayMode::Console(typed) = &mut self.mode
                    && typed.chars().count() < MAX_EXPRESSION
                    && !c.is_control()
                {
                    typed.push(c);
                }
            }
            ReplayAction::ConsoleBackspace => {
                if let ReplayMode::Console(typed) = &mut self.mode {
                    typed.pop();
                }
            }
            ReplayAction::ConsoleConfirm => {
                let typed =
                    match std::mem::replace(&mut self.mode, ReplayMode::Console(String::new())) {
                        ReplayMode::Console(typed) => typed,
                        other => {
                            self.mode = other;
                            String::new()
                        }
                    };
                if let (Panel::Trace { robot, .. }, false) = (&self.panel, typed.trim().is_empty())
                {
                    return vec![ReplayEffect::Evaluate {
                        robot: robot.clone(),
                        tick: self.tick,
                        expression: typed,
                    }];
                }
            }
            ReplayAction::Fix => match self.robot_here() {
                Some(robot) => {
                    self.playing = false;
                    return vec![
                        self.clock(),
                        ReplayEffect::Fix {
                            robot,
                            tick: self.tick,
                        },
                    ];
                }
                None => self.app.say(
                    "no robot here to fix: put the cursor on one (tab), or trace one (x)",
                    false,
                ),
            },
            ReplayAction::ToggleHelp => {
                self.mode = if matches!(self.mode, ReplayMode::Help { .. }) {
                    ReplayMode::Normal
                } else {
                    ReplayMode::Help { scroll: 0 }
                };
            }
            ReplayAction::HelpScroll(rows) => {
                if let ReplayMode::Help { scroll } = &mut self.mode {
                    *scroll = scroll.saturating_add_signed(rows).min(keys::HELP_ROWS_MAX);
                }
            }
            ReplayAction::Close => {
                if self.mode != ReplayMode::Normal {
                    self.mode = ReplayMode::Normal;
                } else if self.panel != Panel::None {
                    self.panel = Panel::None;
                } else {
                    // A key that closes what is open never quits.
                    self.app.say("nothing is open; q quits", false);
                }
            }
            ReplayAction::Quit => return vec![ReplayEffect::Quit],
        }
        Vec::new()
    }

    fn arrive(&mut self, arrival: Arrival) -> Vec<ReplayEffect> {
        self.tick = arrival.tick;
        self.app.projections = arrival.projections;
        self.previous = arrival.previous;
        self.events = arrival.events;
        self.app.keep_up_with_robot();
        if let Panel::Inspector { selected } = &mut self.panel {
            *selected = (*selected).min(self.events.len().saturating_sub(1));
        }
        let mut effects = Vec::new();
        if self.playing && self.following() {
            self.playing = false;
            self.app.say(
                "reached the end of the log; following new ticks as they arrive",
                false,
            );
            effects.push(self.clock());
        }
        if let Panel::History { subject, .. } = &self.panel {
            effects.push(ReplayEffect::History {
                subject: subject.clone(),
                to_tick: self.tick,
            });
        }
        if let Panel::Trace { robot, .. } = &self.panel {
            effects.push(ReplayEffect::Trace {
                robot: robot.clone(),
                tick: self.tick,
            });
        }
        effects
    }
}

pub fn update(mut replay: Replay, msg: ReplayMsg) -> (Replay, Vec<ReplayEffect>) {
    let effects = match msg {
        ReplayMsg::Key(key) => match keys::replay_action(
            &replay.mode,
            matches!(replay.panel, Panel::Inspector { .. }),
            key,
        ) {
            Some(action) => replay.act(action),
            None => Vec::new(),
        },
        ReplayMsg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            ..
        }) => {
            let on_timeline = replay
                .app
                .areas()
                .is_some_and(|a| row >= a.timeline.y && row < a.timeline.y + a.timeline.height);
            if on_timeline {
                match replay.tick_at_column(column) {
                    Some(tick) => replay.seek(i128::from(tick)),
                    None => Vec::new(),
                }
            } else {
                if let Some((x, y)) = replay.app.tile_at(column, row) {
                    replay.app.following = None;
                    replay.app.cursor = (x, y);
                }
                Vec::new()
            }
        }
        ReplayMsg::Mouse(MouseEvent { kind, row, .. }) if replay.app.on_feed(row) => {
            match kind {
                MouseEventKind::ScrollUp => replay.app.scroll_feed(1),
                MouseEventKind::ScrollDown => replay.app.scroll_feed(-1),
                _ => {}
            }
            Vec::new()
        }
        ReplayMsg::Mouse(_) => Vec::new(),
        ReplayMsg::Resize(w, h) => {
            replay.app.size = (w, h);
            replay.app.follow_cursor();
            Vec::new()
        }
        ReplayMsg::Clock => {
            let next = match replay.next_notable() {
                Some(tick) if replay.skip_quiet => tick,
                _ => replay.tick + 1,
            };
            if replay.playing {
                replay.seek(i128::from(next))
            } else {
                Vec::new()
            }
        }
        ReplayMsg::Arrived(arrival) => replay.arrive(*arrival),
        ReplayMsg::Grew { end, marks } => {
            let was_following = replay.following();
            replay.end = end.max(replay.end);
            replay.marks = marks;
            if was_following {
                replay.seek(i128::from(replay.end))
            } else {
                Vec::new()
            }
        }
        ReplayMsg::History { subject, events } => {
            replay.panel = Panel::History { subject, events };
            Vec::new()
        }
        ReplayMsg::Traced { robot, report } => {
            if let Panel::Trace {
                robot: shown,
                report: slot,
                ..
            } = &mut replay.panel
                && *shown == robot
            {
                *slot = report;
            }
            Vec::new()
        }
        ReplayMsg::Evaluated {
            tick,
            expression,
            value,
        } => {
            if let Panel::Trace { console, .. } = &mut replay.panel {
                console.push((tick, expression, value));
            }
            Vec::new()
        }
        ReplayMsg::Tried(Ok(whatif)) => {
            replay.mode = ReplayMode::Normal;
            replay.panel = Panel::WhatIf(whatif);
            Vec::new()
        }
        ReplayMsg::Tried(Err(reason)) => {
            replay.app.say(reason, true);
            Vec::new()
        }
        ReplayMsg::Failed(reason) => {
            replay.playing = false;
            replay
                .app
                .say(format!("cannot read the save: {reason}"), true);
            vec![replay.clock()]
        }
        ReplayMsg::CacheDisagrees(why) => {
            replay.app.say(
                format!(
                    "the keyframe cache disagrees with the log ({why}): dropped; what shows is \
                     folded from the log"
                ),
                true,
            );
            vec![ReplayEffect::DropCache, ReplayEffect::Seek(replay.tick)]
        }
    };
    (replay, effects)
}
