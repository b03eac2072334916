//! `wattsim merge`: combine the folders of a sharded sweep into the files one sweep writes.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Merges the shard folders `dirs` (all of one sweep) into `out`, with the charts and
/// report.html when `charts`; `force` writes into a folder that is not wattsim's.
pub fn merge(dirs: &[PathBuf], out: &Path, charts: bool, force: bool) -> Result<()> {
    let folder = crate::report::folder::OutputFolder::claim(
        out,
        crate::report::folder::Scope::Whole,
        force,
    )?;
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
    let mut written = crate::sweep::report::write_final(out, dirs, &manifest)
        .with_context(|| format!("merging into `{}`", out.display()))?;
    if charts {
        written.extend(super::sweep::sweep_charts(out)?);
    }
    folder.finish(&written)?;
    sayln!(
        "wrote {}/ (sweep.csv, sweep_summary.csv, bill_forecast.csv, manifest.json{})",
        out.display(),
        if charts { ", charts/, report.html" } else { "" }
    );
    Ok(())
}
