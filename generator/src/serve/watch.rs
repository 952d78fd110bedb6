//! Watches the site's source folders and hands batches of changed paths to the rebuilder.
//!
//! Saving a file makes an editor write, rename and chmod in quick succession; changes are
//! gathered until the folder has been quiet for [`QUIET`] (never longer than [`MAX_WAIT`]),
//! so one save is one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher as _};

/// How long the folder must be quiet before a rebuild starts.
pub const QUIET: Duration = Duration::from_millis(15);
/// The longest a rebuild waits for a burst of changes to end.
pub const MAX_WAIT: Duration = Duration::from_millis(100);

/// Folders watched recursively, relative to the site root; `config.toml` is watched through
/// the root folder itself (editors often replace it by a rename, which a file watch misses).
pub const WATCHED_FOLDERS: [&str; 6] = ["content", "templates", "themes", "i18n", "static", "data"];

/// A running watcher; dropping it stops watching.
pub struct SiteWatcher {
    _watcher: notify::RecommendedWatcher,
    changes: Receiver<PathBuf>,
}

impl SiteWatcher {
    pub fn start(root: &Path) -> notify::Result<Self> {
        let (sender, changes) = mpsc::channel();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                if matches!(event.kind, EventKind::Access(_)) {
                    return;
                }
                for path in event.paths {
                    // The receiver is gone only when serve is shutting down.
                    let _ = sender.send(path);
                }
            })?;
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        for folder in WATCHED_FOLDERS {
            let dir = root.join(folder);
            if dir.is_dir() {
                watcher.watch(&dir, RecursiveMode::Recursive)?;
            }
        }
        Ok(Self {
            _watcher: watcher,
            changes,
        })
    }

    /// Blocks until something changes, then returns the whole burst (sorted, once each).
    /// `None` when the watcher stopped.
    pub fn next_batch(&self) -> Option<Vec<PathBuf>> {
        let first = self.changes.recv().ok()?;
        let started = Instant::now();
        let mut batch = vec![first];
        loop {
            let left = MAX_WAIT.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match self.changes.recv_timeout(QUIET.min(left)) {
                Ok(path) => batch.push(path),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        batch.sort();
        batch.dedup();
        Some(batch)
    }
}
