//! `credence gen`: a deterministic synthetic news corpus with planted truth.
//!
//! Benchmarks need large corpora that look like news to the pipeline, and evaluation
//! needs corpora whose right answers are known. Each generated corpus has stories (a
//! place, companies and people of their own, and seven facts, each with one true value
//! and two wrong ones) covered by several outlets. Every outlet has a planted
//! reliability, the chance that it states a fact's true value when it writes the story
//! itself, and its own rates of hedging, attributing and carrying the wire agency's copy
//! verbatim. Around the facts are 3-5 KB of colour, quotes, background facts of a
//! consistent synthetic world, datelines and page furniture.
//!
//! Everything is a function of the seed and an article's index (xorshift64* streams
//! derived per article, story and outlet), so a corpus is byte-identical on every
//! machine and for every thread count, and articles can be made in parallel or one at
//! a time without holding the corpus in memory.

mod words;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use rayon::prelude::*;

use words::{FactTemplate, Slot, FACTS};

/// xorshift64*: small, fast and identical everywhere; no `rand` so that a corpus never
/// changes with a dependency's version.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n`; `n` must not be 0.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + (self.next_u64() >> 11) % (hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// A seed for one stream (`domain`: articles, stories, ...; `index` within it), so
/// that any article can be made without making the ones before it. SplitMix64's
/// finaliser spreads neighbouring indices over the whole range.
fn derive(seed: u64, domain: u64, index: u64) -> u64 {
    let mut z = seed
        ^ domain.wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ index.wrapping_mul(0xd1b5_4a32_d192_ed03);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const ARTICLE_STREAM: u64 = 1;
const STORY_STREAM: u64 = 2;
const OUTLET_STREAM: u64 = 3;
const WORLD_STREAM: u64 = 4;
const WIRE_STREAM: u64 = 5;

/// Articles per story on average; stories are covered by about this many outlets.
const ARTICLES_PER_STORY: usize = 7;
/// Every `WIRE_EVERY`th story has a wire version outlets may carry verbatim.
const WIRE_EVERY: usize = 3;
/// An outlet's wrong statement of a fact is the first wrong value this often, so wrong
/// reports sometimes agree with each other, as misreports copied around do.
const COMMON_ERROR: f64 = 0.7;
/// Article body size in bytes, before furniture.
const BODY_BYTES: (u64, u64) = (3000, 4800);
/// The planted facts an article states besides its lede.
const FACTS_STATED: (u64, u64) = (3, 6);

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub articles: usize,
    pub outlets: usize,
    pub seed: u64,
}

/// An outlet and the habits planted in it.
#[derive(Debug, Clone)]
pub struct OutletProfile {
    /// Directory name and outlet: "harbor-times".
    pub name: String,
    /// As written in its furniture: "Harbor Times".
    pub display: String,
    /// Chance that a fact it reports itself carries the true value.
    pub reliability: f64,
    pub hedge_rate: f64,
    pub attribution_rate: f64,
    /// Chance that it carries a story's wire version verbatim, when there is one.
    pub copy_rate: f64,
    footer: usize,
    blank_lines: bool,
    curly_quotes: bool,
}

struct Story {
    kind: usize,
    org: String,
    org2: String,
    person: String,
    person2: String,
    title: &'static str,
    place: String,
    day: &'static str,
    month: (&'static str, &'static str),
    date: u64,
    /// What `person` and `person2` say: one line each, index into `QUOTES`, which
    /// every outlet quotes (two different lines of one speaker would read as rival
    /// claims about them).
    quotes: [usize; 2],
    /// Per fact: the true value, then two wrong ones.
    values: Vec<[String; 3]>,
}

/// One planted fact as stated in one article: `value` 0 is the truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement {
    /// `story * FACTS_PER_STORY + fact`.
    pub fact: usize,
    pub value: usize,
}

/// One generated article.
#[derive(Debug, Clone)]
pub struct GeneratedArticle {
    pub outlet: usize,
    /// Path under the corpus's `articles/` directory: "harbor-times/0000042.txt".
    pub key: String,
    pub text: String,
    pub statements: Vec<Statement>,
    /// Carries the wire's text verbatim.
    pub copied: bool,
}

