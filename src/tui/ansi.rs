//! A drawn frame as the bytes a terminal would be sent: what changed since the frame before,
//! with its colours and styles as SGR sequences. What a recording of the screen plays; pure.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

/// What a terminal showing `before` must be sent to show `now`: for each row, the stretch from
/// its first changed cell to its last, placed by a cursor move and coloured by SGR sequences;
/// everything, after a clear, when there is nothing before.
pub fn changes(before: Option<&Buffer>, now: &Buffer) -> String {
    let area = now.area;
    let mut out = match before {
        None => "\x1b[2J".to_owned(),
        Some(_) => String::new(),
    };
    for y in area.y..area.y + area.height {
        let differs = |x: u16| before.is_none_or(|b| b.area != area || b[(x, y)] != now[(x, y)]);
        let Some(first) = (area.x..area.x + area.width).find(|&x| differs(x)) else {
            continue;
        };
        let last = (first..area.x + area.width)
            .rev()
            .find(|&x| differs(x))
            .unwrap_or(first);
        out += &format!("\x1b[{};{}H", y - area.y + 1, first - area.x + 1);
        let mut style = None;
        for x in first..=last {
            let cell = &now[(x, y)];
            let this = (cell.fg, cell.bg, cell.modifier);
            if style != Some(this) {
                out += &sgr(cell.fg, cell.bg, cell.modifier);
                style = Some(this);
            }
            out += cell.symbol();
        }
        out += "\x1b[0m";
    }
    out
}

/// The sequence that sets exactly this style, from the default.
fn sgr(fg: Color, bg: Color, modifier: Modifier) -> String {
    let mut codes = vec!["0".to_owned()];
    for (flag, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::REVERSED, "7"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if modifier.contains(flag) {
            codes.push(code.to_owned());
        }
    }
    codes.extend(colour(fg, false));
    codes.extend(colour(bg, true));
    format!("\x1b[{}m", codes.join(";"))
}

fn colour(color: Color, background: bool) -> Option<String> {
    let base = if background { 40 } else { 30 };
    let basic = |n: u8| Some((base + u16::from(n)).to_string());
    let bright = |n: u8| Some((base + 60 + u16::from(n)).to_string());
    let layer = if background { 48 } else { 38 };
    match color {
        Color::Reset => None,
        Color::Black => basic(0),
        Color::Red => basic(1),
        Color::Green => basic(2),
        Color::Yellow => basic(3),
        Color::Blue => basic(4),
        Color::Magenta => basic(5),
        Color::Cyan => basic(6),
        Color::Gray => basic(7),
        Color::DarkGray => bright(0),
        Color::LightRed => bright(1),
        Color::LightGreen => bright(2),
        Color::LightYellow => bright(3),
        Color::LightBlue => bright(4),
        Color::LightMagenta => bright(5),
        Color::LightCyan => bright(6),
        Color::White => bright(7),
        Color::Indexed(n) => Some(format!("{layer};5;{n}")),
        Color::Rgb(r, g, b) => Some(format!("{layer};2;{r};{g};{b}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn a_frame_sends_only_what_changed_with_its_colours() {
        let area = Rect::new(0, 0, 6, 2);
        let mut first = Buffer::empty(area);
        first.set_string(
            0,
            0,
            "ab",
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        );
        first.set_string(2, 0, "c", Style::new().bg(Color::Rgb(1, 2, 3)));
        assert_eq!(
            changes(None, &first),
            "\x1b[2J\x1b[1;1H\x1b[0;1;31mab\x1b[0;48;2;1;2;3mc\x1b[0m   \x1b[0m\x1b[2;1H\x1b[0m      \x1b[0m"
        );
        let mut second = first.clone();
        second.set_string(3, 1, "xy", Style::new().fg(Color::Indexed(200)));
        assert_eq!(
            changes(Some(&first), &second),
            "\x1b[2;4H\x1b[0;38;5;200mxy\x1b[0m"
        );
        assert_eq!(changes(Some(&second), &second), "");
    }
}
