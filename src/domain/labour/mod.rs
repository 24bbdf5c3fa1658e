//! A tick of robot labour: every program decides against the same start-of-tick world, then
//! what they chose is resolved in robot id order, each robot seeing the world as the robots
//! before it left it. The rules, which `docs/robots.md` repeats for players:
//!
//! - A robot with no program, or a faulted one, does nothing.
//! - A program that fails or runs past a limit faults its robot.
//! - `move` goes one tile north, south, east or west, onto a tile on the map that is not rock,
//!   has no building or site and no robot (one that moved away earlier this tick has left it;
//!   one that has not yet moved is still there, unless it is stepping onto this robot's tile:
//!   then the two swap places). It costs `move_cost`.
//! - `mine` digs the tile the robot stands on: bright regolith yields regolith, a crater ice,
//!   `mine_yield` at a time, until the tile is dug out; the cargo must be empty or the same
//!   resource, with room. It costs `mine_cost`.
//! - `pick_up` takes from a pile on the robot's tile or next to it, else (naming the resource)
//!   from the store when next to it, as much as the cargo has room for.
//! - `drop` puts the whole cargo into the store when next to it, else onto the robot's tile,
//!   where a pile of another resource refuses it.
//! - `work(x, y)` puts one unit of work into the construction site at (x, y), next to the
//!   robot. It costs `work_cost`. The site uses it only if its materials are in and it has
//!   power that tick.
//! - `charge` draws up to `charge_rate` from the colony's batteries when next to a charger.
//! - Anything that cannot be done is a wait, with the reason recorded. A battery too low for an
//!   action is a wait too: a robot whose battery runs flat can only charge.

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::cores;
use crate::domain::catalogue::Terrain;
use crate::domain::colony::tick::Labour;
use crate::domain::event::Event;
use crate::domain::fasthash::{FastMap, FastSet};
use crate::domain::field::routes::Tile;
use crate::domain::field::{Body, Field};
use crate::domain::game::site_fits;
use crate::domain::ids::{BuildingId, RobotId, Tick};
use crate::domain::program;
use crate::domain::program::api::{Intent, Me, Sensors};
use crate::domain::program::memory::Value;
use crate::domain::program::trace::{Trace, operations, run_traced};
use crate::domain::program::{Decision, Inputs};
use crate::domain::resources::{Resource, Stock};
use crate::domain::robot::Robot;
use crate::domain::robot::commands::{Act, RobotCommand, Step};
use crate::domain::robot::events::{Place, RobotMoved};
use crate::domain::ruleset::Daylight;

/// What the robots chose on one tick, resolved: one act per robot that did anything, and what
/// the colony needs to settle the tick.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Plan {
    pub acts: Vec<Act>,
    pub labour: Labour,
}

/// Robots a worker should get at least: sharing out a handful costs more than it saves.
const SHARED_FROM: usize = 64;

/// Runs every program and resolves the outcome, for tick `tick`.
pub fn plan(field: &Field, tick: Tick) -> Plan {
    plan_on(field, tick, cores::workers(field.robots.len(), SHARED_FROM))
}

