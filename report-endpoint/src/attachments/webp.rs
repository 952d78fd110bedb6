//! WebP: the EXIF and XMP chunks are dropped, and the extended header's flags that
//! announce them are cleared.
//!
//! Kept: the image data (lossy, lossless, alpha), animation and frames, and the ICC colour
//! profile. Every chunk not on that list is dropped too, and anything after the RIFF
//! container.

use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::{
    WebP, CHUNK_ALPH, CHUNK_ANIM, CHUNK_ANMF, CHUNK_ICCP, CHUNK_VP8, CHUNK_VP8L, CHUNK_VP8X,
};
use img_parts::Bytes;

use super::{check_pixels, FileProblem};

const KEPT: &[[u8; 4]] = &[
    CHUNK_VP8X, CHUNK_VP8, CHUNK_VP8L, CHUNK_ALPH, CHUNK_ANIM, CHUNK_ANMF, CHUNK_ICCP,
];

/// VP8X flag bits announcing an EXIF and an XMP chunk.
const EXIF_FLAG: u8 = 0b0000_1000;
const XMP_FLAG: u8 = 0b0000_0100;

pub(super) fn strip(input: &[u8]) -> Result<Vec<u8>, FileProblem> {
    let mut webp =
        WebP::from_bytes(Bytes::copy_from_slice(input)).map_err(|_| FileProblem::Unreadable)?;
    if !webp
        .chunks()
        .iter()
        .any(|c| [CHUNK_VP8, CHUNK_VP8L, CHUNK_ANMF].contains(&c.id()))
    {
        return Err(FileProblem::Unreadable);
    }
    let (width, height) = webp.dimensions().ok_or(FileProblem::Unreadable)?;
    check_pixels(u64::from(width), u64::from(height))?;
    webp.chunks_mut().retain(|c| KEPT.contains(&c.id()));
    for chunk in webp.chunks_mut() {
        if chunk.id() == CHUNK_VP8X {
            clear_metadata_flags(chunk);
        }
    }
    Ok(webp.encoder().bytes().to_vec())
}

fn clear_metadata_flags(vp8x: &mut RiffChunk) {
    if let RiffContent::Data(data) = vp8x.content_mut() {
        if let Some(&flags) = data.first() {
            let mut edited = data.to_vec();
            edited[0] = flags & !(EXIF_FLAG | XMP_FLAG);
            *data = Bytes::from(edited);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(id: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut v = id.to_vec();
        v.extend_from_slice(&(data.len() as u32).to_le_bytes());
        v.extend_from_slice(data);
        if data.len() % 2 == 1 {
            v.push(0);
        }
        v
    }

    fn webp(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut v = b"RIFF".to_vec();
        v.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
        v.extend_from_slice(b"WEBP");
        v.extend(body);
        v
    }

    /// A lossless 1x1 bitstream header (signature, 14-bit width-1 and height-1).
    fn vp8l() -> Vec<u8> {
        chunk(b"VP8L", &[0x2f, 0, 0, 0, 0, 0x88, 0x88, 0x08])
    }

    #[test]
    fn exif_and_xmp_chunks_and_their_flags_are_removed() {
        let vp8x = chunk(b"VP8X", &[EXIF_FLAG | XMP_FLAG, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let input = webp(&[
            vp8x,
            vp8l(),
            chunk(b"EXIF", b"MM\0*GPS-DATA"),
            chunk(b"XMP ", b"<x:xmpmeta>Aysel</x:xmpmeta>"),
        ]);
        let out = strip(&input).expect("strips");
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("GPS") && !text.contains("Aysel") && !text.contains("EXIF"));
        let flags = out[20];
        assert_eq!(flags & (EXIF_FLAG | XMP_FLAG), 0, "{out:x?}");
        assert_eq!(
            u32::from_le_bytes([out[4], out[5], out[6], out[7]]) as usize,
            out.len() - 8
        );
    }

    #[test]
    fn truncated_files_are_unreadable() {
        let whole = webp(&[vp8l()]);
        assert!(strip(&whole).is_ok());
        for len in 0..whole.len() {
            assert!(strip(&whole[..len]).is_err(), "len {len}");
        }
    }
}
