//! Drawing the live screen: `view(&app, frame)`, a pure function of the state.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, Mode};
use super::colony_view::{self, RULES};
use super::keys::HELP;
use super::layout::{Areas, MIN_HEIGHT, MIN_WIDTH, TILE_WIDTH};
use crate::domain::catalogue::Terrain;
use crate::domain::ids::Tick;
use crate::domain::projection::buildings::BuildingRow;
use crate::domain::projection::colony::MissionStatus;
use crate::domain::projection::robots::RobotRow;
use crate::domain::resources::Resource;
use crate::present::{PILE, ROBOT, bar, plural};

/// Styles, with and without colour. Without it (`NO_COLOR`) the screen still reads: sites are
/// lower case with a progress digit, ready buildings bold upper case, the cursor reversed.
pub(super) struct Theme {
    pub color: bool,
}

impl Theme {
    pub(super) fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub(super) fn terrain(&self, terrain: Terrain) -> Style {
        match terrain {
            Terrain::Regolith => self.fg(Color::Gray),
            Terrain::Dust => self.fg(Color::DarkGray),
            Terrain::Rock => self.fg(Color::White),
            Terrain::Crater => self.fg(Color::DarkGray),
        }
    }

    pub(super) fn site(&self) -> Style {
        self.fg(Color::Yellow)
    }

