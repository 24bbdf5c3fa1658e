//! The shipped programs, to give the robot under the cursor, each with the first line of its
//! description.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::present::wrap_words;
use crate::tui::app::App;
use crate::tui::boxes::{centred, title};
use crate::tui::theme::{Row, Theme, Tone};

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ProgramMenuModel {
    pub title: String,
    pub rows: Vec<Row>,
}

/// The most rows a program's description takes.
const ABOUT_ROWS: usize = 3;

/// What a program says of itself: its first paragraph of comments, as one line.
fn about(source: &str) -> String {
    source
        .lines()
        .map_while(|l| l.trim().strip_prefix("//"))
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The menu for a box over an area `width` columns wide: each description broken between
/// words, a few rows at most, continuing under itself.
pub fn model(app: &App, selected: usize, width: u16) -> ProgramMenuModel {
    let robot = app.robot().map_or_else(String::new, |r| r.id.to_string());
    let mut rows = Vec::new();
    let text_width = usize::from(box_width(width).saturating_sub(2))
        .saturating_sub(15)
        .max(12);
    for (i, program) in app.programs.iter().enumerate() {
        let tone = if i == selected {
            Tone::Cursor
        } else {
            Tone::Plain
        };
        let mut lines = wrap_words(&about(&program.source), text_width);
        if lines.len() > ABOUT_ROWS {
            lines.truncate(ABOUT_ROWS);
            if let Some(last) = lines.last_mut() {
                last.push_str(" ...");
            }
        }
        for (row, line) in lines.iter().enumerate() {
            let lead = if row == 0 {
                format!(" {} {:<10} ", i + 1, program.name)
            } else {
                " ".repeat(14)
            };
            rows.push(Row::new(format!("{lead}{line}"), tone));
        }
    }
    rows.push(Row::plain(""));
    rows.push(Row::new(
        " e edits the robot's program in your editor instead",
        Tone::Dim,
    ));
    ProgramMenuModel {
        title: format!(" a program for {robot} "),
        rows,
    }
}

/// The menu's width over an area `width` columns wide.
fn box_width(width: u16) -> u16 {
    (width.saturating_sub(4)).min(100)
}

pub fn draw(model: &ProgramMenuModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let rect = centred(area, box_width(area.width), model.rows.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(theme.lines(&model.rows))
            .block(Block::bordered().title(title(&model.title, theme))),
        rect,
    );
}
