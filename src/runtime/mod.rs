//! Live play: the imperative shell around the pure screen.
//!
//! Four parts, each on its own so none waits on another: an input thread reading the terminal,
//! the injector (a tokio task) turning time into ticks, the writer thread appending to the save,
//! and the event loop that folds what arrives into the screen state and draws at most 60 frames
//! a second, only when something changed.
//!
//! May use: everything: it is the shell that wires the core to the terminal, the clock and the
//! save.

pub mod cast;
mod editor;
pub mod injector;
pub mod replay;
pub mod terminal;
pub mod writer;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, Event as TermEvent};
use tokio::sync::{mpsc, watch};

use crate::domain::ids::Tick;
use crate::engine::envelope::Source;
use crate::session::Session;
use crate::store::sqlite::SqliteStore;
use crate::tui::app::{App, Control, Effect, Msg, update};
use crate::tui::view::view;
use terminal::{Screen, TerminalGuard};
use writer::{LoopState, Request};

/// The fastest the screen redraws.
pub(crate) const FRAME: Duration = Duration::from_millis(16);
/// How often the input thread looks up from waiting for a key to see whether it should stop.
const INPUT_POLL: Duration = Duration::from_millis(50);

pub struct PlayOptions {
    pub save: PathBuf,
    pub tick_ms: u64,
    pub quiet: bool,
    pub color: bool,
    /// The mission after this game's in the tutorial chain: its id and title.
    pub next_mission: Option<(String, String)>,
    /// The programs that ship with the game, for the program menu.
    pub programs: Vec<crate::domain::ruleset::ProgramSource>,
    /// What the mission's own solution scores, for the outcome screen.
    pub par: Option<crate::domain::metrics::Metrics>,
}

/// Where a session of play left the game.
pub struct PlayReport {
    pub tick: Tick,
    pub buildings: u32,
    pub stopped: bool,
    /// The mission the player chose to start next, on the outcome screen.
    pub next: Option<String>,
}

#[derive(Debug)]
pub struct PlayError(pub String);

impl std::fmt::Display for PlayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PlayError {}

pub(crate) fn io_error(e: std::io::Error) -> PlayError {
    PlayError(format!("terminal: {e}"))
}

/// A save's short name: its file name without the extension.
pub fn save_name(path: &Path) -> String {
    path.file_stem().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into(),
    )
}

pub fn play(options: &PlayOptions) -> Result<PlayReport, PlayError> {
    let store = SqliteStore::open(&options.save).map_err(|e| PlayError(e.to_string()))?;
    let session = Session::open(store).map_err(|e| PlayError(e.to_string()))?;
    require_terminal()?;
    let colony = &session.projections().colony;
    if !colony.started {
        return Err(PlayError(format!(
            "{}: this save holds no game yet",
            options.save.display()
        )));
    }
    let mut app = App::new(
        save_name(&options.save),
        session.projections().clone(),
        options.tick_ms,
    )
    .opened();
    app.next_mission = options.next_mission.clone();
    app.programs = options.programs.clone();
    app.color = options.color;
    app.bell = !options.quiet;
    let initial = LoopState {
        tick: colony.tick,
        stopped: colony.stopped,
        ..LoopState::default()
    };

    let (requests, request_rx) = std::sync::mpsc::channel::<Request>();
    let (to_screen, from_world) = mpsc::unbounded_channel::<Msg>();
    let (state_tx, state_rx) = watch::channel(initial);
    let (control_tx, control_rx) = watch::channel(app.control());

    let writer_screen = to_screen.clone();
    let writer =
        std::thread::spawn(move || writer::run(session, request_rx, writer_screen, state_tx));

    let (guard, mut screen) = TerminalGuard::enter().map_err(io_error)?;
    let size = screen.size().map_err(io_error)?;
    app = update(app, Msg::Resize(size.width, size.height)).0;

    let keyboard = Keyboard::start(to_screen);

    let runtime = runtime()?;
    let result = runtime.block_on(async {
        let signals = EndSignals::listen().map_err(io_error)?;
        let injector = tokio::spawn(injector::run(control_rx, state_rx, requests.clone()));
        let abort = injector.abort_handle();
        let scoring = Scoring {
            save: options.save.clone(),
            par: options.par,
        };
        if app.mode == crate::tui::actions::Mode::Outcome {
            scoring.score(keyboard.to_screen.clone());
        }
        let looped = event_loop(
            app,
            &mut screen,
            from_world,
            requests,
            control_tx,
            injector,
            &guard,
            signals,
            keyboard,
            &scoring,
        )
        .await;
        abort.abort();
        looped
    });
    drop(runtime);

    let session = writer
        .join()
        .map_err(|_| PlayError("the writer thread panicked".into()))?;
    drop(guard);
    let next = result?;
    let colony = &session.projections().colony;
    Ok(PlayReport {
        tick: colony.tick,
        buildings: colony.buildings,
        stopped: colony.stopped,
        next,
    })
}

