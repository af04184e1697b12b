"""Trains fashionCnn / fashionCnnModern's convnet in Keras 3 (TensorFlow backend) and prints one JSON line.

Used by `npm run bench:ablation -- --keras` to score and time Keras beside this library on the same
machine. Needs TensorFlow + Keras 3 (`python3 -m venv .venv-keras && .venv-keras/bin/pip install tensorflow-cpu`).

    python fashion_cnn.py --recipe plain|modern --epochs 5 --seed 1 --data DIR [--holdout]

The model is the presets' (src/presets/_internal/convnet.ts): three stages of two 3x3 convolutions
(32, 64, 128 filters, no bias), each with BatchNormalization and ReLU, 2x2 max-pooling between stages,
global average pooling, a 10-way softmax. `plain`: Adam 1e-3 (AdamW without decay), nothing else.
`modern`: RandomFlip('horizontal'), RandomErasing(factor (0.5, 0.5), scale (0.02, 0.4)) in the model, after
ZeroPadding2D(n) + RandomCrop(28, 28) with --crop-padding n (the recipe before 2026-12-04 had n = 2); label smoothing 0.1; AdamW(weight_decay 0.05, not on
gamma, beta or biases, use_ema, ema_momentum 0.995 or --ema-momentum) under CosineDecay from 2e-4 with one epoch of
warmup to 2e-3 and decay to 0 per step; SwapEMAWeights for validation. Keras' RandomErasing fills with
normal noise where this library's cutout(value: 'random') fills with uniform noise.
With --holdout it trains on the first 50,000 training images and validates on the last 10,000.
"""
import argparse, json, os, sys, time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import keras
from keras import layers

from keras_common import EpochTimer, read_idx


def find(directory, name):
    for candidate in (name, name + ".gz"):
        if os.path.exists(os.path.join(directory, candidate)):
            return os.path.join(directory, candidate)
    raise FileNotFoundError(os.path.join(directory, name))


def build(recipe, epochs, steps, seed, ema_momentum=0.995, crop_padding=0):
    modern = recipe == "modern"
    model = keras.Sequential([keras.Input(shape=(28, 28, 1))])
    if modern and crop_padding > 0:
        model.add(layers.ZeroPadding2D(crop_padding))
        model.add(layers.RandomCrop(28, 28, seed=seed))
    if modern:
        model.add(layers.RandomFlip("horizontal", seed=seed + 1))
        model.add(layers.RandomErasing(factor=(0.5, 0.5), scale=(0.02, 0.4), value_range=(0, 1), seed=seed + 2))
    for stage, filters in enumerate([32, 64, 128]):
        if stage > 0:
            model.add(layers.MaxPooling2D(2))
        for _ in range(2):
            model.add(layers.Conv2D(filters, 3, padding="same", use_bias=False, kernel_initializer="he_normal"))
            model.add(layers.BatchNormalization())
            model.add(layers.ReLU())
    model.add(layers.GlobalAveragePooling2D())
    model.add(layers.Dense(10, activation="softmax"))
    if modern:
        schedule = keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=2e-4, decay_steps=max(1, (epochs - 1) * steps), warmup_target=2e-3, warmup_steps=steps)
        optimizer = keras.optimizers.AdamW(learning_rate=schedule, weight_decay=0.05, use_ema=True, ema_momentum=ema_momentum)
        optimizer.exclude_from_weight_decay(var_names=["gamma", "beta", "bias"])
    else:
        optimizer = keras.optimizers.AdamW(learning_rate=1e-3, weight_decay=0.0)
    model.compile(optimizer=optimizer,
                  loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1 if modern else 0.0),
                  metrics=["accuracy"])
    return model


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--recipe", choices=["plain", "modern"], default="modern")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--data", required=True, help="directory with Fashion-MNIST's four idx files (raw or .gz)")
    p.add_argument("--holdout", action="store_true")
    p.add_argument("--ema-momentum", type=float, default=0.995, help="modern: the EMA's momentum")
    p.add_argument("--crop-padding", type=int, default=0, help="modern: ZeroPadding2D(n) + RandomCrop(28, 28) first; 0: none")
    a = p.parse_args()
    keras.utils.set_random_seed(a.seed)
    load = lambda name: read_idx(find(a.data, name))
    x = load("train-images-idx3-ubyte").reshape(-1, 28, 28, 1).astype("float32") / 255
    y = keras.utils.to_categorical(load("train-labels-idx1-ubyte"), 10)
    xt = load("t10k-images-idx3-ubyte").reshape(-1, 28, 28, 1).astype("float32") / 255
    yt = keras.utils.to_categorical(load("t10k-labels-idx1-ubyte"), 10)
    validation = None
    if a.holdout:
        x, y, validation = x[:50000], y[:50000], (x[50000:], y[50000:])
    steps = -(-len(x) // a.batch_size)
    model = build(a.recipe, a.epochs, steps, a.seed, a.ema_momentum, a.crop_padding)
    timer = EpochTimer()
    callbacks = [timer]
    if a.recipe == "modern":
        callbacks.insert(0, keras.callbacks.SwapEMAWeights())
    start = time.perf_counter()
    model.fit(x, y, batch_size=a.batch_size, epochs=a.epochs, verbose=0, validation_data=validation,
              callbacks=callbacks)
    seconds = time.perf_counter() - start
    test_loss, test_acc = model.evaluate(xt, yt, verbose=0, batch_size=1000)
    print(json.dumps({"recipe": a.recipe, "seed": a.seed, "epochs": a.epochs, "holdout": a.holdout,
                      "keras": keras.__version__, "history": timer.rows, "testAccuracy": float(test_acc),
                      "testLoss": float(test_loss), "seconds": seconds}))


if __name__ == "__main__":
    main()
