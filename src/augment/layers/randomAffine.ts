import { serialization } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { registerOnce } from '../../core/serialization.js';
import type { Augmentation } from '../augmentation.js';
import { namedRandomAffine, RANDOM_AFFINE_OPTIONS } from '../randomAffine.js';
import type { RandomAffineOptions, RandomAffineParams } from '../randomAffine.js';
import { optionNames } from '../../core/validate.js';
import { AugmentLayer, checkArgs, checkLayerOptions, LAYER_ARGS } from './_internal/AugmentLayer.js';
import type { Layer, LayerArgs } from './_internal/AugmentLayer.js';

type ConfigDict = serialization.ConfigDict;

// The augmentation's options the layer passes on (its seed is the layer's own).
const AFFINE_KEYS = RANDOM_AFFINE_OPTIONS.filter((k) => k !== 'seed');

/** Options of `layers.randomAffine`: those of the randomAffine augmentation, plus tfjs' LayerArgs. */
export interface RandomAffineLayerOptions extends LayerArgs, Omit<RandomAffineOptions, 'seed'> {
  /** Seed of the layer's generator. @defaultValue a fresh random seed */
  seed?: number | null;
}

const RANDOM_AFFINE_LAYER_OPTIONS = optionNames<RandomAffineLayerOptions>()(...RANDOM_AFFINE_OPTIONS, ...LAYER_ARGS);

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
    this.aug = namedRandomAffine(fn, { ...(given as RandomAffineOptions), seed: this.rng.seed });
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

/**
 * The {@link randomAffine} augmentation (Keras' `ImageDataGenerator` options: rotation, shifts,
 * shear, zoom, flips) as a layer: while training it draws the augmentation's per-sample parameters
 * from the layer's seeded generator and applies them in one resampling pass; at inference it is
 * the identity. Same options, same defaults (`fillMode: 'nearest'`) and same sampling as the
 * augmentation, so `layers.randomAffine(o)` in a model trains like `randomAffine(o)` in a pipeline.
 *
 * Saves and loads with the model (class name `RandomAffine`; the config holds the options given).
 * Input: `[batch, height, width, channels]`; place it before any trainable layer (the resampling has
 * no gradient in tfjs).
 *
 * @param options - {@link RandomAffineOptions} plus tfjs' layer options (`name`, `inputShape`, ...).
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomAffine`, the option and the value for bad options (the checks of
 *   {@link randomAffine}).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const notebook = { rotationRange: 30, widthShiftRange: 0.1, heightShiftRange: 0.1, zoomRange: 0.2 };
 * const augment = layers.randomAffine({ ...notebook, seed: 7 });
 * const x = tf.ones([4, 28, 28, 1]);
 * const y = augment.apply(x, { training: true }) as tf.Tensor;
 * console.log(y.shape.join('x'), tf.max(y).dataSync()[0]); // 4x28x28x1 1
 * console.log(augment.getConfig()['rotationRange']); // 30
 * ```
 */
export function randomAffine(options?: RandomAffineLayerOptions): Layer {
  registerOnce(RandomAffine);
  return new RandomAffine(
    checkLayerOptions('layers.randomAffine', options ?? {}, RANDOM_AFFINE_LAYER_OPTIONS, [], ['seed']),
  );
}
