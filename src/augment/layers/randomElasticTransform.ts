import { add, matMul, mul, randomNormal, reshape, serialization, tensor3d, unstack } from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor3D, Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../../core/clip.js';
import { tfSeed } from '../../core/random.js';
import type { RandomGenerator } from '../../core/random.js';
import { registerOnce } from '../../core/serialization.js';
import { optionNames } from '../../core/validate.js';
import { bandMatrix } from '../_internal/gaussianBand.js';
import { identityPoints } from '../_internal/resample/grids.js';
import { mapCoordinates } from './_internal/mapCoordinates.js';
import { checkResampleOptions } from '../_internal/resample/options.js';
import type { ResampleOptions } from '../_internal/resample/options.js';
import type { BatchInfo } from '../augmentation.js';
import { checkArgs, checkLayerOptions, factorConfig } from './_internal/AugmentLayer.js';
import type { Factor, Layer } from './_internal/AugmentLayer.js';
import { IMAGE_LAYER_ARGS, ImageLayer, kerasFactor, kerasValueRange } from './_internal/ImageLayer.js';
import type { ImageLayerOptions } from './_internal/ImageLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomElasticTransform` (Keras 3 `RandomElasticTransform`). */
export interface RandomElasticTransformLayerOptions extends ImageLayerOptions {
  /**
   * Per image, the probability of the distortion is drawn in `[lower, upper]` (one number `f`: `[0, f]`), then the
   * image is distorted when a uniform draw falls below it. Within [0, 1]. Keras: `factor`.
   * @defaultValue 1 (probability uniform in [0, 1]: half the images, as Keras)
   */
  factor?: Factor;
  /**
   * The strength `s`, drawn once per batch in `[lower, upper]` (one number `f`: `[0, f]`): the field is smoothed by
   * a Gaussian of `sigma = 0.05 · s · min(height, width)` pixels and scaled by `alpha = 0.1 · s · max(height, width)`.
   * Within [0, 1]. Keras: `scale`.
   * @defaultValue 1
   */
  scale?: Factor;
  /** How a point between pixels is read. Keras: `interpolation`. @defaultValue 'bilinear' */
  interpolation?: 'nearest' | 'bilinear';
  /**
   * What points displaced outside the image read, mapped per pixel index as Keras' map_coordinates does: its
   * 'reflect' reads index −1 as 1 and index `size` as `size − 1`, unlike affineTransform's. Keras' `'mirror'` (which
   * reads past the image at the far edge) is not offered. Keras: `fill_mode`.
   * @defaultValue 'reflect'
   */
  fillMode?: 'constant' | 'reflect' | 'wrap' | 'nearest';
  /** The value of the fill in `'constant'` mode. Keras: `fill_value`. @defaultValue 0 */
  fillValue?: number;
  /** `[low, high]` of the pixel values; a training output is clipped to it. Keras: `value_range`.
   * @defaultValue [0, 255] (Keras' default) */
  valueRange?: [number, number];
}

const RANDOM_ELASTIC_TRANSFORM_LAYER_OPTIONS = optionNames<RandomElasticTransformLayerOptions>()(
  'factor',
  'scale',
  'interpolation',
  'fillMode',
  'fillValue',
  'valueRange',
  ...IMAGE_LAYER_ARGS,
);

/** One training call's draw (Keras' transformation): per image whether it is distorted, the strength, the seed. */
interface ElasticDraw {
  applied: boolean[];
  distortion: number;
  seed: number;
}

/** Keras 3 RandomElasticTransform: Keras' draw, field and map_coordinates resampling. */
export class RandomElasticTransform extends ImageLayer<ElasticDraw> {
  static className = 'RandomElasticTransform';
  readonly factor: number | number[];
  readonly scale: number | number[];
  readonly valueRange: [number, number];
  private readonly factorRange: [number, number];
  private readonly scaleRange: [number, number];
  private readonly resampling: ResampleOptions;

  constructor(args: RandomElasticTransformLayerOptions) {
    const fn = 'layers.randomElasticTransform';
    checkArgs<RandomElasticTransformLayerOptions>(fn, args, []);
    super(fn, args, 'any');
    this.factorRange = kerasFactor(fn, 'factor', args.factor ?? 1, [0, 1]);
    this.scaleRange = kerasFactor(fn, 'scale', args.scale ?? 1, [0, 1]);
    this.factor = factorConfig(args.factor ?? 1);
    this.scale = factorConfig(args.scale ?? 1);
    this.valueRange = kerasValueRange(fn, args.valueRange);
    this.resampling = checkResampleOptions(fn, args, 'reflect');
  }

  // Keras' order: the probabilities, the thresholds, then one strength for the batch and the field's seed.
  protected override draw(info: BatchInfo, rng: RandomGenerator): ElasticDraw {
    const [lo, hi] = this.factorRange;
    const chances = Array.from({ length: info.batchSize }, () => rng.uniform(lo, hi));
    const applied = chances.map((chance) => rng.uniform() < chance);
    return { applied, distortion: rng.uniform(...this.scaleRange), seed: rng.nextSeed() };
  }

