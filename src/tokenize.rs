//! Stage 1: Unicode-correct sentences and words, and the folded forms claims compare.
//!
//! Sentences come from UAX #29 (unicode-segmentation) inside each line, so captions and
//! boxes on their own line never merge into prose. UAX #29 alone breaks after "Dr." and
//! "Jan." and keeps "S-400" as two words, so two small repairs follow: abbreviations
//! from `config/lexicons/abbreviations.txt` re-join sentences, and hyphenated
//! alphanumerics ("S-400", "F-35", "7-2") are re-joined into one token.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::{
    char::is_combining_mark, is_nfkc_quick, IsNormalized, UnicodeNormalization,
};
use unicode_segmentation::UnicodeSegmentation;

use crate::config::Config;

/// An article's text after NFKC normalisation, split into lines and sentences.
#[derive(Debug, Clone)]
pub struct Doc {
    pub text: String,
    pub sentences: Vec<Sentence>,
    /// Byte ranges of the non-blank lines; sentences never cross a line.
    pub lines: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct Sentence {
    /// Byte range in `Doc::text`.
    pub start: usize,
    pub end: usize,
    /// Index into `Doc::lines`.
    pub line: usize,
    pub tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Byte range in `Doc::text`.
    pub start: usize,
    pub end: usize,
    /// Lower case, diacritics and possessive removed: "Erdoğan’s" → "erdogan".
    pub folded: String,
    pub shape: Shape,
}

/// The written form of a token, which carries most of what a claim extractor needs to
/// know about names and numbers in news prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Lower,
    /// First letter upper case: "Ankara", "Erdogan".
    Capitalized,
    /// Two or more letters, all upper case: "NATO", "U.S".
    AllCaps,
    /// Digits with separators: "1,200", "2.5", "7-2".
    Numeric,
    /// Letters and digits: "S-400", "F-35", "COVID-19".
    Alphanumeric,
}

impl Doc {
    pub fn sentence_text(&self, sentence: &Sentence) -> &str {
        &self.text[sentence.start..sentence.end]
    }

    pub fn token_text(&self, token: &Token) -> &str {
        &self.text[token.start..token.end]
    }
}

thread_local! {
    static ENGLISH_STEMS: RefCell<HashMap<Box<str>, Box<str>>> = RefCell::default();
}

/// Words whose stems a thread remembers before it starts afresh.
const REMEMBERED_STEMS: usize = 1 << 16;

/// Splits and folds text with the configured abbreviations, stop words and stemmer.
pub struct Tokenizer<'c> {
    config: &'c Config,
    stemmer: Option<Stemmer>,
}

impl<'c> Tokenizer<'c> {
    pub fn new(config: &'c Config) -> Self {
        let stemmer = match config.tokenize.stemmer.as_str() {
            "english" => Some(Stemmer::create(Algorithm::English)),
            _ => None,
        };
        Tokenizer { config, stemmer }
    }

