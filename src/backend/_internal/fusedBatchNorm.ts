import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { cachedConstant, cachedScalar } from '../../core/constantCache.js';
import { activeNodeBackend } from '../../core/tfjsNode.js';
import type { NodeBackend } from '../../core/tfjsNode.js';

type Call = (this: BatchNormLayer, inputs: Tensor | Tensor[], kwargs: Record<string, unknown>) => Tensor | Tensor[];

interface Weight {
  read(): Tensor;
  write(value: Tensor): unknown;
}

/** The fields of tfjs-layers' BatchNormalization its training step reads. */
interface BatchNormLayer {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: Weight;
  beta: Weight;
  movingMean: Weight;
  movingVariance: Weight;
}

/** tfjs-layers' own `call` and the prototype it was taken from, kept while ours is installed. */
let original: { proto: { call: Call }; call: Call } | undefined;

/**
 * tfjs-layers' BatchNormalization class as registered for deserialization: looking it up there
 * rather than building a layer leaves tfjs-layers' automatic layer names unchanged.
 */
function batchNormPrototype(): { call: Call } | undefined {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap['BatchNormalization'];
  return (entry?.[0] as { prototype: { call: Call } } | undefined)?.prototype;
}

function attrs(b: NodeBackend, epsilon: number) {
  const type = (name: string) => ({ name, type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT });
  return [
    type('T'),
    type('U'),
    { name: 'epsilon', type: b.binding.TF_ATTR_FLOAT, value: epsilon },
    { name: 'data_format', type: b.binding.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: b.binding.TF_ATTR_BOOL, value: true },
  ];
}

/**
 * Normalizes `x` `[n, h, w, c]` by its batch statistics with TensorFlow's FusedBatchNormV3, its
 * gradient FusedBatchNormGradV3: one op each way where tfjs-layers' path runs moments,
 * batchNorm and their gradients op by op. Returns the output and the batch mean and biased
 * variance (kept: the caller disposes them).
 */
function fusedTraining(b: NodeBackend, x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number) {
  let mean: Tensor | undefined;
  let variance: Tensor | undefined;
  const normalize = tf.customGrad((xIn, gammaIn, betaIn, save) => {
    const none = cachedConstant('empty:float32', () => tf.tensor1d([], 'float32'));
    const [y, batchMean, , reserve1, reserve2, reserve3] = b.executeMultipleOutputs(
      'FusedBatchNormV3',
      attrs(b, epsilon),
      [xIn as Tensor, gammaIn as Tensor, betaIn as Tensor, none, none],
      6,
    );
    // batch_variance (output 2) has Bessel's correction, for TensorFlow's own moving average;
    // reserve_space_2 is the biased variance, the one tfjs-layers and Keras 3 average.
    mean = tf.keep(batchMean!);
    variance = tf.keep(reserve2!);
    (save as (tensors: Tensor[]) => void)([xIn as Tensor, gammaIn as Tensor, reserve1!, reserve2!, reserve3!]);
    return {
      value: y!,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [dx, dGamma, dBeta, ...unused] = b.executeMultipleOutputs(
          'FusedBatchNormGradV3',
          attrs(b, epsilon),
          [dy, ...saved],
          5,
        );
        tf.dispose(unused);
        return [dx!, dGamma!, dBeta!];
      },
    };
  });
  const y = normalize(x, gamma, beta);
  return { y, mean: mean!, variance: variance! };
}

function fusedCall(stock: Call): Call {
  return function (this: BatchNormLayer, inputs, kwargs) {
    const b = activeNodeBackend();
    const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0]! : undefined) : inputs;
    // Inference, other backends and what the fused op does not cover (an axis other than the
    // last, a layer without scale or offset) keep tfjs-layers' own path.
    if (
      b === undefined ||
      !kwargs?.['training'] ||
      x === undefined ||
      x.dtype !== 'float32' ||
      (x.rank !== 2 && x.rank !== 4) ||
      (this.axis !== -1 && this.axis !== x.rank - 1) ||
      !this.center ||
      !this.scale
    )
      return stock.call(this, inputs, kwargs);
    return tf.tidy(() => {
      const channels = x.shape[x.rank - 1]!;
      const x4 = x.rank === 4 ? x : tf.reshape(x, [-1, 1, 1, channels]);
      const { y, mean, variance } = fusedTraining(b, x4, this.gamma.read(), this.beta.read(), this.epsilon);
      try {
        // tfjs-layers' moving average, written the same way so that the values are the same.
        const decay = cachedScalar(1 - this.momentum);
        for (const [weight, value] of [
          [this.movingMean, mean],
          [this.movingVariance, variance],
        ] as const) {
          tf.tidy(() => {
            const old = weight.read();
            weight.write(tf.sub(old, tf.mul(tf.sub(old, value), decay)));
          });
        }
      } finally {
        tf.dispose([mean, variance]);
      }
      return x.rank === 4 ? y : tf.reshape(y, x.shape);
    });
  };
}

/**
 * Makes tfjs-layers' BatchNormalization train through TensorFlow's fused kernels on tfjs-node
 * (its class, weights and saved form unchanged). Returns false when tfjs-layers has not
 * registered BatchNormalization.
 */
export function installFusedBatchNorm(): boolean {
  if (original !== undefined) return true;
  const proto = batchNormPrototype();
  if (proto === undefined) return false;
  original = { proto, call: proto.call };
  proto.call = fusedCall(proto.call);
  return true;
}

/** Puts tfjs-layers' own BatchNormalization `call` back. */
export function restoreBatchNorm(): void {
  if (original !== undefined) original.proto.call = original.call;
  original = undefined;
}
