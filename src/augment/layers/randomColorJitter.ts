import { serialization } from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { registerOnce } from '../../core/serialization.js';
import { optionNames } from '../../core/validate.js';
import { checkArgs, checkLayerOptions, factorConfig } from './_internal/AugmentLayer.js';
import type { Factor, Layer } from './_internal/AugmentLayer.js';
import { IMAGE_LAYER_ARGS, ImageLayer, kerasValueRange } from './_internal/ImageLayer.js';
import type { ImageLayerOptions } from './_internal/ImageLayer.js';
import { RandomBrightness } from './randomBrightness.js';
import { RandomContrast } from './randomContrast.js';
import { RandomHue } from './randomHue.js';
import { RandomSaturation } from './randomSaturation.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomColorJitter` (Keras 3 `RandomColorJitter`); a factor left out (or null) skips its op. */
export interface RandomColorJitterLayerOptions extends ImageLayerOptions {
  /** `[low, high]` of the pixel values, for every op. Keras: `value_range`. @defaultValue [0, 255] */
  valueRange?: [number, number];
  /** {@link randomBrightness} layer's `factor`. Keras: `brightness_factor`. @defaultValue null (no brightness op) */
  brightnessFactor?: Factor | null;
  /** {@link randomContrast} layer's `factor`. Keras: `contrast_factor`. @defaultValue null (no contrast op) */
  contrastFactor?: Factor | null;
  /** {@link randomSaturation} layer's `factor`. Keras: `saturation_factor`. @defaultValue null (no saturation op) */
  saturationFactor?: Factor | null;
  /** {@link randomHue} layer's `factor`. Keras: `hue_factor`. @defaultValue null (no hue op) */
  hueFactor?: Factor | null;
}

const RANDOM_COLOR_JITTER_LAYER_OPTIONS = optionNames<RandomColorJitterLayerOptions>()(
  'valueRange',
  'brightnessFactor',
  'contrastFactor',
  'saturationFactor',
  'hueFactor',
  ...IMAGE_LAYER_ARGS,
);

const FACTORS = ['brightnessFactor', 'contrastFactor', 'saturationFactor', 'hueFactor'] as const;

/** Keras 3 RandomColorJitter: its four layers in Keras' fixed order, each drawing from this layer's generator. */
export class RandomColorJitter extends ImageLayer<null> {
  static className = 'RandomColorJitter';
  readonly valueRange: [number, number];
  private readonly given: Record<(typeof FACTORS)[number], number | number[] | null>;
  private readonly parts: ImageLayer<unknown>[];

  constructor(args: RandomColorJitterLayerOptions) {
    const fn = 'layers.randomColorJitter';
    const a = checkArgs<RandomColorJitterLayerOptions>(fn, args ?? {}, []);
    const colour = a.saturationFactor != null || a.hueFactor != null;
    super(fn, a, colour ? 'rgb' : 'any');
    this.valueRange = kerasValueRange(fn, a.valueRange);
    const valueRange = this.valueRange;
    const name = (key: string) => ({ name: `${this.name}_${key}` });
    const at = (key: string, f: () => ImageLayer<unknown>): ImageLayer<unknown> => {
      try {
        return f();
      } catch (e) {
        // The part's own message names its layer and 'factor': say which option of this layer it was.
        throw new Error(`${fn}: ${key}: ${(e as Error).message}`);
      }
    };
    this.parts = [];
    if (a.brightnessFactor != null) {
      const factor = a.brightnessFactor;
      this.parts.push(at('brightnessFactor', () => new RandomBrightness({ factor, valueRange, ...name('b') })));
    }
    if (a.contrastFactor != null) {
      const factor = a.contrastFactor;
      this.parts.push(at('contrastFactor', () => new RandomContrast({ factor, valueRange, ...name('c') })));
    }
    if (a.saturationFactor != null) {
      const factor = a.saturationFactor;
      this.parts.push(at('saturationFactor', () => new RandomSaturation({ factor, valueRange, ...name('s') })));
    }
    if (a.hueFactor != null) {
      const factor = a.hueFactor;
      this.parts.push(at('hueFactor', () => new RandomHue({ factor, valueRange, ...name('h') })));
    }
    this.given = Object.fromEntries(
      FACTORS.map((k) => [k, a[k] == null ? null : factorConfig(a[k])]),
    ) as RandomColorJitter['given'];
  }

  protected draw(): null {
    return null;
  }

  // Keras draws each op's parameters on the image the previous op made, from the jitter's generator.
  protected transform(images: Tensor4D): Tensor4D {
    return this.parts.reduce((x, part) => part.trainingTransform(x, this.rng), images);
  }

  protected options(): ConfigDict {
    return { valueRange: [...this.valueRange], ...this.given };
  }
}

/**
 * Keras 3's `RandomColorJitter` layer: while training it runs, in this fixed order, the {@link randomBrightness},
 * {@link randomContrast}, {@link randomSaturation} and {@link randomHue} layers whose factor is given, each with
 * its own per-image draw (Keras' meaning of each factor: see those layers), all drawn from this layer's seeded
 * generator; at inference it is the identity. torchvision's `ColorJitter` (random order, multiplicative brightness)
 * is the {@link colorJitter} augmentation.
 *
 * Input: any channel count for brightness and contrast only, RGB (3 channels on the channel axis) once saturation
 * or hue is given. Saves and loads with the model (class name `RandomColorJitter`, config value_range,
 * brightness_factor, contrast_factor, saturation_factor, hue_factor, seed, data_format).
 *
 * @param options - `valueRange`, `brightnessFactor`, `contrastFactor`, `saturationFactor`, `hueFactor`, `seed`,
 *   `dataFormat`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomColorJitter`, the option and the value for a bad factor, value range or data
 *   format, a non-integer seed or an unknown option; naming it and the input shape for non-RGB input to a colour op.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const jitter = layers.randomColorJitter({ brightnessFactor: [0.2, 0.2], contrastFactor: [-1, 1], seed: 1 });
 * const out = jitter.apply(tf.tensor4d([50, 90], [1, 1, 2, 1]), { training: true }) as tf.Tensor;
 * // + 0.2 · 255 = 101, 141; contrast 2 about the mean 121: 81, 161
 * console.log(Array.from(out.dataSync()).join(',')); // 81,161
 * ```
 */
export function randomColorJitter(options?: RandomColorJitterLayerOptions): Layer {
  registerOnce(RandomColorJitter);
  return new RandomColorJitter(
    checkLayerOptions(
      'layers.randomColorJitter',
      options ?? {},
      RANDOM_COLOR_JITTER_LAYER_OPTIONS,
      [],
      ['brightnessFactor', 'contrastFactor', 'saturationFactor', 'hueFactor', 'seed'],
    ),
  );
}
