//! Structured mode (`credence score --facts`): observations already extracted, one row
//! per source stating a value for an object's attribute, scored by the same engine as
//! the text pipeline.
//!
//! Rows become observations: the item is (object, attribute), the candidate values are
//! the item's distinct values after parsing (`value`), and the implications between
//! candidates say which values support which.

pub mod intern;
pub mod value;

use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;

use crate::config::Config;
use crate::report::{
    fixed_into, join_into, safe_cell, write_atomically, write_lines, RecordSink, StagedFile,
};
use crate::score::{self, Dependence, Implication, Observation, Problem, Trust};
use intern::Interner;
use value::{Kind, Parsed, ValueRules};

/// One row of the input: ids into its `FactInput`'s interners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactRow {
    pub source: u32,
    pub object: u32,
    /// "" when the file has no attribute column.
    pub attribute: u32,
    /// The value as written (trimmed), before parsing.
    pub value: u32,
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
    pub sources: Interner,
    pub objects: Interner,
    pub attributes: Interner,
    pub values: Interner,
    pub rows: Vec<FactRow>,
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
///
/// Interning every field is most of the reading, so a file whose records cannot span
/// lines (TSV, or CSV without a quote character) is read in line-aligned parts on
/// separate workers. Their strings are then numbered as one pass over the whole file
/// would number them: part by part, each part's in its own order of first appearance.
pub fn read_facts(path: &Path, delimiter: u8, config: &Config) -> anyhow::Result<FactInput> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read facts file {}", path.display()))?;
    let quoting = delimiter != b'\t';
    let mut header_reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(quoting)
        .flexible(true)
        .has_headers(false)
        .from_reader(&bytes[..]);
    let mut header = csv::ByteRecord::new();
    match header_reader.read_byte_record(&mut header) {
        Ok(true) => {}
        Ok(false) => anyhow::bail!("{}: empty file, expected a header row", path.display()),
        Err(err) => return Err(err).with_context(|| format!("{}: line 1", path.display())),
    }
    let body = header_reader.position().byte() as usize;
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
    let columns = Columns {
        source: required("source")?,
        object: required("object")?,
        value: required("value")?,
        attribute: column("attribute"),
        header: header.len(),
    };
    let missing: Vec<String> = config
        .facts
        .missing_values
        .iter()
        .map(|m| m.trim().to_lowercase())
        .collect();
    let splittable = !quoting || !bytes[body..].contains(&b'"');
    let parts = if splittable {
        line_parts(&bytes, body, rayon::current_num_threads())
    } else {
        std::iter::once(body..bytes.len()).collect()
    };
    // Each part's first line: 2 after the header, then one more per line break before it.
    let mut first_lines = Vec::with_capacity(parts.len());
    let mut line = header_reader.position().line();
    let mut counted = body;
    for part in &parts {
        line += bytes[counted..part.start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        counted = part.start;
        first_lines.push(line);
    }
    let mut read: Vec<FactInput> = parts
        .into_par_iter()
        .zip(first_lines)
        .map(|(part, first_line)| {
            let part = &bytes[part];
            let records = if quoting {
                Records::Csv {
                    reader: csv::ReaderBuilder::new()
                        .delimiter(delimiter)
                        .flexible(true)
                        .has_headers(false)
                        .from_reader(part),
                    part,
                    counted: 0,
                    line: first_line,
                }
            } else {
                Records::Lines {
                    rest: part,
                    line: first_line,
                    delimiter,
                }
            };
            read_rows(records, &columns, &missing)
        })
        .collect();
    let mut input = read.remove(0);
    for part in read {
        input.absorb(part);
    }
    input.path = path.to_path_buf();
    Ok(input)
}

/// Where the fields are in each record.
struct Columns {
    source: usize,
    object: usize,
    value: usize,
    attribute: Option<usize>,
    /// How many fields the header has.
    header: usize,
}

/// `bytes[body..]` cut into about `count` ranges, each ending just after a line break
/// (or at the end).
fn line_parts(bytes: &[u8], body: usize, count: usize) -> Vec<Range<usize>> {
    let size = (bytes.len() - body).div_ceil(count.max(1)).max(1);
    let mut parts = Vec::with_capacity(count);
    let mut start = body;
    while start < bytes.len() {
        let end = match bytes[(start + size).min(bytes.len())..]
            .iter()
            .position(|&b| b == b'\n')
        {
            Some(offset) => start + size + offset + 1,
            None => bytes.len(),
        };
        parts.push(start..end);
        start = end;
    }
    if parts.is_empty() {
        parts.push(body..body);
    }
    parts
}

