//! Per-stage benchmarks over a synthetic corpus built in memory.
//!
//! The corpus is deterministic (a fixed-seed xorshift64* generator, no `rand`): 400
//! articles (about 1 MB) from 20 outlets about 60 stories, written from sentence
//! templates with varied names (some non-ASCII: "Erdoğan", "Núñez", "Kraków"), numbers,
//! years, hedges ("reportedly", "could"), attributions ("according to Bloomberg",
//! "officials said"), per-outlet word choices (independent reports paraphrase), colour
//! sentences, quotes, page furniture, background facts of a consistent synthetic world,
//! three unreliable outlets that inflate numbers and flip polarity, and a wire story
//! that several outlets carry verbatim.
//!
//! Run with `cargo bench --bench stages` (about a minute on two cores), or
//! `cargo bench --bench stages -- tokenize` for one stage. Throughput of the text
//! stages is in bytes of article text, so their MB/s compare with each other and with
//! `unicode_words_baseline`; `agreement` counts claims and `score_engine` observations.
//!
//! `tokenize`, `unicode_words_baseline` and `extract_claims` run on one thread, one
//! article after another; `agreement` and `score_engine` use rayon's global pool as
//! the pipeline does.
//!
//! `CREDENCE_BENCH_DUMP=DIR target/release/deps/stages-*` writes the corpus as
//! `DIR/outlet-K/article-J.txt` instead of benchmarking, to read it or to run
//! `credence run DIR` on the same texts.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{criterion_group, BenchmarkGroup, Criterion, SamplingMode, Throughput};

use credence::agreement;
use credence::claims::ClaimExtractor;
use credence::config::Config;
use credence::progress::Progress;
use credence::score::engine::{self, Implication, Observation, Problem};
use credence::tokenize::Tokenizer;
use credence::Extraction;

// ---------------------------------------------------------------------------------
// Deterministic generator
// ---------------------------------------------------------------------------------

/// xorshift64* with a fixed seed: the same corpus on every machine and every run.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + (self.next() >> 11) % (hi - lo + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const SEED: u64 = 0x00C0_FFEE_D15E_A5E5;
const ARTICLES: usize = 400;
const OUTLETS: usize = 20;
const STORIES: usize = 60;

const OUTLET_NAMES: [&str; OUTLETS] = [
    "harbor-times",
    "valley-post",
    "northern-ledger",
    "daily-buzz",
    "metro-daily",
    "coastal-herald",
    "river-gazette",
    "lakeside-observer",
    "pine-valley-radio",
    "summit-chronicle",
    "bayside-courier",
    "prairie-sentinel",
    "capital-dispatch",
    "eastern-tribune",
    "western-star",
    "midland-record",
    "the-clarion",
    "granite-weekly",
    "tidewater-news",
    "hot-take-wire",
];

/// Outlets that inflate numbers and contradict the others.
const UNRELIABLE: [usize; 3] = [3, 11, 19];

const FIRST_NAMES: &[&str] = &[
    "José",
    "Recep",
    "Lena",
    "Martin",
    "Dana",
    "Sandra",
    "Owen",
    "Carla",
    "Ruth",
    "Rick",
    "Ana",
    "François",
    "Søren",
    "Zoë",
    "Łukasz",
    "Ángel",
    "Mehmet",
    "Ingrid",
    "Priya",
    "Kwame",
    "Hiroshi",
    "Björn",
    "Chloé",
    "Tomás",
    "Aylin",
    "Nikolai",
    "Fatima",
    "Dmitri",
    "Élodie",
    "Raúl",
];

const SURNAMES: &[&str] = &[
    "Erdoğan",
    "Núñez",
    "Ortiz",
    "Kell",
    "Whitfield",
    "Pike",
    "Kaplinski",
    "Mendes",
    "Abernathy",
    "Dominguez",
    "Müller",
    "Conceição",
    "Wójcik",
    "Çelik",
    "Dvořák",
    "Şahin",
    "Lindqvist",
    "Okafor",
    "Tanaka",
    "Bergström",
    "Fernández",
    "Novak",
    "Haddad",
    "Petrov",
    "Lefèvre",
    "García",
    "Nakamura",
    "Ødegaard",
    "Kowalczyk",
    "Brennan",
    "Yılmaz",
    "Moreau",
    "Adeyemi",
];

const ORG_STEMS: &[&str] = &[
    "Northwind",
    "Drayton",
    "Belcourt",
    "Ashgrove",
    "Calloway",
    "Redstone",
    "Meridian",
    "Halvorsen",
    "Brightwater",
    "Kestrel",
    "Vantage",
    "Solano",
    "Ironbridge",
    "Pemberton",
    "Zephyr",
    "Lumière",
    "Corvid",
    "Talisker",
    "Gränsfors",
    "Arcadia",
];

