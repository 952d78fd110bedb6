//! Sealing: turning a tip's plaintext into one encrypted PGP/MIME email per recipient.
//!
//! This is the only place in the endpoint where the plaintext of a tip meets the mail path.
//! [`Sealer::seal`] takes a [`Plaintext`] (filled by the web layer from a validated `Tip`) and
//! returns one [`SealedTip`] per configured recipient. A `SealedTip` can only be made here
//! (its constructor is private to this module), and the outbox and the email client accept
//! nothing else, so the code path that emails *cannot* be handed plaintext by mistake — a body
//! that merely looks like PGP is never trusted as ciphertext (the Hush Line lesson, PR #1573).
//!
//! # What a sealed email looks like
//!
//! ```text
//! Message-ID: <random hex@sender-domain>   stored with the email: retries repeat it
//! Date / From / To
//! Subject: New anonymous report            the same for every tip: no reference code, no content
//! Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"   (RFC 3156)
//!   ├─ application/pgp-encrypted   "Version: 1"
//!   └─ application/octet-stream    ASCII-armoured OpenPGP message, encrypted ONLY to this recipient
//!        └─ multipart/mixed; hp="cipher"   (RFC 9788: the real Subject with the reference
//!             │                              code, From, To, Date, and HP-Outer records)
//!             ├─ text/plain; charset=utf-8       readable report
//!             ├─ application/json                machine-readable report
//!             ├─ image/jpeg, application/pdf, …  the tipster's files, metadata removed
//!             │                                  (`attachment`; sanitized names, RFC 2231)
//!             └─ epilogue of spaces              padding up to the size's bucket
//! ```
//!
//! * **One email per recipient**, each encrypted to that recipient alone: several recipients in
//!   one message broke decryption in some clients (Hush Line #1889/#1955), and one officer's
//!   key must not be able to read another officer's copy's routing data.
//! * **Padding**: the MIME entity is padded (with a MIME epilogue of blank lines, which every
//!   parser ignores) before encryption, and no compression is applied, so the ciphertext size
//!   reveals only a coarse bucket of the tip's and its files' length: a multiple of
//!   [`PAD_BLOCK`] bytes, and above that the Padmé bucket of the length (sizes whose
//!   binary form is cut to about its top `log2(log2(length))` bits), which costs at most
//!   about 12 % more bytes and hides where in its bucket a file's size lies.
//! * **Interoperability**: v4 keys only, PKESK v3 + SEIPD v1 (with MDC), AES-256. RFC 9580
//!   v6 keys and SEIPD v2 (AEAD) messages are unreadable in GnuPG 2.2 and Thunderbird today.
//!
//! # Why rPGP (`pgp` 0.21, pinned exactly) and not sequoia-openpgp
//!
//! * rPGP is pure Rust with its own constant-time-minded RustCrypto backends (MIT/Apache) and
//!   builds in well under a minute on CI's two cores; sequoia's only pure-Rust crypto backend
//!   (`crypto-rust`) is marked experimental and not constant-time, and its default backend
//!   (Nettle) needs a C toolchain and system libraries.
//! * rPGP's message builder writes exactly what GnuPG 2.2 reads (SEIPD v1 via
//!   `MessageBuilder::seipd_v1`, v3 PKESK), and exposes signatures, key flags and binding
//!   verification, which is what certificate validation below needs.
//! * It is pinned with `=0.21.0` because an OpenPGP implementation is security-critical: an
//!   upgrade (e.g. for advisories like CVE-2024-53856/53857) must be a deliberate, reviewed
//!   change that re-runs the GnuPG interoperability tests, never a silent `cargo update`.
//!
//! # Certificates
//!
//! [`Sealer::load`] reads every recipient certificate at startup and refuses to start (with an
//! error naming the file and the reason) if one is expired, revoked, not v4, or has no valid
//! encryption-capable key — chosen by key flags from a binding signature that verifies. See
//! [`certificate`].

pub mod certificate;
pub mod demo_key;
mod mime;

use std::fmt;

use zeroize::Zeroize;

use crate::configuration::SealSettings;
use crate::domain::Lang;

pub use certificate::{CertError, CertProblem, RecipientCert};
pub use demo_key::{generate_demo_key_pair, DemoKeyPair};

/// The plaintext block size the encrypted MIME entity is padded to.
pub const PAD_BLOCK: usize = 512;

/// The plaintext of one tip, as the web layer hands it over for sealing.
///
/// It lives only in memory, for one request: it is never logged (its `Debug` shows only the
/// reference), and its buffers are zeroized on drop.
pub struct Plaintext {
    /// The reference code shown to the tipster (e.g. `ABCD-EFGH-JKMN`). It appears only inside
    /// the ciphertext (protected Subject, text and JSON parts, the JSON part's file name),
    /// never in an outer header; it must be only ASCII letters, digits and `-` (at most 64).
    pub reference: String,
    /// The form's language (`az`, `ru`, `en`, ...), so only ASCII letters, digits and `-`;
    /// at most 16 characters reach the header.
    pub lang: Lang,
    /// The readable report for the officer (UTF-8 text; line endings are normalised to CRLF).
    pub text_body: String,
    /// The machine-readable report (a JSON document).
    pub json_body: String,
    /// The tipster's files, their metadata already removed; each becomes one MIME part.
    pub files: Vec<PlainFile>,
}

/// One file to travel inside the encrypted payload.
pub struct PlainFile {
    /// Already sanitized (letters, digits, ` -_.()` only; see `attachments`); written as an
    /// RFC 2231 parameter when it is not ASCII.
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl fmt::Debug for PlainFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlainFile")
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

impl Drop for PlainFile {
    fn drop(&mut self) {
        self.file_name.zeroize();
        self.bytes.zeroize();
    }
}

impl fmt::Debug for Plaintext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plaintext")
            .field("reference", &self.reference)
            .field("lang", &self.lang)
            .field("text_body", &"<redacted>")
            .field("json_body", &"<redacted>")
            .field("files", &self.files.len())
            .finish()
    }
}

