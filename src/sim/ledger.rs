//! Pools at run time and their power ledger: free devices per node (placement), devices
//! shared by fractional jobs, node power states, and the draw of idle slots, running jobs and
//! each pool, kept in integer microwatts so that taking and giving back the same power is
//! exact; plus what running jobs may still add (their peak) for the power budget.

use super::nodes::NodePower;
use crate::meter::{KW_PER_UW, UW_PER_W};
use crate::meter::{PowerFlags, PowerState};
use crate::model::pool::Pool;
use crate::scheduler::shared::SharedDevices;
use crate::scheduler::{NodeSlots, Placement};

/// A pool's runtime state.
pub(super) struct PoolState {
    pub(super) slots: NodeSlots,
    /// Devices shared by fractional jobs.
    pub(super) shared: SharedDevices,
    /// Draw of one idle slot [µW].
    pub(super) idle_slot_uw: u64,
    /// Node power states, when the pool powers idle nodes down.
    pub(super) nodes: Option<NodePower>,
    /// Whether jobs may start here: installed and not yet retired.
    pub(super) open: bool,
    /// The last job draw computed here and what it depends on (most jobs of a run share
    /// them, so the power curve is read once, not per start).
    draw_memo: std::cell::Cell<Option<(DrawKey, u64)>>,
}

/// What a job's draw on a pool depends on: devices, held devices, share [thousandths], and
/// the bits of its utilisation and of the cap in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DrawKey {
    devices: u32,
    held: u32,
    milli: u32,
    u_bits: u64,
    cap_bits: Option<u64>,
}

impl PoolState {
    fn new(pool: &Pool, nodes: Option<NodePower>) -> Self {
        Self {
            slots: NodeSlots::new(pool.nodes, pool.devices_per_node),
            shared: SharedDevices::default(),
            idle_slot_uw: to_uw(pool.idle_slot_w()),
            nodes,
            open: pool.from_ms == 0,
            draw_memo: std::cell::Cell::new(None),
        }
    }

    /// IT draw on `pool` (this state's pool) of a job of `devices` devices holding `held`,
    /// `milli` thousandths of a device, at utilisation `u` under `cap_w` [µW], in whole
    /// microwatts (see [`Pool::job_it_w`]); read from the memo when the last draw had the
    /// same inputs.
    #[inline]
    pub(super) fn job_power_uw(
        &self,
        pool: &Pool,
        devices: u32,
        held: u32,
        milli: u32,
        u: f64,
        cap_w: Option<f64>,
    ) -> u64 {
        let key = DrawKey {
            devices,
            held,
            milli,
            u_bits: u.to_bits(),
            cap_bits: cap_w.map(f64::to_bits),
        };
        if let Some((last, uw)) = self.draw_memo.get()
            && last == key
        {
            return uw;
        }
        let uw = to_uw(pool.job_it_w(devices, held, milli, u, cap_w));
        self.draw_memo.set(Some((key, uw)));
        uw
    }

