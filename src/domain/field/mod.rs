//! The surface as the robots see it: terrain and what is left to dig, piles on the ground,
//! buildings and sites, every robot, and the colony's store and batteries. The game-loop
//! process manager keeps one, folded from events alone (law 7), to run robot programs against
//! and to resolve what they chose.
//!
//! Every collection is ordered and persistent: a copy for a tick's programs costs nothing, and
//! nothing iterates in an order that could differ between processes.

pub mod routes;
pub mod sights;
mod unseen;

use imbl::{OrdMap, OrdSet, Vector};
use std::sync::Arc;

use crate::domain::catalogue::{BuildingKind, SurfaceMap, Terrain, terrain_in};
use crate::domain::event::Event;
use crate::domain::field::routes::{Routes, Tile};
use crate::domain::field::sights::{Cached, Sights};
use crate::domain::field::unseen::Unseen;
use crate::domain::ids::{BuildingId, RobotId, Tick};
use crate::domain::program;
use crate::domain::program::Compiled;
use crate::domain::program::api::{Seen, Surroundings};
use crate::domain::program::memory::{Memory, Value};
use crate::domain::resources::{Resource, Stock};
use crate::domain::robot::RobotState;
use crate::domain::robot::events::Place;
use crate::domain::ruleset::{ProgramSource, RobotRules, Ruleset};

/// The most steps longer than the plain way that a way around still robots may be: past
/// that, a robot takes the plain way and waits for them.
const DETOUR: u32 = 12;

/// The four steps a robot can take, in the order ties between them are settled.
const STEPS: [(i64, i64); 4] = [(0, -1), (-1, 0), (1, 0), (0, 1)];

/// A building or site as robots meet it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Structure {
    pub id: BuildingId,
    pub kind: String,
    pub site: bool,
    /// A site the player marked urgent: searches for sites name it first.
    pub urgent: bool,
    /// Switched on: a building switched off is run by no robot.
    pub on: bool,
    /// The robot that last worked on it, and when: a post one robot runs, others leave.
    pub run_by: Option<(RobotId, Tick)>,
    pub work_left: u32,
    /// Materials delivered to a site so far; it takes work once they cover its cost.
    pub delivered: Stock,
}

/// A robot ordered from a factory, with the program it comes out running.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Order {
    pub robot: RobotId,
    pub factory: BuildingId,
    pub program: Option<ProgramSource>,
}

/// A message a robot sent on `tick`: to one robot, or to every other (`to` none).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Mail {
    pub tick: Tick,
    pub from: RobotId,
    pub to: Option<RobotId>,
    pub value: Value,
}

/// A robot as the field knows it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Body {
    pub at: Tile,
    pub battery: u32,
    pub capacity: u32,
    pub cargo: Option<(Resource, u32)>,
    pub cargo_capacity: u32,
    /// The hash of its program.
    pub program: Option<String>,
    pub memory: Memory,
    pub faulted: bool,
    /// The last tick it moved on: a robot that did not move on the tick before stands still,
    /// and (from ruleset 2) way-finding goes around it.
    pub moved: Option<Tick>,
}

