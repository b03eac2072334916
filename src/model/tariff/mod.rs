//! The utility tariff as data: energy prices by time-of-use period and monthly tier, or a
//! real-time price series; demand charges on the billing month's peak interval-average kW;
//! fixed monthly charges; tax. The biller applies it to a load.

pub mod biller;
mod lines;
mod minimum;
pub mod schedule;

pub use crate::model::series::StepSeries;
pub use biller::Biller;
pub use schedule::Schedule;

use chrono::{Datelike, Offset, TimeZone, Timelike, Weekday};
use chrono_tz::Tz;

/// One price block: applies up to `max` (cumulative) and costs `price` per unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    /// Upper bound of the block (monthly kWh for energy, kW for demand); `None` = no bound.
    pub max: Option<f64>,
    /// Price [currency/kWh] for energy, [currency/kW-month] for demand.
    pub price: f64,
}

/// What an energy tier's `max` counts: kWh in the billing month, or kWh scaled by the month's
/// billed demand (hours-use tiers) and / or by its number of days, as URDB's tier units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TierUnit {
    /// kWh per billing month (URDB `kWh`).
    #[default]
    Kwh,
    /// kWh per kW of the month's billed demand (URDB `kWh/kW`, "hours use"): the bound is
    /// `max ×` the month's highest interval-average facility kW, known only at month end.
    KwhPerKw,
    /// kWh per day (URDB `kWh daily`): the bound is `max ×` the days of the calendar month.
    KwhPerDay,
    /// kWh per kW per day (URDB `kWh/kW daily`): `max ×` billed demand `×` days.
    KwhPerKwPerDay,
}

impl TierUnit {
    /// Whether the bound scales with the month's billed demand (so energy is re-priced at
    /// month end).
    pub fn per_kw(self) -> bool {
        matches!(self, TierUnit::KwhPerKw | TierUnit::KwhPerKwPerDay)
    }

    /// What a tier bound is multiplied by to give kWh, in a month of `days` days whose
    /// billed demand is `demand_kw` (1 for plain kWh).
    pub fn scale(self, days: f64, demand_kw: f64) -> f64 {
        match self {
            TierUnit::Kwh => 1.0,
            TierUnit::KwhPerKw => demand_kw,
            TierUnit::KwhPerDay => days,
            TierUnit::KwhPerKwPerDay => demand_kw * days,
        }
    }

    /// The unit as URDB writes it.
    pub fn label(self) -> &'static str {
        match self {
            TierUnit::Kwh => "kWh",
            TierUnit::KwhPerKw => "kWh/kW",
            TierUnit::KwhPerDay => "kWh daily",
            TierUnit::KwhPerKwPerDay => "kWh/kW daily",
        }
    }
}

/// A time-of-use energy period with its tiers.
#[derive(Debug, Clone, PartialEq)]
pub struct EnergyPeriod {
    /// Period name (e.g. `summer_on_peak`).
    pub name: String,
    /// Tiers by the month's cumulative kWh (all periods together, in time order, as NREL SAM
    /// does), ascending; the last has no bound.
    pub tiers: Vec<Tier>,
    /// What the tiers' bounds count.
    pub tier_unit: TierUnit,
}

impl EnergyPeriod {
    /// Whether the period has tiers bounded per kW of billed demand (hours use), whose energy
    /// is priced again at month end.
    pub fn hours_use(&self) -> bool {
        self.tiers.len() > 1 && self.tier_unit.per_kw()
    }
}

/// How energy is priced.
#[derive(Debug, Clone, PartialEq)]
pub enum EnergyPricing {
    /// Periods chosen by a month × day-type × hour schedule (a flat price is one period).
    Tou {
        /// The periods.
        periods: Vec<EnergyPeriod>,
        /// Which period applies when (boxed: 576 bytes).
        schedule: Box<Schedule>,
    },
    /// A price series, stepwise between rows, plus a constant adder.
    RealTime {
        /// Price [currency/kWh] from each timestamp on.
        series: StepSeries,
        /// Added to every price [currency/kWh].
        adder_per_kwh: f64,
    },
}

/// Which demand intervals a demand charge looks at.
#[derive(Debug, Clone, PartialEq)]
pub enum DemandScope {
    /// Every interval (facility / non-coincident demand).
    All,
    /// Only intervals in these periods of the tariff's demand schedule (TOU demand).
    Periods(Vec<usize>),
}

/// A minimum billed demand: `share` × the highest billed peak of the previous `months` months.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratchet {
    /// Share of the earlier peak [0..1].
    pub share: f64,
    /// Look-back [months].
    pub months: usize,
}

/// A demand charge [currency/kW-month] on a billing month's highest interval-average kW.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandCharge {
    /// Name shown on the bill.
    pub name: String,
    /// Which intervals count.
    pub scope: DemandScope,
    /// Tiers for each calendar month (index 0 = January); empty = no charge that month.
    pub tiers_by_month: Vec<Vec<Tier>>,
    /// Optional ratchet.
    pub ratchet: Option<Ratchet>,
}

/// A fixed customer charge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FixedCharge {
    /// Per billing month [currency/month], pro-rated for partial months.
    PerMonth(f64),
    /// Per day [currency/day].
    PerDay(f64),
}