    pub fn config(&self) -> &'c Config {
        self.config
    }

    pub fn is_stopword(&self, folded: &str) -> bool {
        self.config.lexicons.stopwords.contains(folded)
    }

    /// The stem used to compare key terms ("closed", "closure" → "close", "closur").
    pub fn stem(&self, folded: &str) -> String {
        let Some(stemmer) = &self.stemmer else {
            return folded.to_string();
        };
        // The English stemmer is a pure function of the word, and news reuses its words:
        // remembering this thread's recent stems skips most of the stemming, which was
        // about 6% of a 10,000-article run's CPU samples. The map keeps SipHash, as the
        // words come from the articles.
        ENGLISH_STEMS.with_borrow_mut(|stems| {
            if let Some(stem) = stems.get(folded) {
                return stem.to_string();
            }
            let stem = stemmer.stem(folded).into_owned();
            if stems.len() >= REMEMBERED_STEMS {
                stems.clear();
            }
            stems.insert(folded.into(), stem.as_str().into());
            stem
        })
    }

    pub fn tokenize(&self, raw: &str) -> Doc {
        // Most news text is already in NFKC; the quick check says so without the
        // decompose-recompose round trip.
        let text: String = if raw.is_ascii() || is_nfkc_quick(raw.chars()) == IsNormalized::Yes {
            raw.to_string()
        } else {
            raw.nfkc().collect()
        };
        let mut lines = Vec::new();
        let mut sentences = Vec::new();
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let start = line_start;
            line_start += line.len();
            let trimmed = line.trim_end();
            let lead = trimmed.len() - trimmed.trim_start().len();
            if trimmed.trim_start().is_empty() {
                continue;
            }
            let (begin, end) = (start + lead, start + trimmed.len());
            lines.push((begin, end));
            self.split_line(&text, begin, end, lines.len() - 1, &mut sentences);
        }
        Doc {
            text,
            sentences,
            lines,
        }
    }

    fn split_line(
        &self,
        text: &str,
        begin: usize,
        end: usize,
        line: usize,
        out: &mut Vec<Sentence>,
    ) {
        let line_text = &text[begin..end];
        let (mut simple, mut unicode);
        let pieces: &mut dyn Iterator<Item = (usize, &str)> =
            if let Some(sentences) = SimpleSentences::new(line_text) {
                simple = sentences;
                &mut simple
            } else {
                unicode = line_text.split_sentence_bound_indices();
                &mut unicode
            };
        let mut pending: Option<(usize, usize)> = None;
        for (offset, piece) in pieces {
            let piece_trimmed = piece.trim_end();
            if piece_trimmed.trim_start().is_empty() {
                continue;
            }
            let lead = piece_trimmed.len() - piece_trimmed.trim_start().len();
            let (s, e) = (begin + offset + lead, begin + offset + piece_trimmed.len());
            pending = match pending {
                Some((ps, pe)) if self.continues_sentence(&text[ps..pe], &text[s..e]) => {
                    Some((ps, e))
                }
                Some((ps, pe)) => {
                    out.push(self.sentence(text, ps, pe, line));
                    Some((s, e))
                }
                None => Some((s, e)),
            };
        }
        if let Some((ps, pe)) = pending {
            out.push(self.sentence(text, ps, pe, line));
        }
    }

    /// Whether a UAX #29 break after `before` is an abbreviation, not a sentence end.
    fn continues_sentence(&self, before: &str, after: &str) -> bool {
        let Some(stripped) = before.strip_suffix('.') else {
            return false;
        };
        let last_word = stripped
            .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
            .next()
            .unwrap_or_default();
        let folded = fold(last_word);
        let lex = &self.config.lexicons;
        // A lone capital is a middle initial: "Donald J. Trump".
        let is_initial =
            last_word.chars().count() == 1 && last_word.chars().all(|c| c.is_uppercase());
        if is_initial || lex.abbreviations.contains(&folded) {
            return true;
        }
        if lex.final_abbreviations.contains(&folded) {
            let next_word = after.unicode_words().next().unwrap_or_default();
            return !lex.stopwords.contains(&fold(next_word));
        }
        false
    }

    fn sentence(&self, text: &str, start: usize, end: usize, line: usize) -> Sentence {
        Sentence {
            start,
            end,
            line,
            tokens: words(text, start, end),
        }
    }
}

/// UAX #29 sentence pieces of a line, exactly as `split_sentence_bound_indices` gives
/// them (a property test holds the two together), for lines made only of characters
/// whose sentence class `sentence_class` knows. Written by hand because the crate
/// looks every character up in a Unicode table: that lookup was 5% of a
/// 10,000-article run's CPU samples. Four lines in five of a generated corpus are
/// ASCII and the rest add only accented Latin letters, curly quotes and dashes; in
/// five real articles on one story, 34 of the 35 lines that are not ASCII do. A
/// sentence can then only end after a line break, or after "." "!" "?" followed by
/// closing quotes and brackets, spaces and at most one line break (rules SB4 and
/// SB11); SB6 to SB8a keep some of those together ("3.5", "U.S", "etc. and", "?!").
struct SimpleSentences<'a> {
    text: &'a str,
    start: usize,
}

impl<'a> SimpleSentences<'a> {
    /// None when `text` holds a character this splitter does not know.
    fn new(text: &'a str) -> Option<Self> {
        let known = text.is_ascii() || text.chars().all(|c| sentence_class(c).is_some());
        known.then_some(SimpleSentences { text, start: 0 })
    }

