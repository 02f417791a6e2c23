//! Stage 2: checkable claims out of tokenized sentences.
//!
//! A claim is a clause that names something (an entity) and says something checkable
//! about it (a typed value, a second entity, or enough key terms). Each claim carries
//! what the agreement stage compares (entities, typed values), what the score stage
//! weighs (polarity, hedging, attribution); its wording (stemmed terms, word hashes),
//! which only agreement reads, and its prose (text, hedge and values as written),
//! which only the reports read, are held apart: beside the claims as extraction
//! yields them, then on disk (`spill`).
//! Extraction is a pure function of one article and the config, so its output can be
//! cached per article.

mod cues;
mod furniture;
pub mod spill;
mod story_keys;
mod values;
mod wording;
mod words;

use std::collections::HashSet;
use std::num::NonZeroU32;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use ustr::Ustr;
use xxhash_rust::xxh3::xxh3_64;

use crate::config::Config;
use crate::id::ClaimId;
use crate::tokenize::{fold, Doc, Sentence, Shape, Token, Tokenizer};
use cues::CueSpan;
pub use cues::{CueKind, CueMatcher};
use furniture::FurnitureMatcher;
pub use story_keys::{Counted, StoryKeys};
pub use values::{Comparison, Value, ValueKind};
pub use wording::{blocking_key, term_key, term_keys, Worded, WordedClaims, Wording, Wordings};
pub use words::{WordList, Words};

/// One checkable statement from one article.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claim {
    /// Stable hash of the article key and the claim's byte span.
    pub id: ClaimId,
    /// Byte range of the claim in the article's normalised text.
    pub start: usize,
    pub end: usize,
    /// Canonical entity names (folded, aliases applied), sorted.
    pub entities: Words,
    pub values: Box<[Value]>,
    pub polarity: Polarity,
    /// The claim is hedged ("reportedly", "could"); its `Prose` has the cue.
    pub hedged: bool,
    /// Who the claim is attributed to ("bloomberg"), if anyone other than the outlet.
    /// Interned: a run's claims cite a few thousand origins at most.
    pub attribution: Option<Ustr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Polarity {
    Affirmed,
    Negated,
}

impl Polarity {
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Affirmed => "affirmed",
            Polarity::Negated => "negated",
        }
    }
}

/// What a run holds in memory of a claim from extraction to the reports: 16 bytes. Its
/// names and values wait on disk, with its wording for agreement (`Wordings::spill`)
/// and with its prose for the reports (`spill::ClaimProse`). Held in each `Claim` (80
/// bytes) they were 335 MB of the 1.09 GB a 100,000-article run held when extraction
/// ended; that run's peak went from 1.69 to 1.19 GB (one run each, two threads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldClaim {
    pub id: ClaimId,
    /// The origin the claim is attributed to, named in the run's `Origins`.
    pub attribution: Option<Origin>,
    pub polarity: Polarity,
    pub hedged: bool,
}

/// An origin a claim is attributed to, by its number in the run's `Origins`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin(NonZeroU32);

/// The origins a run's claims are attributed to ("Bloomberg", "police"), numbered as
/// the feed first meets them, so a held claim names its origin in 4 bytes: the
/// interned string took 8, and with its padding made every held claim 24 bytes rather
/// than 16. Numbered here rather than with `facts::intern::Interner`, which would copy
/// and hash each name again: a `Ustr` is already interned, its hash kept beside it.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    names: Vec<Ustr>,
    numbers: FxHashMap<Ustr, Origin>,
}

impl Origins {
    /// What the run holds of `claim`, its origin numbered here.
    pub fn hold(&mut self, claim: &Claim) -> HeldClaim {
        let attribution = claim.attribution.map(|name| {
            *self.numbers.entry(name).or_insert_with(|| {
                self.names.push(name);
                let number = u32::try_from(self.names.len()).expect("fewer than 2^32 origins");
                Origin(NonZeroU32::new(number).expect("counted from one"))
            })
        });
        HeldClaim {
            id: claim.id,
            attribution,
            polarity: claim.polarity,
            hedged: claim.hedged,
        }
    }

