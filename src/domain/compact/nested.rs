//! The values inside a compact row, each struct among them written as the array of its fields'
//! values, as the row itself is.
//!
//! A colony tick carries its power and its stock: as JSON objects their nine field names were
//! two thirds of the row, read, hashed and parsed again on every replay. serde_json reads a
//! derived struct from an array as readily as from an object, so the array needs nothing new to
//! read it back (a save written before reads as it always has); whether it reads back equal is
//! for [`super::encode`] to check, as it checks the row's own left-out fields.

use serde::Serialize;
use serde::ser::{self, Serializer};
use std::cell::Cell;

/// Serializes through `inner`, each struct within written as an array; `arrays` is set once
/// one is.
pub(super) struct Positional<'f, S> {
    pub(super) inner: S,
    pub(super) arrays: &'f Cell<bool>,
}

/// A value to serialize positionally, wherever in the tree it stands.
struct Wrap<'a, 'f, T: ?Sized> {
    value: &'a T,
    arrays: &'f Cell<bool>,
}

impl<T: Serialize + ?Sized> Serialize for Wrap<'_, '_, T> {
    fn serialize<S: Serializer>(&self, inner: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(Positional {
            inner,
            arrays: self.arrays,
        })
    }
}

impl<'f, S> Positional<'f, S> {
    fn wrap<'a, T: ?Sized>(&self, value: &'a T) -> Wrap<'a, 'f, T> {
        Wrap {
            value,
            arrays: self.arrays,
        }
    }
}

/// Each sequence hands its elements on wrapped, so the structs among them are arrays too.
macro_rules! wrap_elements {
    ($($compound:ident :: $element:ident),*) => {$(
        impl<I: ser::$compound> ser::$compound for Positional<'_, I> {
            type Ok = I::Ok;
            type Error = I::Error;
            fn $element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), I::Error> {
                let value = self.wrap(value);
                self.inner.$element(&value)
            }
            fn end(self) -> Result<I::Ok, I::Error> {
                self.inner.end()
            }
        }
    )*};
}

wrap_elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// A struct's fields as an array's elements: `null` for a field left out before one kept (a
/// derived struct reads `null` as `None`, or the check refuses the form), nothing for those
/// left out at the end (read back as their defaults).
pub(super) struct Fields<'f, I> {
    elements: Positional<'f, I>,
    /// `null`s not yet written, which only a value after them writes.
    nulls: usize,
}

impl<'f, I> Fields<'f, I> {
    fn new(inner: I, arrays: &'f Cell<bool>) -> Self {
        arrays.set(true);
        Fields {
            elements: Positional { inner, arrays },
            nulls: 0,
        }
    }
}

/// A struct, or a struct variant, written as the tuple, or tuple variant, of its values.
macro_rules! fields_as_elements {
    ($($fields:ident over $elements:ident :: $element:ident),*) => {$(
        impl<I: ser::$elements> ser::$fields for Fields<'_, I> {
            type Ok = I::Ok;
            type Error = I::Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                _: &'static str,
                value: &T,
            ) -> Result<(), I::Error> {
                for _ in 0..std::mem::take(&mut self.nulls) {
                    ser::$elements::$element(&mut self.elements, &())?;
                }
                ser::$elements::$element(&mut self.elements, value)
            }

            fn skip_field(&mut self, _: &'static str) -> Result<(), I::Error> {
                self.nulls += 1;
                Ok(())
            }

            fn end(self) -> Result<I::Ok, I::Error> {
                ser::$elements::end(self.elements)
            }
        }
    )*};
}

fields_as_elements!(
    SerializeStruct over SerializeTuple::serialize_element,
    SerializeStructVariant over SerializeTupleVariant::serialize_field
);

impl<I: ser::SerializeMap> ser::SerializeMap for Positional<'_, I> {
    type Ok = I::Ok;
    type Error = I::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), I::Error> {
        let key = self.wrap(key);
        self.inner.serialize_key(&key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), I::Error> {
        let value = self.wrap(value);
        self.inner.serialize_value(&value)
    }
    fn end(self) -> Result<I::Ok, I::Error> {
        self.inner.end()
    }
}