    /// Where the sentence from `self.start` ends.
    fn next_break(&self) -> usize {
        let bytes = self.text.as_bytes();
        let n = bytes.len();
        // Every character that can end a sentence is ASCII, and bytes of other
        // characters are never ASCII.
        let mut i = self.start;
        while i < n {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => return i + 2,
                b'\r' | b'\n' => return i + 1,
                b'.' | b'!' | b'?' => {
                    if let Some(end) = sentence_end_after(self.text, i) {
                        return end;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        n
    }
}

impl<'a> Iterator for SimpleSentences<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.start >= self.text.len() {
            return None;
        }
        let (start, end) = (self.start, self.next_break());
        self.start = end;
        Some((start, &self.text[start..end]))
    }
}

/// The UAX #29 sentence classes `SimpleSentences` tells apart; `Other` is every other
/// character it knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SentenceClass {
    Cr,
    Lf,
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
    Other,
}

/// The sentence class of ASCII characters, Latin-1 and Latin Extended-A letters,
/// curly quotes, en and em dashes and the no-break space; None for any other.
fn sentence_class(c: char) -> Option<SentenceClass> {
    use SentenceClass::*;
    Some(match c {
        '\r' => Cr,
        '\n' => Lf,
        ' ' | '\t' | '\u{0b}' | '\u{0c}' | '\u{a0}' => Sp,
        '.' => ATerm,
        '!' | '?' => STerm,
        '"' | '\'' | '(' | ')' | '[' | ']' | '{' | '}' => Close,
        '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}' => Close,
        ',' | '-' | ':' | ';' | '\u{2013}' | '\u{2014}' => SContinue,
        '0'..='9' => Numeric,
        'a'..='z' => Lower,
        'A'..='Z' => Upper,
        '\u{0}'..='\u{7f}' => Other,
        '\u{c0}'..='\u{17f}' if c.is_lowercase() => Lower,
        '\u{c0}'..='\u{17f}' if c.is_uppercase() => Upper,
        _ => return None,
    })
}

/// The class of the character at byte `at` of `text` and where the next one starts;
/// None at the end. `text` holds only characters `sentence_class` knows.
fn class_at(text: &str, at: usize) -> Option<(SentenceClass, usize)> {
    let c = text[at..].chars().next()?;
    Some((sentence_class(c)?, at + c.len_utf8()))
}

/// Where a sentence ends after the terminator at byte `term` of `text`, or None when
/// the rules keep the text after it in the same sentence.
fn sentence_end_after(text: &str, term: usize) -> Option<usize> {
    use SentenceClass::*;
    let class = |at: usize| class_at(text, at).map(|(class, _)| class);
    let full_stop = text.as_bytes()[term] == b'.';
    let next = class(term + 1);
    // SB6: no break in "3.5"; SB7: none in "U.S" between "." and "S".
    if full_stop {
        if next == Some(Numeric) {
            return None;
        }
        let before = text[..term].chars().next_back().and_then(sentence_class);
        if matches!(before, Some(Upper | Lower)) && next == Some(Upper) {
            return None;
        }
    }
    let mut at = term + 1;
    for skipped in [Close, Sp] {
        while let Some((found, after)) = class_at(text, at) {
            if found != skipped {
                break;
            }
            at = after;
        }
    }
    let Some((after, past)) = class_at(text, at) else {
        return Some(at);
    };
    match after {
        // SB9-SB11: a line break after the terminator belongs to its sentence.
        Cr if class(past) == Some(Lf) => Some(past + 1),
        Cr | Lf => Some(past),
        // SB8a: ", ; : -" or another terminator continue the sentence.
        SContinue | ATerm | STerm => None,
        _ if full_stop => {
            // SB8: after ".", a lower-case letter before any other letter, terminator
            // or line break means the sentence goes on ("etc. and").
            let decisive = text[at..]
                .chars()
                .filter_map(sentence_class)
                .find(|class| matches!(class, Lower | Upper | ATerm | STerm | Cr | Lf));
            if decisive == Some(Lower) {
                None
            } else {
                Some(at)
            }
        }
        _ => Some(at),
    }
}

