"""References for the geometric augmentations: randomCrop, randomFlip and randomResizedCrop with fixed parameters.

Writes test/augment/keras-geometric.json, the reference test/augment/geometric.test.ts holds the library to.
Run from the repository root: .venv-keras/bin/python scripts/keras/geometric.py && npx prettier --write test/augment/keras-geometric.json

- Crops: padding by tf.pad (CONSTANT with a fill, REFLECT, SYMMETRIC) or numpy's 'edge' pad (TensorFlow has no edge
  pad; torchvision's 'edge' is numpy's), then tf.image.crop_to_bounding_box per image; without padding also Keras 3
  RandomCrop.transform_images with a fixed (h_start, w_start) window (one per batch, as Keras draws it).
- Flips: Keras 3 RandomFlip.transform_images with fixed per-image flips, for each mode; tf.image.flip_left_right and
  flip_up_down.
- Resized crops, torchvision's convention (box pixel edges onto output pixel edges, half-pixel centres): torchvision's
  F.resized_crop is crop then resize; tf.image.resize (antialias=False) of tf.image.crop_to_bounding_box is that resize
  (torch's align_corners=False bilinear and 'nearest-exact', source clamped to the crop). It equals the library's
  one-pass affine resampling along every axis where the box is shrunk, kept, or spans the image. For boxes enlarged inside the image
  the library reads the pixels just outside the box instead of clamping; there tf.image.crop_and_resize (pixel-centre
  convention) is given the box that makes its map the half-pixel map, so the affine map itself is checked everywhere.
- torchvision's get_params fallback (the centre crop when ten draws all fail), computed by its formula with Python's
  round (half to even).
"""

import json
import math
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras.src.layers.preprocessing.image_preprocessing.random_crop import RandomCrop  # noqa: E402
from keras.src.layers.preprocessing.image_preprocessing.random_flip import RandomFlip  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "augment", "keras-geometric.json")
N, H, W, C = 3, 6, 7, 3
# Distinct values per pixel and channel, exact in float32.
IMAGES = (np.arange(N * H * W * C, dtype=np.float64).reshape(N, H, W, C) * 37 % 101 / 100).astype(np.float32)


def flat(t):
    return [float(v) for v in np.asarray(t, dtype=np.float32).reshape(-1)]


def pad(images, py, px, mode, fill):
    if mode == "edge" or mode == "replicate":
        return np.pad(images, [[0, 0], [py, py], [px, px], [0, 0]], mode="edge")
    tf_mode = {"constant": "CONSTANT", "reflect": "REFLECT", "symmetric": "SYMMETRIC"}[mode]
    kwargs = {"constant_values": fill} if mode == "constant" else {}
    return tf.pad(images, [[0, 0], [py, py], [px, px], [0, 0]], mode=tf_mode, **kwargs).numpy()


def crop_case(height, width, padding, mode, fill, top, left):
    py, px = padding
    padded = pad(IMAGES, py, px, mode, fill)
    crops = [tf.image.crop_to_bounding_box(padded[i], top[i], left[i], height, width).numpy() for i in range(N)]
    return {
        "height": height,
        "width": width,
        "padding": [py, px],
        "padMode": mode,
        "fillValue": fill,
        "top": top,
        "left": left,
        "expected": flat(np.stack(crops)),
    }


def keras_crop_case(height, width, h_start, w_start):
    layer = RandomCrop(height, width)
    out = layer.transform_images(tf.constant(IMAGES), (h_start, w_start), training=True)
    return {"height": height, "width": width, "top": h_start, "left": w_start, "expected": flat(out)}


def flip_cases():
    cases = []
    flips = [True, False, True]
    for mode in ["horizontal", "vertical", "horizontal_and_vertical"]:
        layer = RandomFlip(mode=mode)
        transformation = {"flips": tf.constant(np.array(flips).reshape(N, 1, 1, 1)), "input_shape": IMAGES.shape}
        out = layer.transform_images(tf.constant(IMAGES), transformation, training=True)
        cases.append({"mode": mode, "flips": flips, "expected": flat(out)})
    return cases


def resize_case(box, size, method):
    top, left, h, w = box
    crops = tf.image.crop_to_bounding_box(IMAGES, top, left, h, w)
    out = tf.image.resize(crops, size, method=method, antialias=False)
    return {"box": box, "size": list(size), "interpolation": method, "expected": flat(out)}


