"""`make train-stance`: fits the stance model on the tune fold of the FNC-1 pairs and
writes it as config/stance_model.toml for credence to apply.

Input: `credence stance PAIRS --features` output (the pairs file of fnc1.py with the
feature columns appended). Only rows of fold `tune` are read. The model is
the average of BAGS of scikit-learn's GradientBoostingClassifier, each fitted on a
bootstrap sample of the stories (whole stories drawn with replacement, so a member
sees some stories twice and about a third not at all); `disagree` pairs, the rarest
class, are weighted up. One boosted model's disagree calls swing with the few stories
that hold most disagreeing pairs; the average of models that saw different stories
swings less. A story-grouped 4-fold cross-validation on the tune fold is printed
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
BAGS = 5
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


def fit(x, y, stories):
    """BAGS boosted models, member `seed` fitted on a bootstrap of the stories drawn
    with that seed: a pair's sample weight is multiplied by how often its story was
    drawn, and pairs of undrawn stories are left out."""
    members = []
    for seed in range(BAGS):
        distinct = np.unique(stories)
        drawn = np.random.default_rng(seed).choice(distinct, size=len(distinct))
        names, counts = np.unique(drawn, return_counts=True)
        times = dict(zip(names, counts))
        weights = np.where(y == "disagree", DISAGREE_WEIGHT, 1.0) * np.array(
            [times.get(s, 0) for s in stories], dtype=float
        )
        keep = weights > 0
        model = GradientBoostingClassifier(
            n_estimators=ROUNDS, max_depth=DEPTH, learning_rate=LEARNING_RATE,
            random_state=seed,
        )
        model.fit(x[keep], y[keep], sample_weight=weights[keep])
        assert list(model.classes_) == fnc1.CLASSES
        members.append(model)
    return members


def decision(members, x):
    """The members' mean class scores (columns in fnc1.CLASSES order)."""
    return np.mean([model.decision_function(x) for model in members], axis=0)


def cross_validate(x, y, stories):
    """Out-of-fold class scores of every tune pair."""
    scores = np.empty((len(y), len(fnc1.CLASSES)))
    for train, test in GroupKFold(n_splits=4).split(x, y, stories):
        scores[test] = decision(fit(x[train], y[train], stories[train]), x[test])
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


def write_model(members, offsets, names, path):
    """The members' average as one model: the mean of their initial scores, and every
    member's trees with their leaf values divided by the number of members (the
    members share the learning rate)."""
    classes = list(members[0].classes_)
    # The prior scores scikit-learn starts from: log class priors of the weighted data.
    init = np.mean([m._raw_predict_init(np.zeros((1, len(names))))[0] for m in members], axis=0)
    lines = [
        "# credence stance model: gradient-boosted trees over `credence stance --features`.",
        "# Written by `make train-stance` (scripts/stance/train.py) from the FNC-1 tune fold;",
        f"# the average of {len(members)} models fitted on bootstraps of its stories, each",
        f"# {ROUNDS} rounds of depth-{DEPTH} trees, disagree weighted {DISAGREE_WEIGHT};",
        "# offsets chosen on the cross-validation's out-of-fold scores.",
        "# Do not edit by hand.",
        "classes = [" + ", ".join(f'"{c}"' for c in classes) + "]",
        "features = [" + ", ".join(f'"{n}"' for n in names) + "]",
        f"learning_rate = {LEARNING_RATE!r}",
        f"init = {numbers(init)}",
        f"offsets = {numbers(offsets)}",
    ]
    for model in members:
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
                    f"value = {numbers([round(v / len(members), 9) for v in t.value[:, 0, 0]])}",
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
    members = fit(x, y, stories)
    write_model(members, offsets, names, args.model)
    trees = sum(m.estimators_.size for m in members)
    print(f"{args.model}: {trees} trees in {len(members)} bags from {len(y)} tune pairs",
          file=sys.stderr)


if __name__ == "__main__":
    main()
