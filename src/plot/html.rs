//! `report.html`: one self-contained page (inline SVG, inline CSS, no script, no network) with
//! the scenario, the summary, the bill, the split by tenant, trace rows not replayed and the
//! charts; prints well.

use super::Chart;
use super::data::RunData;
use std::fmt::Write;

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1250px;color:#222;padding:0 1rem}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .8rem;border-bottom:1px solid #eee;text-align:right}\
th{background:#f5f5f5}td:first-child,th:first-child{text-align:left}\
figure{margin:1rem 0;page-break-inside:avoid}pre{background:#f7f7f7;padding:.8rem;overflow-x:auto;font-size:.85rem}figure svg{width:100%;height:auto}figcaption{color:#555;font-size:.9rem}\
.muted{color:#666}td.notes{text-align:left;font-size:.85rem;color:#444}@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

fn figures(out: &mut String, charts: &[Chart], skipped: &[(String, String)]) {
    for c in charts {
        let _ = writeln!(
            out,
            "<figure>{}<figcaption>{}</figcaption></figure>",
            strip_prolog(&c.svg),
            escape(&c.title)
        );
    }
    for (name, why) in skipped {
        let _ = writeln!(
            out,
            "<p class=\"muted\">Chart <code>{}</code> not drawn: {}.</p>",
            escape(name),
            escape(why)
        );
    }
}

/// SVG without an XML declaration, for inlining.
fn strip_prolog(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

/// The report of one run; `scenario` is the scenario file's text, shown folded at the end.
pub fn run_report(
    data: &RunData,
    charts: &[Chart],
    skipped: &[(String, String)],
    scenario: Option<&str>,
) -> String {
    let s = &data.summary;
    let num = |k: &str| s[k].as_f64().unwrap_or(0.0);
    let cur = escape(&data.currency);
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"muted\">wattsim report — {} h from {}, seed {}, {} devices</p>\n",
        escape(&data.scenario),
        num("horizon_h"),
        escape(s["start"].as_str().unwrap_or("")),
        s["seed"],
        s["installed_devices"]
    );
    body.push_str("<h2>Summary</h2>\n<table>\n");
    use crate::report::table::{group as g, human_seconds};
    let rows: Vec<(String, String)> = vec![
        (
            "IT energy".into(),
            format!("{} kWh", g(num("it_energy_kwh"), 1)),
        ),
        (
            "Facility energy".into(),
            format!(
                "{} kWh (PUE {:.3})",
                g(num("facility_energy_kwh"), 1),
                num("average_pue")
            ),
        ),
        (
            "Peak facility power".into(),
            format!("{} kW", g(num("peak_facility_kw"), 1)),
        ),
        (
            "Total bill".into(),
            format!("{} {cur}", g(num("total_cost"), 2)),
        ),
        {
            // The minimum-bill top-up is shown only where the tariff has one.
            let parts: Vec<(&str, &str)> = [
                ("energy", "energy_cost"),
                ("demand", "demand_cost"),
                ("fixed", "fixed_cost"),
                ("minimum", "minimum_cost"),
                ("tax", "tax_cost"),
            ]
            .into_iter()
            .filter(|(name, key)| *name != "minimum" || num(key) > 0.0)
            .collect();
            let names: Vec<&str> = parts.iter().map(|(n, _)| *n).collect();
            let values: Vec<String> = parts.iter().map(|(_, k)| g(num(k), 2)).collect();
            (
                capitalise(&names.join(" / ")),
                format!("{} {cur}", values.join(" / ")),
            )
        },
        (
            "CO2e location / market-based".into(),
            format!(
                "{} / {} kg",
                g(num("carbon_location_kg"), 1),
                g(num("carbon_market_kg"), 1)
            ),
        ),
        (
            "Embodied CO2e".into(),
            format!("{} kg", g(num("carbon_embodied_kg"), 1)),
        ),
        ("Water".into(), format!("{} L", g(num("water_l"), 0))),
        (
            "Jobs completed / submitted".into(),
            format!(
                "{} / {}",
                g(num("jobs_completed"), 0),
                g(num("jobs_submitted"), 0)
            ),
        ),
        (
            "Queue wait mean / p95".into(),
            format!(
                "{} / {}",
                human_seconds(num("mean_wait_s")),
                human_seconds(num("p95_wait_s"))
            ),
        ),
        (
            "Utilisation".into(),
            format!("{:.1} %", num("utilization") * 100.0),
        ),
    ];
    // Power management, when it acted (older summaries lack the keys: they read as 0).
    let mut rows = rows;
    rows.extend(crate::report::table::power_rows(&num));
    rows.extend(crate::report::table::tco_rows(
        &|k: &str| s[k].as_f64().unwrap_or(f64::NAN),
        s["currency"].as_str().unwrap_or(""),
    ));
    for (k, v) in rows {
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(&k),
            escape(&v)
        );
    }
    body.push_str("</table>\n<h2>Bill</h2>\n<table>\n<tr><th>month</th><th>item</th><th>name</th><th>amount</th></tr>\n");
    for l in &data.bill {
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} {cur}</td></tr>",
            escape(&l.month),
            escape(&l.item),
            escape(&l.name),
            crate::report::table::group(l.amount, 2)
        );
    }
    body.push_str("</table>\n");
    tenant_table(&mut body, data, &cur);
    trace_skips(&mut body, s);
    body.push_str("<h2>Charts</h2>\n");
    figures(&mut body, charts, skipped);
    if let Some(text) = scenario {
        let _ = writeln!(
            body,
            "<h2>Scenario</h2>\n<details><summary>scenario.toml</summary><pre>{}</pre></details>",
            escape(text)
        );
    }
    page(&format!("{} — wattsim report", data.scenario), &body)
}

