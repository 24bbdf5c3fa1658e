//! Read model: every robot as its panel shows it, the console of what robots said and how
//! they faulted, and the piles they left on the ground.

use imbl::{OrdMap, OrdSet, Vector};
use serde::{Deserialize, Serialize};

use crate::domain::event::Event;

use crate::domain::ids::{BuildingId, RobotId, Tick};
use crate::domain::program::memory::Memory;
use crate::domain::projection::feed::describe;
use crate::domain::resources::Resource;
use crate::domain::robot::events::Place;
use crate::domain::subject::SubjectRef;

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct RobotRow {
    pub id: RobotId,
    pub x: u16,
    pub y: u16,
    pub battery: u32,
    pub capacity: u32,
    pub cargo: Option<(Resource, u32)>,
    pub cargo_capacity: u32,
    /// The program it runs: name and hash.
    pub program: Option<(String, String)>,
    pub memory: Memory,
    pub fault: Option<String>,
    /// What it last did, when, and whether that was doing something (not a wait).
    pub last: Option<(Tick, String)>,
    pub busy_tick: Option<Tick>,
}

/// What a robot is doing, as `state --json` says it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RobotStatus {
    Idle,
    Working,
    Faulted,
}

impl RobotStatus {
    pub fn name(self) -> &'static str {
        match self {
            RobotStatus::Idle => "idle",
            RobotStatus::Working => "working",
            RobotStatus::Faulted => "faulted",
        }
    }
}

impl RobotRow {
    /// Working when it did something on `tick`, faulted while faulted, idle otherwise.
    pub fn status(&self, tick: Tick) -> RobotStatus {
        if self.fault.is_some() {
            RobotStatus::Faulted
        } else if self.busy_tick == Some(tick) {
            RobotStatus::Working
        } else {
            RobotStatus::Idle
        }
    }
}

/// A line of the robots' console: something a robot said, or its fault.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ConsoleLine {
    pub tick: Tick,
    pub robot: RobotId,
    pub text: String,
    pub fault: bool,
}

#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct RobotsView {
    pub robots: OrdMap<RobotId, RobotRow>,
    console: Vector<ConsoleLine>,
    pub piles: OrdMap<(u16, u16), (Resource, u32)>,
    /// Tiles robots dug out: nothing is left to dig there.
    pub dug_out: OrdSet<(u16, u16)>,
    /// Robots ordered and not yet out of their factory.
    pub ordered: Vec<(RobotId, BuildingId)>,
    pub tick: Tick,
}

impl RobotsView {
    /// How many console lines are kept.
    pub const CONSOLE: usize = 64;

    pub fn console(&self) -> impl DoubleEndedIterator<Item = &ConsoleLine> + ExactSizeIterator {
        self.console.iter()
    }

    pub fn at(&self, x: u16, y: u16) -> Option<&RobotRow> {
        self.robots.values().find(|r| (r.x, r.y) == (x, y))
    }

    fn say(&mut self, tick: Tick, robot: &RobotId, text: String, fault: bool) {
        if self.console.len() == Self::CONSOLE {
            self.console.pop_front();
        }
        self.console.push_back(ConsoleLine {
            tick,
            robot: robot.clone(),
            text,
            fault,
        });
    }

    fn pile(&mut self, at: (u16, u16), resource: Resource, change: i64) {
        let held = i64::from(self.piles.get(&at).map_or(0, |(_, n)| *n));
        match u32::try_from(held + change).unwrap_or(0) {
            0 => self.piles.remove(&at),
            left => self.piles.insert(at, (resource, left)),
        };
    }

    /// `project` in place.
    pub fn apply(&mut self, event: &Event) {
        let names = Default::default();
        match event {
            Event::GameloopAdvanced(e) => self.tick = e.tick,
            Event::RobotOrdered(e) => self.ordered.push((e.robot_id.clone(), e.factory.clone())),
            Event::RobotOrderedV2(e) => self.ordered.push((e.robot_id.clone(), e.factory.clone())),
            Event::RobotDeployed(e) => {
                self.ordered.retain(|(r, _)| *r != e.robot_id);
                self.robots.insert(
                    e.robot_id.clone(),
                    RobotRow {
                        id: e.robot_id.clone(),
                        x: e.x,
                        y: e.y,
                        battery: e.battery,
                        capacity: e.capacity,
                        cargo: None,
                        cargo_capacity: e.cargo_capacity,
                        program: None,
                        memory: Memory::new(),
                        fault: None,
                        last: None,
                        busy_tick: None,
                    },
                );
            }
            Event::RobotFaulted(e) => {
                self.say(e.tick, &e.robot_id, e.message.clone(), true);
            }
            Event::RobotSaid(e) => self.say(e.tick, &e.robot_id, e.text.clone(), false),
            Event::RobotMined(e) if e.left == 0 => {
                self.dug_out.insert((e.x, e.y));
            }
            Event::RobotDropped(e) if e.into == Place::Ground => {
                self.pile((e.x, e.y), e.resource, i64::from(e.amount));
            }
            Event::RobotPickedUp(e) if e.from == Place::Ground => {
                self.pile((e.x, e.y), e.resource, -i64::from(e.amount));
            }
            _ => {}
        }
        let SubjectRef::Robot(id) = event.subject_ref() else {
            return;
        };
        let Some(row) = self.robots.get_mut(id) else {
            return;
        };
        let load = row.cargo.map_or(0, |(_, n)| n);
        let memory = match event {
            Event::ProgramUploaded(e) => {
                row.program = Some((e.name.clone(), e.hash.clone()));
                row.fault = None;
                Some(Memory::new())
            }
            Event::RobotMoved(e) => {
                (row.x, row.y, row.battery) = (e.x, e.y, e.battery);
                e.memory.clone()
            }
            Event::RobotMined(e) => {
                row.battery = e.battery;
                row.cargo = Some((e.resource, load + e.amount));
                e.memory.clone()
            }
            Event::RobotPickedUp(e) => {
                row.cargo = Some((e.resource, load + e.amount));
                e.memory.clone()
            }
            Event::RobotDropped(e) => {
                row.cargo = None;
                e.memory.clone()
            }
            Event::RobotWorked(e) => {
                row.battery = e.battery;
                e.memory.clone()
            }
            Event::RobotCharged(e) => {
                row.battery = e.battery;
                e.memory.clone()
            }
            Event::RobotWaited(e) => e.memory.clone(),
            Event::RobotPlanted(e) => {
                row.battery = e.battery;
                e.memory.clone()
            }
            Event::RobotFaulted(e) => {
                row.fault = Some(e.message.clone());
                None
            }
            _ => None,
        };
        if let Some(memory) = memory {
            row.memory = memory;
        }
        // What it did; its program has a line of its own.
        if !matches!(
            event,
            Event::RobotSaid(_)
                | Event::RobotSent(_)
                | Event::RobotDeployed(_)
                | Event::ProgramUploaded(_)
        ) {
            // The panel is the robot's own: "moved to (3,4)", not "r1 moved to (3,4)".
            let text = describe(event, &names);
            let text = match text.strip_prefix(id.as_str()) {
                Some(rest) => rest.trim_start().to_owned(),
                None => text,
            };
            row.last = Some((event.tick(), text));
        }
        let busy = !matches!(
            event,
            Event::RobotWaited(_)
                | Event::RobotFaulted(_)
                | Event::RobotSaid(_)
                | Event::RobotSent(_)
                | Event::RobotDeployed(_)
                | Event::ProgramUploaded(_)
        );
        if busy {
            row.busy_tick = Some(event.tick());
        }
    }
}
