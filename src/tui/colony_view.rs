//! Drawing a colony game's parts of the screen: the resource bar, the building panel with
//! what a building does, the objectives, the charts, the briefing and the outcome. Pure.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Sparkline, Wrap};

use super::app::App;
use super::view::{Theme, centred, wrap_words};
use crate::domain::projection::colony::{ColonyView, EconomyView, MissionStatus};
use crate::domain::projection::feed::{WARNING_TICKS, running_low};
use crate::domain::projection::robots::RobotRow;
use crate::domain::resources::{Resource, Stock};
use crate::domain::ruleset::{Economy, Objective, Ruleset};
use crate::present::{bar, doing, objective_text, plural};

/// The rules in a few lines, for the help's second page; the README says the same at length.
pub const RULES: &[&str] = &[
    "A site needs its materials (regolith) from the store, then ticks of work by robots.",
    "Robots run their programs every tick: tab picks one, p gives it another, e edits it.",
    "Robots charge next to the headquarters or a battery; a flat battery stops a robot.",
    "A building works from the tick after it is finished.",
    "Solar arrays make power by day only; generators day and night; batteries keep what is left.",
    "When power runs short: life support first, then sites, then industry go without.",
    "Mines stand on bright regolith '.', ice extractors on craters '*'; nothing on rock '^'.",
    "Ice becomes water, water becomes oxygen. Each colonist breathes and drinks every tick.",
    "Without enough, colonists last a few ticks; then one dies each tick.",
    "Ships wait a while for beds, then leave with whoever found none: they count as lost.",
    "What a building makes is in store from the next tick.",
    "The mission is won on the first tick every objective holds, lost past its deadline.",
];

/// One resource in the bar: its name, amount and which way it went on the last tick.
fn amount(name: &str, now: u32, before: u32, theme: &Theme) -> Vec<Span<'static>> {
    let (arrow, style) = match now.cmp(&before) {
        std::cmp::Ordering::Greater => ("+", theme.ready()),
        std::cmp::Ordering::Less => ("-", theme.error()),
        std::cmp::Ordering::Equal => (" ", Style::new()),
    };
    vec![
        Span::styled(name.to_owned(), theme.dim()),
        Span::raw(format!("{now}")),
        Span::styled(format!("{arrow} "), style),
    ]
}

/// The row under the header: light and the ticks to its change, the power balance and
/// store, each resource with its trend, and the colonists; in short words when narrow.
pub(super) fn resource_bar(app: &App, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let c = &app.projections.colony;
    let Some(e) = &c.economy else {
        return;
    };
    let wide = bar_spans(c, e, theme, &WIDE);
    let spans = if Line::from(wide.clone()).width() <= usize::from(area.width) {
        wide
    } else {
        bar_spans(c, e, theme, &NARROW)
    };
    frame.render_widget(Line::from(spans), area);
}