/// The records of one part of a facts file.
enum Records<'a> {
    /// csv's own line numbers are those of where it began looking for a record, before
    /// the line breaks it skipped: in a file with \r\n line ends every record after
    /// the first was named one line early. Lines are counted here from the bytes.
    Csv {
        reader: csv::Reader<&'a [u8]>,
        part: &'a [u8],
        /// `part[..counted]` holds `line - first line` line breaks.
        counted: usize,
        line: u64,
    },
    /// Without quoting a record is a line and a field what lies between delimiters.
    /// csv's general state machine took 5 ms of a 3 MB file that a search for line
    /// breaks and delimiters reads in one; the records are the same, as a property
    /// test checks against csv.
    Lines {
        rest: &'a [u8],
        /// The line `rest` starts on.
        line: u64,
        delimiter: u8,
    },
}

impl Records<'_> {
    /// The next record into `row`, with its line; `Err` names an unreadable one.
    fn next(&mut self, row: &mut csv::ByteRecord) -> Option<Result<u64, (u64, String)>> {
        match self {
            Records::Csv {
                reader,
                part,
                counted,
                line,
            } => {
                // Where csv began reading, past the line breaks before the record.
                let mut line_of = |position: Option<&csv::Position>| {
                    let from = position
                        .map_or(*counted, |p| p.byte() as usize)
                        .max(*counted);
                    let start = from
                        + part[from..]
                            .iter()
                            .take_while(|&&b| b == b'\n' || b == b'\r')
                            .count();
                    *line += part[*counted..start]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count() as u64;
                    *counted = start;
                    *line
                };
                match reader.read_byte_record(row) {
                    Ok(true) => Some(Ok(line_of(row.position()))),
                    Ok(false) => None,
                    Err(err) => Some(Err((
                        line_of(err.position()),
                        format!("unreadable row: {err}"),
                    ))),
                }
            }
            Records::Lines {
                rest,
                line,
                delimiter,
            } => loop {
                // As csv does: \n, \r and \r\n end a record, blank lines are no record,
                // and lines are counted by \n.
                let end = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
                let (record, after) = rest.split_at(end);
                let record_line = *line;
                let breaks = match after {
                    [b'\r', b'\n', ..] => 2,
                    [] => 0,
                    _ => 1,
                };
                if after[..breaks].contains(&b'\n') {
                    *line += 1;
                }
                *rest = &after[breaks..];
                if !record.is_empty() {
                    row.clear();
                    for field in record.split(|&b| b == *delimiter) {
                        row.push_field(field);
                    }
                    return Some(Ok(record_line));
                }
                if breaks == 0 {
                    return None;
                }
            },
        }
    }
}

/// Reads the records of one part of a facts file.
fn read_rows(mut records: Records, columns: &Columns, missing: &[String]) -> FactInput {
    // The markers are lower-cased, so an ASCII value matches one exactly when it
    // matches ignoring ASCII case: no lower-cased copy of every value.
    let is_missing = |value: &str| {
        if value.is_ascii() {
            missing.iter().any(|m| value.eq_ignore_ascii_case(m))
        } else {
            let lower = value.to_lowercase();
            missing.contains(&lower)
        }
    };
    let mut input = FactInput::default();
    let mut row = csv::ByteRecord::new();
    while let Some(record) = records.next(&mut row) {
        let line = match record {
            Ok(line) => line,
            Err((line, reason)) => {
                input.skipped.push(SkippedRow { line, reason });
                continue;
            }
        };
        let field = |index: usize| -> Result<&str, String> {
            let bytes = row.get(index).ok_or_else(|| {
                format!(
                    "{} fields, fewer than the header's {}",
                    row.len(),
                    columns.header
                )
            })?;
            std::str::from_utf8(bytes)
                .map(str::trim)
                .map_err(|_| "not valid UTF-8".to_string())
        };
        let fields = (|| {
            Ok::<_, String>([
                field(columns.source)?,
                field(columns.object)?,
                columns
                    .attribute
                    .map(field)
                    .transpose()?
                    .unwrap_or_default(),
                field(columns.value)?,
            ])
        })();
        match fields {
            Err(reason) => input.skipped.push(SkippedRow { line, reason }),
            Ok([source, object, ..]) if source.is_empty() || object.is_empty() => {
                input.skipped.push(SkippedRow {
                    line,
                    reason: "empty source or object".into(),
                });
            }
            Ok([.., value]) if is_missing(value) => input.missing_values += 1,
            Ok([source, object, attribute, value]) => {
                let row = FactRow {
                    source: input.sources.intern(source),
                    object: input.objects.intern(object),
                    attribute: input.attributes.intern(attribute),
                    value: input.values.intern(value),
                };
                input.rows.push(row);
            }
        }
    }
    input
}

