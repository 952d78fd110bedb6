//! Plain text out of rendered pages, and words out of text.

/// Words of already folded text: runs of letters and digits (what `search.js` splits on,
/// `/[\p{Alphabetic}\p{N}]+/u`).
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// A block of a page's text (a paragraph, list item, heading, table cell) and the id of the
/// heading above it, so a result can link straight to that part of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub anchor: String,
    pub text: String,
}

/// Tags that end a block of text.
const BLOCKS: &[&str] = &[
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "dt",
    "dd",
    "blockquote",
    "div",
    "br",
    "tr",
    "figcaption",
    "pre",
    "section",
    "table",
    "ul",
    "ol",
    "dl",
    "summary",
    "details",
    "figure",
    "aside",
    "nav",
    "header",
    "footer",
];

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// The value of attribute `name` in a tag's inside (`h2 id="a"`).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}="))? + name.len() + 2;
    let rest = &tag[at..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        rest[1..].split(quote).next()
    } else {
        rest.split([' ', '>']).next()
    }
}

/// The text of an HTML fragment (a rendered Markdown body), split into passages at block
/// tags. Scripts, styles and comments are dropped; entities are decoded; runs of
/// whitespace become one space.
pub fn passages(html: &str) -> Vec<Passage> {
    let mut out = Vec::new();
    let mut anchor = String::new();
    let mut current = String::new();
    let mut skip_until: Option<&str> = None;
    let mut rest = html;
    let flush = |current: &mut String, anchor: &str, out: &mut Vec<Passage>| {
        let text = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            out.push(Passage {
                anchor: anchor.to_string(),
                text,
            });
        }
        current.clear();
    };
    while !rest.is_empty() {
        if let Some(end) = skip_until {
            match rest.find(end) {
                Some(i) => rest = &rest[i + end.len()..],
                None => break,
            }
            skip_until = None;
            continue;
        }
        match rest.find(['<', '&']) {
            None => {
                current.push_str(rest);
                break;
            }
            Some(i) => {
                current.push_str(&rest[..i]);
                rest = &rest[i..];
            }
        }
        if let Some(after) = rest.strip_prefix('&') {
            let name_end = after.find(';').filter(|&n| n <= 10);
            match name_end.and_then(|n| decode_entity(&after[..n]).map(|c| (n, c))) {
                Some((n, c)) => {
                    current.push(c);
                    rest = &after[n + 1..];
                }
                None => {
                    current.push('&');
                    rest = after;
                }
            }
            continue;
        }
        if rest.starts_with("<!--") {
            skip_until = Some("-->");
            continue;
        }
        let Some(close) = rest.find('>') else {
            break;
        };
        let tag = &rest[1..close];
        rest = &rest[close + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !closing && (name == "script" || name == "style") {
            skip_until = Some(if name == "script" {
                "</script>"
            } else {
                "</style>"
            });
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            flush(&mut current, &anchor, &mut out);
            let heading = name.len() == 2 && name.starts_with('h') && name != "hr";
            if heading && !closing {
                if let Some(id) = attr(tag, "id") {
                    anchor = id.to_string();
                }
            }
        } else {
            // An inline tag between two words must not glue them together.
            if name == "img" || name == "hr" {
                current.push(' ');
            }
        }
    }
    flush(&mut current, &anchor, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_blocks_keeps_anchors_and_decodes() {
        let html = "<p>Call <strong>152</strong> &amp; ask.</p><!-- x --><h2 id=\"viza\">Viza</h2>\
                    <ul><li>One&#8217;s</li><li>Two</li></ul><script>var a;</script><p>End</p>";
        let p = passages(html);
        let got: Vec<(&str, &str)> = p
            .iter()
            .map(|p| (p.anchor.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("", "Call 152 & ask."),
                ("viza", "Viza"),
                ("viza", "One\u{2019}s"),
                ("viza", "Two"),
                ("viza", "End"),
            ]
        );
    }

    #[test]
    fn words_are_letter_and_digit_runs() {
        let w: Vec<&str> = words("iş təklifi, 152-yə «виза»").collect();
        assert_eq!(w, vec!["iş", "təklifi", "152", "yə", "виза"]);
    }
}