pub const FACTS_PER_STORY: usize = 7;

/// A corpus ready to be generated: outlets and stories are drawn up front (they are
/// small); articles are made on demand.
pub struct Generator {
    params: Params,
    outlets: Vec<OutletProfile>,
    stories: Vec<Story>,
}

impl Generator {
    pub fn new(params: Params) -> Generator {
        let outlets = (0..params.outlets)
            .map(|o| outlet_profile(params.seed, o))
            .collect();
        let stories = (0..story_count(params.articles))
            .map(|s| make_story(&mut Rng::new(derive(params.seed, STORY_STREAM, s as u64))))
            .collect();
        Generator {
            params,
            outlets,
            stories,
        }
    }

    pub fn params(&self) -> Params {
        self.params
    }

    pub fn outlets(&self) -> &[OutletProfile] {
        &self.outlets
    }

    pub fn facts(&self) -> usize {
        self.stories.len() * FACTS_PER_STORY
    }

    /// Article `index` (0-based), the same whatever else was generated.
    pub fn article(&self, index: usize) -> GeneratedArticle {
        let mut rng = Rng::new(derive(self.params.seed, ARTICLE_STREAM, index as u64));
        let outlet = rng.below(self.outlets.len());
        let profile = &self.outlets[outlet];
        let story_index = (index / ARTICLES_PER_STORY + rng.below(3)) % self.stories.len();
        let story = &self.stories[story_index];
        let headline = format!("{}: {}", story.place, rng.pick(words::HEADLINES));

        let has_wire = story_index.is_multiple_of(WIRE_EVERY);
        let copied = has_wire && rng.chance(profile.copy_rate);
        let (body, statements) = if copied {
            self.wire(story_index)
        } else {
            let style = Style::random(&mut rng);
            let writer = Writer {
                story,
                story_index,
                profile,
                style: &style,
                dateline: format!("{} —", story.place.to_uppercase()),
                seed: self.params.seed,
                world: world_size(self.params.articles),
            };
            writer.body(&mut rng)
        };

        let mut paragraphs = body;
        paragraphs.extend(furniture(profile, &mut rng));
        let separator = if profile.blank_lines { "\n\n" } else { "\n" };
        let mut text = String::with_capacity(5200);
        text.push_str(&headline);
        text.push_str("\n\n");
        text.push_str(&paragraphs.join(separator));
        text.push('\n');
        GeneratedArticle {
            outlet,
            key: format!("{}/{index:07}.txt", profile.name),
            text,
            statements,
            copied,
        }
    }

    /// The wire agency's version of a story: every value true, plain wording, its
    /// name in the dateline. Every outlet carrying it carries these very paragraphs.
    fn wire(&self, story_index: usize) -> (Vec<String>, Vec<Statement>) {
        let mut rng = Rng::new(derive(self.params.seed, WIRE_STREAM, story_index as u64));
        let story = &self.stories[story_index];
        let profile = OutletProfile {
            name: String::new(),
            display: words::WIRE.to_string(),
            reliability: 1.0,
            hedge_rate: 0.1,
            attribution_rate: 0.2,
            copy_rate: 0.0,
            footer: 0,
            blank_lines: true,
            curly_quotes: false,
        };
        let writer = Writer {
            story,
            story_index,
            profile: &profile,
            style: &Style::plain(),
            dateline: format!("{} ({}) —", story.place.to_uppercase(), words::WIRE),
            seed: self.params.seed,
            world: world_size(self.params.articles),
        };
        writer.body(&mut rng)
    }

    /// The planted fact `fact` (see `Statement::fact`): its story kind, its statement
    /// with the true value, and its values (true first).
    pub fn planted(&self, fact: usize) -> PlantedFact<'_> {
        let story = &self.stories[fact / FACTS_PER_STORY];
        let template = &FACTS[story.kind][fact % FACTS_PER_STORY];
        PlantedFact {
            kind: words::STORY_KINDS[story.kind],
            statement: fill(
                template.text,
                story,
                &story.values[fact % FACTS_PER_STORY][0],
                "will",
                "",
            ),
            values: &story.values[fact % FACTS_PER_STORY],
        }
    }
}

