//! The generator's vocabulary: name parts, story templates, filler prose and furniture.
//!
//! Names are built from parts (a first name and a two-part surname, a two-part place
//! with an optional prefix, a two-part company stem and a kind) so that tens of
//! thousands of stories each get names of their own: stories that shared names would
//! chain unrelated claims into one fact, which real archives rarely do.

/// One fact of a story: a sentence with one planted value `{v}` of `slot`'s kind. The
/// other slots are the story's own (`{org}`, `{org2}`, `{person}`, `{person2}`,
/// `{title}`, `{place}`, `{day}`, `{mon}`, `{date}`, `{month}`), plus `{will}` and
/// `{adv}`, where an outlet's hedge goes.
pub struct FactTemplate {
    pub text: &'static str,
    pub slot: Slot,
}

/// The kind of a planted value, and how its true and wrong versions are drawn. No
/// story has two facts with the same kind and unit (all money is one unit, dollars,
/// whether in millions or billions), so two facts of one story never look like rival
/// values of one fact.
#[derive(Debug, Clone, Copy)]
pub enum Slot {
    /// A count of something, `lo..=hi` in steps of `step`, written "1,200".
    Count {
        lo: u64,
        hi: u64,
        step: u64,
    },
    /// Tenths of `lo..=hi`, written "48.6" (money in millions or billions, percent).
    Tenths {
        lo: u64,
        hi: u64,
    },
    Year,
    /// A vote: "7-2".
    Tally,
}

const fn count(lo: u64, hi: u64, step: u64) -> Slot {
    Slot::Count { lo, hi, step }
}

const fn tenths(lo: u64, hi: u64) -> Slot {
    Slot::Tenths { lo, hi }
}

const fn fact(text: &'static str, slot: Slot) -> FactTemplate {
    FactTemplate { text, slot }
}

pub const STORY_KINDS: &[&str] = &[
    "business",
    "politics",
    "disaster",
    "infrastructure",
    "courts",
    "health",
];

