//! Tera's `date` filter for themes written for Zola, which use it for page dates.
//!
//! Tera's own filter comes with its `builtins` feature, together with chrono-tz, slug,
//! humansize and rand; this one formats the same values the same way (`format` in chrono's
//! strftime syntax, `%Y-%m-%d` by default) without those crates. Its `timezone` and
//! `locale` arguments are refused with an error naming them: dates are shown with the
//! offset they were written with.

use std::collections::HashMap;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use tera::{Error, Result, Value};

/// `{{ page.date | date(format="%d.%m.%Y") }}`: a string (RFC 3339, `YYYY-MM-DDTHH:MM:SS` or
/// `YYYY-MM-DD`) or a Unix timestamp in seconds.
pub fn date(value: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    for unsupported in ["timezone", "locale"] {
        if args.contains_key(unsupported) {
            return Err(Error::msg(format!(
                "the `date` filter has no `{unsupported}` argument here: dates are shown as they were written"
            )));
        }
    }
    let format = match args.get("format") {
        None => "%Y-%m-%d",
        Some(Value::String(format)) => format.as_str(),
        Some(other) => {
            return Err(Error::msg(format!(
                "the `date` filter's `format` must be a string, not {other}"
            )))
        }
    };
    let items: Vec<Item> = StrftimeItems::new(format).collect();
    if items.iter().any(|item| matches!(item, Item::Error)) {
        return Err(Error::msg(format!("invalid date format `{format}`")));
    }
    let formatted = match value {
        Value::Number(n) => {
            let seconds = n.as_i64().ok_or_else(|| {
                Error::msg(format!("the `date` filter needs whole seconds, not {n}"))
            })?;
            let utc = DateTime::from_timestamp(seconds, 0).ok_or_else(|| {
                Error::msg(format!("the `date` filter: {seconds} is out of range"))
            })?;
            utc.naive_utc().format_with_items(items.iter()).to_string()
        }
        Value::String(text) => format_text(text, &items)?,
        other => {
            return Err(Error::msg(format!(
                "the `date` filter needs a date string or a timestamp, not {other}"
            )))
        }
    };
    Ok(Value::String(formatted))
}

fn format_text(text: &str, items: &[Item]) -> Result<String> {
    if text.contains('T') {
        if let Ok(with_offset) = text.parse::<DateTime<FixedOffset>>() {
            return Ok(with_offset.format_with_items(items.iter()).to_string());
        }
        let naive = text.parse::<NaiveDateTime>().map_err(|_| {
            Error::msg(format!(
                "the `date` filter could not read `{text}` as an RFC 3339 date or a date and time"
            ))
        })?;
        return Ok(naive.and_utc().format_with_items(items.iter()).to_string());
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        Error::msg(format!(
            "the `date` filter could not read `{text}` as a YYYY-MM-DD date"
        ))
    })?;
    Ok(day
        .and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .format_with_items(items.iter())
        .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(value: Value, format: Option<&str>) -> Result<Value> {
        let mut args = HashMap::new();
        if let Some(format) = format {
            args.insert("format".to_string(), Value::from(format));
        }
        date(&value, &args)
    }

    #[test]
    fn formats_the_values_zola_themes_pass() -> Result<()> {
        assert_eq!(run(Value::from("2026-03-07"), None)?, "2026-03-07");
        assert_eq!(
            run(Value::from("2026-03-07"), Some("%d.%m.%Y"))?,
            "07.03.2026"
        );
        assert_eq!(
            run(Value::from("2026-03-07T10:20:30+04:00"), Some("%+"))?,
            "2026-03-07T10:20:30+04:00"
        );
        assert_eq!(
            run(Value::from("2026-03-07T10:20:30"), Some("%H:%M %z"))?,
            "10:20 +0000"
        );
        assert_eq!(
            run(Value::from(0), Some("%Y-%m-%d %H:%M"))?,
            "1970-01-01 00:00"
        );
        Ok(())
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(run(Value::from("7 March"), None).is_err());
        assert!(run(Value::from("2026-03-07"), Some("%Q")).is_err());
        assert!(run(Value::from(1.5), None).is_err());
        assert!(run(Value::from(i64::MAX), None).is_err());
        assert!(run(Value::Null, None).is_err());
        let mut args = HashMap::new();
        args.insert("timezone".to_string(), Value::from("Asia/Baku"));
        assert!(date(&Value::from("2026-03-07"), &args).is_err());
    }
}
