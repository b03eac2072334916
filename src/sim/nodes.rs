//! Node power states of pools that power idle nodes down: a node idle (no job on any of its
//! devices) for `after` powers off and draws `off_w`; a start that needs more powered-on nodes
//! than are free boots off nodes (each draws `boot_w` for `boot`, then the job begins); `keep_on`
//! idle nodes per pool stay on. Off and booting nodes offer no devices to first-fit placement,
//! so jobs prefer powered-on nodes; a node booted for a job is that job's until it is up.

use super::core::Core;
use super::event::Event;
use super::ledger::{PoolState, to_uw};
use crate::model::pool::Pool;
use crate::model::power_plan::PowerDown;
use crate::scheduler::Placement;
use crate::time::SimTime;

/// A node's power state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    On,
    Off,
    /// Booting until the given time [ms], with the devices it will offer once up.
    Booting(SimTime, u32),
    /// Gone from a retired pool: draws nothing, never boots.
    Gone,
}

/// The node power states of one pool.
pub(super) struct NodePower {
    state: Vec<State>,
    /// When each node last became idle [ms] (meaningful while it is on and idle).
    idle_since_ms: Vec<SimTime>,
    /// Idle powered-on nodes [count].
    idle_on: u32,
    off: u32,
    booting: u32,
    /// Draw of an off node and of a booting node [µW].
    off_uw: u64,
    boot_uw: u64,
}

impl NodePower {
    /// Every node on and idle.
    pub(super) fn new(pool: &Pool, down: &PowerDown) -> Self {
        Self {
            state: vec![State::On; pool.nodes as usize],
            idle_since_ms: vec![0; pool.nodes as usize],
            idle_on: pool.nodes,
            off: 0,
            booting: 0,
            off_uw: to_uw(down.off_w),
            boot_uw: to_uw(down.boot_w),
        }
    }

    /// Powered-off nodes [count].
    pub(super) fn off_count(&self) -> u32 {
        self.off
    }

    /// Draw of one off node [µW].
    pub(super) fn off_uw(&self) -> u64 {
        self.off_uw
    }

    /// Draw of one booting node [µW].
    pub(super) fn boot_uw(&self) -> u64 {
        self.boot_uw
    }

    /// Every node's idle time starts at `now` (the pool is installed).
    pub(super) fn idle_from(&mut self, now: SimTime) {
        self.idle_since_ms.fill(now);
    }

    /// `node` of a retired pool leaves if it holds no job (`empty`: all its devices free):
    /// returns the draw that ends [µW] — `idle_uw` for an idle node, the off draw for an off
    /// one — or `None` when it is busy, booting or already gone.
    pub(super) fn leave(&mut self, node: u32, empty: bool, idle_uw: u64) -> Option<u64> {
        let i = node as usize;
        let draw = match self.state[i] {
            State::On if empty => {
                self.idle_on -= 1;
                idle_uw
            }
            State::Off => {
                self.off -= 1;
                self.off_uw
            }
            _ => return None,
        };
        self.state[i] = State::Gone;
        Some(draw)
    }

    /// When `node` is up, if it is booting [ms].
    pub(super) fn up_at(&self, node: u32) -> Option<SimTime> {
        match self.state[node as usize] {
            State::Booting(t, _) => Some(t),
            _ => None,
        }
    }
}

/// What a placement did to node power states, to undo it if the start is refused.
#[derive(Debug, Default)]
pub(super) struct NodeChanges {
    /// Nodes booted for the placement.
    pub(super) booted: Vec<u32>,
    /// Idle nodes the placement took, with when they had become idle [ms].
    taken_idle: Vec<(u32, SimTime)>,
}

