import { fill, greater, mul, ones, randomNormal, serialization, tensor1d, where, zeros } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../../core/clip.js';
import { tfSeed } from '../../core/random.js';
import type { RandomGenerator } from '../../core/random.js';
import { registerOnce } from '../../core/serialization.js';
import { invalidArgument, optionNames } from '../../core/validate.js';
import { uniformIn } from '../_internal/photometricRandom.js';
import type { Augmentation, BatchInfo } from '../augmentation.js';
import { cutout } from '../cutout.js';
import type { CutoutParams } from '../cutout.js';
import { checkArgs, checkLayerOptions, factorConfig } from './_internal/AugmentLayer.js';
import type { Factor, Layer } from './_internal/AugmentLayer.js';
import { IMAGE_LAYER_ARGS, ImageLayer, kerasFactor, kerasValueRange } from './_internal/ImageLayer.js';
import type { ImageLayerOptions } from './_internal/ImageLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomErasing` (Keras 3 `RandomErasing`). */
export interface RandomErasingLayerOptions extends ImageLayerOptions {
  /**
   * Per image, the erasing probability is drawn in `[lower, upper]` (one number `f`: `[0, f]`), then the image is
   * erased when a uniform draw falls below it. Within [0, 1]. Keras: `factor`.
   * @defaultValue 1 (probability uniform in [0, 1]: half the images, as Keras)
   */
  factor?: Factor;
  /**
   * Each side of the box is `sqrt(s)` of the image's side, `s` drawn in `[lower, upper]` per side (one number `f`:
   * `[0, f]`). Within [0, 1]. Keras: `scale`.
   * @defaultValue [0.02, 0.33]
   */
  scale?: Factor;
  /**
   * What erased pixels hold: a number, three numbers (one per RGB channel), or null for Gaussian noise
   * `N(0, 1) · high`; clipped to the value range. Keras: `fill_value`.
   * @defaultValue null
   */
  fillValue?: number | [number, number, number] | null;
  /** `[low, high]` of the pixel values. Keras: `value_range`. @defaultValue [0, 255] (Keras' default) */
  valueRange?: [number, number];
}

const RANDOM_ERASING_LAYER_OPTIONS = optionNames<RandomErasingLayerOptions>()(
  'factor',
  'scale',
  'fillValue',
  'valueRange',
  ...IMAGE_LAYER_ARGS,
);

/**
 * One call's draw, as Keras makes it: per image whether it is erased and its box `[y0, x0, y1, x1]` in fractional
 * pixels (a pixel is erased when its index is in [start, end)), and the noise fill's seed.
 * @internal
 */
export interface ErasingDraw {
  applied: boolean[];
  boxes: [number, number, number, number][];
  seed: number;
}

/** Keras 3 RandomErasing: Keras' draw; the boxes are rasterised by the {@link cutout} augmentation. */
export class RandomErasing extends ImageLayer<ErasingDraw> {
  static className = 'RandomErasing';
  readonly factor: number | number[];
  readonly scale: number | number[];
  readonly fillValue: number | number[] | null;
  readonly valueRange: [number, number];
  private readonly factorRange: [number, number];
  private readonly scaleRange: [number, number];
  private readonly boxes: Augmentation<CutoutParams>;

  constructor(args: RandomErasingLayerOptions) {
    const fn = 'layers.randomErasing';
    const a = checkArgs<RandomErasingLayerOptions>(fn, args ?? {}, []);
    super(fn, a, Array.isArray(a.fillValue) ? 'rgb' : 'any');
    this.factorRange = kerasFactor(fn, 'factor', a.factor ?? 1, [0, 1]);
    this.factor = factorConfig(a.factor ?? 1);
    this.scaleRange = kerasFactor(fn, 'scale', a.scale ?? [0.02, 0.33], [0, 1]);
    this.scale = factorConfig(a.scale ?? [0.02, 0.33]);
    const value = a.fillValue ?? null;
    const finite = (v: unknown) => typeof v === 'number' && Math.abs(v) <= 3.4e38;
    if (!(value === null || finite(value) || (Array.isArray(value) && value.length === 3 && value.every(finite)))) {
      throw invalidArgument(fn, 'fillValue', value, 'a finite number, three of them (one per channel), or null');
    }
    this.fillValue = Array.isArray(value) ? [...value] : value;
    this.valueRange = kerasValueRange(fn, a.valueRange);
    this.boxes = cutout({ size: 1, value: 1, seed: 0 });
  }

