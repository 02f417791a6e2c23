//! Command-line interface: argument types and the dispatch behind `main`.
//!
//! Exit codes follow ripgrep: 0 success, 1 success with skipped inputs, 2 failure (bad
//! arguments or config, unreadable input path, unwritable output, an output directory
//! another run is writing to).
//!
//! Every command that writes into `--out` holds its lock (`lock::DirLock`) throughout
//! and first finishes whatever a killed run left half done (`report::recover`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand};

use chrono::NaiveDate;

use crate::cache::ExtractionCache;
use crate::config::{Config, DEFAULT_TOML};
use crate::ingest::Window;
use crate::lock::DirLock;
use crate::progress::Progress;
use crate::report::{ReportOptions, HISTORY_FILE};

#[derive(Debug, Parser)]
#[command(
    name = "credence",
    version,
    about = "Rates news claims and outlets by independent corroboration"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse articles and write CSV reports (and an HTML one with --html).
    Run(RunArgs),
    /// Score structured observations (source, object, attribute, value) from a CSV/TSV.
    Score(ScoreArgs),
    /// Explain why a claim or an outlet got its score, from a run's reports.
    Explain(ExplainArgs),
    /// Print an outlet's rows of history/outlets.csv: its score in every run.
    History(HistoryArgs),
    /// Stance of articles towards claims: agree, disagree, discuss or unrelated.
    Stance(StanceArgs),
    /// Print or validate configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Write a deterministic synthetic corpus with planted truth (benchmarks, evaluation).
    Gen(GenArgs),
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Files or directories of articles (.txt, .jsonl), walked recursively.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Also write report.html: ranking, top facts, score history, run summary.
    #[arg(long)]
    pub html: bool,
    /// Cache of per-article extractions, reused by the next run [default: OUT/cache].
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Neither read nor write the cache.
    #[arg(long, conflicts_with = "cache")]
    pub no_cache: bool,
    /// Score only articles published on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<NaiveDate>,
    /// Score only articles published on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<NaiveDate>,
    /// The date this run's rows get in history/outlets.csv [default: today, UTC].
    #[arg(long, value_name = "DATE")]
    pub run_date: Option<NaiveDate>,
    /// Print seconds per stage on stderr (also with --quiet), for benchmarks.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, clap::Args)]
pub struct GenArgs {
    /// Articles to write.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub articles: u64,
    /// Outlets publishing them.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    pub outlets: u64,
    /// Seed; the same seed and counts give the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Directory for articles/, truth/ and generated.txt; an earlier generated corpus
    /// there is replaced, anything else is refused.
    #[arg(long)]
    pub out: PathBuf,
    /// Keep the corpus already in --out when this version of the generator wrote it
    /// with the same articles, outlets and seed.
    #[arg(long)]
    pub reuse: bool,
    /// Worker threads; all cores when absent.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// No summary.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// An outlet name (any case).
    pub outlet: String,
    /// Directory holding the runs' reports.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A claim id from claims.csv, or an outlet name (any case).
    pub target: String,
    /// Directory holding the run's reports.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// Config the run used, for the weights the reports do not record; the built-in
    /// defaults when absent.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct StanceArgs {
    /// CSV with a header holding `claim` (one sentence) and `text` (the article); other
    /// columns are passed through.
    pub pairs: PathBuf,
    /// Write the CSV here (atomically) instead of to standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub setup: Setup,
    /// No summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Append the model's input features instead of the stance (for training it).
    #[arg(long, hide = true)]
    pub features: bool,
}

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// CSV or TSV with a header holding source, object, value and optionally attribute.
    #[arg(long)]
    pub facts: PathBuf,
    /// Field separator; by default tab for .tsv/.tab/.txt and comma for .csv.
    #[arg(long)]
    pub delimiter: Option<char>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options every command that writes reports takes.
#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    /// Directory the reports are written to.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    #[command(flatten)]
    pub setup: Setup,
    /// No progress bars and no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Start every CSV with a UTF-8 byte-order mark, for Excel (config: report.excel).
    #[arg(long)]
    pub excel: bool,
}