pub struct PlantedFact<'a> {
    pub kind: &'static str,
    pub statement: String,
    pub values: &'a [String; 3],
}

fn story_count(articles: usize) -> usize {
    (articles / ARTICLES_PER_STORY).max(1)
}

/// Distinct background facts. An article mentions about 25 in passing; with forty per
/// article most are mentioned once and some by two or three articles, as the
/// background detail of real news is rarely repeated across outlets. (Facts every
/// outlet repeats truthfully would also drown the planted reliability in agreement.)
fn world_size(articles: usize) -> usize {
    (articles * 40).max(1000)
}

fn outlet_profile(seed: u64, index: usize) -> OutletProfile {
    let mut rng = Rng::new(derive(seed, OUTLET_STREAM, index as u64));
    let heads = words::MASTHEAD_HEADS;
    let tails = words::MASTHEAD_TAILS;
    let head = heads[index % heads.len()];
    let tail = tails[(index / heads.len()) % tails.len()];
    let round = index / (heads.len() * tails.len());
    let (name, display) = if round == 0 {
        (
            format!("{head}-{tail}"),
            format!("{} {}", title_case(head), title_case(tail)),
        )
    } else {
        (
            format!("{head}-{tail}-{}", round + 1),
            format!("{} {} {}", title_case(head), title_case(tail), round + 1),
        )
    };
    OutletProfile {
        name,
        display,
        reliability: 0.3 + 0.68 * rng.unit(),
        hedge_rate: 0.05 + 0.3 * rng.unit(),
        attribution_rate: 0.1 + 0.3 * rng.unit(),
        copy_rate: 0.05 + 0.35 * rng.unit(),
        footer: rng.below(5),
        blank_lines: rng.chance(0.8),
        curly_quotes: rng.chance(0.3),
    }
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn person(rng: &mut Rng) -> String {
    format!(
        "{} {}{}",
        rng.pick(words::FIRST_NAMES),
        rng.pick(words::SURNAME_HEADS),
        rng.pick(words::SURNAME_TAILS)
    )
}

fn place(rng: &mut Rng) -> String {
    format!(
        "{}{}{}",
        rng.pick(words::PLACE_HEADS),
        rng.pick(words::PLACE_MIDDLES),
        rng.pick(words::PLACE_TAILS)
    )
}

fn org(rng: &mut Rng) -> String {
    format!(
        "{}{} {}",
        rng.pick(words::ORG_HEADS),
        rng.pick(words::ORG_TAILS),
        rng.pick(words::ORG_KINDS)
    )
}

fn make_story(rng: &mut Rng) -> Story {
    let kind = rng.below(words::STORY_KINDS.len());
    let org = org(rng);
    let mut org2 = org.clone();
    while org2 == org {
        org2 = self::org(rng);
    }
    let values = FACTS[kind]
        .iter()
        .map(|template| planted_values(template.slot, rng))
        .collect();
    Story {
        kind,
        org,
        org2,
        person: person(rng),
        person2: person(rng),
        title: rng.pick(words::TITLES),
        place: place(rng),
        day: rng.pick(words::DAYS),
        month: rng.pick(words::MONTHS),
        date: rng.range(1, 28),
        quotes: [
            rng.below(words::QUOTES.len()),
            rng.below(words::QUOTES.len()),
        ],
        values,
    }
}

/// A true value and two wrong ones, far enough apart that no tolerance merges them.
fn planted_values(slot: Slot, rng: &mut Rng) -> [String; 3] {
    match slot {
        Slot::Count { lo, hi, step } => {
            let truth = rng.range(lo / step, hi / step) * step;
            let high = (truth * 5 / 2).div_ceil(step) * step;
            let low = (truth * 2 / 5 / step).max(1) * step;
            let low = if low == truth { truth + 3 * step } else { low };
            [grouped(truth), grouped(high), grouped(low)]
        }
        Slot::Tenths { lo, hi } => {
            let truth = rng.range(lo, hi);
            let low = (truth / 2).max(1);
            let high = if truth * 2 <= 999 {
                truth * 2
            } else {
                truth * 3 / 2
            };
            [tenths(truth), tenths(high), tenths(low)]
        }
        Slot::Year => {
            let truth = rng.range(1950, 2012);
            [truth, truth + 9, truth - 13].map(|y| y.to_string())
        }
        Slot::Tally => {
            let yes = rng.range(5, 9);
            let no = rng.range(0, 3);
            [(yes, no), (yes - 1, no + 1), (yes - 2, no + 2)].map(|(y, n)| format!("{y}-{n}"))
        }
    }
}

/// "1,322.5" from 13225.
fn tenths(n: u64) -> String {
    format!("{}.{}", grouped(n / 10), n % 10)
}

/// "12,400": thousands separated by commas, as AP style writes counts.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Fills a story template: `value` goes into `{v}`, `will` into `{will}`, `adv` (empty
/// or a hedging adverb with its space) into `{adv}`.
fn fill(template: &str, story: &Story, value: &str, will: &str, adv: &str) -> String {
    fill_with(template, |key, out| {
        let text = match key {
            "v" => value,
            "will" => will,
            "adv" => adv,
            "org" => &story.org,
            "org2" => &story.org2,
            "person" => &story.person,
            "person2" => &story.person2,
            "title" => story.title,
            "place" => &story.place,
            "day" => story.day,
            "month" => story.month.0,
            "mon" => story.month.1,
            "date" => {
                let _ = write!(out, "{}", story.date);
                return;
            }
            other => unreachable!("template slot {{{other}}} has no value"),
        };
        out.push_str(text);
    })
}

/// Copies `template`, calling `slot` for each `{key}` to write its value.
fn fill_with(template: &str, mut slot: impl FnMut(&str, &mut String)) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("templates close their slots");
        slot(&rest[open + 1..close], &mut out);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// One article's choices among `SYNONYMS`; all zeros is the wire's own wording.
struct Style(Vec<usize>);

impl Style {
    fn plain() -> Style {
        Style(vec![0; words::SYNONYMS.len()])
    }

    fn random(rng: &mut Rng) -> Style {
        Style(
            words::SYNONYMS
                .iter()
                .map(|(_, alternatives)| rng.below(alternatives.len()))
                .collect(),
        )
    }

    /// Swaps whole words for the article's choices.
    fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let mut word_start = None;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            if c.is_alphabetic() {
                word_start.get_or_insert(i);
                continue;
            }
            if let Some(start) = word_start.take() {
                let word = &text[start..i];
                let swapped = words::SYNONYMS
                    .iter()
                    .zip(&self.0)
                    .find(|((plain, _), _)| *plain == word)
                    .map_or(word, |((_, alternatives), &choice)| alternatives[choice]);
                out.push_str(swapped);
            }
            if i < text.len() {
                out.push(c);
            }
        }
        out
    }
}