  // Keras: per image sqrt of a scale draw per side, a start uniform over the room left, then the erase coin.
  protected draw(info: BatchInfo, rng: RandomGenerator): ErasingDraw {
    const scale = uniformIn(this.scaleRange);
    const probability = uniformIn(this.factorRange);
    const applied: boolean[] = [];
    const boxes: [number, number, number, number][] = [];
    for (let i = 0; i < info.batchSize; i++) {
      const [w, h] = [Math.sqrt(scale(rng)) * info.width, Math.sqrt(scale(rng)) * info.height];
      const [x0, y0] = [rng.uniform() * (info.width - w), rng.uniform() * (info.height - h)];
      boxes.push([y0, x0, y0 + h, x0 + w]);
      applied.push(rng.uniform() < probability(rng));
    }
    return { applied, boxes, seed: rng.nextSeed() };
  }

  protected transform(images: Tensor4D, draw: ErasingDraw, info: BatchInfo): Tensor4D {
    // A pixel index i is in [start, end) exactly when ceil(start) <= i < ceil(end).
    const whole = (v: number, side: number) => Math.min(side, Math.max(0, Math.ceil(v)));
    const boxes = draw.boxes.map(([y0, x0, y1, x1], i) =>
      draw.applied[i]
        ? [[whole(y0, info.height), whole(x0, info.width), whole(y1, info.height), whole(x1, info.width)]]
        : [],
    ) as CutoutParams['boxes'];
    const mask = this.step(this.boxes, zeros([info.batchSize, info.height, info.width, 1]) as Tensor4D, {
      applied: draw.applied,
      boxes,
    });
    // Cutout's fill of 1 on zeros: the mask of the erased pixels.
    const erased = greater(mask, 0.5);
    return where(erased, this.fill(images, draw), images) as Tensor4D;
  }

  private fill(images: Tensor4D, draw: ErasingDraw): Tensor {
    const [low, high] = this.valueRange;
    const value = this.fillValue;
    const raw =
      value === null
        ? mul(randomNormal(images.shape, 0, 1, 'float32', tfSeed(draw.seed)), high)
        : Array.isArray(value)
          ? mul(ones(images.shape), tensor1d(value))
          : fill(images.shape, value);
    return clip(raw, low, high);
  }

  protected options(): ConfigDict {
    const fillValue = Array.isArray(this.fillValue) ? [...this.fillValue] : this.fillValue;
    return { factor: this.factor, scale: this.scale, fillValue, valueRange: [...this.valueRange] };
  }
}

/**
 * Keras 3's `RandomErasing` layer (random erasing, Zhong et al. 2020): while training, per image, a box is drawn as
 * Keras draws it (each side `sqrt(s)` of the image's, `s` uniform in `scale`; its start uniform over the room
 * left) and the image is erased there when a uniform draw falls below a probability drawn in `factor`; erased
 * pixels hold `fillValue` (or Gaussian noise `N(0, 1) · high`), clipped to the value range. At inference it is the
 * identity.
 *
 * Keras' draw, in JavaScript from the layer's seeded generator; the box is rasterised by the {@link cutout}
 * augmentation. torchvision's `RandomErasing` (area and aspect-ratio draws) is `cutout({ scale, ratio })`.
 * Saves and loads with the model (class name `RandomErasing`, config factor, scale, fill_value, value_range, seed,
 * data_format). Any channel count (RGB for a three-number `fillValue`).
 *
 * @param options - `factor`, `scale`, `fillValue`, `valueRange`, `seed`, `dataFormat`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomErasing`, the option and the value for a bad factor, scale, fill value, value
 *   range or data format, a non-integer seed or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const erase = layers.randomErasing({ factor: [1, 1], scale: [0.25, 0.25], fillValue: 0, seed: 1 });
 * const out = erase.apply(tf.fill([1, 8, 8, 1], 9), { training: true }) as tf.Tensor;
 * console.log(Array.from(out.dataSync()).filter((v) => v === 0).length); // a 4 × 4 box: 16
 * ```
 */
export function randomErasing(options?: RandomErasingLayerOptions): Layer {
  registerOnce(RandomErasing);
  return new RandomErasing(
    checkLayerOptions('layers.randomErasing', options ?? {}, RANDOM_ERASING_LAYER_OPTIONS, [], ['fillValue', 'seed']),
  );
}