/// The live screen's keyboard and mouse: the input thread, which steps aside while an editor
/// has the terminal, and stops when the screen goes.
struct Keyboard {
    input: Option<Input>,
    to_screen: mpsc::UnboundedSender<Msg>,
}

impl Keyboard {
    fn start(to_screen: mpsc::UnboundedSender<Msg>) -> Keyboard {
        Keyboard {
            input: Some(Input::start(to_screen.clone(), live_input)),
            to_screen,
        }
    }

    fn pause(&mut self) {
        if let Some(input) = self.input.take() {
            input.stop();
        }
    }

    fn resume(&mut self) {
        self.input = Some(Input::start(self.to_screen.clone(), live_input));
    }
}

impl Drop for Keyboard {
    fn drop(&mut self) {
        self.pause();
    }
}

/// The thread that reads the terminal.
pub(crate) struct Input {
    stop: Arc<AtomicBool>,
    finished: std::sync::mpsc::Receiver<()>,
}

impl Input {
    /// Forwards terminal events, as the screen's messages, until stopped.
    pub(crate) fn start<M: Send + 'static>(
        to_screen: mpsc::UnboundedSender<M>,
        convert: fn(TermEvent) -> Option<M>,
    ) -> Input {
        let stop = Arc::new(AtomicBool::new(false));
        let (done, finished) = std::sync::mpsc::channel();
        let flag = Arc::clone(&stop);
        std::thread::spawn(move || {
            read_input(&flag, &to_screen, convert);
            let _ = done.send(());
        });
        Input { stop, finished }
    }

    /// Asks the thread to stop and waits for it a little: it looks up every `INPUT_POLL`. A
    /// terminal that hung up can leave it stuck inside a read that never returns; then it is
    /// left behind rather than waited for, so the game still saves and exits.
    pub(crate) fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.finished.recv_timeout(INPUT_POLL * 10);
    }
}

/// Forwards terminal events, as the screen's messages, until told to stop.
fn read_input<M>(
    stop: &AtomicBool,
    to_screen: &mpsc::UnboundedSender<M>,
    convert: fn(TermEvent) -> Option<M>,
) {
    while !stop.load(Ordering::Relaxed) {
        match event::poll(INPUT_POLL) {
            Ok(false) => continue,
            Ok(true) => {}
            Err(_) => return,
        }
        let msg = match event::read() {
            Ok(event) => convert(event),
            Err(_) => return,
        };
        if let Some(msg) = msg
            && to_screen.send(msg).is_err()
        {
            return;
        }
    }
}

fn live_input(event: TermEvent) -> Option<Msg> {
    match event {
        TermEvent::Key(key) => Some(Msg::Key(key)),
        TermEvent::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        TermEvent::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

/// The signals that ask a process to end: the system shutting down (SIGTERM), the terminal
/// going away (SIGHUP), an interrupt from outside (SIGINT; inside, ctrl-c is a key). Live play
/// and playback treat each as `q`: the writer finishes what it was asked, the terminal is
/// given back.
pub(crate) struct EndSignals {
    signals: [tokio::signal::unix::Signal; 3],
}

impl EndSignals {
    /// Must be called inside the runtime that will await it.
    pub(crate) fn listen() -> std::io::Result<EndSignals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(EndSignals {
            signals: [
                signal(SignalKind::terminate())?,
                signal(SignalKind::hangup())?,
                signal(SignalKind::interrupt())?,
            ],
        })
    }

    pub(crate) async fn recv(&mut self) {
        let [term, hup, int] = &mut self.signals;
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
            _ = int.recv() => {}
        }
    }
}