/// The split by tenant (`tenants.csv`), when any job names a tenant.
fn tenant_table(body: &mut String, data: &RunData, cur: &str) {
    let named = |t: &str| !t.starts_with('(');
    if !data.tenants.iter().any(|t| named(&t.tenant)) {
        return;
    }
    let g = crate::report::table::group;
    body.push_str("<h2>By tenant</h2>\n<p class=\"muted\">Energy charges and CO2e of each tenant's jobs; with idle capacity they add up to the totals (demand, fixed charges and tax belong to the site).</p>\n<table>\n<tr><th>tenant</th><th>jobs</th><th>device-hours</th><th>facility kWh</th><th>energy cost</th><th>CO2e kg</th></tr>\n");
    for t in &data.tenants {
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {cur}</td><td>{}</td></tr>",
            escape(&t.tenant),
            g(t.jobs, 0),
            g(t.device_hours, 1),
            g(t.facility_kwh, 1),
            g(t.cost, 2),
            g(t.carbon_kg, 1)
        );
    }
    body.push_str("</table>\n");
}

/// Trace rows not replayed, by trace and reason (from `summary.json`), when there are any.
fn trace_skips(body: &mut String, summary: &serde_json::Value) {
    let Some(skips) = summary["trace_skips"].as_array().filter(|a| !a.is_empty()) else {
        return;
    };
    let _ = writeln!(
        body,
        "<h2>Trace rows not replayed</h2>\n<p class=\"muted\">{} rows replayed as jobs; these were counted and left out.</p>\n<table>\n<tr><th>trace</th><th>reason</th><th>rows</th></tr>",
        crate::report::table::group(summary["trace_rows_used"].as_f64().unwrap_or(0.0), 0)
    );
    for k in skips {
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(k["trace"].as_str().unwrap_or_default()),
            escape(k["reason"].as_str().unwrap_or_default()),
            crate::report::table::group(k["rows"].as_f64().unwrap_or(0.0), 0)
        );
    }
    body.push_str("</table>\n");
}

/// The report of a sweep.
pub fn sweep_report(
    title: &str,
    points: &[super::data_sweep::PointRow],
    charts: &[Chart],
    skipped: &[(String, String)],
) -> String {
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"muted\">wattsim sweep report</p>\n<h2>Points</h2>\n<table>\n<tr><th>point</th><th>settings</th><th>total cost (mean)</th><th>CO2e kg (mean)</th></tr>\n",
        escape(title)
    );
    for (i, p) in points.iter().enumerate() {
        let m = |k: &str| {
            p.metrics
                .get(k)
                .map_or(String::new(), |v| format!("{:.2}", v.0))
        };
        let _ = writeln!(
            body,
            "<tr><td>#{i}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&p.label),
            m("total_cost"),
            m("carbon_kg")
        );
    }
    body.push_str("</table>\n<h2>Charts</h2>\n");
    figures(&mut body, charts, skipped);
    page(&format!("{title} — wattsim sweep report"), &body)
}

/// A number for the plan report as chart ticks print it (thousands grouped); empty if absent.
fn num(x: Option<f64>) -> String {
    x.map(|v| super::render::tick(&v)).unwrap_or_default()
}