impl<'f, S: Serializer> Serializer for Positional<'f, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Positional<'f, S::SerializeSeq>;
    type SerializeTuple = Positional<'f, S::SerializeTuple>;
    type SerializeTupleStruct = Positional<'f, S::SerializeTupleStruct>;
    type SerializeTupleVariant = Positional<'f, S::SerializeTupleVariant>;
    type SerializeMap = Positional<'f, S::SerializeMap>;
    type SerializeStruct = Fields<'f, S::SerializeTuple>;
    type SerializeStructVariant = Fields<'f, S::SerializeTupleVariant>;

    fn serialize_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Ok(Fields::new(self.inner.serialize_tuple(len)?, self.arrays))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        let inner = self
            .inner
            .serialize_tuple_variant(name, index, variant, len)?;
        Ok(Fields::new(inner, self.arrays))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        let arrays = self.arrays;
        Ok(Positional {
            inner: self.inner.serialize_seq(len)?,
            arrays,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        let arrays = self.arrays;
        Ok(Positional {
            inner: self.inner.serialize_tuple(len)?,
            arrays,
        })
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        let arrays = self.arrays;
        Ok(Positional {
            inner: self.inner.serialize_tuple_struct(name, len)?,
            arrays,
        })
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        let arrays = self.arrays;
        let inner = self
            .inner
            .serialize_tuple_variant(name, index, variant, len)?;
        Ok(Positional { inner, arrays })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        let arrays = self.arrays;
        Ok(Positional {
            inner: self.inner.serialize_map(len)?,
            arrays,
        })
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        let value = self.wrap(value);
        self.inner.serialize_some(&value)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        let value = self.wrap(value);
        self.inner.serialize_newtype_struct(name, &value)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        let value = self.wrap(value);
        self.inner
            .serialize_newtype_variant(name, index, variant, &value)
    }

    fn serialize_bool(self, v: bool) -> Result<S::Ok, S::Error> {
        self.inner.serialize_bool(v)
    }
    fn serialize_i8(self, v: i8) -> Result<S::Ok, S::Error> {
        self.inner.serialize_i8(v)
    }
    fn serialize_i16(self, v: i16) -> Result<S::Ok, S::Error> {
        self.inner.serialize_i16(v)
    }
    fn serialize_i32(self, v: i32) -> Result<S::Ok, S::Error> {
        self.inner.serialize_i32(v)
    }
    fn serialize_i64(self, v: i64) -> Result<S::Ok, S::Error> {
        self.inner.serialize_i64(v)
    }
    fn serialize_i128(self, v: i128) -> Result<S::Ok, S::Error> {
        self.inner.serialize_i128(v)
    }
    fn serialize_u8(self, v: u8) -> Result<S::Ok, S::Error> {
        self.inner.serialize_u8(v)
    }
    fn serialize_u16(self, v: u16) -> Result<S::Ok, S::Error> {
        self.inner.serialize_u16(v)
    }
    fn serialize_u32(self, v: u32) -> Result<S::Ok, S::Error> {
        self.inner.serialize_u32(v)
    }
    fn serialize_u64(self, v: u64) -> Result<S::Ok, S::Error> {
        self.inner.serialize_u64(v)
    }
    fn serialize_u128(self, v: u128) -> Result<S::Ok, S::Error> {
        self.inner.serialize_u128(v)
    }
    fn serialize_f32(self, v: f32) -> Result<S::Ok, S::Error> {
        self.inner.serialize_f32(v)
    }
    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        self.inner.serialize_f64(v)
    }
    fn serialize_char(self, v: char) -> Result<S::Ok, S::Error> {
        self.inner.serialize_char(v)
    }
    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        self.inner.serialize_str(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<S::Ok, S::Error> {
        self.inner.serialize_bytes(v)
    }
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_none()
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit()
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_struct(name)
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_variant(name, index, variant)
    }
    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}
