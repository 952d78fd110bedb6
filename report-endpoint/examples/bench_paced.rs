//! The paced stream of `scripts/bench-tips.sh`: valid tips at a fixed rate, open loop (a
//! tip is sent when it is due, whether or not the earlier ones were answered, so a slow
//! server shows as latency instead of a lower rate), each with its own pre-solved proof of
//! work from `bench_tokens`, as multipart/form-data with an empty file part like the form's.
//! Latency is counted from the due time (what a visitor waits, client lag included) and from
//! the send. Prints one JSON object.
//!
//! It speaks HTTP/1.1 itself over kept-alive loopback connections (a pool that grows as
//! answers overlap), so that it needs nothing beyond tokio and costs little CPU beside
//! the endpoint.
//!
//! Usage: `bench_paced --addr 127.0.0.1:PORT --path /report --tokens FILE --rate PER_SEC --duration SECS`

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const BOUNDARY: &str = "----xeberdar-bench-7d1f";

/// The body the form sends, with `pow` filled in.
fn body(pow: &str, n: usize) -> String {
    let mut b = String::new();
    for (name, value) in [
        ("lang", "en"),
        ("kind", "suspicious_offer"),
        ("city", "Baku"),
        (
            "description",
            &format!("Bench tip {n}: a recruiter offers work abroad and keeps the passports."),
        ),
        ("pow", pow),
        ("no_js_answer", ""),
    ] {
        b.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    b.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--{BOUNDARY}--\r\n"
    ));
    b
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

struct Outcome {
    status: Option<u16>,
    from_due: Duration,
    from_send: Duration,
}

type Pool = Arc<parking_lot::Mutex<Vec<BufReader<TcpStream>>>>;

/// Sends one POST on a pooled connection, or on a new one when none is idle or the idle
/// one turns out closed (the server may end idle connections), and reads the whole
/// answer. `None` on any failure.
async fn post(pool: &Pool, addr: &str, head: &str, body: &str) -> Option<u16> {
    let pooled = pool.lock().pop();
    if let Some(conn) = pooled {
        if let Some(status) = exchange(pool, conn, head, body).await {
            return Some(status);
        }
    }
    let stream = TcpStream::connect(addr).await.ok()?;
    stream.set_nodelay(true).ok()?;
    exchange(pool, BufReader::new(stream), head, body).await
}

/// One request and its answer on `conn`, which goes back to the pool unless the server
/// closes it.
async fn exchange(
    pool: &Pool,
    mut conn: BufReader<TcpStream>,
    head: &str,
    body: &str,
) -> Option<u16> {
    let request = format!("{head}Content-Length: {}\r\n\r\n{body}", body.len());
    conn.get_mut().write_all(request.as_bytes()).await.ok()?;
    let mut line = String::new();
    conn.read_line(&mut line).await.ok()?;
    let status: u16 = line.split_whitespace().nth(1)?.parse().ok()?;
    let mut length = 0usize;
    let mut close = false;
    loop {
        line.clear();
        conn.read_line(&mut line).await.ok()?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value.parse().ok()?;
        } else if name.eq_ignore_ascii_case("connection") && value.eq_ignore_ascii_case("close") {
            close = true;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // The endpoint's pages all have a known length; anything else is not read here.
            return None;
        }
    }
    let mut answer = vec![0u8; length];
    conn.read_exact(&mut answer).await.ok()?;
    if !close {
        pool.lock().push(conn);
    }
    Some(status)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let mut addr = None;
    let mut path = "/report".to_string();
    let mut tokens = None;
    let mut rate = 500.0f64;
    let mut duration = 10.0f64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| anyhow::anyhow!("{arg} needs a value"))
        };
        match arg.as_str() {
            "--addr" => addr = Some(value()?),
            "--path" => path = value()?,
            "--tokens" => tokens = Some(value()?),
            "--rate" => rate = value()?.parse()?,
            "--duration" => duration = value()?.parse()?,
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    let addr: Arc<str> = addr
        .ok_or_else(|| anyhow::anyhow!("--addr is required"))?
        .into();
    let tokens =
        std::fs::read_to_string(tokens.ok_or_else(|| anyhow::anyhow!("--tokens is required"))?)?;
    let tokens: Vec<&str> = tokens.lines().filter(|l| !l.is_empty()).collect();
    let count = ((rate * duration) as usize).min(tokens.len());
    anyhow::ensure!(
        count > 0,
        "no tip to send (rate × duration, or the token file, is empty)"
    );
    let head: Arc<str> = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
    )
    .into();
    let pool: Pool = Arc::default();
    let start = Instant::now() + Duration::from_millis(100);
    let mut tasks = Vec::with_capacity(count);
    for (n, pow) in tokens.iter().take(count).enumerate() {
        let due = start + Duration::from_secs_f64(n as f64 / rate);
        tokio::time::sleep_until(due.into()).await;
        let payload = body(pow, n);
        let (pool, addr, head) = (pool.clone(), addr.clone(), head.clone());
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            let status =
                tokio::time::timeout(Duration::from_secs(30), post(&pool, &addr, &head, &payload))
                    .await
                    .ok()
                    .flatten();
            Outcome {
                status,
                from_due: due.elapsed(),
                from_send: sent.elapsed(),
            }
        }));
    }
    let send_span = start.elapsed().as_secs_f64().max(f64::EPSILON);
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    let mut from_due = Vec::with_capacity(count);
    let mut from_send = Vec::with_capacity(count);
    for task in tasks {
        let outcome = task.await?;
        let key = outcome
            .status
            .map_or_else(|| "error".to_string(), |s| s.to_string());
        *statuses.entry(key).or_default() += 1;
        from_due.push(outcome.from_due.as_secs_f64() * 1000.0);
        from_send.push(outcome.from_send.as_secs_f64() * 1000.0);
    }
    from_due.sort_by(f64::total_cmp);
    from_send.sort_by(f64::total_cmp);
    let accepted = statuses.get("303").copied().unwrap_or(0);
    let ms = |v: f64| (v * 100.0).round() / 100.0;
    let summary = serde_json::json!({
        "sent": count,
        "rate_asked": rate,
        "rate_sent": ms(count as f64 / send_span),
        "accepted_303": accepted,
        "success_rate": ms(accepted as f64 / count as f64 * 100.0),
        "statuses": statuses,
        "latency_ms": {
            "p50": ms(percentile(&from_send, 0.50)),
            "p90": ms(percentile(&from_send, 0.90)),
            "p99": ms(percentile(&from_send, 0.99)),
            "max": ms(percentile(&from_send, 1.0)),
        },
        "from_due_ms": {
            "p50": ms(percentile(&from_due, 0.50)),
            "p99": ms(percentile(&from_due, 0.99)),
        },
    });
    println!("{summary}");
    Ok(())
}
