//! The biller: applies a tariff to a load segment by segment. It prices energy by period and
//! monthly tier (splitting a segment where it crosses a tier bound), averages facility power
//! over clock-aligned demand intervals, and at the end turns each billing month into bill lines.

use super::lines;
use super::{DemandScope, EnergyPricing, LocalSlot, Tariff, Tier};
use crate::meter::Pricer;
use crate::result::{Bill, MonthBill};
use crate::time::{SimTime, ms_to_hours};
use chrono::{Datelike, TimeZone};

/// Milliseconds per day [ms/d].
pub(super) const MS_PER_DAY: f64 = crate::time::MS_PER_DAY as f64;

/// One billing month as the biller tracks it.
#[derive(Debug, Clone)]
pub(super) struct MonthState {
    /// `YYYY-MM` in the tariff's time zone.
    pub(super) label: String,
    /// Calendar month 0–11.
    pub(super) month0: usize,
    /// Covered span in simulation time [ms], clipped to the run.
    pub(super) start: SimTime,
    pub(super) end: SimTime,
    /// Length of the whole calendar month [ms].
    pub(super) full_ms: i64,
    /// Days of the whole calendar month (bounds of `kWh daily` tiers scale by it).
    pub(super) days: f64,
    /// Energy so far this month [kWh] (drives tiers).
    pub(super) kwh: f64,
    /// (kWh, cost) per energy period and tier.
    pub(super) energy: Vec<Vec<(f64, f64)>>,
    /// Highest interval-average kW and its interval start, per demand charge.
    pub(super) peaks: Vec<Option<(f64, SimTime)>>,
    /// Highest interval-average kW over every interval so far: the billed demand that
    /// hours-use (`kWh/kW`) tiers scale by (tracked only for such tariffs).
    pub(super) peak_kw: f64,
    /// Energy drawn in hours-use periods as runs of the month's cumulative kWh, to price
    /// again at month end once the billed demand is known.
    pub(super) runs: Vec<Run>,
    /// The period of the last energy charged (a run grows while it stays the same).
    pub(super) last_period: Option<usize>,
}

/// Energy drawn in one hours-use period while the month's cumulative kWh went from `from_kwh`
/// to `from_kwh + kwh`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    period: usize,
    from_kwh: f64,
    kwh: f64,
}

/// The demand interval being averaged.
#[derive(Debug, Clone, Copy)]
struct Window {
    id: i64,
    start: SimTime,
    kwh: f64,
    month: usize,
    period: usize,
}

/// Applies a tariff to a load over `[0, horizon)`.
#[derive(Debug, Clone)]
pub struct Biller<'a> {
    tariff: &'a Tariff,
    /// UTC instant of simulation time 0 [ms since the epoch].
    epoch_ms: i64,
    horizon: SimTime,
    months: Vec<MonthState>,
    /// Sub-hour grid on which periods and demand intervals can change [ms]; 0 = none.
    grid_ms: i64,
    /// Whether demand intervals are averaged (`Tariff::tracks_demand`).
    tracks_demand: bool,
    /// Cached state valid until `slot_end`.
    slot_end: SimTime,
    month: usize,
    energy_period: usize,
    price_per_kwh: f64,
    /// The current month's escalation factor (set with `month`).
    escalation: f64,
    window: Option<Window>,
}

impl<'a> Biller<'a> {
    /// A biller for a run starting at `epoch_ms` (UTC, ms since the epoch) and lasting
    /// `horizon` [ms].
    pub fn new(tariff: &'a Tariff, epoch_ms: i64, horizon: SimTime) -> Self {
        let grid_ms = if tariff.needs_grid() {
            gcd(15 * 60_000, tariff.demand_interval_ms as i64)
        } else {
            0
        };
        let months = billing_months(tariff, epoch_ms, horizon);
        Biller {
            tariff,
            epoch_ms,
            horizon,
            months,
            grid_ms,
            tracks_demand: tariff.tracks_demand(),
            slot_end: 0,
            month: 0,
            energy_period: 0,
            price_per_kwh: 0.0,
            escalation: tariff.escalation(0),
            window: None,
        }
    }

