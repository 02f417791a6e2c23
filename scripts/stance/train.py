"""`make train-stance`: fits the stance model on the tune fold of the FNC-1 pairs and
writes it as config/stance_model.toml for credence to apply.

Input: `credence stance PAIRS --features` output (the pairs file of fnc1.py with the
feature columns appended). Only rows of fold `tune` are read. The model is
scikit-learn's GradientBoostingClassifier; `disagree` pairs, the rarest class, are
weighted up. `--cv` first prints a story-grouped 4-fold cross-validation on the tune
fold, which is how the settings below were chosen without looking at held-out pairs.

Usage: train.py --features FILE --model FILE [--cv]
"""
import argparse
import csv
import os
import sys

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import GroupKFold

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fnc1  # noqa: E402

ROUNDS = 200
DEPTH = 3
LEARNING_RATE = 0.1
DISAGREE_WEIGHT = 4.0
PASSED_THROUGH = {"pair", "story", "fold", "gold", "claim", "text"}

csv.field_size_limit(sys.maxsize)


def load(path):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        names = [c for c in reader.fieldnames if c not in PASSED_THROUGH]
        rows = [r for r in reader if r["fold"] == "tune"]
    x = np.array([[float(r[n]) for n in names] for r in rows])
    y = np.array([r["gold"] for r in rows])
    stories = np.array([r["story"] for r in rows])
    return names, x, y, stories


def fit(x, y):
    model = GradientBoostingClassifier(
        n_estimators=ROUNDS, max_depth=DEPTH, learning_rate=LEARNING_RATE, random_state=0
    )
    weights = np.where(y == "disagree", DISAGREE_WEIGHT, 1.0)
    return model.fit(x, y, sample_weight=weights)


def cross_validate(x, y, stories):
    predicted = np.empty(len(y), dtype=object)
    for train, test in GroupKFold(n_splits=4).split(x, y, stories):
        predicted[test] = fit(x[train], y[train]).predict(x[test])
    fnc1.print_metrics("tune, story-grouped 4-fold cross-validation",
                       fnc1.metrics(list(zip(y, predicted))))


def numbers(values, integer=False):
    return "[" + ", ".join(str(int(v)) if integer else repr(float(v)) for v in values) + "]"


def write_model(model, names, path):
    classes = list(model.classes_)
    # The prior scores scikit-learn starts from: log class priors of the weighted data.
    init = model._raw_predict_init(np.zeros((1, len(names))))[0]
    lines = [
        "# credence stance model: gradient-boosted trees over `credence stance --features`.",
        "# Written by `make train-stance` (scripts/stance/train.py) from the FNC-1 tune fold;",
        f"# {ROUNDS} rounds of depth-{DEPTH} trees, disagree weighted {DISAGREE_WEIGHT}.",
        "# Do not edit by hand.",
        "classes = [" + ", ".join(f'"{c}"' for c in classes) + "]",
        "features = [" + ", ".join(f'"{n}"' for n in names) + "]",
        f"learning_rate = {model.learning_rate!r}",
        f"init = {numbers(init)}",
    ]
    for stage in model.estimators_:
        for k, estimator in enumerate(stage):
            t = estimator.tree_
            lines += [
                "",
                "[[tree]]",
                f"class = {k}",
                f"feature = {numbers([f if l != -1 else -1 for f, l in zip(t.feature, t.children_left)], True)}",
                f"threshold = {numbers([round(v, 9) for v in t.threshold])}",
                f"left = {numbers([max(v, 0) for v in t.children_left], True)}",
                f"right = {numbers([max(v, 0) for v in t.children_right], True)}",
                f"value = {numbers([round(v, 9) for v in t.value[:, 0, 0]])}",
            ]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--cv", action="store_true")
    args = parser.parse_args()
    names, x, y, stories = load(args.features)
    if args.cv:
        cross_validate(x, y, stories)
    model = fit(x, y)
    write_model(model, names, args.model)
    print(f"{args.model}: {len(model.estimators_) * len(model.classes_)} trees "
          f"from {len(y)} tune pairs", file=sys.stderr)


if __name__ == "__main__":
    main()
