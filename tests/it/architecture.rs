//! ARCHITECTURE.md's invariants about who imports whom, held against the source itself: the
//! domain reaches nothing of the shell and no machine, and no file imports a file that imports
//! it back. A path counts wherever it is written: in a `use`, or in place in the code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::support::root;

/// A module's path from the crate's root: `src/domain/field/mod.rs` is `domain::field`.
type Module = Vec<String>;

/// What the domain may use of the crate outside itself: sharing a slice out over the cores.
const DOMAIN_MAY_USE: [&str; 1] = ["cores"];

/// What the domain never names: storage, the command line, async, the terminal, files, clocks.
const DOMAIN_NEVER_NAMES: [&[&str]; 7] = [
    &["rusqlite"],
    &["clap"],
    &["tokio"],
    &["ratatui"],
    &["crossterm"],
    &["std", "fs"],
    &["std", "time"],
];

struct Source {
    file: String,
    module: Module,
    /// The paths it names: each a list of segments as written (`super`, `crate`, ...).
    paths: Vec<Vec<String>>,
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    let sources = sources();
    let graph = imports(&sources);
    let mut circles = Vec::new();
    for (a, uses) in &graph {
        for b in uses {
            if a < b && graph.get(b).is_some_and(|back| back.contains(a)) {
                circles.push(format!("{} <-> {}", a.join("::"), b.join("::")));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "files that import each other: {circles:#?}"
    );
    // The check sees what it should: the engine imports the domain, for one.
    let engine = graph
        .get(&module("engine"))
        .expect("the engine is a module");
    assert!(
        engine
            .iter()
            .any(|m| m.first().is_some_and(|s| s == "domain"))
    );
}

#[test]
fn the_domain_imports_nothing_of_the_shell_and_reaches_no_machine() {
    let sources = sources();
    let known: BTreeSet<Module> = sources.iter().map(|s| s.module.clone()).collect();
    let mut found = Vec::new();
    for source in sources
        .iter()
        .filter(|s| s.module.first().is_some_and(|m| m == "domain"))
    {
        for path in &source.paths {
            if let Some(never) = DOMAIN_NEVER_NAMES.iter().find(|never| {
                path.iter()
                    .zip(never.iter())
                    .filter(|(a, b)| a == *b)
                    .count()
                    == never.len()
            }) {
                found.push(format!("{} names {}", source.file, never.join("::")));
            }
            let Some(target) = resolve(&source.module, path, &known) else {
                continue;
            };
            let inside = target[0] == "domain" || DOMAIN_MAY_USE.contains(&target[0].as_str());
            if !inside {
                found.push(format!("{} imports {}", source.file, target.join("::")));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

fn module(path: &str) -> Module {
    path.split("::").map(str::to_owned).collect()
}

/// Every file of the crate with the paths it names.
fn sources() -> Vec<Source> {
    let src = root().join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files
        .into_iter()
        .map(|file| {
            let relative = file.strip_prefix(&src).unwrap().with_extension("");
            let mut module: Module = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            let text = std::fs::read_to_string(&file).unwrap();
            Source {
                file: relative.display().to_string(),
                paths: paths(&text),
                module,
            }
        })
        .collect()
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The modules of the crate each file imports, by the module it is.
fn imports(sources: &[Source]) -> BTreeMap<Module, BTreeSet<Module>> {
    let known: BTreeSet<Module> = sources.iter().map(|s| s.module.clone()).collect();
    sources
        .iter()
        .map(|s| {
            let uses = s
                .paths
                .iter()
                .filter_map(|p| resolve(&s.module, p, &known))
                .filter(|m| *m != s.module)
                .collect();
            (s.module.clone(), uses)
        })
        .collect()
}

/// The module of the crate `path`, written in `module`, lands in: the longest known prefix of
/// where it leads (a path to a type lands in the type's module). None for a path outside the
/// crate, or to its root.
fn resolve(module: &Module, path: &[String], known: &BTreeSet<Module>) -> Option<Module> {
    let mut full: Module = match path.first().map(String::as_str) {
        Some("crate") => path[1..].to_vec(),
        Some("self") => module.iter().chain(&path[1..]).cloned().collect(),
        Some("super") => {
            let supers = path.iter().take_while(|s| *s == "super").count();
            let mut base = module.clone();
            base.truncate(module.len().saturating_sub(supers));
            base.into_iter()
                .chain(path[supers..].iter().cloned())
                .collect()
        }
        // A child module named without `self::`.
        Some(_) => {
            let child: Module = module.iter().chain(path.iter().take(1)).cloned().collect();
            if !known.contains(&child) {
                return None;
            }
            module.iter().chain(path).cloned().collect()
        }
        None => return None,
    };
    while !full.is_empty() && !known.contains(&full) {
        full.pop();
    }
    (!full.is_empty()).then_some(full)
}

/// Every path of two or more segments `text` writes, comments and inline test modules aside
/// (their `super` is the file itself), with `use` trees spread out into one path a leaf.
fn paths(text: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect();
    let inline_tests = lines.windows(2).position(|w| {
        w[0].trim() == "#[cfg(test)]"
            && w[1].trim_start().starts_with("mod ")
            && w[1].ends_with('{')
    });
    let code = lines[..inline_tests.unwrap_or(lines.len())].join("\n");
    let mut found = Vec::new();
    let mut rest = String::new();
    let mut at = 0;
    while let Some(start) = next_use(&code, at) {
        rest.push_str(&code[at..start]);
        let end = code[start..].find(';').map_or(code.len(), |n| start + n);
        spread(&tidy(&code[start + 4..end]), &mut Vec::new(), &mut found);
        at = (end + 1).min(code.len());
    }
    rest.push_str(&code[at..]);
    found.extend(chains(&rest));
    found
}

/// Where the next `use` declaration from `from` begins.
fn next_use(code: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(n) = code[at..].find("use ") {
        let start = at + n;
        let before = code[..start].chars().next_back();
        if before.is_none_or(|c| c.is_whitespace() || c == ')' || c == '{' || c == ';') {
            return Some(start);
        }
        at = start + 4;
    }
    None
}

/// A `use` tree with no whitespace but the one space around each `as`.
fn tidy(tree: &str) -> String {
    let words: Vec<&str> = tree.split_whitespace().collect();
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        let spaced = *w == "as" || words.get(i.wrapping_sub(1)) == Some(&"as");
        if i > 0 && spaced {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// A `use` tree (tidied) spread into its leaves, each prefixed with `prefix`.
fn spread(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let Some(brace) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree);
        let segments = path
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        out.push(prefix.iter().cloned().chain(segments).collect());
        return;
    };
    let head: Vec<String> = tree[..brace]
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let inner = &tree[brace + 1..];
    let inner = &inner[..inner.rfind('}').unwrap_or(inner.len())];
    let depth_before = prefix.len();
    prefix.extend(head);
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                spread(&inner[start..i], prefix, out);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < inner.len() {
        spread(&inner[start..], prefix, out);
    }
    prefix.truncate(depth_before);
}

/// Paths written in place: `a::b::c` chains of identifiers.
fn chains(code: &str) -> Vec<Vec<String>> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let bytes: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = word(bytes[i]) && (i == 0 || !(word(bytes[i - 1]) || bytes[i - 1] == ':'));
        if !starts {
            i += 1;
            continue;
        }
        let mut segments = Vec::new();
        loop {
            let begin = i;
            while i < bytes.len() && word(bytes[i]) {
                i += 1;
            }
            segments.push(bytes[begin..i].iter().collect::<String>());
            let more =
                i + 2 < bytes.len() && bytes[i] == ':' && bytes[i + 1] == ':' && word(bytes[i + 2]);
            if !more {
                break;
            }
            i += 2;
        }
        if segments.len() > 1 {
            out.push(segments);
        }
    }
    out
}
