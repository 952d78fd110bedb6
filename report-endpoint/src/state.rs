//! What every handler reads, built once when the endpoint starts. Grouped by concern, so a
//! handler reaches for the part it uses and each part is built from its own settings.
//!
//! The router and the server ([`crate::startup`]) build a state and hand it to the
//! handlers ([`crate::routes`]); the handlers never reach back into startup.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use axum::http::HeaderValue;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

#[cfg(feature = "hcaptcha")]
use crate::captcha::HCaptchaCheck;
use crate::captcha::{Captcha, NoCaptcha, ProofOfWork};
use crate::client_address::ClientAddressResolver;
use crate::configuration::{
    AttachmentSettings, CaptchaKind, CaptchaSettings, ConfigError, Mode, Settings,
};
use crate::delivery::{DeliveryHandle, DeliveryMetrics};
use crate::follow_up::{FollowUpSecret, FollowUps};
use crate::metrics::WebMetrics;
use crate::outbox::Outbox;
use crate::pages::{PageError, Pages};
use crate::rate_limit::RateLimits;
use crate::receipts::Receipts;
use crate::refusal_pages::RefusalPages;
use crate::seal::Sealer;
use crate::security_headers::CspExtras;
use crate::site::{Site, SiteError};
use crate::source_pacing::SourcePacing;