    pub(super) fn ready(&self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    pub(super) fn cursor(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub(super) fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub(super) fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub(super) fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub(super) fn robot(&self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }

    pub(super) fn resource(&self, resource: Resource) -> Style {
        match resource {
            Resource::Ice | Resource::Water => self.fg(Color::Cyan),
            Resource::Oxygen => self.fg(Color::Blue),
            Resource::Regolith => self.fg(Color::Yellow),
        }
    }

    pub(super) fn flash(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Green)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
}

pub fn view(app: &App, frame: &mut Frame<'_>) {
    let theme = Theme { color: app.color };
    let colony = app.projections.colony.economy.is_some();
    let Some(areas) = Areas::new(frame.area(), false, colony) else {
        too_small(frame, &theme);
        return;
    };
    header(app, frame, areas.header, &theme);
    world(app, frame, &areas, &theme);
    footer(app, frame, areas.footer, &theme);
    match app.mode {
        Mode::BuildMenu { selected } => {
            let over = Rect {
                width: areas.map.width + areas.side.width,
                ..areas.map
            };
            build_menu(app, frame, over, selected, &theme)
        }
        Mode::ProgramMenu { selected } => {
            let over = Rect {
                width: areas.map.width + areas.side.width,
                ..areas.map
            };
            colony_view::program_menu(app, frame, over, selected, &theme)
        }
        Mode::Help { scroll, page } => help(frame, frame.area(), HELP, scroll, page, &theme),
        Mode::Briefing => colony_view::briefing(app, frame, areas.map, &theme),
        Mode::Outcome => colony_view::outcome(app, frame, areas.map, &theme),
        Mode::Map => {}
    }
}

/// What live play and playback draw alike: the map, the side panels, the feed, the status.
pub(super) fn world(app: &App, frame: &mut Frame<'_>, areas: &Areas, theme: &Theme) {
    map(app, frame, areas, theme);
    if app.projections.colony.economy.is_some() {
        colony_view::resource_bar(app, frame, areas.resources, theme);
        colony_view::side(app, frame, areas.side, theme);
    } else {
        side(app, frame, areas.side, theme);
    }
    feed(app, frame, areas.feed, theme);
    status(app, frame, areas.status, theme);
}

pub(super) fn too_small(frame: &mut Frame<'_>, theme: &Theme) {
    let area = frame.area();
    let text = vec![
        Line::styled("Lunar Frontiers", theme.title()),
        Line::raw(format!(
            "needs a terminal of at least {MIN_WIDTH}x{MIN_HEIGHT};"
        )),
        Line::raw(format!("this one is {}x{}.", area.width, area.height)),
        Line::raw("q quits"),
    ];
    let top = area.height.saturating_sub(4) / 2;
    let rect = Rect::new(area.x, area.y + top, area.width, area.height.min(4));
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

fn header(app: &App, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let c = &app.projections.colony;
    let (state, state_style) = match app.held() {
        Some("stopped") => ("STOPPED", theme.error()),
        Some("paused") => ("PAUSED", theme.error()),
        Some("paused while this is open") => ("WAITING", theme.site()),
        Some(_) => ("HALTED", theme.error()),
        None => ("LIVE", theme.ready()),
    };
    let period = match app.control().period_ms {
        Some(ms) => format!("{ms} ms/tick"),
        None => "as fast as it goes".into(),
    };
    let mut spans = vec![
        Span::styled(format!(" {} ", c.name), theme.title()),
        Span::raw(format!("| tick {} | ", c.tick)),
        Span::styled(state, state_style),
        Span::raw(format!(" | {} ({period})", app.speed_label())),
    ];
    let room = usize::from(area.width).saturating_sub(Line::from(spans.clone()).width());
    if app.save_name != c.name && room >= app.save_name.len() + 8 {
        spans.push(Span::raw(format!(" | save {}", app.save_name)));
    }
    if app.flash == Some(c.tick) {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(" building complete ", theme.flash()));
    }
    frame.render_widget(Line::from(spans), area);
}

/// How a building is drawn: its glyph, and beside it a progress digit (tens of percent) while
/// it is a site, so progress reads without colour.
fn building_cells(row: &BuildingRow, theme: &Theme) -> [(char, Style); 2] {
    // A glyph is checked when a game starts; an older save's could be anything.
    let glyph = if row.glyph.is_control() {
        '?'
    } else {
        row.glyph
    };
    if row.ready {
        [
            (glyph.to_ascii_uppercase(), theme.ready()),
            (' ', Style::new()),
        ]
    } else {
        let digit = char::from_digit(u32::from(row.progress_percent / 10), 10).unwrap_or('9');
        [
            (glyph.to_ascii_lowercase(), theme.site()),
            (digit, theme.site()),
        ]
    }
}

/// How a robot is drawn: `@` and beside it its battery in tenths, so a robot about to run flat
/// shows without colour; `!` when faulted.
fn robot_cells(robot: &RobotRow, theme: &Theme) -> [(char, Style); 2] {
    if robot.fault.is_some() {
        return [('!', theme.error()), (' ', Style::new())];
    }
    let tenths = (robot.battery * 10 / robot.capacity.max(1)).min(9);
    let digit = char::from_digit(tenths, 10).unwrap_or('9');
    [(ROBOT, theme.robot()), (digit, theme.dim())]
}

/// What the terrain glyphs mean, along the map's bottom edge: in full, or short when the
/// panel is narrow.
const LEGENDS: [&str; 2] = [
    " . regolith  , dust  ^ rock  * crater ",
    " .regolith ,dust ^rock *crater ",
];

fn map(app: &App, frame: &mut Frame<'_>, areas: &Areas, theme: &Theme) {
    let c = &app.projections.colony;
    let mut block = Block::bordered().title(Span::styled(
        format!(" {} {}x{} ", c.map, c.width, c.height),
        theme.title(),
    ));
    // Room is left at the bottom left for the arrow that says the map goes on below.
    let room = usize::from(areas.map.width).saturating_sub(6);
    if let Some(legend) = LEGENDS.iter().find(|l| l.chars().count() <= room) {
        block = block.title_bottom(Line::styled(*legend, theme.dim()).right_aligned());
    }
    frame.render_widget(block, areas.map);
    let Some(view) = app.map_view() else {
        return;
    };
    let buf = frame.buffer_mut();
    // Arrows on the border where more of the map lies beyond the panel.
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
    for (shown, arrow, pos) in more {
        if let Some(cell) = buf.cell_mut(pos).filter(|_| shown) {
            cell.set_char(arrow).set_style(theme.title());
        }
    }
    for dy in 0..view.rows {
        for dx in 0..view.cols {
            let (x, y) = (app.scroll.0 + dx, app.scroll.1 + dy);
            let terrain = c.terrain_at(x, y);
            let mut cells = [
                (terrain.glyph(), theme.terrain(terrain)),
                (' ', Style::new()),
            ];
            let robots = &app.projections.robots;
            if robots.dug_out.contains(&(x, y)) {
                cells[0] = (Terrain::Dust.glyph(), theme.terrain(Terrain::Dust));
            }
            if let Some((resource, _)) = robots.piles.get(&(x, y)) {
                cells[0] = (PILE, theme.resource(*resource));
            }
            if let Some(row) = app.projections.buildings.at(x, y) {
                cells = building_cells(row, theme);
            }
            if let Some(robot) = robots.at(x, y) {
                cells = robot_cells(robot, theme);
            }
            let on_cursor = (x, y) == app.cursor;
            for (i, (ch, style)) in cells.into_iter().enumerate() {
                let style = if on_cursor {
                    style.patch(theme.cursor())
                } else {
                    style
                };
                let pos = (view.x + dx * TILE_WIDTH + i as u16, view.y + dy);
                if let Some(cell) = buf.cell_mut(pos) {
                    cell.set_char(ch).set_style(style);
                }
            }
        }
    }
}

fn side(app: &App, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let [tile_area, colony_area] =
        Layout::vertical([Constraint::Length(7), Constraint::Min(3)]).areas(area);
    let c = &app.projections.colony;
    let (x, y) = app.cursor;
    let mut lines = Vec::new();
    match app.projections.buildings.at(x, y) {
        Some(row) => {
            lines.push(Line::styled(
                format!("{} {}", row.name, row.id),
                theme.title(),
            ));
            let style = if row.ready {
                theme.ready()
            } else {
                theme.site()
            };
            lines.push(Line::styled(
                format!(
                    "{} {:>3}% {}/{}",
                    bar(row.progress_percent, 10),
                    row.progress_percent,
                    row.work_done,
                    row.work_required
                ),
                style,
            ));
            lines.push(Line::raw(format!(
                "planted tick {} by {}",
                row.spawned_tick, row.player
            )));
            lines.push(Line::raw(match row.completed_tick {
                Some(t) => format!("ready since tick {t}"),
                None => format!(
                    "ready at tick {}",
                    c.tick + u64::from(row.work_required - row.work_done.min(row.work_required))
                ),
            }));
        }
        None => {
            let terrain = c.terrain_at(x, y);
            lines.push(Line::raw(terrain.name()));
            let free = if app.replay {
                "free at this tick"
            } else {
                "free: b to build here"
            };
            lines.push(Line::styled(free, theme.dim()));
        }
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(format!(" tile ({x},{y}) "))),
        tile_area,
    );

    let mut lines = vec![
        Line::raw(format!("{:<19}{:>5}", "buildings", c.buildings)),
        Line::raw(format!(
            "{:<19}{:>5}",
            "under construction", c.under_construction
        )),
        Line::raw(format!("{:<19}{:>5}", "ready", c.ready)),
        Line::raw(""),
    ];
    for kind in c.catalogue.iter() {
        let count = c.by_type.get(&kind.key);
        let (ready, total) = count.map_or((0, 0), |n| (n.ready, n.total));
        lines.push(Line::raw(format!(
            "{} {:<18}{:>2}/{:<2}",
            kind.glyph, kind.name, ready, total
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" colony ")),
        colony_area,
    );
}

fn feed(app: &App, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let what = if app.console {
        "robots said (c: events)"
    } else if app.projections.robots.robots.is_empty() {
        "events"
    } else {
        "events (c: what robots said)"
    };
    let title = if app.feed_scroll == 0 {
        format!(" {what} ")
    } else {
        format!(" {what}, {} back (pgdn, wheel: newer) ", app.feed_scroll)
    };
    let block = Block::new().borders(Borders::TOP).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let tick = |t: Tick| Span::styled(format!("t{t:<6}"), theme.dim());
    let lines: Vec<Line> = if app.console {
        app.projections
            .robots
            .console()
            .rev()
            .skip(app.feed_scroll)
            .take(usize::from(inner.height))
            .map(|l| {
                let (text, style) = if l.fault {
                    (format!("{} FAULTED: {}", l.robot, l.text), theme.error())
                } else {
                    (format!("{}: {}", l.robot, l.text), Style::new())
                };
                Line::from(vec![tick(l.tick), Span::styled(text, style)])
            })
            .collect()
    } else {
        app.projections
            .feed
            .lines()
            .rev()
            .skip(app.feed_scroll)
            .take(usize::from(inner.height))
            .map(|l| Line::from(vec![tick(l.tick), Span::raw(l.text.clone())]))
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The status line: what the player's last action met with when that went wrong, else the
/// colony's most pressing alert, else the last word.
fn status(app: &App, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let error = app.status.as_ref().filter(|s| s.error);
    let line = match (error, colony_view::alert(&app.projections.colony)) {
        (Some(status), _) => Line::styled(format!(" {}", status.text), theme.error()),
        (None, Some(alert)) => Line::styled(format!(" ! {alert}"), theme.site()),
        (None, None) => match &app.status {
            Some(status) => Line::raw(format!(" {}", status.text)),
            None => return,
        },
    };
    frame.render_widget(line, area);
}

fn footer(app: &App, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let keys: &[(&str, &str)] = match app.mode {
        Mode::Map if app.projections.colony.stopped => &[
            ("arrows", "look around"),
            ("pgup/pgdn", "events"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Mode::Map if app.robot().is_some() => &[
            ("tab", "next robot"),
            ("p", "program"),
            ("e", "edit it"),
            ("arrows", "move"),
            ("space", if app.paused { "resume" } else { "pause" }),
            ("?", "help"),
            ("q", "quit"),
        ],
        Mode::Map if !app.projections.robots.robots.is_empty() => &[
            ("arrows", "move"),
            ("b", "build"),
            ("tab", "robots"),
            ("space", if app.paused { "resume" } else { "pause" }),
            ("+/-", "speed"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Mode::Map => &[
            ("arrows", "move"),
            ("b", "build"),
            ("space", if app.paused { "resume" } else { "pause" }),
            ("+/-", "speed"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Mode::BuildMenu { .. } => &[("up/down", "choose"), ("enter", "plant"), ("esc", "cancel")],
        Mode::ProgramMenu { .. } => &[
            ("up/down", "choose"),
            ("enter", "give it"),
            ("esc", "cancel"),
        ],
        Mode::Help { .. } => &[
            ("up/down", "scroll"),
            ("tab", "keys/rules"),
            ("esc", "close"),
            ("q", "quit"),
        ],
        Mode::Briefing => &[("enter", "to work"), ("?", "help"), ("q", "quit")],
        Mode::Outcome
            if app.next_mission.is_some()
                && matches!(app.mission(), Some(MissionStatus::Won { .. })) =>
        {
            &[
                ("n", "next mission"),
                ("r", "again"),
                ("esc", "look around"),
                ("q", "quit"),
            ]
        }
        Mode::Outcome => &[("r", "try again"), ("esc", "look around"), ("q", "quit")],
    };
    frame.render_widget(key_hints(keys, area.width, theme), area);
}

/// A footer's keys, as many as fit in `width`: the last two (help and quit) always stay, and
/// the ones just before them go first.
pub(super) fn key_hints(keys: &[(&str, &str)], width: u16, theme: &Theme) -> Line<'static> {
    let mut keys = keys.to_vec();
    let used = |keys: &[(&str, &str)]| -> usize {
        keys.iter()
            .map(|(key, what)| key.chars().count() + what.chars().count() + 3)
            .sum()
    };
    while used(&keys) > usize::from(width) && keys.len() > 2 {
        keys.remove(keys.len() - 3);
    }
    let mut spans = Vec::new();
    for (key, what) in keys {
        spans.push(Span::styled(format!(" {key}"), theme.title()));
        spans.push(Span::raw(format!(" {what} ")));
    }
    Line::from(spans)
}

/// A box of `width` x `height` centred in `area`, clipped to it.
pub(super) fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// The build menu: each kind with its work, and in a colony game its cost, whether it can
/// stand on this tile, and what the chosen one does.
fn build_menu(app: &App, frame: &mut Frame<'_>, area: Rect, selected: usize, theme: &Theme) {
    let c = &app.projections.colony;
    let (x, y) = app.cursor;
    let terrain = c.terrain_at(x, y);
    let economy = c.economy.as_ref().map(|e| &e.rules);
    let mut lines: Vec<Line> = c
        .catalogue
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let mut text = format!(
                " {} {} {:<18} {:>8}",
                i + 1,
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
                (true, _) => Line::styled(text, theme.cursor()),
                (false, true) => Line::raw(text),
                (false, false) => Line::styled(text, theme.dim()),
            }
        })
        .collect();
    if let Some((rules, e)) = c
        .catalogue
        .get(selected)
        .and_then(|k| Some((economy?, economy?.economy(&k.key)?)))
    {
        let ground: Vec<&str> = e.terrain.iter().map(|t| t.name()).collect();
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                " {}; on {}",
                colony_view::kind_does(rules, e),
                ground.join(" or ")
            ),
            theme.dim(),
        ));
    }
    let width = if economy.is_some() { 66 } else { 38 };
    let rect = centred(area, width, lines.len() as u16 + 2);
    // Keep the tile being built on in sight: the menu goes to whichever half the cursor is not.
    let cursor_row = app
        .map_view()
        .map_or(area.y, |v| v.y + app.cursor.1.saturating_sub(app.scroll.1));
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
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered().title(Span::styled(format!(" build at ({x},{y}) "), theme.title())),
        ),
        rect,
    );
}

/// The keys overlay (page 0) or, in a colony game, the rules (page 1).
pub(super) fn help(
    frame: &mut Frame<'_>,
    area: Rect,
    keys: &[(&str, &str)],
    scroll: u16,
    page: u8,
    theme: &Theme,
) {
    if page == 1 {
        let width = RULES.iter().map(|r| r.len()).max().unwrap_or(0) as u16 + 4;
        let width = width.min(area.width);
        let text_width = usize::from(width.saturating_sub(4)).max(8);
        let mut rows = Vec::new();
        for rule in RULES {
            for (i, part) in wrap_words(rule, text_width).into_iter().enumerate() {
                let lead = if i == 0 { " - " } else { "   " };
                rows.push(Line::raw(format!("{lead}{part}")));
            }
        }
        rows.push(Line::styled(" tab: the keys", theme.dim()));
        return scrolled(frame, area, " rules ", rows, width, scroll, theme);
    }
    let key_width = keys.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 2;
    let widest = keys.iter().map(|(_, w)| w.len()).max().unwrap_or(0) + key_width + 1;
    // Borders, a space on either side, the keys' column, then the text.
    let width = (widest as u16 + 3).min(area.width);
    let text_width = usize::from(width.saturating_sub(4))
        .saturating_sub(key_width)
        .max(8);
    let mut rows = Vec::new();
    for (keys, what) in keys {
        for (i, part) in wrap_words(what, text_width).into_iter().enumerate() {
            let key = if i == 0 { *keys } else { "" };
            rows.push(Line::from(vec![
                Span::styled(format!(" {key:<key_width$}"), theme.title()),
                Span::raw(part),
            ]));
        }
    }
    rows.push(Line::styled(
        " every action is an event in the save's log",
        theme.dim(),
    ));
    scrolled(frame, area, " keys ", rows, width, scroll, theme)
}

/// A box of rows centred in `area`, scrolled down `scroll` rows when it does not all fit,
/// with arrows on its border saying which way more lies.
fn scrolled(
    frame: &mut Frame<'_>,
    area: Rect,
    title: &str,
    rows: Vec<Line<'_>>,
    width: u16,
    scroll: u16,
    theme: &Theme,
) {
    let height = (rows.len() as u16 + 2).min(area.height);
    let visible = usize::from(height.saturating_sub(2));
    let first = usize::from(scroll).min(rows.len().saturating_sub(visible));
    let more_below = first + visible < rows.len();
    let rect = centred(area, width, height);
    let mut block = Block::bordered().title(Span::styled(title.to_owned(), theme.title()));
    if first > 0 {
        block = block.title(Line::styled(" ▲ up ", theme.dim()).right_aligned());
    }
    if more_below {
        block = block.title_bottom(Line::styled(" ▼ down: more ", theme.title()).right_aligned());
    }
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(rows.into_iter().skip(first).collect::<Vec<_>>()).block(block),
        rect,
    );
}

/// `text` broken at spaces into lines of at most `width` characters (a longer word stands
/// alone on its line).
pub(super) fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().map_or(0, |l| l.chars().count());
        if line > 0 && line + 1 + word.chars().count() > width {
            lines.push(String::new());
        }
        if let Some(last) = lines.last_mut() {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}