impl FactInput {
    /// Appends what a later part of the file held: its strings numbered after this
    /// part's, as one pass over both would have numbered them.
    fn absorb(&mut self, later: FactInput) {
        let ((sources, objects), (attributes, values)) = rayon::join(
            || {
                rayon::join(
                    || self.sources.absorb(&later.sources),
                    || self.objects.absorb(&later.objects),
                )
            },
            || {
                rayon::join(
                    || self.attributes.absorb(&later.attributes),
                    || self.values.absorb(&later.values),
                )
            },
        );
        self.rows.extend(later.rows.iter().map(|row| FactRow {
            source: sources[row.source as usize],
            object: objects[row.object as usize],
            attribute: attributes[row.attribute as usize],
            value: values[row.value as usize],
        }));
        self.missing_values += later.missing_values;
        self.skipped.extend(later.skipped);
    }
}

/// One candidate value of an item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// The most common raw spelling among the rows stating this value (an id into
    /// the input's `values`).
    pub display: u32,
    pub confidence: f64,
    /// How many sources state it (its run in `ScoredFacts::supporters`).
    pub sources: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredItem {
    pub object: u32,
    pub attribute: u32,
    pub kind: Kind,
    /// How many candidates (its run in `ScoredFacts::candidates`).
    pub candidates: usize,
    /// Index among its candidates of the value reported as true.
    pub truth: usize,
}

/// The scored items, sorted by object and attribute, with their candidates sorted by
/// confidence, highest first (ties by display). Items, candidates and supporters are
/// flat vectors, each item's or candidate's share the next run of the following one.
#[derive(Debug, Clone)]
pub struct ScoredFacts<'a> {
    pub input: &'a FactInput,
    /// Source ids sorted by name: a source's place here is its index everywhere below.
    pub sources: Vec<u32>,
    /// Distinct (item, value) statements per source.
    pub source_statements: Vec<usize>,
    pub trust: Vec<Trust>,
    pub dependent: Vec<Dependence>,
    pub items: Vec<ScoredItem>,
    pub candidates: Vec<Candidate>,
    /// The sources (sorted) stating each candidate, candidate after candidate.
    pub supporters: Vec<u32>,
    pub iterations: usize,
    pub converged: bool,
}

impl ScoredFacts<'_> {
    /// Each item with its candidates.
    pub fn each_item(&self) -> impl Iterator<Item = (&ScoredItem, &[Candidate])> {
        let mut start = 0;
        self.items.iter().map(move |item| {
            let candidates = &self.candidates[start..start + item.candidates];
            start += item.candidates;
            (item, candidates)
        })
    }

    pub fn source_name(&self, place: u32) -> &str {
        self.input.sources.get(self.sources[place as usize])
    }
}

/// Items as candidate values, ready for the engine: flat, item after item, like
/// `ScoredFacts`.
#[derive(Default)]
struct Prepared {
    items: Vec<PreparedItem>,
    parsed: Vec<Parsed>,
    /// Value ids of the candidates' spellings.
    displays: Vec<u32>,
    /// Distinct (source, candidate) pairs of each item, sorted: a re-crawled row is
    /// one statement.
    statements: Vec<(u32, u32)>,
    /// (from, to, strength) between one item's candidates.
    implications: Vec<(u32, u32, f64)>,
}

