//! Facts about media and document files (size, format, page count, duration) computed at
//! build time, so film and training pages never state a figure by hand that can go stale.
//!
//! The template engine calls [`register`] once; templates then call
//! `media_info(path="films/demo/clip.webm")` and get:
//!
//! | field | example | note |
//! | --- | --- | --- |
//! | `size` | `1048576` | bytes |
//! | `size_human` | `1.0 MB` | English-style; localized pages use `size_value` + `size_unit` |
//! | `size_value`, `size_unit` | `"1.0"`, `"mb"` | unit is one of `b`, `kb`, `mb`, `gb` |
//! | `format` | `PDF`, `WebM`, `MP4`, … | from the file's header, else its extension |
//! | `mime` | `application/pdf` | for `<source type=…>` and download links |
//! | `pages` | `12` or null | PDF page count |
//! | `duration_seconds` | `83.4` or null | WebM / MP4 only |
//! | `duration` | `1:23` or null | minutes:seconds (hours when needed) |
//!
//! Headers are parsed here rather than by calling `ffprobe` or `pdfinfo`, so a build needs no
//! outside tools. Every error names the file, in words an editor can act on.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;
use tera::{Function, Value};

/// Registers the media Tera functions (`media_info(path=...)`).
/// `site_root` is the folder that holds `config.toml`.
pub fn register(tera: &mut tera::Tera, site_root: &Path) {
    tera.register_function(
        "media_info",
        MediaInfoFn {
            site_root: site_root.to_path_buf(),
        },
    );
}

/// Facts about one file, as templates see them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaInfo {
    pub path: String,
    pub size: u64,
    pub size_human: String,
    pub size_value: String,
    pub size_unit: &'static str,
    pub format: &'static str,
    pub mime: &'static str,
    pub pages: Option<u32>,
    pub duration_seconds: Option<f64>,
    pub duration: Option<String>,
}

/// Why a file's facts could not be read. Each variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("media_info: `{0}` was not found (looked in the site folder, content/ and static/)")]
    NotFound(String),
    #[error("media_info: `{0}` must be a path inside the site, without `..`")]
    OutsideSite(String),
    #[error("media_info: cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("media_info: {path} looks like a {format} file but {problem}")]
    Malformed {
        path: PathBuf,
        format: &'static str,
        problem: String,
    },
}

struct MediaInfoFn {
    site_root: PathBuf,
}

impl Function for MediaInfoFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args.get("path").and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg(
                "media_info() needs a `path` argument, e.g. media_info(path=\"films/demo/clip.webm\")",
            )
        })?;
        let info =
            media_info(&self.site_root, path).map_err(|e| tera::Error::msg(e.to_string()))?;
        serde_json::to_value(info).map_err(|e| tera::Error::msg(e.to_string()))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// Finds `path` (relative to the site folder, `content/` or `static/`, in that order) and
/// reads its facts.
pub fn media_info(site_root: &Path, path: &str) -> Result<MediaInfo, MediaError> {
    let full = resolve(site_root, path)?;
    let mut info = file_info(&full)?;
    info.path = path.to_string();
    Ok(info)
}

fn resolve(site_root: &Path, path: &str) -> Result<PathBuf, MediaError> {
    let rel = Path::new(path.trim_start_matches('/'));
    if rel
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(MediaError::OutsideSite(path.to_string()));
    }
    for base in [
        site_root.to_path_buf(),
        site_root.join("content"),
        site_root.join("static"),
    ] {
        let candidate = base.join(rel);
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    Err(MediaError::NotFound(path.to_string()))
}

