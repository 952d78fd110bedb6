//! A draft shows in the preview with a visible marker, so an editor never mistakes it for
//! a published page; published pages carry no marker.

use xeberdar_e2e::preview::Preview;

#[test]
fn a_draft_page_carries_a_draft_marker_in_the_preview() {
    let preview = Preview::start(
        |dir| {
            std::fs::write(
                dir.join("content/draft-test.md"),
                "+++\ntitle = \"Qaralama\"\ndescription = \"Hələ hazır deyil.\"\ndraft = true\n+++\nMətn.\n",
            )
            .expect("write the draft");
        },
        &["--no-report-endpoint"],
    );
    let (status, _, draft) = preview.get("/draft-test/");
    assert_eq!(
        status,
        200,
        "drafts are shown in the preview\n{}",
        preview.log()
    );
    assert!(
        draft.contains("<p class=\"draft-marker\" role=\"note\">Qaralama: yalnız önizləmədə görünür, dərc olunmur</p>"),
        "{draft}"
    );
    let (status, _, published) = preview.get("/hotline/");
    assert_eq!(status, 200);
    assert!(!published.contains("draft-marker"), "{published}");
    let css = std::fs::read_to_string(
        xeberdar_e2e::workspace_root().join("themes/xeberdar/static/style.css"),
    )
    .expect("style.css");
    assert!(
        css.contains(".draft-marker{"),
        "the marker is styled to stand out"
    );
}
