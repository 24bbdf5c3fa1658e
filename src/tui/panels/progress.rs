//! A piece of work the screen waits on, such as a what-if playing on headless: what it is and
//! how far it has come, over whatever was drawn before.

use ratatui::Frame;
use ratatui::widgets::{Block, Clear, Gauge};

use crate::tui::boxes::{centred, title};
use crate::tui::theme::{Theme, Tone};

pub fn draw(label: &str, done: u64, total: u64, frame: &mut Frame<'_>, theme: &Theme) {
    let rect = centred(frame.area(), 50, 3);
    let ratio = if total == 0 {
        1.0
    } else {
        (done as f64 / total as f64).clamp(0.0, 1.0)
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Gauge::default()
            .block(Block::bordered().title(title(label, theme)))
            .gauge_style(theme.style(Tone::Title))
            .ratio(ratio)
            .label(format!("tick {done} of {total}")),
        rect,
    );
}
