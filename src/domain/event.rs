//! Events: immutable facts, in the past tense, with stable names.
//!
//! Law 8: a schema never changes. A new shape is a new variant with a new name (`..._v2`), and
//! every old variant keeps decoding forever. The name written to the log is the `type` column;
//! the variant's struct is the `data` column.

use serde::Serialize;

use crate::domain::building::events::{
    BuildingDemolished, BuildingPlaced, BuildingSpawned, BuildingSpawnedV2, BuildingSwitched,
    ConstructionCompleted, ConstructionProgressed, SiteMarkedUrgent,
};
use crate::domain::colony::events::{
    ColonistDied, ColonistsLanded, ColonyFounded, ColonyTicked, ColonyTickedV2, MaterialsReclaimed,
    MissionLost, MissionWon, PowerRestored, PowerShort, RobotsAssembled, ShipDeparted, Ticked,
};
use crate::domain::compact;
use crate::domain::game::events::{
    ColonyStart, GameStarted, GameStartedV2, GameStartedV3, GameStopped, GameloopAdvanced,
    RobotOrdered, RobotOrderedV2, SitePlanted, TileCleared,
};
use crate::domain::ids::{BuildingId, GameId, Tick};
use crate::domain::robot::events::{
    ProgramUploaded, RobotCharged, RobotDeployed, RobotDropped, RobotFaulted, RobotMined,
    RobotMoved, RobotPickedUp, RobotPlanted, RobotSaid, RobotSent, RobotWaited, RobotWorked,
};
use crate::domain::subject::{Subject, SubjectRef};

/// Why a stored row could not be turned back into an [`Event`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum DecodeError {
    UnknownType(String),
    BadData { event_type: String, reason: String },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::UnknownType(t) => write!(
                f,
                "unknown event type {t:?} (written by a newer version of the game?)"
            ),
            DecodeError::BadData { event_type, reason } => {
                write!(f, "{event_type} data does not match its schema: {reason}")
            }
        }
    }
}

fn bad_data(event_type: &str) -> impl Fn(serde_json::Error) -> DecodeError + '_ {
    move |e| DecodeError::BadData {
        event_type: event_type.to_owned(),
        reason: e.to_string(),
    }
}

/// Declares the event enum once, so that a variant, its stored name and its codec cannot drift.
macro_rules! events {
    ($($variant:ident = $name:literal, $kind:ident($field:ident);)*) => {
        /// Serializes as its data alone; the name travels beside it (see [`Event::type_name`]).
        #[derive(Clone, PartialEq, Eq, Debug, Serialize)]
        #[serde(untagged)]
        pub enum Event {
            $($variant($variant),)*
        }

        impl Event {
            /// Every stored name, in declaration order.
            pub const TYPES: &'static [&'static str] = &[$($name),*];

            /// Every stored name with the JSON Schema of its data, generated from the type
            /// itself, so that the schema `lunar schema` prints cannot drift from the code.
            pub fn data_schemas(
                generator: &mut schemars::SchemaGenerator,
            ) -> Vec<(&'static str, schemars::Schema)> {
                vec![$(($name, generator.subschema_for::<$variant>()),)*]
            }

            /// The name stored in the log's `type` column.
            pub fn type_name(&self) -> &'static str {
                match self {
                    $(Event::$variant(_) => $name,)*
                }
            }

            pub fn tick(&self) -> Tick {
                match self {
                    $(Event::$variant(e) => e.tick,)*
                }
            }

            /// The aggregate the event belongs to (see [`Subject`]).
            pub fn subject(&self) -> Subject {
                self.subject_ref().to_subject()
            }

            /// [`Event::subject`] borrowed from the event.
            pub fn subject_ref(&self) -> SubjectRef<'_> {
                match self {
                    $(Event::$variant(e) => SubjectRef::$kind(&e.$field),)*
                }
            }

            /// The `data` column: the variant's fields as a JSON object.
            pub fn encode_data(&self) -> String {
                let encoded = match self {
                    $(Event::$variant(e) => serde_json::to_string(e),)*
                };
                // Plain structs of strings and integers always serialize.
                encoded.unwrap_or_default()
            }

            /// The `data` column of a schema 4 save, for a row of `stream`: the compact form
            /// (see [`super::compact`]), or the object where that would not read back equal.
            pub fn encode_compact(&self, stream: &str) -> String {
                let subject = Subject::id_in_stream(stream).unwrap_or_default();
                match self {
                    $(Event::$variant(e) => {
                        compact::encode(e, stringify!($field), subject, e.tick)
                    })*
                }
            }

            /// Reads back what [`Event::encode_compact`] wrote, the subject coming from the
            /// row's stream and the tick from its tick column.
            pub fn decode_compact(
                event_type: &str,
                subject: &str,
                tick: Tick,
                data: &[u8],
            ) -> Result<Event, DecodeError> {
                match event_type {
                    $($name => compact::decode(data, subject, tick)
                        .map(Event::$variant)
                        .map_err(bad_data(event_type)),)*
                    other => Err(DecodeError::UnknownType(other.to_owned())),
                }
            }

            /// An event from its JSON object, as `encode_data` writes it.
            pub fn decode(event_type: &str, data: &str) -> Result<Event, DecodeError> {
                match event_type {
                    $($name => serde_json::from_str(data)
                        .map(Event::$variant)
                        .map_err(bad_data(event_type)),)*
                    other => Err(DecodeError::UnknownType(other.to_owned())),
                }
            }
        }
    };
}

