//! Metering: integrates piecewise-constant power exactly between events (the meter), bins the
//! segments into output intervals and totals (the recorder), and charges any constant-power
//! consumer from two meter snapshots (attribution). Knows nothing of jobs, pools or files.

pub mod attribution;
pub mod integrate;
pub mod recorder;

pub use attribution::attribute;
pub use integrate::{Accumulators, Meter, PowerState, Pricer, Rates};
pub use recorder::{HourUse, HourlyBins, IntervalRecorder, Recorder, Segment};
