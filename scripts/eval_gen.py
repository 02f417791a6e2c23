#!/usr/bin/env python3
"""Does credence rank outlets by their planted reliability?

    python3 scripts/eval_gen.py --credence target/release/credence [--articles N]
        [--outlets M] [--seed S] [--dir DIR]

Generates a corpus with `credence gen --reuse` (kept when the same generator already
wrote it with the same articles, outlets and seed), runs `credence run` on it, and prints:

- Spearman's rho between each outlet's score in outlets.csv and its planted
  reliability in truth/outlets.csv (the target is rho >= 0.9 with 200 outlets);
- the mean score of the most and least reliable quarter of the outlets;
- the size distribution of facts.csv (claims per fact), since one giant fact means
  unrelated claims chained together.

Exits 1 when rho is below --min-rho (default 0.9), 2 on errors.
"""

import argparse
import csv
import os
import subprocess
import sys


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def ranks(values):
    """Ranks from 1, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def pearson(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / (sxx * syy) ** 0.5 if sxx and syy else float("nan")


def spearman(xs, ys):
    return pearson(ranks(xs), ranks(ys))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--credence", default="target/release/credence")
    parser.add_argument("--articles", type=int, default=50000)
    parser.add_argument("--outlets", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", default=None, help="corpus directory (default bench-out/eval-gen-N-M-S)")
    parser.add_argument("--min-rho", type=float, default=0.9)
    args = parser.parse_args()
    directory = args.dir or f"bench-out/eval-gen-{args.articles}-{args.outlets}-{args.seed}"
    reports = directory + "-reports"

    subprocess.run(
        [args.credence, "gen", "--reuse", "--articles", str(args.articles), "--outlets",
         str(args.outlets), "--seed", str(args.seed), "--out", directory],
        check=True,
    )
    status = subprocess.run(
        [args.credence, "run", os.path.join(directory, "articles"), "--out", reports]
    ).returncode
    if status > 1:
        print(f"eval-gen: credence run failed (exit {status})", file=sys.stderr)
        return 2

    planted = {row["outlet"]: float(row["reliability"]) for row in read_csv(
        os.path.join(directory, "truth", "outlets.csv"))}
    scored = {row["outlet"]: float(row["score"]) for row in read_csv(
        os.path.join(reports, "outlets.csv"))}
    missing = sorted(set(planted) - set(scored))
    if missing:
        print(f"eval-gen: outlets missing from outlets.csv: {', '.join(missing[:10])}", file=sys.stderr)
        return 2
    names = sorted(planted)
    reliability = [planted[n] for n in names]
    score = [scored[n] for n in names]
    rho = spearman(reliability, score)

    by_reliability = sorted(names, key=lambda n: planted[n])
    quarter = max(1, len(names) // 4)
    low = sum(scored[n] for n in by_reliability[:quarter]) / quarter
    high = sum(scored[n] for n in by_reliability[-quarter:]) / quarter

    sizes = sorted(int(row["claims"]) for row in read_csv(os.path.join(reports, "facts.csv")))
    claims = sum(sizes)

    def share(limit):
        return sum(1 for s in sizes if s <= limit) / len(sizes)

    def percentile(p):
        return sizes[min(len(sizes) - 1, int(p * len(sizes)))]

    print(f"corpus: {args.articles} articles, {args.outlets} outlets, seed {args.seed}")
    print(f"spearman rho (outlet score vs planted reliability): {rho:.4f}")
    print(f"mean score, least reliable quarter: {low:.4f}; most reliable quarter: {high:.4f}")
    print(
        f"facts: {len(sizes)} over {claims} claims; claims per fact: "
        f"1: {share(1):.1%}, <=2: {share(2):.1%}, <=10: {share(10):.1%}; "
        f"median {percentile(0.5)}, p99 {percentile(0.99)}, max {sizes[-1]} "
        f"({sizes[-1] / claims:.2%} of claims)"
    )
    return 0 if rho >= args.min_rho else 1


if __name__ == "__main__":
    sys.exit(main())
