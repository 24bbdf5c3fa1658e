//! The colony aggregate (stream `colony-<game id>`): a colony game's stores, batteries,
//! colonists and mission. Founded with the game's rules; settles one tick at a time when the
//! game-loop process manager asks, with the buildings as the process manager knows them.

pub mod commands;
pub mod events;
pub mod settle;
pub mod state;
#[cfg(test)]
mod tests;
pub mod tick;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::domain::colony::commands::ColonyCommand;
use crate::domain::colony::events::{ColonyFounded, MaterialsReclaimed};
use crate::domain::colony::settle::settle;
use crate::domain::colony::state::ColonyState;
use crate::domain::event::Event;
use crate::domain::rejection::Rejection;

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub enum Colony {
    #[default]
    NotFounded,
    Founded(ColonyState),
    /// The mission was won or lost: nothing more happens.
    Ended(ColonyState),
}

impl Colony {
    pub fn initial() -> Colony {
        Colony::NotFounded
    }

    pub fn decide(&self, command: &ColonyCommand) -> Result<Vec<Event>, Rejection> {
        match (self, command) {
            (Colony::NotFounded, ColonyCommand::Found { game_id, rules }) => {
                Ok(vec![Event::ColonyFounded(ColonyFounded {
                    game_id: *game_id,
                    rules: rules.clone(),
                    tick: 0,
                })])
            }
            (Colony::NotFounded, ColonyCommand::Settle { .. } | ColonyCommand::Reclaim { .. }) => {
                Err(Rejection::GameNotStarted)
            }
            // A building taken down as the mission ended gives nothing back: nothing more
            // happens to an ended colony.
            (Colony::Ended(_), ColonyCommand::Reclaim { .. }) => Ok(Vec::new()),
            (
                Colony::Founded(state),
                ColonyCommand::Reclaim {
                    building_id,
                    kind,
                    site,
                    tick,
                },
            ) => Ok(vec![Event::MaterialsReclaimed(MaterialsReclaimed {
                game_id: state.game_id,
                building_id: building_id.clone(),
                stock: state.reclaimable(building_id, kind, *site),
                tick: *tick,
            })]),
            (_, ColonyCommand::Found { .. }) => Err(Rejection::GameAlreadyStarted),
            (Colony::Ended(_), ColonyCommand::Settle { .. }) => Err(Rejection::GameStopped),
            (
                Colony::Founded(state),
                ColonyCommand::Settle {
                    tick,
                    buildings,
                    labour,
                    orders,
                    ruleset,
                },
            ) => {
                if *tick != state.tick + 1 {
                    return Err(Rejection::TickOutOfOrder {
                        expected: state.tick + 1,
                        got: *tick,
                    });
                }
                Ok(settle(
                    state,
                    *tick,
                    buildings,
                    labour.as_ref(),
                    orders,
                    *ruleset,
                ))
            }
        }
    }

    pub fn evolve(self, event: &Event) -> Colony {
        match (self, event) {
            (Colony::NotFounded, Event::ColonyFounded(e)) => Colony::Founded(ColonyState {
                game_id: e.game_id,
                stock: e.rules.start.stock,
                power: e.rules.start.power,
                aboard: e.rules.mission.ships.iter().map(|s| s.colonists).collect(),
                rules: Arc::new((*e.rules).clone()),
                delivered: BTreeMap::new(),
                status: BTreeMap::new(),
                living: 0,
                lost: 0,
                distress: 0,
                short: false,
                brownout_ticks: 0,
                tick: e.tick,
            }),
            (Colony::Founded(mut s), event) if event.colony_ticked().is_some() => {
                let Some(e) = event.colony_ticked() else {
                    return Colony::Founded(s);
                };
                s.tick = e.tick;
                s.stock = e.stock;
                s.distress = e.distress;
                s.power = e.power.stored;
                for d in e.delivered {
                    s.delivered
                        .entry(d.building.clone())
                        .or_default()
                        .add(&d.stock);
                }
                for change in e.changes {
                    match &change.now {
                        Some(status) => s.status.insert(change.building.clone(), status.clone()),
                        None => s.status.remove(&change.building),
                    };
                }
                s.short = e.short;
                s.brownout_ticks += u32::from(s.short);
                Colony::Founded(s)
            }
            (Colony::Founded(mut s), Event::MaterialsReclaimed(e)) => {
                s.stock.add(&e.stock);
                s.delivered.remove(&e.building_id);
                s.status.remove(&e.building_id);
                Colony::Founded(s)
            }
            (Colony::Founded(mut s), Event::ColonistsLanded(e)) => {
                if let Some(aboard) = s.aboard.get_mut(e.ship as usize) {
                    *aboard = e.aboard;
                }
                s.living = e.living;
                Colony::Founded(s)
            }
            (Colony::Founded(mut s), Event::ShipDeparted(e)) => {
                if let Some(aboard) = s.aboard.get_mut(e.ship as usize) {
                    *aboard = 0;
                }
                s.lost += e.stranded;
                Colony::Founded(s)
            }
            (Colony::Founded(mut s), Event::ColonistDied(e)) => {
                s.living = e.living;
                s.lost += 1;
                Colony::Founded(s)
            }
            (Colony::Founded(s), Event::MissionWon(_) | Event::MissionLost(_)) => Colony::Ended(s),
            (state, _) => state,
        }
    }
}
