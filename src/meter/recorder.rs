//! The recorder: the meter reports each piecewise-constant segment to it; the interval
//! recorder bins segments into output intervals, run totals and optional UTC-hour bins.

use crate::time::MS_PER_HOUR_I64;
use crate::time::SimTime;

/// One span of time over which every rate is constant. A segment never crosses an
/// output-interval edge or a rate edge (tariff, carbon, facility).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment<'a> {
    /// Segment start [ms].
    pub start: SimTime,
    /// Segment end [ms], exclusive, `end > start`.
    pub end: SimTime,
    /// The output interval it lies in (`start` ÷ the output interval) [index]: kept by the
    /// meter, which splits at interval edges, so no segment pays for a division.
    pub interval: usize,
    /// IT power (devices + hosts) [kW].
    pub it_kw: f64,
    /// Power usage effectiveness over the segment [-], ≥ 1.
    pub pue: f64,
    /// Energy charges for the segment's facility energy [currency].
    pub energy_cost: f64,
    /// Grid carbon intensity [g/kWh].
    pub intensity_g_per_kwh: f64,
    /// Marginal grid intensity [g/kWh] (0 when not given).
    pub marginal_g_per_kwh: f64,
    /// Outdoor temperature [°C], when the facility model knows it.
    pub outdoor_c: Option<f64>,
    /// Water usage effectiveness [L per kWh of IT energy].
    pub wue_l_per_kwh: f64,
    /// Devices running jobs [count].
    pub busy_devices: u32,
    /// Jobs waiting in the queue [count].
    pub queued_jobs: u32,
    /// IT power of each pool [kW] (may be empty).
    pub pool_kw: &'a [f64],
    /// Power management's state.
    pub power: &'a super::PowerFlags,
}

impl Segment<'_> {
    /// Segment length [h].
    #[inline]
    pub fn hours(&self) -> f64 {
        crate::time::ms_to_hours(self.end - self.start)
    }

    /// Facility power (IT × PUE) [kW].
    #[inline]
    pub fn facility_kw(&self) -> f64 {
        self.it_kw * self.pue
    }
}

/// Receives the segments of a run, in time order.
pub trait Recorder {
    /// Called once per segment.
    fn segment(&mut self, segment: &Segment);
}

/// UTC-hour bins: the first hour's start [ms since the epoch] and one bin per hour.
pub type HourlyBins = (i64, Vec<HourUse>);

/// Consumption of one UTC hour.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct HourUse {
    /// Facility energy [kWh].
    pub kwh: f64,
    /// Location-based CO2e of that energy [kg].
    pub location_kg: f64,
}

/// Bins segments into fixed output intervals and keeps run totals; optionally also bins
/// facility energy and carbon by UTC hour (for hourly clean-energy matching).
#[derive(Debug, Clone)]
pub struct IntervalRecorder {
    interval_ms: SimTime,
    intervals: Vec<crate::result::IntervalRecord>,
    totals: crate::result::Totals,
    /// UTC instant of time 0 [ms since the epoch] and the UTC hour bins, when enabled.
    hourly: Option<HourlyBins>,
}

impl IntervalRecorder {
    /// Intervals of `interval_ms` [ms] covering `[0, horizon_ms)`; the last may be shorter.
    pub fn new(interval_ms: SimTime, horizon_ms: SimTime) -> Self {
        let interval_ms = interval_ms.max(1);
        let count = horizon_ms.div_ceil(interval_ms) as usize;
        let intervals = (0..count as u64)
            .map(|i| crate::result::IntervalRecord {
                start_ms: i * interval_ms,
                end_ms: ((i + 1) * interval_ms).min(horizon_ms),
                ..Default::default()
            })
            .collect();
        Self {
            interval_ms,
            intervals,
            totals: Default::default(),
            hourly: None,
        }
    }

    /// Also bins facility energy and carbon by UTC hour; the meter must split segments at UTC
    /// hour edges. `epoch_ms` is the UTC instant of time 0.
    pub fn with_hourly(mut self, epoch_ms: i64, horizon_ms: SimTime) -> Self {
        let first = epoch_ms.div_euclid(MS_PER_HOUR_I64);
        let last = (epoch_ms + horizon_ms as i64 - 1).div_euclid(MS_PER_HOUR_I64);
        self.hourly = Some((
            epoch_ms,
            vec![Default::default(); (last - first + 1) as usize],
        ));
        self
    }