    pub fn name(&self, origin: Origin) -> &str {
        &self.names[origin.0.get() as usize - 1]
    }
}

/// Every claim of a run, numbered in article order.
pub type Claims = crate::chunked::Chunked<HeldClaim>;

/// What the reports print of a claim and nothing else reads, so that a run keeps it on
/// disk (`spill::ClaimProse`) rather than beside the claim.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prose {
    /// The clause as written, trimmed.
    pub text: Box<str>,
    /// The hedging cue as written, empty when there is none.
    pub hedge: Box<str>,
    /// Each of the claim's `values` as written ("$48 million"), in order.
    pub values: Vec<Box<str>>,
}

/// What one article yielded, and what it dropped.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ArticleClaims {
    pub claims: Vec<Claim>,
    /// What the reports print of each claim, in order.
    pub prose: Vec<Prose>,
    /// The wording of each claim, in order.
    pub wordings: Wordings,
    /// Hash of the folded line each claim came from, for repeated-line furniture.
    pub claim_lines: Vec<u64>,
    /// Sentences on lines that matched a furniture pattern.
    pub dropped_furniture: usize,
    /// Sentences with nothing checkable (opinion, colour, questions, fragments).
    pub dropped_uncheckable: usize,
    /// Clauses left unread for being longer than `claims.max_words`: run-on text, a
    /// table flattened into one line.
    pub overlong_clauses: usize,
    /// Hashes of every distinct line, for finding lines an outlet repeats everywhere.
    pub line_hashes: Vec<u64>,
    /// Sampled hashes of word shingles over the whole article, for copy detection.
    pub shingles: Vec<u64>,
    /// What the article is about, for grouping articles into stories.
    pub story_keys: StoryKeys,
}

/// Extracts claims; holds the cue matchers built once from the lexicons.
pub struct ClaimExtractor<'c> {
    tokenizer: Tokenizer<'c>,
    cues: CueMatcher,
    furniture: FurnitureMatcher,
}

/// Shingles are sampled by hash value (one in `SHINGLE_SAMPLE`): identical passages
/// keep identical samples, and the index stays a quarter of the size.
const SHINGLE_SAMPLE: u64 = 4;

/// Connectors allowed inside a multi-word name: "Bank of England", "Ahmad bin Said".
const NAME_CONNECTORS: &[&str] = &[
    "of", "de", "del", "da", "van", "von", "al", "bin", "la", "le", "du",
];

impl<'c> ClaimExtractor<'c> {
    pub fn new(config: &'c Config) -> Self {
        ClaimExtractor {
            tokenizer: Tokenizer::new(config),
            cues: CueMatcher::new(&config.lexicons),
            furniture: FurnitureMatcher::new(&config.lexicons.furniture),
        }
    }

