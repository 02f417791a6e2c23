//! Per-stage benchmarks over a synthetic corpus built in memory.
//!
//! The corpus is `credence gen`'s (`credence::gen`): 400 articles (about 1.6 MB) from
//! 20 outlets, with stories covered by several outlets, planted true and wrong values,
//! hedges, attributions, wire copies, filler and furniture. `credence gen --articles
//! 400 --outlets 20 --seed 1 --out DIR` writes the same texts to disk, to read them or
//! to run `credence run DIR/articles` on them.
//!
//! Run with `cargo bench --bench stages` (about a minute on two cores), or
//! `cargo bench --bench stages -- tokenize` for one stage. Throughput of the text
//! stages is in bytes of article text, so their MB/s compare with each other and with
//! `unicode_words_baseline`; `agreement` counts claims, `score_engine` observations
//! and `score_facts` (structured mode end to end: read, score, write) rows.
//!
//! `tokenize`, `unicode_words_baseline` and `extract_claims` run on one thread, one
//! article after another; `agreement` and `score_engine` use rayon's global pool as
//! the pipeline does.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{criterion_group, BatchSize, BenchmarkGroup, Criterion, SamplingMode, Throughput};

use credence::agreement;
use credence::claims::ClaimExtractor;
use credence::config::Config;
use credence::facts;
use credence::gen::{Generator, Params, Rng};
use credence::progress::Progress;
use credence::score::engine::{self, Implication, Observation, Problem};
use credence::tokenize::Tokenizer;
use credence::Extraction;

// ---------------------------------------------------------------------------------
// Corpus: `credence gen`'s, in memory
// ---------------------------------------------------------------------------------

const SEED: u64 = 1;
const ARTICLES: usize = 400;
const OUTLETS: usize = 20;

/// An article in memory: its key, outlet name and text.
struct Article {
    key: String,
    outlet: String,
    text: String,
}

fn build_corpus() -> Vec<Article> {
    let generator = Generator::new(Params {
        articles: ARTICLES,
        outlets: OUTLETS,
        seed: SEED,
    });
    (0..ARTICLES)
        .map(|index| {
            let article = generator.article(index);
            Article {
                key: article.key,
                outlet: generator.outlets()[article.outlet].name.clone(),
                text: article.text,
            }
        })
        .collect()
}

fn total_bytes(articles: &[Article]) -> u64 {
    articles.iter().map(|a| a.text.len() as u64).sum()
}

// ---------------------------------------------------------------------------------
// Claims and corpus exactly as `credence::analyze` builds them
// ---------------------------------------------------------------------------------

fn extract_all(config: &Config, articles: &[Article]) -> Extraction {
    let articles = articles
        .iter()
        .map(|a| credence::ingest::Article {
            key: a.key.clone(),
            outlet: a.outlet.clone(),
            title: None,
            url: None,
            published: None,
            text: a.text.clone(),
            input: 0,
        })
        .collect();
    credence::extract(articles, config, None, &Progress::hidden())
        .expect("a temporary file for claim texts")
}

// ---------------------------------------------------------------------------------
// Structured problem for the score engine
// ---------------------------------------------------------------------------------

const SOURCES: usize = 20_000;
const ITEMS: usize = 300_000;
const OBSERVATIONS: usize = 1_000_000;

/// The item and source of the `index`-th generated observation: the first `items`
/// cover every item once, the rest pick items at random; sources are skewed, a few
/// prolific ones and a long tail.
fn draw_observation(rng: &mut Rng, index: usize, items: usize, sources: usize) -> (usize, usize) {
    let item = if index < items {
        index
    } else {
        rng.below(items)
    };
    let u = rng.unit();
    let source = ((u * u) * sources as f64) as usize % sources;
    (item, source)
}