struct PreparedItem {
    object: u32,
    attribute: u32,
    kind: Kind,
    candidates: usize,
    statements: usize,
    implications: usize,
}

impl Prepared {
    fn concat(mut blocks: Vec<Prepared>) -> Prepared {
        Prepared {
            items: gather(&mut blocks, |b| &mut b.items),
            parsed: gather(&mut blocks, |b| &mut b.parsed),
            displays: gather(&mut blocks, |b| &mut b.displays),
            statements: gather(&mut blocks, |b| &mut b.statements),
            implications: gather(&mut blocks, |b| &mut b.implications),
        }
    }
}

/// One vector of every block's, end to end, allocated once: appending blocks
/// pairwise, as a parallel reduce does, copied every item about five times over and
/// grew by reallocation.
fn gather<Block, T>(blocks: &mut [Block], field: impl Fn(&mut Block) -> &mut Vec<T>) -> Vec<T> {
    let mut all = Vec::with_capacity(blocks.iter_mut().map(|b| field(b).len()).sum());
    for block in blocks {
        all.append(field(block));
    }
    all
}

/// Items per unit of parallel work: enough that a block's flat vectors amortise.
const BLOCK: usize = 2048;

pub fn score_facts<'a>(input: &'a FactInput, config: &Config) -> ScoredFacts<'a> {
    let rules = ValueRules {
        noise_words: config.lexicons.value_noise.clone(),
        number_tolerance: config.facts.number_tolerance,
        time_tolerance_minutes: config.facts.time_tolerance_minutes,
    };
    let ((source_place, sources), ((object_rank, _), (attribute_rank, _))) = rayon::join(
        || input.sources.ranks(),
        || rayon::join(|| input.objects.ranks(), || input.attributes.ranks()),
    );
    // Rows grouped by item in (object, attribute) order, each item's rows in file
    // order (which fixes the order of its candidates): a sort of integer keys.
    let mut order: Vec<(u64, u32)> = input
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let object = u64::from(object_rank[row.object as usize]);
            let attribute = u64::from(attribute_rank[row.attribute as usize]);
            (object << 32 | attribute, index as u32)
        })
        .collect();
    order.par_sort_unstable();
    let mut item_rows: Vec<Range<usize>> = Vec::new();
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        let start = item_rows.last().map_or(0, |r| r.end);
        item_rows.push(start..start + group.len());
    }
    let blocks = item_rows
        .par_chunks(BLOCK)
        .map(|block| {
            let mut out = Prepared::default();
            let mut scratch = Scratch::default();
            for range in block {
                scratch.rows.clear();
                scratch.rows.extend(
                    order[range.clone()]
                        .iter()
                        .map(|&(_, row)| input.rows[row as usize]),
                );
                prepare_item(input, &source_place, &rules, &mut scratch, &mut out);
            }
            out
        })
        .collect();
    let prepared = Prepared::concat(blocks);

    let mut problem = Problem {
        sources: sources.len(),
        ..Problem::default()
    };
    let mut statements = prepared.statements.as_slice();
    let mut implications = prepared.implications.as_slice();
    for (item, prepared_item) in prepared.items.iter().enumerate() {
        problem.item_values.push(prepared_item.candidates);
        let (own, rest) = statements.split_at(prepared_item.statements);
        statements = rest;
        // A source listing one item several times with different values (a shop's
        // two listings of a book) splits one vote between them.
        for same_source in own.chunk_by(|a, b| a.0 == b.0) {
            for &(source, value) in same_source {
                problem.observations.push(Observation::new(
                    source as usize,
                    item,
                    value as usize,
                    source as usize,
                    1.0 / same_source.len() as f64,
                ));
            }
        }
        let (own, rest) = implications.split_at(prepared_item.implications);
        implications = rest;
        problem
            .implications
            .extend(own.iter().map(|&(from, to, strength)| Implication {
                item,
                from: from as usize,
                to: to as usize,
                strength,
            }));
    }
    let solution = score::solve(problem, &config.score, config.facts.copying());
    let mut source_statements = vec![0; sources.len()];
    for &(source, _) in &prepared.statements {
        source_statements[source as usize] += 1;
    }
    // Items are ranked in blocks on separate workers, each block's flat vectors then
    // appended in order: the same vectors one pass over all items would build.
    let mut starts = Vec::with_capacity(prepared.items.len());
    let mut next = (0, 0);
    for item in &prepared.items {
        starts.push(next);
        next = (next.0 + item.candidates, next.1 + item.statements);
    }
    let blocks = starts
        .par_chunks(BLOCK)
        .enumerate()
        .map(|(block, starts)| {
            let mut out = Ranked::default();
            for (offset, &start) in starts.iter().enumerate() {
                let index = block * BLOCK + offset;
                rank_item(input, &prepared, index, start, &solution, &rules, &mut out);
            }
            out
        })
        .collect();
    let ranked = Ranked::concat(blocks);
    ScoredFacts {
        input,
        sources,
        source_statements,
        trust: solution.trust,
        dependent: solution.dependent,
        items: ranked.items,
        candidates: ranked.candidates,
        supporters: ranked.supporters,
        iterations: solution.iterations,
        converged: solution.converged,
    }
}