/// Reads the facts of a file at a known location.
pub fn file_info(full: &Path) -> Result<MediaInfo, MediaError> {
    let read_err = |source| MediaError::Read {
        path: full.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(full).map_err(read_err)?.len();
    let mut head = Vec::with_capacity(64);
    std::fs::File::open(full)
        .and_then(|f| f.take(64).read_to_end(&mut head))
        .map_err(read_err)?;
    let ext = full
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let kind = Kind::detect(&head, &ext);
    let (pages, duration_seconds) = match kind {
        Kind::Pdf => {
            let bytes = std::fs::read(full).map_err(read_err)?;
            (
                Some(pdf_page_count(&bytes).map_err(|p| kind.malformed(full, p))?),
                None,
            )
        }
        Kind::WebM => {
            let bytes = std::fs::read(full).map_err(read_err)?;
            (
                None,
                Some(webm_duration(&bytes).map_err(|p| kind.malformed(full, p))?),
            )
        }
        Kind::Mp4 => {
            let bytes = std::fs::read(full).map_err(read_err)?;
            (
                None,
                Some(mp4_duration(&bytes).map_err(|p| kind.malformed(full, p))?),
            )
        }
        _ => (None, None),
    };
    let (size_value, size_unit) = human_size(size);
    let unit_label = match size_unit {
        "b" => "B",
        "kb" => "KB",
        "mb" => "MB",
        _ => "GB",
    };
    Ok(MediaInfo {
        path: full.display().to_string(),
        size,
        size_human: format!("{size_value} {unit_label}"),
        size_value,
        size_unit,
        format: kind.name(&ext),
        mime: kind.mime(),
        pages,
        duration_seconds,
        duration: duration_seconds.map(clock),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pdf,
    WebM,
    Mp4,
    Png,
    Jpeg,
    Zip,
    Vtt,
    Other,
}

impl Kind {
    fn detect(head: &[u8], ext: &str) -> Kind {
        if head.starts_with(b"%PDF-") {
            Kind::Pdf
        } else if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
            // Matroska and WebM share the EBML header; both carry Info/Duration alike.
            Kind::WebM
        } else if head.len() >= 8 && &head[4..8] == b"ftyp" {
            Kind::Mp4
        } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Kind::Png
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Kind::Jpeg
        } else if head.starts_with(b"PK\x03\x04") {
            Kind::Zip
        } else if head.starts_with(b"WEBVTT") || head.starts_with("\u{feff}WEBVTT".as_bytes()) {
            Kind::Vtt
        } else {
            match ext {
                "pdf" => Kind::Pdf,
                "webm" | "mkv" => Kind::WebM,
                "mp4" | "m4v" => Kind::Mp4,
                _ => Kind::Other,
            }
        }
    }

    fn name(self, ext: &str) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::WebM => "WebM",
            Kind::Mp4 => "MP4",
            Kind::Png => "PNG",
            Kind::Jpeg => "JPEG",
            Kind::Vtt => "WebVTT",
            Kind::Zip | Kind::Other => match ext {
                "docx" => "DOCX",
                "odt" => "ODT",
                "pptx" => "PPTX",
                "odp" => "ODP",
                "xlsx" => "XLSX",
                "epub" => "EPUB",
                "zip" => "ZIP",
                "txt" => "TXT",
                "html" | "htm" => "HTML",
                "md" => "Markdown",
                "csv" => "CSV",
                "svg" => "SVG",
                _ => "file",
            },
        }
    }

    fn mime(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::WebM => "video/webm",
            Kind::Mp4 => "video/mp4",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Vtt => "text/vtt",
            Kind::Zip | Kind::Other => "application/octet-stream",
        }
    }

    fn malformed(self, path: &Path, problem: String) -> MediaError {
        MediaError::Malformed {
            path: path.to_path_buf(),
            format: self.name(""),
            problem,
        }
    }
}

/// One decimal below 10 units, none above, as people say sizes ("1.4 MB", "230 KB").
fn human_size(size: u64) -> (String, &'static str) {
    const K: f64 = 1024.0;
    let s = size as f64;
    let (value, unit) = if size < 1024 {
        return (size.to_string(), "b");
    } else if s < K * K {
        (s / K, "kb")
    } else if s < K * K * K {
        (s / (K * K), "mb")
    } else {
        (s / (K * K * K), "gb")
    };
    if value < 10.0 {
        (format!("{value:.1}"), unit)
    } else {
        (format!("{value:.0}"), unit)
    }
}

