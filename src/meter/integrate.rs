//! The integrator: integrates piecewise-constant power exactly, splitting time at every output-interval
//! edge and every rate edge, and keeps running integrals so any consumer's energy, facility
//! energy, cost and carbon follow from two snapshots.

use super::recorder::{Recorder, Segment};
use crate::time::{SimTime, ms_to_hours};

/// The rates that turn IT power into facility power and carbon: PUE and grid intensity.
/// Each is piecewise constant in time; `next_edge_after` names the next time either may change.
pub trait Rates {
    /// PUE [-] at time `t` [ms] for an IT load fraction `load_fraction` [0..1].
    fn pue(&self, t: SimTime, load_fraction: f64) -> f64;
    /// Grid carbon intensity [g/kWh] at time `t` [ms].
    fn intensity_g_per_kwh(&self, t: SimTime) -> f64;
    /// Marginal grid intensity [g/kWh] at `t`, when known (0 otherwise).
    fn marginal_g_per_kwh(&self, _t: SimTime) -> f64 {
        0.0
    }
    /// Outdoor temperature [°C] at `t`, when known.
    fn outdoor_c(&self, _t: SimTime) -> Option<f64> {
        None
    }
    /// Water usage effectiveness [L per kWh of IT energy] at `t`.
    fn wue_l_per_kwh(&self, _t: SimTime) -> f64 {
        0.0
    }
    /// The first time strictly after `t` at which a rate may change, if any [ms].
    fn next_edge_after(&self, t: SimTime) -> Option<SimTime>;
    /// Whether the PUE is the same at every load between two rate edges (then the meter
    /// reads it once per edge).
    fn pue_load_independent(&self) -> bool {
        false
    }
}

/// Prices facility energy. Stateful: the price of a kWh may depend on what was drawn before
/// (monthly tiers), so the meter charges every segment in time order.
pub trait Pricer {
    /// The energy cost [currency] of drawing `facility_kw` [kW] over `[start, end)` [ms].
    fn charge(&mut self, start: SimTime, end: SimTime, facility_kw: f64) -> f64;
    /// The first time strictly after `t` at which prices may change [ms].
    fn next_edge_after(&self, t: SimTime) -> Option<SimTime>;
}

/// Running integrals of the rates over time. For a consumer drawing a constant `p` [kW] between
/// two snapshots `a` and `b`, its facility energy is `p·(b.facility_h − a.facility_h)` [kWh], its
/// cost `p·(b.cost_per_kw − a.cost_per_kw)` and its carbon `p·(b.carbon_kg_per_kw −
/// a.carbon_kg_per_kw)` [kg].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Accumulators {
    /// ∫ PUE dt [h].
    pub facility_h: f64,
    /// ∫ PUE · price dt [currency/kW], with the price of each segment its energy cost over
    /// its facility energy (so monthly tiers are charged exactly).
    pub cost_per_kw: f64,
    /// ∫ PUE · intensity dt [kg/kW].
    pub carbon_kg_per_kw: f64,
}

/// The instantaneous state the meter integrates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PowerState<'a> {
    /// IT power [kW].
    pub it_kw: f64,
    /// IT power of each pool [kW] (sums to `it_kw`; may be empty).
    pub pool_kw: &'a [f64],
    /// Devices running jobs [count].
    pub busy_devices: u32,
    /// Jobs waiting [count].
    pub queued_jobs: u32,
    /// Power management's state (limit, node power states, caps).
    pub power: &'a PowerFlags,
}

impl Default for PowerState<'_> {
    fn default() -> Self {
        Self {
            it_kw: 0.0,
            pool_kw: &[],
            busy_devices: 0,
            queued_jobs: 0,
            power: &PowerFlags::NONE,
        }
    }
}