    /// The nodes a placement occupies.
    pub(super) fn nodes_of(&self, placement: &Placement) -> Vec<u32> {
        match placement {
            Placement::Fraction { device, .. } => {
                self.shared.node_of(*device).into_iter().collect()
            }
            other => NodeSlots::nodes(other).to_vec(),
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
    /// What running and booting jobs may still add to IT power before they end: each job's
    /// peak draw (at the highest utilisation its load profile reaches) less its draw now [µW].
    pub(super) extra_uw: u64,
    /// What running and booting jobs would draw at their peak with every device at the cap
    /// floor, less the idle draw a booting job will take over [µW] (for `cap_then_hold`).
    pub(super) floor_uw: u64,
    /// Power management's state for the meter.
    pub(super) flags: PowerFlags,
}

impl PowerLedger {
    /// All pools idle.
    pub(super) fn new(pools: &[Pool], mut nodes: impl FnMut(usize) -> Option<NodePower>) -> Self {
        let states: Vec<PoolState> = pools
            .iter()
            .enumerate()
            .map(|(i, p)| PoolState::new(p, nodes(i)))
            .collect();
        let pool_uw: Vec<u64> = pools
            .iter()
            .zip(&states)
            .map(|(p, s)| {
                if p.from_ms == 0 {
                    p.devices() * s.idle_slot_uw
                } else {
                    0
                }
            })
            .collect();
        Self {
            pools: states,
            idle_uw: pool_uw.iter().sum(),
            running_uw: 0,
            pool_kw: pool_uw.iter().map(|&uw| uw as f64 * KW_PER_UW).collect(),
            pool_uw,
            busy_devices: 0,
            changes: 0,
            extra_uw: 0,
            floor_uw: 0,
            flags: PowerFlags::default(),
        }
    }

    /// The draw the meter integrates, with `queued` jobs waiting.
    pub(super) fn state(&self, queued: usize) -> PowerState<'_> {
        PowerState {
            it_kw: self.it_kw(),
            pool_kw: &self.pool_kw,
            busy_devices: self.busy_devices,
            queued_jobs: queued as u32,
            power: &self.flags,
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

    /// Free devices in pool `p` [count], counting those of powered-off nodes (a start boots
    /// them); none while the pool is not installed or retired.
    pub(super) fn free_devices(&self, p: u32) -> u64 {
        let pool = &self.pools[p as usize];
        if !pool.open {
            return 0;
        }
        let off = pool.nodes.as_ref().map_or(0, |n| n.off_count());
        pool.slots.free_devices() + off as u64 * pool.slots.devices_per_node() as u64
    }

    /// Part of pool `p`'s idle draw changes from `from_uw` to `to_uw` (a node powering off,
    /// booting or coming up).
    pub(super) fn shift_idle(&mut self, p: u32, from_uw: u64, to_uw: u64) {
        self.idle_uw = self.idle_uw - from_uw + to_uw;
        self.set_pool_uw(p, self.pool_uw[p as usize] - from_uw + to_uw);
        self.changes += 1;
    }

    /// IT power with every running and booting job at its peak [µW].
    pub(super) fn committed_uw(&self) -> u64 {
        self.idle_uw + self.running_uw + self.extra_uw
    }

    /// IT power with every running and booting job at its peak under the floor caps [µW].
    pub(super) fn committed_floor_uw(&self) -> u64 {
        self.idle_uw + self.floor_uw
    }

    /// IT power now [µW].
    pub(super) fn it_uw(&self) -> u64 {
        self.idle_uw + self.running_uw
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

    /// A running job in pool `p` changes its draw from `old_uw` to `new_uw`, its peak staying
    /// `peak_uw`.
    pub(super) fn change(&mut self, p: u32, old_uw: u64, new_uw: u64, peak_uw: u64) {
        self.running_uw = self.running_uw - old_uw + new_uw;
        self.extra_uw =
            self.extra_uw - peak_uw.saturating_sub(old_uw) + peak_uw.saturating_sub(new_uw);
        self.set_pool_uw(p, self.pool_uw[p as usize] - old_uw + new_uw);
    }

    /// Sets pool `p`'s draw [µW] (and its kW mirror for the meter).
    fn set_pool_uw(&mut self, p: u32, uw: u64) {
        self.pool_uw[p as usize] = uw;
        self.pool_kw[p as usize] = uw as f64 * KW_PER_UW;
    }
}

/// Watts to whole microwatts [µW]; integer power makes the running sum exact.
pub(super) fn to_uw(w: f64) -> u64 {
    crate::time::round_u64(w * UW_PER_W)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memoised_draw_follows_every_input() {
        let pool = crate::model::pool::sample_pool();
        let state = PoolState::new(&pool, None);
        // Device 50 W idle, 400 W max (linear); host 200–600 W over 4 devices, so a busy
        // slot carries 600 / 4 = 150 W of host and an idle slot 50 + 200 / 4 = 100 W.
        // At u = 0.8 a busy slot draws 50 + 350 × 0.8 + 150 = 480 W; at u = 0.5,
        // 50 + 175 + 150 = 375 W; under a 300 W cap at u = 0.8, 300 + 150 = 450 W.
        let cases = [
            ((1, 1, 1000, 0.8, None), 480.0),
            ((1, 1, 1000, 0.8, None), 480.0),
            ((1, 1, 1000, 0.5, None), 375.0),
            ((1, 1, 1000, 0.8, Some(300.0)), 450.0),
            ((2, 2, 1000, 0.8, None), 960.0),
            // One device used, two held: 480 W + one idle slot of 100 W.
            ((1, 2, 1000, 0.8, None), 580.0),
            // Half a device: half a busy slot.
            ((1, 1, 500, 0.8, None), 240.0),
            ((1, 1, 1000, 0.8, None), 480.0),
        ];
        for ((devices, held, milli, u, cap), w) in cases {
            let uw = state.job_power_uw(&pool, devices, held, milli, u, cap);
            assert_eq!(uw, (w * 1e6) as u64, "{devices} {held} {milli} {u} {cap:?}");
        }
    }
}
