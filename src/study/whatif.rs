//! `lunar whatif`: a fix tried from a past tick. The game is branched as the tick began, the
//! robots are given the new program, and the branch plays on headless, the player's own later
//! commands given again at their ticks, to the mission's end; then it is set beside the
//! original. The branch is a save like any other; the original is only read.

use std::path::Path;

use serde::Serialize;

use super::compare::{Comparison, compare};
use super::inputs::player_inputs;
use crate::domain::command::Command;
use crate::domain::game::Game;
use crate::domain::game::commands::GameCommand;
use crate::domain::ids::{RobotId, Tick};
use crate::domain::program;
use crate::domain::projection::Projections;
use crate::domain::projection::colony::{MissionStatus, Sample};
use crate::domain::robot::commands::RobotCommand;
use crate::domain::ruleset::ProgramSource;
use crate::engine::envelope::Origin;
use crate::engine::project_all;
use crate::saves;
use crate::session::{Outcome, Session};
use crate::store::EventReader;
use crate::store::sqlite::SqliteStore;

/// What to try: which robots get which program, from which tick, for how long.
pub struct Request<'a> {
    /// None: every robot the colony has as the tick begins.
    pub robots: Option<Vec<RobotId>>,
    pub tick: Tick,
    pub program: &'a ProgramSource,
    /// Ticks to play from `tick` on; by default to the mission's deadline, or without one as
    /// far as the original went.
    pub ticks: Option<u64>,
}

#[derive(Serialize, Clone, PartialEq, Eq, Debug)]
pub struct WhatIf {
    pub branch: String,
    pub tick: Tick,
    pub robots: Vec<RobotId>,
    /// Robots that already ran the program, untouched (their memory kept).
    pub unchanged: Vec<RobotId>,
    /// The player's later commands the branch refused (a site the stock no longer paid for).
    pub refused: usize,
    pub comparison: Comparison,
    /// Each game's colony over the whole game, for its curves drawn one over the other. The
    /// screen draws them; the JSON report has the figures that matter to a script.
    #[serde(skip)]
    pub curves: Curves,
}

/// What the colony held as each game went: the statistics' samples of the game as played and
/// of the fix, oldest first (none for a game without a colony).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Curves {
    pub as_played: Vec<Sample>,
    pub the_fix: Vec<Sample>,
}

/// The statistics' samples of a game whose projections are `projections`.
fn samples(projections: &Projections) -> Vec<Sample> {
    projections
        .colony
        .economy
        .as_ref()
        .map_or_else(Vec::new, |e| e.record.iter().copied().collect())
}

/// Tries `request` on the game saved at `original`, writing the branch to `branch`.
/// `progress` hears the tick reached and the last tick, as the branch plays on.
pub fn whatif(
    original: &Path,
    branch: &Path,
    request: &Request<'_>,
    progress: &mut dyn FnMut(Tick, Tick),
) -> Result<WhatIf, String> {
    let fail = |e: &dyn std::fmt::Display| e.to_string();
    let name = |p: &Path| {
        p.file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
    };
    let compiled = program::compile(&request.program.source).map_err(|e| {
        format!(
            "{}:{}:{}: {}",
            request.program.name, e.line, e.column, e.message
        )
    })?;
    let store = SqliteStore::open_read_only(original).map_err(|e| fail(&e))?;
    let events = store.read_all().map_err(|e| fail(&e))?;
    let last = events.last().map_or(0, |e| e.tick());
    if request.tick == 0 || request.tick > last {
        return Err(format!(
            "--at-tick {}: the game ran ticks 1 to {last}; a fix is tried from one of them",
            request.tick
        ));
    }
    let from = request.tick - 1;
    SqliteStore::branch(&store, &saves::origin(original), from, branch).map_err(|e| fail(&e))?;
    let mut session = SqliteStore::open(branch)
        .and_then(Session::open)
        .map_err(|e| fail(&e))?;
    let deadline = session
        .projections()
        .colony
        .economy
        .as_ref()
        .and_then(|e| e.rules.mission.deadline);
    let end = match request.ticks {
        Some(n) => from.saturating_add(n),
        None => deadline.unwrap_or(last),
    };

    let present = &session.projections().robots.robots;
    let robots: Vec<RobotId> = match &request.robots {
        Some(ids) => {
            if let Some(missing) = ids.iter().find(|id| !present.contains_key(*id)) {
                return Err(format!(
                    "{missing} is not in the colony as tick {} begins",
                    request.tick
                ));
            }
            ids.clone()
        }
        None => present.keys().cloned().collect(),
    };
    if robots.is_empty() {
        return Err(format!(
            "the colony has no robots as tick {} begins",
            request.tick
        ));
    }
    let mut unchanged = Vec::new();
    for id in &robots {
        let row = &session.projections().robots.robots[id];
        let runs_it = row
            .program
            .as_ref()
            .is_some_and(|(_, hash)| *hash == compiled.hash);
        if runs_it && row.fault.is_none() {
            unchanged.push(id.clone());
            continue;
        }
        let upload = Command::Robot(RobotCommand::UploadProgram {
            robot_id: id.clone(),
            name: request.program.name.clone(),
            source: request.program.source.clone(),
            tick: 0,
        });
        if let Outcome::Rejected(r) = session
            .execute(upload, Origin::player())
            .map_err(|e| fail(&e))?
        {
            return Err(format!("{id} cannot be given the program: {r}"));
        }
    }

    // The player's own commands from the tick on, but for programs given to the robots tried.
    let later: Vec<_> = player_inputs(&events)
        .into_iter()
        .filter(|i| i.tick > from)
        .filter(|i| !matches!(&i.command, Command::Robot(r) if robots.contains(r.robot_id())))
        .collect();
    let mut later = later.as_slice();
    let mut refused = 0;
    let mut tick = from;
    while tick < end {
        let running = session
            .projections()
            .colony
            .economy
            .as_ref()
            .is_none_or(|e| e.mission == MissionStatus::Running);
        if !running || matches!(session.engine().game(), Game::Stopped(_)) {
            break;
        }
        tick += 1;
        let advance = Command::Game(GameCommand::AdvanceGameloop { tick });
        if let Outcome::Rejected(_) = session
            .execute(advance, Origin::injector())
            .map_err(|e| fail(&e))?
        {
            break;
        }
        while let Some((input, rest)) = later.split_first().filter(|(i, _)| i.tick <= tick) {
            later = rest;
            if let Outcome::Rejected(_) = session
                .execute(input.command.clone(), Origin::player())
                .map_err(|e| fail(&e))?
            {
                refused += 1;
            }
        }
        progress(tick, end);
    }
    let branched = session.store().read_all().map_err(|e| fail(&e))?;
    let comparison = compare(&events, &branched, (&name(original), &name(branch)))?;
    let curves = Curves {
        as_played: samples(&project_all(&events)),
        the_fix: samples(session.projections()),
    };
    Ok(WhatIf {
        branch: branch.display().to_string(),
        tick: request.tick,
        robots,
        unchanged,
        refused,
        comparison,
        curves,
    })
}