    pub fn tokenizer(&self) -> &Tokenizer<'c> {
        &self.tokenizer
    }

    /// Tokenizes `text` and extracts its claims. `article_key` seeds the claim ids;
    /// `outlet` is never an attribution of its own claims.
    pub fn extract(&self, article_key: &str, outlet: &str, text: &str) -> ArticleClaims {
        self.extract_with_title(article_key, outlet, None, text)
    }

    /// As `extract`; the headline, when known, helps tell what the article is about.
    pub fn extract_with_title(
        &self,
        article_key: &str,
        outlet: &str,
        title: Option<&str>,
        text: &str,
    ) -> ArticleClaims {
        let doc = self.tokenizer.tokenize(text);
        let title_doc = title.map(|t| self.tokenizer.tokenize(t));
        self.extract_doc(article_key, outlet, title_doc.as_ref(), &doc)
    }

    fn extract_doc(
        &self,
        article_key: &str,
        outlet: &str,
        title: Option<&Doc>,
        doc: &Doc,
    ) -> ArticleClaims {
        let mut out = ArticleClaims::default();
        let mut scratch = String::new();
        let furniture_lines: Vec<bool> = doc
            .lines
            .iter()
            .map(|&(s, e)| self.furniture.is_furniture(&doc.text[s..e], &mut scratch))
            .collect();
        let line_hashes: Vec<u64> = doc
            .lines
            .iter()
            .map(|&(s, e)| xxh3_64(fold(&doc.text[s..e]).as_bytes()))
            .collect();
        let mut distinct_lines = line_hashes.clone();
        distinct_lines.sort_unstable();
        distinct_lines.dedup();
        out.line_hashes = distinct_lines;
        out.shingles = self.article_shingles(doc);

        let capitalized_mid_sentence = capitalized_inside_sentences(doc);
        let own_outlet = fold(outlet);
        let mut drafts: Vec<(usize, Draft)> = Vec::new();
        let mut dateline_origin = None;
        let mut prose_sentences = 0;
        for (index, sentence) in doc.sentences.iter().enumerate() {
            if furniture_lines[sentence.line] {
                out.dropped_furniture += 1;
                continue;
            }
            let dateline = dateline(doc, sentence);
            if dateline_origin.is_none() {
                dateline_origin = dateline.as_ref().and_then(|d| d.origin.clone());
            }
            let body_start = dateline.map_or(0, |d| d.end);
            prose_sentences += 1;
            let context = SentenceContext {
                doc,
                sentence,
                body_start,
                capitalized_mid_sentence: &capitalized_mid_sentence,
                own_outlet: &own_outlet,
            };
            for (first, last) in clauses(doc, sentence, body_start) {
                if last - first > self.tokenizer.config().claims.max_words {
                    out.overlong_clauses += 1;
                    continue;
                }
                if let Some(draft) = self.draft(&context, first, last) {
                    drafts.push((index, draft));
                }
            }
        }
        let title_names = title
            .map(|t| self.title_names(t, &own_outlet))
            .unwrap_or_default();
        let topics = topic_entities(&drafts, &title_names);
        out.story_keys = StoryKeys::read(
            &self.tokenizer,
            title,
            doc,
            &furniture_lines,
            title_names.iter().map(String::as_str).chain(
                drafts
                    .iter()
                    .flat_map(|(_, Draft(reading))| reading.claim.entities.iter()),
            ),
        );
        let mut sentences_with_claims = HashSet::new();
        for (index, draft) in drafts {
            let sentence = &doc.sentences[index];
            if let Some(reading) = self.finish(draft, &topics, dateline_origin.as_deref()) {
                out.wordings.push(Wording {
                    terms: &term_keys(&reading.terms),
                    words: &reading.word_hashes,
                });
                let mut claim = reading.claim;
                claim.id = claim_id(article_key, claim.start, claim.end);
                out.claim_lines.push(line_hashes[sentence.line]);
                out.claims.push(claim);
                out.prose.push(reading.prose);
                sentences_with_claims.insert(index);
            }
        }
        out.dropped_uncheckable = prose_sentences - sentences_with_claims.len();
        out.claims.shrink_to_fit();
        out.shingles.shrink_to_fit();
        out.line_hashes.shrink_to_fit();
        out
    }

    fn article_shingles(&self, doc: &Doc) -> Vec<u64> {
        let k = self.tokenizer.config().agreement.copy_shingle_words;
        let words: Vec<u64> = doc
            .sentences
            .iter()
            .flat_map(|s| s.tokens.iter().map(|t| xxh3_64(t.folded.as_bytes())))
            .collect();
        let mut shingles: Vec<u64> = words
            .windows(k)
            .map(shingle_hash)
            .filter(|h| h % SHINGLE_SAMPLE == 0)
            .collect();
        shingles.sort_unstable();
        shingles.dedup();
        shingles
    }

    /// Every clause of `doc` read as a claim, with no length, question, checkability or
    /// furniture filter and without the article's topics, each with the index of its
    /// sentence. The claims have no id. For comparing one statement with everything an
    /// article says (`stance`), where an unclaimed sentence can still deny it.
    pub fn read_all(&self, doc: &Doc, outlet: &str) -> Vec<(usize, Reading)> {
        let capitalized_mid_sentence = capitalized_inside_sentences(doc);
        let own_outlet = fold(outlet);
        let mut readings = Vec::new();
        for (index, sentence) in doc.sentences.iter().enumerate() {
            let body_start = dateline(doc, sentence).map_or(0, |d| d.end);
            let context = SentenceContext {
                doc,
                sentence,
                body_start,
                capitalized_mid_sentence: &capitalized_mid_sentence,
                own_outlet: &own_outlet,
            };
            for (first, last) in clauses(doc, sentence, body_start) {
                if first < last {
                    readings.push((index, self.read_clause(&context, first, last)));
                }
            }
        }
        readings
    }

    /// A clause that is a claim candidate: of claim length and not a question.
    fn draft(&self, context: &SentenceContext, first: usize, last: usize) -> Option<Draft> {
        let config = self.tokenizer.config();
        // Overlong clauses are counted and skipped before they get here.
        if last - first < config.claims.min_words {
            return None;
        }
        let reading = self.read_clause(context, first, last);
        (!reading.question).then_some(Draft(reading))
    }

    /// Reads names, values, cues and attribution of clause tokens `first..last`.
    fn read_clause(&self, context: &SentenceContext, first: usize, last: usize) -> Reading {
        let config = self.tokenizer.config();
        let SentenceContext { doc, sentence, .. } = *context;
        let tokens = &sentence.tokens[first..last];
        let start = tokens[0].start;
        let end = clause_end(sentence, last);
        let text = doc.text[start..end].trim().to_string();
        let question = text.ends_with('?') || text.ends_with("?\"") || text.ends_with("?”");
        let parsed = values::parse(doc, tokens, &config.lexicons.numbers, &self.tokenizer);
        let cue_spans = self.cues.find(tokens, &parsed.consumed);
        let names = self.names(context, first, tokens, &parsed.consumed);
        let attribution = self.attribution(tokens, &cue_spans, &names, context.own_outlet);

        let own_words: Vec<&str> = context.own_outlet.split([' ', '-']).collect();
        let entities: Vec<String> = names
            .iter()
            .filter(|name| Some(name.index) != attribution.as_ref().map(|a| a.name_index))
            // "the Buzz has learned" names the outlet itself, not what the claim is about.
            .filter(|name| !name.canonical.split(' ').all(|w| own_words.contains(&w)))
            .map(|name| name.canonical.clone())
            .collect();

        let mut in_name = vec![false; tokens.len()];
        for name in &names {
            in_name[name.first..name.last]
                .iter_mut()
                .for_each(|f| *f = true);
        }
        let mut in_cue = vec![false; tokens.len()];
        for cue in &cue_spans {
            in_cue[cue.first..cue.last]
                .iter_mut()
                .for_each(|f| *f = true);
        }
        let lex = &config.lexicons;
        let terms: Vec<String> = tokens
            .iter()
            .enumerate()
            .filter(|(i, t)| {
                !in_name[*i]
                    && !in_cue[*i]
                    && !parsed.consumed[*i]
                    && t.folded
                        .chars()
                        .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
                    && t.folded.chars().count() >= 2
                    && !lex.stopwords.contains(&t.folded)
                    && !lex.attribution_verbs.contains(&t.folded)
            })
            .map(|(_, t)| self.tokenizer.stem(&t.folded))
            .chain(
                names
                    .iter()
                    .flat_map(|n| n.titles.iter().map(|t| self.tokenizer.stem(t))),
            )
            .collect();

        let scope = negation_scope(doc, tokens);
        let negations = cue_spans
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    CueKind::Negation | CueKind::Denial | CueKind::Debunk
                ) && c.first < scope
            })
            .count();
        let polarity = if negations % 2 == 1 {
            Polarity::Negated
        } else {
            Polarity::Affirmed
        };
        let hedge = cue_spans
            .iter()
            .find(|c| c.kind == CueKind::Hedge)
            .map(|c| c.text(tokens));
        let claim = Claim {
            id: ClaimId::default(),
            start,
            end,
            entities: Words::new(entities),
            values: parsed.values.into(),
            polarity,
            hedged: hedge.is_some(),
            attribution: attribution.map(|a| Ustr::from(&a.origin)),
        };
        Reading {
            claim,
            prose: Prose {
                text: text.into(),
                hedge: hedge.unwrap_or_default().into(),
                values: parsed.texts,
            },
            terms: Words::new(terms),
            word_hashes: tokens
                .iter()
                .map(|t| xxh3_64(t.folded.as_bytes()) as u32)
                .collect(),
            cues: cue_spans.iter().map(|c| c.kind).collect(),
            question,
        }
    }

    /// Adds the article's context to a draft and keeps it if it is checkable. A clause
    /// that names nothing but states a typed value ("the crumbling span was built in
    /// 1975") is about the article's topics: news prose names a subject once and then
    /// describes it. A wire dateline's agency is the origin of
    /// otherwise unattributed claims.
    fn finish(
        &self,
        draft: Draft,
        topics: &[String],
        dateline_origin: Option<&str>,
    ) -> Option<Reading> {
        let config = self.tokenizer.config();
        let Draft(mut reading) = draft;
        let claim = &mut reading.claim;
        if claim.entities.is_empty() {
            if topics.is_empty() || claim.values.is_empty() {
                return None;
            }
            claim.entities = Words::new(topics.to_vec());
        }
        let checkable = !claim.values.is_empty()
            || claim.entities.len() >= 2
            || reading.terms.len() >= config.claims.min_terms_with_one_entity;
        if !checkable {
            return None;
        }
        if claim.attribution.is_none() {
            claim.attribution = dateline_origin.map(Ustr::from);
        }
        Some(reading)
    }

    /// Names in the headline, for choosing the article's topics.
    fn title_names(&self, title: &Doc, own_outlet: &str) -> Vec<String> {
        let capitalized = HashSet::new();
        let mut names = Vec::new();
        for sentence in &title.sentences {
            let context = SentenceContext {
                doc: title,
                sentence,
                body_start: 0,
                capitalized_mid_sentence: &capitalized,
                own_outlet,
            };
            let config = self.tokenizer.config();
            let parsed = values::parse(
                title,
                &sentence.tokens,
                &config.lexicons.numbers,
                &self.tokenizer,
            );
            names.extend(
                self.names(&context, 0, &sentence.tokens, &parsed.consumed)
                    .into_iter()
                    .map(|n| n.canonical),
            );
        }
        names
    }

    /// Named entities in a clause: runs of capitalised, all-caps or alphanumeric
    /// tokens, with titles ("Mayor", "President") split off as key terms.
    fn names(
        &self,
        context: &SentenceContext,
        first: usize,
        tokens: &[Token],
        consumed: &[bool],
    ) -> Vec<Name> {
        let lex = &self.tokenizer.config().lexicons;
        let text = &context.doc.text;
        let adjacent = |a: &Token, b: &Token| text[a.end..b.start].chars().all(char::is_whitespace);
        let is_name_token = |i: usize| -> bool {
            let token = &tokens[i];
            if consumed[i] {
                return false;
            }
            let folded = token.folded.as_str();
            match token.shape {
                // A decade ("1990s") is a time, not a name.
                Shape::Alphanumeric => {
                    !(folded.ends_with('s')
                        && folded[..folded.len() - 1]
                            .bytes()
                            .all(|b| b.is_ascii_digit()))
                }
                // Shouted common words ("maybe YEARS of detours") are not acronyms.
                Shape::AllCaps => !(folded.len() >= 4 && lex.stopwords.contains(folded)),
                Shape::Capitalized => {
                    let sentence_initial = first + i == context.body_start;
                    if lex.stopwords.contains(&token.folded)
                        || lex.numbers.contains_key(&token.folded)
                    {
                        return false;
                    }
                    // A capitalised first word is a name only if the article also
                    // capitalises it mid-sentence ("Turkey signed" but not "Prior to"),
                    // or if a name follows it directly ("Meridian Airlines did not").
                    !sentence_initial
                        || context.capitalized_mid_sentence.contains(&token.folded)
                        || tokens.get(i + 1).is_some_and(|next| {
                            matches!(next.shape, Shape::Capitalized | Shape::AllCaps)
                                && adjacent(token, next)
                                && !lex.stopwords.contains(&next.folded)
                        })
                }
                _ => false,
            }
        };
        let mut names = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if !is_name_token(i) {
                i += 1;
                continue;
            }
            let run_start = i;
            let mut run_end = i + 1;
            loop {
                if run_end < tokens.len()
                    && adjacent(&tokens[run_end - 1], &tokens[run_end])
                    && is_name_token(run_end)
                {
                    run_end += 1;
                    continue;
                }
                // "Bank of England": a lower-case connector between two name tokens.
                if run_end + 1 < tokens.len()
                    && NAME_CONNECTORS.contains(&tokens[run_end].folded.as_str())
                    && tokens[run_end].shape == Shape::Lower
                    && is_name_token(run_end + 1)
                {
                    run_end += 2;
                    continue;
                }
                break;
            }
            self.split_titles(tokens, run_start, run_end, &mut names);
            i = run_end;
        }
        for (index, name) in names.iter_mut().enumerate() {
            name.index = index;
        }
        names
    }

    /// Splits a run of name tokens at titles: "US President Donald Trump" gives the
    /// names "united states" and "donald trump", and the title "president".
    fn split_titles(&self, tokens: &[Token], start: usize, end: usize, names: &mut Vec<Name>) {
        let lex = &self.tokenizer.config().lexicons;
        let mut part_start = start;
        let mut titles = Vec::new();
        for i in start..=end {
            let is_title = i < end && lex.titles.contains(&tokens[i].folded);
            if i == end || is_title {
                if part_start < i {
                    let folded: Vec<&str> = tokens[part_start..i]
                        .iter()
                        .map(|t| t.folded.as_str())
                        .collect();
                    names.push(Name {
                        first: part_start,
                        last: i,
                        canonical: canonical_name(&folded.join(" "), &lex.aliases),
                        titles: std::mem::take(&mut titles),
                        index: 0,
                    });
                }
                if is_title {
                    titles.push(tokens[i].folded.clone());
                }
                part_start = i + 1;
            }
        }
        if let Some(last) = names.last_mut() {
            last.titles.extend(titles);
        }
    }

    /// The origin a clause is attributed to: "according to X" or "citing X" first,
    /// then "X said" / "said X". Unnamed sources ("people familiar") give none.
    fn attribution(
        &self,
        tokens: &[Token],
        cues: &[CueSpan],
        names: &[Name],
        own_outlet: &str,
    ) -> Option<Attribution> {
        let lex = &self.tokenizer.config().lexicons;
        let usable = |name: &&Name| name.canonical != own_outlet;
        for cue in cues.iter().filter(|c| c.kind == CueKind::Attribution) {
            let found = names
                .iter()
                .filter(usable)
                .find(|n| n.first >= cue.last && n.first <= cue.last + 2);
            if let Some(name) = found {
                return Some(Attribution::of(name));
            }
        }
        for (i, token) in tokens.iter().enumerate() {
            if !lex.attribution_verbs.contains(&token.folded) {
                continue;
            }
            let before = names.iter().filter(usable).find(|n| n.last == i);
            let after = names.iter().filter(usable).find(|n| n.first == i + 1);
            if let Some(name) = before.or(after) {
                return Some(Attribution::of(name));
            }
        }
        None
    }
}

