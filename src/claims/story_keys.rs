//! What an article is about, read once per article for the agreement stage to group
//! articles into stories: the words of its headline and lead, and the names its claims
//! speak of. Only counts are kept here; how much each weighs against the rest of the
//! corpus (TF-IDF) is decided where the whole corpus is seen.

use serde::{Deserialize, Serialize};

use crate::config::Lexicons;
use crate::tokenize::{Doc, Token, Tokenizer};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryKeys {
    /// Stemmed content words of the headline, sorted and distinct.
    pub headline: Vec<String>,
    /// Stemmed content words of the lead (the body's first `stories.lead_words` words,
    /// page furniture left out) with their counts, sorted.
    pub lead: Vec<(String, u32)>,
    /// Names the article's clauses (and its headline) speak of, with their counts,
    /// sorted.
    pub names: Vec<(String, u32)>,
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
        let mut headline_words = headline.map_or_else(Vec::new, |doc| {
            stems(&mut doc.sentences.iter().flat_map(|s| s.tokens.iter()))
        });
        headline_words.sort();
        headline_words.dedup();
        let lead = stems(
            &mut body
                .sentences
                .iter()
                .filter(|s| !furniture_lines[s.line])
                .flat_map(|s| s.tokens.iter())
                .take(lead_words),
        );
        StoryKeys {
            headline: headline_words,
            lead: counted(lead),
            names: counted(names.into_iter().map(str::to_string).collect()),
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

fn counted(mut items: Vec<String>) -> Vec<(String, u32)> {
    items.sort();
    let mut counts: Vec<(String, u32)> = Vec::new();
    for item in items {
        match counts.last_mut() {
            Some((last, n)) if *last == item => *n += 1,
            _ => counts.push((item, 1)),
        }
    }
    counts
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
            keys.headline,
            vec!["alder", "bridg", "close", "crack", "found", "river"]
        );
        // Thirteen words of lead, stop words included: the furniture line and everything
        // from "will" on are left out.
        assert_eq!(
            keys.lead,
            vec![
                ("2026".to_string(), 1),
                ("alder".to_string(), 1),
                ("bridg".to_string(), 2),
                ("close".to_string(), 1),
                ("closur".to_string(), 1),
                ("inspector".to_string(), 1),
                ("river".to_string(), 1),
            ]
        );
        assert_eq!(
            keys.names,
            vec![
                ("alder river bridge".to_string(), 2),
                ("marston".to_string(), 1)
            ]
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