/// Items with their candidates ranked, flat as in `ScoredFacts`, and the buffers a
/// worker reuses from item to item.
#[derive(Default)]
struct Ranked {
    items: Vec<ScoredItem>,
    candidates: Vec<Candidate>,
    supporters: Vec<u32>,
    /// One item's (candidate, source) statements.
    by_candidate: Vec<(u32, u32)>,
    /// One item's candidates, most confident first.
    order: Vec<usize>,
}

impl Ranked {
    fn concat(mut blocks: Vec<Ranked>) -> Ranked {
        Ranked {
            items: gather(&mut blocks, |b| &mut b.items),
            candidates: gather(&mut blocks, |b| &mut b.candidates),
            supporters: gather(&mut blocks, |b| &mut b.supporters),
            ..Ranked::default()
        }
    }
}

/// Appends item `index` of `prepared`, whose candidates and statements start at
/// `(candidates, statements)` in its flat vectors, with its candidates ranked by
/// confidence and its truth chosen.
fn rank_item(
    input: &FactInput,
    prepared: &Prepared,
    index: usize,
    (candidates, statements): (usize, usize),
    solution: &score::Solution,
    rules: &ValueRules,
    out: &mut Ranked,
) {
    let item = &prepared.items[index];
    let confidence = solution.values(index);
    let parsed = &prepared.parsed[candidates..candidates + item.candidates];
    let displays = &prepared.displays[candidates..candidates + item.candidates];
    let display = |c: usize| input.values.get(displays[c]);
    // Statements are distinct and sorted by source, so each candidate's are too.
    let by_candidate = &mut out.by_candidate;
    by_candidate.clear();
    by_candidate.extend(
        prepared.statements[statements..statements + item.statements]
            .iter()
            .map(|&(source, value)| (value, source)),
    );
    by_candidate.sort_unstable();
    let truth = choose_truth(item.kind, parsed, &display, confidence, rules);
    let ranked = &mut out.order;
    ranked.clear();
    ranked.extend(0..item.candidates);
    ranked.sort_by(|&a, &b| {
        confidence[b]
            .total_cmp(&confidence[a])
            .then_with(|| display(a).cmp(display(b)))
    });
    for &candidate in ranked.iter() {
        let start = by_candidate.partition_point(|s| (s.0 as usize) < candidate);
        let end = by_candidate.partition_point(|s| (s.0 as usize) <= candidate);
        out.supporters
            .extend(by_candidate[start..end].iter().map(|s| s.1));
        out.candidates.push(Candidate {
            display: displays[candidate],
            confidence: confidence[candidate],
            sources: end - start,
        });
    }
    out.items.push(ScoredItem {
        object: item.object,
        attribute: item.attribute,
        kind: item.kind,
        candidates: item.candidates,
        truth: ranked.iter().position(|&c| c == truth).unwrap_or(0),
    });
}

/// Buffers one worker reuses from item to item.
#[derive(Default)]
struct Scratch {
    rows: Vec<FactRow>,
    /// (key, row) of a multi-row item's rows, to group equal values.
    keys: Vec<(String, usize)>,
    /// Each row's candidate.
    candidate: Vec<u32>,
    spellings: Vec<u32>,
    /// The item's distinct (source, candidate) statements.
    statements: Vec<(u32, u32)>,
}

