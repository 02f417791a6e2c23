//! End-to-end tests of how the real `credence` binary handles bad input, bad
//! configuration and bad output paths, plus determinism and CSV safety of the reports.
//!
//! Exit codes (src/cli.rs): 0 success, 1 success with skipped inputs, 2 failure.

mod util;

use std::collections::HashMap;
use std::fs;

use util::{read_csv, row, Dir};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/news");

use credence::report::REPORT_FILES as REPORTS;

const BRIDGE_HARBOR: &str = "\
Alder River Bridge closed after inspectors find cracks

The Alder River Bridge in Marston was closed on Monday after inspectors found cracks in its steel girders, the state transportation department said.

The department estimates that the repair will cost $48 million. Roughly 14,000 vehicles used the crossing on an average day last year, according to state traffic counts.

\"What we saw on those girders told us this bridge should not carry another truck until it is fixed,\" said Miriam Osei, the department's chief bridge engineer.
";

const BRIDGE_VALLEY: &str = "\
Marston bridge shut over girder cracks

State inspectors closed the Alder River Bridge in Marston on Monday after finding cracks in its steel girders, the state transportation department said.

The repair will cost $48 million, according to the department. The bridge was built in 1962 and links downtown Marston with the farm towns on the east bank of the Alder River.

Drivers are being sent north to the Route 9 crossing at Fenwick, a detour that adds about 20 minutes to many commutes.
";

const BUDGET_VALLEY: &str = "\
Kesterfield council adopts budget

The Kesterfield City Council approved the 2026 budget in a 7-2 vote on Tuesday night after a four-hour meeting at City Hall.

Mayor Lena Ortiz signed the $312 million spending plan on Wednesday morning, her office said.
";

/// Windows-1252 bytes: é = 0xE9, ú = 0xFA, ñ = 0xF1.
const BUDGET_CP1252: &[u8] = b"\
The Kesterfield City Council approved the 2026 budget in a 7-2 vote on Tuesday, council clerk Jos\xe9 N\xfa\xf1ez said.

Jos\xe9 N\xfa\xf1ez said Mayor Lena Ortiz signed the $312 million spending plan on Wednesday at City Hall in Kesterfield.
";

/// Three good articles from two outlets under `news/`.
fn good_corpus(dir: &Dir) {
    dir.write(
        "news/harbor-times/alder-river-bridge-closed.txt",
        BRIDGE_HARBOR,
    );
    dir.write("news/valley-post/marston-bridge-shut.txt", BRIDGE_VALLEY);
    dir.write("news/valley-post/kesterfield-budget.txt", BUDGET_VALLEY);
}

fn jsonl_line(id: &str, outlet: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "outlet": outlet, "text": text }).to_string()
}

/// `credence run news --out out --quiet` inside `dir`.
fn run_news(dir: &Dir) -> util::Output {
    dir.run(["run", "news", "--out", "out", "--quiet"])
}

fn assert_one_line(stderr: &str) {
    assert_eq!(
        stderr.trim_end_matches('\n').lines().count(),
        1,
        "stderr should be exactly one line:\n{stderr}"
    );
}

fn assert_no_reports(dir: &Dir, out: &str) {
    let out = dir.join(out);
    if out.exists() {
        let entries: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            entries.is_empty(),
            "{} should be empty, has {entries:?}",
            out.display()
        );
    }
}

// 1
#[test]
fn windows_1252_text_is_decoded_and_processed() {
    let dir = Dir::new();
    good_corpus(&dir);
    dir.write(
        "news/harbor-times/kesterfield-budget-cp1252.txt",
        BUDGET_CP1252,
    );
    run_news(&dir).assert_code(0);

    let inputs = dir.csv("out/inputs.csv");
    let input = row(
        &inputs,
        "path",
        "news/harbor-times/kesterfield-budget-cp1252.txt",
    );
    assert_eq!(input["status"], "processed");
    assert!(
        input["reason"].contains("windows-1252"),
        "reason: {:?}",
        input["reason"]
    );
    assert_eq!(input["articles"], "1");
    assert!(
        inputs.iter().all(|r| r["status"] == "processed"),
        "{inputs:?}"
    );

    let articles = dir.csv("out/articles.csv");
    let article = row(
        &articles,
        "article",
        "harbor-times/kesterfield-budget-cp1252.txt",
    );
    assert_eq!(article["outlet"], "harbor-times");

    let claims = dir.csv("out/claims.csv");
    let decoded: Vec<_> = claims
        .iter()
        .filter(|c| c["article"] == "harbor-times/kesterfield-budget-cp1252.txt")
        .map(|c| c["sentence"].as_str())
        .collect();
    assert!(
        decoded.iter().any(|s| s.contains("José Núñez")),
        "no claim from the windows-1252 article contains the decoded name: {decoded:?}"
    );
    assert!(
        !decoded.iter().any(|s| s.contains('\u{FFFD}')),
        "replacement characters in {decoded:?}"
    );
}

