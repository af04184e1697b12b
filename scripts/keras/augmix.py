"""References for augMix and jensenShannonConsistency, for test/augment/augMix.test.ts and
test/losses/jensenShannonConsistency.test.ts.

Writes test/augment/keras-augmix.json and test/losses/keras-jsd.json. Run:
/work/main/.venv-keras/bin/python scripts/keras/augmix.py (then npx prettier --write both files).

(a) augMix with fixed draws. torchvision is not installed here (no torch in this venv), so the operations are
trivial_augment_wide.py's numpy re-implementation of torchvision's float kernels (independent of the library's
resampler), at the magnitudes of torchvision v2 AugMix's `_AUGMENTATION_SPACE` with `_PARAMETER_MAX = 10` bins
(torch.linspace's float32 arithmetic; posterize (4 - arange(10) / (9 / 4)).round() with halves to even;
translate up to a third of the side, applied as int(m)); each chain is the composition of its operations, and
the view is m * x + sum_i (1 - m) * w_i * chain_i(x), torchvision's `forward` and the paper's Algorithm 1.
Equalize is left out: the library uses Keras' equalize there (as trivialAugmentWide does). Bins stay below 6,
so that no chain posterizes to a constant image before an autocontrast.

(b) timm's JsdCrossEntropy (timm/loss/jsd.py) in TensorFlow, float64: cross-entropy of the first split
(LabelSmoothingCrossEntropy when smoothing > 0), plus alpha * sum_j KL(p_j || M) / k with
log M = log(clamp(mean_j p_j, 1e-7, 1)) and kl_div's 'batchmean'; the gradient with respect to the logits by
tf.GradientTape.
"""

import math
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from reference import write_reference  # noqa: E402
from trivial_augment_wide import apply as tv_apply, linspace  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

f32 = np.float32
BINS = 10
SIGNED = {"ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color", "Contrast", "Sharpness"}
OPS = [
    "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Posterize", "Solarize", "AutoContrast",
    "Brightness", "Color", "Contrast", "Sharpness",
]


def magnitude(step, h, w):
    op, k = step["op"], step["bin"]
    sign = -1.0 if step["negate"] and op in SIGNED else 1.0
    if op in ("ShearX", "ShearY"):
        return float(linspace(0.0, 0.3, BINS, k)) * sign
    if op == "TranslateX":
        return float(linspace(0.0, w / 3.0, BINS, k)) * sign
    if op == "TranslateY":
        return float(linspace(0.0, h / 3.0, BINS, k)) * sign
    if op == "Rotate":
        return float(linspace(0.0, 30.0, BINS, k)) * sign
    if op == "Posterize":
        return int(np.round(f32(4) - f32(k) / f32((BINS - 1) / 4)))
    if op == "Solarize":
        return float(linspace(1.0, 0.0, BINS, k))
    if op in ("Brightness", "Color", "Contrast", "Sharpness"):
        return float(linspace(0.0, 0.9, BINS, k)) * sign
    return 0.0


def augmix_view(img, sample, mode, fill):
    if not sample["applied"]:
        return img
    h, w, _ = img.shape
    mix = sample["m"] * img
    for weight, chain in zip(sample["weights"], sample["chains"]):
        aug = img
        for step in chain:
            aug = tv_apply(aug, step["op"], magnitude(step, h, w), mode, fill)
        mix = mix + (1 - sample["m"]) * weight * aug
    return mix


