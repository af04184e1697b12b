import { add, randomNormal, serialization } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import type { Augmentation } from '../../augmentation.js';
import { randomAffine } from '../../randomAffine.js';
import type { RandomAffineOptions, RandomAffineParams } from '../../randomAffine.js';
import { AugmentLayer, checkArgs } from './AugmentLayer.js';
import type { LayerArgs } from './AugmentLayer.js';
import { checkNonNegative } from '../../../core/validate.js';

type ConfigDict = serialization.ConfigDict;

const AFFINE_KEYS = [
  'rotationRange', 'widthShiftRange', 'heightShiftRange', 'zoomRange', 'sameZoom', 'shearRange',
  'horizontalFlip', 'verticalFlip', 'fillMode', 'fillValue', 'interpolation', 'p',
] as const;

/** Options of `layers.randomAffine`: those of the randomAffine augmentation, plus tfjs' LayerArgs. */
export interface RandomAffineLayerOptions extends LayerArgs, Omit<RandomAffineOptions, 'seed'> {
  /** Seed of the layer's generator. @defaultValue a fresh random seed */
  seed?: number | null;
}

/**
 * The {@link randomAffine} augmentation (ImageDataGenerator's options) as a layer: in training it
 * draws the augmentation's per-sample parameters from the layer's generator and applies them.
 */
export class RandomAffine extends AugmentLayer {
  static className = 'RandomAffine';
  private readonly given: ConfigDict;
  private readonly aug: Augmentation<RandomAffineParams>;

  constructor(args: RandomAffineLayerOptions) {
    const fn = 'layers.randomAffine';
    super(fn, checkArgs<RandomAffineLayerOptions>(fn, args ?? {}, []), true);
    const given: ConfigDict = {};
    const record = (args ?? {}) as unknown as Record<string, serialization.ConfigDictValue>;
    // A saved config holds null for options never given; those mean the default, as when omitted.
    for (const key of AFFINE_KEYS) if (record[key] != null) given[key] = record[key];
    try {
      this.aug = randomAffine({ ...(given as RandomAffineOptions), seed: this.rng.seed });
    } catch (e) {
      // Same checks as the augmentation; the message names the factory the user called.
      if (e instanceof Error && e.message.startsWith('randomAffine: ')) throw new Error(`${fn}: ${e.message.slice(14)}`);
      throw e;
    }
    this.given = given;
  }

  protected augment(x: Tensor): Tensor {
    const [batchSize, height, width, channels] = x.shape as [number, number, number, number];
    const params = this.aug.sample({ batchSize, height, width, channels }, this.rng);
    return this.aug.apply({ images: x as Tensor4D }, params).images;
  }

  protected options(): ConfigDict {
    return { ...this.given };
  }
}

/** Options of `layers.gaussianNoise` (Keras 3 `GaussianNoise`), plus tfjs' LayerArgs. */
export interface GaussianNoiseLayerOptions extends LayerArgs {
  /** Standard deviation of the noise, a finite number >= 0. Required. */
  stddev: number;
  /** Seed of the layer's generator. @defaultValue a fresh random seed */
  seed?: number | null;
}

/**
 * Keras 3 GaussianNoise(stddev, seed): adds N(0, stddev²) noise in training only. Registered as
 * 'SeededGaussianNoise' so that tfjs-layers' own 'GaussianNoise' (unseeded, same semantics) keeps
 * loading Keras and tfjs models unchanged.
 */
export class SeededGaussianNoise extends AugmentLayer {
  static className = 'SeededGaussianNoise';
  readonly stddev: number;

  constructor(args: GaussianNoiseLayerOptions) {
    const fn = 'layers.gaussianNoise';
    checkArgs<GaussianNoiseLayerOptions>(fn, args, ['stddev']);
    super(fn, args, false);
    this.stddev = checkNonNegative(fn, 'stddev', args.stddev);
    this.supportsMasking = true;
  }

  protected augment(x: Tensor): Tensor {
    // The noise seed comes from the layer's generator; seeded normals are drawn identically on every
    // backend, and seed 0 would mean "unseeded" to tfjs.
    const seed = this.rng.nextSeed() % 2 ** 31 || 1;
    return add(x, randomNormal(x.shape, 0, this.stddev, 'float32', seed));
  }

  protected options(): ConfigDict {
    return { stddev: this.stddev };
  }
}

for (const cls of [RandomAffine, SeededGaussianNoise]) serialization.registerClass(cls);
