//! Every limit a program runs within, set explicitly so that a debug and a release build stop
//! a program at the same place.

/// Operations a program may spend on one decision.
pub const MAX_OPERATIONS: u64 = 20_000;

/// The longest string a program may build, in bytes.
pub const MAX_STRING: usize = 256;

/// The most items in an array.
pub const MAX_ARRAY: usize = 256;

/// The most keys in a map.
pub const MAX_MAP: usize = 64;

/// From ruleset 2, the most items in an array, keys in a map and bytes in strings, counted over
/// everything an array or map holds, nested ones included (as Rhai counts): room for a list of
/// a big colony's buildings.
pub const MAX_ARRAY_2: usize = 1024;
pub const MAX_MAP_2: usize = 4096;
pub const MAX_STRING_2: usize = 16 * 1024;

/// The deepest chain of function calls.
pub const MAX_CALL_LEVELS: usize = 16;

/// The most a robot's memory may hold, as JSON.
pub const MAX_MEMORY_BYTES: usize = 2048;

/// How deep arrays and maps may nest in memory (memory itself is the first level): far more
/// than a program needs, and far less than a JSON reader's limit.
pub const MAX_NESTING: usize = 16;

/// The longest program source.
pub const MAX_SOURCE_BYTES: usize = 32 * 1024;

/// The most lines a robot may say in a tick (from ruleset 2; ruleset 1 kept the last).
pub const MAX_SAYS: usize = 8;
/// The most messages a robot may send in a tick.
pub const MAX_SENDS: usize = 8;
/// The longest line a robot may say, in characters.
pub const MAX_SAY_CHARS: usize = 80;
