//! The one integration test binary: scenarios, the command line and the save file.

/// Counts the heap of threads that ask it to, as the binary does, so tests can bound memory.
#[global_allocator]
static HEAP: lunar::alloc::Counting = lunar::alloc::Counting;

mod architecture;
mod cache;
mod cli;
mod crash;
mod damage;
mod fixtures;
mod hostile;
mod install;
mod live;
mod missions;
mod playback;
mod pty;
mod replay;
mod resume;
mod robots;
mod safety;
mod sandbox;
mod scenarios;
mod store;
mod study;
mod support;
