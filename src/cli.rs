//! Command-line interface: argument types and the dispatch behind `main`.
//!
//! Exit codes follow ripgrep: 0 success, 1 success with skipped inputs, 2 failure (bad
//! arguments or config, unreadable input path, unwritable output).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::{Config, DEFAULT_TOML};
use crate::progress::Progress;
use crate::report::ReportOptions;

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
    /// Config file (TOML); the built-in defaults when absent.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Worker threads; all cores when absent.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// No progress bars and no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Start every CSV with a UTF-8 byte-order mark, for Excel (config: report.excel).
    #[arg(long)]
    pub excel: bool,
}

impl CommonArgs {
    /// The config, and a worker pool of the requested size.
    fn prepare(&self) -> anyhow::Result<(Config, rayon::ThreadPool)> {
        let config = load_config(self.config.as_deref())?;
        Ok((config, worker_pool(self.threads)?))
    }

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
        Command::Explain(args) => {
            let config = load_config(args.config.as_deref())?;
            let config_name = match &args.config {
                Some(path) => path.display().to_string(),
                None => "the built-in config".to_string(),
            };
            let reports = crate::explain::Reports::load(&args.out)?;
            print_stdout(&reports.explain(&args.target, &config, &config_name)?)?;
            Ok(0)
        }
        Command::Gen(args) => generate(&args),
        Command::Config(ConfigCommand::Default) => {
            print_stdout(DEFAULT_TOML)?;
            Ok(0)
        }
        Command::Config(ConfigCommand::Check { file }) => {
            let config = Config::load(&file)?;
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

fn run(args: &RunArgs) -> anyhow::Result<i32> {
    let started = Instant::now();
    let common = &args.common;
    let (config, pool) = common.prepare()?;
    let progress = Progress::new(!common.quiet);
    let analysis = pool.install(|| crate::analyze(&args.paths, &config, &progress))?;
    let options = ReportOptions {
        excel: common.excel(&config),
        html: args.html,
    };
    let reports_started = Instant::now();
    crate::report::write_reports(&common.out, &analysis, &options)?;
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
    let skipped = analysis.skipped_inputs();
    if !common.quiet {
        eprintln!(
            "credence: {} articles, {} claims, {} facts, {} outlets, {} skipped inputs in {:.2} s; reports in {}",
            analysis.articles.len(),
            analysis.claims.len(),
            analysis.agreement.facts.len(),
            analysis.outlets.len(),
            skipped,
            started.elapsed().as_secs_f64(),
            common.out.display()
        );
    }
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

fn score(args: &ScoreArgs) -> anyhow::Result<i32> {
    let started = Instant::now();
    let common = &args.common;
    let (config, pool) = common.prepare()?;
    let delimiter = crate::facts::delimiter_for(&args.facts, args.delimiter)?;
    let input = crate::facts::read_facts(&args.facts, delimiter, &config)?;
    let scored = pool.install(|| crate::facts::score_facts(&input, &config));
    crate::facts::write_fact_reports(&common.out, &scored, common.excel(&config))?;
    for row in input.skipped.iter().take(SKIPPED_ROWS_SHOWN) {
        eprintln!(
            "credence: skipped {}:{}: {}",
            input.path.display(),
            row.line,
            row.reason
        );
    }
    if input.skipped.len() > SKIPPED_ROWS_SHOWN {
        eprintln!(
            "credence: ... and {} more skipped rows",
            input.skipped.len() - SKIPPED_ROWS_SHOWN
        );
    }
    if !common.quiet {
        eprintln!(
            "credence: {} observations ({} without a value, {} skipped), {} items, {} sources, {} iterations{} in {:.2} s; reports in {}",
            input.records.len(),
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
