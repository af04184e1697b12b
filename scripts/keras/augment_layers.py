"""References for the Keras 3 image layers of tfjs-regularization/augment (layers.randomCrop ... randomColorJitter).

Writes test/augment/layers/keras-augment-layers.json, the reference test/augment/layers/kerasImageLayers.test.ts holds
the layers to. Run from the repository root:
  .venv-keras/bin/python scripts/keras/augment_layers.py && npx prettier --write test/augment/layers/keras-augment-layers.json

Each case makes Keras' random draw deterministic: a factor range collapsed to one value (Keras' pair [-a, a] for
RandomContrast), or, where a draw cannot be collapsed (RandomHue's sign, RandomFlip's coin, RandomCrop's window), every
outcome given to the layer's own transform_images as Keras' transformation; the test then finds the layer's output
among the outcomes. RandomCrop's centre window is Keras' documented one, keras.preprocessing.image.smart_resize.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from reference import write_reference  # noqa: E402

N, H, W, C = 2, 5, 6, 3
# Distinct values per pixel and channel in [0, 1], exact in float32.
IMAGES = (np.arange(N * H * W * C, dtype=np.float64).reshape(N, H, W, C) * 37 % 101 / 100).astype(np.float32)


def flat(t):
    return [float(v) for v in np.asarray(t, dtype=np.float32).reshape(-1)]


def case(layer, options, images, outputs, keras_args):
    return {"layer": layer, "options": options, "keras": keras_args, "shape": list(images.shape),
            "images": flat(images), "outputs": [flat(o) for o in outputs]}


def trained(cls, images, **kwargs):
    return cls(**kwargs)(images, training=True)


cases = []
scaled = IMAGES * 255
for factor, vr, images in [([0.1, 0.1], [0, 255], scaled), ([-0.3, -0.3], [0, 1], IMAGES), ([0.8, 0.8], [0, 1], IMAGES),
                           ([0.2, 0.2], [-1, 1], IMAGES * 2 - 1)]:
    out = trained(keras.layers.RandomBrightness, images, factor=factor, value_range=vr, seed=1)
    cases.append(case("randomBrightness", {"factor": factor, "valueRange": vr}, images, [out],
                      {"factor": factor, "value_range": vr}))
for factor, vr, images in [([-0.5, 0.5], [0, 255], scaled), ([-0.3, 0.3], [0, 1], IMAGES), ([-1, 1], [0, 1], IMAGES)]:
    out = trained(keras.layers.RandomContrast, images, factor=factor, value_range=vr, seed=1)
    cases.append(case("randomContrast", {"factor": factor, "valueRange": vr}, images, [out],
                      {"factor": factor, "value_range": vr}))
for factor in [[0.3, 0.3], [0.5, 0.5], [0.7, 0.7], [-0.4, -0.4]]:
    out = trained(keras.layers.RandomSaturation, IMAGES, factor=factor, value_range=[0, 1], seed=1)
    cases.append(case("randomSaturation", {"factor": factor, "valueRange": [0, 1]}, IMAGES, [out],
                      {"factor": factor, "value_range": [0, 1]}))
for factor, vr, images in [([0.3, 0.3], [0, 1], IMAGES), ([0.9, 0.9], [0, 255], scaled)]:
    layer = keras.layers.RandomHue(factor=factor, value_range=vr, seed=1)
    outs = [layer.transform_images(images, {"factor": np.full([N], sign * factor[0] * 0.5, np.float32)})
            for sign in (1, -1)]
    cases.append(case("randomHue", {"factor": factor, "valueRange": vr}, images, outs,
                      {"factor": factor, "value_range": vr, "transformation": "factor = ±factor / 2"}))
for factor, vr, images in [([0.2, 0.2], [0, 1], IMAGES), ([0.9, 0.9], [0, 255], scaled), ([0.5, 0.5], [0, 1], IMAGES)]:
    out = trained(keras.layers.RandomSharpness, images, factor=factor, value_range=vr, seed=1)
    cases.append(case("randomSharpness", {"factor": factor, "valueRange": vr}, images, [out],
                      {"factor": factor, "value_range": vr}))
for factor in [1.0, 0.0]:
    out = trained(keras.layers.RandomGrayscale, IMAGES, factor=factor, seed=1)
    cases.append(case("randomGrayscale", {"factor": factor}, IMAGES, [out], {"factor": factor}))
for mode in ["horizontal", "vertical", "horizontal_and_vertical"]:
    layer = keras.layers.RandomFlip(mode=mode, seed=1)
    outs = [layer.transform_images(IMAGES, {"flips": np.full([N, 1, 1, 1], flip), "input_shape": IMAGES.shape})
            for flip in (False, True)]
    cases.append(case("randomFlip", {"mode": mode}, IMAGES, outs, {"mode": mode, "transformation": "flips"}))
# RandomCrop in training, input larger both ways: every window Keras can draw, one per batch.
layer = keras.layers.RandomCrop(3, 4, seed=1)
windows = [(t, l) for t in range(H - 3 + 1) for l in range(W - 4 + 1)]
outs = [layer.transform_images(IMAGES, w, training=True) for w in windows]
cases.append(case("randomCrop", {"height": 3, "width": 4}, IMAGES, outs,
                  {"height": 3, "width": 4, "transformation": "every (h_start, w_start)"}))
# The centre window Keras documents, at inference (and in training for an input not larger both ways).
for height, width in [(3, 4), (4, 4), (5, 6), (8, 5), (2, 6)]:
    out = keras.preprocessing.image.smart_resize(IMAGES, (height, width))
    cases.append(case("randomCrop", {"height": height, "width": width, "inference": True}, IMAGES, [out],
                      {"height": height, "width": width, "reference": "smart_resize"}))
jitter = dict(brightness_factor=[0.1, 0.1], contrast_factor=[-0.5, 0.5], saturation_factor=[0.3, 0.3])
out = trained(keras.layers.RandomColorJitter, IMAGES, value_range=[0, 1], seed=1, **jitter)
cases.append(case("randomColorJitter",
                  {"valueRange": [0, 1], "brightnessFactor": [0.1, 0.1], "contrastFactor": [-0.5, 0.5],
                   "saturationFactor": [0.3, 0.3]}, IMAGES, [out], {"value_range": [0, 1], **jitter}))
out = trained(keras.layers.RandomColorJitter, scaled, seed=1, brightness_factor=[-0.2, -0.2], contrast_factor=[-1, 1])
cases.append(case("randomColorJitter", {"brightnessFactor": [-0.2, -0.2], "contrastFactor": [-1, 1]}, scaled, [out],
                  {"brightness_factor": [-0.2, -0.2], "contrast_factor": [-1, 1]}))
# RandomErasing: Keras' transformation (box masks from fractional corners, the erase flags, the fill) given directly.
BOXES = [[0.4, 1.5, 3.2, 4.0], [1.0, 0.0, 5.0, 2.7]]  # [y0, x0, y1, x1] per image
for fill, vr, images, applied in [(0.5, [0, 1], IMAGES, [True, True]), ([10, 300, 40], [0, 255], scaled, [True, False]),
                                  (-2, [0, 1], IMAGES, [False, True])]:
    layer = keras.layers.RandomErasing(fill_value=fill, value_range=vr, seed=1)
    y0, x0, y1, x1 = (np.array([b[k] for b in BOXES], np.float32) for k in range(4))
    transformation = {"apply_erasing": np.array(applied), "fill_value": layer._get_fill_value(images, images.shape, 1),
                      "batch_masks": layer._generate_batch_mask(images.shape, (x0, x1, y0, y1))}
    out = layer.transform_images(images, transformation)
    cases.append(case("randomErasing", {"fillValue": fill, "valueRange": vr, "draw": {"applied": applied, "boxes": BOXES}},
                      images, [out], {"fill_value": fill, "value_range": vr, "transformation": "given boxes"}))
# RandomShear: one sign per image for both shears; each sign given as Keras' shear_factor.
for x_factor, y_factor, fill_mode, interpolation in [(0.3, 0.0, "reflect", "bilinear"), (0.2, 0.4, "constant", "nearest"),
                                                     (0.0, 0.5, "nearest", "bilinear")]:
    layer = keras.layers.RandomShear(x_factor=[x_factor, x_factor], y_factor=[y_factor, y_factor], fill_mode=fill_mode,
                                     interpolation=interpolation, seed=1)
    outs = [layer.transform_images(IMAGES, {"shear_factor": np.tile(np.float32([[s * x_factor, s * y_factor]]), [N, 1]),
                                            "input_shape": IMAGES.shape}) for s in (1, -1)]
    cases.append(case("randomShear", {"xFactor": [x_factor, x_factor], "yFactor": [y_factor, y_factor],
                                      "fillMode": fill_mode, "interpolation": interpolation}, IMAGES, outs,
                      {"x_factor": x_factor, "y_factor": y_factor, "fill_mode": fill_mode,
                       "interpolation": interpolation, "transformation": "shear_factor = ±(x, y)"}))

write_reference("test/augment/layers/keras-augment-layers.json",
                {"keras": keras.__version__, "cases": cases})
