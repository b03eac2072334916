//! Metering: integrates piecewise-constant power exactly between events (the meter), bins the
//! segments into output intervals and totals (the recorder), and charges any constant-power
//! consumer from two meter snapshots (attribution). Knows nothing of jobs, pools or files.

pub mod attribution;
pub mod integrate;
pub mod recorder;

pub use attribution::attribute;

/// Kilowatts per microwatt [kW/µW]: draws are kept as whole µW, so sums are exact.
pub const KW_PER_UW: f64 = 1e-9;
/// Microwatts per watt [µW/W].
pub const UW_PER_W: f64 = 1e6;
pub use integrate::{Accumulators, Meter, PowerFlags, PowerState, Pricer, Rates, pue_at};
pub use recorder::{HourUse, HourlyBins, IntervalRecorder, Recorder, Segment};
