//! Which fields of a value are filled in, read through its `Serialize` impl, so
//! that no list of field names is kept by hand.
//!
//! A field counts as filled unless it is absent (`None`) or an empty list. Only
//! the field names and those two facts are looked at: no value is copied, which
//! matters because every node of every procedure is looked at on each check.

use std::fmt;

use serde::ser::{self, Impossible, Serialize, SerializeStruct, Serializer};

/// The names of the fields of `value` (a struct) that are filled in, in order.
/// Anything but a struct has none.
pub fn filled_fields<T: Serialize>(value: &T) -> Vec<&'static str> {
    value.serialize(Fields::default()).unwrap_or_default()
}

/// Why probing stopped: never for a struct of plain data, which is all this is used on.
#[derive(Debug)]
pub struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a struct")
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Stop
    }
}

/// Collects the filled-in field names of one struct.
#[derive(Default)]
struct Fields(Vec<&'static str>);

impl SerializeStruct for Fields {
    type Ok = Vec<&'static str>;
    type Error = Stop;

    fn serialize_field<V: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), Stop> {
        if value.serialize(IsFilled)? {
            self.0.push(key);
        }
        Ok(())
    }

    fn end(self) -> Result<Self::Ok, Stop> {
        Ok(self.0)
    }
}

/// Declines everything but a struct: any other value has no fields.
macro_rules! not_a_struct {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Stop> { Err(Stop) })*
    };
}

impl Serializer for Fields {
    type Ok = Vec<&'static str>;
    type Error = Stop;
    type SerializeSeq = Impossible<Self::Ok, Stop>;
    type SerializeTuple = Impossible<Self::Ok, Stop>;
    type SerializeTupleStruct = Impossible<Self::Ok, Stop>;
    type SerializeTupleVariant = Impossible<Self::Ok, Stop>;
    type SerializeMap = Impossible<Self::Ok, Stop>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<Self::Ok, Stop>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Stop> {
        Ok(self)
    }

    not_a_struct!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<V: Serialize + ?Sized>(self, _: &V) -> Result<Self::Ok, Stop> {
        Err(Stop)
    }
    fn serialize_newtype_struct<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &V,
    ) -> Result<Self::Ok, Stop> {
        Err(Stop)
    }
    fn serialize_newtype_variant<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &V,
    ) -> Result<Self::Ok, Stop> {
        Err(Stop)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
        Err(Stop)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
        Err(Stop)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Stop> {
        Err(Stop)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Stop> {
        Err(Stop)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Stop> {
        Err(Stop)
    }
}

/// Whether one field's value is filled in. It answers from the value's outermost
/// shape alone (`None`, or a list with no items) and never serialises what is inside.
struct IsFilled;

/// Every value that is not `None` or an empty list is filled in.
macro_rules! filled {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<bool, Stop> { Ok(true) })*
    };
}

impl Serializer for IsFilled {
    type Ok = bool;
    type Error = Stop;
    type SerializeSeq = Items;
    type SerializeTuple = Items;
    type SerializeTupleStruct = Items;
    type SerializeTupleVariant = Items;
    type SerializeMap = Items;
    type SerializeStruct = Items;
    type SerializeStructVariant = Items;

    fn serialize_none(self) -> Result<bool, Stop> {
        Ok(false)
    }

    /// A list is filled in when it has an item; the items themselves are not looked at.
    fn serialize_seq(self, _: Option<usize>) -> Result<Items, Stop> {
        Ok(Items { filled: false })
    }

    filled!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    /// `Some(value)` is as filled as `value`: `Some` of an empty list is not.
    fn serialize_some<V: Serialize + ?Sized>(self, value: &V) -> Result<bool, Stop> {
        value.serialize(IsFilled)
    }
    fn serialize_newtype_struct<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &V,
    ) -> Result<bool, Stop> {
        value.serialize(IsFilled)
    }
    fn serialize_newtype_variant<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &V,
    ) -> Result<bool, Stop> {
        Ok(true)
    }
    fn serialize_tuple(self, _: usize) -> Result<Items, Stop> {
        Ok(Items { filled: true })
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Items, Stop> {
        Ok(Items { filled: true })
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Items, Stop> {
        Ok(Items { filled: true })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Items, Stop> {
        Ok(Items { filled: true })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Items, Stop> {
        Ok(Items { filled: true })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Items, Stop> {
        Ok(Items { filled: true })
    }
}

/// A compound value being passed over: a list becomes filled at its first item;
/// maps, structs and tuples are filled whatever they hold.
struct Items {
    filled: bool,
}

impl ser::SerializeSeq for Items {
    type Ok = bool;
    type Error = Stop;
    fn serialize_element<V: Serialize + ?Sized>(&mut self, _: &V) -> Result<(), Stop> {
        self.filled = true;
        Ok(())
    }
    fn end(self) -> Result<bool, Stop> {
        Ok(self.filled)
    }
}

/// The other compound values: their contents are skipped, and they count as filled.
macro_rules! skip_contents {
    ($($trait:ident::$method:ident),* $(,)?) => {
        $(impl ser::$trait for Items {
            type Ok = bool;
            type Error = Stop;
            fn $method<V: Serialize + ?Sized>(&mut self, _: &V) -> Result<(), Stop> {
                Ok(())
            }
            fn end(self) -> Result<bool, Stop> {
                Ok(self.filled)
            }
        })*
    };
}

skip_contents!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

impl ser::SerializeMap for Items {
    type Ok = bool;
    type Error = Stop;
    fn serialize_key<V: Serialize + ?Sized>(&mut self, _: &V) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_value<V: Serialize + ?Sized>(&mut self, _: &V) -> Result<(), Stop> {
        Ok(())
    }
    fn end(self) -> Result<bool, Stop> {
        Ok(self.filled)
    }
}

/// Structs' contents are skipped too, field names and all.
macro_rules! skip_fields {
    ($($trait:ident),* $(,)?) => {
        $(impl ser::$trait for Items {
            type Ok = bool;
            type Error = Stop;
            fn serialize_field<V: Serialize + ?Sized>(
                &mut self,
                _: &'static str,
                _: &V,
            ) -> Result<(), Stop> {
                Ok(())
            }
            fn end(self) -> Result<bool, Stop> {
                Ok(self.filled)
            }
        })*
    };
}

skip_fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, Default)]
    struct Sample {
        absent: Option<String>,
        present: Option<String>,
        empty_list: Vec<u32>,
        list: Vec<u32>,
        text: String,
        nested: Option<Vec<String>>,
        map: std::collections::BTreeMap<String, u32>,
    }

    #[test]
    fn names_the_fields_that_are_filled_in() {
        let sample = Sample {
            present: Some(String::new()),
            list: vec![1],
            nested: Some(Vec::new()),
            ..Sample::default()
        };
        // An empty text and an empty map are given; an empty list, even inside
        // `Some`, is not.
        assert_eq!(filled_fields(&sample), ["present", "list", "text", "map"]);
    }

    #[test]
    fn a_value_that_is_not_a_struct_has_no_fields() {
        assert!(filled_fields(&vec![1, 2]).is_empty());
        assert!(filled_fields(&Some(3)).is_empty());
        assert!(filled_fields(&"text").is_empty());
    }
}
