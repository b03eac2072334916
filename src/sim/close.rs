//! Closing a run at the horizon: running jobs are charged up to it and leave, then the jobs
//! still waiting; the recorder and biller are finished and the carbon report is made.

use super::core::Core;
use crate::meter::HourlyBins;
use crate::model::scenario::Scenario;
use crate::result::{CarbonReport, JobOutcome, RunResult, Totals};
use crate::scheduler::{JobId, PowerManager, Scheduler};

impl Core<'_, '_> {
    /// Closes the run at the horizon: running jobs are charged up to it and leave, then the
    /// jobs still queued or not yet submitted, each group in id order.
    pub(super) fn close(
        mut self,
        scheduler: &impl Scheduler,
        power: &impl PowerManager,
    ) -> RunResult {
        let horizon = self.scenario.horizon_ms;
        debug_assert!(
            scheduler
                .waiting()
                .iter()
                .all(|&j| self.jobs[j].outcome == JobOutcome::Queued)
        );
        let acc = self.meter.accumulators();
        let mut still_running: Vec<_> = self.running.iter_mut().filter_map(Option::take).collect();
        still_running.sort_by_key(|r| self.jobs[r.job].id);
        let mut vacant = vec![false; self.jobs.records.len()];
        for &j in &self.jobs.vacant {
            vacant[j as usize] = true;
        }
        for running in &still_running {
            let record = &mut self.jobs[running.job];
            if !running.begun() {
                // Placed on nodes still booting at the horizon: it never began.
                record.start_ms = None;
                record.pool = None;
                record.held_devices = 0;
                record.missed_deadline = record.deadline_ms.is_some_and(|d| d <= horizon);
                vacant[running.job as usize] = true;
                self.jobs.leave(running.job);
                continue;
            }
            running.charge(record, horizon, &acc);
            record.end_ms = Some(horizon);
            record.outcome = JobOutcome::Running;
            record.missed_deadline = record.deadline_ms.is_some_and(|d| running.end_ms > d);
            vacant[running.job as usize] = true;
            self.jobs.leave(running.job);
        }
        // Still queued (or not yet submitted): live entries that have not left.
        let mut waiting: Vec<JobId> = (0..self.jobs.records.len() as JobId)
            .filter(|&j| !vacant[j as usize] && self.jobs[j].outcome == JobOutcome::Queued)
            .collect();
        waiting.sort_by_key(|&j| self.jobs[j].id);
        for j in waiting {
            // Not started, so it cannot end by a deadline within the horizon.
            let record = &mut self.jobs[j];
            record.missed_deadline = record.deadline_ms.is_some_and(|d| d <= horizon);
            self.jobs.leave(j);
        }
        // A streamed run's table grew only when no entry was free: to the most jobs at once.
        debug_assert!(self.jobs.keep || self.jobs.records.len() as u64 == self.jobs.peak_live);
        self.settle_idle(horizon);
        let (intervals, mut totals, hourly) = self.recorder.finish();
        totals.power.jobs_held_for_power = self.power.held_jobs;
        totals.power.boots = self.power.boots;
        totals.power.jobs_held_for_shaving = self.power.held_for_shaving;
        let mut bill = self.meter.into_pricer().finish();
        if let Some(shaving) = &self.scenario.power.peak_shaving {
            note_shaving_target(&mut bill, shaving.target_kw);
        }
        let sc = self.scenario;
        let carbon = carbon_report(sc, &totals, hourly);
        let arrivals = &self.arrivals;
        RunResult {
            scenario: sc.name.clone(),
            seed: self.seed,
            policy: scheduler.name().to_string(),
            power_manager: power.name().to_string(),
            calendar: sc.calendar,
            horizon_ms: horizon,
            output_interval_ms: sc.output_interval_ms,
            currency: sc.site.tariff.currency.clone(),
            installed_devices: sc.installed_devices(),
            notes: sc.notes.clone(),
            flops_done: sc.sizes_in_flops().then_some(self.flops_done),
            installed_device_hours: sc
                .pools
                .iter()
                .map(|p| p.devices() as f64 * p.installed_hours(horizon))
                .sum(),
            trace_skips: sc
                .traces
                .iter()
                .zip(&arrivals.traces)
                .flat_map(|(t, s)| {
                    s.skips
                        .iter()
                        .map(|(reason, n)| (t.name.clone(), reason.to_string(), *n))
                })
                .collect(),
            trace_rows_used: arrivals.traces.iter().map(|s| s.used).sum(),
            unplaced_replica_hours: arrivals.unplaced_replica_hours
                + arrivals
                    .services
                    .iter()
                    .map(|s| s.unplaced as f64 * crate::time::ms_to_hours(horizon - s.last_step))
                    .sum::<f64>(),
            intervals,
            peak_live_jobs: self.jobs.peak_live,
            names: self.jobs.names,
            jobs: if self.jobs.keep {
                self.jobs.records
            } else {
                vec![]
            },
            job_stats: self.jobs.stats,
            idle: self.idle,
            totals,
            events: self.events,
            tco: sc
                .costs
                .as_ref()
                .map(|c| crate::result::tco::Tco::new(c, &bill)),
            bill,
            carbon,
        }
    }
}

/// Market-based, marginal and embodied carbon of a run.
fn carbon_report(sc: &Scenario, totals: &Totals, hourly: Option<HourlyBins>) -> CarbonReport {
    use crate::model::carbon::{amortised_kg, market};
    let span_h = crate::time::ms_to_hours(sc.horizon_ms);
    // Each pool's embodied carbon is amortised over the time it is installed.
    let installed_h = |p: &crate::model::pool::Pool| p.installed_hours(sc.horizon_ms);
    let (market_kg, cfe_score) = match (&sc.site.grid.market, hourly) {
        (Some(contract), Some((first_hour_ms, hours))) => {
            let r = market::account(contract, &hours, first_hour_ms, span_h);
            (r.market_kg, r.cfe_score)
        }
        _ => (totals.energy.carbon_kg, 0.0),
    };
    let embodied_kg = sc
        .pools
        .iter()
        .map(|p| {
            amortised_kg(
                p.device.embodied_kg * p.devices() as f64,
                p.device.lifetime_years,
                installed_h(p),
            ) + amortised_kg(
                p.host_embodied_kg * p.nodes as f64,
                p.host_lifetime_years,
                installed_h(p),
            )
        })
        .sum();
    CarbonReport {
        market_kg,
        marginal_kg: sc
            .site
            .grid
            .marginal
            .is_some()
            .then_some(totals.marginal_carbon_kg),
        embodied_kg,
        cfe_score,
    }
}

/// Notes the peak-shaving target on every demand line of `bill`, and whether the billed
/// demand met it.
fn note_shaving_target(bill: &mut crate::result::Bill, target_kw: f64) {
    let lines = bill.months.iter_mut().flat_map(|m| m.lines.iter_mut());
    for line in lines.filter(|l| l.item == crate::result::LineItem::Demand) {
        let verdict = if line.quantity <= target_kw * (1.0 + 1e-9) {
            "met"
        } else {
            "above it"
        };
        let note = format!("peak-shaving target {target_kw} kW: {verdict}");
        line.note = if line.note.is_empty() {
            note
        } else {
            format!("{}; {note}", line.note)
        };
    }
}
