"""`make eval-cluster`: how well `credence run` groups articles into stories, on AllSides
headline roundups (NeuS) and BASIL, against their gold story ids.

Each dataset is written as credence's own JSONL input (id, outlet, title, published,
text) with the story id left out and article ids that do not reveal it; credence runs
on it with one config, and articles.csv's story_id is scored with B-cubed precision,
recall and F1 and the adjusted Rand index. Two trivial groupings are printed beside it
for scale, and a second run without dates shows what the text alone does.

Usage: eval.py --shared DIR --credence BIN [--config FILE] [--work DIR] [--dataset NAME]"""
import argparse
import csv
import glob
import hashlib
import json
import os
import re
import sys
from collections import Counter, defaultdict
from math import comb

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from credence_run import run_timed, uncell  # noqa: E402


def opaque(*parts):
    """An article id that says nothing about its story."""
    return hashlib.sha1("\0".join(map(str, parts)).encode()).hexdigest()[:12]


def url_date(url):
    """`2021-10-18` from `https://www.cnbc.com/2021/10/18/...`, or None."""
    found = re.search(r"/(20\d\d)[/-](\d\d)[/-](\d\d)/", url)
    return "-".join(found.groups()) if found else None


def allsides(shared):
    """One article per `news[side]` entry. Its date is the one in its URL (568 of 1,479
    have one: the roundup's day or 1-2 days earlier for 94% of them), else the roundup's
    calendar day."""
    path = os.path.join(shared, "eval/news/allsides_neus/allsides_roundups_2021-10-19.jsonl")
    articles = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            story = json.loads(line)
            for side, news in sorted(story["news"].items()):
                articles.append({
                    "id": opaque("allsides", story["id"], side),
                    "outlet": news["newsSource"],
                    "title": news["newsTitle"],
                    "published": url_date(news.get("newsLink") or "") or story["date"][:10],
                    "text": "\n\n".join(p.strip() for p in news["newBody"]),
                    "gold": story["id"],
                })
    return articles


def basil(shared):
    """Title, date, outlet and body only: BASIL's `main-event`, `main-entities` and
    `keywords` are annotations of the event and stay out."""
    articles = []
    pattern = os.path.join(shared, "eval/news/basil/articles/*/*.json")
    for path in sorted(glob.glob(pattern)):
        with open(path, encoding="utf-8") as f:
            article = json.load(f)
        paragraphs = [" ".join(s.strip() for s in p) for p in article["body-paragraphs"]]
        if paragraphs and paragraphs[0].strip() == article["title"].strip():
            paragraphs = paragraphs[1:]  # the headline repeated as the first paragraph
        articles.append({
            "id": opaque("basil", os.path.relpath(path, shared)),
            "outlet": article["source"].lower(),
            "title": article["title"],
            "published": article.get("date", ""),
            "text": "\n\n".join(p for p in paragraphs if p),
            "gold": article["triplet-uuid"],
        })
    return articles


DATASETS = {"allsides": allsides, "basil": basil}


def run_credence(binary, config, articles, work, with_dates):
    os.makedirs(work, exist_ok=True)
    inputs = os.path.join(work, "articles.jsonl")
    with open(inputs, "w", encoding="utf-8") as f:
        for a in articles:
            record = {k: a[k] for k in ("id", "outlet", "title", "text")}
            if with_dates and a["published"]:
                record["published"] = a["published"]
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    out = os.path.join(work, "reports")
    command = [binary, "run", inputs, "--out", out, "--quiet"]
    seconds = run_timed(command, config, inputs)
    predicted = {}
    with open(os.path.join(out, "articles.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            predicted[uncell(row["article"])] = row["story_id"]
    # An article credence skipped is accounted for as a story of its own.
    missing = [a["id"] for a in articles if a["id"] not in predicted]
    for key in missing:
        predicted[key] = "missing:" + key
    return predicted, len(missing), seconds


def bcubed(gold, predicted):
    """B-cubed precision and recall (Bagga & Baldwin 1998), averaged over items."""
    gold_size = Counter(gold.values())
    predicted_size = Counter(predicted.values())
    overlap = Counter((gold[k], predicted[k]) for k in gold)
    precision = sum(overlap[(gold[k], predicted[k])] / predicted_size[predicted[k]] for k in gold)
    recall = sum(overlap[(gold[k], predicted[k])] / gold_size[gold[k]] for k in gold)
    n = len(gold)
    precision, recall = precision / n, recall / n
    return precision, recall, 2 * precision * recall / (precision + recall)


def adjusted_rand(gold, predicted):
    """Hubert & Arabie's adjusted Rand index over the contingency table."""
    n = len(gold)
    pairs = sum(comb(c, 2) for c in Counter((gold[k], predicted[k]) for k in gold).values())
    gold_pairs = sum(comb(c, 2) for c in Counter(gold.values()).values())
    predicted_pairs = sum(comb(c, 2) for c in Counter(predicted.values()).values())
    expected = gold_pairs * predicted_pairs / comb(n, 2)
    best = (gold_pairs + predicted_pairs) / 2
    return 1.0 if best == expected else (pairs - expected) / (best - expected)


def size_profile(predicted):
    sizes = Counter(Counter(predicted.values()).values())
    return len(set(predicted.values())), max(sizes), sizes.get(1, 0)


def row(name, gold, predicted, note=""):
    p, r, f = bcubed(gold, predicted)
    ari = adjusted_rand(gold, predicted)
    stories, largest, singletons = size_profile(predicted)
    print(f"  {name:<26} {p:>9.4f} {r:>7.4f} {f:>7.4f} {ari:>7.4f} {stories:>8} {largest:>8} "
          f"{singletons:>6}  {note}")
    return f


def evaluate(name, articles, args):
    gold = {a["id"]: a["gold"] for a in articles}
    stories = len(set(gold.values()))
    outlets = len({a["outlet"] for a in articles})
    print(f"\n{name}: {len(articles)} articles, {stories} gold stories, {outlets} outlets")
    print(f"  {'grouping':<26} {'precision':>9} {'recall':>7} {'F1':>7} {'ARI':>7} "
          f"{'stories':>8} {'largest':>8} {'single':>6}")
    row("baseline: all singletons", gold, {k: k for k in gold})
    row("baseline: one per date", gold, {a["id"]: a["published"] or a["id"] for a in articles})
    results = {}
    for with_dates in (True, False):
        label = "credence" if with_dates else "credence, no dates"
        work = os.path.join(args.work, name + ("" if with_dates else "-nodates"))
        predicted, missing, seconds = run_credence(
            args.credence, args.config, articles, work, with_dates)
        note = f"{seconds:.1f}s" + (f", {missing} skipped" if missing else "")
        results[label] = row(label, gold, predicted, note)
    return results["credence"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", required=True)
    parser.add_argument("--credence", required=True)
    parser.add_argument("--config")
    parser.add_argument("--work", default="target/eval-cluster")
    parser.add_argument("--dataset", choices=sorted(DATASETS), action="append")
    args = parser.parse_args()
    targets = {"allsides": 0.85, "basil": 0.95}
    for name in args.dataset or sorted(DATASETS):
        f1 = evaluate(name, DATASETS[name](args.shared), args)
        verdict = "met" if f1 >= targets[name] else "NOT met"
        print(f"  target B-cubed F1 >= {targets[name]:.2f}: {verdict}")


if __name__ == "__main__":
    main()