/// A clause read for a claim, before the article-level context is added.
struct Draft(Reading);

/// One clause as read, before any filter.
#[derive(Debug, Clone)]
pub struct Reading {
    pub claim: Claim,
    pub prose: Prose,
    /// Stemmed key terms.
    pub terms: Words,
    /// Hashes of the clause's folded words, in order (`Wording::words`).
    pub word_hashes: Vec<u32>,
    /// Every cue in the clause, in order; a denial is also a negation of `claim`'s
    /// polarity, but only here can the two be told apart.
    pub cues: Vec<CueKind>,
    /// The clause ends in a question mark.
    pub question: bool,
}

/// The "MARSTON —" or "ELMSTEAD (Continental Press) —" opening a story: a place (not a
/// claim's subject) and, in parentheses, the wire agency the text comes from.
struct Dateline {
    /// Index of the first token after the dateline.
    end: usize,
    origin: Option<String>,
}

fn dateline(doc: &Doc, sentence: &Sentence) -> Option<Dateline> {
    let text = doc.sentence_text(sentence);
    let dash = text
        .find(['—', '–'])
        .or_else(|| text.find(" - "))
        .or_else(|| text.find(" -- "))?;
    let head = &text[..dash];
    let (place, agency) = match head.split_once('(') {
        Some((place, rest)) => (place, rest.split_once(')').map(|(agency, _)| agency.trim())),
        None => (head, None),
    };
    let place_is_caps = place.chars().any(char::is_alphabetic)
        && place
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    if !place_is_caps || head.split_whitespace().count() > 8 {
        return None;
    }
    let cut = sentence.start + dash;
    let end = sentence.tokens.iter().take_while(|t| t.end <= cut).count();
    Some(Dateline {
        end,
        origin: agency.filter(|a| !a.is_empty()).map(fold),
    })
}

