//! A text held deflated in memory: what a one-shot build keeps of a page's rendered HTML
//! after writing the page (its summary, for the feed) is a few kilobytes a page, and at
//! tens of thousands of pages that is the largest part of what the build holds. HTML
//! deflates to about a third, and packing costs microseconds a page.

use std::borrow::Cow;
use std::cell::RefCell;

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

/// A text, deflated when that makes it smaller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedText(Packed);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Packed {
    /// Raw deflate data and the length of the text it inflates to.
    Deflated { data: Box<[u8]>, len: usize },
    /// Texts that do not shrink (short ones) are kept as they are.
    Plain(Box<str>),
}

thread_local! {
    // A deflate stream's state is a few hundred kilobytes: each thread keeps one and resets
    // it, instead of allocating and clearing one for every text.
    static DEFLATE: RefCell<(Compress, Vec<u8>)> =
        RefCell::new((Compress::new(Compression::fast(), false), Vec::new()));
    static INFLATE: RefCell<Decompress> = RefCell::new(Decompress::new(false));
}

impl PackedText {
    pub fn pack(text: &str) -> Self {
        let deflated = DEFLATE.with(|cell| {
            let (stream, out) = &mut *cell.borrow_mut();
            stream.reset();
            out.clear();
            out.reserve(text.len() / 2 + 64);
            loop {
                let read = usize::try_from(stream.total_in()).ok()?;
                let rest = text.as_bytes().get(read..)?;
                match stream.compress_vec(rest, out, FlushCompress::Finish) {
                    Ok(Status::StreamEnd) => break,
                    Ok(_) => out.reserve(out.capacity().max(64)),
                    Err(_) => return None,
                }
            }
            // Copied out of the scratch buffer so the kept allocation is exactly its size.
            (out.len() < text.len()).then(|| Box::<[u8]>::from(out.as_slice()))
        });
        match deflated {
            Some(data) => PackedText(Packed::Deflated {
                data,
                len: text.len(),
            }),
            None => PackedText(Packed::Plain(text.into())),
        }
    }

    /// The text as packed. Data this type deflated always inflates back; should that ever
    /// fail, the text comes back empty rather than wrong.
    pub fn unpack(&self) -> Cow<'_, str> {
        match &self.0 {
            Packed::Plain(text) => Cow::Borrowed(text),
            Packed::Deflated { data, len } => Cow::Owned(inflate(data, *len).unwrap_or_default()),
        }
    }

    /// Bytes held for the text.
    #[cfg(test)]
    fn held_len(&self) -> usize {
        match &self.0 {
            Packed::Plain(text) => text.len(),
            Packed::Deflated { data, .. } => data.len(),
        }
    }
}

fn inflate(data: &[u8], len: usize) -> Option<String> {
    INFLATE.with(|cell| {
        let stream = &mut *cell.borrow_mut();
        stream.reset(false);
        let mut out = Vec::with_capacity(len);
        match stream.decompress_vec(data, &mut out, FlushDecompress::Finish) {
            Ok(Status::StreamEnd) if out.len() == len => String::from_utf8(out).ok(),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_comes_back_as_it_was_and_smaller() {
        let html = "<p>Pasportunuzu heç kimə verməyin. Паспорт держите при себе.</p>\n".repeat(40);
        let packed = PackedText::pack(&html);
        assert!(
            packed.held_len() < html.len() / 3,
            "{} of {}",
            packed.held_len(),
            html.len()
        );
        assert_eq!(packed.unpack(), html);
    }

    #[test]
    fn short_and_empty_texts_are_kept_as_they_are() {
        for text in ["", "a", "<p>x</p>"] {
            let packed = PackedText::pack(text);
            assert_eq!(packed.unpack(), text);
            assert!(matches!(packed.unpack(), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn texts_packed_one_after_another_do_not_share_state() {
        let texts: Vec<String> = (0..50)
            .map(|i| {
                format!(
                    "<h2 id=\"h{i}\">Başlıq {i}</h2><p>{}</p>",
                    "söz ".repeat(i * 7)
                )
            })
            .collect();
        let packed: Vec<PackedText> = texts.iter().map(|t| PackedText::pack(t)).collect();
        for (text, p) in texts.iter().zip(&packed) {
            assert_eq!(p.unpack(), text.as_str());
        }
    }

    #[test]
    fn a_text_larger_than_the_first_guess_packs_whole() {
        // Bytes that do not compress make the output outgrow its first reservation.
        let noisy: String = (0..20_000u32)
            .map(|i| {
                char::from_u32(0x400 + (i.wrapping_mul(2_654_435_761) >> 22) % 200).unwrap_or('x')
            })
            .collect();
        let packed = PackedText::pack(&noisy);
        assert_eq!(packed.unpack(), noisy);
    }
}
