//! Writes the reports (the CSVs, and `report.html` with `--html`), all or nothing.
//!
//! Every report is first written into a temporary directory inside `--out`, then each is
//! renamed over its predecessor; a run that fails before the renames leaves last
//! night's reports exactly as they were. Text cells that a spreadsheet would read as a
//! formula (`=`, `+`, `-`, `@`, tab, CR) are prefixed with `'`; numbers are written
//! with a fixed four decimals. With `--excel` each CSV starts with a UTF-8 byte-order
//! mark, without which Excel reads the file in the local code page.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::{Analysis, OutletSummary, Support};

/// The CSV reports, written by every run.
pub const REPORT_FILES: &[&str] = &[
    "outlets.csv",
    "claims.csv",
    "facts.csv",
    "evidence.csv",
    "articles.csv",
    "inputs.csv",
];

/// The HTML report, written with `--html`.
pub const HTML_REPORT: &str = "report.html";

/// Where earlier runs' outlet scores are kept, relative to `--out`; the HTML report
/// charts them when present.
pub const HISTORY_FILE: &str = "history/outlets.csv";

/// How the reports are written, beyond what they contain.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// Start every CSV with a UTF-8 byte-order mark, which Excel needs to read UTF-8.
    pub excel: bool,
    /// Also write `report.html`.
    pub html: bool,
}

/// Writes every report into `dir` atomically; returns the paths written.
pub fn write_reports(
    dir: &Path,
    analysis: &Analysis,
    options: &ReportOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    // Claims, outlets and the HTML report all need every claim's support.
    let supports = analysis.supports();
    let summaries = analysis.outlet_summaries(&supports);
    let rows = ReportRows::build(analysis, &supports, &summaries);
    let bom = options.excel;
    let mut files: Vec<StagedFile> = vec![
        (
            "outlets.csv",
            Box::new(|path| write_csv(path, &rows.outlets, bom)),
        ),
        (
            "claims.csv",
            Box::new(|path| write_csv(path, &rows.claims, bom)),
        ),
        (
            "facts.csv",
            Box::new(|path| write_csv(path, &rows.facts, bom)),
        ),
        (
            "evidence.csv",
            Box::new(|path| write_csv(path, &rows.evidence, bom)),
        ),
        (
            "articles.csv",
            Box::new(|path| write_csv(path, &rows.articles, bom)),
        ),
        (
            "inputs.csv",
            Box::new(|path| write_csv(path, &rows.inputs, bom)),
        ),
    ];
    if options.html {
        files.push((
            HTML_REPORT,
            Box::new(|path| {
                let history = crate::history::load(&dir.join(HISTORY_FILE));
                let page = crate::html::render(analysis, &supports, &summaries, &history);
                write_file(path, page.as_bytes())
            }),
        ));
    }
    write_atomically(dir, &files)
}

/// A file to publish: its name in the output directory, and how to write it to a path.
pub type StagedFile<'a> = (&'a str, Box<dyn Fn(&Path) -> anyhow::Result<()> + 'a>);

/// Writes each file into a staging directory inside `dir`, then renames them all into
/// place; returns the paths written. A failure before the renames leaves the previous
/// files exactly as they were.
pub fn write_atomically(dir: &Path, files: &[StagedFile]) -> anyhow::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create output directory {}", dir.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".credence-staging-")
        .tempdir_in(dir)
        .with_context(|| format!("cannot write reports to {}", dir.display()))?;
    for (name, write) in files {
        write(&staging.path().join(name))?;
    }
    // Renames cannot fail half-way for a reason we can see in advance: check every
    // target first, so a blocked one stops the run before any report is replaced.
    for (name, _) in files {
        let target = dir.join(name);
        if target.symlink_metadata().is_ok_and(|m| !m.is_file()) {
            anyhow::bail!("cannot replace {}: not a regular file", target.display());
        }
    }
    let mut written = Vec::new();
    for (name, _) in files {
        let target = dir.join(name);
        fs::rename(staging.path().join(name), &target)
            .with_context(|| format!("cannot replace {}", target.display()))?;
        written.push(target);
    }
    Ok(written)
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes rows as CSV with a header, after a UTF-8 byte-order mark when `bom`.
pub fn write_csv<T: Serialize>(path: &Path, rows: &[T], bom: bool) -> anyhow::Result<()> {
    let context = || format!("cannot write {}", path.display());
    let mut file = fs::File::create(path).with_context(context)?;
    if bom {
        file.write_all(UTF8_BOM).with_context(context)?;
    }
    let mut writer = csv::Writer::from_writer(file);
    for row in rows {
        writer.serialize(row).with_context(context)?;
    }
    writer.flush().with_context(context)?;
    writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("{}", e.error()))
        .and_then(|file| file.sync_all().map_err(Into::into))
        .with_context(context)?;
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let context = || format!("cannot write {}", path.display());
    let mut file = fs::File::create(path).with_context(context)?;
    file.write_all(bytes).with_context(context)?;
    file.sync_all().with_context(context)?;
    Ok(())
}

