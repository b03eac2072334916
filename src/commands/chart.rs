//! `wattsim chart`: redraw the charts and report.html of a run or sweep folder.

use crate::report;
use anyhow::{Context, Result};
use std::path::Path;

/// Redraws the charts of the run or sweep folder `dir`.
pub fn chart(dir: &Path) -> Result<()> {
    // Only the charts and report.html are replaced: charts not drawn this time go.
    let folder = report::folder::OutputFolder::claim(dir, report::folder::Scope::Charts, false)?;
    let written = if dir.join(crate::report::files::SWEEP_SUMMARY).exists() {
        super::sweep::sweep_charts(dir)?
    } else {
        let files = crate::plot::run_outputs(&crate::plot::folder(dir))
            .with_context(|| format!("cannot redraw the charts of `{}`", dir.display()))?;
        report::output::write_files(dir, &files)?
    };
    folder.finish(&written)?;
    sayln!("wrote {}/charts/ and report.html", dir.display());
    Ok(())
}
