//! credence rates news claims and outlets by how well independent reports corroborate
//! them.
//!
//! The pipeline runs four stages over a set of articles, each a module with a narrow
//! typed interface; types flow forward only:
//!
//! ```text
//! ingest ─▶ tokenize ─▶ claims ─▶ agreement ─▶ score ─▶ report
//! (Article)  (Doc)      (Claim)   (Fact, Voice) (Scores)  (CSV, HTML)
//! ```
//!
//! `explain` reads the CSV reports back, so it works on a past run's output.
//!
//! Tokenizing and claim extraction are per article and run in parallel; agreement and
//! scoring work on the whole set of claims and never depend on arrival order, so the
//! reports are byte-identical whatever the thread count.

pub mod agreement;
pub mod cache;
pub mod chunked;
pub mod claims;
pub mod cli;
pub mod config;
pub mod decimal;
pub mod explain;
pub mod facts;
pub mod gen;
pub mod history;
pub mod html;
pub mod id;
pub mod ingest;
pub mod lock;
pub mod progress;
pub mod report;
pub mod score;
pub mod stance;
pub mod tokenize;

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use agreement::{Agreement, ArticleKeys, Corpus};
use cache::{CacheStats, ExtractionCache};
use chunked::Chunked;
use claims::spill::{ClaimProse, Shingles, Span, Spill, Spilled};
use claims::StoryKeys;
use claims::{ArticleClaims, Claim, ClaimExtractor, Claims, Origins, Prose, Wordings};
use config::Config;
use indicatif::ProgressBar;
use ingest::{Article, InputRecord, Window};
use progress::Progress;
use score::{Scores, Trust};

/// An article after extraction; its text is no longer held.
#[derive(Debug, Clone)]
pub struct ArticleInfo {
    pub key: String,
    pub outlet: usize,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub input: usize,
    pub claims: usize,
    pub dropped_furniture: usize,
    pub dropped_uncheckable: usize,
    pub overlong_clauses: usize,
}

/// Everything a run found, ready for the reports.
#[derive(Debug)]
pub struct Analysis {
    pub inputs: Vec<InputRecord>,
    pub articles: Vec<ArticleInfo>,
    /// Outlet names, sorted; indices everywhere else point here.
    pub outlets: Vec<String>,
    pub claims: Claims,
    /// The origins the claims are attributed to.
    pub origins: Origins,
    /// Each claim's text, hedge, names and values as written, kept on disk until the
    /// reports print them.
    pub prose: ClaimProse,
    /// Each claim's article, in 32 bits: it is held from extraction to the reports.
    pub claim_article: Vec<u32>,
    pub agreement: Agreement,
    pub scores: Scores,
    pub corroborated_threshold: f64,
    /// Coverage of the outlet score interval (`score.interval`).
    pub interval: f64,
    pub config_hash: u64,
    /// Wall-clock seconds per stage, in pipeline order, for `credence run --timings`.
    pub timings: Vec<(&'static str, f64)>,
    /// Articles left out as published outside the `--since`/`--until` window.
    pub excluded_articles: usize,
    /// What the extraction cache gave, when there was one. Not in any report: a warm
    /// run's reports are byte-identical to a cold one's.
    pub cache: Option<CacheStats>,
}

/// The outlets that stand with and against one claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Support<'a> {
    /// Other outlets stating the same value of the same fact.
    pub supporting_outlets: BTreeSet<&'a str>,
    /// Other outlets stating a competing value.
    pub contradicting_outlets: BTreeSet<&'a str>,
}

/// What every report needs of every claim at once; claims.csv makes the outlet names
/// (`Support`) row by row. Two sets of names held for every claim through the report
/// stage were about 150 MB of a 100,000-article run (sampled resident memory). Eight
/// bytes, as the count of voices is a count of claims, which are numbered in 32 bits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SupportCount {
    /// Voices among the other outlets' claims of the same value, the claim's own voice
    /// aside: copies of one text and reports citing one origin count once.
    pub independent_support: u32,
    /// Another outlet states a competing value.
    pub contradicted: bool,
}

/// Where a claim stands once scored; the `corroborated` and `contradicted` counts of
/// outlets.csv tally the first two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    /// An independent voice supports it and its confidence reached the threshold.
    Corroborated,
    /// Another outlet states a competing value and its confidence fell below the
    /// threshold.
    Contradicted,
    /// Other voices speak to its fact, but neither of the above holds.
    Unresolved,
    /// No other voice speaks to its fact: nothing to check it against.
    Uncheckable,
}

impl Standing {
    /// `others_speak`: some claim of the same fact has a different voice.
    pub fn of(
        independent_support: u32,
        contradicted: bool,
        others_speak: bool,
        score: f64,
        threshold: f64,
    ) -> Standing {
        if independent_support > 0 && score >= threshold {
            Standing::Corroborated
        } else if contradicted && score < threshold {
            Standing::Contradicted
        } else if others_speak {
            Standing::Unresolved
        } else {
            Standing::Uncheckable
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Corroborated => "corroborated",
            Standing::Contradicted => "contradicted",
            Standing::Unresolved => "unresolved",
            Standing::Uncheckable => "uncheckable",
        }
    }
}

/// One outlet's line in the ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletSummary {
    pub outlet: usize,
    pub articles: usize,
    pub claims: usize,
    pub corroborated: usize,
    pub contradicted: usize,
    pub trust: Trust,
}

/// Who stands behind a fact's leading value and who against it.
#[derive(Debug, Clone, PartialEq)]
pub struct FactSummary {
    /// Index of the leading value in the fact's `values`.
    pub leading: usize,
    /// Distinct voices stating the leading value.
    pub voices_for: usize,
    /// Distinct voices stating only competing values.
    pub voices_against: usize,
    pub outlets: usize,
}

