"""Which direction Keras 3 takes for a monitored quantity in mode='auto', per callback.

Writes test/callbacks/keras-monitor-direction.json, the reference test/callbacks/monitorDirection.test.ts
holds the library to. Run: .venv-keras/bin/python scripts/keras/monitor_direction.py
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from reference import write_reference  # noqa: E402
import keras  # noqa: E402
from keras import ops  # noqa: E402

METRICS = [
    "accuracy",
    keras.metrics.AUC(name="auc"),
    keras.metrics.Precision(name="precision"),
    keras.metrics.Recall(name="recall"),
    keras.metrics.MeanSquaredError(name="mse"),
    keras.metrics.MeanAbsoluteError(name="mae"),
    keras.metrics.CategoricalAccuracy(name="categorical_accuracy"),
    keras.metrics.TopKCategoricalAccuracy(name="top_k_categorical_accuracy"),
    keras.metrics.CategoricalCrossentropy(name="categorical_crossentropy"),
]
MONITORS = [
    prefix + name
    for name in [
        "loss",
        "accuracy",
        "auc",
        "precision",
        "recall",
        "mse",
        "mae",
        "categorical_accuracy",
        "top_k_categorical_accuracy",
        "categorical_crossentropy",
    ]
    for prefix in ("", "val_")
]
CALLBACKS = {
    "earlyStopping": lambda m: keras.callbacks.EarlyStopping(monitor=m),
    "reduceLROnPlateau": lambda m: keras.callbacks.ReduceLROnPlateau(monitor=m),
    "modelCheckpoint": lambda m: keras.callbacks.ModelCheckpoint("/tmp/unused.keras", monitor=m),
}


def main():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=METRICS)
    # Metrics are built by a first evaluation, as fit does before any callback reads them.
    model.evaluate(ops.ones((2, 4)), ops.one_hot(ops.array([0, 1]), 3), verbose=0)
    out = {"keras": keras.__version__, "directions": {}}
    for name, make in CALLBACKS.items():
        row = {}
        for monitor in MONITORS:
            cb = make(monitor)
            cb.set_model(model)
            cb._set_monitor_op()
            row[monitor] = "max" if cb.monitor_op is ops.greater else "min"
        out["directions"][name] = row
    write_reference("test/callbacks/keras-monitor-direction.json", out)


if __name__ == "__main__":
    main()
