//! A game being played: the log, the engine folded from it and the projections.
//!
//! The log is the truth and the rest is a cache of it, so any failure to commit simply refolds
//! the cache from the log: nothing in memory can run ahead of what is saved.

use crate::domain::command::Command;
use crate::domain::projection::Projections;
use crate::domain::rejection::Rejection;
use crate::engine::envelope::{Origin, RecordedEvent};
use crate::engine::{Engine, EngineError};
use crate::store::{EventStore, StoreError};

pub struct Session<S> {
    store: S,
    engine: Engine,
    projections: Projections,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Outcome {
    Recorded(Vec<RecordedEvent>),
    Rejected(Rejection),
}

#[derive(Debug)]
pub enum SessionError {
    Store(StoreError),
    /// The rules contradicted themselves mid-cascade; nothing was recorded.
    Internal(String),
}

impl std::fmt::Display for SessionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SessionError::Store(e) => e.fmt(f),
            SessionError::Internal(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for SessionError {}

impl From<StoreError> for SessionError {
    fn from(e: StoreError) -> Self {
        SessionError::Store(e)
    }
}

/// Every aggregate, the process manager and every projection, from the whole log. The
/// projections are folded ahead, on the thread that checks the log if the store has one: reading
/// a row costs this thread more than folding it, and the two halves of the fold touch nothing
/// in common.
fn fold<S: EventStore>(store: &S) -> Result<(Engine, Projections), StoreError> {
    let mut engine = Engine::new();
    let mut projections = Projections::default();
    store.scan_facts_ahead(
        0,
        None,
        &mut |fact| projections.apply(&fact.event),
        &mut |fact| engine.apply_at(fact.seq, fact.version, &fact.event),
    )?;
    Ok((engine, projections))
}

impl<S: EventStore> Session<S> {
    /// Folds the whole log into a fresh engine and projections, one event at a time, so that
    /// opening a long game never holds its whole log in memory.
    pub fn open(store: S) -> Result<Session<S>, StoreError> {
        let (engine, projections) = fold(&store)?;
        Ok(Session {
            engine,
            projections,
            store,
        })
    }

    pub fn execute(&mut self, command: Command, origin: Origin) -> Result<Outcome, SessionError> {
        let events = match self.engine.execute(command, origin) {
            Ok(events) => events,
            Err(EngineError::Rejected(rejection)) => return Ok(Outcome::Rejected(rejection)),
            Err(error @ EngineError::Cascade { .. }) => {
                self.refold()?;
                return Err(SessionError::Internal(error.to_string()));
            }
        };
        if let Err(error) = self.store.append(&events) {
            self.refold()?;
            return Err(error.into());
        }
        for e in &events {
            self.projections.apply(&e.event);
        }
        Ok(Outcome::Recorded(events))
    }

    fn refold(&mut self) -> Result<(), StoreError> {
        (self.engine, self.projections) = fold(&self.store)?;
        Ok(())
    }

    /// Closes and reopens the game: everything in memory is folded again from the log.
    pub fn reopen(self) -> Result<Session<S>, StoreError> {
        Session::open(self.store)
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn projections(&self) -> &Projections {
        &self.projections
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn into_store(self) -> S {
        self.store
    }
}
