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
pub(super) fn inner_entity(h: &Headers<'_>, text_body: &str, json_body: &str) -> Vec<u8> {
    let b = boundary();
    let mut out = String::with_capacity(text_body.len() * 2 + json_body.len() * 2 + 1024);
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
    out.push_str(&format!("--{b}--\r\n"));
    out.into_bytes()
}

/// Pads `entity` with a MIME epilogue of blank (space-only) CRLF lines of at most 80 bytes to a
/// multiple of `block` bytes. MIME parsers ignore the epilogue after the closing boundary.
pub(super) fn pad(entity: &mut Vec<u8>, block: usize) {
    let mut need = (block - entity.len() % block) % block;
    if need == 1 {
        need += block; // one byte cannot hold a CRLF line
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
    use super::pad;

    #[test]
    fn padding_reaches_a_block_multiple_with_crlf_lines() {
        for len in 0..2100 {
            let mut v = vec![b'x'; len];
            pad(&mut v, 512);
            assert_eq!(v.len() % 512, 0, "len {len}");
            let tail = &v[len..];
            assert!(tail.is_empty() || tail.ends_with(b"\r\n"), "len {len}");
            for line in tail.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                assert!(line.len() <= 79, "len {len}");
                assert!(line.iter().all(|&b| b == b' ' || b == b'\r'));
            }
        }
    }
}
