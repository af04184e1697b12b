"""Keras 3's behaviour for the layers of src/layers/ where Keras defines it.

Writes test/layers/keras-layers.json, the reference test/layers/*.test.ts hold the library to:
GroupNormalization's outputs (ranks 3 and 4, groups -1, axis, center/scale off) and its weight order and
names; SpatialDropout2D's mask structure (one draw per sample and channel) and config; ActivityRegularization's
added loss, directly and in the loss fit reports.
Run: /work/main/.venv-keras/bin/python scripts/keras/layers.py
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402

rng = np.random.default_rng(20240611)


def array(shape, offset=0.0, scale=1.0):
    # Rounded so that the JSON holds the exact float32 input both sides use.
    return np.round(offset + scale * rng.standard_normal(shape), 4).astype("float32")


def group_norm_case(name, shape, groups, axis=-1, epsilon=1e-3, center=True, scale=True):
    x = array(shape, offset=2.0, scale=3.0)
    layer = keras.layers.GroupNormalization(groups=groups, axis=axis, epsilon=epsilon, center=center, scale=scale)
    layer.build(x.shape)
    channels = shape[axis]
    weights = []
    if scale:
        weights.append(np.round(rng.uniform(0.5, 1.5, channels), 4).astype("float32"))
    if center:
        weights.append(np.round(rng.uniform(-1, 1, channels), 4).astype("float32"))
    layer.set_weights(weights)
    y = keras.ops.convert_to_numpy(layer(x))
    return {
        "name": name,
        "options": {"groups": groups, "axis": axis, "epsilon": epsilon, "center": center, "scale": scale},
        "shape": list(shape),
        "input": x.flatten().tolist(),
        "weights": [w.tolist() for w in weights],
        "weightNames": [w.name for w in layer.weights],
        "weightPaths": [w.path for w in layer.weights],
        "output": y.flatten().astype("float64").tolist(),
    }


def group_norm():
    cases = [
        group_norm_case("rank 4, 8 channels in 4 groups", (2, 3, 4, 8), 4),
        group_norm_case("rank 3, 6 channels in 3 groups", (2, 5, 6), 3),
        group_norm_case("rank 4, groups -1 (instance norm)", (2, 3, 3, 4), -1),
        group_norm_case("rank 4, one group (layer norm)", (3, 2, 2, 6), 1, epsilon=1e-5),
        group_norm_case("rank 3, no center", (2, 4, 4), 2, center=False),
        group_norm_case("rank 3, no scale", (2, 4, 4), 2, scale=False),
        group_norm_case("rank 4, channels on axis 1", (2, 6, 3, 2), 3, axis=1),
    ]
    try:
        keras.layers.GroupNormalization(groups=4).build((2, 3, 6))
        indivisible = None
    except ValueError as e:
        indivisible = str(e)
    try:
        keras.layers.GroupNormalization(groups=8).build((2, 3, 6))
        too_many = None
    except ValueError as e:
        too_many = str(e)
    config = keras.layers.GroupNormalization().get_config()
    return {
        "cases": cases,
        "indivisibleError": indivisible,
        "tooManyGroupsError": too_many,
        "defaults": {k: config[k] for k in ("groups", "axis", "epsilon", "center", "scale")},
    }


def spatial_dropout():
    out = {}
    for data_format, shape in (("channels_last", (6, 5, 4, 7)), ("channels_first", (6, 7, 5, 4))):
        layer = keras.layers.SpatialDropout2D(0.4, data_format=data_format, seed=3)
        y = keras.ops.convert_to_numpy(layer(np.ones(shape, "float32"), training=True))
        spatial = (1, 2) if data_format == "channels_last" else (2, 3)
        # One draw per (sample, channel): each feature map is all kept or all dropped.
        per_map_min = y.min(axis=spatial)
        per_map_max = y.max(axis=spatial)
        out[data_format] = {
            "shape": list(shape),
            "rate": 0.4,
            "mapsConstant": bool(np.all(per_map_min == per_map_max)),
            "values": sorted(set(np.round(y.flatten().astype("float64"), 6).tolist())),
            "inference": bool(np.all(keras.ops.convert_to_numpy(layer(np.ones(shape, "float32"))) == 1)),
        }
    config = keras.layers.SpatialDropout2D(0.25, seed=5).get_config()
    out["config"] = {"keys": sorted(config.keys()), "data_format": config["data_format"]}
    return out


def dropout():
    # Dropout with a noise shape that shares the mask along axis 1, called twice with one seeded layer.
    shape, rate, noise_shape = (6, 4, 5), 0.4, (None, 1, 5)
    layer = keras.layers.Dropout(rate, noise_shape=noise_shape, seed=3)
    first, second = (keras.ops.convert_to_numpy(layer(np.ones(shape, "float32"), training=True)) for _ in range(2))
    return {
        "shape": list(shape),
        "rate": rate,
        "noiseShape": list(noise_shape),
        "sharedAlongAxis1": bool(np.all(first.min(axis=1) == first.max(axis=1))),
        "values": sorted(set(np.round(first.flatten().astype("float64"), 6).tolist())),
        "freshPerCall": bool(np.any(first != second)),
        "inference": bool(np.all(keras.ops.convert_to_numpy(layer(np.ones(shape, "float32"))) == 1)),
    }


def activity_regularization():
    x = array((4, 3))
    y = array((4, 2))
    kernel = array((3, 2))
    bias = array((2,))
    l1, l2 = 0.01, 0.02
    reg = keras.layers.ActivityRegularization(l1=l1, l2=l2)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), reg])
    model.layers[0].set_weights([kernel, bias])
    activations = x @ kernel + bias
    model(x)
    direct = float(sum(keras.ops.convert_to_numpy(v) for v in model.losses))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0)
    evaluated = float(model.evaluate(x, y, verbose=0))
    return {
        "l1": l1,
        "l2": l2,
        "x": x.flatten().tolist(),
        "y": y.flatten().tolist(),
        "kernel": kernel.flatten().tolist(),
        "bias": bias.tolist(),
        "activations": activations.flatten().astype("float64").tolist(),
        "addedLoss": direct,
        "fitLoss": [float(v) for v in history.history["loss"]],
        "evaluateLoss": evaluated,
        "config": {k: v for k, v in reg.get_config().items() if k in ("l1", "l2")},
    }


def main():
    out = {
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "groupNormalization": group_norm(),
        "spatialDropout2d": spatial_dropout(),
        "dropout": dropout(),
        "activityRegularization": activity_regularization(),
    }
    path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "layers", "keras-layers.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.normpath(path)}", file=sys.stderr)


if __name__ == "__main__":
    main()
