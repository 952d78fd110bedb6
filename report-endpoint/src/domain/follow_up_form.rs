use std::collections::BTreeMap;

use serde::Serialize;

use super::tip::Description;
use super::{form_fields::FormFields, FieldError, Lang, Languages, RawTipForm};
use crate::follow_up::FollowUpCode;

/// Exactly what the follow-up form sent, kept so that a form with a mistake comes back
/// with nothing lost (the code included: the page is the tipster's own answer and is never
/// cached). Never logged: `Debug` is redacted.
#[derive(Clone, Default, Serialize)]
pub struct RawFollowUpForm {
    pub lang: String,
    pub code: String,
    pub description: String,
    #[serde(skip)]
    pub pow: String,
    pub no_js_answer: String,
    #[serde(skip)]
    pub hcaptcha_response: String,
}

impl std::fmt::Debug for RawFollowUpForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawFollowUpForm(..)")
    }
}

impl FormFields for RawFollowUpForm {
    fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "lang" => &mut self.lang,
            "code" => &mut self.code,
            "description" => &mut self.description,
            "pow" => &mut self.pow,
            "no_js_answer" => &mut self.no_js_answer,
            "h-captcha-response" => &mut self.hcaptcha_response,
            _ => return,
        };
        *slot = value;
    }
}

impl RawFollowUpForm {
    /// The anti-bot answers, as the checks read them from a tip form: the follow-up form
    /// passes the same checks.
    pub fn captcha_answers(&self) -> RawTipForm {
        RawTipForm {
            lang: self.lang.clone(),
            pow: self.pow.clone(),
            no_js_answer: self.no_js_answer.clone(),
            hcaptcha_response: self.hcaptcha_response.clone(),
            ..RawTipForm::default()
        }
    }

    pub fn lang(&self, languages: &Languages) -> Lang {
        languages.parse_or_default(Some(self.lang.as_str()))
    }
}

/// A follow-up whose fields passed their checks: a well-formed code (not yet known to
/// belong to a report) and the text to add. In memory for one request only.
#[derive(Debug)]
pub struct Addition {
    pub lang: Lang,
    pub code: FollowUpCode,
    pub text: Description,
}

impl Addition {
    /// Parses both fields and collects both errors, so the visitor sees every mistake.
    pub fn parse(
        raw: &RawFollowUpForm,
        languages: &Languages,
    ) -> Result<Addition, BTreeMap<&'static str, FieldError>> {
        let mut errors = BTreeMap::new();
        let code = if raw.code.trim().is_empty() {
            errors.insert("code", FieldError::Required);
            None
        } else {
            let code = FollowUpCode::parse(&raw.code);
            if code.is_none() {
                errors.insert("code", FieldError::FollowUpCodeMalformed);
            }
            code
        };
        let text = Description::parse_required(&raw.description)
            .map_err(|e| errors.insert("description", e.into()))
            .ok();
        match (code, text) {
            (Some(code), Some(text)) if errors.is_empty() => Ok(Addition {
                lang: raw.lang(languages),
                code,
                text,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Languages {
        let lang = |code| Lang::new(code).unwrap();
        Languages::new(lang("az"), ["az", "ru", "en"].map(lang))
    }

    #[test]
    fn both_fields_are_checked_at_once() {
        let errors = Addition::parse(&RawFollowUpForm::default(), &langs()).unwrap_err();
        assert_eq!(errors.get("code"), Some(&FieldError::Required));
        assert_eq!(errors.get("description"), Some(&FieldError::Required));
        let raw = RawFollowUpForm {
            code: "K7AC-3WXT-9HNF".into(),
            description: "x".repeat(10_001),
            ..Default::default()
        };
        let errors = Addition::parse(&raw, &langs()).unwrap_err();
        assert_eq!(errors.get("code"), Some(&FieldError::FollowUpCodeMalformed));
        assert_eq!(
            errors.get("description"),
            Some(&FieldError::TooLong { max: 10_000 })
        );
    }

    #[test]
    fn a_good_form_keeps_its_text_and_language() {
        let code = FollowUpCode::generate();
        let raw = RawFollowUpForm {
            lang: "ru".into(),
            code: code.groups().join("-").to_lowercase(),
            description: "Ещё одна деталь".into(),
            ..Default::default()
        };
        let addition = Addition::parse(&raw, &langs()).unwrap();
        assert_eq!(addition.code, code);
        assert_eq!(addition.lang.as_str(), "ru");
        assert_eq!(addition.text.as_str(), "Ещё одна деталь");
        assert!(!format!("{raw:?}{addition:?}").contains("деталь"));
    }
}
