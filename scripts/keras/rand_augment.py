"""Reference outputs of randAugment with fixed draws, for test/augment/randAugment.test.ts.

Writes test/augment/keras-rand-augment.json. Run: /work/main/.venv-keras/bin/python scripts/keras/rand_augment.py
(then npx prettier --write test/augment/keras-rand-augment.json, as lint checks JSON formatting)

timm (huggingface/pytorch-image-models, timm/data/auto_augment.py) is not installed here (no torch, no PIL
in this venv), so this script follows its source, operation by operation, in float32 numpy and TensorFlow:
- LEVEL_TO_ARG for the fifteen _RAND_TRANSFORMS (magnitude m / 10 times each op's range, the sign of rotate,
  shear and translate flipped when the draw says so);
- the geometric ops are timm's PIL affine tuples (shear_x (1, f, 0, 0, 1, 0), translate_x_rel
  (1, 0, pct * width, 0, 1, 0), rotate as timm's own PIL >= 5.0 fallback builds it about (w / 2, h / 2)),
  turned from PIL's pixel-corner coordinates into pixel centres and resampled by TensorFlow's
  ImageProjectiveTransformV3 (bilinear, constant fill), the kernel tf.image.transform uses;
- the photometric ops are PIL's formulas without its rounding to uint8 after each op: ImageEnhance's
  blends (brightness with black, colour with the 'L' luma 299/587/114, contrast with the mean luma,
  sharpness with the SMOOTH kernel [[1,1,1],[1,5,1],[1,1,1]]/13, border pixels unsmoothed), ImageOps'
  solarize (invert at or above the threshold), posterize (keep the high bits of the uint8 level; timm
  returns the image for 8 bits or more), autocontrast (per channel min-max), invert, timm's solarize_add
  lookup table; equalize is Keras 3's Equalization layer per image (the library's equalize follows
  Keras, not PIL's lookup table: the one documented deviation from timm).
Each case gives images, a params object as randAugment writes it, and the expected output.
"""

import json
import math
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "../../test/augment/keras-rand-augment.json")
FILL = 128 / 255
OPS = [
    "AutoContrast", "Equalize", "Invert", "Rotate", "Posterize", "Solarize", "SolarizeAdd", "Color",
    "Contrast", "Brightness", "Sharpness", "ShearX", "ShearY", "TranslateXRel", "TranslateYRel",
]


def level_arg(op, m, negate, h, w):
    level = m / 10.0
    sign = -1.0 if negate else 1.0
    if op == "Rotate":
        return level * 30.0 * sign
    if op in ("ShearX", "ShearY"):
        return level * 0.3 * sign
    if op == "TranslateXRel":
        return level * 0.45 * sign * w
    if op == "TranslateYRel":
        return level * 0.45 * sign * h
    if op == "Posterize":
        return int(level * 4)
    if op == "Solarize":
        return min(256, int(level * 256))
    if op == "SolarizeAdd":
        return min(128, int(level * 110))
    if op in ("Color", "Contrast", "Brightness", "Sharpness"):
        return level * 1.8 + 0.1
    return None


def pil_tuple(op, arg, h, w):
    if op == "ShearX":
        return (1, arg, 0, 0, 1, 0)
    if op == "ShearY":
        return (1, 0, 0, arg, 1, 0)
    if op == "TranslateXRel":
        return (1, 0, arg, 0, 1, 0)
    if op == "TranslateYRel":
        return (1, 0, 0, 0, 1, arg)
    # timm's rotate for PIL 5.0-5.1, the same matrix Image.rotate builds.
    cx, cy = w / 2.0, h / 2.0
    angle = -math.radians(arg)
    a, b, d, e = math.cos(angle), math.sin(angle), -math.sin(angle), math.cos(angle)
    c = a * -cx + b * -cy + cx
    f = d * -cx + e * -cy + cy
    return (a, b, c, d, e, f)


def warp(im, t):
    a, b, c, d, e, f = t
    # PIL samples input A (x + 1/2) + t in corner coordinates; centre coordinates are 1/2 less on both sides.
    row = [a, b, c + (a + b - 1) / 2, d, e, f + (d + e - 1) / 2, 0, 0]
    out = tf.raw_ops.ImageProjectiveTransformV3(
        images=tf.constant(im[None]),
        transforms=tf.constant([row], tf.float32),
        output_shape=tf.constant(im.shape[:2], tf.int32),
        fill_value=tf.constant(FILL, tf.float32),
        interpolation="BILINEAR",
        fill_mode="CONSTANT",
    )
    return np.asarray(out)[0]


