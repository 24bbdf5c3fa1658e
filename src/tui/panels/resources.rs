//! The row under the header in a colony game: light and the ticks to its change, the power
//! balance and store, each resource with its trend, and the colonists; in short words when
//! narrow.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::projection::colony::{ColonyView, EconomyView};
use crate::domain::resources::Resource;
use crate::tui::theme::{Row, Styled, Theme, Tone};

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

/// One resource in the bar: its name, amount and which way it went on the last tick.
fn amount(name: &str, now: u32, before: u32) -> [Styled; 3] {
    let (arrow, tone) = match now.cmp(&before) {
        std::cmp::Ordering::Greater => ("+", Tone::Ready),
        std::cmp::Ordering::Less => ("-", Tone::Error),
        std::cmp::Ordering::Equal => (" ", Tone::Plain),
    };
    [
        Styled::new(name, Tone::Dim),
        Styled::plain(format!("{now}")),
        Styled::new(format!("{arrow} "), tone),
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
    for (resource, name) in Resource::ALL.into_iter().zip(words.resources) {
        runs.extend(amount(
            name,
            e.stock.get(resource),
            e.previous.get(resource),
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