/// [`plan`] with the programs shared out over `workers` threads. Every program decides against
/// the same start-of-tick world and nothing else, and the decisions are gathered in robot
/// order, so the plan is the same for any number of workers: a function of its arguments.
pub(super) fn plan_on(field: &Field, tick: Tick, workers: usize) -> Plan {
    let world = Arc::new(field.for_programs());
    let light = field.rules.daylight(tick);
    let mut running: Vec<(&RobotId, &Body)> = field
        .robots
        .iter()
        .filter(|(_, body)| !body.faulted && body.program.is_some())
        .collect();
    // From ruleset 2, robots act in the order people read their ids: r2 before r10.
    if field.ruleset >= 2 {
        running.sort_by_cached_key(|(id, _)| id.natural_key());
    }
    let decide = |robots: &[(&RobotId, &Body)]| -> Vec<(RobotId, Result<Decision, String>)> {
        robots
            .iter()
            .map(|&(id, body)| (id.clone(), decide(field, &world, id, body, tick, light)))
            .collect()
    };
    let decisions = cores::in_order(&running, workers, decide);
    let intents: FastMap<RobotId, Intent> = decisions
        .iter()
        .filter_map(|(id, d)| Some((id.clone(), d.as_ref().ok()?.intent.clone())))
        .collect();
    let mut resolver = Resolver {
        field: field.clone(),
        stock: field.stock,
        power: field.power,
        work: BTreeMap::new(),
        labour: Labour::default(),
        intents,
        acted: FastSet::default(),
        blocker: None,
        reserved: BTreeMap::new(),
        planted: BTreeMap::new(),
        gives_way: BTreeMap::new(),
        gave_way: BTreeSet::new(),
        stepped_aside: Vec::new(),
    };
    let mut acts: Vec<Act> = Vec::with_capacity(decisions.len());
    let mut index = FastMap::default();
    // From ruleset 2, a robot whose step is blocked by a robot yet to act tries again once
    // every other robot has acted: a queue moves up in one tick, whatever its ids.
    let mut deferred = Vec::new();
    let defer = field.ruleset >= 2;
    let mut todo: std::collections::VecDeque<_> =
        decisions.into_iter().map(|d| (d, defer)).collect();
    loop {
        let Some(((id, decision), can_defer)) = todo.pop_front() else {
            if deferred.is_empty() {
                break;
            }
            todo.extend(
                std::mem::take(&mut deferred)
                    .into_iter()
                    .map(|d| (d, false)),
            );
            continue;
        };
        let act = match resolver.act(&id, decision, tick, can_defer) {
            Ok(act) => act,
            Err(decision) => {
                deferred.push((id, decision));
                continue;
            }
        };
        // A robot that waited earlier in the tick and gave way steps aside after all.
        for (other, to) in std::mem::take(&mut resolver.stepped_aside) {
            if let Some(&i) = index.get(&other) {
                let aside: &mut Act = &mut acts[i];
                aside.step = Step::Move {
                    x: to.0,
                    y: to.1,
                    cost: 0,
                };
                resolver.record_step_aside(&other, to, tick);
            }
        }
        index.insert(id, acts.len());
        acts.push(act);
    }
    let mut labour = resolver.labour;
    labour.work = resolver.work.into_iter().collect();
    Plan { acts, labour }
}

/// What robot `id` finds in its inbox on `tick`: what others sent it, or every robot, on the
/// tick before, in the order sent.
fn inbox(field: &Field, id: &RobotId, tick: Tick) -> Vec<(String, Value)> {
    field
        .mail
        .iter()
        .filter(|m| m.tick + 1 == tick)
        .filter(|m| match &m.to {
            Some(to) => to == id,
            None => m.from != *id,
        })
        .map(|m| (m.from.to_string(), m.value.clone()))
        .collect()
}

/// One robot's program run against the start-of-tick world.
fn decide(
    field: &Field,
    world: &Arc<Field>,
    id: &RobotId,
    body: &Body,
    tick: Tick,
    light: Daylight,
) -> Result<Decision, String> {
    let Some(compiled) = body.program.as_ref().and_then(|hash| field.program(hash)) else {
        return Err("its program does not compile in this version of the game".into());
    };
    let mail = inbox(field, id, tick);
    program::run(compiled, inputs(field, world, id, body, tick, light, &mail))
}

/// What robot `id`'s program is given on `tick`.
fn inputs<'a>(
    field: &'a Field,
    world: &Arc<Field>,
    id: &RobotId,
    body: &'a Body,
    tick: Tick,
    light: Daylight,
    mail: &'a [(String, Value)],
) -> Inputs<'a> {
    Inputs {
        me: me(id, field),
        tick,
        day: light.day,
        memory: &body.memory,
        sensors: Sensors {
            x: i64::from(body.at.0),
            y: i64::from(body.at.1),
            radius: i64::from(field.robot_rules.radius),
            light,
            ruleset: field.ruleset,
            world: world.clone(),
            reads: None,
        },
        inbox: mail,
    }
}

