//! Small games and events for the core's unit tests.

use uuid::Uuid;

use super::catalogue::{BuildingKind, SurfaceMap};
use super::command::{GameCommand, PlantSite, StartGame};
use super::event::*;
use super::ids::{BuildingId, GameId, Tick};

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
