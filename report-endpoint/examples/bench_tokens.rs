//! Writes proof-of-work solutions for a load run of `scripts/bench-tips.sh`, one a line:
//! challenges issued and solved with the endpoint's own code under the run's HMAC key, as
//! the form's script would solve the ones `GET <prefix>/challenge` hands out. Each solution
//! is accepted once, so a run needs one per tip; solving them ahead keeps the load client's
//! CPU for sending.
//!
//! `--invalid` writes solutions of challenges signed with another key: well formed, solved,
//! refused at the signature, as a flood's would be.
//!
//! Usage: `bench_tokens --key KEY --difficulty BITS --ttl SECS --count N [--invalid]`

use std::io::Write;

use xeberdar_report::captcha::ProofOfWork;

fn main() -> anyhow::Result<()> {
    let mut key = None;
    let mut difficulty = 4u8;
    let mut ttl = 3600u64;
    let mut count = 1000usize;
    let mut invalid = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| anyhow::anyhow!("{arg} needs a value"))
        };
        match arg.as_str() {
            "--key" => key = Some(value()?),
            "--difficulty" => difficulty = value()?.parse()?,
            "--ttl" => ttl = value()?.parse()?,
            "--count" => count = value()?.parse()?,
            "--invalid" => invalid = true,
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    let key = key.ok_or_else(|| anyhow::anyhow!("--key is required"))?;
    let signing_key = if invalid { format!("not-{key}") } else { key };
    let pow = ProofOfWork::new(Some(signing_key.as_bytes()), difficulty, ttl);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for _ in 0..count {
        writeln!(out, "{}", pow.issue().solve())?;
    }
    out.flush()?;
    Ok(())
}
