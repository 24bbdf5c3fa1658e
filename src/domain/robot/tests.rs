//! The robot aggregate's own rules: given events, when a command, then events or a rejection.

use crate::domain::event::Event;
use crate::domain::fixtures::{deployed, robot_id, uploaded};
use crate::domain::program::memory::{Memory, Value};
use crate::domain::resources::Resource;
use crate::domain::robot::Robot;
use crate::domain::robot::commands::{Act, DeployRobot, RobotCommand, Step};
use crate::domain::robot::events::{RobotFaulted, RobotMined, RobotSaid, RobotWaited};

/// The robot after `given`.
fn robot(given: &[Event]) -> Robot {
    given
        .iter()
        .fold(Robot::initial(), |state, event| state.evolve(event))
}

fn act(robot: &str, step: Step) -> RobotCommand {
    RobotCommand::Act(Act {
        robot_id: robot_id(robot),
        tick: 1,
        step,
        memory: None,
        said: Vec::new(),
        sent: Vec::new(),
    })
}

/// Given events, when a command: the events recorded, or the rejection's code.
fn check(given: &[Event], when: RobotCommand) -> Result<Vec<Event>, &'static str> {
    robot(given).decide(&when).map_err(|r| r.code())
}

#[test]
fn a_robot_is_deployed_once() {
    let deploy = RobotCommand::Deploy(DeployRobot {
        robot_id: robot_id("r1"),
        x: 1,
        y: 2,
        battery: 20,
        capacity: 20,
        cargo_capacity: 4,
        tick: 0,
    });
    assert_eq!(
        check(&[], deploy.clone()),
        Ok(vec![deployed("r1", 1, 2, 20)])
    );
    assert_eq!(
        check(&[deployed("r1", 1, 2, 20)], deploy),
        Err("duplicate_robot")
    );
    assert_eq!(
        check(&[], act("r1", Step::Wait { reason: None })),
        Err("robot_not_found")
    );
}

#[test]
fn a_program_is_recorded_whole_or_refused_with_its_place() {
    let upload = |source: &str| RobotCommand::UploadProgram {
        robot_id: robot_id("r1"),
        name: "test".into(),
        source: source.into(),
        tick: 0,
    };
    let given = [deployed("r1", 0, 1, 20)];
    assert_eq!(
        check(&given, upload("wait()")),
        Ok(vec![uploaded("r1", "wait()")])
    );
    let refused = robot(&given).decide(&upload("let x = ;"));
    assert!(
        matches!(
            refused,
            Err(crate::domain::rejection::Rejection::ProgramInvalid {
                line: 1,
                column: 9,
                ..
            })
        ),
        "{refused:?}"
    );
}

#[test]
fn a_robot_vouches_for_its_own_steps_battery_and_cargo() {
    let given = [deployed("r1", 2, 2, 1)];
    let step = |x, y| Step::Move { x, y, cost: 1 };
    assert!(check(&given, act("r1", step(2, 1))).is_ok());
    assert_eq!(check(&given, act("r1", step(3, 1))), Err("robot_cannot"));
    assert_eq!(check(&given, act("r1", step(2, 2))), Err("robot_cannot"));
    let costly = Step::Move {
        x: 2,
        y: 1,
        cost: 2,
    };
    assert_eq!(check(&given, act("r1", costly)), Err("robot_cannot"));
    let dig = |resource, amount| Step::Mine {
        resource,
        amount,
        left: 0,
        cost: 0,
    };
    let carrying = [
        deployed("r1", 2, 2, 10),
        Event::RobotMined(RobotMined {
            robot_id: robot_id("r1"),
            x: 2,
            y: 2,
            resource: Resource::Regolith,
            amount: 3,
            left: 0,
            battery: 10,
            memory: None,
            tick: 1,
        }),
    ];
    assert!(check(&carrying, act("r1", dig(Resource::Regolith, 1))).is_ok());
    assert_eq!(
        check(&carrying, act("r1", dig(Resource::Regolith, 2))),
        Err("robot_cannot"),
        "four at most"
    );
    assert_eq!(
        check(&carrying, act("r1", dig(Resource::Ice, 1))),
        Err("robot_cannot"),
        "one resource at a time"
    );
}

#[test]
fn a_wait_is_recorded_only_when_it_says_something() {
    let given = [deployed("r1", 0, 1, 20)];
    assert_eq!(
        check(&given, act("r1", Step::Wait { reason: None })),
        Ok(vec![])
    );
    let mut memory = Memory::new();
    memory.insert("seen".into(), Value::Int(3));
    let remembered = RobotCommand::Act(Act {
        robot_id: robot_id("r1"),
        tick: 1,
        step: Step::Wait { reason: None },
        memory: Some(memory.clone()),
        said: vec!["hello".into()],
        sent: Vec::new(),
    });
    assert_eq!(
        check(&given, remembered),
        Ok(vec![
            Event::RobotWaited(RobotWaited {
                robot_id: robot_id("r1"),
                reason: None,
                memory: Some(memory),
                tick: 1,
            }),
            Event::RobotSaid(RobotSaid {
                robot_id: robot_id("r1"),
                text: "hello".into(),
                tick: 1,
            }),
        ])
    );
}

#[test]
fn a_faulted_robot_stands_still_until_it_is_given_a_program() {
    let faulted = [
        deployed("r1", 0, 1, 20),
        Event::RobotFaulted(RobotFaulted {
            robot_id: robot_id("r1"),
            message: "1:1: boom".into(),
            tick: 1,
        }),
    ];
    assert_eq!(
        check(&faulted, act("r1", Step::Wait { reason: None })),
        Err("robot_cannot")
    );
    let mut mended = faulted.to_vec();
    mended.push(uploaded("r1", "wait()"));
    assert_eq!(
        check(&mended, act("r1", Step::Wait { reason: None })),
        Ok(vec![])
    );
}