/// The report of a capacity plan, from its `plan.json`.
pub fn plan_report(
    title: &str,
    plan: &serde_json::Value,
    charts: &[Chart],
    skipped: &[(String, String)],
) -> String {
    let vary = plan["vary"].as_str().unwrap_or("");
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"muted\">wattsim capacity plan: the smallest <code>{}</code> in {}..{} meeting every target ({} replications per probed value, judged on the {})</p>\n",
        escape(title),
        escape(vary),
        plan["min"],
        plan["max"],
        plan["replications"],
        if plan["decide"] == "upper_ci" {
            "pessimistic end of the 95 % interval"
        } else {
            "mean"
        }
    );
    body.push_str("<h2>Targets</h2>\n<ul>\n");
    for t in plan["targets"].as_array().into_iter().flatten() {
        let (side, bound) = if t["at_most"].is_number() {
            ("at most", &t["at_most"])
        } else {
            ("at least", &t["at_least"])
        };
        let _ = writeln!(
            body,
            "<li><code>{}</code> {side} {bound}</li>",
            escape(t["metric"].as_str().unwrap_or(""))
        );
    }
    body.push_str("</ul>\n<h2>Answer</h2>\n");
    match plan["answer"].as_object() {
        Some(a) => {
            let _ = writeln!(
                body,
                "<p><strong>{} = {}</strong> ({}): total cost {}, TCO {}.</p>",
                escape(vary),
                a["value"],
                escape(a["alternative"].as_str().unwrap_or("")),
                num(a["total_cost"].as_f64()),
                a["tco"]["tco_total"]
                    .as_f64()
                    .map_or("not priced (no [costs])".to_string(), |v| num(Some(v)))
            );
            for w in a["warnings"].as_array().into_iter().flatten() {
                let _ = writeln!(
                    body,
                    "<p class=\"muted\">warning: {}</p>",
                    escape(w.as_str().unwrap_or(""))
                );
            }
        }
        None => {
            body.push_str("<p><strong>No value in the range meets every target.</strong></p>\n")
        }
    }
    body.push_str("<h2>Alternatives</h2>\n<table>\n<tr><th>rank</th><th>alternative</th><th>answer</th><th>total cost</th><th>TCO</th><th>notes</th></tr>\n");
    for a in plan["alternatives"].as_array().into_iter().flatten() {
        let notes: Vec<String> = a["notes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str().map(escape))
            .collect();
        let answer = match a["value"].as_i64() {
            Some(v) => v.to_string(),
            None => format!("none (closest probed: {})", a["best_value"]),
        };
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{answer}</td><td>{}</td><td>{}</td><td class=\"notes\">{}</td></tr>",
            a["rank"],
            escape(a["alternative"].as_str().unwrap_or("")),
            num(a["total_cost"].as_f64()),
            num(a["tco"]["tco_total"].as_f64()),
            notes.join("<br>")
        );
    }
    body.push_str("</table>\n<h2>Probed values</h2>\n<table>\n<tr><th>alternative</th><th>value</th><th>meets</th>");
    let metrics: Vec<&str> = plan["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["metric"].as_str())
        .collect();
    for m in &metrics {
        let _ = write!(body, "<th>{} mean [95 % CI]</th>", escape(m));
    }
    body.push_str("<th>warnings</th></tr>\n");
    for p in plan["points"].as_array().into_iter().flatten() {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            escape(p["alternative"].as_str().unwrap_or("")),
            p["value"],
            if p["met"] == true { "yes" } else { "no" }
        );
        for m in &metrics {
            let s = &p["metrics"][*m];
            let _ = write!(
                body,
                "<td>{} [{} … {}]</td>",
                num(s["mean"].as_f64()),
                num(s["ci95_low"].as_f64()),
                num(s["ci95_high"].as_f64())
            );
        }
        let mut notes: Vec<String> = p["warnings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str().map(escape))
            .collect();
        notes.extend(p["unsettled"].as_str().map(escape));
        notes.extend(p["error"].as_str().map(escape));
        let _ = writeln!(body, "<td class=\"notes\">{}</td></tr>", notes.join("<br>"));
    }
    body.push_str("</table>\n<h2>Charts</h2>\n");
    figures(&mut body, charts, skipped);
    page(&format!("{title} — wattsim capacity plan"), &body)
}

/// `text` with its first letter in upper case.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