impl Analysis {
    pub fn claim_outlet(&self, claim: usize) -> usize {
        self.articles[self.claim_article[claim] as usize].outlet
    }

    pub fn support(&self, claim: usize) -> Support<'_> {
        let mut support = Support {
            supporting_outlets: BTreeSet::new(),
            contradicting_outlets: BTreeSet::new(),
        };
        for (other, agrees) in self.other_outlets_claims(claim) {
            let name = self.outlets[self.claim_outlet(other)].as_str();
            if agrees {
                support.supporting_outlets.insert(name);
            } else {
                support.contradicting_outlets.insert(name);
            }
        }
        support
    }

    /// Every claim's support counts, by claim index. Counted fact by fact: asked claim
    /// by claim, each claim read its whole fact, quadratic in a fact's size (4.5% of
    /// a 100,000-article run's CPU samples). The facts are counted in parallel a
    /// stretch at a time, each stretch's counts placed before the next is counted:
    /// gathered for every fact at once, the counts were held twice, and at 100,000
    /// articles that was the run's peak.
    pub fn supports(&self) -> Vec<SupportCount> {
        const STRETCH: usize = 1 << 16;
        let facts = self.agreement.facts.len();
        let mut supports = vec![SupportCount::default(); self.claims.len()];
        for first in (0..facts).step_by(STRETCH) {
            let counted: Vec<(u32, SupportCount)> = (first..facts.min(first + STRETCH))
                .into_par_iter()
                .flat_map_iter(|fact| self.fact_supports(fact))
                .collect();
            for (claim, support) in counted {
                supports[claim as usize] = support;
            }
        }
        supports
    }

    /// The support counts of `fact`'s claims. A claim is contradicted when an outlet
    /// other than its own states a competing value; its independent support is the
    /// voices of its value group, its own aside, heard from an outlet other than its
    /// own.
    fn fact_supports(&self, fact: usize) -> Vec<(u32, SupportCount)> {
        let facts = &self.agreement.facts;
        let outlet = |claim: u32| self.claim_outlet(claim as usize);
        let voice = |claim: u32| self.agreement.voice_of(claim as usize);
        if let [claim] = facts.claims(fact) {
            return vec![(*claim, SupportCount::default())];
        }
        // Each outlet of the fact, with the one value group it states or None when it
        // states several; then how many outlets state each group alone.
        let mut outlet_groups: Vec<(usize, usize)> = facts
            .values(fact)
            .enumerate()
            .flat_map(|(group, claims)| claims.iter().map(move |&c| (outlet(c), group)))
            .collect();
        let outlet_only_group = single_partners(&mut outlet_groups);
        let mut confined = vec![0; facts.value_count(fact)];
        for &(_, only) in &outlet_only_group {
            if let Some(group) = only {
                confined[group] += 1;
            }
        }

        let mut supports = Vec::with_capacity(facts.claims(fact).len());
        let mut voice_outlets = Vec::new();
        for (group, claims) in facts.values(fact).enumerate() {
            // Outlets stating some other group.
            let outside = outlet_only_group.len() - confined[group];
            // Each voice of the group with the one outlet it is heard from, or None.
            voice_outlets.clear();
            voice_outlets.extend(claims.iter().map(|&c| (voice(c), outlet(c))));
            let voice_only_outlet = single_partners(&mut voice_outlets);
            let mut one_outlet_voices: Vec<usize> = voice_only_outlet
                .iter()
                .filter_map(|&(_, only)| only)
                .collect();
            one_outlet_voices.sort_unstable();
            for &claim in claims {
                let own_outlet = outlet(claim);
                // The outlets outside the group are others than the claim's own unless
                // there is just one and it is the claim's, stating this group too.
                let contradicted = outside > 1
                    || (outside == 1 && lookup(&outlet_only_group, own_outlet) == Some(group));
                // Other voices heard only from the claim's own outlet do not count.
                let own_voice_confined =
                    lookup(&voice_only_outlet, voice(claim)) == Some(own_outlet);
                let confined_voices = one_outlet_voices.partition_point(|&o| o <= own_outlet)
                    - one_outlet_voices.partition_point(|&o| o < own_outlet)
                    - usize::from(own_voice_confined);
                supports.push((
                    claim,
                    SupportCount {
                        independent_support: (voice_only_outlet.len() - 1 - confined_voices) as u32,
                        contradicted,
                    },
                ));
            }
        }
        supports
    }

    /// The claims of `claim`'s fact from other outlets, each with whether it states
    /// the same value.
    fn other_outlets_claims(&self, claim: usize) -> impl Iterator<Item = (usize, bool)> + '_ {
        let agreement = &self.agreement;
        let (own_outlet, own_value) = (self.claim_outlet(claim), agreement.value_of(claim));
        agreement
            .facts
            .values(agreement.fact_of(claim))
            .enumerate()
            .flat_map(move |(value, group)| {
                group
                    .iter()
                    .map(move |&other| (other as usize, value == own_value))
            })
            .filter(move |&(other, _)| self.claim_outlet(other) != own_outlet)
    }

    pub fn standing(&self, claim: usize, support: SupportCount) -> Standing {
        let agreement = &self.agreement;
        let own_voice = agreement.voice_of(claim);
        let others_speak = agreement
            .facts
            .claims(agreement.fact_of(claim))
            .iter()
            .any(|&c| agreement.voice_of(c as usize) != own_voice);
        Standing::of(
            support.independent_support,
            support.contradicted,
            others_speak,
            self.scores.claim[claim],
            self.corroborated_threshold,
        )
    }

    /// Every outlet, highest score first, then by name. `supports` is `self.supports()`.
    pub fn outlet_summaries(&self, supports: &[SupportCount]) -> Vec<OutletSummary> {
        let mut summaries: Vec<OutletSummary> = self
            .scores
            .outlet
            .iter()
            .enumerate()
            .map(|(outlet, &trust)| OutletSummary {
                outlet,
                articles: 0,
                claims: 0,
                corroborated: 0,
                contradicted: 0,
                trust,
            })
            .collect();
        for article in &self.articles {
            summaries[article.outlet].articles += 1;
        }
        // Each thread tallies long runs of claims, [claims, corroborated, contradicted]
        // per outlet: on one thread this was the report stage's longest serial step
        // (0.64 s of a 100,000-article run; 0.41 s on two threads).
        let tallies = supports
            .par_iter()
            .enumerate()
            .with_min_len(1 << 14)
            .fold(
                || vec![[0usize; 3]; summaries.len()],
                |mut tallies, (claim, &support)| {
                    let tally = &mut tallies[self.claim_outlet(claim)];
                    tally[0] += 1;
                    match self.standing(claim, support) {
                        Standing::Corroborated => tally[1] += 1,
                        Standing::Contradicted => tally[2] += 1,
                        Standing::Unresolved | Standing::Uncheckable => {}
                    }
                    tallies
                },
            )
            .reduce(
                || vec![[0; 3]; summaries.len()],
                |mut total, part| {
                    for (sum, add) in total.iter_mut().zip(part) {
                        sum.iter_mut().zip(add).for_each(|(s, a)| *s += a);
                    }
                    total
                },
            );
        for (summary, [claims, corroborated, contradicted]) in summaries.iter_mut().zip(tallies) {
            summary.claims = claims;
            summary.corroborated = corroborated;
            summary.contradicted = contradicted;
        }
        summaries.sort_by(|a, b| {
            b.trust
                .score
                .total_cmp(&a.trust.score)
                .then_with(|| self.outlets[a.outlet].cmp(&self.outlets[b.outlet]))
        });
        summaries
    }

    pub fn fact_summary(&self, fact: usize) -> FactSummary {
        let agreement = &self.agreement;
        let facts = &agreement.facts;
        let leading = self.scores.fact_value[fact] as usize;
        // Nine facts in ten are one claim; facts.csv asks for every fact's summary
        // twice, to sort and to write.
        if facts.claims(fact).len() == 1 {
            return FactSummary {
                leading,
                voices_for: 1,
                voices_against: 0,
                outlets: 1,
            };
        }
        // Sorted, deduplicated vectors: a fact has a handful of claims, and this runs
        // once per fact of a large run, where three B-trees per fact showed.
        let distinct = |mut items: Vec<usize>| {
            items.sort_unstable();
            items.dedup();
            items
        };
        let voice = |&claim: &u32| agreement.voice_of(claim as usize);
        let supporting = distinct(facts.value(fact, leading).iter().map(voice).collect());
        let against = distinct(
            facts
                .values(fact)
                .enumerate()
                .filter(|(v, _)| *v != leading)
                .flat_map(|(_, group)| group.iter().map(voice))
                .filter(|voice| supporting.binary_search(voice).is_err())
                .collect(),
        );
        let outlets = distinct(
            facts
                .claims(fact)
                .iter()
                .map(|&c| self.claim_outlet(c as usize))
                .collect(),
        );
        FactSummary {
            leading,
            voices_for: supporting.len(),
            voices_against: against.len(),
            outlets: outlets.len(),
        }
    }

    pub fn skipped_inputs(&self) -> usize {
        self.inputs
            .iter()
            .filter(|r| r.status == ingest::InputStatus::Skipped)
            .count()
    }
}

