import {
  abs,
  div,
  eye,
  matMul,
  maximum,
  mul,
  norm,
  scalar,
  serialization,
  sub,
  sum,
  tidy,
} from '@tensorflow/tfjs-core';
import type { Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { RegularizerBase } from './RegularizerBase.js';
import { checkNonNegative, checkOneOf, invalidArgument } from '../../core/validate.js';

type ConfigDict = serialization.ConfigDict;
export type OrthogonalMode = 'rows' | 'columns';

/** Guards the normalisation of an all-zero row or column (Keras clamps the norm the same way). */
const NORM_EPSILON = 1e-7;

/**
 * Keras 3 `OrthogonalRegularizer`: `factor * mean_{i<j} |<v_i, v_j>|` over the L2-normalised rows
 * (or columns) `v` of a 2-D weight, written as Keras does: `factor * 0.5 * sum|offdiag(V V^T)| / pairs`.
 */
export class OrthogonalRegularizer extends RegularizerBase {
  static className = 'OrthogonalRegularizer';
  readonly factor: number;
  readonly mode: OrthogonalMode;
  constructor(factor: number, mode: OrthogonalMode) {
    super();
    this.factor = checkNonNegative('orthogonal', 'factor', factor);
    this.mode = checkOneOf('orthogonal', 'mode', mode, ['rows', 'columns'] as const);
  }
  apply(x: Tensor): Scalar {
    if (x.rank !== 2) {
      throw invalidArgument('orthogonal', 'weight rank', x.rank, '2 (OrthogonalRegularizer applies to 2-D kernels)');
    }
    return tidy(() => {
      const w = x as Tensor2D;
      const axis = this.mode === 'rows' ? 1 : 0;
      const v = div(w, maximum(norm(w, 2, axis, true), NORM_EPSILON)) as Tensor2D;
      const product = this.mode === 'rows' ? matMul(v, v, false, true) : matMul(v, v, true, false);
      const size = product.shape[0];
      if (size < 2) return scalar(0);
      const offDiagonal = mul(product, sub(1, eye(size)));
      const pairs = (size * (size - 1)) / 2;
      return mul((this.factor * 0.5) / pairs, sum(abs(offDiagonal))) as Scalar;
    });
  }
  getConfig(): ConfigDict {
    return { factor: this.factor, mode: this.mode };
  }
  static fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: ConfigDict,
  ): T {
    return new cls(config['factor'] ?? 0.01, config['mode'] ?? 'rows');
  }
}
