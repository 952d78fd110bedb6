//! The browser must stem a query exactly as the build stemmed the index, or a typed word
//! misses its page. `search.js` runs the same rule tables as `xeberdar::search`; this test
//! runs it in Node on every word of the site's content (as written, capitals included) and
//! on hard cases, and compares each fold and stem with Rust's. Node is a test tool of the
//! suite (scripts/test.sh installs it); without it the test fails rather than skips.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use xeberdar::search::{rules_for, text::words};

const EXTRA: &[(&str, &str)] = &[
    ("az", "MİQRANTLARIN miqrantların Miqrantlar PASPORTUNUZU pasportunuzu İŞ IŞIQ QADIN vizanı dənizdə uşağı xaricdəki alverinin"),
    ("ru", "МИГРАНТОВ мигрантов Ёлка ОСВЕДОМЛЁН прочитавшись красивейшая организованный возможностей"),
    ("en", "Passports COUNTRIES trafficking worked Glass status İstanbul"),
];

fn raw_words(lang: &str) -> Vec<String> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let mut out = BTreeSet::new();
    let mut add = |text: &str| {
        for w in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            out.insert(w.to_string());
        }
    };
    for entry in walkdir::WalkDir::new(&content).into_iter().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".md") else {
            continue;
        };
        let file_lang = match stem.rsplit_once('.') {
            Some((_, l)) if l.len() == 2 => l,
            _ => "az",
        };
        if file_lang == lang {
            add(&std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
    }
    for (l, text) in EXTRA {
        if *l == lang {
            add(text);
        }
    }
    out.into_iter().collect()
}

#[test]
fn search_js_folds_and_stems_every_word_as_the_build_does() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes/xeberdar/static/search.js");
    let mut total = 0;
    for lang in ["az", "ru", "en"] {
        let rules = rules_for(lang);
        let list = raw_words(lang);
        assert!(
            list.len() > 300,
            "only {} {lang} words found in content/",
            list.len()
        );
        let expected: Vec<String> = list
            .iter()
            .map(|w| {
                let folded = rules.fold(w);
                let stems: Vec<String> = words(&folded).map(|x| rules.stem(x)).collect();
                stems.join(" ")
            })
            .collect();
        let job = serde_json::json!({ "rules": rules, "words": list, "expected": expected });
        let dir = tempfile::tempdir().expect("temporary folder");
        let job_path = dir.path().join("job.json");
        std::fs::write(&job_path, job.to_string()).expect("write job");
        let program = r#"
            const machine = require(process.argv[1]);
            const job = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
            const m = machine(job.rules);
            const W = /[\p{Alphabetic}\p{N}]+/gu;
            const differ = [];
            job.words.forEach((w, i) => {
              const got = (m.fold(w).match(W) || []).map(m.stem).join(" ");
              if (got !== job.expected[i]) differ.push(`${w}: search.js ${got}, Rust ${job.expected[i]}`);
            });
            console.log(JSON.stringify(differ));
        "#;
        let out = Command::new(std::env::var("XEBERDAR_NODE").unwrap_or_else(|_| "node".into()))
            .arg("-e")
            .arg(program)
            .arg(&script)
            .arg(&job_path)
            .output()
            .expect("run node (install Node.js or set XEBERDAR_NODE)");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "node failed: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let differ: Vec<String> = serde_json::from_str(stdout.trim()).expect("node's answer");
        assert!(
            differ.is_empty(),
            "{lang}: {} of {} words differ:\n{}",
            differ.len(),
            list.len(),
            differ.join("\n")
        );
        total += list.len();
    }
    assert!(total > 1000, "{total} words compared");
}
