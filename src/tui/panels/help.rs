//! The keys, or in a colony game the rules: an overlay that scrolls when it does not fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::present::wrap_words;
use crate::tui::boxes::{centred, title};
use crate::tui::theme::{Row, Styled, Theme, Tone};

/// The rules in a few lines, for the help's second page; the README says the same at length.
pub const RULES: &[&str] = &[
    "A site needs its materials (regolith) from the store, then ticks of work by robots.",
    "Robots run their programs every tick: tab picks one, p gives it another, e edits it.",
    "Robots charge next to the headquarters or a battery; a flat battery stops a robot.",
    "A building works from the tick after it is finished.",
    "Solar arrays make power by day only; generators day and night; batteries keep what is left.",
    "When power runs short: life support first, then sites, then industry go without.",
    "Mines stand on bright regolith '.', ice extractors on craters '*'; nothing on rock '^'.",
    "Ice becomes water, water becomes oxygen. Each colonist breathes and drinks every tick.",
    "Without enough, colonists last a few ticks; then one dies each tick.",
    "Ships wait a while for beds, then leave with whoever found none: they count as lost.",
    "What a building makes is in store from the next tick.",
    "The mission is won on the first tick every objective holds, lost past its deadline.",
];

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct HelpModel {
    pub title: &'static str,
    pub rows: Vec<Row>,
    pub width: u16,
    pub scroll: u16,
}

/// The keys (page 0) or the rules (page 1), for a screen of `area`.
pub fn model(area: Rect, keys: &[(&str, &str)], scroll: u16, page: u8) -> HelpModel {
    if page == 1 {
        let width = RULES.iter().map(|r| r.len()).max().unwrap_or(0) as u16 + 4;
        let width = width.min(area.width);
        let text_width = usize::from(width.saturating_sub(4)).max(8);
        let mut rows = Vec::new();
        for rule in RULES {
            for (i, part) in wrap_words(rule, text_width).into_iter().enumerate() {
                let lead = if i == 0 { " - " } else { "   " };
                rows.push(Row::plain(format!("{lead}{part}")));
            }
        }
        rows.push(Row::new(" tab: the keys", Tone::Dim));
        return HelpModel {
            title: " rules ",
            rows,
            width,
            scroll,
        };
    }
    let key_width = keys.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 2;
    let widest = keys.iter().map(|(_, w)| w.len()).max().unwrap_or(0) + key_width + 1;
    // Borders, a space on either side, the keys' column, then the text.
    let width = (widest as u16 + 3).min(area.width);
    let text_width = usize::from(width.saturating_sub(4))
        .saturating_sub(key_width)
        .max(8);
    let mut rows = Vec::new();
    for (keys, what) in keys {
        for (i, part) in wrap_words(what, text_width).into_iter().enumerate() {
            let key = if i == 0 { *keys } else { "" };
            rows.push(Row::of(vec![
                Styled::new(format!(" {key:<key_width$}"), Tone::Title),
                Styled::plain(part),
            ]));
        }
    }
    rows.push(Row::new(
        " every action is an event in the save's log",
        Tone::Dim,
    ));
    HelpModel {
        title: " keys ",
        rows,
        width,
        scroll,
    }
}

/// A box of rows centred in `area`, scrolled down when it does not all fit, with arrows on
/// its border saying which way more lies.
pub fn draw(model: &HelpModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let rows = &model.rows;
    let height = (rows.len() as u16 + 2).min(area.height);
    let visible = usize::from(height.saturating_sub(2));
    let first = usize::from(model.scroll).min(rows.len().saturating_sub(visible));
    let more_below = first + visible < rows.len();
    let rect = centred(area, model.width, height);
    let mut block = Block::bordered().title(title(model.title, theme));
    if first > 0 {
        block = block.title(Line::styled(" ▲ up ", theme.style(Tone::Dim)).right_aligned());
    }
    if more_below {
        block = block
            .title_bottom(Line::styled(" ▼ down: more ", theme.style(Tone::Title)).right_aligned());
    }
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(theme.lines(&rows[first..])).block(block),
        rect,
    );
}