/// `pairs` of (key, partner) reduced to each distinct key with its one partner, or
/// None when it has several; sorted by key.
fn single_partners(pairs: &mut [(usize, usize)]) -> Vec<(usize, Option<usize>)> {
    pairs.sort_unstable();
    pairs
        .chunk_by(|a, b| a.0 == b.0)
        .map(|run| {
            let one = run.iter().all(|&(_, partner)| partner == run[0].1);
            (run[0].0, one.then_some(run[0].1))
        })
        .collect()
}

/// The partner `single_partners` found for `key`, which must be among its keys.
fn lookup(partners: &[(usize, Option<usize>)], key: usize) -> Option<usize> {
    partners[partners.partition_point(|&(k, _)| k < key)].1
}

/// The per-article stages (tokenize, claims) over a batch of articles, flattened into
/// what the cross-article stages read.
#[derive(Debug)]
pub struct Extraction {
    pub articles: Vec<ArticleInfo>,
    /// Outlet names, sorted; `ArticleInfo::outlet` indexes this.
    pub outlets: Vec<String>,
    /// Outlet index of each article (`ArticleInfo::outlet`, as the slice agreement reads).
    pub article_outlet: Vec<usize>,
    /// Each article's sampled shingles (see `claims::spill::Shingles`), on disk.
    pub article_shingles: Spilled,
    /// What each article is about, for grouping them into stories.
    pub article_story_keys: Vec<StoryKeys>,
    pub claims: Claims,
    /// The origins the claims are attributed to.
    pub origins: Origins,
    /// Each claim as agreement compares it (`Worded`), on disk.
    pub wordings: Spilled,
    /// Each claim's text, hedge, names and values as written, which only the reports
    /// read.
    pub prose: ClaimProse,
    /// Each claim's article, in 32 bits: it is held from extraction to the reports.
    pub claim_article: Vec<u32>,
}

impl Extraction {
    /// What agreement reads: the corpus, borrowed, and what it reads of each article
    /// only at its start: the story keys, taken (which leaves `article_story_keys`
    /// empty) so that agreement can let go of them early, and the spilled shingles.
    pub fn agreement_input(&mut self) -> (Corpus<'_>, ArticleKeys<'_>) {
        let keys = ArticleKeys {
            names: self
                .articles
                .iter()
                .map(|article| {
                    let day = article.published.as_deref().and_then(agreement::day_number);
                    (article.key.as_str(), day)
                })
                .collect(),
            story_keys: std::mem::take(&mut self.article_story_keys),
            shingles: &self.article_shingles,
        };
        let corpus = Corpus {
            claims: &self.claims,
            origins: &self.origins,
            wordings: &self.wordings,
            claim_article: &self.claim_article,
            article_outlet: &self.article_outlet,
            outlets: &self.outlets,
        };
        (corpus, keys)
    }
}

