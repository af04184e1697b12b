// Writes docs/img/augment-grid-rgb.png: eight Fashion-MNIST items (Debian's dataset-fashion-mnist, read from disk,
// nothing downloaded), tinted into RGB and resized to 32 x 32, then one row per RGB augmentation applied to them.
// Each row is numbered in the strip on its left; docs/augment.md's caption names the rows in the same order.
// Run: npm run docs:grid (npx tsx scripts/augment-grid-rgb.ts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Augmentation } from '../src/augment/augmentation.js';
import { colorJitter } from '../src/augment/colorJitter.js';
import { mixupOrCutmix } from '../src/augment/mixupOrCutmix.js';
import { randAugment } from '../src/augment/randAugment.js';
import { randomAutoContrast } from '../src/augment/randomAutoContrast.js';
import { randomBrightness } from '../src/augment/randomBrightness.js';
import { randomContrast } from '../src/augment/randomContrast.js';
import { randomCrop } from '../src/augment/randomCrop.js';
import { randomEqualize } from '../src/augment/randomEqualize.js';
import { randomFlip } from '../src/augment/randomFlip.js';
import { randomGaussianBlur } from '../src/augment/randomGaussianBlur.js';
import { randomGrayscale } from '../src/augment/randomGrayscale.js';
import { randomHue } from '../src/augment/randomHue.js';
import { randomInvert } from '../src/augment/randomInvert.js';
import { randomPosterize } from '../src/augment/randomPosterize.js';
import { randomResizedCrop } from '../src/augment/randomResizedCrop.js';
import { randomSaturation } from '../src/augment/randomSaturation.js';
import { randomSharpness } from '../src/augment/randomSharpness.js';
import { randomSolarize } from '../src/augment/randomSolarize.js';
import { trivialAugmentWide } from '../src/augment/trivialAugmentWide.js';
import { encodeRgbPng } from './png.js';

const SOURCE = '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz';
const ITEMS = 8;
const SIDE = 32;
const SCALE = 2;
const PAD = 2;
const STRIP = 14; // the row-number strip on the left

/** The rows, top to bottom (row 0 is the input); the caption in docs/augment.md lists them in this order. */
const ROWS: [string, Augmentation | null][] = [
  ['input', null],
  ['randomCrop (padding 4)', randomCrop({ padding: 4, seed: 1 })],
  ['randomResizedCrop (scale 0.2-0.6)', randomResizedCrop({ scale: [0.2, 0.6], seed: 2 })],
  ['randomFlip', randomFlip({ seed: 3 })],
  ['randomBrightness (0.4)', randomBrightness({ factor: 0.4, seed: 4 })],
  ['randomContrast (0.8)', randomContrast({ factor: 0.8, seed: 5 })],
  ['randomSaturation (0.9)', randomSaturation({ factor: 0.9, seed: 6 })],
  ['randomHue (1)', randomHue({ factor: 1, seed: 7 })],
  ['randomGrayscale (1)', randomGrayscale({ factor: 1, seed: 8 })],
  [
    'colorJitter (0.4, 0.4, 0.4, 0.1)',
    colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, seed: 9 }),
  ],
  ['randomSolarize', randomSolarize({ thresholdFactor: [0.3, 0.7], seed: 10 })],
  ['randomPosterize (2 bits)', randomPosterize({ factor: 2, seed: 11 })],
  ['randomEqualize (p 1)', randomEqualize({ p: 1, seed: 12 })],
  ['randomAutoContrast (p 1)', randomAutoContrast({ p: 1, seed: 13 })],
  ['randomInvert', randomInvert({ seed: 14 })],
  ['randomSharpness (factor 0-1, PIL 0-2)', randomSharpness({ factor: [0, 1], seed: 15 })],
  ['randomGaussianBlur (5 x 5, sigma 0.5-2)', randomGaussianBlur({ kernelSize: 5, sigma: [0.5, 2], seed: 16 })],
  ['randAugment (2, 9)', randAugment({ seed: 17 })],
  ['trivialAugmentWide', trivialAugmentWide({ seed: 18 })],
  [
    'mixupOrCutmix (DeiT, per element)',
    mixupOrCutmix({ mixupAlpha: 0.8, cutmixAlpha: 1, mode: 'elem', numClasses: 10, seed: 19 }),
  ],
];

