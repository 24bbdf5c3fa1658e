//! The end of a mission: won or lost, why, and the score, line by line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::domain::projection::colony::MissionStatus;
use crate::present::wrap_words;
use crate::tui::app::App;
use crate::tui::boxes::centred;
use crate::tui::theme::{Row, Styled, Theme, Tone};

const WIDTH: u16 = 46;

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OutcomeModel {
    pub title: &'static str,
    pub tone: Tone,
    pub rows: Vec<Row>,
}

pub fn model(app: &App) -> Option<OutcomeModel> {
    let c = &app.projections.colony;
    let e = c.economy.as_ref()?;
    let (title, tone, reason, score) = match &e.mission {
        MissionStatus::Won { tick, score } => (
            " MISSION WON ",
            Tone::Ready,
            format!("every objective held at tick {tick}"),
            score,
        ),
        MissionStatus::Lost {
            tick,
            reason,
            score,
        } => (
            " MISSION LOST ",
            Tone::Error,
            format!("at tick {tick}: {reason}"),
            score,
        ),
        MissionStatus::Running => return None,
    };
    let mut rows = vec![Row::new(e.rules.mission.title.clone(), Tone::Title)];
    rows.extend(
        wrap_words(&reason, usize::from(WIDTH - 2))
            .into_iter()
            .map(Row::plain),
    );
    rows.extend([
        Row::plain(""),
        Row::plain(format!("ticks taken          {:>8}", score.ticks)),
        Row::plain(format!("colonists living     {:>8}", score.colonists)),
        Row::plain(format!("colonists lost       {:>8}", score.lost)),
        Row::plain(format!("buildings working    {:>8}", score.buildings)),
        Row::plain(format!("ticks of brown-out   {:>8}", score.brownout_ticks)),
        Row::plain(format!("units in store       {:>8}", score.banked)),
        Row::plain(format!("ticks to spare       {:>8}", score.spare)),
        Row::new(format!("score                {:>8}", score.points), tone),
        Row::plain(""),
    ]);
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

pub fn draw(model: &OutcomeModel, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let rect = centred(area, WIDTH, model.rows.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let title = theme.line(&Row::of(vec![Styled::new(model.title, model.tone)]));
    frame.render_widget(
        Paragraph::new(theme.lines(&model.rows)).block(Block::bordered().title(title)),
        rect,
    );
}
