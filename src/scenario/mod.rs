//! Scenario scripts: player actions, ticks and expectations run headless on the real engine.
//!
//! May use: the domain, the engine, `session`, `store`, `playback`, `present`, `assets` and
//! `files`; never the terminal.

pub mod generate;
pub mod parse;
pub mod run;
pub mod script;