/// The config and the worker pool of every command that analyses text or facts.
#[derive(Debug, clap::Args)]
pub struct Setup {
    /// Config file (TOML); the built-in defaults when absent.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Worker threads; all cores when absent.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

impl Setup {
    /// The config, and a worker pool of the requested size.
    fn prepare(&self) -> anyhow::Result<(Config, rayon::ThreadPool)> {
        let config = load_config(self.config.as_deref())?;
        Ok((config, worker_pool(self.threads)?))
    }
}

impl CommonArgs {
    fn excel(&self, config: &Config) -> bool {
        self.excel || config.report.excel
    }
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the default configuration.
    Default,
    /// Validate a configuration file and its lexicons.
    Check { file: PathBuf },
}

/// Runs a parsed command; returns the exit code for success (0, or 1 when inputs
/// were skipped). Errors are for `main` to print and exit 2.
pub fn execute(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Run(args) => run(&args),
        Command::Score(args) => score(&args),
        Command::Stance(args) => stance(&args),
        Command::Explain(args) => {
            let config = load_config(args.config.as_deref())?;
            let config_name = match &args.config {
                Some(path) => path.display().to_string(),
                None => "the built-in config".to_string(),
            };
            settle(&args.out)?;
            let reports = crate::explain::Reports::load(&args.out)?;
            print_stdout(&reports.explain(&args.target, &config, &config_name)?)?;
            Ok(0)
        }
        Command::Gen(args) => generate(&args),
        Command::History(args) => {
            settle(&args.out)?;
            let rows = crate::history::outlet_rows(&args.out.join(HISTORY_FILE), &args.outlet)?;
            print_stdout(&rows)?;
            Ok(0)
        }
        Command::Config(ConfigCommand::Default) => {
            print_stdout(DEFAULT_TOML)?;
            Ok(0)
        }
        Command::Config(ConfigCommand::Check { file }) => {
            let config = Config::load(&file)?;
            config.stance_model()?;
            print_stdout(&format!(
                "{}: ok (config hash {:016x})\n",
                file.display(),
                config.hash
            ))?;
            Ok(0)
        }
    }
}

/// A worker pool of `threads` threads, all cores when absent.
fn worker_pool(threads: Option<u16>) -> anyhow::Result<rayon::ThreadPool> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = threads {
        pool = pool.num_threads(usize::from(threads));
    }
    pool.build().context("cannot start worker threads")
}

fn load_config(path: Option<&Path>) -> anyhow::Result<Config> {
    Ok(match path {
        Some(path) => Config::load(path)?,
        None => Config::builtin(),
    })
}

/// Takes the lock of `out` and finishes what a killed run left there, saying so.
fn lock_out(out: &Path) -> anyhow::Result<DirLock> {
    let lock = DirLock::acquire(out)?;
    if let Some(holder) = lock.stale_holder() {
        eprintln!(
            "credence: warning: cleared a stale lock in {} left by a run that did not finish ({holder})",
            out.display()
        );
    }
    let recovery = crate::report::recover(out)?;
    if !recovery.completed.is_empty() {
        eprintln!(
            "credence: warning: finished publishing {} reports into {} that a killed run had committed",
            recovery.completed.len(),
            out.display()
        );
    }
    Ok(lock)
}

/// Before reading the reports in `out`: finishes a publication a killed run left
/// half done, so a reader never sees two runs' reports mixed.
fn settle(out: &Path) -> anyhow::Result<()> {
    if out.join(crate::report::JOURNAL).exists() {
        lock_out(out)?;
    }
    Ok(())
}

/// Today in UTC, the default run date.
fn today() -> NaiveDate {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive()
}

