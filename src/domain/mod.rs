//! The functional core: commands, events, aggregates, the process manager and projectors.
//!
//! A folder is an aggregate (`game`, `building`, `colony`, `robot`: its state, commands,
//! events, `decide`, `evolve` and tests), or a rule they share (`program`: the robots'
//! sandbox; `field`: the surface as robots meet it and way-finding; `labour`: one tick of
//! robot work), or the process manager (`gameloop`), or the projectors (`projection`).
//! `event.rs` and `command.rs` gather every aggregate's events and commands into the one enum
//! each the engine routes; `compact` is the events' stored form.
//!
//! Architecture Invariant: nothing here performs I/O, reads a clock, spawns a task or draws a
//! random number. Everything is a function of its arguments.
//!
//! May use: std, serde, imbl, rhai, sha2, schemars, uuid and `crate::cores`; nothing of the
//! shell.

pub mod building;
pub mod catalogue;
pub mod colony;
pub mod command;
pub mod compact;
pub mod event;
pub mod fasthash;
pub mod field;
pub mod game;
pub mod gameloop;
pub mod ids;
pub mod labour;
pub mod metrics;
pub mod program;
pub mod projection;
pub mod rejection;
pub mod resources;
pub mod robot;
pub mod ruleset;
pub mod subject;
pub mod text;

#[cfg(test)]
pub mod fixtures;
