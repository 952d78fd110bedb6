//! Files a tipster attaches: what is accepted, and the hidden data removed from each before
//! it is sealed.
//!
//! Files are recognised by their content, never by the name or the type the browser sent.
//! Each accepted kind has its own stripper (one module each); everything else is refused
//! with a message naming the file, so nothing is ever sent with its metadata in silence.
//! The strippers only read and rewrite containers (JPEG segments, PNG and WebP chunks, the
//! PDF object tree, zip entries): no pixel is decoded and nothing is re-encoded.
//!
//! Everything here works on bytes in memory: a file is read from the request into memory,
//! stripped, sealed and dropped (its buffers zeroized), and never written to a disk.

mod file_name;
mod jpeg;
mod office;
mod pdf;
mod png;
mod webp;

use std::fmt;

use zeroize::Zeroize;

pub use file_name::sanitize_file_name;

use crate::seal::PlainFile;

/// A kind of file that is accepted, and how its hidden data is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Jpeg,
    Png,
    WebP,
    Pdf,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
}

impl FileKind {
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::WebP => "image/webp",
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
        }
    }

    /// File name extensions of this kind, the usual one first.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Png => &["png"],
            FileKind::WebP => &["webp"],
            FileKind::Pdf => &["pdf"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Pptx => &["pptx"],
            FileKind::Odt => &["odt"],
            FileKind::Ods => &["ods"],
        }
    }

    /// The message key of the receipt's line saying what was removed from such a file.
    pub fn removed_key(self) -> &'static str {
        match self {
            FileKind::Jpeg | FileKind::Png | FileKind::WebP => "report-file-removed-photo",
            FileKind::Pdf => "report-file-removed-pdf",
            FileKind::Docx | FileKind::Xlsx | FileKind::Pptx | FileKind::Odt | FileKind::Ods => {
                "report-file-removed-office"
            }
        }
    }

    /// A short name for the sealed report's list of files (for the unit, not localized).
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
            FileKind::WebP => "webp",
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Pptx => "pptx",
            FileKind::Odt => "odt",
            FileKind::Ods => "ods",
        }
    }
}

/// Why one file was refused. The visitor's message names the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileProblem {
    /// Not one of the accepted kinds (judged by the content).
    Unsupported,
    /// A HEIC/HEIF photo: no well-kept library here removes its metadata.
    Heic,
    /// Damaged, cut short, or not what its first bytes claim.
    Unreadable,
    /// Protected by a password: its metadata cannot be reached.
    Encrypted,
    /// Declares more pixels, or unpacks to more data, than any real photo or document.
    Bomb,
}

/// Why the files of a submission were refused; the form comes back with the typed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentError {
    /// Files were sent but attachments are turned off.
    NotAccepted,
    TooMany {
        max: usize,
    },
    FileTooLarge {
        name: String,
        max_mib: usize,
    },
    TotalTooLarge {
        max_mib: usize,
    },
    File {
        name: String,
        problem: FileProblem,
    },
}

impl AttachmentError {
    /// The message key and its arguments (besides the hotline number).
    pub fn message(&self) -> (&'static str, Vec<(&'static str, String)>) {
        match self {
            AttachmentError::NotAccepted => ("report-error-file-not-accepted", vec![]),
            AttachmentError::TooMany { max } => (
                "report-error-files-too-many",
                vec![("max", max.to_string())],
            ),
            AttachmentError::FileTooLarge { name, max_mib } => (
                "report-error-file-too-large",
                vec![("name", name.clone()), ("max", max_mib.to_string())],
            ),
            AttachmentError::TotalTooLarge { max_mib } => (
                "report-error-files-too-large",
                vec![("max", max_mib.to_string())],
            ),
            AttachmentError::File { name, problem } => (
                match problem {
                    FileProblem::Unsupported => "report-error-file-type",
                    FileProblem::Heic => "report-error-file-heic",
                    FileProblem::Unreadable => "report-error-file-unreadable",
                    FileProblem::Encrypted => "report-error-file-encrypted",
                    FileProblem::Bomb => "report-error-file-bomb",
                },
                vec![("name", name.clone())],
            ),
        }
    }
}

/// A file as it came in the request: its name as the browser sent it, and its bytes.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("bytes", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        self.name.zeroize();
        self.bytes.zeroize();
    }
}

