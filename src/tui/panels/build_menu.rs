//! The build menu: each kind with its work, and in a colony game its cost, whether it can stand
//! on this tile, and what the chosen one does.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::present::{kind_does, plural};
use crate::tui::app::App;
use crate::tui::boxes::{centred, popup, title};
use crate::tui::theme::{Row, Theme, Tone};

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MenuModel {
    pub title: String,
    pub rows: Vec<Row>,
    pub width: u16,
    /// The screen row of the tile being built on, which the menu keeps in sight.
    pub cursor_row: Option<u16>,
}

/// The key that picks line `index` of a menu at once: `1` to `9`, then `0`.
pub fn menu_key(index: usize) -> Option<char> {
    match index {
        0..=8 => char::from_digit(index as u32 + 1, 10),
        9 => Some('0'),
        _ => None,
    }
}

pub fn model(app: &App, selected: usize) -> MenuModel {
    let c = &app.projections.colony;
    let (x, y) = app.cursor;
    let terrain = c.terrain_at(x, y);
    let economy = c.economy.as_ref().map(|e| &e.rules);
    let mut rows: Vec<Row> = c
        .catalogue
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let mut text = format!(
                " {} {} {:<18} {:>8}",
                menu_key(i).unwrap_or(' '),
                kind.glyph,
                kind.name,
                plural(kind.work_ticks, "tick")
            );
            let eco = economy.and_then(|r| r.economy(&kind.key));
            let fits = eco.is_none_or(|e| e.terrain.contains(&terrain));
            if let Some(e) = eco {
                text += &format!("  {:>3} regolith", e.cost.regolith);
                if !fits {
                    text += &format!("  not on {}", terrain.name());
                }
            }
            match (i == selected, fits) {
                (true, _) => Row::new(text, Tone::Cursor),
                (false, true) => Row::plain(text),
                (false, false) => Row::new(text, Tone::Dim),
            }
        })
        .collect();
    if let Some((rules, e)) = c
        .catalogue
        .get(selected)
        .and_then(|k| Some((economy?, economy?.economy(&k.key)?)))
    {
        let ground: Vec<&str> = e.terrain.iter().map(|t| t.name()).collect();
        rows.push(Row::plain(""));
        rows.push(Row::new(
            format!(" {}; on {}", kind_does(rules, e), ground.join(" or ")),
            Tone::Dim,
        ));
    }
    MenuModel {
        title: format!(" build at ({x},{y}) "),
        rows,
        width: if economy.is_some() { 66 } else { 38 },
        cursor_row: app
            .map_view()
            .map(|v| v.y + app.cursor.1.saturating_sub(app.scroll.1)),
    }
}

pub fn draw(model: &MenuModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let rect = centred(area, model.width, model.rows.len() as u16 + 2);
    // Keep the tile being built on in sight: the menu goes to whichever half the cursor is not.
    let cursor_row = model.cursor_row.unwrap_or(area.y);
    let rect = if cursor_row < area.y + area.height / 2 {
        Rect {
            y: (area.y + area.height)
                .saturating_sub(rect.height + 1)
                .max(area.y),
            ..rect
        }
    } else {
        Rect {
            y: area.y + 1,
            ..rect
        }
    };
    popup(frame, rect, title(&model.title, theme), &model.rows, theme);
}
