//! Structured mode (`credence score --facts`): observations already extracted, one row
//! per source stating a value for an object's attribute, scored by the same engine as
//! the text pipeline.
//!
//! Rows become observations: the item is (object, attribute), the candidate values are
//! the item's distinct values after parsing (`value`), and the implications between
//! candidates say which values support which.

pub mod value;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::report::{
    cell, fixed, fixed_into, safe_cell, staged_csv, write_atomically, write_records, StagedFile,
};
use crate::score::{self, Dependence, Implication, Observation, Problem, Trust};
use value::{Kind, Parsed, ValueRules};

/// One row of the input.
#[derive(Debug, Clone, PartialEq)]
pub struct FactRecord {
    pub source: String,
    pub object: String,
    pub attribute: String,
    pub value: String,
}

/// A row left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedRow {
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct FactInput {
    pub path: PathBuf,
    pub records: Vec<FactRecord>,
    /// Rows whose value is empty or a "not available" marker: no statement at all.
    pub missing_values: usize,
    pub skipped: Vec<SkippedRow>,
}

/// The field separator: `--delimiter`, else `\t` for .tsv/.tab/.txt, `,` for .csv.
pub fn delimiter_for(path: &Path, delimiter: Option<char>) -> anyhow::Result<u8> {
    if let Some(delimiter) = delimiter {
        return u8::try_from(delimiter)
            .ok()
            .filter(u8::is_ascii)
            .with_context(|| {
                format!("--delimiter must be one ASCII character, not {delimiter:?}")
            });
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("tsv" | "tab" | "txt") => Ok(b'\t'),
        Some("csv") => Ok(b','),
        _ => anyhow::bail!(
            "{}: cannot tell the delimiter from the file name; pass --delimiter",
            path.display()
        ),
    }
}

/// Reads a CSV or TSV with a header naming `source`, `object`, `value` and optionally
/// `attribute` (any order, any case, other columns ignored). TSV is read without
/// quoting, as crawlers write it. Malformed rows are skipped and listed, never fatal.
pub fn read_facts(path: &Path, delimiter: u8, config: &Config) -> anyhow::Result<FactInput> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot read facts file {}", path.display()))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(delimiter != b'\t')
        .flexible(true)
        .has_headers(false)
        .from_reader(std::io::BufReader::new(file));
    let mut rows = reader.byte_records();
    let header = match rows.next() {
        Some(row) => row.with_context(|| format!("{}: line 1", path.display()))?,
        None => anyhow::bail!("{}: empty file, expected a header row", path.display()),
    };
    let column = |name: &str| {
        header.iter().position(|field| {
            String::from_utf8_lossy(field)
                .trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(name)
        })
    };
    let required = |name: &str| {
        column(name).with_context(|| {
            format!(
                "{}: line 1: the header has no `{name}` column (need source, object, value; attribute optional)",
                path.display()
            )
        })
    };
    let (source, object, value) = (required("source")?, required("object")?, required("value")?);
    let attribute = column("attribute");
    let missing: HashSet<String> = config
        .facts
        .missing_values
        .iter()
        .map(|m| m.trim().to_lowercase())
        .collect();
    let mut input = FactInput {
        path: path.to_path_buf(),
        ..FactInput::default()
    };
    for row in rows {
        let row = match row {
            Ok(row) => row,
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line());
                input.skipped.push(SkippedRow {
                    line,
                    reason: format!("unreadable row: {err}"),
                });
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line());
        let field = |index: usize| -> Result<String, String> {
            let bytes = row.get(index).ok_or_else(|| {
                format!(
                    "{} fields, fewer than the header's {}",
                    row.len(),
                    header.len()
                )
            })?;
            std::str::from_utf8(bytes)
                .map(|text| text.trim().to_string())
                .map_err(|_| "not valid UTF-8".to_string())
        };
        let record = (|| {
            Ok::<_, String>(FactRecord {
                source: field(source)?,
                object: field(object)?,
                attribute: attribute.map(field).transpose()?.unwrap_or_default(),
                value: field(value)?,
            })
        })();
        match record {
            Err(reason) => input.skipped.push(SkippedRow { line, reason }),
            Ok(record) if record.source.is_empty() || record.object.is_empty() => {
                input.skipped.push(SkippedRow {
                    line,
                    reason: "empty source or object".into(),
                });
            }
            Ok(record) if missing.contains(&record.value.to_lowercase()) => {
                input.missing_values += 1;
            }
            Ok(record) => input.records.push(record),
        }
    }
    Ok(input)
}

