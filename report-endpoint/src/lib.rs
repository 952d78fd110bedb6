//! The Xəbərdar anonymous report endpoint: receives tips from the site's form, checks a
//! captcha, seals each tip with OpenPGP to the special police unit's certificates, stores
//! only ciphertext in a durable outbox, and delivers it by email.
//!
//! Layout (Zero to Production): [`configuration`], [`startup`] (router, server), [`state`],
//! [`routes`], [`client_address`], [`domain`] (types that only hold valid values), [`captcha`], [`pages`]
//! (HTML answers in the site's theme and languages), [`telemetry`], [`rate_limit`],
//! [`security_headers`], [`attachments`] (files and the metadata removed from them); the mail side: [`seal`], [`outbox`], [`delivery`],
//! [`email_client`].

pub mod attachments;
pub mod captcha;
pub mod client_address;
pub mod configuration;
pub mod domain;
pub mod file_limit;
pub mod follow_up;
pub mod metrics;
pub mod metrics_listener;
pub mod pages;
pub mod rate_limit;
pub mod receipts;
pub mod refusal_pages;
pub mod routes;
pub mod security_headers;
pub mod site;
pub mod source_pacing;
pub mod startup;
pub mod state;
pub mod telemetry;

// Mail side: sealing, the outbox, the SMTP client and delivery.
pub mod delivery;
pub mod email_client;
pub mod outbox;
pub mod seal;
