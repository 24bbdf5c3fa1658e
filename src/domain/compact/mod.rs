//! The compact form of an event's data, as schema 4 saves store it.
//!
//! An event's JSON object repeats its field names in every row and carries two values the row
//! already holds: the subject's id (the stream says it) and the tick (a column says it). The
//! compact form is a JSON array of the other fields' values in declaration order, `null` for a
//! field left out before one that is kept, and nothing for those left out at the end, which
//! serde reads back into the struct once the subject (its first field) and the tick (wherever
//! it stands) are put back, the fields the array stops short of taking their defaults. It is
//! used only when it reads back into the very same event; anything else (a field skipped where
//! `null` does not mean its default, a struct whose first field is not its subject) is stored as
//! the plain object, which reads back as it always has. The structs among the values are
//! arrays too where they read back so ([`nested`]), objects where they do not; both forms read
//! back the same way, so rows written before and after sit in one save.

mod nested;
#[cfg(test)]
mod tests;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, SeqAccess,
    Visitor,
};
use serde::{Serialize, ser};
use std::cell::Cell;

use nested::Positional;

/// `value` in its compact form, or as its JSON object when that form would not read back
/// equal. `subject` is the id its stream names. The structs within are written as arrays too
/// (see [`nested`]) where that reads back equal, and as objects where it does not.
pub fn encode<T>(value: &T, subject_field: &str, subject: &str, tick: u64) -> String
where
    T: Serialize + DeserializeOwned + PartialEq,
{
    let compact = |positional: bool| {
        let arrays = Cell::new(false);
        value
            .serialize(Array {
                positional: positional.then_some(&arrays),
                ..Array::default()
            })
            .ok()
            .filter(|array| {
                array.subject
                    == Some((subject_field, serde_json::to_vec(subject).unwrap_or_default()))
                    && array.tick == Some(tick)
                    // A field left out reads back as `null`, which is its value only if it says
                    // so; a struct within reads back from an array only if it is derived so.
                    && (!(array.skipped || arrays.get())
                        || decode::<T>(&array.out, subject, tick).ok().as_ref() == Some(value))
            })
            .map(|array| array.out)
    };
    match compact(true).or_else(|| compact(false)) {
        Some(out) => String::from_utf8(out).unwrap_or_default(),
        // Plain structs of strings, integers and maps with string keys always serialize.
        None => serde_json::to_string(value).unwrap_or_default(),
    }
}

/// Reads either form back: an array is read as the struct's fields, its subject first and its
/// tick where the struct declares it, fields it stops short of left to their defaults; an
/// object is read as it is.
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

/// A deserializer that hands a struct its subject, its tick where it stands, and the stored
/// array's values for the rest, in order.
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
        let tick_at = fields
            .iter()
            .position(|field| *field == "tick")
            .ok_or_else(|| de::Error::custom("an event has a tick"))?;
        self.json.deserialize_seq(Around {
            visitor,
            fields: fields.len(),
            tick_at,
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
    tick_at: usize,
    subject: &'j str,
    tick: u64,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Around<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of an event's fields")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, stored: A) -> Result<V::Value, A::Error> {
        let mut elements = Elements {
            stored,
            next: 0,
            fields: self.fields,
            tick_at: self.tick_at,
            more: true,
            subject: self.subject,
            tick: self.tick,
        };
        let value = self.visitor.visit_seq(&mut elements)?;
        if elements.more && elements.stored.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("more values than the event has fields"));
        }
        Ok(value)
    }
}

struct Elements<'j, A> {
    stored: A,
    next: usize,
    fields: usize,
    tick_at: usize,
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
        if index == self.tick_at {
            return seed.deserialize(self.tick.into_deserializer()).map(Some);
        }
        if index >= self.fields || !self.more {
            return Ok(None);
        }
        let value = self.stored.next_element_seed(seed)?;
        self.more = value.is_some();
        Ok(value)
    }
}

/// A struct written as the compact array: its first field (the subject) and its tick set aside
/// for checking, the others' values in order, `null` for a field the struct leaves out before
/// one it keeps, and nothing for those it leaves out at the end.
#[derive(Default)]
struct Array<'f> {
    out: Vec<u8>,
    /// Set when the structs within are written as arrays, and set through once one is.
    positional: Option<&'f Cell<bool>>,
    /// The first field's name and value, as JSON.
    subject: Option<(&'static str, Vec<u8>)>,
    /// The tick field's value.
    tick: Option<u64>,
    /// Whether any field was left out.
    skipped: bool,
    /// `null`s not yet written, which only a value after them writes.
    nulls: usize,
    values: usize,
}

fn refuse() -> serde_json::Error {
    ser::Error::custom("only a struct with a subject and a tick has a compact form")
}

impl<'f> ser::SerializeStruct for Array<'f> {
    type Ok = Array<'f>;
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
        if key == "tick" {
            self.tick = Some(serde_json::from_value(serde_json::to_value(value)?)?);
            return Ok(());
        }
        self.out.push(if self.values == 0 { b'[' } else { b',' });
        for _ in 0..self.nulls {
            self.out.extend_from_slice(b"null,");
        }
        self.nulls = 0;
        self.values += 1;
        match self.positional {
            Some(arrays) => value.serialize(Positional {
                inner: &mut serde_json::Serializer::new(&mut self.out),
                arrays,
            }),
            None => serde_json::to_writer(&mut self.out, value),
        }
    }

    fn skip_field(&mut self, _: &'static str) -> Result<(), serde_json::Error> {
        if self.subject.is_none() {
            return Err(refuse());
        }
        self.skipped = true;
        self.nulls += 1;
        Ok(())
    }

    fn end(mut self) -> Result<Array<'f>, serde_json::Error> {
        if self.tick.is_none() {
            return Err(refuse());
        }
        if self.values == 0 {
            self.out.push(b'[');
        }
        self.out.push(b']');
        Ok(self)
    }
}

impl<'f> ser::Serializer for Array<'f> {
    type Ok = Array<'f>;
    type Error = serde_json::Error;
    type SerializeSeq = ser::Impossible<Array<'f>, serde_json::Error>;
    type SerializeTuple = ser::Impossible<Array<'f>, serde_json::Error>;
    type SerializeTupleStruct = ser::Impossible<Array<'f>, serde_json::Error>;
    type SerializeTupleVariant = ser::Impossible<Array<'f>, serde_json::Error>;
    type SerializeMap = ser::Impossible<Array<'f>, serde_json::Error>;
    type SerializeStruct = Array<'f>;
    type SerializeStructVariant = ser::Impossible<Array<'f>, serde_json::Error>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Array<'f>, serde_json::Error> {
        Ok(self)
    }

    fn serialize_bool(self, _: bool) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_i8(self, _: i8) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_i16(self, _: i16) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_i32(self, _: i32) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_i64(self, _: i64) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_u8(self, _: u8) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_u16(self, _: u16) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_u32(self, _: u32) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_u64(self, _: u64) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_f32(self, _: f32) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_f64(self, _: f64) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_char(self, _: char) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_str(self, _: &str) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_none(self) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_unit(self) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Array<'f>, serde_json::Error> {
        Err(refuse())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Array<'f>, serde_json::Error> {
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
