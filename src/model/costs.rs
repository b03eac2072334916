//! Total cost of ownership: the hardware's price (per device, per node, network per node),
//! paid off over an amortisation period — straight line, or as an annuity with interest —
//! plus maintenance on the capital, colocation hosting on the provisioned IT power and other
//! fixed costs, all per month beside the energy bill.

use crate::time::SimTime;

/// Prices of one pool's hardware [currency].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoolPrices {
    /// Per device.
    pub device_price: f64,
    /// Per node: chassis, CPUs, memory, NICs.
    pub node_price: f64,
    /// Network per node.
    pub network_price_per_node: f64,
}

/// One pool's hardware as bought: what it cost and draws, and when it is installed.
#[derive(Debug, Clone, PartialEq)]
pub struct Tranche {
    /// The pool's name.
    pub pool: String,
    /// Capital cost [currency].
    pub capex: f64,
    /// Provisioned IT power: the maximum draw of its devices and hosts [kW].
    pub provisioned_it_kw: f64,
    /// Bought and installed at [ms from the start]; its payments run from here.
    pub from_ms: SimTime,
    /// Retired at [ms from the start] (`SimTime::MAX`: never): maintenance and hosting stop,
    /// the payments run on to the end of the amortisation period.
    pub until_ms: SimTime,
}

/// A validated `[costs]` table with the installed hardware it prices.
#[derive(Debug, Clone, PartialEq)]
pub struct Costs {
    /// Amortisation period [months].
    pub amortization_months: f64,
    /// Yearly interest rate [fraction]; 0 = straight line.
    pub interest_per_year: f64,
    /// Yearly maintenance as a share of the capital [fraction].
    pub maintenance_per_year: f64,
    /// Colocation price per provisioned IT kW and month [currency/(kW·month)].
    pub hosting_per_kw_month: f64,
    /// Other fixed costs per month [currency/month].
    pub other_per_month: f64,
    /// Each pool's hardware, in file order.
    pub tranches: Vec<Tranche>,
}

impl Costs {
    /// Capital cost of all the hardware [currency].
    pub fn capex(&self) -> f64 {
        self.tranches.iter().map(|t| t.capex).sum()
    }

    /// The monthly payment that pays `capex` off in `amortization_months` [currency/month]:
    /// capex / n straight line; capex · i / (1 − (1 + i)^−n) as an annuity at the monthly
    /// rate i = yearly / 12.
    pub fn monthly_payment(&self, capex: f64) -> f64 {
        let n = self.amortization_months;
        let i = self.interest_per_year / 12.0;
        if i == 0.0 {
            capex / n
        } else {
            capex * i / (1.0 - (1.0 + i).powf(-n))
        }
    }

    /// Interest and principal of payment `k` (0 = the first month after the hardware is
    /// bought) on `capex` [currency]: the annuity's balance after k payments earns i, the rest
    /// of the payment repays capital; nothing from the end of the period on.
    pub fn payment_in_month(&self, capex: f64, k: u32) -> (f64, f64) {
        if k as f64 >= self.amortization_months {
            return (0.0, 0.0);
        }
        let pay = self.monthly_payment(capex);
        let i = self.interest_per_year / 12.0;
        if i == 0.0 {
            return (0.0, pay);
        }
        // Balance after k payments: capex·(1+i)^k − pay·((1+i)^k − 1)/i.
        let g = (1.0 + i).powi(k as i32);
        let balance = capex * g - pay * (g - 1.0) / i;
        let interest = balance * i;
        (interest, pay - interest)
    }

    /// Interest and principal due on `capex` while the hardware's age runs from `a` to `b`
    /// [months since it was bought]: each payment is spread evenly over its month, so a
    /// partial month pays its share and the period's payments add up to the whole.
    pub fn payments_between(&self, capex: f64, a: f64, b: f64) -> (f64, f64) {
        let n = self.amortization_months;
        let (mut interest, mut capital) = (0.0, 0.0);
        let mut k = a.max(0.0).floor();
        while k < b.min(n) {
            let share = b.min(k + 1.0).min(n) - a.max(k);
            if share > 0.0 {
                let (i, c) = self.payment_in_month(capex, k as u32);
                interest += i * share;
                capital += c * share;
            }
            k += 1.0;
        }
        (interest, capital)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAPEX: f64 = 1_200_000.0;

    fn costs(rate: f64) -> Costs {
        Costs {
            amortization_months: 48.0,
            interest_per_year: rate,
            maintenance_per_year: 0.0,
            hosting_per_kw_month: 0.0,
            other_per_month: 0.0,
            tranches: vec![],
        }
    }

    #[test]
    fn straight_line_and_annuity_payments() {
        // Straight line: 1,200,000 / 48 = 25,000 a month, all capital.
        assert_eq!(costs(0.0).payment_in_month(CAPEX, 0), (0.0, 25_000.0));
        assert_eq!(costs(0.0).payment_in_month(CAPEX, 48), (0.0, 0.0));
        // 6 % a year = 0.5 % a month over 48 months: payment = 1.2e6 × 0.005 / (1 − 1.005^−48)
        // = 6,000 / 0.2129016 = 28,182.03. Month 0: interest 1.2e6 × 0.005 = 6,000, capital
        // 22,182.03.
        let c = costs(0.06);
        assert!(
            (c.monthly_payment(CAPEX) - 28_182.03).abs() < 0.01,
            "{}",
            c.monthly_payment(CAPEX)
        );
        let (interest, capital) = c.payment_in_month(CAPEX, 0);
        assert!((interest - 6_000.0).abs() < 1e-6);
        assert!((capital - 22_182.03).abs() < 0.01);
        // Over the 48 months the capital repaid is the capex.
        let repaid: f64 = (0..48).map(|k| c.payment_in_month(CAPEX, k).1).sum();
        assert!((repaid - CAPEX).abs() < 1e-6, "{repaid}");
    }

    #[test]
    fn partial_months_pay_their_share_and_the_period_adds_up() {
        let c = costs(0.06);
        // Ages 0.5 → 1.5 months: half of payment 0 and half of payment 1. Payment 1's
        // interest is on the balance after one payment, 1.2e6 − 22,182.03 = 1,177,817.97,
        // × 0.005 = 5,889.09; so interest = (6,000 + 5,889.09) / 2 = 5,944.545.
        let (interest, capital) = c.payments_between(CAPEX, 0.5, 1.5);
        assert!((interest - 5_944.545).abs() < 0.01, "{interest}");
        // Interest and capital make one whole payment (28,182.03) in any span of one month.
        assert!((interest + capital - 28_182.03).abs() < 0.01);
        // The period bought half-way through a month: a half month, 47 whole months and the
        // last half month repay the capex exactly; nothing is due after 48 months.
        let mut repaid = c.payments_between(CAPEX, 0.0, 0.5).1;
        for k in 0..47 {
            repaid += c.payments_between(CAPEX, 0.5 + k as f64, 1.5 + k as f64).1;
        }
        repaid += c.payments_between(CAPEX, 47.5, 48.5).1;
        assert!((repaid - CAPEX).abs() < 1e-6, "{repaid}");
        assert_eq!(c.payments_between(CAPEX, 48.0, 60.0), (0.0, 0.0));
    }
}
