//! The search index of one language: plain JSON files under `search-index/<lang>/`, split
//! so that a query loads a few KB, not the whole index.
//!
//! - `meta.json`, read first: `{"v": 1, "n": pages, "rules": …, "k": [prefixes]}`, the
//!   stemming rules ([`super::Rules`] as JSON) and the word prefixes that have a chunk;
//! - `t/<prefix>.json`: `{"stem": [page, weight, page, weight, …]}` for the stems whose
//!   longest chunk prefix is `<prefix>`. A prefix grows a letter at a time while its chunk
//!   would pass [`CHUNK_BYTES`], so big sites get more, smaller chunks. File names spell the
//!   prefix's code points in base 36, joined by `-` (`_` for the empty prefix), so no file
//!   name depends on how a server encodes non-ASCII paths;
//! - `d/<page>.json`: `{"t": title, "u": path, "p": [[heading id, text], …]}`, the page's
//!   text (up to `truncate_content_length` characters) for the result's excerpt.
//!
//! A weight adds, for each time a word occurs, 8 in the title, 4 in a heading, 3 in the
//! description and 1 in the text.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use super::rules_for;
use super::text::{passages, words, Passage};
use crate::config::{Lang, SearchConfig};

/// Folder of the indexes in the output, one subfolder per language.
pub const INDEX_DIR: &str = "search-index";
/// Largest chunk, in bytes of JSON, before it is split by a longer prefix.
pub const CHUNK_BYTES: usize = 16 * 1024;
const MAX_WEIGHT: u32 = 9999;

/// A page or section to index.
#[derive(Debug, Clone)]
pub struct IndexDoc<'a> {
    pub title: &'a str,
    /// Site path (`/ru/signs/`): the result's link.
    pub path: &'a str,
    pub description: &'a str,
    pub headings: Vec<&'a str>,
    /// The rendered body.
    pub html: &'a str,
}

/// One file of the index, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    pub rel: String,
    pub body: String,
}

#[derive(Serialize)]
struct Meta<'a> {
    v: u32,
    n: usize,
    rules: &'a super::Rules,
    k: Vec<&'a str>,
}

#[derive(Serialize)]
struct DocFile<'a> {
    t: &'a str,
    u: &'a str,
    p: Vec<(&'a str, &'a str)>,
}

/// The file name of a chunk prefix (see the module doc).
pub fn chunk_name(prefix: &str) -> String {
    if prefix.is_empty() {
        return "_".to_string();
    }
    prefix
        .chars()
        .map(|c| radix36(c as u32))
        .collect::<Vec<_>>()
        .join("-")
}

fn radix36(mut n: u32) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Weighted words of one page, before stemming.
fn page_words(doc: &IndexDoc<'_>, lang: &Lang, search: &SearchConfig) -> HashMap<String, u32> {
    let rules = rules_for(lang);
    let mut out: HashMap<String, u32> = HashMap::new();
    let mut add = |text: &str, weight: u32| {
        for w in words(&rules.fold(text)) {
            let e = out.entry(w.to_string()).or_insert(0);
            *e = (*e + weight).min(MAX_WEIGHT);
        }
    };
    if search.include_title {
        add(doc.title, 8);
    }
    if search.include_headings {
        for h in &doc.headings {
            add(h, 4);
        }
    }
    if search.include_description {
        add(doc.description, 3);
    }
    if search.include_content {
        for p in passages(doc.html) {
            add(&p.text, 1);
        }
    }
    out
}

/// The first `limit` characters of a page's passages.
fn excerpt_source(all: Vec<Passage>, limit: usize) -> Vec<Passage> {
    let mut left = limit;
    let mut out = Vec::new();
    for mut p in all {
        if left == 0 {
            break;
        }
        let n = p.text.chars().count();
        if n > left {
            p.text = p.text.chars().take(left).collect();
            left = 0;
        } else {
            left -= n;
        }
        out.push(p);
    }
    out
}

