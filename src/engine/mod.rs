//! The discrete-event engine: event queue, seeded random streams, and the meter that integrates
//! piecewise-constant power exactly and reports segments to a recorder. No I/O happens here.

pub mod meter;
pub mod queue;
pub mod recorder;
pub mod rng;
pub mod slab;

pub use meter::{Accumulators, Meter, PowerState, Pricer, Rates};
pub use queue::EventQueue;
pub use recorder::{IntervalRecorder, Recorder, Segment};