/// 1M observations: every item observed at least once, source activity skewed
/// (a few prolific sources, a long tail), each source right with its own accuracy
/// (value 0 is the truth), weights as hedges and attributions leave them.
fn build_problem() -> Problem {
    let mut rng = Rng::new(0x00c0_ffee_d15e_a5e5);
    let item_values: Vec<usize> = (0..ITEMS).map(|_| 1 + rng.below(3)).collect();
    let accuracy: Vec<f64> = (0..SOURCES).map(|_| 0.5 + 0.49 * rng.unit()).collect();
    let weights = [1.0, 1.0, 1.0, 0.8, 0.5, 0.4];
    let observations = (0..OBSERVATIONS)
        .map(|index| {
            let (item, source) = draw_observation(&mut rng, index, ITEMS, SOURCES);
            let values = item_values[item];
            let value = if values == 1 || rng.chance(accuracy[source]) {
                0
            } else {
                1 + rng.below(values - 1)
            };
            Observation::new(source, item, value, source, rng.pick(&weights))
        })
        .collect();
    // Neighbouring values of an item imply each other, as near-equal figures do.
    let implications = item_values
        .iter()
        .enumerate()
        .flat_map(|(item, &values)| {
            (1..values).flat_map(move |value| {
                [(value - 1, value), (value, value - 1)].map(|(from, to)| Implication {
                    item,
                    from,
                    to,
                    strength: 0.5,
                })
            })
        })
        .collect();
    Problem {
        sources: SOURCES,
        item_values,
        observations,
        implications,
    }
}

// ---------------------------------------------------------------------------------
// Structured mode: a facts file for `credence score --facts`
// ---------------------------------------------------------------------------------

const FACT_SOURCES: usize = 20_000;
const FACT_OBJECTS: usize = 100_000;
const FACT_YEARS: usize = 3;
const FACT_ROWS: usize = 1_000_000;

/// A TSV of 1M rows like Population's: 100,000 cities × 3 census years, every item
/// stated at least once, source activity skewed (a long tail of one-claim sources),
/// each source right with its own accuracy; wrong values are near misses (which the
/// true one implies) or far off, some written with thousands separators.
fn build_facts_tsv() -> String {
    use std::fmt::Write as _;
    let mut rng = Rng::new(0x5eed_f00d_cafe_0001);
    let items = FACT_OBJECTS * FACT_YEARS;
    let truth: Vec<u64> = (0..items).map(|_| rng.range(1_000, 5_000_000)).collect();
    let accuracy: Vec<f64> = (0..FACT_SOURCES).map(|_| 0.5 + 0.49 * rng.unit()).collect();
    let mut text = String::from("source\tobject\tattribute\tvalue\n");
    for index in 0..FACT_ROWS {
        let (item, source) = draw_observation(&mut rng, index, items, FACT_SOURCES);
        let true_value = truth[item];
        let value = if rng.chance(accuracy[source]) {
            true_value
        } else if rng.chance(0.5) {
            true_value + true_value / 200 + 1
        } else {
            true_value / 2 + rng.range(0, true_value)
        };
        let (object, year) = (item / FACT_YEARS, 2000 + 5 * (item % FACT_YEARS));
        let _ = write!(text, "source {source}\tcity {object}\tPopulation{year}\t");
        if value >= 1_000 && rng.chance(0.2) {
            let _ = writeln!(text, "{},{:03}", value / 1_000, value % 1_000);
        } else {
            let _ = writeln!(text, "{value}");
        }
    }
    text
}

// ---------------------------------------------------------------------------------
// Benchmarks
// ---------------------------------------------------------------------------------

fn group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(5));
    group
}

fn bench_tokenize(c: &mut Criterion) {
    let config = Config::builtin();
    let articles = build_corpus();
    let tokenizer = Tokenizer::new(&config);
    let mut group = group(c, "tokenize");
    group.throughput(Throughput::Bytes(total_bytes(&articles)));
    group.bench_function(format!("{ARTICLES}_articles"), |b| {
        b.iter(|| {
            for article in &articles {
                black_box(tokenizer.tokenize(black_box(&article.text)));
            }
        })
    });
    group.finish();
}

