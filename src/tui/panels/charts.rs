//! Power in store and a resource in store over the last ticks: people would rather look than
//! read.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Sparkline};

use crate::domain::projection::colony::EconomyView;
use crate::domain::resources::Resource;
use crate::domain::ruleset::Objective;
use crate::tui::theme::{Theme, Tone};

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ChartsModel {
    pub power_label: String,
    /// Power stored at each tick of the history, oldest first.
    pub power: Vec<u64>,
    pub power_max: u64,
    pub stock_label: String,
    pub stock: Vec<u64>,
}

/// The resource worth a chart: the one an objective asks to store, else the air when anyone
/// breathes it, else the regolith everything is built from.
fn charted(e: &EconomyView) -> Resource {
    let stored = e.rules.mission.objectives.iter().find_map(|o| match o {
        Objective::Stock { resource, .. } => Some(*resource),
        _ => None,
    });
    let breathing = e.living > 0 || !e.rules.mission.ships.is_empty();
    stored.unwrap_or(if breathing {
        Resource::Oxygen
    } else {
        Resource::Regolith
    })
}

/// The last `width` ticks of the history.
pub fn model(e: &EconomyView, width: usize) -> ChartsModel {
    let recent: Vec<_> = e
        .history
        .iter()
        .skip(e.history.len().saturating_sub(width))
        .collect();
    let charted = charted(e);
    ChartsModel {
        power_label: format!("power stored, now {}", e.power.stored),
        power: recent.iter().map(|s| u64::from(s.stored)).collect(),
        power_max: u64::from(e.power.capacity.max(1)),
        stock_label: format!("{}, now {}", charted.name(), e.stock.get(charted)),
        stock: recent
            .iter()
            .map(|s| u64::from(s.stock.get(charted)))
            .collect(),
    }
}

/// The charts' inside, for a panel filling `area`.
pub fn inner(area: Rect) -> Rect {
    Block::bordered().inner(area)
}

pub fn draw(model: &ChartsModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let block = Block::bordered().title(" last ticks ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let half = inner.height / 2;
    let [power_label, power, stock_label, stock] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(half.saturating_sub(1)),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(
        Line::styled(model.power_label.clone(), theme.style(Tone::Dim)),
        power_label,
    );
    frame.render_widget(
        Sparkline::default()
            .data(&model.power)
            .max(model.power_max)
            .style(theme.style(Tone::Power)),
        power,
    );
    frame.render_widget(
        Line::styled(model.stock_label.clone(), theme.style(Tone::Dim)),
        stock_label,
    );
    frame.render_widget(
        Sparkline::default()
            .data(&model.stock)
            .style(theme.style(Tone::Stock)),
        stock,
    );
}
