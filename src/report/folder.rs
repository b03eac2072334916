//! Output folders that hold only their last command's files. Each folder wattsim writes keeps a
//! list of the files it wrote there (`.wattsim-files`, one path per line, relative to the
//! folder). A command first claims the folder — absent, empty, or one wattsim wrote; any other
//! non-empty folder is refused unless forced, before anything is touched — and once its files
//! are all in place it removes the files the previous command listed and did not write again
//! (a chart not drawn this time), then records its own list.

use super::ReportError;
use std::path::{Path, PathBuf};

/// The list of files wattsim wrote in a folder.
pub const LIST: &str = ".wattsim-files";

/// Files written by earlier versions that mark a folder as wattsim's (before the list existed):
/// a run's `metadata.json` and a sweep's `manifest.json` both carry `wattsim_version`.
const MARKERS: [&str; 2] = [super::files::METADATA, super::files::MANIFEST];

/// Why a folder was not used.
#[derive(Debug, thiserror::Error)]
#[error(
    "`{}` is not empty and is not a wattsim output folder (it has no {LIST}); wattsim would mix its files with others: choose another --out, empty the folder, or pass --force to write into it anyway",
    dir.display()
)]
pub struct FolderRefused {
    /// The folder.
    pub dir: PathBuf,
}

/// What a command replaces in the folder it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything (a run, sweep, plan, bill or merge writes the whole folder).
    Whole,
    /// The charts and `report.html` only (`wattsim chart` redraws them).
    Charts,
}

impl Scope {
    /// Whether a file (relative path) is one this command replaces.
    fn covers(self, name: &str) -> bool {
        match self {
            Scope::Whole => true,
            Scope::Charts => {
                name.starts_with(&format!("{}/", super::files::CHARTS_DIR))
                    || name == super::files::REPORT_HTML
            }
        }
    }
}

/// A folder claimed for writing, with the files its previous command listed.
#[derive(Debug)]
pub struct OutputFolder {
    dir: PathBuf,
    scope: Scope,
    previous: Vec<String>,
}

impl OutputFolder {
    /// Claims `dir`: an absent or empty folder, or one wattsim wrote (it has the list, or an
    /// earlier version's marker files). Any other folder is refused unless `force`; nothing
    /// is touched either way.
    pub fn claim(dir: &Path, scope: Scope, force: bool) -> Result<Self, FolderRefused> {
        let previous = read_list(dir);
        let ours = previous.is_some() || MARKERS.iter().any(|m| written_by_wattsim(&dir.join(m)));
        if !ours && !force && holds_files(dir) {
            return Err(FolderRefused {
                dir: dir.to_path_buf(),
            });
        }
        Ok(OutputFolder {
            dir: dir.to_path_buf(),
            scope,
            previous: previous.unwrap_or_default(),
        })
    }

    /// The command's files are in place: removes the files the previous command listed, in
    /// this command's scope, that it did not write again, and records the new list (kept
    /// entries outside the scope stay listed). `written` are paths inside the folder.
    pub fn finish(self, written: &[PathBuf]) -> Result<(), ReportError> {
        let mut names: Vec<String> = written
            .iter()
            .filter_map(|p| p.strip_prefix(&self.dir).ok())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        for old in &self.previous {
            if names.contains(old) {
                continue;
            }
            if self.scope.covers(old) {
                remove_listed(&self.dir, old);
            } else {
                names.push(old.clone());
            }
        }
        names.sort();
        names.dedup();
        let mut text = String::from("# files the last wattsim command wrote in this folder\n");
        for n in &names {
            text.push_str(n);
            text.push('\n');
        }
        super::output::write_atomic(&self.dir.join(LIST), text.as_bytes())
    }
}

/// The list in `dir`, if it has one (comment lines and unsafe paths left out).
fn read_list(dir: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(dir.join(LIST)).ok()?;
    Some(
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter(|l| safe_relative(l))
            .map(String::from)
            .collect(),
    )
}

/// A relative path that stays inside the folder: no root, no `..`.
fn safe_relative(name: &str) -> bool {
    let p = Path::new(name);
    p.is_relative()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Removes a listed file (only a regular file or link, never a folder); an emptied `charts/`
/// folder is left in place.
fn remove_listed(dir: &Path, name: &str) {
    let path = dir.join(name);
    if let Ok(m) = std::fs::symlink_metadata(&path)
        && !m.is_dir()
    {
        let _ = std::fs::remove_file(&path);
    }
}

/// Whether `path` is a JSON file naming the wattsim version that wrote it.
fn written_by_wattsim(path: &Path) -> bool {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .is_some_and(|v| v.get("wattsim_version").is_some())
}

/// Whether `dir` is a folder holding anything (an absent path, or one that is not a folder,
/// holds nothing to mix with: writing there fails on its own, saying why).
fn holds_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_paths_stay_inside_the_folder() {
        assert!(safe_relative("charts/power.png"));
        assert!(!safe_relative("../outside.txt"));
        assert!(!safe_relative("/etc/passwd"));
        assert!(!safe_relative("charts/../../x"));
    }
}
