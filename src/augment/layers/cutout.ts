import { serialization } from '@tensorflow/tfjs-core';
import { registerOnce } from '../../core/serialization.js';
import { optionNames } from '../../core/validate.js';
import type { Augmentation } from '../augmentation.js';
import { CUTOUT_OPTIONS, namedCutout } from '../cutout.js';
import type { CutoutOptions, CutoutParams } from '../cutout.js';
import { checkArgs, checkLayerOptions } from './_internal/AugmentLayer.js';
import type { Layer } from './_internal/AugmentLayer.js';
import { AugmentationLayer, IMAGE_LAYER_ARGS } from './_internal/ImageLayer.js';
import type { ImageLayerOptions } from './_internal/ImageLayer.js';

type ConfigDict = serialization.ConfigDict;

// The augmentation's options the layer passes on (its seed is the layer's own).
const CUTOUT_KEYS = CUTOUT_OPTIONS.filter((k) => k !== 'seed');

/** Options of `layers.cutout`: those of the {@link cutout} augmentation, plus `seed`, `dataFormat` and LayerArgs. */
export interface CutoutLayerOptions extends ImageLayerOptions, Omit<CutoutOptions, 'seed'> {}

const CUTOUT_LAYER_OPTIONS = optionNames<CutoutLayerOptions>()(...CUTOUT_KEYS, ...IMAGE_LAYER_ARGS);

/** The {@link cutout} augmentation as a layer: its own draw, from the layer's generator. */
export class Cutout extends AugmentationLayer<CutoutParams> {
  static className = 'Cutout';
  protected readonly aug: Augmentation<CutoutParams>;
  private readonly given: ConfigDict;

  constructor(args: CutoutLayerOptions) {
    const fn = 'layers.cutout';
    super(fn, checkArgs<CutoutLayerOptions>(fn, args ?? {}, []), 'any');
    const record = (args ?? {}) as unknown as Record<string, serialization.ConfigDictValue>;
    // A saved config holds null for options never given; those mean the default, as when omitted.
    const given: ConfigDict = {};
    for (const key of CUTOUT_KEYS) if (record[key] != null) given[key] = record[key];
    this.aug = namedCutout(fn, { ...(given as CutoutOptions), seed: 0 });
    this.given = given;
  }

  protected options(): ConfigDict {
    return { ...this.given };
  }
}

/**
 * The {@link cutout} augmentation (DeVries & Taylor's cutout, or torchvision's random erasing with `scale`) as a
 * layer: while training it draws the augmentation's boxes from the layer's seeded generator and erases them; at
 * inference it is the identity. Keras 3 has no cutout layer; its `RandomErasing` is {@link randomErasing}. Same
 * options and defaults as the augmentation.
 *
 * Saves and loads with the model (class name `Cutout`; the config holds the options given, with seed and
 * data_format). Any channel count.
 *
 * @param options - {@link CutoutOptions} (but `seed`, the layer's), `seed`, `dataFormat`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.cutout`, the option and the value for bad options (the augmentation's checks).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const cut = layers.cutout({ size: 2, inside: true, seed: 1 });
 * const out = cut.apply(tf.ones([1, 4, 4, 1]), { training: true }) as tf.Tensor;
 * console.log(Array.from(out.dataSync()).filter((v) => v === 0).length); // one 2 × 2 box: 4
 * ```
 */
export function cutout(options?: CutoutLayerOptions): Layer {
  registerOnce(Cutout);
  return new Cutout(checkLayerOptions('layers.cutout', options ?? {}, CUTOUT_LAYER_OPTIONS, [], ['seed']));
}