/// A robot's decision on `tick` run again with its workings noted, beside the act the tick's
/// resolution makes of it: what `lunar trace` shows.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Traced {
    pub decision: Result<Decision, String>,
    pub trace: Trace,
    /// The source it ran, and its memory as the tick began.
    pub source: Arc<str>,
    pub memory: crate::domain::program::memory::Memory,
    /// The act the whole tick's resolution gives it.
    pub act: Option<Act>,
}

/// Robot `id`'s decision on `tick`, on `field` as the tick began; none for a robot that is not
/// there, runs no program or is faulted.
pub fn trace(field: &Field, id: &RobotId, tick: Tick) -> Option<Traced> {
    traced(field, id, tick, &plan(field, tick).acts)
}

/// Every robot's decision on `tick` traced, the tick planned once: for checking a whole log.
pub fn trace_all(field: &Field, tick: Tick) -> Vec<(RobotId, Traced)> {
    let acts = plan(field, tick).acts;
    field
        .robots
        .keys()
        .filter_map(|id| Some((id.clone(), traced(field, id, tick, &acts)?)))
        .collect()
}

fn traced(field: &Field, id: &RobotId, tick: Tick, acts: &[Act]) -> Option<Traced> {
    let body = field.robots.get(id)?;
    if body.faulted {
        return None;
    }
    let compiled = body.program.as_ref().and_then(|hash| field.program(hash))?;
    let world = Arc::new(field.for_programs());
    let light = field.rules.daylight(tick);
    let mail = inbox(field, id, tick);
    let (decision, trace) = run_traced(
        compiled,
        inputs(field, &world, id, body, tick, light, &mail),
    );
    let act = acts.iter().find(|a| a.robot_id == *id).cloned();
    Some(Traced {
        decision,
        trace,
        source: compiled.source.clone(),
        memory: body.memory.clone(),
        act,
    })
}

/// The robots that run a program on `tick`, and the operations their decisions spend in all.
pub fn spent(field: &Field, tick: Tick) -> (u64, u64) {
    let world = Arc::new(field.for_programs());
    let light = field.rules.daylight(tick);
    let mut robots = 0;
    let mut spent = 0;
    for (id, body) in &field.robots {
        let Some(compiled) = body.program.as_ref().and_then(|hash| field.program(hash)) else {
            continue;
        };
        if body.faulted {
            continue;
        }
        let mail = inbox(field, id, tick);
        robots += 1;
        spent += operations(
            compiled,
            inputs(field, &world, id, body, tick, light, &mail),
        );
    }
    (robots, spent)
}

/// The value of `expression` in robot `id`'s context on `tick`, read-only: what the replay's
/// console shows. None for a robot that is not there.
pub fn evaluate(
    field: &Field,
    id: &RobotId,
    tick: Tick,
    expression: &str,
) -> Option<Result<String, String>> {
    let body = field.robots.get(id)?;
    let world = Arc::new(field.for_programs());
    let light = field.rules.daylight(tick);
    let mail = inbox(field, id, tick);
    let inputs = inputs(field, &world, id, body, tick, light, &mail);
    Some(program::evaluate_in(expression, inputs))
}

fn me(id: &RobotId, field: &Field) -> Me {
    let mut me = Me::new(id.as_str(), 0, 0);
    me.ruleset = field.ruleset;
    if let Some(body) = field.robots.get(id) {
        me.x = i64::from(body.at.0);
        me.y = i64::from(body.at.1);
        me.battery = i64::from(body.battery);
        me.capacity = i64::from(body.capacity);
        me.cargo = body.cargo.map(|(r, n)| (r, i64::from(n)));
        me.cargo_capacity = i64::from(body.cargo_capacity);
    }
    me
}

