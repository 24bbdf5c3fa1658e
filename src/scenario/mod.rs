//! Scenario scripts: player actions, ticks and expectations run headless on the real engine.

pub mod generate;
pub mod parse;
pub mod run;
