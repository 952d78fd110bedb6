//! JPEG: the segments that carry metadata are dropped and the image data is kept byte for
//! byte.
//!
//! Removed: EXIF (APP1: location, camera make and model, maker notes, dates, the embedded
//! thumbnail), XMP (APP1), the multi-picture index and FlashPix data (APP2), IPTC and
//! Photoshop data (APP13), every other application segment (APP3–APP12, APP15), comments,
//! a JFIF extension thumbnail, and everything after the end of the image (phones append
//! depth maps and further pictures there, each with its own EXIF). Kept: what a decoder
//! needs (tables, frame and scan headers, the scans), the JFIF header without its
//! thumbnail, the ICC colour profile (APP2) and the Adobe colour-transform marker (APP14),
//! without which colours would be wrong.
//!
//! `img-parts` reads the segments up to the first scan; the rest of the file (the scans and
//! the segments between them in progressive JPEGs) is walked here, because metadata may
//! also sit between scans and after the end-of-image marker.

use img_parts::jpeg::{markers, Jpeg, JpegSegment};
use img_parts::Bytes;

use super::{check_pixels, FileProblem};

pub(super) fn strip(input: &[u8]) -> Result<Vec<u8>, FileProblem> {
    let jpeg =
        Jpeg::from_bytes(Bytes::copy_from_slice(input)).map_err(|_| FileProblem::Unreadable)?;
    let (width, height) = jpeg.dimensions().ok_or(FileProblem::Unreadable)?;
    check_pixels(u64::from(width), u64::from(height))?;
    let mut out = Vec::with_capacity(input.len());
    out.extend_from_slice(&[markers::P, markers::SOI]);
    let mut scan = None;
    for segment in jpeg.segments() {
        if segment.has_entropy() {
            scan = Some(segment);
            break;
        }
        if let Some(kept) = kept_segment(segment) {
            push_segment(&mut out, kept.marker(), kept.contents());
        }
    }
    // No scan: a header without an image.
    let scan = scan.ok_or(FileProblem::Unreadable)?;
    push_segment(&mut out, scan.marker(), scan.contents());
    // The scan segment's entropy is the rest of the input after its header.
    let rest_len = scan.len_with_entropy() - scan.len();
    let rest = input
        .get(input.len().saturating_sub(rest_len)..)
        .ok_or(FileProblem::Unreadable)?;
    copy_scans(rest, &mut out)?;
    Ok(out)
}

/// The segment as it is to be written, or `None` when it only carries metadata.
fn kept_segment(segment: &JpegSegment) -> Option<JpegSegment> {
    let contents = segment.contents();
    match segment.marker() {
        markers::APP0 if contents.starts_with(b"JFIF\0") && contents.len() >= 14 => {
            // Version, density units and density; no thumbnail (its size set to 0x0).
            let mut jfif = contents[..14].to_vec();
            jfif[12] = 0;
            jfif[13] = 0;
            Some(JpegSegment::new_with_contents(
                markers::APP0,
                Bytes::from(jfif),
            ))
        }
        markers::APP2 if contents.starts_with(b"ICC_PROFILE\0") => Some(segment.clone()),
        markers::APP14 if contents.starts_with(b"Adobe") => Some(segment.clone()),
        marker if is_metadata_marker(marker) => None,
        _ => Some(segment.clone()),
    }
}

/// Application segments and comments: kept only when [`kept_segment`] says so.
fn is_metadata_marker(marker: u8) -> bool {
    (markers::APP0..=markers::APP15).contains(&marker) || marker == markers::COM
}

