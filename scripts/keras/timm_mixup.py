"""Reference values for mixupOrCutmix: timm's `Mixup` (timm/data/mixup.py), followed in numpy.

torch and timm are not installed here, so this script re-derives timm's semantics from its source with
numpy, in its own code: the per-batch / per-pair / per-element draws, the CutMix boxes from lambda
(`rand_bbox`) and from a min-max range (`rand_bbox_minmax`), lambda corrected from the clipped box, the
partner being the batch flipped (`x.flip(0)`), targets one-hot with smoothing then mixed (`mixup_target`).
Images are NCHW here, as in timm, and written NHWC for tfjs.

Writes test/augment/keras-timm-mixup.json (then `npx prettier --write` it), the reference that
test/augment/mixupOrCutmix.test.ts holds the library to. Run: .venv-keras/bin/python scripts/keras/timm_mixup.py
"""

import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "augment", "keras-timm-mixup.json")


class Draws:
    """np.random.randint with a log of each draw as (n, offset): the library's integer(n) replays it."""

    def __init__(self, rng):
        self.rng = rng
        self.log = []

    def randint(self, low, high):
        v = int(self.rng.randint(low, high))
        self.log.append([int(high - low), v - int(low)])
        return v


def float32_list(a):
    # Nine significant digits tell float32 values apart; the JSON stays small.
    return [float(f"{v:.9g}") for v in np.asarray(a, dtype=np.float32).ravel()]


