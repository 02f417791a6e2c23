//! Writes the reports (the CSVs, `report.html` with `--html`, and the history with a
//! run date), all or nothing.
//!
//! Every file is first written into a staging directory inside `--out`, then a journal
//! is committed and each file renamed over its predecessor; a run that fails or is
//! killed before the journal leaves last night's reports exactly as they were, and one
//! killed after it is finished by `recover` (see `write_atomically`). Text cells that a spreadsheet would read as a
//! formula (`=`, `+`, `-`, `@`, tab, CR) are prefixed with `'`; numbers are written
//! with a fixed four decimals. With `--excel` each CSV starts with a UTF-8 byte-order
//! mark, without which Excel reads the file in the local code page.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;

use crate::agreement::{Evidence, Relation};
use crate::claims::spill::ProseBlock;
use crate::id::{ClaimId, SpelledId};
use crate::{Analysis, FactSummary, OutletSummary, SupportCount};

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
    /// Append this run's outlet scores to `HISTORY_FILE` under this date.
    pub run_date: Option<chrono::NaiveDate>,
}

/// What `write_reports` did.
#[derive(Debug, Default)]
pub struct Published {
    pub paths: Vec<PathBuf>,
    /// Problems that did not stop the run: a history file that could not be appended
    /// to, say.
    pub warnings: Vec<String>,
}

/// Writes every report into `dir` atomically, with this run's rows appended to the
/// history when `options.run_date` is given. The caller holds the directory's lock.
pub fn write_reports(
    dir: &Path,
    analysis: &Analysis,
    options: &ReportOptions,
) -> anyhow::Result<Published> {
    // Claims, outlets and the HTML report all need every claim's support.
    let supports = analysis.supports();
    let summaries = analysis.outlet_summaries(&supports);
    let rows = ReportRows::build(analysis, &summaries);
    let bom = options.excel;
    let mut warnings = Vec::new();
    // Read once: the appended history and the HTML page's charts both start from it.
    let history_path = dir.join(HISTORY_FILE);
    let previous_history = crate::history::read(&history_path);
    let history = options.run_date.and_then(|date| {
        let appended = previous_history
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|existing| {
                history_with_run(
                    &history_path,
                    existing.as_deref(),
                    analysis,
                    &summaries,
                    date,
                    bom,
                )
            });
        match appended {
            Ok(bytes) => Some(bytes),
            Err(reason) => {
                warnings.push(reason);
                None
            }
        }
    });
    let supports = &supports;
    let claim_order = claim_order(analysis);
    let evidence_rows = EvidenceRows::new(analysis, EVIDENCE_PART_ROWS).with_context(|| {
        format!(
            "cannot sort evidence.csv's rows in {} (TMPDIR)",
            std::env::temp_dir().display()
        )
    })?;
    let fact_order = fact_order(analysis);
    let (claim_order, evidence_rows, fact_order) = (&claim_order, &evidence_rows, &fact_order);
    let mut files: Vec<StagedFile> = vec![
        staged_csv("outlets.csv", &rows.outlets, bom),
        staged_records(
            "claims.csv",
            bom,
            &CLAIM_HEADER,
            claim_order.len(),
            |rows| analysis.prose.read(&claim_order[rows]),
            |place, row, prose, cells, out| {
                push_claim(
                    analysis,
                    supports,
                    claim_order[row] as usize,
                    (prose, place),
                    cells,
                    out,
                )
            },
        ),
        staged_rows(
            "facts.csv",
            bom,
            fact_order.len(),
            |rows| {
                let facts = fact_order[rows].iter().map(|&(fact, _)| fact as usize);
                let summaries: Vec<FactSummary> = facts
                    .clone()
                    .map(|fact| analysis.fact_summary(fact))
                    .collect();
                let leading: Vec<u32> = facts
                    .zip(&summaries)
                    .map(|(fact, summary)| analysis.agreement.facts.value(fact, summary.leading)[0])
                    .collect();
                Ok((summaries, analysis.prose.read(&leading)?))
            },
            |place, row, (summaries, statements)| {
                let fact = fact_order[row].0 as usize;
                fact_row(analysis, fact, &summaries[place], statements.text(place))
            },
        ),
        evidence_rows.staged(analysis, bom),
        staged_csv("articles.csv", &rows.articles, bom),
        staged_csv("inputs.csv", &rows.inputs, bom),
    ];
    if options.html {
        files.push((
            HTML_REPORT,
            Box::new(|path| {
                // The history as it stood before this run: the page depends on the
                // run's inputs only, never on the clock that dates the run.
                let history = crate::history::load(&previous_history);
                let page = crate::html::render(analysis, supports, &summaries, &history)
                    .context("cannot read the claims' texts back for the page")?;
                write_file(path, page.as_bytes())
            }),
        ));
    }
    if let Some(bytes) = &history {
        files.push((HISTORY_FILE, Box::new(|path| write_file(path, bytes))));
    }
    let paths = write_atomically(dir, &files)?;
    Ok(Published { paths, warnings })
}

/// The history file with a row per outlet of this run appended, or why it cannot be.
fn history_with_run(
    path: &Path,
    existing: Option<&[u8]>,
    analysis: &Analysis,
    summaries: &[OutletSummary],
    run_date: chrono::NaiveDate,
    bom: bool,
) -> Result<Vec<u8>, String> {
    let date = run_date.format("%Y-%m-%d").to_string();
    // Sorted by outlet name, so the rows of a run are in the same order every night.
    let mut by_name: Vec<&OutletSummary> = summaries.iter().collect();
    by_name.sort_by(|a, b| analysis.outlets[a.outlet].cmp(&analysis.outlets[b.outlet]));
    let rows: Vec<crate::history::Row> = by_name
        .iter()
        .map(|s| {
            [
                date.clone(),
                cell(&analysis.outlets[s.outlet]),
                fixed(s.trust.score),
                fixed(s.trust.low),
                fixed(s.trust.high),
                s.articles.to_string(),
                s.claims.to_string(),
                s.trust.checkable.to_string(),
                s.corroborated.to_string(),
                s.contradicted.to_string(),
            ]
        })
        .collect();
    crate::history::appended(existing, &rows, bom).map_err(|reason| {
        format!(
            "{} not appended to ({reason}); this run's scores are not in it",
            path.display()
        )
    })
}

