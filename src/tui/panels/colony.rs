//! A classic game's side panel under the tile: how many buildings there are, of each kind.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::projection::colony::ColonyView;
use crate::tui::theme::{Row, Theme};

pub fn model(c: &ColonyView) -> Vec<Row> {
    let mut rows = vec![
        Row::plain(format!("{:<19}{:>5}", "buildings", c.buildings)),
        Row::plain(format!(
            "{:<19}{:>5}",
            "under construction", c.under_construction
        )),
        Row::plain(format!("{:<19}{:>5}", "ready", c.ready)),
        Row::plain(""),
    ];
    for kind in c.catalogue.iter() {
        let count = c.by_type.get(&kind.key);
        let (ready, total) = count.map_or((0, 0), |n| (n.ready, n.total));
        rows.push(Row::plain(format!(
            "{} {:<18}{:>2}/{:<2}",
            kind.glyph, kind.name, ready, total
        )));
    }
    rows
}

pub fn draw(rows: &[Row], frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    frame.render_widget(
        Paragraph::new(theme.lines(rows)).block(Block::bordered().title(" colony ")),
        area,
    );
}