const ORG_KINDS: &[&str] = &[
    "Airlines",
    "Pharma",
    "Labs",
    "Energy",
    "Motors",
    "Bank",
    "Steel",
    "Logistics",
    "Telecom",
    "Foods",
];

const PLACES: &[&str] = &[
    "Marston",
    "Kesterfield",
    "Elmstead",
    "Greenhollow",
    "Ankara",
    "São Paulo",
    "Kraków",
    "Zürich",
    "Besançon",
    "Gdańsk",
    "Malmö",
    "İzmir",
    "Redstone",
    "Cedar Falls",
    "Alderport",
    "Bellhaven",
    "Dunmore",
    "Ashford",
    "Quillan",
    "Harrowgate",
    "Córdoba",
    "Reykjavík",
    "Thornbury",
    "Wexley",
    "Oakridge",
    "Millbrook",
    "Stonehaven",
    "Brackenridge",
    "Fairmoor",
    "Gilchrest",
    "Hollins",
    "Ivydale",
    "Juniper Bay",
    "Kingsmere",
    "Larkspur",
    "Moorfield",
    "Norhaven",
    "Oxbow",
    "Pendleton",
    "Quarrytown",
    "Ravenscar",
    "Saltmarsh",
    "Tillbury",
    "Umberton",
    "Valmont",
    "Windermere",
    "Yarrow",
    "Zellwood",
    "Łódź",
    "Poznań",
    "Škofja Loka",
    "Tromsø",
    "Göteborg",
    "Sevilla",
    "Nürnberg",
    "Trondheim",
    "Eskişehir",
    "Bucureşti",
    "Jyväskylä",
    "Coimbra",
    "Ålesund",
    "Piraeus",
    "Mersin",
    "Antalya",
];

const TITLES: &[&str] = &[
    "Mayor",
    "President",
    "Minister",
    "Governor",
    "Senator",
    "Chief Executive",
    "Director",
    "Commissioner",
    "Chairman",
    "Chief",
];

const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
/// Full month names; `{mon}` gives the AP abbreviation used before a date ("Sept. 9").
const MONTHS: &[&str] = &["January", "March", "April", "June", "September", "November"];

fn month_abbreviation(month: &str) -> &str {
    match month {
        "January" => "Jan.",
        "September" => "Sept.",
        "November" => "Nov.",
        other => other,
    }
}

const HEDGED_MODALS: &[&str] = &["could", "may", "is expected to", "reportedly will", "might"];
const HEDGED_ADVERBS: &[&str] = &["reportedly", "allegedly", "apparently"];

const ATTRIBUTIONS: &[&str] = &[
    "according to Bloomberg",
    "officials said",
    "Reuters reported",
    "citing people familiar with the matter",
    "the company said in a statement",
    "according to {person}",
    "{person} said",
    "according to county records",
    "Continental Press reported",
];

const COLOUR: &[&str] = &[
    "It was a grim morning in {place}.",
    "Residents said they were tired of waiting for answers.",
    "Frankly, the whole episode has been a circus.",
    "What happens next is anyone's guess.",
    "Nobody in {place} seemed surprised.",
    "The mood at city hall was tense.",
    "Is this really the best anyone can do?",
    "For now, the town waits.",
];

/// One story several outlets cover; the true values every honest outlet reports.
struct Story {
    kind: usize,
    org: String,
    org2: String,
    person: String,
    person2: String,
    title: &'static str,
    title2: &'static str,
    place: String,
    day: &'static str,
    month: &'static str,
    jobs: u64,
    billions: String,
    millions: String,
    year: u64,
    pct: String,
    tally: (u64, u64),
    injured: u64,
    acres: u64,
    residents: u64,
    date: u64,
    wire: Option<String>,
}

const STORY_KINDS: usize = 6;