/// A file to publish: its path relative to the output directory, and how to write it
/// to a path.
pub type StagedFile<'a> = (
    &'a str,
    Box<dyn Fn(&Path) -> anyhow::Result<()> + Send + Sync + 'a>,
);

/// A CSV report of `rows`, staged for `write_atomically`.
pub fn staged_csv<'a, T: Serialize + Default + Sync>(
    name: &'a str,
    rows: &'a [T],
    bom: bool,
) -> StagedFile<'a> {
    staged_blocks(name, bom, rows.len(), move |block| {
        serialized::<T, _>(block, |index| &rows[index])
    })
}

/// A CSV report of `count` rows, made only as the file is written: a block of rows at
/// a time, `read_block(rows)` gathering what the block needs (claim texts from disk,
/// say), then row `i`, the block's `place`th, made by `row(place, i, &block)`. The
/// largest reports (a row per claim, two per evidence edge) are never held whole:
/// their owned rows were a run's peak memory.
pub fn staged_rows<'a, R: Serialize + Default, Block>(
    name: &'a str,
    bom: bool,
    count: usize,
    read_block: impl Fn(std::ops::Range<usize>) -> io::Result<Block> + Send + Sync + 'a,
    row: impl Fn(usize, usize, &Block) -> R + Send + Sync + 'a,
) -> StagedFile<'a> {
    staged_blocks(name, bom, count, move |rows| {
        let block = read_block(rows.clone())?;
        let first = rows.start;
        serialized::<R, _>(rows, |index| row(index - first, index, &block))
    })
}

/// The rows `block` of a report of `Row`s, as the csv writer formats them; only the
/// first block writes the header, which the csv writer takes from the first row's
/// field names. A report without rows is its header alone: the csv writer would write
/// nothing, and an empty file reads as a broken report to whatever opens it next.
fn serialized<Row: Serialize + Default, R: Serialize>(
    block: std::ops::Range<usize>,
    row: impl Fn(usize) -> R,
) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(block.start == 0)
        .from_writer(Vec::new());
    if block.is_empty() {
        writer.serialize(Row::default())?;
        let mut bytes = writer.into_inner().map_err(|e| e.into_error())?;
        // Column names hold no line break: the first one ends the header.
        let end = bytes
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| i + 1);
        bytes.truncate(end);
        return Ok(bytes);
    }
    for index in block {
        writer.serialize(row(index))?;
    }
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}

/// `staged_rows` for the largest report, claims.csv: `row(place, i, &block, scratch,
/// out)` pushes row `i`'s fields onto `out` (with `push_record`), formatting them in
/// `scratch`, a worker's reused buffers. Serialising a struct of owned strings per row
/// through the csv writer was most of the report stage's CPU on large runs.
pub fn staged_records<'a, Block, Scratch: Default>(
    name: &'a str,
    bom: bool,
    header: &'a [&'a str],
    count: usize,
    read_block: impl Fn(std::ops::Range<usize>) -> io::Result<Block> + Send + Sync + 'a,
    row: impl Fn(usize, usize, &Block, &mut Scratch, &mut Vec<u8>) + Send + Sync + 'a,
) -> StagedFile<'a> {
    staged_blocks(name, bom, count, move |rows| {
        let block = read_block(rows.clone())?;
        let mut out = Vec::new();
        if rows.start == 0 {
            push_record(&mut out, header);
        }
        let mut scratch = Scratch::default();
        for (place, index) in rows.enumerate() {
            row(place, index, &block, &mut scratch, &mut out);
        }
        Ok(out)
    })
}

/// A report of `count` rows whose blocks `format_block(rows)` formats (`write_blocks`).
/// A report without rows is one empty block, for its header.
fn staged_blocks<'a>(
    name: &'a str,
    bom: bool,
    count: usize,
    format_block: impl Fn(std::ops::Range<usize>) -> anyhow::Result<Vec<u8>> + Send + Sync + 'a,
) -> StagedFile<'a> {
    staged_file(name, bom, move |file| {
        write_blocks(file, count, &format_block)
    })
}

/// A report that `write` writes after the byte-order mark, if any, then synced.
fn staged_file<'a>(
    name: &'a str,
    bom: bool,
    write: impl Fn(&mut io::BufWriter<fs::File>) -> anyhow::Result<()> + Send + Sync + 'a,
) -> StagedFile<'a> {
    (
        name,
        Box::new(move |path| {
            let context = || format!("cannot write {}", path.display());
            let mut file = io::BufWriter::new(fs::File::create(path).with_context(context)?);
            if bom {
                file.write_all(UTF8_BOM).with_context(context)?;
            }
            write(&mut file).with_context(context)?;
            file.into_inner()
                .map_err(|e| e.into_error())
                .and_then(|file| file.sync_all())
                .with_context(context)
        }),
    )
}

/// Writes `count` rows formatted a block at a time by `format_block(rows)`: blocks are
/// formatted in parallel and written in order, so a file of a million rows is not one
/// thread's work. Each batch of blocks is written while the next is formatted: writing
/// between batches left a core idle, a quarter of the end of a 100,000-article run's
/// report stage, when evidence.csv was the last file being written. No rows are one
/// empty block.
fn write_blocks(
    file: &mut io::BufWriter<fs::File>,
    count: usize,
    format_block: impl Fn(std::ops::Range<usize>) -> anyhow::Result<Vec<u8>> + Sync,
) -> anyhow::Result<()> {
    /// Rows per block (2.5 MB of claims.csv). Two blocks per worker are formatted at
    /// once, enough to keep every worker busy: sixteen at a time, with a batch being
    /// written while the next is formatted, held 130 MB of formatted text across the
    /// three large reports, the peak of a 100,000-article run on two threads.
    const BLOCK_ROWS: usize = 8192;
    let blocks: Vec<usize> = (0..count.div_ceil(BLOCK_ROWS).max(1)).collect();
    let format = |batch: &[usize]| -> anyhow::Result<Vec<Vec<u8>>> {
        batch
            .par_iter()
            .map(|&block| format_block(block * BLOCK_ROWS..count.min((block + 1) * BLOCK_ROWS)))
            .collect()
    };
    let write = |file: &mut io::BufWriter<fs::File>, formatted: Vec<Vec<u8>>| {
        formatted.iter().try_for_each(|bytes| file.write_all(bytes))
    };
    let mut batches = blocks.chunks(2 * rayon::current_num_threads());
    let first = batches.next().expect("at least one block");
    let mut formatted = format(first)?;
    for batch in batches {
        let (written, next) = rayon::join(|| write(file, formatted), || format(batch));
        written?;
        formatted = next?;
    }
    Ok(write(file, formatted)?)
}

