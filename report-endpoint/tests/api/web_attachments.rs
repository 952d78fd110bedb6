//! Attachments end to end through real components: a real JPEG with GPS, camera and XMP
//! tags written by exiftool and a PDF with document information and XMP go through the
//! form, are delivered over real SMTP (aiosmtpd), decrypted by real GnuPG and parsed with
//! Python's `email`; exiftool then finds no EXIF, GPS or XMP in the photo and pdfinfo no
//! author in the PDF, while the picture data and the page text are unchanged. Files that
//! break a limit, are of another kind, cut short, or bombs are each refused with a message
//! naming the file, the typed text kept, nothing stored, and the endpoint still serving.

use crate::attachment_support;
use crate::mail_support;
use crate::web_common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use attachment_support::*;
use mail_support::{free_port, python, wait_until, GpgHome, SmtpServer};
use reqwest::multipart::{Form, Part};
use web_common::{spawn_app_with, text, TestApp};
use xeberdar_report::configuration::{MailSettings, SmtpSecurity, SmtpSettings};

const DESCRIPTION: &str = "Elan şəkli və müqavilə əlavə edilib — фото объявления и договор.";

fn file(name: &str, bytes: Vec<u8>) -> Part {
    Part::bytes(bytes).file_name(name.to_string())
}

fn tip_with(files: Vec<(&str, Vec<u8>)>, pow: String) -> Form {
    let mut form = Form::new()
        .text("lang", "en")
        .text("kind", "suspicious_offer")
        .text("city", "Gəncə")
        .text("description", DESCRIPTION);
    for (name, bytes) in files {
        form = form.part("attachment", file(name, bytes));
    }
    form.text("contact", "kept contact").text("pow", pow)
}

/// Splits a decrypted MIME entity with Python's `email` (the standard library's parser,
/// default policy) and writes each attachment into `dir` under the name `email` reads from
/// its headers; prints one JSON line per part.
fn python_email_parts(entity: &Path, dir: &Path) -> Vec<serde_json::Value> {
    let script = r#"
import email, email.policy, json, os, sys
msg = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
for i, part in enumerate(msg.walk()):
    if part.is_multipart():
        continue
    name = part.get_filename()
    body = part.get_payload(decode=True)
    out = None
    if part.get_content_disposition() == 'attachment' and name:
        out = os.path.join(sys.argv[2], str(i) + '-' + name)
        open(out, 'wb').write(body)
    print(json.dumps({'type': part.get_content_type(), 'name': name, 'size': len(body), 'path': out,
                      'disposition': part.get_content_disposition()}))
"#;
    let out = Command::new(python())
        .arg("-c")
        .arg(script)
        .arg(entity)
        .arg(dir)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

fn tool_output(cmd: &str, path: &Path) -> String {
    let out = Command::new(cmd).arg(path).output().expect(cmd);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The bytes of a JPEG from its first scan header on (the compressed picture itself).
fn scan_data(jpeg: &[u8]) -> &[u8] {
    let sos = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xDA])
        .expect("a scan header");
    &jpeg[sos..]
}

