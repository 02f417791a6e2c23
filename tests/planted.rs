//! End-to-end: `credence run` over the bundled fixture corpus finds what was planted in
//! it (see fixtures/README.md): independent corroboration, contradictions by a number,
//! a year and a denial, a wire story syndicated verbatim by three outlets, reports that
//! all cite one origin, an unreliable outlet, and five stories over several outlets
//! beside three articles that stand alone.

mod util;

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use util::{read_csv, Dir, Run};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/news");

type Rows = Vec<HashMap<String, String>>;

struct Reports {
    claims: Rows,
    facts: Rows,
    outlets: Rows,
    evidence: Rows,
    articles: Rows,
    inputs: Rows,
}

/// One run shared by every test here: the corpus is fixed, so is its output.
fn reports() -> &'static Reports {
    static REPORTS: OnceLock<Reports> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let dir = Dir::new();
        let out = dir.join("reports");
        Run::new()
            .args(["run", FIXTURES, "--out", out.to_str().unwrap(), "--quiet"])
            .run()
            .assert_code(0);
        let read = |name: &str| read_csv(out.join(name));
        Reports {
            claims: read("claims.csv"),
            facts: read("facts.csv"),
            outlets: read("outlets.csv"),
            evidence: read("evidence.csv"),
            articles: read("articles.csv"),
            inputs: read("inputs.csv"),
        }
    })
}

/// The claims from `outlet` whose sentence contains `needle`; exactly one expected.
fn claim<'a>(outlet: &str, needle: &str) -> &'a HashMap<String, String> {
    let found: Vec<&HashMap<String, String>> = reports()
        .claims
        .iter()
        .filter(|c| c["outlet"] == outlet && c["sentence"].contains(needle))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "claims of {outlet} containing {needle:?}: {found:#?}"
    );
    found[0]
}

fn outlets(cell: &str) -> BTreeSet<&str> {
    cell.split("; ").filter(|s| !s.is_empty()).collect()
}

fn number(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} = {:?}", row[column]))
}

fn relation(a: &HashMap<String, String>, b: &HashMap<String, String>) -> Option<String> {
    reports()
        .evidence
        .iter()
        .find(|e| e["claim_id"] == a["claim_id"] && e["other_claim_id"] == b["claim_id"])
        .map(|e| e["relation"].clone())
}

fn outlet(name: &str) -> &'static HashMap<String, String> {
    reports()
        .outlets
        .iter()
        .find(|o| o["outlet"] == name)
        .unwrap_or_else(|| panic!("no outlet {name}"))
}

#[test]
fn syndicated_copies_add_no_independent_support() {
    let copies = ["metro-daily", "coastal-herald", "valley-post"];
    for outlet in copies {
        let jobs = claim(outlet, "will cut 1,200 jobs");
        let others: BTreeSet<&str> = copies.iter().copied().filter(|o| *o != outlet).collect();
        assert!(
            outlets(&jobs["supporting_outlets"]).is_superset(&others),
            "{jobs:#?}"
        );
        // Two other outlets carry the same text, but only Pine Valley Radio reported it
        // independently.
        assert_eq!(jobs["independent_support"], "1", "{jobs:#?}");
    }
    let radio = claim("Pine Valley Radio", "1,200 positions");
    assert_eq!(
        radio["independent_support"], "1",
        "three copies are one voice: {radio:#?}"
    );
    let (metro, coastal) = (
        claim("metro-daily", "Elmstead base, which has serviced"),
        claim("coastal-herald", "Elmstead base, which has serviced"),
    );
    assert_eq!(relation(metro, coastal).as_deref(), Some("copies"));
}

#[test]
fn independent_reports_corroborate() {
    let closure = claim("Northern Ledger", "closed indefinitely");
    assert_eq!(
        outlets(&closure["supporting_outlets"]),
        BTreeSet::from(["Lakeside Observer", "harbor-times", "river-gazette"])
    );
    assert_eq!(closure["independent_support"], "3");
    assert!(number(closure, "score") > 0.9, "{closure:#?}");
}

#[test]
fn a_conflicting_amount_is_a_contradiction() {
    let inflated = claim("daily-buzz", "$120 million");
    let official = claim("harbor-times", "$48 million");
    assert!(
        outlets(&inflated["contradicting_outlets"]).is_superset(&BTreeSet::from([
            "Lakeside Observer",
            "Northern Ledger",
            "harbor-times",
            "river-gazette"
        ]))
    );
    assert_eq!(
        relation(inflated, claim("Northern Ledger", "$48 million")).as_deref(),
        Some("contradicts")
    );
    assert!(number(inflated, "score") < 0.1, "{inflated:#?}");
    assert!(number(official, "score") > 0.9, "{official:#?}");
}

#[test]
fn a_conflicting_year_is_a_contradiction() {
    let wrong = claim("daily-buzz", "built in 1975");
    let right = claim("river-gazette", "built in 1962");
    assert_eq!(relation(wrong, right).as_deref(), Some("contradicts"));
    assert!(number(wrong, "score") < number(right, "score"));
}

