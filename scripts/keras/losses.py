"""Keras 3's crossentropy losses on fixed inputs: per-sample values, reduced value, gradient.

Writes test/losses/keras-losses.json, the reference test/losses/*.test.ts hold the library to. Each
case has Keras' per-sample losses (reduction=None), its reduced value (the default
"sum_over_batch_size", the number model.fit minimises) and the gradient of that reduced value with
respect to y_pred, taken with tf.GradientTape on the TensorFlow backend.
Run: .venv-keras/bin/python scripts/keras/losses.py
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["KERAS_BACKEND"] = "tensorflow"
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

F32 = np.float32

# Fixed logits for a batch of 4 over 5 classes (a 0 and a tie included); probabilities are their softmax.
LOGITS_4x5 = np.array(
    [
        [2.0, -1.0, 0.5, 0.0, 3.25],
        [-0.75, 1.5, 1.5, -2.0, 0.25],
        [0.0, 0.0, 4.0, -3.5, 1.0],
        [1.25, -0.5, -1.75, 2.5, 0.125],
    ],
    dtype=F32,
)
LABELS_4 = np.array([4, 1, 2, 0])
ONE_HOT_4x5 = np.eye(5, dtype=F32)[LABELS_4]
PROBS_4x5 = tf.nn.softmax(LOGITS_4x5).numpy()
# Rows summing to 0.6, 1.7, 2.0 and 0.35: Keras' categorical path divides them by their sum.
UNNORMALIZED_4x5 = np.array(
    [
        [0.1, 0.05, 0.2, 0.05, 0.2],
        [0.3, 0.5, 0.4, 0.25, 0.25],
        [0.4, 0.4, 0.4, 0.4, 0.4],
        [0.05, 0.1, 0.05, 0.1, 0.05],
    ],
    dtype=F32,
)
# Exact 0 and 1 on and off the true class: the clip to [1e-7, 1 - 1e-7] decides these values.
CLIPPED_4x5 = np.array(
    [
        [0.0, 0.0, 0.0, 0.0, 1.0],
        [0.0, 0.0, 1.0, 0.0, 0.0],
        [0.5, 0.0, 0.5, 0.0, 0.0],
        [0.0, 0.25, 0.25, 0.25, 0.25],
    ],
    dtype=F32,
)
# A 3-D batch, classes on axis 1 (channels first): [batch 2, classes 3, positions 4].
LOGITS_2x3x4 = np.array(
    [
        [[1.0, -2.0, 0.5, 0.0], [0.25, 1.5, -1.0, 2.0], [-0.5, 0.0, 3.0, -1.25]],
        [[2.5, 0.75, -0.25, 1.0], [0.0, -1.5, 1.25, 0.5], [1.0, 2.0, -2.0, -0.75]],
    ],
    dtype=F32,
)
ONE_HOT_2x3x4 = np.moveaxis(np.eye(3, dtype=F32)[np.array([[0, 1, 2, 1], [2, 0, 1, 1]])], -1, 1)
PROBS_2x3x4 = tf.nn.softmax(LOGITS_2x3x4, axis=1).numpy()
# Binary targets and predictions [4, 3]: logits with an exact 0, probabilities with exact 0 and 1.
BINARY_TRUE_4x3 = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0]], dtype=F32)
BINARY_LOGITS_4x3 = np.array(
    [[2.0, -1.0, 0.0], [-3.5, 0.5, 1.25], [0.75, -0.25, -2.0], [4.0, -4.0, 0.125]], dtype=F32
)
BINARY_PROBS_4x3 = np.array([[0.9, 0.2, 0.6], [0.1, 0.45, 0.7], [1.0, 0.0, 0.3], [0.0, 1.0, 0.55]], dtype=F32)
# Labels with the ignored class -1 on two of six samples, and all ignored.
IGNORE_LABELS_6 = np.array([4, -1, 2, 0, -1, 3])
LOGITS_6x5 = np.concatenate([LOGITS_4x5, LOGITS_4x5[:2] * F32(-0.5)])
PROBS_6x5 = tf.nn.softmax(LOGITS_6x5).numpy()


def case(name, loss_class, y_true, y_pred, **options):
    """One case: Keras' loss with `options` on fixed inputs."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred, dtype=F32)
    per_sample = loss_class(reduction=None, **options)(y_true, y_pred)
    pred = tf.constant(y_pred)
    with tf.GradientTape() as tape:
        tape.watch(pred)
        reduced = loss_class(**options)(y_true, pred)
    grad = tape.gradient(reduced, pred)
    return {
        "name": name,
        "loss": loss_class.__name__,
        "options": options,
        "yTrue": y_true.astype(F32 if y_true.dtype.kind == "f" else np.int64).tolist(),
        "yTrueShape": list(y_true.shape),
        "yPred": y_pred.tolist(),
        "yPredShape": list(y_pred.shape),
        "perSample": np.asarray(per_sample, dtype=np.float64).tolist(),
        "reduced": float(reduced),
        "grad": grad.numpy().astype(np.float64).tolist(),
    }