// 2
#[test]
fn binary_txt_is_skipped_and_the_rest_processed() {
    let dir = Dir::new();
    good_corpus(&dir);
    dir.write(
        "news/valley-post/scan.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00binary junk\x00\x00",
    );
    run_news(&dir).assert_code(1);

    let inputs = dir.csv("out/inputs.csv");
    let input = row(&inputs, "path", "news/valley-post/scan.txt");
    assert_eq!(input["status"], "skipped");
    assert!(
        input["reason"].contains("binary"),
        "reason: {:?}",
        input["reason"]
    );
    assert_eq!(input["articles"], "0");
    assert_eq!(
        inputs.iter().filter(|r| r["status"] == "processed").count(),
        3,
        "{inputs:?}"
    );

    assert_eq!(dir.csv("out/articles.csv").len(), 3);
    assert!(
        !dir.csv("out/claims.csv").is_empty(),
        "good articles yielded no claims"
    );
}

// 3
#[test]
fn empty_and_whitespace_only_txt_are_skipped() {
    let dir = Dir::new();
    good_corpus(&dir);
    dir.write("news/harbor-times/empty.txt", "");
    dir.write("news/harbor-times/blank.txt", " \n\t\n   \r\n\n");
    run_news(&dir).assert_code(1);

    let inputs = dir.csv("out/inputs.csv");
    for path in ["news/harbor-times/empty.txt", "news/harbor-times/blank.txt"] {
        let input = row(&inputs, "path", path);
        assert_eq!(input["status"], "skipped", "{path}");
        assert!(
            input["reason"].contains("empty"),
            "{path} reason: {:?}",
            input["reason"]
        );
    }
    assert_eq!(
        inputs.iter().filter(|r| r["status"] == "skipped").count(),
        2,
        "{inputs:?}"
    );
    assert_eq!(dir.csv("out/articles.csv").len(), 3);
}

#[test]
fn a_run_whose_every_input_is_skipped_still_names_every_reports_columns() {
    let dir = Dir::new();
    dir.write("news/harbor-times/empty.txt", "");
    run_news(&dir).assert_code(1);
    for (report, first_column) in [
        ("outlets.csv", "outlet,"),
        ("claims.csv", "claim_id,"),
        ("facts.csv", "fact_id,"),
        ("evidence.csv", "claim_id,"),
        ("articles.csv", "article,"),
        ("inputs.csv", "path,"),
    ] {
        let text = fs::read_to_string(dir.join("out").join(report)).unwrap();
        assert!(text.starts_with(first_column), "{report}: {text:?}");
        let lines = if report == "inputs.csv" { 2 } else { 1 };
        assert_eq!(text.lines().count(), lines, "{report}: {text:?}");
    }
}

// 4
#[test]
fn malformed_jsonl_line_is_skipped_with_its_line_number() {
    let dir = Dir::new();
    good_corpus(&dir);
    let feed = [
        jsonl_line("wire-1", "Lakeside Observer", BRIDGE_HARBOR),
        jsonl_line("wire-2", "Lakeside Observer", BUDGET_VALLEY),
        String::new(), // a blank line still counts towards line numbers
        r#"{"id": "wire-3", "outlet": "Lakeside Observer", "text": "The Alder River Bridge"#
            .to_string(),
        jsonl_line("wire-4", "Pine Valley Radio", BRIDGE_VALLEY),
    ]
    .join("\n");
    dir.write("news/feed.jsonl", feed + "\n");
    run_news(&dir).assert_code(1);

    let inputs = dir.csv("out/inputs.csv");
    let bad = row(&inputs, "path", "news/feed.jsonl:4");
    assert_eq!(bad["status"], "skipped");
    assert!(
        bad["reason"].starts_with("malformed JSON"),
        "reason: {:?}",
        bad["reason"]
    );
    let file = row(&inputs, "path", "news/feed.jsonl");
    assert_eq!(file["status"], "processed");
    assert_eq!(file["articles"], "3");
    assert!(
        !inputs
            .iter()
            .any(|r| r["path"].starts_with("news/feed.jsonl:") && r["path"] != "news/feed.jsonl:4"),
        "only the malformed line gets its own row: {inputs:?}"
    );

    let articles = dir.csv("out/articles.csv");
    for id in ["wire-1", "wire-2", "wire-4"] {
        row(&articles, "article", id);
    }
    assert!(!articles.iter().any(|a| a["article"] == "wire-3"));
}

