//! Escaping text for HTML and XML: the pages, the sitemap and the editor's reports all put
//! titles and URLs between quotes or tags, and one rule keeps them from breaking markup.

/// `&`, `<`, `>`, `"` and `'` as entities: safe in element text and in either kind of
/// quoted attribute, in HTML and in XML alike.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::html(r#"a & b <i> "c" 'd' ə"#),
            "a &amp; b &lt;i&gt; &quot;c&quot; &#39;d&#39; ə"
        );
        assert_eq!(super::html("https://e.org/a?b=1"), "https://e.org/a?b=1");
    }
}