/// Sentence templates per story kind; `{modal}`, `{adv}` are hedge slots and each
/// sentence may get an attribution appended.
const TEMPLATES: [&[&str]; STORY_KINDS] = [
    // business
    &[
        "{org} {modal} cut {jobs} jobs and close its {place} maintenance base",
        "{org} {modal} acquire {org2} for about ${billions} billion",
        "Shares of {org} fell {pct}% in early trading on {day}",
        "{title} {person} denied that {org} had agreed to sell its regional fleet",
        "{org} {adv} reported a net loss of ${millions} million last year",
        "The {place} base, which opened in {year}, employs about {residents} people",
        "The cuts take effect in {month} {year2}",
        "{org2} declined to comment on the talks with {org}",
        "{org} said the {place} site would not close before {month} {year2}",
    ],
    // politics
    &[
        "The {place} City Council voted {tally} on {day} to approve the {year2} budget",
        "{title} {person} signed the budget on {day}",
        "Council member {person2} voted against the budget",
        "The budget {modal} raise property taxes by {pct} percent",
        "{title} {person} met {title2} {person2} in {place} on {day} to discuss trade",
        "The plan keeps the reserve of {place} above {pct}% of operating spending",
        "{person2} said the plan asks too little of developers in {place}",
        "The {place} budget totals ${millions} million, up from {year}",
    ],
    // disaster
    &[
        "The {place} wildfire has burned about {acres} acres since {mon} {date}",
        "At least {injured} firefighters were injured while battling the blaze near {place}",
        "About {residents} residents were evacuated from {place} on {day}",
        "The fire was {pct} percent contained as of {day} evening, {title} {person} said",
        "Investigators have not determined what caused the {place} fire",
        "The blaze is the largest in {place} since a {year} fire in the county",
        "{title} {person} {adv} blamed an illegal fireworks party for the {place} fire",
        "State officials {modal} request federal aid for {place} by {day}",
    ],
    // infrastructure
    &[
        "The {place} Bridge was closed on {day} after inspectors found cracks in its steel girders",
        "The repair {modal} cost ${millions} million, the state transportation department said",
        "The {place} Bridge was built in {year}",
        "{title} {person} said the {place} Bridge would reopen in {month} {year2}",
        "About {residents} vehicles crossed the {place} Bridge each day before it closed",
        "{org} {adv} won the {place} repair contract worth ${millions} million",
        "Traffic was diverted to Route {route} and Interstate {interstate} on {day}",
        "{person2} said the {place} Bridge was never properly inspected",
    ],
    // courts
    &[
        "A federal jury in {place} ordered {org} to pay ${millions} million in damages on {day}",
        "{org} {modal} appeal the verdict, {title} {person} said",
        "The lawsuit, filed in {year}, accused {org} of hiding defects in its {org2} products",
        "Judge {person2} rejected a request by {org} to delay the trial",
        "The jury deliberated for {injured} days before reaching a {tally} verdict",
        "{org} {adv} set aside ${billions} billion for legal claims last quarter",
        "About {residents} plaintiffs joined the case against {org}",
        "Shares of {org} dropped {pct}% after the ruling",
    ],
    // health
    &[
        "{place} General Hospital reported {residents} cases of measles since {mon} {date}",
        "Health officials in {place} {modal} extend the vaccination campaign until {month} {year2}",
        "At least {injured} patients remain in intensive care at {place} General Hospital",
        "{title} {person} said the outbreak began at a school in {place}",
        "The {place} health department spent ${millions} million on the response",
        "{org} {adv} shipped {jobs} doses of vaccine to {place} on {day}",
        "Vaccination rates in {place} fell to {pct} percent in {year}",
        "{person2} denied that the hospital had turned patients away",
    ],
];

fn name(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES))
}

fn org(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(ORG_STEMS), rng.pick(ORG_KINDS))
}

/// "12,400" style thousands separators.
/// Place names: a prefix and a base, "Port Kraków", "North Marston", 198 of them.
fn place(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(PLACE_PREFIXES), rng.pick(PLACES))
}

const PLACE_PREFIXES: &[&str] = &[
    "", "Port ", "North ", "East ", "Lake ", "New ", "Upper ", "West ", "Fort ",
];

fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn make_story(rng: &mut Rng, index: usize) -> Story {
    let billions = rng.range(11, 98);
    let millions = rng.range(120, 9_800);
    let pct = rng.range(12, 95);
    let yes = rng.range(5, 9);
    Story {
        kind: index % STORY_KINDS,
        org: org(rng),
        org2: org(rng),
        person: name(rng),
        person2: name(rng),
        title: rng.pick(TITLES),
        title2: rng.pick(TITLES),
        place: place(rng),
        day: rng.pick(DAYS),
        month: rng.pick(MONTHS),
        jobs: rng.range(3, 90) * 100,
        billions: format!("{}.{}", billions / 10, billions % 10),
        millions: format!("{}.{}", millions / 10, millions % 10),
        year: rng.range(1950, 2019),
        pct: format!("{}.{}", pct / 10, pct % 10),
        tally: (yes, rng.range(0, 3)),
        injured: rng.range(2, 9),
        acres: rng.range(8, 120) * 100,
        residents: rng.range(40, 900),
        date: rng.range(1, 28),
        wire: None,
    }
}