    /// Recomputes the cached period, month, price and demand interval at `t`.
    fn refresh(&mut self, t: SimTime) {
        let abs = self.epoch_ms + t as i64;
        while self.month + 1 < self.months.len() && self.months[self.month + 1].start <= t {
            self.month += 1;
            self.escalation = self.tariff.escalation(self.month);
        }
        let LocalSlot {
            month0,
            weekend,
            hour,
            offset_ms,
        } = self.tariff.local_slot(abs);
        match &self.tariff.energy {
            EnergyPricing::Tou { schedule, .. } => {
                self.energy_period = schedule.period(month0, weekend, hour);
            }
            EnergyPricing::RealTime {
                series,
                adder_per_kwh,
            } => self.price_per_kwh = series.value_at(abs) + adder_per_kwh,
        }
        if self.tracks_demand {
            let id = (abs + offset_ms).div_euclid(self.tariff.demand_interval_ms as i64);
            if self.window.is_none_or(|w| w.id != id) {
                self.close_window(t);
                self.window = Some(Window {
                    id,
                    start: t,
                    kwh: 0.0,
                    month: self.month,
                    period: self.tariff.demand_schedule.period(month0, weekend, hour),
                });
            }
        }
        self.slot_end = self.next_edge_after(t).unwrap_or(SimTime::MAX);
    }

    /// Ends the open demand interval at `t` and updates the month's peaks.
    fn close_window(&mut self, t: SimTime) {
        let Some(w) = self.window.take() else {
            return;
        };
        if t <= w.start {
            return;
        }
        let kw = w.kwh / ms_to_hours(t - w.start);
        let month = &mut self.months[w.month];
        month.peak_kw = month.peak_kw.max(kw);
        for (d, charge) in self.tariff.demand.iter().enumerate() {
            let counts = match &charge.scope {
                DemandScope::All => true,
                DemandScope::Periods(periods) => periods.contains(&w.period),
            };
            if counts && month.peaks[d].is_none_or(|(peak, _)| kw > peak) {
                month.peaks[d] = Some((kw, w.start));
            }
        }
    }

    /// Prices `kwh` of energy in the current month and period, tier by tier.
    #[inline]
    fn price_energy(&mut self, kwh: f64) -> f64 {
        let f = self.escalation;
        let month = &mut self.months[self.month];
        let cost = match &self.tariff.energy {
            EnergyPricing::RealTime { .. } => {
                let cost = kwh * self.price_per_kwh * f;
                let cell = &mut month.energy[0][0];
                cell.0 += kwh;
                cell.1 += cost;
                cost
            }
            EnergyPricing::Tou { periods, .. } => {
                let p = self.energy_period;
                let period = &periods[p];
                if period.hours_use() {
                    // Priced on the billed demand so far; priced again at month end.
                    match month.runs.last_mut() {
                        Some(run) if month.last_period == Some(p) => run.kwh += kwh,
                        _ => month.runs.push(Run {
                            period: p,
                            from_kwh: month.kwh,
                            kwh,
                        }),
                    }
                }
                let scale = period.tier_unit.scale(month.days, month.peak_kw);
                let cells = &mut month.energy[p];
                month.last_period = Some(p);
                split_tiers(&period.tiers, scale, month.kwh, kwh, f, |i, take, price| {
                    cells[i].0 += take;
                    cells[i].1 += take * price;
                })
            }
        };
        month.kwh += kwh;
        cost
    }

