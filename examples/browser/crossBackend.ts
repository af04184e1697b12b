import * as tf from '@tensorflow/tfjs-core';
import {
  affineTransform,
  augMix,
  cutmix,
  cutout,
  elastic,
  gaussianNoise,
  kerasTransformMatrix,
  mixup,
  pipeline,
  randomAffine,
  randomCrop,
  randomFlip,
  randomResizedCrop,
  colorJitter,
  mixupOrCutmix,
  randAugment,
  randomApply,
  randomAutoContrast,
  randomBrightness,
  randomChoice,
  randomContrast,
  randomEqualize,
  randomGaussianBlur,
  randomGrayscale,
  randomHue,
  randomInvert,
  randomOrder,
  randomPosterize,
  randomSaturation,
  randomSharpness,
  randomSolarize,
  trivialAugmentWide,
} from 'tfjs-regularization/augment';
import type { Augmentation } from 'tfjs-regularization/augment';
import type { Sample } from './main.js';

const FILL_MODES = ['constant', 'reflect', 'wrap', 'nearest'] as const;
const INTERPOLATIONS = ['nearest', 'bilinear'] as const;

/**
 * Runs affineTransform (every fill mode × interpolation), every augmentation and a pipeline with
 * FIXED parameters (sampled once, as plain JSON) on the webgl backend and on the cpu backend, and
 * returns both results per case, so a test can compare them. Ends on webgl.
 */