/// What the article is about: the names its headline shares with its body, and the
/// name the body uses most (ties to the earliest). At most `MAX_TOPICS`.
fn topic_entities(drafts: &[(usize, Draft)], title_names: &[String]) -> Vec<String> {
    const MAX_TOPICS: usize = 3;
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (_, Draft(reading)) in drafts {
        for entity in reading.claim.entities.iter() {
            match counts.iter_mut().find(|(e, _)| *e == entity) {
                Some((_, n)) => *n += 1,
                None => counts.push((entity, 1)),
            }
        }
    }
    let mut topics: Vec<String> = title_names
        .iter()
        .filter(|name| counts.iter().any(|(e, _)| e == name))
        .cloned()
        .collect();
    if let Some(best) = counts.iter().map(|(_, n)| *n).max() {
        if let Some((entity, _)) = counts.iter().find(|(_, n)| *n == best) {
            topics.push(entity.to_string());
        }
    }
    topics.sort();
    topics.dedup();
    topics.truncate(MAX_TOPICS);
    topics
}

struct SentenceContext<'a> {
    doc: &'a Doc,
    sentence: &'a Sentence,
    /// First token after any dateline: the real start of the sentence.
    body_start: usize,
    capitalized_mid_sentence: &'a HashSet<String>,
    own_outlet: &'a str,
}

