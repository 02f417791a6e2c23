"""`make train-stance`: fits the stance model on the tune fold of the FNC-1 pairs and
writes it as config/stance_model.toml for credence to apply.

Input: `credence stance PAIRS --features` output (the pairs file of fnc1.py with the
feature columns appended). Only rows of fold `tune` are read. The model is
scikit-learn's GradientBoostingClassifier; `disagree` pairs, the rarest class, are
weighted up. A story-grouped 4-fold cross-validation on the tune fold is printed
first; it is how the settings below were chosen without looking at held-out pairs,
and its out-of-fold scores choose the model's per-class offsets: the decision rule
that maximises macro-F1 plus disagree F1 (OFFSET_GRID, relative to `discuss`).

Usage: train.py --features FILE --model FILE
"""
import argparse
import csv
import itertools
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
# Offsets tried for agree, disagree and unrelated; discuss stays at 0.
OFFSET_GRID = np.arange(-1.0, 2.01, 0.25)
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
    """Out-of-fold class scores (columns in fnc1.CLASSES order) of every tune pair."""
    scores = np.empty((len(y), len(fnc1.CLASSES)))
    for train, test in GroupKFold(n_splits=4).split(x, y, stories):
        model = fit(x[train], y[train])
        assert list(model.classes_) == fnc1.CLASSES
        scores[test] = model.decision_function(x[test])
    return scores


def f1s(gold, predicted, k):
    """Per-class F1 over class indices."""
    confusion = np.zeros((k, k))
    np.add.at(confusion, (gold, predicted), 1)
    tp = np.diag(confusion)
    precision = tp / np.maximum(confusion.sum(axis=0), 1)
    recall = tp / np.maximum(confusion.sum(axis=1), 1)
    return np.where(tp > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0)


def choose_offsets(scores, y):
    classes = fnc1.CLASSES
    gold = np.array([classes.index(c) for c in y])
    disagree, discuss = classes.index("disagree"), classes.index("discuss")
    best, best_value = np.zeros(len(classes)), -1.0
    others = [c for c in range(len(classes)) if c != discuss]
    for values in itertools.product(OFFSET_GRID, repeat=len(others)):
        offsets = np.zeros(len(classes))
        offsets[others] = values
        f1 = f1s(gold, (scores + offsets).argmax(axis=1), len(classes))
        value = f1.mean() + f1[disagree]
        if value > best_value + 1e-12:
            best, best_value = offsets, value
    return best


def print_cv(name, scores, y):
    predicted = np.array(fnc1.CLASSES)[scores.argmax(axis=1)]
    fnc1.print_metrics(f"tune, story-grouped 4-fold cross-validation, {name}",
                       fnc1.metrics(list(zip(y, predicted))))


def numbers(values, integer=False):
    return "[" + ", ".join(str(int(v)) if integer else repr(float(v)) for v in values) + "]"


def write_model(model, offsets, names, path):
    classes = list(model.classes_)
    # The prior scores scikit-learn starts from: log class priors of the weighted data.
    init = model._raw_predict_init(np.zeros((1, len(names))))[0]
    lines = [
        "# credence stance model: gradient-boosted trees over `credence stance --features`.",
        "# Written by `make train-stance` (scripts/stance/train.py) from the FNC-1 tune fold;",
        f"# {ROUNDS} rounds of depth-{DEPTH} trees, disagree weighted {DISAGREE_WEIGHT};",
        "# offsets chosen on the cross-validation's out-of-fold scores.",
        "# Do not edit by hand.",
        "classes = [" + ", ".join(f'"{c}"' for c in classes) + "]",
        "features = [" + ", ".join(f'"{n}"' for n in names) + "]",
        f"learning_rate = {model.learning_rate!r}",
        f"init = {numbers(init)}",
        f"offsets = {numbers(offsets)}",
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
    args = parser.parse_args()
    names, x, y, stories = load(args.features)
    scores = cross_validate(x, y, stories)
    print_cv("argmax", scores, y)
    offsets = choose_offsets(scores, y)
    print_cv("offsets " + ", ".join(f"{c} {o:+.2f}" for c, o in zip(fnc1.CLASSES, offsets)),
             scores + offsets, y)
    model = fit(x, y)
    write_model(model, offsets, names, args.model)
    print(f"{args.model}: {len(model.estimators_) * len(model.classes_)} trees "
          f"from {len(y)} tune pairs", file=sys.stderr)


if __name__ == "__main__":
    main()
