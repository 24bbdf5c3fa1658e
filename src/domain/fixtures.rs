//! Small games and events for the core's unit tests.

use uuid::Uuid;

use crate::domain::building::commands::BuildingCommand;
use crate::domain::building::events::{
    BuildingSpawned, BuildingSpawnedV2, ConstructionCompleted, ConstructionProgressed,
};
use crate::domain::catalogue::{BuildingKind, SurfaceMap};
use crate::domain::colony::events::ColonyFounded;
use crate::domain::event::Event;
use crate::domain::game::commands::{GameCommand, PlantSite, StartGame};
use crate::domain::game::events::{
    GameStarted, GameStartedV2, GameStopped, GameloopAdvanced, SitePlanted,
};
use crate::domain::ids::{BuildingId, GameId, RobotId, Tick};
use crate::domain::resources::Stock;
use crate::domain::robot::events::{ProgramUploaded, RobotDeployed};
use crate::domain::ruleset::RULESET;

pub fn robot_id(s: &str) -> RobotId {
    RobotId::parse(s).unwrap()
}

pub fn deployed(robot: &str, x: u16, y: u16, battery: u32) -> Event {
    Event::RobotDeployed(RobotDeployed {
        robot_id: robot_id(robot),
        x,
        y,
        battery,
        capacity: 20,
        cargo_capacity: 4,
        tick: 0,
    })
}

pub fn uploaded(robot: &str, source: &str) -> Event {
    Event::ProgramUploaded(ProgramUploaded {
        robot_id: robot_id(robot),
        name: "test".into(),
        source: source.into(),
        hash: crate::domain::program::hash_of(source),
        tick: 0,
    })
}

pub fn game_id() -> GameId {
    GameId(Uuid::from_u128(0x1111_2222_3333_4444_5555_6666_7777_8888))
}

pub fn id(s: &str) -> BuildingId {
    BuildingId::parse(s).unwrap()
}

pub fn catalogue() -> Vec<BuildingKind> {
    vec![
        BuildingKind {
            key: "hq".into(),
            name: "Headquarters".into(),
            glyph: 'H',
            work_ticks: 3,
        },
        BuildingKind {
            key: "oxygen".into(),
            name: "Oxygen Generator".into(),
            glyph: 'O',
            work_ticks: 2,
        },
    ]
}

pub fn map() -> SurfaceMap {
    SurfaceMap {
        name: "tiny".into(),
        width: 4,
        height: 3,
        terrain: vec!["....".into(), ".*..".into(), "..^.".into()],
    }
}

pub fn start() -> StartGame {
    StartGame {
        game_id: game_id(),
        name: "Test Colony".into(),
        seed: 7,
        player: "px42".into(),
        map: map(),
        catalogue: catalogue(),
        rules: None,
        ruleset: RULESET,
    }
}

pub fn plant(building: &str, kind: &str, x: i32, y: i32) -> GameCommand {
    GameCommand::PlantSite(PlantSite {
        building_id: id(building),
        building_type: kind.into(),
        x,
        y,
        player: None,
        work_ticks: None,
    })
}

pub fn started() -> Event {
    let s = start();
    Event::GameStarted(GameStarted {
        game_id: s.game_id,
        name: s.name,
        seed: s.seed,
        player: s.player,
        map: s.map,
        catalogue: s.catalogue,
        tick: 0,
    })
}

pub fn advanced(tick: Tick) -> Event {
    Event::GameloopAdvanced(GameloopAdvanced {
        game_id: game_id(),
        tick,
    })
}

pub fn planted(building: &str, kind: &str, x: u16, y: u16, work: u32, tick: Tick) -> Event {
    Event::SitePlanted(SitePlanted {
        game_id: game_id(),
        building_id: id(building),
        building_type: kind.into(),
        x,
        y,
        player: "px42".into(),
        work_required: work,
        tick,
    })
}

/// A spawn as the rules write it now.
pub fn spawned(building: &str, kind: &str, x: u16, y: u16, work: u32, tick: Tick) -> Event {
    let (name, glyph) = catalogue()
        .into_iter()
        .find(|k| k.key == kind)
        .map_or(("?".to_owned(), '?'), |k| (k.name, k.glyph));
    Event::BuildingSpawnedV2(BuildingSpawnedV2 {
        building_id: id(building),
        building_type: kind.into(),
        name,
        glyph,
        x,
        y,
        player: "px42".into(),
        work_required: work,
        tick,
    })
}

/// A spawn as saves of schema 1 hold it.
pub fn spawned_v1(building: &str, kind: &str, x: u16, y: u16, work: u32, tick: Tick) -> Event {
    Event::BuildingSpawned(BuildingSpawned {
        building_id: id(building),
        building_type: kind.into(),
        x,
        y,
        player: "px42".into(),
        work_required: work,
        tick,
    })
}

pub fn progressed(building: &str, done: u32, required: u32, tick: Tick) -> Event {
    Event::ConstructionProgressed(ConstructionProgressed {
        building_id: id(building),
        work_done: done,
        work_required: required,
        tick,
    })
}

pub fn completed(building: &str, tick: Tick) -> Event {
    Event::ConstructionCompleted(ConstructionCompleted {
        building_id: id(building),
        tick,
    })
}

pub fn stopped(tick: Tick) -> Event {
    Event::GameStopped(GameStopped {
        game_id: game_id(),
        tick,
    })
}