    /// Closes the last demand interval and writes the bill.
    pub fn finish(mut self) -> Bill {
        self.close_window(self.horizon);
        let tariff = self.tariff;
        let mut history: Vec<Vec<f64>> = vec![Vec::new(); tariff.demand.len()];
        let mut months: Vec<MonthBill> = self
            .months
            .iter_mut()
            .enumerate()
            .map(|(k, m)| {
                let escalation = tariff.escalation(k);
                let repriced = reprice_hours_use(tariff, m, escalation);
                let mut bill = lines::month_bill(tariff, m, escalation, &mut history);
                bill.energy_repriced = repriced;
                bill
            })
            .collect();
        super::minimum::apply(tariff, &mut months);
        for month in &mut months {
            lines::add_tax(tariff, month);
        }
        Bill {
            currency: tariff.currency.clone(),
            months,
        }
    }
}

impl Pricer for Biller<'_> {
    #[inline]
    fn charge(&mut self, start: SimTime, end: SimTime, facility_kw: f64) -> f64 {
        if start >= self.slot_end {
            self.refresh(start);
        }
        let kwh = facility_kw * ms_to_hours(end - start);
        if let Some(w) = &mut self.window {
            w.kwh += kwh;
        }
        self.price_energy(kwh)
    }

    fn next_edge_after(&self, t: SimTime) -> Option<SimTime> {
        let month_edge = self
            .months
            .iter()
            .map(|m| m.end)
            .find(|&end| end > t && end < self.horizon);
        let abs = self.epoch_ms + t as i64;
        let grid_edge = (self.grid_ms > 0).then(|| {
            let next = (abs.div_euclid(self.grid_ms) + 1) * self.grid_ms;
            (next - self.epoch_ms) as SimTime
        });
        let series_edge = match &self.tariff.energy {
            EnergyPricing::RealTime { series, .. } => series
                .next_change_after(abs)
                .map(|next| (next - self.epoch_ms) as SimTime),
            EnergyPricing::Tou { .. } => None,
        };
        [month_edge, grid_edge, series_edge]
            .into_iter()
            .flatten()
            .min()
    }
}

/// Prices the month's hours-use (`kWh/kW`) energy again on its final billed demand, run by run
/// in time order (as NREL SAM's Utilityrate5 does, which knows the month's peak before it
/// tiers); returns the change [currency], which is not attributed to jobs (`site_cost`).
fn reprice_hours_use(tariff: &Tariff, m: &mut MonthState, escalation: f64) -> f64 {
    let EnergyPricing::Tou { periods, .. } = &tariff.energy else {
        return 0.0;
    };
    if m.runs.is_empty() {
        return 0.0;
    }
    let mut before = 0.0;
    for (p, period) in periods.iter().enumerate() {
        if period.hours_use() {
            for cell in &mut m.energy[p] {
                before += cell.1;
                *cell = (0.0, 0.0);
            }
        }
    }
    let mut after = 0.0;
    for run in &m.runs {
        let period = &periods[run.period];
        let scale = period.tier_unit.scale(m.days, m.peak_kw);
        let cells = &mut m.energy[run.period];
        after += split_tiers(
            &period.tiers,
            scale,
            run.from_kwh,
            run.kwh,
            escalation,
            |i, take, price| {
                cells[i].0 += take;
                cells[i].1 += take * price;
            },
        );
    }
    after - before
}

/// Splits `kwh` drawn when `used` kWh were already used this month over `tiers` (bounds times
/// `scale`), calling `book(tier, kwh, price)` for each piece, each price times `factor`
/// (escalation); returns the cost. Energy beyond a bounded last tier is priced at the last
/// tier.
pub(super) fn split_tiers(
    tiers: &[Tier],
    scale: f64,
    mut used: f64,
    kwh: f64,
    factor: f64,
    mut book: impl FnMut(usize, f64, f64),
) -> f64 {
    let last = tiers.len() - 1;
    let mut remaining = kwh;
    let mut cost = 0.0;
    for (i, tier) in tiers.iter().enumerate() {
        let take = match tier.max {
            Some(max) if i < last => remaining.min((max * scale - used).max(0.0)),
            _ => remaining,
        };
        if take > 0.0 {
            let price = tier.price * factor;
            book(i, take, price);
            cost += take * price;
            used += take;
            remaining -= take;
        }
        if remaining <= 0.0 {
            break;
        }
    }
    cost
}

