//! The writer: one thread that owns the save and appends to it, so that neither input nor
//! rendering ever waits on a disk write.

use std::sync::mpsc::Receiver;

use tokio::sync::{mpsc::UnboundedSender, watch};

use crate::domain::command::Command;
use crate::domain::ids::Tick;
use crate::engine::envelope::{Origin, Source};
use crate::session::{Outcome, Session};
use crate::store::EventStore;
use crate::tui::app::Msg;

/// Wall-clock milliseconds for an event's metadata; never seen by the rules.
pub fn now_ms() -> Option<u64> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    u64::try_from(since.as_millis()).ok()
}

/// What the injector needs to know of the log: how far it has got, and whether to go on.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct LoopState {
    pub tick: Tick,
    pub stopped: bool,
    pub failed: bool,
    /// How many injector commands the writer has handled, accepted or not.
    pub handled: u64,
}

pub struct Request {
    pub command: Command,
    pub source: Source,
}

/// Executes requests in arrival order until every sender is gone, then returns the session.
/// Requests still queued when the screen quits are executed first, so nothing asked for is lost.
pub fn run<S: EventStore>(
    mut session: Session<S>,
    requests: Receiver<Request>,
    to_screen: UnboundedSender<Msg>,
    state: watch::Sender<LoopState>,
) -> Session<S> {
    let mut failed = false;
    for request in requests {
        if failed {
            continue;
        }
        let origin = Origin {
            source: request.source,
            recorded_at_ms: now_ms(),
        };
        let msg = match session.execute(request.command, origin) {
            Ok(Outcome::Recorded(events)) => Msg::Committed(events),
            Ok(Outcome::Rejected(rejection)) => Msg::Rejected {
                source: request.source,
                rejection,
            },
            Err(error) => {
                failed = true;
                Msg::Failed(error.to_string())
            }
        };
        let colony = &session.projections().colony;
        state.send_modify(|s| {
            s.tick = colony.tick;
            s.stopped = colony.stopped;
            s.failed = failed;
            if request.source == Source::Injector {
                s.handled += 1;
            }
        });
        let _ = to_screen.send(msg);
    }
    session
}
