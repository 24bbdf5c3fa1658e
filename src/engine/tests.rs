//! The dispatch loop: cascades, ordering, metadata and atomicity.

use super::envelope::{Origin, Source};
use super::*;
use crate::domain::fixtures::*;
use crate::domain::game::commands::GameCommand;

fn run(engine: &mut Engine, command: GameCommand) -> Vec<RecordedEvent> {
    engine
        .execute(Command::Game(command), Origin::player())
        .unwrap()
}

/// One line per event: `seq stream vN type`, the shape the tests compare.
fn lines(events: &[RecordedEvent]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            format!(
                "{} {} v{} {}",
                e.seq,
                e.stream,
                e.version,
                e.event.type_name()
            )
        })
        .collect()
}

#[test]
fn planting_cascades_into_a_spawned_building_in_one_chain() {
    let mut engine = Engine::new();
    run(&mut engine, GameCommand::StartGame(start()));
    let events = run(&mut engine, plant("a", "hq", 0, 0));
    let game = crate::domain::subject::Subject::Game(game_id()).stream();
    assert_eq!(
        lines(&events),
        [
            format!("2 {game} v2 site_planted"),
            "3 bldg-a v1 building_spawned_v2".to_string(),
        ]
    );
    assert_eq!(events[0].metadata.causation_id, None);
    assert_eq!(events[1].metadata.causation_id, Some(events[0].id));
    assert_eq!(
        events[0].metadata.correlation_id,
        events[1].metadata.correlation_id
    );
    assert_eq!(events[1].metadata.source, Source::ProcessManager);
    assert_eq!(events[1].metadata.command, "spawn_building");
}

#[test]
fn a_site_planted_at_t_needing_n_is_ready_at_t_plus_n() {
    let mut engine = Engine::new();
    run(&mut engine, GameCommand::StartGame(start()));
    run(&mut engine, GameCommand::AdvanceGameloop { tick: 1 });
    run(&mut engine, plant("a", "hq", 0, 0));
    let mut completed_at = None;
    for tick in 2..=6 {
        let events = run(&mut engine, GameCommand::AdvanceGameloop { tick });
        if events
            .iter()
            .any(|e| e.event.type_name() == "construction_completed")
        {
            completed_at.get_or_insert(tick);
        }
    }
    assert_eq!(completed_at, Some(1 + 3));
}

#[test]
fn a_tick_advances_every_site_in_spawn_order() {
    let mut engine = Engine::new();
    run(&mut engine, GameCommand::StartGame(start()));
    run(&mut engine, plant("b", "oxygen", 0, 0));
    run(&mut engine, plant("a", "hq", 1, 0));
    let events = run(&mut engine, GameCommand::AdvanceGameloop { tick: 1 });
    let game = crate::domain::subject::Subject::Game(game_id()).stream();
    assert_eq!(
        lines(&events),
        [
            format!("6 {game} v4 gameloop_advanced"),
            "7 bldg-b v2 construction_progressed".to_string(),
            "8 bldg-a v2 construction_progressed".to_string(),
        ]
    );
}

#[test]
fn a_rejected_command_changes_nothing() {
    let mut engine = Engine::new();
    run(&mut engine, GameCommand::StartGame(start()));
    run(&mut engine, plant("a", "hq", 0, 0));
    let before = engine.clone();
    let outcome = engine.execute(Command::Game(plant("b", "hq", 0, 0)), Origin::player());
    assert!(matches!(
        outcome,
        Err(EngineError::Rejected(Rejection::TileTaken { .. }))
    ));
    assert_eq!(engine, before);
}

#[test]
fn replaying_the_log_rebuilds_the_same_engine() {
    let mut engine = Engine::new();
    let mut log = run(&mut engine, GameCommand::StartGame(start()));
    log.extend(run(&mut engine, plant("a", "hq", 0, 0)));
    for tick in 1..=4 {
        log.extend(run(&mut engine, GameCommand::AdvanceGameloop { tick }));
    }
    assert_eq!(Engine::replay(&log), engine);
}
