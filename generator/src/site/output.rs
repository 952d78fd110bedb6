//! Where rendered files go: a folder on disk for `build`, memory for `check` and `serve`.
//! Renderers call [`OutputSink::put`] from rayon threads, so sinks are `Sync`.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A destination for output files, addressed by `/`-separated paths relative to the output
/// root (`ru/news/index.html`).
pub trait OutputSink: Sync {
    /// Stores a rendered file.
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Stores a copy of a file on disk (static files, page assets).
    fn copy(&self, rel: &str, from: &Path) -> io::Result<()>;
}

/// Writes into a folder, creating parent folders as needed.
pub struct DiskSink {
    pub root: PathBuf,
}

impl DiskSink {
    /// Empties (or creates) `root`. Refuses a folder that looks like a site source, so a
    /// mistyped `--output-dir .` cannot delete someone's content.
    pub fn prepare(root: &Path) -> io::Result<Self> {
        let looks_like_source = ["config.toml", "content", ".git", "Cargo.toml"]
            .iter()
            .any(|name| root.join(name).exists());
        if looks_like_source {
            return Err(io::Error::other(format!(
                "{} holds a site or a project (config.toml, content/, .git or Cargo.toml), \
                 and building would empty it; choose another --output-dir",
                root.display()
            )));
        }
        if root.exists() {
            for entry in std::fs::read_dir(root)? {
                let entry = entry?;
                if entry.file_type()?.is_dir() {
                    std::fs::remove_dir_all(entry.path())?;
                } else {
                    std::fs::remove_file(entry.path())?;
                }
            }
        } else {
            std::fs::create_dir_all(root)?;
        }
        Ok(Self {
            root: root.to_path_buf(),
        })
    }

    fn target(&self, rel: &str) -> io::Result<PathBuf> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(path)
    }
}

impl OutputSink for DiskSink {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.target(rel)?;
        std::fs::write(&path, bytes)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let path = self.target(rel)?;
        std::fs::copy(from, &path).map(|_| ()).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("{} → {}: {e}", from.display(), path.display()),
            )
        })
    }
}

/// One file kept in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemoryFile {
    Rendered(Vec<u8>),
    /// A file copied as it is; kept by reference so a check or a dev server does not read
    /// every image into memory.
    Copied(PathBuf),
}

/// Keeps outputs in memory (for `check`, and for `serve` to answer from).
#[derive(Default)]
pub struct MemorySink {
    pub files: Mutex<BTreeMap<String, MemoryFile>>,
}

impl MemorySink {
    pub fn into_files(self) -> BTreeMap<String, MemoryFile> {
        match self.files.into_inner() {
            Ok(f) => f,
            Err(p) => p.into_inner(),
        }
    }

    fn insert(&self, rel: &str, file: MemoryFile) {
        let mut files = match self.files.lock() {
            Ok(f) => f,
            Err(p) => p.into_inner(),
        };
        files.insert(rel.to_string(), file);
    }
}

impl OutputSink for MemorySink {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.insert(rel, MemoryFile::Rendered(bytes.to_vec()));
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.insert(rel, MemoryFile::Copied(from.to_path_buf()));
        Ok(())
    }
}

/// Discards everything: `check` only needs rendering to succeed.
pub struct NullSink;

impl OutputSink for NullSink {
    fn put(&self, _rel: &str, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }
    fn copy(&self, _rel: &str, _from: &Path) -> io::Result<()> {
        Ok(())
    }
}

/// The output file of a URL path: `/ru/news/` → `ru/news/index.html`, `/atom.xml` → `atom.xml`.
pub fn file_for_path(url_path: &str) -> String {
    let trimmed = url_path.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".to_string()
    } else if trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else if trimmed
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        trimmed.to_string()
    } else {
        format!("{trimmed}/index.html")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_map_to_files() {
        assert_eq!(file_for_path("/"), "index.html");
        assert_eq!(file_for_path("/ru/news/"), "ru/news/index.html");
        assert_eq!(file_for_path("/ru/atom.xml"), "ru/atom.xml");
        assert_eq!(file_for_path("/old-page"), "old-page/index.html");
    }
}