/// One candidate value of an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The most common raw spelling among the rows stating this value.
    pub display: String,
    pub confidence: f64,
    /// Source indices, sorted.
    pub sources: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScoredItem {
    pub object: String,
    pub attribute: String,
    pub kind: Kind,
    /// Sorted by confidence, highest first (ties by display).
    pub candidates: Vec<Candidate>,
    /// Index into `candidates` of the value reported as true.
    pub truth: usize,
}

#[derive(Debug, Clone)]
pub struct ScoredFacts {
    pub sources: Vec<String>,
    /// Distinct (item, value) statements per source.
    pub source_statements: Vec<usize>,
    pub trust: Vec<Trust>,
    pub dependent: Vec<Dependence>,
    pub items: Vec<ScoredItem>,
    pub iterations: usize,
    pub converged: bool,
}

/// An item's rows as candidate values, ready for the engine.
struct PreparedItem {
    object: String,
    attribute: String,
    kind: Kind,
    parsed: Vec<Parsed>,
    displays: Vec<String>,
    /// Distinct (source, candidate) pairs, sorted: a re-crawled row is one statement.
    statements: Vec<(usize, usize)>,
    /// (from, to, strength) between this item's candidates.
    implications: Vec<(usize, usize, f64)>,
}

pub fn score_facts(input: &FactInput, config: &Config) -> ScoredFacts {
    let rules = ValueRules {
        noise_words: config.lexicons.value_noise.clone(),
        number_tolerance: config.facts.number_tolerance,
        time_tolerance_minutes: config.facts.time_tolerance_minutes,
    };
    let source_names: Vec<String> = {
        let mut names: Vec<String> = input.records.iter().map(|r| r.source.clone()).collect();
        names.sort_unstable();
        names.dedup();
        names
    };
    let source_index: HashMap<&str, usize> = source_names
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    let mut rows_by_item: BTreeMap<(&str, &str), Vec<&FactRecord>> = BTreeMap::new();
    for record in &input.records {
        rows_by_item
            .entry((&record.object, &record.attribute))
            .or_default()
            .push(record);
    }
    let prepared: Vec<PreparedItem> = rows_by_item
        .into_par_iter()
        .map(|((object, attribute), rows)| {
            prepare_item(object, attribute, &rows, &source_index, &rules)
        })
        .collect();

    let mut problem = Problem {
        sources: source_names.len(),
        ..Problem::default()
    };
    for (item, prepared) in prepared.iter().enumerate() {
        problem.item_values.push(prepared.parsed.len());
        // A source listing one item several times with different values (a shop's
        // two listings of a book) splits one vote between them.
        for same_source in prepared.statements.chunk_by(|a, b| a.0 == b.0) {
            for &(source, value) in same_source {
                problem.observations.push(Observation {
                    source,
                    item,
                    value,
                    voice: source,
                    weight: 1.0 / same_source.len() as f64,
                });
            }
        }
        problem
            .implications
            .extend(
                prepared
                    .implications
                    .iter()
                    .map(|&(from, to, strength)| Implication {
                        item,
                        from,
                        to,
                        strength,
                    }),
            );
    }
    let solution = score::solve(&problem, &config.score, config.facts.copying());
    let mut source_statements = vec![0; source_names.len()];
    let items = prepared
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let confidence = solution.values(index);
            // Statements are distinct and sorted by source, so each list is too.
            let mut sources = vec![Vec::new(); item.parsed.len()];
            for &(source, value) in &item.statements {
                sources[value].push(source);
                source_statements[source] += 1;
            }
            let truth = choose_truth(&item, confidence, &rules);
            let mut candidates: Vec<(usize, Candidate)> = item
                .displays
                .into_iter()
                .zip(sources)
                .enumerate()
                .map(|(index, (display, sources))| {
                    let confidence = confidence[index];
                    (
                        index,
                        Candidate {
                            display,
                            confidence,
                            sources,
                        },
                    )
                })
                .collect();
            candidates.sort_by(|a, b| {
                b.1.confidence
                    .total_cmp(&a.1.confidence)
                    .then_with(|| a.1.display.cmp(&b.1.display))
            });
            let truth = candidates.iter().position(|c| c.0 == truth).unwrap_or(0);
            ScoredItem {
                object: item.object,
                attribute: item.attribute,
                kind: item.kind,
                candidates: candidates.into_iter().map(|c| c.1).collect(),
                truth,
            }
        })
        .collect();
    ScoredFacts {
        sources: source_names,
        source_statements,
        trust: solution.trust,
        dependent: solution.dependent,
        items,
        iterations: solution.iterations,
        converged: solution.converged,
    }
}