/// Replaces the one file `path` atomically: `write` fills a temporary file beside it,
/// which is synced and renamed over it. A single rename needs neither the journal nor
/// the directory lock of `write_atomically`: readers see the old file or the new one,
/// and two writers cannot leave a mix. Missing parent directories are created, as
/// `write_atomically` creates the output directory.
pub fn replace_file(
    path: &Path,
    write: impl FnOnce(&mut fs::File) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let context = || format!("cannot write {}", path.display());
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).with_context(context)?;
    let mut file = tempfile::Builder::new()
        .prefix(".credence-")
        .tempfile_in(dir)
        .with_context(context)?;
    write(file.as_file_mut()).with_context(context)?;
    file.as_file().sync_all().with_context(context)?;
    file.persist(path)
        .map_err(|e| e.error)
        .with_context(context)?;
    Ok(())
}

/// Prefix of the directories reports are staged in, inside the output directory.
const STAGING_PREFIX: &str = ".credence-staging-";

/// The publication journal, inside the output directory: while it exists, the files
/// it lists are being moved from its staging directory into place.
pub const JOURNAL: &str = ".credence-publish";

/// Writes each file into a staging directory inside `dir`, then moves them all into
/// place; returns the paths written.
///
/// All or nothing, even if the process is killed at any moment. Until every staged
/// file is written and synced, nothing in `dir` has changed: a failure, a full disk or
/// a kill leaves the previous files exactly as they were (and at most a staging
/// directory, which `recover` removes). Then a journal naming the staging directory
/// and the files is synced into place: from that moment the publication counts as
/// done. The files are renamed over their predecessors, the directory synced, and the
/// journal removed. A run killed during the renames leaves the journal, and `recover`
/// (which every command that writes or reads `dir` calls first) finishes the renames,
/// so the directory never stays a mix of two runs.
///
/// The caller holds the directory's lock (`lock::DirLock`).
pub fn write_atomically(dir: &Path, files: &[StagedFile]) -> anyhow::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create output directory {}", dir.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(dir)
        .with_context(|| format!("cannot write reports to {}", dir.display()))?;
    for (name, _) in files {
        if let Some(parent) = staging.path().join(name).parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot write reports to {}", dir.display()))?;
        }
    }
    // Each file is formatted, written and synced on its own worker: the syncs overlap
    // and so does the formatting of the large reports. The first failure in file
    // order is the one reported, whichever worker met it first.
    let written: Vec<anyhow::Result<()>> = files
        .par_iter()
        .map(|(name, write)| write(&staging.path().join(name)))
        .collect();
    written.into_iter().collect::<anyhow::Result<()>>()?;
    // Renames cannot fail half-way for a reason we can see in advance: check every
    // target first, so a blocked one stops the run before any report is replaced.
    for (name, _) in files {
        let target = dir.join(name);
        if target.symlink_metadata().is_ok_and(|m| !m.is_file()) {
            anyhow::bail!("cannot replace {}: not a regular file", target.display());
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
    }
    let journal = Journal {
        staging: staging
            .path()
            .file_name()
            .expect("a temporary directory has a name")
            .to_string_lossy()
            .into_owned(),
        files: files.iter().map(|(name, _)| name.to_string()).collect(),
    };
    journal.commit(dir)?;
    // From here the journal owns the staging directory: were it deleted on an error
    // below, `recover` would take its missing files for files already moved.
    let _ = staging.keep();
    journal.apply(dir)?;
    Ok(files.iter().map(|(name, _)| dir.join(name)).collect())
}

/// What `recover` found in an output directory.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Files moved into place from a publication a killed run had committed.
    pub completed: Vec<String>,
    /// Staging directories of runs killed before they committed, removed.
    pub abandoned: usize,
}