def luma(im):
    if im.shape[-1] != 3:
        return im.mean(-1, keepdims=True)
    return (im * np.array([0.299, 0.587, 0.114], np.float32)).sum(-1, keepdims=True)


def blend(im, degenerate, f):
    return np.clip(degenerate + np.float32(f) * (im - degenerate), 0, 1)


def smooth(im):
    h, w, _ = im.shape
    k = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]], np.float32) / 13
    out = im.copy()
    for y in range(1, h - 1):
        for x in range(1, w - 1):
            out[y, x] = (im[y - 1 : y + 2, x - 1 : x + 2] * k[:, :, None]).sum((0, 1))
    return out


def op_image(op, arg, im):
    h, w, _ = im.shape
    if op in ("Rotate", "ShearX", "ShearY", "TranslateXRel", "TranslateYRel"):
        return warp(im, pil_tuple(op, arg, h, w))
    if op == "Brightness":
        return blend(im, np.float32(0), arg)
    if op == "Color":
        return blend(im, luma(im), arg)
    if op == "Contrast":
        return blend(im, luma(im).mean(), arg)
    if op == "Sharpness":
        return blend(im, smooth(im), arg)
    if op == "Posterize":
        if arg >= 8:
            return im
        levels = np.floor(np.clip(im * 255, 0, 255)).astype(np.int32)
        return ((levels & ~(2 ** (8 - arg) - 1)) / 255).astype(np.float32)
    if op == "Solarize":
        return np.where(im >= arg / 255, 1 - im, im)
    if op == "SolarizeAdd":
        return np.where(im < 128 / 255, np.minimum(im + np.float32(arg / 255), 1), im)
    if op == "AutoContrast":
        lo, hi = im.min((0, 1), keepdims=True), im.max((0, 1), keepdims=True)
        stretched = np.clip((im - lo) / np.where(hi > lo, hi - lo, 1), 0, 1)
        return np.where(hi > lo, stretched, im)
    if op == "Equalize":
        layer = keras.layers.Equalization(value_range=(0, 1))
        return np.asarray(layer.transform_images(tf.constant(im), None, training=True))
    if op == "Invert":
        return 1 - im
    raise ValueError(op)


def run(images, samples):
    out = []
    for im, steps in zip(images, samples):
        im = im.copy()
        h, w, _ = im.shape
        for s in steps:
            if s["applied"]:
                im = op_image(s["op"], level_arg(s["op"], s["magnitude"], s["negate"], h, w), im).astype(np.float32)
        out.append(im)
    return np.stack(out)


def values(t):
    return [float(f"{v:.9g}") for v in np.asarray(t, dtype=np.float32).reshape(-1)]


def main():
    rng = np.random.default_rng(16)
    cases = []

    def add(name, images, samples):
        cases.append({
            "name": name,
            "shape": list(images.shape),
            "images": values(images),
            "params": {"samples": samples},
            "expected": values(run(images, samples)),
        })

    step = lambda op, m, negate=False, applied=True: {  # noqa: E731
        "op": op, "magnitude": m, "negate": negate, "applied": applied,
    }
    rgb = rng.random((2, 7, 9, 3), dtype=np.float32)
    # Image 1 is a uint8 image converted, as posterize and solarize-add are meant for.
    rgb[1] = np.round(rgb[1] * 255) / 255
    # Every op alone at two magnitudes and both signs, on each image.
    for op in OPS:
        for m, negate in [(9, False), (4.3, True)]:
            add(f"{op} m={m}{' negated' if negate else ''}", rgb, [[step(op, m, negate)], [step(op, m, negate)]])
    add("Posterize m=1 (0 bits: black)", rgb, [[step("Posterize", 1)], [step("Posterize", 2.4)]])
    add("Posterize m=20 (8 bits: kept)", rgb, [[step("Posterize", 20)], [step("Posterize", 9)]])
    # A batch where each image draws different ops, some not applied, three layers.
    mixed = rng.random((4, 6, 6, 3), dtype=np.float32)
    samples = []
    for i in range(4):
        layer = []
        for _ in range(3):
            layer.append(step(OPS[int(rng.integers(0, 15))], float(np.clip(rng.normal(9, 2), 0, 10)),
                              bool(rng.random() < 0.5), bool(rng.random() < 0.7)))
        samples.append(layer)
    add("three layers, mixed ops", mixed, samples)
    gray = rng.random((2, 5, 6, 1), dtype=np.float32)
    add("grayscale", gray, [[step("Color", 9), step("Contrast", 3)], [step("Rotate", 7, True), step("Sharpness", 2)]])
    with open(OUT, "w") as f:
        json.dump({"generator": "scripts/keras/rand_augment.py", "tensorflow": tf.__version__,
                   "keras": keras.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
