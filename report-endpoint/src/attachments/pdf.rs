//! PDF: the document information dictionary and every XMP metadata stream are removed.
//!
//! Removed: the trailer's `/Info` (author, title, subject, keywords, creator and producer
//! programs, creation and modification dates), the trailer's `/ID` (file identifiers,
//! often derived from the original file's path and time), every `/Metadata` XMP stream
//! (the document's and those of pages, pictures and fonts), `/PieceInfo` (private data of
//! the program that wrote the file) and `/LastModified` dates, and the earlier revisions
//! an incremental save leaves in a file. The pages, their text, pictures and fonts are
//! written back as they were: pictures inside a PDF keep whatever data they carry.
//!
//! Password-protected PDFs are refused: their metadata cannot be reached without it.

use lopdf::{Document, LoadOptions, Object};

use super::FileProblem;

/// The most one stream inside the PDF may inflate to while it is read (object and
/// cross-reference streams): far more than real ones need, far less than a bomb's aim.
const MAX_STREAM_BYTES: usize = 32 * 1024 * 1024;

/// Keys whose values carry metadata wherever they appear.
const METADATA_KEYS: &[&[u8]] = &[b"Metadata", b"PieceInfo", b"LastModified"];

/// Dictionaries nested deeper than this are left as they are (the parser bounds nesting
/// below it; this only keeps the walk's stack bounded whatever the parser does).
const MAX_DEPTH: usize = 64;

pub(super) fn strip(input: &[u8]) -> Result<Vec<u8>, FileProblem> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        ..LoadOptions::default()
    };
    let mut doc = Document::load_mem_with_options(input, options).map_err(|e| {
        if matches!(e, lopdf::Error::Decompress(_)) {
            FileProblem::Bomb
        } else {
            FileProblem::Unreadable
        }
    })?;
    if doc.is_encrypted() || doc.was_encrypted() {
        return Err(FileProblem::Encrypted);
    }
    if doc.get_pages().is_empty() {
        return Err(FileProblem::Unreadable);
    }
    doc.trailer.remove(b"Info");
    doc.trailer.remove(b"ID");
    for object in doc.objects.values_mut() {
        remove_metadata(object, 0);
    }
    // The information dictionary and the XMP streams are now referenced by nothing.
    doc.prune_objects();
    let mut out = Vec::with_capacity(input.len());
    doc.save_to(&mut out).map_err(|_| FileProblem::Unreadable)?;
    Ok(out)
}

fn remove_metadata(object: &mut Object, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let dict = match object {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &mut s.dict,
        Object::Array(items) => {
            for item in items {
                remove_metadata(item, depth + 1);
            }
            return;
        }
        _ => return,
    };
    for key in METADATA_KEYS {
        dict.remove(key);
    }
    for (_, value) in dict.iter_mut() {
        remove_metadata(value, depth + 1);
    }
}
