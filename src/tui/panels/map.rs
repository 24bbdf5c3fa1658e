//! The map: terrain, piles, buildings and robots, the cursor, arrows on the border where more
//! of the map lies, and what the terrain glyphs mean along the bottom edge.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Block;

use crate::domain::catalogue::Terrain;
use crate::domain::projection::buildings::BuildingRow;
use crate::domain::projection::robots::RobotRow;
use crate::present::{PILE, ROBOT};
use crate::tui::app::App;
use crate::tui::boxes::title;
use crate::tui::layout::{Areas, TILE_WIDTH};
use crate::tui::theme::{Theme, Tone};

/// What the terrain glyphs mean, along the map's bottom edge: in full, or short when the
/// panel is narrow.
const LEGENDS: [&str; 2] = [
    " . regolith  , dust  ^ rock  * crater ",
    " .regolith ,dust ^rock *crater ",
];

/// One screen cell of the map: where, what, in which tone, and whether the cursor is on it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Cell {
    pub at: (u16, u16),
    pub glyph: char,
    pub tone: Tone,
    pub cursor: bool,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MapModel {
    pub title: String,
    pub legend: Option<&'static str>,
    /// Arrows on the border, at screen cells, where more of the map lies beyond the panel.
    pub arrows: Vec<(char, (u16, u16))>,
    pub cells: Vec<Cell>,
}

/// How a building is drawn: its glyph, and beside it a progress digit (tens of percent) while
/// it is a site, so progress reads without colour.
fn building_cells(row: &BuildingRow) -> [(char, Tone); 2] {
    // A glyph is checked when a game starts; an older save's could be anything.
    let glyph = if row.glyph.is_control() {
        '?'
    } else {
        row.glyph
    };
    if row.ready {
        [
            (glyph.to_ascii_uppercase(), Tone::Ready),
            (' ', Tone::Plain),
        ]
    } else {
        let digit = char::from_digit(u32::from(row.progress_percent / 10), 10).unwrap_or('9');
        [
            (glyph.to_ascii_lowercase(), Tone::Site),
            (digit, Tone::Site),
        ]
    }
}

/// How a robot is drawn: `@` and beside it its battery in tenths, so a robot about to run flat
/// shows without colour; `!` when faulted.
fn robot_cells(robot: &RobotRow) -> [(char, Tone); 2] {
    if robot.fault.is_some() {
        return [('!', Tone::Error), (' ', Tone::Plain)];
    }
    let tenths = (robot.battery * 10 / robot.capacity.max(1)).min(9);
    let digit = char::from_digit(tenths, 10).unwrap_or('9');
    [(ROBOT, Tone::Robot), (digit, Tone::Dim)]
}

pub fn model(app: &App, areas: &Areas) -> MapModel {
    let c = &app.projections.colony;
    // Room is left at the bottom left for the arrow that says the map goes on below.
    let room = usize::from(areas.map.width).saturating_sub(6);
    let mut model = MapModel {
        title: format!(" {} {}x{} ", c.map, c.width, c.height),
        legend: LEGENDS.iter().find(|l| l.chars().count() <= room).copied(),
        arrows: Vec::new(),
        cells: Vec::new(),
    };
    let Some(view) = app.map_view() else {
        return model;
    };
    let (x0, y0) = app.scroll;
    let (left, right) = (areas.map.x, areas.map.x + areas.map.width - 1);
    let (top, bottom) = (areas.map.y, areas.map.y + areas.map.height - 1);
    let middle = view.y + view.rows / 2;
    let more = [
        (x0 > 0, '◀', (left, middle)),
        (x0 + view.cols < c.width, '▶', (right, middle)),
        (y0 > 0, '▲', (right - 2, top)),
        (y0 + view.rows < c.height, '▼', (left + 2, bottom)),
    ];
    model.arrows = more
        .into_iter()
        .filter(|(shown, _, _)| *shown)
        .map(|(_, arrow, at)| (arrow, at))
        .collect();
    let robots = &app.projections.robots;
    for dy in 0..view.rows {
        for dx in 0..view.cols {
            let (x, y) = (app.scroll.0 + dx, app.scroll.1 + dy);
            let terrain = c.terrain_at(x, y);
            let mut cells = [
                (terrain.glyph(), Tone::Terrain(terrain)),
                (' ', Tone::Plain),
            ];
            if robots.dug_out.contains(&(x, y)) {
                cells[0] = (Terrain::Dust.glyph(), Tone::Terrain(Terrain::Dust));
            }
            if let Some((resource, _)) = robots.piles.get(&(x, y)) {
                cells[0] = (PILE, Tone::Resource(*resource));
            }
            if let Some(row) = app.projections.buildings.at(x, y) {
                cells = building_cells(row);
            }
            if let Some(robot) = robots.at(x, y) {
                cells = robot_cells(robot);
            }
            let cursor = (x, y) == app.cursor;
            for (i, (glyph, tone)) in cells.into_iter().enumerate() {
                model.cells.push(Cell {
                    at: (view.x + dx * TILE_WIDTH + i as u16, view.y + dy),
                    glyph,
                    tone,
                    cursor,
                });
            }
        }
    }
    model
}

pub fn draw(model: &MapModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let mut block = Block::bordered().title(title(&model.title, theme));
    if let Some(legend) = model.legend {
        block = block.title_bottom(Line::styled(legend, theme.style(Tone::Dim)).right_aligned());
    }
    frame.render_widget(block, area);
    let buf = frame.buffer_mut();
    for (arrow, at) in &model.arrows {
        if let Some(cell) = buf.cell_mut(*at) {
            cell.set_char(*arrow).set_style(theme.style(Tone::Title));
        }
    }
    for cell in &model.cells {
        let style = theme.style(cell.tone);
        let style = if cell.cursor {
            style.patch(theme.style(Tone::Cursor))
        } else {
            style
        };
        if let Some(on_screen) = buf.cell_mut(cell.at) {
            on_screen.set_char(cell.glyph).set_style(style);
        }
    }
}
