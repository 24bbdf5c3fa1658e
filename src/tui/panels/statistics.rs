//! The statistics screen: for each resource, power and the colonists, what was held over the
//! whole game (up to the tick shown) and its net rate a tick, nights shaded, on one time axis.
//! The same in live play and playback.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Axis, Block, Chart, Clear, GraphType};

use crate::domain::projection::colony::{EconomyView, Sample};
use crate::domain::resources::Resource;
use crate::present::{signed_tenths, tenths};
use crate::tui::boxes::{self, title};
use crate::tui::theme::{Row, Styled, Theme, Tone};

/// One thing charted: its stock over time and its net rate between samples.
#[derive(Clone, PartialEq, Debug)]
pub struct Series {
    pub title: Row,
    pub tone: Tone,
    /// (tick, amount), oldest first.
    pub held: Vec<(f64, f64)>,
    pub held_max: f64,
    /// (tick, net change a tick since the sample before).
    pub net: Vec<(f64, f64)>,
    /// The largest net change either way, for a scale centred on zero.
    pub net_span: f64,
}

#[derive(Clone, PartialEq, Debug)]
pub struct StatisticsModel {
    pub title: String,
    /// The first and the last tick charted.
    pub ticks: (f64, f64),
    /// Ticks that fell in the night, shaded behind every chart.
    pub nights: Vec<f64>,
    pub series: Vec<Series>,
    pub footer: Row,
}

/// Every chart of the colony as of now.
pub fn model(e: &EconomyView, tick: u64) -> StatisticsModel {
    let samples: Vec<&Sample> = e.record.iter().collect();
    let first = samples.first().map_or(0.0, |s| s.tick as f64);
    let last = samples
        .last()
        .map_or(1.0, |s| s.tick as f64)
        .max(first + 1.0);
    let nights = samples
        .iter()
        .filter(|s| !s.day)
        .map(|s| s.tick as f64)
        .collect();
    let mut series: Vec<Series> = Resource::ALL
        .iter()
        .map(|&r| {
            let rate = e.rate(r);
            let title = Row::of(vec![
                Styled::new(format!(" {} ", r.name()), Tone::Resource(r)),
                Styled::plain(format!("{} ", e.stock.get(r))),
                Styled::new(
                    format!(
                        "made {} used {} a tick ",
                        tenths(rate.made_tenths),
                        tenths(rate.used_tenths)
                    ),
                    Tone::Dim,
                ),
            ]);
            of(&samples, title, Tone::Resource(r), |s| s.stock.get(r))
        })
        .collect();
    let power = e.power_rate();
    series.push(of(
        &samples,
        Row::of(vec![
            Styled::new(" power stored ", Tone::Power),
            Styled::plain(format!("{}/{} ", e.power.stored, e.power.capacity)),
            Styled::new(
                format!(
                    "made {} used {} a tick ",
                    tenths(power.made_tenths),
                    tenths(power.used_tenths)
                ),
                Tone::Dim,
            ),
        ]),
        Tone::Power,
        |s| s.stored,
    ));
    series.push(of(
        &samples,
        Row::of(vec![
            Styled::new(" colonists ", Tone::Title),
            Styled::plain(format!("{} living, {} lost ", e.living, e.lost)),
        ]),
        Tone::Title,
        |s| s.living,
    ));
    let every = if e.record_every == 1 {
        "every tick".to_owned()
    } else {
        format!("every {} ticks", e.record_every)
    };
    StatisticsModel {
        title: format!(" statistics to tick {tick} "),
        ticks: (first, last),
        nights,
        series,
        footer: Row::new(
            format!(
                " upper: held; lower: net change a tick; nights shaded; a sample {every}; \
                 t or esc closes"
            ),
            Tone::Dim,
        ),
    }
}

fn of(samples: &[&Sample], title: Row, tone: Tone, value: impl Fn(&Sample) -> u32) -> Series {
    let held: Vec<(f64, f64)> = samples
        .iter()
        .map(|s| (s.tick as f64, f64::from(value(s))))
        .collect();
    let held_max = held.iter().map(|p| p.1).fold(1.0, f64::max);
    let net: Vec<(f64, f64)> = samples
        .windows(2)
        .map(|w| {
            let ticks = (w[1].tick - w[0].tick).max(1) as f64;
            let change = f64::from(value(w[1])) - f64::from(value(w[0]));
            (w[1].tick as f64, change / ticks)
        })
        .collect();
    let net_span = net.iter().map(|p| p.1.abs()).fold(1.0, f64::max);
    let mut title = title;
    if let Some(&(_, rate)) = net.last() {
        let rate = signed_tenths((rate * 10.0).round() as i64);
        if !rate.is_empty() {
            title
                .runs
                .push(Styled::new(format!("{rate}/t "), Tone::Plain));
        }
    }
    Series {
        title,
        tone,
        held,
        held_max,
        net,
        net_span,
    }
}

pub fn draw(model: &StatisticsModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    frame.render_widget(Clear, area);
    let block = Block::bordered().title(title(&model.title, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [grid, footer] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    frame.render_widget(theme.line(&model.footer), footer);
    let columns = if grid.width >= 90 { 3 } else { 2 };
    let cells = boxes::grid(grid, model.series.len(), columns);
    for (series, cell) in model.series.iter().zip(cells) {
        chart(model, series, frame, cell, theme);
    }
}

/// One series: what was held above, its net change a tick below, nights shaded in both.
fn chart(
    model: &StatisticsModel,
    series: &Series,
    frame: &mut Frame<'_>,
    area: Rect,
    theme: &Theme,
) {
    let block = Block::bordered().title(theme.line(&series.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 3 || inner.width < 10 {
        return;
    }
    let [held, net] =
        Layout::vertical([Constraint::Percentage(65), Constraint::Percentage(35)]).areas(inner);
    let x = Axis::default().bounds([model.ticks.0, model.ticks.1]);
    let shade = |top: f64| -> Vec<(f64, f64)> { model.nights.iter().map(|t| (*t, top)).collect() };
    let night_held = shade(series.held_max);
    // Without colour a shade would hide the line: the nights go unshaded.
    let mut datasets = Vec::new();
    if theme.color {
        datasets.push(boxes::plotted(
            &night_held,
            GraphType::Bar,
            theme.style(Tone::Night),
        ));
    }
    datasets.push(boxes::plotted(
        &series.held,
        GraphType::Line,
        theme.style(series.tone),
    ));
    let held_chart = Chart::new(datasets).x_axis(x.clone()).y_axis(
        Axis::default().bounds([0.0, series.held_max]).labels(vec![
            Line::from("0"),
            Line::from(format!("{}", series.held_max)),
        ]),
    );
    frame.render_widget(held_chart, held);
    let zero = [(model.ticks.0, 0.0), (model.ticks.1, 0.0)];
    let net_chart = Chart::new(vec![
        boxes::plotted(&zero, GraphType::Line, theme.style(Tone::Dim)),
        boxes::plotted(&series.net, GraphType::Line, theme.style(series.tone)),
    ])
    .x_axis(x)
    .y_axis(Axis::default().bounds([-series.net_span, series.net_span]));
    frame.render_widget(net_chart, net);
}