/// Fills a template with the story's values; an unreliable outlet inflates numbers.
fn fill(template: &str, story: &Story, rng: &mut Rng, inflate: bool) -> String {
    let scale = |n: u64| if inflate { n * 5 / 2 } else { n };
    let modal = if rng.chance(0.3) {
        rng.pick(HEDGED_MODALS)
    } else {
        "will"
    };
    let adv = if rng.chance(0.3) {
        rng.pick(HEDGED_ADVERBS)
    } else {
        ""
    };
    let millions = if inflate {
        format!(
            "{}",
            scale(story.millions.split('.').next().unwrap().parse().unwrap())
        )
    } else {
        story.millions.clone()
    };
    let year = if inflate {
        (story.year + 13).min(2025)
    } else {
        story.year
    };
    let tally = if inflate {
        (story.tally.0 - 1, story.tally.1 + 1)
    } else {
        story.tally
    };
    // An unreliable outlet also flips the story's polarity now and then.
    let template = if inflate && rng.chance(0.5) {
        template.replace(" signed the budget", " did not sign the budget")
    } else {
        template.to_string()
    };
    let mut out = template
        .replace("{org2}", &story.org2)
        .replace("{org}", &story.org)
        .replace("{person2}", &story.person2)
        .replace("{person}", &story.person)
        .replace("{title2}", story.title2)
        .replace("{title}", story.title)
        .replace("{place}", &story.place)
        .replace("{day}", story.day)
        .replace("{month}", story.month)
        .replace("{mon}", month_abbreviation(story.month))
        .replace("{jobs}", &grouped(scale(story.jobs)))
        .replace("{billions}", &story.billions)
        .replace("{millions}", &millions)
        .replace("{year2}", "2026")
        .replace("{year}", &year.to_string())
        .replace("{pct}", &story.pct)
        .replace("{tally}", &format!("{}-{}", tally.0, tally.1))
        .replace("{injured}", &scale(story.injured).to_string())
        .replace("{acres}", &grouped(scale(story.acres)))
        .replace("{residents}", &grouped(story.residents))
        .replace("{date}", &story.date.to_string())
        .replace("{route}", &(story.date + 3).to_string())
        .replace("{interstate}", &(story.residents + 17).to_string())
        .replace("{modal}", modal);
    // Every `{adv}` slot is followed by a space; an empty hedge takes it away.
    if adv.is_empty() {
        out = out.replace("{adv} ", "");
    } else {
        out = out.replace("{adv}", adv);
    }
    out
}

/// A sentence with an optional attribution and its final period.
/// Word choices an outlet's writers vary, so that independent reports of one fact are
/// paraphrases rather than verbatim copies (which copy detection would collapse).
const SYNONYMS: &[(&str, &[&str])] = &[
    ("about", &["about", "roughly", "nearly", "some"]),
    ("cut", &["cut", "eliminate", "shed"]),
    ("close", &["close", "shut", "shutter"]),
    ("found", &["found", "discovered", "detected"]),
    ("approve", &["approve", "pass", "adopt"]),
    ("injured", &["injured", "hurt"]),
    ("evacuated", &["evacuated", "moved out"]),
    ("reported", &["reported", "recorded", "confirmed"]),
    ("said", &["said", "told reporters", "stated"]),
    ("after", &["after", "when", "once"]),
    ("fell", &["fell", "dropped", "slid"]),
    ("bought", &["bought", "purchased", "acquired"]),
    ("worth", &["worth", "valued at"]),
    ("announced", &["announced", "launched"]),
    ("residents", &["residents", "people"]),
    ("officials", &["officials", "authorities"]),
    ("request", &["request", "bid"]),
    ("spent", &["spent", "paid out"]),
    ("rose", &["rose", "climbed", "increased"]),
    ("ordered", &["ordered", "told"]),
    ("shipped", &["shipped", "sent"]),
    ("blamed", &["blamed", "faulted"]),
    ("party", &["party", "gathering"]),
    ("supplier", &["supplier", "vendor"]),
    ("contract", &["contract", "deal"]),
    ("plan", &["plan", "proposal"]),
    ("fire", &["fire", "blaze"]),
    ("built", &["built", "constructed", "completed"]),
    ("lawsuit", &["lawsuit", "suit"]),
    ("damages", &["damages", "compensation"]),
    ("verdict", &["verdict", "ruling"]),
    ("cases", &["cases", "infections"]),
    ("plant", &["plant", "factory"]),
    ("base", &["base", "facility"]),
    ("loss", &["loss", "deficit"]),
    ("vehicles", &["vehicles", "cars"]),
    ("jobs", &["jobs", "positions"]),
    ("proposed", &["proposed", "suggested"]),
    ("region", &["region", "area"]),
    ("inspected", &["inspected", "examined"]),
    ("repaired", &["repaired", "fixed"]),
    ("leased", &["leased", "rented"]),
    ("tested", &["tested", "trialed"]),
    ("customers", &["customers", "buyers", "clients"]),
    ("early", &["early", "morning"]),
    ("meeting", &["meeting", "session"]),
    ("talks", &["talks", "negotiations"]),
    ("rejected", &["rejected", "turned down"]),
    ("traffic", &["traffic", "cars"]),
];

/// One article's choice among `SYNONYMS`; all zeros is the wire's own wording.
struct Style(Vec<usize>);

impl Style {
    fn plain() -> Style {
        Style(vec![0; SYNONYMS.len()])
    }