#[tokio::test]
async fn a_photo_with_gps_and_a_pdf_with_an_author_arrive_without_their_metadata() {
    let work = tempfile::tempdir().expect("temp dir");
    let photo = jpeg_with_gps(work.path());
    let pdf = pdf_with_metadata();
    let original_pdf = work.path().join("original.pdf");
    std::fs::write(&original_pdf, &pdf).expect("write");
    assert!(tool_output("pdfinfo", &original_pdf).contains("Aysel Probe"));

    let smtp = SmtpServer::start(free_port());
    let smtp_port = smtp.port;
    let app = spawn_app_with(move |s, _| {
        s.mail = MailSettings::Smtp(SmtpSettings {
            host: "127.0.0.1".into(),
            port: smtp_port,
            security: SmtpSecurity::PlainLoopback,
            username: None,
            password: None,
            hello_name: "localhost".into(),
            timeout_secs: 10,
            ca_cert_path: None,
        });
    })
    .await;
    let form = tip_with(
        vec![
            ("Şəkil Gəncə.jpg", photo.clone()),
            ("C:\\Users\\aysel\\contract \"final\".pdf", pdf.clone()),
        ],
        app.pow().await,
    );
    let response = app.post_multipart(form).await;
    let receipt = app.reference_from(response).await;
    // The receipt says, per file and in the tipster's language, what was removed.
    assert!(
        receipt
            .html
            .contains("Şəkil Gəncə.jpg: location, camera details, date and time"),
        "{}",
        receipt.html
    );
    assert!(
        receipt
            .html
            .contains("contract _final_.pdf: author, title, programs, dates"),
        "{}",
        receipt.html
    );

    wait_until(
        "the email at the SMTP server",
        Duration::from_secs(60),
        || smtp.count() >= 1,
    )
    .await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    let outer = String::from_utf8_lossy(&messages[0]).to_string();
    for leak in [
        "Şəkil",
        "contract",
        "image/jpeg",
        "application/pdf",
        "ProbeCam",
    ] {
        assert!(
            !outer.contains(leak),
            "{leak} is readable outside the ciphertext"
        );
    }
    let entity = GpgHome::with_demo_key()
        .decrypt_email(&messages[0])
        .expect("gpg decrypts");
    let entity_path = work.path().join("entity.eml");
    std::fs::write(&entity_path, &entity).expect("write");
    let parts_dir = work.path().join("parts");
    std::fs::create_dir_all(&parts_dir).expect("dir");
    let parts = python_email_parts(&entity_path, &parts_dir);

    let text_part = parts
        .iter()
        .find(|p| p["type"] == "text/plain")
        .expect("a text part");
    assert_eq!(text_part["disposition"], "inline");
    let jpeg_part = parts
        .iter()
        .find(|p| p["type"] == "image/jpeg")
        .expect("the photo travels as an image/jpeg part");
    assert_eq!(
        jpeg_part["name"], "Şəkil Gəncə.jpg",
        "RFC 2231 name, read by email"
    );
    let pdf_part = parts
        .iter()
        .find(|p| p["type"] == "application/pdf")
        .expect("the PDF travels as an application/pdf part");
    assert_eq!(pdf_part["name"], "contract _final_.pdf");

    // The photo: no EXIF (so no GPS, camera or date), no XMP, no comment; the picture
    // itself byte for byte.
    let jpeg_path = Path::new(jpeg_part["path"].as_str().expect("saved"));
    let arrived = std::fs::read(jpeg_path).expect("read");
    let groups = exif_groups(jpeg_path);
    for group in &groups {
        assert!(
            ["ExifTool", "System", "File", "JFIF", "Composite"].contains(&group.as_str()),
            "exiftool still finds {group} data: {}",
            exif_json(jpeg_path)
        );
    }
    let tags = exif_json(jpeg_path);
    for probe in PROBES {
        assert!(!tags.contains(probe), "{probe} survived: {tags}");
    }
    assert!(!tags.contains("GPS"), "{tags}");
    assert!(tags.contains("\"File:ImageWidth\": 96"), "{tags}");
    assert_eq!(
        scan_data(&arrived),
        scan_data(&photo),
        "picture data unchanged"
    );

    // The PDF: no author, creator or XMP; the page text is still there.
    let pdf_path = Path::new(pdf_part["path"].as_str().expect("saved"));
    let info = tool_output("pdfinfo", pdf_path);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.split_whitespace().nth(1) == Some("1")),
        "{info}"
    );
    assert!(info.contains("Metadata Stream: no"), "{info}");
    let arrived_pdf = std::fs::read(pdf_path).expect("read");
    let pdf_text = String::from_utf8_lossy(&arrived_pdf);
    for probe in PROBES {
        assert!(
            !info.contains(probe) && !pdf_text.contains(probe),
            "{probe}: {info}"
        );
    }
    assert!(!pdf_text.contains("xmpmeta"));
    assert!(!exif_groups(pdf_path).iter().any(|g| g.starts_with("XMP")));
    let page_text = Command::new("pdftotext")
        .arg(pdf_path)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(String::from_utf8_lossy(&page_text.stdout).contains("Contract page one"));

    // The readable report lists the files for the officer.
    let text = String::from_utf8_lossy(&entity);
    assert!(text.contains("multipart/mixed"));
    smtp.stop();
}

/// A refused submission: 422, the message naming the file, the typed text kept.
async fn refused(app: &TestApp, files: Vec<(&str, Vec<u8>)>, message: &str) {
    let response = app.post_multipart(tip_with(files, app.pow().await)).await;
    assert_eq!(response.status(), 422, "{message}");
    let html = text(response).await;
    assert!(html.contains(message), "expected {message:?} in:\n{html}");
    assert!(html.contains("id=\"report-attachment-error\""));
    assert!(html.contains(DESCRIPTION), "the description is kept");
    assert!(html.contains("value=\"Gəncə\""), "the city is kept");
    assert!(
        html.contains("value=\"kept contact\""),
        "fields after the files are kept"
    );
}

