//! What every template render shares: the context it starts from, and the template run
//! with only the fields of listed pages it reads, so a page listing a whole section does
//! not carry every page's content.

use std::io::Write;
use std::path::Path;

use serde_json::{Map, Value};
use tera::Context;

use crate::config::{Config, Lang};
use crate::diagnostics::Diagnostic;
use crate::site::listed_fields;
use crate::site::Site;

fn lang_dir(config: &Config, lang: &Lang) -> &'static str {
    config.direction(lang).as_str()
}

impl Site {
    /// What every template's context starts with: config, language, the current path and
    /// URL; the caller adds what its output has.
    pub(in crate::site) fn base_context(&self, lang: &Lang, path: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("config".into(), self.config_values.get(lang));
        m.insert("lang".into(), Value::from(lang));
        m.insert("lang_dir".into(), Value::from(lang_dir(&self.config, lang)));
        m.insert("current_path".into(), Value::from(path));
        m.insert(
            "current_url".into(),
            Value::from(self.config.permalink(path)),
        );
        m.insert("serve_mode".into(), Value::from(self.options.serve_mode));
        m.insert("translations".into(), Value::Array(Vec::new()));
        m.insert("x_default".into(), Value::Null);
        m
    }

    /// Renders the first of `names` that exists into `out`, with only the listed fields
    /// that template reads; a problem is reported on `for_file`.
    pub(in crate::site) fn render_template(
        &self,
        names: &[&str],
        context: Map<String, Value>,
        for_file: &str,
        out: &mut dyn Write,
    ) -> Result<(), Diagnostic> {
        let for_path = Path::new(for_file);
        let name = self
            .templates
            .pick(names, for_path)
            .map_err(|e| Diagnostic::error(for_file, 1, 1, e.problem()))?;
        let ctx = Context::from_value(Value::Object(context))
            .map_err(|e| Diagnostic::error(for_file, 1, 1, e.to_string()))?;
        listed_fields::with_fields(self.field_use.of(name), || {
            self.templates.render_to(name, &ctx, for_path, out)
        })
        .map_err(|e| Diagnostic::error(for_file, 1, 1, e.problem()))
    }

    /// Runs `build` (which makes a context and renders it) with the listed fields of the
    /// first of `names` that exists, so the pages the context lists carry only those.
    pub(super) fn for_template<R>(&self, names: &[&str], build: impl FnOnce() -> R) -> R {
        let fields = names
            .iter()
            .find(|n| self.templates.has(n))
            .map(|n| self.field_use.of(n))
            .unwrap_or_else(|| std::sync::Arc::new(listed_fields::ListedFields::every()));
        listed_fields::with_fields(fields, build)
    }
}