/// Writes one outlet's version of a story.
struct Writer<'a> {
    story: &'a Story,
    story_index: usize,
    profile: &'a OutletProfile,
    style: &'a Style,
    dateline: String,
    seed: u64,
    world: usize,
}

impl Writer<'_> {
    /// Paragraphs of a body and the planted facts they state: the lede, then some of
    /// the story's other facts among filler, about 3-5 KB in all.
    fn body(&self, rng: &mut Rng) -> (Vec<String>, Vec<Statement>) {
        let mut statements = Vec::new();
        let mut facts: Vec<usize> = (1..FACTS_PER_STORY).collect();
        for i in (1..facts.len()).rev() {
            facts.swap(i, rng.below(i + 1));
        }
        facts.truncate(rng.range(FACTS_STATED.0, FACTS_STATED.1) as usize);

        let lede = self.fact_sentence(0, rng, &mut statements);
        let mut paragraphs = vec![format!("{} {lede}", self.dateline)];
        let target = rng.range(BODY_BYTES.0, BODY_BYTES.1) as usize;
        let mut size = paragraphs[0].len();
        let mut paragraph = String::new();
        while size < target || !facts.is_empty() {
            let sentence = match facts.last() {
                Some(&fact) if size >= target || rng.chance(0.3) => {
                    facts.pop();
                    self.fact_sentence(fact, rng, &mut statements)
                }
                _ => self.filler(rng),
            };
            size += sentence.len() + 1;
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(&sentence);
            if rng.chance(0.4) {
                paragraphs.push(std::mem::take(&mut paragraph));
            }
        }
        if !paragraph.is_empty() {
            paragraphs.push(paragraph);
        }
        (paragraphs, statements)
    }

    /// A planted fact in this outlet's words: its value true with the outlet's
    /// reliability, maybe hedged, maybe attributed.
    fn fact_sentence(&self, fact: usize, rng: &mut Rng, statements: &mut Vec<Statement>) -> String {
        let value = if rng.chance(self.profile.reliability) {
            0
        } else if rng.chance(COMMON_ERROR) {
            1
        } else {
            2
        };
        statements.push(Statement {
            fact: self.story_index * FACTS_PER_STORY + fact,
            value,
        });
        let template: &FactTemplate = &FACTS[self.story.kind][fact];
        let hedged = rng.chance(self.profile.hedge_rate);
        let will = if hedged {
            rng.pick(words::HEDGED_MODALS)
        } else {
            "will"
        };
        let adv = if hedged {
            format!("{} ", rng.pick(words::HEDGED_ADVERBS))
        } else {
            String::new()
        };
        // The attribution is added after the paraphrase: "Bloomberg reported" must stay
        // an attribution, not become a name with a verb the lexicon does not know.
        let mut text = self.style.apply(&fill(
            template.text,
            self.story,
            &self.story.values[fact][value],
            will,
            &adv,
        ));
        if !text.contains(" said") && rng.chance(self.profile.attribution_rate) {
            let attribution = rng
                .pick(words::ATTRIBUTIONS)
                .replace("{person2}", &self.story.person2);
            text.push_str(", ");
            text.push_str(&attribution);
        }
        text.push('.');
        text
    }

    /// Colour, a quote, or a background fact of the synthetic world.
    fn filler(&self, rng: &mut Rng) -> String {
        let story = self.story;
        let text = match rng.below(10) {
            0 => rng.pick(words::COLOUR).replace("{place}", &story.place),
            1 | 2 => {
                let speaker = rng.below(2);
                let said = words::QUOTES[story.quotes[speaker]].replace("{place}", &story.place);
                let (open, close) = if self.profile.curly_quotes {
                    ('“', '”')
                } else {
                    ('"', '"')
                };
                if speaker == 0 {
                    format!(
                        "{open}{said},{close} said {} {}.",
                        story.title, story.person
                    )
                } else {
                    format!("{open}{said},{close} {} told reporters.", story.person2)
                }
            }
            _ => background(self.seed, rng.below(self.world)),
        };
        self.style.apply(&text)
    }
}

