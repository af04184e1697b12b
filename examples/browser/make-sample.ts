// Writes examples/browser/mnist-sample.bin: the first 1,000 MNIST training images and the first 200
// test images with their labels, as raw bytes (a 16-byte header, then images, then labels), so the
// page needs no download. Run: npx tsx examples/browser/make-sample.ts
import { writeFileSync } from 'node:fs';
import { loadMnist } from '../../src/data/loadMnist.js';

const TRAIN = 1000;
const TEST = 200;
const { train, test } = await loadMnist();
const header = new Uint32Array([0x4d4e5354 /* 'MNST' */, TRAIN, TEST, 784]);
const out = new Uint8Array(16 + (TRAIN + TEST) * 785);
out.set(new Uint8Array(header.buffer), 0);
let at = 16;
for (const part of [
  train.images.subarray(0, TRAIN * 784),
  test.images.subarray(0, TEST * 784),
  train.labels.subarray(0, TRAIN),
  test.labels.subarray(0, TEST),
]) {
  out.set(part, at);
  at += part.length;
}
writeFileSync(new URL('./mnist-sample.bin', import.meta.url), out);
console.log(`mnist-sample.bin: ${TRAIN} train + ${TEST} test images, ${out.length} bytes`);
