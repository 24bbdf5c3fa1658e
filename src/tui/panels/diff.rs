//! Playback's diff: what changed in the colony since the tick before.

use crate::present::projection_diff;
use crate::tui::panels::inspector::PanelModel;
use crate::tui::replay::Replay;
use crate::tui::theme::Row;

pub fn model(replay: &Replay) -> PanelModel {
    let mut changes = projection_diff(&replay.previous, &replay.app.projections);
    if changes.is_empty() {
        changes.push("nothing changed".into());
    }
    PanelModel {
        title: format!(
            " changes from tick {} to {} ",
            replay.tick.saturating_sub(1),
            replay.tick
        ),
        rows: changes.into_iter().map(Row::plain).collect(),
    }
}
