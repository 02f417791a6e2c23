//! Stage 4: claim confidence and outlet trust from the agreement graph.
//!
//! The text pipeline and structured mode share one engine (`engine::solve`): here facts
//! become items, each fact's value groups become candidate values, outlets become
//! sources, and every claim becomes a weighted observation.

pub mod engine;

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
            .map(|fact| agreement.facts.value_count(fact))
            .collect(),
        observations,
        implications: Vec::new(),
    };
    // Copies are found in the text (shared wording, cited origins) and already merged
    // into voices; value coincidences across a handful of facts would only add noise.
    let solution = solve(problem, config, Copying::OFF);
    let claim = (0..claims.len())
        .map(|c| solution.values(agreement.fact_of(c))[agreement.value_of(c)])
        .collect();
    let fact_value: Vec<u32> = (0..agreement.facts.len())
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
        .iter()
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
    // Claims grouped by sorting on (fact, value, voice, outlet): a hash map with a vector
    // per voice was the score stage's largest serial step on large runs.
    let voice = |claim: usize| {
        (
            agreement.fact_of(claim),
            agreement.value_of(claim),
            agreement.voice_of(claim),
        )
    };
    let mut by_voice: Vec<usize> = (0..claims.len()).collect();
    by_voice.par_sort_unstable_by_key(|&claim| (voice(claim), claim_outlet[claim]));
    // How many outlets speak with each claim's voice on its value.
    let mut sharing = vec![0; claims.len()];
    for group in by_voice.chunk_by(|&a, &b| voice(a) == voice(b)) {
        let outlets = 1 + group
            .windows(2)
            .filter(|pair| claim_outlet[pair[0]] != claim_outlet[pair[1]])
            .count();
        for &claim in group {
            sharing[claim] = outlets;
        }
    }
    claims
        .par_iter()
        .zip(sharing)
        .map(|(claim, sharing)| {
            vote_weight(sharing, claim.hedged, claim.attribution.is_some(), config).product()
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
