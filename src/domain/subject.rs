//! The one routing table: which aggregate an event belongs to and a command is decided by.
//!
//! A subject names one aggregate instance and its stream. Events and commands each say their
//! subject; the engine keeps one state per subject and never matches on event or command types
//! to route them, so a new aggregate is a new variant here and a new file beside this one.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};

use super::ids::{BuildingId, GameId, RobotId};

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Subject {
    /// The game loop's clock and the surface: stream `game-<id>`.
    Game(GameId),
    /// A building, from site to working building: stream `bldg-<id>`.
    Building(BuildingId),
    /// A colony game's stores, power grid, colonists and mission: stream `colony-<game id>`.
    Colony(GameId),
    /// A robot: its place, battery, cargo and program: stream `robot-<id>`.
    Robot(RobotId),
}

/// A subject borrowed from the event or command that names it: what routing reads for every
/// event folded, without copying the id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum SubjectRef<'a> {
    Game(&'a GameId),
    Building(&'a BuildingId),
    Colony(&'a GameId),
    Robot(&'a RobotId),
}

impl SubjectRef<'_> {
    pub fn to_subject(self) -> Subject {
        match self {
            SubjectRef::Game(id) => Subject::Game(*id),
            SubjectRef::Building(id) => Subject::Building(id.clone()),
            SubjectRef::Colony(id) => Subject::Colony(*id),
            SubjectRef::Robot(id) => Subject::Robot(id.clone()),
        }
    }
}

/// A subject, owned or borrowed: a map keyed by [`Subject`] is looked up by a [`SubjectRef`]
/// through it (`map.get(&subject as &dyn AsSubject)`), so finding an aggregate copies nothing.
pub trait AsSubject {
    fn subject_ref(&self) -> SubjectRef<'_>;
}

impl AsSubject for Subject {
    fn subject_ref(&self) -> SubjectRef<'_> {
        match self {
            Subject::Game(id) => SubjectRef::Game(id),
            Subject::Building(id) => SubjectRef::Building(id),
            Subject::Colony(id) => SubjectRef::Colony(id),
            Subject::Robot(id) => SubjectRef::Robot(id),
        }
    }
}

impl AsSubject for SubjectRef<'_> {
    fn subject_ref(&self) -> SubjectRef<'_> {
        *self
    }
}

/// Hashed as its borrowed form, so that both find the same entry.
impl Hash for Subject {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.subject_ref().hash(state);
    }
}

impl<'a> Borrow<dyn AsSubject + 'a> for Subject {
    fn borrow(&self) -> &(dyn AsSubject + 'a) {
        self
    }
}

impl Hash for dyn AsSubject + '_ {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.subject_ref().hash(state);
    }
}

impl PartialEq for dyn AsSubject + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.subject_ref() == other.subject_ref()
    }
}

impl Eq for dyn AsSubject + '_ {}

impl Subject {
    /// The stream its events are stored in.
    pub fn stream(&self) -> String {
        self.to_string()
    }

    /// The id a stream's name ends with: what its events' subject field holds.
    pub fn id_in_stream(stream: &str) -> Option<&str> {
        let (kind, id) = stream.split_once('-')?;
        matches!(kind, "game" | "bldg" | "colony" | "robot").then_some(id)
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Game(id) => write!(f, "game-{id}"),
            Subject::Building(id) => write!(f, "bldg-{id}"),
            Subject::Colony(id) => write!(f, "colony-{id}"),
            Subject::Robot(id) => write!(f, "robot-{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fasthash::FastMap;
    use uuid::Uuid;

    #[test]
    fn a_borrowed_subject_finds_what_its_owned_form_keys() {
        let game = GameId(Uuid::from_u128(7));
        let subjects = [
            Subject::Game(game),
            Subject::Colony(game),
            Subject::Building(BuildingId::parse("hq").unwrap()),
            Subject::Robot(RobotId::parse("hq").unwrap()),
            Subject::Robot(RobotId::parse("r10").unwrap()),
        ];
        let mut fast = FastMap::default();
        let mut std = std::collections::HashMap::new();
        for (n, subject) in subjects.iter().enumerate() {
            fast.insert(subject.clone(), n);
            std.insert(subject.clone(), n);
        }
        for (n, subject) in subjects.iter().enumerate() {
            let borrowed = subject.subject_ref();
            assert_eq!(fast.get(&borrowed as &dyn AsSubject), Some(&n));
            assert_eq!(std.get(&borrowed as &dyn AsSubject), Some(&n));
            assert_eq!(borrowed.to_subject(), *subject);
        }
        let absent = SubjectRef::Robot(&RobotId::parse("r11").unwrap()).to_subject();
        assert_eq!(fast.get(&absent.subject_ref() as &dyn AsSubject), None);
    }
}
