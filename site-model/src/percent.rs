//! Percent-decoding request paths: Azerbaijani and Cyrillic addresses arrive encoded.

/// Decodes `%XX` escapes; malformed ones stay as they are, and bytes that are not UTF-8
/// become U+FFFD, so any path a client sends decodes to some string.
pub fn decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_escapes_and_keeps_malformed_ones() {
        assert_eq!(decode("/az/%C9%99l%C9%99/"), "/az/ələ/");
        assert_eq!(decode("/100%"), "/100%");
        assert_eq!(decode("/a%2"), "/a%2");
        assert_eq!(decode("/a%zz"), "/a%zz");
        assert_eq!(decode("/%FF"), "/\u{fffd}");
    }
}
