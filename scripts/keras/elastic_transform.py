"""References for layers.randomElasticTransform (Keras 3 RandomElasticTransform).

Writes test/augment/layers/keras-elastic-transform.json. Run from the repository root:
  .venv-keras/bin/python scripts/keras/elastic_transform.py

Keras' field is tf.random.stateless_normal, which tfjs cannot draw, so each case records Keras' own normal noise
(drawn with the transformation's seed, as elastic_transform draws it) beside the layer's transform_images output
with that transformation fixed; the test feeds the same noise to the layer's displacement and resampling. `stats`
holds the standard deviation of Keras' smoothed field (before alpha) over many seeds, which the layer's own field
(tfjs' seeded normal noise, smoothed the same way) is held to.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras.src.backend.tensorflow.image import gaussian_blur  # noqa: E402
from reference import write_reference  # noqa: E402

N, H, W, C = 2, 12, 10, 2
IMAGES = (np.arange(N * H * W * C, dtype=np.float64).reshape(N, H, W, C) * 37 % 101 / 100 * 255).astype(np.float32)


def flat(t):
    return [float(v) for v in np.asarray(t, dtype=np.float32).reshape(-1)]


cases = []
for distortion, fill_mode, interpolation, seed in [(1.0, "reflect", "bilinear", 3), (0.7, "constant", "bilinear", 4),
                                                   (2.0 / 3, "nearest", "nearest", 5), (1.0, "wrap", "bilinear", 6),
                                                   # Beyond the scale's range, as transform_images takes it, for
                                                   # displacements of several pixels past the edges.
                                                   (5.0, "reflect", "bilinear", 7), (5.0, "wrap", "nearest", 8),
                                                   (5.0, "constant", "bilinear", 9)]:
    layer = keras.layers.RandomElasticTransform(factor=1.0, scale=1.0, fill_mode=fill_mode, fill_value=17.0,
                                                interpolation=interpolation, value_range=(0, 200), seed=1)
    s = tf.constant([seed, 0], dtype="int32")
    noise = tf.random.stateless_normal(shape=(N, H, W), mean=0.0, stddev=1.0, dtype="float32", seed=s)
    out = layer.transform_images(IMAGES, {"apply_transform": np.array([True, False]),
                                          "distortion_factor": np.float32(distortion), "seed": seed})
    cases.append({"options": {"fillMode": fill_mode, "fillValue": 17, "interpolation": interpolation,
                              "valueRange": [0, 200]},
                  "applied": [True, False], "distortion": distortion, "shape": [N, H, W, C],
                  "images": flat(IMAGES), "noise": flat(noise), "output": flat(out)})

# The smoothed field's spread for a 64 x 64 image (sigma = 64 · 0.05 · distortion), over 20 seeds.
stats = []
for distortion in [1.0, 0.5]:
    sigma = 64 * 0.05 * distortion
    k = int(sigma) * 6 | 1
    fields = []
    for seed in range(20):
        noise = tf.random.stateless_normal(shape=(1, 64, 64), seed=[seed, 0]) * sigma
        fields.append(np.asarray(gaussian_blur(noise[..., None], kernel_size=(k, k), sigma=(sigma, sigma),
                                               data_format="channels_last")))
    f = np.stack(fields)[:, :, 16:48, 16:48]
    stats.append({"distortion": distortion, "size": 64, "interiorStd": float(f.std())})

write_reference("test/augment/layers/keras-elastic-transform.json", {"cases": cases, "stats": stats})
