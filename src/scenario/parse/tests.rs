//! Scripts in, statements or an error at a line and column out.

use super::parse;
use crate::domain::event::Event;
use crate::domain::ids::BuildingId;
use crate::scenario::script::{Compare, Expectation, MissionState, Statement};

/// Parses one line and returns the statement or the error as `line:column: message`.
fn check(line: &str) -> Result<Statement, String> {
    parse("t.scenario", line)
        .map(|mut s| s.statements.remove(0).1)
        .map_err(|e| format!("{}:{}: {}", e.at.line, e.at.column, e.message))
}

#[test]
fn statements_parse_with_defaults() {
    assert_eq!(
        check("game start seed=7 map=small player=px42"),
        Ok(Statement::GameStart {
            seed: Some(7),
            map: "small".into(),
            player: "px42".into(),
            name: None,
            mission: None,
            ruleset: None,
        })
    );
    assert_eq!(
        check("game start mission=t1-groundbreaking"),
        Ok(Statement::GameStart {
            seed: None,
            map: "small".into(),
            player: "player".into(),
            name: None,
            mission: Some("t1-groundbreaking".into()),
            ruleset: None,
        })
    );
    assert_eq!(
        check("expect resource oxygen >= 50"),
        Ok(Statement::Expect(Expectation::Resource {
            name: "oxygen".into(),
            compare: Compare::AtLeast,
            amount: 50,
        }))
    );
    assert_eq!(
        check("expect mission won"),
        Ok(Statement::Expect(Expectation::Mission(MissionState::Won)))
    );
    assert_eq!(
        check("expect colonists 4"),
        Ok(Statement::Expect(Expectation::Colonists(4)))
    );
    assert_eq!(check("tick"), Ok(Statement::Tick(1)));
    assert_eq!(check("  tick 5   # five"), Ok(Statement::Tick(5)));
    assert_eq!(check("tick at=9"), Ok(Statement::TickAt(9)));
    assert_eq!(
        check("build hq id=alpha at=3,-4 ticks=2"),
        Ok(Statement::Build {
            building_type: "hq".into(),
            id: BuildingId::parse("alpha").unwrap(),
            x: 3,
            y: -4,
            ticks: Some(2),
            player: None,
        })
    );
}

#[test]
fn quoted_values_keep_their_spaces() {
    assert_eq!(
        check(r#"game start name="Tranquility Base" # comment"#),
        Ok(Statement::GameStart {
            seed: None,
            map: "small".into(),
            player: "player".into(),
            name: Some("Tranquility Base".into()),
            mission: None,
            ruleset: None,
        })
    );
}

#[test]
fn errors_point_at_the_offending_column() {
    assert_eq!(
        check("build hq id=alpha at=3;4"),
        Err(r#"1:22: expected coordinates x,y, found "3;4""#.into())
    );
    assert_eq!(
        check("build hq at=1,1"),
        Err("1:16: build needs id=NAME".into())
    );
    assert_eq!(
        check("tick five"),
        Err(r#"1:6: expected a number of ticks, found "five""#.into())
    );
    assert_eq!(
        check("expect event construction_finished"),
        Err(format!(
            "1:14: unknown event type \"construction_finished\"; expected one of {}",
            Event::TYPES.join(", ")
        ))
    );
    assert_eq!(
        check("build hq id=a at=1,1 colour=red"),
        Err("1:22: unknown option colour for build; expected id=, at=, ticks= or player=".into())
    );
    assert_eq!(check("launch"), Err("1:1: unknown statement \"launch\"; expected game, tick, build, program, order, switch, urgent, demolish, stop, reopen, show or expect".into()));
    assert_eq!(
        check(r#"game start name="open"#),
        Err("1:12: a quoted value is never closed".into())
    );
}

#[test]
fn errors_name_the_file_and_line() {
    let error = parse("demo.scenario", "tick\n\n# note\ntick 0\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "demo.scenario:4:6: tick needs at least 1 tick"
    );
}
