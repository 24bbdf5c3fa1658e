//! Lunar Frontiers: an event-sourced colony game. See ARCHITECTURE.md for the codemap.

pub mod alloc;
pub mod assets;
pub mod bench;
pub mod cli;
pub mod cores;
pub mod domain;
pub mod engine;
pub mod files;
pub mod invocation;
pub mod playback;
pub mod present;
pub mod rng;
pub mod runtime;
pub mod saves;
pub mod scenario;
pub mod schema;
pub mod session;
pub mod store;
pub mod study;
pub mod tui;