/// Appends the item of `scratch.rows` (one item's rows, in file order) to `out`.
fn prepare_item(
    input: &FactInput,
    source_place: &[u32],
    rules: &ValueRules,
    scratch: &mut Scratch,
    out: &mut Prepared,
) {
    let rows = &scratch.rows;
    let raw: Vec<&str> = rows.iter().map(|r| input.values.get(r.value)).collect();
    let (kind, parsed_rows) = value::parse_item(&raw, rules);
    // Rows with equal keys state one candidate; candidates are numbered in order of
    // their first row.
    scratch.candidate.clear();
    let first_candidate = out.parsed.len();
    if rows.len() == 1 {
        scratch.candidate.push(0);
        out.parsed.extend(parsed_rows);
        out.displays.push(rows[0].value);
    } else {
        scratch.keys.clear();
        scratch
            .keys
            .extend(parsed_rows.iter().map(Parsed::key).zip(0..));
        scratch.keys.sort_unstable();
        // Each group's first row, in row order, numbers the candidates.
        let mut firsts: Vec<(usize, Range<usize>)> = Vec::new();
        let mut start = 0;
        for group in scratch.keys.chunk_by(|a, b| a.0 == b.0) {
            firsts.push((group[0].1, start..start + group.len()));
            start += group.len();
        }
        firsts.sort_unstable_by_key(|f| f.0);
        scratch.candidate.resize(rows.len(), 0);
        let mut parsed_rows: Vec<Option<Parsed>> = parsed_rows.into_iter().map(Some).collect();
        for (candidate, (first, group)) in firsts.iter().enumerate() {
            out.parsed
                .push(parsed_rows[*first].take().expect("one first row per group"));
            scratch.spellings.clear();
            for &(_, row) in &scratch.keys[group.clone()] {
                scratch.candidate[row] = candidate as u32;
                scratch.spellings.push(rows[row].value);
            }
            out.displays
                .push(most_common(&mut scratch.spellings, &input.values));
        }
    }
    let candidates = out.parsed.len() - first_candidate;
    scratch.statements.clear();
    scratch.statements.extend(
        rows.iter()
            .zip(&scratch.candidate)
            .map(|(row, &candidate)| (source_place[row.source as usize], candidate)),
    );
    scratch.statements.sort_unstable();
    scratch.statements.dedup();
    out.statements.extend_from_slice(&scratch.statements);
    let parsed = &out.parsed[first_candidate..];
    let first_implication = out.implications.len();
    for (from, a) in parsed.iter().enumerate() {
        for (to, b) in parsed.iter().enumerate() {
            let strength = if from == to {
                0.0
            } else {
                value::implication(a, b, rules)
            };
            if strength > 0.0 {
                out.implications.push((from as u32, to as u32, strength));
            }
        }
    }
    out.items.push(PreparedItem {
        object: rows[0].object,
        attribute: rows[0].attribute,
        kind,
        candidates,
        statements: scratch.statements.len(),
        implications: out.implications.len() - first_implication,
    });
}

/// The most common of the spellings (value ids), the alphabetically first on a tie.
fn most_common(spellings: &mut [u32], values: &Interner) -> u32 {
    spellings.sort_unstable();
    let mut best = (0, spellings[0]);
    for run in spellings.chunk_by(|a, b| a == b) {
        let better =
            run.len() > best.0 || run.len() == best.0 && values.get(run[0]) < values.get(best.1);
        if better {
            best = (run.len(), run[0]);
        }
    }
    best.1
}

