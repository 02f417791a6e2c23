//! Writes the CSV reports, all or nothing.
//!
//! Every report is first written into a temporary directory inside `--out`, then each is
//! renamed over its predecessor; a run that fails before the renames leaves last
//! night's reports exactly as they were. Text cells that a spreadsheet would read as a
//! formula (`=`, `+`, `-`, `@`, tab, CR) are prefixed with `'`; numbers are written
//! with a fixed four decimals.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::{Analysis, Support};

pub const REPORT_FILES: &[&str] = &[
    "outlets.csv",
    "claims.csv",
    "facts.csv",
    "evidence.csv",
    "articles.csv",
    "inputs.csv",
];

/// Writes every report into `dir` atomically; returns the paths written.
pub fn write_reports(dir: &Path, analysis: &Analysis) -> anyhow::Result<Vec<PathBuf>> {
    let rows = ReportRows::build(analysis);
    write_atomically(dir, REPORT_FILES, |name, path| match name {
        "outlets.csv" => write_csv(path, &rows.outlets),
        "claims.csv" => write_csv(path, &rows.claims),
        "facts.csv" => write_csv(path, &rows.facts),
        "evidence.csv" => write_csv(path, &rows.evidence),
        "articles.csv" => write_csv(path, &rows.articles),
        "inputs.csv" => write_csv(path, &rows.inputs),
        other => unreachable!("no writer for report {other}"),
    })
}

/// Writes each named file through `write` into a staging directory inside `dir`, then
/// renames them all into place; returns the paths written. A failure before the
/// renames leaves the previous files exactly as they were.
pub fn write_atomically(
    dir: &Path,
    names: &[&str],
    write: impl Fn(&str, &Path) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create output directory {}", dir.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".credence-staging-")
        .tempdir_in(dir)
        .with_context(|| format!("cannot write reports to {}", dir.display()))?;
    for name in names {
        write(name, &staging.path().join(name))?;
    }
    // Renames cannot fail half-way for a reason we can see in advance: check every
    // target first, so a blocked one stops the run before any report is replaced.
    for name in names {
        let target = dir.join(name);
        if target.symlink_metadata().is_ok_and(|m| !m.is_file()) {
            anyhow::bail!("cannot replace {}: not a regular file", target.display());
        }
    }
    let mut written = Vec::new();
    for name in names {
        let target = dir.join(name);
        fs::rename(staging.path().join(name), &target)
            .with_context(|| format!("cannot replace {}", target.display()))?;
        written.push(target);
    }
    Ok(written)
}

pub fn write_csv<T: Serialize>(path: &Path, rows: &[T]) -> anyhow::Result<()> {
    let context = || format!("cannot write {}", path.display());
    let mut writer = csv::Writer::from_path(path).with_context(context)?;
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

/// Four decimals, always: stable diffs between nightly runs, and a spreadsheet reads
/// them as numbers.
pub fn fixed(x: f64) -> String {
    format!("{x:.4}")
}

/// Neutralises text a spreadsheet would evaluate as a formula.
pub fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
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
    fn build(analysis: &Analysis) -> ReportRows {
        // Both the claim and the outlet reports need every claim's support.
        let supports: Vec<Support> = (0..analysis.claims.len())
            .map(|claim| analysis.support(claim))
            .collect();
        ReportRows {
            claims: claim_rows(analysis, &supports),
            outlets: outlet_rows(analysis, &supports),
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
            ClaimRow {
                claim_id: claim.id.clone(),
                fact_id: agreement.facts[agreement.claim_fact[index]].id.clone(),
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

fn outlet_rows(analysis: &Analysis, supports: &[Support]) -> Vec<OutletRow> {
    let threshold = analysis.corroborated_threshold;
    let mut articles = vec![0; analysis.outlets.len()];
    for article in &analysis.articles {
        articles[article.outlet] += 1;
    }
    // (claims, corroborated, contradicted) per outlet.
    let mut tallies = vec![(0, 0, 0); analysis.outlets.len()];
    for (claim, support) in supports.iter().enumerate() {
        let tally = &mut tallies[analysis.claim_outlet(claim)];
        let score = analysis.scores.claim[claim];
        tally.0 += 1;
        tally.1 += usize::from(support.independent_support > 0 && score >= threshold);
        tally.2 += usize::from(!support.contradicting_outlets.is_empty() && score < threshold);
    }
    let mut order: Vec<usize> = (0..analysis.outlets.len()).collect();
    order.sort_by(|&a, &b| {
        let (ta, tb) = (
            analysis.scores.outlet[a].score,
            analysis.scores.outlet[b].score,
        );
        tb.total_cmp(&ta)
            .then_with(|| analysis.outlets[a].cmp(&analysis.outlets[b]))
    });
    order
        .into_iter()
        .map(|index| {
            let trust = analysis.scores.outlet[index];
            let (claims, corroborated, contradicted) = tallies[index];
            OutletRow {
                outlet: cell(&analysis.outlets[index]),
                articles: articles[index],
                claims,
                checkable: trust.checkable,
                corroborated,
                contradicted,
                score: fixed(trust.score),
                score_low: fixed(trust.low),
                score_high: fixed(trust.high),
            }
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
            let leading = analysis.scores.fact_value[index];
            let voices_of = |claims: &[usize]| -> BTreeSet<usize> {
                claims.iter().map(|&c| agreement.claim_voice[c]).collect()
            };
            let supporting = voices_of(&fact.values[leading]);
            let against: BTreeSet<usize> = fact
                .values
                .iter()
                .enumerate()
                .filter(|(v, _)| *v != leading)
                .flat_map(|(_, group)| voices_of(group))
                .filter(|voice| !supporting.contains(voice))
                .collect();
            let outlets: BTreeSet<usize> = fact
                .claims
                .iter()
                .map(|&c| analysis.claim_outlet(c))
                .collect();
            FactRow {
                fact_id: fact.id.clone(),
                claims: fact.claims.len(),
                outlets: outlets.len(),
                values: fact.values.len(),
                independent_sources: supporting.len(),
                independent_against: against.len(),
                score: fixed(analysis.scores.fact[index]),
                statement: cell(&analysis.claims[fact.values[leading][0]].text),
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
    let mut rows: Vec<ArticleRow> = analysis
        .articles
        .iter()
        .map(|article| ArticleRow {
            article: cell(&article.key),
            outlet: cell(&analysis.outlets[article.outlet]),
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
        assert_eq!(cell("Bloomberg"), "Bloomberg");
    }

    #[test]
    fn numbers_have_fixed_precision() {
        assert_eq!(fixed(0.5), "0.5000");
        assert_eq!(fixed(1.0 / 3.0), "0.3333");
    }
}