// 5
#[test]
fn jsonl_line_without_text_is_skipped() {
    let dir = Dir::new();
    good_corpus(&dir);
    let no_text = serde_json::json!({
        "id": "wire-2",
        "outlet": "Lakeside Observer",
        "title": "Alder River Bridge closed",
        "url": "https://lakeside-observer.example.com/bridge",
    })
    .to_string();
    let feed = format!(
        "{}\n{no_text}\n",
        jsonl_line("wire-1", "Lakeside Observer", BRIDGE_VALLEY)
    );
    dir.write("news/feed.jsonl", feed);
    run_news(&dir).assert_code(1);

    let inputs = dir.csv("out/inputs.csv");
    let line = row(&inputs, "path", "news/feed.jsonl:2");
    assert_eq!(line["status"], "skipped");
    assert!(
        line["reason"].contains("text"),
        "reason: {:?}",
        line["reason"]
    );
    let file = row(&inputs, "path", "news/feed.jsonl");
    assert_eq!(file["status"], "processed");
    assert_eq!(file["articles"], "1");
    assert!(!dir
        .csv("out/articles.csv")
        .iter()
        .any(|a| a["article"] == "wire-2"));
}

// 6
#[test]
fn unknown_config_key_is_one_line_naming_file_line_table_and_key() {
    let dir = Dir::new();
    good_corpus(&dir);
    dir.write(
        "bad.toml",
        "[score]\nprior_trust = 0.7\nhedge_wieght = 0.5\n",
    );

    let out = dir.run(["run", "news", "--config", "bad.toml", "--out", "out"]);
    out.assert_code(2);
    assert_one_line(&out.stderr);
    assert!(out.stderr.starts_with("credence: error:"), "{}", out.stderr);
    for needle in ["bad.toml", "line 3", "[score]", "hedge_wieght"] {
        assert!(
            out.stderr.contains(needle),
            "stderr lacks {needle:?}: {}",
            out.stderr
        );
    }
    assert!(!dir.join("out/outlets.csv").exists());
    assert_no_reports(&dir, "out");

    let check = dir.run(["config", "check", "bad.toml"]);
    check.assert_code(2);
    assert_one_line(&check.stderr);
    check.assert_stderr_has("hedge_wieght");
    check.assert_stderr_has("bad.toml");
    assert!(!check.stdout.contains("ok"), "{}", check.stdout);
}

// 7
#[test]
fn out_of_range_weight_names_key_value_and_range() {
    let dir = Dir::new();
    good_corpus(&dir);
    dir.write("bad.toml", "[score]\nhedge_weight = 1.5\n");

    let out = dir.run(["run", "news", "--config", "bad.toml", "--out", "out"]);
    out.assert_code(2);
    assert_one_line(&out.stderr);
    for needle in ["bad.toml", "score.hedge_weight", "1.5", "0 to 1"] {
        assert!(
            out.stderr.contains(needle),
            "stderr lacks {needle:?}: {}",
            out.stderr
        );
    }
    assert_no_reports(&dir, "out");

    let check = dir.run(["config", "check", "bad.toml"]);
    check.assert_code(2);
    check.assert_stderr_has("score.hedge_weight");
}