/// Background fact `index` of the world: its own seed fixes its names, numbers and
/// wording, so articles that mention it agree, as they would about the real world.
fn background(seed: u64, index: usize) -> String {
    let mut rng = Rng::new(derive(seed, WORLD_STREAM, index as u64));
    let template = rng.pick(words::BACKGROUND);
    let (org, person, place) = (org(&mut rng), person(&mut rng), place(&mut rng));
    let count = rng.range(2, 900);
    fill_with(template, |key, out| match key {
        "org" => out.push_str(&org),
        "person" => out.push_str(&person),
        "place" => out.push_str(&place),
        "title" => out.push_str(rng.pick(words::TITLES)),
        "day" => out.push_str(rng.pick(words::DAYS)),
        "verb" => out.push_str(rng.pick(words::VERBS)),
        "noun" => out.push_str(rng.pick(words::NOUNS)),
        "n" => out.push_str(&grouped(count)),
        "m" => out.push_str(&tenths(rng.range(12, 9800))),
        "y" => {
            let _ = write!(out, "{}", rng.range(1960, 2020));
        }
        other => unreachable!("background slot {{{other}}} has no value"),
    })
}

/// Page furniture under the story: sometimes a photo caption with a credit, always
/// the outlet's own box or line, repeated in every article it publishes.
fn furniture(profile: &OutletProfile, rng: &mut Rng) -> Vec<String> {
    let mut lines = Vec::new();
    if rng.chance(0.3) {
        let initial = rng.pick(words::FIRST_NAMES).chars().next().unwrap_or('A');
        lines.push(format!(
            "Photo: Crews at work on {}. ({}/{initial}. {}{})",
            rng.pick(words::DAYS),
            profile.display,
            rng.pick(words::SURNAME_HEADS),
            rng.pick(words::SURNAME_TAILS)
        ));
    }
    let name = &profile.display;
    lines.push(match profile.footer {
        0 => format!("Support independent local journalism. Donate to {name} today."),
        1 => "Sign up for our morning newsletter to get the day's top stories.".to_string(),
        2 => "SHARE THIS STORY".to_string(),
        3 => format!("Copyright {name} 2026. All rights reserved."),
        _ => format!("{name} is an independent newsroom serving the region since 1987."),
    });
    lines
}

