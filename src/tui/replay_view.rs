//! Drawing the playback screen: `view(&replay, frame)` computes the frame's model once and hands
//! each panel its part. Pure.

use ratatui::Frame;

use super::model::{self, ReplayModel, Screen};
use super::panels::{
    footer, header, help, inspector, statistics, status, timeline, too_small, whatif,
};
use super::replay::Replay;
use super::theme::Theme;
use super::view::world;

pub fn view(replay: &Replay, frame: &mut Frame<'_>) {
    let theme = Theme {
        color: replay.app.color,
    };
    match model::replay(replay, frame.area()) {
        Screen::TooSmall(rows) => too_small::draw(&rows, frame, &theme),
        Screen::Drawn(model) => draw(&model, frame, &theme),
    }
}

fn draw(model: &ReplayModel, frame: &mut Frame<'_>, theme: &Theme) {
    let areas = &model.areas;
    header::draw(&model.header, frame, areas.header, theme);
    world(&model.world, areas, frame, theme);
    if let Some(timeline) = &model.timeline {
        timeline::draw(timeline, frame, areas.timeline, theme);
    }
    if let Some(goto) = &model.goto {
        status::draw(goto, frame, areas.status, theme);
    }
    footer::draw(&model.footer, frame, areas.footer, theme);
    if let Some(panel) = &model.panel {
        inspector::draw(panel, frame, model::over_map(areas), theme);
    }
    if let Some(charts) = &model.statistics {
        statistics::draw(charts, frame, model::over_map(areas), theme);
    }
    if let Some(whatif) = &model.whatif {
        whatif::draw(whatif, frame, model::over_map(areas), theme);
    }
    if let Some(help) = &model.help {
        help::draw(help, frame, frame.area(), theme);
    }
}
