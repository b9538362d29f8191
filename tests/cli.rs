#![cfg(not(target_arch = "wasm32"))]
//! The `gan` binary's contract: JSON last line, non-zero exits that name the problem.

use std::process::{Command, Output};

fn gan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gan"))
        .args(args)
        .output()
        .expect("run gan")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn train_prints_progress_and_a_json_last_line() {
    let o = gan(&[
        "train",
        "--preset",
        "ring8",
        "--steps",
        "20",
        "--seed",
        "3",
        "--log-every",
        "10",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("step     10/20"),
        "progress lines on stderr: {}",
        stderr(&o)
    );
    let stdout = String::from_utf8(o.stdout).unwrap();
    let last = stdout.lines().last().expect("a last line");
    let r: serde_json::Value = serde_json::from_str(last).expect("JSON last line");
    for key in [
        "preset",
        "loss",
        "steps",
        "seed",
        "modes_covered",
        "modes_total",
        "high_quality",
        "js_divergence",
        "d_loss",
        "g_loss",
        "steps_per_second",
    ] {
        assert!(r.get(key).is_some(), "missing {key} in {last}");
    }
    assert_eq!(r["preset"], "ring8");
    assert_eq!(r["loss"], "non-saturating");
    assert_eq!(r["steps"], 20);
    assert_eq!(r["seed"], 3);
    assert_eq!(r["modes_total"], 8);
    assert!(r["d_loss"].as_f64().unwrap().is_finite());
}

#[test]
fn loss_and_config_file_are_honoured() {
    let dir = std::env::temp_dir().join(format!("gan-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("grid.json");
    let cfg = gan(&["config", "--preset", "grid25"]);
    assert!(cfg.status.success());
    std::fs::write(&path, &cfg.stdout).unwrap();
    let o = gan(&[
        "train",
        "--config",
        path.to_str().unwrap(),
        "--loss",
        "wgan-gp",
        "--steps",
        "5",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8(o.stdout).unwrap();
    let r: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(r["loss"], "wasserstein-gp");
    assert_eq!(r["modes_total"], 25);
    assert!(r["wasserstein_estimate"].as_f64().is_some());

    // A config with a bad value: exit 2, the field named.
    let mut v: serde_json::Value = serde_json::from_slice(&cfg.stdout).unwrap();
    v["discriminator"]["optimizer"]["lr"] = serde_json::json!(-0.1);
    std::fs::write(&path, v.to_string()).unwrap();
    let o = gan(&["train", "--config", path.to_str().unwrap(), "--steps", "5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("discriminator.optimizer.lr"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_input_exits_non_zero_naming_the_problem() {
    let cases: [(&[&str], &str); 8] = [
        (&["train", "--preset", "ring9"], "ring9"),
        (&["train", "--loss", "hinge"], "hinge"),
        (
            &["train", "--config", "/nonexistent/config.json"],
            "/nonexistent/config.json",
        ),
        (&["train", "--steps", "many"], "--steps"),
        (&["train", "--bogus"], "--bogus"),
        (&["train", "--g-ema", "1"], "g_ema"),
        (&["sweep", "--r1=-1"], "r1"),
        (&["train", "--pack", "3"], "pack"),
    ];
    for (args, needle) in cases {
        let o = gan(args);
        assert!(!o.status.success(), "{args:?} should fail");
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
}

#[cfg(not(feature = "wgpu"))]
#[test]
fn wgpu_without_the_feature_says_how_to_get_it() {
    let o = gan(&["train", "--device", "wgpu", "--steps", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--features wgpu"), "{}", stderr(&o));
}

/// The JSON last line of a successful run.
fn report(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    serde_json::from_str(stdout.lines().last().expect("a last line")).unwrap()
}

#[test]
fn save_then_resume_ends_like_the_unbroken_run() {
    let dir = std::env::temp_dir().join(format!("gan-cli-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("run.safetensors");
    let file = file.to_str().unwrap();
    let base = [
        "train",
        "--preset",
        "ring8",
        "--seed",
        "4",
        "--log-every",
        "0",
    ];
    let whole = report(&gan(&[&base[..], &["--steps", "200"]].concat()));
    let first = report(&gan(
        &[&base[..], &["--steps", "100", "--save", file]].concat()
    ));
    assert_eq!(first["steps"], 100);
    let o = gan(&[
        "train",
        "--resume",
        file,
        "--steps",
        "100",
        "--log-every",
        "50",
    ]);
    assert!(stderr(&o).contains("step    150/200"), "{}", stderr(&o));
    let resumed = report(&o);
    assert_eq!(resumed["steps"], 200);
    for key in ["d_loss", "g_loss", "modes_covered", "js_divergence"] {
        assert_eq!(resumed[key], whole[key], "{key}");
    }

    // A file that is not a run, and flags that would contradict the file's own config.
    std::fs::write(dir.join("bad"), b"not a save file").unwrap();
    let o = gan(&["train", "--resume", dir.join("bad").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a gan-lab save file"),
        "{}",
        stderr(&o)
    );
    let o = gan(&["train", "--resume", file, "--seed", "1"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--seed"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sweep_prints_a_row_per_seed_and_a_summary() {
    let o = gan(&[
        "sweep", "--preset", "ring8", "--seeds", "3..6", "--steps", "20", "--jobs", "2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8(o.stdout).unwrap();
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_eq!(
        rows.len(),
        4,
        "three seed rows and the summary line: {stdout}"
    );
    for (row, seed) in rows.iter().zip(["3 |", "4 |", "5 |"]) {
        assert!(row.starts_with(seed), "{row}");
    }
    let s: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        (s["seeds"].as_u64(), s["steps"].as_u64()),
        (Some(3), Some(20))
    );
    assert!(s["mean_modes"].as_f64().unwrap() <= 8.0);

    // The same seed alone gives the same row: runs on threads do not share a stream.
    let alone = gan(&[
        "sweep", "--preset", "ring8", "--seeds", "4", "--steps", "20",
    ]);
    let alone = String::from_utf8(alone.stdout).unwrap();
    assert!(
        alone.lines().any(|l| l == rows[1]),
        "{alone}\nvs {}",
        rows[1]
    );

    let o = gan(&["sweep", "--seeds", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--seeds"));
}
