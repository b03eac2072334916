//! Calibration: fits a device's power curve (linear, power law, or a table) to measured
//! (utilisation, watts) samples, and a power-cap → throughput table to a power-limit sweep,
//! and prints them as TOML to paste into a scenario.

use std::fmt::Write;

/// A fitted `P(u) = idle + (max − idle) · u^k` (k = 1 for linear) and its error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurveFit {
    /// Idle draw [W].
    pub idle_w: f64,
    /// Draw at full load [W].
    pub max_w: f64,
    /// Exponent `k`.
    pub exponent: f64,
    /// Root-mean-square error of the fit [W].
    pub rmse_w: f64,
}

/// Least squares of `w = a + b·x` → (a, b, sum of squared errors).
fn line(xs: &[f64], ws: &[f64]) -> (f64, f64, f64) {
    let n = xs.len() as f64;
    let (mx, mw) = (xs.iter().sum::<f64>() / n, ws.iter().sum::<f64>() / n);
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let sxw: f64 = xs.iter().zip(ws).map(|(x, w)| (x - mx) * (w - mw)).sum();
    let b = if sxx > 0.0 { sxw / sxx } else { 0.0 };
    let a = mw - b * mx;
    let sse = xs
        .iter()
        .zip(ws)
        .map(|(x, w)| (w - a - b * x).powi(2))
        .sum();
    (a, b, sse)
}

/// Fits `w = a + b·u^k` for fixed `k`.
fn fit_k(us: &[f64], ws: &[f64], k: f64) -> CurveFit {
    let xs: Vec<f64> = us.iter().map(|u| u.max(0.0).powf(k)).collect();
    let (a, b, sse) = line(&xs, ws);
    CurveFit {
        idle_w: a,
        max_w: a + b,
        exponent: k,
        rmse_w: (sse / us.len() as f64).sqrt(),
    }
}

/// The linear fit (k = 1).
pub fn fit_linear(us: &[f64], ws: &[f64]) -> CurveFit {
    fit_k(us, ws, 1.0)
}

/// The best power-law fit over k in [0.2, 5] (grid of 0.001 around the best of a 0.05 grid).
pub fn fit_power_law(us: &[f64], ws: &[f64]) -> CurveFit {
    let coarse = (4..=100)
        .map(|i| fit_k(us, ws, i as f64 * 0.05))
        .min_by(|a, b| a.rmse_w.total_cmp(&b.rmse_w))
        .unwrap_or_else(|| fit_linear(us, ws));
    let lo = coarse.exponent - 0.05;
    (0..=100)
        .map(|i| fit_k(us, ws, (lo + i as f64 * 0.001).max(0.05)))
        .min_by(|a, b| a.rmse_w.total_cmp(&b.rmse_w))
        .unwrap_or(coarse)
}

/// A table of mean draw per utilisation bin (0, 0.1, …, 1.0, each sample to its nearest
/// bin); empty bins are left out, except the ends, which take the linear fit's value.
pub fn fit_table(us: &[f64], ws: &[f64]) -> Vec<(f64, f64)> {
    let mut sum = [0.0f64; 11];
    let mut n = [0u32; 11];
    for (u, w) in us.iter().zip(ws) {
        let i = (u.clamp(0.0, 1.0) * 10.0).round() as usize;
        sum[i] += w;
        n[i] += 1;
    }
    let lin = fit_linear(us, ws);
    (0..11)
        .filter_map(|i| {
            let u = i as f64 / 10.0;
            if n[i] > 0 {
                Some((u, sum[i] / n[i] as f64))
            } else if i == 0 || i == 10 {
                Some((u, lin.idle_w + (lin.max_w - lin.idle_w) * u))
            } else {
                None
            }
        })
        .collect()
}