impl PoolState {
    /// Places a job as [`PoolState::place`] does, booting off nodes when the powered-on ones
    /// have no room; returns the placement, the idle draw it takes, the devices it makes busy
    /// and the node changes.
    pub(super) fn place_powered(
        &mut self,
        devices: u32,
        milli: u32,
        boot_ms: SimTime,
        now: SimTime,
    ) -> Option<(Placement, u64, u32, NodeChanges)> {
        if self.nodes.is_none() {
            let (placement, idle, busy) = self.place(devices, milli)?;
            return Some((placement, idle, busy, NodeChanges::default()));
        }
        let mut booted = Vec::new();
        let placed = loop {
            if let Some(p) = self.place(devices, milli) {
                break Some(p);
            }
            let dpn = self.slots.devices_per_node();
            let nodes = self.nodes.as_mut()?;
            let Some(node) = nodes.state.iter().position(|s| *s == State::Off) else {
                break None;
            };
            nodes.state[node] = State::Booting(now + boot_ms, 0);
            nodes.off -= 1;
            nodes.booting += 1;
            self.slots.set_free(node as u32, dpn);
            booted.push(node as u32);
        };
        let Some((placement, idle, busy)) = placed else {
            self.unboot(&booted);
            return None;
        };
        let mut changes = NodeChanges {
            booted,
            taken_idle: Vec::new(),
        };
        let touched = self.nodes_of(&placement);
        let dpn = self.slots.devices_per_node();
        let Some(nodes) = self.nodes.as_mut() else {
            return Some((placement, idle, busy, changes));
        };
        for &n in &touched {
            let i = n as usize;
            match nodes.state[i] {
                State::Booting(t, _) if changes.booted.contains(&n) => {
                    // Reserved for this job until it is up: no other job lands on it.
                    let spare = self.slots.free_on(n);
                    nodes.state[i] = State::Booting(t, spare);
                    self.slots.set_free(n, 0);
                }
                State::On if self.slots.free_on(n) + held_on(&placement, dpn, busy) == dpn => {
                    nodes.idle_on -= 1;
                    changes.taken_idle.push((n, nodes.idle_since_ms[i]));
                }
                _ => {}
            }
        }
        Some((placement, idle, busy, changes))
    }

    /// Undoes a placement refused after it was made: devices back, booted nodes off again,
    /// idle nodes idle since when they were.
    pub(super) fn undo_placement(
        &mut self,
        placement: &Placement,
        devices: u32,
        changes: &NodeChanges,
    ) {
        let dpn = self.slots.devices_per_node();
        if let Some(nodes) = self.nodes.as_mut() {
            for &n in &changes.booted {
                if let State::Booting(t, spare) = nodes.state[n as usize] {
                    nodes.state[n as usize] = State::Booting(t, 0);
                    self.slots.set_free(n, spare);
                }
            }
        }
        self.release(placement, devices);
        self.unboot(&changes.booted);
        if let Some(nodes) = self.nodes.as_mut() {
            for &(n, since) in &changes.taken_idle {
                debug_assert_eq!(self.slots.free_on(n), dpn);
                nodes.idle_on += 1;
                nodes.idle_since_ms[n as usize] = since;
            }
        }
    }

    /// Turns nodes booted for a refused placement off again.
    fn unboot(&mut self, booted: &[u32]) {
        let Some(nodes) = self.nodes.as_mut() else {
            return;
        };
        for &n in booted {
            nodes.state[n as usize] = State::Off;
            nodes.off += 1;
            nodes.booting -= 1;
            self.slots.set_free(n, 0);
        }
    }

    /// After a release: the nodes of `placement` that are now idle start their idle time at
    /// `now`; returns them.
    pub(super) fn now_idle(&mut self, nodes_of: &[u32], now: SimTime) -> Vec<u32> {
        let dpn = self.slots.devices_per_node();
        let mut idle = Vec::new();
        let Some(nodes) = self.nodes.as_mut() else {
            return idle;
        };
        for &n in nodes_of {
            if nodes.state[n as usize] == State::On && self.slots.free_on(n) == dpn {
                nodes.idle_on += 1;
                nodes.idle_since_ms[n as usize] = now;
                idle.push(n);
            }
        }
        idle
    }
}

