//! The status line: what the player's last action met with when that went wrong, else the
//! colony's most pressing alert, else the last word.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::projection::colony::{ColonyView, MissionStatus};
use crate::domain::projection::feed::{WARNING_TICKS, running_low};
use crate::domain::resources::Resource;
use crate::present::{plural, tenths};
use crate::tui::app::App;
use crate::tui::theme::{Row, Theme, Tone};

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
    if let Some((resource, ticks)) = e.runs_out_soon(c.tick) {
        let rate = e.rate(resource);
        return Some(format!(
            "{} runs out in {} at this rate ({} made, {} used a tick)",
            resource.name(),
            plural(ticks, "tick"),
            tenths(rate.made_tenths),
            tenths(rate.used_tenths)
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

/// Ticks a word just said stands over the colony's alerts: long enough to read what the last
/// key did ("planted Solar Array solar-1 at (3,4)") before night's warning takes the line back.
const FRESH_TICKS: u64 = 5;

/// The player's latest word while fresh, else the colony's most pressing alert, else the
/// latest word, however old.
pub fn model(app: &App) -> Option<Row> {
    let said = app.status.as_ref().map(|status| {
        let tone = if status.error {
            Tone::Error
        } else {
            Tone::Plain
        };
        (status, Row::new(format!(" {}", status.text), tone))
    });
    let fresh = said
        .as_ref()
        .is_some_and(|(status, _)| status.at + FRESH_TICKS > app.tick());
    match alert(&app.projections.colony) {
        Some(alert) if !fresh => Some(Row::new(format!(" ! {alert}"), Tone::Site)),
        _ => said.map(|(_, row)| row),
    }
}

pub fn draw(row: &Row, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    frame.render_widget(theme.line(row), area);
}