/// A name found in a clause; `first..last` index the clause's tokens.
#[derive(Debug)]
struct Name {
    first: usize,
    last: usize,
    canonical: String,
    titles: Vec<String>,
    index: usize,
}

struct Attribution {
    origin: String,
    name_index: usize,
}

impl Attribution {
    fn of(name: &Name) -> Attribution {
        Attribution {
            origin: name.canonical.clone(),
            name_index: name.index,
        }
    }
}

/// Folded name with aliases applied: "U.S" → "united states", "Türkiye" → "turkey".
pub fn canonical_name(folded: &str, aliases: &rustc_hash::FxHashMap<String, String>) -> String {
    if let Some(canonical) = aliases.get(folded) {
        return canonical.clone();
    }
    let without_periods = folded.replace('.', "");
    aliases
        .get(&without_periods)
        .cloned()
        .unwrap_or(without_periods)
}

/// Token ranges of the clauses of a sentence from token `start`: split at semicolons,
/// at ", while", ", whereas", ", but", and at ", and" between two parts of at least
/// `MIN_CLAUSE_WORDS` words, where one sentence joins two statements (a list such as
/// "Turkey, Russia, and China" stays whole).
fn clauses(doc: &Doc, sentence: &Sentence, start: usize) -> Vec<(usize, usize)> {
    const MIN_CLAUSE_WORDS: usize = 4;
    let tokens = &sentence.tokens;
    let mut bounds = Vec::new();
    let mut clause_start = start.min(tokens.len());
    for i in clause_start + 1..tokens.len() {
        let gap = &doc.text[tokens[i - 1].end..tokens[i].start];
        let word = tokens[i].folded.as_str();
        let contrast = matches!(word, "while" | "whereas" | "but");
        let joins_statements = word == "and"
            && i - clause_start >= MIN_CLAUSE_WORDS
            && tokens.len() - i > MIN_CLAUSE_WORDS;
        if gap.contains(';') || (gap.contains(',') && (contrast || joins_statements)) {
            bounds.push((clause_start, i));
            clause_start = i;
        }
    }
    bounds.push((clause_start, tokens.len()));
    bounds
}

