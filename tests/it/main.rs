//! The one integration test binary: scenarios, the command line and the save file.

mod cache;
mod cli;
mod crash;
mod damage;
mod fixtures;
mod hostile;
mod live;
mod playback;
mod pty;
mod replay;
mod resume;
mod safety;
mod scenarios;
mod store;
mod support;
