//! Read model: how robots spent their ticks. Every action, the waits among them, and the
//! longest run of ticks one robot waited for a tile another robot held: what a jam costs, as
//! `lunar bench` reports it and the missions' tests hold their solutions to.

use std::collections::HashMap;

use crate::domain::event::Event;
use crate::domain::ids::{RobotId, Tick};
use crate::domain::labour::blocked_by_robot;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Waits {
    /// Every robot action recorded: steps, digs, loads, work, charging, plans, waits, faults.
    pub actions: u64,
    /// Ticks a robot did nothing, for whatever reason.
    pub waits: u64,
    /// Of those, ticks it waited for a tile another robot held.
    pub blocked: u64,
    /// The most ticks in a row one robot waited for a tile another robot held, and who.
    pub longest: Option<(RobotId, u64, Tick)>,
    /// Each robot's current run of blocked ticks: the last tick, and how many in a row.
    runs: HashMap<RobotId, (Tick, u64)>,
}

impl Waits {
    /// Waits over all robot actions; 0 when there were none.
    pub fn share(&self) -> f64 {
        if self.actions == 0 {
            0.0
        } else {
            self.waits as f64 / self.actions as f64
        }
    }

    /// The longest run of blocked ticks, 0 when no robot was ever blocked.
    pub fn longest_streak(&self) -> u64 {
        self.longest.as_ref().map_or(0, |(_, n, _)| *n)
    }

    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::RobotMoved(_)
            | Event::RobotMined(_)
            | Event::RobotPickedUp(_)
            | Event::RobotDropped(_)
            | Event::RobotWorked(_)
            | Event::RobotCharged(_)
            | Event::RobotPlanted(_)
            | Event::RobotFaulted(_) => self.actions += 1,
            Event::RobotWaited(e) => {
                self.actions += 1;
                self.waits += 1;
                if e.reason.as_deref().is_some_and(blocked_by_robot) {
                    self.blocked += 1;
                    let run = match self.runs.get(&e.robot_id) {
                        Some(&(last, n)) if last + 1 == e.tick => n + 1,
                        _ => 1,
                    };
                    self.runs.insert(e.robot_id.clone(), (e.tick, run));
                    if run > self.longest_streak() {
                        self.longest = Some((e.robot_id.clone(), run, e.tick));
                    }
                }
            }
            _ => {}
        }
    }
}