impl Drop for Plaintext {
    fn drop(&mut self) {
        self.text_body.zeroize();
        self.json_body.zeroize();
    }
}

/// One complete, encrypted email for one recipient: the only thing the outbox stores and the
/// only thing an [`EmailClient`](crate::email_client::EmailClient) sends.
///
/// There is no public constructor: a `SealedTip` comes from [`Sealer::seal`], or is read back
/// from the outbox, which only ever stored `SealedTip`s.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedTip {
    sender: String,
    recipient: String,
    message_id: String,
    email: Vec<u8>,
}

impl SealedTip {
    /// The envelope and header sender address (`From`).
    pub fn sender(&self) -> &str {
        &self.sender
    }

    /// The one recipient address this email is encrypted to and addressed to.
    pub fn recipient(&self) -> &str {
        &self.recipient
    }

    /// The `Message-ID` header value including angle brackets, stable per tip and recipient.
    pub fn message_id(&self) -> &str {
        &self.message_id
    }

    /// The whole RFC 5322 message (CRLF line endings), ready for SMTP `DATA`.
    pub fn email(&self) -> &[u8] {
        &self.email
    }

    /// Rebuilds a sealed tip from what an outbox stored. Only outbox implementations may call
    /// this, and only with bytes that were a `SealedTip` when they were enqueued.
    pub(crate) fn restore_from_outbox(
        sender: String,
        recipient: String,
        message_id: String,
        email: Vec<u8>,
    ) -> Self {
        Self {
            sender,
            recipient,
            message_id,
            email,
        }
    }
}

impl fmt::Debug for SealedTip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealedTip")
            .field("recipient", &self.recipient)
            .field("message_id", &self.message_id)
            .field("bytes", &self.email.len())
            .finish()
    }
}

/// Why a tip could not be sealed. None of these carries tip content.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the reference code may only hold ASCII letters, digits and '-' (1 to 64 characters)")]
    InvalidReference,
    #[error("the language code may only hold ASCII letters, digits and '-' (1 to 16 characters)")]
    InvalidLang,
    #[error("OpenPGP encryption to {recipient} failed: {reason}")]
    Encrypt { recipient: String, reason: String },
}

/// Encrypts tips to the configured recipients. Cheap to share (`Arc<Sealer>`); `seal` is CPU
/// work of about a millisecond per recipient, fine to call from a request handler.
pub struct Sealer {
    from: String,
    message_id_domain: String,
    recipients: Vec<RecipientCert>,
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealer")
            .field("from", &self.from)
            .field("recipients", &self.recipients)
            .finish()
    }
}

impl Sealer {
    /// Loads and validates every recipient certificate. Call this at startup and stop when it
    /// fails: the error names the certificate file and the reason in plain words.
    pub fn load(settings: &SealSettings) -> Result<Self, CertError> {
        let mut recipients = Vec::with_capacity(settings.recipients.len());
        for r in &settings.recipients {
            recipients.push(RecipientCert::load(&r.email, &r.cert_path)?);
        }
        Self::new(&settings.from, recipients)
    }

    /// Builds a sealer from certificates already loaded (and validated) with
    /// [`RecipientCert::load`] or [`RecipientCert::from_bytes`].
    pub fn new(from: &str, recipients: Vec<RecipientCert>) -> Result<Self, CertError> {
        if recipients.is_empty() {
            return Err(CertError::NoRecipients);
        }
        let from_addr: lettre::Address = from.parse().map_err(|_| CertError::BadAddress {
            address: from.to_owned(),
        })?;
        Ok(Self {
            from: from_addr.to_string(),
            message_id_domain: from_addr.domain().to_owned(),
            recipients,
        })
    }

    /// The recipients' addresses and key fingerprints, for a startup log line.
    pub fn recipients(&self) -> impl Iterator<Item = &RecipientCert> {
        self.recipients.iter()
    }

    /// Seals one tip: one complete PGP/MIME email per recipient, each encrypted only to that
    /// recipient's encryption key.
    pub fn seal(&self, plain: &Plaintext) -> Result<Vec<SealedTip>, SealError> {
        check_token(&plain.reference, 64).ok_or(SealError::InvalidReference)?;
        check_token(&plain.lang, 16).ok_or(SealError::InvalidLang)?;
        let date = chrono::Utc::now().to_rfc2822();
        let mut out = Vec::with_capacity(self.recipients.len());
        for r in &self.recipients {
            let message_id = mime::message_id(&self.message_id_domain);
            let headers = mime::Headers {
                message_id: &message_id,
                date: &date,
                from: &self.from,
                to: r.email(),
                reference: &plain.reference,
                lang: &plain.lang,
            };
            let mut inner =
                mime::inner_entity(&headers, &plain.text_body, &plain.json_body, &plain.files);
            let target = mime::bucket(inner.len(), PAD_BLOCK);
            mime::pad(&mut inner, target);
            let armored = r.encrypt(&inner).map_err(|reason| SealError::Encrypt {
                recipient: r.email().to_owned(),
                reason,
            });
            inner.zeroize();
            let email = mime::outer_email(&headers, &armored?);
            out.push(SealedTip {
                sender: self.from.clone(),
                recipient: r.email().to_owned(),
                message_id,
                email,
            });
        }
        Ok(out)
    }
}

/// A short header-safe token: ASCII alphanumerics and '-'.
fn check_token(s: &str, max: usize) -> Option<()> {
    (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .then_some(())
}