/// The world as the robots resolved so far this tick have left it.
struct Resolver {
    field: Field,
    stock: Stock,
    power: u32,
    work: BTreeMap<BuildingId, u32>,
    labour: Labour,
    /// What every program chose, to see when two robots are swapping places.
    intents: FastMap<RobotId, Intent>,
    /// The robots that have acted so far this tick.
    acted: FastSet<RobotId>,
    /// The robot that blocked the last step resolved, if one did.
    blocker: Option<RobotId>,
    /// Tiles left by a robot that swapped places, kept for the robot it swapped with.
    reserved: BTreeMap<Tile, RobotId>,
    /// Sites robots planted earlier this tick, by tile.
    planted: BTreeMap<Tile, BuildingId>,
    /// From ruleset 2, robots that chose to wait give way: a robot stepping onto one's tile
    /// swaps places with it. These act later in the tick and will step to the tile kept.
    gives_way: BTreeMap<RobotId, Tile>,
    /// Every robot that gave way this tick: it gives way once.
    gave_way: BTreeSet<RobotId>,
    /// Robots that had waited already when they gave way, and the tile they step to.
    stepped_aside: Vec<(RobotId, Tile)>,
}

impl Resolver {
    /// Robot `id`'s act, or with `can_defer`, its decision back when its step is blocked by a
    /// robot yet to act: it tries again once the others have.
    fn act(
        &mut self,
        id: &RobotId,
        decision: Result<Decision, String>,
        tick: Tick,
        can_defer: bool,
    ) -> Result<Act, Result<Decision, String>> {
        let (step, memory, said, sent) = match decision {
            Err(message) => (Step::Fault { message }, None, Vec::new(), Vec::new()),
            Ok(decision) => {
                let Some(step) = self.resolve(id, decision.intent.clone(), can_defer) else {
                    return Err(Ok(decision));
                };
                let before = self.field.robots.get(id).map(|b| &b.memory);
                let memory = (before != Some(&decision.memory)).then_some(decision.memory);
                // A message to an id no robot could have goes nowhere, and is not recorded.
                let sent = decision
                    .sent
                    .into_iter()
                    .filter_map(|(to, value)| match to {
                        None => Some((None, value)),
                        Some(to) => RobotId::parse(&to).ok().map(|to| (Some(to), value)),
                    })
                    .collect();
                (step, memory, decision.said, sent)
            }
        };
        let act = Act {
            robot_id: id.clone(),
            tick,
            step,
            memory,
            said,
            sent,
        };
        self.record(&act);
        self.acted.insert(id.clone());
        Ok(act)
    }

    /// Lets later robots see what this one did: the field evolves by the very events the act
    /// will record.
    fn record(&mut self, act: &Act) {
        let Some(body) = self.field.robots.get(&act.robot_id) else {
            return;
        };
        let robot = Robot::Present(body.as_robot(&act.robot_id));
        if let Ok(events) = robot.decide(&RobotCommand::Act(act.clone())) {
            for event in &events {
                self.field.apply(event);
            }
        }
    }

    fn wait(reason: impl Into<String>) -> Step {
        Step::Wait {
            reason: Some(reason.into()),
        }
    }

    /// Moves a robot that waited earlier in the tick onto `to`, as the act it now records
    /// will: free, since it was moved, not moving.
    fn record_step_aside(&mut self, id: &RobotId, to: Tile, tick: Tick) {
        let Some(body) = self.field.robots.get(id) else {
            return;
        };
        let moved = Event::RobotMoved(RobotMoved {
            robot_id: id.clone(),
            x: to.0,
            y: to.1,
            battery: body.battery,
            memory: None,
            tick,
        });
        self.field.apply(&moved);
    }

