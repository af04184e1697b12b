"""Reference outputs of trivialAugmentWide with fixed draws, for test/augment/trivialAugmentWide.test.ts.

Writes test/augment/keras-trivial-augment-wide.json. Run: /work/main/.venv-keras/bin/python
scripts/keras/trivial_augment_wide.py (then npx prettier --write test/augment/keras-trivial-augment-wide.json).

torchvision (pytorch/vision, torchvision/transforms/v2/_auto_augment.py and v2/functional/_geometry.py,
_color.py) is not installed here (no torch in this venv), so this script follows its source for float
tensors in float32 numpy, independently of the library's resampler:
- the magnitude bins are torch.linspace's float32 arithmetic (from both ends towards the middle), posterize's
  bits (8 - arange(n) / ((n - 1) / 6)).round() with halves to even, signed ops negated when the draw says so;
- the geometric ops are torchvision's _get_inverse_affine_matrix (shear degrees(atan(m)) about center [0, 0],
  translate [int(m), 0], rotate by -angle about the centre), its affine grid (pixel centres at
  i + 0.5 - size / 2) and grid_sample (align_corners=False, zero padding; nearest rounds half to even), with
  its fill rule: a ones channel resampled alongside, then img * mask + (1 - mask) * fill for bilinear and
  fill where mask < 0.5 for nearest;
- the photometric ops are torchvision's float kernels: brightness, saturation and contrast blends (luma
  0.2989, 0.587, 0.114, contrast against its mean), sharpness (kernel [[1,1,1],[1,5,1],[1,1,1]]/13, the
  border kept), posterize floor(x * 2^b) clamped to 2^b - 1 over 2^b, solarize (1 - x at or above the
  threshold), autocontrast (per-channel min-max).
Equalize is left out: the library uses Keras' equalize there (a documented deviation; torchvision equalizes
8-bit levels with its own table). Each case gives images, params as trivialAugmentWide writes them, and the
expected output.
"""

import json
import math
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "../../test/augment/keras-trivial-augment-wide.json")
OPS = [
    "Identity", "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color", "Contrast",
    "Sharpness", "Posterize", "Solarize", "AutoContrast",
]
f32 = np.float32


def linspace(start, end, n, k):
    step = f32(f32(end) - f32(start)) / f32(n - 1)
    if k < n // 2:
        return f32(f32(start) + f32(step * f32(k)))
    return f32(f32(end) - f32(step * f32(n - 1 - k)))


def magnitude(op, k, n, negate):
    sign = -1.0 if negate else 1.0
    if op in ("ShearX", "ShearY", "Brightness", "Color", "Contrast", "Sharpness"):
        return float(linspace(0.0, 0.99, n, k)) * sign
    if op in ("TranslateX", "TranslateY"):
        return float(linspace(0.0, 32.0, n, k)) * sign
    if op == "Rotate":
        return float(linspace(0.0, 135.0, n, k)) * sign
    if op == "Posterize":
        return int(np.round(f32(8) - f32(k) / f32((n - 1) / 6)))
    if op == "Solarize":
        return float(linspace(1.0, 0.0, n, k))
    return 0.0


def inverse_affine(center, angle, translate, shear):
    rot, sx, sy = math.radians(angle), math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    m = [d, -b, 0.0, -c, a, 0.0]
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty)
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty)
    m[2] += cx
    m[5] += cy
    return m


def grid_sample(img, xs, ys, mode):
    """img [H, W, C]; xs, ys input pixel coordinates (unnormalized, align_corners=False), zero padding."""
    h, w, _ = img.shape

    def read(yi, xi):
        ok = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
        v = img[np.clip(yi, 0, h - 1), np.clip(xi, 0, w - 1)]
        return v * ok[..., None]

    if mode == "nearest":
        return read(np.rint(ys).astype(int), np.rint(xs).astype(int))
    x0, y0 = np.floor(xs).astype(int), np.floor(ys).astype(int)
    fx, fy = (xs - x0)[..., None], (ys - y0)[..., None]
    return (
        read(y0, x0) * (1 - fx) * (1 - fy)
        + read(y0, x0 + 1) * fx * (1 - fy)
        + read(y0 + 1, x0) * (1 - fx) * fy
        + read(y0 + 1, x0 + 1) * fx * fy
    )


