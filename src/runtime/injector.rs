//! The game-loop injector: the one part of the game that reads a clock. It turns real time into
//! `advance_gameloop` commands at the rate the screen asks for, one tick at a time: the next
//! tick is asked for only once the writer has handled the last, so a fast loop never floods it.

use std::sync::mpsc::Sender;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::{Instant, sleep_until};

use super::writer::{LoopState, Request};
use crate::domain::command::Command;
use crate::domain::game::commands::GameCommand;
use crate::engine::envelope::Source;
use crate::tui::app::Control;

pub async fn run(
    mut control: watch::Receiver<Control>,
    mut state: watch::Receiver<LoopState>,
    writer: Sender<Request>,
) {
    let mut deadline = Instant::now();
    loop {
        let now = *control.borrow_and_update();
        let loop_state = *state.borrow();
        if loop_state.stopped || loop_state.failed {
            return;
        }
        if now.paused {
            if control.changed().await.is_err() {
                return;
            }
            deadline = Instant::now();
            continue;
        }
        if let Some(ms) = now.period_ms {
            // Behind schedule (a slow disk, a long pause) means tick now, never in a burst.
            deadline = (deadline + Duration::from_millis(ms)).max(Instant::now());
            tokio::select! {
                _ = sleep_until(deadline) => {}
                changed = control.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    deadline = Instant::now();
                    continue;
                }
            }
        }
        let handled = loop_state.handled;
        let request = Request {
            command: Command::Game(GameCommand::AdvanceGameloop {
                tick: loop_state.tick + 1,
            }),
            source: Source::Injector,
        };
        if writer.send(request).is_err() {
            return;
        }
        if state.wait_for(|s| s.handled > handled).await.is_err() {
            return;
        }
    }
}
