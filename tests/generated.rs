//! End-to-end tests of `credence gen` and of the pipeline on what it generates.

mod util;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use util::{read_csv, Dir};

/// Every file under `root` with its bytes, keyed by relative path.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(root).unwrap();
            files.insert(
                relative.display().to_string(),
                fs::read(entry.path()).unwrap(),
            );
        }
    }
    files
}

#[test]
fn gen_writes_the_same_bytes_whatever_the_thread_count() {
    let dir = Dir::new();
    let args = ["gen", "--articles", "60", "--outlets", "5", "--seed", "4"];
    dir.run(
        args.iter()
            .copied()
            .chain(["--out", "one", "--threads", "1"]),
    )
    .assert_code(0);
    dir.run(
        args.iter()
            .copied()
            .chain(["--out", "two", "--threads", "2"]),
    )
    .assert_code(0);
    let one = tree(&dir.join("one"));
    assert_eq!(
        one.keys()
            .filter(|k| k.ends_with(".txt") && k.starts_with("articles"))
            .count(),
        60
    );
    assert!(one.contains_key("truth/outlets.csv") && one.contains_key("truth/facts.csv"));
    assert_eq!(one, tree(&dir.join("two")));
}

#[test]
fn gen_refuses_a_directory_it_did_not_write() {
    let dir = Dir::new();
    dir.write("mine/notes.txt", "keep me");
    let out = dir.run(["gen", "--articles", "5", "--out", "mine"]);
    out.assert_code(2);
    out.assert_stderr_has("not a generated corpus");
    assert_eq!(
        fs::read_to_string(dir.join("mine/notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn gen_reuse_keeps_a_matching_corpus_and_replaces_another() {
    let dir = Dir::new();
    let gen = |articles: &str| {
        dir.run([
            "gen",
            "--reuse",
            "--articles",
            articles,
            "--outlets",
            "3",
            "--out",
            "c",
        ])
    };
    assert!(gen("20")
        .assert_code(0)
        .stderr
        .contains("generated 20 articles"));
    assert!(gen("20")
        .assert_code(0)
        .stderr
        .contains("reused 20 articles"));
    assert!(gen("21")
        .assert_code(0)
        .stderr
        .contains("generated 21 articles"));
}

/// The planted reliability must show through the whole pipeline: on a small corpus the
/// most reliable quarter of the outlets scores above the least reliable quarter.
#[test]
fn outlet_scores_follow_planted_reliability() {
    let dir = Dir::new();
    dir.run([
        "gen",
        "--articles",
        "400",
        "--outlets",
        "12",
        "--out",
        "corpus",
    ])
    .assert_code(0);
    let run = dir.run([
        "run",
        "corpus/articles",
        "--out",
        "reports",
        "--quiet",
        "--timings",
    ]);
    run.assert_code(0);
    assert!(
        run.stderr.starts_with("credence: seconds: ingest "),
        "{}",
        run.stderr
    );

    let planted: BTreeMap<String, f64> = read_csv(dir.join("corpus/truth/outlets.csv"))
        .into_iter()
        .map(|row| (row["outlet"].clone(), row["reliability"].parse().unwrap()))
        .collect();
    let scored: BTreeMap<String, f64> = dir
        .csv("reports/outlets.csv")
        .into_iter()
        .map(|row| (row["outlet"].clone(), row["score"].parse().unwrap()))
        .collect();
    assert_eq!(
        planted.keys().collect::<Vec<_>>(),
        scored.keys().collect::<Vec<_>>()
    );
    let mut by_reliability: Vec<&String> = planted.keys().collect();
    by_reliability.sort_by(|a, b| planted[*a].total_cmp(&planted[*b]));
    let mean = |outlets: &[&String]| {
        outlets.iter().map(|o| scored[*o]).sum::<f64>() / outlets.len() as f64
    };
    let (least, most) = (mean(&by_reliability[..3]), mean(&by_reliability[9..]));
    assert!(
        most > least + 0.03,
        "most reliable quarter {most:.4}, least reliable {least:.4}"
    );
}