#[tokio::test]
async fn refused_files_are_named_keep_the_text_and_never_stop_the_endpoint() {
    let app = spawn_app_with(|s, _| {
        s.attachments.max_file_bytes = 512 * 1024;
        s.attachments.max_total_bytes = 1024 * 1024;
    })
    .await;
    let work = tempfile::tempdir().expect("temp dir");
    let photo = jpeg_with_gps(work.path());
    let big = png(64, 64, &vec![7u8; 600 * 1024]);
    let medium = png(64, 64, &vec![7u8; 400 * 1024]);

    refused(
        &app,
        vec![("big.png", big)],
        "big.png is larger than 1 MB, so nothing was sent",
    )
    .await;
    refused(
        &app,
        vec![
            ("one.png", medium.clone()),
            ("two.png", medium.clone()),
            ("three.png", medium),
        ],
        "The files together are larger than 1 MB",
    )
    .await;
    let six: Vec<(&str, Vec<u8>)> = ["1.jpg", "2.jpg", "3.jpg", "4.jpg", "5.jpg", "6.jpg"]
        .into_iter()
        .map(|n| (n, photo.clone()))
        .collect();
    refused(&app, six, "Too many files: at most 5 can be sent").await;
    refused(
        &app,
        vec![("notes.txt", b"plain text, not accepted".to_vec())],
        "notes.txt cannot be sent: only photos",
    )
    .await;
    refused(
        &app,
        vec![("setup.exe", b"MZ\x90\x00 a program".to_vec())],
        "setup.exe cannot be sent",
    )
    .await;
    refused(
        &app,
        vec![("IMG_0001.HEIC", heic())],
        "IMG_0001.HEIC is a HEIC photo",
    )
    .await;
    refused(
        &app,
        vec![("cut.jpg", photo[..photo.len() / 2].to_vec())],
        "cut.jpg could not be read: it may be damaged or incomplete",
    )
    .await;
    refused(
        &app,
        vec![("bomb.png", png_bomb())],
        "bomb.png unpacks to far more data than any real photo",
    )
    .await;
    let mut truncated_pdf = pdf_with_metadata();
    truncated_pdf.truncate(40);
    refused(
        &app,
        vec![("broken.pdf", truncated_pdf)],
        "broken.pdf could not be read",
    )
    .await;

    // Localized: the same refusal in Azerbaijani and Russian names the file too.
    for (lang, message) in [
        ("az", "«notes.txt» göndərilə bilməz"),
        ("ru", "Файл «notes.txt» отправить нельзя"),
    ] {
        let form = Form::new()
            .text("lang", lang)
            .text("description", DESCRIPTION)
            .part("attachment", file("notes.txt", b"text".to_vec()))
            .text("pow", app.pow().await);
        let response = app.post_multipart(form).await;
        assert_eq!(response.status(), 422);
        let html = text(response).await;
        assert!(html.contains(message), "{lang}: {html}");
    }

    assert!(
        app.metrics()
            .await
            .contains("xeberdar_report_tips_accepted_total 0"),
        "nothing refused was sealed or stored"
    );
    // Still serving, and a good photo still goes through.
    let response = app
        .post_multipart(tip_with(vec![("ok.jpg", photo)], app.pow().await))
        .await;
    assert_eq!(app.reference_from(response).await.code.len(), 14);
}

#[tokio::test]
async fn a_zip_bomb_dressed_as_a_word_document_is_refused() {
    let app = spawn_app_with(|_, _| {}).await;
    let bomb = docx_bomb();
    assert!(bomb.len() < 2 * 1024 * 1024, "{} bytes", bomb.len());
    refused(
        &app,
        vec![("report.docx", bomb)],
        "report.docx unpacks to far more data than any real photo or document",
    )
    .await;
}

#[tokio::test]
async fn an_upload_past_the_body_limit_gets_a_clear_page() {
    let app = spawn_app_with(|s, _| {
        s.attachments.max_file_bytes = 64 * 1024;
        s.attachments.max_total_bytes = 64 * 1024;
    })
    .await;
    // Far past four times the files' limit: refused before it is read.
    let huge = png(8, 8, &vec![1u8; 2 * 1024 * 1024]);
    let response = app
        .client
        .post(app.url("/report"))
        .header("accept-language", "en")
        .multipart(tip_with(vec![("huge.png", huge)], app.pow().await))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 413);
    let html = text(response).await;
    assert!(
        html.contains("The report or its files are too large to send"),
        "{html}"
    );
    assert!(html.contains("tel:152"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_with_files_wait_for_their_turn_and_all_arrive() {
    // One sealing turn, so four reading turns: six reports with files sent at once must
    // queue, never deadlock, and every one must be sealed.
    let app = spawn_app_with(|s, _| s.attachments.max_concurrent = 1).await;
    let scan = png(64, 64, &vec![7u8; 300 * 1024]);
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let form = tip_with(vec![("scan.png", scan.clone())], app.pow().await);
        let request = app.client.post(app.url("/report")).multipart(form);
        tasks.push(tokio::spawn(request.send()));
    }
    let mut codes = Vec::new();
    for task in tasks {
        let response = task.await.expect("the task").expect("answered");
        codes.push(app.reference_from(response).await.code);
    }
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 6, "six different reports");
}
