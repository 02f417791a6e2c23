//! End-to-end tests of `credence score --facts` over fixtures/facts: value parsing and
//! similarity, the reports, bad rows and bad headers.

mod util;

use std::fs;

use util::{read_csv, row, Dir};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/facts");

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

fn score(dir: &Dir, facts: &str, extra: &[&str]) -> util::Output {
    let mut args = vec!["score", "--facts", facts, "--out"];
    let out = dir.join("out");
    let out = out.to_str().unwrap().to_string();
    args.push(&out);
    args.extend_from_slice(extra);
    dir.run(args)
}

#[test]
fn author_spellings_merge_and_the_full_list_wins() {
    let dir = Dir::new();
    score(&dir, &fixture("bookshops.csv"), &[]).assert_code(0);
    let truths = read_csv(dir.join("out/truths.csv"));
    assert_eq!(truths.len(), 4);
    let cormen = row(&truths, "object", "0262033844");
    // Two partial listings lend support to the full list; the "(EDITORS)" and
    // upper-case spellings are the same four names.
    for name in ["Cormen", "Leiserson", "Rivest", "Stein"] {
        assert!(
            cormen["value"]
                .to_lowercase()
                .contains(&name.to_lowercase()),
            "{cormen:?}"
        );
    }
    let kr = row(&truths, "object", "0131103628");
    assert!(kr["value"].contains("Ritchie"), "{kr:?}");
    assert!(!kr["value"].contains("Pike"), "{kr:?}");
    let values = read_csv(dir.join("out/values.csv"));
    let cormen_values: Vec<_> = values
        .iter()
        .filter(|v| v["object"] == "0262033844")
        .collect();
    // Full list (3 spellings, one value), first author with initial, first author
    // without: "Cormen, Thomas H." and "Cormen, Thomas" are one value too.
    assert_eq!(cormen_values.len(), 2, "{cormen_values:?}");
    let chosen: Vec<_> = cormen_values
        .iter()
        .filter(|v| v["chosen"] == "true")
        .collect();
    assert_eq!(chosen.len(), 1);
    assert_eq!(chosen[0]["sources"], "3");
    assert!(chosen[0]["supporting_sources"].contains("Northgate Academic"));
}

#[test]
fn a_relisted_book_counts_once_and_not_available_is_no_statement() {
    let dir = Dir::new();
    let output = score(&dir, &fixture("bookshops.csv"), &[]);
    output.assert_code(0);
    output.assert_stderr_has("1 without a value");
    let sources = read_csv(dir.join("out/sources.csv"));
    let lantern = row(&sources, "source", "Lantern & Quill");
    // Two rows for one book with one value, and a "Not Available": one statement.
    assert_eq!(lantern["claims"], "1");
    // Re-crawling a row (the same shop, book and authors again) changes nothing either.
    let original = fs::read_to_string(fixture("bookshops.csv")).unwrap();
    let recrawled = dir.write(
        "recrawled.csv",
        format!(
            "{original}Midnight Remainders,0596007124,authors,\"Freeman, Eric; Sierra, Kathy\",again\n"
        ),
    );
    let again = Dir::new();
    score(&again, recrawled.to_str().unwrap(), &[]).assert_code(0);
    for name in ["truths.csv", "values.csv", "sources.csv"] {
        assert_eq!(
            fs::read(dir.join("out").join(name)).unwrap(),
            fs::read(again.join("out").join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn numbers_parse_through_separators_and_bad_rows_are_named() {
    let dir = Dir::new();
    let output = score(&dir, &fixture("cities.tsv"), &[]);
    output.assert_code(1);
    assert!(
        output.stderr.contains("cities.tsv:14:"),
        "the short row is named by line: {}",
        output.stderr
    );
    let truths = read_csv(dir.join("out/truths.csv"));
    let value = |city: &str| row(&truths, "object", city)["value"].replace(',', "");
    assert!(["48213", "48215"].contains(&value("brackenfield").as_str()));
    assert_eq!(value("oakhurst"), "12907");
    assert_eq!(value("fennick bay"), "3120");
    let kinds: Vec<&str> = truths.iter().map(|t| t["kind"].as_str()).collect();
    assert!(kinds.iter().all(|k| *k == "number"), "{kinds:?}");
    let values = read_csv(dir.join("out/values.csv"));
    let oakhurst: Vec<_> = values
        .iter()
        .filter(|v| v["object"] == "oakhurst")
        .collect();
    // "12,907" and "12907" are one value; the vandal's extra digit is another.
    assert_eq!(oakhurst.len(), 2, "{oakhurst:?}");
    let sources = read_csv(dir.join("out/sources.csv"));
    let trust = |s: &str| row(&sources, "source", s)["trust"].parse::<f64>().unwrap();
    assert!(trust("editor:Marlow") > trust("anon:10.0.0.9"));
}

#[test]
fn a_header_without_a_value_column_is_an_error_naming_it() {
    let dir = Dir::new();
    let facts = dir.write("facts.csv", "source,object,answer\na,b,c\n");
    let output = score(&dir, facts.to_str().unwrap(), &[]);
    output.assert_code(2);
    output.assert_stderr_has("`value`");
    assert!(!dir.join("out/truths.csv").exists());
}

#[test]
fn the_delimiter_comes_from_the_extension_or_the_flag() {
    let dir = Dir::new();
    let facts = dir.write(
        "facts.dat",
        "source;object;value\nfirst;sky;blue\nsecond;sky;blue\nthird;sky;green\n",
    );
    let facts = facts.to_str().unwrap();
    let output = score(&dir, facts, &[]);
    output.assert_code(2);
    output.assert_stderr_has("--delimiter");
    score(&dir, facts, &["--delimiter", ";"]).assert_code(0);
    let truths = read_csv(dir.join("out/truths.csv"));
    assert_eq!(row(&truths, "object", "sky")["value"], "blue");
}

#[test]
fn reports_are_identical_whatever_the_thread_count() {
    let dir = Dir::new();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        score(&dir, &fixture("bookshops.csv"), &["--threads", threads]).assert_code(0);
        outputs.push(
            ["truths.csv", "values.csv", "sources.csv"]
                .map(|name| fs::read(dir.join("out").join(name)).unwrap()),
        );
    }
    assert_eq!(outputs[0], outputs[1]);
}
