//! One file a panel of the screen. Each holds its part of the view model (what it shows, as
//! text in tones), the function that computes that part from the screen's state, and `draw`,
//! which sees only the model. [`super::model`] computes every part once a frame.

pub mod briefing;
pub mod build_menu;
pub mod charts;
pub mod colony;
pub mod confirm;
pub mod diff;
pub mod feed;
pub mod footer;
pub mod header;
pub mod help;
pub mod history;
pub mod inspector;
pub mod map;
pub mod objectives;
pub mod outcome;
pub mod program_menu;
pub mod progress;
pub mod resources;
pub mod statistics;
pub mod status;
pub mod tile;
pub mod timeline;
pub mod too_small;
pub mod trace;
pub mod whatif;