/// Finishes a publication a killed run committed (see `write_atomically`) and removes
/// what runs killed earlier left behind. The caller holds the directory's lock.
pub fn recover(dir: &Path) -> anyhow::Result<Recovery> {
    let mut recovery = Recovery::default();
    let journal_path = dir.join(JOURNAL);
    match fs::read_to_string(&journal_path) {
        Ok(text) => {
            let journal = Journal::parse(&text).with_context(|| {
                format!(
                    "{} is not a credence publication journal; move it away",
                    journal_path.display()
                )
            })?;
            recovery.completed = journal.apply(dir)?;
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => {
            return Err(err).with_context(|| format!("cannot read {}", journal_path.display()))
        }
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(recovery),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", dir.display())),
    };
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(STAGING_PREFIX) {
            fs::remove_dir_all(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?;
            recovery.abandoned += 1;
        } else if name == Journal::TEMPORARY {
            fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    Ok(recovery)
}

/// The publication journal: the staging directory and the files it holds, one per
/// line.
#[derive(Debug, PartialEq, Eq)]
struct Journal {
    staging: String,
    files: Vec<String>,
}

impl Journal {
    const HEADER: &'static str = "credence publication 1";
    /// Where the journal is written before it is renamed into place.
    const TEMPORARY: &'static str = ".credence-publish.tmp";

    fn parse(text: &str) -> Option<Journal> {
        let mut lines = text.lines();
        if lines.next()? != Self::HEADER {
            return None;
        }
        let staging = lines.next()?.strip_prefix("staging ")?.to_string();
        let files = lines
            .map(|line| line.strip_prefix("file ").map(str::to_string))
            .collect::<Option<Vec<_>>>()?;
        let safe = |name: &str| {
            !name.is_empty()
                && Path::new(name)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)))
        };
        (staging.starts_with(STAGING_PREFIX) && safe(&staging) && files.iter().all(|f| safe(f)))
            .then_some(Journal { staging, files })
    }

    fn render(&self) -> String {
        let mut text = format!("{}\nstaging {}\n", Self::HEADER, self.staging);
        for file in &self.files {
            text.push_str(&format!("file {file}\n"));
        }
        text
    }

    /// Makes the publication durable: after this returns, it will complete.
    fn commit(&self, dir: &Path) -> anyhow::Result<()> {
        let temporary = dir.join(Self::TEMPORARY);
        write_file(&temporary, self.render().as_bytes())?;
        let journal = dir.join(JOURNAL);
        fs::rename(&temporary, &journal)
            .with_context(|| format!("cannot write {}", journal.display()))?;
        sync_dir(dir)
    }

    /// Moves every staged file still in the staging directory into place, then removes
    /// the staging directory and the journal; returns the files it moved. Idempotent,
    /// so a kill during it only means it runs again.
    fn apply(&self, dir: &Path) -> anyhow::Result<Vec<String>> {
        let staging = dir.join(&self.staging);
        let mut moved = Vec::new();
        let mut parents = BTreeSet::new();
        for name in &self.files {
            let (from, to) = (staging.join(name), dir.join(name));
            match fs::rename(&from, &to) {
                Ok(()) => moved.push(name.clone()),
                // Moved before the previous run was killed.
                Err(err) if err.kind() == std::io::ErrorKind::NotFound && !from.exists() => {}
                Err(err) => {
                    return Err(err).with_context(|| format!("cannot replace {}", to.display()))
                }
            }
            parents.insert(to.parent().unwrap_or(dir).to_path_buf());
        }
        for parent in &parents {
            sync_dir(parent)?;
        }
        if staging.exists() {
            fs::remove_dir_all(&staging)
                .with_context(|| format!("cannot remove {}", staging.display()))?;
        }
        let journal = dir.join(JOURNAL);
        fs::remove_file(&journal)
            .with_context(|| format!("cannot remove {}", journal.display()))?;
        sync_dir(dir)?;
        Ok(moved)
    }
}

/// Makes renames and removals in `dir` durable.
fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot sync {}", dir.display()))
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes a CSV file whose records `fill` hands to a `RecordSink` (header included),
/// after a UTF-8 byte-order mark when `bom`, and syncs it to disk.
pub fn write_lines(
    path: &Path,
    bom: bool,
    fill: impl FnOnce(&mut RecordSink),
) -> anyhow::Result<()> {
    let context = || format!("cannot write {}", path.display());
    let mut sink = RecordSink {
        file: fs::File::create(path).with_context(context)?,
        buffer: Vec::with_capacity(RecordSink::FLUSH_AT + (1 << 12)),
        error: None,
    };
    if bom {
        sink.buffer.extend_from_slice(UTF8_BOM);
    }
    fill(&mut sink);
    sink.flush();
    let RecordSink { file, error, .. } = sink;
    match error {
        Some(err) => Err(err),
        None => file.sync_all(),
    }
    .with_context(context)
}

/// Records on their way to a file, written out a few hundred kilobytes at a time: one
/// buffer holding a whole report grew by copying itself and touched fresh memory for
/// every megabyte (a Population run took about 1,600 more page faults that way).
pub struct RecordSink {
    file: fs::File,
    buffer: Vec<u8>,
    /// The first failed write; later records are dropped and `write_lines` reports it.
    error: Option<io::Error>,
}

impl RecordSink {
    const FLUSH_AT: usize = 1 << 18;

    /// Appends one record (see `push_record`).
    pub fn push(&mut self, fields: &[&str]) {
        push_record(&mut self.buffer, fields);
        if self.buffer.len() >= Self::FLUSH_AT {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.error.is_none() {
            self.error = self.file.write_all(&self.buffer).err();
        }
        self.buffer.clear();
    }
}

/// Appends one CSV record to `out`, each field quoted exactly when the csv crate's
/// writer would quote it (it holds a comma, a quote or a line break; quotes doubled;
/// a record of one empty field is `""`). Reports of a hundred thousand rows are built
/// this way: the csv writer's field-by-field state machine was most of the cost of
/// writing them.
pub fn push_record(out: &mut Vec<u8>, fields: &[&str]) {
    if let [""] = fields {
        out.extend_from_slice(b"\"\"\n");
        return;
    }
    /// The bytes that make the csv writer quote a field.
    const QUOTED: [bool; 256] = {
        let mut table = [false; 256];
        table[b',' as usize] = true;
        table[b'"' as usize] = true;
        table[b'\r' as usize] = true;
        table[b'\n' as usize] = true;
        table
    };
    // Room for the record unquoted, so the pushes below do not grow the buffer.
    out.reserve(fields.iter().map(|f| f.len() + 1).sum());
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        let bytes = field.as_bytes();
        if bytes.iter().any(|&b| QUOTED[usize::from(b)]) {
            out.push(b'"');
            for (index, piece) in bytes.split(|&b| b == b'"').enumerate() {
                if index > 0 {
                    out.extend_from_slice(b"\"\"");
                }
                out.extend_from_slice(piece);
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(bytes);
        }
    }
    out.push(b'\n');
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
    let mut text = String::new();
    fixed_into(&mut text, x);
    text
}

/// `fixed` into a reused buffer, for reports written row by row.
pub fn fixed_into(buffer: &mut String, x: f64) {
    use std::fmt::Write as _;
    buffer.clear();
    match crate::decimal::ten_thousandths(x) {
        Some(units) => {
            if x.is_sign_negative() {
                buffer.push('-');
            }
            let mut digits = itoa::Buffer::new();
            buffer.push_str(digits.format(units / 10_000));
            let fraction = digits.format(10_000 + units % 10_000);
            buffer.push('.');
            buffer.push_str(&fraction[1..]);
        }
        // Formatting into a String cannot fail.
        None => {
            let _ = write!(buffer, "{x:.4}");
        }
    }
}

/// What a spreadsheet would take for the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Neutralises text a spreadsheet would evaluate as a formula.
pub fn cell(text: &str) -> String {
    safe_cell(text).into_owned()
}

/// `cell` without a copy for the text that needs no change, which is nearly all.
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
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

#[derive(Serialize, Default)]
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

const CLAIM_HEADER: [&str; 18] = [
    "claim_id",
    "fact_id",
    "story_id",
    "value_group",
    "outlet",
    "article",
    "sentence",
    "score",
    "supporting_outlets",
    "contradicting_outlets",
    "independent_support",
    "voice",
    "entities",
    "hedge",
    "attribution",
    "polarity",
    "values",
    "weight",
];

/// A worker's buffers for the cells of claims.csv that are formatted, not borrowed.
#[derive(Default)]
struct ClaimCells {
    score: String,
    weight: String,
    supporting: String,
    contradicting: String,
    entities: String,
    values: String,
    value_group: itoa::Buffer,
    independent: itoa::Buffer,
}

#[derive(Serialize, Default)]
struct FactRow<'a> {
    fact_id: SpelledId,
    story_id: &'a str,
    claims: usize,
    outlets: usize,
    values: usize,
    independent_sources: usize,
    independent_against: usize,
    score: String,
    statement: String,
}

