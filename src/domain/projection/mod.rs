//! Projectors: `project(view, event) -> view`. Disposable; rebuilt from the log at will.
//!
//! Each projector owns its view alone (law 9); `Projections` only bundles them for the shell.

pub mod buildings;
pub mod colony;
pub mod feed;
pub mod robots;
#[cfg(test)]
mod tests;
pub mod waits;

use serde::{Deserialize, Serialize};

use crate::domain::event::Event;
use buildings::BuildingsView;
use colony::ColonyView;
use feed::FeedView;
use robots::RobotsView;

/// Serializable whole, so keyframes can be cached on disk and loaded back as they were.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Projections {
    pub colony: ColonyView,
    pub buildings: BuildingsView,
    pub feed: FeedView,
    pub robots: RobotsView,
}

impl Projections {
    pub fn apply(&mut self, event: &Event) {
        self.colony.apply(event);
        self.buildings.apply(event);
        self.feed.apply(event);
        self.robots.apply(event);
    }

    pub fn project(mut self, event: &Event) -> Projections {
        self.apply(event);
        self
    }
}
