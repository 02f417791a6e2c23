//! Hedge, negation, denial, debunk and attribution cues, matched as folded word
//! sequences.
//!
//! All five lexicons go through one matcher that prefers the longest phrase at each
//! position, so "no evidence" is one debunk (not a negation plus a debunk) and "could
//! not be verified" is a hedge whose "not" does not flip the claim.

use rustc_hash::FxHashMap;

use crate::config::Lexicons;
use crate::tokenize::Token;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    Hedge,
    Negation,
    /// Someone denies what follows: "denied", "rejected".
    Denial,
    /// What follows is called false: "hoax", "fake", "no evidence".
    Debunk,
    /// "according to", "citing": the name after it is the claim's origin.
    Attribution,
}

/// A matched cue over clause tokens `first..last`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueSpan<K = CueKind> {
    pub kind: K,
    pub first: usize,
    pub last: usize,
}

impl<K> CueSpan<K> {
    pub fn text(&self, tokens: &[Token]) -> String {
        tokens[self.first..self.last]
            .iter()
            .map(|t| t.folded.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Matches the phrases of several lexicons, each standing for one kind of cue. The
/// claim extractor's kinds are `CueKind`; `credence stance` reads lexicons of its own
/// through the same matcher.
pub struct CueMatcher<K = CueKind> {
    /// First word → phrases starting with it, longest first.
    by_first_word: FxHashMap<String, Vec<(Vec<String>, K)>>,
    /// The kind of a word ending in n't, when contractions count.
    contraction: Option<K>,
}

impl CueMatcher<CueKind> {
    /// The claim extractor's cues: hedges, denials, debunks, negations (contractions
    /// included) and attribution phrases.
    pub fn new(lexicons: &Lexicons) -> Self {
        CueMatcher::from_lists(
            [
                (&lexicons.hedges, CueKind::Hedge),
                (&lexicons.denials, CueKind::Denial),
                (&lexicons.debunks, CueKind::Debunk),
                (&lexicons.negations, CueKind::Negation),
                (&lexicons.attribution_phrases, CueKind::Attribution),
            ],
            Some(CueKind::Negation),
        )
    }
}

impl<K: Copy> CueMatcher<K> {
    /// Phrases (folded, words separated by spaces) of each kind; at equal length the
    /// earlier list wins.
    pub fn from_lists<'a>(
        lists: impl IntoIterator<Item = (&'a Vec<String>, K)>,
        contraction: Option<K>,
    ) -> Self {
        let mut by_first_word: FxHashMap<String, Vec<(Vec<String>, K)>> = FxHashMap::default();
        for (phrases, kind) in lists {
            for phrase in phrases {
                let words: Vec<String> = phrase.split_whitespace().map(str::to_string).collect();
                if let Some(first) = words.first() {
                    by_first_word
                        .entry(first.clone())
                        .or_default()
                        .push((words, kind));
                }
            }
        }
        for candidates in by_first_word.values_mut() {
            // Stable sort: at equal length the earlier list wins.
            candidates.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        }
        CueMatcher {
            by_first_word,
            contraction,
        }
    }

    /// Cues in `tokens`, skipping tokens already read as values ("May 5" is a date,
    /// not the hedge "may").
    pub fn find(&self, tokens: &[Token], consumed: &[bool]) -> Vec<CueSpan<K>> {
        let mut spans = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if consumed[i] {
                i += 1;
                continue;
            }
            let matched = self
                .by_first_word
                .get(&tokens[i].folded)
                .into_iter()
                .flatten()
                .find(|(words, _)| {
                    i + words.len() <= tokens.len()
                        && words
                            .iter()
                            .zip(&tokens[i..])
                            .all(|(word, token)| *word == token.folded)
                });
            if let Some((words, kind)) = matched {
                spans.push(CueSpan {
                    kind: *kind,
                    first: i,
                    last: i + words.len(),
                });
                i += words.len();
                continue;
            }
            if let Some(kind) = self.contraction {
                if tokens[i].folded.ends_with("n't") {
                    spans.push(CueSpan {
                        kind,
                        first: i,
                        last: i + 1,
                    });
                }
            }
            i += 1;
        }
        spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::tokenize::Tokenizer;

    fn cues(text: &str) -> Vec<(CueKind, String)> {
        let config = Config::builtin();
        let doc = Tokenizer::new(&config).tokenize(text);
        let tokens = &doc.sentences[0].tokens;
        let matcher = CueMatcher::new(&config.lexicons);
        matcher
            .find(tokens, &vec![false; tokens.len()])
            .iter()
            .map(|span| (span.kind, span.text(tokens)))
            .collect()
    }

    #[test]
    fn longest_phrase_wins() {
        assert_eq!(
            cues("Officials found no evidence of fraud."),
            vec![(CueKind::Debunk, "no evidence".into())]
        );
        assert_eq!(
            cues("The figure could not be verified."),
            vec![(CueKind::Hedge, "could not be verified".into())]
        );
    }

    #[test]
    fn contractions_negate() {
        assert_eq!(
            cues("The mayor didn’t sign it."),
            vec![(CueKind::Negation, "didn't".into())]
        );
    }

    #[test]
    fn hedges_and_attribution_phrases() {
        assert_eq!(
            cues("Drayton reportedly made an offer, according to Bloomberg."),
            vec![
                (CueKind::Hedge, "reportedly".into()),
                (CueKind::Attribution, "according to".into())
            ]
        );
        assert_eq!(
            cues("It said so, citing people familiar with the matter."),
            vec![
                (CueKind::Attribution, "citing".into()),
                (CueKind::Hedge, "people familiar with".into())
            ]
        );
    }

    #[test]
    fn calling_a_claim_false_is_a_debunk_not_a_negation() {
        assert_eq!(
            cues("The story is a hoax and not true."),
            vec![
                (CueKind::Debunk, "hoax".into()),
                (CueKind::Debunk, "not true".into())
            ]
        );
        assert_eq!(
            cues("Snopes debunked the fake news report."),
            vec![
                (CueKind::Debunk, "debunked".into()),
                (CueKind::Debunk, "fake news".into())
            ]
        );
    }

    #[test]
    fn denial_verbs_are_denials() {
        assert_eq!(
            cues("The Kremlin denied the report."),
            vec![(CueKind::Denial, "denied".into())]
        );
    }
}
