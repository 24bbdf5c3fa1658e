//! How a command fails, and the exit code that says why.

/// A command that did not succeed, and the exit code that says why.
pub(super) enum Failure {
    /// Exit 1: the work ran, and a check it made failed.
    Check(String),
    /// Exit 2: the input was wrong; nothing was changed.
    Input(String),
}

impl<E: std::error::Error> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::Input(e.to_string())
    }
}