/// A small colony's rules: an HQ with one crew and a little power, solar arrays, batteries, an
/// ice extractor, water and oxygen generators, housing; ten ticks of day, five of night.
pub fn rules() -> crate::domain::ruleset::Ruleset {
    use super::catalogue::Terrain::{Crater, Dust, Regolith};
    use super::ruleset::*;
    let ground = vec![Regolith, Dust];
    let kind = |key: &str, tier| Economy {
        key: key.into(),
        cost: Stock::default(),
        terrain: ground.clone(),
        power: 0,
        generates: 0,
        solar: 0,
        storage: 0,
        housing: 0,
        crew: 0,
        consumes: Stock::default(),
        produces: Stock::default(),
        tier,
        operators: 0,
    };
    let economy = vec![
        Economy {
            generates: 2,
            storage: 20,
            crew: 1,
            ..kind("hq", Tier::Industry)
        },
        Economy {
            solar: 4,
            cost: Stock {
                regolith: 5,
                ..Stock::default()
            },
            ..kind("solar", Tier::Industry)
        },
        Economy {
            storage: 50,
            ..kind("battery", Tier::Industry)
        },
        Economy {
            power: 2,
            produces: Stock {
                ice: 2,
                ..Stock::default()
            },
            terrain: vec![Crater],
            ..kind("ice", Tier::Industry)
        },
        Economy {
            power: 2,
            consumes: Stock {
                ice: 2,
                ..Stock::default()
            },
            produces: Stock {
                water: 2,
                ..Stock::default()
            },
            ..kind("water", Tier::LifeSupport)
        },
        Economy {
            power: 2,
            consumes: Stock {
                water: 1,
                ..Stock::default()
            },
            produces: Stock {
                oxygen: 3,
                ..Stock::default()
            },
            ..kind("oxygen", Tier::LifeSupport)
        },
        Economy {
            power: 1,
            housing: 2,
            ..kind("housing", Tier::LifeSupport)
        },
    ];
    Ruleset {
        day_ticks: 10,
        night_ticks: 5,
        dawn: 0,
        breathe: 1,
        drink: 1,
        grace: 2,
        site_power: 1,
        economy,
        start: StartKit {
            stock: Stock {
                regolith: 20,
                ..Stock::default()
            },
            power: 0,
            buildings: vec![Placed {
                id: id("hq"),
                kind: "hq".into(),
                x: 0,
                y: 0,
            }],
            robots: Vec::new(),
        },
        robots: None,
        mission: crate::domain::ruleset::Mission {
            id: "test".into(),
            title: "Test".into(),
            goal: "stand".into(),
            briefing: Vec::new(),
            objectives: Vec::new(),
            deadline: None,
            ships: Vec::new(),
            max_losses: 0,
            hands_off: false,
            varies: None,
            shipped: None,
        },
    }
}

/// Small robots for small maps: a battery of 20, a cargo of 4, sensors reaching 5 tiles.
pub fn robot_rules() -> crate::domain::ruleset::RobotRules {
    crate::domain::ruleset::RobotRules {
        battery: 20,
        charge_rate: 5,
        cargo: 4,
        radius: 5,
        move_cost: 1,
        mine_cost: 2,
        work_cost: 2,
        mine_yield: 2,
        regolith_deposit: 4,
        ice_deposit: 6,
        store: "hq".into(),
        chargers: vec!["hq".into()],
        factory: "factory".into(),
        cost: crate::domain::resources::Stock {
            regolith: 10,
            ..crate::domain::resources::Stock::default()
        },
    }
}

pub fn founded(rules: crate::domain::ruleset::Ruleset) -> Event {
    Event::ColonyFounded(ColonyFounded {
        game_id: game_id(),
        rules: Box::new(rules),
        tick: 0,
    })
}

/// A building as the process manager reports it to the colony.
pub fn standing(building: &str, kind: &str, ready: bool) -> crate::domain::colony::tick::Standing {
    crate::domain::colony::tick::Standing {
        id: id(building),
        kind: kind.into(),
        ready,
        on: true,
        urgent: false,
    }
}

/// A colony game on [`map`] with [`rules`]: the catalogue of its kinds.
pub fn colony_start() -> StartGame {
    let kinds = [
        "hq", "solar", "battery", "ice", "water", "oxygen", "housing",
    ];
    StartGame {
        catalogue: kinds
            .iter()
            .map(|k| BuildingKind {
                key: (*k).into(),
                name: k.to_uppercase(),
                glyph: k.chars().next().unwrap_or('?'),
                work_ticks: 2,
            })
            .collect(),
        rules: Some(Box::new(rules())),
        ..start()
    }
}

pub fn colony_started() -> Event {
    let start = colony_start();
    Event::GameStartedV2(GameStartedV2 {
        game_id: start.game_id,
        name: start.name,
        seed: start.seed,
        player: start.player,
        map: start.map,
        catalogue: start.catalogue,
        rules: start.rules.unwrap_or_else(|| Box::new(rules())),
        tick: 0,
    })
}

/// One tick of work for a building, as the process manager asks for it.
pub fn advance(building: &str, tick: u64) -> BuildingCommand {
    BuildingCommand::AdvanceConstruction {
        building_id: id(building),
        ticks: 1,
        tick,
    }
}
