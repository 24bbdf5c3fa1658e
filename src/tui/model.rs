//! The view model: everything a frame shows, computed once a frame from the screen's state,
//! as text in tones and numbers. The panels draw from it and from nothing else, so a frame's
//! data flows one way: projections, then this, then the widgets.

use ratatui::layout::{Constraint, Layout, Rect};

use super::actions::{Mode, ReplayMode};
use super::app::App;
use super::keys::{HELP, REPLAY_HELP};
use super::layout::Areas;
use super::panels::briefing::BriefingModel;
use super::panels::build_menu::MenuModel;
use super::panels::charts::ChartsModel;
use super::panels::confirm::ConfirmModel;
use super::panels::feed::FeedModel;
use super::panels::help::HelpModel;
use super::panels::inspector::PanelModel;
use super::panels::map::MapModel;
use super::panels::objectives::ObjectivesModel;
use super::panels::outcome::OutcomeModel;
use super::panels::program_menu::ProgramMenuModel;
use super::panels::statistics::StatisticsModel;
use super::panels::tile::TileModel;
use super::panels::timeline::TimelineModel;
use super::panels::whatif::WhatIfModel;
use super::panels::{
    briefing, build_menu, charts, colony, confirm, diff, feed, footer, header, help, history,
    inspector, map, objectives, outcome, program_menu, resources, statistics, status, tile,
    timeline, too_small, trace, whatif,
};
use super::replay::{Panel, Replay};
use super::theme::{Row, Tone};

/// The side of the screen: a colony game's tile, objectives and charts, or a classic game's
/// tile and building counts.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Side {
    Colony {
        tile: (Rect, TileModel),
        objectives: Option<(Rect, ObjectivesModel)>,
        /// Drawn only when there is room for them.
        charts: Option<(Rect, ChartsModel)>,
    },
    Classic {
        tile: (Rect, TileModel),
        colony: (Rect, Vec<Row>),
    },
}

/// What live play and playback show alike: the map, the side, the feed and the status line.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct World {
    pub resources: Option<Row>,
    pub map: MapModel,
    pub side: Side,
    pub feed: FeedModel,
    pub status: Option<Row>,
}

/// Something open over the live screen.
#[derive(Clone, PartialEq, Debug)]
pub enum Overlay {
    BuildMenu(MenuModel),
    ProgramMenu(ProgramMenuModel),
    Confirm(ConfirmModel),
    Statistics(StatisticsModel),
    Help(HelpModel),
    Briefing(BriefingModel),
    Outcome(OutcomeModel),
}

#[derive(Clone, PartialEq, Debug)]
pub struct LiveModel {
    pub areas: Areas,
    pub header: Row,
    pub world: World,
    pub footer: Row,
    pub overlay: Option<Overlay>,
}

#[derive(Clone, PartialEq, Debug)]
pub struct ReplayModel {
    pub areas: Areas,
    pub header: Row,
    pub world: World,
    pub timeline: Option<TimelineModel>,
    /// Typing a tick to go to, over the status line.
    pub goto: Option<Row>,
    pub footer: Row,
    pub panel: Option<PanelModel>,
    pub statistics: Option<StatisticsModel>,
    pub whatif: Option<WhatIfModel>,
    pub help: Option<HelpModel>,
}

/// A frame: drawn, or a note that the terminal is too small.
#[derive(Clone, PartialEq, Debug)]
pub enum Screen<M> {
    TooSmall(Vec<Row>),
    Drawn(Box<M>),
}

fn world(app: &App, areas: &Areas) -> World {
    let c = &app.projections.colony;
    let side = match &c.economy {
        Some(e) => {
            let objectives = e.rules.mission.objectives.len() as u16 + 3;
            // A robot's panel shows its memory too: it takes rows from the charts.
            let tile_model = tile::colony(app);
            let tile_rows = (tile_model.rows.len() as u16 + 2).clamp(8, 14);
            let [tile, goals, charts] = Layout::vertical([
                Constraint::Length(tile_rows),
                Constraint::Length(objectives),
                Constraint::Min(0),
            ])
            .areas(areas.side);
            let width = usize::from(charts::inner(charts).width);
            Side::Colony {
                tile: (tile, tile_model),
                objectives: objectives::model(c).map(|m| (goals, m)),
                charts: (charts.height >= 6).then(|| (charts, charts::model(e, width))),
            }
        }
        None => {
            let [tile, counts] =
                Layout::vertical([Constraint::Length(7), Constraint::Min(3)]).areas(areas.side);
            Side::Classic {
                tile: (tile, tile::classic(app)),
                colony: (counts, colony::model(c)),
            }
        }
    };
    World {
        resources: resources::model(c, areas.resources.width),
        map: map::model(app, areas),
        side,
        feed: feed::model(app, areas.feed),
        status: status::model(app),
    }
}

