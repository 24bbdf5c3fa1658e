//! Every script in `tests/scenarios/` runs headless and is snapshotted: the report, what it
//! showed, the event log and the final projections.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lunar::engine::audit::audit;
use lunar::present;
use lunar::store::EventReader;
use lunar::store::memory::MemoryStore;
use lunar::store::sqlite::SqliteStore;

use crate::support::{fingerprint, json_lines, root, run_script};

/// Logs longer than this are snapshotted as their head, tail, counts and fingerprint.
const FULL_LOG_LIMIT: usize = 150;

#[test]
fn scenarios() {
    insta::glob!("..", "scenarios/*.scenario", |path| {
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let (report, session) = run_script(&name, &text, MemoryStore::new());
        let events = session.store().read_all().unwrap();

        let expect_failures = name.contains("failing_");
        assert_eq!(
            report.failures.is_empty(),
            !expect_failures,
            "{}",
            report.summary()
        );
        let findings = audit(&events).findings;
        assert!(findings.is_empty(), "{name}: audit found {findings:?}");

        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::create(&dir.path().join("s.lunar")).unwrap();
        let (_, saved) = run_script(&name, &text, store);
        assert_eq!(
            saved.store().read_all().unwrap(),
            events,
            "{name}: the SQLite store wrote a different log"
        );

        let mut snap = String::new();
        let _ = writeln!(snap, "== report\n{}", report.summary());
        for shown in &report.shown {
            let _ = writeln!(snap, "== show\n{shown}");
        }
        let lines: Vec<String> = events.iter().map(present::event_line).collect();
        let _ = writeln!(snap, "== events ({})", events.len());
        if lines.len() <= FULL_LOG_LIMIT {
            snap += &lines.join("\n");
        } else {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for e in &events {
                *counts.entry(e.event.type_name()).or_default() += 1;
            }
            for (kind, n) in counts {
                let _ = writeln!(snap, "{kind}: {n}");
            }
            let _ = writeln!(
                snap,
                "fingerprint: {:016x}",
                fingerprint(&json_lines(&events))
            );
            snap += &lines[..40].join("\n");
            let _ = write!(snap, "\n...\n{}", lines[lines.len() - 20..].join("\n"));
        }
        let _ = write!(
            snap,
            "\n\n== state\n{}",
            present::state_text(session.projections())
        );
        insta::assert_snapshot!(snap);
    });
}
