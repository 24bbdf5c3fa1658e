//! Showing a value someone typed back to them.

/// The longest part of a value echoed back in a message.
const QUOTE_CHARS: usize = 40;

/// A value echoed back in a message: quoted with its control characters escaped, and cut
/// short when long, so a huge or hostile value never floods or garbles the terminal.
pub fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        None => format!("{text:?}"),
        Some((cut, _)) => format!("{:?}... ({} bytes in all)", &text[..cut], text.len()),
    }
}

/// Whether a name (of a colony, a player) is fit to keep: 1 to `max` characters, none of them
/// a control character, and no blank at either end.
pub fn check_name(what: &str, name: &str, max: usize) -> Result<(), String> {
    let count = name.chars().count();
    if count == 0 || count > max {
        return Err(format!(
            "{what} {} must be 1 to {max} characters long",
            quoted(name)
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(format!("{what} {} holds a control character", quoted(name)));
    }
    if name.trim() != name {
        return Err(format!(
            "{what} {} starts or ends with a blank",
            quoted(name)
        ));
    }
    Ok(())
}
/// "a Headquarters", "an Oxygen Generator".
pub fn with_article(name: &str) -> String {
    let vowel = name
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {name}", if vowel { "an" } else { "a" })
}
