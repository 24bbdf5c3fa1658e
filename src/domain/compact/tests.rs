//! The compact form reads back what it wrote, and refuses what it did not.
use serde::Deserialize;
use serde::Serialize;

use super::{decode, encode};

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(deny_unknown_fields)]
struct Moved {
    robot_id: String,
    x: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    tick: u64,
}

#[derive(Serialize, Deserialize, PartialEq, Debug, Clone)]
struct Early {
    game_id: String,
    tick: u64,
    day: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    seen: Vec<u8>,
    x: u16,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Listed {
    robot_id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    seen: Vec<u8>,
    tick: u64,
}

fn moved(note: Option<&str>) -> Moved {
    Moved {
        robot_id: "r7".into(),
        x: 3,
        note: note.map(str::to_owned),
        tick: 42,
    }
}

#[test]
fn the_subject_and_tick_leave_and_come_back() {
    let encoded = encode(&moved(Some("hi")), "robot_id", "r7", 42);
    assert_eq!(encoded, r#"[3,"hi"]"#);
    assert_eq!(
        decode::<Moved>(encoded.as_bytes(), "r7", 42).unwrap(),
        moved(Some("hi"))
    );
}

#[test]
fn fields_left_out_at_the_end_are_left_off_and_read_back_as_null() {
    let encoded = encode(&moved(None), "robot_id", "r7", 42);
    assert_eq!(encoded, "[3]");
    assert_eq!(
        decode::<Moved>(encoded.as_bytes(), "r7", 42).unwrap(),
        moved(None)
    );
    assert_eq!(decode::<Moved>(b"[3,null]", "r7", 42).unwrap(), moved(None));
    assert_eq!(decode::<Moved>(b" [ 3 ] ", "r7", 42).unwrap(), moved(None));
}

#[test]
fn a_field_left_out_before_one_kept_is_null() {
    let no_x = Listed {
        robot_id: "r1".into(),
        seen: vec![4],
        tick: 5,
    };
    assert_eq!(encode(&no_x, "robot_id", "r1", 5), "[[4]]");
    let mut odd = moved(Some("hi"));
    odd.x = 0;
    assert_eq!(decode::<Moved>(br#"[0,"hi"]"#, "r7", 42).unwrap(), odd);
}

#[test]
fn what_does_not_fit_the_struct_is_refused() {
    for bad in [&b"[3,null,7]"[..], b"[\"three\"]", b"[3", b"[3]x", b"[3,]"] {
        assert!(
            decode::<Moved>(bad, "r7", 42).is_err(),
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
    assert!(decode::<Moved>(b"[]", "r7", 42).is_err(), "x is required");
}

#[test]
fn fields_left_out_at_the_end_read_back_as_their_defaults() {
    let empty = Listed {
        robot_id: "r1".into(),
        seen: vec![],
        tick: 5,
    };
    let encoded = encode(&empty, "robot_id", "r1", 5);
    assert_eq!(encoded, "[]");
    assert_eq!(
        decode::<Listed>(encoded.as_bytes(), "r1", 5).unwrap(),
        empty
    );
}

#[test]
fn the_tick_may_stand_anywhere() {
    let early = Early {
        game_id: "g".into(),
        tick: 7,
        day: true,
        seen: vec![1],
        x: 2,
    };
    let encoded = encode(&early, "game_id", "g", 7);
    assert_eq!(encoded, "[true,[1],2]");
    assert_eq!(decode::<Early>(encoded.as_bytes(), "g", 7).unwrap(), early);
}

#[test]
fn anything_the_array_cannot_carry_stays_an_object() {
    // A list left out before a field kept would read back as null, which a list is not.
    let early = Early {
        game_id: "g".into(),
        tick: 7,
        day: true,
        seen: vec![],
        x: 2,
    };
    assert!(encode(&early, "game_id", "g", 7).starts_with('{'));
    // A subject the stream does not name is kept in the object.
    assert!(encode(&moved(None), "robot_id", "r8", 42).starts_with('{'));
    // So is a struct whose first field is not its subject.
    assert!(encode(&moved(None), "x", "3", 42).starts_with('{'));
}

#[derive(Serialize, Deserialize, PartialEq, Debug, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct Flow {
    made: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<u32>,
    used: u32,
}

#[derive(Serialize, Deserialize, PartialEq, Debug, Clone)]
enum Status {
    Idle,
    Waiting { flow: Flow, why: String },
}

/// A struct that reads only from an object, as a hand-written `Deserialize` may.
#[derive(Serialize, PartialEq, Debug, Clone)]
struct OnlyObject {
    n: u32,
}

impl<'de> Deserialize<'de> for OnlyObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<String, u32>::deserialize(d)?;
        map.get("n")
            .map(|&n| OnlyObject { n })
            .ok_or_else(|| serde::de::Error::custom("no n"))
    }
}

#[derive(Serialize, Deserialize, PartialEq, Debug, Clone)]
struct Ticked {
    game_id: String,
    tick: u64,
    flow: Flow,
    statuses: Vec<Status>,
    by_name: std::collections::BTreeMap<String, Flow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    odd: Option<OnlyObject>,
}

fn ticked(note: Option<u32>, odd: Option<OnlyObject>) -> Ticked {
    let flow = Flow {
        made: 2,
        note,
        used: 1,
    };
    Ticked {
        game_id: "g".into(),
        tick: 9,
        flow,
        statuses: vec![
            Status::Idle,
            Status::Waiting {
                flow,
                why: "ice".into(),
            },
        ],
        by_name: [("mine-1".to_owned(), flow)].into(),
        odd,
    }
}

#[test]
fn structs_within_are_arrays_too_and_read_back_equal() {
    let plain = ticked(None, None);
    let encoded = encode(&plain, "game_id", "g", 9);
    assert_eq!(
        encoded,
        r#"[[2,null,1],["Idle",{"Waiting":[[2,null,1],"ice"]}],{"mine-1":[2,null,1]}]"#
    );
    assert_eq!(decode::<Ticked>(encoded.as_bytes(), "g", 9).unwrap(), plain);
    let noted = ticked(Some(5), None);
    let encoded = encode(&noted, "game_id", "g", 9);
    assert!(encoded.starts_with("[[2,5,1],"), "{encoded}");
    assert_eq!(decode::<Ticked>(encoded.as_bytes(), "g", 9).unwrap(), noted);
}

#[test]
fn structs_within_written_as_objects_still_read() {
    let written_before = r#"[{"made":2,"used":1},["Idle",{"Waiting":{"flow":{"made":2,"used":1},"why":"ice"}}],{"mine-1":{"made":2,"used":1}}]"#;
    assert_eq!(
        decode::<Ticked>(written_before.as_bytes(), "g", 9).unwrap(),
        ticked(None, None)
    );
}

#[test]
fn a_struct_within_that_reads_only_from_an_object_keeps_them_all_objects() {
    let odd = ticked(None, Some(OnlyObject { n: 4 }));
    let encoded = encode(&odd, "game_id", "g", 9);
    assert!(encoded.starts_with(r#"[{"made":2,"used":1},"#), "{encoded}");
    assert!(encoded.ends_with(r#"{"n":4}]"#), "{encoded}");
    assert_eq!(decode::<Ticked>(encoded.as_bytes(), "g", 9).unwrap(), odd);
}