// 8
#[test]
fn unwritable_out_is_a_one_line_error_not_a_panic() {
    let dir = Dir::new();
    good_corpus(&dir);
    // Root ignores permission bits, so block the directory with a regular file.
    dir.write("blocker", "not a directory\n");

    let out = dir.run(["run", "news", "--out", "blocker/reports"]);
    out.assert_code(2);
    assert_one_line(&out.stderr);
    assert!(out.stderr.starts_with("credence: error:"), "{}", out.stderr);
    out.assert_stderr_has("blocker/reports");
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert_eq!(
        fs::read_to_string(dir.join("blocker")).unwrap(),
        "not a directory\n"
    );
}

// 9 (partial): a failure after the analysis stage needs a broken file system to
// trigger cleanly, so this covers failed runs that stop earlier: they must leave the
// previous reports in --out byte for byte as they were.
#[test]
fn failed_run_leaves_previous_reports_untouched() {
    let dir = Dir::new();
    good_corpus(&dir);
    run_news(&dir).assert_code(0);
    let before = dir.report_bytes("out");

    dir.write("bad.toml", "[score]\nhedge_weight = 1.5\n");
    dir.run([
        "run", "news", "--config", "bad.toml", "--out", "out", "--quiet",
    ])
    .assert_code(2);
    dir.run(["run", "news", "missing", "--out", "out", "--quiet"])
        .assert_code(2);

    assert_eq!(dir.report_bytes("out"), before);
    let leftovers: Vec<_> = util::dir_names(dir.join("out"))
        .into_iter()
        .filter(|name| {
            !REPORTS.contains(&name.as_str()) && !util::RUN_STATE.contains(&name.as_str())
        })
        .collect();
    assert!(leftovers.is_empty(), "stray files in out: {leftovers:?}");
}

// 10
#[test]
fn nonexistent_input_path_is_an_error_naming_it() {
    let dir = Dir::new();
    good_corpus(&dir);
    let out = dir.run(["run", "news", "no-such-feed.jsonl", "--out", "out"]);
    out.assert_code(2);
    assert_one_line(&out.stderr);
    assert!(out.stderr.starts_with("credence: error:"), "{}", out.stderr);
    out.assert_stderr_has("no-such-feed.jsonl");
    assert_no_reports(&dir, "out");
}

// 11
#[test]
fn default_config_passes_config_check() {
    let dir = Dir::new();
    let default = dir.run(["config", "default"]);
    default.assert_code(0);
    assert!(default.stdout.contains("[score]"), "{}", default.stdout);
    assert!(default.stderr.is_empty(), "{}", default.stderr);
    dir.write("credence.toml", &default.stdout);

    let check = dir.run(["config", "check", "credence.toml"]);
    check.assert_code(0);
    assert!(check.stdout.contains("credence.toml"), "{}", check.stdout);
    assert!(check.stdout.contains("ok"), "{}", check.stdout);
}

// Extra: the documented promise that a --config file "only needs the keys it changes".
#[test]
fn partial_config_file_keeps_defaults_for_other_keys() {
    let dir = Dir::new();
    good_corpus(&dir);
    dir.write("tuned.toml", "[score]\nhedge_weight = 0.4\n");

    let check = dir.run(["config", "check", "tuned.toml"]);
    check.assert_code(0);
    assert!(check.stdout.contains("ok"), "{}", check.stdout);

    dir.run([
        "run",
        "news",
        "--config",
        "tuned.toml",
        "--out",
        "out",
        "--quiet",
    ])
    .assert_code(0);
    assert_eq!(dir.csv("out/articles.csv").len(), 3);
}

// 12
#[test]
fn reports_are_byte_identical_across_thread_counts() {
    let dir = Dir::new();
    for (threads, out) in [("1", "out-1"), ("2", "out-2")] {
        dir.run([
            "run",
            FIXTURES,
            "--threads",
            threads,
            "--out",
            out,
            "--quiet",
        ])
        .assert_code(0);
    }
    let one = dir.report_bytes("out-1");
    let two = dir.report_bytes("out-2");
    for ((name, a), (_, b)) in one.iter().zip(&two) {
        assert!(!a.is_empty(), "{name} is empty");
        assert!(
            a == b,
            "{name} differs between --threads 1 and --threads 2:\n--- 1\n{}\n--- 2\n{}",
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b)
        );
    }
    assert!(dir.csv("out-1/claims.csv").len() > 10);
}

