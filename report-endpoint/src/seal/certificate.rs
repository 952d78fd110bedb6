//! Recipient certificates: loading and the checks that stop startup.
//!
//! A tip encrypted to a key the unit can no longer use is a lost tip, so every certificate is
//! checked when the endpoint starts, and a bad one stops startup with a message that names the
//! file and the reason:
//!
//! * it must parse as one OpenPGP **public** certificate, version 4 (GnuPG 2.2 and Thunderbird
//!   cannot read messages to v6 keys);
//! * its primary key must not be **revoked** by a verified self-revocation;
//! * it must carry a verified self-signature, and must not be **expired** according to it;
//! * it must have an **encryption-capable key**: a subkey (or the primary key) whose newest
//!   *verified* binding signature has the "encrypt communications" or "encrypt storage" key
//!   flag, whose algorithm can encrypt, and which is neither revoked nor expired. The newest
//!   such key is used. Flags from an unverified signature are never trusted.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use pgp::composed::{
    ArmorOptions, Deserializable, MessageBuilder, SignedPublicKey, SignedPublicSubKey,
};
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::{Signature, SignatureType};
use pgp::types::{KeyDetails, KeyVersion, Tag};

/// A certificate that stopped startup, with the file it came from.
#[derive(Debug, thiserror::Error)]
pub enum CertError {
    #[error("recipient certificate {path}: {problem}")]
    Invalid { path: PathBuf, problem: CertProblem },
    #[error("no recipients are configured: add at least one [[seal.recipients]] with email and cert_path")]
    NoRecipients,
    #[error("\"{address}\" is not a valid email address")]
    BadAddress { address: String },
}

/// What is wrong with a certificate, in plain words.
#[derive(Debug, thiserror::Error)]
pub enum CertProblem {
    #[error("cannot read the file: {0}")]
    Unreadable(std::io::Error),
    #[error("not an OpenPGP public certificate ({0}); export it with `gpg --armor --export <fingerprint>`")]
    NotACertificate(String),
    #[error("it is a version {0} key; only version 4 keys are supported (GnuPG 2.2 cannot read messages to newer keys)")]
    NotV4(u8),
    #[error("it has no valid self-signature from its primary key")]
    NoSelfSignature,
    #[error("it was revoked{0}")]
    Revoked(String),
    #[error("it expired on {0}")]
    Expired(String),
    #[error("it has no valid encryption key ({0})")]
    NoEncryptionKey(String),
    #[error("the recipient address \"{0}\" is not a valid email address")]
    BadAddress(String),
}

/// The key that sealed emails are encrypted to.
#[derive(Clone)]
enum EncryptionTarget {
    Subkey(Box<SignedPublicSubKey>),
    Primary(Box<SignedPublicKey>),
}

/// One validated recipient: an address and the key their emails are encrypted to.
#[derive(Clone)]
pub struct RecipientCert {
    email: String,
    primary_fingerprint: String,
    encryption_fingerprint: String,
    target: EncryptionTarget,
}

impl fmt::Debug for RecipientCert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecipientCert")
            .field("email", &self.email)
            .field("fingerprint", &self.primary_fingerprint)
            .field("encryption_key", &self.encryption_fingerprint)
            .finish()
    }
}

impl RecipientCert {
    /// Reads and validates the certificate at `path` for the recipient `email`.
    pub fn load(email: &str, path: &Path) -> Result<Self, CertError> {
        let invalid = |problem| CertError::Invalid {
            path: path.to_owned(),
            problem,
        };
        let bytes = std::fs::read(path).map_err(|e| invalid(CertProblem::Unreadable(e)))?;
        Self::from_bytes(email, &bytes, SystemTime::now()).map_err(invalid)
    }

    /// Parses and validates a certificate (armoured or binary) as of the time `now`.
    pub fn from_bytes(email: &str, bytes: &[u8], now: SystemTime) -> Result<Self, CertProblem> {
        let address: lettre::Address = email
            .parse()
            .map_err(|_| CertProblem::BadAddress(email.to_owned()))?;
        let (cert, _) = SignedPublicKey::from_reader_single(bytes)
            .map_err(|e| CertProblem::NotACertificate(e.to_string()))?;
        let target = validate(&cert, now)?;
        let encryption_fingerprint = match &target {
            EncryptionTarget::Subkey(k) => k.fingerprint(),
            EncryptionTarget::Primary(k) => k.fingerprint(),
        };
        Ok(Self {
            email: address.to_string(),
            primary_fingerprint: cert.fingerprint().to_string().to_uppercase(),
            encryption_fingerprint: encryption_fingerprint.to_string().to_uppercase(),
            target,
        })
    }

    /// The recipient's email address.
    pub fn email(&self) -> &str {
        &self.email
    }

    /// The certificate's primary key fingerprint (hex, upper case).
    pub fn fingerprint(&self) -> &str {
        &self.primary_fingerprint
    }

    /// The fingerprint of the key messages are actually encrypted to.
    pub fn encryption_fingerprint(&self) -> &str {
        &self.encryption_fingerprint
    }

