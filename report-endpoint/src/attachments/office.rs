//! Office documents (DOCX, XLSX, PPTX, ODT, ODS): the package's document-properties parts
//! are emptied, everything else is copied as it was.
//!
//! Emptied: `docProps/core.xml` (author, last editor, title, subject, keywords, dates,
//! revision), `docProps/app.xml` (program, company, manager, template, editing time) and
//! `docProps/custom.xml` in DOCX/XLSX/PPTX; `meta.xml` (the same kinds of data) in
//! ODT/ODS. The parts stay, holding empty property lists, so the package's own index of
//! its parts stays valid and office suites open the file without a repair prompt.
//!
//! Not removed, and the tipster is told so: names inside the document itself (comments,
//! tracked changes, "last edited by" in some spreadsheets), and the data of pictures
//! inside it. Those live in the document's content, which is the evidence itself.
//!
//! Every entry is inflated once (into nothing) before the package is accepted, so a zip
//! bomb is stopped after a bounded amount of work and a damaged entry is caught by its
//! checksum; kept entries are then copied compressed, byte for byte.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::{FileKind, FileProblem};

/// Most entries in an accepted package (real documents have tens to a few hundred).
const MAX_ENTRIES: usize = 5_000;
/// Most bytes all entries together may inflate to. Spreadsheets compress about 10 to 20
/// times, so a 10 MiB XLSX stays well below it; a zip bomb does not.
const MAX_INFLATED_BYTES: u64 = 300 * 1024 * 1024;

const CORE_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/>";
const APP_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"/>";
const CUSTOM_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"/>";
const META_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" office:version=\"1.2\"><office:meta/></office:document-meta>";

pub(super) fn strip(input: &[u8]) -> Result<(FileKind, Vec<u8>), FileProblem> {
    strip_within(input, MAX_INFLATED_BYTES)
}

fn strip_within(input: &[u8], max_inflated: u64) -> Result<(FileKind, Vec<u8>), FileProblem> {
    let mut archive = ZipArchive::new(Cursor::new(input)).map_err(|_| FileProblem::Unreadable)?;
    if archive.len() > MAX_ENTRIES {
        return Err(FileProblem::Bomb);
    }
    let mut names = Vec::with_capacity(archive.len());
    let mut inflated = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|_| FileProblem::Unreadable)?;
        if entry.encrypted() {
            return Err(FileProblem::Encrypted);
        }
        let name = entry
            .name()
            .map_err(|_| FileProblem::Unreadable)?
            .into_owned();
        let budget = max_inflated - inflated;
        let mut limited = (&mut entry).take(budget + 1);
        let n = std::io::copy(&mut limited, &mut std::io::sink())
            .map_err(|_| FileProblem::Unreadable)?;
        if n > budget {
            return Err(FileProblem::Bomb);
        }
        inflated += n;
        names.push(name);
    }
    let kind = kind_of(&mut archive, &names).ok_or(FileProblem::Unsupported)?;
    let mut writer = ZipWriter::new(Cursor::new(Vec::with_capacity(input.len())));
    for (i, name) in names.iter().enumerate() {
        match emptied_part(kind, name) {
            Some(replacement) => {
                let options =
                    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
                writer
                    .start_file(name.as_str(), options)
                    .and_then(|()| {
                        writer
                            .write_all(replacement.as_bytes())
                            .map_err(zip::result::ZipError::from)
                    })
                    .map_err(|_| FileProblem::Unreadable)?;
            }
            None => {
                let entry = archive
                    .by_index_raw(i)
                    .map_err(|_| FileProblem::Unreadable)?;
                writer
                    .raw_copy_file(entry)
                    .map_err(|_| FileProblem::Unreadable)?;
            }
        }
    }
    let out = writer.finish().map_err(|_| FileProblem::Unreadable)?;
    Ok((kind, out.into_inner()))
}

