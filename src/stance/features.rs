//! Features of a (claim, article) pair: how much of the claim the article speaks to,
//! and how the passages closest to the claim speak of it.
//!
//! Everything is read with the pipeline's own machinery: the tokenizer's folding and
//! stems, the claim extractor's names, typed values and cues (negations, denials,
//! hedges, attribution), and the agreement stage's comparison of two claims. Four
//! lexicons of its own (`[stance]` refutes, doubts, reversals, retellings) are read per
//! sentence through the claim extractor's cue matcher, so they never change what
//! `credence run` extracts. `credence stance --features` writes these numbers, so a
//! model trained on them sees exactly what `classify` sees.

use std::collections::HashSet;

use xxhash_rust::xxh3::xxh3_64;

use crate::agreement::{compare, compare_values, entity_similarity, set_similarity, Relation};
use crate::claims::{
    capitalized_inside_sentences, term_keys, Claim, ClaimExtractor, CueKind, CueMatcher, Polarity,
    Reading, Worded, Wording, Words,
};
use crate::config::Config;
use crate::id::ClaimId;
use crate::tokenize::{Doc, Shape};

/// Feature names, in the order `Features` holds them; a model file names the same list.
pub const FEATURE_NAMES: &[&str] = &[
    // Does the article speak to the claim at all?
    "key_recall",
    "lead_recall",
    "entity_recall",
    "bigram_recall",
    "best_similarity",
    "top_similarity",
    "matched_share",
    "best_match",
    // How the claim itself is put.
    "claim_denial",
    "claim_debunk",
    "claim_negation",
    "claim_hedge",
    "claim_question",
    "claim_attribution",
    "claim_values",
    "claim_refute",
    "claim_doubt",
    "claim_reversal",
    "claim_retelling",
    // How the clauses closest to the claim speak.
    "near_denial",
    "near_debunk",
    "near_negation",
    "near_hedge",
    "near_attribution",
    "near_question",
    "near_polarity_flip",
    "near_value_conflict",
    "near_value_agree",
    "near_supports",
    "near_contradicts",
    "near_refute",
    "near_doubt",
    "near_reversal",
    "near_retelling",
    // How the whole article speaks.
    "lead_denial",
    "lead_debunk",
    "lead_negation",
    "lead_hedge",
    "lead_refute",
    "lead_doubt",
    "lead_reversal",
    "lead_retelling",
    "skeptic_mismatch",
    "article_denial",
    "article_debunk",
    "article_debunks",
    "article_negation",
    "article_hedge",
    "article_attribution",
    "article_question",
    "article_clauses",
    "article_refute",
    "article_doubt",
    "article_reversal",
    "article_retelling",
    "first_refute",
    "first_doubt",
    "first_reversal",
    "first_retelling",
];

pub const FEATURE_COUNT: usize = FEATURE_NAMES.len();

pub type Features = [f64; FEATURE_COUNT];

/// The cues of `credence stance`'s own lexicons, in the order of their features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StanceCue {
    /// The report is called wrong: "misinformation", "turned out", "not plausible".
    Refute,
    /// The report is put in doubt: "cast doubt", "not so sure", "unclear".
    Doubt,
    /// What was reported is undone or negated: "exits", "no longer", "won't".
    Reversal,
    /// A story about a story: "viral", "claims", "the report".
    Retelling,
}

/// Which `StanceCue`s a stretch of text holds, indexed by `StanceCue as usize`.
type CueSet = [bool; 4];

/// The claim extractor and the stance lexicons' matcher, built once for many pairs.
pub struct Reader<'c> {
    extractor: ClaimExtractor<'c>,
    cues: CueMatcher<StanceCue>,
}

