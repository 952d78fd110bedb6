//! The form: errors re-render it in the visitor's language with everything typed kept;
//! a valid tip answers 303 to a one-time "received" page with the reference code.

use crate::web_common;

use web_common::{contains_with_url, header, reference_code_in, spawn_app, spawn_app_with, text};

/// (lang, "required" message, "too long" message fragment, form title)
const LANGS: [(&str, &str, &str, &str); 3] = [
    (
        "az",
        "Bu xananı doldurun.",
        "ən çox 200 simvol",
        "Adınızı demədən məlumat göndərin",
    ),
    (
        "ru",
        "Заполните это поле.",
        "не больше 200 знаков",
        "Сообщить о торговле людьми, не называя себя",
    ),
    (
        "en",
        "Please fill in this field.",
        "at most 200 characters",
        "Send a report without giving your name",
    ),
];

#[tokio::test]
async fn invalid_tips_come_back_with_messages_and_every_value_kept_in_each_language() {
    let app = spawn_app().await;
    for (lang, required, too_long, title) in LANGS {
        let long_city = "ş".repeat(201);
        let response = app
            .post_form(&[
                ("lang", lang),
                ("kind", "forced_labour"),
                ("country", "Türkiyə"),
                ("city", &long_city),
                ("when", "keçən həftə"),
                ("description", "   "),
                ("involved", "Ağ \"Mercedes\" <b>10-AA-123</b>"),
                ("contact", "telegram @someone"),
            ])
            .await;
        assert_eq!(response.status(), 422, "{lang}");
        let ct = header(&response, "content-type");
        assert!(ct.starts_with("text/html"), "{lang}: {ct}");
        assert_eq!(header(&response, "cache-control"), "no-store");
        let html = text(response).await;
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
        assert!(html.contains(title), "{lang}: title");
        assert!(html.contains(required), "{lang}: required message");
        assert!(html.contains(too_long), "{lang}: too-long message");
        assert!(html.contains("id=\"report-description-error\""), "{lang}");
        assert!(html.contains("id=\"report-city-error\""), "{lang}");
        // Everything typed comes back, escaped.
        assert!(html.contains(&long_city), "{lang}: city kept");
        assert!(html.contains("value=\"Türkiyə\""), "{lang}");
        assert!(html.contains("value=\"keçən həftə\""), "{lang}");
        assert!(html.contains("value=\"telegram @someone\""), "{lang}");
        assert!(
            html.contains("Ağ &quot;Mercedes&quot; &lt;b&gt;10-AA-123&lt;&#x2F;b&gt;"),
            "{lang}: involved kept and escaped"
        );
        assert!(
            html.contains("<option value=\"forced_labour\" selected>"),
            "{lang}"
        );
        assert!(!html.contains("<b>10-AA-123"), "{lang}: no injected markup");
    }
}

#[tokio::test]
async fn an_unknown_kind_and_an_unknown_language_still_get_a_page() {
    let app = spawn_app().await;
    let html = app
        .post_form_expecting(
            422,
            &[
                ("lang", "xx"),
                ("kind", "nonsense"),
                ("description", "text"),
            ],
        )
        .await;
    // The site's default language (az).
    assert!(html.contains("<html lang=\"az\""));
    assert!(html.contains("Siyahıdakı variantlardan birini seçin."));
    assert!(html.contains(">text</textarea>"));
}

#[tokio::test]
async fn a_valid_tip_redirects_to_a_one_time_neutral_received_page() {
    let app = spawn_app().await;
    let pow = app.pow().await;
    let response = app
        .post_form(&[
            ("lang", "ru"),
            ("kind", "suspicious_offer"),
            (
                "description",
                "Предлагают работу в Дубае, забирают паспорт.",
            ),
            ("pow", &pow),
        ])
        .await;
    assert!(response.headers().get("set-cookie").is_none());
    // The 303, the 200 and a reference code on the page are checked here.
    let receipt = app.reference_from(response).await;
    let token = receipt
        .location
        .strip_prefix("/report/r/")
        .expect("neutral URL");
    assert_eq!(token.len(), 32);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(receipt.cache_control, "no-store");
    let html = &receipt.html;
    assert!(html.contains("Ваше сообщение получено"));
    // A neutral title: the site's name, nothing about a report.
    assert!(html.contains("<title>Xəbərdar</title>"), "{html}");
    // Shown once: the second visit shows no code.
    let again = app.get(&receipt.location).await;
    assert_eq!(again.status(), 404);
    let html = text(again).await;
    assert!(!html.contains(&receipt.code));
    assert!(reference_code_in(&html).is_none());
}

#[tokio::test]
async fn multipart_forms_are_accepted() {
    let app = spawn_app().await;
    let pow = app.pow().await;
    let form = reqwest::multipart::Form::new()
        .text("lang", "en")
        .text("kind", "child_trafficking")
        .text("city", "Bakı")
        .text(
            "description",
            "Children begging at the station every night.",
        )
        .text("pow", pow);
    let response = app.post_multipart(form).await;
    assert_eq!(app.reference_from(response).await.code.len(), 14);

    // And multipart errors come back as a page too.
    let form = reqwest::multipart::Form::new()
        .text("lang", "en")
        .text("contact", "kept value");
    let response = app.post_multipart(form).await;
    assert_eq!(response.status(), 422);
    assert!(text(response).await.contains("value=\"kept value\""));
}

