//! What a robot keeps between ticks, and how it crosses between Rhai and the log.

use rhai::{Dynamic, ImmutableString, Map};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::domain::program::faults::article;
use crate::domain::program::limits::{MAX_MEMORY_BYTES, MAX_NESTING};

/// A robot's memory: what its program keeps from one tick to the next.
pub type Memory = BTreeMap<String, Value>;

/// A value a program can keep in memory.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Value {
    Unit(()),
    Bool(bool),
    Int(i64),
    Text(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
}

impl Value {
    /// How many arrays and maps deep it nests: 0 for a number or text.
    pub fn depth(&self) -> usize {
        match self {
            Value::List(items) => 1 + items.iter().map(Value::depth).max().unwrap_or(0),
            Value::Map(map) => 1 + map.values().map(Value::depth).max().unwrap_or(0),
            _ => 0,
        }
    }
}

pub(crate) fn to_dynamic(value: &Value) -> Dynamic {
    match value {
        Value::Unit(()) => Dynamic::UNIT,
        Value::Bool(b) => (*b).into(),
        Value::Int(n) => (*n).into(),
        Value::Text(s) => s.clone().into(),
        Value::List(items) => items.iter().map(to_dynamic).collect::<Vec<_>>().into(),
        Value::Map(map) => to_dynamic_map(map).into(),
    }
}

pub(crate) fn to_dynamic_map(memory: &BTreeMap<String, Value>) -> Map {
    memory
        .iter()
        .map(|(k, v)| (k.as_str().into(), to_dynamic(v)))
        .collect()
}

/// Checks what a robot would keep against memory's limits: its size as JSON, and how deep its
/// arrays and maps nest, so that every event carrying it reads back (a JSON reader refuses
/// values nested past its own limit).
/// Checks a value a robot sends against memory's limits, as `what` ("a message").
pub fn check_value(value: &Value, what: &str) -> Result<(), String> {
    let depth = value.depth();
    if depth > MAX_NESTING {
        return Err(format!(
            "{what} nests arrays and maps {depth} deep; at most {MAX_NESTING}"
        ));
    }
    let bytes = serde_json::to_string(value).map_or(usize::MAX, |s| s.len());
    if bytes > MAX_MEMORY_BYTES {
        return Err(format!(
            "{what} holds {bytes} bytes; at most {MAX_MEMORY_BYTES}"
        ));
    }
    Ok(())
}

pub fn check_memory(memory: &Memory) -> Result<(), String> {
    let depth = 1 + memory.values().map(Value::depth).max().unwrap_or(0);
    if depth > MAX_NESTING {
        return Err(format!(
            "memory nests arrays and maps {depth} deep; a robot keeps at most {MAX_NESTING}"
        ));
    }
    let bytes = serde_json::to_string(memory).map_or(usize::MAX, |s| s.len());
    if bytes > MAX_MEMORY_BYTES {
        return Err(format!(
            "memory holds {bytes} bytes; a robot keeps at most {MAX_MEMORY_BYTES}"
        ));
    }
    Ok(())
}

pub(crate) fn from_dynamic(value: &Dynamic) -> Result<Value, String> {
    if value.is_unit() {
        return Ok(Value::Unit(()));
    }
    if let Ok(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Ok(n) = value.as_int() {
        return Ok(Value::Int(n));
    }
    if let Some(s) = value.read_lock::<ImmutableString>() {
        return Ok(Value::Text(s.to_string()));
    }
    if let Some(items) = value.read_lock::<rhai::Array>() {
        return items
            .iter()
            .map(from_dynamic)
            .collect::<Result<_, _>>()
            .map(Value::List);
    }
    if let Some(map) = value.read_lock::<Map>() {
        return from_dynamic_map(&map).map(Value::Map);
    }
    Err(format!(
        "memory keeps numbers, text, true and false, arrays and maps, not {} {}",
        article(value.type_name()),
        value.type_name()
    ))
}

pub(crate) fn from_dynamic_map(map: &Map) -> Result<BTreeMap<String, Value>, String> {
    map.iter()
        .map(|(k, v)| Ok((k.to_string(), from_dynamic(v)?)))
        .collect()
}