impl<'c> Reader<'c> {
    pub fn new(config: &'c Config) -> Reader<'c> {
        let l = &config.lexicons;
        Reader {
            extractor: ClaimExtractor::new(config),
            cues: CueMatcher::from_lists(
                [
                    (&l.stance_refutes, StanceCue::Refute),
                    (&l.stance_doubts, StanceCue::Doubt),
                    (&l.stance_reversals, StanceCue::Reversal),
                    (&l.stance_retellings, StanceCue::Retelling),
                ],
                // "won't", "isn't": negated verbs undo a report as "not" does.
                Some(StanceCue::Reversal),
            ),
        }
    }

    /// The stance cues of each sentence of `doc`.
    fn sentence_cues(&self, doc: &Doc) -> Vec<CueSet> {
        doc.sentences
            .iter()
            .map(|sentence| {
                let mut set = [false; 4];
                for span in self
                    .cues
                    .find(&sentence.tokens, &vec![false; sentence.tokens.len()])
                {
                    set[span.kind as usize] = true;
                }
                set
            })
            .collect()
    }
}

/// An article read once for comparison with any number of claims.
pub struct ArticleView {
    clauses: Vec<Clause>,
    keys: HashSet<String>,
    /// Keys of the first `stance.lead_sentences` sentences, where news puts its point.
    lead_keys: HashSet<String>,
    bigrams: HashSet<u64>,
    entities: Vec<String>,
    /// Words the article capitalises mid-sentence: its names, used to read a headline
    /// written in title case.
    capitalized: HashSet<String>,
    /// The stance cues of each sentence.
    sentence_cues: Vec<CueSet>,
}

/// A claim with its own wording, as `compare` reads it.
struct WordedClaim {
    claim: Claim,
    term_keys: Vec<u64>,
    word_hashes: Vec<u32>,
}

impl WordedClaim {
    fn of(reading: Reading) -> WordedClaim {
        WordedClaim {
            term_keys: term_keys(&reading.terms),
            claim: reading.claim,
            word_hashes: reading.word_hashes,
        }
    }

    fn worded(&self) -> Worded<'_> {
        Worded::new(
            &self.claim,
            Wording {
                terms: &self.term_keys,
                words: &self.word_hashes,
            },
        )
    }
}

struct Clause {
    /// Within the first `stance.lead_sentences` sentences.
    lead: bool,
    /// Index of its sentence.
    sentence: usize,
    said: WordedClaim,
    cues: Vec<CueKind>,
    question: bool,
    keys: Vec<String>,
}

impl Clause {
    fn has(&self, kind: CueKind) -> bool {
        self.cues.contains(&kind)
    }

    fn attributed(&self) -> bool {
        self.said.claim.attribution.is_some() || self.has(CueKind::Attribution)
    }
}

impl ArticleView {
    pub fn read(reader: &Reader, text: &str) -> ArticleView {
        let extractor = &reader.extractor;
        let config = extractor.tokenizer().config();
        let doc = extractor.tokenizer().tokenize(text);
        let mut keys = HashSet::new();
        let mut lead_keys = HashSet::new();
        let mut entities = Vec::new();
        let clauses: Vec<Clause> = extractor
            .read_all(&doc, "")
            .into_iter()
            .map(|(sentence, reading)| {
                let clause_keys = claim_keys(extractor, &reading.claim, &reading.terms);
                let lead = sentence < config.stance.lead_sentences;
                if lead {
                    lead_keys.extend(clause_keys.iter().cloned());
                }
                keys.extend(clause_keys.iter().cloned());
                entities.extend(reading.claim.entities.iter().map(str::to_string));
                Clause {
                    lead,
                    sentence,
                    cues: reading.cues.clone(),
                    question: reading.question,
                    keys: clause_keys,
                    said: WordedClaim::of(reading),
                }
            })
            .collect();
        entities.sort();
        entities.dedup();
        ArticleView {
            clauses,
            keys,
            lead_keys,
            bigrams: bigrams(extractor, &doc).into_iter().collect(),
            entities,
            capitalized: capitalized_inside_sentences(&doc),
            sentence_cues: reader.sentence_cues(&doc),
        }
    }
}