/// `m:ss`, or `h:mm:ss` for an hour or more, rounded to the nearest second.
fn clock(seconds: f64) -> String {
    let total = seconds.round().max(0.0) as u64;
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

// ---------------------------------------------------------------------------------------
// PDF: the page tree's root `/Type /Pages` object holds `/Count`, the number of pages.
// Files that pack objects into compressed object streams (PDF 1.5+) are inflated first.

fn pdf_page_count(bytes: &[u8]) -> Result<u32, String> {
    let mut best = max_pages_count(bytes);
    if best.is_none() {
        for stream in flate_streams(bytes) {
            if let Some(n) = max_pages_count(&stream) {
                best = Some(best.map_or(n, |b: u32| b.max(n)));
            }
        }
    }
    match best {
        Some(n) if n > 0 => Ok(n),
        _ => Err("its page tree (/Type /Pages … /Count) could not be found".to_string()),
    }
}

/// The largest `/Count` among `/Type /Pages` dictionaries: the root holds the total.
fn max_pages_count(bytes: &[u8]) -> Option<u32> {
    let mut best = None;
    let mut from = 0;
    while let Some(pos) = find(&bytes[from..], b"/Count") {
        let at = from + pos;
        from = at + 6;
        let dict = enclosing_dict(bytes, at);
        if !is_pages_dict(dict) {
            continue;
        }
        let digits: Vec<u8> = bytes[from..]
            .iter()
            .skip_while(|b| b.is_ascii_whitespace())
            .take_while(|b| b.is_ascii_digit())
            .copied()
            .collect();
        if let Some(n) = std::str::from_utf8(&digits)
            .ok()
            .and_then(|s| s.parse::<u32>().ok())
        {
            best = Some(best.map_or(n, |b: u32| b.max(n)));
        }
    }
    best
}

/// The text of the innermost `<< … >>` around `at` (bounded, so a broken file stays fast).
fn enclosing_dict(bytes: &[u8], at: usize) -> &[u8] {
    let start = bytes[..at]
        .windows(2)
        .rposition(|w| w == b"<<")
        .unwrap_or(0);
    let end = find(&bytes[at..], b">>").map_or(bytes.len(), |e| at + e);
    &bytes[start..end]
}

fn is_pages_dict(dict: &[u8]) -> bool {
    let mut from = 0;
    while let Some(pos) = find(&dict[from..], b"/Type") {
        let rest = &dict[from + pos + 5..];
        let rest: &[u8] = {
            let skip = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            &rest[skip..]
        };
        if rest.starts_with(b"/Pages") {
            return true;
        }
        from += pos + 5;
    }
    false
}

fn flate_streams(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = find(&bytes[from..], b"stream") {
        let mut start = from + pos + 6;
        from = start;
        // `endstream` also contains "stream"; a stream keyword is followed by an EOL.
        if bytes[..start - 6].ends_with(b"end") {
            continue;
        }
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        let Some(len) = find(&bytes[start..], b"endstream") else {
            break;
        };
        let mut inflated = Vec::new();
        let decoder = flate2::read::ZlibDecoder::new(&bytes[start..start + len]);
        // Cap each stream: an object stream is small; a hostile one must not fill memory.
        if decoder
            .take(16 * 1024 * 1024)
            .read_to_end(&mut inflated)
            .is_ok()
            || !inflated.is_empty()
        {
            out.push(inflated);
        }
        from = start + len;
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------
// WebM / Matroska: EBML elements; Segment > Info > TimecodeScale (ns per tick, default 1 ms)
// and Duration (a float in ticks).

const EBML_SEGMENT: u64 = 0x1853_8067;
const EBML_INFO: u64 = 0x1549_A966;
const EBML_TIMECODE_SCALE: u64 = 0x2A_D7B1;
const EBML_DURATION: u64 = 0x4489;

/// Reads an EBML variable-length integer. `keep_marker` keeps the length bit (element ids).
fn ebml_vint(bytes: &[u8], keep_marker: bool) -> Option<(u64, usize, bool)> {
    let first = *bytes.first()?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 || bytes.len() < len {
        return None;
    }
    let mut value = if keep_marker {
        u64::from(first)
    } else {
        u64::from(first) & ((1u64 << (8 - len)) - 1)
    };
    let mut all_ones = value == (1u64 << (8 - len)) - 1;
    for b in &bytes[1..len] {
        value = (value << 8) | u64::from(*b);
        all_ones &= *b == 0xFF;
    }
    Some((value, len, all_ones && !keep_marker))
}

/// Iterates the direct children of an EBML element body: `(id, body)`.
fn ebml_children(mut bytes: &[u8]) -> Vec<(u64, &[u8])> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let Some((id, id_len, _)) = ebml_vint(bytes, true) else {
            break;
        };
        let Some((size, size_len, unknown)) = ebml_vint(&bytes[id_len..], false) else {
            break;
        };
        let start = id_len + size_len;
        let end = if unknown {
            bytes.len()
        } else {
            start
                .saturating_add(usize::try_from(size).unwrap_or(usize::MAX))
                .min(bytes.len())
        };
        out.push((id, &bytes[start..end]));
        bytes = &bytes[end..];
    }
    out
}

fn webm_duration(bytes: &[u8]) -> Result<f64, String> {
    let segment = ebml_children(bytes)
        .into_iter()
        .find(|(id, _)| *id == EBML_SEGMENT)
        .map(|(_, body)| body)
        .ok_or("it has no Segment element")?;
    let info = ebml_children(segment)
        .into_iter()
        .find(|(id, _)| *id == EBML_INFO)
        .map(|(_, body)| body)
        .ok_or("it has no Info element")?;
    let mut scale = 1_000_000u64;
    let mut duration = None;
    for (id, body) in ebml_children(info) {
        match id {
            EBML_TIMECODE_SCALE if !body.is_empty() && body.len() <= 8 => {
                scale = body.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
            }
            EBML_DURATION => {
                duration = match body.len() {
                    4 => Some(f64::from(f32::from_be_bytes([
                        body[0], body[1], body[2], body[3],
                    ]))),
                    8 => {
                        let mut b = [0u8; 8];
                        b.copy_from_slice(body);
                        Some(f64::from_be_bytes(b))
                    }
                    _ => None,
                };
            }
            _ => {}
        }
    }
    let ticks = duration.ok_or(
        "its header states no duration (re-mux it, e.g. `ffmpeg -i in.webm -c copy out.webm`)",
    )?;
    let seconds = ticks * scale as f64 / 1e9;
    if seconds.is_finite() && seconds >= 0.0 {
        Ok(seconds)
    } else {
        Err("its duration is not a valid number".to_string())
    }
}

// ---------------------------------------------------------------------------------------
// MP4 / ISO BMFF: boxes; moov > mvhd holds the timescale (ticks per second) and duration.

fn mp4_boxes(mut bytes: &[u8]) -> Vec<([u8; 4], &[u8])> {
    let mut out = Vec::new();
    while bytes.len() >= 8 {
        let size32 = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as u64;
        let kind = [bytes[4], bytes[5], bytes[6], bytes[7]];
        let (header, size) = match size32 {
            0 => (8, bytes.len() as u64),
            1 if bytes.len() >= 16 => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&bytes[8..16]);
                (16, u64::from_be_bytes(b))
            }
            _ => (8, size32),
        };
        if size < header as u64 {
            break;
        }
        let end = usize::try_from(size).unwrap_or(usize::MAX).min(bytes.len());
        out.push((kind, &bytes[header..end]));
        bytes = &bytes[end..];
    }
    out
}

