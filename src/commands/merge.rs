//! `wattsim merge`: combine the folders of a sharded sweep into the files one sweep writes.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Merges the shard folders `dirs` (all of one sweep) into `out`.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<()> {
    let mut manifest: Option<crate::sweep::manifest::Manifest> = None;
    for d in dirs {
        let m = crate::sweep::manifest::Manifest::read(&d.join(crate::report::files::MANIFEST))
            .with_context(|| format!("`{}` is not a sweep output folder", d.display()))?;
        if let Some(first) = &manifest {
            anyhow::ensure!(
                first.sweep_sha256 == m.sweep_sha256,
                "`{}` holds a different sweep than `{}` (scenario files or wattsim version differ)",
                d.display(),
                dirs[0].display()
            );
        } else {
            manifest = Some(m);
        }
    }
    let manifest = manifest.context("no folders to merge")?;
    crate::sweep::report::write_final(out, dirs, &manifest)
        .with_context(|| format!("merging into `{}`", out.display()))?;
    println!(
        "wrote {}/ (sweep.csv, sweep_summary.csv, bill_forecast.csv, manifest.json)",
        out.display()
    );
    Ok(())
}
