//! A script line in words: values in quotes, `key=value` options, and where each stands.

use crate::domain::event::Event;
use crate::domain::ids::{BuildingId, RobotId};
use crate::domain::text::quoted;
use crate::scenario::script::{Location, ParseError};
use std::collections::BTreeMap;

pub(super) struct Token<'a> {
    pub(super) text: std::borrow::Cow<'a, str>,
    pub(super) column: usize,
}

/// Splits a line into tokens, dropping a trailing comment.
pub(super) fn tokenize<'a>(
    line: &'a str,
    fail: &dyn Fn(usize, String) -> ParseError,
) -> Result<Vec<Token<'a>>, ParseError> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c == '#' {
            break;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let column = i + 1;
        let mut quoted = String::new();
        let mut has_quote = false;
        let mut end = start;
        while i < chars.len() {
            let (at, c) = chars[i];
            if c == '"' {
                has_quote = true;
                i += 1;
                let mut closed = false;
                while i < chars.len() {
                    let (_, q) = chars[i];
                    i += 1;
                    match q {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => match chars.get(i) {
                            Some((_, e @ ('"' | '\\'))) => {
                                quoted.push(*e);
                                i += 1;
                            }
                            _ => {
                                return Err(fail(
                                    i,
                                    "inside quotes, a backslash starts \\\" (a quote) or \\\\ \
                                     (a backslash)"
                                        .into(),
                                ));
                            }
                        },
                        q => quoted.push(q),
                    }
                }
                if !closed {
                    return Err(fail(column, "a quoted value is never closed".into()));
                }
                end = chars.get(i).map_or(line.len(), |(at, _)| *at);
                continue;
            }
            if c.is_whitespace() || c == '#' {
                break;
            }
            quoted.push(c);
            i += 1;
            end = at + c.len_utf8();
        }
        let text = if has_quote {
            std::borrow::Cow::Owned(quoted)
        } else {
            std::borrow::Cow::Borrowed(&line[start..end])
        };
        tokens.push(Token { text, column });
    }
    Ok(tokens)
}

/// The words and `key=value` options of one statement, consumed as the parser reads them.
pub(super) struct Args<'a> {
    pub(super) words: Vec<&'a Token<'a>>,
    pub(super) options: BTreeMap<String, (String, usize)>,
    pub(super) end_column: usize,
    /// The text after `<<END`, when the statement has one, until a statement takes it.
    pub(super) text: Option<String>,
}

pub(super) struct LineParser<'a> {
    pub(super) file: &'a str,
    pub(super) line: usize,
}

impl LineParser<'_> {
    pub(super) fn error(&self, column: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            file: self.file.to_owned(),
            at: Location {
                line: self.line,
                column,
            },
            message: message.into(),
        }
    }

    pub(super) fn args<'t>(
        &self,
        tokens: &'t [Token<'t>],
        end_column: usize,
    ) -> Result<Args<'t>, ParseError> {
        let mut words = Vec::new();
        let mut options = BTreeMap::new();
        for token in tokens {
            // A comparison stands alone as a word, however much it looks like an option.
            let comparison = matches!(token.text.as_ref(), ">=" | "<=" | "==");
            match token.text.split_once('=').filter(|_| !comparison) {
                Some((key, value)) => {
                    if key.is_empty() {
                        return Err(self.error(token.column, "an option needs a name before '='"));
                    }
                    let value_column = token.column + key.chars().count() + 1;
                    if options
                        .insert(key.to_owned(), (value.to_owned(), value_column))
                        .is_some()
                    {
                        return Err(
                            self.error(token.column, format!("option {key} is given twice"))
                        );
                    }
                }
                None => words.push(token),
            }
        }
        Ok(Args {
            words,
            options,
            end_column,
            text: None,
        })
    }

    pub(super) fn number<T: std::str::FromStr>(
        &self,
        text: &str,
        column: usize,
        what: &str,
    ) -> Result<T, ParseError> {
        text.parse()
            .map_err(|_| self.error(column, format!("expected {what}, found {}", quoted(text))))
    }
}

impl Args<'_> {
    pub(super) fn take(&mut self, key: &str) -> Option<(String, usize)> {
        self.options.remove(key)
    }

    pub(super) fn take_number<T: std::str::FromStr>(
        &mut self,
        p: &LineParser<'_>,
        key: &str,
        what: &str,
    ) -> Result<Option<T>, ParseError> {
        match self.take(key) {
            None => Ok(None),
            Some((value, column)) => p.number(&value, column, what).map(Some),
        }
    }

    pub(super) fn take_flag(&mut self, word: &str) -> bool {
        let before = self.words.len();
        self.words.retain(|w| w.text != word);
        self.words.len() != before
    }

    /// Fails on anything the statement did not consume.
    pub(super) fn finish(
        self,
        p: &LineParser<'_>,
        statement: &str,
        allowed: &str,
    ) -> Result<(), ParseError> {
        if let Some(word) = self.words.first() {
            return Err(p.error(
                word.column,
                format!(
                    "unexpected {} in {statement}; expected {allowed}",
                    quoted(&word.text)
                ),
            ));
        }
        if self.text.is_some() {
            return Err(p.error(
                self.end_column,
                format!("{statement} takes no text after <<; expected {allowed}"),
            ));
        }
        if let Some((key, (_, column))) = self.options.iter().next() {
            let key_column = column - key.chars().count() - 1;
            return Err(p.error(
                key_column,
                format!("unknown option {key} for {statement}; expected {allowed}"),
            ));
        }
        Ok(())
    }
}

/// The first word left on a line, which `statement` needs as `expected`.
pub(super) fn first_word<'a>(
    p: &LineParser<'_>,
    args: &mut Args<'a>,
    statement: &str,
    expected: &str,
) -> Result<&'a Token<'a>, ParseError> {
    if args.words.is_empty() {
        return Err(p.error(args.end_column, format!("{statement} needs {expected}")));
    }
    Ok(args.words.remove(0))
}

/// `x,y` as a place on the map.
pub(super) fn coordinates(
    p: &LineParser<'_>,
    value: &str,
    column: usize,
) -> Result<(i32, i32), ParseError> {
    let bad = || {
        p.error(
            column,
            format!("expected coordinates x,y, found {}", quoted(value)),
        )
    };
    let (x, y) = value.split_once(',').ok_or_else(bad)?;
    Ok((
        x.trim().parse().map_err(|_| bad())?,
        y.trim().parse().map_err(|_| bad())?,
    ))
}

pub(super) fn building_id(
    p: &LineParser<'_>,
    value: &str,
    column: usize,
) -> Result<BuildingId, ParseError> {
    BuildingId::parse(value).map_err(|e| p.error(column, e))
}

pub(super) fn robot_id(
    p: &LineParser<'_>,
    value: &str,
    column: usize,
) -> Result<RobotId, ParseError> {
    RobotId::parse(value).map_err(|e| p.error(column, e))
}

/// An event type the engine writes, by its name.
pub(super) fn event_type(p: &LineParser<'_>, token: &Token<'_>) -> Result<String, ParseError> {
    if Event::TYPES.contains(&token.text.as_ref()) {
        Ok(token.text.to_string())
    } else {
        Err(p.error(
            token.column,
            format!(
                "unknown event type {}; expected one of {}",
                quoted(&token.text),
                Event::TYPES.join(", ")
            ),
        ))
    }
}
