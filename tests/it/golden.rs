//! Golden outputs: the binary runs each bundled scenario and its `summary.json` must match the
//! stored one (numbers to 1e-9 relative). Regenerate after an intended change with
//! `WATTSIM_BLESS=1 cargo test --release --test it golden` and review the diff.

use crate::common;

use serde_json::Value;

const SCENARIOS: &[(&str, &str)] = &[
    ("quickstart", "scenarios/quickstart.toml"),
    ("gpt3", "scenarios/validation/gpt3.toml"),
    ("bloom", "scenarios/validation/bloom.toml"),
    ("sce-tou8", "scenarios/tariffs/sce-tou8.toml"),
    ("smud-urdb", "scenarios/tariffs/smud-urdb.toml"),
    ("phoenix-july", "scenarios/site/phoenix-july.toml"),
    ("replay", "scenarios/traces/replay.toml"),
    ("capacity", "scenarios/workloads/capacity.toml"),
    ("refresh", "scenarios/workloads/refresh.toml"),
    ("grid-limit", "scenarios/power/grid-limit.toml"),
    ("peak-shaving", "scenarios/power/peak-shaving.toml"),
    ("overnight", "scenarios/power/overnight.toml"),
];

fn same(a: &Value, b: &Value, path: &str) -> Result<(), String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            if common::rel(x, y) <= 1e-9 {
                Ok(())
            } else {
                Err(format!("{path}: {x} vs golden {y}"))
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return Err(format!(
                    "{path}: keys {:?} vs golden {:?}",
                    x.keys(),
                    y.keys()
                ));
            }
            for (k, v) in x {
                let w = y
                    .get(k)
                    .ok_or_else(|| format!("{path}.{k}: not in golden"))?;
                same(v, w, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        _ if a == b => Ok(()),
        _ => Err(format!("{path}: {a} vs golden {b}")),
    }
}

#[test]
fn bundled_scenarios_match_their_golden_summaries() {
    let bless = std::env::var_os("WATTSIM_BLESS").is_some();
    let dir = tempfile::tempdir().unwrap();
    let mut failures = vec![];
    for (name, file) in SCENARIOS {
        let scenario = common::root().join(file);
        let out = dir.path().join(name);
        let o = common::wattsim(
            &[
                "run",
                scenario.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "-q",
            ],
            dir.path(),
        );
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let got = std::fs::read_to_string(out.join("summary.json")).unwrap();
        let golden_path = common::root().join(format!("tests/golden/{name}.summary.json"));
        if bless {
            std::fs::write(&golden_path, &got).unwrap();
            continue;
        }
        let golden = std::fs::read_to_string(&golden_path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; create it with WATTSIM_BLESS=1",
                golden_path.display()
            )
        });
        let got: Value = serde_json::from_str(&got).unwrap();
        let golden: Value = serde_json::from_str(&golden).unwrap();
        if let Err(e) = same(&got, &golden, name) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "golden mismatches:\n{}",
        failures.join("\n")
    );
}