/// Four decimals, always: stable diffs between nightly runs, and a spreadsheet reads
/// them as numbers.
pub fn fixed(x: f64) -> String {
    format!("{x:.4}")
}

/// What a spreadsheet would take for the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Neutralises text a spreadsheet would evaluate as a formula.
pub fn cell(text: &str) -> String {
    if text.starts_with(FORMULA_STARTS) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The text `cell` was given, for readers of the reports. (Text that itself began with
/// `'` and a formula character loses its `'`: the two cannot be told apart.)
pub fn uncell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => text,
    }
}

fn join(names: &BTreeSet<&str>) -> String {
    cell(&names.iter().copied().collect::<Vec<_>>().join("; "))
}

#[derive(Serialize)]
struct OutletRow {
    outlet: String,
    articles: usize,
    claims: usize,
    checkable: usize,
    corroborated: usize,
    contradicted: usize,
    score: String,
    score_low: String,
    score_high: String,
}

#[derive(Serialize)]
struct ClaimRow {
    claim_id: String,
    fact_id: String,
    story_id: String,
    value_group: usize,
    outlet: String,
    article: String,
    sentence: String,
    score: String,
    supporting_outlets: String,
    contradicting_outlets: String,
    independent_support: usize,
    voice: String,
    entities: String,
    hedge: String,
    attribution: String,
    polarity: &'static str,
    values: String,
    weight: String,
}

#[derive(Serialize)]
struct FactRow {
    fact_id: String,
    story_id: String,
    claims: usize,
    outlets: usize,
    values: usize,
    independent_sources: usize,
    independent_against: usize,
    score: String,
    statement: String,
}

#[derive(Serialize)]
struct EvidenceRow {
    claim_id: String,
    other_claim_id: String,
    relation: &'static str,
    similarity: String,
}

#[derive(Serialize)]
struct ArticleRow {
    article: String,
    outlet: String,
    story_id: String,
    title: String,
    published: String,
    url: String,
    claims: usize,
    dropped_furniture: usize,
    dropped_uncheckable: usize,
}

#[derive(Serialize)]
struct InputRow {
    path: String,
    status: &'static str,
    reason: String,
    articles: usize,
    claims: usize,
}

struct ReportRows {
    outlets: Vec<OutletRow>,
    claims: Vec<ClaimRow>,
    facts: Vec<FactRow>,
    evidence: Vec<EvidenceRow>,
    articles: Vec<ArticleRow>,
    inputs: Vec<InputRow>,
}

impl ReportRows {
    fn build(analysis: &Analysis, supports: &[Support], summaries: &[OutletSummary]) -> ReportRows {
        ReportRows {
            claims: claim_rows(analysis, supports),
            outlets: outlet_rows(analysis, summaries),
            facts: fact_rows(analysis),
            evidence: evidence_rows(analysis),
            articles: article_rows(analysis),
            inputs: input_rows(analysis),
        }
    }
}

fn claim_rows(analysis: &Analysis, supports: &[Support]) -> Vec<ClaimRow> {
    let agreement = &analysis.agreement;
    let mut order: Vec<usize> = (0..analysis.claims.len()).collect();
    order.sort_by_key(|&i| {
        (
            analysis.articles[analysis.claim_article[i]].key.as_str(),
            analysis.claims[i].start,
            analysis.claims[i].end,
        )
    });
    order
        .into_iter()
        .map(|index| {
            let claim = &analysis.claims[index];
            let support = &supports[index];
            let values = claim
                .values
                .iter()
                .map(|v| format!("{}:{}", v.kind.as_str(), v.text))
                .collect::<Vec<_>>()
                .join("; ");
            let fact = &agreement.facts[agreement.claim_fact[index]];
            ClaimRow {
                claim_id: claim.id.clone(),
                fact_id: fact.id.clone(),
                story_id: agreement.stories.stories[fact.story].id.clone(),
                value_group: agreement.claim_value[index] + 1,
                outlet: cell(&analysis.outlets[analysis.claim_outlet(index)]),
                article: cell(&analysis.articles[analysis.claim_article[index]].key),
                sentence: cell(&claim.text),
                score: fixed(analysis.scores.claim[index]),
                supporting_outlets: join(&support.supporting_outlets),
                contradicting_outlets: join(&support.contradicting_outlets),
                independent_support: support.independent_support,
                voice: cell(&agreement.voices[agreement.claim_voice[index]]),
                entities: cell(&claim.entities.join("; ")),
                hedge: cell(claim.hedge.as_deref().unwrap_or_default()),
                attribution: cell(claim.attribution.as_deref().unwrap_or_default()),
                polarity: claim.polarity.as_str(),
                values: cell(&values),
                weight: fixed(analysis.scores.claim_weight[index]),
            }
        })
        .collect()
}