fn mp4_duration(bytes: &[u8]) -> Result<f64, String> {
    let moov = mp4_boxes(bytes)
        .into_iter()
        .find(|(k, _)| k == b"moov")
        .map(|(_, b)| b)
        .ok_or("it has no `moov` box (the file may be cut short)")?;
    let mvhd = mp4_boxes(moov)
        .into_iter()
        .find(|(k, _)| k == b"mvhd")
        .map(|(_, b)| b)
        .ok_or("it has no `mvhd` box")?;
    let be32 = |at: usize| -> Option<u64> {
        mvhd.get(at..at + 4)
            .map(|s| u64::from(u32::from_be_bytes([s[0], s[1], s[2], s[3]])))
    };
    let (timescale, duration) = match mvhd.first() {
        Some(0) => (be32(12), be32(16)),
        Some(1) => (
            be32(20),
            mvhd.get(24..32).map(|s| {
                let mut b = [0u8; 8];
                b.copy_from_slice(s);
                u64::from_be_bytes(b)
            }),
        ),
        _ => (None, None),
    };
    match (timescale, duration) {
        (Some(ts), Some(d)) if ts > 0 => Ok(d as f64 / ts as f64),
        _ => Err("its `mvhd` box is too short or has no timescale".to_string()),
    }
}

