//! The Xəbərdar anonymous report endpoint.

// Mail side (owned by endpoint-mail).
pub mod delivery;
pub mod email_client;
pub mod outbox;
pub mod seal;