/// The claim read as one statement: the union of what its clauses name and state.
struct Statement {
    said: WordedClaim,
    cues: Vec<CueKind>,
    /// The stance cues anywhere in the claim.
    stance_cues: CueSet,
    question: bool,
    keys: Vec<String>,
    bigrams: Vec<u64>,
}

impl Statement {
    fn read(reader: &Reader, text: &str, article: &ArticleView) -> Statement {
        let extractor = &reader.extractor;
        let tokenizer = extractor.tokenizer();
        let doc = tokenizer.tokenize(text);
        let doc = match recase_title(&doc, &article.capitalized) {
            Some(recased) => tokenizer.tokenize(&recased),
            None => doc,
        };
        let mut cues = Vec::new();
        let mut question = false;
        let (mut entities, mut terms): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
        let (mut values, mut word_hashes) = (Vec::new(), Vec::new());
        let (mut polarity, mut hedged, mut attribution) = (Polarity::Affirmed, false, None);
        for (_, reading) in extractor.read_all(&doc, "") {
            terms.extend(reading.terms.iter().map(str::to_string));
            word_hashes.extend(reading.word_hashes);
            let part = reading.claim;
            entities.extend(part.entities.iter().map(str::to_string));
            values.extend(part.values);
            if part.polarity == Polarity::Negated {
                polarity = Polarity::Negated;
            }
            hedged |= part.hedged;
            attribution = attribution.or(part.attribution);
            cues.extend(reading.cues);
            question |= reading.question;
        }
        let claim = Claim {
            id: ClaimId::default(),
            start: 0,
            end: doc.text.len(),
            entities: Words::new(entities),
            values: values.into(),
            polarity,
            hedged,
            attribution,
        };
        let terms = Words::new(terms);
        let keys = claim_keys(extractor, &claim, &terms);
        let mut claim_bigrams = bigrams(extractor, &doc);
        claim_bigrams.sort_unstable();
        claim_bigrams.dedup();
        let mut stance_cues = [false; 4];
        for set in reader.sentence_cues(&doc) {
            for (any, has) in stance_cues.iter_mut().zip(set) {
                *any |= has;
            }
        }
        Statement {
            said: WordedClaim {
                claim,
                term_keys: term_keys(&terms),
                word_hashes,
            },
            cues,
            stance_cues,
            question,
            keys,
            bigrams: claim_bigrams,
        }
    }
}

