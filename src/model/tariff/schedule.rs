//! A time-of-use schedule: the period in force for each month × weekday/weekend × local hour,
//! as in the URDB's 12 × 24 weekday and weekend tables.

/// Period index for each (month, hour), weekdays and weekends apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// `weekday[month][hour]`, month 0 = January, hour 0 = 00:00–01:00 local.
    pub weekday: [[u8; 24]; 12],
    /// `weekend[month][hour]`.
    pub weekend: [[u8; 24]; 12],
}

impl Schedule {
    /// The same period at all times.
    pub fn constant(period: u8) -> Schedule {
        Schedule {
            weekday: [[period; 24]; 12],
            weekend: [[period; 24]; 12],
        }
    }

    /// Whether one period covers all times.
    pub fn is_constant(&self) -> bool {
        let first = self.weekday[0][0];
        self.weekday
            .iter()
            .chain(&self.weekend)
            .flatten()
            .all(|&p| p == first)
    }

    /// The period at a local month (0–11), day type and hour (0–23).
    #[inline]
    pub fn period(&self, month0: usize, weekend: bool, hour: usize) -> usize {
        let table = if weekend {
            &self.weekend
        } else {
            &self.weekday
        };
        table[month0][hour] as usize
    }

    /// The highest period index used.
    pub fn max_period(&self) -> usize {
        self.weekday
            .iter()
            .chain(&self.weekend)
            .flatten()
            .copied()
            .max()
            .unwrap_or(0) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_by_month_day_type_and_hour() {
        let mut s = Schedule::constant(0);
        s.weekday[6][17] = 2; // July, 17:00–18:00, weekdays
        assert_eq!(s.period(6, false, 17), 2);
        assert_eq!(s.period(6, true, 17), 0);
        assert_eq!(s.max_period(), 2);
        assert!(!s.is_constant());
        assert!(Schedule::constant(1).is_constant());
    }
}