#[test]
fn a_denial_contradicts_the_reports_it_denies() {
    let denial = claim("daily-buzz", "did not sign the 2026 budget");
    assert_eq!(denial["polarity"], "negated");
    let signed = claim("harbor-times", "signed Kesterfield's 2026 budget");
    assert_eq!(relation(denial, signed).as_deref(), Some("contradicts"));
    assert!(outlets(&signed["contradicting_outlets"]).contains("daily-buzz"));
}

#[test]
fn reports_citing_one_origin_are_one_voice() {
    let cited = [
        claim(
            "metro-daily",
            "reportedly in talks to acquire Belcourt Labs",
        ),
        claim("coastal-herald", "according to a Bloomberg report"),
        claim("Northern Ledger", "Bloomberg reported on Friday"),
    ];
    for row in cited {
        assert_eq!(row["voice"], "origin:bloomberg", "{row:#?}");
        assert_eq!(row["attribution"], "bloomberg");
    }
    assert_eq!(cited[0]["hedge"], "reportedly");
    // Each has two other outlets behind it, and none of them is an independent voice
    // for the metro-daily report.
    assert_eq!(outlets(&cited[0]["supporting_outlets"]).len(), 2);
    assert_eq!(cited[0]["independent_support"], "0");
}

#[test]
fn a_contradicted_outlet_scores_below_corroborated_ones() {
    let buzz = outlet("daily-buzz");
    for reliable in ["harbor-times", "river-gazette", "valley-post"] {
        let other = outlet(reliable);
        assert!(
            number(buzz, "score") < number(other, "score"),
            "{buzz:#?} vs {other:#?}"
        );
        assert!(
            number(buzz, "score_high") < number(other, "score"),
            "interval overlaps {reliable}"
        );
    }
    assert!(number(buzz, "contradicted") >= 4.0, "{buzz:#?}");
    assert_eq!(reports().outlets.last().unwrap()["outlet"], "daily-buzz");
}

#[test]
fn few_checkable_claims_give_a_wide_interval() {
    let (radio, gazette) = (outlet("Pine Valley Radio"), outlet("river-gazette"));
    let width = |o: &HashMap<String, String>| number(o, "score_high") - number(o, "score_low");
    assert!(number(radio, "checkable") < number(gazette, "checkable"));
    assert!(width(radio) > width(gazette), "{radio:#?} {gazette:#?}");
    for o in &reports().outlets {
        let (low, score, high) = (
            number(o, "score_low"),
            number(o, "score"),
            number(o, "score_high"),
        );
        assert!(
            (0.0..=1.0).contains(&low) && low <= score && score <= high && high <= 1.0,
            "{o:#?}"
        );
    }
}

#[test]
fn page_furniture_never_becomes_a_claim() {
    for row in &reports().claims {
        let sentence = row["sentence"].to_lowercase();
        for furniture in [
            "donate",
            "newsletter",
            "share this story",
            "advertisement",
            "photo:",
        ] {
            assert!(!sentence.contains(furniture), "{row:#?}");
        }
    }
    let harbor: Vec<_> = reports()
        .articles
        .iter()
        .filter(|a| a["outlet"] == "harbor-times")
        .collect();
    assert_eq!(harbor.len(), 3);
    assert!(
        harbor.iter().all(|a| number(a, "dropped_furniture") >= 1.0),
        "{harbor:#?}"
    );
}

#[test]
fn outlets_come_from_manifest_directory_and_jsonl() {
    let names: BTreeSet<&str> = reports()
        .outlets
        .iter()
        .map(|o| o["outlet"].as_str())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "Lakeside Observer",
            "Northern Ledger",
            "Pine Valley Radio",
            "coastal-herald",
            "daily-buzz",
            "harbor-times",
            "metro-daily",
            "river-gazette",
            "valley-post"
        ])
    );
    let ledger = reports()
        .articles
        .iter()
        .find(|a| a["outlet"] == "Northern Ledger")
        .unwrap();
    assert!(ledger["article"].starts_with("northern-ledger/"));
    assert!(ledger["published"].starts_with("2026-03-"), "{ledger:#?}");
    assert!(reports()
        .articles
        .iter()
        .any(|a| a["article"] == "lo-2026-0303-01"));
}

