//! Total cost of ownership: the hardware's price (per device, per node, network per node),
//! paid off over an amortisation period — straight line, or as an annuity with interest —
//! plus maintenance on the capital, colocation hosting on the provisioned IT power and other
//! fixed costs, all per month beside the energy bill.

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
    /// Capital cost of the installed hardware [currency].
    pub capex: f64,
    /// Provisioned IT power: the maximum draw of the installed devices and hosts [kW].
    pub provisioned_it_kw: f64,
}

impl Costs {
    /// The monthly payment that pays `capex` off in `amortization_months` [currency/month]:
    /// capex / n straight line; capex · i / (1 − (1 + i)^−n) as an annuity at the monthly
    /// rate i = yearly / 12.
    pub fn monthly_payment(&self) -> f64 {
        let n = self.amortization_months;
        let i = self.interest_per_year / 12.0;
        if i == 0.0 {
            self.capex / n
        } else {
            self.capex * i / (1.0 - (1.0 + i).powf(-n))
        }
    }

    /// Interest and principal of the payment in month `k` (0 = the first month of the run,
    /// when the hardware is bought) [currency]: the annuity's balance after k payments earns
    /// i, the rest of the payment repays capital; nothing once the period is over (a partial
    /// last month pays its share).
    pub fn payment_in_month(&self, k: u32) -> (f64, f64) {
        let n = self.amortization_months;
        let left = (n - k as f64).clamp(0.0, 1.0);
        if left == 0.0 {
            return (0.0, 0.0);
        }
        let pay = self.monthly_payment();
        let i = self.interest_per_year / 12.0;
        if i == 0.0 {
            return (0.0, pay * left);
        }
        // Balance after k payments: capex·(1+i)^k − pay·((1+i)^k − 1)/i.
        let g = (1.0 + i).powi(k as i32);
        let balance = self.capex * g - pay * (g - 1.0) / i;
        let interest = balance * i;
        (interest * left, (pay - interest) * left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn costs(rate: f64) -> Costs {
        Costs {
            amortization_months: 48.0,
            interest_per_year: rate,
            maintenance_per_year: 0.0,
            hosting_per_kw_month: 0.0,
            other_per_month: 0.0,
            capex: 1_200_000.0,
            provisioned_it_kw: 0.0,
        }
    }

    #[test]
    fn straight_line_and_annuity_payments() {
        // Straight line: 1,200,000 / 48 = 25,000 a month, all capital.
        assert_eq!(costs(0.0).payment_in_month(0), (0.0, 25_000.0));
        assert_eq!(costs(0.0).payment_in_month(48), (0.0, 0.0));
        // 6 % a year = 0.5 % a month over 48 months: payment = 1.2e6 × 0.005 / (1 − 1.005^−48)
        // = 6,000 / 0.2129016 = 28,182.03. Month 0: interest 1.2e6 × 0.005 = 6,000, capital
        // 22,182.03.
        let c = costs(0.06);
        assert!(
            (c.monthly_payment() - 28_182.03).abs() < 0.01,
            "{}",
            c.monthly_payment()
        );
        let (interest, capital) = c.payment_in_month(0);
        assert!((interest - 6_000.0).abs() < 1e-6);
        assert!((capital - 22_182.03).abs() < 0.01);
        // Over the 48 months the capital repaid is the capex.
        let repaid: f64 = (0..48).map(|k| c.payment_in_month(k).1).sum();
        assert!((repaid - 1_200_000.0).abs() < 1e-6, "{repaid}");
    }
}
