"""Times Keras 3's RGB augmentation layers on batches of 128 32×32×3 float images in [0, 1], inside a
`tf.function` (as `tf.data` runs them; the last batch read with `.numpy()`), and prints one JSON line of images per second per row.

Used by `npm run bench:augment` to set this library's RGB rows beside Keras on the same machine.
Rows: CIFAR pad-and-crop + flip (ZeroPadding2D(4) + RandomCrop(32, 32) + RandomFlip('horizontal')),
RandomColorJitter(0.4, 0.4, 0.4, 0.1), RandAugment(num_ops=2, factor=0.9) (magnitude 9 of 10).

    python augment_rgb.py [--seconds 3]
"""
import argparse, json, os, time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf
import keras
from keras import layers


def rows():
    return {
        "randomCrop(pad 4) + randomFlip": keras.Sequential(
            [layers.ZeroPadding2D(4), layers.RandomCrop(32, 32, seed=1), layers.RandomFlip("horizontal", seed=2)]
        ),
        "colorJitter(0.4, 0.4, 0.4, 0.1)": layers.RandomColorJitter(
            value_range=(0, 1), brightness_factor=0.4, contrast_factor=0.4, saturation_factor=0.4, hue_factor=0.1, seed=3
        ),
        "randAugment(2, 9)": layers.RandAugment(value_range=(0, 1), num_ops=2, factor=0.9, seed=4),
    }


def images_per_second(layer, images, seconds):
    # Eager TensorFlow on the CPU runs a call to the end before it returns; the one read after the loop
    # (as bench:augment reads its last batch) makes sure of it without timing a copy per batch.
    step = tf.function(lambda x: layer(x, training=True))
    for _ in range(3):
        step(images).numpy()
    runs, start = 0, time.perf_counter()
    while runs < 5 or time.perf_counter() - start < seconds:
        out = step(images)
        runs += 1
    out.numpy()
    return images.shape[0] * runs / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3)
    args = parser.parse_args()
    images = tf.constant(np.random.default_rng(7).random((128, 32, 32, 3), dtype=np.float32))
    out = {name: images_per_second(layer, images, args.seconds) for name, layer in rows().items()}
    print(json.dumps({"keras": keras.__version__, "tensorflow": tf.__version__, "imagesPerSecond": out}))


if __name__ == "__main__":
    main()
