//! Writes a set of named files into a folder atomically: each file goes to a temporary name
//! first and is renamed into place, and nothing is written until every file's bytes exist.

use super::ReportError;
use std::path::{Path, PathBuf};

/// Writes `files` (name, bytes) into `dir`, creating it. On failure, temporary files are
/// removed; files already renamed into place are complete.
pub fn write_files(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent().filter(|p| *p != dir) {
            std::fs::create_dir_all(parent).map_err(|source| ReportError::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        write_atomic(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes one file through a temporary sibling and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let (pending, mut file) = PendingFile::create(path)?;
    std::io::Write::write_all(&mut file, bytes).map_err(|source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    drop(file);
    pending.persist()
}

/// Removes every temporary file still being written (see [`crate::cleanup`]).
pub use crate::cleanup::remove_pending;
use crate::cleanup::track;

/// A file being written under a temporary name beside its final path (`.NAME.tmp-PID`); the
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
        let tmp = path.with_file_name(format!(".{file_name}.tmp-{}", std::process::id()));
        let file = std::fs::File::create(&tmp).map_err(|source| ReportError::Write {
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
