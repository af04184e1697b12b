// Writes docs/img/augment-grid.png: real MNIST digits (first column) and five draws of the
// notebook's augmentation (randomAffine: rotation 30, shift 0.1, zoom 0.2, fill nearest),
// then columns with cutout, gaussian noise and elastic distortion for comparison. Run: npx tsx scripts/augment-grid.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { cutout } from '../src/augment/cutout.js';
import { elastic } from '../src/augment/elastic.js';
import { gaussianNoise } from '../src/augment/gaussianNoise.js';
import { randomAffine } from '../src/augment/randomAffine.js';
import { loadMnist } from '../src/data/loadMnist.js';
import { normalize } from '../src/data/normalize.js';
import type { Augmentation } from '../src/augment/augmentation.js';
import { encodeGrayPng } from './png.js';

await tf.setBackend('cpu');
const { train } = await loadMnist();
const DIGITS = 8;
const COLS = 9;
const SCALE = 3;
const PAD = 2;
const images = normalize(train.images.subarray(0, DIGITS * 784), [DIGITS, 28, 28, 1]);
const notebook = randomAffine({
  rotationRange: 30,
  widthShiftRange: 0.1,
  heightShiftRange: 0.1,
  zoomRange: 0.2,
  fillMode: 'nearest',
  seed: 2026,
});
const columns: Array<Augmentation | null> = [
  null,
  notebook,
  notebook,
  notebook,
  notebook,
  notebook,
  cutout({ size: 10, value: 0.5, seed: 1 }),
  gaussianNoise({ stddev: 0.2, clip: [0, 1], seed: 2 }),
  elastic({ seed: 3 }),
];

const cell = 28 * SCALE + PAD;
const W = COLS * cell + PAD;
const H = DIGITS * cell + PAD;
const canvas = new Uint8Array(W * H).fill(128);
for (const [c, aug] of columns.entries()) {
  const out = aug ? aug({ images }).images : images;
  const px = out.dataSync();
  for (let d = 0; d < DIGITS; d++) {
    for (let y = 0; y < 28 * SCALE; y++) {
      for (let x = 0; x < 28 * SCALE; x++) {
        const v = px[d * 784 + Math.floor(y / SCALE) * 28 + Math.floor(x / SCALE)]!;
        canvas[(PAD + d * cell + y) * W + PAD + c * cell + x] = Math.round(255 * Math.min(1, Math.max(0, v)));
      }
    }
  }
  if (aug) out.dispose();
}
mkdirSync('docs/img', { recursive: true });
writeFileSync('docs/img/augment-grid.png', encodeGrayPng(canvas, W, H));
console.log(
  `docs/img/augment-grid.png: ${DIGITS} MNIST digits; columns: original, 5 draws of the notebook's randomAffine, cutout(10 px, gray), gaussianNoise(0.2), elastic (Simard's alpha 34, sigma 4)`,
);