const EVIDENCE_HEADER: [&str; 4] = ["claim_id", "other_claim_id", "relation", "similarity"];

#[derive(Serialize, Default)]
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

#[derive(Serialize, Default)]
struct InputRow {
    path: String,
    status: &'static str,
    reason: String,
    articles: usize,
    claims: usize,
}

/// The smaller reports, built whole because they are sorted on their own cells.
struct ReportRows {
    outlets: Vec<OutletRow>,
    articles: Vec<ArticleRow>,
    inputs: Vec<InputRow>,
}

impl ReportRows {
    fn build(analysis: &Analysis, summaries: &[OutletSummary]) -> ReportRows {
        ReportRows {
            outlets: outlet_rows(analysis, summaries),
            articles: article_rows(analysis),
            inputs: input_rows(analysis),
        }
    }
}

/// Claims in report order: by article, then position in it; in 32 bits, as the
/// order is held through the writing of every report (44M claims at 1,000,000
/// articles). An article's claims are numbered in the order of their spans in its
/// text (extraction yields them so), so the claims themselves need not hold their
/// spans: that was 8 bytes a claim held through the whole run.
fn claim_order(analysis: &Analysis) -> Vec<u32> {
    // Articles ranked by key once, so the sort of every claim compares integers rather
    // than the long, shared-prefix keys of their articles. Keys are distinct.
    let articles = &analysis.articles;
    let mut by_key: Vec<usize> = (0..articles.len()).collect();
    by_key.par_sort_unstable_by(|&a, &b| articles[a].key.cmp(&articles[b].key).then(a.cmp(&b)));
    let mut rank = vec![0; articles.len()];
    for (place, &article) in by_key.iter().enumerate() {
        rank[article] = place;
    }
    let claims = u32::try_from(analysis.claims.len()).expect("fewer than 2^32 claims");
    let mut order: Vec<u32> = (0..claims).collect();
    order.par_sort_unstable_by_key(|&i| (rank[analysis.claim_article[i as usize] as usize], i));
    order
}

/// Pushes claim `index`'s row of claims.csv onto `out`. `supports` is
/// `analysis.supports()`; the claim's prose is the `place`th of `block`.
fn push_claim(
    analysis: &Analysis,
    supports: &[SupportCount],
    index: usize,
    (block, place): (&ProseBlock, usize),
    cells: &mut ClaimCells,
    out: &mut Vec<u8>,
) {
    let agreement = &analysis.agreement;
    let claim = &analysis.claims[index];
    let support = analysis.support(index);
    let independent_support = supports[index].independent_support;
    let fact = agreement.fact_of(index);
    fixed_into(&mut cells.score, analysis.scores.claim[index]);
    fixed_into(&mut cells.weight, analysis.scores.claim_weight[index]);
    join_into(
        &mut cells.supporting,
        support.supporting_outlets.iter().copied(),
    );
    join_into(
        &mut cells.contradicting,
        support.contradicting_outlets.iter().copied(),
    );
    join_into(&mut cells.entities, block.entities(place));
    cells.values.clear();
    let values = block.value_kinds(place).zip(block.values(place));
    for (position, (kind, written)) in values.enumerate() {
        if position > 0 {
            cells.values.push_str("; ");
        }
        cells.values.push_str(kind.as_str());
        cells.values.push(':');
        cells.values.push_str(written);
    }
    push_record(
        out,
        &[
            &claim.id.spelled(),
            &agreement.facts.id(fact).spelled(),
            &agreement.stories.stories[agreement.facts.story(fact)].id,
            cells.value_group.format(agreement.value_of(index) + 1),
            &safe_cell(&analysis.outlets[analysis.claim_outlet(index)]),
            &safe_cell(&analysis.articles[analysis.claim_article[index] as usize].key),
            &safe_cell(block.text(place)),
            &cells.score,
            &safe_cell(&cells.supporting),
            &safe_cell(&cells.contradicting),
            cells.independent.format(independent_support),
            &safe_cell(&agreement.voices[agreement.voice_of(index)]),
            &safe_cell(&cells.entities),
            &safe_cell(block.hedge(place)),
            &safe_cell(
                claim
                    .attribution
                    .map_or("", |origin| analysis.origins.name(origin)),
            ),
            claim.polarity.as_str(),
            &safe_cell(&cells.values),
            &cells.weight,
        ],
    );
}