/// Where negation stops applying to the claim: at a comma opening a participle or
/// relative clause ("voted against it, arguing that it failed to ...", ", who never
/// ..."), whose negations are about something else.
fn negation_scope(doc: &Doc, tokens: &[Token]) -> usize {
    (1..tokens.len())
        .find(|&i| {
            let gap = &doc.text[tokens[i - 1].end..tokens[i].start];
            let word = tokens[i].folded.as_str();
            gap.contains(',')
                && (word.ends_with("ing") || matches!(word, "who" | "which" | "where"))
        })
        .unwrap_or(tokens.len())
}

/// End byte of a clause: the end of the sentence for its last clause, otherwise the end
/// of its last token.
fn clause_end(sentence: &Sentence, last: usize) -> usize {
    if last == sentence.tokens.len() {
        sentence.end
    } else {
        sentence.tokens[last - 1].end
    }
}

/// Folded words the article capitalises somewhere other than a sentence start (the
/// first word after a dateline is a sentence start too).
pub fn capitalized_inside_sentences(doc: &Doc) -> HashSet<String> {
    doc.sentences
        .iter()
        .flat_map(|s| {
            let body_start = dateline(doc, s).map_or(0, |d| d.end);
            s.tokens.iter().skip(body_start + 1)
        })
        .filter(|t| t.shape == Shape::Capitalized)
        .map(|t| t.folded.clone())
        .collect()
}

