use std::collections::BTreeMap;

use serde::Serialize;

use super::text::{BoundedText, TextError};
use super::{FormFields, Lang, Languages, ReferenceCode};

/// The form's field names, as the site's form and the endpoint's form page use them.
pub const FIELD_NAMES: [&str; 9] = [
    "lang",
    "kind",
    "country",
    "city",
    "place",
    "when",
    "description",
    "involved",
    "contact",
];

/// What happened, in the categories the unit sorts tips by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TipKind {
    ForcedLabour,
    SexualExploitation,
    ForcedBeggingOrCrime,
    ChildTrafficking,
    OrganRemoval,
    SuspiciousOffer,
    Other,
}

impl TipKind {
    pub const ALL: [TipKind; 7] = [
        TipKind::ForcedLabour,
        TipKind::SexualExploitation,
        TipKind::ForcedBeggingOrCrime,
        TipKind::ChildTrafficking,
        TipKind::OrganRemoval,
        TipKind::SuspiciousOffer,
        TipKind::Other,
    ];

    /// The form value, which is also the JSON value the unit's tools read.
    pub fn as_str(self) -> &'static str {
        match self {
            TipKind::ForcedLabour => "forced_labour",
            TipKind::SexualExploitation => "sexual_exploitation",
            TipKind::ForcedBeggingOrCrime => "forced_begging_or_crime",
            TipKind::ChildTrafficking => "child_trafficking",
            TipKind::OrganRemoval => "organ_removal",
            TipKind::SuspiciousOffer => "suspicious_offer",
            TipKind::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// Which anti-bot check a tip passed; sealed with the tip so the unit can weigh tips that
/// came through the weaker no-JavaScript path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PassedCheck {
    ProofOfWork,
    HCaptcha,
    NoJsQuestion,
    /// Only in bench/dev configurations, which refuse to start otherwise.
    Disabled,
}

impl PassedCheck {
    pub fn as_str(self) -> &'static str {
        match self {
            PassedCheck::ProofOfWork => "proof_of_work",
            PassedCheck::HCaptcha => "hcaptcha",
            PassedCheck::NoJsQuestion => "no_js_question",
            PassedCheck::Disabled => "disabled",
        }
    }
}

/// Exactly what the visitor typed (bounded only by the body-size limit), kept so that a
/// form with a mistake comes back with nothing lost. Never logged: `Debug` is redacted.
#[derive(Clone, Default, Serialize)]
pub struct RawTipForm {
    pub lang: String,
    pub kind: String,
    pub country: String,
    pub city: String,
    pub place: String,
    pub when: String,
    pub description: String,
    pub involved: String,
    pub contact: String,
    /// Proof-of-work solution (`pow`).
    #[serde(skip)]
    pub pow: String,
    /// The answer to the no-JavaScript question (`no_js_answer`).
    pub no_js_answer: String,
    /// `h-captcha-response`.
    #[serde(skip)]
    pub hcaptcha_response: String,
}

impl std::fmt::Debug for RawTipForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawTipForm(..)")
    }
}

impl RawTipForm {
    /// Sets a field by its form name; unknown names are ignored (a newer form may send
    /// more). A repeated name keeps the last value, as browsers send one of each.
    pub fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "lang" => &mut self.lang,
            "kind" => &mut self.kind,
            "country" => &mut self.country,
            "city" => &mut self.city,
            "place" => &mut self.place,
            "when" => &mut self.when,
            "description" => &mut self.description,
            "involved" => &mut self.involved,
            "contact" => &mut self.contact,
            "pow" => &mut self.pow,
            "no_js_answer" => &mut self.no_js_answer,
            "h-captcha-response" => &mut self.hcaptcha_response,
            _ => return,
        };
        *slot = value;
    }
}

impl FormFields for RawTipForm {
    fn set(&mut self, name: &str, value: String) {
        RawTipForm::set(self, name, value);
    }
}

/// Why a field was refused; the page shows each beside its field in the visitor's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    Required,
    TooLong {
        max: usize,
    },
    UnknownKind,
    /// The anti-bot check failed or was missing (shown beside the captcha).
    Captcha,
    /// The no-JavaScript answer was wrong.
    NoJsAnswer,
    /// The form carried a file where files are not taken (the follow-up form): the whole
    /// submission is refused (never sent without it), and the page keeps what was typed.
    FileNotAccepted,
    /// Neither a script-made answer nor the no-JavaScript answer was sent.
    NoJsAnswerMissing,
    /// What was typed as a follow-up code cannot be one (wrong length or characters).
    FollowUpCodeMalformed,
    /// A well-formed follow-up code that no report has (or no longer has).
    FollowUpCodeUnknown,
}

impl From<TextError> for FieldError {
    fn from(e: TextError) -> Self {
        match e {
            TextError::Required => FieldError::Required,
            TextError::TooLong { max } => FieldError::TooLong { max },
        }
    }
}

pub type ShortText = BoundedText<200, false>;
pub type When = BoundedText<200, false>;
pub type Description = BoundedText<10_000, true>;
pub type Involved = BoundedText<2_000, true>;
pub type Contact = BoundedText<500, false>;

/// A tip that passed every check of its fields. It exists only in memory for the length of
/// one request: it is sealed at once and then dropped. `Debug` never shows its text.
#[derive(Debug, Clone)]
pub struct Tip {
    pub lang: Lang,
    pub kind: Option<TipKind>,
    pub country: Option<ShortText>,
    pub city: Option<ShortText>,
    pub place: Option<ShortText>,
    pub when: Option<When>,
    pub description: Description,
    pub involved: Option<Involved>,
    pub contact: Option<Contact>,
}