    /// What robot `id`'s choice comes to now; none when `can_defer` and its step is blocked by
    /// a robot yet to act.
    fn resolve(&mut self, id: &RobotId, intent: Intent, can_defer: bool) -> Option<Step> {
        let step = self.step(id, intent);
        match &step {
            Step::Wait {
                reason: Some(reason),
            } if can_defer && blocked_by_robot(reason) => {
                let pending = self
                    .blocker
                    .take()
                    .is_some_and(|other| !self.acted.contains(&other));
                (!pending).then_some(step)
            }
            _ => Some(step),
        }
    }

    fn step(&mut self, id: &RobotId, intent: Intent) -> Step {
        self.blocker = None;
        let Some(body) = self.field.robots.get(id).cloned() else {
            return Resolver::wait("it is nowhere");
        };
        let rules = self.field.robot_rules.clone();
        let flat = |cost: u32| body.battery < cost;
        let load = body.cargo.map_or(0, |(_, n)| n);
        let room = body.cargo_capacity.saturating_sub(load);
        let carries_other = |r: Resource| body.cargo.is_some_and(|(c, _)| c != r);
        let store = std::slice::from_ref(&rules.store);
        if let Some(to) = self.gives_way.remove(id) {
            return Step::Move {
                x: to.0,
                y: to.1,
                cost: 0,
            };
        }
        match intent {
            Intent::Wait => Step::Wait { reason: None },
            Intent::Move { dx, dy } => {
                if dx.abs() + dy.abs() != 1 {
                    return Resolver::wait(
                        "a step is one tile: move(1, 0), move(-1, 0), move(0, 1) or move(0, -1)",
                    );
                }
                let (x, y) = (i64::from(body.at.0) + dx, i64::from(body.at.1) + dy);
                let Some(to) = self.field.on_map(x, y) else {
                    return Resolver::wait(format!("({x},{y}) is off the map"));
                };
                if flat(rules.move_cost) {
                    return Resolver::wait("the battery is flat");
                }
                match self.reserved.get(&to) {
                    Some(other) if other != id => {
                        return Resolver::wait(taken_by(to, other));
                    }
                    _ => {}
                }
                if let Some(why) = self.blocked(to, body.at) {
                    self.blocker = self.field.robot_at(to).cloned();
                    return Resolver::wait(why);
                }
                Step::Move {
                    x: to.0,
                    y: to.1,
                    cost: rules.move_cost,
                }
            }
            Intent::Mine => {
                let Some((resource, left)) = self.field.deposit(body.at) else {
                    return Resolver::wait(format!(
                        "{} holds nothing to dig",
                        self.field.terrain(body.at).name()
                    ));
                };
                if left == 0 {
                    return Resolver::wait("this tile is dug out");
                }
                if carries_other(resource) {
                    return Resolver::wait(format!(
                        "it carries {}; drop it before digging {}",
                        body.cargo.map_or("", |(r, _)| r.name()),
                        resource.name()
                    ));
                }
                if room == 0 {
                    return Resolver::wait("its cargo is full");
                }
                if flat(rules.mine_cost) {
                    return Resolver::wait("the battery is flat");
                }
                let amount = rules.mine_yield.min(left).min(room);
                Step::Mine {
                    resource,
                    amount,
                    left: left - amount,
                    cost: rules.mine_cost,
                }
            }
            Intent::PickUp { resource } => self.pick_up(&body, resource, room, store),
            Intent::Drop => {
                let Some((resource, amount)) = body.cargo else {
                    return Resolver::wait("it carries nothing");
                };
                if self.field.next_to(body.at, store) {
                    *self.labour.delivered.get_mut(resource) += amount;
                    return Step::Drop { into: Place::Store };
                }
                match self.field.piles.get(&body.at) {
                    Some((other, _)) if *other != resource => {
                        Resolver::wait(format!("a pile of {} lies here already", other.name()))
                    }
                    _ => Step::Drop {
                        into: Place::Ground,
                    },
                }
            }
            Intent::Work { x, y } => {
                let site = self
                    .field
                    .on_map(x, y)
                    .and_then(|at| self.field.structures.get(&at).map(|s| (at, s.clone())));
                let Some((at, site)) = site else {
                    return Resolver::wait(format!("there is no site at ({x},{y})"));
                };
                // From ruleset 2 a robot runs a working building that takes operators, as
                // many as it takes each tick.
                if !site.site && !self.field.post(&site) {
                    return Resolver::wait(format!("{} is already built", site.id));
                }
                if !site.site {
                    let most = self
                        .field
                        .rules
                        .economy(&site.kind)
                        .map_or(0, |e| e.operators_in(self.field.ruleset));
                    if self.work.get(&site.id).copied().unwrap_or(0) >= most {
                        return Resolver::wait(format!(
                            "{} is run by as many robots as it takes this tick",
                            site.id
                        ));
                    }
                }
                if !self.field.around(body.at).any(|t| t == at) {
                    return Resolver::wait(format!("{} is not next to it", site.id));
                }
                if flat(rules.work_cost) {
                    return Resolver::wait("the battery is flat");
                }
                *self.work.entry(site.id.clone()).or_insert(0) += 1;
                Step::Work {
                    site: site.id,
                    cost: rules.work_cost,
                }
            }
            Intent::Plant { kind, x, y } => self.plant(&body, &kind, x, y, rules.work_cost),
            Intent::Charge => {
                if !self.field.next_to(body.at, &rules.chargers) {
                    return Resolver::wait("there is no charger next to it");
                }
                let want = body
                    .capacity
                    .saturating_sub(body.battery)
                    .min(rules.charge_rate);
                if want == 0 {
                    return Resolver::wait("the battery is full");
                }
                let units = want.min(self.power);
                if units == 0 {
                    return Resolver::wait("the colony's batteries are empty");
                }
                self.power -= units;
                self.labour.drawn += units;
                Step::Charge { units }
            }
        }
    }

