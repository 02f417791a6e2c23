//! End-to-end tests of how the reports are written and read back: `--excel` byte-order
//! marks, the `--html` report (present only when asked for, well-formed, complete,
//! escaped, charting history when there is some) and `credence explain`.

mod util;

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use credence::config::Config;
use credence::explain::Reports;
use credence::report::{HTML_REPORT, REPORT_FILES};
use util::{read_csv, row, Dir};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/news");
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `credence run fixtures/news --out OUT --quiet EXTRA...` in `dir`; expects exit 0.
fn run_fixtures(dir: &Dir, out: &str, extra: &[&str]) {
    let mut args = vec!["run", FIXTURES, "--out", out, "--quiet"];
    args.extend_from_slice(extra);
    dir.run(args).assert_code(0);
}

fn read(dir: &Dir, path: impl AsRef<Path>) -> Vec<u8> {
    let path = dir.join(path);
    fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

#[test]
fn excel_puts_a_bom_before_every_csv_and_changes_nothing_else() {
    let dir = Dir::new();
    run_fixtures(&dir, "plain", &[]);
    run_fixtures(&dir, "excel", &["--excel"]);
    dir.write("excel.toml", "[report]\nexcel = true\n");
    run_fixtures(&dir, "configured", &["--config", "excel.toml"]);
    for name in REPORT_FILES {
        let plain = read(&dir, Path::new("plain").join(name));
        assert!(!plain.starts_with(BOM), "{name} has a BOM without --excel");
        for out in ["excel", "configured"] {
            let excel = read(&dir, Path::new(out).join(name));
            assert!(excel.starts_with(BOM), "{out}/{name} lacks the BOM");
            assert!(
                excel[BOM.len()..] == plain[..],
                "{out}/{name} differs from the plain report beyond the BOM"
            );
        }
        // Readers of the reports see the same header either way.
        let (a, b) = (
            read_csv(dir.join("plain").join(name)),
            read_csv(dir.join("excel").join(name)),
        );
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn html_report_is_written_only_when_asked_for() {
    let dir = Dir::new();
    run_fixtures(&dir, "plain", &[]);
    assert!(!dir.join("plain").join(HTML_REPORT).exists());
    run_fixtures(&dir, "html", &["--html"]);
    assert!(dir.join("html").join(HTML_REPORT).is_file());
    // Exactly the reports and the run's state, and staging left nothing behind.
    let names = |out: &str| util::dir_names(dir.join(out));
    let mut expected: Vec<String> = REPORT_FILES
        .iter()
        .chain(&util::RUN_STATE)
        .map(|s| s.to_string())
        .collect();
    expected.sort();
    assert_eq!(names("plain"), expected);
    expected.push(HTML_REPORT.to_string());
    expected.sort();
    assert_eq!(names("html"), expected);
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The page is one document whose structural tags open and close in equal numbers,
/// with nothing fetched and nothing run.
fn assert_well_formed(html: &str) {
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html"),
        "{}",
        &html[..80]
    );
    assert!(html.ends_with("</body>\n</html>\n"));
    for tag in [
        "html", "head", "body", "style", "section", "table", "thead", "tbody", "tr", "td", "th",
        "svg", "article", "div", "p", "h2", "h3", "dl", "code",
    ] {
        let opened = count(html, &format!("<{tag}>")) + count(html, &format!("<{tag} "));
        let closed = count(html, &format!("</{tag}>"));
        assert_eq!(
            opened, closed,
            "<{tag}> opened {opened} times, closed {closed}"
        );
    }
    assert!(count(html, "<section") >= 5);
    for forbidden in [
        "<script",
        "<img",
        "<link",
        "<iframe",
        " src=\"",
        "href=\"http",
        "@import",
        "url(",
    ] {
        assert!(!html.contains(forbidden), "page contains {forbidden:?}");
    }
    assert!(html.contains("@media print"));
}

/// The ranking table's HTML.
fn ranking(html: &str) -> &str {
    let start = html.find("<table id=\"ranking\">").expect("ranking table");
    let end = start
        + html[start..]
            .find("</table>")
            .expect("ranking table closes");
    &html[start..end]
}

#[test]
fn html_report_of_the_fixtures_is_complete_well_formed_and_deterministic() {
    let dir = Dir::new();
    run_fixtures(&dir, "one", &["--html", "--threads", "1"]);
    run_fixtures(&dir, "two", &["--html", "--threads", "2"]);
    let html = String::from_utf8(read(&dir, "one/report.html")).unwrap();
    assert!(
        html.as_bytes() == read(&dir, "two/report.html"),
        "report.html differs between thread counts"
    );
    assert_well_formed(&html);

    let outlets = dir.csv("one/outlets.csv");
    let table = ranking(&html);
    let mut last = 0;
    for outlet in &outlets {
        let cell = format!("<td class=\"outlet\">{}</td>", outlet["outlet"]);
        let at = table
            .find(&cell)
            .unwrap_or_else(|| panic!("{} missing from the ranking", outlet["outlet"]));
        assert!(
            at > last,
            "ranking out of outlets.csv order at {}",
            outlet["outlet"]
        );
        last = at;
    }
    assert_eq!(
        count(table, "<svg"),
        outlets.len() + 1,
        "a bar per outlet and the axis"
    );

    // The Bloomberg deal is stated by three outlets; the $120 million contradiction
    // sets daily-buzz against the outlets with the $48 million figure.
    assert!(html.contains("Most corroborated facts") && html.contains("Most contradicted facts"));
    assert!(count(&html, "class=\"claim for\"") > 10);
    assert!(html.contains("class=\"claim against\""));
    assert!(html.contains("$120 million"));
    assert!(html.contains(">copy</span>"), "wire copies are marked");
    // Every fact card names its fact's story, as facts.csv does.
    let facts = dir.csv("one/facts.csv");
    let cards: Vec<&str> = html.split("· fact <code>").skip(1).collect();
    assert!(cards.len() >= 2, "fact cards");
    for card in cards {
        let (fact, rest) = card
            .split_once("</code> · story <code>")
            .expect("story on card");
        let story = &rest[..rest.find("</code>").unwrap()];
        assert_eq!(row(&facts, "fact_id", fact)["story_id"], story, "{fact}");
    }
    assert!(html.contains("No history yet"));
    assert!(html.contains("No input was skipped"));
    assert!(html.contains(&format!("credence {}", env!("CARGO_PKG_VERSION"))));
}

/// One fact in four wordings, so no two are verbatim copies; the first carries markup.
const BRIDGE_CLOSED: [&str; 4] = [
    "The Alder River Bridge in Marston was closed on Monday after inspectors found cracks in \
     its <b>steel</b> girders, the state transportation department said.",
    "State inspectors closed the Alder River Bridge in Marston on Monday after finding cracks \
     in its steel girders, the state transportation department said.",
    "Inspectors shut the Alder River Bridge in Marston on Monday because of cracked steel \
     girders, according to the state transportation department.",
    "The Alder River Bridge in Marston closed Monday when inspectors discovered cracks in the \
     steel girders, the state transportation department said.",
];

#[test]
fn html_report_escapes_outlets_text_and_paths() {
    let dir = Dir::new();
    let outlet = "<script>alert('credence')</script> & Co";
    let feed: String = [
        (outlet, BRIDGE_CLOSED[0], "$48 million"),
        ("Harbor \"Times\"", BRIDGE_CLOSED[1], "$48 million"),
        ("Valley Post", BRIDGE_CLOSED[2], "$48 million"),
        ("@wire desk", BRIDGE_CLOSED[3], "$90 million"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (outlet, closed, figure))| {
        let text =
            format!("{closed}\n\nThe department estimates that the repair will cost {figure}.\n");
        serde_json::json!({ "id": format!("a{i}"), "outlet": outlet, "text": text }).to_string()
            + "\n"
    })
    .collect();
    dir.write("news/feed.jsonl", feed);
    dir.write("news/<img src=x onerror=alert(1)>.bin", "not an article");
    dir.run(["run", "news", "--out", "out", "--html", "--quiet"])
        .assert_code(1);
    let html = fs::read_to_string(dir.join("out/report.html")).unwrap();
    assert_well_formed(&html);
    assert!(
        !html.contains("<b>steel") && !html.contains("<img"),
        "markup leaked"
    );
    let escaped = "&lt;script&gt;alert(&#39;credence&#39;)&lt;/script&gt; &amp; Co";
    assert!(ranking(&html).contains(escaped), "{}", ranking(&html));
    assert!(ranking(&html).contains("Harbor &quot;Times&quot;"));
    // Names keep their text: no spreadsheet quote in the page.
    assert!(ranking(&html).contains(">@wire desk<"));
    assert!(html.contains("&lt;b&gt;steel&lt;/b&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;.bin"));
    assert!(html.contains("<table id=\"skipped\">"));
}

#[test]
fn html_report_charts_history_and_survives_a_malformed_one() {
    let dir = Dir::new();
    let outlets: Vec<String> = {
        run_fixtures(&dir, "first", &[]);
        dir.csv("first/outlets.csv")
            .iter()
            .map(|o| o["outlet"].clone())
            .collect()
    };
    let mut history = String::from("run_date,outlet,score,extra\n");
    for date in ["2026-03-10", "2026-03-11"] {
        for outlet in &outlets {
            history.push_str(&format!("{date},{outlet},0.6,x\n"));
        }
    }
    history.push_str("2026-03-11,gone-outlet,0.4,x\n2026-03-11,broken,n/a,x\n");
    dir.write("out/history/outlets.csv", &history);
    run_fixtures(&dir, "out", &["--html"]);
    let html = fs::read_to_string(dir.join("out/report.html")).unwrap();
    assert_well_formed(&html);
    assert_eq!(count(&html, "<div class=\"chart\">"), outlets.len() + 1);
    assert!(html.contains("1 unusable row left out"));
    assert!(html.contains("gone-outlet"));
    assert_eq!(
        count(&html, "<polyline"),
        outlets.len(),
        "two runs make a line per current outlet"
    );

    dir.write(
        "out/history/outlets.csv",
        "when,who,trust\n2026-03-10,a,0.5\n",
    );
    run_fixtures(&dir, "out", &["--html"]);
    let html = fs::read_to_string(dir.join("out/report.html")).unwrap();
    assert_well_formed(&html);
    assert!(
        html.contains("was not charted"),
        "malformed history is reported"
    );
    assert_eq!(count(&html, "<div class=\"chart\">"), 0);
}

/// Every `A (report: B)` in an explanation: the recomputed number next to the reported.
fn recomputed_pairs(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        while let Some(at) = rest.find(" (report: ") {
            let before = rest[..at].rsplit(' ').next().unwrap_or_default();
            let after = &rest[at + " (report: ".len()..];
            let end = after.find(')').expect("report number closes");
            pairs.push((before.to_string(), after[..end].to_string()));
            rest = &after[end..];
        }
    }
    pairs
}

fn assert_recomputed_matches(target: &str, text: &str) -> usize {
    let pairs = recomputed_pairs(text);
    for (ours, reported) in &pairs {
        let (a, b): (f64, f64) = (
            ours.parse()
                .unwrap_or_else(|_| panic!("{target}: {ours:?} in\n{text}")),
            reported.parse().unwrap(),
        );
        // Recomputed from four-decimal inputs, so a little rounding is expected.
        let tolerance = if ours.contains('.') { 1e-3 } else { 0.0 };
        assert!(
            (a - b).abs() <= tolerance,
            "{target}: recomputed {ours} but the report says {reported}\n{text}"
        );
    }
    pairs.len()
}

#[test]
fn explain_redoes_the_arithmetic_of_every_claim_and_outlet() {
    let dir = Dir::new();
    run_fixtures(&dir, "out", &["--excel"]);
    let reports = Reports::load(&dir.join("out")).unwrap();
    let config = Config::builtin();
    for claim in dir.csv("out/claims.csv") {
        let text = reports
            .explain(&claim["claim_id"], &config, "defaults")
            .unwrap();
        assert_eq!(assert_recomputed_matches(&claim["claim_id"], &text), 3);
    }
    for outlet in dir.csv("out/outlets.csv") {
        let text = reports
            .explain(&outlet["outlet"], &config, "defaults")
            .unwrap();
        assert_eq!(assert_recomputed_matches(&outlet["outlet"], &text), 4);
    }
}

#[test]
fn explain_a_claim_lists_its_supporters_and_their_voices() {
    let dir = Dir::new();
    run_fixtures(&dir, "reports", &[]);
    let claims = dir.csv("reports/claims.csv");
    let closure = claims
        .iter()
        .find(|c| c["outlet"] == "Northern Ledger" && c["sentence"].contains("closed indefinitely"))
        .expect("the Northern Ledger closure claim");
    let out = dir.run(["explain", &closure["claim_id"]]);
    out.assert_code(0);
    let text = &out.stdout;
    assert!(
        text.starts_with(&format!("Claim {}", closure["claim_id"])),
        "{text}"
    );
    assert!(text.contains(&closure["sentence"]), "{text}");
    let supporting = section(text, "Supporting", "Contradicting");
    for outlet in ["Lakeside Observer", "harbor-times", "river-gazette"] {
        assert!(
            supporting.contains(&format!("+ {outlet} ")),
            "{outlet}:\n{text}"
        );
    }
    assert!(text.contains("independent voices: 3 (report: 3)"), "{text}");
    assert!(
        text.contains("ln(3·"),
        "the vote formula with numbers:\n{text}"
    );

    // A wire copy: three outlets, one voice.
    let wire = claims
        .iter()
        .find(|c| c["outlet"] == "metro-daily" && c["sentence"].contains("will cut 1,200 jobs"))
        .unwrap();
    let out = dir.run(["explain", &wire["claim_id"], "--out", "reports"]);
    out.assert_code(0);
    assert!(
        out.stdout.contains("copies, similarity 1.00"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("not independent"), "{}", out.stdout);
    assert!(out.stdout.contains("share 0.3333"), "{}", out.stdout);
}

/// The text between the line starting with `from` and the next starting with `to`.
fn section<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text.find(&format!("\n{from}")).expect("section start");
    let end = start + text[start..].find(&format!("\n{to}")).expect("section end");
    &text[start..end]
}

#[test]
fn explain_an_outlet_shows_its_counts_and_groups_its_claims() {
    let dir = Dir::new();
    run_fixtures(&dir, "reports", &[]);
    let outlets = dir.csv("reports/outlets.csv");
    let buzz: &HashMap<String, String> = row(&outlets, "outlet", "daily-buzz");
    let out = dir.run(["explain", "--out", "reports", "Daily-Buzz"]);
    out.assert_code(0);
    let text = &out.stdout;
    assert!(text.starts_with("Outlet daily-buzz\n"), "{text}");
    let counts = format!(
        "{} articles, {} claims, {} checkable, {} corroborated, {} contradicted",
        buzz["articles"],
        buzz["claims"],
        buzz["checkable"],
        buzz["corroborated"],
        buzz["contradicted"]
    );
    assert!(text.contains(&counts), "{counts}\n{text}");
    assert!(
        text.contains(&format!("(report: {})", buzz["score"])),
        "{text}"
    );
    assert!(text.contains("α₀ = 2.8000, β₀ = 1.2000"), "{text}");
    let contradicted = section(text, "Contradicted", "Unresolved");
    assert!(contradicted.contains("$120 million"), "{text}");
    assert!(text.contains("\nUncheckable: "), "{text}");
}

#[test]
fn explain_unknown_target_fails_with_suggestions() {
    let dir = Dir::new();
    run_fixtures(&dir, "reports", &[]);
    let out = dir.run(["explain", "dailybuz"]);
    out.assert_code(2);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    out.assert_stderr_has("`dailybuz`");
    out.assert_stderr_has("did you mean `daily-buzz`");
    assert!(out.stdout.is_empty());

    let claim_id = dir.csv("reports/claims.csv")[0]["claim_id"].clone();
    let typo = format!("{}0", &claim_id[..claim_id.len() - 1]);
    let out = dir.run(["explain", &typo]);
    out.assert_code(2);
    out.assert_stderr_has(&claim_id);

    let out = dir.run(["explain", "zzzz"]);
    out.assert_code(2);
    out.assert_stderr_has("outlets are: ");

    let out = dir.run(["explain", "daily-buzz", "--out", "nowhere"]);
    out.assert_code(2);
    out.assert_stderr_has("nowhere");
}

#[test]
fn explain_reads_neutralised_names_from_excel_reports() {
    let dir = Dir::new();
    let feed: String = [
        ("@wire desk", BRIDGE_CLOSED[1]),
        ("=Evening Post", BRIDGE_CLOSED[3]),
    ]
    .iter()
    .enumerate()
    .map(|(i, (outlet, text))| {
        serde_json::json!({ "id": format!("a{i}"), "outlet": outlet, "text": text }).to_string()
            + "\n"
    })
    .collect();
    dir.write("news/feed.jsonl", feed);
    dir.run(["run", "news", "--out", "out", "--excel", "--quiet"])
        .assert_code(0);
    let out = dir.run(["explain", "--out", "out", "@WIRE DESK"]);
    out.assert_code(0);
    assert!(
        out.stdout.starts_with("Outlet @wire desk\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(": =Evening Post]"), "{}", out.stdout);
    assert!(!out.stdout.contains("'="), "{}", out.stdout);
}