/// The language of the form, also used when the rest of the form is invalid.
pub fn form_lang(raw: &RawTipForm, languages: &Languages) -> Lang {
    languages.parse_or_default(Some(raw.lang.as_str()))
}

impl Tip {
    /// Parses every field and collects every error, so the visitor sees all mistakes at once.
    pub fn parse(
        raw: &RawTipForm,
        languages: &Languages,
    ) -> Result<Tip, BTreeMap<&'static str, FieldError>> {
        let mut errors = BTreeMap::new();
        let lang = form_lang(raw, languages);
        let kind = match raw.kind.trim() {
            "" => None,
            k => match TipKind::parse(k) {
                Some(k) => Some(k),
                None => {
                    errors.insert("kind", FieldError::UnknownKind);
                    None
                }
            },
        };
        fn optional<const M: usize, const ML: bool>(
            name: &'static str,
            value: &str,
            errors: &mut BTreeMap<&'static str, FieldError>,
        ) -> Option<BoundedText<M, ML>> {
            BoundedText::parse_optional(value)
                .map_err(|e| errors.insert(name, e.into()))
                .ok()
                .flatten()
        }
        let country = optional("country", &raw.country, &mut errors);
        let city = optional("city", &raw.city, &mut errors);
        let place = optional("place", &raw.place, &mut errors);
        let when = optional("when", &raw.when, &mut errors);
        let involved = optional("involved", &raw.involved, &mut errors);
        let contact = optional("contact", &raw.contact, &mut errors);
        let description = match Description::parse_required(&raw.description) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.insert("description", e.into());
                None
            }
        };
        match description {
            Some(description) if errors.is_empty() => Ok(Tip {
                lang,
                kind,
                country,
                city,
                place,
                when,
                description,
                involved,
                contact,
            }),
            _ => Err(errors),
        }
    }

    /// The machine-readable part of the sealed tip.
    pub fn to_json(&self, reference: &ReferenceCode, check: PassedCheck) -> serde_json::Value {
        let s = |v: &Option<BoundedText<200, false>>| v.as_ref().map(|t| t.as_str().to_string());
        serde_json::json!({
            "version": 1,
            "reference": reference.as_str(),
            "lang": self.lang.as_str(),
            "kind": self.kind.map(TipKind::as_str),
            "country": s(&self.country),
            "city": s(&self.city),
            "place": s(&self.place),
            "when": self.when.as_ref().map(|t| t.as_str()),
            "description": self.description.as_str(),
            "involved": self.involved.as_ref().map(|t| t.as_str()),
            "contact": self.contact.as_ref().map(|t| t.as_str()),
            "captcha": check.as_str(),
        })
    }

    /// `(field name, value)` of every field that has a value, in form order, for the
    /// readable text part of the sealed tip.
    pub fn filled_fields(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(k) = self.kind {
            out.push(("kind", k.as_str().to_string()));
        }
        let mut push = |name: &'static str, v: Option<&str>| {
            if let Some(v) = v {
                out.push((name, v.to_string()));
            }
        };
        push("country", self.country.as_ref().map(|t| t.as_str()));
        push("city", self.city.as_ref().map(|t| t.as_str()));
        push("place", self.place.as_ref().map(|t| t.as_str()));
        push("when", self.when.as_ref().map(|t| t.as_str()));
        push("description", Some(self.description.as_str()));
        push("involved", self.involved.as_ref().map(|t| t.as_str()));
        push("contact", self.contact.as_ref().map(|t| t.as_str()));
        out
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
    fn collects_every_error() {
        let raw = RawTipForm {
            lang: "ru".into(),
            kind: "nonsense".into(),
            city: "x".repeat(201),
            ..Default::default()
        };
        let errors = Tip::parse(&raw, &langs()).unwrap_err();
        assert_eq!(errors.get("kind"), Some(&FieldError::UnknownKind));
        assert_eq!(errors.get("city"), Some(&FieldError::TooLong { max: 200 }));
        assert_eq!(errors.get("description"), Some(&FieldError::Required));
    }

    #[test]
    fn a_valid_tip_keeps_its_text_and_json_has_the_reference() {
        let raw = RawTipForm {
            lang: "en".into(),
            kind: "forced_labour".into(),
            description: "They took our passports.\r\nWe work 16 hours.".into(),
            ..Default::default()
        };
        let tip = Tip::parse(&raw, &langs()).unwrap();
        assert_eq!(tip.lang.as_str(), "en");
        assert_eq!(
            tip.description.as_str(),
            "They took our passports.\nWe work 16 hours."
        );
        let code = ReferenceCode::generate();
        let json = tip.to_json(&code, PassedCheck::NoJsQuestion);
        assert_eq!(json["reference"], code.as_str());
        assert_eq!(json["captcha"], "no_js_question");
        assert_eq!(json["kind"], "forced_labour");
        assert!(!format!("{tip:?}").contains("passports"));
    }

    #[test]
    fn ten_thousand_characters_is_the_limit() {
        let ok = RawTipForm {
            description: "ə".repeat(10_000),
            ..Default::default()
        };
        assert!(Tip::parse(&ok, &langs()).is_ok());
        let long = RawTipForm {
            description: "ə".repeat(10_001),
            ..Default::default()
        };
        assert!(Tip::parse(&long, &langs()).is_err());
    }
}
