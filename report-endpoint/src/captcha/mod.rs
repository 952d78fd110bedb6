//! The anti-bot check, behind the [`Captcha`] trait so the default self-hosted proof of
//! work and hCaptcha (off by default: its script loads code from hCaptcha's servers) are
//! interchangeable. The no-JavaScript question is not a `Captcha`: it is accepted beside
//! any of them, under a stricter rate limit, because a visitor in Tor Browser "Safest"
//! runs no script at all.

#[cfg(feature = "hcaptcha")]
mod hcaptcha_check;
mod proof_of_work;

#[cfg(feature = "hcaptcha")]
pub use hcaptcha_check::HCaptchaCheck;
pub use proof_of_work::{Challenge, ProofOfWork};

use crate::domain::{PassedCheck, RawTipForm};

/// Why a submission failed the check. The visitor sees one message for all of them (a
/// bot learns nothing from it); tests and metrics see which.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptchaError {
    #[error("no captcha answer was sent")]
    Missing,
    #[error("the captcha answer is not valid")]
    Invalid,
    #[error("the challenge has expired")]
    Expired,
    #[error("the challenge was already used")]
    Replayed,
    #[error("the captcha service could not be reached: {0}")]
    Unavailable(String),
}

/// What the form page needs to show the check.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaptchaView {
    /// `pow`, `hcaptcha` or `off`.
    pub kind: &'static str,
    pub site_key: Option<String>,
}

/// A check the form's submission must pass.
#[async_trait::async_trait]
pub trait Captcha: Send + Sync {
    fn view(&self) -> CaptchaView;

    /// Checks the captcha fields of `form`. Called only once the tip itself is valid, so a
    /// visitor who fixes a typo does not burn a solved challenge.
    async fn verify(&self, form: &RawTipForm) -> Result<PassedCheck, CaptchaError>;
}

/// No check: only for bench and dev runs (settings refuse it in production).
#[derive(Debug, Default)]
pub struct NoCaptcha;

#[async_trait::async_trait]
impl Captcha for NoCaptcha {
    fn view(&self) -> CaptchaView {
        CaptchaView {
            kind: "off",
            site_key: None,
        }
    }

    async fn verify(&self, _form: &RawTipForm) -> Result<PassedCheck, CaptchaError> {
        Ok(PassedCheck::Disabled)
    }
}

/// The no-JavaScript question: "type the hotline number". It stops blind form-filling
/// bots, not a targeted attacker, hence its stricter rate limit.
pub fn check_no_js_answer(answer: &str, hotline: &str) -> bool {
    let digits: String = answer.chars().filter(char::is_ascii_digit).collect();
    let expected: String = hotline.chars().filter(char::is_ascii_digit).collect();
    !expected.is_empty() && digits == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_js_answer_ignores_spacing() {
        assert!(check_no_js_answer(" 152 ", "152"));
        assert!(check_no_js_answer("1 5 2", "152"));
        assert!(!check_no_js_answer("153", "152"));
        assert!(!check_no_js_answer("", "152"));
    }
}
