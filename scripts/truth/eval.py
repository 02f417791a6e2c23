"""`make eval-truth`: credence's truth-discovery engine on Book, Population and the
Flight sample, scored against gold, with the peer (`truthdiscovery` 1.0.4) beside it
when an interpreter that has it is given.

Usage: eval.py --shared DIR --credence BIN [--config FILE] [--peer-python PY] [--ablations]"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]
import rules  # noqa: E402
from credence_run import run_timed, uncell  # noqa: E402

# Variants run with --ablations: what each part of the engine is worth.
ABLATIONS = {
    "no value similarity": "[score]\nsimilarity_weight = 0.0\n",
    "no copy detection": "[facts]\ncopy_prior = 0.0\n",
    "no noise-word lexicon": '[facts]\nnoise_words = "empty.txt"\n',
    "plain ACCU (neither)": "[score]\nsimilarity_weight = 0.0\n[facts]\ncopy_prior = 0.0\n",
}


def prepare_inputs(shared, work):
    """Book has no header and extra columns: credence gets the raw author strings."""
    book = os.path.join(work, "book.tsv")
    with open(book, "w", encoding="utf-8", newline="") as f:
        f.write("source\tobject\tattribute\tvalue\n")
        for source, isbn, authors in rules.book_claims(shared):
            f.write(f"{source}\t{isbn}\tauthors\t{authors}\n")
    return {
        "book": book,
        "population": os.path.join(shared, "eval/truth/population/claims.tsv"),
        "flight": os.path.join(shared, "eval/truth/flight_partial/claims.tsv"),
    }


def run_credence(binary, config, facts, out):
    command = [binary, "score", "--facts", facts, "--out", out, "--quiet"]
    seconds = run_timed(command, config, facts)
    truths = {}
    with open(os.path.join(out, "truths.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            truths[(uncell(row["object"]), uncell(row["attribute"]))] = uncell(row["value"])
    return truths, seconds


def score_book(truths, shared):
    gold = rules.book_gold(shared)
    return sum(
        (isbn, "authors") in truths and rules.book_correct(g, truths[(isbn, "authors")])
        for isbn, g in gold.items()
    ) / len(gold)


def score_population(truths, shared):
    gold = {k: v for k, v in rules.population_gold(shared).items() if k in truths}
    return sum(rules.population_correct(v, truths[k]) for k, v in gold.items()) / len(gold)


def score_flight(truths, shared):
    per_attribute = {}
    for (obj, attribute), gold in rules.flight_gold(shared).items():
        if (obj, attribute) not in truths:
            continue
        right, total = per_attribute.get(attribute, (0, 0))
        ok = rules.normalise_flight(attribute, truths[(obj, attribute)]) == rules.normalise_flight(attribute, gold)
        per_attribute[attribute] = (right + ok, total + 1)
    return per_attribute


def evaluate(binary, config, inputs, shared, work, tag):
    results = {}
    for dataset, facts in inputs.items():
        out = os.path.join(work, f"{tag}-{dataset}")
        truths, seconds = run_credence(binary, config, facts, out)
        scorer = {"book": score_book, "population": score_population, "flight": score_flight}[dataset]
        results[dataset] = (scorer(truths, shared), seconds)
    return results


def peer_results(python, shared):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer.py")
    done = subprocess.run([python, script, "--shared", shared], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"peer failed, left out:\n{done.stderr.strip()[-2000:]}", file=sys.stderr)
        return []
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", required=True)
    parser.add_argument("--credence", required=True)
    parser.add_argument("--config")
    parser.add_argument("--peer-python")
    parser.add_argument("--ablations", action="store_true")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.shared, "eval/truth")):
        sys.exit(f"no benchmark data under {args.shared}/eval/truth")
    with tempfile.TemporaryDirectory(prefix="credence-eval-truth-") as work:
        inputs = prepare_inputs(args.shared, work)
        ours = evaluate(args.credence, args.config, inputs, args.shared, work, "credence")
        rows = [("credence (default config)", ours["book"][0], ours["population"][0],
                 ours["book"][1], ours["population"][1])]
        if args.ablations:
            # A config names only what it changes, so each variant is its overlay on
            # the built-in defaults.
            for name, overlay in ABLATIONS.items():
                path = os.path.join(work, "ablation.toml")
                with open(path, "w") as f:
                    f.write(overlay)
                open(os.path.join(work, "empty.txt"), "w").close()
                result = evaluate(args.credence, path, {k: inputs[k] for k in ("book", "population")},
                                  args.shared, work, "ablation")
                rows.append((f"  credence, {name}", result["book"][0], result["population"][0],
                             result["book"][1], result["population"][1]))
        peer = []
        if args.peer_python:
            peer = peer_results(args.peer_python, args.shared)
            by_algorithm = {}
            for r in peer:
                by_algorithm.setdefault(r["algorithm"], {})[r["dataset"]] = r
            for algorithm, runs in by_algorithm.items():
                cells = [runs.get(d, {}) for d in ("book", "population")]
                rows.append((f"peer {algorithm}", *(c.get("accuracy") for c in cells),
                             *(c.get("seconds") for c in cells)))
        else:
            print("peer: not installed (make peer installs truthdiscovery 1.0.4); showing credence alone\n")

        fmt = lambda x, spec: "—" if x is None else format(x, spec)
        print(f"{'algorithm':<38} {'Book':>6} {'Population':>10} {'Book s':>8} {'Pop. s':>8}")
        for name, book, population, book_s, pop_s in rows:
            print(f"{name:<38} {fmt(book, '.3f'):>6} {fmt(population, '.3f'):>10} "
                  f"{fmt(book_s, '.3f'):>8} {fmt(pop_s, '.3f'):>8}")
        print("targets: Book >= 0.92 and Population >= 0.89 at once; "
              f"met: {ours['book'][0] >= 0.92 and ours['population'][0] >= 0.89}")
        timed = [r for r in peer if r.get("dataset") == "population" and "seconds" in r]
        if timed:
            fastest = min(timed, key=lambda r: r["seconds"])
            ratio = ours["population"][1] / fastest["seconds"]
            print(f"speed on Population: credence {ours['population'][1]:.3f} s vs peer's fastest "
                  f"({fastest['algorithm']}) {fastest['seconds']:.3f} s: ratio {ratio:.3f} (target < 0.1)")
        print("\nFlight sample (22 flights with gold; no target):")
        for attribute in rules.FLIGHT_COLUMNS:
            right, total = ours["flight"][0].get(attribute, (0, 0))
            print(f"  {attribute:<24} {right:>3}/{total:<3} {fmt(right / total if total else None, '.3f')}")


if __name__ == "__main__":
    main()
