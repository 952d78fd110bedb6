use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use fluent_bundle::{FluentArgs, FluentValue};
use tera::{Function, Value};

use crate::Locales;

/// The `t(key=..., lang=..., **args)` template function.
///
/// A key missing in the requested language renders the default language's text so a
/// visitor never sees a raw key; the gap is recorded so `build` can warn and `check` can
/// fail. In strict mode a missing key is a template error instead.
#[derive(Clone)]
pub struct TranslateFn {
    locales: Arc<Locales>,
    strict: bool,
    missing: Arc<Mutex<BTreeSet<(String, String)>>>,
}

impl TranslateFn {
    pub fn new(locales: Arc<Locales>, strict: bool) -> Self {
        Self {
            locales,
            strict,
            missing: Arc::default(),
        }
    }

    /// `(lang, key)` pairs that templates asked for and the language lacked.
    pub fn missing(&self) -> BTreeSet<(String, String)> {
        match self.missing.lock() {
            Ok(set) => set.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn record_missing(&self, lang: &str, key: &str) {
        let mut set = match self.missing.lock() {
            Ok(set) => set,
            Err(poisoned) => poisoned.into_inner(),
        };
        set.insert((lang.to_string(), key.to_string()));
    }
}

fn to_fluent(value: &Value) -> Option<FluentValue<'static>> {
    match value {
        Value::String(s) => Some(FluentValue::from(s.clone())),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(FluentValue::from(i))
            } else {
                n.as_f64().map(FluentValue::from)
            }
        }
        Value::Bool(b) => Some(FluentValue::from(b.to_string())),
        _ => None,
    }
}

impl Function for TranslateFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let key = args.get("key").and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg("t() needs a `key` argument, e.g. t(key=\"hotline\", lang=lang)")
        })?;
        let lang = args
            .get("lang")
            .and_then(Value::as_str)
            .unwrap_or_else(|| self.locales.default_lang());
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            if name == "key" || name == "lang" {
                continue;
            }
            if let Some(v) = to_fluent(value) {
                fluent_args.set(name.clone(), v);
            }
        }
        let (text, err) = self
            .locales
            .format_or_fallback(lang, key, Some(&fluent_args));
        if let Some(err) = err {
            if self.strict {
                return Err(tera::Error::msg(err.to_string()));
            }
            self.record_missing(lang, key);
        }
        Ok(Value::String(text))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Direction;

    #[test]
    fn renders_in_a_template_and_records_gaps() {
        let locales = Locales::from_sources(
            &[
                (
                    "az",
                    Direction::Ltr,
                    "az.ftl",
                    "call = Zəng edin: { $number }\nonly-az = Yalnız\n",
                ),
                ("en", Direction::Ltr, "en.ftl", "call = Call { $number }\n"),
            ],
            "az",
        )
        .unwrap();
        let t = TranslateFn::new(Arc::new(locales), false);
        let mut tera = tera::Tera::default();
        tera.register_function("t", t.clone());
        tera.add_raw_template(
            "x",
            "{{ t(key=\"call\", lang=lang, number=\"152\") }}|{{ t(key=\"only-az\", lang=lang) }}",
        )
        .unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("lang", "en");
        assert_eq!(tera.render("x", &ctx).unwrap(), "Call 152|Yalnız");
        let missing = t.missing();
        assert!(missing.contains(&("en".to_string(), "only-az".to_string())));
    }

    #[test]
    fn strict_mode_fails_on_a_missing_key() {
        let locales =
            Locales::from_sources(&[("en", Direction::Ltr, "en.ftl", "a = A\n")], "en").unwrap();
        let t = TranslateFn::new(Arc::new(locales), true);
        let mut args = HashMap::new();
        args.insert("key".to_string(), Value::String("b".into()));
        assert!(t.call(&args).is_err());
    }
}