impl Event {
    /// Whether two events record the same fact: equal, or the same spawn written in an older
    /// schema (the rules now write `building_spawned_v2` where older games wrote
    /// `building_spawned`; the audit must not call an old save wrong for that).
    pub fn same_fact(&self, other: &Event) -> bool {
        match (self, other) {
            (Event::BuildingSpawned(old), Event::BuildingSpawnedV2(new))
            | (Event::BuildingSpawnedV2(new), Event::BuildingSpawned(old)) => {
                old.building_id == new.building_id
                    && old.building_type == new.building_type
                    && (old.x, old.y) == (new.x, new.y)
                    && old.player == new.player
                    && old.work_required == new.work_required
                    && old.tick == new.tick
            }
            _ => self == other,
        }
    }

    /// The stream the event belongs to.
    pub fn stream(&self) -> String {
        self.subject().stream()
    }

    /// The game a starting event starts.
    pub fn started_game(&self) -> Option<GameId> {
        match self {
            Event::GameStarted(started) => Some(started.game_id),
            _ => self.colony_start().map(|start| start.game_id),
        }
    }

    /// A settled colony tick, whichever schema recorded it.
    pub fn colony_ticked(&self) -> Option<Ticked<'_>> {
        match self {
            Event::ColonyTicked(e) => Some(e.ticked()),
            Event::ColonyTickedV2(e) => Some(e.ticked()),
            _ => None,
        }
    }

    /// A colony game's start, whichever schema recorded it.
    pub fn colony_start(&self) -> Option<ColonyStart<'_>> {
        match self {
            Event::GameStartedV2(started) => Some(started.colony_start()),
            Event::GameStartedV3(started) => Some(started.colony_start()),
            _ => None,
        }
    }

    /// The building an event is about, if any: its own, or the site the surface accepted.
    pub fn building_id(&self) -> Option<BuildingId> {
        match (self, self.subject()) {
            (Event::SitePlanted(e), _) => Some(e.building_id.clone()),
            (Event::TileCleared(e), _) => Some(e.building_id.clone()),
            (Event::MaterialsReclaimed(e), _) => Some(e.building_id.clone()),
            (Event::RobotPlanted(e), _) => Some(e.building_id.clone()),
            (_, Subject::Building(id)) => Some(id),
            _ => None,
        }
    }
}