export async function crossBackend(
  sample: Sample,
): Promise<Record<string, { webgl: number[]; cpu: number[]; ignore?: number[] }>> {
  const n = 6;
  const pixels = Float32Array.from(sample.trainImages.subarray(0, n * 784), (v) => v / 255);
  const labels = Array.from(sample.trainLabels.subarray(0, n));
  const rows = [
    kerasTransformMatrix({ theta: 25, tx: 2, ty: -1.5, zx: 0.9, zy: 1.15 }, 28, 28),
    kerasTransformMatrix({ theta: -40, shear: 12, zx: 1.2, zy: 0.8 }, 28, 28),
    [1, 0, 3.3, 0, 1, -2.25, 0, 0],
    [0.9, 0.1, 1, -0.1, 1.1, 0.5, 0.002, -0.001],
    [-1, 0, 27, 0, 1, 0, 0, 0],
    [1.3, 0.4, -5, -0.3, 0.7, 6, 0, 0],
  ];
  const augmentations: Record<string, Augmentation> = {
    randomAffine: randomAffine({
      rotationRange: 30,
      widthShiftRange: 0.1,
      heightShiftRange: 0.1,
      zoomRange: 0.2,
      shearRange: 10,
      horizontalFlip: true,
      fillMode: 'nearest',
      seed: 11,
    }),
    cutout: cutout({ size: 9, count: 2, value: 0.5, seed: 12 }),
    gaussianNoise: gaussianNoise({ stddev: 0.2, seed: 13 }),
    elastic: elastic({ alpha: 34, sigma: 4, seed: 14 }),
    mixup: mixup({ alpha: 0.4, numClasses: 10, seed: 15 }),
    cutmix: cutmix({ alpha: 1, numClasses: 10, seed: 16 }),
    randomCrop: randomCrop({ padding: 4, fillValue: 0.25, seed: 18 }),
    randomResizedCrop: randomResizedCrop({ height: 24, width: 20, seed: 19 }),
    randomFlip: randomFlip({ seed: 20 }),
    'randomCrop + randomFlip': pipeline([randomCrop({ padding: 4 }), randomFlip({ mode: 'horizontal' })], { seed: 21 }),
    pipeline: pipeline(
      [
        randomAffine({ rotationRange: 20, zoomRange: 0.1 }),
        randomAffine({ widthShiftRange: 0.1 }),
        elastic({ p: 0.5 }),
        cutout({ size: 6 }),
      ],
      { seed: 17 },
    ),
  };
  const info = { batchSize: n, height: 28, width: 28, channels: 1 };
  const params = Object.fromEntries(
    Object.entries(augmentations).map(([k, aug]) => [k, JSON.parse(JSON.stringify(aug.sample(info)))]),
  );
  // The colour augmentations, the policies and the combinators, on RGB images made from the digits.
  const rgbAugmentations: Record<string, Augmentation> = {
    randomBrightness: randomBrightness({ factor: 0.3, seed: 31 }),
    randomContrast: randomContrast({ factor: 0.4, seed: 32 }),
    randomSaturation: randomSaturation({ factor: 0.8, seed: 33 }),
    randomHue: randomHue({ factor: 0.3, seed: 34 }),
    randomGrayscale: randomGrayscale({ factor: 0.5, seed: 35 }),
    colorJitter: colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, seed: 36 }),
    randomSolarize: randomSolarize({ seed: 37 }),
    randomPosterize: randomPosterize({ factor: [2, 6], seed: 38 }),
    randomEqualize: randomEqualize({ p: 1, seed: 39 }),
    randomAutoContrast: randomAutoContrast({ p: 1, seed: 40 }),
    randomInvert: randomInvert({ seed: 41 }),
    randomSharpness: randomSharpness({ factor: 0.8, seed: 42 }),
    randomGaussianBlur: randomGaussianBlur({ seed: 43 }),
    randAugment: randAugment({ magnitudeStd: 0.5, seed: 44 }),
    trivialAugmentWide: trivialAugmentWide({ seed: 50 }),
    augMix: augMix({ seed: 51 }),
    randomApply: randomApply(randomInvert({ seed: 45 }), { p: 0.5, seed: 46 }),
    randomChoice: randomChoice([randomBrightness({ factor: 0.3 }), randomFlip()], { seed: 47 }),
    randomOrder: randomOrder([randomFlip(), randomInvert()], { seed: 48 }),
    mixupOrCutmix: mixupOrCutmix({ mixupAlpha: 0.8, cutmixAlpha: 1, numClasses: 10, seed: 49 }),
  };
  const rgbInfo = { ...info, channels: 3 };
  const rgbParams = Object.fromEntries(
    Object.entries(rgbAugmentations).map(([k, aug]) => [k, JSON.parse(JSON.stringify(aug.sample(rgbInfo)))]),
  );

  const runAll = () => {
    const out: Record<string, number[]> = {};
    const images = tf.tensor4d(pixels, [n, 28, 28, 1]);
    const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), 'float32') as tf.Tensor2D);
    for (const fillMode of FILL_MODES) {
      for (const interpolation of INTERPOLATIONS) {
        const t = affineTransform(images, rows, { fillMode, interpolation, fillValue: 0.25 });
        out[`affineTransform ${fillMode}/${interpolation}`] = Array.from(t.dataSync());
        t.dispose();
      }
    }
    for (const [name, aug] of Object.entries(augmentations)) {
      const result = aug.apply({ images, labels: oneHot }, params[name]);
      out[name] = Array.from(result.images.dataSync());
      if (result.labels !== undefined && result.labels !== oneHot) {
        out[`${name} labels`] = Array.from(result.labels.dataSync());
        result.labels.dispose();
      }
      if (result.images !== images) result.images.dispose();
    }
    const rgb = tf.tidy(() => tf.concat([images, tf.square(images), tf.sub(1, images)], 3) as tf.Tensor4D);
    for (const [name, aug] of Object.entries(rgbAugmentations)) {
      const result = aug.apply({ images: rgb, labels: oneHot }, rgbParams[name]);
      out[`${name} (RGB)`] = Array.from(result.images.dataSync());
      if (result.labels !== undefined && result.labels !== oneHot) {
        out[`${name} (RGB) labels`] = Array.from(result.labels.dataSync());
        result.labels.dispose();
      }
      if (result.images !== rgb) result.images.dispose();
    }
    tf.dispose([images, oneHot, rgb]);
    return out;
  };
  const ignore: Record<string, number[]> = {};
  for (const fillMode of FILL_MODES) {
    for (const interpolation of INTERPOLATIONS)
      ignore[`affineTransform ${fillMode}/${interpolation}`] = ambiguous(rows, interpolation, fillMode);
  }
  await tf.setBackend('webgl');
  const webgl = runAll();
  await tf.setBackend('cpu');
  const cpu = runAll();
  await tf.setBackend('webgl');
  return Object.fromEntries(
    Object.keys(webgl).map((k) => [k, { webgl: webgl[k]!, cpu: cpu[k]!, ...(ignore[k] ? { ignore: ignore[k] } : {}) }]),
  );
}

/**
 * Output pixels (flat indices, one channel) whose source point lies within 1e-4 of a jump of the
 * sampler (computed in float64): half-pixel ties for nearest rounding, and for TensorFlow's 'wrap'
 * the whole pixels where its period arithmetic jumps. A GPU's float32 arithmetic may land on
 * either side there; everywhere else the backends must agree.
 */
function ambiguous(rows: readonly number[][], interpolation: string, fillMode: string): number[] {
  const out: number[] = [];
  const frac = (v: number, at: number) => Math.abs(v - Math.floor(v) - at);
  // Exact whole pixels come out exact in float32 on every backend; only near misses are ambiguous.
  const nearMiss = (d: number) => d > 0 && d < 1e-4;
  rows.forEach((r, b) => {
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const k = r[6]! * x + r[7]! * y + 1;
        const near = [(r[0]! * x + r[1]! * y + r[2]!) / k, (r[3]! * x + r[4]! * y + r[5]!) / k].some(
          (v) =>
            (interpolation === 'nearest' && frac(v, 0.5) < 1e-4) ||
            (fillMode === 'wrap' && (nearMiss(frac(v, 0)) || nearMiss(frac(v, 1)))),
        );
        if (near) out.push(b * 784 + y * 28 + x);
      }
    }
  });
  return out;
}