/// Extracts claims from every article in parallel (reading those `cache` holds from
/// it), then drops lines an outlet repeats across its articles. Fails only when the
/// claims' texts and wordings cannot be written to their temporary files.
pub fn extract(
    articles: Vec<Article>,
    config: &Config,
    cache: Option<&ExtractionCache>,
    progress: &Progress,
) -> io::Result<Extraction> {
    let (_, streamed) = extract_streamed(config, cache, progress, |sink| {
        articles.into_iter().for_each(sink)
    });
    Ok(streamed?.extraction)
}

/// An extraction, and how long the run waited on it rather than on its input.
pub struct Streamed {
    pub extraction: Extraction,
    /// Seconds the feed was held up by extraction, plus the work after the feed ended.
    pub extracting: f64,
}

/// Extracts claims from the articles `feed` hands its sink, a batch at a time, so a
/// run holds one batch's texts and never every article's (a 100,000-article corpus is
/// 0.4 GB of text, a 1,000,000-article one 4 GB). Each full batch is extracted on the
/// thread pool while `feed` goes on reading the next. Reading only between batches
/// left a core idle while it read: 12 of 72 core-seconds of reading and extracting a
/// 100,000-article corpus on two threads.
pub fn extract_streamed<R>(
    config: &Config,
    cache: Option<&ExtractionCache>,
    progress: &Progress,
    feed: impl FnOnce(&mut dyn FnMut(Article)) -> R,
) -> (R, io::Result<Streamed>) {
    extract_in_batches(config, cache, progress, BATCH, feed)
}

/// Articles per batch: enough to keep every worker busy, few enough that two batches'
/// texts (about 4 KB an article) are a rounding error.
const BATCH: usize = 1024;

fn extract_in_batches<R>(
    config: &Config,
    cache: Option<&ExtractionCache>,
    progress: &Progress,
    batch: usize,
    feed: impl FnOnce(&mut dyn FnMut(Article)) -> R,
) -> (R, io::Result<Streamed>) {
    let extractor = BatchExtractor {
        claims: ClaimExtractor::new(config),
        cache,
        bar: progress.stage("claims", 0),
    };
    let mut batches = Batches {
        batch,
        pending: Vec::with_capacity(batch),
        in_flight: None,
        articles: Vec::new(),
        extracted: Vec::new(),
        claims: RunClaims::default(),
        waited: Duration::ZERO,
        spills: Spills::new(),
    };
    let fed = rayon::in_place_scope(|scope| {
        let fed = feed(&mut |article| batches.push(article, &extractor, scope));
        batches.wait();
        fed
    });
    let started = Instant::now();
    let last = std::mem::take(&mut batches.pending);
    let extracted = extractor.extract(&last);
    batches.take(last, extracted);
    extractor.bar.finish_and_clear();
    let streamed = batches.spills.and_then(|spills| {
        let extraction = finish_extraction(
            config,
            batches.articles,
            batches.extracted,
            batches.claims,
            spills,
        )?;
        let extracting = (batches.waited + started.elapsed()).as_secs_f64();
        Ok(Streamed {
            extraction,
            extracting,
        })
    });
    (fed, streamed)
}

/// What extracting a batch reads, shared by the batch in flight and the feed.
struct BatchExtractor<'a> {
    claims: ClaimExtractor<'a>,
    cache: Option<&'a ExtractionCache>,
    bar: ProgressBar,
}

impl BatchExtractor<'_> {
    fn extract(&self, batch: &[Article]) -> BatchClaims {
        self.bar.inc_length(batch.len() as u64);
        let yielded: Vec<ArticleClaims> = batch
            .par_iter()
            .map(|article| {
                let extract = || {
                    self.claims.extract_with_title(
                        &article.key,
                        &article.outlet,
                        article.title.as_deref(),
                        &article.text,
                    )
                };
                let extracted = match self.cache {
                    Some(cache) => cache.get_or_extract(article, extract),
                    None => extract(),
                };
                self.bar.inc(1);
                extracted
            })
            .collect();
        BatchClaims::new(yielded)
    }
}

/// A batch's claims in one vector, article after article, and what else each article
/// yielded (its `claims` left empty) with its count of claims. The feed moves the
/// claims to the run's `RunClaims` as the batch comes back.
struct BatchClaims {
    claims: Vec<Claim>,
    /// The claims' prose and wordings, until the feed writes them to the spills.
    prose: Vec<Prose>,
    wordings: Wordings,
    /// The run's number for the batch's first claim.
    first_claim: usize,
    /// Hash of the line each claim came from.
    claim_lines: Vec<u64>,
    articles: Vec<(ArticleClaims, usize)>,
}

impl BatchClaims {
    fn new(yielded: Vec<ArticleClaims>) -> BatchClaims {
        let total = yielded.iter().map(|result| result.claims.len()).sum();
        let mut claims = Vec::with_capacity(total);
        let mut prose = Vec::with_capacity(total);
        let mut wordings = Wordings::with_room_for(yielded.iter().map(|r| &r.wordings));
        let mut claim_lines = Vec::with_capacity(total);
        let articles = yielded
            .into_iter()
            .map(|mut result| {
                let count = result.claims.len();
                claims.extend(std::mem::take(&mut result.claims));
                prose.extend(std::mem::take(&mut result.prose));
                wordings.append(&std::mem::take(&mut result.wordings));
                claim_lines.extend(std::mem::take(&mut result.claim_lines));
                (result, count)
            })
            .collect();
        BatchClaims {
            claims,
            prose,
            wordings,
            first_claim: 0,
            claim_lines,
            articles,
        }
    }
}

