//! Real files for the attachment tests: a baseline JPEG (jpeg-encoder) into which
//! `exiftool` writes GPS, camera and XMP tags; a PDF (lopdf) with document information and
//! an XMP stream; the bombs and broken files the endpoint must refuse; and `exiftool`'s
//! own reading of what arrived.
#![allow(dead_code)]

use std::io::Write as _;
use std::path::Path;
use std::process::Command;

use lopdf::{dictionary, Document, Object, Stream};

/// Words written into the metadata; none may reach the unit.
pub const PROBES: &[&str] = &["ProbeCam", "Aysel Probe", "probe comment", "ProbeWriter"];

/// `exiftool` (Debian `libimage-exiftool-perl`); panics with how to get it.
pub fn exiftool() -> Command {
    let found = Command::new("exiftool").arg("-ver").output().is_ok();
    assert!(
        found,
        "exiftool not found: apt-get install libimage-exiftool-perl (scripts/test.sh does)"
    );
    Command::new("exiftool")
}

/// A real 96x64 colour JPEG with GPS coordinates, camera make and model, an artist, an
/// XMP creator and a comment, all written by exiftool.
pub fn jpeg_with_gps(dir: &Path) -> Vec<u8> {
    let (w, h) = (96u16, 64u16);
    let mut pixels = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
    for y in 0..h {
        for x in 0..w {
            pixels.extend_from_slice(&[(x * 2) as u8, (y * 3) as u8, ((x + y) % 256) as u8]);
        }
    }
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 85)
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .expect("encode a JPEG");
    let path = dir.join("camera.jpg");
    std::fs::write(&path, &jpeg).expect("write the JPEG");
    let out = exiftool()
        .args([
            "-q",
            "-overwrite_original",
            "-GPSLatitude=40.409264",
            "-GPSLatitudeRef=N",
            "-GPSLongitude=49.867092",
            "-GPSLongitudeRef=E",
            "-GPSAltitude=28",
            "-Make=ProbeCam",
            "-Model=ProbeCam X1",
            "-Artist=Aysel Probe",
            "-DateTimeOriginal=2026:10:01 12:34:56",
            "-XMP-dc:Creator=Aysel Probe",
            "-Comment=probe comment",
        ])
        .arg(&path)
        .output()
        .expect("run exiftool");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tagged = std::fs::read(&path).expect("read the tagged JPEG");
    let tags = exif_json(&path);
    assert!(
        tags.contains("GPSLatitude") && tags.contains("ProbeCam"),
        "exiftool wrote the tags: {tags}"
    );
    tagged
}

/// What exiftool reads in a file: every tag of every group, as JSON.
pub fn exif_json(path: &Path) -> String {
    let out = exiftool()
        .args(["-j", "-a", "-G1", "-u"])
        .arg(path)
        .output()
        .expect("run exiftool");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The tag groups exiftool reports for a file (`IFD0`, `GPS`, `XMP-dc`, `File`, ...).
pub fn exif_groups(path: &Path) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&exif_json(path)).expect("exiftool writes JSON");
    let mut groups: Vec<String> = json[0]
        .as_object()
        .map(|o| {
            o.keys()
                .filter_map(|k| k.split_once(':').map(|(g, _)| g.to_string()))
                .collect()
        })
        .unwrap_or_default();
    groups.sort();
    groups.dedup();
    groups
}

/// A one-page PDF whose information dictionary names an author, creator and producer and
/// whose catalog carries an XMP stream naming the author too.
pub fn pdf_with_metadata() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let content = Stream::new(
        dictionary! {},
        b"BT /F1 24 Tf 72 700 Td (Contract page one) Tj ET".to_vec(),
    );
    let content_id = doc.add_object(content);
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let xmp = "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator><rdf:Seq><rdf:li>Aysel Probe</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
    let xmp_id = doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp.as_bytes().to_vec(),
    ));
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog", "Pages" => pages_id, "Metadata" => xmp_id,
    });
    let info_id = doc.add_object(dictionary! {
        "Author" => Object::string_literal("Aysel Probe"),
        "Creator" => Object::string_literal("ProbeWriter"),
        "Producer" => Object::string_literal("ProbeWriter PDF"),
        "CreationDate" => Object::string_literal("D:20261001123456+04'00'"),
    });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save the PDF");
    out
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    let mut v = u32::try_from(data.len())
        .expect("chunk size")
        .to_be_bytes()
        .to_vec();
    v.extend_from_slice(&crc_input);
    v.extend_from_slice(&crc32fast::hash(&crc_input).to_be_bytes());
    v
}

/// A PNG whose header declares `width` x `height` pixels, with `idat` as its image data
/// (not decoded by the endpoint, so any bytes do) and a text chunk naming the author.
pub fn png(width: u32, height: u32, idat: &[u8]) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    v.extend(png_chunk(b"IHDR", &ihdr));
    v.extend(png_chunk(b"tEXt", b"Author\0Aysel Probe"));
    v.extend(png_chunk(b"IDAT", idat));
    v.extend(png_chunk(b"IEND", b""));
    v
}

/// The classic decompression bomb: 100,000 x 100,000 pixels (30 GB decoded) in a few
/// hundred bytes of deflated zeros.
pub fn png_bomb() -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![0u8; 1 << 20]).expect("deflate");
    png(100_000, 100_000, &z.finish().expect("deflate"))
}

/// A DOCX package with one entry of 320 MiB of zeros (about 320 KiB deflated): a zip bomb.
pub fn docx_bomb() -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in [
        ("[Content_Types].xml", b"<Types/>".as_slice()),
        ("word/document.xml", b"<w:document/>".as_slice()),
    ] {
        w.start_file(name, options).expect("entry");
        w.write_all(data).expect("data");
    }
    w.start_file("word/media/zeros.bin", options)
        .expect("entry");
    let block = vec![0u8; 1 << 20];
    for _ in 0..320 {
        w.write_all(&block).expect("data");
    }
    w.finish().expect("zip").into_inner()
}

/// The first bytes of a HEIC photo as an iPhone writes it.
pub fn heic() -> Vec<u8> {
    let mut v = vec![0, 0, 0, 24];
    v.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    v.extend_from_slice(&[0u8; 64]);
    v
}
