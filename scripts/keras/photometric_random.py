"""References of the random photometric augmentations, for test/augment/photometricRandom.test.ts.

Writes test/augment/keras-photometric-random.json. Run: /work/main/.venv-keras/bin/python scripts/keras/photometric_random.py

Two kinds of case, both Keras 3's own code:
- "transform": a Keras 3 layer's `transform_images(images, transformation)` with the transformation built
  here from the library's parameters (the mapping each augmentation's TSDoc states: e.g. RandomSharpness'
  factor is half the library's, Solarization's thresholds are in [0, 255] units), so the library's `apply`
  with those parameters must give Keras' images;
- "draws": `get_random_transformation` of a layer on a batch of 4000 images, summarized (min, max, mean of
  each drawn value, the rate of a boolean): the library's `sample` must draw from the same distribution.
- "colorJitter": torchvision v2 ColorJitter's four ops (torchvision/transforms/v2/functional/_color.py:
  adjust_brightness = _blend(x, 0, f), adjust_contrast = _blend(x, mean(rgb_to_grayscale(x)), f),
  adjust_saturation = _blend(x, rgb_to_grayscale(x), f), each clamped to [0, 1]; adjust_hue = an HSV hue
  shift, for which tf.image.adjust_hue stands in: the same map) written here in numpy following that
  source, in a fixed order per image, since torch is not installed.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "../../test/augment/keras-photometric-random.json")
L = keras.layers


def images():
    rng = np.random.default_rng(1616)
    x = rng.random((3, 5, 6, 3), dtype=np.float32)
    x[2, :, :, 0] = 0.25
    x[2, 0, :3, :] = 0.5
    return x.astype(np.float32)


def values(t):
    return [float(f"{v:.9g}") for v in np.asarray(t, dtype=np.float32).reshape(-1)]


def f32(v):
    return tf.constant(np.array(v, dtype=np.float32))


def main():
    x = images()
    b = x.shape[0]
    col = lambda v: f32(v).numpy().reshape(b, 1, 1, 1)  # noqa: E731
    cases = []

    def transform(aug, options, params, out, images_scale=1):
        cases.append({"kind": "transform", "aug": aug, "options": options, "params": params, "scale": images_scale,
                      "expected": values(out)})

    t = tf.constant(x)
    # RandomBrightness: rgb_delta is the library's delta.
    delta = [0.3, -0.2, 0.6]
    out = L.RandomBrightness(0.5, value_range=(0, 1)).transform_images(t, {"rgb_delta": col(delta)})
    transform("randomBrightness", {"factor": 0.5}, {"applied": [True] * b, "delta": delta}, out)
    out = L.RandomBrightness(0.5, value_range=(0, 255)).transform_images(t * 255, {"rgb_delta": col(delta) * 255})
    transform("randomBrightness", {"factor": 0.5, "valueRange": [0, 255]},
              {"applied": [True] * b, "delta": [d * 255 for d in delta]}, out, 255)
    # RandomContrast: contrast_factor is the library's factor.
    factor = [0.6, 1.4, 1.9]
    out = L.RandomContrast(0.5, value_range=(0, 1)).transform_images(t, {"contrast_factor": col(factor)})
    transform("randomContrast", {"factor": 0.5}, {"applied": [True] * b, "factor": factor}, out)
    # RandomSaturation: its transformation factor is the library's (already u / (1 - u + eps)).
    sat = [0.0, 0.5, 3.0]
    out = L.RandomSaturation(0.5, value_range=(0, 1)).transform_images(t, {"factor": f32(sat)})
    transform("randomSaturation", {"factor": 0.5}, {"applied": [True] * b, "factor": sat}, out)
    # RandomHue: its transformation factor is the library's delta (turns).
    hue = [0.2, -0.45, 0.33]
    out = L.RandomHue(0.5, value_range=(0, 1)).transform_images(t, {"factor": f32(hue)})
    transform("randomHue", {"factor": 0.5}, {"applied": [True] * b, "delta": hue}, out)
    out = L.RandomHue(0.5, value_range=(0, 255)).transform_images(t * 255, {"factor": f32(hue)})
    transform("randomHue", {"factor": 0.5, "valueRange": [0, 255]}, {"applied": [True] * b, "delta": hue}, out, 255)
    # RandomGrayscale: the transformation is the applied mask.
    applied = [True, False, True]
    out = L.RandomGrayscale(0.5).transform_images(t, tf.constant(np.array(applied).reshape(b, 1, 1, 1)))
    transform("randomGrayscale", {}, {"applied": applied}, out)
    # Solarization: thresholds and additions in [0, 255] units.
    thr, addn = [0.4, 0.7, 0.2], [0.0, 0.1, 0.3]
    out = L.Solarization(value_range=(0, 1)).transform_images(
        t, {"thresholds": col(thr) * 255, "additions": col(addn) * 255})
    transform("randomSolarize", {}, {"applied": [True] * b, "threshold": thr, "addition": addn}, out)
    # RandomPosterization: shift_factor = 8 - bits.
    bits = [2, 5, 7]
    out = L.RandomPosterization(factor=(1, 8), value_range=(0, 1)).transform_images(
        t, {"shift_factor": tf.constant(np.array([8 - v for v in bits], np.uint8))})
    transform("randomPosterize", {"factor": [1, 8]}, {"applied": [True] * b, "bits": bits}, out)
    # RandomInvert: apply_inversion is the applied mask.
    out = L.RandomInvert(value_range=(0, 1)).transform_images(t, {"apply_inversion": tf.constant(applied)})
    transform("randomInvert", {}, {"applied": applied}, out)
    # RandomSharpness: its factor is half of PIL's.
    sharp = [0.0, 0.6, 1.8]
    out = L.RandomSharpness(0.5, value_range=(0, 1)).transform_images(t, {"factor": f32(sharp) / 2})
    transform("randomSharpness", {"factor": 0.5}, {"applied": [True] * b, "factor": sharp}, out)
    # RandomGaussianBlur draws one (sigma_x, sigma_y) per batch: one sigma pair, all images, where-masked.
    out = L.RandomGaussianBlur(kernel_size=5, value_range=(0, 1)).transform_images(
        t, {"should_apply_blur": tf.constant(applied), "blur_factor": f32([0.8, 1.3])})
    transform("randomGaussianBlur", {"kernelSize": 5},
              {"applied": applied, "sigma": [0.8] * b, "sigmaY": [1.3] * b}, out)

    # Draws: Keras' distributions of each transformation, over 4000 images.
    n = 4000
    big = tf.zeros((n, 1, 1, 3))

    def draws(aug, options, layer, pick):
        tr = layer.get_random_transformation(big, training=True)
        summary = {}
        for name, v in pick(tr).items():
            a = np.asarray(v, dtype=np.float64).reshape(-1)
            summary[name] = {"min": float(a.min()), "max": float(a.max()), "mean": float(a.mean()),
                             "std": float(a.std())}
        cases.append({"kind": "draws", "aug": aug, "options": options, "n": n, "summary": summary})

    draws("randomBrightness", {"factor": 0.3}, L.RandomBrightness(0.3, value_range=(0, 1), seed=1),
          lambda tr: {"delta": tr["rgb_delta"]})
    draws("randomBrightness", {"factor": [-0.1, 0.4], "valueRange": [0, 255]},
          L.RandomBrightness((-0.1, 0.4), value_range=(0, 255), seed=1), lambda tr: {"delta": tr["rgb_delta"]})
    draws("randomContrast", {"factor": [0.2, 0.5]}, L.RandomContrast((0.2, 0.5), value_range=(0, 1), seed=1),
          lambda tr: {"factor": tr["contrast_factor"]})
    draws("randomSaturation", {"factor": [0.2, 0.8]}, L.RandomSaturation((0.2, 0.8), value_range=(0, 1), seed=1),
          lambda tr: {"factor": tr["factor"]})
    draws("randomHue", {"factor": 0.6}, L.RandomHue(0.6, value_range=(0, 1), seed=1),
          lambda tr: {"delta": tr["factor"], "absDelta": np.abs(tr["factor"])})
    draws("randomGrayscale", {"factor": 0.3}, L.RandomGrayscale(0.3, seed=1), lambda tr: {"applied": tr})
    draws("randomSolarize", {"additionFactor": 0.2, "thresholdFactor": 0.6},
          L.Solarization(0.2, 0.6, value_range=(0, 1), seed=1),
          lambda tr: {"addition": tr["additions"] / 255, "threshold": tr["thresholds"] / 255})
    draws("randomInvert", {}, L.RandomInvert(value_range=(0, 1), seed=1), lambda tr: {"applied": tr["apply_inversion"]})
    draws("randomInvert", {"factor": [0.6, 0.8]}, L.RandomInvert((0.6, 0.8), value_range=(0, 1), seed=1),
          lambda tr: {"applied": tr["apply_inversion"]})
    draws("randomSharpness", {"factor": 0.7}, L.RandomSharpness(0.7, value_range=(0, 1), seed=1),
          lambda tr: {"factor": tr["factor"] * 2})
    draws("randomGaussianBlur", {"factor": [0.2, 0.6]}, L.RandomGaussianBlur((0.2, 0.6), seed=1),
          lambda tr: {"applied": tr["should_apply_blur"]})

    # colorJitter: torchvision's ops, numpy, in a given order per image.
    gray_w = np.array([0.2989, 0.587, 0.114], np.float32)

    def gray(im):
        return (im @ gray_w)[..., None]

    def blend(a, b2, r):
        return np.clip(r * a + (1 - r) * b2, 0, 1).astype(np.float32)

    def jitter(im, order, bf, cf, sf, hf):
        for k in order:
            if k == 0:
                im = blend(im, np.zeros_like(im), bf)
            elif k == 1:
                im = blend(im, np.float32(gray(im).mean()), cf)
            elif k == 2:
                im = blend(im, gray(im), sf)
            else:
                im = np.asarray(tf.image.adjust_hue(im, hf))
        return im

    orders = [[3, 1, 0, 2], [0, 1, 2, 3], [2, 3, 1, 0]]
    bf, cf, sf, hf = [0.7, 1.3, 1.1], [1.35, 0.6, 0.9], [0.65, 1.4, 0.2], [0.08, -0.1, 0.03]
    out = np.stack([jitter(x[i], orders[i], bf[i], cf[i], sf[i], hf[i]) for i in range(b)])
    cases.append({"kind": "colorJitter", "aug": "colorJitter",
                  "options": {"brightness": 0.4, "contrast": 0.4, "saturation": 0.4, "hue": 0.1},
                  "params": {"applied": [True] * b, "order": orders, "brightness": bf, "contrast": cf,
                             "saturation": sf, "hue": hf}, "scale": 1, "expected": values(out)})

    result = {"keras": keras.__version__, "tensorflow": tf.__version__, "shape": list(x.shape), "images": values(x),
              "cases": cases}
    lines = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in result.items() if k != "cases"]
    cases_text = ",\n".join("  " + json.dumps(c) for c in cases)
    with open(OUT, "w") as f:
        f.write("{\n " + ",\n ".join(lines) + ',\n "cases": [\n' + cases_text + "\n ]\n}\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
