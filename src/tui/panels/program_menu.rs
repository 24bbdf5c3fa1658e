//! The shipped programs, to give the robot under the cursor, each with the first line of its
//! description.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::app::App;
use crate::tui::boxes::{centred, title};
use crate::tui::theme::{Row, Theme, Tone};

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ProgramMenuModel {
    pub title: String,
    pub rows: Vec<Row>,
}

pub fn model(app: &App, selected: usize) -> ProgramMenuModel {
    let robot = app.robot().map_or_else(String::new, |r| r.id.to_string());
    let mut rows = Vec::new();
    for (i, program) in app.programs.iter().enumerate() {
        let about = program
            .source
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("//"))
            .map_or("", str::trim);
        let text = format!(" {} {:<10} {about}", i + 1, program.name);
        let tone = if i == selected {
            Tone::Cursor
        } else {
            Tone::Plain
        };
        rows.push(Row::new(text, tone));
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

pub fn draw(model: &ProgramMenuModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let width = (area.width.saturating_sub(4)).min(100);
    let rect = centred(area, width, model.rows.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(theme.lines(&model.rows))
            .block(Block::bordered().title(title(&model.title, theme))),
        rect,
    );
}
