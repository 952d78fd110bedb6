//! Finds and parses templates: the theme's first, then the site's own, which override the
//! theme's by name (`templates/page.html` replaces `themes/<theme>/templates/page.html`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Template, Tera};

use super::error::{parse_error_position, TemplateError};

/// Templates the generator falls back on when neither the theme nor the site has one, under
/// the same names Zola uses so a theme can override them.
pub const BUILTINS: &[(&str, &str)] = &[
    ("__xeberdar/atom.xml", include_str!("builtin/atom.xml")),
    ("__xeberdar/404.html", include_str!("builtin/404.html")),
    ("__xeberdar/alias.html", include_str!("builtin/alias.html")),
    (
        "__xeberdar/taxonomy_list.html",
        include_str!("builtin/taxonomy_list.html"),
    ),
    (
        "__xeberdar/taxonomy_single.html",
        include_str!("builtin/taxonomy_single.html"),
    ),
];

/// Where each template name comes from, so errors can name the file.
#[derive(Debug, Default, Clone)]
pub struct TemplateFiles {
    pub files: BTreeMap<String, PathBuf>,
    /// Folders searched, in order, for error messages ("looked in …").
    pub dirs: Vec<PathBuf>,
}

impl TemplateFiles {
    /// Lists `themes/<theme>/templates/**` then `templates/**` under `site_root`.
    pub fn discover(site_root: &Path, theme: Option<&str>) -> Result<Self, TemplateError> {
        let mut found = TemplateFiles::default();
        for dir in xeberdar_site::assets::SiteDirs::new(site_root, theme).template_dirs() {
            found.add_dir(&dir)?;
        }
        Ok(found)
    }

    fn add_dir(&mut self, dir: &Path) -> Result<(), TemplateError> {
        self.dirs.push(dir.to_path_buf());
        if !dir.is_dir() {
            return Ok(());
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|e| TemplateError::Read {
                path: e.path().unwrap_or(dir).to_path_buf(),
                source: e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("cannot list the folder")),
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy();
            if name.starts_with('.') || name.ends_with('~') {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            self.files.insert(name, entry.path().to_path_buf());
        }
        Ok(())
    }

    pub fn path_of(&self, name: &str) -> PathBuf {
        self.files
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")))
    }

    pub fn looked_in(&self) -> String {
        self.dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Parses every template; all syntax errors are returned, not just the first, so one
    /// `check` run shows a theme author everything to fix.
    pub fn parse(&self) -> Result<Tera, Vec<TemplateError>> {
        let mut tera = Tera::default();
        let mut errors = Vec::new();
        for (name, text) in BUILTINS {
            match Template::new(name, None, text) {
                Ok(t) => {
                    tera.templates.insert((*name).to_string(), t);
                }
                Err(e) => errors.push(TemplateError::Syntax {
                    path: PathBuf::from(name),
                    line: 1,
                    col: 1,
                    message: e.to_string(),
                }),
            }
        }
        for (name, path) in &self.files {
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(source) => {
                    errors.push(TemplateError::Read {
                        path: path.clone(),
                        source,
                    });
                    continue;
                }
            };
            match Template::new(name, Some(path.display().to_string()), &text) {
                Ok(t) => {
                    tera.templates.insert(name.clone(), t);
                }
                Err(e) => {
                    let wrapped = tera::Error::chain(format!("cannot parse {name}"), e);
                    let (line, col, message) = parse_error_position(&wrapped);
                    errors.push(TemplateError::Syntax {
                        path: path.clone(),
                        line,
                        col,
                        message,
                    });
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if let Err(e) = tera.build_inheritance_chains() {
            let path = match &e.kind {
                tera::ErrorKind::MissingParent { current, .. } => self.path_of(current),
                tera::ErrorKind::CircularExtend { tpl, .. } => self.path_of(tpl),
                _ => PathBuf::from("templates"),
            };
            return Err(vec![TemplateError::Inheritance {
                path,
                message: super::error::describe(&e),
            }]);
        }
        if let Err(e) = tera.check_macro_files() {
            return Err(vec![TemplateError::Inheritance {
                path: PathBuf::from("templates"),
                message: super::error::describe(&e),
            }]);
        }
        Ok(tera)
    }
}