#[test]
fn articles_group_into_the_planted_stories() {
    let mut stories: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for article in &reports().articles {
        stories
            .entry(article["story_id"].as_str())
            .or_default()
            .insert(article["article"].as_str());
    }
    let found: BTreeSet<BTreeSet<&str>> = stories.into_values().collect();
    let planted: BTreeSet<BTreeSet<&str>> = [
        // S1 bridge
        &[
            "harbor-times/alder-river-bridge-closed.txt",
            "northern-ledger/alder-bridge-girder-cracks.txt",
            "river-gazette/alder-river-bridge-closure.txt",
            "lo-2026-0303-01",
            "daily-buzz/alder-bridge-120-million-disaster.txt",
        ][..],
        // S2 budget, with the Northern Ledger preview written before the vote
        &[
            "harbor-times/kesterfield-budget-signed.txt",
            "valley-post/kesterfield-council-adopts-budget.txt",
            "river-gazette/kesterfield-budget-vote.txt",
            "northern-ledger/kesterfield-budget-tax-outlook.txt",
            "daily-buzz/ortiz-refuses-to-sign-budget.txt",
        ],
        // S3 Northwind: three wire copies and one independent report
        &[
            "metro-daily/northwind-airlines-job-cuts.txt",
            "coastal-herald/northwind-to-shed-jobs.txt",
            "valley-post/northwind-announces-job-cuts.txt",
            "pvr-2026-0305-01",
        ],
        // S4 Drayton / Belcourt
        &[
            "metro-daily/drayton-pharma-belcourt-bid.txt",
            "coastal-herald/drayton-chief-denies-deal.txt",
            "northern-ledger/drayton-belcourt-talks.txt",
        ],
        // S5 wildfire
        &[
            "river-gazette/greenhollow-fire.txt",
            "valley-post/greenhollow-wildfire-crews-gain-ground.txt",
            "lo-2026-0311-01",
            "daily-buzz/greenhollow-inferno.txt",
        ],
        // Fillers
        &["harbor-times/calloway-ferry-evening-sailings.txt"],
        &["metro-daily/crosstown-late-night-buses.txt"],
        &["coastal-herald/gull-point-shellfish-beds-reopen.txt"],
    ]
    .into_iter()
    .map(|story| story.iter().copied().collect())
    .collect();
    assert_eq!(found, planted);
}

#[test]
fn claims_and_facts_carry_the_story_of_their_articles() {
    let article_story: HashMap<&str, &str> = reports()
        .articles
        .iter()
        .map(|a| (a["article"].as_str(), a["story_id"].as_str()))
        .collect();
    let mut fact_stories: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for claim in &reports().claims {
        assert_eq!(claim["story_id"], article_story[claim["article"].as_str()]);
        fact_stories
            .entry(claim["fact_id"].as_str())
            .or_default()
            .insert(claim["story_id"].as_str());
    }
    assert_eq!(fact_stories.len(), reports().facts.len());
    for fact in &reports().facts {
        let stories = &fact_stories[fact["fact_id"].as_str()];
        assert_eq!(
            stories,
            &BTreeSet::from([fact["story_id"].as_str()]),
            "{fact:#?}"
        );
    }
}

#[test]
fn every_input_file_is_accounted_for() {
    let files = walk(std::path::Path::new(FIXTURES));
    let rows: BTreeSet<String> = reports().inputs.iter().map(|r| r["path"].clone()).collect();
    assert_eq!(rows.len(), files.len());
    for file in files {
        assert!(rows.contains(&file), "{file} missing from inputs.csv");
    }
    assert!(reports().inputs.iter().all(|r| r["status"] == "processed"));
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path.display().to_string());
        }
    }
    files
}

#[test]
fn facts_are_listed_most_widely_reported_first_then_by_id() {
    let keys: Vec<(usize, &str)> = reports()
        .facts
        .iter()
        .map(|f| (f["outlets"].parse().unwrap(), f["fact_id"].as_str()))
        .collect();
    assert!(keys.first().unwrap().0 > keys.last().unwrap().0);
    for pair in keys.windows(2) {
        let ((outlets_a, id_a), (outlets_b, id_b)) = (pair[0], pair[1]);
        assert!(
            outlets_a > outlets_b || (outlets_a == outlets_b && id_a < id_b),
            "{pair:?}"
        );
    }
}

#[test]
fn evidence_lists_each_edge_both_ways_by_claim_ids() {
    let evidence = &reports().evidence;
    let row = |e: &HashMap<String, String>| {
        let cell = |column: &str| e[column].clone();
        [
            cell("claim_id"),
            cell("other_claim_id"),
            cell("relation"),
            cell("similarity"),
        ]
    };
    let rows: Vec<[String; 4]> = evidence.iter().map(row).collect();
    assert!(rows.len() > 10, "{}", rows.len());
    let rows_set: BTreeSet<&[String; 4]> = rows.iter().collect();
    for [from, to, relation, similarity] in &rows {
        let reverse = [
            to.clone(),
            from.clone(),
            relation.clone(),
            similarity.clone(),
        ];
        assert!(rows_set.contains(&reverse), "no {reverse:?}");
    }
    // Claim ids are spelled at one width, so their text order is their order.
    for pair in rows.windows(2) {
        assert!(
            (&pair[0][0], &pair[0][1]) < (&pair[1][0], &pair[1][1]),
            "{pair:?}"
        );
    }
}