/// Relative throughput per cap from (cap [W], time per unit of work [s]) rows: the mean time
/// at the highest cap over the mean time at each cap.
pub fn fit_caps(rows: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut caps: Vec<(f64, f64, u32)> = vec![];
    for &(cap, t) in rows {
        match caps.iter_mut().find(|c| c.0 == cap) {
            Some(c) => {
                c.1 += t;
                c.2 += 1;
            }
            None => caps.push((cap, t, 1)),
        }
    }
    caps.sort_by(|a, b| a.0.total_cmp(&b.0));
    let Some(&(_, t_top, n_top)) = caps.last() else {
        return vec![];
    };
    let base = t_top / n_top as f64;
    caps.iter()
        .map(|&(cap, t, n)| (cap, base / (t / n as f64)))
        .collect()
}

/// TOML to paste for a device: the power-law fit, with the linear fit and the table as
/// alternatives in comments.
pub fn power_snippet(
    device: &str,
    samples: usize,
    lin: &CurveFit,
    law: &CurveFit,
    table: &[(f64, f64)],
) -> String {
    let mut s = format!("# fitted to {samples} samples\n[devices.{device}]\n");
    let _ = writeln!(s, "idle_w = {:.1}", law.idle_w);
    let _ = writeln!(s, "max_w = {:.1}", law.max_w);
    let _ = writeln!(
        s,
        "power_curve = {{ kind = \"power_law\", exponent = {:.3} }}   # RMSE {:.2} W",
        law.exponent, law.rmse_w
    );
    let _ = writeln!(
        s,
        "# linear: idle_w = {:.1}, max_w = {:.1}, RMSE {:.2} W",
        lin.idle_w, lin.max_w, lin.rmse_w
    );
    let points: Vec<String> = table
        .iter()
        .map(|(u, w)| format!("[{u:.1}, {w:.1}]"))
        .collect();
    let _ = writeln!(
        s,
        "# table: power_curve = {{ kind = \"table\", points = [{}] }}",
        points.join(", ")
    );
    s
}

/// TOML to paste for a pool's power cap.
pub fn caps_snippet(rows: usize, caps: &[(f64, f64)]) -> String {
    let points: Vec<String> = caps
        .iter()
        .map(|(c, t)| format!("[{c:.1}, {t:.4}]"))
        .collect();
    format!(
        "# fitted to {rows} rows: relative throughput = time at the highest cap / time at each cap\ncap_throughput = [{}]\n",
        points.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_power_law() {
        // Samples of 60 + 340 u^1.5 on a grid: the fit returns idle 60, max 400, k 1.5.
        let us: Vec<f64> = (0..=50).map(|i| i as f64 / 50.0).collect();
        let ws: Vec<f64> = us.iter().map(|u| 60.0 + 340.0 * u.powf(1.5)).collect();
        let f = fit_power_law(&us, &ws);
        assert!((f.exponent - 1.5).abs() < 0.002, "{f:?}");
        assert!(
            (f.idle_w - 60.0).abs() < 0.5 && (f.max_w - 400.0).abs() < 0.5,
            "{f:?}"
        );
        assert!(f.rmse_w < 0.2);
        // The linear fit of the same data is worse.
        assert!(fit_linear(&us, &ws).rmse_w > 5.0);
        // The table holds the bin means: at u = 1, exactly 400.
        let t = fit_table(&us, &ws);
        assert_eq!(t.len(), 11);
        assert!(
            (t[10].1
                - (400.0 + 60.0 + 340.0 * 0.98f64.powf(1.5) + 60.0 + 340.0 * 0.96f64.powf(1.5))
                    / 3.0)
                .abs()
                < 1e-9
        );
    }

    #[test]
    fn cap_table_from_times() {
        // Times 200 s at 250 W, 250 s at 150 W (two rows 240, 260), 400 s at 100 W:
        // 200/400 = 0.5, 200/250 = 0.8, 1.0.
        let t = fit_caps(&[
            (250.0, 200.0),
            (150.0, 240.0),
            (100.0, 400.0),
            (150.0, 260.0),
        ]);
        assert_eq!(t, vec![(100.0, 0.5), (150.0, 0.8), (250.0, 1.0)]);
    }
}
