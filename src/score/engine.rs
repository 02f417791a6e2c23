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
//! Only items that at least two voices speak to inform trust: a fact nobody else
//! reported says nothing about whether its source is right.

use rayon::prelude::*;
use statrs::distribution::{Beta, ContinuousCDF};

use crate::config::ScoreConfig;

/// One source stating one value for one item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    pub source: usize,
    pub item: usize,
    pub value: usize,
    /// Sources sharing a voice (copies, one origin) are one witness.
    pub voice: usize,
    /// Vote weight in [0, 1]: hedges, attribution and copies lower it.
    pub weight: f64,
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub sources: usize,
    /// Number of candidate values of each item.
    pub item_values: Vec<usize>,
    pub observations: Vec<Observation>,
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

#[derive(Debug, Clone)]
pub struct Solution {
    pub trust: Vec<Trust>,
    /// Confidence of each candidate value, per item.
    pub confidence: Vec<Vec<f64>>,
    pub iterations: usize,
    pub converged: bool,
}

/// Trust is kept away from 0 and 1, where the vote strength is infinite.
const TRUST_CLAMP: f64 = 1e-3;

pub fn solve(problem: &Problem, config: &ScoreConfig) -> Solution {
    let observations = deduplicate(&problem.observations);
    let by_item = item_ranges(&observations, problem.item_values.len());
    let informative: Vec<bool> = by_item
        .iter()
        .map(|range| {
            let mut voices: Vec<usize> = observations[range.clone()]
                .iter()
                .map(|o| o.voice)
                .collect();
            voices.sort_unstable();
            voices.dedup();
            voices.len() >= 2
        })
        .collect();

    let mut trust = vec![config.prior_trust; problem.sources];
    let mut confidence = value_confidence(problem, &observations, &by_item, &trust, config);
    let mut iterations = 0;
    let mut converged = false;
    while iterations < config.max_iterations {
        iterations += 1;
        let updated = update_trust(
            problem.sources,
            &observations,
            &informative,
            &confidence,
            config,
        );
        let change = updated
            .iter()
            .zip(&trust)
            .map(|(new, old)| (new.0 - old).abs())
            .fold(0.0, f64::max);
        trust = updated.iter().map(|t| t.0).collect();
        confidence = value_confidence(problem, &observations, &by_item, &trust, config);
        if change < config.tolerance {
            converged = true;
            break;
        }
    }
    let evidence = update_trust(
        problem.sources,
        &observations,
        &informative,
        &confidence,
        config,
    );
    let mut checkable = vec![0; problem.sources];
    for observation in &observations {
        if informative[observation.item] {
            checkable[observation.source] += 1;
        }
    }
    let trust = evidence
        .iter()
        .zip(checkable)
        .map(|(&(score, alpha, beta), checkable)| {
            let (low, high) = interval(alpha, beta, config.interval);
            Trust {
                score,
                low,
                high,
                checkable,
            }
        })
        .collect();
    Solution {
        trust,
        confidence,
        iterations,
        converged,
    }
}

/// One observation per (source, item, value), keeping the strongest: a re-crawled or
/// repeated statement is still one statement. Sorted by item, value, source.
fn deduplicate(observations: &[Observation]) -> Vec<Observation> {
    let mut sorted = observations.to_vec();
    sorted.sort_by(|a, b| {
        (a.item, a.value, a.source)
            .cmp(&(b.item, b.value, b.source))
            .then(b.weight.total_cmp(&a.weight))
    });
    sorted.dedup_by(|later, kept| {
        (later.item, later.value, later.source) == (kept.item, kept.value, kept.source)
    });
    sorted
}

fn item_ranges(sorted: &[Observation], items: usize) -> Vec<std::ops::Range<usize>> {
    let mut ranges = vec![0..0; items];
    let mut start = 0;
    while start < sorted.len() {
        let item = sorted[start].item;
        let end = start
            + sorted[start..]
                .iter()
                .take_while(|o| o.item == item)
                .count();
        ranges[item] = start..end;
        start = end;
    }
    ranges
}