/// Facts per story kind, in `STORY_KINDS` order; the first is the lede.
pub const FACTS: [&[FactTemplate]; 6] = [
    &[
        fact(
            "{org} {will} cut {v} jobs at its {place} plant",
            count(300, 9000, 100),
        ),
        fact("{org} {will} buy {v} stores from {org2}", count(12, 900, 1)),
        fact(
            "Shares of {org} fell {v}% in early trading on {day}",
            tenths(12, 95),
        ),
        fact(
            "{org} {adv}reported a net loss of ${v} million last year",
            tenths(120, 9800),
        ),
        fact("The {org} plant in {place} {adv}opened in {v}", Slot::Year),
        fact(
            "{org} {adv}employs about {v} people in {place}",
            count(400, 20000, 100),
        ),
        fact(
            "{org} {will} move {v} engineers to {org2} in {month}",
            count(20, 900, 10),
        ),
    ],
    &[
        fact(
            "The {place} City Council voted {v} on {day} to approve the budget",
            Slot::Tally,
        ),
        fact(
            "The {place} budget {adv}totals ${v} million",
            tenths(300, 9800),
        ),
        fact(
            "The budget {will} raise property taxes in {place} by {v} percent",
            tenths(11, 89),
        ),
        fact(
            "{title} {person} was {adv}first elected in {place} in {v}",
            Slot::Year,
        ),
        fact(
            "About {v} residents {adv}signed a petition against the {place} budget",
            count(200, 9000, 10),
        ),
        fact(
            "{person2} {adv}won {v} votes in the {place} council race",
            count(900, 40000, 10),
        ),
        fact(
            "The {place} plan {will} add {v} police officers by {month}",
            count(12, 300, 1),
        ),
    ],
    &[
        fact(
            "The {place} wildfire has {adv}burned about {v} acres since {mon} {date}",
            count(800, 12000, 100),
        ),
        fact(
            "At least {v} firefighters were {adv}injured battling the blaze near {place}",
            count(2, 40, 1),
        ),
        fact(
            "About {v} residents were {adv}evacuated from {place} on {day}",
            count(400, 9000, 100),
        ),
        fact(
            "The {place} fire was {adv}{v} percent contained as of {day} evening",
            tenths(120, 950),
        ),
        fact(
            "The blaze is {adv}the largest in {place} since a {v} fire",
            Slot::Year,
        ),
        fact(
            "{place} officials {will} request ${v} million in federal aid",
            tenths(50, 2000),
        ),
        fact(
            "The fire {adv}destroyed {v} homes in {place}",
            count(10, 900, 1),
        ),
    ],
    &[
        fact("The {place} Bridge was {adv}built in {v}", Slot::Year),
        fact(
            "The {place} Bridge repair {will} cost ${v} million",
            tenths(120, 9800),
        ),
        fact(
            "About {v} vehicles {adv}crossed the {place} Bridge each day before it closed",
            count(4000, 90000, 100),
        ),
        fact(
            "Traffic on the roads around {place} {adv}rose {v}% after the closure",
            tenths(50, 600),
        ),
        fact(
            "Inspectors {adv}found {v} cracks in the girders of the {place} Bridge",
            count(3, 90, 1),
        ),
        fact(
            "The {place} Bridge is {adv}about {v} feet long",
            count(400, 9000, 10),
        ),
        fact(
            "{org} {adv}hired {v} workers for the {place} Bridge repair",
            count(40, 2000, 10),
        ),
    ],
    &[
        fact(
            "A federal jury in {place} {adv}ordered {org} to pay ${v} million in damages on {day}",
            tenths(120, 9800),
        ),
        fact(
            "The lawsuit against {org} was {adv}filed in {v}",
            Slot::Year,
        ),
        fact("The jury {adv}voted {v} in the {org} case", Slot::Tally),
        fact(
            "About {v} plaintiffs {adv}joined the case against {org}",
            count(40, 9000, 10),
        ),
        fact(
            "Shares of {org} {adv}dropped {v}% after the {place} verdict",
            tenths(12, 95),
        ),
        fact(
            "{org} {adv}faces {v} similar lawsuits in other states",
            count(3, 400, 1),
        ),
        fact(
            "The jury {adv}deliberated for {v} days before the {org} verdict",
            count(2, 30, 1),
        ),
    ],
    &[
        fact(
            "{place} Memorial Hospital {adv}reported {v} cases of measles since {mon} {date}",
            count(40, 2000, 1),
        ),
        fact(
            "At least {v} patients {adv}remain in intensive care at {place} Memorial Hospital",
            count(3, 80, 1),
        ),
        fact(
            "The {place} health department {adv}spent ${v} million on the outbreak",
            tenths(12, 980),
        ),
        fact(
            "Vaccination rates in {place} {adv}fell to {v} percent",
            tenths(600, 950),
        ),
        fact(
            "{org} {adv}shipped {v} doses of vaccine to {place} on {day}",
            count(1000, 90000, 100),
        ),
        fact(
            "The last measles outbreak in {place} was {adv}in {v}",
            Slot::Year,
        ),
        fact(
            "{title} {person} said {v} schools in {place} had {adv}closed",
            count(3, 120, 1),
        ),
    ],
];

pub const HEADLINES: &[&str] = &[
    "what we know",
    "officials respond",
    "the numbers behind the story",
    "residents react",
    "what happens next",
    "questions mount",
];

pub const FIRST_NAMES: &[&str] = &[
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
    "Grace",
    "Samuel",
    "Oksana",
    "Thabo",
    "Mei",
    "Javier",
    "Astrid",
    "Emre",
    "Noor",
    "Pádraig",
    "Helen",
    "Marcus",
    "Yusuf",
    "Irene",
    "Tobias",
    "Leila",
    "Gareth",
    "Ines",
    "Viktor",
    "Amara",
    "Callum",
    "Rosa",
    "Anders",
    "Keiko",
    "Omar",
    "Beatriz",
    "Declan",
    "Hana",
    "Piotr",
    "Nadia",
];