/// Power management's state between two events, for the recorder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PowerFlags {
    /// Whether power management is on (otherwise the recorder skips the rest).
    pub active: bool,
    /// The limit in force [kW] (`∞` when none).
    pub limit_kw: f64,
    /// Whether the limit applies to facility power (otherwise to IT power).
    pub limit_on_facility: bool,
    /// Powered-off nodes [count].
    pub off_nodes: u32,
    /// Booting nodes [count].
    pub booting_nodes: u32,
    /// Draw of the booting nodes [kW].
    pub boot_kw: f64,
    /// Mean device cap in force [W] (0 when no budget caps).
    pub mean_cap_w: f64,
    /// Whether devices run under a lowered runtime cap (busy devices then count as capped).
    pub capped: bool,
}

impl PowerFlags {
    /// No power management.
    pub const NONE: PowerFlags = PowerFlags {
        active: false,
        limit_kw: f64::INFINITY,
        limit_on_facility: true,
        off_nodes: 0,
        booting_nodes: 0,
        boot_kw: 0.0,
        mean_cap_w: 0.0,
        capped: false,
    };
}

impl Default for PowerFlags {
    fn default() -> Self {
        Self::NONE
    }
}

/// The rates that depend on time only, constant between two rate edges.
#[derive(Debug, Clone, Copy)]
struct TimeRates {
    /// PUE [-], when it does not depend on the load.
    pue: Option<f64>,
    intensity_g_per_kwh: f64,
    marginal_g_per_kwh: f64,
    outdoor_c: Option<f64>,
    wue_l_per_kwh: f64,
}

/// Integrates power between events.
pub struct Meter<R: Rates, P: Pricer> {
    rates: R,
    pricer: P,
    now: SimTime,
    interval_ms: SimTime,
    next_output_edge: SimTime,
    /// The output interval `now` lies in [index].
    output_index: usize,
    next_rate_edge: SimTime,
    /// Time-only rates cached until the next rate edge; `None` after an edge.
    cached: Option<TimeRates>,
    /// Whether the PUE is a time-only rate (see [`Rates::pue_load_independent`]).
    pue_time_only: bool,
    capacity_kw: f64,
    acc: Accumulators,
}

impl<R: Rates, P: Pricer> Meter<R, P> {
    /// A meter starting at time 0, splitting at multiples of `interval_ms` [ms] (> 0).
    /// `capacity_kw` is the IT power at full load, for load-dependent PUE.
    pub fn new(rates: R, pricer: P, interval_ms: SimTime, capacity_kw: f64) -> Self {
        let interval_ms = interval_ms.max(1);
        let next_rate_edge = next_edge(&rates, &pricer, 0);
        let pue_time_only = rates.pue_load_independent();
        Self {
            rates,
            pricer,
            now: 0,
            interval_ms,
            next_output_edge: interval_ms,
            output_index: 0,
            next_rate_edge,
            cached: None,
            pue_time_only,
            capacity_kw,
            acc: Accumulators::default(),
        }
    }

    /// The time up to which power has been integrated [ms].
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The running integrals at `now()`.
    #[inline]
    pub fn accumulators(&self) -> Accumulators {
        self.acc
    }

    /// The pricer, as it stands.
    pub fn pricer(&self) -> &P {
        &self.pricer
    }

    /// Ends metering and returns the pricer (with what it billed).
    pub fn into_pricer(self) -> P {
        self.pricer
    }

    /// Integrates `state` from `now()` up to `to` [ms], reporting each segment to `recorder`.
    #[inline]
    pub fn advance<Rec: Recorder>(
        &mut self,
        to: SimTime,
        state: &PowerState<'_>,
        recorder: &mut Rec,
    ) {
        while self.now < to {
            let end = to.min(self.next_output_edge).min(self.next_rate_edge);
            self.integrate(end, state, recorder);
            if end == self.next_output_edge {
                self.next_output_edge += self.interval_ms;
                self.output_index += 1;
            }
            if end == self.next_rate_edge {
                self.next_rate_edge = next_edge(&self.rates, &self.pricer, end);
                self.cached = None;
            }
        }
    }

