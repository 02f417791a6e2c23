"""Benchmark data loading and the accuracy rules of issue 3, shared by credence's
evaluation and the peer runner (which runs under another interpreter).

Standard library only."""
import csv
import os
import re

# Words the Book rule ignores when comparing author strings with the gold names.
BOOK_IGNORED = set(
    "not available edited editor editors eds ed by phd jr sr and the with foreword "
    "introduction author authors et al dr prof md ii iii".split()
)


def name_tokens(text):
    """Name tokens as the Book rule defines them: 2+ letters, lower case, no hyphens."""
    text = text.lower().replace("-", "")
    return {t for t in re.findall(r"[a-z]+", text) if len(t) >= 2 and t not in BOOK_IGNORED}


def book_claims(shared):
    """(source, isbn, authors) rows of book.txt (no header, CRLF, tab-separated)."""
    rows = []
    path = os.path.join(shared, "eval/truth/book/book.txt")
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        for line in f:
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) >= 4:
                rows.append((fields[0], fields[1], fields[3]))
    return rows


def book_gold(shared):
    """isbn -> (list of last-name token sets, all gold name tokens)."""
    gold = {}
    with open(os.path.join(shared, "eval/truth/book/book_golden.txt"), encoding="utf-8") as f:
        for line in f:
            if "\t" not in line:
                continue
            isbn, names = line.rstrip("\n").split("\t", 1)
            lasts, tokens = [], set()
            for name in names.split(";"):
                name = name.strip()
                if name:
                    lasts.append(name_tokens(name.split(",")[0]))
                    tokens |= name_tokens(name)
            gold[isbn.strip()] = (lasts, tokens)
    return gold


def book_correct(gold_entry, authors):
    lasts, gold_tokens = gold_entry
    chosen = name_tokens(authors)
    return all(last <= chosen for last in lasts) and chosen <= gold_tokens


def population_gold(shared):
    """(city, 'PopulationYYYY') -> population; the city name itself holds a comma."""
    gold = {}
    with open(os.path.join(shared, "eval/truth/population/truth_dafna.txt"), encoding="utf-8") as f:
        for line in f:
            parts = [p.strip() for p in line.strip().split(",")]
            if len(parts) >= 4:
                gold[(", ".join(parts[:-2]), "Population" + parts[-2])] = float(parts[-1])
    return gold


def population_correct(gold_value, value):
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return False
    return abs(number - gold_value) <= 0.01 * gold_value


FLIGHT_COLUMNS = [
    "ExpectedDepartureTime",
    "ActualDepartureTime",
    "DepartureGate",
    "ExpectedArrivalTime",
    "ActualArrivalTime",
    "ArrivalGate",
]


def flight_gold(shared):
    """(object, attribute) -> gold value, for flights dated like the claims."""
    root = os.path.join(shared, "eval/truth/flight_partial")
    dates = set()
    with open(os.path.join(root, "claims.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            dates.add(row["date"])
    gold = {}
    for date in sorted(dates):
        path = os.path.join(root, "truth", f"{date}-truth.txt")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                fields = line.rstrip("\n").split("\t")
                if len(fields) < 7:
                    continue
                for column, value in zip(FLIGHT_COLUMNS, fields[1:7]):
                    if value.strip():
                        gold[(fields[0] + date, column)] = value.strip()
    return gold


def normalise_flight(attribute, value):
    """Times as HH:MM on a 24-hour clock; gates upper case without spaces."""
    value = value.strip()
    if attribute.endswith("Gate"):
        return value.upper().replace(" ", "")
    match = re.search(r"(\d{1,2}):(\d{2})\s*([AaPp])?", value)
    if not match:
        return value.lower()
    hour, minute = int(match.group(1)), int(match.group(2))
    meridiem = (match.group(3) or "").lower()
    if meridiem == "p" and hour < 12:
        hour += 12
    if meridiem == "a" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"
