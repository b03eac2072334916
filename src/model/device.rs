//! A device (accelerator) as the simulation sees it: idle and maximum draw, power curve, peak
//! throughput and memory.

use super::power::PowerCurve;

/// A validated device.
#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    /// Device id (catalog model name or the scenario's own name).
    pub id: String,
    /// Idle draw [W].
    pub idle_w: f64,
    /// Maximum draw [W].
    pub max_w: f64,
    /// Peak dense BF16/FP16 throughput [TFLOPS] (0 when unknown).
    pub peak_tflops: f64,
    /// Accelerator memory [GB] (0 when unknown).
    pub memory_gb: f64,
    /// Power against utilisation.
    pub curve: PowerCurve,
    /// Embodied carbon of one device [kgCO2e] (0 when unknown).
    pub embodied_kg: f64,
    /// Service life over which embodied carbon is amortised [years].
    pub lifetime_years: f64,
    /// Relative throughput for hardware-independent work (peak TFLOPS unless overridden).
    pub relative_throughput: f64,
}

impl Device {
    /// Draw [W] at utilisation `u` [0..1].
    #[inline]
    pub fn power_w(&self, u: f64) -> f64 {
        self.curve.power_w(self.idle_w, self.max_w, u)
    }
}
