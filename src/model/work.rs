//! Hardware-independent job sizes: a run time on a reference device, or total FLOPs at an
//! achieved share of peak (model FLOPs utilisation). The device a job lands on turns the size
//! into wall time through its relative throughput.

use super::device::Device;
use crate::time::SimTime;

/// How a job's size is stated.
#[derive(Debug, Clone, PartialEq)]
pub enum Work {
    /// The stated duration is the wall time on any device.
    WallTime,
    /// The stated duration is the run time on a reference device of the given throughput.
    Reference {
        /// Reference device id.
        device: String,
        /// Its relative throughput.
        throughput: f64,
    },
    /// Total floating-point operations at an achieved share of the device's peak.
    Flops {
        /// Total work [FLOP].
        flops: f64,
        /// Model FLOPs utilisation (0..1].
        mfu: f64,
    },
    /// Each job's own drawn size, its stated size in GFLOP (1e9 FLOP), at an achieved share
    /// of the device's peak (a workload sized in FLOPs).
    DrawnFlops {
        /// Model FLOPs utilisation (0..1].
        mfu: f64,
    },
}

/// FLOP in one unit of a [`Work::DrawnFlops`] job's stated size.
pub const FLOP_PER_SIZE_UNIT: f64 = 1e9;

impl Work {
    /// The work of a job of stated size `base` [FLOP], when sized in FLOPs.
    pub fn flops(&self, base: SimTime) -> Option<f64> {
        match self {
            Work::Flops { flops, .. } => Some(*flops),
            Work::DrawnFlops { .. } => Some(base as f64 * FLOP_PER_SIZE_UNIT),
            _ => None,
        }
    }
}

/// Relative throughput of devices for one job or workload: per-device overrides (e.g.
/// memory-bound inference, which does not scale with peak FLOPS), else the device's own
/// `relative_throughput` (its peak TFLOPS unless overridden).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Speeds {
    /// (device id, relative throughput) overrides.
    pub overrides: Vec<(String, f64)>,
}

impl Speeds {
    /// Relative throughput of `device`.
    pub fn of(&self, device: &Device) -> f64 {
        self.overrides
            .iter()
            .find(|(id, _)| *id == device.id)
            .map_or(device.relative_throughput, |(_, s)| *s)
    }

    /// Relative throughput of the device with id `id` whose own figure is `default`.
    pub fn of_id(&self, id: &str, default: f64) -> f64 {
        self.overrides
            .iter()
            .find(|(d, _)| d == id)
            .map_or(default, |(_, s)| *s)
    }
}

/// Wall time [ms] of a job with stated size `base_ms` (a run time [ms], or GFLOP for
/// [`Work::DrawnFlops`]; `work` says which) on `devices` × `device`, slowed by
/// `slowdown` (≥ 1, e.g. from a power cap). At least 1 ms.
#[inline]
pub fn wall_ms(
    work: &Work,
    base_ms: SimTime,
    speeds: &Speeds,
    device: &Device,
    devices: u32,
    slowdown: f64,
) -> SimTime {
    if matches!(work, Work::WallTime) && slowdown == 1.0 {
        // The common case, as below but without the f64 round trip (which is exact below
        // 2^53 ms; only service replicas, which run until scaled in, are longer).
        return base_ms.max(1);
    }
    let ms = match work {
        Work::WallTime => base_ms as f64,
        Work::Reference {
            device: id,
            throughput,
        } => base_ms as f64 * speeds.of_id(id, *throughput) / speeds.of(device),
        Work::Flops { flops, mfu } => {
            let rate = devices as f64 * device.peak_tflops * 1e12 * mfu;
            flops / rate * 1000.0
        }
        Work::DrawnFlops { mfu } => {
            let rate = devices as f64 * device.peak_tflops * 1e12 * mfu;
            base_ms as f64 * FLOP_PER_SIZE_UNIT / rate * 1000.0
        }
    };
    crate::time::round_u64(ms * slowdown).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::power::PowerCurve;

    fn device(id: &str, tflops: f64) -> Device {
        Device {
            id: id.into(),
            idle_w: 0.0,
            max_w: 1.0,
            peak_tflops: tflops,
            memory_gb: 0.0,
            curve: PowerCurve::Linear,
            embodied_kg: 0.0,
            lifetime_years: 5.0,
            relative_throughput: tflops,
        }
    }

    #[test]
    fn reference_runtime_scales_with_throughput() {
        // 10 h on an A100 (312 TFLOPS) is 10 × 312 / 989 = 3.1547 h on an H100 (989).
        let work = Work::Reference {
            device: "A100".into(),
            throughput: 312.0,
        };
        let h = 3_600_000;
        let ms = wall_ms(
            &work,
            10 * h,
            &Speeds::default(),
            &device("H100", 989.0),
            8,
            1.0,
        );
        assert_eq!(ms, crate::time::round_u64(10.0 * 3.6e6 * 312.0 / 989.0));
        // A per-job override (memory-bound: H100 only 1.6× the A100) wins: 10 / 1.6 = 6.25 h.
        let speeds = Speeds {
            overrides: vec![("A100".into(), 1.0), ("H100".into(), 1.6)],
        };
        assert_eq!(
            wall_ms(&work, 10 * h, &speeds, &device("H100", 989.0), 8, 1.0),
            22_500_000
        );
        // A power cap that halves throughput doubles it.
        assert_eq!(
            wall_ms(&work, 10 * h, &speeds, &device("H100", 989.0), 8, 2.0),
            45_000_000
        );
    }

    #[test]
    fn flops_at_mfu() {
        // 3.14e23 FLOP on 1,024 devices of 312 TFLOPS at 40 % MFU:
        // 3.14e23 / (1024 × 312e12 × 0.4) = 2,457,056 s = 682.5 h.
        let work = Work::Flops {
            flops: 3.14e23,
            mfu: 0.4,
        };
        let ms = wall_ms(
            &work,
            0,
            &Speeds::default(),
            &device("A100", 312.0),
            1024,
            1.0,
        );
        let expected_s = 3.14e23 / (1024.0 * 312e12 * 0.4);
        assert!((ms as f64 / 1000.0 - expected_s).abs() < 1e-3);
    }
}
