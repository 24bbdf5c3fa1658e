//! The compact form of an event's data, as schema 4 saves store it.
//!
//! An event's JSON object repeats its field names in every row and carries two values the row
//! already holds: the subject's id (the stream says it) and the tick (a column says it). The
//! compact form is a JSON array of the other fields' values in declaration order, `null` for a
//! field left out, which serde reads back into the struct once the subject and tick are put
//! back at either end. It is used only when it reads back into the very same event; anything
//! else (a field skipped where `null` does not mean its default, a struct not shaped subject
//! first and tick last) is stored as the plain object, which reads back as it always has.

use serde::de::value::UnitDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess,
    SeqAccess, Visitor,
};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// `value` in its compact form, or as its JSON object when that form would not read back
/// equal. `subject` is the id its stream names.
pub fn encode<T>(value: &T, subject_field: &str, subject: &str, tick: u64) -> String
where
    T: Serialize + DeserializeOwned + PartialEq,
{
    // Plain structs of strings, integers and maps with string keys always serialize.
    let object = serde_json::to_string(value).unwrap_or_default();
    match as_array::<T>(&object, subject_field) {
        Some(array)
            if decode::<T>(array.as_bytes(), subject, tick).ok().as_ref() == Some(value) =>
        {
            array
        }
        _ => object,
    }
}

/// Reads either form back: an array is read as the struct's fields, its subject first and its
/// tick last, fields it stops short of read as `null`; an object is read as it is.
pub fn decode<T: DeserializeOwned>(data: &[u8], subject: &str, tick: u64) -> serde_json::Result<T> {
    if data.trim_ascii_start().first() != Some(&b'[') {
        return serde_json::from_slice(data);
    }
    let mut json = serde_json::Deserializer::from_slice(data);
    let value = T::deserialize(Spliced {
        json: &mut json,
        subject,
        tick,
    })?;
    json.end()?;
    Ok(value)
}

/// A deserializer that hands a struct the subject, then the stored array's values, then
/// `null` for each field the array stops short of, then the tick.
struct Spliced<'j, 'de> {
    json: &'j mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>,
    subject: &'j str,
    tick: u64,
}

impl<'de> Deserializer<'de> for Spliced<'_, 'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("an event's compact data is a struct's"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.json.deserialize_seq(Around {
            visitor,
            fields: fields.len(),
            subject: self.subject,
            tick: self.tick,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// Visits the stored array on behalf of the struct's own visitor.
struct Around<'j, V> {
    visitor: V,
    fields: usize,
    subject: &'j str,
    tick: u64,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Around<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of an event's fields")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, stored: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(Elements {
            stored,
            next: 0,
            fields: self.fields,
            more: true,
            subject: self.subject,
            tick: self.tick,
        })
    }
}

struct Elements<'j, A> {
    stored: A,
    next: usize,
    fields: usize,
    /// Whether the stored array may hold more values.
    more: bool,
    subject: &'j str,
    tick: u64,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Elements<'_, A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        let index = self.next;
        self.next += 1;
        if index == 0 {
            return seed.deserialize(self.subject.into_deserializer()).map(Some);
        }
        if index + 1 == self.fields {
            if self.more && self.stored.next_element::<IgnoredAny>()?.is_some() {
                return Err(de::Error::custom("more values than the event has fields"));
            }
            return seed.deserialize(self.tick.into_deserializer()).map(Some);
        }
        if index >= self.fields {
            return Ok(None);
        }
        let mut seed = Some(seed);
        if self.more {
            match self.stored.next_element_seed(Taken(&mut seed))? {
                Some(value) => return Ok(Some(value)),
                None => self.more = false,
            }
        }
        match seed {
            Some(seed) => seed.deserialize(UnitDeserializer::new()).map(Some),
            None => Err(de::Error::custom("a value was read twice")),
        }
    }
}

/// Lends a seed to the stored array, which may have no value left to use it on.
struct Taken<'s, S>(&'s mut Option<S>);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Taken<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        match self.0.take() {
            Some(seed) => seed.deserialize(deserializer),
            None => Err(de::Error::custom("a value was read twice")),
        }
    }
}

/// The array of `object`'s fields between the subject and the tick, when `T` declares the
/// subject first and the tick last.
fn as_array<T: DeserializeOwned>(object: &str, subject_field: &str) -> Option<String> {
    let fields = field_names::<T>()?;
    let (first, rest) = fields.split_first()?;
    let (last, middle) = rest.split_last()?;
    if *first != subject_field || *last != "tick" {
        return None;
    }
    let pairs = serde_json::from_str::<Pairs<'_>>(object).ok()?.0;
    let values: Vec<&str> = middle
        .iter()
        .map(|field| {
            let value = pairs.iter().find(|(key, _)| key == field);
            value.map_or("null", |(_, raw)| raw.get())
        })
        .collect();
    // Fields the array stops short of read as `null`.
    let kept = values
        .iter()
        .rposition(|v| *v != "null")
        .map_or(0, |i| i + 1);
    Some(format!("[{}]", values[..kept].join(",")))
}

/// A JSON object's members in the order written, values left as text.
struct Pairs<'a>(Vec<(&'a str, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Pairs<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Pairs<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Pairs<'de>, M::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(Pairs(pairs))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

/// The field names a struct's derived `Deserialize` declares, in order: asked of it by a
/// deserializer that only listens.
fn field_names<T: DeserializeOwned>() -> Option<&'static [&'static str]> {
    let mut listener = Listener(None);
    let _ = T::deserialize(&mut listener);
    listener.0
}

struct Listener(Option<&'static [&'static str]>);

impl<'de> Deserializer<'de> for &mut Listener {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom(
            "only a struct's field names are listened for",
        ))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = Some(fields);
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    #[serde(deny_unknown_fields)]
    struct Moved {
        robot_id: String,
        x: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        tick: u64,
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
    fn anything_the_array_cannot_carry_stays_an_object() {
        let empty = Listed {
            robot_id: "r1".into(),
            seen: vec![],
            tick: 5,
        };
        let encoded = encode(&empty, "robot_id", "r1", 5);
        assert_eq!(encoded, r#"{"robot_id":"r1","tick":5}"#);
        assert_eq!(
            decode::<Listed>(encoded.as_bytes(), "r1", 5).unwrap(),
            empty
        );
        // A subject the stream does not name is kept in the object.
        assert!(encode(&moved(None), "robot_id", "r8", 42).starts_with('{'));
        // So is a struct not shaped subject first, tick last.
        assert!(encode(&moved(None), "x", "3", 42).starts_with('{'));
    }

    #[test]
    fn the_fields_are_listened_for_in_declaration_order() {
        assert_eq!(
            field_names::<Moved>(),
            Some(&["robot_id", "x", "note", "tick"][..])
        );
        assert_eq!(field_names::<u64>(), None);
    }
}
