"""Train the served model: multinomial logistic regression on the Iris data, pure Python.

Usage: python scripts/train_model.py data/iris.csv src/<package>/ml/model.json
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
EPOCHS = 3000
LEARNING_RATE = 0.1
L2 = 1e-3


def softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def train(rows: list[dict[str, str]]) -> dict[str, object]:
    classes = sorted({row["species"] for row in rows})
    xs = [[float(row[name]) for name in FEATURES] for row in rows]
    ys = [classes.index(row["species"]) for row in rows]
    n, d, k = len(xs), len(FEATURES), len(classes)
    mean = [sum(x[j] for x in xs) / n for j in range(d)]
    scale = [math.sqrt(sum((x[j] - mean[j]) ** 2 for x in xs) / n) for j in range(d)]
    zs = [[(x[j] - mean[j]) / scale[j] for j in range(d)] for x in xs]

    coef = [[0.0] * d for _ in range(k)]
    intercept = [0.0] * k
    for _ in range(EPOCHS):
        grad_w = [[L2 * coef[c][j] for j in range(d)] for c in range(k)]
        grad_b = [0.0] * k
        for z, y in zip(zs, ys, strict=True):
            probs = softmax(
                [
                    sum(w * v for w, v in zip(coef[c], z, strict=True)) + intercept[c]
                    for c in range(k)
                ]
            )
            for c in range(k):
                err = (probs[c] - (1.0 if c == y else 0.0)) / n
                grad_b[c] += err
                for j in range(d):
                    grad_w[c][j] += err * z[j]
        for c in range(k):
            intercept[c] -= LEARNING_RATE * grad_b[c]
            for j in range(d):
                coef[c][j] -= LEARNING_RATE * grad_w[c][j]

    correct = 0
    for z, y in zip(zs, ys, strict=True):
        scores = [
            sum(w * v for w, v in zip(coef[c], z, strict=True)) + intercept[c] for c in range(k)
        ]
        correct += scores.index(max(scores)) == y
    return {
        "version": "iris-logreg-1",
        "features": FEATURES,
        "classes": classes,
        "mean": [round(v, 6) for v in mean],
        "scale": [round(v, 6) for v in scale],
        "coef": [[round(v, 6) for v in row] for row in coef],
        "intercept": [round(v, 6) for v in intercept],
        "training": {
            "data": "data/iris.csv (Fisher's Iris, 150 rows)",
            "algorithm": f"softmax regression, full-batch gradient descent, {EPOCHS} epochs, "
            f"learning rate {LEARNING_RATE}, L2 {L2}",
            "train_accuracy": round(correct / n, 4),
        },
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    with Path(argv[1]).open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    model = train(rows)
    Path(argv[2]).write_text(json.dumps(model, indent=2) + "\n")
    print(f"wrote {argv[2]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
