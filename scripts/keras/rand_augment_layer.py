"""References for layers.randAugment (Keras 3 RandAugment).

Writes test/augment/layers/keras-rand-augment-layer.json, the reference test/augment/layers/randAugment.test.ts holds
the layer to. Run from the repository root:
  /work/main/.venv-keras/bin/python scripts/keras/rand_augment_layer.py \
    && npx prettier --write test/augment/layers/keras-rand-augment-layer.json

Each case lets Keras draw its whole transformation (RandAugment.get_random_transformation, every sub-layer's draw from
the layer's seed generator) and then fixes the op indices (`layer_idxes`) so that every sub-op is covered; Keras'
transform_images then gives the output. Beside it the case records, for each chosen op, Keras' drawn parameters in
the form the layer's draw holds them (the replay hook takes them):
- random_shear, random_translation, random_rotation: the 8-entry tf.image.transform row per image, Keras' own matrix
  (_get_shear_matrix, _get_translation_matrix, rotation_matrix);
- random_brightness: rgb_delta per image; random_color_degeneration: its factor; random_contrast: contrast_factor;
  random_sharpness: 2 · factor (the blend factor transform_images uses);
- random_posterization: bits = 8 − shift_factor; solarization: additions and thresholds, in Keras' [0, 255] units;
- auto_contrast, equalization: nothing to draw.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from reference import write_reference  # noqa: E402

N, H, W = 2, 6, 5
OPS = keras.layers.RandAugment._AUGMENT_LAYERS


def images_of(channels, value_range):
    # Distinct values per pixel and channel in [0, 1], exact in float32; the second image a narrower copy, so that
    # Equalization's histogram over the whole batch differs from a per-image one.
    x = np.arange(N * H * W * channels, dtype=np.float64).reshape(N, H, W, channels) * 37 % 101 / 100
    x[1] = 0.2 + 0.5 * x[1]
    low, high = value_range
    return (low + x * (high - low)).astype(np.float32)


def flat(t):
    return [float(v) for v in np.asarray(t, dtype=np.float32).reshape(-1)]


def params_of(layer, name, t):
    if name == "random_shear":
        return np.asarray(layer.random_shear._get_shear_matrix(t["shear_factor"])).tolist()
    if name == "random_translation":
        return np.asarray(layer.random_translation._get_translation_matrix(t["translations"])).tolist()
    if name == "random_rotation":
        return np.asarray(t["rotation_matrix"]).tolist()
    if name == "random_brightness":
        return flat(t["rgb_delta"])
    if name == "random_color_degeneration":
        return flat(t["factor"])
    if name == "random_contrast":
        return flat(t["contrast_factor"])
    if name == "random_sharpness":
        return [2 * v for v in flat(t["factor"])]
    if name == "random_posterization":
        return [int(8 - v) for v in np.asarray(t["shift_factor"]).reshape(-1)]
    if name == "solarization":
        return {"additions": flat(t["additions"]), "thresholds": flat(t["thresholds"])}
    return None


cases = []
# (op indices, channels, value range, factor, interpolation, seed): every op at least once, 1 and 3 channels, both
# value ranges, one to three ops, an op drawn twice (applied twice with one draw, as Keras does), factor pairs.
for ops, channels, value_range, factor, interpolation, seed in [
    ([0, 3], 3, [0, 255], 0.5, "bilinear", 1),
    ([1, 4], 3, [0, 1], 0.5, "bilinear", 2),
    ([2, 5], 1, [0, 255], 0.5, "bilinear", 3),
    ([6, 7], 3, [0, 255], 0.5, "bilinear", 4),
    ([8, 9], 1, [0, 1], 0.5, "bilinear", 5),
    ([10, 0], 3, [0, 1], 0.5, "nearest", 6),
    ([9, 10], 3, [0, 255], 0.3, "bilinear", 7),
    ([7, 8], 1, [0, 255], 1.0, "bilinear", 8),
    ([4, 4], 3, [0, 255], 0.8, "bilinear", 9),
    ([2], 3, [0, 1], [0.1, 0.4], "nearest", 10),
    ([5, 6, 3], 3, [0, 1], [0.2, 0.7], "bilinear", 11),
    ([10], 1, [0, 1], 0.5, "bilinear", 12),
    ([1, 8], 1, [0, 255], 0.6, "bilinear", 13),
    ([9], 3, [0, 1], 0.5, "bilinear", 14),
    ([3, 5], 1, [0, 1], [0.5, 0.9], "bilinear", 15),
    ([0, 1, 2], 1, [0, 255], 0.25, "nearest", 16),
    ([7], 3, [0, 1], 0.05, "bilinear", 17),
]:
    images = images_of(channels, value_range)
    keras_args = {"value_range": value_range, "num_ops": len(ops), "factor": factor, "interpolation": interpolation}
    layer = keras.layers.RandAugment(**keras_args, seed=seed)
    layer.build(images.shape)
    t = layer.get_random_transformation(images, training=True)
    t["layer_idxes"] = np.array(ops, dtype="int32")
    out = layer.transform_images(images, t, training=True)
    params = {str(k): params_of(layer, OPS[k], t["transforms"][OPS[k]]) for k in sorted(set(ops))}
    cases.append({"options": {"valueRange": value_range, "numOps": len(ops), "factor": factor,
                              "interpolation": interpolation},
                  "keras": {**keras_args, "ops": [OPS[k] for k in ops]}, "ops": ops, "params": params,
                  "shape": list(images.shape), "images": flat(images), "output": flat(out)})

write_reference("test/augment/layers/keras-rand-augment-layer.json",
                {"keras": keras.__version__, "ops": OPS, "cases": cases})