/// The features of one pair.
pub fn features(
    reader: &Reader,
    claim_text: &str,
    article: &ArticleView,
    config: &Config,
) -> Features {
    let statement = Statement::read(reader, claim_text, article);
    let recall = |keys: &HashSet<String>| {
        share(
            statement.keys.iter().filter(|k| keys.contains(*k)).count(),
            statement.keys.len(),
        )
    };
    let threshold = config.agreement.fuzzy_name_threshold;
    let entity_recall = share(
        statement
            .said
            .claim
            .entities
            .iter()
            .filter(|e| {
                entity_similarity([*e], article.entities.iter().map(String::as_str), threshold)
                    > 0.0
            })
            .count(),
        statement.said.claim.entities.len(),
    );
    let bigram_recall = share(
        statement
            .bigrams
            .iter()
            .filter(|b| article.bigrams.contains(b))
            .count(),
        statement.bigrams.len(),
    );

    let similarities: Vec<f64> = article
        .clauses
        .iter()
        .map(|clause| set_similarity(&statement.keys, &clause.keys))
        .collect();
    let relations: Vec<Option<(Relation, f64)>> = article
        .clauses
        .iter()
        .map(|clause| {
            compare(
                statement.said.worded(),
                clause.said.worded(),
                false,
                &config.agreement,
            )
        })
        .collect();
    // The clauses closest to the claim, most similar first (earliest on ties).
    let mut near: Vec<usize> = (0..article.clauses.len())
        .filter(|&i| similarities[i] > 0.0)
        .collect();
    near.sort_by(|&a, &b| similarities[b].total_cmp(&similarities[a]).then(a.cmp(&b)));
    near.truncate(config.stance.near_clauses);
    let k = config.stance.near_clauses as f64;
    let near_share =
        |test: &dyn Fn(usize) -> bool| share(near.iter().filter(|&&i| test(i)).count(), near.len());
    let article_share = |test: &dyn Fn(&Clause) -> bool| {
        share(
            article.clauses.iter().filter(|c| test(c)).count(),
            article.clauses.len(),
        )
    };
    let lead_share = |kind: CueKind| {
        share(
            article
                .clauses
                .iter()
                .filter(|c| c.lead && c.has(kind))
                .count(),
            article.clauses.iter().filter(|c| c.lead).count(),
        )
    };
    let debunks: usize = article
        .clauses
        .iter()
        .map(|c| c.cues.iter().filter(|&&k| k == CueKind::Debunk).count())
        .sum();
    let clause = |i: usize| &article.clauses[i];
    let values = |i: usize| {
        compare_values(
            &statement.said.claim.values,
            &clause(i).said.claim.values,
            config.agreement.number_tolerance,
        )
    };
    let has = |kind: CueKind| f64::from(u8::from(statement.cues.contains(&kind)));

    use StanceCue::{Doubt, Refute, Retelling, Reversal};
    let sentences = &article.sentence_cues;
    let lead_sentences = &sentences[..config.stance.lead_sentences.min(sentences.len())];
    let claim_cue = |cue: StanceCue| f64::from(u8::from(statement.stance_cues[cue as usize]));
    let near_cue = |cue: StanceCue| near_share(&|i| sentences[clause(i).sentence][cue as usize]);
    let cue_share = |cue: StanceCue, within: &[CueSet]| {
        share(
            within.iter().filter(|s| s[cue as usize]).count(),
            within.len(),
        )
    };
    // Where the first sentence with the cue stands, 0 (the opening) .. 1 (none).
    let first_cue = |cue: StanceCue| {
        sentences
            .iter()
            .position(|s| s[cue as usize])
            .map_or(1.0, |i| i as f64 / sentences.len() as f64)
    };
    // A claim and an article lead that differ in whether they doubt, deny or negate
    // ("Bale to play Jobs" against "Bale will not play Jobs") disagree, while two that
    // both doubt, or neither, agree or discuss.
    let skeptical = |set: &CueSet| [Refute, Doubt, Reversal].iter().any(|&c| set[c as usize]);
    let negating = |cues: &[CueKind]| {
        cues.iter()
            .any(|k| matches!(k, CueKind::Negation | CueKind::Denial | CueKind::Debunk))
    };
    let claim_skeptical = skeptical(&statement.stance_cues) || negating(&statement.cues);
    let lead_skeptical = lead_sentences.iter().any(skeptical)
        || article.clauses.iter().any(|c| c.lead && negating(&c.cues));

    [
        recall(&article.keys),
        recall(&article.lead_keys),
        entity_recall,
        bigram_recall,
        similarities.iter().copied().fold(0.0, f64::max),
        near.iter().map(|&i| similarities[i]).sum::<f64>() / k,
        share(
            relations.iter().filter(|r| r.is_some()).count(),
            relations.len(),
        ),
        relations
            .iter()
            .flatten()
            .map(|&(_, s)| s)
            .fold(0.0, f64::max),
        has(CueKind::Denial),
        has(CueKind::Debunk),
        has(CueKind::Negation),
        has(CueKind::Hedge),
        f64::from(u8::from(statement.question)),
        f64::from(u8::from(
            statement.said.claim.attribution.is_some()
                || statement.cues.contains(&CueKind::Attribution),
        )),
        f64::from(u8::from(!statement.said.claim.values.is_empty())),
        claim_cue(Refute),
        claim_cue(Doubt),
        claim_cue(Reversal),
        claim_cue(Retelling),
        near_share(&|i| clause(i).has(CueKind::Denial)),
        near_share(&|i| clause(i).has(CueKind::Debunk)),
        near_share(&|i| clause(i).has(CueKind::Negation)),
        near_share(&|i| clause(i).has(CueKind::Hedge)),
        near_share(&|i| clause(i).attributed()),
        near_share(&|i| clause(i).question),
        near_share(&|i| clause(i).said.claim.polarity != statement.said.claim.polarity),
        near_share(&|i| values(i).conflicting > 0),
        near_share(&|i| values(i).agreeing > 0),
        near_share(&|i| {
            matches!(
                relations[i],
                Some((Relation::Supports | Relation::Copies, _))
            )
        }),
        near_share(&|i| matches!(relations[i], Some((Relation::Contradicts, _)))),
        near_cue(Refute),
        near_cue(Doubt),
        near_cue(Reversal),
        near_cue(Retelling),
        lead_share(CueKind::Denial),
        lead_share(CueKind::Debunk),
        lead_share(CueKind::Negation),
        lead_share(CueKind::Hedge),
        cue_share(Refute, lead_sentences),
        cue_share(Doubt, lead_sentences),
        cue_share(Reversal, lead_sentences),
        cue_share(Retelling, lead_sentences),
        f64::from(u8::from(claim_skeptical != lead_skeptical)),
        article_share(&|c| c.has(CueKind::Denial)),
        article_share(&|c| c.has(CueKind::Debunk)),
        (1.0 + debunks as f64).ln(),
        article_share(&|c| c.has(CueKind::Negation)),
        article_share(&|c| c.has(CueKind::Hedge)),
        article_share(&|c| c.attributed()),
        article_share(&|c| c.question),
        (1.0 + article.clauses.len() as f64).ln(),
        cue_share(Refute, sentences),
        cue_share(Doubt, sentences),
        cue_share(Reversal, sentences),
        cue_share(Retelling, sentences),
        first_cue(Refute),
        first_cue(Doubt),
        first_cue(Reversal),
        first_cue(Retelling),
    ]
}

