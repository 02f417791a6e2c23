//! The truth-discovery engine: source trust and value confidence, iterated together.
//!
//! The model is Dong, Berti-Equille and Srivastava's ACCU (VLDB 2009): a source with
//! trust t votes for its value with strength ln(n·t / (1 − t)), where n is the assumed
//! number of false alternatives; a value's confidence is the softmax of its votes
//! against the competing values and the n unobserved ones. A source's trust is then the
//! weighted mean confidence of what it said, shrunk towards a prior by a Beta
//! pseudo-count, which is also what makes its interval honest: three checkable claims
//! leave the Beta wide, three thousand make it narrow.
//!
//! Two refinements from the literature, both optional through the config:
//! - implication (Yin et al.'s TruthFinder): a vote for one value lends a share of
//!   itself to similar values of the same item ("Donald Knuth" to "Knuth, Donald E.",
//!   478,403 to 478,404), so near-duplicates pool their support;
//! - source dependence (Dong et al. 2009): two sources that share values which are
//!   probably false are likely copying; on each value, a copier's vote is discounted by
//!   the probability that it copied a source already counted.
//!
//! Only items that at least two voices speak to inform trust: a fact nobody else
//! reported says nothing about whether its source is right.

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;
use statrs::distribution::{Beta, ContinuousCDF};

use crate::config::ScoreConfig;

/// One source stating one value for one item. Numbered in 32 bits: a
/// 1,000,000-article run has an observation per claim, 44M of them, and at 40 bytes
/// each (`usize` numbers) they were 1.8 GB of the score stage, the run's peak.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    source: u32,
    item: u32,
    value: u32,
    voice: u32,
    /// Vote weight in [0, 1]: hedges, attribution and copies lower it.
    pub weight: f64,
}

impl Observation {
    /// `voice` numbers who really speaks: sources sharing a voice (copies, one origin)
    /// are one witness. Every number must be below 2^32.
    pub fn new(source: usize, item: usize, value: usize, voice: usize, weight: f64) -> Self {
        let number =
            |n: usize| u32::try_from(n).expect("fewer than 2^32 sources, items, values and voices");
        Observation {
            source: number(source),
            item: number(item),
            value: number(value),
            voice: number(voice),
            weight,
        }
    }

    pub fn source(&self) -> usize {
        self.source as usize
    }

    pub fn item(&self) -> usize {
        self.item as usize
    }

    pub fn value(&self) -> usize {
        self.value as usize
    }

    pub fn voice(&self) -> usize {
        self.voice as usize
    }
}

/// A vote for `from` also counts, scaled by `strength` in (0, 1], for `to`: both are
/// values of `item`, and `to` is partly implied by `from`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Implication {
    pub item: usize,
    pub from: usize,
    pub to: usize,
    pub strength: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Problem {
    pub sources: usize,
    /// Number of candidate values of each item.
    pub item_values: Vec<usize>,
    pub observations: Vec<Observation>,
    pub implications: Vec<Implication>,
}

/// Copy detection between sources (Dong et al. 2009).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Copying {
    /// Prior probability that two sources are dependent; 0 turns detection off.
    pub prior: f64,
    /// Probability that a copier copies any one value.
    pub probability: f64,
    /// Items with more sources than this are left out of the pair test.
    pub max_sources: usize,
}

impl Copying {
    pub const OFF: Copying = Copying {
        prior: 0.0,
        probability: 0.0,
        max_sources: 0,
    };
}

/// A source's trust with its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trust {
    pub score: f64,
    pub low: f64,
    pub high: f64,
    /// Distinct (item, value) statements on items other voices also speak to.
    pub checkable: usize,
}

/// Two sources judged to be copying one another (or one origin).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dependence {
    pub first: usize,
    pub second: usize,
    pub probability: f64,
}

#[derive(Debug, Clone)]
pub struct Solution {
    pub trust: Vec<Trust>,
    /// Confidence of every candidate value, item after item (see `values`). One flat
    /// vector rather than one per item: a long-tail input has tens of thousands of items.
    pub confidence: Vec<f64>,
    value_starts: Starts,
    /// Pairs of sources more likely dependent than not (the pairs whose votes were
    /// discounted), sorted.
    pub dependent: Vec<Dependence>,
    pub iterations: usize,
    pub converged: bool,
}

/// Rounds of re-estimating dependence, each once trust moves less than
/// `DEPENDENCE_TOLERANCE` under the last; they stop early once no pair's dependence
/// moves more than that either.
const MAX_COPY_ROUNDS: usize = 5;
const DEPENDENCE_TOLERANCE: f64 = 0.01;

/// Trust is kept away from 0 and 1, where the vote strength is infinite.
const TRUST_CLAMP: f64 = 1e-3;