/// Why the state could not be built from the settings.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("site: {0}")]
    Site(#[from] SiteError),
    #[error("templates: {0}")]
    Pages(#[from] PageError),
    #[error("captcha: {0}")]
    Captcha(String),
}

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl Deref for AppState {
    type Target = AppStateInner;
    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

pub struct AppStateInner {
    pub pages: PageState,
    pub http: HttpState,
    pub captcha: CaptchaState,
    pub limits: Limits,
    pub uploads: Uploads,
    pub outbox: OutboxState,
    /// The one-time "received" pages waiting to be shown.
    pub receipts: Receipts,
    /// Follow-up codes; `None` when they are off (no secret in production, or an outbox
    /// that keeps no codes).
    pub follow_ups: Option<FollowUps>,
    pub metrics: WebMetrics,
}

/// The site the pages speak for (languages, texts, hotline, configuration) and the
/// templates they are rendered with (the site's theme, else the embedded ones).
pub struct PageState {
    pub site: Arc<Site>,
    pub templates: Pages,
    /// The pages that refuse a submission, rendered once per shape.
    pub refusals: RefusalPages,
}

/// Where the routes answer and what every request is held to there.
pub struct HttpState {
    /// The path every route is under (`/report` unless configured).
    pub prefix: String,
    /// The largest body of a request without files.
    pub body_limit: usize,
    pub request_timeout: Duration,
    /// The one origin CORS lets read answers (the site's, unless configured).
    pub allowed_origin: Option<HeaderValue>,
    pub csp: CspExtras,
    /// Where the client address the rate limits count comes from.
    pub client_address: ClientAddressResolver,
}

/// The anti-bot check a tip must pass.
pub struct CaptchaState {
    pub check: Arc<dyn Captcha>,
    /// Set when the proof of work is the check (it also serves challenges).
    pub pow: Option<Arc<ProofOfWork>>,
    /// Whether visitors without JavaScript may answer a question instead.
    pub no_js_question: bool,
}

/// How often one source may ask, and how its tips are paced.
pub struct Limits {
    pub rates: RateLimits,
    /// Per-source pacing of tips under the recipients' hourly cap.
    pub pacing: SourcePacing,
}

/// Reports that carry files: their limits and the turns that bound the memory they hold.
pub struct Uploads {
    /// Files per report and their sizes.
    pub files: AttachmentSettings,
    /// The largest multipart body the report's POST reads ([`AttachmentSettings::body_limit`]).
    pub body_limit: usize,
    /// Turns for stripping and sealing reports with files (`attachments.max_concurrent`).
    sealing_turns: Arc<Semaphore>,
    /// Turns for reading bodies that may carry files (four per sealing turn).
    reading_turns: Arc<Semaphore>,
    /// Time allowed for a POST that may carry files, body included.
    pub timeout: Duration,
}

/// Where a tip goes once it passed: sealed, stored in the outbox, and the delivery worker
/// told about it.
pub struct OutboxState {
    pub sealer: Arc<Sealer>,
    pub store: Arc<dyn Outbox>,
    /// Wakes the delivery worker when a tip was stored; `None` without a worker.
    pub delivery_waker: Option<Arc<Notify>>,
    pub delivery_metrics: Option<Arc<DeliveryMetrics>>,
}

impl AppState {
    /// Builds the state around an already opened sealer and outbox (tests pass their own
    /// outbox, for example one whose disk is full).
    pub fn new(
        settings: &Settings,
        sealer: Arc<Sealer>,
        outbox: Arc<dyn Outbox>,
        delivery: Option<&DeliveryHandle>,
    ) -> Result<AppState, StateError> {
        let pages = PageState::load(settings)?;
        let captcha = CaptchaState::new(&settings.captcha, settings.application.mode)?;
        let http = HttpState::new(settings, &pages.site)?;
        let app = &settings.application;
        Ok(AppState(Arc::new(AppStateInner {
            follow_ups: follow_ups(settings, outbox.as_ref()),
            pages,
            http,
            captcha,
            limits: Limits {
                rates: RateLimits::new(settings.rate_limit.clone()),
                pacing: SourcePacing::new(settings.delivery.hourly_cap_per_recipient),
            },
            uploads: Uploads::new(&settings.attachments, app.body_limit_bytes),
            outbox: OutboxState {
                sealer,
                store: outbox,
                delivery_waker: delivery.map(DeliveryHandle::waker),
                delivery_metrics: delivery.map(DeliveryHandle::metrics),
            },
            receipts: Receipts::new(Duration::from_secs(app.receipt_ttl_secs)),
            metrics: WebMetrics::default(),
        })))
    }
}

impl PageState {
    fn load(settings: &Settings) -> Result<PageState, StateError> {
        let site = Arc::new(Site::load(&settings.application.site_dir)?);
        let templates = Pages::new(&site)?;
        if templates.uses_theme() {
            tracing::info!("pages use the site's theme");
        } else {
            tracing::info!(
                "pages use the endpoint's embedded templates (the theme has no report/form.html)"
            );
        }
        Ok(PageState {
            site,
            templates,
            refusals: RefusalPages::default(),
        })
    }
}

impl HttpState {
    fn new(settings: &Settings, site: &Site) -> Result<HttpState, StateError> {
        let app = &settings.application;
        let prefix = app.prefix.clone().unwrap_or_else(|| "/report".into());
        crate::configuration::check_prefix(&prefix)?;
        let allowed_origin = app
            .allowed_origin
            .clone()
            .or_else(|| xeberdar_site::urls::origin(&site.base_url))
            .and_then(|o| HeaderValue::from_str(&o).ok());
        Ok(HttpState {
            prefix,
            body_limit: app.body_limit_bytes,
            request_timeout: Duration::from_secs(app.request_timeout_secs),
            allowed_origin,
            csp: CspExtras {
                third_party_captcha: settings.captcha.kind == CaptchaKind::Hcaptcha,
            },
            client_address: ClientAddressResolver::new(app.client_address),
        })
    }
}

impl CaptchaState {
    fn new(c: &CaptchaSettings, mode: Mode) -> Result<CaptchaState, StateError> {
        let mut pow = None;
        let check: Arc<dyn Captcha> = match c.kind {
            CaptchaKind::Pow => {
                use secrecy::ExposeSecret;
                let key = c
                    .pow_hmac_key
                    .as_ref()
                    .map(|k| k.expose_secret().as_bytes().to_vec());
                let p = Arc::new(ProofOfWork::new(
                    key.as_deref(),
                    c.pow_difficulty,
                    c.pow_ttl_secs,
                ));
                pow = Some(p.clone());
                p
            }
            #[cfg(not(feature = "hcaptcha"))]
            CaptchaKind::Hcaptcha => {
                return Err(StateError::Captcha(
                    "captcha.kind = \"hcaptcha\", and this build has no hCaptcha: build xeberdar-report with its default features (or `--features hcaptcha`)".into(),
                ));
            }
            #[cfg(feature = "hcaptcha")]
            CaptchaKind::Hcaptcha => {
                let (Some(site_key), Some(secret)) = (&c.hcaptcha_site_key, &c.hcaptcha_secret)
                else {
                    return Err(StateError::Captcha(
                        "hCaptcha needs a site key and a secret".into(),
                    ));
                };
                Arc::new(
                    HCaptchaCheck::new(
                        &c.hcaptcha_verify_url,
                        site_key.clone(),
                        secret.clone(),
                        c.hcaptcha_hostname.clone(),
                    )
                    .map_err(StateError::Captcha)?,
                )
            }
            CaptchaKind::Off => {
                tracing::warn!("the anti-bot check is OFF ({mode:?} mode)");
                Arc::new(NoCaptcha)
            }
        };
        Ok(CaptchaState {
            check,
            pow,
            no_js_question: c.no_js_question,
        })
    }
}

impl Uploads {
    fn new(files: &AttachmentSettings, text_limit: usize) -> Uploads {
        Uploads {
            body_limit: files.body_limit(text_limit),
            sealing_turns: Arc::new(Semaphore::new(files.max_concurrent.max(1))),
            reading_turns: Arc::new(Semaphore::new(files.reading_turns())),
            timeout: Duration::from_secs(files.upload_timeout_secs.max(1)),
            files: files.clone(),
        }
    }

    /// A reading turn for a request that may carry files (four per sealing turn); `None`
    /// for small bodies (text only), which never wait. `Err` when no turn can be had.
    pub(crate) async fn reading_turn(
        &self,
        may_carry_files: bool,
    ) -> Result<Option<OwnedSemaphorePermit>, ()> {
        turn(&self.reading_turns, may_carry_files).await
    }

    /// A turn to strip and seal files (fewer at a time than reading: each holds its files
    /// several times over); `None` without files.
    pub(crate) async fn sealing_turn(
        &self,
        has_files: bool,
    ) -> Result<Option<OwnedSemaphorePermit>, ()> {
        turn(&self.sealing_turns, has_files).await
    }
}

async fn turn(turns: &Arc<Semaphore>, needed: bool) -> Result<Option<OwnedSemaphorePermit>, ()> {
    if !needed {
        return Ok(None);
    }
    turns
        .clone()
        .acquire_owned()
        .await
        .map(Some)
        .map_err(|_| ())
}

/// Follow-up codes as configured: the configured secret; else, outside production, the
/// public DEMO one; in production without a secret, none (tips get no follow-up code).
fn follow_ups(settings: &Settings, outbox: &dyn Outbox) -> Option<FollowUps> {
    let codes = outbox.follow_up_codes()?;
    let secret = match &settings.follow_up.secret {
        Some(secret) => {
            use secrecy::ExposeSecret;
            FollowUpSecret::new(secret.expose_secret().as_bytes())
        }
        None if settings.application.mode == Mode::Production => {
            tracing::warn!(
                "follow-up codes are OFF: set follow_up.secret_file (the same secret on every replica) to give tipsters a code to add to their report"
            );
            return None;
        }
        None => {
            tracing::warn!(
                "DEMO follow-up secret: follow-up codes use a public key; set follow_up.secret_file for real use"
            );
            FollowUpSecret::demo()
        }
    };
    Some(FollowUps::new(
        secret,
        codes,
        settings.follow_up.code_ttl_days,
    ))
}
