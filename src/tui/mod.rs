//! The terminal UI, pure: the key table, the state and its `update`, and the `view`.
//!
//! Architecture Invariant: nothing here reads a clock, draws to a real terminal or touches the
//! log. The runtime feeds it messages and performs the effects it returns.

pub mod app;
pub mod keys;
pub mod layout;
pub mod replay;
pub mod replay_view;
pub mod view;

#[cfg(test)]
mod tests;
