//! The discrete-event engine: the event queue (integer time, insertion order on ties), seeded
//! random streams and reusable tables. No I/O and no model knowledge happens here.

pub mod queue;
pub mod rng;
pub mod slab;

pub use queue::EventQueue;
