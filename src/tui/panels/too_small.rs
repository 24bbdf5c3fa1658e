//! What shows when the terminal is too small for the game.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::layout::{MIN_HEIGHT, MIN_WIDTH};
use crate::tui::theme::{Row, Theme, Tone};

pub fn model(area: Rect) -> Vec<Row> {
    vec![
        Row::new("Lunar Frontiers", Tone::Title),
        Row::plain(format!(
            "needs a terminal of at least {MIN_WIDTH}x{MIN_HEIGHT};"
        )),
        Row::plain(format!("this one is {}x{}.", area.width, area.height)),
        Row::plain("q quits"),
    ]
}

pub fn draw(rows: &[Row], frame: &mut Frame<'_>, theme: &Theme) {
    let area = frame.area();
    let top = area.height.saturating_sub(4) / 2;
    let rect = Rect::new(area.x, area.y + top, area.width, area.height.min(4));
    frame.render_widget(
        Paragraph::new(theme.lines(rows))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}
