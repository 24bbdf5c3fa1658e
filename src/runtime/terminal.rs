//! Taking over the terminal and always giving it back: on drop, and on panic.

use std::io::{Write, stdout};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Screen = Terminal<CrosstermBackend<std::io::Stdout>>;

/// Restores the terminal when dropped. Installing it also makes a panic restore the terminal
/// before its message is printed, so the message stays readable.
pub struct TerminalGuard;

/// Gives the terminal back: for good, or while another program (an editor) uses it.
pub(crate) fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = stdout().flush();
}

/// Takes the terminal over: raw mode, the alternate screen, the mouse, cleared. It is cleared
/// here rather than by `Terminal::clear`, which asks the terminal where its cursor is and fails
/// on terminals that never answer.
fn take_over() -> std::io::Result<()> {
    enable_raw_mode()?;
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        Clear(ClearType::All)
    )
}

impl TerminalGuard {
    pub fn enter() -> std::io::Result<(TerminalGuard, Screen)> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        let guard = TerminalGuard;
        take_over()?;
        let mut screen = Terminal::new(CrosstermBackend::new(stdout()))?;
        screen.hide_cursor()?;
        Ok((guard, screen))
    }

    /// Takes the terminal over again after [`restore`]; the next draw repaints it whole.
    pub fn resume(&self, screen: &mut Screen) -> std::io::Result<()> {
        take_over()?;
        // Both of the screen's buffers blank, as the terminal now is: the next draw paints it
        // all.
        screen.current_buffer_mut().reset();
        screen.swap_buffers();
        screen.hide_cursor()
    }

    /// Rings the terminal bell.
    pub fn bell(&self) {
        let mut out = stdout();
        let _ = out.write_all(b"\x07");
        let _ = out.flush();
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}
