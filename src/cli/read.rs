//! `events`, `state` and `verify`: what a save holds, read without changing it.

use super::args::{EventFormat, EventsArgs, StateArgs};
use super::failure::Failure;
use crate::engine::audit::{Auditor, Invariant};
use crate::engine::envelope::RecordedEvent;
use crate::playback::{CacheCheck, Playback, seek_state};
use crate::present;
use crate::store::keyframes::{Inspection, KeyframeCache};
use crate::store::sqlite::SqliteStore;
use crate::store::{EventReader, StoreError, TickRange};
use std::io::Write;
use std::path::Path;

pub(super) fn events(save: &Path, args: &EventsArgs, out: &mut dyn Write) -> Result<(), Failure> {
    if let (Some(from), Some(to)) = (args.from_tick, args.to_tick)
        && from > to
    {
        return Err(Failure::Input(format!(
            "--from-tick {from} is after --to-tick {to}: no tick lies between them"
        )));
    }
    let store = SqliteStore::open_read_only(save)?;
    // The game's id names the source: the save's own record of it, else its first game event's
    // stream; a save never started has none yet.
    let mut game = store.info()?.game_id;
    if game.is_none() {
        store.scan_range(
            TickRange {
                from: None,
                to: Some(0),
            },
            &mut |e| {
                if let (None, crate::domain::subject::Subject::Game(id)) =
                    (&game, e.event.subject())
                {
                    game = Some(id);
                }
            },
        )?;
    }
    let source = match game {
        Some(id) => format!("urn:lunar-frontiers:game:{}", id.0.hyphenated()),
        None => "urn:lunar-frontiers:game".to_owned(),
    };
    let format = if args.json {
        EventFormat::Json
    } else {
        args.format
    };
    let line = |e: &RecordedEvent| match format {
        EventFormat::Text => present::event_line(e),
        EventFormat::Json => present::event_json(e),
        EventFormat::Cloudevents => present::event_cloud(e, &source),
    };
    // Streamed: memory does not grow with the log. A failed write (the reader went away)
    // ends the output; the rest of the log is only read.
    let mut written = Ok(());
    store.scan_range(
        TickRange {
            from: args.from_tick,
            to: args.to_tick,
        },
        &mut |e| {
            if written.is_ok() {
                written = writeln!(out, "{}", line(&e));
            }
        },
    )?;
    Ok(written?)
}

pub(super) fn state(save: &Path, args: &StateArgs, out: &mut dyn Write) -> Result<(), Failure> {
    // Folded from the log itself: a keyframe cache could only be trusted after a fold as long.
    let mut playback = Playback::new(SqliteStore::open_read_only(save)?);
    let state = seek_state(&mut playback, args.at_tick)?;
    if args.json {
        writeln!(out, "{}", present::state_json(&state))?;
    } else {
        write!(out, "{}", present::state_text(&state))?;
    }
    Ok(())
}

pub(super) fn verify(save: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let store = SqliteStore::open_read_only(save)?;
    let inspection = KeyframeCache::inspect(save, |seq| store.mark_at(seq));
    let (cache, cache_note) = match inspection {
        Inspection::Absent => (None, Some("no keyframe cache beside the save".to_owned())),
        Inspection::Unusable(why) => (
            None,
            Some(format!(
                "the keyframe cache is not used ({why}); the next replay rebuilds it"
            )),
        ),
        Inspection::Usable(cache) => (Some(cache), None),
    };
    let mut check = CacheCheck::new(cache);
    let mut auditor = Auditor::new();
    let scanned = store.scan_for_audit(&mut |e| {
        let (seq, tick) = (e.seq, e.tick());
        auditor.push(e);
        check.at(seq, tick, auditor.projections());
    });
    let breaks = match scanned {
        Ok(breaks) => breaks,
        Err(StoreError::Corrupt { seq, reason, .. }) => {
            writeln!(out, "verify {}: FAIL", save.display())?;
            writeln!(out, "  seq {seq}: the row cannot be read: {reason}")?;
            return Err(Failure::Check(format!(
                "{}: event {seq} is damaged",
                save.display()
            )));
        }
        Err(e) => return Err(e.into()),
    };
    check.finish();
    let report = auditor.finish();
    writeln!(
        out,
        "verify {}: {} events, {} ticks, {} streams, replayed twice",
        save.display(),
        report.events,
        report.last_tick,
        report.streams
    )?;
    let mut total = report.findings.len() + breaks.len() + check.problems.len();
    match store.head()? {
        Some((seq, hash)) => writeln!(out, "  head  {hash} (seq {seq})")?,
        None if store.schema() >= 2 => writeln!(out, "  head  none: the log is empty")?,
        None => writeln!(out, "  --    no hash chain: written with schema 1")?,
    }
    if store.schema() >= 2 {
        let verdict = if breaks.is_empty() { "ok  " } else { "FAIL" };
        writeln!(out, "  {verdict}  every row continues the hash chain")?;
        const SHOWN: usize = 20;
        for seq in breaks.iter().take(SHOWN) {
            writeln!(
                out,
                "          seq {seq}: breaks the chain: it, or a row before it, was edited, \
                 deleted or reordered"
            )?;
        }
        if breaks.len() > SHOWN {
            writeln!(out, "          and {} more", breaks.len() - SHOWN)?;
        }
        let index = store.index_findings()?;
        if index.is_empty() {
            writeln!(out, "  ok    the tick index agrees with the rows")?;
        } else {
            total += index.len();
            writeln!(out, "  FAIL  the tick index agrees with the rows")?;
            for finding in index.iter().take(SHOWN) {
                writeln!(out, "          {finding}")?;
            }
            if index.len() > SHOWN {
                writeln!(out, "          and {} more", index.len() - SHOWN)?;
            }
        }
        match store.lowered_schema() {
            None => writeln!(
                out,
                "  ok    the file's schema is the one its rows were written with"
            )?,
            Some(declared) => {
                total += 1;
                writeln!(
                    out,
                    "  FAIL  the file says schema {declared}, but its rows carry a hash chain \
                     (schema {}): the version was lowered by hand",
                    store.schema()
                )?;
            }
        }
    }
    for invariant in Invariant::ALL {
        let findings: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.invariant == invariant)
            .collect();
        let verdict = if findings.is_empty() { "ok  " } else { "FAIL" };
        writeln!(out, "  {verdict}  {}", invariant.describe())?;
        for finding in findings {
            writeln!(out, "          {finding}")?;
        }
    }
    let cache_note = cache_note.or_else(|| {
        let first = check.damaged.first()?;
        Some(format!(
            "the keyframe cache is not used where it is damaged ({} from seq {first}); the \
             next replay that folds the whole log rewrites it",
            present::plural(check.damaged.len() as u64, "keyframe")
        ))
    });
    match cache_note {
        Some(note) if check.problems.is_empty() => writeln!(out, "  --    {note}")?,
        None if check.problems.is_empty() => writeln!(
            out,
            "  ok    the keyframe cache agrees with the log ({})",
            present::plural(check.compared as u64, "keyframe")
        )?,
        Some(_) | None => {
            writeln!(out, "  FAIL  the keyframe cache agrees with the log")?;
            for problem in &check.problems {
                writeln!(out, "          {problem}")?;
            }
        }
    }
    if total == 0 {
        writeln!(out, "no findings")?;
        Ok(())
    } else {
        Err(Failure::Check(format!(
            "{}: {}",
            save.display(),
            present::plural(total as u64, "finding")
        )))
    }
}