/// Takes the problem by value: its observations are sorted and deduplicated in place.
/// A copy of them, beside the caller's, was 176 MB of a 100,000-article run (4.4
/// million claims, 40 bytes each) when scoring was the run's peak.
pub fn solve(problem: Problem, config: &ScoreConfig, copying: Copying) -> Solution {
    let prepared = Prepared::new(problem, copying);
    let sources = prepared.sources;
    let mut trust = vec![config.prior_trust; sources];
    // ln is the costliest step of a vote; a source's strength is the same on every
    // item it speaks to, and only the sources with evidence ever move from the prior,
    // so each is taken once per change of its trust, not once per observation.
    let mut strength = vec![vote_strength(config.prior_trust, config.false_values); sources];
    let mut dependence = Dependencies::default();
    let mut confidence = vec![0.0; prepared.value_starts.total()];
    // While trust and dependence move, only the items they are estimated from are
    // recomputed; the rest (on long-tail data most items: one source each) follow from
    // the final trust in one pass after the loop.
    let live = &prepared.live;
    prepared.value_confidence(live, &strength, &dependence, config, &mut confidence);
    let mut iterations = 0;
    let mut copy_rounds = 0;
    let mut dependence_settled = false;
    let mut converged = false;
    while iterations < config.max_iterations {
        iterations += 1;
        let updated = prepared.update_trust(&confidence, config);
        let change = updated
            .iter()
            .zip(&trust)
            .map(|(new, old)| (new.0 - old).abs())
            .fold(0.0, f64::max);
        for ((old, new), strength) in trust.iter_mut().zip(&updated).zip(&mut strength) {
            if *old != new.0 {
                (*old, *strength) = (new.0, vote_strength(new.0, config.false_values));
            }
        }
        prepared.value_confidence(live, &strength, &dependence, config, &mut confidence);
        // Dependence is re-estimated only when trust has roughly settled under the
        // previous estimate: testing every source pair on every iteration made the
        // solve 20× slower on a million observations.
        let estimating = copying.prior > 0.0 && !dependence_settled;
        if estimating && change < DEPENDENCE_TOLERANCE {
            copy_rounds += 1;
            let pairs = prepared.dependence(&trust, &confidence, copying, config);
            let estimate = Dependencies::new(&prepared.observations, pairs, &trust, copying);
            let moved = largest_change(&dependence.pairs, &estimate.pairs);
            dependence = estimate;
            dependence_settled = moved <= DEPENDENCE_TOLERANCE || copy_rounds == MAX_COPY_ROUNDS;
            prepared.value_confidence(live, &strength, &dependence, config, &mut confidence);
        } else if !estimating && change < config.tolerance {
            converged = true;
            break;
        }
    }
    // Every change of trust or dependence above is followed by a pass over the live
    // items, so this pass sees the same inputs as their last one.
    let settled = &prepared.settled;
    prepared.value_confidence(settled, &strength, &dependence, config, &mut confidence);
    let evidence = prepared.update_trust(&confidence, config);
    let mut checkable = vec![0; sources];
    for &observation in &prepared.evidence {
        checkable[prepared.observations[observation as usize].source()] += 1;
    }
    let trust = evidence
        .iter()
        .zip(intervals(&evidence, config.interval))
        .zip(checkable)
        .map(|((&(score, _, _), (low, high)), checkable)| Trust {
            score,
            low,
            high,
            checkable,
        })
        .collect();
    let mut dependent: Vec<Dependence> = dependence
        .pairs
        .into_iter()
        .map(|((first, second), probability)| Dependence {
            first,
            second,
            probability,
        })
        .collect();
    dependent.sort_by_key(|d| (d.first, d.second));
    Solution {
        trust,
        confidence,
        value_starts: prepared.value_starts,
        dependent,
        iterations,
        converged,
    }
}

impl Solution {
    /// Confidence of each candidate value of `item`.
    pub fn values(&self, item: usize) -> &[f64] {
        &self.confidence[self.value_starts.range(item)]
    }
}

/// The problem rearranged for the iteration: observations grouped by item and value,
/// each item's implications and whether it can inform trust.
///
/// Items, observations and values are numbered in 32 bits here as in `Observation`: a
/// 1,000,000-article run has 32M items, and a range in `usize` per item for the
/// observations and another for the implications were 1 GB of the score stage, the
/// run's peak.
struct Prepared {
    sources: usize,
    observations: Vec<Observation>,
    /// Item i's observations are `observations[by_item.range(i)]`.
    by_item: Starts,
    /// Item i's values in the flat confidence vector.
    value_starts: Starts,
    implications: Vec<Implication>,
    implications_by_item: Starts,
    /// Observations (indices, in order) on items at least two voices speak to: the
    /// evidence trust is estimated from.
    evidence: Vec<u32>,
    /// Items whose confidence the iteration reads (those with evidence, and those
    /// a source pair shares), ascending; `settled` holds the others.
    live: Vec<u32>,
    settled: Vec<u32>,
    /// Source pairs (lower index first) that both speak to an item, with the items on
    /// which they state the same value and the number on which they differ.
    pairs: Vec<PairEvidence>,
}