/// The live screen on a terminal of `area`.
pub fn live(app: &App, area: Rect) -> Screen<LiveModel> {
    let colony = app.projections.colony.economy.is_some();
    let Some(areas) = Areas::new(area, false, colony) else {
        return Screen::TooSmall(too_small::model(area));
    };
    let c = &app.projections.colony;
    let overlay = match app.mode {
        Mode::BuildMenu { selected } => Some(Overlay::BuildMenu(build_menu::model(app, selected))),
        Mode::ProgramMenu {
            selected,
            ref purpose,
        } => Some(Overlay::ProgramMenu(program_menu::model(
            app,
            selected,
            purpose,
            over_map(&areas).width,
        ))),
        Mode::ConfirmDemolish { ref building } => {
            confirm::model(app, building).map(Overlay::Confirm)
        }
        Mode::Statistics => c
            .economy
            .as_ref()
            .map(|e| Overlay::Statistics(statistics::model(e, c.tick))),
        Mode::Help { scroll, page } => Some(Overlay::Help(help::model(area, HELP, scroll, page))),
        Mode::Briefing => briefing::model(c).map(Overlay::Briefing),
        Mode::Outcome => outcome::model(app).map(Overlay::Outcome),
        Mode::Map => None,
    };
    Screen::Drawn(Box::new(LiveModel {
        header: header::live(app, areas.header.width),
        world: world(app, &areas),
        footer: footer::live(app, areas.footer.width),
        overlay,
        areas,
    }))
}

/// The map and the side panels together: where the menus and playback's panels open.
pub fn over_map(areas: &Areas) -> Rect {
    Rect {
        width: areas.map.width + areas.side.width,
        ..areas.map
    }
}

/// The playback screen on a terminal of `area`.
pub fn replay(replay: &Replay, area: Rect) -> Screen<ReplayModel> {
    let colony = replay.app.projections.colony.economy.is_some();
    let Some(areas) = Areas::new(area, true, colony) else {
        return Screen::TooSmall(too_small::model(area));
    };
    let height = over_map(&areas).height;
    let panel = match &replay.panel {
        Panel::None => None,
        Panel::Inspector { selected } => Some(inspector::model(replay, *selected, height)),
        Panel::Diff => Some(diff::model(replay)),
        Panel::History { subject, events } => Some(history::model(replay, subject, events, height)),
        Panel::Statistics => None,
        Panel::Trace {
            robot,
            report,
            console,
        } => Some(trace::model(
            replay,
            robot,
            report,
            console,
            (over_map(&areas).width, height),
        )),
        Panel::WhatIf(_) => None,
    };
    let whatif = match &replay.panel {
        Panel::WhatIf(whatif) => Some(whatif::model(whatif)),
        _ => None,
    };
    let c = &replay.app.projections.colony;
    let statistics = match (&replay.panel, &c.economy) {
        (Panel::Statistics, Some(e)) => Some(statistics::model(e, c.tick)),
        _ => None,
    };
    let goto = match &replay.mode {
        ReplayMode::Goto(digits) => Some(Row::new(
            format!(" go to tick: {digits}_  (enter to go, esc to cancel)"),
            Tone::Title,
        )),
        _ => None,
    };
    let help = match replay.mode {
        ReplayMode::Help { scroll } => Some(help::model(area, REPLAY_HELP, scroll, 0)),
        _ => None,
    };
    Screen::Drawn(Box::new(ReplayModel {
        header: header::replay(replay),
        world: world(&replay.app, &areas),
        timeline: timeline::model(replay, areas.timeline),
        goto,
        footer: footer::replay(replay, areas.footer.width),
        panel,
        statistics,
        whatif,
        help,
        areas,
    }))
}