/// `names` joined by "; " into `buffer`, the separator of every multi-valued cell.
pub fn join_into<'n>(buffer: &mut String, names: impl Iterator<Item = &'n str>) {
    buffer.clear();
    for (position, name) in names.enumerate() {
        if position > 0 {
            buffer.push_str("; ");
        }
        buffer.push_str(name);
    }
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

/// Facts in report order, each with its count of outlets: most widely reported first,
/// the way a reader scans them, ids breaking ties. Rows are formatted only as facts.csv
/// is written, like claims.csv, and each fact's summary is made again for its row: a
/// run has about as many facts as claims, and every summary held through the report
/// stage was about 180 MB of a 100,000-article run's peak (resident memory before and
/// after building them).
fn fact_order(analysis: &Analysis) -> Vec<(u32, u32)> {
    let mut order: Vec<(u32, u32)> = (0..analysis.agreement.facts.len())
        .into_par_iter()
        .map(|index| (index as u32, analysis.fact_summary(index).outlets as u32))
        .collect();
    // Facts come sorted by id, so a stable sort on the outlet count alone keeps ties in
    // id order without comparing a string.
    order.par_sort_by_key(|&(_, outlets)| std::cmp::Reverse(outlets));
    order
}

fn fact_row<'a>(
    analysis: &'a Analysis,
    index: usize,
    summary: &FactSummary,
    statement: &str,
) -> FactRow<'a> {
    let agreement = &analysis.agreement;
    let facts = &agreement.facts;
    FactRow {
        fact_id: facts.id(index).spelled(),
        story_id: &agreement.stories.stories[facts.story(index)].id,
        claims: facts.claims(index).len(),
        outlets: summary.outlets,
        values: facts.value_count(index),
        independent_sources: summary.voices_for,
        independent_against: summary.voices_against,
        score: fixed(analysis.scores.fact[index]),
        statement: safe_cell(statement).into_owned(),
    }
}

/// Claims sorted a part at a time by `in_id_order` past this many: 256 MB of (id,
/// claim) pairs. All 44M claims of a 1,000,000-article run sorted at once were 0.7 GB
/// on top of the report stage, the run's peak.
const SORT_PART: usize = 1 << 24;

/// The claims `0..count` in the order of their ids (`id_of`), then of their numbers.
/// Sorted as (id, claim) pairs: a sort of claim numbers that looks each id up reads a
/// random claim at every comparison, and took 2.7 of the 5.0 seconds `EvidenceRows::new`
/// took on a 100,000-article run (two threads). Past `part` claims, the pairs are made
/// and sorted for one range of ids at a time (ids are hashes: `HashParts`), and each
/// part reads every id again.
fn in_id_order(count: usize, id_of: impl Fn(usize) -> ClaimId + Sync, part: usize) -> Vec<u32> {
    let claims = u32::try_from(count).expect("fewer than 2^32 claims");
    let parts = crate::HashParts::new(count, part);
    let mut order = Vec::with_capacity(count);
    let mut keyed: Vec<(ClaimId, u32)> = Vec::new();
    for current in 0..parts.count {
        keyed.clear();
        keyed.par_extend((0..claims).into_par_iter().filter_map(|claim| {
            let id = id_of(claim as usize);
            (parts.of(id.0) == current).then_some((id, claim))
        }));
        keyed.par_sort_unstable();
        order.extend(keyed.iter().map(|&(_, claim)| claim));
    }
    order
}

/// Rows of evidence.csv sorted at once, past which they are split into parts: 48 MB
/// of rows.
const EVIDENCE_PART_ROWS: usize = 1 << 22;

/// A row of evidence.csv: the place in id order of the claim it belongs to, that of
/// the other claim, and the edge's index, then the edge. Sorted on the first three,
/// as the file lists its rows; the edge's index breaks ties between two edges of one
/// pair of claims. The row carries its edge: the edges are on disk (`EvidenceEdges`),
/// and read once, in order, to place the rows.
type EvidenceRow = (u32, u32, u32, Evidence);

/// Bytes of an `EvidenceRow` in a part's temporary file.
const EVIDENCE_ROW_BYTES: usize = 12 + Evidence::BYTES;

/// The rows of evidence.csv: each evidence edge in both directions, so filtering on
/// claim_id alone shows all of a claim's evidence, sorted by the two claims' ids.
/// The rows go to temporary files, a part for each range of places (ids are hashes,
/// so the parts are about equal), and each part is read back and sorted only as the
/// file is written. Held as each claim's list of edges (8 bytes an edge, 8 a claim)
/// and built at once, they made the peak of a 100,000-article run: 288 MB on top of
/// the 808 MB the report stage held before them (two threads, measured).
struct EvidenceRows {
    /// Every claim, in the order of their ids. The ids themselves are read from the
    /// claims as rows are written: held here beside them, they were 8 bytes a claim.
    claims: Vec<u32>,
    /// Each part's rows, unsorted, and how many there are.
    parts: Vec<(fs::File, usize)>,
}

impl EvidenceRows {
    /// Parts of about `part_rows` rows. Fails only when the parts cannot be written.
    fn new(analysis: &Analysis, part_rows: usize) -> io::Result<EvidenceRows> {
        let claims = &analysis.claims;
        let evidence = &analysis.agreement.evidence;
        u32::try_from(evidence.len()).expect("fewer than 2^32 evidence edges");
        let by_id = in_id_order(claims.len(), |claim| claims[claim].id, SORT_PART);
        let mut place = vec![0u32; claims.len()];
        for (position, &claim) in by_id.iter().enumerate() {
            place[claim as usize] = position as u32;
        }
        let part_count = (2 * evidence.len()).div_ceil(part_rows.max(1)).max(1);
        let places_per_part = claims.len().div_ceil(part_count).max(1);
        let mut parts = (0..part_count)
            .map(|_| {
                Ok((
                    io::BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
                    0,
                ))
            })
            .collect::<io::Result<Vec<_>>>()?;
        evidence.for_each(|index, edge| {
            let (a, b) = edge.claims();
            let (a, b) = (place[a], place[b]);
            for (own, other) in [(a, b), (b, a)] {
                let (file, rows) = &mut parts[own as usize / places_per_part];
                let mut bytes = [0; EVIDENCE_ROW_BYTES];
                for (field, value) in bytes.chunks_exact_mut(4).zip([own, other, index as u32]) {
                    field.copy_from_slice(&value.to_le_bytes());
                }
                bytes[12..].copy_from_slice(&edge.to_bytes());
                file.write_all(&bytes)?;
                *rows += 1;
            }
            Ok(())
        })?;
        let parts = parts
            .into_iter()
            .map(|(file, rows)| Ok((file.into_inner().map_err(|e| e.into_error())?, rows)))
            .collect::<io::Result<_>>()?;
        Ok(EvidenceRows {
            claims: by_id,
            parts,
        })
    }