/// What `write_corpus` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub articles: usize,
    pub bytes: u64,
    pub outlets: usize,
    pub facts: usize,
    /// The directory to pass to `credence run`.
    pub articles_dir: PathBuf,
}

/// The file that marks a directory as a generated corpus and records its parameters;
/// written last, so a corpus that has it is complete.
pub const MARKER: &str = "generated.txt";

/// Identifies the generator's code, so a corpus written by another version is never
/// mistaken for the one this version would write.
fn fingerprint() -> u64 {
    let source = [include_str!("mod.rs"), include_str!("words.rs")].concat();
    xxhash_rust::xxh3::xxh3_64(source.as_bytes())
}

/// `generated.txt`'s lines before the counts: what fixes the corpus's bytes.
fn marker_head(params: Params) -> String {
    format!(
        "generator = {:016x}\narticles = {}\noutlets = {}\nseed = {}\n",
        fingerprint(),
        params.articles,
        params.outlets,
        params.seed
    )
}

/// The summary of the corpus in `dir` if this generator wrote it with `params`.
pub fn existing(params: Params, dir: &Path) -> Option<Summary> {
    let marker = fs::read_to_string(dir.join(MARKER)).ok()?;
    let counts = marker.strip_prefix(&marker_head(params))?;
    let field = |name: &str| -> Option<u64> {
        counts
            .lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(" = ")?.parse().ok())
    };
    Some(Summary {
        articles: params.articles,
        bytes: field("bytes")?,
        outlets: params.outlets,
        facts: usize::try_from(field("facts")?).ok()?,
        articles_dir: dir.join("articles"),
    })
}

/// Writes the corpus under `dir`: `articles/OUTLET/NNNNNNN.txt`, the ground truth in
/// `truth/outlets.csv` and `truth/facts.csv`, and `generated.txt`. A directory that
/// holds anything but an earlier generated corpus is left alone.
pub fn write_corpus(params: Params, dir: &Path) -> anyhow::Result<Summary> {
    if params.articles == 0 || params.outlets == 0 {
        bail!("--articles and --outlets must be at least 1");
    }
    prepare_dir(dir)?;
    let generator = Generator::new(params);
    let articles_dir = dir.join("articles");
    for outlet in generator.outlets() {
        let path = articles_dir.join(&outlet.name);
        fs::create_dir_all(&path).with_context(|| format!("cannot create {}", path.display()))?;
    }

    let mut tally = Tally::new(&generator);
    // Blocks bound the memory a parallel batch holds; the tally is summed in order.
    const BLOCK: usize = 4096;
    for block_start in (0..params.articles).step_by(BLOCK) {
        let block_end = (block_start + BLOCK).min(params.articles);
        let written: Vec<(GeneratedArticle, u64)> = (block_start..block_end)
            .into_par_iter()
            .map(|index| {
                let mut article = generator.article(index);
                let path = articles_dir.join(&article.key);
                fs::write(&path, &article.text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                let bytes = article.text.len() as u64;
                article.text = String::new();
                Ok((article, bytes))
            })
            .collect::<anyhow::Result<_>>()?;
        for (article, bytes) in written {
            tally.add(&article, bytes);
        }
    }

    let truth = dir.join("truth");
    fs::create_dir_all(&truth).with_context(|| format!("cannot create {}", truth.display()))?;
    tally.write_outlets(&generator, &truth.join("outlets.csv"))?;
    tally.write_facts(&generator, &truth.join("facts.csv"))?;
    let marker = format!(
        "{}bytes = {}\nfacts = {}\n",
        marker_head(params),
        tally.bytes,
        generator.facts()
    );
    let marker_path = dir.join(MARKER);
    fs::write(&marker_path, marker)
        .with_context(|| format!("cannot write {}", marker_path.display()))?;
    Ok(Summary {
        articles: params.articles,
        bytes: tally.bytes,
        outlets: params.outlets,
        facts: generator.facts(),
        articles_dir,
    })
}

/// Empties a directory that holds an earlier generated corpus, creates a missing one,
/// and refuses anything else.
fn prepare_dir(dir: &Path) -> anyhow::Result<()> {
    if !dir.exists() {
        return fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()));
    }
    let mut entries =
        fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    if entries.next().is_none() {
        return Ok(());
    }
    if !dir.join(MARKER).is_file() {
        bail!(
            "{} exists and is not a generated corpus (no {MARKER}); not replacing it",
            dir.display()
        );
    }
    for entry in [MARKER, "articles", "truth"] {
        let path = dir.join(entry);
        let removed = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else if path.exists() {
            fs::remove_file(&path)
        } else {
            Ok(())
        };
        removed.with_context(|| format!("cannot remove {}", path.display()))?;
    }
    Ok(())
}

