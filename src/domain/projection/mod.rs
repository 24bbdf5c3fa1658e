//! Projectors: `project(view, event) -> view`. Disposable; rebuilt from the log at will.
//!
//! Each projector owns its view alone (law 9); `Projections` only bundles them for the shell.

pub mod buildings;
pub mod colony;
pub mod feed;

use serde::Serialize;

use super::event::Event;
use buildings::BuildingsView;
use colony::ColonyView;
use feed::FeedView;

#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize)]
pub struct Projections {
    pub colony: ColonyView,
    pub buildings: BuildingsView,
    pub feed: FeedView,
}

impl Projections {
    pub fn project(self, event: &Event) -> Projections {
        Projections {
            colony: self.colony.project(event),
            buildings: self.buildings.project(event),
            feed: self.feed.project(event),
        }
    }
}