/// The calendar months (in the tariff's zone) that overlap `[0, horizon)`.
fn billing_months(tariff: &Tariff, epoch_ms: i64, horizon: SimTime) -> Vec<MonthState> {
    let tz = tariff.time_zone;
    let Some(first) = tz.timestamp_millis_opt(epoch_ms).single() else {
        return vec![];
    };
    let (mut year, mut month) = (first.year(), first.month());
    let month_start = |y: i32, m: u32| -> i64 {
        (0..3)
            .find_map(|h| tz.with_ymd_and_hms(y, m, 1, h, 0, 0).earliest())
            .map_or(epoch_ms, |t| t.timestamp_millis())
    };
    let energy_cells: Vec<Vec<(f64, f64)>> = match &tariff.energy {
        EnergyPricing::Tou { periods, .. } => periods
            .iter()
            .map(|p| vec![(0.0, 0.0); p.tiers.len()])
            .collect(),
        EnergyPricing::RealTime { .. } => vec![vec![(0.0, 0.0)]],
    };
    let end_abs = epoch_ms + horizon as i64;
    let mut out = Vec::new();
    loop {
        let start_abs = month_start(year, month);
        let (ny, nm) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        let next_abs = month_start(ny, nm);
        if start_abs >= end_abs {
            break;
        }
        out.push(MonthState {
            label: format!("{year:04}-{month:02}"),
            month0: month as usize - 1,
            start: (start_abs - epoch_ms).max(0) as SimTime,
            end: ((next_abs.min(end_abs)) - epoch_ms).max(0) as SimTime,
            full_ms: next_abs - start_abs,
            days: crate::time::days_in_month(year, month) as f64,
            kwh: 0.0,
            energy: energy_cells.clone(),
            peaks: vec![None; tariff.demand.len()],
            peak_kw: 0.0,
            runs: Vec::new(),
            last_period: None,
        });
        (year, month) = (ny, nm);
    }
    out
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_split_at_their_bounds() {
        // 100 kWh at 0.10 up to 1000 kWh/month, then 0.20. With 950 kWh used, 100 kWh more:
        // 50 × 0.10 + 50 × 0.20 = 15.
        let tiers = vec![
            Tier {
                max: Some(1000.0),
                price: 0.10,
            },
            Tier {
                max: None,
                price: 0.20,
            },
        ];
        let mut pieces = vec![];
        let cost = split_tiers(&tiers, 1.0, 950.0, 100.0, 1.0, |i, kwh, _| {
            pieces.push((i, kwh))
        });
        assert!((cost - 15.0).abs() < 1e-12);
        assert_eq!(pieces, vec![(0, 50.0), (1, 50.0)]);
    }

    #[test]
    fn energy_beyond_a_bounded_last_tier_is_priced_at_the_last_tier() {
        // URDB tiers may bound the last one too: 0.10 up to 100 kWh, 0.20 up to 200 kWh.
        // 300 kWh from the month's start: 100 × 0.10 + 200 × 0.20 = 50, the last tier taking
        // everything past the first (the bound of the last tier does not cap it).
        let tiers = vec![
            Tier {
                max: Some(100.0),
                price: 0.10,
            },
            Tier {
                max: Some(200.0),
                price: 0.20,
            },
        ];
        let mut pieces = vec![];
        let cost = split_tiers(&tiers, 1.0, 0.0, 300.0, 1.0, |i, kwh, _| {
            pieces.push((i, kwh))
        });
        assert!((cost - 50.0).abs() < 1e-12, "{cost}");
        assert_eq!(pieces, vec![(0, 100.0), (1, 200.0)]);
    }
}
