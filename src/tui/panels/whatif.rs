//! Playback's what-if: a fix tried from a tick, set beside the game as it went: how each
//! ended, each measure, the first tick they differ, where the branch is saved, and what the
//! colony held in each, one curve over the other.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Block, Chart, Clear, Dataset, GraphType};

use crate::domain::metrics::MEASURES;
use crate::domain::projection::colony::Sample;
use crate::domain::resources::Resource;
use crate::study::scores::Outcome;
use crate::study::whatif::{Curves, WhatIf};
use crate::tui::boxes;
use crate::tui::panels::inspector::PanelModel;
use crate::tui::theme::{Row, Styled, Theme, Tone};

#[derive(Clone, PartialEq, Debug)]
pub struct WhatIfModel {
    pub panel: PanelModel,
    /// The first and the last tick charted, and the tick the fix was tried from.
    pub ticks: (f64, f64),
    pub from: f64,
    pub curves: Vec<Curve>,
}

/// One thing the colony held, in the game as played and in the fix.
#[derive(Clone, PartialEq, Debug)]
pub struct Curve {
    pub title: Row,
    pub tone: Tone,
    /// (tick, amount), oldest first.
    pub as_played: Vec<(f64, f64)>,
    pub the_fix: Vec<(f64, f64)>,
    pub max: f64,
}

pub fn model(whatif: &WhatIf) -> WhatIfModel {
    let curves = &whatif.curves;
    let last = curves
        .as_played
        .iter()
        .chain(&curves.the_fix)
        .map(|s| s.tick as f64)
        .fold(1.0, f64::max);
    let mut held: Vec<Curve> = Resource::ALL
        .iter()
        .map(|&r| curve(curves, r.name(), Tone::Resource(r), |s| s.stock.get(r)))
        .collect();
    held.push(curve(curves, "power stored", Tone::Power, |s| s.stored));
    held.push(curve(curves, "colonists", Tone::Title, |s| s.living));
    // What neither game ever held tells nothing.
    held.retain(|o| o.max > 0.0);
    WhatIfModel {
        panel: table(whatif),
        ticks: (0.0, last),
        from: whatif.tick as f64,
        curves: held,
    }
}

fn curve(curves: &Curves, name: &str, tone: Tone, value: impl Fn(&Sample) -> u32) -> Curve {
    let points = |samples: &[Sample]| -> Vec<(f64, f64)> {
        samples
            .iter()
            .map(|s| (s.tick as f64, f64::from(value(s))))
            .collect()
    };
    let (as_played, the_fix) = (points(&curves.as_played), points(&curves.the_fix));
    let end = |points: &[(f64, f64)]| points.last().map_or(0.0, |p| p.1);
    let max = as_played
        .iter()
        .chain(&the_fix)
        .map(|p| p.1)
        .fold(0.0, f64::max);
    Curve {
        title: Row::of(vec![
            Styled::new(format!(" {name} "), tone),
            Styled::new(
                format!("as played {} the fix {} ", end(&as_played), end(&the_fix)),
                Tone::Dim,
            ),
        ]),
        tone,
        as_played,
        the_fix,
        max,
    }
}

/// How each game ended and each measure, side by side.
fn table(whatif: &WhatIf) -> PanelModel {
    let c = &whatif.comparison;
    let (a, b) = (&c.a.scored, &c.b.scored);
    let title = format!(" what if, from tick {} ", whatif.tick);
    let mut rows = vec![
        Row::new(
            format!("{:<20} {:>10} {:>10}", "", "as played", "the fix"),
            Tone::Title,
        ),
        Row::new(
            format!(
                "{:<20} {:>10} {:>10}",
                "outcome",
                a.outcome.word(),
                b.outcome.word()
            ),
            match (a.outcome, b.outcome) {
                (_, Outcome::Won) => Tone::Ready,
                (Outcome::Won, _) => Tone::Error,
                _ => Tone::Plain,
            },
        ),
    ];
    for (name, read) in MEASURES {
        let (x, y) = (read(&a.metrics), read(&b.metrics));
        let tone = match y.cmp(&x) {
            std::cmp::Ordering::Less => Tone::Ready,
            std::cmp::Ordering::Equal => Tone::Plain,
            std::cmp::Ordering::Greater => Tone::Error,
        };
        rows.push(Row::new(format!("{name:<20} {x:>10} {y:>10}"), tone));
    }
    rows.push(Row::plain(""));
    rows.push(Row::plain(match c.first_difference {
        Some(tick) => format!("the games first differ at tick {tick}"),
        None => "the same game, tick for tick".to_owned(),
    }));
    if whatif.refused > 0 {
        rows.push(Row::new(
            format!(
                "{} of your later commands could not be given again",
                whatif.refused
            ),
            Tone::Dim,
        ));
    }
    rows.push(Row::new(
        format!("saved as {}; lunar replay replays it", whatif.branch),
        Tone::Dim,
    ));
    rows.push(Row::new(
        "below: dotted as played, solid the fix from the bar on; esc closes",
        Tone::Dim,
    ));
    PanelModel { title, rows }
}

/// The table over `area`'s top and the curves, as many as fit, beneath it.
pub fn draw(model: &WhatIfModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    // A chart shorter than this shows a border and no curve.
    const LOWEST: u16 = 5;
    // The table's rows as wrapped inside its borders; all of the area when no chart would fit.
    let inside = usize::from(area.width.saturating_sub(2).max(1));
    let lines: usize = model
        .panel
        .rows
        .iter()
        .map(|r| r.width().div_ceil(inside).max(1))
        .sum();
    let table_height = u16::try_from(lines + 2).unwrap_or(u16::MAX);
    if model.curves.is_empty() || area.height < table_height.saturating_add(LOWEST) {
        boxes::panel(frame, area, &model.panel.title, &model.panel.rows, theme);
        return;
    }
    let [table, charts] =
        Layout::vertical([Constraint::Length(table_height), Constraint::Min(0)]).areas(area);
    boxes::panel(frame, table, &model.panel.title, &model.panel.rows, theme);
    frame.render_widget(Clear, charts);
    let columns = if charts.width >= 90 { 3 } else { 2 }.min(model.curves.len());
    let fit = usize::from(charts.height / LOWEST) * columns;
    let shown = &model.curves[..model.curves.len().min(fit)];
    for (curve, cell) in shown.iter().zip(boxes::grid(charts, shown.len(), columns)) {
        chart(model, curve, frame, cell, theme);
    }
}

/// One thing held: the game as played in dots, the fix in a line, the tick tried from as a bar.
fn chart(model: &WhatIfModel, curve: &Curve, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let top = curve.max.max(1.0);
    let from = [(model.from, 0.0), (model.from, top)];
    let datasets = vec![
        boxes::plotted(&from, GraphType::Line, theme.style(Tone::Dim)),
        Dataset::default()
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(theme.style(Tone::Dim))
            .data(&curve.as_played),
        boxes::plotted(&curve.the_fix, GraphType::Line, theme.style(curve.tone)),
    ];
    let chart = Chart::new(datasets)
        .block(Block::bordered().title(theme.line(&curve.title)))
        .x_axis(Axis::default().bounds([model.ticks.0, model.ticks.1]))
        .y_axis(
            Axis::default()
                .bounds([0.0, top])
                .labels(vec![Line::from("0"), Line::from(format!("{top}"))]),
        );
    frame.render_widget(chart, area);
}
