//! How the screen's tones look, with and without colour. Without it (`NO_COLOR`) the screen
//! still reads: sites are lower case with a progress digit, ready buildings bold upper case,
//! the cursor reversed.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use crate::domain::catalogue::Terrain;
use crate::domain::resources::Resource;

/// What a piece of text is, as far as its look goes: the view model says which, the theme
/// says how that looks.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tone {
    Plain,
    Title,
    Error,
    /// Something under way or waiting: a site, a warning.
    Site,
    Ready,
    Dim,
    Cursor,
    /// The cursor over a title-toned mark (the timeline's current tick).
    CursorTitle,
    Flash,
    Robot,
    Resource(Resource),
    Terrain(Terrain),
    Day,
    Night,
    /// The power chart.
    Power,
    /// The stock chart.
    Stock,
}

/// A run of text in one tone.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Styled {
    pub text: String,
    pub tone: Tone,
}

impl Styled {
    pub fn new(text: impl Into<String>, tone: Tone) -> Styled {
        Styled {
            text: text.into(),
            tone,
        }
    }

    pub fn plain(text: impl Into<String>) -> Styled {
        Styled::new(text, Tone::Plain)
    }
}

/// A line: runs of text, each in its tone, and a tone for the whole line (which a line drawn
/// on its own spreads across its row).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Row {
    pub runs: Vec<Styled>,
    pub tone: Tone,
}

impl Row {
    /// A line of one tone.
    pub fn new(text: impl Into<String>, tone: Tone) -> Row {
        Row {
            runs: vec![Styled::plain(text)],
            tone,
        }
    }

    pub fn plain(text: impl Into<String>) -> Row {
        Row::new(text, Tone::Plain)
    }

    /// Runs in their own tones, the line itself plain.
    pub fn of(runs: Vec<Styled>) -> Row {
        Row {
            runs,
            tone: Tone::Plain,
        }
    }

    /// The characters it takes on screen.
    pub fn width(&self) -> usize {
        self.runs
            .iter()
            .map(|s| Span::raw(s.text.as_str()).width())
            .sum()
    }
}

pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn style(&self, tone: Tone) -> Style {
        match tone {
            Tone::Plain => Style::new(),
            Tone::Title => self.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Tone::Error => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Tone::Site => self.fg(Color::Yellow),
            Tone::Ready => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            Tone::Dim => self.fg(Color::DarkGray),
            Tone::Cursor => Style::new().add_modifier(Modifier::REVERSED),
            Tone::CursorTitle => self.style(Tone::Cursor).patch(self.style(Tone::Title)),
            Tone::Flash => {
                if self.color {
                    Style::new().fg(Color::Black).bg(Color::Green)
                } else {
                    Style::new().add_modifier(Modifier::REVERSED)
                }
            }
            Tone::Robot => self.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            Tone::Resource(Resource::Ice | Resource::Water) => self.fg(Color::Cyan),
            Tone::Resource(Resource::Oxygen) => self.fg(Color::Blue),
            Tone::Resource(Resource::Regolith) => self.fg(Color::Yellow),
            Tone::Terrain(Terrain::Regolith) => self.fg(Color::Gray),
            Tone::Terrain(Terrain::Dust | Terrain::Crater) => self.fg(Color::DarkGray),
            Tone::Terrain(Terrain::Rock) => self.fg(Color::White),
            Tone::Day | Tone::Power => self.fg(Color::Yellow),
            Tone::Night => self.fg(Color::Blue),
            Tone::Stock => self.fg(Color::Cyan),
        }
    }

    pub fn span(&self, styled: &Styled) -> Span<'static> {
        Span::styled(styled.text.clone(), self.style(styled.tone))
    }

    /// A row as ratatui draws it.
    pub fn line(&self, row: &Row) -> Line<'static> {
        Line::from(row.runs.iter().map(|s| self.span(s)).collect::<Vec<_>>())
            .style(self.style(row.tone))
    }

    pub fn lines(&self, rows: &[Row]) -> Vec<Line<'static>> {
        rows.iter().map(|r| self.line(r)).collect()
    }
}
