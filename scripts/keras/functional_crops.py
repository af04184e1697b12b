"""References for the functional crops, crop and resizedCrop, with boxes inside and outside the image.

Writes test/augment/functional/keras-crops.json, which test/augment/functional/crop.test.ts and resizedCrop.test.ts
hold the library to. Run from the repository root:
.venv-keras/bin/python scripts/keras/functional_crops.py > /dev/null && npx prettier --write test/augment/functional/keras-crops.json

torchvision's F.crop pads with zeros where the box leaves the image, and F.resized_crop is that crop then a resize.
Here the image is zero-padded by a wide margin (tf.pad) and cut by tf.image.crop_to_bounding_box: torchvision's crop.
- "resize" cases: tf.image.resize (antialias=False, half-pixel centres, source clamped to the crop: torch's
  align_corners=False bilinear and 'nearest-exact') of that crop, torchvision's resized_crop itself. Used for nearest
  everywhere, and for bilinear where each axis is shrunk or kept, or the box covers the image along the enlarged axis
  (the library then agrees exactly).
- "crop_and_resize" cases: boxes enlarged with their edges off the image's border, where the library reads the pixels
  just outside the box instead of clamping at its edge (its documented difference): tf.image.crop_and_resize of the
  zero-padded image, given the box that makes its pixel-centre map the half-pixel map, checks the map and the zeros.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from reference import write_reference  # noqa: E402

N, H, W, C = 3, 6, 7, 3
M = 12  # the zero margin, wider than any box leaves the image
# Distinct values per pixel and channel, exact in float32 (the geometric references' images).
IMAGES = (np.arange(N * H * W * C, dtype=np.float64).reshape(N, H, W, C) * 37 % 101 / 100).astype(np.float32)
PADDED = tf.pad(IMAGES, [[0, 0], [M, M], [M, M], [0, 0]]).numpy()


def flat(t):
    return [float(v) for v in np.asarray(t, dtype=np.float32).reshape(-1)]


def torch_crop(i, top, left, h, w):
    return tf.image.crop_to_bounding_box(PADDED[i], top + M, left + M, h, w)


def crop_case(top, left, h, w):
    out = np.stack([torch_crop(i, top[i], left[i], h, w).numpy() for i in range(N)])
    return {"top": top, "left": left, "height": h, "width": w, "expected": flat(out)}


def resize_case(boxes, size, method):
    out = [tf.image.resize(torch_crop(i, *boxes[i]), size, method=method, antialias=False) for i in range(N)]
    return {"kind": "resize", "boxes": boxes, "size": size, "interpolation": method, "expected": flat(np.stack(out))}


def crop_and_resize_case(boxes, size, method):
    hp, wp = H + 2 * M, W + 2 * M
    normalized = []
    for top, left, h, w in boxes:
        sy, sx = h / size[0], w / size[1]
        # crop_and_resize reads y1·(hp − 1) + i·(y2 − y1)·(hp − 1)/(out − 1): make it top + (i + ½)·sy − ½.
        y1 = (top + M + sy / 2 - 0.5) / (hp - 1)
        x1 = (left + M + sx / 2 - 0.5) / (wp - 1)
        y2 = y1 + sy * (size[0] - 1) / (hp - 1)
        x2 = x1 + sx * (size[1] - 1) / (wp - 1)
        normalized.append([y1, x1, y2, x2])
    out = tf.image.crop_and_resize(
        PADDED, np.array(normalized, dtype=np.float32), np.arange(N, dtype=np.int32), size, method=method
    )
    return {"kind": "crop_and_resize", "boxes": boxes, "size": size, "interpolation": method, "expected": flat(out)}


resized = []
for method in ["bilinear", "nearest"]:
    resized += [
        resize_case([[1, 1, 4, 5], [0, 0, 6, 7], [2, 3, 3, 2]], [2, 2], method),  # shrunk inside
        resize_case([[-2, -1, 6, 5], [3, 4, 5, 6], [-1, 2, 8, 3]], [3, 3], method),  # shrunk, partly outside
        resize_case([[0, 0, 6, 7], [-1, -2, 8, 9], [-2, 0, 9, 7]], [10, 11], method),  # enlarged, covering the image
        resize_case([[-3, 5, 6, 7], [2, -4, 6, 7], [0, 0, 6, 7]], [6, 7], method),  # kept, shifted out
    ]
# Enlarged with edges inside the image: nearest has no blend to differ by (torch's 'nearest-exact' exactly),
# bilinear is checked against its half-pixel map.
ENLARGED = [[1, 1, 3, 4], [-2, 2, 4, 3], [3, -3, 5, 5]]
resized += [resize_case(ENLARGED, [7, 8], "nearest"), crop_and_resize_case(ENLARGED, [7, 8], "bilinear")]

write_reference(
    "test/augment/functional/keras-crops.json",
    {
        "tensorflow": tf.__version__,
        "shape": [N, H, W, C],
        "images": flat(IMAGES),
        "crops": [
            crop_case([0, 2, 3], [0, 1, 4], 3, 3),  # inside
            crop_case([-2, 4, -1], [5, -3, 0], 4, 5),  # partly outside
            crop_case([-9, 7, 0], [0, 0, -8], 2, 3),  # wholly outside: zeros
        ],
        "resizedCrops": resized,
    },
)
