"""Train the iris logistic-regression artifact shipped with ml_serving=yes.

Not rendered into projects (``_exclude``). Reproduce with::

    python templates/flask/_dev/train_iris.py IRIS_ARFF OUT_JSON

IRIS_ARFF is Fisher's iris data (UCI ML repository, 150 rows) in ARFF form; SciPy ships a
copy as ``scipy/io/arff/tests/data/iris.arff``. Training is deterministic: full-batch
gradient descent on the L2-regularised softmax loss over standardised features.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
CLASSES = ["setosa", "versicolor", "virginica"]


def load(path: Path) -> tuple[np.ndarray, np.ndarray]:
    rows = []
    labels = []
    data = False
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("%"):
            continue
        if line.upper() == "@DATA":
            data = True
            continue
        if data:
            *xs, label = line.split(",")
            rows.append([float(x) for x in xs])
            labels.append(CLASSES.index(label.removeprefix("Iris-")))
    return np.array(rows), np.array(labels)


def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    x, y = load(src)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    z = (x - mean) / scale
    onehot = np.eye(len(CLASSES))[y]
    w = np.zeros((len(CLASSES), len(FEATURES)))
    b = np.zeros(len(CLASSES))
    lr, l2, epochs = 0.5, 1e-3, 3000
    for _ in range(epochs):
        logits = z @ w.T + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = p - onehot
        w -= lr * (grad.T @ z / len(z) + l2 * w)
        b -= lr * grad.mean(axis=0)
    accuracy = float(((z @ w.T + b).argmax(axis=1) == y).mean())
    artifact = {
        "model_version": "iris-logreg-1",
        "kind": "multinomial_logistic_regression",
        "features": FEATURES,
        "classes": CLASSES,
        "mean": [round(v, 6) for v in mean.tolist()],
        "scale": [round(v, 6) for v in scale.tolist()],
        "coef": [[round(v, 6) for v in row] for row in w.tolist()],
        "intercept": [round(v, 6) for v in b.tolist()],
        "feature_range_cm": [0.0, 30.0],
        "training": {
            "data": "Fisher's iris data set (UCI ML repository), 150 rows, as iris.arff",
            "data_sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
            "method": "full-batch gradient descent, softmax loss, L2 1e-3, lr 0.5, 3000 epochs, "
            "standardised features",
            "train_accuracy": round(accuracy, 4),
        },
    }
    out.write_text(json.dumps(artifact, indent=2) + "\n")
    print(f"train accuracy {accuracy:.4f} -> {out}")


if __name__ == "__main__":
    main()