/// Devices a placement holds on each of its nodes (fractions open at most one slot).
fn held_on(placement: &Placement, dpn: u32, busy: u32) -> u32 {
    match placement {
        Placement::Shared { devices, .. } => *devices,
        Placement::Whole { .. } => dpn,
        Placement::Fraction { .. } => busy,
    }
}

impl Core<'_, '_> {
    /// Schedules every node's first power-down check (nodes start on and idle).
    pub(super) fn schedule_power_down(&mut self) {
        let Some(down) = &self.scenario.power.power_down else {
            return;
        };
        for (p, pool) in self.scenario.pools.iter().enumerate() {
            if down.pools[p] && pool.from_ms == 0 {
                for node in 0..pool.nodes {
                    self.queue
                        .push(down.after_ms, Event::NodeIdle(p as u32, node));
                }
            }
        }
    }

    /// Nodes of pool `p` became idle at `now`: check them again after the idle time.
    pub(super) fn nodes_idle(&mut self, nodes: &[u32], now: SimTime, p: u32) {
        let Some(down) = &self.scenario.power.power_down else {
            return;
        };
        for &node in nodes {
            self.queue
                .push(now.saturating_add(down.after_ms), Event::NodeIdle(p, node));
        }
    }

    /// A node's idle time may be up: power it off if it has stayed idle since, and more than
    /// `keep_on` idle nodes are on in its pool.
    pub(super) fn node_idle(&mut self, p: u32, node: u32, now: SimTime) -> bool {
        let Some(down) = &self.scenario.power.power_down else {
            return false;
        };
        let pool = &mut self.ledger.pools[p as usize];
        let dpn = pool.slots.devices_per_node();
        let idle_uw = dpn as u64 * pool.idle_slot_uw;
        let Some(nodes) = pool.nodes.as_mut() else {
            return false;
        };
        let i = node as usize;
        let idle = nodes.state[i] == State::On && pool.slots.free_on(node) == dpn;
        if !idle
            || nodes.idle_since_ms[i].saturating_add(down.after_ms) != now
            || nodes.idle_on <= down.keep_on
        {
            return false;
        }
        nodes.state[i] = State::Off;
        nodes.idle_on -= 1;
        nodes.off += 1;
        let off_uw = nodes.off_uw;
        pool.slots.set_free(node, 0);
        self.settle_idle(now);
        self.ledger.shift_idle(p, idle_uw, off_uw);
        self.refresh_node_flags();
        false
    }

    /// A booting node is up: it draws idle power and offers its spare devices.
    pub(super) fn node_up(&mut self, p: u32, node: u32, now: SimTime) {
        let pool = &mut self.ledger.pools[p as usize];
        let dpn = pool.slots.devices_per_node();
        let idle_uw = dpn as u64 * pool.idle_slot_uw;
        let Some(nodes) = pool.nodes.as_mut() else {
            return;
        };
        let State::Booting(t, spare) = nodes.state[node as usize] else {
            return;
        };
        if t != now {
            return;
        }
        nodes.state[node as usize] = State::On;
        nodes.booting -= 1;
        let boot_uw = nodes.boot_uw;
        pool.slots.set_free(node, spare);
        self.settle_idle(now);
        self.ledger.shift_idle(p, boot_uw, idle_uw);
        self.refresh_node_flags();
    }

    /// Off and booting nodes over all pools, for the meter.
    pub(super) fn refresh_node_flags(&mut self) {
        let (mut off, mut booting, mut boot_uw) = (0, 0, 0u64);
        for pool in &self.ledger.pools {
            if let Some(n) = &pool.nodes {
                off += n.off;
                booting += n.booting;
                boot_uw += n.booting as u64 * n.boot_uw;
            }
        }
        let flags = &mut self.ledger.flags;
        flags.off_nodes = off;
        flags.booting_nodes = booting;
        flags.boot_kw = boot_uw as f64 * crate::meter::KW_PER_UW;
    }
}