#[tokio::test]
async fn oversized_and_unreadable_bodies_get_a_localized_page_not_json() {
    let app = spawn_app_with(|s, _| s.application.body_limit_bytes = 32 * 1024).await;
    let big = "a".repeat(40 * 1024);
    let response = app
        .post_form_in("en", &[("lang", "en"), ("description", big.as_str())])
        .await;
    assert_eq!(response.status(), 413);
    assert!(header(&response, "content-type").starts_with("text/html"));
    let html = text(response).await;
    assert!(
        html.contains("The report or its files are too large to send"),
        "{html}"
    );
    assert!(html.contains("tel:152"));

    let response = app
        .client
        .post(app.url("/report"))
        .header("content-type", "application/json")
        .header("accept-language", "ru")
        .body("{\"description\":\"x\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    let html = text(response).await;
    assert!(html.contains("Не удалось прочитать форму"), "{html}");
}

#[tokio::test]
async fn a_description_of_ten_thousand_characters_is_accepted_and_one_more_is_not() {
    let app = spawn_app().await;
    let exact = "я".repeat(10_000);
    let pow = app.pow().await;
    let ok = app
        .post_form(&[
            ("lang", "ru"),
            ("description", exact.as_str()),
            ("pow", pow.as_str()),
        ])
        .await;
    assert_eq!(ok.status(), 303);
    let over = "я".repeat(10_001);
    let html = app
        .post_form_expecting(422, &[("lang", "ru"), ("description", over.as_str())])
        .await;
    assert!(
        html.contains("не больше 10000 знаков") || html.contains("не больше 10 000 знаков"),
        "message"
    );
    assert!(html.contains(&over), "the text is kept to be shortened");
}

#[tokio::test]
async fn the_form_page_health_and_solver_script() {
    let app = spawn_app().await;
    let form = app.get("/report/form?lang=en").await;
    assert_eq!(form.status(), 200);
    assert_eq!(header(&form, "cache-control"), "no-store");
    let html = text(form).await;
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("name=\"description\""));
    assert!(contains_with_url(
        &html,
        "data-pow-challenge=\"",
        "/report/challenge",
        "\""
    ));
    assert!(contains_with_url(
        &html,
        "<script src=\"",
        "/report/pow.js",
        "\" defer>"
    ));
    assert!(html.contains("type the number of the hotline: 152"));
    let ru = text(app.get_in("ru-RU,ru;q=0.9", "/report/form").await).await;
    assert!(ru.contains("<html lang=\"ru\""));

    assert_eq!(app.get("/report/health").await.status(), 200);
    let js = app.get("/report/pow.js").await;
    assert_eq!(js.status(), 200);
    assert!(header(&js, "content-type").starts_with("text/javascript"));
    let body = text(js).await;
    assert!(
        body.len() <= 2048,
        "pow.js must stay small: {} bytes",
        body.len()
    );
    assert!(body.contains("crypto.subtle.digest"));

    let counters = app.metrics().await;
    assert!(
        counters.contains("xeberdar_report_tips_accepted_total 0"),
        "{counters}"
    );
}

/// A file that cannot be read is refused, never dropped in silence: the tipster sees why,
/// in their language and naming the file, with everything they typed still in the form, and
/// nothing is stored or sent.
#[tokio::test]
async fn a_file_that_cannot_be_read_is_refused_and_keeps_the_typed_text() {
    let app = spawn_app().await;
    for (lang, message) in [
        ("az", "«passport.jpg» oxunmadı"),
        ("ru", "Файл «passport.jpg» не удалось прочитать"),
        ("en", "passport.jpg could not be read"),
    ] {
        let description = format!("{lang}: pasportları alıblar — паспорта забрали");
        let form = reqwest::multipart::Form::new()
            .text("lang", lang)
            .text("kind", "forced_labour")
            .text("city", "Gəncə")
            .text("description", description.clone())
            .part(
                "photo",
                reqwest::multipart::Part::bytes(b"\xff\xd8\xff\xe0 not really a JPEG".to_vec())
                    .file_name("passport.jpg")
                    .mime_str("image/jpeg")
                    .expect("mime"),
            )
            .text("contact", "kept contact")
            .text("pow", app.pow().await);
        let response = app.post_multipart(form).await;
        assert_eq!(response.status(), 422, "{lang}");
        let html = text(response).await;
        assert!(html.contains(message), "{lang}: {html}");
        assert!(html.contains("id=\"report-attachment-error\""), "{lang}");
        assert!(
            html.contains(&description),
            "{lang}: the description is kept"
        );
        assert!(html.contains("value=\"Gəncə\""), "{lang}: the city is kept");
        assert!(
            html.contains("value=\"kept contact\""),
            "{lang}: fields after the file are kept"
        );
        assert!(html.contains("value=\"forced_labour\" selected"), "{lang}");
    }
    // A named file with no content is a file too; an empty file input (no name, no
    // content), as browsers send it when nothing was chosen, is not.
    let named_empty = reqwest::multipart::Form::new()
        .text("lang", "en")
        .text("description", "An empty but named file")
        .part(
            "photo",
            reqwest::multipart::Part::bytes(Vec::new()).file_name("empty.png"),
        )
        .text("pow", app.pow().await);
    assert_eq!(app.post_multipart(named_empty).await.status(), 422);
    assert!(
        app.metrics()
            .await
            .contains("xeberdar_report_tips_accepted_total 0"),
        "nothing was sealed or stored"
    );
    let no_file_chosen = reqwest::multipart::Form::new()
        .text("lang", "en")
        .text("description", "No file was chosen")
        .part(
            "photo",
            reqwest::multipart::Part::bytes(Vec::new())
                .file_name("")
                .mime_str("application/octet-stream")
                .expect("mime"),
        )
        .text("pow", app.pow().await);
    let response = app.post_multipart(no_file_chosen).await;
    assert_eq!(app.reference_from(response).await.code.len(), 14);
}