/// The most confident candidate; for numbers, the confidence-weighted median of the
/// candidates close enough to it to support it, so a cluster of near-equal figures
/// reports its centre rather than whichever edge happened to lead.
fn choose_truth<'v>(
    kind: Kind,
    parsed: &[Parsed],
    display: &impl Fn(usize) -> &'v str,
    confidence: &[f64],
    rules: &ValueRules,
) -> usize {
    let best = (0..confidence.len())
        .max_by(|&a, &b| {
            confidence[a]
                .total_cmp(&confidence[b])
                .then_with(|| display(b).cmp(display(a)))
        })
        .unwrap_or(0);
    if kind != Kind::Number {
        return best;
    }
    let value = |i: usize| match parsed[i] {
        Parsed::Number(x) => x,
        _ => 0.0,
    };
    let mut cluster: Vec<usize> = (0..confidence.len())
        .filter(|&i| i == best || value::implication(&parsed[best], &parsed[i], rules) > 0.0)
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

/// Writes truths.csv, values.csv and sources.csv into `dir`, atomically.
/// `bom` starts each with a UTF-8 byte-order mark, as `--excel` does for `credence run`.
pub fn write_fact_reports(
    dir: &Path,
    scored: &ScoredFacts,
    bom: bool,
) -> anyhow::Result<Vec<PathBuf>> {
    let files: [StagedFile; 3] = [
        (
            "truths.csv",
            Box::new(|path| write_lines(path, bom, |out| write_truths(out, scored))),
        ),
        (
            "values.csv",
            Box::new(|path| write_lines(path, bom, |out| write_values(out, scored))),
        ),
        (
            "sources.csv",
            Box::new(|path| write_lines(path, bom, |out| write_sources(out, scored))),
        ),
    ];
    write_atomically(dir, &files)
}

/// truths.csv: one row per item, its chosen value.
fn write_truths(out: &mut RecordSink, scored: &ScoredFacts) {
    out.push(&[
        "object",
        "attribute",
        "value",
        "confidence",
        "kind",
        "candidates",
    ]);
    let input = scored.input;
    let mut confidence = String::new();
    let mut count = itoa::Buffer::new();
    for (item, candidates) in scored.each_item() {
        let truth = &candidates[item.truth];
        fixed_into(&mut confidence, truth.confidence);
        out.push(&[
            &*safe_cell(input.objects.get(item.object)),
            &*safe_cell(input.attributes.get(item.attribute)),
            &*safe_cell(input.values.get(truth.display)),
            &confidence,
            item.kind.as_str(),
            count.format(candidates.len()),
        ]);
    }
}

/// values.csv: every candidate of every item, with the sources stating it.
fn write_values(out: &mut RecordSink, scored: &ScoredFacts) {
    out.push(&[
        "object",
        "attribute",
        "value",
        "confidence",
        "chosen",
        "sources",
        "supporting_sources",
    ]);
    let input = scored.input;
    let (mut confidence, mut supporters) = (String::new(), String::new());
    let mut count = itoa::Buffer::new();
    let mut sources = scored.supporters.as_slice();
    for (item, candidates) in scored.each_item() {
        let object = safe_cell(input.objects.get(item.object));
        let attribute = safe_cell(input.attributes.get(item.attribute));
        for (index, candidate) in candidates.iter().enumerate() {
            fixed_into(&mut confidence, candidate.confidence);
            let (own, rest) = sources.split_at(candidate.sources);
            sources = rest;
            join_into(
                &mut supporters,
                own.iter().map(|&source| scored.source_name(source)),
            );
            out.push(&[
                &*object,
                &*attribute,
                &*safe_cell(input.values.get(candidate.display)),
                &confidence,
                if index == item.truth { "true" } else { "false" },
                count.format(candidate.sources),
                &*safe_cell(&supporters),
            ]);
        }
    }
}

/// sources.csv: every source's trust, its interval, and the sources it likely copies.
fn write_sources(out: &mut RecordSink, scored: &ScoredFacts) {
    out.push(&[
        "source",
        "trust",
        "trust_low",
        "trust_high",
        "claims",
        "checkable",
        "likely_copies_with",
    ]);
    let mut partners: Vec<Vec<&str>> = vec![Vec::new(); scored.sources.len()];
    for pair in &scored.dependent {
        partners[pair.first].push(scored.source_name(pair.second as u32));
        partners[pair.second].push(scored.source_name(pair.first as u32));
    }
    let (mut trust, mut low, mut high) = (String::new(), String::new(), String::new());
    let (mut claims, mut checkable) = (itoa::Buffer::new(), itoa::Buffer::new());
    for (place, copies) in partners.iter_mut().enumerate() {
        let estimate = scored.trust[place];
        fixed_into(&mut trust, estimate.score);
        fixed_into(&mut low, estimate.low);
        fixed_into(&mut high, estimate.high);
        copies.sort_unstable();
        out.push(&[
            &*safe_cell(scored.source_name(place as u32)),
            &trust,
            &low,
            &high,
            claims.format(scored.source_statements[place]),
            checkable.format(estimate.checkable),
            &*safe_cell(&copies.join("; ")),
        ]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every record (line, fields) of `records`, and the unreadable ones' lines.
    fn all_records(mut records: Records) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut row = csv::ByteRecord::new();
        let mut out = Vec::new();
        while let Some(record) = records.next(&mut row) {
            let line = record.expect("no record is unreadable without quoting");
            out.push((line, row.iter().map(<[u8]>::to_vec).collect()));
        }
        out
    }

    fn csv_records(bytes: &[u8]) -> Records<'_> {
        Records::Csv {
            reader: csv::ReaderBuilder::new()
                .delimiter(b'\t')
                .quoting(false)
                .flexible(true)
                .has_headers(false)
                .from_reader(bytes),
            part: bytes,
            counted: 0,
            line: 1,
        }
    }

    fn config() -> Config {
        let mut config = Config::builtin();
        config.facts.missing_values = vec!["n/a".into()];
        config
    }

    proptest! {
        #[test]
        fn lines_split_as_csv_reads_them_unquoted(
            bytes in proptest::collection::vec(
                proptest::sample::select(b"ab \t\n\r\"".to_vec()), 0..200)
        ) {
            let lines = Records::Lines { rest: &bytes, line: 1, delimiter: b'\t' };
            prop_assert_eq!(all_records(lines), all_records(csv_records(&bytes)));
        }
    }

    #[test]
    fn records_are_named_by_the_line_they_start_on() {
        let bytes = b"a\r\nb\n\nc\r\n\r\nd\re";
        let expected: Vec<(u64, Vec<Vec<u8>>)> = [(1, "a"), (2, "b"), (4, "c"), (6, "d"), (6, "e")]
            .iter()
            .map(|&(line, field)| (line, vec![field.as_bytes().to_vec()]))
            .collect();
        let lines = Records::Lines {
            rest: bytes,
            line: 1,
            delimiter: b'\t',
        };
        assert_eq!(all_records(lines), expected);
        assert_eq!(all_records(csv_records(bytes)), expected);
        // A quoted line break is inside its record, and the next record starts after it.
        let quoted = b"\"x\ny\",b\r\nc";
        let records = Records::Csv {
            reader: csv::ReaderBuilder::new()
                .flexible(true)
                .has_headers(false)
                .from_reader(&quoted[..]),
            part: quoted,
            counted: 0,
            line: 1,
        };
        let lines: Vec<u64> = all_records(records)
            .into_iter()
            .map(|(line, _)| line)
            .collect();
        assert_eq!(lines, [1, 3]);
    }

    #[test]
    fn a_file_read_in_parts_is_the_file_read_whole() {
        let mut text = String::from("source\tobject\tattribute\tvalue\n");
        for row in 0..5000 {
            // Strings recur across parts, and bad rows fall in each part.
            let line = match row % 997 {
                0 => "lonely\n".to_string(),
                1 => "\t\t\t\n".to_string(),
                2 => "s\to\ta\tn/a\n".to_string(),
                _ => format!(
                    "s{}\to{}\ta{}\t{}\r\n",
                    row % 13,
                    row % 101,
                    row % 3,
                    row % 7
                ),
            };
            text.push_str(&line);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("facts.tsv");
        std::fs::write(&path, &text).unwrap();
        let whole = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let parts = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let read = |pool: &rayon::ThreadPool| {
            pool.install(|| read_facts(&path, b'\t', &config()).unwrap())
        };
        let (one, four) = (read(&whole), read(&parts));
        assert_eq!(one.rows, four.rows);
        assert_eq!(one.skipped, four.skipped);
        assert_eq!(one.missing_values, 6);
        assert_eq!(four.missing_values, 6);
        let ids = |input: &FactInput| {
            (0..input.objects.count() as u32)
                .map(|id| input.objects.get(id).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&one), ids(&four));
        // Skipped rows keep their line numbers whichever part they fell in.
        let lines: Vec<u64> = four.skipped.iter().map(|s| s.line).collect();
        assert_eq!(
            lines,
            [2, 3, 999, 1000, 1996, 1997, 2993, 2994, 3990, 3991, 4987, 4988]
        );
    }
}
