//! The robot aggregate (stream `robot-<id>`): one robot's place, battery, cargo and program.
//!
//! A robot does not choose its actions here. Each tick the game-loop process manager runs every
//! program against the same start-of-tick world and resolves what they chose, in robot id
//! order (see `labour.rs`); the robot is then told the outcome (`act`) and records it, after
//! checking what only it can vouch for: a step is one tile, the battery never goes below
//! empty, the cargo is one resource and never more than it holds.

pub mod commands;
pub mod events;
#[cfg(test)]
mod tests;

use crate::domain::event::Event;
use crate::domain::ids::{RobotId, Tick};
use crate::domain::program;
use crate::domain::program::memory::Memory;
use crate::domain::rejection::Rejection;
use crate::domain::resources::Resource;
use crate::domain::robot::commands::{DeployRobot, RobotCommand, Step};
use crate::domain::robot::events::{
    ProgramUploaded, RobotCharged, RobotDeployed, RobotDropped, RobotFaulted, RobotMined,
    RobotMoved, RobotPickedUp, RobotPlanted, RobotSaid, RobotSent, RobotWaited, RobotWorked,
};

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub enum Robot {
    #[default]
    Absent,
    Present(RobotState),
}

/// What a robot remembers from its own events.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RobotState {
    pub id: RobotId,
    pub x: u16,
    pub y: u16,
    pub battery: u32,
    pub capacity: u32,
    /// What it carries: one resource, at most `cargo_capacity` of it.
    pub cargo: Option<(Resource, u32)>,
    pub cargo_capacity: u32,
    /// The program it runs: its name and hash.
    pub program: Option<(String, String)>,
    /// Why it stands still, until it is given a program again.
    pub fault: Option<String>,
}

impl RobotState {
    fn load(&self) -> u32 {
        self.cargo.map_or(0, |(_, n)| n)
    }

    /// Room for `amount` more of `resource`: none while it carries something else.
    fn has_room(&self, resource: Resource, amount: u32) -> bool {
        match self.cargo {
            Some((carried, _)) if carried != resource => false,
            _ => self.load() + amount <= self.cargo_capacity,
        }
    }

    fn cannot(&self, reason: impl Into<String>) -> Rejection {
        Rejection::RobotCannot {
            robot_id: self.id.clone(),
            reason: reason.into(),
        }
    }

    fn spend(&self, cost: u32) -> Result<u32, Rejection> {
        self.battery
            .checked_sub(cost)
            .ok_or_else(|| self.cannot(format!("its battery holds {}", self.battery)))
    }
}

impl Robot {
    pub fn initial() -> Robot {
        Robot::Absent
    }

    pub fn decide(&self, command: &RobotCommand) -> Result<Vec<Event>, Rejection> {
        match (self, command) {
            (Robot::Absent, RobotCommand::Deploy(deploy)) => Ok(deployed(deploy)),
            (Robot::Present(s), RobotCommand::Deploy(_)) => Err(Rejection::DuplicateRobot {
                robot_id: s.id.clone(),
            }),
            (Robot::Absent, other) => Err(Rejection::RobotNotFound {
                robot_id: other.robot_id().clone(),
            }),
            (
                Robot::Present(s),
                RobotCommand::UploadProgram {
                    name, source, tick, ..
                },
            ) => {
                let compiled = program::compile(source).map_err(|e| Rejection::ProgramInvalid {
                    line: e.line,
                    column: e.column,
                    message: e.message,
                })?;
                Ok(vec![Event::ProgramUploaded(ProgramUploaded {
                    robot_id: s.id.clone(),
                    name: name.clone(),
                    source: source.clone(),
                    hash: compiled.hash,
                    tick: *tick,
                })])
            }
            (Robot::Present(s), RobotCommand::Act(act)) => {
                if s.fault.is_some() {
                    return Err(s.cannot("it is faulted"));
                }
                let mut events = step(s, &act.step, act.memory.clone(), act.tick)?;
                events.extend(act.said.iter().map(|text| {
                    Event::RobotSaid(RobotSaid {
                        robot_id: s.id.clone(),
                        text: text.clone(),
                        tick: act.tick,
                    })
                }));
                events.extend(act.sent.iter().map(|(to, value)| {
                    Event::RobotSent(RobotSent {
                        robot_id: s.id.clone(),
                        to: to.clone(),
                        value: value.clone(),
                        tick: act.tick,
                    })
                }));
                Ok(events)
            }
        }
    }

