//! `plan.json` and `plan.csv`: the answer (value, metrics with their 95 % intervals, cost and
//! TCO), every probed value, and the alternatives ranked by cost; the CSV has one row per
//! probe with the target metrics' intervals.

use super::{Probe, Sized, cost_metric};
use crate::scenario::plan::PlanSpec;
use serde_json::{Map, Value, json};

/// A plan's outcome: each alternative sized, ranked cheapest first (those without an answer
/// last, in file order).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanOutcome {
    /// The sized alternatives, ranked.
    pub ranked: Vec<Sized>,
    /// Runs made [count].
    pub runs: usize,
    /// Runs a full scan of the range would make [count].
    pub full_scan_runs: u64,
}

impl PlanOutcome {
    /// Ranks `sized` by the mean cost at each answer.
    pub fn new(spec: &PlanSpec, mut sized: Vec<Sized>) -> PlanOutcome {
        let cost = |s: &Sized| {
            s.answer
                .and_then(|v| s.probe(v))
                .and_then(|p| p.stat(cost_metric(p)).map(|c| c.mean))
                .unwrap_or(f64::INFINITY)
        };
        sized.sort_by(|a, b| cost(a).total_cmp(&cost(b)));
        let runs = sized.iter().flat_map(|s| &s.probes).map(|p| p.runs).sum();
        let span = (spec.max - spec.min) as u64 + 1;
        PlanOutcome {
            full_scan_runs: span * spec.replications * sized.len() as u64,
            ranked: sized,
            runs,
        }
    }

    /// The cheapest alternative with an answer.
    pub fn answer(&self) -> Option<(&Sized, &Probe)> {
        self.ranked
            .iter()
            .find_map(|s| s.answer.and_then(|v| s.probe(v)).map(|p| (s, p)))
    }
}

/// Mean, spread and 95 % interval of every metric of a probe.
fn metrics_json(p: &Probe) -> Value {
    let mut m = Map::new();
    for (name, s) in &p.metrics {
        m.insert(
            name.clone(),
            json!({
                "mean": s.mean, "std": s.std, "ci95_low": s.ci95_low,
                "ci95_high": s.ci95_high, "n": s.n,
            }),
        );
    }
    Value::Object(m)
}

fn probe_json(alternative: &str, p: &Probe) -> Value {
    json!({
        "alternative": alternative,
        "value": p.value,
        "met": p.met,
        "unsettled": p.unsettled,
        "runs": p.runs,
        "failed_runs": p.failed,
        "error": p.error,
        "warnings": p.warnings,
        "metrics": metrics_json(p),
    })
}

/// The TCO figures of a probe (`null` where the scenario prices no hardware).
fn cost_json(p: &Probe) -> Value {
    let mean = |k: &str| p.stat(k).map(|s| s.mean);
    json!({
        "total_cost": mean("total_cost"),
        "tco": {
            "capex": mean("capex"),
            "tco_total": mean("tco_total"),
            "tco_per_month": mean("tco_per_month"),
            "cost_per_device_hour": mean("cost_per_device_hour"),
            "cost_per_job": mean("cost_per_job"),
            "parts": mean("capex").map(|_| json!({
                "energy_bill": mean("total_cost"),
                "capex_amortization": mean("amortization_cost"),
                "interest": mean("interest_cost"),
                "maintenance": mean("maintenance_cost"),
                "hosting": mean("hosting_cost"),
                "other": mean("other_cost"),
            })),
        },
    })
}

/// `plan.json`.
pub fn plan_json(spec: &PlanSpec, outcome: &PlanOutcome) -> Value {
    let targets: Vec<Value> = spec
        .targets
        .iter()
        .map(|t| json!({ "metric": t.metric, t.bound.name(): t.bound.value() }))
        .collect();
    let answer = outcome.answer().map(|(s, p)| {
        let mut a = json!({
            "alternative": s.label,
            "value": p.value,
            "metrics": metrics_json(p),
            "warnings": p.warnings,
        });
        if let (Value::Object(a), Value::Object(c)) = (&mut a, cost_json(p)) {
            a.extend(c);
        }
        a
    });
    let points: Vec<Value> = outcome
        .ranked
        .iter()
        .flat_map(|s| s.probes.iter().map(|p| probe_json(&s.label, p)))
        .collect();
    let alternatives: Vec<Value> = outcome
        .ranked
        .iter()
        .enumerate()
        .map(|(rank, s)| {
            let at = s.answer.and_then(|v| s.probe(v));
            let mut a = json!({
                "rank": rank + 1,
                "alternative": s.label,
                "value": s.answer,
                "best_value": s.best,
                "probes": s.probes.len(),
                "notes": s.notes,
            });
            if let (Value::Object(a), Some(Value::Object(c))) = (&mut a, at.map(cost_json)) {
                a.extend(c);
            }
            a
        })
        .collect();
    json!({
        "vary": spec.vary,
        "min": spec.min,
        "max": spec.max,
        "replications": spec.replications,
        "decide": spec.decide.name(),
        "targets": targets,
        "answer": answer,
        "runs": outcome.runs,
        "full_scan_runs": outcome.full_scan_runs,
        "points": points,
        "alternatives": alternatives,
    })
}

/// `plan.csv`: one row per probe — alternative, value, met, runs, failed, then each target
/// metric's mean and interval, the cost ranked on, and the warnings joined by ` | `.
pub fn plan_csv(spec: &PlanSpec, outcome: &PlanOutcome) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(vec![]);
    let mut header: Vec<String> = ["alternative", "value", "met", "runs", "failed_runs"]
        .map(String::from)
        .to_vec();
    for t in &spec.targets {
        for suffix in ["mean", "ci95_low", "ci95_high"] {
            header.push(format!("{}_{suffix}", t.metric));
        }
    }
    header.extend(["total_cost_mean", "tco_total_mean", "warnings"].map(String::from));
    w.write_record(&header)?;
    let num = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
    for s in &outcome.ranked {
        for p in &s.probes {
            let mut row = vec![
                s.label.clone(),
                p.value.to_string(),
                p.met.to_string(),
                p.runs.to_string(),
                p.failed.to_string(),
            ];
            for t in &spec.targets {
                let st = p.stat(&t.metric);
                row.push(num(st.map(|s| s.mean)));
                row.push(num(st.map(|s| s.ci95_low)));
                row.push(num(st.map(|s| s.ci95_high)));
            }
            row.push(num(p.stat("total_cost").map(|s| s.mean)));
            row.push(num(p.stat("tco_total").map(|s| s.mean)));
            let mut notes = p.warnings.clone();
            notes.extend(p.unsettled.clone());
            notes.extend(p.error.clone());
            row.push(notes.join(" | "));
            w.write_record(&row)?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
