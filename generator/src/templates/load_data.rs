//! `load_data(path=)`: reads a TOML, JSON or CSV file from the site folder for templates
//! (partner lists, hotline hours). Each file is read once per build and cached; errors name
//! the file and, where the format tells us, the line and column.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use tera::{Function, Value};

pub struct LoadData {
    site_root: PathBuf,
    cache: Mutex<HashMap<PathBuf, Value>>,
}

impl LoadData {
    pub fn new(site_root: &Path) -> Self {
        Self {
            site_root: site_root.to_path_buf(),
            cache: Mutex::default(),
        }
    }

    /// Forgets cached files, for `serve` after something under the site changed.
    pub fn forget(&self) {
        self.cache.lock().clear()
    }
}

/// Parses `text` by the file's extension. `shown` is the path used in messages.
pub fn parse_data(shown: &str, ext: &str, text: &str) -> Result<Value, String> {
    match ext {
        "toml" => {
            let parsed: Result<toml::Value, _> = toml::from_str(text);
            match parsed {
                Ok(v) => serde_json::to_value(v).map_err(|e| format!("{shown}:1:1: {e}")),
                Err(e) => {
                    let (line, col) = e
                        .span()
                        .map(|s| xeberdar_site::text::line_col(text, s.start))
                        .unwrap_or((1, 1));
                    Err(format!("{shown}:{line}:{col}: {}", e.message()))
                }
            }
        }
        "json" => serde_json::from_str(text)
            .map_err(|e| format!("{shown}:{}:{}: {e}", e.line(), e.column())),
        "csv" => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(text.as_bytes());
            let headers: Vec<Value> = reader
                .headers()
                .map_err(|e| format!("{shown}:1:1: {e}"))?
                .iter()
                .map(|h| Value::String(h.to_string()))
                .collect();
            let mut records = Vec::new();
            for record in reader.records() {
                let record = record.map_err(|e| {
                    let line = e.position().map(|p| p.line()).unwrap_or(1);
                    format!("{shown}:{line}:1: {e}")
                })?;
                records.push(Value::Array(
                    record
                        .iter()
                        .map(|f| Value::String(f.to_string()))
                        .collect(),
                ));
            }
            let mut map = tera::Map::new();
            map.insert("headers".into(), Value::Array(headers));
            map.insert("records".into(), Value::Array(records));
            Ok(Value::Object(map))
        }
        other => Err(format!(
            "{shown}:1:1: load_data() reads .toml, .json and .csv files, not .{other}"
        )),
    }
}

impl Function for LoadData {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let rel = match args.get("path") {
            Some(Value::String(s)) => s.as_str(),
            _ => return Err(tera::Error::msg(
                "load_data() needs a `path` argument, e.g. load_data(path=\"data/partners.toml\")",
            )),
        };
        let rel_path = Path::new(rel);
        if rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(tera::Error::msg(format!(
                "load_data(): `{rel}` must be a path inside the site folder, like \"data/partners.toml\""
            )));
        }
        let full = self.site_root.join(rel_path);
        {
            let cache = self.cache.lock();
            if let Some(v) = cache.get(&full) {
                return Ok(v.clone());
            }
        }
        let text = std::fs::read_to_string(&full)
            .map_err(|e| tera::Error::msg(format!("{rel}: load_data() cannot read it: {e}")))?;
        let ext = rel_path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let value = parse_data(rel, &ext, &text).map_err(tera::Error::msg)?;
        let mut cache = self.cache.lock();
        cache.insert(full, value.clone());
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_becomes_headers_and_records() {
        let v = parse_data("d.csv", "csv", "name,phone\nHotline,152\n").unwrap();
        assert_eq!(v["headers"][1], "phone");
        assert_eq!(v["records"][0][1], "152");
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let e = parse_data("data/x.toml", "toml", "a = 1\nb = \n").unwrap_err();
        assert!(e.starts_with("data/x.toml:2:"), "{e}");
        let e = parse_data("data/x.json", "json", "{\n  \"a\": }").unwrap_err();
        assert!(e.starts_with("data/x.json:2:"), "{e}");
    }
}