pub const SURNAME_HEADS: &[&str] = &[
    "Abel", "Ash", "Bran", "Cal", "Dal", "Ek", "Fen", "Gar", "Hal", "Ivan", "Jar", "Kel", "Lind",
    "Mar", "Nor", "Øst", "Pal", "Quin", "Ros", "Şah", "Tor", "Ul", "Val", "Wes", "Yar", "Zel",
    "Ben", "Cor", "Dor", "Fal", "Gul", "Hol", "Kor", "Lem", "Mor", "Nik", "Orm", "Pet", "Ril",
    "Sten",
];

pub const SURNAME_TAILS: &[&str] = &[
    "berg", "ford", "sen", "son", "ova", "ez", "ski", "ley", "ard", "ini", "wick", "ović", "ström",
    "quist", "ton", "man", "ek", "ani", "enko", "ier", "ado", "ić", "stad", "holm", "well",
    "ridge", "mont", "etti", "ides", "çek",
];

pub const PLACE_HEADS: &[&str] = &[
    "Ash", "Elm", "Brack", "Cedar", "Dun", "Fair", "Glen", "Hollin", "Iron", "Juniper", "Kings",
    "Lark", "Mill", "Nor", "Oak", "Pen", "Quarry", "Raven", "Salt", "Thorn", "Umber", "Val", "Wex",
    "Yarrow", "Zell", "Stone", "Bell", "Alder", "Marsh", "Kester",
];

/// Mostly nothing: "Ashford", "Ashenford", "Ashingford".
pub const PLACE_MIDDLES: &[&str] = &["", "", "", "", "en", "er", "ing", "le", "s", "ton"];

pub const PLACE_TAILS: &[&str] = &[
    "ford", "stead", "haven", "field", "mouth", "bury", "ton", "wick", "dale", "port", "moor",
    "ridge", "brook", "gate", "ley", "wood", "holm", "by", "cross", "møre",
];

pub const ORG_HEADS: &[&str] = &[
    "Bright", "Silver", "Iron", "Red", "Blue", "Green", "Gold", "Storm", "Clear", "High", "Deep",
    "True", "Swift", "Star", "Sun", "Moon", "Frost", "Stone", "Oak", "Pine",
];

pub const ORG_TAILS: &[&str] = &[
    "water", "line", "gate", "field", "bridge", "wind", "point", "crest", "view", "path", "mark",
    "wave", "light", "rock", "vale",
];

pub const ORG_KINDS: &[&str] = &[
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
    "Insurance",
    "Shipping",
];

pub const TITLES: &[&str] = &[
    "Mayor",
    "Governor",
    "Senator",
    "Director",
    "Commissioner",
    "Chairman",
    "Chief",
    "Minister",
];

pub const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/// Full month names, and the AP abbreviation used before a date ("Sept. 9").
pub const MONTHS: &[(&str, &str)] = &[
    ("January", "Jan."),
    ("March", "March"),
    ("April", "April"),
    ("June", "June"),
    ("September", "Sept."),
    ("November", "Nov."),
];

pub const HEDGED_MODALS: &[&str] = &["could", "may", "is expected to", "might"];
pub const HEDGED_ADVERBS: &[&str] = &["reportedly", "allegedly", "apparently"];

/// Attributions an outlet appends; `{person2}` is the story's named source, the others
/// are unnamed or a wire agency every outlet may cite.
pub const ATTRIBUTIONS: &[&str] = &[
    "{person2} said",
    "according to {person2}",
    "officials said",
    "Bloomberg reported",
    "citing people familiar with the matter",
    "according to county records",
];

pub const COLOUR: &[&str] = &[
    "It was a grim morning in {place}.",
    "Residents said they were tired of waiting for answers.",
    "Frankly, the whole episode has been a circus.",
    "What happens next is anyone's guess.",
    "Nobody in {place} seemed surprised.",
    "The mood at city hall was tense.",
    "Is this really the best anyone can do?",
    "For now, the town waits.",
    "The streets of {place} were unusually quiet on the weekend.",
    "Few people expected the story to move this quickly.",
];

pub const QUOTES: &[&str] = &[
    "We will keep working for the people of {place}",
    "This is a painful day for a lot of families",
    "People want answers, and we will give them when we have them",
    "Those numbers speak for themselves",
    "Nobody wanted it to come to this",
    "We listened to people in every neighborhood, and I think this plan shows it",
    "Our crews have been working in brutal conditions",
    "I have never seen anything like it in {place}",
];

