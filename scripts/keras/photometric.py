"""Reference outputs of the photometric ops, for test/augment/functional/photometric.test.ts.

Writes test/augment/functional/keras-photometric.json. Run: /work/main/.venv-keras/bin/python scripts/keras/photometric.py

Every case is TensorFlow's or Keras 3's own code with fixed parameters, never a re-derivation:
- tf.image.adjust_brightness / adjust_contrast / adjust_saturation / adjust_hue / rgb_to_grayscale, called
  once per image where TensorFlow takes one scalar for the whole batch (saturation, hue, contrast);
- the Keras 3 layers' `transform_images(images, transformation)` with a transformation dict built here
  (Solarization, RandomPosterization, RandomInvert, RandomSharpness, RandomGaussianBlur), which fixes
  the draw exactly;
- Equalization and AutoContrast take no transformation; Equalization is called on ONE image at a
  time (rank 3), because on a batch Keras pools the histogram of every image of the batch, whereas
  PIL, torchvision and the library equalize each image on its own;
- one gaussian blur with a non-square kernel, which Keras' gaussian_blur scrambles (it reshapes a
  [ky, kx] outer product to [kx, ky]): that case builds the separable kernel as torchvision's
  _get_gaussian_kernel2d does (outer product of two normalized 1-D Gaussians) and convolves with
  tf.nn.depthwise_conv2d, zero-padded 'SAME' as Keras.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "../../test/augment/functional/keras-photometric.json")
L = keras.layers


def images():
    """Three 5x6 RGB images in [0, 1]: two random, one with a constant red channel, a gray patch and few levels."""
    rng = np.random.default_rng(16)
    x = rng.random((3, 5, 6, 3), dtype=np.float32)
    levels = np.array([0, 40, 41, 128, 200, 255], dtype=np.float32) / 255
    x[2] = levels[rng.integers(0, 6, (5, 6, 3))]
    x[2, :, :, 0] = 0.25
    x[2, 0, :3, :] = 0.5
    # Image 1 holds exact multiples of 1/255 (a uint8 image converted), as posterize is meant for.
    x[1] = np.round(x[1] * 255) / 255
    return x.astype(np.float32)


def values(t):
    # Nine significant digits round-trip a float32 exactly.
    return [float(f"{v:.9g}") for v in np.asarray(t, dtype=np.float32).reshape(-1)]


def per_image(fn, x, params):
    return np.stack([np.asarray(fn(x[i], p)) for i, p in enumerate(params)])


def main():
    x = images()
    x255 = (x * 255).astype(np.float32)
    t = tf.constant(x)
    b = x.shape[0]
    col = lambda v: np.array(v, dtype=np.float32).reshape(b, 1, 1, 1)  # noqa: E731
    cases = []

    def add(op, args, out, value_range=(0, 1)):
        cases.append({"op": op, "args": args, "valueRange": list(value_range), "expected": values(out)})

    # tf.image
    delta = [0.1, -0.25, 0.5]
    add("adjustBrightness", {"delta": delta}, per_image(lambda im, d: tf.image.adjust_brightness(im, d), x, delta))
    add("adjustBrightness", {"delta": 0.2}, tf.image.adjust_brightness(t, 0.2))
    factor = [0.5, 1.7, -0.3]
    add("adjustContrast", {"factor": factor}, per_image(lambda im, f: tf.image.adjust_contrast(im, f), x, factor))
    sat = [0.3, 1.8, 0.0]
    add("adjustSaturation", {"factor": sat}, per_image(lambda im, f: tf.image.adjust_saturation(im, f), x, sat))
    add("adjustSaturation", {"factor": 2.5}, tf.image.adjust_saturation(t, 2.5))
    hue = [0.45, -0.35, 0.9]
    add("adjustHue", {"delta": hue}, per_image(lambda im, d: tf.image.adjust_hue(im, d), x, hue))
    add("adjustHue", {"delta": -0.8}, tf.image.adjust_hue(t, -0.8))
    add("rgbToGrayscale", {}, tf.image.rgb_to_grayscale(t))

    # Keras 3 layers, transformation fixed.
    thr, addn = [0.5, 0.25, 0.8], [0.0, 0.1, -0.2]
    for vr, scale in [((0, 1), 1), ((0, 255), 255)]:
        data = x if scale == 1 else x255
        layer = L.Solarization(value_range=vr)
        out = layer.transform_images(
            tf.constant(data), {"thresholds": col(thr) * 255, "additions": col(addn) * 255}, training=True
        )
        add("solarize", {"threshold": [v * scale for v in thr], "addition": [v * scale for v in addn]}, out, vr)
    out = L.Solarization(value_range=(0, 1)).transform_images(
        t, {"thresholds": col([0.6] * b) * 255, "additions": col([0] * b)}, training=True
    )
    add("solarize", {"threshold": 0.6}, out)

    bits = [1, 4, 8]
    for vr, data in [((0, 1), x), ((0, 255), x255)]:
        shift = np.array([8 - v for v in bits], dtype=np.uint8)
        out = L.RandomPosterization(factor=(1, 8), value_range=vr).transform_images(
            tf.constant(data), {"shift_factor": tf.constant(shift)}, training=True
        )
        add("posterize", {"bits": bits}, out, vr)

    for vr, data in [((0, 1), x), ((0, 255), x255)]:
        out = L.RandomInvert(value_range=vr).transform_images(
            tf.constant(data), {"apply_inversion": tf.constant([True] * b)}, training=True
        )
        add("invert", {}, out, vr)

    for vr, data in [((0, 1), x), ((0, 255), x255)]:
        for bins in [256, 16, 3]:
            layer = L.Equalization(value_range=vr, bins=bins)
            out = np.stack([np.asarray(layer.transform_images(tf.constant(im), None, training=True)) for im in data])
            add("equalize", {"bins": bins}, out, vr)

    for vr, data in [((0, 1), x), ((0, 255), x255)]:
        out = L.AutoContrast(value_range=vr).transform_images(tf.constant(data), None, training=True)
        add("autoContrast", {}, out, vr)

    sharp = [0.2, 1.5, 2.0]
    for vr, data in [((0, 1), x), ((0, 255), x255)]:
        # Keras doubles its drawn factor: transformation["factor"] = PIL's factor / 2.
        out = L.RandomSharpness(factor=(0, 1), value_range=vr).transform_images(
            tf.constant(data), {"factor": tf.constant(np.array(sharp, np.float32) / 2)}, training=True
        )
        add("adjustSharpness", {"factor": sharp}, out, vr)
    out = L.RandomSharpness(factor=(0, 1), value_range=(0, 1)).transform_images(
        t, {"factor": tf.constant(np.full(b, 0.0, np.float32))}, training=True
    )
    add("adjustSharpness", {"factor": 0}, out)

    # RandomGaussianBlur draws one (sigma_x, sigma_y) per batch: per-sample sigmas are one call per image.
    blur = lambda k, s: L.RandomGaussianBlur(kernel_size=k, value_range=(0, 1))  # noqa: E731
    for k, sx, sy in [(3, [1.0] * b, [1.0] * b), (5, [0.8, 1.6, 3.0], [0.8, 1.6, 3.0]), (5, [0.7] * b, [2.0] * b)]:
        out = np.stack(
            [
                np.asarray(
                    blur(k, None).transform_images(
                        tf.constant(x[i : i + 1]),
                        {"should_apply_blur": tf.constant([True]), "blur_factor": tf.constant([sx[i], sy[i]])},
                        training=True,
                    )
                )[0]
                for i in range(b)
            ]
        )
        args = {"kernelSize": k, "sigma": sx if len(set(sx)) > 1 else sx[0]}
        if sy != sx:
            args["sigmaY"] = sy[0]
        add("gaussianBlur", args, out)

    # Non-square kernel: [width 3, height 5], sigma_x 0.9, sigma_y 1.7 (see the docstring).
    def g1(size, sigma):
        r = np.arange(size, dtype=np.float32) - (size - 1) / 2
        k = np.exp(-0.5 * (r / sigma) ** 2)
        return k / k.sum()

    kernel = np.outer(g1(5, 1.7), g1(3, 0.9)).astype(np.float32)[:, :, None, None]
    out = tf.nn.depthwise_conv2d(t, np.tile(kernel, [1, 1, 3, 1]), [1, 1, 1, 1], "SAME")
    add("gaussianBlur", {"kernelSize": [3, 5], "sigma": 0.9, "sigmaY": 1.7}, out)

    result = {
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "shape": list(x.shape),
        "images": values(x),
        "cases": cases,
    }
    # One case per line: the file diffs by case when a reference changes.
    lines = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in result.items() if k != "cases"]
    cases_text = ",\n".join("  " + json.dumps(c) for c in cases)
    with open(OUT, "w") as f:
        f.write("{\n " + ",\n ".join(lines) + ',\n "cases": [\n' + cases_text + "\n ]\n}\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
