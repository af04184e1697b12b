"""Which weights Keras 3's SwapEMAWeights puts where during fit, with and without swap_on_epoch.

For each epoch it records whether validation (val_loss) used the EMA or the raw weights, which
weights a callback placed before SwapEMAWeights and one placed after it see at on_epoch_end, which
the next epoch trains from, and which the model holds after fit (also when training stops early).
"raw" and "ema" are the model's weights and the optimizer's averages at the end of the epoch's last
batch. Writes test/callbacks/keras-swap-ema-weights.json, the reference test/callbacks/swapEmaWeights.test.ts
holds swapEmaWeights to. Run: .venv-keras/bin/python scripts/keras/swap_ema_weights.py
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from reference import write_reference  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402


def label(weights, raw, ema):
    if all(np.allclose(w, r) for w, r in zip(weights, raw)):
        return "raw"
    if all(np.allclose(w, e) for w, e in zip(weights, ema)):
        return "ema"
    return "neither"


def run(swap_on_epoch, epochs, stop_at=None):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")).astype("float32")
    vx, vy = x[:8] + 0.1, y[:8]
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.05, use_ema=True, ema_momentum=0.5), loss="mse")
    twin = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    twin.compile(loss="mse")
    state = {"raw": None, "ema": None, "epochs": []}

    def snapshot():
        opt = model.optimizer
        return [v.numpy().copy() for v in model.trainable_weights], [
            v.numpy().copy() for v in opt._model_variables_moving_average
        ]

    def on_batch_end(batch, logs):
        state["raw"], state["ema"] = snapshot()

    def evaluate_with(weights):
        twin.set_weights(weights)
        return float(twin.evaluate(vx, vy, verbose=0))

    def before_end(epoch, logs):
        state["epochs"].append({"before": label(model.get_weights(), state["raw"], state["ema"])})

    def after_end(epoch, logs):
        row = state["epochs"][-1]
        row["after"] = label(model.get_weights(), state["raw"], state["ema"])
        val = logs["val_loss"]
        with_ema, with_raw = evaluate_with(state["ema"]), evaluate_with(state["raw"])
        row["valLoss"] = "ema" if np.isclose(val, with_ema, rtol=1e-5) else "raw" if np.isclose(val, with_raw) else "?"
        if stop_at is not None and epoch == stop_at:
            model.stop_training = True

    def on_epoch_begin(epoch, logs):
        if epoch > 0:
            state["epochs"][-1]["nextEpochTrainsFrom"] = label(model.get_weights(), state["raw"], state["ema"])

    recorder_before = keras.callbacks.LambdaCallback(on_train_batch_end=on_batch_end, on_epoch_end=before_end)
    recorder_after = keras.callbacks.LambdaCallback(on_epoch_end=after_end, on_epoch_begin=on_epoch_begin)
    model.fit(
        x, y, batch_size=4, epochs=epochs, shuffle=False, verbose=0, validation_data=(vx, vy),
        callbacks=[recorder_before, keras.callbacks.SwapEMAWeights(swap_on_epoch=swap_on_epoch), recorder_after],
    )
    return {
        "swapOnEpoch": swap_on_epoch,
        "epochs": epochs,
        "stopAt": stop_at,
        "perEpoch": state["epochs"],
        "afterFit": label(model.get_weights(), state["raw"], state["ema"]),
    }


def main():
    cases = [run(False, 3), run(True, 3), run(False, 3, stop_at=1), run(True, 3, stop_at=1)]
    out = {"keras": keras.__version__, "cases": cases}
    write_reference("test/callbacks/keras-swap-ema-weights.json", out)


if __name__ == "__main__":
    main()
