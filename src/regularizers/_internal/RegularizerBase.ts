import { regularizers } from '@tensorflow/tfjs-layers';
import type { Regularizer } from '../regularizer.js';

/**
 * tfjs-layers' abstract `Regularizer` class. It is not exported by name, but layers only accept a
 * regularizer object that is `instanceof` it (anything else is parsed as a config dict), so our
 * classes must extend it. It is the direct superclass of tfjs-layers' own L1L2 class.
 */
export const RegularizerBase: abstract new () => Regularizer = Object.getPrototypeOf(
  regularizers.l1l2({ l1: 0, l2: 0 }).constructor,
) as abstract new () => Regularizer;
