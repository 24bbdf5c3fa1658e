//! Where each part of the screen goes, as a pure function of the terminal size, shared by the
//! view (to draw) and the update (to map a mouse click to a tile).

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the screen asks for more room instead of drawing a broken layout.
pub const MIN_WIDTH: u16 = 64;
pub const MIN_HEIGHT: u16 = 20;
/// Terminal cells per map tile, across: two keeps tiles roughly square and leaves room for a
/// progress digit beside a site's glyph.
pub const TILE_WIDTH: u16 = 2;
const SIDE_WIDTH: u16 = 30;
const FEED_HEIGHT: u16 = 6;

/// Rows for the playback timeline: tick labels, then the track.
const TIMELINE_HEIGHT: u16 = 2;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Areas {
    pub header: Rect,
    /// A colony game's resources, a row under the header; empty in a classic game.
    pub resources: Rect,
    pub map: Rect,
    pub side: Rect,
    pub feed: Rect,
    /// Empty on the live screen.
    pub timeline: Rect,
    pub status: Rect,
    pub footer: Rect,
}

impl Areas {
    /// `None` when the terminal is too small. Playback screens carry a timeline, colony games
    /// a row of resources.
    pub fn new(area: Rect, timeline: bool, colony: bool) -> Option<Areas> {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            return None;
        }
        let timeline_height = if timeline { TIMELINE_HEIGHT } else { 0 };
        let [header, resources, middle, feed, timeline, status, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(u16::from(colony)),
            Constraint::Min(8),
            Constraint::Length(FEED_HEIGHT - timeline_height),
            Constraint::Length(timeline_height),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let [map, side] =
            Layout::horizontal([Constraint::Min(20), Constraint::Length(SIDE_WIDTH)]).areas(middle);
        Some(Areas {
            header,
            resources,
            map,
            side,
            feed,
            timeline,
            status,
            footer,
        })
    }

    /// The map's drawable inside, within its border.
    pub fn map_inner(&self) -> Rect {
        self.map.inner(ratatui::layout::Margin::new(1, 1))
    }

    /// How many tiles fit across and down.
    pub fn visible_tiles(&self) -> (u16, u16) {
        let inner = self.map_inner();
        (inner.width / TILE_WIDTH, inner.height)
    }
}