/// Word tokens of `text[start..end]`, with hyphenated alphanumerics re-joined.
fn words(text: &str, start: usize, end: usize) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    for (offset, word) in text[start..end].unicode_word_indices() {
        let (s, e) = (start + offset, start + offset + word.len());
        if let Some(previous) = tokens.last_mut() {
            let joiner = &text[previous.end..s];
            if joiner == "-" && joins_with_hyphen(&text[previous.start..previous.end], word) {
                previous.end = e;
                let joined = &text[previous.start..e];
                previous.folded = fold(joined);
                previous.shape = shape(joined);
                continue;
            }
        }
        tokens.push(Token {
            start: s,
            end: e,
            folded: fold(word),
            shape: shape(word),
        });
    }
    tokens
}

/// "S-400", "F-35", "COVID-19", "7-2" are single names or values; "Russia-Ukraine" is two.
fn joins_with_hyphen(left: &str, right: &str) -> bool {
    let has_digit = |s: &str| s.bytes().any(|b| b.is_ascii_digit());
    let single_capital = left.chars().count() == 1 && left.chars().all(char::is_uppercase);
    has_digit(left) || has_digit(right) || single_capital
}

fn shape(word: &str) -> Shape {
    // One pass, with byte tests for ASCII words, which are almost all of them.
    let (mut letters, mut digits, mut upper) = (0usize, 0usize, 0usize);
    let first_upper = if word.is_ascii() {
        for b in word.bytes() {
            letters += usize::from(b.is_ascii_alphabetic());
            digits += usize::from(b.is_ascii_digit());
            upper += usize::from(b.is_ascii_uppercase());
        }
        word.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
    } else {
        for c in word.chars() {
            let alphabetic = c.is_alphabetic();
            letters += usize::from(alphabetic);
            digits += usize::from(c.is_numeric());
            upper += usize::from(alphabetic && c.is_uppercase());
        }
        word.chars().next().is_some_and(char::is_uppercase)
    };
    if digits > 0 && letters > 0 {
        return Shape::Alphanumeric;
    }
    if letters == 0 {
        return Shape::Numeric;
    }
    if !first_upper {
        Shape::Lower
    } else if letters >= 2 && upper == letters {
        Shape::AllCaps
    } else {
        Shape::Capitalized
    }
}

/// Case and diacritic folding: "Türkiye" → "turkiye", "Erdoğan’s" → "erdogan",
/// "Łódź" → "lodz". Letters that do not decompose to a base letter are mapped by hand,
/// since no Unicode normalisation form removes their marks.
pub fn fold(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    fold_into(word, &mut folded);
    folded
}

/// `fold(word)` appended to `out`, without allocating for it.
pub fn fold_into(word: &str, out: &mut String) {
    let start = out.len();
    if word.is_ascii() {
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        // Character by character: decomposition only reorders combining marks, which
        // folding drops, so each character folds on its own. A property test holds
        // this equal to folding the decomposed word whole.
        for c in word.chars() {
            match u32::from(c) {
                0..0x80 => out.push(c.to_ascii_lowercase()),
                code @ LATIN_FIRST..LATIN_END => {
                    out.push_str(&LATIN_FOLDS[(code - LATIN_FIRST) as usize])
                }
                _ => fold_decomposed(std::iter::once(c), out),
            }
        }
    }
    for suffix in ["'s", "'"] {
        let folded = &out[start..];
        if folded.len() > suffix.len() + 1 && folded.ends_with(suffix) {
            out.truncate(out.len() - suffix.len());
            break;
        }
    }
}

/// Latin-1 Supplement and Latin Extended-A and -B, whose letters are most of the
/// non-ASCII ones in news text: names with diacritics are on a fifth of the lines of a
/// generated corpus, and decomposing them one call at a time was most of folding's time.
const LATIN_FIRST: u32 = 0x80;
const LATIN_END: u32 = 0x250;