/// A validated tariff.
#[derive(Debug, Clone, PartialEq)]
pub struct Tariff {
    /// Currency label.
    pub currency: String,
    /// Time zone of the schedules and billing months.
    pub time_zone: Tz,
    /// Energy charges.
    pub energy: EnergyPricing,
    /// Schedule of demand periods (for `DemandScope::Periods`).
    pub demand_schedule: Schedule,
    /// Names of the demand periods, for the bill.
    pub demand_period_names: Vec<String>,
    /// Demand charges.
    pub demand: Vec<DemandCharge>,
    /// Length of the demand averaging interval [ms]; divides one hour.
    pub demand_interval_ms: u64,
    /// Fixed charges.
    pub fixed: Option<FixedCharge>,
    /// Tax or surcharge on every other line [%].
    pub tax_percent: f64,
    /// Minimum monthly bill before tax [currency/month] (0: none): a month whose energy,
    /// demand and fixed charges come to less is billed the difference; pro-rated for partial
    /// months.
    pub min_per_month: f64,
    /// Minimum yearly bill before tax [currency/year] (0: none), over each 12 billing months of
    /// the run; the difference is billed in the year's last month, pro-rated for a partial year.
    pub min_per_year: f64,
    /// Yearly escalation of every price [fraction]: billing months 13–24 of the run pay
    /// (1 + e) times the tariff's prices, months 25–36 (1 + e)², and so on (0: none).
    pub escalation_per_year: f64,
}

impl Tariff {
    /// The price factor of billing month `k` of the run (0 = the first): `(1 + e)^⌊k/12⌋`.
    pub fn escalation(&self, k: usize) -> f64 {
        if self.escalation_per_year == 0.0 {
            return 1.0;
        }
        (1.0 + self.escalation_per_year).powi((k / 12) as i32)
    }
}

impl Tariff {
    /// One price for every kWh, no other charges, billing months in UTC.
    pub fn flat(price_per_kwh: f64, currency: &str) -> Tariff {
        Tariff {
            currency: currency.to_string(),
            time_zone: Tz::UTC,
            energy: EnergyPricing::Tou {
                periods: vec![EnergyPeriod {
                    name: "all_hours".to_string(),
                    tiers: vec![Tier {
                        max: None,
                        price: price_per_kwh,
                    }],
                    tier_unit: TierUnit::Kwh,
                }],
                schedule: Box::new(Schedule::constant(0)),
            },
            demand_schedule: Schedule::constant(0),
            demand_period_names: vec!["all_hours".to_string()],
            demand: vec![],
            demand_interval_ms: 15 * 60_000,
            fixed: None,
            tax_percent: 0.0,
            min_per_month: 0.0,
            min_per_year: 0.0,
            escalation_per_year: 0.0,
        }
    }

    /// Whether some energy tiers are bounded per kW of billed demand (hours-use tiers).
    pub fn has_per_kw_tiers(&self) -> bool {
        match &self.energy {
            EnergyPricing::Tou { periods, .. } => periods.iter().any(EnergyPeriod::hours_use),
            EnergyPricing::RealTime { .. } => false,
        }
    }

    /// Whether the biller must average demand intervals: for demand charges, or for the
    /// billed demand that hours-use tiers scale by.
    pub fn tracks_demand(&self) -> bool {
        !self.demand.is_empty() || self.has_per_kw_tiers()
    }

    /// Whether any charge depends on the time of day (and so needs the sub-hour grid).
    pub fn needs_grid(&self) -> bool {
        let tou = match &self.energy {
            EnergyPricing::Tou { schedule, .. } => !schedule.is_constant(),
            EnergyPricing::RealTime { .. } => false,
        };
        tou || self.tracks_demand()
    }

    /// Where the UTC instant `abs_ms` [ms since the epoch] falls in the tariff's local calendar
    /// (January, a weekday, hour 0 and no offset for an instant the time zone cannot name).
    pub fn local_slot(&self, abs_ms: i64) -> LocalSlot {
        match self.time_zone.timestamp_millis_opt(abs_ms).single() {
            Some(l) => LocalSlot {
                month0: l.month0() as usize,
                weekend: matches!(l.weekday(), Weekday::Sat | Weekday::Sun),
                hour: l.hour() as usize,
                offset_ms: l.offset().fix().local_minus_utc() as i64 * 1000,
            },
            None => LocalSlot::default(),
        }
    }

    /// The posted energy price at the UTC instant `abs_ms` [currency/kWh]: the first tier of
    /// the time-of-use period then, or the real-time price plus its adder. A signal for
    /// policies; the bill itself also applies monthly tiers, demand charges and tax.
    pub fn posted_price_per_kwh(&self, abs_ms: i64) -> f64 {
        match &self.energy {
            EnergyPricing::Tou { periods, schedule } => {
                let slot = self.local_slot(abs_ms);
                let period = schedule.period(slot.month0, slot.weekend, slot.hour);
                periods[period].tiers.first().map_or(0.0, |t| t.price)
            }
            EnergyPricing::RealTime {
                series,
                adder_per_kwh,
            } => series.value_at(abs_ms) + adder_per_kwh,
        }
    }
}

/// A local calendar position for the tariff's schedules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LocalSlot {
    /// Calendar month 0–11.
    pub month0: usize,
    /// Saturday or Sunday.
    pub weekend: bool,
    /// Hour of the day 0–23.
    pub hour: usize,
    /// Local time minus UTC [ms].
    pub offset_ms: i64,
}