fn share(count: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 / total as f64
    }
}

/// What a claim is about, as comparable words: its stemmed key terms and the stemmed
/// words of its names, sorted.
fn claim_keys(extractor: &ClaimExtractor, claim: &Claim, terms: &Words) -> Vec<String> {
    let tokenizer = extractor.tokenizer();
    let mut keys: Vec<String> = claim
        .entities
        .iter()
        .flat_map(|entity| entity.split(' '))
        .filter(|word| word.chars().count() >= 2 && !tokenizer.is_stopword(word))
        .map(|word| tokenizer.stem(word))
        .chain(terms.iter().map(str::to_string))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Hashes of adjacent content-word stems within each sentence: word order, which key
/// sets lose ("police shot" is not "shot police" only in order, but a headline's
/// phrases reappear in its story).
fn bigrams(extractor: &ClaimExtractor, doc: &Doc) -> Vec<u64> {
    let tokenizer = extractor.tokenizer();
    let mut out = Vec::new();
    for sentence in &doc.sentences {
        let stems: Vec<String> = sentence
            .tokens
            .iter()
            .filter(|t| t.folded.chars().any(char::is_alphabetic))
            .filter(|t| !tokenizer.is_stopword(&t.folded))
            .map(|t| tokenizer.stem(&t.folded))
            .collect();
        out.extend(
            stems
                .windows(2)
                .map(|pair| xxh3_64(format!("{}\u{0}{}", pair[0], pair[1]).as_bytes())),
        );
    }
    out
}

/// A headline in title case ("Spider Burrowed Through Tourist's Stomach") capitalises
/// every word, so the extractor would read it as one long name. When at most a quarter
/// of its words after the first are lower case, the capitals of words the article does
/// not capitalise mid-sentence are dropped; `None` when the text is not title case.
fn recase_title(doc: &Doc, names: &HashSet<String>) -> Option<String> {
    const MAX_LOWER_SHARE: f64 = 0.25;
    let words: Vec<_> = doc
        .sentences
        .iter()
        .flat_map(|s| s.tokens.iter().skip(1))
        .filter(|t| matches!(t.shape, Shape::Capitalized | Shape::Lower))
        .collect();
    let capitalized = words
        .iter()
        .filter(|t| t.shape == Shape::Capitalized)
        .count();
    if capitalized < 2 || (words.len() - capitalized) as f64 > MAX_LOWER_SHARE * words.len() as f64
    {
        return None;
    }
    let mut text = doc.text.clone();
    for token in words.iter().rev() {
        if token.shape == Shape::Capitalized && !names.contains(&token.folded) {
            let word = &doc.text[token.start..token.end];
            let first = word
                .chars()
                .next()
                .expect("a capitalised word has a letter");
            let lowered: String = first.to_lowercase().collect();
            text.replace_range(token.start..token.start + first.len_utf8(), &lowered);
        }
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(claim: &str, article: &str, name: &str) -> f64 {
        let config = Config::builtin();
        let reader = Reader::new(&config);
        let view = ArticleView::read(&reader, article);
        let index = FEATURE_NAMES
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("no feature {name}"));
        features(&reader, claim, &view, &config)[index]
    }

    const CLAIM: &str = "Mayor Lena Ortiz signed the Kesterfield budget on Wednesday.";

    #[test]
    fn a_restatement_supports_and_a_denial_flips_polarity() {
        let restated =
            "Mayor Lena Ortiz signed the Kesterfield budget on Wednesday, her office said.";
        assert_eq!(feature(CLAIM, restated, "near_supports"), 1.0);
        assert_eq!(feature(CLAIM, restated, "near_polarity_flip"), 0.0);
        let denied = "Mayor Lena Ortiz did not sign the Kesterfield budget on Wednesday.";
        assert_eq!(feature(CLAIM, denied, "near_polarity_flip"), 1.0);
        assert_eq!(feature(CLAIM, denied, "near_contradicts"), 1.0);
        assert_eq!(feature(CLAIM, denied, "near_negation"), 1.0);
        assert_eq!(feature(CLAIM, denied, "near_debunk"), 0.0);
    }

    #[test]
    fn debunk_denial_and_hedge_cues_are_read_apart() {
        let debunked = "The report that Mayor Lena Ortiz signed the Kesterfield budget is a hoax.";
        assert_eq!(feature(CLAIM, debunked, "near_debunk"), 1.0);
        assert_eq!(feature(CLAIM, debunked, "near_denial"), 0.0);
        let denied = "Mayor Lena Ortiz denied that she signed the Kesterfield budget.";
        assert_eq!(feature(CLAIM, denied, "near_denial"), 1.0);
        assert_eq!(feature(CLAIM, denied, "near_debunk"), 0.0);
        let hedged =
            "Mayor Lena Ortiz reportedly signed the Kesterfield budget, which could not be verified.";
        assert_eq!(feature(CLAIM, hedged, "near_hedge"), 1.0);
        assert_eq!(
            feature(
                "Ortiz signing the budget is fake news.",
                hedged,
                "claim_debunk"
            ),
            1.0
        );
    }

    #[test]
    fn stance_cues_are_read_per_sentence_in_claim_and_article() {
        let claim = "Christian Bale will play Steve Jobs in the biopic.";
        let article = "Christian Bale will no longer play Steve Jobs in the biopic. \
            Studio insiders cast doubt on the casting report. \
            The story went viral on social media.";
        assert_eq!(feature(claim, article, "claim_reversal"), 0.0);
        // Only the first sentence shares the claim's words, and it undoes the claim.
        assert_eq!(feature(claim, article, "near_reversal"), 1.0);
        assert_eq!(feature(claim, article, "near_doubt"), 0.0);
        assert_eq!(feature(claim, article, "lead_doubt"), 1.0 / 3.0);
        // "the casting report" and "went viral" retell.
        assert_eq!(feature(claim, article, "article_retelling"), 2.0 / 3.0);
        // Positions of the first sentence with the cue; 1 when there is none.
        assert_eq!(feature(claim, article, "first_reversal"), 0.0);
        assert_eq!(feature(claim, article, "first_doubt"), 1.0 / 3.0);
        assert_eq!(feature(claim, article, "first_refute"), 1.0);
        // The claim asserts, the lead undoes it: they disagree.
        assert_eq!(feature(claim, article, "skeptic_mismatch"), 1.0);
        let exits = "Christian Bale exits the Steve Jobs biopic.";
        assert_eq!(feature(exits, article, "claim_reversal"), 1.0);
        assert_eq!(feature(exits, article, "skeptic_mismatch"), 0.0);
        let refuted = "The casting story turned out to be misinformation.";
        assert_eq!(feature(claim, refuted, "article_refute"), 1.0);
        assert_eq!(feature(refuted, article, "claim_refute"), 1.0);
    }

    #[test]
    fn stance_lexicons_leave_claim_extraction_alone() {
        // "cast doubt" and "no longer" would otherwise be cues of the claim extractor
        // ("no" a negation): what `credence run` reads must not depend on them.
        let config = Config::builtin();
        let reader = Reader::new(&config);
        let mut changed = config.clone();
        changed.lexicons.stance_reversals.clear();
        changed.lexicons.stance_doubts.clear();
        let text = "Experts cast doubt on it. Bale will no longer play Jobs.";
        let readings = |config: &Config| {
            let extractor = ClaimExtractor::new(config);
            let doc = extractor.tokenizer().tokenize(text);
            extractor
                .read_all(&doc, "")
                .into_iter()
                .map(|(_, reading)| (reading.cues, reading.claim.polarity))
                .collect::<Vec<_>>()
        };
        assert_eq!(readings(&config), readings(&changed));
        let view = ArticleView::read(&reader, text);
        assert_eq!(view.sentence_cues[0], [false, true, false, false]);
        assert_eq!(view.sentence_cues[1], [false, false, true, false]);
    }

    #[test]
    fn a_different_figure_of_the_same_kind_is_a_value_conflict() {
        let claim = "Repairs to the Alder River Bridge will cost $48 million.";
        let same = "State engineers said repairs to the Alder River Bridge will cost $48 million.";
        let other =
            "State engineers said repairs to the Alder River Bridge will cost $120 million.";
        assert_eq!(feature(claim, same, "near_value_agree"), 1.0);
        assert_eq!(feature(claim, same, "near_value_conflict"), 0.0);
        assert_eq!(feature(claim, other, "near_value_conflict"), 1.0);
        assert_eq!(feature(claim, other, "near_contradicts"), 1.0);
    }

    #[test]
    fn an_article_on_another_story_shares_few_words() {
        let fire =
            "Crews contained 40 percent of the Greenhollow wildfire, which burned 3,400 acres.";
        assert_eq!(feature(CLAIM, fire, "key_recall"), 0.0);
        assert_eq!(feature(CLAIM, fire, "matched_share"), 0.0);
        let budget = "The Kesterfield council adopted a budget that Mayor Lena Ortiz signed.";
        assert!(feature(CLAIM, budget, "key_recall") > 0.6);
    }

    #[test]
    fn a_title_case_headline_keeps_capitals_only_on_the_articles_names() {
        let config = Config::builtin();
        let tokenizer = crate::tokenize::Tokenizer::new(&config);
        let headline = tokenizer.tokenize("Spider Burrowed Through Tourist's Stomach In Peru");
        let names: HashSet<String> = ["peru".to_string()].into();
        assert_eq!(
            recase_title(&headline, &names).as_deref(),
            Some("Spider burrowed through tourist's stomach in Peru")
        );
        let sentence = tokenizer.tokenize("A spider burrowed into a tourist in Peru");
        assert_eq!(recase_title(&sentence, &names), None);
    }
}