/// Splits sorted `(stem, postings JSON)` pairs that share `prefix` (of `depth` characters)
/// into chunks of at most [`CHUNK_BYTES`] where a longer prefix allows it.
fn split<'a>(
    terms: &'a [(String, String)],
    prefix: String,
    depth: usize,
    out: &mut Vec<(String, &'a [(String, String)])>,
) {
    let size: usize = terms.iter().map(|(t, p)| t.len() + p.len() + 4).sum();
    if size <= CHUNK_BYTES || terms.iter().all(|(t, _)| t.chars().count() <= depth) {
        out.push((prefix, terms));
        return;
    }
    let exact = terms
        .iter()
        .take_while(|(t, _)| t.chars().count() == depth)
        .count();
    if exact > 0 {
        out.push((prefix, &terms[..exact]));
    }
    let mut rest = &terms[exact..];
    while let Some((first, _)) = rest.first() {
        let p: String = first.chars().take(depth + 1).collect();
        let n = rest.iter().take_while(|(t, _)| t.starts_with(&p)).count();
        split(&rest[..n], p, depth + 1, out);
        rest = &rest[n..];
    }
}

/// Every file of the index of `lang` for `docs` (in the order given: a page's number is its
/// place in `docs`).
pub fn build_index(lang: &Lang, docs: &[IndexDoc<'_>], search: &SearchConfig) -> Vec<IndexFile> {
    let rules = rules_for(lang);
    let dir = format!("{INDEX_DIR}/{lang}");
    let per_doc: Vec<HashMap<String, u32>> = docs
        .par_iter()
        .map(|d| page_words(d, lang, search))
        .collect();
    let mut vocabulary: Vec<&str> = per_doc
        .iter()
        .flat_map(|m| m.keys().map(String::as_str))
        .collect();
    vocabulary.sort_unstable();
    vocabulary.dedup();
    let stems: HashMap<&str, String> = vocabulary.par_iter().map(|w| (*w, rules.stem(w))).collect();
    let mut postings: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (id, words) in per_doc.iter().enumerate() {
        let mut by_stem: BTreeMap<&str, u32> = BTreeMap::new();
        for (w, weight) in words {
            let stem = stems.get(w.as_str()).map_or(w.as_str(), String::as_str);
            let e = by_stem.entry(stem).or_insert(0);
            *e = (*e + weight).min(MAX_WEIGHT);
        }
        for (stem, weight) in by_stem {
            let list = postings.entry(stem).or_default();
            list.push(id as u32);
            list.push(weight);
        }
    }
    let terms: Vec<(String, String)> = postings
        .into_iter()
        .map(|(t, p)| {
            let json = serde_json::to_string(&p).unwrap_or_else(|_| "[]".into());
            (t.to_string(), json)
        })
        .collect();
    let mut chunks = Vec::new();
    split(&terms, String::new(), 0, &mut chunks);

    let mut files = Vec::with_capacity(chunks.len() + docs.len() + 1);
    for (prefix, list) in &chunks {
        let mut body = String::from("{");
        for (i, (t, p)) in list.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(&serde_json::to_string(t).unwrap_or_default());
            body.push(':');
            body.push_str(p);
        }
        body.push('}');
        files.push(IndexFile {
            rel: format!("{dir}/t/{}.json", chunk_name(prefix)),
            body,
        });
    }
    let doc_files: Vec<IndexFile> = docs
        .par_iter()
        .enumerate()
        .map(|(id, d)| {
            let kept = excerpt_source(passages(d.html), search.truncate_content_length);
            let mut p: Vec<(&str, &str)> = Vec::new();
            if !d.description.is_empty() {
                p.push(("", d.description));
            }
            p.extend(kept.iter().map(|x| (x.anchor.as_str(), x.text.as_str())));
            let body = serde_json::to_string(&DocFile {
                t: d.title,
                u: d.path,
                p,
            })
            .unwrap_or_default();
            IndexFile {
                rel: format!("{dir}/d/{id}.json"),
                body,
            }
        })
        .collect();
    files.extend(doc_files);
    let meta = Meta {
        v: 1,
        n: docs.len(),
        rules,
        k: chunks.iter().map(|(p, _)| p.as_str()).collect(),
    };
    files.push(IndexFile {
        rel: format!("{dir}/meta.json"),
        body: serde_json::to_string(&meta).unwrap_or_default(),
    });
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(title: &'a str, path: &'a str, html: &'a str) -> IndexDoc<'a> {
        IndexDoc {
            title,
            path,
            description: "",
            headings: Vec::new(),
            html,
        }
    }

    fn chunk_of<'f>(files: &'f [IndexFile], lang: &str, term: &str) -> Option<&'f str> {
        let meta: serde_json::Value = serde_json::from_str(
            &files
                .iter()
                .find(|f| f.rel == format!("search-index/{lang}/meta.json"))?
                .body,
        )
        .ok()?;
        let key = meta["k"]
            .as_array()?
            .iter()
            .filter_map(|k| k.as_str())
            .filter(|k| term.starts_with(k))
            .max_by_key(|k| k.len())?
            .to_string();
        let rel = format!("search-index/{lang}/t/{}.json", chunk_name(&key));
        files.iter().find(|f| f.rel == rel).map(|f| f.body.as_str())
    }

    #[test]
    fn stems_are_indexed_and_found_through_meta() {
        let docs = vec![
            doc(
                "Pasport",
                "/pasport/",
                "<p>Pasportunuzu heç kimə verməyin.</p>",
            ),
            doc("Miqrantlar", "/miqrant/", "<p>Miqrantların hüquqları.</p>"),
        ];
        let files = build_index(&"az".parse().unwrap(), &docs, &SearchConfig::default());
        let chunk: serde_json::Value =
            serde_json::from_str(chunk_of(&files, "az", "pasport").unwrap()).unwrap();
        // title (8) + "pasportunuzu" in the text (1), both on page 0
        assert_eq!(chunk["pasport"], serde_json::json!([0, 9]));
        let chunk: serde_json::Value =
            serde_json::from_str(chunk_of(&files, "az", "miqrant").unwrap()).unwrap();
        assert_eq!(chunk["miqrant"], serde_json::json!([1, 9]));
        let d1 = files
            .iter()
            .find(|f| f.rel == "search-index/az/d/1.json")
            .unwrap();
        assert_eq!(
            d1.body,
            r#"{"t":"Miqrantlar","u":"/miqrant/","p":[["","Miqrantların hüquqları."]]}"#
        );
    }

    #[test]
    fn large_vocabularies_split_into_chunks_by_prefix() {
        let text: String = (0..6000)
            .map(|i| format!("w{}x{i} ", radix36(i * 7919)))
            .collect();
        let html = format!("<p>{text}</p>");
        let docs = vec![doc("t", "/", &html)];
        let files = build_index(&"en".parse().unwrap(), &docs, &SearchConfig::default());
        let chunks: Vec<&IndexFile> = files.iter().filter(|f| f.rel.contains("/t/")).collect();
        assert!(chunks.len() > 4, "{} chunks", chunks.len());
        for c in &chunks {
            assert!(
                c.body.len() <= CHUNK_BYTES + 64,
                "{} is {} bytes",
                c.rel,
                c.body.len()
            );
        }
        // every word is in the chunk its longest prefix names
        for i in [0u32, 17, 5999] {
            let w = format!("w{}x{i}", radix36(i * 7919));
            assert!(
                chunk_of(&files, "en", &w)
                    .unwrap()
                    .contains(&format!("\"{w}\"")),
                "{w}"
            );
        }
    }

    #[test]
    fn chunk_names_spell_code_points() {
        assert_eq!(chunk_name(""), "_");
        assert_eq!(chunk_name("pa"), "34-2p");
        assert_eq!(
            chunk_name("мі"),
            format!("{}-{}", radix36('м' as u32), radix36('і' as u32))
        );
    }
}
