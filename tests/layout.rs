#![cfg(not(target_arch = "wasm32"))]
//! The house rules a newcomer relies on, checked on the source text:
//! - the modules under `src/` import each other without cycles (tests aside);
//! - only `train/` implements `Trainer`;
//! - no source file of the crate or the page grows past ~400 lines (tests aside);
//! - the page never reads an error's meaning out of its message text;
//! - on the page side of `www/`, only the run controller speaks to a worker;
//! - a named setting's key is mapped to its config path only in the catalog.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const MAX_LINES: usize = 420;

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(ROOT).join(dir), ext, &mut out);
    out.sort();
    out
}

/// The crate's top-level module a file under `src/` belongs to (`None` for the binary).
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix(Path::new(ROOT).join("src")).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    match first.as_str() {
        "bin" | "lib.rs" => None,
        f => Some(f.trim_end_matches(".rs").to_string()),
    }
}

/// The source without its unit-test module (tests may import what the code may not).
fn without_tests(text: &str) -> &str {
    text.find("\nmod tests {").map_or(text, |i| &text[..i])
}

#[test]
fn src_modules_import_each_other_without_cycles() {
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in files("src", "rs") {
        let Some(module) = module_of(&path) else {
            continue;
        };
        if path.file_name().unwrap() == "tests.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let edges = deps.entry(module.clone()).or_default();
        for (i, _) in without_tests(&text).match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            // `crate::{a, b}` groups are not used in this crate; a lone `crate::Name` is a
            // re-export from lib.rs, which is not a module.
            if !name.is_empty() && name != module && name.chars().next().unwrap().is_lowercase() {
                edges.insert(name);
            }
        }
    }
    // Depth-first search for a cycle, reporting its path.
    fn visit(
        m: &str,
        deps: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(m) {
            return;
        }
        if let Some(at) = stack.iter().position(|s| s == m) {
            panic!("import cycle: {} -> {m}", stack[at..].join(" -> "));
        }
        stack.push(m.to_string());
        for d in deps.get(m).into_iter().flatten() {
            visit(d, deps, stack, done);
        }
        stack.pop();
        done.insert(m.to_string());
    }
    let mut done = BTreeSet::new();
    for m in deps.keys() {
        visit(m, &deps, &mut Vec::new(), &mut done);
    }
    // The leaves stay leaves.
    assert_eq!(deps["check"], BTreeSet::new(), "check imports nothing");
    assert!(deps.len() >= 14, "{deps:?}");
}

#[test]
fn only_train_implements_trainer() {
    for path in files("src", "rs") {
        let text = std::fs::read_to_string(&path).unwrap();
        // The trainer's own module: train/mod.rs, and its parts (the host's half of a step,
        // the recorded and replayed step).
        if path.parent().is_some_and(|p| p.ends_with("src/train")) {
            continue;
        }
        assert!(
            !text.contains("impl Trainer"),
            "{} implements Trainer: put questions in probe.rs, evaluation in eval/",
            path.display()
        );
    }
}

#[test]
fn no_source_file_passes_about_400_lines() {
    let mut all = files("src", "rs");
    all.extend(files("www", "js"));
    for path in all {
        if path.file_name().unwrap() == "tests.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let lines = without_tests(&text).lines().count();
        assert!(
            lines <= MAX_LINES,
            "{} has {lines} lines (tests aside): split it by job",
            path.display()
        );
    }
}

#[test]
fn the_page_never_parses_error_messages() {
    for path in files("www", "js") {
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let regex_on_text = line.contains(".message")
                && (line.contains(".exec(") || line.contains(".test(") || line.contains(".match("));
            assert!(
                !regex_on_text && !line.contains("/^invalid"),
                "{}:{}: switch on the error's kind and field, not its message: {line}",
                path.display(),
                n + 1
            );
        }
    }
}

/// The relative imports of a JS file (static `import … from './x.js'`, `import './x.js'` and
/// `import('./x.js')`), resolved to paths.
fn js_imports(path: &Path) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    for quote in ['\'', '"'] {
        for (i, _) in text
            .match_indices(&format!("{quote}./"))
            .chain(text.match_indices(&format!("{quote}../")))
        {
            let rest = &text[i + 1..];
            let Some(end) = rest.find(quote) else {
                continue;
            };
            let spec = &rest[..end];
            let before = text[..i].trim_end();
            let imported = before.ends_with("from")
                || before.ends_with("import")
                || before.ends_with("import(")
                || before.ends_with("*/");
            if imported && spec.ends_with(".js") {
                let target = path.parent().unwrap().join(spec);
                if let Ok(t) = target.canonicalize() {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// Every `www/` module the page's bundles load (from their entries, by import; the worker is
/// started by URL, so its side is not among them).
fn page_side() -> BTreeSet<PathBuf> {
    let www = Path::new(ROOT).join("www");
    let mut seen = BTreeSet::new();
    let mut todo: Vec<PathBuf> = ["page.js", "figure/element.js"]
        .iter()
        .map(|e| www.join(e).canonicalize().unwrap())
        .collect();
    while let Some(path) = todo.pop() {
        if !path.starts_with(&www) || !seen.insert(path.clone()) {
            continue;
        }
        todo.extend(js_imports(&path));
    }
    seen
}

#[test]
fn only_the_run_controller_speaks_to_a_worker() {
    let side = page_side();
    let www = Path::new(ROOT).join("www").canonicalize().unwrap();
    for must in [
        "main.js",
        "controller.js",
        "figure/pair.js",
        "figure/element.js",
        "catalog.js",
    ] {
        assert!(
            side.contains(&www.join(must)),
            "{must} is not found from the page's entries"
        );
    }
    assert!(
        !side.contains(&www.join("worker.js")),
        "the page imports the worker's module"
    );
    for path in &side {
        // The protocol's definitions, and the one module that speaks it.
        if path.ends_with("controller.js") || path.ends_with("protocol.js") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let t = line.trim_start();
            if t.starts_with("//") || t.starts_with('*') || t.starts_with("/*") {
                continue; // a comment may name a message
            }
            for word in [
                "FromWorker",
                "ToWorker",
                "postMessage(",
                "onmessage",
                "worker.onerror",
            ] {
                assert!(
                    !line.contains(word),
                    "{}:{}: only www/controller.js speaks the worker protocol ({word}): {line}",
                    path.display(),
                    n + 1
                );
            }
        }
    }
}

#[test]
fn settings_are_mapped_to_config_paths_only_in_the_catalog() {
    // A setting key beside a config path is a second copy of the catalog's table; so is a
    // property chain reaching into a network's optimizer.
    for path in files("www", "js") {
        if path.ends_with("catalog.js") || path.to_string_lossy().ends_with(".test.mjs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let names_key = ["generator_lr", "discriminator_lr"]
            .iter()
            .any(|k| text.contains(k));
        for (n, line) in text.lines().enumerate() {
            let chain = [".generator.optimizer", ".discriminator.optimizer"]
                .iter()
                .any(|c| line.contains(c));
            assert!(
                !chain && !(names_key && line.contains("optimizer.lr")),
                "{}:{}: map a setting through the catalog (catalog.setting / liveOf / with): {line}",
                path.display(),
                n + 1
            );
        }
    }
}
