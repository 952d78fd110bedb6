//! The MIME layout of sealed emails, written by hand (CRLF everywhere, random boundaries) so
//! that exactly what RFC 3156 asks for is produced and nothing else — a general message builder
//! would be more code to steer than these few lines.

use base64::Engine as _;
use rand::Rng as _;

/// The outer `Subject` of every sealed email: the same words for every tip, so a relay
/// learns nothing from it and cannot link a tipster's reference code to a mail. The real
/// Subject, with the reference, is a protected header inside the ciphertext.
pub(super) const OUTER_SUBJECT: &str = "New anonymous report";

pub(super) struct Headers<'a> {
    pub message_id: &'a str,
    pub date: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub reference: &'a str,
    pub lang: &'a str,
}

/// `<32 random hex digits@domain>`. Random, not derived from the reference code: anyone
/// holding a receipt could otherwise compute the ID and find the tip's mail at a relay.
/// It is still stable for duplicates: the outbox stores each sealed email with its ID, so
/// every retry of one email carries the same ID and the receiving side can drop repeats.
pub(super) fn message_id(domain: &str) -> String {
    let mut rng = rand::thread_rng();
    let hex: String = (0..16)
        .map(|_| format!("{:02x}", rng.gen::<u8>()))
        .collect();
    format!("<{hex}@{domain}>")
}

fn boundary() -> String {
    let mut rng = rand::thread_rng();
    let hex: String = (0..12)
        .map(|_| format!("{:02x}", rng.gen::<u8>()))
        .collect();
    format!("xeberdar-{hex}")
}

/// The encrypted payload: protected headers (the real Subject inside) and two parts.
///
/// Header protection as RFC 9788 (the IETF's header-protection draft, now published)
/// describes it: the root part carries `hp="cipher"` and the true header fields, and one
/// `HP-Outer` field per outer header field records what the outside showed, so a
/// reader can tell the Subject was replaced. `protected-headers="v1"` is kept beside it
/// for the clients that implemented the earlier draft (Thunderbird, Enigmail).
pub(super) fn inner_entity(
    h: &Headers<'_>,
    text_body: &str,
    json_body: &str,
    files: &[super::PlainFile],
) -> Vec<u8> {
    let b = boundary();
    let file_bytes: usize = files.iter().map(|f| f.bytes.len() / 3 * 4 + 512).sum();
    let mut out =
        String::with_capacity(text_body.len() * 2 + json_body.len() * 2 + file_bytes + 1024);
    out.push_str(&format!(
        "Content-Type: multipart/mixed; boundary=\"{b}\"; hp=\"cipher\"; protected-headers=\"v1\"\r\n\
         Subject: Anonymous report {reference} [{lang}]\r\n\
         From: {from}\r\n\
         To: {to}\r\n\
         Date: {date}\r\n\
         Message-ID: {mid}\r\n\
         HP-Outer: Message-ID: {mid}\r\n\
         HP-Outer: Date: {date}\r\n\
         HP-Outer: From: {from}\r\n\
         HP-Outer: To: {to}\r\n\
         HP-Outer: Subject: {outer_subject}\r\n\
         MIME-Version: 1.0\r\n\
         \r\n\
         --{b}\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: base64\r\n\
         Content-Disposition: inline\r\n\
         Content-Language: {lang}\r\n\
         \r\n",
        reference = h.reference,
        lang = h.lang,
        from = h.from,
        to = h.to,
        date = h.date,
        mid = h.message_id,
        outer_subject = OUTER_SUBJECT,
    ));
    push_base64_lines(&mut out, crlf(text_body).as_bytes());
    out.push_str(&format!(
        "--{b}\r\n\
         Content-Type: application/json; charset=utf-8; name=\"report-{reference}.json\"\r\n\
         Content-Transfer-Encoding: base64\r\n\
         Content-Disposition: attachment; filename=\"report-{reference}.json\"\r\n\
         \r\n",
        reference = h.reference,
    ));
    push_base64_lines(&mut out, json_body.as_bytes());
    for (i, file) in files.iter().enumerate() {
        let name = file_name_params(&file.file_name, i, file.content_type);
        out.push_str(&format!(
            "--{b}\r\n\
             Content-Type: {ct}; {name_params}\r\n\
             Content-Transfer-Encoding: base64\r\n\
             Content-Disposition: attachment; {filename_params}\r\n\
             \r\n",
            ct = file.content_type,
            name_params = name.content_type,
            filename_params = name.disposition,
        ));
        push_base64_lines(&mut out, &file.bytes);
    }
    out.push_str(&format!("--{b}--\r\n"));
    out.into_bytes()
}

struct NameParams {
    content_type: String,
    disposition: String,
}

/// `name=` and `filename=` parameters. An ASCII name goes as a quoted string (the sanitized
/// name holds no quote or backslash); any other gets an ASCII stand-in (`attachment-N.ext`)
/// for readers without RFC 2231 and the real name as an RFC 2231 `filename*` (UTF-8,
/// percent-encoded), which Thunderbird, mutt and Python's `email` read.
fn file_name_params(name: &str, index: usize, content_type: &str) -> NameParams {
    let safe_ascii = name
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\' || b == b' ');
    if safe_ascii {
        return NameParams {
            content_type: format!("name=\"{name}\""),
            disposition: format!("filename=\"{name}\""),
        };
    }
    let ext = name.rsplit_once('.').map_or_else(
        || content_type.rsplit('/').next().unwrap_or("bin").to_string(),
        |(_, e)| e.to_string(),
    );
    let stand_in = format!("attachment-{}.{}", index + 1, ascii_only(&ext));
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    NameParams {
        content_type: format!("name=\"{stand_in}\""),
        // The RFC 2231 form first: readers that take the first `filename` they see (Python's
        // `email`) then get the real name; the others prefer `filename*` anyway.
        disposition: format!("filename*=UTF-8''{encoded}; filename=\"{stand_in}\""),
    }
}

