//! `lunar schema`: one JSON Schema (2020-12) for a line of `lunar events --json`, every stored
//! event type's data generated from its Rust type.

use serde_json::{Value, json};

use crate::domain::event::Event;
use crate::engine::envelope::Metadata;

/// The schema, as one JSON document.
pub fn events_line() -> Value {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let metadata = generator.subschema_for::<Metadata>();
    let cases: Vec<Value> = Event::data_schemas(&mut generator)
        .into_iter()
        .map(|(name, data)| {
            json!({
                "if": { "properties": { "type": { "const": name } } },
                "then": { "properties": { "data": data } }
            })
        })
        .collect();
    let definitions: serde_json::Map<String, Value> =
        generator.take_definitions(true).into_iter().collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:lunar-frontiers:schema:events-line",
        "title": "A line of `lunar events --json`: one stored event",
        "type": "object",
        "required": ["seq", "id", "stream", "version", "type", "tick", "data", "metadata"],
        "additionalProperties": false,
        "properties": {
            "seq": { "description": "Its place in the log, from 1, without gaps.", "type": "integer", "minimum": 1 },
            "id": { "type": "string", "format": "uuid" },
            "stream": { "description": "The aggregate it belongs to: game-, bldg-, colony- or robot-.", "type": "string" },
            "version": { "description": "Its place in its stream, from 1.", "type": "integer", "minimum": 1 },
            "type": { "enum": Event::TYPES },
            "tick": { "type": "integer", "minimum": 0 },
            "data": { "type": "object" },
            "metadata": metadata
        },
        "allOf": cases,
        "$defs": definitions
    })
}