/// The words the resource bar uses: for power, each resource, and colonists.
struct BarWords {
    power: &'static str,
    stores: &'static str,
    resources: [&'static str; 4],
    colonists: &'static str,
}

const WIDE: BarWords = BarWords {
    power: " | power ",
    stores: "| ",
    resources: ["reg ", "ice ", "H2O ", "O2 "],
    colonists: "| colonists ",
};

const NARROW: BarWords = BarWords {
    power: "|pwr ",
    stores: "",
    resources: ["R", "I", "W", "O"],
    colonists: "|col ",
};

fn bar_spans(
    c: &ColonyView,
    e: &EconomyView,
    theme: &Theme,
    words: &BarWords,
) -> Vec<Span<'static>> {
    let light = e.daylight(c.tick);
    let mut spans = Vec::new();
    let change = if light.until_change == u32::MAX {
        String::new()
    } else if light.day {
        format!(" {}>night", light.until_change)
    } else {
        format!(" {}>dawn", light.until_change)
    };
    let (sun, style) = if light.day {
        ("DAY", theme.fg(Color::Yellow))
    } else {
        ("NIGHT", theme.fg(Color::Blue))
    };
    spans.push(Span::styled(format!(" {sun}"), style));
    spans.push(Span::raw(change));
    let balance = i64::from(e.power.produced) - i64::from(e.power.used);
    let balance_style = if e.short {
        theme.error()
    } else if balance >= 0 {
        theme.ready()
    } else {
        theme.site()
    };
    spans.push(Span::styled(words.power, theme.dim()));
    spans.push(Span::styled(format!("{balance:+}"), balance_style));
    spans.push(Span::raw(format!(
        " {}/{} ",
        e.power.stored, e.power.capacity
    )));
    spans.push(Span::styled(words.stores, theme.dim()));
    for (resource, name) in Resource::ALL.into_iter().zip(words.resources) {
        spans.extend(amount(
            name,
            e.stock.get(resource),
            e.previous.get(resource),
            theme,
        ));
    }
    spans.push(Span::styled(words.colonists, theme.dim()));
    spans.push(Span::raw(format!("{}", e.living)));
    let waiting = e.waiting(c.tick);
    if waiting > 0 {
        spans.push(Span::styled(format!(" +{waiting} aboard"), theme.site()));
    }
    spans
}

/// The most pressing thing a player should know now, if anything: a brown-out, oxygen or
/// water running low, night coming, a ship due without beds for all.
pub fn alert(c: &ColonyView) -> Option<String> {
    let e = c.economy.as_ref()?;
    if !matches!(e.mission, MissionStatus::Running) {
        return None;
    }
    if e.short {
        return Some("BROWN-OUT: consumers are going without power (see the feed)".into());
    }
    if let Some(resource) = running_low(&e.rules, &e.stock, e.living, e.distress).first() {
        let need = match resource {
            Resource::Oxygen => e.rules.breathe,
            _ => e.rules.drink,
        } * e.living.max(1);
        let left = e.stock.get(*resource) / need.max(1);
        return Some(format!(
            "{} runs low: {} left for the colonists",
            resource.name(),
            plural(left, "tick")
        ));
    }
    let light = e.daylight(c.tick);
    if light.day && light.until_change <= WARNING_TICKS {
        return Some(format!(
            "night falls in {}: solar arrays stop",
            plural(light.until_change, "tick")
        ));
    }
    let beds: u32 = c
        .by_type
        .iter()
        .filter_map(|(key, count)| Some(e.rules.economy(key)?.housing * count.ready))
        .sum();
    if let Some((tick, colonists)) = e.next_ship(c.tick)
        && tick - c.tick <= 60
        && beds < e.living + colonists
    {
        return Some(format!(
            "a ship lands in {} with {colonists}: {} beds are free",
            plural(tick - c.tick, "tick"),
            beds.saturating_sub(e.living)
        ));
    }
    None
}

/// What a kind of building does, in a few words: "makes 3 ice, uses 3 power". Crews are named
/// only where they build: in a colony without robots.
pub fn kind_does(rules: &Ruleset, economy: &Economy) -> String {
    let mut parts = Vec::new();
    if !economy.produces.is_empty() {
        parts.push(format!("makes {}", words(&economy.produces)));
    }
    if !economy.consumes.is_empty() {
        parts.push(format!("from {}", words(&economy.consumes)));
    }
    if economy.solar > 0 {
        parts.push(format!("{} power by day", economy.solar));
    }
    if economy.generates > 0 {
        parts.push(format!("{} power", economy.generates));
    }
    if economy.storage > 0 {
        parts.push(format!("stores {} power", economy.storage));
    }
    if economy.housing > 0 {
        parts.push(format!("beds for {}", economy.housing));
    }
    if economy.crew > 0 && rules.robots.is_none() {
        parts.push(format!("{} crews", economy.crew));
    }
    if economy.power > 0 {
        parts.push(format!("uses {} power", economy.power));
    }
    parts.join(", ")
}