def crop_and_resize_case(box, size):
    """tf.image.crop_and_resize maps output y to y1·(H−1) + y·(y2−y1)·(H−1)/(outH−1): chosen to be the half-pixel map."""
    top, left, h, w = box
    oh, ow = size
    sy, sx = h / oh, w / ow
    y1, x1 = top - 0.5 + sy / 2, left - 0.5 + sx / 2
    y2, x2 = y1 + (oh - 1) * sy, x1 + (ow - 1) * sx
    norm = [[y1 / (H - 1), x1 / (W - 1), y2 / (H - 1), x2 / (W - 1)]] * N
    out = tf.image.crop_and_resize(IMAGES, norm, list(range(N)), size, method="bilinear")
    return {"box": box, "size": list(size), "interpolation": "bilinear", "expected": flat(out)}


def torchvision_fallback(height, width, ratio):
    """torchvision RandomResizedCrop.get_params after ten failed draws: the centre crop, clamped to the ratio range."""
    in_ratio = float(width) / float(height)
    if in_ratio < min(ratio):
        w = width
        h = int(round(w / min(ratio)))
    elif in_ratio > max(ratio):
        h = height
        w = int(round(h * max(ratio)))
    else:
        w = width
        h = height
    return [(height - h) // 2, (width - w) // 2, h, w]


def main():
    crops = [
        crop_case(H, W, (2, 2), "constant", 0.0, [0, 4, 2], [4, 0, 1]),
        crop_case(H, W, (2, 3), "constant", -0.5, [1, 3, 4], [6, 0, 2]),
        crop_case(4, 5, (0, 0), "constant", 0.0, [2, 0, 1], [1, 2, 0]),
        crop_case(5, 5, (2, 1), "edge", 0.0, [0, 3, 1], [2, 0, 3]),
        crop_case(5, 5, (2, 1), "replicate", 0.0, [0, 3, 1], [2, 0, 3]),
        crop_case(H, W, (3, 3), "reflect", 0.0, [0, 6, 2], [5, 0, 6]),
        crop_case(H, W, (3, 3), "symmetric", 0.0, [0, 6, 2], [5, 0, 6]),
        crop_case(8, 9, (1, 1), "constant", 0.25, [0, 0, 0], [0, 0, 0]),
    ]
    resized = [
        resize_case([1, 1, 4, 5], (2, 3), "bilinear"),  # shrunk
        resize_case([0, 0, 6, 7], (4, 4), "bilinear"),  # the whole image, shrunk
        resize_case([0, 2, 6, 3], (9, 2), "bilinear"),  # enlarged along the full height, shrunk across
        resize_case([1, 0, 2, 7], (2, 14), "bilinear"),  # kept along y, enlarged along the full width
        resize_case([0, 0, 6, 7], (9, 11), "bilinear"),  # the whole image, enlarged
        resize_case([1, 2, 4, 4], (2, 2), "nearest"),
        resize_case([0, 0, 6, 7], (12, 14), "nearest"),
        crop_and_resize_case([1, 1, 3, 4], (5, 6)),  # enlarged inside the image
        crop_and_resize_case([2, 2, 2, 2], (4, 3)),
        crop_and_resize_case([1, 1, 3, 4], (1, 6)),  # one output row: crop_and_resize reads the box's centre
    ]
    fallbacks = [
        {"height": h, "width": w, "ratio": r, "box": torchvision_fallback(h, w, r)}
        for (h, w, r) in [(10, 40, [0.5, 2]), (40, 10, [0.75, 4 / 3]), (9, 10, [0.75, 4 / 3]), (7, 30, [1.5, 2.5])]
    ]
    reference = {
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "shape": [N, H, W, C],
        "images": flat(IMAGES),
        "crops": crops,
        "kerasCrops": [keras_crop_case(4, 5, 2, 1), keras_crop_case(5, 3, 0, 4)],
        "flips": flip_cases(),
        "flipLeftRight": flat(tf.image.flip_left_right(IMAGES)),
        "flipUpDown": flat(tf.image.flip_up_down(IMAGES)),
        "resizedCrops": resized,
        "fallbacks": fallbacks,
    }
    with open(OUT, "w") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