struct PairEvidence {
    sources: (usize, usize),
    shared: Vec<(usize, usize)>,
    differing: usize,
}

impl Prepared {
    fn new(problem: Problem, copying: Copying) -> Self {
        let Problem {
            sources,
            item_values,
            observations,
            mut implications,
        } = problem;
        let observations = deduplicate(observations);
        let items = item_values.len();
        let by_item = Starts::of_sorted(&observations, items, |o| o.item());
        implications.sort_by_key(|i| (i.item, i.from, i.to));
        let implications_by_item = Starts::of_sorted(&implications, items, |i| i.item);
        let value_starts = Starts::of_lengths(item_values);
        let mut live: Vec<bool> = (0..items)
            .map(|item| {
                let speakers = &observations[by_item.range(item)];
                speakers.iter().any(|o| o.voice() != speakers[0].voice())
            })
            .collect();
        let evidence = (0..observations.len())
            .filter(|&o| live[observations[o].item()])
            .map(|o| o as u32)
            .collect();
        let pairs = if copying.prior > 0.0 {
            source_pairs(&observations, &by_item, items, copying.max_sources)
        } else {
            Vec::new()
        };
        for pair in &pairs {
            for &(item, _) in &pair.shared {
                live[item] = true;
            }
        }
        let (live, settled) = (0..items as u32).partition(|&item| live[item as usize]);
        Prepared {
            sources,
            observations,
            by_item,
            value_starts,
            implications,
            implications_by_item,
            evidence,
            live,
            settled,
            pairs,
        }
    }

    /// Confidence of every candidate value of `items` (ascending), given each source's
    /// vote strength, into `flat` at each item's `value_starts`. One buffer for the
    /// whole solve rather than one per item or per pass keeps the iteration free of
    /// allocation and page faults, which are most of its cost on long-tail data.
    fn value_confidence(
        &self,
        items: &[u32],
        strength: &[f64],
        dependence: &Dependencies,
        config: &ScoreConfig,
        flat: &mut [f64],
    ) {
        // Each item's slice of `flat` is cut out for a stretch of items at a time: cut
        // for all of them at once, the slices of the pass over the settled items were
        // 24 bytes an item, 0.7 GB at 1,000,000 articles.
        const STRETCH: usize = 1 << 16;
        let mut per_item: Vec<(usize, &mut [f64])> = Vec::with_capacity(STRETCH.min(items.len()));
        let (mut rest, mut start) = (flat, 0);
        for stretch in items.chunks(STRETCH) {
            per_item.clear();
            for &item in stretch {
                let values = self.value_starts.range(item as usize);
                let tail = std::mem::take(&mut rest)
                    .split_at_mut(values.start - start)
                    .1;
                let (head, tail) = tail.split_at_mut(values.len());
                per_item.push((item as usize, head));
                (rest, start) = (tail, values.end);
            }
            self.stretch_confidence(&mut per_item, strength, dependence, config);
        }
    }

    /// `value_confidence` of the items of one stretch, each with its slice of the flat
    /// confidence vector, in parallel.
    fn stretch_confidence(
        &self,
        per_item: &mut Vec<(usize, &mut [f64])>,
        strength: &[f64],
        dependence: &Dependencies,
        config: &ScoreConfig,
    ) {
        per_item
            .par_drain(..)
            .with_min_len(1024)
            .for_each_init(Vec::new, |votes, (item, out)| {
                votes.clear();
                votes.resize(out.len(), 0.0);
                let range = self.by_item.range(item);
                let mut first = range.start;
                for providers in self.observations[range].chunk_by(|a, b| a.value() == b.value()) {
                    let vote = |o: &Observation| o.weight * strength[o.source()];
                    votes[providers[0].value()] =
                        if dependence.pairs.is_empty() || providers.len() < 2 {
                            providers.iter().map(vote).sum()
                        } else {
                            let mut total = 0.0;
                            for &(observation, independence) in
                                &dependence.arranged[first..first + providers.len()]
                            {
                                total += independence * vote(&self.observations[observation]);
                            }
                            total
                        };
                    first += providers.len();
                }
                // `out` holds each value's own votes while implications add to `votes`.
                out.copy_from_slice(votes);
                for implication in &self.implications[self.implications_by_item.range(item)] {
                    votes[implication.to] +=
                        config.similarity_weight * implication.strength * out[implication.from];
                }
                confidences(votes, config, out);
            });
    }

