//! What an article is about, read once per article for the agreement stage to group
//! articles into stories: the words of its headline and lead, and the names its claims
//! speak of. Only counts are kept here; how much each weighs against the rest of the
//! corpus (TF-IDF) is decided where the whole corpus is seen.

use serde::{Deserialize, Serialize};

use super::Words;
use crate::config::Lexicons;
use crate::tokenize::{Doc, Token, Tokenizer};

/// Every article's keys are held until its story is known. As a vector of strings per
/// list, their strings and vectors came to about 42 MB (capacities summed) when a
/// 10,000-article run held 517 MB after extraction (see `Counted`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryKeys {
    /// Stemmed content words of the headline, sorted and distinct.
    pub headline: Words,
    /// Stemmed content words of the lead (the body's first `stories.lead_words` words,
    /// page furniture left out) with their counts, sorted.
    pub lead: Counted,
    /// Names the article's clauses (and its headline) speak of, with their counts,
    /// sorted.
    pub names: Counted,
}

/// Distinct words, sorted, each with how often it occurred: two allocations for the
/// list, where a `(String, u32)` per word took one per word and 32 bytes besides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counted {
    words: Words,
    counts: Box<[u32]>,
}

impl Counted {
    /// The distinct items of `items`, each with its number of occurrences.
    pub fn new(mut items: Vec<String>) -> Counted {
        items.sort_unstable();
        let mut counts: Vec<u32> = Vec::new();
        for (place, item) in items.iter().enumerate() {
            match counts.last_mut() {
                Some(count) if items[place - 1] == *item => *count += 1,
                _ => counts.push(1),
            }
        }
        Counted {
            words: Words::new(items),
            counts: counts.into(),
        }
    }

    /// The words in order, each with its count.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> + '_ {
        self.words.iter().zip(self.counts.iter().copied())
    }
}

impl StoryKeys {
    /// `furniture_lines` flags the lines of `body` dropped as furniture; `names` are
    /// the names found in the headline and in each clause, one item per mention.
    pub fn read<'a>(
        tokenizer: &Tokenizer,
        headline: Option<&Doc>,
        body: &Doc,
        furniture_lines: &[bool],
        names: impl IntoIterator<Item = &'a str>,
    ) -> StoryKeys {
        let lexicons = &tokenizer.config().lexicons;
        let lead_words = tokenizer.config().stories.lead_words;
        let stems = |tokens: &mut dyn Iterator<Item = &Token>| -> Vec<String> {
            tokens
                .filter(|t| is_content_word(&t.folded, lexicons))
                .map(|t| tokenizer.stem(&t.folded))
                .collect()
        };
        let headline_words = headline.map_or_else(Vec::new, |doc| {
            stems(&mut doc.sentences.iter().flat_map(|s| s.tokens.iter()))
        });
        let lead = stems(
            &mut body
                .sentences
                .iter()
                .filter(|s| !furniture_lines[s.line])
                .flat_map(|s| s.tokens.iter())
                .take(lead_words),
        );
        StoryKeys {
            headline: Words::new(headline_words),
            lead: Counted::new(lead),
            names: Counted::new(names.into_iter().map(str::to_string).collect()),
        }
    }
}

/// A word that can say what a story is about: not a stop word, and either a word with a
/// letter ("F-35") or a figure of three digits or more ("1,200", "2026"), which tends to
/// recur in every report of one event; small numbers say little.
fn is_content_word(folded: &str, lexicons: &Lexicons) -> bool {
    let digits = folded.chars().filter(char::is_ascii_digit).count();
    folded.chars().count() >= 2
        && (folded.chars().any(char::is_alphabetic) || digits >= 3)
        && !lexicons.stopwords.contains(folded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn headline_and_lead_words_are_stemmed_and_counted_and_furniture_is_skipped() {
        let mut config = Config::builtin();
        config.stories.lead_words = 13;
        let tokenizer = Tokenizer::new(&config);
        let headline = tokenizer.tokenize("Alder River Bridge closed after cracks found");
        let body = tokenizer.tokenize(
            "Advertisement\nInspectors closed the Alder River Bridge on Monday in 2026. \
             The bridge closure will last months. Commuters face long detours.",
        );
        let furniture = [true, false];
        let keys = StoryKeys::read(
            &tokenizer,
            Some(&headline),
            &body,
            &furniture,
            ["alder river bridge", "alder river bridge", "marston"],
        );
        assert_eq!(
            keys.headline.iter().collect::<Vec<_>>(),
            vec!["alder", "bridg", "close", "crack", "found", "river"]
        );
        // Thirteen words of lead, stop words included: the furniture line and everything
        // from "will" on are left out.
        assert_eq!(
            keys.lead.iter().collect::<Vec<_>>(),
            vec![
                ("2026", 1),
                ("alder", 1),
                ("bridg", 2),
                ("close", 1),
                ("closur", 1),
                ("inspector", 1),
                ("river", 1),
            ]
        );
        assert_eq!(
            keys.names.iter().collect::<Vec<_>>(),
            vec![("alder river bridge", 2), ("marston", 1)]
        );
    }

    #[test]
    fn words_names_and_long_figures_count_and_small_numbers_do_not() {
        let config = Config::builtin();
        assert!(is_content_word("f-35", &config.lexicons));
        assert!(is_content_word("2021", &config.lexicons));
        assert!(is_content_word("1,200", &config.lexicons));
        assert!(!is_content_word("7-2", &config.lexicons));
        assert!(!is_content_word("12", &config.lexicons));
        assert!(!is_content_word("the", &config.lexicons));
        assert!(!is_content_word("x", &config.lexicons));
    }
}
