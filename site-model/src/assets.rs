//! A site's folders and its fingerprinted files. A page links `style.css?h=<hash>` so that
//! browsers and proxies may keep the file for a year; the generator's pages and the tip
//! endpoint's pages link the same files, so both must find them in the same folders and
//! hash them the same way, or a visitor loads each stylesheet twice.

use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

/// The fingerprint in `?h=`: the first 16 hex digits of the file's SHA-256, so the same
/// bytes give the same URL on every machine and every build.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(16);
    for b in &digest[..8] {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The site root and its theme (`theme = "…"` in `config.toml`): where templates and static
/// files come from. Zola's order: the site's own files win over the theme's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteDirs {
    pub root: PathBuf,
    pub theme: Option<String>,
}

impl SiteDirs {
    pub fn new(root: &Path, theme: Option<&str>) -> Self {
        Self {
            root: root.to_path_buf(),
            theme: theme.map(str::to_string),
        }
    }

    /// `themes/<theme>` under the root, when the site names a theme (it may not exist).
    pub fn theme_dir(&self) -> Option<PathBuf> {
        self.theme
            .as_ref()
            .map(|theme| self.root.join("themes").join(theme))
    }

    /// Template folders, the one that loses first: the theme's `templates/`, then the site's.
    pub fn template_dirs(&self) -> Vec<PathBuf> {
        self.layered("templates")
    }

    /// Static folders, the one that loses first: the theme's `static/`, then the site's.
    /// Copying them in this order leaves the site's file where both have one.
    pub fn static_layers(&self) -> Vec<PathBuf> {
        self.layered("static")
    }

    /// Static folders to look a file up in, the one that wins first.
    pub fn static_dirs(&self) -> Vec<PathBuf> {
        let mut dirs = self.static_layers();
        dirs.reverse();
        dirs
    }

    fn layered(&self, folder: &str) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self
            .theme_dir()
            .map(|t| t.join(folder))
            .into_iter()
            .collect();
        dirs.push(self.root.join(folder));
        dirs
    }
}

/// A path that would leave the folders it is looked up in (`../`, `/etc`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` must stay inside the site")]
pub struct OutsideSite(pub String);

/// The first of `roots` holding the file `rel` (`css/site.css`), for fingerprinting.
pub fn find_file(roots: &[PathBuf], rel: &str) -> Result<Option<PathBuf>, OutsideSite> {
    let rel_path = Path::new(rel);
    if rel_path
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(OutsideSite(rel.to_string()));
    }
    Ok(roots
        .iter()
        .map(|root| root.join(rel_path))
        .find(|full| full.is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_sixteen_hex_digits_of_sha256() {
        // SHA-256("") = e3b0c44298fc1c149afbf4c8996fb924…
        assert_eq!(content_hash(b""), "e3b0c44298fc1c14");
        assert_eq!(content_hash(b"body{}").len(), 16);
    }

    #[test]
    fn the_site_wins_over_its_theme() {
        let dirs = SiteDirs::new(Path::new("/s"), Some("t"));
        assert_eq!(dirs.theme_dir(), Some(PathBuf::from("/s/themes/t")));
        assert_eq!(
            dirs.template_dirs(),
            [
                PathBuf::from("/s/themes/t/templates"),
                PathBuf::from("/s/templates")
            ]
        );
        assert_eq!(
            dirs.static_dirs(),
            [
                PathBuf::from("/s/static"),
                PathBuf::from("/s/themes/t/static")
            ]
        );
        assert_eq!(
            SiteDirs::new(Path::new("/s"), None).static_dirs(),
            [PathBuf::from("/s/static")]
        );
    }

    #[test]
    fn finds_files_in_order_and_refuses_to_leave_the_roots() {
        let site = tempfile::tempdir().unwrap();
        let (a, b) = (site.path().join("a"), site.path().join("b"));
        std::fs::create_dir_all(a.join("css")).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("css/x.css"), "a").unwrap();
        std::fs::write(b.join("y.js"), "b").unwrap();
        let roots = [a.clone(), b.clone()];
        assert_eq!(
            find_file(&roots, "css/x.css"),
            Ok(Some(a.join("css/x.css")))
        );
        assert_eq!(find_file(&roots, "./y.js"), Ok(Some(b.join("./y.js"))));
        assert_eq!(find_file(&roots, "z.js"), Ok(None));
        assert!(find_file(&roots, "../b/y.js").is_err());
        assert!(find_file(&roots, "/etc/passwd").is_err());
    }
}
