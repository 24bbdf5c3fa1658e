//! The top line: the game, its tick, whether it runs and how fast; in playback, the save and
//! where in it the screen is.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::app::App;
use crate::tui::replay::Replay;
use crate::tui::theme::{Row, Styled, Theme, Tone};

pub fn live(app: &App, width: u16) -> Row {
    let c = &app.projections.colony;
    let (state, tone) = match app.held() {
        Some("stopped") => ("STOPPED", Tone::Error),
        Some("paused") => ("PAUSED", Tone::Error),
        Some("paused while this is open") => ("WAITING", Tone::Site),
        Some(_) => ("HALTED", Tone::Error),
        None => ("LIVE", Tone::Ready),
    };
    let period = match app.control().period_ms {
        Some(ms) => format!("{ms} ms/tick"),
        None => "as fast as it goes".into(),
    };
    let mut runs = vec![
        Styled::new(format!(" {} ", c.name), Tone::Title),
        Styled::plain(format!("| tick {} | ", c.tick)),
        Styled::new(state, tone),
        Styled::plain(format!(" | {} ({period})", app.speed_label())),
    ];
    let room = usize::from(width).saturating_sub(Row::of(runs.clone()).width());
    if app.save_name != c.name && room >= app.save_name.len() + 8 {
        runs.push(Styled::plain(format!(" | save {}", app.save_name)));
    }
    if app.flash == Some(c.tick) {
        runs.push(Styled::plain(" "));
        runs.push(Styled::new(" building complete ", Tone::Flash));
    }
    Row::of(runs)
}

pub fn replay(replay: &Replay) -> Row {
    let c = &replay.app.projections.colony;
    let skipping = if replay.skip_quiet {
        ", skipping quiet"
    } else {
        ""
    };
    let (state, tone) = if replay.playing {
        (
            format!("PLAYING {}{skipping}", replay.speed_label()),
            Tone::Ready,
        )
    } else if replay.following() && replay.app.projections.colony.stopped {
        ("AT THE END".to_owned(), Tone::Site)
    } else if replay.following() {
        ("AT THE END, FOLLOWING".to_owned(), Tone::Site)
    } else {
        (format!("PAUSED ({})", replay.speed_label()), Tone::Error)
    };
    Row::of(vec![
        Styled::new(format!(" {} ", c.name), Tone::Title),
        Styled::plain(format!(
            "| REPLAY {} | tick {} of {} | ",
            replay.app.save_name, replay.tick, replay.end
        )),
        Styled::new(state, tone),
        Styled::plain(" | read-only"),
    ])
}

pub fn draw(row: &Row, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    frame.render_widget(theme.line(row), area);
}
