//! Pools installed and retired during the run (`from` / `until`): before `from` a pool draws
//! nothing and takes no job; from `until` on no job starts on it (nor one its estimate says
//! would still run then), jobs still running drain, and each node leaves — stops drawing — as
//! it empties.

use super::core::Core;
use super::event::Event;
use super::ledger::PoolState;
use crate::time::SimTime;

impl PoolState {
    /// Removes `node` from the pool if it holds no job: it offers no device again and its
    /// draw (idle, or off for a powered-down node) ends. Returns the draw removed [µW], 0 when
    /// the node is busy, booting or already gone.
    fn leave_if_empty(&mut self, node: u32) -> u64 {
        let dpn = self.slots.devices_per_node();
        let idle_uw = dpn as u64 * self.idle_slot_uw;
        let free = self.slots.free_on(node);
        let gone = match self.nodes.as_mut() {
            Some(nodes) => nodes.leave(node, free == dpn, idle_uw),
            None => (free == dpn).then_some(idle_uw),
        };
        if gone.is_some() {
            self.slots.set_free(node, 0);
        }
        gone.unwrap_or(0)
    }
}

impl Core<'_, '_> {
    /// Schedules when pools are installed (after the start) and retired (before the horizon).
    pub(super) fn schedule_installs(&mut self) {
        let horizon = self.scenario.horizon_ms;
        for (p, pool) in self.scenario.pools.iter().enumerate() {
            if pool.from_ms > 0 {
                self.queue.push(pool.from_ms, Event::Install(p as u32));
            }
            if pool.until_ms < horizon {
                self.queue.push(pool.until_ms, Event::Retire(p as u32));
            }
        }
    }

    /// Pool `p` is installed at `now`: its nodes are on and idle (and start their idle time
    /// toward power-down).
    pub(super) fn install(&mut self, p: u32, now: SimTime) {
        let pool = &self.scenario.pools[p as usize];
        let idle_uw = pool.devices() * self.ledger.pools[p as usize].idle_slot_uw;
        self.settle_idle(now);
        self.ledger.shift_idle(p, 0, idle_uw);
        self.ledger.pools[p as usize].open = true;
        if let Some(nodes) = self.ledger.pools[p as usize].nodes.as_mut() {
            nodes.idle_from(now);
            let all: Vec<u32> = (0..pool.nodes).collect();
            self.nodes_idle(&all, now, p);
        }
    }

    /// Pool `p` is retired at `now`: every empty node leaves; busy nodes leave as their jobs
    /// end.
    pub(super) fn retire(&mut self, p: u32, now: SimTime) {
        self.ledger.pools[p as usize].open = false;
        let nodes: Vec<u32> = (0..self.scenario.pools[p as usize].nodes).collect();
        self.leave_empty(p, &nodes, now);
    }

    /// After a release on pool `p` at `now`: if the pool is retired, the nodes of `nodes` that
    /// are now empty leave.
    pub(super) fn leave_if_retired(&mut self, p: u32, nodes: &[u32], now: SimTime) {
        if now >= self.scenario.pools[p as usize].until_ms {
            self.leave_empty(p, nodes, now);
        }
    }

    /// The empty nodes among `nodes` of pool `p` leave at `now`.
    fn leave_empty(&mut self, p: u32, nodes: &[u32], now: SimTime) {
        let state = &mut self.ledger.pools[p as usize];
        let removed_uw: u64 = nodes.iter().map(|&n| state.leave_if_empty(n)).sum();
        if removed_uw > 0 {
            self.settle_idle(now);
            self.ledger.shift_idle(p, removed_uw, 0);
            self.refresh_node_flags();
        }
    }
}
