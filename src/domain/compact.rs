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
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, SeqAccess,
    Visitor,
};
use serde::{Serialize, ser};

/// `value` in its compact form, or as its JSON object when that form would not read back
/// equal. `subject` is the id its stream names.
pub fn encode<T>(value: &T, subject_field: &str, subject: &str, tick: u64) -> String
where
    T: Serialize + DeserializeOwned + PartialEq,
{
    let array = value.serialize(Array::default()).ok().filter(|array| {
        array.subject == Some((subject_field, serde_json::to_vec(subject).unwrap_or_default()))
            && array.tick == Some(tick)
            // A field left out reads back as `null`, which is its value only if it says so.
            && (!array.skipped
                || decode::<T>(&array.out, subject, tick).ok().as_ref() == Some(value))
    });
    match array {
        Some(array) => String::from_utf8(array.out).unwrap_or_default(),
        // Plain structs of strings, integers and maps with string keys always serialize.
        None => serde_json::to_string(value).unwrap_or_default(),
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

/// A struct written as the compact array: its first field (the subject) and last (the tick)
/// set aside for checking, the others' values in order, `null` for a field the struct leaves
/// out, and no `null`s at the end.
#[derive(Default)]
struct Array {
    out: Vec<u8>,
    /// The first field's name and value, as JSON.
    subject: Option<(&'static str, Vec<u8>)>,
    /// The last field's value, if it is a tick.
    tick: Option<u64>,
    /// Whether any field was left out.
    skipped: bool,
    /// The field before this one, not yet written (the last one is the tick): its name, or
    /// none if it was left out, and its value in `held_json`.
    held: Option<Option<&'static str>>,
    held_json: Vec<u8>,
    /// `null`s not yet written, which only a value after them writes.
    nulls: usize,
    values: usize,
}

impl Array {
    /// Writes the field held back, now that another follows it.
    fn release(&mut self) {
        match self.held.take() {
            Some(Some(_)) => {
                self.out.push(if self.values == 0 { b'[' } else { b',' });
                for _ in 0..self.nulls {
                    self.out.extend_from_slice(b"null,");
                }
                self.nulls = 0;
                self.values += 1;
                self.out.extend_from_slice(&self.held_json);
            }
            Some(None) => self.nulls += 1,
            None => {}
        }
    }
}

fn refuse() -> serde_json::Error {
    ser::Error::custom("only a struct has a compact form")
}

impl ser::SerializeStruct for Array {
    type Ok = Array;
    type Error = serde_json::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        if self.subject.is_none() {
            self.subject = Some((key, serde_json::to_vec(value)?));
            return Ok(());
        }
        self.release();
        self.held_json.clear();
        serde_json::to_writer(&mut self.held_json, value)?;
        self.held = Some(Some(key));
        Ok(())
    }

    fn skip_field(&mut self, _: &'static str) -> Result<(), serde_json::Error> {
        if self.subject.is_none() {
            return Err(refuse());
        }
        self.skipped = true;
        self.release();
        self.held = Some(None);
        Ok(())
    }

    fn end(mut self) -> Result<Array, serde_json::Error> {
        if self.held != Some(Some("tick")) {
            return Err(refuse());
        }
        self.tick = serde_json::from_slice(&self.held_json).ok();
        if self.values == 0 {
            self.out.push(b'[');
        }
        self.out.push(b']');
        Ok(self)
    }
}

impl ser::Serializer for Array {
    type Ok = Array;
    type Error = serde_json::Error;
    type SerializeSeq = ser::Impossible<Array, serde_json::Error>;
    type SerializeTuple = ser::Impossible<Array, serde_json::Error>;
    type SerializeTupleStruct = ser::Impossible<Array, serde_json::Error>;
    type SerializeTupleVariant = ser::Impossible<Array, serde_json::Error>;
    type SerializeMap = ser::Impossible<Array, serde_json::Error>;
    type SerializeStruct = Array;
    type SerializeStructVariant = ser::Impossible<Array, serde_json::Error>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Array, serde_json::Error> {
        Ok(self)
    }

    fn serialize_bool(self, _: bool) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_i8(self, _: i8) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_i16(self, _: i16) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_i32(self, _: i32) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_i64(self, _: i64) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_u8(self, _: u8) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_u16(self, _: u16) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_u32(self, _: u32) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_u64(self, _: u64) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_f32(self, _: f32) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_f64(self, _: f64) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_char(self, _: char) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_str(self, _: &str) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_none(self) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_unit(self) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Array, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, serde_json::Error> {
        Err(refuse())
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

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
}
