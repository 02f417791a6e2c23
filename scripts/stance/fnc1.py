"""FNC-1 for `credence stance`: the pairs file with its tune/held-out split, and the
scores of a run against the gold labels.

The split keeps every story in one fold: headlines and bodies joined by a related
(agree, disagree, discuss) pair form one story, so no headline of a held-out story, and
none of its bodies, is ever seen in tuning. Stories are taken in the order of a hash of
their smallest normalised headline into the held-out fold until it holds
HELD_OUT_PERCENT of the pairs; unrelated pairs follow their headline.

Usage:
  fnc1.py pairs --shared DIR --out FILE
  fnc1.py score --run FILE     (a `credence stance` output of that pairs file)
"""
import argparse
import csv
import hashlib
import os
import re
import sys

CLASSES = ["agree", "disagree", "discuss", "unrelated"]
HELD_OUT_PERCENT = 22

csv.field_size_limit(sys.maxsize)


def normalise(headline):
    return " ".join(re.findall(r"\w+", headline.lower()))


def stories(stances):
    """Story key of each headline: its connected component over related pairs."""
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for headline, body, stance in stances:
        h = ("h", normalise(headline))
        find(h)
        if stance != "unrelated":
            a, b = find(h), find(("b", body))
            if a != b:
                parent[max(a, b)] = min(a, b)
    members = {}
    for node in list(parent):
        if node[0] == "h":
            members.setdefault(find(node), []).append(node[1])
    return {h: min(hs) for hs in members.values() for h in hs}


def held_out_stories(story_pairs):
    """Stories in hash order until the held-out fold holds HELD_OUT_PERCENT of pairs."""
    def key(story):
        return hashlib.sha256(story.encode("utf-8")).hexdigest()

    total = sum(story_pairs.values())
    held, taken = set(), 0
    for story in sorted(story_pairs, key=key):
        if taken >= total * HELD_OUT_PERCENT / 100:
            break
        held.add(story)
        taken += story_pairs[story]
    return held


def make_pairs(shared, out):
    root = os.path.join(shared, "eval/news/fnc1")
    with open(os.path.join(root, "train_bodies.csv"), encoding="utf-8", newline="") as f:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(f)}
    with open(os.path.join(root, "train_stances.csv"), encoding="utf-8", newline="") as f:
        stances = [(r["Headline"], r["Body ID"], r["Stance"]) for r in csv.DictReader(f)]
    story = stories(stances)
    story_pairs = {}
    for headline, _, _ in stances:
        key = story[normalise(headline)]
        story_pairs[key] = story_pairs.get(key, 0) + 1
    held = held_out_stories(story_pairs)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    counts = {}
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["pair", "story", "fold", "gold", "claim", "text"])
        for index, (headline, body, stance) in enumerate(stances):
            key = story[normalise(headline)]
            fold = "heldout" if key in held else "tune"
            counts[fold] = counts.get(fold, 0) + 1
            story_id = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
            writer.writerow([index, story_id, fold, stance, headline, bodies[body]])
    print(
        f"{out}: {len(stances)} pairs, {len(story_pairs)} stories ({len(held)} held out); "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
        file=sys.stderr,
    )


def read_run(path, column="stance"):
    with open(path, encoding="utf-8", newline="") as f:
        return [(r["fold"], r["gold"], r[column]) for r in csv.DictReader(f)]


def metrics(pairs):
    """Per-class P/R/F1, macro-F1, FNC weighted score, related accuracy, confusion."""
    confusion = {g: {p: 0 for p in CLASSES} for g in CLASSES}
    for gold, predicted in pairs:
        confusion[gold][predicted] += 1
    per_class = {}
    for c in CLASSES:
        tp = confusion[c][c]
        predicted = sum(confusion[g][c] for g in CLASSES)
        actual = sum(confusion[c].values())
        p = tp / predicted if predicted else 0.0
        r = tp / actual if actual else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_class[c] = (p, r, f, actual)
    score = best = 0.0
    related_right = 0
    for gold, predicted in pairs:
        if (gold == "unrelated") == (predicted == "unrelated"):
            related_right += 1
            score += 0.25
        if gold != "unrelated" and gold == predicted:
            score += 0.75
        best += 0.25 if gold == "unrelated" else 1.0
    return {
        "per_class": per_class,
        "macro_f1": sum(v[2] for v in per_class.values()) / len(CLASSES),
        "fnc": score / best if best else 0.0,
        "related_accuracy": related_right / len(pairs) if pairs else 0.0,
        "confusion": confusion,
        "n": len(pairs),
    }


def print_metrics(name, m):
    print(f"\n{name}: {m['n']} pairs")
    print(f"  {'class':<10} {'precision':>9} {'recall':>7} {'F1':>7} {'support':>8}")
    for c in CLASSES:
        p, r, f, n = m["per_class"][c]
        print(f"  {c:<10} {p:9.3f} {r:7.3f} {f:7.3f} {n:8d}")
    print(f"  macro-F1 {m['macro_f1']:.3f}   disagree F1 {m['per_class']['disagree'][2]:.3f}"
          f"   FNC score {100 * m['fnc']:.1f}%   related-vs-unrelated accuracy "
          f"{m['related_accuracy']:.4f}")
    print("  confusion (rows gold, columns predicted):")
    print("  " + " " * 10 + "".join(f"{c:>10}" for c in CLASSES))
    for g in CLASSES:
        print(f"  {g:<10}" + "".join(f"{m['confusion'][g][p]:10d}" for p in CLASSES))


def score_run(path):
    rows = read_run(path)
    for fold in ["heldout", "tune"]:
        pairs = [(g, p) for f, g, p in rows if f == fold]
        print_metrics({"heldout": "HELD-OUT", "tune": "tune (seen in training)"}[fold],
                      metrics(pairs))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pairs")
    p.add_argument("--shared", required=True)
    p.add_argument("--out", required=True)
    s = sub.add_parser("score")
    s.add_argument("--run", required=True)
    args = parser.parse_args()
    if args.command == "pairs":
        make_pairs(args.shared, args.out)
    else:
        score_run(args.run)


if __name__ == "__main__":
    main()