    /// Posterior mean trust per source, with its Beta parameters.
    fn update_trust(&self, confidence: &[f64], config: &ScoreConfig) -> Vec<(f64, f64, f64)> {
        let sources = self.sources;
        let (alpha0, beta0) = prior(config);
        let mut alpha = vec![alpha0; sources];
        let mut beta = vec![beta0; sources];
        for observation in self
            .evidence
            .iter()
            .map(|&o| &self.observations[o as usize])
        {
            let p =
                confidence[self.value_starts.range(observation.item()).start + observation.value()];
            alpha[observation.source()] += observation.weight * p;
            beta[observation.source()] += observation.weight * (1.0 - p);
        }
        alpha
            .into_iter()
            .zip(beta)
            .map(|(a, b)| (posterior_mean(a, b, config), a, b))
            .collect()
    }

    /// Dong et al.'s Bayesian test per source pair: independent sources rarely state
    /// the same false value (both wrong, and wrong alike: (1−t₁)(1−t₂)/n), while a
    /// copier repeats whatever its origin said. Each shared value multiplies the odds
    /// of dependence by P(same | copying) / P(same | independent), weighted by how
    /// likely the value is true; each differing value by (1 − c).
    fn dependence(
        &self,
        trust: &[f64],
        confidence: &[f64],
        copying: Copying,
        config: &ScoreConfig,
    ) -> HashMap<(usize, usize), f64> {
        let copy = copying.probability;
        let prior_odds = (copying.prior / (1.0 - copying.prior)).ln();
        let n = config.false_values;
        self.pairs
            .par_iter()
            .filter_map(|pair| {
                let t1 = clamp_trust(trust[pair.sources.0]);
                let t2 = clamp_trust(trust[pair.sources.1]);
                let mean = (t1 + t2) / 2.0;
                let mut log_odds = prior_odds + pair.differing as f64 * (1.0 - copy).ln();
                for &(item, value) in &pair.shared {
                    let p = confidence[self.value_starts.range(item).start + value];
                    let independent = p * t1 * t2 + (1.0 - p) * (1.0 - t1) * (1.0 - t2) / n;
                    let copied =
                        (1.0 - copy) * independent + copy * (p * mean + (1.0 - p) * (1.0 - mean));
                    log_odds += (copied / independent).ln();
                }
                let probability = 1.0 / (1.0 + (-log_odds).exp());
                // Only pairs more likely dependent than not are discounted: on a
                // million observations nearly every pair sharing a value edges past
                // the prior, and looking all of them up on every vote cost 10× the
                // solve for discounts of a few percent.
                (probability > 0.5).then_some((pair.sources, probability))
            })
            .collect()
    }
}

/// The current dependence estimate: P(dependent) per source pair, and how each value's
/// providers count under it. Providers are taken in the order of their trust when the
/// estimate was made, and each later one counts only as far as it is not a copy of
/// one already counted (Dong et al.'s independence factor). Were the order taken from
/// the moving trust, two near-equal copiers would swap places every iteration and the
/// iteration would never settle; fixed, the order and the factors are worked out once
/// per estimate rather than on every pass.
#[derive(Default)]
struct Dependencies {
    pairs: HashMap<(usize, usize), f64>,
    /// For the providers of each value with two or more, at the value's place in the
    /// observations: the observation counted at each rank and its independence factor.
    arranged: Vec<(usize, f64)>,
}

impl Dependencies {
    fn new(
        observations: &[Observation],
        pairs: HashMap<(usize, usize), f64>,
        order: &[f64],
        copying: Copying,
    ) -> Self {
        if pairs.is_empty() {
            // No pair is discounted: votes are plain sums (see `value_confidence`).
            return Dependencies {
                pairs,
                arranged: Vec::new(),
            };
        }
        let mut arranged = vec![(0, 1.0); observations.len()];
        let mut first = 0;
        for providers in
            observations.chunk_by(|a, b| (a.item(), a.value()) == (b.item(), b.value()))
        {
            if providers.len() >= 2 {
                let mut ordered: Vec<usize> = (first..first + providers.len()).collect();
                ordered.sort_by(|&a, &b| {
                    let (a, b) = (observations[a].source(), observations[b].source());
                    order[b].total_cmp(&order[a]).then(a.cmp(&b))
                });
                for (rank, &observation) in ordered.iter().enumerate() {
                    let source = observations[observation].source();
                    let independence: f64 = ordered[..rank]
                        .iter()
                        .map(|&earlier| {
                            let key = ordered_pair(observations[earlier].source(), source);
                            1.0 - copying.probability * pairs.get(&key).copied().unwrap_or(0.0)
                        })
                        .product();
                    arranged[first + rank] = (observation, independence);
                }
            }
            first += providers.len();
        }
        Dependencies { pairs, arranged }
    }
}