fn run(args: &RunArgs) -> anyhow::Result<i32> {
    let started = Instant::now();
    let common = &args.common;
    let (config, pool) = common.setup.prepare()?;
    let window = Window {
        since: args.since,
        until: args.until,
    };
    if let (Some(since), Some(until)) = (args.since, args.until) {
        anyhow::ensure!(
            since <= until,
            "--since {since} is after --until {until}: no article can be in that window"
        );
    }
    crate::ingest::check_roots(&args.paths)?;
    let _lock = lock_out(&common.out)?;
    let cache_dir = args
        .cache
        .clone()
        .unwrap_or_else(|| common.out.join("cache"));
    // The cache has a lock of its own even inside --out: another run may name it with
    // --cache while writing elsewhere, and each pack must have one writer.
    let _cache_lock = if args.no_cache {
        None
    } else {
        Some(DirLock::acquire(&cache_dir)?)
    };
    let cache = if args.no_cache {
        None
    } else {
        Some(ExtractionCache::open(&cache_dir, &config)?)
    };
    let progress = Progress::new(!common.quiet);
    let analysis =
        pool.install(|| crate::analyze(&args.paths, &window, cache.as_ref(), &config, &progress))?;
    let options = ReportOptions {
        excel: common.excel(&config),
        html: args.html,
        run_date: Some(args.run_date.unwrap_or_else(today)),
    };
    let reports_started = Instant::now();
    let published =
        pool.install(|| crate::report::write_reports(&common.out, &analysis, &options))?;
    if args.timings {
        let stages = analysis
            .timings
            .iter()
            .copied()
            .chain([("report", reports_started.elapsed().as_secs_f64())])
            .map(|(stage, seconds)| format!("{stage} {seconds:.3}"))
            .collect::<Vec<_>>()
            .join(", ");
        eprintln!(
            "credence: seconds: {stages}, total {:.3}",
            started.elapsed().as_secs_f64()
        );
    }
    for warning in &published.warnings {
        eprintln!("credence: warning: {warning}");
    }
    let mut cache_note = String::new();
    if let Some(cache) = &cache {
        let stats = cache.stats();
        if let Some(error) = cache.first_write_error() {
            // No entry is lost when only a pack's index failed: the next run reads
            // the pack record by record.
            eprintln!(
                "credence: warning: the cache was not fully written ({} entries lost): {error}",
                stats.write_errors
            );
        }
        if let Err(error) = cache.prune() {
            eprintln!("credence: warning: {error:#}");
        }
        cache_note = format!(
            " ({} articles extracted, {} reused from the cache)",
            stats.misses, stats.hits
        );
    }
    let skipped = analysis.skipped_inputs();
    if !common.quiet {
        let excluded = match analysis.excluded_articles {
            0 => String::new(),
            n => format!(" ({n} more outside {window})"),
        };
        eprintln!(
            "credence: {} articles{excluded}, {} claims, {} facts, {} outlets, {} skipped inputs{cache_note} in {:.2} s; reports in {}",
            analysis.articles.len(),
            analysis.claims.len(),
            analysis.agreement.facts.len(),
            analysis.outlets.len(),
            skipped,
            started.elapsed().as_secs_f64(),
            common.out.display()
        );
    }
    // The process ends with this command: freeing every claim, term and evidence edge
    // one by one took a twentieth of a large run, for memory the exit returns anyway.
    std::mem::forget(analysis);
    Ok(if skipped > 0 { 1 } else { 0 })
}

fn generate(args: &GenArgs) -> anyhow::Result<i32> {
    let started = Instant::now();
    let pool = worker_pool(args.threads)?;
    let params = crate::gen::Params {
        articles: usize::try_from(args.articles).context("--articles is too large")?,
        outlets: usize::try_from(args.outlets).context("--outlets is too large")?,
        seed: args.seed,
    };
    let reused = args
        .reuse
        .then(|| crate::gen::existing(params, &args.out))
        .flatten();
    let verb = if reused.is_some() {
        "reused"
    } else {
        "generated"
    };
    let summary = match reused {
        Some(summary) => summary,
        None => pool.install(|| crate::gen::write_corpus(params, &args.out))?,
    };
    if !args.quiet {
        eprintln!(
            "credence: {verb} {} articles ({} bytes) from {} outlets, {} planted facts in {:.2} s; run `credence run {}`, truth in {}",
            summary.articles,
            summary.bytes,
            summary.outlets,
            summary.facts,
            started.elapsed().as_secs_f64(),
            summary.articles_dir.display(),
            args.out.join("truth").display()
        );
    }
    Ok(0)
}