/// Background sentences: facts of a consistent synthetic world that articles mention
/// in passing, with the world's names and numbers (`{n}` a count, `{m}` millions,
/// `{y}` a year).
pub const BACKGROUND: &[&str] = &[
    "{org} did not respond to a request for comment on {day}.",
    "Dr. {person} of the {place} Institute said the figures were consistent with earlier U.S. estimates.",
    "{org} {verb} {n} {noun} for schools in {place}.",
    "In {y}, {org} {verb} {n} {noun} to {place}.",
    "{title} {person} said {place} had {verb} {n} {noun} since {y}.",
    "Officials in {place} {verb} {n} {noun} under a contract signed in {y}.",
    "{org} {verb} {n} {noun} from a supplier in {place} for ${m} million.",
];

pub const VERBS: &[&str] = &[
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
    "scrapped",
    "delivered",
    "financed",
    "refurbished",
    "upgraded",
    "tested",
];

pub const NOUNS: &[&str] = &[
    "trucks",
    "turbines",
    "ventilators",
    "laptops",
    "buses",
    "tractors",
    "ambulances",
    "solar panels",
    "freight cars",
    "ferries",
    "drones",
    "generators",
    "water pumps",
    "streetlights",
    "hospital beds",
    "shipping containers",
    "bicycles",
    "excavators",
    "cranes",
    "radios",
    "boilers",
    "forklifts",
    "snowplows",
    "tablets",
    "microscopes",
    "heat pumps",
    "charging stations",
    "scanners",
];

/// Word choices an outlet's writers vary, so that independent reports of one fact are
/// paraphrases rather than verbatim copies (which copy detection would collapse). The
/// nouns that are units of planted counts stay fixed: "1,200 jobs" and "3,000
/// positions" are not rival figures of one thing.
pub const SYNONYMS: &[(&str, &[&str])] = &[
    ("about", &["about", "roughly", "nearly", "some"]),
    ("cut", &["cut", "eliminate", "shed"]),
    ("found", &["found", "discovered", "detected"]),
    ("approve", &["approve", "pass", "adopt"]),
    ("injured", &["injured", "hurt"]),
    ("evacuated", &["evacuated", "moved out"]),
    ("reported", &["reported", "recorded", "confirmed"]),
    ("fell", &["fell", "dropped", "slid"]),
    ("bought", &["bought", "purchased", "acquired"]),
    ("worth", &["worth", "valued at"]),
    ("officials", &["officials", "authorities"]),
    ("spent", &["spent", "paid out"]),
    ("rose", &["rose", "climbed", "increased"]),
    ("shipped", &["shipped", "sent"]),
    ("plan", &["plan", "proposal"]),
    ("fire", &["fire", "blaze"]),
    ("built", &["built", "constructed", "completed"]),
    ("lawsuit", &["lawsuit", "suit"]),
    ("verdict", &["verdict", "ruling"]),
    ("plant", &["plant", "factory"]),
    ("destroyed", &["destroyed", "razed"]),
    ("joined", &["joined", "signed on to"]),
];

/// Outlet names are a place word and a masthead word: "harbor-times".
pub const MASTHEAD_HEADS: &[&str] = &[
    "harbor",
    "valley",
    "northern",
    "metro",
    "coastal",
    "river",
    "lakeside",
    "pine",
    "summit",
    "bayside",
    "prairie",
    "capital",
    "eastern",
    "western",
    "midland",
    "granite",
    "tidewater",
    "daily",
    "evening",
    "county",
];

pub const MASTHEAD_TAILS: &[&str] = &[
    "times",
    "post",
    "ledger",
    "herald",
    "gazette",
    "observer",
    "chronicle",
    "courier",
    "sentinel",
    "dispatch",
    "tribune",
    "star",
    "record",
    "news",
    "journal",
];

/// The wire agency whose stories outlets carry verbatim.
pub const WIRE: &str = "Continental Press";