  protected override transform(images: Tensor4D, draw: ElasticDraw, info: BatchInfo): Tensor4D {
    // Keras skips a layer that cannot distort (no transformation: not even the clip).
    if (this.factorRange[1] === 0 || this.scaleRange[1] === 0) return images;
    const { batchSize: n, height: h, width: w } = info;
    const noise = randomNormal([n, h, w], 0, 1, 'float32', tfSeed(draw.seed)) as Tensor3D;
    return this.distort(images, noise, draw.applied, draw.distortion);
  }

  /**
   * Keras' elastic_transform from its standard normal noise `[batch, height, width]`: the noise times sigma, smoothed
   * by Keras' Gaussian kernel, times alpha, displaces both coordinates of every pixel (Keras draws the x and y fields
   * with one seed, so they are equal); the images left alone read their own pixels, and the batch is clipped. Runs in
   * the caller's tidy.
   * @internal
   */
  distort(images: Tensor4D, noise: Tensor3D, applied: boolean[], distortion: number): Tensor4D {
    const [n, h, w] = noise.shape;
    const alpha = Math.max(h, w) * 0.1 * distortion;
    const sigma = Math.min(h, w) * 0.05 * distortion;
    // Keras' kernel has 6·floor(sigma) | 1 taps on each axis, over a zero-padded field.
    const radius = 3 * Math.floor(sigma);
    const alongX = reshape(matMul(reshape(noise, [n * h, w]) as Tensor2D, bandMatrix(sigma, w, radius)), [n, h, w]);
    const smooth = matMul(reshape(bandMatrix(sigma, h, radius), [1, h, h]) as Tensor3D, alongX as Tensor3D);
    const gains = tensor3d(
      applied.map((a) => (a ? alpha * sigma : 0)),
      [n, 1, 1],
    );
    const displacement = reshape(mul(smooth, gains), [n, h * w]);
    const [x, y] = unstack(identityPoints(h, w)).map((grid) => add(grid, displacement) as Tensor2D);
    const out = mapCoordinates(images, y!, x!, this.resampling);
    return clip(out, this.valueRange[0], this.valueRange[1]);
  }

  protected options(): ConfigDict {
    return {
      factor: this.factor,
      scale: this.scale,
      ...this.resampling,
      valueRange: [...this.valueRange],
    };
  }
}

/**
 * Keras 3's `RandomElasticTransform` layer: while training, the images of a batch are distorted by a smooth random
 * field, each with a probability drawn in the factor range, all with one strength `s` drawn in the scale range;
 * at inference it is the identity.
 *
 * Keras' definition: per batch, standard normal noise per pixel, times `sigma = 0.05 · s · min(height, width)`, is
 * smoothed by Keras' Gaussian (`6·floor(sigma) | 1` taps, standard deviation sigma, zero padding), times
 * `alpha = 0.1 · s · max(height, width)`, and displaces every pixel's source point by that amount along both axes
 * (Keras draws its x and y fields from one seed, so they are equal and pixels move diagonally; this layer keeps
 * that). The images are resampled as Keras' `map_coordinates` does (fill modes act on each corner's index, so they
 * differ from {@link affineTransform}'s at the edges), the images left alone are kept, and the training output is
 * clipped to the value range. The rest of Keras' layer is reproduced exactly; the noise cannot be: Keras draws it
 * with TensorFlow's stateless normal generator, this layer with tfjs' seeded `randomNormal` (the same on every
 * backend), so equal seeds give different fields in the two libraries. The tests hold the layer to Keras given
 * Keras' own noise, and its field's spread to Keras' field's. Keras' `'mirror'` fill mode is not offered.
 *
 * Any channel count. Saves and loads with the model (class name `RandomElasticTransform`, config factor, scale,
 * interpolation, fill_mode, fill_value, value_range, seed, data_format). The resampling has no gradient: place the
 * layer before any trainable layer.
 *
 * @param options - `factor`, `scale`, `interpolation`, `fillMode`, `fillValue`, `valueRange`, `seed`,
 *   `dataFormat`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomElasticTransform`, the option and the value for a factor or scale outside
 *   [0, 1], an unknown fill mode or interpolation, a non-finite fill value, a bad value range or data format, a
 *   non-integer seed or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const distort = layers.randomElasticTransform({ factor: [1, 1], scale: 1, valueRange: [0, 1], seed: 3 });
 * const x = tf.tidy(() => tf.div(tf.reshape(tf.range(0, 256), [1, 16, 16, 1]), 255));
 * const out = distort.apply(x, { training: true }) as tf.Tensor;
 * console.log(tf.max(tf.abs(tf.sub(out, x))).dataSync()[0]! > 0); // moved: true
 * const kept = distort.apply(x) as tf.Tensor; // inference: the identity
 * console.log(tf.max(tf.abs(tf.sub(kept, x))).dataSync()[0]); // 0
 * ```
 */
export function randomElasticTransform(options?: RandomElasticTransformLayerOptions): Layer {
  registerOnce(RandomElasticTransform);
  return new RandomElasticTransform(
    checkLayerOptions(
      'layers.randomElasticTransform',
      options ?? {},
      RANDOM_ELASTIC_TRANSFORM_LAYER_OPTIONS,
      [],
      ['seed'],
    ),
  );
}