    fn random(rng: &mut Rng) -> Style {
        Style(
            SYNONYMS
                .iter()
                .map(|(_, alts)| rng.below(alts.len()))
                .collect(),
        )
    }

    fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (&choice, (word, alts)) in self.0.iter().zip(SYNONYMS) {
            if choice == 0 {
                continue;
            }
            for end in [" ", ",", "."] {
                out = out.replace(&format!(" {word}{end}"), &format!(" {}{end}", alts[choice]));
            }
        }
        out
    }
}

fn sentence(template: &str, story: &Story, rng: &mut Rng, inflate: bool) -> String {
    let mut text = fill(template, story, rng, inflate);
    let attributed = ["said", "according to", "reported", "citing"]
        .iter()
        .any(|cue| text.contains(cue));
    if !attributed && rng.chance(0.35) {
        let attribution = rng.pick(ATTRIBUTIONS).replace("{person}", &story.person2);
        text.push_str(", ");
        text.push_str(&attribution);
    }
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

const QUOTES: &[&str] = &[
    "We will keep working for the people of {place}",
    "This is a painful day for a lot of families",
    "People want answers, and we will give them when we have them",
    "Those numbers speak for themselves",
    "Nobody wanted it to come to this",
    "We listened to people in every neighborhood, and I think this plan shows it",
    "Our crews have been working in brutal conditions",
    "I have never seen anything like it in {place}",
];

fn quote(story: &Story, rng: &mut Rng, curly: bool) -> String {
    let said = rng.pick(QUOTES).replace("{place}", &story.place);
    let (open, close) = if curly { ('“', '”') } else { ('"', '"') };
    if rng.chance(0.5) {
        format!(
            "{open}{said},{close} said {} {}.",
            story.title, story.person
        )
    } else {
        format!("{open}{said},{close} {} told reporters.", story.person2)
    }
}

fn paragraphs_to_text(headline: &str, paragraphs: &[String], blank_lines: bool) -> String {
    let mut text = String::with_capacity(4096);
    text.push_str(headline);
    text.push_str("\n\n");
    for paragraph in paragraphs {
        text.push_str(paragraph);
        text.push('\n');
        if blank_lines {
            text.push('\n');
        }
    }
    text
}

/// Background sentences with fresh names and numbers each time: single-source claims
/// that corroborate nothing, as most of a real article's detail does.
const BACKGROUND: &[&str] = &[
    "Last year, {org} paid ${millions} million to settle a lawsuit brought by {place} residents",
    "{title} {person} told reporters in {place} on {day} that talks with {org} would continue",
    "In {year}, {org} moved its headquarters to {place}",
    "{org} employs about {residents} people in {place}, according to its annual report",
    "The {place} region lost {jobs} manufacturing jobs between {year} and 2024",
    "{person} has led {org} since {year}",
    "Unemployment in {place} stood at {pct}% in {month}",
    "{org} did not respond to a request for comment on {day}",
    "The {place} project was first proposed in {year} by {title} {person}",
    "{org} {adv} spent ${millions} million on lobbying in {place} over the past decade",
    "{title} {person} is not expected to attend the meeting in {place} on {day}",
    "Dr. {person} of the {place} Institute said the figures were consistent with earlier U.S. estimates",
    "{org} opened a ${millions} million distribution center outside {place} in {year}",
    "Average rents in {place} rose {pct}% over the past year",
    "The {place} school board approved a {tally} plan to close two elementary schools",
    "{title} {person} announced a run for governor on {day}",
    "Police in {place} arrested {injured} people after protests on {day}",
    "{org} recalled {jobs} vehicles over faulty brakes in {month}",
    "The {place} airport handled {residents} flights in {month}, a record",
    "A {year} audit found {org} had overbilled {place} by ${millions} million",
];

const SUBJECTS: &[&str] = &[
    "{org}",
    "{title} {person}",
    "{person}",
    "Officials in {place}",
    "The {place} council",
    "{org2}",
];
const VERBS: &[&str] = &[
    "bought",
    "sold",
    "shipped",
    "repaired",
    "inspected",
    "leased",
    "ordered",
    "recalled",
    "donated",
    "installed",
    "imported",
    "exported",
    "auctioned",
    "scrapped",
    "rented",
    "delivered",
    "financed",
    "insured",
    "stockpiled",
    "refurbished",
    "seized",
    "licensed",
    "returned",
    "upgraded",
    "tested",
];
const NOUNS: &[&str] = &[
    "trucks",
    "turbines",
    "apartments",
    "ventilators",
    "laptops",
    "buses",
    "tractors",
    "ambulances",
    "solar panels",
    "freight cars",
    "ferries",
    "drones",
    "printers",
    "generators",
    "water pumps",
    "streetlights",
    "classrooms",
    "hospital beds",
    "shipping containers",
    "bicycles",
    "excavators",
    "cranes",
    "radios",
    "boilers",
    "forklifts",
    "wind masts",
    "satellites",
    "fire engines",
    "patrol boats",
    "snowplows",
    "tablets",
    "microscopes",
    "tents",
    "grain silos",
    "heat pumps",
    "charging stations",
    "train carriages",
    "scanners",
    "kilns",
    "looms",
];
const TAILS: &[&str] = &[
    "for schools in {place}",
    "from a supplier in {place}",
    "at its {place} plant",
    "for the {place} port authority",
    "under a contract signed in {year}",
    "worth ${millions} million",
    "in {month} {year2}",
    "on {day}",
    "for about ${millions} million",
    "to customers in {place}",
    "after a review that began in {year}",
    "despite objections from {title} {person}",
    "with help from {org2}",
    "ahead of the {year2} season",
    "to replace equipment bought in {year}",
];

/// A background sentence from the grammar above: over 100,000 frames, so two
/// background sentences share a frame about as rarely as in real prose.
fn background_template(rng: &mut Rng) -> String {
    let count = rng.range(2, 900);
    format!(
        "{} {} {} {} {}",
        rng.pick(SUBJECTS),
        if rng.chance(0.2) { "{adv} " } else { "" },
        rng.pick(VERBS),
        if rng.chance(0.2) {
            grouped(count * 10)
        } else {
            count.to_string()
        },
        rng.pick(NOUNS),
    )
    .replace("  ", " ")
        + " "
        + rng.pick(TAILS)
}

/// Distinct background facts in the synthetic world: a template and one of these
/// seeds fix every name and number, so outlets that mention the same background fact
/// state the same values, as they would about the real world.
const WORLD_FACTS: u64 = 3000;

fn body(story: &Story, rng: &mut Rng, outlet: usize, inflate: bool, style: &Style) -> Vec<String> {
    let templates = TEMPLATES[story.kind];
    let curly = outlet % 4 == 1;
    let mut paragraphs = Vec::new();
    let dateline = story.place.to_uppercase();
    paragraphs.push(format!(
        "{dateline} — {}",
        style.apply(&sentence(templates[0], story, rng, inflate))
    ));
    // The rest of the story's facts in an outlet-specific order, each told once.
    let mut facts: Vec<&str> = templates[1..].to_vec();
    for i in (1..facts.len()).rev() {
        facts.swap(i, rng.below(i + 1));
    }
    facts.truncate(rng.range(4, facts.len() as u64) as usize);
    let sentences = rng.range(22, 36);
    let mut paragraph = String::new();
    for _ in 0..sentences {
        let next = if !facts.is_empty() && rng.chance(0.4) {
            let template = facts.pop().expect("not empty");
            sentence(template, story, rng, inflate)
        } else {
            match rng.below(10) {
                0 => rng.pick(COLOUR).replace("{place}", &story.place),
                1 | 2 => quote(story, rng, curly),
                _ => {
                    // A fact of the world: its seed fixes the wording and every value.
                    let world = rng.below(WORLD_FACTS as usize) as u64;
                    let mut world_rng =
                        Rng::new(SEED ^ (world + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
                    let background = make_story(&mut world_rng, 0);
                    let template = if world.is_multiple_of(5) {
                        BACKGROUND[world_rng.below(BACKGROUND.len())].to_string()
                    } else {
                        background_template(&mut world_rng)
                    };
                    let template = template.as_str();
                    sentence(template, &background, rng, false)
                }
            }
        };
        if !paragraph.is_empty() {
            paragraph.push(' ');
        }
        paragraph.push_str(&style.apply(&next));
        if rng.chance(0.4) {
            paragraphs.push(std::mem::take(&mut paragraph));
        }
    }
    if !paragraph.is_empty() {
        paragraphs.push(paragraph);
    }
    paragraphs
}

fn furniture(outlet: usize, rng: &mut Rng) -> Vec<String> {
    let mut lines = Vec::new();
    if rng.chance(0.3) {
        lines.push(format!(
            "Photo: Crews at work on {}. ({}/{}. {})",
            rng.pick(DAYS),
            OUTLET_NAMES[outlet],
            rng.pick(FIRST_NAMES).chars().next().unwrap_or('A'),
            rng.pick(SURNAMES)
        ));
    }
    lines.push(match outlet % 4 {
        0 => format!(
            "Support independent local journalism. Donate to {} today.",
            OUTLET_NAMES[outlet]
        ),
        1 => "Sign up for our morning newsletter to get the day's top stories.".to_string(),
        2 => "SHARE THIS STORY".to_string(),
        _ => format!(
            "Copyright {} 2026. All rights reserved.",
            OUTLET_NAMES[outlet]
        ),
    });
    lines
}

/// An article in memory: `outlet-K/article-J.txt` key, outlet name, text.
struct Article {
    key: String,
    outlet: &'static str,
    text: String,
}

fn build_corpus() -> Vec<Article> {
    let mut rng = Rng::new(SEED);
    let mut stories: Vec<Story> = (0..STORIES).map(|i| make_story(&mut rng, i)).collect();
    // Every story gets a place of its own, so two stories never share a frame.
    let mut places: Vec<String> = PLACE_PREFIXES
        .iter()
        .flat_map(|prefix| PLACES.iter().map(move |base| format!("{prefix}{base}")))
        .collect();
    for i in (1..places.len()).rev() {
        places.swap(i, rng.below(i + 1));
    }
    for (story, place) in stories.iter_mut().zip(places) {
        story.place = place;
    }
    // A third of the stories have a wire version that several outlets carry verbatim.
    for index in (0..STORIES).step_by(3) {
        let mut wire_rng = Rng::new(SEED ^ (index as u64 + 1).wrapping_mul(0x9e37_79b9));
        let story = &stories[index];
        let paragraphs = body(story, &mut wire_rng, 0, false, &Style::plain());
        let mut wire = paragraphs.join("\n\n");
        wire = wire.replacen(" — ", " (Continental Press) — ", 1);
        stories[index].wire = Some(wire);
    }
    let mut articles = Vec::with_capacity(ARTICLES);
    let mut per_outlet = [0usize; OUTLETS];
    for index in 0..ARTICLES {
        let outlet = if rng.chance(0.8) {
            index % OUTLETS
        } else {
            rng.below(OUTLETS)
        };
        // Stories cluster: most articles are about a recent handful.
        let story = &stories[(index / 7 + rng.below(4)) % STORIES];
        let inflate = UNRELIABLE.contains(&outlet) && rng.chance(0.7);
        let headline = format!(
            "{} {}",
            story.place,
            rng.pick(&[
                "faces new questions",
                "latest: what we know",
                "officials respond",
                "in focus"
            ])
        );
        let mut paragraphs = match &story.wire {
            Some(wire) if !inflate && rng.chance(0.3) => vec![wire.clone()],
            _ => {
                let style = Style::random(&mut rng);
                body(story, &mut rng, outlet, inflate, &style)
            }
        };
        paragraphs.extend(furniture(outlet, &mut rng));
        let text = paragraphs_to_text(&headline, &paragraphs, outlet % 5 != 3);
        let j = per_outlet[outlet];
        per_outlet[outlet] += 1;
        articles.push(Article {
            key: format!("outlet-{outlet}/article-{j}.txt"),
            outlet: OUTLET_NAMES[outlet],
            text,
        });
    }
    articles
}

fn total_bytes(articles: &[Article]) -> u64 {
    articles.iter().map(|a| a.text.len() as u64).sum()
}

// ---------------------------------------------------------------------------------
// Claims and corpus exactly as `credence::analyze` builds them
// ---------------------------------------------------------------------------------

fn extract_all(config: &Config, articles: &[Article]) -> Extraction {
    let articles = articles
        .iter()
        .map(|a| credence::ingest::Article {
            key: a.key.clone(),
            outlet: a.outlet.to_string(),
            title: None,
            url: None,
            published: None,
            text: a.text.clone(),
            input: 0,
        })
        .collect();
    credence::extract(articles, config, None, &Progress::hidden())
}

// ---------------------------------------------------------------------------------
// Structured problem for the score engine
// ---------------------------------------------------------------------------------

const SOURCES: usize = 20_000;
const ITEMS: usize = 300_000;
const OBSERVATIONS: usize = 1_000_000;

/// 1M observations: every item observed at least once, source activity skewed
/// (a few prolific sources, a long tail), each source right with its own accuracy
/// (value 0 is the truth), weights as hedges and attributions leave them.
fn build_problem() -> Problem {
    let mut rng = Rng::new(SEED ^ 0x5c0e);
    let item_values: Vec<usize> = (0..ITEMS).map(|_| 1 + rng.below(3)).collect();
    let accuracy: Vec<f64> = (0..SOURCES).map(|_| 0.5 + 0.49 * rng.unit()).collect();
    let weights = [1.0, 1.0, 1.0, 0.8, 0.5, 0.4];
    let observations = (0..OBSERVATIONS)
        .map(|index| {
            let item = if index < ITEMS {
                index
            } else {
                rng.below(ITEMS)
            };
            let u = rng.unit();
            let source = ((u * u) * SOURCES as f64) as usize % SOURCES;
            let values = item_values[item];
            let value = if values == 1 || rng.chance(accuracy[source]) {
                0
            } else {
                1 + rng.below(values - 1)
            };
            Observation {
                source,
                item,
                value,
                voice: source,
                weight: rng.pick(&weights),
            }
        })
        .collect();
    // Neighbouring values of an item imply each other, as near-equal figures do.
    let implications = item_values
        .iter()
        .enumerate()
        .flat_map(|(item, &values)| {
            (1..values).flat_map(move |value| {
                [(value - 1, value), (value, value - 1)].map(|(from, to)| Implication {
                    item,
                    from,
                    to,
                    strength: 0.5,
                })
            })
        })
        .collect();
    Problem {
        sources: SOURCES,
        item_values,
        observations,
        implications,
    }
}

// ---------------------------------------------------------------------------------
// Benchmarks
// ---------------------------------------------------------------------------------

fn group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(5));
    group
}

fn bench_tokenize(c: &mut Criterion) {
    let config = Config::builtin();
    let articles = build_corpus();
    let tokenizer = Tokenizer::new(&config);
    let mut group = group(c, "tokenize");
    group.throughput(Throughput::Bytes(total_bytes(&articles)));
    group.bench_function(format!("{ARTICLES}_articles"), |b| {
        b.iter(|| {
            for article in &articles {
                black_box(tokenizer.tokenize(black_box(&article.text)));
            }
        })
    });
    group.finish();
}

fn bench_unicode_words_baseline(c: &mut Criterion) {
    use unicode_segmentation::UnicodeSegmentation;
    let articles = build_corpus();
    let mut group = group(c, "unicode_words_baseline");
    group.throughput(Throughput::Bytes(total_bytes(&articles)));
    group.bench_function(format!("{ARTICLES}_articles"), |b| {
        b.iter(|| {
            let mut words = 0;
            for article in &articles {
                words += black_box(article.text.as_str()).unicode_words().count();
            }
            black_box(words)
        })
    });
    group.finish();
}

fn bench_extract_claims(c: &mut Criterion) {
    let config = Config::builtin();
    let articles = build_corpus();
    let extractor = ClaimExtractor::new(&config);
    let mut group = group(c, "extract_claims");
    // Over 100 ms an iteration: the same iteration count in every sample keeps the
    // run inside its measurement time.
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Bytes(total_bytes(&articles)));
    group.bench_function(format!("{ARTICLES}_articles"), |b| {
        b.iter(|| {
            for article in &articles {
                black_box(extractor.extract(
                    &article.key,
                    article.outlet,
                    black_box(&article.text),
                ));
            }
        })
    });
    group.finish();
}

