//! Studying a game after the fact, from its log alone: a robot's decision traced at any tick
//! (`trace`), a fix tried from a tick on (`whatif`), two games set side by side (`compare`),
//! the scores of every attempt at a mission (`scores`), and a game told back as a script
//! (`export`). Everything here reads saves; only `whatif` writes, and only a new save.
//!
//! May use: `domain`, `engine`, `store`, `scenario`, `assets`, `present`. The command line and
//! the replay screen use it; it uses neither.

pub mod compare;
pub mod export;
pub mod inputs;
pub mod scores;
pub mod trace;
pub mod whatif;

use crate::domain::event::Event;
use crate::domain::ids::Tick;
use crate::engine::Engine;
use crate::engine::envelope::RecordedEvent;

/// The engine as tick `tick` began: every event up to and including the tick's
/// `gameloop_advanced`, which is when the robots decide. None when the log never reached it.
pub fn engine_at(events: &[RecordedEvent], tick: Tick) -> Option<(Engine, usize)> {
    let start = events
        .iter()
        .position(|e| matches!(&e.event, Event::GameloopAdvanced(a) if a.tick == tick))?;
    let mut engine = Engine::new();
    for event in &events[..=start] {
        engine.apply(event);
    }
    Some((engine, start))
}
