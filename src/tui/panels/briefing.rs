//! The mission's story and objectives, shown when it begins and on `m`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::domain::projection::colony::ColonyView;
use crate::present::objective_text;
use crate::tui::boxes::{centred, title};
use crate::tui::theme::{Row, Theme, Tone};

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BriefingModel {
    pub title: String,
    pub rows: Vec<Row>,
}

pub fn model(c: &ColonyView) -> Option<BriefingModel> {
    let e = c.economy.as_ref()?;
    let mission = &e.rules.mission;
    let mut rows = vec![Row::new(mission.goal.clone(), Tone::Title), Row::plain("")];
    for paragraph in &mission.briefing {
        rows.push(Row::plain(paragraph.clone()));
        rows.push(Row::plain(""));
    }
    for objective in &mission.objectives {
        let mark = if c.objective_done(objective) {
            "[x]"
        } else {
            "[ ]"
        };
        rows.push(Row::plain(format!(
            "{mark} {}",
            objective_text(c, objective)
        )));
    }
    if let Some(deadline) = mission.deadline {
        rows.push(Row::plain(format!("by tick {deadline}")));
    }
    if mission.hands_off {
        rows.push(Row::new(
            "hands off: after tick 0 only robots plant sites",
            Tone::Site,
        ));
    }
    if let Some(varies) = &mission.varies {
        rows.push(Row::new(
            format!("varies with the seed ({}): {varies}", c.seed),
            Tone::Dim,
        ));
    }
    if let Some(shipped) = &mission.shipped {
        rows.push(Row::new(format!("shipped programs: {shipped}"), Tone::Dim));
    }
    rows.push(Row::plain(""));
    rows.push(Row::new(
        "enter: to work (the game waits while this is open); ? keys and rules",
        Tone::Dim,
    ));
    Some(BriefingModel {
        title: format!(" {} ", mission.title),
        rows,
    })
}

pub fn draw(model: &BriefingModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    // Inside the map's border, which keeps its title and legend in sight.
    let inner = Block::bordered().inner(area);
    let rect = centred(inner, 72, inner.height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(theme.lines(&model.rows))
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(title(&model.title, theme))),
        rect,
    );
}
