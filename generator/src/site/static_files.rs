//! Static files: the theme's `static/` first, then the site's `static/`, which wins for a
//! file both have. Copied byte for byte.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use xeberdar_site::assets::SiteDirs;

use crate::diagnostics::Diagnostic;

/// Output path (`css/site.css`) → source file, sorted so copying is deterministic.
pub fn collect(
    site_root: &Path,
    theme: Option<&str>,
) -> Result<BTreeMap<String, PathBuf>, Diagnostic> {
    let mut files = BTreeMap::new();
    for dir in SiteDirs::new(site_root, theme).static_layers() {
        add_dir(&mut files, site_root, &dir)?;
    }
    Ok(files)
}

/// The static folders, most specific first, for `get_url(cachebust=true)`.
pub fn roots(site_root: &Path, theme: Option<&str>) -> Vec<PathBuf> {
    SiteDirs::new(site_root, theme).static_dirs()
}

fn add_dir(
    files: &mut BTreeMap<String, PathBuf>,
    site_root: &Path,
    dir: &Path,
) -> Result<(), Diagnostic> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let shown = e
                .path()
                .and_then(|p| p.strip_prefix(site_root).ok())
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| dir.display().to_string());
            Diagnostic::error(
                shown,
                1,
                1,
                format!("cannot read this static file or folder: {e}"),
            )
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        files.insert(rel, entry.path().to_path_buf());
    }
    Ok(())
}
