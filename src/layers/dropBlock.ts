import { add, div, maxPool, mul, reshape, scalar, serialization, sub, sum, tensor } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { checkLayerOptions, LAYER_ARGS } from '../core/layerOptions.js';
import type { Layer, LayerArgs } from '../core/layerOptions.js';
import { registerOnce } from '../core/serialization.js';
import { invalidArgument, optionNames } from '../core/validate.js';
import { checkDataFormat, DropLayer } from './_internal/DropLayer.js';
import type { DataFormat } from './_internal/DropLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `dropBlock` (timm `DropBlock2d`), plus tfjs' LayerArgs. */
export interface DropBlockOptions extends LayerArgs {
  /** Probability of dropping a block, in [0, 1). Required. timm: `drop_prob`. */
  rate: number;
  /** Side of the square blocks, a positive integer (clipped to height and width). Required. timm: `block_size`. */
  blockSize: number;
  /**
   * Where the channels are: 'channelsLast' is `[batch, height, width, channels]`, 'channelsFirst'
   * `[batch, channels, height, width]` (timm's layout).
   * @defaultValue 'channelsLast'
   */
  dataFormat?: DataFormat;
  /** Seed of the layer's generator; equal seeds give equal masks. @defaultValue a fresh random seed */
  seed?: number | null;
}

const DROP_BLOCK_OPTIONS = optionNames<DropBlockOptions>()('rate', 'blockSize', 'dataFormat', 'seed', ...LAYER_ARGS);

/** timm adds this to the kept count so that a mask with nothing kept divides by a positive number. */
const KEEP_EPSILON = 1e-7;

function checkBlockSize(fn: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalidArgument(fn, 'blockSize', value, 'a positive integer');
  }
  return value;
}

/**
 * timm's DropBlock2d with its defaults (timm ≥ 1.0.23, `drop_block_2d`: couple_channels, no noise,
 * scale_by_keep): block centres drawn anywhere with probability γ = rate·H·W / (kh·kw) /
 * ((H − kh + 1)(W − kw + 1)), grown to kh×kw blocks by a stride-1 max pool, kept values scaled by
 * numel / (Σ keep + 1e-7), the sum taken on the device.
 */
export class DropBlock2D extends DropLayer {
  static className = 'DropBlock2D';
  readonly blockSize: number;
  readonly dataFormat: DataFormat;

  constructor(args: DropBlockOptions) {
    super('dropBlock', args);
    this.blockSize = checkBlockSize('dropBlock', args.blockSize);
    this.dataFormat = checkDataFormat('dropBlock', args.dataFormat);
  }

  protected override checkShape(shape: readonly (number | null)[]): void {
    if (shape.length !== 4) {
      const layout = this.dataFormat === 'channelsFirst' ? 'channels, height, width' : 'height, width, channels';
      throw invalidArgument(this.factoryName, 'input shape', shape, `rank 4, [batch, ${layout}]`);
    }
  }

  protected drop(x: Tensor): Tensor {
    const first = this.dataFormat === 'channelsFirst';
    const [batch, d1, d2, d3] = x.shape as [number, number, number, number];
    const [height, width] = first ? [d2, d3] : [d1, d2];
    const kh = Math.min(this.blockSize, height);
    const kw = Math.min(this.blockSize, width);
    const gamma = (this.rate * height * width) / (kh * kw) / ((height - kh + 1) * (width - kw + 1));
    // One spatial mask per sample, shared by its channels (timm's couple_channels, as in the paper).
    const size = batch * height * width;
    const centres = new Float32Array(size);
    for (let i = 0; i < size; i++) centres[i] = this.rng.uniform() < gamma ? 1 : 0;
    const seeds = tensor(centres, [batch, height, width, 1], 'float32') as Tensor4D;
    // 'same' padding at stride 1 puts floor((k - 1) / 2) before and the rest after: for odd k it is
    // timm's k // 2 both sides, and for even k it is timm's pad-then-crop-the-first-row.
    const blocks = maxPool(seeds, [kh, kw], 1, 'same');
    const keep = sub(scalar(1), blocks);
    const scale = div(scalar(size), add(sum(keep), scalar(KEEP_EPSILON)));
    const mask = mul(keep, scale);
    return mul(x, first ? reshape(mask, [batch, 1, height, width]) : mask);
  }

  protected override options(): ConfigDict {
    return { blockSize: this.blockSize, dataFormat: this.dataFormat };
  }
}

/**
 * DropBlock (Ghiasi et al. 2018) with the semantics of timm's `DropBlock2d` defaults: while
 * training it zeroes square `blockSize`×`blockSize` regions of each sample's feature maps (the
 * same regions in every channel) and scales what is kept so that the total activation is
 * preserved; at inference (and at rate 0) it is the identity.
 *
 * As in timm (`drop_block_2d`, v1.0.23 and later; the older `drop_block_fast_2d` and the
 * valid-region `drop_block_2d` variants are gone): block centres are drawn at every position with
 * probability γ = rate · H · W / (kh · kw) / ((H − kh + 1) · (W − kw + 1)), where kh, kw are
 * `blockSize` clipped to the height and width; each centre grows into a kh×kw block (a stride-1
 * max pool, so blocks may be cut by the border); the kept values are multiplied by
 * numel / (Σ keep + 1e-7), numel being batch · H · W, with the sum taken on the device (no
 * data-dependent shape, nothing read back). timm's `gamma_scale` is 1 and `with_noise` off.
 *
 * The centres are drawn in JavaScript from the layer's seeded generator (batch · H · W uniforms per
 * training call), so the same seed gives the same masks on every backend. Saves and loads with the
 * model (class name `DropBlock2D`, the Keras-style name of timm's `DropBlock2d`; config rate,
 * block_size, data_format, seed).
 *
 * @param options - `rate` and `blockSize` (required), `dataFormat`, `seed`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`. Its input must have rank 4 (an error naming `dropBlock` at build otherwise).
 * @throws Error naming `dropBlock`, the option and the value for a missing rate or one outside
 *   [0, 1), a block size that is not a positive integer, an unknown data format, a non-integer seed
 *   or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { dropBlock } from 'tfjs-regularization/layers';
 *
 * const drop = dropBlock({ rate: 0.2, blockSize: 3, seed: 4 });
 * const x = tf.ones([2, 12, 12, 3]);
 * const y = drop.apply(x, { training: true }) as tf.Tensor;
 * console.log(tf.sum(tf.equal(y, 0)).dataSync()[0] > 0); // some blocks dropped: true
 * console.log(tf.mean(y).dataSync()[0].toFixed(4)); // the kept values are scaled up: 1.0000
 * const inference = drop.apply(x) as tf.Tensor;
 * console.log(tf.all(tf.equal(inference, x)).dataSync()[0]); // identity: 1
 * ```
 */
export function dropBlock(options: DropBlockOptions): Layer {
  registerOnce(DropBlock2D);
  return new DropBlock2D(checkLayerOptions('dropBlock', options, DROP_BLOCK_OPTIONS, ['rate', 'blockSize'], ['seed']));
}
