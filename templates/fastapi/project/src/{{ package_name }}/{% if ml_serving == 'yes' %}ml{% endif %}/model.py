"""A multinomial logistic-regression model stored as JSON weights (see data/README.md)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Prediction:
    label: str
    probabilities: dict[str, float]


@dataclass(frozen=True)
class LogisticModel:
    version: str
    features: tuple[str, ...]
    classes: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]

    def predict(self, values: dict[str, float]) -> Prediction:
        """CPU-bound: call it from a worker thread, not the event loop."""
        z = [
            (values[name] - m) / s
            for name, m, s in zip(self.features, self.mean, self.scale, strict=True)
        ]
        scores = [
            sum(w * v for w, v in zip(row, z, strict=True)) + b
            for row, b in zip(self.coef, self.intercept, strict=True)
        ]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        probabilities = {c: e / total for c, e in zip(self.classes, exps, strict=True)}
        label = max(probabilities, key=probabilities.__getitem__)
        return Prediction(label=label, probabilities=probabilities)


def load_model(path: Path) -> LogisticModel:
    """Read and check the weights file; raises ValueError if it is malformed."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    features = tuple(str(f) for f in raw["features"])
    classes = tuple(str(c) for c in raw["classes"])
    coef = tuple(tuple(float(v) for v in row) for row in raw["coef"])
    model = LogisticModel(
        version=str(raw["version"]),
        features=features,
        classes=classes,
        mean=tuple(float(v) for v in raw["mean"]),
        scale=tuple(float(v) for v in raw["scale"]),
        coef=coef,
        intercept=tuple(float(v) for v in raw["intercept"]),
    )
    shapes_ok = (
        len(model.mean) == len(model.scale) == len(features)
        and len(coef) == len(model.intercept) == len(classes)
        and all(len(row) == len(features) for row in coef)
        and all(s > 0 for s in model.scale)
    )
    if not shapes_ok:
        msg = f"inconsistent model weights in {path}"
        raise ValueError(msg)
    return model
