//! `wattsim catalog`: the built-in devices and host presets, as a table or CSV.

use crate::model::catalog::CATALOG;
use anyhow::Result;

/// How `catalog` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CatalogFormat {
    /// Aligned columns.
    Table,
    /// CSV with a header.
    Csv,
}

/// The catalog as text.
pub fn catalog(format: CatalogFormat) -> Result<String> {
    match format {
        CatalogFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([
                "id",
                "vendor",
                "idle_w",
                "max_w",
                "peak_tflops",
                "memory_gb",
                "source",
            ])?;
            for e in CATALOG {
                w.write_record([
                    e.id.to_string(),
                    e.vendor.to_string(),
                    e.idle_w.to_string(),
                    e.max_w.to_string(),
                    e.peak_tflops.to_string(),
                    e.memory_gb.to_string(),
                    e.source.to_string(),
                ])?;
            }
            Ok(String::from_utf8(w.into_inner()?)?)
        }
        CatalogFormat::Table => {
            let mut out = format!(
                "{:<16} {:<7} {:>7} {:>7} {:>12} {:>10}\n",
                "id", "vendor", "idle_w", "max_w", "peak_tflops", "memory_gb"
            );
            for e in CATALOG {
                out.push_str(&format!(
                    "{:<16} {:<7} {:>7} {:>7} {:>12} {:>10}\n",
                    e.id, e.vendor, e.idle_w, e.max_w, e.peak_tflops, e.memory_gb
                ));
            }
            out.push_str("\nHost presets ([[pools]] host = \"…\"), per node:\n");
            for h in crate::model::catalog::HOSTS {
                out.push_str(&format!(
                    "{:<16} {} devices, idle {} W, max {} W — {}\n",
                    h.id, h.devices_per_node, h.idle_w, h.max_w, h.source
                ));
            }
            out.push_str(
                "\nSources: `wattsim catalog --format csv` has each device row's source.\n",
            );
            Ok(out)
        }
    }
}
