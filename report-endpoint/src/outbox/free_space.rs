//! Free space on the filesystem that holds the outbox, for `/health`.
//!
//! Why a threshold and not only "the last write failed": the site's page asks `/health`
//! before it shows the form, so saying "no" shortly *before* the disk is full spares a
//! visitor from typing a tip that would then get the 503 page. The statistics come from
//! `statvfs(2)` (through `rustix`, no `unsafe` of ours), which answers without writing,
//! so a health check costs one system call.

use std::path::{Path, PathBuf};

/// Below this many bytes available to us (not to root's reserve), the outbox is reported
/// not ready. A sealed tip takes a few KiB per recipient, so 1 MiB is still room for
/// some hundreds, while a full disk's last few KiB are not.
pub const DEFAULT_MIN_FREE_BYTES: u64 = 1024 * 1024;

/// The directory whose filesystem holds `outbox_file` (`.` for a bare file name).
pub fn containing_dir(outbox_file: &Path) -> PathBuf {
    match outbox_file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Bytes an unprivileged writer may still use on the filesystem holding `dir`.
#[cfg(unix)]
pub fn available_bytes(dir: &Path) -> std::io::Result<u64> {
    let s = rustix::fs::statvfs(dir)?;
    Ok(s.f_bavail.saturating_mul(s.f_frsize))
}

/// Without `statvfs`, only the failed-write signal is used.
#[cfg(not(unix))]
pub fn available_bytes(_dir: &Path) -> std::io::Result<u64> {
    Ok(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_directory_has_some_space_and_bare_names_resolve_to_it() {
        assert_eq!(containing_dir(Path::new("outbox.sqlite3")), Path::new("."));
        assert_eq!(containing_dir(Path::new("/a/b.sqlite3")), Path::new("/a"));
        let free = available_bytes(Path::new(".")).expect("statvfs of .");
        assert!(free > 0);
        assert!(available_bytes(Path::new("/no/such/dir/for/statvfs")).is_err());
    }
}
