//! Headers on every response: a Content-Security-Policy without `unsafe-inline` (inline
//! blocks of a page are allowed by hash, see [`crate::pages::Page`]), no referrer, no
//! sniffing, no framing, `Cache-Control: no-store` (nothing about a report stays in the
//! browser's cache), and never a cookie, whatever a handler or a layer tried to set.

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Inline-block hashes a page handler attaches to its response for the CSP.
#[derive(Debug, Clone, Default)]
pub struct InlineHashes {
    pub scripts: Vec<String>,
    pub styles: Vec<String>,
}

/// Extra CSP sources, for hCaptcha when it is configured.
#[derive(Debug, Clone, Default)]
pub struct CspExtras {
    pub third_party_captcha: bool,
}

pub fn content_security_policy(extras: &CspExtras, hashes: &InlineHashes) -> String {
    let hc = if extras.third_party_captcha {
        " https://hcaptcha.com https://*.hcaptcha.com"
    } else {
        ""
    };
    let scripts = hashes.scripts.join(" ");
    let styles = hashes.styles.join(" ");
    let frame = if extras.third_party_captcha {
        format!("frame-src{hc}; ")
    } else {
        String::new()
    };
    format!(
        "default-src 'none'; script-src 'self'{hc} {scripts}; style-src 'self'{hc} {styles}; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'{hc}; {frame}\
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    .replace("  ", " ")
    .replace(" ;", ";")
}

pub async fn add_security_headers(
    State(extras): State<CspExtras>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let hashes = response
        .extensions_mut()
        .remove::<InlineHashes>()
        .unwrap_or_default();
    let csp = content_security_policy(&extras, &hashes);
    let headers = response.headers_mut();
    headers.remove(header::SET_COOKIE);
    // Idempotent: an outer copy of this layer (around the standalone server's fallback)
    // keeps the policy an inner copy computed with the page's hashes.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(v) = HeaderValue::from_str(&csp) {
            headers.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    let fixed = [
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    response
}