/// Skipped rows named one per line up to this many; the rest are counted.
const SKIPPED_ROWS_SHOWN: usize = 10;

fn report_skipped(path: &Path, skipped: &[crate::facts::SkippedRow]) {
    for row in skipped.iter().take(SKIPPED_ROWS_SHOWN) {
        eprintln!(
            "credence: skipped {}:{}: {}",
            path.display(),
            row.line,
            row.reason
        );
    }
    if skipped.len() > SKIPPED_ROWS_SHOWN {
        eprintln!(
            "credence: ... and {} more skipped rows",
            skipped.len() - SKIPPED_ROWS_SHOWN
        );
    }
}

fn stance(args: &StanceArgs) -> anyhow::Result<i32> {
    use crate::stance::{self, pairs};
    let started = Instant::now();
    let (config, pool) = args.setup.prepare()?;
    let input = pairs::read_pairs(&args.pairs)?;
    let texts: Vec<(&str, &str)> = input
        .rows
        .iter()
        .map(|row| (row.claim.as_str(), row.text.as_str()))
        .collect();
    let (header, added): (Vec<&str>, Vec<Vec<String>>) = if args.features {
        let features = pool.install(|| stance::features_batch(&texts, &config));
        let rows = features
            .iter()
            // Full precision: the trainer must see the numbers `classify` compares.
            .map(|f| f.iter().map(|x| x.to_string()).collect())
            .collect();
        (stance::FEATURE_NAMES.to_vec(), rows)
    } else {
        let model = config.stance_model()?;
        let stances = pool.install(|| stance::classify_batch(&texts, &config, &model));
        let rows = stances
            .iter()
            .map(|s| vec![s.as_str().to_string()])
            .collect();
        (vec!["stance"], rows)
    };
    match &args.out {
        None => {
            let mut buffer = Vec::new();
            pairs::write_pairs(&mut buffer, &input, &header, &added)?;
            print_stdout(&String::from_utf8(buffer).expect("CSV of UTF-8 fields is UTF-8"))?;
        }
        Some(out) => crate::report::replace_file(out, |file| {
            pairs::write_pairs(std::io::BufWriter::new(file), &input, &header, &added)
        })?,
    }
    report_skipped(&input.path, &input.skipped);
    if !args.quiet {
        eprintln!(
            "credence: {} pairs, {} skipped rows in {:.2} s",
            input.rows.len(),
            input.skipped.len(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if input.skipped.is_empty() { 0 } else { 1 })
}

fn score(args: &ScoreArgs) -> anyhow::Result<i32> {
    let started = Instant::now();
    let common = &args.common;
    let (config, pool) = common.setup.prepare()?;
    let delimiter = crate::facts::delimiter_for(&args.facts, args.delimiter)?;
    let input = pool.install(|| crate::facts::read_facts(&args.facts, delimiter, &config))?;
    let _lock = lock_out(&common.out)?;
    let scored = pool.install(|| {
        let scored = crate::facts::score_facts(&input, &config);
        crate::facts::write_fact_reports(&common.out, &scored, common.excel(&config))
            .map(|_| scored)
    })?;
    report_skipped(&input.path, &input.skipped);
    if !common.quiet {
        eprintln!(
            "credence: {} observations ({} without a value, {} skipped), {} items, {} sources, {} iterations{} in {:.2} s; reports in {}",
            input.rows.len(),
            input.missing_values,
            input.skipped.len(),
            scored.items.len(),
            scored.sources.len(),
            scored.iterations,
            if scored.converged { "" } else { " (not converged)" },
            started.elapsed().as_secs_f64(),
            common.out.display()
        );
    }
    Ok(if input.skipped.is_empty() { 0 } else { 1 })
}

/// Writes to stdout; a closed pipe (`credence config default | head`) is not an error.
fn print_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