    /// The intervals, totals and UTC-hour bins (first hour's start [ms since the epoch] and
    /// the bins) recorded.
    pub fn finish(
        self,
    ) -> (
        Vec<crate::result::IntervalRecord>,
        crate::result::Totals,
        Option<HourlyBins>,
    ) {
        let hourly = self
            .hourly
            .map(|(epoch, bins)| (epoch.div_euclid(MS_PER_HOUR_I64) * MS_PER_HOUR_I64, bins));
        (self.intervals, self.totals, hourly)
    }
}

impl Recorder for IntervalRecorder {
    #[inline]
    fn segment(&mut self, s: &Segment) {
        let hours = s.hours();
        let facility_kw = s.facility_kw();
        let facility_kwh = facility_kw * hours;
        let energy = crate::result::Attribution {
            it_energy_kwh: s.it_kw * hours,
            facility_energy_kwh: facility_kwh,
            cost: s.energy_cost,
            carbon_kg: facility_kwh * s.intensity_g_per_kwh / 1000.0,
        };
        let busy = s.busy_devices as f64 * hours;
        let water_l = energy.it_energy_kwh * s.wue_l_per_kwh;
        let marginal_kg = facility_kwh * s.marginal_g_per_kwh / 1000.0;
        let index = s.interval;
        debug_assert_eq!(index as u64, s.start / self.interval_ms);
        if let Some((epoch, bins)) = &mut self.hourly {
            let first = epoch.div_euclid(MS_PER_HOUR_I64);
            let h = (*epoch + s.start as i64).div_euclid(MS_PER_HOUR_I64) - first;
            if let Some(bin) = bins.get_mut(h as usize) {
                bin.kwh += facility_kwh;
                bin.location_kg += energy.carbon_kg;
            }
        }
        if let Some(bin) = self.intervals.get_mut(index) {
            bin.totals.add(&energy);
            bin.water_l += water_l;
            if let Some(t_c) = s.outdoor_c {
                bin.outdoor_c_hours += t_c * hours;
                bin.weather_hours += hours;
            }
            bin.peak_it_kw = bin.peak_it_kw.max(s.it_kw);
            bin.peak_facility_kw = bin.peak_facility_kw.max(facility_kw);
            bin.busy_device_hours += busy;
            bin.queued_job_hours += s.queued_jobs as f64 * hours;
            if bin.pool_it_kwh.len() < s.pool_kw.len() {
                bin.pool_it_kwh.resize(s.pool_kw.len(), 0.0);
            }
            for (e, kw) in bin.pool_it_kwh.iter_mut().zip(s.pool_kw) {
                *e += kw * hours;
            }
            let f = s.power;
            if f.active {
                if f.limit_kw.is_finite() {
                    let p = &mut bin.power;
                    p.limit_kw = Some(p.limit_kw.map_or(f.limit_kw, |l| l.min(f.limit_kw)));
                }
                bin.power.off_node_hours += f.off_nodes as f64 * hours;
                bin.power.booting_node_hours += f.booting_nodes as f64 * hours;
                bin.power.cap_w_hours += f.mean_cap_w * hours;
            }
        }
        if s.power.active {
            self.totals.power.add_segment(s, facility_kw, hours);
        }
        let t = &mut self.totals;
        t.energy.add(&energy);
        t.peak_it_kw = t.peak_it_kw.max(s.it_kw);
        t.peak_facility_kw = t.peak_facility_kw.max(facility_kw);
        t.busy_device_hours += busy;
        t.water_l += water_l;
        t.marginal_carbon_kg += marginal_kg;
    }
}

/// Relative tolerance under which power at the limit counts as within it (float rounding of
/// the same sum computed twice) [-].
pub const LIMIT_TOLERANCE: f64 = 1e-9;

impl crate::result::PowerTotals {
    /// Adds a segment drawing `facility_kw` [kW] for `hours` [h].
    #[inline]
    fn add_segment(&mut self, s: &Segment, facility_kw: f64, hours: f64) {
        let f = s.power;
        if f.limit_kw.is_finite() {
            let limited = if f.limit_on_facility {
                facility_kw
            } else {
                s.it_kw
            };
            let over = limited - f.limit_kw;
            if over > LIMIT_TOLERANCE * f.limit_kw.max(1.0) {
                self.budget_exceeded_s += hours * 3600.0;
                self.budget_exceeded_kwh += over * hours;
            }
        }
        if f.capped {
            self.capped_device_hours += s.busy_devices as f64 * hours;
        }
        self.node_off_hours += f.off_nodes as f64 * hours;
        self.boot_energy_kwh += f.boot_kw * hours;
    }
}
