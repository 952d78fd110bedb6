//! hCaptcha, when configured. The siteverify URL is a setting, so tests point it at a local
//! stand-in. The sitekey is sent with every verification (hCaptcha then refuses tokens
//! issued for another site) and the answer's hostname is compared with ours here, as
//! hCaptcha's documentation asks integrators to do. The visitor's address is never sent.

use secrecy::{ExposeSecret, SecretString};

use super::{Captcha, CaptchaError, CaptchaView};
use crate::domain::{PassedCheck, RawTipForm};

pub struct HCaptchaCheck {
    client: hcaptcha::Client,
    site_key: String,
    secret: SecretString,
    hostname: Option<String>,
}

impl std::fmt::Debug for HCaptchaCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HCaptchaCheck")
            .field("site_key", &self.site_key)
            .finish_non_exhaustive()
    }
}

impl HCaptchaCheck {
    pub fn new(
        verify_url: &str,
        site_key: String,
        secret: SecretString,
        hostname: Option<String>,
    ) -> Result<Self, String> {
        if verify_url.starts_with("https://") && !cfg!(feature = "hcaptcha-tls") {
            return Err(format!(
                "captcha.hcaptcha_verify_url `{verify_url}` needs HTTPS, and this build has no TLS for hCaptcha: build with `--features hcaptcha-tls`"
            ));
        }
        let client = hcaptcha::Client::new_with(verify_url)
            .map_err(|e| format!("captcha.hcaptcha_verify_url `{verify_url}`: {e}"))?;
        Ok(Self {
            client,
            site_key,
            secret,
            hostname,
        })
    }
}

#[async_trait::async_trait]
impl Captcha for HCaptchaCheck {
    fn view(&self) -> CaptchaView {
        CaptchaView {
            kind: "hcaptcha",
            site_key: Some(self.site_key.clone()),
        }
    }

    async fn verify(&self, form: &RawTipForm) -> Result<PassedCheck, CaptchaError> {
        let token = form.hcaptcha_response.trim();
        if token.is_empty() {
            return Err(CaptchaError::Missing);
        }
        let request = hcaptcha::Request::new_from_response(self.secret.expose_secret(), token)
            .and_then(|r| r.set_sitekey(&self.site_key))
            .map_err(|_| CaptchaError::Invalid)?;
        let response = match self.client.verify_request(request).await {
            Ok(r) => r,
            // The crate reports hCaptcha's "failure" answers as errors carrying codes;
            // only a transport problem means the service is unavailable.
            Err(hcaptcha::Error::Codes(_)) => return Err(CaptchaError::Invalid),
            Err(e) => return Err(CaptchaError::Unavailable(e.to_string())),
        };
        if !response.success() {
            return Err(CaptchaError::Invalid);
        }
        if let Some(expected) = &self.hostname {
            if response.hostname().as_deref() != Some(expected.as_str()) {
                return Err(CaptchaError::Invalid);
            }
        }
        Ok(PassedCheck::HCaptcha)
    }
}
