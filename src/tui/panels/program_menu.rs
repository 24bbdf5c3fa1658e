//! The programs to give robots, or to order a robot with: the one last written in the editor,
//! the shipped ones, each with the first lines of its description, and which robots it goes to.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::present::wrap_words;
use crate::tui::actions::{Purpose, Scope};
use crate::tui::app::{App, Choice};
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
pub fn model(app: &App, selected: usize, purpose: &Purpose, width: u16) -> ProgramMenuModel {
    let mut rows = Vec::new();
    let text_width = usize::from(box_width(width).saturating_sub(2))
        .saturating_sub(15)
        .max(12);
    let edited = app.edited.as_ref();
    for (i, choice) in app.choices(purpose).iter().enumerate() {
        let tone = if i == selected {
            Tone::Cursor
        } else {
            Tone::Plain
        };
        let (name, about) = match choice {
            Choice::Program(program) if i == 0 && Some(program) == edited => (
                program.name.as_str(),
                format!(
                    "yours, as last saved in the editor. {}",
                    about(&program.source)
                ),
            ),
            Choice::Program(program) => (program.name.as_str(), about(&program.source)),
            Choice::Idle => (
                "none",
                "no program: the robot stands idle until given one".into(),
            ),
        };
        let mut lines = wrap_words(&about, text_width);
        if lines.len() > ABOUT_ROWS {
            lines.truncate(ABOUT_ROWS);
            if let Some(last) = lines.last_mut() {
                last.push_str(" ...");
            }
        }
        for (row, line) in lines.iter().enumerate() {
            let lead = if row == 0 {
                let key = if i < 9 {
                    format!("{}", i + 1)
                } else {
                    " ".into()
                };
                format!(" {key} {name:<10} ")
            } else {
                " ".repeat(14)
            };
            rows.push(Row::new(format!("{lead}{line}"), tone));
        }
    }
    rows.push(Row::plain(""));
    let title = match purpose {
        Purpose::Give(scope) => {
            let robots = app.robots_for(*scope);
            let here = app.robot();
            let running = here
                .and_then(|r| r.program.as_ref())
                .map_or("no program", |(name, _)| name.as_str());
            let chosen = match scope {
                Scope::One => format!("[{}]", robots.first().map_or("", |r| r.as_str())),
                Scope::Same => format!("[every robot running {running}: {}]", robots.len()),
                Scope::All => format!("[all {} robots]", robots.len()),
            };
            rows.push(Row::new(
                " tab: this robot, every robot running the same, or all.  e edits it instead",
                Tone::Dim,
            ));
            format!(" a program for {chosen} ")
        }
        Purpose::Order(factory) => {
            rows.push(Row::new(
                " the robot comes out of the factory running it, once the store can pay",
                Tone::Dim,
            ));
            format!(" a program for the robot ordered from {factory} ")
        }
    };
    ProgramMenuModel { title, rows }
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
