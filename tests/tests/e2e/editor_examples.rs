//! Every example an editor is shown must work as written on the project's own site: each
//! command of the editors' guide (`docs/editors/*.md`, its `sh` blocks) and each
//! `xeberdar …` example in the program's `--help` pages runs, in order, on a fresh copy of
//! the real site and succeeds.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use xeberdar_e2e::static_site::copy_of_site;
use xeberdar_e2e::{binary, workspace_root};

/// What the guide says `xeberdar` is short for.
const CARGO_RUN: &str = "cargo run --release -p xeberdar --";

/// The commands of a Markdown file's ```sh blocks, one per line, comments left out.
fn sh_commands(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in markdown.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_sh = !in_sh && trimmed == "```sh";
            continue;
        }
        if in_sh && !trimmed.is_empty() && !trimmed.starts_with('#') {
            out.push(trimmed.to_string());
        }
    }
    out
}

/// Runs one example in `site`; `serve` is started on a free port, asked for the home page
/// and stopped.
fn run_example(site: &Path, command: &str) {
    let args_text = command
        .strip_prefix(CARGO_RUN)
        .or_else(|| command.strip_prefix("xeberdar"))
        .unwrap_or_else(|| panic!("not a xeberdar command: {command}"));
    let args: Vec<&str> = args_text.split_whitespace().collect();
    if args.last() == Some(&"serve") {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let mut child = Command::new(binary("xeberdar"))
            .args(&args)
            .args(["--port", &port.to_string(), "--no-report-endpoint"])
            .current_dir(site)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start serve");
        let started = Instant::now();
        let mut answered = false;
        while started.elapsed() < Duration::from_secs(90) {
            if let Some(status) = child.try_wait().expect("poll serve") {
                panic!("`{command}` exited with {status}");
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                answered = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        assert!(answered, "`{command}` never started listening");
        return;
    }
    let output = Command::new(binary("xeberdar"))
        .args(&args)
        .current_dir(site)
        .output()
        .expect("run xeberdar");
    assert!(
        output.status.success(),
        "`{command}` failed in a copy of the site:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_command_in_the_editors_guide_works_on_the_real_site() {
    for lang in ["az", "ru", "en"] {
        let path = workspace_root().join(format!("docs/editors/{lang}.md"));
        let guide = std::fs::read_to_string(&path).expect("read the guide");
        let commands = sh_commands(&guide);
        assert!(
            commands.iter().any(|c| c.contains("new section"))
                && commands.iter().any(|c| c.contains("new page")),
            "{}: the guide shows how to add a section and a page: {commands:?}",
            path.display()
        );
        let site = copy_of_site();
        for command in &commands {
            run_example(site.path(), command);
        }
        // What the guide says the page example creates.
        for file in ["content/news/_index.md", "content/news/first-post.ru.md"] {
            assert!(site.path().join(file).is_file(), "{lang}: no {file}");
        }
    }
}

fn help(args: &[&str]) -> String {
    let output = Command::new(binary("xeberdar"))
        .args(args)
        .arg("--help")
        .output()
        .expect("run xeberdar --help");
    assert!(output.status.success(), "{args:?} --help failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Subcommand names listed under "Commands:" of a help page.
fn subcommands(help_text: &str) -> Vec<String> {
    help_text
        .split("Commands:\n")
        .nth(1)
        .map(|list| {
            list.lines()
                .take_while(|l| l.starts_with("  "))
                .filter_map(|l| l.split_whitespace().next())
                .filter(|name| *name != "help")
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_example_in_the_help_pages_works_on_the_real_site() {
    let mut pages = vec![help(&[])];
    let mut queue: Vec<Vec<String>> = subcommands(&pages[0])
        .into_iter()
        .map(|c| vec![c])
        .collect();
    while let Some(path) = queue.pop() {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let text = help(&args);
        for sub in subcommands(&text) {
            let mut deeper = path.clone();
            deeper.push(sub);
            queue.push(deeper);
        }
        pages.push(text);
    }
    let mut examples: Vec<String> = Vec::new();
    for page in &pages {
        for (i, span) in page.split('`').enumerate() {
            let span = span.trim().trim_end_matches(['.', ',']);
            if i % 2 == 1 && span.starts_with("xeberdar ") && !examples.iter().any(|e| e == span) {
                examples.push(span.to_string());
            }
        }
    }
    for wanted in ["xeberdar new section", "xeberdar new page", "xeberdar init"] {
        assert!(
            examples.iter().any(|e| e.starts_with(wanted)),
            "the help shows `{wanted} …`: {examples:?}"
        );
    }
    // Sections before the pages that go into them, as a reader would run them.
    examples.sort_by_key(|e| !e.starts_with("xeberdar new section"));
    let site = copy_of_site();
    for example in &examples {
        run_example(site.path(), example);
    }
}