// 13
#[test]
fn awkward_outlet_names_and_formula_text_make_safe_csv() {
    let dir = Dir::new();
    good_corpus(&dir);
    let awkward = "Smith, Jones & \"Partners\"\nEvening Edition";
    let lines = [
        serde_json::json!({
            "id": "sjp-1",
            "outlet": awkward,
            "title": "=HYPERLINK(\"http://evil.example\",\"Bridge\")",
            "text": format!("=SUM(A1:A9) {BRIDGE_VALLEY}"),
        }),
        serde_json::json!({
            "id": "+1-555-0100",
            "outlet": "@wire desk",
            "title": "+Kesterfield budget",
            "url": "=cmd|' /C calc'!A0",
            "text": format!("=1+1\n\n{BUDGET_VALLEY}"),
        }),
    ];
    let feed: String = lines.iter().map(|l| format!("{l}\n")).collect();
    dir.write("news/feed.jsonl", feed);
    run_news(&dir).assert_code(0);

    let outlets = dir.csv("out/outlets.csv");
    let names: Vec<&str> = outlets.iter().map(|r| r["outlet"].as_str()).collect();
    assert!(names.contains(&awkward), "outlet name mangled: {names:?}");
    assert!(
        names.contains(&"'@wire desk"),
        "formula outlet not neutralised: {names:?}"
    );
    assert_eq!(outlets.len(), 4, "{names:?}");

    let articles = dir.csv("out/articles.csv");
    let first = row(&articles, "article", "sjp-1");
    assert_eq!(first["outlet"], awkward);
    assert_eq!(
        first["title"],
        "'=HYPERLINK(\"http://evil.example\",\"Bridge\")"
    );
    let second = row(&articles, "article", "'+1-555-0100");
    assert_eq!(second["outlet"], "'@wire desk");
    assert_eq!(second["title"], "'+Kesterfield budget");
    assert_eq!(second["url"], "'=cmd|' /C calc'!A0");

    for name in REPORTS {
        let rows: Vec<HashMap<String, String>> = read_csv(dir.join("out").join(name));
        for (index, record) in rows.iter().enumerate() {
            for (column, value) in record {
                assert!(
                    !value.starts_with(['=', '+', '@']),
                    "{name} row {} column {column} starts with a formula character: {value:?}",
                    index + 2
                );
            }
        }
    }
}

// 14
#[test]
fn quiet_run_is_silent_and_loud_run_prints_a_summary() {
    let dir = Dir::new();
    let quiet = dir.run(["run", FIXTURES, "--out", "quiet", "--quiet"]);
    quiet.assert_code(0);
    assert_eq!(quiet.stderr, "", "--quiet should print nothing on stderr");
    assert_eq!(quiet.stdout, "");

    let loud = dir.run(["run", FIXTURES, "--out", "loud"]);
    loud.assert_code(0);
    let summary = loud
        .stderr
        .lines()
        .last()
        .unwrap_or_else(|| panic!("no summary on stderr"));
    assert!(summary.starts_with("credence:"), "{summary}");
    assert!(
        summary.contains("articles") && summary.contains("claims"),
        "{summary}"
    );
    let articles = dir.csv("loud/articles.csv").len();
    let claims = dir.csv("loud/claims.csv").len();
    assert!(
        summary.contains(&format!("{articles} articles")),
        "{summary} ({articles} articles)"
    );
    assert!(
        summary.contains(&format!("{claims} claims")),
        "{summary} ({claims} claims)"
    );
}

/// UTF-16 text of `text` with a byte-order mark, little or big endian.
fn utf16_with_bom(text: &str, little_endian: bool) -> Vec<u8> {
    let mut bytes = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        let pair = if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        };
        bytes.extend_from_slice(&pair);
    }
    bytes
}

// 15
#[test]
fn utf16_with_a_byte_order_mark_is_decoded_and_noted() {
    let dir = Dir::new();
    good_corpus(&dir);
    dir.write(
        "news/harbor-times/budget-utf16le.txt",
        utf16_with_bom(BUDGET_VALLEY, true),
    );
    dir.write(
        "news/harbor-times/bridge-utf16be.txt",
        utf16_with_bom(
            &BRIDGE_VALLEY.replace("State inspectors", "Inspectors"),
            false,
        ),
    );
    run_news(&dir).assert_code(0);

    let inputs = dir.csv("out/inputs.csv");
    for (file, encoding) in [
        ("budget-utf16le.txt", "UTF-16LE"),
        ("bridge-utf16be.txt", "UTF-16BE"),
    ] {
        let input = row(&inputs, "path", &format!("news/harbor-times/{file}"));
        assert_eq!(input["status"], "processed", "{file}");
        assert_eq!(
            input["reason"],
            format!("decoded from {encoding} (byte-order mark)")
        );
        assert_ne!(input["claims"], "0", "{file} yielded no claims");
    }
    let claims = dir.csv("out/claims.csv");
    assert!(claims.iter().any(|c| {
        c["article"] == "harbor-times/budget-utf16le.txt" && c["sentence"].contains("$312 million")
    }));
}

