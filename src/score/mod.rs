//! Stage 4: claim confidence and outlet trust from the agreement graph.
//!
//! The text pipeline and structured mode share one engine (`engine::solve`): here facts
//! become items, each fact's value groups become candidate values, outlets become
//! sources, and every claim becomes a weighted observation.

pub mod engine;

use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use crate::agreement::Agreement;
use crate::claims::Claims;
use crate::config::ScoreConfig;
pub use engine::{
    confidence, posterior_mean, prior, solve, unobserved_values, vote_strength, Copying,
    Dependence, Implication, Observation, Problem, Solution, Trust,
};

#[derive(Debug, Clone)]
pub struct Scores {
    /// Confidence of each claim's value within its fact.
    pub claim: Vec<f64>,
    /// Vote weight each claim carried (hedge × attribution × copy share).
    pub claim_weight: Vec<f64>,
    /// Confidence of each fact's leading value.
    pub fact: Vec<f64>,
    /// Index of each fact's leading value (ties go to the first group), in 32 bits as
    /// values are numbered in `Agreement`.
    pub fact_value: Vec<u32>,
    pub outlet: Vec<Trust>,
    pub iterations: usize,
    pub converged: bool,
}

/// `claim_outlet` gives each claim's outlet index; `outlets` is their count.
pub fn score_claims(
    claims: &Claims,
    claim_outlet: &[u32],
    outlets: usize,
    agreement: &Agreement,
    config: &ScoreConfig,
) -> Scores {
    let claim_weight = claim_weights(claims, claim_outlet, agreement, config);
    let observations = (0..claims.len())
        .into_par_iter()
        .map(|claim| {
            Observation::new(
                claim_outlet[claim] as usize,
                agreement.fact_of(claim),
                agreement.value_of(claim),
                agreement.voice_of(claim),
                claim_weight[claim],
            )
        })
        .collect();
    let problem = Problem {
        sources: outlets,
        item_values: (0..agreement.facts.len())
            .into_par_iter()
            .map(|fact| agreement.facts.value_count(fact))
            .collect(),
        observations,
        implications: Vec::new(),
    };
    // Copies are found in the text (shared wording, cited origins) and already merged
    // into voices; value coincidences across a handful of facts would only add noise.
    let solution = solve(problem, config, Copying::OFF);
    let claim = (0..claims.len())
        .into_par_iter()
        .map(|c| solution.values(agreement.fact_of(c))[agreement.value_of(c)])
        .collect();
    let fact_value: Vec<u32> = (0..agreement.facts.len())
        .into_par_iter()
        .map(|fact| {
            let values = solution.values(fact);
            let mut best = 0;
            for (index, p) in values.iter().enumerate() {
                if *p > values[best] {
                    best = index;
                }
            }
            best as u32
        })
        .collect();
    let fact = fact_value
        .par_iter()
        .enumerate()
        .map(|(fact, &v)| solution.values(fact)[v as usize])
        .collect();
    Scores {
        claim,
        claim_weight,
        fact,
        fact_value,
        outlet: solution.trust,
        iterations: solution.iterations,
        converged: solution.converged,
    }
}

/// Hedged and attributed claims vote with reduced weight; the outlets sharing one voice
/// on one value split one vote (plus `copy_weight` for each extra copy).
fn claim_weights(
    claims: &Claims,
    claim_outlet: &[u32],
    agreement: &Agreement,
    config: &ScoreConfig,
) -> Vec<f64> {
    // Counted within each fact's value groups, which agreement has already formed:
    // sorting every claim on (fact, value, voice, outlet) was the score stage's largest
    // step on large runs, and a hash map with a vector per voice before it was serial.
    // Each claim is in exactly one value group, so each slot is written once.
    let sharing: Vec<AtomicU32> = (0..claims.len()).map(|_| AtomicU32::new(0)).collect();
    (0..agreement.facts.len())
        .into_par_iter()
        .for_each_init(Vec::new, |speakers, fact| {
            for group in agreement.facts.values(fact) {
                speakers.clear();
                speakers.extend(group.iter().map(|&claim| {
                    let claim = claim as usize;
                    (agreement.voice_of(claim), claim_outlet[claim], claim)
                }));
                speakers.sort_unstable();
                for voice in speakers.chunk_by(|a, b| a.0 == b.0) {
                    let outlets = 1 + voice
                        .windows(2)
                        .filter(|pair| pair[0].1 != pair[1].1)
                        .count();
                    for &(_, _, claim) in voice {
                        sharing[claim].store(outlets as u32, Ordering::Relaxed);
                    }
                }
            }
        });
    claims
        .par_iter()
        .zip(sharing.into_par_iter())
        .map(|(claim, sharing)| {
            vote_weight(
                sharing.into_inner() as usize,
                claim.hedged,
                claim.attribution.is_some(),
                config,
            )
            .product()
        })
        .collect()
}

/// The factors of one claim's vote weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VoteWeight {
    /// Its outlet's share of a voice that `sharing` outlets speak with on one value:
    /// (1 + copy_weight·(sharing − 1)) / sharing.
    pub share: f64,
    pub hedge: f64,
    pub attribution: f64,
}

impl VoteWeight {
    pub fn product(self) -> f64 {
        self.share * self.hedge * self.attribution
    }
}

pub fn vote_weight(
    sharing: usize,
    hedged: bool,
    attributed: bool,
    config: &ScoreConfig,
) -> VoteWeight {
    let sharing = sharing.max(1) as f64;
    VoteWeight {
        share: (1.0 + config.copy_weight * (sharing - 1.0)) / sharing,
        hedge: if hedged { config.hedge_weight } else { 1.0 },
        attribution: if attributed {
            config.attribution_weight
        } else {
            1.0
        },
    }
}
