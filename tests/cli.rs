//! `sinergi score` as an operator or another program calls it.

use std::io::Write;
use std::process::{Command, Stdio};

fn score(framework: &str, input: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(["score", "--framework", framework])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sinergi");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn pemdi(levels: &[&str]) -> String {
    let body: Vec<String> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| format!("\"I{}\": {l}", i + 1))
        .collect();
    format!("{{{}}}", body.join(", "))
}

#[test]
fn a_pemdi_vector_prints_exact_and_published_index() {
    // I20 (15 %) at 4, everything else at 3: 3 + 0.15 = 3.15.
    let mut levels = vec!["3"; 20];
    levels[19] = "4";
    let (code, out, err) = score("pemdi-2026", &pemdi(&levels));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["framework"], "pemdi-2026");
    assert_eq!(v["index"], "3.15");
    assert_eq!(v["index_exact"], "3.15");
    assert_eq!(v["predicate"], "Baik");
    assert_eq!(v["aspects"][6]["code"], "AS7");
    assert_eq!(v["aspects"][6]["index"], "3.60");
    assert_eq!(v["domains"].as_array().unwrap().len(), 0);
    assert!(
        out.find("\"framework\"").unwrap() < out.find("\"aspects\"").unwrap(),
        "fields in the documented order"
    );
}

#[test]
fn a_file_argument_works_like_standard_input() {
    let path = std::env::temp_dir().join(format!("sinergi-score-{}.json", std::process::id()));
    std::fs::write(&path, pemdi(&["5"; 20])).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(["score", "--framework", "pemdi-2026"])
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["index"], "5.00");
    assert_eq!(v["predicate"], "Memuaskan");
}

#[test]
fn a_missing_code_a_bad_level_or_an_unknown_framework_exits_non_zero_naming_it() {
    let mut levels = vec!["3"; 19];
    let (code, out, err) = score("pemdi-2026", &pemdi(&levels));
    assert_ne!(code, 0);
    assert!(out.is_empty());
    assert!(err.contains("'I20'"), "{err}");
    levels.push("0");
    let (code, _, err) = score("pemdi-2026", &pemdi(&levels));
    assert_ne!(code, 0);
    assert!(
        err.contains("'I20'") && err.contains("outside 1 to 5"),
        "{err}"
    );
    let (code, _, err) = score("spbe-2030", "{}");
    assert_ne!(code, 0);
    assert!(err.contains("spbe-2030"), "{err}");
    let (code, _, err) = score("spbe-2020", "{\"1\": 3, \"99\": 2}");
    assert_ne!(code, 0);
    assert!(err.contains("'99'"), "{err}");
}
