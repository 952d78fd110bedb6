//! Fresh DEMO key pairs for local runs, made with rPGP so no GnuPG is needed.
//!
//! A key pair made here is labelled "DEMO ONLY - never production" in its user ID, has no
//! passphrase, and is meant for a developer's machine: `xeberdar serve` and local
//! `xeberdar-report` runs seal to its public half, and the developer decrypts with the secret
//! half (`gpg --import`). Its shape is what the unit's real keys look like to the sealer: v4,
//! an ed25519 primary key that only certifies and a cv25519 encryption subkey, so local runs
//! exercise the same certificate checks and the same GnuPG-readable output.

use pgp::composed::{
    ArmorOptions, EncryptionCaps, KeyType, SecretKeyParamsBuilder, SignedPublicKey,
    SubkeyParamsBuilder,
};
use pgp::crypto::ecc_curve::ECCCurve;
use pgp::types::KeyDetails;

/// The user ID label every DEMO key carries.
pub const DEMO_LABEL: &str = "Xeberdar DEMO recipient (DEMO ONLY - never production)";

/// An armoured DEMO key pair.
pub struct DemoKeyPair {
    /// The certificate to configure as a recipient (`cert_path`).
    pub public_armored: String,
    /// The secret key to import into GnuPG or Thunderbird to read the DEMO tips.
    pub secret_armored: String,
    /// The primary key fingerprint (hex, upper case).
    pub fingerprint: String,
}

impl std::fmt::Debug for DemoKeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoKeyPair")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// Why a DEMO key could not be made.
#[derive(Debug, thiserror::Error)]
#[error("cannot generate the DEMO key pair: {0}")]
pub struct DemoKeyError(String);

/// Generates a DEMO key pair for `email` (e.g. `demo-recipient@example.invalid`).
pub fn generate_demo_key_pair(email: &str) -> Result<DemoKeyPair, DemoKeyError> {
    let err = |e: &dyn std::fmt::Display| DemoKeyError(e.to_string());
    let address: lettre::Address = email.parse().map_err(|e| err(&e))?;
    let mut encryption = SubkeyParamsBuilder::default();
    encryption
        .key_type(KeyType::ECDH(ECCCurve::Curve25519Legacy))
        .can_sign(false)
        .can_encrypt(EncryptionCaps::All)
        .can_authenticate(false);
    let mut params = SecretKeyParamsBuilder::default();
    params
        .key_type(KeyType::Ed25519Legacy)
        .can_certify(true)
        .can_sign(false)
        .can_encrypt(EncryptionCaps::None)
        .primary_user_id(format!("{DEMO_LABEL} <{address}>"))
        .subkeys(vec![encryption.build().map_err(|e| err(&e))?]);
    let secret = params
        .build()
        .map_err(|e| err(&e))?
        .generate(rand::thread_rng())
        .map_err(|e| err(&e))?;
    let public = SignedPublicKey::from(secret.clone());
    Ok(DemoKeyPair {
        public_armored: public
            .to_armored_string(ArmorOptions::default())
            .map_err(|e| err(&e))?,
        secret_armored: secret
            .to_armored_string(ArmorOptions::default())
            .map_err(|e| err(&e))?,
        fingerprint: public.fingerprint().to_string().to_uppercase(),
    })
}
