"""Runs one cell of the P4 notebook in Keras (TensorFlow backend) and prints one JSON line.

Used by `npm run bench:keras` to time Keras beside this library on the same machine, and to
measure the spread of Keras' own test accuracy across seeds. Needs TensorFlow + Keras 3
(`python3 -m venv .venv-keras && .venv-keras/bin/pip install tensorflow-cpu`).

    python notebook_cell.py --cell base|l2|dropout|batchnorm|augment --epochs 25 --seed 42 --mnist DIR [--split FILE]

The augment cell is the notebook's: the BatchNorm model on 28×28×1 input (a Reshape to 784 first),
trained from ImageDataGenerator(rotation 30, shifts 0.1, zoom 0.2, fill 'nearest').flow (needs scipy).
"""
import argparse, json, os, sys, time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import keras
from keras import layers

from keras_common import EpochTimer, read_idx


def build(cell):
    reg = keras.regularizers.l2(0.01) if cell == "l2" else None
    if cell == "augment":
        model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Reshape((784,))])
    else:
        model = keras.Sequential([keras.Input(shape=(784,))])
    for _ in range(2):
        model.add(layers.Dense(1024, activation="relu", kernel_regularizer=reg))
        if cell == "dropout":
            model.add(layers.Dropout(0.5))
        if cell in ("batchnorm", "augment"):
            model.add(layers.BatchNormalization())
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(loss="categorical_crossentropy",
                  optimizer=keras.optimizers.SGD(learning_rate=0.025, momentum=0.9),
                  metrics=["accuracy"])
    return model


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cell", choices=["base", "l2", "dropout", "batchnorm", "augment"], default="base")
    p.add_argument("--epochs", type=int, default=25)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--mnist", required=True, help="directory with the four raw idx files")
    p.add_argument("--split", help="JSON {train, validation} of image indices (default: a numpy permutation, seed 42)")
    a = p.parse_args()
    keras.utils.set_random_seed(a.seed)
    x = read_idx(os.path.join(a.mnist, "train-images-idx3-ubyte")).reshape(60000, 784).astype("float32") / 255
    y = keras.utils.to_categorical(read_idx(os.path.join(a.mnist, "train-labels-idx1-ubyte")), 10)
    xt = read_idx(os.path.join(a.mnist, "t10k-images-idx3-ubyte")).reshape(10000, 784).astype("float32") / 255
    yt = keras.utils.to_categorical(read_idx(os.path.join(a.mnist, "t10k-labels-idx1-ubyte")), 10)
    # The notebook's 80/20 split (scikit-learn, random_state 42); a seeded permutation of the same sizes.
    order = np.random.RandomState(42).permutation(60000)
    tr, va = order[:48000], order[48000:]
    if a.split:
        # The preset's own split (bench:keras writes it), so that both sides validate on the same images.
        with open(a.split) as f:
            given = json.load(f)
        tr, va = np.array(given["train"]), np.array(given["validation"])
    model = build(a.cell)
    timer = EpochTimer()
    best = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"keras-best-{os.getpid()}.keras")
    callbacks = [
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=2, min_lr=1e-5),
        keras.callbacks.ModelCheckpoint(best, monitor="val_accuracy", save_best_only=True),
        timer,
    ]
    start = time.perf_counter()
    if a.cell == "augment":
        try:  # the notebook's import (Keras 2); Keras 3 keeps the class as legacy
            from keras.preprocessing.image import ImageDataGenerator
        except ImportError:
            from keras.src.legacy.preprocessing.image import ImageDataGenerator
        image = lambda v: v.reshape(-1, 28, 28, 1)
        x, xt = image(x), image(xt)
        datagen = ImageDataGenerator(rotation_range=30, width_shift_range=0.1, height_shift_range=0.1,
                                     zoom_range=0.2, horizontal_flip=False, vertical_flip=False, fill_mode="nearest")
        datagen.fit(x[tr])
        model.fit(datagen.flow(x[tr], y[tr], batch_size=128, seed=a.seed), epochs=a.epochs, verbose=0,
                  validation_data=(x[va], y[va]), callbacks=callbacks)
    else:
        model.fit(x[tr], y[tr], batch_size=128, epochs=a.epochs, verbose=0,
                  validation_data=(x[va], y[va]), callbacks=callbacks)
    seconds = time.perf_counter() - start
    test_loss, test_acc = keras.models.load_model(best).evaluate(xt, yt, verbose=0)
    os.remove(best)
    print(json.dumps({"cell": a.cell, "seed": a.seed, "keras": keras.__version__, "history": timer.rows,
                      "testAccuracy": float(test_acc), "testLoss": float(test_loss), "seconds": seconds}))


if __name__ == "__main__":
    main()
