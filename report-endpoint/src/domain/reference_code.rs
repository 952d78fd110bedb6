use std::fmt;

use rand::Rng;

/// Characters that cannot be mistaken for one another when read aloud or copied by hand
/// (no 0/O/Q/D, 1/I/L, 2/Z, 5/S, 6/G/b, 8/B, U/V): a tipster reads the code to the hotline
/// operator over a bad line.
pub const ALPHABET: &[u8] = b"3479ACEFHJKMNPRTWXY";

/// A reference the tipster can quote when calling the hotline: three groups of four
/// characters (`K7AC-3WXT-9HNF`). It is generated at random, so it says nothing about the
/// tipster, and it is sealed inside the tip so only the unit can match a call to a tip.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ReferenceCode(String);

impl ReferenceCode {
    /// 12 characters from a 19-letter alphabet: about 51 bits, so codes do not collide.
    pub fn generate() -> Self {
        let mut rng = rand::thread_rng();
        let mut code = String::with_capacity(14);
        for i in 0..12 {
            if i > 0 && i % 4 == 0 {
                code.push('-');
            }
            let idx = rng.gen_range(0..ALPHABET.len());
            code.push(char::from(ALPHABET[idx]));
        }
        Self(code)
    }

    /// The code that `seed` (16 uniformly random bytes, or the output of a keyed hash)
    /// stands for: the same seed always gives the same code. The 128 bits are read as base
    /// 19 digits; 19^12 is far below 2^128, so every code is equally likely to within
    /// 2^-75.
    pub fn from_seed(seed: [u8; 16]) -> Self {
        let mut n = u128::from_be_bytes(seed);
        let base = ALPHABET.len() as u128;
        let mut code = String::with_capacity(14);
        for i in 0..12 {
            if i > 0 && i % 4 == 0 {
                code.push('-');
            }
            code.push(char::from(ALPHABET[(n % base) as usize]));
            n /= base;
        }
        Self(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReferenceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Debug prints the code itself: it is not secret from the tipster, but it must not reach
/// logs, which never print tips or their codes.
impl fmt::Debug for ReferenceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReferenceCode(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_groups_of_four_from_the_alphabet() {
        for _ in 0..200 {
            let code = ReferenceCode::generate();
            let groups: Vec<&str> = code.as_str().split('-').collect();
            assert_eq!(groups.len(), 3);
            for g in groups {
                assert_eq!(g.len(), 4);
                assert!(g.bytes().all(|b| ALPHABET.contains(&b)), "{g}");
            }
        }
        assert_ne!(ReferenceCode::generate(), ReferenceCode::generate());
    }

    #[test]
    fn a_seed_always_gives_the_same_well_formed_code() {
        let a = ReferenceCode::from_seed([7; 16]);
        assert_eq!(a, ReferenceCode::from_seed([7; 16]));
        assert_ne!(a, ReferenceCode::from_seed([8; 16]));
        for seed in [[0u8; 16], [255; 16], [7; 16]] {
            let code = ReferenceCode::from_seed(seed);
            let groups: Vec<&str> = code.as_str().split('-').collect();
            assert_eq!(groups.len(), 3, "{code}");
            assert!(groups
                .iter()
                .all(|g| g.len() == 4 && g.bytes().all(|b| ALPHABET.contains(&b))));
        }
    }
}