fn words(stock: &Stock) -> String {
    Resource::ALL
        .iter()
        .filter(|r| stock.get(**r) > 0)
        .map(|r| format!("{} {}", stock.get(*r), r.name()))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The side of a colony game's screen: the tile or building under the cursor, the
/// objectives, and the charts when there is room.
pub(super) fn side(app: &App, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let c = &app.projections.colony;
    let Some(e) = &c.economy else {
        return;
    };
    let objectives = e.rules.mission.objectives.len() as u16 + 3;
    let [tile, goals, charts] = Layout::vertical([
        Constraint::Length(8),
        Constraint::Length(objectives),
        Constraint::Min(0),
    ])
    .areas(area);
    tile_panel(app, e, frame, tile, theme);
    objectives_panel(c, e, frame, goals, theme);
    if charts.height >= 6 {
        charts_panel(e, frame, charts, theme);
    }
}

/// The robot under the cursor: its program, battery, cargo, and what it did or why it stopped.
fn robot_lines(app: &App, robot: &RobotRow, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(format!("Robot {}", robot.id), theme.title())];
    lines.push(match &robot.program {
        Some((name, hash)) => Line::raw(format!("runs {name} {}", &hash[..8.min(hash.len())])),
        None => Line::styled("no program: p gives it one", theme.error()),
    });
    let low = robot.battery * 4 < robot.capacity;
    lines.push(Line::styled(
        format!(
            "battery {} {}/{}",
            bar((robot.battery * 100 / robot.capacity.max(1)) as u8, 8),
            robot.battery,
            robot.capacity
        ),
        if low { theme.error() } else { Style::new() },
    ));
    let cargo = robot.cargo.map_or_else(
        || "carries nothing".to_owned(),
        |(r, n)| format!("carries {n} {} of {}", r.name(), robot.cargo_capacity),
    );
    lines.push(Line::raw(cargo));
    match (&robot.fault, &robot.last) {
        (Some(fault), _) => lines.push(Line::styled(format!("FAULTED: {fault}"), theme.error())),
        (None, Some((tick, what))) => lines.push(Line::styled(
            format!("t{tick} {what}"),
            if tick + 1 >= app.tick() {
                Style::new()
            } else {
                theme.dim()
            },
        )),
        (None, None) => {}
    }
    if !app.replay {
        lines.push(Line::styled("p program  e edit  tab next", theme.dim()));
    }
    lines
}

fn tile_panel(app: &App, e: &EconomyView, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let c = &app.projections.colony;
    let (x, y) = app.cursor;
    let mut lines = Vec::new();
    if let Some(robot) = app.robot() {
        frame.render_widget(
            Paragraph::new(robot_lines(app, robot, theme))
                .wrap(Wrap { trim: true })
                .block(Block::bordered().title(format!(" tile ({x},{y}) "))),
            area,
        );
        return;
    }
    match app.projections.buildings.at(x, y) {
        Some(row) => {
            lines.push(Line::styled(
                format!("{} {}", row.name, row.id),
                theme.title(),
            ));
            let now = doing(row, c);
            let style = if now.starts_with("idle") || now.starts_with("waits") {
                theme.error()
            } else if row.ready {
                theme.ready()
            } else {
                theme.site()
            };
            if !row.ready {
                lines.push(Line::styled(
                    format!(
                        "{} {:>3}% {}/{}",
                        bar(row.progress_percent, 10),
                        row.progress_percent,
                        row.work_done,
                        row.work_required
                    ),
                    theme.site(),
                ));
            }
            lines.push(Line::styled(now, style));
            if let Some(economy) = e.rules.economy(&row.building_type) {
                lines.push(Line::raw(kind_does(&e.rules, economy)));
                if !row.ready && !economy.cost.is_empty() {
                    lines.push(Line::styled(
                        format!("costs {}", words(&economy.cost)),
                        theme.dim(),
                    ));
                }
            }
        }
        None => {
            let terrain = c.terrain_at(x, y);
            lines.push(Line::raw(terrain.name()));
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
            lines.push(Line::styled(text, theme.dim()));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(format!(" tile ({x},{y}) "))),
        area,
    );
}