    /// Why robot `id` at `from` may not step onto `to`, if it may not. A robot there that
    /// has yet to move and is stepping onto `from` swaps places with it; its way back is kept
    /// for it.
    fn blocked(&mut self, to: Tile, from: Tile) -> Option<String> {
        let (x, y) = to;
        if self.field.terrain(to) == Terrain::Rock {
            return Some(format!("({x},{y}) is rock"));
        }
        if let Some(s) = self.field.structures.get(&to) {
            return Some(format!("({x},{y}) is taken by {}", s.id));
        }
        let other = self.field.robot_at(to)?.clone();
        let coming = match (self.intents.get(&other), self.field.robots.get(&other)) {
            (Some(Intent::Move { dx, dy }), Some(body)) if self.pending(&other) => {
                let back = (i64::from(to.0) + dx, i64::from(to.1) + dy);
                back == (i64::from(from.0), i64::from(from.1))
                    && body.battery >= self.field.robot_rules.move_cost
            }
            _ => false,
        };
        if coming {
            self.reserved.insert(from, other);
            return None;
        }
        let idle = self.intents.get(&other) == Some(&Intent::Wait);
        if self.field.ruleset >= 2 && idle && self.gave_way.insert(other.clone()) {
            self.reserved.insert(from, other.clone());
            if self.pending(&other) {
                self.gives_way.insert(other, from);
            } else {
                self.stepped_aside.push((other, from));
            }
            return None;
        }
        Some(taken_by(to, &other))
    }

    /// Whether robot `a` has yet to act this tick.
    fn pending(&self, a: &RobotId) -> bool {
        !self.acted.contains(a)
    }

