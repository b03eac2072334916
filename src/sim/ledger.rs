//! Pools at run time and their power ledger: free devices per node (placement), devices
//! shared by fractional jobs, and the draw of idle slots, running jobs and each pool, kept in
//! integer microwatts so that taking and giving back the same power is exact. Node power
//! states and runtime device caps belong here.

use crate::meter::PowerState;
use crate::meter::{KW_PER_UW, UW_PER_W};
use crate::model::pool::Pool;
use crate::scheduler::shared::SharedDevices;
use crate::scheduler::{NodeSlots, Placement};

/// A pool's runtime state.
pub(super) struct PoolState {
    pub(super) slots: NodeSlots,
    /// Devices shared by fractional jobs.
    shared: SharedDevices,
    /// Draw of one idle slot [µW].
    idle_slot_uw: u64,
}

impl PoolState {
    fn new(pool: &Pool) -> Self {
        Self {
            slots: NodeSlots::new(pool.nodes, pool.devices_per_node),
            shared: SharedDevices::default(),
            idle_slot_uw: to_uw(pool.idle_slot_w()),
        }
    }

    /// Idle draw of `free_milli` thousandths of an idle slot [µW] (integer, so taking and
    /// giving back the same share moves exactly the same power).
    fn idle_share_uw(&self, free_milli: u32) -> u64 {
        self.idle_slot_uw * free_milli as u64 / 1000
    }

    /// Places `devices` devices (or `milli` thousandths of one); returns the placement, the
    /// idle draw it takes [µW] and the devices it makes busy.
    pub(super) fn place(&mut self, devices: u32, milli: u32) -> Option<(Placement, u64, u32)> {
        if milli >= 1000 {
            let placement = self.slots.place(devices)?;
            let held = self.slots.held(&placement);
            return Some((placement, held as u64 * self.idle_slot_uw, devices));
        }
        if let Some(d) = self.shared.find(milli) {
            let (before, after) = self.shared.take(d, milli);
            let taken = self.idle_share_uw(before) - self.idle_share_uw(after);
            return Some((Placement::Fraction { device: d, milli }, taken, 0));
        }
        let Placement::Shared { node, .. } = self.slots.place(1)? else {
            return None;
        };
        let d = self.shared.open(node);
        let (_, after) = self.shared.take(d, milli);
        // The whole slot leaves the idle pool; its free share stays idle.
        let taken = self.idle_slot_uw - self.idle_share_uw(after);
        Some((Placement::Fraction { device: d, milli }, taken, 1))
    }

    /// Releases a placement; returns the idle draw given back [µW] and the devices freed.
    pub(super) fn release(&mut self, placement: &Placement, devices: u32) -> (u64, u32) {
        match placement {
            Placement::Fraction { device, milli } => {
                let (before, after, closed) = self.shared.give(*device, *milli);
                match closed {
                    Some(node) => {
                        self.slots.release(&Placement::Shared { node, devices: 1 });
                        (self.idle_slot_uw - self.idle_share_uw(before), 1)
                    }
                    None => (self.idle_share_uw(after) - self.idle_share_uw(before), 0),
                }
            }
            other => {
                let held = self.slots.held(other);
                self.slots.release(other);
                (held as u64 * self.idle_slot_uw, devices)
            }
        }
    }
}

/// Every pool's state and the cluster's draw by part.
pub(super) struct PowerLedger {
    pub(super) pools: Vec<PoolState>,
    /// Draw of slots no job holds [µW].
    pub(super) idle_uw: u64,
    /// Draw of running jobs [µW].
    running_uw: u64,
    /// Draw of each pool (idle slots and running jobs) [µW], and the same in kW.
    pool_uw: Vec<u64>,
    pool_kw: Vec<f64>,
    /// Devices running jobs [count].
    busy_devices: u32,
    /// Jobs started or ended so far [count]: a policy that sees it unchanged knows no device
    /// was taken or freed since it last looked.
    pub(super) changes: u64,
}

