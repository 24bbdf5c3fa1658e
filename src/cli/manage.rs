//! `saves`, `branch` and `upgrade`: the saves folder, and new saves made from old ones.

use super::failure::Failure;
use super::play::suggest;
use crate::domain::ids::Tick;
use crate::domain::projection::Projections;
use crate::engine::envelope::RecordedEvent;
use crate::invocation;
use crate::present;
use crate::runtime;
use crate::saves;
use crate::store::sqlite::SqliteStore;
use crate::store::{EventReader, TickRange};
use std::io::Write;
use std::path::Path;

/// Ticks whose events are compared and folded at once while an upgrade is checked.
pub(super) const UPGRADE_TICKS: Tick = 1000;

pub(super) fn upgrade(source: &Path, target: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let original = SqliteStore::open_read_only(source)?;
    let schema = original.schema();
    if schema >= crate::store::sqlite::SCHEMA_VERSION {
        return Err(Failure::Input(format!(
            "{} is already of schema {schema}, the current one: there is nothing to upgrade",
            source.display()
        )));
    }
    // The copy is written under a hidden name and must hold the same events and fold, tick by
    // tick, to the same projections before it takes its own.
    let (copy, count) = SqliteStore::copy(&original, target)?;
    let end = original.summary()?.last_tick;
    let (mut before, mut after) = (Projections::default(), Projections::default());
    let mut compared = 0;
    let mut from = 0;
    let same_tick = |a: &RecordedEvent, b: &RecordedEvent| a.tick() == b.tick();
    let differs = 'chunks: loop {
        let range = TickRange {
            from: Some(from),
            to: Some(from.saturating_add(UPGRADE_TICKS - 1)),
        };
        let (old, new) = (original.read(range)?, copy.read(range)?);
        if old != new {
            let at = old
                .iter()
                .zip(&new)
                .position(|(a, b)| a != b)
                .unwrap_or(old.len().min(new.len()));
            break Some(format!(
                "event {} differs",
                old.get(at).or(new.get(at)).map_or(0, |e| e.seq)
            ));
        }
        for (a, b) in old.chunk_by(same_tick).zip(new.chunk_by(same_tick)) {
            a.iter().for_each(|e| before.apply(&e.event));
            b.iter().for_each(|e| after.apply(&e.event));
            compared += 1;
            if before != after {
                break 'chunks Some(format!("the projections differ at tick {}", a[0].tick()));
            }
        }
        if from.saturating_add(UPGRADE_TICKS) > end {
            break None;
        }
        from += UPGRADE_TICKS;
    };
    if let Some(why) = differs {
        drop(copy);
        return Err(Failure::Check(format!(
            "the copy of {} was not faithful ({why}) and was removed; the original is untouched",
            source.display()
        )));
    }
    copy.publish()?;
    writeln!(
        out,
        "upgraded {} (schema {schema}) into {} (schema {}): {count} events, the same \
         projections at all {compared} ticks",
        source.display(),
        target.display(),
        crate::store::sqlite::SCHEMA_VERSION,
    )?;
    Ok(())
}

pub(super) fn branch(
    dir: &Path,
    source: &Path,
    at_tick: Tick,
    target: &Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = SqliteStore::open_read_only(source)?;
    let last = store.summary()?.last_tick;
    if at_tick > last {
        return Err(Failure::Input(format!(
            "{}: tick {at_tick} is past the end of the game, which is at tick {last}",
            source.display()
        )));
    }
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Input(format!("{}: {e}", dir.display())))?;
    }
    let events = SqliteStore::branch(&store, &saves::origin(source), at_tick, target)?;
    writeln!(
        out,
        "branched {} at tick {at_tick} into {} ({}); play it with: {}",
        source.display(),
        target.display(),
        present::plural(events, "event"),
        suggest(dir, "play", target)
    )?;
    Ok(())
}

/// The saves, each branch under the save it came from, and which one `lunar` alone opens.
pub(super) fn list_saves(dir: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let mut listings = Vec::new();
    let mut unreadable = Vec::new();
    for listing in saves::list(dir) {
        match listing {
            Ok(l) => listings.push(l),
            Err(reason) => unreadable.push(reason),
        }
    }
    writeln!(out, "saves in {}", dir.display())?;
    if listings.is_empty() && unreadable.is_empty() {
        writeln!(
            out,
            "none yet; start one with: {}",
            invocation::suggest(dir, "new NAME")
        )?;
        return Ok(());
    }
    let parent = |l: &saves::Listing| {
        listings
            .iter()
            .position(|p| p.path != l.path && saves::is_branch_of(l, &p.path))
    };
    let parents: Vec<Option<usize>> = listings.iter().map(parent).collect();
    let newest = saves::newest(dir);
    writeln!(
        out,
        "{:<24} {:<20} {:>8} {:>10}  last played",
        "save", "colony", "tick", "buildings"
    )?;
    // Roots in name order, each followed by its branches, depth first.
    let mut stack: Vec<(usize, usize)> = (0..listings.len())
        .rev()
        .filter(|i| parents[*i].is_none())
        .map(|i| (i, 0))
        .collect();
    let mut shown = vec![false; listings.len()];
    while let Some((i, depth)) = stack.pop() {
        if std::mem::replace(&mut shown[i], true) {
            continue;
        }
        let l = &listings[i];
        let indent = if depth == 0 {
            String::new()
        } else {
            format!("{}└ ", "  ".repeat(depth - 1))
        };
        let mut notes = Vec::new();
        if let Some((_, tick)) = &l.branched_from {
            notes.push(format!("branched at tick {tick}"));
        }
        if newest.as_deref() == Some(l.path.as_path()) {
            notes.push("<- `lunar` opens this".into());
        }
        writeln!(
            out,
            "{:<24} {:<20} {:>8} {:>10}  {}  {}",
            format!("{indent}{}", runtime::save_name(&l.path)),
            l.colony,
            l.tick,
            l.buildings,
            l.modified.map_or_else(|| "-".into(), present::format_time),
            notes.join(", ")
        )?;
        for child in (0..listings.len()).rev() {
            if parents[child] == Some(i) {
                stack.push((child, depth + 1));
            }
        }
    }
    for reason in unreadable {
        writeln!(out, "{reason}")?;
    }
    Ok(())
}