    pub fn evolve(self, event: &Event) -> Robot {
        match (self, event) {
            (Robot::Absent, Event::RobotDeployed(e)) => Robot::Present(RobotState {
                id: e.robot_id.clone(),
                x: e.x,
                y: e.y,
                battery: e.battery,
                capacity: e.capacity,
                cargo: None,
                cargo_capacity: e.cargo_capacity,
                program: None,
                fault: None,
            }),
            (Robot::Present(mut s), event) => {
                match event {
                    Event::ProgramUploaded(e) => {
                        s.program = Some((e.name.clone(), e.hash.clone()));
                        s.fault = None;
                    }
                    Event::RobotMoved(e) => (s.x, s.y, s.battery) = (e.x, e.y, e.battery),
                    Event::RobotMined(e) => {
                        s.battery = e.battery;
                        s.cargo = Some((e.resource, s.load() + e.amount));
                    }
                    Event::RobotPickedUp(e) => s.cargo = Some((e.resource, s.load() + e.amount)),
                    Event::RobotDropped(e) => {
                        let left = s.load().saturating_sub(e.amount);
                        s.cargo = (left > 0).then_some((e.resource, left));
                    }
                    Event::RobotWorked(e) => s.battery = e.battery,
                    Event::RobotPlanted(e) => s.battery = e.battery,
                    Event::RobotCharged(e) => s.battery = e.battery,
                    Event::RobotFaulted(e) => s.fault = Some(e.message.clone()),
                    _ => {}
                }
                Robot::Present(s)
            }
            (state, _) => state,
        }
    }
}

fn deployed(deploy: &DeployRobot) -> Vec<Event> {
    vec![Event::RobotDeployed(RobotDeployed {
        robot_id: deploy.robot_id.clone(),
        x: deploy.x,
        y: deploy.y,
        battery: deploy.battery,
        capacity: deploy.capacity,
        cargo_capacity: deploy.cargo_capacity,
        tick: deploy.tick,
    })]
}

/// The events of one resolved step, after the robot's own checks.
fn step(
    s: &RobotState,
    step: &Step,
    memory: Option<Memory>,
    tick: Tick,
) -> Result<Vec<Event>, Rejection> {
    let robot_id = s.id.clone();
    let event = match step {
        Step::Move { x, y, cost } => {
            let distance = s.x.abs_diff(*x) + s.y.abs_diff(*y);
            if distance != 1 {
                return Err(s.cannot("a step is one tile north, south, east or west"));
            }
            Event::RobotMoved(RobotMoved {
                robot_id,
                x: *x,
                y: *y,
                battery: s.spend(*cost)?,
                memory,
                tick,
            })
        }
        Step::Mine {
            resource,
            amount,
            left,
            cost,
        } => {
            if !s.has_room(*resource, *amount) {
                return Err(s.cannot("it has no room for what it would dig"));
            }
            Event::RobotMined(RobotMined {
                robot_id,
                x: s.x,
                y: s.y,
                resource: *resource,
                amount: *amount,
                left: *left,
                battery: s.spend(*cost)?,
                memory,
                tick,
            })
        }
        Step::PickUp {
            from,
            at,
            resource,
            amount,
        } => {
            if !s.has_room(*resource, *amount) {
                return Err(s.cannot("it has no room for what it would pick up"));
            }
            if s.x.abs_diff(at.0).max(s.y.abs_diff(at.1)) > 1 {
                return Err(s.cannot("it reaches no further than the tiles around it"));
            }
            Event::RobotPickedUp(RobotPickedUp {
                robot_id,
                from: *from,
                x: at.0,
                y: at.1,
                resource: *resource,
                amount: *amount,
                memory,
                tick,
            })
        }
        Step::Drop { into } => {
            let Some((resource, amount)) = s.cargo else {
                return Err(s.cannot("it carries nothing"));
            };
            Event::RobotDropped(RobotDropped {
                robot_id,
                into: *into,
                x: s.x,
                y: s.y,
                resource,
                amount,
                memory,
                tick,
            })
        }
        Step::Work { site, cost } => Event::RobotWorked(RobotWorked {
            robot_id,
            site: site.clone(),
            battery: s.spend(*cost)?,
            memory,
            tick,
        }),
        Step::Plant {
            building_id,
            building_type,
            x,
            y,
            cost,
        } => Event::RobotPlanted(RobotPlanted {
            robot_id,
            building_id: building_id.clone(),
            building_type: building_type.clone(),
            x: *x,
            y: *y,
            battery: s.spend(*cost)?,
            memory,
            tick,
        }),
        Step::Charge { units } => Event::RobotCharged(RobotCharged {
            robot_id,
            units: *units,
            battery: s.battery.saturating_add(*units).min(s.capacity),
            memory,
            tick,
        }),
        Step::Wait { reason } => {
            if reason.is_none() && memory.is_none() {
                return Ok(Vec::new());
            }
            Event::RobotWaited(RobotWaited {
                robot_id,
                reason: reason.clone(),
                memory,
                tick,
            })
        }
        Step::Fault { message } => Event::RobotFaulted(RobotFaulted {
            robot_id,
            message: message.clone(),
            tick,
        }),
    };
    Ok(vec![event])
}
