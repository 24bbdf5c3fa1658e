//! The functional core: commands, events, aggregates, the process manager and projectors.
//!
//! Architecture Invariant: nothing here performs I/O, reads a clock, spawns a task or draws a
//! random number. Everything is a function of its arguments.

pub mod building;
pub mod catalogue;
pub mod colony;
pub mod command;
pub mod compact;
pub mod economy;
pub mod event;
pub mod field;
pub mod game;
pub mod gameloop_pm;
pub mod ids;
pub mod labour;
pub mod program;
pub mod projection;
pub mod rejection;
pub mod robot;
pub mod routes;
pub mod ruleset;
pub mod subject;
pub mod text;

#[cfg(test)]
mod colony_tests;
#[cfg(test)]
pub mod fixtures;
#[cfg(test)]
mod robot_tests;
#[cfg(test)]
mod tests;