fn push_segment(out: &mut Vec<u8>, marker: u8, contents: &[u8]) {
    out.extend_from_slice(&[markers::P, marker]);
    // Contents come from a parsed segment, so they fit its 16-bit length.
    let len = u16::try_from(contents.len() + 2).unwrap_or(u16::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(contents);
}

/// Copies the scans up to and including the end-of-image marker, without the application
/// segments and comments found between them, and drops whatever follows the end of the
/// image. A file that ends before that marker is cut short and refused.
fn copy_scans(rest: &[u8], out: &mut Vec<u8>) -> Result<(), FileProblem> {
    let mut copied_to = 0;
    let mut i = 0;
    while i < rest.len() {
        if rest[i] != markers::P {
            i += 1;
            continue;
        }
        let Some(&marker) = rest.get(i + 1) else {
            break;
        };
        match marker {
            // Stuffed byte, restart marker, or fill byte: still entropy-coded data.
            markers::Z | markers::RST0..=markers::RST7 => i += 2,
            markers::P => i += 1,
            markers::EOI => {
                out.extend_from_slice(&rest[copied_to..i + 2]);
                return Ok(());
            }
            marker if !has_length(marker) => i += 2,
            _ => {
                let len = rest
                    .get(i + 2..i + 4)
                    .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
                    .ok_or(FileProblem::Unreadable)?;
                if len < 2 {
                    return Err(FileProblem::Unreadable);
                }
                let end = i + 2 + len;
                if end > rest.len() {
                    return Err(FileProblem::Unreadable);
                }
                if is_metadata_marker(marker) && !is_kept_between_scans(marker, &rest[i + 4..end]) {
                    out.extend_from_slice(&rest[copied_to..i]);
                    copied_to = end;
                }
                i = end;
            }
        }
    }
    Err(FileProblem::Unreadable)
}

/// Markers followed by a 16-bit length (frame, scan, table, application segments and
/// comments); the others stand alone.
fn has_length(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF | 0xDA..=0xDF | 0xE0..=0xEF | 0xF0..=0xFE)
}

fn is_kept_between_scans(marker: u8, contents: &[u8]) -> bool {
    marker == markers::APP14 && contents.starts_with(b"Adobe")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal baseline JPEG layout (not decodable, but every segment in its place).
    fn jpeg_with(extra_head: &[u8], tail: &[u8]) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        v.extend_from_slice(extra_head);
        // SOF0: precision 8, height 2, width 3, 1 component.
        v.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8, 0, 2, 0, 3, 1, 1, 0x11, 0]);
        // SOS header: 1 component.
        v.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0]);
        v.extend_from_slice(&[0x12, 0x34, 0xFF, 0x00, 0x56]);
        v.extend_from_slice(tail);
        v
    }

    fn app1_exif() -> Vec<u8> {
        let mut seg = vec![0xFF, 0xE1, 0, 16];
        seg.extend_from_slice(b"Exif\0\0GPSGPSGP");
        seg
    }

    #[test]
    fn exif_comments_and_the_data_after_the_image_are_removed() {
        let mut head = app1_exif();
        head.extend_from_slice(&[0xFF, 0xFE, 0, 6, b'h', b'i', b'!', b'!']);
        let mut tail = vec![0xFF, 0xE1, 0, 8];
        tail.extend_from_slice(b"GPSGPS");
        tail.extend_from_slice(&[0x78, 0xFF, 0xD9]);
        tail.extend_from_slice(b"appended second picture GPS");
        let out = strip(&jpeg_with(&head, &tail)).expect("strips");
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("GPS") && !text.contains("hi!!"), "{out:x?}");
        assert!(out.ends_with(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0x78, 0xFF, 0xD9]));
    }

    #[test]
    fn a_cut_short_file_is_unreadable() {
        let whole = jpeg_with(&app1_exif(), &[0xFF, 0xD9]);
        for len in 0..whole.len() - 1 {
            assert!(strip(&whole[..len]).is_err(), "len {len}");
        }
        assert!(strip(&whole).is_ok());
    }

    #[test]
    fn a_bomb_declaring_65535_by_65535_pixels_is_refused() {
        let mut v = jpeg_with(&[], &[0xFF, 0xD9]);
        v[7..11].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
        assert_eq!(strip(&v), Err(FileProblem::Bomb));
    }
}