/// A runtime on the current thread with the clock and signals.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, PlayError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .enable_io()
        .build()
        .map_err(io_error)
}

/// Checks that live play or playback can take over this terminal.
pub fn require_terminal() -> Result<(), PlayError> {
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(PlayError(
            "live play and replay need a terminal; try `lunar state` or `lunar events` to read \
             a save"
                .into(),
        ))
    }
}

/// How a finished game is scored: read off its save beside the others in its folder.
struct Scoring {
    save: PathBuf,
    par: Option<crate::domain::metrics::Metrics>,
}

impl Scoring {
    /// Scores the game on a thread of its own (every attempt in the folder is read again,
    /// which may take a moment) and sends the card to the screen.
    fn score(&self, to_screen: mpsc::UnboundedSender<Msg>) {
        let (save, par) = (self.save.clone(), self.par);
        std::thread::spawn(move || {
            let dir = save.parent().unwrap_or(Path::new(".")).to_path_buf();
            let card = SqliteStore::open_read_only(&save)
                .and_then(|store| crate::store::EventReader::read_all(&store))
                .map_err(|e| e.to_string())
                .and_then(|events: Vec<crate::engine::envelope::RecordedEvent>| {
                    crate::study::scores::card(&events, &dir, par)
                });
            if let Ok(card) = card {
                let _ = to_screen.send(Msg::Scored(Box::new(card)));
            }
        });
    }
}

#[allow(clippy::too_many_arguments)]
async fn event_loop(
    mut app: App,
    screen: &mut Screen,
    mut inbox: mpsc::UnboundedReceiver<Msg>,
    requests: std::sync::mpsc::Sender<Request>,
    control: watch::Sender<Control>,
    mut injector: tokio::task::JoinHandle<()>,
    guard: &TerminalGuard,
    mut signals: EndSignals,
    mut keyboard: Keyboard,
    scoring: &Scoring,
) -> Result<Option<String>, PlayError> {
    let mut frames = tokio::time::interval(FRAME);
    frames.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut dirty = true;
    let mut injector_running = true;
    loop {
        tokio::select! {
            () = signals.recv() => return Ok(None),
            ended = &mut injector, if injector_running => {
                injector_running = false;
                if let Err(error) = ended {
                    return Err(PlayError(format!("the game loop failed: {error}")));
                }
            }
            msg = inbox.recv() => {
                let Some(msg) = msg else { return Ok(None) };
                let effects;
                (app, effects) = update(app, msg);
                dirty = true;
                for effect in effects {
                    match effect {
                        Effect::Send(command) => {
                            let _ = requests.send(Request { command, source: Source::Player });
                        }
                        Effect::Control(c) => {
                            let _ = control.send(c);
                        }
                        Effect::Bell => guard.bell(),
                        Effect::Score => scoring.score(keyboard.to_screen.clone()),
                        Effect::Quit => return Ok(None),
                        Effect::Next(mission) => return Ok(Some(mission)),
                        Effect::Edit { robot, program } => {
                            // The game waits while the player writes.
                            let _ = control.send(Control { paused: true, ..app.control() });
                            keyboard.pause();
                            terminal::restore();
                            let edited = editor::edit(&app.save_name, &robot, &program);
                            guard.resume(screen).map_err(io_error)?;
                            keyboard.resume();
                            let msg = match edited {
                                Ok(Some(program)) => Msg::Edited { robot, program },
                                Ok(None) => Msg::Unedited(robot),
                                Err(reason) => Msg::EditFailed(reason),
                            };
                            let _ = keyboard.to_screen.send(msg);
                            let _ = control.send(app.control());
                        }
                    }
                }
            }
            _ = frames.tick(), if dirty => {
                screen.draw(|frame| view(&app, frame)).map_err(io_error)?;
                dirty = false;
            }
        }
    }
}
