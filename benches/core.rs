//! Micro-benchmarks of the functional core: decide and evolve of each aggregate, the process
//! manager, and each projector, on a colony of 500 buildings. `cargo bench` prints nanoseconds
//! per call; compare runs on the same machine, since these machines are shared and noisy.

use std::hint::black_box;
use std::time::Instant;

use lunar::domain::building::Building;
use lunar::domain::building::commands::BuildingCommand;
use lunar::domain::building::events::{BuildingSpawnedV2, ConstructionProgressed};
use lunar::domain::catalogue::{BuildingKind, SurfaceMap};
use lunar::domain::event::Event;
use lunar::domain::game::Game;
use lunar::domain::game::commands::{GameCommand, PlantSite, StartGame};
use lunar::domain::game::events::{GameStarted, GameloopAdvanced, SitePlanted};
use lunar::domain::gameloop::GameloopPm;
use lunar::domain::ids::{BuildingId, GameId};
use lunar::domain::projection::Projections;
use uuid::Uuid;

const SIZE: u16 = 64;

fn id(n: usize) -> BuildingId {
    BuildingId::parse(&format!("b{n}")).unwrap()
}

fn started() -> Event {
    let row = ".".repeat(usize::from(SIZE));
    Event::GameStarted(GameStarted {
        game_id: GameId(Uuid::nil()),
        name: "Bench".into(),
        seed: 1,
        player: "p".into(),
        map: SurfaceMap {
            name: "bench".into(),
            width: SIZE,
            height: SIZE,
            terrain: vec![row; usize::from(SIZE)],
        },
        catalogue: vec![BuildingKind {
            key: "hq".into(),
            name: "Headquarters".into(),
            glyph: 'H',
            work_ticks: 1000,
        }],
        tick: 0,
    })
}

fn planted(n: usize) -> Event {
    Event::SitePlanted(SitePlanted {
        game_id: GameId(Uuid::nil()),
        building_id: id(n),
        building_type: "hq".into(),
        x: (n % 64) as u16,
        y: (n / 64) as u16,
        player: "p".into(),
        work_required: 1000,
        tick: 0,
    })
}

fn spawned(n: usize) -> Event {
    Event::BuildingSpawnedV2(BuildingSpawnedV2 {
        building_id: id(n),
        building_type: "hq".into(),
        name: "Headquarters".into(),
        glyph: 'H',
        x: (n % 64) as u16,
        y: (n / 64) as u16,
        player: "p".into(),
        work_required: 1000,
        tick: 0,
    })
}

fn progressed(n: usize, done: u32) -> Event {
    Event::ConstructionProgressed(ConstructionProgressed {
        building_id: id(n),
        work_done: done,
        work_required: 1000,
        tick: u64::from(done),
    })
}

/// Runs `f` enough times to take about half a second and prints nanoseconds per call.
fn bench(name: &str, mut f: impl FnMut()) {
    for _ in 0..1000 {
        f();
    }
    let mut iterations = 1000u64;
    loop {
        let started = Instant::now();
        for _ in 0..iterations {
            f();
        }
        let elapsed = started.elapsed();
        if elapsed.as_millis() >= 500 || iterations >= 1 << 26 {
            let ns = elapsed.as_nanos() as f64 / iterations as f64;
            println!("{name:<48} {ns:>10.1} ns/call  ({iterations} calls)");
            return;
        }
        iterations *= 4;
    }
}

fn main() {
    let colony: Vec<Event> = std::iter::once(started())
        .chain((0..500).flat_map(|n| [planted(n), spawned(n)]))
        .collect();
    let game = colony.iter().fold(Game::initial(), |g, e| g.evolve(e));
    let pm = colony
        .iter()
        .fold(GameloopPm::initial(), |p, e| p.evolve(e));
    let projections = colony
        .iter()
        .fold(Projections::default(), |p, e| p.project(e));
    let building = Building::initial().evolve(&spawned(7));
    let tick = Event::GameloopAdvanced(GameloopAdvanced {
        game_id: GameId(Uuid::nil()),
        tick: 5,
    });

    println!("core micro-benchmarks, a colony of 500 buildings\n");
    let advance = GameCommand::AdvanceGameloop { tick: 1 };
    bench("game: decide advance_gameloop", || {
        black_box(game.decide(black_box(&advance)).ok());
    });
    let plant = GameCommand::PlantSite(PlantSite {
        building_id: id(9999),
        building_type: "hq".into(),
        x: 63,
        y: 63,
        player: None,
        work_ticks: None,
    });
    bench("game: decide plant_site (500 tiles taken)", || {
        black_box(game.decide(black_box(&plant)).ok());
    });
    let start = GameCommand::StartGame(StartGame {
        game_id: GameId(Uuid::nil()),
        name: "x".into(),
        seed: 1,
        player: "p".into(),
        map: SurfaceMap {
            name: "m".into(),
            width: 4,
            height: 1,
            terrain: vec!["....".into()],
        },
        catalogue: Vec::new(),
        rules: None,
        ruleset: 0,
    });
    bench("game: decide start_game (rejected, started)", || {
        black_box(game.decide(black_box(&start)).ok());
    });
    let mut evolving = game.clone();
    bench("game: evolve gameloop_advanced", || {
        evolving = std::mem::take(&mut evolving).evolve(black_box(&tick));
    });
    let work = BuildingCommand::AdvanceConstruction {
        building_id: id(7),
        ticks: 1,
        tick: 5,
    };
    bench("building: decide advance_construction", || {
        black_box(building.decide(black_box(&work)).ok());
    });
    let step = progressed(7, 3);
    let mut site = building.clone();
    bench("building: evolve construction_progressed", || {
        site = std::mem::take(&mut site).evolve(black_box(&step));
    });
    bench("process manager: react to a tick (500 sites)", || {
        black_box(pm.react(black_box(&tick)));
    });
    let mut manager = pm.clone();
    bench("process manager: evolve construction_progressed", || {
        manager.apply(black_box(&step));
    });
    let mut view = projections.clone();
    let mut done = 0;
    bench("projections: construction_progressed, all views", || {
        done = (done + 1) % 1000;
        view.apply(black_box(&progressed(done as usize % 500, done)));
    });
    let mut buildings = projections.buildings.clone();
    bench("projector buildings: construction_progressed", || {
        buildings.apply(black_box(&step));
    });
    let mut colony_view = projections.colony.clone();
    bench("projector colony: gameloop_advanced", || {
        colony_view.apply(black_box(&tick));
    });
    let mut feed = projections.feed.clone();
    let planted_event = planted(3);
    bench("projector feed: site_planted", || {
        feed.apply(black_box(&planted_event));
    });
    bench("projections: clone (a keyframe)", || {
        black_box(projections.clone());
    });
}
