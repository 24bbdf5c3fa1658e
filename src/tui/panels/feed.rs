//! The feed: the colony's events, newest first, or the robots' console (what they said, how
//! they faulted), scrolled back as far as the player asked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::domain::ids::Tick;
use crate::tui::app::App;
use crate::tui::theme::{Row, Styled, Theme, Tone};

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FeedModel {
    pub title: String,
    pub rows: Vec<Row>,
}

/// The feed's inside, for a feed filling `area`.
fn inner(area: Rect) -> Rect {
    Block::new().borders(Borders::TOP).inner(area)
}

/// As many lines as fit in a feed filling `area`.
pub fn model(app: &App, area: Rect) -> FeedModel {
    let what = if app.console {
        "robots said (c: events)"
    } else if app.projections.robots.robots.is_empty() {
        "events"
    } else {
        "events (c: what robots said)"
    };
    let title = if app.feed_scroll == 0 {
        format!(" {what} ")
    } else {
        format!(" {what}, {} back (pgdn, wheel: newer) ", app.feed_scroll)
    };
    let height = usize::from(inner(area).height);
    let tick = |t: Tick| Styled::new(format!("t{t:<6}"), Tone::Dim);
    let rows = if app.console {
        app.projections
            .robots
            .console()
            .rev()
            .skip(app.feed_scroll)
            .take(height)
            .map(|l| {
                let (text, tone) = if l.fault {
                    (format!("{} FAULTED: {}", l.robot, l.text), Tone::Error)
                } else {
                    (format!("{}: {}", l.robot, l.text), Tone::Plain)
                };
                Row::of(vec![tick(l.tick), Styled::new(text, tone)])
            })
            .collect()
    } else {
        app.projections
            .feed
            .lines()
            .rev()
            .skip(app.feed_scroll)
            .take(height)
            .map(|l| Row::of(vec![tick(l.tick), Styled::plain(l.text.clone())]))
            .collect()
    };
    FeedModel { title, rows }
}

pub fn draw(model: &FeedModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let block = Block::new()
        .borders(Borders::TOP)
        .title(model.title.clone());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(theme.lines(&model.rows)), inner);
}
