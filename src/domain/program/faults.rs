//! A program's faults in words a player can act on.

use rhai::{EvalAltResult, Position};

use crate::domain::program::limits::{
    MAX_ARRAY, MAX_ARRAY_2, MAX_CALL_LEVELS, MAX_MAP, MAX_MAP_2, MAX_OPERATIONS, MAX_STRING,
    MAX_STRING_2,
};

pub(crate) fn place(position: Position) -> (usize, usize) {
    (
        position.line().unwrap_or(1),
        position.position().unwrap_or(1),
    )
}

pub(crate) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// A fault in words a player can act on, placed at `line:column`. Rhai's own words name its
/// internals ("Indexer unavailable: () [i64]"); for the faults players meet most, the words
/// name the expression in their program instead, read back from the source at that place.
/// Games of ruleset 1 recorded Rhai's words, and keep them, so that `verify` of such a game
/// re-runs to the very faults its log holds.
pub(crate) fn fault(error: &EvalAltResult, source: &str, ruleset: u32) -> String {
    if ruleset < 2 {
        return in_rhais_words(error);
    }
    explained(error, source)
}

/// Ruleset 1's faults: Rhai's words, after the place and the limit that was passed.
fn in_rhais_words(error: &EvalAltResult) -> String {
    let (line, column) = place(error.position());
    let what = match error {
        EvalAltResult::ErrorTooManyOperations(..) => {
            format!("ran past its budget of {MAX_OPERATIONS} operations a tick")
        }
        EvalAltResult::ErrorStackOverflow(..) => {
            format!("called functions more than {MAX_CALL_LEVELS} deep")
        }
        EvalAltResult::ErrorDataTooLarge(what, ..) => format!(
            "{what}: strings hold at most {MAX_STRING} bytes, arrays {MAX_ARRAY} items, \
             maps {MAX_MAP} keys"
        ),
        other => without_place(other),
    };
    format!("{line}:{column}: {what}")
}

/// Rhai's own words for an error, without the place it appends in parentheses.
fn without_place(error: &EvalAltResult) -> String {
    let text = error.to_string();
    match text.rfind(" (line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

fn explained(error: &EvalAltResult, source: &str) -> String {
    // A fault inside a function the program defined is placed where it happened, and says
    // which call it was in.
    if let EvalAltResult::ErrorInFunctionCall(name, _, inner, at) = error {
        let (line, column) = place(*at);
        return format!(
            "{} (in {name}, called at {line}:{column})",
            explained(inner, source)
        );
    }
    let (line, column) = place(error.position());
    let before = || expression_before(source, line, column);
    let what = match error {
        EvalAltResult::ErrorTooManyOperations(..) => {
            format!("ran past its budget of {MAX_OPERATIONS} operations a tick")
        }
        EvalAltResult::ErrorStackOverflow(..) => {
            format!("called functions more than {MAX_CALL_LEVELS} deep")
        }
        EvalAltResult::ErrorDataTooLarge(what, ..) => format!(
            "{what}: everything a value holds, counted together, is at most \
             {MAX_STRING_2} bytes of text, {MAX_ARRAY_2} array items and {MAX_MAP_2} map keys"
        ),
        EvalAltResult::ErrorIndexingType(what, ..) => {
            let kind = what.trim_start_matches("Indexer unavailable: ");
            let kind = kind.split(" [").next().unwrap_or(kind);
            match (before(), kind) {
                (Some(name), "()") => {
                    format!("{name} is not set (it is ()), so it cannot be indexed")
                }
                (Some(name), kind) => format!(
                    "{name} is {} {kind}, which cannot be indexed",
                    article(kind)
                ),
                (None, kind) => format!("{} {kind} cannot be indexed", article(kind)),
            }
        }
        EvalAltResult::ErrorFunctionNotFound(signature, ..) => {
            not_found(signature, source, line, column)
        }
        EvalAltResult::ErrorPropertyNotFound(name, ..) => format!("there is no {name}"),
        EvalAltResult::ErrorVariableNotFound(name, ..) => {
            format!("{name} is not defined here: `let {name} = ...` first")
        }
        EvalAltResult::ErrorDotExpr(text, ..) => property_fault(text, before()),
        EvalAltResult::ErrorRuntime(value, ..) => format!("the program threw: {value}"),
        other => without_place(other),
    };
    format!("{line}:{column}: {what}")
}

/// "Function not found: + ((), i64)" or "Function not found: sleep (i64)", in a player's words.
fn not_found(signature: &str, source: &str, line: usize, column: usize) -> String {
    let (name, types) = signature
        .trim_start_matches("Function not found: ")
        .split_once(" (")
        .map_or((signature, ""), |(name, rest)| {
            (name, rest.trim_end_matches(')'))
        });
    let operator = !name.starts_with(|c: char| c.is_alphanumeric() || c == '_');
    if operator {
        if types.split(", ").next() == Some("()")
            && let Some(left) = expression_before(source, line, column)
        {
            return format!("{left} is not set (it is ()), so {name} cannot use it");
        }
        if types.contains("()") {
            return format!("{name} cannot use () (a value not set), as in {name} ({types})");
        }
        return format!("{name} does not work on ({types})");
    }
    format!("there is no function {name}({types}): docs/robots.md lists what a program can call")
}

/// "Unknown property 'foo' - a getter is not registered for type 'Robot'" and the like.
fn property_fault(text: &str, expression: Option<String>) -> String {
    let quoted = |text: &str| text.split('\'').nth(1).map(str::to_owned);
    let property = quoted(text).unwrap_or_default();
    let on = text
        .rsplit("type '")
        .next()
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or("");
    let setting = text.starts_with("No writable property");
    match (on, expression) {
        ("()", Some(name)) if setting => {
            format!("{name} is not set (it is ()), so it has no .{property} to set")
        }
        ("()", Some(name)) => format!("{name} is not set (it is ()), so it has no .{property}"),
        ("Robot", _) => format!("me has no .{property}: docs/robots.md lists what a robot has"),
        ("World", _) => format!("world has no .{property}: docs/robots.md lists what it has"),
        (kind, _) => format!("{} {kind} has no .{property}", article(kind)),
    }
}

/// The expression that ends just before `line:column` of `source` (a variable, a property
/// chain such as `memory.ice`), if there is one.
fn expression_before(source: &str, line: usize, column: usize) -> Option<String> {
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let chars: Vec<char> = text.chars().take(column.saturating_sub(1)).collect();
    let end = chars.iter().rposition(|c| !c.is_whitespace())? + 1;
    let start = chars[..end]
        .iter()
        .rposition(|c| !(c.is_alphanumeric() || *c == '_' || *c == '.'))
        .map_or(0, |i| i + 1);
    let expression: String = chars[start..end].iter().collect();
    let trimmed = expression.trim_matches('.');
    (!trimmed.is_empty() && !trimmed.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| trimmed.to_owned())
}
