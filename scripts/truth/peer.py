"""Runs the peer, the `truthdiscovery` 1.0.4 package, on Book and Population with the
same accuracy rules as credence; prints one JSON object per (dataset, algorithm).

Each timing covers reading the claims, building the peer's dataset and running the
algorithm: what a user of the peer waits for."""
import argparse
import json
import os
import sys
import time
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rules  # noqa: E402

# The package imports its drawing backend (pycairo) at import time; it does not build
# here and no algorithm uses it.
sys.modules.setdefault("cairo", types.ModuleType("cairo"))
import truthdiscovery as td  # noqa: E402

ALGORITHMS = ["MajorityVoting", "Sums", "AverageLog", "Investment", "PooledInvestment", "TruthFinder", "CRH"]
# CRH did not finish on Population in the issue's own measurement.
SKIP = {("population", "CRH")}


def book_triples(shared):
    # The peer gets author strings already reduced to the rule's token sets.
    for source, isbn, authors in rules.book_claims(shared):
        tokens = rules.name_tokens(authors)
        if tokens:
            yield " ".join(source.lower().split()), isbn, " ".join(sorted(tokens))


def population_triples(shared):
    path = os.path.join(shared, "eval/truth/population/claims.tsv")
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 4:
                yield fields[0], (fields[1], fields[2]), float(fields[3])


def accuracy(dataset, beliefs, shared):
    chosen = {var: max(sorted(vals.items(), key=lambda kv: str(kv[0])), key=lambda kv: kv[1])[0]
              for var, vals in beliefs.items()}
    if dataset == "book":
        gold = rules.book_gold(shared)
        return sum(isbn in chosen and rules.book_correct(g, chosen[isbn]) for isbn, g in gold.items()) / len(gold)
    gold = {k: v for k, v in rules.population_gold(shared).items() if k in chosen}
    return sum(rules.population_correct(v, chosen[k]) for k, v in gold.items()) / len(gold)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", required=True)
    parser.add_argument("--datasets", default="book,population")
    args = parser.parse_args()
    loaders = {"book": book_triples, "population": population_triples}
    for dataset in args.datasets.split(","):
        for name in ALGORITHMS:
            if (dataset, name) in SKIP:
                print(json.dumps({"dataset": dataset, "algorithm": name, "skipped": "too slow"}), flush=True)
                continue
            started = time.perf_counter()
            data = td.Dataset(loaders[dataset](args.shared), allow_multiple=True)
            result = getattr(td, name)().run(data)
            seconds = time.perf_counter() - started
            print(json.dumps({
                "dataset": dataset,
                "algorithm": name,
                "accuracy": accuracy(dataset, result.belief, args.shared),
                "seconds": seconds,
            }), flush=True)


if __name__ == "__main__":
    main()
