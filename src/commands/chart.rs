//! `wattsim chart`: redraw the charts and report.html of a run or sweep folder.

use crate::report;
use anyhow::{Context, Result};
use std::path::Path;

/// Redraws the charts of the run or sweep folder `dir`.
pub fn chart(dir: &Path) -> Result<()> {
    let files = if dir.join(crate::report::files::SWEEP_SUMMARY).exists() {
        return super::sweep::sweep_charts(dir)
            .map(|()| println!("wrote {}/charts/ and report.html", dir.display()));
    } else {
        crate::plot::run_outputs(&crate::plot::folder(dir))
            .with_context(|| format!("`{}` is not a wattsim output folder", dir.display()))?
    };
    report::output::write_files(dir, &files)?;
    println!("wrote {}/charts/ and report.html", dir.display());
    Ok(())
}
