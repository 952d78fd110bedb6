//! Where rendered files go: a folder on disk for `build`, memory for `check` and `serve`.
//! Renderers call [`OutputSink::put`] from rayon threads, so sinks are `Sync`.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A destination for output files, addressed by `/`-separated paths relative to the output
/// root (`ru/news/index.html`).
pub trait OutputSink: Sync {
    /// Stores a rendered file.
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Stores the file `write` makes. A sink that can writes it as it is made, so an output
    /// that lists a whole site is never held in memory whole; the others gather it first.
    fn put_with(&self, rel: &str, write: &mut WriteFile<'_>) -> io::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(rel, &bytes)
    }
    /// Stores a copy of a file on disk (static files, page assets).
    fn copy(&self, rel: &str, from: &Path) -> io::Result<()>;
}

/// Makes one output file into the writer it is given.
pub type WriteFile<'a> = dyn FnMut(&mut dyn io::Write) -> io::Result<()> + 'a;

/// Writes into a folder, creating parent folders as needed.
///
/// The folder is not emptied first: outputs overwrite the files of the last build in place
/// and [`DiskSink::remove_stale`] then deletes what this build did not write, so the folder
/// ends up exactly as a fresh build would leave it. Deleting and re-creating thousands of
/// files made a rebuild several times slower than the first build on ext4 (BENCHMARKS.md).
pub struct DiskSink {
    pub root: PathBuf,
    /// Files found before the build (relative to `root`) that no output has written yet.
    stale: Mutex<HashSet<PathBuf>>,
    /// Folders known to exist, so writing a file skips `create_dir_all` for its parent.
    dirs: Mutex<HashSet<PathBuf>>,
}

/// Files and folders of a folder, recursively, without following symbolic links (those are
/// removed: a link left by someone else must not make the build write outside `root`).
fn scan(
    root: &Path,
    dir: &Path,
    files: &mut HashSet<PathBuf>,
    dirs: &mut HashSet<PathBuf>,
) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            dirs.insert(path.clone());
            scan(root, &path, files, dirs)?;
        } else if kind.is_symlink() {
            std::fs::remove_file(&path)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            files.insert(rel.to_path_buf());
        }
    }
    Ok(())
}

/// Removes the empty folders under `dir` (not `dir` itself), deepest first.
fn remove_empty_dirs(dir: &Path) -> io::Result<bool> {
    let mut empty = true;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() && remove_empty_dirs(&entry.path())? {
            std::fs::remove_dir(entry.path())?;
        } else {
            empty = false;
        }
    }
    Ok(empty)
}

