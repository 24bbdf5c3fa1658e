//! Asks before a building or a site is taken down, saying what comes back.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::ids::BuildingId;
use crate::present::amounts;
use crate::tui::app::App;
use crate::tui::boxes::{centred, popup, title};
use crate::tui::theme::{Row, Theme, Tone};

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ConfirmModel {
    pub title: String,
    pub rows: Vec<Row>,
}

/// The question for taking down `building`, with what the colony gets back.
pub fn model(app: &App, building: &BuildingId) -> Option<ConfirmModel> {
    let row = app.projections.buildings.get(building)?;
    let rules = &app.projections.colony.economy.as_ref()?.rules;
    let back = rules.give_back(&row.building_type, (!row.ready).then_some(&row.delivered));
    let back = if back.is_empty() {
        "nothing comes back".to_owned()
    } else {
        format!("{} comes back to the store", amounts(&back))
    };
    let (what, why) = if row.ready {
        ("Take down", "half of what it cost")
    } else {
        ("Cancel the site", "what was delivered to it")
    };
    let mut rows = vec![
        Row::plain(""),
        Row::new(format!(" {what} {} {}?", row.name, row.id), Tone::Title),
        Row::plain(format!(" {back} ({why}); its tile is free again.")),
    ];
    if rules
        .robots
        .as_ref()
        .is_some_and(|r| r.store == row.building_type)
    {
        rows.push(Row::new(
            " Robots deliver to and charge at this kind: keep another standing.",
            Tone::Site,
        ));
    }
    rows.push(Row::plain(""));
    rows.push(Row::new(" y: take it down    n, esc: keep it", Tone::Dim));
    Some(ConfirmModel {
        title: format!(" take down {} ", row.id),
        rows,
    })
}

pub fn draw(model: &ConfirmModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let width = model.rows.iter().map(Row::width).max().unwrap_or(20) as u16 + 4;
    let rect = centred(area, width, model.rows.len() as u16 + 2);
    popup(frame, rect, title(&model.title, theme), &model.rows, theme);
}
