//! The terminal UI, pure: the key table, the state and its `update`, and the `view`.
//!
//! Architecture Invariant: nothing here reads a clock, draws to a real terminal or touches the
//! log. The runtime feeds it messages and performs the effects it returns.
//!
//! May use: the domain, the engine's envelopes, `present`, ratatui and crossterm's types;
//! never `store`, `runtime` or `session`.

pub mod actions;
pub mod ansi;
pub mod app;
pub mod boxes;
pub mod keys;
pub mod layout;
pub mod model;
pub mod panels;
pub mod replay;
pub mod replay_view;
pub mod theme;
pub mod view;

#[cfg(test)]
mod tests;

/// A drawn frame as a player reads it: one line per row, trailing blanks trimmed. For frame
/// snapshots, here so every screen's tests read frames the same way.
pub fn screen_text(buffer: &ratatui::buffer::Buffer) -> String {
    let area = buffer.area;
    (area.y..area.y + area.height)
        .map(|y| {
            let row: String = (area.x..area.x + area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect();
            row.trim_end().to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
