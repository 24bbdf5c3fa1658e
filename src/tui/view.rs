//! Drawing the live screen: `view(&app, frame)` computes the frame's model once and hands each
//! panel its part. Pure.

use ratatui::Frame;

use super::app::App;
use super::model::{self, LiveModel, Overlay, Screen, Side, World};
use super::panels::{
    briefing, build_menu, charts, colony, confirm, feed, footer, header, help, map, objectives,
    outcome, program_menu, resources, statistics, status, tile, too_small,
};
use super::theme::Theme;
use crate::tui::layout::Areas;

pub fn view(app: &App, frame: &mut Frame<'_>) {
    let theme = Theme { color: app.color };
    match model::live(app, frame.area()) {
        Screen::TooSmall(rows) => too_small::draw(&rows, frame, &theme),
        Screen::Drawn(model) => draw(&model, frame, &theme),
    }
}

fn draw(model: &LiveModel, frame: &mut Frame<'_>, theme: &Theme) {
    let areas = &model.areas;
    header::draw(&model.header, frame, areas.header, theme);
    world(&model.world, areas, frame, theme);
    footer::draw(&model.footer, frame, areas.footer, theme);
    let over = model::over_map(areas);
    match &model.overlay {
        Some(Overlay::BuildMenu(menu)) => build_menu::draw(menu, frame, over, theme),
        Some(Overlay::ProgramMenu(menu)) => program_menu::draw(menu, frame, over, theme),
        Some(Overlay::Confirm(question)) => confirm::draw(question, frame, over, theme),
        Some(Overlay::Statistics(charts)) => statistics::draw(charts, frame, over, theme),
        Some(Overlay::Help(help)) => help::draw(help, frame, frame.area(), theme),
        Some(Overlay::Briefing(briefing)) => briefing::draw(briefing, frame, areas.map, theme),
        Some(Overlay::Outcome(outcome)) => outcome::draw(outcome, frame, areas.map, theme),
        None => {}
    }
}

/// What live play and playback draw alike: the map, the side panels, the feed, the status.
pub(super) fn world(world: &World, areas: &Areas, frame: &mut Frame<'_>, theme: &Theme) {
    map::draw(&world.map, frame, areas.map, theme);
    if let Some(bar) = &world.resources {
        resources::draw(bar, frame, areas.resources, theme);
    }
    match &world.side {
        Side::Colony {
            tile: (tile_area, tile),
            objectives,
            charts,
        } => {
            tile::draw(tile, frame, *tile_area, theme);
            if let Some((area, goals)) = objectives {
                objectives::draw(goals, frame, *area, theme);
            }
            if let Some((area, charts)) = charts {
                charts::draw(charts, frame, *area, theme);
            }
        }
        Side::Classic {
            tile: (tile_area, tile),
            colony: (counts_area, counts),
        } => {
            tile::draw(tile, frame, *tile_area, theme);
            colony::draw(counts, frame, *counts_area, theme);
        }
    }
    feed::draw(&world.feed, frame, areas.feed, theme);
    if let Some(row) = &world.status {
        status::draw(row, frame, areas.status, theme);
    }
}