def box_from_lambda(h, w, lam, cy, cx):
    # rand_bbox: sides truncated, the same half-side either way, clipped to the image.
    r = np.sqrt(1.0 - lam)
    cut_h, cut_w = int(h * r), int(w * r)
    y_lo = int(np.clip(cy - cut_h // 2, 0, h))
    y_hi = int(np.clip(cy + cut_h // 2, 0, h))
    x_lo = int(np.clip(cx - cut_w // 2, 0, w))
    x_hi = int(np.clip(cx + cut_w // 2, 0, w))
    return y_lo, y_hi, x_lo, x_hi


def box_min_max(h, w, minmax, draws):
    # rand_bbox_minmax: integer sides in [int(side * min), int(side * max)), the box inside the image.
    cut_h = draws.randint(int(h * minmax[0]), int(h * minmax[1]))
    cut_w = draws.randint(int(w * minmax[0]), int(w * minmax[1]))
    y_lo = draws.randint(0, h - cut_h)
    x_lo = draws.randint(0, w - cut_w)
    return y_lo, y_lo + cut_h, x_lo, x_lo + cut_w


def cutmix_box(h, w, lam, settings, draws):
    if settings["cutmixMinMax"] is not None:
        y_lo, y_hi, x_lo, x_hi = box_min_max(h, w, settings["cutmixMinMax"], draws)
    else:
        y_lo, y_hi, x_lo, x_hi = box_from_lambda(h, w, lam, draws.randint(0, h), draws.randint(0, w))
    if settings["correctLam"] or settings["cutmixMinMax"] is not None:
        lam = 1.0 - (y_hi - y_lo) * (x_hi - x_lo) / float(h * w)
    return (y_lo, y_hi, x_lo, x_hi), lam


def one_draw(rng, settings):
    """The gate, the choice and lambda of one batch, pair or element."""
    mix_a, cut_a = settings["mixupAlpha"], settings["cutmixAlpha"]
    if settings["cutmixMinMax"] is not None:
        cut_a = 1.0
    if not rng.rand() < settings["p"]:
        return False, False, 1.0
    if mix_a > 0 and cut_a > 0:
        use_cutmix = bool(rng.rand() < settings["switchProb"])
    else:
        use_cutmix = cut_a > 0
    lam = float(rng.beta(cut_a, cut_a) if use_cutmix else rng.beta(mix_a, mix_a))
    return True, use_cutmix, lam


def run_case(rng, settings, x, ids, num_classes):
    n, _, h, w = x.shape
    draws = Draws(rng)
    source = x.copy()  # the unmixed batch every partner is read from
    out = x.copy()
    mode = settings["mode"]
    units = 1 if mode == "batch" else n // 2 if mode == "pair" else n
    applied, cutmix, lam, boxes = [False] * n, [False] * n, [1.0] * n, [[0, 0, 0, 0]] * n
    for u in range(units):
        on, use_cutmix, lam_u = one_draw(rng, settings)
        members = range(n) if mode == "batch" else [u, n - 1 - u] if mode == "pair" else [u]
        box = [0, 0, 0, 0]
        if on and use_cutmix:
            (y_lo, y_hi, x_lo, x_hi), lam_u = cutmix_box(h, w, lam_u, settings, draws)
            box = [y_lo, x_lo, y_hi, x_hi]
        for i in members:
            j = n - 1 - i
            applied[i], cutmix[i], lam[i], boxes[i] = on, on and use_cutmix, lam_u, box
            if not on:
                continue
            if use_cutmix:
                out[i, :, box[0] : box[2], box[1] : box[3]] = source[j, :, box[0] : box[2], box[1] : box[3]]
            else:
                out[i] = source[i] * lam_u + source[j] * (1.0 - lam_u)
    eps = settings["labelSmoothing"]
    off, on_value = eps / num_classes, 1.0 - eps + eps / num_classes
    y = np.full((n, num_classes), off)
    y[np.arange(n), ids] = on_value
    lam_col = np.array(lam)[:, None]
    target = y * lam_col + y[::-1] * (1.0 - lam_col)
    return {
        "settings": settings,
        "params": {"applied": applied, "cutmix": cutmix, "lambda": lam, "boxes": boxes},
        "draws": draws.log,
        "images": float32_list(out.transpose(0, 2, 3, 1)),
        "targets": target.tolist(),
    }


def main():
    rng = np.random.RandomState(2024)
    n, c, h, w, k = 6, 2, 5, 7, 4
    base = {
        "mixupAlpha": 1.0,
        "cutmixAlpha": 0.0,
        "cutmixMinMax": None,
        "p": 1.0,
        "switchProb": 0.5,
        "correctLam": True,
        "labelSmoothing": 0.1,
    }
    variants = [
        {},
        {"mixupAlpha": 0.8, "cutmixAlpha": 1.0},
        {"mixupAlpha": 0.0, "cutmixAlpha": 1.0},
        {"mixupAlpha": 0.0, "cutmixAlpha": 0.5, "correctLam": False},
        {"mixupAlpha": 0.8, "cutmixMinMax": [0.2, 0.8], "switchProb": 1.0},
        {"mixupAlpha": 0.8, "cutmixAlpha": 1.0, "p": 0.5, "labelSmoothing": 0.0},
    ]
    cases = []
    for mode in ["batch", "pair", "elem"]:
        for v in variants:
            for _ in range(2):
                x = rng.rand(n, c, h, w).astype(np.float32)
                ids = rng.randint(0, k, size=n)
                settings = {**base, **v, "mode": mode}
                case = run_case(rng, settings, x, ids, k)
                case["input"] = float32_list(x.transpose(0, 2, 3, 1))
                case["ids"] = ids.tolist()
                cases.append(case)
    # The box from lambda alone, on odd and even sides: trunc, floor(cut / 2) each way, clipping.
    lambda_boxes = []
    for _ in range(200):
        bh, bw = int(rng.randint(1, 12)), int(rng.randint(1, 12))
        lam = float(rng.rand())
        cy, cx = int(rng.randint(0, bh)), int(rng.randint(0, bw))
        y_lo, y_hi, x_lo, x_hi = box_from_lambda(bh, bw, lam, cy, cx)
        lambda_boxes.append({"h": bh, "w": bw, "lambda": lam, "cy": cy, "cx": cx, "box": [y_lo, x_lo, y_hi, x_hi]})
    min_max_boxes = []
    for _ in range(100):
        bh, bw = int(rng.randint(5, 40)), int(rng.randint(5, 40))
        lo = float(rng.uniform(0.1, 0.5))
        hi = float(rng.uniform(lo + 0.3, 1.0))
        draws = Draws(rng)
        y_lo, y_hi, x_lo, x_hi = box_min_max(bh, bw, [lo, hi], draws)
        min_max_boxes.append(
            {"h": bh, "w": bw, "minMax": [lo, hi], "draws": draws.log, "box": [y_lo, x_lo, y_hi, x_hi]}
        )
    out = {
        "numpy": np.__version__,
        "source": "timm/data/mixup.py (huggingface/pytorch-image-models), semantics re-derived in numpy",
        "shape": [n, h, w, c],
        "numClasses": k,
        "cases": cases,
        "lambdaBoxes": lambda_boxes,
        "minMaxBoxes": min_max_boxes,
    }
    with open(OUT, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