fn outlet_rows(analysis: &Analysis, summaries: &[OutletSummary]) -> Vec<OutletRow> {
    summaries
        .iter()
        .map(|summary| OutletRow {
            outlet: cell(&analysis.outlets[summary.outlet]),
            articles: summary.articles,
            claims: summary.claims,
            checkable: summary.trust.checkable,
            corroborated: summary.corroborated,
            contradicted: summary.contradicted,
            score: fixed(summary.trust.score),
            score_low: fixed(summary.trust.low),
            score_high: fixed(summary.trust.high),
        })
        .collect()
}

fn fact_rows(analysis: &Analysis) -> Vec<FactRow> {
    let agreement = &analysis.agreement;
    let mut rows: Vec<FactRow> = agreement
        .facts
        .iter()
        .enumerate()
        .map(|(index, fact)| {
            let summary = analysis.fact_summary(index);
            FactRow {
                fact_id: fact.id.clone(),
                story_id: agreement.stories.stories[fact.story].id.clone(),
                claims: fact.claims.len(),
                outlets: summary.outlets,
                values: fact.values.len(),
                independent_sources: summary.voices_for,
                independent_against: summary.voices_against,
                score: fixed(analysis.scores.fact[index]),
                statement: cell(&analysis.claims[fact.values[summary.leading][0]].text),
            }
        })
        .collect();
    // Most widely reported first, the way a reader scans them; ids break ties.
    rows.sort_by(|a, b| {
        b.outlets
            .cmp(&a.outlets)
            .then_with(|| a.fact_id.cmp(&b.fact_id))
    });
    rows
}

fn evidence_rows(analysis: &Analysis) -> Vec<EvidenceRow> {
    let claims = &analysis.claims;
    let mut rows: Vec<EvidenceRow> = analysis
        .agreement
        .evidence
        .iter()
        .flat_map(|edge| {
            let row = |from: usize, to: usize| EvidenceRow {
                claim_id: claims[from].id.clone(),
                other_claim_id: claims[to].id.clone(),
                relation: edge.relation.as_str(),
                similarity: fixed(edge.similarity),
            };
            // Both directions, so filtering on claim_id alone shows all of a claim's
            // evidence.
            [row(edge.a, edge.b), row(edge.b, edge.a)]
        })
        .collect();
    rows.sort_by(|a, b| (&a.claim_id, &a.other_claim_id).cmp(&(&b.claim_id, &b.other_claim_id)));
    rows
}

fn article_rows(analysis: &Analysis) -> Vec<ArticleRow> {
    let stories = &analysis.agreement.stories;
    let mut rows: Vec<ArticleRow> = analysis
        .articles
        .iter()
        .enumerate()
        .map(|(index, article)| ArticleRow {
            article: cell(&article.key),
            outlet: cell(&analysis.outlets[article.outlet]),
            story_id: stories.stories[stories.article_story[index]].id.clone(),
            title: cell(article.title.as_deref().unwrap_or_default()),
            published: cell(article.published.as_deref().unwrap_or_default()),
            url: cell(article.url.as_deref().unwrap_or_default()),
            claims: article.claims,
            dropped_furniture: article.dropped_furniture,
            dropped_uncheckable: article.dropped_uncheckable,
        })
        .collect();
    rows.sort_by(|a, b| a.article.cmp(&b.article));
    rows
}

fn input_rows(analysis: &Analysis) -> Vec<InputRow> {
    let mut claims = vec![0; analysis.inputs.len()];
    for article in &analysis.articles {
        claims[article.input] += article.claims;
    }
    analysis
        .inputs
        .iter()
        .zip(claims)
        .map(|(input, claims)| InputRow {
            path: cell(&input.path),
            status: input.status.as_str(),
            reason: cell(&input.reason),
            articles: input.articles,
            claims,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("@cmd"), "'@cmd");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "'\rx");
        assert_eq!(cell("Bloomberg"), "Bloomberg");
        assert_eq!(cell("a=b"), "a=b");
    }

    #[test]
    fn uncell_inverts_cell() {
        for text in [
            "=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx", "plain", "'quoted", "",
        ] {
            assert_eq!(uncell(&cell(text)), text);
        }
    }

    #[test]
    fn excel_csv_starts_with_a_bom_and_reads_back() {
        #[derive(Serialize)]
        struct Row {
            name: String,
            score: String,
        }
        let dir = tempfile::tempdir().unwrap();
        let rows = [Row {
            name: cell("=1+1"),
            score: fixed(0.25),
        }];
        for bom in [false, true] {
            let path = dir.path().join(format!("{bom}.csv"));
            write_csv(&path, &rows, bom).unwrap();
            let bytes = fs::read(&path).unwrap();
            assert_eq!(bytes.starts_with(UTF8_BOM), bom);
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.ends_with("name,score\n'=1+1,0.2500\n"), "{text:?}");
            let mut reader = csv::Reader::from_path(&path).unwrap();
            assert_eq!(reader.headers().unwrap(), vec!["name", "score"]);
        }
    }

    #[test]
    fn numbers_have_fixed_precision() {
        assert_eq!(fixed(0.5), "0.5000");
        assert_eq!(fixed(1.0 / 3.0), "0.3333");
    }
}
