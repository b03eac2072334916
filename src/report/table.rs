//! The short summary table printed after a run.

use super::Summary;
use std::fmt::Write;

/// The work done in FLOPs and the cost of ownership as (label, text) rows, each when the
/// run has it (`pflop_done`, `capex` present); `num` reads a `summary.json` key (NaN when
/// absent).
pub fn tco_rows(num: &dyn Fn(&str) -> f64, currency: &str) -> Vec<(String, String)> {
    let mut rows = vec![];
    if num("pflop_done").is_finite() {
        let per = num("kwh_per_pflop");
        rows.push((
            "Work done".to_string(),
            format!(
                "{} PFLOP, {} kWh per PFLOP",
                group(num("pflop_done"), 1),
                if per.is_finite() {
                    group(per, 4)
                } else {
                    "n/a".to_string()
                }
            ),
        ));
    }
    if !num("capex").is_finite() {
        return rows;
    }
    let per = |k: &str, digits: usize| {
        let v = num(k);
        if v.is_finite() {
            format!("{} {currency}", group(v, digits))
        } else {
            "n/a".to_string()
        }
    };
    rows.extend([
        (
            "Ownership".to_string(),
            format!(
                "TCO {} over the run ({} a month), capex {}",
                per("tco_total", 0),
                per("tco_per_month", 0),
                per("capex", 0)
            ),
        ),
        (
            "Unit costs".to_string(),
            format!(
                "{} per busy device-hour, {} per job, {} kWh per job",
                per("cost_per_device_hour", 2),
                per("cost_per_job", 2),
                group(num("energy_per_job_kwh"), 2)
            ),
        ),
    ]);
    rows
}

/// What power management did, as (label, text) rows, for the figures that are not zero;
/// `num` reads a `summary.json` key (0 when absent).
pub fn power_rows(num: &dyn Fn(&str) -> f64) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    if num("budget_exceeded_s") > 0.0 || num("jobs_held_for_power") > 0.0 {
        rows.push((
            "Power budget".to_string(),
            format!(
                "exceeded by {} kWh over {}; {} job(s) held for power",
                group(num("budget_exceeded_kwh"), 1),
                human_seconds(num("budget_exceeded_s")),
                group(num("jobs_held_for_power"), 0)
            ),
        ));
    }
    if num("capped_device_hours") > 0.0 {
        rows.push((
            "Device caps".to_string(),
            format!(
                "{} device-hours under lowered caps",
                group(num("capped_device_hours"), 0)
            ),
        ));
    }
    if num("jobs_held_for_shaving") > 0.0 {
        rows.push((
            "Peak shaving".to_string(),
            format!(
                "{} job(s) held for the target",
                group(num("jobs_held_for_shaving"), 0)
            ),
        ));
    }
    if num("boots") > 0.0 || num("node_off_hours") > 0.0 {
        rows.push((
            "Node power-down".to_string(),
            format!(
                "{} node-hours off, {} boot(s) drawing {} kWh",
                group(num("node_off_hours"), 0),
                group(num("boots"), 0),
                group(num("boot_energy_kwh"), 1)
            ),
        ));
    }
    rows
}

