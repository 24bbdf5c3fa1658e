//! Drawing helpers every panel shares: boxes centred over an area, bordered and titled.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Dataset, GraphType, Paragraph, Wrap};

use super::theme::{Row, Theme, Tone};

/// A box of `width` x `height` centred in `area`, clipped to it.
pub fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// A title in the title's tone, as every box shows its own.
pub fn title(text: &str, theme: &Theme) -> Line<'static> {
    theme.line(&Row::of(vec![super::theme::Styled::new(text, Tone::Title)]))
}

/// Rows in a bordered box over whatever is beneath `rect`, wrapped at its edge.
pub fn popup(frame: &mut Frame<'_>, rect: Rect, title: Line<'static>, rows: &[Row], theme: &Theme) {
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(theme.lines(rows))
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(title)),
        rect,
    );
}

/// A panel over the whole of the map and the side panels, so nothing of them shows through at
/// its edges: the inspector, the diff, the robot's story.
pub fn panel(frame: &mut Frame<'_>, area: Rect, title: &str, rows: &[Row], theme: &Theme) {
    popup(frame, area, self::title(title, theme), rows, theme);
}

/// `count` cells over `area`, row by row, `columns` a row (fewer when there are fewer cells):
/// the grid of charts the statistics screen and the what-if panel draw.
pub fn grid(area: Rect, count: usize, columns: usize) -> Vec<Rect> {
    let columns = columns.min(count).max(1);
    let rows = count.div_ceil(columns);
    Layout::vertical(vec![Constraint::Ratio(1, rows as u32); rows])
        .split(area)
        .iter()
        .flat_map(|row| {
            Layout::horizontal(vec![Constraint::Ratio(1, columns as u32); columns])
                .split(*row)
                .to_vec()
        })
        .take(count)
        .collect()
}

/// Points drawn in a chart as `kind` (a line, or bars for a shaded span), in braille: the
/// finest grid a terminal cell holds.
pub fn plotted<'a>(points: &'a [(f64, f64)], kind: GraphType, style: Style) -> Dataset<'a> {
    Dataset::default()
        .marker(Marker::Braille)
        .graph_type(kind)
        .style(style)
        .data(points)
}
