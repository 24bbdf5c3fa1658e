//! The row under the header in a colony game: light and the ticks to its change, the power
//! balance and store, each resource with its net rate a tick (the average of the last ten),
//! and the colonists; in short words when narrow.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::projection::colony::{ColonyView, EconomyView};
use crate::domain::resources::Resource;
use crate::present::signed_tenths;
use crate::tui::theme::{Row, Styled, Theme, Tone};

/// The words the resource bar uses: for power, each resource, and colonists.
struct BarWords {
    power: &'static str,
    stores: &'static str,
    resources: [&'static str; 4],
    /// After a rate: `/t`, or nothing when narrow.
    per_tick: &'static str,
    colonists: &'static str,
}

const WIDE: BarWords = BarWords {
    power: " | power ",
    stores: "| ",
    resources: ["reg ", "ice ", "H2O ", "O2 "],
    per_tick: "/t",
    colonists: "| colonists ",
};

const NARROW: BarWords = BarWords {
    power: "|pwr ",
    stores: "",
    resources: ["R", "I", "W", "O"],
    per_tick: "",
    colonists: "|col ",
};

/// The bar for a colony game, in the words that fit `width`; none in a classic game.
pub fn model(c: &ColonyView, width: u16) -> Option<Row> {
    let e = c.economy.as_ref()?;
    let wide = runs(c, e, &WIDE);
    Some(if wide.width() <= usize::from(width) {
        wide
    } else {
        runs(c, e, &NARROW)
    })
}

/// One resource in the bar: its name, amount and net rate a tick, red when it runs out
/// before the next night is over.
fn amount(name: &str, now: u32, net_tenths: i64, runs_out: bool, words: &BarWords) -> [Styled; 3] {
    let tone = match net_tenths.signum() {
        1 => Tone::Ready,
        -1 if runs_out => Tone::Error,
        -1 => Tone::Site,
        _ => Tone::Plain,
    };
    let rate = signed_tenths(net_tenths);
    let rate = if rate.is_empty() {
        " ".to_owned()
    } else {
        format!("{rate}{} ", words.per_tick)
    };
    [
        Styled::new(name, Tone::Dim),
        Styled::plain(format!("{now}")),
        Styled::new(rate, tone),
    ]
}

fn runs(c: &ColonyView, e: &EconomyView, words: &BarWords) -> Row {
    let light = e.daylight(c.tick);
    let mut runs = Vec::new();
    let change = if light.until_change == u32::MAX {
        String::new()
    } else if light.day {
        format!(" {}>night", light.until_change)
    } else {
        format!(" {}>dawn", light.until_change)
    };
    let (sun, tone) = if light.day {
        ("DAY", Tone::Day)
    } else {
        ("NIGHT", Tone::Night)
    };
    runs.push(Styled::new(format!(" {sun}"), tone));
    runs.push(Styled::plain(change));
    let balance = i64::from(e.power.produced) - i64::from(e.power.used);
    let balance_tone = if e.short {
        Tone::Error
    } else if balance >= 0 {
        Tone::Ready
    } else {
        Tone::Site
    };
    runs.push(Styled::new(words.power, Tone::Dim));
    runs.push(Styled::new(format!("{balance:+}"), balance_tone));
    runs.push(Styled::plain(format!(
        " {}/{} ",
        e.power.stored, e.power.capacity
    )));
    runs.push(Styled::new(words.stores, Tone::Dim));
    let soon = e.runs_out_soon(c.tick).map(|(r, _)| r);
    for (resource, name) in Resource::ALL.into_iter().zip(words.resources) {
        runs.extend(amount(
            name,
            e.stock.get(resource),
            e.rate(resource).net_tenths(),
            soon == Some(resource),
            words,
        ));
    }
    runs.push(Styled::new(words.colonists, Tone::Dim));
    runs.push(Styled::plain(format!("{}", e.living)));
    let waiting = e.waiting(c.tick);
    if waiting > 0 {
        runs.push(Styled::new(format!(" +{waiting} aboard"), Tone::Site));
    }
    Row::of(runs)
}

pub fn draw(row: &Row, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    frame.render_widget(theme.line(row), area);
}
