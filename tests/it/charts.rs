//! Charts and the HTML report: every chart renders as a valid PNG and SVG of the expected
//! size, charts without data are skipped and say so, `wattsim chart` redraws the same files,
//! and report.html loads in a real headless browser.

use crate::common;

use std::path::Path;

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

fn run_into(dir: &Path, scenario: &str, out: &str, extra: &[&str]) {
    let path = common::root().join(scenario);
    let mut args = vec!["run", path.to_str().unwrap(), "--out", out, "-q"];
    args.extend_from_slice(extra);
    let o = common::wattsim(&args, dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn every_run_chart_is_a_valid_png_and_svg() {
    let d = tempfile::tempdir().unwrap();
    run_into(d.path(), "scenarios/quickstart.toml", "o", &[]);
    let charts = d.path().join("o/charts");
    for name in [
        "power",
        "cumulative",
        "utilization",
        "load_duration",
        "heatmap",
        "bill",
        "wait_cdf",
    ] {
        let png = std::fs::read(charts.join(format!("{name}.png"))).unwrap();
        assert_eq!(png_size(&png), (1200, 640), "{name}");
        // Not blank: more than one distinct colour among the pixels' bytes is checked by
        // decoding and comparing against the first pixel.
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        assert!(buf.chunks(3).any(|p| p != &buf[..3]), "{name} is blank");
        let svg = std::fs::read_to_string(charts.join(format!("{name}.svg"))).unwrap();
        assert!(
            svg.contains("<svg")
                && svg.contains("width=\"1200\"")
                && svg.trim_end().ends_with("</svg>"),
            "{name}"
        );
        assert!(svg.contains("<text"), "{name} has labels");
    }
    let html = std::fs::read_to_string(d.path().join("o/report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.matches("<svg").count() == 7);
    // The scenario is included, folded.
    assert!(html.contains("<details><summary>scenario.toml</summary><pre>"));
    // Self-contained: no script, no external stylesheet, image or font (the only URLs are the
    // SVG namespace names).
    for bad in [
        "<script",
        "<link",
        "src=\"http",
        "href=\"http",
        "@import",
        "url(http",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
}

#[test]
fn charts_without_data_are_skipped_and_say_so() {
    // The GPT-3 scenario bills nothing (price 0) — no bill chart — and its one job starts at
    // once — no wait distribution; the other charts are drawn.
    let d = tempfile::tempdir().unwrap();
    run_into(d.path(), "scenarios/validation/gpt3.toml", "o", &[]);
    assert!(!d.path().join("o/charts/bill.png").exists());
    assert!(!d.path().join("o/charts/wait_cdf.png").exists());
    assert!(d.path().join("o/charts/power.png").exists());
    let html = std::fs::read_to_string(d.path().join("o/report.html")).unwrap();
    assert!(html.contains("Chart <code>bill</code> not drawn: the bill has no charges."));
    assert!(
        html.contains("Chart <code>wait_cdf</code> not drawn: every job started without waiting.")
    );
}

#[test]
fn the_report_splits_by_tenant_and_lists_trace_rows_left_out() {
    // The sample trace names tenants (alice, bob, carol, dave) and skips 5 of its 10 rows
    // (tests/traces.rs): the report shows both tables, with the rows of tenants.csv.
    let d = tempfile::tempdir().unwrap();
    run_into(d.path(), "scenarios/traces/replay.toml", "o", &[]);
    let html = std::fs::read_to_string(d.path().join("o/report.html")).unwrap();
    let tenants = std::fs::read_to_string(d.path().join("o/tenants.csv")).unwrap();
    assert!(html.contains("<h2>By tenant</h2>"));
    for row in tenants.lines().skip(1) {
        let name = row.split(',').next().unwrap();
        assert!(html.contains(&format!("<tr><td>{name}</td>")), "{name}");
    }
    assert!(html.contains("<h2>Trace rows not replayed</h2>"));
    assert!(html.contains("5 rows replayed as jobs"));
    assert!(html.contains("<tr><td>sample</td><td>zero devices</td><td>1</td></tr>"));
    // Without tenants or traces (GPT-3: one job), neither table appears.
    run_into(d.path(), "scenarios/validation/gpt3.toml", "g", &[]);
    let html = std::fs::read_to_string(d.path().join("g/report.html")).unwrap();
    assert!(!html.contains("By tenant") && !html.contains("Trace rows not replayed"));
}

#[test]
fn chart_command_redraws_the_same_files_and_no_charts_skips_them() {
    let d = tempfile::tempdir().unwrap();
    run_into(d.path(), "scenarios/quickstart.toml", "o", &[]);
    let before = std::fs::read(d.path().join("o/charts/power.svg")).unwrap();
    let report = std::fs::read(d.path().join("o/report.html")).unwrap();
    std::fs::remove_dir_all(d.path().join("o/charts")).unwrap();
    let o = common::wattsim(&["chart", "o"], d.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read(d.path().join("o/charts/power.svg")).unwrap() == before);
    assert!(std::fs::read(d.path().join("o/report.html")).unwrap() == report);
    run_into(d.path(), "scenarios/quickstart.toml", "n", &["--no-charts"]);
    assert!(!d.path().join("n/charts").exists() && !d.path().join("n/report.html").exists());
    // A folder that is not an output folder is refused as such, and one that is wattsim's
    // but lacks its summary names the missing file.
    let o = common::wattsim(&["chart", "."], d.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a wattsim output folder"));
    std::fs::remove_file(d.path().join("o/summary.json")).unwrap();
    let o = common::wattsim(&["chart", "o"], d.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("summary.json"));
}

#[test]
fn sweep_charts_render() {
    let d = tempfile::tempdir().unwrap();
    let path = common::root().join("scenarios/sweeps/hardware.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("replications = 10", "replications = 3");
    std::fs::write(d.path().join("h.toml"), text).unwrap();
    let o = common::wattsim(&["sweep", "h.toml", "--out", "s"], d.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for name in ["sweep_metrics", "sweep_pareto", "sweep_forecast"] {
        let png = std::fs::read(d.path().join(format!("s/charts/{name}.png"))).unwrap();
        assert_eq!(png_size(&png), (1200, 640));
    }
    let html = std::fs::read_to_string(d.path().join("s/report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 3);
}

/// Chromium (`WATTSIM_CHROMIUM`, default `/usr/bin/chromium`); a browser test run without it
/// fails.
fn chromium() -> String {
    let path = std::env::var("WATTSIM_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&path).exists(),
        "no Chromium at {path}: install Debian's chromium, or set WATTSIM_CHROMIUM"
    );
    path
}

/// Ignored by a plain `cargo test` (a machine may have no browser: reported as ignored, not
/// as passed); `.ci/run` installs Chromium and runs it with `--ignored`.
#[test]
#[ignore = "needs Chromium: cargo test --release --test it -- --ignored headless_browser"]
fn report_html_loads_in_a_headless_browser() {
    let chromium = chromium();
    let d = tempfile::tempdir().unwrap();
    run_into(d.path(), "scenarios/quickstart.toml", "o", &[]);
    let report = d.path().join("o/report.html");
    let shot = d.path().join("shot.png");
    let profile = d.path().join("profile");
    let o = std::process::Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", report.display()))
        .output()
        .expect("chromium runs");
    let log = String::from_utf8_lossy(&o.stderr);
    let console_errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") && (l.contains("Error") || l.contains("Uncaught")))
        .collect();
    assert!(
        console_errors.is_empty(),
        "console errors: {console_errors:?}"
    );
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot ({e}); log:\n{log}"));
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1280, 2000));
    let px = info.color_type.samples();
    let first = &buf[..px];
    let different = buf.chunks(px).filter(|p| p != &first).count();
    assert!(
        different > buf.len() / px / 50,
        "screenshot is (nearly) blank"
    );
}

#[test]
fn charts_refuse_a_time_series_out_of_order() {
    // Found by fuzzing: a timeseries.csv whose first row was edited to the year 3025 made the
    // plotting library panic. The charts now check the times they read and name the line.
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::root().join("scenarios/quickstart.toml");
    let o = common::wattsim(
        &[
            "run",
            scenario.to_str().unwrap(),
            "--out",
            "q",
            "--no-charts",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ts = dir.path().join("q/timeseries.csv");
    let text = std::fs::read_to_string(&ts).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[1] = lines[1].replacen("2025-", "3025-", 1);
    std::fs::write(&ts, lines.join("\n") + "\n").unwrap();
    let o = common::wattsim(&["chart", "q"], dir.path());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("timeseries.csv") && stderr.contains("line 3"),
        "{stderr}"
    );
}

#[test]
fn long_runs_get_monthly_panels_and_price_ranges_of_grouped_intervals() {
    // SMUD's two-month example (61 days, hourly: 1,464 intervals, drawn one by one): the
    // month-by-month view is drawn (over 60 days), and the price panel has no band (nothing
    // is grouped). Over 365 days (8,760 intervals, ⌈8,760 / 1,500⌉ = 6) the power chart draws
    // means of 6 hours, and the price panel adds the range of each group — SMUD's prices
    // change at 16:00 and 21:00 — while the constant grid intensity gets none. The 7-day
    // quickstart has no monthly view.
    let d = tempfile::tempdir().unwrap();
    run_into(d.path(), "scenarios/tariffs/smud-urdb.toml", "hourly", &[]);
    let svg = |folder: &str, chart: &str| {
        std::fs::read_to_string(d.path().join(format!("{folder}/charts/{chart}.svg"))).unwrap()
    };
    assert!(svg("hourly", "power_months").contains("Jun 2025"));
    assert!(!svg("hourly", "power").contains("lowest to highest interval"));
    let source = std::fs::read_to_string(common::root().join("scenarios/tariffs/smud-urdb.toml"))
        .unwrap()
        .replace("horizon = \"61d\"", "horizon = \"365d\"");
    assert!(source.contains("365d"), "the example's horizon moved");
    std::fs::write(d.path().join("smud-year.toml"), source).unwrap();
    std::fs::copy(
        common::root().join("scenarios/tariffs/smud-ci-tod4.urdb.json"),
        d.path().join("smud-ci-tod4.urdb.json"),
    )
    .unwrap();
    let o = common::wattsim(&["run", "smud-year.toml", "--out", "year", "-q"], d.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let power = svg("year", "power");
    assert!(power.contains("energy price, mean of each 6 intervals and their range"));
    assert!(power.contains("grid carbon intensity, mean of each 6 intervals\n<"));
    assert_eq!(power.matches("lowest to highest interval").count(), 1);
    run_into(d.path(), "scenarios/quickstart.toml", "short", &[]);
    assert!(!d.path().join("short/charts/power_months.svg").exists());
}