impl Body {
    /// The robot aggregate's view of this body, to decide its acts by the robot's own rules.
    pub fn as_robot(&self, id: &RobotId) -> RobotState {
        RobotState {
            id: id.clone(),
            x: self.at.0,
            y: self.at.1,
            battery: self.battery,
            capacity: self.capacity,
            cargo: self.cargo,
            cargo_capacity: self.cargo_capacity,
            program: None,
            fault: None,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Field {
    pub rules: Arc<Ruleset>,
    pub robot_rules: Arc<RobotRules>,
    pub map: Arc<SurfaceMap>,
    /// What has been dug from each tile.
    dug: OrdMap<Tile, u32>,
    pub piles: OrdMap<Tile, (Resource, u32)>,
    pub structures: OrdMap<Tile, Structure>,
    /// Rock or a building, by tile (row by row): where no robot can stand. Shared, since it
    /// changes only when something is built.
    walls: Arc<Vec<bool>>,
    places: OrdMap<BuildingId, Tile>,
    pub robots: OrdMap<RobotId, Body>,
    occupied: OrdMap<Tile, RobotId>,
    /// Every program uploaded, compiled once, by hash.
    programs: OrdMap<String, Compiled>,
    /// The colony's store and batteries as the last tick left them.
    pub stock: Stock,
    pub power: u32,
    /// Robots ordered and not yet assembled, oldest first, with their factory.
    pub orders: Vec<Order>,
    pub tick: Tick,
    /// The version of the rules' code the game is played by (see `ruleset::RULESET`).
    pub ruleset: u32,
    /// The kinds of building the game has, as `game_started` carried them.
    pub catalogue: Arc<Vec<BuildingKind>>,
    /// Every building id the game has used, standing or taken down: a new site's id is never
    /// one of them.
    pub ids: OrdSet<BuildingId>,
    /// Messages robots sent, each to be read on the tick after it was sent.
    pub mail: Vector<Mail>,
    /// Way-finding searches, shared by every copy of this field until it is built on.
    routes: Unseen<Arc<Routes>>,
    /// What programs look up, worked out once for the field as it is.
    sights: Unseen<Cached>,
}

/// No way-finding searches yet, for a field on `map`.
fn routes_on(map: &SurfaceMap) -> Unseen<Arc<Routes>> {
    Unseen(Arc::new(Routes::new((map.width, map.height))))
}

impl Field {
    /// The field of a colony game, if its rules have robots.
    pub fn of(
        rules: &Ruleset,
        map: &SurfaceMap,
        catalogue: &[BuildingKind],
        ruleset: u32,
    ) -> Option<Field> {
        let robot_rules = rules.robots.clone()?;
        let walls = (0..map.height)
            .flat_map(|y| (0..map.width).map(move |x| (x, y)))
            .map(|(x, y)| terrain_in(&map.terrain, x, y) == Terrain::Rock)
            .collect();
        Some(Field {
            walls: Arc::new(walls),
            rules: Arc::new(rules.clone()),
            robot_rules: Arc::new(robot_rules),
            map: Arc::new(map.clone()),
            dug: OrdMap::new(),
            piles: OrdMap::new(),
            structures: OrdMap::new(),
            places: OrdMap::new(),
            robots: OrdMap::new(),
            occupied: OrdMap::new(),
            programs: OrdMap::new(),
            stock: rules.start.stock,
            power: rules.start.power,
            orders: Vec::new(),
            tick: 0,
            ruleset,
            catalogue: Arc::new(catalogue.to_vec()),
            ids: rules.start.buildings.iter().map(|p| p.id.clone()).collect(),
            mail: Vector::new(),
            routes: routes_on(map),
            sights: Unseen::default(),
        })
    }

    /// A copy for one tick's programs, with way-finding searches of its own, which grow with
    /// what the tick's robots ask and go with the tick.
    pub fn for_programs(&self) -> Field {
        Field {
            routes: routes_on(&self.map),
            ..self.clone()
        }
    }

    pub fn on_map(&self, x: i64, y: i64) -> Option<Tile> {
        let (x, y) = (u16::try_from(x).ok()?, u16::try_from(y).ok()?);
        (x < self.map.width && y < self.map.height).then_some((x, y))
    }

    pub fn terrain(&self, at: Tile) -> Terrain {
        terrain_in(&self.map.terrain, at.0, at.1)
    }

    /// What digging the tile would yield, and how much is left of it.
    pub fn deposit(&self, at: Tile) -> Option<(Resource, u32)> {
        let (resource, whole) = self.whole_deposit(at)?;
        let dug = self.dug.get(&at).copied().unwrap_or(0);
        Some((resource, whole.saturating_sub(dug)))
    }

    /// What digging the tile would yield had none of it been dug.
    fn whole_deposit(&self, at: Tile) -> Option<(Resource, u32)> {
        if self.wall(at) {
            return None;
        }
        match self.terrain(at) {
            Terrain::Regolith => Some((Resource::Regolith, self.robot_rules.regolith_deposit)),
            Terrain::Crater => Some((Resource::Ice, self.robot_rules.ice_deposit)),
            Terrain::Dust | Terrain::Rock => None,
        }
    }

    pub fn robot_at(&self, at: Tile) -> Option<&RobotId> {
        self.occupied.get(&at)
    }

    pub fn program(&self, hash: &str) -> Option<&Compiled> {
        self.programs.get(hash)
    }

    /// Whether `at` is next to (one of the eight tiles around) a standing building of a kind.
    pub fn next_to(&self, at: Tile, kinds: &[String]) -> bool {
        self.around(at).any(|t| {
            self.wall(t)
                && self
                    .structures
                    .get(&t)
                    .is_some_and(|s| !s.site && kinds.contains(&s.kind))
        })
    }

    /// The tiles around `at` that are on the map, in a fixed order.
    pub fn around(&self, at: Tile) -> impl Iterator<Item = Tile> + '_ {
        let (x, y) = (i64::from(at.0), i64::from(at.1));
        [
            (-1, -1),
            (0, -1),
            (1, -1),
            (-1, 0),
            (1, 0),
            (-1, 1),
            (0, 1),
            (1, 1),
        ]
        .into_iter()
        .filter_map(move |(dx, dy)| self.on_map(x + dx, y + dy))
    }

    /// Where a robot may stand: on the map, not rock, no building, no robot.
    pub fn free(&self, at: Tile) -> bool {
        !self.wall(at) && !self.occupied.contains_key(&at)
    }

    /// Orders whose factory stands, oldest first.
    pub fn ready_orders(&self) -> Vec<RobotId> {
        self.orders
            .iter()
            .filter(|order| {
                self.places
                    .get(&order.factory)
                    .and_then(|at| self.structures.get(at))
                    .is_some_and(|s| !s.site)
            })
            .map(|order| order.robot.clone())
            .collect()
    }

    /// Where a robot assembled at `factory` comes out: the first free tile around it, then
    /// in widening rings; on a map with no free tile left, the factory's own, which it can
    /// step off.
    pub fn exit_of(&self, factory: &BuildingId, taken: &[Tile]) -> Option<Tile> {
        let at = self.places.get(factory).copied()?;
        let (fx, fy) = (i64::from(at.0), i64::from(at.1));
        let reach = i64::from(self.map.width.max(self.map.height));
        let free = (1..=reach).find_map(|r| {
            (-r..=r)
                .flat_map(|dy| (-r..=r).map(move |dx| (dx, dy)))
                .filter(|(dx, dy)| dx.abs().max(dy.abs()) == r)
                .filter_map(|(dx, dy)| self.on_map(fx + dx, fy + dy))
                .find(|t| self.free(*t) && !taken.contains(t))
        });
        Some(free.unwrap_or(at))
    }

    fn body(&mut self, robot: &RobotId) -> Option<&mut Body> {
        self.robots.get_mut(robot)
    }

    fn remember(&mut self, robot: &RobotId, memory: &Option<Memory>) {
        if let (Some(memory), Some(body)) = (memory, self.body(robot)) {
            body.memory = memory.clone();
        }
    }

    fn add_to_pile(&mut self, at: Tile, resource: Resource, amount: u32) {
        let held = self.piles.get(&at).map_or(0, |(_, n)| *n);
        self.piles.insert(at, (resource, held + amount));
    }

    fn take_from_pile(&mut self, at: Tile, amount: u32) {
        if let Some((resource, held)) = self.piles.get(&at).copied() {
            match held.saturating_sub(amount) {
                0 => self.piles.remove(&at),
                left => self.piles.insert(at, (resource, left)),
            };
        }
    }

    /// `evolve` in place.
    pub fn apply(&mut self, event: &Event) {
        self.sights.clear();
        match event {
            Event::BuildingPlaced(e) => self.stand(&e.building_id, &e.building_type, e.x, e.y, 0),
            Event::BuildingSpawned(e) => {
                self.stand(&e.building_id, &e.building_type, e.x, e.y, e.work_required)
            }
            Event::BuildingSpawnedV2(e) => {
                self.stand(&e.building_id, &e.building_type, e.x, e.y, e.work_required)
            }
            Event::ConstructionProgressed(e) => {
                if let Some(s) = self.structure(&e.building_id) {
                    s.work_left = e.work_required.saturating_sub(e.work_done);
                }
            }
            Event::ConstructionCompleted(e) => {
                if let Some(s) = self.structure(&e.building_id) {
                    s.site = false;
                    s.work_left = 0;
                }
            }
            Event::ColonyTicked(_) | Event::ColonyTickedV2(_) => {
                if let Some(e) = event.colony_ticked() {
                    for d in e.delivered {
                        if let Some(s) = self.structure(&d.building) {
                            s.delivered.add(&d.stock);
                        }
                    }
                    self.stock = e.stock;
                    self.power = e.power.stored;
                    self.tick = e.tick;
                }
            }
            Event::RobotOrdered(e) => self.orders.push(Order {
                robot: e.robot_id.clone(),
                factory: e.factory.clone(),
                program: None,
            }),
            Event::RobotOrderedV2(e) => self.orders.push(Order {
                robot: e.robot_id.clone(),
                factory: e.factory.clone(),
                program: e.program.clone(),
            }),
            Event::SiteMarkedUrgent(e) => {
                if let Some(s) = self.structure(&e.building_id) {
                    s.urgent = e.urgent;
                }
            }
            Event::BuildingSwitched(e) => {
                if let Some(s) = self.structure(&e.building_id) {
                    s.on = e.on;
                }
            }
            Event::BuildingDemolished(e) => self.take_down(&e.building_id),
            Event::RobotSent(e) => self.mail.push_back(Mail {
                tick: e.tick,
                from: e.robot_id.clone(),
                to: e.to.clone(),
                value: e.value.clone(),
            }),
            Event::GameloopAdvanced(e) => {
                // What was sent before the tick before this one has been read.
                self.mail.retain(|m| m.tick + 1 >= e.tick);
            }
            Event::RobotDeployed(e) => {
                self.orders.retain(|order| order.robot != e.robot_id);
                let at = (e.x, e.y);
                self.occupied.insert(at, e.robot_id.clone());
                self.robots.insert(
                    e.robot_id.clone(),
                    Body {
                        at,
                        battery: e.battery,
                        capacity: e.capacity,
                        cargo: None,
                        cargo_capacity: e.cargo_capacity,
                        program: None,
                        memory: Memory::new(),
                        faulted: false,
                        moved: None,
                    },
                );
            }
            Event::ProgramUploaded(e) => {
                if !self.programs.contains_key(&e.hash)
                    && let Ok(compiled) = program::compile(&e.source)
                {
                    self.programs.insert(e.hash.clone(), compiled);
                }
                if let Some(body) = self.body(&e.robot_id) {
                    body.program = Some(e.hash.clone());
                    body.memory = Memory::new();
                    body.faulted = false;
                }
            }
            Event::RobotMoved(e) => {
                if let Some(body) = self.robots.get_mut(&e.robot_id) {
                    let from = body.at;
                    body.at = (e.x, e.y);
                    body.battery = e.battery;
                    body.moved = Some(e.tick);
                    // In a swap the other robot may already stand where this one was.
                    if self.occupied.get(&from) == Some(&e.robot_id) {
                        self.occupied.remove(&from);
                    }
                    self.occupied.insert((e.x, e.y), e.robot_id.clone());
                }
                self.remember(&e.robot_id, &e.memory);
            }
            Event::RobotMined(e) => {
                *self.dug.entry((e.x, e.y)).or_insert(0) += e.amount;
                if let Some(body) = self.body(&e.robot_id) {
                    body.battery = e.battery;
                    let load = body.cargo.map_or(0, |(_, n)| n);
                    body.cargo = Some((e.resource, load + e.amount));
                }
                self.remember(&e.robot_id, &e.memory);
            }
            Event::RobotPickedUp(e) => {
                if e.from == Place::Ground {
                    self.take_from_pile((e.x, e.y), e.amount);
                }
                if let Some(body) = self.body(&e.robot_id) {
                    let load = body.cargo.map_or(0, |(_, n)| n);
                    body.cargo = Some((e.resource, load + e.amount));
                }
                self.remember(&e.robot_id, &e.memory);
            }
            Event::RobotDropped(e) => {
                if e.into == Place::Ground {
                    self.add_to_pile((e.x, e.y), e.resource, e.amount);
                }
                if let Some(body) = self.body(&e.robot_id) {
                    body.cargo = None;
                }
                self.remember(&e.robot_id, &e.memory);
            }
            Event::RobotWorked(e) => {
                if let Some(body) = self.body(&e.robot_id) {
                    body.battery = e.battery;
                }
                if let Some(s) = self.structure(&e.site) {
                    s.run_by = Some((e.robot_id.clone(), e.tick));
                }
                self.remember(&e.robot_id, &e.memory);
            }
            Event::RobotPlanted(e) => {
                if let Some(body) = self.body(&e.robot_id) {
                    body.battery = e.battery;
                }
                self.remember(&e.robot_id, &e.memory);
            }
            Event::RobotCharged(e) => {
                if let Some(body) = self.body(&e.robot_id) {
                    body.battery = e.battery;
                }
                self.remember(&e.robot_id, &e.memory);
            }
            Event::RobotWaited(e) => self.remember(&e.robot_id, &e.memory),
            Event::RobotFaulted(e) => {
                if let Some(body) = self.body(&e.robot_id) {
                    body.faulted = true;
                }
            }
            _ => {}
        }
    }

    /// Rock or a building: no robot can stand there.
    /// The free neighbour of `start` that brings the robot closest, by the counts `steps` gives
    /// (`u32::MAX` where unknown); with a robot on every such step, a free step to the side
    /// that gets no further away; with none of those either, the best step, to wait for it (or
    /// swap with a robot coming the other way). A robot never takes a step back, so none paces
    /// back and forth.
    fn choose_step(&self, start: Tile, steps: impl Fn(Tile) -> u32) -> Option<(i64, i64)> {
        let here = steps(start);
        let options: Vec<((i64, i64), u32, bool)> = STEPS
            .into_iter()
            .filter_map(|(dx, dy)| {
                let next = self.on_map(i64::from(start.0) + dx, i64::from(start.1) + dy)?;
                let n = steps(next);
                let free = !self.occupied.contains_key(&next);
                (n != u32::MAX).then_some(((dx, dy), n, free))
            })
            .collect();
        let best = |keep: &dyn Fn(u32, bool) -> bool| {
            options
                .iter()
                .filter(|(_, n, free)| keep(*n, *free))
                .min_by_key(|(_, n, _)| *n)
                .map(|(step, _, _)| *step)
        };
        best(&|n, free| n < here && free)
            .or_else(|| best(&|n, free| n == here && free))
            .or_else(|| best(&|n, _| n < here))
    }

    pub fn wall(&self, at: Tile) -> bool {
        let i = usize::from(at.1) * usize::from(self.map.width) + usize::from(at.0);
        self.walls.get(i).copied().unwrap_or(true)
    }

    fn stand(&mut self, id: &BuildingId, kind: &str, x: u16, y: u16, work: u32) {
        let i = usize::from(y) * usize::from(self.map.width) + usize::from(x);
        if let Some(wall) = Arc::make_mut(&mut self.walls).get_mut(i) {
            *wall = true;
        }
        self.routes = routes_on(&self.map);
        self.ids.insert(id.clone());
        self.places.insert(id.clone(), (x, y));
        self.structures.insert(
            (x, y),
            Structure {
                id: id.clone(),
                kind: kind.to_owned(),
                site: work > 0,
                urgent: false,
                on: true,
                run_by: None,
                work_left: work,
                delivered: Stock::default(),
            },
        );
    }

    /// A building or site taken down: its tile is open ground again (what was dug there stays
    /// dug), and its id stays used.
    fn take_down(&mut self, id: &BuildingId) {
        let Some(at) = self.places.remove(id) else {
            return;
        };
        self.structures.remove(&at);
        let i = usize::from(at.1) * usize::from(self.map.width) + usize::from(at.0);
        let rock = self.terrain(at) == Terrain::Rock;
        if let Some(wall) = Arc::make_mut(&mut self.walls).get_mut(i) {
            *wall = rock;
        }
        self.routes = routes_on(&self.map);
    }

    fn structure(&mut self, id: &BuildingId) -> Option<&mut Structure> {
        let at = *self.places.get(id)?;
        self.structures.get_mut(&at)
    }

    /// The first of the tiles within `radius` of (x, y) (a square) that `wanted` takes,
    /// nearest first by steps, then by y, then x: a search stops where it finds. Plain loops,
    /// since a thousand robots each search hundreds of tiles a tick.
    fn find_near(
        &self,
        x: i64,
        y: i64,
        radius: i64,
        mut wanted: impl FnMut(Tile) -> bool,
    ) -> Option<Tile> {
        let radius = radius.max(0);
        for steps in 0..=2 * radius {
            for dy in (-steps).max(-radius)..=steps.min(radius) {
                let dx = steps - dy.abs();
                if dx > radius {
                    continue;
                }
                let xs = if dx == 0 { [0, 0] } else { [-dx, dx] };
                for dx in &xs[..if dx == 0 { 1 } else { 2 }] {
                    if let Some(at) = self.on_map(x + dx, y + dy)
                        && wanted(at)
                    {
                        return Some(at);
                    }
                }
            }
        }
        None
    }

    fn sights(&self) -> &Sights {
        self.sights.get(|| self.look_around())
    }

    /// What a tick's programs look up, worked out from the field as it stands.
    fn look_around(&self) -> Sights {
        let rules = &self.robot_rules;
        let standing = |s: &Structure, keep: &dyn Fn(&str) -> bool| !s.site && keep(&s.kind);
        let mut sights = Sights::new(self.map.width, self.map.height);
        for (&at, s) in &self.structures {
            if standing(s, &|kind| kind == rules.store) {
                sights.stores.push(at);
            }
            if standing(s, &|kind| rules.chargers.iter().any(|c| c == kind)) {
                sights.chargers.push(at);
            }
            if self.workable(s) {
                sights.sites.push((at, s.urgent));
            }
            if self.post(s) {
                sights.posts.push(at);
            }
        }
        let standing: Vec<Tile> = sights
            .stores
            .iter()
            .chain(&sights.chargers)
            .copied()
            .collect();
        for at in standing {
            for next in self.around(at) {
                sights.keep_clear(next);
            }
        }
        // Most tiles were never dug: the whole deposits by tile, then what was dug from them.
        for y in 0..self.map.height {
            for x in 0..self.map.width {
                if let Some((_, whole)) = self.whole_deposit((x, y)) {
                    sights.set_left((x, y), whole);
                }
            }
        }
        for (&at, &dug) in &self.dug {
            if let Some((_, whole)) = self.whole_deposit(at) {
                sights.set_left(at, whole.saturating_sub(dug));
            }
        }
        for (&at, robot) in &self.occupied {
            let still = self
                .robots
                .get(robot)
                .is_some_and(|b| b.moved != Some(self.tick));
            sights.stand(at, still);
        }
        for &at in self.piles.keys() {
            sights.pile_on(at);
        }
        sights
    }

    /// Whether a robot may run `s` this tick: built, switched on, of a kind that takes
    /// operators (ruleset 2).
    pub fn post(&self, s: &Structure) -> bool {
        !s.site
            && s.on
            && self
                .rules
                .economy(&s.kind)
                .is_some_and(|e| e.operators_in(self.ruleset) > 0)
    }

    /// Whether a robot other than `me` ran `s` on the tick before: a post one robot runs,
    /// others leave to it.
    fn busy(&self, s: &Structure, me: Option<&RobotId>) -> bool {
        s.run_by
            .as_ref()
            .is_some_and(|(by, tick)| Some(by) != me && *tick + 1 >= self.tick)
    }

    /// A site with its materials in, still needing work: one a robot's work goes into.
    pub fn workable(&self, s: &Structure) -> bool {
        s.site
            && self
                .rules
                .economy(&s.kind)
                .is_none_or(|e| s.delivered.covers(&e.cost))
    }

    fn seen(&self, at: Tile, s: &Structure) -> Seen {
        Seen {
            id: s.id.to_string(),
            kind: s.kind.clone(),
            x: i64::from(at.0),
            y: i64::from(at.1),
            site: s.site,
            supplied: self.workable(s),
            work_left: i64::from(s.work_left),
            post: (self.ruleset >= 2).then(|| self.post(s)),
            busy: (self.ruleset >= 2).then(|| self.busy(s, None)),
        }
    }
}

impl Surroundings for Field {
    fn ground(&self, x: i64, y: i64) -> Option<&'static str> {
        self.on_map(x, y).map(|at| self.terrain(at).name())
    }

    fn deposit(&self, x: i64, y: i64) -> i64 {
        self.on_map(x, y)
            .and_then(|at| self.deposit(at))
            .map_or(0, |(_, left)| i64::from(left))
    }

    fn pile(&self, x: i64, y: i64) -> Option<(Resource, i64)> {
        let at = self.on_map(x, y)?;
        self.piles.get(&at).map(|(r, n)| (*r, i64::from(*n)))
    }

    fn robot_at(&self, x: i64, y: i64) -> Option<String> {
        let at = self.on_map(x, y)?;
        self.occupied.get(&at).map(ToString::to_string)
    }

    fn building_at(&self, x: i64, y: i64) -> Option<Seen> {
        let at = self.on_map(x, y)?;
        self.structures.get(&at).map(|s| self.seen(at, s))
    }

    fn nearest(&self, what: &str, x: i64, y: i64, radius: i64) -> Option<(i64, i64)> {
        let sights = self.sights();
        let point = |(tx, ty): Tile| (i64::from(tx), i64::from(ty));
        // What the colony knows of wherever it is (its sites, its store, its chargers): the
        // nearest of the buildings, by steps, then y, then x.
        let building = |tiles: &mut dyn Iterator<Item = Tile>| {
            tiles
                .map(point)
                .min_by_key(|&(tx, ty)| ((tx - x).abs() + (ty - y).abs(), ty, tx))
        };
        let sites = |urgent: bool| {
            building(
                &mut sights
                    .sites
                    .iter()
                    .filter(|(_, u)| *u || !urgent)
                    .map(|(at, _)| *at),
            )
        };
        match what {
            // An urgent site first, wherever it is.
            "site" => return sites(true).or_else(|| sites(false)),
            "store" => return building(&mut sights.stores.iter().copied()),
            "charger" => return building(&mut sights.chargers.iter().copied()),
            // A working building that a robot must run (ruleset 2) and that no other robot
            // ran on the tick before: robots that look for one spread over them.
            "post" => {
                let me = self.on_map(x, y).and_then(|at| self.occupied.get(&at));
                let idle = |at: &Tile| self.structures.get(at).is_some_and(|s| !self.busy(s, me));
                return building(&mut sights.posts.iter().copied().filter(idle));
            }
            _ => {}
        }
        // A deposit another robot stands on is that robot's, and one next to the store or a
        // charger is left alone: robots must be able to reach those.
        let mine =
            |at: Tile| (point(at) == (x, y) || !sights.occupied(at)) && !sights.kept_clear(at);
        let dig = |at: Tile, ground| sights.left(at) > 0 && self.terrain(at) == ground && mine(at);
        let wanted: &dyn Fn(Tile) -> bool = match what {
            "regolith" => &|at| dig(at, Terrain::Regolith),
            "ice" => &|at| dig(at, Terrain::Crater),
            "pile" => &|at| sights.pile(at),
            _ => return None,
        };
        self.find_near(x, y, radius, wanted).map(point)
    }

    fn sites(&self, x: i64, y: i64) -> Vec<Seen> {
        let mut sites: Vec<Seen> = self
            .structures
            .iter()
            .filter(|(_, s)| s.site)
            .map(|(at, s)| self.seen(*at, s))
            .collect();
        // Urgent sites first, then nearest first.
        let urgent = |s: &Seen| {
            self.on_map(s.x, s.y)
                .and_then(|at| self.structures.get(&at))
                .is_some_and(|st| st.urgent)
        };
        sites.sort_by_key(|s| (!urgent(s), (s.x - x).abs() + (s.y - y).abs(), s.y, s.x));
        sites
    }

    fn buildings(&self, x: i64, y: i64) -> Vec<Seen> {
        let mut buildings: Vec<Seen> = self
            .structures
            .iter()
            .filter(|(_, s)| !s.site)
            .map(|(at, s)| self.seen(*at, s))
            .collect();
        buildings.sort_by_key(|s| ((s.x - x).abs() + (s.y - y).abs(), s.y, s.x));
        buildings
    }

    fn robots(&self, x: i64, y: i64, radius: i64) -> Vec<(String, i64, i64)> {
        let mut robots = Vec::new();
        // Every robot in reach, nearest first: the search is told it never found, so it
        // visits every tile.
        self.find_near(x, y, radius, |at| {
            let (tx, ty) = (i64::from(at.0), i64::from(at.1));
            if let Some(id) = self.occupied.get(&at).filter(|_| (tx, ty) != (x, y)) {
                robots.push((id.to_string(), tx, ty));
            }
            false
        });
        robots
    }

    fn step_toward(&self, from: (i64, i64), to: (i64, i64)) -> Option<(i64, i64)> {
        let start = self.on_map(from.0, from.1)?;
        let target = self.on_map(to.0, to.1)?;
        // The goal: the target itself, or where a building stands there, the tiles around it,
        // those no other robot stands on first.
        let goals: Vec<Tile> = if !self.wall(target) {
            vec![target]
        } else {
            let around: Vec<Tile> = self.around(target).filter(|t| !self.wall(*t)).collect();
            let open: Vec<Tile> = around
                .iter()
                .copied()
                .filter(|t| *t == start || !self.occupied.contains_key(t))
                .collect();
            if open.is_empty() { around } else { open }
        };
        if goals.contains(&start) {
            return None;
        }
        // Steps to the goal, breadth first from it, around rock and buildings; robots do not
        // count, since they move.
        let open = |at: Tile| {
            STEPS.map(|(dx, dy)| {
                self.on_map(i64::from(at.0) + dx, i64::from(at.1) + dy)
                    .filter(|&next| !self.wall(next))
            })
        };
        let (plain, far) = self.routes.counts(&goals, start, open, |steps| {
            (self.choose_step(start, steps), steps(start))
        });
        if self.ruleset < 2 || far == u32::MAX {
            return plain;
        }
        // From ruleset 2: around the robots that stood still the tick before, when there is
        // such a way at most `DETOUR` steps longer; only when there is none, the plain way,
        // to wait for them to move.
        let sights = self.sights();
        let open = |at: Tile| {
            STEPS.map(|(dx, dy)| {
                self.on_map(i64::from(at.0) + dx, i64::from(at.1) + dy)
                    .filter(|&next| !self.wall(next) && !sights.still(next))
            })
        };
        let near: Vec<Tile> = std::iter::once(start)
            .chain(STEPS.into_iter().filter_map(|(dx, dy)| {
                self.on_map(i64::from(start.0) + dx, i64::from(start.1) + dy)
            }))
            .collect();
        self.routes
            .counts_near(
                &goals,
                &near,
                far.saturating_add(DETOUR),
                self.ruleset >= 3,
                open,
                |steps| self.choose_step(start, steps),
            )
            .or(plain)
    }

    fn step_away(&self, from: (i64, i64), away: (i64, i64)) -> Option<(i64, i64)> {
        let start = self.on_map(from.0, from.1)?;
        let far = |t: Tile| {
            (i64::from(t.0) - away.0)
                .abs()
                .max((i64::from(t.1) - away.1).abs())
        };
        STEPS
            .into_iter()
            .filter_map(|(dx, dy)| {
                let next = self.on_map(i64::from(start.0) + dx, i64::from(start.1) + dy)?;
                Some(((dx, dy), next))
            })
            .filter(|(_, next)| self.free(*next) && far(*next) > far(start))
            .max_by_key(|(_, next)| far(*next))
            .map(|(step, _)| step)
    }

    fn power(&self) -> i64 {
        i64::from(self.power)
    }

    fn store(&self, resource: Resource) -> i64 {
        i64::from(self.stock.get(resource))
    }
}
