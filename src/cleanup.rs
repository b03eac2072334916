//! What an interrupted process must remove: the temporary files being written (a run's
//! `jobs.csv`, a sweep record) and the temporary folders in use (a trace sort's spilled
//! chunks). Writers register them while they exist; a signal handler removes them all.

use std::path::{Path, PathBuf};

/// Paths to remove if the process is interrupted now.
static PENDING: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Adds (`true`) or drops (`false`) a temporary file or folder from the list.
pub fn track(path: &Path, add: bool) {
    let mut list = PENDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if add {
        list.push(path.to_path_buf());
    } else if let Some(i) = list.iter().position(|p| p == path) {
        list.swap_remove(i);
    }
}

/// Removes every registered temporary file and folder: for an interrupt (SIGINT, SIGTERM,
/// SIGHUP) handler, so an interrupted process leaves nothing partial behind.
pub fn remove_pending() {
    let list = PENDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    for path in list.iter() {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => {
                let _ = std::fs::remove_dir_all(path);
            }
            Ok(_) => {
                let _ = std::fs::remove_file(path);
            }
            Err(_) => {}
        }
    }
}