/** A 3 x 5 pixel digit font, rows top to bottom, three bits each (most significant bit leftmost). */
const DIGITS = ['75557', '26227', '71747', '71717', '55711', '74717', '74757', '71111', '75757', '75717'];

await tf.setBackend('cpu');
if (!existsSync(SOURCE)) throw new Error(`${SOURCE} is missing: sudo apt-get install dataset-fashion-mnist`);
// IDX: a 16-byte header, then 28 x 28 bytes per item.
const bytes = gunzipSync(readFileSync(SOURCE)).subarray(16, 16 + ITEMS * 784);
const images = tf.tidy(() => {
  const gray = tf.div(tf.tensor4d(Float32Array.from(bytes), [ITEMS, 28, 28, 1]), 255);
  // Each item its own pair of colours: the garment in one, the background in the other.
  const hues = Array.from({ length: ITEMS }, (_, i) => i / ITEMS);
  const colour = (h: number, s: number, v: number) =>
    [0, 1, 2].map((k) => v * (1 - s * Math.max(0, Math.min(1, 2 - Math.abs(((h * 6 + 4 * k) % 6) - 3)))));
  const fg = tf.tensor4d(
    hues.flatMap((h) => colour(h, 0.8, 1)),
    [ITEMS, 1, 1, 3],
  );
  const bg = tf.tensor4d(
    hues.flatMap((h) => colour((h + 0.5) % 1, 0.6, 0.35)),
    [ITEMS, 1, 1, 3],
  );
  const rgb = tf.add(tf.mul(gray, fg), tf.mul(tf.sub(1, gray), bg));
  return tf.image.resizeBilinear(rgb as tf.Tensor4D, [SIDE, SIDE], false, true);
}) as tf.Tensor4D;
const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.range(0, ITEMS, 1, 'int32'), 10), 'float32')) as tf.Tensor2D;

const cell = SIDE * SCALE + PAD;
const W = STRIP + ITEMS * cell + PAD;
const H = ROWS.length * cell + PAD;
const canvas = new Uint8Array(W * H * 3).fill(96);
const put = (x: number, y: number, rgb: readonly number[]) => canvas.set(rgb, (y * W + x) * 3);
for (const [r, [, aug]] of ROWS.entries()) {
  const out = aug ? aug({ images, labels }) : { images };
  const px = out.images.dataSync();
  const top = PAD + r * cell;
  for (let i = 0; i < ITEMS; i++) {
    for (let y = 0; y < SIDE * SCALE; y++) {
      for (let x = 0; x < SIDE * SCALE; x++) {
        const at = ((i * SIDE + Math.floor(y / SCALE)) * SIDE + Math.floor(x / SCALE)) * 3;
        const rgb = [0, 1, 2].map((k) => Math.round(255 * Math.min(1, Math.max(0, px[at + k]!))));
        put(STRIP + i * cell + x, top + y, rgb);
      }
    }
  }
  // The row number, two digits of the font doubled, in the strip.
  [...String(r).padStart(2, '0')].forEach((d, k) => {
    DIGITS[Number(d)]!.split('').forEach((bits, gy) => {
      for (let gx = 0; gx < 3; gx++) {
        if (!((Number(bits) >> (2 - gx)) & 1)) continue;
        for (let s = 0; s < 4; s++) put(1 + k * 7 + gx * 2 + (s & 1), top + 26 + gy * 2 + (s >> 1), [255, 255, 255]);
      }
    });
  });
  if (aug) tf.dispose([out.images, ...(out.labels ? [out.labels] : [])]);
}
mkdirSync('docs/img', { recursive: true });
writeFileSync('docs/img/augment-grid-rgb.png', encodeRgbPng(canvas, W, H));
console.log(`docs/img/augment-grid-rgb.png (${W} x ${H}): rows\n${ROWS.map(([n], r) => `${r}. ${n}`).join('\n')}`);
tf.dispose([images, labels]);
