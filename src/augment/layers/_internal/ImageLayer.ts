import { serialization, transpose, zeros } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import type { Shape } from '@tensorflow/tfjs-layers';
import { firstShape } from '../../../core/layerOptions.js';
import type { RandomGenerator } from '../../../core/random.js';
import { checkOneOf, invalidArgument, optionNames } from '../../../core/validate.js';
import type { Augmentation, BatchInfo } from '../../augmentation.js';
import { checkValueRange } from '../../functional/_internal/photometric.js';
import { AugmentLayer, LAYER_ARGS } from './AugmentLayer.js';
import type { LayerArgs } from './AugmentLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Keras 3's `data_format`, camel-cased as tfjs-layers spells it (saved as 'channels_last' / 'channels_first'). */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/** The options every Keras 3 image preprocessing layer takes beside its own, plus tfjs' LayerArgs. */
export interface ImageLayerOptions extends LayerArgs {
  /**
   * Seed of the layer's generator; equal seeds give equal augmentations on every backend. Keras: `seed`.
   * @defaultValue a fresh random seed
   */
  seed?: number | null;
  /**
   * Layout of the input: `[batch, height, width, channels]` or `[batch, channels, height, width]`.
   * Keras: `data_format`.
   * @defaultValue 'channelsLast'
   */
  dataFormat?: DataFormat;
}

/** The option names of {@link ImageLayerOptions}. */
export const IMAGE_LAYER_ARGS: readonly (keyof ImageLayerOptions & string)[] = optionNames<ImageLayerOptions>()(
  'seed',
  'dataFormat',
  ...LAYER_ARGS,
);

/** What a layer's channel axis must hold: anything, RGB (three channels), or RGB or grayscale (three or one). */
export type ChannelRule = 'any' | 'rgb' | 'rgbOrGray';

/**
 * The base of the Keras 3 image layers: wraps this library's NHWC augmentations for a layer. It
 * owns the layout (a channelsFirst input is transposed in and out), the channel rule (an RGB op
 * names the layer, the input shape and the data format when the channel axis does not hold 3),
 * the training gate and the seed (from AugmentLayer), and the config's `data_format`. A layer is
 * its draw (Keras' distribution, from the layer's generator) and its NHWC transform.
 */
export abstract class ImageLayer<P> extends AugmentLayer {
  readonly dataFormat: DataFormat;
  private readonly channelRule: ChannelRule;

  constructor(fn: string, args: ImageLayerOptions, channels: ChannelRule) {
    super(fn, args, true);
    this.dataFormat = checkOneOf(fn, 'dataFormat', args.dataFormat ?? 'channelsLast', [
      'channelsLast',
      'channelsFirst',
    ] as const);
    this.channelRule = channels;
  }

  /** Draws the parameters of one training call from `rng`, the way Keras draws them. */
  protected abstract draw(info: BatchInfo, rng: RandomGenerator): P;

  /** The training transform of an NHWC batch with drawn parameters; runs inside tidy. */
  protected abstract transform(images: Tensor4D, params: P, info: BatchInfo): Tensor4D;

  /** The inference transform of an NHWC batch, when it is not the identity. */
  protected inferenceTransform?(images: Tensor4D, info: BatchInfo): Tensor4D;

  /** `[height, width]` of the output, where the layer changes it (a crop). */
  protected outputSize(height: number, width: number): [number, number] {
    return [height, width];
  }

  /** Applies an augmentation, with given parameters or with parameters drawn from the layer's generator. */
  protected step<Q>(aug: Augmentation<Q>, images: Tensor4D, params?: Q): Tensor4D {
    return aug.apply({ images }, params ?? aug.sample(infoOf(images), this.rng)).images;
  }

  /**
   * The training transform of an NHWC batch, its parameters drawn from `rng`: a composite layer (RandomColorJitter)
   * runs its parts with its own generator, as Keras' composite layers do.
   * @internal
   */
  trainingTransform(images: Tensor4D, rng: RandomGenerator = this.rng): Tensor4D {
    return this.transformWith(images, this.drawWith(infoOf(images), rng));
  }

  /**
   * One training call's parameters drawn from `rng`, apart from their transform: a composite layer that draws every
   * part on the input before running any (RandAugment) calls this, then {@link transformWith}.
   * @internal
   */
  drawWith(info: BatchInfo, rng: RandomGenerator): P {
    return this.draw(info, rng);
  }

  /** The training transform of an NHWC batch with given parameters (see {@link drawWith}). @internal */
  transformWith(images: Tensor4D, params: P): Tensor4D {
    return this.transform(images, params, infoOf(images));
  }

  protected augment(x: Tensor): Tensor {
    return this.inLayout(x, (images) => this.trainingTransform(images));
  }

