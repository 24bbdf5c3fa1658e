//! The tile under the cursor: the robot there (its program, battery, cargo, what it did or
//! why it stopped), else the building (what it does, what it waits for), else the ground and
//! what may be built on it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::domain::projection::robots::RobotRow;
use crate::present::{amounts, bar, doing, kind_does, value_text};
use crate::tui::app::App;
use crate::tui::theme::{Row, Theme, Tone};

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TileModel {
    pub title: String,
    pub rows: Vec<Row>,
    /// Long lines wrap (a colony game's panel says more than fits on a line).
    pub wrap: bool,
}

/// The robot under the cursor: its program, battery, cargo, and what it did or why it stopped.
fn robot_rows(app: &App, robot: &RobotRow) -> Vec<Row> {
    let mut rows = vec![Row::new(format!("Robot {}", robot.id), Tone::Title)];
    rows.push(match &robot.program {
        Some((name, hash)) => Row::plain(format!("runs {name} {}", &hash[..8.min(hash.len())])),
        None => Row::new("no program: p gives it one", Tone::Error),
    });
    let low = robot.battery * 4 < robot.capacity;
    rows.push(Row::new(
        format!(
            "battery {} {}/{}",
            bar((robot.battery * 100 / robot.capacity.max(1)) as u8, 8),
            robot.battery,
            robot.capacity
        ),
        if low { Tone::Error } else { Tone::Plain },
    ));
    let cargo = robot.cargo.map_or_else(
        || "carries nothing".to_owned(),
        |(r, n)| format!("carries {n} {} of {}", r.name(), robot.cargo_capacity),
    );
    rows.push(Row::plain(cargo));
    match (&robot.fault, &robot.last) {
        (Some(fault), _) => rows.push(Row::new(format!("FAULTED: {fault}"), Tone::Error)),
        (None, Some((tick, what))) => rows.push(Row::new(
            format!("t{tick} {what}"),
            if tick + 1 >= app.tick() {
                Tone::Plain
            } else {
                Tone::Dim
            },
        )),
        (None, None) => {}
    }
    if robot.memory.is_empty() {
        rows.push(Row::new("memory: empty", Tone::Dim));
    } else {
        rows.push(Row::new("memory:", Tone::Dim));
        for (key, value) in &robot.memory {
            rows.push(Row::plain(format!(" {key}: {}", value_text(value))));
        }
    }
    if !app.replay {
        rows.push(Row::new("p program  e edit  tab next", Tone::Dim));
    }
    rows
}

/// A colony game's tile panel.
pub fn colony(app: &App) -> TileModel {
    let c = &app.projections.colony;
    let (x, y) = app.cursor;
    let title = format!(" tile ({x},{y}) ");
    if let Some(robot) = app.robot() {
        return TileModel {
            title,
            rows: robot_rows(app, robot),
            wrap: true,
        };
    }
    let mut rows = Vec::new();
    let Some(e) = &c.economy else {
        return TileModel {
            title,
            rows,
            wrap: true,
        };
    };
    match app.projections.buildings.at(x, y) {
        Some(row) => {
            rows.push(Row::new(format!("{} {}", row.name, row.id), Tone::Title));
            let now = doing(row, c);
            let tone = if now.starts_with("idle") || now.starts_with("waits") {
                Tone::Error
            } else if row.ready {
                Tone::Ready
            } else {
                Tone::Site
            };
            if !row.ready {
                rows.push(Row::new(
                    format!(
                        "{} {:>3}% {}/{}",
                        bar(row.progress_percent, 10),
                        row.progress_percent,
                        row.work_done,
                        row.work_required
                    ),
                    Tone::Site,
                ));
            }
            rows.push(Row::new(now, tone));
            if let Some(economy) = e.rules.economy(&row.building_type) {
                rows.push(Row::plain(kind_does(&e.rules, economy)));
                if !row.ready && !economy.cost.is_empty() {
                    rows.push(Row::new(
                        format!("costs {}", amounts(&economy.cost)),
                        Tone::Dim,
                    ));
                }
            }
        }
        None => {
            let terrain = c.terrain_at(x, y);
            rows.push(Row::plain(terrain.name()));
            let fits: Vec<&str> = c
                .catalogue
                .iter()
                .filter(|k| {
                    e.rules
                        .economy(&k.key)
                        .is_some_and(|eco| eco.terrain.contains(&terrain))
                })
                .map(|k| k.name.as_str())
                .collect();
            let text = match (fits.is_empty(), app.replay) {
                (true, _) => "nothing can stand here".to_owned(),
                (false, true) => "free at this tick".to_owned(),
                (false, false) => format!("b to build: {}", fits.join(", ")),
            };
            rows.push(Row::new(text, Tone::Dim));
        }
    }
    TileModel {
        title,
        rows,
        wrap: true,
    }
}

/// A classic game's tile panel: the building's progress, or free ground.
pub fn classic(app: &App) -> TileModel {
    let c = &app.projections.colony;
    let (x, y) = app.cursor;
    let mut rows = Vec::new();
    match app.projections.buildings.at(x, y) {
        Some(row) => {
            rows.push(Row::new(format!("{} {}", row.name, row.id), Tone::Title));
            let tone = if row.ready { Tone::Ready } else { Tone::Site };
            rows.push(Row::new(
                format!(
                    "{} {:>3}% {}/{}",
                    bar(row.progress_percent, 10),
                    row.progress_percent,
                    row.work_done,
                    row.work_required
                ),
                tone,
            ));
            rows.push(Row::plain(format!(
                "planted tick {} by {}",
                row.spawned_tick, row.player
            )));
            rows.push(Row::plain(match row.completed_tick {
                Some(t) => format!("ready since tick {t}"),
                None => format!(
                    "ready at tick {}",
                    c.tick + u64::from(row.work_required - row.work_done.min(row.work_required))
                ),
            }));
        }
        None => {
            let terrain = c.terrain_at(x, y);
            rows.push(Row::plain(terrain.name()));
            let free = if app.replay {
                "free at this tick"
            } else {
                "free: b to build here"
            };
            rows.push(Row::new(free, Tone::Dim));
        }
    }
    TileModel {
        title: format!(" tile ({x},{y}) "),
        rows,
        wrap: false,
    }
}

pub fn draw(model: &TileModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let mut paragraph = Paragraph::new(theme.lines(&model.rows));
    if model.wrap {
        paragraph = paragraph.wrap(Wrap { trim: true });
    }
    frame.render_widget(
        paragraph.block(Block::bordered().title(model.title.clone())),
        area,
    );
}
