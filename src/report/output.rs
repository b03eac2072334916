//! Writes a set of named files into a folder atomically: each file goes to a temporary name
//! first and is renamed into place, and nothing is written until every file's bytes exist.
//! Temporary files are created exclusively with a random name (`.NAME.tmp-PID-XXXXXX`), so a
//! planted file or link cannot redirect them; sub-folders that are symbolic links are refused,
//! and a rename replaces a link at the final name instead of writing through it. Temporary
//! files left by a killed wattsim are removed by the next run into the folder.

use super::ReportError;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Writes `files` (name, bytes) into `dir`, creating it, all or nothing: every file is first
/// written in full under a temporary name, and only then are they all renamed into place. If
/// any write fails (a full disk), the temporaries are removed and the folder's files stay
/// exactly as they were.
pub fn write_files(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, ReportError> {
    let staged = stage_files(dir, files)?;
    persist_all(staged)
}

/// The first half of [`write_files`]: every file written under its temporary name (the
/// folders made and checked first). Dropping the result removes them.
pub fn stage_files(
    dir: &Path,
    files: &[(String, Vec<u8>)],
) -> Result<Vec<PendingFile>, ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    // Every folder is checked and made before any file is written, so a refused folder
    // leaves the others untouched.
    for (name, _) in files {
        if let Some(parent) = dir.join(name).parent().filter(|p| *p != dir) {
            refuse_link(parent)?;
            std::fs::create_dir_all(parent).map_err(|source| ReportError::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
    }
    files
        .iter()
        .map(|(name, bytes)| stage(&dir.join(name), bytes))
        .collect()
}

/// The second half: renames staged files into place, in order; returns their paths.
pub fn persist_all(staged: Vec<PendingFile>) -> Result<Vec<PathBuf>, ReportError> {
    let mut written = Vec::with_capacity(staged.len());
    for pending in staged {
        written.push(pending.path.clone());
        pending.persist()?;
    }
    Ok(written)
}

/// Writes `bytes` for `path` under a temporary name, ready to persist.
fn stage(path: &Path, bytes: &[u8]) -> Result<PendingFile, ReportError> {
    let (pending, mut file) = PendingFile::create(path)?;
    std::io::Write::write_all(&mut file, bytes)
        .and_then(|()| file.flush())
        .map_err(|source| ReportError::Write {
            path: path.to_path_buf(),
            source,
        })?;
    drop(file);
    Ok(pending)
}

/// Writes one file through a temporary sibling and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    stage(path, bytes)?.persist()
}

/// Refuses a folder wattsim would write into that is a symbolic link (it did not make it):
/// following it could put outputs anywhere the user can write.
pub fn refuse_link(dir: &Path) -> Result<(), ReportError> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => Err(ReportError::Write {
            path: dir.to_path_buf(),
            source: std::io::Error::other(
                "is a symbolic link; wattsim does not write through links it did not make: remove the link (or point --out at the real folder)",
            ),
        }),
        _ => Ok(()),
    }
}

/// Removes the temporary files a wattsim process that no longer runs left in `dir` (killed
/// while writing): only names of wattsim's own pattern, `.NAME.tmp-PID-XXXXXX`, whose PID is
/// not a live process. Where liveness cannot be told (no `/proc`), nothing is removed.
pub fn remove_stale_temporaries(dir: &Path) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = temporary_pid(&name.to_string_lossy()) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && pid != std::process::id() && !proc.join(pid.to_string()).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The PID in a temporary file name of wattsim's pattern `.NAME.tmp-PID-XXXXXX`.
fn temporary_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let (_, tail) = rest.rsplit_once(".tmp-")?;
    let (pid, random) = tail.split_once('-')?;
    let random_ok =
        random.len() == RANDOM_CHARS && random.chars().all(|c| c.is_ascii_alphanumeric());
    (random_ok && !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()))
        .then(|| pid.parse().ok())
        .flatten()
}

/// Random characters in a temporary file's name.
const RANDOM_CHARS: usize = 6;

/// Removes every temporary file still being written (see [`crate::cleanup`]).
pub use crate::cleanup::remove_pending;
use crate::cleanup::track;

/// A file being written under a temporary name beside its final path (`.NAME.tmp-PID-XXXXXX`,
/// created exclusively); the
/// temporary is removed when this is dropped unless [`PendingFile::persist`] renamed it, and
/// by [`remove_pending`] if the process is interrupted meanwhile.
#[derive(Debug)]
pub struct PendingFile {
    tmp: PathBuf,
    path: PathBuf,
    persisted: bool,
}

impl PendingFile {
    /// Creates the temporary file for `path`.
    pub fn create(path: &Path) -> Result<(PendingFile, std::fs::File), ReportError> {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let prefix = format!(".{file_name}.tmp-{}-", std::process::id());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).rand_bytes(RANDOM_CHARS);
        // Outputs are ordinary files (tempfile's default is owner-only).
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let (file, tmp) = builder
            .tempfile_in(dir)
            .and_then(|t| t.keep().map_err(|e| e.error))
            .map_err(|source| ReportError::Write {
                path: path.to_path_buf(),
                source,
            })?;
        track(&tmp, true);
        let pending = PendingFile {
            tmp,
            path: path.to_path_buf(),
            persisted: false,
        };
        Ok((pending, file))
    }

    /// The temporary file's path (to read back what was written).
    pub fn tmp_path(&self) -> &Path {
        &self.tmp
    }

    /// Renames the temporary file into place.
    pub fn persist(mut self) -> Result<(), ReportError> {
        std::fs::rename(&self.tmp, &self.path).map_err(|source| ReportError::Write {
            path: self.path.clone(),
            source,
        })?;
        self.persisted = true;
        track(&self.tmp, false);
        Ok(())
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.persisted {
            let _ = std::fs::remove_file(&self.tmp);
            track(&self.tmp, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_all_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("nested/out");
        let files = vec![
            ("a.txt".to_string(), b"alpha".to_vec()),
            ("b.txt".to_string(), b"beta".to_vec()),
        ];
        write_files(&out, &files).unwrap();
        assert_eq!(std::fs::read(out.join("a.txt")).unwrap(), b"alpha");
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn temporary_names_are_recognised_only_in_wattsims_pattern() {
        assert_eq!(temporary_pid(".jobs.csv.tmp-4242-a1B2c3"), Some(4242));
        assert_eq!(temporary_pid(".charts.tmp-1-zzzzzz"), Some(1));
        for other in [
            "jobs.csv",
            ".jobs.csv.tmp-4242",
            ".jobs.csv.tmp-42x-a1B2c3",
            ".jobs.csv.tmp-4242-a1B2c",
            "jobs.csv.tmp-4242-a1B2c3",
            ".jobs.csv.tmp--a1B2c3",
        ] {
            assert_eq!(temporary_pid(other), None, "{other}");
        }
    }

    #[test]
    fn a_pending_file_not_persisted_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jobs.csv");
        let (pending, file) = PendingFile::create(&path).unwrap();
        assert!(pending.tmp_path().exists());
        drop(file);
        drop(pending);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let (pending, mut file) = PendingFile::create(&path).unwrap();
        std::io::Write::write_all(&mut file, b"id\n").unwrap();
        pending.persist().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"id\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