    /// A site planted by a robot, by the surface's own rule (`game::site_fits`), its id the
    /// first `KIND-N` the game has never used.
    fn plant(&mut self, body: &Body, kind: &str, x: i64, y: i64, cost: u32) -> Step {
        if self.field.ruleset < 2 {
            return Resolver::wait(format!(
                "plan() came with ruleset 2; this game keeps ruleset {}",
                self.field.ruleset
            ));
        }
        let radius = i64::from(self.field.robot_rules.radius);
        let (bx, by) = (i64::from(body.at.0), i64::from(body.at.1));
        if (x - bx).abs().max((y - by).abs()) > radius {
            return Resolver::wait(format!(
                "({x},{y}) is out of its sight: it plans within {radius} tiles"
            ));
        }
        if body.battery < cost {
            return Resolver::wait("the battery is flat");
        }
        let at = (
            i32::try_from(x).unwrap_or(i32::MAX),
            i32::try_from(y).unwrap_or(i32::MAX),
        );
        let fits = site_fits(
            &self.field.map,
            &self.field.catalogue,
            Some(&self.field.rules),
            kind,
            at,
            |tile| {
                self.field
                    .structures
                    .get(&tile)
                    .map(|s| s.id.clone())
                    .or_else(|| self.planted.get(&tile).cloned())
            },
        );
        let (found, tile) = match fits {
            Ok((found, tile)) => (found.key.clone(), tile),
            Err(refusal) => return Resolver::wait(refusal.to_string()),
        };
        let Some(building_id) = (1..=u32::MAX)
            .filter_map(|n| BuildingId::parse(&format!("{found}-{n}")).ok())
            .find(|id| !self.field.ids.contains(id) && !self.planted.values().any(|p| p == id))
        else {
            return Resolver::wait("there is no id left for it");
        };
        self.planted.insert(tile, building_id.clone());
        Step::Plant {
            building_id,
            building_type: found,
            x: tile.0,
            y: tile.1,
            cost,
        }
    }

    fn pick_up(
        &mut self,
        body: &Body,
        wanted: Option<Resource>,
        room: u32,
        store: &[String],
    ) -> Step {
        if room == 0 {
            return Resolver::wait("its cargo is full");
        }
        let carried = body.cargo.map(|(r, _)| r);
        // A pile on its own tile, else the first one around it.
        let pile = std::iter::once(body.at)
            .chain(self.field.around(body.at))
            .find_map(|at| {
                let (resource, held) = self.field.piles.get(&at).copied()?;
                wanted
                    .is_none_or(|w| w == resource)
                    .then_some((at, resource, held))
            });
        if let Some((at, resource, held)) = pile {
            if carried.is_some_and(|c| c != resource) {
                return Resolver::wait(format!(
                    "it carries {}, not {}",
                    carried.map_or("", Resource::name),
                    resource.name()
                ));
            }
            return Step::PickUp {
                from: Place::Ground,
                at,
                resource,
                amount: held.min(room),
            };
        }
        if !self.field.next_to(body.at, store) {
            return Resolver::wait("there is nothing to pick up here");
        }
        let Some(resource) = wanted.or(carried) else {
            return Resolver::wait("say what to take from the store: pick_up(\"regolith\")");
        };
        if carried.is_some_and(|c| c != resource) {
            return Resolver::wait(format!(
                "it carries {}, not {}",
                carried.map_or("", Resource::name),
                resource.name()
            ));
        }
        let amount = self.stock.get(resource).min(room);
        if amount == 0 {
            return Resolver::wait(format!("the store has no {}", resource.name()));
        }
        *self.stock.get_mut(resource) -= amount;
        *self.labour.withdrawn.get_mut(resource) += amount;
        Step::PickUp {
            from: Place::Store,
            at: body.at,
            resource,
            amount,
        }
    }
}

/// Why a robot waits when another robot holds the tile it steps to.
fn taken_by((x, y): Tile, other: &RobotId) -> String {
    format!("({x},{y}) is taken by robot {other}")
}

/// Whether a robot waited because another robot held the tile it stepped to: what a jam is.
pub fn blocked_by_robot(reason: &str) -> bool {
    reason.contains(" is taken by robot ")
}