/// Prose of about `bytes` bytes with no sentence break at all.
fn endless_sentence(bytes: usize) -> String {
    let phrase = "the Alder River Bridge carried traffic over the water near Marston ";
    phrase.repeat(bytes / phrase.len() + 1)
}

// 16: a 50 MB article is over `input.max_article_bytes` (5 MB by default): skipped
// before it is read, in a .txt file and on a JSONL line; the limit itself is inclusive.
#[test]
fn a_50_mb_article_is_skipped_with_its_size_and_the_limit() {
    let dir = Dir::new();
    good_corpus(&dir);
    let huge = endless_sentence(50 << 20);
    dir.write("news/harbor-times/dump.txt", &huge[..50 << 20]);
    let feed = format!(
        "{}\n{}\n",
        jsonl_line("big-1", "Lakeside Observer", &huge[..6_000_000]),
        jsonl_line("wire-1", "Lakeside Observer", BRIDGE_HARBOR)
    );
    dir.write("news/feed.jsonl", feed);
    run_news(&dir).assert_code(1);

    let inputs = dir.csv("out/inputs.csv");
    let dump = row(&inputs, "path", "news/harbor-times/dump.txt");
    assert_eq!(dump["status"], "skipped");
    assert_eq!(
        dump["reason"],
        "file is 52428800 bytes, over input.max_article_bytes = 5000000"
    );
    let line = row(&inputs, "path", "news/feed.jsonl:1");
    assert_eq!(line["status"], "skipped");
    assert_eq!(
        line["reason"],
        "text is 6000000 bytes, over input.max_article_bytes = 5000000"
    );
    assert_eq!(row(&inputs, "path", "news/feed.jsonl")["articles"], "1");
    assert_eq!(dir.csv("out/articles.csv").len(), 4);

    // At exactly the limit an article is read; one byte over, it is not.
    let size = BUDGET_VALLEY.len();
    dir.write("at.toml", format!("[input]\nmax_article_bytes = {size}\n"));
    dir.write("news/harbor-times/dump.txt", format!("{BUDGET_VALLEY}x"));
    fs::remove_file(dir.join("news/feed.jsonl")).unwrap();
    dir.run([
        "run", "news", "--out", "limit", "--quiet", "--config", "at.toml",
    ])
    .assert_code(1);
    let inputs = dir.csv("limit/inputs.csv");
    assert_eq!(
        row(&inputs, "path", "news/valley-post/kesterfield-budget.txt")["status"],
        "processed"
    );
    assert_eq!(
        row(&inputs, "path", "news/harbor-times/dump.txt")["reason"],
        format!(
            "file is {} bytes, over input.max_article_bytes = {size}",
            size + 1
        )
    );
}

// 17
#[test]
fn a_1_mb_line_without_sentence_breaks_is_read_and_noted() {
    let dir = Dir::new();
    good_corpus(&dir);
    dir.write("news/harbor-times/run-on.txt", endless_sentence(1 << 20));
    run_news(&dir).assert_code(0);

    let inputs = dir.csv("out/inputs.csv");
    let input = row(&inputs, "path", "news/harbor-times/run-on.txt");
    assert_eq!(input["status"], "processed");
    assert_eq!(
        input["reason"],
        "1 clause over claims.max_words = 120 words left unread"
    );
    assert_eq!(input["claims"], "0");
    let articles = dir.csv("out/articles.csv");
    let article = row(&articles, "article", "harbor-times/run-on.txt");
    assert_eq!(article["dropped_uncheckable"], "1");
    assert_eq!(
        inputs.iter().filter(|r| r["status"] == "processed").count(),
        4
    );
    assert!(dir.csv("out/claims.csv").len() > 5);
}