fn objectives_panel(
    c: &ColonyView,
    e: &EconomyView,
    frame: &mut Frame<'_>,
    area: Rect,
    theme: &Theme,
) {
    let mission = &e.rules.mission;
    let mut lines = Vec::new();
    let (status, style) = match &e.mission {
        MissionStatus::Won { .. } => ("WON".to_owned(), theme.ready()),
        MissionStatus::Lost { .. } => ("LOST".to_owned(), theme.error()),
        MissionStatus::Running => match mission.deadline {
            Some(deadline) => (
                format!("{} to go", plural(deadline.saturating_sub(c.tick), "tick")),
                Style::new(),
            ),
            None => ("no deadline".to_owned(), theme.dim()),
        },
    };
    lines.push(Line::styled(status, style));
    for objective in &mission.objectives {
        let done = c.objective_done(objective);
        let mark = if done { "[x] " } else { "[ ] " };
        let style = if done { theme.ready() } else { Style::new() };
        lines.push(Line::styled(
            format!("{mark}{}", objective_text(c, objective)),
            style,
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered().title(Span::styled(format!(" {} ", mission.title), theme.title())),
        ),
        area,
    );
}

/// Power in store and oxygen in store over the last ticks: people would rather look than read.
fn charts_panel(e: &EconomyView, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let block = Block::bordered().title(" last ticks ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let recent: Vec<_> = e
        .history
        .iter()
        .skip(e.history.len().saturating_sub(width))
        .collect();
    let half = inner.height / 2;
    let [power_label, power, stock_label, stock] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(half.saturating_sub(1)),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    let stored: Vec<u64> = recent.iter().map(|s| u64::from(s.stored)).collect();
    let charted = charted(e);
    let amounts: Vec<u64> = recent
        .iter()
        .map(|s| u64::from(s.stock.get(charted)))
        .collect();
    frame.render_widget(
        Line::styled(format!("power stored, now {}", e.power.stored), theme.dim()),
        power_label,
    );
    frame.render_widget(
        Sparkline::default()
            .data(&stored)
            .max(u64::from(e.power.capacity.max(1)))
            .style(theme.fg(Color::Yellow)),
        power,
    );
    frame.render_widget(
        Line::styled(
            format!("{}, now {}", charted.name(), e.stock.get(charted)),
            theme.dim(),
        ),
        stock_label,
    );
    frame.render_widget(
        Sparkline::default()
            .data(&amounts)
            .style(theme.fg(Color::Cyan)),
        stock,
    );
}

/// The resource worth a chart: the one an objective asks to store, else the air when anyone
/// breathes it, else the regolith everything is built from.
fn charted(e: &EconomyView) -> Resource {
    let stored = e.rules.mission.objectives.iter().find_map(|o| match o {
        Objective::Stock { resource, .. } => Some(*resource),
        _ => None,
    });
    let breathing = e.living > 0 || !e.rules.mission.ships.is_empty();
    stored.unwrap_or(if breathing {
        Resource::Oxygen
    } else {
        Resource::Regolith
    })
}

/// The shipped programs, to give the robot under the cursor, each with the first line of its
/// description.
pub(super) fn program_menu(
    app: &App,
    frame: &mut Frame<'_>,
    area: Rect,
    selected: usize,
    theme: &Theme,
) {
    let robot = app.robot().map_or_else(String::new, |r| r.id.to_string());
    let mut lines = Vec::new();
    for (i, program) in app.programs.iter().enumerate() {
        let about = program
            .source
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("//"))
            .map_or("", str::trim);
        let text = format!(" {} {:<10} {about}", i + 1, program.name);
        let style = if i == selected {
            theme.cursor()
        } else {
            Style::new()
        };
        lines.push(Line::styled(text, style));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        " e edits the robot's program in your editor instead",
        theme.dim(),
    ));
    let width = (area.width.saturating_sub(4)).min(100);
    let rect = super::view::centred(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(Span::styled(
            format!(" a program for {robot} "),
            theme.title(),
        ))),
        rect,
    );
}