fn prepare_item(
    object: &str,
    attribute: &str,
    rows: &[&FactRecord],
    source_index: &HashMap<&str, usize>,
    rules: &ValueRules,
) -> PreparedItem {
    let raw: Vec<&str> = rows.iter().map(|r| r.value.as_str()).collect();
    let (kind, parsed_rows) = value::parse_item(&raw, rules);
    let mut parsed: Vec<Parsed> = Vec::new();
    let mut spellings: Vec<HashMap<&str, usize>> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut statements = Vec::with_capacity(rows.len());
    for ((row, value), text) in rows.iter().zip(parsed_rows).zip(&raw) {
        let candidate = *by_key.entry(value.key()).or_insert_with(|| {
            parsed.push(value);
            spellings.push(HashMap::new());
            parsed.len() - 1
        });
        *spellings[candidate].entry(text).or_default() += 1;
        statements.push((source_index[row.source.as_str()], candidate));
    }
    statements.sort_unstable();
    statements.dedup();
    let mut implications = Vec::new();
    for (from, a) in parsed.iter().enumerate() {
        for (to, b) in parsed.iter().enumerate() {
            let strength = if from == to {
                0.0
            } else {
                value::implication(a, b, rules)
            };
            if strength > 0.0 {
                implications.push((from, to, strength));
            }
        }
    }
    let displays = spellings
        .into_iter()
        .map(|counts| {
            let (text, _) = counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
                .expect("a candidate has at least one spelling");
            text.to_string()
        })
        .collect();
    PreparedItem {
        object: object.to_string(),
        attribute: attribute.to_string(),
        kind,
        parsed,
        displays,
        statements,
        implications,
    }
}

/// The most confident candidate; for numbers, the confidence-weighted median of the
/// candidates close enough to it to support it, so a cluster of near-equal figures
/// reports its centre rather than whichever edge happened to lead.
fn choose_truth(item: &PreparedItem, confidence: &[f64], rules: &ValueRules) -> usize {
    let best = (0..confidence.len())
        .max_by(|&a, &b| {
            confidence[a]
                .total_cmp(&confidence[b])
                .then_with(|| item.displays[b].cmp(&item.displays[a]))
        })
        .unwrap_or(0);
    if item.kind != Kind::Number {
        return best;
    }
    let value = |i: usize| match item.parsed[i] {
        Parsed::Number(x) => x,
        _ => 0.0,
    };
    let mut cluster: Vec<usize> = (0..confidence.len())
        .filter(|&i| {
            i == best || value::implication(&item.parsed[best], &item.parsed[i], rules) > 0.0
        })
        .collect();
    cluster.sort_by(|&a, &b| value(a).total_cmp(&value(b)));
    let total: f64 = cluster.iter().map(|&i| confidence[i]).sum();
    let mut running = 0.0;
    for &i in &cluster {
        running += confidence[i];
        if running >= total / 2.0 {
            return i;
        }
    }
    best
}

