//! End-to-end tests of `credence stance` over fixtures/stance: the stance column, the
//! passed-through columns, `--out`, bad rows and bad headers.

mod util;

use std::fs;

use util::{read_csv, row, Dir};

const PAIRS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/stance/pairs.csv");

#[test]
fn stances_of_the_hand_written_pairs() {
    let dir = Dir::new();
    dir.run(["stance", PAIRS, "--out", "stance.csv"])
        .assert_code(0);
    let rows = dir.csv("stance.csv");
    assert_eq!(rows.len(), 8);
    let stance = |id: &str| row(&rows, "id", id)["stance"].clone();
    // The article calls the claimed collapse a hoax.
    assert_eq!(stance("p2"), "disagree");
    // Unconfirmed, attributed, could not be verified.
    assert_eq!(stance("p3"), "discuss");
    // Articles about another story.
    assert_eq!(stance("p4"), "unrelated");
    assert_eq!(stance("p7"), "unrelated");
    // Articles that state the claim, figure and wording alike.
    for id in ["p1", "p5", "p6", "p8"] {
        assert_eq!(stance(id), "agree", "{id}");
    }
}

#[test]
fn every_column_is_passed_through_and_stdout_matches_out() {
    let dir = Dir::new();
    let printed = dir.run(["stance", PAIRS, "--threads", "1", "-q"]);
    printed.assert_code(0);
    dir.run(["stance", PAIRS, "--threads", "2", "--out", "s.csv", "-q"])
        .assert_code(0);
    assert_eq!(
        fs::read_to_string(dir.join("s.csv")).unwrap(),
        printed.stdout
    );
    let header = printed.stdout.lines().next().unwrap();
    assert_eq!(header, "id,claim,text,note,stance");
    let input = read_csv(PAIRS);
    let output = dir.csv("s.csv");
    for (before, after) in input.iter().zip(&output) {
        for column in ["id", "claim", "text", "note"] {
            assert_eq!(before[column], after[column], "{column}");
        }
    }
}

#[test]
fn bad_rows_are_skipped_by_line_and_the_rest_written() {
    let dir = Dir::new();
    dir.write(
        "pairs.csv",
        "claim,text\n\
         Mayor Lena Ortiz signed the Kesterfield budget.,Mayor Lena Ortiz signed the Kesterfield budget on Wednesday.\n\
         only one field\n\
         ,An article without a claim.\n\
         Mayor Lena Ortiz vetoed the budget.,Mayor Lena Ortiz did not veto the Kesterfield budget.\n",
    );
    let out = dir.run(["stance", "pairs.csv", "--out", "s.csv"]);
    out.assert_code(1);
    assert!(
        out.stderr
            .contains("pairs.csv:3: 1 fields, the header has 2"),
        "{}",
        out.stderr
    );
    out.assert_stderr_has("pairs.csv:4: empty claim or text");
    assert_eq!(dir.csv("s.csv").len(), 2);
}

#[test]
fn a_header_without_text_or_with_a_stance_column_is_an_error() {
    let dir = Dir::new();
    dir.write("no_text.csv", "claim,body\nA claim here.,An article.\n");
    let out = dir.run(["stance", "no_text.csv", "--out", "s.csv"]);
    out.assert_code(2);
    assert!(
        out.stderr
            .contains("no_text.csv: line 1: the header has no `text` column"),
        "{}",
        out.stderr
    );
    assert!(!dir.join("s.csv").exists());

    dir.write(
        "labelled.csv",
        "claim,text,Stance\nA claim.,An article.,agree\n",
    );
    let out = dir.run(["stance", "labelled.csv"]);
    out.assert_code(2);
    out.assert_stderr_has("already has a `stance` column");
}

#[test]
fn a_model_for_other_features_is_refused_naming_the_key() {
    let dir = Dir::new();
    dir.write(
        "model.toml",
        "classes = [\"agree\"]\nfeatures = [\"x\"]\nlearning_rate = 0.1\ninit = [0.0]\noffsets = [0.0]\ntree = []\n",
    );
    dir.write("c.toml", "[stance]\nmodel = \"model.toml\"\n");
    let out = dir.run(["stance", PAIRS, "--config", "c.toml"]);
    out.assert_code(2);
    out.assert_stderr_has(
        "c.toml: key `stance.model`: stance model model.toml: its features do not match",
    );
}

#[test]
fn out_replaces_one_file_and_leaves_nothing_else_behind() {
    let dir = Dir::new();
    dir.write("reports/stance.csv", "an older run's output\n");
    dir.write("reports/notes.txt", "kept\n");
    dir.run(["stance", PAIRS, "--out", "reports/stance.csv", "-q"])
        .assert_code(0);
    assert!(fs::read_to_string(dir.join("reports/stance.csv"))
        .unwrap()
        .starts_with("id,claim,text,note,stance\n"));
    // No staging directory, journal, lock or temporary file is left beside it.
    assert_eq!(
        util::dir_names(dir.join("reports")),
        ["notes.txt", "stance.csv"]
    );

    dir.run([
        "stance",
        PAIRS,
        "--out",
        "nightly/2026-11-22/stance.csv",
        "-q",
    ])
    .assert_code(0);
    assert_eq!(
        util::dir_names(dir.join("nightly/2026-11-22")),
        ["stance.csv"]
    );
    // A directory where the file should go is refused by name, and left alone.
    dir.run(["stance", PAIRS, "--out", "reports", "-q"])
        .assert_code(2)
        .assert_stderr_has("cannot write reports");
    assert_eq!(
        util::dir_names(dir.join("reports")),
        ["notes.txt", "stance.csv"]
    );
}
