//! Page furniture lines (captions, donation and newsletter boxes, share buttons),
//! matched against `config/lexicons/furniture.txt`.
//!
//! Every line of every article is tested, so the patterns are compiled once: the
//! "contains these words" patterns into one Aho-Corasick automaton that reads a line
//! once, instead of one substring search per pattern per line.

use aho_corasick::AhoCorasick;

use crate::config::FurniturePattern;
use crate::tokenize::fold_into;

pub struct FurnitureMatcher {
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    contains: AhoCorasick,
}

impl FurnitureMatcher {
    pub fn new(patterns: &[FurniturePattern]) -> FurnitureMatcher {
        let mut matcher = (Vec::new(), Vec::new(), Vec::new());
        for pattern in patterns {
            match pattern {
                FurniturePattern::Prefix(p) => matcher.0.push(p.clone()),
                FurniturePattern::Suffix(p) => matcher.1.push(p.clone()),
                FurniturePattern::Contains(p) => matcher.2.push(p.clone()),
            }
        }
        FurnitureMatcher {
            prefixes: matcher.0,
            suffixes: matcher.1,
            // Building fails only past about two billion automaton states, far beyond
            // any word list a person maintains.
            contains: AhoCorasick::new(&matcher.2).expect("furniture patterns fit an automaton"),
        }
    }

    /// Whether `line` is furniture; `scratch` is a buffer reused across lines.
    pub fn is_furniture(&self, line: &str, scratch: &mut String) -> bool {
        scratch.clear();
        for (i, word) in line.split_whitespace().enumerate() {
            if i > 0 {
                scratch.push(' ');
            }
            fold_into(word, scratch);
        }
        let folded = scratch.as_str();
        let matched = self.prefixes.iter().any(|p| folded.starts_with(p.as_str()))
            || self.suffixes.iter().any(|p| folded.ends_with(p.as_str()))
            || self
                .contains
                .find_overlapping_iter(folded)
                .any(|m| whole_words(folded, m.start(), m.end()));
        // A line closing on a credit in parentheses with a slash is a photo caption:
        // "... on Monday. (Harbor Times/J. Reyes)".
        let credit = line
            .trim_end()
            .strip_suffix(')')
            .and_then(|rest| rest.rsplit_once('('))
            .is_some_and(|(_, credit)| credit.contains('/') && credit.len() < 60);
        matched || credit
    }
}

/// Whether `text[start..end]` is bounded by non-alphanumerics (or the ends of `text`).
fn whole_words(text: &str, start: usize, end: usize) -> bool {
    let before_ok = text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let after_ok = text[end..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric());
    before_ok && after_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn is_furniture(line: &str) -> bool {
        let config = Config::builtin();
        FurnitureMatcher::new(&config.lexicons.furniture).is_furniture(line, &mut String::new())
    }

    #[test]
    fn prefixes_suffixes_and_whole_word_phrases() {
        assert!(is_furniture("Photo: Crews at work on Monday."));
        assert!(is_furniture(
            "Sign up for our morning newsletter to get the top stories."
        ));
        assert!(is_furniture("SHARE THIS STORY"));
        assert!(is_furniture(
            "Crews at work on Monday. (Harbor Times/J. Reyes)"
        ));
        assert!(!is_furniture(
            "The council voted 7-2 on Monday to approve the budget."
        ));
    }

    #[test]
    fn phrases_match_whole_words_only() {
        assert!(whole_words("share this story", 0, 5));
        assert!(!whole_words("shared this", 0, 5));
        assert!(!whole_words("reshare", 2, 7));
    }
}