def affine(img, matrix, mode, fill):
    h, w, c = img.shape
    gx, gy = np.meshgrid(np.arange(w) + 0.5 - w / 2, np.arange(h) + 0.5 - h / 2)
    ix = matrix[0] * gx + matrix[1] * gy + matrix[2]
    iy = matrix[3] * gx + matrix[4] * gy + matrix[5]
    # grid_sample's unnormalization of (i / (w / 2)) with align_corners=False: pixel = i + w / 2 - 0.5.
    xs, ys = ix + w / 2 - 0.5, iy + h / 2 - 0.5
    with_mask = np.concatenate([img, np.ones((h, w, 1))], -1)
    out = grid_sample(with_mask, xs, ys, mode)
    res, mask = out[..., :c], out[..., c:]
    if mode == "nearest":
        return np.where(mask < 0.5, fill, res)
    return res * mask + (1 - mask) * fill


def blend(img, other, f):
    return np.clip(f * img + (1 - f) * other, 0, 1)


def gray(img):
    return img[..., 0:1] * 0.2989 + img[..., 1:2] * 0.587 + img[..., 2:3] * 0.114


def apply(img, op, m, mode, fill):
    h, w, _ = img.shape
    if op == "Identity":
        return img
    if op == "ShearX":
        return affine(img, inverse_affine([-w / 2, -h / 2], 0.0, [0, 0], [math.degrees(math.atan(m)), 0.0]), mode, fill)
    if op == "ShearY":
        return affine(img, inverse_affine([-w / 2, -h / 2], 0.0, [0, 0], [0.0, math.degrees(math.atan(m))]), mode, fill)
    if op == "TranslateX":
        return affine(img, inverse_affine([0, 0], 0.0, [int(m), 0], [0.0, 0.0]), mode, fill)
    if op == "TranslateY":
        return affine(img, inverse_affine([0, 0], 0.0, [0, int(m)], [0.0, 0.0]), mode, fill)
    if op == "Rotate":
        return affine(img, inverse_affine([0, 0], -m, [0, 0], [0.0, 0.0]), mode, fill)
    if op == "Brightness":
        return blend(img, 0.0, 1 + m)
    if op == "Color":
        return blend(img, gray(img), 1 + m)
    if op == "Contrast":
        return blend(img, gray(img).mean(), 1 + m)
    if op == "Sharpness":
        k = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]]) / 13.0
        blurred = img.copy()
        for y in range(1, h - 1):
            for x in range(1, w - 1):
                blurred[y, x] = np.tensordot(k, img[y - 1 : y + 2, x - 1 : x + 2], axes=([0, 1], [0, 1]))
        return blend(img, blurred, 1 + m)
    if op == "Posterize":
        levels = 1 << m
        return np.clip(np.floor(img * levels), 0, levels - 1) / levels
    if op == "Solarize":
        return np.where(img >= f32(m), 1 - img, img)
    if op == "AutoContrast":
        lo, hi = img.min(axis=(0, 1), keepdims=True), img.max(axis=(0, 1), keepdims=True)
        return np.clip((img - lo) / (hi - lo), 0, 1)
    raise ValueError(op)


def main():
    rng = np.random.default_rng(16)
    cases = []
    for name, mode, fill, n in [("nearest, fill 0, 31 bins", "nearest", 0.0, 31), ("bilinear, fill 0.5, 9 bins", "bilinear", 0.5, 9)]:
        steps = [
            {"op": op, "bin": int(rng.integers(1, n)), "negate": bool(rng.integers(2)), "applied": True}
            for op in OPS + ["Rotate", "ShearX", "ShearY", "TranslateY"]
        ]
        images = rng.random((len(steps), 6, 7, 3)).astype(np.float32)
        expected = np.stack(
            [
                apply(img.astype(np.float64), s["op"], magnitude(s["op"], s["bin"], n, s["negate"]), mode, fill)
                for img, s in zip(images, steps)
            ]
        ).astype(np.float32)
        cases.append({
            "name": name,
            "options": {"interpolation": mode, "fillValue": fill, "numMagnitudeBins": n},
            "shape": list(images.shape),
            "images": [float(v) for v in images.ravel()],
            "params": {"samples": steps},
            "expected": [float(v) for v in expected.ravel()],
        })
    with open(OUT, "w") as f:
        json.dump({"generator": "scripts/keras/trivial_augment_wide.py", "numpy": np.__version__, "cases": cases}, f)


if __name__ == "__main__":
    main()