  protected override infer(x: Tensor): Tensor {
    const f = this.inferenceTransform;
    return f === undefined ? x : this.inLayout(x, (images, info) => f.call(this, images, info));
  }

  protected override empty(x: Tensor): Tensor {
    return zeros(this.layoutShape(x.shape) as number[]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    super.computeOutputShape(inputShape);
    return this.layoutShape(firstShape(inputShape));
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }

  /** The output shape in the layer's layout, after checking the channel axis. */
  private layoutShape(shape: readonly (number | null)[]): (number | null)[] {
    const first = this.dataFormat === 'channelsFirst';
    const [b, h, w, c] = first ? [shape[0], shape[2], shape[3], shape[1]] : shape;
    this.checkChannels(shape, c ?? null);
    const [oh, ow] = h == null || w == null ? [h, w] : this.outputSize(h, w);
    return first ? [b!, c!, oh!, ow!] : [b!, oh!, ow!, c!];
  }

  private inLayout(x: Tensor, f: (images: Tensor4D, info: BatchInfo) => Tensor4D): Tensor {
    const first = this.dataFormat === 'channelsFirst';
    const images = (first ? transpose(x, [0, 2, 3, 1]) : x) as Tensor4D;
    this.checkChannels(x.shape, images.shape[3]);
    const out = f(images, infoOf(images));
    return first ? transpose(out, [0, 3, 1, 2]) : out;
  }

  private checkChannels(shape: readonly (number | null)[], channels: number | null): void {
    const gray = this.channelRule === 'rgbOrGray';
    if (this.channelRule === 'any' || channels === null || channels === 3 || (gray && channels === 1)) return;
    const [axis, other] = this.dataFormat === 'channelsLast' ? [3, 'channelsFirst'] : [1, 'channelsLast'];
    const across = shape[this.dataFormat === 'channelsLast' ? 1 : 3];
    const hint = across === 3 || (gray && across === 1) ? ` (is the input ${other}?)` : '';
    const images = gray ? 'RGB or grayscale images, 3 or 1 channels' : 'RGB images, 3 channels';
    throw invalidArgument(
      this.factoryName,
      'input shape',
      shape,
      `${images} on axis ${axis} for dataFormat '${this.dataFormat}'${hint}`,
    );
  }
}

/**
 * The common case: one augmentation whose own draw is Keras' (the photometric augmentations follow
 * the Keras layers' draws), applied with parameters drawn from the layer's generator.
 */
export abstract class AugmentationLayer<P> extends ImageLayer<P> {
  protected abstract readonly aug: Augmentation<P>;

  protected draw(info: BatchInfo, rng: RandomGenerator): P {
    return this.aug.sample(info, rng);
  }

  protected transform(images: Tensor4D, params: P): Tensor4D {
    return this.step(this.aug, images, params);
  }
}

/** The shape facts of an NHWC batch. */
export function infoOf(images: Tensor4D): BatchInfo {
  const [batchSize, height, width, channels] = images.shape;
  return { batchSize, height, width, channels };
}

/** Keras' `value_range`, defaulting as Keras does to [0, 255] (this library's augmentations default to [0, 1]). */
export function kerasValueRange(fn: string, value: unknown): [number, number] {
  return checkValueRange(fn, value ?? [0, 255]);
}

/**
 * Keras' `_set_factor`: a number `f` within the bounds is `[max(−|f|, lower bound), |f|]`; a pair is sorted and only
 * has to reach into the bounds (its first entry at most the upper bound, its second at least the lower one), so a
 * pair such as `[-a, a]` for a contrast layer collapses the draw to one value, as in Keras.
 */
export function kerasFactor(fn: string, arg: string, value: unknown, bounds: [number, number]): [number, number] {
  const [lo, hi] = bounds;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (finite(value) && value >= lo && value <= hi) return [Math.max(-Math.abs(value), lo), Math.abs(value)];
  if (Array.isArray(value) && value.length === 2 && value.every(finite) && value[0]! <= hi && value[1]! >= lo) {
    const [a, b] = value as [number, number];
    return a <= b ? [a, b] : [b, a];
  }
  throw invalidArgument(fn, arg, value, `a number in [${lo}, ${hi}], or a pair [lower, upper] reaching into it`);
}

/** Per image of the batch, every image transformed: the photometric augmentations' params shape. */
export function perImage<K extends string>(
  info: BatchInfo,
  key: K,
  draw: () => number,
): { applied: boolean[] } & { [k in K]: number[] } {
  const values = Array.from({ length: info.batchSize }, draw);
  return { applied: values.map(() => true), [key]: values } as { applied: boolean[] } & { [k in K]: number[] };
}
