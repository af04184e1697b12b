import { image, serialization, slice } from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { RandomGenerator } from '../../core/random.js';
import { registerOnce } from '../../core/serialization.js';
import { invalidArgument, optionNames } from '../../core/validate.js';
import type { Augmentation, BatchInfo } from '../augmentation.js';
import { randomCrop as cropAugmentation } from '../randomCrop.js';
import type { RandomCropParams } from '../randomCrop.js';
import { checkArgs, checkLayerOptions } from './_internal/AugmentLayer.js';
import type { Layer } from './_internal/AugmentLayer.js';
import { IMAGE_LAYER_ARGS, ImageLayer } from './_internal/ImageLayer.js';
import type { ImageLayerOptions } from './_internal/ImageLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomCrop` (Keras 3 `RandomCrop`). */
export interface RandomCropLayerOptions extends ImageLayerOptions {
  /** Output height, an integer >= 1. Required. Keras: `height`. */
  height: number;
  /** Output width, an integer >= 1. Required. Keras: `width`. */
  width: number;
}

const RANDOM_CROP_LAYER_OPTIONS = optionNames<RandomCropLayerOptions>()('height', 'width', ...IMAGE_LAYER_ARGS);

/** Keras' window: one random place per batch, or `null` for the centre window (Keras' `h_start, w_start`). */
type CropDraw = { top: number; left: number } | null;

/**
 * Keras 3 RandomCrop: one random window per batch when the input is larger than the crop both ways, else (and at
 * inference) the centre window Keras documents.
 */
export class RandomCrop extends ImageLayer<CropDraw> {
  static className = 'RandomCrop';
  readonly height: number;
  readonly width: number;
  private readonly crop: Augmentation<RandomCropParams>;

  constructor(args: RandomCropLayerOptions) {
    const fn = 'layers.randomCrop';
    checkArgs<RandomCropLayerOptions>(fn, args, ['height', 'width']);
    super(fn, args, 'any');
    const size = (arg: string, v: unknown) => {
      if (!Number.isSafeInteger(v) || (v as number) < 1) throw invalidArgument(fn, arg, v, 'an integer >= 1');
      return v as number;
    };
    this.height = size('height', args.height);
    this.width = size('width', args.width);
    this.crop = cropAugmentation({ height: this.height, width: this.width, seed: 0 });
  }

  protected override outputSize(): [number, number] {
    return [this.height, this.width];
  }

  // Keras casts a uniform draw in [0, slack + 1) to int: each offset in [0, slack] equally likely.
  protected draw(info: BatchInfo, rng: RandomGenerator): CropDraw {
    if (!(info.height > this.height && info.width > this.width)) return null;
    return { top: rng.integer(info.height - this.height + 1), left: rng.integer(info.width - this.width + 1) };
  }

  protected transform(images: Tensor4D, window: CropDraw, info: BatchInfo): Tensor4D {
    if (window === null) return this.centre(images, info);
    const fill = (v: number) => Array.from({ length: info.batchSize }, () => v);
    return this.step(this.crop, images, { top: fill(window.top), left: fill(window.left) });
  }

  protected override inferenceTransform(images: Tensor4D, info: BatchInfo): Tensor4D {
    return this.centre(images, info);
  }

  /**
   * The centre window Keras documents (its `smart_resize`): the largest window of the crop's aspect ratio, centred,
   * resized to `height` × `width` (bilinear, half-pixel centres) unless it already has that size.
   */
  private centre(images: Tensor4D, info: BatchInfo): Tensor4D {
    const { height: h, width: w } = info;
    const rows = Math.max(Math.min(h, Math.trunc((w * this.height) / this.width)), 1);
    const cols = Math.max(Math.min(w, Math.trunc((h * this.width) / this.height)), 1);
    const window = slice(images, [0, Math.trunc((h - rows) / 2), Math.trunc((w - cols) / 2), 0], [-1, rows, cols, -1]);
    if (rows === this.height && cols === this.width) return window;
    return image.resizeBilinear(window, [this.height, this.width], false, true);
  }

  protected options(): ConfigDict {
    return { height: this.height, width: this.width };
  }
}

/**
 * Keras 3's `RandomCrop` layer: crops images to `height` × `width`. While training, when the input is larger than
 * the crop both ways, one window at a uniformly random place is cut from the whole batch (Keras draws one per batch;
 * the {@link randomCrop} augmentation, which does the cut, draws one per image). Otherwise, and at inference, the
 * centre window Keras documents is taken: the largest window of the crop's aspect ratio, centred, resized
 * (bilinear) to `height` × `width` (Keras' `smart_resize`). Two places where Keras 3.15's code differs from its
 * documentation, and this layer follows the documentation: at inference Keras returns the input unchanged (so the
 * shape the next layer sees changes between training and inference), and for a small training input it takes its
 * window from the fitted window's start rather than centring it.
 *
 * Saves and loads with the model (class name `RandomCrop`, config height, width, seed, data_format). Any channel
 * count; channels first with `dataFormat: 'channelsFirst'`.
 *
 * @param options - `height`, `width` (required), `seed`, `dataFormat`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomCrop`, the option and the value for a missing or non-positive size, a bad data
 *   format, a non-integer seed or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const crop = layers.randomCrop({ height: 2, width: 2, seed: 1 });
 * const x = tf.tensor4d([...Array(16).keys()], [1, 4, 4, 1]);
 * console.log((crop.apply(x, { training: true }) as tf.Tensor).shape.join('x')); // 1x2x2x1
 * const centre = crop.apply(x) as tf.Tensor; // the whole 4 × 4 image (same aspect), resized to 2 × 2
 * console.log(Array.from(centre.dataSync()).join(',')); // 2.5,4.5,10.5,12.5
 * ```
 */
export function randomCrop(options: RandomCropLayerOptions): Layer {
  registerOnce(RandomCrop);
  return new RandomCrop(
    checkLayerOptions('layers.randomCrop', options, RANDOM_CROP_LAYER_OPTIONS, ['height', 'width'], ['seed']),
  );
}