fn bench_unicode_words_baseline(c: &mut Criterion) {
    use unicode_segmentation::UnicodeSegmentation;
    let articles = build_corpus();
    let mut group = group(c, "unicode_words_baseline");
    group.throughput(Throughput::Bytes(total_bytes(&articles)));
    group.bench_function(format!("{ARTICLES}_articles"), |b| {
        b.iter(|| {
            let mut words = 0;
            for article in &articles {
                words += black_box(article.text.as_str()).unicode_words().count();
            }
            black_box(words)
        })
    });
    group.finish();
}

fn bench_extract_claims(c: &mut Criterion) {
    let config = Config::builtin();
    let articles = build_corpus();
    let extractor = ClaimExtractor::new(&config);
    let mut group = group(c, "extract_claims");
    // Over 100 ms an iteration: the same iteration count in every sample keeps the
    // run inside its measurement time.
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Bytes(total_bytes(&articles)));
    group.bench_function(format!("{ARTICLES}_articles"), |b| {
        b.iter(|| {
            for article in &articles {
                black_box(extractor.extract(
                    &article.key,
                    &article.outlet,
                    black_box(&article.text),
                ));
            }
        })
    });
    group.finish();
}

fn bench_agreement(c: &mut Criterion) {
    let config = Config::builtin();
    let articles = build_corpus();
    let mut extracted = extract_all(&config, &articles);
    let claims = extracted.claims.len();
    let (corpus, article_keys) = extracted.agreement_input();
    let once = agreement::analyze(
        &corpus,
        article_keys.clone(),
        &config.agreement,
        &config.stories,
    )
    .expect("the claims' wordings read back");
    eprintln!(
        "agreement: {} articles, {} stories, {} claims, {} facts, {} evidence pairs, {} copied article pairs",
        articles.len(),
        once.stories.stories.len(),
        claims,
        once.facts.len(),
        once.evidence.len(),
        once.copied_articles.len()
    );
    let mut group = group(c, "agreement");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(claims as u64));
    group.bench_function(format!("{ARTICLES}_articles"), |b| {
        b.iter_batched(
            || article_keys.clone(),
            |article_keys| {
                agreement::analyze(
                    black_box(&corpus),
                    article_keys,
                    &config.agreement,
                    &config.stories,
                )
                .expect("the claims' wordings read back")
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn bench_score_engine(c: &mut Criterion) {
    let config = Config::builtin();
    let problem = build_problem();
    let copying = config.facts.copying();
    let once = engine::solve(problem.clone(), &config.score, copying);
    eprintln!(
        "score_engine: {} sources, {} items, {} observations, {} iterations, converged {}",
        problem.sources,
        problem.item_values.len(),
        problem.observations.len(),
        once.iterations,
        once.converged
    );
    let mut group = group(c, "score_engine");
    group.throughput(Throughput::Elements(problem.observations.len() as u64));
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("1M_observations", |b| {
        // The solver takes its problem by value; the clone is setup, not timed.
        b.iter_batched(
            || problem.clone(),
            |problem| black_box(engine::solve(problem, &config.score, copying)),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// `credence score --facts` end to end in one process: reading the file, the
/// engine, and the three reports published atomically.
fn bench_score_facts(c: &mut Criterion) {
    let config = Config::builtin();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let facts = dir.path().join("facts.tsv");
    std::fs::write(&facts, build_facts_tsv()).expect("the facts file is written");
    let out = dir.path().join("out");
    let run = || {
        let input = facts::read_facts(&facts, b'\t', &config).expect("the facts file reads");
        let scored = facts::score_facts(&input, &config);
        facts::write_fact_reports(&out, &scored, false).expect("the reports are written");
        (input.rows.len(), scored.items.len(), scored.iterations)
    };
    let (rows, items, iterations) = run();
    eprintln!("score_facts: {rows} rows, {items} items, {iterations} iterations");
    let mut group = group(c, "score_facts");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(rows as u64));
    group.bench_function("1M_rows", |b| b.iter(|| black_box(run())));
    group.finish();
}

criterion_group!(
    benches,
    bench_tokenize,
    bench_unicode_words_baseline,
    bench_extract_claims,
    bench_agreement,
    bench_score_engine,
    bench_score_facts
);

criterion::criterion_main!(benches);
