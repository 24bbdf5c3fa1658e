//! The mission's objectives, ticked off as they hold, under the time left.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::projection::colony::{ColonyView, MissionStatus};
use crate::present::{objective_text, plural};
use crate::tui::boxes::title;
use crate::tui::theme::{Row, Theme, Tone};

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ObjectivesModel {
    pub title: String,
    pub rows: Vec<Row>,
}

pub fn model(c: &ColonyView) -> Option<ObjectivesModel> {
    let e = c.economy.as_ref()?;
    let mission = &e.rules.mission;
    let mut rows = Vec::new();
    let (status, tone) = match &e.mission {
        MissionStatus::Won { .. } => ("WON".to_owned(), Tone::Ready),
        MissionStatus::Lost { .. } => ("LOST".to_owned(), Tone::Error),
        MissionStatus::Running => match mission.deadline {
            Some(deadline) => (
                format!("{} to go", plural(deadline.saturating_sub(c.tick), "tick")),
                Tone::Plain,
            ),
            None => ("no deadline".to_owned(), Tone::Dim),
        },
    };
    rows.push(Row::new(status, tone));
    for objective in &mission.objectives {
        let done = c.objective_done(objective);
        let mark = if done { "[x] " } else { "[ ] " };
        let tone = if done { Tone::Ready } else { Tone::Plain };
        rows.push(Row::new(
            format!("{mark}{}", objective_text(c, objective)),
            tone,
        ));
    }
    Some(ObjectivesModel {
        title: format!(" {} ", mission.title),
        rows,
    })
}

pub fn draw(model: &ObjectivesModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    frame.render_widget(
        Paragraph::new(theme.lines(&model.rows))
            .block(Block::bordered().title(title(&model.title, theme))),
        area,
    );
}