/// The fold of each character in `LATIN_FIRST..LATIN_END`, worked out once by the
/// general path.
static LATIN_FOLDS: LazyLock<Vec<Box<str>>> = LazyLock::new(|| {
    (LATIN_FIRST..LATIN_END)
        .map(|code| {
            let mut folded = String::new();
            if let Some(c) = char::from_u32(code) {
                fold_decomposed(std::iter::once(c), &mut folded);
            }
            folded.into_boxed_str()
        })
        .collect()
});

/// Folds `chars` through their canonical decomposition: marks dropped, letters that do
/// not decompose mapped by hand, the rest lowercased.
fn fold_decomposed(chars: impl Iterator<Item = char>, out: &mut String) {
    for c in chars.nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            '’' | '‘' | 'ʼ' => out.push('\''),
            'ı' => out.push('i'),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'þ' | 'Þ' => out.push_str("th"),
            _ => out.extend(c.to_lowercase()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<String> {
        let config = Config::builtin();
        let doc = Tokenizer::new(&config).tokenize(text);
        doc.sentences
            .iter()
            .map(|s| doc.sentence_text(s).to_string())
            .collect()
    }

    fn token_texts(text: &str) -> Vec<String> {
        let config = Config::builtin();
        let doc = Tokenizer::new(&config).tokenize(text);
        doc.sentences
            .iter()
            .flat_map(|s| s.tokens.iter().map(|t| doc.token_text(t).to_string()))
            .collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            sentences("Dr. Ada Reyes met Gov. Tom Hale on Jan. 5. The talks failed."),
            vec![
                "Dr. Ada Reyes met Gov. Tom Hale on Jan. 5.",
                "The talks failed."
            ]
        );
    }

    #[test]
    fn us_ends_a_sentence_only_before_an_opener() {
        assert_eq!(
            sentences("Ties with the U.S. Senate soured. Aid went to the U.S. The deal died."),
            vec![
                "Ties with the U.S. Senate soured.",
                "Aid went to the U.S.",
                "The deal died."
            ]
        );
    }

    #[test]
    fn middle_initials_do_not_end_sentences() {
        assert_eq!(
            sentences("Donald J. Trump spoke. Then he left."),
            vec!["Donald J. Trump spoke.", "Then he left."]
        );
    }

    #[test]
    fn lines_are_hard_sentence_boundaries() {
        assert_eq!(
            sentences("Photo: A bridge (Staff)\nThe bridge closed on Monday"),
            vec!["Photo: A bridge (Staff)", "The bridge closed on Monday"]
        );
    }

    #[test]
    fn decimals_money_and_model_names_stay_whole() {
        assert_eq!(
            token_texts("Turkey paid $2.5 billion for the S-400 and 1,200 F-35 parts, 7-2."),
            vec![
                "Turkey", "paid", "2.5", "billion", "for", "the", "S-400", "and", "1,200", "F-35",
                "parts", "7-2"
            ]
        );
    }

    #[test]
    fn hyphenated_words_without_digits_stay_apart() {
        assert_eq!(
            token_texts("Russia-Ukraine talks"),
            vec!["Russia", "Ukraine", "talks"]
        );
    }

    #[test]
    fn folding_removes_case_diacritics_and_possessives() {
        assert_eq!(fold("Türkiye"), fold("Turkiye"));
        assert_eq!(fold("Erdoğan’s"), "erdogan");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("NATO"), "nato");
        assert_eq!(fold("Núñez"), fold("Nunez"));
    }

    #[test]
    fn nfkc_normalises_compatibility_forms() {
        let config = Config::builtin();
        let doc = Tokenizer::new(&config).tokenize("The ﬁre burned ２ homes.");
        let folded: Vec<&str> = doc.sentences[0]
            .tokens
            .iter()
            .map(|t| t.folded.as_str())
            .collect();
        assert_eq!(folded, vec!["the", "fire", "burned", "2", "homes"]);
    }

    #[test]
    fn shapes_classify_names_and_numbers() {
        assert_eq!(shape("NATO"), Shape::AllCaps);
        assert_eq!(shape("U.S"), Shape::AllCaps);
        assert_eq!(shape("Ankara"), Shape::Capitalized);
        assert_eq!(shape("S-400"), Shape::Alphanumeric);
        assert_eq!(shape("1,200"), Shape::Numeric);
        assert_eq!(shape("bridge"), Shape::Lower);
    }

    #[test]
    fn offsets_fall_on_char_boundaries() {
        let config = Config::builtin();
        let doc = Tokenizer::new(&config).tokenize("Erdoğan said «yes». Çok güzel! 東京 is big.");
        for sentence in &doc.sentences {
            assert!(doc.text.is_char_boundary(sentence.start));
            assert!(doc.text.is_char_boundary(sentence.end));
            for token in &sentence.tokens {
                assert!(token.start >= sentence.start && token.end <= sentence.end);
                assert!(doc.text.is_char_boundary(token.start));
            }
        }
    }

    #[test]
    fn remembered_stems_are_the_stemmers_own() {
        let config = Config::builtin();
        let tokenizer = Tokenizer::new(&config);
        let english = Stemmer::create(Algorithm::English);
        let words = [
            "closed",
            "closure",
            "firefighters",
            "running",
            "bridge",
            "bridges",
        ];
        // The second round reads the stems this thread remembered in the first.
        for _ in 0..2 {
            for word in words {
                assert_eq!(tokenizer.stem(word), english.stem(word));
            }
        }
        assert_eq!(tokenizer.stem("closed"), "close");
    }

    #[test]
    fn stemming_conflates_inflections() {
        let config = Config::builtin();
        let tokenizer = Tokenizer::new(&config);
        assert_eq!(tokenizer.stem("closed"), tokenizer.stem("closing"));
        assert_eq!(
            tokenizer.stem("firefighters"),
            tokenizer.stem("firefighter")
        );
    }
}

