//! A pool: a homogeneous group of nodes, each with the same number of devices and the same
//! host overhead.

use super::device::Device;
use crate::time::SimTime;

/// A validated pool.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    /// Pool name.
    pub name: String,
    /// The device every slot holds.
    pub device: Device,
    /// Number of nodes [count].
    pub nodes: u32,
    /// Devices per node [count].
    pub devices_per_node: u32,
    /// Host draw of a node with no busy device [W] (CPUs, memory, NICs, fans, PSU losses).
    pub host_idle_w: f64,
    /// Host draw of a node with every device busy [W]; in between it scales with the node's
    /// busy fraction.
    pub host_max_w: f64,
    /// Embodied carbon of one node's host (chassis, CPUs, memory, NICs) [kgCO2e].
    pub host_embodied_kg: f64,
    /// Service life of a host [years].
    pub host_lifetime_years: f64,
    /// Power cap per device [W], if any.
    pub power_cap_w: Option<f64>,
    /// How a binding cap slows work.
    pub cap_throughput: CapThroughput,
    /// When the pool is installed [ms from the start]; 0 = from the start.
    pub from_ms: SimTime,
    /// When it is retired [ms from the start]; `SimTime::MAX` = never. From then on no job
    /// starts on it; jobs still running drain, and each node leaves as it empties.
    pub until_ms: SimTime,
}

/// How a power cap slows work.
#[derive(Debug, Clone, PartialEq)]
pub enum CapThroughput {
    /// Documented default: dynamic power scales with the cube of clock frequency (P ∝ f·V²,
    /// V ∝ f), so throughput = ((cap − idle) / (P(u) − idle))^(1/3) when the cap binds.
    CubeRoot,
    /// Measured (cap [W], relative throughput) points, interpolated, held flat beyond.
    Table(Vec<(f64, f64)>),
}

impl Pool {
    /// Devices in the pool [count].
    pub fn devices(&self) -> u64 {
        self.nodes as u64 * self.devices_per_node as u64
    }

    /// Whether the pool is installed for the whole run (no `from` or `until` inside it).
    pub fn always_installed(&self, horizon_ms: SimTime) -> bool {
        self.from_ms == 0 && self.until_ms >= horizon_ms
    }

    /// Whether the pool is installed at `t` [ms]: `from ≤ t < until`.
    #[inline]
    pub fn installed_at(&self, t: SimTime) -> bool {
        self.from_ms <= t && t < self.until_ms
    }

    /// How long the pool is installed within a run of `horizon_ms` [h].
    pub fn installed_hours(&self, horizon_ms: SimTime) -> f64 {
        crate::time::ms_to_hours(self.installed_ms(horizon_ms))
    }

    /// How long the pool is installed within a run of `horizon_ms` [ms].
    pub fn installed_ms(&self, horizon_ms: SimTime) -> SimTime {
        self.until_ms
            .min(horizon_ms)
            .saturating_sub(self.from_ms.min(horizon_ms))
    }

    /// Draw of one idle device slot: the device at idle plus its share of the host's idle
    /// draw [W].
    #[inline]
    pub fn idle_slot_w(&self) -> f64 {
        self.device.power_w(0.0) + self.host_idle_w / self.devices_per_node as f64
    }

    /// Draw of one busy device slot at utilisation `u`: the device (clipped at the power cap)
    /// plus its share of the host at full busy fraction [W]. A node's host draw `idle + (max −
    /// idle)·busy/dpn` is exactly the sum of its slots' shares, so per-slot attribution adds
    /// up to node power.
    #[inline]
    pub fn busy_slot_w(&self, u: f64) -> f64 {
        self.busy_slot_w_at(u, self.power_cap_w)
    }

    /// Draw of one busy device slot at utilisation `u` under the device cap `cap_w` [W]
    /// (none: uncapped).
    #[inline]
    pub fn busy_slot_w_at(&self, u: f64, cap_w: Option<f64>) -> f64 {
        self.device_w_at(u, cap_w) + self.host_max_w / self.devices_per_node as f64
    }