/// The mission's story and objectives, shown when it begins and on `m`.
pub(super) fn briefing(app: &App, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let c = &app.projections.colony;
    let Some(e) = &c.economy else {
        return;
    };
    let mission = &e.rules.mission;
    let mut lines = vec![
        Line::styled(mission.goal.clone(), theme.title()),
        Line::raw(""),
    ];
    for paragraph in &mission.briefing {
        lines.push(Line::raw(paragraph.clone()));
        lines.push(Line::raw(""));
    }
    for objective in &mission.objectives {
        let mark = if c.objective_done(objective) {
            "[x]"
        } else {
            "[ ]"
        };
        lines.push(Line::raw(format!(
            "{mark} {}",
            objective_text(c, objective)
        )));
    }
    if let Some(deadline) = mission.deadline {
        lines.push(Line::raw(format!("by tick {deadline}")));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "enter: to work (the game waits while this is open); ? keys and rules",
        theme.dim(),
    ));
    let rect = centred(area, 72, area.height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::bordered().title(Span::styled(format!(" {} ", mission.title), theme.title())),
        ),
        rect,
    );
}

/// The end of a mission: won or lost, why, and the score, line by line.
pub(super) fn outcome(app: &App, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let c = &app.projections.colony;
    let Some(e) = &c.economy else {
        return;
    };
    let (title, style, reason, score) = match &e.mission {
        MissionStatus::Won { tick, score } => (
            " MISSION WON ",
            theme.ready(),
            format!("every objective held at tick {tick}"),
            score,
        ),
        MissionStatus::Lost {
            tick,
            reason,
            score,
        } => (
            " MISSION LOST ",
            theme.error(),
            format!("at tick {tick}: {reason}"),
            score,
        ),
        MissionStatus::Running => return,
    };
    const WIDTH: u16 = 46;
    let mut lines = vec![Line::styled(e.rules.mission.title.clone(), theme.title())];
    lines.extend(
        wrap_words(&reason, usize::from(WIDTH - 2))
            .into_iter()
            .map(Line::raw),
    );
    lines.extend([
        Line::raw(""),
        Line::raw(format!("ticks taken          {:>8}", score.ticks)),
        Line::raw(format!("colonists living     {:>8}", score.colonists)),
        Line::raw(format!("colonists lost       {:>8}", score.lost)),
        Line::raw(format!("buildings working    {:>8}", score.buildings)),
        Line::raw(format!("ticks of brown-out   {:>8}", score.brownout_ticks)),
        Line::raw(format!("units in store       {:>8}", score.banked)),
        Line::raw(format!("ticks to spare       {:>8}", score.spare)),
        Line::styled(format!("score                {:>8}", score.points), style),
        Line::raw(""),
    ]);
    match (&e.mission, &app.next_mission) {
        (MissionStatus::Won { .. }, Some((_, next))) => {
            lines.push(Line::styled(
                format!("n: the next mission, {next}"),
                theme.title(),
            ));
            lines.push(Line::styled(
                "r: this one again, for a better score",
                theme.dim(),
            ));
        }
        (MissionStatus::Won { .. }, None) => lines.push(Line::styled(
            "r: play it again, for a better score",
            theme.dim(),
        )),
        _ => lines.push(Line::styled("r: try again, from the start", theme.title())),
    }
    lines.push(Line::styled(
        "watch it again: quit, then replay this save",
        theme.dim(),
    ));
    lines.push(Line::styled("esc: look around   q: quit", theme.dim()));
    let rect = centred(area, WIDTH, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(Span::styled(title, style))),
        rect,
    );
}
