"""What the Keras scripts of bench/ share: reading idx files (raw or gzipped) and a per-epoch timer."""
import gzip, json, sys, time

import numpy as np
import keras


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class EpochTimer(keras.callbacks.Callback):
    """Records each epoch's seconds and logs, and prints them to stderr as the epoch ends."""

    def __init__(self):
        super().__init__()
        self.rows = []

    def on_epoch_begin(self, epoch, logs=None):
        self.t = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        row = {"epoch": epoch + 1, "seconds": time.perf_counter() - self.t}
        row.update({k: float(v) for k, v in (logs or {}).items()})
        self.rows.append(row)
        print(json.dumps({"progress": row}), file=sys.stderr, flush=True)