/// Property tests: whatever bytes a crawl delivers, tokenizing never panics and every
/// offset it hands out can slice the text it was computed on.
#[cfg(test)]
pub(crate) mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of news prose and of what breaks it: abbreviations, figures, dashes,
    /// quotes, combining marks, right-to-left and wide text, compatibility forms,
    /// control characters, stray line breaks.
    const PIECES: &[&str] = &[
        "The",
        "Alder River Bridge",
        "Marston",
        "closed",
        "on Monday",
        "Dr.",
        "Gov.",
        "U.S.",
        "Jan. 5",
        "$48 million",
        "1,200",
        "7-2",
        "S-400",
        "12%",
        "said",
        "according to",
        "Bloomberg",
        "reportedly",
        "did not",
        "denied",
        "—",
        " - ",
        "(Continental Press)",
        "MARSTON",
        "Erdoğan’s",
        "Núñez",
        "e\u{301}",
        "\u{0627}\u{0644}\u{0639}",
        "東京",
        "ﬁre",
        "２",
        "\u{200b}",
        "\u{feff}",
        "\t",
        "\r",
        "\0",
        ".",
        ",",
        ";",
        "?",
        "!",
        "\"",
        "“",
        "”",
        "'",
        "...",
        " ",
        " ",
        " ",
        "\n",
        "\n\n",
    ];

    /// Text that looks enough like an article to reach every stage of extraction.
    pub(crate) fn news_like() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(PIECES), 0..120)
            .prop_map(|pieces| pieces.concat())
    }

    /// Any text: arbitrary bytes read as UTF-8 the way ingest would fall back, or
    /// arbitrary characters.
    pub(crate) fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..400)
                .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
            proptest::collection::vec(any::<char>(), 0..200)
                .prop_map(|chars| chars.into_iter().collect()),
            news_like(),
        ]
    }

    fn check_offsets(doc: &Doc) {
        let text = &doc.text;
        for &(start, end) in &doc.lines {
            assert!(start <= end && end <= text.len());
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        }
        for sentence in &doc.sentences {
            let (start, end) = (sentence.start, sentence.end);
            assert!(start <= end && end <= text.len(), "{start}..{end}");
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            let (line_start, line_end) = doc.lines[sentence.line];
            assert!(
                line_start <= start && end <= line_end,
                "sentence outside its line"
            );
            for token in &sentence.tokens {
                assert!(start <= token.start && token.start < token.end && token.end <= end);
                assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
            }
        }
    }

    /// Lines of any characters `SimpleSentences` knows, rich in what the sentence rules
    /// turn on: terminators, closing quotes and brackets, spaces, line breaks, digits,
    /// both cases (accented too), continuations.
    fn known_line() -> impl Strategy<Value = String> {
        let turning = prop::sample::select(vec![
            ".", "!", "?", "\"", "'", "(", ")", "]", " ", "  ", "\t", "\r", "\n", "\r\n", ",", ";",
            ":", "-", "a", "A", "3", "word", "Word", "U.S.", "3.5", "\u{a0}", "\u{2018}",
            "\u{2019}", "\u{201c}", "\u{201d}", "\u{2013}", "\u{2014}", "ø", "é", "Ş", "Å", "ß",
            "Ørsted", "øre",
        ]);
        let known: Vec<String> = (0u32..0x180)
            .filter_map(char::from_u32)
            .filter(|&c| sentence_class(c).is_some())
            .map(String::from)
            .collect();
        let any_known = prop::sample::select(known);
        proptest::collection::vec(
            prop_oneof![3 => turning.prop_map(str::to_string), 1 => any_known],
            0..24,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn simple_sentences_are_the_unicode_rules_own(line in known_line()) {
            let ours: Vec<(usize, &str)> = SimpleSentences::new(&line)
                .expect("every character is known")
                .collect();
            let theirs: Vec<(usize, &str)> = line.split_sentence_bound_indices().collect();
            prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn lines_with_other_characters_go_to_the_unicode_rules() {
        for line in [
            "Wait\u{2026} what?",
            "Tokyo 東京. Next",
            "soft\u{ad}hyphen. Next",
            "a\u{2028}b",
        ] {
            assert!(SimpleSentences::new(line).is_none(), "{line:?}");
        }
        assert!(SimpleSentences::new("Ørsted\u{a0}said \u{201c}no.\u{201d} Then").is_some());
    }

    proptest! {
        #[test]
        fn tokenizing_any_text_never_panics_and_offsets_slice_it(text in any_text()) {
            let config = Config::builtin();
            let doc = Tokenizer::new(&config).tokenize(&text);
            check_offsets(&doc);
        }

        #[test]
        fn folding_any_word_never_panics(word in any_text()) {
            fold(&word);
        }

        /// Folding character by character, with the Latin table, is folding the
        /// decomposed word whole, marks and all.
        #[test]
        fn folding_by_character_is_folding_the_whole_word(
            word in "[a-zA-Z'’À-ɏ\u{300}-\u{36f}\u{1e00}-\u{1eff}Ά-ώа-я가-힣ﬁ-ﬆ]{0,12}"
        ) {
            let mut whole = String::new();
            fold_decomposed(word.chars(), &mut whole);
            for suffix in ["'s", "'"] {
                if whole.len() > suffix.len() + 1 && whole.ends_with(suffix) {
                    whole.truncate(whole.len() - suffix.len());
                    break;
                }
            }
            prop_assert_eq!(fold(&word), whole);
        }
    }

    /// Decomposition reorders only characters of nonzero combining class; folding
    /// character by character is exact because folding drops every one of them.
    #[test]
    fn every_reordered_character_is_a_mark_folding_drops() {
        use unicode_normalization::char::canonical_combining_class;
        let kept: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|&c| canonical_combining_class(c) != 0 && !is_combining_mark(c))
            .collect();
        assert!(kept.is_empty(), "{kept:?}");
    }

    /// Through `fold_into`, so a wrong range or offset of the table lookup fails here:
    /// comparing the table with the function that fills it could not.
    #[test]
    fn latin_letters_fold_as_the_general_path_folds_them() {
        for code in LATIN_FIRST..LATIN_END {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let mut general = String::new();
            fold_decomposed(std::iter::once(c), &mut general);
            let mut looked_up = String::new();
            fold_into(c.encode_utf8(&mut [0; 4]), &mut looked_up);
            assert_eq!(looked_up, general, "{c:?}");
        }
        assert_eq!(fold("Şişli"), "sisli");
        assert_eq!(fold("Ørsted"), "orsted");
    }
}