impl DiskSink {
    /// Opens (or creates) `root` and notes the files already in it, which
    /// [`DiskSink::remove_stale`] deletes unless the build writes them again. Refuses a folder
    /// that looks like a site source, so a mistyped `--output-dir .` cannot delete someone's
    /// content.
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
        let mut files = HashSet::new();
        let mut dirs = HashSet::new();
        if root.exists() {
            scan(root, root, &mut files, &mut dirs)?;
        } else {
            std::fs::create_dir_all(root)?;
        }
        dirs.insert(root.to_path_buf());
        Ok(Self {
            root: root.to_path_buf(),
            stale: Mutex::new(files),
            dirs: Mutex::new(dirs),
        })
    }

    /// Deletes the files of earlier builds that this build did not write, then the folders
    /// left empty. Returns how many files were deleted.
    pub fn remove_stale(&self) -> io::Result<usize> {
        let stale: Vec<PathBuf> = lock(&self.stale).drain().collect();
        for rel in &stale {
            let path = self.root.join(rel);
            // Skip what is gone already: replaced by a folder of this build, or under a
            // folder that became a file.
            let still_a_file = std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir());
            if still_a_file {
                std::fs::remove_file(&path)
                    .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            }
        }
        remove_empty_dirs(&self.root)?;
        Ok(stale.len())
    }

    /// The path of `rel`, with its parent folder created. A file of an earlier build that
    /// stands where this build needs a folder is removed.
    fn target(&self, rel: &str) -> io::Result<PathBuf> {
        // An address made from a slug kept as written (`[slugify] … = "off"`) may hold `..`:
        // no output may land outside the output folder.
        let inside = Path::new(rel)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside {
            return Err(io::Error::other(format!(
                "the address `{rel}` would be written outside the output folder; change the slug that makes it"
            )));
        }
        let path = self.root.join(rel);
        let Some(parent) = path.parent() else {
            return Ok(path);
        };
        if lock(&self.dirs).contains(parent) {
            return Ok(path);
        }
        if std::fs::create_dir_all(parent).is_err() {
            // `news` was a file in the last build and is a folder now: remove the file.
            // Outputs are written in parallel, so another output under `news/` may remove
            // it first, and make the folder in its place: a file already gone, or already
            // a folder, is not an error, and the folder is made again.
            let blocking = parent
                .ancestors()
                .take_while(|a| a.starts_with(&self.root) && *a != self.root)
                .find(|a| a.is_file());
            if let Some(file) = blocking {
                match std::fs::remove_file(file) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound && !file.is_dir() => {
                        return Err(e)
                    }
                    _ => {}
                }
            }
            std::fs::create_dir_all(parent)?;
        }
        let mut dirs = lock(&self.dirs);
        for a in parent.ancestors().take_while(|a| a.starts_with(&self.root)) {
            if !dirs.insert(a.to_path_buf()) {
                break;
            }
        }
        Ok(path)
    }

    /// Runs `write` on `path`; when a folder of an earlier build stands there, removes it
    /// and tries once more.
    /// Once written, the file is no longer stale.
    fn replace<T>(&self, path: &Path, mut write: impl FnMut() -> io::Result<T>) -> io::Result<T> {
        let done = match write() {
            Err(_) if path.is_dir() => {
                std::fs::remove_dir_all(path)?;
                lock(&self.dirs).retain(|d| !d.starts_with(path));
                write()
            }
            other => other,
        }?;
        if let Ok(rel) = path.strip_prefix(&self.root) {
            lock(&self.stale).remove(rel);
        }
        Ok(done)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

impl OutputSink for DiskSink {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.target(rel)?;
        self.replace(&path, || std::fs::write(&path, bytes))
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
    }

    /// Streams the file to disk; when `write` fails, the half-written file is removed, so
    /// a failed output leaves no file, as with [`OutputSink::put`].
    fn put_with(&self, rel: &str, write: &mut WriteFile<'_>) -> io::Result<()> {
        let path = self.target(rel)?;
        let in_path = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
        let file = self
            .replace(&path, || std::fs::File::create(&path))
            .map_err(in_path)?;
        let mut out = io::BufWriter::new(file);
        let written = write(&mut out).and_then(|()| out.flush());
        if let Err(e) = written {
            drop(out);
            // The output failed already; a file that cannot be removed is found stale by
            // the next build.
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let path = self.target(rel)?;
        self.replace(&path, || std::fs::copy(from, &path).map(|_| ()))
            .map_err(|e| {
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

    /// Outputs are written from several threads: when a file of the last build stands where
    /// a folder of many outputs belongs, whichever output comes first removes it and none of
    /// the others fails because it is gone.
    #[test]
    fn parallel_outputs_under_a_file_that_must_become_a_folder_all_land() {
        use rayon::prelude::*;
        for _ in 0..20 {
            let root = tempfile::tempdir().unwrap();
            std::fs::write(root.path().join("news"), "a file where a folder belongs").unwrap();
            let sink = DiskSink::prepare(root.path()).unwrap();
            let results: Vec<io::Result<()>> = (0..64)
                .into_par_iter()
                .map(|i| sink.put(&format!("news/{i}/index.html"), b"page"))
                .collect();
            for r in results {
                r.unwrap();
            }
            sink.remove_stale().unwrap();
            for i in 0..64 {
                let page = root.path().join(format!("news/{i}/index.html"));
                assert_eq!(std::fs::read(page).unwrap(), b"page");
            }
        }
    }
}