def augmix_cases():
    rng = np.random.default_rng(1912)
    cases = []
    for name, mode, fill, splits, p in [
        ("bilinear, fill 0", "bilinear", 0.0, 1, 1.0),
        ("nearest, fill 0.5, numSplits 3, p 0.7", "nearest", 0.5, 3, 0.7),
    ]:
        n = 6
        images = rng.random((n, 6, 7, 3)).astype(np.float32)
        samples = []
        for _ in range((splits - 1 if splits > 1 else 1) * n):
            width = int(rng.integers(1, 4))
            chains = [
                [
                    {"op": OPS[int(rng.integers(len(OPS)))], "bin": int(rng.integers(0, 6)), "negate": bool(rng.integers(2))}
                    for _ in range(int(rng.integers(1, 4)))
                ]
                for _ in range(width)
            ]
            samples.append({
                "applied": bool(rng.random() < p),
                "m": float(rng.beta(1.0, 1.0)),
                "weights": [float(v) for v in rng.dirichlet([1.0] * width)],
                "chains": chains,
            })
        views = [
            np.stack([augmix_view(images[i].astype(np.float64), samples[v * n + i], mode, fill) for i in range(n)])
            for v in range(len(samples) // n)
        ]
        expected = np.concatenate(([images.astype(np.float64)] if splits > 1 else []) + views).astype(np.float32)
        cases.append({
            "name": name,
            "options": {"interpolation": mode, "fillValue": fill, "numSplits": splits},
            "shape": list(images.shape),
            "images": [float(v) for v in images.ravel()],
            "params": {"samples": samples},
            "expected": [float(v) for v in expected.ravel()],
        })
    return cases


def jsd_timm(logits, targets, k, alpha, smoothing):
    n = logits.shape[0] // k
    splits = tf.split(logits, k)
    classes = logits.shape[1]
    onehot = tf.one_hot(targets[:n], classes, dtype=tf.float64)
    soft = onehot * (1 - smoothing) + smoothing / classes
    loss = tf.reduce_mean(-tf.reduce_sum(soft * tf.nn.log_softmax(splits[0]), -1))
    probs = [tf.nn.softmax(s) for s in splits]
    log_mixture = tf.math.log(tf.clip_by_value(tf.add_n(probs) / k, 1e-7, 1.0))
    # F.kl_div(log_mixture, p, reduction='batchmean') = sum(p * (log p - log_mixture)) / n.
    kl = [tf.reduce_sum(p * (tf.math.log(p) - log_mixture)) / n for p in probs]
    return loss + alpha * tf.add_n(kl) / k


def jsd_cases():
    rng = np.random.default_rng(16)
    cases = []
    for name, k, n, classes, alpha, smoothing, scale in [
        ("3 splits, alpha 12", 3, 4, 5, 12.0, 0.0, 2.0),
        ("2 splits, alpha 3, smoothing 0.1", 2, 3, 4, 3.0, 0.1, 1.5),
        ("3 splits, 196 classes every view rules out (the clamp of M)", 3, 2, 200, 12.0, 0.0, 1.0),
    ]:
        logits = (rng.normal(size=(k * n, classes)) * scale).astype(np.float32).astype(np.float64)
        if "clamp" in name:
            # Probabilities near 1e-8: the mixture is clamped to 1e-7 for those classes, which moves the value.
            logits[:, 4:] = (-18.0 + rng.normal(size=(k * n, classes - 4)) * 0.1).astype(np.float32)
        targets = np.tile(rng.integers(0, classes, size=n), k)
        x = tf.constant(logits, tf.float64)
        with tf.GradientTape() as tape:
            tape.watch(x)
            value = jsd_timm(x, targets, k, alpha, smoothing)
        grad = tape.gradient(value, x).numpy()
        cases.append({
            "name": name,
            "options": {"numSplits": k, "alpha": alpha, "labelSmoothing": smoothing},
            "logits": logits.tolist(),
            "yTrue": np.eye(classes)[targets].tolist(),
            "value": float(value.numpy()),
            "gradient": grad.tolist(),
        })
    return cases


def main():
    common = {"generator": "scripts/keras/augmix.py", "numpy": np.__version__, "tensorflow": tf.__version__}
    write_reference("test/augment/keras-augmix.json", {**common, "cases": augmix_cases()})
    write_reference("test/losses/keras-jsd.json", {**common, "cases": jsd_cases()})


if __name__ == "__main__":
    main()