/// A batch's articles and what they yielded, sent back by the job extracting it.
type Extracted = (Vec<Article>, BatchClaims);

/// The articles fed so far: the batch being filled, the one being extracted, and
/// every earlier one (its texts released) with what it yielded, in feed order.
struct Batches {
    batch: usize,
    pending: Vec<Article>,
    in_flight: Option<mpsc::Receiver<Extracted>>,
    articles: Vec<Article>,
    extracted: Vec<BatchClaims>,
    claims: RunClaims,
    /// Time the feed spent waiting for the batch in flight.
    waited: Duration,
    /// Where each batch's claim prose and wordings go as it comes back; the first
    /// error ends the writing, and the run fails when extraction is over.
    spills: io::Result<Spills>,
}

impl Batches {
    fn push<'scope>(
        &mut self,
        article: Article,
        extractor: &'scope BatchExtractor<'_>,
        scope: &rayon::Scope<'scope>,
    ) {
        self.pending.push(article);
        if self.pending.len() < self.batch {
            return;
        }
        // One batch in flight at a time keeps the results in feed order, and holds at
        // most two batches' texts. The finished batch is taken (its claims moved, its
        // prose and wordings written to disk) only once the next is on its way: taken
        // first, it left the other core idle for the 6.6 s it took in a 100,000-article
        // run on two threads.
        let finished = self.finished();
        let batch = std::mem::replace(&mut self.pending, Vec::with_capacity(self.batch));
        let (sender, receiver) = mpsc::sync_channel(1);
        scope.spawn(move |_| {
            let extracted = extractor.extract(&batch);
            // The receiver only goes away when the feed is unwinding from a panic.
            let _ = sender.send((batch, extracted));
        });
        self.in_flight = Some(receiver);
        if let Some((batch, extracted)) = finished {
            self.take(batch, extracted);
        }
    }

    /// Takes the batch in flight once it is done.
    fn wait(&mut self) {
        if let Some((batch, extracted)) = self.finished() {
            self.take(batch, extracted);
        }
    }

    /// The batch in flight once it is done, helping to extract it meanwhile.
    fn finished(&mut self) -> Option<Extracted> {
        let receiver = self.in_flight.take()?;
        let started = Instant::now();
        let done = loop {
            match receiver.try_recv() {
                Ok(done) => break done,
                Err(mpsc::TryRecvError::Empty) => match rayon::yield_now() {
                    Some(rayon::Yield::Executed) => {}
                    Some(rayon::Yield::Idle) => std::thread::yield_now(),
                    // Not a worker of any pool, so it cannot help: it blocks instead.
                    None => match receiver.recv() {
                        Ok(done) => break done,
                        Err(mpsc::RecvError) => panic!("extracting a batch panicked"),
                    },
                },
                Err(mpsc::TryRecvError::Disconnected) => panic!("extracting a batch panicked"),
            }
        };
        self.waited += started.elapsed();
        Some(done)
    }

    fn take(&mut self, batch: Vec<Article>, mut extracted: BatchClaims) {
        if let Ok(spills) = &mut self.spills {
            if let Err(error) = spills.keep(&extracted, &mut self.claims) {
                self.spills = Err(error);
            }
        }
        extracted.prose = Vec::new();
        extracted.wordings = Wordings::default();
        for (article, _) in &mut extracted.articles {
            article.shingles = Vec::new();
        }
        extracted.first_claim = self.claims.claims.len();
        let RunClaims {
            claims, origins, ..
        } = &mut self.claims;
        claims.extend(extracted.claims.iter().map(|claim| origins.hold(claim)));
        extracted.claims = Vec::new();
        self.extracted.push(extracted);
        self.articles
            .extend(batch.into_iter().map(|article| Article {
                text: String::new(),
                ..article
            }));
    }
}

/// The temporary files of a run's claim prose and wordings.
struct Spills {
    prose: Spill,
    wordings: Spill,
    shingles: Spill,
}

impl Spills {
    fn new() -> io::Result<Spills> {
        Ok(Spills {
            prose: Spill::new()?,
            wordings: Spill::new()?,
            shingles: Spill::new()?,
        })
    }

    /// Writes a batch's prose, wordings and shingles, and notes in `run` where they
    /// went.
    fn keep(&mut self, batch: &BatchClaims, run: &mut RunClaims) -> io::Result<()> {
        let prose_spans = self.prose.append(batch.prose.len(), |k, record| {
            ClaimProse::encode(&batch.prose[k], &batch.claims[k], record)
        })?;
        let wording_spans = batch.wordings.spill(&batch.claims, &mut self.wordings)?;
        let shingle_spans = self.shingles.append(batch.articles.len(), |k, record| {
            Shingles::encode(&batch.articles[k].0.shingles, record)
        })?;
        run.prose_spans.extend(prose_spans);
        run.wording_spans.extend(wording_spans);
        run.shingle_spans.extend(shingle_spans);
        Ok(())
    }
}

/// Every claim fed so far, and where its prose and wording are on disk.
#[derive(Default)]
struct RunClaims {
    claims: Claims,
    origins: Origins,
    prose_spans: Chunked<Span>,
    wording_spans: Chunked<Span>,
    /// Where each article's shingles are on disk.
    shingle_spans: Chunked<Span>,
}