/// Order-sensitive combination of word hashes into one shingle hash. Written by hand
/// because it must be identical on every platform and cheap enough for every window.
pub fn shingle_hash<Word: Copy + Into<u64>>(words: &[Word]) -> u64 {
    words.iter().fold(0x51_7c_c1_b7_27_22_0a_95, |acc, &word| {
        (acc ^ word.into())
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29)
    })
}

/// "c" + 16 hex digits of xxh3 over the article key and the claim's byte span.
pub fn claim_id(article_key: &str, start: usize, end: usize) -> ClaimId {
    let key = format!("{article_key}\u{0}{start}\u{0}{end}");
    ClaimId::new(xxh3_64(key.as_bytes()))
}

#[cfg(test)]
mod tests;

/// A claim naming `names` and stating `values` (kind, amount, unit), for tests of what
/// is kept of claims.
#[cfg(test)]
pub(crate) fn claim_stating(
    names: &[&str],
    values: &[(ValueKind, f64, &str)],
    polarity: Polarity,
) -> Claim {
    Claim {
        id: ClaimId::default(),
        start: 0,
        end: 0,
        entities: Words::new(names.iter().map(|name| name.to_string()).collect()),
        values: values
            .iter()
            .map(|&(kind, amount, unit)| Value {
                kind,
                amount,
                unit: unit.into(),
            })
            .collect(),
        polarity,
        hedged: false,
        attribution: None,
    }
}