events! {
    GameStarted = "game_started", Game(game_id);
    GameStartedV2 = "game_started_v2", Game(game_id);
    GameloopAdvanced = "gameloop_advanced", Game(game_id);
    SitePlanted = "site_planted", Game(game_id);
    BuildingSpawned = "building_spawned", Building(building_id);
    BuildingSpawnedV2 = "building_spawned_v2", Building(building_id);
    ConstructionProgressed = "construction_progressed", Building(building_id);
    ConstructionCompleted = "construction_completed", Building(building_id);
    BuildingPlaced = "building_placed", Building(building_id);
    GameStopped = "game_stopped", Game(game_id);
    ColonyFounded = "colony_founded", Colony(game_id);
    ColonyTicked = "colony_ticked", Colony(game_id);
    PowerShort = "power_short", Colony(game_id);
    PowerRestored = "power_restored", Colony(game_id);
    ColonistsLanded = "colonists_landed", Colony(game_id);
    ShipDeparted = "ship_departed", Colony(game_id);
    ColonistDied = "colonist_died", Colony(game_id);
    MissionWon = "mission_won", Colony(game_id);
    MissionLost = "mission_lost", Colony(game_id);
    RobotOrdered = "robot_ordered", Game(game_id);
    RobotDeployed = "robot_deployed", Robot(robot_id);
    ProgramUploaded = "program_uploaded", Robot(robot_id);
    RobotMoved = "robot_moved", Robot(robot_id);
    RobotMined = "robot_mined", Robot(robot_id);
    RobotPickedUp = "robot_picked_up", Robot(robot_id);
    RobotDropped = "robot_dropped", Robot(robot_id);
    RobotWorked = "robot_worked", Robot(robot_id);
    RobotCharged = "robot_charged", Robot(robot_id);
    RobotSaid = "robot_said", Robot(robot_id);
    RobotWaited = "robot_waited", Robot(robot_id);
    RobotFaulted = "robot_faulted", Robot(robot_id);
    RobotsAssembled = "robots_assembled", Colony(game_id);
    GameStartedV3 = "game_started_v3", Game(game_id);
    RobotOrderedV2 = "robot_ordered_v2", Game(game_id);
    TileCleared = "tile_cleared", Game(game_id);
    BuildingDemolished = "building_demolished", Building(building_id);
    BuildingSwitched = "building_switched", Building(building_id);
    SiteMarkedUrgent = "site_marked_urgent", Building(building_id);
    MaterialsReclaimed = "materials_reclaimed", Colony(game_id);
    RobotSent = "robot_sent", Robot(robot_id);
    RobotPlanted = "robot_planted", Robot(robot_id);
    ColonyTickedV2 = "colony_ticked_v2", Colony(game_id);
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn every_variant_round_trips_through_its_stored_form() {
        let game_id = GameId(Uuid::nil());
        let id = BuildingId::parse("alpha").unwrap();
        let samples = vec![
            Event::GameloopAdvanced(GameloopAdvanced { game_id, tick: 3 }),
            Event::ConstructionCompleted(ConstructionCompleted {
                building_id: id.clone(),
                tick: 9,
            }),
            Event::ConstructionProgressed(ConstructionProgressed {
                building_id: id,
                work_done: 2,
                work_required: 5,
                tick: 4,
            }),
        ];
        for event in samples {
            let decoded = Event::decode(event.type_name(), &event.encode_data()).unwrap();
            assert_eq!(decoded, event);
        }
    }

    #[test]
    fn unknown_types_and_extra_fields_are_refused() {
        assert_eq!(
            Event::decode("building_exploded", "{}"),
            Err(DecodeError::UnknownType("building_exploded".into()))
        );
        let extra = r#"{"building_id":"a","tick":1,"bonus":true}"#;
        assert!(matches!(
            Event::decode("construction_completed", extra),
            Err(DecodeError::BadData { .. })
        ));
    }
}
