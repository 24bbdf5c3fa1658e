//! Read model: the most recent notable events, one readable line each.
//!
//! Plain ticks and per-tick progress are left out: the map and panels show those, and a feed
//! of them would scroll every other line away within a tick.

use std::collections::HashMap;
use std::sync::Arc;

use imbl::Vector;
use serde::{Deserialize, Serialize};

use crate::domain::event::Event;
use crate::domain::ids::Tick;

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct FeedLine {
    pub tick: Tick,
    pub text: String,
}

#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct FeedView {
    lines: Vector<FeedLine>,
    /// Display names by building type, from `game_started` (law 3: nothing from the assets).
    names: Arc<HashMap<String, String>>,
}

impl FeedView {
    /// How many lines the feed keeps; older ones scroll away.
    pub const CAPACITY: usize = 64;

    pub fn lines(&self) -> impl DoubleEndedIterator<Item = &FeedLine> + ExactSizeIterator {
        self.lines.iter()
    }

    /// `project` in place: the fold's hot path, with no copy of the view per event.
    pub fn apply(&mut self, event: &Event) {
        if let Event::GameStarted(e) = event {
            self.names = Arc::new(
                e.catalogue
                    .iter()
                    .map(|k| (k.key.clone(), k.name.clone()))
                    .collect(),
            );
        }
        if matches!(
            event,
            Event::GameloopAdvanced(_) | Event::ConstructionProgressed(_)
        ) {
            return;
        }
        if self.lines.len() == Self::CAPACITY {
            self.lines.pop_front();
        }
        self.lines.push_back(FeedLine {
            tick: event.tick(),
            text: describe(event, &self.names),
        });
    }

    pub fn project(mut self, event: &Event) -> FeedView {
        self.apply(event);
        self
    }
}

/// "a Headquarters", "an Oxygen Generator".
pub fn with_article(name: &str) -> String {
    let vowel = name
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {name}", if vowel { "an" } else { "a" })
}

/// One event as a sentence a person reads; `names` gives building types their display names
/// (from `game_started`: law 3, nothing from the assets).
pub fn describe(event: &Event, names: &HashMap<String, String>) -> String {
    let name = |key: &str| names.get(key).map_or(key, String::as_str).to_owned();
    match event {
        Event::GameStarted(e) => format!(
            "{} founded {} on map {} ({}x{}), seed {}",
            e.player, e.name, e.map.name, e.map.width, e.map.height, e.seed
        ),
        Event::GameloopAdvanced(e) => format!("tick {} began", e.tick),
        Event::SitePlanted(e) => format!(
            "{} planted {} site {} at ({},{}), {} ticks of work",
            e.player,
            with_article(&name(&e.building_type)),
            e.building_id,
            e.x,
            e.y,
            e.work_required
        ),
        Event::BuildingSpawned(e) => format!(
            "{} {} is under construction",
            name(&e.building_type),
            e.building_id
        ),
        Event::BuildingSpawnedV2(e) => {
            format!("{} {} is under construction", e.name, e.building_id)
        }
        Event::ConstructionProgressed(e) => format!(
            "{} has {} of {} ticks of work done",
            e.building_id, e.work_done, e.work_required
        ),
        Event::ConstructionCompleted(e) => format!("{} is complete", e.building_id),
        Event::GameStopped(e) => format!("the game stopped at tick {}", e.tick),
    }
}
