use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretSlice};
use sha2::Sha256;

use super::FollowUpCode;
use crate::domain::ReferenceCode;
use crate::outbox::LookupKey;

type HmacSha256 = Hmac<Sha256>;

/// The DEMO secret that `dev` and `bench` runs (and so `xeberdar serve`) use when none is
/// configured. It is public, in this source file: anyone can compute the lookup key and
/// the reference code of a code from it, so production never uses it.
pub const DEMO_SECRET: &[u8] =
    b"DEMO follow-up secret of xeberdar-report: public, never for production";

/// What the two uses of the secret are told apart by, so neither output says anything
/// about the other.
const LOOKUP_LABEL: &[u8] = b"xeberdar follow-up lookup key v1\0";
const REFERENCE_LABEL: &[u8] = b"xeberdar follow-up reference code v1\0";

/// The server's follow-up secret: the HMAC-SHA-256 key from which a follow-up code's
/// lookup key (the only thing stored) and its report's reference code are computed.
/// Every replica needs the same one; changing it makes every code issued before unknown.
pub struct FollowUpSecret(SecretSlice<u8>);

impl std::fmt::Debug for FollowUpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FollowUpSecret(..)")
    }
}

impl FollowUpSecret {
    pub fn new(secret: &[u8]) -> Self {
        Self(SecretSlice::from(secret.to_vec()))
    }

    pub fn demo() -> Self {
        Self::new(DEMO_SECRET)
    }

    fn mac(&self, label: &[u8], code: &FollowUpCode) -> [u8; 32] {
        // HMAC takes keys of any length: this cannot fail.
        let Ok(mut mac) = HmacSha256::new_from_slice(self.0.expose_secret()) else {
            return [0; 32];
        };
        mac.update(label);
        mac.update(code.canonical().as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// What the store keeps for `code`. Without the secret it cannot be matched to a code
    /// (nor to a report); with it, only by someone who already holds the code.
    pub fn lookup_key(&self, code: &FollowUpCode) -> LookupKey {
        LookupKey(self.mac(LOOKUP_LABEL, code))
    }

    /// The reference code of the report `code` belongs to. It is computed, not stored, so
    /// no table on the server pairs a reference code with anything.
    pub fn reference(&self, code: &FollowUpCode) -> ReferenceCode {
        let mac = self.mac(REFERENCE_LABEL, code);
        let mut seed = [0u8; 16];
        seed.copy_from_slice(&mac[..16]);
        ReferenceCode::from_seed(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_code_one_key_and_one_reference_under_one_secret_only() {
        let code = FollowUpCode::generate();
        let secret = FollowUpSecret::new(b"0123456789abcdef0123456789abcdef");
        let other = FollowUpSecret::new(b"another secret of the right length...");
        assert_eq!(secret.lookup_key(&code), secret.lookup_key(&code));
        assert_eq!(secret.reference(&code), secret.reference(&code));
        assert_ne!(secret.lookup_key(&code), other.lookup_key(&code));
        assert_ne!(secret.reference(&code), other.reference(&code));
        let next = FollowUpCode::generate();
        assert_ne!(secret.lookup_key(&code), secret.lookup_key(&next));
        assert_ne!(secret.reference(&code), secret.reference(&next));
        // The stored key is not the reference's seed: the two uses are separated.
        let key = secret.lookup_key(&code).0;
        let mut seed = [0u8; 16];
        seed.copy_from_slice(&key[..16]);
        assert_ne!(ReferenceCode::from_seed(seed), secret.reference(&code));
        assert_eq!(format!("{secret:?}"), "FollowUpSecret(..)");
    }
}