// 18
#[cfg(unix)]
#[test]
fn a_directory_symlink_loop_is_reported_once_and_walked_no_further() {
    let dir = Dir::new();
    good_corpus(&dir);
    std::os::unix::fs::symlink("..", dir.join("news/valley-post/back-up")).unwrap();
    run_news(&dir).assert_code(1);

    let inputs = dir.csv("out/inputs.csv");
    let input = row(&inputs, "path", "news/valley-post/back-up");
    assert_eq!(input["status"], "skipped");
    assert_eq!(input["reason"], "symbolic link loop (leads back to news)");
    assert_eq!(inputs.len(), 4, "{inputs:?}");
    assert_eq!(dir.csv("out/articles.csv").len(), 3);
}

// 19: root reads a file without read permission anyway, so as root the run is made
// as the unprivileged user `nobody` (uid 65534), for whom the permission holds.
#[cfg(unix)]
#[test]
fn a_file_without_read_permission_is_skipped_with_the_os_error() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;

    let dir = Dir::new();
    good_corpus(&dir);
    let secret = dir.write("news/valley-post/embargoed.txt", BUDGET_VALLEY);
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    let as_root = fs::metadata(&secret).unwrap().uid() == 0;
    let mut command = std::process::Command::new(util::BIN);
    command
        .args(["run", "news", "--out", "out", "--quiet"])
        .current_dir(dir.path());
    if as_root {
        for path in walkdir_all(dir.path()) {
            let mode = if path.is_dir() { 0o777 } else { 0o644 };
            if path != secret {
                fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
            }
        }
        command.uid(65534).gid(65534);
    }
    let output = command.output().expect("spawn credence");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let inputs = dir.csv("out/inputs.csv");
    let input = row(&inputs, "path", "news/valley-post/embargoed.txt");
    assert_eq!(input["status"], "skipped");
    assert_eq!(
        input["reason"],
        "cannot read: Permission denied (os error 13)"
    );
    assert_eq!(dir.csv("out/articles.csv").len(), 3);
}

/// `root` and everything under it.
fn walkdir_all(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut paths = vec![root.to_path_buf()];
    let mut at = 0;
    while at < paths.len() {
        if paths[at].is_dir() {
            for entry in fs::read_dir(&paths[at]).unwrap() {
                paths.push(entry.unwrap().path());
            }
        }
        at += 1;
    }
    paths
}

// 20
#[test]
fn a_duplicate_article_id_is_skipped_naming_where_it_was_first_seen() {
    let dir = Dir::new();
    good_corpus(&dir);
    dir.write(
        "news/a-feed.jsonl",
        jsonl_line("wire-1", "Lakeside Observer", BRIDGE_HARBOR) + "\n",
    );
    dir.write(
        "news/b-feed.jsonl",
        format!(
            "{}\n{}\n",
            jsonl_line("wire-2", "Pine Valley Radio", BUDGET_VALLEY),
            jsonl_line("wire-1", "Pine Valley Radio", BRIDGE_VALLEY)
        ),
    );
    run_news(&dir).assert_code(1);

    let inputs = dir.csv("out/inputs.csv");
    let duplicate = row(&inputs, "path", "news/b-feed.jsonl:2");
    assert_eq!(duplicate["status"], "skipped");
    assert_eq!(
        duplicate["reason"],
        "duplicate article id \"wire-1\" (first seen in news/a-feed.jsonl:1)"
    );
    let articles = dir.csv("out/articles.csv");
    assert_eq!(
        row(&articles, "article", "wire-1")["outlet"],
        "Lakeside Observer"
    );
    row(&articles, "article", "wire-2");
    assert_eq!(articles.len(), 5);
}

// 21: reading a named pipe would block the nightly run forever.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_skipped_not_read() {
    let dir = Dir::new();
    good_corpus(&dir);
    let status = std::process::Command::new("mkfifo")
        .arg(dir.join("news/harbor-times/pipe.txt"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    run_news(&dir).assert_code(1);
    let inputs = dir.csv("out/inputs.csv");
    let input = row(&inputs, "path", "news/harbor-times/pipe.txt");
    assert_eq!(input["status"], "skipped");
    assert_eq!(input["reason"], "not a regular file");
}
