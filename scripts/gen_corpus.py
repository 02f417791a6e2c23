#!/usr/bin/env python3
"""Writes a deterministic synthetic news corpus for whole-run benchmarks.

    python3 scripts/gen_corpus.py OUT_DIR [N_ARTICLES] [--outlets K] [--seed S]

Creates OUT_DIR/outlet-K/article-J.txt, N_ARTICLES files (default 2000) of 3-5 KB each:
a headline, a blank line, and paragraphs of news-like prose about stories that several
outlets cover. Independent outlets paraphrase (their own word choices, hedges and
attributions); some carry a wire story verbatim; a few unreliable outlets inflate
numbers and flip polarity; every outlet ends its articles with its own page furniture.
Names include non-ASCII spellings ("Erdoğan", "Núñez", "Kraków").

The generator is a fixed-seed xorshift64*, not `random`, so the corpus is byte-identical
on every machine and Python version. Prints "ARTICLES BYTES" on stdout when done.
"""

import argparse
import os
import shutil
import sys

MASK = (1 << 64) - 1


class Rng:
    """xorshift64*, the same generator as benches/stages.rs uses."""

    def __init__(self, seed):
        self.state = (seed & MASK) or 1

    def next(self):
        x = self.state
        x ^= x >> 12
        x ^= (x << 25) & MASK
        x ^= x >> 27
        self.state = x
        return (x * 0x2545F4914F6CDD1D) & MASK

    def below(self, n):
        return (self.next() >> 11) % n

    def range(self, lo, hi):
        return lo + (self.next() >> 11) % (hi - lo + 1)

    def chance(self, p):
        return (self.next() >> 11) / float(1 << 53) < p

    def pick(self, items):
        return items[self.below(len(items))]

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


FIRST_NAMES = [
    "José", "Recep", "Lena", "Martin", "Dana", "Sandra", "Owen", "Carla", "Ruth", "Rick",
    "Ana", "François", "Søren", "Zoë", "Łukasz", "Ángel", "Mehmet", "Ingrid", "Priya", "Kwame",
    "Hiroshi", "Björn", "Chloé", "Tomás", "Aylin", "Nikolai", "Fatima", "Dmitri", "Élodie", "Raúl",
    "Grace", "Samuel", "Oksana", "Thabo", "Mei", "Javier", "Astrid", "Emre", "Noor", "Pádraig",
]
SURNAMES = [
    "Erdoğan", "Núñez", "Ortiz", "Kell", "Whitfield", "Pike", "Kaplinski", "Mendes", "Abernathy",
    "Dominguez", "Müller", "Conceição", "Wójcik", "Çelik", "Dvořák", "Şahin", "Lindqvist",
    "Okafor", "Tanaka", "Bergström", "Fernández", "Novak", "Haddad", "Petrov", "Lefèvre",
    "García", "Nakamura", "Ødegaard", "Kowalczyk", "Brennan", "Yılmaz", "Moreau", "Adeyemi",
    "Ó Súilleabháin", "Nguyễn", "Kristiansen", "Mbeki", "Castellanos", "Horváth", "Ivanova",
]
ORG_STEMS = [
    "Northwind", "Drayton", "Belcourt", "Ashgrove", "Calloway", "Redstone", "Meridian", "Halvorsen",
    "Brightwater", "Kestrel", "Vantage", "Solano", "Ironbridge", "Pemberton", "Zephyr", "Lumière",
    "Corvid", "Talisker", "Gränsfors", "Arcadia", "Oakhurst", "Bramwell", "Silverline", "Tamarack",
]
ORG_KINDS = [
    "Airlines", "Pharma", "Labs", "Energy", "Motors", "Bank", "Steel", "Logistics", "Telecom",
    "Foods", "Insurance", "Shipping",
]
PLACES = [
    "Marston", "Kesterfield", "Elmstead", "Greenhollow", "Ankara", "São Paulo", "Kraków",
    "Zürich", "Besançon", "Gdańsk", "Malmö", "İzmir", "Redstone", "Cedar Falls", "Alderport",
    "Bellhaven", "Dunmore", "Ashford", "Quillan", "Harrowgate", "Córdoba", "Reykjavík",
    "Thornbury", "Wexley", "Oakridge", "Millbrook", "Stonehaven", "Brackenridge", "Fairmoor",
    "Gilchrest", "Hollins", "Ivydale", "Juniper Bay", "Kingsmere", "Larkspur", "Moorfield",
    "Norhaven", "Oxbow", "Pendleton", "Quarrytown", "Ravenscar", "Saltmarsh", "Tillbury",
    "Umberton", "Valmont", "Windermere", "Yarrow", "Zellwood", "Łódź", "Poznań", "Škofja Loka",
    "Tromsø", "Göteborg", "Sevilla", "Nürnberg", "Trondheim", "Eskişehir", "Bucureşti",
    "Jyväskylä", "Coimbra", "Ålesund", "Piraeus", "Mersin", "Antalya",
]
PLACE_PREFIXES = ["", "Port ", "North ", "East ", "Lake ", "New ", "Upper ", "West ", "Fort "]
TITLES = [
    "Mayor", "President", "Minister", "Governor", "Senator", "Chief Executive", "Director",
    "Commissioner", "Chairman", "Chief",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "March", "April", "June", "September", "November"]
