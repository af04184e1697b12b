"""Keras 3 optimizer trajectories: decoupled weight decay, AdamW, gradient clipping and EMA.

Each case drives one Keras optimizer with `apply(grads, variables)` over a fixed sequence of
gradients (and, where given, of learning rates set before each step), and records every variable
(and every EMA average) after every step. test/optimizers/*.test.ts hold the wrappers of
src/optimizers to these values. Writes test/optimizers/keras-optimizers.json.
Run: /work/main/.venv-keras/bin/python scripts/keras/optimizers.py
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import keras  # noqa: E402

SHAPES = {"kernel": [2, 3], "bias": [3], "scale": [2]}
STEPS = 7
# Per-step gradient magnitudes: some steps inside every clipping bound, some far outside.
MAGNITUDES = [0.2, 3.0, 0.5, 2.0, 1.0, 0.1, 4.0]
LEARNING_RATES = [0.1, 0.05, 0.2, 0.1, 0.02, 0.08, 0.03]


def f32(values):
    return [float(v) for v in np.asarray(values, dtype=np.float32).reshape(-1)]


def make_inputs():
    rng = np.random.default_rng(20240601)
    initial = {n: np.round(rng.uniform(-1, 1, s), 3).astype(np.float32) for n, s in SHAPES.items()}
    grads = []
    for step, mag in enumerate(MAGNITUDES):
        g = {n: np.round(rng.normal(0, mag, s), 4).astype(np.float32) for n, s in SHAPES.items()}
        if step == 2:
            g["scale"] = np.zeros(SHAPES["scale"], np.float32)  # a zero gradient: clip_by_norm must not divide by 0
        grads.append(g)
    return initial, grads


def run(make_optimizer, initial, grads, lrs=None, exclude=None, steps=STEPS):
    variables = [keras.Variable(initial[n], name=n, dtype="float32") for n in SHAPES]
    opt = make_optimizer()
    if exclude is not None:
        opt.exclude_from_weight_decay(var_names=exclude)
    opt.build(variables)
    trajectory, averages = [], []
    for step in range(steps):
        if lrs is not None:
            opt.learning_rate = lrs[step]
        opt.apply([keras.ops.convert_to_tensor(grads[step][n]) for n in SHAPES], variables)
        trajectory.append({v.name: f32(v.numpy()) for v in variables})
        if opt.use_ema:
            averages.append({n: f32(a.numpy()) for n, a in zip(SHAPES, opt._model_variables_moving_average)})
    out = {"config": {k: v for k, v in opt.get_config().items() if isinstance(v, (int, float, bool, str, type(None)))}}
    out["variables"] = trajectory
    if averages:
        out["averages"] = averages
    if lrs is not None:
        out["learningRates"] = lrs[:steps]
    if exclude is not None:
        out["exclude"] = exclude
    return out


def main():
    initial, grads = make_inputs()
    O = keras.optimizers
    cases = {
        # Weight decay on the optimizers whose tfjs step is Keras' step (see docs/optimizers.md).
        "wd_sgd": run(lambda: O.SGD(0.1, weight_decay=0.1), initial, grads, lrs=LEARNING_RATES),
        # tfjs momentum equals Keras SGD(momentum) only at a constant learning rate.
        "wd_momentum": run(lambda: O.SGD(0.05, momentum=0.9, weight_decay=0.2), initial, grads),
        # A tiny epsilon: tfjs Adam adds it to the bias-corrected sqrt(v), Keras to the raw sqrt(v).
        "wd_adam": run(lambda: O.Adam(0.01, epsilon=1e-10, weight_decay=0.5), initial, grads, lrs=LEARNING_RATES),
        "wd_rmsprop": run(
            lambda: O.RMSprop(0.01, rho=0.9, momentum=0.0, epsilon=1e-7, weight_decay=0.3),
            initial,
            grads,
            lrs=LEARNING_RATES,
        ),
        "wd_sgd_exclude": run(lambda: O.SGD(0.1, weight_decay=0.5), initial, grads, exclude=["bias", "sca"]),
        "adamw_defaults": run(lambda: O.AdamW(), initial, grads),
        "adamw_lr": run(lambda: O.AdamW(), initial, grads, lrs=LEARNING_RATES),
        "adamw_amsgrad_exclude": run(
            lambda: O.AdamW(0.01, weight_decay=0.1, amsgrad=True), initial, grads, lrs=LEARNING_RATES, exclude=["bias"]
        ),
        "clipnorm": run(lambda: O.SGD(0.1, clipnorm=1.0), initial, grads),
        "clipvalue": run(lambda: O.SGD(0.1, clipvalue=0.5), initial, grads),
        "global_clipnorm": run(lambda: O.SGD(0.1, global_clipnorm=1.5), initial, grads),
        "ema": run(lambda: O.SGD(0.1, use_ema=True, ema_momentum=0.9), initial, grads),
        "ema_overwrite": run(
            lambda: O.SGD(0.1, use_ema=True, ema_momentum=0.8, ema_overwrite_frequency=3), initial, grads
        ),
        "stacked": run(
            lambda: O.AdamW(
                0.01,
                weight_decay=0.05,
                global_clipnorm=1.0,
                use_ema=True,
                ema_momentum=0.7,
                ema_overwrite_frequency=4,
            ),
            initial,
            grads,
            lrs=LEARNING_RATES,
        ),
    }
    out = {
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "shapes": SHAPES,
        "initial": {n: f32(v) for n, v in initial.items()},
        "gradients": [{n: f32(v) for n, v in g.items()} for g in grads],
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(__file__), "../../test/optimizers/keras-optimizers.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.normpath(path)} ({len(cases)} cases, Keras {keras.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