    /// Encrypts `data` to this recipient only (SEIPD v1, AES-256, no compression) and returns
    /// the ASCII-armoured OpenPGP message. The error is rPGP's message, without content.
    pub(crate) fn encrypt(&self, data: &[u8]) -> Result<String, String> {
        let mut rng = rand::thread_rng();
        let mut builder = MessageBuilder::from_bytes("", data.to_vec())
            .seipd_v1(&mut rng, SymmetricKeyAlgorithm::AES256);
        match &self.target {
            EncryptionTarget::Subkey(k) => builder.encrypt_to_key(&mut rng, k.as_ref()),
            EncryptionTarget::Primary(k) => builder.encrypt_to_key(&mut rng, k.as_ref()),
        }
        .map_err(|e| e.to_string())?;
        builder
            .to_armored_string(&mut rng, ArmorOptions::default())
            .map_err(|e| e.to_string())
    }
}

fn validate(cert: &SignedPublicKey, now: SystemTime) -> Result<EncryptionTarget, CertProblem> {
    let primary = &cert.primary_key;
    match primary.version() {
        KeyVersion::V4 => {}
        other => return Err(CertProblem::NotV4(u8::from(other))),
    }

    // Revoked: a key revocation signature that verifies against the primary key itself.
    for sig in &cert.details.revocation_signatures {
        if sig.typ() == Some(SignatureType::KeyRevocation) && sig.verify_key(primary).is_ok() {
            return Err(CertProblem::Revoked(revocation_detail(sig)));
        }
    }

    // The newest verified self-signature (direct key or user ID certification) governs the
    // primary key's expiry and flags.
    let mut self_sigs: Vec<&Signature> = cert
        .details
        .direct_signatures
        .iter()
        .filter(|s| s.typ() == Some(SignatureType::Key) && s.verify_key(primary).is_ok())
        .collect();
    for user in &cert.details.users {
        self_sigs.extend(user.signatures.iter().filter(|s| {
            s.is_certification()
                && s.verify_certification(primary, Tag::UserId, &user.id)
                    .is_ok()
        }));
    }
    let newest_self = newest(self_sigs.iter().copied()).ok_or(CertProblem::NoSelfSignature)?;
    let created = SystemTime::from(primary.created_at());
    if let Some(expiry) = expiry(created, newest_self) {
        if expiry <= now {
            return Err(CertProblem::Expired(format_time(expiry)));
        }
    }

    // Encryption-capable subkeys, newest first.
    let mut reasons = Vec::new();
    let mut best: Option<(SystemTime, &SignedPublicSubKey)> = None;
    for sub in &cert.public_subkeys {
        let fpr = sub.fingerprint().to_string().to_uppercase();
        let revoked = sub.signatures.iter().any(|s| {
            s.typ() == Some(SignatureType::SubkeyRevocation)
                && s.verify_subkey_binding(primary, &sub.key).is_ok()
        });
        if revoked {
            reasons.push(format!("subkey {fpr} is revoked"));
            continue;
        }
        let binding = newest(sub.signatures.iter().filter(|s| {
            s.typ() == Some(SignatureType::SubkeyBinding)
                && s.verify_subkey_binding(primary, &sub.key).is_ok()
        }));
        let Some(binding) = binding else {
            reasons.push(format!("subkey {fpr} has no valid binding signature"));
            continue;
        };
        let flags = binding.key_flags();
        if !(flags.encrypt_comms() || flags.encrypt_storage()) {
            reasons.push(format!("subkey {fpr} is not flagged for encryption"));
            continue;
        }
        if !sub.algorithm().can_encrypt() {
            reasons.push(format!(
                "subkey {fpr} uses an algorithm that cannot encrypt"
            ));
            continue;
        }
        let sub_created = SystemTime::from(sub.created_at());
        if let Some(expiry) = expiry(sub_created, binding) {
            if expiry <= now {
                reasons.push(format!("subkey {fpr} expired on {}", format_time(expiry)));
                continue;
            }
        }
        if best.is_none_or(|(t, _)| sub_created > t) {
            best = Some((sub_created, sub));
        }
    }
    if let Some((_, sub)) = best {
        return Ok(EncryptionTarget::Subkey(Box::new(sub.clone())));
    }
    let flags = newest_self.key_flags();
    if (flags.encrypt_comms() || flags.encrypt_storage()) && primary.algorithm().can_encrypt() {
        return Ok(EncryptionTarget::Primary(Box::new(cert.clone())));
    }
    if reasons.is_empty() {
        reasons.push("it has no subkeys and its primary key is not flagged for encryption".into());
    }
    Err(CertProblem::NoEncryptionKey(reasons.join("; ")))
}

fn newest<'a>(sigs: impl Iterator<Item = &'a Signature>) -> Option<&'a Signature> {
    sigs.max_by_key(|s| s.created().map(|t| t.as_secs()).unwrap_or(0))
}

/// When a key created at `created` expires according to `sig`, if ever.
fn expiry(created: SystemTime, sig: &Signature) -> Option<SystemTime> {
    let after = Duration::from(sig.key_expiration_time()?);
    (after > Duration::ZERO).then(|| created + after)
}

fn revocation_detail(sig: &Signature) -> String {
    let when = sig
        .created()
        .map(|t| format!(" on {}", format_time(SystemTime::from(t))))
        .unwrap_or_default();
    let why = sig
        .revocation_reason_code()
        .map(|c| format!(" (reason: {c:?})"))
        .unwrap_or_default();
    format!("{when}{why}")
}

fn format_time(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t)
        .format("%Y-%m-%d %H:%M UTC")
        .to_string()
}