/// Which office document the package is, from the parts it holds; `None` for any other
/// zip archive.
fn kind_of(archive: &mut ZipArchive<Cursor<&[u8]>>, names: &[String]) -> Option<FileKind> {
    let has = |part: &str| names.iter().any(|n| n == part);
    if has("[Content_Types].xml") {
        if has("word/document.xml") {
            return Some(FileKind::Docx);
        }
        if has("xl/workbook.xml") {
            return Some(FileKind::Xlsx);
        }
        if has("ppt/presentation.xml") {
            return Some(FileKind::Pptx);
        }
        return None;
    }
    let mut mimetype = String::new();
    archive
        .by_name("mimetype")
        .ok()?
        .take(100)
        .read_to_string(&mut mimetype)
        .ok()?;
    match mimetype.trim() {
        "application/vnd.oasis.opendocument.text" => Some(FileKind::Odt),
        "application/vnd.oasis.opendocument.spreadsheet" => Some(FileKind::Ods),
        _ => None,
    }
}

/// The empty replacement of a properties part, or `None` for a part kept as it is.
fn emptied_part(kind: FileKind, name: &str) -> Option<&'static str> {
    match kind {
        FileKind::Odt | FileKind::Ods => (name == "meta.xml").then_some(META_XML),
        _ => match name {
            "docProps/core.xml" => Some(CORE_XML),
            "docProps/app.xml" => Some(APP_XML),
            "docProps/custom.xml" => Some(CUSTOM_XML),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(
                *name,
                SimpleFileOptions::default().compression_method(CompressionMethod::Deflated),
            )
            .expect("entry");
            w.write_all(data).expect("data");
        }
        w.finish().expect("zip").into_inner()
    }

    fn read(zip: &[u8], name: &str) -> String {
        let mut archive = ZipArchive::new(Cursor::new(zip)).expect("zip");
        let mut s = String::new();
        archive
            .by_name(name)
            .expect(name)
            .read_to_string(&mut s)
            .expect("read");
        s
    }

    #[test]
    fn docx_properties_are_emptied_and_the_document_kept() {
        let input = package(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document>evidence</w:document>"),
            (
                "docProps/core.xml",
                b"<cp:coreProperties><dc:creator>Aysel Mammadova</dc:creator></cp:coreProperties>",
            ),
            (
                "docProps/app.xml",
                b"<Properties><Company>Firm LLC</Company></Properties>",
            ),
        ]);
        let (kind, out) = strip(&input).expect("strips");
        assert_eq!(kind, FileKind::Docx);
        assert_eq!(
            read(&out, "word/document.xml"),
            "<w:document>evidence</w:document>"
        );
        assert!(!read(&out, "docProps/core.xml").contains("Aysel"));
        assert!(!read(&out, "docProps/app.xml").contains("Firm"));
    }

    #[test]
    fn odt_meta_is_emptied() {
        let input = package(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
            (
                "meta.xml",
                b"<meta:initial-creator>Aysel</meta:initial-creator>",
            ),
        ]);
        let (kind, out) = strip(&input).expect("strips");
        assert_eq!(kind, FileKind::Odt);
        assert!(!read(&out, "meta.xml").contains("Aysel"));
    }

    #[test]
    fn a_zip_bomb_and_a_plain_zip_are_refused() {
        let zeros = vec![0u8; 1024 * 1024];
        let mut entries: Vec<(String, &[u8])> = vec![
            ("[Content_Types].xml".into(), b"<Types/>"),
            ("word/document.xml".into(), b"<w:document/>"),
        ];
        for i in 0..5 {
            entries.push((format!("word/media/zero{i}.bin"), &zeros));
        }
        let refs: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (n.as_str(), *d)).collect();
        let bomb = package(&refs);
        assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
        assert_eq!(strip_within(&bomb, 4 * 1024 * 1024), Err(FileProblem::Bomb));
        assert!(strip_within(&bomb, 6 * 1024 * 1024).is_ok());
        let plain = package(&[("notes.txt", b"hello")]);
        assert_eq!(strip(&plain), Err(FileProblem::Unsupported));
        assert_eq!(
            strip(&plain[..plain.len() - 10]),
            Err(FileProblem::Unreadable)
        );
    }
}