/// Renders the console summary.
pub fn render(s: &Summary) -> String {
    let rows: Vec<(&str, String)> = vec![
        ("IT energy", format!("{} kWh", group(s.it_energy_kwh, 1))),
        (
            "Facility energy",
            format!(
                "{} kWh (PUE {:.3})",
                group(s.facility_energy_kwh, 1),
                s.average_pue
            ),
        ),
        (
            "Peak power",
            format!(
                "{} kW IT, {} kW facility",
                group(s.peak_it_kw, 1),
                group(s.peak_facility_kw, 1)
            ),
        ),
        (
            "Bill",
            format!(
                "{} {} (energy {}, demand {}, fixed {}, {}tax {}; {} month(s))",
                group(s.total_cost, 2),
                s.currency,
                group(s.energy_cost, 2),
                group(s.demand_cost, 2),
                group(s.fixed_cost, 2),
                if s.minimum_cost > 0.0 {
                    format!("minimum {}, ", group(s.minimum_cost, 2))
                } else {
                    String::new()
                },
                group(s.tax_cost, 2),
                s.billing_months
            ),
        ),
        (
            "CO2e",
            format!(
                "{} kg location-based, {} kg market-based{}, {} kg embodied",
                group(s.carbon_location_kg, 1),
                group(s.carbon_market_kg, 1),
                s.carbon_marginal_kg
                    .map(|m| format!(", {} kg marginal", group(m, 1)))
                    .unwrap_or_default(),
                group(s.carbon_embodied_kg, 1)
            ),
        ),
        (
            "Jobs",
            format!(
                "{} submitted, {} completed, {} running, {} queued, {} rejected",
                group(s.jobs_submitted as f64, 0),
                group(s.jobs_completed as f64, 0),
                group(s.jobs_running_at_horizon as f64, 0),
                group(s.jobs_queued_at_horizon as f64, 0),
                group(s.jobs_rejected as f64, 0)
            ),
        ),
        (
            "Queue wait",
            format!(
                "mean {}, p95 {}",
                human_seconds(s.mean_wait_s),
                human_seconds(s.p95_wait_s)
            ),
        ),
        (
            "Utilisation",
            format!(
                "{:.1} % of {} devices",
                s.utilization * 100.0,
                s.installed_devices
            ),
        ),
    ];
    let mut rows = rows;
    if s.trace_rows_used + s.trace_rows_skipped > 0 {
        let reasons: Vec<String> = s
            .trace_skips
            .iter()
            .map(|t| format!("{} {}", t.rows, t.reason))
            .collect();
        rows.push((
            "Trace rows",
            format!(
                "{} replayed, {} skipped{}",
                s.trace_rows_used,
                s.trace_rows_skipped,
                if reasons.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", reasons.join(", "))
                }
            ),
        ));
    }
    let value = serde_json::to_value(s).unwrap_or_default();
    let mut more = power_rows(&|k: &str| value[k].as_f64().unwrap_or(0.0));
    more.extend(tco_rows(
        &|k: &str| value[k].as_f64().unwrap_or(f64::NAN),
        &s.currency,
    ));
    rows.extend(more.iter().map(|(k, v)| (k.as_str(), v.clone())));
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = format!(
        "{} (seed {}, {:.1} h from {})\n",
        s.scenario, s.seed, s.horizon_h, s.start
    );
    for (k, v) in rows {
        let _ = writeln!(out, "  {k:<width$}  {v}");
    }
    out
}

/// A month-by-month bill table.
pub fn render_bill(bill: &crate::result::Bill, kwh: f64) -> String {
    use crate::result::LineItem;
    // Minimum-bill top-ups share the fixed column (named so) when the tariff has them.
    let minimum = bill.sum(LineItem::Minimum) > 0.0;
    let mut out = format!(
        "{:<8} {:>14} {:>14} {:>12} {:>10} {:>14}\n",
        "month",
        "energy",
        "demand",
        if minimum { "fixed+min" } else { "fixed" },
        "tax",
        "total"
    );
    for m in &bill.months {
        let sum = |item| {
            m.lines
                .iter()
                .filter(|l| l.item == item)
                .map(|l| l.amount)
                .sum::<f64>()
        };
        let _ = writeln!(
            out,
            "{:<8} {:>14} {:>14} {:>12} {:>10} {:>14}{}",
            m.label,
            group(sum(LineItem::Energy), 2),
            group(sum(LineItem::Demand), 2),
            group(sum(LineItem::Fixed) + sum(LineItem::Minimum), 2),
            group(sum(LineItem::Tax), 2),
            group(m.total(), 2),
            if m.fraction < 1.0 - 1e-12 {
                "  (partial)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(
        out,
        "total    {} {} for {} kWh",
        group(bill.total(), 2),
        bill.currency,
        group(kwh, 1)
    );
    out
}

/// `x` with `decimals` decimals and thousands separators, e.g. 1234567.8 → "1,234,567.8".
pub fn group(x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && text.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// A duration in seconds as "45 s", "12.5 min" or "3.2 h".
pub fn human_seconds(s: f64) -> String {
    if s < 60.0 {
        format!("{s:.0} s")
    } else if s < 3600.0 {
        format!("{:.1} min", s / 60.0)
    } else {
        format!("{:.2} h", s / 3600.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group(1_234_567.849, 1), "1,234,567.8");
        assert_eq!(group(999.0, 0), "999");
        assert_eq!(group(-1000.5, 1), "-1,000.5");
        assert_eq!(group(0.0, 2), "0.00");
    }

    #[test]
    fn human_durations() {
        assert_eq!(human_seconds(45.0), "45 s");
        assert_eq!(human_seconds(750.0), "12.5 min");
        assert_eq!(human_seconds(7200.0), "2.00 h");
    }
}