fn ascii_only(s: &str) -> String {
    let kept: String = s.chars().filter(char::is_ascii_alphanumeric).collect();
    if kept.is_empty() {
        "bin".into()
    } else {
        kept
    }
}

/// The padded size of an entity of `len` bytes: the Padmé bucket of `len` (its binary form
/// kept to the top `floor(log2(floor(log2 len))) + 1` bits, the rest rounded up), then up
/// to a multiple of `block`. Padmé leaks only O(log log len) bits about the size with at
/// most about 12 % overhead, where a fixed block would leak the size of a large file almost
/// exactly.
pub(super) fn bucket(len: usize, block: usize) -> usize {
    let padme = if len < 2 {
        len
    } else {
        let e = usize::BITS - 1 - len.leading_zeros(); // floor(log2 len)
        let s = u32::BITS - e.leading_zeros(); // floor(log2 e) + 1
        let low_bits = e - s.min(e);
        let mask = (1usize << low_bits) - 1;
        (len + mask) & !mask
    };
    padme.div_ceil(block).max(1) * block
}

/// Pads `entity` with a MIME epilogue of blank (space-only) CRLF lines of at most 80 bytes to
/// `target` bytes ([`bucket`]), or to one block more when the gap is a single byte (which
/// cannot hold a CRLF line). MIME parsers ignore the epilogue after the closing boundary.
pub(super) fn pad(entity: &mut Vec<u8>, target: usize) {
    let mut need = target.saturating_sub(entity.len());
    if need == 1 {
        need += super::PAD_BLOCK;
    }
    while need > 0 {
        let line = if need <= 80 {
            need
        } else if need - 80 == 1 {
            79 // leave 2 bytes, not 1, for the last line
        } else {
            80
        };
        entity.extend(std::iter::repeat_n(b' ', line - 2));
        entity.extend_from_slice(b"\r\n");
        need -= line;
    }
}

/// The outer RFC 3156 email around the armoured ciphertext. Generic headers only: the
/// reference code appears nowhere outside the ciphertext.
pub(super) fn outer_email(h: &Headers<'_>, armored: &str) -> Vec<u8> {
    let b = boundary();
    let mut out = format!(
        "Message-ID: {mid}\r\n\
         Date: {date}\r\n\
         From: {from}\r\n\
         To: {to}\r\n\
         Subject: {subject}\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"{b}\"\r\n\
         \r\n\
         This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156).\r\n\
         --{b}\r\n\
         Content-Type: application/pgp-encrypted\r\n\
         Content-Description: PGP/MIME version identification\r\n\
         \r\n\
         Version: 1\r\n\
         \r\n\
         --{b}\r\n\
         Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\
         Content-Description: OpenPGP encrypted message\r\n\
         Content-Disposition: inline; filename=\"encrypted.asc\"\r\n\
         \r\n",
        mid = h.message_id,
        date = h.date,
        from = h.from,
        to = h.to,
        subject = OUTER_SUBJECT,
    );
    for line in armored.lines() {
        out.push_str(line.trim_end_matches('\r'));
        out.push_str("\r\n");
    }
    out.push_str(&format!("\r\n--{b}--\r\n"));
    out.into_bytes()
}

fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "\r\n")
}

fn push_base64_lines(out: &mut String, data: &[u8]) {
    let encoded = base64::engine::general_purpose::STANDARD.encode(data);
    for chunk in encoded.as_bytes().chunks(76) {
        // base64 output is ASCII, so every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push_str("\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::{bucket, pad};

    #[test]
    fn padding_reaches_a_block_multiple_with_crlf_lines() {
        for len in 0..2100 {
            let mut v = vec![b'x'; len];
            pad(&mut v, bucket(len, 512));
            assert_eq!(v.len() % 512, 0, "len {len}");
            let tail = &v[len..];
            assert!(tail.is_empty() || tail.ends_with(b"\r\n"), "len {len}");
            for line in tail.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                assert!(line.len() <= 79, "len {len}");
                assert!(line.iter().all(|&b| b == b' ' || b == b'\r'));
            }
        }
    }

    #[test]
    fn buckets_cost_at_most_12_percent_and_hide_the_low_bits_of_large_sizes() {
        let mut sizes = std::collections::BTreeSet::new();
        for len in (10 * 1024 * 1024..11 * 1024 * 1024).step_by(997) {
            let b = bucket(len, 512);
            assert!(b >= len && b.is_multiple_of(512));
            assert!(
                (b - len) as f64 <= len as f64 * 0.12 + 512.0,
                "len {len} -> {b}"
            );
            sizes.insert(b);
        }
        // A whole MiB of different sizes above 10 MiB falls into five buckets of 256 KiB.
        assert!(sizes.len() <= 5, "{sizes:?}");
        assert_eq!(bucket(0, 512), 512);
        assert_eq!(bucket(513, 512), 1024);
    }
}