/// Drops the lines each outlet repeats, and gathers what each article yielded besides
/// its claims, which the feed has already moved to `run`.
fn finish_extraction(
    config: &Config,
    articles: Vec<Article>,
    mut extracted: Vec<BatchClaims>,
    mut run: RunClaims,
    spills: Spills,
) -> io::Result<Extraction> {
    let outlets: Vec<String> = articles
        .iter()
        .map(|a| a.outlet.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let outlet_index: HashMap<&str, usize> = outlets
        .iter()
        .enumerate()
        .map(|(i, o)| (o.as_str(), i))
        .collect();
    let article_outlet: Vec<usize> = articles
        .iter()
        .map(|a| outlet_index[a.outlet.as_str()])
        .collect();
    drop(outlet_index);
    drop_repeated_lines(
        &mut extracted,
        &mut run,
        &article_outlet,
        config.claims.furniture_repeat_articles,
    );
    let mut infos = Vec::with_capacity(articles.len());
    let mut claim_article = Vec::with_capacity(run.claims.len());
    let mut article_story_keys = Vec::with_capacity(articles.len());
    let yielded = extracted.into_iter().flat_map(|batch| batch.articles);
    for (index, (article, (result, count))) in articles.into_iter().zip(yielded).enumerate() {
        infos.push(ArticleInfo {
            key: article.key,
            outlet: article_outlet[index],
            title: article.title,
            url: article.url,
            published: article.published,
            input: article.input,
            claims: count,
            dropped_furniture: result.dropped_furniture,
            dropped_uncheckable: result.dropped_uncheckable,
            overlong_clauses: result.overlong_clauses,
        });
        let article = u32::try_from(index).expect("fewer than 2^32 articles");
        claim_article.extend(std::iter::repeat_n(article, count));
        article_story_keys.push(result.story_keys);
    }
    Ok(Extraction {
        articles: infos,
        outlets,
        article_outlet,
        article_shingles: spills.shingles.finish(run.shingle_spans)?,
        article_story_keys,
        claims: run.claims,
        origins: run.origins,
        wordings: spills.wordings.finish(run.wording_spans)?,
        prose: ClaimProse::new(spills.prose.finish(run.prose_spans)?),
        claim_article,
    })
}

/// Runs every stage over the articles under `paths` published inside `window`,
/// reusing and filling `cache` when given.
pub fn analyze(
    paths: &[PathBuf],
    window: &Window,
    cache: Option<&ExtractionCache>,
    config: &Config,
    progress: &Progress,
) -> anyhow::Result<Analysis> {
    // Each batch of articles is extracted while the next is read: "extract" is the time
    // the reading waited on extraction, and the work after the last batch; "ingest" the
    // rest.
    let started = Instant::now();
    let (ingested, streamed) = extract_streamed(config, cache, progress, |sink| {
        ingest::ingest(paths, &config.input, window, sink)
    });
    let mut ingested = ingested?;
    let streamed = streamed.with_context(|| {
        format!(
            "cannot keep the claims' texts and wordings on disk in {} (TMPDIR)",
            std::env::temp_dir().display()
        )
    })?;
    let closing = Instant::now();
    if let Some(cache) = cache {
        cache.finish();
    }
    let extracting = streamed.extracting + closing.elapsed().as_secs_f64();
    let mut timings = vec![
        ("ingest", started.elapsed().as_secs_f64() - extracting),
        ("extract", extracting),
    ];
    let mut extraction = streamed.extraction;
    note_overlong_clauses(&mut ingested.inputs, &extraction.articles, config);
    let mut clock = Instant::now();
    let mut lap = |stage: &'static str| {
        timings.push((stage, clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };

    let bar = progress.stage("agreement", 1);
    let (corpus, article_keys) = extraction.agreement_input();
    let agreement = agreement::analyze(&corpus, article_keys, &config.agreement, &config.stories)
        .with_context(|| {
        format!(
            "cannot read the claims' wordings back from {}",
            std::env::temp_dir().display()
        )
    })?;
    bar.finish_and_clear();
    lap("agreement");

    let bar = progress.stage("score", 1);
    let Extraction {
        articles,
        outlets,
        article_outlet,
        claims,
        origins,
        wordings,
        prose,
        claim_article,
        ..
    } = extraction;
    // Only agreement reads the wordings: left to the partial move, their spans (8 bytes
    // a claim) and file would stay until this function returns.
    drop(wordings);
    let claim_outlet: Vec<u32> = claim_article
        .iter()
        .map(|&article| article_outlet[article as usize] as u32)
        .collect();
    let scores = score::score_claims(
        &claims,
        &claim_outlet,
        outlets.len(),
        &agreement,
        &config.score,
    );
    bar.finish_and_clear();
    lap("score");

    Ok(Analysis {
        inputs: ingested.inputs,
        articles,
        outlets,
        claims,
        origins,
        prose,
        claim_article,
        agreement,
        scores,
        corroborated_threshold: config.score.corroborated_threshold,
        interval: config.score.interval,
        config_hash: config.hash,
        timings,
        excluded_articles: ingested.excluded_articles,
        cache: cache.map(ExtractionCache::stats),
    })
}

/// Work too large to hold at once, split into parts by a 64-bit hash: part `i` holds
/// the hashes from `i`/`count` to (`i` + 1)/`count` of the range, so the parts are in
/// hash order and, hashes being uniform, about equal. Copy detection's postings and
/// evidence.csv's sort by claim id each make and sort one part at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashParts {
    pub count: usize,
}

impl HashParts {
    /// As many parts as `total` items need for at most `most` in each (on average).
    pub fn new(total: usize, most: usize) -> HashParts {
        HashParts {
            count: total.div_ceil(most.max(1)).max(1),
        }
    }

    pub fn of(self, hash: u64) -> usize {
        ((u128::from(hash) * self.count as u128) >> 64) as usize
    }
}

/// The first 16 bytes of `text` as one big-endian integer, zero-padded. Ordering by it
/// agrees with ordering by the text, so a sort of many ids or names compares integers
/// and falls back on the strings only where two heads tie.
pub fn text_head(text: &str) -> u128 {
    let mut head = [0; 16];
    let bytes = text.as_bytes();
    let len = bytes.len().min(16);
    head[..len].copy_from_slice(&bytes[..len]);
    u128::from_be_bytes(head)
}

/// Tells, in the `inputs.csv` row of each input, how many clauses were too long to
/// read: an article of one endless line is read, but yields nothing from that line.
fn note_overlong_clauses(inputs: &mut [InputRecord], articles: &[ArticleInfo], config: &Config) {
    let mut overlong = vec![0; inputs.len()];
    for article in articles {
        overlong[article.input] += article.overlong_clauses;
    }
    for (input, count) in inputs.iter_mut().zip(overlong) {
        if count == 0 {
            continue;
        }
        let note = format!(
            "{count} clause{} over claims.max_words = {} words left unread",
            if count == 1 { "" } else { "s" },
            config.claims.max_words
        );
        input.reason = if input.reason.is_empty() {
            note
        } else {
            format!("{}; {note}", input.reason)
        };
    }
}

/// Drops claims from lines an outlet repeats in at least `min_articles` of its
/// articles: donation boxes, bylines and boilerplate that no lexicon lists. Runs after
/// per-article extraction so that stays a pure function of one article. Lines are
/// counted outlet by outlet, in parallel: one map of every outlet's lines was about
/// 200 MB of a 100,000-article run as extraction ended (resident memory before and
/// after counting), and one thread's work.
fn drop_repeated_lines(
    batches: &mut [BatchClaims],
    run: &mut RunClaims,
    article_outlet: &[usize],
    min_articles: usize,
) {
    // Each article's batch, its place in the batch, and where its claims start there.
    let mut places = Vec::with_capacity(article_outlet.len());
    for (batch_index, batch) in batches.iter().enumerate() {
        let mut first_claim = 0;
        for (place, (_, count)) in batch.articles.iter().enumerate() {
            places.push((batch_index, place, first_claim));
            first_claim += count;
        }
    }
    let mut by_outlet: Vec<usize> = (0..article_outlet.len()).collect();
    by_outlet.sort_by_key(|&article| article_outlet[article]);
    let read = &*batches;
    // (batch, claim in batch, article's place in batch) of every claim to drop.
    let dropped: Vec<(usize, usize, usize)> = by_outlet
        .par_chunk_by(|&a, &b| article_outlet[a] == article_outlet[b])
        .flat_map_iter(|articles| {
            let mut articles_with_line: FxHashMap<u64, usize> = FxHashMap::default();
            for &article in articles {
                let (batch, place, _) = places[article];
                for &line in &read[batch].articles[place].0.line_hashes {
                    *articles_with_line.entry(line).or_default() += 1;
                }
            }
            let mut dropped = Vec::new();
            for &article in articles {
                let (batch, place, first_claim) = places[article];
                let claims = first_claim..first_claim + read[batch].articles[place].1;
                for claim in claims {
                    let line = read[batch].claim_lines[claim];
                    if articles_with_line[&line] >= min_articles {
                        dropped.push((batch, claim, place));
                    }
                }
            }
            dropped
        })
        .collect();
    if dropped.is_empty() {
        return;
    }
    let mut keep = vec![true; run.claims.len()];
    for (batch, claim, place) in dropped {
        let batch = &mut batches[batch];
        keep[batch.first_claim + claim] = false;
        let (result, count) = &mut batch.articles[place];
        *count -= 1;
        result.dropped_furniture += 1;
    }
    run.claims.retain_flagged(&keep);
    run.prose_spans.retain_flagged(&keep);
    run.wording_spans.retain_flagged(&keep);
}

/// A run over a generated corpus of 400 articles from 8 outlets, which has copies,
/// shared origins, hedges and contradictions.
#[cfg(test)]
pub(crate) fn generated_analysis() -> Analysis {
    let dir = tempfile::tempdir().unwrap();
    let params = crate::gen::Params {
        articles: 400,
        outlets: 8,
        seed: 7,
    };
    crate::gen::write_corpus(params, dir.path()).unwrap();
    crate::analyze(
        &[dir.path().join("articles")],
        &Window::default(),
        None,
        &Config::builtin(),
        &Progress::hidden(),
    )
    .unwrap()
}

#[cfg(test)]
mod tests {
    use super::{extract_in_batches, text_head, Standing, SupportCount};
    use crate::claims::WordedClaims;
    use crate::config::Config;
    use crate::ingest::Article;
    use crate::progress::Progress;
    use crate::score;

    #[test]
    fn vote_weights_split_a_voice_among_the_outlets_sharing_it_on_one_value() {
        let analysis = crate::generated_analysis();
        let config = Config::builtin().score;
        let agreement = &analysis.agreement;
        let mut shared = 0;
        for claim in 0..analysis.claims.len() {
            let (fact, value) = (agreement.fact_of(claim), agreement.value_of(claim));
            let mut outlets: Vec<usize> = agreement
                .facts
                .value(fact, value)
                .iter()
                .map(|&other| other as usize)
                .filter(|&other| agreement.voice_of(other) == agreement.voice_of(claim))
                .map(|other| analysis.claim_outlet(other))
                .collect();
            outlets.sort_unstable();
            outlets.dedup();
            let held = &analysis.claims[claim];
            let expected = score::vote_weight(
                outlets.len(),
                held.hedged,
                held.attribution.is_some(),
                &config,
            );
            assert_eq!(
                analysis.scores.claim_weight[claim],
                expected.product(),
                "claim {claim}"
            );
            shared += usize::from(outlets.len() > 1);
        }
        assert!(shared > 0, "no voice shared by two outlets");
    }

    #[test]
    fn supports_counted_fact_by_fact_are_each_claims_own_reading() {
        let analysis = crate::generated_analysis();
        let supports = analysis.supports();
        let voice = |claim: usize| analysis.agreement.voice_of(claim);
        let distinct = |mut voices: Vec<usize>| {
            voices.sort_unstable();
            voices.dedup();
            voices.len()
        };
        // The cases the fact-by-fact count must get right, each seen at least once.
        let (mut contradicted, mut supported_twice, mut own_outlet_voices) = (0, 0, 0);
        assert_eq!(supports.len(), analysis.claims.len());
        for (claim, support) in supports.iter().enumerate() {
            let other_voice =
                |&(other, agrees): &(usize, bool)| agrees && voice(other) != voice(claim);
            let independent = distinct(
                analysis
                    .other_outlets_claims(claim)
                    .filter(other_voice)
                    .map(|(other, _)| voice(other))
                    .collect(),
            );
            let fact = analysis.agreement.fact_of(claim);
            let value = analysis.agreement.value_of(claim);
            let group_voices = distinct(
                analysis
                    .agreement
                    .facts
                    .value(fact, value)
                    .iter()
                    .map(|&other| voice(other as usize))
                    .filter(|&v| v != voice(claim))
                    .collect(),
            );
            let expected = SupportCount {
                independent_support: independent as u32,
                contradicted: !analysis.support(claim).contradicting_outlets.is_empty(),
            };
            assert_eq!(*support, expected, "claim {claim}");
            contradicted += usize::from(expected.contradicted);
            supported_twice += usize::from(independent >= 2);
            own_outlet_voices += usize::from(group_voices > independent);
        }
        assert!(
            contradicted > 0 && supported_twice > 0 && own_outlet_voices > 0,
            "{contradicted} contradicted, {supported_twice} supported twice, \
             {own_outlet_voices} with voices heard only from their own outlet"
        );
    }

    #[test]
    fn articles_extracted_in_batches_are_extracted_as_in_one() {
        let sentences = [
            "Repairs to the Alder River Bridge will cost $48 million, the state said.",
            "Inspectors closed the Alder River Bridge on Monday after finding cracks.",
            "Repairs to the Alder River Bridge will cost $52 million, officials said.",
            "The Kesterfield council passed its budget 7-2 on Tuesday.",
            "Repairs to the Alder River Bridge will cost $48 million, the state said.",
        ];
        let articles: Vec<Article> = sentences
            .iter()
            .enumerate()
            .map(|(i, text)| Article {
                key: format!("a/{i}.txt"),
                outlet: ["east", "west"][i % 2].to_string(),
                title: None,
                url: None,
                published: None,
                // A line every article of one outlet repeats: furniture, whose claims
                // go only once every batch has been read.
                text: match i % 2 {
                    0 => format!("{text}\nTrident Media bought the Ledger for $9 million in 2019."),
                    _ => text.to_string(),
                },
                input: i,
            })
            .collect();
        let config = Config::builtin();
        let extract = |batch: usize| {
            let (_, streamed) =
                extract_in_batches(&config, None, &Progress::hidden(), batch, |sink| {
                    articles.clone().into_iter().for_each(sink)
                });
            let extraction = streamed.unwrap().extraction;
            let counted: usize = extraction.articles.iter().map(|a| a.claims).sum();
            assert_eq!(counted, extraction.claims.len(), "batches of {batch}");
            assert_eq!(extraction.claim_article.len(), extraction.claims.len());
            assert_eq!(extraction.wordings.len(), extraction.claims.len());
            assert_eq!(extraction.prose.len(), extraction.claims.len());
            let prose: Vec<crate::claims::Prose> = (0..extraction.prose.len())
                .map(|claim| extraction.prose.get(claim).unwrap())
                .collect();
            let every_claim: Vec<u32> = (0..extraction.claims.len() as u32).collect();
            let wordings = WordedClaims::read(&extraction.wordings, &every_claim).unwrap();
            format!("{extraction:?} {prose:?} {wordings:?}")
        };
        let whole = extract(1024);
        assert!(whole.contains("$52 million") && whole.contains("a/4.txt"));
        assert!(!whole.contains("Trident"), "{whole}");
        assert_eq!(whole.matches("dropped_furniture: 1,").count(), 3, "{whole}");
        assert_eq!(extract(2), whole);
        assert_eq!(extract(1), whole);
        // Inside a pool the feed helps extract the batch in flight rather than block;
        // with one worker nothing else ever would.
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            assert_eq!(pool.install(|| extract(1)), whole, "{threads} threads");
        }
    }

    #[test]
    fn text_heads_order_as_their_texts_do() {
        let texts = [
            "",
            "a",
            "ab",
            "abc",
            "c0123456789abcdef",
            "c0123456789abcdee",
            "c0123456789abcde",
            "c0123456789abcdf0",
            "zz",
            "é",
            "e\u{0}",
        ];
        for a in texts {
            for b in texts {
                let (head_a, head_b) = (text_head(a), text_head(b));
                // Heads never contradict the texts' order; only ties defer to it.
                if head_a != head_b {
                    assert_eq!(head_a.cmp(&head_b), a.cmp(b), "{a:?} vs {b:?}");
                }
            }
        }
        assert_eq!(
            text_head("c0123456789abcdef"),
            text_head("c0123456789abcdee")
        );
        assert_ne!(text_head("ab"), text_head("abc"));
    }

    #[test]
    fn standing_needs_an_independent_voice_or_a_rival_on_the_right_side_of_the_threshold() {
        assert_eq!(
            Standing::of(1, true, true, 0.5, 0.5),
            Standing::Corroborated
        );
        assert_eq!(Standing::of(0, false, true, 0.9, 0.5), Standing::Unresolved);
        assert_eq!(
            Standing::of(2, true, true, 0.4, 0.5),
            Standing::Contradicted
        );
        assert_eq!(Standing::of(0, true, true, 0.6, 0.5), Standing::Unresolved);
        assert_eq!(
            Standing::of(0, false, false, 0.7, 0.5),
            Standing::Uncheckable
        );
    }
}
