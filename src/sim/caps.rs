//! Runtime device caps: one cap level shared by all pools (each pool's cap between its floor
//! and its devices' maximum draw in `CAP_LEVELS` steps), the IT power a level would give, and
//! setting it: every running job's draw, peak and pace follow at once, its remaining work
//! stretched or shrunk by the ratio of slow-downs.

use super::core::Core;
use super::event::Event;
use crate::model::power_plan::CAP_LEVELS;
use crate::time::SimTime;

impl Core<'_, '_> {
    /// IT power with every running job's devices under the caps of `level` [µW].
    pub(super) fn it_uw_at_level(&self, level: u32) -> u64 {
        let caps = self.caps_at(level);
        let mut it = self.ledger.idle_uw;
        for r in self.running.iter().flatten().filter(|r| r.begun()) {
            let record = &self.jobs[r.job];
            it += self.draw_uw(
                r.pool,
                record,
                record.held_devices,
                r.u_now,
                caps[r.pool as usize],
            );
        }
        it
    }

    /// The mean device cap and whether caps are lowered, for the meter (when caps may be
    /// lowered only).
    pub(super) fn refresh_cap_flags(&mut self) {
        if !self.scenario.power.caps() {
            return;
        }
        let pools = &self.scenario.pools;
        let devices: f64 = pools.iter().map(|p| p.devices() as f64).sum();
        let cap_sum: f64 = pools
            .iter()
            .zip(&self.power.caps_w)
            .map(|(p, c)| p.devices() as f64 * c.unwrap_or(p.device.power_w(1.0)))
            .sum();
        self.ledger.flags.mean_cap_w = if devices > 0.0 {
            cap_sum / devices
        } else {
            0.0
        };
        self.ledger.flags.capped = self.power.level < CAP_LEVELS;
    }

    /// The cap in force in each pool at `level`.
    fn caps_at(&self, level: u32) -> Vec<Option<f64>> {
        let floor = self.scenario.power.cap_floor();
        self.scenario
            .pools
            .iter()
            .map(|p| {
                let runtime = (level < CAP_LEVELS).then(|| p.runtime_cap_w(floor, level));
                p.effective_cap_w(runtime)
            })
            .collect()
    }

    /// Sets the runtime cap level: every running job's draw, peak and speed follow at `now`.
    pub(super) fn set_cap_level(&mut self, level: u32, now: SimTime) {
        if level == self.power.level || !self.scenario.power.caps() {
            return;
        }
        self.power.level = level;
        self.power.caps_w = self.caps_at(level);
        self.refresh_cap_flags();
        self.ledger.changes += 1;
        for slot in 0..self.running.len() as u32 {
            if self.running[slot as usize]
                .as_ref()
                .is_some_and(|r| r.begun())
            {
                self.recap(slot, now);
            }
        }
    }

    /// The caps changed: the running job in `slot` draws and works at their pace from `now`
    /// (its remaining work stretched or shrunk by the ratio of slow-downs).
    pub(super) fn recap(&mut self, slot: u32, now: SimTime) {
        let Some(r) = self.running[slot as usize].as_ref() else {
            return;
        };
        let job = r.job;
        let p = r.pool;
        let cap = self.power.caps_w[p as usize];
        let pool = &self.scenario.pools[p as usize];
        let record = &self.jobs[job];
        let (_, _, profile) = self.scenario.job_params(record.origin);
        let held = record.held_devices;
        let power_uw = self.draw_uw(p, record, held, r.u_now, cap);
        let peak_uw = self.peak_uw(record, p, held, cap, power_uw);
        let slowdown = pool.cap_slowdown_at(record.utilization, cap);
        let (old_power, old_peak, old_slowdown) = (record.power_uw, r.peak_uw, r.slowdown);
        if power_uw != old_power || peak_uw != old_peak {
            let acc = self.meter.accumulators();
            let record = &mut self.jobs[job];
            if let Some(r) = self.running[slot as usize].as_mut() {
                r.charge(record, now, &acc);
                r.since = acc;
                r.since_ms = now;
                r.peak_uw = peak_uw;
            }
            record.power_uw = power_uw;
            self.ledger.change(p, old_power, power_uw, old_peak);
            self.ledger.extra_uw =
                self.ledger.extra_uw - (old_peak - power_uw.min(old_peak)) + (peak_uw - power_uw);
        }
        if slowdown == old_slowdown {
            return;
        }
        let Some(r) = self.running[slot as usize].as_mut() else {
            return;
        };
        r.slowdown = slowdown;
        let left = r.natural_end_ms.saturating_sub(now) as f64 * slowdown / old_slowdown;
        r.natural_end_ms = now.saturating_add(crate::time::round_u64(left));
        let record = &mut self.jobs[job];
        let start = record.start_ms.unwrap_or(now);
        record.duration_ms = r.natural_end_ms - start;
        let end = record.walltime_ms.map_or(r.natural_end_ms, |w| {
            r.natural_end_ms.min(start.saturating_add(w))
        });
        if end != r.end_ms {
            r.end_ms = end;
            self.queue.push(end.max(now), Event::Finish(job, slot));
        }
        // A load profile's next change, if the old end had cut it off.
        if r.next_phase_ms.is_none()
            && let Some(pr) = profile
        {
            let next = pr.at(now - start).1.map(|o| start + o).filter(|&t| t < end);
            r.next_phase_ms = next;
            if let Some(t) = next {
                self.queue.push(t, Event::Phase(job, slot));
            }
        }
    }
}