impl fmt::Display for MediaInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}, {})", self.path, self.format, self.size_human)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ebml(id: &[u8], body: &[u8]) -> Vec<u8> {
        let mut v = id.to_vec();
        v.push(0x80 | body.len() as u8);
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn webm_duration_comes_from_the_info_element() {
        let mut info = ebml(&[0x2A, 0xD7, 0xB1], &[0x0F, 0x42, 0x40]);
        info.extend(ebml(&[0x44, 0x89], &83_400.0f64.to_be_bytes()));
        let segment = ebml(&[0x15, 0x49, 0xA9, 0x66], &info);
        let mut file = ebml(&[0x1A, 0x45, 0xDF, 0xA3], b"");
        file.extend(ebml(&[0x18, 0x53, 0x80, 0x67], &segment));
        let d = webm_duration(&file).unwrap();
        assert!((d - 83.4).abs() < 1e-9, "{d}");
        assert_eq!(clock(d), "1:23");
    }

    #[test]
    fn mp4_duration_comes_from_mvhd() {
        let mut mvhd = vec![0u8; 4 + 8];
        mvhd.extend(1000u32.to_be_bytes());
        mvhd.extend(5500u32.to_be_bytes());
        mvhd.extend([0u8; 80]);
        let mut mvhd_box = ((mvhd.len() + 8) as u32).to_be_bytes().to_vec();
        mvhd_box.extend(b"mvhd");
        mvhd_box.extend(mvhd);
        let mut moov = ((mvhd_box.len() + 8) as u32).to_be_bytes().to_vec();
        moov.extend(b"moov");
        moov.extend(mvhd_box);
        let mut file = vec![0, 0, 0, 16];
        file.extend(b"ftypisom\0\0\0\0");
        file.extend(moov);
        assert_eq!(mp4_duration(&file).unwrap(), 5.5);
    }

    #[test]
    fn pdf_pages_from_the_root_page_tree() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
            2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R] /Count 7 >> endobj\n\
            3 0 obj << /Type /Pages /Parent 2 0 R /Count 3 >> endobj\n%%EOF";
        assert_eq!(pdf_page_count(pdf).unwrap(), 7);
    }

    #[test]
    fn pdf_pages_inside_a_compressed_object_stream() {
        use std::io::Write;
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"2 0 << /Type /Pages /Count 12 /Kids [] >>")
            .unwrap();
        let body = enc.finish().unwrap();
        let mut pdf =
            b"%PDF-1.5\n5 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend(body);
        pdf.extend(b"\nendstream\nendobj\n%%EOF");
        assert_eq!(pdf_page_count(&pdf).unwrap(), 12);
    }

    #[test]
    fn sizes_read_like_people_say_them() {
        assert_eq!(human_size(512), ("512".to_string(), "b"));
        assert_eq!(human_size(1536), ("1.5".to_string(), "kb"));
        assert_eq!(human_size(230 * 1024), ("230".to_string(), "kb"));
        assert_eq!(human_size(3 * 1024 * 1024 / 2), ("1.5".to_string(), "mb"));
    }

    #[test]
    fn errors_name_the_file_and_paths_stay_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("static/bad.pdf"), b"%PDF-1.4 nothing here").unwrap();
        let err = media_info(dir.path(), "bad.pdf").unwrap_err().to_string();
        assert!(err.contains("bad.pdf"), "{err}");
        let err = media_info(dir.path(), "missing.webm")
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing.webm"), "{err}");
        assert!(matches!(
            media_info(dir.path(), "../etc/passwd"),
            Err(MediaError::OutsideSite(_))
        ));
        std::fs::write(dir.path().join("static/notes.txt"), b"hello").unwrap();
        let info = media_info(dir.path(), "/notes.txt").unwrap();
        assert_eq!((info.size, info.format, info.pages), (5, "TXT", None));
    }
}