    /// Device draw at utilisation `u`, clipped at the power cap [W].
    #[inline]
    pub fn device_w(&self, u: f64) -> f64 {
        self.device_w_at(u, self.power_cap_w)
    }

    /// Device draw at utilisation `u`, clipped at `cap_w` [W].
    #[inline]
    pub fn device_w_at(&self, u: f64, cap_w: Option<f64>) -> f64 {
        let p = self.device.power_w(u);
        cap_w.map_or(p, |cap| p.min(cap))
    }

    /// The cap in force when a runtime cap `runtime_w` [W] (if any) meets the configured
    /// `power_cap_w`: the lower of the two.
    #[inline]
    pub fn effective_cap_w(&self, runtime_w: Option<f64>) -> Option<f64> {
        match (self.power_cap_w, runtime_w) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// How much longer work takes under the power cap at utilisation `u` [≥ 1].
    #[inline]
    pub fn cap_slowdown(&self, u: f64) -> f64 {
        self.cap_slowdown_at(u, self.power_cap_w)
    }

    /// How much longer work takes under the device cap `cap_w` at utilisation `u` [≥ 1].
    #[inline]
    pub fn cap_slowdown_at(&self, u: f64, cap_w: Option<f64>) -> f64 {
        let Some(cap) = cap_w else {
            return 1.0;
        };
        let p = self.device.power_w(u);
        if p <= cap {
            return 1.0;
        }
        let rel = match &self.cap_throughput {
            CapThroughput::CubeRoot => {
                let idle = self.device.power_w(0.0);
                ((cap - idle) / (p - idle)).max(1e-6).cbrt()
            }
            CapThroughput::Table(points) => crate::model::power::interpolate(points, cap),
        };
        1.0 / rel.clamp(1e-6, 1.0)
    }

    /// IT draw of a job [W]: its `devices` busy at `u` under the device cap `cap_w` with their
    /// host share, plus the devices it holds (`held`, whole nodes for a multi-node job) but does
    /// not use, at idle. A fractional job (`milli` < 1000) draws its share of one busy slot.
    #[inline]
    pub fn job_it_w(&self, devices: u32, held: u32, milli: u32, u: f64, cap_w: Option<f64>) -> f64 {
        let busy = self.busy_slot_w_at(u, cap_w);
        if milli < 1000 {
            return milli as f64 / 1000.0 * busy;
        }
        devices as f64 * busy + held.saturating_sub(devices) as f64 * self.idle_slot_w()
    }

    /// Devices a job of `devices` whole devices holds here: whole nodes beyond one node.
    pub fn held_devices(&self, devices: u32) -> u32 {
        if devices > self.devices_per_node {
            self.nodes_needed(devices) * self.devices_per_node
        } else {
            devices
        }
    }

    /// The runtime device cap at `level` of `CAP_LEVELS` [W]: from the floor (`floor_fraction`
    /// of the maximum draw, never below idle) up to the maximum in equal steps.
    pub fn runtime_cap_w(&self, floor_fraction: f64, level: u32) -> f64 {
        let (idle, max) = (self.device.power_w(0.0), self.device.power_w(1.0));
        let floor = (floor_fraction * max).max(idle).min(max);
        let levels = crate::model::power_plan::CAP_LEVELS;
        floor + (max - floor) * level as f64 / levels as f64
    }

    /// Provisioned IT power [W]: every device at its maximum draw (no cap) and every host at
    /// its maximum — what colocation bills and the power feed must carry.
    pub fn provisioned_w(&self) -> f64 {
        self.nodes as f64
            * (self.devices_per_node as f64 * self.device.power_w(1.0) + self.host_max_w)
    }

    /// IT power of the whole pool at full load [W].
    pub fn max_it_w(&self) -> f64 {
        self.devices() as f64 * self.busy_slot_w(1.0)
    }

    /// Nodes a job of `devices` devices occupies: one (shared) node when it fits in a node,
    /// otherwise whole nodes.
    pub fn nodes_needed(&self, devices: u32) -> u32 {
        devices.div_ceil(self.devices_per_node).max(1)
    }

    /// Whether a job of `devices` devices can ever run here.
    pub fn can_fit(&self, devices: u32) -> bool {
        devices > 0 && self.nodes_needed(devices) <= self.nodes
    }
}

/// The most IT power at full load installed at once [W] (the building is built for it).
pub fn peak_installed_it_w(pools: &[Pool]) -> f64 {
    peak_installed(pools, Pool::max_it_w)
}

/// The largest sum of `amount` over the pools installed at one moment. The installed set only
/// grows at some pool's `from`, so the largest is at one of them.
pub fn peak_installed(pools: &[Pool], amount: impl Fn(&Pool) -> f64) -> f64 {
    pools
        .iter()
        .map(|at| {
            pools
                .iter()
                .filter(|p| p.installed_at(at.from_ms))
                .map(&amount)
                .sum::<f64>()
        })
        .fold(0.0, f64::max)
}

/// A small pool for tests: 2 nodes × 4 devices of 50–400 W (linear curve), hosts 200–600 W.
#[cfg(test)]
pub(crate) fn sample_pool() -> Pool {
    use crate::model::power::PowerCurve;
    Pool {
        name: "p".into(),
        device: Device {
            id: "d".into(),
            idle_w: 50.0,
            max_w: 400.0,
            peak_tflops: 0.0,
            memory_gb: 0.0,
            curve: PowerCurve::Linear,
            embodied_kg: 0.0,
            lifetime_years: 5.0,
            relative_throughput: 0.0,
        },
        nodes: 2,
        devices_per_node: 4,
        host_idle_w: 200.0,
        host_max_w: 600.0,
        host_embodied_kg: 0.0,
        host_lifetime_years: 5.0,
        power_cap_w: None,
        cap_throughput: CapThroughput::CubeRoot,
        from_ms: 0,
        until_ms: SimTime::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::sample_pool as pool;
    use super::*;

    #[test]
    fn power_caps_clip_power_and_slow_work() {
        let mut p = pool();
        // Device 50 W idle, 400 W max; cap 225 W. At u = 1: power 225 W; cube-root model:
        // throughput ((225 − 50) / (400 − 50))^(1/3) = 0.5^(1/3) = 0.7937 → slowdown 1.2599.
        p.power_cap_w = Some(225.0);
        assert_eq!(p.device_w(1.0), 225.0);
        assert!((p.cap_slowdown(1.0) - 2f64.cbrt()).abs() < 1e-12);
        // At u = 0.5 the draw (225 W) does not exceed the cap: no slowdown.
        assert_eq!(p.cap_slowdown(0.5), 1.0);
        // A measured table: 200 W → 0.8, 300 W → 0.95; 225 W interpolates to 0.8375.
        p.cap_throughput = CapThroughput::Table(vec![(200.0, 0.8), (300.0, 0.95)]);
        assert!((p.cap_slowdown(1.0) - 1.0 / 0.8375).abs() < 1e-12);
    }

    #[test]
    fn slot_shares_add_up_to_node_power() {
        let p = pool();
        // Node with 1 of 4 devices busy at u = 1: devices 400 + 3 × 50 = 550 W, host
        // 200 + 400 × 1/4 = 300 W, node = 850 W. Slots: busy 400 + 150 = 550, idle 50 + 50 = 100 each.
        let node = p.busy_slot_w(1.0) + 3.0 * p.idle_slot_w();
        assert!((node - 850.0).abs() < 1e-12);
        assert_eq!(p.max_it_w(), 8.0 * 550.0);
    }

    #[test]
    fn jobs_larger_than_a_node_take_whole_nodes() {
        let p = pool();
        assert_eq!(p.nodes_needed(3), 1);
        assert_eq!(p.nodes_needed(5), 2);
        assert!(p.can_fit(8));
        assert!(!p.can_fit(9));
        assert!(!p.can_fit(0));
    }
}
