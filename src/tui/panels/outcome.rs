//! The end of a mission: won or lost, why, and each measure of the game beside the player's
//! best and the mission's par, with the ticks of every win at it drawn as a histogram.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::domain::metrics::{MEASURES, Metrics, Read, histogram};
use crate::domain::projection::colony::MissionStatus;
use crate::present::{self, wrap_words};
use crate::study::scores::{Outcome, ScoreCard};
use crate::tui::app::App;
use crate::tui::boxes::centred;
use crate::tui::theme::{Row, Styled, Theme, Tone};

const WIDTH: u16 = 50;

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OutcomeModel {
    pub title: &'static str,
    pub tone: Tone,
    pub rows: Vec<Row>,
}

pub fn model(app: &App) -> Option<OutcomeModel> {
    let c = &app.projections.colony;
    let e = c.economy.as_ref()?;
    let (title, tone, reason) = match &e.mission {
        MissionStatus::Won { tick, .. } => (
            " MISSION WON ",
            Tone::Ready,
            format!("every objective held at tick {tick}"),
        ),
        MissionStatus::Lost { tick, reason, .. } => (
            " MISSION LOST ",
            Tone::Error,
            format!("at tick {tick}: {reason}"),
        ),
        MissionStatus::Running => return None,
    };
    let mut rows = vec![Row::new(e.rules.mission.title.clone(), Tone::Title)];
    rows.extend(
        wrap_words(&reason, usize::from(WIDTH - 2))
            .into_iter()
            .map(Row::plain),
    );
    rows.push(Row::plain(""));
    match &app.scorecard {
        Some(card) => rows.extend(card_rows(card)),
        None => rows.push(Row::new(
            "scoring it against your other attempts...",
            Tone::Dim,
        )),
    }
    rows.push(Row::plain(""));
    match (&e.mission, &app.next_mission) {
        (MissionStatus::Won { .. }, Some((_, next))) => {
            rows.push(Row::new(
                format!("n: the next mission, {next}"),
                Tone::Title,
            ));
            rows.push(Row::new("r: this one again, for a better score", Tone::Dim));
        }
        (MissionStatus::Won { .. }, None) => {
            rows.push(Row::new("r: play it again, for a better score", Tone::Dim))
        }
        _ => rows.push(Row::new("r: try again, from the start", Tone::Title)),
    }
    rows.push(Row::new(
        "watch it again: quit, then replay this save",
        Tone::Dim,
    ));
    rows.push(Row::new("esc: look around   q: quit", Tone::Dim));
    Some(OutcomeModel { title, tone, rows })
}

/// Each measure (lower is better) beside the best and the par; the best marked where this
/// game set it, then the ticks of every win at the mission.
fn card_rows(card: &ScoreCard) -> Vec<Row> {
    let cell =
        |m: Option<Metrics>, read: Read| m.map_or_else(|| "-".into(), |m| read(&m).to_string());
    let mut rows = vec![Row::new(
        format!("{:<20}{:>10}{:>9}{:>9}", "", "this game", "best", "par"),
        Tone::Dim,
    )];
    for (name, read) in MEASURES {
        let mine = read(&card.metrics);
        let tone = match card.par.map(|p| read(&p)) {
            Some(par) if card.outcome == Outcome::Won && mine <= par => Tone::Ready,
            _ => Tone::Plain,
        };
        rows.push(Row::new(
            format!(
                "{name:<20}{mine:>10}{:>9}{:>9}",
                cell(card.best, read),
                cell(card.par, read)
            ),
            tone,
        ));
    }
    if !card.won_in.is_empty() {
        rows.push(Row::plain(format!(
            "ticks of your {} wins  {}  fastest {}",
            card.won_in.len(),
            present::bars(&histogram(&card.won_in, 10)),
            card.won_in.iter().min().copied().unwrap_or(0)
        )));
    }
    rows.push(Row::new(
        format!("{} attempts in the saves folder", card.attempts),
        Tone::Dim,
    ));
    rows
}

pub fn draw(model: &OutcomeModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let rect = centred(area, WIDTH, model.rows.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let title = theme.line(&Row::of(vec![Styled::new(model.title, model.tone)]));
    frame.render_widget(
        Paragraph::new(theme.lines(&model.rows)).block(Block::bordered().title(title)),
        rect,
    );
}