    /// Integrates `state` from `now()` to `end` (no edge between): one segment. Out of
    /// line: inlined into `advance`, the event loop ran about 70 M more instructions on the
    /// 1M-job M/M/c bench (callgrind).
    #[inline(never)]
    fn integrate<Rec: Recorder>(
        &mut self,
        end: SimTime,
        state: &PowerState<'_>,
        recorder: &mut Rec,
    ) {
        let start = self.now;
        let rates = &self.rates;
        let time_only = self.pue_time_only;
        let cached = *self.cached.get_or_insert_with(|| TimeRates {
            pue: time_only.then(|| rates.pue(start, 0.0)),
            intensity_g_per_kwh: rates.intensity_g_per_kwh(start),
            marginal_g_per_kwh: rates.marginal_g_per_kwh(start),
            outdoor_c: rates.outdoor_c(start),
            wue_l_per_kwh: rates.wue_l_per_kwh(start),
        });
        let pue = match cached.pue {
            Some(pue) => pue,
            None => pue_at(&self.rates, start, state.it_kw, self.capacity_kw),
        };
        let energy_cost = self.pricer.charge(start, end, state.it_kw * pue);
        let segment = Segment {
            start,
            end,
            interval: self.output_index,
            it_kw: state.it_kw,
            pue,
            energy_cost,
            intensity_g_per_kwh: cached.intensity_g_per_kwh,
            marginal_g_per_kwh: cached.marginal_g_per_kwh,
            outdoor_c: cached.outdoor_c,
            wue_l_per_kwh: cached.wue_l_per_kwh,
            busy_devices: state.busy_devices,
            queued_jobs: state.queued_jobs,
            pool_kw: state.pool_kw,
            power: state.power,
        };
        let hours = ms_to_hours(end - start);
        let facility_h = segment.pue * hours;
        self.acc.facility_h += facility_h;
        if state.it_kw > 0.0 {
            self.acc.cost_per_kw += energy_cost / state.it_kw;
        }
        self.acc.carbon_kg_per_kw += facility_h * segment.intensity_g_per_kwh / 1000.0;
        recorder.segment(&segment);
        self.now = end;
    }
}

/// PUE at `t` [ms] for an IT draw of `it_kw` [kW] out of `capacity_kw` at full load (the
/// load fraction a PUE curve reads; 0 without capacity).
#[inline]
pub fn pue_at<R: Rates>(rates: &R, t: SimTime, it_kw: f64, capacity_kw: f64) -> f64 {
    let load_fraction = if capacity_kw > 0.0 {
        it_kw / capacity_kw
    } else {
        0.0
    };
    rates.pue(t, load_fraction)
}

