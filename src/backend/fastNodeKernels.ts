import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, Tensor } from '@tensorflow/tfjs-core';
import { cachedConstant } from '../core/constantCache.js';
import type { NodeBackend } from '../core/tfjsNode.js';
import { invalidArgument } from '../core/validate.js';
import { installFusedBatchNorm, restoreBatchNorm } from './_internal/fusedBatchNorm.js';

const BACKEND = 'tensorflow';
/** tfjs-node's own kernels, kept while ours are registered so that they can be put back. */
let originals: { step: KernelConfig; batchMatMul: KernelConfig } | undefined;

function floatAttr(b: NodeBackend) {
  return { name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT };
}

function fastStep(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as Tensor;
    if (args.attrs?.['alpha'] !== 0 || x.dtype !== 'float32') return original(args);
    // tfjs-node builds step from five ops (IsNan, Greater, Fill, two Selects); sign(relu(x)) gives
    // the same values, NaN included, in two. ReLU's gradient calls it twice per training step.
    const b = args.backend as unknown as NodeBackend;
    const relu = b.executeSingleOutput('Relu', [floatAttr(b)], [x]);
    const out = b.executeSingleOutput('Sign', [floatAttr(b)], [relu]);
    relu.dispose();
    return out as never;
  };
}

function fastBatchMatMul(original: KernelFunc): KernelFunc {
  return (args) => {
    const a = args.inputs['a'] as Tensor;
    const w = args.inputs['b'] as Tensor;
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeB || transposeA || a.rank !== 2 || w.rank !== 2 || a.dtype !== 'float32' || w.size <= a.size)
      return original(args);
    // a·wᵀ is the input gradient of every dense layer. TensorFlow's CPU matmul runs it several times
    // slower than w·aᵀ when the transposed operand is the large weight matrix; a·wᵀ = (w·aᵀ)ᵀ, and
    // the transpose of the small result costs far less than the difference.
    const b = args.backend as unknown as NodeBackend;
    const bool = (name: string, value: boolean) => ({ name, type: b.binding.TF_ATTR_BOOL, value });
    const product = b.executeSingleOutput(
      'MatMul',
      [floatAttr(b), bool('transpose_a', false), bool('transpose_b', true)],
      [w, a],
    );
    const perm = cachedConstant('perm:1,0', () => tf.tensor1d([1, 0], 'int32'));
    const out = b.executeSingleOutput(
      'Transpose',
      [floatAttr(b), { name: 'Tperm', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_INT32 }],
      [product, perm],
    );
    product.dispose();
    return out as never;
  };
}

function replace(config: KernelConfig): void {
  tf.unregisterKernel(config.kernelName, BACKEND);
  tf.registerKernel(config);
}

/**
 * Speeds up training on tfjs-node (`@tensorflow/tfjs-node`, backend `tensorflow`) by replacing
 * two of its kernels with equivalent, faster ones and by training tfjs-layers' BatchNormalization
 * through TensorFlow's fused kernels.
 *
 * - `Step` (used by every ReLU gradient) runs as two TensorFlow ops instead of five.
 * - `BatchMatMul` of a small matrix by the transpose of a larger one (the input gradient of a
 *   dense layer) is computed as the transpose of the swapped product, which TensorFlow's CPU
 *   kernels run faster.
 * - A BatchNormalization layer in training (axis -1, 2D or 4D input, with scale and offset)
 *   normalizes with `FusedBatchNormV3` and differentiates with `FusedBatchNormGradV3`, one op each
 *   way instead of tfjs' dozens; its moving mean and variance are updated as tfjs-layers does
 *   (momentum, biased batch variance). Inference, the layer's class, weights and saved form are
 *   unchanged.
 *
 * Results are the same values up to float rounding (a different summation order); a training step
 * of the notebook's 784-1024-1024-10 MLP takes about a fifth less time, and more with
 * BatchNormalization (docs/performance.md). Other backends are untouched. The presets turn this on
 * when they train on tfjs-node; `fastNodeKernels(false)` puts tfjs-node's kernels and
 * tfjs-layers' BatchNormalization back.
 *
 * Kernels and tfjs-layers' classes are global: this affects every model in the process, which is
 * why it is a call and never a side effect of importing the library.
 *
 * @param enable - true to install the faster kernels, false to restore tfjs-node's.
 * @returns Whether the faster kernels are active: false when tfjs-node is not loaded.
 * @throws Error naming `fastNodeKernels` when `enable` is not a boolean.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fastNodeKernels } from 'tfjs-regularization';
 *
 * // true once @tensorflow/tfjs-node is imported; false (and nothing changed) otherwise
 * fastNodeKernels();
 * const y = tf.matMul(tf.ones([2, 3]), tf.ones([4, 3]), false, true);
 * console.log(y.arraySync()); // [[3, 3, 3, 3], [3, 3, 3, 3]]
 * fastNodeKernels(false); // tfjs-node's own kernels again
 * ```
 */
export function fastNodeKernels(enable = true): boolean {
  if (typeof enable !== 'boolean') throw invalidArgument('fastNodeKernels', 'enable', enable, 'a boolean');
  if (!enable) {
    if (originals !== undefined) {
      replace(originals.step);
      replace(originals.batchMatMul);
      originals = undefined;
      restoreBatchNorm();
    }
    return false;
  }
  if (originals !== undefined) return true;
  const step = tf.getKernel('Step', BACKEND);
  const batchMatMul = tf.getKernel('BatchMatMul', BACKEND);
  if (step === undefined || batchMatMul === undefined) return false;
  originals = { step, batchMatMul };
  replace({ kernelName: 'Step', backendName: BACKEND, kernelFunc: fastStep(step.kernelFunc) });
  replace({ kernelName: 'BatchMatMul', backendName: BACKEND, kernelFunc: fastBatchMatMul(batchMatMul.kernelFunc) });
  installFusedBatchNorm();
  return true;
}

/**
 * Whether {@link fastNodeKernels} has its kernels installed, without changing anything (presets
 * read it to put the kernels back as they found them).
 * @internal
 */
export function fastNodeKernelsActive(): boolean {
  return originals !== undefined;
}