#[derive(Serialize)]
struct SourceRow {
    source: String,
    trust: String,
    trust_low: String,
    trust_high: String,
    claims: usize,
    checkable: usize,
    likely_copies_with: String,
}

/// Writes truths.csv, values.csv and sources.csv into `dir`, atomically.
/// `bom` starts each with a UTF-8 byte-order mark, as `--excel` does for `credence run`.
pub fn write_fact_reports(
    dir: &Path,
    scored: &ScoredFacts,
    bom: bool,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut partners: Vec<Vec<&str>> = vec![Vec::new(); scored.sources.len()];
    for pair in &scored.dependent {
        partners[pair.first].push(&scored.sources[pair.second]);
        partners[pair.second].push(&scored.sources[pair.first]);
    }
    let sources: Vec<SourceRow> = scored
        .sources
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let trust = scored.trust[index];
            let mut copies = partners[index].clone();
            copies.sort_unstable();
            SourceRow {
                source: cell(name),
                trust: fixed(trust.score),
                trust_low: fixed(trust.low),
                trust_high: fixed(trust.high),
                claims: scored.source_statements[index],
                checkable: trust.checkable,
                likely_copies_with: cell(&copies.join("; ")),
            }
        })
        .collect();
    let files: [StagedFile; 3] = [
        (
            "truths.csv",
            Box::new(|path| write_records(path, bom, |writer| write_truths(writer, scored))),
        ),
        (
            "values.csv",
            Box::new(|path| write_records(path, bom, |writer| write_values(writer, scored))),
        ),
        staged_csv("sources.csv", &sources, bom),
    ];
    write_atomically(dir, &files)
}

/// truths.csv: one row per item, its chosen value.
fn write_truths<W: Write>(writer: &mut csv::Writer<W>, scored: &ScoredFacts) -> csv::Result<()> {
    writer.write_record([
        "object",
        "attribute",
        "value",
        "confidence",
        "kind",
        "candidates",
    ])?;
    let mut confidence = String::new();
    for item in &scored.items {
        let truth = &item.candidates[item.truth];
        fixed_into(&mut confidence, truth.confidence);
        writer.write_record([
            &*safe_cell(&item.object),
            &*safe_cell(&item.attribute),
            &*safe_cell(&truth.display),
            &confidence,
            item.kind.as_str(),
            &item.candidates.len().to_string(),
        ])?;
    }
    Ok(())
}

/// values.csv: every candidate of every item, with the sources stating it.
fn write_values<W: Write>(writer: &mut csv::Writer<W>, scored: &ScoredFacts) -> csv::Result<()> {
    writer.write_record([
        "object",
        "attribute",
        "value",
        "confidence",
        "chosen",
        "sources",
        "supporting_sources",
    ])?;
    let (mut confidence, mut supporters) = (String::new(), String::new());
    for item in &scored.items {
        let (object, attribute) = (safe_cell(&item.object), safe_cell(&item.attribute));
        for (index, candidate) in item.candidates.iter().enumerate() {
            fixed_into(&mut confidence, candidate.confidence);
            supporters.clear();
            for (position, &source) in candidate.sources.iter().enumerate() {
                if position > 0 {
                    supporters.push_str("; ");
                }
                supporters.push_str(&scored.sources[source]);
            }
            writer.write_record([
                &*object,
                &*attribute,
                &*safe_cell(&candidate.display),
                &confidence,
                if index == item.truth { "true" } else { "false" },
                &candidate.sources.len().to_string(),
                &*safe_cell(&supporters),
            ])?;
        }
    }
    Ok(())
}