fn bench_agreement(c: &mut Criterion) {
    let config = Config::builtin();
    let articles = build_corpus();
    let extracted = extract_all(&config, &articles);
    let story_articles = extracted.story_articles();
    let corpus = extracted.corpus(&story_articles);
    let once = agreement::analyze(&corpus, &config.agreement, &config.stories);
    eprintln!(
        "agreement: {} articles, {} stories, {} claims, {} facts, {} evidence pairs, {} copied article pairs",
        articles.len(),
        once.stories.stories.len(),
        extracted.claims.len(),
        once.facts.len(),
        once.evidence.len(),
        once.copied_articles.len()
    );
    let mut group = group(c, "agreement");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(extracted.claims.len() as u64));
    group.bench_function(format!("{ARTICLES}_articles"), |b| {
        b.iter(|| {
            black_box(agreement::analyze(
                black_box(&corpus),
                &config.agreement,
                &config.stories,
            ))
        })
    });
    group.finish();
}

fn bench_score_engine(c: &mut Criterion) {
    let config = Config::builtin();
    let problem = build_problem();
    let copying = config.facts.copying();
    let once = engine::solve(&problem, &config.score, copying);
    eprintln!(
        "score_engine: {} sources, {} items, {} observations, {} iterations, converged {}",
        problem.sources,
        problem.item_values.len(),
        problem.observations.len(),
        once.iterations,
        once.converged
    );
    let mut group = group(c, "score_engine");
    group.throughput(Throughput::Elements(problem.observations.len() as u64));
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("1M_observations", |b| {
        b.iter(|| black_box(engine::solve(black_box(&problem), &config.score, copying)))
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_tokenize,
    bench_unicode_words_baseline,
    bench_extract_claims,
    bench_agreement,
    bench_score_engine
);

/// `criterion_main!` plus one extra: with `CREDENCE_BENCH_DUMP=DIR` set, writes the
/// synthetic corpus as `DIR/outlet-K/article-J.txt` (for eyeballing, or for running
/// `credence run DIR` on the very same texts) and exits without benchmarking.
fn main() {
    if let Some(dir) = std::env::var_os("CREDENCE_BENCH_DUMP") {
        let dir = std::path::PathBuf::from(dir);
        let articles = build_corpus();
        for article in &articles {
            let path = dir.join(&article.key);
            std::fs::create_dir_all(path.parent().expect("article keys have a directory"))
                .expect("cannot create corpus directory");
            std::fs::write(&path, &article.text).expect("cannot write article");
        }
        eprintln!(
            "wrote {} articles ({} bytes) under {}",
            articles.len(),
            total_bytes(&articles),
            dir.display()
        );
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
