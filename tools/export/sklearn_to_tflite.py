#!/usr/bin/python3
"""Export a scikit-learn linear classifier to a float .tflite that tierml serves.

    sklearn_to_tflite.py MODEL.joblib OUT.tflite [--tierml PATH]
    sklearn_to_tflite.py --train-baseline MODEL.joblib   # DESIGN.md's baseline

MODEL is a LogisticRegression, or a Pipeline of an optional StandardScaler
followed by one. The scaler is folded into the dense layer (w' = w / s,
b' = b - sum(w * m / s)), so the model is one FULLY_CONNECTED then LOGISTIC
(binary: one output, P(class 1)) or SOFTMAX (multinomial). tierml's
/predict turns a single logistic output into [1 - p, p], as predict_proba.
The flatbuffer itself is written by `tierml export-dense` (tierml's own
writer), from the JSON spec this script builds.

Needs Debian's python3-sklearn (run with /usr/bin/python3).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np


def linear_parts(model):
    """(weights [outputs][inputs], bias [outputs], activation) in float64."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    scaler = None
    clf = model
    if isinstance(model, Pipeline):
        steps = [step for _, step in model.steps if step != "passthrough"]
        if len(steps) == 2 and isinstance(steps[0], StandardScaler):
            scaler, clf = steps
        elif len(steps) == 1:
            clf = steps[0]
        else:
            raise ValueError("supported pipelines: [StandardScaler,] LogisticRegression")
    if not isinstance(clf, LogisticRegression):
        raise ValueError(f"unsupported estimator {type(clf).__name__}")
    w = np.asarray(clf.coef_, dtype=np.float64)
    b = np.asarray(clf.intercept_, dtype=np.float64)
    if scaler is not None:
        mean = scaler.mean_ if scaler.with_mean else np.zeros(w.shape[1])
        scale = scaler.scale_ if scaler.with_std else np.ones(w.shape[1])
        b = b - (w * (mean / scale)).sum(axis=1)
        w = w / scale
    binary = len(clf.classes_) == 2
    return w, b, "logistic" if binary else "softmax"


def export(model, out_path, tierml):
    w, b, activation = linear_parts(model)
    spec = {
        "description": "exported from scikit-learn by tierml sklearn_to_tflite.py",
        "input": {"name": "x", "size": int(w.shape[1])},
        "layers": [{"weights": w.tolist(), "bias": b.tolist(), "activation": "none"}],
        "output": {"name": "proba", "activation": activation},
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(spec, f)
        spec_path = f.name
    try:
        subprocess.run([tierml, "export-dense", spec_path, out_path], check=True)
    finally:
        os.unlink(spec_path)


def baseline_pipeline():
    """DESIGN.md's Full ML baseline, trained exactly as described there."""
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    x, y = make_classification(n_samples=5000, n_features=16, n_informative=10,
                               n_redundant=2, random_state=42)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2,
                                                        random_state=42)
    model = Pipeline([("scaler", StandardScaler()),
                      ("clf", LogisticRegression(max_iter=200))])
    model.fit(x_train, y_train)
    return model, x_test, y_test


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", help=".joblib file (read, or written with --train-baseline)")
    parser.add_argument("out", nargs="?", help=".tflite to write")
    parser.add_argument("--tierml", default="tierml", help="the tierml executable")
    parser.add_argument("--train-baseline", action="store_true",
                        help="train DESIGN.md's baseline pipeline and save it to MODEL")
    args = parser.parse_args()
    import joblib
    if args.train_baseline:
        model, _, _ = baseline_pipeline()
        joblib.dump(model, args.model)
    else:
        model = joblib.load(args.model)
    if args.out:
        try:
            export(model, args.out, args.tierml)
        except (ValueError, subprocess.CalledProcessError) as e:
            print(f"sklearn_to_tflite: {e}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