/// The earlier of the rates' and the pricer's next edges.
fn next_edge<R: Rates, P: Pricer>(rates: &R, pricer: &P, t: SimTime) -> SimTime {
    let a = rates.next_edge_after(t).unwrap_or(SimTime::MAX);
    let b = pricer.next_edge_after(t).unwrap_or(SimTime::MAX);
    a.min(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PUE 1.5; intensity 400 g/kWh.
    struct Building;
    impl Rates for Building {
        fn pue(&self, _: SimTime, _: f64) -> f64 {
            1.5
        }
        fn intensity_g_per_kwh(&self, _: SimTime) -> f64 {
            400.0
        }
        fn next_edge_after(&self, _: SimTime) -> Option<SimTime> {
            None
        }
    }

    /// Price 0.10 before 2 h and 0.30 after.
    struct StepPrice;
    impl Pricer for StepPrice {
        fn charge(&mut self, start: SimTime, end: SimTime, kw: f64) -> f64 {
            let h2 = 2 * crate::time::MS_PER_HOUR;
            let price = if start < h2 { 0.10 } else { 0.30 };
            kw * ms_to_hours(end - start) * price
        }
        fn next_edge_after(&self, t: SimTime) -> Option<SimTime> {
            (t < 2 * crate::time::MS_PER_HOUR).then_some(2 * crate::time::MS_PER_HOUR)
        }
    }

    /// Each segment's bounds and output interval.
    #[derive(Default)]
    struct Collect(Vec<(SimTime, SimTime)>, Vec<usize>);
    impl Recorder for Collect {
        fn segment(&mut self, s: &Segment) {
            self.0.push((s.start, s.end));
            self.1.push(s.interval);
        }
    }

    #[test]
    fn splits_at_output_and_rate_edges_and_integrates_exactly() {
        let h = crate::time::MS_PER_HOUR;
        // Output interval 90 min, price edge at 2 h, advance to 3 h:
        // segments [0,1.5h) [1.5h,2h) [2h,3h).
        let mut meter = Meter::new(Building, StepPrice, 90 * 60_000, 100.0);
        let mut rec = Collect::default();
        let state = PowerState {
            it_kw: 10.0,
            pool_kw: &[],
            busy_devices: 1,
            queued_jobs: 0,
            power: &PowerFlags::NONE,
        };
        meter.advance(3 * h, &state, &mut rec);
        assert_eq!(meter.now(), 3 * h);
        let bounds = rec.0.clone();
        assert_eq!(
            bounds,
            vec![(0, 90 * 60_000), (90 * 60_000, 2 * h), (2 * h, 3 * h)]
        );
        // Intervals of 90 min: [0, 1.5 h) is the first, [1.5 h, 3 h) the second.
        assert_eq!(rec.1, vec![0, 1, 1]);
        let acc = meter.accumulators();
        // ∫PUE dt = 1.5 × 3 h = 4.5 h.
        assert!((acc.facility_h - 4.5).abs() < 1e-12);
        // ∫PUE·price dt = 1.5 × (2 h × 0.10 + 1 h × 0.30) = 1.5 × 0.5 = 0.75 per kW.
        assert!((acc.cost_per_kw - 0.75).abs() < 1e-12);
        // ∫PUE·I dt = 1.5 × 3 h × 0.4 kg/kWh = 1.8 kg per kW.
        assert!((acc.carbon_kg_per_kw - 1.8).abs() < 1e-12);
    }

    /// PUE 1.5 before 1 h and 2.0 after, at any load; intensity 0.
    struct SteppedPue;
    impl Rates for SteppedPue {
        fn pue(&self, t: SimTime, _: f64) -> f64 {
            if t < crate::time::MS_PER_HOUR {
                1.5
            } else {
                2.0
            }
        }
        fn intensity_g_per_kwh(&self, _: SimTime) -> f64 {
            0.0
        }
        fn next_edge_after(&self, t: SimTime) -> Option<SimTime> {
            (t < crate::time::MS_PER_HOUR).then_some(crate::time::MS_PER_HOUR)
        }
        fn pue_load_independent(&self) -> bool {
            true
        }
    }

    #[test]
    fn a_load_independent_pue_is_read_again_at_each_rate_edge() {
        // Advance in three steps (a segment per load), across the PUE edge at 1 h:
        // ∫PUE dt = 1.5 × 1 h + 2.0 × 1 h = 3.5 h, whatever the loads.
        let h = crate::time::MS_PER_HOUR;
        let mut meter = Meter::new(SteppedPue, StepPrice, 10 * h, 100.0);
        let mut rec = Collect::default();
        for (to, kw) in [(h / 2, 10.0), (3 * h / 2, 50.0), (2 * h, 0.0)] {
            let state = PowerState {
                it_kw: kw,
                ..PowerState::default()
            };
            meter.advance(to, &state, &mut rec);
        }
        assert!((meter.accumulators().facility_h - 3.5).abs() < 1e-12);
    }

    #[test]
    fn advancing_to_now_is_a_no_op() {
        let mut meter = Meter::new(Building, StepPrice, 1000, 1.0);
        let mut rec = Collect::default();
        meter.advance(0, &PowerState::default(), &mut rec);
        assert!(rec.0.is_empty());
        assert_eq!(meter.now(), 0);
    }
}
