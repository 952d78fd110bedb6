//! PNG: only the chunks that say how to draw the image are kept, every other one is dropped.
//!
//! Removed: text chunks (`tEXt`, `zTXt`, `iTXt`, where XMP lives too), EXIF (`eXIf`), the
//! modification time (`tIME`) and every chunk not on the list below (private data of the
//! program that wrote the file), and anything after the end chunk. Kept: the header,
//! palette, image data and end, transparency, colour information (gamma, chromaticities,
//! ICC profile, sRGB, HDR colour data), significant bits, background, histogram, pixel
//! size, suggested palettes and the frames of animated PNGs.

use img_parts::png::Png;
use img_parts::Bytes;

use super::{check_pixels, FileProblem};

const KEPT: &[&[u8; 4]] = &[
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB",
    b"cICP", b"mDCV", b"cLLI", b"bKGD", b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT",
];

pub(super) fn strip(input: &[u8]) -> Result<Vec<u8>, FileProblem> {
    let mut png =
        Png::from_bytes(Bytes::copy_from_slice(input)).map_err(|_| FileProblem::Unreadable)?;
    let chunks = png.chunks();
    if chunks.first().map(|c| c.kind()) != Some(*b"IHDR")
        || chunks.last().map(|c| c.kind()) != Some(*b"IEND")
        || !chunks.iter().any(|c| &c.kind() == b"IDAT")
    {
        return Err(FileProblem::Unreadable);
    }
    let (width, height) = png.dimensions().ok_or(FileProblem::Unreadable)?;
    check_pixels(u64::from(width), u64::from(height))?;
    // An unknown critical chunk (upper-case first letter) means a decoder could not draw
    // the image without it: refuse rather than send a broken picture.
    if chunks
        .iter()
        .any(|c| c.kind()[0].is_ascii_uppercase() && !KEPT.contains(&&c.kind()))
    {
        return Err(FileProblem::Unreadable);
    }
    png.chunks_mut().retain(|c| KEPT.contains(&&c.kind()));
    Ok(png.encoder().bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(data);
        let mut v = (data.len() as u32).to_be_bytes().to_vec();
        v.extend_from_slice(&crc_input);
        v.extend_from_slice(&crc32fast::hash(&crc_input).to_be_bytes());
        v
    }

    fn png(width: u32, height: u32, extra: &[Vec<u8>]) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        v.extend(chunk(b"IHDR", &ihdr));
        for c in extra {
            v.extend_from_slice(c);
        }
        v.extend(chunk(b"IDAT", b"\x78\x9c\x03\x00\x00\x00\x00\x01"));
        v.extend(chunk(b"IEND", b""));
        v
    }

    #[test]
    fn text_exif_and_time_chunks_are_removed() {
        let input = png(
            1,
            1,
            &[
                chunk(b"tEXt", b"Author\0Aysel"),
                chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta GPS/>"),
                chunk(b"eXIf", b"MM\0*GPS"),
                chunk(b"tIME", &[7, 232, 1, 1, 0, 0, 0]),
                chunk(b"pHYs", &[0, 0, 11, 19, 0, 0, 11, 19, 1]),
            ],
        );
        let out = strip(&input).expect("strips");
        let text = String::from_utf8_lossy(&out);
        for gone in ["tEXt", "Aysel", "iTXt", "xmpmeta", "eXIf", "tIME"] {
            assert!(!text.contains(gone), "{gone}");
        }
        assert!(text.contains("pHYs") && text.contains("IDAT"));
    }

    #[test]
    fn a_decompression_bomb_declaring_ten_gigapixels_is_refused() {
        assert_eq!(strip(&png(100_000, 100_000, &[])), Err(FileProblem::Bomb));
    }

    #[test]
    fn truncated_files_are_unreadable() {
        let whole = png(2, 2, &[]);
        for len in 0..whole.len() {
            assert!(strip(&whole[..len]).is_err(), "len {len}");
        }
    }
}