impl PowerLedger {
    /// All pools idle.
    pub(super) fn new(pools: &[Pool]) -> Self {
        let states: Vec<PoolState> = pools.iter().map(PoolState::new).collect();
        let pool_uw: Vec<u64> = pools
            .iter()
            .zip(&states)
            .map(|(p, s)| p.devices() * s.idle_slot_uw)
            .collect();
        Self {
            pools: states,
            idle_uw: pool_uw.iter().sum(),
            running_uw: 0,
            pool_kw: pool_uw.iter().map(|&uw| uw as f64 * KW_PER_UW).collect(),
            pool_uw,
            busy_devices: 0,
            changes: 0,
        }
    }

    /// The draw the meter integrates, with `queued` jobs waiting.
    pub(super) fn state(&self, queued: usize) -> PowerState<'_> {
        PowerState {
            it_kw: self.it_kw(),
            pool_kw: &self.pool_kw,
            busy_devices: self.busy_devices,
            queued_jobs: queued as u32,
        }
    }

    /// IT power now [kW].
    pub(super) fn it_kw(&self) -> f64 {
        (self.idle_uw + self.running_uw) as f64 * KW_PER_UW
    }

    /// IT power of pool `p` now [kW].
    pub(super) fn pool_kw(&self, p: u32) -> f64 {
        self.pool_kw[p as usize]
    }

    /// Devices running jobs [count].
    pub(super) fn busy_devices(&self) -> u32 {
        self.busy_devices
    }

    /// Free devices in pool `p` [count].
    pub(super) fn free_devices(&self, p: u32) -> u64 {
        self.pools[p as usize].slots.free_devices()
    }

    /// A job starts in pool `p`: `idle_uw` of idle draw becomes its `power_uw`, and `busy`
    /// devices become busy.
    pub(super) fn start(&mut self, p: u32, idle_uw: u64, power_uw: u64, busy: u32) {
        self.idle_uw -= idle_uw;
        self.running_uw += power_uw;
        self.busy_devices += busy;
        self.changes += 1;
        self.set_pool_uw(p, self.pool_uw[p as usize] - idle_uw + power_uw);
    }

    /// A job of `power_uw` ends in pool `p`, giving back `idle_uw` of idle draw and freeing
    /// `freed` devices.
    pub(super) fn end(&mut self, p: u32, idle_uw: u64, power_uw: u64, freed: u32) {
        self.idle_uw += idle_uw;
        self.running_uw -= power_uw;
        self.busy_devices -= freed;
        self.changes += 1;
        self.set_pool_uw(p, self.pool_uw[p as usize] + idle_uw - power_uw);
    }

    /// A running job in pool `p` changes its draw from `old_uw` to `new_uw`.
    pub(super) fn change(&mut self, p: u32, old_uw: u64, new_uw: u64) {
        self.running_uw = self.running_uw - old_uw + new_uw;
        self.set_pool_uw(p, self.pool_uw[p as usize] - old_uw + new_uw);
    }

    /// Sets pool `p`'s draw [µW] (and its kW mirror for the meter).
    fn set_pool_uw(&mut self, p: u32, uw: u64) {
        self.pool_uw[p as usize] = uw;
        self.pool_kw[p as usize] = uw as f64 * KW_PER_UW;
    }
}

/// IT draw of a job [µW]: its devices busy at `u` (clipped by any power cap) with their host
/// share, plus devices it holds but does not use, at idle.
/// A fractional job (`milli` < 1000) draws its share of one busy slot; the rest of the shared
/// device stays with idle capacity.
pub(super) fn job_power_uw(pool: &Pool, devices: u32, held: u32, milli: u32, u: f64) -> u64 {
    if milli < 1000 {
        return to_uw(milli as f64 / 1000.0 * pool.busy_slot_w(u));
    }
    to_uw(devices as f64 * pool.busy_slot_w(u) + (held - devices) as f64 * pool.idle_slot_w())
}

/// Watts to whole microwatts [µW]; integer power makes the running sum exact.
fn to_uw(w: f64) -> u64 {
    crate::time::round_u64(w * UW_PER_W)
}
