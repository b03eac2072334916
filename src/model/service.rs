//! Inference services: long-running replicas on a pool whose utilisation follows a request-rate
//! curve (load over capacity), optionally autoscaled between a minimum and a maximum number of
//! replicas towards a target utilisation.

use super::series::StepSeries;
use crate::time::SimTime;
use chrono::{TimeZone, Timelike};

/// The request rate a service sees.
#[derive(Debug, Clone, PartialEq)]
pub enum ServiceLoad {
    /// A daily profile: requests/s for each local hour (0 = 00:00–01:00).
    Daily {
        /// Requests per second by local hour.
        hourly_rps: [f64; 24],
        /// Time zone of the profile.
        zone: chrono_tz::Tz,
    },
    /// A request-rate series [requests/s], stepwise.
    Series(StepSeries),
}

/// A validated service.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Name; replicas are named `<name>-r<n>`.
    pub name: String,
    /// Pool the replicas run on, or any.
    pub pool: Option<usize>,
    /// Devices per replica [count].
    pub devices_per_replica: u32,
    /// Requests per second one replica serves at utilisation 1 [1/s].
    pub capacity_rps: f64,
    /// The load.
    pub load: ServiceLoad,
    /// Fewest replicas [count].
    pub min_replicas: u32,
    /// Most replicas [count] (= min: no autoscaling).
    pub max_replicas: u32,
    /// Utilisation the autoscaler aims for (0..1].
    pub target_utilization: f64,
    /// Tenant index.
    pub tenant: Option<u32>,
    /// UTC instant of simulation time 0 [ms since the epoch].
    pub epoch_ms: i64,
}

impl Service {
    /// Requests per second at `t` [ms].
    pub fn rps_at(&self, t: SimTime) -> f64 {
        let abs = self.epoch_ms + t as i64;
        match &self.load {
            ServiceLoad::Daily { hourly_rps, zone } => {
                let h = zone
                    .timestamp_millis_opt(abs)
                    .single()
                    .map_or(0, |l| l.hour());
                hourly_rps[h as usize]
            }
            ServiceLoad::Series(s) => s.value_at(abs),
        }
    }

    /// The next time after `t` at which the load may change [ms].
    pub fn next_change_after(&self, t: SimTime) -> Option<SimTime> {
        let abs = self.epoch_ms + t as i64;
        let next = match &self.load {
            // Local hours start on UTC quarter hours for every zone in use; step every 15 min.
            ServiceLoad::Daily { .. } => Some((abs.div_euclid(900_000) + 1) * 900_000),
            ServiceLoad::Series(s) => s.next_change_after(abs),
        }?;
        Some((next - self.epoch_ms) as SimTime)
    }

    /// Replicas wanted for `rps`: enough to keep utilisation at or below the target, within
    /// [min, max].
    pub fn replicas_for(&self, rps: f64) -> u32 {
        let needed = (rps / (self.capacity_rps * self.target_utilization)).ceil();
        (needed.max(0.0) as u32).clamp(self.min_replicas, self.max_replicas)
    }

    /// Utilisation of each of `replicas` replicas serving `rps` [0..1].
    pub fn utilization(&self, rps: f64, replicas: u32) -> f64 {
        if replicas == 0 {
            return 0.0;
        }
        (rps / (replicas as f64 * self.capacity_rps)).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(min: u32, max: u32) -> Service {
        Service {
            name: "s".into(),
            pool: None,
            devices_per_replica: 1,
            capacity_rps: 10.0,
            load: ServiceLoad::Daily {
                hourly_rps: [30.0; 24],
                zone: chrono_tz::Tz::UTC,
            },
            min_replicas: min,
            max_replicas: max,
            target_utilization: 0.6,
            tenant: None,
            epoch_ms: 0,
        }
    }

    #[test]
    fn autoscaling_targets_the_utilisation() {
        // 30 rps at 10 rps per replica and a 0.6 target: ceil(30 / 6) = 5 replicas at 0.6.
        let s = service(1, 8);
        assert_eq!(s.replicas_for(30.0), 5);
        assert!((s.utilization(30.0, 5) - 0.6).abs() < 1e-12);
        // Bounded: 100 rps wants 17, gets 8 (utilisation capped at 1); 0 rps keeps 1.
        assert_eq!(s.replicas_for(100.0), 8);
        assert_eq!(s.utilization(100.0, 8), 1.0);
        assert_eq!(s.replicas_for(0.0), 1);
        // Without autoscaling (min = max) the count is fixed.
        assert_eq!(service(3, 3).replicas_for(100.0), 3);
    }
}
