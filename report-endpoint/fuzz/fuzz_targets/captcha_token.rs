//! Fuzzes the proof-of-work token parser (`ProofOfWork::check`), the one piece of captcha
//! code that reads attacker-chosen text.
//!
//! Random strings almost never carry a valid HMAC, which would leave the code after the
//! signature check unexplored; so half the inputs are re-signed here with the harness's
//! own key (the same HMAC-SHA256 over `v1.<nonce>.<expires>.<difficulty>` the server uses),
//! letting the fuzzer reach the expiry, difficulty, work and replay checks with arbitrary
//! field text. Any panic is a crash; a solution accepted twice is a crash too.

#![no_main]

use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use sha2::Sha256;
use std::sync::OnceLock;
use xeberdar_report::captcha::{CaptchaError, ProofOfWork};

const KEY: &[u8] = b"fuzz-hmac-key";

fn pow() -> &'static ProofOfWork {
    static P: OnceLock<ProofOfWork> = OnceLock::new();
    // Difficulty 0: any counter does the work, so accepted solutions are reachable.
    P.get_or_init(|| ProofOfWork::new(Some(KEY), 0, 600))
}

fn sign(payload: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(KEY).expect("any key length");
    mac.update(payload.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        // The form decoder only ever hands over valid UTF-8; still, lossy text must not panic.
        let _ = pow().check(&String::from_utf8_lossy(rest));
        return;
    };
    let solution = if mode % 2 == 0 {
        text.to_string()
    } else {
        // `<nonce>|<expires>|<difficulty>|<counter>` chosen by the fuzzer, signed for real.
        let mut f = text.splitn(4, '|');
        let (nonce, expires, difficulty, counter) = (
            f.next().unwrap_or(""),
            f.next().unwrap_or(""),
            f.next().unwrap_or(""),
            f.next().unwrap_or(""),
        );
        let payload = format!("v1.{nonce}.{expires}.{difficulty}");
        format!("{payload}.{}:{counter}", sign(&payload))
    };
    let first = pow().check(&solution);
    if first.is_ok() {
        assert_eq!(
            pow().check(&solution),
            Err(CaptchaError::Replayed),
            "an accepted solution was accepted again"
        );
    }
});
