//! A cache kept beside a field: not part of what the field is.

use std::ops::{Deref, DerefMut};

/// What a field works out and keeps (way-finding searches, sights): two fields are equal
/// whatever their caches hold, and printing a field leaves them out.
#[derive(Default, Clone)]
pub struct Unseen<T>(pub T);

impl<T> PartialEq for Unseen<T> {
    fn eq(&self, _: &Unseen<T>) -> bool {
        true
    }
}

impl<T> Eq for Unseen<T> {}

impl<T> std::fmt::Debug for Unseen<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("(a cache)")
    }
}

impl<T> Deref for Unseen<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Unseen<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}