MONTH_ABBREVIATIONS = {"January": "Jan.", "September": "Sept.", "November": "Nov."}
HEDGED_MODALS = ["could", "may", "is expected to", "reportedly will", "might"]
HEDGED_ADVERBS = ["reportedly", "allegedly", "apparently"]
ATTRIBUTIONS = [
    "according to Bloomberg", "officials said", "Reuters reported",
    "citing people familiar with the matter", "the company said in a statement",
    "according to {person}", "{person} said", "according to county records",
    "Continental Press reported",
]
COLOUR = [
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
]
QUOTES = [
    "We will keep working for the people of {place}",
    "This is a painful day for a lot of families",
    "People want answers, and we will give them when we have them",
    "Those numbers speak for themselves",
    "Nobody wanted it to come to this",
    "We listened to people in every neighborhood, and I think this plan shows it",
    "Our crews have been working in brutal conditions",
    "I have never seen anything like it in {place}",
]

TEMPLATES = [
    [  # business
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
    [  # politics
        "The {place} City Council voted {tally} on {day} to approve the {year2} budget",
        "{title} {person} signed the budget on {day}",
        "Council member {person2} voted against the budget",
        "The budget {modal} raise property taxes by {pct} percent",
        "{title} {person} met {title2} {person2} in {place} on {day} to discuss trade",
        "The plan keeps the reserve of {place} above {pct}% of operating spending",
        "{person2} said the plan asks too little of developers in {place}",
        "The {place} budget totals ${millions} million, up from {year}",
    ],
    [  # disaster
        "The {place} wildfire has burned about {acres} acres since {mon} {date}",
        "At least {injured} firefighters were injured while battling the blaze near {place}",
        "About {residents} residents were evacuated from {place} on {day}",
        "The fire was {pct} percent contained as of {day} evening, {title} {person} said",
        "Investigators have not determined what caused the {place} fire",
        "The blaze is the largest in {place} since a {year} fire in the county",
        "{title} {person} {adv} blamed an illegal fireworks party for the {place} fire",
        "State officials {modal} request federal aid for {place} by {day}",
    ],
    [  # infrastructure
        "The {place} Bridge was closed on {day} after inspectors found cracks in its steel girders",
        "The repair {modal} cost ${millions} million, the state transportation department said",
        "The {place} Bridge was built in {year}",
        "{title} {person} said the {place} Bridge would reopen in {month} {year2}",
        "About {residents} vehicles crossed the {place} Bridge each day before it closed",
        "{org} {adv} won the {place} repair contract worth ${millions} million",
        "Traffic was diverted to Route {route} and Interstate {interstate} on {day}",
        "{person2} said the {place} Bridge was never properly inspected",
    ],
    [  # courts
        "A federal jury in {place} ordered {org} to pay ${millions} million in damages on {day}",
        "{org} {modal} appeal the verdict, {title} {person} said",
        "The lawsuit, filed in {year}, accused {org} of hiding defects in its {org2} products",
        "Judge {person2} rejected a request by {org} to delay the trial",
        "The jury deliberated for {injured} days before reaching a {tally} verdict",
        "{org} {adv} set aside ${billions} billion for legal claims last quarter",
        "About {residents} plaintiffs joined the case against {org}",
        "Shares of {org} dropped {pct}% after the ruling",
    ],
    [  # health
        "{place} General Hospital reported {residents} cases of measles since {mon} {date}",
        "Health officials in {place} {modal} extend the vaccination campaign until {month} {year2}",
        "At least {injured} patients remain in intensive care at {place} General Hospital",
        "{title} {person} said the outbreak began at a school in {place}",
        "The {place} health department spent ${millions} million on the response",
        "{org} {adv} shipped {jobs} doses of vaccine to {place} on {day}",
        "Vaccination rates in {place} fell to {pct} percent in {year}",
        "{person2} denied that the hospital had turned patients away",
    ],
]

BACKGROUND = [
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
    "Dr. {person} of the {place} Institute said the figures were consistent with earlier U.S. estimates",
    "Average rents in {place} rose {pct}% over the past year",
    "The {place} airport handled {residents} flights in {month}, a record",
    "A {year} audit found {org} had overbilled {place} by ${millions} million",
]
SUBJECTS = ["{org}", "{title} {person}", "{person}", "Officials in {place}", "The {place} council", "{org2}"]
VERBS = [
    "bought", "sold", "shipped", "repaired", "inspected", "leased", "ordered", "recalled",
    "donated", "installed", "imported", "exported", "auctioned", "scrapped", "rented",
    "delivered", "financed", "insured", "stockpiled", "refurbished", "seized", "licensed",
    "returned", "upgraded", "tested",
]
NOUNS = [
    "trucks", "turbines", "apartments", "ventilators", "laptops", "buses", "tractors",
    "ambulances", "solar panels", "freight cars", "ferries", "drones", "printers", "generators",
    "water pumps", "streetlights", "classrooms", "hospital beds", "shipping containers",
    "bicycles", "excavators", "cranes", "radios", "boilers", "forklifts", "wind masts",
    "satellites", "fire engines", "patrol boats", "snowplows", "tablets", "microscopes",
    "tents", "grain silos", "heat pumps", "charging stations", "train carriages", "scanners",
    "kilns", "looms",
]
TAILS = [
    "for schools in {place}", "from a supplier in {place}", "at its {place} plant",
    "for the {place} port authority", "under a contract signed in {year}",
    "worth ${millions} million", "in {month} {year2}", "on {day}", "for about ${millions} million",
    "to customers in {place}", "after a review that began in {year}",
    "despite objections from {title} {person}", "with help from {org2}",
    "ahead of the {year2} season", "to replace equipment bought in {year}",
]
SYNONYMS = [
    ("about", ["about", "roughly", "nearly", "some"]),
    ("cut", ["cut", "eliminate", "shed"]),
    ("close", ["close", "shut", "shutter"]),
    ("found", ["found", "discovered", "detected"]),
    ("approve", ["approve", "pass", "adopt"]),
    ("injured", ["injured", "hurt"]),
    ("evacuated", ["evacuated", "moved out"]),
    ("reported", ["reported", "recorded", "confirmed"]),
    ("said", ["said", "told reporters", "stated"]),
    ("after", ["after", "when", "once"]),
    ("fell", ["fell", "dropped", "slid"]),
    ("bought", ["bought", "purchased", "acquired"]),
    ("worth", ["worth", "valued at"]),
    ("residents", ["residents", "people"]),
    ("officials", ["officials", "authorities"]),
    ("request", ["request", "bid"]),
    ("spent", ["spent", "paid out"]),
    ("rose", ["rose", "climbed", "increased"]),
    ("shipped", ["shipped", "sent"]),
    ("blamed", ["blamed", "faulted"]),
    ("party", ["party", "gathering"]),
    ("supplier", ["supplier", "vendor"]),
    ("contract", ["contract", "deal"]),
    ("plan", ["plan", "proposal"]),
    ("fire", ["fire", "blaze"]),
    ("built", ["built", "constructed", "completed"]),
    ("lawsuit", ["lawsuit", "suit"]),
    ("verdict", ["verdict", "ruling"]),
    ("plant", ["plant", "factory"]),
    ("base", ["base", "facility"]),
    ("loss", ["loss", "deficit"]),
    ("vehicles", ["vehicles", "cars"]),
    ("jobs", ["jobs", "positions"]),
    ("region", ["region", "area"]),
    ("inspected", ["inspected", "examined"]),
    ("customers", ["customers", "buyers", "clients"]),
    ("talks", ["talks", "negotiations"]),
]
HEADLINES = [
    "faces new questions", "latest: what we know", "officials respond", "in focus",
    "what happens next", "the numbers behind the story", "residents react",
]

SEED = 0x00C0FFEED15EA5E5
WORLD_FACTS = 6000


def grouped(n):
    return f"{n:,}"


def place(rng):
    return rng.pick(PLACE_PREFIXES) + rng.pick(PLACES)


def make_story(rng, kind):
    billions = rng.range(11, 98)
    millions = rng.range(120, 9800)
    pct = rng.range(12, 95)
    return {
        "kind": kind,
        "org": rng.pick(ORG_STEMS) + " " + rng.pick(ORG_KINDS),
        "org2": rng.pick(ORG_STEMS) + " " + rng.pick(ORG_KINDS),
        "person": rng.pick(FIRST_NAMES) + " " + rng.pick(SURNAMES),
        "person2": rng.pick(FIRST_NAMES) + " " + rng.pick(SURNAMES),
        "title": rng.pick(TITLES),
        "title2": rng.pick(TITLES),
        "place": place(rng),
        "day": rng.pick(DAYS),
        "month": rng.pick(MONTHS),
        "jobs": rng.range(3, 90) * 100,
        "billions": f"{billions // 10}.{billions % 10}",
        "millions": f"{millions // 10}.{millions % 10}",
        "year": rng.range(1950, 2019),
        "pct": f"{pct // 10}.{pct % 10}",
        "tally": (rng.range(5, 9), rng.range(0, 3)),
        "injured": rng.range(2, 9),
        "acres": rng.range(8, 120) * 100,
        "residents": rng.range(40, 900),
        "date": rng.range(1, 28),
        "wire": None,
    }


def fill(template, story, rng, inflate):
    """Fills a template with the story's values; an unreliable outlet inflates them."""

    def scale(n):
        return n * 5 // 2 if inflate else n

    modal = rng.pick(HEDGED_MODALS) if rng.chance(0.3) else "will"
    adv = rng.pick(HEDGED_ADVERBS) if rng.chance(0.3) else ""
    if inflate and rng.chance(0.5):
        template = template.replace(" signed the budget", " did not sign the budget")
    millions = str(scale(int(story["millions"].split(".")[0]))) if inflate else story["millions"]
    year = min(story["year"] + 13, 2025) if inflate else story["year"]
    yes, no = story["tally"]
    tally = (yes - 1, no + 1) if inflate else (yes, no)
    values = {
        "org2": story["org2"], "org": story["org"], "person2": story["person2"],
        "person": story["person"], "title2": story["title2"], "title": story["title"],
        "place": story["place"], "day": story["day"], "month": story["month"],
        "mon": MONTH_ABBREVIATIONS.get(story["month"], story["month"]),
        "jobs": grouped(scale(story["jobs"])), "billions": story["billions"],
        "millions": millions, "year2": "2026", "year": str(year), "pct": story["pct"],
        "tally": f"{tally[0]}-{tally[1]}", "injured": str(scale(story["injured"])),
        "acres": grouped(scale(story["acres"])), "residents": grouped(story["residents"]),
        "date": str(story["date"]), "route": str(story["date"] + 3),
        "interstate": str(story["residents"] + 17), "modal": modal,
    }
    text = template.replace("{adv} ", adv + " " if adv else "")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def sentence(template, story, rng, inflate):
    text = fill(template, story, rng, inflate)
    attributed = any(cue in text for cue in ("said", "according to", "reported", "citing"))
    if not attributed and rng.chance(0.35):
        text += ", " + rng.pick(ATTRIBUTIONS).replace("{person}", story["person2"])
    if not text.endswith("."):
        text += "."
    return text


def background_template(rng):
    count = rng.range(2, 900)
    number = grouped(count * 10) if rng.chance(0.2) else str(count)
    adverb = "{adv} " if rng.chance(0.2) else ""
    return f"{rng.pick(SUBJECTS)} {adverb}{rng.pick(VERBS)} {number} {rng.pick(NOUNS)} {rng.pick(TAILS)}"


def background(rng):
    """A fact of the synthetic world: its seed fixes the wording and every value, so
    outlets mentioning it agree, as they would about the real world."""
    world = rng.below(WORLD_FACTS)
    world_rng = Rng(SEED ^ (((world + 1) * 0x9E3779B97F4A7C15) & MASK))
    story = make_story(world_rng, 0)
    if world % 5 == 0:
        template = world_rng.pick(BACKGROUND)
    else:
        template = background_template(world_rng)
    return template, story


def paraphrase(text, style):
    for choice, (word, alternatives) in zip(style, SYNONYMS):
        if choice:
            for end in (" ", ",", "."):
                text = text.replace(f" {word}{end}", f" {alternatives[choice]}{end}")
    return text


def quote(story, rng, curly):
    said = rng.pick(QUOTES).replace("{place}", story["place"])
    open_q, close_q = ("“", "”") if curly else ('"', '"')
    if rng.chance(0.5):
        return f"{open_q}{said},{close_q} said {story['title']} {story['person']}."
    return f"{open_q}{said},{close_q} {story['person2']} told reporters."


def body(story, rng, outlet, inflate, style, target_bytes):
    templates = TEMPLATES[story["kind"]]
    curly = outlet % 4 == 1
    lede = paraphrase(sentence(templates[0], story, rng, inflate), style)
    paragraphs = [f"{story['place'].upper()} — {lede}"]
    facts = templates[1:]
    rng.shuffle(facts)
    facts = facts[: rng.range(4, len(facts))]
    size = len(paragraphs[0])
    paragraph = []
    while size < target_bytes:
        if facts and rng.chance(0.3):
            text = sentence(facts.pop(), story, rng, inflate)
        else:
            roll = rng.below(10)
            if roll == 0:
                text = rng.pick(COLOUR).replace("{place}", story["place"])
            elif roll in (1, 2):
                text = quote(story, rng, curly)
            else:
                template, world = background(rng)
                text = sentence(template, world, rng, False)
        text = paraphrase(text, style)
        paragraph.append(text)
        size += len(text.encode()) + 1
        if rng.chance(0.4):
            paragraphs.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        paragraphs.append(" ".join(paragraph))
    return paragraphs


def furniture(outlet, name, rng):
    lines = []
    if rng.chance(0.3):
        initial = rng.pick(FIRST_NAMES)[0]
        lines.append(f"Photo: Crews at work on {rng.pick(DAYS)}. ({name}/{initial}. {rng.pick(SURNAMES)})")
    lines.append([
        f"Support independent local journalism. Donate to {name} today.",
        "Sign up for our morning newsletter to get the day's top stories.",
        "SHARE THIS STORY",
        f"Copyright {name} 2026. All rights reserved.",
    ][outlet % 4])
    return lines


def generate(out_dir, articles, outlets, seed):
    rng = Rng(seed)
    stories_count = max(4, articles // 7)
    kinds = len(TEMPLATES)
    stories = [make_story(rng, i % kinds) for i in range(stories_count)]
    # Every story gets a place of its own, so two stories never share a frame.
    places = [prefix + base for prefix in PLACE_PREFIXES for base in PLACES]
    rng.shuffle(places)
    for i, story in enumerate(stories):
        story["place"] = places[i % len(places)]
    # A third of the stories have a wire version that several outlets carry verbatim.
    for index in range(0, stories_count, 3):
        wire_rng = Rng(seed ^ (((index + 1) * 0x9E3779B9) & MASK))
        story = stories[index]
        paragraphs = body(story, wire_rng, 0, False, [0] * len(SYNONYMS), wire_rng.range(3000, 4500))
        story["wire"] = "\n\n".join(paragraphs).replace(" — ", " (Continental Press) — ", 1)

    unreliable = {k for k in range(outlets) if k % 7 == 3}
    per_outlet = [0] * outlets
    total = 0
    for index in range(articles):
        outlet = index % outlets if rng.chance(0.8) else rng.below(outlets)
        name = f"outlet-{outlet}"
        # Stories cluster in time: most articles are about a recent handful.
        story = stories[(index // 7 + rng.below(4)) % stories_count]
        inflate = outlet in unreliable and rng.chance(0.7)
        headline = f"{story['place']} {rng.pick(HEADLINES)}"
        if story["wire"] is not None and not inflate and rng.chance(0.3):
            paragraphs = [story["wire"]]
        else:
            style = [rng.below(len(alternatives)) for _, alternatives in SYNONYMS]
            paragraphs = body(story, rng, outlet, inflate, style, rng.range(3000, 4700))
        paragraphs += furniture(outlet, name, rng)
        separator = "\n" if outlet % 5 == 3 else "\n\n"
        text = headline + "\n\n" + separator.join(paragraphs) + "\n"
        directory = os.path.join(out_dir, name)
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, f"article-{per_outlet[outlet]}.txt")
        per_outlet[outlet] += 1
        data = text.encode("utf-8")
        with open(path, "wb") as f:
            f.write(data)
        total += len(data)
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("articles", nargs="?", type=int, default=2000)
    parser.add_argument("--outlets", type=int, default=20)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    if args.articles < 1 or args.outlets < 1:
        parser.error("articles and outlets must be at least 1")
    if os.path.exists(args.out_dir):
        # Only ever delete what this script wrote: outlet-K directories.
        entries = os.listdir(args.out_dir)
        if any(not (e.startswith("outlet-") and e[7:].isdigit()) for e in entries):
            parser.error(f"{args.out_dir} exists and is not a generated corpus; not replacing it")
        shutil.rmtree(args.out_dir)
    total = generate(args.out_dir, args.articles, args.outlets, args.seed)
    print(f"{args.articles} {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