/// A file with its hidden data removed, ready to be sealed.
#[derive(Debug)]
pub struct CleanFile {
    pub kind: FileKind,
    pub file: PlainFile,
}

/// What a file looks like from its first bytes.
enum Detected {
    Kind(FileKind),
    /// A zip archive: an office document, or not (decided by its entries).
    Zip,
    Heic,
    Unknown,
}

fn detect(bytes: &[u8]) -> Detected {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Detected::Kind(FileKind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Detected::Kind(FileKind::Png)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Detected::Kind(FileKind::WebP)
    } else if bytes.starts_with(b"%PDF-") {
        Detected::Kind(FileKind::Pdf)
    } else if bytes.starts_with(b"PK\x03\x04") {
        Detected::Zip
    } else if is_heif(bytes) {
        Detected::Heic
    } else {
        Detected::Unknown
    }
}

/// An ISO base media file whose major brand is one of HEIF's (HEIC photos from phones).
fn is_heif(bytes: &[u8]) -> bool {
    bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && matches!(
            &bytes[8..12],
            b"heic"
                | b"heix"
                | b"heim"
                | b"heis"
                | b"hevc"
                | b"hevx"
                | b"hevm"
                | b"hevs"
                | b"mif1"
                | b"msf1"
        )
}

/// The most pixels an accepted image may declare: more than any phone camera takes
/// (200 megapixels), far less than a decompression bomb declares to exhaust a viewer.
pub const MAX_PIXELS: u64 = 200_000_000;

fn check_pixels(width: u64, height: u64) -> Result<(), FileProblem> {
    if width == 0 || height == 0 {
        return Err(FileProblem::Unreadable);
    }
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(FileProblem::Bomb);
    }
    Ok(())
}

/// The file with its hidden data removed, or why it is refused. Never panics: a stripper
/// that panicked on some input (a bug in it or in a parser below it) counts as an
/// unreadable file.
pub fn clean(upload: &Upload, index: usize) -> Result<CleanFile, AttachmentError> {
    let stripped =
        std::panic::catch_unwind(|| strip(&upload.bytes)).unwrap_or(Err(FileProblem::Unreadable));
    match stripped {
        Ok((kind, bytes)) => Ok(CleanFile {
            kind,
            file: PlainFile {
                file_name: sanitize_file_name(&upload.name, kind, index),
                content_type: kind.content_type(),
                bytes,
            },
        }),
        Err(problem) => Err(AttachmentError::File {
            name: display_name(&upload.name, index),
            problem,
        }),
    }
}

/// The name shown to the visitor in a message about their file: what they picked, made
/// safe to show (no path, no control or direction characters).
pub fn display_name(raw: &str, index: usize) -> String {
    file_name::display(raw, index)
}

/// Checks what can be told from the first bytes alone (kind), before the costly part.
pub fn precheck(upload: &Upload, index: usize) -> Result<(), AttachmentError> {
    let problem = match detect(&upload.bytes) {
        Detected::Kind(_) | Detected::Zip => return Ok(()),
        Detected::Heic => FileProblem::Heic,
        Detected::Unknown => FileProblem::Unsupported,
    };
    Err(AttachmentError::File {
        name: display_name(&upload.name, index),
        problem,
    })
}

/// Removes the hidden data of one file, whatever its kind (the fuzzing entry point).
pub fn strip(bytes: &[u8]) -> Result<(FileKind, Vec<u8>), FileProblem> {
    match detect(bytes) {
        Detected::Kind(FileKind::Jpeg) => jpeg::strip(bytes).map(|b| (FileKind::Jpeg, b)),
        Detected::Kind(FileKind::Png) => png::strip(bytes).map(|b| (FileKind::Png, b)),
        Detected::Kind(FileKind::WebP) => webp::strip(bytes).map(|b| (FileKind::WebP, b)),
        Detected::Kind(FileKind::Pdf) => pdf::strip(bytes).map(|b| (FileKind::Pdf, b)),
        Detected::Kind(_) | Detected::Zip => office::strip(bytes),
        Detected::Heic => Err(FileProblem::Heic),
        Detected::Unknown => Err(FileProblem::Unsupported),
    }
}
