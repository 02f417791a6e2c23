//! Stance of an article towards a claim: does it agree, disagree, discuss the claim
//! without taking a side, or speak of something else?
//!
//! Not a separate model of language: the article and the claim are read by the claim
//! extractor, compared clause by clause with the agreement stage's comparison, and the
//! resulting features (`features`) are weighed by a small model trained on labelled
//! pairs and shipped under `config/` (`model`, `[stance] model`).

mod features;
mod model;
pub mod pairs;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::config::Config;
pub use features::{ArticleView, Features, Reader, FEATURE_COUNT, FEATURE_NAMES};
pub use model::StanceModel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stance {
    /// The article supports the claim.
    Agree,
    /// It contradicts or debunks the claim.
    Disagree,
    /// It reports the claim without taking a side: hedged, attributed, unverified.
    Discuss,
    /// It is about something else.
    Unrelated,
}

impl Stance {
    pub const ALL: [Stance; 4] = [
        Stance::Agree,
        Stance::Disagree,
        Stance::Discuss,
        Stance::Unrelated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Agree => "agree",
            Stance::Disagree => "disagree",
            Stance::Discuss => "discuss",
            Stance::Unrelated => "unrelated",
        }
    }

    pub fn parse(name: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// The stance of one article towards one claim. `model` is `config.stance_model()`.
pub fn classify(claim: &str, text: &str, config: &Config, model: &StanceModel) -> Stance {
    classify_batch(&[(claim, text)], config, model)[0]
}

/// The stance of each (claim, article text) pair, in order. Each distinct text is read
/// once however many claims it is paired with; pairs run in parallel on the current
/// rayon pool and the result does not depend on the thread count.
pub fn classify_batch(pairs: &[(&str, &str)], config: &Config, model: &StanceModel) -> Vec<Stance> {
    features_batch(pairs, config)
        .iter()
        .map(|features| model.predict(features))
        .collect()
}

/// The features of each pair, in order (see `classify_batch`).
pub fn features_batch(pairs: &[(&str, &str)], config: &Config) -> Vec<Features> {
    let reader = Reader::new(config);
    let mut text_index: HashMap<&str, usize> = HashMap::new();
    let mut texts: Vec<&str> = Vec::new();
    let pair_text: Vec<usize> = pairs
        .iter()
        .map(|&(_, text)| {
            *text_index.entry(text).or_insert_with(|| {
                texts.push(text);
                texts.len() - 1
            })
        })
        .collect();
    let articles: Vec<ArticleView> = texts
        .par_iter()
        .map(|text| ArticleView::read(&reader, text))
        .collect();
    pairs
        .par_iter()
        .zip(pair_text)
        .map(|(&(claim, _), text)| features::features(&reader, claim, &articles[text], config))
        .collect()
}
