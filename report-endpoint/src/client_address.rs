//! The client address the rate limits count against, resolved once per request by
//! `axum-client-ip` from the configured [`ClientAddressSource`]: the socket peer, or a value
//! the trusted proxy wrote. Never a value the client chose, since a client that can name
//! its own address gets a fresh rate-limit bucket with every request.
//!
//! The address lives only in the request's extensions; it is hashed by the rate limits and
//! never stored or logged.

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum_client_ip::{ClientIp, ClientIpSource};

use crate::configuration::ClientAddressSource;

/// The resolved address, or `None` when the source gave none (no proxy header, or no
/// socket address as under `xeberdar serve`): such requests share one bucket.
#[derive(Debug, Clone, Copy)]
struct ClientAddress(Option<IpAddr>);

/// What the middleware needs: the source and whether a missing value was reported yet.
#[derive(Debug, Clone)]
pub struct ClientAddressResolver(Arc<ResolverInner>);

#[derive(Debug)]
struct ResolverInner {
    source: ClientAddressSource,
    warned: AtomicBool,
}

impl ClientAddressResolver {
    pub fn new(source: ClientAddressSource) -> Self {
        Self(Arc::new(ResolverInner {
            source,
            warned: AtomicBool::new(false),
        }))
    }
}

/// Middleware: stores the client address in the request's extensions for
/// [`client_address`].
pub async fn resolve_client_address(
    State(resolver): State<ClientAddressResolver>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    parts.extensions.insert(axum_source(resolver.0.source));
    let address = ClientIp::from_request_parts(&mut parts, &())
        .await
        .ok()
        .map(|ClientIp(ip)| ip);
    parts.extensions.remove::<ClientIpSource>();
    if address.is_none()
        && resolver.0.source != ClientAddressSource::Peer
        && !resolver.0.warned.swap(true, Ordering::Relaxed)
    {
        // Without the proxy's value every visitor shares one rate-limit bucket: a proxy
        // setting is missing. Said once; the request itself is never described.
        tracing::warn!(
            source = ?resolver.0.source,
            "a request came without the client address the proxy should write (see application.client_address); such requests share one rate limit"
        );
    }
    parts.extensions.insert(ClientAddress(address));
    next.run(Request::from_parts(parts, body)).await
}

/// The matching source of `axum-client-ip`, which does the header parsing.
fn axum_source(source: ClientAddressSource) -> ClientIpSource {
    match source {
        ClientAddressSource::Peer => ClientIpSource::ConnectInfo,
        ClientAddressSource::XRealIp => ClientIpSource::XRealIp,
        ClientAddressSource::RightmostXForwardedFor => ClientIpSource::RightmostXForwardedFor,
    }
}

/// The client address of a request that went through [`resolve_client_address`].
pub fn client_address(request: &Request) -> Option<IpAddr> {
    request
        .extensions()
        .get::<ClientAddress>()
        .and_then(|a| a.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::routing::get;
    use axum::Router;
    use std::net::SocketAddr;
    use tower::ServiceExt;

    async fn resolved(source: ClientAddressSource, headers: &[(&str, &str)]) -> String {
        let app = Router::new()
            .route(
                "/",
                get(|request: Request| async move {
                    client_address(&request).map_or("none".to_string(), |a| a.to_string())
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                ClientAddressResolver::new(source),
                resolve_client_address,
            ));
        let mut request = Request::builder().uri("/");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut request = request.body(Body::empty()).expect("a request");
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        let response = app.oneshot(request).await.expect("an answer");
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .expect("a body")
            .to_bytes();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[tokio::test]
    async fn only_values_the_proxy_wrote_count() {
        let forged = [
            ("x-forwarded-for", "203.0.113.9, 198.51.100.20"),
            ("x-real-ip", "198.51.100.30"),
        ];
        // The client wrote 203.0.113.9; the proxy appended 198.51.100.20.
        assert_eq!(
            resolved(ClientAddressSource::RightmostXForwardedFor, &forged).await,
            "198.51.100.20"
        );
        assert_eq!(
            resolved(ClientAddressSource::XRealIp, &forged).await,
            "198.51.100.30"
        );
        assert_eq!(
            resolved(ClientAddressSource::Peer, &forged).await,
            "127.0.0.1"
        );
        assert_eq!(
            resolved(ClientAddressSource::XRealIp, &[]).await,
            "none",
            "a missing proxy header is no address, not the socket's"
        );
    }
}