/// Counts for the ground-truth files.
struct Tally {
    bytes: u64,
    /// Per outlet: articles, copied articles, statements, true statements.
    outlets: Vec<[u64; 4]>,
    /// Per fact: statements, true statements.
    facts: Vec<[u32; 2]>,
}

impl Tally {
    fn new(generator: &Generator) -> Tally {
        Tally {
            bytes: 0,
            outlets: vec![[0; 4]; generator.outlets().len()],
            facts: vec![[0; 2]; generator.facts()],
        }
    }

    fn add(&mut self, article: &GeneratedArticle, bytes: u64) {
        self.bytes += bytes;
        let outlet = &mut self.outlets[article.outlet];
        outlet[0] += 1;
        outlet[1] += u64::from(article.copied);
        for statement in &article.statements {
            let right = statement.value == 0;
            outlet[2] += 1;
            outlet[3] += u64::from(right);
            self.facts[statement.fact][0] += 1;
            self.facts[statement.fact][1] += u32::from(right);
        }
    }

    fn write_outlets(&self, generator: &Generator, path: &Path) -> anyhow::Result<()> {
        let mut out = csv::Writer::from_path(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        out.write_record([
            "outlet",
            "reliability",
            "hedge_rate",
            "attribution_rate",
            "copy_rate",
            "articles",
            "wire_copies",
            "statements",
            "true_statements",
        ])?;
        for (profile, counts) in generator.outlets().iter().zip(&self.outlets) {
            out.write_record([
                profile.name.clone(),
                format!("{:.4}", profile.reliability),
                format!("{:.4}", profile.hedge_rate),
                format!("{:.4}", profile.attribution_rate),
                format!("{:.4}", profile.copy_rate),
                counts[0].to_string(),
                counts[1].to_string(),
                counts[2].to_string(),
                counts[3].to_string(),
            ])?;
        }
        out.flush()
            .with_context(|| format!("cannot write {}", path.display()))
    }

    fn write_facts(&self, generator: &Generator, path: &Path) -> anyhow::Result<()> {
        let mut out = csv::Writer::from_path(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        out.write_record([
            "fact",
            "story",
            "kind",
            "statement",
            "true_value",
            "wrong_values",
            "statements",
            "true_statements",
        ])?;
        for (fact, counts) in self.facts.iter().enumerate() {
            if counts[0] == 0 {
                continue;
            }
            let planted = generator.planted(fact);
            out.write_record([
                format!("s{}.{}", fact / FACTS_PER_STORY, fact % FACTS_PER_STORY),
                (fact / FACTS_PER_STORY).to_string(),
                planted.kind.to_string(),
                planted.statement,
                planted.values[0].clone(),
                format!("{}; {}", planted.values[1], planted.values[2]),
                counts[0].to_string(),
                counts[1].to_string(),
            ])?;
        }
        out.flush()
            .with_context(|| format!("cannot write {}", path.display()))
    }
}

#[cfg(test)]
mod tests;
