"""Where Keras 3's TerminateOnNaN stops training, for data with one NaN target at a known place.

Writes test/callbacks/keras-terminate-on-nan.json, the reference test/callbacks/terminateOnNaN.test.ts
holds terminateOnNaN to (fit and fitDataset). Run: .venv-keras/bin/python scripts/keras/terminate_on_nan.py
"""

import contextlib
import io
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from reference import write_reference  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402

# (samples, index of the NaN target, batch size, epochs)
CASES = [(4, 2, 1, 3), (6, 3, 2, 2), (5, 4, 2, 4), (3, 0, 3, 2)]


def run(samples, nan_index, batch_size, epochs):
    keras.utils.set_random_seed(0)
    x = np.arange(1, samples + 1, dtype="float32").reshape(-1, 1)
    y = x.copy()
    y[nan_index, 0] = np.nan
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
    seen = []
    counter = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(batch))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        history = model.fit(
            x, y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0,
            callbacks=[keras.callbacks.TerminateOnNaN(), counter],
        )
    return {
        "samples": samples,
        "nanIndex": nan_index,
        "batchSize": batch_size,
        "epochs": epochs,
        "printed": out.getvalue().strip(),
        "batchesRun": len(seen),
        "lastBatch": seen[-1],
        "epochsRun": len(history.epoch),
    }


def main():
    out = {"keras": keras.__version__, "cases": [run(*c) for c in CASES]}
    write_reference("test/callbacks/keras-terminate-on-nan.json", out)


if __name__ == "__main__":
    main()
