//! Printing the hotline card page gives a cut-ready sheet of eight bank-card-sized cards of
//! the kind the reader chose — the discreet card (a neutral word and the number) unless they
//! chose the full one — without the site's header, on one A4 or Letter page. Checked in
//! Debian's Chromium with print media and real PDF output, in az, ru and en.

use serde_json::json;
use xeberdar_e2e::site_gates::{assert_no_failures, run_browser};
use xeberdar_e2e::static_site::build_and_serve;

#[test]
fn the_card_page_prints_a_sheet_of_the_chosen_card() {
    let site = build_and_serve(|_| {});
    for (lang, page) in [
        ("az", "/hotline-card/"),
        ("ru", "/ru/hotline-card/"),
        ("en", "/en/hotline-card/"),
    ] {
        let html = std::fs::read_to_string(
            site.public
                .join(page.trim_start_matches('/'))
                .join("index.html"),
        )
        .unwrap_or_else(|e| panic!("{lang}: {e}"));
        assert!(
            html.contains("id=\"cards-discreet\""),
            "{lang}: no discreet card"
        );
        assert!(
            html.contains("id=\"cards-standard\""),
            "{lang}: no full card"
        );
        assert!(
            html.contains("class=\"card-risk\""),
            "{lang}: the risk is not explained"
        );
    }
    let failures = run_browser(json!({
        "mode": "print-cards",
        "baseUrl": site.base_url(),
        "pages": ["/hotline-card/", "/ru/hotline-card/", "/en/hotline-card/"],
        "perSheet": 8,
    }));
    assert_no_failures("printed hotline cards", &failures);
}
