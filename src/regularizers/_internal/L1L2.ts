import { serialization, tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { normPenalty } from '../../core/normPenalty.js';
import { RegularizerBase } from './RegularizerBase.js';
import { checkNonNegative } from '../../core/validate.js';

type ConfigDict = serialization.ConfigDict;

/** Keras `L1`: `l1 * sum(|w|)`. Serialized as `{"class_name": "L1", "config": {"l1": ...}}`. */
export class L1 extends RegularizerBase {
  static className = 'L1';
  readonly l1: number;
  constructor(l1: number) {
    super();
    this.l1 = checkNonNegative('L1', 'l1', l1);
  }
  apply(x: Tensor): Scalar {
    return tidy(() => normPenalty(x, this.l1, 0));
  }
  getConfig(): ConfigDict {
    return { l1: this.l1 };
  }
  static fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: ConfigDict,
  ): T {
    return new cls(config['l1']);
  }
}

/** Keras `L2`: `l2 * sum(w^2)` (no 1/2 factor, as in Keras). */
export class L2 extends RegularizerBase {
  static className = 'L2';
  readonly l2: number;
  constructor(l2: number) {
    super();
    this.l2 = checkNonNegative('L2', 'l2', l2);
  }
  apply(x: Tensor): Scalar {
    return tidy(() => normPenalty(x, 0, this.l2));
  }
  getConfig(): ConfigDict {
    return { l2: this.l2 };
  }
  static fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: ConfigDict,
  ): T {
    return new cls(config['l2']);
  }
}

/**
 * Keras `L1L2`: `l1 * sum(|w|) + l2 * sum(w^2)`. Registered under the same class name as
 * tfjs-layers' own L1L2 (identical penalty and config), so that configs loaded through the
 * registry are validated.
 */
export class L1L2 extends RegularizerBase {
  static className = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(l1: number, l2: number) {
    super();
    this.l1 = checkNonNegative('L1L2', 'l1', l1);
    this.l2 = checkNonNegative('L1L2', 'l2', l2);
  }
  apply(x: Tensor): Scalar {
    return tidy(() => normPenalty(x, this.l1, this.l2));
  }
  getConfig(): ConfigDict {
    return { l1: this.l1, l2: this.l2 };
  }
  static fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: ConfigDict,
  ): T {
    // Keras writes both keys; tfjs-layers may omit one when it is zero.
    return new cls(config['l1'] ?? 0, config['l2'] ?? 0);
  }
}