    /// The `rows` rows in `file`, sorted.
    fn sorted_part(file: &fs::File, rows: usize) -> io::Result<Vec<EvidenceRow>> {
        let mut part = Vec::with_capacity(rows);
        let mut buffer = vec![0; EVIDENCE_ROW_BYTES << 16];
        let mut offset = 0;
        while part.len() < rows {
            let chunk = &mut buffer[..EVIDENCE_ROW_BYTES * (rows - part.len()).min(1 << 16)];
            crate::claims::spill::read_exact_at(file, chunk, offset)?;
            offset += chunk.len() as u64;
            for row in chunk.chunks_exact(EVIDENCE_ROW_BYTES) {
                let field =
                    |k: usize| u32::from_le_bytes(row[4 * k..4 * k + 4].try_into().unwrap());
                part.push((
                    field(0),
                    field(1),
                    field(2),
                    Evidence::from_bytes(&row[12..])?,
                ));
            }
        }
        part.par_sort_unstable_by_key(|&(own, other, edge, _)| (own, other, edge));
        Ok(part)
    }

    /// evidence.csv, a part at a time, each a block of rows at a time. A block first
    /// reads each row's claim ids, similarity and relation in one loop that does
    /// nothing else, then formats: both reads are cache misses (rows go in order of the
    /// first claim's id only), and made row by row beside the formatting they took a
    /// tenth of a 100,000-article run's CPU samples; gathered first, the misses overlap.
    fn staged<'a>(&'a self, analysis: &'a Analysis, bom: bool) -> StagedFile<'a> {
        let claims = &analysis.claims;
        let id = move |place: u32| claims[self.claims[place as usize] as usize].id;
        staged_file("evidence.csv", bom, move |file| {
            for (index, (part, rows)) in self.parts.iter().enumerate() {
                let part = Self::sorted_part(part, *rows)?;
                write_blocks(file, part.len(), |block| {
                    let header = index == 0 && block.start == 0;
                    let gathered: Vec<(ClaimId, ClaimId, f64, Relation)> = part[block]
                        .iter()
                        .map(|(own, other, _, edge)| {
                            (id(*own), id(*other), edge.similarity(), edge.relation)
                        })
                        .collect();
                    let mut out = Vec::new();
                    if header {
                        push_record(&mut out, &EVIDENCE_HEADER);
                    }
                    let mut similarity = String::new();
                    for &(own, other, score, relation) in &gathered {
                        fixed_into(&mut similarity, score);
                        push_record(
                            &mut out,
                            &[
                                &own.spelled(),
                                &other.spelled(),
                                relation.as_str(),
                                &similarity,
                            ],
                        );
                    }
                    Ok(out)
                })?;
            }
            Ok(())
        })
    }
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
    fn evidence_rows_written_a_part_at_a_time_are_every_edge_twice_in_id_order() {
        let analysis = crate::generated_analysis();
        let dir = tempfile::tempdir().unwrap();
        let written = |part_rows: usize| {
            let rows = EvidenceRows::new(&analysis, part_rows).unwrap();
            let path = dir.path().join(format!("{part_rows}.csv"));
            (rows.staged(&analysis, false).1)(&path).unwrap();
            (rows.parts.len(), fs::read_to_string(path).unwrap())
        };
        let (one, whole) = written(usize::MAX);
        let (many, split) = written(97);
        assert_eq!(one, 1);
        assert!(many > 10, "{many} parts");
        assert_eq!(split, whole);

        let mut lines = whole.lines();
        assert_eq!(lines.next(), Some(EVIDENCE_HEADER.join(",").as_str()));
        let pairs: Vec<(&str, &str)> = lines
            .map(|line| {
                let mut fields = line.split(',');
                (fields.next().unwrap(), fields.next().unwrap())
            })
            .collect();
        let evidence = analysis.agreement.evidence.load().unwrap();
        assert!(evidence.len() > 500, "{} edges", evidence.len());
        assert_eq!(pairs.len(), 2 * evidence.len());
        // Ids are spelled with a fixed number of digits, so they sort as numbers do.
        assert!(pairs.windows(2).all(|w| w[0] <= w[1]));
        let spelled = |claim: usize| analysis.claims[claim].id.spelled().to_string();
        let mut expected: Vec<(String, String)> = evidence
            .iter()
            .flat_map(|edge| {
                let (a, b) = edge.claims();
                [(spelled(a), spelled(b)), (spelled(b), spelled(a))]
            })
            .collect();
        expected.sort();
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|&(own, other)| (own.to_string(), other.to_string()))
            .collect();
        assert_eq!(pairs, expected);
    }

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
        #[derive(Serialize, Default)]
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
            (staged_csv("t.csv", &rows, bom).1)(&path).unwrap();
            let bytes = fs::read(&path).unwrap();
            assert_eq!(bytes.starts_with(UTF8_BOM), bom);
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.ends_with("name,score\n'=1+1,0.2500\n"), "{text:?}");
            let mut reader = csv::Reader::from_path(&path).unwrap();
            assert_eq!(reader.headers().unwrap(), vec!["name", "score"]);
        }
    }

    #[test]
    fn rows_formatted_in_parallel_blocks_are_the_csv_writers_bytes_in_order() {
        #[derive(Serialize, Default)]
        struct Row {
            index: usize,
            text: String,
        }
        let make = |index: usize| Row {
            index,
            text: format!("row \"{index}\", with a comma"),
        };
        let dir = tempfile::tempdir().unwrap();
        // Past two block boundaries, and the edge cases of none and exactly one block.
        for count in [0, 1, 8192, 2 * 8192 + 5] {
            let path = dir.path().join(format!("{count}.csv"));
            let file = staged_rows("t.csv", false, count, |_| Ok(()), |_, index, _| make(index));
            (file.1)(&path).unwrap();
            let mut expected = csv::Writer::from_writer(Vec::new());
            for index in 0..count {
                expected.serialize(make(index)).unwrap();
            }
            let mut expected = expected.into_inner().unwrap();
            if count == 0 {
                // The csv writer writes nothing; a report still names its columns.
                expected = b"index,text\n".to_vec();
            }
            assert!(fs::read(&path).unwrap() == expected, "{count} rows");
        }
    }

    /// `dir` with the files of one generation: `NAME` holds `NAME TAG`.
    fn generation(dir: &Path, names: &[&str], tag: &str) {
        for name in names {
            let path = dir.join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, format!("{name} {tag}")).unwrap();
        }
    }

    fn contents(dir: &Path, names: &[&str]) -> Vec<String> {
        names
            .iter()
            .map(|name| fs::read_to_string(dir.join(name)).unwrap())
            .collect()
    }

    const NAMES: [&str; 3] = ["outlets.csv", "claims.csv", "history/outlets.csv"];

    #[test]
    fn a_publication_killed_during_its_renames_is_finished_by_recover() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        generation(dir, &NAMES, "old");
        let staging = format!("{STAGING_PREFIX}killed");
        generation(&dir.join(&staging), &NAMES, "new");
        let journal = Journal {
            staging: staging.clone(),
            files: NAMES.iter().map(|n| n.to_string()).collect(),
        };
        journal.commit(dir).unwrap();
        // Killed after the first rename.
        fs::rename(dir.join(&staging).join(NAMES[0]), dir.join(NAMES[0])).unwrap();

        let recovery = recover(dir).unwrap();
        assert_eq!(recovery.completed, ["claims.csv", "history/outlets.csv"]);
        assert_eq!(recovery.abandoned, 0);
        assert_eq!(
            contents(dir, &NAMES),
            NAMES.map(|n| format!("{n} new")).to_vec()
        );
        assert!(!dir.join(JOURNAL).exists() && !dir.join(&staging).exists());
        assert_eq!(recover(dir).unwrap(), Recovery::default(), "idempotent");
    }

    #[test]
    fn staging_without_a_journal_is_discarded_and_the_old_files_stay() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        generation(dir, &NAMES, "old");
        generation(&dir.join(format!("{STAGING_PREFIX}a")), &NAMES[..1], "new");
        fs::write(dir.join(Journal::TEMPORARY), "credence publication 1\nstag").unwrap();
        let recovery = recover(dir).unwrap();
        assert_eq!(recovery.abandoned, 1);
        assert!(recovery.completed.is_empty());
        assert_eq!(
            contents(dir, &NAMES),
            NAMES.map(|n| format!("{n} old")).to_vec()
        );
        assert_eq!(names_in(dir), ["claims.csv", "history", "outlets.csv"]);
    }

    /// The names in `dir`, sorted.
    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_journal_naming_paths_outside_the_directory_is_refused() {
        for text in [
            "credence publication 1\nstaging .credence-staging-x\nfile ../../etc/passwd\n",
            "credence publication 1\nstaging /tmp\nfile a.csv\n",
            "something else\n",
        ] {
            assert_eq!(Journal::parse(text), None, "{text}");
        }
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(JOURNAL), "something else\n").unwrap();
        let err = format!("{:#}", recover(dir.path()).unwrap_err());
        assert!(
            err.contains("is not a credence publication journal"),
            "{err}"
        );
    }

    #[test]
    fn write_atomically_leaves_only_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<StagedFile> = NAMES
            .iter()
            .map(|name| -> StagedFile {
                (
                    name,
                    Box::new(move |path: &Path| write_file(path, name.as_bytes())),
                )
            })
            .collect();
        write_atomically(dir.path(), &files).unwrap();
        assert_eq!(
            contents(dir.path(), &NAMES),
            NAMES.map(String::from).to_vec()
        );
        assert_eq!(
            names_in(dir.path()),
            ["claims.csv", "history", "outlets.csv"]
        );
    }

    #[test]
    fn fixed_rounds_exactly_as_the_standard_formatter() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut cases: Vec<f64> = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            0.25,
            0.03125,
            0.09375,
            0.00005,
            -0.00001,
            0.99995,
            0.99996,
            1e-300,
            5e-324,
            123_456.789_05,
            99_999_999_999_999.9,
            1e14,
            -2.5e15,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // Exact ties at the fourth decimal: odd multiples of 2⁻ᵏ for small k.
        for k in 1..=12 {
            for m in (1..200).step_by(2) {
                cases.push(f64::from(m) / f64::from(1 << k));
            }
        }
        for _ in 0..200_000 {
            let raw = next();
            cases.push(f64::from_bits(raw));
            cases.push((raw >> 11) as f64 / (1u64 << 53) as f64);
            cases.push(((raw >> 11) % 200_000_000) as f64 / 1e4 - 10_000.0);
        }
        for x in cases {
            assert_eq!(fixed(x), format!("{x:.4}"), "{x:e} {:#x}", x.to_bits());
        }
    }

    #[test]
    fn claims_sorted_by_id_a_part_at_a_time_keep_one_order() {
        // Hash-like ids, with repeats (equal ids fall back on claim numbers) and ids at
        // both ends of the range, where the parts' boundaries are.
        let mut state = 11u64;
        let mut ids: Vec<ClaimId> = (0..5000)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ClaimId::new(state)
            })
            .collect();
        ids[17] = ids[4000];
        ids[18] = ClaimId::new(0);
        ids[19] = ClaimId::new(u64::MAX);
        let id_of = |claim: usize| ids[claim];
        let mut expected: Vec<u32> = (0..5000).collect();
        expected.sort_by_key(|&claim| (ids[claim as usize], claim));
        for part in [3, 7, 100, 1250, 5000, usize::MAX] {
            assert_eq!(in_id_order(5000, id_of, part), expected, "part of {part}");
        }
        assert!(in_id_order(0, id_of, 1).is_empty());
    }

    #[test]
    fn push_record_quotes_as_the_csv_writer_does() {
        let records: [&[&str]; 6] = [
            &["plain", "", "with space", "tab\there"],
            &[
                "a,b",
                "say \"hi\"",
                "two\nlines",
                "cr\rhere",
                "'=1+1",
                "ünïcode, too",
            ],
            &[""],
            &["", ""],
            &["\""],
            &["x"],
        ];
        let mut ours = Vec::new();
        let mut theirs = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for record in records {
            push_record(&mut ours, record);
            theirs.write_record(record).unwrap();
        }
        let theirs = theirs.into_inner().unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
    }

    #[test]
    fn numbers_have_fixed_precision() {
        assert_eq!(fixed(0.5), "0.5000");
        assert_eq!(fixed(1.0 / 3.0), "0.3333");
    }
}