/// The largest change in any pair's dependence between two estimates (a pair missing
/// from one counts as 0 there).
fn largest_change(old: &HashMap<(usize, usize), f64>, new: &HashMap<(usize, usize), f64>) -> f64 {
    let moved = |a: &HashMap<(usize, usize), f64>, b: &HashMap<(usize, usize), f64>| {
        a.iter()
            .map(|(pair, p)| (p - b.get(pair).copied().unwrap_or(0.0)).abs())
            .fold(0.0, f64::max)
    };
    moved(old, new).max(moved(new, old))
}

fn ordered_pair(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

/// Every pair of sources meeting on an item with at most `max_sources` sources (the
/// pairs grow quadratically, and a crowded item adds little copying evidence a pair
/// does not show elsewhere). Only pairs that share a value at least once are kept:
/// the others never co-provide a value, so their dependence could not discount one.
fn source_pairs(
    observations: &[Observation],
    by_item: &Starts,
    items: usize,
    max_sources: usize,
) -> Vec<PairEvidence> {
    // (pair, item, the shared value or NO_VALUE when the two differ there)
    const NO_VALUE: usize = usize::MAX;
    let mut events: Vec<((usize, usize), usize, usize)> = (0..items)
        .into_par_iter()
        .map(|item| by_item.range(item))
        .filter(|range| range.len() <= max_sources)
        .flat_map_iter(|range| {
            let item = &observations[range];
            (0..item.len()).flat_map(move |i| {
                (i + 1..item.len()).filter_map(move |j| {
                    let (a, b) = (&item[i], &item[j]);
                    (a.source() != b.source()).then(|| {
                        let shared = if a.value() == b.value() {
                            a.value()
                        } else {
                            NO_VALUE
                        };
                        (ordered_pair(a.source(), b.source()), a.item(), shared)
                    })
                })
            })
        })
        .collect();
    events.par_sort_unstable();
    events.dedup();
    events
        .chunk_by(|a, b| a.0 == b.0)
        .filter_map(|group| {
            let shared: Vec<(usize, usize)> = group
                .iter()
                .filter(|e| e.2 != NO_VALUE)
                .map(|e| (e.1, e.2))
                .collect();
            // A source stating two values of one item meets its partner there more
            // than once; the item counts once, as shared if any value is.
            let mut items_met: Vec<usize> = group.iter().map(|e| e.1).collect();
            items_met.dedup();
            let mut shared_items: Vec<usize> = shared.iter().map(|s| s.0).collect();
            shared_items.dedup();
            (!shared.is_empty()).then(|| PairEvidence {
                sources: group[0].0,
                differing: items_met.len() - shared_items.len(),
                shared,
            })
        })
        .collect()
}

/// One observation per (source, item, value), keeping the strongest: a re-crawled or
/// repeated statement is still one statement. Sorted by item, value, source.
fn deduplicate(mut sorted: Vec<Observation>) -> Vec<Observation> {
    sorted.par_sort_unstable_by(|a, b| {
        (a.item(), a.value(), a.source())
            .cmp(&(b.item(), b.value(), b.source()))
            .then(b.weight.total_cmp(&a.weight))
    });
    sorted.dedup_by(|later, kept| {
        (later.item(), later.value(), later.source()) == (kept.item(), kept.value(), kept.source())
    });
    sorted
}

/// Where each of a run of consecutive groups starts, in 32 bits: group i is
/// `range(i)` of what they group. Half of a `usize` start per group, and a quarter of
/// a `Range<usize>`.
#[derive(Debug, Clone)]
struct Starts(Vec<u32>);

impl Starts {
    /// The groups of `lengths`.
    fn of_lengths(lengths: impl IntoIterator<Item = usize>) -> Starts {
        let lengths = lengths.into_iter();
        let mut starts = Vec::with_capacity(lengths.size_hint().0 + 1);
        starts.push(0);
        let mut end = 0;
        for length in lengths {
            end += length;
            starts.push(u32::try_from(end).expect("fewer than 2^32 grouped elements"));
        }
        Starts(starts)
    }

    /// Each of `keys` keys' group in `sorted`, sorted by key; empty for absent keys.
    /// Nothing at all is held when `sorted` is empty: implications are, on text runs.
    fn of_sorted<T>(sorted: &[T], keys: usize, key: impl Fn(&T) -> usize) -> Starts {
        if sorted.is_empty() {
            return Starts(Vec::new());
        }
        u32::try_from(sorted.len()).expect("fewer than 2^32 grouped elements");
        let mut starts = vec![0u32; keys + 1];
        for element in sorted {
            starts[key(element) + 1] += 1;
        }
        for group in 1..starts.len() {
            starts[group] += starts[group - 1];
        }
        Starts(starts)
    }

    fn range(&self, group: usize) -> Range<usize> {
        if self.0.is_empty() {
            return 0..0;
        }
        self.0[group] as usize..self.0[group + 1] as usize
    }

    /// How many elements the groups hold together.
    fn total(&self) -> usize {
        self.0.last().map_or(0, |&end| end as usize)
    }
}

fn clamp_trust(trust: f64) -> f64 {
    trust.clamp(TRUST_CLAMP, 1.0 - TRUST_CLAMP)
}

/// The vote of a source with this trust, before its observation's weight:
/// ln(n·t / (1 − t)).
pub fn vote_strength(trust: f64, false_values: f64) -> f64 {
    let t = clamp_trust(trust);
    (false_values * t / (1.0 - t)).ln()
}

/// How many of the n assumed false values nobody stated, for an item with `values`
/// observed ones: they compete with every observed value at a vote of 0.
pub fn unobserved_values(values: usize, false_values: f64) -> f64 {
    (false_values + 1.0 - values as f64).max(0.0)
}

/// Confidence of `votes[value]` given the summed votes of each observed value of one
/// item: a softmax against the other values and the unobserved ones.
pub fn confidence(votes: &[f64], value: usize, config: &ScoreConfig) -> f64 {
    let mut all = vec![0.0; votes.len()];
    confidences(votes, config, &mut all);
    all[value]
}

/// `confidence` of every value at once, into `out`: the rivals' exponentials are
/// summed once rather than once per value, which on items with many candidates (an
/// author list spelled twenty ways) turns a quadratic pass linear.
pub fn confidences(votes: &[f64], config: &ScoreConfig, out: &mut [f64]) {
    let unobserved = unobserved_values(votes.len(), config.false_values);
    let weight = config.contradiction_weight;
    // Every exponential is taken relative to the largest weighted vote, so large vote
    // totals never overflow: confidence = 1 / (1 + Σ exp(w·other − own) + u·exp(−own)).
    let top = votes.iter().map(|v| weight * v).fold(0.0, f64::max);
    // `out` first holds each value's pull on its rivals, then its confidence.
    for (slot, vote) in out.iter_mut().zip(votes) {
        *slot = (weight * vote - top).exp();
    }
    let total: f64 = out.iter().sum();
    // Σ exp(w·other − own) + u·exp(−own) = exp(top − own) · (rest + u·exp(−top)):
    // two exponentials per value, not three and a logarithm; this runs for every live
    // value on every iteration. `top` ≥ 0, so exp(−top) cannot overflow; exp(top − own)
    // can only for a value so far behind that its confidence is 0 either way.
    let unseen = unobserved * (-top).exp();
    for (slot, &own) in out.iter_mut().zip(votes) {
        let against = (total - *slot) + unseen;
        *slot = if against > 0.0 {
            1.0 / (1.0 + (top - own).exp() * against)
        } else {
            1.0
        };
    }
}

/// The Beta pseudo-counts (α₀, β₀) every source starts from.
pub fn prior(config: &ScoreConfig) -> (f64, f64) {
    (
        config.prior_strength * config.prior_trust,
        config.prior_strength * (1.0 - config.prior_trust),
    )
}

/// Posterior mean trust of Beta(α, β); the prior trust when there is neither prior
/// nor evidence.
pub fn posterior_mean(alpha: f64, beta: f64, config: &ScoreConfig) -> f64 {
    if alpha + beta > 0.0 {
        alpha / (alpha + beta)
    } else {
        config.prior_trust
    }
}

/// `interval` of each source's (_, α, β). Each is an iterative search, and long-tail
/// sources share their parameters (every source with nothing checkable has the
/// prior's), so each distinct pair is computed once.
fn intervals(evidence: &[(f64, f64, f64)], coverage: f64) -> Vec<(f64, f64)> {
    let key = |&(_, alpha, beta): &(f64, f64, f64)| (alpha.to_bits(), beta.to_bits());
    let mut distinct: Vec<(u64, u64)> = evidence.iter().map(key).collect();
    distinct.par_sort_unstable();
    distinct.dedup();
    let computed: Vec<(f64, f64)> = distinct
        .par_iter()
        .map(|&(alpha, beta)| interval(f64::from_bits(alpha), f64::from_bits(beta), coverage))
        .collect();
    evidence
        .iter()
        .map(|e| {
            computed[distinct
                .binary_search(&key(e))
                .expect("every pair is listed")]
        })
        .collect()
}

/// Central interval of Beta(alpha, beta) with the given coverage; the whole of [0, 1]
/// when there is no evidence and no prior.
fn interval(alpha: f64, beta: f64, coverage: f64) -> (f64, f64) {
    let Ok(distribution) = Beta::new(alpha, beta) else {
        return (0.0, 1.0);
    };
    let tail = (1.0 - coverage) / 2.0;
    (
        distribution.inverse_cdf(tail),
        distribution.inverse_cdf(1.0 - tail),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn observation(source: usize, item: usize, value: usize) -> Observation {
        Observation::new(source, item, value, source, 1.0)
    }

    #[test]
    fn starts_group_sorted_elements_by_key() {
        let sorted = [1, 1, 3, 3, 3];
        let starts = Starts::of_sorted(&sorted, 5, |&key| key);
        let groups: Vec<_> = (0..5).map(|key| starts.range(key)).collect();
        assert_eq!(groups, [0..0, 0..2, 2..2, 2..5, 5..5]);
        assert_eq!(starts.total(), 5);
        let lengths = Starts::of_lengths([2, 0, 1]);
        assert_eq!(
            [lengths.range(0), lengths.range(1), lengths.range(2)],
            [0..2, 2..2, 2..3]
        );
        assert_eq!(lengths.total(), 3);
        let nothing = Starts::of_sorted(&[] as &[usize], 1_000_000, |&key| key);
        assert!(
            nothing.0.is_empty(),
            "no group is held when nothing is grouped"
        );
        assert_eq!(nothing.range(999_999), 0..0);
    }

    fn config() -> ScoreConfig {
        Config::builtin().score
    }

    #[test]
    fn majority_of_reliable_sources_wins_and_liar_loses_trust() {
        // Sources 0-2 agree on every item; source 3 contradicts them on every item.
        let mut observations = Vec::new();
        for item in 0..6 {
            for source in 0..3 {
                observations.push(observation(source, item, 0));
            }
            observations.push(observation(3, item, 1));
        }
        let problem = Problem {
            sources: 4,
            item_values: vec![2; 6],
            observations,
            implications: Vec::new(),
        };
        let solution = solve(problem, &config(), Copying::OFF);
        assert!(solution.converged);
        assert!(solution.values(0)[0] > 0.9, "{:?}", solution.values(0));
        assert!(solution.trust[3].score < 0.35, "{:?}", solution.trust[3]);
        assert!(solution.trust[0].score > 0.8, "{:?}", solution.trust[0]);
        for trust in &solution.trust {
            assert!(trust.low <= trust.score && trust.score <= trust.high);
        }
    }

    #[test]
    fn uncorroborated_claims_keep_the_prior() {
        let problem = Problem {
            sources: 1,
            item_values: vec![1],
            observations: vec![observation(0, 0, 0)],
            implications: Vec::new(),
        };
        let solution = solve(problem, &config(), Copying::OFF);
        assert!((solution.trust[0].score - config().prior_trust).abs() < 1e-9);
        assert_eq!(solution.trust[0].checkable, 0);
        assert!((solution.values(0)[0] - config().prior_trust).abs() < 1e-9);
    }

    #[test]
    fn interval_narrows_with_evidence() {
        let build = |items: usize| {
            let mut observations = Vec::new();
            for item in 0..items {
                observations.push(observation(0, item, 0));
                observations.push(observation(1, item, 0));
            }
            solve(
                Problem {
                    sources: 2,
                    item_values: vec![1; items],
                    observations,
                    implications: Vec::new(),
                },
                &config(),
                Copying::OFF,
            )
        };
        let few = build(3).trust[0];
        let many = build(300).trust[0];
        assert!(
            few.high - few.low > 2.0 * (many.high - many.low),
            "{few:?} {many:?}"
        );
    }

    #[test]
    fn one_voice_is_not_corroboration() {
        // Two sources with the same voice (copies) on every item: not checkable.
        let observations = (0..4)
            .flat_map(|item| {
                (0..2).map(move |source| Observation {
                    voice: 7,
                    ..observation(source, item, 0)
                })
            })
            .collect();
        let solution = solve(
            Problem {
                sources: 2,
                item_values: vec![1; 4],
                observations,
                implications: Vec::new(),
            },
            &config(),
            Copying::OFF,
        );
        assert_eq!(solution.trust[0].checkable, 0);
        assert!((solution.trust[0].score - config().prior_trust).abs() < 1e-9);
    }

    #[test]
    fn repeated_statements_count_once() {
        let once = Problem {
            sources: 2,
            item_values: vec![2],
            observations: vec![observation(0, 0, 0), observation(1, 0, 1)],
            implications: Vec::new(),
        };
        let mut repeated = once.clone();
        repeated.observations.push(observation(0, 0, 0));
        repeated.observations.push(observation(0, 0, 0));
        let (a, b) = (
            solve(once, &config(), Copying::OFF),
            solve(repeated, &config(), Copying::OFF),
        );
        assert_eq!(a.confidence, b.confidence);
    }

    #[test]
    fn confidences_match_the_softmax_against_rivals_and_unseen_values() {
        // Three observed values of an item with n = 3 false values: one unobserved.
        let votes = [2.0, 0.5, -1.0];
        for weight in [0.0, 1.0, 2.5] {
            let config = ScoreConfig {
                contradiction_weight: weight,
                ..config()
            };
            let mut all = [0.0; 3];
            confidences(&votes, &config, &mut all);
            for (value, &own) in votes.iter().enumerate() {
                let rivals: f64 = (0..3)
                    .filter(|&w| w != value)
                    .map(|w| (weight * votes[w] - own).exp())
                    .sum();
                let expected = 1.0 / (1.0 + rivals + (-own).exp());
                assert!((all[value] - expected).abs() < 1e-12, "{weight} {value}");
            }
        }
        // A value whose rival is thousands of votes ahead is simply 0, never NaN.
        let mut lopsided = [0.0; 2];
        confidences(&[5000.0, -3.0], &config(), &mut lopsided);
        assert_eq!(lopsided[1], 0.0);
        assert!((lopsided[0] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn confidences_stay_in_unit_interval_under_huge_votes() {
        let observations = (0..5000)
            .map(|source| observation(source, 0, source % 2))
            .collect();
        let solution = solve(
            Problem {
                sources: 5000,
                item_values: vec![2],
                observations,
                implications: Vec::new(),
            },
            &config(),
            Copying::OFF,
        );
        for p in solution.values(0) {
            assert!(p.is_finite() && (0.0..=1.0).contains(p), "{p}");
        }
    }

    #[test]
    fn a_source_with_one_claim_is_shrunk_towards_the_prior() {
        // Source 0 is alone against three agreeing sources on one item; source 4 is
        // wrong on ten items. The one-claim source keeps more of the prior.
        let mut observations = Vec::new();
        for item in 0..10 {
            for source in 1..4 {
                observations.push(observation(source, item, 0));
            }
            observations.push(observation(4, item, 1));
        }
        observations.push(observation(0, 0, 1));
        let solution = solve(
            Problem {
                sources: 5,
                item_values: vec![2; 10],
                observations,
                implications: Vec::new(),
            },
            &config(),
            Copying::OFF,
        );
        let (one, many) = (solution.trust[0], solution.trust[4]);
        assert!(one.score > many.score + 0.2, "{one:?} {many:?}");
        assert!(
            one.high - one.low > 1.5 * (many.high - many.low),
            "{one:?} {many:?}"
        );
    }

    #[test]
    fn implication_lets_near_duplicates_pool_their_votes() {
        // Values 0 and 1 are near-equal spellings (two sources each); value 2 has three
        // sources. Alone, 2 leads; with implication, 0 and 1 lend each other support.
        let observations = vec![
            observation(0, 0, 0),
            observation(1, 0, 0),
            observation(2, 0, 1),
            observation(3, 0, 1),
            observation(4, 0, 2),
            observation(5, 0, 2),
            observation(6, 0, 2),
        ];
        let mut problem = Problem {
            sources: 7,
            item_values: vec![3],
            observations,
            implications: Vec::new(),
        };
        let plain = solve(problem.clone(), &config(), Copying::OFF);
        assert!(plain.values(0)[2] > plain.values(0)[0]);
        problem.implications = [(0, 1), (1, 0)]
            .map(|(from, to)| Implication {
                item: 0,
                from,
                to,
                strength: 0.9,
            })
            .to_vec();
        let pooled = solve(problem, &config(), Copying::OFF);
        assert!(
            pooled.values(0)[0] > pooled.values(0)[2],
            "{:?}",
            pooled.values(0)
        );
    }

    #[test]
    fn sources_sharing_false_values_are_found_copying_and_discounted() {
        // Sources 0-2 are independent and always right. Sources 3 and 4 are right on
        // half the items and state the same wrong value on the other half: copying.
        // On the last item they alone state value 1 against source 0.
        let mut observations = Vec::new();
        for item in 0..12 {
            for source in 0..3 {
                observations.push(observation(source, item, 0));
            }
            let value = usize::from(item % 2 == 0);
            observations.push(observation(3, item, value));
            observations.push(observation(4, item, value));
        }
        observations.extend([
            observation(0, 12, 0),
            observation(3, 12, 1),
            observation(4, 12, 1),
        ]);
        let problem = Problem {
            sources: 5,
            item_values: vec![2; 13],
            observations,
            implications: Vec::new(),
        };
        let copying = Config::builtin().facts.copying();
        let solution = solve(problem.clone(), &config(), copying);
        let pairs: Vec<(usize, usize)> = solution
            .dependent
            .iter()
            .map(|d| (d.first, d.second))
            .collect();
        assert_eq!(pairs, vec![(3, 4)], "{:?}", solution.dependent);
        // The pair's second voice is mostly a copy, so their value is less credible
        // than when both count in full.
        let independent = solve(problem, &config(), Copying::OFF);
        assert!(
            solution.values(12)[1] < independent.values(12)[1] - 0.05,
            "{:?} {:?}",
            solution.values(12),
            independent.values(12)
        );
    }
}
