//! The one integration test binary: scenarios, the command line and the save file.

mod cli;
mod damage;
mod fixtures;
mod live;
mod playback;
mod replay;
mod resume;
mod scenarios;
mod store;
mod support;