/// The vote of a source with this trust, before its observation's weight:
/// ln(n·t / (1 − t)).
pub fn vote_strength(trust: f64, false_values: f64) -> f64 {
    let t = trust.clamp(TRUST_CLAMP, 1.0 - TRUST_CLAMP);
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
    let unobserved = unobserved_values(votes.len(), config.false_values);
    // Softmax written as 1 / (1 + Σ exp(other − own)) so large vote totals never
    // overflow.
    let rivals: f64 = (0..votes.len())
        .filter(|&w| w != value)
        .map(|w| (config.contradiction_weight * votes[w] - votes[value]).exp())
        .sum();
    1.0 / (1.0 + rivals + unobserved * (-votes[value]).exp())
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

fn value_confidence(
    problem: &Problem,
    observations: &[Observation],
    by_item: &[std::ops::Range<usize>],
    trust: &[f64],
    config: &ScoreConfig,
) -> Vec<Vec<f64>> {
    (0..problem.item_values.len())
        .into_par_iter()
        .map(|item| {
            let values = problem.item_values[item];
            let mut votes = vec![0.0; values];
            for observation in &observations[by_item[item].clone()] {
                votes[observation.value] += observation.weight
                    * vote_strength(trust[observation.source], config.false_values);
            }
            (0..values).map(|v| confidence(&votes, v, config)).collect()
        })
        .collect()
}

/// Posterior mean trust per source, with its Beta parameters.
fn update_trust(
    sources: usize,
    observations: &[Observation],
    informative: &[bool],
    confidence: &[Vec<f64>],
    config: &ScoreConfig,
) -> Vec<(f64, f64, f64)> {
    let (alpha0, beta0) = prior(config);
    let mut alpha = vec![alpha0; sources];
    let mut beta = vec![beta0; sources];
    for observation in observations.iter().filter(|o| informative[o.item]) {
        let p = confidence[observation.item][observation.value];
        alpha[observation.source] += observation.weight * p;
        beta[observation.source] += observation.weight * (1.0 - p);
    }
    alpha
        .into_iter()
        .zip(beta)
        .map(|(a, b)| (posterior_mean(a, b, config), a, b))
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
        Observation {
            source,
            item,
            value,
            voice: source,
            weight: 1.0,
        }
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
        };
        let solution = solve(&problem, &config());
        assert!(solution.converged);
        assert!(
            solution.confidence[0][0] > 0.9,
            "{:?}",
            solution.confidence[0]
        );
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
        };
        let solution = solve(&problem, &config());
        assert!((solution.trust[0].score - config().prior_trust).abs() < 1e-9);
        assert_eq!(solution.trust[0].checkable, 0);
        assert!((solution.confidence[0][0] - config().prior_trust).abs() < 1e-9);
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
                &Problem {
                    sources: 2,
                    item_values: vec![1; items],
                    observations,
                },
                &config(),
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
            &Problem {
                sources: 2,
                item_values: vec![1; 4],
                observations,
            },
            &config(),
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
        };
        let mut repeated = once.clone();
        repeated.observations.push(observation(0, 0, 0));
        repeated.observations.push(observation(0, 0, 0));
        let (a, b) = (solve(&once, &config()), solve(&repeated, &config()));
        assert_eq!(a.confidence, b.confidence);
    }

    #[test]
    fn confidences_stay_in_unit_interval_under_huge_votes() {
        let observations = (0..5000)
            .map(|source| observation(source, 0, source % 2))
            .collect();
        let solution = solve(
            &Problem {
                sources: 5000,
                item_values: vec![2],
                observations,
            },
            &config(),
        );
        for p in &solution.confidence[0] {
            assert!(p.is_finite() && (0.0..=1.0).contains(p), "{p}");
        }
    }
}