def cases():
    cce = keras.losses.CategoricalCrossentropy
    scce = keras.losses.SparseCategoricalCrossentropy
    bce = keras.losses.BinaryCrossentropy
    out = [
        case("cce probabilities", cce, ONE_HOT_4x5, PROBS_4x5),
        case("cce probabilities, rows not summing to 1", cce, ONE_HOT_4x5, UNNORMALIZED_4x5),
        case("cce probabilities with exact 0 and 1 (clipping)", cce, ONE_HOT_4x5, CLIPPED_4x5),
        case("cce probabilities, labelSmoothing 0.1", cce, ONE_HOT_4x5, PROBS_4x5, label_smoothing=0.1),
        case(
            "cce unnormalized probabilities, labelSmoothing 0.2",
            cce,
            ONE_HOT_4x5,
            UNNORMALIZED_4x5,
            label_smoothing=0.2,
        ),
        case("cce clipped probabilities, labelSmoothing 0.3", cce, ONE_HOT_4x5, CLIPPED_4x5, label_smoothing=0.3),
        case("cce logits", cce, ONE_HOT_4x5, LOGITS_4x5, from_logits=True),
        case("cce logits, labelSmoothing 0.1", cce, ONE_HOT_4x5, LOGITS_4x5, from_logits=True, label_smoothing=0.1),
        case("cce logits, labelSmoothing 1", cce, ONE_HOT_4x5, LOGITS_4x5, from_logits=True, label_smoothing=1.0),
        case("cce probabilities, axis 1 of 3-D", cce, ONE_HOT_2x3x4, PROBS_2x3x4, axis=1),
        case("cce logits, axis 1 of 3-D", cce, ONE_HOT_2x3x4, LOGITS_2x3x4, axis=1, from_logits=True),
        # Keras counts the classes of label smoothing on the last axis whatever `axis` is: here 4, not 3.
        case(
            "cce logits, axis 1 of 3-D, labelSmoothing 0.1",
            cce,
            ONE_HOT_2x3x4,
            LOGITS_2x3x4,
            axis=1,
            from_logits=True,
            label_smoothing=0.1,
        ),
        case("scce probabilities, labels [4]", scce, LABELS_4.astype(F32), PROBS_4x5),
        case("scce probabilities, labels [4, 1]", scce, LABELS_4.astype(F32)[:, None], PROBS_4x5),
        case("scce probabilities, rows not summing to 1", scce, LABELS_4.astype(F32), UNNORMALIZED_4x5),
        case("scce probabilities with exact 0 and 1 (clipping)", scce, LABELS_4.astype(F32), CLIPPED_4x5),
        case("scce logits, labels [4]", scce, LABELS_4.astype(F32), LOGITS_4x5, from_logits=True),
        case("scce logits, labels [4, 1]", scce, LABELS_4.astype(F32)[:, None], LOGITS_4x5, from_logits=True),
        case(
            "scce logits, ignoreClass -1 (2 of 6 ignored)",
            scce,
            IGNORE_LABELS_6.astype(F32),
            LOGITS_6x5,
            from_logits=True,
            ignore_class=-1,
        ),
        case(
            "scce probabilities, ignoreClass -1 (2 of 6 ignored), labels [6, 1]",
            scce,
            IGNORE_LABELS_6.astype(F32)[:, None],
            PROBS_6x5,
            ignore_class=-1,
        ),
        case(
            "scce logits, ignoreClass 2 (a real class id ignored)",
            scce,
            LABELS_4.astype(F32),
            LOGITS_4x5,
            from_logits=True,
            ignore_class=2,
        ),
        case(
            "scce logits, ignoreClass -1, all ignored",
            scce,
            np.full([4], -1, dtype=F32),
            LOGITS_4x5,
            from_logits=True,
            ignore_class=-1,
        ),
        case("bce probabilities [4, 3] with exact 0 and 1", bce, BINARY_TRUE_4x3, BINARY_PROBS_4x3),
        case("bce logits [4, 3] with a 0 logit", bce, BINARY_TRUE_4x3, BINARY_LOGITS_4x3, from_logits=True),
        case(
            "bce probabilities, labelSmoothing 0.2",
            bce,
            BINARY_TRUE_4x3,
            BINARY_PROBS_4x3,
            label_smoothing=0.2,
        ),
        case(
            "bce logits, labelSmoothing 0.2",
            bce,
            BINARY_TRUE_4x3,
            BINARY_LOGITS_4x3,
            from_logits=True,
            label_smoothing=0.2,
        ),
        case("bce probabilities, y_true [4] and y_pred [4, 1]", bce, BINARY_TRUE_4x3[:, 0], BINARY_PROBS_4x3[:, :1]),
    ]
    return out


def main():
    out = {"keras": keras.__version__, "tensorflow": tf.__version__, "epsilon": keras.config.epsilon()}
    out["cases"] = cases()
    path = os.path.join(os.path.dirname(__file__), "../../test/losses/keras-losses.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    json.dump({k: v for k, v in out.items() if k != "cases"}, sys.stdout)
    print(f"\n{len(out['cases'])} cases written to {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
